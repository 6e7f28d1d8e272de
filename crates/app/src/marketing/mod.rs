//! Personal discounts and promotions (issue 11; seed 004, reference §1.10). A personal
//! discount is set by staff for one client and outranks every promotion; a promotion is a
//! provider's offer to whoever meets its condition groups, optionally behind promo codes.
//!
//! The rules (amounts, overlap, conditions, codes) are `bursar_domain::pricing::discounts`;
//! this module reads the input, checks that every id it names exists, and records each
//! change in words (amounts as `15 %` or `5.00 USD`, targets by name) in the history.

pub mod discounts;
pub mod promotions;

use crate::error::AppError;
use crate::ports::{CatalogId, Tx};
use bursar_domain::money::parse_positive_amount;
use bursar_domain::pricing::Validity;
use bursar_domain::pricing::discounts::normalize_code;
use bursar_domain::pricing::discounts::{Amount, PromoCode, parse_percent};
use bursar_domain::{ErrorCode, Invalid};
use jiff::civil::Date;

pub use promotions::redeem_promo_code;

/// A discount's size as given: `kind` `percent` with `percent` ("15", "12.5"), or `fixed`
/// with `amount` ("5.00") and `currency`. Absent parts keep the old value on an edit.
#[derive(Clone, Debug, Default)]
pub struct AmountInput {
    pub kind: Option<String>,
    pub percent: Option<String>,
    pub amount: Option<String>,
    pub currency: Option<String>,
}

/// Decimal places of a currency (2 when the directory does not know it).
pub(crate) async fn places(tx: &mut dyn Tx, code: &str) -> Result<u16, AppError> {
    Ok(tx
        .currency(code)
        .await?
        .and_then(|c| u16::try_from(c.minor_units).ok())
        .unwrap_or(2))
}

/// The places of the amount's currency (none needed for a percentage).
pub(crate) async fn amount_places(tx: &mut dyn Tx, a: &Amount) -> Result<u16, AppError> {
    match a {
        Amount::Percent { .. } => Ok(2),
        Amount::Fixed { currency, .. } => places(tx, currency).await,
    }
}

/// The amount as people read it: `15 %`, `5.00 USD`.
pub(crate) async fn amount_text(tx: &mut dyn Tx, a: &Amount) -> Result<String, AppError> {
    let places = amount_places(tx, a).await?;
    Ok(a.text(places))
}

/// Reads an amount, the old one filling what the edit leaves out; `None` when refused.
pub(crate) async fn parse_amount_input(
    tx: &mut dyn Tx,
    invalid: &mut Invalid,
    input: &AmountInput,
    old: Option<&Amount>,
) -> Result<Option<Amount>, AppError> {
    let old_kind = old.map(|a| match a {
        Amount::Percent { .. } => "percent",
        Amount::Fixed { .. } => "fixed",
    });
    let kind = match input.kind.as_deref().map(str::trim) {
        Some(k) => k.to_owned(),
        None => old_kind.unwrap_or_default().to_owned(),
    };
    match kind.as_str() {
        "percent" => match (&input.percent, old) {
            (Some(raw), _) => Ok(invalid
                .check(parse_percent("percent", raw))
                .map(|bp| Amount::Percent { bp })),
            (None, Some(a @ Amount::Percent { .. })) => Ok(Some(a.clone())),
            (None, _) => {
                invalid.push("percent", ErrorCode::Required, "is required");
                Ok(None)
            }
        },
        "fixed" => {
            let old_fixed = match old {
                Some(Amount::Fixed { minor, currency }) => Some((*minor, currency.clone())),
                _ => None,
            };
            let currency = match (&input.currency, &old_fixed) {
                (Some(raw), _) => {
                    let code = raw.trim().to_ascii_uppercase();
                    match tx.currency(&code).await? {
                        Some(c) if c.is_active => Some(code),
                        Some(_) => {
                            invalid.push(
                                "currency",
                                ErrorCode::CurrencyDisabled,
                                "this currency is not enabled",
                            );
                            None
                        }
                        None if code.is_empty() => {
                            invalid.push("currency", ErrorCode::Required, "is required");
                            None
                        }
                        None => {
                            invalid.push(
                                "currency",
                                ErrorCode::InvalidCurrency,
                                "no such currency",
                            );
                            None
                        }
                    }
                }
                (None, Some((_, c))) => Some(c.clone()),
                (None, None) => {
                    invalid.push("currency", ErrorCode::Required, "is required");
                    None
                }
            };
            let minor = match (&input.amount, &old_fixed, &currency) {
                (Some(raw), _, Some(c)) => {
                    let places = places(tx, c).await?;
                    invalid.check(parse_positive_amount("amount", raw, places))
                }
                (Some(_), _, None) => None,
                (None, Some((m, _)), _) => Some(*m),
                (None, None, _) => {
                    invalid.push("amount", ErrorCode::Required, "is required");
                    None
                }
            };
            Ok(minor
                .zip(currency)
                .map(|(minor, currency)| Amount::Fixed { minor, currency }))
        }
        "" => {
            invalid.push("kind", ErrorCode::Required, "is required");
            Ok(None)
        }
        _ => {
            invalid.push("kind", ErrorCode::Invalid, "must be percent or fixed");
            Ok(None)
        }
    }
}

/// A day as `2026-12-31`; empty is none (an open end).
fn parse_day(invalid: &mut Invalid, field: &str, raw: &str) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            invalid.push(
                field,
                ErrorCode::Malformed,
                "must be a date such as 2026-12-31",
            );
            None
        }
    }
}

/// Validity days as given (absent keeps the old day, empty clears it), end not before start.
pub(crate) fn parse_validity(
    invalid: &mut Invalid,
    starts_on: Option<&str>,
    ends_on: Option<&str>,
    old: Validity,
) -> Validity {
    let v = Validity {
        starts_on: match starts_on {
            Some(raw) => parse_day(invalid, "starts_on", raw),
            None => old.starts_on,
        },
        ends_on: match ends_on {
            Some(raw) => parse_day(invalid, "ends_on", raw),
            None => old.ends_on,
        },
    };
    if let Err(e) = v.check("ends_on") {
        invalid.0.extend(e.0);
    }
    v
}

/// A day for the history: the date, or empty for an open end.
pub(crate) fn day_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// An id given as text, refused per field when malformed.
pub(crate) fn parse_uuid(invalid: &mut Invalid, field: &str, raw: &str) -> Option<CatalogId> {
    match raw.trim().parse() {
        Ok(id) => Some(id),
        Err(_) => {
            invalid.push(field, ErrorCode::InvalidId, "is not a valid id");
            None
        }
    }
}

/// The domain's view of a stored code, for its usability rule.
pub(crate) fn code_rule(c: &crate::ports::PromoCodeRecord) -> PromoCode {
    PromoCode {
        code: normalize_code(&c.code),
        multi_use: c.multi_use,
        usage_limit: c.usage_limit,
        used: c.used,
    }
}
