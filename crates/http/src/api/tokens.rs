//! The caller's own API tokens.

use super::{CreateTokenBody, IssuedTokenDto, TokenList};
use crate::guard::{AppExt, Caller};
use crate::json::ApiJson;
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use bursar_app::tokens::NewToken;
use bursar_domain::ApiTokenId;

pub async fn list(Extension(app): AppExt, Caller(who): Caller) -> ApiResult<Json<TokenList>> {
    let items = app
        .list_tokens(&who)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(TokenList { items }))
}

pub async fn create(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(body): ApiJson<CreateTokenBody>,
) -> ApiResult<(StatusCode, Json<IssuedTokenDto>)> {
    let input = NewToken {
        name: body.name,
        scope: body.scope,
        expires_in_days: body.expires_in_days,
    };
    let issued = app.create_token(&who, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedTokenDto {
            secret: issued.secret,
            token: issued.token.into(),
        }),
    ))
}

pub async fn revoke(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id: ApiTokenId = id.parse().map_err(|_| Problem::not_found())?;
    app.revoke_token(&who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
