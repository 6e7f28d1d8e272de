//! PostgreSQL's `timestamptz` for `jiff::Timestamp`. sqlx speaks `chrono` and `time`, not
//! `jiff`; rather than pull a second date library into the tree for one type, this is the
//! wire format itself: microseconds since 2000-01-01 UTC as a big-endian `i64` (binary), or
//! PostgreSQL's text form (`2026-11-22 02:22:32.5+00`), which the server sends in a few
//! cases (simple-protocol queries).

use jiff::{SignedDuration, Timestamp};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_is_postgres_epoch() {
        assert_eq!(pg_epoch().to_string(), "2000-01-01T00:00:00Z");
    }
}
