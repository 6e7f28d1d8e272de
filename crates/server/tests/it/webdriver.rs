//! Driving Debian's headless chromium through chromedriver, shared by the browser tests:
//! finding the binaries (a missing browser skips the test with a note unless
//! `BURSAR_TEST_REQUIRE_BROWSER=1`), a chromedriver child killed on drop, a browser session
//! with the flags this sandboxed machine needs, and waiting helpers that show the page when
//! an element never appears.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const WAIT: Duration = Duration::from_secs(15);

/// The first `name` on `PATH`.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Returns early from a test with a note, or fails it when the browser is required.
pub fn browser_missing(what: &str) {
    if std::env::var("BURSAR_TEST_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("BURSAR_TEST_REQUIRE_BROWSER=1 but {what}");
    }
    let note = format!(
        "note: a browser test is SKIPPED: {what} (apt-get install chromium \
         chromium-driver; set BURSAR_TEST_REQUIRE_BROWSER=1 to make this a failure)\n"
    );
    let _ = std::io::stderr().write_all(note.as_bytes());
}

/// A chromedriver child process, killed when dropped (also when the test fails).
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub fn start(binary: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        let driver = Driver { child, port };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                started.elapsed() < WAIT,
                "chromedriver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn open_browser(driver: &Driver, profile: &Path) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-US",
        "--window-size=1280,900",
    ]
    .iter()
    .map(|a| a.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect::<Vec<_>>();
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&driver.url())
        .await
        .unwrap_or_else(|e| panic!("opening a chromium session: {e}"))
}

pub async fn wait_for(b: &Client, css: &str) -> fantoccini::elements::Element {
    match b.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
        Ok(el) => el,
        Err(e) => {
            let at = b
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let page = b.source().await.unwrap_or_default();
            panic!("no {css} on {at}: {e}\n{page}")
        }
    }
}

pub async fn text(b: &Client, css: &str) -> String {
    wait_for(b, css).await.text().await.unwrap()
}

pub async fn path(b: &Client) -> String {
    b.current_url().await.unwrap().path().to_owned()
}

pub async fn fill(b: &Client, css: &str, value: &str) {
    let el = wait_for(b, css).await;
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

pub async fn click(b: &Client, css: &str) {
    wait_for(b, css).await.click().await.unwrap();
}
