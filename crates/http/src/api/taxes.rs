//! Tax rules (issue 11): the rules of providers and client groups, `/api/v1/tax-rules`, and
//! a client's special rules, `/api/v1/clients/{id}/tax-rules` (seed 004: dates typed in the
//! rule's time zone). The provider's tax settings are fields of `/api/v1/providers`.

use super::clients::client_id;
use super::values::CountryCode;
use crate::guard::{AppExt, Caller};
use crate::json::{ApiJson, ApiQuery};
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use bursar_app::ports::TaxRuleRecord;
use bursar_app::taxes::{RuleScope, TaxRuleInput, TaxRuleQuery, local_time};
use bursar_domain::functions::f;
use bursar_domain::money::format_minor;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

fn rule_id(raw: &str) -> Result<Uuid, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

#[derive(Serialize, ToSchema)]
pub struct TaxRuleDto {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub provider_id: String,
    /// Set on a client group's rule, which overrides the provider's.
    #[schema(format = Uuid)]
    pub group_id: Option<String>,
    /// Set on a client's special rule, which overrides the group's and the provider's.
    #[schema(format = Uuid)]
    pub client_id: Option<String>,
    /// `provider`, `group` or `client`.
    pub level: String,
    pub name: String,
    /// Percent with two decimals (`20.00`).
    pub rate: String,
    /// ISO 3166 alpha-2; none is any country.
    pub country: Option<String>,
    pub region: Option<String>,
    /// Product type ids; empty is any product.
    pub product_types: Vec<String>,
    /// The zone the local dates are in (`UTC` for provider and group rules).
    pub time_zone: String,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: jiff::Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ends_at: Option<jiff::Timestamp>,
    /// The start in the rule's zone, `YYYY-MM-DD hh:mm:ss`.
    pub starts_at_local: String,
    pub ends_at_local: Option<String>,
}

