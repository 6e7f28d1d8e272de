//! Accessibility basics of the panels' HTML (issue 8, item 20), through plain HTTP: the
//! favicon is served and linked, every page offers "Skip to content", required fields are
//! marked for the eye and for assistive technology, a refused form opens with a focused
//! summary linking to its fields, the live client search has a polite live region that
//! htmx refreshes, and business hours are 24-hour text fields. What needs a browser (focus
//! rings, widths, where the focus lands) is in `browser.rs`.

use crate::harness::{Session, TestApp, new_client, new_provider, spawn};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::json;

async fn page(s: &Session, path: &str) -> (StatusCode, String) {
    let res = s.get(path).await;
    (res.status(), res.text().await.unwrap())
}

async fn post_form(
    t: &TestApp,
    s: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut pairs: Vec<(&str, &str)> = vec![("_csrf", s.csrf.as_str())];
    pairs.extend_from_slice(fields);
    let res = s
        .client
        .post(t.url(path))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The opening tag of the element with `id`.
fn tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no id={id}"));
    let start = html[..at].rfind('<').unwrap();
    &html[start..start + html[start..].find('>').unwrap()]
}

/// The text of the `<label for=id>`, tags included.
fn label<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("<label for=\"{id}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no label for {id}"));
    &html[start..start + html[start..].find("</label>").unwrap()]
}

fn is_marked_required(html: &str, id: &str) -> bool {
    label(html, id).contains("class=\"req\"") && tag(html, id).contains(" required")
}

#[tokio::test]
async fn the_favicon_is_served_as_a_guarded_asset_and_every_page_links_it() {
    let t = spawn().await;
    let anonymous = t.browser();
    let login = anonymous
        .get(t.url("/admin/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "<link rel=\"icon\" type=\"image/svg+xml\" href=\"";
    let at = login.find(marker).expect("the page links a favicon") + marker.len();
    let href = login[at..].split('"').next().unwrap();
    assert!(href.starts_with("/assets/favicon.svg?v="), "{href}");

    let res = anonymous.get(t.url(href)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "image/svg+xml");
    assert!(res.text().await.unwrap().starts_with("<svg"));

    // Asked with a method it does not take, it answers like the other assets.
    let res = anonymous
        .post(t.url("/assets/favicon.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn every_page_starts_with_a_skip_link_to_the_content_in_the_readers_language() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, html) = page(&admin, "/admin").await;
    let body = &html[html.find("<body").unwrap()..];
    let first_link = &body[body.find("<a ").unwrap()..];
    assert!(
        first_link.starts_with("<a class=\"skip-link\" href=\"#main\">Skip to content</a>"),
        "{}",
        &first_link[..80]
    );
    assert!(tag(&html, "main").contains("tabindex=\"-1\""));
    // The menu button works without script: a label for a checkbox that opens the menu.
    assert!(html.contains("<label for=\"nav-toggle\" class=\"menu-button\">"));
    assert!(tag(&html, "nav-toggle").contains("type=\"checkbox\""));

    let client = t.client_user("skip-client").await;
    client
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "ru"})),
        )
        .await;
    let (_, html) = page(&client, "/client").await;
    assert!(
        html.contains("<a class=\"skip-link\" href=\"#main\">Перейти к содержанию</a>"),
        "the client area has the skip link too"
    );
    let anonymous = t.browser();
    let html = anonymous
        .get(t.url("/client/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("class=\"skip-link\""));
}

#[tokio::test]
async fn required_fields_are_marked_and_carry_the_required_attribute() {
    let t = spawn().await;
    let admin = t.admin().await;
    new_provider(&admin, "Marked Hosting", "EUR", false).await;

    let (status, html) = page(&admin, "/admin/staff/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(is_marked_required(&html, "login") && is_marked_required(&html, "name"));
    assert!(
        !is_marked_required(&html, "email"),
        "an optional field is not marked"
    );
    assert!(html.contains("Fields marked * are required."));

    let (_, html) = page(&admin, "/admin/departments/new").await;
    assert!(is_marked_required(&html, "name_en") && is_marked_required(&html, "name_ru"));

    let (_, html) = page(&admin, "/admin/clients/new").await;
    assert!(is_marked_required(&html, "email") && is_marked_required(&html, "name"));
    assert!(!is_marked_required(&html, "password"));
    // A required group of checkboxes says so on the group.
    assert!(tag(&html, "providers").contains("aria-required=\"true\""));

    let (_, html) = page(&admin, "/admin/profile").await;
    for id in ["current_password", "new_password", "password_confirmation"] {
        assert!(is_marked_required(&html, id), "{id}");
    }
    let (_, html) = page(&admin, "/admin/profile/tokens/new").await;
    assert!(is_marked_required(&html, "name"));

    // In Russian the note is Russian.
    admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "ru"})),
        )
        .await;
    let (_, html) = page(&admin, "/admin/staff/new").await;
    assert!(html.contains("Поля, отмеченные *, обязательны."));
}

