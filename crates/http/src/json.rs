//! Request bodies for the API: JSON only, strictly typed. Every way a body can be wrong maps
//! to a clear problem: not JSON at all (415), too big (413), invalid UTF-8 or broken syntax
//! (400 `malformed_json`), a string holding U+0000 anywhere (422 `nul_byte`, see
//! [`crate::nul`]), the wrong shape (422 `invalid_body`, naming the field when serde can). DTOs carry `#[serde(deny_unknown_fields)]` so a typo is an error, not a silent no-op.

use crate::nul::{self, NulIn};
use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use bursar_domain::ErrorCode;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            });
        if !is_json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "Send the body as JSON with `Content-Type: application/json`.",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::PayloadTooLarge,
                    "The request body is larger than this endpoint accepts.",
                )
            } else {
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::UnreadableBody,
                    e.body_text(),
                )
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    if std::str::from_utf8(bytes).is_err() {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
            "The body is not valid UTF-8.",
        ));
    }
    // Before the shape: a NUL is refused the same way whatever else is wrong with the body.
    if let Some(field) = nul::in_json(bytes) {
        return Err(Problem::nul_byte(&NulIn::Json(field)));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Syntax | Category::Eof | Category::Io => Problem::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::MalformedJson,
                format!("The body is not valid JSON: {e}."),
            ),
            Category::Data => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidBody,
                format!("The body does not have the expected shape: {e}."),
            ),
        }
    })
}

/// Query strings, with the same kind of clear error.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded_from_str(query).map(ApiQuery)
    }
}

fn serde_urlencoded_from_str<T: DeserializeOwned>(query: &str) -> Result<T, Problem> {
    axum::extract::Query::<T>::try_from_uri(
        &format!("/?{query}")
            .parse()
            .map_err(|_| bad_query("unparsable query string"))?,
    )
    .map(|q| q.0)
    .map_err(|e| bad_query(&e.body_text()))
}

fn bad_query(detail: &str) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidQuery,
        format!("The query string is invalid: {detail}"),
    )
}
