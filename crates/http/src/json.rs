//! Request bodies for the API: JSON only, strictly typed. Every way a body can be wrong maps
//! to a clear problem: not JSON at all (415), too big (413), invalid UTF-8 or broken syntax
//! (400 `malformed_json`), a string holding U+0000 anywhere (422 `nul_byte`, see
//! [`crate::nul`]), anything but an object at the top (422 `body_not_object`: serde would
//! otherwise bind an array's items to the fields by position), the wrong shape (422
//! `invalid_body`, naming the field), a required field left out (422 `validation_failed`,
//! the field's code `required`, as when it is sent empty). DTOs carry
//! `#[serde(deny_unknown_fields)]` so a typo is an error, not a silent no-op. Error texts
//! say what a field should be in JSON terms ("a whole number from 0 to 4294967295"), never
//! the Rust type behind it.

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

impl<T: DeserializeOwned + utoipa::ToSchema, S: Send + Sync> FromRequest<S> for ApiJson<T> {
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

pub fn parse<T: DeserializeOwned + utoipa::ToSchema>(bytes: &[u8]) -> Result<T, Problem> {
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
    // Every body the API takes is an object; what else it starts with is refused before
    // serde sees it.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        return Err(match serde_json::from_slice::<IgnoredAny>(bytes) {
            Ok(_) => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::BodyNotObject,
                "The body must be a JSON object (`{…}`) with the fields named.",
            ),
            Err(e) => shape_problem("", e),
        });
    }
    // …and so is a list where a nested object belongs, which serde would bind the same way.
    if let Ok(body) = serde_json::from_slice::<serde_json::Value>(bytes)
        && let Some(path) = crate::shape::list_for_object::<T>(&body)
    {
        let message = "an object with the fields named, not a list".to_owned();
        let mut p = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidBody,
            format!("The field `{path}` is not right: {message}."),
        );
        p.errors.push(bursar_domain::FieldError {
            field: path,
            code: ErrorCode::InvalidBody,
            message,
        });
        return Err(p);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        shape_problem(&path, e.into_inner())
    })?;
    de.end().map_err(|e| shape_problem("", e))?;
    Ok(value)
}

/// The problem for a body serde could not read: broken JSON (400), or a value of the wrong
/// kind at `path` (422, naming the field).
fn shape_problem(path: &str, e: serde_json::Error) -> Problem {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => Problem::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
            format!("The body is not valid JSON: {e}."),
        ),
        Category::Data => {
            let named = !path.is_empty() && path != ".";
            if let Some(missing) = missing_field(&e.to_string()) {
                let field = if named {
                    format!("{path}.{missing}")
                } else {
                    missing.to_owned()
                };
                return required(field);
            }
            let message = plain_words(&strip_position(&e.to_string()));
            let mut p = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidBody,
                if named {
                    format!("The field `{path}` is not right: {message}.")
                } else {
                    format!("The body does not have the expected shape: {message}.")
                },
            );
            if named {
                p.errors.push(bursar_domain::FieldError {
                    field: path.to_owned(),
                    code: ErrorCode::InvalidBody,
                    message,
                });
            }
            p
        }
    }
}

use serde::de::IgnoredAny;

/// The field serde found missing ("missing field `name`"), if that is the error.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(field, _)| field)
}

/// A required field left out is refused as the use cases refuse one given empty: 422
/// `validation_failed`, the field's error `required`. The body's schema marks it required,
/// so generated clients know before they send.
fn required(field: String) -> Problem {
    let mut p = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::ValidationFailed,
        format!("{field}: is required"),
    );
    p.errors.push(bursar_domain::FieldError {
        field,
        code: ErrorCode::Required,
        message: "is required".to_owned(),
    });
    p
}

/// serde_json's " at line 1 column 12": the path says where, for a JSON body.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Rewrites what serde says a value should be ("expected u32", "expected struct
/// CreateTokenBody", "invalid type: sequence") in the words of JSON.
fn plain_words(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("expected ") {
        let (before, after) = rest.split_at(i + "expected ".len());
        out.push_str(before);
        let (said, tail) = expectation(after);
        out.push_str(&said);
        rest = tail;
    }
    out.push_str(rest);
    out.replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: map", "invalid type: object")
        .replace("invalid type: unit value", "invalid type: null")
        .replace("invalid type: floating point", "invalid type: number")
        .replace("invalid type: integer", "invalid type: number")
}

