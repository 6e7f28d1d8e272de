//! Quotes (issue 11) through the API and the staff panel, on both databases: a plan with
//! add-ons, a setup fee and included tax; tax added on top; a personal discount outranking a
//! promotion and its promo code; conversion at the personal, group or directory rate, and
//! the 409 when none exists; bad input refused per field. The pricing records are written
//! straight into their tables here, so these tests judge the quote alone.

use crate::client_panel::post_form;
use crate::harness::{Session, TestApp, created, new_client, new_provider, spawn, val};
use bursar_store::db::{Val, query};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// A provider in EUR, a VPS plan (10.00 a month + 5.00 setup, 100.00 a year) with a CPU
/// add-on (2 included, 1.50 per extra core), an OS choice (Windows 12.00) and backups
/// (3.00), and a client in Germany with their number.
struct Shop {
    provider: String,
    product_type: String,
    plan: String,
    client: String,
    number: i64,
}

async fn shop(admin: &Session, plan_currency: &str) -> Shop {
    let provider = new_provider(admin, "Cloud", "EUR", false).await;
    let os = created(
        admin,
        "/api/v1/enumerations",
        json!({"name_en": "OS", "name_ru": "ОС", "items": [
            {"value": "debian", "name_en": "Debian", "name_ru": "Debian"},
            {"value": "windows", "name_en": "Windows", "name_ru": "Windows"}]}),
    )
    .await;
    let ty = created(
        admin,
        "/api/v1/product-types",
        json!({"key": "vps", "name_en": "VPS", "name_ru": "VPS"}),
    )
    .await;
    if plan_currency != "EUR" {
        let res = admin
            .send(
                reqwest::Method::PATCH,
                &format!("/api/v1/currencies/{plan_currency}"),
                Some(json!({"is_active": true})),
            )
            .await;
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    }
    let plan = created(
        admin,
        "/api/v1/tariffs",
        json!({"product_type_id": ty["id"], "provider_id": provider, "currency": plan_currency,
               "name_en": "VPS Start", "name_ru": "VPS Старт",
               "prices": [{"period": "month1", "price": "10.00", "setup": "5.00"}, {"period": "month12", "price": "100.00"}]}),
    )
    .await;
    let addons = format!("/api/v1/tariffs/{}/addons", id(&plan));
    for body in [
        json!({"key": "cpu", "name_en": "CPU", "name_ru": "Процессор", "billing": "order", "unit": "cores",
               "included": 2, "min": 1, "max": 8, "step": 1, "prices": [{"period": "month1", "price": "1.50"}]}),
        json!({"key": "os", "name_en": "OS", "name_ru": "ОС", "billing": "choice", "enumeration_id": os["id"],
               "prices": [{"period": "month1", "option": "debian", "price": "0.00"}, {"period": "month1", "option": "windows", "price": "12.00"}]}),
        json!({"key": "backup", "name_en": "Backups", "name_ru": "Копии", "billing": "boolean",
               "prices": [{"period": "month1", "price": "3.00"}]}),
    ] {
        created(admin, &addons, body).await;
    }
    let client = new_client(
        admin,
        json!({"email": "anna@example.com", "name": "Anna Berg", "country": "DE", "providers": [provider],
               "password": "client-password-7", "password_confirmation": "client-password-7"}),
    )
    .await;
    Shop {
        provider,
        product_type: id(&ty),
        plan: id(&plan),
        client: id(&client),
        number: client["number"].as_i64().unwrap(),
    }
}

async fn exec(t: &TestApp, sql: &'static str, args: Vec<Val>) {
    let mut q = query(sql);
    for a in args {
        q = q.bind(a);
    }
    q.execute(t.store.pool()).await.unwrap();
}

fn new_id() -> Val {
    Val::Uuid(Some(uuid::Uuid::now_v7()))
}

fn now(t: &TestApp) -> Val {
    Val::Instant(Some(t.app.now()))
}

fn day(s: &str) -> Val {
    Val::Date(Some(s.parse().unwrap()))
}

