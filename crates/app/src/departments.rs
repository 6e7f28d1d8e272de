//! Departments (Provider → Departments, seed 001): localized name, business hours, "show in
//! support center", task language, and the functions the department grants its members. A
//! new department grants nothing. "Sales department" and "Technical support" exist after
//! install.

use crate::error::AppError;
use crate::grants::{self, GrantChange};
use crate::ports::{DepartmentRecord, Tx};
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::access::Audience;
use bursar_domain::departments::BusinessHours;
use bursar_domain::functions::f;
use bursar_domain::history::{Actor, Changes, ObjectRef};
use bursar_domain::permissions::{self, Node, Source};
use bursar_domain::validation::required_text;
use bursar_domain::{DepartmentId, Invalid, Locale};
use std::collections::BTreeSet;

/// The fields of the department form; `None` leaves a field unchanged on update.
#[derive(Clone, Debug, Default)]
pub struct DepartmentInput {
    pub name_en: Option<String>,
    pub name_ru: Option<String>,
    pub business_hours: Option<BusinessHours>,
    pub show_in_support: Option<bool>,
    pub task_locale: Option<String>,
}

/// A department with its members and grants, as shown on its card.
#[derive(Clone, Debug)]
pub struct DepartmentView {
    pub department: DepartmentRecord,
    pub members: usize,
    pub functions: Vec<String>,
}

fn dept_ref(id: DepartmentId) -> ObjectRef {
    ObjectRef {
        kind: "department",
        id: id.to_string(),
        client: None,
    }
}

fn name(field: &str, raw: &str) -> Result<String, Invalid> {
    required_text(field, raw, 100)
}

/// Applies the input over `base`, validating every given field.
fn apply(base: &mut DepartmentRecord, input: &DepartmentInput) -> Result<(), AppError> {
    let mut invalid = Invalid::default();
    if let Some(v) = &input.name_en
        && let Some(v) = invalid.check(name("name_en", v))
    {
        base.name_en = v;
    }
    if let Some(v) = &input.name_ru
        && let Some(v) = invalid.check(name("name_ru", v))
    {
        base.name_ru = v;
    }
    if let Some(h) = &input.business_hours {
        if h.time_zone.trim().is_empty() {
            invalid.push(
                "business_hours.time_zone",
                ErrorCode::Required,
                "is required",
            );
        } else if jiff::tz::TimeZone::get(&h.time_zone).is_err() {
            invalid.push(
                "business_hours.time_zone",
                ErrorCode::UnknownTimeZone,
                format!("`{}` is not a known time zone", h.time_zone),
            );
        }
        if invalid.check(h.validate()).is_some() {
            base.business_hours = h.clone();
        }
    }
    if let Some(v) = input.show_in_support {
        base.show_in_support = v;
    }
    if let Some(code) = &input.task_locale {
        match code.parse::<Locale>() {
            Ok(l) => base.task_locale = l,
            Err(()) => invalid.push(
                "task_locale",
                ErrorCode::UnsupportedLocale,
                "must be one of: en, ru",
            ),
        }
    }
    invalid.into_result().map_err(AppError::from)
}

fn field_changes(old: &DepartmentRecord, new: &DepartmentRecord) -> Changes {
    let hours = |d: &DepartmentRecord| serde_json::to_string(&d.business_hours).unwrap_or_default();
    Changes::default()
        .diff("name_en", &old.name_en, &new.name_en)
        .diff("name_ru", &old.name_ru, &new.name_ru)
        .diff("business_hours", &hours(old), &hours(new))
        .diff(
            "show_in_support",
            &old.show_in_support,
            &new.show_in_support,
        )
        .diff(
            "task_locale",
            &old.task_locale.code(),
            &new.task_locale.code(),
        )
}

async fn load(tx: &mut dyn Tx, id: DepartmentId) -> Result<DepartmentRecord, AppError> {
    tx.department_by_id(id)
        .await?
        .ok_or(AppError::NotFound { what: "department" })
}

