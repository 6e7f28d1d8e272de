//! Exchange rates: the directory (`/api/v1/currency-rates`, with derivation by expression),
//! a client group's rates (`/api/v1/client-groups/{id}/currency-rates`) and a client's
//! personal rates (`/api/v1/clients/{id}/currency-rates`). Rates travel as decimal strings.

use super::clients::client_id;
use super::dto::page_of;
use super::values::CurrencyCode;
use crate::guard::{AppExt, Caller};
use crate::json::{ApiJson, ApiQuery};
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use bursar_app::history::Paged;
use bursar_app::ports::{RateOwner, RateRecord};
use bursar_app::rates::{RateFilterParams, RateInput, amount_text};
use bursar_app::{App, Principal};
use bursar_domain::functions::f;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct RateDto {
    #[schema(format = Uuid)]
    pub id: String,
    /// The currency the rate is in.
    #[schema(value_type = CurrencyCode)]
    pub base: String,
    /// The converted currency: `units` of it are worth `rate` of `base`.
    #[schema(value_type = CurrencyCode)]
    pub currency: String,
    /// A decimal string such as `92.5`.
    #[schema(example = "92.5")]
    pub rate: String,
    pub units: i64,
    #[schema(value_type = String, format = Date)]
    pub valid_from: String,
    /// Directory rates: the rate this one was derived from (null when entered by hand, or
    /// when the source was deleted).
    #[schema(format = Uuid)]
    pub source_id: Option<String>,
    /// Directory rates: the expression applied to the source (`*1.05`).
    pub expression: Option<String>,
    /// Personal rates: how much of the base currency one document may convert at this rate
    /// (a decimal string); null for no limit.
    pub amount: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: jiff::Timestamp,
}

