//! One face over the two backends. Every statement is ONE SQL text for both databases
//! (`$N` placeholders, `ON CONFLICT`, `RETURNING`); what differs is how values are bound
//! and read back, and that lives here:
//!
//! - PostgreSQL stores its own types: ids are `uuid`, instants `timestamptz`, flags
//!   `boolean`. A [`Val`] binds with the native type, and [`Row`] decodes it.
//! - SQLite stores what suits it: ids as hyphenated text, instants as fixed-width UTC text
//!   (so text order is time order), flags as 0/1.
//!
//! sqlx's `Any` driver cannot carry `uuid` or `timestamptz`, so the store holds a typed pool
//! and transaction per backend ([`Pool`], [`DbTx`]) instead, and [`query`] builds the
//! backend's own query from the values when it runs. The repositories keep one code path.

use crate::pg_types::{PgDate, PgInstant};
use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query as SqlxQuery;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{PgPool, Postgres, SqlSafeStr, SqlStr, Sqlite, SqlitePool, Transaction};
use uuid::Uuid;

/// A connection pool of one backend.
#[derive(Clone, Debug)]
pub enum Pool {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

/// An open transaction of one backend.
pub enum DbTx {
    Postgres(Transaction<'static, Postgres>),
    Sqlite(Transaction<'static, Sqlite>),
}

impl Pool {
    /// Begins a transaction with the dialect's own statement (`BEGIN IMMEDIATE`, or
    /// `BEGIN ISOLATION LEVEL …`).
    pub async fn begin_with(&self, statement: &'static str) -> Result<DbTx, sqlx::Error> {
        Ok(match self {
            Pool::Postgres(p) => DbTx::Postgres(p.begin_with(statement).await?),
            Pool::Sqlite(p) => DbTx::Sqlite(p.begin_with(statement).await?),
        })
    }

    pub async fn close(&self) {
        match self {
            Pool::Postgres(p) => p.close().await,
            Pool::Sqlite(p) => p.close().await,
        }
    }

    /// Runs a script of several statements without parameters (a migration).
    pub async fn raw_script(&self, sql: impl SqlSafeStr) -> Result<(), sqlx::Error> {
        match self {
            Pool::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(drop),
            Pool::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await.map(drop),
        }
    }
}

impl DbTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            DbTx::Postgres(tx) => tx.commit().await,
            DbTx::Sqlite(tx) => tx.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            DbTx::Postgres(tx) => tx.rollback().await,
            DbTx::Sqlite(tx) => tx.rollback().await,
        }
    }

    /// Runs a script of several statements without parameters (a migration).
    pub async fn raw_script(&mut self, sql: impl SqlSafeStr) -> Result<(), sqlx::Error> {
        match self {
            DbTx::Postgres(tx) => sqlx::raw_sql(sql).execute(&mut **tx).await.map(drop),
            DbTx::Sqlite(tx) => sqlx::raw_sql(sql).execute(&mut **tx).await.map(drop),
        }
    }
}

/// Where a statement runs: in a transaction, or on the pool (one statement, autocommit).
pub enum Target<'a> {
    Tx(&'a mut DbTx),
    Pool(&'a Pool),
}

impl<'a> From<&'a mut DbTx> for Target<'a> {
    fn from(tx: &'a mut DbTx) -> Self {
        Target::Tx(tx)
    }
}

impl<'a> From<&'a Pool> for Target<'a> {
    fn from(pool: &'a Pool) -> Self {
        Target::Pool(pool)
    }
}

/// A value to bind, with the kind it has in the schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(Option<bool>),
    /// `uuid` on PostgreSQL, hyphenated text on SQLite.
    Uuid(Option<Uuid>),
    /// `timestamptz` on PostgreSQL, [`crate::rows::instant`] text on SQLite.
    Instant(Option<Timestamp>),
    /// `bytea` on PostgreSQL, BLOB on SQLite.
    Bytes(Option<Vec<u8>>),
    /// `date` on PostgreSQL, `2026-12-06` text on SQLite (text order is date order).
    Date(Option<Date>),
    /// `numeric` on PostgreSQL, its exact decimal text on SQLite.
    Decimal(Option<Decimal>),
}

/// What can be bound: the kind follows the Rust type, so an id always binds as an id.
pub trait IntoVal {
    fn into_val(self) -> Val;
}

