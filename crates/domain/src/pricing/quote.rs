//! The price calculator: a plan, a period, a quantity and add-on choices, priced for one
//! client on one day. The breakdown has a line for the plan, each chargeable add-on and the
//! setup fee; the discount that applied and where it came from; the tax and the rules it came
//! from; the total in the account's currency; and the rate the prices were converted at.
//!
//! Order of work, per line: the price in the plan's currency × units × quantity, converted
//! exactly into the account's currency, rounded once ([`to_minor`]); the discount taken off
//! (a percentage rounded once per line, or a fixed amount shared out over the lines in
//! order); the tax of what is left, included in it or added on top. Setup fees are not
//! discounted. One discount applies: the client's personal discount if one covers the plan,
//! else the promotion that takes off the most.

use super::Currency;
use super::discounts::{
    Amount, DiscountSource, Facts, PersonalDiscount, Promotion, normalize_code,
};
use super::rates::{Conversion, RateBook};
use super::rounding::{basis_points, to_minor};
use super::taxes::{self, TaxPart, TaxRule};
use crate::catalog::{AddonBilling, Period};
use crate::{ErrorCode, Invalid};
use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A plan as the calculator needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub id: Uuid,
    pub name: String,
    pub product_type_id: Uuid,
    pub provider_id: Uuid,
    pub currency: Currency,
    /// (period, price, setup fee) in minor units of the plan's currency.
    pub prices: Vec<(Period, i64, i64)>,
    pub addons: Vec<Addon>,
}

/// An add-on of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addon {
    pub id: Uuid,
    pub key: String,
    pub name: String,
    pub billing: AddonBilling,
    pub unit: String,
    pub included: i64,
    pub min: i64,
    pub max: i64,
    pub step: i64,
    /// (period, option value or "", price per unit / of the option / when on).
    pub prices: Vec<(Period, String, i64)>,
}

/// What the client chose for an add-on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// An amount of an add-on billed on order (the whole amount, included part too).
    Amount(i64),
    /// An option of a choice add-on.
    Option(String),
    /// A yes/no add-on.
    On(bool),
}

/// What is being priced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub period: Period,
    pub quantity: i64,
    /// Add-on key → choice; add-ons not named keep what the plan includes.
    pub choices: BTreeMap<String, Choice>,
    pub promo_code: Option<String>,
}

/// Who it is priced for, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    pub account_currency: Currency,
    pub groups: Vec<Uuid>,
    /// The client has no services yet.
    pub first_order: bool,
    pub discounts: Vec<PersonalDiscount>,
    /// The provider's promotions.
    pub promotions: Vec<Promotion>,
    pub rates: RateBook,
    /// The minor units of the currencies a fixed discount may be in.
    pub currencies: Vec<Currency>,
    /// The provider adds tax on top of its prices (else prices include it).
    pub tax_on_top: bool,
    /// Rules of every level that may concern the client.
    pub tax_rules: Vec<TaxRule>,
    pub country: Option<String>,
    pub region: Option<String>,
    /// The instant tax rules are judged at, and the day (in the account's zone) discounts,
    /// promotions and rates are.
    pub at: Timestamp,
    pub today: Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Plan,
    Addon,
    Setup,
}

/// One line of the breakdown; amounts in minor units of the account's currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    pub kind: LineKind,
    /// The plan or add-on priced.
    pub item_id: Uuid,
    pub name: String,
    /// Units of the item per service (an add-on's extra units; 1 otherwise).
    pub units: i64,
    pub quantity: i64,
    /// The price of one unit for the period, in the plan's currency.
    pub unit_price_minor: i64,
    /// `unit price × units × quantity`, converted.
    pub amount_minor: i64,
    pub discount_minor: i64,
    /// `amount − discount`: what the tax is computed from (or included in).
    pub net_minor: i64,
    pub tax_minor: i64,
    /// What the client pays for the line.
    pub total_minor: i64,
    pub taxes: Vec<TaxPart>,
}

/// The promo code given and whether it took effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromoCodeOutcome {
    pub code: String,
    pub applied: bool,
    /// Why not: `personal_discount` (outranked) or `smaller_discount` (another promotion
    /// takes off more).
    pub reason: Option<&'static str>,
}

/// A tax rule's sum over the lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaxTotal {
    pub rule_id: Uuid,
    pub name: String,
    pub rate_bp: i64,
    pub amount_minor: i64,
}

