//! The one rounding of a price. Every amount the calculator shows (a converted line, a
//! discount, a tax) is computed exactly as a decimal number of minor units and rounded here,
//! once, to a whole minor unit.
//!
//! The mode is half away from zero ("commercial" rounding): it is what people, accountants
//! and tax offices mean by rounding to the cent or kopeck, so a client who checks an invoice
//! by hand gets the same figure, and it is the mode of the expenses' included tax
//! ([`crate::money::included_tax`]). Banker's rounding only pays off when many halves are
//! summed, which a price breakdown never does.

use rust_decimal::{Decimal, RoundingStrategy};

/// `value` (a decimal number of minor units) to a whole number of minor units, half away from
/// zero. Saturates at the `i64` range, far beyond any amount the product accepts.
pub fn to_minor(value: Decimal) -> i64 {
    let rounded = value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(rounded).unwrap_or(if rounded.is_sign_negative() {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// `amount × part / whole`, rounded once: the share of an amount (a tax) that falls on a
/// part of the whole it belongs to. Zero when the whole is zero.
pub fn share(amount: i64, part: i64, whole: i64) -> i64 {
    if whole == 0 {
        return 0;
    }
    to_minor(Decimal::from(amount) * Decimal::from(part) / Decimal::from(whole))
}

/// A number of basis points as a fraction (`2000` → `0.2`).
pub fn basis_points(bp: i64) -> Decimal {
    Decimal::from(bp) / Decimal::from(10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(to_minor(Decimal::new(25, 1)), 3);
        assert_eq!(to_minor(Decimal::new(-25, 1)), -3);
        assert_eq!(to_minor(Decimal::new(249, 2)), 2);
        assert_eq!(to_minor(Decimal::new(1_666_667, 5)), 17);
        assert_eq!(basis_points(2050), Decimal::new(205, 3));
        assert_eq!(share(200, 1, 2), 100);
        assert_eq!(share(5, 1, 2), 3);
        assert_eq!(share(7, 3, 0), 0);
    }
}
