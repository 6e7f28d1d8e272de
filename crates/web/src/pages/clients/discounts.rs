//! The client card's Discounts tab (seed 004): the client's personal discounts, the add and
//! edit form (percentage or fixed amount, everything or chosen product types or plans,
//! validity days, comment) and deletion. The page states the rule people ask about first: a
//! personal discount outranks every promotion. Also the amount and validity fields the
//! promotion form shares.

use super::card::ConfirmPage;
use super::scope::Scope;
use super::view::{Cell, Field, FormView, Link, Opt, Shown, Table, refusal};
use super::{Done, FormPage, ListPage};
use crate::Routes;
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use crate::view::Errors;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::marketing::AmountInput;
use bursar_app::marketing::discounts::{COMMENT_MAX, DiscountInput, DiscountView};
use bursar_app::{AppError, Principal};
use bursar_domain::functions::f;
use bursar_domain::money::format_minor;
use bursar_domain::pricing::Validity;
use bursar_domain::pricing::discounts::{Amount, Scope as Reach, format_percent};

const TITLE: &str = "discount-title";
const LEAD: &str = "discount-lead";
const TAB: &str = "/discounts";

pub(crate) fn routes(r: Routes) -> Routes {
    let base = "/admin/clients/{id}/discounts";
    r.get(base, f::DISCOUNT_VIEW, list)
        .get("/admin/clients/{id}/discounts/new", f::DISCOUNT_EDIT, new)
        .post(
            "/admin/clients/{id}/discounts/new",
            f::DISCOUNT_EDIT,
            create,
        )
        .get(
            "/admin/clients/{id}/discounts/{discount}",
            f::DISCOUNT_EDIT,
            edit,
        )
        .post(
            "/admin/clients/{id}/discounts/{discount}",
            f::DISCOUNT_EDIT,
            save,
        )
        .get(
            "/admin/clients/{id}/discounts/{discount}/delete",
            f::DISCOUNT_EDIT,
            delete_show,
        )
        .post(
            "/admin/clients/{id}/discounts/{discount}/delete",
            f::DISCOUNT_EDIT,
            delete,
        )
}

fn list_path(scope: &Scope) -> String {
    format!("{}/discounts", scope.base)
}

/// `15 %` or `5.00 USD`.
pub(super) fn amount_label(a: &Amount, places: u16) -> String {
    match a {
        Amount::Percent { bp } => format!("{} %", format_percent(*bp)),
        Amount::Fixed { minor, currency } => format!("{} {currency}", format_minor(*minor, places)),
    }
}

/// `2026-01-01 – 2026-06-30`, with "open" for a missing end.
pub(super) fn validity_label(ctx: &Ctx, v: Validity) -> String {
    match (v.starts_on, v.ends_on) {
        (None, None) => ctx.tr.t("discount-always"),
        (s, e) => {
            let open = ctx.tr.t("discount-open");
            let day =
                |d: Option<jiff::civil::Date>| d.map_or_else(|| open.clone(), |d| d.to_string());
            format!("{} – {}", day(s), day(e))
        }
    }
}

fn reach_label(ctx: &Ctx, v: &DiscountView) -> String {
    let names: Vec<&str> = v.targets.iter().map(|(_, n)| n.as_str()).collect();
    match &v.record.discount.scope {
        Reach::All => ctx.tr.t("discount-scope-all"),
        Reach::ProductTypes(_) => ctx
            .tr
            .t1("discount-scope-types-of", "names", names.join(", ")),
        Reach::Tariffs(_) => ctx
            .tr
            .t1("discount-scope-plans-of", "names", names.join(", ")),
    }
}

