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
    wait_for,
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
        "Добро пожаловать, Администратор"
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

// ---------------------------------------------------------------------------------------
// Widths and keyboard (issue 8, items 12 and 20)

/// The widths the panels must work at: a phone, a common laptop, a wide desktop.
const WIDTHS: [u32; 3] = [390, 1366, 1920];

/// Runs `script` (a function body) and returns what it returns.
async fn js(b: &Client, script: &str) -> serde_json::Value {
    b.execute(script, Vec::new())
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// Makes the viewport (not the window) `width` CSS pixels wide.
async fn set_width(b: &Client, width: u32) {
    b.set_window_size(width, 900).await.unwrap();
    let inner = js(b, "return window.innerWidth").await.as_u64().unwrap();
    if inner != u64::from(width) {
        let outer = i64::from(width) + (i64::from(width) - inner as i64);
        b.set_window_size(u32::try_from(outer).unwrap(), 900)
            .await
            .unwrap();
    }
    let inner = js(b, "return window.innerWidth").await.as_u64().unwrap();
    assert_eq!(inner, u64::from(width), "the viewport could not be sized");
}

/// Opens `path` and asserts that nothing scrolls sideways; the failure names the elements
/// that reach past the right edge.
async fn assert_fits(b: &Client, base: &str, path: &str, width: u32) {
    b.goto(&format!("{base}{path}")).await.unwrap();
    wait_for(b, "main#main").await;
    assert_no_sideways_scroll(b, &format!("{path} at {width}px")).await;
}

async fn assert_no_sideways_scroll(b: &Client, what: &str) {
    let r = js(
        b,
        r#"const iw = window.innerWidth, sw = document.documentElement.scrollWidth;
        const wide = [];
        if (sw > iw) for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.width > 0 && r.right > iw + 1) wide.push(el.tagName.toLowerCase()
            + (el.id ? '#' + el.id : '')
            + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '')
            + ' → ' + Math.round(r.right));
        }
        return { sw, iw, wide: wide.slice(0, 15) };"#,
    )
    .await;
    assert!(
        r["sw"].as_u64() <= r["iw"].as_u64(),
        "{what}: the page scrolls sideways (scrollWidth {} > innerWidth {}): {}",
        r["sw"],
        r["iw"],
        r["wide"]
    );
}

/// Presses one key (a `fantoccini::key::Key` as char) in the focused element.
async fn press(b: &Client, key: fantoccini::key::Key) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let key: char = key.into();
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    b.perform_actions(actions).await.unwrap();
}

/// The focused element: a short description, its focus ring, and the ring's contrast with
/// what surrounds it (the element's own background for an inset ring, else its parent's).
async fn focus_ring(b: &Client) -> serde_json::Value {
    js(
        b,
        r#"const rgb = s => { const m = s.match(/[\d.]+/g).map(Number);
            return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
        const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
        const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
            if (c.a > 0.9) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
        const el = document.activeElement, cs = getComputedStyle(el);
        const under = bg(parseFloat(cs.outlineOffset) < 0 ? el : el.parentElement);
        const l1 = lum(rgb(cs.outlineColor)), l2 = lum(under);
        const rect = el.getBoundingClientRect();
        return { what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 30),
                 id: el.id, cls: String(el.className), style: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
                 contrast: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05),
                 visible: rect.width > 1 && rect.height > 1 && rect.top >= 0 && rect.left >= 0 };"#,
    )
    .await
}

/// Everything the width scenario needs to find its pages.
struct Site {
    base: String,
    client_login: String,
    client_id: String,
    /// A paid invoice of the client, for the print page.
    payment_id: String,
    /// A demo plan, for its price matrix and add-ons.
    tariff_id: String,
    admin_id: String,
    department_id: String,
}

