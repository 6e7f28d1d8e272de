//! The catalog: enumerations, processing modules, product types with service parameters,
//! tariff plans with prices and add-ons, and the public price list.

use crate::guard::{AppExt, Caller};
use crate::json::{ApiJson, ApiQuery};
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bursar_app::catalog::enumerations::{EnumerationInput, ItemInput};
use bursar_app::catalog::modules::ModuleInput;
use bursar_app::catalog::price_list::ListedProvider;
use bursar_app::catalog::product_types::{ParamInput, ProductTypeInput};
use bursar_app::catalog::tariffs::{
    AddonInput, AddonPriceInput, PriceInput, TariffInput, TariffView,
};
use bursar_app::ports::{
    AddonRecord, CatalogId, EnumerationRecord, ModuleAnswer, ModuleRecord, ProductTypeRecord,
};
use bursar_domain::Locale;
use bursar_domain::functions::f;
use bursar_domain::money::format_minor;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn id_of(raw: &str) -> Result<CatalogId, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

// ---- enumerations ----

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct ItemDto {
    /// Lowercase letters, digits, `_`, `-`; unique in the enumeration.
    #[schema(pattern = "^[a-z][a-z0-9_-]{0,63}$")]
    pub value: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: String,
}

#[derive(Serialize, ToSchema)]
pub struct EnumerationDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub name_en: String,
    pub name_ru: String,
    pub items: Vec<ItemDto>,
}

