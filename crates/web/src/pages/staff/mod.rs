//! Provider → Staff and Departments, their permission trees, and the client order pages
//! whose permissions seed 000 describes (Clients → Clients → Orders).
//!
//! Each page follows the panel's pattern: extract, call one use case, render; a refused form
//! is rendered again with the user's input and a message next to the field (or, for a
//! refusal that concerns the whole form, at its top), and a saved form redirects with a
//! flash. What a user may do decides which buttons appear (`principal.may`), while the
//! guard and the use case remain the enforcement.

use crate::Routes;
use crate::i18n::Tr;
use crate::view::{Errors, Pager};
use axum::http::StatusCode;
use bursar_app::AppError;
use bursar_domain::Invalid;
use bursar_domain::functions::f;
use fluent_bundle::FluentValue;

mod client_list;
pub(crate) mod departments;
pub(crate) mod employees;
mod orders;
mod permissions;

/// The staff-management routes.
pub(crate) fn routes(r: Routes) -> Routes {
    r.get("/admin/departments", f::DEPARTMENT_LIST, departments::list)
        .get(
            "/admin/departments/new",
            f::DEPARTMENT_CREATE,
            departments::new_form,
        )
        .post(
            "/admin/departments",
            f::DEPARTMENT_CREATE,
            departments::create,
        )
        .get(
            "/admin/departments/{id}",
            f::DEPARTMENT_LIST,
            departments::show,
        )
        .post(
            "/admin/departments/{id}",
            f::DEPARTMENT_EDIT,
            departments::update,
        )
        .post(
            "/admin/departments/{id}/delete",
            f::DEPARTMENT_DELETE,
            departments::delete,
        )
        .get(
            "/admin/departments/{id}/permissions",
            f::DEPARTMENT_PERMISSIONS,
            departments::permissions,
        )
        .post(
            "/admin/departments/{id}/permissions",
            f::DEPARTMENT_PERMISSIONS,
            departments::change_permissions,
        )
        .get("/admin/staff", f::STAFF_LIST, employees::list)
        .get("/admin/staff/new", f::STAFF_CREATE, employees::new_form)
        .post("/admin/staff", f::STAFF_CREATE, employees::create)
        .get("/admin/staff/{id}", f::STAFF_LIST, employees::show)
        .post("/admin/staff/{id}", f::STAFF_EDIT, employees::update)
        .post(
            "/admin/staff/{id}/status",
            f::STAFF_EDIT,
            employees::set_active,
        )
        .post(
            "/admin/staff/{id}/delete",
            f::STAFF_DELETE,
            employees::delete,
        )
        .get("/admin/staff/{id}/avatar", f::STAFF_LIST, employees::avatar)
        .post(
            "/admin/staff/{id}/avatar",
            f::STAFF_EDIT,
            employees::upload_avatar,
        )
        .post(
            "/admin/staff/{id}/avatar/delete",
            f::STAFF_EDIT,
            employees::remove_avatar,
        )
        .get(
            "/admin/staff/{id}/permissions",
            f::STAFF_PERMISSIONS,
            employees::permissions,
        )
        .post(
            "/admin/staff/{id}/permissions",
            f::STAFF_PERMISSIONS,
            employees::change_permissions,
        )
        .get("/admin/clients", f::CLIENT_LIST, client_list::clients)
        .get(
            "/admin/clients/{id}/orders",
            f::CLIENT_ORDER_HISTORY,
            orders::history,
        )
        .get(
            "/admin/clients/{id}/orders/new",
            f::CLIENT_ORDER_CREATE,
            orders::new_order,
        )
        .post(
            "/admin/clients/{id}/orders/new",
            f::CLIENT_ORDER_CREATE,
            orders::choose_provider,
        )
}

/// The texts of refused fields. Several errors of one field are joined, so a schedule with
/// two bad days says both.
pub(crate) fn field_errors(tr: Tr, invalid: &Invalid) -> Errors {
    let mut merged: Vec<(String, String)> = Vec::new();
    for e in &invalid.0 {
        let text = tr.error(e.code);
        match merged.iter_mut().find(|(f, _)| *f == e.field) {
            Some((_, t)) if !t.contains(&text) => {
                t.push(' ');
                t.push_str(&text);
            }
            Some(_) => {}
            None => merged.push((e.field.clone(), text)),
        }
    }
    let mut errors = Errors::default();
    for (field, text) in merged {
        errors.push(&field, text);
    }
    errors
}

