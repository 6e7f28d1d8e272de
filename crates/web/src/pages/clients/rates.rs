//! Exchange rates in the staff panel (issue 11): Directories → Exchange rates (the list with
//! its currency filter, a pair's rates over time, entering, deriving by expression, editing,
//! deleting), the client card's "Currency rate" tab and a client group's currency rates.
//! The rules (what a rate may be, derivation, one rate per pair and day) are the use cases';
//! these pages only ask and show.

use super::card::ConfirmPage;
use super::scope::Scope;
use super::view::{Cell, Field, FormView, Head, Link, Opt, Shown, Table, refusal};
use super::{Done, FormPage};
use crate::Routes;
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use crate::url::with_query;
use crate::view::{Pager, pager};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::ports::{ClientGroupRecord, Page, RateOwner, RateRecord};
use bursar_app::rates::{RateFilterParams, RateInput, amount_text};
use bursar_app::{AppError, Principal};
use bursar_domain::functions::f;
use fluent_bundle::FluentValue;

const PATH: &str = "/admin/currency-rates";
const TITLE: &str = "rate-title";
const TAB: &str = "/currency-rates";

pub(crate) fn routes(r: Routes) -> Routes {
    r.get(PATH, f::RATE_VIEW, directory)
        .get("/admin/currency-rates/new", f::RATE_EDIT, directory_new)
        .post("/admin/currency-rates/new", f::RATE_EDIT, directory_create)
        .get("/admin/currency-rates/derive", f::RATE_EDIT, derive_new)
        .post("/admin/currency-rates/derive", f::RATE_EDIT, derive_create)
        .get("/admin/currency-rates/{id}", f::RATE_EDIT, directory_edit)
        .post("/admin/currency-rates/{id}", f::RATE_EDIT, directory_save)
        .get(
            "/admin/currency-rates/{id}/delete",
            f::RATE_EDIT,
            directory_delete_show,
        )
        .post(
            "/admin/currency-rates/{id}/delete",
            f::RATE_EDIT,
            directory_delete,
        )
        .get(
            "/admin/clients/{id}/currency-rates",
            f::RATE_VIEW,
            own_list::<false>,
        )
        .get(
            "/admin/clients/{id}/currency-rates/new",
            f::RATE_EDIT,
            own_new::<false>,
        )
        .post(
            "/admin/clients/{id}/currency-rates/new",
            f::RATE_EDIT,
            own_create::<false>,
        )
        .get(
            "/admin/clients/{id}/currency-rates/{rate}",
            f::RATE_EDIT,
            own_edit::<false>,
        )
        .post(
            "/admin/clients/{id}/currency-rates/{rate}",
            f::RATE_EDIT,
            own_save::<false>,
        )
        .get(
            "/admin/clients/{id}/currency-rates/{rate}/delete",
            f::RATE_EDIT,
            own_delete_show::<false>,
        )
        .post(
            "/admin/clients/{id}/currency-rates/{rate}/delete",
            f::RATE_EDIT,
            own_delete::<false>,
        )
        .get(
            "/admin/client-groups/{id}/currency-rates",
            f::RATE_VIEW,
            own_list::<true>,
        )
        .get(
            "/admin/client-groups/{id}/currency-rates/new",
            f::RATE_EDIT,
            own_new::<true>,
        )
        .post(
            "/admin/client-groups/{id}/currency-rates/new",
            f::RATE_EDIT,
            own_create::<true>,
        )
        .get(
            "/admin/client-groups/{id}/currency-rates/{rate}",
            f::RATE_EDIT,
            own_edit::<true>,
        )
        .post(
            "/admin/client-groups/{id}/currency-rates/{rate}",
            f::RATE_EDIT,
            own_save::<true>,
        )
        .get(
            "/admin/client-groups/{id}/currency-rates/{rate}/delete",
            f::RATE_EDIT,
            own_delete_show::<true>,
        )
        .post(
            "/admin/client-groups/{id}/currency-rates/{rate}/delete",
            f::RATE_EDIT,
            own_delete::<true>,
        )
}