impl From<TaxRuleRecord> for TaxRuleDto {
    fn from(r: TaxRuleRecord) -> Self {
        TaxRuleDto {
            id: r.id.to_string(),
            provider_id: r.provider_id.to_string(),
            group_id: r.group_id.map(|g| g.to_string()),
            client_id: r.client_id.map(|c| c.to_string()),
            level: r.level().key().to_owned(),
            rate: format_minor(r.rate_bp, 2),
            product_types: r.product_types.iter().map(ToString::to_string).collect(),
            starts_at_local: local_time(r.starts_at, &r.time_zone),
            ends_at_local: r.ends_at.map(|t| local_time(t, &r.time_zone)),
            name: r.name,
            country: r.country,
            region: r.region,
            time_zone: r.time_zone,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaxRuleList {
    pub items: Vec<TaxRuleDto>,
}

/// A provider's rule, or a client group's (with `group_id`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTaxRuleBody {
    #[schema(format = Uuid)]
    pub provider_id: String,
    /// A client group's rule; it overrides the provider's for the group's clients.
    #[schema(format = Uuid)]
    pub group_id: Option<String>,
    /// Shown on expenses and invoices (`VAT`).
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Percent, 0 to 100, up to two decimals.
    #[schema(pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub rate: String,
    /// The payer's country; absent is any country.
    #[schema(value_type = Option<CountryCode>)]
    pub country: Option<String>,
    /// A region of the country (needs `country`); its rule is added to the country's.
    #[schema(max_length = 100)]
    pub region: Option<String>,
    /// Product type ids; absent or empty is any product.
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub product_types: Option<Vec<String>>,
    #[schema(format = DateTime)]
    pub starts_at: String,
    /// After the start; absent is open-ended.
    #[schema(format = DateTime)]
    pub ends_at: Option<String>,
}

/// Changes to a provider's or group's rule; absent fields stay, an empty text clears an
/// optional one (`group_id`, `country`, `region`, `ends_at`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRulePatchBody {
    #[schema(format = Uuid)]
    pub provider_id: Option<String>,
    pub group_id: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[schema(pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub rate: Option<String>,
    #[schema(max_length = 2)]
    pub country: Option<String>,
    #[schema(max_length = 100)]
    pub region: Option<String>,
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub product_types: Option<Vec<String>>,
    #[schema(format = DateTime)]
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
}

/// A client's special rule (seed 004): the dates are `YYYY-MM-DD hh:mm:ss` in `time_zone`
/// (an RFC 3339 instant is accepted too).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClientTaxRuleBody {
    #[schema(format = Uuid)]
    pub provider_id: String,
    /// Shown on expenses and invoices; absent is "Special rate".
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[schema(pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub rate: String,
    /// An IANA time zone such as `Europe/Moscow`.
    #[schema(min_length = 1, max_length = 64)]
    pub time_zone: String,
    #[schema(example = "2027-01-01 00:00:00")]
    pub starts_at: String,
    #[schema(example = "2027-12-31 23:59:59")]
    pub ends_at: Option<String>,
    /// "Apply to the selected product types"; absent or empty is any product.
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub product_types: Option<Vec<String>>,
}

/// Changes to a client's special rule; absent fields stay, an empty `ends_at` clears it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientTaxRulePatchBody {
    #[schema(format = Uuid)]
    pub provider_id: Option<String>,
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[schema(pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub rate: Option<String>,
    #[schema(min_length = 1, max_length = 64)]
    pub time_zone: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub product_types: Option<Vec<String>>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TaxRuleQueryParams {
    #[param(format = Uuid)]
    pub provider_id: Option<String>,
    #[param(format = Uuid)]
    pub group_id: Option<String>,
}

impl From<NewTaxRuleBody> for TaxRuleInput {
    fn from(b: NewTaxRuleBody) -> Self {
        TaxRuleInput {
            provider_id: Some(b.provider_id),
            group_id: b.group_id,
            name: Some(b.name),
            rate: Some(b.rate),
            country: b.country,
            region: b.region,
            product_types: b.product_types,
            time_zone: None,
            starts_at: Some(b.starts_at),
            ends_at: b.ends_at,
        }
    }
}

impl From<TaxRulePatchBody> for TaxRuleInput {
    fn from(b: TaxRulePatchBody) -> Self {
        TaxRuleInput {
            provider_id: b.provider_id,
            group_id: b.group_id,
            name: b.name,
            rate: b.rate,
            country: b.country,
            region: b.region,
            product_types: b.product_types,
            time_zone: None,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
        }
    }
}

impl From<NewClientTaxRuleBody> for TaxRuleInput {
    fn from(b: NewClientTaxRuleBody) -> Self {
        TaxRuleInput {
            provider_id: Some(b.provider_id),
            name: b.name,
            rate: Some(b.rate),
            product_types: b.product_types,
            time_zone: Some(b.time_zone),
            starts_at: Some(b.starts_at),
            ends_at: b.ends_at,
            ..TaxRuleInput::default()
        }
    }
}

impl From<ClientTaxRulePatchBody> for TaxRuleInput {
    fn from(b: ClientTaxRulePatchBody) -> Self {
        TaxRuleInput {
            provider_id: b.provider_id,
            name: b.name,
            rate: b.rate,
            product_types: b.product_types,
            time_zone: b.time_zone,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            ..TaxRuleInput::default()
        }
    }
}

fn list(rules: Vec<TaxRuleRecord>) -> Json<TaxRuleList> {
    Json(TaxRuleList {
        items: rules.into_iter().map(Into::into).collect(),
    })
}

pub async fn rules(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<TaxRuleQueryParams>,
) -> ApiResult<Json<TaxRuleList>> {
    let query = TaxRuleQuery {
        provider_id: q.provider_id,
        group_id: q.group_id,
    };
    Ok(list(app.tax_rules(&who, &query).await?))
}

pub async fn create_rule(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewTaxRuleBody>,
) -> ApiResult<(StatusCode, Json<TaxRuleDto>)> {
    let rule = app
        .save_tax_rule(&who, RuleScope::Shared, None, b.into())
        .await?;
    Ok((StatusCode::CREATED, Json(rule.into())))
}

pub async fn rule(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TaxRuleDto>> {
    let rule = app.tax_rule(&who, RuleScope::Shared, rule_id(&id)?).await?;
    Ok(Json(rule.into()))
}

pub async fn edit_rule(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TaxRulePatchBody>,
) -> ApiResult<Json<TaxRuleDto>> {
    let rule = app
        .save_tax_rule(&who, RuleScope::Shared, Some(rule_id(&id)?), b.into())
        .await?;
    Ok(Json(rule.into()))
}

pub async fn delete_rule(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_tax_rule(&who, RuleScope::Shared, rule_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn client_rules(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
) -> ApiResult<Json<TaxRuleList>> {
    let client = client_id(&app, &who, &c).await?;
    Ok(list(app.client_tax_rules(&who, client).await?))
}

pub async fn create_client_rule(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
    ApiJson(b): ApiJson<NewClientTaxRuleBody>,
) -> ApiResult<(StatusCode, Json<TaxRuleDto>)> {
    let client = client_id(&app, &who, &c).await?;
    let rule = app
        .save_tax_rule(&who, RuleScope::Client(client), None, b.into())
        .await?;
    Ok((StatusCode::CREATED, Json(rule.into())))
}

pub async fn edit_client_rule(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((c, id)): Path<(String, String)>,
    ApiJson(b): ApiJson<ClientTaxRulePatchBody>,
) -> ApiResult<Json<TaxRuleDto>> {
    let client = client_id(&app, &who, &c).await?;
    let rule = app
        .save_tax_rule(
            &who,
            RuleScope::Client(client),
            Some(rule_id(&id)?),
            b.into(),
        )
        .await?;
    Ok(Json(rule.into()))
}

pub async fn delete_client_rule(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((c, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let client = client_id(&app, &who, &c).await?;
    app.delete_tax_rule(&who, RuleScope::Client(client), rule_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

const BAD_INPUT: &str = "A field is refused: `out_of_range`, `too_many_decimals`, `not_a_number` \
     (rate), `invalid_country`, `required` (a region without its country), `unknown_provider`, \
     `unknown_group`, `unknown_product_type`, `unknown_time_zone`, `end_before_start`, or \
     `overlapping_rule` (another rule of the same level covers the same place and products at \
     that time)";

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/tax-rules", f::TAX_VIEW,
        Doc::new("taxes", "Tax rules of providers and client groups").query::<TaxRuleQueryParams>()
            .returns::<TaxRuleList>(200).invalid("A filter is not an id (`invalid_filter`)"), rules)
    .op(M::POST, "/api/v1/tax-rules", f::TAX_EDIT,
        Doc::new("taxes", "Add a provider's or a client group's tax rule").body::<NewTaxRuleBody>()
            .returns::<TaxRuleDto>(201).invalid(BAD_INPUT), create_rule)
    .op(M::GET, "/api/v1/tax-rules/{id}", f::TAX_VIEW,
        Doc::new("taxes", "A provider's or a client group's tax rule").returns::<TaxRuleDto>(200), rule)
    .op(M::PATCH, "/api/v1/tax-rules/{id}", f::TAX_EDIT,
        Doc::new("taxes", "Edit a tax rule").body::<TaxRulePatchBody>()
            .returns::<TaxRuleDto>(200).invalid(BAD_INPUT), edit_rule)
    .op(M::DELETE, "/api/v1/tax-rules/{id}", f::TAX_EDIT,
        Doc::new("taxes", "Delete a tax rule").no_content(), delete_rule)
    .op(M::GET, "/api/v1/clients/{id}/tax-rules", f::TAX_VIEW,
        Doc::new("taxes", "A client's special tax rules").returns::<TaxRuleList>(200), client_rules)
    .op(M::POST, "/api/v1/clients/{id}/tax-rules", f::TAX_EDIT,
        Doc::new("taxes", "Add a special tax rule for the client (it overrides the group's and the provider's)")
            .body::<NewClientTaxRuleBody>().returns::<TaxRuleDto>(201).invalid(BAD_INPUT), create_client_rule)
    .op(M::PATCH, "/api/v1/clients/{id}/tax-rules/{rule_id}", f::TAX_EDIT,
        Doc::new("taxes", "Edit a client's special tax rule").body::<ClientTaxRulePatchBody>()
            .returns::<TaxRuleDto>(200).invalid(BAD_INPUT), edit_client_rule)
    .op(M::DELETE, "/api/v1/clients/{id}/tax-rules/{rule_id}", f::TAX_EDIT,
        Doc::new("taxes", "Delete a client's special tax rule").no_content(), delete_client_rule)
}
