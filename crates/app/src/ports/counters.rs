//! Counters handing out short sequential numbers (client `#1042`, expenses, invoice numbers;
//! later orders and services): one row per counter, bumped inside the transaction that creates the record.
//!
//! The bump is a single `INSERT … ON CONFLICT DO UPDATE … RETURNING` on the counter's row. On
//! PostgreSQL it locks that row until commit, so parallel creations take turns and each sees
//! the value the previous one committed; on SQLite writers are serial anyway. A transaction
//! that rolls back takes its bump with it, so numbers have no gaps and no duplicates (a
//! unique index on the numbered column guards the rest). Bump it before the transaction's
//! other writes: the row lock is then the first thing a creation waits for, and two
//! creations cannot each hold something the other needs.

use super::StoreResult;
use async_trait::async_trait;

use bursar_domain::CompanyId;

/// The counters that exist; each names its row in `counters`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    Clients,
    Expenses,
    /// Invoice numbers: gapless per issuing company and year.
    Invoices {
        company: Option<CompanyId>,
        year: i16,
    },
}

impl Counter {
    pub fn name(self) -> String {
        match self {
            Counter::Clients => "clients".to_owned(),
            Counter::Expenses => "expenses".to_owned(),
            Counter::Invoices { company, year } => bursar_domain::payments::invoice_counter(
                &company.map_or_else(|| "none".to_owned(), |c| c.to_string()),
                year,
            ),
        }
    }
}

#[async_trait]
pub trait Counters {
    /// The counter's next value (1 for a counter never bumped), taken for this transaction.
    async fn next_number(&mut self, counter: Counter) -> StoreResult<i64>;
}
