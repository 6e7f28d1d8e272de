//! Exchange rates (seed 004, reference §1.9): the directory's rates per currency pair and
//! date, a client group's rates and a client's personal rate, which of them applies, and the
//! expressions (`*1.05`) that derive one rate from another.
//!
//! A rate says that `units` of `currency` are worth `rate` of `base`, from `valid_from` until
//! the pair's next rate. It converts either way: from `currency` into `base` by
//! multiplying, and back by dividing.

use crate::{ErrorCode, Invalid};
use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use uuid::Uuid;

/// Where a rate comes from, in the order they are tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateSource {
    /// The client's personal rate.
    Personal,
    /// A rate of one of the client's groups.
    Group,
    /// The rates directory.
    Directory,
}

impl RateSource {
    pub fn key(self) -> &'static str {
        match self {
            RateSource::Personal => "personal",
            RateSource::Group => "group",
            RateSource::Directory => "directory",
        }
    }
}

/// One rate of any source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub id: Uuid,
    pub source: RateSource,
    pub base: String,
    pub currency: String,
    pub rate: Decimal,
    pub units: i64,
    pub valid_from: Date,
    /// A personal rate's limit: how much of the base currency (minor units) one document may
    /// convert at it; above it the next source applies.
    pub limit_minor: Option<i64>,
}

/// The rate a document used, recorded on it: which rate, from where, and the factor that
/// turned one minor unit of `from` into minor units of `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conversion {
    pub rate_id: Uuid,
    pub source: RateSource,
    pub from: String,
    pub to: String,
    /// `units` of `currency` = `rate` of `base`, as the rate was entered.
    pub base: String,
    pub currency: String,
    pub rate: Decimal,
    pub units: i64,
    pub valid_from: Date,
    /// Minor units of `to` per minor unit of `from`, as a fraction (divided last, so
    /// converting back and forth stays exact where it can).
    #[serde(skip)]
    pub factor: (Decimal, Decimal),
}

impl Conversion {
    /// `amount` minor units of `from` in minor units of `to`, not rounded.
    pub fn apply(&self, amount: Decimal) -> Decimal {
        let (numerator, denominator) = self.factor;
        amount * numerator / denominator
    }
}

/// The minor-unit factor (numerator, denominator) of converting `from` (with `from_minor`
/// places) into `to` (with `to_minor` places) at `rate`, or `None` if the rate does not join
/// the two currencies.
fn factor(
    rate: &Rate,
    from: &str,
    from_minor: u16,
    to: &str,
    to_minor: u16,
) -> Option<(Decimal, Decimal)> {
    let pow = |minor: u16| 10i64.checked_pow(u32::from(minor)).map(Decimal::from);
    let (to_scale, from_scale) = (pow(to_minor)?, pow(from_minor)?);
    let units = Decimal::from(rate.units);
    if rate.currency == from && rate.base == to {
        Some((rate.rate * to_scale, units * from_scale))
    } else if rate.base == from && rate.currency == to {
        Some((units * to_scale, rate.rate * from_scale))
    } else {
        None
    }
}

/// All the rates a client may be converted at, of every source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateBook {
    pub rates: Vec<Rate>,
}

impl RateBook {
    /// The conversion of `amount_minor` of `from` into `to` on `day`: the client's personal
    /// rate, then a group's, then the directory's, each the latest in force on the day (a rate
    /// entered for the pair as given beats its reverse of the same day). A personal rate whose
    /// limit the converted amount exceeds is passed over. `None` when no rate joins them.
    pub fn conversion(
        &self,
        from: (&str, u16),
        to: (&str, u16),
        day: Date,
        amount_minor: i64,
    ) -> Option<Conversion> {
        let (from, from_minor) = from;
        let (to, to_minor) = to;
        [
            RateSource::Personal,
            RateSource::Group,
            RateSource::Directory,
        ]
        .into_iter()
        .find_map(|source| {
            let best = self
                .rates
                .iter()
                .filter(|r| r.source == source && r.valid_from <= day)
                .filter_map(|r| Some((r, factor(r, from, from_minor, to, to_minor)?)))
                .max_by_key(|(r, _)| (r.valid_from, r.base == to, r.id))?;
            let (rate, factor) = best;
            let converted = Decimal::from(amount_minor) * factor.0 / factor.1;
            if let Some(limit) = rate.limit_minor
                && converted.abs() > Decimal::from(limit)
            {
                return None;
            }
            Some(Conversion {
                rate_id: rate.id,
                source,
                from: from.to_owned(),
                to: to.to_owned(),
                base: rate.base.clone(),
                currency: rate.currency.clone(),
                rate: rate.rate,
                units: rate.units,
                valid_from: rate.valid_from,
                factor,
            })
        })
    }
}

