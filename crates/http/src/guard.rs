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
//! surface's choice, given as a [`Rejecter`].

use crate::cookies;
use crate::multipart;
use crate::openapi::Doc;
use crate::problem::Problem;
use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, Router, on};
use bursar_app::{App, AppError, Principal, Via};
use bursar_domain::access::Audience;
use bursar_domain::functions::{self, Function};
use std::net::SocketAddr;
use std::sync::Arc;

pub const FUNCTION_HEADER: HeaderName = HeaderName::from_static("x-bursar-function");
pub const CSRF_HEADER: HeaderName = HeaderName::from_static("x-csrf-token");
/// Forms are small; the guard reads at most this much of a form body to find `_csrf`.
const FORM_LIMIT: usize = 256 * 1024;
/// The most the guard reads of a multipart upload form (the panel's avatar form) to find
/// `_csrf`; the use case applies its own, smaller limits to the file.
pub const UPLOAD_LIMIT: usize = 1024 * 1024;

/// Why the guard refused a request.
#[derive(Debug)]
pub enum Rejection {
    Unauthenticated,
    Forbidden(&'static str),
    Csrf,
    Error(AppError),
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
    pub function: &'static str,
    pub surface: Surface,
    /// The OpenAPI description; API routes have one, panel pages do not.
    pub doc: Option<Doc>,
}

#[derive(Clone)]
struct RouteGuard {
    function: Option<&'static Function>,
    key: &'static str,
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
        function: &'static str,
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
        function: &'static str,
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
        function: &'static str,
        doc: Option<Doc>,
        handler: H,
    ) -> Self
    where
        H: Handler<T, ()>,
        T: 'static,
    {
        let guard = RouteGuard {
            function: functions::find(function),
            key: function,
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
        Ok(body) => next.run(Request::from_parts(parts, body)).await,
        Err(rejection) => (g.reject)(rejection, &parts),
    };
    if let Ok(v) = HeaderValue::from_str(g.key) {
        res.headers_mut().insert(FUNCTION_HEADER, v);
    }
    res
}

async fn check(g: &RouteGuard, parts: &mut Parts, body: Body) -> Result<Body, Rejection> {
    let function = g.function.ok_or_else(|| {
        Rejection::Error(AppError::Internal(format!(
            "route declares unknown function {}",
            g.key
        )))
    })?;
    let principal = resolve(&g.app, parts).await.map_err(Rejection::Error)?;
    if function.audience != Audience::Public {
        let p = principal.as_ref().ok_or(Rejection::Unauthenticated)?;
        if !p.rights.allows(function) {
            return Err(Rejection::Forbidden(function.key));
        }
    }
    // A public API operation (sign-in) uses no authority of an existing session, and its
    // JSON body cannot be sent cross-site without CORS; everything else is checked.
    let exempt = g.surface == Surface::Api && function.audience == Audience::Public;
    let body = if is_state_changing(&parts.method) && !exempt {
        check_csrf(g.surface, parts, body, principal.as_ref()).await?
    } else {
        body
    };
    if let Some(p) = principal {
        parts.extensions.insert(p);
    }
    Ok(body)
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
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthenticated)?;
        return app.authenticate_token(token.trim(), ip).await.map(Some);
    }
    match cookies::read(&parts.headers, cookies::SESSION) {
        None => Ok(None),
        Some(secret) => match app.authenticate_session(&secret, ip).await {
            Ok(p) => Ok(Some(p)),
            Err(AppError::Unauthenticated) => Ok(None),
            Err(e) => Err(e),
        },
    }
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
    if let Some(sent) = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if same(sent, &expected) {
            Ok(body)
        } else {
            Err(Rejection::Csrf)
        };
    }
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (bytes, sent) = if content_type.starts_with("application/x-www-form-urlencoded") {
        let bytes = read_body(body, FORM_LIMIT, "the form is too large").await?;
        let sent = form_field(&bytes, "_csrf");
        (bytes, sent)
    } else if multipart::is_multipart(content_type) {
        let bytes = read_body(body, UPLOAD_LIMIT, "the upload is larger than 1 MB").await?;
        let sent = multipart::field(content_type, bytes.clone(), "_csrf")
            .await
            .and_then(|v| String::from_utf8(v.to_vec()).ok());
        (bytes, sent)
    } else {
        return Err(Rejection::Csrf);
    };
    let sent = sent.ok_or(Rejection::Csrf)?;
    if same(&sent, &expected) {
        Ok(Body::from(bytes))
    } else {
        Err(Rejection::Csrf)
    }
}

async fn read_body(body: Body, limit: usize, message: &str) -> Result<Bytes, Rejection> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Rejection::Error(AppError::invalid("body", "too_large", message)))
}

fn form_field(bytes: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    text.split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
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
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
