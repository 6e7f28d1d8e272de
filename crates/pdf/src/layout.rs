//! Lays an invoice out on A4 pages as a list of positioned items (text runs and rules), before
//! anything is handed to krilla: page breaks, wrapping and alignment are decided here.
//!
//! Coordinates are PDF points with the origin at the top left of the page and y growing down,
//! as krilla's surfaces use them.

use crate::text::{Fonts, Shaped, Weight, wrap};
use crate::{InvoiceDocument, Labels};

/// A4 in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 50.0;
const MARGIN_TOP: f32 = 50.0;
/// Room below the content for the footer line.
const MARGIN_BOTTOM: f32 = 64.0;
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 32.0;
const LEFT: f32 = MARGIN_X;
const RIGHT: f32 = PAGE_WIDTH - MARGIN_X;
const CONTENT_WIDTH: f32 = RIGHT - LEFT;
const COLUMN_GAP: f32 = 14.0;

/// DejaVu Sans's ascender and descender, in ems: places the baseline inside a line box.
const ASCENT: f32 = 0.928;
const DESCENT: f32 = 0.236;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) weight: Weight,
    pub(crate) size: f32,
    /// Grey level of the text, 0 black to 255 white.
    pub(crate) gray: u8,
}

const TITLE: Style = Style {
    weight: Weight::Bold,
    size: 20.0,
    gray: 0,
};
const BODY: Style = Style {
    weight: Weight::Regular,
    size: 10.0,
    gray: 0,
};
const STRONG: Style = Style {
    weight: Weight::Bold,
    size: 10.0,
    gray: 0,
};
const LABEL: Style = Style {
    weight: Weight::Regular,
    size: 9.0,
    gray: 0x5a,
};
const HEADING: Style = Style {
    weight: Weight::Bold,
    size: 9.0,
    gray: 0x5a,
};
const NAME: Style = Style {
    weight: Weight::Bold,
    size: 10.5,
    gray: 0,
};
const TOTAL: Style = Style {
    weight: Weight::Bold,
    size: 11.5,
    gray: 0,
};
const COMMENT: Style = Style {
    weight: Weight::Regular,
    size: 10.0,
    gray: 0x30,
};
const FOOTER: Style = Style {
    weight: Weight::Regular,
    size: 8.0,
    gray: 0x80,
};

/// The height of one line of text: every line of a row takes the row's tallest.
fn leading(size: f32) -> f32 {
    size * 1.4
}

/// The baseline of text of `size` points centred in a line box from `top`, `height` high.
fn baseline(top: f32, height: f32, size: f32) -> f32 {
    let half_leading = (height - (ASCENT + DESCENT) * size) / 2.0;
    top + half_leading + ASCENT * size
}

/// Something to draw on a page.
pub(crate) enum Item {
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        text: String,
        shaped: Shaped,
    },
    /// A horizontal line.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        gray: u8,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// One cell of a row: lines of text, each with its style, in a column.
struct Cell {
    x: f32,
    width: f32,
    align: Align,
    lines: Vec<(String, Style)>,
}

impl Cell {
    fn new(x: f32, width: f32, align: Align) -> Self {
        Self {
            x,
            width,
            align,
            lines: Vec::new(),
        }
    }

    /// Adds `text`, wrapped to the cell's width.
    fn push(&mut self, fonts: &Fonts, style: Style, text: &str) {
        let face = fonts.face(style.weight);
        for line in wrap(face, style.size, text, self.width) {
            self.lines.push((line, style));
        }
    }

    fn with(mut self, fonts: &Fonts, style: Style, text: &str) -> Self {
        self.push(fonts, style, text);
        self
    }
}

/// The columns of the table of invoice lines, kept to repeat its header on each new page.
#[derive(Clone)]
struct Columns {
    /// (label, x, width, align) of each column, left to right.
    columns: Vec<(String, f32, f32, Align)>,
}

