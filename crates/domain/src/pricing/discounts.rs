//! Personal discounts and promotions (seed 004, reference §1.10). A personal discount is set
//! by staff for one client and outranks every promotion; a promotion is a provider's offer to
//! whoever meets its conditions. Conditions form groups: inside a group any one suffices,
//! across groups one from each is needed.

use super::Validity;
use crate::catalog::Period;
use crate::{ErrorCode, Invalid};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// How much a discount takes off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Amount {
    /// A share of the price, in basis points (`1500` = 15 %).
    Percent { bp: i64 },
    /// A fixed amount in a currency, converted to the account's when it differs.
    Fixed { minor: i64, currency: String },
}

/// What a personal discount applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "scope", content = "targets")]
pub enum Scope {
    All,
    ProductTypes(Vec<Uuid>),
    Tariffs(Vec<Uuid>),
}

impl Scope {
    pub fn key(&self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::ProductTypes(_) => "product_types",
            Scope::Tariffs(_) => "tariffs",
        }
    }

    /// How specific the scope is: a plan beats a product type beats everything.
    pub fn rank(&self) -> u8 {
        match self {
            Scope::All => 0,
            Scope::ProductTypes(_) => 1,
            Scope::Tariffs(_) => 2,
        }
    }

    pub fn covers(&self, tariff: Uuid, product_type: Uuid) -> bool {
        match self {
            Scope::All => true,
            Scope::ProductTypes(ids) => ids.contains(&product_type),
            Scope::Tariffs(ids) => ids.contains(&tariff),
        }
    }

    /// Whether two scopes of the same kind reach a common product.
    fn meets(&self, other: &Scope) -> bool {
        match (self, other) {
            (Scope::All, Scope::All) => true,
            (Scope::ProductTypes(a), Scope::ProductTypes(b))
            | (Scope::Tariffs(a), Scope::Tariffs(b)) => a.iter().any(|id| b.contains(id)),
            _ => false,
        }
    }
}

/// A client's personal discount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonalDiscount {
    pub id: Uuid,
    pub amount: Amount,
    pub scope: Scope,
    pub validity: Validity,
    pub comment: String,
}

/// Refuses a personal discount that shares a day and a product with another of the same
/// client at the same level (two "everything" discounts, two on one plan), which would leave
/// no rule to choose between them. Each refusal names the field.
pub fn check_personal_overlap(
    new: &PersonalDiscount,
    others: &[PersonalDiscount],
) -> Result<(), Invalid> {
    let clash = others
        .iter()
        .filter(|o| o.id != new.id)
        .any(|o| o.scope.meets(&new.scope) && o.validity.overlaps(new.validity));
    if clash {
        return Err(Invalid::field(
            "starts_on",
            ErrorCode::OverlappingRule,
            "another discount of this client covers the same products on some of these days",
        ));
    }
    Ok(())
}

/// One condition of a promotion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Condition {
    ClientGroup(Uuid),
    Tariff(Uuid),
    ProductType(Uuid),
    Period(Period),
    /// The client has no services yet.
    FirstOrder,
    /// A usable promo code of the promotion is given.
    PromoCode,
}

impl Condition {
    pub const KINDS: [&'static str; 6] = [
        "client_group",
        "tariff",
        "product_type",
        "period",
        "first_order",
        "promo_code",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            Condition::ClientGroup(_) => "client_group",
            Condition::Tariff(_) => "tariff",
            Condition::ProductType(_) => "product_type",
            Condition::Period(_) => "period",
            Condition::FirstOrder => "first_order",
            Condition::PromoCode => "promo_code",
        }
    }

    /// The stored value: an id, a period key, or nothing.
    pub fn value(&self) -> String {
        match self {
            Condition::ClientGroup(id) | Condition::Tariff(id) | Condition::ProductType(id) => {
                id.to_string()
            }
            Condition::Period(p) => p.key().to_owned(),
            Condition::FirstOrder | Condition::PromoCode => String::new(),
        }
    }

    /// A condition from its kind and value, refusing a value that does not fit the kind.
    pub fn parse(kind: &str, value: &str) -> Result<Condition, Invalid> {
        let id = || {
            Uuid::parse_str(value.trim())
                .map_err(|_| Invalid::field("value", ErrorCode::InvalidId, "must be an id"))
        };
        Ok(match kind {
            "client_group" => Condition::ClientGroup(id()?),
            "tariff" => Condition::Tariff(id()?),
            "product_type" => Condition::ProductType(id()?),
            "period" => Condition::Period(Period::parse(value.trim()).ok_or_else(|| {
                Invalid::field(
                    "value",
                    ErrorCode::InvalidPeriod,
                    "must be a period such as month1",
                )
            })?),
            "first_order" => Condition::FirstOrder,
            "promo_code" => Condition::PromoCode,
            _ => {
                return Err(Invalid::field(
                    "kind",
                    ErrorCode::Invalid,
                    "must be client_group, tariff, product_type, period, first_order or promo_code",
                ));
            }
        })
    }
}

