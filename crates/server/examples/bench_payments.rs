//! Money benchmark of the real `bursar serve` binary on SQLite and PostgreSQL: how many
//! payments it credits per second (`POST /api/v1/payments/{id}/credit`, each credit covering
//! three open expenses, with its ledger entry, allocations and history), when the credits are
//! spread over many personal accounts and when they all go to one account, and what the same
//! writes cost as bare SQL.
//!
//! ```sh
//! cargo build --release -p bursar && cargo run --release -p bursar --example bench_payments -- \
//!     --database-url postgres://postgres@127.0.0.1:5432/postgres
//! cargo run --release -p bursar --example bench_payments -- --databases postgres --workers 8 \
//!     --seconds 10 --bin /path/to/another/bursar        # an older build, to compare
//! ```
//!
//! For each database (`--databases`, default both) the benchmark starts the release binary
//! (`target/release/bursar`, or `--bin`) on a loopback port with a temporary data folder:
//! SQLite is the embedded database in that folder; on PostgreSQL (`--database-url` names the
//! server, its database is only used to create and drop the benchmark's own) it creates
//! `bursar_bench_payments_<random>`. It signs in as the administrator, issues an API token,
//! creates a provider in EUR (which comes with a bank-transfer method) and then, for each
//! worker count (`--workers`, default 1 and 8), the scenarios (`--scenarios`, default both):
//!
//! - `spread`: every worker owns `--accounts-per-worker` clients, each with a post-paid
//!   personal account, and credits payments to them in turn: no two workers touch one account;
//! - `hot`: one client's account receives every worker's credits (the workers take its
//!   payments from one shared queue: SQLite's lock is not fair, one worker may get most
//!   turns).
//!
//! Before a scenario, its clients and accounts (`POST /api/v1/clients`, `POST
//! /api/v1/clients/{id}/accounts`, `PATCH /api/v1/accounts/{id}` `{"postpaid": true}`) and
//! its New payments of 3.00 EUR (`spread`: `--payments` per worker, at least five workers'
//! worth; `hot`: `--hot-payments`), each with three 1.00 EUR expenses on the same account
//! (unpaid: the balance is 0 and the account post-paid), are created through the API,
//! then `VACUUM ANALYZE` (PostgreSQL; autovacuum may be off) or `ANALYZE` (SQLite) runs. The
//! measured request is then exactly the credit: `POST /api/v1/payments/{id}/credit` with a
//! fresh `Idempotency-Key`, each payment credited once (in `spread`, each worker's payments
//! take its accounts in turn). A credit posts +3.00 to the ledger and allocates the payment to the
//! account's three oldest unpaid expenses.
//!
//! After each HTTP scenario the bare-SQL reference runs on the same accounts with the same
//! workers, each with its own connection to the same database, no framework around it: its
//! own New payments and expenses (`--sql-payments` per worker, at least five workers' worth,
//! with the expenses' ledger entries) are inserted by SQL, and each credit is one
//! transaction (READ COMMITTED on PostgreSQL, `BEGIN
//! IMMEDIATE` on SQLite, as the app's money use cases): lock the account row (`SELECT …
//! FOR UPDATE`; SQLite's transaction already holds the write lock), `UPDATE payments` to paid,
//! `UPDATE accounts` balance and entry number, `INSERT INTO ledger_entries`, three times
//! (`INSERT INTO allocations`, `UPDATE expenses` paid, `UPDATE payments` allocated), `INSERT
//! INTO history`, commit. It knows its three expenses in advance, reads nothing else, and
//! keeps no idempotency key.
//!
//! Each scenario is a warm-up and a measured window; it ends early if a worker runs out of
//! prepared payments (the table says so; raise `--payments` / `--sql-payments`).
//! Percentiles are over the latencies of 2xx answers (or committed SQL transactions); the
//! other answers are counted by status. After each scenario the database tells how many
//! payments became paid, how many allocations and credit history entries appeared, against
//! the 2xx answers (warm-up included). At the end of each database the benchmark checks the
//! books in SQL, as `bursar check` would: every account's balance equals the sum of its
//! ledger entries, its entry numbers have no gap, every entry's running balance is right,
//! every payment's and expense's cached allocation equals its allocation rows, every paid
//! payment and every expense has its ledger movement.
//!
//! Server CPU per credit comes from `/proc/<pid>/stat` (Linux; on SQLite it includes the
//! database engine, which runs inside the server), rollbacks from `pg_stat_database`. The load
//! generator, the server and PostgreSQL share the machine's cores: compare runs on the same
//! machine only. The server is killed and the database dropped when the benchmark ends or
//! fails.
#![forbid(unsafe_code)]

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser, ValueEnum};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::{Value, json};
use sqlx::encode::{Encode, IsNull};
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgConnection, PgTypeInfo, Postgres};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

const ADMIN_PASSWORD: &str = "bench-admin-password-1";
/// Printed by `bursar serve` once it listens; the address follows it.
const SERVING_LINE: &str = "Bursar is serving http://";
/// A request slower than this counts as an error rather than hanging the run.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Clock ticks per second of `/proc/<pid>/stat` CPU times (`USER_HZ`, 100 on Linux).
const USER_HZ: u64 = 100;
/// How long PostgreSQL may keep an idle backend's statistics before publishing them
/// (`PGSTAT_IDLE_INTERVAL`, 10 s), plus a margin.
const STATS_DELAY: Duration = Duration::from_secs(11);
/// Clients created through the API at once (each creation hashes a generated password).
const CLIENT_CREATORS: usize = 4;
/// Payments (each with its three expenses) created through the API at once.
const PAYMENT_CREATORS: usize = 8;
/// A payment, in cents.
const PAYMENT_MINOR: i64 = 300;
/// An expense, in cents: a payment covers three.
const EXPENSE_MINOR: i64 = 100;
const EXPENSES_PER_PAYMENT: usize = 3;
/// Rows per `INSERT` when the bare-SQL reference's payments and expenses are loaded.
const ROWS_PER_INSERT: usize = 500;
/// 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix microseconds.
const PG_EPOCH_UNIX_MICROS: i64 = 946_684_800_000_000;

#[derive(Parser, Debug)]
#[command(
    about = "Benchmark POST /api/v1/payments/{id}/credit of the release `bursar` on SQLite and PostgreSQL"
)]
struct Args {
    /// A PostgreSQL server, as a URL to a database that exists (`postgres`); the benchmark
    /// creates and drops its own database on that server.
    #[arg(
        long,
        env = "BENCH_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    database_url: String,
    /// The databases to run on, in order.
    #[arg(long, env = "BENCH_DATABASES", value_enum, value_delimiter = ',', default_values_t = [Backend::Sqlite, Backend::Postgres])]
    databases: Vec<Backend>,
    /// Worker counts to run, in order (one keep-alive HTTP connection, or one database
    /// connection, per worker).
    #[arg(long, env = "BENCH_WORKERS", value_delimiter = ',', default_values_t = [1, 8])]
    workers: Vec<usize>,
    /// The scenarios to run, in order, for each worker count.
    #[arg(long, env = "BENCH_SCENARIOS", value_enum, value_delimiter = ',', default_values_t = [Scenario::Spread, Scenario::Hot])]
    scenarios: Vec<Scenario>,
    /// Clients with a personal account each, per worker, in the `spread` scenario.
    #[arg(long, env = "BENCH_ACCOUNTS_PER_WORKER", default_value_t = 50)]
    accounts_per_worker: usize,
    /// New payments (each with three open expenses) created through the API before each
    /// `spread` scenario, per worker, and at least five workers' worth (one fast worker
    /// ends the window when it runs out, and SQLite's lock is not fair).
    #[arg(long, env = "BENCH_PAYMENTS", default_value_t = 500)]
    payments: usize,
    /// New payments (each with three open expenses) created through the API before each
    /// `hot` scenario, all on its one account.
    #[arg(long, env = "BENCH_HOT_PAYMENTS", default_value_t = 800)]
    hot_payments: usize,
    /// New payments (each with three open expenses) inserted by SQL before each bare-SQL
    /// scenario, per worker, and at least five workers' worth.
    #[arg(long, env = "BENCH_SQL_PAYMENTS", default_value_t = 4000)]
    sql_payments: usize,
    /// Measured seconds per scenario.
    #[arg(long, env = "BENCH_SECONDS", default_value_t = 5)]
    seconds: u64,
    /// Unmeasured warm-up seconds before each scenario.
    #[arg(long, env = "BENCH_WARMUP", default_value_t = 1)]
    warmup: u64,
    /// Skip the bare-SQL reference scenarios.
    #[arg(long, env = "BENCH_NO_SQL")]
    no_sql: bool,
    /// The `bursar` binary to start (default: `bursar` in this example's target folder).
    #[arg(long, env = "BENCH_BURSAR_BIN")]
    bin: Option<PathBuf>,
    /// Keep the PostgreSQL database afterwards (its name is printed), to look into it.
    #[arg(long, env = "BENCH_KEEP_DATABASE")]
    keep_database: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if args.workers.is_empty()
        || args.workers.contains(&0)
        || args.seconds == 0
        || args.accounts_per_worker == 0
        || args.databases.is_empty()
        || args.scenarios.is_empty()
    {
        bail!(
            "--workers, --seconds, --accounts-per-worker, --databases and --scenarios must be at least 1"
        );
    }
    let bin = match args.bin.clone() {
        Some(bin) => bin,
        None => release_binary()?,
    };
    let mut report = Report::default();
    for &backend in &args.databases {
        run_backend(&args, &bin, backend, &mut report).await?;
    }
    print_report(&args, &bin, &report);
    Ok(())
}

