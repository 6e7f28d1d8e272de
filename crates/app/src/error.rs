//! The one error type of the use cases. Each variant is a semantic outcome; `bursar-http`
//! maps it to problem+json and `bursar-web` to an error page or a form message, each in one
//! place.
//!
//! Refusals carry a stable [`ErrorCode`]; an unexpected failure ([`AppError::Internal`])
//! carries the error that caused it, whose whole `source()` chain is logged once (see
//! [`Chain`]) and never shown.

use crate::ports::StoreError;
use bursar_domain::{ErrorCode, Invalid};
use std::error::Error as StdError;
use std::fmt;

/// The cause of an unexpected failure, any error at all, kept whole for the log.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// One or more fields were refused (422).
    #[error("invalid input: {0}")]
    Invalid(Invalid),
    /// No valid session or token (401).
    #[error("sign-in required")]
    Unauthenticated,
    /// Wrong login or password (401). Deliberately does not say which.
    #[error("wrong login or password")]
    BadCredentials,
    /// The account exists but is disabled (403).
    #[error("this account is disabled")]
    AccountDisabled,
    /// Too many failed sign-ins (429).
    #[error("too many failed sign-ins; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// The caller does not hold the function (403).
    #[error("you do not have the right to use {function}")]
    Forbidden { function: &'static str },
    /// The caller holds the function but this particular act is not theirs to do (403): for
    /// example granting a right they do not hold themselves. `code` is stable.
    #[error("{message}")]
    Refused { code: ErrorCode, message: String },
    /// Not found, or not the caller's to see (404).
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// A rule or uniqueness refused the change (409). `code` is stable and machine-readable.
    #[error("{message}")]
    Conflict {
        code: ErrorCode,
        field: Option<&'static str>,
        message: String,
    },
    /// The database is momentarily unavailable (503) after retries.
    #[error("the database is busy; try again")]
    Busy,
    /// Anything unexpected (500). Logged with its chain, never shown.
    #[error("internal error")]
    Internal(#[source] BoxError),
}

impl AppError {
    pub fn refused(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Refused {
            code,
            message: message.into(),
        }
    }

    /// A rule about the records' state refuses the change (409), e.g. "the last full-access
    /// account stays"; unlike [`AppError::refused`], which is about the caller's authority.
    pub fn rule(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            field: None,
            message: message.into(),
        }
    }

    pub fn invalid(field: &str, code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Invalid(Invalid::field(field, code, message))
    }

    /// An unexpected failure caused by `err`, which is kept (with its own sources) for the log.
    pub fn internal(err: impl Into<BoxError>) -> Self {
        AppError::Internal(err.into())
    }

    /// An unexpected failure with no error underneath: a broken invariant, said in words.
    pub fn internal_msg(message: impl Into<String>) -> Self {
        AppError::Internal(message.into().into())
    }

    /// An unexpected failure caused by `err` while doing `context` (`"argon2"`,
    /// `"mail params"`): the log reads `context: err: …`.
    pub fn internal_in(context: &'static str, err: impl Into<BoxError>) -> Self {
        AppError::Internal(Box::new(Context {
            context,
            source: err.into(),
        }))
    }

    /// The stable code the API answers with for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Invalid(_) => ErrorCode::ValidationFailed,
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::BadCredentials => ErrorCode::InvalidCredentials,
            AppError::AccountDisabled => ErrorCode::AccountDisabled,
            AppError::RateLimited { .. } => ErrorCode::RateLimited,
            AppError::Forbidden { .. } => ErrorCode::Forbidden,
            AppError::Refused { code, .. } | AppError::Conflict { code, .. } => *code,
            AppError::NotFound { .. } => ErrorCode::NotFound,
            AppError::Busy => ErrorCode::Busy,
            AppError::Internal(_) => ErrorCode::InternalError,
        }
    }
}

/// What was being done when an error happened, wrapped around that error.
#[derive(Debug, thiserror::Error)]
#[error("{context}")]
struct Context {
    context: &'static str,
    #[source]
    source: BoxError,
}

/// Displays an error and every `source()` below it, joined by `: `, for one log line:
/// `internal error: error returned from database: relation "x" does not exist`. A source
/// whose text its wrapper already ends with (as sqlx's do) is not repeated.
pub struct Chain<'a>(pub &'a (dyn StdError + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.0.to_string();
        f.write_str(&shown)?;
        let mut next = self.0.source();
        while let Some(e) = next {
            let text = e.to_string();
            if !shown.ends_with(&text) {
                write!(f, ": {text}")?;
            }
            shown = text;
            next = e.source();
        }
        Ok(())
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Busy => AppError::Busy,
            StoreError::Unique { constraint } => unique_violation(&constraint),
            // A row the change refers to was deleted between the use case's read and its
            // write (a foreign key refused it): the caller's view was stale.
            StoreError::Missing { constraint } => AppError::Conflict {
                code: ErrorCode::RecordChanged,
                field: None,
                message: format!(
                    "a record this change refers to was removed meanwhile ({constraint})"
                ),
            },
            other @ (StoreError::Other(_) | StoreError::Driver(_)) => AppError::internal(other),
        }
    }
}

