//! Quotes: what a client would pay for a plan, and why (issue 11). Staff choose a client, a
//! plan, a period, add-ons and a promo code; the answer is the calculator's breakdown
//! ([`bursar_domain::pricing::quote`]) with the client's own discounts, rates and tax rules.
//! A quote writes nothing: orders will price the same way and keep what they charged.

use crate::App;
use crate::catalog::name_in;
use crate::error::AppError;
use crate::ports::{AddonRecord, CatalogId, TariffRecord, TaxRuleRecord, Tx};
use crate::principal::Principal;
use bursar_domain::catalog::{AddonBilling, Period};
use bursar_domain::functions::f;
use bursar_domain::pricing::Currency;
use bursar_domain::pricing::discounts::{PromoCode, Promotion};
use bursar_domain::pricing::quote::{
    self, Addon, Choice, Context, Plan, Quote, QuoteError, Request,
};
use bursar_domain::pricing::rates::RateBook;
use bursar_domain::{ClientId, ErrorCode, Invalid, Locale, ProviderId};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

/// An add-on value as sent: a number, a text (an option, or a form's text) or a flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddonValue {
    Number(i64),
    Text(String),
    Flag(bool),
}

/// What to price.
#[derive(Clone, Debug, Default)]
pub struct QuoteInput {
    pub client_id: Option<ClientId>,
    pub tariff_id: Option<CatalogId>,
    /// A period key (`month1`); the plan's default when absent.
    pub period: Option<String>,
    /// How many services; 1 when absent.
    pub quantity: Option<i64>,
    /// Add-on key → value.
    pub addons: BTreeMap<String, AddonValue>,
    pub promo_code: Option<String>,
    /// The day to price on; today when absent.
    pub date: Option<Date>,
}

/// A priced quote with the names people read.
#[derive(Clone, Debug)]
pub struct PricedQuote {
    pub client_id: ClientId,
    pub client_number: i64,
    pub client_name: String,
    pub tariff_id: CatalogId,
    pub tariff_name: String,
    pub provider_name: String,
    pub date: Date,
    pub quote: Quote,
}

/// The choice an add-on value means for the add-on's billing, or the field's error.
fn choice(addon: &AddonRecord, value: &AddonValue) -> Result<Choice, Invalid> {
    let field = format!("addons.{}", addon.key);
    let refuse = |message: &str| Invalid::field(&field, ErrorCode::Invalid, message);
    match (addon.billing, value) {
        (AddonBilling::Order, AddonValue::Number(n)) => Ok(Choice::Amount(*n)),
        (AddonBilling::Order, AddonValue::Text(t)) => {
            t.trim().parse().map(Choice::Amount).map_err(|_| {
                Invalid::field(&field, ErrorCode::NotANumber, "must be a whole number")
            })
        }
        (AddonBilling::Choice, AddonValue::Text(t)) => Ok(Choice::Option(t.trim().to_owned())),
        (AddonBilling::Boolean, AddonValue::Flag(b)) => Ok(Choice::On(*b)),
        (AddonBilling::Boolean, AddonValue::Text(t)) => match t.trim() {
            "on" | "true" | "1" | "yes" => Ok(Choice::On(true)),
            "" | "off" | "false" | "0" | "no" => Ok(Choice::On(false)),
            _ => Err(refuse("must be true or false")),
        },
        (AddonBilling::Order, _) => Err(refuse("must be a whole number")),
        (AddonBilling::Choice, _) => Err(refuse("must be one of the add-on's options")),
        (AddonBilling::Boolean, _) => Err(refuse("must be true or false")),
        (AddonBilling::None | AddonBilling::Statistics, _) => Err(Invalid::field(
            &field,
            ErrorCode::ReadOnly,
            "is not chosen when ordering",
        )),
    }
}

/// The plan as the calculator sees it, with names in `locale` (a choice add-on's line is
/// named later with its option).
fn plan_of(t: &TariffRecord, addons: &[AddonRecord], currency: Currency, locale: Locale) -> Plan {
    Plan {
        id: t.id,
        name: name_in(locale, &t.name_en, &t.name_ru).to_owned(),
        product_type_id: t.product_type_id,
        provider_id: t.provider_id.0,
        currency,
        prices: t
            .prices
            .iter()
            .map(|p| (p.period, p.price_minor, p.setup_minor))
            .collect(),
        addons: addons
            .iter()
            .map(|a| Addon {
                id: a.id,
                key: a.key.clone(),
                name: name_in(locale, &a.name_en, &a.name_ru).to_owned(),
                billing: a.billing,
                unit: a.unit.clone(),
                included: a.included,
                min: a.min,
                max: a.max,
                step: a.step,
                prices: a
                    .prices
                    .iter()
                    .map(|p| (p.period, p.option.clone(), p.price_minor))
                    .collect(),
            })
            .collect(),
    }
}

