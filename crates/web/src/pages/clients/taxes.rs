//! Taxes (issue 11) in the staff panel: Finance → Taxes (the rules of providers and client
//! groups, filtered by either), the client card's Tax tab (the client's special rules, with
//! dates typed in a chosen time zone, seed 004), and the provider form's two tax settings.
//! Every rule is checked by the use case; these pages only show and collect.

use super::card::{self, ConfirmPage};
use super::view::{Cell, Field, FormView, Head, Link, Opt, Shown, Table, refusal};
use super::{Done, FormPage, ListPage};
use crate::Routes;
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::pages::staff::departments::ZONES;
use crate::render::{self, see_other};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::catalog::name_in;
use bursar_app::ports::{
    CatalogId, ClientGroupRecord, ProductTypeRecord, ProviderRecord, TaxRuleRecord,
};
use bursar_app::taxes::{RuleScope, TaxRuleInput, TaxRuleQuery, local_time, percent};
use bursar_app::{AppError, Principal};
use bursar_domain::ClientId;
use bursar_domain::functions::f;

const PATH: &str = "/admin/taxes";
const TITLE: &str = "tax-title";
const TAB: &str = "/tax-rules";

pub(crate) fn routes(r: Routes) -> Routes {
    r.get(PATH, f::TAX_VIEW, list)
        .get("/admin/taxes/new", f::TAX_EDIT, new)
        .post("/admin/taxes/new", f::TAX_EDIT, create)
        .get("/admin/taxes/{id}", f::TAX_EDIT, edit)
        .post("/admin/taxes/{id}", f::TAX_EDIT, save)
        .post("/admin/taxes/{id}/delete", f::TAX_EDIT, delete)
        .get("/admin/clients/{id}/tax-rules", f::TAX_VIEW, client_list)
        .get("/admin/clients/{id}/tax-rules/new", f::TAX_EDIT, client_new)
        .post(
            "/admin/clients/{id}/tax-rules/new",
            f::TAX_EDIT,
            client_create,
        )
        .get(
            "/admin/clients/{id}/tax-rules/{rule}",
            f::TAX_EDIT,
            client_edit,
        )
        .post(
            "/admin/clients/{id}/tax-rules/{rule}",
            f::TAX_EDIT,
            client_save,
        )
        .get(
            "/admin/clients/{id}/tax-rules/{rule}/delete",
            f::TAX_EDIT,
            client_delete_show,
        )
        .post(
            "/admin/clients/{id}/tax-rules/{rule}/delete",
            f::TAX_EDIT,
            client_delete,
        )
}

// ---- the provider form's settings ----

/// The provider form's tax section, for staff who may see tax settings (disabled without
/// the right to change them).
pub(crate) fn provider_section(
    ctx: &Ctx,
    who: &Principal,
    provider: Option<&ProviderRecord>,
    shown: &Shown,
) -> Option<(String, Vec<Field>)> {
    if !who.may(f::TAX_VIEW) && !who.may(f::TAX_EDIT) {
        return None;
    }
    let tr = ctx.tr;
    let locked = !who.may(f::TAX_EDIT);
    Some((
        tr.t("tax-provider-section"),
        vec![
            Field::checkbox(
                "tax_on_top",
                tr.t("tax-field-on-top"),
                shown.checked("tax_on_top", provider.is_some_and(|p| p.tax_on_top)),
            )
            .hint(tr.t("tax-on-top-hint"))
            .disabled(locked),
            Field::checkbox(
                "show_tax_on_top_up",
                tr.t("tax-field-show-on-top-up"),
                shown.checked(
                    "show_tax_on_top_up",
                    provider.is_some_and(|p| p.show_tax_on_top_up),
                ),
            )
            .hint(tr.t("tax-show-on-top-up-hint"))
            .disabled(locked),
        ],
    ))
}

/// The two settings as posted: `None` (unchanged) for staff who may not change them.
pub(crate) fn provider_settings(who: &Principal, form: &Fields) -> (Option<bool>, Option<bool>) {
    if !who.may(f::TAX_EDIT) {
        return (None, None);
    }
    (
        Some(!form.get("tax_on_top").is_empty()),
        Some(!form.get("show_tax_on_top_up").is_empty()),
    )
}

// ---- the client group page's section ----

