//! The client pages of the panels, through plain HTTP as a browser sends them: the staff's
//! "Add client" form, refusals shown next to their fields, deletion refused with a message,
//! "log in as client" and the way back, registration, and one client's payer hidden from
//! another client's users.

#[allow(unused_imports)]
use crate::harness::RowExt as _;
use crate::harness::{Session, TestApp, new_client, new_provider as provider, spawn};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

/// The value of the first `_csrf` field of a page.
fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("the page has a form") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The value of the input with `id`.
fn input_value(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let tag_end = html[start..].find('>')? + start;
    let tag = &html[start..tag_end];
    let v = tag.find("value=\"")? + "value=\"".len();
    Some(tag[v..].split('"').next()?.to_owned())
}

fn location(res: &Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub(crate) async fn post_form(c: &Client, url: String, fields: &[(&str, &str)]) -> Response {
    c.post(url).form(fields).send().await.unwrap()
}

async fn page(c: &Client, url: String) -> (StatusCode, String) {
    let res = c.get(url).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn api_client(admin: &Session, provider: &str, email: &str, name: &str) -> String {
    let body = json!({"email": email, "name": name, "providers": [provider],
                      "password": "client-password-7", "password_confirmation": "client-password-7"});
    new_client(admin, body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn client_count(admin: &Session) -> i64 {
    let list: Value = admin.get("/api/v1/clients").await.json().await.unwrap();
    list["total"].as_i64().unwrap()
}

/// Signs in through the panel's own form (anonymous CSRF cookie, then the post).
async fn panel_sign_in(t: &TestApp, login: &str, password: &str) -> Response {
    let b = t.browser();
    let (status, html) = page(&b, t.url("/client/login")).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_of(&html);
    post_form(
        &b,
        t.url("/client/login"),
        &[
            ("_csrf", &csrf),
            ("login", login),
            ("password", password),
            ("next", ""),
        ],
    )
    .await
}

#[tokio::test]
async fn staff_adds_a_client_through_the_form_and_the_generated_password_is_shown_once() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "N-1 Hosting", "RUB", false).await;
    let (status, form) = page(&admin.client, t.url("/admin/clients/new")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("N-1 Hosting") && form.contains("name=\"password_confirmation\""));
    let me = admin.me["id"].as_str().unwrap().to_owned();
    let res = post_form(
        &admin.client,
        t.url("/admin/clients/new"),
        &[
            ("_csrf", &admin.csrf),
            ("providers", &hosting),
            ("login", ""),
            ("email", "greta@example.com"),
            ("name", "Greta Lind"),
            ("country", "SE"),
            ("locale", "en"),
            ("password", ""),
            ("password_confirmation", ""),
            ("staff_id", &me),
            ("comment", "met at a fair"),
            ("send_notification", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let shown = res.text().await.unwrap();
    let password = input_value(&shown, "secret").expect("the generated password is shown");
    assert!(password.len() >= 12, "{password}");
    assert!(shown.contains("greta@example.com"), "the login is named");

    // The card has the client, never the password.
    let list: Value = admin
        .get("/api/v1/clients?q=greta")
        .await
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, card) = page(&admin.client, t.url(&format!("/admin/clients/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(card.contains("Greta Lind") && card.contains("met at a fair"));
    assert!(card.contains("Sweden") && card.contains("<dd>admin</dd>"));
    assert!(!card.contains(&password));

    // The client signs in to the client area with it.
    let res = panel_sign_in(&t, "greta@example.com", &password).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/client");
}

#[tokio::test]
async fn a_refused_client_form_shows_errors_next_to_fields_keeps_the_input_and_saves_nothing() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "N-1 Hosting", "RUB", false).await;
    api_client(&admin, &hosting, "taken@example.com", "First Owner").await;
    let before = client_count(&admin).await;

    let res = post_form(
        &admin.client,
        t.url("/admin/clients/new"),
        &[
            ("_csrf", &admin.csrf),
            ("providers", &hosting),
            ("email", "not-an-email"),
            ("name", "Typed Name"),
            ("country", "DE"),
            ("locale", "en"),
            ("password", "long-enough-password-1"),
            ("password_confirmation", "another-password-2"),
            ("comment", "typed comment"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"email-error\""),
        "e-mail error next to it"
    );
    assert!(html.contains("Not a valid e-mail address."));
    assert!(html.contains("id=\"password_confirmation-error\""));
    assert!(html.contains("value=\"not-an-email\"") && html.contains("value=\"Typed Name\""));
    assert!(html.contains(">typed comment</textarea>"));
    assert!(
        html.contains("<option value=\"DE\" selected>"),
        "country kept"
    );
    assert!(
        html.contains(&format!("value=\"{hosting}\" checked")),
        "ticked provider kept"
    );
    assert!(
        !html.contains("long-enough-password-1"),
        "passwords are never echoed"
    );

    // A duplicate e-mail is refused next to the e-mail field too.
    let res = post_form(
        &admin.client,
        t.url("/admin/clients/new"),
        &[
            ("_csrf", &admin.csrf),
            ("providers", &hosting),
            ("email", "taken@example.com"),
            ("name", "Second Owner"),
            ("locale", "en"),
            ("password", ""),
            ("password_confirmation", ""),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"email-error\""));
    assert!(html.contains("This e-mail is already in use."));
    assert!(html.contains("value=\"Second Owner\""));
    assert_eq!(client_count(&admin).await, before, "nothing was saved");
}

#[tokio::test]
async fn deleting_a_client_with_a_payment_is_refused_with_a_message() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "N-1 Hosting", "EUR", false).await;
    let id = api_client(&admin, &hosting, "payer@example.com", "Paying Client").await;
    crate::harness::issue_payment(&admin, &id, &hosting, "12.50").await;

    let (status, confirm) =
        page(&admin.client, t.url(&format!("/admin/clients/{id}/delete"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("cannot be undone"));
    let res = post_form(
        &admin.client,
        t.url(&format!("/admin/clients/{id}/delete")),
        &[("_csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("The client has payments, so it cannot be deleted."),
        "{html}"
    );
    let (status, _) = page(&admin.client, t.url(&format!("/admin/clients/{id}"))).await;
    assert_eq!(status, StatusCode::OK, "the client is still there");
}

#[tokio::test]
async fn logging_in_as_a_client_keeps_the_staff_panel_in_other_tabs_and_back_ends_it() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "N-1 Hosting", "RUB", false).await;
    let id = api_client(&admin, &hosting, "olga@example.com", "Olga Berg").await;
    let b = &admin.client;

    let res = post_form(
        b,
        t.url(&format!("/admin/clients/{id}/login-as")),
        &[("_csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/client");
    let (status, area) = page(b, t.url("/client")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(area.contains("class=\"impersonation-banner\""));
    assert!(area.contains("You are working as client Olga Berg"));
    assert!(area.contains("employee Administrator"));
    let (_, payers) = page(b, t.url("/client/payers")).await;
    assert!(
        payers.contains("impersonation-banner"),
        "the banner is on every client page"
    );
    // Meanwhile, in another tab, the staff panel is still the employee's (issue 8 item 16).
    let (status, staff_page) = page(b, t.url("/admin/clients")).await;
    assert_eq!(status, StatusCode::OK, "no redirect to the client area");
    assert!(!staff_page.contains("impersonation-banner"));
    assert!(
        staff_page.contains("Olga Berg"),
        "the staff list of clients"
    );
    let me: Value = b
        .get(t.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["login"], "admin", "the API is the employee's too: {me}");
    let (_, area) = page(b, t.url("/client")).await;
    assert!(
        area.contains("impersonation-banner"),
        "and the client tab stays the client's"
    );

    // Back to the staff panel: the client session ends, on the client's card.
    let client_csrf = csrf_of(&area);
    let res = post_form(
        b,
        t.url("/client/impersonation/end"),
        &[("_csrf", &client_csrf)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/admin/clients/{id}?done=back"));
    let (status, card) = page(b, t.url(&location(&res))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(card.contains("You are back in the staff panel"));
    assert!(!card.contains("impersonation-banner"));
    let me: Value = b
        .get(t.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["login"], "admin", "{me}");
    let res = b.get(t.url("/client")).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "the client area is no longer open"
    );
    assert_eq!(location(&res), "/admin");
    // The client session is over.
    let res = post_form(
        b,
        t.url("/client/impersonation/end"),
        &[("_csrf", &client_csrf)],
    )
    .await;
    assert_ne!(
        res.status(),
        StatusCode::SEE_OTHER,
        "the old client session is gone"
    );

    // History names the employee for both ends.
    let history: Value = admin
        .get(&format!("/api/v1/clients/{id}/history"))
        .await
        .json()
        .await
        .unwrap();
    let items = history["items"].as_array().unwrap();
    for action in ["login_as", "logout_as"] {
        let entry = items
            .iter()
            .find(|h| h["action"] == action)
            .unwrap_or_else(|| panic!("no {action} entry: {history}"));
        assert_eq!(entry["actor_login"], "admin", "{entry}");
        assert_eq!(entry["actor_as_client_id"], id.as_str(), "{entry}");
    }
}

#[tokio::test]
async fn signing_out_while_working_as_a_client_returns_to_the_staff_panel() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "N-1 Hosting", "RUB", false).await;
    let id = api_client(&admin, &hosting, "pia@example.com", "Pia Holm").await;
    let b = &admin.client;
    post_form(
        b,
        t.url(&format!("/admin/clients/{id}/login-as")),
        &[("_csrf", &admin.csrf)],
    )
    .await;
    let (_, area) = page(b, t.url("/client")).await;
    assert!(
        area.contains("action=\"/client/impersonation/end\" class=\"logout-form\""),
        "the sign-out button ends the impersonation"
    );
}

#[tokio::test]
async fn a_visitor_registers_and_the_address_is_recorded() {
    let t = spawn().await;
    let admin = t.admin().await;
    provider(&admin, "N-1 Hosting", "RUB", false).await;
    provider(&admin, "N-2 Domains", "EUR", true).await;
    let domains = {
        let list: Value = admin.get("/api/v1/providers").await.json().await.unwrap();
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "N-2 Domains")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let b = t.browser();
    let (status, login_page) = page(&b, t.url("/client/login")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(login_page.contains("href=\"/client/register\""));
    let (status, form) = page(&b, t.url("/client/register")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("N-2 Domains") && form.contains("id=\"login-slot\""));
    // The login field appears for a provider that asks for one.
    let (_, with_login) = page(&b, t.url(&format!("/client/register?provider={domains}"))).await;
    assert!(with_login.contains("name=\"login\""));
    let csrf = csrf_of(&form);

    let fields = [
        ("_csrf", csrf.as_str()),
        ("provider", domains.as_str()),
        ("login", "ingrid"),
        ("email", "ingrid@example.com"),
        ("name", "Ingrid Dahl"),
        ("password", "ingrid-password-1"),
        ("password_confirmation", "ingrid-password-1"),
        ("locale", "en"),
        ("country", "NO"),
    ];
    // Passwords that differ are refused next to the confirmation.
    let mut wrong = fields;
    wrong[6] = ("password_confirmation", "something-else-2");
    let res = post_form(&b, t.url("/client/register"), &wrong).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"password_confirmation-error\"")
            && html.contains("value=\"Ingrid Dahl\"")
    );

    let res = post_form(&b, t.url("/client/register"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/client/login?registered=1");
    let (_, notice) = page(&b, t.url("/client/login?registered=1")).await;
    assert!(notice.contains("Your account has been created."));

    let list: Value = admin
        .get("/api/v1/clients?q=ingrid")
        .await
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"].as_str().unwrap();
    let card: Value = admin
        .get(&format!("/api/v1/clients/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["registration_ip"], "127.0.0.1", "{card}");
    let res = panel_sign_in(&t, "ingrid", "ingrid-password-1").await;
    assert_eq!(location(&res), "/client");
}

#[tokio::test]
async fn a_client_user_cannot_open_another_clients_payer() {
    let t = spawn().await;
    let alice = t.client_user("alice").await;
    let bob = t.client_user("bob").await;
    let res = post_form(
        &alice.client,
        t.url("/client/payers/new"),
        &[
            ("_csrf", &alice.csrf),
            ("kind", "company"),
            ("name", "Alice Trading AB"),
            ("country", "SE"),
            ("address", "Storgatan 1, Stockholm"),
            ("tax_number", "SE556677889901"),
            ("email", "invoices@alice.example"),
        ],
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let (_, list) = page(&alice.client, t.url("/client/payers")).await;
    assert!(list.contains("Alice Trading AB"));
    let payer = list
        .split("href=\"/client/payers/")
        .skip(1)
        .map(|rest| rest.chars().take(36).collect::<String>())
        .find(|id| uuid::Uuid::parse_str(id).is_ok())
        .expect("a link to the payer");
    let edit = format!("/client/payers/{payer}");

    let (status, html) = page(&alice.client, t.url(&edit)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"Alice Trading AB\""));
    let (status, html) = page(&bob.client, t.url(&edit)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("Alice Trading AB"));
    let res = post_form(
        &bob.client,
        t.url(&edit),
        &[
            ("_csrf", &bob.csrf),
            ("kind", "person"),
            ("name", "Taken Over"),
            ("country", "SE"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (_, list) = page(&alice.client, t.url("/client/payers")).await;
    assert!(list.contains("Alice Trading AB") && !list.contains("Taken Over"));
}

#[tokio::test]
async fn the_main_user_cannot_be_deleted_and_staff_add_users_with_functions() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "N-1 Hosting", "RUB", false).await;
    let id = api_client(&admin, &hosting, "main@example.com", "Main Client").await;
    let base = format!("/admin/clients/{id}/users");
    let res = post_form(
        &admin.client,
        t.url(&format!("{base}/new")),
        &[
            ("_csrf", &admin.csrf),
            ("login", "accountant"),
            ("name", "Anna Accountant"),
            ("email", "anna@example.com"),
            ("password", "accountant-pass-1"),
            ("is_active", "1"),
            ("functions", "account.finances"),
            ("functions", "account.payers"),
        ],
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let (_, list) = page(&admin.client, t.url(&base)).await;
    assert!(list.contains("accountant") && list.contains("Payers"));
    let users: Value = admin
        .get(&format!("/api/v1/clients/{id}/users"))
        .await
        .json()
        .await
        .unwrap();
    let main = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["is_main"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = post_form(
        &admin.client,
        t.url(&format!("{base}/{main}/delete")),
        &[("_csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("can be neither disabled nor deleted")
    );
    let res = panel_sign_in(&t, "accountant", "accountant-pass-1").await;
    assert_eq!(location(&res), "/client");
}

#[tokio::test]
async fn refusals_of_provider_switches_and_currencies_are_shown_in_words() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "N-1 Hosting", "RUB", false).await;
    let id = api_client(&admin, &hosting, "svc@example.com", "Service Client").await;
    bursar_store::db::query(
        "INSERT INTO services (id, client_id, provider_id, status, created_at) \
         VALUES ($1, $2, $3, 'active', '2026-11-22T00:00:00.000000Z')",
    )
    .bind(uuid::Uuid::now_v7())
    .bind(crate::harness::val(&id))
    .bind(crate::harness::val(&hosting))
    .execute(t.store.pool())
    .await
    .unwrap();

    let (status, tab) = page(
        &admin.client,
        t.url(&format!("/admin/clients/{id}/providers")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(tab.contains("N-1 Hosting") && tab.contains("Turn off"));
    let res = post_form(
        &admin.client,
        t.url(&format!("/admin/clients/{id}/providers")),
        &[("_csrf", &admin.csrf), ("provider", &hosting), ("on", "0")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("The client has active services with this provider.")
    );

    let res = post_form(
        &admin.client,
        t.url("/admin/currencies/RUB"),
        &[("_csrf", &admin.csrf), ("active", "0")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("A provider bills in this currency, so it stays enabled.")
    );
    let res = post_form(
        &admin.client,
        t.url("/admin/currencies/JPY"),
        &[("_csrf", &admin.csrf), ("active", "1")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, list) = page(&admin.client, t.url("/admin/currencies?q=jpy")).await;
    assert!(list.contains("Japanese yen") && list.contains("Disable"));
}

#[tokio::test]
async fn staff_export_and_then_clear_a_clients_personal_data_after_confirming() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "N-1 Hosting", "RUB", false).await;
    let id = api_client(&admin, &hosting, "erik@example.com", "Erik Moen").await;

    let res = admin.get(&format!("/admin/clients/{id}/export")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    let data: Value = res.json().await.unwrap();
    assert_eq!(data["client"]["name"], "Erik Moen");

    let clear = t.url(&format!("/admin/clients/{id}/clear-data"));
    let (status, confirm) = page(&admin.client, clear.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("irreversible"));
    let res = post_form(&admin.client, clear.clone(), &[("_csrf", &admin.csrf)]).await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not without the tick"
    );
    let (_, card) = page(&admin.client, t.url(&format!("/admin/clients/{id}"))).await;
    assert!(card.contains("Erik Moen"));

    let res = post_form(
        &admin.client,
        clear,
        &[("_csrf", &admin.csrf), ("confirm", "1")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, card) = page(&admin.client, t.url(&location(&res))).await;
    assert!(!card.contains("Erik Moen") && card.contains("personal data was cleared"));
    assert!(
        !card.contains("/login-as"),
        "no logging in as a cleared client"
    );
}

#[tokio::test]
async fn a_direct_sign_out_post_while_working_as_a_client_restores_the_staff_session() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "N-1 Hosting", "RUB", false).await;
    let id = api_client(&admin, &hosting, "max@example.com", "Max Lund").await;
    let b = &admin.client;
    let res = post_form(
        b,
        t.url(&format!("/admin/clients/{id}/login-as")),
        &[("_csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(location(&res), "/client");
    let (_, area) = page(b, t.url("/client")).await;
    let res = post_form(b, t.url("/client/logout"), &[("_csrf", &csrf_of(&area))]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/admin/clients/{id}?done=back"));
    let me: Value = b
        .get(t.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["login"], "admin",
        "the employee's own session is back: {me}"
    );
}

#[tokio::test]
async fn each_account_opening_the_other_panel_is_sent_to_its_own() {
    let t = spawn().await;
    let admin = t.admin().await;
    let client = t.client_user("walker").await;
    let res = admin.get("/client").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin");
    let res = client.get("/admin").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/client");
    // Deeper pages still say what is missing.
    assert_eq!(
        client.get("/admin/staff").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_button_address_opened_in_the_browser_gets_a_page_and_the_api_a_problem() {
    let t = spawn().await;
    let admin = t.admin().await;
    let res = admin.get("/admin/logout").await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(res.text().await.unwrap().contains("Not this way"));
    let res = admin.get("/api/v1/auth/logout").await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn labels_are_one_tag_whatever_their_case() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let id = api_client(&admin, &p, "tagged@example.com", "Tagged").await;
    let res = admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/clients/{id}"),
            Some(json!({"label": "VIP"})),
        )
        .await;
    assert!(res.status().is_success());
    for q in ["VIP", "vip", "Vip"] {
        let page: Value = admin
            .get(&format!("/api/v1/clients?label={q}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["total"], 1, "{q}");
        assert_eq!(page["items"][0]["label"], "vip");
    }
}

#[tokio::test]
async fn currency_names_follow_the_interface_language() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, en) = page(&admin.client, t.url("/admin/currencies?q=eur")).await;
    assert!(en.contains("Euro"));
    let res = admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "ru"})),
        )
        .await;
    assert!(res.status().is_success());
    let (_, ru) = page(&admin.client, t.url("/admin/currencies?q=евро")).await;
    assert!(
        ru.contains("Евро") && ru.contains("EUR"),
        "found by its Russian name"
    );
    let (_, form) = page(&admin.client, t.url("/admin/providers/new")).await;
    assert!(
        form.contains("RUB · Российский рубль"),
        "the provider form too"
    );
}
