//! Errors as RFC 9457 `application/problem+json`: a stable snake_case `code` that clients and
//! the panels can rely on, a human `detail`, and `errors` per field for validation. This is
//! the one place an [`AppError`] becomes an HTTP status. A 5xx is logged here, once, and its
//! internals never reach the caller.

use crate::guard::Malformed;
use crate::nul::NulIn;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bursar_app::AppError;
use bursar_app::error::Chain;
use bursar_domain::{ErrorCode, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code, e.g. `validation_failed`, `forbidden`, `login_taken`,
    /// `nul_byte`.
    pub code: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<ProblemField>)]
    pub errors: Vec<FieldError>,
    /// The function the caller lacks, for `forbidden`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

/// One refused field of a 422.
#[derive(Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("urn:bursar:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            code: code.as_str().to_owned(),
            detail: detail.into(),
            errors: Vec::new(),
            function: None,
            retry_after: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "There is nothing at this address.",
        )
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "Sign in first: send a session cookie or an `Authorization: Bearer` token.",
        )
    }

    pub fn forbidden(function: &str) -> Self {
        let mut p = Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            format!("You do not have the right to use the function `{function}`."),
        );
        p.function = Some(function.to_owned());
        p
    }

    /// 413 for a body larger than `limit` bytes, naming the limit.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!(
                "The request body is larger than {}, the most this endpoint accepts.",
                size_text(limit)
            ),
        )
    }

    /// A request that could not be read as sent (see [`Malformed`]).
    pub fn malformed(m: &Malformed) -> Self {
        match m {
            Malformed::Path => Self::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidPath,
                "A parameter of the address is not valid UTF-8 once percent-decoded.",
            ),
            Malformed::Form => Self::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::MalformedForm,
                "The form body is not valid UTF-8 once percent-decoded.",
            ),
            Malformed::Nul(at) => Self::nul_byte(at),
            Malformed::Other { status, detail } => {
                let code = match *status {
                    StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
                    StatusCode::UNPROCESSABLE_ENTITY => ErrorCode::InvalidBody,
                    _ => ErrorCode::BadRequest,
                };
                let status = if status.is_client_error() {
                    *status
                } else {
                    StatusCode::BAD_REQUEST
                };
                Self::new(
                    status,
                    code,
                    format!("The request could not be read: {detail}"),
                )
            }
        }
    }

    /// Text holding a NUL character (U+0000): 400 `nul_byte` in the address, 422 in the
    /// body, naming the field or parameter in `errors`.
    pub fn nul_byte(at: &NulIn) -> Self {
        let (status, detail) = if at.in_body() {
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "A field of the body contains a NUL character (U+0000), which no text may hold.",
            )
        } else {
            (
                StatusCode::BAD_REQUEST,
                "The address contains a NUL character (U+0000, `%00`), which no text may hold.",
            )
        };
        let mut p = Self::new(status, ErrorCode::NulByte, detail);
        if let Some(field) = at.field() {
            p.errors.push(FieldError {
                field: field.to_owned(),
                code: ErrorCode::NulByte,
                message: "must not contain a NUL character (U+0000)".to_owned(),
            });
        }
        p
    }

    /// 500 that says only that something went wrong: the cause is for the log.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
            "Something went wrong on our side; it has been logged.",
        )
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::CsrfTokenInvalid,
            "The request's CSRF token is missing or does not match your session; reload the page and try again.",
        )
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        let code = e.code();
        match e {
            AppError::Invalid(invalid) => {
                let mut p =
                    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, code, invalid.to_string());
                p.errors = invalid.0;
                p
            }
            AppError::Unauthenticated => Problem::unauthenticated(),
            AppError::BadCredentials => Problem::new(StatusCode::UNAUTHORIZED, code, e.to_string()),
            AppError::AccountDisabled => Problem::new(StatusCode::FORBIDDEN, code, e.to_string()),
            AppError::RateLimited { retry_after_secs } => {
                let mut p = Problem::new(StatusCode::TOO_MANY_REQUESTS, code, e.to_string());
                p.retry_after = Some(retry_after_secs);
                p
            }
            AppError::Forbidden { function } => Problem::forbidden(function),
            AppError::Refused { ref message, .. } => {
                Problem::new(StatusCode::FORBIDDEN, code, message.clone())
            }
            AppError::NotFound { .. } => Problem::new(StatusCode::NOT_FOUND, code, e.to_string()),
            AppError::Conflict {
                field, ref message, ..
            } => {
                let mut p = Problem::new(StatusCode::CONFLICT, code, message.clone());
                if let Some(field) = field {
                    p.errors.push(FieldError {
                        field: field.to_owned(),
                        code,
                        message: message.clone(),
                    });
                }
                p
            }
            AppError::Busy => Problem::new(StatusCode::SERVICE_UNAVAILABLE, code, e.to_string()),
            AppError::Internal(_) => {
                tracing::error!(error = %Chain(&e), "internal error");
                Problem::internal()
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// A size in bytes as people write it: `64 KB`, `1 MB`, `700 bytes` (binary multiples,
/// rounded up so a limit is never understated).
pub fn size_text(bytes: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * KB;
    if bytes >= MB {
        format!("{} MB", bytes.div_ceil(MB))
    } else if bytes >= KB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        format!("{bytes} bytes")
    }
}

/// Handlers return `Result<_, ApiError>` and use `?` on use-case results.
pub type ApiResult<T> = Result<T, Problem>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_of_unreadable_requests_have_stable_codes() {
        let p = Problem::payload_too_large(64 * 1024);
        assert_eq!((p.status, p.code.as_str()), (413, "payload_too_large"));
        assert!(p.detail.contains("64 KB"), "{}", p.detail);
        assert!(
            Problem::payload_too_large(1024 * 1024)
                .detail
                .contains("1 MB")
        );
        let p = Problem::malformed(&Malformed::Path);
        assert_eq!((p.status, p.code.as_str()), (400, "invalid_path"));
        let p = Problem::malformed(&Malformed::Form);
        assert_eq!((p.status, p.code.as_str()), (400, "malformed_form"));
        let other = |status| Malformed::Other {
            status,
            detail: "Failed to deserialize query string".into(),
        };
        let p = Problem::malformed(&other(StatusCode::BAD_REQUEST));
        assert_eq!((p.status, p.code.as_str()), (400, "bad_request"));
        assert!(p.detail.contains("Failed to deserialize query string"));
        let p = Problem::malformed(&Malformed::Nul(NulIn::Query("label".into())));
        assert_eq!((p.status, p.code.as_str()), (400, "nul_byte"));
        assert_eq!(p.errors.first().map(|e| e.field.as_str()), Some("label"));
        let p = Problem::malformed(&Malformed::Nul(NulIn::Path));
        assert_eq!(
            (p.status, p.code.as_str(), p.errors.len()),
            (400, "nul_byte", 0)
        );
        let p = Problem::nul_byte(&NulIn::Json("contacts[0].email".into()));
        assert_eq!((p.status, p.code.as_str()), (422, "nul_byte"));
        assert_eq!(p.errors.first().map(|e| e.code), Some(ErrorCode::NulByte));
        let p = Problem::malformed(&other(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        assert_eq!((p.status, p.code.as_str()), (415, "unsupported_media_type"));
        assert_eq!(size_text(700), "700 bytes");
        assert_eq!(size_text(1536), "2 KB");
    }
}
