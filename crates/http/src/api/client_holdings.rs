//! The client card's Services, read-only: what the catalog feature records about the client.

use super::clients::client_id;
use crate::guard::{AppExt, Caller};
use crate::problem::ApiResult;
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use bursar_app::client_holdings::ServiceLine;
use bursar_domain::functions::f;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ServiceDto {
    pub id: String,
    /// The provider's name.
    pub provider: String,
    /// `ordered`, `active`, `suspended`, `suspended_by_admin`, `suspended_for_abuse`,
    /// `in_progress`, `configuration_required` or `deleted`.
    pub status: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
}

impl From<ServiceLine> for ServiceDto {
    fn from(s: ServiceLine) -> Self {
        ServiceDto {
            id: s.id,
            provider: s.provider,
            status: s.status,
            created_at: s.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ServiceList {
    pub items: Vec<ServiceDto>,
}

pub async fn services(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ServiceList>> {
    let lines = app
        .client_services(&who, client_id(&app, &who, &id).await?)
        .await?;
    Ok(Json(ServiceList {
        items: lines.into_iter().map(Into::into).collect(),
    }))
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/clients/{id}/services", f::CLIENT_LIST,
        Doc::new("clients", "The client's services, newest first").returns::<ServiceList>(200), services)
}
