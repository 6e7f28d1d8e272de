//! The server-rendered panels: the staff panel under `/admin` and the client area under
//! `/client`, in English and Russian, plus `/` and the language switch.
//!
//! Pages are askama templates over display models computed in Rust (`view`, `layout`), with
//! every string from the translation catalogue (`i18n`). Every route is declared through
//! `bursar_http::Guarded` with its registry function, so the guard has authenticated the
//! caller, refused those without the function and checked the form's CSRF token before a
//! handler runs; how a refusal looks in a browser is decided in `reject`. Handlers extract
//! a request context (`ctx`), call one use case of `bursar_app::App`, and render.
#![forbid(unsafe_code)]

mod assets;
mod ctx;
mod form;
mod i18n;
mod layout;
mod pages;
mod panel;
mod reject;
mod render;
mod url;
mod view;

use axum::handler::Handler;
use axum::http::Method;
use bursar_app::App;
use bursar_domain::functions::{Function, f};
use bursar_http::Guarded;
use bursar_http::guard::Surface;
use pages::{dashboard, error, history, home, language, login, password_reset, profile, tokens};

/// Settings the panels need from the server's configuration.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    pub secure_cookies: bool,
}

/// Declares routes with the configuration attached to each handler.
pub(crate) struct Routes {
    guarded: Guarded,
    cfg: WebConfig,
}

impl Routes {
    pub(crate) fn add<H, T>(
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
        let handler = handler.layer(ctx::config_layer(&self.cfg));
        Routes {
            guarded: self.guarded.route(method, path, function, handler),
            cfg: self.cfg,
        }
    }

    pub(crate) fn get<H: Handler<T, ()>, T: 'static>(
        self,
        path: &'static str,
        function: &'static Function,
        handler: H,
    ) -> Self {
        self.add(Method::GET, path, function, handler)
    }

    pub(crate) fn post<H: Handler<T, ()>, T: 'static>(
        self,
        path: &'static str,
        function: &'static Function,
        handler: H,
    ) -> Self {
        self.add(Method::POST, path, function, handler)
    }
}

/// Every panel route.
/// The panels' page for an address asked with a method it does not take (the router's
/// fallback calls it for panel paths).
pub use pages::error::method_not_allowed as method_not_allowed_page;

pub fn routes(app: App, cfg: WebConfig) -> Guarded {
    let r = Routes {
        guarded: Guarded::new(app, Surface::Panel, reject::rejecter()),
        cfg,
    };
    let r = pages::staff::routes(r);
    let r = pages::clients::routes(r);
    r.get("/", f::UI_HOME, home::show)
        .get(assets::CSS_PATH, f::SYSTEM_ASSETS, assets::css)
        .get(assets::HTMX_PATH, f::SYSTEM_ASSETS, assets::htmx)
        .get(assets::FAVICON_PATH, f::SYSTEM_ASSETS, assets::favicon)
        .post("/language", f::UI_LANGUAGE, language::switch)
        // Staff panel.
        .get("/admin/login", f::AUTH_LOGIN, login::show)
        .post("/admin/login", f::AUTH_LOGIN, login::submit)
        .post("/admin/logout", f::AUTH_LOGOUT, login::logout)
        .get(
            "/admin/forgot-password",
            f::AUTH_PASSWORD_RESET,
            password_reset::forgot,
        )
        .post(
            "/admin/forgot-password",
            f::AUTH_PASSWORD_RESET,
            password_reset::request_link,
        )
        .get(
            "/admin/reset-password",
            f::AUTH_PASSWORD_RESET,
            password_reset::choose,
        )
        .post(
            "/admin/reset-password",
            f::AUTH_PASSWORD_RESET,
            password_reset::set_password,
        )
        .get("/admin", f::DASHBOARD_STAFF, dashboard::show)
        .get("/admin/history", f::HISTORY_VIEW, history::list)
        .get("/admin/profile", f::PROFILE_VIEW, profile::show)
        .get(
            "/admin/profile/avatar",
            f::PROFILE_VIEW,
            pages::staff::employees::my_avatar,
        )
        .post(
            "/admin/profile/password",
            f::PROFILE_PASSWORD,
            profile::change_password,
        )
        .get(
            "/admin/profile/history",
            f::PROFILE_HISTORY,
            profile::history,
        )
        .get("/admin/profile/tokens", f::PROFILE_TOKENS, tokens::list)
        .get(
            "/admin/profile/tokens/new",
            f::PROFILE_TOKENS,
            tokens::new_form,
        )
        .post("/admin/profile/tokens", f::PROFILE_TOKENS, tokens::create)
        .post(
            "/admin/profile/tokens/{id}/revoke",
            f::PROFILE_TOKENS,
            tokens::revoke,
        )
        .get("/admin/{*rest}", f::UI_NOT_FOUND, error::not_found)
        // Client area.
        .get("/client/login", f::AUTH_LOGIN, login::show)
        .post("/client/login", f::AUTH_LOGIN, login::submit)
        .post("/client/logout", f::AUTH_LOGOUT, login::logout)
        .get(
            "/client/forgot-password",
            f::AUTH_PASSWORD_RESET,
            password_reset::forgot,
        )
        .post(
            "/client/forgot-password",
            f::AUTH_PASSWORD_RESET,
            password_reset::request_link,
        )
        .get(
            "/client/reset-password",
            f::AUTH_PASSWORD_RESET,
            password_reset::choose,
        )
        .post(
            "/client/reset-password",
            f::AUTH_PASSWORD_RESET,
            password_reset::set_password,
        )
        .get("/client", f::DASHBOARD_CLIENT, dashboard::show)
        .get("/client/profile", f::PROFILE_VIEW, profile::show)
        .post(
            "/client/profile/password",
            f::PROFILE_PASSWORD,
            profile::change_password,
        )
        .get(
            "/client/profile/history",
            f::PROFILE_HISTORY,
            profile::history,
        )
        .get("/client/profile/tokens", f::PROFILE_TOKENS, tokens::list)
        .get(
            "/client/profile/tokens/new",
            f::PROFILE_TOKENS,
            tokens::new_form,
        )
        .post("/client/profile/tokens", f::PROFILE_TOKENS, tokens::create)
        .post(
            "/client/profile/tokens/{id}/revoke",
            f::PROFILE_TOKENS,
            tokens::revoke,
        )
        .get("/client/{*rest}", f::UI_NOT_FOUND, error::not_found)
        .guarded
}
