//! Write benchmark of the real `bursar serve` binary on PostgreSQL: how many client edits
//! (`PATCH /api/v1/clients/{id}`, changing the comment) it commits per second when the edits
//! are spread over many clients and when they all hit one client, and what the same writes
//! cost as bare SQL.
//!
//! ```sh
//! cargo build --release -p bursar && cargo run --release -p bursar --example bench_edits -- \
//!     --database-url postgres://postgres@127.0.0.1:5432/postgres
//! cargo run --release -p bursar --example bench_edits -- --workers 16 --seconds 10 \
//!     --bin /path/to/another/bursar        # an older build, to compare
//! ```
//!
//! `--database-url` names a PostgreSQL server (its database is only used to create and drop
//! the benchmark's own): the benchmark creates `bursar_bench_edits_<random>`, starts the
//! release binary beside it (`target/release/bursar`, or `--bin`) on a loopback port with a
//! temporary data folder and that database, signs in as the administrator, issues an API
//! token, creates a provider and `--clients` clients through the API, and runs
//! `VACUUM ANALYZE` (autovacuum may be off). Then four scenarios run one after the other,
//! each a warm-up and a measured window with `--workers` workers, `VACUUM ANALYZE` before
//! each:
//!
//! - `spread`: HTTP, each request edits a client picked at random among all of them;
//! - `hot`: HTTP, every request edits the same client;
//! - `sql spread` and `sql hot`: the same choice of rows, but each worker holds its own
//!   PostgreSQL connection and runs what an edit minimally is, with no framework around it:
//!   `UPDATE clients SET comment = $1, updated_at = $2 WHERE id = $3` and an `INSERT INTO
//!   history` in one transaction (the database's default isolation, READ COMMITTED).
//!
//! Each HTTP worker has its own keep-alive connection. Every comment written is unique, so
//! after each HTTP scenario the history tells how many edits were recorded and, in the hot
//! scenario, how many were lost: in a serial order of edits of one client, each entry's old
//! comment is the previous entry's new one, so no two entries share an old value; two that
//! do read the same state and one overwrote the other's change unseen (a lost update).
//!
//! Percentiles are over the latencies of 2xx answers (or committed SQL transactions); the
//! other answers are counted by status. Server CPU per edit comes from `/proc/<pid>/stat`
//! (Linux), rollbacks from `pg_stat_database` (transactions PostgreSQL rolled back in the
//! benchmark's database during warm-up and window, serialization failures included). The load
//! generator, the server and PostgreSQL share the machine's cores: compare runs on the same
//! machine only. The server is killed and the database dropped when the benchmark ends or
//! fails.
#![forbid(unsafe_code)]

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::{Value, json};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
/// Clients created through the API at once.
const CREATORS: usize = 4;

#[derive(Parser, Debug)]
#[command(about = "Benchmark PATCH /api/v1/clients/{id} of the release `bursar` on PostgreSQL")]
struct Args {
    /// A PostgreSQL server, as a URL to a database that exists (`postgres`); the benchmark
    /// creates and drops its own database on that server.
    #[arg(
        long,
        env = "BENCH_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    database_url: String,
    /// Clients to create (the `spread` scenario picks among them).
    #[arg(long, env = "BENCH_CLIENTS", default_value_t = 200)]
    clients: usize,
    /// Concurrent workers (one keep-alive HTTP connection, or one database connection, each).
    #[arg(long, env = "BENCH_WORKERS", default_value_t = 16)]
    workers: usize,
    /// Measured seconds per scenario.
    #[arg(long, env = "BENCH_SECONDS", default_value_t = 10)]
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
    /// Keep the benchmark's database afterwards (its name is printed), to look into it.
    #[arg(long, env = "BENCH_KEEP_DATABASE")]
    keep_database: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if args.workers == 0 || args.seconds == 0 || args.clients == 0 {
        bail!("--workers, --seconds and --clients must be at least 1");
    }
    let bin = match args.bin.clone() {
        Some(bin) => bin,
        None => release_binary()?,
    };
    let db = BenchDb::create(&args.database_url).await?;
    let outcome = async {
        let data = tempfile::tempdir().context("creating a temporary data folder")?;
        let server = Server::start(&bin, data.path().to_path_buf(), &db.url)?;
        let outcome = run(&args, &bin, &server, &db).await;
        if outcome.is_err() {
            eprintln!("server log (last lines):\n{}", server.log_tail());
        }
        drop(server);
        outcome
    }
    .await;
    if args.keep_database {
        println!("kept database {}", db.url);
        return outcome;
    }
    let dropped = db.drop_database().await;
    outcome.and(dropped)
}

