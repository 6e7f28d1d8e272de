//! Reading one field of a `multipart/form-data` body that is already in memory. The guard
//! uses it to find the `_csrf` field of an upload form sent without JavaScript, and the panel
//! to find the uploaded file; parsing is `multer`'s (the parser behind axum's `Multipart`).

use axum::body::Bytes;
use std::convert::Infallible;

/// Whether a `Content-Type` announces a multipart form.
pub fn is_multipart(content_type: &str) -> bool {
    multer::parse_boundary(content_type).is_ok()
}

/// The content of the first field called `name`; `None` when the body is not a well-formed
/// multipart form or has no such field.
pub async fn field(content_type: &str, body: Bytes, name: &str) -> Option<Bytes> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Some(part) = form.next_field().await.ok()? {
        if part.name() == Some(name) {
            return part.bytes().await.ok();
        }
    }
    None
}

/// One part of a multipart form: a text field, or a file input (sent with a `filename`, which
/// is empty when no file was chosen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub is_file: bool,
    pub bytes: Bytes,
}

/// Every part of a multipart form, in order; `None` when the body is not a well-formed
/// multipart form.
pub async fn parts(content_type: &str, body: Bytes) -> Option<Vec<Part>> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut all = Vec::new();
    while let Some(part) = form.next_field().await.ok()? {
        let name = part.name().unwrap_or_default().to_owned();
        let is_file = part.file_name().is_some();
        let bytes = part.bytes().await.ok()?;
        all.push(Part {
            name,
            is_file,
            bytes,
        });
    }
    Some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(parts: &[(&str, &[u8])]) -> Bytes {
        let mut b = Vec::new();
        for (name, content) in parts {
            b.extend(format!("--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"f\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
            b.extend(*content);
            b.extend(b"\r\n");
        }
        b.extend(b"--XyZ--\r\n");
        Bytes::from(b)
    }

    #[tokio::test]
    async fn finds_the_named_field_of_a_multipart_body() {
        let image: &[u8] = b"\x89PNG\r\n\x1a\n--not-a-boundary\r\n";
        let b = body(&[("_csrf", b"token"), ("avatar", image)]);
        let ct = "multipart/form-data; boundary=XyZ";
        assert!(is_multipart(ct));
        assert_eq!(field(ct, b.clone(), "avatar").await.as_deref(), Some(image));
        assert_eq!(
            field(ct, b.clone(), "_csrf").await.as_deref(),
            Some(&b"token"[..])
        );
        let quoted = "multipart/form-data; boundary=\"XyZ\"";
        assert_eq!(
            field(quoted, b.clone(), "avatar").await.as_deref(),
            Some(image)
        );
        assert_eq!(field(ct, b.clone(), "other").await, None);
        assert!(!is_multipart("application/x-www-form-urlencoded"));
        assert_eq!(
            field("application/x-www-form-urlencoded", b, "avatar").await,
            None
        );
        assert_eq!(
            field(ct, Bytes::from_static(b"garbage"), "avatar").await,
            None
        );
    }

    #[tokio::test]
    async fn reads_every_part_and_tells_files_from_text() {
        let mut b =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nolga\r\n".to_vec();
        b.extend(body(&[("avatar", b"img")]));
        let ct = "multipart/form-data; boundary=XyZ";
        let all: Vec<(String, bool, Vec<u8>)> = parts(ct, Bytes::from(b))
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.name, p.is_file, p.bytes.to_vec()))
            .collect();
        assert_eq!(
            all,
            vec![
                ("login".to_owned(), false, b"olga".to_vec()),
                ("avatar".to_owned(), true, b"img".to_vec()),
            ]
        );
        assert_eq!(parts(ct, Bytes::from_static(b"garbage")).await, None);
    }
}
