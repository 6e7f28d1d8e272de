//! The client card, `/admin/clients/{id}`, in tabs (Main, Accounts, Services, Users, Payers,
//! Groups, Providers, History), and what staff do to a client from it: edit, send a
//! message, export the personal data, clear it, delete the client, change its groups and
//! providers. Each action button is shown only to an employee who holds its function; the
//! guard refuses the others anyway.
//!
//! Deleting and clearing data go through a confirmation page, because neither can be undone;
//! a refusal (payments, charges, active services) is shown there, in words.

use super::view::{
    CardHead, Cell, Field, FormView, Head, Link, Opt, Table, country_label, country_options,
    locale_options, refusal,
};
use super::{Done, FormPage, ListPage, staff_options};
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::pages::history::HistoryFragment;
use crate::pages::profile::Tab;
use crate::render::{self, see_other};
use crate::view::{Detail, Errors, HistoryTable, page_link, when};
use askama::Template;
use axum::extract::Path;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bursar_app::clients::{COMMENT_MAX, ClientCard, ClientChanges};
use bursar_app::ports::Page;
use bursar_app::{AppError, Principal};
use bursar_domain::ClientId;
use bursar_domain::clients::Characteristic;
use bursar_domain::functions::{Function, f};

const HISTORY_PER_PAGE: u32 = 25;

/// The card's address.
pub fn card_path(id: ClientId) -> String {
    format!("/admin/clients/{id}")
}

/// The client id of a path; a malformed one is a client that does not exist.
pub fn parse_client(raw: &str) -> Result<ClientId, AppError> {
    raw.parse()
        .map_err(|_| AppError::NotFound { what: "client" })
}

/// Loads the card of the client in the path, or the error page.
pub async fn load(ctx: &Ctx, who: &Principal, raw: &str) -> Result<ClientCard, Response> {
    let id = parse_client(raw).map_err(|e| error::fail(ctx, e))?;
    ctx.app
        .client_card(who, id)
        .await
        .map_err(|e| error::fail(ctx, e))
}

const TABS: [(&str, &str, &Function); 13] = [
    ("", "card-tab-main", f::CLIENT_LIST),
    ("/accounts", "card-tab-accounts", f::PERSONAL_ACCOUNT_VIEW),
    ("/payments", "card-tab-payments", f::PAYMENT_LIST),
    ("/expenses", "card-tab-expenses", f::EXPENSE_LIST),
    ("/services", "card-tab-services", f::CLIENT_LIST),
    ("/users", "card-tab-users", f::CLIENT_USERS),
    ("/payers", "card-tab-payers", f::CLIENT_PAYERS),
    ("/discounts", "card-tab-discounts", f::DISCOUNT_VIEW),
    ("/currency-rates", "card-tab-currency-rates", f::RATE_VIEW),
    ("/groups", "card-tab-groups", f::CLIENT_LIST),
    ("/providers", "card-tab-providers", f::CLIENT_LIST),
    ("/tax-rules", "card-tab-tax", f::TAX_VIEW),
    ("/history", "card-tab-history", f::CLIENT_HISTORY),
];

