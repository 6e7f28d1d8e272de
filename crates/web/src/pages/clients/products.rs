//! Products (issue 10): the staff panel's catalog pages. Product types with their service
//! parameters, tariff plans with a price matrix (periods × price and setup fee) and their
//! add-ons, enumerations, processing modules with "Check connection", and the price list
//! the public API serves.

use super::finance::MoneyList;
use super::view::{Cell, Field, FormView, Head, Link, Opt, Shown, Table, refusal, yes_no};
use super::{Done, FormPage};
use crate::Routes;
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::catalog::enumerations::{EnumerationInput, ItemInput};
use bursar_app::catalog::modules::ModuleInput;
use bursar_app::catalog::name_in;
use bursar_app::catalog::product_types::{ParamInput, ProductTypeInput};
use bursar_app::catalog::tariffs::{
    AddonInput, AddonPriceInput, PriceInput, TariffInput, TariffView,
};
use bursar_app::ports::{
    CatalogId, EnumerationRecord, ModuleKind, ModuleRecord, ProductTypeRecord,
};
use bursar_app::{AppError, Principal};
use bursar_domain::catalog::{AddonBilling, ParamKind, Period};
use bursar_domain::functions::f;

pub(crate) fn routes(r: Routes) -> Routes {
    r.get("/admin/price-list", f::CATALOG_VIEW, price_list)
        .get("/admin/product-types", f::CATALOG_VIEW, types)
        .get("/admin/product-types/new", f::CATALOG_EDIT, type_new)
        .post("/admin/product-types/new", f::CATALOG_EDIT, type_create)
        .get("/admin/product-types/{id}", f::CATALOG_EDIT, type_edit)
        .post("/admin/product-types/{id}", f::CATALOG_EDIT, type_save)
        .post(
            "/admin/product-types/{id}/params",
            f::CATALOG_EDIT,
            param_add,
        )
        .post(
            "/admin/product-types/{id}/params/{key}/delete",
            f::CATALOG_EDIT,
            param_delete,
        )
        .post(
            "/admin/product-types/{id}/delete",
            f::CATALOG_EDIT,
            type_delete,
        )
        .get("/admin/tariffs", f::CATALOG_VIEW, tariffs)
        .get("/admin/tariffs/new", f::CATALOG_EDIT, tariff_new)
        .post("/admin/tariffs/new", f::CATALOG_EDIT, tariff_create)
        .get("/admin/tariffs/{id}", f::CATALOG_EDIT, tariff_edit)
        .post("/admin/tariffs/{id}", f::CATALOG_EDIT, tariff_save)
        .post(
            "/admin/tariffs/{id}/archive",
            f::CATALOG_EDIT,
            tariff_archive,
        )
        .post("/admin/tariffs/{id}/delete", f::CATALOG_EDIT, tariff_delete)
        .post("/admin/tariffs/{id}/addons", f::CATALOG_EDIT, addon_add)
        .post(
            "/admin/tariffs/{id}/addons/{addon}/delete",
            f::CATALOG_EDIT,
            addon_delete,
        )
        .get("/admin/enumerations", f::CATALOG_VIEW, enumerations)
        .get("/admin/enumerations/new", f::CATALOG_EDIT, enum_new)
        .post("/admin/enumerations/new", f::CATALOG_EDIT, enum_create)
        .get("/admin/enumerations/{id}", f::CATALOG_EDIT, enum_edit)
        .post("/admin/enumerations/{id}", f::CATALOG_EDIT, enum_save)
        .post(
            "/admin/enumerations/{id}/delete",
            f::CATALOG_EDIT,
            enum_delete,
        )
        .get("/admin/processing-modules", f::CATALOG_MODULES, modules)
        .get(
            "/admin/processing-modules/new",
            f::CATALOG_MODULES,
            module_new,
        )
        .post(
            "/admin/processing-modules/new",
            f::CATALOG_MODULES,
            module_create,
        )
        .get(
            "/admin/processing-modules/{id}",
            f::CATALOG_MODULES,
            module_edit,
        )
        .post(
            "/admin/processing-modules/{id}",
            f::CATALOG_MODULES,
            module_save,
        )
        .post(
            "/admin/processing-modules/{id}/check",
            f::CATALOG_MODULES,
            module_check,
        )
        .post(
            "/admin/processing-modules/{id}/delete",
            f::CATALOG_MODULES,
            module_delete,
        )
}

fn head(ctx: &Ctx, title: &str) -> Head {
    Head::plain(ctx.tr.t(title)).lead(ctx.tr.t("products-lead"))
}

fn list_page(
    ctx: &Ctx,
    title: &str,
    adds: Vec<Link>,
    intro: Option<String>,
    table: Table,
    extras: Vec<(String, Table)>,
    params: &Params,
) -> Response {
    let page = MoneyList {
        ui: Done::flash(Ui::new(ctx, title), params),
        head: head(ctx, title),
        title: ctx.tr.t(title),
        adds,
        intro,
        filters: None,
        sums: Vec::new(),
        table,
        pager: None,
        extras,
    };
    render::page(ctx, StatusCode::OK, &page)
}

fn form_page(ctx: &Ctx, title: &str, back: &str, view: FormView, status: StatusCode) -> Response {
    let head = head(ctx, title).back(back.to_owned(), ctx.tr.t(title));
    render::page(
        ctx,
        status,
        &FormPage {
            ui: Ui::new(ctx, title),
            head,
            form: view,
        },
    )
}

fn period_name(ctx: &Ctx, p: Period) -> String {
    ctx.tr.t(&format!("period-{}", p.key()))
}

fn bad_id(ctx: &Ctx, what: &'static str) -> Response {
    error::fail(ctx, AppError::NotFound { what })
}

async fn parse(ctx: &Ctx, raw: &str, what: &'static str) -> Result<CatalogId, Response> {
    raw.parse().map_err(|_| bad_id(ctx, what))
}

fn refused(
    ctx: &Ctx,
    e: AppError,
    show: impl FnOnce(super::view::Refusal) -> Response,
) -> Response {
    match refusal(ctx.tr, e) {
        Ok(r) => show(r),
        Err(e) => error::fail(ctx, e),
    }
}

// ---- price list ----