async fn currency(tx: &mut dyn Tx, code: &str) -> Result<Currency, AppError> {
    Ok(Currency {
        code: code.to_owned(),
        minor_units: crate::money::minor_units(tx, code).await?,
    })
}

impl App {
    /// Prices `input` for its client, as of its date (today by default).
    pub async fn quote(
        &self,
        who: &Principal,
        input: QuoteInput,
        locale: Locale,
    ) -> Result<PricedQuote, AppError> {
        who.require(f::QUOTE_CREATE)?;
        let mut invalid = Invalid::default();
        if input.client_id.is_none() {
            invalid.push("client_id", ErrorCode::Required, "is required");
        }
        if input.tariff_id.is_none() {
            invalid.push("tariff_id", ErrorCode::Required, "is required");
        }
        let period = match input
            .period
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => None,
            Some(raw) => Period::parse(raw).map(Some).unwrap_or_else(|| {
                invalid.push(
                    "period",
                    ErrorCode::InvalidPeriod,
                    "must be a period such as month1",
                );
                None
            }),
        };
        if let Some(q) = input.quantity
            && !(1..=quote::MAX_QUANTITY).contains(&q)
        {
            let message = format!("must be from 1 to {}", quote::MAX_QUANTITY);
            invalid.push("quantity", ErrorCode::OutOfRange, message);
        }
        let (Some(client_id), Some(tariff_id)) = (input.client_id, input.tariff_id) else {
            return Err(AppError::Invalid(invalid));
        };
        let now = self.now();
        let today = now.to_zoned(TimeZone::UTC).date();
        let date = input.date.unwrap_or(today);
        let at = if date == today {
            now
        } else {
            date.to_zoned(TimeZone::UTC)
                .map(|z| z.timestamp())
                .unwrap_or(now)
        };

        let mut tx = self.store.snapshot().await?;
        let client = crate::clients::load_client(tx.as_mut(), client_id).await?;
        let Some(tariff) = tx.tariff(tariff_id).await? else {
            invalid.push("tariff_id", ErrorCode::InvalidId, "no such tariff plan");
            return Err(AppError::Invalid(invalid));
        };
        let groups = tx.groups_of(client_id).await?;
        let forbidden = crate::catalog::tariffs::forbidding(tx.as_mut(), tariff.id).await?;
        if tariff.archived_at.is_some() || forbidden.iter().any(|g| groups.contains(g)) {
            invalid.push(
                "tariff_id",
                ErrorCode::TariffNotAvailable,
                "this plan is archived or closed to the client's group",
            );
        }
        let addons = tx.addons_of(tariff.id).await?;
        let mut choices = BTreeMap::new();
        for (key, value) in &input.addons {
            match addons.iter().find(|a| &a.key == key) {
                Some(addon) => {
                    if let Some(c) = invalid.check(choice(addon, value)) {
                        choices.insert(key.clone(), c);
                    }
                }
                None => invalid.push(
                    &format!("addons.{key}"),
                    ErrorCode::Invalid,
                    "the plan has no such add-on",
                ),
            }
        }
        if !invalid.is_empty() {
            return Err(AppError::Invalid(invalid));
        }

        let provider = tx
            .provider(tariff.provider_id)
            .await?
            .ok_or(AppError::NotFound { what: "provider" })?;
        let account_code = match tx.active_account(client_id, tariff.provider_id).await? {
            Some(account) => account.currency_code,
            None => provider.currency_code.clone(),
        };
        let price_currency = currency(tx.as_mut(), &tariff.currency_code).await?;
        let account_currency = currency(tx.as_mut(), &account_code).await?;
        let discounts = tx
            .client_discounts(client_id)
            .await?
            .into_iter()
            .map(|d| d.discount)
            .collect();
        let promotions = promotions_of(tx.as_mut(), tariff.provider_id).await?;
        let rates = tx.rate_book(client_id, date).await?;
        let currencies = tx
            .list_currencies()
            .await?
            .into_iter()
            .map(|c| Currency {
                minor_units: u16::try_from(c.minor_units).unwrap_or(2),
                code: c.code,
            })
            .collect();
        let tax_rules = tx
            .tax_rules_for_client(tariff.provider_id, client_id)
            .await?
            .iter()
            .map(TaxRuleRecord::rule)
            .collect();
        // Taxes follow the default payer's country and region, as for expenses.
        let (country, region) = crate::taxes::payer_place(tx.as_mut(), client_id, None).await?;
        let country = country.map(|c| c.code().to_owned());
        let first_order = tx.services_of(client_id).await?.is_empty();
        let enumeration_names = option_names(tx.as_mut(), &addons, locale).await?;
        tx.commit().await?;

