//! The sqlx implementation of `bursar-app`'s storage port, for SQLite and PostgreSQL through
//! one code path: portable SQL (`$N` placeholders, `ON CONFLICT`, `RETURNING`), one text per
//! statement, run through [`db`], which binds and reads each value the backend's way
//! (native `uuid` and `timestamptz` on PostgreSQL, text on SQLite). Dialect differences
//! live only there, in the migrations ([`migrate`]) and in how a transaction begins.
//!
//! SQL lives only in this crate. Constraint names are explicit because `bursar-app` maps
//! them to error codes.
#![forbid(unsafe_code)]

mod catalog;
mod clients;
mod counters;
pub mod db;
mod errors;
mod marketing;
pub mod migrate;
mod money;
mod outbox;
mod pg_types;
mod rates;
mod repos;
mod rows;
mod staff;
mod taxes;

use async_trait::async_trait;
use bursar_app::ports::{Store, StoreError, StoreResult, Tx};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub use db::Pool;
pub use errors::map_err;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn of_url(url: &str) -> Option<Dialect> {
        if url.starts_with("sqlite:") {
            Some(Dialect::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Dialect::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }
}

/// The store: a connection pool and its dialect.
#[derive(Clone)]
pub struct SqlStore {
    pool: Pool,
    dialect: Dialect,
}

impl SqlStore {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`). SQLite connections run
    /// in WAL mode with foreign keys on and wait for locks instead of failing at once.
    pub async fn connect(url: &str, max_connections: u32) -> Result<SqlStore, StoreError> {
        let dialect = Dialect::of_url(url).ok_or_else(|| {
            StoreError::Other(format!(
                "unsupported database URL (use sqlite:// or postgres://): {url}"
            ))
        })?;
        let pool = match dialect {
            Dialect::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(map_err)?
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                Pool::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(max_connections)
                        .acquire_timeout(Duration::from_secs(10))
                        .connect_with(options)
                        .await
                        .map_err(map_err)?,
                )
            }
            Dialect::Postgres => {
                let options = PgConnectOptions::from_str(url).map_err(map_err)?;
                Pool::Postgres(
                    PgPoolOptions::new()
                        .max_connections(max_connections)
                        .acquire_timeout(Duration::from_secs(10))
                        .connect_with(options)
                        .await
                        .map_err(map_err)?,
                )
            }
        };
        Ok(SqlStore { pool, dialect })
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The pool, for tools and tests that run their own statements through [`db::query`].
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        migrate::run(&self.pool, self.dialect).await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin(
        &self,
        postgres: &'static str,
        sqlite: &'static str,
    ) -> StoreResult<Box<dyn Tx>> {
        let statement = match self.dialect {
            Dialect::Sqlite => sqlite,
            Dialect::Postgres => postgres,
        };
        let tx = self.pool.begin_with(statement).await.map_err(map_err)?;
        Ok(Box::new(repos::SqlTx {
            tx,
            dialect: self.dialect,
        }))
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn read(&self) -> StoreResult<Box<dyn Tx>> {
        self.begin("BEGIN", "BEGIN").await
    }

    async fn write(&self) -> StoreResult<Box<dyn Tx>> {
        // SQLite: take the write lock up front, so writers are serial and never deadlock.
        // PostgreSQL: SERIALIZABLE, so a decision taken on a read that another transaction
        // has since changed fails with a serialization error (retried by the use-case
        // spine) instead of committing a lost update.
        self.begin("BEGIN ISOLATION LEVEL SERIALIZABLE", "BEGIN IMMEDIATE")
            .await
    }

    async fn relaxed(&self) -> StoreResult<Box<dyn Tx>> {
        self.begin("BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN IMMEDIATE")
            .await
    }

    async fn snapshot(&self) -> StoreResult<Box<dyn Tx>> {
        // A WAL-mode SQLite read transaction already sees one snapshot.
        self.begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "BEGIN")
            .await
    }

    async fn ping(&self) -> StoreResult<()> {
        db::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }
}

impl SqlStore {
    /// The database's plan for the client list's page and count queries under `filter`
    /// (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL), one line per step; the
    /// list benchmark prints it to show which indexes answer.
    pub async fn explain_client_list(
        &self,
        filter: &bursar_app::ports::ClientFilter,
        page: bursar_app::ports::Page,
    ) -> Result<Vec<String>, StoreError> {
        let q = clients::client_list_sql(filter, page);
        let prefix = match self.dialect {
            Dialect::Sqlite => "EXPLAIN QUERY PLAN ",
            Dialect::Postgres => "EXPLAIN ",
        };
        let mut lines = Vec::new();
        for (name, sql) in [("page", &q.list), ("count", &q.count)] {
            lines.push(format!("-- {name}"));
            let mut query = db::query(sqlx::AssertSqlSafe(format!("{prefix}{sql}")));
            for v in &q.values {
                query = query.bind(v.clone());
            }
            for row in query.fetch_all(&self.pool).await.map_err(map_err)? {
                let column = match self.dialect {
                    Dialect::Sqlite => "detail",
                    Dialect::Postgres => "QUERY PLAN",
                };
                lines.push(row.try_get::<String>(column).unwrap_or_default());
            }
        }
        Ok(lines)
    }
}
