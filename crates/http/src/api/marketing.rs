//! Personal discounts (`/api/v1/clients/{id}/discounts`) and promotions
//! (`/api/v1/promotions`) with their condition groups and promo codes. Percentages travel as
//! decimal strings (`"12.5"`), fixed amounts as `{"amount": "5.00", "currency": "USD"}`,
//! days as `2026-12-31`.

use super::clients::client_id;
use super::money_dto::MoneyDto;
use crate::guard::{AppExt, Caller};
use crate::json::ApiJson;
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use bursar_app::error::AppError;
use bursar_app::marketing::AmountInput;
use bursar_app::marketing::discounts::{DiscountInput, DiscountView};
use bursar_app::marketing::promotions::{
    CodesInput, ConditionInput, ConditionView, PromotionInput, PromotionView,
};
use bursar_app::ports::{CatalogId, PromoCodeRecord};
use bursar_domain::functions::f;
use bursar_domain::pricing::Validity;
use bursar_domain::pricing::discounts::{Amount, PromoCode, Scope, format_percent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn id_of(raw: &str) -> Result<CatalogId, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DiscountKind {
    Percent,
    Fixed,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    All,
    ProductTypes,
    Tariffs,
}

impl ScopeKind {
    fn key(self) -> String {
        match self {
            ScopeKind::All => "all",
            ScopeKind::ProductTypes => "product_types",
            ScopeKind::Tariffs => "tariffs",
        }
        .to_owned()
    }
}

/// A fixed amount as sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyBody {
    #[schema(example = "5.00", pattern = r"^\d+(\.\d+)?$")]
    pub amount: String,
    /// An enabled ISO 4217 currency.
    #[schema(example = "USD", pattern = "^[A-Z]{3}$")]
    pub currency: String,
}

/// The use cases name a fixed amount's parts `amount` and `currency`, as the panel's form
/// does; the API nests them in `amount`, so its errors name `amount.amount` and
/// `amount.currency`.
fn nested_amount(e: AppError) -> AppError {
    match e {
        AppError::Invalid(mut invalid) => {
            for f in &mut invalid.0 {
                if f.field == "amount" || f.field == "currency" {
                    f.field = format!("amount.{}", f.field);
                }
            }
            AppError::Invalid(invalid)
        }
        other => other,
    }
}
fn amount_input(
    kind: Option<DiscountKind>,
    percent: Option<String>,
    amount: Option<MoneyBody>,
) -> AmountInput {
    AmountInput {
        kind: kind.map(|k| match k {
            DiscountKind::Percent => "percent".to_owned(),
            DiscountKind::Fixed => "fixed".to_owned(),
        }),
        percent,
        currency: amount.as_ref().map(|a| a.currency.clone()),
        amount: amount.map(|a| a.amount),
    }
}

/// `(kind, percent, amount)` of a stored amount.
fn amount_parts(a: &Amount, places: u16) -> (DiscountKind, Option<String>, Option<MoneyDto>) {
    match a {
        Amount::Percent { bp } => (DiscountKind::Percent, Some(format_percent(*bp)), None),
        Amount::Fixed { minor, currency } => (
            DiscountKind::Fixed,
            None,
            Some(MoneyDto::new(*minor, places, currency)),
        ),
    }
}

