//! Employee fields with rules: phone numbers (E.164) and avatars (seed 001: png, jpg, jpeg
//! or gif, at most 80×80 px and 64 KB, judged by content, never by the file name).

use crate::ErrorCode;
use crate::validation::Invalid;
use std::fmt;

/// A phone number in E.164 form: `+`, a country code not starting with 0, 8 to 15 digits in
/// all. Spaces, dashes, dots and brackets typed for readability are removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let compact: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let digits = compact.strip_prefix('+').unwrap_or_default();
        let ok = compact.starts_with('+')
            && (8..=15).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0');
        if ok {
            Ok(Self(compact))
        } else {
            Err(Invalid::field(
                field,
                ErrorCode::InvalidPhone,
                "must be an international number such as +44 20 7946 0958",
            ))
        }
    }

    pub fn from_trusted(value: String) -> Self {
        Self(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A checked avatar image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Avatar {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Avatar {
    pub const MAX_BYTES: usize = 64 * 1024;
    pub const MAX_SIDE: usize = 80;

    /// Accepts PNG, JPEG or GIF content of at most 64 KB and 80×80 pixels; the error names
    /// the limit that was broken.
    pub fn parse(bytes: Vec<u8>) -> Result<Self, Invalid> {
        let field = "avatar";
        if bytes.len() > Self::MAX_BYTES {
            return Err(Invalid::field(
                field,
                ErrorCode::AvatarTooLarge,
                format!("is {} KB; the limit is 64 KB", bytes.len().div_ceil(1024)),
            ));
        }
        let content_type = match imagesize::image_type(&bytes) {
            Ok(imagesize::ImageType::Png) => "image/png",
            Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
            Ok(imagesize::ImageType::Gif) => "image/gif",
            _ => {
                return Err(Invalid::field(
                    field,
                    ErrorCode::AvatarWrongType,
                    "must be a PNG, JPEG or GIF image",
                ));
            }
        };
        let size = imagesize::blob_size(&bytes).map_err(|_| {
            Invalid::field(
                field,
                ErrorCode::AvatarWrongType,
                "must be a PNG, JPEG or GIF image",
            )
        })?;
        if !ends_like(content_type, &bytes) {
            return Err(Invalid::field(
                field,
                ErrorCode::AvatarDamaged,
                "is cut short or damaged: the file does not end like a complete image",
            ));
        }
        if size.width > Self::MAX_SIDE || size.height > Self::MAX_SIDE {
            return Err(Invalid::field(
                field,
                ErrorCode::AvatarTooManyPixels,
                format!(
                    "is {}×{} px; the limit is 80×80 px",
                    size.width, size.height
                ),
            ));
        }
        Ok(Self {
            content_type,
            bytes,
        })
    }
}

/// The end every complete file of the type has: PNG's IEND chunk, JPEG's end-of-image
/// marker, GIF's trailer byte. Headers alone say nothing of the rest; a file cut short in
/// transfer has the right header and no end. (Full decoding would need an image library
/// far larger than this check is worth for 64 KB avatars.)
fn ends_like(content_type: &str, bytes: &[u8]) -> bool {
    const PNG_END: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];
    match content_type {
        "image/png" => bytes.ends_with(&PNG_END),
        // Some encoders pad after the end marker.
        "image/jpeg" => {
            let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
            bytes.get(..end).is_some_and(|b| b.ends_with(&[0xFF, 0xD9]))
        }
        "image/gif" => bytes.iter().rev().find(|b| **b != 0) == Some(&0x3B),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PNG (signature, IHDR, IEND) of the given size; enough for the checks.
    pub fn png(width: u32, height: u32) -> Vec<u8> {
        let mut b = vec![
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
        ];
        b.extend(width.to_be_bytes());
        b.extend(height.to_be_bytes());
        b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b.extend([0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
        b
    }

    fn code(r: Result<Avatar, Invalid>) -> &'static str {
        r.err()
            .and_then(|e| e.0.first().map(|f| f.code.as_str()))
            .unwrap_or("ok")
    }

    #[test]
    fn avatars_are_judged_by_content_and_limits() {
        assert_eq!(code(Avatar::parse(png(80, 80))), "ok");
        assert_eq!(code(Avatar::parse(png(81, 40))), "avatar_too_many_pixels");
        assert_eq!(
            code(Avatar::parse(
                b"GIF89a\x10\x00\x10\x00\x00\x00\x00\x3b".to_vec()
            )),
            "ok"
        );
        let mut cut = png(40, 40);
        cut.truncate(cut.len() - 12);
        assert_eq!(code(Avatar::parse(cut)), "avatar_damaged");
        assert_eq!(
            code(Avatar::parse(
                b"GIF89a\x10\x00\x10\x00\x00\x00\x00".to_vec()
            )),
            "avatar_damaged"
        );
        assert_eq!(
            code(Avatar::parse(
                b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec()
            )),
            "avatar_wrong_type"
        );
        assert_eq!(
            code(Avatar::parse(b"BM\x00\x00".to_vec())),
            "avatar_wrong_type"
        );
        let mut big = png(10, 10);
        big.resize(65 * 1024, 0);
        assert_eq!(code(Avatar::parse(big)), "avatar_too_large");
    }

    #[test]
    fn phones_must_be_international() {
        assert_eq!(
            Phone::parse("phone", "+44 20 7946-0958").map(|p| p.0),
            Ok("+442079460958".to_owned())
        );
        for bad in [
            "020 7946 0958",
            "+0123456789",
            "+12",
            "+1234567890123456",
            "+44 20 abc",
        ] {
            assert!(Phone::parse("phone", bad).is_err(), "{bad}");
        }
    }
}
