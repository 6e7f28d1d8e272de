//! `GET /api/openapi.json` and the Swagger UI browser at `/api/docs`, whose assets are
//! vendored in this crate and embedded in the binary (nothing is fetched at build or run
//! time).

use axum::Extension;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use std::sync::Arc;

/// The rendered document, built once at start-up.
#[derive(Clone)]
pub struct OpenApiJson(pub Arc<String>);

pub async fn openapi_json(Extension(doc): Extension<OpenApiJson>) -> Response {
    (
        [(CONTENT_TYPE, "application/json")],
        doc.0.as_str().to_owned(),
    )
        .into_response()
}

pub async fn docs_page() -> Html<&'static str> {
    Html(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bursar API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>"#,
    )
}

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

pub async fn swagger_css() -> Response {
    asset(
        "text/css",
        include_bytes!("../assets/swagger-ui/swagger-ui.css"),
    )
}

pub async fn swagger_js() -> Response {
    asset(
        "text/javascript",
        include_bytes!("../assets/swagger-ui/swagger-ui-bundle.js"),
    )
}

/// Kept as a file rather than inline script so a strict Content-Security-Policy can apply.
pub async fn swagger_init() -> Response {
    asset(
        "text/javascript",
        b"window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' });",
    )
}