/// The most decimal places a rate keeps; a derived rate is rounded to them.
pub const RATE_PLACES: u32 = 8;

/// Reads a rate as people write it (`92.5`, `0.0108`): positive, at most [`RATE_PLACES`]
/// decimals, below a billion.
pub fn parse_rate(field: &str, raw: &str) -> Result<Decimal, Invalid> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(Invalid::field(field, ErrorCode::Required, "is required"));
    }
    let plain = v.chars().all(|c| c.is_ascii_digit() || c == '.') && !v.starts_with('-');
    let rate: Decimal = match v.parse() {
        Ok(r) if plain => r,
        _ if v.starts_with('-') => {
            return Err(Invalid::field(
                field,
                ErrorCode::OutOfRange,
                "must be more than zero",
            ));
        }
        _ => {
            return Err(Invalid::field(
                field,
                ErrorCode::NotANumber,
                "must be a number such as 92.5",
            ));
        }
    };
    if rate.scale() > RATE_PLACES {
        return Err(Invalid::field(
            field,
            ErrorCode::TooManyDecimals,
            format!("may have at most {RATE_PLACES} decimal places"),
        ));
    }
    check_rate(field, rate)
}

fn check_rate(field: &str, rate: Decimal) -> Result<Decimal, Invalid> {
    if rate <= Decimal::ZERO {
        return Err(Invalid::field(
            field,
            ErrorCode::OutOfRange,
            "must be more than zero",
        ));
    }
    if rate >= Decimal::from(1_000_000_000) {
        return Err(Invalid::field(
            field,
            ErrorCode::OutOfRange,
            "must be below 1000000000",
        ));
    }
    Ok(rate.normalize())
}

/// Reads how many units of the converted currency a rate is for (`100` yen = 60 roubles):
/// a whole number from 1 to a million; empty is 1.
pub fn parse_units(field: &str, raw: &str) -> Result<i64, Invalid> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(1);
    }
    match v.parse::<i64>() {
        Ok(n) if (1..=1_000_000).contains(&n) => Ok(n),
        Ok(_) => Err(Invalid::field(
            field,
            ErrorCode::OutOfRange,
            "must be 1 to 1000000",
        )),
        Err(_) => Err(Invalid::field(
            field,
            ErrorCode::NotANumber,
            "must be a whole number such as 100",
        )),
    }
}

/// Reads the day a rate takes effect (`2026-12-01`).
pub fn parse_valid_from(field: &str, raw: &str) -> Result<Date, Invalid> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(Invalid::field(field, ErrorCode::Required, "is required"));
    }
    // jiff also reads `2026-12-01T10:00`; a rate starts on a whole day, so only the date form.
    let shaped = v.len() == 10 && v.chars().all(|c| c.is_ascii_digit() || c == '-');
    v.parse::<Date>().ok().filter(|_| shaped).ok_or_else(|| {
        Invalid::field(
            field,
            ErrorCode::InvalidDate,
            "must be a date such as 2026-12-31",
        )
    })
}

/// Refuses a rate that converts a currency into itself, naming the converted currency.
pub fn check_pair(field: &str, base: &str, currency: &str) -> Result<(), Invalid> {
    if base == currency {
        return Err(Invalid::field(
            field,
            ErrorCode::SameCurrency,
            "must differ from the base currency",
        ));
    }
    Ok(())
}

/// An expression that derives a rate from another (reference §1.9, *Apply expression*):
/// `*1.05`, `/2`, `+0.5`, `-0.1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expression {
    pub op: char,
    pub operand: Decimal,
}

