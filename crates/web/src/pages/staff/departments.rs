//! Provider → Departments (seed 001): the list, the add and edit form (names in English and
//! Russian, the weekly business hours with their time zone, "show in support center", the
//! language of tasks), deletion, and the department's permission tree.
//!
//! The schedule is a form of seven rows (open?, from, to) rather than a free-text field, so
//! the use case receives the same `BusinessHours` the API takes and its checks (known time
//! zone, `HH:MM`, closing after opening) are the only ones.

use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::i18n::Tr;
use crate::layout::Ui;
use crate::pages::error;
use crate::pages::staff::permissions::{self, Crumb, DeptNames, Holder, PermissionsPage};
use crate::pages::staff::{Refusal, anchor, refusal};
use crate::render::{self, see_other};
use crate::view::{ErrorLink, Errors};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::AppError;
use bursar_app::departments::{DepartmentInput, DepartmentView};
use bursar_app::grants::GrantChange;
use bursar_app::ports::DepartmentRecord;
use bursar_domain::departments::{BusinessHours, DayHours, WEEKDAYS};
use bursar_domain::functions::f;
use bursar_domain::{DepartmentId, Locale};
use fluent_bundle::FluentValue;
use std::sync::LazyLock;

const LIST: &str = "/admin/departments";

fn parse_id(id: &str) -> Result<DepartmentId, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound { what: "department" })
}

/// The name in the reader's language, and the other one.
fn names(d: &DepartmentRecord, locale: Locale) -> (String, String) {
    match locale {
        Locale::En => (d.name_en.clone(), d.name_ru.clone()),
        Locale::Ru => (d.name_ru.clone(), d.name_en.clone()),
    }
}

/// ["Mon–Fri 09:00–18:00", "Sat 10:00–14:00"]: consecutive days with the same hours are
/// joined; an empty list when the department is always closed.
pub fn hours_runs(tr: Tr, h: &BusinessHours) -> Vec<String> {
    let mut runs: Vec<(usize, usize, &DayHours)> = Vec::new();
    for (i, day) in WEEKDAYS.iter().enumerate() {
        let Some(d) = h.days.iter().find(|d| d.day == *day) else {
            continue;
        };
        match runs.last_mut() {
            Some((_, last, hours))
                if *last + 1 == i && hours.open == d.open && hours.close == d.close =>
            {
                *last = i;
            }
            _ => runs.push((i, i, d)),
        }
    }
    let short = |i: usize| {
        WEEKDAYS
            .get(i)
            .map(|d| tr.t(&format!("dept-day-short-{d}")))
            .unwrap_or_default()
    };
    runs.iter()
        .map(|(first, last, d)| {
            let days = if first == last {
                short(*first)
            } else {
                format!("{}–{}", short(*first), short(*last))
            };
            format!("{days} {}–{}", d.open, d.close)
        })
        .collect()
}

