//! Taxes (seed 004, reference §1.11). A provider either includes tax in its prices (one price
//! for everyone) or adds it on top by its rules. Rules live at three levels, and the most
//! personal level that has a rule in force decides: a client's special rules, then the rules
//! of the client's groups, then the provider's. Within that level a rule for the product's
//! type beats one for any product, a rule for the payer's country beats one for no country,
//! and a country's rule and its region's rule (federal + regional) are summed.

use super::rounding::{basis_points, to_minor};
use crate::{ErrorCode, Invalid};
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

/// Who a rule is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "level", content = "id")]
pub enum Level {
    Provider,
    Group(Uuid),
    Client(Uuid),
}

impl Level {
    fn rank(self) -> u8 {
        match self {
            Level::Provider => 0,
            Level::Group(_) => 1,
            Level::Client(_) => 2,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Level::Provider => "provider",
            Level::Group(_) => "group",
            Level::Client(_) => "client",
        }
    }
}

/// One tax rule of a provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaxRule {
    pub id: Uuid,
    pub name: String,
    pub level: Level,
    /// Percent in basis points (`2000` = 20 %).
    pub rate_bp: i64,
    /// ISO 3166 alpha-2; none is any country.
    pub country: Option<String>,
    /// A region of the country (a state, a subject); none is the whole country.
    pub region: Option<String>,
    /// Empty is any product.
    pub product_types: Vec<Uuid>,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
}

impl TaxRule {
    fn in_force(&self, at: Timestamp) -> bool {
        self.starts_at <= at && self.ends_at.is_none_or(|end| at < end)
    }

    fn covers(&self, product_type: Uuid) -> bool {
        self.product_types.is_empty() || self.product_types.contains(&product_type)
    }

    fn reaches(&self, country: Option<&str>, region: Option<&str>) -> bool {
        match (&self.country, &self.region) {
            (None, _) => true,
            (Some(c), None) => country == Some(c.as_str()),
            (Some(c), Some(r)) => country == Some(c.as_str()) && region == Some(r.as_str()),
        }
    }

    /// 0: any country, 1: a country, 2: a region of it.
    fn layer(&self) -> u8 {
        match (&self.country, &self.region) {
            (None, _) => 0,
            (Some(_), None) => 1,
            (Some(_), Some(_)) => 2,
        }
    }

    /// Whether two rules would compete for the same sale: the same level and place, product
    /// scopes that meet (any with any, or a shared type), and periods that share an instant.
    pub fn overlaps(&self, other: &TaxRule) -> bool {
        let products_meet = (self.product_types.is_empty() && other.product_types.is_empty())
            || self
                .product_types
                .iter()
                .any(|p| other.product_types.contains(p));
        let times_meet = self.ends_at.is_none_or(|end| other.starts_at < end)
            && other.ends_at.is_none_or(|end| self.starts_at < end);
        self.id != other.id
            && self.level == other.level
            && self.country == other.country
            && self.region == other.region
            && products_meet
            && times_meet
    }
}

/// Refuses a rule that starts after it ends or competes with another of the same level.
pub fn check_rule(rule: &TaxRule, others: &[TaxRule]) -> Result<(), Invalid> {
    let mut invalid = Invalid::default();
    if rule.ends_at.is_some_and(|end| end <= rule.starts_at) {
        invalid.push(
            "ends_at",
            ErrorCode::EndBeforeStart,
            "must be after the start",
        );
    } else if others.iter().any(|o| o.overlaps(rule)) {
        invalid.push(
            "starts_at",
            ErrorCode::OverlappingRule,
            "another rule of this level covers the same place and products at that time",
        );
    }
    if !(0..=10_000).contains(&rule.rate_bp) {
        invalid.push("rate", ErrorCode::OutOfRange, "must be from 0 to 100");
    }
    invalid.into_result()
}

/// The rules that tax a sale of `product_type` to a payer in `country`/`region` at `at`.
/// Empty when nothing applies (no tax).
pub fn applicable<'r>(
    rules: &'r [TaxRule],
    product_type: Uuid,
    country: Option<&str>,
    region: Option<&str>,
    at: Timestamp,
) -> Vec<&'r TaxRule> {
    let matching: Vec<&TaxRule> = rules
        .iter()
        .filter(|r| r.in_force(at) && r.covers(product_type) && r.reaches(country, region))
        .collect();
    let Some(level) = matching.iter().map(|r| r.level.rank()).max() else {
        return Vec::new();
    };
    let at_level: Vec<&TaxRule> = matching
        .into_iter()
        .filter(|r| r.level.rank() == level)
        .collect();
    let placed = at_level.iter().any(|r| r.layer() > 0);
    let mut chosen = Vec::new();
    for layer in 0..=2u8 {
        if placed && layer == 0 {
            continue;
        }
        let in_layer = at_level.iter().filter(|r| r.layer() == layer);
        let specific = in_layer.clone().any(|r| !r.product_types.is_empty());
        // Two groups of one client may both have a rule; the later one wins.
        if let Some(rule) = in_layer
            .filter(|r| !specific || !r.product_types.is_empty())
            .max_by_key(|r| (r.starts_at, r.id))
        {
            chosen.push(*rule);
        }
    }
    chosen
}

