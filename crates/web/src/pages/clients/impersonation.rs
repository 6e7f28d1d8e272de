//! "Log in as client" in the browser (seeds 002 and 004). The use case opens a client-area
//! session for the client's main user on the employee's behalf; its secret goes into a second
//! HttpOnly cookie that the browser sends with `/client` pages only, so the employee works in
//! the client area with the client's rights in one tab while their own session keeps the
//! staff panel in another. Every client page shows a banner naming both, with a "Back to
//! staff panel" button that ends the client session.

use super::Done;
use super::card::{card_path, parse_client};
use crate::ctx::{Ctx, Signed};
use crate::i18n::Tr;
use crate::pages::error;
use crate::panel::Panel;
use crate::render::{see_other, with_cookie};
use axum::extract::Path;
use axum::response::Response;
use bursar_app::Principal;
use bursar_http::cookies;

/// Where the banner's button (and the sign-out button while impersonating) posts.
pub const END_PATH: &str = "/client/impersonation/end";

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
    let cookie = cookies::set_at(
        cookies::CLIENT_SESSION,
        &secret,
        cookies::CLIENT_PATH,
        None,
        ctx.cfg.secure_cookies,
    );
    with_cookie(see_other(Panel::Client.base()), &cookie)
}

/// The `Set-Cookie` that forgets the session as a client.
pub fn forget_client_session(secure: bool) -> String {
    cookies::set_at(
        cookies::CLIENT_SESSION,
        "",
        cookies::CLIENT_PATH,
        Some(0),
        secure,
    )
}

/// `POST /client/impersonation/end`: the client session ends; back to the client's card in
/// the staff panel, where the employee's own session never stopped.
pub async fn end(ctx: Ctx) -> Response {
    let Some(who) = &ctx.principal else {
        return see_other(Panel::Client.login());
    };
    if who.impersonator.is_none() {
        return see_other(Panel::of_kind(who.kind()).base());
    }
    if let Err(e) = ctx.app.end_impersonation(who).await {
        return error::fail(&ctx, e);
    }
    let target = match who.user.client_id {
        Some(client) => Done::Back.link(&card_path(client)),
        None => Panel::Admin.base().to_owned(),
    };
    with_cookie(
        see_other(&target),
        &forget_client_session(ctx.cfg.secure_cookies),
    )
}