pub struct DeptRow {
    /// The department's card (its form, read-only without the right to edit).
    pub href: String,
    pub name: String,
    pub other_name: String,
    pub members: usize,
    pub functions: String,
    /// Runs of days with their hours; empty when always closed.
    pub hours: Vec<String>,
    pub time_zone: String,
    pub support: bool,
    pub task_language: String,
    pub edit: Option<String>,
    pub permissions: Option<String>,
    pub delete: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/departments.html")]
pub struct DepartmentsPage {
    ui: Ui,
    rows: Vec<DeptRow>,
    new_href: Option<&'static str>,
}

/// `GET /admin/departments`.
pub async fn list(Signed { ctx, who }: Signed, params: Params) -> Response {
    let departments = match ctx.app.list_departments(&who).await {
        Ok(d) => d,
        Err(e) => return error::fail(&ctx, e),
    };
    let tr = ctx.tr;
    let rows = departments
        .iter()
        .map(|v: &DepartmentView| {
            let d = &v.department;
            let (name, other_name) = names(d, tr.locale());
            let base = format!("{LIST}/{}", d.id);
            DeptRow {
                name,
                other_name,
                members: v.members,
                functions: tr.t1("dept-functions-count", "count", v.functions.len()),
                hours: hours_runs(tr, &d.business_hours),
                time_zone: d.business_hours.time_zone.clone(),
                support: d.show_in_support,
                task_language: tr.language_name(d.task_locale),
                href: base.clone(),
                edit: who.may(f::DEPARTMENT_EDIT).then(|| base.clone()),
                permissions: who
                    .may(f::DEPARTMENT_PERMISSIONS)
                    .then(|| format!("{base}/permissions")),
                delete: who
                    .may(f::DEPARTMENT_DELETE)
                    .then(|| format!("{base}/delete")),
            }
        })
        .collect();
    let mut ui = Ui::new(&ctx, "dept-title");
    for (flag, text) in [
        ("created", "dept-created"),
        ("saved", "dept-saved"),
        ("deleted", "dept-deleted"),
    ] {
        if params.flag(flag) {
            ui = ui.with_flash("success", text);
        }
    }
    let page = DepartmentsPage {
        ui,
        rows,
        new_href: who
            .may(f::DEPARTMENT_CREATE)
            .then_some("/admin/departments/new"),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

pub struct DayRow {
    pub code: &'static str,
    pub label: String,
    pub open: bool,
    pub from: String,
    pub to: String,
    /// What is wrong with this day, when the form was refused for it.
    pub error: Option<String>,
}

pub struct LocaleOption {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

pub fn locale_options(tr: Tr, selected: &str) -> Vec<LocaleOption> {
    Locale::ALL
        .iter()
        .map(|l| LocaleOption {
            code: l.code(),
            label: tr.language_name(*l),
            selected: l.code() == selected,
        })
        .collect()
}

/// Every time zone of the database, offered as suggestions for the time zone field.
pub(crate) static ZONES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_owned())
        .filter(|n| n.contains('/') || n == "UTC")
        .collect();
    zones.sort();
    zones.dedup();
    zones
});

#[derive(Template)]
#[template(path = "staff/department_form.html")]
pub struct DepartmentForm {
    ui: Ui,
    heading: String,
    action: String,
    submit: String,
    cancel_href: &'static str,
    readonly: bool,
    name_en: String,
    name_ru: String,
    time_zone: String,
    days: Vec<DayRow>,
    show_in_support: bool,
    task_locales: Vec<LocaleOption>,
    zones: &'static [String],
    time_zone_error: Option<String>,
    summary: Vec<ErrorLink>,
    errors: Errors,
    alert: Option<String>,
}

/// What the form shows: a record's values, or the values the user sent.
struct Values {
    name_en: String,
    name_ru: String,
    time_zone: String,
    days: Vec<(String, bool, String, String)>,
    show_in_support: bool,
    task_locale: String,
}

impl Values {
    fn of(d: &DepartmentRecord) -> Values {
        let days = WEEKDAYS
            .iter()
            .map(
                |day| match d.business_hours.days.iter().find(|h| h.day == *day) {
                    Some(h) => ((*day).to_owned(), true, h.open.clone(), h.close.clone()),
                    None => ((*day).to_owned(), false, String::new(), String::new()),
                },
            )
            .collect();
        Values {
            name_en: d.name_en.clone(),
            name_ru: d.name_ru.clone(),
            time_zone: d.business_hours.time_zone.clone(),
            days,
            show_in_support: d.show_in_support,
            task_locale: d.task_locale.code().to_owned(),
        }
    }

    /// A new department: office hours in UTC, tasks in the reader's language.
    fn new(locale: Locale) -> Values {
        let office = BusinessHours::office("UTC");
        let mut v = Values::of(&DepartmentRecord {
            id: DepartmentId::new(),
            name_en: String::new(),
            name_ru: String::new(),
            business_hours: office,
            show_in_support: false,
            task_locale: locale,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
        });
        v.task_locale = locale.code().to_owned();
        v
    }

    fn sent(form: &Fields) -> Values {
        let days = WEEKDAYS
            .iter()
            .map(|day| {
                (
                    (*day).to_owned(),
                    !form.get(&format!("open_{day}")).is_empty(),
                    form.get(&format!("from_{day}")).trim().to_owned(),
                    form.get(&format!("to_{day}")).trim().to_owned(),
                )
            })
            .collect();
        Values {
            name_en: form.get("name_en").to_owned(),
            name_ru: form.get("name_ru").to_owned(),
            time_zone: form.get("time_zone").trim().to_owned(),
            days,
            show_in_support: !form.get("show_in_support").is_empty(),
            task_locale: form.get("task_locale").to_owned(),
        }
    }

