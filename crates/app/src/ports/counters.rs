//! Counters handing out short sequential numbers (client `#1042`; later payments, orders,
//! services): one row per counter, bumped inside the transaction that creates the record.
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

/// The counters that exist; each names its row in `counters`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    Clients,
}

impl Counter {
    pub fn name(self) -> &'static str {
        match self {
            Counter::Clients => "clients",
        }
    }
}

#[async_trait]
pub trait Counters {
    /// The counter's next value (1 for a counter never bumped), taken for this transaction.
    async fn next_number(&mut self, counter: Counter) -> StoreResult<i64>;
}