/// The card's header with the tab `active` (a path suffix) marked.
pub fn head(ctx: &Ctx, who: &Principal, card: &ClientCard, active: &str) -> Head {
    let tr = ctx.tr;
    let c = &card.client;
    let base = card_path(c.id);
    let tabs = TABS
        .iter()
        .filter(|(_, _, f)| who.may(f))
        .map(|(suffix, label, _)| Tab {
            href: format!("{base}{suffix}"),
            label: tr.t(label),
            active: *suffix == active,
        })
        .collect();
    let cleared = c.anonymized_at.is_some();
    let main_active = card.users.iter().any(|u| u.is_main && u.is_active);
    let mut actions = Vec::new();
    let mut add = |function: &Function, show: bool, link: Link| {
        if show && who.may(function) {
            actions.push(link);
        }
    };
    add(
        f::CLIENT_EDIT,
        !cleared,
        Link::get(
            format!("{base}/edit"),
            tr.t("card-action-edit"),
            "btn-primary",
        ),
    );
    add(
        f::CLIENT_MESSAGE,
        !cleared,
        Link::get(
            format!("{base}/message"),
            tr.t("card-action-message"),
            "btn-secondary",
        ),
    );
    add(
        f::CLIENT_LOGIN_AS,
        !cleared && main_active && who.impersonator.is_none(),
        Link::post(
            format!("{base}/login-as"),
            tr.t("card-action-login-as"),
            "btn-secondary",
        ),
    );
    add(
        f::QUOTE_CREATE,
        !cleared,
        Link::get(
            format!("/admin/quotes?client={}", c.number.value()),
            tr.t("card-action-quote"),
            "btn-secondary",
        ),
    );
    add(
        f::CLIENT_EXPORT,
        true,
        Link::get(
            format!("{base}/export"),
            tr.t("card-action-export"),
            "btn-secondary",
        ),
    );
    add(
        f::CLIENT_CLEAR_DATA,
        !cleared,
        Link::get(
            format!("{base}/clear-data"),
            tr.t("card-action-clear"),
            "btn-danger",
        ),
    );
    add(
        f::CLIENT_DELETE,
        true,
        Link::get(
            format!("{base}/delete"),
            tr.t("card-action-delete"),
            "btn-danger",
        ),
    );
    let name = c.name.to_string();
    let mut head = Head::card(CardHead {
        initial: name
            .chars()
            .next()
            .map(|ch| ch.to_uppercase().to_string())
            .unwrap_or_default(),
        name,
        email: c.email.to_string(),
        number: c.number.to_string(),
        id: c.id.to_string(),
        status: tr.t(if card.active {
            "card-status-active"
        } else {
            "card-status-inactive"
        }),
        active: card.active,
        anonymized: c
            .anonymized_at
            .map(|at| tr.t1("card-cleared-note", "when", when(at).as_str())),
        actions,
        tabs,
    });
    if who.may(f::CLIENT_CREATE) {
        head = head.action(Link::get(
            "/admin/clients/new".to_owned(),
            tr.t("card-add-client"),
            "btn-secondary",
        ));
    }
    head.back("/admin/clients".to_owned(), tr.t("card-back-to-list"))
}

pub struct Block {
    pub title: String,
    pub action: Option<Link>,
    pub details: Vec<Detail>,
}

#[derive(Template)]
#[template(path = "clients/card_main.html")]
pub struct MainPage {
    ui: Ui,
    head: Head,
    blocks: Vec<Block>,
}

fn characteristic(ctx: &Ctx, c: Characteristic) -> String {
    ctx.tr.t(&format!("card-characteristic-{}", c.code()))
}

fn or_none(ctx: &Ctx, v: Option<String>) -> String {
    v.filter(|v| !v.is_empty())
        .unwrap_or_else(|| ctx.tr.t("value-none"))
}

/// `GET /admin/clients/{id}`: the Main tab.
pub async fn show(Signed { ctx, who }: Signed, Path(id): Path<String>, params: Params) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    let tr = ctx.tr;
    let c = &card.client;
    let detail = |label: &str, value: String| Detail {
        label: tr.t(label),
        value,
    };
    let phone = match &c.phone {
        None => tr.t("value-none"),
        Some(p) if c.phone_verified => format!("{p} · {}", tr.t("card-phone-verified")),
        Some(p) => format!("{p} · {}", tr.t("card-phone-unverified")),
    };
    let main_login = card
        .users
        .iter()
        .find(|u| u.is_main)
        .map(|u| u.login.to_string());
    let about = Block {
        title: tr.t("card-block-client"),
        action: (who.may(f::CLIENT_EDIT) && c.anonymized_at.is_none()).then(|| {
            Link::get(
                format!("{}/edit", card_path(c.id)),
                tr.t("card-action-edit"),
                "btn-secondary",
            )
        }),
        details: vec![
            detail("card-field-name", c.name.to_string()),
            detail("card-field-email", c.email.to_string()),
            detail("card-field-country", country_label(tr, c.country)),
            detail("card-field-language", tr.language_name(c.locale)),
            detail("card-field-phone", phone),
            detail("card-field-label", or_none(&ctx, c.label.clone())),
            detail(
                "card-field-characteristic",
                characteristic(&ctx, c.characteristic),
            ),
        ],
    };
    let registration = Block {
        title: tr.t("card-block-registration"),
        action: None,
        details: vec![
            detail("card-field-registered", when(c.created_at)),
            detail("card-field-ip", or_none(&ctx, c.registration_ip.clone())),
            detail("card-field-staff", or_none(&ctx, card.staff_login.clone())),
            detail("card-field-main-login", or_none(&ctx, main_login)),
            detail("card-field-comment", or_none(&ctx, c.comment.clone())),
        ],
    };
    let page = MainPage {
        ui: Done::flash(Ui::new(&ctx, "card-title"), &params),
        head: head(&ctx, &who, &card, ""),
        blocks: vec![about, registration],
    };
    render::page(&ctx, StatusCode::OK, &page)
}

