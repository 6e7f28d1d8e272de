//! Clients → Client groups (seed 004): the list with how many clients each holds, the form
//! with every setting a group carries, and deletion. Tariff and payment-method ids are typed
//! as comma-separated text until the catalog and payment methods have their own pages.

use super::card::ConfirmPage;
use super::view::{Cell, Field, FormView, Head, Link, Opt, Shown, Table, refusal, split_list};
use super::{Done, FormPage, ListPage};
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::client_groups::GroupInput;
use bursar_app::ports::ClientGroupRecord;
use bursar_app::{AppError, Principal};
use bursar_domain::ClientGroupId;
use bursar_domain::ErrorCode;
use bursar_domain::functions::f;

const PATH: &str = "/admin/client-groups";
const TITLE: &str = "cgroup-title";

/// The group's flags with their label ids, in the form's order.
fn flags(g: &ClientGroupRecord) -> [(&'static str, &'static str, bool); 6] {
    [
        ("allow_suspend", "cgroup-allow-suspend", g.allow_suspend),
        ("allow_activate", "cgroup-allow-activate", g.allow_activate),
        ("allow_delete", "cgroup-allow-delete", g.allow_delete),
        (
            "unlimited_services",
            "cgroup-unlimited",
            g.unlimited_services,
        ),
        (
            "forbid_contract_drafts",
            "cgroup-forbid-drafts",
            g.forbid_contract_drafts,
        ),
        ("mailing_segment", "cgroup-mailing", g.mailing_segment),
    ]
}

fn head(ctx: &Ctx) -> Head {
    Head::plain(ctx.tr.t(TITLE)).lead(ctx.tr.t("cgroup-lead"))
}

/// `GET /admin/client-groups`.
pub async fn list(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let groups = match ctx.app.list_client_groups(&who).await {
        Ok(groups) => groups,
        Err(e) => return error::fail(&ctx, e),
    };
    let editable = who.may(f::CLIENT_GROUP_EDIT);
    let mut table = Table::new(
        tr,
        &[
            "cgroup-col-name",
            "cgroup-col-members",
            "cgroup-col-settings",
            "cgroup-col-restrictions",
        ],
        "cgroup-empty",
    );
    for (g, members) in &groups {
        let href = format!("{PATH}/{}", g.id);
        let settings: Vec<String> = flags(g)
            .iter()
            .filter(|(_, _, on)| *on)
            .map(|(_, label, _)| tr.t(label))
            .collect();
        let mut restrictions = Vec::new();
        if !g.forbidden_tariffs.is_empty() {
            restrictions.push(tr.t1("cgroup-tariffs-count", "count", g.forbidden_tariffs.len()));
        }
        if !g.restricted_payment_methods.is_empty() {
            restrictions.push(tr.t1(
                "cgroup-methods-count",
                "count",
                g.restricted_payment_methods.len(),
            ));
        }
        let name = if editable {
            Cell::link(g.name.clone(), href.clone())
        } else {
            Cell::text(g.name.clone())
        };
        let actions = if editable {
            vec![
                Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"),
                Link::get(format!("{href}/delete"), tr.t("cl-delete"), "btn-danger"),
            ]
        } else {
            Vec::new()
        };
        let settings = if settings.is_empty() {
            Cell::text(tr.t("cgroup-no-settings"))
        } else {
            Cell::tags(settings)
        };
        let restrictions = if restrictions.is_empty() {
            Cell::text(tr.t("value-none"))
        } else {
            Cell::tags(restrictions)
        };
        table.row(
            vec![
                name,
                Cell::text(tr.t1("cgroup-members", "count", *members)),
                settings,
                restrictions,
            ],
            actions,
        );
    }
    let page = ListPage {
        ui: Done::flash(Ui::new(&ctx, TITLE), &params),
        head: head(&ctx),
        title: None,
        add: None,
        intro: None,
        search: None,
        table,
    };
    let mut page = page;
    if editable {
        page.head = page.head.action(Link::get(
            format!("{PATH}/new"),
            tr.t("cgroup-add"),
            "btn-primary",
        ));
    }
    render::page(&ctx, StatusCode::OK, &page)
}

