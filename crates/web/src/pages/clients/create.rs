//! Clients → Clients → Add (`/admin/clients/new`), with every field of seed 004.
//!
//! The login field depends on the providers ticked: it is open only when every one of them
//! enables "login at registration", otherwise the e-mail is the login. Ticking a provider
//! re-renders just that field (htmx), and without JavaScript the hint says the same and the
//! use case refuses a login that is not allowed. An empty password is generated and shown
//! once, on the page that answers the form; nothing stores it in readable form.

use super::card::card_path;
use super::view::{Field, FormView, Head, Opt, Refresh, country_options, locale_options, refusal};
use super::{Done, FormPage, provider_choices, staff_options};
use crate::ctx::{Ctx, Signed};
use crate::form::Fields;
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use crate::view::Errors;
use askama::Template;
use axum::extract::Query;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use bursar_app::Principal;
use bursar_app::clients::{COMMENT_MAX, NewClientInput};
use bursar_app::ports::ProviderRecord;
use bursar_domain::ErrorCode;
use bursar_domain::functions::f;

const PATH: &str = "/admin/clients/new";
const LOGIN_SLOT: &str = "login-slot";

/// The values the form shows: typed ones after a refusal or a refresh, defaults at first.
struct Values {
    providers: Vec<String>,
    login: String,
    email: String,
    locale: String,
    country: String,
    name: String,
    staff_id: String,
    comment: String,
    notify: bool,
}

impl Values {
    fn defaults(ctx: &Ctx, who: &Principal) -> Values {
        Values {
            providers: Vec::new(),
            login: String::new(),
            email: String::new(),
            locale: ctx.tr.locale().code().to_owned(),
            country: String::new(),
            name: String::new(),
            staff_id: who.user.id.to_string(),
            comment: String::new(),
            notify: true,
        }
    }