impl From<EnumerationRecord> for EnumerationDto {
    fn from(e: EnumerationRecord) -> Self {
        EnumerationDto {
            id: e.id.to_string(),
            name_en: e.name_en,
            name_ru: e.name_ru,
            items: e
                .items
                .into_iter()
                .map(|i| ItemDto {
                    value: i.value,
                    name_en: i.name_en,
                    name_ru: i.name_ru,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EnumerationList {
    pub items: Vec<EnumerationDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnumerationBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: String,
    #[schema(min_items = 1)]
    pub items: Vec<ItemDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumerationPatchBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: Option<String>,
    /// Replaces the items.
    #[schema(min_items = 1)]
    pub items: Option<Vec<ItemDto>>,
}

fn items(list: Option<Vec<ItemDto>>) -> Option<Vec<ItemInput>> {
    list.map(|l| {
        l.into_iter()
            .map(|i| ItemInput {
                value: i.value,
                name_en: i.name_en,
                name_ru: i.name_ru,
            })
            .collect()
    })
}

pub async fn enumerations(
    Extension(app): AppExt,
    Caller(who): Caller,
) -> ApiResult<Json<EnumerationList>> {
    let items = app
        .enumerations(&who)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(EnumerationList { items }))
}

pub async fn create_enumeration(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewEnumerationBody>,
) -> ApiResult<(StatusCode, Json<EnumerationDto>)> {
    let input = EnumerationInput {
        name_en: Some(b.name_en),
        name_ru: Some(b.name_ru),
        items: items(Some(b.items)),
    };
    Ok((
        StatusCode::CREATED,
        Json(app.save_enumeration(&who, None, input).await?.into()),
    ))
}

pub async fn edit_enumeration(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EnumerationPatchBody>,
) -> ApiResult<Json<EnumerationDto>> {
    let input = EnumerationInput {
        name_en: b.name_en,
        name_ru: b.name_ru,
        items: items(b.items),
    };
    Ok(Json(
        app.save_enumeration(&who, Some(id_of(&id)?), input)
            .await?
            .into(),
    ))
}

pub async fn delete_enumeration(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_enumeration(&who, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- processing modules ----

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ModuleKindDto {
    Manual,
    Program,
    Http,
}

impl ModuleKindDto {
    pub(crate) fn key(self) -> String {
        match self {
            ModuleKindDto::Manual => "manual",
            ModuleKindDto::Program => "program",
            ModuleKindDto::Http => "http",
        }
        .to_owned()
    }
}

#[derive(Serialize, ToSchema)]
pub struct ModuleDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub kind: ModuleKindDto,
    #[schema(format = Uuid)]
    pub department_id: Option<String>,
    pub command: Option<String>,
    pub url: Option<String>,
    /// Whether a secret is stored (it is never shown back).
    pub has_secret: bool,
    pub timeout_secs: i64,
    pub is_active: bool,
}

impl From<ModuleRecord> for ModuleDto {
    fn from(m: ModuleRecord) -> Self {
        use bursar_app::ports::ModuleKind as K;
        ModuleDto {
            id: m.id.to_string(),
            name: m.name,
            kind: match m.kind {
                K::Manual => ModuleKindDto::Manual,
                K::Program => ModuleKindDto::Program,
                K::Http => ModuleKindDto::Http,
            },
            department_id: m.department_id.map(|d| d.to_string()),
            command: m.command,
            url: m.url,
            has_secret: m.secret.is_some(),
            timeout_secs: m.timeout_secs,
            is_active: m.is_active,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ModuleList {
    pub items: Vec<ModuleDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewModuleBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub kind: ModuleKindDto,
    /// Manual: the department that gets the tasks.
    #[schema(format = Uuid)]
    pub department_id: Option<String>,
    /// Program: the absolute path of an executable.
    pub command: Option<String>,
    /// HTTP: the endpoint (`http://` or `https://`).
    pub url: Option<String>,
    /// Stored, sent to the module, never shown back.
    #[schema(max_length = 500)]
    pub secret: Option<String>,
    #[schema(minimum = 1, maximum = 600)]
    pub timeout_secs: Option<i64>,
    pub is_active: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModulePatchBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    pub kind: Option<ModuleKindDto>,
    pub department_id: Option<String>,
    pub command: Option<String>,
    pub url: Option<String>,
    /// A new secret; empty removes it; absent keeps it.
    #[schema(max_length = 500)]
    pub secret: Option<String>,
    #[schema(minimum = 1, maximum = 600)]
    pub timeout_secs: Option<i64>,
    pub is_active: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckDto {
    pub ok: bool,
    pub message: String,
    /// Parameters the module would store on a service.
    pub parameters: serde_json::Value,
}

impl From<ModuleAnswer> for CheckDto {
    fn from(a: ModuleAnswer) -> Self {
        CheckDto {
            ok: a.ok,
            message: a.message,
            parameters: serde_json::Value::Object(a.parameters),
        }
    }
}

pub async fn modules(Extension(app): AppExt, Caller(who): Caller) -> ApiResult<Json<ModuleList>> {
    let items = app
        .modules(&who)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(ModuleList { items }))
}

pub async fn create_module(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewModuleBody>,
) -> ApiResult<(StatusCode, Json<ModuleDto>)> {
    let input = ModuleInput {
        name: Some(b.name),
        kind: Some(b.kind.key()),
        department_id: b.department_id,
        command: b.command,
        url: b.url,
        secret: b.secret,
        timeout_secs: b.timeout_secs,
        is_active: b.is_active,
    };
    Ok((
        StatusCode::CREATED,
        Json(app.save_module(&who, None, input).await?.into()),
    ))
}

pub async fn edit_module(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ModulePatchBody>,
) -> ApiResult<Json<ModuleDto>> {
    let input = ModuleInput {
        name: b.name,
        kind: b.kind.map(ModuleKindDto::key),
        department_id: b.department_id,
        command: b.command,
        url: b.url,
        secret: b.secret,
        timeout_secs: b.timeout_secs,
        is_active: b.is_active,
    };
    Ok(Json(
        app.save_module(&who, Some(id_of(&id)?), input)
            .await?
            .into(),
    ))
}

pub async fn delete_module(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_module(&who, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn check_module(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CheckDto>> {
    Ok(Json(app.check_module(&who, id_of(&id)?).await?.into()))
}

// ---- product types ----

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct ParamDto {
    #[schema(pattern = "^[a-z][a-z0-9_-]{0,63}$")]
    pub key: String,
    #[schema(min_length = 1, max_length = 100)]
    pub label_en: String,
    #[schema(min_length = 1, max_length = 100)]
    pub label_ru: String,
    /// `text`, `password`, `domain` or `choice`.
    #[schema(pattern = "^(text|password|domain|choice)$")]
    pub kind: String,
    /// For a choice: the enumeration offered.
    #[schema(format = Uuid)]
    pub enumeration_id: Option<String>,
    #[serde(default)]
    pub required: bool,
    /// May be given after payment (quick order); else asked at order.
    #[serde(default)]
    pub after_payment: bool,
    #[schema(minimum = 0, maximum = 10000)]
    pub min_length: Option<i64>,
    #[schema(minimum = 1, maximum = 10000)]
    pub max_length: Option<i64>,
    /// A regular expression the whole value must match.
    #[schema(max_length = 500)]
    pub pattern: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ProductTypeDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub key: String,
    pub name_en: String,
    pub name_ru: String,
    #[schema(format = Uuid)]
    pub module_id: Option<String>,
    pub params: Vec<ParamDto>,
}

impl From<ProductTypeRecord> for ProductTypeDto {
    fn from(t: ProductTypeRecord) -> Self {
        ProductTypeDto {
            id: t.id.to_string(),
            key: t.key,
            name_en: t.name_en,
            name_ru: t.name_ru,
            module_id: t.module_id.map(|m| m.to_string()),
            params: t
                .params
                .into_iter()
                .map(|p| ParamDto {
                    key: p.key,
                    label_en: p.label_en,
                    label_ru: p.label_ru,
                    kind: p.kind.key().to_owned(),
                    enumeration_id: p.enumeration_id.map(|e| e.to_string()),
                    required: p.required,
                    after_payment: p.after_payment,
                    min_length: Some(p.min_length),
                    max_length: Some(p.max_length),
                    pattern: Some(p.pattern),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProductTypeList {
    pub items: Vec<ProductTypeDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProductTypeBody {
    /// The internal name, unique.
    #[schema(pattern = "^[a-z][a-z0-9_-]{0,63}$")]
    pub key: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: String,
    #[schema(format = Uuid)]
    pub module_id: Option<String>,
    #[serde(default)]
    pub params: Vec<ParamDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductTypePatchBody {
    #[schema(pattern = "^[a-z][a-z0-9_-]{0,63}$")]
    pub key: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: Option<String>,
    /// Empty for none.
    pub module_id: Option<String>,
    /// Replaces the parameters.
    pub params: Option<Vec<ParamDto>>,
}

fn params(list: Vec<ParamDto>) -> Vec<ParamInput> {
    list.into_iter()
        .map(|p| ParamInput {
            key: p.key,
            label_en: p.label_en,
            label_ru: p.label_ru,
            kind: p.kind,
            enumeration_id: p.enumeration_id,
            required: p.required,
            after_payment: p.after_payment,
            min_length: p.min_length,
            max_length: p.max_length,
            pattern: p.pattern,
        })
        .collect()
}

pub async fn product_types(
    Extension(app): AppExt,
    Caller(who): Caller,
) -> ApiResult<Json<ProductTypeList>> {
    let items = app
        .product_types(&who)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(ProductTypeList { items }))
}

pub async fn product_type(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProductTypeDto>> {
    Ok(Json(app.product_type(&who, id_of(&id)?).await?.into()))
}

pub async fn create_product_type(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewProductTypeBody>,
) -> ApiResult<(StatusCode, Json<ProductTypeDto>)> {
    let input = ProductTypeInput {
        key: Some(b.key),
        name_en: Some(b.name_en),
        name_ru: Some(b.name_ru),
        module_id: b.module_id,
        params: Some(params(b.params)),
    };
    Ok((
        StatusCode::CREATED,
        Json(app.save_product_type(&who, None, input).await?.into()),
    ))
}

pub async fn edit_product_type(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ProductTypePatchBody>,
) -> ApiResult<Json<ProductTypeDto>> {
    let input = ProductTypeInput {
        key: b.key,
        name_en: b.name_en,
        name_ru: b.name_ru,
        module_id: b.module_id,
        params: b.params.map(params),
    };
    Ok(Json(
        app.save_product_type(&who, Some(id_of(&id)?), input)
            .await?
            .into(),
    ))
}

pub async fn delete_product_type(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_product_type(&who, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- tariff plans ----

/// The periods a plan can be offered for.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum PeriodDto {
    Trial,
    Day,
    Month1,
    Month3,
    Month6,
    Month12,
    Month24,
    Month36,
    Lifetime,
}

impl PeriodDto {
    pub(crate) fn key(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    pub(crate) fn of(p: bursar_domain::catalog::Period) -> PeriodDto {
        serde_json::from_value(serde_json::Value::String(p.key().to_owned()))
            .unwrap_or(PeriodDto::Month1)
    }
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct PriceDto {
    pub period: PeriodDto,
    /// A decimal amount in the plan's currency (0 or more); a trial is free.
    #[schema(example = "9.99")]
    pub price: Option<String>,
    #[schema(example = "0.00")]
    pub setup: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum BillingDto {
    None,
    Order,
    Choice,
    Boolean,
    Statistics,
}

impl BillingDto {
    pub(crate) fn key(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct AddonPriceDto {
    pub period: PeriodDto,
    /// For a choice: the enumeration value priced.
    #[serde(default)]
    pub option: String,
    #[schema(example = "2.00")]
    pub price: String,
}

#[derive(Serialize, ToSchema)]
pub struct AddonDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub key: String,
    pub name_en: String,
    pub name_ru: String,
    pub billing: BillingDto,
    pub unit: String,
    pub included: i64,
    pub min: i64,
    pub max: i64,
    pub step: i64,
    #[schema(format = Uuid)]
    pub enumeration_id: Option<String>,
    pub prices: Vec<AddonPriceDto>,
}

fn addon_dto(a: AddonRecord, places: u16) -> AddonDto {
    AddonDto {
        id: a.id.to_string(),
        key: a.key,
        name_en: a.name_en,
        name_ru: a.name_ru,
        billing: serde_json::from_value(serde_json::Value::String(a.billing.key().to_owned()))
            .unwrap_or(BillingDto::None),
        unit: a.unit,
        included: a.included,
        min: a.min,
        max: a.max,
        step: a.step,
        enumeration_id: a.enumeration_id.map(|e| e.to_string()),
        prices: a
            .prices
            .into_iter()
            .map(|p| AddonPriceDto {
                period: PeriodDto::of(p.period),
                option: p.option,
                price: format_minor(p.price_minor, places),
            })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct TariffDto {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub product_type_id: String,
    #[schema(format = Uuid)]
    pub provider_id: String,
    pub currency: String,
    pub name_en: String,
    pub name_ru: String,
    pub description_en: String,
    pub description_ru: String,
    pub is_active: bool,
    pub client_orderable: bool,
    pub quick_order: bool,
    /// Services one client may have; absent for no limit.
    pub max_services: Option<i64>,
    pub default_period: PeriodDto,
    pub trial_days: i64,
    pub prices: Vec<PriceDto>,
    pub addons: Vec<AddonDto>,
    /// Client groups that may not order the plan.
    pub forbidden_groups: Vec<String>,
    pub archived: bool,
}

impl From<TariffView> for TariffDto {
    fn from(v: TariffView) -> Self {
        let places = v.minor_units;
        let t = v.tariff;
        TariffDto {
            id: t.id.to_string(),
            product_type_id: t.product_type_id.to_string(),
            provider_id: t.provider_id.to_string(),
            currency: t.currency_code,
            name_en: t.name_en,
            name_ru: t.name_ru,
            description_en: t.description_en,
            description_ru: t.description_ru,
            is_active: t.is_active,
            client_orderable: t.client_orderable,
            quick_order: t.quick_order,
            max_services: t.max_services,
            default_period: PeriodDto::of(t.default_period),
            trial_days: t.trial_days,
            prices: t
                .prices
                .iter()
                .map(|p| PriceDto {
                    period: PeriodDto::of(p.period),
                    price: Some(format_minor(p.price_minor, places)),
                    setup: Some(format_minor(p.setup_minor, places)),
                })
                .collect(),
            addons: v.addons.into_iter().map(|a| addon_dto(a, places)).collect(),
            forbidden_groups: v.forbidden_groups.iter().map(ToString::to_string).collect(),
            archived: t.archived_at.is_some(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TariffList {
    pub items: Vec<TariffDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTariffBody {
    #[schema(format = Uuid)]
    pub product_type_id: String,
    /// Never changes after creation.
    #[schema(format = Uuid)]
    pub provider_id: String,
    /// An enabled currency; default: the provider's.
    pub currency: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: String,
    #[schema(max_length = 2000)]
    pub description_en: Option<String>,
    #[schema(max_length = 2000)]
    pub description_ru: Option<String>,
    pub is_active: Option<bool>,
    /// Default true; false: staff only.
    pub client_orderable: Option<bool>,
    pub quick_order: Option<bool>,
    /// 0 for no limit.
    #[schema(minimum = 0, maximum = 100000)]
    pub max_services: Option<i64>,
    pub default_period: Option<PeriodDto>,
    #[schema(minimum = 0, maximum = 365)]
    pub trial_days: Option<i64>,
    /// At least one period.
    #[schema(min_items = 1)]
    pub prices: Vec<PriceDto>,
    #[serde(default)]
    pub forbidden_groups: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TariffPatchBody {
    pub currency: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: Option<String>,
    #[schema(max_length = 2000)]
    pub description_en: Option<String>,
    #[schema(max_length = 2000)]
    pub description_ru: Option<String>,
    pub is_active: Option<bool>,
    pub client_orderable: Option<bool>,
    pub quick_order: Option<bool>,
    #[schema(minimum = 0, maximum = 100000)]
    pub max_services: Option<i64>,
    pub default_period: Option<PeriodDto>,
    #[schema(minimum = 0, maximum = 365)]
    pub trial_days: Option<i64>,
    /// Replaces the prices.
    #[schema(min_items = 1)]
    pub prices: Option<Vec<PriceDto>>,
    /// Replaces the set.
    pub forbidden_groups: Option<Vec<String>>,
}

fn prices(list: Vec<PriceDto>) -> Vec<PriceInput> {
    list.into_iter()
        .map(|p| PriceInput {
            period: p.period.key(),
            price: p.price,
            setup: p.setup,
        })
        .collect()
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TariffQuery {
    #[param(format = Uuid)]
    pub product_type_id: Option<String>,
}

pub async fn tariffs(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<TariffQuery>,
) -> ApiResult<Json<TariffList>> {
    let t = match q.product_type_id.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => Some(raw.parse().map_err(|_| {
            Problem::from(bursar_app::AppError::invalid(
                "product_type_id",
                bursar_domain::ErrorCode::InvalidFilter,
                "is not a valid id",
            ))
        })?),
        None => None,
    };
    let items = app
        .tariffs(&who, t)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(TariffList { items }))
}

pub async fn tariff(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TariffDto>> {
    Ok(Json(app.tariff(&who, id_of(&id)?).await?.into()))
}

pub async fn create_tariff(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewTariffBody>,
) -> ApiResult<(StatusCode, Json<TariffDto>)> {
    let input = TariffInput {
        product_type_id: Some(b.product_type_id),
        provider_id: Some(b.provider_id),
        currency: b.currency,
        name_en: Some(b.name_en),
        name_ru: Some(b.name_ru),
        description_en: b.description_en,
        description_ru: b.description_ru,
        is_active: b.is_active,
        client_orderable: b.client_orderable,
        quick_order: b.quick_order,
        max_services: b.max_services,
        default_period: b.default_period.map(PeriodDto::key),
        trial_days: b.trial_days,
        prices: Some(prices(b.prices)),
        forbidden_groups: Some(b.forbidden_groups),
    };
    Ok((
        StatusCode::CREATED,
        Json(app.save_tariff(&who, None, input).await?.into()),
    ))
}

pub async fn edit_tariff(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TariffPatchBody>,
) -> ApiResult<Json<TariffDto>> {
    let input = TariffInput {
        product_type_id: None,
        provider_id: None,
        currency: b.currency,
        name_en: b.name_en,
        name_ru: b.name_ru,
        description_en: b.description_en,
        description_ru: b.description_ru,
        is_active: b.is_active,
        client_orderable: b.client_orderable,
        quick_order: b.quick_order,
        max_services: b.max_services,
        default_period: b.default_period.map(PeriodDto::key),
        trial_days: b.trial_days,
        prices: b.prices.map(prices),
        forbidden_groups: b.forbidden_groups,
    };
    Ok(Json(
        app.save_tariff(&who, Some(id_of(&id)?), input)
            .await?
            .into(),
    ))
}

pub async fn archive_tariff(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TariffDto>> {
    Ok(Json(
        app.archive_tariff(&who, id_of(&id)?, true).await?.into(),
    ))
}

pub async fn unarchive_tariff(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TariffDto>> {
    Ok(Json(
        app.archive_tariff(&who, id_of(&id)?, false).await?.into(),
    ))
}

pub async fn delete_tariff(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_tariff(&who, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAddonBody {
    #[schema(pattern = "^[a-z][a-z0-9_-]{0,63}$")]
    pub key: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: String,
    pub billing: BillingDto,
    /// `GB`, `cores`…
    #[schema(max_length = 20)]
    pub unit: Option<String>,
    pub included: Option<i64>,
    #[schema(minimum = 0)]
    pub min: Option<i64>,
    /// Not below `included`.
    pub max: Option<i64>,
    #[schema(minimum = 1)]
    pub step: Option<i64>,
    /// For a choice.
    #[schema(format = Uuid)]
    pub enumeration_id: Option<String>,
    #[serde(default)]
    pub prices: Vec<AddonPriceDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddonPatchBody {
    #[schema(pattern = "^[a-z][a-z0-9_-]{0,63}$")]
    pub key: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: Option<String>,
    pub billing: Option<BillingDto>,
    #[schema(max_length = 20)]
    pub unit: Option<String>,
    pub included: Option<i64>,
    #[schema(minimum = 0)]
    pub min: Option<i64>,
    pub max: Option<i64>,
    #[schema(minimum = 1)]
    pub step: Option<i64>,
    pub enumeration_id: Option<String>,
    /// Replaces the prices.
    pub prices: Option<Vec<AddonPriceDto>>,
}

fn addon_prices(list: Vec<AddonPriceDto>) -> Vec<AddonPriceInput> {
    list.into_iter()
        .map(|p| AddonPriceInput {
            period: p.period.key(),
            option: p.option,
            price: p.price,
        })
        .collect()
}

async fn addon_answer(
    app: &bursar_app::App,
    who: &bursar_app::Principal,
    tariff: CatalogId,
    a: AddonRecord,
) -> ApiResult<Json<AddonDto>> {
    let places = app.tariff(who, tariff).await?.minor_units;
    Ok(Json(addon_dto(a, places)))
}

pub async fn create_addon(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewAddonBody>,
) -> ApiResult<(StatusCode, Json<AddonDto>)> {
    let tariff = id_of(&id)?;
    let input = AddonInput {
        key: Some(b.key),
        name_en: Some(b.name_en),
        name_ru: Some(b.name_ru),
        billing: Some(b.billing.key()),
        unit: b.unit,
        included: b.included,
        min: b.min,
        max: b.max,
        step: b.step,
        enumeration_id: b.enumeration_id,
        prices: Some(addon_prices(b.prices)),
    };
    let a = app.save_addon(&who, tariff, None, input).await?;
    Ok((
        StatusCode::CREATED,
        addon_answer(&app, &who, tariff, a).await?,
    ))
}

pub async fn edit_addon(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((id, addon)): Path<(String, String)>,
    ApiJson(b): ApiJson<AddonPatchBody>,
) -> ApiResult<Json<AddonDto>> {
    let tariff = id_of(&id)?;
    let input = AddonInput {
        key: b.key,
        name_en: b.name_en,
        name_ru: b.name_ru,
        billing: b.billing.map(BillingDto::key),
        unit: b.unit,
        included: b.included,
        min: b.min,
        max: b.max,
        step: b.step,
        enumeration_id: b.enumeration_id,
        prices: b.prices.map(addon_prices),
    };
    let a = app
        .save_addon(&who, tariff, Some(id_of(&addon)?), input)
        .await?;
    addon_answer(&app, &who, tariff, a).await
}

pub async fn delete_addon(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((id, addon)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    app.delete_addon(&who, id_of(&id)?, id_of(&addon)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- the price list ----

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PriceListQuery {
    /// `en` (default) or `ru`.
    #[param(pattern = "^(en|ru)$")]
    pub lang: Option<String>,
}

/// The public price list (its items are documented in words: providers, each with plans).
#[derive(Serialize, ToSchema)]
pub struct PriceListDto {
    /// Per provider: `{provider, plans: [{id, product_type, name, description, quick_order,
    /// trial_days, default_period, currency, prices: [{period, price, setup}], addons: [{key,
    /// name, billing, unit, included, min, max, step, prices: [{period, option?, price}]}]}]}`.
    #[schema(value_type = Vec<Object>)]
    pub providers: Vec<ListedProvider>,
}

pub async fn price_list(
    Extension(app): AppExt,
    ApiQuery(q): ApiQuery<PriceListQuery>,
) -> ApiResult<Response> {
    let locale = match q.lang.as_deref() {
        None | Some("" | "en") => Locale::En,
        Some("ru") => Locale::Ru,
        Some(_) => {
            return Err(Problem::from(bursar_app::AppError::invalid(
                "lang",
                bursar_domain::ErrorCode::UnsupportedLocale,
                "must be en or ru",
            )));
        }
    };
    let providers = app.price_list(locale).await?;
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(PriceListDto { providers }),
    )
        .into_response())
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/enumerations", f::CATALOG_VIEW,
        Doc::new("catalog", "Enumerations with their items").returns::<EnumerationList>(200), enumerations)
    .op(M::POST, "/api/v1/enumerations", f::CATALOG_EDIT,
        Doc::new("catalog", "Add an enumeration").body::<NewEnumerationBody>().returns::<EnumerationDto>(201)
            .conflict("An enumeration with this name exists (`name_taken`)"), create_enumeration)
    .op(M::PATCH, "/api/v1/enumerations/{id}", f::CATALOG_EDIT,
        Doc::new("catalog", "Edit an enumeration").body::<EnumerationPatchBody>().returns::<EnumerationDto>(200)
            .conflict("An enumeration with this name exists (`name_taken`)"), edit_enumeration)
    .op(M::DELETE, "/api/v1/enumerations/{id}", f::CATALOG_EDIT,
        Doc::new("catalog", "Delete an unused enumeration").no_content()
            .conflict("A parameter or an add-on uses it (`enumeration_in_use`)"), delete_enumeration)
    .op(M::GET, "/api/v1/processing-modules", f::CATALOG_MODULES,
        Doc::new("catalog", "Processing modules (secrets are never shown)").returns::<ModuleList>(200), modules)
    .op(M::POST, "/api/v1/processing-modules", f::CATALOG_MODULES,
        Doc::new("catalog", "Add a processing module").body::<NewModuleBody>().returns::<ModuleDto>(201)
            .conflict("A module with this name exists (`name_taken`)"), create_module)
    .op(M::PATCH, "/api/v1/processing-modules/{id}", f::CATALOG_MODULES,
        Doc::new("catalog", "Edit a processing module").body::<ModulePatchBody>().returns::<ModuleDto>(200)
            .conflict("A module with this name exists (`name_taken`)"), edit_module)
    .op(M::DELETE, "/api/v1/processing-modules/{id}", f::CATALOG_MODULES,
        Doc::new("catalog", "Delete an unused processing module").no_content()
            .conflict("A product type uses it (`module_in_use`)"), delete_module)
    .op(M::POST, "/api/v1/processing-modules/{id}/check", f::CATALOG_MODULES,
        Doc::new("catalog", "Check connection: run the module's `check` operation and show its answer").returns::<CheckDto>(200), check_module)
    .op(M::GET, "/api/v1/product-types", f::CATALOG_VIEW,
        Doc::new("catalog", "Product types with their service parameters").returns::<ProductTypeList>(200), product_types)
    .op(M::POST, "/api/v1/product-types", f::CATALOG_EDIT,
        Doc::new("catalog", "Add a product type").body::<NewProductTypeBody>().returns::<ProductTypeDto>(201)
            .conflict("A product type with this internal name exists (`name_taken`)"), create_product_type)
    .op(M::GET, "/api/v1/product-types/{id}", f::CATALOG_VIEW,
        Doc::new("catalog", "A product type").returns::<ProductTypeDto>(200), product_type)
    .op(M::PATCH, "/api/v1/product-types/{id}", f::CATALOG_EDIT,
        Doc::new("catalog", "Edit a product type and its parameters").body::<ProductTypePatchBody>().returns::<ProductTypeDto>(200)
            .conflict("A product type with this internal name exists (`name_taken`)"), edit_product_type)
    .op(M::DELETE, "/api/v1/product-types/{id}", f::CATALOG_EDIT,
        Doc::new("catalog", "Delete a product type without tariff plans").no_content()
            .conflict("It has tariff plans (`product_type_in_use`)"), delete_product_type)
    .op(M::GET, "/api/v1/tariffs", f::CATALOG_VIEW,
        Doc::new("catalog", "Tariff plans with prices and add-ons").query::<TariffQuery>().returns::<TariffList>(200)
            .invalid("`product_type_id` is not an id (`invalid_filter`)"), tariffs)
    .op(M::POST, "/api/v1/tariffs", f::CATALOG_EDIT,
        Doc::new("catalog", "Add a tariff plan").body::<NewTariffBody>().returns::<TariffDto>(201), create_tariff)
    .op(M::GET, "/api/v1/tariffs/{id}", f::CATALOG_VIEW,
        Doc::new("catalog", "A tariff plan").returns::<TariffDto>(200), tariff)
    .op(M::PATCH, "/api/v1/tariffs/{id}", f::CATALOG_EDIT,
        Doc::new("catalog", "Edit a tariff plan (its provider never changes)").body::<TariffPatchBody>().returns::<TariffDto>(200), edit_tariff)
    .op(M::POST, "/api/v1/tariffs/{id}/archive", f::CATALOG_EDIT,
        Doc::new("catalog", "Archive a plan: hidden from ordering, services kept").returns::<TariffDto>(200), archive_tariff)
    .op(M::POST, "/api/v1/tariffs/{id}/unarchive", f::CATALOG_EDIT,
        Doc::new("catalog", "Bring an archived plan back").returns::<TariffDto>(200), unarchive_tariff)
    .op(M::DELETE, "/api/v1/tariffs/{id}", f::CATALOG_EDIT,
        Doc::new("catalog", "Delete a plan without services").no_content()
            .conflict("The plan has services: archive it instead (`tariff_in_use`)"), delete_tariff)
    .op(M::POST, "/api/v1/tariffs/{id}/addons", f::CATALOG_EDIT,
        Doc::new("catalog", "Add an add-on to a plan").body::<NewAddonBody>().returns::<AddonDto>(201)
            .conflict("The plan has an add-on with this key (`name_taken`)"), create_addon)
    .op(M::PATCH, "/api/v1/tariffs/{id}/addons/{addon_id}", f::CATALOG_EDIT,
        Doc::new("catalog", "Edit an add-on").body::<AddonPatchBody>().returns::<AddonDto>(200)
            .conflict("The plan has an add-on with this key (`name_taken`)"), edit_addon)
    .op(M::DELETE, "/api/v1/tariffs/{id}/addons/{addon_id}", f::CATALOG_EDIT,
        Doc::new("catalog", "Delete an add-on").no_content(), delete_addon)
    .op(M::GET, "/api/v1/price-list", f::CATALOG_PRICE_LIST,
        Doc::new("catalog", "The public price list: per provider, active client-orderable plans with periods, prices, setup fees and add-ons (cacheable, no sign-in)")
            .query::<PriceListQuery>().returns::<PriceListDto>(200)
            .invalid("`lang` is not en or ru (`unsupported_locale`)"), price_list)
}
