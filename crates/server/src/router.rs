//! Assembles the API and the panels into one router, with the cross-cutting layers: request
//! ids, tracing, a body size limit, panic catching, and problem+json for unknown routes and
//! methods.

use crate::forwarded::{TrustedProxies, real_client};
use axum::Extension;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, Uri};
use axum::middleware::from_fn;
use axum::response::{IntoResponse, Response};
use bursar_app::App;
use bursar_domain::ErrorCode;
use bursar_http::api::HttpConfig;
use bursar_http::docs::OpenApiJson;
use bursar_http::problem::Problem;
use bursar_http::{RouteDecl, openapi};
use bursar_web::WebConfig;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted anywhere (JSON and forms). The guard's, so that it reads
/// forms up to exactly what the handlers accept and refuses larger ones as too large.
pub use bursar_http::guard::BODY_LIMIT;
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub struct Built {
    pub router: Router,
    pub decls: Vec<RouteDecl>,
}

/// How the router is set up for one deployment.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Mark cookies Secure (served over HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the caller's address.
    pub trusted_proxies: TrustedProxies,
}

pub fn build(app: App, options: Options) -> Built {
    let Options {
        secure_cookies,
        trusted_proxies,
    } = options;
    let guarded = bursar_http::api::routes(app.clone()).merge(bursar_web::routes(
        app.clone(),
        WebConfig { secure_cookies },
    ));
    let (router, decls) = guarded.into_parts();
    let doc = openapi::document(&decls);
    let doc_json = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let router = router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(Extension(app))
        .layer(Extension(HttpConfig { secure_cookies }))
        .layer(Extension(OpenApiJson(Arc::new(doc_json))))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CatchPanicLayer::custom(|_| {
            Problem::internal()
                .into_response()
        }))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), uri = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(from_fn(move |req, next| real_client(trusted_proxies.clone(), req, next)))
        // No page may be framed by another site (clickjacking of the panels' confirm
        // buttons), nor its type guessed; links to other sites get no path.
        .layer(SetResponseHeaderLayer::if_not_present(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(CONTENT_SECURITY_POLICY, HeaderValue::from_static("frame-ancestors 'none'")))
        .layer(SetResponseHeaderLayer::if_not_present(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        // Answers carry session tokens and personal data: no cache keeps them, unless a
        // handler says otherwise (the static assets do).
        .layer(SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid));
    Built { router, decls }
}

async fn not_found() -> impl IntoResponse {
    Problem::not_found()
}

/// A page for the panels (a POST-only address opened in a browser), problem+json elsewhere.
async fn method_not_allowed(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    let panel = ["/admin", "/client"]
        .iter()
        .any(|base| path == *base || path.starts_with(&format!("{base}/")));
    if panel || path == "/language" {
        return bursar_web::method_not_allowed_page(&headers, path);
    }
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "This address does not accept this method.",
    )
    .into_response()
}
