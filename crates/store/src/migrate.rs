//! Embedded migrations, one folder per dialect with the same versions. Each migration runs
//! in its own transaction together with its `schema_migrations` row, so a failed migration
//! leaves the database at the previous version.

use crate::{Dialect, map_err};
use bursar_app::ports::StoreError;
use sqlx::{AnyPool, Row};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
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
    migration!(1, "0001_foundation"),
    migration!(2, "0002_staff"),
    migration!(3, "0003_outbox"),
    migration!(4, "0004_clients"),
    migration!(5, "0005_client_list_order"),
    migration!(6, "0006_registration_limit"),
    migration!(7, "0007_history_actor_login"),
    migration!(8, "0008_client_sort_keys"),
    migration!(9, "0009_password_resets"),
    migration!(10, "0010_reset_request_limit"),
    migration!(11, "0011_client_numbers"),
];

/// Applies pending migrations; returns the names of those applied now.
pub async fn run(pool: &AnyPool, dialect: Dialect) -> Result<Vec<String>, StoreError> {
    run_up_to(pool, dialect, i64::MAX).await
}

/// Applies the pending migrations up to version `last`: a test sets a database up as an
/// older release left it, then checks what a later migration makes of its rows.
pub async fn run_up_to(
    pool: &AnyPool,
    dialect: Dialect,
    last: i64,
) -> Result<Vec<String>, StoreError> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(pool)
    .await
    .map_err(map_err)?;
    let mut applied_now = Vec::new();
    for m in MIGRATIONS.iter().take_while(|m| m.version <= last) {
        let begin = if dialect == Dialect::Sqlite {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN"
        };
        let mut tx = pool.begin_with(begin).await.map_err(map_err)?;
        let done = sqlx::query("SELECT COUNT(*) AS n FROM schema_migrations WHERE version = $1")
            .bind(m.version)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        if done.try_get::<i64, _>("n").map_err(map_err)? > 0 {
            continue;
        }
        let sql = match dialect {
            Dialect::Sqlite => m.sqlite,
            Dialect::Postgres => m.postgres,
        };
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(crate::rows::instant(jiff::Timestamp::now()))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        tracing::info!(migration = m.name, "applied migration");
        applied_now.push(m.name.to_owned());
    }
    Ok(applied_now)
}