/// The product type to ask [`applicable`] about when a sale has none (a top-up, an expense
/// without a service): no rule names it, so only rules for any product apply.
pub const NO_PRODUCT: Uuid = Uuid::nil();

/// A tax rate typed in percent with up to two decimals, 0 to 100, as basis points
/// (`20.5` → 2050).
pub fn parse_rate(field: &str, raw: &str) -> Result<i64, Invalid> {
    let bp = crate::money::parse_amount(field, raw, 2)?;
    if !(0..=10_000).contains(&bp) {
        return Err(Invalid::field(
            field,
            ErrorCode::OutOfRange,
            "must be from 0 to 100 percent",
        ));
    }
    Ok(bp)
}

/// How a document names the tax of several rules: their names joined (`VAT + Regional`).
pub fn joined_name(rules: &[&TaxRule]) -> String {
    rules
        .iter()
        .map(|r| r.name.as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// One rule's share of a line's tax.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaxPart {
    pub rule_id: Uuid,
    pub name: String,
    pub rate_bp: i64,
    pub amount_minor: i64,
}

/// The tax of an amount under `rules`: included in it (`included`), or added on top. The
/// total tax is rounded once at the rules' summed rate and then shared out by rate, the last
/// rule taking the remainder, so the parts always add up to the total.
pub fn tax_of(amount_minor: i64, rules: &[&TaxRule], included: bool) -> Vec<TaxPart> {
    let total_bp: i64 = rules.iter().map(|r| r.rate_bp).sum();
    if total_bp == 0 || amount_minor == 0 {
        return rules.iter().map(|r| part(r, 0)).collect();
    }
    let rate = basis_points(total_bp);
    let amount = Decimal::from(amount_minor);
    let total = if included {
        to_minor(amount * rate / (Decimal::ONE + rate))
    } else {
        to_minor(amount * rate)
    };
    let mut left = total;
    let mut parts = Vec::with_capacity(rules.len());
    for (i, rule) in rules.iter().enumerate() {
        let share = if i + 1 == rules.len() {
            left
        } else {
            to_minor(Decimal::from(total) * Decimal::from(rule.rate_bp) / Decimal::from(total_bp))
        };
        left -= share;
        parts.push(part(rule, share));
    }
    parts
}

fn part(rule: &TaxRule, amount_minor: i64) -> TaxPart {
    TaxPart {
        rule_id: rule.id,
        name: rule.name.clone(),
        rate_bp: rule.rate_bp,
        amount_minor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rule(
        level: Level,
        rate_bp: i64,
        country: Option<&str>,
        region: Option<&str>,
        types: Vec<Uuid>,
    ) -> TaxRule {
        TaxRule {
            id: Uuid::now_v7(),
            name: format!("{rate_bp}"),
            level,
            rate_bp,
            country: country.map(str::to_owned),
            region: region.map(str::to_owned),
            product_types: types,
            starts_at: Timestamp::UNIX_EPOCH,
            ends_at: None,
        }
    }

    fn rates(rules: &[&TaxRule]) -> Vec<i64> {
        rules.iter().map(|r| r.rate_bp).collect()
    }

    #[test]
    fn the_most_personal_level_then_the_most_specific_rule_decides() {
        let (vps, ssl, group) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let now = Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
        let mut rules = vec![
            rule(Level::Provider, 1000, None, None, vec![]),
            rule(Level::Provider, 2000, Some("RU"), None, vec![]),
            rule(Level::Provider, 1800, Some("RU"), None, vec![vps]),
            rule(Level::Provider, 500, Some("US"), Some("CA"), vec![]),
            rule(Level::Provider, 300, Some("US"), None, vec![]),
        ];
        // A country beats no country; a product's rule beats any product's.
        assert_eq!(
            rates(&applicable(&rules, ssl, Some("RU"), None, now)),
            vec![2000]
        );
        assert_eq!(
            rates(&applicable(&rules, vps, Some("RU"), None, now)),
            vec![1800]
        );
        assert_eq!(
            rates(&applicable(&rules, vps, Some("DE"), None, now)),
            vec![1000]
        );
        // Federal + regional are summed.
        assert_eq!(
            rates(&applicable(&rules, vps, Some("US"), Some("CA"), now)),
            vec![300, 500]
        );
        assert_eq!(
            rates(&applicable(&rules, vps, Some("US"), Some("NY"), now)),
            vec![300]
        );
        // A group rule overrides the provider's; a client's overrides both.
        rules.push(rule(Level::Group(group), 0, None, None, vec![]));
        assert_eq!(
            rates(&applicable(&rules, vps, Some("RU"), None, now)),
            vec![0]
        );
        let mut special = rule(Level::Client(Uuid::nil()), 700, None, None, vec![ssl]);
        special.ends_at = Some(now);
        rules.push(special);
        assert_eq!(
            rates(&applicable(&rules, ssl, Some("RU"), None, now)),
            vec![0]
        );
        let before = Timestamp::from_second(1_700_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(
            rates(&applicable(&rules, ssl, Some("RU"), None, before)),
            vec![700]
        );
        assert!(applicable(&[], vps, None, None, now).is_empty());
    }

    #[test]
    fn overlapping_rules_and_backwards_periods_are_refused() {
        let vps = Uuid::now_v7();
        let a = rule(Level::Provider, 2000, Some("RU"), None, vec![]);
        let b = rule(Level::Provider, 1000, Some("RU"), None, vec![]);
        let code = |r: Result<(), Invalid>| r.err().and_then(|e| e.0.first().map(|f| f.code));
        assert_eq!(
            code(check_rule(&b, std::slice::from_ref(&a))),
            Some(ErrorCode::OverlappingRule)
        );
        let specific = rule(Level::Provider, 1000, Some("RU"), None, vec![vps]);
        assert_eq!(check_rule(&specific, std::slice::from_ref(&a)), Ok(()));
        let mut later = b.clone();
        later.starts_at = Timestamp::from_second(100).unwrap_or(Timestamp::UNIX_EPOCH);
        let mut ended = a.clone();
        ended.ends_at = later.ends_at.or(Some(later.starts_at));
        assert_eq!(check_rule(&later, &[ended]), Ok(()));
        let mut backwards = b;
        backwards.ends_at = Some(Timestamp::UNIX_EPOCH);
        assert_eq!(
            code(check_rule(&backwards, &[])),
            Some(ErrorCode::EndBeforeStart)
        );
    }

    #[test]
    fn rates_are_percent_with_two_places_from_0_to_100() {
        assert_eq!(parse_rate("rate", "20.5"), Ok(2050));
        assert_eq!(parse_rate("rate", "0"), Ok(0));
        assert_eq!(parse_rate("rate", "100"), Ok(10_000));
        let code = |r: Result<i64, Invalid>| r.err().and_then(|e| e.0.first().map(|f| f.code));
        assert_eq!(code(parse_rate("rate", "-1")), Some(ErrorCode::OutOfRange));
        assert_eq!(
            code(parse_rate("rate", "100.01")),
            Some(ErrorCode::OutOfRange)
        );
        assert_eq!(
            code(parse_rate("rate", "1.005")),
            Some(ErrorCode::TooManyDecimals)
        );
        assert_eq!(code(parse_rate("rate", "ten")), Some(ErrorCode::NotANumber));
    }

    #[test]
    fn a_sale_without_a_product_type_takes_only_any_product_rules() {
        let vps = Uuid::now_v7();
        let rules = [
            rule(Level::Provider, 2000, None, None, vec![]),
            rule(Level::Provider, 1000, None, None, vec![vps]),
        ];
        let now = Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
        let chosen = applicable(&rules, NO_PRODUCT, None, None, now);
        assert_eq!(rates(&chosen), vec![2000]);
        assert_eq!(joined_name(&chosen), "2000");
    }

    #[test]
    fn layered_tax_parts_add_up() {
        let federal = rule(Level::Provider, 625, Some("US"), None, vec![]);
        let state = rule(Level::Provider, 100, Some("US"), Some("CA"), vec![]);
        let parts = tax_of(999, &[&federal, &state], false);
        assert_eq!(parts.iter().map(|p| p.amount_minor).sum::<i64>(), 72); // 72.43
        assert_eq!(parts.first().map(|p| p.amount_minor), Some(62));
    }

    proptest! {
        #[test]
        fn included_and_added_tax_agree(net in 0i64..1_000_000_000_000, bp in 0i64..=10_000, bp2 in 0i64..=5_000) {
            let a = rule(Level::Provider, bp, Some("US"), None, vec![]);
            let b = rule(Level::Provider, bp2, Some("US"), Some("CA"), vec![]);
            let rules = [&a, &b];
            let added: Vec<i64> = tax_of(net, &rules, false).iter().map(|p| p.amount_minor).collect();
            let gross = net + added.iter().sum::<i64>();
            let included: Vec<i64> = tax_of(gross, &rules, true).iter().map(|p| p.amount_minor).collect();
            prop_assert_eq!(added, included);
        }

        #[test]
        fn tax_parts_sum_to_the_tax_and_stay_within_the_amount(amount in 0i64..1_000_000_000_000, bp in 0i64..=10_000, bp2 in 0i64..=10_000) {
            let a = rule(Level::Provider, bp, Some("US"), None, vec![]);
            let b = rule(Level::Provider, bp2, Some("US"), Some("CA"), vec![]);
            let parts = tax_of(amount, &[&a, &b], true);
            let tax: i64 = parts.iter().map(|p| p.amount_minor).sum();
            prop_assert!(tax >= 0 && tax <= amount);
            prop_assert!(parts.iter().all(|p| p.amount_minor >= 0));
        }
    }
}
