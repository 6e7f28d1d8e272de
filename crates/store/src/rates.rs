//! The exchange-rate tables: `currency_rates` (the directory, with derivations),
//! `group_currency_rates` and `client_currency_rates`. They share a shape, so each statement
//! is written once and aimed at the owner's table; every selected list has the same columns
//! (absent ones as typed NULLs), read by one function.

use crate::db::{IntoVal, Row, Val};
use crate::map_err;
use crate::repos::SqlTx;
use crate::rows::{at, int, opt_parsed, opt_text, parsed, text};
use async_trait::async_trait;
use bursar_app::ports::*;
use bursar_domain::ClientId;
use bursar_domain::pricing::rates::{Rate, RateSource};
use jiff::civil::Date;
use rust_decimal::Decimal;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

/// The owner's table, its owner column (none for the directory) and the columns it selects.
struct Table {
    name: &'static str,
    owner: Option<(&'static str, Val)>,
    columns: &'static str,
}

const DIRECTORY_COLUMNS: &str = "id, base_code, currency_code, rate, units, valid_from, \
     source_id, expression, CAST(NULL AS BIGINT) AS amount_minor, created_at, updated_at";
const GROUP_COLUMNS: &str = "id, base_code, currency_code, rate, units, valid_from, \
     CAST(NULL AS TEXT) AS source_id, CAST(NULL AS TEXT) AS expression, \
     CAST(NULL AS BIGINT) AS amount_minor, created_at, updated_at";
const CLIENT_COLUMNS: &str = "id, base_code, currency_code, rate, units, valid_from, \
     CAST(NULL AS TEXT) AS source_id, CAST(NULL AS TEXT) AS expression, amount_minor, \
     created_at, updated_at";

fn table(owner: RateOwner) -> Table {
    match owner {
        RateOwner::Directory => Table {
            name: "currency_rates",
            owner: None,
            columns: DIRECTORY_COLUMNS,
        },
        RateOwner::Group(g) => Table {
            name: "group_currency_rates",
            owner: Some(("group_id", g.into_val())),
            columns: GROUP_COLUMNS,
        },
        RateOwner::Client(c) => Table {
            name: "client_currency_rates",
            owner: Some(("client_id", c.into_val())),
            columns: CLIENT_COLUMNS,
        },
    }
}

fn bad(col: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("column {col}: {e}"))
}

