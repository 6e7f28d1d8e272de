//! Directories → Currencies, Provider → Providers and Companies.

use super::values::{CountryCode, CurrencyCode};
use crate::guard::{AppExt, Caller};
use crate::json::ApiJson;
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use bursar_app::directory::{CompanyInput, ProviderInput};
use bursar_app::ports::{CompanyRecord, CurrencyRecord, ProviderRecord};
use bursar_domain::functions::f;
use bursar_domain::{CompanyId, ProviderId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CurrencyDto {
    /// ISO 4217 code.
    pub code: String,
    pub name: String,
    /// Decimal places of the minor unit.
    pub minor_units: i64,
    pub is_active: bool,
}

impl From<CurrencyRecord> for CurrencyDto {
    fn from(c: CurrencyRecord) -> Self {
        CurrencyDto {
            code: c.code,
            name: c.name,
            minor_units: c.minor_units,
            is_active: c.is_active,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CurrencyList {
    pub items: Vec<CurrencyDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurrencyBody {
    pub is_active: bool,
}

/// A new provider.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProviderBody {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// The currency its clients' accounts are kept in.
    #[schema(value_type = CurrencyCode)]
    pub currency: String,
    /// "Enable login at registration" (default off: clients sign in with their e-mail).
    pub login_at_registration: Option<bool>,
    /// "Do not include tax into price": tax is added on top by the tax rules (default off:
    /// prices include tax, the same price for everyone). Needs `tax.edit`.
    pub tax_on_top: Option<bool>,
    /// "Show tax when a client adds funds" on the top-up's invoice. Needs `tax.edit`.
    pub show_tax_on_top_up: Option<bool>,
}

/// Changes to a provider; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderPatchBody {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Changes only while no client, service or document uses the provider.
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<String>,
    /// "Enable login at registration".
    pub login_at_registration: Option<bool>,
    /// Tax added on top by the rules (off: prices include tax). Needs `tax.edit`.
    pub tax_on_top: Option<bool>,
    /// Show the tax included in a top-up. Needs `tax.edit`.
    pub show_tax_on_top_up: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct ProviderDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub currency: String,
    pub login_at_registration: bool,
    pub tax_on_top: bool,
    pub show_tax_on_top_up: bool,
}

impl From<ProviderRecord> for ProviderDto {
    fn from(p: ProviderRecord) -> Self {
        ProviderDto {
            id: p.id.to_string(),
            name: p.name,
            currency: p.currency_code,
            login_at_registration: p.login_at_registration,
            tax_on_top: p.tax_on_top,
            show_tax_on_top_up: p.show_tax_on_top_up,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProviderList {
    pub items: Vec<ProviderDto>,
}

/// A new company.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCompanyBody {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(value_type = CountryCode)]
    pub country: String,
    /// Empty for none.
    #[schema(max_length = 50)]
    pub tax_number: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub address: String,
    /// Empty for none.
    #[schema(max_length = 2000)]
    pub bank_details: Option<String>,
    /// Ids of the providers the company serves.
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub providers: Option<Vec<String>>,
}

/// Changes to a company; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyPatchBody {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(value_type = Option<CountryCode>)]
    pub country: Option<String>,
    /// Empty clears it.
    #[schema(max_length = 50)]
    pub tax_number: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub address: Option<String>,
    /// Empty clears it.
    #[schema(max_length = 2000)]
    pub bank_details: Option<String>,
    /// Ids of the providers the company serves (replaces the set).
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub providers: Option<Vec<String>>,
}

#[derive(Serialize, ToSchema)]
pub struct CompanyDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub country: String,
    pub tax_number: Option<String>,
    pub address: String,
    pub bank_details: Option<String>,
    pub providers: Vec<String>,
}

impl From<CompanyRecord> for CompanyDto {
    fn from(c: CompanyRecord) -> Self {
        CompanyDto {
            id: c.id.to_string(),
            name: c.name,
            country: c.country.code().to_owned(),
            tax_number: c.tax_number,
            address: c.address,
            bank_details: c.bank_details,
            providers: c.providers.iter().map(ToString::to_string).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CompanyList {
    pub items: Vec<CompanyDto>,
}

impl From<NewProviderBody> for ProviderInput {
    fn from(b: NewProviderBody) -> Self {
        ProviderInput {
            name: Some(b.name),
            currency: Some(b.currency),
            login_at_registration: b.login_at_registration,
            tax_on_top: b.tax_on_top,
            show_tax_on_top_up: b.show_tax_on_top_up,
        }
    }
}

impl From<ProviderPatchBody> for ProviderInput {
    fn from(b: ProviderPatchBody) -> Self {
        ProviderInput {
            name: b.name,
            currency: b.currency,
            login_at_registration: b.login_at_registration,
            tax_on_top: b.tax_on_top,
            show_tax_on_top_up: b.show_tax_on_top_up,
        }
    }
}

impl From<NewCompanyBody> for CompanyInput {
    fn from(b: NewCompanyBody) -> Self {
        CompanyInput {
            name: Some(b.name),
            country: Some(b.country),
            tax_number: b.tax_number,
            address: Some(b.address),
            bank_details: b.bank_details,
            providers: b.providers,
        }
    }
}

impl From<CompanyPatchBody> for CompanyInput {
    fn from(b: CompanyPatchBody) -> Self {
        CompanyInput {
            name: b.name,
            country: b.country,
            tax_number: b.tax_number,
            address: b.address,
            bank_details: b.bank_details,
            providers: b.providers,
        }
    }
}

fn id<T: std::str::FromStr>(raw: &str) -> Result<T, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

pub async fn currencies(
    Extension(app): AppExt,
    Caller(who): Caller,
) -> ApiResult<Json<CurrencyList>> {
    Ok(Json(CurrencyList {
        items: app
            .list_currencies(&who)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}

pub async fn set_currency(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<CurrencyBody>,
) -> ApiResult<Json<CurrencyDto>> {
    Ok(Json(
        app.set_currency_active(&who, &code, b.is_active)
            .await?
            .into(),
    ))
}

pub async fn providers(
    Extension(app): AppExt,
    Caller(who): Caller,
) -> ApiResult<Json<ProviderList>> {
    Ok(Json(ProviderList {
        items: app
            .list_providers(&who)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}

pub async fn create_provider(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewProviderBody>,
) -> ApiResult<(StatusCode, Json<ProviderDto>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_provider(&who, b.into()).await?.into()),
    ))
}

pub async fn update_provider(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(p): Path<String>,
    ApiJson(b): ApiJson<ProviderPatchBody>,
) -> ApiResult<Json<ProviderDto>> {
    Ok(Json(
        app.update_provider(&who, id::<ProviderId>(&p)?, b.into())
            .await?
            .into(),
    ))
}

pub async fn delete_provider(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(p): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_provider(&who, id::<ProviderId>(&p)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn companies(
    Extension(app): AppExt,
    Caller(who): Caller,
) -> ApiResult<Json<CompanyList>> {
    Ok(Json(CompanyList {
        items: app
            .list_companies(&who)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}

pub async fn create_company(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewCompanyBody>,
) -> ApiResult<(StatusCode, Json<CompanyDto>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.save_company(&who, None, b.into()).await?.into()),
    ))
}

pub async fn update_company(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
    ApiJson(b): ApiJson<CompanyPatchBody>,
) -> ApiResult<Json<CompanyDto>> {
    Ok(Json(
        app.save_company(&who, Some(id::<CompanyId>(&c)?), b.into())
            .await?
            .into(),
    ))
}

pub async fn delete_company(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_company(&who, id::<CompanyId>(&c)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/currencies", f::CURRENCY_LIST,
        Doc::new("directory", "The ISO 4217 currency directory").returns::<CurrencyList>(200), currencies)
    .op(M::PATCH, "/api/v1/currencies/{code}", f::CURRENCY_EDIT,
        Doc::new("directory", "Enable or disable a currency").body::<CurrencyBody>().returns::<CurrencyDto>(200)
            .conflict("A provider bills in this currency (`currency_in_use`)"), set_currency)
    .op(M::GET, "/api/v1/providers", f::PROVIDER_LIST,
        Doc::new("directory", "Providers, each with its currency").returns::<ProviderList>(200), providers)
    .op(M::POST, "/api/v1/providers", f::PROVIDER_EDIT,
        Doc::new("directory", "Add a provider").body::<NewProviderBody>().returns::<ProviderDto>(201)
            .conflict("A provider with this name exists (`name_taken`)"), create_provider)
    .op(M::PATCH, "/api/v1/providers/{id}", f::PROVIDER_EDIT,
        Doc::new("directory", "Edit a provider").body::<ProviderPatchBody>().returns::<ProviderDto>(200)
            .conflict("A provider with this name exists (`name_taken`), or the currency cannot change while \
                       clients, services or documents use the provider (`provider_currency_locked`)"),
        update_provider)
    .op(M::DELETE, "/api/v1/providers/{id}", f::PROVIDER_EDIT,
        Doc::new("directory", "Delete an unused provider").no_content()
            .conflict("Clients, services or documents use the provider (`provider_in_use`)"), delete_provider)
    .op(M::GET, "/api/v1/companies", f::COMPANY_LIST,
        Doc::new("directory", "Companies (legal entities on accounting documents)").returns::<CompanyList>(200), companies)
    .op(M::POST, "/api/v1/companies", f::COMPANY_EDIT,
        Doc::new("directory", "Add a company").body::<NewCompanyBody>().returns::<CompanyDto>(201)
            .conflict("A company with this name exists (`name_taken`)"), create_company)
    .op(M::PATCH, "/api/v1/companies/{id}", f::COMPANY_EDIT,
        Doc::new("directory", "Edit a company").body::<CompanyPatchBody>().returns::<CompanyDto>(200)
            .conflict("A company with this name exists (`name_taken`)"), update_company)
    .op(M::DELETE, "/api/v1/companies/{id}", f::COMPANY_EDIT,
        Doc::new("directory", "Delete a company").no_content(), delete_company)
}
