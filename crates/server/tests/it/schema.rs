//! Both dialects' migrations produce the same schema: tables, columns, nullability, primary
//! keys, indexes (name, uniqueness, columns) and foreign keys (columns, referenced table and
//! columns, ON DELETE and ON UPDATE actions). Types differ on purpose (BOOLEAN vs INTEGER),
//! so they are not compared; neither are constraint names, which SQLite does not keep.

use crate::harness::{fresh_store, on_postgres};
use bursar_store::{Dialect, SqlStore};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, PartialEq, Eq, Default)]
struct Table {
    /// column → nullable
    columns: BTreeMap<String, bool>,
    primary_key: Vec<String>,
    /// index name → (unique, columns)
    indexes: BTreeMap<String, (bool, Vec<String>)>,
    foreign_keys: BTreeSet<ForeignKey>,
}

/// One foreign key, as both dialects can describe it.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct ForeignKey {
    columns: Vec<String>,
    references: String,
    referenced_columns: Vec<String>,
    /// `NO ACTION`, `RESTRICT`, `CASCADE`, `SET NULL` or `SET DEFAULT`.
    on_delete: String,
    on_update: String,
}

/// A comma-separated column list (the `Any` driver has no arrays).
fn split_list(list: &str) -> Vec<String> {
    list.split(',').map(str::to_owned).collect()
}

/// PostgreSQL's `pg_constraint.confdeltype` / `confupdtype` code, in SQLite's words.
fn pg_action(code: &str) -> String {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => other,
    }
    .to_owned()
}

type Schema = BTreeMap<String, Table>;

async fn sqlite_schema(store: &SqlStore) -> Schema {
    let pool = store.pool();
    let mut schema = Schema::new();
    let tables = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for t in tables {
        let name: String = t.get("name");
        let mut table = Table::default();
        let cols = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT name, \"notnull\" AS nn, pk FROM pragma_table_info('{name}') ORDER BY pk"
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        for c in cols {
            let col: String = c.get("name");
            let nn: i64 = c.get("nn");
            let pk: i64 = c.get("pk");
            // SQLite lets a non-INTEGER primary key hold NULL unless declared NOT NULL; we
            // always declare it, so nullability compares directly.
            table.columns.insert(col.clone(), nn == 0);
            if pk > 0 {
                table.primary_key.push(col);
            }
        }
        let indexes = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT name, \"unique\" AS u, origin FROM pragma_index_list('{name}')"
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        for i in indexes {
            let origin: String = i.get("origin");
            if origin == "pk" {
                continue;
            }
            let idx: String = i.get("name");
            let unique: i64 = i.get("u");
            let cols = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT name FROM pragma_index_info('{idx}') ORDER BY seqno"
            )))
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect();
            table.indexes.insert(idx, (unique != 0, cols));
        }
        let fks = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, \"table\" AS rt, \"from\" AS f, \"to\" AS rc, on_update, on_delete \
             FROM pragma_foreign_key_list('{name}') ORDER BY id, seq"
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for fk in fks {
            let entry = by_id.entry(fk.get("id")).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                references: fk.get("rt"),
                referenced_columns: Vec::new(),
                on_delete: fk.get("on_delete"),
                on_update: fk.get("on_update"),
            });
            entry.columns.push(fk.get("f"));
            // `REFERENCES t` without columns means t's primary key: `to` is NULL then.
            if let Some(rc) = fk.get::<Option<String>, _>("rc") {
                entry.referenced_columns.push(rc);
            }
        }
        for mut fk in by_id.into_values() {
            if fk.referenced_columns.is_empty() {
                fk.referenced_columns = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT name FROM pragma_table_info('{}') WHERE pk > 0 ORDER BY pk",
                    fk.references
                )))
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>("name"))
                .collect();
            }
            table.foreign_keys.insert(fk);
        }
        schema.insert(name, table);
    }
    schema
}

