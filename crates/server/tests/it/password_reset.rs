//! "Forgot your password?": a one-time link by e-mail (API and panels).

#[allow(unused_imports)]
use crate::harness::RowExt as _;
use crate::harness::{CLIENT_PASSWORD, TestApp, problem_code, spawn};
use reqwest::StatusCode;
use serde_json::json;

const NEW_PASSWORD: &str = "a-brand-new-secret-7";

/// The reset mails queued so far for `address`, oldest first: (subject, body).
async fn reset_mails(t: &TestApp, address: &str) -> Vec<(String, String)> {
    let rows = bursar_store::db::query(
        "SELECT subject, body FROM outbox_emails WHERE template = 'password_reset' \
         AND to_address = $1 ORDER BY created_at, id",
    )
    .bind(address)
    .fetch_all(t.store.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|r| (r.get("subject"), r.get("body")))
        .collect()
}

/// The token of the link in a reset mail, and the link's panel.
fn link_in(body: &str) -> (String, String) {
    let at = body.find("/reset-password?token=").expect("a link");
    let before = &body[..at];
    let panel = if before.ends_with("/admin") {
        "/admin"
    } else {
        "/client"
    };
    let token: String = body[at + "/reset-password?token=".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (token, panel.to_owned())
}

async fn request(t: &TestApp, login: &str) -> StatusCode {
    t.browser()
        .post(t.url("/api/v1/auth/password-reset"))
        .json(&json!({"login": login}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn confirm(t: &TestApp, token: &str, password: &str, again: &str) -> reqwest::Response {
    t.browser()
        .post(t.url("/api/v1/auth/password-reset/confirm"))
        .json(&json!({"token": token, "password": password, "password_confirmation": again}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_the_mailed_link() {
    let t = spawn().await;
    let old_session = t.client_user("forgetful").await;
    let token: serde_json::Value = old_session
        .post("/api/v1/me/tokens", json!({"name": "script"}))
        .await
        .json()
        .await
        .unwrap();
    let bearer = token["secret"].as_str().unwrap().to_owned();

    // The answer never tells whether an account exists.
    assert_eq!(request(&t, "nobody-here").await, StatusCode::NO_CONTENT);
    assert_eq!(
        request(&t, "Forgetful@Example.com").await,
        StatusCode::NO_CONTENT
    );
    let mails = reset_mails(&t, "forgetful@example.com").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "Password reset");
    let (token, panel) = link_in(&mails[0].1);
    assert_eq!(panel, "/client");

    let res = confirm(&t, &token, NEW_PASSWORD, "something else").await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into())
    );
    let res = confirm(&t, &token, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    // The new password works, the old one and the old sessions do not, the link is spent.
    let _ = t.login("forgetful", NEW_PASSWORD).await;
    let res = t
        .browser()
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({"login": "forgetful", "password": CLIENT_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        old_session.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let res = t
        .browser()
        .get(t.url("/api/v1/me"))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "API tokens end too");
    let res = confirm(&t, &token, "yet-another-secret-8", "yet-another-secret-8").await;
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "token");
    assert_eq!(body["errors"][0]["code"], "reset_link_invalid");

    // History says so, without the password.
    let admin = t.admin().await;
    let history: serde_json::Value = admin
        .get("/api/v1/history?object_kind=user")
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"reset_password") && actions.contains(&"request_password_reset"));
    assert!(!history.to_string().contains(NEW_PASSWORD));
}

#[tokio::test]
async fn links_expire_and_an_account_gets_three_an_hour() {
    let t = spawn().await;
    t.client_user("busy").await;
    for _ in 0..5 {
        assert_eq!(request(&t, "busy").await, StatusCode::NO_CONTENT);
    }
    let mails = reset_mails(&t, "busy@example.com").await;
    assert_eq!(mails.len(), 3, "three links an hour, then silence");
    let (token, _) = link_in(&mails[0].1);
    t.clock.advance(jiff::SignedDuration::from_mins(31));
    let res = confirm(&t, &token, NEW_PASSWORD, NEW_PASSWORD).await;
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "reset_link_invalid", "expired");

    // An employee's link leads to the staff panel.
    let admin = t.admin().await;
    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "olga", "name": "Olga", "email": "olga@corp.example", "password": "employee-password-1"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(request(&t, "olga").await, StatusCode::NO_CONTENT);
    let mails = reset_mails(&t, "olga@corp.example").await;
    assert_eq!(link_in(&mails[0].1).1, "/admin");
}

/// The value of the first `_csrf` field of a page.
fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("the page has a form") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_panels_lead_from_the_sign_in_page_to_a_new_password() {
    let t = spawn().await;
    t.client_user("paneluser").await;
    let browser = t.browser();
    let get = |path: String| {
        let browser = browser.clone();
        let url = t.url(&path);
        async move {
            let res = browser.get(url).send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let (_, login_page) = get("/client/login".into()).await;
    assert!(login_page.contains("href=\"/client/forgot-password\""));

    let (status, form) = get("/client/forgot-password".into()).await;
    assert_eq!(status, StatusCode::OK);
    let res = browser
        .post(t.url("/client/forgot-password"))
        .form(&[("_csrf", csrf_of(&form).as_str()), ("login", "paneluser")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("is on its way"));

    let mails = reset_mails(&t, "paneluser@example.com").await;
    let (token, panel) = link_in(&mails[0].1);
    let (status, form) = get(format!("{panel}/reset-password?token={token}")).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_of(&form);
    // Refused input comes back next to its field.
    let res = browser
        .post(t.url("/client/reset-password"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("token", token.as_str()),
            ("password", "short"),
            ("password_confirmation", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"password-error\""));
    let res = browser
        .post(t.url("/client/reset-password"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("token", token.as_str()),
            ("password", NEW_PASSWORD),
            ("password_confirmation", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/client/login?reset=1");
    let (_, done) = get("/client/login?reset=1".into()).await;
    assert!(done.contains("Your password has been changed"));
    let _ = t.login("paneluser", NEW_PASSWORD).await;

    // The spent link now offers a new one instead of the form, at once and on a late post.
    let (_, spent) = get(format!("/client/reset-password?token={token}")).await;
    assert!(spent.contains("unknown, used or expired") && !spent.contains("id=\"password\""));
    let res = browser
        .post(t.url("/client/reset-password"))
        .form(&[
            ("_csrf", csrf_of(&spent).as_str()),
            ("token", token.as_str()),
            ("password", "another-secret-99"),
            ("password_confirmation", "another-secret-99"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("unknown, used or expired") && html.contains("/client/forgot-password"));
}

#[tokio::test]
async fn a_new_address_closes_the_links_sent_to_the_old_one() {
    let t = spawn().await;
    let admin = t.admin().await;
    let user = t.client_user("mover").await;
    assert_eq!(request(&t, "mover").await, StatusCode::NO_CONTENT);
    let (token, _) = link_in(&reset_mails(&t, "mover@example.com").await[0].1);
    let client_id = user.me["client_id"].as_str().unwrap();
    let res = admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/clients/{client_id}"),
            Some(json!({"email": "moved@example.com"})),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let res = confirm(&t, &token, NEW_PASSWORD, NEW_PASSWORD).await;
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "reset_link_invalid");
}

#[tokio::test]
async fn one_address_cannot_ask_for_links_without_limit() {
    let t = spawn().await;
    for n in 0..10 {
        assert_eq!(
            request(&t, &format!("someone{n}")).await,
            StatusCode::NO_CONTENT
        );
    }
    assert_eq!(
        request(&t, "someone-else").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    t.clock.advance(jiff::SignedDuration::from_mins(16));
    assert_eq!(request(&t, "someone-else").await, StatusCode::NO_CONTENT);
}
