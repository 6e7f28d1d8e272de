//! Marketing → Promotions: the list, the add form, and the promotion's page with its
//! details, its condition groups (the page says how groups combine: any one condition of a
//! group, one from each group) and its promo codes, which staff add one by one or generate
//! by the hundred, and delete.

use super::discounts::{
    amount_fields, amount_input, amount_label, rename_errors, validity_fields, validity_label,
};
use super::view::{Cell, Field, FormView, Head, Link, Opt, Shown, Table, refusal, yes_no};
use super::{Done, FormPage, ListPage};
use crate::Routes;
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::catalog::name_in;
use bursar_app::marketing::promotions::{
    CodesInput, ConditionInput, PromotionInput, PromotionView,
};
use bursar_app::ports::CatalogId;
use bursar_app::{AppError, Principal};
use bursar_domain::catalog::Period;
use bursar_domain::functions::f;
use bursar_domain::pricing::Validity;
use bursar_domain::pricing::discounts::{Condition, PromoCode};

const TITLE: &str = "promotion-title";
const LIST: &str = "/admin/promotions";

pub(crate) fn routes(r: Routes) -> Routes {
    r.get(LIST, f::PROMOTION_VIEW, list)
        .get("/admin/promotions/new", f::PROMOTION_EDIT, new)
        .post("/admin/promotions/new", f::PROMOTION_EDIT, create)
        .get("/admin/promotions/{id}", f::PROMOTION_VIEW, show)
        .post("/admin/promotions/{id}", f::PROMOTION_EDIT, save)
        .post("/admin/promotions/{id}/delete", f::PROMOTION_EDIT, delete)
        .post(
            "/admin/promotions/{id}/conditions",
            f::PROMOTION_EDIT,
            condition_add,
        )
        .post(
            "/admin/promotions/{id}/conditions/{condition}/delete",
            f::PROMOTION_EDIT,
            condition_delete,
        )
        .post("/admin/promotions/{id}/codes", f::PROMOTION_EDIT, codes_add)
        .post(
            "/admin/promotions/{id}/codes/{code}/delete",
            f::PROMOTION_EDIT,
            code_delete,
        )
}

fn head(ctx: &Ctx) -> Head {
    Head::plain(ctx.tr.t(TITLE)).lead(ctx.tr.t("promotion-lead"))
}

fn page_path(id: CatalogId) -> String {
    format!("{LIST}/{id}")
}

/// An id of the path; a malformed one names nothing that exists.
fn parse(raw: &str) -> Result<CatalogId, AppError> {
    raw.parse()
        .map_err(|_| AppError::NotFound { what: "promotion" })
}