/// The priced breakdown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    pub currency: Currency,
    pub price_currency: Currency,
    pub period: Period,
    pub quantity: i64,
    pub lines: Vec<Line>,
    pub conversion: Option<Conversion>,
    pub discount: Option<DiscountSource>,
    /// The rate a fixed discount in another currency was converted at.
    pub discount_conversion: Option<Conversion>,
    pub promo_code: Option<PromoCodeOutcome>,
    pub tax_included: bool,
    pub taxes: Vec<TaxTotal>,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
}

/// Why a request cannot be priced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuoteError {
    /// Fields of the request that are wrong (422).
    Invalid(Invalid),
    /// No rate joins the plan's currency and the account's on the day (409).
    NoRate { from: String, to: String },
}

impl From<Invalid> for QuoteError {
    fn from(e: Invalid) -> Self {
        QuoteError::Invalid(e)
    }
}

/// The most services one quote prices.
pub const MAX_QUANTITY: i64 = 1000;

/// An item to price before conversion: (kind, id, name, units, unit price).
struct Item {
    kind: LineKind,
    id: Uuid,
    name: String,
    units: i64,
    unit_price: i64,
}

/// The plan's and add-ons' items for the request, refusing what the plan does not offer.
fn items(plan: &Plan, req: &Request) -> Result<Vec<Item>, Invalid> {
    let mut invalid = Invalid::default();
    if !(1..=MAX_QUANTITY).contains(&req.quantity) {
        invalid.push(
            "quantity",
            ErrorCode::OutOfRange,
            format!("must be from 1 to {MAX_QUANTITY}"),
        );
    }
    let Some(&(_, price, setup)) = plan.prices.iter().find(|(p, _, _)| *p == req.period) else {
        invalid.push(
            "period",
            ErrorCode::InvalidPeriod,
            "the plan is not offered for this period",
        );
        return Err(invalid);
    };
    let mut items = vec![Item {
        kind: LineKind::Plan,
        id: plan.id,
        name: plan.name.clone(),
        units: 1,
        unit_price: price,
    }];
    for key in req.choices.keys() {
        if !plan.addons.iter().any(|a| &a.key == key) {
            invalid.push(
                &format!("addons.{key}"),
                ErrorCode::Invalid,
                "the plan has no such add-on",
            );
        }
    }
    for addon in &plan.addons {
        let field = format!("addons.{}", addon.key);
        let price_of = |option: &str| {
            addon
                .prices
                .iter()
                .find(|(p, o, _)| *p == req.period && o == option)
                .map(|(_, _, m)| *m)
        };
        let choice = req.choices.get(&addon.key);
        let (units, unit_price) = match (addon.billing, choice) {
            (AddonBilling::Order, Some(Choice::Amount(n))) => {
                let n = *n;
                if n < addon.min || n > addon.max || (n - addon.min) % addon.step.max(1) != 0 {
                    invalid.push(
                        &field,
                        ErrorCode::OutOfRange,
                        format!(
                            "must be from {} to {} in steps of {}",
                            addon.min, addon.max, addon.step
                        ),
                    );
                    continue;
                }
                ((n - addon.included).max(0), price_of("").unwrap_or(0))
            }
            (AddonBilling::Choice, Some(Choice::Option(option))) => match price_of(option) {
                Some(p) => (1, p),
                None => {
                    invalid.push(
                        &field,
                        ErrorCode::Invalid,
                        "is not an option of this add-on for the period",
                    );
                    continue;
                }
            },
            (AddonBilling::Boolean, Some(Choice::On(on))) => {
                (i64::from(*on), price_of("").unwrap_or(0))
            }
            (_, None) => (0, 0),
            (AddonBilling::Order, _) => {
                invalid.push(&field, ErrorCode::Invalid, "must be an amount");
                continue;
            }
            (AddonBilling::Choice, _) => {
                invalid.push(
                    &field,
                    ErrorCode::Invalid,
                    "must be one of the add-on's options",
                );
                continue;
            }
            (AddonBilling::Boolean, _) => {
                invalid.push(&field, ErrorCode::Invalid, "must be true or false");
                continue;
            }
            (AddonBilling::None | AddonBilling::Statistics, Some(_)) => {
                invalid.push(&field, ErrorCode::ReadOnly, "is not chosen when ordering");
                continue;
            }
        };
        if units > 0 && unit_price > 0 {
            items.push(Item {
                kind: LineKind::Addon,
                id: addon.id,
                name: addon.name.clone(),
                units,
                unit_price,
            });
        }
    }
    if setup > 0 {
        items.push(Item {
            kind: LineKind::Setup,
            id: plan.id,
            name: plan.name.clone(),
            units: 1,
            unit_price: setup,
        });
    }
    invalid.into_result().map(|()| items)
}

