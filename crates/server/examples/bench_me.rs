//! Load benchmark of the real `bursar serve` binary: how fast it answers an authenticated
//! `GET /api/v1/me` and how much memory it holds while idle and under load.
//!
//! ```sh
//! cargo build --release -p bursar && cargo run --release -p bursar --example bench_me
//! cargo run --release -p bursar --example bench_me -- --workers 64 --seconds 30 --cookie
//! ```
//!
//! It builds nothing itself: it starts the release binary that sits beside it
//! (`target/release/bursar`, the parent of this example's `examples/` folder) so that it
//! measures exactly what operators run, process and memory included, rather than a router in
//! the benchmark's own process. The server gets a temporary data folder (embedded SQLite), a
//! loopback port chosen by the kernel, and a known administrator password; the benchmark signs
//! in, issues an API token, and then runs a fixed number of keep-alive workers, each with its
//! own connection, for a fixed time. Every latency is kept, so the percentiles are exact.
//! Resident memory (`VmRSS` from `/proc/<pid>/status`, so Linux only) is read after start,
//! idle after sign-in, every 100 ms under load, and idle again afterwards. The server's CPU
//! time over the measured window (`/proc/<pid>/stat`) gives CPU per request, a figure that,
//! unlike requests per second, hardly moves when something else is busy on the machine.
//!
//! The load generator runs on the same machine and shares its cores with the server, so the
//! figures are a floor for what the server does alone; compare runs on the same machine only.
//! Everything stays on 127.0.0.1, and the server is killed when the benchmark ends, fails or
//! panics.
#![forbid(unsafe_code)]

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderValue};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const ADMIN_PASSWORD: &str = "bench-admin-password-1";
/// Printed by `bursar serve` once it listens; the address follows it.
const SERVING_LINE: &str = "Bursar is serving http://";
const RSS_SAMPLE_EVERY: Duration = Duration::from_millis(100);
/// A request slower than this counts as an error rather than hanging the run.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Clock ticks per second of `/proc/<pid>/stat` CPU times (`USER_HZ`, 100 on Linux).
const USER_HZ: u64 = 100;

#[derive(Parser, Debug)]
#[command(about = "Benchmark GET /api/v1/me against the release `bursar` binary")]
struct Args {
    /// Concurrent keep-alive workers (one connection each).
    #[arg(long, env = "BENCH_WORKERS", default_value_t = 32)]
    workers: usize,
    /// Measured seconds per run.
    #[arg(long, env = "BENCH_SECONDS", default_value_t = 10)]
    seconds: u64,
    /// Unmeasured warm-up seconds before each run.
    #[arg(long, env = "BENCH_WARMUP", default_value_t = 1)]
    warmup: u64,
    /// Also run the same load authenticated by the session cookie instead of the API token.
    #[arg(long, env = "BENCH_COOKIE")]
    cookie: bool,
    /// The `bursar` binary to start (default: `bursar` in this example's target folder).
    #[arg(long, env = "BENCH_BURSAR_BIN")]
    bin: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if args.workers == 0 || args.seconds == 0 {
        bail!("--workers and --seconds must be at least 1");
    }
    let bin = match args.bin.clone() {
        Some(bin) => bin,
        None => release_binary()?,
    };
    let data = tempfile::tempdir().context("creating a temporary data folder")?;
    let server = Server::start(&bin, data.path().to_path_buf())?;
    let outcome = run(&args, &server).await;
    if outcome.is_err() {
        eprintln!("server log (last lines):\n{}", server.log_tail());
    }
    drop(server);
    outcome
}

/// `target/release/bursar`, found from this example at `target/release/examples/bench_me`.
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

/// The running `bursar serve`; killed when dropped.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    fn start(bin: &Path, data_dir: PathBuf) -> Result<Server> {
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

