//! The panels' static files, embedded in the binary so a deployment is one file and nothing
//! is fetched from a CDN: the hand-written stylesheet, the vendored htmx and the favicon.
//!
//! Pages link them with a `?v=` fingerprint of their content, so browsers may cache them for
//! a year and still pick up a new version the moment the binary changes.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;

const CSS: &[u8] = include_bytes!("../assets/bursar.css");
const HTMX: &[u8] = include_bytes!("../assets/htmx.min.js");
const FAVICON: &[u8] = include_bytes!("../assets/favicon.svg");

pub const CSS_PATH: &str = "/assets/bursar.css";
pub const HTMX_PATH: &str = "/assets/htmx.min.js";
pub const FAVICON_PATH: &str = "/assets/favicon.svg";

static CSS_URL: LazyLock<String> =
    LazyLock::new(|| format!("{CSS_PATH}?v={:08x}", fingerprint(CSS)));
static HTMX_URL: LazyLock<String> =
    LazyLock::new(|| format!("{HTMX_PATH}?v={:08x}", fingerprint(HTMX)));
static FAVICON_URL: LazyLock<String> =
    LazyLock::new(|| format!("{FAVICON_PATH}?v={:08x}", fingerprint(FAVICON)));

/// FNV-1a: enough to tell two versions of a file apart, not a security hash.
fn fingerprint(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

pub fn css_url() -> String {
    CSS_URL.clone()
}

pub fn htmx_url() -> String {
    HTMX_URL.clone()
}

pub fn favicon_url() -> String {
    FAVICON_URL.clone()
}

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

pub async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

pub async fn htmx() -> Response {
    asset("text/javascript; charset=utf-8", HTMX)
}

pub async fn favicon() -> Response {
    asset("image/svg+xml", FAVICON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_change_with_content() {
        assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
        assert!(css_url().starts_with("/assets/bursar.css?v="));
        assert!(favicon_url().starts_with("/assets/favicon.svg?v="));
        assert!(!CSS.is_empty() && !HTMX.is_empty() && FAVICON.starts_with(b"<svg"));
    }
}
