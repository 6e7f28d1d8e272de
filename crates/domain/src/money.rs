//! Money. An amount is a whole number of its currency's minor unit (cents, kopecks; yen have
//! none), never a float, so sums are exact; it becomes a decimal only when shown.

use crate::{ErrorCode, Invalid};

/// `4200` with 2 minor units → `"42.00"`; `-5` → `"-0.05"`; `700` with 0 → `"700"`.
pub fn format_minor(amount: i64, minor_units: u16) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    let places = usize::from(minor_units);
    match 10u64.checked_pow(u32::from(minor_units)) {
        Some(scale) if minor_units > 0 => {
            format!("{sign}{}.{:0places$}", abs / scale, abs % scale)
        }
        _ => format!("{sign}{abs}"),
    }
}

/// The largest amount the product accepts in one field: 10¹⁵ minor units (ten trillion
/// euros), far below where sums of many of them could overflow an `i64`.
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000_000;

/// Reads a decimal amount as people and the API write it (`"12.50"`, `"12"`, `"-3.5"`) into
/// minor units of a currency with `minor_units` places. Refuses exponents, thousands
/// separators, more places than the currency has (nothing is rounded away silently) and
/// magnitudes above [`MAX_AMOUNT_MINOR`].
pub fn parse_amount(field: &str, raw: &str, minor_units: u16) -> Result<i64, Invalid> {
    let not_a_number = || {
        Invalid::field(
            field,
            ErrorCode::NotANumber,
            "must be an amount such as 12.50",
        )
    };
    let v = raw.trim();
    if v.is_empty() {
        return Err(Invalid::field(field, ErrorCode::Required, "is required"));
    }
    let (negative, digits) = match v.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return Err(not_a_number());
    }
    if digits.ends_with('.') {
        return Err(not_a_number());
    }
    if fraction.len() > usize::from(minor_units) {
        return Err(Invalid::field(
            field,
            ErrorCode::TooManyDecimals,
            format!("may have at most {minor_units} decimal places"),
        ));
    }
    let too_big = || {
        Invalid::field(
            field,
            ErrorCode::OutOfRange,
            "is larger than the product accepts",
        )
    };
    let scale = 10i64
        .checked_pow(u32::from(minor_units))
        .ok_or_else(too_big)?;
    let whole: i64 = whole.parse().map_err(|_| too_big())?;
    let padded = format!("{fraction:0<width$}", width = usize::from(minor_units));
    let fraction: i64 = if padded.is_empty() {
        0
    } else {
        padded.parse().map_err(|_| not_a_number())?
    };
    let minor = whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction))
        .filter(|m| *m <= MAX_AMOUNT_MINOR)
        .ok_or_else(too_big)?;
    Ok(if negative { -minor } else { minor })
}

/// [`parse_amount`] for an amount that must be more than zero (a payment, an expense).
pub fn parse_positive_amount(field: &str, raw: &str, minor_units: u16) -> Result<i64, Invalid> {
    let minor = parse_amount(field, raw, minor_units)?;
    if minor <= 0 {
        return Err(Invalid::field(
            field,
            ErrorCode::OutOfRange,
            "must be more than zero",
        ));
    }
    Ok(minor)
}

/// [`parse_amount`] for an amount that may be zero but not negative (a credit limit).
pub fn parse_non_negative_amount(field: &str, raw: &str, minor_units: u16) -> Result<i64, Invalid> {
    let minor = parse_amount(field, raw, minor_units)?;
    if minor < 0 {
        return Err(Invalid::field(
            field,
            ErrorCode::OutOfRange,
            "must not be negative",
        ));
    }
    Ok(minor)
}

/// The tax included in an amount at `rate_bp` basis points (2000 = 20 %): amount × rate /
/// (100 % + rate), rounded half away from zero to the minor unit. Half-up is what invoices
/// and tax authorities expect of a single line; it is computed in `i128`, so nothing
/// overflows and nothing passes through a float.
pub fn included_tax(amount_minor: i64, rate_bp: i64) -> i64 {
    let num = i128::from(amount_minor) * i128::from(rate_bp);
    let den = i128::from(10_000 + rate_bp);
    if den <= 0 {
        return 0;
    }
    let q = (2 * num.abs() + den) / (2 * den);
    let q = if num < 0 { -q } else { q };
    i64::try_from(q).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_show_with_their_currencys_places() {
        assert_eq!(format_minor(4200, 2), "42.00");
        assert_eq!(format_minor(-5, 2), "-0.05");
        assert_eq!(format_minor(700, 0), "700");
        assert_eq!(format_minor(1_234_567, 3), "1234.567");
        assert_eq!(format_minor(i64::MIN, 2), "-92233720368547758.08");
    }

    #[test]
    fn amounts_parse_exactly_or_are_refused() {
        assert_eq!(parse_amount("a", "12.50", 2), Ok(1250));
        assert_eq!(parse_amount("a", " 12 ", 2), Ok(1200));
        assert_eq!(parse_amount("a", "0.5", 2), Ok(50));
        assert_eq!(parse_amount("a", "-3.05", 2), Ok(-305));
        assert_eq!(parse_amount("a", "700", 0), Ok(700));
        let code = |r: Result<i64, Invalid>| r.err().and_then(|e| e.0.first().map(|f| f.code));
        assert_eq!(
            code(parse_amount("a", "1.005", 2)),
            Some(ErrorCode::TooManyDecimals)
        );
        assert_eq!(
            code(parse_amount("a", "1.5", 0)),
            Some(ErrorCode::TooManyDecimals)
        );
        for bad in ["1e3", "1,000", "12.", ".5", "--1", "abc", "1 000", "NaN"] {
            assert_eq!(
                code(parse_amount("a", bad, 2)),
                Some(ErrorCode::NotANumber),
                "{bad}"
            );
        }
        assert_eq!(code(parse_amount("a", "", 2)), Some(ErrorCode::Required));
        assert_eq!(
            code(parse_amount("a", "99999999999999999999", 2)),
            Some(ErrorCode::OutOfRange)
        );
        assert_eq!(
            code(parse_positive_amount("a", "0", 2)),
            Some(ErrorCode::OutOfRange)
        );
        assert_eq!(
            code(parse_non_negative_amount("a", "-1", 2)),
            Some(ErrorCode::OutOfRange)
        );
        assert_eq!(parse_non_negative_amount("a", "0", 2), Ok(0));
    }

    proptest! {
        #[test]
        fn formatting_and_parsing_round_trip(minor in -MAX_AMOUNT_MINOR..=MAX_AMOUNT_MINOR, places in 0u16..=4) {
            prop_assert_eq!(parse_amount("a", &format_minor(minor, places), places), Ok(minor));
        }
    }

    #[test]
    fn included_tax_is_rounded_half_away_from_zero() {
        assert_eq!(included_tax(12_000, 2000), 2000);
        assert_eq!(included_tax(100, 2000), 17); // 16.67
        assert_eq!(included_tax(1000, 0), 0);
        assert_eq!(included_tax(5, 10_000), 3); // 2.5 → 3
        assert_eq!(included_tax(-5, 10_000), -3);
    }

    proptest! {
        #[test]
        fn included_tax_never_exceeds_the_amount(amount in 1i64..MAX_AMOUNT_MINOR, rate in 0i64..=10_000) {
            let tax = included_tax(amount, rate);
            prop_assert!(tax >= 0 && tax <= amount);
            prop_assert_eq!(included_tax(-amount, rate), -tax);
        }
    }
}
