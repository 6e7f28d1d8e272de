//! The panels in Russian (issue 8, item 17): a language chosen on the sign-in page wins over
//! the account's saved one and is saved; names, language names, rules and statuses read as
//! Russian; the client list's filter choices are not cut off (checked in Chromium in
//! `browser.rs`).

use crate::harness::{ADMIN_PASSWORD, TestApp, new_client, new_provider, spawn};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A browser without JavaScript: a cookie jar, redirects not followed.
struct Visitor {
    http: reqwest::Client,
    base: String,
    csrf: String,
}

impl Visitor {
    fn new(t: &TestApp) -> Visitor {
        Visitor {
            http: t.browser(),
            base: t.base.clone(),
            csrf: String::new(),
        }
    }

    /// Opens `path`; remembers the page's CSRF field for the next form.
    async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let html = res.text().await.unwrap();
        if let Some(v) = hidden(&html, "_csrf") {
            self.csrf = v;
        }
        (status, html)
    }

    /// Sends a form as the page would; returns the status and the redirect target.
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let mut pairs: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        pairs.extend_from_slice(fields);
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .form(&pairs)
            .send()
            .await
            .unwrap();
        let to = res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (res.status(), to)
    }
}

/// The value of the first hidden field `name` of the page.
fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("<input type=\"hidden\" name=\"{name}\" value=\"");
    let at = html.find(&marker)? + marker.len();
    Some(html[at..].split('"').next()?.to_owned())
}

/// The text of the first element with `class="…"` exactly, tags removed.
fn text_of(html: &str, class: &str) -> String {
    let marker = format!("class=\"{class}\"");
    let Some(at) = html.find(&marker) else {
        return String::new();
    };
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find("</").unwrap();
    rest[start..end].trim().to_owned()
}

#[tokio::test]
async fn a_language_chosen_on_the_sign_in_page_wins_and_is_saved_with_the_russian_name() {
    let t = spawn().await;
    let mut v = Visitor::new(&t);
    // The administrator's account says English.
    let (_, html) = v.get("/admin/login").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert_eq!(hidden(&html, "lang"), None, "nothing chosen yet");

    // Russian, chosen on the sign-in page.
    let (status, to) = v
        .post("/language", &[("lang", "ru"), ("back", "/admin/login")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/admin/login?lang=ru");
    let (_, html) = v.get(&to).await;
    assert!(html.contains("<html lang=\"ru\">"));
    assert_eq!(hidden(&html, "lang").as_deref(), Some("ru"));

    let (status, to) = v
        .post(
            "/admin/login",
            &[
                ("login", "admin"),
                ("password", ADMIN_PASSWORD),
                ("lang", "ru"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = v.get(&to).await;
    assert!(html.contains("<html lang=\"ru\">"), "the choice wins");
    // The administrator's Russian name, in the top bar and the welcome.
    assert_eq!(text_of(&html, "user-name"), "Администратор");
    assert!(html.contains("Добро пожаловать, Администратор"), "{html}");
    let at = html
        .find(">Administrator<")
        .map(|i| &html[i.saturating_sub(300)..i + 20]);
    assert_eq!(at, None);
    // …and the choice is saved to the account.
    let (_, me) = v.get("/api/v1/me").await;
    let me: Value = me.parse().unwrap();
    assert_eq!(me["locale"], "ru", "{me}");

    // A later sign-in in a browser whose cookie says English, without choosing, keeps the
    // saved language.
    let mut w = Visitor::new(&t);
    w.get("/admin/login").await;
    w.post("/language", &[("lang", "en"), ("back", "/admin")])
        .await;
    let (_, html) = w.get("/admin/login").await;
    assert_eq!(
        hidden(&html, "lang"),
        None,
        "not chosen on the sign-in page"
    );
    let (_, to) = w
        .post(
            "/admin/login",
            &[("login", "admin"), ("password", ADMIN_PASSWORD)],
        )
        .await;
    let (_, html) = w.get(&to).await;
    assert!(html.contains("<html lang=\"ru\">"));

    // In English the name is the English one.
    let (_, to) = v
        .post("/language", &[("lang", "en"), ("back", "/admin")])
        .await;
    let (_, html) = v.get(&to).await;
    assert_eq!(text_of(&html, "user-name"), "Administrator");
}

#[tokio::test]
async fn russian_pages_name_languages_in_russian_state_rules_and_agree_on_inactive() {
    let t = spawn().await;
    let admin = t.admin().await;
    let provider = new_provider(&admin, "Hosting", "EUR", false).await;
    let created = new_client(
        &admin,
        json!({"email": "ivan@example.com", "name": "Ivan", "locale": "en", "providers": [provider]}),
    )
    .await;
    // A client with no active service is not active.
    let id = created["id"].as_str().unwrap().to_owned();

    let mut v = Visitor::new(&t);
    v.get("/admin/login").await;
    v.post("/language", &[("lang", "ru"), ("back", "/admin/login")])
        .await;
    v.get("/admin/login?lang=ru").await;
    let (_, to) = v
        .post(
            "/admin/login",
            &[
                ("login", "admin"),
                ("password", ADMIN_PASSWORD),
                ("lang", "ru"),
            ],
        )
        .await;
    v.get(&to).await;

    // The client's language, in the reader's language, on the card and in the edit form.
    let (status, card) = v.get(&format!("/admin/clients/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(card.contains("Английский"), "{card}");
    assert_eq!(
        card.matches(">English<").count(),
        1,
        "only the header's switch says English: {}",
        card.match_indices(">English<")
            .map(|(i, _)| &card[i.saturating_sub(200)..i + 10])
            .collect::<Vec<_>>()
            .join("\n----\n")
    );
    // The profile's own language.
    let (_, profile) = v.get("/admin/profile").await;
    assert!(profile.contains("Русский"));

    // Rules read as rules.
    for path in ["/admin/profile", "/admin/staff/new"] {
        let (_, html) = v.get(path).await;
        assert!(!html.contains("не совпадает с логином"), "{path}");
    }
    let (_, html) = v.get("/admin/profile").await;
    assert!(html.contains("не должен совпадать с логином"), "{html}");

    // The list and the card say "not active" the same way.
    let (_, list) = v.get("/admin/clients?status=inactive").await;
    assert!(!list.contains("Неактивен"), "{list}");
    assert!(list.contains("Не активен"), "{list}");
    let (_, card) = v.get(&format!("/admin/clients/{id}")).await;
    assert!(card.contains("Не активен"), "{card}");
}