/// `target/release/bursar`, found from this example at `target/release/examples/…`.
fn release_binary() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("locating the benchmark executable")?;
    let dir = exe
        .parent()
        .and_then(|examples| examples.parent())
        .ok_or_else(|| anyhow!("{} has no target folder above it", exe.display()))?;
    let bin = dir.join(format!("bursar{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        bail!(
            "{} does not exist: build it first with `cargo build --release -p bursar`",
            bin.display()
        );
    }
    Ok(bin)
}

/// Runs every scenario on one database, from a fresh server and database.
async fn run_backend(args: &Args, bin: &Path, backend: Backend, report: &mut Report) -> Result<()> {
    let data = tempfile::tempdir().context("creating a temporary data folder")?;
    let pg = match backend {
        Backend::Postgres => Some(BenchDb::create(&args.database_url).await?),
        Backend::Sqlite => None,
    };
    let target = Target {
        backend,
        sqlite_file: data.path().join("bursar.db"),
        pg,
    };
    let outcome = async {
        let server = Server::start(
            bin,
            data.path().to_path_buf(),
            target.pg.as_ref().map(|db| db.url.as_str()),
        )?;
        let outcome = run_scenarios(args, &server, &target, report).await;
        if outcome.is_err() {
            eprintln!("server log (last lines):\n{}", server.log_tail());
        }
        drop(server);
        outcome
    }
    .await;
    match &target.pg {
        Some(db) if args.keep_database => {
            println!("kept database {}", db.url);
            outcome
        }
        Some(db) => {
            let dropped = db.drop_database().await;
            outcome.and(dropped)
        }
        None => outcome,
    }
}

/// The benchmark's own database on the given PostgreSQL server.
struct BenchDb {
    /// The URL the benchmark was given (its database stays untouched).
    admin_url: String,
    name: String,
    url: String,
}

impl BenchDb {
    async fn create(admin_url: &str) -> Result<BenchDb> {
        if !admin_url.starts_with("postgres") {
            bail!("--database-url must be a postgres:// URL, got {admin_url}");
        }
        let (server, rest) = admin_url
            .rsplit_once('/')
            .ok_or_else(|| anyhow!("{admin_url} names no database"))?;
        let query = rest.split_once('?').map(|(_, q)| q);
        let name = format!("bursar_bench_payments_{:08x}", rand::random::<u32>());
        let url = match query {
            Some(q) => format!("{server}/{name}?{q}"),
            None => format!("{server}/{name}"),
        };
        let mut admin = PgConnection::connect(admin_url)
            .await
            .with_context(|| format!("connecting to {admin_url}"))?;
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .with_context(|| format!("creating database {name}"))?;
        admin.close().await?;
        Ok(BenchDb {
            admin_url: admin_url.to_owned(),
            name,
            url,
        })
    }

    async fn drop_database(&self) -> Result<()> {
        let mut admin = PgConnection::connect(&self.admin_url).await?;
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await
        .with_context(|| format!("dropping database {}", self.name))?;
        admin.close().await?;
        Ok(())
    }
}

/// The database one run of scenarios uses: the server's SQLite file, or the benchmark's
/// PostgreSQL database.
struct Target {
    backend: Backend,
    sqlite_file: PathBuf,
    pg: Option<BenchDb>,
}

impl Target {
    /// A connection of its own, set up as the server sets up its pool's (SQLite: WAL,
    /// synchronous NORMAL, foreign keys, a 5 s busy timeout).
    async fn connect(&self) -> Result<Db> {
        match &self.pg {
            Some(db) => Ok(Db::Pg(
                PgConnection::connect(&db.url)
                    .await
                    .with_context(|| format!("connecting to {}", db.name))?,
            )),
            None => Ok(Db::Lite(
                SqliteConnectOptions::new()
                    .filename(&self.sqlite_file)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .connect()
                    .await
                    .with_context(|| format!("opening {}", self.sqlite_file.display()))?,
            )),
        }
    }

    /// Fresh planner statistics after loading data (autovacuum may be off).
    async fn vacuum(&self) -> Result<()> {
        let mut db = self.connect().await?;
        let sql = match self.backend {
            Backend::Postgres => "VACUUM ANALYZE",
            Backend::Sqlite => "ANALYZE",
        };
        db.exec(sql.to_owned()).await.context(sql)?;
        db.close().await
    }

    /// Transactions rolled back so far in the benchmark's database (PostgreSQL only).
    async fn rollbacks(&self) -> Result<Option<u64>> {
        let Some(db) = &self.pg else {
            return Ok(None);
        };
        let mut conn = PgConnection::connect(&db.url).await?;
        sqlx::raw_sql("SELECT pg_stat_clear_snapshot()")
            .execute(&mut conn)
            .await?;
        let n: i64 = sqlx::query_scalar(
            "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()",
        )
        .fetch_one(&mut conn)
        .await?;
        conn.close().await?;
        Ok(Some(u64::try_from(n).unwrap_or(0)))
    }
}

/// A connection of either kind, for what both run with the same SQL text.
enum Db {
    Pg(PgConnection),
    Lite(SqliteConnection),
}

impl Db {
    /// Runs statements without parameters.
    async fn exec(&mut self, sql: String) -> Result<()> {
        match self {
            Db::Pg(c) => {
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(c).await?;
            }
            Db::Lite(c) => {
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(c).await?;
            }
        }
        Ok(())
    }

    async fn int(&mut self, sql: &str) -> Result<i64> {
        let sql = AssertSqlSafe(sql.to_owned());
        Ok(match self {
            Db::Pg(c) => sqlx::query_scalar(sql).fetch_one(c).await?,
            Db::Lite(c) => sqlx::query_scalar(sql).fetch_one(c).await?,
        })
    }

    async fn strings(&mut self, sql: &str) -> Result<Vec<String>> {
        let sql = AssertSqlSafe(sql.to_owned());
        Ok(match self {
            Db::Pg(c) => sqlx::query_scalar(sql).fetch_all(c).await?,
            Db::Lite(c) => sqlx::query_scalar(sql).fetch_all(c).await?,
        })
    }

    /// `(id, balance_minor, last_seq)` of every account.
    async fn accounts(&mut self) -> Result<Vec<(String, i64, i64)>> {
        let sql = "SELECT CAST(id AS TEXT), balance_minor, last_seq FROM accounts";
        Ok(match self {
            Db::Pg(c) => sqlx::query_as(sql).fetch_all(c).await?,
            Db::Lite(c) => sqlx::query_as(sql).fetch_all(c).await?,
        })
    }

    async fn close(self) -> Result<()> {
        match self {
            Db::Pg(c) => c.close().await?,
            Db::Lite(c) => c.close().await?,
        }
        Ok(())
    }
}

/// The running `bursar serve`; killed when dropped.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    /// Starts the binary with `data_dir`; `database_url` `None` is the embedded SQLite.
    fn start(bin: &Path, data_dir: PathBuf, database_url: Option<&str>) -> Result<Server> {
        let log = data_dir.join("server.log");
        let log_file = std::fs::File::create(&log).context("creating the server log")?;
        let mut cmd = Command::new(bin);
        // A developer's own settings must not redirect the benchmark to their database.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("BURSAR_") {
                cmd.env_remove(key);
            }
        }
        cmd.arg("serve")
            .env("BURSAR_DATA_DIR", &data_dir)
            .env("BURSAR_LISTEN", "127.0.0.1:0")
            .env("BURSAR_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file);
        if let Some(url) = database_url {
            cmd.env("BURSAR_DATABASE_URL", url);
        }
        let mut child = cmd
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take();
        let mut server = Server {
            child,
            base: String::new(),
            log,
        };
        let stdout = stdout.ok_or_else(|| anyhow!("no stdout from the server"))?;
        match read_address(stdout) {
            Ok(base) => server.base = base,
            Err(e) => {
                let exit = match server.child.try_wait() {
                    Ok(Some(status)) => format!(" ({status})"),
                    _ => String::new(),
                };
                bail!("{e}{exit}; server log:\n{}", server.log_tail());
            }
        }
        Ok(server)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut last: Vec<&str> = text.lines().rev().take(20).collect();
        last.reverse();
        last.join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads the server's stdout until it says where it listens (the port was chosen by the
/// kernel), then keeps draining it on a thread so the server never blocks on a full pipe.
fn read_address(stdout: impl Read + Send + 'static) -> Result<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if !sent && let Some(addr) = line.strip_prefix(SERVING_LINE) {
                let _ = tx.send(format!("http://{}", addr.trim()));
                sent = true;
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .map_err(|_| anyhow!("the server did not report its address (exited, or slower than 60 s)"))
}

/// What every scenario of one database shares: the API, the provider and its bank-transfer
/// method, and the administrator (the actor of the bare-SQL rows).
struct Setup {
    api: reqwest::Client,
    auth: HeaderMap,
    provider: String,
    method: String,
    admin_id: Uuid,
}

/// A client with its post-paid personal account.
#[derive(Clone)]
struct Account {
    client: String,
    id: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
enum Scenario {
    /// Each worker credits its own accounts in turn.
    Spread,
    /// Every worker credits the same account.
    Hot,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Spread => "spread",
            Scenario::Hot => "hot",
        }
    }
}

