//! Sign-in, sessions and passwords through the API.

use crate::harness::{ADMIN_PASSWORD, CLIENT_PASSWORD, TestApp, problem_code, spawn, spawn_with};
use bursar::forwarded::TrustedProxies;
use bursar::router;
use bursar_app::Policy;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn administrator_signs_in_and_holds_every_staff_function() {
    let t = spawn().await;
    let admin = t.admin().await;
    let me: serde_json::Value = admin.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["login"], "admin");
    assert_eq!(me["kind"], "staff");
    assert_eq!(me["full_access"], true);
    let functions: Vec<&str> = me["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(functions.contains(&"history.view"));
    assert!(!functions.contains(&"dashboard.client"));
}

#[tokio::test]
async fn client_user_signs_in_with_email_and_is_refused_staff_functions() {
    let t = spawn().await;
    let _ = t.client_user("acme").await;
    let (c, me) = t.login("ACME@example.com", CLIENT_PASSWORD).await;
    assert_eq!(me["kind"], "client");
    assert!(me["client_id"].is_string());
    let res = c.get(t.url("/api/v1/history")).send().await.unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "forbidden".to_owned())
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_login_get_the_same_answer() {
    let t = spawn().await;
    let c = t.browser();
    for login in ["admin", "nobody"] {
        let res = c
            .post(t.url("/api/v1/auth/login"))
            .json(&json!({"login": login, "password": "wrong-password-1"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            problem_code(res).await,
            (StatusCode::UNAUTHORIZED, "invalid_credentials".to_owned())
        );
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_login_with_retry_after() {
    let t = spawn().await;
    let c = t.browser();
    for _ in 0..5 {
        let res = c
            .post(t.url("/api/v1/auth/login"))
            .json(&json!({"login": "admin", "password": "nope-nope-1"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while locked.
    let res = c
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({"login": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0 && retry_after <= 15 * 60);
    assert_eq!(
        problem_code(res).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".to_owned())
    );
    // After the window the login works again.
    t.clock.advance(jiff::SignedDuration::from_mins(16));
    let _ = t.admin().await;
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_gets_no_more_tries_than_the_limit() {
    let limit = Policy::default().max_failures_per_login;
    let t = spawn().await;
    let c = t.browser();
    let guess = || {
        c.post(t.url("/api/v1/auth/login"))
            .json(&json!({"login": "admin", "password": "nope-nope-1"}))
            .send()
    };
    let burst = futures_util::future::join_all((0..3 * limit).map(|_| guess())).await;
    let mut checked = 0;
    for res in burst {
        match res.unwrap().status() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    // Whatever the burst got, the guesses checked in all never exceed the limit.
    while guess().await.unwrap().status() == StatusCode::UNAUTHORIZED {
        checked += 1;
        assert!(checked <= limit, "more than {limit} guesses were checked");
    }
    assert_eq!(checked, limit);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let t = spawn().await;
    let admin = t.admin().await;
    let res = admin
        .send(reqwest::Method::POST, "/api/v1/auth/logout", None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = admin.get("/api/v1/me").await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::UNAUTHORIZED, "unauthenticated".to_owned())
    );
}

#[tokio::test]
async fn sessions_expire_after_inactivity_but_activity_keeps_them() {
    let t = spawn().await;
    let admin = t.admin().await;
    t.clock.advance(jiff::SignedDuration::from_mins(50));
    assert_eq!(admin.get("/api/v1/me").await.status(), StatusCode::OK);
    t.clock.advance(jiff::SignedDuration::from_mins(50));
    assert_eq!(admin.get("/api/v1/me").await.status(), StatusCode::OK);
    t.clock.advance(jiff::SignedDuration::from_mins(61));
    assert_eq!(
        admin.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn signing_in_again_rotates_the_session() {
    let t = spawn().await;
    let c = t.browser();
    let login = |c: reqwest::Client| {
        let url = t.url("/api/v1/auth/login");
        async move {
            let body: serde_json::Value = c
                .post(url)
                .json(&json!({"login": "admin", "password": ADMIN_PASSWORD}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["token"].as_str().unwrap().to_owned()
        }
    };
    let first = login(c.clone()).await;
    let second = login(c.clone()).await;
    assert_ne!(first, second);
    let old = t
        .browser()
        .get(t.url("/api/v1/me"))
        .header("cookie", format!("bursar_session={first}"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = t
        .browser()
        .get(t.url("/api/v1/me"))
        .header("cookie", format!("bursar_session={second}"))
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), StatusCode::OK);
}

#[tokio::test]
async fn session_requests_that_change_state_need_the_csrf_token() {
    let t = spawn().await;
    let admin = t.admin().await;
    let res = admin
        .client
        .post(t.url("/api/v1/me/tokens"))
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "csrf_token_invalid".to_owned())
    );
    let res = admin
        .client
        .post(t.url("/api/v1/me/tokens"))
        .header("x-csrf-token", "forged")
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "csrf_token_invalid".to_owned())
    );
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_ends_other_sessions() {
    let t = spawn().await;
    let admin = t.admin().await;
    let other = t.admin().await;
    let res = admin
        .post("/api/v1/me/password", json!({"current_password": "wrong", "new_password": "short", "password_confirmation": "other"}))
        .await;
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "validation_failed");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["new_password", "password_confirmation", "current_password"]
    );

    let new = "a-much-better-password-7";
    let res = admin
        .post("/api/v1/me/password", json!({"current_password": ADMIN_PASSWORD, "new_password": new, "password_confirmation": new}))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(admin.get("/api/v1/me").await.status(), StatusCode::OK);
    assert_eq!(
        other.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let res = t
        .browser()
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({"login": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let _ = t.login("admin", new).await;
}

#[tokio::test]
async fn operator_password_reset_ends_sessions_and_records_history() {
    let t = spawn().await;
    let admin = t.admin().await;
    let chosen = t.app.reset_password("admin", None).await.unwrap();
    assert!(chosen.generated);
    assert_eq!(
        admin.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let again = t.login("admin", &chosen.password).await;
    let history: serde_json::Value = again
        .0
        .get(t.url("/api/v1/history?object_kind=user"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        history["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "reset_password" && e["function"] == "system.cli")
    );
}

#[tokio::test]
async fn language_is_saved_in_the_profile() {
    let t = spawn().await;
    let admin = t.admin().await;
    let res = admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "ru"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let me: serde_json::Value = admin.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["locale"], "ru");
    let res = admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "de"})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed".to_owned()
        )
    );
}

/// Fails `count` sign-ins of distinct unknown logins, claiming to come from `forwarded_for`,
/// and returns the status of one more attempt from `then_from`.
async fn fail_from(t: &TestApp, forwarded_for: &str, count: i64, then_from: &str) -> StatusCode {
    let c = t.browser();
    let attempt = |from: String, login: String| {
        c.post(t.url("/api/v1/auth/login"))
            .header("x-forwarded-for", from)
            .json(&json!({"login": login, "password": "wrong-password-1"}))
            .send()
    };
    for i in 0..count {
        let res = attempt(forwarded_for.to_owned(), format!("nobody{i}"))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = attempt(then_from.to_owned(), "somebody".to_owned())
        .await
        .unwrap();
    res.status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_address_has_its_own_budget() {
    let limit = Policy::default().max_failures_per_ip;
    let proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    let t = spawn_with(router::Options {
        trusted_proxies: proxies,
        ..router::Options::default()
    })
    .await;
    let next = fail_from(&t, "203.0.113.1", limit, "203.0.113.2").await;
    assert_eq!(
        next,
        StatusCode::UNAUTHORIZED,
        "another client is not locked out"
    );
    let next = fail_from(&t, "203.0.113.1", 0, "203.0.113.1").await;
    assert_eq!(next, StatusCode::TOO_MANY_REQUESTS);

    // History names the forwarded address too.
    let admin = t.admin().await;
    let res = admin
        .client
        .post(t.url("/api/v1/me/tokens"))
        .header("x-csrf-token", &admin.csrf)
        .header("x-forwarded-for", "198.51.100.4")
        .json(&json!({"name": "ci"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let page: serde_json::Value = admin.get("/api/v1/me/history").await.json().await.unwrap();
    let entry = &page["items"][0];
    assert_eq!(entry["object_kind"], "api_token");
    assert_eq!(entry["ip"], "198.51.100.4");
}

#[tokio::test]
async fn without_a_trusted_proxy_a_forged_forwarded_address_changes_nothing() {
    let limit = Policy::default().max_failures_per_ip;
    let t = spawn().await;
    let next = fail_from(&t, "203.0.113.1", limit, "203.0.113.2").await;
    assert_eq!(
        next,
        StatusCode::TOO_MANY_REQUESTS,
        "the TCP peer is the caller"
    );
}
