//! Field-level validation failures. A use case collects them and refuses the whole request,
//! so the API can answer 422 with one entry per field and a panel can show each message next
//! to its field.

use crate::ErrorCode;
use serde::Serialize;
use std::fmt;

/// One refused field: a stable [`ErrorCode`] (`too_long`, `invalid_email`, …) plus a human
/// message in English; the panels translate by code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: ErrorCode,
    pub message: String,
}

/// A non-empty list of field errors.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn field(field: &str, code: ErrorCode, message: impl Into<String>) -> Self {
        Self(vec![FieldError {
            field: field.to_owned(),
            code,
            message: message.into(),
        }])
    }

    pub fn push(&mut self, field: &str, code: ErrorCode, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
            message: message.into(),
        });
    }

    /// Records the error of a parse step, returning the value when it succeeded.
    pub fn check<T>(&mut self, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.extend(e.0);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was refused.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for Invalid {}

/// A free-text field: trimmed, at most `max` characters, no control characters except line
/// breaks; empty means absent.
pub fn parse_text(field: &str, raw: &str, max: usize) -> Result<Option<String>, Invalid> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(Invalid::field(
            field,
            ErrorCode::TooLong,
            format!("must have at most {max} characters"),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Invalid::field(
            field,
            ErrorCode::InvalidCharacters,
            "must not contain control characters",
        ));
    }
    Ok(Some(v.to_owned()))
}

/// A free-text field that must be given: as [`parse_text`], but empty is refused.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, Invalid> {
    parse_text(field, raw, max)?
        .ok_or_else(|| Invalid::field(field, ErrorCode::Required, "is required"))
}
