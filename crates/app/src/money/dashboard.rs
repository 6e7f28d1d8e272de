//! The staff dashboard's money, per currency: paid this month, unpaid invoices (count and
//! sum), clients in debt and blocked accounts. Read in one snapshot.

use super::accounts::MONEY_READERS;
use crate::error::AppError;
use crate::ports::MoneySummary;
use crate::{App, Principal};
use bursar_domain::accounts::blocked;
use jiff::tz::TimeZone;

/// One currency's line of the dashboard.
#[derive(Clone, Debug)]
pub struct MoneyLine {
    pub summary: MoneySummary,
    pub minor_units: u16,
    pub blocked_accounts: i64,
}

impl App {
    pub async fn money_dashboard(&self, who: &Principal) -> Result<Vec<MoneyLine>, AppError> {
        who.require_any(MONEY_READERS)?;
        let now = self.now();
        let month_start = now
            .to_zoned(TimeZone::UTC)
            .first_of_month()
            .and_then(|d| d.start_of_day())
            .map_err(|e| AppError::internal_in("month start", e))?
            .timestamp();
        let mut tx = self.store.snapshot().await?;
        let summaries = tx.money_summary(month_start).await?;
        let in_debt = tx.accounts_in_debt().await?;
        let mut lines = Vec::with_capacity(summaries.len());
        for summary in summaries {
            let minor_units = super::minor_units(tx.as_mut(), &summary.currency_code).await?;
            let mut blocked_accounts = 0;
            for a in in_debt
                .iter()
                .filter(|a| a.currency_code == summary.currency_code)
            {
                let due = tx.oldest_open_payment(a.id).await?;
                if blocked(a.credit, a.grace, a.balance_minor, due, now).is_some() {
                    blocked_accounts += 1;
                }
            }
            lines.push(MoneyLine {
                summary,
                minor_units,
                blocked_accounts,
            });
        }
        tx.commit().await?;
        Ok(lines)
    }
}