async fn run_scenarios(
    args: &Args,
    server: &Server,
    target: &Target,
    report: &mut Report,
) -> Result<()> {
    let setup = set_up(server, target).await?;
    println!(
        "{}: server {} ready, provider {}",
        target.backend.name(),
        server.base,
        setup.provider
    );
    for &workers in &args.workers {
        for &scenario in &args.scenarios {
            let accounts = match scenario {
                Scenario::Spread => workers * args.accounts_per_worker,
                Scenario::Hot => 1,
            };
            let started = Instant::now();
            let tag = format!("w{workers}-{}", scenario.name());
            // Every `hot` worker credits the one account: they take its payments from one
            // queue, so that a worker SQLite favours cannot end the window early.
            let shared = scenario == Scenario::Hot;
            let accounts = create_accounts(&setup, server, accounts, &tag).await?;
            let (payments, sql_payments) = match scenario {
                Scenario::Spread => (
                    args.payments * workers.max(5),
                    args.sql_payments * workers.max(5),
                ),
                Scenario::Hot => (args.hot_payments, args.sql_payments * workers.max(5)),
            };
            let http_plan = plan(&accounts, workers, args.accounts_per_worker, payments);
            let started_payments = Instant::now();
            let lists = create_payments(&setup, server, &accounts, &http_plan).await?;
            println!(
                "{}, {workers} worker(s), {}: {} accounts in {:.1} s, {} New payments and {} open expenses through the API in {:.1} s",
                target.backend.name(),
                scenario.name(),
                accounts.len(),
                started_payments.duration_since(started).as_secs_f64(),
                payments,
                payments * EXPENSES_PER_PAYMENT,
                started_payments.elapsed().as_secs_f64()
            );
            target.vacuum().await?;

            let rollbacks_before = target.rollbacks().await?;
            let rows_before = RowCounts::read(target).await?;
            let mut run = load_http(server, &setup, lists, shared, warmup_and_window(args)).await?;
            let window_end = Instant::now();
            run.rows = Some(RowCounts::read(target).await?.minus(&rows_before));
            run.describe(target.backend, workers, scenario, accounts.len(), payments);

            let sql_lists = if args.no_sql {
                None
            } else {
                let started = Instant::now();
                let sql_plan = plan(&accounts, workers, args.accounts_per_worker, sql_payments);
                let lists = load_sql_fixture(target, &setup, &accounts, &sql_plan, &tag).await?;
                println!(
                    "{}, {workers} worker(s), {}: {} New payments and {} open expenses by SQL in {:.1} s",
                    target.backend.name(),
                    scenario.name(),
                    sql_payments,
                    sql_payments * EXPENSES_PER_PAYMENT,
                    started.elapsed().as_secs_f64()
                );
                target.vacuum().await?;
                Some(lists)
            };
            // The server's pooled (idle) backends publish their counts late; the SQL load
            // above rolls nothing back, so it may overlap the wait.
            if let Some(before) = rollbacks_before {
                tokio::time::sleep_until((window_end + STATS_DELAY).into()).await;
                run.rollbacks = target
                    .rollbacks()
                    .await?
                    .map(|after| after.saturating_sub(before));
            }
            print_progress(&run);
            report.runs.push(run);

            if let Some(lists) = sql_lists {
                let rows_before = RowCounts::read(target).await?;
                let mut run = load_sql(
                    target,
                    setup.admin_id,
                    lists,
                    shared,
                    warmup_and_window(args),
                )
                .await?;
                run.rows = Some(RowCounts::read(target).await?.minus(&rows_before));
                run.describe(
                    target.backend,
                    workers,
                    scenario,
                    accounts.len(),
                    sql_payments,
                );
                print_progress(&run);
                report.runs.push(run);
            }
        }
    }
    let started = Instant::now();
    let check = money_check(target).await?;
    println!(
        "{}: books checked in {:.1} s: {} discrepancies",
        target.backend.name(),
        started.elapsed().as_secs_f64(),
        check.problems.len()
    );
    report.checks.push(check);
    Ok(())
}

fn warmup_and_window(args: &Args) -> (Duration, Duration) {
    (
        Duration::from_secs(args.warmup),
        Duration::from_secs(args.seconds),
    )
}

/// Signs in, issues a token, creates the provider and finds its bank-transfer method.
async fn set_up(server: &Server, target: &Target) -> Result<Setup> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .context("building the HTTP client")?;
    wait_ready(&http, server).await?;
    let csrf = sign_in(&http, server).await?;
    let token = issue_token(&http, server, &csrf).await?;
    let auth = header(AUTHORIZATION, &format!("Bearer {token}"))?;
    let api = reqwest::Client::builder()
        .default_headers(auth.clone())
        .timeout(REQUEST_TIMEOUT)
        .build()?;
    let res = api
        .post(server.url("/api/v1/providers"))
        .json(
            &json!({ "name": "Bench hosting", "currency": "EUR", "login_at_registration": false }),
        )
        .send()
        .await?;
    let provider = str_at(&json_ok(res, StatusCode::CREATED, "provider").await?, "/id")?;
    let res = api
        .get(server.url(&format!("/api/v1/payment-methods?provider_id={provider}")))
        .send()
        .await?;
    let methods = json_ok(res, StatusCode::OK, "payment methods").await?;
    let method = methods
        .pointer("/items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|m| m.get("kind").and_then(Value::as_str) == Some("bank_transfer"))
        .ok_or_else(|| anyhow!("the new provider has no bank_transfer method: {methods}"))?;
    let method = str_at(method, "/id")?;
    let mut db = target.connect().await?;
    let admin = db
        .strings("SELECT CAST(id AS TEXT) FROM users WHERE login = 'admin'")
        .await
        .context("reading the administrator's id")?;
    db.close().await?;
    let admin_id = admin
        .first()
        .ok_or_else(|| anyhow!("no user `admin`"))?
        .parse()
        .context("the administrator's id")?;
    Ok(Setup {
        api,
        auth,
        provider,
        method,
        admin_id,
    })
}

async fn wait_ready(http: &reqwest::Client, server: &Server) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(res) = http.get(server.url("/readyz")).send().await
            && res.status() == StatusCode::OK
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{} did not become ready within 60 s", server.url("/readyz"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Signs the administrator in (the cookie stays in `http`); returns the CSRF token.
async fn sign_in(http: &reqwest::Client, server: &Server) -> Result<String> {
    let res = http
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "login": "admin", "password": ADMIN_PASSWORD }))
        .send()
        .await?;
    let body = json_ok(res, StatusCode::OK, "login").await?;
    str_at(&body, "/user/csrf_token")
}

/// Issues an API token with the session (cookie + CSRF header); returns its secret.
async fn issue_token(http: &reqwest::Client, server: &Server, csrf: &str) -> Result<String> {
    let res = http
        .post(server.url("/api/v1/me/tokens"))
        .header("X-CSRF-Token", csrf)
        .json(&json!({ "name": "bench" }))
        .send()
        .await?;
    let body = json_ok(res, StatusCode::CREATED, "token issue").await?;
    str_at(&body, "/secret")
}

