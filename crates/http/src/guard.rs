//! Route declaration and guarding. [`Guarded`] is the only way routes enter the router:
//! each names a function of the registry, and its handler runs behind [`guard`], which
//!
//! 1. resolves the caller from a bearer token or the session cookie;
//! 2. refuses anonymous callers of non-public functions, and callers without the function;
//! 3. checks the CSRF token of state-changing requests made with a session cookie (a header
//!    `X-CSRF-Token`, or a `_csrf` field of a urlencoded or multipart form); anonymous panel
//!    forms use a double-submit cookie instead;
//! 4. stamps the response with `X-Bursar-Function`, so a test can prove that every route it
//!    reaches ran behind a guard.
//!
//! How a refusal looks (problem+json, a redirect to the login page, an error page) is the
//! surface's choice, given as a [`Rejecter`]. The rejecter sees the caller the guard resolved
//! (as the request's [`Principal`] extension), so a panel can refuse a signed-in user inside
//! their own layout rather than as a stranger.
//!
//! The guard also sees that a request nobody can read gets the surface's refusal:
//!
//! * A form body that is too large or not UTF-8 once percent-decoded is refused here
//!   ([`Rejection::TooLarge`], [`Malformed::Form`]). Panel forms are read here even when
//!   htmx sends the token as a header, so no handler meets a form it cannot read; forms are
//!   read up to [`BODY_LIMIT`], the limit the server gives every handler, so a form the
//!   handler could not read is refused as too large, not as malformed.
//! * Text holding a NUL character (U+0000), which PostgreSQL cannot store, is refused here
//!   in the address of every route and in a panel form ([`Malformed::Nul`], see
//!   [`crate::nul`]); JSON bodies are checked by their extractor.
//! * An extractor of the handler (axum's `Path`, `Query`, `Form`, `Json`) that refuses the
//!   request answers in plain text; the guard turns that answer into the surface's refusal
//!   ([`Malformed::Path`] when the address does not decode, [`Malformed::Other`] otherwise),
//!   so no route answers in axum's plain text. Mapping after the handler, rather than in a
//!   layer around the whole router, keeps the surface and the signed-in caller at hand.

use crate::cookies;
use crate::multipart;
use crate::nul::{self, NulIn};
use crate::openapi::Doc;
use crate::problem::Problem;
use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, Router, on};
use bursar_app::{App, AppError, Principal, Via};
use bursar_domain::access::Audience;
use bursar_domain::functions::Function;
use percent_encoding::percent_decode;
use std::net::SocketAddr;
use std::sync::Arc;

pub const FUNCTION_HEADER: HeaderName = HeaderName::from_static("x-bursar-function");
pub const CSRF_HEADER: HeaderName = HeaderName::from_static("x-csrf-token");
/// The largest JSON or form body: the server installs it as axum's `DefaultBodyLimit`, and
/// the guard reads urlencoded forms up to the same size.
pub const BODY_LIMIT: usize = 64 * 1024;
/// The most the guard reads of a multipart upload form (the panel's avatar form) to find
/// `_csrf`; the use case applies its own, smaller limits to the file.
pub const UPLOAD_LIMIT: usize = 1024 * 1024;
/// The most of a framework's plain-text refusal kept as the detail of its replacement.
const REFUSAL_TEXT_LIMIT: usize = 4 * 1024;

/// Why the guard refused a request.
#[derive(Debug)]
pub enum Rejection {
    Unauthenticated,
    Forbidden(&'static str),
    Csrf,
    /// The body is larger than the route reads, `limit` bytes: 413.
    TooLarge {
        limit: usize,
    },
    /// The request cannot be read as sent.
    Malformed(Malformed),
    Error(AppError),
}

/// How a request could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Malformed {
    /// A parameter of the address is not UTF-8 once percent-decoded (`/clients/%FF`): 400.
    Path,
    /// A form field is not UTF-8 once percent-decoded (`name=%FF%FE`): 400.
    Form,
    /// Text holding a NUL character (see [`crate::nul`]): 400 in the address, 422 in a form.
    Nul(NulIn),
    /// An extractor refused the request with a plain-text answer: its status (4xx) and text.
    Other { status: StatusCode, detail: String },
}

