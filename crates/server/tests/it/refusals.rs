//! Requests that cannot be read as sent, and what each surface answers: a body over the limit
//! is a 413 naming the limit, an address or a form that is not text once percent-decoded is a
//! 400, never axum's plain text and never "the form has expired"; the API answers with
//! problem+json codes, the panels with a page, inside the signed-in layout (menu, sign-out,
//! language switch) when the caller is signed in. And nothing of a refused request is saved.

use crate::harness::{TestApp, problem_code, spawn};
use bursar::router;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const EMPLOYEE_PASSWORD: &str = "limited-password-42";
/// The client edit form's other required fields, as the page fills them in.
const EDIT_REST: &str = "&email=jane%40example.com&locale=en&characteristic=common";

/// A signed-in browser: its cookie jar and its session's CSRF token.
struct Browser {
    http: reqwest::Client,
    csrf: String,
    base: String,
}

impl Browser {
    async fn sign_in(t: &TestApp, login: &str, password: &str) -> Browser {
        let (http, me) = t.login(login, password).await;
        Browser {
            http,
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
            base: t.base.clone(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, path: &str) -> Page {
        Page::of(self.http.get(self.url(path)).send().await.unwrap()).await
    }

    /// Posts `body` as a urlencoded form, as a browser without JavaScript does.
    async fn post_form(&self, path: &str, body: Vec<u8>) -> Page {
        let res = self
            .http
            .post(self.url(path))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("referer", self.url(path))
            .body(body)
            .send()
            .await
            .unwrap();
        Page::of(res).await
    }

    /// Posts `body` as htmx does: the token in the header as well.
    async fn post_htmx(&self, path: &str, body: Vec<u8>) -> Page {
        let res = self
            .http
            .post(self.url(path))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-csrf-token", &self.csrf)
            .header("hx-request", "true")
            .body(body)
            .send()
            .await
            .unwrap();
        Page::of(res).await
    }

    async fn api_post(&self, path: &str, body: Value) -> Value {
        let res = self
            .http
            .post(self.url(path))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json().await.unwrap()
    }

    /// The form body `_csrf=…&` followed by `rest`.
    fn form(&self, rest: &[u8]) -> Vec<u8> {
        let mut body = format!("_csrf={}&", self.csrf).into_bytes();
        body.extend_from_slice(rest);
        body
    }
}

/// A panel answer: status, content type and text.
struct Page {
    status: StatusCode,
    content_type: String,
    html: String,
}

impl Page {
    async fn of(res: reqwest::Response) -> Page {
        Page {
            status: res.status(),
            content_type: res
                .headers()
                .get(CONTENT_TYPE)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default(),
            html: res.text().await.unwrap(),
        }
    }

    /// An HTML page in the signed-in layout: menu, sign-out, language switch, and the way on
    /// is the start page, not the sign-in page.
    fn assert_signed_in_layout(&self) {
        assert!(
            self.content_type.starts_with("text/html"),
            "{}",
            self.content_type
        );
        assert!(
            self.html.contains("class=\"sidebar\""),
            "no menu: {}",
            self.html
        );
        assert!(self.html.contains("class=\"logout-form\""), "no sign-out");
        assert!(
            self.html.contains("class=\"lang-switch\""),
            "no language switch"
        );
        assert!(!self.html.contains("anonymous"), "the anonymous layout");
        assert!(
            !self.html.contains(">Sign in<") && !self.html.contains(">Войти<"),
            "a sign-in button for a signed-in user: {}",
            self.html
        );
    }
}

/// A client created through the API; returns its id.
async fn client(admin: &Browser, name: &str) -> String {
    let provider = admin
        .api_post(
            "/api/v1/providers",
            json!({"name": "Cloud EU", "currency": "EUR", "login_at_registration": false}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    admin
        .api_post(
            "/api/v1/clients",
            json!({"email": "jane@example.com", "providers": [provider], "name": name}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn client_name(admin: &Browser, id: &str) -> String {
    let res = admin
        .http
        .get(admin.url(&format!("/api/v1/clients/{id}")))
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    body["name"]
        .as_str()
        .or_else(|| body["client"]["name"].as_str())
        .unwrap_or_else(|| panic!("no name in {body}"))
        .to_owned()
}

fn multipart(csrf: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----bursar-refusals";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_oversized_panel_form_gets_a_413_page_naming_the_limit_and_saves_nothing() {
    let t = spawn().await;
    let admin = Browser::sign_in(&t, "admin", crate::harness::ADMIN_PASSWORD).await;
    let id = client(&admin, "Jane Roe").await;
    let edit = format!("/admin/clients/{id}/edit");

    // 3 MB, 100 KB (over the handlers' limit, under the guard's old one) and the same by htmx.
    for size in [3 * 1024 * 1024, 100 * 1024] {
        let rest = format!("name={}", "x".repeat(size));
        let page = admin.post_form(&edit, admin.form(rest.as_bytes())).await;
        assert_eq!(
            page.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{size}: {}",
            page.html
        );
        assert!(
            page.html.contains("64 KB"),
            "the limit is named: {}",
            page.html
        );
        assert!(page.html.contains("Too large to accept"));
        assert!(
            page.html.contains(">Back to the form<"),
            "the way back to the form"
        );
        page.assert_signed_in_layout();
    }
    let page = admin
        .post_htmx(
            &edit,
            admin.form(format!("name={}", "x".repeat(100 * 1024)).as_bytes()),
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.html.contains("64 KB"));

    // A form just under the limit is read and saved as before.
    let body = admin.form(format!("name=Jane+Smith{EDIT_REST}").as_bytes());
    let page = admin.post_form(&edit, body).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(client_name(&admin, &id).await, "Jane Smith");

    // The avatar form without htmx: over the upload limit of 1 MB.
    let staff = admin
        .api_post(
            "/api/v1/staff",
            json!({"login": "olga", "name": "Olga", "password": EMPLOYEE_PASSWORD}),
        )
        .await;
    let olga = staff["staff"]["id"].as_str().unwrap().to_owned();
    let (content_type, body) = multipart(&admin.csrf, &vec![0u8; 2 * 1024 * 1024]);
    let res = admin
        .http
        .post(admin.url(&format!("/admin/staff/{olga}/avatar")))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let page = Page::of(res).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.html.contains("1 MB"), "{}", page.html);
    page.assert_signed_in_layout();

    // A stranger's oversized sign-in form: the bare layout, in their language.
    let res = t
        .browser()
        .post(t.url("/admin/login"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("cookie", "bursar_csrf=anon-token")
        .header("accept-language", "ru")
        .body(format!(
            "_csrf=anon-token&login={}",
            "x".repeat(3 * 1024 * 1024)
        ))
        .send()
        .await
        .unwrap();
    let page = Page::of(res).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.html.contains("64 КБ"), "{}", page.html);
    assert!(page.html.contains("Слишком большой объём"));
    assert!(
        page.html.contains(">Войти<"),
        "a stranger is offered to sign in"
    );
}

#[tokio::test]
async fn an_oversized_api_body_is_a_payload_too_large_problem_naming_the_limit() {
    let t = spawn().await;
    let admin = Browser::sign_in(&t, "admin", crate::harness::ADMIN_PASSWORD).await;
    // A session's form post carries its token in the body, so the guard reads it.
    let res = admin
        .http
        .post(admin.url("/api/v1/me/tokens"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(admin.form(format!("name={}", "x".repeat(3 * 1024 * 1024)).as_bytes()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "payload_too_large");
    assert!(body["detail"].as_str().unwrap().contains("64 KB"), "{body}");

    let (content_type, body) = multipart(&admin.csrf, &vec![0u8; 2 * 1024 * 1024]);
    let res = admin
        .http
        .post(admin.url("/api/v1/me/tokens"))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "payload_too_large");
    assert!(body["detail"].as_str().unwrap().contains("1 MB"), "{body}");
}

#[tokio::test]
async fn an_address_that_does_not_decode_is_a_problem_on_the_api_and_a_page_in_the_panels() {
    let t = spawn().await;
    let admin = Browser::sign_in(&t, "admin", crate::harness::ADMIN_PASSWORD).await;
    let res = admin
        .http
        .get(admin.url("/api/v1/clients/%FF"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::BAD_REQUEST, "invalid_path".into())
    );
    // Who may not be there learns that first.
    let res = t
        .browser()
        .get(t.url("/api/v1/clients/%FF"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::UNAUTHORIZED, "unauthenticated".into())
    );

    let page = admin.get("/admin/clients/%FF").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.html.contains("This address cannot be read"),
        "{}",
        page.html
    );
    page.assert_signed_in_layout();

    let client = t.client_user("jane").await;
    let res = client.get("/client/users/%FF%FE").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("This address cannot be read") && html.contains("logout-form"));

    // Every route with a parameter, with every method it serves, by the one who may use it
    // (the client's main user in the client area, the administrator elsewhere): never axum's
    // plain text. (The panels' catch-all `{*rest}` reads no parameter: a 404 page.)
    let decls = router::build(t.app.clone(), router::Options::default()).decls;
    let (mut checked, mut api_invalid_path) = (0, 0);
    for d in decls
        .iter()
        .filter(|d| d.path.contains('{') && !d.path.contains("{*"))
    {
        let path: String = d
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "%FF" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let (http, csrf) = if path.starts_with("/client/") {
            (&client.client, &client.csrf)
        } else {
            (&admin.http, &admin.csrf)
        };
        let method = Method::from_bytes(d.method.as_str().as_bytes()).unwrap();
        let mut req = http
            .request(method.clone(), t.url(&path))
            .header("x-csrf-token", csrf);
        if method != Method::GET {
            req = if path.starts_with("/api/") {
                req.json(&json!({}))
            } else {
                req.header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(format!("_csrf={csrf}&x=1"))
            };
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let content_type = res
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let text = res.text().await.unwrap();
        let what = format!("{method} {path} → {status} {content_type}: {text}");
        assert!(!content_type.starts_with("text/plain"), "{what}");
        if path.starts_with("/api/") {
            assert!(
                content_type.starts_with("application/problem+json"),
                "{what}"
            );
            let body: Value = serde_json::from_str(&text).unwrap();
            // The administrator holds every staff function; client functions are refused.
            if body["code"] == "invalid_path" {
                assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
                api_invalid_path += 1;
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
            }
        } else {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
            assert!(content_type.starts_with("text/html"), "{what}");
            assert!(text.contains("This address cannot be read"), "{what}");
            assert!(text.contains("logout-form"), "{what}");
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} routes with parameters");
    assert!(
        api_invalid_path > 10,
        "only {api_invalid_path} API routes reached"
    );
}

#[tokio::test]
async fn a_form_with_invalid_characters_is_refused_as_such_and_saves_nothing() {
    let t = spawn().await;
    let admin = Browser::sign_in(&t, "admin", crate::harness::ADMIN_PASSWORD).await;
    let id = client(&admin, "Jane Roe").await;
    let edit = format!("/admin/clients/{id}/edit");

    // Percent-encoded bytes that are not UTF-8, raw ones, and the same sent by htmx.
    let page = admin.post_form(&edit, admin.form(b"name=%FF%FE")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("The form contained invalid characters"));
    assert!(!page.html.contains("The form has expired"));
    assert!(page.html.contains(">Back to the form<"));
    page.assert_signed_in_layout();
    let page = admin.post_form(&edit, admin.form(b"name=Jane\xff")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let page = admin.post_htmx(&edit, admin.form(b"name=%C3")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.html.contains("The form contained invalid characters"));
    assert_eq!(
        client_name(&admin, &id).await,
        "Jane Roe",
        "nothing was saved"
    );

    // A forged token is still "forged", whatever else the form holds.
    let forged = format!("_csrf={}&name=%FF", "f".repeat(admin.csrf.len()));
    let page = admin.post_form(&edit, forged.into_bytes()).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.html.contains("The form has expired"));
    page.assert_signed_in_layout();

    // The token is percent-decoded like any field, and real text (a real U+FFFD included)
    // is saved as typed.
    let encoded: String = admin.csrf.bytes().map(|b| format!("%{b:02X}")).collect();
    let body = format!("_csrf={encoded}&name=%D0%AF%D0%BD+%EF%BF%BD{EDIT_REST}");
    let page = admin.post_form(&edit, body.into_bytes()).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(client_name(&admin, &id).await, "Ян \u{FFFD}");

    // The API: the same form is a `malformed_form` problem.
    let res = admin
        .http
        .post(admin.url("/api/v1/me/tokens"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(admin.form(b"name=%FF"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::BAD_REQUEST, "malformed_form".into())
    );
}

#[tokio::test]
async fn a_limited_employee_is_refused_inside_their_own_layout_in_their_language() {
    let t = spawn().await;
    let admin = Browser::sign_in(&t, "admin", crate::harness::ADMIN_PASSWORD).await;
    admin
        .api_post(
            "/api/v1/staff",
            json!({"login": "olga", "name": "Olga", "password": EMPLOYEE_PASSWORD}),
        )
        .await;
    let olga = Browser::sign_in(&t, "olga", EMPLOYEE_PASSWORD).await;

    let page = olga.get("/admin/clients").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.html.contains("client.list"), "{}", page.html);
    page.assert_signed_in_layout();
    assert!(
        page.html.contains("href=\"/admin/profile\""),
        "her menu: {}",
        page.html
    );
    assert!(
        !page.html.contains("href=\"/admin/clients\""),
        "the menu is filtered by her rights"
    );
    assert!(page.html.contains(">Go to my start page<"));

    // A form she may not send, with a valid token: refused the same way.
    let page = olga
        .post_form("/admin/clients/new", olga.form(b"name=x"))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    page.assert_signed_in_layout();

    // In her saved language, whatever the browser asks for.
    let res = olga
        .http
        .patch(olga.url("/api/v1/me"))
        .header("x-csrf-token", &olga.csrf)
        .json(&json!({"locale": "ru"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = olga
        .http
        .get(olga.url("/admin/clients"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let page = Page::of(res).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.html.contains("Доступ запрещён"), "{}", page.html);
    assert!(page.html.contains(">Выйти<"));
    page.assert_signed_in_layout();

    // A stranger's expired form still offers to sign in, in the bare layout.
    let res = t
        .browser()
        .post(t.url("/admin/clients/new"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("_csrf=stale&name=x")
        .send()
        .await
        .unwrap();
    let status = res.status();
    let location = res.headers().get("location").cloned();
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "anonymous callers go to sign in"
    );
    assert_eq!(location.unwrap(), "/admin/login");
    let res = t
        .browser()
        .post(t.url("/admin/login"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("_csrf=stale&login=x")
        .send()
        .await
        .unwrap();
    let page = Page::of(res).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.html.contains("The form has expired") && page.html.contains(">Sign in<"));
    assert!(page.html.contains("anonymous"));
}