impl Expression {
    pub fn parse(field: &str, raw: &str) -> Result<Expression, Invalid> {
        let bad = || {
            Invalid::field(
                field,
                ErrorCode::InvalidExpression,
                "must be an operator (* / + -) and a number, such as *1.05",
            )
        };
        let v = raw.trim();
        let mut chars = v.chars();
        let op = chars
            .next()
            .filter(|c| "*/+-".contains(*c))
            .ok_or_else(bad)?;
        let rest = chars.as_str().trim();
        if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(bad());
        }
        let operand: Decimal = rest.parse().map_err(|_| bad())?;
        if op == '/' && operand.is_zero() {
            return Err(Invalid::field(
                field,
                ErrorCode::OutOfRange,
                "cannot divide by zero",
            ));
        }
        Ok(Expression { op, operand })
    }

    /// The derived rate, rounded to [`RATE_PLACES`]; refused unless it stays a valid rate.
    pub fn apply(self, field: &str, rate: Decimal) -> Result<Decimal, Invalid> {
        let derived = match self.op {
            '*' => rate.checked_mul(self.operand),
            '/' => rate.checked_div(self.operand),
            '+' => rate.checked_add(self.operand),
            _ => rate.checked_sub(self.operand),
        }
        .ok_or_else(|| Invalid::field(field, ErrorCode::OutOfRange, "gives no usable rate"))?;
        check_rate(
            field,
            derived.round_dp_with_strategy(RATE_PLACES, RoundingStrategy::MidpointAwayFromZero),
        )
    }
}

