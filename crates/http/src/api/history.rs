//! History of records.

use super::{HistoryPage, HistoryQuery, PageQuery};
use crate::guard::{AppExt, Caller};
use crate::json::ApiQuery;
use crate::problem::ApiResult;
use axum::Extension;
use axum::Json;
use bursar_app::AppError;
use bursar_app::ports::{HistoryFilter, Page};
use std::str::FromStr;

fn id_param<T: FromStr>(field: &str, raw: Option<String>) -> Result<Option<T>, AppError> {
    raw.map(|v| {
        v.parse()
            .map_err(|_| AppError::invalid(field, "invalid_id", "is not a valid id"))
    })
    .transpose()
}

pub async fn list(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<Json<HistoryPage>> {
    let filter = HistoryFilter {
        object_kind: q.object_kind,
        object_id: q.object_id,
        client_id: id_param("client_id", q.client_id)?,
        actor_user_id: id_param("actor_user_id", q.actor_user_id)?,
        involving_user: None,
    };
    let page = app
        .list_history(&who, filter, Page::new(q.page, q.per_page))
        .await?;
    Ok(Json(page.into()))
}

pub async fn mine(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<HistoryPage>> {
    let page = app.my_history(&who, Page::new(q.page, q.per_page)).await?;
    Ok(Json(page.into()))
}
