//! "Log in as client" in the browser (seeds 002 and 004). The use case opens a client-area
//! session for the client's main user on the employee's behalf; here the employee's own
//! session cookie is put aside in a second HttpOnly cookie and the new session takes its
//! place, so the employee works in the client area with the client's rights only. Every
//! client page then shows a banner naming both, with a "Back to staff panel" button that
//! ends the client session and puts the employee's session back.
//!
//! The saved cookie is restored only when it still authenticates the employee who started
//! the impersonation; otherwise the browser is signed out of both and sent to sign in.

use super::Done;
use super::card::{card_path, parse_client};
use crate::ctx::{Ctx, Signed};
use crate::i18n::Tr;
use crate::pages::error;
use crate::panel::Panel;
use crate::render::{see_other, with_cookie};
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use bursar_app::Principal;
use bursar_http::cookies;

/// Where the banner's button (and the sign-out button while impersonating) posts.
pub const END_PATH: &str = "/client/impersonation/end";
/// The employee's own session secret while they work as a client.
pub const STAFF_SESSION: &str = "bursar_staff_session";

/// The banner on every client page while an employee works as the client.
pub struct Banner {
    pub text: String,
    pub action: &'static str,
    pub button: String,
}

/// The banner for `who`, when an employee is working as them.
pub fn banner(tr: Tr, who: &Principal) -> Option<Banner> {
    let staff = who.impersonator.as_ref()?;
    Some(Banner {
        text: tr.ta(
            "impersonation-banner",
            &[
                ("client", who.user.name.as_str().into()),
                ("login", who.user.login.as_str().into()),
                ("employee", staff.name.as_str().into()),
            ],
        ),
        action: END_PATH,
        button: tr.t("impersonation-back"),
    })
}

/// `POST /admin/clients/{id}/login-as`.
pub async fn start(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse_client(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    let secret = match ctx.app.login_as_client(&who, id).await {
        Ok(secret) => secret,
        Err(e) => return error::fail(&ctx, e),
    };
    let secure = ctx.cfg.secure_cookies;
    let mut res = see_other(Panel::Client.base());
    if let Some(own) = &ctx.session_cookie {
        res = with_cookie(res, &cookies::set(STAFF_SESSION, own, None, secure));
    }
    with_cookie(res, &cookies::set(cookies::SESSION, &secret, None, secure))
}

/// `POST /client/impersonation/end`: back to the client's card in the staff panel.
pub async fn end(ctx: Ctx, headers: HeaderMap) -> Response {
    let Some(who) = &ctx.principal else {
        return see_other(Panel::Client.login());
    };
    let Some(staff) = &who.impersonator else {
        return see_other(Panel::of_kind(who.kind()).base());
    };
    if let Err(e) = ctx.app.end_impersonation(who).await {
        return error::fail(&ctx, e);
    }
    let secure = ctx.cfg.secure_cookies;
    let forget_saved = cookies::set(STAFF_SESSION, "", Some(0), secure);
    let saved = cookies::read(&headers, STAFF_SESSION);
    let restored = match &saved {
        Some(secret) => ctx
            .app
            .authenticate_session(secret, ctx.ip.clone())
            .await
            .ok()
            .filter(|p| p.user.id == staff.id && p.impersonator.is_none()),
        None => None,
    };
    match (saved, restored) {
        (Some(secret), Some(_)) => {
            let target = match who.user.client_id {
                Some(client) => Done::Back.link(&card_path(client)),
                None => Panel::Admin.base().to_owned(),
            };
            let res = with_cookie(see_other(&target), &forget_saved);
            with_cookie(res, &cookies::set(cookies::SESSION, &secret, None, secure))
        }
        _ => {
            let res = with_cookie(see_other(Panel::Admin.login()), &forget_saved);
            with_cookie(res, &cookies::set(cookies::SESSION, "", Some(0), secure))
        }
    }
}