/// `count` clients, each with a personal account with the provider switched to post-paid,
/// made through the API ([`CLIENT_CREATORS`] at a time).
async fn create_accounts(
    setup: &Setup,
    server: &Server,
    count: usize,
    tag: &str,
) -> Result<Vec<Account>> {
    let mut creators = Vec::with_capacity(CLIENT_CREATORS);
    for creator in 0..CLIENT_CREATORS {
        let api = setup.api.clone();
        let provider = setup.provider.clone();
        let base = server.url("/api/v1");
        let tag = tag.to_owned();
        creators.push(tokio::spawn(async move {
            let mut made = Vec::new();
            for i in (creator..count).step_by(CLIENT_CREATORS) {
                let body = json!({
                    "email": format!("{tag}-{i}@bench.example"),
                    "name": format!("Bench {tag} {i}"),
                    "providers": [provider],
                });
                let res = api
                    .post(format!("{base}/clients"))
                    .json(&body)
                    .send()
                    .await?;
                let client = str_at(&json_ok(res, StatusCode::CREATED, "client").await?, "/id")?;
                let res = api
                    .post(format!("{base}/clients/{client}/accounts"))
                    .json(&json!({ "provider_id": provider }))
                    .send()
                    .await?;
                let id = str_at(&json_ok(res, StatusCode::CREATED, "account").await?, "/id")?;
                let res = api
                    .patch(format!("{base}/accounts/{id}"))
                    .json(&json!({ "postpaid": true }))
                    .send()
                    .await?;
                let edited = json_ok(res, StatusCode::OK, "post-paid account").await?;
                if edited.pointer("/credit_mode").and_then(Value::as_str) != Some("postpaid") {
                    bail!("PATCH /api/v1/accounts/{id} {{\"postpaid\": true}} answered {edited}");
                }
                made.push((i, Account { client, id }));
            }
            anyhow::Ok(made)
        }));
    }
    let mut accounts = Vec::with_capacity(count);
    for creator in creators {
        accounts.append(&mut creator.await??);
    }
    accounts.sort_by_key(|(i, _)| *i);
    Ok(accounts.into_iter().map(|(_, a)| a).collect())
}

/// Which account each worker's payments go to, in the order the worker credits them:
/// `spread` deals each worker's share round-robin over its own accounts, `hot` has one
/// account for all.
fn plan(
    accounts: &[Account],
    workers: usize,
    accounts_per_worker: usize,
    payments: usize,
) -> Vec<Vec<usize>> {
    (0..workers)
        .map(|w| {
            let share = payments / workers + usize::from(w < payments % workers);
            (0..share)
                .map(|j| {
                    if accounts.len() == 1 {
                        0
                    } else {
                        w * accounts_per_worker + j % accounts_per_worker
                    }
                })
                .collect()
        })
        .collect()
}

/// Creates the planned New payments through the API, each with its three expenses on the
/// same account ([`PAYMENT_CREATORS`] at a time); returns each worker's payment ids in plan
/// order.
async fn create_payments(
    setup: &Setup,
    server: &Server,
    accounts: &[Account],
    plan: &[Vec<usize>],
) -> Result<Vec<Vec<String>>> {
    let items: Vec<(usize, usize, Account)> = plan
        .iter()
        .enumerate()
        .flat_map(|(w, list)| {
            list.iter()
                .enumerate()
                .filter_map(move |(j, &a)| accounts.get(a).map(|acc| (w, j, acc.clone())))
        })
        .collect();
    let items = Arc::new(items);
    let next = Arc::new(AtomicUsize::new(0));
    let mut creators = Vec::with_capacity(PAYMENT_CREATORS);
    for _ in 0..PAYMENT_CREATORS {
        let (items, next) = (items.clone(), next.clone());
        let api = setup.api.clone();
        let (provider, method) = (setup.provider.clone(), setup.method.clone());
        let base = server.url("/api/v1");
        creators.push(tokio::spawn(async move {
            let mut made = Vec::new();
            while let Some((w, j, account)) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                let res = api
                    .post(format!("{base}/payments"))
                    .json(&json!({
                        "client_id": account.client,
                        "provider_id": provider,
                        "method_id": method,
                        "amount": "3.00",
                    }))
                    .send()
                    .await?;
                let payment = json_ok(res, StatusCode::CREATED, "payment").await?;
                if payment.pointer("/status").and_then(Value::as_str) != Some("new")
                    || payment.pointer("/account_id").and_then(Value::as_str)
                        != Some(account.id.as_str())
                {
                    bail!("POST /api/v1/payments made an unexpected payment: {payment}");
                }
                for k in 0..EXPENSES_PER_PAYMENT {
                    let res = api
                        .post(format!("{base}/expenses"))
                        .json(&json!({
                            "client_id": account.client,
                            "provider_id": provider,
                            "description": format!("Bench service {k}"),
                            "amount": "1.00",
                        }))
                        .send()
                        .await?;
                    let expense = json_ok(res, StatusCode::CREATED, "expense").await?;
                    if expense.pointer("/paid/amount").and_then(Value::as_str) != Some("0.00") {
                        bail!("POST /api/v1/expenses made an expense that is not open: {expense}");
                    }
                }
                made.push((*w, *j, str_at(&payment, "/id")?));
            }
            anyhow::Ok(made)
        }));
    }
    let mut lists: Vec<BTreeMap<usize, String>> = vec![BTreeMap::new(); plan.len()];
    for creator in creators {
        for (w, j, id) in creator.await?? {
            if let Some(list) = lists.get_mut(w) {
                list.insert(j, id);
            }
        }
    }
    Ok(lists
        .into_iter()
        .map(|list| list.into_values().collect())
        .collect())
}

/// A New payment of the bare-SQL reference with the three open expenses it pays.
struct SqlPayment {
    id: Uuid,
    account: Uuid,
    client: Uuid,
    expenses: [Uuid; EXPENSES_PER_PAYMENT],
}

/// Inserts the bare-SQL reference's planned New payments and their expenses, with the
/// expenses' ledger entries and the accounts' balances moved as the app would (numbers
/// taken from the expense counter), in one transaction; returns each worker's payments.
async fn load_sql_fixture(
    target: &Target,
    setup: &Setup,
    accounts: &[Account],
    plan: &[Vec<usize>],
    tag: &str,
) -> Result<Vec<Vec<SqlPayment>>> {
    let total: usize = plan.iter().map(Vec::len).sum();
    let expenses = i64::try_from(total * EXPENSES_PER_PAYMENT)?;
    let mut db = target.connect().await?;
    db.exec(
        match target.backend {
            Backend::Postgres => "BEGIN",
            Backend::Sqlite => "BEGIN IMMEDIATE",
        }
        .to_owned(),
    )
    .await?;
    let last = db
        .int(&format!(
            "UPDATE counters SET last_value = last_value + {expenses} WHERE name = 'expenses' RETURNING last_value"
        ))
        .await
        .context("reserving expense numbers")?;
    let mut number = last - expenses;
    let mut books: HashMap<String, (i64, i64)> = db
        .accounts()
        .await?
        .into_iter()
        .map(|(id, balance, seq)| (id, (balance, seq)))
        .collect();
    let mut payment_rows = Vec::with_capacity(total);
    let mut expense_rows = Vec::with_capacity(total * EXPENSES_PER_PAYMENT);
    let mut entry_rows = Vec::with_capacity(total * EXPENSES_PER_PAYMENT);
    let mut lists = Vec::with_capacity(plan.len());
    let start = jiff::Timestamp::now();
    let mut tick = 0i64;
    let mut at = || {
        tick += 1;
        sql_instant(
            start
                .checked_add(jiff::SignedDuration::from_micros(tick))
                .unwrap_or(start),
        )
    };
    let admin = setup.admin_id;
    let method = &setup.method;
    for (w, list) in plan.iter().enumerate() {
        let mut payments = Vec::with_capacity(list.len());
        for (j, &a) in list.iter().enumerate() {
            let account = accounts
                .get(a)
                .ok_or_else(|| anyhow!("the plan names account {a} of {}", accounts.len()))?;
            let book = books
                .get_mut(&account.id)
                .ok_or_else(|| anyhow!("account {} is not in the database", account.id))?;
            let p = SqlPayment {
                id: Uuid::now_v7(),
                account: account.id.parse()?,
                client: account.client.parse()?,
                expenses: [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()],
            };
            let created = at();
            payment_rows.push(format!(
                "('{}', 'SQL-{tag}-{w}-{j}', '{}', '{}', NULL, NULL, '{method}', {PAYMENT_MINOR}, 0, 'EUR', 'new', '', NULL, '{admin}', '{created}', '{created}', NULL)",
                p.id, p.account, p.client
            ));
            for e in p.expenses {
                number += 1;
                book.0 -= EXPENSE_MINOR;
                book.1 += 1;
                let created = at();
                expense_rows.push(format!(
                    "('{e}', {number}, '{}', '{}', NULL, 'Bench service', {EXPENSE_MINOR}, 0, 0, 0, 'EUR', '{admin}', '{created}', '{created}', NULL)",
                    p.account, p.client
                ));
                entry_rows.push(format!(
                    "('{}', '{}', {}, 'expense', '{e}', {}, {}, '{admin}', '{created}')",
                    Uuid::now_v7(),
                    p.account,
                    book.1,
                    -EXPENSE_MINOR,
                    book.0
                ));
            }
            payments.push(p);
        }
        lists.push(payments);
    }
    for (table, columns, rows) in [
        (
            "payments",
            "id, number, account_id, client_id, company_id, payer_id, method_id, amount_minor, \
             allocated_minor, currency_code, status, comment, refund_of_id, created_by_id, \
             created_at, updated_at, paid_at",
            &payment_rows,
        ),
        (
            "expenses",
            "id, number, account_id, client_id, service_id, description, amount_minor, \
             tax_rate_bp, tax_minor, paid_minor, currency_code, created_by_id, created_at, \
             updated_at, deleted_at",
            &expense_rows,
        ),
        (
            "ledger_entries",
            "id, account_id, seq, kind, document_id, amount_minor, balance_after_minor, \
             actor_user_id, created_at",
            &entry_rows,
        ),
    ] {
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            db.exec(format!(
                "INSERT INTO {table} ({columns}) VALUES {}",
                chunk.join(", ")
            ))
            .await
            .with_context(|| format!("loading {table}"))?;
        }
    }
    let mut updates = String::new();
    for account in accounts {
        if let Some((balance, seq)) = books.get(&account.id) {
            writeln!(
                updates,
                "UPDATE accounts SET balance_minor = {balance}, last_seq = {seq} WHERE id = '{}';",
                account.id
            )?;
        }
    }
    db.exec(updates).await.context("moving the balances")?;
    db.exec("COMMIT".to_owned()).await?;
    db.close().await?;
    Ok(lists)
}