impl From<RateRecord> for RateDto {
    fn from(r: RateRecord) -> Self {
        RateDto {
            id: r.id.to_string(),
            amount: amount_text(&r),
            base: r.base_code,
            currency: r.currency_code,
            rate: r.rate.to_string(),
            units: r.units,
            valid_from: r.valid_from.to_string(),
            source_id: r.source_id.map(|s| s.to_string()),
            expression: r.expression,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RatePage {
    pub items: Vec<RateDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

impl From<Paged<RateRecord>> for RatePage {
    fn from(p: Paged<RateRecord>) -> Self {
        RatePage {
            items: p.items.into_iter().map(Into::into).collect(),
            page: p.page,
            per_page: p.per_page,
            total: p.total,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RateQuery {
    /// Only rates in this base currency.
    #[param(value_type = Option<CurrencyCode>)]
    pub base: Option<String>,
    /// Only rates of this converted currency (with `base`: the pair's rates over time).
    #[param(value_type = Option<CurrencyCode>)]
    pub currency: Option<String>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 4294967295_i64)]
    pub page: Option<i64>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// A new directory rate: a `rate` entered by hand, or a `source_id` and an `expression`
/// that derive it (base, currency and units then default to the source's).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRateBody {
    #[schema(value_type = Option<CurrencyCode>)]
    pub base: Option<String>,
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<String>,
    /// More than zero, at most 8 decimal places; excludes `source_id` and `expression`.
    #[schema(example = "92.5", pattern = r"^[0-9]+(\.[0-9]{1,8})?$")]
    pub rate: Option<String>,
    /// How many units of `currency` the rate is for (default 1).
    #[schema(minimum = 1, maximum = 1000000)]
    pub units: Option<i64>,
    #[schema(value_type = String, format = Date)]
    pub valid_from: String,
    /// A directory rate to derive this one from.
    #[schema(format = Uuid)]
    pub source_id: Option<String>,
    /// An operator and a number applied to the source's rate.
    #[schema(example = "*1.05", pattern = r"^[*/+-] *[0-9]+(\.[0-9]+)?$")]
    pub expression: Option<String>,
}

/// Changes to a directory rate; absent fields stay. A `rate` makes it a hand-entered rate;
/// a `source_id` or `expression` derives it again.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatePatchBody {
    #[schema(value_type = Option<CurrencyCode>)]
    pub base: Option<String>,
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<String>,
    #[schema(example = "92.5", pattern = r"^[0-9]+(\.[0-9]{1,8})?$")]
    pub rate: Option<String>,
    #[schema(minimum = 1, maximum = 1000000)]
    pub units: Option<i64>,
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_from: Option<String>,
    #[schema(format = Uuid)]
    pub source_id: Option<String>,
    #[schema(example = "*1.05", pattern = r"^[*/+-] *[0-9]+(\.[0-9]+)?$")]
    pub expression: Option<String>,
}

/// A new rate of a client group or a client: `units` of `currency` are worth `rate` of
/// `base` from `valid_from`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOwnRateBody {
    #[schema(value_type = CurrencyCode)]
    pub base: String,
    #[schema(value_type = CurrencyCode)]
    pub currency: String,
    #[schema(example = "92.5", pattern = r"^[0-9]+(\.[0-9]{1,8})?$")]
    pub rate: String,
    #[schema(minimum = 1, maximum = 1000000)]
    pub units: Option<i64>,
    #[schema(value_type = String, format = Date)]
    pub valid_from: String,
    /// Personal rates only: how much of the base currency one document may convert at this
    /// rate, a decimal such as `1000.00`; absent or empty for no limit.
    #[schema(example = "1000.00")]
    pub amount: Option<String>,
}

/// Changes to a client group's or a client's rate; absent fields stay.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnRatePatchBody {
    #[schema(value_type = Option<CurrencyCode>)]
    pub base: Option<String>,
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<String>,
    #[schema(example = "92.5", pattern = r"^[0-9]+(\.[0-9]{1,8})?$")]
    pub rate: Option<String>,
    #[schema(minimum = 1, maximum = 1000000)]
    pub units: Option<i64>,
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_from: Option<String>,
    /// Personal rates only; an empty string removes the limit.
    #[schema(example = "1000.00")]
    pub amount: Option<String>,
}

impl From<NewRateBody> for RateInput {
    fn from(b: NewRateBody) -> Self {
        RateInput {
            base: b.base,
            currency: b.currency,
            rate: b.rate,
            units: b.units.map(|u| u.to_string()),
            valid_from: Some(b.valid_from),
            source_id: b.source_id,
            expression: b.expression,
            amount: None,
        }
    }
}

impl From<RatePatchBody> for RateInput {
    fn from(b: RatePatchBody) -> Self {
        RateInput {
            base: b.base,
            currency: b.currency,
            rate: b.rate,
            units: b.units.map(|u| u.to_string()),
            valid_from: b.valid_from,
            source_id: b.source_id,
            expression: b.expression,
            amount: None,
        }
    }
}

impl From<NewOwnRateBody> for RateInput {
    fn from(b: NewOwnRateBody) -> Self {
        RateInput {
            base: Some(b.base),
            currency: Some(b.currency),
            rate: Some(b.rate),
            units: b.units.map(|u| u.to_string()),
            valid_from: Some(b.valid_from),
            amount: b.amount,
            ..RateInput::default()
        }
    }
}

impl From<OwnRatePatchBody> for RateInput {
    fn from(b: OwnRatePatchBody) -> Self {
        RateInput {
            base: b.base,
            currency: b.currency,
            rate: b.rate,
            units: b.units.map(|u| u.to_string()),
            valid_from: b.valid_from,
            amount: b.amount,
            ..RateInput::default()
        }
    }
}

fn uuid_of(raw: &str) -> Result<Uuid, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

/// The owner a path names: a client group (`GROUP`, by id) or a client (by id or number).
async fn owner_of<const GROUP: bool>(
    app: &App,
    who: &Principal,
    raw: &str,
) -> ApiResult<RateOwner> {
    Ok(if GROUP {
        RateOwner::Group(raw.parse().map_err(|_| Problem::not_found())?)
    } else {
        RateOwner::Client(client_id(app, who, raw).await?)
    })
}

async fn list_of(
    app: &App,
    who: &Principal,
    owner: RateOwner,
    q: RateQuery,
) -> ApiResult<Json<RatePage>> {
    let filter = RateFilterParams {
        base: q.base.as_deref(),
        currency: q.currency.as_deref(),
    };
    let page = page_of(q.page, q.per_page)?;
    Ok(Json(app.list_rates(who, owner, filter, page).await?.into()))
}

async fn create_in(
    app: &App,
    who: &Principal,
    owner: RateOwner,
    input: RateInput,
) -> ApiResult<(StatusCode, Json<RateDto>)> {
    let r = app.save_rate(who, owner, None, input).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

// ---- the directory ----

pub async fn list(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<RateQuery>,
) -> ApiResult<Json<RatePage>> {
    list_of(&app, &who, RateOwner::Directory, q).await
}

pub async fn create(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewRateBody>,
) -> ApiResult<(StatusCode, Json<RateDto>)> {
    create_in(&app, &who, RateOwner::Directory, b.into()).await
}

pub async fn show(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<RateDto>> {
    let r = app.rate(&who, RateOwner::Directory, uuid_of(&id)?).await?;
    Ok(Json(r.into()))
}

pub async fn update(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RatePatchBody>,
) -> ApiResult<Json<RateDto>> {
    let r = app
        .save_rate(&who, RateOwner::Directory, Some(uuid_of(&id)?), b.into())
        .await?;
    Ok(Json(r.into()))
}

pub async fn delete(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_rate(&who, RateOwner::Directory, uuid_of(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- a client group's and a client's own rates ----

pub async fn own_list<const GROUP: bool>(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(owner): Path<String>,
    ApiQuery(q): ApiQuery<RateQuery>,
) -> ApiResult<Json<RatePage>> {
    let owner = owner_of::<GROUP>(&app, &who, &owner).await?;
    list_of(&app, &who, owner, q).await
}

pub async fn own_create<const GROUP: bool>(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(owner): Path<String>,
    ApiJson(b): ApiJson<NewOwnRateBody>,
) -> ApiResult<(StatusCode, Json<RateDto>)> {
    let owner = owner_of::<GROUP>(&app, &who, &owner).await?;
    create_in(&app, &who, owner, b.into()).await
}

pub async fn own_update<const GROUP: bool>(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((owner, id)): Path<(String, String)>,
    ApiJson(b): ApiJson<OwnRatePatchBody>,
) -> ApiResult<Json<RateDto>> {
    let owner = owner_of::<GROUP>(&app, &who, &owner).await?;
    let r = app
        .save_rate(&who, owner, Some(uuid_of(&id)?), b.into())
        .await?;
    Ok(Json(r.into()))
}

pub async fn own_delete<const GROUP: bool>(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((owner, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let owner = owner_of::<GROUP>(&app, &who, &owner).await?;
    app.delete_rate(&who, owner, uuid_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

const INVALID: &str = "A field was refused: a rate that is not a positive number (`out_of_range`, \
    `not_a_number`, `too_many_decimals`), a currency that does not exist or is not enabled \
    (`invalid_currency`, `currency_disabled`), the base currency as the converted one \
    (`same_currency`), a bad date (`invalid_date`) or units (`out_of_range`)";
const EXISTS: &str = "The pair already has a rate on this day (`rate_exists`)";

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/currency-rates", f::RATE_VIEW,
        Doc::new("pricing", "The rates directory, newest first; with `base` and `currency`, one pair's rates over time")
            .query::<RateQuery>().returns::<RatePage>(200), list)
    .op(M::POST, "/api/v1/currency-rates", f::RATE_EDIT,
        Doc::new("pricing", "Add a directory rate, entered or derived from another by an expression")
            .body::<NewRateBody>().returns::<RateDto>(201)
            .invalid("A field was refused (see the rate fields), an unknown `source_id` (`invalid_id`) or a bad \
                      `expression` (`invalid_expression`)")
            .conflict(EXISTS), create)
    .op(M::GET, "/api/v1/currency-rates/{id}", f::RATE_VIEW,
        Doc::new("pricing", "A directory rate").returns::<RateDto>(200), show)
    .op(M::PATCH, "/api/v1/currency-rates/{id}", f::RATE_EDIT,
        Doc::new("pricing", "Edit a directory rate; rates derived from it are derived again")
            .body::<RatePatchBody>().returns::<RateDto>(200).invalid(INVALID).conflict(EXISTS), update)
    .op(M::DELETE, "/api/v1/currency-rates/{id}", f::RATE_EDIT,
        Doc::new("pricing", "Delete a directory rate (rates derived from it keep their value)").no_content(), delete)
    .op(M::GET, "/api/v1/client-groups/{id}/currency-rates", f::RATE_VIEW,
        Doc::new("pricing", "A client group's own rates, newest first").query::<RateQuery>().returns::<RatePage>(200),
        own_list::<true>)
    .op(M::POST, "/api/v1/client-groups/{id}/currency-rates", f::RATE_EDIT,
        Doc::new("pricing", "Add a client group's rate").body::<NewOwnRateBody>().returns::<RateDto>(201)
            .invalid(INVALID).conflict(EXISTS), own_create::<true>)
    .op(M::PATCH, "/api/v1/client-groups/{id}/currency-rates/{rate_id}", f::RATE_EDIT,
        Doc::new("pricing", "Edit a client group's rate").body::<OwnRatePatchBody>().returns::<RateDto>(200)
            .invalid(INVALID).conflict(EXISTS), own_update::<true>)
    .op(M::DELETE, "/api/v1/client-groups/{id}/currency-rates/{rate_id}", f::RATE_EDIT,
        Doc::new("pricing", "Delete a client group's rate").no_content(), own_delete::<true>)
    .op(M::GET, "/api/v1/clients/{id}/currency-rates", f::RATE_VIEW,
        Doc::new("pricing", "The client's personal rates, newest first").query::<RateQuery>().returns::<RatePage>(200),
        own_list::<false>)
    .op(M::POST, "/api/v1/clients/{id}/currency-rates", f::RATE_EDIT,
        Doc::new("pricing", "Add a personal rate for the client").body::<NewOwnRateBody>().returns::<RateDto>(201)
            .invalid(INVALID).conflict(EXISTS), own_create::<false>)
    .op(M::PATCH, "/api/v1/clients/{id}/currency-rates/{rate_id}", f::RATE_EDIT,
        Doc::new("pricing", "Edit a client's personal rate").body::<OwnRatePatchBody>().returns::<RateDto>(200)
            .invalid(INVALID).conflict(EXISTS), own_update::<false>)
    .op(M::DELETE, "/api/v1/clients/{id}/currency-rates/{rate_id}", f::RATE_EDIT,
        Doc::new("pricing", "Delete a client's personal rate").no_content(), own_delete::<false>)
}