fn num(s: &str) -> Val {
    Val::Decimal(Some(s.parse().unwrap()))
}

async fn tax_rule(t: &TestApp, provider: &str, name: &str, rate_bp: i64, country: &str) {
    regional_tax_rule(t, provider, name, rate_bp, country, None).await;
}

async fn regional_tax_rule(
    t: &TestApp,
    provider: &str,
    name: &str,
    rate_bp: i64,
    country: &str,
    region: Option<&str>,
) {
    exec(
        t,
        "INSERT INTO tax_rules (id, provider_id, name, rate_bp, country, region, starts_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)",
        vec![
            new_id(),
            val(provider),
            val(name),
            Val::Int(Some(rate_bp)),
            val(country),
            Val::Text(region.map(str::to_owned)),
            Val::Instant(Some(jiff::Timestamp::UNIX_EPOCH)),
        ],
    )
    .await;
}

async fn quote(admin: &Session, body: Value) -> (StatusCode, Value) {
    let res = admin.post("/api/v1/quotes", body).await;
    (res.status(), res.json().await.unwrap())
}

fn amounts(q: &Value, field: &str) -> Vec<String> {
    q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l[field]["amount"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_quote_prices_the_plan_its_add_ons_and_setup_with_the_tax_included() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "EUR").await;
    tax_rule(&t, &s.provider, "VAT DE 19%", 1900, "DE").await;
    let (status, q) = quote(
        &admin,
        json!({"client_id": s.number.to_string(), "tariff_id": s.plan, "period": "month1", "quantity": 2,
               "addons": {"cpu": 4, "os": "windows", "backup": true}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{q}");
    // 2 × 10.00; 2 extra cores × 1.50 × 2; Windows 12.00 × 2; backups 3.00 × 2; setup 5.00 × 2.
    assert_eq!(
        amounts(&q, "amount"),
        ["20.00", "6.00", "24.00", "6.00", "10.00"]
    );
    assert_eq!(q["lines"][2]["name"], "OS: Windows");
    assert_eq!(q["lines"][4]["kind"], "setup");
    assert_eq!(q["total"], json!({"amount": "66.00", "currency": "EUR"}));
    assert!(q["tax_included"].as_bool().unwrap());
    // 66.00 × 19 / 119 = 10.54, shared per line: 3.19 + 0.96 + 3.83 + 0.96 + 1.60.
    assert_eq!(amounts(&q, "tax"), ["3.19", "0.96", "3.83", "0.96", "1.60"]);
    assert_eq!(q["tax"]["amount"], "10.54");
    assert_eq!(q["taxes"][0]["name"], "VAT DE 19%");
    assert_eq!(q["taxes"][0]["rate"], "19.00");
    assert_eq!(q["client_name"], "Anna Berg");
    assert!(q["conversion"].is_null() && q["discount_source"].is_null());

    // The provider adds tax on top: the same prices, 19 % more.
    exec(
        &t,
        "UPDATE providers SET tax_on_top = $1 WHERE id = $2",
        vec![Val::Bool(Some(true)), val(&s.provider)],
    )
    .await;
    let (_, q) = quote(&admin, json!({"client_id": s.client, "tariff_id": s.plan})).await;
    assert_eq!(q["period"], "month1", "the plan's default period");
    assert_eq!(q["subtotal"]["amount"], "15.00");
    assert_eq!(q["tax"]["amount"], "2.85");
    assert_eq!(q["total"]["amount"], "17.85");
}

#[tokio::test]
async fn the_payers_country_and_region_sum_federal_and_regional_tax() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "EUR").await;
    regional_tax_rule(&t, &s.provider, "US sales tax", 625, "US", None).await;
    regional_tax_rule(
        &t,
        &s.provider,
        "California district tax",
        100,
        "US",
        Some("CA"),
    )
    .await;
    exec(
        &t,
        "UPDATE providers SET tax_on_top = $1 WHERE id = $2",
        vec![Val::Bool(Some(true)), val(&s.provider)],
    )
    .await;
    let body = json!({"client_id": s.client, "tariff_id": s.plan, "period": "month12"});
    let (_, q) = quote(&admin, body.clone()).await;
    assert_eq!(
        q["tax"]["amount"], "0.00",
        "a client in Germany pays no US tax: {q}"
    );
    let payer = created(
        &admin,
        &format!("/api/v1/clients/{}/payers", s.client),
        json!({"kind": "company", "name": "Berg Inc.", "country": "US", "region": "CA", "is_default": true}),
    )
    .await;
    assert_eq!(payer["region"], "CA");
    let (_, q) = quote(&admin, body).await;
    let taxes: Vec<(&str, &str)> = q["taxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["amount"]["amount"].as_str().unwrap(),
            )
        })
        .collect();
    // 100.00 × 7.25 % = 7.25, shared 6.25 + 1.00.
    assert_eq!(
        taxes,
        [
            ("US sales tax", "6.25"),
            ("California district tax", "1.00")
        ]
    );
    assert_eq!(q["total"]["amount"], "107.25");
}

