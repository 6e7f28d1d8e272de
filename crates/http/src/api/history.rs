//! History of records.

use super::page_of;
use super::{HistoryPage, HistoryQuery, PageQuery};
use crate::guard::{AppExt, Caller};
use crate::json::ApiQuery;
use crate::problem::ApiResult;
use axum::Extension;
use axum::Json;
use bursar_app::ports::HistoryFilter;
use bursar_app::{App, AppError, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::{ClientId, ClientRef};
use std::str::FromStr;

fn id_param<T: FromStr>(field: &str, raw: Option<String>) -> Result<Option<T>, AppError> {
    raw.map(|v| {
        v.parse()
            .map_err(|_| AppError::invalid(field, ErrorCode::InvalidId, "is not a valid id"))
    })
    .transpose()
}

/// The `client_id` filter: a client's id or number. A number nobody has is refused (422
/// `unknown_client`) rather than matched against nothing, so a typo does not read as "no
/// history".
async fn client_param(
    app: &App,
    who: &Principal,
    raw: Option<String>,
) -> Result<Option<ClientId>, AppError> {
    let Some(named) = id_param::<ClientRef>("client_id", raw)? else {
        return Ok(None);
    };
    match app.resolve_client(who, named).await {
        Ok(id) => Ok(Some(id)),
        Err(AppError::NotFound { .. }) => Err(AppError::invalid(
            "client_id",
            ErrorCode::UnknownClient,
            "no client has this number",
        )),
        Err(e) => Err(e),
    }
}

pub async fn list(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<Json<HistoryPage>> {
    let filter = HistoryFilter {
        object_kind: q.object_kind,
        object_id: q.object_id,
        client_id: client_param(&app, &who, q.client_id).await?,
        actor_user_id: id_param("actor_user_id", q.actor_user_id)?,
        involving_user: None,
    };
    let page = app
        .list_history(&who, filter, page_of(q.page, q.per_page)?)
        .await?;
    Ok(Json(page.into()))
}

pub async fn mine(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<HistoryPage>> {
    let page = app.my_history(&who, page_of(q.page, q.per_page)?).await?;
    Ok(Json(page.into()))
}
