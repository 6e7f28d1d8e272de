//! Payments (seed 004 "Payments"): an invoice issued to the client that becomes money on the
//! personal account once it is credited. Statuses follow BILLmanager: *New* (invoice issued,
//! not paid), *Paid* (credited), *Canceled*, *Refunded*. Only a New payment may be edited,
//! deleted or credited; only a Paid one refunded.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    New,
    Paid,
    Canceled,
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 4] = [
        PaymentStatus::New,
        PaymentStatus::Paid,
        PaymentStatus::Canceled,
        PaymentStatus::Refunded,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PaymentStatus::New => "new",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Canceled => "canceled",
            PaymentStatus::Refunded => "refunded",
        }
    }

    /// An unpaid invoice: it may still change or go away.
    pub fn is_open(self) -> bool {
        self == PaymentStatus::New
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for PaymentStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaymentStatus::ALL
            .into_iter()
            .find(|p| p.key() == s)
            .ok_or(UnknownStatus)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown payment status")]
pub struct UnknownStatus;

/// The counter behind a company's invoice numbers in one year: numbers are gapless per
/// company and year (many jurisdictions require it), so each pair has its own counter row.
pub fn invoice_counter(company: &str, year: i16) -> String {
    format!("invoice:{company}:{year}")
}

/// How an invoice number reads: the year and the sequence number within it, `2026-000042`.
pub fn invoice_number(year: i16, sequence: i64) -> String {
    format!("{year}-{sequence:06}")
}

/// What of a paid payment may still be refunded: the part not allocated to expenses,
/// withdrawals or earlier refunds.
pub fn refundable_minor(amount_minor: i64, allocated_minor: i64) -> i64 {
    amount_minor.saturating_sub(allocated_minor).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_numbers_read_well() {
        for s in PaymentStatus::ALL {
            assert_eq!(s.key().parse(), Ok(s));
        }
        assert_eq!("bogus".parse::<PaymentStatus>(), Err(UnknownStatus));
        assert_eq!(invoice_number(2026, 42), "2026-000042");
        assert_eq!(invoice_number(2027, 1_234_567), "2027-1234567");
        assert_eq!(refundable_minor(1000, 300), 700);
        assert_eq!(refundable_minor(1000, 1200), 0);
    }
}
