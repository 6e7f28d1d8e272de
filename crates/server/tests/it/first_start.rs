//! The README's first command: the real `bursar serve` binary on an empty database (the
//! embedded SQLite default, or a new PostgreSQL database on the PostgreSQL pass) installs
//! what an administrator needs to start, and a restart keeps the data without installing
//! anything again.

use crate::harness::{ADMIN_PASSWORD, Session, fresh_postgres_url};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running `bursar serve` and what it printed before it was ready.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) base: String,
    printed: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(data_dir: &Path, database_url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bursar"))
        .arg("serve")
        .env("BURSAR_DATA_DIR", data_dir)
        .env("BURSAR_DATABASE_URL", database_url)
        .env("BURSAR_LISTEN", "127.0.0.1:0")
        .env("BURSAR_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env_remove("BURSAR_CONFIG")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bursar binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut printed = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("readable output");
        if let Some(base) = line.strip_prefix("Bursar is serving ") {
            let base = base.trim().to_owned();
            return Server {
                child,
                base,
                printed,
            };
        }
        printed.push(line);
    }
    let status = child.wait();
    panic!("bursar serve ended before serving ({status:?}): {printed:?}");
}

pub(crate) async fn sign_in_admin(server: &Server) -> Session {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let res = client
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({"login": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    Session::new(client, me["user"].clone(), server.base.clone())
}

async fn json_of(session: &Session, path: &str) -> Value {
    let res = session.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_first_start_installs_what_the_administrator_needs_and_a_restart_keeps_it() {
    let data = tempfile::tempdir().unwrap();
    let postgres = fresh_postgres_url().await;
    let url = postgres
        .as_ref()
        .map(|(url, _)| url.clone())
        .unwrap_or_default();

    let first = start(data.path(), &url);
    assert!(
        first
            .printed
            .iter()
            .any(|l| l.starts_with("Created the administrator")),
        "{:?}",
        first.printed
    );
    if url.is_empty() {
        assert!(
            data.path().join("bursar.db").exists(),
            "SQLite in the data folder"
        );
    }
    let admin = sign_in_admin(&first).await;
    let departments = json_of(&admin, "/api/v1/departments").await;
    let names: Vec<&str> = departments["items"]
        .as_array()
        .or(departments.as_array())
        .unwrap()
        .iter()
        .filter_map(|d| d["name_en"].as_str())
        .collect();
    assert_eq!(names.len(), 2, "{departments}");
    assert!(names.contains(&"Sales department") && names.contains(&"Technical support"));
    // The currency directory is there, so a provider can be created straight away.
    let res = admin
        .post(
            "/api/v1/providers",
            json!({"name": "Hosting", "currency": "EUR"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let sales = departments["items"]
        .as_array()
        .or(departments.as_array())
        .unwrap()
        .iter()
        .find(|d| d["name_en"] == "Sales department")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = admin
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/departments/{sales}"),
            None,
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    drop(first);

    let second = start(data.path(), &url);
    assert!(
        !second
            .printed
            .iter()
            .any(|l| l.starts_with("Created the administrator")),
        "{:?}",
        second.printed
    );
    let admin = sign_in_admin(&second).await;
    let providers = json_of(&admin, "/api/v1/providers").await;
    assert!(providers.to_string().contains("Hosting"), "{providers}");
    let departments = json_of(&admin, "/api/v1/departments").await;
    let text = departments.to_string();
    assert!(
        text.contains("Technical support") && !text.contains("Sales department"),
        "a deleted default department stays deleted: {text}"
    );
}

#[tokio::test]
async fn demo_before_the_first_serve_prints_the_administrators_password() {
    let data = tempfile::tempdir().unwrap();
    let postgres = fresh_postgres_url().await;
    let url = postgres
        .as_ref()
        .map(|(url, _)| url.clone())
        .unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_bursar"))
        .arg("demo")
        .env("BURSAR_DATA_DIR", data.path())
        .env("BURSAR_DATABASE_URL", &url)
        .env_remove("BURSAR_ADMIN_PASSWORD")
        .env_remove("BURSAR_CONFIG")
        .env("RUST_LOG", "warn")
        .output()
        .expect("bursar demo runs");
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{printed}");
    let password = printed
        .lines()
        .find_map(|l| {
            l.strip_prefix("Created the administrator: login `admin`, password `")?
                .split('`')
                .next()
        })
        .unwrap_or_else(|| panic!("no generated password printed: {printed}"))
        .to_owned();

    // `serve` afterwards says why BURSAR_ADMIN_PASSWORD (set by `start`) is not used, and the
    // printed password signs in.
    let server = start(data.path(), &url);
    assert!(
        server
            .printed
            .iter()
            .any(|l| l.contains("BURSAR_ADMIN_PASSWORD is not used")),
        "{:?}",
        server.printed
    );
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({"login": "admin", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn demo_on_a_new_database_takes_bursar_admin_password() {
    let data = tempfile::tempdir().unwrap();
    let postgres = fresh_postgres_url().await;
    let url = postgres
        .as_ref()
        .map(|(url, _)| url.clone())
        .unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_bursar"))
        .arg("demo")
        .env("BURSAR_DATA_DIR", data.path())
        .env("BURSAR_DATABASE_URL", &url)
        .env("BURSAR_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env_remove("BURSAR_CONFIG")
        .env("RUST_LOG", "warn")
        .output()
        .expect("bursar demo runs");
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{printed}");
    assert!(
        printed.contains(
            "Created the administrator: login `admin` with the password from BURSAR_ADMIN_PASSWORD."
        ),
        "{printed}"
    );
    let server = start(data.path(), &url);
    sign_in_admin(&server).await;
}