async fn list_page(ctx: Ctx, who: Principal, scope: Scope, params: Params) -> Response {
    let tr = ctx.tr;
    let discounts = match ctx.app.client_discounts(&who, scope.client).await {
        Ok(d) => d,
        Err(e) => return error::fail(&ctx, e),
    };
    let base = list_path(&scope);
    let editor = who.may(f::DISCOUNT_EDIT);
    let mut table = Table::new(
        tr,
        &[
            "discount-col-amount",
            "discount-col-scope",
            "discount-col-valid",
            "discount-col-comment",
        ],
        "discount-empty",
    );
    for v in &discounts {
        let d = &v.record.discount;
        let href = format!("{base}/{}", d.id);
        let amount = amount_label(&d.amount, v.minor_units);
        let actions = if editor {
            vec![
                Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"),
                Link::get(format!("{href}/delete"), tr.t("cl-delete"), "btn-danger"),
            ]
        } else {
            Vec::new()
        };
        table.row(
            vec![
                if editor {
                    Cell::link(amount, href)
                } else {
                    Cell::text(amount)
                },
                Cell::text(reach_label(&ctx, v)),
                Cell::text(validity_label(&ctx, d.validity)),
                Cell::text(d.comment.clone()),
            ],
            actions,
        );
    }
    let page = ListPage {
        ui: Done::flash(Ui::new(&ctx, TITLE), &params),
        head: scope.head(&ctx, &who, TAB, TITLE, LEAD),
        title: Some(tr.t(TITLE)),
        add: editor.then(|| Link::get(format!("{base}/new"), tr.t("discount-add"), "btn-primary")),
        intro: Some(tr.t("discount-intro")),
        search: None,
        table,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

/// The kind, percent, amount and currency fields, filled from `current` or the typed values.
pub(super) async fn amount_fields(
    ctx: &Ctx,
    who: &Principal,
    shown: &Shown<'_>,
    current: Option<(&Amount, u16)>,
) -> Vec<Field> {
    let tr = ctx.tr;
    let (kind, percent, amount, currency) = match current {
        Some((Amount::Percent { bp }, _)) => {
            ("percent", format_percent(*bp), String::new(), String::new())
        }
        Some((Amount::Fixed { minor, currency }, places)) => (
            "fixed",
            String::new(),
            format_minor(*minor, places),
            currency.clone(),
        ),
        None => ("percent", String::new(), String::new(), String::new()),
    };
    let kind = shown.value("kind", kind);
    let currency = shown.value("currency", currency);
    let kinds = ["percent", "fixed"]
        .iter()
        .map(|k| Opt::new(*k, tr.t(&format!("discount-kind-{k}")), *k == kind))
        .collect();
    let mut currencies = vec![Opt::new("", tr.t("cl-value-not-set"), currency.is_empty())];
    currencies.extend(
        ctx.app
            .list_currencies(who)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.is_active || c.code == currency)
            .map(|c| Opt::new(c.code.clone(), c.code.clone(), c.code == currency)),
    );
    vec![
        Field::select("kind", tr.t("discount-field-kind"), kinds).required(),
        Field::text(
            "percent",
            tr.t("discount-field-percent"),
            &shown.value("percent", percent),
        )
        .hint(tr.t("discount-percent-hint"))
        .max(6),
        Field::text(
            "amount",
            tr.t("discount-field-amount"),
            &shown.value("amount", amount),
        )
        .hint(tr.t("discount-amount-hint"))
        .max(20),
        Field::select("currency", tr.t("discount-field-currency"), currencies),
    ]
}

/// The amount as the form sent it: only the parts of the chosen kind.
pub(super) fn amount_input(form: &Fields) -> AmountInput {
    let kind = form.get("kind").to_owned();
    let fixed = kind == "fixed";
    AmountInput {
        percent: (!fixed).then(|| form.get("percent").to_owned()),
        amount: fixed.then(|| form.get("amount").to_owned()),
        currency: fixed.then(|| form.get("currency").to_owned()),
        kind: Some(kind),
    }
}

/// The first and last day fields.
pub(super) fn validity_fields(ctx: &Ctx, shown: &Shown<'_>, current: Validity) -> Vec<Field> {
    let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        Field::input(
            "starts_on",
            "date",
            ctx.tr.t("discount-field-starts-on"),
            &shown.value("starts_on", day(current.starts_on)),
        )
        .hint(ctx.tr.t("discount-starts-hint")),
        Field::input(
            "ends_on",
            "date",
            ctx.tr.t("discount-field-ends-on"),
            &shown.value("ends_on", day(current.ends_on)),
        )
        .hint(ctx.tr.t("discount-ends-hint")),
    ]
}

