//! `bursar check`: proof that the money records agree. For every account the cached balance
//! equals the sum of its entries and the entry sequence has no gap; every payment's and
//! expense's cached allocation equals its allocation rows and stays within its amount; every
//! credited payment and every expense has exactly its ledger movement.

use crate::App;
use crate::error::AppError;

impl App {
    /// Every discrepancy, in words; empty when the books are sound. Reads one snapshot.
    pub async fn check_money(&self) -> Result<Vec<String>, AppError> {
        let mut tx = self.store.snapshot().await?;
        let problems = tx.money_discrepancies().await?;
        tx.commit().await?;
        Ok(problems)
    }
}