#[tokio::test]
async fn a_personal_discount_outranks_a_promotion_and_its_promo_code() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "EUR").await;
    let promotion = new_id();
    exec(
        &t,
        "INSERT INTO promotions (id, name, title_en, title_ru, provider_id, kind, percent_bp, created_at, updated_at) \
         VALUES ($1, 'winter', 'Winter sale', 'Зимняя распродажа', $2, 'percent', 2500, $3, $3)",
        vec![promotion.clone(), val(&s.provider), now(&t)],
    )
    .await;
    exec(
        &t,
        "INSERT INTO promotion_conditions (id, promotion_id, group_no, kind, value) VALUES ($1, $2, 1, 'promo_code', '')",
        vec![new_id(), promotion.clone()],
    )
    .await;
    exec(
        &t,
        "INSERT INTO promo_codes (id, promotion_id, code, is_multi_use, usage_limit, used_count, created_at) \
         VALUES ($1, $2, 'WINTER', $3, 2, 0, $4), ($5, $2, 'SPENT', $3, 1, 1, $4)",
        vec![new_id(), promotion, Val::Bool(Some(true)), now(&t), new_id()],
    )
    .await;
    let body = |code: &str| json!({"client_id": s.client, "tariff_id": s.plan, "period": "month12", "promo_code": code});

    let (status, q) = quote(&admin, body(" winter ")).await;
    assert_eq!(status, StatusCode::OK, "{q}");
    assert_eq!(q["discount"]["amount"], "25.00");
    assert_eq!(q["total"]["amount"], "75.00");
    assert_eq!(q["discount_source"]["source"], "promotion");
    assert_eq!(q["discount_source"]["name"], "Winter sale");
    assert_eq!(
        q["promo_code"],
        json!({"code": "WINTER", "applied": true, "reason": null})
    );
    let (status, q) = quote(
        &admin,
        json!({"client_id": s.client, "tariff_id": s.plan, "period": "month12"}),
    )
    .await;
    assert_eq!(
        (status, q["discount"]["amount"].clone()),
        (StatusCode::OK, json!("0.00")),
        "no code, no promotion"
    );

    for (code, expected) in [
        ("NOPE", "unknown_promo_code"),
        ("SPENT", "promo_code_used_up"),
    ] {
        let (status, p) = quote(&admin, body(code)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(p["errors"][0]["field"], "promo_code");
        assert_eq!(p["errors"][0]["code"], expected);
    }

    exec(
        &t,
        "INSERT INTO client_discounts (id, client_id, kind, percent_bp, scope, targets, comment, created_at, updated_at) \
         VALUES ($1, $2, 'percent', 1000, 'product_types', $3, 'loyal since 2019', $4, $4)",
        vec![new_id(), val(&s.client), val(&format!("[\"{}\"]", s.product_type)), now(&t)],
    )
    .await;
    let (_, q) = quote(&admin, body("WINTER")).await;
    assert_eq!(q["discount"]["amount"], "10.00");
    assert_eq!(q["discount_source"]["source"], "personal");
    assert_eq!(q["discount_source"]["name"], "loyal since 2019");
    assert_eq!(
        q["promo_code"],
        json!({"code": "WINTER", "applied": false, "reason": "personal_discount"})
    );
}

