//! The counters behind short numbers (client `#1042`): one row per counter in `counters`.
//!
//! One portable statement bumps a counter and returns its new value. PostgreSQL locks the row
//! (the insert's conflict turns into an update of the existing row) until the transaction
//! ends, so a parallel creation waits and then reads the committed value; SQLite's writers
//! are serial (`BEGIN IMMEDIATE`). No sequence: a sequence hands out values outside the
//! transaction, so a rollback would leave a gap, and SQLite has none.

use crate::map_err;
use crate::repos::SqlTx;
use crate::rows::int;
use async_trait::async_trait;
use bursar_app::ports::{Counter, Counters, StoreResult};

#[async_trait]
impl Counters for SqlTx {
    async fn next_number(&mut self, counter: Counter) -> StoreResult<i64> {
        let row = crate::db::query(
            "INSERT INTO counters (name, last_value) VALUES ($1, 1) \
             ON CONFLICT (name) DO UPDATE SET last_value = counters.last_value + 1 \
             RETURNING last_value",
        )
        .bind(counter.name())
        .fetch_one(&mut self.tx)
        .await
        .map_err(map_err)?;
        int(&row, "last_value")
    }
}
