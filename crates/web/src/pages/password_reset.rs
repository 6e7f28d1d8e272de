//! "Forgot your password?" in both panels: ask for a link by login or e-mail, then choose a
//! new password on the page the link opens. Plain forms for visitors who are not signed in,
//! protected like the sign-in form by the double-submit CSRF cookie.

use crate::ctx::Ctx;
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use crate::view::Errors;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::AppError;
use bursar_app::password_reset::NewPasswordByLink;
use bursar_domain::ErrorCode;

#[derive(Template)]
#[template(path = "forgot_password.html")]
struct ForgotPage {
    ui: Ui,
    action: String,
    login_href: &'static str,
    login: String,
    sent: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "reset_password.html")]
struct ResetPage {
    ui: Ui,
    action: String,
    forgot_href: String,
    token: String,
    /// The link cannot be used: say so and offer a new one instead of the form.
    dead_link: bool,
    errors: Errors,
}

fn forgot_page(
    ctx: &Ctx,
    status: StatusCode,
    login: &str,
    sent: bool,
    error: Option<String>,
) -> Response {
    let page = ForgotPage {
        ui: Ui::new(ctx, "pwreset-title"),
        action: format!("{}/forgot-password", ctx.panel.base()),
        login_href: ctx.panel.login(),
        login: login.to_owned(),
        sent,
        error,
    };
    render::page(ctx, status, &page)
}

fn reset_page(ctx: &Ctx, status: StatusCode, token: &str, errors: Errors) -> Response {
    let page = ResetPage {
        ui: Ui::new(ctx, "pwreset-new-title"),
        action: format!("{}/reset-password", ctx.panel.base()),
        forgot_href: format!("{}/forgot-password", ctx.panel.base()),
        token: token.to_owned(),
        dead_link: errors.has("token") || token.is_empty(),
        errors,
    };
    render::page(ctx, status, &page)
}

/// `GET /admin/forgot-password`, `GET /client/forgot-password`.
pub async fn forgot(ctx: Ctx) -> Response {
    forgot_page(&ctx, StatusCode::OK, "", false, None)
}

/// `POST …/forgot-password`: the same answer whether or not the account exists.
pub async fn request_link(ctx: Ctx, form: Fields) -> Response {
    let login = form.get("login");
    match ctx
        .app
        .request_password_reset(login, ctx.ip.clone(), ctx.principal.as_ref())
        .await
    {
        Ok(()) => forgot_page(&ctx, StatusCode::OK, login, true, None),
        Err(AppError::Invalid(_)) => {
            let text = ctx.tr.error(ErrorCode::Required);
            forgot_page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                login,
                false,
                Some(text),
            )
        }
        Err(e) => error::fail(&ctx, e),
    }
}

/// `GET …/reset-password?token=…`: the page the mailed link opens.
pub async fn choose(ctx: Ctx, params: Params) -> Response {
    let token = params.get("token");
    match ctx.app.reset_link_is_usable(token).await {
        Ok(true) => reset_page(&ctx, StatusCode::OK, token, Errors::default()),
        Ok(false) => {
            let mut errors = Errors::default();
            errors.push("token", ctx.tr.t("error-reset-link-invalid"));
            reset_page(&ctx, StatusCode::OK, token, errors)
        }
        Err(e) => error::fail(&ctx, e),
    }
}

/// `POST …/reset-password`: sets the password, then sends to the sign-in page.
pub async fn set_password(ctx: Ctx, form: Fields) -> Response {
    let token = form.get("token");
    let input = NewPasswordByLink {
        token: token.to_owned(),
        password: form.get("password").to_owned(),
        confirmation: form.get("password_confirmation").to_owned(),
        ip: ctx.ip.clone(),
    };
    match ctx
        .app
        .reset_password_by_link(input, ctx.principal.as_ref())
        .await
    {
        Ok(()) => see_other(&format!("{}?reset=1", ctx.panel.login())),
        Err(AppError::Invalid(invalid)) => {
            let errors = Errors::from_invalid(ctx.tr, &invalid);
            reset_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, token, errors)
        }
        Err(e) => error::fail(&ctx, e),
    }
}
