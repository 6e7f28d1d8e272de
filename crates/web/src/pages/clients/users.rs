//! A client's users (seed 002): the list, the form that adds one with the client functions
//! it may use, the edit form, and deletion; for staff under the client card and for the
//! client's own users under `/client/users`. The main user holds every function and can be
//! neither disabled nor deleted, so its form shows those controls switched off.

use super::card::ConfirmPage;
use super::scope::Scope;
use super::view::{Cell, Field, FormView, Link, Opt, Shown, Table, refusal};
use super::{Done, FormPage, ListPage};
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::client_accounts::{ClientUserInput, ClientUserView};
use bursar_app::{AppError, Principal};
use bursar_domain::UserId;
use bursar_domain::access::Audience;
use bursar_domain::functions::FUNCTIONS;
use bursar_domain::functions::{Function, f};

const TITLE: &str = "cuser-title";
const LEAD: &str = "cuser-lead";
const TAB: &str = "/users";
/// Every client user has the dashboard; it is not offered as a choice.
const ALWAYS: &Function = f::DASHBOARD_CLIENT;

fn list_path(scope: &Scope) -> String {
    format!("{}/users", scope.base)
}

/// The client functions a user can be given, with the `checked` ones ticked.
fn function_options(ctx: &Ctx, checked: &[String]) -> Vec<Opt> {
    FUNCTIONS
        .iter()
        .filter(|f| f.audience == Audience::Client && f.key != ALWAYS.key)
        .map(|f| {
            Opt::new(
                f.key,
                f.name(ctx.tr.locale()),
                checked.iter().any(|k| k == f.key),
            )
        })
        .collect()
}

fn function_names(ctx: &Ctx, u: &ClientUserView) -> Vec<String> {
    if u.user.is_main {
        return vec![ctx.tr.t("cuser-all-functions")];
    }
    let names: Vec<String> = FUNCTIONS
        .iter()
        .filter(|f| f.key != ALWAYS.key && u.functions.iter().any(|k| k == f.key))
        .map(|f| f.name(ctx.tr.locale()).to_owned())
        .collect();
    if names.is_empty() {
        vec![ctx.tr.t("cuser-dashboard-only")]
    } else {
        names
    }
}