/// A list of rates: the heading, "add" buttons, an optional filter, the table, the pager.
#[derive(Template)]
#[template(path = "rates/list.html")]
struct RateList {
    ui: Ui,
    head: Head,
    title: String,
    adds: Vec<Link>,
    intro: Option<String>,
    filter: Option<FilterView>,
    table: Table,
    pager: Option<Pager>,
}

/// The directory's filter: base and converted currency.
struct FilterView {
    action: &'static str,
    base: Vec<Opt>,
    currency: Vec<Opt>,
}

/// `1 USD = 90.5 RUB`.
fn rate_text(r: &RateRecord) -> String {
    format!(
        "{} {} = {} {}",
        r.units, r.currency_code, r.rate, r.base_code
    )
}

/// The currencies to choose from, with `selected` chosen; `blank` first when given.
async fn currency_options(
    ctx: &Ctx,
    who: &Principal,
    selected: &str,
    blank: Option<String>,
) -> Vec<Opt> {
    let mut codes: Vec<String> = ctx
        .app
        .rate_currencies(who)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.code)
        .collect();
    // A rate keeps its currency after the currency is disabled: still shown as chosen.
    if !selected.is_empty() && !codes.iter().any(|c| c == selected) {
        codes.push(selected.to_owned());
    }
    let mut out: Vec<Opt> = blank
        .map(|b| Opt::new("", b, selected.is_empty()))
        .into_iter()
        .collect();
    out.extend(
        codes
            .into_iter()
            .map(|c| Opt::new(c.clone(), c.clone(), c == selected)),
    );
    out
}

// ---- Directories → Exchange rates ----

