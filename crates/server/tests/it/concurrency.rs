//! Parallel HTTP requests against the invariants of DESIGN.md ("Data and concurrency rules"):
//! a use case that reads, decides and writes must not decide on a stale read, on SQLite and on
//! PostgreSQL alike. Each test releases its requests together (one task each, behind a
//! barrier) and then checks the final state and the counts of outcomes, never timing: a
//! request that loses a race may be refused (404 or 409 with a code), but none may fail (5xx)
//! and none may report a success whose effect is missing.

#[allow(unused_imports)]
use crate::harness::RowExt as _;
use crate::harness::{
    ADMIN_PASSWORD, Session, TestApp, new_client, new_provider, problem_code, spawn,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tokio::sync::Barrier;

const PW: &str = "client-password-9";
const STAFF_PW: &str = "employee-password-1";

/// One request of a burst, named for the tally.
pub(crate) struct Call {
    label: String,
    req: reqwest::RequestBuilder,
}

pub(crate) fn call(
    label: impl Into<String>,
    s: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Call {
    Call {
        label: label.into(),
        req: s.request(method, path, body),
    }
}

#[derive(Debug)]
pub(crate) struct Outcome {
    label: String,
    pub(crate) status: StatusCode,
    /// The problem's `code` (empty on a success).
    pub(crate) code: String,
    pub(crate) body: Value,
}

impl Outcome {
    fn ok(&self) -> bool {
        self.status.is_success()
    }
}

pub(crate) struct Outcomes(pub(crate) Vec<Outcome>);

/// Sends every call at once: each from its own task, all released together by a barrier.
pub(crate) async fn burst(calls: Vec<Call>) -> Outcomes {
    let barrier = Arc::new(Barrier::new(calls.len()));
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|c| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let res = c.req.send().await.unwrap();
                let status = res.status();
                let body: Value = res.json().await.unwrap_or(Value::Null);
                let code = body["code"].as_str().unwrap_or_default().to_owned();
                Outcome {
                    label: c.label,
                    status,
                    code,
                    body,
                }
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in futures_util::future::join_all(tasks).await {
        out.push(t.unwrap());
    }
    Outcomes(out)
}

impl Outcomes {
    /// "label status code: count" per kind of outcome, for failure messages.
    fn tally(&self) -> String {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for o in &self.0 {
            let key = format!("{} {} {}", o.label, o.status.as_u16(), o.code);
            *counts.entry(key.trim_end().to_owned()).or_default() += 1;
        }
        counts
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn with(&self, label: &str) -> impl Iterator<Item = &Outcome> {
        self.0.iter().filter(move |o| o.label == label)
    }

    pub(crate) fn succeeded(&self, label: &str) -> usize {
        self.with(label).filter(|o| o.ok()).count()
    }

    /// No response is a 5xx, and every refusal is one of `allowed` with a problem code.
    /// Prints the tally (shown when the test fails).
    pub(crate) fn check(&self, what: &str, allowed: &[StatusCode]) {
        eprintln!("{what}: [{}]", self.tally());
        for o in &self.0 {
            assert!(
                !o.status.is_server_error(),
                "{what}: {} answered {} {}; outcomes: [{}]",
                o.label,
                o.status,
                o.body,
                self.tally()
            );
            if !o.ok() {
                assert!(
                    allowed.contains(&o.status) && !o.code.is_empty(),
                    "{what}: {} was refused with {} {}; outcomes: [{}]",
                    o.label,
                    o.status,
                    o.body,
                    self.tally()
                );
            }
        }
    }
}

const RACE_LOSERS: [StatusCode; 2] = [StatusCode::NOT_FOUND, StatusCode::CONFLICT];

async fn json_of(s: &Session, path: &str) -> Value {
    let res = s.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

/// `SELECT COUNT(*) AS n …` with one text parameter, straight from the database.
async fn count(t: &TestApp, sql: &'static str, arg: &str) -> i64 {
    bursar_store::db::query(sql)
        .bind(crate::harness::val(arg))
        .fetch_one(t.store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// The personal data a cleared client's card may still show, as readable complaints.
fn unerased(card: &Value) -> Vec<String> {
    let mut left = Vec::new();
    if card["anonymized"] != true {
        left.push("not marked anonymised".to_owned());
    }
    if card["name"] != "Erased client" {
        left.push(format!("name {}", card["name"]));
    }
    if !card["email"]
        .as_str()
        .unwrap_or_default()
        .ends_with("@erased.invalid")
    {
        left.push(format!("email {}", card["email"]));
    }
    for field in ["phone", "label", "comment"] {
        if !card[field].is_null() {
            left.push(format!("{field} {}", card[field]));
        }
    }
    for u in card["users"].as_array().unwrap() {
        let erased = u["login"]
            .as_str()
            .unwrap_or_default()
            .starts_with("erased:")
            && u["name"] == "Erased user"
            && u["email"].is_null()
            && u["is_active"] == false;
        if !erased {
            left.push(format!("user {u}"));
        }
    }
    for p in card["payers"].as_array().unwrap() {
        let erased = p["name"] == "Erased payer"
            && p["address"].is_null()
            && p["tax_number"].is_null()
            && p["email"].is_null();
        if !erased {
            left.push(format!("payer {p}"));
        }
    }
    left
}

/// 1. Clearing a client's data while six edits of it run: the client ends erased, and stays
///    frozen.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clearing_data_during_parallel_edits_leaves_the_client_erased() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = new_provider(&admin, "Hosting", "EUR", false).await;
    for round in 0..3 {
        let c = new_client(&admin, json!({"email": format!("greta{round}@x.example"), "providers": [p], "name": format!("Greta Private {round}"), "comment": "secret note"})).await;
        let path = format!("/api/v1/clients/{}", id_of(&c));
        let mut calls = vec![call(
            "clear",
            &admin,
            Method::POST,
            &format!("{path}/clear-data"),
            Some(json!({})),
        )];
        let edits = [
            json!({"name": format!("Revived Name {round}")}),
            json!({"email": format!("revived{round}@x.example")}),
            json!({"phone": "+49 30 7654321"}),
            json!({"comment": "revived comment"}),
            json!({"label": "revived"}),
            json!({"country": "DE", "name": "Revived Too"}),
        ];
        for e in edits {
            calls.push(call("edit", &admin, Method::PATCH, &path, Some(e)));
        }
        let out = burst(calls).await;
        let what = format!("round {round}");
        out.check(&what, &RACE_LOSERS);
        assert_eq!(out.succeeded("clear"), 1, "{what}: [{}]", out.tally());
        for o in out.with("edit").filter(|o| !o.ok()) {
            assert_eq!(o.code, "client_anonymized", "{what}: [{}]", out.tally());
        }
        let card = json_of(&admin, &path).await;
        let left = unerased(&card);
        assert!(
            left.is_empty(),
            "{what}: personal data survived clearing: {left:?}; outcomes: [{}]",
            out.tally()
        );
        let res = admin
            .send(Method::PATCH, &path, Some(json!({"name": "Later Edit"})))
            .await;
        assert_eq!(
            problem_code(res).await,
            (StatusCode::CONFLICT, "client_anonymized".to_owned()),
            "{what}: a later edit"
        );
    }
}

/// 2. Seven parallel edits of one client, each of another field: every change that was
///    answered with a success is there afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_edits_of_different_fields_all_stay() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = new_provider(&admin, "Hosting", "EUR", false).await;
    let digits = |v: &Value| -> String {
        v.as_str()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    };
    for round in 0..3 {
        let c = new_client(
            &admin,
            json!({"email": format!("seven{round}@x.example"), "providers": [p], "name": "Original Name"}),
        )
        .await;
        let path = format!("/api/v1/clients/{}", id_of(&c));
        let edits: [(&str, Value); 7] = [
            ("name", json!("Seventh Heaven")),
            ("locale", json!("ru")),
            ("country", json!("DE")),
            ("phone", json!("+49 30 1234567")),
            ("label", json!("vip")),
            ("characteristic", json!("good")),
            ("comment", json!("seven edits")),
        ];
        let calls = edits
            .iter()
            .map(|(field, value)| {
                call(
                    *field,
                    &admin,
                    Method::PATCH,
                    &path,
                    Some(json!({ *field: value })),
                )
            })
            .collect();
        let out = burst(calls).await;
        let what = format!("round {round}");
        out.check(&what, &RACE_LOSERS);
        let card = json_of(&admin, &path).await;
        let mut missing = Vec::new();
        for (field, value) in &edits {
            if out.succeeded(field) == 0 {
                continue;
            }
            let present = if *field == "phone" {
                digits(&card["phone"]) == digits(value)
            } else {
                card[*field] == *value
            };
            if !present {
                missing.push(format!(
                    "{field}: wanted {value}, card has {}",
                    card[*field]
                ));
            }
        }
        assert!(
            missing.is_empty(),
            "{what}: successful edits lost: {missing:?}; outcomes: [{}]",
            out.tally()
        );
    }
}

/// 3. Twenty parallel comment edits: the history tells one story, each entry's old value
///    being the previous entry's new one.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_comment_edits_leave_one_chain_of_history() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = new_provider(&admin, "Hosting", "EUR", false).await;
    let c = new_client(
        &admin,
        json!({"email": "chain@x.example", "providers": [p], "name": "Chained", "comment": "c00"}),
    )
    .await;
    let id = id_of(&c);
    let path = format!("/api/v1/clients/{id}");
    let calls = (1..=20)
        .map(|n| {
            call(
                "edit",
                &admin,
                Method::PATCH,
                &path,
                Some(json!({"comment": format!("c{n:02}")})),
            )
        })
        .collect();
    let out = burst(calls).await;
    out.check("comment edits", &RACE_LOSERS);
    let history = json_of(&admin, &format!("{path}/history?per_page=200")).await;
    let mut steps: Vec<(String, String)> = Vec::new();
    for e in history["items"].as_array().unwrap() {
        if e["object_kind"] != "client" || e["action"] != "update" {
            continue;
        }
        for ch in e["changes"].as_array().unwrap() {
            if ch["field"] == "comment" {
                steps.push((
                    ch["old"].as_str().unwrap_or_default().to_owned(),
                    ch["new"].as_str().unwrap_or_default().to_owned(),
                ));
            }
        }
    }
    let ok = out.succeeded("edit");
    let report = format!("entries (old→new): {steps:?}; outcomes: [{}]", out.tally());
    assert_eq!(steps.len(), ok, "one entry per successful edit; {report}");
    let mut next: BTreeMap<&str, &str> = BTreeMap::new();
    let mut shared = Vec::new();
    for (old, new) in &steps {
        if next.insert(old, new).is_some() {
            shared.push(old.as_str());
        }
    }
    assert!(
        shared.is_empty(),
        "entries claim the same old value {shared:?}; {report}"
    );
    let mut at = "c00";
    let mut walked = 0;
    while let Some(n) = next.get(at) {
        at = n;
        walked += 1;
        assert!(walked <= steps.len(), "the history loops; {report}");
    }
    assert_eq!(
        walked,
        steps.len(),
        "the entries do not form one chain from c00; {report}"
    );
    let card = json_of(&admin, &path).await;
    assert_eq!(
        card["comment"], at,
        "the chain ends at the comment kept; {report}"
    );
}

/// 4. Ten parallel first payers: exactly one of them is the default.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_first_payers_make_exactly_one_default() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = new_provider(&admin, "Hosting", "EUR", false).await;
    for round in 0..2 {
        let c = new_client(
            &admin,
            json!({"email": format!("payers{round}@x.example"), "providers": [p], "name": "Payer Less"}),
        )
        .await;
        let path = format!("/api/v1/clients/{}/payers", id_of(&c));
        let calls = (0..10)
            .map(|n| {
                call(
                    "add payer",
                    &admin,
                    Method::POST,
                    &path,
                    Some(json!({"kind": "person", "name": format!("Payer {n}"), "country": "FR"})),
                )
            })
            .collect();
        let out = burst(calls).await;
        let what = format!("round {round}");
        out.check(&what, &RACE_LOSERS);
        let payers = json_of(&admin, &path).await;
        let items = payers["items"].as_array().unwrap();
        let defaults = items.iter().filter(|p| p["is_default"] == true).count();
        assert_eq!(
            items.len(),
            out.succeeded("add payer"),
            "{what}: one payer per success; outcomes: [{}]",
            out.tally()
        );
        assert_eq!(
            defaults,
            1,
            "{what}: {defaults} default payers among {}; outcomes: [{}]",
            items.len(),
            out.tally()
        );
    }
}

/// 5. Ten parallel new clients with login X and ten with e-mail X: one of them gets X.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_new_clients_share_one_login_or_e_mail() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = new_provider(&admin, "Domains", "EUR", true).await;
    for round in 0..4 {
        let x = format!("contested{round}@x.example");
        let mut calls = Vec::new();
        for n in 0..10 {
            calls.push(call(
                "login X",
                &admin,
                Method::POST,
                "/api/v1/clients",
                Some(json!({"login": x, "email": format!("by-login-{round}-{n}@x.example"), "providers": [p], "name": "By Login", "password": PW, "password_confirmation": PW})),
            ));
            calls.push(call(
                "email X",
                &admin,
                Method::POST,
                "/api/v1/clients",
                Some(json!({"login": format!("by-email-{round}-{n}"), "email": x, "providers": [p], "name": "By Email", "password": PW, "password_confirmation": PW})),
            ));
        }
        let out = burst(calls).await;
        let what = format!("round {round}");
        out.check(&what, &[StatusCode::CONFLICT]);
        for o in out.0.iter().filter(|o| !o.ok()) {
            assert!(
                o.code == "login_taken" || o.code == "email_taken",
                "{what}: {} refused with {}; outcomes: [{}]",
                o.label,
                o.code,
                out.tally()
            );
        }
        let holders = count(
            &t,
            "SELECT COUNT(*) AS n FROM users WHERE login = $1 OR email = $1",
            &x,
        )
        .await;
        let created = out.succeeded("login X") + out.succeeded("email X");
        assert_eq!(
            (created, holders),
            (1, 1),
            "{what}: clients created and users holding {x}; outcomes: [{}]",
            out.tally()
        );
    }
}

/// 6. Deleting a client while payers are added to it: nothing fails, nothing is left behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleting_a_client_while_payers_are_added() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = new_provider(&admin, "Hosting", "EUR", false).await;
    for round in 0..6 {
        let c = new_client(
            &admin,
            json!({"email": format!("doomed{round}@x.example"), "providers": [p], "name": "Doomed"}),
        )
        .await;
        let id = id_of(&c);
        let path = format!("/api/v1/clients/{id}");
        let mut calls = vec![call("delete", &admin, Method::DELETE, &path, None)];
        for n in 0..6 {
            calls.push(call(
                "add payer",
                &admin,
                Method::POST,
                &format!("{path}/payers"),
                Some(json!({"kind": "person", "name": format!("Payer {n}"), "country": "FR"})),
            ));
        }
        let out = burst(calls).await;
        let what = format!("round {round}");
        out.check(&what, &RACE_LOSERS);
        let payers = count(
            &t,
            "SELECT COUNT(*) AS n FROM payers WHERE client_id = $1",
            &id,
        )
        .await;
        if out.succeeded("delete") == 1 {
            assert_eq!(
                admin.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{what}: deleted; outcomes: [{}]",
                out.tally()
            );
            assert_eq!(
                payers,
                0,
                "{what}: payers outlived their client; outcomes: [{}]",
                out.tally()
            );
        } else {
            assert_eq!(
                usize::try_from(payers).unwrap(),
                out.succeeded("add payer"),
                "{what}: the client stayed with one payer per success; outcomes: [{}]",
                out.tally()
            );
        }
    }
}

