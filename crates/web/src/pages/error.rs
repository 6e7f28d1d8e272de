//! Error pages: the one mapping from a use case's [`AppError`] to what a panel user sees,
//! plus the 403, 404, "form expired", "too large" and "cannot be read" pages.
//!
//! Two ways in: [`fail`] for a handler that has its request context (the page keeps the
//! user's menu), and the refusals made around a handler (the rejecter: [`bare`],
//! [`forbidden`], [`form_expired`], [`too_large`], [`malformed`]), which know the request's
//! head and the caller the guard resolved. A signed-in caller reads those inside their own
//! layout too (their panel's menu, sign-out, language switch) and is offered their start
//! page, never "Sign in"; only a stranger gets the bare layout. [`bare_for`] knows headers
//! alone and always renders the bare layout. Either way the status is the one the API would
//! answer, the text is translated, and an unexpected error is logged once with its detail
//! while the user reads only "something went wrong on our side".

use crate::ctx::Ctx;
use crate::ctx::same_site_referer;
use crate::i18n::{Tr, locale_for};
use crate::layout::Ui;
use crate::panel::Panel;
use crate::render;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::header::RETRY_AFTER;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use bursar_app::error::Chain;
use bursar_app::{App, AppError, Principal};
use bursar_domain::{ErrorCode, functions};
use bursar_http::guard::Malformed;
use bursar_http::nul::NulIn;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

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
    let (status, title) = match e {
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid-title"),
        AppError::Unauthenticated | AppError::BadCredentials => {
            (StatusCode::UNAUTHORIZED, "error-unauthenticated-title")
        }
        AppError::AccountDisabled | AppError::Forbidden { .. } | AppError::Refused { .. } => {
            (StatusCode::FORBIDDEN, "error-forbidden-title")
        }
        AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "error-rate-limited-title"),
        AppError::NotFound { .. } => (StatusCode::NOT_FOUND, "error-not-found-title"),
        AppError::Conflict { .. } => (StatusCode::CONFLICT, "error-conflict-title"),
        AppError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "error-busy-title"),
        AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "error-internal-title"),
    };
    // One text per code; two codes also name what they are about.
    let code = e.code();
    let message = match e {
        AppError::RateLimited { retry_after_secs } => {
            tr.t1(&code.message_id(), "seconds", *retry_after_secs)
        }
        AppError::Forbidden { function } => forbidden_text(tr, function),
        _ => tr.error(code),
    };
    if status.is_server_error() {
        tracing::error!(error = %Chain(e), "panel request failed");
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
        &ErrorCode::Forbidden.message_id(),
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

/// Who a page rendered around a handler is for: a signed-in caller, inside their layout, or
/// a stranger, in the bare layout.
struct Frame {
    /// The signed-in caller's request context, when the guard resolved one.
    ctx: Option<Ctx>,
    signed_in: bool,
    tr: Tr,
    panel: Panel,
}

impl Frame {
    fn of(parts: &Parts) -> Frame {
        let signed_in = parts.extensions.get::<Principal>().is_some();
        match signed_ctx(parts) {
            Some(ctx) => Frame {
                tr: ctx.tr,
                panel: ctx.panel,
                ctx: Some(ctx),
                signed_in,
            },
            None => Frame {
                ctx: None,
                signed_in,
                tr: Tr::new(locale_for(None, &parts.headers)),
                panel: Panel::of_path(parts.uri.path()).unwrap_or(Panel::Client),
            },
        }
    }

    fn ui(&self, title_id: &str) -> Ui {
        match &self.ctx {
            Some(ctx) => Ui::new(ctx, title_id),
            None => Ui::bare(self.tr, self.panel, title_id),
        }
    }

    /// The way on: their start page when signed in, else the sign-in page.
    fn start_links(&self) -> Vec<Link> {
        start_links(self.tr, self.signed_in, self.panel)
    }

    /// "Back to the form" (the same-site page that sent it) before the way on.
    fn back_links(&self, parts: &Parts) -> Vec<Link> {
        let mut links = Vec::new();
        if let Some(back) = same_site_referer(&parts.headers) {
            links.push(Link {
                href: back,
                label: self.tr.t("error-action-reload"),
            });
        }
        links.extend(self.start_links());
        links
    }

    fn respond(&self, explained: Explained, links: Vec<Link>, retry: Option<u64>) -> Response {
        respond(self.ui(explained.title), explained, links, retry)
    }
}

/// The request context of the signed-in caller the guard resolved (the request's
/// [`Principal`] extension), set in the caller's own panel whichever panel's address was
/// refused. The rejecter is synchronous, and the context's extractor only reads the head
/// (it never waits), so it is polled once here; should it ever wait, the page falls back to
/// the bare layout rather than block.
fn signed_ctx(parts: &Parts) -> Option<Ctx> {
    let who = parts.extensions.get::<Principal>()?;
    // Without the application the extractor fails into `bare`, which would come back here.
    parts.extensions.get::<App>()?;
    let mut head = parts.clone();
    let mut extract = pin!(Ctx::from_request_parts(&mut head, &()));
    let mut ctx = match extract
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(Ok(ctx)) => ctx,
        Poll::Ready(Err(_)) | Poll::Pending => return None,
    };
    ctx.panel = Panel::of_kind(who.kind());
    Some(ctx)
}