impl IntoVal for Val {
    fn into_val(self) -> Val {
        self
    }
}

impl IntoVal for String {
    fn into_val(self) -> Val {
        Val::Text(Some(self))
    }
}

impl IntoVal for &String {
    fn into_val(self) -> Val {
        Val::Text(Some(self.clone()))
    }
}

impl IntoVal for &str {
    fn into_val(self) -> Val {
        Val::Text(Some(self.to_owned()))
    }
}

impl IntoVal for Option<String> {
    fn into_val(self) -> Val {
        Val::Text(self)
    }
}

impl IntoVal for Option<&str> {
    fn into_val(self) -> Val {
        Val::Text(self.map(str::to_owned))
    }
}

impl IntoVal for Date {
    fn into_val(self) -> Val {
        Val::Date(Some(self))
    }
}

impl IntoVal for Option<Date> {
    fn into_val(self) -> Val {
        Val::Date(self)
    }
}

impl IntoVal for Decimal {
    fn into_val(self) -> Val {
        Val::Decimal(Some(self))
    }
}

impl IntoVal for Option<Decimal> {
    fn into_val(self) -> Val {
        Val::Decimal(self)
    }
}

impl IntoVal for i64 {
    fn into_val(self) -> Val {
        Val::Int(Some(self))
    }
}

impl IntoVal for Option<i64> {
    fn into_val(self) -> Val {
        Val::Int(self)
    }
}

impl IntoVal for i32 {
    fn into_val(self) -> Val {
        Val::Int(Some(i64::from(self)))
    }
}

impl IntoVal for u32 {
    fn into_val(self) -> Val {
        Val::Int(Some(i64::from(self)))
    }
}

impl IntoVal for bool {
    fn into_val(self) -> Val {
        Val::Bool(Some(self))
    }
}

impl IntoVal for Uuid {
    fn into_val(self) -> Val {
        Val::Uuid(Some(self))
    }
}

impl IntoVal for Option<Uuid> {
    fn into_val(self) -> Val {
        Val::Uuid(self)
    }
}

impl IntoVal for Vec<u8> {
    fn into_val(self) -> Val {
        Val::Bytes(Some(self))
    }
}

impl IntoVal for &[u8] {
    fn into_val(self) -> Val {
        Val::Bytes(Some(self.to_vec()))
    }
}

impl IntoVal for bursar_app::ports::MailId {
    fn into_val(self) -> Val {
        Val::Uuid(Some(self.0))
    }
}

impl IntoVal for Timestamp {
    fn into_val(self) -> Val {
        Val::Instant(Some(self))
    }
}

impl IntoVal for Option<Timestamp> {
    fn into_val(self) -> Val {
        Val::Instant(self)
    }
}

macro_rules! id_vals {
    ($($id:ident),* $(,)?) => {$(
        impl IntoVal for bursar_domain::$id {
            fn into_val(self) -> Val {
                Val::Uuid(Some(self.0))
            }
        }
        impl IntoVal for &bursar_domain::$id {
            fn into_val(self) -> Val {
                Val::Uuid(Some(self.0))
            }
        }
        impl IntoVal for Option<bursar_domain::$id> {
            fn into_val(self) -> Val {
                Val::Uuid(self.map(|id| id.0))
            }
        }
    )*};
}

id_vals!(
    UserId,
    ClientId,
    SessionId,
    ApiTokenId,
    HistoryId,
    DepartmentId,
    ProviderId,
    CompanyId,
    PayerId,
    ClientGroupId,
    AccountId,
    PaymentId,
    ExpenseId,
    WithdrawalId,
    PaymentMethodId,
    LedgerEntryId,
);

/// A statement with its values, run on either backend.
pub struct Query {
    sql: SqlStr,
    args: Vec<Val>,
}

/// Starts a statement; bind its `$N` values in order with [`Query::bind`].
pub fn query(sql: impl SqlSafeStr) -> Query {
    Query {
        sql: sql.into_sql_str(),
        args: Vec::new(),
    }
}

/// What a statement changed.
pub struct Done {
    rows_affected: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

impl Query {
    pub fn bind(mut self, value: impl IntoVal) -> Self {
        self.args.push(value.into_val());
        self
    }