async fn list(ctx: Ctx, who: Principal, scope: Scope, params: Params) -> Response {
    let tr = ctx.tr;
    let users = match ctx.app.list_client_users(&who, scope.client).await {
        Ok(users) => users,
        Err(e) => return error::fail(&ctx, e),
    };
    let base = list_path(&scope);
    let mut table = Table::new(
        tr,
        &[
            "cuser-col-login",
            "cuser-col-name",
            "cuser-col-email",
            "cuser-col-functions",
            "cuser-col-status",
        ],
        "cuser-empty",
    );
    for u in &users {
        let href = format!("{base}/{}", u.user.id);
        let mut actions = vec![Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary")];
        if !u.user.is_main && u.user.id != who.user.id {
            actions.push(Link::get(
                format!("{href}/delete"),
                tr.t("cl-delete"),
                "btn-danger",
            ));
        }
        let role = tr.t(if u.user.is_main {
            "role-client-main"
        } else {
            "role-client-user"
        });
        let status = tr.t(if u.user.is_active {
            "cl-status-active"
        } else {
            "cl-status-disabled"
        });
        let cells = vec![
            Cell::link(u.user.login.to_string(), href).sub(Some(role)),
            Cell::text(u.user.name.to_string()),
            Cell::text(
                u.user
                    .email
                    .as_ref()
                    .map_or_else(|| tr.t("value-none"), ToString::to_string),
            ),
            Cell::tags(function_names(&ctx, u)),
            Cell::status(status, u.user.is_active),
        ];
        if u.user.is_active {
            table.row(cells, actions);
        } else {
            table.muted_row(cells, actions);
        }
    }
    let page = ListPage {
        ui: Done::flash(Ui::new(&ctx, TITLE), &params),
        head: scope.head(&ctx, &who, TAB, TITLE, LEAD),
        title: Some(tr.t(TITLE)),
        add: Some(Link::get(
            format!("{base}/new"),
            tr.t("cuser-add"),
            "btn-primary",
        )),
        intro: Some(tr.t("cuser-intro")),
        search: None,
        table,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

/// The add (`user` = `None`) or edit form, with the typed values after a refusal.
fn render_form(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    user: Option<&ClientUserView>,
    shown: Shown,
) -> Response {
    let tr = ctx.tr;
    let base = list_path(scope);
    let form = shown.form;
    let value = |name: &str, current: String| shown.value(name, current);
    let main = user.is_some_and(|u| u.user.is_main);
    let active = shown.checked("is_active", user.is_none_or(|u| u.user.is_active));
    let checked = form.map_or_else(
        || user.map(|u| u.functions.clone()).unwrap_or_default(),
        |f| f.all("functions"),
    );
    let mut fields = Vec::new();
    match user {
        None => fields.push(
            Field::text(
                "login",
                tr.t("cuser-field-login"),
                &value("login", String::new()),
            )
            .required()
            .autocomplete("off")
            .hint(tr.t("cuser-login-hint"))
            .max(64),
        ),
        Some(u) => fields.push(Field::fixed(
            "login",
            tr.t("cuser-field-login"),
            u.user.login.to_string(),
        )),
    }
    fields.push(
        Field::text(
            "name",
            tr.t("cuser-field-name"),
            &value(
                "name",
                user.map(|u| u.user.name.to_string()).unwrap_or_default(),
            ),
        )
        .required()
        .max(200),
    );
    fields.push(
        Field::input(
            "email",
            "email",
            tr.t("cuser-field-email"),
            &value(
                "email",
                user.and_then(|u| u.user.email.as_ref().map(ToString::to_string))
                    .unwrap_or_default(),
            ),
        )
        .max(254),
    );
    let mut password = Field::input("password", "password", tr.t("cuser-field-password"), "")
        .autocomplete("new-password")
        .max(128);
    password = if user.is_some() {
        password.hint(tr.t("cuser-password-keep"))
    } else {
        password.required().hint(tr.t("cuser-password-rule"))
    };
    fields.push(password);
    let mut is_active =
        Field::checkbox("is_active", tr.t("cuser-field-active"), active || main).disabled(main);
    let mut functions = Field::checks(
        "functions",
        tr.t("cuser-field-functions"),
        function_options(ctx, &checked),
    )
    .disabled(main);
    if main {
        is_active = is_active.hint(tr.t("cuser-main-hint"));
        functions = functions.hint(tr.t("cuser-main-functions"));
    } else {
        is_active = is_active.hint(tr.t("cuser-active-hint"));
        functions = functions.hint(tr.t("cuser-functions-hint"));
    }
    let (title, action, submit) = match user {
        None => (
            tr.t("cuser-new-title"),
            format!("{base}/new"),
            tr.t("cuser-create"),
        ),
        Some(u) => (
            tr.t1("cuser-edit-title", "login", u.user.login.as_str()),
            format!("{base}/{}", u.user.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel(base)
        .error(shown.message.clone())
        .section(None, fields, &shown.errors)
        .section(
            Some(tr.t("cuser-section-rights")),
            vec![is_active, functions],
            &shown.errors,
        );
    let page = FormPage {
        ui: Ui::new(ctx, TITLE),
        head: scope.head(ctx, who, TAB, TITLE, LEAD),
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

fn new_form(ctx: Ctx, who: Principal, scope: Scope) -> Response {
    render_form(&ctx, &who, &scope, None, Shown::fresh())
}

async fn create(ctx: Ctx, who: Principal, scope: Scope, form: Fields) -> Response {
    let input = ClientUserInput {
        login: Some(form.get("login").to_owned()),
        name: Some(form.get("name").to_owned()),
        email: Some(form.get("email").to_owned()),
        password: Some(form.get("password").to_owned()),
        is_active: Some(!form.get("is_active").is_empty()),
        functions: Some(form.all("functions")),
    };
    match ctx.app.create_client_user(&who, scope.client, input).await {
        Ok(_) => see_other(&Done::Created.link(&list_path(&scope))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => render_form(&ctx, &who, &scope, None, Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// The user `raw` of the scope's client; another client's user is "not found".
async fn find(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    raw: &str,
) -> Result<ClientUserView, Response> {
    let not_found = || error::fail(ctx, AppError::NotFound { what: "user" });
    let id: UserId = raw.parse().map_err(|_| not_found())?;
    let users = ctx
        .app
        .list_client_users(who, scope.client)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    users
        .into_iter()
        .find(|u| u.user.id == id)
        .ok_or_else(not_found)
}

async fn edit(ctx: Ctx, who: Principal, scope: Scope, raw: &str) -> Response {
    match find(&ctx, &who, &scope, raw).await {
        Ok(user) => render_form(&ctx, &who, &scope, Some(&user), Shown::fresh()),
        Err(res) => res,
    }
}

async fn save(ctx: Ctx, who: Principal, scope: Scope, raw: &str, form: Fields) -> Response {
    let user = match find(&ctx, &who, &scope, raw).await {
        Ok(user) => user,
        Err(res) => return res,
    };
    let main = user.user.is_main;
    let password = form.get("password");
    let input = ClientUserInput {
        login: None,
        name: Some(form.get("name").to_owned()),
        email: Some(form.get("email").to_owned()),
        password: (!password.is_empty()).then(|| password.to_owned()),
        is_active: (!main).then(|| !form.get("is_active").is_empty()),
        functions: (!main).then(|| form.all("functions")),
    };
    match ctx
        .app
        .update_client_user(&who, scope.client, user.user.id, input)
        .await
    {
        Ok(()) => see_other(&Done::Saved.link(&list_path(&scope))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => render_form(&ctx, &who, &scope, Some(&user), Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

fn delete_page(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    user: &ClientUserView,
    error: Option<String>,
) -> ConfirmPage {
    let tr = ctx.tr;
    let base = list_path(scope);
    ConfirmPage {
        ui: Ui::new(ctx, TITLE),
        head: scope.head(ctx, who, TAB, TITLE, LEAD),
        title: tr.t1("cuser-delete-title", "login", user.user.login.as_str()),
        text: tr.t("cuser-delete-text"),
        warning: None,
        error,
        ack: None,
        ack_error: None,
        action: format!("{base}/{}/delete", user.user.id),
        button: tr.t("cl-delete"),
        cancel: base,
    }
}

async fn delete_show(ctx: Ctx, who: Principal, scope: Scope, raw: &str) -> Response {
    match find(&ctx, &who, &scope, raw).await {
        Ok(user) => render::page(
            &ctx,
            StatusCode::OK,
            &delete_page(&ctx, &who, &scope, &user, None),
        ),
        Err(res) => res,
    }
}

async fn delete(ctx: Ctx, who: Principal, scope: Scope, raw: &str) -> Response {
    let user = match find(&ctx, &who, &scope, raw).await {
        Ok(user) => user,
        Err(res) => return res,
    };
    match ctx
        .app
        .delete_client_user(&who, scope.client, user.user.id)
        .await
    {
        Ok(()) => see_other(&Done::Deleted.link(&list_path(&scope))),
        Err(e @ (AppError::Conflict { .. } | AppError::Refused { .. })) => {
            match refusal(ctx.tr, e) {
                Ok(r) => render::page(
                    &ctx,
                    StatusCode::CONFLICT,
                    &delete_page(&ctx, &who, &scope, &user, r.message),
                ),
                Err(e) => error::fail(&ctx, e),
            }
        }
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- Staff: /admin/clients/{id}/users… ----

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
        Ok(scope) => new_form(ctx, who, scope),
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
    Path((id, user)): Path<(String, String)>,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => edit(ctx, who, scope, &user).await,
        Err(res) => res,
    }
}

pub async fn staff_save(
    Signed { ctx, who }: Signed,
    Path((id, user)): Path<(String, String)>,
    form: Fields,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => save(ctx, who, scope, &user, form).await,
        Err(res) => res,
    }
}

pub async fn staff_delete_show(
    Signed { ctx, who }: Signed,
    Path((id, user)): Path<(String, String)>,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => delete_show(ctx, who, scope, &user).await,
        Err(res) => res,
    }
}

pub async fn staff_delete(
    Signed { ctx, who }: Signed,
    Path((id, user)): Path<(String, String)>,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => delete(ctx, who, scope, &user).await,
        Err(res) => res,
    }
}

// ---- Client area: /client/users… ----

pub async fn own_list(Signed { ctx, who }: Signed, params: Params) -> Response {
    match Scope::own(&who) {
        Ok(scope) => list(ctx, who, scope, params).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_new(Signed { ctx, who }: Signed) -> Response {
    match Scope::own(&who) {
        Ok(scope) => new_form(ctx, who, scope),
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match Scope::own(&who) {
        Ok(scope) => create(ctx, who, scope, form).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_edit(Signed { ctx, who }: Signed, Path(user): Path<String>) -> Response {
    match Scope::own(&who) {
        Ok(scope) => edit(ctx, who, scope, &user).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_save(
    Signed { ctx, who }: Signed,
    Path(user): Path<String>,
    form: Fields,
) -> Response {
    match Scope::own(&who) {
        Ok(scope) => save(ctx, who, scope, &user, form).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_delete_show(Signed { ctx, who }: Signed, Path(user): Path<String>) -> Response {
    match Scope::own(&who) {
        Ok(scope) => delete_show(ctx, who, scope, &user).await,
        Err(e) => error::fail(&ctx, e),
    }
}

pub async fn own_delete(Signed { ctx, who }: Signed, Path(user): Path<String>) -> Response {
    match Scope::own(&who) {
        Ok(scope) => delete(ctx, who, scope, &user).await,
        Err(e) => error::fail(&ctx, e),
    }
}
