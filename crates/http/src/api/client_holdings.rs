//! The client card's Services and Personal accounts, read-only: what the catalog and money
//! features record about the client.

use super::clients::client_id;
use crate::guard::{AppExt, Caller};
use crate::problem::ApiResult;
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use bursar_app::client_holdings::{AccountLine, ServiceLine};
use bursar_domain::functions::f;
use bursar_domain::money::format_minor;
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

/// One personal account. Amounts are exact: integers of the currency's minor unit, with the
/// same as a decimal string for display.
#[derive(Serialize, ToSchema)]
pub struct AccountDto {
    pub provider_id: String,
    pub provider: String,
    /// ISO 4217 code.
    pub currency: String,
    pub paid_minor: i64,
    pub charged_minor: i64,
    /// Paid in minus charged.
    pub balance_minor: i64,
    /// `balance_minor` as a decimal, e.g. `"42.00"`.
    pub balance: String,
}

impl From<AccountLine> for AccountDto {
    fn from(a: AccountLine) -> Self {
        let balance_minor = a.balance_minor();
        AccountDto {
            provider_id: a.provider_id.to_string(),
            provider: a.provider,
            currency: a.currency_code,
            paid_minor: a.paid_minor,
            charged_minor: a.charged_minor,
            balance_minor,
            balance: format_minor(balance_minor, a.minor_units),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AccountList {
    pub items: Vec<AccountDto>,
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

pub async fn accounts(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AccountList>> {
    let lines = app
        .client_personal_accounts(&who, client_id(&app, &who, &id).await?)
        .await?;
    Ok(Json(AccountList {
        items: lines.into_iter().map(Into::into).collect(),
    }))
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/clients/{id}/services", f::CLIENT_LIST,
        Doc::new("clients", "The client's services, newest first").returns::<ServiceList>(200), services)
    .op(M::GET, "/api/v1/clients/{id}/accounts", f::CLIENT_LIST,
        Doc::new("clients", "The client's personal accounts: one per provider, with what was paid and charged")
            .returns::<AccountList>(200), accounts)
}