/// Named unique constraints become 409s that say which field collided.
fn unique_violation(constraint: &str) -> AppError {
    let (code, field, message) = match constraint {
        "users_login_key" => (
            ErrorCode::LoginTaken,
            "login",
            "this login is already in use",
        ),
        "users_email_key" => (
            ErrorCode::EmailTaken,
            "email",
            "this e-mail is already in use",
        ),
        "providers_name_key" => (
            ErrorCode::NameTaken,
            "name",
            "a provider with this name exists",
        ),
        "companies_name_key" => (
            ErrorCode::NameTaken,
            "name",
            "a company with this name exists",
        ),
        "client_groups_name_key" => (
            ErrorCode::NameTaken,
            "name",
            "a client group with this name exists",
        ),
        "departments_name_en_key" => (
            ErrorCode::DepartmentNameTaken,
            "name_en",
            "a department with this name exists",
        ),
        "departments_name_ru_key" => (
            ErrorCode::DepartmentNameTaken,
            "name_ru",
            "a department with this name exists",
        ),
        "accounts_client_id_provider_id_key" => (
            ErrorCode::AccountExists,
            "provider_id",
            "the client already has an active personal account with this provider",
        ),
        "enumerations_name_en_key" => (
            ErrorCode::NameTaken,
            "name_en",
            "an enumeration with this name exists",
        ),
        "processing_modules_name_key" => (
            ErrorCode::NameTaken,
            "name",
            "a processing module with this name exists",
        ),
        "product_types_key_key" => (
            ErrorCode::NameTaken,
            "key",
            "a product type with this internal name exists",
        ),
        "addons_tariff_id_key_key" => (
            ErrorCode::NameTaken,
            "key",
            "the plan has an add-on with this key",
        ),
        "payment_methods_provider_id_name_en_key" => (
            ErrorCode::NameTaken,
            "name_en",
            "the provider has a payment method with this name",
        ),
        "promotions_name_key" => (
            ErrorCode::NameTaken,
            "name",
            "a promotion with this name exists",
        ),
        "promo_codes_code_key" => (ErrorCode::PromoCodeTaken, "code", "this promo code exists"),
        // PostgreSQL names the index; SQLite its columns.
        "promotion_conditions_promotion_id_key"
        | "promotion_conditions_promotion_id_group_no_kind_value_key" => (
            ErrorCode::Conflict,
            "value",
            "the group already has this condition",
        ),
        // SQLite names a violated index by its columns.
        "currency_rates_pair_key"
        | "group_currency_rates_pair_key"
        | "client_currency_rates_pair_key"
        | "currency_rates_base_code_currency_code_valid_from_key"
        | "group_currency_rates_group_id_base_code_currency_code_valid_from_key"
        | "client_currency_rates_client_id_base_code_currency_code_valid_from_key" => (
            ErrorCode::RateExists,
            "valid_from",
            "the pair already has a rate on this day",
        ),
        _ => (
            ErrorCode::Conflict,
            "",
            "the record conflicts with an existing one",
        ),
    };
    AppError::Conflict {
        code,
        field: (!field.is_empty()).then_some(field),
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_keeps_its_chain_for_the_log_only() {
        let io = std::io::Error::other("disk on fire");
        let e = AppError::internal_in("writing the export", io);
        assert_eq!(e.to_string(), "internal error");
        assert_eq!(e.code(), ErrorCode::InternalError);
        assert_eq!(
            Chain(&e).to_string(),
            "internal error: writing the export: disk on fire"
        );
        let e = AppError::from(StoreError::Driver(Box::new(std::io::Error::other("gone"))));
        assert_eq!(Chain(&e).to_string(), "internal error: gone");
        let e = AppError::internal_msg("validated fields missing");
        assert_eq!(
            Chain(&e).to_string(),
            "internal error: validated fields missing"
        );
    }

    #[test]
    fn named_unique_constraints_say_which_field_collided() {
        let e = AppError::from(StoreError::Unique {
            constraint: "users_login_key".into(),
        });
        assert!(matches!(
            e,
            AppError::Conflict {
                code: ErrorCode::LoginTaken,
                field: Some("login"),
                ..
            }
        ));
        let e = AppError::from(StoreError::Unique {
            constraint: "unknown_key".into(),
        });
        assert_eq!(e.code(), ErrorCode::Conflict);
    }
}
