//! History: every change is recorded with who, when, from where, and what changed.

use crate::harness::{ADMIN_PASSWORD, spawn};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn password_changes_and_tokens_are_recorded_without_secrets() {
    let t = spawn().await;
    let admin = t.admin().await;
    let new = "another-password-9";
    let res = admin
        .post("/api/v1/me/password", json!({"current_password": ADMIN_PASSWORD, "new_password": new, "password_confirmation": new}))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = admin
        .post(
            "/api/v1/me/tokens",
            json!({"name": "ci", "scope": ["profile.view"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let page: Value = admin.get("/api/v1/me/history").await.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    let pw = items
        .iter()
        .find(|e| e["action"] == "change_password")
        .expect("password change recorded");
    assert_eq!(pw["actor_login"], "admin");
    assert_eq!(pw["ip"], "127.0.0.1");
    assert_eq!(
        pw["changes"],
        json!([{"field": "password", "old": null, "new": null}])
    );
    let tok = items
        .iter()
        .find(|e| e["object_kind"] == "api_token")
        .expect("token recorded");
    assert_eq!(
        tok["changes"][1],
        json!({"field": "scope", "old": null, "new": "profile.view"})
    );
    assert!(!page.to_string().contains("argon2"), "no hash in history");
}

#[tokio::test]
async fn staff_filter_history_and_clients_see_only_their_own() {
    let t = spawn().await;
    let admin = t.admin().await;
    let acme = t.client_user("acme").await;
    let _globex = t.client_user("globex").await;
    let acme_id = acme.me["client_id"].as_str().unwrap();

    let all: Value = admin
        .get(&format!("/api/v1/history?client_id={acme_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], 1);
    assert_eq!(all["items"][0]["object_kind"], "client");

    let res = admin.get("/api/v1/history?client_id=bogus").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let paged: Value = admin
        .get("/api/v1/history?per_page=1&page=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);
    assert_eq!(paged["per_page"], 1);

    let res = acme
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "ru"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let mine: Value = acme.get("/api/v1/me/history").await.json().await.unwrap();
    assert_eq!(mine["total"], 1);
    assert_eq!(
        mine["items"][0]["changes"][0],
        json!({"field": "locale", "old": "en", "new": "ru"})
    );
    assert_eq!(mine["items"][0]["actor_login"], "acme");

    // A change by the provider's staff shows as such, without the employee or the address.
    let me_id = acme.me["id"].as_str().unwrap();
    let res = admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/clients/{acme_id}/users/{me_id}"),
            Some(json!({"name": "Acme Renamed"})),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let mine: Value = acme.get("/api/v1/me/history").await.json().await.unwrap();
    let by_staff = &mine["items"][0];
    assert_eq!(by_staff["changes"][0]["new"], "Acme Renamed");
    assert_eq!(by_staff["actor_login"], Value::Null);
    assert_eq!(by_staff["actor_user_id"], Value::Null);
    assert_eq!(by_staff["ip"], Value::Null);
    let admins: Value = admin.get("/api/v1/history").await.json().await.unwrap();
    assert_eq!(
        admins["items"][0]["actor_login"], "admin",
        "staff still see who"
    );
}

#[tokio::test]
async fn entries_keep_naming_an_employee_after_the_account_is_deleted() {
    let t = spawn().await;
    let admin = t.admin().await;
    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "temp", "name": "Temporary", "password": "employee-password-1", "full_access": true}),
        )
        .await;
    let temp_id = res.json::<Value>().await.unwrap()["staff"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (temp, me) = t.login("temp", "employee-password-1").await;
    let res = temp
        .post(t.url("/api/v1/departments"))
        .header("x-csrf-token", me["csrf_token"].as_str().unwrap())
        .json(&json!({"name_en": "Billing", "name_ru": "Биллинг"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = admin
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/staff/{temp_id}"),
            None,
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());

    let page: Value = admin
        .get("/api/v1/history?object_kind=department")
        .await
        .json()
        .await
        .unwrap();
    let by_temp = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["actor_user_id"] == temp_id.as_str())
        .expect("the department entry");
    assert_eq!(by_temp["actor_login"], "temp");
}

#[tokio::test]
async fn the_journal_names_authors_and_records_and_links_to_them() {
    let t = spawn().await;
    let admin = t.admin().await;
    let provider = crate::harness::new_provider(&admin, "Cloud", "EUR", false).await;
    let me = admin.me["id"].as_str().unwrap().to_owned();
    let client = crate::harness::new_client(
        &admin,
        json!({"email": "ines@example.com", "name": "Ines Moreau", "providers": [provider], "staff_id": me,
               "password": "client-password-7", "password_confirmation": "client-password-7"}),
    )
    .await;
    let id = client["id"].as_str().unwrap();
    let res = admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/clients/{id}"),
            Some(json!({"comment": "prefers e-mail"})),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let html = admin
        .client
        .get(t.url(&format!("/admin/history?object_kind=client&object_id={id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Administrator (admin)"),
        "the author by name, login beside: {html}"
    );
    assert!(
        html.contains(&format!("<a href=\"/admin/clients/{id}\">Ines Moreau</a>")),
        "the record by name, linked to its page"
    );
    assert!(
        html.contains("Staff member: Administrator"),
        "an id in a change by its name"
    );
    assert!(!html.contains(&format!("Staff member: {me}")));
    // A client reading its own history is not told the employee's name.
    let api: Value = admin
        .get(&format!("/api/v1/clients/{id}/history"))
        .await
        .json()
        .await
        .unwrap();
    assert!(api["items"].as_array().is_some_and(|i| !i.is_empty()));
}