/// `GET /admin/currency-rates[?base=&currency=&page=]`: newest first; with both currencies,
/// the pair's rates over time.
async fn directory(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let (base, currency) = (params.get("base"), params.get("currency"));
    let number = params.get("page").parse::<u32>().ok();
    let filter = RateFilterParams {
        base: Some(base),
        currency: Some(currency),
    };
    let paged = match ctx
        .app
        .list_rates(&who, RateOwner::Directory, filter, Page::new(number, None))
        .await
    {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let editable = who.may(f::RATE_EDIT);
    let mut table = Table::new(
        tr,
        &[
            "rate-col-pair",
            "rate-col-rate",
            "rate-col-valid-from",
            "rate-col-origin",
        ],
        "rate-empty",
    );
    for r in &paged.items {
        let href = format!("{PATH}/{}", r.id);
        let pair = with_query(
            PATH,
            &[("base", &r.base_code), ("currency", &r.currency_code)],
        );
        let origin = match (&r.expression, r.source_id) {
            (Some(e), Some(_)) => tr.t1("rate-origin-derived", "expression", e.as_str()),
            (Some(e), None) => tr.t1("rate-origin-orphan", "expression", e.as_str()),
            _ => tr.t("rate-origin-manual"),
        };
        let mut actions = Vec::new();
        if editable {
            actions.push(Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"));
            actions.push(Link::get(
                with_query(&format!("{PATH}/derive"), &[("source", &r.id.to_string())]),
                tr.t("rate-derive-from"),
                "btn-ghost",
            ));
            actions.push(Link::get(
                format!("{href}/delete"),
                tr.t("cl-delete"),
                "btn-danger",
            ));
        }
        if who.may(f::HISTORY_VIEW) {
            actions.push(Link::get(
                with_query(
                    "/admin/history",
                    &[
                        ("object_kind", "currency_rate"),
                        ("object_id", &r.id.to_string()),
                    ],
                ),
                tr.t("rate-history"),
                "btn-ghost",
            ));
        }
        table.row(
            vec![
                Cell::link(format!("{} → {}", r.currency_code, r.base_code), pair),
                Cell::text(rate_text(r)),
                Cell::text(r.valid_from.to_string()),
                Cell::text(origin),
            ],
            actions,
        );
    }
    let link = |n: u32| {
        with_query(
            PATH,
            &[
                ("base", base),
                ("currency", currency),
                ("page", &n.to_string()),
            ],
        )
    };
    let title = if !base.is_empty() && !currency.is_empty() {
        tr.ta(
            "rate-pair-title",
            &[
                ("base", FluentValue::from(base.to_uppercase())),
                ("currency", FluentValue::from(currency.to_uppercase())),
            ],
        )
    } else {
        tr.t("rate-list-title")
    };
    let adds = if editable {
        vec![
            Link::get(format!("{PATH}/new"), tr.t("rate-add"), "btn-primary"),
            Link::get(
                format!("{PATH}/derive"),
                tr.t("rate-derive"),
                "btn-secondary",
            ),
        ]
    } else {
        Vec::new()
    };
    let any = Some(tr.t("rate-filter-any"));
    let page = RateList {
        ui: Done::flash(Ui::new(&ctx, TITLE), &params),
        head: Head::plain(tr.t(TITLE)).lead(tr.t("rate-lead")),
        title,
        adds,
        intro: Some(tr.t("rate-intro")),
        filter: Some(FilterView {
            action: PATH,
            base: currency_options(&ctx, &who, &base.to_uppercase(), any.clone()).await,
            currency: currency_options(&ctx, &who, &currency.to_uppercase(), any).await,
        }),
        table,
        pager: pager(tr, paged.page, paged.per_page, paged.total, link),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

fn directory_head(ctx: &Ctx) -> Head {
    Head::plain(ctx.tr.t(TITLE)).back(PATH.to_owned(), ctx.tr.t(TITLE))
}

/// The fields of a rate entered by hand (and, for a client, its amount limit).
async fn manual_fields(
    ctx: &Ctx,
    who: &Principal,
    rate: Option<&RateRecord>,
    with_amount: bool,
    shown: &Shown<'_>,
) -> Vec<Field> {
    let tr = ctx.tr;
    let value =
        |name: &str, current: Option<String>| shown.value(name, current.unwrap_or_default());
    let base = value("base", rate.map(|r| r.base_code.clone()));
    let currency = value("currency", rate.map(|r| r.currency_code.clone()));
    let choose = Some(tr.t("rate-choose-currency"));
    let mut fields = vec![
        Field::select(
            "base",
            tr.t("rate-field-base"),
            currency_options(ctx, who, &base, choose.clone()).await,
        )
        .required()
        .hint(tr.t("rate-base-hint")),
        Field::select(
            "currency",
            tr.t("rate-field-currency"),
            currency_options(ctx, who, &currency, choose).await,
        )
        .required()
        .hint(tr.t("rate-currency-hint")),
        Field::text(
            "rate",
            tr.t("rate-field-rate"),
            &value("rate", rate.map(|r| r.rate.to_string())),
        )
        .required()
        .hint(tr.t("rate-rate-hint"))
        .max(30),
        Field::input(
            "units",
            "number",
            tr.t("rate-field-units"),
            &value("units", Some(rate.map_or(1, |r| r.units).to_string())),
        )
        .hint(tr.t("rate-units-hint")),
        Field::input(
            "valid_from",
            "date",
            tr.t("rate-field-valid-from"),
            &value("valid_from", rate.map(|r| r.valid_from.to_string())),
        )
        .required(),
    ];
    if with_amount {
        fields.push(
            Field::text(
                "amount",
                tr.t("rate-field-amount"),
                &value("amount", rate.and_then(amount_text)),
            )
            .hint(tr.t("rate-amount-hint"))
            .max(30),
        );
    }
    fields
}

fn manual_input(form: &Fields, with_amount: bool) -> RateInput {
    let text = |name: &str| Some(form.get(name).to_owned());
    RateInput {
        base: text("base"),
        currency: text("currency"),
        rate: text("rate"),
        units: text("units"),
        valid_from: text("valid_from"),
        amount: if with_amount { text("amount") } else { None },
        ..RateInput::default()
    }
}

fn derived_input(form: &Fields) -> RateInput {
    let text = |name: &str| Some(form.get(name).to_owned());
    RateInput {
        source_id: text("source_id"),
        expression: text("expression"),
        valid_from: text("valid_from"),
        ..RateInput::default()
    }
}

/// A rate's form page: a new rate (`new`: title, address, button) or the edit of `rate`,
/// whose address is under `list`.
#[allow(clippy::too_many_arguments)]
fn form_page(
    ctx: &Ctx,
    head: Head,
    list: String,
    rate: Option<&RateRecord>,
    new: (&str, String, &str),
    intro: Option<String>,
    fields: Vec<Field>,
    shown: &Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let (title, action, submit) = match rate {
        None => (tr.t(new.0), new.1, tr.t(new.2)),
        Some(r) => (
            tr.t1("rate-edit-title", "rate", rate_text(r)),
            format!("{list}/{}", r.id),
            tr.t("cl-save"),
        ),
    };
    let mut view = FormView::new(tr, title, action, submit)
        .cancel(list)
        .error(shown.message.clone())
        .section(None, fields, &shown.errors);
    if let Some(intro) = intro {
        view = view.intro(intro);
    }
    let page = FormPage {
        ui: Ui::new(ctx, TITLE),
        head,
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

async fn directory_form(
    ctx: &Ctx,
    who: &Principal,
    rate: Option<&RateRecord>,
    shown: Shown<'_>,
) -> Response {
    let fields = manual_fields(ctx, who, rate, false, &shown).await;
    let new = ("rate-new-title", format!("{PATH}/new"), "rate-create");
    let head = directory_head(ctx);
    form_page(ctx, head, PATH.to_owned(), rate, new, None, fields, &shown)
}

/// The derivation form: a new derived rate (`source` preselected), or a derived rate's edit.
async fn derive_form(
    ctx: &Ctx,
    who: &Principal,
    rate: Option<&RateRecord>,
    source: &str,
    shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let sources = ctx
        .app
        .list_rates(
            who,
            RateOwner::Directory,
            RateFilterParams::default(),
            Page::new(Some(1), Some(Page::MAX_SIZE)),
        )
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let chosen = shown.value("source_id", source);
    let mut options = vec![Opt::new("", tr.t("rate-choose-source"), chosen.is_empty())];
    options.extend(
        sources
            .iter()
            .filter(|s| rate.is_none_or(|r| r.id != s.id))
            .map(|s| {
                let id = s.id.to_string();
                let label = format!("{} ({})", rate_text(s), s.valid_from);
                Opt::new(id.clone(), label, id == chosen)
            }),
    );
    let fields = vec![
        Field::select("source_id", tr.t("rate-field-source"), options)
            .required()
            .hint(tr.t("rate-source-hint")),
        Field::text(
            "expression",
            tr.t("rate-field-expression"),
            &shown.value(
                "expression",
                rate.and_then(|r| r.expression.clone()).unwrap_or_default(),
            ),
        )
        .required()
        .hint(tr.t("rate-expression-hint"))
        .max(30),
        Field::input(
            "valid_from",
            "date",
            tr.t("rate-field-valid-from"),
            &shown.value(
                "valid_from",
                rate.map(|r| r.valid_from.to_string()).unwrap_or_default(),
            ),
        )
        .required(),
    ];
    let new = (
        "rate-derive-title",
        format!("{PATH}/derive"),
        "rate-derive-submit",
    );
    let intro = Some(tr.t("rate-derive-intro"));
    let head = directory_head(ctx);
    form_page(ctx, head, PATH.to_owned(), rate, new, intro, fields, &shown)
}

async fn directory_rate(ctx: &Ctx, who: &Principal, raw: &str) -> Result<RateRecord, Response> {
    find(ctx, who, RateOwner::Directory, raw).await
}

/// The owner's rate `raw`; another owner's rate is "not found".
async fn find(
    ctx: &Ctx,
    who: &Principal,
    owner: RateOwner,
    raw: &str,
) -> Result<RateRecord, Response> {
    let id = raw.parse().map_err(|_| {
        error::fail(
            ctx,
            AppError::NotFound {
                what: "currency rate",
            },
        )
    })?;
    ctx.app
        .rate(who, owner, id)
        .await
        .map_err(|e| error::fail(ctx, e))
}

/// Saves a directory rate from one of its forms, or shows that form again with the refusal.
async fn save_directory(
    ctx: Ctx,
    who: Principal,
    old: Option<RateRecord>,
    derived: bool,
    form: Fields,
) -> Response {
    let input = if derived {
        derived_input(&form)
    } else {
        manual_input(&form, false)
    };
    let done = if old.is_some() {
        Done::Saved
    } else {
        Done::Created
    };
    match ctx
        .app
        .save_rate(
            &who,
            RateOwner::Directory,
            old.as_ref().map(|r| r.id),
            input,
        )
        .await
    {
        Ok(_) => see_other(&done.link(PATH)),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                let shown = Shown::refused(&form, r);
                if derived {
                    derive_form(&ctx, &who, old.as_ref(), "", shown).await
                } else {
                    directory_form(&ctx, &who, old.as_ref(), shown).await
                }
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn directory_new(Signed { ctx, who }: Signed) -> Response {
    directory_form(&ctx, &who, None, Shown::fresh()).await
}

async fn directory_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    save_directory(ctx, who, None, false, form).await
}

async fn derive_new(Signed { ctx, who }: Signed, params: Params) -> Response {
    derive_form(&ctx, &who, None, params.get("source"), Shown::fresh()).await
}

async fn derive_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    save_directory(ctx, who, None, true, form).await
}

async fn directory_edit(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match directory_rate(&ctx, &who, &id).await {
        Ok(r) if r.expression.is_some() && r.source_id.is_some() => {
            let source = r.source_id.map(|s| s.to_string()).unwrap_or_default();
            derive_form(&ctx, &who, Some(&r), &source, Shown::fresh()).await
        }
        Ok(r) => directory_form(&ctx, &who, Some(&r), Shown::fresh()).await,
        Err(res) => res,
    }
}

async fn directory_save(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    match directory_rate(&ctx, &who, &id).await {
        Ok(r) => {
            // The form that was shown: the derivation's has a source field.
            let derived = !form.get("source_id").is_empty() || !form.get("expression").is_empty();
            save_directory(ctx, who, Some(r), derived, form).await
        }
        Err(res) => res,
    }
}

fn confirm(ctx: &Ctx, head: Head, r: &RateRecord, list: String) -> ConfirmPage {
    let tr = ctx.tr;
    ConfirmPage {
        ui: Ui::new(ctx, TITLE),
        head,
        title: tr.t1("rate-delete-title", "rate", rate_text(r)),
        text: tr.t1("rate-delete-text", "day", r.valid_from.to_string()),
        warning: None,
        error: None,
        ack: None,
        ack_error: None,
        action: format!("{list}/{}/delete", r.id),
        button: tr.t("cl-delete"),
        cancel: list,
    }
}

async fn directory_delete_show(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match directory_rate(&ctx, &who, &id).await {
        Ok(r) => {
            let page = confirm(&ctx, directory_head(&ctx), &r, PATH.to_owned());
            render::page(&ctx, StatusCode::OK, &page)
        }
        Err(res) => res,
    }
}

async fn directory_delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let r = match directory_rate(&ctx, &who, &id).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    match ctx.app.delete_rate(&who, RateOwner::Directory, r.id).await {
        Ok(()) => see_other(&Done::Deleted.link(PATH)),
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- a client's and a client group's own rates ----

/// Whose own rates a page shows: the client of the card, or a client group.
enum Place {
    Client(Box<Scope>),
    Group(ClientGroupRecord),
}

impl Place {
    /// The client (`GROUP` false) or group (`GROUP` true) the path names.
    async fn load<const GROUP: bool>(
        ctx: &Ctx,
        who: &Principal,
        raw: &str,
    ) -> Result<Place, Response> {
        if !GROUP {
            return Scope::staff(ctx, who, raw)
                .await
                .map(|s| Place::Client(Box::new(s)));
        }
        let id: bursar_domain::ClientGroupId = raw.parse().map_err(|_| {
            error::fail(
                ctx,
                AppError::NotFound {
                    what: "client group",
                },
            )
        })?;
        match ctx.app.rate_group(who, id).await {
            Ok(g) => Ok(Place::Group(g)),
            Err(e) => Err(error::fail(ctx, e)),
        }
    }

    fn owner(&self) -> RateOwner {
        match self {
            Place::Client(s) => RateOwner::Client(s.client),
            Place::Group(g) => RateOwner::Group(g.id),
        }
    }

    fn list_path(&self) -> String {
        match self {
            Place::Client(s) => format!("{}{TAB}", s.base),
            Place::Group(g) => format!("/admin/client-groups/{}{TAB}", g.id),
        }
    }

    fn personal(&self) -> bool {
        matches!(self, Place::Client(_))
    }

    fn head(&self, ctx: &Ctx, who: &Principal) -> Head {
        let tr = ctx.tr;
        match self {
            Place::Client(s) => s.head(ctx, who, TAB, "rate-personal-title", "rate-personal-lead"),
            Place::Group(g) => Head::plain(tr.t1("rate-group-title", "name", g.name.as_str()))
                .lead(tr.t("rate-group-lead"))
                .back(format!("/admin/client-groups/{}", g.id), g.name.clone()),
        }
    }
}

async fn list(ctx: Ctx, who: Principal, place: Place, params: Params) -> Response {
    let tr = ctx.tr;
    let number = params.get("page").parse::<u32>().ok();
    let paged = match ctx
        .app
        .list_rates(
            &who,
            place.owner(),
            RateFilterParams::default(),
            Page::new(number, None),
        )
        .await
    {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let base = place.list_path();
    let editable = who.may(f::RATE_EDIT);
    let mut columns = vec!["rate-col-pair", "rate-col-rate", "rate-col-valid-from"];
    if place.personal() {
        columns.push("rate-col-amount");
    }
    let mut table = Table::new(tr, &columns, "rate-own-empty");
    for r in &paged.items {
        let href = format!("{base}/{}", r.id);
        let mut cells = vec![
            Cell::text(format!("{} → {}", r.currency_code, r.base_code)),
            Cell::text(rate_text(r)),
            Cell::text(r.valid_from.to_string()),
        ];
        if place.personal() {
            cells.push(Cell::text(amount_text(r).map_or_else(
                || tr.t("rate-no-limit"),
                |a| format!("{a} {}", r.base_code),
            )));
        }
        let actions = if editable {
            vec![
                Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"),
                Link::get(format!("{href}/delete"), tr.t("cl-delete"), "btn-danger"),
            ]
        } else {
            Vec::new()
        };
        table.row(cells, actions);
    }
    let adds = if editable {
        vec![Link::get(
            format!("{base}/new"),
            tr.t("rate-add"),
            "btn-primary",
        )]
    } else {
        Vec::new()
    };
    let intro = if place.personal() {
        "rate-personal-intro"
    } else {
        "rate-group-intro"
    };
    let page = RateList {
        ui: Done::flash(Ui::new(&ctx, TITLE), &params),
        head: place.head(&ctx, &who),
        title: tr.t(if place.personal() {
            "rate-personal-title"
        } else {
            "rate-list-title"
        }),
        adds,
        intro: Some(tr.t(intro)),
        filter: None,
        table,
        pager: pager(
            tr,
            paged.page,
            paged.per_page,
            paged.total,
            crate::view::page_link(&base),
        ),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn own_form(
    ctx: &Ctx,
    who: &Principal,
    place: &Place,
    rate: Option<&RateRecord>,
    shown: Shown<'_>,
) -> Response {
    let list = place.list_path();
    let fields = manual_fields(ctx, who, rate, place.personal(), &shown).await;
    let new = ("rate-new-title", format!("{list}/new"), "rate-create");
    let head = place.head(ctx, who);
    form_page(ctx, head, list, rate, new, None, fields, &shown)
}

async fn save_own(
    ctx: Ctx,
    who: Principal,
    place: Place,
    old: Option<RateRecord>,
    form: Fields,
) -> Response {
    let input = manual_input(&form, place.personal());
    let done = if old.is_some() {
        Done::Saved
    } else {
        Done::Created
    };
    match ctx
        .app
        .save_rate(&who, place.owner(), old.as_ref().map(|r| r.id), input)
        .await
    {
        Ok(_) => see_other(&done.link(&place.list_path())),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => own_form(&ctx, &who, &place, old.as_ref(), Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn own_list<const GROUP: bool>(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    match Place::load::<GROUP>(&ctx, &who, &id).await {
        Ok(place) => list(ctx, who, place, params).await,
        Err(res) => res,
    }
}

async fn own_new<const GROUP: bool>(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
) -> Response {
    match Place::load::<GROUP>(&ctx, &who, &id).await {
        Ok(place) => own_form(&ctx, &who, &place, None, Shown::fresh()).await,
        Err(res) => res,
    }
}

async fn own_create<const GROUP: bool>(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    match Place::load::<GROUP>(&ctx, &who, &id).await {
        Ok(place) => save_own(ctx, who, place, None, form).await,
        Err(res) => res,
    }
}

/// The place and its rate `rate`, or the error page.
async fn place_and_rate<const GROUP: bool>(
    ctx: &Ctx,
    who: &Principal,
    id: &str,
    rate: &str,
) -> Result<(Place, RateRecord), Response> {
    let place = Place::load::<GROUP>(ctx, who, id).await?;
    let r = find(ctx, who, place.owner(), rate).await?;
    Ok((place, r))
}

async fn own_edit<const GROUP: bool>(
    Signed { ctx, who }: Signed,
    Path((id, rate)): Path<(String, String)>,
) -> Response {
    match place_and_rate::<GROUP>(&ctx, &who, &id, &rate).await {
        Ok((place, r)) => own_form(&ctx, &who, &place, Some(&r), Shown::fresh()).await,
        Err(res) => res,
    }
}

async fn own_save<const GROUP: bool>(
    Signed { ctx, who }: Signed,
    Path((id, rate)): Path<(String, String)>,
    form: Fields,
) -> Response {
    match place_and_rate::<GROUP>(&ctx, &who, &id, &rate).await {
        Ok((place, r)) => save_own(ctx, who, place, Some(r), form).await,
        Err(res) => res,
    }
}

async fn own_delete_show<const GROUP: bool>(
    Signed { ctx, who }: Signed,
    Path((id, rate)): Path<(String, String)>,
) -> Response {
    match place_and_rate::<GROUP>(&ctx, &who, &id, &rate).await {
        Ok((place, r)) => {
            let page = confirm(&ctx, place.head(&ctx, &who), &r, place.list_path());
            render::page(&ctx, StatusCode::OK, &page)
        }
        Err(res) => res,
    }
}

async fn own_delete<const GROUP: bool>(
    Signed { ctx, who }: Signed,
    Path((id, rate)): Path<(String, String)>,
) -> Response {
    match place_and_rate::<GROUP>(&ctx, &who, &id, &rate).await {
        Ok((place, r)) => match ctx.app.delete_rate(&who, place.owner(), r.id).await {
            Ok(()) => see_other(&Done::Deleted.link(&place.list_path())),
            Err(e) => error::fail(&ctx, e),
        },
        Err(res) => res,
    }
}
