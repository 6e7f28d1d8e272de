//! Client list benchmark (the clients issue's workload): with 100,000 clients, the first
//! page, a text search and a label filter must each take under 50 ms at the server, on
//! SQLite and on PostgreSQL, and their query plans must use indexes.
//!
//! ```sh
//! cargo run --release -p bursar --example bench_clients                      # SQLite
//! cargo run --release -p bursar --example bench_clients -- \
//!     --database-url postgres://postgres@127.0.0.1:5432/bursar_bench          # PostgreSQL
//! ```
//!
//! It measures the use case the API and the panel call (`App::list_clients`: one read
//! transaction with the count and the page), in process, so the figures are the server's
//! share of a request without HTTP. The database is filled once by the same generator as
//! `bursar demo --clients N` and kept (a later run reuses it). Each query runs a few times
//! to warm up, then `--runs` times; the median, p95 and maximum are printed, followed by the
//! database's plans for the three queries.
#![forbid(unsafe_code)]

use anyhow::{Context, Result};
use bursar_app::auth::LoginInput;
use bursar_app::ports::{ClientFilter, Page};
use bursar_app::{App, Policy, SystemClock};
use bursar_store::SqlStore;
use clap::Parser;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ADMIN_PASSWORD: &str = "bench-admin-password-1";

#[derive(Parser)]
struct Args {
    /// Database to fill and query; default: a SQLite file in the system temp folder.
    #[arg(long)]
    database_url: Option<String>,
    /// How many clients the database should hold.
    #[arg(long, default_value_t = 100_000)]
    clients: usize,
    /// Measured runs per query.
    #[arg(long, default_value_t = 30)]
    runs: usize,
}

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |q: f64| {
        samples
            .get(((samples.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    (
        at(0.5),
        at(0.95),
        samples.last().copied().unwrap_or_default(),
    )
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let url = args.database_url.clone().unwrap_or_else(|| {
        let path = std::env::temp_dir().join("bursar-bench-clients.db");
        format!("sqlite://{}?mode=rwc", path.display())
    });
    if url.starts_with("postgres") {
        ensure_postgres_database(&url).await?;
    }
    let store = SqlStore::connect(&url, 4).await.context("connecting")?;
    store.migrate().await?;
    let app = App::new(
        Arc::new(store.clone()),
        Arc::new(SystemClock),
        Policy::default(),
    );
    app.install(Some(ADMIN_PASSWORD.to_owned())).await?;

    let have = {
        let row = bursar_store::db::query("SELECT COUNT(*) AS n FROM clients")
            .fetch_one(store.pool())
            .await?;
        usize::try_from(row.try_get::<i64>("n")?).unwrap_or(0)
    };
    if have < args.clients {
        let missing = args.clients - have;
        println!("filling: {missing} clients to add to {have} …");
        let start = Instant::now();
        app.load_demo(missing).await?;
        println!("filled in {:.1} s", start.elapsed().as_secs_f64());
    }
    // Fresh statistics and visibility map, as autovacuum (PostgreSQL) or `PRAGMA optimize`
    // (SQLite) keep in production.
    let maintenance = if store.dialect() == bursar_store::Dialect::Postgres {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    store.pool().raw_script(maintenance).await?;

    let login = LoginInput {
        ident: "admin".into(),
        password: ADMIN_PASSWORD.into(),
        ip: None,
        user_agent: None,
        replaces: None,
    };
    let admin = app.login(login).await?.principal;

    let cases: [(&str, Option<&str>, ClientFilter); 3] = [
        ("first page", None, ClientFilter::default()),
        (
            "text search \"anna smi\"",
            Some("anna smi"),
            ClientFilter::default(),
        ),
        (
            "label filter \"vip\"",
            None,
            ClientFilter {
                label: Some("vip".into()),
                ..ClientFilter::default()
            },
        ),
    ];
    println!(
        "\nclient list on {} with {} clients, {} runs each (page of 50):",
        store.dialect().name(),
        args.clients.max(have),
        args.runs
    );
    println!(
        "{:<28} {:>10} {:>10} {:>10} {:>10}",
        "query", "median", "p95", "max", "total"
    );
    let mut worst = Duration::ZERO;
    for (name, text, filter) in &cases {
        let page = Page::new(Some(1), Some(50));
        for _ in 0..3 {
            app.list_clients(&admin, *text, filter.clone(), page)
                .await?;
        }
        let mut samples = Vec::with_capacity(args.runs);
        let mut total = 0;
        for _ in 0..args.runs {
            let start = Instant::now();
            let result = app
                .list_clients(&admin, *text, filter.clone(), page)
                .await?;
            samples.push(start.elapsed());
            total = result.total;
        }
        let (p50, p95, max) = stats(samples);
        worst = worst.max(p95);
        println!(
            "{:<28} {:>8.2}ms {:>8.2}ms {:>8.2}ms {:>10}",
            name,
            p50.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3,
            total
        );
    }
    println!(
        "\nworst p95: {:.2} ms (target: under 50 ms)",
        worst.as_secs_f64() * 1e3
    );

    for (name, text, filter) in &cases {
        let mut filter = filter.clone();
        filter.words = text
            .map(bursar_domain::clients::query_words)
            .unwrap_or_default();
        println!("\nplan for {name}:");
        for line in store
            .explain_client_list(&filter, Page::new(Some(1), Some(50)))
            .await?
        {
            println!("  {line}");
        }
    }
    Ok(())
}

/// Creates the benchmark's PostgreSQL database when it does not exist yet.
async fn ensure_postgres_database(url: &str) -> Result<()> {
    let (server, name) = url.rsplit_once('/').context("the URL names no database")?;
    let name = name.split('?').next().unwrap_or(name);
    let admin = SqlStore::connect(&format!("{server}/postgres"), 1).await?;
    let exists =
        bursar_store::db::query("SELECT COUNT(*) AS n FROM pg_database WHERE datname = $1")
            .bind(name)
            .fetch_one(admin.pool())
            .await?
            .try_get::<i64>("n")?
            > 0;
    if !exists {
        admin
            .pool()
            .raw_script(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .await?;
    }
    admin.close().await;
    Ok(())
}