    fn input(&self) -> DepartmentInput {
        let days = self
            .days
            .iter()
            .filter(|(_, open, _, _)| *open)
            .map(|(day, _, from, to)| DayHours {
                day: day.clone(),
                open: from.clone(),
                close: to.clone(),
            })
            .collect();
        DepartmentInput {
            name_en: Some(self.name_en.clone()),
            name_ru: Some(self.name_ru.clone()),
            business_hours: Some(BusinessHours {
                time_zone: self.time_zone.clone(),
                days,
            }),
            show_in_support: Some(self.show_in_support),
            task_locale: Some(self.task_locale.clone()),
        }
    }
}

/// The form of a new department (`id` = `None`) or of an existing one.
/// The form of a new department (`id` = `None`) or the card of an existing one, which is
/// read-only for someone who may list departments but not edit them.
fn render_form(
    ctx: &Ctx,
    id: Option<DepartmentId>,
    v: Values,
    status: StatusCode,
    refused: Option<Refusal>,
    readonly: bool,
) -> Response {
    let tr = ctx.tr;
    let (heading, action, submit) = match id {
        None => (tr.t("dept-new-title"), LIST.to_owned(), tr.t("dept-create")),
        Some(id) => (
            tr.t1(
                "dept-edit-title",
                "name",
                FluentValue::from(match tr.locale() {
                    Locale::En => v.name_en.clone(),
                    Locale::Ru => v.name_ru.clone(),
                }),
            ),
            format!("{LIST}/{id}"),
            tr.t("dept-save"),
        ),
    };
    let (errors, alert) = refused.map_or((Errors::default(), None), |r| (r.errors, r.alert));
    let tz_field = "business_hours.time_zone";
    let day_label = |code: &str| tr.t(&format!("dept-day-{code}"));
    // The summary in the form's order: names, time zone, then each wrong day by its name.
    let mut summary = errors.summary(&[
        ("name_en", tr.t("dept-field-name-en")),
        ("name_ru", tr.t("dept-field-name-ru")),
        ("business_hours", tr.t("dept-field-hours")),
        ("task_locale", tr.t("dept-field-task-language")),
    ]);
    summary.retain(|l| l.anchor != tz_field && !l.anchor.starts_with("business_hours."));
    if let Some(e) = errors.get(tz_field) {
        let label = tr.t("dept-field-time-zone");
        summary.insert(0, ErrorLink::new("time_zone", Some(&label), e));
    }
    for code in WEEKDAYS {
        let field = BusinessHours::day_field(code);
        if let Some(e) = errors.get(&field) {
            summary.push(ErrorLink::new(&field, Some(&day_label(code)), e));
        }
    }
    let page = DepartmentForm {
        ui: Ui::new(
            ctx,
            if id.is_none() {
                "dept-new-title"
            } else {
                "dept-title"
            },
        ),
        heading,
        action,
        submit,
        cancel_href: LIST,
        readonly,
        days: v
            .days
            .iter()
            .zip(WEEKDAYS)
            .map(|((_, open, from, to), code)| DayRow {
                code,
                label: day_label(code),
                open: *open,
                from: from.clone(),
                to: to.clone(),
                error: errors
                    .get(&BusinessHours::day_field(code))
                    .map(str::to_owned),
            })
            .collect(),
        task_locales: locale_options(tr, &v.task_locale),
        name_en: v.name_en,
        name_ru: v.name_ru,
        time_zone: v.time_zone,
        show_in_support: v.show_in_support,
        zones: &ZONES,
        time_zone_error: errors.get(tz_field).map(str::to_owned),
        summary,
        errors,
        alert,
    };
    render::page(ctx, status, &page)
}

/// `GET /admin/departments/new`.
pub async fn new_form(Signed { ctx, .. }: Signed) -> Response {
    let values = Values::new(ctx.tr.locale());
    render_form(&ctx, None, values, StatusCode::OK, None, false)
}

/// `POST /admin/departments`.
pub async fn create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    let values = Values::sent(&form);
    match ctx.app.create_department(&who, values.input()).await {
        Ok(_) => see_other(&format!("{LIST}?created=1")),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => render_form(&ctx, None, values, r.status, Some(r), false),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// `GET /admin/departments/{id}`: the department's form, read-only without the right to
/// edit.
pub async fn show(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    match ctx.app.get_department(&who, id).await {
        Ok(v) => render_form(
            &ctx,
            Some(id),
            Values::of(&v.department),
            StatusCode::OK,
            None,
            !who.may(f::DEPARTMENT_EDIT),
        ),
        Err(e) => error::fail(&ctx, e),
    }
}

/// `POST /admin/departments/{id}`.
pub async fn update(Signed { ctx, who }: Signed, Path(id): Path<String>, form: Fields) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    let values = Values::sent(&form);
    match ctx.app.update_department(&who, id, values.input()).await {
        Ok(_) => see_other(&format!("{LIST}?saved=1")),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => render_form(&ctx, Some(id), values, r.status, Some(r), false),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// `POST /admin/departments/{id}/delete`. Members keep their accounts and lose what the
/// department granted.
pub async fn delete(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error::fail(&ctx, e),
    };
    match ctx.app.delete_department(&who, id).await {
        Ok(()) => see_other(&format!("{LIST}?deleted=1")),
        Err(e) => error::fail(&ctx, e),
    }
}

async fn render_permissions(
    ctx: &Ctx,
    who: &bursar_app::Principal,
    id: DepartmentId,
    status: StatusCode,
    alert: Option<String>,
    saved: &str,
) -> Response {
    let tree = match ctx.app.department_permissions(who, id).await {
        Ok(t) => t,
        Err(e) => return error::fail(ctx, e),
    };
    let tr = ctx.tr;
    // The name is the department list's to show; the tree alone is this function's.
    let heading = if who.may(f::DEPARTMENT_LIST) {
        match ctx.app.get_department(who, id).await {
            Ok(v) => {
                let (name, _) = names(&v.department, tr.locale());
                tr.t1("perm-dept-heading", "name", FluentValue::from(name))
            }
            Err(e) => return error::fail(ctx, e),
        }
    } else {
        tr.t("perm-title")
    };
    let mut crumbs = Vec::new();
    if who.may(f::DEPARTMENT_LIST) {
        crumbs.push(Crumb {
            href: LIST.to_owned(),
            label: tr.t("dept-title"),
        });
    }
    let mut ui = Ui::new(ctx, "perm-title");
    let mut rows = permissions::rows(
        tr,
        &DeptNames::new(),
        &who.rights,
        Holder::Department,
        &tree,
    );
    if !saved.is_empty() && !permissions::mark_saved(&mut rows, saved) {
        ui = ui.with_flash("success", "perm-saved");
    }
    let page = PermissionsPage {
        ui,
        heading,
        lead: tr.t("perm-dept-lead"),
        crumbs,
        action: format!("{LIST}/{id}/permissions"),
        holder_is_employee: false,
        rows,
        notice: None,
        alert,
        explain: None,
    };
    render::page(ctx, status, &page)
}

/// `GET /admin/departments/{id}/permissions`.
pub async fn permissions(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    match parse_id(&id) {
        Ok(id) => {
            let saved = params.get("saved");
            render_permissions(&ctx, &who, id, StatusCode::OK, None, saved).await
        }
        Err(e) => error::fail(&ctx, e),
    }
}

/// `POST /admin/departments/{id}/permissions`: one Enable or Disable button.
pub async fn change_permissions(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
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
    match ctx
        .app
        .change_department_permissions(&who, id, change)
        .await
    {
        Ok(_) => see_other(&format!(
            "{LIST}/{id}/permissions?saved={row}#{row}",
            row = anchor(&first)
        )),
        Err(e) => match permissions::refusal_text(ctx.tr, e) {
            Ok((status, text)) => render_permissions(&ctx, &who, id, status, Some(text), "").await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_summarised_by_runs_of_equal_days() {
        let tr = Tr::new(Locale::En);
        let mut h = BusinessHours::office("Europe/Moscow");
        h.days.push(DayHours {
            day: "sat".into(),
            open: "10:00".into(),
            close: "14:00".into(),
        });
        assert_eq!(
            hours_runs(tr, &h),
            ["Mon–Fri 09:00–18:00", "Sat 10:00–14:00"]
        );
        h.days.retain(|d| d.day != "wed");
        assert_eq!(
            hours_runs(tr, &h),
            [
                "Mon–Tue 09:00–18:00",
                "Thu–Fri 09:00–18:00",
                "Sat 10:00–14:00"
            ]
        );
        h.days.clear();
        assert!(hours_runs(tr, &h).is_empty());
        assert!(ZONES.iter().any(|z| z == "Europe/Moscow"));
    }
}