/// A promo code of a promotion with how often it was used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromoCode {
    pub code: String,
    pub multi_use: bool,
    /// A multi-use code's limit; none is unlimited.
    pub usage_limit: Option<i64>,
    pub used: i64,
}

impl PromoCode {
    /// A single-use code works once in all; a multi-use code up to its limit.
    pub fn usable(&self) -> bool {
        if self.multi_use {
            self.usage_limit.is_none_or(|limit| self.used < limit)
        } else {
            self.used == 0
        }
    }
}

/// Promo codes are compared without case and surrounding space: `SPRING26` = ` spring26 `.
pub fn normalize_code(raw: &str) -> String {
    raw.trim().to_uppercase()
}

/// Percent as people type it (`"15"`, `"12.5"`) into basis points: more than 0, at most
/// 100, at most two decimals (a basis point is the finest step the calculator keeps).
pub fn parse_percent(field: &str, raw: &str) -> Result<i64, Invalid> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(Invalid::field(field, ErrorCode::Required, "is required"));
    }
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || v.ends_with('.') {
        return Err(Invalid::field(
            field,
            ErrorCode::NotANumber,
            "must be a number such as 15 or 12.5",
        ));
    }
    if fraction.len() > 2 {
        return Err(Invalid::field(
            field,
            ErrorCode::TooManyDecimals,
            "may have at most 2 decimal places",
        ));
    }
    let out_of_range = || {
        Invalid::field(
            field,
            ErrorCode::OutOfRange,
            "must be above 0 and at most 100",
        )
    };
    let whole: i64 = whole.parse().map_err(|_| out_of_range())?;
    let fraction: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| out_of_range())?;
    let bp = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(fraction))
        .ok_or_else(out_of_range)?;
    if !(1..=10_000).contains(&bp) {
        return Err(out_of_range());
    }
    Ok(bp)
}

/// Basis points as a percent without trailing zeros: `1500` → `"15"`, `1250` → `"12.5"`.
pub fn format_percent(bp: i64) -> String {
    let (whole, fraction) = (bp / 100, (bp % 100).abs());
    match fraction {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// The longest promo code; long enough for a campaign word and a number.
pub const CODE_MAX: usize = 40;

/// A promo code as staff type it: normalized ([`normalize_code`]), 3 to [`CODE_MAX`]
/// letters, digits, `-` or `_`, so it can be read out and typed without doubt.
pub fn parse_code(field: &str, raw: &str) -> Result<String, Invalid> {
    let code = normalize_code(raw);
    if code.is_empty() {
        return Err(Invalid::field(field, ErrorCode::Required, "is required"));
    }
    if !code
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(Invalid::field(
            field,
            ErrorCode::InvalidCharacters,
            "may hold only Latin letters, digits, - and _",
        ));
    }
    let n = code.chars().count();
    if n < 3 {
        return Err(Invalid::field(
            field,
            ErrorCode::TooShort,
            "needs at least 3 characters",
        ));
    }
    if n > CODE_MAX {
        return Err(Invalid::field(field, ErrorCode::TooLong, "is too long"));
    }
    Ok(code)
}

/// Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A generated code from random bytes, one character per byte: ten characters of a
/// 31-symbol alphabet are about 50 bits, so codes given out by the thousand do not collide.
pub fn code_from_random(bytes: &[u8]) -> String {
    bytes
        .iter()
        .filter_map(|b| CODE_ALPHABET.get(usize::from(*b) % CODE_ALPHABET.len()))
        .map(|b| char::from(*b))
        .collect()
}

impl Amount {
    /// The amount as people read it: `15 %`, `5.00 USD`.
    pub fn text(&self, minor_units: u16) -> String {
        match self {
            Amount::Percent { bp } => format!("{} %", format_percent(*bp)),
            Amount::Fixed { minor, currency } => {
                format!(
                    "{} {currency}",
                    crate::money::format_minor(*minor, minor_units)
                )
            }
        }
    }
}

/// A provider's promotion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Promotion {
    pub id: Uuid,
    pub name: String,
    pub title_en: String,
    pub title_ru: String,
    pub provider_id: Uuid,
    pub validity: Validity,
    pub amount: Amount,
    pub active: bool,
    /// (group number, condition)
    pub conditions: Vec<(u32, Condition)>,
    pub codes: Vec<PromoCode>,
}

