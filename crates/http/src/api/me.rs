//! The signed-in user's own account.

use super::{FunctionTree, MeDto, PasswordBody, PatchMeBody};
use crate::guard::{AppExt, Caller};
use crate::json::ApiJson;
use crate::problem::ApiResult;
use axum::Extension;
use axum::Json;
use axum::http::StatusCode;
use bursar_app::AppError;
use bursar_app::profile::PasswordChange;
use bursar_domain::ErrorCode;
use bursar_domain::Locale;

pub async fn show(Caller(who): Caller) -> Json<MeDto> {
    Json(MeDto::from(&who))
}

pub async fn patch(
    Extension(app): AppExt,
    Caller(mut who): Caller,
    ApiJson(body): ApiJson<PatchMeBody>,
) -> ApiResult<Json<MeDto>> {
    if let Some(code) = body.locale {
        let locale: Locale = code.parse().map_err(|()| {
            AppError::invalid(
                "locale",
                ErrorCode::UnsupportedLocale,
                "must be one of: en, ru",
            )
        })?;
        app.set_locale(&who, locale).await?;
        who.user.locale = locale;
    }
    Ok(Json(MeDto::from(&who)))
}

pub async fn change_password(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(body): ApiJson<PasswordBody>,
) -> ApiResult<StatusCode> {
    let change = PasswordChange {
        current: body.current_password,
        new: body.new_password,
        confirmation: body.password_confirmation,
    };
    app.change_password(&who, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn functions(Caller(who): Caller) -> Json<FunctionTree> {
    Json(FunctionTree::for_caller(&who))
}