impl App {
    pub async fn list_departments(&self, who: &Principal) -> Result<Vec<DepartmentView>, AppError> {
        who.require(f::DEPARTMENT_LIST)?;
        let mut tx = self.store.read().await?;
        let mut out = Vec::new();
        for d in tx.list_departments().await? {
            let members = tx.department_members(d.id).await?.len();
            let functions = tx.department_grants(d.id).await?;
            out.push(DepartmentView {
                department: d,
                members,
                functions,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    pub async fn get_department(
        &self,
        who: &Principal,
        id: DepartmentId,
    ) -> Result<DepartmentView, AppError> {
        who.require_any(&[
            f::DEPARTMENT_LIST,
            f::DEPARTMENT_EDIT,
            f::DEPARTMENT_DELETE,
            f::DEPARTMENT_PERMISSIONS,
        ])?;
        let mut tx = self.store.read().await?;
        let department = load(tx.as_mut(), id).await?;
        let members = tx.department_members(id).await?.len();
        let functions = tx.department_grants(id).await?;
        tx.commit().await?;
        Ok(DepartmentView {
            department,
            members,
            functions,
        })
    }

    pub async fn create_department(
        &self,
        who: &Principal,
        input: DepartmentInput,
    ) -> Result<DepartmentRecord, AppError> {
        who.require(f::DEPARTMENT_CREATE)?;
        let mut invalid = Invalid::default();
        if input.name_en.is_none() {
            invalid.push("name_en", ErrorCode::Required, "is required");
        }
        if input.name_ru.is_none() {
            invalid.push("name_ru", ErrorCode::Required, "is required");
        }
        invalid.into_result()?;
        let now = self.now();
        let mut d = DepartmentRecord {
            id: DepartmentId::new(),
            name_en: String::new(),
            name_ru: String::new(),
            business_hours: BusinessHours::office("UTC"),
            show_in_support: false,
            task_locale: Locale::En,
            created_at: now,
            updated_at: now,
        };
        apply(&mut d, &input)?;
        let changes = Changes::default()
            .set("name_en", &d.name_en)
            .set("name_ru", &d.name_ru)
            .set("show_in_support", d.show_in_support)
            .set("task_locale", d.task_locale);
        let changes = &changes;
        let d = &d;
        self.write(who, f::DEPARTMENT_CREATE, |w| {
            Box::pin(async move {
                w.tx().insert_department(d).await?;

                w.record_as(
                    f::DEPARTMENT_CREATE,
                    dept_ref(d.id),
                    "create",
                    changes.clone(),
                );
                Ok(())
            })
        })
        .await?;
        Ok(d.clone())
    }

    pub async fn update_department(
        &self,
        who: &Principal,
        id: DepartmentId,
        input: DepartmentInput,
    ) -> Result<DepartmentRecord, AppError> {
        let input = &input;
        self.write(who, f::DEPARTMENT_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let old = load(w.tx(), id).await?;
                let mut new = old.clone();
                apply(&mut new, input)?;
                new.updated_at = now;
                let changes = field_changes(&old, &new);
                if !changes.is_empty() {
                    w.tx().update_department(&new).await?;

                    w.record_as(f::DEPARTMENT_EDIT, dept_ref(id), "update", changes);
                }
                Ok(new)
            })
        })
        .await
    }

    /// Deletes a department; its members simply lose what it granted. Like removing a
    /// member, that takes functions away, so it is refused when the department grants a
    /// function the caller does not hold.
    pub async fn delete_department(
        &self,
        who: &Principal,
        id: DepartmentId,
    ) -> Result<(), AppError> {
        self.write(who, f::DEPARTMENT_DELETE, |w| {
            Box::pin(async move {
                let old = load(w.tx(), id).await?;
                crate::staff::check_department_escalation(w.tx(), who, &[id]).await?;
                let members = w.tx().department_members(id).await?.len();
                w.tx().delete_department(id).await?;
                let changes = Changes::default()
                    .diff("name_en", &old.name_en, &String::new())
                    .diff("members", &members, &0);

                w.record_as(f::DEPARTMENT_DELETE, dept_ref(id), "delete", changes);
                Ok(())
            })
        })
        .await
    }

    /// The department's permission tree: each function enabled or not, sections
    /// enabled/partial/disabled.
    pub async fn department_permissions(
        &self,
        who: &Principal,
        id: DepartmentId,
    ) -> Result<Vec<Node>, AppError> {
        who.require(f::DEPARTMENT_PERMISSIONS)?;
        let mut tx = self.store.read().await?;
        load(tx.as_mut(), id).await?;
        let granted: BTreeSet<String> = tx.department_grants(id).await?.into_iter().collect();
        tx.commit().await?;
        Ok(permissions::tree(Audience::Staff, &|f| {
            if granted.contains(f.key) {
                Source::Individual
            } else {
                Source::Off
            }
        }))
    }

    pub async fn change_department_permissions(
        &self,
        who: &Principal,
        id: DepartmentId,
        change: GrantChange,
    ) -> Result<Vec<Node>, AppError> {
        who.require(f::DEPARTMENT_PERMISSIONS)?;
        let resolved = grants::resolve(who, &change)?;
        let resolved = &resolved;
        self.write(who, f::DEPARTMENT_PERMISSIONS, |w| {
            Box::pin(async move {
                let now = w.now();
                load(w.tx(), id).await?;
                let before: BTreeSet<String> =
                    w.tx().department_grants(id).await?.into_iter().collect();
                for f in &resolved.enable {
                    w.tx().set_department_grant(id, f, true, now).await?;
                }
                for f in &resolved.disable {
                    w.tx().set_department_grant(id, f, false, now).await?;
                }
                let after: BTreeSet<String> =
                    w.tx().department_grants(id).await?.into_iter().collect();
                let changes = grants::changes(&before, &after);
                if !changes.is_empty() {
                    w.record_as(
                        f::DEPARTMENT_PERMISSIONS,
                        dept_ref(id),
                        "permissions",
                        changes,
                    );
                }
                Ok(())
            })
        })
        .await?;
        self.department_permissions(who, id).await
    }

    /// Creates the departments BILLmanager ships with, when there are none yet.
    pub(crate) async fn ensure_default_departments(&self) -> Result<(), AppError> {
        self.write_as(Actor::system(), f::SYSTEM_INSTALL, |w| {
            Box::pin(async move {
                let now = w.now();
                if w.tx().count_departments().await? > 0 {
                    return Ok(());
                }
                for (en, ru, support) in [
                    ("Sales department", "Отдел продаж", false),
                    ("Technical support", "Техническая поддержка", true),
                ] {
                    let d = DepartmentRecord {
                        id: DepartmentId::new(),
                        name_en: en.to_owned(),
                        name_ru: ru.to_owned(),
                        business_hours: BusinessHours::office("UTC"),
                        show_in_support: support,
                        task_locale: Locale::En,
                        created_at: now,
                        updated_at: now,
                    };
                    w.tx().insert_department(&d).await?;
                    let changes = Changes::default()
                        .set("name_en", en)
                        .set("name_ru", ru)
                        .set("show_in_support", support);

                    w.record_as(f::SYSTEM_INSTALL, dept_ref(d.id), "create", changes);
                }
                Ok(())
            })
        })
        .await
    }
}