/// 7a. Parallel attempts to disable or demote the only two full-access employees leave at
///     least one.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_last_full_access_account_survives_parallel_demotions() {
    let t = spawn().await;
    let admin = t.admin().await;
    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "root2", "name": "Second Admin", "full_access": true, "password": STAFF_PW}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    for round in 0..4 {
        // Both are full-access and active again; signed in afresh (disabling ends sessions).
        bursar_store::db::query(
            "UPDATE users SET full_access = TRUE, is_active = TRUE WHERE login IN ('admin', 'root2')",
        )
        .execute(t.store.pool())
        .await
        .unwrap();
        let (c, me) = t.login("admin", ADMIN_PASSWORD).await;
        let a = Session::new(c, me, t.base.clone());
        let (c, me) = t.login("root2", STAFF_PW).await;
        let b = Session::new(c, me, t.base.clone());
        let a_path = format!("/api/v1/staff/{}", id_of(&a.me));
        let b_path = format!("/api/v1/staff/{}", id_of(&b.me));
        let off = Some(json!({"is_active": false}));
        let demote = Some(json!({"full_access": false}));
        let calls = vec![
            call("a disables b", &a, Method::PATCH, &b_path, off.clone()),
            call("b disables a", &b, Method::PATCH, &a_path, off),
            call("a demotes b", &a, Method::PATCH, &b_path, demote.clone()),
            call("b demotes a", &b, Method::PATCH, &a_path, demote.clone()),
            call("a demotes a", &a, Method::PATCH, &a_path, demote.clone()),
            call("b demotes b", &b, Method::PATCH, &b_path, demote),
        ];
        let out = burst(calls).await;
        let what = format!("round {round}");
        // A caller who lost its rights or its account meanwhile is refused at the door.
        out.check(
            &what,
            &[
                StatusCode::UNAUTHORIZED,
                StatusCode::FORBIDDEN,
                StatusCode::NOT_FOUND,
                StatusCode::CONFLICT,
            ],
        );
        let left = count(
            &t,
            "SELECT COUNT(*) AS n FROM users WHERE kind = $1 AND full_access = TRUE AND is_active = TRUE",
            "staff",
        )
        .await;
        assert!(
            left >= 1,
            "{what}: no active full-access account left; outcomes: [{}]",
            out.tally()
        );
    }
}

