//! Issue 8 item 13: a refused form names every problem in one answer. A taken login or
//! e-mail is reported together with the other fields' errors (one 422), an empty required
//! field says "required", and a department's schedule marks the day that is wrong, checking
//! only the open days.

use crate::harness::{Session, TestApp, new_client, new_provider, spawn};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "strong-password-42";

/// The `(field, code)` pairs of a 422 answer, sorted.
async fn field_codes(res: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    let mut pairs: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect()
}

/// Posts a panel form with the session's CSRF token; returns the status and the page.
async fn post_form(
    t: &TestApp,
    admin: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut all: Vec<(&str, &str)> = vec![("_csrf", admin.csrf.as_str())];
    all.extend_from_slice(fields);
    let res = admin
        .client
        .post(t.url(path))
        .form(&all)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The text of the field error shown under the field `id`, if any.
fn field_error(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}-error\">");
    let start = html.find(&marker)? + marker.len();
    let rest = &html[start..];
    Some(rest[..rest.find('<')?].to_owned())
}

#[tokio::test]
async fn creating_a_client_reports_a_taken_email_with_the_other_errors() {
    let t = spawn().await;
    let admin = t.admin().await;
    let provider = new_provider(&admin, "Acme", "EUR", false).await;
    new_client(
        &admin,
        json!({"email": "anna@example.com", "name": "Anna", "providers": [provider]}),
    )
    .await;

    let res = admin
        .post(
            "/api/v1/clients",
            json!({"email": "Anna@example.com", "name": "", "providers": [provider],
                   "password": "", "password_confirmation": ""}),
        )
        .await;
    assert_eq!(
        field_codes(res).await,
        pairs(&[
            ("email", "email_taken"),
            ("name", "required"),
            ("password", "required")
        ])
    );

    // Alone, the clash stays the 409 it always was.
    let res = admin
        .post(
            "/api/v1/clients",
            json!({"email": "anna@example.com", "name": "Anna", "providers": [provider]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    // The panel form shows every message next to its field in one page.
    let (status, html) = post_form(
        &t,
        &admin,
        "/admin/clients/new",
        &[
            ("email", "anna@example.com"),
            ("name", ""),
            ("providers", &provider),
            ("locale", "en"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&html, "email").as_deref(),
        Some("This e-mail is already in use."),
        "{html}"
    );
    assert_eq!(field_error(&html, "name").as_deref(), Some("Required."));
}

#[tokio::test]
async fn creating_an_employee_reports_a_taken_login_and_email_with_the_other_errors() {
    let t = spawn().await;
    let admin = t.admin().await;
    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "olga", "name": "Olga", "password": PASSWORD, "email": "olga@example.com"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "Olga", "name": "", "password": "", "email": "olga@example.com", "phone": "12"}),
        )
        .await;
    assert_eq!(
        field_codes(res).await,
        pairs(&[
            ("email", "email_taken"),
            ("login", "login_taken"),
            ("name", "required"),
            ("password", "required"),
            ("phone", "invalid_phone"),
        ])
    );
    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "", "name": "X", "email": ""}),
        )
        .await;
    assert_eq!(field_codes(res).await, pairs(&[("login", "required")]));

    let (status, html) = post_form(
        &t,
        &admin,
        "/admin/staff",
        &[
            ("login", "admin"),
            ("name", ""),
            ("email", "olga@example.com"),
            ("password", PASSWORD),
            ("locale", "en"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&html, "login").as_deref(),
        Some("This login is already in use."),
        "{html}"
    );
    assert_eq!(
        field_error(&html, "email").as_deref(),
        Some("This e-mail is already in use.")
    );
    assert_eq!(field_error(&html, "name").as_deref(), Some("Required."));
}

#[tokio::test]
async fn department_hours_mark_each_wrong_day_and_skip_closed_ones() {
    let t = spawn().await;
    let admin = t.admin().await;
    let res = admin
        .post(
            "/api/v1/departments",
            json!({"name_en": "", "name_ru": "Ночь", "business_hours": {"time_zone": "Mars/Olympus", "days": [
                {"day": "mon", "open": "18:00", "close": "09:00"},
                {"day": "wed", "open": "9", "close": "17:00"},
                {"day": "fri", "open": "09:00", "close": "17:00"}
            ]}}),
        )
        .await;
    assert_eq!(
        field_codes(res).await,
        pairs(&[
            ("business_hours.mon", "closes_before_opening"),
            ("business_hours.time_zone", "unknown_time_zone"),
            ("business_hours.wed", "invalid_time"),
            ("name_en", "required"),
        ])
    );

    let (status, html) = post_form(
        &t,
        &admin,
        "/admin/departments",
        &[
            ("name_en", "Night"),
            ("name_ru", ""),
            ("time_zone", "Mars/Olympus"),
            ("open_mon", "1"),
            ("from_mon", "18:00"),
            ("to_mon", "09:00"),
            ("open_tue", "1"),
            ("from_tue", "09:00"),
            ("to_tue", "17:00"),
            // Closed: whatever its times say, they are not checked.
            ("from_sat", "nonsense"),
            ("to_sat", "25:99"),
            ("task_locale", "en"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("<tr id=\"business_hours.mon\" class=\"has-error\">"),
        "{html}"
    );
    assert!(html.contains("<tr id=\"business_hours.tue\">"));
    assert!(html.contains("<tr id=\"business_hours.sat\">"));
    assert!(field_error(&html, "time_zone").is_some());
    assert!(field_error(&html, "name_ru").is_some());
    assert!(
        html.contains("href=\"#business_hours.mon\""),
        "the summary links the day"
    );
    // The time zone is picked from the tz database's names.
    assert!(
        html.contains("list=\"time-zones\"") && html.contains("<option value=\"Europe/Berlin\">")
    );
}