async fn widths_scenario(b: Client, site: Site) {
    let base = site.base.as_str();
    for width in WIDTHS {
        set_width(&b, width).await;
        b.goto(&format!("{base}/admin/login")).await.unwrap();
        assert_no_sideways_scroll(&b, &format!("/admin/login at {width}px")).await;
        sign_in(&b, "admin", ADMIN_PASSWORD).await;
        wait_for(&b, ".page-head h1").await;

        // The client card and every one of its tabs.
        let card = format!("/admin/clients/{}", site.client_id);
        assert_fits(&b, base, &card, width).await;
        let tabs = js(
            &b,
            "return [...document.querySelectorAll('.client-tabs a')].map(a => a.getAttribute('href'))",
        )
        .await;
        let tabs: Vec<String> = serde_json::from_value(tabs).unwrap();
        assert!(tabs.len() >= 4, "the card has its tabs: {tabs:?}");
        for tab in &tabs {
            assert_fits(&b, base, tab, width).await;
        }
        let pages = [
            "/admin".to_owned(),
            "/admin/staff".to_owned(),
            "/admin/departments".to_owned(),
            format!("/admin/departments/{}", site.department_id),
            format!("/admin/departments/{}/permissions", site.department_id),
            format!("/admin/staff/{}/permissions", site.admin_id),
            format!("/admin/staff/{}", site.admin_id),
            "/admin/profile".to_owned(),
            "/admin/payments".to_owned(),
            "/admin/expenses".to_owned(),
            "/admin/payment-methods".to_owned(),
            "/admin/tariffs".to_owned(),
            format!("/admin/tariffs/{}", site.tariff_id),
            "/admin/product-types".to_owned(),
            "/admin/enumerations".to_owned(),
            "/admin/processing-modules".to_owned(),
            "/admin/price-list".to_owned(),
            format!("/admin/payments/{}/print", site.payment_id),
            "/admin/currency-rates".to_owned(),
            "/admin/currency-rates/new".to_owned(),
            "/admin/promotions".to_owned(),
            "/admin/promotions/new".to_owned(),
            "/admin/taxes".to_owned(),
            format!("/admin/quotes?client={}", site.client_id),
            "/admin/clients".to_owned(),
        ];
        for page in &pages {
            assert_fits(&b, base, page, width).await;
        }
        // The printable invoice opened (before the list, the last page visited).
        b.goto(&format!("{base}/admin/payments/{}/print", site.payment_id))
            .await
            .unwrap();
        let title = js(
            &b,
            "return document.querySelector('#invoice-title').textContent",
        )
        .await;
        assert!(
            title.as_str().is_some_and(|t| t.starts_with("Invoice ")),
            "the print page shows the invoice: {title}"
        );
        b.goto(&format!("{base}/admin/clients")).await.unwrap();

        // The client list (the page now open): the last column is inside the table's box,
        // and no name takes three lines.
        let list = js(
            &b,
            r#"const wrap = document.querySelector('#client-results .table-wrap');
            const names = [...document.querySelectorAll('.client-table tbody td:nth-child(2) strong')].map(s =>
              ({ name: s.textContent, lines: s.getClientRects().length, width: Math.round(s.getBoundingClientRect().width) }));
            const main = document.querySelector('main#main').getBoundingClientRect();
            const columns = [...document.querySelectorAll('.client-table thead th')].map(th => Math.round(th.getBoundingClientRect().width));
            return { overflow: wrap.scrollWidth - wrap.clientWidth, names, columns, mainWidth: main.width, mainRight: main.right };"#,
        )
        .await;
        if width >= 1366 {
            assert!(
                list["overflow"].as_i64() <= Some(0),
                "at {width}px the client table is cut off by {}px (column widths {})",
                list["overflow"],
                list["columns"]
            );
            for n in list["names"].as_array().unwrap() {
                assert!(
                    n["lines"].as_i64() <= Some(2),
                    "at {width}px a client name wraps onto {} lines: {} ({}px wide; column widths {})",
                    n["lines"],
                    n["name"],
                    n["width"],
                    list["columns"]
                );
            }
        }
        if width == 1920 {
            // The content fills the wide screen instead of stopping near 1150px.
            assert!(
                list["mainRight"].as_f64() >= Some(1900.0)
                    && list["mainWidth"].as_f64() >= Some(1600.0),
                "the content does not use the wide screen: {list}"
            );
        }

        // The menu: a sidebar on wide screens; on a phone hidden behind a menu button
        // that works without script (a label for a checkbox).
        let shown = |v: serde_json::Value| v.as_str() != Some("none");
        let sidebar = "return getComputedStyle(document.querySelector('.sidebar')).display";
        if width == 390 {
            assert!(
                !shown(js(&b, sidebar).await),
                "the menu is collapsed at 390px"
            );
            click(&b, ".menu-button").await;
            assert!(
                shown(js(&b, sidebar).await),
                "the menu button opens the menu"
            );
            assert_no_sideways_scroll(&b, "/admin/clients with the menu open at 390px").await;
            click(&b, ".sidebar a[href='/admin/staff']").await;
            wait_for(&b, ".page-head h1").await;
            assert_eq!(path(&b).await, "/admin/staff");
            assert!(
                !shown(js(&b, sidebar).await),
                "the next page starts collapsed"
            );
        } else {
            assert!(
                shown(js(&b, sidebar).await),
                "the sidebar is shown at {width}px"
            );
            let button = "return getComputedStyle(document.querySelector('.menu-button')).display";
            assert!(!shown(js(&b, button).await), "no menu button at {width}px");
        }

        // "Sign out" is on screen and works.
        let out = js(
            &b,
            "const r = document.querySelector('.logout-form button').getBoundingClientRect(); return r.right <= window.innerWidth && r.left >= 0 && r.width > 0",
        )
        .await;
        assert_eq!(
            out,
            serde_json::Value::Bool(true),
            "Sign out is off-screen at {width}px"
        );
        click(&b, ".logout-form button").await;
        wait_for(&b, ".auth-card").await;

        // The client area.
        b.goto(&format!("{base}/client/login")).await.unwrap();
        sign_in(&b, &site.client_login, CLIENT_PASSWORD).await;
        wait_for(&b, ".page-head h1").await;
        for page in [
            "/client",
            "/client/users",
            "/client/payers",
            "/client/profile",
        ] {
            assert_fits(&b, base, page, width).await;
        }
        if width == 390 {
            assert!(
                !shown(js(&b, sidebar).await),
                "the client menu is collapsed at 390px"
            );
            click(&b, ".menu-button").await;
            assert!(shown(js(&b, sidebar).await), "the client menu opens");
        }
        click(&b, ".logout-form button").await;
        wait_for(&b, ".auth-card").await;
    }
}

