//! Bursar's HTTP plumbing and JSON API.
//!
//! * [`guard`]: the only way to add a route. Every route names a function of the registry;
//!   the guard authenticates the caller (session cookie or bearer token), checks the
//!   function, enforces CSRF on state-changing session requests, and stamps the response
//!   with the function it ran under so tests can prove no route is unguarded.
//! * [`nul`]: text holding U+0000 is refused at the edge, on every route.
//! * [`problem`]: errors as `application/problem+json` with stable codes.
//! * [`api`]: the `/api/v1` handlers, which only extract, call one use case, and render.
//! * [`openapi`]: the OpenAPI 3.1 document, generated from the same route declarations.
#![forbid(unsafe_code)]
// `Problem` is every handler's error; it is built only on the (cold) error path, so its size
// does not matter and boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod cookies;
pub mod docs;
pub mod guard;
pub mod json;
pub mod multipart;
pub mod nul;
pub mod openapi;
pub mod problem;
mod shape;

pub use guard::{Caller, Guarded, MaybeCaller, RouteDecl};
