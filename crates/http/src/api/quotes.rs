//! Quotes: `POST /api/v1/quotes` prices a plan for a client and answers the breakdown (lines,
//! discount and its source, tax and its rules, the rate used, the total). It writes nothing.

use super::catalog::PeriodDto;
use super::money::client_filter;
use super::money_dto::MoneyDto;
use crate::guard::{AppExt, Caller};
use crate::json::ApiJson;
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use bursar_app::error::AppError;
use bursar_app::quotes::{AddonValue, PricedQuote, QuoteInput};
use bursar_domain::functions::f;
use bursar_domain::money::format_minor;
use bursar_domain::pricing::discounts::DiscountSource;
use bursar_domain::pricing::quote::LineKind;
use bursar_domain::pricing::rates::{Conversion, RateSource};
use bursar_domain::pricing::taxes::TaxPart;
use bursar_domain::{ErrorCode, Locale};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// An add-on's value: a whole number for one billed on order, an option's value for a
/// choice, true or false for a yes/no add-on.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AddonValueDto {
    Number(i64),
    Flag(bool),
    Text(String),
}

/// What to price.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteBody {
    /// The client's id or number.
    #[schema(example = "1042")]
    pub client_id: String,
    #[schema(format = Uuid)]
    pub tariff_id: String,
    /// Default: the plan's default period.
    pub period: Option<PeriodDto>,
    /// How many services; default 1.
    #[schema(minimum = 1, maximum = 1000)]
    pub quantity: Option<i64>,
    /// Add-on key → value; add-ons not named keep what the plan includes.
    #[serde(default)]
    pub addons: BTreeMap<String, AddonValueDto>,
    #[schema(max_length = 64)]
    pub promo_code: Option<String>,
    /// The day to price on (`2026-12-31`); default today.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// The language of the names in the answer; default the caller's.
    pub lang: Option<LangDto>,
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum LangDto {
    En,
    Ru,
}

#[derive(Serialize, ToSchema)]
pub struct TaxPartDto {
    #[schema(format = Uuid)]
    pub rule_id: String,
    pub name: String,
    /// Percent (`20.00`).
    pub rate: String,
    pub amount: MoneyDto,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineKindDto {
    Plan,
    Addon,
    Setup,
}

#[derive(Serialize, ToSchema)]
pub struct QuoteLineDto {
    pub kind: LineKindDto,
    /// The plan or add-on priced.
    #[schema(format = Uuid)]
    pub item_id: String,
    pub name: String,
    /// Units per service (an add-on's extra units; 1 otherwise).
    pub units: i64,
    pub quantity: i64,
    /// One unit for the period, in the plan's currency.
    pub unit_price: MoneyDto,
    /// `unit price × units × quantity`, in the account's currency.
    pub amount: MoneyDto,
    pub discount: MoneyDto,
    /// `amount − discount`.
    pub net: MoneyDto,
    pub tax: MoneyDto,
    pub total: MoneyDto,
    pub taxes: Vec<TaxPartDto>,
}

/// Where a rate came from.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RateSourceDto {
    Personal,
    Group,
    Directory,
}

/// Where a discount came from.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiscountKindDto {
    Personal,
    Promotion,
}

/// Why a valid promo code did not apply.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeReasonDto {
    /// The client's personal discount outranks promotions.
    PersonalDiscount,
    /// Another promotion takes off more.
    SmallerDiscount,
}

/// The rate the prices were converted at.
#[derive(Serialize, ToSchema)]
pub struct ConversionDto {
    #[schema(format = Uuid)]
    pub rate_id: String,
    pub source: RateSourceDto,
    pub from: String,
    pub to: String,
    /// As entered: `units` of `currency` are worth `rate` of `base`.
    pub base: String,
    pub currency: String,
    #[schema(example = "92.5")]
    pub rate: String,
    pub units: i64,
    #[schema(format = Date)]
    pub valid_from: String,
}