#[tokio::test]
async fn a_refused_form_opens_with_a_focused_summary_linking_to_each_bad_field() {
    let t = spawn().await;
    let admin = t.admin().await;

    // A hand-written staff form.
    let (status, html) = post_form(
        &t,
        &admin,
        "/admin/staff",
        &[
            ("login", ""),
            ("name", ""),
            ("email", "not-an-email"),
            ("locale", "en"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = tag(&html, "error-summary");
    assert!(summary.contains("autofocus") && summary.contains("tabindex=\"-1\""));
    let start = html.find("id=\"error-summary\"").unwrap();
    let block = &html[start..start + html[start..].find("</div>").unwrap()];
    assert!(block.contains("The form was not saved"), "{block}");
    assert!(
        block.contains("<a href=\"#name\">Full name in English: "),
        "{block}"
    );
    assert!(block.contains("<a href=\"#email\">"), "{block}");
    assert!(block.contains("<a href=\"#login\">"), "{block}");
    // In the form's order: login, name, e-mail.
    let order: Vec<usize> = ["#login", "#name", "#email"]
        .iter()
        .map(|a| block.find(a).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{block}");
    // Each link has somewhere to go.
    for id in ["login", "name", "email"] {
        tag(&html, id);
    }

    // A form built from fields (the client area's and the card's forms).
    let (status, html) = post_form(
        &t,
        &admin,
        "/admin/clients/new",
        &[("email", ""), ("name", ""), ("locale", "en")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let start = html.find("id=\"error-summary\"").expect("a summary");
    let block = &html[start..start + html[start..].find("</div>").unwrap()];
    assert!(block.contains("<a href=\"#email\">"), "{block}");

    // A form without errors has no summary.
    let (_, html) = page(&admin, "/admin/staff/new").await;
    assert!(!html.contains("error-summary"));
}

#[tokio::test]
async fn the_live_client_search_announces_its_count_politely() {
    let t = spawn().await;
    let admin = t.admin().await;
    let provider = new_provider(&admin, "Live Hosting", "EUR", false).await;
    for (name, email) in [
        ("Alma Live", "alma@example.com"),
        ("Bert Live", "bert@example.com"),
    ] {
        new_client(
            &admin,
            json!({"email": email, "name": name, "providers": [provider]}),
        )
        .await;
    }
    let (_, html) = page(&admin, "/admin/clients").await;
    let region = tag(&html, "client-results-status");
    assert!(region.contains("aria-live=\"polite\"") && region.contains("role=\"status\""));
    assert!(
        html.contains(">2 clients</p>"),
        "the count is in the region"
    );

    // The live search's answer refreshes the region out of band with the new count.
    let res = admin
        .client
        .get(t.url("/admin/clients?text=Alma"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    let fragment = res.text().await.unwrap();
    assert!(fragment.starts_with("<div id=\"client-results\""));
    let oob = tag(&fragment, "client-results-status");
    assert!(oob.contains("hx-swap-oob=\"innerHTML\""), "{oob}");
    let text = fragment.split(&format!("{oob}>")).nth(1).unwrap();
    assert!(text.starts_with("One client matches</p>"), "{text}");
    // It sits outside the results htmx replaces, so the live region stays in the page.
    let before = &fragment[..fragment.find("<p id=\"client-results-status\"").unwrap()];
    assert!(before.trim_end().ends_with("</div>"));
    assert_eq!(
        before.matches("<div").count(),
        before.matches("</div>").count()
    );

    // Nothing found is announced too.
    let res = admin
        .client
        .get(t.url("/admin/clients?text=Nobody"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    let fragment = res.text().await.unwrap();
    let oob = tag(&fragment, "client-results-status");
    let text = fragment.split(&format!("{oob}>")).nth(1).unwrap();
    assert!(
        text.starts_with("No clients match these filters.</p>"),
        "{text}"
    );
}

#[tokio::test]
async fn business_hours_are_entered_as_24_hour_text() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, html) = page(&admin, "/admin/departments/new").await;
    assert!(
        !html.contains("type=\"time\""),
        "no locale-dependent time control"
    );
    let from = &html[html[..html.find("name=\"from_mon\"").unwrap()]
        .rfind('<')
        .unwrap()..];
    let from = &from[..from.find('>').unwrap()];
    assert!(from.contains("type=\"text\""), "{from}");
    assert!(
        from.contains("pattern=\"([01][0-9]|2[0-3]):[0-5][0-9]|24:00\""),
        "{from}"
    );
    assert!(from.contains("placeholder=\"HH:MM\""), "{from}");

    // A 24-hour evening time is accepted and shown back as typed.
    let fields = [
        ("_csrf", admin.csrf.as_str()),
        ("name_en", "Night desk"),
        ("name_ru", "Ночная смена"),
        ("time_zone", "UTC"),
        ("task_locale", "en"),
        ("open_mon", "1"),
        ("from_mon", "13:00"),
        ("to_mon", "23:30"),
    ];
    let res = admin
        .client
        .post(t.url("/admin/departments"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_redirection() || res.status().is_success(),
        "{}",
        res.status()
    );
    let list: serde_json::Value = admin.get("/api/v1/departments").await.json().await.unwrap();
    let night = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d.to_string().contains("Night desk"))
        .expect("saved");
    assert!(night.to_string().contains("23:30"), "{night}");
}
