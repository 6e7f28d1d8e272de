//! The catalog (issue 10; seed 003, reference §1.3 and §1.7): what a provider sells.
//! Enumerations (option lists in two languages), processing modules (manual work for a
//! department, or an external program / HTTP endpoint called with a JSON document), product
//! types with the service parameters they ask for, tariff plans with a price and a setup fee
//! per period, add-ons by BILLmanager's billing types, and the public price list.
//!
//! Every change runs through the use-case spine (SERIALIZABLE on PostgreSQL) and is in the
//! history; the rules (periods, add-on limits, parameter checks) are `bursar_domain::catalog`.

pub mod enumerations;
pub mod modules;
pub mod price_list;
pub mod product_types;
pub mod tariffs;

use crate::error::AppError;
use crate::ports::CatalogId;
use bursar_domain::ErrorCode;
use bursar_domain::history::ObjectRef;
use bursar_domain::validation::parse_text;
use bursar_domain::{Invalid, Locale};

pub(crate) fn catalog_ref(kind: &'static str, id: CatalogId) -> ObjectRef {
    ObjectRef {
        kind,
        id: id.to_string(),
        client: None,
    }
}

/// A required name: trimmed, 1–`max` characters.
pub(crate) fn required_name(
    invalid: &mut Invalid,
    field: &str,
    given: Option<&str>,
    old: Option<&str>,
    max: usize,
) -> String {
    match given {
        Some(raw) => match invalid.check(parse_text(field, raw, max)) {
            Some(Some(v)) => v,
            Some(None) => {
                invalid.push(field, ErrorCode::Required, "is required");
                String::new()
            }
            None => String::new(),
        },
        None => match old {
            Some(o) => o.to_owned(),
            None => {
                invalid.push(field, ErrorCode::Required, "is required");
                String::new()
            }
        },
    }
}

/// An optional text: trimmed, at most `max` characters, empty when absent.
pub(crate) fn optional_text(
    invalid: &mut Invalid,
    field: &str,
    given: Option<&str>,
    old: &str,
    max: usize,
) -> String {
    match given {
        Some(raw) => invalid
            .check(parse_text(field, raw, max))
            .flatten()
            .unwrap_or_default(),
        None => old.to_owned(),
    }
}

/// An id given as text; `None` when empty.
pub(crate) fn parse_id(invalid: &mut Invalid, field: &str, raw: &str) -> Option<CatalogId> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse() {
        Ok(id) => Some(id),
        Err(_) => {
            invalid.push(field, ErrorCode::InvalidId, "is not a valid id");
            None
        }
    }
}

/// The name in the asked language.
pub fn name_in<'a>(locale: Locale, en: &'a str, ru: &'a str) -> &'a str {
    match locale {
        Locale::Ru if !ru.is_empty() => ru,
        _ => en,
    }
}

pub(crate) fn not_found(what: &'static str) -> AppError {
    AppError::NotFound { what }
}
