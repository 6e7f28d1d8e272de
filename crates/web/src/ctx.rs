//! What every panel handler needs to know about its request, gathered once by an extractor:
//! the application, the panel, the language, the signed-in user if any, and the CSRF value
//! its forms must carry. Handlers take [`Ctx`] (public pages) or [`Signed`] (pages behind a
//! non-public function), so none of them reads cookies or headers itself.
//!
//! Forms carry the session's CSRF token when signed in. Anonymous forms (sign-in, language
//! switch) use the double-submit `bursar_csrf` cookie, which the guard compares with the
//! form's `_csrf`; when the browser has none yet, a fresh value is chosen here and the page
//! that renders the form sets the cookie.

use crate::WebConfig;
use crate::i18n::{Tr, locale_for};
use crate::panel::{Panel, local_path};
use crate::render::see_other;
use axum::Extension;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{HOST, REFERER, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderName, Method};
use axum::response::Response;
use bursar_app::{App, AppError, Principal};
use bursar_http::cookies;
use bursar_http::guard::client_ip;

const HX_REQUEST: HeaderName = HeaderName::from_static("hx-request");
/// htmx asks for a whole page when it restores history it no longer has cached.
const HX_HISTORY_RESTORE: HeaderName = HeaderName::from_static("hx-history-restore-request");

#[derive(Clone)]
pub struct Ctx {
    pub app: App,
    pub cfg: WebConfig,
    pub tr: Tr,
    pub panel: Panel,
    pub principal: Option<Principal>,
    /// Path and query of this request, where the language switch comes back to.
    pub here: String,
    /// The value forms on this page put in `_csrf`.
    pub csrf: String,
    /// Set when `csrf` is a fresh anonymous value the response must set as a cookie.
    pub new_csrf_cookie: bool,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session cookie the browser sent, replaced on sign-in (session rotation).
    pub session_cookie: Option<String>,
    /// An htmx request, answered with the part of the page it asked for.
    pub htmx: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let app = parts.extensions.get::<App>().cloned().ok_or_else(|| {
            crate::pages::error::bare(
                parts,
                AppError::internal_msg("the application extension is not installed"),
            )
        })?;
        let cfg = parts
            .extensions
            .get::<WebConfig>()
            .cloned()
            .unwrap_or_default();
        let principal = parts.extensions.get::<Principal>().cloned();
        let path = parts.uri.path();
        let panel = Panel::of_path(path)
            .or_else(|| principal.as_ref().map(|p| Panel::of_kind(p.kind())))
            .unwrap_or(Panel::Client);
        // Where the language switch returns: this page, or for a form post (which cannot be
        // repeated by a GET) the page that held the form.
        let here = if matches!(parts.method, Method::GET | Method::HEAD) {
            let pq = parts.uri.path_and_query().map_or(path, |pq| pq.as_str());
            local_path(pq).map(str::to_owned)
        } else {
            same_site_referer(&parts.headers)
        }
        .unwrap_or_else(|| panel.base().to_owned());
        let session_csrf = principal
            .as_ref()
            .and_then(|p| p.session_csrf())
            .map(str::to_owned);
        let (csrf, new_csrf_cookie) =
            match (session_csrf, cookies::read(&parts.headers, cookies::CSRF)) {
                (Some(session), _) => (session, false),
                (None, Some(cookie)) => (cookie, false),
                (None, None) => (bursar_app::secrets::random_token(), true),
            };
        Ok(Ctx {
            tr: Tr::new(locale_for(principal.as_ref(), &parts.headers)),
            app,
            cfg,
            panel,
            principal,
            here,
            csrf,
            new_csrf_cookie,
            ip: client_ip(parts),
            user_agent: parts
                .headers
                .get(USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            session_cookie: cookies::read(&parts.headers, cookies::SESSION),
            htmx: parts.headers.contains_key(HX_REQUEST)
                && !parts.headers.contains_key(HX_HISTORY_RESTORE),
        })
    }
}

/// A page behind a non-public function: the context plus the signed-in user, who is sent to
/// the same page of their own panel when they open the other one (a client at
/// `/admin/profile` lands on `/client/profile`).
pub struct Signed {
    pub ctx: Ctx,
    pub who: Principal,
}

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        // The guard lets no anonymous caller through to a non-public function.
        let Some(who) = ctx.principal.clone() else {
            return Err(see_other(ctx.panel.login()));
        };
        let own = Panel::of_kind(who.kind());
        if own != ctx.panel {
            let target = if parts.method == Method::GET {
                own.translate(&ctx.here)
            } else {
                own.base().to_owned()
            };
            return Err(see_other(&target));
        }
        Ok(Signed { ctx, who })
    }
}

/// The path of the `Referer` when it is a page of this same site.
pub fn same_site_referer(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(HOST)?.to_str().ok()?;
    let referer = headers.get(REFERER)?.to_str().ok()?;
    let after_scheme = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let path = after_scheme.strip_prefix(host)?;
    local_path(path).map(str::to_owned)
}

/// Installs the panels' configuration for the extractors (a layer on each handler).
pub fn config_layer(cfg: &WebConfig) -> Extension<WebConfig> {
    Extension(cfg.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_a_same_site_referer_is_offered_back() {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_static("panel.example:8080"));
        h.insert(
            REFERER,
            HeaderValue::from_static("https://panel.example:8080/admin/login?next=%2Fadmin"),
        );
        assert_eq!(
            same_site_referer(&h).as_deref(),
            Some("/admin/login?next=%2Fadmin")
        );
        h.insert(
            REFERER,
            HeaderValue::from_static("https://evil.example/admin"),
        );
        assert_eq!(same_site_referer(&h), None);
    }
}
