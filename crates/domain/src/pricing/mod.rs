//! What a client pays and why (issue 11): exchange rates, personal discounts, promotions and
//! taxes, and the one function that turns a plan, a period and the client's context into a
//! priced breakdown ([`quote::quote`]). Orders, renewals and the staff's quotes all call it,
//! so they cannot disagree about a price.
//!
//! Money stays in minor units; rates, percentages and conversions are exact
//! [`rust_decimal::Decimal`]s until [`rounding::to_minor`], the only place a price is rounded.

pub mod discounts;
pub mod quote;
pub mod rates;
pub mod rounding;
pub mod taxes;

use jiff::civil::Date;
use serde::Serialize;

/// A currency as the calculator needs it: its code and how many minor units it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Currency {
    pub code: String,
    pub minor_units: u16,
}

/// Days from `starts_on` to `ends_on`, both included; an open end is unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Validity {
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
}

impl Validity {
    pub fn contains(self, day: Date) -> bool {
        self.starts_on.is_none_or(|s| s <= day) && self.ends_on.is_none_or(|e| day <= e)
    }

    /// Whether two validities share at least one day.
    pub fn overlaps(self, other: Validity) -> bool {
        let starts_before_other_ends = match (self.starts_on, other.ends_on) {
            (Some(s), Some(e)) => s <= e,
            _ => true,
        };
        let other_starts_before_end = match (other.starts_on, self.ends_on) {
            (Some(s), Some(e)) => s <= e,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_end
    }

    /// Refuses an end before the start, naming the end field.
    pub fn check(self, end_field: &str) -> Result<(), crate::Invalid> {
        match (self.starts_on, self.ends_on) {
            (Some(s), Some(e)) if e < s => Err(crate::Invalid::field(
                end_field,
                crate::ErrorCode::EndBeforeStart,
                "must not be before the start",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn v(s: Option<Date>, e: Option<Date>) -> Validity {
        Validity {
            starts_on: s,
            ends_on: e,
        }
    }

    #[test]
    fn validity_includes_both_ends_and_open_ends_are_unbounded() {
        let jan = v(Some(date(2026, 1, 1)), Some(date(2026, 1, 31)));
        assert!(jan.contains(date(2026, 1, 1)));
        assert!(jan.contains(date(2026, 1, 31)));
        assert!(!jan.contains(date(2026, 2, 1)));
        assert!(v(None, None).contains(date(1999, 1, 1)));
        assert!(jan.overlaps(v(Some(date(2026, 1, 31)), None)));
        assert!(!jan.overlaps(v(Some(date(2026, 2, 1)), None)));
        assert!(jan.overlaps(v(None, Some(date(2026, 1, 1)))));
        assert!(!jan.overlaps(v(None, Some(date(2025, 12, 31)))));
        assert!(jan.check("ends_on").is_ok());
        assert!(
            v(Some(date(2026, 2, 1)), Some(date(2026, 1, 1)))
                .check("ends_on")
                .is_err()
        );
    }
}