async fn run(args: &Args, server: &Server) -> Result<()> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .context("building the HTTP client")?;
    wait_ready(&http, server).await?;
    let rss_start = rss_kb(server.pid())?;

    let (session, csrf) = sign_in(&http, server).await?;
    let token = issue_token(&http, server, &csrf).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle = rss_kb(server.pid())?;

    let mut runs = vec![
        load(
            args,
            server,
            "bearer",
            header(AUTHORIZATION, &format!("Bearer {token}"))?,
        )
        .await?,
    ];
    if args.cookie {
        let cookie = header(COOKIE, &format!("bursar_session={session}"))?;
        runs.push(load(args, server, "cookie", cookie).await?);
    }

    print_report(args, rss_start, rss_idle, &runs);
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

/// Signs the administrator in; returns the session secret and its CSRF token.
async fn sign_in(http: &reqwest::Client, server: &Server) -> Result<(String, String)> {
    let res = http
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "login": "admin", "password": ADMIN_PASSWORD }))
        .send()
        .await?;
    let body = json_ok(res, StatusCode::OK, "login").await?;
    let session = str_at(&body, "/token")?;
    let csrf = str_at(&body, "/user/csrf_token")?;
    Ok((session, csrf))
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

/// The outcome of one load run.
struct Run {
    auth: &'static str,
    seconds: f64,
    /// Latencies of successful requests, in microseconds, sorted.
    latencies_us: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
    rss_peak_kb: u64,
    rss_after_kb: u64,
    /// Server CPU time (user + system) over the measured window, in microseconds.
    server_cpu_us: u64,
}

impl Run {
    fn requests(&self) -> u64 {
        self.latencies_us.len() as u64 + self.errors
    }

    fn rps(&self) -> f64 {
        self.latencies_us.len() as f64 / self.seconds
    }

    /// Server CPU microseconds per successful request.
    fn cpu_us_per_request(&self) -> f64 {
        self.server_cpu_us as f64 / self.latencies_us.len().max(1) as f64
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

    fn to_json(&self) -> Value {
        json!({
            "auth": self.auth,
            "requests": self.requests(),
            "errors": self.errors,
            "rps": round1(self.rps()),
            "p50_ms": round3(self.pct_ms(50.0)),
            "p90_ms": round3(self.pct_ms(90.0)),
            "p99_ms": round3(self.pct_ms(99.0)),
            "max_ms": round3(self.pct_ms(100.0)),
            "rss_peak_kb": self.rss_peak_kb,
            "rss_after_kb": self.rss_after_kb,
            "server_cpu_us_per_request": round1(self.cpu_us_per_request()),
        })
    }
}

/// Runs `args.workers` keep-alive workers sending `GET /api/v1/me` with `auth` headers: a
/// warm-up, then the measured window, sampling the server's RSS meanwhile.
async fn load(args: &Args, server: &Server, auth: &'static str, headers: HeaderMap) -> Result<Run> {
    let url = server.url("/api/v1/me");
    // Every worker gets its own client, hence its own kept-alive connection.
    let mut clients = Vec::with_capacity(args.workers);
    for _ in 0..args.workers {
        clients.push(
            reqwest::Client::builder()
                .default_headers(headers.clone())
                .pool_max_idle_per_host(1)
                .timeout(REQUEST_TIMEOUT)
                .build()?,
        );
    }
    // A request that fails here (wrong auth, say) fails the benchmark rather than its figures.
    let probe = clients
        .first()
        .ok_or_else(|| anyhow!("no workers"))?
        .get(&url)
        .send()
        .await?;
    if probe.status() != StatusCode::OK {
        bail!("GET /api/v1/me with {auth}: {}", probe.status());
    }

    let warmup_end = Instant::now() + Duration::from_secs(args.warmup);
    let end = warmup_end + Duration::from_secs(args.seconds);
    let errors = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::with_capacity(args.workers);
    for client in clients {
        let url = url.clone();
        let errors = errors.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(16 * 1024);
            let mut first_error = None;
            loop {
                let started = Instant::now();
                if started >= end {
                    break;
                }
                let outcome = match client.get(&url).send().await {
                    Ok(res) => {
                        let status = res.status();
                        match res.bytes().await {
                            Ok(_) if status == StatusCode::OK => Ok(()),
                            Ok(_) => Err(format!("status {status}")),
                            Err(e) => Err(e.to_string()),
                        }
                    }
                    Err(e) => Err(e.to_string()),
                };
                if started < warmup_end {
                    continue;
                }
                match outcome {
                    Ok(()) => latencies.push(started.elapsed().as_micros() as u64),
                    Err(e) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        first_error.get_or_insert(e);
                    }
                }
            }
            (latencies, first_error)
        }));
    }

    tokio::time::sleep_until(warmup_end.into()).await;
    let measuring = Instant::now();
    let cpu_before = cpu_us(server.pid())?;
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        let pid = server.pid();
        tokio::spawn(async move {
            let mut peak = 0;
            let mut tick = tokio::time::interval(RSS_SAMPLE_EVERY);
            while sampling.load(Ordering::Relaxed) {
                tick.tick().await;
                peak = peak.max(rss_kb(pid).unwrap_or(0));
            }
            peak
        })
    };

    let mut latencies_us = Vec::new();
    let mut first_error = None;
    for worker in workers {
        let (mut mine, error) = worker.await?;
        latencies_us.append(&mut mine);
        if first_error.is_none() {
            first_error = error;
        }
    }
    let seconds = measuring.elapsed().as_secs_f64();
    let server_cpu_us = cpu_us(server.pid())?.saturating_sub(cpu_before);
    sampling.store(false, Ordering::Relaxed);
    let rss_peak_kb = sampler.await?;
    latencies_us.sort_unstable();

    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_after_kb = rss_kb(server.pid())?;
    Ok(Run {
        auth,
        seconds,
        latencies_us,
        errors: errors.load(Ordering::Relaxed),
        first_error,
        rss_peak_kb,
        rss_after_kb,
        server_cpu_us,
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

/// The resident set size of process `pid`, in kB (Linux `/proc`).
fn rss_kb(pid: u32) -> Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow!("no VmRSS in {path}"))
}

