//! A client's orders, staff side (seed 000): the client's order history, and step 1 of
//! placing an order for the client ("select a provider"). The client list itself is in
//! `client_list`.
//!
//! Orders do not exist in the product yet, so the history is an empty table with the
//! columns seed 000 names, and step 1 stops at choosing one of the client's providers:
//! tariffs and the cart come with the catalogue. What these pages already settle is who may
//! open them: the history needs `client.order.history`, the "Create order" button appears
//! only for `client.order.create`, and the guard refuses the order pages to anyone without
//! it, however they got the address. An order placed here will run with the client's rights
//! (seed 000), which is the catalogue's use case to enforce.

use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use crate::url::with_query;
use crate::view::Errors;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::clients::ClientCard;
use bursar_app::{AppError, Principal};
use bursar_domain::ClientId;
use bursar_domain::functions::f;

const CLIENTS: &str = "/admin/clients";

fn parse_id(id: &str) -> Result<ClientId, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound { what: "client" })
}

#[derive(Template)]
#[template(path = "staff/client_orders.html")]
pub struct OrdersPage {
    ui: Ui,
    /// The client's name and e-mail, for a reader of the client card.
    client: Option<(String, String)>,
    list_href: Option<&'static str>,
    new_href: Option<String>,
}

/// The client card when the caller may read it (`client.list`), else `None`: the order
/// functions do not include the card, so someone holding only them sees the pages without
/// the client's name and providers. An order use case guarded by the order functions, with
/// the client's name and providers (and a 404 for an unknown client), replaces this once
/// orders exist.
async fn card(ctx: &Ctx, who: &Principal, id: ClientId) -> Result<Option<ClientCard>, AppError> {
    if who.may(f::CLIENT_LIST) {
        ctx.app.client_card(who, id).await.map(Some)
    } else {
        Ok(None)
    }
}

/// `GET /admin/clients/{id}/orders`: the client's order history.
pub async fn history(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    let card = match card(&ctx, &who, id).await {
        Ok(c) => c,
        Err(e) => return error::fail(&ctx, e),
    };
    let page = OrdersPage {
        ui: Ui::new(&ctx, "orders-title"),
        client: card
            .as_ref()
            .map(|c| (c.client.name.to_string(), c.client.email.to_string())),
        list_href: who.may(f::CLIENT_LIST).then_some(CLIENTS),
        new_href: who
            .may(f::CLIENT_ORDER_CREATE)
            .then(|| format!("{CLIENTS}/{id}/orders/new")),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

pub struct ProviderChoice {
    pub id: String,
    pub name: String,
    pub currency: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "staff/order_new.html")]
pub struct NewOrderPage {
    ui: Ui,
    client: Option<String>,
    action: String,
    orders_href: String,
    /// `None`: the caller may not read the client card, where the providers are.
    providers: Option<Vec<ProviderChoice>>,
    errors: Errors,
}

fn render_new(
    ctx: &Ctx,
    id: ClientId,
    card: Option<&ClientCard>,
    chosen: &str,
    status: StatusCode,
    errors: Errors,
) -> Response {
    let mut ui = Ui::new(ctx, "order-new-title");
    let connected =
        |p: &str| card.is_some_and(|c| c.providers.iter().any(|x| x.id.to_string() == p));
    if status == StatusCode::OK && connected(chosen) {
        ui = ui.with_flash("info", "order-catalogue-notice");
    }
    let page = NewOrderPage {
        ui,
        client: card.map(|c| c.client.name.to_string()),
        action: format!("{CLIENTS}/{id}/orders/new"),
        orders_href: format!("{CLIENTS}/{id}/orders"),
        providers: card.map(|c| {
            let only = c.providers.len() == 1;
            c.providers
                .iter()
                .map(|p| {
                    let pid = p.id.to_string();
                    ProviderChoice {
                        checked: only || pid == chosen,
                        id: pid,
                        name: p.name.clone(),
                        currency: p.currency_code.clone(),
                    }
                })
                .collect()
        }),
        errors,
    };
    render::page(ctx, status, &page)
}

/// `GET /admin/clients/{id}/orders/new`: step 1, choose one of the client's providers.
pub async fn new_order(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    match card(&ctx, &who, id).await {
        Ok(card) => render_new(
            &ctx,
            id,
            card.as_ref(),
            params.get("provider"),
            StatusCode::OK,
            Errors::default(),
        ),
        Err(e) => error::fail(&ctx, e),
    }
}

/// `POST /admin/clients/{id}/orders/new`: "Next". The provider must be one of the client's;
/// step 2 (tariffs) arrives with the catalogue, so the page comes back saying so.
pub async fn choose_provider(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    let card = match card(&ctx, &who, id).await {
        Ok(c) => c,
        Err(e) => return error::fail(&ctx, e),
    };
    let chosen = form.get("provider");
    let known = card
        .as_ref()
        .is_some_and(|c| c.providers.iter().any(|p| p.id.to_string() == chosen));
    if known {
        return see_other(&with_query(
            &format!("{CLIENTS}/{id}/orders/new"),
            &[("provider", chosen)],
        ));
    }
    let mut errors = Errors::default();
    errors.push("provider", ctx.tr.t("order-choose-provider"));
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_new(&ctx, id, card.as_ref(), chosen, status, errors)
}
