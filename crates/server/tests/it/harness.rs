//! Test harness: `spawn()` gives a running server with a fresh database and an administrator
//! whose password is [`ADMIN_PASSWORD`].

use bursar::router;
use bursar_app::{App, ManualClock, Policy};
use bursar_store::SqlStore;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Once};
use tokio::sync::oneshot;

pub const ADMIN_PASSWORD: &str = "admin-password-1";
pub const CLIENT_PASSWORD: &str = "client-password-1";

/// Where the test databases live.
enum Db {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

pub struct TestApp {
    pub base: String,
    pub app: App,
    pub store: SqlStore,
    pub clock: Arc<ManualClock>,
    _db: DbGuard,
    stop: Option<oneshot::Sender<()>>,
}

static NOTE: Once = Once::new();

/// The PostgreSQL server to test against, if any. CI sets `BURSAR_TEST_REQUIRE_POSTGRES=1`
/// so the PostgreSQL pass can never be skipped silently there.
fn postgres_url() -> Option<String> {
    let url = std::env::var("BURSAR_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("BURSAR_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("BURSAR_TEST_REQUIRE_POSTGRES=1 but BURSAR_TEST_DATABASE_URL is not set");
    }
    NOTE.call_once(|| {
        // Written straight to the terminal: libtest captures only print!/eprint!.
        let line = match &url {
            Some(_) => "note: integration tests run on PostgreSQL (BURSAR_TEST_DATABASE_URL)\n",
            None => "note: integration tests run on SQLite; the PostgreSQL pass is SKIPPED (set BURSAR_TEST_DATABASE_URL=postgres://… to run it)\n",
        };
        let _ = std::io::stderr().write_all(line.as_bytes());
    });
    url
}

pub fn on_postgres() -> bool {
    postgres_url().is_some()
}

/// A fresh, migrated, empty database.
pub async fn fresh_store() -> (SqlStore, DbGuard) {
    let (url, guard) = fresh_url().await;
    let store = SqlStore::connect(&url, 5).await.unwrap();
    store.migrate().await.unwrap();
    (store, guard)
}

/// The URL of a new, empty database (not migrated) of the kind the tests run on.
pub async fn fresh_url() -> (String, DbGuard) {
    match postgres_url() {
        None => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            (url, DbGuard(Some(Db::Sqlite(dir))))
        }
        Some(admin_url) => empty_postgres(admin_url).await,
    }
}

/// When the tests run on PostgreSQL: the URL of a new, empty database (not migrated).
pub async fn fresh_postgres_url() -> Option<(String, DbGuard)> {
    match postgres_url() {
        Some(admin_url) => Some(empty_postgres(admin_url).await),
        None => None,
    }
}

async fn empty_postgres(admin_url: String) -> (String, DbGuard) {
    let name = format!("bursar_test_{}", uuid::Uuid::now_v7().simple());
    let admin = SqlStore::connect(&admin_url, 1).await.unwrap();
    admin
        .pool()
        .raw_script(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap();
    admin.close().await;
    let url = with_database(&admin_url, &name);
    (url, DbGuard(Some(Db::Postgres { admin_url, name })))
}

/// The same server URL pointing at database `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let server = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    if query.is_empty() {
        format!("{server}/{name}")
    } else {
        format!("{server}/{name}?{query}")
    }
}

