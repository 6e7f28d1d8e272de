//! `/`: sends a visitor to where they belong, so the bare address of the server is a
//! usable bookmark for staff and clients alike.

use crate::ctx::Ctx;
use crate::panel::{Panel, start_of};
use crate::render::see_other;
use axum::response::Response;

/// Staff to the staff panel, clients to their area, anyone else to the client sign-in
/// (clients far outnumber staff, and the sign-in page links the other panel).
pub async fn show(ctx: Ctx) -> Response {
    match &ctx.principal {
        Some(who) => see_other(start_of(who)),
        None => see_other(Panel::Client.login()),
    }
}