/// Renders a refusal for one surface (API or panel).
pub type Rejecter = Arc<dyn Fn(Rejection, &Parts) -> Response + Send + Sync>;

/// Which kind of client a route serves; decides how anonymous form posts are protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// JSON API: bodies must be JSON, which browsers cannot send cross-site without CORS.
    Api,
    /// Server-rendered panels: every form carries a CSRF token.
    Panel,
}

/// One declared route.
#[derive(Clone)]
pub struct RouteDecl {
    pub method: Method,
    pub path: &'static str,
    pub function: &'static Function,
    pub surface: Surface,
    /// The OpenAPI description; API routes have one, panel pages do not.
    pub doc: Option<Doc>,
}

#[derive(Clone)]
struct RouteGuard {
    function: &'static Function,
    surface: Surface,
    app: App,
    reject: Rejecter,
}

/// A router under construction whose every route is guarded and declared.
pub struct Guarded {
    router: Router,
    decls: Vec<RouteDecl>,
    app: App,
    surface: Surface,
    reject: Rejecter,
}

impl Guarded {
    pub fn new(app: App, surface: Surface, reject: Rejecter) -> Self {
        Self {
            router: Router::new(),
            decls: Vec::new(),
            app,
            surface,
            reject,
        }
    }

    /// Adds a route running `handler` under `function`.
    pub fn route<H, T>(
        self,
        method: Method,
        path: &'static str,
        function: &'static Function,
        handler: H,
    ) -> Self
    where
        H: Handler<T, ()>,
        T: 'static,
    {
        self.add(method, path, function, None, handler)
    }

    /// Adds an API route with its OpenAPI description.
    pub fn op<H, T>(
        self,
        method: Method,
        path: &'static str,
        function: &'static Function,
        doc: Doc,
        handler: H,
    ) -> Self
    where
        H: Handler<T, ()>,
        T: 'static,
    {
        self.add(method, path, function, Some(doc), handler)
    }

    fn add<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        function: &'static Function,
        doc: Option<Doc>,
        handler: H,
    ) -> Self
    where
        H: Handler<T, ()>,
        T: 'static,
    {
        let guard = RouteGuard {
            function,
            surface: self.surface,
            app: self.app.clone(),
            reject: self.reject.clone(),
        };
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        let axum_path = path;
        let route = on(filter, handler).layer(from_fn_with_state(guard, run_guarded));
        self.router = self.router.route(axum_path, route);
        self.decls.push(RouteDecl {
            method,
            path,
            function,
            surface: self.surface,
            doc,
        });
        self
    }

    /// Joins another guarded router (its routes keep their own surface).
    pub fn merge(mut self, other: Guarded) -> Self {
        self.router = self.router.merge(other.router);
        self.decls.extend(other.decls);
        self
    }

    pub fn into_parts(self) -> (Router, Vec<RouteDecl>) {
        (self.router, self.decls)
    }
}

async fn run_guarded(State(g): State<RouteGuard>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let mut res = match check(&g, &mut parts, body).await {
        Ok(body) => {
            // Kept for the rare refusal by an extractor, which needs the request's head.
            let head = parts.clone();
            let res = next.run(Request::from_parts(parts, body)).await;
            match plain_text_refusal(res, &head).await {
                Ok(res) => res,
                Err(rejection) => (g.reject)(rejection, &head),
            }
        }
        Err(rejection) => (g.reject)(rejection, &parts),
    };
    if let Ok(v) = HeaderValue::from_str(g.function.key) {
        res.headers_mut().insert(FUNCTION_HEADER, v);
    }
    res
}

