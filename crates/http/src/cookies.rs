//! The cookies Bursar sets: the session, the client-area session of an employee working as a
//! client, the anonymous CSRF token and the sign-in page's language. Their values are
//! URL-safe base64 we generate ourselves, so reading and writing them needs no escaping and no
//! cookie crate.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const SESSION: &str = "bursar_session";
/// An employee's session as a client ("log in as client"), sent with `/client` pages only,
/// so the employee's own session keeps the staff panel in other tabs.
pub const CLIENT_SESSION: &str = "bursar_as_client";
/// Where [`CLIENT_SESSION`] is sent.
pub const CLIENT_PATH: &str = "/client";
pub const CSRF: &str = "bursar_csrf";
pub const LANG: &str = "bursar_lang";

/// The value of cookie `name` in the request, if any.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`, `Secure` when served over HTTPS.
/// `max_age` `None` makes a browser-session cookie; `Some(0)` deletes it.
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    set_at(name, value, "/", max_age, secure)
}

/// [`set`] for the pages under `path` only.
pub fn set_at(name: &str, value: &str, path: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_the_named_cookie() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; bursar_session=xyz; b=2"),
        );
        assert_eq!(read(&h, SESSION).as_deref(), Some("xyz"));
        assert_eq!(read(&h, CSRF), None);
    }
}
