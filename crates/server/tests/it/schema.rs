//! Both dialects' migrations produce the same schema: tables, columns, nullability, primary
//! keys, indexes (name, uniqueness, columns) and foreign keys (columns, referenced table and
//! columns, ON DELETE and ON UPDATE actions). Types differ on purpose (PostgreSQL's own
//! `uuid`, `timestamptz`, `boolean`; what suits SQLite), so every column's type on each
//! database is checked against one declared mapping instead ([`kind_of`], [`Kind::types`]).
//! Constraint names are not compared: SQLite does not keep them.

#[allow(unused_imports)]
use crate::harness::RowExt as _;
use crate::harness::{fresh_store, on_postgres};
use bursar_store::{Dialect, SqlStore};
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

/// What a column holds, which decides its type on each database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Id,
    Instant,
    Flag,
    /// A count or a number people see (`bigint`).
    Number,
    /// A small bounded integer (`integer`).
    SmallInt,
    Money,
    Bytes,
    Text,
    /// A calendar day (`date`).
    Date,
    /// An exact decimal such as an exchange rate (`numeric`).
    Decimal,
}

impl Kind {
    /// The declared type on (SQLite, PostgreSQL).
    fn types(self) -> (&'static str, &'static str) {
        match self {
            Kind::Id => ("TEXT", "uuid"),
            Kind::Instant => ("TEXT", "timestamp with time zone"),
            Kind::Flag => ("INTEGER", "boolean"),
            Kind::Number | Kind::Money => ("BIGINT", "bigint"),
            Kind::SmallInt => ("INTEGER", "integer"),
            Kind::Bytes => ("BLOB", "bytea"),
            Kind::Text => ("TEXT", "text"),
            Kind::Date => ("TEXT", "date"),
            Kind::Decimal => ("TEXT", "numeric"),
        }
    }
}

/// The declared kind of every column: by naming rule (`id`, `*_id` are ids; `at`, `*_at`
/// instants; `*_minor` money), with the exceptions named.
fn kind_of(table: &str, column: &str) -> Kind {
    const FLAGS: &[&str] = &[
        "full_access",
        "phone_verified",
        "show_in_support",
        "login_at_registration",
        "unlimited_services",
        "forbid_contract_drafts",
        "mailing_segment",
        "tax_on_top",
        "show_tax_on_top_up",
    ];
    match (table, column) {
        // Objects of other kinds have other keys (a currency's code).
        ("history", "object_id") => Kind::Text,
        ("user_avatars" | "outbox_attachments", "bytes") => Kind::Bytes,
        ("outbox_attachments" | "enumeration_items" | "service_params" | "addons", "position")
        | ("processing_modules", "timeout_secs")
        | ("service_params", "min_length" | "max_length")
        | ("tariffs", "max_services" | "trial_days") => Kind::SmallInt,
        ("addons", "included" | "min_value" | "max_value" | "step") => Kind::Number,
        ("outbox_emails", "leased_until") => Kind::Instant,
        ("outbox_emails", "attempts") | ("currencies", "minor_units") => Kind::SmallInt,
        ("clients", "number") | ("counters", "last_value") | ("expenses", "number") => Kind::Number,
        ("ledger_entries", "seq") | ("accounts", "last_seq") => Kind::Number,
        ("accounts", "respite_days" | "block_in_days" | "free_support_calls")
        | ("expenses", "tax_rate_bp") => Kind::SmallInt,
        (_, "valid_from") => Kind::Date,
        (_, "rate") => Kind::Decimal,
        (_, "units") => Kind::Number,
        ("promotion_conditions", "group_no") | ("promo_codes", "usage_limit" | "used_count") => {
            Kind::SmallInt
        }
        _ if column.ends_with("_bp") => Kind::SmallInt,
        _ if column.ends_with("_on") => Kind::Date,
        // The migration bookkeeping is the same text on both databases, created before
        // anything else (see `bursar_store::migrate`).
        ("schema_migrations", "version") => Kind::Number,
        ("schema_migrations" | "migration_locks", _) => Kind::Text,
        _ if column == "id" || column.ends_with("_id") => Kind::Id,
        _ if column == "at" || column.ends_with("_at") => Kind::Instant,
        _ if column.ends_with("_minor") => Kind::Money,
        _ if column.starts_with("is_") || column.starts_with("allow_") => Kind::Flag,
        _ if FLAGS.contains(&column) => Kind::Flag,
        _ => Kind::Text,
    }
}