/// 7b. Parallel "make default" of different payers: exactly one default.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_make_default_leaves_one_default_payer() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = new_provider(&admin, "Hosting", "EUR", false).await;
    let c = new_client(
        &admin,
        json!({"email": "defaults@x.example", "providers": [p], "name": "Many Payers"}),
    )
    .await;
    let path = format!("/api/v1/clients/{}/payers", id_of(&c));
    for n in 0..5 {
        let res = admin
            .post(
                &path,
                json!({"kind": "person", "name": format!("Payer {n}"), "country": "FR"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    for round in 0..3 {
        let payers = json_of(&admin, &path).await;
        let mut calls: Vec<Call> = payers["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["is_default"] == false)
            .map(|p| {
                call(
                    "make default",
                    &admin,
                    Method::PATCH,
                    &format!("{path}/{}", id_of(p)),
                    Some(json!({"is_default": true})),
                )
            })
            .collect();
        calls.push(call(
            "add default",
            &admin,
            Method::POST,
            &path,
            Some(json!({"kind": "company", "name": format!("New Default {round}"), "country": "DE", "is_default": true})),
        ));
        let out = burst(calls).await;
        let what = format!("round {round}");
        out.check(&what, &RACE_LOSERS);
        let payers = json_of(&admin, &path).await;
        let defaults: Vec<&Value> = payers["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["is_default"] == true)
            .collect();
        assert_eq!(
            defaults.len(),
            1,
            "{what}: default payers {defaults:?}; outcomes: [{}]",
            out.tally()
        );
    }
}

/// 7c. Logins and e-mail addresses are one namespace: while one user's login is set to X and
///     another's e-mail to X, at most one of them gets it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_login_and_an_e_mail_set_to_one_value_in_parallel_do_not_both_win() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = new_provider(&admin, "Hosting", "EUR", false).await;
    // Two clients whose main user's login follows the client's e-mail while the user's own
    // e-mail stays: editing the client's e-mail sets that login only.
    let mut client_paths = Vec::new();
    for name in ["alpha", "bravo"] {
        let c = new_client(
            &admin,
            json!({"email": format!("{name}@x.example"), "providers": [p], "name": name}),
        )
        .await;
        let path = format!("/api/v1/clients/{}", id_of(&c));
        let main = c["main_user_id"].as_str().unwrap();
        let res = admin
            .send(
                Method::PATCH,
                &format!("{path}/users/{main}"),
                Some(json!({"email": format!("{name}-own@x.example")})),
            )
            .await;
        assert!(res.status().is_success(), "{}", res.status());
        client_paths.push(path);
    }
    // Two employees whose e-mail is set.
    let mut staff_paths = Vec::new();
    for login in ["staffer1", "staffer2"] {
        let res = admin
            .post(
                "/api/v1/staff",
                json!({"login": login, "name": "Staffer", "password": STAFF_PW}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let created: Value = res.json().await.unwrap();
        staff_paths.push(format!("/api/v1/staff/{}", id_of(&created["staff"])));
    }
    for round in 0..6 {
        let x = format!("identity{round}@x.example");
        let mut calls = Vec::new();
        for path in &client_paths {
            calls.push(call(
                "login X",
                &admin,
                Method::PATCH,
                path,
                Some(json!({"email": x})),
            ));
        }
        for path in &staff_paths {
            calls.push(call(
                "email X",
                &admin,
                Method::PATCH,
                path,
                Some(json!({"email": x})),
            ));
        }
        let out = burst(calls).await;
        let what = format!("round {round}");
        out.check(&what, &[StatusCode::CONFLICT]);
        let holders = count(
            &t,
            "SELECT COUNT(*) AS n FROM users WHERE login = $1 OR email = $1",
            &x,
        )
        .await;
        let won = out.succeeded("login X") + out.succeeded("email X");
        assert_eq!(
            (won, holders),
            (1, 1),
            "{what}: successes and users holding {x}; outcomes: [{}]",
            out.tally()
        );
    }
}

/// 7d. A client is frozen once cleared: users and payers added while its data is cleared
///     are either erased with the rest or refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nothing_personal_is_added_while_a_client_is_cleared() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = new_provider(&admin, "Hosting", "EUR", false).await;
    for round in 0..3 {
        let c = new_client(&admin, json!({"email": format!("frozen{round}@x.example"), "providers": [p], "name": "Frozen Client", "password": PW, "password_confirmation": PW})).await;
        let path = format!("/api/v1/clients/{}", id_of(&c));
        let res = admin
            .post(
                &format!("{path}/payers"),
                json!({"kind": "person", "name": "First Payer", "country": "FR"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let mut calls = vec![call(
            "clear",
            &admin,
            Method::POST,
            &format!("{path}/clear-data"),
            Some(json!({})),
        )];
        for n in 0..3 {
            calls.push(call(
                "add user",
                &admin,
                Method::POST,
                &format!("{path}/users"),
                Some(json!({"login": format!("late-user-{round}-{n}"), "name": "Late User", "email": format!("late-user-{round}-{n}@x.example"), "password": PW})),
            ));
            calls.push(call(
                "add payer",
                &admin,
                Method::POST,
                &format!("{path}/payers"),
                Some(json!({"kind": "company", "name": format!("Late Payer {n}"), "country": "DE", "tax_number": format!("DE{round}{n}"), "email": format!("late-payer-{n}@x.example")})),
            ));
        }
        let out = burst(calls).await;
        let what = format!("round {round}");
        out.check(&what, &RACE_LOSERS);
        assert_eq!(out.succeeded("clear"), 1, "{what}: [{}]", out.tally());
        for o in out.0.iter().filter(|o| !o.ok()) {
            assert_eq!(o.code, "client_anonymized", "{what}: [{}]", out.tally());
        }
        let card = json_of(&admin, &path).await;
        let left = unerased(&card);
        let users = card["users"].as_array().unwrap().len();
        let payers = card["payers"].as_array().unwrap().len();
        assert!(
            left.is_empty(),
            "{what}: personal data left after clearing: {left:?}; outcomes: [{}]",
            out.tally()
        );
        assert_eq!(
            (users, payers),
            (
                1 + out.succeeded("add user"),
                1 + out.succeeded("add payer")
            ),
            "{what}: users and payers on the card; outcomes: [{}]",
            out.tally()
        );
        let mut logins = BTreeSet::new();
        for u in card["users"].as_array().unwrap() {
            logins.insert(u["login"].as_str().unwrap().to_owned());
        }
        assert_eq!(logins.len(), users, "{what}: erased logins are distinct");
    }
}

/// Item 7 of the spine issue: a page and its total come from one snapshot. While a
/// snapshot transaction is open, clients created and committed elsewhere are not in it:
/// its count and its page agree with each other, not with the newer state.
#[tokio::test]
async fn a_snapshot_read_does_not_see_commits_made_after_it_began() {
    use bursar_app::ports::{ClientFilter, Page, Store};
    let t = spawn().await;
    let admin = t.admin().await;
    let provider = crate::harness::new_provider(&admin, "Snap", "EUR", false).await;
    let make = |n: usize| json!({"email": format!("snap{n}@x.example"), "name": format!("Snap {n}"), "providers": [provider]});
    crate::harness::new_client(&admin, make(0)).await;
    let page = Page {
        number: 1,
        size: 50,
    };
    let mut snap = t.store.snapshot().await.unwrap();
    let (items, total) = snap
        .list_clients(&ClientFilter::default(), page)
        .await
        .unwrap();
    assert_eq!((items.len(), total), (1, 1));
    for n in 1..4 {
        crate::harness::new_client(&admin, make(n)).await;
    }
    let (items, total) = snap
        .list_clients(&ClientFilter::default(), page)
        .await
        .unwrap();
    assert_eq!(
        (items.len(), total),
        (1, 1),
        "the snapshot saw later commits"
    );
    snap.commit().await.unwrap();
    let mut fresh = t.store.snapshot().await.unwrap();
    let (items, total) = fresh
        .list_clients(&ClientFilter::default(), page)
        .await
        .unwrap();
    assert_eq!((items.len(), total), (4, 4));
}

/// A client with an account at a new provider, and that provider's bank-transfer method.
async fn money_client(admin: &Session) -> (String, String) {
    let p = new_provider(admin, "Parallel Hosting", "EUR", false).await;
    let c = new_client(
        admin,
        json!({"email": "parallel-money@x.example", "providers": [p], "name": "Parallel"}),
    )
    .await;
    (c["id"].as_str().unwrap().to_owned(), p)
}

async fn balance_of(admin: &Session, client: &str) -> (Value, i64) {
    let list = json_of(admin, &format!("/api/v1/clients/{client}/accounts")).await;
    let account = list["items"][0].clone();
    let ledger = json_of(
        admin,
        &format!(
            "/api/v1/accounts/{}/ledger",
            account["id"].as_str().unwrap()
        ),
    )
    .await;
    (
        account["balance"]["amount"].clone(),
        ledger["total"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn parallel_credits_to_one_account_all_land_exactly_once() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (c, p) = money_client(&admin).await;
    let mut ids = Vec::new();
    for _ in 0..32 {
        let pay = crate::harness::issue_payment(&admin, &c, &p, "1.25").await;
        ids.push(pay["id"].as_str().unwrap().to_owned());
    }
    let calls = ids
        .iter()
        .map(|id| {
            call(
                "credit",
                &admin,
                Method::POST,
                &format!("/api/v1/payments/{id}/credit"),
                None,
            )
        })
        .collect();
    let out = burst(calls).await;
    out.check("32 credits", &[]);
    assert_eq!(out.succeeded("credit"), 32);
    assert_eq!(balance_of(&admin, &c).await, (json!("40.00"), 32));
    t.assert_books_balance().await;
}

#[tokio::test]
async fn parallel_replays_of_one_idempotency_key_credit_once_and_answer_alike() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (c, p) = money_client(&admin).await;
    let pay = crate::harness::issue_payment(&admin, &c, &p, "9.99").await;
    let path = format!("/api/v1/payments/{}/credit", pay["id"].as_str().unwrap());
    let calls = (0..10)
        .map(|_| Call {
            label: "replay".to_owned(),
            req: admin
                .request(Method::POST, &path, None)
                .header("idempotency-key", "one-key"),
        })
        .collect();
    let out = burst(calls).await;
    out.check("10 replays", &[]);
    assert_eq!(out.succeeded("replay"), 10);
    let first = &out.0[0].body;
    assert!(
        out.0.iter().all(|o| &o.body == first),
        "identical answers: [{}]",
        out.tally()
    );
    assert_eq!(balance_of(&admin, &c).await, (json!("9.99"), 1));
    t.assert_books_balance().await;
}

#[tokio::test]
async fn debits_racing_credits_never_take_a_prepaid_balance_below_zero() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (c, p) = money_client(&admin).await;
    crate::harness::pay_in(&admin, &c, &p, "3.00").await;
    let mut credits = Vec::new();
    for _ in 0..6 {
        let pay = crate::harness::issue_payment(&admin, &c, &p, "1.00").await;
        credits.push(pay["id"].as_str().unwrap().to_owned());
    }
    let mut calls: Vec<Call> = credits
        .iter()
        .map(|id| {
            call(
                "credit",
                &admin,
                Method::POST,
                &format!("/api/v1/payments/{id}/credit"),
                None,
            )
        })
        .collect();
    for _ in 0..14 {
        calls.push(call(
            "debit",
            &admin,
            Method::POST,
            "/api/v1/expenses",
            Some(
                json!({"client_id": c, "provider_id": p, "description": "Race", "amount": "1.00"}),
            ),
        ));
    }
    let out = burst(calls).await;
    out.check("debits racing credits", &[StatusCode::CONFLICT]);
    assert!(
        out.with("debit")
            .filter(|o| !o.ok())
            .all(|o| o.code == "insufficient_funds")
    );
    assert_eq!(out.succeeded("credit"), 6);
    let debits = out.succeeded("debit");
    assert!(
        debits <= 9,
        "at most the money there was: [{}]",
        out.tally()
    );
    let (balance, entries) = balance_of(&admin, &c).await;
    let left = 9 - i64::try_from(debits).unwrap();
    assert_eq!(balance, json!(format!("{left}.00")));
    assert!(left >= 0);
    assert_eq!(entries, 7 + i64::try_from(debits).unwrap());
    t.assert_books_balance().await;
}

#[tokio::test]
async fn parallel_account_creations_leave_one_active_account_per_provider() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (c, p) = money_client(&admin).await;
    let calls = (0..10)
        .map(|_| {
            call(
                "create",
                &admin,
                Method::POST,
                &format!("/api/v1/clients/{c}/accounts"),
                Some(json!({"provider_id": p})),
            )
        })
        .collect();
    let out = burst(calls).await;
    out.check("10 account creations", &[StatusCode::CONFLICT]);
    assert_eq!(out.succeeded("create"), 1, "[{}]", out.tally());
    assert!(
        out.with("create")
            .filter(|o| !o.ok())
            .all(|o| o.code == "account_exists")
    );
    let list = json_of(&admin, &format!("/api/v1/clients/{c}/accounts")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    t.assert_books_balance().await;
}

#[tokio::test]
async fn parallel_invoices_get_gapless_numbers_and_open_one_account() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (c, p) = money_client(&admin).await;
    let method = crate::harness::method_of(&admin, &p, "bank_transfer").await;
    let calls = (0..16)
        .map(|_| {
            call(
                "issue",
                &admin,
                Method::POST,
                "/api/v1/payments",
                Some(json!({"client_id": c, "method_id": method, "amount": "1.00"})),
            )
        })
        .collect();
    let out = burst(calls).await;
    out.check("16 invoices", &[]);
    assert_eq!(out.succeeded("issue"), 16);
    let mut numbers: Vec<String> = out
        .0
        .iter()
        .map(|o| o.body["number"].as_str().unwrap().to_owned())
        .collect();
    numbers.sort();
    let year = &numbers[0][..4];
    let expected: Vec<String> = (1..=16).map(|n| format!("{year}-{n:06}")).collect();
    assert_eq!(numbers, expected, "unique and gapless");
    let list = json_of(&admin, &format!("/api/v1/clients/{c}/accounts")).await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "the first movements opened one account"
    );
    t.assert_books_balance().await;
}

#[tokio::test]
async fn parallel_product_types_with_one_internal_name_leave_one() {
    let t = spawn().await;
    let admin = t.admin().await;
    let calls = (0..8)
        .map(|i| {
            call(
                "create",
                &admin,
                Method::POST,
                "/api/v1/product-types",
                Some(json!({"key": "vps", "name_en": format!("VPS {i}"), "name_ru": "ВПС"})),
            )
        })
        .collect();
    let out = burst(calls).await;
    out.check("8 product types", &[StatusCode::CONFLICT]);
    assert_eq!(out.succeeded("create"), 1, "[{}]", out.tally());
    assert!(
        out.with("create")
            .filter(|o| !o.ok())
            .all(|o| o.code == "name_taken")
    );
}