/// `target/release/bursar`, found from this example at `target/release/examples/bench_edits`.
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
        let name = format!("bursar_bench_edits_{:08x}", rand::random::<u32>());
        let url = match query {
            Some(q) => format!("{server}/{name}?{q}"),
            None => format!("{server}/{name}"),
        };
        let mut admin = PgConnection::connect(admin_url)
            .await
            .with_context(|| format!("connecting to {admin_url}"))?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
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

    async fn connect(&self) -> Result<PgConnection> {
        PgConnection::connect(&self.url)
            .await
            .with_context(|| format!("connecting to {}", self.name))
    }

    async fn drop_database(&self) -> Result<()> {
        let mut admin = PgConnection::connect(&self.admin_url).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
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

/// The running `bursar serve`; killed when dropped.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    fn start(bin: &Path, data_dir: PathBuf, database_url: &str) -> Result<Server> {
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
            .env("BURSAR_DATABASE_URL", database_url)
            .env("BURSAR_LISTEN", "127.0.0.1:0")
            .env("BURSAR_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file);
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

/// What the scenarios edit: the clients' ids and the administrator's user id (the actor of
/// the bare-SQL history entries).
struct Fixture {
    clients: Arc<Vec<String>>,
    admin_id: String,
}

async fn run(args: &Args, bin: &Path, server: &Server, db: &BenchDb) -> Result<()> {
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
    let started = Instant::now();
    let fixture = create_clients(args, &api, server, db).await?;
    println!(
        "created {} clients through the API in {:.1} s",
        fixture.clients.len(),
        started.elapsed().as_secs_f64()
    );

    let mut runs = Vec::new();
    for scenario in [Scenario::Spread, Scenario::Hot] {
        vacuum(db).await?;
        let mut r = load_http(args, server, db, &fixture, scenario, &auth).await?;
        r.history = Some(history_check(db, scenario.tag(), r.ok_all).await?);
        runs.push(r);
    }
    if !args.no_sql {
        for scenario in [Scenario::Spread, Scenario::Hot] {
            vacuum(db).await?;
            runs.push(load_sql(args, db, &fixture, scenario).await?);
        }
    }
    print_report(args, bin, &runs);
    Ok(())
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

/// A provider and `args.clients` clients, made through the API ([`CREATORS`] at a time: each
/// creation hashes a generated password), then `VACUUM ANALYZE`.
async fn create_clients(
    args: &Args,
    api: &reqwest::Client,
    server: &Server,
    db: &BenchDb,
) -> Result<Fixture> {
    let res = api
        .post(server.url("/api/v1/providers"))
        .json(
            &json!({ "name": "Bench hosting", "currency": "EUR", "login_at_registration": false }),
        )
        .send()
        .await?;
    let provider = str_at(&json_ok(res, StatusCode::CREATED, "provider").await?, "/id")?;
    let mut creators = Vec::with_capacity(CREATORS);
    for creator in 0..CREATORS {
        let (api, url, provider) = (api.clone(), server.url("/api/v1/clients"), provider.clone());
        let count = args.clients;
        creators.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in (creator..count).step_by(CREATORS) {
                let body = json!({
                    "email": format!("client{i}@bench.example"),
                    "name": format!("Bench Client {i}"),
                    "providers": [provider],
                    "comment": format!("created-{i}"),
                });
                let res = api.post(&url).json(&body).send().await?;
                let created = json_ok(res, StatusCode::CREATED, "client creation").await?;
                ids.push(str_at(&created, "/id")?);
            }
            anyhow::Ok(ids)
        }));
    }
    let mut clients = Vec::with_capacity(args.clients);
    for creator in creators {
        clients.append(&mut creator.await??);
    }
    let mut conn = db.connect().await?;
    let admin_id: String = sqlx::query_scalar("SELECT id FROM users WHERE login = 'admin'")
        .fetch_one(&mut conn)
        .await
        .context("reading the administrator's id")?;
    conn.close().await?;
    vacuum(db).await?;
    Ok(Fixture {
        clients: Arc::new(clients),
        admin_id,
    })
}

async fn vacuum(db: &BenchDb) -> Result<()> {
    let mut conn = db.connect().await?;
    sqlx::raw_sql("VACUUM ANALYZE")
        .execute(&mut conn)
        .await
        .context("VACUUM ANALYZE")?;
    conn.close().await?;
    Ok(())
}

