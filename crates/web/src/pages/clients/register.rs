//! Registration in the client area (`/client/register`, public): a visitor becomes a client
//! with its main user, then signs in. The provider is chosen only when there is more than
//! one; the login field appears only when the chosen provider asks for a login (choosing
//! another provider re-renders that field with htmx), otherwise the e-mail is the login.
//! The visitor's address is recorded as the registration IP.

use super::view::{Field, FormView, Opt, Refresh, Shown, country_options, locale_options, refusal};
use crate::ctx::Ctx;
use crate::form::Fields;
use crate::layout::Ui;
use crate::pages::error;
use crate::panel::start_of;
use crate::render::{self, see_other};
use askama::Template;
use axum::extract::Query;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use bursar_app::clients::NewClientInput;
use bursar_app::ports::ProviderRecord;
use bursar_domain::ErrorCode;

const PATH: &str = "/client/register";
const LOGIN_SLOT: &str = "login-slot";
/// Where a registered visitor goes: the sign-in page, which then says it worked.
pub const DONE: &str = "/client/login?registered=1";

#[derive(Template)]
#[template(path = "clients/register.html")]
pub struct RegisterPage {
    ui: Ui,
    /// `None` when no provider takes registrations.
    form: Option<FormView>,
}

/// The provider the form is about: the one chosen, or the only one there is.
fn chosen<'a>(providers: &'a [ProviderRecord], raw: &str) -> Option<&'a ProviderRecord> {
    match providers {
        [only] => Some(only),
        _ => providers.iter().find(|p| p.id.to_string() == raw),
    }
}

fn render_form(ctx: &Ctx, providers: &[ProviderRecord], shown: Shown) -> Response {
    let tr = ctx.tr;
    if providers.is_empty() {
        let page = RegisterPage {
            ui: Ui::new(ctx, "register-title"),
            form: None,
        };
        return render::page(ctx, StatusCode::OK, &page);
    }
    let raw = shown.value("provider", String::new());
    let provider = chosen(providers, &raw);
    let mut fields = Vec::new();
    if providers.len() > 1 {
        let mut options: Vec<Opt> = providers
            .iter()
            .map(|p| {
                Opt::new(
                    p.id.to_string(),
                    format!("{} ({})", p.name, p.currency_code),
                    provider.is_some_and(|c| c.id == p.id),
                )
            })
            .collect();
        if provider.is_none() {
            options.insert(0, Opt::new("", tr.t("register-choose-provider"), true));
        }
        fields.push(
            Field::select("provider", tr.t("register-field-provider"), options)
                .required()
                .hint(tr.t("register-provider-hint"))
                .refresh(Refresh {
                    url: PATH.to_owned(),
                    slot: LOGIN_SLOT,
                    include: "[name='provider'],[name='login']",
                }),
        );
    }
    let login = if provider.is_some_and(|p| p.login_at_registration) {
        Field::text(
            "login",
            tr.t("register-field-login"),
            &shown.value("login", ""),
        )
        .autocomplete("username")
        .hint(tr.t("register-login-hint"))
        .max(64)
        .slot(LOGIN_SLOT)
    } else {
        Field::empty_slot("login", LOGIN_SLOT)
    };
    fields.push(login);
    fields.extend([
        Field::input(
            "email",
            "email",
            tr.t("register-field-email"),
            &shown.value("email", ""),
        )
        .required()
        .autocomplete("email")
        .max(254),
        Field::text(
            "name",
            tr.t("register-field-name"),
            &shown.value("name", ""),
        )
        .required()
        .autocomplete("name")
        .hint(tr.t("register-name-hint"))
        .max(200),
        Field::input("password", "password", tr.t("register-field-password"), "")
            .required()
            .autocomplete("new-password")
            .hint(tr.t("register-password-rule"))
            .max(128),
        Field::input(
            "password_confirmation",
            "password",
            tr.t("register-field-password-confirm"),
            "",
        )
        .required()
        .autocomplete("new-password")
        .max(128),
        Field::select(
            "locale",
            tr.t("register-field-language"),
            locale_options(tr, &shown.value("locale", tr.locale().code())),
        ),
        Field::select(
            "country",
            tr.t("register-field-country"),
            country_options(tr, &shown.value("country", ""), true),
        ),
    ]);
    let form = FormView::new(
        tr,
        tr.t("register-title"),
        PATH.to_owned(),
        tr.t("register-submit"),
    )
    .intro(tr.t("register-intro"))
    .error(shown.message.clone())
    .section(None, fields, &shown.errors);
    let page = RegisterPage {
        ui: Ui::new(ctx, "register-title"),
        form: Some(form),
    };
    render::page(ctx, shown.status, &page)
}

async fn providers(ctx: &Ctx) -> Result<Vec<ProviderRecord>, Response> {
    ctx.app
        .registration_providers()
        .await
        .map_err(|e| error::fail(ctx, e))
}

/// `GET /client/register`. A signed-in visitor goes to their start page; the query may
/// carry the chosen provider and typed login (the htmx refresh of the login field).
pub async fn show(ctx: Ctx, uri: Uri) -> Response {
    if let Some(who) = &ctx.principal {
        return see_other(start_of(who));
    }
    let list = match providers(&ctx).await {
        Ok(list) => list,
        Err(res) => return res,
    };
    let pairs = Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .map(|q| q.0)
        .unwrap_or_default();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut shown = Shown::fresh();
    let (provider, login) = (get("provider"), get("login"));
    shown.prefill = vec![("provider", provider), ("login", login)];
    render_form(&ctx, &list, shown)
}

/// `POST /client/register`.
pub async fn submit(ctx: Ctx, form: Fields) -> Response {
    if let Some(who) = &ctx.principal {
        return see_other(start_of(who));
    }
    let list = match providers(&ctx).await {
        Ok(list) => list,
        Err(res) => return res,
    };
    let provider = chosen(&list, form.get("provider"));
    let login = form.get("login").trim();
    let text = |name: &str| Some(form.get(name).to_owned());
    let input = NewClientInput {
        login: (!login.is_empty()).then(|| login.to_owned()),
        email: form.get("email").to_owned(),
        providers: provider.map(|p| vec![p.id.to_string()]).unwrap_or_default(),
        locale: text("locale"),
        country: text("country"),
        name: form.get("name").to_owned(),
        password: text("password"),
        password_confirmation: text("password_confirmation"),
        ..NewClientInput::default()
    };
    match ctx.app.register_client(input, ctx.ip.clone()).await {
        Ok(_) => see_other(DONE),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(mut r) => {
                if login.is_empty() && r.errors.has("login") {
                    let mut errors = crate::view::Errors::default();
                    errors.push("email", ctx.tr.error(ErrorCode::EmailTaken));
                    r.errors = errors;
                }
                // "providers" is the use case's name for the field this form calls "provider".
                if r.errors.has("providers") {
                    r.errors
                        .push("provider", ctx.tr.t("register-choose-provider-error"));
                }
                render_form(&ctx, &list, Shown::refused(&form, r))
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}