    fn from_pairs(get: impl Fn(&str) -> String, all: Vec<String>, defaults: Values) -> Values {
        Values {
            providers: all,
            login: get("login"),
            email: get("email"),
            locale: non_empty(get("locale")).unwrap_or(defaults.locale),
            country: get("country"),
            name: get("name"),
            staff_id: get("staff_id"),
            comment: get("comment"),
            notify: !get("send_notification").is_empty(),
        }
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Whether the login field is open for the ticked providers.
fn login_allowed(all: &[ProviderRecord], ticked: &[String]) -> bool {
    let chosen: Vec<&ProviderRecord> = all
        .iter()
        .filter(|p| ticked.iter().any(|t| *t == p.id.to_string()))
        .collect();
    !chosen.is_empty() && chosen.iter().all(|p| p.login_at_registration)
}

async fn render_form(
    ctx: &Ctx,
    who: &Principal,
    status: StatusCode,
    v: &Values,
    errors: Errors,
    message: Option<String>,
) -> Response {
    let tr = ctx.tr;
    let providers = match provider_choices(ctx, Some(who)).await {
        Ok(p) => p,
        Err(e) => return error::fail(ctx, e),
    };
    let allowed = login_allowed(&providers, &v.providers);
    let provider_options = providers
        .iter()
        .map(|p| {
            let id = p.id.to_string();
            let hint = if p.login_at_registration {
                format!(
                    "{} · {}",
                    p.currency_code,
                    tr.t("newclient-provider-asks-login")
                )
            } else {
                p.currency_code.clone()
            };
            Opt::new(id.clone(), p.name.clone(), v.providers.contains(&id)).hint(hint)
        })
        .collect();
    let login_hint = if allowed {
        tr.t("newclient-login-hint-open")
    } else {
        tr.t("newclient-login-hint-closed")
    };
    let staff = staff_options(ctx, who, &v.staff_id, None, true).await;
    let mut providers_field = Field::checks(
        "providers",
        tr.t("newclient-field-providers"),
        provider_options,
    )
    .required()
    .refresh(Refresh {
        url: PATH.to_owned(),
        slot: LOGIN_SLOT,
        include: "[name='providers'],[name='login']",
    });
    if providers.is_empty() {
        providers_field = providers_field.hint(tr.t("newclient-no-providers"));
    }
    let form = FormView::new(
        tr,
        tr.t("newclient-title"),
        PATH.to_owned(),
        tr.t("newclient-submit"),
    )
    .intro(tr.t("newclient-intro"))
    .error(message)
    .section(
        Some(tr.t("newclient-section-account")),
        vec![
            providers_field,
            Field::text(
                "login",
                tr.t("newclient-field-login"),
                if allowed { &v.login } else { "" },
            )
            .hint(login_hint)
            .disabled(!allowed)
            .autocomplete("off")
            .max(64)
            .slot(LOGIN_SLOT),
            Field::input("email", "email", tr.t("newclient-field-email"), &v.email)
                .required()
                .hint(tr.t("newclient-email-hint"))
                .max(254),
        ],
        &errors,
    )
    .section(
        Some(tr.t("newclient-section-client")),
        vec![
            Field::text("name", tr.t("newclient-field-name"), &v.name)
                .required()
                .hint(tr.t("newclient-name-hint"))
                .max(200),
            Field::select(
                "country",
                tr.t("card-field-country"),
                country_options(tr, &v.country, true),
            ),
            Field::select(
                "locale",
                tr.t("card-field-language"),
                locale_options(tr, &v.locale),
            )
            .hint(tr.t("newclient-locale-hint")),
        ],
        &errors,
    )
    .section(
        Some(tr.t("newclient-section-password")),
        vec![
            Field::input("password", "password", tr.t("newclient-field-password"), "")
                .autocomplete("new-password")
                .hint(tr.t("newclient-password-hint"))
                .max(128),
            Field::input(
                "password_confirmation",
                "password",
                tr.t("newclient-field-password-confirm"),
                "",
            )
            .autocomplete("new-password")
            .max(128),
        ],
        &errors,
    )
    .section(
        Some(tr.t("card-edit-internal")),
        vec![
            Field::select("staff_id", tr.t("card-field-staff"), staff)
                .hint(tr.t("newclient-staff-hint")),
            Field::textarea("comment", tr.t("card-field-comment"), &v.comment)
                .hint(tr.t("card-comment-hint"))
                .max(COMMENT_MAX),
            Field::checkbox(
                "send_notification",
                tr.t("newclient-field-notify"),
                v.notify,
            )
            .hint(tr.t("newclient-notify-hint")),
        ],
        &errors,
    );
    let mut head = Head::plain(tr.t("newclient-title"));
    if who.may(f::CLIENT_LIST) {
        head = head.back("/admin/clients".to_owned(), tr.t("card-back-to-list"));
    }
    let page = FormPage {
        ui: Ui::new(ctx, "newclient-title"),
        head,
        form: form.cancel(if who.may(f::CLIENT_LIST) {
            "/admin/clients".to_owned()
        } else {
            "/admin".to_owned()
        }),
    };
    render::page(ctx, status, &page)
}

/// `GET /admin/clients/new`. The query may carry values already chosen (the htmx refresh
/// of the login field sends the ticked providers and the typed login).
pub async fn show(Signed { ctx, who }: Signed, uri: Uri) -> Response {
    let pairs = Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .map(|q| q.0)
        .unwrap_or_default();
    let defaults = Values::defaults(&ctx, &who);
    let v = if pairs.is_empty() {
        defaults
    } else {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let providers = pairs
            .iter()
            .filter(|(k, _)| k == "providers")
            .map(|(_, v)| v.clone())
            .collect();
        let mut v = Values::from_pairs(get, providers, defaults);
        v.notify = true;
        v.staff_id = who.user.id.to_string();
        v
    };
    render_form(&ctx, &who, StatusCode::OK, &v, Errors::default(), None).await
}

#[derive(Template)]
#[template(path = "clients/created.html")]
pub struct CreatedPage {
    ui: Ui,
    head: Head,
    login: String,
    password: String,
    card_href: String,
}

/// `POST /admin/clients/new`.
pub async fn submit(Signed { ctx, who }: Signed, form: Fields) -> Response {
    let text = |name: &str| Some(form.get(name).to_owned());
    let (password, confirmation) = (form.get("password"), form.get("password_confirmation"));
    let generate = password.is_empty() && confirmation.is_empty();
    let login = form.get("login").trim().to_owned();
    let input = NewClientInput {
        login: (!login.is_empty()).then(|| login.clone()),
        email: form.get("email").to_owned(),
        providers: form.all("providers"),
        locale: text("locale"),
        country: text("country"),
        name: form.get("name").to_owned(),
        password: (!generate).then(|| password.to_owned()),
        password_confirmation: (!generate).then(|| confirmation.to_owned()),
        staff_id: text("staff_id"),
        comment: text("comment"),
        send_notification: !form.get("send_notification").is_empty(),
    };
    match ctx.app.create_client(&who, input).await {
        Ok(created) => match created.generated_password {
            None => see_other(&Done::Created.link(&card_path(created.id))),
            Some(password) => {
                let login = match ctx.app.client_card(&who, created.id).await {
                    Ok(card) => card
                        .users
                        .iter()
                        .find(|u| u.is_main)
                        .map(|u| u.login.to_string())
                        .unwrap_or_default(),
                    Err(_) if login.is_empty() => form.get("email").trim().to_lowercase(),
                    Err(_) => login,
                };
                let page = CreatedPage {
                    ui: Ui::new(&ctx, "newclient-title"),
                    head: Head::plain(ctx.tr.t1(
                        "newclient-created-heading",
                        "name",
                        form.get("name").trim(),
                    )),
                    login,
                    password,
                    card_href: card_path(created.id),
                };
                render::page(&ctx, StatusCode::CREATED, &page)
            }
        },
        Err(e) => match refusal(ctx.tr, e) {
            Ok(mut r) => {
                // Without a typed login the e-mail is the login, so a taken login is a
                // taken e-mail as far as this form is concerned.
                if login.is_empty() && r.errors.has("login") {
                    let mut errors = Errors::default();
                    errors.push("email", ctx.tr.error(ErrorCode::EmailTaken));
                    r.errors = errors;
                }
                let defaults = Values::defaults(&ctx, &who);
                let v =
                    Values::from_pairs(|n| form.get(n).to_owned(), form.all("providers"), defaults);
                render_form(
                    &ctx,
                    &who,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &v,
                    r.errors,
                    r.message,
                )
                .await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}
