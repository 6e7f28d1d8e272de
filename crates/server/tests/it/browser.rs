//! The panels in a real browser (headless Debian chromium driven through chromedriver):
//! the administrator signs in at `/admin/login` (after one wrong password), sees the
//! dashboard, switches to Russian and sees Russian text, signs out; then a client user
//! signs in at `/client/login` and sees the client dashboard.
//!
//! This proves what request-level tests cannot: that the forms, the CSRF cookie, the
//! redirects, the session cookie and the language switch work together in a browser.
//! Without `chromedriver` or `/usr/bin/chromium` the test says so on stderr and passes,
//! unless `BURSAR_TEST_REQUIRE_BROWSER=1` (CI), which makes a missing browser a failure.

use crate::harness::{self, ADMIN_PASSWORD, CLIENT_PASSWORD};
use crate::webdriver::{
    CHROMIUM, Driver, WAIT, browser_missing, click, fill, on_path, open_browser, path, text,
};
use fantoccini::{Client, Locator};
use std::path::Path;

async fn sign_in(b: &Client, login: &str, password: &str) {
    fill(b, "#login", login).await;
    fill(b, "#password", password).await;
    click(b, ".auth-card button[type=submit]").await;
}

async fn scenario(b: Client, base: String, client_login: String) {
    // The staff sign-in page, in English for a browser that asks for nothing else.
    b.goto(&format!("{base}/admin")).await.unwrap();
    assert_eq!(
        path(&b).await,
        "/admin/login",
        "anonymous /admin goes to sign-in"
    );
    assert_eq!(text(&b, "h1").await, "Sign in to the staff panel");

    // A wrong password: a message next to the form, the typed login kept.
    sign_in(&b, "admin", "not-the-password-1").await;
    let alert = text(&b, ".alert-error").await;
    assert!(alert.contains("Wrong login or password"), "{alert}");
    let kept = b.find(Locator::Css("#login")).await.unwrap();
    assert_eq!(kept.prop("value").await.unwrap().as_deref(), Some("admin"));

    // The right one: the dashboard, with the registry-built menu.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    let welcome = text(&b, ".page-head h1").await;
    assert_eq!(welcome, "Welcome, Administrator");
    assert_eq!(path(&b).await, "/admin");
    let menu = text(&b, ".sidebar").await;
    for item in ["Dashboard", "My profile", "History"] {
        assert!(menu.contains(item), "menu lacks {item}: {menu}");
    }
    let lang = b
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("en"));

    // Switch to Russian: same page, Russian text, `<html lang="ru">`.
    click(&b, ".lang-switch button[value=ru]").await;
    b.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("html[lang=ru]"))
        .await
        .unwrap();
    assert_eq!(path(&b).await, "/admin");
    assert_eq!(
        text(&b, ".page-head h1").await,
        "Добро пожаловать, Administrator"
    );
    let menu = text(&b, ".sidebar").await;
    assert!(
        menu.contains("Главная") && menu.contains("История"),
        "{menu}"
    );
    assert_eq!(text(&b, ".logout-form button").await, "Выйти");

    // Sign out: back to the sign-in page, still in Russian (the language cookie).
    click(&b, ".logout-form button").await;
    let heading = text(&b, ".auth-card h1").await;
    assert_eq!(heading, "Вход в панель сотрудника");
    assert_eq!(path(&b).await, "/admin/login");
    b.goto(&format!("{base}/admin")).await.unwrap();
    assert_eq!(path(&b).await, "/admin/login", "the session has ended");

    // A client user signs in at the client area and lands on the client dashboard, in
    // their own language (English), with the client menu.
    b.goto(&format!("{base}/client/login")).await.unwrap();
    sign_in(&b, &client_login, CLIENT_PASSWORD).await;
    let welcome = text(&b, ".page-head h1").await;
    assert!(welcome.starts_with("Welcome, "), "{welcome}");
    assert_eq!(path(&b).await, "/client");
    assert_eq!(text(&b, ".area-badge").await, "Client area");
    let menu = text(&b, ".sidebar").await;
    assert!(
        menu.contains("Dashboard") && menu.contains("My profile"),
        "{menu}"
    );
    assert!(
        !menu.contains("History"),
        "a client sees staff pages: {menu}"
    );
}

#[tokio::test]
async fn staff_and_client_sign_in_switch_language_and_sign_out_in_chromium() {
    let Some(chromedriver) = on_path("chromedriver") else {
        return browser_missing("chromedriver is not on PATH");
    };
    if !Path::new(CHROMIUM).is_file() {
        return browser_missing("/usr/bin/chromium is missing");
    }
    let t = harness::spawn().await;
    t.client_user("browser-client").await;
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver::start(&chromedriver);
    let browser = open_browser(&driver, profile.path()).await;
    // Run in a task so that a failed assertion still lets us end the browser session.
    let outcome = tokio::spawn(scenario(
        browser.clone(),
        t.base.clone(),
        "browser-client".to_owned(),
    ))
    .await;
    let _ = browser.close().await;
    drop(driver);
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the browser scenario did not finish: {e}"),
        }
    }
}
