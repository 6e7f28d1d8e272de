//! The `/api/v1` JSON API. Handlers extract, call one use case, and render a DTO; the DTOs
//! (with their OpenAPI schemas) live next to the handlers that use them.

mod auth;
pub mod catalog;
pub mod client_accounts;
pub mod client_groups;
mod client_holdings;
pub mod clients;
pub mod departments;
pub mod directory;
mod dto;
mod history;
mod marketing;
mod me;
pub mod money;
pub mod money_dto;
mod permissions_dto;
mod quotes;
pub mod rates;
pub mod staff;
mod system;
pub mod taxes;
mod tokens;
pub mod values;

use crate::docs;
use crate::guard::{Guarded, Surface, api_rejecter};
use crate::openapi::Doc;
use axum::http::Method;
use bursar_app::App;
use bursar_domain::functions::f;

pub use dto::*;
pub use permissions_dto::*;

/// Settings the HTTP layer needs from the server's configuration.
#[derive(Clone, Debug, Default)]
pub struct HttpConfig {
    /// Mark cookies `Secure` (serve over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
}

/// Every API route, health probe and API document route.
pub fn routes(app: App) -> Guarded {
    use Method as M;
    let g = Guarded::new(app, Surface::Api, api_rejecter())
        .route(M::GET, "/healthz", f::SYSTEM_HEALTH, system::healthz)
        .route(M::GET, "/readyz", f::SYSTEM_HEALTH, system::readyz)
        .route(
            M::GET,
            "/api/openapi.json",
            f::SYSTEM_API_DOCS,
            docs::openapi_json,
        )
        .route(M::GET, "/api/docs", f::SYSTEM_API_DOCS, docs::docs_page)
        .route(
            M::GET,
            "/api/docs/swagger-ui.css",
            f::SYSTEM_API_DOCS,
            docs::swagger_css,
        )
        .route(
            M::GET,
            "/api/docs/swagger-ui-bundle.js",
            f::SYSTEM_API_DOCS,
            docs::swagger_js,
        )
        .route(
            M::GET,
            "/api/docs/init.js",
            f::SYSTEM_API_DOCS,
            docs::swagger_init,
        )
        .op(
            M::POST,
            "/api/v1/auth/login",
            f::AUTH_LOGIN,
            Doc::new("auth", "Sign in with login (or e-mail) and password")
                .body::<LoginBody>()
                .returns::<LoginAnswer>(200)
                .refuses(401, "Wrong login or password (`invalid_credentials`)")
                .refuses(403, "The account is disabled (`account_disabled`)")
                .refuses(
                    429,
                    "Too many failed sign-ins for this login or address (`rate_limited`); \
                     `Retry-After` says when to retry",
                ),
            auth::login,
        )
        .op(
            M::POST,
            "/api/v1/auth/password-reset",
            f::AUTH_PASSWORD_RESET,
            Doc::new(
                "auth",
                "Send a link to choose a new password to the account's e-mail (the answer is \
                 the same whether or not the account exists)",
            )
            .body::<auth::PasswordResetBody>()
            .no_content()
            .refuses(
                429,
                "Too many requests from this address (`rate_limited`); `Retry-After` says \
                 when to retry",
            ),
            auth::request_password_reset,
        )
        .op(
            M::POST,
            "/api/v1/auth/password-reset/confirm",
            f::AUTH_PASSWORD_RESET,
            Doc::new(
                "auth",
                "Set a new password with the link's token; every session of the account ends",
            )
            .body::<auth::NewPasswordBody>()
            .no_content(),
            auth::reset_password,
        )
        .op(
            M::POST,
            "/api/v1/auth/logout",
            f::AUTH_LOGOUT,
            Doc::new("auth", "End the current session").no_content(),
            auth::logout,
        )
        .op(
            M::GET,
            "/api/v1/me",
            f::PROFILE_VIEW,
            Doc::new(
                "profile",
                "The signed-in user and their effective functions",
            )
            .returns::<MeDto>(200),
            me::show,
        )
        .op(
            M::PATCH,
            "/api/v1/me",
            f::PROFILE_LANGUAGE,
            Doc::new("profile", "Change own settings (interface language)")
                .body::<PatchMeBody>()
                .returns::<MeDto>(200),
            me::patch,
        )
        .op(
            M::POST,
            "/api/v1/me/password",
            f::PROFILE_PASSWORD,
            Doc::new("profile", "Change own password; other sessions end")
                .body::<PasswordBody>()
                .no_content(),
            me::change_password,
        )
        .op(
            M::GET,
            "/api/v1/me/history",
            f::PROFILE_HISTORY,
            Doc::new("profile", "History of own account")
                .query::<PageQuery>()
                .returns::<HistoryPage>(200),
            history::mine,
        )
        .op(
            M::GET,
            "/api/v1/me/tokens",
            f::PROFILE_TOKENS,
            Doc::new("profile", "Own API tokens").returns::<TokenList>(200),
            tokens::list,
        )
        .op(
            M::POST,
            "/api/v1/me/tokens",
            f::PROFILE_TOKENS,
            Doc::new("profile", "Issue an API token (the secret is shown once)")
                .body::<CreateTokenBody>()
                .returns::<IssuedTokenDto>(201),
            tokens::create,
        )
        .op(
            M::DELETE,
            "/api/v1/me/tokens/{id}",
            f::PROFILE_TOKENS,
            Doc::new("profile", "Revoke an own API token").no_content(),
            tokens::revoke,
        )
        .op(
            M::GET,
            "/api/v1/functions",
            f::SYSTEM_FUNCTIONS,
            Doc::new(
                "permissions",
                "The function registry: sections and functions",
            )
            .returns::<FunctionTree>(200),
            me::functions,
        )
        .op(
            M::GET,
            "/api/v1/history",
            f::HISTORY_VIEW,
            Doc::new("history", "History of all records, newest first")
                .query::<HistoryQuery>()
                .returns::<HistoryPage>(200)
                .invalid("`client_id` or `actor_user_id` is not a valid id, or no client has the number in `client_id` (`unknown_client`)"),
            history::list,
        );
    let g = departments::routes(g);
    let g = staff::routes(g);
    let g = directory::routes(g);
    let g = clients::routes(g);
    let g = client_accounts::routes(g);
    let g = client_holdings::routes(g);
    let g = money::routes(g);
    let g = catalog::routes(g);
    let g = quotes::routes(g);
    let g = marketing::routes(g);
    let g = taxes::routes(g);
    let g = rates::routes(g);
    client_groups::routes(g)
}