/// The plain words for the expectation at the start of `text`, and what follows it.
fn expectation(text: &str) -> (String, &str) {
    const NUMBERS: [(&str, &str); 12] = [
        ("u8", "a whole number from 0 to 255"),
        ("u16", "a whole number from 0 to 65535"),
        ("u32", "a whole number from 0 to 4294967295"),
        ("u64", "a whole number from 0 to 18446744073709551615"),
        ("usize", "a whole number from 0"),
        ("i8", "a whole number from -128 to 127"),
        ("i16", "a whole number from -32768 to 32767"),
        ("i32", "a whole number from -2147483648 to 2147483647"),
        ("i64", "a whole number"),
        ("isize", "a whole number"),
        ("f32", "a number"),
        ("f64", "a number"),
    ];
    let word_end = |s: &str| {
        s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len())
    };
    for (rust, plain) in NUMBERS {
        if let Some(tail) = text.strip_prefix(rust)
            && word_end(tail) == 0
        {
            return (plain.to_owned(), tail);
        }
    }
    for (kind, plain) in [
        ("tuple struct ", "an array"),
        ("unit struct ", "null"),
        ("newtype struct ", "a value"),
        ("struct variant ", "a JSON object"),
        ("tuple variant ", "an array"),
        ("struct ", "a JSON object"),
        ("enum ", "one of the allowed values"),
    ] {
        if let Some(tail) = text.strip_prefix(kind) {
            let end = word_end(tail);
            return (plain.to_owned(), &tail[end..]);
        }
    }
    for (rust, plain) in [
        ("a sequence", "an array"),
        ("a map", "a JSON object"),
        ("a borrowed string", "a string"),
        ("char", "a single character"),
        ("bool", "true or false"),
        ("unit", "null"),
    ] {
        if let Some(tail) = text.strip_prefix(rust)
            && word_end(tail) == 0
        {
            return (plain.to_owned(), tail);
        }
    }
    (String::new(), text)
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

#[cfg(test)]
mod tests {
    use super::{parse, plain_words};

    #[derive(serde::Deserialize, utoipa::ToSchema, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        days: Option<u32>,
    }

    #[test]
    fn errors_say_what_a_field_should_be_not_its_rust_type() {
        let p = parse::<Body>(br#"{"name": "x", "days": "ten"}"#).err();
        let p = p.map(|p| (p.code, p.detail, p.errors.len()));
        let Some((code, detail, fields)) = p else {
            unreachable!("a string for a number is refused")
        };
        assert_eq!(code, "invalid_body");
        assert!(detail.contains("`days`"), "{detail}");
        assert!(
            detail.contains("a whole number from 0 to 4294967295"),
            "{detail}"
        );
        assert!(!detail.contains("u32"), "{detail}");
        assert_eq!(fields, 1);
        assert_eq!(
            plain_words("invalid type: sequence, expected struct CreateTokenBody"),
            "invalid type: array, expected a JSON object"
        );
        assert_eq!(
            plain_words("invalid type: integer `5`, expected a string"),
            "invalid type: number `5`, expected a string"
        );
    }

    #[test]
    fn a_missing_required_field_is_named_and_required() {
        let p = parse::<Body>(br#"{"days": 3}"#).err();
        let p = p.map(|p| (p.status, p.code, p.errors));
        let Some((status, code, errors)) = p else {
            unreachable!("a body without its required field is refused")
        };
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(fields, [("name", "required")]);
    }

    #[test]
    fn an_array_is_not_an_object() {
        for body in [&br#"["x", null]"#[..], b" [1]", b"\"x\"", b"5", b"null"] {
            let code = parse::<Body>(body).err().map(|p| p.code);
            assert_eq!(code.as_deref(), Some("body_not_object"));
        }
        let code = parse::<Body>(b"[1,").err().map(|p| p.code);
        assert_eq!(code.as_deref(), Some("malformed_json"));
    }
}
