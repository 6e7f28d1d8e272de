//! Renders invoices and reads them back with poppler's `pdftotext` and `pdfinfo` (Debian's
//! `poppler-utils`, which CI installs). Without those tools the tests fail, unless
//! `BURSAR_TEST_SKIP_PDFTOTEXT=1` says to check only what can be checked without them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::Command;

use super::*;

fn sample(lang: Lang) -> InvoiceDocument {
    InvoiceDocument {
        lang,
        number: "2026-000042".to_owned(),
        status: "Оплачен".to_owned(),
        issued_on: "01.03.2026".to_owned(),
        paid_on: Some("03.03.2026".to_owned()),
        seller_name: "Hosting Example GmbH".to_owned(),
        seller_address: "Hauptstraße 1\n10115 Berlin\nGermany".to_owned(),
        seller_tax_number: "DE123456789".to_owned(),
        seller_bank_details: "IBAN DE89 3704 0044 0532 0130 00\nBIC COBADEFFXXX".to_owned(),
        payer_name: "ООО «Ромашка»".to_owned(),
        payer_address: "ул. Ленина, д. 5, офис 12\nг. Москва, 101000".to_owned(),
        payer_tax_number: "7701234567".to_owned(),
        payment_method: "Банковская карта".to_owned(),
        lines: vec![
            InvoiceLine {
                description: "Виртуальный сервер VPS-2, март 2026".to_owned(),
                quantity: "1".to_owned(),
                amount: "10.00 EUR".to_owned(),
                tax: "2.00 EUR".to_owned(),
            },
            InvoiceLine {
                description: "Домен example.ru, продление на год. Очень длинное описание, \
                              которое обязано переноситься на несколько строк в колонке \
                              описания, не залезая на колонки с суммами."
                    .to_owned(),
                quantity: "1".to_owned(),
                amount: "0.00 EUR".to_owned(),
                tax: String::new(),
            },
        ],
        taxes: vec![("VAT 20 %".to_owned(), "2.00 EUR".to_owned())],
        tax_total: "2.00 EUR".to_owned(),
        total: "12.00 EUR".to_owned(),
        comment: "Спасибо за оплату!".to_owned(),
    }
}

/// Writes the PDF to a temporary file that lives as long as the returned handle.
fn to_file(pdf: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    file.write_all(pdf).unwrap();
    file.flush().unwrap();
    file
}

/// Runs a poppler tool on the file (then `after` its name) and returns its standard output;
/// `None` only when the tool is missing and `BURSAR_TEST_SKIP_PDFTOTEXT=1` allows that.
fn poppler(
    tool: &str,
    before: &[&str],
    file: &tempfile::NamedTempFile,
    after: &[&str],
) -> Option<String> {
    let output = match Command::new(tool)
        .args(before)
        .arg(file.path())
        .args(after)
        .output()
    {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if std::env::var("BURSAR_TEST_SKIP_PDFTOTEXT").as_deref() == Ok("1") {
                eprintln!(
                    "{tool} is missing and BURSAR_TEST_SKIP_PDFTOTEXT=1: the PDF is not read back with it"
                );
                return None;
            }
            panic!(
                "`{tool}` is not installed, so the PDF cannot be checked: install Debian's \
                 poppler-utils (apt-get install poppler-utils), or set \
                 BURSAR_TEST_SKIP_PDFTOTEXT=1 to skip the checks that need it"
            );
        }
        Err(error) => panic!("running {tool}: {error}"),
    };
    assert!(
        output.status.success(),
        "{tool} failed on the PDF ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).expect("poppler prints UTF-8"))
}

/// The PDF's text with each run of whitespace made one space (so that a wrapped line or
/// pdftotext's column handling does not matter).
fn text_of(file: &tempfile::NamedTempFile) -> Option<String> {
    poppler("pdftotext", &["-enc", "UTF-8"], file, &["-"])
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn page_count(file: &tempfile::NamedTempFile) -> Option<usize> {
    let info = poppler("pdfinfo", &[], file, &[])?;
    let pages = info
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .unwrap_or_else(|| panic!("pdfinfo printed no page count:\n{info}"));
    Some(pages.trim().parse().unwrap())
}

#[test]
fn renders_a_cyrillic_invoice_that_pdftotext_reads_back() {
    let pdf = render_invoice(&sample(Lang::Ru)).unwrap();
    assert!(
        pdf.starts_with(b"%PDF-"),
        "not a PDF: {:?}",
        &pdf[..pdf.len().min(16)]
    );
    let file = to_file(&pdf);
    if let Some(pages) = page_count(&file) {
        assert_eq!(pages, 1);
    }
    let Some(text) = text_of(&file) else { return };
    for expected in [
        "Счёт № 2026-000042",
        "ООО «Ромашка»",
        "12.00 EUR",
        "Итого",
        "Плательщик",
        "ИНН: 7701234567",
        "Банковские реквизиты",
        "BIC COBADEFFXXX",
        "Статус",
        "Оплачен",
        "Дата оплаты",
        "Спасибо за оплату!",
        "не залезая на колонки с суммами.",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is not in the PDF's text:\n{text}"
        );
    }
}