async fn check(g: &RouteGuard, parts: &mut Parts, body: Body) -> Result<Body, Rejection> {
    let function = g.function;
    // Known from here on, to the handler and to the rejecter alike.
    if let Some(p) = resolve(&g.app, parts).await.map_err(Rejection::Error)? {
        parts.extensions.insert(p);
    }
    let principal = parts.extensions.get::<Principal>();
    if function.audience != Audience::Public {
        let p = principal.ok_or(Rejection::Unauthenticated)?;
        if !p.rights.allows(function) {
            return Err(Rejection::Forbidden(function.key));
        }
    }
    refuse_nul_in_address(parts)?;
    // A public API operation (sign-in) uses no authority of an existing session, and its
    // JSON body cannot be sent cross-site without CORS; everything else is checked.
    let exempt = g.surface == Surface::Api && function.audience == Audience::Public;
    let body = if is_state_changing(&parts.method) && !exempt {
        check_csrf(g.surface, parts, body, principal).await?
    } else {
        body
    };
    // After the token, so a forged form learns nothing but "forged". API forms are left to
    // the handler, which takes JSON only and refuses them as such.
    if g.surface == Surface::Panel && is_form(parts) {
        refuse_nul_in_form(body).await
    } else {
        Ok(body)
    }
}

/// 400 for a path segment or a query parameter holding a NUL (see [`crate::nul`]).
fn refuse_nul_in_address(parts: &Parts) -> Result<(), Rejection> {
    let nul = if nul::in_path(parts.uri.path()) {
        Some(NulIn::Path)
    } else {
        parts
            .uri
            .query()
            .and_then(|q| nul::in_pairs(q.as_bytes()))
            .map(NulIn::Query)
    };
    match nul {
        Some(at) => Err(Rejection::Malformed(Malformed::Nul(at))),
        None => Ok(()),
    }
}

/// 422 for a urlencoded form with a field holding a NUL; the body, read, otherwise.
async fn refuse_nul_in_form(body: Body) -> Result<Body, Rejection> {
    let bytes = read_body(body, BODY_LIMIT).await?;
    match nul::in_pairs(&bytes) {
        Some(field) => Err(Rejection::Malformed(Malformed::Nul(NulIn::Form(field)))),
        None => Ok(Body::from(bytes)),
    }
}