async fn keyboard_scenario(b: Client, base: String) {
    set_width(&b, 1366).await;
    b.goto(&format!("{base}/admin/login")).await.unwrap();
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    wait_for(&b, ".page-head h1").await;

    // The first Tab reaches "Skip to content", shown while focused; Enter moves the focus
    // to the page's content, past the header and the menu.
    b.goto(&format!("{base}/admin/staff")).await.unwrap();
    wait_for(&b, ".page-head h1").await;
    press(&b, fantoccini::key::Key::Tab).await;
    let ring = focus_ring(&b).await;
    assert!(
        ring["cls"].as_str().unwrap().contains("skip-link"),
        "{ring}"
    );
    assert_eq!(ring["visible"], serde_json::Value::Bool(true), "{ring}");
    assert_eq!(text(&b, ".skip-link").await, "Skip to content");
    press(&b, fantoccini::key::Key::Enter).await;
    let focused = js(&b, "return document.activeElement.id").await;
    assert_eq!(focused.as_str(), Some("main"), "Enter on the skip link");

    // Every focus ring, in the header, the menu and the content, reaches 3:1.
    b.goto(&format!("{base}/admin/staff")).await.unwrap();
    wait_for(&b, ".page-head h1").await;
    let mut seen = Vec::new();
    for _ in 0..32 {
        press(&b, fantoccini::key::Key::Tab).await;
        let ring = focus_ring(&b).await;
        assert_ne!(
            ring["style"].as_str(),
            Some("none"),
            "no focus ring: {ring}"
        );
        assert!(
            ring["width"].as_f64() >= Some(2.0),
            "thin focus ring: {ring}"
        );
        assert!(
            ring["contrast"].as_f64() >= Some(3.0),
            "the focus ring is below 3:1: {ring}"
        );
        seen.push(ring["what"].as_str().unwrap_or_default().to_owned());
    }
    let seen = seen.join(" | ");
    for reached in [
        "skip-link",
        "brand",
        "btn-ghost",
        "Staff",
        "input#staff-text",
    ] {
        assert!(
            seen.contains(reached),
            "Tab did not reach {reached}: {seen}"
        );
    }

    // A form's first field (focused on load) has the same ring.
    b.goto(&format!("{base}/admin/staff/new")).await.unwrap();
    wait_for(&b, "#login").await;
    let ring = focus_ring(&b).await;
    assert_eq!(ring["id"].as_str(), Some("login"), "{ring}");
    assert!(ring["contrast"].as_f64() >= Some(3.0), "{ring}");

    // A refused submit: the focus lands on a summary of the problems, whose links lead to
    // the fields.
    fill(&b, "#login", "").await;
    fill(&b, "#name", "").await;
    fill(&b, "#email", "not-an-email").await;
    click(&b, "form.form button[type=submit]").await;
    wait_for(&b, "#error-summary").await;
    let focused = js(&b, "return document.activeElement.id").await;
    assert_eq!(
        focused.as_str(),
        Some("error-summary"),
        "the summary has the focus"
    );
    let summary = text(&b, "#error-summary").await;
    assert!(summary.contains("The form was not saved"), "{summary}");
    assert!(
        summary.contains("Full name in English: Required."),
        "{summary}"
    );
    let ring = focus_ring(&b).await;
    assert!(ring["contrast"].as_f64() >= Some(3.0), "{ring}");
    click(&b, "#error-summary a[href='#name']").await;
    let focused = js(&b, "return document.activeElement.id").await;
    assert_eq!(
        focused.as_str(),
        Some("name"),
        "the link leads to the field"
    );
}