/// Where the discount came from.
#[derive(Serialize, ToSchema)]
pub struct DiscountSourceDto {
    pub source: DiscountKindDto,
    #[schema(format = Uuid)]
    pub id: String,
    /// The promotion's client-facing title, or the personal discount's comment.
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct PromoCodeDto {
    pub code: String,
    pub applied: bool,
    /// Why it did not apply.
    pub reason: Option<CodeReasonDto>,
}

#[derive(Serialize, ToSchema)]
pub struct QuoteDto {
    #[schema(format = Uuid)]
    pub client_id: String,
    pub client_number: i64,
    pub client_name: String,
    #[schema(format = Uuid)]
    pub tariff_id: String,
    pub tariff_name: String,
    pub provider: String,
    #[schema(format = Date)]
    pub date: String,
    pub period: PeriodDto,
    pub quantity: i64,
    /// The account's currency: every amount but unit prices is in it.
    pub currency: String,
    pub price_currency: String,
    /// Prices include tax (else tax is added on top).
    pub tax_included: bool,
    pub lines: Vec<QuoteLineDto>,
    pub conversion: Option<ConversionDto>,
    pub discount_source: Option<DiscountSourceDto>,
    /// The rate a fixed discount in another currency was converted at.
    pub discount_conversion: Option<ConversionDto>,
    pub promo_code: Option<PromoCodeDto>,
    pub taxes: Vec<TaxPartDto>,
    pub subtotal: MoneyDto,
    pub discount: MoneyDto,
    pub tax: MoneyDto,
    pub total: MoneyDto,
}

fn conversion_dto(c: &Conversion) -> ConversionDto {
    ConversionDto {
        rate_id: c.rate_id.to_string(),
        source: match c.source {
            RateSource::Personal => RateSourceDto::Personal,
            RateSource::Group => RateSourceDto::Group,
            RateSource::Directory => RateSourceDto::Directory,
        },
        from: c.from.clone(),
        to: c.to.clone(),
        base: c.base.clone(),
        currency: c.currency.clone(),
        rate: c.rate.normalize().to_string(),
        units: c.units,
        valid_from: c.valid_from.to_string(),
    }
}

fn quote_dto(p: PricedQuote, locale: Locale) -> QuoteDto {
    let q = p.quote;
    let (code, places) = (q.currency.code.clone(), q.currency.minor_units);
    let money = |minor: i64| MoneyDto::new(minor, places, &code);
    let tax = |t: &TaxPart| TaxPartDto {
        rule_id: t.rule_id.to_string(),
        name: t.name.clone(),
        rate: format_minor(t.rate_bp, 2),
        amount: money(t.amount_minor),
    };
    QuoteDto {
        client_id: p.client_id.to_string(),
        client_number: p.client_number,
        client_name: p.client_name,
        tariff_id: p.tariff_id.to_string(),
        tariff_name: p.tariff_name,
        provider: p.provider_name,
        date: p.date.to_string(),
        period: PeriodDto::of(q.period),
        quantity: q.quantity,
        currency: code.clone(),
        price_currency: q.price_currency.code.clone(),
        tax_included: q.tax_included,
        lines: q
            .lines
            .iter()
            .map(|l| QuoteLineDto {
                kind: match l.kind {
                    LineKind::Plan => LineKindDto::Plan,
                    LineKind::Addon => LineKindDto::Addon,
                    LineKind::Setup => LineKindDto::Setup,
                },
                item_id: l.item_id.to_string(),
                name: l.name.clone(),
                units: l.units,
                quantity: l.quantity,
                unit_price: MoneyDto::new(
                    l.unit_price_minor,
                    q.price_currency.minor_units,
                    &q.price_currency.code,
                ),
                amount: money(l.amount_minor),
                discount: money(l.discount_minor),
                net: money(l.net_minor),
                tax: money(l.tax_minor),
                total: money(l.total_minor),
                taxes: l.taxes.iter().map(tax).collect(),
            })
            .collect(),
        conversion: q.conversion.as_ref().map(conversion_dto),
        discount_conversion: q.discount_conversion.as_ref().map(conversion_dto),
        discount_source: q.discount.as_ref().map(|d| match d {
            DiscountSource::Personal { id, comment } => DiscountSourceDto {
                source: DiscountKindDto::Personal,
                id: id.to_string(),
                name: if comment.trim().is_empty() {
                    match locale {
                        Locale::Ru => "Персональная скидка".to_owned(),
                        _ => "Personal discount".to_owned(),
                    }
                } else {
                    comment.clone()
                },
            },
            DiscountSource::Promotion {
                id,
                title_en,
                title_ru,
                ..
            } => DiscountSourceDto {
                source: DiscountKindDto::Promotion,
                id: id.to_string(),
                name: match locale {
                    Locale::Ru => title_ru.clone(),
                    _ => title_en.clone(),
                },
            },
        }),
        promo_code: q.promo_code.as_ref().map(|c| PromoCodeDto {
            code: c.code.clone(),
            applied: c.applied,
            reason: c.reason.map(|r| match r {
                "personal_discount" => CodeReasonDto::PersonalDiscount,
                _ => CodeReasonDto::SmallerDiscount,
            }),
        }),
        taxes: q
            .taxes
            .iter()
            .map(|t| TaxPartDto {
                rule_id: t.rule_id.to_string(),
                name: t.name.clone(),
                rate: format_minor(t.rate_bp, 2),
                amount: money(t.amount_minor),
            })
            .collect(),
        subtotal: money(q.subtotal_minor),
        discount: money(q.discount_minor),
        tax: money(q.tax_minor),
        total: money(q.total_minor),
    }
}

pub async fn create_quote(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<QuoteBody>,
) -> ApiResult<Json<QuoteDto>> {
    let client = client_filter(&app, &who, Some(&b.client_id)).await?;
    let tariff_id = b.tariff_id.trim().parse().map_err(|_| {
        Problem::from(AppError::invalid(
            "tariff_id",
            ErrorCode::InvalidId,
            "must be an id",
        ))
    })?;
    let date = match b.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(raw) => Some(raw.parse().map_err(|_| {
            Problem::from(AppError::invalid(
                "date",
                ErrorCode::Invalid,
                "must be a date such as 2026-12-31",
            ))
        })?),
    };
    let locale = match b.lang {
        Some(LangDto::Ru) => Locale::Ru,
        Some(LangDto::En) => Locale::En,
        None => who.user.locale,
    };
    let input = QuoteInput {
        client_id: client,
        tariff_id: Some(tariff_id),
        period: b.period.map(PeriodDto::key),
        quantity: b.quantity,
        addons: b
            .addons
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    AddonValueDto::Number(n) => AddonValue::Number(n),
                    AddonValueDto::Flag(f) => AddonValue::Flag(f),
                    AddonValueDto::Text(t) => AddonValue::Text(t),
                };
                (k, v)
            })
            .collect(),
        promo_code: b.promo_code,
        date,
    };
    Ok(Json(quote_dto(
        app.quote(&who, input, locale).await?,
        locale,
    )))
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::POST, "/api/v1/quotes", f::QUOTE_CREATE,
        Doc::new("finance", "Price a plan for a client: lines, the discount and its source, the tax and its rules, the rate used, the total (writes nothing)")
            .body::<QuoteBody>().returns::<QuoteDto>(200)
            .invalid("A field is wrong: unknown client or plan, a period the plan lacks, an add-on value out of its limits, an unknown, used-up or inapplicable promo code (`unknown_promo_code`, `promo_code_used_up`, `promo_code_not_applicable`), an archived plan or one closed to the client's group (`tariff_not_available`)")
            .conflict("No exchange rate joins the plan's currency and the account's on that day (`no_exchange_rate`)"), create_quote)
}
