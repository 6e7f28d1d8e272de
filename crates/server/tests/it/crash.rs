//! Crash safety of money (issue 9): the real `bursar serve` is killed with SIGKILL while
//! parallel credits are in flight, then started again on the same database. `bursar check`
//! is clean, and every credit the server acknowledged before dying is there: a commit is
//! durable, and a credit cut short left nothing half-written.

use crate::first_start::{sign_in_admin, start};
use crate::harness::{fresh_postgres_url, issue_payment, new_client, new_provider};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn killing_the_server_mid_credits_loses_no_acknowledged_credit() {
    let data = tempfile::tempdir().unwrap();
    let postgres = fresh_postgres_url().await;
    let url = postgres
        .as_ref()
        .map(|(url, _)| url.clone())
        .unwrap_or_default();

    let mut server = start(data.path(), &url);
    let admin = sign_in_admin(&server).await;
    let p = new_provider(&admin, "Crash Hosting", "EUR", false).await;
    let c = new_client(
        &admin,
        json!({"email": "crash@x.example", "providers": [p], "name": "Crash"}),
    )
    .await;
    let client = c["id"].as_str().unwrap().to_owned();
    let mut payments = Vec::new();
    for _ in 0..60 {
        let pay = issue_payment(&admin, &client, &p, "1.00").await;
        payments.push(pay["id"].as_str().unwrap().to_owned());
    }

    // Four workers credit the payments one after another; the server is killed once 20
    // credits have been acknowledged, with the others still in flight.
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let (killed_tx, killed_rx) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    for chunk in payments.chunks(15) {
        let chunk = chunk.to_vec();
        let req = admin.client.clone();
        let base = server.base.clone();
        let csrf = admin.csrf.clone();
        let acknowledged = acknowledged.clone();
        let killed = killed_rx.clone();
        workers.push(tokio::spawn(async move {
            for id in chunk {
                if *killed.borrow() {
                    break;
                }
                let res = req
                    .post(format!("{base}/api/v1/payments/{id}/credit"))
                    .header("x-csrf-token", &csrf)
                    .header("idempotency-key", format!("crash-{id}"))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == StatusCode::OK => {
                        acknowledged.lock().unwrap().insert(id);
                    }
                    _ => break,
                }
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    killed_tx.send(true).unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 20);
    drop(server);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bursar"))
        .arg("check")
        .env("BURSAR_DATA_DIR", data.path())
        .env("BURSAR_DATABASE_URL", &url)
        .env_remove("BURSAR_CONFIG")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bursar check after the crash: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let server = start(data.path(), &url);
    let admin = sign_in_admin(&server).await;
    let mut paid = 0;
    for id in &payments {
        let p: Value = admin
            .get(&format!("/api/v1/payments/{id}"))
            .await
            .json()
            .await
            .unwrap();
        if p["status"] == "paid" {
            paid += 1;
        } else {
            assert!(
                !acknowledged.contains(id),
                "acknowledged credit {id} is lost: {p}"
            );
        }
    }
    let accounts: Value = admin
        .get(&format!("/api/v1/clients/{client}/accounts"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        accounts["items"][0]["balance"]["amount"],
        format!("{paid}.00")
    );
}