/// The error page of a refusal made before any handler ran.
pub fn bare(parts: &Parts, e: AppError) -> Response {
    let frame = Frame::of(parts);
    let explained = explain(frame.tr, &e);
    frame.respond(explained, frame.start_links(), retry_after(&e))
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

/// 403 for a signed-in caller who lacks `function`, before any handler ran, inside their
/// layout. The way on is their own start page (`/` knows which), not the sign-in page.
pub fn forbidden(parts: &Parts, function: &'static str) -> Response {
    let e = AppError::Forbidden { function };
    let frame = Frame::of(parts);
    let explained = explain(frame.tr, &e);
    let links = start_links(frame.tr, true, frame.panel);
    frame.respond(explained, links, None)
}

/// 403 for a form whose CSRF token did not match: usually a page left open past its session.
pub fn form_expired(parts: &Parts) -> Response {
    let frame = Frame::of(parts);
    let explained = Explained {
        status: StatusCode::FORBIDDEN,
        title: "error-csrf-title",
        message: frame.tr.error(ErrorCode::CsrfTokenInvalid),
    };
    frame.respond(explained, frame.back_links(parts), None)
}

/// 413 for a form or upload larger than `limit` bytes, naming the limit.
pub fn too_large(parts: &Parts, limit: usize) -> Response {
    let frame = Frame::of(parts);
    let explained = Explained {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        title: "error-too-large-title",
        message: frame.tr.t1(
            &ErrorCode::PayloadTooLarge.message_id(),
            "limit",
            size_text(frame.tr, limit),
        ),
    };
    frame.respond(explained, frame.back_links(parts), None)
}

/// 400 for a request that cannot be read: an address or a form that is not text, or a
/// request a handler's extractor refused; a NUL character gets 400 in the address (a
/// query's, typed in a filter, offers the way back) and 422 in a form, as in the API.
pub fn malformed(parts: &Parts, m: Malformed) -> Response {
    let frame = Frame::of(parts);
    let tr = frame.tr;
    let (status, title, text, back) = match m {
        Malformed::Path => (
            StatusCode::BAD_REQUEST,
            "error-bad-address-title",
            tr.error(ErrorCode::InvalidPath),
            false,
        ),
        Malformed::Form => (
            StatusCode::BAD_REQUEST,
            "error-bad-form-title",
            tr.error(ErrorCode::MalformedForm),
            true,
        ),
        Malformed::Nul(at) if at.in_body() => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-nul-form-title",
            tr.t("error-nul-form-text"),
            true,
        ),
        Malformed::Nul(at) => (
            StatusCode::BAD_REQUEST,
            "error-nul-address-title",
            tr.t("error-nul-address-text"),
            at != NulIn::Path,
        ),
        Malformed::Other { status, .. } => (
            if status.is_client_error() {
                status
            } else {
                StatusCode::BAD_REQUEST
            },
            "error-bad-request-title",
            tr.error(ErrorCode::BadRequest),
            true,
        ),
    };
    let links = if back {
        frame.back_links(parts)
    } else {
        frame.start_links()
    };
    let explained = Explained {
        status,
        title,
        message: text,
    };
    frame.respond(explained, links, None)
}

/// A size limit as the user's language writes it (`64 KB`, `1 МБ`), rounded up.
fn size_text(tr: Tr, bytes: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * KB;
    if bytes >= MB {
        tr.t1("size-mb", "n", bytes.div_ceil(MB))
    } else {
        tr.t1("size-kb", "n", bytes.div_ceil(KB))
    }
}

/// 404 for an address of a panel that does not exist (the panels' catch-all routes).
pub async fn not_found(ctx: Ctx) -> Response {
    fail(&ctx, AppError::NotFound { what: "page" })
}

/// 405 for a panel address asked with a method it does not take: typically a POST-only
/// address (sign-out, language) opened in the browser. It runs outside the guard, so the
/// way on is the start page, which knows where the visitor belongs.
pub fn method_not_allowed(headers: &HeaderMap, path: &str) -> Response {
    let tr = Tr::new(locale_for(None, headers));
    let panel = Panel::of_path(path).unwrap_or(Panel::Client);
    let explained = Explained {
        status: StatusCode::METHOD_NOT_ALLOWED,
        title: "error-method-title",
        message: tr.error(ErrorCode::MethodNotAllowed),
    };
    let ui = Ui::bare(tr, panel, explained.title);
    respond(ui, explained, start_links(tr, true, panel), None)
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
            (AppError::internal_msg("secret detail"), 500),
        ];
        for (e, status) in cases {
            let explained = explain(tr, &e);
            assert_eq!(explained.status.as_u16(), status);
            assert!(!explained.message.contains("secret detail"));
        }
        let text = forbidden_text(tr, "history.view");
        assert!(text.contains("View the history of all records") && text.contains("history.view"));
    }

    #[test]
    fn limits_are_written_in_the_users_language() {
        assert_eq!(size_text(Tr::new(Locale::En), 64 * 1024), "64 KB");
        assert_eq!(size_text(Tr::new(Locale::En), 1024 * 1024), "1 MB");
        assert_eq!(size_text(Tr::new(Locale::Ru), 1024 * 1024), "1 МБ");
        assert_eq!(size_text(Tr::new(Locale::Ru), 1000), "1 КБ");
    }
}