fn print_report(args: &Args, rss_start: u64, rss_idle: u64, runs: &[Run]) {
    println!();
    println!(
        "GET /api/v1/me: {} keep-alive workers, {} s measured after {} s warm-up, release build, SQLite, {} cores shared with the load generator",
        args.workers,
        args.seconds,
        args.warmup,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    println!(
        "{:<7} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7} {:>8} {:>11} {:>11}",
        "auth",
        "requests",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "errors",
        "CPU/req",
        "RSS peak",
        "RSS after"
    );
    for r in runs {
        println!(
            "{:<7} {:>9} {:>9.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7} {:>8} {:>11} {:>11}",
            r.auth,
            r.requests(),
            r.rps(),
            r.pct_ms(50.0),
            r.pct_ms(90.0),
            r.pct_ms(99.0),
            r.pct_ms(100.0),
            r.errors,
            format!("{:.0} us", r.cpu_us_per_request()),
            mb(r.rss_peak_kb),
            mb(r.rss_after_kb)
        );
        if let Some(e) = &r.first_error {
            println!("        first error: {e}");
        }
    }
    println!();
    println!(
        "RSS: {} after start, {} idle after sign-in (aim: under 64 MiB)",
        mb(rss_start),
        mb(rss_idle)
    );
    let summary = json!({
        "bench": "bench_me",
        "workers": args.workers,
        "seconds": args.seconds,
        "rss_start_kb": rss_start,
        "rss_idle_kb": rss_idle,
        "runs": runs.iter().map(Run::to_json).collect::<Vec<_>>(),
    });
    println!("{summary}");
}

fn mb(kb: u64) -> String {
    format!("{:.1} MiB", kb as f64 / 1024.0)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
