//! Embedded migrations, one folder per dialect with the same versions. Each migration runs
//! in its own transaction together with its `schema_migrations` row, so a failed migration
//! leaves the database at the previous version.
//!
//! Several instances may start at once against one database, so migrating is serialised by
//! a lease: one row in `migration_locks`, taken with a conditional upsert (free, or expired)
//! and released by deleting it. No advisory lock (DESIGN.md: they do not survive PgBouncer,
//! replicas or distributed Postgres); only portable SQL. The lease is a hint for the
//! waiting, not the safety: every migration's transaction first re-asserts the lease with an
//! `UPDATE … WHERE holder = me`, which on PostgreSQL also row-locks the lease until that
//! transaction ends, so nobody can take an expired lease over from a holder whose migration
//! is still running (a crashed holder's transaction is rolled back, which frees the row). An
//! instance that finds its lease taken over goes back to waiting; the next holder sees what
//! was committed. On SQLite `BEGIN IMMEDIATE` serialises the writers anyway.
//!
//! `schema_migrations` records each applied migration's SHA-256; an applied migration whose
//! text has changed since stops the start with a message naming it, since the database no
//! longer matches what the code says it is.
//!
//! Trade-offs: expiry instants come from each instance's clock, so clocks must agree to well
//! within [`LEASE`]; a crashed holder delays the others by at most [`LEASE`].

use crate::db::{DbTx, Pool};
use crate::{Dialect, map_err};
use bursar_app::ports::StoreError;
use sha2::{Digest, Sha256};
use std::time::Duration;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

impl Migration {
    fn sql(&self, dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Sqlite => self.sqlite,
            Dialect::Postgres => self.postgres,
        }
    }

    /// SHA-256 of the dialect's text, hex. Line endings are normalised so that a checkout
    /// with CRLF endings does not count as a change.
    fn checksum(&self, dialect: Dialect) -> String {
        let text = self.sql(dialect).replace("\r\n", "\n");
        format!("{:x}", Sha256::digest(text.as_bytes()))
    }
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

static MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_baseline"),
    migration!(2, "0002_money"),
    migration!(3, "0003_mail_attachments"),
    migration!(4, "0004_catalog"),
    migration!(5, "0005_open_money_indexes"),
    migration!(6, "0006_pricing"),
];

/// The bookkeeping tables, the same text on both dialects.
const BOOKKEEPING: [(&str, &str); 2] = [
    (
        "schema_migrations",
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, \
         applied_at TEXT NOT NULL)",
    ),
    (
        "migration_locks",
        "CREATE TABLE IF NOT EXISTS migration_locks (\
         name TEXT NOT NULL PRIMARY KEY, holder TEXT NOT NULL, acquired_at TEXT NOT NULL, \
         expires_at TEXT NOT NULL)",
    ),
];

/// The one lock row's name.
const LOCK: &str = "migrate";
/// How long a lease lasts without being re-asserted: how long a crashed holder can keep the
/// others waiting.
pub const LEASE: Duration = Duration::from_secs(30);
/// How often a waiting instance tries again.
const POLL: Duration = Duration::from_millis(250);
/// How often a waiting instance says so in the log.
const WAIT_NOTE: Duration = Duration::from_secs(15);

/// Applies pending migrations; returns the names of those applied now (by this call: when
/// several instances start together, each migration is applied by exactly one of them).
pub async fn run(pool: &Pool, dialect: Dialect) -> Result<Vec<String>, StoreError> {
    for (table, sql) in BOOKKEEPING {
        create_bookkeeping(pool, table, sql).await?;
    }
    let me = holder();
    let mut applied_now = Vec::new();
    loop {
        acquire(pool, &me).await?;
        let outcome = apply_pending(pool, dialect, &me, &mut applied_now).await;
        release(pool, &me).await;
        match outcome? {
            Outcome::Done => return Ok(applied_now),
            Outcome::LeaseLost => {
                tracing::warn!(
                    holder = me,
                    "the migration lock was taken over; waiting again"
                );
            }
        }
    }
}