/// How a refused form is shown again.
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub errors: Errors,
    /// A message about the whole form, shown above it.
    pub alert: Option<String>,
}

/// Splits a use case's error into what the form shows (fields, a conflict on one field, a
/// refusal of the whole act) and what becomes an error page (`Err`: not found, forbidden,
/// busy, internal).
pub(crate) fn refusal(tr: Tr, e: AppError) -> Result<Refusal, AppError> {
    match e {
        AppError::Invalid(invalid) => Ok(Refusal {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: field_errors(tr, &invalid),
            alert: None,
        }),
        AppError::Conflict { code, field, .. } => {
            let text = tr.error(code);
            let mut errors = Errors::default();
            let alert = match field {
                Some(field) => {
                    errors.push(field, text);
                    None
                }
                None => Some(text),
            };
            Ok(Refusal {
                status: StatusCode::CONFLICT,
                errors,
                alert,
            })
        }
        AppError::Refused { code, .. } => Ok(Refusal {
            status: StatusCode::FORBIDDEN,
            errors: Errors::default(),
            alert: Some(tr.error(code)),
        }),
        other => Err(other),
    }
}

/// "1–25 of 40" with links to the neighbouring pages (the lists of this area; the history
/// table builds its own in `view`).
pub(crate) fn pager(
    tr: Tr,
    page: u32,
    per_page: u32,
    total: i64,
    link: impl Fn(u32) -> String,
) -> Option<Pager> {
    if total <= 0 {
        return None;
    }
    let per_page = i64::from(per_page.max(1));
    let pages = u32::try_from((total + per_page - 1) / per_page)
        .unwrap_or(u32::MAX)
        .max(1);
    let first = (i64::from(page) - 1) * per_page + 1;
    let last = (first + per_page - 1).min(total);
    let summary = tr.ta(
        "pager-summary",
        &[
            ("first", FluentValue::from(first.min(total))),
            ("last", FluentValue::from(last)),
            ("total", FluentValue::from(total)),
        ],
    );
    Some(Pager {
        summary,
        prev: (page > 1).then(|| link(page.saturating_sub(1).min(pages))),
        next: (page < pages).then(|| link(page + 1)),
        prev_label: tr.t("pager-prev"),
        next_label: tr.t("pager-next"),
    })
}

/// A row anchor for a registry key (`client.order.create` → `row-client-order-create`).
pub(crate) fn anchor(key: &str) -> String {
    format!("row-{}", key.replace(['.', '_'], "-"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bursar_domain::ErrorCode;
    use bursar_domain::Locale;

    #[test]
    fn field_errors_join_a_fields_errors() {
        let tr = Tr::new(Locale::En);
        let mut invalid = Invalid::default();
        invalid.push("business_hours", ErrorCode::InvalidTime, "mon");
        invalid.push("business_hours", ErrorCode::ClosesBeforeOpening, "tue");
        invalid.push("business_hours", ErrorCode::InvalidTime, "wed");
        invalid.push("name_en", ErrorCode::Required, "");
        let errors = field_errors(tr, &invalid);
        let hours = errors.get("business_hours").unwrap_or_default();
        assert_eq!(
            hours,
            format!(
                "{} {}",
                tr.error(ErrorCode::InvalidTime),
                tr.error(ErrorCode::ClosesBeforeOpening)
            )
        );
        assert_eq!(
            errors.get("name_en"),
            Some(tr.error(ErrorCode::Required).as_str())
        );
    }

    #[test]
    fn conflicts_on_a_field_go_next_to_it_and_refusals_above_the_form() {
        let tr = Tr::new(Locale::Ru);
        let taken = AppError::Conflict {
            code: ErrorCode::LoginTaken,
            field: Some("login"),
            message: String::new(),
        };
        let shown = refusal(tr, taken).ok();
        assert!(
            shown
                .as_ref()
                .is_some_and(|r| r.status == StatusCode::CONFLICT
                    && r.errors.get("login") == Some(tr.error(ErrorCode::LoginTaken).as_str())
                    && r.alert.is_none())
        );
        let refused = AppError::refused(ErrorCode::CannotGrantUnheldFunction, "");
        let shown = refusal(tr, refused).ok();
        assert_eq!(
            shown.and_then(|r| r.alert),
            Some(tr.error(ErrorCode::CannotGrantUnheldFunction))
        );
        assert!(refusal(tr, AppError::NotFound { what: "employee" }).is_err());
    }
}
