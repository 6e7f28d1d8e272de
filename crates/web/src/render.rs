//! Turning a rendered template into a response, in one place: the content type, `no-store`
//! (pages carry CSRF tokens and, once, a token secret), and the anonymous CSRF cookie when
//! the page's forms need one. A template that fails to render is logged and answered with a
//! plain 500 page; nothing of the failure reaches the browser.

use crate::ctx::Ctx;
use askama::Template;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bursar_http::cookies;

const FALLBACK_500: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Bursar</title></head>\
<body><h1>500</h1><p>Something went wrong on our side; it has been logged.</p></body></html>";

/// A full page (or an htmx fragment) with `status`.
pub fn page(ctx: &Ctx, status: StatusCode, template: &impl Template) -> Response {
    let mut res = html(status, template);
    if ctx.new_csrf_cookie
        && let Ok(v) = HeaderValue::from_str(&cookies::set(
            cookies::CSRF,
            &ctx.csrf,
            None,
            ctx.cfg.secure_cookies,
        ))
    {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}

/// A rendered template without any request context (error pages of the rejecter).
pub fn html(status: StatusCode, template: &impl Template) -> Response {
    let (status, body) = match template.render() {
        Ok(body) => (status, body),
        Err(error) => {
            tracing::error!(%error, "a panel template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, FALLBACK_500.to_owned())
        }
    };
    (
        status,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// `303 See Other` to a local path: after a form post the browser loads the target with GET.
pub fn see_other(location: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(LOCATION, v);
    }
    res
}

/// Adds a `Set-Cookie` header.
pub fn with_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}