    fn postgres(self) -> SqlxQuery<'static, Postgres, PgArguments> {
        let mut q = sqlx::query(self.sql);
        for v in self.args {
            q = match v {
                Val::Text(s) => q.bind(s),
                Val::Int(n) => q.bind(n),
                Val::Bool(b) => q.bind(b),
                Val::Uuid(u) => q.bind(u),
                Val::Instant(t) => q.bind(t.map(PgInstant)),
                Val::Bytes(b) => q.bind(b),
                Val::Date(d) => q.bind(d.map(PgDate)),
                Val::Decimal(d) => q.bind(d),
            };
        }
        q
    }

    fn sqlite(self) -> SqlxQuery<'static, Sqlite, SqliteArguments> {
        let mut q = sqlx::query(self.sql);
        for v in self.args {
            q = match v {
                Val::Text(s) => q.bind(s),
                Val::Int(n) => q.bind(n),
                Val::Bool(b) => q.bind(b),
                Val::Uuid(u) => q.bind(u.map(|u| u.hyphenated().to_string())),
                Val::Instant(t) => q.bind(t.map(crate::rows::instant)),
                Val::Bytes(b) => q.bind(b),
                Val::Date(d) => q.bind(d.map(|d| d.to_string())),
                Val::Decimal(d) => q.bind(d.map(|d| d.normalize().to_string())),
            };
        }
        q
    }

    pub async fn execute<'a>(self, target: impl Into<Target<'a>>) -> Result<Done, sqlx::Error> {
        let rows_affected = match target.into() {
            Target::Tx(DbTx::Postgres(tx)) => {
                self.postgres().execute(&mut **tx).await?.rows_affected()
            }
            Target::Tx(DbTx::Sqlite(tx)) => self.sqlite().execute(&mut **tx).await?.rows_affected(),
            Target::Pool(Pool::Postgres(p)) => self.postgres().execute(p).await?.rows_affected(),
            Target::Pool(Pool::Sqlite(p)) => self.sqlite().execute(p).await?.rows_affected(),
        };
        Ok(Done { rows_affected })
    }

    pub async fn fetch_all<'a>(
        self,
        target: impl Into<Target<'a>>,
    ) -> Result<Vec<Row>, sqlx::Error> {
        Ok(match target.into() {
            Target::Tx(DbTx::Postgres(tx)) => rows_pg(self.postgres().fetch_all(&mut **tx).await?),
            Target::Tx(DbTx::Sqlite(tx)) => rows_lite(self.sqlite().fetch_all(&mut **tx).await?),
            Target::Pool(Pool::Postgres(p)) => rows_pg(self.postgres().fetch_all(p).await?),
            Target::Pool(Pool::Sqlite(p)) => rows_lite(self.sqlite().fetch_all(p).await?),
        })
    }

    pub async fn fetch_optional<'a>(
        self,
        target: impl Into<Target<'a>>,
    ) -> Result<Option<Row>, sqlx::Error> {
        Ok(match target.into() {
            Target::Tx(DbTx::Postgres(tx)) => self
                .postgres()
                .fetch_optional(&mut **tx)
                .await?
                .map(Row::Postgres),
            Target::Tx(DbTx::Sqlite(tx)) => self
                .sqlite()
                .fetch_optional(&mut **tx)
                .await?
                .map(Row::Sqlite),
            Target::Pool(Pool::Postgres(p)) => {
                self.postgres().fetch_optional(p).await?.map(Row::Postgres)
            }
            Target::Pool(Pool::Sqlite(p)) => {
                self.sqlite().fetch_optional(p).await?.map(Row::Sqlite)
            }
        })
    }

    pub async fn fetch_one<'a>(self, target: impl Into<Target<'a>>) -> Result<Row, sqlx::Error> {
        self.fetch_optional(target)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }
}

fn rows_pg(rows: Vec<PgRow>) -> Vec<Row> {
    rows.into_iter().map(Row::Postgres).collect()
}

fn rows_lite(rows: Vec<SqliteRow>) -> Vec<Row> {
    rows.into_iter().map(Row::Sqlite).collect()
}

/// A result row of either backend; read it with [`Row::get`] or the helpers in
/// [`crate::rows`].
pub enum Row {
    Postgres(PgRow),
    Sqlite(SqliteRow),
}