async fn render_form(
    ctx: &Ctx,
    who: &Principal,
    group: Option<&ClientGroupRecord>,
    shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    // Every provider's methods, to close some of them to the group.
    let methods = ctx.app.payment_methods(who, None).await.unwrap_or_default();
    let blank = ClientGroupRecord {
        id: ClientGroupId::new(),
        name: String::new(),
        allow_suspend: false,
        allow_activate: false,
        allow_delete: false,
        unlimited_services: false,
        forbid_contract_drafts: false,
        mailing_segment: false,
        forbidden_tariffs: Vec::new(),
        restricted_payment_methods: Vec::new(),
        created_at: ctx.app.now(),
        updated_at: ctx.app.now(),
    };
    let g = group.unwrap_or(&blank);
    let settings = flags(g)
        .into_iter()
        .map(|(name, label, on)| {
            Field::checkbox(name, tr.t(label), shown.checked(name, on))
                .hint(tr.t(&format!("{label}-hint")))
        })
        .collect();
    let (title, action, submit) = match group {
        None => (
            tr.t("cgroup-new-title"),
            format!("{PATH}/new"),
            tr.t("cgroup-create"),
        ),
        Some(g) => (
            tr.t1("cgroup-edit-title", "name", g.name.as_str()),
            format!("{PATH}/{}", g.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel(PATH.to_owned())
        .error(shown.message.clone())
        .section(
            None,
            vec![
                Field::text(
                    "name",
                    tr.t("cgroup-field-name"),
                    &shown.value("name", g.name.clone()),
                )
                .required()
                .max(100),
            ],
            &shown.errors,
        )
        .section(
            Some(tr.t("cgroup-section-settings")),
            settings,
            &shown.errors,
        )
        .section(
            Some(tr.t("cgroup-section-restrictions")),
            vec![
                Field::textarea(
                    "forbidden_tariffs",
                    tr.t("cgroup-field-tariffs"),
                    &shown.value("forbidden_tariffs", g.forbidden_tariffs.join(", ")),
                )
                .hint(tr.t("cgroup-ids-hint")),
                Field::checks(
                    "restricted_payment_methods",
                    tr.t("cgroup-field-methods"),
                    methods
                        .iter()
                        .map(|m| {
                            let id = m.id.to_string();
                            let chosen = match shown.form {
                                Some(f) => f.all("restricted_payment_methods").contains(&id),
                                None => g.restricted_payment_methods.contains(&id),
                            };
                            let name = match tr.locale() {
                                bursar_domain::Locale::En => &m.name_en,
                                bursar_domain::Locale::Ru => &m.name_ru,
                            };
                            Opt::new(id, name.clone(), chosen)
                        })
                        .collect(),
                )
                .hint(tr.t("cgroup-methods-hint")),
            ],
            &shown.errors,
        );
    let mut head = head(ctx).back(PATH.to_owned(), tr.t(TITLE));
    let mut view = view;
    if let Some(g) = group
        && let Some(((title, fields), link)) = super::taxes::group_section(ctx, who, g.id).await
    {
        view = view.section(Some(title), fields, &shown.errors);
        head = head.action(link);
    }
    if let Some(g) = group.filter(|_| who.may(f::RATE_VIEW)) {
        let rates = format!("{PATH}/{}/currency-rates", g.id);
        head = head.action(Link::get(rates, tr.t("rate-group-link"), "btn-secondary"));
    }
    let page = FormPage {
        ui: Ui::new(ctx, TITLE),
        head,
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

fn input(form: &Fields) -> GroupInput {
    let flag = |name: &str| Some(!form.get(name).is_empty());
    GroupInput {
        name: Some(form.get("name").to_owned()),
        allow_suspend: flag("allow_suspend"),
        allow_activate: flag("allow_activate"),
        allow_delete: flag("allow_delete"),
        unlimited_services: flag("unlimited_services"),
        forbid_contract_drafts: flag("forbid_contract_drafts"),
        mailing_segment: flag("mailing_segment"),
        forbidden_tariffs: Some(split_list(form.get("forbidden_tariffs"))),
        restricted_payment_methods: Some(form.all("restricted_payment_methods")),
    }
}

/// A taken name is the only conflict a group can have (`client_groups_name_key`).
fn name_taken(ctx: &Ctx, e: AppError) -> AppError {
    match e {
        AppError::Conflict { field: None, .. } => AppError::Conflict {
            code: ErrorCode::NameTaken,
            field: Some("name"),
            message: ctx.tr.error(ErrorCode::NameTaken),
        },
        other => other,
    }
}

async fn save_group(
    ctx: Ctx,
    who: Principal,
    group: Option<ClientGroupRecord>,
    form: Fields,
) -> Response {
    match ctx
        .app
        .save_client_group(&who, group.as_ref().map(|g| g.id), input(&form))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(PATH)),
        Err(e) => match refusal(ctx.tr, name_taken(&ctx, e)) {
            Ok(r) => render_form(&ctx, &who, group.as_ref(), Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn find(ctx: &Ctx, who: &Principal, raw: &str) -> Result<ClientGroupRecord, Response> {
    let not_found = || {
        error::fail(
            ctx,
            AppError::NotFound {
                what: "client group",
            },
        )
    };
    let id: ClientGroupId = raw.parse().map_err(|_| not_found())?;
    let groups = ctx
        .app
        .list_client_groups(who)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    groups
        .into_iter()
        .map(|(g, _)| g)
        .find(|g| g.id == id)
        .ok_or_else(not_found)
}

/// `GET /admin/client-groups/new`.
pub async fn new(Signed { ctx, who }: Signed) -> Response {
    render_form(&ctx, &who, None, Shown::fresh()).await
}

/// `POST /admin/client-groups/new`.
pub async fn create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    save_group(ctx, who, None, form).await
}

/// `GET /admin/client-groups/{id}`.
pub async fn edit(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match find(&ctx, &who, &id).await {
        Ok(g) => render_form(&ctx, &who, Some(&g), Shown::fresh()).await,
        Err(res) => res,
    }
}

/// `POST /admin/client-groups/{id}`.
pub async fn save(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    match find(&ctx, &who, &id).await {
        Ok(g) => save_group(ctx, who, Some(g), form).await,
        Err(res) => res,
    }
}

/// `GET /admin/client-groups/{id}/delete`.
pub async fn delete_show(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let g = match find(&ctx, &who, &id).await {
        Ok(g) => g,
        Err(res) => return res,
    };
    let tr = ctx.tr;
    let page = ConfirmPage {
        ui: Ui::new(&ctx, TITLE),
        head: head(&ctx).back(PATH.to_owned(), tr.t(TITLE)),
        title: tr.t1("cgroup-delete-title", "name", g.name.as_str()),
        text: tr.t("cgroup-delete-text"),
        warning: None,
        error: None,
        ack: None,
        ack_error: None,
        action: format!("{PATH}/{}/delete", g.id),
        button: tr.t("cl-delete"),
        cancel: PATH.to_owned(),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

/// `POST /admin/client-groups/{id}/delete`.
pub async fn delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let g = match find(&ctx, &who, &id).await {
        Ok(g) => g,
        Err(res) => return res,
    };
    match ctx.app.delete_client_group(&who, g.id).await {
        Ok(()) => see_other(&Done::Deleted.link(PATH)),
        Err(e) => error::fail(&ctx, e),
    }
}
