//! The two embedded fonts, text shaping (rustybuzz) and word wrapping by measured width.
//!
//! Text is shaped once per drawn line: the same glyphs that were measured for alignment and
//! wrapping are the ones handed to krilla, so a right-aligned amount ends exactly at its edge.

use std::cell::RefCell;
use std::collections::BTreeSet;

use krilla::text::{Font, GlyphId, KrillaGlyph};

use crate::PdfError;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Which of the two embedded faces a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// One font face, parsed twice: by krilla (to embed it) and by rustybuzz (to shape with it).
pub(crate) struct Face {
    pub(crate) pdf: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
    /// Shaping plans by the properties of the text they shape: making a plan is most of the
    /// cost of shaping a short string, and an invoice needs one or two.
    plans: RefCell<Vec<Plan>>,
}

struct Plan {
    direction: rustybuzz::Direction,
    script: rustybuzz::Script,
    language: Option<rustybuzz::Language>,
    plan: rustybuzz::ShapePlan,
}

impl Plan {
    fn fits(&self, buffer: &rustybuzz::UnicodeBuffer) -> bool {
        self.direction == buffer.direction()
            && self.script == buffer.script()
            && self.language == buffer.language()
    }
}

impl Face {
    fn load(name: &'static str, data: &'static [u8]) -> Result<Self, PdfError> {
        let pdf = Font::new(data.into(), 0).ok_or(PdfError::Font(name))?;
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or(PdfError::Font(name))?;
        let units_per_em = shaper.units_per_em();
        if units_per_em <= 0 {
            return Err(PdfError::Font(name));
        }
        Ok(Self {
            pdf,
            shaper,
            units_per_em: units_per_em as f32,
            plans: RefCell::new(Vec::new()),
        })
    }

    /// Shapes one line of text (no line breaks in it).
    pub(crate) fn shape(&self, text: &str) -> Shaped {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let mut plans = self.plans.borrow_mut();
        if !plans.iter().any(|plan| plan.fits(&buffer)) {
            let script = buffer.script();
            let language = buffer.language();
            plans.push(Plan {
                direction: buffer.direction(),
                script,
                plan: rustybuzz::ShapePlan::new(
                    &self.shaper,
                    buffer.direction(),
                    // `script()` reports a buffer without a script as UNKNOWN.
                    (script != rustybuzz::script::UNKNOWN).then_some(script),
                    language.as_ref(),
                    &[],
                ),
                language,
            });
        }
        let output = match plans.iter().find(|plan| plan.fits(&buffer)) {
            Some(plan) => rustybuzz::shape_with_plan(&self.shaper, &plan.plan, buffer),
            None => rustybuzz::shape(&self.shaper, &[], buffer),
        };

        // A glyph stands for the text from its cluster up to the next cluster, in logical order
        // whatever the direction: that is what lets a reader copy the text back out.
        let clusters: BTreeSet<usize> = output
            .glyph_infos()
            .iter()
            .map(|info| info.cluster as usize)
            .collect();
        let em = self.units_per_em;
        let mut advance = 0.0;
        let glyphs = output
            .glyph_infos()
            .iter()
            .zip(output.glyph_positions())
            .map(|(info, pos)| {
                let start = info.cluster as usize;
                let end = clusters
                    .range(start.saturating_add(1)..)
                    .next()
                    .copied()
                    .unwrap_or(text.len());
                let x_advance = pos.x_advance as f32 / em;
                advance += x_advance;
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    x_advance,
                    pos.x_offset as f32 / em,
                    pos.y_offset as f32 / em,
                    pos.y_advance as f32 / em,
                    start..end,
                    None,
                )
            })
            .collect();
        Shaped { glyphs, advance }
    }

    /// The width of one line of text at `size` points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text).advance * size
    }
}

/// Shaped text: glyphs with advances in ems.
#[derive(Clone)]
pub(crate) struct Shaped {
    pub(crate) glyphs: Vec<KrillaGlyph>,
    /// The total advance in ems (multiply by the font size for points).
    pub(crate) advance: f32,
}