/// An instant as the app writes it on SQLite, which PostgreSQL also reads as `timestamptz`.
fn sql_instant(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// What one HTTP request or SQL transaction came to.
enum Outcome {
    Ok,
    /// A 2xx answer that does not say the payment was paid and allocated in full.
    Odd(String),
    /// A non-2xx answer: the status, and the request and answer in words.
    Refused(u16, String),
    /// No answer (or a database error, for the bare SQL).
    Failed(String),
}

/// What each worker brings back.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    refused: BTreeMap<u16, u64>,
    /// The first refusal or failure, warm-up included.
    first_error: Option<String>,
    /// 2xx answers over warm-up and window, to compare with the rows written.
    ok_all: u64,
    /// 2xx answers whose body did not show a paid, fully allocated payment.
    odd: u64,
    first_odd: Option<String>,
    /// When the worker had no prepared payment left.
    ran_out: Option<Instant>,
}

impl Tally {
    /// Records the outcome of one attempt that started at `started`.
    fn note(&mut self, started: Instant, warmup_end: Instant, outcome: Outcome) {
        let measured = started >= warmup_end;
        match outcome {
            Outcome::Ok | Outcome::Odd(_) => {
                self.ok_all += 1;
                if measured {
                    self.latencies_us.push(started.elapsed().as_micros() as u64);
                }
                if let Outcome::Odd(e) = outcome {
                    self.odd += 1;
                    self.first_odd.get_or_insert(e);
                }
            }
            Outcome::Refused(status, e) => {
                if measured {
                    *self.refused.entry(status).or_default() += 1;
                }
                self.first_error.get_or_insert(e);
            }
            Outcome::Failed(e) => {
                if measured {
                    *self.refused.entry(0).or_default() += 1;
                }
                self.first_error.get_or_insert(e);
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        let Tally {
            mut latencies_us,
            refused,
            first_error,
            ok_all,
            odd,
            first_odd,
            ran_out,
        } = other;
        self.latencies_us.append(&mut latencies_us);
        for (status, n) in refused {
            *self.refused.entry(status).or_default() += n;
        }
        if self.first_error.is_none() {
            self.first_error = first_error;
        }
        if self.first_odd.is_none() {
            self.first_odd = first_odd;
        }
        self.ok_all += ok_all;
        self.odd += odd;
        self.ran_out = match (self.ran_out, ran_out) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// The payments a worker credits, in order; `hot` workers share one.
type Queue<P> = Arc<std::sync::Mutex<std::vec::IntoIter<P>>>;

/// One queue per worker list, or, `shared`, one queue of all of them for every worker.
fn queues<P>(lists: Vec<Vec<P>>, shared: bool) -> Vec<Queue<P>> {
    let workers = lists.len();
    if shared {
        let all: Vec<P> = lists.into_iter().flatten().collect();
        let queue = Arc::new(std::sync::Mutex::new(all.into_iter()));
        vec![queue; workers]
    } else {
        lists
            .into_iter()
            .map(|list| Arc::new(std::sync::Mutex::new(list.into_iter())))
            .collect()
    }
}

/// Runs `work` on every worker's queue through a warm-up and the measured window; stops
/// every worker when one finds its queue empty.
async fn drive<C, P, F, Fut>(
    conns: Vec<C>,
    queues: Vec<Queue<P>>,
    (warmup, window): (Duration, Duration),
    work: F,
) -> Result<(Tally, f64)>
where
    C: Send + 'static,
    P: Send + 'static,
    F: Fn(C, P) -> Fut + Send + Sync + Copy + 'static,
    Fut: std::future::Future<Output = (C, Outcome)> + Send,
{
    let warmup_end = Instant::now() + warmup;
    let end = warmup_end + window;
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::with_capacity(conns.len());
    for (conn, queue) in conns.into_iter().zip(queues) {
        let stop = stop.clone();
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut conn = Some(conn);
            loop {
                let started = Instant::now();
                if started >= end || stop.load(Ordering::Relaxed) {
                    break;
                }
                let next = queue.lock().ok().and_then(|mut q| q.next());
                let (Some(payment), Some(c)) = (next, conn.take()) else {
                    stop.store(true, Ordering::Relaxed);
                    tally.ran_out = Some(started);
                    break;
                };
                let (c, outcome) = work(c, payment).await;
                conn = Some(c);
                tally.note(started, warmup_end, outcome);
            }
            (tally, conn)
        }));
    }
    let mut tally = Tally::default();
    let mut conns = Vec::new();
    for worker in workers {
        let (t, conn) = worker.await?;
        tally.merge(t);
        conns.extend(conn);
    }
    let finished = Instant::now();
    drop(conns);
    let window_end = tally.ran_out.map_or(finished, |r| r.min(finished));
    if window_end <= warmup_end {
        bail!(
            "a worker ran out of prepared payments during the warm-up ({} credited; first refusal: {}): raise --payments / --sql-payments",
            tally.ok_all,
            tally.first_error.as_deref().unwrap_or("none")
        );
    }
    tally.latencies_us.sort_unstable();
    Ok((tally, window_end.duration_since(warmup_end).as_secs_f64()))
}

/// The HTTP scenario: each worker, with its own keep-alive connection, credits its payments
/// one after the other with `POST /api/v1/payments/{id}/credit` and a fresh
/// `Idempotency-Key`.
async fn load_http(
    server: &Server,
    setup: &Setup,
    lists: Vec<Vec<String>>,
    shared: bool,
    timing: (Duration, Duration),
) -> Result<Run> {
    let mut clients = Vec::with_capacity(lists.len());
    for _ in 0..lists.len() {
        clients.push(Arc::new(
            reqwest::Client::builder()
                .default_headers(setup.auth.clone())
                .pool_max_idle_per_host(1)
                .timeout(REQUEST_TIMEOUT)
                .build()?,
        ));
    }
    let base: Arc<str> = server.url("/api/v1/payments/").into();
    let pid = server.pid();
    let cpu_before = Arc::new(std::sync::Mutex::new(None));
    // Server CPU is read when the window opens, on a timer beside the workers.
    let cpu_timer = {
        let cpu_before = cpu_before.clone();
        let warmup = timing.0;
        tokio::spawn(async move {
            tokio::time::sleep(warmup).await;
            if let (Ok(cpu), Ok(mut slot)) = (cpu_us(pid), cpu_before.lock()) {
                *slot = Some(cpu);
            }
        })
    };
    let conns: Vec<_> = clients
        .into_iter()
        .map(|client| (client, base.clone()))
        .collect();
    let (tally, seconds) = drive(
        conns,
        queues(lists, shared),
        timing,
        |(client, base), id: String| async move {
            let outcome = credit_http(&client, &base, &id).await;
            ((client, base), outcome)
        },
    )
    .await?;
    cpu_timer.await?;
    let before = cpu_before
        .lock()
        .map_err(|_| anyhow!("CPU reading lost"))?
        .take();
    let server_cpu_us = match before {
        Some(before) => Some(cpu_us(pid)?.saturating_sub(before)),
        None => None,
    };
    Ok(Run::new("bursar", tally, seconds, server_cpu_us))
}

/// One credit through the API.
async fn credit_http(client: &reqwest::Client, base: &str, id: &str) -> Outcome {
    let request = format!("POST /api/v1/payments/{id}/credit");
    let sent = client
        .post(format!("{base}{id}/credit"))
        .header("Idempotency-Key", Uuid::now_v7().to_string())
        .send()
        .await;
    let res = match sent {
        Ok(res) => res,
        Err(e) => return Outcome::Failed(format!("{request}: {e}")),
    };
    let status = res.status();
    match res.text().await {
        Err(e) => Outcome::Failed(format!("{request}: {status}, body unreadable: {e}")),
        Ok(body) if !status.is_success() => Outcome::Refused(
            status.as_u16(),
            format!("{request} → {status}: {}", clip(&body)),
        ),
        Ok(body)
            if body.contains("\"status\":\"paid\"")
                && body.contains("\"allocated\":{\"amount\":\"3.00\"") =>
        {
            Outcome::Ok
        }
        Ok(body) => Outcome::Odd(format!("{request} → {status}: {}", clip(&body))),
    }
}

fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(400).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}