impl std::fmt::Display for Expression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.op, self.operand.normalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn rate(
        source: RateSource,
        base: &str,
        currency: &str,
        r: &str,
        units: i64,
        from: Date,
    ) -> Rate {
        Rate {
            id: Uuid::now_v7(),
            source,
            base: base.into(),
            currency: currency.into(),
            rate: r.parse().unwrap_or_default(),
            units,
            valid_from: from,
            limit_minor: None,
        }
    }

    #[test]
    fn personal_beats_group_beats_directory_in_force_on_the_day() {
        let d = date(2026, 12, 1);
        let mut book = RateBook {
            rates: vec![
                rate(RateSource::Directory, "RUB", "USD", "90", 1, d),
                rate(
                    RateSource::Directory,
                    "RUB",
                    "USD",
                    "95",
                    1,
                    date(2026, 12, 10),
                ),
            ],
        };
        let c = book.conversion(("USD", 2), ("RUB", 2), date(2026, 12, 5), 100);
        assert_eq!(
            c.map(|c| (c.source, c.rate)),
            Some((RateSource::Directory, Decimal::from(90)))
        );
        let c = book.conversion(("USD", 2), ("RUB", 2), date(2026, 12, 10), 100);
        assert_eq!(c.map(|c| c.rate), Some(Decimal::from(95)));
        book.rates
            .push(rate(RateSource::Group, "RUB", "USD", "85", 1, d));
        let c = book.conversion(("USD", 2), ("RUB", 2), date(2026, 12, 10), 100);
        assert_eq!(c.map(|c| c.source), Some(RateSource::Group));
        let mut personal = rate(RateSource::Personal, "RUB", "USD", "80", 1, d);
        personal.limit_minor = Some(10_000);
        book.rates.push(personal);
        let c = book.conversion(("USD", 2), ("RUB", 2), d, 100);
        assert_eq!(c.map(|c| c.source), Some(RateSource::Personal));
        // 200 USD is 16 000 RUB at the personal rate, above its 100 RUB limit.
        let c = book.conversion(("USD", 2), ("RUB", 2), d, 20_000);
        assert_eq!(c.map(|c| c.source), Some(RateSource::Group));
        // Before any rate: none.
        assert_eq!(
            book.conversion(("USD", 2), ("RUB", 2), date(2026, 11, 30), 1),
            None
        );
    }

    #[test]
    fn a_rate_converts_both_ways_and_across_minor_units() {
        let d = date(2026, 1, 1);
        let book = RateBook {
            rates: vec![rate(RateSource::Directory, "RUB", "JPY", "60", 100, d)],
        };
        // 100 JPY = 60 RUB: 1 yen (no minor units) = 0.6 RUB = 60 kopecks.
        let c = book.conversion(("JPY", 0), ("RUB", 2), d, 1);
        assert_eq!(c.map(|c| c.apply(Decimal::ONE)), Some(Decimal::from(60)));
        // 1 kopeck = 1/60 yen.
        let c = book.conversion(("RUB", 2), ("JPY", 0), d, 6000);
        assert_eq!(
            c.map(|c| c.apply(Decimal::from(6000))),
            Some(Decimal::from(100))
        );
    }

    #[test]
    fn rates_and_expressions_are_read_strictly() {
        assert_eq!(parse_rate("rate", "92.5"), Ok(Decimal::new(925, 1)));
        for (raw, code) in [
            ("", ErrorCode::Required),
            ("-1", ErrorCode::OutOfRange),
            ("0", ErrorCode::OutOfRange),
            ("1e3", ErrorCode::NotANumber),
            ("abc", ErrorCode::NotANumber),
            ("1.123456789", ErrorCode::TooManyDecimals),
            ("1000000000", ErrorCode::OutOfRange),
        ] {
            let got = parse_rate("rate", raw)
                .err()
                .and_then(|e| e.0.first().map(|f| f.code));
            assert_eq!(got, Some(code), "{raw}");
        }
        let e = Expression::parse("x", "*1.05").ok();
        assert_eq!(e.map(|e| e.to_string()), Some("*1.05".into()));
        assert_eq!(
            e.and_then(|e| e.apply("x", Decimal::from(90)).ok()),
            Some(Decimal::new(945, 1))
        );
        for bad in ["", "1.05", "*", "**2", "*a", "^2", "*-1"] {
            assert!(Expression::parse("x", bad).is_err(), "{bad}");
        }
        assert!(Expression::parse("x", "/0").is_err());
        let minus = Expression::parse("x", "-100").ok();
        assert!(minus.is_some_and(|m| m.apply("x", Decimal::from(90)).is_err()));
    }

    #[test]
    fn units_days_and_pairs_are_read_strictly() {
        assert_eq!(parse_units("units", ""), Ok(1));
        assert_eq!(parse_units("units", " 100 "), Ok(100));
        let code = |r: Result<i64, Invalid>| r.err().and_then(|e| e.0.first().map(|f| f.code));
        assert_eq!(code(parse_units("units", "0")), Some(ErrorCode::OutOfRange));
        assert_eq!(
            code(parse_units("units", "1.5")),
            Some(ErrorCode::NotANumber)
        );
        assert_eq!(
            parse_valid_from("valid_from", "2026-12-01"),
            Ok(date(2026, 12, 1))
        );
        for bad in ["2026-13-01", "01.12.2026", "2026-12-01T10:00", "yesterday"] {
            let got = parse_valid_from("valid_from", bad)
                .err()
                .and_then(|e| e.0.first().map(|f| f.code));
            assert_eq!(got, Some(ErrorCode::InvalidDate), "{bad}");
        }
        assert!(check_pair("currency", "RUB", "USD").is_ok());
        assert!(check_pair("currency", "RUB", "RUB").is_err());
    }

    proptest! {
        #[test]
        fn converting_there_and_back_returns_the_amount(r in 1i64..10_000_000, units in 1i64..1000, amount in 1i64..1_000_000_000) {
            let d = date(2026, 1, 1);
            let rt = Rate { rate: Decimal::new(r, 4), ..rate(RateSource::Directory, "EUR", "USD", "1", units, d) };
            let book = RateBook { rates: vec![rt] };
            let there = book.conversion(("USD", 2), ("EUR", 2), d, amount);
            let back = book.conversion(("EUR", 2), ("USD", 2), d, amount);
            prop_assert!(there.is_some() && back.is_some());
            if let (Some(t), Some(b)) = (there, back) {
                let round_trip = b.apply(t.apply(Decimal::from(amount)));
                prop_assert!((round_trip - Decimal::from(amount)).abs() < Decimal::new(1, 6));
            }
        }
    }
}
