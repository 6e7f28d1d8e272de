//! The staff panel's pages for departments, staff and permissions, and the staff side of a
//! client's orders (seeds 000 and 001).
//!
//! The browser test walks seed 000's story in chromium: the administrator builds a
//! department that may see clients and their order history but not create orders, adds an
//! employee to it through the forms, and signs out; the employee sees the client's order
//! history without a "Create order" button and is refused the order page; the administrator,
//! in another browser, grants "create order" to the employee alone on the permission page,
//! and the employee's open session shows the button at the next page load.
//!
//! The request-level tests check what a browser run would make slow: refused forms keep the
//! input and put the message next to the field, an avatar is refused naming the limit it
//! broke, and nothing of a refused form is saved.

use crate::harness::{self, ADMIN_PASSWORD, TestApp, spawn};
use crate::webdriver::{
    CHROMIUM, Driver, browser_missing, click, fill, on_path, open_browser, path, text, wait_for,
};
use fantoccini::{Client, Locator};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use std::path::Path;

const EMPLOYEE_PASSWORD: &str = "olga-password-42";

// ---------------------------------------------------------------------------------------
// Request-level helpers

/// A signed-in panel user: a cookie jar plus the session's CSRF token for forms.
struct Panel {
    http: reqwest::Client,
    csrf: String,
    base: String,
}