/// The bare-SQL scenario: each worker, with its own connection, credits its payments.
async fn load_sql(
    target: &Target,
    admin: Uuid,
    lists: Vec<Vec<SqlPayment>>,
    shared: bool,
    timing: (Duration, Duration),
) -> Result<Run> {
    let mut conns = Vec::with_capacity(lists.len());
    for _ in 0..lists.len() {
        conns.push(target.connect().await?);
    }
    let (tally, seconds) = drive(
        conns,
        queues(lists, shared),
        timing,
        move |mut db, p: SqlPayment| async move {
            let done = match &mut db {
                Db::Pg(c) => credit_pg(c, &p, admin).await,
                Db::Lite(c) => credit_sqlite(c, &p, admin).await,
            };
            let outcome = match done {
                Ok(()) => Outcome::Ok,
                Err(e) => Outcome::Failed(format!("bare-SQL credit of payment {}: {e}", p.id)),
            };
            (db, outcome)
        },
    )
    .await?;
    Ok(Run::new("sql", tally, seconds, None))
}

/// `timestamptz` as PostgreSQL takes it in binary: microseconds since 2000-01-01 UTC.
#[derive(Clone, Copy)]
struct PgTs(i64);

impl PgTs {
    fn of(t: jiff::Timestamp) -> PgTs {
        PgTs(t.as_microsecond() - PG_EPOCH_UNIX_MICROS)
    }
}

impl sqlx::Type<Postgres> for PgTs {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_name("timestamptz")
    }
}

impl Encode<'_, Postgres> for PgTs {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<Postgres>>::encode_by_ref(&self.0, buf)
    }
}

const LOCK_ACCOUNT: &str = "SELECT balance_minor, last_seq FROM accounts WHERE id = $1";
const PAY: &str = "UPDATE payments SET status = 'paid', paid_at = $1, updated_at = $1 \
                   WHERE id = $2 AND status = 'new'";
const MOVE_BALANCE: &str = "UPDATE accounts SET balance_minor = $1, last_seq = $2 WHERE id = $3";
const INSERT_ENTRY: &str = "INSERT INTO ledger_entries (id, account_id, seq, kind, document_id, \
     amount_minor, balance_after_minor, actor_user_id, created_at) \
     VALUES ($1, $2, $3, 'payment', $4, $5, $6, $7, $8)";
const INSERT_ALLOCATION: &str = "INSERT INTO allocations (id, payment_id, target_kind, target_id, \
     amount_minor, created_at) VALUES ($1, $2, 'expense', $3, $4, $5)";
const PAY_EXPENSE: &str = "UPDATE expenses SET paid_minor = paid_minor + $1 WHERE id = $2";
const ALLOCATE_PAYMENT: &str =
    "UPDATE payments SET allocated_minor = allocated_minor + $1 WHERE id = $2";
const INSERT_HISTORY: &str = "INSERT INTO history (id, at, actor_user_id, actor_as_client_id, ip, \
     object_kind, object_id, client_id, action, function, changes, actor_login) \
     VALUES ($1, $2, $3, NULL, '127.0.0.1', 'payment', $4, $5, 'credit', 'payment.credit', $6, 'admin')";

/// The history entry's changes, as the app writes them for a credit (same text).
fn credit_changes(balance_after: i64) -> String {
    let sign = if balance_after < 0 { "-" } else { "" };
    let cents = balance_after.unsigned_abs();
    format!(
        r#"[{{"field":"status","old":"new","new":"paid"}},{{"field":"balance","old":null,"new":"{sign}{}.{:02} EUR"}}]"#,
        cents / 100,
        cents % 100
    )
}

fn not_new(p: &SqlPayment) -> sqlx::Error {
    sqlx::Error::Protocol(format!("payment {} is not New", p.id))
}

