//! A client's payers (seed 002): who pays and receives the accounting documents. The list,
//! the add and edit form (kind, name, country, address, tax number, e-mail for documents,
//! default), and deletion; for staff under the client card and for the client's users under
//! `/client/payers`. Another client's payer is "not found".

use super::card::ConfirmPage;
use super::scope::Scope;
use super::view::{
    Cell, Field, FormView, Link, Opt, Shown, Table, country_label, country_options, refusal,
};
use super::{Done, FormPage, ListPage};
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::client_accounts::PayerInput;
use bursar_app::ports::PayerRecord;
use bursar_app::{AppError, Principal};
use bursar_domain::PayerId;
use bursar_domain::clients::PayerKind;

const TITLE: &str = "payer-title";
const LEAD: &str = "payer-lead";
const TAB: &str = "/payers";

fn list_path(scope: &Scope) -> String {
    format!("{}/payers", scope.base)
}

fn kind_label(ctx: &Ctx, kind: PayerKind) -> String {
    ctx.tr
        .t(&format!("payer-kind-{}", kind.code().replace('_', "-")))
}

async fn list(ctx: Ctx, who: Principal, scope: Scope, params: Params) -> Response {
    let tr = ctx.tr;
    let payers = match ctx.app.list_payers(&who, scope.client).await {
        Ok(payers) => payers,
        Err(e) => return error::fail(&ctx, e),
    };
    let base = list_path(&scope);
    let mut table = Table::new(
        tr,
        &[
            "payer-col-name",
            "payer-col-country",
            "payer-col-tax",
            "payer-col-email",
        ],
        "payer-empty",
    );
    for p in &payers {
        let href = format!("{base}/{}", p.id);
        let mut name = Cell::link(p.name.clone(), href.clone()).sub(Some(kind_label(&ctx, p.kind)));
        if p.is_default {
            name.tags.push(tr.t("payer-default-tag"));
        }
        table.row(
            vec![
                name,
                Cell::text(country_label(tr, Some(p.country))),
                Cell::text(p.tax_number.clone().unwrap_or_else(|| tr.t("value-none"))),
                Cell::text(p.email.clone().unwrap_or_else(|| tr.t("value-none"))),
            ],
            vec![
                Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"),
                Link::get(format!("{href}/delete"), tr.t("cl-delete"), "btn-danger"),
            ],
        );
    }
    let page = ListPage {
        ui: Done::flash(Ui::new(&ctx, TITLE), &params),
        head: scope.head(&ctx, &who, TAB, TITLE, LEAD),
        title: Some(tr.t(TITLE)),
        add: Some(Link::get(
            format!("{base}/new"),
            tr.t("payer-add"),
            "btn-primary",
        )),
        intro: Some(tr.t("payer-intro")),
        search: None,
        table,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

fn render_form(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    payer: Option<&PayerRecord>,
    shown: Shown,
) -> Response {
    let tr = ctx.tr;
    let base = list_path(scope);
    let kind = shown.value(
        "kind",
        payer.map_or(PayerKind::Person.code(), |p| p.kind.code()),
    );
    let default_country = scope
        .card
        .as_ref()
        .and_then(|c| c.client.country)
        .map(|c| c.code().to_owned())
        .unwrap_or_default();
    let country = shown.value(
        "country",
        payer.map_or(default_country, |p| p.country.code().to_owned()),
    );
    let kinds = PayerKind::ALL
        .iter()
        .map(|k| Opt::new(k.code(), kind_label(ctx, *k), k.code() == kind))
        .collect();
    let mut countries = country_options(tr, &country, false);
    if country.is_empty() {
        countries.insert(0, Opt::new("", tr.t("payer-choose-country"), true));
    }
    let is_default = payer.is_some_and(|p| p.is_default);
    let mut default = Field::checkbox(
        "is_default",
        tr.t("payer-field-default"),
        is_default || shown.checked("is_default", false),
    )
    .disabled(is_default);
    default = default.hint(tr.t(if is_default {
        "payer-default-hint-current"
    } else {
        "payer-default-hint"
    }));
    let fields = vec![
        Field::select("kind", tr.t("payer-field-kind"), kinds).required(),
        Field::text(
            "name",
            tr.t("payer-field-name"),
            &shown.value("name", payer.map(|p| p.name.clone()).unwrap_or_default()),
        )
        .required()
        .hint(tr.t("payer-name-hint"))
        .max(200),
        Field::select("country", tr.t("payer-field-country"), countries).required(),
        Field::text(
            "region",
            tr.t("payer-field-region"),
            &shown.value(
                "region",
                payer.and_then(|p| p.region.clone()).unwrap_or_default(),
            ),
        )
        .hint(tr.t("payer-region-hint"))
        .max(100),
        Field::textarea(
            "address",
            tr.t("payer-field-address"),
            &shown.value(
                "address",
                payer.and_then(|p| p.address.clone()).unwrap_or_default(),
            ),
        )
        .max(500),
        Field::text(
            "tax_number",
            tr.t("payer-field-tax"),
            &shown.value(
                "tax_number",
                payer.and_then(|p| p.tax_number.clone()).unwrap_or_default(),
            ),
        )
        .hint(tr.t("payer-tax-hint"))
        .max(50),
        Field::input(
            "email",
            "email",
            tr.t("payer-field-email"),
            &shown.value(
                "email",
                payer.and_then(|p| p.email.clone()).unwrap_or_default(),
            ),
        )
        .hint(tr.t("payer-email-hint"))
        .max(254),
        default,
    ];
    let (title, action, submit) = match payer {
        None => (
            tr.t("payer-new-title"),
            format!("{base}/new"),
            tr.t("payer-create"),
        ),
        Some(p) => (
            tr.t1("payer-edit-title", "name", p.name.as_str()),
            format!("{base}/{}", p.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel(base)
        .error(shown.message.clone())
        .section(None, fields, &shown.errors);
    let page = FormPage {
        ui: Ui::new(ctx, TITLE),
        head: scope.head(ctx, who, TAB, TITLE, LEAD),
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

fn input(form: &Fields) -> PayerInput {
    let text = |name: &str| Some(form.get(name).to_owned());
    PayerInput {
        kind: text("kind"),
        name: text("name"),
        country: text("country"),
        region: text("region"),
        address: text("address"),
        tax_number: text("tax_number"),
        email: text("email"),
        is_default: Some(!form.get("is_default").is_empty()),
    }
}

async fn create(ctx: Ctx, who: Principal, scope: Scope, form: Fields) -> Response {
    match ctx
        .app
        .save_payer(&who, scope.client, None, input(&form))
        .await
    {
        Ok(_) => see_other(&Done::Created.link(&list_path(&scope))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => render_form(&ctx, &who, &scope, None, Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// The payer `raw` of the scope's client; another client's payer is "not found".
async fn find(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    raw: &str,
) -> Result<PayerRecord, Response> {
    let not_found = || error::fail(ctx, AppError::NotFound { what: "payer" });
    let id: PayerId = raw.parse().map_err(|_| not_found())?;
    let payers = ctx
        .app
        .list_payers(who, scope.client)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    payers
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(not_found)
}

async fn edit(ctx: Ctx, who: Principal, scope: Scope, raw: &str) -> Response {
    match find(&ctx, &who, &scope, raw).await {
        Ok(payer) => render_form(&ctx, &who, &scope, Some(&payer), Shown::fresh()),
        Err(res) => res,
    }
}

async fn save(ctx: Ctx, who: Principal, scope: Scope, raw: &str, form: Fields) -> Response {
    let payer = match find(&ctx, &who, &scope, raw).await {
        Ok(payer) => payer,
        Err(res) => return res,
    };
    match ctx
        .app
        .save_payer(&who, scope.client, Some(payer.id), input(&form))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(&list_path(&scope))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => render_form(&ctx, &who, &scope, Some(&payer), Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

fn delete_page(ctx: &Ctx, who: &Principal, scope: &Scope, payer: &PayerRecord) -> ConfirmPage {
    let tr = ctx.tr;
    let base = list_path(scope);
    ConfirmPage {
        ui: Ui::new(ctx, TITLE),
        head: scope.head(ctx, who, TAB, TITLE, LEAD),
        title: tr.t1("payer-delete-title", "name", payer.name.as_str()),
        text: tr.t("payer-delete-text"),
        warning: None,
        error: None,
        ack: None,
        ack_error: None,
        action: format!("{base}/{}/delete", payer.id),
        button: tr.t("cl-delete"),
        cancel: base,
    }
}

async fn delete_show(ctx: Ctx, who: Principal, scope: Scope, raw: &str) -> Response {
    match find(&ctx, &who, &scope, raw).await {
        Ok(payer) => render::page(
            &ctx,
            StatusCode::OK,
            &delete_page(&ctx, &who, &scope, &payer),
        ),
        Err(res) => res,
    }
}

async fn delete(ctx: Ctx, who: Principal, scope: Scope, raw: &str) -> Response {
    let payer = match find(&ctx, &who, &scope, raw).await {
        Ok(payer) => payer,
        Err(res) => return res,
    };
    match ctx.app.delete_payer(&who, scope.client, payer.id).await {
        Ok(()) => see_other(&Done::Deleted.link(&list_path(&scope))),
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- Staff: /admin/clients/{id}/payers… ----

pub async fn staff_list(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => list(ctx, who, scope, params).await,
        Err(res) => res,
    }
}

pub async fn staff_new(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => render_form(&ctx, &who, &scope, None, Shown::fresh()),
        Err(res) => res,
    }
}

pub async fn staff_create(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => create(ctx, who, scope, form).await,
        Err(res) => res,
    }
}

pub async fn staff_edit(
    Signed { ctx, who }: Signed,
    Path((id, payer)): Path<(String, String)>,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => edit(ctx, who, scope, &payer).await,
        Err(res) => res,
    }
}

pub async fn staff_save(
    Signed { ctx, who }: Signed,
    Path((id, payer)): Path<(String, String)>,
    form: Fields,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => save(ctx, who, scope, &payer, form).await,
        Err(res) => res,
    }
}

pub async fn staff_delete_show(
    Signed { ctx, who }: Signed,
    Path((id, payer)): Path<(String, String)>,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => delete_show(ctx, who, scope, &payer).await,
        Err(res) => res,
    }
}

pub async fn staff_delete(
    Signed { ctx, who }: Signed,
    Path((id, payer)): Path<(String, String)>,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => delete(ctx, who, scope, &payer).await,
        Err(res) => res,
    }
}

// ---- Client area: /client/payers… ----

pub async fn own_list(Signed { ctx, who }: Signed, params: Params) -> Response {
    match Scope::own(&who) {
        Ok(scope) => list(ctx, who, scope, params).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_new(Signed { ctx, who }: Signed) -> Response {
    match Scope::own(&who) {
        Ok(scope) => render_form(&ctx, &who, &scope, None, Shown::fresh()),
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match Scope::own(&who) {
        Ok(scope) => create(ctx, who, scope, form).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_edit(Signed { ctx, who }: Signed, Path(payer): Path<String>) -> Response {
    match Scope::own(&who) {
        Ok(scope) => edit(ctx, who, scope, &payer).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_save(
    Signed { ctx, who }: Signed,
    Path(payer): Path<String>,
    form: Fields,
) -> Response {
    match Scope::own(&who) {
        Ok(scope) => save(ctx, who, scope, &payer, form).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_delete_show(Signed { ctx, who }: Signed, Path(payer): Path<String>) -> Response {
    match Scope::own(&who) {
        Ok(scope) => delete_show(ctx, who, scope, &payer).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_delete(Signed { ctx, who }: Signed, Path(payer): Path<String>) -> Response {
    match Scope::own(&who) {
        Ok(scope) => delete(ctx, who, scope, &payer).await,
        Err(e) => error::fail(&ctx, e),
    }
}