/// What a promotion's conditions are judged against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts<'a> {
    pub groups: &'a [Uuid],
    pub tariff: Uuid,
    pub product_type: Uuid,
    pub period: Period,
    pub first_order: bool,
    /// The promo code given, normalized.
    pub promo_code: Option<&'a str>,
}

impl Promotion {
    /// The usable code of this promotion that was given, if any.
    pub fn given_code(&self, code: Option<&str>) -> Option<&PromoCode> {
        let code = code?;
        self.codes.iter().find(|c| c.code == code && c.usable())
    }

    fn holds(&self, condition: &Condition, facts: &Facts<'_>) -> bool {
        match condition {
            Condition::ClientGroup(g) => facts.groups.contains(g),
            Condition::Tariff(t) => *t == facts.tariff,
            Condition::ProductType(p) => *p == facts.product_type,
            Condition::Period(p) => *p == facts.period,
            Condition::FirstOrder => facts.first_order,
            Condition::PromoCode => self.given_code(facts.promo_code).is_some(),
        }
    }

    /// Whether the conditions hold: every group has at least one condition that holds. A
    /// promotion without conditions is for everyone.
    pub fn conditions_hold(&self, facts: &Facts<'_>) -> bool {
        let mut groups: BTreeMap<u32, bool> = BTreeMap::new();
        for (group, condition) in &self.conditions {
            let held = self.holds(condition, facts);
            *groups.entry(*group).or_insert(false) |= held;
        }
        groups.values().all(|held| *held)
    }

    /// Whether the promotion is on offer on `day` (active and valid).
    pub fn runs_on(&self, day: jiff::civil::Date) -> bool {
        self.active && self.validity.contains(day)
    }
}