async fn list(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let promotions = match ctx.app.promotions(&who).await {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let mut table = Table::new(
        tr,
        &[
            "promotion-col-name",
            "promotion-col-provider",
            "promotion-col-discount",
            "promotion-col-valid",
            "promotion-col-conditions",
            "promotion-col-codes",
        ],
        "promotion-empty",
    );
    for v in &promotions {
        let p = &v.record;
        let groups = v
            .conditions
            .iter()
            .map(|c| c.record.group)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let mut name = Cell::link(p.name.clone(), page_path(p.id)).sub(Some(
            name_in(tr.locale(), &p.title_en, &p.title_ru).to_owned(),
        ));
        if !p.is_active {
            name.tags.push(tr.t("promotion-off-tag"));
        }
        table.row(
            vec![
                name,
                Cell::text(v.provider.clone()),
                Cell::text(amount_label(&p.amount, v.minor_units)),
                Cell::text(validity_label(&ctx, p.validity)),
                Cell::text(tr.t1("promotion-groups-count", "count", groups as i64)),
                Cell::text(v.codes.len().to_string()),
            ],
            Vec::new(),
        );
    }
    let page = ListPage {
        ui: Done::flash(Ui::new(&ctx, TITLE), &params),
        head: head(&ctx),
        title: Some(tr.t(TITLE)),
        add: who
            .may(f::PROMOTION_EDIT)
            .then(|| Link::get(format!("{LIST}/new"), tr.t("promotion-add"), "btn-primary")),
        intro: Some(tr.t("promotion-intro")),
        search: None,
        table,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

/// The promotion's own fields.
async fn detail_fields(
    ctx: &Ctx,
    who: &Principal,
    shown: &Shown<'_>,
    v: Option<&PromotionView>,
) -> Vec<Field> {
    let tr = ctx.tr;
    let p = v.map(|v| &v.record);
    let text = |name: &'static str, label: &str, current: Option<&String>, max: usize| {
        Field::text(
            name,
            tr.t(label),
            &shown.value(name, current.cloned().unwrap_or_default()),
        )
        .required()
        .max(max)
    };
    let provider = shown.value(
        "provider_id",
        p.map(|p| p.provider_id.to_string()).unwrap_or_default(),
    );
    let mut providers = vec![Opt::new("", tr.t("cl-value-not-set"), provider.is_empty())];
    providers.extend(
        ctx.app
            .list_providers(who)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                let id = p.id.to_string();
                let on = id == provider;
                Opt::new(id, p.name, on)
            }),
    );
    let mut fields = vec![
        text("name", "promotion-field-name", p.map(|p| &p.name), 100)
            .hint(tr.t("promotion-name-hint")),
        text(
            "title_en",
            "promotion-field-title-en",
            p.map(|p| &p.title_en),
            200,
        ),
        text(
            "title_ru",
            "promotion-field-title-ru",
            p.map(|p| &p.title_ru),
            200,
        ),
        Field::select("provider_id", tr.t("promotion-field-provider"), providers).required(),
    ];
    fields.extend(
        amount_fields(
            ctx,
            who,
            shown,
            v.map(|v| (&v.record.amount, v.minor_units)),
        )
        .await,
    );
    fields.extend(validity_fields(
        ctx,
        shown,
        p.map_or(Validity::default(), |p| p.validity),
    ));
    fields.push(Field::checkbox(
        "active",
        tr.t("promotion-field-active"),
        shown.checked("active", p.is_none_or(|p| p.is_active)),
    ));
    fields
}

fn input(form: &Fields) -> PromotionInput {
    let text = |name: &str| Some(form.get(name).to_owned());
    PromotionInput {
        name: text("name"),
        title_en: text("title_en"),
        title_ru: text("title_ru"),
        provider_id: text("provider_id"),
        starts_on: text("starts_on"),
        ends_on: text("ends_on"),
        amount: amount_input(form),
        active: Some(!form.get("active").is_empty()),
    }
}