/// The client group page's tax section (its rules in one line) and the link to manage them,
/// for staff who may see tax rules.
pub(crate) async fn group_section(
    ctx: &Ctx,
    who: &Principal,
    group: bursar_domain::ClientGroupId,
) -> Option<((String, Vec<Field>), Link)> {
    if !who.may(f::TAX_VIEW) && !who.may(f::TAX_EDIT) {
        return None;
    }
    let tr = ctx.tr;
    let query = TaxRuleQuery {
        group_id: Some(group.to_string()),
        ..TaxRuleQuery::default()
    };
    let rules = ctx.app.tax_rules(who, &query).await.ok()?;
    let summary = if rules.is_empty() {
        tr.t("tax-group-none")
    } else {
        rules
            .iter()
            .map(|r| {
                format!(
                    "{} {} ({}; {})",
                    r.name,
                    percent(r.rate_bp),
                    place(ctx, r),
                    period(ctx, r)
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let field = Field::fixed("tax_rules", tr.t("tax-group-rules"), summary)
        .hint(tr.t("tax-group-rules-hint"));
    let link = Link::get(
        format!("{PATH}?group_id={group}"),
        tr.t("tax-group-manage"),
        "btn-secondary",
    );
    Some(((tr.t("tax-group-section"), vec![field]), link))
}

// ---- what the pages show of a rule ----

/// What a rule's row and form need besides the rule: names of providers, groups and types.
struct Names {
    providers: Vec<ProviderRecord>,
    groups: Vec<ClientGroupRecord>,
    types: Vec<ProductTypeRecord>,
}

impl Names {
    async fn load(ctx: &Ctx, who: &Principal) -> Result<Names, Response> {
        let c = ctx
            .app
            .tax_choices(who)
            .await
            .map_err(|e| error::fail(ctx, e))?;
        Ok(Names {
            providers: c.providers,
            groups: c.groups,
            types: c.types,
        })
    }

    fn provider(&self, r: &TaxRuleRecord) -> String {
        self.providers
            .iter()
            .find(|p| p.id == r.provider_id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }

    fn group(&self, r: &TaxRuleRecord) -> Option<String> {
        let id = r.group_id?;
        self.groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.clone())
    }

    fn products(&self, ctx: &Ctx, r: &TaxRuleRecord) -> String {
        if r.product_types.is_empty() {
            return ctx.tr.t("tax-any-product");
        }
        r.product_types
            .iter()
            .filter_map(|id| self.types.iter().find(|t| t.id == *id))
            .map(|t| name_in(ctx.tr.locale(), &t.name_en, &t.name_ru).to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn provider_options(&self, ctx: &Ctx, chosen: &str, blank: &str) -> Vec<Opt> {
        let mut options = vec![Opt::new("", ctx.tr.t(blank), chosen.is_empty())];
        options.extend(
            self.providers
                .iter()
                .map(|p| Opt::new(p.id.to_string(), p.name.clone(), p.id.to_string() == chosen)),
        );
        options
    }

    fn group_options(&self, ctx: &Ctx, chosen: &str, blank: &str) -> Vec<Opt> {
        let mut options = vec![Opt::new("", ctx.tr.t(blank), chosen.is_empty())];
        options.extend(
            self.groups
                .iter()
                .map(|g| Opt::new(g.id.to_string(), g.name.clone(), g.id.to_string() == chosen)),
        );
        options
    }

    fn type_options(&self, ctx: &Ctx, chosen: &[String]) -> Vec<Opt> {
        self.types
            .iter()
            .map(|t| {
                Opt::new(
                    t.id.to_string(),
                    name_in(ctx.tr.locale(), &t.name_en, &t.name_ru).to_owned(),
                    chosen.contains(&t.id.to_string()),
                )
            })
            .collect()
    }
}

fn place(ctx: &Ctx, r: &TaxRuleRecord) -> String {
    match (&r.country, &r.region) {
        (None, _) => ctx.tr.t("tax-any-country"),
        (Some(c), None) => c.clone(),
        (Some(c), Some(region)) => format!("{c}, {region}"),
    }
}

fn period(ctx: &Ctx, r: &TaxRuleRecord) -> String {
    let end = r.ends_at.map_or_else(
        || ctx.tr.t("tax-open-ended"),
        |t| local_time(t, &r.time_zone),
    );
    format!("{} — {end}", local_time(r.starts_at, &r.time_zone))
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

/// The rule id of a path; a malformed one is a rule that does not exist.
fn rule_id(ctx: &Ctx, raw: &str) -> Result<CatalogId, Box<Response>> {
    raw.parse()
        .map_err(|_| Box::new(error::fail(ctx, AppError::NotFound { what: "tax rule" })))
}

// ---- Finance → Taxes ----

#[derive(Template)]
#[template(path = "clients/tax_rules.html")]
struct RulesPage {
    ui: Ui,
    head: Head,
    adds: Vec<Link>,
    providers: Vec<Opt>,
    groups: Vec<Opt>,
    filtered: bool,
    table: Table,
}

async fn list(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let query = TaxRuleQuery {
        provider_id: Some(params.get("provider_id").to_owned()),
        group_id: Some(params.get("group_id").to_owned()),
    };
    let rules = match ctx.app.tax_rules(&who, &query).await {
        Ok(r) => r,
        Err(e) => return error::fail(&ctx, e),
    };
    let names = match Names::load(&ctx, &who).await {
        Ok(n) => n,
        Err(res) => return res,
    };
    let mut table = Table::new(
        tr,
        &[
            "tax-col-name",
            "tax-col-level",
            "tax-col-rate",
            "tax-col-place",
            "tax-col-products",
            "tax-col-period",
        ],
        "tax-empty",
    );
    let editable = who.may(f::TAX_EDIT);
    for r in &rules {
        let level = match names.group(r) {
            Some(g) => tr.t1("tax-level-group", "group", g),
            None => tr.t("tax-level-provider"),
        };
        let mut actions = Vec::new();
        if editable {
            actions.push(Link::get(
                format!("{PATH}/{}", r.id),
                tr.t("cl-edit"),
                "btn-secondary",
            ));
            actions.push(Link::post(
                format!("{PATH}/{}/delete", r.id),
                tr.t("cl-delete"),
                "btn-danger",
            ));
        }
        table.row(
            vec![
                Cell::text(r.name.clone()).sub(Some(names.provider(r))),
                Cell::text(level),
                Cell::code(percent(r.rate_bp)),
                Cell::text(place(&ctx, r)),
                Cell::text(names.products(&ctx, r)),
                Cell::text(period(&ctx, r)),
            ],
            actions,
        );
    }
    let group = params.get("group_id");
    let mut adds = Vec::new();
    if editable {
        let href = if group.is_empty() {
            format!("{PATH}/new")
        } else {
            format!("{PATH}/new?group_id={group}")
        };
        adds.push(Link::get(href, tr.t("tax-add"), "btn-primary"));
    }
    let page = RulesPage {
        ui: Done::flash(Ui::new(&ctx, TITLE), &params),
        head: Head::plain(tr.t(TITLE)).lead(tr.t("tax-lead")),
        adds,
        providers: names.provider_options(
            &ctx,
            params.get("provider_id"),
            "tax-filter-any-provider",
        ),
        groups: names.group_options(&ctx, group, "tax-filter-any-group"),
        filtered: !params.get("provider_id").is_empty() || !group.is_empty(),
        table,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

/// The fields both rule forms have, each filled from the post, the rule or nothing.
struct CommonFields {
    provider: Field,
    name: Field,
    rate: Field,
    starts: Field,
    ends: Field,
    products: Field,
}

fn common_fields(
    ctx: &Ctx,
    names: &Names,
    rule: Option<&TaxRuleRecord>,
    shown: &Shown,
    zone: &str,
) -> CommonFields {
    let tr = ctx.tr;
    let value =
        |name: &str, current: Option<String>| shown.value(name, current.unwrap_or_default());
    let chosen_types = match shown.form {
        Some(form) => form.all("product_types"),
        None => rule
            .map(|r| r.product_types.iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
    };
    let provider = value("provider_id", rule.map(|r| r.provider_id.to_string()));
    let rate = rule.map(|r| bursar_domain::money::format_minor(r.rate_bp, 2));
    CommonFields {
        provider: Field::select(
            "provider_id",
            tr.t("tax-field-provider"),
            names.provider_options(ctx, &provider, "tax-choose-provider"),
        )
        .required(),
        name: Field::text(
            "name",
            tr.t("tax-field-name"),
            &value("name", rule.map(|r| r.name.clone())),
        )
        .max(100),
        rate: Field::text("rate", tr.t("tax-field-rate"), &value("rate", rate))
            .required()
            .hint(tr.t("tax-rate-hint")),
        starts: Field::text(
            "starts_at",
            tr.t("tax-field-starts"),
            &value("starts_at", rule.map(|r| local_time(r.starts_at, zone))),
        )
        .required(),
        ends: Field::text(
            "ends_at",
            tr.t("tax-field-ends"),
            &value(
                "ends_at",
                rule.and_then(|r| r.ends_at.map(|t| local_time(t, zone))),
            ),
        )
        .hint(tr.t("tax-ends-hint")),
        products: Field::checks(
            "product_types",
            tr.t("tax-field-products"),
            names.type_options(ctx, &chosen_types),
        )
        .hint(tr.t("tax-products-hint")),
    }
}

/// A rule form: "new" (`rule: None`, posted to `{base}/new`) or the rule's own.
fn form_view(
    ctx: &Ctx,
    rule: Option<&TaxRuleRecord>,
    new_title: &str,
    base: &str,
    fields: Vec<Field>,
    shown: &Shown,
) -> FormView {
    let tr = ctx.tr;
    let (title, action, submit) = match rule {
        None => (tr.t(new_title), format!("{base}/new"), tr.t("tax-create")),
        Some(r) => (r.name.clone(), format!("{base}/{}", r.id), tr.t("cl-save")),
    };
    FormView::new(tr, title, action, submit)
        .cancel(base.to_owned())
        .error(shown.message.clone())
        .section(None, fields, &shown.errors)
}

fn shared_form(ctx: &Ctx, names: &Names, rule: Option<&TaxRuleRecord>, shown: Shown) -> Response {
    let tr = ctx.tr;
    let value =
        |name: &str, current: Option<String>| shown.value(name, current.unwrap_or_default());
    let c = common_fields(ctx, names, rule, &shown, "UTC");
    let group = value(
        "group_id",
        rule.and_then(|r| r.group_id.map(|g| g.to_string())),
    );
    let country = value("country", rule.and_then(|r| r.country.clone()));
    let fields = vec![
        c.provider,
        Field::select(
            "group_id",
            tr.t("tax-field-group"),
            names.group_options(ctx, &group, "tax-no-group"),
        )
        .hint(tr.t("tax-group-hint")),
        c.name.required().hint(tr.t("tax-name-hint")),
        c.rate,
        Field::select(
            "country",
            tr.t("tax-field-country"),
            super::view::country_options(tr, &country, true),
        ),
        Field::text(
            "region",
            tr.t("tax-field-region"),
            &value("region", rule.and_then(|r| r.region.clone())),
        )
        .max(100)
        .hint(tr.t("tax-region-hint")),
        c.products,
        c.starts.hint(tr.t("tax-utc-hint")),
        c.ends,
    ];
    let view = form_view(ctx, rule, "tax-new-title", PATH, fields, &shown);
    render::page(
        ctx,
        shown.status,
        &FormPage {
            ui: Ui::new(ctx, TITLE),
            head: Head::plain(tr.t(TITLE)).back(PATH.to_owned(), tr.t(TITLE)),
            form: view,
        },
    )
}

fn input(form: &Fields, scope: RuleScope) -> TaxRuleInput {
    let shared = scope == RuleScope::Shared;
    TaxRuleInput {
        provider_id: Some(form.get("provider_id").to_owned()),
        group_id: shared.then(|| form.get("group_id").to_owned()),
        name: Some(form.get("name").to_owned()),
        rate: Some(form.get("rate").to_owned()),
        country: shared.then(|| form.get("country").to_owned()),
        region: shared.then(|| form.get("region").to_owned()),
        product_types: Some(form.all("product_types")),
        time_zone: (!shared).then(|| form.get("time_zone").to_owned()),
        starts_at: Some(form.get("starts_at").to_owned()),
        ends_at: Some(form.get("ends_at").to_owned()),
    }
}

async fn new(Signed { ctx, who }: Signed, params: Params) -> Response {
    let names = match Names::load(&ctx, &who).await {
        Ok(n) => n,
        Err(res) => return res,
    };
    let mut shown = Shown::fresh();
    shown
        .prefill
        .push(("group_id", params.get("group_id").to_owned()));
    shown
        .prefill
        .push(("provider_id", params.get("provider_id").to_owned()));
    shared_form(&ctx, &names, None, shown)
}

async fn create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match ctx
        .app
        .save_tax_rule(
            &who,
            RuleScope::Shared,
            None,
            input(&form, RuleScope::Shared),
        )
        .await
    {
        Ok(_) => see_other(&Done::Created.link(PATH)),
        Err(e) => match Names::load(&ctx, &who).await {
            Ok(names) => refused(&ctx, e, |r| {
                shared_form(&ctx, &names, None, Shown::refused(&form, r))
            }),
            Err(res) => res,
        },
    }
}

async fn edit(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let found = match rule_id(&ctx, &id) {
        Ok(id) => ctx.app.tax_rule(&who, RuleScope::Shared, id).await,
        Err(res) => return *res,
    };
    match (found, Names::load(&ctx, &who).await) {
        (Ok(r), Ok(names)) => shared_form(&ctx, &names, Some(&r), Shown::fresh()),
        (Err(e), _) => error::fail(&ctx, e),
        (_, Err(res)) => res,
    }
}

async fn save(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let rule = match rule_id(&ctx, &id) {
        Ok(id) => match ctx.app.tax_rule(&who, RuleScope::Shared, id).await {
            Ok(r) => r,
            Err(e) => return error::fail(&ctx, e),
        },
        Err(res) => return *res,
    };
    match ctx
        .app
        .save_tax_rule(
            &who,
            RuleScope::Shared,
            Some(rule.id),
            input(&form, RuleScope::Shared),
        )
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(PATH)),
        Err(e) => match Names::load(&ctx, &who).await {
            Ok(names) => refused(&ctx, e, |r| {
                shared_form(&ctx, &names, Some(&rule), Shown::refused(&form, r))
            }),
            Err(res) => res,
        },
    }
}

async fn delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match rule_id(&ctx, &id) {
        Ok(id) => id,
        Err(res) => return *res,
    };
    match ctx.app.delete_tax_rule(&who, RuleScope::Shared, id).await {
        Ok(()) => see_other(&Done::Deleted.link(PATH)),
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- the client card's Tax tab ----

fn client_path(client: ClientId) -> String {
    format!("{}{TAB}", card::card_path(client))
}

async fn client_list(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let tr = ctx.tr;
    let card = match card::load(&ctx, &who, &id).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let client = card.client.id;
    let rules = match ctx.app.client_tax_rules(&who, client).await {
        Ok(r) => r,
        Err(e) => return error::fail(&ctx, e),
    };
    let names = match Names::load(&ctx, &who).await {
        Ok(n) => n,
        Err(res) => return res,
    };
    let base = client_path(client);
    let mut table = Table::new(
        tr,
        &[
            "tax-col-provider",
            "tax-col-rate",
            "tax-col-products",
            "tax-col-period",
            "tax-col-zone",
        ],
        "tax-client-empty",
    );
    let editable = who.may(f::TAX_EDIT);
    for r in &rules {
        let href = format!("{base}/{}", r.id);
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
                Cell::text(names.provider(r)).sub(Some(r.name.clone())),
                Cell::code(percent(r.rate_bp)),
                Cell::text(names.products(&ctx, r)),
                Cell::text(period(&ctx, r)),
                Cell::text(r.time_zone.clone()),
            ],
            actions,
        );
    }
    let page = ListPage {
        ui: Done::flash(Ui::new(&ctx, "card-title"), &params),
        head: card::head(&ctx, &who, &card, TAB),
        title: Some(tr.t("tax-client-title")),
        add: editable
            .then(|| Link::get(format!("{base}/new"), tr.t("tax-client-add"), "btn-primary")),
        intro: Some(tr.t("tax-client-intro")),
        search: None,
        table,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

fn client_form(
    ctx: &Ctx,
    who: &Principal,
    card: &bursar_app::clients::ClientCard,
    names: &Names,
    rule: Option<&TaxRuleRecord>,
    shown: Shown,
) -> Response {
    let tr = ctx.tr;
    let base = client_path(card.client.id);
    let stored_zone = rule.map_or("UTC", |r| r.time_zone.as_str());
    let zone = shown.value("time_zone", stored_zone);
    let c = common_fields(ctx, names, rule, &shown, stored_zone);
    let fields = vec![
        c.provider,
        c.name.hint(tr.t("tax-client-name-hint")),
        c.rate,
        Field::select(
            "time_zone",
            tr.t("tax-field-zone"),
            ZONES
                .iter()
                .map(|z| Opt::new(z.clone(), z.clone(), *z == zone))
                .collect(),
        )
        .required(),
        c.starts.hint(tr.t("tax-local-hint")),
        c.ends,
        c.products,
    ];
    let view = form_view(ctx, rule, "tax-client-new-title", &base, fields, &shown);
    render::page(
        ctx,
        shown.status,
        &FormPage {
            ui: Ui::new(ctx, "card-title"),
            head: card::head(ctx, who, card, TAB),
            form: view,
        },
    )
}

/// The card and the names a client rule's pages need, or the error page.
async fn client_context(
    ctx: &Ctx,
    who: &Principal,
    raw: &str,
) -> Result<(bursar_app::clients::ClientCard, Names), Response> {
    let card = card::load(ctx, who, raw).await?;
    Ok((card, Names::load(ctx, who).await?))
}

async fn client_rule(
    ctx: &Ctx,
    who: &Principal,
    client: ClientId,
    raw: &str,
) -> Result<TaxRuleRecord, Response> {
    let id = rule_id(ctx, raw).map_err(|res| *res)?;
    ctx.app
        .tax_rule(who, RuleScope::Client(client), id)
        .await
        .map_err(|e| error::fail(ctx, e))
}

async fn client_new(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match client_context(&ctx, &who, &id).await {
        Ok((card, names)) => client_form(&ctx, &who, &card, &names, None, Shown::fresh()),
        Err(res) => res,
    }
}

async fn client_create(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let (card, names) = match client_context(&ctx, &who, &id).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let scope = RuleScope::Client(card.client.id);
    match ctx
        .app
        .save_tax_rule(&who, scope, None, input(&form, scope))
        .await
    {
        Ok(_) => see_other(&Done::Created.link(&client_path(card.client.id))),
        Err(e) => refused(&ctx, e, |r| {
            client_form(&ctx, &who, &card, &names, None, Shown::refused(&form, r))
        }),
    }
}

async fn client_edit(
    Signed { ctx, who }: Signed,
    Path((id, rule)): Path<(String, String)>,
) -> Response {
    let (card, names) = match client_context(&ctx, &who, &id).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    match client_rule(&ctx, &who, card.client.id, &rule).await {
        Ok(r) => client_form(&ctx, &who, &card, &names, Some(&r), Shown::fresh()),
        Err(res) => res,
    }
}

async fn client_save(
    Signed { ctx, who }: Signed,
    Path((id, rule)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let (card, names) = match client_context(&ctx, &who, &id).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let rule = match client_rule(&ctx, &who, card.client.id, &rule).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    let scope = RuleScope::Client(card.client.id);
    match ctx
        .app
        .save_tax_rule(&who, scope, Some(rule.id), input(&form, scope))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(&client_path(card.client.id))),
        Err(e) => refused(&ctx, e, |r| {
            client_form(
                &ctx,
                &who,
                &card,
                &names,
                Some(&rule),
                Shown::refused(&form, r),
            )
        }),
    }
}

async fn client_delete_show(
    Signed { ctx, who }: Signed,
    Path((id, rule)): Path<(String, String)>,
) -> Response {
    let card = match card::load(&ctx, &who, &id).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let rule = match client_rule(&ctx, &who, card.client.id, &rule).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    let tr = ctx.tr;
    let base = client_path(card.client.id);
    let page = ConfirmPage {
        ui: Ui::new(&ctx, "card-title"),
        head: card::head(&ctx, &who, &card, TAB),
        title: tr.t("tax-delete-title"),
        text: format!(
            "{} · {} · {}",
            rule.name,
            percent(rule.rate_bp),
            period(&ctx, &rule)
        ),
        warning: None,
        error: None,
        ack: None,
        ack_error: None,
        action: format!("{base}/{}/delete", rule.id),
        button: tr.t("cl-delete"),
        cancel: base,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn client_delete(
    Signed { ctx, who }: Signed,
    Path((id, rule)): Path<(String, String)>,
) -> Response {
    let card = match card::load(&ctx, &who, &id).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let id = match rule_id(&ctx, &rule) {
        Ok(id) => id,
        Err(res) => return *res,
    };
    let client = card.client.id;
    match ctx
        .app
        .delete_tax_rule(&who, RuleScope::Client(client), id)
        .await
    {
        Ok(()) => see_other(&Done::Deleted.link(&client_path(client))),
        Err(e) => error::fail(&ctx, e),
    }
}
