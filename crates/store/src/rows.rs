//! Reading typed values back from `AnyRow`s, identically for both dialects.

use bursar_app::ports::StoreError;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::str::FromStr;

/// The stored form of an instant: UTC, RFC 3339, always six fractional digits, so that text
/// order is time order.
pub fn instant(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn bad(col: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("column {col}: {e}"))
}

pub fn text(row: &AnyRow, col: &str) -> Result<String, StoreError> {
    row.try_get::<String, _>(col).map_err(|e| bad(col, e))
}

pub fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>, StoreError> {
    row.try_get::<Option<String>, _>(col)
        .map_err(|e| bad(col, e))
}

pub fn int(row: &AnyRow, col: &str) -> Result<i64, StoreError> {
    row.try_get::<i64, _>(col)
        .or_else(|_| row.try_get::<i32, _>(col).map(i64::from))
        .map_err(|e| bad(col, e))
}

/// A boolean stored as BOOLEAN (PostgreSQL) or INTEGER 0/1 (SQLite).
pub fn flag(row: &AnyRow, col: &str) -> Result<bool, StoreError> {
    row.try_get::<bool, _>(col)
        .or_else(|_| int(row, col).map(|n| n != 0))
        .map_err(|e| bad(col, e))
}

pub fn parsed<T: FromStr>(row: &AnyRow, col: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Debug,
{
    let raw = text(row, col)?;
    raw.parse().map_err(|e| bad(col, format!("{e:?}")))
}

pub fn opt_parsed<T: FromStr>(row: &AnyRow, col: &str) -> Result<Option<T>, StoreError>
where
    T::Err: std::fmt::Debug,
{
    opt_text(row, col)?
        .map(|raw| raw.parse().map_err(|e| bad(col, format!("{e:?}"))))
        .transpose()
}

pub fn at(row: &AnyRow, col: &str) -> Result<Timestamp, StoreError> {
    parsed(row, col)
}

pub fn opt_at(row: &AnyRow, col: &str) -> Result<Option<Timestamp>, StoreError> {
    opt_parsed(row, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_fixed_width_and_round_trip() -> Result<(), jiff::Error> {
        let t: Timestamp = "2026-11-22T02:22:32.5Z".parse()?;
        let s = instant(t);
        assert_eq!(s, "2026-11-22T02:22:32.500000Z");
        assert_eq!(s.parse::<Timestamp>()?, t);
        Ok(())
    }
}