/// Creates a bookkeeping table if missing. Two instances creating it at once can make one of
/// them fail on PostgreSQL (a unique violation in the catalogue, or "already exists"): that
/// means someone else made it, which the table being readable then confirms.
async fn create_bookkeeping(pool: &Pool, table: &str, sql: &'static str) -> Result<(), StoreError> {
    let mut attempts = 0;
    loop {
        let Err(e) = pool.raw_script(sql).await else {
            return Ok(());
        };
        let probe = format!("SELECT COUNT(*) AS n FROM {table}");
        if crate::db::query(sqlx::AssertSqlSafe(probe))
            .fetch_one(pool)
            .await
            .is_ok()
        {
            tracing::debug!(table, error = %e, "another instance created the table first");
            return Ok(());
        }
        attempts += 1;
        if attempts >= 5 {
            return Err(map_err(e));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// This run's name in the lock row: host, process and a unique part, for the operator who
/// finds it there.
fn holder() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".to_owned());
    format!(
        "{host}:{}:{}",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    )
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

/// `now` plus the lease, as stored (fixed-width UTC text, so it compares as text).
fn lease_end(now: jiff::Timestamp) -> String {
    let lease = jiff::SignedDuration::try_from(LEASE).unwrap_or(jiff::SignedDuration::ZERO);
    crate::rows::instant(now.checked_add(lease).unwrap_or(now))
}

/// Waits until this run holds the lease: the lock row is absent, or it has expired (its
/// holder crashed). One statement decides, so two instances can never both take it.
async fn acquire(pool: &Pool, me: &str) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    let mut noted: Option<std::time::Instant> = None;
    loop {
        let t = now();
        let taken = crate::db::query(
            "INSERT INTO migration_locks (name, holder, acquired_at, expires_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
               acquired_at = excluded.acquired_at, expires_at = excluded.expires_at \
             WHERE migration_locks.expires_at < excluded.acquired_at",
        )
        .bind(LOCK)
        .bind(me)
        .bind(crate::rows::instant(t))
        .bind(lease_end(t))
        .execute(pool)
        .await;
        match taken.map_err(map_err) {
            Ok(done) if done.rows_affected() == 1 => {
                if noted.is_some() {
                    tracing::info!(
                        holder = me,
                        waited_ms = started.elapsed().as_millis(),
                        "took the migration lock"
                    );
                }
                return Ok(());
            }
            // Held by someone else; on SQLite another writer may also hold the file.
            Ok(_) | Err(StoreError::Busy) => {}
            Err(e) => return Err(e),
        }
        if noted.is_none_or(|at| at.elapsed() >= WAIT_NOTE) {
            noted = Some(std::time::Instant::now());
            let row =
                crate::db::query("SELECT holder, expires_at FROM migration_locks WHERE name = $1")
                    .bind(LOCK)
                    .fetch_optional(pool)
                    .await
                    .ok()
                    .flatten();
            let (by, until) = row
                .map(|r| {
                    (
                        r.try_get::<String>("holder").unwrap_or_default(),
                        r.try_get::<String>("expires_at").unwrap_or_default(),
                    )
                })
                .unwrap_or_default();
            tracing::info!(
                holder = by,
                expires_at = until,
                "another instance is migrating the database; waiting for it"
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Gives the lease back. A failure only costs the others [`LEASE`], so it is logged, not
/// returned: the migrations themselves went through (or their own error is returned).
async fn release(pool: &Pool, me: &str) {
    let done = crate::db::query("DELETE FROM migration_locks WHERE name = $1 AND holder = $2")
        .bind(LOCK)
        .bind(me)
        .execute(pool)
        .await;
    if let Err(e) = done {
        tracing::warn!(error = %e, "could not release the migration lock; it expires by itself");
    }
}

enum Outcome {
    Done,
    LeaseLost,
}

/// Under the lease: checks the applied migrations' checksums, then applies the pending ones.
async fn apply_pending(
    pool: &Pool,
    dialect: Dialect,
    me: &str,
    applied_now: &mut Vec<String>,
) -> Result<Outcome, StoreError> {
    verify_applied(pool, dialect).await?;
    for m in MIGRATIONS {
        let begin = if dialect == Dialect::Sqlite {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN"
        };
        let mut tx = pool.begin_with(begin).await.map_err(map_err)?;
        // Re-asserting the lease first holds its row (on PostgreSQL) until this commits.
        if !renew(&mut tx, me).await? {
            tx.rollback().await.map_err(map_err)?;
            return Ok(Outcome::LeaseLost);
        }
        let done =
            crate::db::query("SELECT COUNT(*) AS n FROM schema_migrations WHERE version = $1")
                .bind(m.version)
                .fetch_one(&mut tx)
                .await
                .map_err(map_err)?;
        if done.try_get::<i64>("n").map_err(map_err)? > 0 {
            tx.rollback().await.map_err(map_err)?;
            continue;
        }
        tx.raw_script(m.sql(dialect)).await.map_err(|e| {
            StoreError::Other(format!("migration {} failed: {}", m.name, map_err(e)))
        })?;
        crate::db::query(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(m.checksum(dialect))
        .bind(crate::rows::instant(now()))
        .execute(&mut tx)
        .await
        .map_err(map_err)?;
        // The lease counts from the end of a long migration, not from its start.
        renew(&mut tx, me).await?;
        tx.commit().await.map_err(map_err)?;
        tracing::info!(migration = m.name, "applied migration");
        applied_now.push(m.name.to_owned());
    }
    Ok(Outcome::Done)
}

/// Extends this run's lease; false when it is no longer this run's.
async fn renew(tx: &mut DbTx, me: &str) -> Result<bool, StoreError> {
    let done = crate::db::query(
        "UPDATE migration_locks SET expires_at = $1 WHERE name = $2 AND holder = $3",
    )
    .bind(lease_end(now()))
    .bind(LOCK)
    .bind(me)
    .execute(&mut *tx)
    .await
    .map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}

/// Refuses a database where an applied migration's text has changed since: the schema it
/// made is not what the code now describes. A version this build does not know (a newer
/// build migrated the database) is only noted: during a rolling upgrade the older instances
/// keep running on the newer, compatible schema.
async fn verify_applied(pool: &Pool, dialect: Dialect) -> Result<(), StoreError> {
    let rows =
        crate::db::query("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
    for r in rows {
        let version: i64 = r.try_get::<i64>("version").map_err(map_err)?;
        let name: String = r.try_get::<String>("name").map_err(map_err)?;
        let recorded: String = r.try_get::<String>("checksum").map_err(map_err)?;
        let Some(m) = MIGRATIONS.iter().find(|m| m.version == version) else {
            tracing::warn!(
                version,
                migration = name,
                "the database has a migration this build does not know (applied by a newer version)"
            );
            continue;
        };
        if m.name != name {
            return Err(StoreError::Other(format!(
                "migration {version} was applied as {name}, but this build calls it {}; \
                 a migration must not be renamed or renumbered once applied",
                m.name
            )));
        }
        let current = m.checksum(dialect);
        if current != recorded {
            return Err(StoreError::Other(format!(
                "migration {name} ({} dialect) was changed after it was applied to this \
                 database: its text's SHA-256 is now {current}, but {recorded} was recorded \
                 when it was applied. Restore its original text and put the change in a new \
                 migration.",
                dialect.name()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_and_names_numbered_alike() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(usize::try_from(m.version).ok(), Some(i + 1));
            assert!(
                m.name.starts_with(&format!("{:04}_", m.version)),
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn checksums_ignore_line_endings_only() {
        let m = Migration {
            version: 1,
            name: "x",
            sqlite: "CREATE TABLE a (b TEXT);\nSELECT 1;\n",
            postgres: "CREATE TABLE a (b TEXT);\r\nSELECT 1;\r\n",
        };
        assert_eq!(m.checksum(Dialect::Sqlite), m.checksum(Dialect::Postgres));
        assert_eq!(m.checksum(Dialect::Sqlite).len(), 64);
        let changed = Migration {
            sqlite: "CREATE TABLE a (b TEXT); \nSELECT 1;\n",
            ..m
        };
        assert_ne!(
            changed.checksum(Dialect::Sqlite),
            m.checksum(Dialect::Postgres)
        );
    }
}
