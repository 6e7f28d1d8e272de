//! Credentials and sessions at the edges (issue 8): working as a client leaves no way in
//! behind, signing out ends a bearer token, the current-password check is rate-limited,
//! clearing a client's data reaches its users' token entries and deleted users, a session in
//! steady use stays alive, the bearer scheme is case-insensitive, and bodies are objects
//! with errors in JSON's words.

use crate::harness::{
    ADMIN_PASSWORD, CLIENT_PASSWORD, RowExt, Session, TestApp, problem_code, spawn,
    spawn_with_policy, val,
};
use bursar_app::Policy;
use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Creates a client whose main user is `login` and opens a "log in as client" session on it
/// for the administrator: the client's id and the impersonation session.
async fn working_as_client(t: &TestApp, admin: &Session, login: &str) -> (String, Session) {
    let main = t.client_user(login).await;
    let client_id = main.me["client_id"].as_str().unwrap().to_owned();
    let res = admin
        .post(&format!("/api/v1/clients/{client_id}/login-as"), json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let jar = reqwest::cookie::Jar::default();
    jar.add_cookie_str(
        &format!("bursar_session={token}"),
        &t.base.parse::<reqwest::Url>().unwrap(),
    );
    let client = reqwest::Client::builder()
        .cookie_provider(std::sync::Arc::new(jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let me: Value = client
        .get(t.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["client_id"], client_id.as_str(), "{me}");
    (client_id, Session::new(client, me, t.url("")))
}

#[tokio::test]
async fn working_as_a_client_creates_no_credential_that_outlives_the_session() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, as_client) = working_as_client(&t, &admin, "olga").await;

    let res = as_client
        .post(
            "/api/v1/account/users",
            json!({"login": "backdoor", "name": "Back Door", "password": "backdoor-password-1"}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "not_while_impersonating".into())
    );
    let res = as_client
        .post("/api/v1/me/tokens", json!({"name": "keep"}))
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "not_while_impersonating".into())
    );
    let res = as_client
        .post("/api/v1/auth/password-reset", json!({"login": "olga"}))
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "not_while_impersonating".into())
    );
    let res = as_client
        .post(
            "/api/v1/auth/password-reset/confirm",
            json!({"token": "x", "password": "p4ssword-long-1", "password_confirmation": "p4ssword-long-1"}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "not_while_impersonating".into())
    );
    // Nothing was planted: the would-be user cannot sign in, and no link was queued.
    let res = t
        .browser()
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({"login": "backdoor", "password": "backdoor-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let links: i64 = bursar_store::db::query("SELECT COUNT(*) AS n FROM password_resets")
        .fetch_one(t.store.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(links, 0);
    // The client's own main user still may add a user.
    let main = t.login("olga", CLIENT_PASSWORD).await;
    let main = Session::new(main.0, main.1, t.url(""));
    let res = main
        .post(
            "/api/v1/account/users",
            json!({"login": "helper", "name": "Helper", "password": "helper-password-1"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

async fn issue_token(s: &Session, name: &str) -> (String, String) {
    let res = s.post("/api/v1/me/tokens", json!({"name": name})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    (
        body["secret"].as_str().unwrap().to_owned(),
        body["token"]["id"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn signing_out_with_a_bearer_token_revokes_it() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (secret, id) = issue_token(&admin, "script").await;
    let c = t.browser();
    let res = c
        .post(t.url("/api/v1/auth/logout"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = c
        .get(t.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::UNAUTHORIZED, "unauthenticated".into())
    );
    let tokens: Value = admin.get("/api/v1/me/tokens").await.json().await.unwrap();
    let token = tokens["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id.as_str())
        .unwrap();
    assert!(!token["revoked_at"].is_null(), "{token}");
    // The browser session that issued it is untouched.
    assert_eq!(admin.get("/api/v1/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn guessing_the_current_password_is_rate_limited_like_sign_in() {
    let t = spawn().await;
    let admin = t.admin().await;
    let change = |current: &str| {
        admin.post(
            "/api/v1/me/password",
            json!({"current_password": current, "new_password": "a-new-password-9",
                   "password_confirmation": "a-new-password-9"}),
        )
    };
    let limit = Policy::default().max_failures_per_login;
    for _ in 0..limit {
        assert_eq!(
            change("wrong-guess-123").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let res = change("wrong-guess-123").await;
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(
        problem_code(res).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
    // Past the limit even the right password waits, as sign-in does.
    assert_eq!(
        change(ADMIN_PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    t.clock.advance(SignedDuration::from_mins(16));
    assert_eq!(
        change(ADMIN_PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn clearing_a_client_erases_its_users_token_entries_and_deleted_users_logins() {
    let t = spawn().await;
    let admin = t.admin().await;
    let main = t.client_user("greta").await;
    let client_id = main.me["client_id"].as_str().unwrap().to_owned();
    issue_token(&main, "laptop of greta@example.com").await;
    // A helper who acted, then was deleted before the clearing.
    let res = main
        .post(
            "/api/v1/account/users",
            json!({"login": "helperlogin", "name": "Helper", "password": "helper-password-1",
                   "functions": ["account.payers"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let helper_id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (c, me) = t.login("helperlogin", "helper-password-1").await;
    let helper = Session::new(c, me, t.url(""));
    issue_token(&helper, "phone of helper").await;
    let res = helper
        .post(
            "/api/v1/account/payers",
            json!({"kind": "person", "name": "Payer", "country": "NL"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = main
        .send(
            Method::DELETE,
            &format!("/api/v1/account/users/{helper_id}"),
            None,
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    // An entry written before token entries carried the client: found by its author.
    bursar_store::db::query(
        "UPDATE history SET client_id = NULL WHERE object_kind = 'api_token' AND actor_login = $1",
    )
    .bind("helperlogin")
    .execute(t.store.pool())
    .await
    .unwrap();

    let res = admin
        .post(
            &format!("/api/v1/clients/{client_id}/clear-data"),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let rows = bursar_store::db::query("SELECT changes, actor_login, client_id FROM history")
        .fetch_all(t.store.pool())
        .await
        .unwrap();
    let text: String = rows
        .iter()
        .map(|r| {
            let login: Option<String> = r.get("actor_login");
            format!(
                "{} {}\n",
                r.get::<String>("changes"),
                login.unwrap_or_default()
            )
        })
        .collect();
    for personal in [
        "laptop of",
        "greta@example.com",
        "phone of helper",
        "helperlogin",
    ] {
        assert!(!text.contains(personal), "{personal} survives in {text}");
    }
    let token_entries: i64 = bursar_store::db::query(
        "SELECT COUNT(*) AS n FROM history WHERE object_kind = 'api_token' AND client_id = $1",
    )
    .bind(val(&client_id))
    .fetch_one(t.store.pool())
    .await
    .unwrap()
    .get("n");
    assert!(token_entries >= 2, "the token entries belong to the client");
}

#[tokio::test]
async fn a_session_in_steady_use_outlives_a_one_minute_idle_timeout() {
    let t = spawn_with_policy(Policy {
        session_idle: SignedDuration::from_mins(1),
        ..Policy::default()
    })
    .await;
    let admin = t.admin().await;
    for _ in 0..6 {
        t.clock.advance(SignedDuration::from_secs(35));
        assert_eq!(admin.get("/api/v1/me").await.status(), StatusCode::OK);
    }
    // Left alone past the timeout, it ends.
    t.clock.advance(SignedDuration::from_secs(61));
    assert_eq!(
        admin.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (secret, _) = issue_token(&admin, "any case").await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let res = t
            .browser()
            .get(t.url("/api/v1/me"))
            .header("authorization", format!("{scheme} {secret}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{scheme}");
    }
    for wrong in [
        format!("Basic {secret}"),
        format!("Bearer{secret}"),
        "Bearer ".into(),
    ] {
        let res = t
            .browser()
            .get(t.url("/api/v1/me"))
            .header("authorization", wrong.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{wrong}");
    }
}

#[tokio::test]
async fn bodies_are_objects_and_errors_speak_json_not_rust() {
    let t = spawn().await;
    let admin = t.admin().await;
    let post = |body: &'static str| {
        admin
            .client
            .post(t.url("/api/v1/me/tokens"))
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let res = post(r#"["name", null, null]"#).await.unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], 422, "{body}");
    assert_eq!(body["code"], "body_not_object", "{body}");
    let tokens: Value = admin.get("/api/v1/me/tokens").await.json().await.unwrap();
    assert!(
        tokens["items"].as_array().unwrap().is_empty(),
        "no token made"
    );

    // Nor does a list where a nested object belongs (serde would bind it by position).
    let res = admin
        .post(
            "/api/v1/tariffs",
            json!({"product_type_id": uuid::Uuid::now_v7(), "provider_id": uuid::Uuid::now_v7(),
                   "name_en": "A", "name_ru": "Б", "prices": [["month1", "5.00", "0.00"]]}),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "invalid_body", "{body}");
    assert_eq!(body["errors"][0]["field"], "prices[0]", "{body}");

    let res = post(r#"{"name": "x", "expires_in_days": "ten"}"#)
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "invalid_body", "{body}");
    assert_eq!(body["errors"][0]["field"], "expires_in_days", "{body}");
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("a whole number from 0 to"), "{detail}");
    for rust in ["u32", "struct", "CreateTokenBody", "Option"] {
        assert!(!body.to_string().contains(rust), "{rust} in {body}");
    }
    let res = post(r#"{"name": "x", "expires_in_days": -1}"#)
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    assert!(!body.to_string().contains("u32"), "{body}");
}