fn day(d: Option<jiff::civil::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

// ---- personal discounts ----

#[derive(Serialize, ToSchema)]
pub struct TargetDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct DiscountDto {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    pub kind: DiscountKind,
    /// For `percent`: the share taken off, `"15"` or `"12.5"`.
    pub percent: Option<String>,
    /// For `fixed`: the amount taken off.
    pub amount: Option<MoneyDto>,
    pub scope: ScopeKind,
    /// The product types or plans of a limited scope.
    pub targets: Vec<TargetDto>,
    #[schema(format = Date)]
    pub starts_on: Option<String>,
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    pub comment: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: jiff::Timestamp,
}

impl From<DiscountView> for DiscountDto {
    fn from(v: DiscountView) -> Self {
        let d = &v.record.discount;
        let (kind, percent, amount) = amount_parts(&d.amount, v.minor_units);
        DiscountDto {
            id: d.id.to_string(),
            client_id: v.record.client_id.to_string(),
            kind,
            percent,
            amount,
            scope: match d.scope {
                Scope::All => ScopeKind::All,
                Scope::ProductTypes(_) => ScopeKind::ProductTypes,
                Scope::Tariffs(_) => ScopeKind::Tariffs,
            },
            targets: v
                .targets
                .iter()
                .map(|(id, name)| TargetDto {
                    id: id.to_string(),
                    name: name.clone(),
                })
                .collect(),
            starts_on: day(d.validity.starts_on),
            ends_on: day(d.validity.ends_on),
            comment: d.comment.clone(),
            created_at: v.record.created_at,
            updated_at: v.record.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DiscountList {
    pub items: Vec<DiscountDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDiscountBody {
    pub kind: DiscountKind,
    /// Required for `percent`: more than 0, at most 100, two decimals at most.
    #[schema(example = "15", pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub percent: Option<String>,
    /// Required for `fixed`.
    pub amount: Option<MoneyBody>,
    /// Default `all`.
    pub scope: Option<ScopeKind>,
    /// Product type ids (`product_types`) or tariff plan ids (`tariffs`); at least one.
    #[schema(value_type = Option<Vec<String>>, format = Uuid)]
    pub targets: Option<Vec<String>>,
    /// First day; none is "from always".
    #[schema(format = Date)]
    pub starts_on: Option<String>,
    /// Last day (not before the first); none is "for good".
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    #[schema(max_length = 500)]
    pub comment: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscountPatchBody {
    pub kind: Option<DiscountKind>,
    #[schema(example = "12.5", pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub percent: Option<String>,
    pub amount: Option<MoneyBody>,
    pub scope: Option<ScopeKind>,
    /// Replaces the targets.
    #[schema(value_type = Option<Vec<String>>, format = Uuid)]
    pub targets: Option<Vec<String>>,
    /// Empty clears it.
    #[schema(format = Date)]
    pub starts_on: Option<String>,
    /// Empty clears it.
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    #[schema(max_length = 500)]
    pub comment: Option<String>,
}

pub async fn discounts(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
) -> ApiResult<Json<DiscountList>> {
    let client = client_id(&app, &who, &c).await?;
    let items = app
        .client_discounts(&who, client)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(DiscountList { items }))
}

pub async fn discount(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((c, d)): Path<(String, String)>,
) -> ApiResult<Json<DiscountDto>> {
    let client = client_id(&app, &who, &c).await?;
    Ok(Json(
        app.client_discount(&who, client, id_of(&d)?).await?.into(),
    ))
}

pub async fn create_discount(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
    ApiJson(b): ApiJson<NewDiscountBody>,
) -> ApiResult<(StatusCode, Json<DiscountDto>)> {
    let client = client_id(&app, &who, &c).await?;
    let input = DiscountInput {
        amount: amount_input(Some(b.kind), b.percent, b.amount),
        scope: Some(b.scope.unwrap_or(ScopeKind::All).key()),
        targets: b.targets,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        comment: b.comment,
    };
    let v = app
        .save_client_discount(&who, client, None, input)
        .await
        .map_err(nested_amount)?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

pub async fn edit_discount(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((c, d)): Path<(String, String)>,
    ApiJson(b): ApiJson<DiscountPatchBody>,
) -> ApiResult<Json<DiscountDto>> {
    let client = client_id(&app, &who, &c).await?;
    let input = DiscountInput {
        amount: amount_input(b.kind, b.percent, b.amount),
        scope: b.scope.map(ScopeKind::key),
        targets: b.targets,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        comment: b.comment,
    };
    let v = app
        .save_client_discount(&who, client, Some(id_of(&d)?), input)
        .await
        .map_err(nested_amount)?;
    Ok(Json(v.into()))
}

pub async fn delete_discount(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((c, d)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let client = client_id(&app, &who, &c).await?;
    app.delete_client_discount(&who, client, id_of(&d)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- promotions ----

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ConditionKind {
    ClientGroup,
    Tariff,
    ProductType,
    Period,
    FirstOrder,
    PromoCode,
}

impl ConditionKind {
    fn key(self) -> String {
        match self {
            ConditionKind::ClientGroup => "client_group",
            ConditionKind::Tariff => "tariff",
            ConditionKind::ProductType => "product_type",
            ConditionKind::Period => "period",
            ConditionKind::FirstOrder => "first_order",
            ConditionKind::PromoCode => "promo_code",
        }
        .to_owned()
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConditionDto {
    #[schema(format = Uuid)]
    pub id: String,
    /// `client_group`, `tariff`, `product_type`, `period`, `first_order` or `promo_code`.
    pub kind: String,
    /// The id, the period key (`month12`), or empty.
    pub value: String,
    /// The value in words (a group's or plan's name).
    pub label: String,
}

impl From<&ConditionView> for ConditionDto {
    fn from(c: &ConditionView) -> Self {
        ConditionDto {
            id: c.record.id.to_string(),
            kind: c.record.condition.kind().to_owned(),
            value: c.record.condition.value(),
            label: c.label.clone(),
        }
    }
}

/// One condition group: any one of its conditions suffices.
#[derive(Serialize, ToSchema)]
pub struct ConditionGroupDto {
    pub group: u32,
    pub conditions: Vec<ConditionDto>,
}

#[derive(Serialize, ToSchema)]
pub struct PromotionDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub title_en: String,
    pub title_ru: String,
    #[schema(format = Uuid)]
    pub provider_id: String,
    pub provider: String,
    #[schema(format = Date)]
    pub starts_on: Option<String>,
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    pub kind: DiscountKind,
    pub percent: Option<String>,
    pub amount: Option<MoneyDto>,
    pub active: bool,
    /// One condition from each group is needed; a promotion without groups is for everyone.
    pub condition_groups: Vec<ConditionGroupDto>,
    pub code_count: usize,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: jiff::Timestamp,
}

impl From<PromotionView> for PromotionDto {
    fn from(v: PromotionView) -> Self {
        let p = &v.record;
        let (kind, percent, amount) = amount_parts(&p.amount, v.minor_units);
        let mut condition_groups: Vec<ConditionGroupDto> = Vec::new();
        for c in &v.conditions {
            match condition_groups.last_mut() {
                Some(g) if g.group == c.record.group => g.conditions.push(c.into()),
                _ => condition_groups.push(ConditionGroupDto {
                    group: c.record.group,
                    conditions: vec![c.into()],
                }),
            }
        }
        let Validity { starts_on, ends_on } = p.validity;
        PromotionDto {
            id: p.id.to_string(),
            name: p.name.clone(),
            title_en: p.title_en.clone(),
            title_ru: p.title_ru.clone(),
            provider_id: p.provider_id.to_string(),
            provider: v.provider.clone(),
            starts_on: day(starts_on),
            ends_on: day(ends_on),
            kind,
            percent,
            amount,
            active: p.is_active,
            condition_groups,
            code_count: v.codes.len(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PromotionList {
    pub items: Vec<PromotionDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPromotionBody {
    /// Internal name, unique.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Client-facing, English.
    #[schema(min_length = 1, max_length = 200)]
    pub title_en: String,
    /// Client-facing, Russian.
    #[schema(min_length = 1, max_length = 200)]
    pub title_ru: String,
    #[schema(format = Uuid)]
    pub provider_id: String,
    #[schema(format = Date)]
    pub starts_on: Option<String>,
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    pub kind: DiscountKind,
    #[schema(example = "10", pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub percent: Option<String>,
    pub amount: Option<MoneyBody>,
    /// Default true.
    pub active: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromotionPatchBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub title_en: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub title_ru: Option<String>,
    #[schema(format = Uuid)]
    pub provider_id: Option<String>,
    /// Empty clears it.
    #[schema(format = Date)]
    pub starts_on: Option<String>,
    /// Empty clears it.
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    pub kind: Option<DiscountKind>,
    #[schema(pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub percent: Option<String>,
    pub amount: Option<MoneyBody>,
    pub active: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConditionBody {
    /// Inside a group any one condition suffices; one from each group is needed.
    #[schema(minimum = 1, maximum = 100)]
    pub group: i64,
    pub kind: ConditionKind,
    /// A client group, plan or product type id; a period key (`month12`); empty for
    /// `first_order` and `promo_code`.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub value: String,
}

#[derive(Serialize, ToSchema)]
pub struct PromoCodeDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub code: String,
    pub multi_use: bool,
    /// A multi-use code's limit; none is unlimited.
    pub usage_limit: Option<i64>,
    pub used: i64,
    /// Whether it can still be used.
    pub usable: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
}

impl From<PromoCodeRecord> for PromoCodeDto {
    fn from(c: PromoCodeRecord) -> Self {
        let usable = PromoCode {
            code: c.code.clone(),
            multi_use: c.multi_use,
            usage_limit: c.usage_limit,
            used: c.used,
        }
        .usable();
        PromoCodeDto {
            id: c.id.to_string(),
            code: c.code,
            multi_use: c.multi_use,
            usage_limit: c.usage_limit,
            used: c.used,
            usable,
            created_at: c.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PromoCodeList {
    pub items: Vec<PromoCodeDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCodesBody {
    /// A code to add (letters, digits, `-`, `_`; stored in capitals); or leave it out and
    /// give `count`.
    #[schema(min_length = 3, max_length = 40, pattern = "^[A-Za-z0-9_-]+$")]
    pub code: Option<String>,
    /// How many random codes to generate.
    #[schema(minimum = 1, maximum = 1000)]
    pub count: Option<i64>,
    /// Single-use codes work once in all; multi-use ones up to `usage_limit`.
    #[serde(default)]
    pub multi_use: bool,
    /// Only for multi-use codes; none is unlimited.
    #[schema(minimum = 1, maximum = 1000000)]
    pub usage_limit: Option<i64>,
}

fn promotion_input(b: PromotionPatchBody) -> PromotionInput {
    PromotionInput {
        name: b.name,
        title_en: b.title_en,
        title_ru: b.title_ru,
        provider_id: b.provider_id,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        amount: amount_input(b.kind, b.percent, b.amount),
        active: b.active,
    }
}

pub async fn promotions(
    Extension(app): AppExt,
    Caller(who): Caller,
) -> ApiResult<Json<PromotionList>> {
    let items = app
        .promotions(&who)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(PromotionList { items }))
}

pub async fn promotion(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PromotionDto>> {
    Ok(Json(app.promotion(&who, id_of(&id)?).await?.into()))
}

pub async fn create_promotion(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewPromotionBody>,
) -> ApiResult<(StatusCode, Json<PromotionDto>)> {
    let input = promotion_input(PromotionPatchBody {
        name: Some(b.name),
        title_en: Some(b.title_en),
        title_ru: Some(b.title_ru),
        provider_id: Some(b.provider_id),
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        kind: Some(b.kind),
        percent: b.percent,
        amount: b.amount,
        active: b.active,
    });
    let v = app
        .save_promotion(&who, None, input)
        .await
        .map_err(nested_amount)?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

pub async fn edit_promotion(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PromotionPatchBody>,
) -> ApiResult<Json<PromotionDto>> {
    let v = app
        .save_promotion(&who, Some(id_of(&id)?), promotion_input(b))
        .await
        .map_err(nested_amount)?;
    Ok(Json(v.into()))
}

pub async fn delete_promotion(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_promotion(&who, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn add_condition(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewConditionBody>,
) -> ApiResult<(StatusCode, Json<ConditionDto>)> {
    let input = ConditionInput {
        group: b.group,
        kind: b.kind.key(),
        value: b.value,
    };
    let c = app
        .add_promotion_condition(&who, id_of(&id)?, input)
        .await?;
    Ok((StatusCode::CREATED, Json((&c).into())))
}

pub async fn delete_condition(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((id, c)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    app.delete_promotion_condition(&who, id_of(&id)?, id_of(&c)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn codes(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PromoCodeList>> {
    let items = app
        .promotion(&who, id_of(&id)?)
        .await?
        .codes
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(PromoCodeList { items }))
}

pub async fn add_codes(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewCodesBody>,
) -> ApiResult<(StatusCode, Json<PromoCodeList>)> {
    let input = CodesInput {
        code: b.code,
        count: b.count,
        multi_use: b.multi_use,
        usage_limit: b.usage_limit,
    };
    let items = app
        .add_promo_codes(&who, id_of(&id)?, input)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok((StatusCode::CREATED, Json(PromoCodeList { items })))
}

pub async fn delete_code(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((id, c)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    app.delete_promo_code(&who, id_of(&id)?, id_of(&c)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    const OVERLAP: &str = "A field is refused, another discount of the client covers the same products on one of the days (`overlapping_rule`), the end is before the start (`end_before_start`), a target does not exist";
    g.op(M::GET, "/api/v1/clients/{id}/discounts", f::DISCOUNT_VIEW,
        Doc::new("discounts", "The client's personal discounts (they outrank every promotion)").returns::<DiscountList>(200), discounts)
    .op(M::POST, "/api/v1/clients/{id}/discounts", f::DISCOUNT_EDIT,
        Doc::new("discounts", "Add a personal discount").body::<NewDiscountBody>().returns::<DiscountDto>(201)
            .invalid(OVERLAP).conflict("The client's data was cleared (`client_anonymized`)"), create_discount)
    .op(M::GET, "/api/v1/clients/{id}/discounts/{discount_id}", f::DISCOUNT_VIEW,
        Doc::new("discounts", "A personal discount").returns::<DiscountDto>(200), discount)
    .op(M::PATCH, "/api/v1/clients/{id}/discounts/{discount_id}", f::DISCOUNT_EDIT,
        Doc::new("discounts", "Edit a personal discount").body::<DiscountPatchBody>().returns::<DiscountDto>(200)
            .invalid(OVERLAP).conflict("The client's data was cleared (`client_anonymized`)"), edit_discount)
    .op(M::DELETE, "/api/v1/clients/{id}/discounts/{discount_id}", f::DISCOUNT_EDIT,
        Doc::new("discounts", "Delete a personal discount").no_content(), delete_discount)
    .op(M::GET, "/api/v1/promotions", f::PROMOTION_VIEW,
        Doc::new("promotions", "Promotions with their condition groups").returns::<PromotionList>(200), promotions)
    .op(M::POST, "/api/v1/promotions", f::PROMOTION_EDIT,
        Doc::new("promotions", "Add a promotion").body::<NewPromotionBody>().returns::<PromotionDto>(201)
            .conflict("A promotion with this name exists (`name_taken`)"), create_promotion)
    .op(M::GET, "/api/v1/promotions/{id}", f::PROMOTION_VIEW,
        Doc::new("promotions", "A promotion with its conditions by group").returns::<PromotionDto>(200), promotion)
    .op(M::PATCH, "/api/v1/promotions/{id}", f::PROMOTION_EDIT,
        Doc::new("promotions", "Edit a promotion").body::<PromotionPatchBody>().returns::<PromotionDto>(200)
            .conflict("A promotion with this name exists (`name_taken`)"), edit_promotion)
    .op(M::DELETE, "/api/v1/promotions/{id}", f::PROMOTION_EDIT,
        Doc::new("promotions", "Delete a promotion with its conditions and codes").no_content(), delete_promotion)
    .op(M::POST, "/api/v1/promotions/{id}/conditions", f::PROMOTION_EDIT,
        Doc::new("promotions", "Add a condition to a group").body::<NewConditionBody>().returns::<ConditionDto>(201)
            .invalid("The group is not 1–100 (`out_of_range`), the value does not fit the kind, or names no record")
            .conflict("The group already has this condition (`conflict`)"), add_condition)
    .op(M::DELETE, "/api/v1/promotions/{id}/conditions/{condition_id}", f::PROMOTION_EDIT,
        Doc::new("promotions", "Remove a condition").no_content(), delete_condition)
    .op(M::GET, "/api/v1/promotions/{id}/codes", f::PROMOTION_VIEW,
        Doc::new("promotions", "The promotion's promo codes with how often each was used").returns::<PromoCodeList>(200), codes)
    .op(M::POST, "/api/v1/promotions/{id}/codes", f::PROMOTION_EDIT,
        Doc::new("promotions", "Add a promo code, or generate `count` random ones").body::<NewCodesBody>().returns::<PromoCodeList>(201)
            .conflict("The code exists (`promo_code_taken`)"), add_codes)
    .op(M::DELETE, "/api/v1/promotions/{id}/codes/{code_id}", f::PROMOTION_EDIT,
        Doc::new("promotions", "Delete a promo code").no_content(), delete_code)
}
