//! Exchange rates on both databases: the directory (entered and derived by expression,
//! re-derived when the source changes), a client group's and a client's personal rates,
//! bad input per field, history entries, another client's rate as 404, one rate per pair
//! and day under parallel requests, and the staff panel's pages in English and Russian.

use crate::harness::{Session, TestApp, new_client, new_provider, problem_code, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::Barrier;

async fn created(s: &Session, path: &str, body: Value) -> Value {
    let res = s.post(path, body).await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{path}: {}",
        res.text().await.unwrap()
    );
    res.json().await.unwrap()
}

async fn json_of(s: &Session, path: &str) -> Value {
    let res = s.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.unwrap()
}

/// The (field, code) pairs of a 422.
async fn refused(s: &Session, method: Method, path: &str, body: Value) -> Vec<(String, String)> {
    let res = s.send(method, path, Some(body.clone())).await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{path} {body}"
    );
    let p: Value = res.json().await.unwrap();
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

/// The changes of the history entries about one record, oldest first, as `field: old → new`.
async fn history_of(admin: &Session, kind: &str, id: &str) -> Vec<(String, Vec<String>)> {
    let page = json_of(
        admin,
        &format!("/api/v1/history?object_kind={kind}&object_id={id}"),
    )
    .await;
    let mut out: Vec<(String, Vec<String>)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let changes = e["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    format!(
                        "{}: {} → {}",
                        c["field"].as_str().unwrap(),
                        c["old"].as_str().unwrap_or(""),
                        c["new"].as_str().unwrap_or("")
                    )
                })
                .collect();
            (e["action"].as_str().unwrap().to_owned(), changes)
        })
        .collect();
    out.reverse();
    out
}