/// `GET /admin/clients/{id}/services`: the client's services, newest first.
pub async fn services(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    let lines = match ctx.app.client_services(&who, card.client.id).await {
        Ok(lines) => lines,
        Err(e) => return error::fail(&ctx, e),
    };
    let tr = ctx.tr;
    let mut table = Table::new(
        tr,
        &[
            "card-services-col-id",
            "provider-col-name",
            "card-services-col-status",
            "card-services-col-ordered",
        ],
        "card-services-empty",
    );
    for s in &lines {
        let live = !matches!(s.status.as_str(), "deleted" | "ordered");
        table.row(
            vec![
                Cell::code(s.id.clone()),
                Cell::text(s.provider.clone()),
                Cell::status(tr.or_raw("service-status", &s.status), live),
                Cell::text(when(s.created_at)),
            ],
            Vec::new(),
        );
    }
    tab_page(&ctx, &who, &card, "/services", "card-services-title", table)
}

fn tab_page(
    ctx: &Ctx,
    who: &Principal,
    card: &ClientCard,
    tab: &str,
    title: &str,
    table: Table,
) -> Response {
    let page = ListPage {
        ui: Ui::new(ctx, "card-title"),
        head: head(ctx, who, card, tab),
        title: Some(ctx.tr.t(title)),
        add: None,
        intro: None,
        search: None,
        table,
    };
    render::page(ctx, StatusCode::OK, &page)
}

/// `GET /admin/clients/{id}/history`.
pub async fn history(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    let page = Page::new(params.number("page"), Some(HISTORY_PER_PAGE));
    let paged = match ctx.app.client_history(&who, card.client.id, page).await {
        Ok(paged) => paged,
        Err(e) => return error::fail(&ctx, e),
    };
    let path = format!("{}/history", card_path(card.client.id));
    let results =
        HistoryTable::new(ctx.tr, &paged, "card-history-empty", page_link(&path)).link_records();
    let ui = Ui::new(&ctx, "card-title");
    if ctx.htmx {
        return render::page(&ctx, StatusCode::OK, &HistoryFragment { ui, results });
    }
    let page = HistoryPage {
        ui,
        head: head(&ctx, &who, &card, "/history"),
        results,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "clients/card_history.html")]
pub struct HistoryPage {
    pub ui: Ui,
    pub head: Head,
    pub results: HistoryTable,
}

// ---- Edit ----