/// The discount that applies (with its source) and what became of the promo code.
type Chosen<'c> = (
    Option<(&'c Amount, DiscountSource)>,
    Option<PromoCodeOutcome>,
);

/// The discount for the plan: the most specific personal discount in force, else the
/// promotion in force whose conditions hold that takes off the most. With the promo code's
/// outcome when one was given.
fn choose_discount<'c>(
    plan: &Plan,
    req: &Request,
    ctx: &'c Context,
    code: Option<&str>,
    value_of: &dyn Fn(&Amount) -> i64,
) -> Result<Chosen<'c>, Invalid> {
    let personal = ctx
        .discounts
        .iter()
        .filter(|d| d.validity.contains(ctx.today) && d.scope.covers(plan.id, plan.product_type_id))
        .max_by_key(|d| (d.scope.rank(), value_of(&d.amount), d.id));
    let facts = Facts {
        groups: &ctx.groups,
        tariff: plan.id,
        product_type: plan.product_type_id,
        period: req.period,
        first_order: ctx.first_order,
        promo_code: code,
    };
    let running = || {
        ctx.promotions
            .iter()
            .filter(|p| p.provider_id == plan.provider_id && p.runs_on(ctx.today))
    };
    let outcome = match code {
        None => None,
        Some(code) => {
            let owner = running().find(|p| p.codes.iter().any(|c| c.code == code));
            match owner {
                None => {
                    return Err(Invalid::field(
                        "promo_code",
                        ErrorCode::UnknownPromoCode,
                        "no running promotion has this code",
                    ));
                }
                Some(p) if p.given_code(Some(code)).is_none() => {
                    return Err(Invalid::field(
                        "promo_code",
                        ErrorCode::PromoCodeUsedUp,
                        "this code has been used up",
                    ));
                }
                Some(p) if !p.conditions_hold(&facts) => {
                    return Err(Invalid::field(
                        "promo_code",
                        ErrorCode::PromoCodeNotApplicable,
                        "the promotion's conditions are not met for this order",
                    ));
                }
                Some(p) => Some((p.id, code)),
            }
        }
    };
    if let Some(d) = personal {
        let source = DiscountSource::Personal {
            id: d.id,
            comment: d.comment.clone(),
        };
        let outcome = outcome.map(|(_, code)| PromoCodeOutcome {
            code: code.to_owned(),
            applied: false,
            reason: Some("personal_discount"),
        });
        return Ok((Some((&d.amount, source)), outcome));
    }
    let best = running()
        .filter(|p| p.conditions_hold(&facts))
        .max_by(|a, b| {
            value_of(&a.amount)
                .cmp(&value_of(&b.amount))
                .then_with(|| b.name.cmp(&a.name))
        });
    let outcome = outcome.map(|(owner, code)| {
        let applied = best.is_some_and(|b| b.id == owner);
        PromoCodeOutcome {
            code: code.to_owned(),
            applied,
            reason: (!applied).then_some("smaller_discount"),
        }
    });
    let chosen = best.map(|p| {
        let source = DiscountSource::Promotion {
            id: p.id,
            name: p.name.clone(),
            title_en: p.title_en.clone(),
            title_ru: p.title_ru.clone(),
        };
        (&p.amount, source)
    });
    Ok((chosen, outcome))
}