        let plan = plan_of(&tariff, &addons, price_currency, locale);
        let request = Request {
            period: period.unwrap_or(tariff.default_period),
            quantity: input.quantity.unwrap_or(1),
            choices,
            promo_code: input.promo_code,
        };
        let context = Context {
            account_currency,
            groups: groups.iter().map(|g| g.0).collect(),
            first_order,
            discounts,
            promotions,
            rates: RateBook { rates },
            currencies,
            tax_on_top: provider.tax_on_top,
            tax_rules,
            country,
            region,
            at,
            today: date,
        };
        let mut quote = quote::quote(&plan, &request, &context).map_err(|e| match e {
            QuoteError::Invalid(i) => AppError::Invalid(i),
            QuoteError::NoRate { from, to } => AppError::Conflict {
                code: ErrorCode::NoExchangeRate,
                field: Some("tariff_id"),
                message: format!("no exchange rate from {from} to {to} on {date}"),
            },
        })?;
        for line in &mut quote.lines {
            if let Some((_, option)) = request.choices.iter().find_map(|(key, c)| match c {
                Choice::Option(o)
                    if addons.iter().any(|a| a.id == line.item_id && &a.key == key) =>
                {
                    Some((key, o))
                }
                _ => None,
            }) {
                let shown = enumeration_names
                    .get(option)
                    .cloned()
                    .unwrap_or_else(|| option.clone());
                line.name = format!("{}: {shown}", line.name);
            }
        }
        Ok(PricedQuote {
            client_id,
            client_number: client.number.value(),
            client_name: client.name.to_string(),
            tariff_id: tariff.id,
            tariff_name: plan.name,
            provider_name: provider.name,
            date,
            quote,
        })
    }
}

/// The provider's promotions with their conditions and codes, as the calculator judges them.
async fn promotions_of(tx: &mut dyn Tx, provider: ProviderId) -> Result<Vec<Promotion>, AppError> {
    let mut promotions = Vec::new();
    for p in tx
        .promotions()
        .await?
        .into_iter()
        .filter(|p| p.provider_id == provider)
    {
        let conditions = tx.promotion_conditions(p.id).await?;
        let codes = tx.promo_codes(p.id).await?;
        promotions.push(Promotion {
            id: p.id,
            name: p.name,
            title_en: p.title_en,
            title_ru: p.title_ru,
            provider_id: p.provider_id.0,
            validity: p.validity,
            amount: p.amount,
            active: p.is_active,
            conditions: conditions
                .into_iter()
                .map(|c| (c.group, c.condition))
                .collect(),
            codes: codes
                .into_iter()
                .map(|c| PromoCode {
                    code: c.code,
                    multi_use: c.multi_use,
                    usage_limit: c.usage_limit,
                    used: c.used,
                })
                .collect(),
        });
    }
    Ok(promotions)
}

/// The names of the choice add-ons' options in `locale`, by value.
async fn option_names(
    tx: &mut dyn Tx,
    addons: &[AddonRecord],
    locale: Locale,
) -> Result<BTreeMap<String, String>, AppError> {
    let mut names = BTreeMap::new();
    for id in addons.iter().filter_map(|a| a.enumeration_id) {
        if let Some(e) = tx.enumeration(id).await? {
            for item in e.items {
                names.insert(
                    item.value,
                    name_in(locale, &item.name_en, &item.name_ru).to_owned(),
                );
            }
        }
    }
    Ok(names)
}

/// A plan one may price, with what its order form needs.
#[derive(Clone, Debug)]
pub struct QuotablePlan {
    pub tariff: TariffRecord,
    pub addons: Vec<AddonRecord>,
    /// Option value → name in the asked language, for choice add-ons.
    pub options: BTreeMap<String, String>,
}

impl App {
    /// The plans staff may price (not archived), newest first, with their add-ons.
    pub async fn quotable_plans(
        &self,
        who: &Principal,
        locale: Locale,
    ) -> Result<Vec<QuotablePlan>, AppError> {
        who.require(f::QUOTE_CREATE)?;
        let mut tx = self.store.snapshot().await?;
        let mut plans = Vec::new();
        for tariff in tx.tariffs(None).await? {
            if tariff.archived_at.is_some() {
                continue;
            }
            let addons = tx.addons_of(tariff.id).await?;
            let options = option_names(tx.as_mut(), &addons, locale).await?;
            plans.push(QuotablePlan {
                tariff,
                addons,
                options,
            });
        }
        tx.commit().await?;
        Ok(plans)
    }
}