async fn client_of(admin: &Session, email: &str) -> String {
    let p = new_provider(admin, &format!("P {email}"), "RUB", false).await;
    let c = new_client(
        admin,
        json!({"email": email, "providers": [p], "name": "Rates Client"}),
    )
    .await;
    c["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn directory_rates_are_entered_derived_listed_edited_and_deleted_with_history() {
    let t = spawn().await;
    let admin = t.admin().await;
    let usd = created(
        &admin,
        "/api/v1/currency-rates",
        json!({"base": "rub", "currency": "USD", "rate": "90.50", "valid_from": "2026-12-01"}),
    )
    .await;
    assert_eq!(usd["base"], "RUB");
    assert_eq!(usd["rate"], "90.5");
    assert_eq!(usd["units"], 1);
    assert_eq!(usd["source_id"], Value::Null);
    let usd_id = usd["id"].as_str().unwrap();
    // Derived: base, currency and units from the source, the value by the expression.
    let derived = created(
        &admin,
        "/api/v1/currency-rates",
        json!({"source_id": usd_id, "expression": "*1.05", "valid_from": "2026-12-02"}),
    )
    .await;
    assert_eq!(
        (&derived["base"], &derived["currency"], &derived["rate"]),
        (&json!("RUB"), &json!("USD"), &json!("95.025"))
    );
    assert_eq!(derived["source_id"], usd_id);
    assert_eq!(derived["expression"], "*1.05");
    let derived_id = derived["id"].as_str().unwrap();
    created(
        &admin,
        "/api/v1/currency-rates",
        json!({"base": "EUR", "currency": "USD", "rate": "0.92", "units": 1, "valid_from": "2026-11-01"}),
    )
    .await;
    // The list, newest first; a pair's rates over time; pages.
    let all = json_of(&admin, "/api/v1/currency-rates").await;
    assert_eq!(all["total"], 3);
    assert_eq!(all["items"][0]["id"], derived_id);
    let pair_rates = json_of(&admin, "/api/v1/currency-rates?base=RUB&currency=usd").await;
    let days: Vec<&str> = pair_rates["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["valid_from"].as_str().unwrap())
        .collect();
    assert_eq!(days, ["2026-12-02", "2026-12-01"]);
    let page2 = json_of(&admin, "/api/v1/currency-rates?per_page=2&page=2").await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    assert_eq!(page2["items"][0]["base"], "EUR");
    let res = admin.get("/api/v1/currency-rates?base=XX1").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Editing the source derives the derived rate again.
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/currency-rates/{usd_id}"),
            Some(json!({"rate": "100", "units": 1})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let again = json_of(&admin, &format!("/api/v1/currency-rates/{derived_id}")).await;
    assert_eq!(again["rate"], "105");
    // A rate given by hand ends the derivation.
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/currency-rates/{derived_id}"),
            Some(json!({"rate": "101.25"})),
        )
        .await;
    let manual: Value = res.json().await.unwrap();
    assert_eq!(
        (&manual["rate"], &manual["source_id"], &manual["expression"]),
        (&json!("101.25"), &Value::Null, &Value::Null)
    );
    // History of every change, in words.
    let h = history_of(&admin, "currency_rate", derived_id).await;
    let actions: Vec<&str> = h.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(actions, ["create", "update", "update"], "{h:?}");
    assert!(h[0].1.contains(&"expression:  → *1.05".to_owned()), "{h:?}");
    assert!(h[1].1.contains(&"rate: 95.025 → 105".to_owned()), "{h:?}");
    assert!(h[2].1.contains(&"expression: *1.05 → ".to_owned()), "{h:?}");
    // No rate is derived from itself, however indirectly.
    let second = created(
        &admin,
        "/api/v1/currency-rates",
        json!({"source_id": usd_id, "expression": "*2", "valid_from": "2026-12-04"}),
    )
    .await;
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/currency-rates/{usd_id}"),
            Some(json!({"source_id": second["id"], "expression": "/2"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = res.json().await.unwrap();
    assert_eq!(
        (
            p["errors"][0]["field"].as_str(),
            p["errors"][0]["code"].as_str()
        ),
        (Some("source_id"), Some("derivation_cycle"))
    );
    // Deleting a source keeps what was derived from it.
    let other = created(
        &admin,
        "/api/v1/currency-rates",
        json!({"source_id": usd_id, "expression": "/2", "valid_from": "2026-12-03"}),
    )
    .await;
    let res = admin
        .send(
            Method::DELETE,
            &format!("/api/v1/currency-rates/{usd_id}"),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let kept = json_of(
        &admin,
        &format!("/api/v1/currency-rates/{}", other["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        (&kept["rate"], &kept["source_id"], &kept["expression"]),
        (&json!("50"), &Value::Null, &Value::Null),
        "it becomes a rate entered by hand"
    );
    let res = admin.get(&format!("/api/v1/currency-rates/{usd_id}")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let h = history_of(&admin, "currency_rate", usd_id).await;
    assert_eq!(h.last().map(|(a, _)| a.as_str()), Some("delete"));
}

#[tokio::test]
async fn bad_rates_are_refused_per_field() {
    let t = spawn().await;
    let admin = t.admin().await;
    let path = "/api/v1/currency-rates";
    let base = json!({"base": "RUB", "currency": "USD", "rate": "90", "valid_from": "2026-12-01"});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    for (body, field, code) in [
        (with("rate", json!("-1")), "rate", "out_of_range"),
        (with("rate", json!("0")), "rate", "out_of_range"),
        (with("rate", json!("ninety")), "rate", "not_a_number"),
        (
            with("rate", json!("1.123456789")),
            "rate",
            "too_many_decimals",
        ),
        (
            with("currency", json!("XXY")),
            "currency",
            "invalid_currency",
        ),
        (
            with("currency", json!("JPY")),
            "currency",
            "currency_disabled",
        ),
        (with("base", json!("QQQ")), "base", "invalid_currency"),
        (with("currency", json!("RUB")), "currency", "same_currency"),
        (
            with("valid_from", json!("2026-02-30")),
            "valid_from",
            "invalid_date",
        ),
        (
            with("valid_from", json!("01.12.2026")),
            "valid_from",
            "invalid_date",
        ),
        (with("units", json!(0)), "units", "out_of_range"),
    ] {
        let got = refused(&admin, Method::POST, path, body.clone()).await;
        assert_eq!(got, [pair(field, code)], "{body}");
    }
    // Several bad fields: one entry each.
    let got = refused(
        &admin,
        Method::POST,
        path,
        json!({"base": "RUB", "currency": "XXY", "rate": "-5", "valid_from": "soon"}),
    )
    .await;
    assert_eq!(
        got,
        [
            pair("currency", "invalid_currency"),
            pair("valid_from", "invalid_date"),
            pair("rate", "out_of_range")
        ]
    );
    let src = created(&admin, path, base.clone()).await;
    let src_id = src["id"].as_str().unwrap();
    for (body, field, code) in [
        (
            json!({"source_id": src_id, "expression": "^2", "valid_from": "2026-12-05"}),
            "expression",
            "invalid_expression",
        ),
        (
            json!({"source_id": src_id, "expression": "-100", "valid_from": "2026-12-05"}),
            "expression",
            "out_of_range",
        ),
        (
            json!({"source_id": uuid::Uuid::now_v7(), "expression": "*2", "valid_from": "2026-12-05"}),
            "source_id",
            "invalid_id",
        ),
        (
            json!({"source_id": src_id, "valid_from": "2026-12-05"}),
            "expression",
            "required",
        ),
        (
            json!({"source_id": src_id, "expression": "*2", "rate": "5", "valid_from": "2026-12-05"}),
            "rate",
            "invalid",
        ),
    ] {
        let got = refused(&admin, Method::POST, path, body.clone()).await;
        assert_eq!(got, [pair(field, code)], "{body}");
    }
    let got = refused(
        &admin,
        Method::POST,
        path,
        json!({"base": "RUB", "currency": "USD", "valid_from": "2026-12-09"}),
    )
    .await;
    assert_eq!(got, [pair("rate", "required")]);
    // The same pair and day twice: 409 with its own code.
    let res = admin.post(path, base.clone()).await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "rate_exists".to_owned())
    );
    // Bad input on edit, and unknown records.
    let got = refused(
        &admin,
        Method::PATCH,
        &format!("{path}/{src_id}"),
        json!({"rate": "-2"}),
    )
    .await;
    assert_eq!(got, [pair("rate", "out_of_range")]);
    for (method, p) in [
        (Method::GET, format!("{path}/{}", uuid::Uuid::now_v7())),
        (Method::DELETE, format!("{path}/not-an-id")),
    ] {
        let res = admin.send(method, &p, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{p}");
    }
    let res = admin
        .post(
            path,
            json!({"base": "RUB", "currency": "USD", "rate": 90, "valid_from": "2026-12-01"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a number is not a decimal string"
    );
}

#[tokio::test]
async fn a_client_groups_rates_are_kept_and_written_in_the_groups_history() {
    let t = spawn().await;
    let admin = t.admin().await;
    let group = created(
        &admin,
        "/api/v1/client-groups",
        json!({"name": "Resellers"}),
    )
    .await;
    let g = group["id"].as_str().unwrap();
    let path = format!("/api/v1/client-groups/{g}/currency-rates");
    let r = created(
        &admin,
        &path,
        json!({"base": "RUB", "currency": "EUR", "rate": "95", "units": 1, "valid_from": "2026-12-01"}),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let res = admin
        .send(
            Method::PATCH,
            &format!("{path}/{id}"),
            Some(json!({"rate": "96.5"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let list = json_of(&admin, &path).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["rate"], "96.5");
    // No derivation for groups; a group's rate seen from another group is not found.
    let res = admin
        .post(
            &path,
            json!({"base": "RUB", "currency": "EUR", "rate": "1", "valid_from": "2026-12-02", "expression": "*2"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Nor an amount limit: that is a client's personal rate's.
    let res = admin
        .post(
            &path,
            json!({"base": "RUB", "currency": "EUR", "rate": "1", "valid_from": "2026-12-02", "amount": "500"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "amount");
    let other = created(&admin, "/api/v1/client-groups", json!({"name": "Other"})).await;
    let o = other["id"].as_str().unwrap();
    let res = admin
        .send(
            Method::DELETE,
            &format!("/api/v1/client-groups/{o}/currency-rates/{id}"),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = admin
        .get(&format!(
            "/api/v1/client-groups/{}/currency-rates",
            uuid::Uuid::now_v7()
        ))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = admin
        .send(Method::DELETE, &format!("{path}/{id}"), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let h = history_of(&admin, "client_group", g).await;
    let rates: Vec<&(String, Vec<String>)> =
        h.iter().filter(|(a, _)| a.starts_with("rate_")).collect();
    assert_eq!(rates.len(), 3, "{h:?}");
    assert_eq!(
        rates[0].1,
        ["currency_rate:  → 1 EUR = 95 RUB from 2026-12-01"]
    );
    assert_eq!(
        rates[1].1,
        ["currency_rate: 1 EUR = 95 RUB from 2026-12-01 → 1 EUR = 96.5 RUB from 2026-12-01"]
    );
    assert_eq!(rates[2].0, "rate_delete");
}

#[tokio::test]
async fn a_clients_personal_rate_has_an_amount_limit_history_and_is_its_own() {
    let t = spawn().await;
    let admin = t.admin().await;
    let c = client_of(&admin, "personal@x.example").await;
    let other = client_of(&admin, "other@x.example").await;
    let path = format!("/api/v1/clients/{c}/currency-rates");
    let r = created(
        &admin,
        &path,
        json!({"base": "RUB", "currency": "USD", "rate": "85", "units": 1, "amount": "1000.50", "valid_from": "2026-12-01"}),
    )
    .await;
    assert_eq!(r["amount"], "1000.50");
    let id = r["id"].as_str().unwrap();
    // Bad amount; the amount removed.
    let got = refused(
        &admin,
        Method::PATCH,
        &format!("{path}/{id}"),
        json!({"amount": "-3"}),
    )
    .await;
    assert_eq!(got, [pair("amount", "out_of_range")]);
    let got = refused(
        &admin,
        Method::PATCH,
        &format!("{path}/{id}"),
        json!({"amount": "1.001"}),
    )
    .await;
    assert_eq!(got, [pair("amount", "too_many_decimals")]);
    let res = admin
        .send(
            Method::PATCH,
            &format!("{path}/{id}"),
            Some(json!({"amount": "", "units": 10, "rate": "850"})),
        )
        .await;
    let edited: Value = res.json().await.unwrap();
    assert_eq!(
        (&edited["amount"], &edited["units"]),
        (&Value::Null, &json!(10))
    );
    // The client's number works as well as its id.
    let client: Value = json_of(&admin, &format!("/api/v1/clients/{c}")).await;
    let number = client["number"].as_i64().unwrap();
    let by_number = json_of(&admin, &format!("/api/v1/clients/{number}/currency-rates")).await;
    assert_eq!(by_number["items"][0]["id"], id);
    // Another client's rate is not found, whatever the verb.
    let theirs = format!("/api/v1/clients/{other}/currency-rates/{id}");
    for method in [Method::PATCH, Method::DELETE] {
        let res = admin
            .send(method.clone(), &theirs, Some(json!({"rate": "1"})))
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{method}");
    }
    let list = json_of(&admin, &format!("/api/v1/clients/{other}/currency-rates")).await;
    assert_eq!(list["total"], 0);
    // In the client's history, in words.
    let page = json_of(&admin, &format!("/api/v1/clients/{c}/history")).await;
    let entries: Vec<&Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["object_kind"] == "client_currency_rate")
        .collect();
    assert_eq!(entries.len(), 2, "{page}");
    let update = entries[0]["changes"].to_string();
    assert!(
        update.contains("\"amount\"") && update.contains("1000.50") && update.contains("850"),
        "{update}"
    );
    let res = admin
        .send(Method::DELETE, &format!("{path}/{id}"), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // A client that does not exist has no rates to show.
    let res = admin
        .get(&format!(
            "/api/v1/clients/{}/currency-rates",
            uuid::Uuid::now_v7()
        ))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// Fires `n` identical POSTs at once; their statuses and codes.
async fn burst(
    t: &TestApp,
    admin: &Session,
    path: &str,
    body: Value,
    n: usize,
) -> Vec<(StatusCode, String)> {
    let _ = t;
    let barrier = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let req = admin.request(Method::POST, path, Some(body.clone()));
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let res = req.send().await.unwrap();
                let status = res.status();
                let p: Value = res.json().await.unwrap_or(Value::Null);
                (status, p["code"].as_str().unwrap_or_default().to_owned())
            })
        })
        .collect();
    let mut out = Vec::new();
    for task in futures_util::future::join_all(tasks).await {
        out.push(task.unwrap());
    }
    out
}

#[tokio::test]
async fn parallel_entries_of_one_pair_and_day_make_exactly_one_rate() {
    let t = spawn().await;
    let admin = t.admin().await;
    let group = created(&admin, "/api/v1/client-groups", json!({"name": "Race"})).await;
    let c = client_of(&admin, "race@x.example").await;
    let body = json!({"base": "RUB", "currency": "USD", "rate": "91", "valid_from": "2026-12-24"});
    for path in [
        "/api/v1/currency-rates".to_owned(),
        format!(
            "/api/v1/client-groups/{}/currency-rates",
            group["id"].as_str().unwrap()
        ),
        format!("/api/v1/clients/{c}/currency-rates"),
    ] {
        let outcomes = burst(&t, &admin, &path, body.clone(), 8).await;
        let won = outcomes
            .iter()
            .filter(|(s, _)| *s == StatusCode::CREATED)
            .count();
        assert_eq!(won, 1, "{path}: {outcomes:?}");
        for (status, code) in &outcomes {
            assert!(
                *status == StatusCode::CREATED
                    || (*status == StatusCode::CONFLICT && code == "rate_exists"),
                "{path}: {outcomes:?}"
            );
        }
        let list = json_of(&admin, &path).await;
        assert_eq!(list["total"], 1, "{path}");
    }
}

/// Posts a panel form as the signed-in staff member (redirects followed).
async fn post_form(
    admin: &Session,
    t: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![("_csrf", admin.csrf.as_str())];
    form.extend_from_slice(fields);
    admin
        .client
        .post(t.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn html(admin: &Session, path: &str) -> String {
    let res = admin.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn the_panel_enters_derives_and_shows_rates_in_english_and_russian() {
    let t = spawn().await;
    let admin = t.admin().await;
    // Directories → Exchange rates: add by the form, a refusal next to its field, derive.
    let res = post_form(
        &admin,
        &t,
        "/admin/currency-rates/new",
        &[
            ("base", "RUB"),
            ("currency", "USD"),
            ("rate", "-5"),
            ("units", "1"),
            ("valid_from", "2026-12-01"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.unwrap();
    assert!(refused.contains("-5"), "the typed value is kept");
    post_form(
        &admin,
        &t,
        "/admin/currency-rates/new",
        &[
            ("base", "RUB"),
            ("currency", "USD"),
            ("rate", "90"),
            ("units", "1"),
            ("valid_from", "2026-12-01"),
        ],
    )
    .await;
    let list = json_of(&admin, "/api/v1/currency-rates").await;
    assert_eq!(list["total"], 1, "the form added the rate");
    let source = list["items"][0]["id"].as_str().unwrap().to_owned();
    post_form(
        &admin,
        &t,
        "/admin/currency-rates/derive",
        &[
            ("source_id", &source),
            ("expression", "*1.1"),
            ("valid_from", "2026-12-02"),
        ],
    )
    .await;
    let list = json_of(&admin, "/api/v1/currency-rates").await;
    assert_eq!(list["items"][0]["rate"], "99");
    let derived = list["items"][0]["id"].as_str().unwrap().to_owned();
    // A client and a group with their own rates.
    let c = client_of(&admin, "panel@x.example").await;
    post_form(
        &admin,
        &t,
        &format!("/admin/clients/{c}/currency-rates/new"),
        &[
            ("base", "RUB"),
            ("currency", "EUR"),
            ("rate", "99.5"),
            ("units", "1"),
            ("amount", "500"),
            ("valid_from", "2026-12-01"),
        ],
    )
    .await;
    let personal = json_of(&admin, &format!("/api/v1/clients/{c}/currency-rates")).await;
    assert_eq!(personal["items"][0]["amount"], "500.00");
    let personal_id = personal["items"][0]["id"].as_str().unwrap().to_owned();
    let group = created(&admin, "/api/v1/client-groups", json!({"name": "Partners"})).await;
    let g = group["id"].as_str().unwrap();
    post_form(
        &admin,
        &t,
        &format!("/admin/client-groups/{g}/currency-rates/new"),
        &[
            ("base", "RUB"),
            ("currency", "USD"),
            ("rate", "88"),
            ("units", "1"),
            ("valid_from", "2026-12-01"),
        ],
    )
    .await;
    let group_rates = json_of(&admin, &format!("/api/v1/client-groups/{g}/currency-rates")).await;
    assert_eq!(group_rates["total"], 1);
    let group_rate = group_rates["items"][0]["id"].as_str().unwrap().to_owned();
    // Every page, in both languages.
    let pages = [
        (
            "/admin/currency-rates".to_owned(),
            "Exchange rates",
            "Курсы валют",
        ),
        (
            "/admin/currency-rates?base=RUB&currency=USD".to_owned(),
            "USD → RUB over time",
            "USD → RUB по датам",
        ),
        (
            "/admin/currency-rates/new".to_owned(),
            "New exchange rate",
            "Новый курс валюты",
        ),
        (
            format!("/admin/currency-rates/derive?source={source}"),
            "Derive a rate",
            "Расчёт курса",
        ),
        (format!("/admin/currency-rates/{derived}"), "*1.1", "*1.1"),
        (
            format!("/admin/currency-rates/{source}"),
            "Number of units",
            "Количество единиц",
        ),
        (
            format!("/admin/currency-rates/{source}/delete"),
            "Delete the rate",
            "Удалить курс",
        ),
        (
            format!("/admin/clients/{c}/currency-rates"),
            "500.00 RUB",
            "500.00 RUB",
        ),
        (
            format!("/admin/clients/{c}/currency-rates/new"),
            "Amount",
            "Сумма",
        ),
        (
            format!("/admin/clients/{c}/currency-rates/{personal_id}"),
            "99.5",
            "99.5",
        ),
        (
            format!("/admin/clients/{c}/currency-rates/{personal_id}/delete"),
            "Delete the rate",
            "Удалить курс",
        ),
        (
            format!("/admin/client-groups/{g}/currency-rates"),
            "Currency rates of Partners",
            "Курсы валют группы Partners",
        ),
        (
            format!("/admin/client-groups/{g}/currency-rates/new"),
            "Converted currency",
            "Конвертируемая валюта",
        ),
        (
            format!("/admin/client-groups/{g}"),
            "Currency rates",
            "Курсы валют",
        ),
    ];
    for (path, en, _) in &pages {
        let page = html(&admin, path).await;
        assert!(page.contains(en), "{path} in English: {page}");
    }
    let res = admin
        .send(Method::PATCH, "/api/v1/me", Some(json!({"locale": "ru"})))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    for (path, _, ru) in &pages {
        let page = html(&admin, path).await;
        assert!(page.contains(ru), "{path} in Russian: {page}");
    }
    admin
        .send(Method::PATCH, "/api/v1/me", Some(json!({"locale": "en"})))
        .await;
    let list = html(&admin, "/admin/currency-rates").await;
    assert!(
        list.contains("1 USD = 99 RUB") && list.contains("Derived: *1.1"),
        "{list}"
    );
    assert!(
        list.contains("/admin/currency-rates\" "),
        "the menu links the page"
    );
    let card = html(&admin, &format!("/admin/clients/{c}")).await;
    assert!(
        card.contains(&format!("/admin/clients/{c}/currency-rates")),
        "the card's tab"
    );
    // Deleting through the panel.
    for path in [
        format!("/admin/clients/{c}/currency-rates/{personal_id}/delete"),
        format!("/admin/client-groups/{g}/currency-rates/{group_rate}/delete"),
        format!("/admin/currency-rates/{derived}/delete"),
    ] {
        let res = post_form(&admin, &t, &path, &[]).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{path}"
        );
    }
    let list = json_of(&admin, "/api/v1/currency-rates").await;
    assert_eq!(list["total"], 1);
    let personal = json_of(&admin, &format!("/api/v1/clients/{c}/currency-rates")).await;
    assert_eq!(personal["total"], 0);
    let group_rates = json_of(&admin, &format!("/api/v1/client-groups/{g}/currency-rates")).await;
    assert_eq!(group_rates["total"], 0);
}

#[tokio::test]
async fn the_rate_book_of_a_client_holds_its_personal_its_groups_and_the_directorys_rates() {
    use bursar_app::ports::Store as _;
    use bursar_domain::pricing::rates::{RateBook, RateSource};
    let t = spawn().await;
    let admin = t.admin().await;
    let c = client_of(&admin, "book@x.example").await;
    let stranger = client_of(&admin, "stranger@x.example").await;
    let group = created(&admin, "/api/v1/client-groups", json!({"name": "Book"})).await;
    let g = group["id"].as_str().unwrap();
    let res = admin
        .send(
            Method::PUT,
            &format!("/api/v1/clients/{c}/groups"),
            Some(json!({"groups": [g]})),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let rate = |r: &str, day: &str| json!({"base": "RUB", "currency": "USD", "rate": r, "valid_from": day});
    created(&admin, "/api/v1/currency-rates", rate("90", "2026-12-01")).await;
    created(&admin, "/api/v1/currency-rates", rate("95", "2026-12-20")).await;
    created(
        &admin,
        &format!("/api/v1/client-groups/{g}/currency-rates"),
        rate("85", "2026-12-01"),
    )
    .await;
    let mut personal = rate("80", "2026-12-01");
    personal["amount"] = json!("100.00");
    created(
        &admin,
        &format!("/api/v1/clients/{c}/currency-rates"),
        personal,
    )
    .await;
    let day = jiff::civil::date(2026, 12, 5);
    let book_of = async |client: &str| {
        let mut tx = t.store.read().await.unwrap();
        let rates = tx.rate_book(client.parse().unwrap(), day).await.unwrap();
        RateBook { rates }
    };
    let book = book_of(&c).await;
    assert_eq!(
        book.rates.len(),
        3,
        "the rate of the 20th is not in force yet"
    );
    let via = |book: &RateBook, usd_minor: i64| {
        book.conversion(("USD", 2), ("RUB", 2), day, usd_minor)
            .map(|c| (c.source, c.rate.to_string()))
    };
    // 1 USD is 80 RUB at the personal rate, within its 100 RUB limit; 2 USD are not.
    assert_eq!(via(&book, 100), Some((RateSource::Personal, "80".into())));
    assert_eq!(via(&book, 200), Some((RateSource::Group, "85".into())));
    let other = book_of(&stranger).await;
    assert_eq!(via(&other, 200), Some((RateSource::Directory, "90".into())));
}