pub(crate) struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    pub(crate) fn load() -> Result<Self, PdfError> {
        Ok(Self {
            regular: Face::load("DejaVuSans.ttf", REGULAR)?,
            bold: Face::load("DejaVuSans-Bold.ttf", BOLD)?,
        })
    }

    pub(crate) fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

/// Replaces control characters (tabs, stray carriage returns, NULs) by spaces, keeping line
/// feeds: they would otherwise be drawn as the font's "missing glyph" box.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// Splits `text` into lines no wider than `max_width` points: at line feeds, then between
/// words, and inside a word only when the word alone is too wide (an IBAN, a long URL).
/// Blank lines inside the text are kept; leading and trailing ones are dropped.
///
/// A paragraph that fits is measured once; one that does not is filled word by word with the
/// widths of its words and of a space added up (kerning across a space is not worth shaping
/// every candidate line for).
pub(crate) fn wrap(face: &Face, size: f32, text: &str, max_width: f32) -> Vec<String> {
    let text = clean(text);
    let space = face.width(" ", size);
    let mut lines = Vec::new();
    for paragraph in text.trim_matches(|c: char| c.is_whitespace()).split('\n') {
        let words: Vec<&str> = paragraph.split_whitespace().collect();
        let joined = words.join(" ");
        if face.width(&joined, size) <= max_width {
            lines.push(joined);
            continue;
        }
        let mut current = String::new();
        let mut current_width = 0.0;
        for word in words {
            let width = face.width(word, size);
            if !current.is_empty() && current_width + space + width <= max_width {
                current.push(' ');
                current.push_str(word);
                current_width += space + width;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            if width <= max_width {
                current = word.to_owned();
                current_width = width;
                continue;
            }
            // A word wider than the line: break it between characters.
            current_width = 0.0;
            let mut buffer = [0; 4];
            for c in word.chars() {
                let width = face.width(c.encode_utf8(&mut buffer), size);
                if !current.is_empty() && current_width + width > max_width {
                    lines.push(std::mem::take(&mut current));
                    current_width = 0.0;
                }
                current.push(c);
                current_width += width;
            }
        }
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let fonts = Fonts::load().unwrap();
        let face = fonts.face(Weight::Regular);
        let text = "Виртуальный сервер VPS-4 с резервным копированием и защитой от DDoS-атак, \
                    продление на двенадцать месяцев\n\nDE89370400440532013000DE89370400440532013000";
        let lines = wrap(face, 10.0, text, 120.0);
        assert!(lines.len() > 4, "{lines:?}");
        for line in &lines {
            assert!(face.width(line, 10.0) <= 120.0, "too wide: {line:?}");
        }
        assert!(
            lines.contains(&String::new()),
            "the blank line is kept: {lines:?}"
        );
        let joined: String = lines.concat().split_whitespace().collect();
        let original: String = text.split_whitespace().collect();
        assert_eq!(joined, original);
    }

    #[test]
    fn control_characters_become_spaces_and_blank_text_has_one_empty_line() {
        let fonts = Fonts::load().unwrap();
        let face = fonts.face(Weight::Regular);
        assert_eq!(wrap(face, 10.0, "a\tb\r\nc\0d", 500.0), ["a b", "c d"]);
        assert_eq!(wrap(face, 10.0, "  \n ", 500.0), [""]);
    }

    #[test]
    fn glyph_ranges_cover_the_text() {
        let fonts = Fonts::load().unwrap();
        let text = "Итого: 12.00 EUR";
        let shaped = fonts.face(Weight::Bold).shape(text);
        assert_eq!(shaped.glyphs.len(), text.chars().count());
        assert_eq!(shaped.glyphs[0].text_range, 0..2);
        assert_eq!(shaped.glyphs.last().unwrap().text_range.end, text.len());
        assert!(shaped.advance > 5.0);
    }
}