/// (table, column) → declared type, as the database reports it.
type Types = BTreeMap<(String, String), String>;

async fn sqlite_types(store: &SqlStore) -> Types {
    let rows = bursar_store::db::query(
        "SELECT m.name AS t, p.name AS c, p.type AS ty FROM sqlite_master m \
         JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            (
                (r.get("t"), r.get("c")),
                r.get::<String>("ty").to_uppercase(),
            )
        })
        .collect()
}

async fn postgres_types(store: &SqlStore) -> Types {
    let rows = bursar_store::db::query(
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty \
         FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|r| ((r.get("t"), r.get("c")), r.get("ty")))
        .collect()
}

/// Every column whose type is not the one its declared kind gives on `dialect`.
fn undeclared(types: &Types, postgres: bool) -> Vec<String> {
    types
        .iter()
        .filter_map(|((t, c), actual)| {
            let (lite, pg) = kind_of(t, c).types();
            let expected = if postgres { pg } else { lite };
            (actual != expected).then(|| format!("{t}.{c}: {actual}, declared {expected}"))
        })
        .collect()
}

async fn sqlite_schema(store: &SqlStore) -> Schema {
    let pool = store.pool();
    let mut schema = Schema::new();
    let tables = bursar_store::db::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for t in tables {
        let name: String = t.get("name");
        let mut table = Table::default();
        let cols = bursar_store::db::query(sqlx::AssertSqlSafe(format!(
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
        let indexes = bursar_store::db::query(sqlx::AssertSqlSafe(format!(
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
            let cols = bursar_store::db::query(sqlx::AssertSqlSafe(format!(
                "SELECT name FROM pragma_index_info('{idx}') ORDER BY seqno"
            )))
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String>("name"))
            .collect();
            table.indexes.insert(idx, (unique != 0, cols));
        }
        let fks = bursar_store::db::query(sqlx::AssertSqlSafe(format!(
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
            if let Some(rc) = fk.get::<Option<String>>("rc") {
                entry.referenced_columns.push(rc);
            }
        }
        for mut fk in by_id.into_values() {
            if fk.referenced_columns.is_empty() {
                fk.referenced_columns = bursar_store::db::query(sqlx::AssertSqlSafe(format!(
                    "SELECT name FROM pragma_table_info('{}') WHERE pk > 0 ORDER BY pk",
                    fk.references
                )))
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String>("name"))
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
    let cols = bursar_store::db::query(
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
    let pks = bursar_store::db::query(
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
    let idx = bursar_store::db::query(
        "SELECT tablename::text AS t, indexname::text AS i, indexdef::text AS d FROM pg_indexes \
         WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for i in idx {
        let t: String = i.get("t");
        let def: String = i.get("d");
        // `CREATE [UNIQUE] INDEX … USING btree (a, b) [WHERE …]`: the columns in parentheses.
        let cols = def
            .split_once(" USING ")
            .and_then(|(_, rest)| rest.split_once('('))
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(c, _)| c.split(", ").map(str::to_owned).collect())
            .unwrap_or_default();
        schema
            .entry(t)
            .or_default()
            .indexes
            .insert(i.get("i"), (def.starts_with("CREATE UNIQUE"), cols));
    }
    let fks = bursar_store::db::query(
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
                columns: split_list(&fk.get::<String>("cols")),
                references: fk.get("rt"),
                referenced_columns: split_list(&fk.get::<String>("rcols")),
                on_delete: pg_action(&fk.get::<String>("del")),
                on_update: pg_action(&fk.get::<String>("upd")),
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
    let wrong = undeclared(&sqlite_types(&sqlite).await, false);
    assert!(wrong.is_empty(), "SQLite column types: {wrong:#?}");
    if !on_postgres() {
        assert_eq!(store.dialect(), Dialect::Sqlite);
        return;
    }
    let types = postgres_types(&store).await;
    let wrong = undeclared(&types, true);
    assert!(wrong.is_empty(), "PostgreSQL column types: {wrong:#?}");
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
    let Err(err) = bursar_store::db::query(sql).execute(store.pool()).await else {
        panic!("{sql} should fail");
    };
    match bursar_store::map_err(err) {
        StoreError::Driver(_) => {}
        other => panic!("not a conflict: {other:?}"),
    }
}
