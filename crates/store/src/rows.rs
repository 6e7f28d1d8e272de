//! Reading typed values back from [`Row`]s, identically for both dialects.

use crate::db::Row;
use bursar_app::ports::StoreError;
use jiff::Timestamp;
use std::str::FromStr;

/// The stored form of an instant: UTC, RFC 3339, always six fractional digits, so that text
/// order is time order.
pub fn instant(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn bad(col: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("column {col}: {e}"))
}

/// Text; a `uuid` or `timestamptz` column on PostgreSQL reads as SQLite stores it.
pub fn text(row: &Row, col: &str) -> Result<String, StoreError> {
    row.try_get::<String>(col).map_err(|e| bad(col, e))
}

pub fn opt_text(row: &Row, col: &str) -> Result<Option<String>, StoreError> {
    row.try_get::<Option<String>>(col).map_err(|e| bad(col, e))
}

pub fn int(row: &Row, col: &str) -> Result<i64, StoreError> {
    row.try_get::<i64>(col).map_err(|e| bad(col, e))
}

/// A boolean stored as BOOLEAN (PostgreSQL) or INTEGER 0/1 (SQLite).
pub fn flag(row: &Row, col: &str) -> Result<bool, StoreError> {
    row.try_get::<bool>(col).map_err(|e| bad(col, e))
}

pub fn parsed<T: FromStr>(row: &Row, col: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Debug,
{
    let raw = text(row, col)?;
    raw.parse().map_err(|e| bad(col, format!("{e:?}")))
}

pub fn opt_parsed<T: FromStr>(row: &Row, col: &str) -> Result<Option<T>, StoreError>
where
    T::Err: std::fmt::Debug,
{
    opt_text(row, col)?
        .map(|raw| raw.parse().map_err(|e| bad(col, format!("{e:?}"))))
        .transpose()
}

pub fn at(row: &Row, col: &str) -> Result<Timestamp, StoreError> {
    row.try_get::<Timestamp>(col).map_err(|e| bad(col, e))
}

pub fn opt_at(row: &Row, col: &str) -> Result<Option<Timestamp>, StoreError> {
    row.try_get::<Option<Timestamp>>(col)
        .map_err(|e| bad(col, e))
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
