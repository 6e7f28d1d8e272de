//! Renders an invoice as a PDF that opens in any reader: A4 pages with the invoice number, the
//! seller and the payer, a table of lines, the totals, a comment and the status, in English or
//! Russian labels. The caller passes strings it has already formatted and translated (dates,
//! money, the status); this crate knows nothing else of Bursar and depends on no other of its
//! crates.
//!
//! The PDF is written with [krilla]: it is pure Rust (no C library to link or install), embeds
//! and subsets fonts so that the file shows the same text everywhere and stays small, and maps
//! glyphs back to Unicode so that text can be searched and copied. Text is shaped with
//! rustybuzz, the shaper krilla itself uses, so Cyrillic and kerning come out right and each
//! line is measured exactly as it is drawn (for wrapping and right-aligned amounts). Typst
//! would lay out documents for us but is far heavier a dependency than one invoice needs.
//!
//! The fonts are DejaVu Sans and DejaVu Sans Bold (Latin, Cyrillic, Greek and more), built into
//! the binary so that rendering needs no system fonts; their licence is `fonts/LICENSE-DejaVu.txt`.
#![forbid(unsafe_code)]

mod layout;
mod text;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};

use crate::layout::{Item, PAGE_HEIGHT, PAGE_WIDTH};
use crate::text::Fonts;

/// The language of the labels printed on the invoice ("Invoice", "Seller", "Total", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

/// One line of an invoice; every field is already formatted by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: String,
    pub amount: String,
    pub tax: String,
}

/// Everything printed on an invoice. Strings are shown as given: already translated and
/// formatted. An empty field (or a `None` payment date) is left out of the document, and a
/// multi-line string (an address, bank details) keeps its line breaks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InvoiceDocument {
    /// Chooses the built-in labels.
    pub lang: Lang,
    /// For example "2026-000042".
    pub number: String,
    /// Already translated, for example "Paid" or "Оплачен".
    pub status: String,
    /// An already formatted date.
    pub issued_on: String,
    pub paid_on: Option<String>,
    pub seller_name: String,
    pub seller_address: String,
    pub seller_tax_number: String,
    pub seller_bank_details: String,
    pub payer_name: String,
    pub payer_address: String,
    pub payer_tax_number: String,
    pub payment_method: String,
    pub lines: Vec<InvoiceLine>,
    /// Tax lines above the tax total: (label such as "VAT 20 %", amount).
    pub taxes: Vec<(String, String)>,
    /// For example "2.00 EUR".
    pub tax_total: String,
    /// For example "12.00 EUR".
    pub total: String,
    pub comment: String,
}

/// Why an invoice could not be rendered. Neither should happen with the fonts built in; the
/// message is for the log.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the built-in font {0} could not be read")]
    Font(&'static str),
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// The words the invoice prints around the caller's data.
pub(crate) struct Labels {
    invoice: &'static str,
    /// Put between "Invoice" and the number ("№ " in Russian).
    number_sign: &'static str,
    seller: &'static str,
    payer: &'static str,
    tax_number: &'static str,
    bank_details: &'static str,
    description: &'static str,
    quantity: &'static str,
    amount: &'static str,
    tax: &'static str,
    total: &'static str,
    issued: &'static str,
    paid: &'static str,
    payment_method: &'static str,
    status: &'static str,
    /// The document's language tag, in the PDF's metadata.
    language: &'static str,
}

const EN: Labels = Labels {
    invoice: "Invoice",
    number_sign: "",
    seller: "Seller",
    payer: "Payer",
    tax_number: "Tax number",
    bank_details: "Bank details",
    description: "Description",
    quantity: "Quantity",
    amount: "Amount",
    tax: "Tax",
    total: "Total",
    issued: "Issued",
    paid: "Paid",
    payment_method: "Payment method",
    status: "Status",
    language: "en",
};

const RU: Labels = Labels {
    invoice: "Счёт",
    number_sign: "№ ",
    seller: "Продавец",
    payer: "Плательщик",
    tax_number: "ИНН",
    bank_details: "Банковские реквизиты",
    description: "Описание",
    quantity: "Кол-во",
    amount: "Сумма",
    tax: "Налог",
    total: "Итого",
    issued: "Дата выставления",
    paid: "Дата оплаты",
    payment_method: "Способ оплаты",
    status: "Статус",
    language: "ru",
};

impl Labels {
    fn of(lang: Lang) -> &'static Labels {
        match lang {
            Lang::En => &EN,
            Lang::Ru => &RU,
        }
    }

    /// "Invoice 2026-000042", "Счёт № 2026-000042"; just "Invoice" without a number.
    fn title(&self, number: &str) -> String {
        let number = number.trim();
        if number.is_empty() {
            self.invoice.to_owned()
        } else {
            format!("{} {}{number}", self.invoice, self.number_sign)
        }
    }
}

/// Renders the invoice as a PDF file's bytes: A4, as many pages as its lines need, with the
/// DejaVu Sans fonts embedded (subset to the glyphs used).
pub fn render_invoice(doc: &InvoiceDocument) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let labels = Labels::of(doc.lang);
    let pages = layout::layout(doc, labels, &fonts);

    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(labels.title(&doc.number))
            .language(labels.language.to_owned())
            .creator("Bursar".to_owned()),
    );
    let size = Size::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| PdfError::Write("bad page size".to_owned()))?;
    for items in pages {
        let mut page = document.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        for item in items {
            match item {
                Item::Text {
                    x,
                    baseline,
                    style,
                    text,
                    shaped,
                } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: rgb::Color::new(style.gray, style.gray, style.gray).into(),
                        opacity: NormalizedF32::ONE,
                        rule: Default::default(),
                    }));
                    surface.draw_glyphs(
                        Point::from_xy(x, baseline),
                        &shaped.glyphs,
                        fonts.face(style.weight).pdf.clone(),
                        &text,
                        style.size,
                        false,
                    );
                }
                Item::Rule {
                    x1,
                    x2,
                    y,
                    width,
                    gray,
                } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x1, y);
                    path.line_to(x2, y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(gray, gray, gray).into(),
                            width,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|error| PdfError::Write(error.to_string()))
}

#[cfg(test)]
mod tests;
