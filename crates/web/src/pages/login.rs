//! Signing in and out of a panel. The sign-in page is the one page every visitor can reach,
//! so it must work with nothing but a cookie-enabled browser: a plain form, protected by
//! the double-submit CSRF cookie this page sets, that keeps the typed login on failure.
//!
//! Both panels use the same session as the API. Whichever sign-in page a user used, they
//! land in their own panel: a client signing in at `/admin/login` is taken to `/client`.

use crate::ctx::Ctx;
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::panel::{Panel, landing};
use crate::render::{self, see_other, with_cookie};
use askama::Template;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use bursar_app::AppError;
use bursar_app::auth::LoginInput;
use bursar_domain::ErrorCode;
use bursar_domain::Locale;
use bursar_domain::functions::f;
use bursar_http::cookies;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    ui: Ui,
    action: &'static str,
    heading: String,
    intro: String,
    login: String,
    next: String,
    error: Option<String>,
    /// A success message ("registered, now sign in").
    notice: Option<String>,
    other_text: String,
    other_href: &'static str,
    other_link: String,
    forgot_href: String,
    /// The language chosen on this page (`?lang=`), sent with the form to be saved.
    lang: Option<&'static str>,
}

/// The language the visitor chose on the sign-in page, when it is the page's language.
fn chosen(ctx: &Ctx, value: &str) -> Option<Locale> {
    value
        .parse::<Locale>()
        .ok()
        .filter(|l| *l == ctx.tr.locale())
}

fn render(
    ctx: &Ctx,
    status: StatusCode,
    login: &str,
    next: &str,
    error: Option<String>,
    notice: Option<String>,
    lang: Option<Locale>,
) -> Response {
    let (title, intro, other, other_text, other_link) = match ctx.panel {
        Panel::Admin => (
            "login-title-admin",
            "login-intro-admin",
            Panel::Client,
            "login-other-admin",
            "login-other-admin-link",
        ),
        Panel::Client => (
            "login-title-client",
            "login-intro-client",
            Panel::Admin,
            "login-other-client",
            "login-other-client-link",
        ),
    };
    let page = LoginPage {
        ui: Ui::new(ctx, title),
        action: ctx.panel.login(),
        heading: ctx.tr.t(title),
        intro: ctx.tr.t(intro),
        login: login.to_owned(),
        next: next.to_owned(),
        error,
        notice,
        other_text: ctx.tr.t(other_text),
        other_href: other.login(),
        other_link: ctx.tr.t(other_link),
        forgot_href: format!("{}/forgot-password", ctx.panel.base()),
        lang: lang.map(Locale::code),
    };
    render::page(ctx, status, &page)
}

/// `GET /admin/login`, `GET /client/login`. A signed-in visitor goes straight on.
pub async fn show(ctx: Ctx, params: Params) -> Response {
    let next = params.get("next");
    match &ctx.principal {
        Some(who) => see_other(&landing(who, Some(next))),
        None => {
            let notice = if params.flag("reset") {
                Some(ctx.tr.t("pwreset-done"))
            } else {
                params.flag("registered").then(|| ctx.tr.t("register-done"))
            };
            let lang = chosen(&ctx, params.get("lang"));
            render(&ctx, StatusCode::OK, "", next, None, notice, lang)
        }
    }
}

/// `POST /admin/login`, `POST /client/login`.
pub async fn submit(ctx: Ctx, form: Fields) -> Response {
    let input = LoginInput {
        ident: form.get("login").to_owned(),
        password: form.get("password").to_owned(),
        ip: ctx.ip.clone(),
        user_agent: ctx.user_agent.clone(),
        replaces: ctx.session_cookie.clone(),
    };
    let (login, next) = (form.get("login"), form.get("next"));
    let lang = chosen(&ctx, form.get("lang"));
    match ctx.app.login(input).await {
        Ok(outcome) => {
            // A language chosen on the sign-in page wins over the saved one, and is saved.
            if let Some(locale) = lang
                && locale != outcome.principal.user.locale
                && outcome.principal.may(f::PROFILE_LANGUAGE)
                && let Err(e) = ctx.app.set_locale(&outcome.principal, locale).await
            {
                tracing::warn!(error = %e, "the language chosen at sign-in was not saved");
            }
            let cookie = cookies::set(
                cookies::SESSION,
                &outcome.secret,
                None,
                ctx.cfg.secure_cookies,
            );
            with_cookie(see_other(&landing(&outcome.principal, Some(next))), &cookie)
        }
        Err(AppError::BadCredentials) => {
            let text = ctx.tr.error(ErrorCode::InvalidCredentials);
            render(
                &ctx,
                StatusCode::UNAUTHORIZED,
                login,
                next,
                Some(text),
                None,
                lang,
            )
        }
        Err(AppError::AccountDisabled) => {
            let text = ctx.tr.error(ErrorCode::AccountDisabled);
            render(
                &ctx,
                StatusCode::FORBIDDEN,
                login,
                next,
                Some(text),
                None,
                lang,
            )
        }
        Err(AppError::RateLimited { retry_after_secs }) => {
            let text = ctx.tr.t1(
                &ErrorCode::RateLimited.message_id(),
                "seconds",
                retry_after_secs,
            );
            let mut res = render(
                &ctx,
                StatusCode::TOO_MANY_REQUESTS,
                login,
                next,
                Some(text),
                None,
                lang,
            );
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                res.headers_mut().insert(RETRY_AFTER, v);
            }
            res
        }
        Err(e) => error::fail(&ctx, e),
    }
}

/// `POST /admin/logout`, `POST /client/logout`: ends the session and forgets the cookie.
pub async fn logout(ctx: Ctx) -> Response {
    if ctx
        .principal
        .as_ref()
        .is_some_and(|p| p.impersonator.is_some())
    {
        // Signing out while working as a client ends that work and returns to the staff
        // panel, where the employee's own session goes on.
        return crate::pages::clients::impersonation::end(ctx).await;
    }
    let Some(who) = &ctx.principal else {
        return see_other(ctx.panel.login());
    };
    if let Err(e) = ctx.app.logout(who).await {
        return error::fail(&ctx, e);
    }
    let secure = ctx.cfg.secure_cookies;
    let cookie = cookies::set(cookies::SESSION, "", Some(0), secure);
    let res = with_cookie(see_other(Panel::of_kind(who.kind()).login()), &cookie);
    // The employee's sessions as clients end with theirs (the use case revoked them).
    with_cookie(
        res,
        &crate::pages::clients::impersonation::forget_client_session(secure),
    )
}