fn rate_from(owner: RateOwner, r: &Row) -> StoreResult<RateRecord> {
    Ok(RateRecord {
        id: parsed(r, "id")?,
        owner,
        base_code: text(r, "base_code")?,
        currency_code: text(r, "currency_code")?,
        rate: r.try_get::<Decimal>("rate").map_err(|e| bad("rate", e))?,
        units: int(r, "units")?,
        valid_from: r
            .try_get::<Date>("valid_from")
            .map_err(|e| bad("valid_from", e))?,
        source_id: opt_parsed(r, "source_id")?,
        expression: opt_text(r, "expression")?,
        amount_minor: r
            .try_get::<Option<i64>>("amount_minor")
            .map_err(|e| bad("amount_minor", e))?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

fn book_entry(source: RateSource, r: RateRecord) -> Rate {
    Rate {
        id: r.id,
        source,
        base: r.base_code,
        currency: r.currency_code,
        rate: r.rate,
        units: r.units,
        valid_from: r.valid_from,
        limit_minor: r.amount_minor,
    }
}

impl SqlTx {
    /// Runs `sql` (built only from this file's constants) with `values` bound in order.
    async fn rate_rows(&mut self, sql: String, values: Vec<Val>) -> StoreResult<Vec<Row>> {
        let mut q = crate::db::query(AssertSqlSafe(sql));
        for v in values {
            q = q.bind(v);
        }
        q.fetch_all(&mut self.tx).await.map_err(map_err)
    }

    async fn write_rate(&mut self, sql: String, r: &RateRecord) -> StoreResult<()> {
        let t = table(r.owner);
        let mut values = vec![
            r.id.into_val(),
            r.base_code.clone().into_val(),
            r.currency_code.clone().into_val(),
            r.rate.into_val(),
            r.units.into_val(),
            r.valid_from.into_val(),
            r.created_at.into_val(),
            r.updated_at.into_val(),
        ];
        match r.owner {
            RateOwner::Directory => {
                values.push(r.source_id.into_val());
                values.push(r.expression.clone().into_val());
            }
            RateOwner::Client(_) => values.push(r.amount_minor.into_val()),
            RateOwner::Group(_) => {}
        }
        if let Some((_, owner)) = t.owner {
            values.push(owner);
        }
        self.rate_rows(sql, values).await.map(|_| ())
    }
}

/// The extra columns an owner's table stores beyond the common eight, and its owner column.
fn extra_columns(owner: RateOwner) -> &'static [&'static str] {
    match owner {
        RateOwner::Directory => &["source_id", "expression"],
        RateOwner::Group(_) => &["group_id"],
        RateOwner::Client(_) => &["amount_minor", "client_id"],
    }
}

const COMMON: [&str; 8] = [
    "id",
    "base_code",
    "currency_code",
    "rate",
    "units",
    "valid_from",
    "created_at",
    "updated_at",
];

#[async_trait]
impl Rates for SqlTx {
    async fn insert_rate(&mut self, r: &RateRecord) -> StoreResult<()> {
        let cols: Vec<&str> = COMMON
            .iter()
            .chain(extra_columns(r.owner))
            .copied()
            .collect();
        let marks: Vec<String> = (1..=cols.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table(r.owner).name,
            cols.join(", "),
            marks.join(", ")
        );
        self.write_rate(sql, r).await
    }

    async fn update_rate(&mut self, r: &RateRecord) -> StoreResult<()> {
        // Every bound value is used (PostgreSQL must type each): the id ($1) and the owner
        // column (last) scope the row, the rest is set, created_at to its own value.
        let cols: Vec<&str> = COMMON
            .iter()
            .chain(extra_columns(r.owner))
            .copied()
            .collect();
        let owner_col = table(r.owner).owner.map(|(c, _)| c);
        let sets: Vec<String> = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != "id" && Some(**c) != owner_col)
            .map(|(n, c)| format!("{c} = ${}", n + 1))
            .collect();
        let mut sql = format!(
            "UPDATE {} SET {} WHERE id = $1",
            table(r.owner).name,
            sets.join(", ")
        );
        if let Some(c) = owner_col {
            sql.push_str(&format!(" AND {c} = ${}", cols.len()));
        }
        self.write_rate(sql, r).await
    }

    async fn delete_rate(&mut self, owner: RateOwner, id: Uuid) -> StoreResult<()> {
        let t = table(owner);
        let mut values = vec![id.into_val()];
        let mut sql = format!("DELETE FROM {} WHERE id = $1", t.name);
        if let Some((c, v)) = t.owner {
            sql.push_str(&format!(" AND {c} = $2"));
            values.push(v);
        }
        self.rate_rows(sql, values).await.map(|_| ())
    }

    async fn rate(&mut self, owner: RateOwner, id: Uuid) -> StoreResult<Option<RateRecord>> {
        let t = table(owner);
        let mut values = vec![id.into_val()];
        let mut sql = format!("SELECT {} FROM {} WHERE id = $1", t.columns, t.name);
        if let Some((c, v)) = t.owner {
            sql.push_str(&format!(" AND {c} = $2"));
            values.push(v);
        }
        let rows = self.rate_rows(sql, values).await?;
        rows.first().map(|r| rate_from(owner, r)).transpose()
    }

    async fn list_rates(
        &mut self,
        owner: RateOwner,
        filter: &RateFilter,
        page: Page,
    ) -> StoreResult<(Vec<RateRecord>, i64)> {
        let t = table(owner);
        let mut conds: Vec<String> = Vec::new();
        let mut values: Vec<Val> = Vec::new();
        let wanted = [
            t.owner,
            filter.base.clone().map(|b| ("base_code", b.into_val())),
            filter
                .currency
                .clone()
                .map(|c| ("currency_code", c.into_val())),
        ];
        for (col, v) in wanted.into_iter().flatten() {
            values.push(v);
            conds.push(format!("{col} = ${}", values.len()));
        }
        let where_sql = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let count = self
            .rate_rows(
                format!("SELECT COUNT(*) AS n FROM {}{where_sql}", t.name),
                values.clone(),
            )
            .await?;
        let total = count.first().map(|r| int(r, "n")).transpose()?.unwrap_or(0);
        let sql = format!(
            "SELECT {} FROM {}{where_sql} ORDER BY valid_from DESC, base_code, currency_code, id \
             LIMIT {} OFFSET {}",
            t.columns,
            t.name,
            page.size,
            page.offset()
        );
        let rows = self.rate_rows(sql, values).await?;
        let items = rows
            .iter()
            .map(|r| rate_from(owner, r))
            .collect::<StoreResult<_>>()?;
        Ok((items, total))
    }

    async fn rates_derived_from(&mut self, source: Uuid) -> StoreResult<Vec<RateRecord>> {
        let sql = format!(
            "SELECT {DIRECTORY_COLUMNS} FROM currency_rates WHERE source_id = $1 ORDER BY id"
        );
        let rows = self.rate_rows(sql, vec![source.into_val()]).await?;
        rows.iter()
            .map(|r| rate_from(RateOwner::Directory, r))
            .collect()
    }

    async fn rate_book(&mut self, client: ClientId, day: Date) -> StoreResult<Vec<Rate>> {
        let mut book = Vec::new();
        let personal = format!(
            "SELECT {CLIENT_COLUMNS} FROM client_currency_rates WHERE client_id = $1 AND valid_from <= $2"
        );
        for r in self
            .rate_rows(personal, vec![client.into_val(), day.into_val()])
            .await?
        {
            book.push(book_entry(
                RateSource::Personal,
                rate_from(RateOwner::Client(client), &r)?,
            ));
        }
        let group = format!(
            "SELECT {GROUP_COLUMNS} FROM group_currency_rates WHERE group_id IN \
             (SELECT group_id FROM client_group_members WHERE client_id = $1) AND valid_from <= $2"
        );
        for r in self
            .rate_rows(group, vec![client.into_val(), day.into_val()])
            .await?
        {
            // The group itself does not matter to which rate applies, only that it is one.
            let rec = rate_from(RateOwner::Directory, &r)?;
            book.push(book_entry(RateSource::Group, rec));
        }
        let directory =
            format!("SELECT {DIRECTORY_COLUMNS} FROM currency_rates WHERE valid_from <= $1");
        for r in self.rate_rows(directory, vec![day.into_val()]).await? {
            book.push(book_entry(
                RateSource::Directory,
                rate_from(RateOwner::Directory, &r)?,
            ));
        }
        Ok(book)
    }
}