/// Starts chromium, runs `scenario` with it, and ends the browser session even when the
/// scenario fails.
async fn in_chromium<F, Fut>(scenario: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(chromedriver) = on_path("chromedriver") else {
        return browser_missing("chromedriver is not on PATH");
    };
    if !Path::new(CHROMIUM).is_file() {
        return browser_missing("/usr/bin/chromium is missing");
    }
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver::start(&chromedriver);
    let browser = open_browser(&driver, profile.path()).await;
    let outcome = tokio::spawn(scenario(browser.clone())).await;
    let _ = browser.close().await;
    drop(driver);
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the browser scenario did not finish: {e}"),
        }
    }
}

#[tokio::test]
async fn both_panels_fit_390_1366_and_1920_pixels_without_sideways_scrolling() {
    if on_path("chromedriver").is_none() || !Path::new(CHROMIUM).is_file() {
        return browser_missing("chromedriver or /usr/bin/chromium is missing");
    }
    let t = harness::spawn().await;
    // The demo's clients too: their names and labels are what staff see first.
    t.app.load_demo(0).await.unwrap();
    let admin = t.admin().await;
    t.client_user("width-client").await;
    let provider = harness::new_provider(&admin, "Northwind Hosting", "EUR", false).await;
    let names = [
        "Northwind Consolidated Trading Company Ltd",
        "Общество с ограниченной ответственностью «Вектор»",
        "Ada Lovelace",
    ];
    let mut client_id = String::new();
    for (i, name) in names.iter().enumerate() {
        let body = serde_json::json!({
            "email": format!("accounts.payable.{i}@northwind-consolidated-trading.example.com"),
            "name": name,
            "providers": [provider],
        });
        let created = harness::new_client(&admin, body).await;
        client_id = created["id"].as_str().unwrap().to_owned();
    }
    let paid = harness::pay_in(&admin, &client_id, &provider, "1234.56").await;
    let ty: serde_json::Value = admin
        .post(
            "/api/v1/product-types",
            serde_json::json!({"key": "vps-wide", "name_en": "Virtual private servers with a long name", "name_ru": "Виртуальные выделенные серверы"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let plan: serde_json::Value = admin
        .post(
            "/api/v1/tariffs",
            serde_json::json!({"product_type_id": ty["id"], "provider_id": provider, "name_en": "VPS Start", "name_ru": "VPS Старт",
                "prices": [{"period": "month1", "price": "5.00", "setup": "1.00"}, {"period": "month12", "price": "50.00"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let tariff_id = plan["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{plan}"))
        .to_owned();
    admin
        .post(
            &format!("/api/v1/tariffs/{tariff_id}/addons"),
            serde_json::json!({"key": "ram", "name_en": "Memory", "name_ru": "Память", "billing": "order", "unit": "GB", "included": 2, "min": 1, "max": 64, "step": 1,
                "prices": [{"period": "month1", "price": "1.50"}]}),
        )
        .await;
    harness::allow_postpaid(&admin, &client_id, &provider).await;
    let res = harness::charge(&admin, &client_id, &provider, "99.99").await;
    assert!(res.status().is_success());
    let department: serde_json::Value =
        admin.get("/api/v1/departments").await.json().await.unwrap();
    let site = Site {
        base: t.base.clone(),
        client_login: "width-client".to_owned(),
        client_id,
        payment_id: paid["id"].as_str().unwrap().to_owned(),
        tariff_id,
        admin_id: admin.me["id"].as_str().unwrap().to_owned(),
        department_id: department["items"][0]["id"].as_str().unwrap().to_owned(),
    };
    in_chromium(move |b| widths_scenario(b, site)).await;
    t.assert_books_balance().await;
}

#[tokio::test]
async fn the_keyboard_skips_to_content_sees_every_focus_ring_and_lands_on_the_error_summary() {
    if on_path("chromedriver").is_none() || !Path::new(CHROMIUM).is_file() {
        return browser_missing("chromedriver or /usr/bin/chromium is missing");
    }
    let t = harness::spawn().await;
    let base = t.base.clone();
    in_chromium(move |b| keyboard_scenario(b, base)).await;
}

// ---------------------------------------------------------------------------------------
// The permission page's answer (issue 8, item 14)

async fn permission_answer_scenario(b: Client, base: String, department_id: String) {
    set_width(&b, 1366).await;
    b.goto(&format!("{base}/admin/login")).await.unwrap();
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    wait_for(&b, ".page-head h1").await;
    b.goto(&format!(
        "{base}/admin/departments/{department_id}/permissions"
    ))
    .await
    .unwrap();
    wait_for(&b, "table.perm-tree").await;
    // The last Enable button: far down a long page, so the browser has to scroll to it.
    let row = js(
        &b,
        r#"const bs = document.querySelectorAll('button.perm-enable');
        return bs[bs.length - 1].closest('tr').id;"#,
    )
    .await;
    let row = row.as_str().unwrap().to_owned();
    click(&b, &format!("#{row} button.perm-enable")).await;
    wait_for(&b, &format!("#{row} .perm-saved-note")).await;
    let seen = js(
        &b,
        &format!(
            r#"const bar = document.querySelector('.topbar').getBoundingClientRect().bottom;
            const box = el => el.getBoundingClientRect();
            const row = box(document.getElementById('{row}'));
            const note = document.querySelector('#{row} .perm-saved-note');
            const n = box(note);
            return {{ bar, h: window.innerHeight, scrolled: window.scrollY,
                     row: [row.top, row.bottom], note: [n.top, n.bottom],
                     text: note.textContent.trim(), role: note.getAttribute('role') }};"#
        ),
    )
    .await;
    let num = |v: &serde_json::Value| v.as_f64().unwrap();
    let (bar, h) = (num(&seen["bar"]), num(&seen["h"]));
    assert!(num(&seen["scrolled"]) > 0.0, "the page scrolled: {seen}");
    for what in ["row", "note"] {
        let (top, bottom) = (num(&seen[what][0]), num(&seen[what][1]));
        assert!(
            top >= bar && bottom <= h,
            "the {what} is under the top bar or out of view: {seen}"
        );
    }
    assert_eq!(seen["text"], "Permissions saved.", "{seen}");
    assert_eq!(seen["role"], "status", "{seen}");
    assert!(
        text(&b, &format!("#{row} .perm-state")).await == "Enabled",
        "the row shows the change"
    );
}

#[tokio::test]
async fn after_enable_the_saved_notice_and_the_changed_row_are_in_view_at_1366_pixels() {
    if on_path("chromedriver").is_none() || !Path::new(CHROMIUM).is_file() {
        return browser_missing("chromedriver or /usr/bin/chromium is missing");
    }
    let t = harness::spawn().await;
    let admin = t.admin().await;
    let created: serde_json::Value = admin
        .post(
            "/api/v1/departments",
            serde_json::json!({"name_en": "Scroll desk", "name_ru": "Отдел прокрутки"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let department_id = created["id"].as_str().unwrap().to_owned();
    let base = t.base.clone();
    in_chromium(move |b| permission_answer_scenario(b, base, department_id)).await;
}

// ---------------------------------------------------------------------------------------
// Russian filter choices are not cut off (issue 8, item 17)

/// The filter selects of the page whose chosen text does not fit inside the box.
async fn cut_selects(b: &Client) -> serde_json::Value {
    js(
        b,
        r#"const c = document.createElement('canvas').getContext('2d');
        const cut = [];
        for (const s of document.querySelectorAll('.filters select')) {
          const cs = getComputedStyle(s);
          c.font = cs.font;
          const label = s.options[s.selectedIndex].text;
          // The arrow of a native select takes about 20 px of the right padding.
          const room = s.clientWidth - parseFloat(cs.paddingLeft) - 20;
          const need = c.measureText(label).width;
          if (need > room) cut.push(s.id + ': "' + label + '" needs ' + Math.round(need) + ' px, has ' + Math.round(room));
        }
        return cut;"#,
    )
    .await
}

async fn russian_filters_scenario(b: Client, base: String) {
    b.goto(&format!("{base}/admin/login")).await.unwrap();
    click(&b, ".lang-switch button[value=ru]").await;
    wait_for(&b, "html[lang=ru]").await;
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    wait_for(&b, ".page-head h1").await;
    for width in WIDTHS {
        set_width(&b, width).await;
        for page in ["/admin/clients", "/admin/staff", "/admin/history"] {
            b.goto(&format!("{base}{page}")).await.unwrap();
            wait_for(&b, "main#main").await;
            let cut = cut_selects(&b).await;
            assert_eq!(
                cut,
                serde_json::json!([]),
                "{page} at {width}px cuts filter choices off"
            );
        }
    }
}

#[tokio::test]
async fn russian_filter_choices_are_not_cut_off_at_any_width() {
    if on_path("chromedriver").is_none() || !Path::new(CHROMIUM).is_file() {
        return browser_missing("chromedriver or /usr/bin/chromium is missing");
    }
    let t = harness::spawn().await;
    let admin = t.admin().await;
    harness::new_provider(&admin, "Northwind Hosting", "EUR", false).await;
    let base = t.base.clone();
    in_chromium(move |b| russian_filters_scenario(b, base)).await;
}
