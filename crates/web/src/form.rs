//! Reading submitted forms and query strings as plain name/value pairs.
//!
//! Pairs rather than typed structs because HTML sends repeated names for checkboxes (a
//! token's scope) and empty strings for untouched fields, and because a malformed body must
//! become a translated error page, not a framework's plain-text rejection. Handlers turn the
//! pairs into the use case's input; the use case does the validating.
//!
//! A field or parameter holding a NUL character never gets here: the guard refuses the
//! request first, for every route (see `bursar_http::nul`).

use crate::pages::error;
use axum::Form;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::response::Response;
use bursar_app::AppError;
use bursar_domain::ErrorCode;
use bursar_http::guard::UPLOAD_LIMIT;
use bursar_http::multipart;

/// The fields of a submitted `application/x-www-form-urlencoded` form.
pub struct Fields(Vec<(String, String)>);

/// The parameters of the query string; a malformed one reads as empty.
pub struct Params(Vec<(String, String)>);

trait Pairs {
    fn pairs(&self) -> &[(String, String)];

    /// The first value of `name`, or "" when absent.
    fn get(&self, name: &str) -> &str {
        self.pairs()
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    fn all(&self, name: &str) -> Vec<String> {
        self.pairs()
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl Fields {
    pub fn get(&self, name: &str) -> &str {
        Pairs::get(self, name)
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        Pairs::all(self, name)
    }
}

impl Params {
    pub fn get(&self, name: &str) -> &str {
        Pairs::get(self, name)
    }

    /// A positive number, or `None` when absent or not a number.
    pub fn number(&self, name: &str) -> Option<u32> {
        self.get(name).trim().parse().ok().filter(|n| *n > 0)
    }

    pub fn flag(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
}

impl Pairs for Fields {
    fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

impl Pairs for Params {
    fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let path = req.uri().path().to_owned();
        match Form::<Vec<(String, String)>>::from_request(req, state).await {
            Ok(Form(pairs)) => Ok(Fields(pairs)),
            Err(_) => Err(error::bare_for(
                &headers,
                &path,
                AppError::invalid("form", ErrorCode::Malformed, "the form could not be read"),
            )),
        }
    }
}

/// A submitted form that may carry files: `multipart/form-data` when the form has a file
/// input, or a plain urlencoded form (a client that sends no file). Text fields read as
/// [`Fields`]; a file input left empty is not kept.
pub struct Upload {
    pub fields: Fields,
    files: Vec<(String, Bytes)>,
}

impl Upload {
    /// The content of the file sent as `name`, when one was chosen.
    pub fn file(&self, name: &str) -> Option<&Bytes> {
        self.files.iter().find(|(k, _)| k == name).map(|(_, b)| b)
    }
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let path = req.uri().path().to_owned();
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if !multipart::is_multipart(&content_type) {
            let fields = Fields::from_request(req, state).await?;
            return Ok(Upload {
                fields,
                files: Vec::new(),
            });
        }
        let refuse = |e: AppError| error::bare_for(&headers, &path, e);
        let Ok(body) = axum::body::to_bytes(req.into_body(), UPLOAD_LIMIT).await else {
            return Err(refuse(AppError::invalid(
                "form",
                ErrorCode::PayloadTooLarge,
                "the form is too large",
            )));
        };
        let malformed =
            || AppError::invalid("form", ErrorCode::Malformed, "the form could not be read");
        let parts = multipart::parts(&content_type, body)
            .await
            .ok_or_else(|| refuse(malformed()))?;
        let mut pairs = Vec::new();
        let mut files = Vec::new();
        for part in parts {
            if part.is_file {
                if !part.bytes.is_empty() {
                    files.push((part.name, part.bytes));
                }
                continue;
            }
            let text = String::from_utf8(part.bytes.to_vec()).map_err(|_| refuse(malformed()))?;
            // The guard refuses NUL in urlencoded fields; text sent as multipart is
            // refused the same way here (see `bursar_http::nul`).
            if text.contains('\0') || part.name.contains('\0') {
                return Err(refuse(AppError::invalid(
                    &part.name.replace('\0', ""),
                    ErrorCode::NulByte,
                    "must not contain a NUL character",
                )));
            }
            pairs.push((part.name, text));
        }
        Ok(Upload {
            fields: Fields(pairs),
            files,
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let pairs = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map(|q| q.0)
            .unwrap_or_default();
        Ok(Params(pairs))
    }
}
