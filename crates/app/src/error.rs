//! The one error type of the use cases. Each variant is a semantic outcome; `bursar-http`
//! maps it to problem+json and `bursar-web` to an error page or a form message, each in one
//! place.

use crate::ports::StoreError;
use bursar_domain::Invalid;

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
    Refused { code: &'static str, message: String },
    /// Not found, or not the caller's to see (404).
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// A rule or uniqueness refused the change (409). `code` is stable and machine-readable.
    #[error("{message}")]
    Conflict {
        code: &'static str,
        field: Option<&'static str>,
        message: String,
    },
    /// The database is momentarily unavailable (503) after retries.
    #[error("the database is busy; try again")]
    Busy,
    /// Anything unexpected (500). Logged with its chain, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn refused(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Refused {
            code,
            message: message.into(),
        }
    }

    /// A rule about the records' state refuses the change (409), e.g. "the last full-access
    /// account stays"; unlike [`AppError::refused`], which is about the caller's authority.
    pub fn rule(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            field: None,
            message: message.into(),
        }
    }

    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid(Invalid::field(field, code, message))
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
            // The spine retries a transaction whose reference vanished, so the use case sees
            // the row gone and answers 404; this is what remains if it vanishes every time.
            StoreError::Missing { constraint } => AppError::Conflict {
                code: "record_changed",
                field: None,
                message: format!(
                    "a record this change refers to was removed meanwhile ({constraint})"
                ),
            },
            StoreError::Other(msg) => AppError::Internal(msg),
        }
    }
}

/// Named unique constraints become 409s that say which field collided.
fn unique_violation(constraint: &str) -> AppError {
    let (code, field, message) = match constraint {
        "users_login_key" => ("login_taken", "login", "this login is already in use"),
        "users_email_key" => ("email_taken", "email", "this e-mail is already in use"),
        "providers_name_key" => ("name_taken", "name", "a provider with this name exists"),
        "companies_name_key" => ("name_taken", "name", "a company with this name exists"),
        "client_groups_name_key" => ("name_taken", "name", "a client group with this name exists"),
        "departments_name_en_key" => (
            "department_name_taken",
            "name_en",
            "a department with this name exists",
        ),
        "departments_name_ru_key" => (
            "department_name_taken",
            "name_ru",
            "a department with this name exists",
        ),
        _ => ("conflict", "", "the record conflicts with an existing one"),
    };
    AppError::Conflict {
        code,
        field: (!field.is_empty()).then_some(field),
        message: message.to_owned(),
    }
}