/// Where the discount on a quote came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum DiscountSource {
    Personal {
        id: Uuid,
        comment: String,
    },
    Promotion {
        id: Uuid,
        name: String,
        title_en: String,
        title_ru: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn promo(conditions: Vec<(u32, Condition)>) -> Promotion {
        Promotion {
            id: Uuid::now_v7(),
            name: "p".into(),
            title_en: "P".into(),
            title_ru: "П".into(),
            provider_id: Uuid::nil(),
            validity: Validity::default(),
            amount: Amount::Percent { bp: 1000 },
            active: true,
            conditions,
            codes: vec![PromoCode {
                code: "SPRING".into(),
                multi_use: false,
                usage_limit: None,
                used: 0,
            }],
        }
    }

    #[test]
    fn any_condition_of_a_group_and_one_of_each_group() {
        let (g1, g2, t) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let facts = Facts {
            groups: &[g2],
            tariff: t,
            product_type: Uuid::nil(),
            period: Period::Month12,
            first_order: false,
            promo_code: None,
        };
        // Group 1: g1 or g2; group 2: a year.
        let p = promo(vec![
            (1, Condition::ClientGroup(g1)),
            (1, Condition::ClientGroup(g2)),
            (2, Condition::Period(Period::Month12)),
        ]);
        assert!(p.conditions_hold(&facts));
        let p = promo(vec![
            (1, Condition::ClientGroup(g1)),
            (2, Condition::Period(Period::Month12)),
        ]);
        assert!(!p.conditions_hold(&facts));
        let p = promo(vec![(1, Condition::FirstOrder), (1, Condition::PromoCode)]);
        assert!(!p.conditions_hold(&facts));
        assert!(p.conditions_hold(&Facts {
            promo_code: Some("SPRING"),
            ..facts.clone()
        }));
        assert!(promo(vec![]).conditions_hold(&facts));
    }

    #[test]
    fn codes_are_used_once_or_up_to_their_limit() {
        let single = PromoCode {
            code: "A".into(),
            multi_use: false,
            usage_limit: None,
            used: 0,
        };
        assert!(single.usable());
        assert!(
            !PromoCode {
                used: 1,
                ..single.clone()
            }
            .usable()
        );
        let multi = PromoCode {
            multi_use: true,
            usage_limit: Some(2),
            used: 1,
            ..single.clone()
        };
        assert!(multi.usable());
        assert!(
            !PromoCode {
                used: 2,
                ..multi.clone()
            }
            .usable()
        );
        assert!(
            PromoCode {
                usage_limit: None,
                used: 99,
                ..multi
            }
            .usable()
        );
        assert_eq!(normalize_code(" spring26 "), "SPRING26");
    }

    #[test]
    fn percents_are_above_zero_up_to_a_hundred_with_two_decimals() {
        assert_eq!(parse_percent("p", "15"), Ok(1500));
        assert_eq!(parse_percent("p", " 12.5 "), Ok(1250));
        assert_eq!(parse_percent("p", "0.01"), Ok(1));
        assert_eq!(parse_percent("p", "100"), Ok(10_000));
        let code = |raw: &str| {
            parse_percent("p", raw)
                .err()
                .and_then(|e| e.0.first().map(|f| f.code))
        };
        assert_eq!(code("0"), Some(ErrorCode::OutOfRange));
        assert_eq!(code("101"), Some(ErrorCode::OutOfRange));
        assert_eq!(code("100.01"), Some(ErrorCode::OutOfRange));
        assert_eq!(code("99999999999999999999"), Some(ErrorCode::OutOfRange));
        assert_eq!(code("-5"), Some(ErrorCode::NotANumber));
        assert_eq!(code("1e2"), Some(ErrorCode::NotANumber));
        assert_eq!(code("5."), Some(ErrorCode::NotANumber));
        assert_eq!(code("1.234"), Some(ErrorCode::TooManyDecimals));
        assert_eq!(code(""), Some(ErrorCode::Required));
        for bp in [1, 10, 99, 100, 1250, 1505, 10_000] {
            assert_eq!(parse_percent("p", &format_percent(bp)), Ok(bp));
        }
        assert_eq!(format_percent(1250), "12.5");
        assert_eq!(Amount::Percent { bp: 1500 }.text(2), "15 %");
        assert_eq!(
            Amount::Fixed {
                minor: 500,
                currency: "USD".into()
            }
            .text(2),
            "5.00 USD"
        );
    }

    #[test]
    fn codes_are_normalized_readable_and_bounded() {
        assert_eq!(
            parse_code("code", " spring-26 ").as_deref(),
            Ok("SPRING-26")
        );
        assert!(parse_code("code", "ab").is_err());
        assert!(parse_code("code", "весна").is_err());
        assert!(parse_code("code", "a b c").is_err());
        assert!(parse_code("code", &"A".repeat(CODE_MAX + 1)).is_err());
        let code = code_from_random(&[0, 1, 2, 30, 31, 255, 7, 8, 9, 10]);
        assert_eq!(code.len(), 10);
        assert_eq!(parse_code("code", &code).as_deref(), Ok(code.as_str()));
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
    }

    #[test]
    fn personal_discounts_may_not_overlap_at_one_level() {
        let t = Uuid::now_v7();
        let d = |scope: Scope, s: Option<jiff::civil::Date>, e: Option<jiff::civil::Date>| {
            PersonalDiscount {
                id: Uuid::now_v7(),
                amount: Amount::Percent { bp: 500 },
                scope,
                validity: Validity {
                    starts_on: s,
                    ends_on: e,
                },
                comment: String::new(),
            }
        };
        let all_2026 = d(Scope::All, Some(date(2026, 1, 1)), Some(date(2026, 12, 31)));
        let all_2027 = d(Scope::All, Some(date(2027, 1, 1)), None);
        let all_dec = d(Scope::All, Some(date(2026, 12, 1)), None);
        let plan = d(Scope::Tariffs(vec![t]), None, None);
        assert!(check_personal_overlap(&all_2027, &[all_2026.clone(), plan.clone()]).is_ok());
        assert!(check_personal_overlap(&all_dec, std::slice::from_ref(&all_2026)).is_err());
        assert!(check_personal_overlap(&d(Scope::Tariffs(vec![t]), None, None), &[plan]).is_err());
        assert!(check_personal_overlap(&all_2026, std::slice::from_ref(&all_2026)).is_ok());
    }
}
