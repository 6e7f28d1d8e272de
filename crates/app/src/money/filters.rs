//! The money lists' filters as a query string or a form carries them, parsed once for the API
//! and the panels alike: a status, and a date range in days (`from` and `to` inclusive, UTC).

use crate::ports::{ExpenseFilter, PaymentFilter};
use bursar_domain::payments::PaymentStatus;
use bursar_domain::{AccountId, ClientId, ErrorCode, Invalid};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Raw filter values; empty strings mean "any".
#[derive(Clone, Copy, Debug, Default)]
pub struct MoneyFilterParams<'a> {
    pub status: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub unpaid: Option<bool>,
}

fn day(invalid: &mut Invalid, field: &str, raw: Option<&str>, next: bool) -> Option<Timestamp> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = raw.parse::<Date>().ok().and_then(|d| {
        let d = if next { d.tomorrow().ok()? } else { d };
        d.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
    });
    if parsed.is_none() {
        invalid.push(
            field,
            ErrorCode::InvalidFilter,
            "must be a date such as 2026-12-31",
        );
    }
    parsed
}

impl MoneyFilterParams<'_> {
    fn range(&self, invalid: &mut Invalid) -> (Option<Timestamp>, Option<Timestamp>) {
        let from = day(invalid, "from", self.from, false);
        let to = day(invalid, "to", self.to, true);
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            invalid.push("to", ErrorCode::InvalidFilter, "must not be before `from`");
        }
        (from, to)
    }

    pub fn payments(
        &self,
        client: Option<ClientId>,
        account: Option<AccountId>,
    ) -> Result<PaymentFilter, Invalid> {
        let mut invalid = Invalid::default();
        let status = match self.status.map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => match raw.parse::<PaymentStatus>() {
                Ok(s) => Some(s),
                Err(_) => {
                    invalid.push(
                        "status",
                        ErrorCode::InvalidFilter,
                        "must be new, paid, canceled or refunded",
                    );
                    None
                }
            },
            None => None,
        };
        let (from, to) = self.range(&mut invalid);
        invalid.into_result()?;
        Ok(PaymentFilter {
            client,
            account,
            status,
            from,
            to,
        })
    }

    pub fn expenses(
        &self,
        client: Option<ClientId>,
        account: Option<AccountId>,
    ) -> Result<ExpenseFilter, Invalid> {
        let mut invalid = Invalid::default();
        let (from, to) = self.range(&mut invalid);
        invalid.into_result()?;
        Ok(ExpenseFilter {
            client,
            account,
            unpaid: self.unpaid.unwrap_or(false),
            from,
            to,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_or_name_the_refused_parameter() {
        let p = MoneyFilterParams {
            status: Some("paid"),
            from: Some("2026-12-01"),
            to: Some("2026-12-01"),
            unpaid: None,
        };
        let f = p.payments(None, None).unwrap_or_default();
        assert_eq!(f.status, Some(PaymentStatus::Paid));
        assert_eq!(
            f.from.map(|t| t.to_string()),
            Some("2026-12-01T00:00:00Z".to_owned())
        );
        assert_eq!(
            f.to.map(|t| t.to_string()),
            Some("2026-12-02T00:00:00Z".to_owned())
        );
        let bad = MoneyFilterParams {
            status: Some("lost"),
            from: Some("yesterday"),
            to: None,
            unpaid: None,
        };
        let fields: Vec<String> = bad
            .payments(None, None)
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, vec!["status", "from"]);
    }
}