fn price_cells(ctx: &Ctx, v: &TariffView) -> String {
    v.tariff
        .prices
        .iter()
        .map(|p| {
            let setup = if p.setup_minor > 0 {
                format!(" + {}", v.amount(p.setup_minor))
            } else {
                String::new()
            };
            format!(
                "{}: {}{setup}",
                period_name(ctx, p.period),
                v.amount(p.price_minor)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

async fn price_list(Signed { ctx, .. }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let list = match ctx.app.price_list(tr.locale()).await {
        Ok(l) => l,
        Err(e) => return error::fail(&ctx, e),
    };
    let mut table = Table::new(
        tr,
        &[
            "products-col-provider",
            "products-col-plan",
            "products-col-prices",
            "products-col-addons",
        ],
        "products-price-list-empty",
    );
    for p in &list {
        for plan in &p.plans {
            let prices = plan
                .prices
                .iter()
                .map(|pr| {
                    format!(
                        "{}: {} {}",
                        period_name(&ctx, pr.period),
                        pr.price,
                        plan.currency
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            let addons = plan
                .addons
                .iter()
                .map(|a| a.name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            table.row(
                vec![
                    Cell::text(p.provider.clone()),
                    Cell::text(plan.name.clone()).sub(Some(plan.product_type.clone())),
                    Cell::text(prices),
                    Cell::text(addons),
                ],
                Vec::new(),
            );
        }
    }
    list_page(
        &ctx,
        "products-price-list-title",
        Vec::new(),
        Some(tr.t("products-price-list-intro")),
        table,
        Vec::new(),
        &params,
    )
}

// ---- product types ----

async fn types(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let list = match ctx.app.product_types(&who).await {
        Ok(l) => l,
        Err(e) => return error::fail(&ctx, e),
    };
    let mut table = Table::new(
        tr,
        &[
            "products-col-key",
            "products-col-name",
            "products-col-params",
        ],
        "products-types-empty",
    );
    for t in &list {
        let mut actions = Vec::new();
        if who.may(f::CATALOG_EDIT) {
            actions.push(Link::get(
                format!("/admin/product-types/{}", t.id),
                tr.t("cl-edit"),
                "btn-secondary",
            ));
            actions.push(Link::post(
                format!("/admin/product-types/{}/delete", t.id),
                tr.t("cl-delete"),
                "btn-danger",
            ));
        }
        table.row(
            vec![
                Cell::code(t.key.clone()),
                Cell::text(name_in(tr.locale(), &t.name_en, &t.name_ru).to_owned()),
                Cell::text(
                    t.params
                        .iter()
                        .map(|p| p.key.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
            actions,
        );
    }
    let mut adds = Vec::new();
    if who.may(f::CATALOG_EDIT) {
        adds.push(Link::get(
            "/admin/product-types/new".to_owned(),
            tr.t("products-type-add"),
            "btn-primary",
        ));
    }
    list_page(
        &ctx,
        "products-types-title",
        adds,
        None,
        table,
        Vec::new(),
        &params,
    )
}

async fn type_form(
    ctx: &Ctx,
    who: &Principal,
    current: Option<&ProductTypeRecord>,
    shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let modules = ctx.app.modules(who).await.unwrap_or_default();
    let module = shown.value(
        "module_id",
        current
            .and_then(|t| t.module_id)
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let mut opts = vec![Opt::new("", tr.t("products-no-module"), module.is_empty())];
    opts.extend(
        modules
            .iter()
            .map(|m| Opt::new(m.id.to_string(), m.name.clone(), m.id.to_string() == module)),
    );
    let fields = vec![
        Field::text(
            "key",
            tr.t("products-field-key"),
            &shown.value("key", current.map(|t| t.key.clone()).unwrap_or_default()),
        )
        .required()
        .max(64)
        .hint(tr.t("products-key-hint")),
        Field::text(
            "name_en",
            tr.t("products-field-name-en"),
            &shown.value(
                "name_en",
                current.map(|t| t.name_en.clone()).unwrap_or_default(),
            ),
        )
        .required()
        .max(100),
        Field::text(
            "name_ru",
            tr.t("products-field-name-ru"),
            &shown.value(
                "name_ru",
                current.map(|t| t.name_ru.clone()).unwrap_or_default(),
            ),
        )
        .required()
        .max(100),
        Field::select("module_id", tr.t("products-field-module"), opts),
    ];
    let (title, action, submit) = match current {
        None => (
            tr.t("products-type-new"),
            "/admin/product-types/new".to_owned(),
            tr.t("products-create"),
        ),
        Some(t) => (
            t.key.clone(),
            format!("/admin/product-types/{}", t.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel("/admin/product-types".to_owned())
        .error(shown.message.clone())
        .section(None, fields, &shown.errors);
    form_page(
        ctx,
        "products-types-title",
        "/admin/product-types",
        view,
        shown.status,
    )
}

fn type_input(form: &Fields) -> ProductTypeInput {
    ProductTypeInput {
        key: Some(form.get("key").to_owned()),
        name_en: Some(form.get("name_en").to_owned()),
        name_ru: Some(form.get("name_ru").to_owned()),
        module_id: Some(form.get("module_id").to_owned()),
        params: None,
    }
}

async fn type_new(Signed { ctx, who }: Signed) -> Response {
    type_form(&ctx, &who, None, Shown::fresh()).await
}

async fn type_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match ctx
        .app
        .save_product_type(&who, None, type_input(&form))
        .await
    {
        Ok(t) => see_other(&Done::Created.link(&format!("/admin/product-types/{}", t.id))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => type_form(&ctx, &who, None, Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn find_type(ctx: &Ctx, who: &Principal, raw: &str) -> Result<ProductTypeRecord, Response> {
    let id = parse(ctx, raw, "product type").await?;
    ctx.app
        .product_type(who, id)
        .await
        .map_err(|e| error::fail(ctx, e))
}

async fn type_edit(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match find_type(&ctx, &who, &id).await {
        Ok(t) => type_page(&ctx, &who, &t, Shown::fresh(), Shown::fresh()).await,
        Err(res) => res,
    }
}

/// The type's form, its parameters and the add-parameter form.
async fn type_page(
    ctx: &Ctx,
    who: &Principal,
    t: &ProductTypeRecord,
    shown: Shown<'_>,
    add_shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let enums = ctx.app.enumerations(who).await.unwrap_or_default();
    let mut table = Table::new(
        tr,
        &[
            "products-col-key",
            "products-col-name",
            "products-col-kind",
            "products-col-asked",
        ],
        "products-no-params",
    );
    for p in &t.params {
        table.row(
            vec![
                Cell::code(p.key.clone()),
                Cell::text(name_in(tr.locale(), &p.label_en, &p.label_ru).to_owned()),
                Cell::text(tr.t(&format!("param-kind-{}", p.kind.key()))),
                Cell::text(format!(
                    "{}{}",
                    tr.t(if p.after_payment {
                        "products-after-payment"
                    } else {
                        "products-at-order"
                    }),
                    if p.required {
                        format!(" · {}", tr.t("products-required"))
                    } else {
                        String::new()
                    }
                )),
            ],
            vec![Link::post(
                format!("/admin/product-types/{}/params/{}/delete", t.id, p.key),
                tr.t("cl-delete"),
                "btn-danger",
            )],
        );
    }
    let fields = param_fields(ctx, &enums, &add_shown);
    let status = if shown.form.is_some() {
        shown.status
    } else {
        add_shown.status
    };
    let view = FormView::new(
        tr,
        t.key.clone(),
        format!("/admin/product-types/{}", t.id),
        tr.t("cl-save"),
    )
    .cancel("/admin/product-types".to_owned())
    .error(shown.message.clone())
    .section(
        None,
        vec![
            Field::text(
                "key",
                tr.t("products-field-key"),
                &shown.value("key", t.key.clone()),
            )
            .required()
            .max(64),
            Field::text(
                "name_en",
                tr.t("products-field-name-en"),
                &shown.value("name_en", t.name_en.clone()),
            )
            .required()
            .max(100),
            Field::text(
                "name_ru",
                tr.t("products-field-name-ru"),
                &shown.value("name_ru", t.name_ru.clone()),
            )
            .required()
            .max(100),
            module_field(
                ctx,
                who,
                shown.value(
                    "module_id",
                    t.module_id.map(|m| m.to_string()).unwrap_or_default(),
                ),
            )
            .await,
        ],
        &shown.errors,
    );
    let add = FormView::new(
        tr,
        tr.t("products-param-add"),
        format!("/admin/product-types/{}/params", t.id),
        tr.t("products-param-add"),
    )
    .error(add_shown.message.clone())
    .section(None, fields, &add_shown.errors);
    let page = TypePage {
        ui: Ui::new(ctx, "products-types-title"),
        head: head(ctx, "products-types-title"),
        form: view,
        params: table,
        add,
    };
    render::page(ctx, status, &page)
}

async fn module_field(ctx: &Ctx, who: &Principal, current: String) -> Field {
    let tr = ctx.tr;
    let modules = ctx.app.modules(who).await.unwrap_or_default();
    let mut opts = vec![Opt::new("", tr.t("products-no-module"), current.is_empty())];
    opts.extend(modules.iter().map(|m| {
        Opt::new(
            m.id.to_string(),
            m.name.clone(),
            m.id.to_string() == current,
        )
    }));
    Field::select("module_id", tr.t("products-field-module"), opts)
}

fn param_fields(ctx: &Ctx, enums: &[EnumerationRecord], shown: &Shown) -> Vec<Field> {
    let tr = ctx.tr;
    let kind = shown.value("kind", "text");
    let kinds = ParamKind::ALL
        .iter()
        .map(|k| {
            Opt::new(
                k.key(),
                tr.t(&format!("param-kind-{}", k.key())),
                kind == k.key(),
            )
        })
        .collect();
    let mut enum_opts = vec![Opt::new("", tr.t("products-no-enumeration"), true)];
    enum_opts.extend(enums.iter().map(|e| {
        Opt::new(
            e.id.to_string(),
            name_in(tr.locale(), &e.name_en, &e.name_ru).to_owned(),
            false,
        )
    }));
    vec![
        Field::text(
            "param_key",
            tr.t("products-field-key"),
            &shown.value("param_key", ""),
        )
        .required()
        .max(64),
        Field::text(
            "label_en",
            tr.t("products-field-name-en"),
            &shown.value("label_en", ""),
        )
        .required()
        .max(100),
        Field::text(
            "label_ru",
            tr.t("products-field-name-ru"),
            &shown.value("label_ru", ""),
        )
        .required()
        .max(100),
        Field::select("kind", tr.t("products-col-kind"), kinds),
        Field::select(
            "enumeration_id",
            tr.t("products-field-enumeration"),
            enum_opts,
        ),
        Field::checkbox("required", tr.t("products-required"), false),
        Field::checkbox("after_payment", tr.t("products-after-payment"), false)
            .hint(tr.t("products-after-payment-hint")),
        Field::input(
            "min_length",
            "number",
            tr.t("products-field-min-length"),
            &shown.value("min_length", "0"),
        ),
        Field::input(
            "max_length",
            "number",
            tr.t("products-field-max-length"),
            &shown.value("max_length", "255"),
        ),
        Field::text(
            "pattern",
            tr.t("products-field-pattern"),
            &shown.value("pattern", ""),
        )
        .max(500)
        .hint(tr.t("products-pattern-hint")),
    ]
}

#[derive(askama::Template)]
#[template(path = "clients/type_page.html")]
struct TypePage {
    ui: Ui,
    head: Head,
    form: FormView,
    params: Table,
    add: FormView,
}

async fn type_save(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let t = match find_type(&ctx, &who, &id).await {
        Ok(t) => t,
        Err(res) => return res,
    };
    match ctx
        .app
        .save_product_type(&who, Some(t.id), type_input(&form))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(&format!("/admin/product-types/{}", t.id))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => type_page(&ctx, &who, &t, Shown::refused(&form, r), Shown::fresh()).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// An add-on's refused fields as the add-on form names them (`addon_key`, `addon_prices`).
fn addon_errors(e: AppError) -> AppError {
    match e {
        AppError::Invalid(mut invalid) => {
            for err in &mut invalid.0 {
                err.field = match err.field.as_str() {
                    "key" | "name_en" | "name_ru" | "enumeration_id" => {
                        format!("addon_{}", err.field)
                    }
                    f if f.starts_with("prices") => "addon_prices".to_owned(),
                    f => f.to_owned(),
                };
            }
            AppError::Invalid(invalid)
        }
        other => other,
    }
}

/// A refusal of the "add" form of a list (`params[3].pattern`), with its fields named as
/// that form names them (`pattern`; the key as `prefix_key`).
fn added_item_errors(e: AppError, list: &str, prefix: &str) -> AppError {
    match e {
        AppError::Invalid(mut invalid) => {
            for err in &mut invalid.0 {
                if let Some(rest) = err.field.strip_prefix(&format!("{list}["))
                    && let Some((_, name)) = rest.split_once("].")
                {
                    err.field = match name {
                        "key" | "name_en" | "name_ru" | "enumeration_id" if !prefix.is_empty() => {
                            format!("{prefix}_{name}")
                        }
                        "key" => "param_key".to_owned(),
                        other => other.to_owned(),
                    };
                }
            }
            AppError::Invalid(invalid)
        }
        other => other,
    }
}

fn current_params(t: &ProductTypeRecord) -> Vec<ParamInput> {
    t.params
        .iter()
        .map(|p| ParamInput {
            key: p.key.clone(),
            label_en: p.label_en.clone(),
            label_ru: p.label_ru.clone(),
            kind: p.kind.key().to_owned(),
            enumeration_id: p.enumeration_id.map(|e| e.to_string()),
            required: p.required,
            after_payment: p.after_payment,
            min_length: Some(p.min_length),
            max_length: Some(p.max_length),
            pattern: Some(p.pattern.clone()),
        })
        .collect()
}

async fn param_add(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let t = match find_type(&ctx, &who, &id).await {
        Ok(t) => t,
        Err(res) => return res,
    };
    let mut params = current_params(&t);
    params.push(ParamInput {
        key: form.get("param_key").to_owned(),
        label_en: form.get("label_en").to_owned(),
        label_ru: form.get("label_ru").to_owned(),
        kind: form.get("kind").to_owned(),
        enumeration_id: Some(form.get("enumeration_id").to_owned()),
        required: !form.get("required").is_empty(),
        after_payment: !form.get("after_payment").is_empty(),
        min_length: form.get("min_length").trim().parse().ok(),
        max_length: form.get("max_length").trim().parse().ok(),
        pattern: Some(form.get("pattern").to_owned()),
    });
    let input = ProductTypeInput {
        params: Some(params),
        ..ProductTypeInput::default()
    };
    match ctx.app.save_product_type(&who, Some(t.id), input).await {
        Ok(_) => see_other(&Done::Saved.link(&format!("/admin/product-types/{}", t.id))),
        Err(e) => match refusal(ctx.tr, added_item_errors(e, "params", "")) {
            Ok(r) => type_page(&ctx, &who, &t, Shown::fresh(), Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn param_delete(
    Signed { ctx, who }: Signed,
    Path((id, key)): Path<(String, String)>,
) -> Response {
    let t = match find_type(&ctx, &who, &id).await {
        Ok(t) => t,
        Err(res) => return res,
    };
    let params = current_params(&t)
        .into_iter()
        .filter(|p| p.key != key)
        .collect();
    let input = ProductTypeInput {
        params: Some(params),
        ..ProductTypeInput::default()
    };
    match ctx.app.save_product_type(&who, Some(t.id), input).await {
        Ok(_) => see_other(&Done::Saved.link(&format!("/admin/product-types/{}", t.id))),
        Err(e) => error::fail(&ctx, e),
    }
}

async fn type_delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse(&ctx, &id, "product type").await {
        Ok(id) => id,
        Err(res) => return res,
    };
    match ctx.app.delete_product_type(&who, id).await {
        Ok(()) => see_other(&Done::Deleted.link("/admin/product-types")),
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- tariff plans ----

async fn tariffs(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let list = match ctx.app.tariffs(&who, None).await {
        Ok(l) => l,
        Err(e) => return error::fail(&ctx, e),
    };
    let mut table = Table::new(
        tr,
        &[
            "products-col-plan",
            "products-col-prices",
            "products-col-addons",
            "products-col-state",
        ],
        "products-tariffs-empty",
    );
    for v in &list {
        let t = &v.tariff;
        let state = if t.archived_at.is_some() {
            tr.t("products-archived")
        } else if !t.is_active {
            tr.t("account-off")
        } else if t.client_orderable {
            tr.t("products-orderable-clients")
        } else {
            tr.t("products-orderable-staff")
        };
        let mut actions = Vec::new();
        if who.may(f::CATALOG_EDIT) {
            actions.push(Link::get(
                format!("/admin/tariffs/{}", t.id),
                tr.t("cl-edit"),
                "btn-secondary",
            ));
        }
        table.row(
            vec![
                Cell::text(name_in(tr.locale(), &t.name_en, &t.name_ru).to_owned())
                    .sub(Some(t.currency_code.clone())),
                Cell::text(price_cells(&ctx, v)),
                Cell::text(
                    v.addons
                        .iter()
                        .map(|a| a.key.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::status(state, t.is_active && t.archived_at.is_none()),
            ],
            actions,
        );
    }
    let mut adds = Vec::new();
    if who.may(f::CATALOG_EDIT) {
        adds.push(Link::get(
            "/admin/tariffs/new".to_owned(),
            tr.t("products-tariff-add"),
            "btn-primary",
        ));
    }
    list_page(
        &ctx,
        "products-tariffs-title",
        adds,
        None,
        table,
        Vec::new(),
        &params,
    )
}

async fn tariff_fields(
    ctx: &Ctx,
    who: &Principal,
    current: Option<&TariffView>,
    shown: &Shown<'_>,
) -> (Vec<Field>, Vec<Field>, Vec<Field>) {
    let tr = ctx.tr;
    let t = current.map(|v| &v.tariff);
    let mut main = Vec::new();
    if current.is_none() {
        let types = ctx.app.product_types(who).await.unwrap_or_default();
        let chosen = shown.value("product_type_id", String::new());
        main.push(
            Field::select(
                "product_type_id",
                tr.t("products-field-type"),
                types
                    .iter()
                    .map(|ty| {
                        Opt::new(
                            ty.id.to_string(),
                            name_in(tr.locale(), &ty.name_en, &ty.name_ru).to_owned(),
                            chosen == ty.id.to_string(),
                        )
                    })
                    .collect(),
            )
            .required(),
        );
        let providers = ctx.app.list_providers(who).await.unwrap_or_default();
        let chosen = shown.value("provider_id", String::new());
        main.push(
            Field::select(
                "provider_id",
                tr.t("products-col-provider"),
                providers
                    .iter()
                    .map(|p| {
                        Opt::new(
                            p.id.to_string(),
                            format!("{} ({})", p.name, p.currency_code),
                            chosen == p.id.to_string(),
                        )
                    })
                    .collect(),
            )
            .required()
            .hint(tr.t("products-provider-hint")),
        );
    }
    main.push(
        Field::text(
            "name_en",
            tr.t("products-field-name-en"),
            &shown.value("name_en", t.map(|t| t.name_en.clone()).unwrap_or_default()),
        )
        .required()
        .max(100),
    );
    main.push(
        Field::text(
            "name_ru",
            tr.t("products-field-name-ru"),
            &shown.value("name_ru", t.map(|t| t.name_ru.clone()).unwrap_or_default()),
        )
        .required()
        .max(100),
    );
    main.push(
        Field::textarea(
            "description_en",
            tr.t("products-field-description-en"),
            &shown.value(
                "description_en",
                t.map(|t| t.description_en.clone()).unwrap_or_default(),
            ),
        )
        .max(2000),
    );
    main.push(
        Field::textarea(
            "description_ru",
            tr.t("products-field-description-ru"),
            &shown.value(
                "description_ru",
                t.map(|t| t.description_ru.clone()).unwrap_or_default(),
            ),
        )
        .max(2000),
    );
    main.push(
        Field::text(
            "currency",
            tr.t("provider-col-currency"),
            &shown.value(
                "currency",
                t.map(|t| t.currency_code.clone()).unwrap_or_default(),
            ),
        )
        .max(3)
        .hint(tr.t("products-currency-hint")),
    );
    main.push(Field::checkbox(
        "is_active",
        tr.t("account-field-active"),
        shown.checked("is_active", t.is_none_or(|t| t.is_active)),
    ));
    main.push(
        Field::checkbox(
            "client_orderable",
            tr.t("products-orderable-clients"),
            shown.checked("client_orderable", t.is_none_or(|t| t.client_orderable)),
        )
        .hint(tr.t("products-orderable-hint")),
    );
    main.push(
        Field::checkbox(
            "quick_order",
            tr.t("products-quick-order"),
            shown.checked("quick_order", t.is_some_and(|t| t.quick_order)),
        )
        .hint(tr.t("products-quick-order-hint")),
    );
    main.push(
        Field::input(
            "max_services",
            "number",
            tr.t("products-max-services"),
            &shown.value(
                "max_services",
                t.and_then(|t| t.max_services).unwrap_or(0).to_string(),
            ),
        )
        .hint(tr.t("products-max-services-hint")),
    );
    main.push(Field::input(
        "trial_days",
        "number",
        tr.t("products-trial-days"),
        &shown.value("trial_days", t.map_or(0, |t| t.trial_days).to_string()),
    ));
    let default = shown.value(
        "default_period",
        t.map_or("month1", |t| t.default_period.key()),
    );
    main.push(Field::select(
        "default_period",
        tr.t("products-default-period"),
        Period::ALL
            .iter()
            .map(|p| Opt::new(p.key(), period_name(ctx, *p), default == p.key()))
            .collect(),
    ));
    // The price matrix: a row per period with "offered", price and setup fee.
    let mut matrix = Vec::new();
    for p in Period::ALL {
        let existing = t.and_then(|t| t.prices.iter().find(|x| x.period == p));
        let amount = |m: i64| current.map(|v| v.amount(m)).unwrap_or_default();
        let key = p.key();
        let offered: &'static str = matrix_field("offered", key);
        let price: &'static str = matrix_field("price", key);
        let setup: &'static str = matrix_field("setup", key);
        matrix.push(Field::checkbox(
            offered,
            period_name(ctx, p),
            shown.checked(offered, existing.is_some()),
        ));
        if p != Period::Trial {
            matrix.push(
                Field::text(
                    price,
                    format!("{} — {}", period_name(ctx, p), tr.t("products-col-price")),
                    &shown.value(
                        price,
                        existing.map(|e| amount(e.price_minor)).unwrap_or_default(),
                    ),
                )
                .max(20),
            );
        }
        matrix.push(
            Field::text(
                setup,
                format!("{} — {}", period_name(ctx, p), tr.t("products-col-setup")),
                &shown.value(
                    setup,
                    existing.map(|e| amount(e.setup_minor)).unwrap_or_default(),
                ),
            )
            .max(20),
        );
    }
    let groups = ctx.app.list_client_groups(who).await.unwrap_or_default();
    let closed: Vec<String> = current
        .map(|v| v.forbidden_groups.iter().map(ToString::to_string).collect())
        .unwrap_or_default();
    let group_field = vec![Field::checks(
        "forbidden_groups",
        tr.t("products-forbidden-groups"),
        groups
            .iter()
            .map(|(g, _)| {
                let id = g.id.to_string();
                let chosen = match shown.form {
                    Some(f) => f.all("forbidden_groups").contains(&id),
                    None => closed.contains(&id),
                };
                Opt::new(id, g.name.clone(), chosen)
            })
            .collect(),
    )];
    (main, matrix, group_field)
}

/// Field names of the price matrix (`price_month1`): one static string per period and part,
/// written out at compile time.
fn matrix_field(part: &str, period: &str) -> &'static str {
    const NAMES: [(&str, &str, &str); 27] = {
        macro_rules! row {
            ($($p:literal),*) => {[
                $(("offered", $p, concat!("offered_", $p)),)*
                $(("price", $p, concat!("price_", $p)),)*
                $(("setup", $p, concat!("setup_", $p)),)*
            ]};
        }
        row!(
            "trial", "day", "month1", "month3", "month6", "month12", "month24", "month36",
            "lifetime"
        )
    };
    NAMES
        .iter()
        .find(|(kind, p, _)| *kind == part && *p == period)
        .map_or("price", |(_, _, name)| name)
}

fn tariff_input(form: &Fields, create: bool) -> TariffInput {
    let text = |n: &str| Some(form.get(n).to_owned());
    let prices = Period::ALL
        .iter()
        .filter(|p| !form.get(matrix_field("offered", p.key())).is_empty())
        .map(|p| PriceInput {
            period: p.key().to_owned(),
            price: Some(form.get(matrix_field("price", p.key())).to_owned()),
            setup: Some(form.get(matrix_field("setup", p.key())).to_owned()),
        })
        .collect();
    TariffInput {
        product_type_id: if create {
            text("product_type_id")
        } else {
            None
        },
        provider_id: if create { text("provider_id") } else { None },
        currency: text("currency").filter(|c| !c.trim().is_empty()),
        name_en: text("name_en"),
        name_ru: text("name_ru"),
        description_en: text("description_en"),
        description_ru: text("description_ru"),
        is_active: Some(!form.get("is_active").is_empty()),
        client_orderable: Some(!form.get("client_orderable").is_empty()),
        quick_order: Some(!form.get("quick_order").is_empty()),
        max_services: form.get("max_services").trim().parse().ok().or(Some(0)),
        default_period: text("default_period"),
        trial_days: form.get("trial_days").trim().parse().ok().or(Some(0)),
        prices: Some(prices),
        forbidden_groups: Some(form.all("forbidden_groups")),
    }
}

async fn tariff_form(
    ctx: &Ctx,
    who: &Principal,
    current: Option<&TariffView>,
    shown: Shown<'_>,
    add_shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let (main, matrix, groups) = tariff_fields(ctx, who, current, &shown).await;
    let (title, action, submit) = match current {
        None => (
            tr.t("products-tariff-new"),
            "/admin/tariffs/new".to_owned(),
            tr.t("products-create"),
        ),
        Some(v) => (
            name_in(tr.locale(), &v.tariff.name_en, &v.tariff.name_ru).to_owned(),
            format!("/admin/tariffs/{}", v.tariff.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel("/admin/tariffs".to_owned())
        .error(shown.message.clone())
        .section(None, main, &shown.errors)
        .section(Some(tr.t("products-price-matrix")), matrix, &shown.errors)
        .section(
            Some(tr.t("products-forbidden-groups")),
            groups,
            &shown.errors,
        );
    match current {
        None => form_page(
            ctx,
            "products-tariffs-title",
            "/admin/tariffs",
            view,
            shown.status,
        ),
        Some(v) => {
            let (addons, add) = addon_section(ctx, who, v, &add_shown).await;
            let mut actions = vec![Link::post(
                format!("/admin/tariffs/{}/archive", v.tariff.id),
                tr.t(if v.tariff.archived_at.is_some() {
                    "products-unarchive"
                } else {
                    "products-archive"
                }),
                "btn-secondary",
            )];
            actions.push(Link::post(
                format!("/admin/tariffs/{}/delete", v.tariff.id),
                tr.t("cl-delete"),
                "btn-danger",
            ));
            let page = TariffPage {
                ui: Ui::new(ctx, "products-tariffs-title"),
                head: head(ctx, "products-tariffs-title"),
                form: view,
                actions,
                addons,
                add,
            };
            render::page(ctx, shown.status, &page)
        }
    }
}

async fn addon_section(
    ctx: &Ctx,
    who: &Principal,
    v: &TariffView,
    add_shown: &Shown<'_>,
) -> (Table, FormView) {
    let tr = ctx.tr;
    let mut table = Table::new(
        tr,
        &[
            "products-col-key",
            "products-col-name",
            "products-col-billing",
            "products-col-prices",
        ],
        "products-no-addons",
    );
    for a in &v.addons {
        let prices = a
            .prices
            .iter()
            .map(|p| {
                format!(
                    "{}{}: {}",
                    period_name(ctx, p.period),
                    if p.option.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", p.option)
                    },
                    v.amount(p.price_minor)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let limits = match a.billing {
            AddonBilling::Order | AddonBilling::Statistics => format!(
                "{} {} ({}–{}, ×{})",
                a.included, a.unit, a.min, a.max, a.step
            ),
            _ => String::new(),
        };
        table.row(
            vec![
                Cell::code(a.key.clone()),
                Cell::text(name_in(tr.locale(), &a.name_en, &a.name_ru).to_owned())
                    .sub((!limits.is_empty()).then_some(limits)),
                Cell::text(tr.t(&format!("billing-{}", a.billing.key()))),
                Cell::text(prices),
            ],
            vec![Link::post(
                format!("/admin/tariffs/{}/addons/{}/delete", v.tariff.id, a.id),
                tr.t("cl-delete"),
                "btn-danger",
            )],
        );
    }
    let enums = ctx.app.enumerations(who).await.unwrap_or_default();
    let mut enum_opts = vec![Opt::new("", tr.t("products-no-enumeration"), true)];
    enum_opts.extend(enums.iter().map(|e| {
        Opt::new(
            e.id.to_string(),
            name_in(tr.locale(), &e.name_en, &e.name_ru).to_owned(),
            false,
        )
    }));
    let fields = vec![
        Field::text(
            "addon_key",
            tr.t("products-field-key"),
            &add_shown.value("addon_key", ""),
        )
        .required()
        .max(64),
        Field::text(
            "addon_name_en",
            tr.t("products-field-name-en"),
            &add_shown.value("addon_name_en", ""),
        )
        .required()
        .max(100),
        Field::text(
            "addon_name_ru",
            tr.t("products-field-name-ru"),
            &add_shown.value("addon_name_ru", ""),
        )
        .required()
        .max(100),
        Field::select(
            "billing",
            tr.t("products-col-billing"),
            AddonBilling::ALL
                .iter()
                .map(|b| Opt::new(b.key(), tr.t(&format!("billing-{}", b.key())), false))
                .collect(),
        ),
        Field::text(
            "unit",
            tr.t("products-field-unit"),
            &add_shown.value("unit", ""),
        )
        .max(20),
        Field::input(
            "included",
            "number",
            tr.t("products-field-included"),
            &add_shown.value("included", "0"),
        ),
        Field::input(
            "min",
            "number",
            tr.t("products-field-min"),
            &add_shown.value("min", "0"),
        ),
        Field::input(
            "max",
            "number",
            tr.t("products-field-max"),
            &add_shown.value("max", "0"),
        ),
        Field::input(
            "step",
            "number",
            tr.t("products-field-step"),
            &add_shown.value("step", "1"),
        ),
        Field::select(
            "addon_enumeration_id",
            tr.t("products-field-enumeration"),
            enum_opts,
        ),
        Field::textarea(
            "addon_prices",
            tr.t("products-col-prices"),
            &add_shown.value("addon_prices", ""),
        )
        .hint(tr.t("products-addon-prices-hint")),
    ];
    let add = FormView::new(
        tr,
        tr.t("products-addon-add"),
        format!("/admin/tariffs/{}/addons", v.tariff.id),
        tr.t("products-addon-add"),
    )
    .error(add_shown.message.clone())
    .section(None, fields, &add_shown.errors);
    (table, add)
}

#[derive(askama::Template)]
#[template(path = "clients/tariff_page.html")]
struct TariffPage {
    ui: Ui,
    head: Head,
    form: FormView,
    actions: Vec<Link>,
    addons: Table,
    add: FormView,
}

async fn tariff_new(Signed { ctx, who }: Signed) -> Response {
    tariff_form(&ctx, &who, None, Shown::fresh(), Shown::fresh()).await
}

async fn tariff_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match ctx
        .app
        .save_tariff(&who, None, tariff_input(&form, true))
        .await
    {
        Ok(v) => see_other(&Done::Created.link(&format!("/admin/tariffs/{}", v.tariff.id))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => tariff_form(&ctx, &who, None, Shown::refused(&form, r), Shown::fresh()).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn find_tariff(ctx: &Ctx, who: &Principal, raw: &str) -> Result<TariffView, Response> {
    let id = parse(ctx, raw, "tariff plan").await?;
    ctx.app
        .tariff(who, id)
        .await
        .map_err(|e| error::fail(ctx, e))
}

async fn tariff_edit(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match find_tariff(&ctx, &who, &id).await {
        Ok(v) => tariff_form(&ctx, &who, Some(&v), Shown::fresh(), Shown::fresh()).await,
        Err(res) => res,
    }
}

async fn tariff_save(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let v = match find_tariff(&ctx, &who, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match ctx
        .app
        .save_tariff(&who, Some(v.tariff.id), tariff_input(&form, false))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(&format!("/admin/tariffs/{}", v.tariff.id))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                tariff_form(
                    &ctx,
                    &who,
                    Some(&v),
                    Shown::refused(&form, r),
                    Shown::fresh(),
                )
                .await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn tariff_archive(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let v = match find_tariff(&ctx, &who, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match ctx
        .app
        .archive_tariff(&who, v.tariff.id, v.tariff.archived_at.is_none())
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(&format!("/admin/tariffs/{}", v.tariff.id))),
        Err(e) => error::fail(&ctx, e),
    }
}

async fn tariff_delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse(&ctx, &id, "tariff plan").await {
        Ok(id) => id,
        Err(res) => return res,
    };
    match ctx.app.delete_tariff(&who, id).await {
        Ok(()) => see_other(&Done::Deleted.link("/admin/tariffs")),
        Err(e) => error::fail(&ctx, e),
    }
}

/// Add-on prices typed one per line: `month1 = 2.00`, or for a choice `month1 windows = 15.00`.
fn addon_prices(raw: &str) -> Vec<AddonPriceInput> {
    raw.lines()
        .filter_map(|line| {
            let (left, price) = line.split_once('=')?;
            let mut parts = left.split_whitespace();
            let period = parts.next()?.to_owned();
            let option = parts.next().unwrap_or_default().to_owned();
            Some(AddonPriceInput {
                period,
                option,
                price: price.trim().to_owned(),
            })
        })
        .collect()
}

async fn addon_add(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let v = match find_tariff(&ctx, &who, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let num = |n: &str| form.get(n).trim().parse::<i64>().ok();
    let input = AddonInput {
        key: Some(form.get("addon_key").to_owned()),
        name_en: Some(form.get("addon_name_en").to_owned()),
        name_ru: Some(form.get("addon_name_ru").to_owned()),
        billing: Some(form.get("billing").to_owned()),
        unit: Some(form.get("unit").to_owned()),
        included: num("included"),
        min: num("min"),
        max: num("max"),
        step: num("step"),
        enumeration_id: Some(form.get("addon_enumeration_id").to_owned()),
        prices: Some(addon_prices(form.get("addon_prices"))),
    };
    match ctx.app.save_addon(&who, v.tariff.id, None, input).await {
        Ok(_) => see_other(&Done::Saved.link(&format!("/admin/tariffs/{}", v.tariff.id))),
        Err(e) => match refusal(
            ctx.tr,
            added_item_errors(addon_errors(e), "prices", "addon"),
        ) {
            Ok(r) => {
                tariff_form(
                    &ctx,
                    &who,
                    Some(&v),
                    Shown::fresh(),
                    Shown::refused(&form, r),
                )
                .await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn addon_delete(
    Signed { ctx, who }: Signed,
    Path((id, addon)): Path<(String, String)>,
) -> Response {
    let (Ok(tariff), Ok(addon)) = (id.parse::<CatalogId>(), addon.parse::<CatalogId>()) else {
        return bad_id(&ctx, "add-on");
    };
    match ctx.app.delete_addon(&who, tariff, addon).await {
        Ok(()) => see_other(&Done::Deleted.link(&format!("/admin/tariffs/{tariff}"))),
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- enumerations ----

async fn enumerations(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let list = match ctx.app.enumerations(&who).await {
        Ok(l) => l,
        Err(e) => return error::fail(&ctx, e),
    };
    let mut table = Table::new(
        tr,
        &["products-col-name", "products-col-items"],
        "products-enumerations-empty",
    );
    for e in &list {
        let mut actions = Vec::new();
        if who.may(f::CATALOG_EDIT) {
            actions.push(Link::get(
                format!("/admin/enumerations/{}", e.id),
                tr.t("cl-edit"),
                "btn-secondary",
            ));
            actions.push(Link::post(
                format!("/admin/enumerations/{}/delete", e.id),
                tr.t("cl-delete"),
                "btn-danger",
            ));
        }
        table.row(
            vec![
                Cell::text(name_in(tr.locale(), &e.name_en, &e.name_ru).to_owned()),
                Cell::text(
                    e.items
                        .iter()
                        .map(|i| name_in(tr.locale(), &i.name_en, &i.name_ru).to_owned())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
            actions,
        );
    }
    let mut adds = Vec::new();
    if who.may(f::CATALOG_EDIT) {
        adds.push(Link::get(
            "/admin/enumerations/new".to_owned(),
            tr.t("products-enumeration-add"),
            "btn-primary",
        ));
    }
    list_page(
        &ctx,
        "products-enumerations-title",
        adds,
        None,
        table,
        Vec::new(),
        &params,
    )
}

fn enum_form(ctx: &Ctx, current: Option<&EnumerationRecord>, shown: Shown) -> Response {
    let tr = ctx.tr;
    let lines = current
        .map(|e| {
            e.items
                .iter()
                .map(|i| format!("{} | {} | {}", i.value, i.name_en, i.name_ru))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let fields = vec![
        Field::text(
            "name_en",
            tr.t("products-field-name-en"),
            &shown.value(
                "name_en",
                current.map(|e| e.name_en.clone()).unwrap_or_default(),
            ),
        )
        .required()
        .max(100),
        Field::text(
            "name_ru",
            tr.t("products-field-name-ru"),
            &shown.value(
                "name_ru",
                current.map(|e| e.name_ru.clone()).unwrap_or_default(),
            ),
        )
        .required()
        .max(100),
        Field::textarea(
            "items",
            tr.t("products-col-items"),
            &shown.value("items", lines),
        )
        .required()
        .hint(tr.t("products-items-hint")),
    ];
    let (title, action, submit) = match current {
        None => (
            tr.t("products-enumeration-new"),
            "/admin/enumerations/new".to_owned(),
            tr.t("products-create"),
        ),
        Some(e) => (
            e.name_en.clone(),
            format!("/admin/enumerations/{}", e.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel("/admin/enumerations".to_owned())
        .error(shown.message.clone())
        .section(None, fields, &shown.errors);
    form_page(
        ctx,
        "products-enumerations-title",
        "/admin/enumerations",
        view,
        shown.status,
    )
}

fn enum_input(form: &Fields) -> EnumerationInput {
    let items = form
        .get("items")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.split('|').map(str::trim);
            ItemInput {
                value: parts.next().unwrap_or_default().to_owned(),
                name_en: parts.next().unwrap_or_default().to_owned(),
                name_ru: parts.next().unwrap_or_default().to_owned(),
            }
        })
        .collect();
    EnumerationInput {
        name_en: Some(form.get("name_en").to_owned()),
        name_ru: Some(form.get("name_ru").to_owned()),
        items: Some(items),
    }
}

async fn enum_new(Signed { ctx, .. }: Signed) -> Response {
    enum_form(&ctx, None, Shown::fresh())
}

async fn enum_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match ctx
        .app
        .save_enumeration(&who, None, enum_input(&form))
        .await
    {
        Ok(_) => see_other(&Done::Created.link("/admin/enumerations")),
        Err(e) => refused(&ctx, e, |r| enum_form(&ctx, None, Shown::refused(&form, r))),
    }
}

async fn find_enum(ctx: &Ctx, who: &Principal, raw: &str) -> Result<EnumerationRecord, Response> {
    let id = parse(ctx, raw, "enumeration").await?;
    let list = ctx
        .app
        .enumerations(who)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    list.into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| bad_id(ctx, "enumeration"))
}

async fn enum_edit(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match find_enum(&ctx, &who, &id).await {
        Ok(e) => enum_form(&ctx, Some(&e), Shown::fresh()),
        Err(res) => res,
    }
}

async fn enum_save(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let e = match find_enum(&ctx, &who, &id).await {
        Ok(e) => e,
        Err(res) => return res,
    };
    match ctx
        .app
        .save_enumeration(&who, Some(e.id), enum_input(&form))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link("/admin/enumerations")),
        Err(err) => refused(&ctx, err, |r| {
            enum_form(&ctx, Some(&e), Shown::refused(&form, r))
        }),
    }
}

async fn enum_delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse(&ctx, &id, "enumeration").await {
        Ok(id) => id,
        Err(res) => return res,
    };
    match ctx.app.delete_enumeration(&who, id).await {
        Ok(()) => see_other(&Done::Deleted.link("/admin/enumerations")),
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- processing modules ----

async fn modules(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let list = match ctx.app.modules(&who).await {
        Ok(l) => l,
        Err(e) => return error::fail(&ctx, e),
    };
    let mut table = Table::new(
        tr,
        &[
            "products-col-name",
            "products-col-kind",
            "products-col-target",
            "products-col-state",
        ],
        "products-modules-empty",
    );
    for m in &list {
        let target = m.command.clone().or(m.url.clone()).unwrap_or_default();
        table.row(
            vec![
                Cell::text(m.name.clone()),
                Cell::text(tr.t(&format!("module-kind-{}", m.kind.key()))),
                Cell::code(target),
                Cell::text(yes_no(tr, m.is_active)),
            ],
            vec![
                Link::get(
                    format!("/admin/processing-modules/{}", m.id),
                    tr.t("cl-edit"),
                    "btn-secondary",
                ),
                Link::post(
                    format!("/admin/processing-modules/{}/check", m.id),
                    tr.t("products-module-check"),
                    "btn-secondary",
                ),
                Link::post(
                    format!("/admin/processing-modules/{}/delete", m.id),
                    tr.t("cl-delete"),
                    "btn-danger",
                ),
            ],
        );
    }
    let adds = vec![Link::get(
        "/admin/processing-modules/new".to_owned(),
        tr.t("products-module-add"),
        "btn-primary",
    )];
    list_page(
        &ctx,
        "products-modules-title",
        adds,
        Some(tr.t("products-modules-intro")),
        table,
        Vec::new(),
        &params,
    )
}

async fn module_form(
    ctx: &Ctx,
    who: &Principal,
    current: Option<&ModuleRecord>,
    shown: Shown<'_>,
    answer: Option<String>,
) -> Response {
    let tr = ctx.tr;
    let kind = shown.value("kind", current.map_or("manual", |m| m.kind.key()));
    let departments = ctx.app.list_departments(who).await.unwrap_or_default();
    let dept = shown.value(
        "department_id",
        current
            .and_then(|m| m.department_id)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let mut dept_opts = vec![Opt::new(
        "",
        tr.t("products-no-department"),
        dept.is_empty(),
    )];
    dept_opts.extend(departments.iter().map(|d| {
        Opt::new(
            d.department.id.to_string(),
            name_in(tr.locale(), &d.department.name_en, &d.department.name_ru).to_owned(),
            dept == d.department.id.to_string(),
        )
    }));
    let fields = vec![
        Field::text(
            "name",
            tr.t("products-col-name"),
            &shown.value("name", current.map(|m| m.name.clone()).unwrap_or_default()),
        )
        .required()
        .max(100),
        Field::select(
            "kind",
            tr.t("products-col-kind"),
            ModuleKind::ALL
                .iter()
                .map(|k| {
                    Opt::new(
                        k.key(),
                        tr.t(&format!("module-kind-{}", k.key())),
                        kind == k.key(),
                    )
                })
                .collect(),
        ),
        Field::select(
            "department_id",
            tr.t("products-field-department"),
            dept_opts,
        )
        .hint(tr.t("products-department-hint")),
        Field::text(
            "command",
            tr.t("products-field-command"),
            &shown.value(
                "command",
                current.and_then(|m| m.command.clone()).unwrap_or_default(),
            ),
        )
        .max(500)
        .hint(tr.t("products-command-hint")),
        Field::text(
            "url",
            tr.t("products-field-url"),
            &shown.value(
                "url",
                current.and_then(|m| m.url.clone()).unwrap_or_default(),
            ),
        )
        .max(500),
        Field::input("secret", "password", tr.t("products-field-secret"), "")
            .max(500)
            .hint(tr.t(if current.is_some_and(|m| m.secret.is_some()) {
                "products-secret-kept"
            } else {
                "products-secret-hint"
            })),
        Field::input(
            "timeout_secs",
            "number",
            tr.t("products-field-timeout"),
            &shown.value(
                "timeout_secs",
                current.map_or(30, |m| m.timeout_secs).to_string(),
            ),
        ),
        Field::checkbox(
            "is_active",
            tr.t("account-field-active"),
            shown.checked("is_active", current.is_none_or(|m| m.is_active)),
        ),
    ];
    let (title, action, submit) = match current {
        None => (
            tr.t("products-module-new"),
            "/admin/processing-modules/new".to_owned(),
            tr.t("products-create"),
        ),
        Some(m) => (
            m.name.clone(),
            format!("/admin/processing-modules/{}", m.id),
            tr.t("cl-save"),
        ),
    };
    let mut view = FormView::new(tr, title, action, submit)
        .cancel("/admin/processing-modules".to_owned())
        .error(shown.message.clone())
        .section(None, fields, &shown.errors);
    if let Some(a) = answer {
        view = view.intro(a);
    }
    form_page(
        ctx,
        "products-modules-title",
        "/admin/processing-modules",
        view,
        shown.status,
    )
}

fn module_input(form: &Fields) -> ModuleInput {
    let text = |n: &str| Some(form.get(n).to_owned());
    ModuleInput {
        name: text("name"),
        kind: text("kind"),
        department_id: text("department_id"),
        command: text("command"),
        url: text("url"),
        // An empty secret field keeps the stored one (it is never shown back).
        secret: text("secret").filter(|s| !s.is_empty()),
        timeout_secs: form.get("timeout_secs").trim().parse().ok(),
        is_active: Some(!form.get("is_active").is_empty()),
    }
}

async fn module_new(Signed { ctx, who }: Signed) -> Response {
    module_form(&ctx, &who, None, Shown::fresh(), None).await
}

async fn module_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match ctx.app.save_module(&who, None, module_input(&form)).await {
        Ok(_) => see_other(&Done::Created.link("/admin/processing-modules")),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => module_form(&ctx, &who, None, Shown::refused(&form, r), None).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn find_module(ctx: &Ctx, who: &Principal, raw: &str) -> Result<ModuleRecord, Response> {
    let id = parse(ctx, raw, "processing module").await?;
    let list = ctx
        .app
        .modules(who)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    list.into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| bad_id(ctx, "processing module"))
}

async fn module_edit(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match find_module(&ctx, &who, &id).await {
        Ok(m) => module_form(&ctx, &who, Some(&m), Shown::fresh(), None).await,
        Err(res) => res,
    }
}

async fn module_save(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let m = match find_module(&ctx, &who, &id).await {
        Ok(m) => m,
        Err(res) => return res,
    };
    match ctx
        .app
        .save_module(&who, Some(m.id), module_input(&form))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link("/admin/processing-modules")),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => module_form(&ctx, &who, Some(&m), Shown::refused(&form, r), None).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn module_check(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let m = match find_module(&ctx, &who, &id).await {
        Ok(m) => m,
        Err(res) => return res,
    };
    match ctx.app.check_module(&who, m.id).await {
        Ok(a) => {
            let text = ctx.tr.t1(
                if a.ok {
                    "products-check-ok"
                } else {
                    "products-check-failed"
                },
                "message",
                a.message.as_str(),
            );
            module_form(&ctx, &who, Some(&m), Shown::fresh(), Some(text)).await
        }
        Err(e) => error::fail(&ctx, e),
    }
}

async fn module_delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse(&ctx, &id, "processing module").await {
        Ok(id) => id,
        Err(res) => return res,
    };
    match ctx.app.delete_module(&who, id).await {
        Ok(()) => see_other(&Done::Deleted.link("/admin/processing-modules")),
        Err(e) => error::fail(&ctx, e),
    }
}