fn is_form(parts: &Parts) -> bool {
    parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// A handler's answer, or the refusal to send instead when it is a framework's plain-text
/// refusal (an extractor's 4xx, or a 5xx such as a missing extension).
async fn plain_text_refusal(res: Response, head: &Parts) -> Result<Response, Rejection> {
    let status = res.status();
    let plain = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !plain || !(status.is_client_error() || status.is_server_error()) {
        return Ok(res);
    }
    let text = axum::body::to_bytes(res.into_body(), REFUSAL_TEXT_LIMIT)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    Err(if status.is_server_error() {
        Rejection::Error(AppError::internal_msg(format!(
            "{} answered {status}: {text}",
            head.uri.path()
        )))
    } else if !decodes_as_utf8(head.uri.path().as_bytes()) {
        Rejection::Malformed(Malformed::Path)
    } else {
        Rejection::Malformed(Malformed::Other {
            status,
            detail: text,
        })
    })
}

fn is_state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The caller's address as the server saw it.
pub fn client_ip(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// The caller behind a bearer token or the session cookie; `None` when neither is presented
/// or the session has ended. A bearer token that is presented but invalid is an error, so a
/// script with a revoked token fails loudly instead of acting anonymously.
async fn resolve(app: &App, parts: &Parts) -> Result<Option<Principal>, AppError> {
    let ip = client_ip(parts);
    if let Some(auth) = parts.headers.get(AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            .and_then(bearer_credentials)
            .ok_or(AppError::Unauthenticated)?;
        return app.authenticate_token(token, ip).await.map(Some);
    }
    // In the client area an employee's session as a client comes first; an ended one falls
    // back to the employee's own session (which the client area sends to the staff panel).
    let in_client_area = parts.uri.path() == cookies::CLIENT_PATH
        || parts
            .uri
            .path()
            .starts_with(&format!("{}/", cookies::CLIENT_PATH));
    let as_client =
        cookies::read(&parts.headers, cookies::CLIENT_SESSION).filter(|_| in_client_area);
    for secret in [as_client, cookies::read(&parts.headers, cookies::SESSION)]
        .into_iter()
        .flatten()
    {
        match app.authenticate_session(&secret, ip.clone()).await {
            Ok(p) => return Ok(Some(p)),
            Err(AppError::Unauthenticated) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// The credentials of an `Authorization: Bearer …` value. The scheme name is
/// case-insensitive (RFC 9110, 11.1), so `bearer` and `BEARER` are the same scheme.
fn bearer_credentials(value: &str) -> Option<&str> {
    let (scheme, credentials) = value.trim_start().split_once([' ', '\t'])?;
    let credentials = credentials.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !credentials.is_empty()).then_some(credentials)
}

async fn check_csrf(
    surface: Surface,
    parts: &Parts,
    body: Body,
    principal: Option<&Principal>,
) -> Result<Body, Rejection> {
    let expected = match principal.map(|p| &p.via) {
        Some(Via::Token { .. }) => return Ok(body),
        Some(Via::Session { csrf, .. }) => csrf.clone(),
        None if surface == Surface::Api => return Ok(body),
        None => cookies::read(&parts.headers, cookies::CSRF).ok_or(Rejection::Csrf)?,
    };
    let header = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if let Some(sent) = header
        && !same(sent, &expected)
    {
        return Err(Rejection::Csrf);
    }
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    // A panel form is read even when htmx sent the token as a header: its handler reads it
    // whole anyway, and must not meet one it cannot read.
    if is_form && (header.is_none() || surface == Surface::Panel) {
        let bytes = read_body(body, BODY_LIMIT).await?;
        if header.is_none() {
            let sent = form_field(&bytes, "_csrf").ok_or(Rejection::Csrf)?;
            if !same(&sent, &expected) {
                return Err(Rejection::Csrf);
            }
        }
        // Checked after the token, so a forged form learns nothing but "forged".
        if !decodes_as_utf8(&bytes) {
            return Err(Rejection::Malformed(Malformed::Form));
        }
        return Ok(Body::from(bytes));
    }
    if header.is_some() {
        return Ok(body);
    }
    if !multipart::is_multipart(content_type) {
        return Err(Rejection::Csrf);
    }
    let bytes = read_body(body, UPLOAD_LIMIT).await?;
    let sent = multipart::field(content_type, bytes.clone(), "_csrf")
        .await
        .and_then(|v| String::from_utf8(v.to_vec()).ok())
        .ok_or(Rejection::Csrf)?;
    if same(&sent, &expected) {
        Ok(Body::from(bytes))
    } else {
        Err(Rejection::Csrf)
    }
}

/// The body, when it fits in `limit` bytes. A body that cannot be read in full within the
/// limit (too long, or cut off: there is nobody left to tell) is refused as too large.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, Rejection> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Rejection::TooLarge { limit })
}

/// The first value of the field `name` of a urlencoded form, percent-decoded.
fn form_field(bytes: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(bytes)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Whether percent-decoding `bytes` gives UTF-8. `form_urlencoded` (and axum's `Form` on top
/// of it) decodes invalid sequences to U+FFFD without a word, which would store "��" where
/// the user typed something else; this is the strict check. Deciding on the whole body is
/// the same as deciding field by field: the `&` and `=` between fields are ASCII, so a
/// sequence cut by one is invalid either way.
fn decodes_as_utf8(bytes: &[u8]) -> bool {
    percent_decode(bytes).decode_utf8().is_ok()
}

/// Comparison whose time does not depend on where the strings differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The signed-in caller of a guarded, non-public route.
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(Caller)
            .ok_or_else(Problem::unauthenticated)
    }
}

/// The caller of a public route, when signed in.
pub struct MaybeCaller(pub Option<Principal>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeCaller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeCaller(parts.extensions.get::<Principal>().cloned()))
    }
}

/// The API's way of refusing: problem+json.
pub fn api_rejecter() -> Rejecter {
    Arc::new(|rejection, _parts| {
        let problem = match rejection {
            Rejection::Unauthenticated => Problem::unauthenticated(),
            Rejection::Forbidden(f) => Problem::forbidden(f),
            Rejection::Csrf => Problem::csrf(),
            Rejection::TooLarge { limit } => Problem::payload_too_large(limit),
            Rejection::Malformed(m) => Problem::malformed(&m),
            Rejection::Error(e) => Problem::from(e),
        };
        problem.into_response()
    })
}

/// The application, for handlers (installed as an extension on the whole router).
pub type AppExt = Extension<App>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_and_constant_time_compare() {
        assert_eq!(
            form_field(b"a=1&_csrf=xyz", "_csrf").as_deref(),
            Some("xyz")
        );
        // Percent-decoded, `+` as space, the first of repeated names, absent names.
        assert_eq!(
            form_field(b"_csrf=a%2Fb+c&_csrf=second", "_csrf").as_deref(),
            Some("a/b c")
        );
        assert_eq!(form_field(b"a=1&b", "_csrf"), None);
        // A valid token next to a field that is not UTF-8 is still found.
        assert_eq!(
            form_field(b"name=%FF%FE&_csrf=tok", "_csrf").as_deref(),
            Some("tok")
        );
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }

    #[test]
    fn only_bodies_and_paths_that_decode_to_utf8_pass() {
        assert!(decodes_as_utf8(b"name=%D0%AF%D0%BD&x=%E2%82%AC+1"));
        assert!(decodes_as_utf8("name=Ян".as_bytes()));
        // A real U+FFFD, sent encoded, is text like any other.
        assert!(decodes_as_utf8(b"name=%EF%BF%BD"));
        assert!(!decodes_as_utf8(b"name=%FF%FE&_csrf=tok"));
        assert!(!decodes_as_utf8(b"name=\xff"));
        // A sequence split by a separator is invalid, field by field or whole.
        assert!(!decodes_as_utf8(b"a=%D0&%AF=1"));
        assert!(decodes_as_utf8(b"/api/v1/clients/%41bc"));
        assert!(!decodes_as_utf8(b"/api/v1/clients/%FF"));
    }

    fn head(path: &str) -> Parts {
        let mut parts = Request::new(()).into_parts().0;
        parts.uri = axum::http::Uri::try_from(path).unwrap_or_default();
        parts
    }

    #[tokio::test]
    async fn plain_text_refusals_of_extractors_become_the_surfaces_refusals() {
        // axum's own refusal of a query string it cannot deserialise.
        let uri = axum::http::Uri::from_static("/api/v1/history?page=x");
        let refusal =
            axum::extract::Query::<std::collections::HashMap<String, u32>>::try_from_uri(&uri)
                .err()
                .map(IntoResponse::into_response);
        assert!(refusal.is_some());
        let refused = match refusal {
            Some(res) => plain_text_refusal(res, &head("/api/v1/history")).await,
            None => Ok(StatusCode::OK.into_response()),
        };
        let Err(Rejection::Malformed(Malformed::Other { status, detail })) = refused else {
            unreachable!("not mapped: {refused:?}")
        };
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(detail.contains("page"), "{detail}");
        // A refusal on an address that does not decode names the address.
        let refusal = (StatusCode::BAD_REQUEST, "Invalid URL").into_response();
        assert!(matches!(
            plain_text_refusal(refusal, &head("/admin/clients/%FF")).await,
            Err(Rejection::Malformed(Malformed::Path))
        ));
        // A plain-text 500 (a missing extension) is an internal error, logged, not shown.
        let refusal = (StatusCode::INTERNAL_SERVER_ERROR, "Missing extension").into_response();
        assert!(matches!(
            plain_text_refusal(refusal, &head("/admin")).await,
            Err(Rejection::Error(AppError::Internal(_)))
        ));
        // Everything else passes untouched: pages, problems, successes.
        for res in [
            (StatusCode::OK, "fine").into_response(),
            Problem::not_found().into_response(),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(CONTENT_TYPE, "text/html; charset=utf-8")],
                "<p>page</p>",
            )
                .into_response(),
        ] {
            let status = res.status();
            let kept = plain_text_refusal(res, &head("/admin/clients/%FF")).await;
            assert_eq!(kept.map(|r| r.status()).ok(), Some(status));
        }
    }
}
