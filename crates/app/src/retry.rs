//! The one retry helper for transient database conflicts (SQLite busy, PostgreSQL
//! serialization failures and deadlocks). Use cases are written so that re-running them from
//! the start is safe: they read, decide and write inside one transaction.

use crate::error::AppError;
use std::future::Future;
use std::time::Duration;

const ATTEMPTS: u32 = 5;

pub async fn retry<T, F, Fut>(mut attempt: F) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let mut n = 0;
    loop {
        match attempt().await {
            Err(AppError::Busy) if n + 1 < ATTEMPTS => {
                n += 1;
                tokio::time::sleep(Duration::from_millis(10 * 2u64.pow(n))).await;
            }
            other => return other,
        }
    }
}
