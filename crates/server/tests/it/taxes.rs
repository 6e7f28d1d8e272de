//! Taxes (issue 11): the provider's tax settings, tax rules of providers, client groups and
//! clients through the API and the staff panel (both languages), bad input per field, the
//! tax an expense takes from the rules and the invoice that shows it, history, and the
//! overlap check under parallel requests.

use crate::harness::{
    Session, TestApp, allow_postpaid, issue_payment, method_of, new_client, new_provider,
    problem_code, spawn,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Setup {
    admin: Session,
    provider: String,
    client: String,
    vps: String,
    group: String,
}

async fn setup(t: &TestApp) -> Setup {
    let admin = t.admin().await;
    let provider = new_provider(&admin, "Hosting", "EUR", false).await;
    let client = new_client(
        &admin,
        json!({"email": "tax@x.example", "providers": [provider], "name": "Tax Client", "country": "DE"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = admin
        .post(
            "/api/v1/product-types",
            json!({"key": "vps", "name_en": "Virtual servers", "name_ru": "Виртуальные серверы"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let vps = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = admin
        .post("/api/v1/client-groups", json!({"name": "Resellers"}))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let group = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Setup {
        admin,
        provider,
        client,
        vps,
        group,
    }
}

async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

/// The refused fields of a 422, as `field:code`.
async fn refused_fields(res: reqwest::Response) -> Vec<String> {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["field"].as_str().unwrap(),
                e["code"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn provider_and_group_rules_are_added_listed_edited_and_deleted() {
    let t = spawn().await;
    let s = setup(&t).await;
    let vat = created(
        s.admin
            .post(
                "/api/v1/tax-rules",
                json!({"provider_id": s.provider, "name": "VAT", "rate": "20", "country": "de",
                       "starts_at": "2026-01-01T00:00:00Z"}),
            )
            .await,
    )
    .await;
    assert_eq!(vat["level"], "provider");
    assert_eq!(vat["rate"], "20.00");
    assert_eq!(vat["country"], "DE");
    assert_eq!(vat["product_types"], json!([]));
    let group_rule = created(
        s.admin
            .post(
                "/api/v1/tax-rules",
                json!({"provider_id": s.provider, "group_id": s.group, "name": "Reseller VAT", "rate": "0",
                       "product_types": [s.vps], "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2027-01-01T00:00:00Z"}),
            )
            .await,
    )
    .await;
    assert_eq!(group_rule["level"], "group");
    assert_eq!(group_rule["product_types"], json!([s.vps]));
    // The same place, products and time, but another level: no overlap.
    let list: Value = s
        .admin
        .get(&format!("/api/v1/tax-rules?group_id={}", s.group))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let list: Value = s
        .admin
        .get(&format!("/api/v1/tax-rules?provider_id={}", s.provider))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let id = vat["id"].as_str().unwrap();
    let res = s
        .admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/tax-rules/{id}"),
            Some(json!({"rate": "19", "region": "BY"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let got: Value = s
        .admin
        .get(&format!("/api/v1/tax-rules/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (got["rate"].as_str(), got["region"].as_str()),
        (Some("19.00"), Some("BY"))
    );
    let history: Value = s
        .admin
        .get(&format!(
            "/api/v1/history?object_kind=tax_rule&object_id={id}"
        ))
        .await
        .json()
        .await
        .unwrap();
    let text = history.to_string();
    assert!(
        text.contains("20 %") && text.contains("19 %") && text.contains("Hosting"),
        "history in words: {text}"
    );
    let res = s
        .admin
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/tax-rules/{id}"),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = s.admin.get(&format!("/api/v1/tax-rules/{id}")).await;
    assert_eq!(problem_code(res).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_rules_are_refused_per_field() {
    let t = spawn().await;
    let s = setup(&t).await;
    let base = json!({"provider_id": s.provider, "name": "VAT", "rate": "20", "starts_at": "2026-01-01T00:00:00Z"});
    let with = |patch: Value| {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        (json!({"rate": "-1"}), "rate:out_of_range"),
        (json!({"rate": "100.5"}), "rate:out_of_range"),
        (json!({"rate": "1.005"}), "rate:too_many_decimals"),
        (
            json!({"starts_at": "2027-01-01T00:00:00Z", "ends_at": "2026-01-01T00:00:00Z"}),
            "ends_at:end_before_start",
        ),
        (json!({"region": "CA"}), "country:required"),
        (json!({"country": "XX"}), "country:invalid_country"),
        (
            json!({"provider_id": "00000000-0000-7000-8000-000000000000"}),
            "provider_id:unknown_provider",
        ),
        (
            json!({"group_id": "00000000-0000-7000-8000-000000000000"}),
            "group_id:unknown_group",
        ),
        (
            json!({"product_types": ["00000000-0000-7000-8000-000000000000"]}),
            "product_types[0]:unknown_product_type",
        ),
        (json!({"starts_at": "tomorrow"}), "starts_at:invalid"),
    ];
    for (patch, expected) in cases {
        let res = s.admin.post("/api/v1/tax-rules", with(patch.clone())).await;
        assert_eq!(
            refused_fields(res).await,
            vec![expected.to_owned()],
            "{patch}"
        );
    }
    // Every field's problem in one answer.
    let res = s
        .admin
        .post(
            "/api/v1/tax-rules",
            with(json!({"rate": "-5", "country": "ZZ", "starts_at": "2027-01-01T00:00:00Z", "ends_at": "2026-01-01T00:00:00Z"})),
        )
        .await;
    let mut all = refused_fields(res).await;
    all.sort();
    assert_eq!(
        all,
        [
            "country:invalid_country",
            "ends_at:end_before_start",
            "rate:out_of_range"
        ]
    );
    created(s.admin.post("/api/v1/tax-rules", base.clone()).await).await;
    let res = s
        .admin
        .post(
            "/api/v1/tax-rules",
            with(json!({"starts_at": "2026-06-01T00:00:00Z", "rate": "10"})),
        )
        .await;
    assert_eq!(
        refused_fields(res).await,
        vec!["starts_at:overlapping_rule".to_owned()]
    );
    // A rule for a product type does not compete with the one for any product.
    created(
        s.admin
            .post("/api/v1/tax-rules", with(json!({"product_types": [s.vps]})))
            .await,
    )
    .await;
    let res = s
        .admin
        .post(
            &format!("/api/v1/clients/{}/tax-rules", s.client),
            json!({"provider_id": s.provider, "rate": "5", "time_zone": "Mars/Olympus", "starts_at": "2026-01-01 00:00:00"}),
        )
        .await;
    assert_eq!(
        refused_fields(res).await,
        vec!["time_zone:unknown_time_zone".to_owned()]
    );
}

#[tokio::test]
async fn a_clients_special_rules_keep_their_zone_history_and_privacy() {
    let t = spawn().await;
    let s = setup(&t).await;
    let path = format!("/api/v1/clients/{}/tax-rules", s.client);
    let rule = created(
        s.admin
            .post(
                &path,
                json!({"provider_id": s.provider, "rate": "7.5", "time_zone": "Europe/Moscow",
                       "starts_at": "2026-03-01 00:00:00", "ends_at": "2026-12-31 23:59:59", "product_types": [s.vps]}),
            )
            .await,
    )
    .await;
    assert_eq!(rule["level"], "client");
    assert_eq!(rule["name"], "Special rate");
    assert_eq!(rule["starts_at"], "2026-02-28T21:00:00Z");
    assert_eq!(rule["starts_at_local"], "2026-03-01 00:00:00");
    assert_eq!(rule["ends_at_local"], "2026-12-31 23:59:59");
    let id = rule["id"].as_str().unwrap();
    let res = s
        .admin
        .send(
            reqwest::Method::PATCH,
            &format!("{path}/{id}"),
            Some(json!({"rate": "8", "name": "Loyalty"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let list: Value = s.admin.get(&path).await.json().await.unwrap();
    assert_eq!(list["items"][0]["rate"], "8.00");
    // Not among the shared rules, and not reachable through them.
    let shared: Value = s.admin.get("/api/v1/tax-rules").await.json().await.unwrap();
    assert_eq!(shared["items"], json!([]));
    let res = s.admin.get(&format!("/api/v1/tax-rules/{id}")).await;
    assert_eq!(problem_code(res).await.0, StatusCode::NOT_FOUND);
    // Another client's path: not found.
    let other = new_client(
        &s.admin,
        json!({"email": "other@x.example", "providers": [s.provider], "name": "Other"}),
    )
    .await;
    let other_path = format!(
        "/api/v1/clients/{}/tax-rules",
        other["id"].as_str().unwrap()
    );
    let res = s
        .admin
        .send(
            reqwest::Method::PATCH,
            &format!("{other_path}/{id}"),
            Some(json!({"rate": "1"})),
        )
        .await;
    assert_eq!(problem_code(res).await.0, StatusCode::NOT_FOUND);
    let res = s
        .admin
        .send(reqwest::Method::DELETE, &format!("{other_path}/{id}"), None)
        .await;
    assert_eq!(problem_code(res).await.0, StatusCode::NOT_FOUND);
    let history: Value = s
        .admin
        .get(&format!("/api/v1/clients/{}/history", s.client))
        .await
        .json()
        .await
        .unwrap();
    let entries: Vec<&Value> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["object_kind"] == "tax_rule")
        .collect();
    assert_eq!(entries.len(), 2, "{history}");
    let text = history.to_string();
    assert!(
        text.contains("2026-03-01 00:00:00 Europe/Moscow") && text.contains("7.50 %"),
        "{text}"
    );
    let res = s
        .admin
        .send(reqwest::Method::DELETE, &format!("{path}/{id}"), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn provider_tax_settings_are_kept_and_in_the_history() {
    let t = spawn().await;
    let s = setup(&t).await;
    let res = s
        .admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/providers/{}", s.provider),
            Some(json!({"tax_on_top": true, "show_tax_on_top_up": true})),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (
            body["tax_on_top"].as_bool(),
            body["show_tax_on_top_up"].as_bool()
        ),
        (Some(true), Some(true)),
        "{body}"
    );
    let res = s
        .admin
        .post(
            "/api/v1/providers",
            json!({"name": "Domains", "currency": "EUR", "tax_on_top": true}),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["tax_on_top"], true);
    assert_eq!(body["show_tax_on_top_up"], false);
    let history: Value = s
        .admin
        .get(&format!(
            "/api/v1/history?object_kind=provider&object_id={}",
            s.provider
        ))
        .await
        .json()
        .await
        .unwrap();
    assert!(history.to_string().contains("tax_on_top"), "{history}");
}

/// The text of a PDF, through Debian's pdftotext.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("invoice.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn an_expense_without_a_rate_takes_the_rules_tax_and_the_invoice_shows_it() {
    let t = spawn().await;
    let s = setup(&t).await;
    for body in [
        json!({"provider_id": s.provider, "name": "VAT", "rate": "20", "country": "DE", "starts_at": "2020-01-01T00:00:00Z"}),
        json!({"provider_id": s.provider, "name": "Export", "rate": "0", "starts_at": "2020-01-01T00:00:00Z"}),
    ] {
        created(s.admin.post("/api/v1/tax-rules", body).await).await;
    }
    allow_postpaid(&s.admin, &s.client, &s.provider).await;
    let expense = created(
        s.admin
            .post(
                "/api/v1/expenses",
                json!({"client_id": s.client, "provider_id": s.provider, "description": "Hosting, December", "amount": "120.00"}),
            )
            .await,
    )
    .await;
    assert_eq!(expense["tax_rate"], "20.00");
    assert_eq!(expense["tax"]["amount"], "20.00");
    assert_eq!(expense["tax_name"], "VAT");
    // A rate given by hand wins and names no rule.
    let manual = created(
        s.admin
            .post(
                "/api/v1/expenses",
                json!({"client_id": s.client, "provider_id": s.provider, "description": "Setup", "amount": "10.00", "tax_rate": "10"}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (
            manual["tax_name"].as_str(),
            manual["tax"]["amount"].as_str()
        ),
        (Some(""), Some("0.91"))
    );
    // The client's special rule overrides the provider's.
    created(
        s.admin
            .post(
                &format!("/api/v1/clients/{}/tax-rules", s.client),
                json!({"provider_id": s.provider, "name": "Special", "rate": "5", "time_zone": "UTC", "starts_at": "2020-01-01 00:00:00"}),
            )
            .await,
    )
    .await;
    let special = created(
        s.admin
            .post(
                "/api/v1/expenses",
                json!({"client_id": s.client, "provider_id": s.provider, "description": "Backup", "amount": "21.00"}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (
            special["tax_name"].as_str(),
            special["tax"]["amount"].as_str()
        ),
        (Some("Special"), Some("1.00"))
    );
    // The panel's form with the rate left empty takes it from the rules too.
    let form = [
        ("_csrf", s.admin.csrf.as_str()),
        ("description", "Panel charge"),
        ("amount", "42.00"),
        ("tax_rate", ""),
    ];
    let res = s
        .admin
        .client
        .post(t.url(&format!("/admin/clients/{}/expenses/new", s.client)))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let listed: Value = s
        .admin
        .get(&format!("/api/v1/expenses?client_id={}", s.client))
        .await
        .json()
        .await
        .unwrap();
    let panel = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["description"] == "Panel charge")
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(
        (panel["tax_name"].as_str(), panel["tax"]["amount"].as_str()),
        (Some("Special"), Some("2.00"))
    );
    // A payment that covers the first expense shows its tax.
    let pay = issue_payment(&s.admin, &s.client, &s.provider, "120.00").await;
    let id = pay["id"].as_str().unwrap();
    let res = s
        .admin
        .post(&format!("/api/v1/payments/{id}/credit"), json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = s
        .admin
        .get(&format!("/admin/payments/{id}/print"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("VAT 20 %") && html.contains("20.00 EUR"),
        "{html}"
    );
    let res = s.admin.get(&format!("/api/v1/payments/{id}/pdf")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = pdf_text(&res.bytes().await.unwrap());
    assert!(
        text.contains("VAT 20 %") && text.contains("20.00 EUR"),
        "{text}"
    );
    let list = s
        .admin
        .get(&format!("/admin/clients/{}/expenses", s.client))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("VAT 20 %") && list.contains("Special 5 %"),
        "{list}"
    );
    t.assert_books_balance().await;
}

#[tokio::test]
async fn a_top_up_invoice_shows_its_tax_when_the_provider_asks() {
    let t = spawn().await;
    let s = setup(&t).await;
    created(
        s.admin
            .post(
                "/api/v1/tax-rules",
                json!({"provider_id": s.provider, "name": "VAT", "rate": "20", "starts_at": "2020-01-01T00:00:00Z"}),
            )
            .await,
    )
    .await;
    let pay = issue_payment(&s.admin, &s.client, &s.provider, "60.00").await;
    let print = format!("/admin/payments/{}/print", pay["id"].as_str().unwrap());
    let html = s.admin.get(&print).await.text().await.unwrap();
    assert!(
        !html.contains("VAT 20 %"),
        "no tax shown on a top-up by default"
    );
    let res = s
        .admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/providers/{}", s.provider),
            Some(json!({"show_tax_on_top_up": true})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = s.admin.get(&print).await.text().await.unwrap();
    assert!(
        html.contains("VAT 20 %") && html.contains("10.00 EUR"),
        "{html}"
    );
    let _ = method_of(&s.admin, &s.provider, "manual").await;
    t.assert_books_balance().await;
}

#[tokio::test]
async fn the_tax_pages_work_in_both_languages() {
    let t = spawn().await;
    let s = setup(&t).await;
    created(
        s.admin
            .post(
                "/api/v1/tax-rules",
                json!({"provider_id": s.provider, "group_id": s.group, "name": "Group VAT", "rate": "10", "starts_at": "2026-01-01T00:00:00Z"}),
            )
            .await,
    )
    .await;
    let post = |path: String, pairs: &[(&str, &str)]| {
        let mut all = vec![("_csrf", s.admin.csrf.as_str())];
        all.extend_from_slice(pairs);
        s.admin.client.post(t.url(&path)).form(&all).send()
    };
    // Finance → Taxes: add a provider rule, then a refused one.
    let res = post(
        "/admin/taxes/new".to_owned(),
        &[
            ("provider_id", &s.provider),
            ("group_id", ""),
            ("name", "VAT"),
            ("rate", "20"),
            ("country", "DE"),
            ("starts_at", "2026-01-01 00:00:00"),
            ("product_types", &s.vps),
        ],
    )
    .await
    .unwrap();
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let res = post(
        "/admin/taxes/new".to_owned(),
        &[
            ("provider_id", &s.provider),
            ("name", "VAT"),
            ("rate", "-3"),
            ("starts_at", "2026-01-01 00:00:00"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The card's Tax tab: a special rule in Moscow time.
    let tab = format!("/admin/clients/{}/tax-rules", s.client);
    let res = post(
        format!("{tab}/new"),
        &[
            ("provider_id", &s.provider),
            ("rate", "3"),
            ("time_zone", "Europe/Moscow"),
            ("starts_at", "2026-05-01 10:00:00"),
            ("ends_at", ""),
        ],
    )
    .await
    .unwrap();
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    for (locale, words) in [
        (
            "en",
            [
                "Tax rules",
                "Special tax rules",
                "Do not include tax into price",
                "Tax rules of the group",
            ],
        ),
        (
            "ru",
            [
                "Налоговые правила",
                "Особые налоговые правила",
                "Не включать налог в цену",
                "Налоговые правила группы",
            ],
        ),
    ] {
        let res = s
            .admin
            .send(
                reqwest::Method::PATCH,
                "/api/v1/me",
                Some(json!({"locale": locale})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let list = s.admin.get("/admin/taxes").await.text().await.unwrap();
        assert!(
            list.contains(words[0]) && list.contains("Group VAT") && list.contains("VAT"),
            "{list}"
        );
        let card = s.admin.get(&tab).await.text().await.unwrap();
        assert!(
            card.contains(words[1])
                && card.contains("2026-05-01 10:00:00")
                && card.contains("Europe/Moscow"),
            "{card}"
        );
        let provider = s
            .admin
            .get(&format!("/admin/providers/{}", s.provider))
            .await
            .text()
            .await
            .unwrap();
        assert!(provider.contains(words[2]), "{provider}");
        let group = s
            .admin
            .get(&format!("/admin/client-groups/{}", s.group))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            group.contains(words[3]) && group.contains("Group VAT"),
            "{group}"
        );
        for page in ["/admin/taxes/new", &format!("{tab}/new")] {
            assert_eq!(s.admin.get(page).await.status(), StatusCode::OK, "{page}");
        }
    }
}

#[tokio::test]
async fn parallel_overlapping_rules_at_one_level_let_exactly_one_in() {
    let t = spawn().await;
    let s = setup(&t).await;
    const N: usize = 8;
    let requests: Vec<_> = (0..N)
        .map(|n| {
            s.admin
                .request(
                    reqwest::Method::POST,
                    "/api/v1/tax-rules",
                    Some(json!({"provider_id": s.provider, "name": format!("VAT {n}"), "rate": "20",
                                "country": "DE", "starts_at": format!("2026-0{}-01T00:00:00Z", n % 9 + 1)})),
                )
                .send()
        })
        .collect();
    let mut created_count = 0;
    for res in futures_util::future::join_all(requests).await {
        let res = res.unwrap();
        match res.status() {
            StatusCode::CREATED => created_count += 1,
            StatusCode::UNPROCESSABLE_ENTITY => {
                let body: Value = res.json().await.unwrap();
                assert_eq!(body["errors"][0]["code"], "overlapping_rule", "{body}");
            }
            other => panic!("never {other}: {}", res.text().await.unwrap()),
        }
    }
    assert_eq!(created_count, 1);
    let list: Value = s.admin.get("/api/v1/tax-rules").await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}