/// One credit as bare SQL on PostgreSQL (READ COMMITTED, the account row locked first).
async fn credit_pg(
    conn: &mut PgConnection,
    p: &SqlPayment,
    admin: Uuid,
) -> Result<(), sqlx::Error> {
    let now = PgTs::of(jiff::Timestamp::now());
    let mut tx = conn.begin().await?;
    let (balance, seq): (i64, i64) =
        sqlx::query_as(AssertSqlSafe(format!("{LOCK_ACCOUNT} FOR UPDATE")))
            .bind(p.account)
            .fetch_one(&mut *tx)
            .await?;
    let paid = sqlx::query(PAY)
        .bind(now)
        .bind(p.id)
        .execute(&mut *tx)
        .await?;
    if paid.rows_affected() != 1 {
        return Err(not_new(p));
    }
    let (after, seq) = (balance + PAYMENT_MINOR, seq + 1);
    sqlx::query(MOVE_BALANCE)
        .bind(after)
        .bind(seq)
        .bind(p.account)
        .execute(&mut *tx)
        .await?;
    sqlx::query(INSERT_ENTRY)
        .bind(Uuid::now_v7())
        .bind(p.account)
        .bind(seq)
        .bind(p.id)
        .bind(PAYMENT_MINOR)
        .bind(after)
        .bind(admin)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    for e in p.expenses {
        sqlx::query(INSERT_ALLOCATION)
            .bind(Uuid::now_v7())
            .bind(p.id)
            .bind(e)
            .bind(EXPENSE_MINOR)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(PAY_EXPENSE)
            .bind(EXPENSE_MINOR)
            .bind(e)
            .execute(&mut *tx)
            .await?;
        sqlx::query(ALLOCATE_PAYMENT)
            .bind(EXPENSE_MINOR)
            .bind(p.id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(INSERT_HISTORY)
        .bind(Uuid::now_v7())
        .bind(now)
        .bind(admin)
        .bind(p.id.to_string())
        .bind(p.client)
        .bind(credit_changes(after))
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// One credit as bare SQL on SQLite (`BEGIN IMMEDIATE`: the write lock is the account lock).
async fn credit_sqlite(
    conn: &mut SqliteConnection,
    p: &SqlPayment,
    admin: Uuid,
) -> Result<(), sqlx::Error> {
    let now = sql_instant(jiff::Timestamp::now());
    let (id, account, admin) = (p.id.to_string(), p.account.to_string(), admin.to_string());
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let (balance, seq): (i64, i64) = sqlx::query_as(LOCK_ACCOUNT)
        .bind(&account)
        .fetch_one(&mut *tx)
        .await?;
    let paid = sqlx::query(PAY)
        .bind(&now)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    if paid.rows_affected() != 1 {
        return Err(not_new(p));
    }
    let (after, seq) = (balance + PAYMENT_MINOR, seq + 1);
    sqlx::query(MOVE_BALANCE)
        .bind(after)
        .bind(seq)
        .bind(&account)
        .execute(&mut *tx)
        .await?;
    sqlx::query(INSERT_ENTRY)
        .bind(Uuid::now_v7().to_string())
        .bind(&account)
        .bind(seq)
        .bind(&id)
        .bind(PAYMENT_MINOR)
        .bind(after)
        .bind(&admin)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    for e in p.expenses {
        let e = e.to_string();
        sqlx::query(INSERT_ALLOCATION)
            .bind(Uuid::now_v7().to_string())
            .bind(&id)
            .bind(&e)
            .bind(EXPENSE_MINOR)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(PAY_EXPENSE)
            .bind(EXPENSE_MINOR)
            .bind(&e)
            .execute(&mut *tx)
            .await?;
        sqlx::query(ALLOCATE_PAYMENT)
            .bind(EXPENSE_MINOR)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(INSERT_HISTORY)
        .bind(Uuid::now_v7().to_string())
        .bind(&now)
        .bind(&admin)
        .bind(&id)
        .bind(p.client.to_string())
        .bind(credit_changes(after))
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Rows a credit writes, counted in the whole database.
#[derive(Clone, Copy, Default)]
struct RowCounts {
    /// Payments paid.
    paid: i64,
    /// Ledger entries of payments.
    entries: i64,
    allocations: i64,
    /// History entries of credits.
    history: i64,
}

impl RowCounts {
    async fn read(target: &Target) -> Result<RowCounts> {
        let mut db = target.connect().await?;
        let counts = RowCounts {
            paid: db
                .int("SELECT COUNT(*) FROM payments WHERE status = 'paid'")
                .await?,
            entries: db
                .int("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'")
                .await?,
            allocations: db.int("SELECT COUNT(*) FROM allocations").await?,
            history: db
                .int("SELECT COUNT(*) FROM history WHERE function = 'payment.credit'")
                .await?,
        };
        db.close().await?;
        Ok(counts)
    }

    fn minus(self, before: &RowCounts) -> RowCounts {
        RowCounts {
            paid: self.paid - before.paid,
            entries: self.entries - before.entries,
            allocations: self.allocations - before.allocations,
            history: self.history - before.history,
        }
    }

    /// Whether `credits` credits wrote exactly their rows.
    fn matches(&self, credits: u64) -> bool {
        let n = i64::try_from(credits).unwrap_or(i64::MAX);
        self.paid == n
            && self.entries == n
            && self.history == n
            && self.allocations == n * EXPENSES_PER_PAYMENT as i64
    }
}

/// The books of one database after its scenarios.
struct Check {
    backend: Backend,
    accounts: i64,
    entries: i64,
    payments: i64,
    expenses: i64,
    problems: Vec<String>,
}

/// `bursar check` in SQL (the binary has no `check` command): balances against entries,
/// entry numbering, running balances, cached allocations against allocation rows, and the
/// ledger movement of every paid payment and every expense.
async fn money_check(target: &Target) -> Result<Check> {
    const CHECKS: [&str; 7] = [
        "SELECT 'account ' || CAST(a.id AS TEXT) || ': balance ' || CAST(a.balance_minor AS TEXT) \
         || ' but its entries sum to ' || CAST(COALESCE(s.total, 0) AS TEXT) \
         FROM accounts a LEFT JOIN (SELECT account_id, SUM(amount_minor) AS total \
         FROM ledger_entries GROUP BY account_id) s ON s.account_id = a.id \
         WHERE a.balance_minor <> COALESCE(s.total, 0)",
        "SELECT 'account ' || CAST(a.id AS TEXT) || ': last entry number ' || CAST(a.last_seq AS TEXT) \
         || ' but ' || CAST(COALESCE(s.n, 0) AS TEXT) || ' entries numbered up to ' \
         || CAST(COALESCE(s.top, 0) AS TEXT) \
         FROM accounts a LEFT JOIN (SELECT account_id, COUNT(*) AS n, MAX(seq) AS top \
         FROM ledger_entries GROUP BY account_id) s ON s.account_id = a.id \
         WHERE a.last_seq <> COALESCE(s.n, 0) OR a.last_seq <> COALESCE(s.top, 0)",
        "SELECT 'account ' || CAST(account_id AS TEXT) || ': entry ' || CAST(seq AS TEXT) \
         || ' says the balance became ' || CAST(balance_after_minor AS TEXT) \
         || ' but the entries up to it sum to ' || CAST(running AS TEXT) \
         FROM (SELECT account_id, seq, balance_after_minor, SUM(amount_minor) \
         OVER (PARTITION BY account_id ORDER BY seq) AS running FROM ledger_entries) r \
         WHERE running <> balance_after_minor",
        "SELECT 'payment ' || p.number || ': allocated ' || CAST(p.allocated_minor AS TEXT) \
         || ' of ' || CAST(p.amount_minor AS TEXT) || ', allocation rows sum to ' \
         || CAST(COALESCE(s.total, 0) AS TEXT) \
         FROM payments p LEFT JOIN (SELECT payment_id, SUM(amount_minor) AS total \
         FROM allocations GROUP BY payment_id) s ON s.payment_id = p.id \
         WHERE p.allocated_minor <> COALESCE(s.total, 0) OR p.allocated_minor < 0 \
         OR (p.amount_minor > 0 AND p.allocated_minor > p.amount_minor)",
        "SELECT 'expense ' || CAST(x.number AS TEXT) || ': paid ' || CAST(x.paid_minor AS TEXT) \
         || ' of ' || CAST(x.amount_minor AS TEXT) || ', allocation rows sum to ' \
         || CAST(COALESCE(s.total, 0) AS TEXT) \
         FROM expenses x LEFT JOIN (SELECT target_id, SUM(amount_minor) AS total \
         FROM allocations WHERE target_kind = 'expense' GROUP BY target_id) s ON s.target_id = x.id \
         WHERE x.paid_minor <> COALESCE(s.total, 0) OR x.paid_minor < 0 OR x.paid_minor > x.amount_minor",
        "SELECT 'payment ' || p.number || ': status ' || p.status || ' but its ledger credit is ' \
         || CAST(COALESCE(s.total, 0) AS TEXT) \
         FROM payments p LEFT JOIN (SELECT document_id, SUM(amount_minor) AS total \
         FROM ledger_entries WHERE kind = 'payment' GROUP BY document_id) s ON s.document_id = p.id \
         WHERE p.amount_minor > 0 AND COALESCE(s.total, 0) \
         <> CASE WHEN p.status IN ('paid', 'refunded') THEN p.amount_minor ELSE 0 END",
        "SELECT 'expense ' || CAST(x.number AS TEXT) || ': the ledger charges ' \
         || CAST(COALESCE(-s.total, 0) AS TEXT) || ' but the expense is ' || CAST(x.amount_minor AS TEXT) \
         FROM expenses x LEFT JOIN (SELECT document_id, SUM(amount_minor) AS total \
         FROM ledger_entries WHERE kind IN ('expense', 'expense_change', 'expense_delete') \
         GROUP BY document_id) s ON s.document_id = x.id \
         WHERE COALESCE(-s.total, 0) <> CASE WHEN x.deleted_at IS NULL THEN x.amount_minor ELSE 0 END",
    ];
    let mut db = target.connect().await?;
    let mut problems = Vec::new();
    for sql in CHECKS {
        problems.extend(
            db.strings(sql)
                .await
                .with_context(|| format!("checking: {sql}"))?,
        );
    }
    let check = Check {
        backend: target.backend,
        accounts: db.int("SELECT COUNT(*) FROM accounts").await?,
        entries: db.int("SELECT COUNT(*) FROM ledger_entries").await?,
        payments: db.int("SELECT COUNT(*) FROM payments").await?,
        expenses: db.int("SELECT COUNT(*) FROM expenses").await?,
        problems,
    };
    db.close().await?;
    Ok(check)
}

async fn json_ok(res: reqwest::Response, want: StatusCode, what: &str) -> Result<Value> {
    let status = res.status();
    let url = res.url().path().to_owned();
    let text = res.text().await?;
    if status != want {
        bail!("{what} ({url}): expected {want}, got {status}: {text}");
    }
    serde_json::from_str(&text).with_context(|| format!("{what}: not JSON: {text}"))
}

fn str_at(body: &Value, pointer: &str) -> Result<String> {
    body.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("no string at {pointer} in {body}"))
}

fn header(name: reqwest::header::HeaderName, value: &str) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    headers.insert(name, HeaderValue::from_str(value)?);
    Ok(headers)
}

/// CPU time (user + system, all threads) used so far by process `pid`, in microseconds.
fn cpu_us(pid: u32) -> Result<u64> {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    // Fields after the command name, which is in parentheses and may hold spaces: state is
    // field 3, utime and stime are fields 14 and 15.
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| anyhow!("unexpected {path}: {stat}"))?;
    let ticks: u64 = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|f| f.parse::<u64>().unwrap_or(0))
        .sum();
    Ok(ticks * 1_000_000 / USER_HZ)
}

/// The outcome of one scenario.
struct Run {
    backend: Backend,
    workers: usize,
    target: &'static str,
    scenario: Scenario,
    accounts: usize,
    /// New payments prepared for it.
    prepared: usize,
    /// The measured window (shorter than asked when a worker ran out of payments).
    seconds: f64,
    ran_out: bool,
    /// Latencies of 2xx answers (committed transactions), in microseconds, sorted.
    latencies_us: Vec<u64>,
    /// Other answers by status code; transport or database errors under 0.
    refused: BTreeMap<u16, u64>,
    first_error: Option<String>,
    /// Successes over warm-up and window, to compare with the rows written.
    ok_all: u64,
    odd: u64,
    first_odd: Option<String>,
    /// Server CPU time over the window, in microseconds (HTTP runs only).
    server_cpu_us: Option<u64>,
    /// Transactions rolled back in the database over warm-up and window (PostgreSQL, HTTP).
    rollbacks: Option<u64>,
    /// Rows written over warm-up and window.
    rows: Option<RowCounts>,
}

impl Run {
    fn new(target: &'static str, tally: Tally, seconds: f64, server_cpu_us: Option<u64>) -> Run {
        Run {
            backend: Backend::Sqlite,
            workers: 0,
            target,
            scenario: Scenario::Spread,
            accounts: 0,
            prepared: 0,
            seconds,
            ran_out: tally.ran_out.is_some(),
            latencies_us: tally.latencies_us,
            refused: tally.refused,
            first_error: tally.first_error,
            ok_all: tally.ok_all,
            odd: tally.odd,
            first_odd: tally.first_odd,
            server_cpu_us,
            rollbacks: None,
            rows: None,
        }
    }

    fn describe(
        &mut self,
        backend: Backend,
        workers: usize,
        scenario: Scenario,
        accounts: usize,
        prepared: usize,
    ) {
        self.backend = backend;
        self.workers = workers;
        self.scenario = scenario;
        self.accounts = accounts;
        self.prepared = prepared;
    }

    /// Open expenses per account when the scenario starts (its own; the bare-SQL runs also
    /// find what the HTTP run before them left).
    fn open_per_account(&self) -> usize {
        self.prepared * EXPENSES_PER_PAYMENT / self.accounts.max(1)
    }

    fn label(&self) -> String {
        let target = if self.target == "sql" {
            "bare SQL"
        } else {
            "bursar"
        };
        format!("{target} {}", self.scenario.name())
    }

    fn requests(&self) -> u64 {
        self.latencies_us.len() as u64 + self.refused.values().sum::<u64>()
    }

    fn rps(&self) -> f64 {
        self.latencies_us.len() as f64 / self.seconds
    }

    fn cpu_us_per_credit(&self) -> Option<f64> {
        self.server_cpu_us
            .map(|cpu| cpu as f64 / self.latencies_us.len().max(1) as f64)
    }

    /// Nearest-rank percentile in milliseconds.
    fn pct_ms(&self, p: f64) -> f64 {
        let n = self.latencies_us.len();
        if n == 0 {
            return 0.0;
        }
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        let us = self
            .latencies_us
            .get(rank.clamp(1, n) - 1)
            .copied()
            .unwrap_or(0);
        us as f64 / 1000.0
    }

    fn refused_text(&self) -> String {
        if self.refused.is_empty() {
            return "0".to_owned();
        }
        self.refused
            .iter()
            .map(|(status, n)| match status {
                0 => format!("{n}×error"),
                s => format!("{n}×{s}"),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn to_json(&self) -> Value {
        json!({
            "database": self.backend.name(),
            "workers": self.workers,
            "target": self.target,
            "scenario": self.scenario.name(),
            "accounts": self.accounts,
            "prepared_payments": self.prepared,
            "open_expenses_per_account": self.open_per_account(),
            "seconds": round3(self.seconds),
            "ran_out": self.ran_out,
            "requests": self.requests(),
            "ok": self.latencies_us.len(),
            "payments_per_s": round1(self.rps()),
            "p50_ms": round3(self.pct_ms(50.0)),
            "p90_ms": round3(self.pct_ms(90.0)),
            "p99_ms": round3(self.pct_ms(99.0)),
            "max_ms": round3(self.pct_ms(100.0)),
            "non_2xx": self.refused.iter().map(|(s, n)| (s.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "first_error": self.first_error,
            "odd_2xx": self.odd,
            "rollbacks": self.rollbacks,
            "server_cpu_us_per_credit": self.cpu_us_per_credit().map(round1),
            "ok_with_warmup": self.ok_all,
            "paid": self.rows.map(|r| r.paid),
            "payment_entries": self.rows.map(|r| r.entries),
            "allocations": self.rows.map(|r| r.allocations),
            "history_entries": self.rows.map(|r| r.history),
        })
    }
}

#[derive(Default)]
struct Report {
    runs: Vec<Run>,
    checks: Vec<Check>,
}

impl Report {
    /// `(database, workers, scenario, bursar per s, bare SQL per s)` for every pair measured.
    fn ratios(&self) -> Vec<(Backend, usize, Scenario, f64, f64)> {
        self.runs
            .iter()
            .filter(|r| r.target == "bursar")
            .filter_map(|app| {
                self.runs
                    .iter()
                    .find(|sql| {
                        sql.target == "sql"
                            && sql.backend == app.backend
                            && sql.workers == app.workers
                            && sql.scenario == app.scenario
                    })
                    .map(|sql| (app.backend, app.workers, app.scenario, app.rps(), sql.rps()))
            })
            .collect()
    }
}

fn print_progress(r: &Run) {
    println!(
        "  {} {} worker(s) {}: {:.0} payments/s over {:.1} s{}, p50 {:.2} ms, p99 {:.2} ms, non-2xx {}",
        r.backend.name(),
        r.workers,
        r.label(),
        r.rps(),
        r.seconds,
        if r.ran_out {
            " (ran out of payments)"
        } else {
            ""
        },
        r.pct_ms(50.0),
        r.pct_ms(99.0),
        r.refused_text()
    );
}

fn print_report(args: &Args, bin: &Path, report: &Report) {
    println!();
    println!(
        "POST /api/v1/payments/{{id}}/credit (3.00 EUR covering three 1.00 EUR expenses): {} s measured after {} s warm-up, {} accounts per worker in spread, {} cores shared by load generator, server and database",
        args.seconds,
        args.warmup,
        args.accounts_per_worker,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("server: {}", bin.display());
    println!();
    println!(
        "{:<10} {:>7} {:<16} {:>9} {:>8} {:>10} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>11} {:>13} {:>11}  non-2xx",
        "database",
        "workers",
        "scenario",
        "open/acct",
        "requests",
        "credits/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "CPU/cred",
        "rollbacks",
        "paid/2xx",
        "alloc/3×2xx",
        "history/2xx",
    );
    for r in &report.runs {
        let (paid, alloc, history) = match r.rows {
            Some(rows) => (
                format!("{}/{}", rows.paid, r.ok_all),
                format!(
                    "{}/{}",
                    rows.allocations,
                    r.ok_all * EXPENSES_PER_PAYMENT as u64
                ),
                format!("{}/{}", rows.history, r.ok_all),
            ),
            None => ("-".to_owned(), "-".to_owned(), "-".to_owned()),
        };
        println!(
            "{:<10} {:>7} {:<16} {:>9} {:>8} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9} {:>9} {:>11} {:>13} {:>11}  {}{}",
            r.backend.name(),
            r.workers,
            r.label(),
            r.open_per_account(),
            r.requests(),
            r.rps(),
            r.pct_ms(50.0),
            r.pct_ms(90.0),
            r.pct_ms(99.0),
            r.pct_ms(100.0),
            r.cpu_us_per_credit()
                .map_or("-".to_owned(), |c| format!("{c:.0} us")),
            r.rollbacks.map_or("-".to_owned(), |n| n.to_string()),
            paid,
            alloc,
            history,
            r.refused_text(),
            if r.ran_out {
                format!(" (ran out of payments after {:.1} s)", r.seconds)
            } else {
                String::new()
            }
        );
        if let Some(e) = &r.first_error {
            println!("{:>28}first refusal: {e}", "");
        }
        if let Some(e) = &r.first_odd {
            println!(
                "{:>28}{} 2xx answers without a paid, allocated payment, first: {e}",
                "", r.odd
            );
        }
        if let Some(rows) = r.rows
            && !rows.matches(r.ok_all)
        {
            println!(
                "{:>28}ROWS DO NOT MATCH the 2xx answers: paid {}, payment entries {}, allocations {}, history {} for {} credits",
                "", rows.paid, rows.entries, rows.allocations, rows.history, r.ok_all
            );
        }
    }
    println!();
    println!(
        "open/acct: open expenses per account at the start (prepared for the scenario); paid, allocations, history: rows written over warm-up and window / what the 2xx answers (warm-up included) should have written"
    );
    let ratios = report.ratios();
    if !ratios.is_empty() {
        println!();
        println!(
            "{:<10} {:>7} {:<8} {:>10} {:>10} {:>10}",
            "database", "workers", "scenario", "bursar/s", "SQL/s", "bursar/SQL"
        );
        for (backend, workers, scenario, app, sql) in &ratios {
            println!(
                "{:<10} {:>7} {:<8} {:>10.0} {:>10.0} {:>9.2}×",
                backend.name(),
                workers,
                scenario.name(),
                app,
                sql,
                app / sql
            );
        }
    }
    println!();
    for c in &report.checks {
        println!(
            "{} books: {} accounts, {} ledger entries, {} payments, {} expenses: {}",
            c.backend.name(),
            c.accounts,
            c.entries,
            c.payments,
            c.expenses,
            if c.problems.is_empty() {
                "every balance equals the sum of its entries, no discrepancy".to_owned()
            } else {
                format!("{} DISCREPANCIES", c.problems.len())
            }
        );
        for p in c.problems.iter().take(20) {
            println!("  {p}");
        }
    }
    let summary = json!({
        "bench": "bench_payments",
        "bin": bin.display().to_string(),
        "workers": args.workers,
        "accounts_per_worker": args.accounts_per_worker,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "runs": report.runs.iter().map(Run::to_json).collect::<Vec<_>>(),
        "ratios": ratios.iter().map(|(b, w, s, app, sql)| json!({
            "database": b.name(), "workers": w, "scenario": s.name(),
            "bursar_per_s": round1(*app), "sql_per_s": round1(*sql), "ratio": round3(app / sql),
        })).collect::<Vec<_>>(),
        "checks": report.checks.iter().map(|c| json!({
            "database": c.backend.name(), "accounts": c.accounts, "entries": c.entries,
            "payments": c.payments, "expenses": c.expenses, "discrepancies": c.problems.len(),
            "first": c.problems.first(),
        })).collect::<Vec<_>>(),
    });
    println!("{summary}");
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
