//! Error pages: the one mapping from a use case's [`AppError`] to what a panel user sees,
//! plus the 403, 404 and "form expired" pages.
//!
//! Two ways in: [`fail`] for a handler that has its request context (the page keeps the
//! user's menu), and [`bare`] for refusals made before any handler ran (the rejecter, a
//! malformed form), where only the headers are known. Either way the status is the one the
//! API would answer, the text is translated, and an unexpected error is logged once with
//! its detail while the user reads only "something went wrong on our side".

use crate::ctx::Ctx;
use crate::ctx::same_site_referer;
use crate::i18n::{Tr, locale_for};
use crate::layout::Ui;
use crate::panel::Panel;
use crate::render;
use askama::Template;
use axum::http::header::RETRY_AFTER;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use bursar_app::AppError;
use bursar_domain::functions;

pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ui: Ui,
    pub code: u16,
    pub message: String,
    pub links: Vec<Link>,
}

/// What one error means to the user.
struct Explained {
    status: StatusCode,
    title: &'static str,
    message: String,
}

fn explain(tr: Tr, e: &AppError) -> Explained {
    let (status, title, message) = match e {
        AppError::Invalid(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-invalid-title",
            tr.t("error-invalid-text"),
        ),
        AppError::Unauthenticated => (
            StatusCode::UNAUTHORIZED,
            "error-unauthenticated-title",
            tr.t("error-unauthenticated-text"),
        ),
        AppError::BadCredentials => (
            StatusCode::UNAUTHORIZED,
            "error-unauthenticated-title",
            tr.t("login-failed"),
        ),
        AppError::AccountDisabled => (
            StatusCode::FORBIDDEN,
            "error-forbidden-title",
            tr.t("login-disabled"),
        ),
        AppError::RateLimited { retry_after_secs } => (
            StatusCode::TOO_MANY_REQUESTS,
            "error-rate-limited-title",
            tr.t1("login-rate-limited", "seconds", *retry_after_secs),
        ),
        AppError::Forbidden { function } => (
            StatusCode::FORBIDDEN,
            "error-forbidden-title",
            forbidden_text(tr, function),
        ),
        AppError::Refused { code, .. } => (
            StatusCode::FORBIDDEN,
            "error-forbidden-title",
            tr.by_code("refused", code, "error-refused-text"),
        ),
        AppError::NotFound { .. } => (
            StatusCode::NOT_FOUND,
            "error-not-found-title",
            tr.t("error-not-found-text"),
        ),
        AppError::Conflict { code, .. } => (
            StatusCode::CONFLICT,
            "error-conflict-title",
            tr.by_code("conflict", code, "error-conflict-text"),
        ),
        AppError::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            "error-busy-title",
            tr.t("error-busy-text"),
        ),
        AppError::Internal(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "error-internal-title",
            tr.t("error-internal-text"),
        ),
    };
    if status.is_server_error() {
        tracing::error!(error = %e, "panel request failed");
    }
    Explained {
        status,
        title,
        message,
    }
}

fn forbidden_text(tr: Tr, key: &str) -> String {
    let name = functions::find(key).map_or(key, |f| f.name(tr.locale()));
    tr.ta(
        "error-forbidden-text",
        &[("function", name.into()), ("key", key.into())],
    )
}

fn respond(ui: Ui, explained: Explained, links: Vec<Link>, retry_after: Option<u64>) -> Response {
    let page = ErrorPage {
        ui,
        code: explained.status.as_u16(),
        message: explained.message,
        links,
    };
    let mut res = render::html(explained.status, &page);
    if let Some(secs) = retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        res.headers_mut().insert(RETRY_AFTER, v);
    }
    res
}

fn retry_after(e: &AppError) -> Option<u64> {
    match e {
        AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
        _ => None,
    }
}

/// The error page of a handler's failed use case, inside the user's layout.
pub fn fail(ctx: &Ctx, e: AppError) -> Response {
    let explained = explain(ctx.tr, &e);
    let ui = Ui::new(ctx, explained.title);
    let links = start_links(ctx.tr, ctx.principal.is_some(), ctx.panel);
    respond(ui, explained, links, retry_after(&e))
}

/// The error page of a refusal made before any handler ran.
pub fn bare(parts: &Parts, e: AppError) -> Response {
    bare_for(&parts.headers, parts.uri.path(), e)
}

/// [`bare`] from the request's headers and path alone.
pub fn bare_for(headers: &HeaderMap, path: &str, e: AppError) -> Response {
    let tr = Tr::new(locale_for(None, headers));
    let panel = Panel::of_path(path).unwrap_or(Panel::Client);
    let explained = explain(tr, &e);
    let ui = Ui::bare(tr, panel, explained.title);
    let links = start_links(tr, false, panel);
    respond(ui, explained, links, retry_after(&e))
}

/// 403 for a signed-in caller who lacks `function`, before any handler ran. The way on is
/// their own start page (`/` knows which), not the sign-in page.
pub fn forbidden(parts: &Parts, function: &'static str) -> Response {
    let e = AppError::Forbidden { function };
    let tr = Tr::new(locale_for(None, &parts.headers));
    let panel = Panel::of_path(parts.uri.path()).unwrap_or(Panel::Client);
    let explained = explain(tr, &e);
    let ui = Ui::bare(tr, panel, explained.title);
    respond(ui, explained, start_links(tr, true, panel), None)
}

/// 403 for a form whose CSRF token did not match: usually a page left open past its session.
pub fn form_expired(parts: &Parts) -> Response {
    let tr = Tr::new(locale_for(None, &parts.headers));
    let panel = Panel::of_path(parts.uri.path()).unwrap_or(Panel::Client);
    let ui = Ui::bare(tr, panel, "error-csrf-title");
    let mut links = Vec::new();
    if let Some(back) = same_site_referer(&parts.headers) {
        links.push(Link {
            href: back,
            label: tr.t("error-action-reload"),
        });
    }
    links.extend(start_links(tr, false, panel));
    let explained = Explained {
        status: StatusCode::FORBIDDEN,
        title: "error-csrf-title",
        message: tr.t("error-csrf-text"),
    };
    respond(ui, explained, links, None)
}

/// 404 for an address of a panel that does not exist (the panels' catch-all routes).
pub async fn not_found(ctx: Ctx) -> Response {
    fail(&ctx, AppError::NotFound { what: "page" })
}

fn start_links(tr: Tr, signed_in: bool, panel: Panel) -> Vec<Link> {
    if signed_in {
        vec![Link {
            href: "/".to_owned(),
            label: tr.t("error-action-home"),
        }]
    } else {
        vec![Link {
            href: panel.login().to_owned(),
            label: tr.t("error-action-sign-in"),
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bursar_domain::Locale;

    #[test]
    fn errors_map_to_the_statuses_of_the_api() {
        let tr = Tr::new(Locale::En);
        let cases = [
            (AppError::NotFound { what: "token" }, 404),
            (
                AppError::Forbidden {
                    function: "history.view",
                },
                403,
            ),
            (
                AppError::RateLimited {
                    retry_after_secs: 5,
                },
                429,
            ),
            (AppError::Busy, 503),
            (AppError::Internal("secret detail".into()), 500),
        ];
        for (e, status) in cases {
            let explained = explain(tr, &e);
            assert_eq!(explained.status.as_u16(), status);
            assert!(!explained.message.contains("secret detail"));
        }
        let text = forbidden_text(tr, "history.view");
        assert!(text.contains("View the history of all records") && text.contains("history.view"));
    }
}
