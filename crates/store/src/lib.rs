//! The sqlx implementation of `bursar-app`'s storage port, for SQLite and PostgreSQL through
//! one code path: sqlx's `Any` driver with portable SQL (`$N` placeholders, `ON CONFLICT`,
//! `RETURNING`), TEXT ids and instants, and booleans read by [`rows::flag`] whether the
//! dialect stores them as INTEGER or BOOLEAN. Dialect differences live only in the
//! migrations ([`migrate`]) and in how a write transaction begins.
//!
//! SQL lives only in this crate. Constraint names are explicit because `bursar-app` maps
//! them to error codes.
#![forbid(unsafe_code)]

mod clients;
mod counters;
mod errors;
pub mod migrate;
mod outbox;
mod repos;
mod rows;
mod staff;

use async_trait::async_trait;
use bursar_app::ports::{Store, StoreError, StoreResult, Tx};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

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
    pool: AnyPool,
    dialect: Dialect,
}

impl SqlStore {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`). SQLite connections run
    /// in WAL mode with foreign keys on and wait for locks instead of failing at once.
    pub async fn connect(url: &str, max_connections: u32) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::of_url(url).ok_or_else(|| {
            StoreError::Other(format!(
                "unsupported database URL (use sqlite:// or postgres://): {url}"
            ))
        })?;
        let options = AnyConnectOptions::from_str(url).map_err(map_err)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(map_err)?;
        Ok(SqlStore { pool, dialect })
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        migrate::run(&self.pool, self.dialect).await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn read(&self) -> StoreResult<Box<dyn Tx>> {
        let tx = self.pool.begin().await.map_err(map_err)?;
        Ok(Box::new(repos::SqlTx {
            tx,
            dialect: self.dialect,
        }))
    }

    async fn write(&self) -> StoreResult<Box<dyn Tx>> {
        // SQLite: take the write lock up front, so writers are serial and never deadlock.
        // PostgreSQL: SERIALIZABLE, so a decision taken on a read that another transaction
        // has since changed fails with a serialization error (retried by the use-case
        // spine) instead of committing a lost update.
        let begin = match self.dialect {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN ISOLATION LEVEL SERIALIZABLE",
        };
        let tx = self.pool.begin_with(begin).await.map_err(map_err)?;
        Ok(Box::new(repos::SqlTx {
            tx,
            dialect: self.dialect,
        }))
    }

    async fn relaxed(&self) -> StoreResult<Box<dyn Tx>> {
        let begin = match self.dialect {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN ISOLATION LEVEL READ COMMITTED",
        };
        let tx = self.pool.begin_with(begin).await.map_err(map_err)?;
        Ok(Box::new(repos::SqlTx {
            tx,
            dialect: self.dialect,
        }))
    }

    async fn snapshot(&self) -> StoreResult<Box<dyn Tx>> {
        // A WAL-mode SQLite read transaction already sees one snapshot.
        let begin = match self.dialect {
            Dialect::Sqlite => "BEGIN",
            Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        let tx = self.pool.begin_with(begin).await.map_err(map_err)?;
        Ok(Box::new(repos::SqlTx {
            tx,
            dialect: self.dialect,
        }))
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
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
            let mut query = sqlx::query(sqlx::AssertSqlSafe(format!("{prefix}{sql}")));
            for v in &q.values {
                query = query.bind(v.clone());
            }
            for row in query.fetch_all(&self.pool).await.map_err(map_err)? {
                use sqlx::Row;
                let line = match self.dialect {
                    Dialect::Sqlite => row.try_get::<String, _>("detail").unwrap_or_default(),
                    Dialect::Postgres => row.try_get::<String, _>(0).unwrap_or_default(),
                };
                lines.push(line);
            }
        }
        Ok(lines)
    }
}
