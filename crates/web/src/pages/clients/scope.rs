//! Whose users and payers a page shows: the client of the card (staff, under
//! `/admin/clients/{id}`) or the signed-in user's own client (client area, under `/client`).
//! Both kinds of page are built from the same code; only the address and the heading
//! differ, and the use case decides what each caller may do.

use super::card;
use super::view::Head;
use crate::ctx::Ctx;
use axum::response::Response;
use bursar_app::clients::ClientCard;
use bursar_app::{AppError, Principal};
use bursar_domain::ClientId;

pub struct Scope {
    pub client: ClientId,
    /// `/admin/clients/{id}` or `/client`.
    pub base: String,
    /// The card, for staff pages.
    pub card: Option<ClientCard>,
}

impl Scope {
    /// The client of the card in the path (staff).
    pub async fn staff(ctx: &Ctx, who: &Principal, raw: &str) -> Result<Scope, Response> {
        let card = card::load(ctx, who, raw).await?;
        Ok(Scope {
            client: card.client.id,
            base: card::card_path(card.client.id),
            card: Some(card),
        })
    }

    /// The signed-in client user's own client.
    pub fn own(who: &Principal) -> Result<Scope, AppError> {
        let client = who
            .user
            .client_id
            .ok_or(AppError::NotFound { what: "client" })?;
        Ok(Scope {
            client,
            base: "/client".to_owned(),
            card: None,
        })
    }

    /// The card's header on the tab `tab`, or a plain heading titled `title`.
    pub fn head(&self, ctx: &Ctx, who: &Principal, tab: &str, title: &str, lead: &str) -> Head {
        match &self.card {
            Some(card) => card::head(ctx, who, card, tab),
            None => Head::plain(ctx.tr.t(title)).lead(ctx.tr.t(lead)),
        }
    }
}