struct Layout<'a> {
    fonts: &'a Fonts,
    pages: Vec<Vec<Item>>,
    /// The top of the next line on the current page.
    y: f32,
    /// Where content starts on the current page (below a repeated table header).
    page_top: f32,
    /// Set while the table of lines is being laid out.
    table: Option<Columns>,
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a Fonts) -> Self {
        Self {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
            page_top: MARGIN_TOP,
            table: None,
        }
    }

    fn bottom() -> f32 {
        PAGE_HEIGHT - MARGIN_BOTTOM
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
        if let Some(columns) = self.table.clone() {
            self.table_header(&columns);
        }
        self.page_top = self.y;
    }

    /// Starts a new page unless `height` more fits on this one (or this one is still empty:
    /// content taller than a page has to start somewhere).
    fn ensure(&mut self, height: f32) {
        if self.y + height > Self::bottom() && self.y > self.page_top {
            self.new_page();
        }
    }

    fn space(&mut self, height: f32) {
        if self.y > self.page_top {
            self.y += height;
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    /// Draws one line of a cell in the line box from `top`, `height` high.
    fn text_at(&mut self, cell: &Cell, top: f32, height: f32, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let shaped = self.fonts.face(style.weight).shape(text);
        let x = match cell.align {
            Align::Left => cell.x,
            Align::Right => cell.x + cell.width - shaped.advance * style.size,
        };
        let baseline = baseline(top, height, style.size);
        self.push(Item::Text {
            x,
            baseline,
            style,
            text: text.to_owned(),
            shaped,
        });
    }

    fn rule(&mut self, x1: f32, x2: f32, width: f32, gray: u8) {
        let y = self.y;
        self.push(Item::Rule {
            x1,
            x2,
            y,
            width,
            gray,
        });
    }

    /// Draws cells side by side, line by line, keeping the row on one page when it fits on one
    /// and otherwise breaking it between lines.
    fn row(&mut self, cells: &[Cell]) {
        self.padded_row(cells, 0.0);
    }

    /// Like `row`, with `pad` points of room above and below the text.
    fn padded_row(&mut self, cells: &[Cell], pad: f32) {
        let (count, height) = row_metrics(cells);
        if count == 0 {
            return;
        }
        let whole = height * count as f32 + 2.0 * pad;
        if whole <= Self::bottom() - MARGIN_TOP - self.header_height() {
            self.ensure(whole);
        } else {
            self.ensure(height + pad);
        }
        self.y += pad;
        for index in 0..count {
            self.ensure(height);
            self.row_line(cells, index, height);
            self.y += height;
        }
        self.y += pad;
    }

    fn row_line(&mut self, cells: &[Cell], index: usize, height: f32) {
        let top = self.y;
        for cell in cells {
            if let Some((text, style)) = cell.lines.get(index) {
                self.text_at(cell, top, height, text, *style);
            }
        }
    }

    fn header_height(&self) -> f32 {
        if self.table.is_some() {
            leading(HEADING.size) + 5.0
        } else {
            0.0
        }
    }

    fn table_header(&mut self, columns: &Columns) {
        let cells: Vec<Cell> = columns
            .columns
            .iter()
            .map(|(label, x, width, align)| {
                Cell::new(*x, *width, *align).with(self.fonts, HEADING, label)
            })
            .collect();
        let (count, height) = row_metrics(&cells);
        for index in 0..count {
            self.row_line(&cells, index, height);
            self.y += height;
        }
        self.y += 2.0;
        self.rule(LEFT, RIGHT, 0.8, 0x40);
        self.y += 3.0;
    }

    /// Label–value pairs in two columns; pairs with an empty value are left out.
    fn key_values(&mut self, pairs: &[(&str, &str, Style)]) {
        let pairs: Vec<_> = pairs
            .iter()
            .filter(|(_, value, _)| !value.trim().is_empty())
            .collect();
        let face = self.fonts.face(LABEL.weight);
        let widest = pairs
            .iter()
            .map(|(label, _, _)| face.width(label, LABEL.size))
            .fold(0.0, f32::max);
        let label_width = widest.min(CONTENT_WIDTH / 3.0);
        let value_x = LEFT + label_width + COLUMN_GAP;
        for (label, value, style) in pairs {
            let cells = [
                Cell::new(LEFT, label_width, Align::Left).with(self.fonts, LABEL, label),
                Cell::new(value_x, RIGHT - value_x, Align::Left).with(self.fonts, *style, value),
            ];
            self.row(&cells);
        }
    }

    fn paragraph(&mut self, text: &str, style: Style) {
        self.row(&[Cell::new(LEFT, CONTENT_WIDTH, Align::Left).with(self.fonts, style, text)]);
    }

    /// The title and "page / pages" under a thin rule at the foot of every page; the title is
    /// left out where it would run into the page count.
    fn footer(&mut self, title: &str) {
        let total = self.pages.len();
        let height = leading(FOOTER.size);
        let top = FOOTER_BASELINE - height / 2.0;
        let baseline = baseline(top, height, FOOTER.size);
        let face = self.fonts.face(FOOTER.weight);
        let shaped_title = face.shape(title);
        for (index, page) in self.pages.iter_mut().enumerate() {
            let counter = format!("{} / {total}", index + 1);
            let shaped_counter = face.shape(&counter);
            let counter_width = shaped_counter.advance * FOOTER.size;
            page.push(Item::Rule {
                x1: LEFT,
                x2: RIGHT,
                y: top - 4.0,
                width: 0.3,
                gray: 0xb0,
            });
            if shaped_title.advance * FOOTER.size + COLUMN_GAP + counter_width <= CONTENT_WIDTH {
                page.push(Item::Text {
                    x: LEFT,
                    baseline,
                    style: FOOTER,
                    text: title.to_owned(),
                    shaped: shaped_title.clone(),
                });
            }
            page.push(Item::Text {
                x: RIGHT - counter_width,
                baseline,
                style: FOOTER,
                text: counter,
                shaped: shaped_counter,
            });
        }
    }
}

/// The number of lines of the tallest cell and the height of one line.
fn row_metrics(cells: &[Cell]) -> (usize, f32) {
    let count = cells.iter().map(|cell| cell.lines.len()).max().unwrap_or(0);
    let size = cells
        .iter()
        .flat_map(|cell| cell.lines.iter().map(|(_, style)| style.size))
        .fold(0.0, f32::max);
    (count, leading(size))
}

fn present(text: &str) -> bool {
    !text.trim().is_empty()
}

/// Lays out the whole invoice; the result has at least one page.
pub(crate) fn layout(doc: &InvoiceDocument, labels: &Labels, fonts: &Fonts) -> Vec<Vec<Item>> {
    let mut layout = Layout::new(fonts);
    let title = labels.title(&doc.number);
    layout.paragraph(&title, TITLE);
    layout.space(10.0);

    let paid_on = doc.paid_on.as_deref().unwrap_or("");
    layout.key_values(&[
        (labels.status, &doc.status, STRONG),
        (labels.issued, &doc.issued_on, BODY),
        (labels.paid, paid_on, BODY),
        (labels.payment_method, &doc.payment_method, BODY),
    ]);
    layout.space(20.0);

    parties(&mut layout, doc, labels);
    lines_table(&mut layout, doc, labels);
    totals(&mut layout, doc, labels);

    if present(&doc.comment) {
        layout.space(20.0);
        layout.paragraph(&doc.comment, COMMENT);
    }

    layout.footer(&title);
    layout.pages
}

/// The seller's and the payer's blocks, side by side; a block with nothing in it is left out.
fn parties(layout: &mut Layout<'_>, doc: &InvoiceDocument, labels: &Labels) {
    let fonts = layout.fonts;
    let width = (CONTENT_WIDTH - 2.0 * COLUMN_GAP) / 2.0;
    let mut seller = Cell::new(LEFT, width, Align::Left);
    if present(&doc.seller_name) {
        seller.push(fonts, NAME, &doc.seller_name);
    }
    if present(&doc.seller_address) {
        seller.push(fonts, BODY, &doc.seller_address);
    }
    if present(&doc.seller_tax_number) {
        seller.push(
            fonts,
            BODY,
            &format!("{}: {}", labels.tax_number, doc.seller_tax_number.trim()),
        );
    }
    if present(&doc.seller_bank_details) {
        seller.push(fonts, LABEL, labels.bank_details);
        seller.push(fonts, BODY, &doc.seller_bank_details);
    }

    let payer_x = LEFT + width + 2.0 * COLUMN_GAP;
    let mut payer = Cell::new(payer_x, width, Align::Left);
    if present(&doc.payer_name) {
        payer.push(fonts, NAME, &doc.payer_name);
    }
    if present(&doc.payer_address) {
        payer.push(fonts, BODY, &doc.payer_address);
    }
    if present(&doc.payer_tax_number) {
        payer.push(
            fonts,
            BODY,
            &format!("{}: {}", labels.tax_number, doc.payer_tax_number.trim()),
        );
    }

    let mut cells = Vec::new();
    for (heading, mut cell) in [(labels.seller, seller), (labels.payer, payer)] {
        if !cell.lines.is_empty() {
            let body = std::mem::take(&mut cell.lines);
            cell.push(fonts, HEADING, heading);
            cell.lines.extend(body);
            cells.push(cell);
        }
    }
    if !cells.is_empty() {
        layout.row(&cells);
        layout.space(22.0);
    }
}

/// The table of invoice lines: description, then quantity, tax and amount right-aligned.
/// A column that is empty on every line is left out; the header repeats on each page.
fn lines_table(layout: &mut Layout<'_>, doc: &InvoiceDocument, labels: &Labels) {
    if doc.lines.is_empty() {
        return;
    }
    let fonts = layout.fonts;
    let body = fonts.face(BODY.weight);
    let heading = fonts.face(HEADING.weight);
    type Field = fn(&crate::InvoiceLine) -> &str;
    let numeric: [(&str, Field); 3] = [
        (labels.quantity, |line| &line.quantity),
        (labels.tax, |line| &line.tax),
        (labels.amount, |line| &line.amount),
    ];
    // Each numeric column is as wide as its widest cell, within bounds; the description
    // takes what is left.
    let mut widths = Vec::new();
    for (label, field) in numeric {
        if !doc.lines.iter().any(|line| present(field(line))) {
            continue;
        }
        let widest = doc
            .lines
            .iter()
            .map(|line| body.width(field(line).trim(), BODY.size))
            .fold(heading.width(label, HEADING.size), f32::max);
        widths.push((label, field, widest.clamp(36.0, 120.0)));
    }
    let numeric_width: f32 = widths.iter().map(|(_, _, width)| width + COLUMN_GAP).sum();
    let description_width = CONTENT_WIDTH - numeric_width;

    let mut columns = vec![(
        labels.description.to_owned(),
        LEFT,
        description_width,
        Align::Left,
    )];
    let mut x = LEFT + description_width;
    for (label, _, width) in &widths {
        x += COLUMN_GAP;
        columns.push(((*label).to_owned(), x, *width, Align::Right));
        x += width;
    }
    let columns = Columns { columns };

    let header = leading(HEADING.size) + 5.0;
    let first_row = leading(BODY.size) + 6.0;
    layout.ensure(header + first_row);
    layout.table_header(&columns);
    layout.table = Some(columns.clone());
    for line in &doc.lines {
        let mut cells = vec![Cell::new(LEFT, description_width, Align::Left).with(
            fonts,
            BODY,
            &line.description,
        )];
        for ((_, x, width, align), (_, field, _)) in columns.columns.iter().skip(1).zip(&widths) {
            cells.push(Cell::new(*x, *width, *align).with(fonts, BODY, field(line).trim()));
        }
        layout.padded_row(&cells, 3.0);
        layout.rule(LEFT, RIGHT, 0.3, 0xc8);
    }
    layout.table = None;
}

/// The tax total and the total, right-aligned under the table and kept together.
fn totals(layout: &mut Layout<'_>, doc: &InvoiceDocument, labels: &Labels) {
    let fonts = layout.fonts;
    let rows: Vec<(&str, &str, Style)> = doc
        .taxes
        .iter()
        .map(|(label, value)| (label.as_str(), value.trim(), BODY))
        .chain([
            (labels.tax, doc.tax_total.trim(), BODY),
            (labels.total, doc.total.trim(), TOTAL),
        ])
        .filter(|(_, value, _)| !value.is_empty())
        .collect();
    if rows.is_empty() {
        return;
    }
    let value_width = rows
        .iter()
        .map(|(_, value, style)| fonts.face(style.weight).width(value, style.size))
        .fold(0.0, f32::max)
        .min(CONTENT_WIDTH / 2.0);
    let label_right = RIGHT - value_width - COLUMN_GAP;
    let label_width = CONTENT_WIDTH / 3.0;
    let label_x = label_right - label_width;
    let height: f32 = rows.iter().map(|(_, _, style)| leading(style.size)).sum();
    layout.ensure(height + 10.0);
    layout.space(8.0);
    for (label, value, style) in rows {
        let label_style = if style.weight == Weight::Bold {
            style
        } else {
            LABEL
        };
        layout.row(&[
            Cell::new(label_x, label_width, Align::Right).with(fonts, label_style, label),
            Cell::new(RIGHT - value_width, value_width, Align::Right).with(fonts, style, value),
        ]);
    }
}
