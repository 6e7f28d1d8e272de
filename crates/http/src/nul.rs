//! Text with a NUL character (U+0000) is refused at the edge, whatever route it is sent to.
//!
//! PostgreSQL cannot store U+0000 in `text` at all: a bound parameter holding one fails the
//! whole statement ("invalid byte sequence"), which used to surface as a 500 on any route
//! whose text reached a query (a login, a search filter, a history filter). SQLite would
//! store it, so the two databases would also disagree. No field of Bursar has a use for it,
//! so rather than teach every field (and every future field) to refuse it, the request is
//! refused before any handler sees it, with the stable code `nul_byte`:
//!
//! * in the address (a path segment or a query parameter): 400, in [`crate::guard`], for
//!   both surfaces, so handlers that read the query themselves are covered too;
//! * in a panel form field: 422, in the guard, which reads panel forms anyway;
//! * in a JSON string, a value or a key at any depth: 422, in [`crate::json::ApiJson`], the
//!   only reader of JSON bodies (the guard does not read them).
//!
//! The domain keeps its own control-character checks: they say what a field may contain;
//! this says what no request may carry. Binary bodies (an uploaded image) are not text and
//! are not looked at.

use percent_encoding::percent_decode;
use serde_json::Value;

/// Where a NUL character was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NulIn {
    /// A segment of the address, once percent-decoded: 400.
    Path,
    /// The query parameter of this name (or whose name holds the NUL): 400.
    Query(String),
    /// The field of this name of a urlencoded form: 422.
    Form(String),
    /// The JSON field at this path (`name`, `contacts[0].email`): 422.
    Json(String),
}

impl NulIn {
    /// The refused field or parameter, when there is one to name.
    pub fn field(&self) -> Option<&str> {
        match self {
            NulIn::Path => None,
            NulIn::Query(f) | NulIn::Form(f) | NulIn::Json(f) => Some(f),
        }
    }

    /// Whether the NUL was in the body (422) rather than the address (400).
    pub fn in_body(&self) -> bool {
        matches!(self, NulIn::Form(_) | NulIn::Json(_))
    }
}

/// A name fit to show: the NUL itself written as `\0`.
fn shown(name: &str) -> String {
    name.replace('\0', "\\0")
}

/// Whether the percent-decoded path holds a NUL.
pub fn in_path(path: &str) -> bool {
    percent_decode(path.as_bytes()).any(|b| b == 0)
}

/// The first parameter of a query string (or field of a urlencoded form) whose name or
/// value holds a NUL once decoded.
pub fn in_pairs(encoded: &[u8]) -> Option<String> {
    // Invalid UTF-8 decodes lossily here; a NUL survives that, and the strict UTF-8 check
    // is the guard's own.
    form_urlencoded::parse(encoded)
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| shown(&k))
}

/// The path of the first JSON string (key or value, at any depth) that holds a NUL; `None`
/// when there is none or the body is not JSON (its own error is reported elsewhere).
pub fn in_json(bytes: &[u8]) -> Option<String> {
    // JSON can only carry U+0000 escaped (a raw one is a syntax error), so a body without
    // the escape is not parsed a second time. `\\u0000` (an escaped backslash) matches
    // too and is then found clean by the walk.
    if !bytes.windows(6).any(|w| w == b"\\u0000") {
        return None;
    }
    let value: Value = serde_json::from_slice(bytes).ok()?;
    walk(&value, "")
}

fn walk(value: &Value, at: &str) -> Option<String> {
    match value {
        Value::String(s) if s.contains('\0') => Some(if at.is_empty() {
            "body".to_owned()
        } else {
            at.to_owned()
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| walk(v, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let field = if at.is_empty() {
                shown(k)
            } else {
                format!("{at}.{}", shown(k))
            };
            if k.contains('\0') {
                Some(field)
            } else {
                walk(v, &field)
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_in_paths_queries_and_forms_once_decoded() {
        assert!(in_path("/api/v1/clients/a%00b"));
        assert!(!in_path("/api/v1/clients/a%2500b"));
        assert!(!in_path("/api/v1/clients/%FF"));
        assert_eq!(in_pairs(b"page=1&label=%00").as_deref(), Some("label"));
        assert_eq!(in_pairs(b"a%00b=1").as_deref(), Some("a\\0b"));
        assert_eq!(in_pairs(b"login=x&name=%FF%00").as_deref(), Some("name"));
        assert_eq!(in_pairs(b"label=%2500&text=a+b"), None);
    }

    #[test]
    fn nul_is_found_in_json_strings_at_any_depth() {
        let found = |s: &str| in_json(s.as_bytes());
        assert_eq!(found(r#"{"login":"a\u0000b"}"#).as_deref(), Some("login"));
        assert_eq!(
            found(r#"{"a":{"b":[1,{"c":"\u0000"}]}}"#).as_deref(),
            Some("a.b[1].c")
        );
        assert_eq!(found(r#"{"x":{"k\u0000":1}}"#).as_deref(), Some("x.k\\0"));
        assert_eq!(found(r#""\u0000""#).as_deref(), Some("body"));
        assert_eq!(found(r#"["\u0000"]"#).as_deref(), Some("[0]"));
        // An escaped backslash before `u0000` is text, not a NUL; broken JSON is not ours.
        assert_eq!(found(r#"{"login":"\\u0000"}"#), None);
        assert_eq!(found(r#"{"login":"\u0000"#), None);
        assert_eq!(found(r#"{"login":"admin"}"#), None);
    }
}