async fn postgres_schema(store: &SqlStore) -> Schema {
    let pool = store.pool();
    let mut schema = Schema::new();
    let cols = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, is_nullable::text AS n \
         FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for c in cols {
        let t: String = c.get("t");
        let n: String = c.get("n");
        schema
            .entry(t)
            .or_default()
            .columns
            .insert(c.get("c"), n == "YES");
    }
    let pks = sqlx::query(
        "SELECT tc.table_name::text AS t, kcu.column_name::text AS c FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
         WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY' ORDER BY kcu.ordinal_position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for p in pks {
        let t: String = p.get("t");
        schema.entry(t).or_default().primary_key.push(p.get("c"));
    }
    let idx = sqlx::query(
        "SELECT tablename::text AS t, indexname::text AS i, indexdef::text AS d FROM pg_indexes \
         WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for i in idx {
        let t: String = i.get("t");
        let def: String = i.get("d");
        let cols = def
            .rsplit_once('(')
            .map(|(_, c)| {
                c.trim_end_matches(')')
                    .split(", ")
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        schema
            .entry(t)
            .or_default()
            .indexes
            .insert(i.get("i"), (def.starts_with("CREATE UNIQUE"), cols));
    }
    let fks = sqlx::query(
        "SELECT t.relname::text AS t, r.relname::text AS rt, \
           array_to_string(ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ',') AS cols, \
           array_to_string(ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o), ',') AS rcols, \
           c.confdeltype::text AS del, c.confupdtype::text AS upd \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class r ON r.oid = c.confrelid \
         JOIN pg_namespace ns ON ns.oid = c.connamespace \
         WHERE c.contype = 'f' AND ns.nspname = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for fk in fks {
        let t: String = fk.get("t");
        schema
            .entry(t)
            .or_default()
            .foreign_keys
            .insert(ForeignKey {
                columns: split_list(&fk.get::<String, _>("cols")),
                references: fk.get("rt"),
                referenced_columns: split_list(&fk.get::<String, _>("rcols")),
                on_delete: pg_action(&fk.get::<String, _>("del")),
                on_update: pg_action(&fk.get::<String, _>("upd")),
            });
    }
    schema
}

#[tokio::test]
async fn both_dialects_produce_the_same_schema() {
    let (store, _guard) = fresh_store().await;
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqlStore::connect(
        &format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display()),
        1,
    )
    .await
    .unwrap();
    sqlite.migrate().await.unwrap();
    let lite = sqlite_schema(&sqlite).await;
    assert!(lite.contains_key("users") && lite["users"].indexes.contains_key("users_login_key"));
    let staff_link = ForeignKey {
        columns: vec!["staff_id".into()],
        references: "users".into(),
        referenced_columns: vec!["id".into()],
        on_delete: "SET NULL".into(),
        on_update: "NO ACTION".into(),
    };
    assert!(
        lite["clients"].foreign_keys.contains(&staff_link),
        "foreign keys were not read: {:?}",
        lite["clients"].foreign_keys
    );
    if !on_postgres() {
        assert_eq!(store.dialect(), Dialect::Sqlite);
        return;
    }
    let pg = postgres_schema(&store).await;
    assert_eq!(
        lite.keys().collect::<Vec<_>>(),
        pg.keys().collect::<Vec<_>>(),
        "tables differ"
    );
    for (name, table) in &lite {
        assert_eq!(
            Some(table),
            pg.get(name),
            "table {name} differs between SQLite and PostgreSQL"
        );
    }
}

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    let (store, _guard) = fresh_store().await;
    assert!(store.migrate().await.unwrap().is_empty());
}

/// Driver errors are told apart per dialect: a PostgreSQL error whose SQLSTATE is all digits
/// (22021, invalid byte sequence) is not mistaken for SQLite's BUSY and retried, and SQLite's
/// busy codes still are transient.
#[tokio::test]
async fn only_real_conflicts_are_retried() {
    use bursar_app::ports::StoreError;
    let (store, _db) = fresh_store().await;
    let sql = if on_postgres() {
        "SELECT convert_from(decode('ff', 'hex'), 'UTF8')"
    } else {
        "SELECT * FROM no_such_table"
    };
    let Err(err) = sqlx::query(sql).execute(store.pool()).await else {
        panic!("{sql} should fail");
    };
    match bursar_store::map_err(err) {
        StoreError::Driver(_) => {}
        other => panic!("not a conflict: {other:?}"),
    }
}