async fn json_ok(res: reqwest::Response, want: StatusCode, what: &str) -> Result<Value> {
    let status = res.status();
    let text = res.text().await?;
    if status != want {
        bail!("{what}: expected {want}, got {status}: {text}");
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scenario {
    /// Each edit picks a client at random.
    Spread,
    /// Every edit edits the first client.
    Hot,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Spread => "spread",
            Scenario::Hot => "hot",
        }
    }

    /// Prefix of the comments the HTTP scenario writes, to find its history entries.
    fn tag(self) -> &'static str {
        match self {
            Scenario::Spread => "spread-",
            Scenario::Hot => "hot-",
        }
    }

    /// The client the next edit changes.
    fn pick(self, clients: &[String]) -> &str {
        let i = match self {
            Scenario::Spread => rand::random_range(0..clients.len()),
            Scenario::Hot => 0,
        };
        clients.get(i).map_or("", String::as_str)
    }
}

/// The history entries one HTTP scenario left.
struct History {
    /// Entries recording a comment this scenario wrote.
    entries: u64,
    /// 2xx answers, warm-up included, that is edits the server said it made.
    acknowledged: u64,
    /// Entries whose old comment another entry also has: edits that overwrote a change they
    /// had not seen (meaningful when every edit changes one client).
    lost: u64,
}

/// The outcome of one scenario.
struct Run {
    target: &'static str,
    scenario: Scenario,
    seconds: f64,
    /// Latencies of 2xx answers (committed transactions), in microseconds, sorted.
    latencies_us: Vec<u64>,
    /// Other answers by status code; transport or database errors under 0.
    refused: BTreeMap<u16, u64>,
    first_error: Option<String>,
    /// Successes over warm-up and window, to compare with the history.
    ok_all: u64,
    /// Server CPU time over the window, in microseconds (HTTP runs only).
    server_cpu_us: Option<u64>,
    /// Transactions rolled back in the benchmark's database over warm-up and window.
    rollbacks: u64,
    history: Option<History>,
}

impl Run {
    fn name(&self) -> String {
        format!("{} {}", self.target, self.scenario.name())
    }

    fn refused_total(&self) -> u64 {
        self.refused.values().sum()
    }

    fn requests(&self) -> u64 {
        self.latencies_us.len() as u64 + self.refused_total()
    }

    fn rps(&self) -> f64 {
        self.latencies_us.len() as f64 / self.seconds
    }

    fn cpu_us_per_edit(&self) -> Option<f64> {
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
            "target": self.target,
            "scenario": self.scenario.name(),
            "requests": self.requests(),
            "ok": self.latencies_us.len(),
            "rps": round1(self.rps()),
            "p50_ms": round3(self.pct_ms(50.0)),
            "p90_ms": round3(self.pct_ms(90.0)),
            "p99_ms": round3(self.pct_ms(99.0)),
            "max_ms": round3(self.pct_ms(100.0)),
            "non_2xx": self.refused.iter().map(|(s, n)| (s.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "rollbacks": self.rollbacks,
            "server_cpu_us_per_edit": self.cpu_us_per_edit().map(round1),
            "history_entries": self.history.as_ref().map(|h| h.entries),
            "acknowledged": self.history.as_ref().map(|h| h.acknowledged),
            "lost_updates": self.history.as_ref().map(|h| h.lost),
        })
    }
}

/// What each worker brings back.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    refused: BTreeMap<u16, u64>,
    first_error: Option<String>,
    ok_all: u64,
}