fn edit_form(
    ctx: &Ctx,
    card: &ClientCard,
    staff: Vec<Opt>,
    form: Option<&Fields>,
    errors: &Errors,
    message: Option<String>,
) -> FormView {
    let tr = ctx.tr;
    let c = &card.client;
    let value = |name: &str, current: String| form.map_or(current, |f| f.get(name).to_owned());
    let checked = |name: &str, current: bool| form.map_or(current, |f| !f.get(name).is_empty());
    let country = value(
        "country",
        c.country.map(|c| c.code().to_owned()).unwrap_or_default(),
    );
    let locale = value("locale", c.locale.code().to_owned());
    let characteristic = value("characteristic", c.characteristic.code().to_owned());
    let characteristics = Characteristic::ALL
        .iter()
        .map(|ch| {
            Opt::new(
                ch.code(),
                tr.t(&format!("card-characteristic-{}", ch.code())),
                ch.code() == characteristic,
            )
        })
        .collect();
    let base = card_path(c.id);
    FormView::new(
        tr,
        tr.t("card-edit-title"),
        format!("{base}/edit"),
        tr.t("cl-save"),
    )
    .cancel(base)
    .error(message)
    .section(
        None,
        vec![
            Field::text(
                "name",
                tr.t("card-field-name"),
                &value("name", c.name.to_string()),
            )
            .required()
            .max(200),
            Field::input(
                "email",
                "email",
                tr.t("card-field-email"),
                &value("email", c.email.to_string()),
            )
            .required()
            .max(254),
            Field::select(
                "country",
                tr.t("card-field-country"),
                country_options(tr, &country, true),
            ),
            Field::select(
                "locale",
                tr.t("card-field-language"),
                locale_options(tr, &locale),
            ),
        ],
        errors,
    )
    .section(
        Some(tr.t("card-edit-contact")),
        vec![
            Field::input(
                "phone",
                "tel",
                tr.t("card-field-phone"),
                &value(
                    "phone",
                    c.phone
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                ),
            )
            .hint(tr.t("card-phone-hint"))
            .max(32),
            Field::checkbox(
                "phone_verified",
                tr.t("card-field-phone-verified"),
                checked("phone_verified", c.phone_verified),
            )
            .hint(tr.t("card-phone-verified-hint")),
        ],
        errors,
    )
    .section(
        Some(tr.t("card-edit-internal")),
        vec![
            Field::text(
                "label",
                tr.t("card-field-label"),
                &value("label", c.label.clone().unwrap_or_default()),
            )
            .hint(tr.t("card-label-hint"))
            .max(40),
            Field::select(
                "characteristic",
                tr.t("card-field-characteristic"),
                characteristics,
            )
            .hint(tr.t("card-characteristic-hint")),
            Field::select("staff_id", tr.t("card-field-staff"), staff),
            Field::textarea(
                "comment",
                tr.t("card-field-comment"),
                &value("comment", c.comment.clone().unwrap_or_default()),
            )
            .hint(tr.t("card-comment-hint"))
            .max(COMMENT_MAX),
        ],
        errors,
    )
}

async fn render_edit(
    ctx: &Ctx,
    who: &Principal,
    card: &ClientCard,
    status: StatusCode,
    form: Option<&Fields>,
    errors: Errors,
    message: Option<String>,
) -> Response {
    let current = card
        .client
        .staff_id
        .map(|s| s.to_string())
        .unwrap_or_default();
    let selected = form.map_or(current.clone(), |f| f.get("staff_id").to_owned());
    let known = card.staff_login.clone().map(|login| (current, login));
    let staff = staff_options(ctx, who, &selected, known, true).await;
    let page = FormPage {
        ui: Ui::new(ctx, "card-title"),
        head: head(ctx, who, card, ""),
        form: edit_form(ctx, card, staff, form, &errors, message),
    };
    render::page(ctx, status, &page)
}

/// `GET /admin/clients/{id}/edit`.
pub async fn edit_show(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match load(&ctx, &who, &id).await {
        Ok(card) => {
            render_edit(
                &ctx,
                &who,
                &card,
                StatusCode::OK,
                None,
                Errors::default(),
                None,
            )
            .await
        }
        Err(res) => res,
    }
}