/// Moves the errors the use case names by API field to the form's own field.
pub(super) fn rename_errors(errors: Errors, moves: &[(&str, &str)]) -> Errors {
    let mut out = errors;
    for (from, to) in moves {
        if let Some(text) = out.get(from).map(str::to_owned)
            && !out.has(to)
        {
            out.push(to, text);
        }
    }
    out
}

async fn render_form(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    current: Option<&DiscountView>,
    shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let base = list_path(scope);
    let d = current.map(|v| &v.record.discount);
    let reach = shown.value("scope", d.map_or("all", |d| d.scope.key()));
    let chosen = |name: &str| -> Vec<String> {
        match (shown.form, d) {
            (Some(form), _) => form.all(name),
            (None, Some(d)) => match (&d.scope, name) {
                (Reach::ProductTypes(ids), "product_types") | (Reach::Tariffs(ids), "tariffs") => {
                    ids.iter().map(ToString::to_string).collect()
                }
                _ => Vec::new(),
            },
            (None, None) => Vec::new(),
        }
    };
    let picked_types = chosen("product_types");
    let picked_plans = chosen("tariffs");
    let types = ctx
        .app
        .product_types(who)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|t| {
            let id = t.id.to_string();
            let on = picked_types.contains(&id);
            let name = bursar_app::catalog::name_in(ctx.tr.locale(), &t.name_en, &t.name_ru);
            Opt::new(id, name, on)
        })
        .collect();
    let plans = ctx
        .app
        .tariffs(who, None)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            let id = v.tariff.id.to_string();
            let on = picked_plans.contains(&id);
            let t = &v.tariff;
            let name = bursar_app::catalog::name_in(ctx.tr.locale(), &t.name_en, &t.name_ru);
            Opt::new(id, name, on)
        })
        .collect();
    let scopes = ["all", "product_types", "tariffs"]
        .iter()
        .map(|k| {
            Opt::new(
                *k,
                tr.t(&format!("discount-scope-{}", k.replace('_', "-"))),
                *k == reach,
            )
        })
        .collect();
    let mut fields = amount_fields(
        ctx,
        who,
        &shown,
        current.map(|v| (&v.record.discount.amount, v.minor_units)),
    )
    .await;
    fields.push(Field::select("scope", tr.t("discount-field-scope"), scopes).required());
    fields.push(
        Field::checks("product_types", tr.t("discount-field-product-types"), types)
            .hint(tr.t("discount-targets-hint")),
    );
    fields.push(
        Field::checks("tariffs", tr.t("discount-field-tariffs"), plans)
            .hint(tr.t("discount-targets-hint")),
    );
    fields.extend(validity_fields(
        ctx,
        &shown,
        d.map_or(Validity::default(), |d| d.validity),
    ));
    fields.push(
        Field::textarea(
            "comment",
            tr.t("discount-field-comment"),
            &shown.value("comment", d.map(|d| d.comment.clone()).unwrap_or_default()),
        )
        .max(COMMENT_MAX),
    );
    let targets_field = if reach == "tariffs" {
        "tariffs"
    } else {
        "product_types"
    };
    let errors = rename_errors(
        shown.errors,
        &[("targets", targets_field), ("targets[0]", targets_field)],
    );
    let (title, action, submit) = match d {
        None => (
            tr.t("discount-new-title"),
            format!("{base}/new"),
            tr.t("discount-create"),
        ),
        Some(d) => (
            tr.t("discount-edit-title"),
            format!("{base}/{}", d.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .intro(tr.t("discount-intro"))
        .cancel(base)
        .error(shown.message.clone())
        .section(None, fields, &errors);
    let page = FormPage {
        ui: Ui::new(ctx, TITLE),
        head: scope.head(ctx, who, TAB, TITLE, LEAD),
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

fn input(form: &Fields) -> DiscountInput {
    let scope = form.get("scope").to_owned();
    let targets = match scope.as_str() {
        "product_types" => form.all("product_types"),
        "tariffs" => form.all("tariffs"),
        _ => Vec::new(),
    };
    DiscountInput {
        amount: amount_input(form),
        scope: Some(scope),
        targets: Some(targets),
        starts_on: Some(form.get("starts_on").to_owned()),
        ends_on: Some(form.get("ends_on").to_owned()),
        comment: Some(form.get("comment").to_owned()),
    }
}

/// The card's client and its discount `raw`; another client's discount is "not found".
async fn find(
    ctx: &Ctx,
    who: &Principal,
    client: &str,
    raw: &str,
) -> Result<(Scope, DiscountView), Response> {
    let scope = Scope::staff(ctx, who, client).await?;
    let id = raw
        .parse()
        .map_err(|_| error::fail(ctx, AppError::NotFound { what: "discount" }))?;
    let v = ctx
        .app
        .client_discount(who, scope.client, id)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    Ok((scope, v))
}

async fn list(Signed { ctx, who }: Signed, Path(id): Path<String>, params: Params) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => list_page(ctx, who, scope, params).await,
        Err(res) => res,
    }
}

async fn new(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => render_form(&ctx, &who, &scope, None, Shown::fresh()).await,
        Err(res) => res,
    }
}

async fn submit(
    ctx: Ctx,
    who: Principal,
    scope: Scope,
    current: Option<DiscountView>,
    form: Fields,
) -> Response {
    let id = current.as_ref().map(|v| v.record.discount.id);
    match ctx
        .app
        .save_client_discount(&who, scope.client, id, input(&form))
        .await
    {
        Ok(_) => {
            let done = if id.is_some() {
                Done::Saved
            } else {
                Done::Created
            };
            see_other(&done.link(&list_path(&scope)))
        }
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                render_form(
                    &ctx,
                    &who,
                    &scope,
                    current.as_ref(),
                    Shown::refused(&form, r),
                )
                .await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn create(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => submit(ctx, who, scope, None, form).await,
        Err(res) => res,
    }
}

async fn edit(
    Signed { ctx, who }: Signed,
    Path((id, discount)): Path<(String, String)>,
) -> Response {
    let (scope, v) = match find(&ctx, &who, &id, &discount).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    render_form(&ctx, &who, &scope, Some(&v), Shown::fresh()).await
}

async fn save(
    Signed { ctx, who }: Signed,
    Path((id, discount)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let (scope, v) = match find(&ctx, &who, &id, &discount).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    submit(ctx, who, scope, Some(v), form).await
}

async fn delete_show(
    Signed { ctx, who }: Signed,
    Path((id, discount)): Path<(String, String)>,
) -> Response {
    let (scope, v) = match find(&ctx, &who, &id, &discount).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    let tr = ctx.tr;
    let base = list_path(&scope);
    let amount = amount_label(&v.record.discount.amount, v.minor_units);
    let page = ConfirmPage {
        ui: Ui::new(&ctx, TITLE),
        head: scope.head(&ctx, &who, TAB, TITLE, LEAD),
        title: tr.t1("discount-delete-title", "amount", amount.as_str()),
        text: tr.t("discount-delete-text"),
        warning: None,
        error: None,
        ack: None,
        ack_error: None,
        action: format!("{base}/{}/delete", v.record.discount.id),
        button: tr.t("cl-delete"),
        cancel: base,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn delete(
    Signed { ctx, who }: Signed,
    Path((id, discount)): Path<(String, String)>,
) -> Response {
    let (scope, v) = match find(&ctx, &who, &id, &discount).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    match ctx
        .app
        .delete_client_discount(&who, scope.client, v.record.discount.id)
        .await
    {
        Ok(()) => see_other(&Done::Deleted.link(&list_path(&scope))),
        Err(e) => error::fail(&ctx, e),
    }
}
