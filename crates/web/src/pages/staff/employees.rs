//! Provider → Staff (seed 001): the list with its filters, the add and edit form (login, full
//! name in English and Russian, password typed or generated, departments, e-mail, phone,
//! language, full access, enabled), enabling and disabling, deletion, the avatar, and the
//! employee's permission tree with "why may they (not) do this?".
//!
//! A generated password exists only in the response that creates the employee, so that page
//! is rendered directly (never behind a redirect a browser could replay) and says to copy it.
//!
//! The avatar is uploaded as `multipart/form-data`, which the panel's 64 KB form limit does
//! not cover: this module reads the body itself, up to the guard's 1 MB upload limit, and
//! hands the image to the use case, whose 422 names the broken limit (type, 64 KB, 80×80).
//! The form works with and without JavaScript: htmx sends the CSRF token as a header, a
//! plain post as the form's `_csrf` field, which the guard reads from multipart bodies too.

use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params, Upload};
use crate::i18n::Tr;
use crate::layout::Ui;
use crate::pages::error;
use crate::pages::staff::departments::{LocaleOption, locale_options};
use crate::pages::staff::permissions::{
    self, Crumb, DeptNames, ExplainBox, ExplainResult, Holder, PermissionsPage,
};
use crate::pages::staff::{Refusal, anchor, pager, refusal};
use crate::render::{self, see_other};
use crate::url::with_query;
use crate::view::{Errors, Pager};
use askama::Template;
use axum::body::Body;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bursar_app::grants::GrantChange;
use bursar_app::ports::{Page, StaffFilter};
use bursar_app::staff::{StaffInput, StaffView};
use bursar_app::{AppError, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::functions::f;
use bursar_domain::{DepartmentId, Locale, UserId};
use bursar_http::guard::UPLOAD_LIMIT;
use bursar_http::multipart;
use fluent_bundle::FluentValue;

const LIST: &str = "/admin/staff";
const PER_PAGE: u32 = 25;
fn parse_id(id: &str) -> Result<UserId, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound { what: "employee" })
}

/// The name in the reader's language when the employee has one in it.
fn display_name(v: &StaffView, locale: Locale) -> String {
    match (locale, &v.user.name_ru) {
        (Locale::Ru, Some(ru)) if !ru.is_empty() => ru.clone(),
        _ => v.user.name.to_string(),
    }
}

fn initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default()
}

/// A department as a filter option or a checkbox.
pub struct DeptOption {
    pub id: String,
    pub label: String,
    /// The English name, which the use cases use when they name a department.
    pub english: String,
    pub checked: bool,
}

/// The departments `who` may see, named in the reader's language (empty without the right
/// to list departments: the field is then not shown and not sent).
async fn departments(
    ctx: &Ctx,
    who: &Principal,
    checked: &[String],
) -> Result<Vec<DeptOption>, AppError> {
    if !who.may(f::DEPARTMENT_LIST) {
        return Ok(Vec::new());
    }
    let list = ctx.app.list_departments(who).await?;
    Ok(list
        .into_iter()
        .map(|v| {
            let d = v.department;
            let id = d.id.to_string();
            DeptOption {
                checked: checked.contains(&id),
                label: match ctx.tr.locale() {
                    Locale::En => d.name_en.clone(),
                    Locale::Ru => d.name_ru,
                },
                english: d.name_en,
                id,
            }
        })
        .collect())
}

