//! How the panels refuse a request the guard stopped. An API client wants problem+json; a
//! person in a browser wants to be sent to the sign-in page (and brought back afterwards),
//! or to read a translated page saying what is missing.
//!
//! The guard hands over the caller it resolved (the request's `Principal` extension), so a
//! signed-in user is refused inside their own layout, in their language; a stranger reads
//! the bare layout in the language of the `bursar_lang` cookie or `Accept-Language`.

use crate::pages::error;
use crate::panel::{Panel, local_path};
use crate::render::see_other;
use crate::url::encode;
use axum::http::Method;
use axum::http::request::Parts;
use axum::response::Response;
use bursar_app::Principal;
use bursar_http::guard::{Rejecter, Rejection};
use std::sync::Arc;

pub fn rejecter() -> Rejecter {
    Arc::new(|rejection, parts| match rejection {
        Rejection::Unauthenticated => to_login(parts),
        Rejection::Forbidden(function) => match own_home(parts) {
            Some(home) => see_other(home),
            None => error::forbidden(parts, function),
        },
        Rejection::Csrf => error::form_expired(parts),
        Rejection::TooLarge { limit } => error::too_large(parts, limit),
        Rejection::Malformed(m) => error::malformed(parts, m),
        Rejection::Error(e) => error::bare(parts, e),
    })
}

/// Where to send someone who opened the other panel's home page (an employee following the
/// login page's link to the client area, say): their own panel's dashboard.
fn own_home(parts: &Parts) -> Option<&'static str> {
    let path = parts.uri.path().trim_end_matches('/');
    let asked = Panel::of_path(parts.uri.path()).filter(|p| p.base() == path)?;
    let own = Panel::of_kind(parts.extensions.get::<Principal>()?.kind());
    (parts.method == Method::GET && own != asked).then(|| own.base())
}

/// `303` to the sign-in page of the panel the address belongs to, with `next` set to the
/// page asked for when it can be opened again with GET.
fn to_login(parts: &Parts) -> Response {
    let panel = Panel::of_path(parts.uri.path()).unwrap_or(Panel::Client);
    let wanted = parts.uri.path_and_query().map(|pq| pq.as_str());
    match wanted.and_then(local_path) {
        Some(next) if parts.method == Method::GET => {
            see_other(&format!("{}?next={}", panel.login(), encode(next)))
        }
        _ => see_other(panel.login()),
    }
}
