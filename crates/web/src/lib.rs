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
        function: &'static str,
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
        function: &'static str,
        handler: H,
    ) -> Self {
        self.add(Method::GET, path, function, handler)
    }

    pub(crate) fn post<H: Handler<T, ()>, T: 'static>(
        self,
        path: &'static str,
        function: &'static str,
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
    r.get("/", "ui.home", home::show)
        .get(assets::CSS_PATH, "system.assets", assets::css)
        .get(assets::HTMX_PATH, "system.assets", assets::htmx)
        .post("/language", "ui.language", language::switch)
        // Staff panel.
        .get("/admin/login", "auth.login", login::show)
        .post("/admin/login", "auth.login", login::submit)
        .post("/admin/logout", "auth.logout", login::logout)
        .get(
            "/admin/forgot-password",
            "auth.password_reset",
            password_reset::forgot,
        )
        .post(
            "/admin/forgot-password",
            "auth.password_reset",
            password_reset::request_link,
        )
        .get(
            "/admin/reset-password",
            "auth.password_reset",
            password_reset::choose,
        )
        .post(
            "/admin/reset-password",
            "auth.password_reset",
            password_reset::set_password,
        )
        .get("/admin", "dashboard.staff", dashboard::show)
        .get("/admin/history", "history.view", history::list)
        .get("/admin/profile", "profile.view", profile::show)
        .post(
            "/admin/profile/password",
            "profile.password",
            profile::change_password,
        )
        .get(
            "/admin/profile/history",
            "profile.history",
            profile::history,
        )
        .get("/admin/profile/tokens", "profile.tokens", tokens::list)
        .get(
            "/admin/profile/tokens/new",
            "profile.tokens",
            tokens::new_form,
        )
        .post("/admin/profile/tokens", "profile.tokens", tokens::create)
        .post(
            "/admin/profile/tokens/{id}/revoke",
            "profile.tokens",
            tokens::revoke,
        )
        .get("/admin/{*rest}", "ui.not_found", error::not_found)
        // Client area.
        .get("/client/login", "auth.login", login::show)
        .post("/client/login", "auth.login", login::submit)
        .post("/client/logout", "auth.logout", login::logout)
        .get(
            "/client/forgot-password",
            "auth.password_reset",
            password_reset::forgot,
        )
        .post(
            "/client/forgot-password",
            "auth.password_reset",
            password_reset::request_link,
        )
        .get(
            "/client/reset-password",
            "auth.password_reset",
            password_reset::choose,
        )
        .post(
            "/client/reset-password",
            "auth.password_reset",
            password_reset::set_password,
        )
        .get("/client", "dashboard.client", dashboard::show)
        .get("/client/profile", "profile.view", profile::show)
        .post(
            "/client/profile/password",
            "profile.password",
            profile::change_password,
        )
        .get(
            "/client/profile/history",
            "profile.history",
            profile::history,
        )
        .get("/client/profile/tokens", "profile.tokens", tokens::list)
        .get(
            "/client/profile/tokens/new",
            "profile.tokens",
            tokens::new_form,
        )
        .post("/client/profile/tokens", "profile.tokens", tokens::create)
        .post(
            "/client/profile/tokens/{id}/revoke",
            "profile.tokens",
            tokens::revoke,
        )
        .get("/client/{*rest}", "ui.not_found", error::not_found)
        .guarded
}
