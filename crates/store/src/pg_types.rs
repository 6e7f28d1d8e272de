//! PostgreSQL's `timestamptz` for `jiff::Timestamp`. sqlx speaks `chrono` and `time`, not
//! `jiff`; rather than pull a second date library into the tree for one type, this is the
//! wire format itself: microseconds since 2000-01-01 UTC as a big-endian `i64` (binary), or
//! PostgreSQL's text form (`2026-11-22 02:22:32.5+00`), which the server sends in a few
//! cases (simple-protocol queries).

use jiff::civil::Date;
use jiff::{SignedDuration, Span, Timestamp};
use sqlx::decode::Decode;
use sqlx::encode::{Encode, IsNull};
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueFormat, PgValueRef, Postgres};
use sqlx::{Type, TypeInfo};

/// An instant as PostgreSQL `timestamptz` stores it (microsecond precision).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PgInstant(pub Timestamp);

/// 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix seconds.
const PG_EPOCH_UNIX_SECONDS: i64 = 946_684_800;

fn pg_epoch() -> Timestamp {
    Timestamp::from_second(PG_EPOCH_UNIX_SECONDS).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Type<Postgres> for PgInstant {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_name("timestamptz")
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        ty.name() == "TIMESTAMPTZ"
    }
}

impl Encode<'_, Postgres> for PgInstant {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        let since = self.0.duration_since(pg_epoch());
        let micros = i64::try_from(since.as_micros())
            .map_err(|_| format!("instant {} is out of PostgreSQL's range", self.0))?;
        Encode::<Postgres>::encode(micros, buf)
    }

    fn size_hint(&self) -> usize {
        std::mem::size_of::<i64>()
    }
}

impl<'r> Decode<'r, Postgres> for PgInstant {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Binary => {
                let micros: i64 = Decode::<Postgres>::decode(value)?;
                let t = pg_epoch().checked_add(SignedDuration::from_micros(micros))?;
                Ok(PgInstant(t))
            }
            PgValueFormat::Text => {
                // `2026-11-22 02:22:32.5+00`: jiff parses it once the offset has minutes.
                let s = value.as_str()?;
                let full = if s.len() > 3 && s.as_bytes().get(s.len() - 3) == Some(&b'+') {
                    format!("{s}:00")
                } else {
                    s.to_owned()
                };
                Ok(PgInstant(full.replacen(' ', "T", 1).parse()?))
            }
        }
    }
}

/// A calendar day as PostgreSQL `date` stores it: days since 2000-01-01 as an `i32`
/// (binary), or `2026-12-06` (text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PgDate(pub Date);

fn pg_epoch_date() -> Date {
    Date::constant(2000, 1, 1)
}

impl Type<Postgres> for PgDate {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_name("date")
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        ty.name() == "DATE"
    }
}

impl Encode<'_, Postgres> for PgDate {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        let days = self.0.since(pg_epoch_date())?.get_days();
        Encode::<Postgres>::encode(days, buf)
    }

    fn size_hint(&self) -> usize {
        std::mem::size_of::<i32>()
    }
}

impl<'r> Decode<'r, Postgres> for PgDate {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Binary => {
                let days: i32 = Decode::<Postgres>::decode(value)?;
                Ok(PgDate(pg_epoch_date().checked_add(Span::new().days(days))?))
            }
            PgValueFormat::Text => Ok(PgDate(value.as_str()?.parse()?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_2000() {
        let d = Date::constant(2026, 12, 6);
        let days = d
            .since(pg_epoch_date())
            .map(|s| s.get_days())
            .unwrap_or_default();
        assert_eq!(days, 9836);
    }

    #[test]
    fn the_epoch_is_postgres_epoch() {
        assert_eq!(pg_epoch().to_string(), "2000-01-01T00:00:00Z");
    }
}
