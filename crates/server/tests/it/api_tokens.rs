//! API tokens: issued by a user for themself, shown once, stored as a digest, revocable,
//! optionally scoped.

use crate::harness::{problem_code, spawn};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn issue(s: &crate::harness::Session, body: Value) -> Value {
    let res = s.post("/api/v1/me/tokens", body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_token_works_as_bearer_until_revoked() {
    let t = spawn().await;
    let admin = t.admin().await;
    let issued = issue(&admin, json!({"name": "deploy script"})).await;
    let secret = issued["secret"].as_str().unwrap();
    assert!(secret.starts_with("bst_"));
    let bare = t.browser();
    let me = bare
        .get(t.url("/api/v1/me"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    // Bearer requests need no CSRF token.
    let res = bare
        .post(t.url("/api/v1/me/tokens"))
        .bearer_auth(secret)
        .json(&json!({"name": "second"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    let list: Value = admin.get("/api/v1/me/tokens").await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert!(
        !list.to_string().contains(secret),
        "the secret is never listed"
    );

    let id = issued["token"]["id"].as_str().unwrap();
    let res = admin
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/me/tokens/{id}"),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = bare
        .get(t.url("/api/v1/me"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::UNAUTHORIZED, "unauthenticated".to_owned())
    );
}

#[tokio::test]
async fn a_scoped_token_is_limited_to_its_functions() {
    let t = spawn().await;
    let admin = t.admin().await;
    let issued = issue(
        &admin,
        json!({"name": "read me", "scope": ["profile.view"]}),
    )
    .await;
    let secret = issued["secret"].as_str().unwrap();
    let c = t.browser();
    assert_eq!(
        c.get(t.url("/api/v1/me"))
            .bearer_auth(secret)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let res = c
        .get(t.url("/api/v1/history"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "forbidden".to_owned())
    );
    let res = c
        .post(t.url("/api/v1/me/tokens"))
        .bearer_auth(secret)
        .json(&json!({"name": "escalate"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "forbidden".to_owned())
    );
}

#[tokio::test]
async fn a_token_cannot_be_scoped_beyond_its_issuer() {
    let t = spawn().await;
    let client = t.client_user("scoper").await;
    let res = client
        .post(
            "/api/v1/me/tokens",
            json!({"name": "x", "scope": ["history.view", "no.such"]}),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], 422);
    let codes: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unknown_function", "function_not_held"]);
}

#[tokio::test]
async fn another_users_token_is_not_found() {
    let t = spawn().await;
    let admin = t.admin().await;
    let issued = issue(&admin, json!({"name": "mine"})).await;
    let id = issued["token"]["id"].as_str().unwrap();
    let client = t.client_user("intruder").await;
    let res = client
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/me/tokens/{id}"),
            None,
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::NOT_FOUND, "not_found".to_owned())
    );
    let res = client
        .send(
            reqwest::Method::DELETE,
            "/api/v1/me/tokens/not-a-uuid",
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let t = spawn().await;
    let admin = t.admin().await;
    let issued = issue(&admin, json!({"name": "short-lived", "expires_in_days": 1})).await;
    let secret = issued["secret"].as_str().unwrap();
    t.clock.advance(jiff::SignedDuration::from_hours(25));
    let res = t
        .browser()
        .get(t.url("/api/v1/me"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_scoped_token_cannot_issue_a_wider_one() {
    let t = spawn().await;
    let admin = t.admin().await;
    let issued = issue(
        &admin,
        json!({"name": "narrow", "scope": ["profile.tokens", "profile.view"]}),
    )
    .await;
    let secret = issued["secret"].as_str().unwrap();
    let c = t.browser();
    let post = |body: Value| {
        c.post(t.url("/api/v1/me/tokens"))
            .bearer_auth(secret)
            .json(&body)
            .send()
    };
    let res = post(json!({"name": "everything"})).await.unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap()["errors"][0]["code"],
        "scope_required"
    );
    let res = post(json!({"name": "wider", "scope": ["history.view"]}))
        .await
        .unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap()["errors"][0]["code"],
        "function_not_held"
    );
    let res = post(json!({"name": "same", "scope": ["profile.view"]}))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}
