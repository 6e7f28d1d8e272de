//! Sign in and out, and reset a forgotten password.

use super::values::PasswordText;
use super::{HttpConfig, LoginAnswer, LoginBody, MeDto};
use crate::cookies;
use crate::guard::{AppExt, Caller, MaybeCaller, client_ip};
use crate::json::ApiJson;
use crate::problem::ApiResult;
use axum::Extension;
use axum::Json;
use axum::http::StatusCode;
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use bursar_app::auth::LoginInput;
use bursar_app::password_reset::NewPasswordByLink;
use serde::Deserialize;
use utoipa::ToSchema;

pub async fn login(
    Extension(app): AppExt,
    Extension(cfg): Extension<HttpConfig>,
    parts: Parts,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let input = LoginInput {
        ident: body.login,
        password: body.password,
        ip: client_ip(&parts),
        user_agent: parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        replaces: cookies::read(&parts.headers, cookies::SESSION),
    };
    let outcome = app.login(input).await?;
    let cookie = cookies::set(cookies::SESSION, &outcome.secret, None, cfg.secure_cookies);
    let answer = LoginAnswer {
        token: outcome.secret,
        user: MeDto::from(&outcome.principal),
    };
    Ok(([(SET_COOKIE, cookie)], Json(answer)).into_response())
}

pub async fn logout(
    Extension(app): AppExt,
    Extension(cfg): Extension<HttpConfig>,
    Caller(who): Caller,
) -> ApiResult<Response> {
    app.logout(&who).await?;
    let cookie = cookies::set(cookies::SESSION, "", Some(0), cfg.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetBody {
    /// Login or e-mail of the account.
    #[schema(min_length = 1)]
    pub login: String,
}

/// Asks for a reset link. The answer is the same whether or not the account exists.
pub async fn request_password_reset(
    Extension(app): AppExt,
    MaybeCaller(who): MaybeCaller,
    parts: Parts,
    ApiJson(body): ApiJson<PasswordResetBody>,
) -> ApiResult<StatusCode> {
    app.request_password_reset(&body.login, client_ip(&parts), who.as_ref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPasswordBody {
    /// The `token` of the link sent by e-mail.
    #[schema(min_length = 1)]
    pub token: String,
    #[schema(value_type = PasswordText)]
    pub password: String,
    /// The same as `password`.
    #[schema(format = Password)]
    pub password_confirmation: String,
}

/// Sets a new password with a link's token; every session of the account ends.
pub async fn reset_password(
    Extension(app): AppExt,
    MaybeCaller(who): MaybeCaller,
    parts: Parts,
    ApiJson(body): ApiJson<NewPasswordBody>,
) -> ApiResult<StatusCode> {
    let input = NewPasswordByLink {
        token: body.token,
        password: body.password,
        confirmation: body.password_confirmation,
        ip: client_ip(&parts),
    };
    app.reset_password_by_link(input, who.as_ref()).await?;
    Ok(StatusCode::NO_CONTENT)
}