#[tokio::test]
async fn prices_in_another_currency_use_the_personal_then_group_then_directory_rate() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "USD").await;
    let body = json!({"client_id": s.client, "tariff_id": s.plan, "period": "month12", "date": "2026-12-10"});
    let (status, p) = quote(&admin, body.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{p}");
    assert_eq!(p["code"], "no_exchange_rate");

    let directory = new_id();
    exec(
        &t,
        "INSERT INTO currency_rates (id, base_code, currency_code, rate, units, valid_from, created_at, updated_at) \
         VALUES ($1, 'EUR', 'USD', $2, 1, $3, $4, $4)",
        vec![directory.clone(), num("0.9234"), day("2026-12-01"), now(&t)],
    )
    .await;
    let (status, q) = quote(&admin, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{q}");
    assert_eq!(q["currency"], "EUR");
    assert_eq!(q["price_currency"], "USD");
    assert_eq!(
        q["lines"][0]["unit_price"],
        json!({"amount": "100.00", "currency": "USD"})
    );
    assert_eq!(q["total"]["amount"], "92.34");
    assert_eq!(q["conversion"]["source"], "directory");
    assert_eq!(q["conversion"]["rate"], "0.9234");
    assert_eq!(q["conversion"]["valid_from"], "2026-12-01");
    // Before the rate was valid: none.
    let mut early = body.clone();
    early["date"] = json!("2026-11-30");
    assert_eq!(quote(&admin, early).await.0, StatusCode::CONFLICT);

    let group = created(&admin, "/api/v1/client-groups", json!({"name": "Partners"})).await;
    let res = admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/clients/{}/groups", s.client),
            Some(json!({"groups": [group["id"]]})),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    exec(
        &t,
        "INSERT INTO group_currency_rates (id, group_id, base_code, currency_code, rate, units, valid_from, created_at, updated_at) \
         VALUES ($1, $2, 'EUR', 'USD', $3, 1, $4, $5, $5)",
        vec![new_id(), val(&id(&group)), num("0.9"), day("2026-01-01"), now(&t)],
    )
    .await;
    let (_, q) = quote(&admin, body.clone()).await;
    assert_eq!(
        (
            q["conversion"]["source"].clone(),
            q["total"]["amount"].clone()
        ),
        (json!("group"), json!("90.00"))
    );

    exec(
        &t,
        "INSERT INTO client_currency_rates (id, client_id, base_code, currency_code, rate, units, amount_minor, valid_from, created_at, updated_at) \
         VALUES ($1, $2, 'EUR', 'USD', $3, 100, 50000, $4, $5, $5)",
        vec![new_id(), val(&s.client), num("85"), day("2026-06-01"), now(&t)],
    )
    .await;
    let (_, q) = quote(&admin, body.clone()).await;
    assert_eq!(
        (
            q["conversion"]["source"].clone(),
            q["total"]["amount"].clone()
        ),
        (json!("personal"), json!("85.00"))
    );
    // A fixed discount in dollars is converted too, and the rate it used is named.
    exec(
        &t,
        "INSERT INTO client_discounts (id, client_id, kind, amount_minor, currency_code, scope, created_at, updated_at) \
         VALUES ($1, $2, 'fixed', 1000, 'USD', 'all', $3, $3)",
        vec![new_id(), val(&s.client), now(&t)],
    )
    .await;
    let (_, q) = quote(&admin, body.clone()).await;
    assert_eq!(
        q["discount"]["amount"], "8.50",
        "10 USD at the personal rate: {q}"
    );
    assert_eq!(q["discount_conversion"]["source"], "personal");
    assert_eq!(q["discount_source"]["name"], "Personal discount");
    exec(
        &t,
        "DELETE FROM client_discounts WHERE client_id = $1",
        vec![val(&s.client)],
    )
    .await;
    // Above the personal rate's limit of 500.00 EUR, the group's rate applies.
    let mut big = body;
    big["quantity"] = json!(6);
    let (_, q) = quote(&admin, big).await;
    assert_eq!(
        (
            q["conversion"]["source"].clone(),
            q["total"]["amount"].clone()
        ),
        (json!("group"), json!("540.00"))
    );
}

#[tokio::test]
async fn bad_quotes_are_refused_per_field() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "EUR").await;
    for (body, field, code) in [
        (
            json!({"client_id": "999999", "tariff_id": s.plan}),
            "client_id",
            "unknown_client",
        ),
        (
            json!({"client_id": s.client, "tariff_id": "nope"}),
            "tariff_id",
            "invalid_id",
        ),
        (
            json!({"client_id": s.client, "tariff_id": uuid::Uuid::now_v7().to_string()}),
            "tariff_id",
            "invalid_id",
        ),
        (
            json!({"client_id": s.client, "tariff_id": s.plan, "period": "month36"}),
            "period",
            "invalid_period",
        ),
        (
            json!({"client_id": s.client, "tariff_id": s.plan, "quantity": 0}),
            "quantity",
            "out_of_range",
        ),
        (
            json!({"client_id": s.client, "tariff_id": s.plan, "addons": {"cpu": 9}}),
            "addons.cpu",
            "out_of_range",
        ),
        (
            json!({"client_id": s.client, "tariff_id": s.plan, "addons": {"os": "bsd"}}),
            "addons.os",
            "invalid",
        ),
        (
            json!({"client_id": s.client, "tariff_id": s.plan, "addons": {"gpu": 1}}),
            "addons.gpu",
            "invalid",
        ),
        (
            json!({"client_id": s.client, "tariff_id": s.plan, "addons": {"backup": 2}}),
            "addons.backup",
            "invalid",
        ),
        (
            json!({"client_id": s.client, "tariff_id": s.plan, "date": "31.12.2026"}),
            "date",
            "invalid",
        ),
    ] {
        let (status, p) = quote(&admin, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {p}");
        assert_eq!(
            (
                p["errors"][0]["field"].as_str(),
                p["errors"][0]["code"].as_str()
            ),
            (Some(field), Some(code)),
            "{body}"
        );
    }
    let res = admin
        .post(&format!("/api/v1/tariffs/{}/archive", s.plan), json!({}))
        .await;
    assert!(res.status().is_success());
    let (status, p) = quote(&admin, json!({"client_id": s.client, "tariff_id": s.plan})).await;
    assert_eq!(
        (status, p["errors"][0]["code"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("tariff_not_available")
        )
    );
}

#[tokio::test]
async fn staff_price_a_plan_in_the_panel_in_both_languages() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "EUR").await;
    tax_rule(&t, &s.provider, "VAT DE 19%", 1900, "DE").await;
    let c = &admin.client;
    let card = c
        .get(t.url(&format!("/admin/clients/{}", s.client)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        card.contains(&format!("href=\"/admin/quotes?client={}\"", s.number)),
        "the card offers a quote"
    );
    let page = c
        .get(t.url(&format!("/admin/quotes?client={}", s.number)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("value=\"{}\"", s.number)) && html.contains("VPS Start (EUR)"));
    assert!(
        !html.contains("name=\"addon.cpu\""),
        "add-ons come with the plan"
    );

    let number = s.number.to_string();
    let chosen = post_form(
        c,
        t.url("/admin/quotes"),
        &[
            ("_csrf", &admin.csrf),
            ("client_id", &number),
            ("tariff_id", &s.plan),
        ],
    )
    .await;
    assert_eq!(chosen.status(), StatusCode::OK);
    let html = chosen.text().await.unwrap();
    assert!(
        html.contains("name=\"addon.cpu\"")
            && html.contains("name=\"addon.os\"")
            && html.contains(">Windows<")
    );

    let priced = post_form(
        c,
        t.url("/admin/quotes"),
        &[
            ("_csrf", &admin.csrf),
            ("client_id", &number),
            ("tariff_id", &s.plan),
            ("period", "month1"),
            ("quantity", "1"),
            ("addon.cpu", "3"),
            ("addon.os", "windows"),
            ("addon.backup", "on"),
            ("promo_code", ""),
            ("date", ""),
        ],
    )
    .await;
    assert_eq!(priced.status(), StatusCode::OK);
    let html = priced.text().await.unwrap();
    // 10.00 + 1.50 + 12.00 + 3.00 + 5.00 setup.
    assert!(html.contains("31.50 EUR"), "{html}");
    assert!(
        html.contains("OS: Windows")
            && html.contains("VAT DE 19% (19.00 %)")
            && html.contains("Prices include tax.")
    );

    let refused = post_form(
        c,
        t.url("/admin/quotes"),
        &[
            ("_csrf", &admin.csrf),
            ("client_id", &number),
            ("tariff_id", &s.plan),
            ("addon.cpu", "99"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("id=\"addon-cpu-error\"")
    );

    // Every field's problem at once.
    let refused = post_form(
        c,
        t.url("/admin/quotes"),
        &[
            ("_csrf", &admin.csrf),
            ("client_id", "abc"),
            ("tariff_id", ""),
            ("quantity", "-1"),
            ("date", "2026-99-01"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    for field in ["client_id", "tariff_id", "quantity", "date"] {
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {html}"
        );
    }
    let res = admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "ru"})),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let priced = post_form(
        c,
        t.url("/admin/quotes"),
        &[
            ("_csrf", &admin.csrf),
            ("client_id", &number),
            ("tariff_id", &s.plan),
            ("addon.os", "windows"),
        ],
    )
    .await;
    let html = priced.text().await.unwrap();
    assert!(
        html.contains("Расчёт стоимости")
            && html.contains("ОС: Windows")
            && html.contains("Цены включают налог."),
        "{html}"
    );
}

#[tokio::test]
async fn the_demo_prices_show_every_part_of_the_calculator() {
    let t = spawn().await;
    t.app.load_demo(0).await.unwrap();
    t.app.load_demo(0).await.unwrap();
    let admin = t.admin().await;
    let promotions: Value = admin.get("/api/v1/promotions").await.json().await.unwrap();
    assert_eq!(
        promotions["items"].as_array().map(Vec::len),
        Some(2),
        "loaded once: {promotions}"
    );
    let list: Value = t
        .browser()
        .get(t.url("/api/v1/price-list"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let vps = list["providers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["plans"].as_array().unwrap())
        .find(|p| p["name"] == "VPS Start")
        .unwrap()["id"]
        .clone();
    let clients: Value = admin
        .get("/api/v1/clients?q=romashka")
        .await
        .json()
        .await
        .unwrap();
    let romashka = clients["items"][0]["id"].clone();
    let (status, q) = quote(
        &admin,
        json!({"client_id": romashka, "tariff_id": vps, "period": "month12", "promo_code": "spring26"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{q}");
    assert_eq!(q["discount_source"]["source"], "promotion");
    assert_eq!(
        q["promo_code"]["applied"], true,
        "15 % for the year beats 10 % for a first order"
    );
    assert_eq!(q["taxes"][0]["name"], "НДС 20%");
    assert!(q["tax_included"].as_bool().unwrap());
    let clients: Value = admin
        .get("/api/v1/clients?q=northwind")
        .await
        .json()
        .await
        .unwrap();
    let northwind = clients["items"][0]["id"].clone();
    let (_, q) = quote(&admin, json!({"client_id": northwind, "tariff_id": vps})).await;
    assert_eq!(q["discount_source"]["source"], "personal", "{q}");
    assert_eq!(q["discount_source"]["name"], "Loyal customer since 2019");
}
