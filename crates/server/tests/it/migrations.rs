//! Migrating when several instances start at once: the lease in `migration_locks` lets one
//! of them migrate at a time, a crashed holder's lease is taken over once it expires, and an
//! applied migration whose text changed stops the start. Each test has its own database, of
//! the kind the tests run on.

#[allow(unused_imports)]
use crate::harness::RowExt as _;
use crate::harness::{fresh_store, fresh_url};
use bursar_store::SqlStore;
use std::time::{Duration, Instant};

async fn count(store: &SqlStore, sql: &'static str) -> i64 {
    bursar_store::db::query(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("n")
}

/// An instant as the store writes it, `offset` from now.
fn instant_in(offset: jiff::SignedDuration) -> String {
    (jiff::Timestamp::now() + offset)
        .strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

async fn hold_lease(store: &SqlStore, holder: &str, expires_at: &str) {
    bursar_store::db::query(
        "INSERT INTO migration_locks (name, holder, acquired_at, expires_at) \
         VALUES ('migrate', $1, $2, $3)",
    )
    .bind(holder)
    .bind(instant_in(jiff::SignedDuration::from_mins(-10)))
    .bind(expires_at)
    .execute(store.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn instances_starting_together_apply_each_migration_once() {
    let (url, _db) = fresh_url().await;
    let mut instances = Vec::new();
    for _ in 0..8 {
        instances.push(SqlStore::connect(&url, 2).await.unwrap());
    }
    let runs = futures_util::future::join_all(instances.iter().map(SqlStore::migrate)).await;
    let mut applied: Vec<String> = Vec::new();
    for run in runs {
        applied.extend(run.unwrap());
    }
    let total = applied.len();
    applied.sort();
    applied.dedup();
    assert_eq!(applied.len(), total, "a migration was applied twice");
    assert_eq!(
        applied,
        [
            "0001_baseline",
            "0002_money",
            "0003_mail_attachments",
            "0004_catalog",
            "0005_open_money_indexes",
            "0006_pricing"
        ],
        "every migration, once"
    );
    let store = &instances[0];
    assert_eq!(
        count(store, "SELECT COUNT(*) AS n FROM schema_migrations").await,
        i64::try_from(total).unwrap()
    );
    assert_eq!(
        count(store, "SELECT COUNT(*) AS n FROM migration_locks").await,
        0,
        "every instance gave the lease back"
    );
    // Starting together again, with nothing to do.
    let again = futures_util::future::join_all(instances.iter().map(SqlStore::migrate)).await;
    assert!(again.into_iter().all(|r| r.unwrap().is_empty()));
    for i in &instances {
        i.close().await;
    }
}

#[tokio::test]
async fn a_migration_changed_after_it_was_applied_stops_the_start() {
    let (store, _db) = fresh_store().await;
    bursar_store::db::query("UPDATE schema_migrations SET checksum = $1 WHERE version = 1")
        .bind("0".repeat(64))
        .execute(store.pool())
        .await
        .unwrap();
    let err = store.migrate().await.unwrap_err().to_string();
    assert!(
        err.contains("migration 0001_baseline") && err.contains("changed after it was applied"),
        "{err}"
    );
    assert_eq!(
        count(&store, "SELECT COUNT(*) AS n FROM migration_locks").await,
        0,
        "the refusal gave the lease back"
    );
}

#[tokio::test]
async fn a_crashed_holders_expired_lease_is_taken_over() {
    let (store, _db) = fresh_store().await;
    let expired = instant_in(jiff::SignedDuration::from_secs(-1));
    hold_lease(&store, "crashed-host:4242:gone", &expired).await;
    let started = Instant::now();
    assert!(store.migrate().await.unwrap().is_empty());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        count(&store, "SELECT COUNT(*) AS n FROM migration_locks").await,
        0
    );
}

#[tokio::test]
async fn a_live_lease_is_waited_for() {
    let (store, _db) = fresh_store().await;
    let soon = instant_in(jiff::SignedDuration::from_millis(1500));
    hold_lease(&store, "busy-host:4242:migrating", &soon).await;
    let started = Instant::now();
    assert!(store.migrate().await.unwrap().is_empty());
    assert!(
        started.elapsed() >= Duration::from_millis(1200),
        "took the lease after {:?}",
        started.elapsed()
    );
}

/// A migration outlasting the lease: its transaction re-asserted the lease first, and until
/// it ends nobody takes the lease over, however expired the committed row looks.
#[tokio::test]
async fn a_lease_is_not_taken_over_while_its_holders_migration_runs() {
    let (url, _db) = fresh_url().await;
    let store = SqlStore::connect(&url, 2).await.unwrap();
    store.migrate().await.unwrap();
    let expired = instant_in(jiff::SignedDuration::from_secs(-1));
    hold_lease(&store, "slow-host:4242:migrating", &expired).await;
    let begin = match store.dialect() {
        bursar_store::Dialect::Sqlite => "BEGIN IMMEDIATE",
        bursar_store::Dialect::Postgres => "BEGIN",
    };
    let mut running = store.pool().begin_with(begin).await.unwrap();
    bursar_store::db::query(
        "UPDATE migration_locks SET expires_at = expires_at WHERE name = 'migrate'",
    )
    .execute(&mut running)
    .await
    .unwrap();
    let other = SqlStore::connect(&url, 2).await.unwrap();
    let waiting = tokio::spawn(async move { other.migrate().await });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        !waiting.is_finished(),
        "took the lease of a running migration"
    );
    running.commit().await.unwrap();
    let applied = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(applied.is_empty());
}