#[test]
fn english_labels_and_empty_fields_left_out() {
    let doc = InvoiceDocument {
        lang: Lang::En,
        number: "2026-000007".to_owned(),
        status: "Unpaid".to_owned(),
        issued_on: "2026-03-01".to_owned(),
        payer_name: "Jane Doe".to_owned(),
        lines: vec![InvoiceLine {
            description: "Shared hosting".to_owned(),
            quantity: "1".to_owned(),
            amount: "5.00 USD".to_owned(),
            tax: String::new(),
        }],
        total: "5.00 USD".to_owned(),
        ..InvoiceDocument::default()
    };
    let pdf = render_invoice(&doc).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = text_of(&to_file(&pdf)) else {
        return;
    };
    for expected in [
        "Invoice 2026-000007",
        "Payer",
        "Jane Doe",
        "Shared hosting",
        "Total",
        "5.00 USD",
        "Unpaid",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is not in the PDF's text:\n{text}"
        );
    }
    // No seller, no payment date, no tax, no bank details: neither their labels.
    for absent in ["Seller", "Paid", "Tax", "Bank details", "Payment method"] {
        assert!(
            !text.contains(absent),
            "{absent:?} should be left out:\n{text}"
        );
    }
}

#[test]
fn eighty_lines_flow_onto_further_pages() {
    let mut doc = sample(Lang::En);
    doc.lines = (1..=80)
        .map(|n| InvoiceLine {
            description: format!("Hosting plan L{n:03} for example-{n}.com"),
            quantity: n.to_string(),
            amount: format!("{n}.00 EUR"),
            tax: format!("{}.{:02} EUR", n / 5, n % 5 * 20),
        })
        .collect();
    let pdf = render_invoice(&doc).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let file = to_file(&pdf);
    if let Some(pages) = page_count(&file) {
        assert!(pages > 1, "80 lines fit on {pages} page");
    }
    let Some(text) = text_of(&file) else { return };
    for n in 1..=80 {
        let description = format!("Hosting plan L{n:03} for example-{n}.com");
        assert!(
            text.contains(&description),
            "{description:?} is not in the PDF's text:\n{text}"
        );
    }
    // The table header is repeated on the next page.
    assert!(text.matches("Description").count() > 1, "{text}");
}

#[test]
fn a_huge_field_still_renders() {
    let mut doc = sample(Lang::En);
    doc.comment = "word ".repeat(5000) + &"x".repeat(3000);
    doc.lines[0].description = "line\n".repeat(200);
    let pdf = render_invoice(&doc).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let file = to_file(&pdf);
    if let Some(pages) = page_count(&file) {
        assert!(pages > 3, "{pages} pages");
    }
}

#[test]
fn every_page_is_a4_and_items_stay_inside_it() {
    let fonts = Fonts::load().unwrap();
    let mut doc = sample(Lang::Ru);
    doc.lines = vec![doc.lines[1].clone(); 60];
    let pages = layout::layout(&doc, Labels::of(Lang::Ru), &fonts);
    assert!(pages.len() > 1);
    for items in &pages {
        for item in items {
            match item {
                Item::Text {
                    x,
                    baseline,
                    style,
                    shaped,
                    ..
                } => {
                    let right = x + shaped.advance * style.size;
                    assert!(
                        *x >= 49.9 && right <= PAGE_WIDTH - 49.9,
                        "text off the margins: {x}..{right}"
                    );
                    assert!(
                        *baseline > 50.0 && *baseline < PAGE_HEIGHT - 20.0,
                        "baseline {baseline}"
                    );
                }
                Item::Rule { x1, x2, y, .. } => {
                    assert!(
                        *x1 >= 49.9 && *x2 <= PAGE_WIDTH - 49.9 && *y < PAGE_HEIGHT,
                        "rule {x1}..{x2} at {y}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_line_taller_than_a_page_starts_under_its_table_header() {
    let fonts = Fonts::load().unwrap();
    let mut doc = sample(Lang::En);
    doc.lines[0].description = "line\n".repeat(200);
    let pages = layout::layout(&doc, Labels::of(Lang::En), &fonts);
    let texts = |page: &Vec<Item>| -> Vec<String> {
        page.iter()
            .filter_map(|item| match item {
                Item::Text { text, .. } => Some(text.clone()),
                Item::Rule { .. } => None,
            })
            .collect()
    };
    let first = texts(&pages[0]);
    assert!(first.contains(&"Description".to_owned()), "{first:?}");
    assert!(
        first.contains(&"line".to_owned()),
        "the long line starts on page 1: {first:?}"
    );
    let second = texts(&pages[1]);
    assert_eq!(
        second.first().map(String::as_str),
        Some("Description"),
        "header repeated: {second:?}"
    );
}