pub struct StaffRow {
    /// The employee's card (their form, read-only without the right to edit).
    pub href: String,
    pub name: String,
    pub other_name: Option<String>,
    pub login: String,
    pub initial: String,
    pub avatar: Option<String>,
    pub departments: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub full_access: bool,
    pub edit: Option<String>,
    pub permissions: Option<String>,
    /// Where the enable/disable button posts, and the value it sends.
    pub toggle: Option<(String, &'static str)>,
    pub delete: Option<String>,
}

pub struct StatusOption {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

/// The list's table and pager.
pub struct StaffTable {
    pub rows: Vec<StaffRow>,
    pub pager: Option<Pager>,
    pub empty: String,
}

/// Just the results, for htmx.
#[derive(Template)]
#[template(path = "staff/staff_results.html")]
pub struct StaffResults {
    ui: Ui,
    results: StaffTable,
}

#[derive(Template)]
#[template(path = "staff/staff_list.html")]
pub struct StaffListPage {
    ui: Ui,
    text: String,
    departments: Vec<DeptOption>,
    statuses: Vec<StatusOption>,
    new_href: Option<&'static str>,
    results: StaffTable,
}

fn row(ctx: &Ctx, who: &Principal, v: &StaffView, names: &[DeptOption]) -> StaffRow {
    let id = v.user.id;
    let base = format!("{LIST}/{id}");
    let name = display_name(v, ctx.tr.locale());
    let other = [Some(v.user.name.to_string()), v.user.name_ru.clone()]
        .into_iter()
        .flatten()
        .find(|n| !n.is_empty() && *n != name);
    let is_self = id == who.user.id;
    StaffRow {
        initial: initial(&name),
        other_name: other,
        name,
        login: v.user.login.to_string(),
        avatar: v.has_avatar.then(|| format!("{base}/avatar")),
        departments: v
            .departments
            .iter()
            .map(|(d, en)| {
                let d = d.to_string();
                names
                    .iter()
                    .find(|o| o.id == d)
                    .map_or_else(|| en.clone(), |o| o.label.clone())
            })
            .collect(),
        email: v.user.email.as_ref().map(ToString::to_string),
        phone: v.user.phone.as_ref().map(ToString::to_string),
        active: v.user.is_active,
        full_access: v.user.full_access,
        href: base.clone(),
        edit: who.may(f::STAFF_EDIT).then(|| base.clone()),
        permissions: who
            .may(f::STAFF_PERMISSIONS)
            .then(|| format!("{base}/permissions")),
        toggle: (who.may(f::STAFF_EDIT) && !is_self).then(|| {
            let to = if v.user.is_active { "0" } else { "1" };
            (format!("{base}/status"), to)
        }),
        delete: (who.may(f::STAFF_DELETE) && !is_self).then(|| format!("{base}/delete")),
    }
}

/// `GET /admin/staff?text=&department=&status=&page=`.
pub async fn list(Signed { ctx, who }: Signed, params: Params) -> Response {
    let text = params.get("text").trim().to_owned();
    let department = params.get("department").trim().to_owned();
    let status = params.get("status").trim().to_owned();
    let filter = StaffFilter {
        text: (!text.is_empty()).then(|| text.clone()),
        department: department.parse::<DepartmentId>().ok(),
        active: match status.as_str() {
            "active" => Some(true),
            "disabled" => Some(false),
            _ => None,
        },
    };
    let page = Page::new(params.number("page"), Some(PER_PAGE));
    let paged = match ctx.app.list_staff(&who, filter, page).await {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let names = match departments(&ctx, &who, std::slice::from_ref(&department)).await {
        Ok(d) => d,
        Err(e) => return error::fail(&ctx, e),
    };
    let tr = ctx.tr;
    let link = |n: u32| {
        let n = n.to_string();
        with_query(
            LIST,
            &[
                ("text", &text),
                ("department", &department),
                ("status", &status),
                ("page", &n),
            ],
        )
    };
    let filtered = !text.is_empty() || !department.is_empty() || !status.is_empty();
    let mut ui = Ui::new(&ctx, "staff-title");
    for (flag, kind, id) in [
        ("created", "success", "staff-created"),
        ("saved", "success", "staff-saved"),
        ("enabled", "success", "staff-enabled"),
        ("disabled", "success", "staff-disabled"),
        ("deleted", "success", "staff-deleted"),
    ] {
        if params.flag(flag) {
            ui = ui.with_flash(kind, id);
        }
    }
    if let Some(refused) = ErrorCode::parse(params.get("refused")) {
        ui = ui.with_flash("error", &refused.message_id());
    }
    let results = StaffTable {
        rows: paged
            .items
            .iter()
            .map(|v| row(&ctx, &who, v, &names))
            .collect(),
        pager: pager(tr, paged.page, paged.per_page, paged.total, link),
        empty: tr.t(if filtered {
            "staff-empty-filtered"
        } else {
            "staff-empty"
        }),
    };
    if ctx.htmx {
        let fragment = StaffResults { ui, results };
        return render::page(&ctx, StatusCode::OK, &fragment);
    }
    let page = StaffListPage {
        ui,
        text,
        departments: names,
        statuses: [
            ("", "staff-status-any"),
            ("active", "staff-status-active"),
            ("disabled", "staff-status-disabled"),
        ]
        .into_iter()
        .map(|(value, label)| StatusOption {
            value,
            label: tr.t(label),
            selected: value == status,
        })
        .collect(),
        new_href: who.may(f::STAFF_CREATE).then_some("/admin/staff/new"),
        results,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

/// The fields of the staff form, as shown.
struct Values {
    login: String,
    name: String,
    name_ru: String,
    email: String,
    phone: String,
    locale: String,
    departments: Vec<String>,
    full_access: bool,
    is_active: bool,
}

impl Values {
    fn new(locale: Locale) -> Values {
        Values {
            login: String::new(),
            name: String::new(),
            name_ru: String::new(),
            email: String::new(),
            phone: String::new(),
            locale: locale.code().to_owned(),
            departments: Vec::new(),
            full_access: false,
            is_active: true,
        }
    }

    fn of(v: &StaffView) -> Values {
        let u = &v.user;
        Values {
            login: u.login.to_string(),
            name: u.name.to_string(),
            name_ru: u.name_ru.clone().unwrap_or_default(),
            email: u
                .email
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            phone: u
                .phone
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            locale: u.locale.code().to_owned(),
            departments: v.departments.iter().map(|(d, _)| d.to_string()).collect(),
            full_access: u.full_access,
            is_active: u.is_active,
        }
    }

    fn sent(form: &Fields) -> Values {
        Values {
            login: form.get("login").trim().to_owned(),
            name: form.get("name").to_owned(),
            name_ru: form.get("name_ru").to_owned(),
            email: form.get("email").trim().to_owned(),
            phone: form.get("phone").trim().to_owned(),
            locale: form.get("locale").to_owned(),
            departments: form.all("departments"),
            full_access: !form.get("full_access").is_empty(),
            is_active: !form.get("is_active").is_empty(),
        }
    }

    /// The use case's input. Departments are sent only by someone who saw them, and full
    /// access only by someone allowed to grant it (the form shows neither otherwise).
    fn input(&self, who: &Principal, password: &str) -> StaffInput {
        StaffInput {
            login: None,
            name: Some(self.name.clone()),
            name_ru: Some(self.name_ru.clone()),
            password: (!password.is_empty()).then(|| password.to_owned()),
            departments: who
                .may(f::DEPARTMENT_LIST)
                .then(|| self.departments.clone()),
            email: Some(self.email.clone()),
            phone: Some(self.phone.clone()),
            full_access: who.user.full_access.then_some(self.full_access),
            is_active: None,
            locale: Some(self.locale.clone()),
            avatar: None,
        }
    }
}

/// The avatar card of the employee's page, also sent alone to htmx after an upload.
pub struct AvatarCard {
    pub action: String,
    pub src: Option<String>,
    pub initial: String,
    /// The upload form is shown to those who may edit the employee.
    pub editable: bool,
    pub error: Option<String>,
    pub saved: bool,
    /// Shown after the image was removed (the redirect's `avatar_removed=1`).
    pub removed: bool,
    /// Where the remove button posts, when there is an image to remove.
    pub remove: Option<String>,
}

/// The card of employee `id`; `view` is `None` when the caller may not read the employee
/// (they may still upload with `staff.edit`).
fn avatar_card(
    ctx: &Ctx,
    who: &Principal,
    id: UserId,
    view: Option<&StaffView>,
    error: Option<String>,
    saved: bool,
) -> AvatarCard {
    let base = format!("{LIST}/{id}/avatar");
    AvatarCard {
        // A new address per page: the image shown after an upload is never the old one
        // from the browser's memory.
        src: view
            .filter(|v| v.has_avatar)
            .map(|_| format!("{base}?v={}", ctx.app.now().as_millisecond())),
        initial: view
            .map(|v| initial(&display_name(v, ctx.tr.locale())))
            .unwrap_or_default(),
        editable: who.may(f::STAFF_EDIT),
        remove: view
            .filter(|v| v.has_avatar && who.may(f::STAFF_EDIT))
            .map(|_| format!("{base}/delete")),
        action: base,
        error,
        saved,
        removed: false,
    }
}

#[derive(Template)]
#[template(path = "staff/avatar_card.html")]
pub struct AvatarFragment {
    ui: Ui,
    avatar: AvatarCard,
}

#[derive(Template)]
#[template(path = "staff/staff_form.html")]
pub struct StaffForm {
    ui: Ui,
    heading: String,
    action: String,
    submit: String,
    cancel_href: &'static str,
    editing: bool,
    readonly: bool,
    login: String,
    name: String,
    name_ru: String,
    email: String,
    phone: String,
    locales: Vec<LocaleOption>,
    departments: Vec<DeptOption>,
    show_departments: bool,
    full_access: bool,
    may_grant_full_access: bool,
    is_active: bool,
    permissions_href: Option<String>,
    avatar: Option<AvatarCard>,
    errors: Errors,
    alert: Option<String>,
}

/// Which form: a new employee's, or an existing one's (read when the caller may list staff).
enum Mode<'a> {
    New,
    Existing {
        id: UserId,
        view: Option<&'a StaffView>,
    },
}

async fn render_form(
    ctx: &Ctx,
    who: &Principal,
    mode: Mode<'_>,
    v: Values,
    status: StatusCode,
    refused: Option<Refusal>,
    avatar: Option<AvatarCard>,
) -> Response {
    let tr = ctx.tr;
    let departments = match departments(ctx, who, &v.departments).await {
        Ok(d) => d,
        Err(e) => return error::fail(ctx, e),
    };
    let (errors, alert) = refused.map_or((Errors::default(), None), |r| (r.errors, r.alert));
    let (heading, action, submit, avatar, permissions_href) = match mode {
        Mode::New => (
            tr.t("staff-new-title"),
            LIST.to_owned(),
            tr.t("staff-create"),
            None,
            None,
        ),
        Mode::Existing { id, view } => {
            let name = view.map_or_else(|| v.name.clone(), |view| display_name(view, tr.locale()));
            (
                tr.t1("staff-edit-title", "name", FluentValue::from(name)),
                format!("{LIST}/{id}"),
                tr.t("staff-save"),
                Some(avatar.unwrap_or_else(|| avatar_card(ctx, who, id, view, None, false))),
                who.may(f::STAFF_PERMISSIONS)
                    .then(|| format!("{LIST}/{id}/permissions")),
            )
        }
    };
    let editing = avatar.is_some();
    let page = StaffForm {
        ui: Ui::new(
            ctx,
            if editing {
                "staff-title"
            } else {
                "staff-new-title"
            },
        ),
        heading,
        action,
        submit,
        cancel_href: LIST,
        editing,
        readonly: editing && !who.may(f::STAFF_EDIT),
        locales: locale_options(tr, &v.locale),
        show_departments: who.may(f::DEPARTMENT_LIST),
        departments,
        may_grant_full_access: who.user.full_access,
        permissions_href,
        avatar,
        login: v.login,
        name: v.name,
        name_ru: v.name_ru,
        email: v.email,
        phone: v.phone,
        full_access: v.full_access,
        is_active: v.is_active,
        errors,
        alert,
    };
    render::page(ctx, status, &page)
}

/// `GET /admin/staff/new`.
pub async fn new_form(Signed { ctx, who }: Signed) -> Response {
    let values = Values::new(ctx.tr.locale());
    render_form(&ctx, &who, Mode::New, values, StatusCode::OK, None, None).await
}

#[derive(Template)]
#[template(path = "staff/staff_created.html")]
pub struct StaffCreatedPage {
    ui: Ui,
    name: String,
    login: String,
    password: String,
    permissions_href: Option<String>,
    list_href: &'static str,
}

/// `POST /admin/staff`, multipart when the browser sends the avatar file input (an empty one
/// means no avatar), urlencoded otherwise. A generated password is shown once, on the page
/// this answers. An avatar is checked with the other fields, and stored with the employee.
pub async fn create(Signed { ctx, who }: Signed, upload: Upload) -> Response {
    let form = &upload.fields;
    let values = Values::sent(form);
    let mut input = values.input(&who, form.get("password"));
    input.login = Some(values.login.clone());
    input.avatar = upload.file("avatar").map(|b| b.to_vec());
    match ctx.app.create_staff(&who, input).await {
        Ok((_, None)) => see_other(&format!("{LIST}?created=1")),
        Ok((view, Some(password))) => {
            let page = StaffCreatedPage {
                ui: Ui::new(&ctx, "staff-title").with_flash("success", "staff-created"),
                name: display_name(&view, ctx.tr.locale()),
                login: view.user.login.to_string(),
                password,
                permissions_href: who
                    .may(f::STAFF_PERMISSIONS)
                    .then(|| format!("{LIST}/{}/permissions", view.user.id)),
                list_href: LIST,
            };
            render::page(&ctx, StatusCode::CREATED, &page)
        }
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => render_form(&ctx, &who, Mode::New, values, r.status, Some(r), None).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// `GET /admin/staff/{id}`: the employee's form, read-only without the right to edit.
pub async fn show(Signed { ctx, who }: Signed, Path(id): Path<String>, params: Params) -> Response {
    let view = match parse_id(&id) {
        Ok(id) => ctx.app.get_staff(&who, id).await,
        Err(e) => Err(e),
    };
    let view = match view {
        Ok(view) => view,
        Err(e) => return error::fail(&ctx, e),
    };
    let id = view.user.id;
    let mut avatar = avatar_card(&ctx, &who, id, Some(&view), None, params.flag("avatar"));
    avatar.removed = params.flag("avatar_removed");
    let mode = Mode::Existing {
        id,
        view: Some(&view),
    };
    let values = Values::of(&view);
    render_form(&ctx, &who, mode, values, StatusCode::OK, None, Some(avatar)).await
}

/// The employee as the caller may read them, for a page shown again after a refusal.
async fn readable(ctx: &Ctx, who: &Principal, id: UserId) -> Option<StaffView> {
    if who.may(f::STAFF_LIST) {
        ctx.app.get_staff(who, id).await.ok()
    } else {
        None
    }
}

/// `POST /admin/staff/{id}`: the fields, departments, enabled, full access, and a new
/// password when one is typed.
pub async fn update(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    let mut values = Values::sent(&form);
    let mut input = values.input(&who, form.get("password"));
    input.is_active = Some(values.is_active);
    match ctx.app.update_staff(&who, id, input).await {
        Ok(_) => see_other(&format!("{LIST}?saved=1")),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                let view = readable(&ctx, &who, id).await;
                values.login = view
                    .as_ref()
                    .map(|v| v.user.login.to_string())
                    .unwrap_or_default();
                let mode = Mode::Existing {
                    id,
                    view: view.as_ref(),
                };
                render_form(&ctx, &who, mode, values, r.status, Some(r), None).await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// Where a list action that was refused sends the user back to, naming the refusal.
fn back_to_list(e: AppError, ctx: &Ctx) -> Response {
    match e {
        AppError::Refused { code, .. } | AppError::Conflict { code, .. } => {
            see_other(&with_query(LIST, &[("refused", code.as_str())]))
        }
        e => error::fail(ctx, e),
    }
}

/// `POST /admin/staff/{id}/status` with `active=1` or `active=0`: enable or disable.
pub async fn set_active(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    let active = form.get("active") == "1";
    let input = StaffInput {
        is_active: Some(active),
        ..StaffInput::default()
    };
    match ctx.app.update_staff(&who, id, input).await {
        Ok(_) if active => see_other(&format!("{LIST}?enabled=1")),
        Ok(_) => see_other(&format!("{LIST}?disabled=1")),
        Err(e) => back_to_list(e, &ctx),
    }
}

/// `POST /admin/staff/{id}/delete`.
pub async fn delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    match ctx.app.delete_staff(&who, id).await {
        Ok(()) => see_other(&format!("{LIST}?deleted=1")),
        Err(e) => back_to_list(e, &ctx),
    }
}

/// `GET /admin/staff/{id}/avatar`: the stored image, typed by the use case from its content.
pub async fn avatar(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let found = match parse_id(&id) {
        Ok(id) => ctx.app.staff_avatar(&who, id).await,
        Err(e) => Err(e),
    };
    image(&ctx, found)
}

/// `GET /admin/profile/avatar`: the signed-in employee's own image (top bar, profile).
pub async fn my_avatar(Signed { ctx, who }: Signed) -> Response {
    let found = ctx.app.my_avatar(&who).await;
    image(&ctx, found)
}

/// `POST /admin/staff/{id}/avatar/delete`: removes the image; back to the employee's page.
pub async fn remove_avatar(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    match ctx.app.remove_staff_avatar(&who, id).await {
        Ok(()) => see_other(&format!("{LIST}/{id}?avatar_removed=1")),
        Err(e) => error::fail(&ctx, e),
    }
}

fn image(ctx: &Ctx, found: Result<(String, Vec<u8>), AppError>) -> Response {
    match found {
        Ok((content_type, bytes)) => (
            [
                (CONTENT_TYPE, content_type),
                // Revalidated on every view: a replaced avatar shows at once.
                (CACHE_CONTROL, "private, no-cache".to_owned()),
                (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error::fail(ctx, e),
    }
}

/// `POST /admin/staff/{id}/avatar` (multipart, field `avatar`). For htmx the answer is the
/// avatar card alone, with status 200 even when refused (htmx swaps only successful
/// answers); a plain post is answered like the other forms.
pub async fn upload_avatar(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    let tr = ctx.tr;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let file = match axum::body::to_bytes(body, UPLOAD_LIMIT).await {
        Err(_) => Err(tr.error(ErrorCode::AvatarTooLarge)),
        Ok(bytes) => Ok(multipart::field(content_type, bytes, "avatar")
            .await
            .filter(|image| !image.is_empty())),
    };
    let outcome = match file {
        Err(text) => Err(text),
        Ok(file) => match file {
            None => Err(tr.t("staff-avatar-missing")),
            Some(image) => match ctx.app.set_staff_avatar(&who, id, image.to_vec()).await {
                Ok(()) => Ok(()),
                Err(e) => match refusal(tr, e) {
                    Ok(r) => Err(r
                        .alert
                        .or_else(|| r.errors.get("avatar").map(str::to_owned))
                        .unwrap_or_else(|| tr.error(ErrorCode::ValidationFailed))),
                    Err(e) => return error::fail(&ctx, e),
                },
            },
        },
    };
    let view = readable(&ctx, &who, id).await;
    if ctx.htmx {
        let saved = outcome.is_ok();
        let card = avatar_card(&ctx, &who, id, view.as_ref(), outcome.err(), saved);
        let fragment = AvatarFragment {
            ui: Ui::new(&ctx, "staff-title"),
            avatar: card,
        };
        return render::page(&ctx, StatusCode::OK, &fragment);
    }
    match (outcome, view) {
        (Ok(()), _) => see_other(&format!("{LIST}/{id}?avatar=1")),
        (Err(text), Some(view)) => {
            let card = avatar_card(&ctx, &who, id, Some(&view), Some(text), false);
            let values = Values::of(&view);
            let mode = Mode::Existing {
                id,
                view: Some(&view),
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_form(&ctx, &who, mode, values, status, None, Some(card)).await
        }
        (Err(text), None) => {
            let e = AppError::invalid("avatar", ErrorCode::AvatarRefused, text);
            error::fail(&ctx, e)
        }
    }
}

#[derive(Template)]
#[template(path = "staff/explain_result.html")]
pub struct ExplainFragment {
    explain: ExplainBox,
}

fn explained(
    tr: Tr,
    names: &DeptNames,
    found: Result<bursar_app::staff::Explanation, AppError>,
) -> Result<ExplainResult, AppError> {
    match found {
        Ok(x) => {
            let reason_id = format!("perm-reason-{}", x.reason.replace('_', "-"));
            let reason = tr.t1(
                &reason_id,
                "departments",
                FluentValue::from(permissions::department_list(names, &x.departments)),
            );
            let function = bursar_domain::functions::find(x.function)
                .map_or(x.function, |f| f.name(tr.locale()));
            let verdict = tr.t1(
                if x.allowed {
                    "perm-explain-allowed"
                } else {
                    "perm-explain-denied"
                },
                "function",
                FluentValue::from(function),
            );
            Ok(ExplainResult {
                allowed: x.allowed,
                verdict,
                reason,
            })
        }
        Err(AppError::Invalid(_)) => Ok(ExplainResult {
            allowed: false,
            verdict: tr.t("perm-explain-choose"),
            reason: String::new(),
        }),
        Err(e) => Err(e),
    }
}

async fn render_permissions(
    ctx: &Ctx,
    who: &Principal,
    id: UserId,
    status: StatusCode,
    alert: Option<String>,
    params: &Params,
) -> Response {
    let tree = match ctx.app.staff_permissions(who, id).await {
        Ok(t) => t,
        Err(e) => return error::fail(ctx, e),
    };
    let tr = ctx.tr;
    // The use cases name departments in English; the reader may read Russian.
    let names: DeptNames = match departments(ctx, who, &[]).await {
        Ok(list) => list.into_iter().map(|d| (d.english, d.label)).collect(),
        Err(e) => return error::fail(ctx, e),
    };
    let path = format!("{LIST}/{id}/permissions");
    let question = params.get("explain").trim().to_owned();
    let result = if question.is_empty() {
        None
    } else {
        match explained(
            tr,
            &names,
            ctx.app.explain_staff_right(who, id, &question).await,
        ) {
            Ok(r) => Some(r),
            Err(e) => return error::fail(ctx, e),
        }
    };
    let explain = ExplainBox {
        action: path.clone(),
        groups: permissions::function_groups(tr, &tree, &question),
        result,
    };
    if ctx.htmx {
        let fragment = ExplainFragment { explain };
        return render::page(ctx, StatusCode::OK, &fragment);
    }
    // The name and the account's state are the staff list's to show; the tree alone is
    // this function's, and says on its own whether the employee has full access.
    let view = readable(ctx, who, id).await;
    let full_access = permissions::full_access(&tree);
    let mut ui = Ui::new(ctx, "perm-title");
    let notice = if full_access {
        Some(tr.t("perm-full-access-notice"))
    } else if view.as_ref().is_some_and(|v| !v.user.is_active) {
        Some(tr.t("perm-disabled-notice"))
    } else {
        None
    };
    let mut crumbs = Vec::new();
    let heading = match &view {
        Some(view) => {
            let name = display_name(view, tr.locale());
            crumbs.push(Crumb {
                href: LIST.to_owned(),
                label: tr.t("staff-title"),
            });
            crumbs.push(Crumb {
                href: format!("{LIST}/{id}"),
                label: name.clone(),
            });
            tr.t1("perm-staff-heading", "name", FluentValue::from(name))
        }
        None => tr.t("perm-title"),
    };
    let mut rows = if full_access {
        Vec::new()
    } else {
        permissions::rows(tr, &names, &who.rights, Holder::Employee, &tree)
    };
    let saved = params.get("saved");
    if !saved.is_empty() && !permissions::mark_saved(&mut rows, saved) {
        ui = ui.with_flash("success", "perm-saved");
    }
    let page = PermissionsPage {
        ui,
        heading,
        lead: tr.t("perm-staff-lead"),
        crumbs,
        action: path,
        holder_is_employee: true,
        rows,
        notice,
        alert,
        explain: Some(explain),
    };
    render::page(ctx, status, &page)
}

/// `GET /admin/staff/{id}/permissions?explain=function`.
pub async fn permissions(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    match parse_id(&id) {
        Ok(id) => render_permissions(&ctx, &who, id, StatusCode::OK, None, &params).await,
        Err(e) => error::fail(&ctx, e),
    }
}

/// `POST /admin/staff/{id}/permissions`: one Enable or Disable button (individual rights).
pub async fn change_permissions(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
    form: Fields,
) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    let change = GrantChange {
        enable: permissions::keys(form.all("enable")),
        disable: permissions::keys(form.all("disable")),
    };
    let first = change
        .enable
        .first()
        .or(change.disable.first())
        .cloned()
        .unwrap_or_default();
    match ctx.app.change_staff_permissions(&who, id, change).await {
        Ok(_) => see_other(&format!(
            "{LIST}/{id}/permissions?saved={row}#{row}",
            row = anchor(&first)
        )),
        Err(e) => match permissions::refusal_text(ctx.tr, e) {
            Ok((status, text)) => {
                render_permissions(&ctx, &who, id, status, Some(text), &params).await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}