impl Panel {
    async fn sign_in(t: &TestApp, login: &str, password: &str) -> Panel {
        let (http, me) = t.login(login, password).await;
        Panel {
            http,
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
            base: t.base.clone(),
        }
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// Posts a url-encoded form with the CSRF field, as the page's form would.
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut pairs: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        pairs.extend_from_slice(fields);
        self.http
            .post(format!("{}{path}", self.base))
            .form(&pairs)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form as `multipart/form-data` with the CSRF field, as a page form with a file
    /// input is sent by a browser without JavaScript. `file` is the `avatar` input: `None`
    /// sends it empty, as a browser does when no file was chosen.
    async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<&[u8]>,
    ) -> reqwest::Response {
        let boundary = "----bursar-test-form";
        let mut body = Vec::new();
        let mut pairs: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        pairs.extend_from_slice(fields);
        for (name, value) in pairs {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        let (filename, bytes) = file.map_or(("", &[][..]), |b| ("me.png", b));
        let kind = if file.is_some() {
            "image/png"
        } else {
            "application/octet-stream"
        };
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"{filename}\"\r\nContent-Type: {kind}\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.http
            .post(format!("{}{path}", self.base))
            .header(
                CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap()
    }

    async fn api(&self, path: &str) -> Value {
        self.get(path).await.1.parse().unwrap()
    }

    async fn api_post(&self, path: &str, body: Value) -> Value {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json().await.unwrap()
    }

    /// Uploads `bytes` as the avatar file the way the avatar form is sent: by htmx (the CSRF
    /// token also as a header) or by a browser without JavaScript (only the `_csrf` field).
    async fn upload_avatar(&self, id: &str, bytes: &[u8], htmx: bool) -> (StatusCode, String) {
        self.upload_avatar_with(id, bytes, htmx, &self.csrf).await
    }

    async fn upload_avatar_with(
        &self,
        id: &str,
        bytes: &[u8],
        htmx: bool,
        csrf: &str,
    ) -> (StatusCode, String) {
        let boundary = "----bursar-test-boundary";
        let mut body = Vec::new();
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = self
            .http
            .post(format!("{}/admin/staff/{id}/avatar", self.base))
            .header(
                CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        if htmx {
            req = req
                .header("hx-request", "true")
                .header("x-csrf-token", csrf);
        }
        let res = req.send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }
}

/// A PNG header (signature + IHDR) of the given size, padded to `len` bytes.
fn png(width: u32, height: u32, len: usize) -> Vec<u8> {
    let mut b = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    b.extend(width.to_be_bytes());
    b.extend(height.to_be_bytes());
    b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b.resize(len.max(b.len() + 12), 0);
    // A complete file ends with the IEND chunk.
    let end = b.len() - 12;
    b.splice(
        end..,
        [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82],
    );
    b
}

/// The text of the field error shown under the field `id`, if any.
fn field_error(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}-error\">");
    let start = html.find(&marker)? + marker.len();
    let rest = &html[start..];
    Some(rest[..rest.find('<')?].to_owned())
}

/// A provider and a client connected to it; returns (provider id, client id).
async fn provider_and_client(admin: &Panel, provider: &str, client: &str) -> (String, String) {
    let p = admin
        .api_post(
            "/api/v1/providers",
            json!({"name": provider, "currency": "EUR", "login_at_registration": false}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = admin
        .api_post(
            "/api/v1/clients",
            json!({"email": format!("{}@example.com", client.to_lowercase().replace(' ', ".")), "providers": [p], "name": client}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (p, c)
}

async fn staff_total(admin: &Panel) -> i64 {
    admin.api("/api/v1/staff").await["total"].as_i64().unwrap()
}

// ---------------------------------------------------------------------------------------
// Request-level tests

#[tokio::test]
async fn a_refused_staff_form_keeps_the_input_and_shows_each_message_next_to_its_field() {
    let t = spawn().await;
    let admin = Panel::sign_in(&t, "admin", ADMIN_PASSWORD).await;
    let before = staff_total(&admin).await;
    let sales = admin.api("/api/v1/departments").await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A login that is taken: 409, the message next to the login, the rest kept.
    let res = admin
        .post(
            "/admin/staff",
            &[
                ("login", "admin"),
                ("name", "Second Admin"),
                ("password", EMPLOYEE_PASSWORD),
                ("departments", &sales),
                ("email", "second@example.com"),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert_eq!(
        field_error(&html, "login").as_deref(),
        Some("This login is already in use.")
    );
    assert!(html.contains("value=\"Second Admin\""), "the name is kept");
    assert!(html.contains("value=\"second@example.com\""));
    assert!(
        html.contains(&format!("value=\"{sales}\" checked")),
        "the department stays ticked"
    );
    assert!(
        !html.contains(EMPLOYEE_PASSWORD),
        "a password is never echoed"
    );

    // Several bad fields at once, each with its own message, in Russian for a Russian user.
    admin
        .post("/language", &[("lang", "ru"), ("back", "/admin")])
        .await;
    let res = admin
        .post(
            "/admin/staff",
            &[
                ("login", "olga"),
                ("name", ""),
                ("phone", "8 (495) 123"),
                ("email", "not-an-email"),
                ("locale", "ru"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert_eq!(
        field_error(&html, "name").as_deref(),
        Some("Обязательное поле.")
    );
    assert!(
        field_error(&html, "phone").is_some_and(|e| e.contains("+7 495")),
        "{html}"
    );
    assert!(field_error(&html, "email").is_some());
    assert!(html.contains("value=\"olga\""));
    assert_eq!(staff_total(&admin).await, before, "nothing was saved");

    // A department: a schedule closing before it opens and a taken name.
    let res = admin
        .post(
            "/admin/departments",
            &[
                ("name_en", "Sales department"),
                ("name_ru", "Новый"),
                ("time_zone", "Europe/Moscow"),
                ("open_mon", "1"),
                ("from_mon", "18:00"),
                ("to_mon", "09:00"),
                ("task_locale", "ru"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<tr id=\"business_hours.mon\" class=\"has-error\">")
            && html.contains("позже времени начала"),
        "{html}"
    );
    let res = admin
        .post(
            "/admin/departments",
            &[
                ("name_en", "Sales department"),
                ("name_ru", "Новый"),
                ("time_zone", "UTC"),
                ("task_locale", "en"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert_eq!(
        field_error(&html, "name_en").as_deref(),
        Some("Отдел с таким названием уже есть.")
    );
    let departments = admin.api("/api/v1/departments").await;
    assert_eq!(departments["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_avatar_is_refused_naming_the_broken_limit_and_the_old_one_stays() {
    let t = spawn().await;
    let admin = Panel::sign_in(&t, "admin", ADMIN_PASSWORD).await;
    let created = admin
        .api_post(
            "/api/v1/staff",
            json!({"login": "olga", "name": "Olga", "password": EMPLOYEE_PASSWORD}),
        )
        .await;
    let id = created["staff"]["id"].as_str().unwrap().to_owned();
    let avatar_path = format!("/admin/staff/{id}/avatar");

    let good = png(40, 40, 2000);
    let (status, html) = admin.upload_avatar(&id, &good, true).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("The avatar has been saved.") && html.starts_with("<section"),
        "htmx gets the card alone: {html}"
    );
    let stored = admin.http.get(t.url(&avatar_path)).send().await.unwrap();
    assert_eq!(stored.headers()["content-type"], "image/png");
    assert_eq!(stored.bytes().await.unwrap().as_ref(), good.as_slice());

    let cases: [(Vec<u8>, &str); 4] = [
        (png(40, 40, 65 * 1024), "64 KB"),
        (png(40, 40, 1536 * 1024), "64 KB"),
        (png(81, 80, 2000), "80×80"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
            "PNG, JPEG or GIF",
        ),
    ];
    for (bytes, limit) in &cases {
        let (status, html) = admin.upload_avatar(&id, bytes, true).await;
        assert_eq!(status, StatusCode::OK, "htmx swaps only successful answers");
        let error = field_error(&html, "avatar").unwrap_or_default();
        assert!(error.contains(limit), "{} bytes: {error}", bytes.len());
    }
    // Without htmx the whole form comes back, 422.
    let (status, html) = admin.upload_avatar(&id, &png(200, 200, 3000), false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&html, "avatar").is_some_and(|e| e.contains("80×80")));
    assert!(html.contains("id=\"name\""), "the edit page around it");
    // A multipart post with a forged `_csrf` field is refused before anything is read.
    let forged = "f".repeat(admin.csrf.len());
    let (status, _) = admin
        .upload_avatar_with(&id, &png(50, 50, 2000), false, &forged)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let stored = admin
        .http
        .get(t.url(&avatar_path))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        stored.as_ref(),
        good.as_slice(),
        "the refused uploads changed nothing"
    );

    // Without JavaScript the form's `_csrf` field alone carries the token: saved, and the
    // browser is sent back to the employee's page.
    let plain = png(60, 60, 1500);
    let (status, html) = admin.upload_avatar(&id, &plain, false).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let page = admin
        .http
        .get(t.url(&format!("/admin/staff/{id}?avatar=1")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("The avatar has been saved."));
    let stored = admin.http.get(t.url(&avatar_path)).send().await.unwrap();
    assert_eq!(stored.bytes().await.unwrap().as_ref(), plain.as_slice());
}

#[tokio::test]
async fn the_create_order_button_and_page_follow_the_employees_right() {
    let t = spawn().await;
    let admin = Panel::sign_in(&t, "admin", ADMIN_PASSWORD).await;
    let (_, client) = provider_and_client(&admin, "Cloud EU", "Jane Roe").await;
    let dept = admin
        .api_post(
            "/api/v1/departments",
            json!({"name_en": "Order desk", "name_ru": "Стол заказов"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The department's Enable buttons: the Clients → Clients list, and Orders → history.
    let res = admin
        .post(
            &format!("/admin/departments/{dept}/permissions"),
            &[("enable", "client.list")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    admin
        .post(
            &format!("/admin/departments/{dept}/permissions"),
            &[("enable", "client.order.history")],
        )
        .await;
    let staff = admin
        .api_post(
            "/api/v1/staff",
            json!({"login": "olga", "name": "Olga", "password": EMPLOYEE_PASSWORD, "departments": [dept]}),
        )
        .await;
    let olga_id = staff["staff"]["id"].as_str().unwrap().to_owned();
    let olga = Panel::sign_in(&t, "olga", EMPLOYEE_PASSWORD).await;

    let orders = format!("/admin/clients/{client}/orders");
    let (status, html) = olga.get(&orders).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("This client has no orders yet."));
    assert!(!html.contains("id=\"create-order\""));
    let (status, html) = olga.get(&format!("{orders}/new")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("client.order.create"), "{html}");
    let res = olga
        .post(&format!("{orders}/new"), &[("provider", "x")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // An inherited right has no Disable button, and removing it anyway is refused.
    let perms = format!("/admin/staff/{olga_id}/permissions");
    let (_, html) = admin.get(&perms).await;
    let row = row_html(&html, "client.order.history");
    assert!(row.contains("Inherited from Order desk") && !row.contains("perm-disable"));
    let res = admin
        .post(&perms, &[("disable", "client.order.history")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("inherited from a department")
    );

    // The individual right, through the employee page's Enable button.
    let res = admin
        .post(&perms, &[("enable", "client.order.create")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin.get(&perms).await;
    assert!(row_html(&html, "client.order.create").contains("Individual"));
    assert!(row_html(&html, "clients.orders").contains("Partial"));
    let (_, html) = admin
        .get(&format!("{perms}?explain=client.order.create"))
        .await;
    assert!(html.contains("Because it was granted to this employee individually."));

    let (_, html) = olga.get(&orders).await;
    assert!(html.contains("id=\"create-order\""));
    let (status, html) = olga.get(&format!("{orders}/new")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Cloud EU"));
    let res = olga
        .post(&format!("{orders}/new"), &[("provider", "nope")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// The `<tr>` of a permission row.
fn row_html<'a>(html: &'a str, key: &str) -> &'a str {
    let marker = format!("data-key=\"{key}\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no row {key}"));
    let end = html[start..].find("</tr>").unwrap() + start;
    &html[start..end]
}

// ---------------------------------------------------------------------------------------
// The browser test (the start/skip pattern of `browser.rs`)

async fn sign_in(b: &Client, base: &str, login: &str, password: &str) {
    b.goto(&format!("{base}/admin/login")).await.unwrap();
    fill(b, "#login", login).await;
    fill(b, "#password", password).await;
    click(b, ".auth-card button[type=submit]").await;
    wait_for(b, ".sidebar").await;
}

async fn present(b: &Client, css: &str) -> bool {
    !b.find_all(Locator::Css(css)).await.unwrap().is_empty()
}

/// The administrator builds the department and the employee, then signs out.
async fn administrator_sets_up(b: &Client, base: &str) {
    sign_in(b, base, "admin", ADMIN_PASSWORD).await;
    let menu = text(b, ".sidebar").await;
    for item in ["Clients", "Staff", "Departments"] {
        assert!(menu.contains(item), "menu lacks {item}: {menu}");
    }

    // Provider → Departments → Add.
    b.goto(&format!("{base}/admin/departments")).await.unwrap();
    click(b, ".page-head a.btn-primary").await;
    assert_eq!(path(b).await, "/admin/departments/new");
    fill(b, "#name_en", "Order desk").await;
    fill(b, "#name_ru", "Стол заказов").await;
    click(b, "form.form button[type=submit]").await;
    assert!(
        text(b, ".flash")
            .await
            .contains("The department has been created")
    );
    let row = b
        .find(Locator::XPath(
            "//tr[.//strong[text()='Order desk']]//a[contains(@href,'/permissions')]",
        ))
        .await
        .unwrap();
    row.click().await.unwrap();
    assert_eq!(
        text(b, "h1").await,
        "Permissions of the department “Order desk”"
    );
    // A new department grants nothing.
    assert_eq!(text(b, "#row-clients .perm-state").await, "Disabled");
    // Clients → Clients → client list, and Clients → Orders → order history.
    click(b, "#row-client-list button.perm-enable").await;
    assert!(text(b, ".flash").await.contains("Permissions saved"));
    click(b, "#row-client-order-history button.perm-enable").await;
    wait_for(b, "#row-client-order-history .perm-enabled").await;
    assert_eq!(text(b, "#row-clients-orders .perm-state").await, "Partial");
    assert_eq!(
        text(b, "#row-client-order-create .perm-state").await,
        "Disabled"
    );

    // Provider → Staff → Add, in the department.
    b.goto(&format!("{base}/admin/staff")).await.unwrap();
    click(b, ".page-head a.btn-primary").await;
    fill(b, "#login", "olga").await;
    fill(b, "#name", "Olga Orders").await;
    fill(b, "#name_ru", "Ольга Заказова").await;
    fill(b, "#password", EMPLOYEE_PASSWORD).await;
    b.find(Locator::XPath(
        "//label[contains(., 'Order desk')]/input[@name='departments']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    fill(b, "#email", "olga@example.com").await;
    click(b, "form.form button[type=submit]").await;
    assert!(
        text(b, ".flash")
            .await
            .contains("The employee has been created")
    );
    let row = text(b, "tr[data-login=olga]").await;
    assert!(
        row.contains("Olga Orders") && row.contains("Order desk"),
        "{row}"
    );

    click(b, ".logout-form button").await;
    wait_for(b, ".auth-card").await;
}

async fn scenario(admin_b: Client, olga_b: Client, base: String, client: String) {
    administrator_sets_up(&admin_b, &base).await;

    // The employee: the client list, the client's orders, no "Create order".
    sign_in(&olga_b, &base, "olga", EMPLOYEE_PASSWORD).await;
    let menu = text(&olga_b, ".sidebar").await;
    assert!(menu.contains("Clients"), "{menu}");
    assert!(!menu.contains("Staff"), "{menu}");
    olga_b
        .find(Locator::XPath(
            "//nav[@class='sidebar']//a[text()='Clients']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(path(&olga_b).await, "/admin/clients");
    olga_b
        .find(Locator::XPath(
            "//tr[.//strong[text()='Jane Roe']]//a[contains(@href, '/orders')]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let orders = format!("/admin/clients/{client}/orders");
    assert_eq!(path(&olga_b).await, orders);
    assert_eq!(text(&olga_b, "h1").await, "Orders");
    assert_eq!(
        text(&olga_b, ".orders-table .empty-state p").await,
        "This client has no orders yet."
    );
    assert!(!present(&olga_b, "#create-order").await);
    olga_b.goto(&format!("{base}{orders}/new")).await.unwrap();
    assert_eq!(text(&olga_b, ".error-code").await, "403");
    assert!(text(&olga_b, ".error-page").await.contains("Create order"));

    // The administrator, in another browser, adds the individual right.
    sign_in(&admin_b, &base, "admin", ADMIN_PASSWORD).await;
    admin_b.goto(&format!("{base}/admin/staff")).await.unwrap();
    admin_b
        .find(Locator::Css("tr[data-login=olga] a[href$='/permissions']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(text(&admin_b, "h1").await, "Permissions of Olga Orders");
    let inherited = text(&admin_b, "#row-client-order-history").await;
    assert!(
        inherited.contains("Inherited from Order desk"),
        "{inherited}"
    );
    assert!(
        !present(&admin_b, "#row-client-order-history button.perm-disable").await,
        "an inherited right cannot be removed here"
    );
    click(&admin_b, "#row-client-order-create button.perm-enable").await;
    assert!(text(&admin_b, ".flash").await.contains("Permissions saved"));
    assert!(
        text(&admin_b, "#row-client-order-create")
            .await
            .contains("Individual")
    );
    // "Why?": answered in place by htmx.
    admin_b
        .find(Locator::Css(
            "#explain-function option[value='client.order.create']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&admin_b, "#explain button[type=submit]").await;
    let why = text(&admin_b, "#explain-result .explain-reason").await;
    assert_eq!(why, "Because it was granted to this employee individually.");

    // The employee's open session sees the button at the next page load.
    olga_b.goto(&format!("{base}{orders}")).await.unwrap();
    click(&olga_b, "#create-order").await;
    assert_eq!(path(&olga_b).await, format!("{orders}/new"));
    let provider = text(&olga_b, ".choice").await;
    assert!(provider.contains("Cloud EU"), "{provider}");
    click(&olga_b, "form.form button[type=submit]").await;
    assert!(
        text(&olga_b, ".flash-info")
            .await
            .contains("arrives with the product catalogue")
    );
}

#[tokio::test]
async fn an_employee_gets_create_order_only_once_granted_in_chromium() {
    let Some(chromedriver) = on_path("chromedriver") else {
        return browser_missing("chromedriver is not on PATH");
    };
    if !Path::new(CHROMIUM).is_file() {
        return browser_missing("/usr/bin/chromium is missing");
    }
    let t = harness::spawn().await;
    let admin = Panel::sign_in(&t, "admin", ADMIN_PASSWORD).await;
    let (_, client) = provider_and_client(&admin, "Cloud EU", "Jane Roe").await;
    let (admin_profile, olga_profile) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let driver = Driver::start(&chromedriver);
    let admin_b = open_browser(&driver, admin_profile.path()).await;
    let olga_b = open_browser(&driver, olga_profile.path()).await;
    let outcome = tokio::spawn(scenario(
        admin_b.clone(),
        olga_b.clone(),
        t.base.clone(),
        client,
    ))
    .await;
    let _ = admin_b.close().await;
    let _ = olga_b.close().await;
    drop(driver);
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the browser scenario did not finish: {e}"),
        }
    }
}

#[tokio::test]
async fn an_avatar_shows_in_the_top_bar_and_profile_and_can_be_removed() {
    let t = spawn().await;
    let admin = Panel::sign_in(&t, "admin", ADMIN_PASSWORD).await;
    let me = admin.api("/api/v1/me").await;
    let id = me["id"]
        .as_str()
        .or_else(|| me["user"]["id"].as_str())
        .unwrap()
        .to_owned();
    let (_, page) = admin.get("/admin/profile").await;
    assert!(!page.contains("id=\"top-avatar\"") && !page.contains("id=\"profile-avatar\""));

    let good = png(40, 40, 2000);
    let (status, _) = admin.upload_avatar(&id, &good, true).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = admin.get("/admin/profile").await;
    assert!(
        page.contains("id=\"top-avatar\" src=\"/admin/profile/avatar\""),
        "{page}"
    );
    assert!(page.contains("id=\"profile-avatar\""));
    let own = admin
        .http
        .get(t.url("/admin/profile/avatar"))
        .send()
        .await
        .unwrap();
    assert_eq!(own.bytes().await.unwrap().as_ref(), good.as_slice());

    let (_, card) = admin.get(&format!("/admin/staff/{id}")).await;
    let remove = format!("/admin/staff/{id}/avatar/delete");
    assert!(card.contains(&format!("action=\"{remove}\"")), "{card}");
    let res = admin.post(&remove, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(back, format!("/admin/staff/{id}?avatar_removed=1"));
    let (_, card) = admin.get(&back).await;
    assert!(card.contains("The avatar has been removed."), "{card}");
    admin
        .post("/language", &[("lang", "ru"), ("back", "/admin")])
        .await;
    let (_, card) = admin.get(&back).await;
    assert!(card.contains("Аватар удалён."), "{card}");
    let (_, card) = admin.get(&format!("/admin/staff/{id}")).await;
    assert!(!card.contains("Аватар удалён."), "only after a removal");
    admin
        .post("/language", &[("lang", "en"), ("back", "/admin")])
        .await;
    let (_, page) = admin.get("/admin/profile").await;
    assert!(!page.contains("id=\"top-avatar\""), "the initial is back");
    let (_, card) = admin.get(&format!("/admin/staff/{id}")).await;
    assert!(!card.contains(&format!("action=\"{remove}\"")));
    let res = admin.post(&remove, &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, history) = admin.get("/admin/profile/history").await;
    assert_eq!(status, StatusCode::OK);
    assert!(history.contains("avatar"), "the removal is in the history");

    // Removing needs staff.edit, as uploading does.
    let olga = admin
        .api_post(
            "/api/v1/staff",
            json!({"login": "olga", "name": "Olga", "password": EMPLOYEE_PASSWORD}),
        )
        .await;
    assert!(olga["staff"]["id"].is_string());
    let olga = Panel::sign_in(&t, "olga", EMPLOYEE_PASSWORD).await;
    let res = olga.post(&remove, &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_staff_create_form_takes_an_avatar_checked_like_an_upload() {
    let t = spawn().await;
    let admin = Panel::sign_in(&t, "admin", ADMIN_PASSWORD).await;
    let (_, form) = admin.get("/admin/staff/new").await;
    assert!(
        form.contains("enctype=\"multipart/form-data\"")
            && form.contains("name=\"avatar\" type=\"file\""),
        "{form}"
    );
    let before = staff_total(&admin).await;

    // A refused image is reported with the other fields' problems, and nothing is saved.
    let res = admin
        .post_multipart(
            "/admin/staff",
            &[("login", "vera"), ("name", ""), ("locale", "en")],
            Some(&png(81, 80, 2000)),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        field_error(&html, "avatar").is_some_and(|e| e.contains("80×80")),
        "{html}"
    );
    assert!(field_error(&html, "name").is_some());
    assert!(html.contains("value=\"vera\""), "the login is kept");
    assert_eq!(staff_total(&admin).await, before, "nothing was saved");

    // With a good image: the employee and the image are stored together.
    let good = png(48, 48, 1800);
    let res = admin
        .post_multipart(
            "/admin/staff",
            &[
                ("login", "vera"),
                ("name", "Vera Avatar"),
                ("password", EMPLOYEE_PASSWORD),
                ("locale", "en"),
            ],
            Some(&good),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin/staff?created=1");
    let vera = Panel::sign_in(&t, "vera", EMPLOYEE_PASSWORD).await;
    let me = vera.api("/api/v1/me").await;
    let id = me["id"]
        .as_str()
        .or_else(|| me["user"]["id"].as_str())
        .unwrap()
        .to_owned();
    let (_, card) = admin.get(&format!("/admin/staff/{id}")).await;
    assert!(
        card.contains(&format!("src=\"/admin/staff/{id}/avatar?v=")),
        "{card}"
    );
    let stored = admin
        .http
        .get(t.url(&format!("/admin/staff/{id}/avatar")))
        .send()
        .await
        .unwrap();
    assert_eq!(stored.bytes().await.unwrap().as_ref(), good.as_slice());
    // The new employee's own top bar shows it.
    let (status, page) = vera.get("/admin/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("id=\"top-avatar\" src=\"/admin/profile/avatar\""),
        "{page}"
    );

    // Without a chosen file (an empty file input) the employee is created without one.
    let res = admin
        .post_multipart(
            "/admin/staff",
            &[
                ("login", "petr"),
                ("name", "Petr Plain"),
                ("password", EMPLOYEE_PASSWORD),
                ("locale", "en"),
            ],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let petr = Panel::sign_in(&t, "petr", EMPLOYEE_PASSWORD).await;
    let (status, page) = petr.get("/admin/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("id=\"top-avatar\""), "the initial");
    // A plain urlencoded post (no file input at all) still works.
    let res = admin
        .post(
            "/admin/staff",
            &[
                ("login", "ivan"),
                ("name", "Ivan Urlencoded"),
                ("password", EMPLOYEE_PASSWORD),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(staff_total(&admin).await, before + 3);
}