/// `POST /admin/clients/{id}/edit`: every field of the form is sent, so each is set.
pub async fn edit_save(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    let text = |name: &str| Some(form.get(name).to_owned());
    let changes = ClientChanges {
        name: text("name"),
        email: text("email"),
        locale: text("locale"),
        country: text("country"),
        phone: text("phone"),
        phone_verified: Some(!form.get("phone_verified").is_empty()),
        label: text("label"),
        characteristic: text("characteristic"),
        staff_id: text("staff_id"),
        comment: text("comment"),
    };
    match ctx.app.update_client(&who, card.client.id, changes).await {
        Ok(_) => see_other(&Done::Saved.link(&card_path(card.client.id))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                render_edit(
                    &ctx,
                    &who,
                    &card,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(&form),
                    r.errors,
                    r.message,
                )
                .await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

// ---- Message ----

fn message_form(
    ctx: &Ctx,
    card: &ClientCard,
    form: Option<&Fields>,
    r: Option<super::view::Refusal>,
) -> FormView {
    let tr = ctx.tr;
    let base = card_path(card.client.id);
    let value = |n: &str| form.map(|f| f.get(n).to_owned()).unwrap_or_default();
    let (errors, message) = r.map_or((Errors::default(), None), |r| (r.errors, r.message));
    FormView::new(
        tr,
        tr.t("card-message-title"),
        format!("{base}/message"),
        tr.t("card-message-send"),
    )
    .intro(tr.t1("card-message-intro", "email", card.client.email.as_str()))
    .cancel(base)
    .error(message)
    .section(
        None,
        vec![
            Field::text("subject", tr.t("card-message-subject"), &value("subject"))
                .required()
                .max(200),
            Field::textarea("message", tr.t("card-message-body"), &value("message"))
                .required()
                .max(20000),
        ],
        &errors,
    )
}

/// `GET /admin/clients/{id}/message`.
pub async fn message_show(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    let page = FormPage {
        ui: Ui::new(&ctx, "card-title"),
        head: head(&ctx, &who, &card, ""),
        form: message_form(&ctx, &card, None, None),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

/// `POST /admin/clients/{id}/message`: queues the e-mail.
pub async fn message_send(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    let id = card.client.id;
    match ctx
        .app
        .message_client(&who, id, form.get("subject"), form.get("message"))
        .await
    {
        Ok(()) => see_other(&Done::MessageSent.link(&card_path(id))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                let page = FormPage {
                    ui: Ui::new(&ctx, "card-title"),
                    head: head(&ctx, &who, &card, ""),
                    form: message_form(&ctx, &card, Some(&form), Some(r)),
                };
                render::page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

// ---- Export ----

/// `GET /admin/clients/{id}/export`: the personal data as a JSON download.
pub async fn export(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse_client(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    let data = match ctx.app.export_client_data(&who, id).await {
        Ok(data) => data,
        Err(e) => return error::fail(&ctx, e),
    };
    let body = match serde_json::to_vec_pretty(&data) {
        Ok(body) => body,
        Err(e) => return error::fail(&ctx, AppError::internal(e)),
    };
    let disposition = format!("attachment; filename=\"client-{id}.json\"");
    let mut res = (StatusCode::OK, body).into_response();
    let headers = res.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, v);
    }
    res
}

// ---- Delete and clear data ----

#[derive(Template)]
#[template(path = "clients/confirm.html")]
pub struct ConfirmPage {
    pub ui: Ui,
    pub head: Head,
    pub title: String,
    pub text: String,
    pub warning: Option<String>,
    pub error: Option<String>,
    pub ack: Option<String>,
    pub ack_error: Option<String>,
    pub action: String,
    pub button: String,
    pub cancel: String,
}

fn delete_page(
    ctx: &Ctx,
    who: &Principal,
    card: &ClientCard,
    error: Option<String>,
) -> ConfirmPage {
    let tr = ctx.tr;
    let base = card_path(card.client.id);
    ConfirmPage {
        ui: Ui::new(ctx, "card-title"),
        head: head(ctx, who, card, ""),
        title: tr.t("card-delete-title"),
        text: tr.t1("card-delete-text", "name", card.client.name.as_str()),
        warning: Some(tr.t("card-delete-warning")),
        error,
        ack: None,
        ack_error: None,
        action: format!("{base}/delete"),
        button: tr.t("card-action-delete"),
        cancel: base,
    }
}

/// `GET /admin/clients/{id}/delete`: asks first.
pub async fn delete_show(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match load(&ctx, &who, &id).await {
        Ok(card) => render::page(&ctx, StatusCode::OK, &delete_page(&ctx, &who, &card, None)),
        Err(res) => res,
    }
}

/// `POST /admin/clients/{id}/delete`. A refusal says why, on the same page.
pub async fn delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    match ctx.app.delete_client(&who, card.client.id).await {
        Ok(()) => see_other(&Done::Deleted.link("/admin/clients")),
        Err(e @ AppError::Conflict { .. }) => match refusal(ctx.tr, e) {
            Ok(r) => {
                let page = delete_page(&ctx, &who, &card, r.message);
                render::page(&ctx, StatusCode::CONFLICT, &page)
            }
            Err(e) => error::fail(&ctx, e),
        },
        Err(e) => error::fail(&ctx, e),
    }
}

fn clear_page(
    ctx: &Ctx,
    who: &Principal,
    card: &ClientCard,
    ack_error: Option<String>,
) -> ConfirmPage {
    let tr = ctx.tr;
    let base = card_path(card.client.id);
    ConfirmPage {
        ui: Ui::new(ctx, "card-title"),
        head: head(ctx, who, card, ""),
        title: tr.t("card-clear-title"),
        text: tr.t1("card-clear-text", "name", card.client.name.as_str()),
        warning: Some(tr.t("card-clear-warning")),
        error: None,
        ack: Some(tr.t("card-clear-ack")),
        ack_error,
        action: format!("{base}/clear-data"),
        button: tr.t("card-action-clear"),
        cancel: base,
    }
}

/// `GET /admin/clients/{id}/clear-data`: explains what is erased and that it is final.
pub async fn clear_show(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match load(&ctx, &who, &id).await {
        Ok(card) => render::page(&ctx, StatusCode::OK, &clear_page(&ctx, &who, &card, None)),
        Err(res) => res,
    }
}

/// `POST /admin/clients/{id}/clear-data`: only with the "I understand" box ticked.
pub async fn clear(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    if form.get("confirm").is_empty() {
        let page = clear_page(&ctx, &who, &card, Some(ctx.tr.t("card-clear-ack-required")));
        return render::page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    match ctx.app.clear_client_data(&who, card.client.id).await {
        Ok(()) => see_other(&Done::Cleared.link(&card_path(card.client.id))),
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- Groups ----

/// `GET /admin/clients/{id}/groups`: the client's groups, as checkboxes for those who may
/// change them.
pub async fn groups(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    groups_page(&ctx, &who, &card, StatusCode::OK, None, Done::read(&params)).await
}

async fn groups_page(
    ctx: &Ctx,
    who: &Principal,
    card: &ClientCard,
    status: StatusCode,
    error: Option<String>,
    done: Option<Done>,
) -> Response {
    let tr = ctx.tr;
    let ui = Done::apply(done, Ui::new(ctx, "card-title"));
    let editable = who.may(f::CLIENT_GROUPS);
    if editable {
        let all = match ctx.app.list_client_groups(who).await {
            Ok(all) => all,
            Err(e) => return error::fail(ctx, e),
        };
        let options = all
            .iter()
            .map(|(g, members)| {
                Opt::new(
                    g.id.to_string(),
                    g.name.clone(),
                    card.groups.iter().any(|m| m.id == g.id),
                )
                .hint(tr.t1("card-groups-members", "count", *members))
            })
            .collect();
        let base = card_path(card.client.id);
        let form = FormView::new(
            tr,
            tr.t("card-groups-title"),
            format!("{base}/groups"),
            tr.t("cl-save"),
        )
        .intro(tr.t("card-groups-intro"))
        .error(error)
        .section(
            None,
            vec![
                Field::checks("groups", tr.t("card-groups-field"), options)
                    .hint(tr.t("card-groups-hint")),
            ],
            &Errors::default(),
        );
        let page = FormPage {
            ui,
            head: head(ctx, who, card, "/groups"),
            form,
        };
        return render::page(ctx, status, &page);
    }
    let mut table = Table::new(tr, &["cgroup-col-name"], "card-groups-empty");
    for g in &card.groups {
        table.row(vec![Cell::text(g.name.clone())], Vec::new());
    }
    let page = ListPage {
        ui,
        head: head(ctx, who, card, "/groups"),
        title: Some(tr.t("card-groups-title")),
        add: None,
        intro: None,
        search: None,
        table,
    };
    render::page(ctx, status, &page)
}

/// `POST /admin/clients/{id}/groups`: puts the client in exactly the ticked groups.
pub async fn set_groups(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    let id = card.client.id;
    match ctx
        .app
        .set_client_groups(&who, id, form.all("groups"))
        .await
    {
        Ok(()) => see_other(&Done::Saved.link(&format!("{}/groups", card_path(id)))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                let message = r.errors.get("groups").map(str::to_owned).or(r.message);
                groups_page(
                    &ctx,
                    &who,
                    &card,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    message,
                    None,
                )
                .await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

// ---- Providers ----

/// `GET /admin/clients/{id}/providers`: On/Off per provider.
pub async fn providers(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    providers_page(&ctx, &who, &card, StatusCode::OK, None, Done::read(&params)).await
}

async fn providers_page(
    ctx: &Ctx,
    who: &Principal,
    card: &ClientCard,
    status: StatusCode,
    error: Option<String>,
    done: Option<Done>,
) -> Response {
    let tr = ctx.tr;
    // Every provider when the employee may see the list; else the connected ones.
    let all = if who.may(f::PROVIDER_LIST) {
        match ctx.app.list_providers(who).await {
            Ok(all) => all,
            Err(e) => return error::fail(ctx, e),
        }
    } else {
        card.providers.clone()
    };
    let can_switch = who.may(f::CLIENT_PROVIDERS);
    let base = card_path(card.client.id);
    let mut table = Table::new(
        tr,
        &[
            "provider-col-name",
            "provider-col-currency",
            "card-providers-col-state",
        ],
        "card-providers-empty",
    );
    for p in &all {
        let on = card.providers.iter().any(|c| c.id == p.id);
        let state = Cell::status(
            tr.t(if on {
                "card-provider-on"
            } else {
                "card-provider-off"
            }),
            on,
        );
        let actions = if can_switch {
            let (label, value, style) = if on {
                ("card-provider-turn-off", "0", "btn-danger")
            } else {
                ("card-provider-turn-on", "1", "btn-secondary")
            };
            vec![
                Link::post(format!("{base}/providers"), tr.t(label), style)
                    .with_field("provider", &p.id.to_string())
                    .with_field("on", value),
            ]
        } else {
            Vec::new()
        };
        table.row(
            vec![
                Cell::text(p.name.clone()),
                Cell::code(p.currency_code.clone()),
                state,
            ],
            actions,
        );
    }
    let ui = super::with_error(Done::apply(done, Ui::new(ctx, "card-title")), error);
    let page = ListPage {
        ui,
        head: head(ctx, who, card, "/providers"),
        title: Some(tr.t("card-providers-title")),
        add: None,
        intro: Some(tr.t("card-providers-intro")),
        search: None,
        table,
    };
    render::page(ctx, status, &page)
}

/// `POST /admin/clients/{id}/providers` with `provider` and `on` (`1` or `0`).
pub async fn set_provider(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let card = match load(&ctx, &who, &id).await {
        Ok(card) => card,
        Err(res) => return res,
    };
    let Ok(provider) = form.get("provider").parse() else {
        return error::fail(&ctx, AppError::NotFound { what: "provider" });
    };
    let on = form.get("on") == "1";
    let id = card.client.id;
    match ctx.app.set_client_provider(&who, id, provider, on).await {
        Ok(()) => see_other(&Done::Saved.link(&format!("{}/providers", card_path(id)))),
        Err(e @ AppError::Conflict { .. }) => match refusal(ctx.tr, e) {
            Ok(r) => providers_page(&ctx, &who, &card, StatusCode::CONFLICT, r.message, None).await,
            Err(e) => error::fail(&ctx, e),
        },
        Err(e) => error::fail(&ctx, e),
    }
}