impl Row {
    /// The column `col` as `T`, decoded the backend's way.
    pub fn try_get<T: Column>(&self, col: &str) -> Result<T, sqlx::Error> {
        match self {
            Row::Postgres(r) => T::from_postgres(r, col),
            Row::Sqlite(r) => T::from_sqlite(r, col),
        }
    }
}

/// A Rust type a column can be read as, on both backends.
pub trait Column: Sized {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error>;
    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error>;
}

/// Text, whatever the column's native type: a `uuid` reads as its hyphenated form and a
/// `timestamptz` as the fixed-width UTC text SQLite stores, so both backends read the same.
impl Column for Option<String> {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::{Row as _, TypeInfo, ValueRef};
        let raw = row.try_get_raw(col)?;
        if raw.is_null() {
            return Ok(None);
        }
        let kind = raw.type_info().name().to_owned();
        Ok(Some(match kind.as_str() {
            "UUID" => row.try_get::<Uuid, _>(col)?.hyphenated().to_string(),
            "TIMESTAMPTZ" => crate::rows::instant(row.try_get::<PgInstant, _>(col)?.0),
            "DATE" => row.try_get::<PgDate, _>(col)?.0.to_string(),
            "NUMERIC" => row.try_get::<Decimal, _>(col)?.normalize().to_string(),
            _ => row.try_get::<String, _>(col)?,
        }))
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        row.try_get(col)
    }
}

impl Column for String {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<String>::from_postgres(row, col)?.ok_or_else(|| null(col))
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        row.try_get(col)
    }
}

/// An integer of any width (`COUNT(*)` is `bigint`, some columns `integer`).
impl Column for Option<i64> {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        row.try_get::<Option<i64>, _>(col)
            .or_else(|_| row.try_get::<Option<i32>, _>(col).map(|n| n.map(i64::from)))
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        row.try_get(col)
    }
}

impl Column for i64 {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<i64>::from_postgres(row, col)?.ok_or_else(|| null(col))
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<i64>::from_sqlite(row, col)?.ok_or_else(|| null(col))
    }
}

/// A flag: `boolean` on PostgreSQL, 0/1 on SQLite.
impl Column for bool {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        row.try_get(col)
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        row.try_get::<bool, _>(col)
            .or_else(|_| row.try_get::<i64, _>(col).map(|n| n != 0))
    }
}

impl Column for Option<Timestamp> {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        Ok(row.try_get::<Option<PgInstant>, _>(col)?.map(|t| t.0))
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<String>::from_sqlite(row, col)?
            .map(|s| {
                s.parse::<Timestamp>()
                    .map_err(|e| sqlx::Error::ColumnDecode {
                        index: col.to_owned(),
                        source: Box::new(e),
                    })
            })
            .transpose()
    }
}

impl Column for Timestamp {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<Timestamp>::from_postgres(row, col)?.ok_or_else(|| null(col))
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<Timestamp>::from_sqlite(row, col)?.ok_or_else(|| null(col))
    }
}

impl Column for Vec<u8> {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        row.try_get(col)
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        row.try_get(col)
    }
}

/// Reads SQLite's text form of a value with `FromStr`.
fn parse_text<T>(row: &SqliteRow, col: &str) -> Result<Option<T>, sqlx::Error>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    Option::<String>::from_sqlite(row, col)?
        .map(|s| {
            s.parse::<T>().map_err(|e| sqlx::Error::ColumnDecode {
                index: col.to_owned(),
                source: Box::new(e),
            })
        })
        .transpose()
}

impl Column for Option<Date> {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        Ok(row.try_get::<Option<PgDate>, _>(col)?.map(|d| d.0))
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        parse_text(row, col)
    }
}

impl Column for Date {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<Date>::from_postgres(row, col)?.ok_or_else(|| null(col))
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<Date>::from_sqlite(row, col)?.ok_or_else(|| null(col))
    }
}

impl Column for Option<Decimal> {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        row.try_get(col)
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        parse_text(row, col)
    }
}

impl Column for Decimal {
    fn from_postgres(row: &PgRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<Decimal>::from_postgres(row, col)?.ok_or_else(|| null(col))
    }

    fn from_sqlite(row: &SqliteRow, col: &str) -> Result<Self, sqlx::Error> {
        Option::<Decimal>::from_sqlite(row, col)?.ok_or_else(|| null(col))
    }
}

fn null(col: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: col.to_owned(),
        source: "unexpected NULL".into(),
    }
}