impl Tally {
    /// Records the outcome of one attempt that started at `started`; `Ok(status)` an
    /// answer, `Err` a failure to get one.
    fn note(&mut self, started: Instant, warmup_end: Instant, outcome: Result<u16, String>) {
        let ok = matches!(outcome, Ok(s) if (200..300).contains(&s));
        if ok {
            self.ok_all += 1;
        }
        if started < warmup_end {
            return;
        }
        match outcome {
            Ok(_) if ok => self.latencies_us.push(started.elapsed().as_micros() as u64),
            Ok(status) => {
                *self.refused.entry(status).or_default() += 1;
                self.first_error
                    .get_or_insert_with(|| format!("status {status}"));
            }
            Err(e) => {
                *self.refused.entry(0).or_default() += 1;
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
        } = other;
        self.latencies_us.append(&mut latencies_us);
        for (status, n) in refused {
            *self.refused.entry(status).or_default() += n;
        }
        if self.first_error.is_none() {
            self.first_error = first_error;
        }
        self.ok_all += ok_all;
    }
}

/// `args.workers` keep-alive HTTP workers, each sending `PATCH /api/v1/clients/{id}` with a
/// new comment: a warm-up, then the measured window.
async fn load_http(
    args: &Args,
    server: &Server,
    db: &BenchDb,
    fixture: &Fixture,
    scenario: Scenario,
    auth: &HeaderMap,
) -> Result<Run> {
    let mut clients = Vec::with_capacity(args.workers);
    for _ in 0..args.workers {
        clients.push(
            reqwest::Client::builder()
                .default_headers(auth.clone())
                .pool_max_idle_per_host(1)
                .timeout(REQUEST_TIMEOUT)
                .build()?,
        );
    }
    let mut stats = db.connect().await?;
    let rollbacks_before = rollbacks(&mut stats).await?;
    let warmup_end = Instant::now() + Duration::from_secs(args.warmup);
    let end = warmup_end + Duration::from_secs(args.seconds);
    let mut workers = Vec::with_capacity(args.workers);
    for (worker, client) in clients.into_iter().enumerate() {
        let ids = fixture.clients.clone();
        let base = server.url("/api/v1/clients/");
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut seq = 0u64;
            loop {
                let started = Instant::now();
                if started >= end {
                    break;
                }
                seq += 1;
                let url = format!("{base}{}", scenario.pick(&ids));
                let comment = format!("{}w{worker}-{seq}", scenario.tag());
                let outcome = match client
                    .patch(&url)
                    .json(&json!({ "comment": comment }))
                    .send()
                    .await
                {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        res.bytes().await.map(|_| status).map_err(|e| e.to_string())
                    }
                    Err(e) => Err(e.to_string()),
                };
                tally.note(started, warmup_end, outcome);
            }
            tally
        }));
    }

    tokio::time::sleep_until(warmup_end.into()).await;
    let measuring = Instant::now();
    let cpu_before = cpu_us(server.pid())?;
    let mut tally = Tally::default();
    for worker in workers {
        tally.merge(worker.await?);
    }
    let seconds = measuring.elapsed().as_secs_f64();
    let server_cpu_us = cpu_us(server.pid())?.saturating_sub(cpu_before);
    // Idle backends (the server's pooled connections) report their counts late.
    tokio::time::sleep(STATS_DELAY).await;
    let rollbacks = rollbacks(&mut stats)
        .await?
        .saturating_sub(rollbacks_before);
    stats.close().await?;
    tally.latencies_us.sort_unstable();
    Ok(Run {
        target: "bursar",
        scenario,
        seconds,
        latencies_us: tally.latencies_us,
        refused: tally.refused,
        first_error: tally.first_error,
        ok_all: tally.ok_all,
        server_cpu_us: Some(server_cpu_us),
        rollbacks,
        history: None,
    })
}

/// The same edits as bare SQL: `args.workers` workers, each with its own connection, each
/// edit an `UPDATE` of the comment and a history `INSERT` in one transaction.
async fn load_sql(args: &Args, db: &BenchDb, fixture: &Fixture, scenario: Scenario) -> Result<Run> {
    let mut conns = Vec::with_capacity(args.workers);
    for _ in 0..args.workers {
        conns.push(db.connect().await?);
    }
    let mut stats = db.connect().await?;
    let rollbacks_before = rollbacks(&mut stats).await?;
    let warmup_end = Instant::now() + Duration::from_secs(args.warmup);
    let end = warmup_end + Duration::from_secs(args.seconds);
    let mut workers = Vec::with_capacity(args.workers);
    for (worker, mut conn) in conns.into_iter().enumerate() {
        let ids = fixture.clients.clone();
        let admin_id = fixture.admin_id.clone();
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut seq = 0u64;
            loop {
                let started = Instant::now();
                if started >= end {
                    break;
                }
                seq += 1;
                let id = scenario.pick(&ids);
                let comment = format!("sql-{}w{worker}-{seq}", scenario.tag());
                let outcome = edit_sql(&mut conn, id, &comment, &admin_id)
                    .await
                    .map(|()| 200)
                    .map_err(|e| e.to_string());
                tally.note(started, warmup_end, outcome);
            }
            let _ = conn.close().await;
            tally
        }));
    }

    tokio::time::sleep_until(warmup_end.into()).await;
    let measuring = Instant::now();
    let mut tally = Tally::default();
    for worker in workers {
        tally.merge(worker.await?);
    }
    let seconds = measuring.elapsed().as_secs_f64();
    // Idle backends (the server's pooled connections) report their counts late.
    tokio::time::sleep(STATS_DELAY).await;
    let rollbacks = rollbacks(&mut stats)
        .await?
        .saturating_sub(rollbacks_before);
    stats.close().await?;
    tally.latencies_us.sort_unstable();
    Ok(Run {
        target: "sql",
        scenario,
        seconds,
        latencies_us: tally.latencies_us,
        refused: tally.refused,
        first_error: tally.first_error,
        ok_all: tally.ok_all,
        server_cpu_us: None,
        rollbacks,
        history: None,
    })
}

