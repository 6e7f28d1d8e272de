//! The provider's directory (seed 002): providers (each billing in one enabled currency),
//! companies (the legal entities on documents, each serving some providers) and the ISO 4217
//! currency directory with its Enable/Disable switch. A refusal (a provider still in use, a
//! currency a provider bills in) is shown in words on the page that asked.

use super::card::ConfirmPage;
use super::view::{
    Cell, Field, FormView, Head, Link, Opt, Shown, Table, country_label, country_options,
    currency_name, refusal, yes_no,
};
use super::{Done, FormPage, ListPage, Search, with_error};
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::i18n::Tr;
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use crate::view::when;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::directory::{CompanyInput, ProviderInput};
use bursar_app::ports::{CompanyRecord, CurrencyRecord, ProviderRecord};
use bursar_app::{AppError, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::functions::f;
use bursar_domain::{CompanyId, ProviderId};

const PROVIDERS: &str = "/admin/providers";
const COMPANIES: &str = "/admin/companies";
const CURRENCIES: &str = "/admin/currencies";

/// Names are unique (`providers_name_key`, `companies_name_key`): that is the only conflict
/// saving either can meet, so it is shown next to the name.
fn name_taken(ctx: &Ctx, e: AppError) -> AppError {
    match e {
        AppError::Conflict {
            field: None,
            code: ErrorCode::Conflict,
            ..
        } => AppError::Conflict {
            code: ErrorCode::NameTaken,
            field: Some("name"),
            message: ctx.tr.error(ErrorCode::NameTaken),
        },
        other => other,
    }
}

// ---- Providers ----

fn provider_head(ctx: &Ctx) -> Head {
    Head::plain(ctx.tr.t("provider-title")).lead(ctx.tr.t("provider-lead"))
}

/// `GET /admin/providers`.
pub async fn providers(Signed { ctx, who }: Signed, params: Params) -> Response {
    providers_page(&ctx, &who, StatusCode::OK, Done::read(&params), None).await
}

async fn providers_page(
    ctx: &Ctx,
    who: &Principal,
    status: StatusCode,
    done: Option<Done>,
    error: Option<String>,
) -> Response {
    let tr = ctx.tr;
    let list = match ctx.app.list_providers(who).await {
        Ok(list) => list,
        Err(e) => return error::fail(ctx, e),
    };
    let editable = who.may(f::PROVIDER_EDIT);
    let mut table = Table::new(
        tr,
        &[
            "provider-col-name",
            "provider-col-currency",
            "provider-col-login",
            "provider-col-created",
        ],
        "provider-empty",
    );
    for p in &list {
        let href = format!("{PROVIDERS}/{}", p.id);
        let actions = if editable {
            vec![
                Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"),
                Link::get(format!("{href}/delete"), tr.t("cl-delete"), "btn-danger"),
            ]
        } else {
            Vec::new()
        };
        table.row(
            vec![
                if editable {
                    Cell::link(p.name.clone(), href)
                } else {
                    Cell::text(p.name.clone())
                },
                Cell::code(p.currency_code.clone()),
                Cell::text(yes_no(tr, p.login_at_registration)),
                Cell::text(when(p.created_at)),
            ],
            actions,
        );
    }
    let mut head = provider_head(ctx);
    if editable {
        head = head.action(Link::get(
            format!("{PROVIDERS}/new"),
            tr.t("provider-add"),
            "btn-primary",
        ));
    }
    let page = ListPage {
        ui: with_error(Done::apply(done, Ui::new(ctx, "provider-title")), error),
        head,
        title: None,
        add: None,
        intro: None,
        search: None,
        table,
    };
    render::page(ctx, status, &page)
}

async fn render_provider(
    ctx: &Ctx,
    who: &Principal,
    provider: Option<&ProviderRecord>,
    shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let currencies = match ctx.app.list_currencies(who).await {
        Ok(list) => list,
        Err(AppError::Forbidden { .. }) => Vec::new(),
        Err(e) => return error::fail(ctx, e),
    };
    let current = provider
        .map(|p| p.currency_code.clone())
        .unwrap_or_default();
    let chosen = shown.value("currency", current.clone());
    let mut options: Vec<Opt> = currencies
        .iter()
        .filter(|c| c.is_active || c.code == current)
        .map(|c| {
            Opt::new(
                c.code.clone(),
                format!("{} · {}", c.code, currency_name(tr, &c.code, &c.name)),
                c.code == chosen,
            )
        })
        .collect();
    if options.is_empty() && !current.is_empty() {
        options.push(Opt::new(current.clone(), current.clone(), true));
    }
    if chosen.is_empty() {
        options.insert(0, Opt::new("", tr.t("provider-choose-currency"), true));
    }
    let (title, action, submit) = match provider {
        None => (
            tr.t("provider-new-title"),
            format!("{PROVIDERS}/new"),
            tr.t("provider-create"),
        ),
        Some(p) => (
            tr.t1("provider-edit-title", "name", p.name.as_str()),
            format!("{PROVIDERS}/{}", p.id),
            tr.t("cl-save"),
        ),
    };
    let mut view = FormView::new(tr, title, action, submit)
        .cancel(PROVIDERS.to_owned())
        .error(shown.message.clone())
        .section(
            None,
            vec![
                Field::text(
                    "name",
                    tr.t("provider-field-name"),
                    &shown.value("name", provider.map(|p| p.name.clone()).unwrap_or_default()),
                )
                .required()
                .max(200),
                Field::select("currency", tr.t("provider-field-currency"), options)
                    .required()
                    .hint(tr.t("provider-currency-hint")),
                Field::checkbox(
                    "login_at_registration",
                    tr.t("provider-field-login"),
                    shown.checked(
                        "login_at_registration",
                        provider.is_some_and(|p| p.login_at_registration),
                    ),
                )
                .hint(tr.t("provider-login-hint")),
            ],
            &shown.errors,
        );
    if let Some((title, fields)) = super::taxes::provider_section(ctx, who, provider, &shown) {
        view = view.section(Some(title), fields, &shown.errors);
    }
    let page = FormPage {
        ui: Ui::new(ctx, "provider-title"),
        head: provider_head(ctx).back(PROVIDERS.to_owned(), tr.t("provider-title")),
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

fn provider_input(who: &Principal, form: &Fields) -> ProviderInput {
    let currency = form.get("currency");
    let (tax_on_top, show_tax_on_top_up) = super::taxes::provider_settings(who, form);
    ProviderInput {
        name: Some(form.get("name").to_owned()),
        currency: (!currency.is_empty()).then(|| currency.to_owned()),
        login_at_registration: Some(!form.get("login_at_registration").is_empty()),
        tax_on_top,
        show_tax_on_top_up,
    }
}

async fn find_provider(ctx: &Ctx, who: &Principal, raw: &str) -> Result<ProviderRecord, Response> {
    let not_found = || error::fail(ctx, AppError::NotFound { what: "provider" });
    let id: ProviderId = raw.parse().map_err(|_| not_found())?;
    let list = ctx
        .app
        .list_providers(who)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    list.into_iter().find(|p| p.id == id).ok_or_else(not_found)
}

/// `GET /admin/providers/new`.
pub async fn provider_new(Signed { ctx, who }: Signed) -> Response {
    render_provider(&ctx, &who, None, Shown::fresh()).await
}

/// `POST /admin/providers/new`.
pub async fn provider_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match ctx
        .app
        .create_provider(&who, provider_input(&who, &form))
        .await
    {
        Ok(_) => see_other(&Done::Created.link(PROVIDERS)),
        Err(e) => match refusal(ctx.tr, name_taken(&ctx, e)) {
            Ok(r) => render_provider(&ctx, &who, None, Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// `GET /admin/providers/{id}`.
pub async fn provider_edit(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match find_provider(&ctx, &who, &id).await {
        Ok(p) => render_provider(&ctx, &who, Some(&p), Shown::fresh()).await,
        Err(res) => res,
    }
}

/// `POST /admin/providers/{id}`.
pub async fn provider_save(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let p = match find_provider(&ctx, &who, &id).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    match ctx
        .app
        .update_provider(&who, p.id, provider_input(&who, &form))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(PROVIDERS)),
        Err(e) => match refusal(ctx.tr, name_taken(&ctx, e)) {
            Ok(r) => render_provider(&ctx, &who, Some(&p), Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

fn provider_delete_page(ctx: &Ctx, p: &ProviderRecord, error: Option<String>) -> ConfirmPage {
    let tr = ctx.tr;
    ConfirmPage {
        ui: Ui::new(ctx, "provider-title"),
        head: provider_head(ctx).back(PROVIDERS.to_owned(), tr.t("provider-title")),
        title: tr.t1("provider-delete-title", "name", p.name.as_str()),
        text: tr.t("provider-delete-text"),
        warning: None,
        error,
        ack: None,
        ack_error: None,
        action: format!("{PROVIDERS}/{}/delete", p.id),
        button: tr.t("cl-delete"),
        cancel: PROVIDERS.to_owned(),
    }
}

/// `GET /admin/providers/{id}/delete`.
pub async fn provider_delete_show(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match find_provider(&ctx, &who, &id).await {
        Ok(p) => render::page(&ctx, StatusCode::OK, &provider_delete_page(&ctx, &p, None)),
        Err(res) => res,
    }
}

/// `POST /admin/providers/{id}/delete`: refused while clients, services, money or companies
/// use the provider.
pub async fn provider_delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let p = match find_provider(&ctx, &who, &id).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    match ctx.app.delete_provider(&who, p.id).await {
        Ok(()) => see_other(&Done::Deleted.link(PROVIDERS)),
        Err(e @ AppError::Conflict { .. }) => match refusal(ctx.tr, e) {
            Ok(r) => render::page(
                &ctx,
                StatusCode::CONFLICT,
                &provider_delete_page(&ctx, &p, r.message),
            ),
            Err(e) => error::fail(&ctx, e),
        },
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- Companies ----

fn company_head(ctx: &Ctx) -> Head {
    Head::plain(ctx.tr.t("company-title")).lead(ctx.tr.t("company-lead"))
}

async fn provider_names(ctx: &Ctx, who: &Principal) -> Result<Vec<ProviderRecord>, Response> {
    match ctx.app.list_providers(who).await {
        Ok(list) => Ok(list),
        Err(AppError::Forbidden { .. }) => Ok(Vec::new()),
        Err(e) => Err(error::fail(ctx, e)),
    }
}

/// `GET /admin/companies`.
pub async fn companies(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let list = match ctx.app.list_companies(&who).await {
        Ok(list) => list,
        Err(e) => return error::fail(&ctx, e),
    };
    let providers = match provider_names(&ctx, &who).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let editable = who.may(f::COMPANY_EDIT);
    let mut table = Table::new(
        tr,
        &[
            "company-col-name",
            "company-col-country",
            "company-col-tax",
            "company-col-providers",
        ],
        "company-empty",
    );
    for c in &list {
        let href = format!("{COMPANIES}/{}", c.id);
        let served: Vec<String> = c
            .providers
            .iter()
            .map(|id| {
                providers
                    .iter()
                    .find(|p| p.id == *id)
                    .map_or_else(|| id.to_string(), |p| p.name.clone())
            })
            .collect();
        let actions = if editable {
            vec![
                Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"),
                Link::get(format!("{href}/delete"), tr.t("cl-delete"), "btn-danger"),
            ]
        } else {
            Vec::new()
        };
        let name = if editable {
            Cell::link(c.name.clone(), href)
        } else {
            Cell::text(c.name.clone())
        };
        table.row(
            vec![
                name.sub(Some(c.address.clone())),
                Cell::text(country_label(tr, Some(c.country))),
                Cell::text(c.tax_number.clone().unwrap_or_else(|| tr.t("value-none"))),
                if served.is_empty() {
                    Cell::text(tr.t("value-none"))
                } else {
                    Cell::tags(served)
                },
            ],
            actions,
        );
    }
    let mut head = company_head(&ctx);
    if editable {
        head = head.action(Link::get(
            format!("{COMPANIES}/new"),
            tr.t("company-add"),
            "btn-primary",
        ));
    }
    let page = ListPage {
        ui: Done::flash(Ui::new(&ctx, "company-title"), &params),
        head,
        title: None,
        add: None,
        intro: None,
        search: None,
        table,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn render_company(
    ctx: &Ctx,
    who: &Principal,
    company: Option<&CompanyRecord>,
    shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let providers = match provider_names(ctx, who).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let chosen: Vec<String> = match shown.form {
        Some(f) => f.all("providers"),
        None => company
            .map(|c| c.providers.iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
    };
    let provider_options = providers
        .iter()
        .map(|p| {
            let id = p.id.to_string();
            Opt::new(id.clone(), p.name.clone(), chosen.contains(&id)).hint(p.currency_code.clone())
        })
        .collect();
    let country = shown.value(
        "country",
        company
            .map(|c| c.country.code().to_owned())
            .unwrap_or_default(),
    );
    let mut countries = country_options(tr, &country, false);
    if country.is_empty() {
        countries.insert(0, Opt::new("", tr.t("payer-choose-country"), true));
    }
    let text = |name: &str, current: Option<String>| shown.value(name, current.unwrap_or_default());
    let (title, action, submit) = match company {
        None => (
            tr.t("company-new-title"),
            format!("{COMPANIES}/new"),
            tr.t("company-create"),
        ),
        Some(c) => (
            tr.t1("company-edit-title", "name", c.name.as_str()),
            format!("{COMPANIES}/{}", c.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel(COMPANIES.to_owned())
        .error(shown.message.clone())
        .section(
            None,
            vec![
                Field::text(
                    "name",
                    tr.t("company-field-name"),
                    &text("name", company.map(|c| c.name.clone())),
                )
                .required()
                .hint(tr.t("company-name-hint"))
                .max(200),
                Field::select("country", tr.t("company-field-country"), countries).required(),
                Field::textarea(
                    "address",
                    tr.t("company-field-address"),
                    &text("address", company.map(|c| c.address.clone())),
                )
                .required()
                .max(200),
                Field::text(
                    "tax_number",
                    tr.t("company-field-tax"),
                    &text("tax_number", company.and_then(|c| c.tax_number.clone())),
                )
                .max(50),
                Field::textarea(
                    "bank_details",
                    tr.t("company-field-bank"),
                    &text("bank_details", company.and_then(|c| c.bank_details.clone())),
                )
                .hint(tr.t("company-bank-hint"))
                .max(2000),
                Field::checks(
                    "providers",
                    tr.t("company-field-providers"),
                    provider_options,
                )
                .hint(tr.t("company-providers-hint")),
            ],
            &shown.errors,
        );
    let page = FormPage {
        ui: Ui::new(ctx, "company-title"),
        head: company_head(ctx).back(COMPANIES.to_owned(), tr.t("company-title")),
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

fn company_input(form: &Fields, with_providers: bool) -> CompanyInput {
    let text = |name: &str| Some(form.get(name).to_owned());
    CompanyInput {
        name: text("name"),
        country: text("country"),
        tax_number: text("tax_number"),
        address: text("address"),
        bank_details: text("bank_details"),
        providers: with_providers.then(|| form.all("providers")),
    }
}

async fn find_company(ctx: &Ctx, who: &Principal, raw: &str) -> Result<CompanyRecord, Response> {
    let not_found = || error::fail(ctx, AppError::NotFound { what: "company" });
    let id: CompanyId = raw.parse().map_err(|_| not_found())?;
    let list = ctx
        .app
        .list_companies(who)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    list.into_iter().find(|c| c.id == id).ok_or_else(not_found)
}

async fn save_company(
    ctx: Ctx,
    who: Principal,
    company: Option<CompanyRecord>,
    form: Fields,
) -> Response {
    // Without the provider list the checkboxes were not offered: leave the links alone.
    let input = company_input(&form, who.may(f::PROVIDER_LIST));
    match ctx
        .app
        .save_company(&who, company.as_ref().map(|c| c.id), input)
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(COMPANIES)),
        Err(e) => match refusal(ctx.tr, name_taken(&ctx, e)) {
            Ok(r) => render_company(&ctx, &who, company.as_ref(), Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// `GET /admin/companies/new`.
pub async fn company_new(Signed { ctx, who }: Signed) -> Response {
    render_company(&ctx, &who, None, Shown::fresh()).await
}

/// `POST /admin/companies/new`.
pub async fn company_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    save_company(ctx, who, None, form).await
}

/// `GET /admin/companies/{id}`.
pub async fn company_edit(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match find_company(&ctx, &who, &id).await {
        Ok(c) => render_company(&ctx, &who, Some(&c), Shown::fresh()).await,
        Err(res) => res,
    }
}

/// `POST /admin/companies/{id}`.
pub async fn company_save(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    match find_company(&ctx, &who, &id).await {
        Ok(c) => save_company(ctx, who, Some(c), form).await,
        Err(res) => res,
    }
}

/// `GET /admin/companies/{id}/delete`.
pub async fn company_delete_show(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let c = match find_company(&ctx, &who, &id).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let tr = ctx.tr;
    let page = ConfirmPage {
        ui: Ui::new(&ctx, "company-title"),
        head: company_head(&ctx).back(COMPANIES.to_owned(), tr.t("company-title")),
        title: tr.t1("company-delete-title", "name", c.name.as_str()),
        text: tr.t("company-delete-text"),
        warning: None,
        error: None,
        ack: None,
        ack_error: None,
        action: format!("{COMPANIES}/{}/delete", c.id),
        button: tr.t("cl-delete"),
        cancel: COMPANIES.to_owned(),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

/// `POST /admin/companies/{id}/delete`.
pub async fn company_delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let c = match find_company(&ctx, &who, &id).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    match ctx.app.delete_company(&who, c.id).await {
        Ok(()) => see_other(&Done::Deleted.link(COMPANIES)),
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- Currencies ----

/// `GET /admin/currencies?q=&show=`: enabled currencies first; `q` filters by code or name.
pub async fn currencies(Signed { ctx, who }: Signed, params: Params) -> Response {
    let q = params.get("q").trim().to_owned();
    currencies_page(&ctx, &who, StatusCode::OK, &q, Done::read(&params), None).await
}

/// The search matches the code, the directory's name or the name shown to the user.
fn matches(tr: Tr, c: &CurrencyRecord, q: &str) -> bool {
    let q = q.to_lowercase();
    let shown = currency_name(tr, &c.code, &c.name).to_lowercase();
    q.is_empty()
        || c.code.to_lowercase().contains(&q)
        || c.name.to_lowercase().contains(&q)
        || shown.contains(&q)
}

async fn currencies_page(
    ctx: &Ctx,
    who: &Principal,
    status: StatusCode,
    q: &str,
    done: Option<Done>,
    error: Option<String>,
) -> Response {
    let tr = ctx.tr;
    let mut list = match ctx.app.list_currencies(who).await {
        Ok(list) => list,
        Err(e) => return error::fail(ctx, e),
    };
    list.sort_by(|a, b| b.is_active.cmp(&a.is_active).then(a.code.cmp(&b.code)));
    let editable = who.may(f::CURRENCY_EDIT);
    let mut table = Table::new(
        tr,
        &[
            "currency-col-code",
            "currency-col-name",
            "currency-col-minor",
            "currency-col-state",
        ],
        "currency-empty",
    );
    for c in list.iter().filter(|c| matches(tr, c, q)) {
        let actions = if editable {
            let (label, value, style) = if c.is_active {
                ("currency-disable", "0", "btn-danger")
            } else {
                ("currency-enable", "1", "btn-secondary")
            };
            vec![
                Link::post(format!("{CURRENCIES}/{}", c.code), tr.t(label), style)
                    .with_field("active", value)
                    .with_field("q", q),
            ]
        } else {
            Vec::new()
        };
        let state = Cell::status(
            tr.t(if c.is_active {
                "currency-enabled"
            } else {
                "currency-disabled"
            }),
            c.is_active,
        );
        let cells = vec![
            Cell::code(c.code.clone()),
            Cell::text(currency_name(tr, &c.code, &c.name)),
            Cell::text(c.minor_units.to_string()),
            state,
        ];
        if c.is_active {
            table.row(cells, actions);
        } else {
            table.muted_row(cells, actions);
        }
    }
    let active = list.iter().filter(|c| c.is_active).count();
    let page = ListPage {
        ui: with_error(Done::apply(done, Ui::new(ctx, "currency-title")), error),
        head: Head::plain(tr.t("currency-title")).lead(tr.t("currency-lead")),
        title: None,
        add: None,
        intro: Some(tr.ta(
            "currency-summary",
            &[("active", active.into()), ("total", list.len().into())],
        )),
        search: Some(Search {
            action: CURRENCIES.to_owned(),
            label: tr.t("currency-search"),
            value: q.to_owned(),
        }),
        table,
    };
    render::page(ctx, status, &page)
}

/// `POST /admin/currencies/{code}` with `active` (`1` or `0`).
pub async fn currency_switch(
    Signed { ctx, who }: Signed,
    Path(code): Path<String>,
    form: Fields,
) -> Response {
    let active = form.get("active") == "1";
    let q = form.get("q").trim().to_owned();
    match ctx.app.set_currency_active(&who, &code, active).await {
        Ok(_) => {
            let back = crate::url::with_query(CURRENCIES, &[("q", &q), ("done", "saved")]);
            see_other(&back)
        }
        Err(e @ AppError::Conflict { .. }) => match refusal(ctx.tr, e) {
            Ok(r) => currencies_page(&ctx, &who, StatusCode::CONFLICT, &q, None, r.message).await,
            Err(e) => error::fail(&ctx, e),
        },
        Err(e) => error::fail(&ctx, e),
    }
}