/// Prices `req` on `plan` for the client of `ctx`.
pub fn quote(plan: &Plan, req: &Request, ctx: &Context) -> Result<Quote, QuoteError> {
    let items = items(plan, req)?;
    let to = &ctx.account_currency;
    let exact: Vec<Decimal> = items
        .iter()
        .map(|i| Decimal::from(i.unit_price) * Decimal::from(i.units) * Decimal::from(req.quantity))
        .collect();
    let price_total: Decimal = exact.iter().sum();
    let conversion = if plan.currency.code == to.code {
        None
    } else {
        let rounded_total = to_minor(price_total);
        let c = ctx
            .rates
            .conversion(
                (&plan.currency.code, plan.currency.minor_units),
                (&to.code, to.minor_units),
                ctx.today,
                rounded_total,
            )
            .ok_or_else(|| QuoteError::NoRate {
                from: plan.currency.code.clone(),
                to: to.code.clone(),
            })?;
        Some(c)
    };
    let convert = |amount: Decimal| conversion.as_ref().map_or(amount, |c| c.apply(amount));
    let amounts: Vec<i64> = exact.iter().map(|a| to_minor(convert(*a))).collect();
    let discountable: i64 = items
        .iter()
        .zip(&amounts)
        .filter(|(i, _)| i.kind != LineKind::Setup)
        .map(|(_, a)| *a)
        .sum();

    // A fixed discount in the account's currency (converted if it is in another), at most
    // what can be discounted; a percentage of the discountable amount for ranking.
    let fixed_in_account = |minor: i64, currency: &str| -> Option<(i64, Option<Conversion>)> {
        if currency == to.code {
            return Some((minor, None));
        }
        let from_minor = ctx
            .currencies
            .iter()
            .chain([&plan.currency])
            .find(|c| c.code == currency)?
            .minor_units;
        ctx.rates
            .conversion(
                (currency, from_minor),
                (&to.code, to.minor_units),
                ctx.today,
                minor,
            )
            .map(|c| (to_minor(c.apply(Decimal::from(minor))), Some(c)))
    };
    let value_of = |amount: &Amount| match amount {
        Amount::Percent { bp } => to_minor(Decimal::from(discountable) * basis_points(*bp)),
        Amount::Fixed { minor, currency } => fixed_in_account(*minor, currency)
            .map_or(0, |(m, _)| m)
            .min(discountable),
    };
    let code = req
        .promo_code
        .as_deref()
        .map(normalize_code)
        .filter(|c| !c.is_empty());
    let (discount, promo_code) = choose_discount(plan, req, ctx, code.as_deref(), &value_of)?;

    let (mut fixed_left, discount_conversion) = match discount.as_ref().map(|(a, _)| *a) {
        Some(Amount::Fixed { minor, currency }) => {
            fixed_in_account(*minor, currency).ok_or_else(|| QuoteError::NoRate {
                from: currency.clone(),
                to: to.code.clone(),
            })?
        }
        _ => (0, None),
    };
    let rules = taxes::applicable(
        &ctx.tax_rules,
        plan.product_type_id,
        ctx.country.as_deref(),
        ctx.region.as_deref(),
        ctx.at,
    );
    let included = !ctx.tax_on_top;
    let mut lines = Vec::with_capacity(items.len());
    for (item, amount) in items.into_iter().zip(amounts) {
        let discount_minor = match (item.kind, discount.as_ref().map(|(a, _)| *a)) {
            (LineKind::Setup, _) | (_, None) => 0,
            (_, Some(Amount::Percent { bp })) => {
                to_minor(Decimal::from(amount) * basis_points(*bp)).min(amount)
            }
            (_, Some(Amount::Fixed { .. })) => {
                let take = fixed_left.min(amount);
                fixed_left -= take;
                take
            }
        };
        let net = amount - discount_minor;
        let parts = taxes::tax_of(net, &rules, included);
        let tax: i64 = parts.iter().map(|p| p.amount_minor).sum();
        lines.push(Line {
            kind: item.kind,
            item_id: item.id,
            name: item.name,
            units: item.units,
            quantity: req.quantity,
            unit_price_minor: item.unit_price,
            amount_minor: amount,
            discount_minor,
            net_minor: net,
            tax_minor: tax,
            total_minor: if included { net } else { net + tax },
            taxes: parts,
        });
    }
    let mut tax_totals: Vec<TaxTotal> = rules
        .iter()
        .map(|r| TaxTotal {
            rule_id: r.id,
            name: r.name.clone(),
            rate_bp: r.rate_bp,
            amount_minor: 0,
        })
        .collect();
    for part in lines.iter().flat_map(|l| &l.taxes) {
        if let Some(t) = tax_totals.iter_mut().find(|t| t.rule_id == part.rule_id) {
            t.amount_minor += part.amount_minor;
        }
    }
    let sum = |f: fn(&Line) -> i64| lines.iter().map(f).sum::<i64>();
    let discount_minor = sum(|l| l.discount_minor);
    Ok(Quote {
        currency: to.clone(),
        price_currency: plan.currency.clone(),
        period: req.period,
        quantity: req.quantity,
        subtotal_minor: sum(|l| l.amount_minor),
        discount_minor,
        tax_minor: sum(|l| l.tax_minor),
        total_minor: sum(|l| l.total_minor),
        lines,
        conversion,
        discount_conversion,
        discount: discount.filter(|_| discount_minor > 0).map(|(_, s)| s),
        promo_code,
        tax_included: included,
        taxes: tax_totals,
    })
}

#[cfg(test)]
#[path = "quote_tests.rs"]
mod tests;