/// One edit as bare SQL, with the history entry Bursar would write for it.
async fn edit_sql(
    conn: &mut PgConnection,
    id: &str,
    comment: &str,
    admin_id: &str,
) -> Result<(), sqlx::Error> {
    let now = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    let changes = json!([{ "field": "comment", "old": null, "new": comment }]).to_string();
    let mut tx = conn.begin().await?;
    sqlx::query("UPDATE clients SET comment = $1, updated_at = $2 WHERE id = $3")
        .bind(comment)
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO history (id, at, actor_user_id, actor_as_client_id, ip, object_kind, \
         object_id, client_id, action, function, changes, actor_login) \
         VALUES ($1, $2, $3, NULL, '127.0.0.1', 'client', $4, $4, 'update', 'client.edit', $5, 'admin')",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&now)
    .bind(admin_id)
    .bind(id)
    .bind(changes)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Transactions rolled back so far in the connection's database (`pg_stat_database`).
async fn rollbacks(conn: &mut PgConnection) -> Result<u64> {
    sqlx::raw_sql("SELECT pg_stat_clear_snapshot()")
        .execute(&mut *conn)
        .await?;
    let n: i64 = sqlx::query_scalar(
        "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Counts the history entries recording a comment starting with `tag`, and among them the
/// edits that were lost (see [`History::lost`]).
async fn history_check(db: &BenchDb, tag: &str, acknowledged: u64) -> Result<History> {
    let mut conn = db.connect().await?;
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT changes FROM history WHERE object_kind = 'client' AND action = 'update'",
    )
    .fetch_all(&mut conn)
    .await?;
    conn.close().await?;
    let mut entries = 0u64;
    let mut olds = HashSet::new();
    for changes in rows {
        let Ok(Value::Array(changes)) = serde_json::from_str::<Value>(&changes) else {
            continue;
        };
        for change in changes {
            if change.get("field").and_then(Value::as_str) != Some("comment") {
                continue;
            }
            let new = change.get("new").and_then(Value::as_str).unwrap_or("");
            if new.starts_with(tag) {
                entries += 1;
                olds.insert(change.get("old").and_then(Value::as_str).map(str::to_owned));
            }
        }
    }
    Ok(History {
        entries,
        acknowledged,
        lost: entries.saturating_sub(olds.len() as u64),
    })
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

fn print_report(args: &Args, bin: &Path, runs: &[Run]) {
    println!();
    println!(
        "PATCH /api/v1/clients/{{id}} (comment): {} clients, {} workers, {} s measured after {} s warm-up, PostgreSQL, {} cores shared by load generator, server and database",
        args.clients,
        args.workers,
        args.seconds,
        args.warmup,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("server: {}", bin.display());
    println!();
    println!(
        "{:<14} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>15}  non-2xx",
        "scenario",
        "requests",
        "edits/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "CPU/edit",
        "rollbacks",
        "history",
        "lost updates"
    );
    for r in runs {
        let (history, lost) = match &r.history {
            Some(h) => (
                format!("{}/{}", h.entries, h.acknowledged),
                if r.scenario == Scenario::Hot {
                    h.lost.to_string()
                } else {
                    "-".to_owned()
                },
            ),
            None => ("-".to_owned(), "-".to_owned()),
        };
        println!(
            "{:<14} {:>8} {:>8.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8} {:>9} {:>9} {:>15}  {}",
            r.name(),
            r.requests(),
            r.rps(),
            r.pct_ms(50.0),
            r.pct_ms(90.0),
            r.pct_ms(99.0),
            r.pct_ms(100.0),
            r.cpu_us_per_edit()
                .map_or("-".to_owned(), |c| format!("{c:.0} us")),
            r.rollbacks,
            history,
            lost,
            r.refused_text()
        );
        if let Some(e) = &r.first_error {
            println!("               first refusal: {e}");
        }
    }
    println!();
    println!(
        "history: entries recorded / 2xx answers (warm-up included); lost updates: hot edits that overwrote a change they had not read"
    );
    let summary = json!({
        "bench": "bench_edits",
        "bin": bin.display().to_string(),
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "runs": runs.iter().map(Run::to_json).collect::<Vec<_>>(),
    });
    println!("{summary}");
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