async fn render_new(ctx: &Ctx, who: &Principal, shown: Shown<'_>) -> Response {
    let tr = ctx.tr;
    let fields = detail_fields(ctx, who, &shown, None).await;
    let view = FormView::new(
        tr,
        tr.t("promotion-new-title"),
        format!("{LIST}/new"),
        tr.t("promotion-create"),
    )
    .cancel(LIST.to_owned())
    .error(shown.message.clone())
    .section(None, fields, &shown.errors);
    let page = FormPage {
        ui: Ui::new(ctx, TITLE),
        head: head(ctx),
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

async fn new(Signed { ctx, who }: Signed) -> Response {
    render_new(&ctx, &who, Shown::fresh()).await
}

async fn create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match ctx.app.save_promotion(&who, None, input(&form)).await {
        Ok(v) => see_other(&Done::Created.link(&page_path(v.record.id))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => render_new(&ctx, &who, Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

#[derive(Template)]
#[template(path = "clients/promotion_page.html")]
struct PromotionPage {
    ui: Ui,
    head: Head,
    form: FormView,
    conditions: Table,
    add_condition: Option<FormView>,
    codes: Table,
    add_codes: Option<FormView>,
}

/// Which of the promotion page's three forms was refused, with what it showed.
enum Refused<'a> {
    None,
    Details(Shown<'a>),
    Condition(Shown<'a>),
    Codes(Shown<'a>),
}

const PICKERS: [(&str, &str); 4] = [
    ("client_group", "client_group"),
    ("tariff", "tariff"),
    ("product_type", "product_type"),
    ("period", "period"),
];

fn condition_kind_label(ctx: &Ctx, kind: &str) -> String {
    ctx.tr
        .t(&format!("promotion-kind-{}", kind.replace('_', "-")))
}

fn condition_value_label(ctx: &Ctx, c: &Condition, label: &str) -> String {
    match c {
        Condition::Period(p) => ctx.tr.t(&format!("period-{}", p.key())),
        Condition::FirstOrder | Condition::PromoCode => String::new(),
        _ => label.to_owned(),
    }
}

async fn condition_form(ctx: &Ctx, who: &Principal, id: CatalogId, shown: Shown<'_>) -> FormView {
    let tr = ctx.tr;
    let kind = shown.value("condition_kind", "client_group");
    let kinds = Condition::KINDS
        .iter()
        .map(|k| Opt::new(*k, condition_kind_label(ctx, k), *k == kind))
        .collect();
    let pick = |name: &str, items: Vec<(String, String)>| -> Vec<Opt> {
        let chosen = shown.value(name, "");
        let mut out = vec![Opt::new("", tr.t("cl-value-not-set"), chosen.is_empty())];
        out.extend(items.into_iter().map(|(v, l)| {
            let on = v == chosen;
            Opt::new(v, l, on)
        }));
        out
    };
    let groups = ctx
        .app
        .list_client_groups(who)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(g, _)| (g.id.to_string(), g.name))
        .collect();
    let plans = ctx
        .app
        .tariffs(who, None)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            (
                v.tariff.id.to_string(),
                name_in(tr.locale(), &v.tariff.name_en, &v.tariff.name_ru).to_owned(),
            )
        })
        .collect();
    let types = ctx
        .app
        .product_types(who)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|t| {
            (
                t.id.to_string(),
                name_in(tr.locale(), &t.name_en, &t.name_ru).to_owned(),
            )
        })
        .collect();
    let periods = Period::ALL
        .iter()
        .map(|p| (p.key().to_owned(), tr.t(&format!("period-{}", p.key()))))
        .collect();
    let fields = vec![
        Field::text(
            "group",
            tr.t("promotion-field-group"),
            &shown.value("group", "1"),
        )
        .required()
        .hint(tr.t("promotion-group-hint"))
        .max(3),
        Field::select(
            "condition_kind",
            tr.t("promotion-field-condition-kind"),
            kinds,
        )
        .required(),
        Field::select(
            "client_group",
            tr.t("promotion-kind-client-group"),
            pick("client_group", groups),
        ),
        Field::select(
            "tariff",
            tr.t("promotion-kind-tariff"),
            pick("tariff", plans),
        ),
        Field::select(
            "product_type",
            tr.t("promotion-kind-product-type"),
            pick("product_type", types),
        ),
        Field::select(
            "period",
            tr.t("promotion-kind-period"),
            pick("period", periods),
        ),
    ];
    let picker = PICKERS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("condition_kind", |(_, field)| field);
    let errors = rename_errors(
        shown.errors,
        &[("kind", "condition_kind"), ("value", picker)],
    );
    FormView::new(
        tr,
        tr.t("promotion-condition-add"),
        format!("{}/conditions", page_path(id)),
        tr.t("promotion-condition-add"),
    )
    .intro(tr.t("promotion-condition-hint"))
    .error(shown.message.clone())
    .section(None, fields, &errors)
}

fn codes_form(ctx: &Ctx, id: CatalogId, shown: &Shown<'_>) -> FormView {
    let tr = ctx.tr;
    let fields = vec![
        Field::text(
            "code",
            tr.t("promotion-field-code"),
            &shown.value("code", ""),
        )
        .hint(tr.t("promotion-code-hint"))
        .max(40),
        Field::text(
            "count",
            tr.t("promotion-field-count"),
            &shown.value("count", ""),
        )
        .hint(tr.t("promotion-count-hint"))
        .max(4),
        Field::checkbox(
            "multi_use",
            tr.t("promotion-field-multi-use"),
            shown.checked("multi_use", false),
        ),
        Field::text(
            "usage_limit",
            tr.t("promotion-field-usage-limit"),
            &shown.value("usage_limit", ""),
        )
        .hint(tr.t("promotion-limit-hint"))
        .max(7),
    ];
    FormView::new(
        tr,
        tr.t("promotion-codes-add"),
        format!("{}/codes", page_path(id)),
        tr.t("promotion-codes-add"),
    )
    .error(shown.message.clone())
    .section(None, fields, &shown.errors)
}

async fn render_page(
    ctx: &Ctx,
    who: &Principal,
    v: &PromotionView,
    refused: Refused<'_>,
    params: Option<&Params>,
) -> Response {
    let tr = ctx.tr;
    let id = v.record.id;
    let editor = who.may(f::PROMOTION_EDIT);
    let (status, details, condition, codes) = match refused {
        Refused::None => (
            StatusCode::OK,
            Shown::fresh(),
            Shown::fresh(),
            Shown::fresh(),
        ),
        Refused::Details(s) => (s.status, s, Shown::fresh(), Shown::fresh()),
        Refused::Condition(s) => (s.status, Shown::fresh(), s, Shown::fresh()),
        Refused::Codes(s) => (s.status, Shown::fresh(), Shown::fresh(), s),
    };
    let mut fields = detail_fields(ctx, who, &details, Some(v)).await;
    if !editor {
        fields = fields.into_iter().map(|f| f.disabled(true)).collect();
    }
    let title = name_in(tr.locale(), &v.record.title_en, &v.record.title_ru).to_owned();
    let form = FormView::new(tr, title, page_path(id), tr.t("cl-save"))
        .cancel(LIST.to_owned())
        .error(details.message.clone())
        .section(None, fields, &details.errors);
    let mut conditions = Table::new(
        tr,
        &[
            "promotion-col-group",
            "promotion-col-kind",
            "promotion-col-value",
        ],
        "promotion-no-conditions",
    );
    for c in &v.conditions {
        let actions = if editor {
            vec![Link::post(
                format!("{}/conditions/{}/delete", page_path(id), c.record.id),
                tr.t("cl-delete"),
                "btn-danger",
            )]
        } else {
            Vec::new()
        };
        conditions.row(
            vec![
                Cell::text(tr.t1("promotion-group-n", "n", i64::from(c.record.group))),
                Cell::text(condition_kind_label(ctx, c.record.condition.kind())),
                Cell::text(condition_value_label(ctx, &c.record.condition, &c.label)),
            ],
            actions,
        );
    }
    let mut code_table = Table::new(
        tr,
        &[
            "promotion-col-code",
            "promotion-col-use",
            "promotion-col-used",
            "promotion-col-usable",
        ],
        "promotion-no-codes",
    );
    for c in &v.codes {
        let usable = PromoCode {
            code: c.code.clone(),
            multi_use: c.multi_use,
            usage_limit: c.usage_limit,
            used: c.used,
        }
        .usable();
        let use_label = match (c.multi_use, c.usage_limit) {
            (false, _) => tr.t("promotion-single-use"),
            (true, None) => tr.t("promotion-multi-use-unlimited"),
            (true, Some(l)) => tr.t1("promotion-multi-use-limit", "limit", l),
        };
        let actions = if editor {
            vec![Link::post(
                format!("{}/codes/{}/delete", page_path(id), c.id),
                tr.t("cl-delete"),
                "btn-danger",
            )]
        } else {
            Vec::new()
        };
        code_table.row(
            vec![
                Cell::code(c.code.clone()),
                Cell::text(use_label),
                Cell::text(c.used.to_string()),
                Cell::status(yes_no(tr, usable), usable),
            ],
            actions,
        );
    }
    let mut page_head = head(ctx);
    if editor {
        page_head = page_head.action(Link::post(
            format!("{}/delete", page_path(id)),
            tr.t("promotion-delete"),
            "btn-danger",
        ));
    }
    let ui = Ui::new(ctx, TITLE);
    let page = PromotionPage {
        ui: match params {
            Some(p) => Done::flash(ui, p),
            None => ui,
        },
        head: page_head.back(LIST.to_owned(), tr.t("promotion-back")),
        form,
        conditions,
        add_condition: if editor {
            Some(condition_form(ctx, who, id, condition).await)
        } else {
            None
        },
        codes: code_table,
        add_codes: editor.then(|| codes_form(ctx, id, &codes)),
    };
    render::page(ctx, status, &page)
}

async fn load(ctx: &Ctx, who: &Principal, raw: &str) -> Result<PromotionView, Response> {
    let id = parse(raw).map_err(|e| error::fail(ctx, e))?;
    ctx.app
        .promotion(who, id)
        .await
        .map_err(|e| error::fail(ctx, e))
}

async fn show(Signed { ctx, who }: Signed, Path(id): Path<String>, params: Params) -> Response {
    match load(&ctx, &who, &id).await {
        Ok(v) => render_page(&ctx, &who, &v, Refused::None, Some(&params)).await,
        Err(res) => res,
    }
}

/// After a post on the page: back to it with `done`, or the page again with the refused form.
async fn answer<'f>(
    ctx: &Ctx,
    who: &Principal,
    raw: &str,
    result: Result<Done, AppError>,
    form: &'f Fields,
    which: fn(Shown<'f>) -> Refused<'f>,
) -> Response {
    let id = match parse(raw) {
        Ok(id) => id,
        Err(e) => return error::fail(ctx, e),
    };
    match result {
        Ok(done) => see_other(&done.link(&page_path(id))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => match load(ctx, who, raw).await {
                Ok(v) => render_page(ctx, who, &v, which(Shown::refused(form, r)), None).await,
                Err(res) => res,
            },
            Err(e) => error::fail(ctx, e),
        },
    }
}

async fn save(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let pid = match parse(&id) {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let result = ctx
        .app
        .save_promotion(&who, Some(pid), input(&form))
        .await
        .map(|_| Done::Saved);
    answer(&ctx, &who, &id, result, &form, Refused::Details).await
}

async fn delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let pid = match parse(&id) {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    match ctx.app.delete_promotion(&who, pid).await {
        Ok(()) => see_other(&Done::Deleted.link(LIST)),
        Err(e) => error::fail(&ctx, e),
    }
}

async fn condition_add(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let pid = match parse(&id) {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let kind = form.get("condition_kind").to_owned();
    let value = PICKERS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, field)| form.get(field).to_owned())
        .unwrap_or_default();
    let group = form.get("group").trim().parse().unwrap_or(0);
    let input = ConditionInput { group, kind, value };
    let result = ctx
        .app
        .add_promotion_condition(&who, pid, input)
        .await
        .map(|_| Done::Saved);
    answer(&ctx, &who, &id, result, &form, Refused::Condition).await
}

async fn condition_delete(
    Signed { ctx, who }: Signed,
    Path((id, condition)): Path<(String, String)>,
) -> Response {
    let (pid, cid) = match (parse(&id), parse(&condition)) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(e), _) | (_, Err(e)) => return error::fail(&ctx, e),
    };
    match ctx.app.delete_promotion_condition(&who, pid, cid).await {
        Ok(()) => see_other(&Done::Deleted.link(&page_path(pid))),
        Err(e) => error::fail(&ctx, e),
    }
}

async fn codes_add(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let pid = match parse(&id) {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let number = |name: &str| {
        let raw = form.get(name).trim();
        // A number that is not one is refused as out of range by the use case.
        (!raw.is_empty()).then(|| raw.parse().unwrap_or(0))
    };
    let multi_use = !form.get("multi_use").is_empty();
    let input = CodesInput {
        code: Some(form.get("code").to_owned()),
        count: number("count"),
        multi_use,
        usage_limit: number("usage_limit"),
    };
    let result = ctx
        .app
        .add_promo_codes(&who, pid, input)
        .await
        .map(|_| Done::Created);
    answer(&ctx, &who, &id, result, &form, Refused::Codes).await
}

async fn code_delete(
    Signed { ctx, who }: Signed,
    Path((id, code)): Path<(String, String)>,
) -> Response {
    let (pid, cid) = match (parse(&id), parse(&code)) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(e), _) | (_, Err(e)) => return error::fail(&ctx, e),
    };
    match ctx.app.delete_promo_code(&who, pid, cid).await {
        Ok(()) => see_other(&Done::Deleted.link(&page_path(pid))),
        Err(e) => error::fail(&ctx, e),
    }
}
