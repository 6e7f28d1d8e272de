//! Errors as RFC 9457 `application/problem+json`: a stable snake_case `code` that clients and
//! the panels can rely on, a human `detail`, and `errors` per field for validation. This is
//! the one place an [`AppError`] becomes an HTTP status. A 5xx is logged here, once, and its
//! internals never reach the caller.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bursar_app::AppError;
use bursar_domain::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code, e.g. `validation_failed`, `forbidden`, `login_taken`.
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
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("urn:bursar:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            code: code.to_owned(),
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
            "not_found",
            "There is nothing at this address.",
        )
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Sign in first: send a session cookie or an `Authorization: Bearer` token.",
        )
    }

    pub fn forbidden(function: &str) -> Self {
        let mut p = Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("You do not have the right to use the function `{function}`."),
        );
        p.function = Some(function.to_owned());
        p
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf_token_invalid",
            "The request's CSRF token is missing or does not match your session; reload the page and try again.",
        )
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(invalid) => {
                let mut p = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    invalid.to_string(),
                );
                p.errors = invalid.0;
                p
            }
            AppError::Unauthenticated => Problem::unauthenticated(),
            AppError::BadCredentials => Problem::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                e.to_string(),
            ),
            AppError::AccountDisabled => {
                Problem::new(StatusCode::FORBIDDEN, "account_disabled", e.to_string())
            }
            AppError::RateLimited { retry_after_secs } => {
                let mut p =
                    Problem::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", e.to_string());
                p.retry_after = Some(retry_after_secs);
                p
            }
            AppError::Forbidden { function } => Problem::forbidden(function),
            AppError::Refused { code, ref message } => {
                Problem::new(StatusCode::FORBIDDEN, code, message.clone())
            }
            AppError::NotFound { .. } => {
                Problem::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
            }
            AppError::Conflict {
                code,
                field,
                ref message,
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
            AppError::Busy => Problem::new(StatusCode::SERVICE_UNAVAILABLE, "busy", e.to_string()),
            AppError::Internal(ref chain) => {
                tracing::error!(error = %chain, "internal error");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "Something went wrong on our side; it has been logged.",
                )
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

/// Handlers return `Result<_, ApiError>` and use `?` on use-case results.
pub type ApiResult<T> = Result<T, Problem>;