/// Drops the test database when the test ends (even when it fails).
pub struct DbGuard(Option<Db>);

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let Some(Db::Postgres { admin_url, name }) = self.0.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    if let Ok(admin) = SqlStore::connect(&admin_url, 1).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = admin.pool().raw_script(sqlx::AssertSqlSafe(sql)).await;
                        admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with its own cookie jar (a browser).
    pub fn browser(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Signs in through the API; returns the client (with the session cookie) and `/me`.
    pub async fn login(&self, login: &str, password: &str) -> (Client, Value) {
        let c = self.browser();
        let res = c
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "login": login, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "login {login}: {}",
            res.text().await.unwrap()
        );
        let body: Value = res.json().await.unwrap();
        (c, body["user"].clone())
    }

    pub async fn admin(&self) -> Session {
        let (client, me) = self.login("admin", ADMIN_PASSWORD).await;
        Session {
            client,
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
            me,
            base: self.base.clone(),
        }
    }

    /// Creates a client with a main user (login `login`) and signs that user in.
    pub async fn client_user(&self, login: &str) -> Session {
        self.app
            .create_client_as_system(bursar_app::setup::NewClient {
                name: format!("Client {login}"),
                email: format!("{login}@example.com"),
                login: Some(login.to_owned()),
                password: CLIENT_PASSWORD.to_owned(),
                locale: bursar_domain::Locale::En,
            })
            .await
            .unwrap();
        let (client, me) = self.login(login, CLIENT_PASSWORD).await;
        Session {
            client,
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
            me,
            base: self.base.clone(),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A signed-in API session: sends the CSRF header on every state-changing request.
pub struct Session {
    pub client: Client,
    pub csrf: String,
    pub me: Value,
    base: String,
}

impl Session {
    /// Wraps a signed-in client; `me` is the login answer's user.
    pub fn new(client: Client, me: Value, base: String) -> Self {
        let csrf = me["csrf_token"].as_str().unwrap_or_default().to_owned();
        Session {
            client,
            csrf,
            me,
            base,
        }
    }

    /// A request with the session's cookie and CSRF header, not yet sent: it owns what it
    /// needs, so it can be sent from a spawned task (the concurrency tests fire many at once).
    pub fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::RequestBuilder {
        let req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf);
        match body {
            Some(b) => req.json(&b),
            None => req,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Response {
        self.request(method, path, body).send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
}

/// Starts the real router over a fresh database, with the administrator created.
pub async fn spawn() -> TestApp {
    spawn_with(router::Options::default()).await
}

/// [`spawn`] with the router set up as for one deployment.
pub async fn spawn_with(options: router::Options) -> TestApp {
    spawn_configured(options, Policy::default()).await
}

/// [`spawn`] with a policy of its own (a short idle timeout, …).
pub async fn spawn_with_policy(policy: Policy) -> TestApp {
    spawn_configured(router::Options::default(), policy).await
}

async fn spawn_configured(options: router::Options, policy: Policy) -> TestApp {
    let (store, guard) = fresh_store().await;
    let clock = Arc::new(ManualClock::new(jiff::Timestamp::now()));
    let app = App::new(Arc::new(store.clone()), clock.clone(), policy)
        .with_module_runner(Arc::new(bursar_jobs::ModuleCaller::new()));
    app.install(Some(ADMIN_PASSWORD.to_owned())).await.unwrap();
    let built = router::build(app.clone(), options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            built
                .router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await;
    });
    TestApp {
        base: format!("http://{addr}"),
        app,
        store,
        clock,
        _db: guard,
        stop: Some(tx),
    }
}

/// A problem+json body's `code`.
pub async fn problem_code(res: Response) -> (StatusCode, String) {
    let status = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(
        ct.starts_with("application/problem+json"),
        "expected problem+json, got {ct}: {body}"
    );
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

/// Creates a provider through the API as `admin`; its id.
pub async fn new_provider(admin: &Session, name: &str, currency: &str, login: bool) -> String {
    let res = admin
        .post(
            "/api/v1/providers",
            json!({"name": name, "currency": currency, "login_at_registration": login}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// POSTs `body` to `path`, asserts 201 and answers the created record.
pub async fn created(s: &Session, path: &str, body: Value) -> Value {
    let res = s.post(path, body).await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{path}: {}",
        res.text().await.unwrap()
    );
    res.json().await.unwrap()
}

/// Creates a client through the API as `admin` from `body`; the answer.
pub async fn new_client(admin: &Session, body: Value) -> Value {
    let res = admin.post("/api/v1/clients", body).await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    res.json().await.unwrap()
}

/// Reading a column in a test: the value, or a panic naming the column.
pub trait RowExt {
    fn get<T: bursar_store::db::Column>(&self, col: &str) -> T;
}

impl RowExt for bursar_store::db::Row {
    fn get<T: bursar_store::db::Column>(&self, col: &str) -> T {
        self.try_get(col)
            .unwrap_or_else(|e| panic!("column {col}: {e}"))
    }
}

/// A value for a test's own SQL: an id as an id (PostgreSQL's `uuid`), anything else as text.
pub fn val(s: &str) -> bursar_store::db::Val {
    match uuid::Uuid::parse_str(s) {
        Ok(id) => bursar_store::db::Val::Uuid(Some(id)),
        Err(_) => bursar_store::db::Val::Text(Some(s.to_owned())),
    }
}

impl TestApp {
    /// `bursar check` over the test's database: every money test ends with it, on both
    /// databases, and fails naming each discrepancy.
    pub async fn assert_books_balance(&self) {
        let problems = self.app.check_money().await.unwrap();
        assert!(problems.is_empty(), "bursar check: {problems:#?}");
    }
}

/// The provider's payment method of `kind` (`bank_transfer` or `manual`); every new
/// provider has one of each.
pub async fn method_of(admin: &Session, provider: &str, kind: &str) -> String {
    let list: Value = admin
        .get(&format!("/api/v1/payment-methods?provider_id={provider}"))
        .await
        .json()
        .await
        .unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} method: {list}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Issues an invoice of `amount` to `client` with `provider`'s bank transfer: the payment.
pub async fn issue_payment(admin: &Session, client: &str, provider: &str, amount: &str) -> Value {
    let method = method_of(admin, provider, "bank_transfer").await;
    let res = admin
        .post(
            "/api/v1/payments",
            json!({"client_id": client, "provider_id": provider, "method_id": method, "amount": amount}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    res.json().await.unwrap()
}

/// Issues and credits a payment: money on the client's account.
pub async fn pay_in(admin: &Session, client: &str, provider: &str, amount: &str) -> Value {
    let p = issue_payment(admin, client, provider, amount).await;
    let res = admin
        .post(
            &format!("/api/v1/payments/{}/credit", p["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    res.json().await.unwrap()
}

/// Charges `client` an expense of `amount` with `provider`.
pub async fn charge(admin: &Session, client: &str, provider: &str, amount: &str) -> Response {
    admin
        .post(
            "/api/v1/expenses",
            json!({"client_id": client, "provider_id": provider, "description": "Hosting, December", "amount": amount}),
        )
        .await
}

/// Switches the client's account with `provider` to post-paid (opening it if needed).
pub async fn allow_postpaid(admin: &Session, client: &str, provider: &str) -> String {
    let list: Value = admin
        .get(&format!("/api/v1/clients/{client}/accounts"))
        .await
        .json()
        .await
        .unwrap();
    let existing = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["provider_id"] == provider && a["is_active"] == true)
        .map(|a| a["id"].as_str().unwrap().to_owned());
    let id = match existing {
        Some(id) => id,
        None => {
            let res = admin
                .post(
                    &format!("/api/v1/clients/{client}/accounts"),
                    json!({"provider_id": provider}),
                )
                .await;
            assert_eq!(
                res.status(),
                StatusCode::CREATED,
                "{}",
                res.text().await.unwrap()
            );
            res.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let res = admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/accounts/{id}"),
            Some(json!({"postpaid": true})),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    id
}
