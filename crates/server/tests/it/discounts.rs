//! Personal discounts and promotions through the API and the staff panel, on both
//! databases: CRUD, bad input per field, overlapping discounts, unique names and codes, the
//! history in words, another client's discount as "not found", the pages in English and
//! Russian, and parallel requests against each invariant (no overlap, one code, a code's
//! usage limit).

use crate::catalog::refused_fields as refused;
use crate::concurrency::{burst, call};
use crate::harness::{Session, TestApp, created, new_client, new_provider, problem_code, spawn};
use bursar_app::ports::Store as _;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// Posts each body to `path` and expects a 422 naming `field` with `code`.
async fn assert_refused(admin: &Session, path: &str, cases: &[(Value, &str, &str)]) {
    for (body, field, code) in cases {
        let errors = refused(admin, Method::POST, path, body.clone()).await;
        assert!(
            errors.contains(&((*field).to_owned(), (*code).to_owned())),
            "{body}: {errors:?}"
        );
    }
}

/// A provider, a VPS product type with one plan, and a client of the provider.
struct Shop {
    provider: String,
    vps: String,
    plan: String,
    client: String,
}

async fn shop(admin: &Session, email: &str) -> Shop {
    let provider = new_provider(admin, &format!("Cloud {email}"), "EUR", false).await;
    let vps = created(
        admin,
        "/api/v1/product-types",
        json!({"key": format!("vps-{}", email.len()), "name_en": "Virtual servers", "name_ru": "Виртуальные серверы"}),
    )
    .await;
    let plan = created(
        admin,
        "/api/v1/tariffs",
        json!({"product_type_id": vps["id"], "provider_id": provider, "name_en": "VPS Start", "name_ru": "VPS Старт",
               "prices": [{"period": "month1", "price": "5.00"}]}),
    )
    .await;
    let client = new_client(
        admin,
        json!({"email": email, "providers": [provider], "name": "Discount Client"}),
    )
    .await;
    Shop {
        provider,
        vps: id(&vps),
        plan: id(&plan),
        client: id(&client),
    }
}

/// The codes path of a new 5 % promotion named `name` of the shop's provider.
async fn codes_of_new_promotion(admin: &Session, s: &Shop, name: &str) -> String {
    let promo = created(
        admin,
        "/api/v1/promotions",
        json!({"name": name, "title_en": name, "title_ru": name, "provider_id": s.provider, "kind": "percent", "percent": "5"}),
    )
    .await;
    format!("/api/v1/promotions/{}/codes", id(&promo))
}

#[tokio::test]
async fn personal_discounts_are_kept_edited_and_deleted_with_their_history() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "d1@x.example").await;
    let base = format!("/api/v1/clients/{}/discounts", s.client);
    let all = created(
        &admin,
        &base,
        json!({"kind": "percent", "percent": "15", "scope": "all", "starts_on": "2026-01-01", "ends_on": "2026-06-30", "comment": "Loyal since 2019"}),
    )
    .await;
    assert_eq!(all["percent"], "15");
    assert_eq!(all["scope"], "all");
    assert_eq!(all["ends_on"], "2026-06-30");
    let on_plan = created(
        &admin,
        &base,
        json!({"kind": "fixed", "amount": {"amount": "5.00", "currency": "USD"}, "scope": "tariffs", "targets": [s.plan]}),
    )
    .await;
    assert_eq!(
        on_plan["amount"],
        json!({"amount": "5.00", "currency": "USD"})
    );
    assert_eq!(on_plan["targets"][0]["name"], "VPS Start");
    let on_type = created(
        &admin,
        &base,
        json!({"kind": "percent", "percent": "3", "scope": "product_types", "targets": [s.vps], "starts_on": "2027-01-01"}),
    )
    .await;
    let res = admin
        .send(
            Method::PATCH,
            &format!("{base}/{}", id(&all)),
            Some(json!({"percent": "12.5", "ends_on": ""})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let edited: Value = res.json().await.unwrap();
    assert_eq!(edited["percent"], "12.5");
    assert_eq!(edited["ends_on"], Value::Null);
    let list: Value = admin.get(&base).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    let res = admin
        .send(Method::DELETE, &format!("{base}/{}", id(&on_type)), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = admin.get(&format!("{base}/{}", id(&on_type))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let history: Value = admin
        .get(&format!("/api/v1/clients/{}/history", s.client))
        .await
        .json()
        .await
        .unwrap();
    let text = history.to_string();
    for words in [
        "15 %",
        "12.5 %",
        "5.00 USD",
        "tariff plans: VPS Start",
        "product types: Virtual servers",
        "2026-06-30",
        "Loyal since 2019",
        "client_discount",
    ] {
        assert!(text.contains(words), "{words} in {history}");
    }
}

#[tokio::test]
async fn bad_discount_input_is_refused_per_field() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "d2@x.example").await;
    let base = format!("/api/v1/clients/{}/discounts", s.client);
    let cases = [
        (
            json!({"kind": "percent", "percent": "0"}),
            "percent",
            "out_of_range",
        ),
        (
            json!({"kind": "percent", "percent": "101"}),
            "percent",
            "out_of_range",
        ),
        (
            json!({"kind": "percent", "percent": "1.234"}),
            "percent",
            "too_many_decimals",
        ),
        (json!({"kind": "percent"}), "percent", "required"),
        (
            json!({"kind": "fixed", "amount": {"amount": "5", "currency": "XYZ"}}),
            "amount.currency",
            "invalid_currency",
        ),
        (
            json!({"kind": "fixed", "amount": {"amount": "-5", "currency": "EUR"}}),
            "amount.amount",
            "out_of_range",
        ),
        (
            json!({"kind": "percent", "percent": "5", "starts_on": "2026-02-01", "ends_on": "2026-01-31"}),
            "ends_on",
            "end_before_start",
        ),
        (
            json!({"kind": "percent", "percent": "5", "starts_on": "2026-02-30"}),
            "starts_on",
            "malformed",
        ),
        (
            json!({"kind": "percent", "percent": "5", "scope": "tariffs", "targets": [s.vps]}),
            "targets[0]",
            "invalid",
        ),
        (
            json!({"kind": "percent", "percent": "5", "scope": "product_types", "targets": ["nope"]}),
            "targets[0]",
            "invalid_id",
        ),
        (
            json!({"kind": "percent", "percent": "5", "scope": "tariffs", "targets": []}),
            "targets",
            "required",
        ),
    ];
    assert_refused(&admin, &base, &cases).await;
    let list: Value = admin.get(&base).await.json().await.unwrap();
    assert!(list["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_overlapping_discount_is_refused_and_another_clients_is_not_found() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "d3@x.example").await;
    let base = format!("/api/v1/clients/{}/discounts", s.client);
    let first = created(
        &admin,
        &base,
        json!({"kind": "percent", "percent": "10", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}),
    )
    .await;
    let errors = refused(
        &admin,
        Method::POST,
        &base,
        json!({"kind": "percent", "percent": "20", "starts_on": "2026-12-01"}),
    )
    .await;
    assert_eq!(
        errors,
        [("starts_on".to_owned(), "overlapping_rule".to_owned())]
    );
    // The next year is free, and so is another level (a plan).
    created(
        &admin,
        &base,
        json!({"kind": "percent", "percent": "20", "starts_on": "2027-01-01"}),
    )
    .await;
    created(
        &admin,
        &base,
        json!({"kind": "percent", "percent": "30", "scope": "tariffs", "targets": [s.plan]}),
    )
    .await;
    let other = new_client(
        &admin,
        json!({"email": "d3-other@x.example", "providers": [s.provider], "name": "Other"}),
    )
    .await;
    let theirs = format!("/api/v1/clients/{}/discounts/{}", id(&other), id(&first));
    assert_eq!(admin.get(&theirs).await.status(), StatusCode::NOT_FOUND);
    let res = admin
        .send(Method::PATCH, &theirs, Some(json!({"percent": "50"})))
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::NOT_FOUND, "not_found".to_owned())
    );
    let res = admin.send(Method::DELETE, &theirs, None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let mine: Value = admin
        .get(&format!("{base}/{}", id(&first)))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["percent"], "10");
}

#[tokio::test]
async fn promotions_have_condition_groups_codes_and_a_history() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "p1@x.example").await;
    let group = created(
        &admin,
        "/api/v1/client-groups",
        json!({"name": "Resellers"}),
    )
    .await;
    let promo = created(
        &admin,
        "/api/v1/promotions",
        json!({"name": "spring-2026", "title_en": "Spring sale", "title_ru": "Весенняя распродажа", "provider_id": s.provider,
               "starts_on": "2026-03-01", "ends_on": "2026-05-31", "kind": "percent", "percent": "10"}),
    )
    .await;
    assert_eq!(promo["active"], true);
    assert_eq!(promo["provider"], "Cloud p1@x.example");
    let res = admin
        .post(
            "/api/v1/promotions",
            json!({"name": "spring-2026", "title_en": "A", "title_ru": "Б", "provider_id": s.provider, "kind": "percent", "percent": "5"}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "name_taken".to_owned())
    );
    assert_refused(&admin, "/api/v1/promotions", &[
        (
            json!({"name": "x", "title_en": "A", "title_ru": "Б", "provider_id": s.provider, "kind": "fixed", "amount": {"amount": "1", "currency": "QQQ"}}),
            "amount.currency",
            "invalid_currency",
        ),
        (
            json!({"name": "x", "title_en": "A", "title_ru": "Б", "provider_id": s.vps, "kind": "percent", "percent": "5"}),
            "provider_id",
            "unknown_provider",
        ),
        (
            json!({"name": "x", "title_en": "", "title_ru": "Б", "provider_id": s.provider, "kind": "percent", "percent": "5"}),
            "title_en",
            "required",
        ),
        (
            json!({"name": "x", "title_en": "A", "title_ru": "Б", "provider_id": s.provider, "kind": "percent", "percent": "5", "starts_on": "2026-02-01", "ends_on": "2026-01-01"}),
            "ends_on",
            "end_before_start",
        ),
    ])
    .await;
    let p = id(&promo);
    let conditions = format!("/api/v1/promotions/{p}/conditions");
    let by_group = created(
        &admin,
        &conditions,
        json!({"group": 1, "kind": "client_group", "value": group["id"]}),
    )
    .await;
    assert_eq!(by_group["label"], "Resellers");
    created(
        &admin,
        &conditions,
        json!({"group": 1, "kind": "tariff", "value": s.plan}),
    )
    .await;
    created(
        &admin,
        &conditions,
        json!({"group": 2, "kind": "period", "value": "month12"}),
    )
    .await;
    let first_order = created(
        &admin,
        &conditions,
        json!({"group": 2, "kind": "first_order"}),
    )
    .await;
    assert_refused(
        &admin,
        &conditions,
        &[
            (
                json!({"group": 0, "kind": "first_order"}),
                "group",
                "out_of_range",
            ),
            (
                json!({"group": 101, "kind": "first_order"}),
                "group",
                "out_of_range",
            ),
            (
                json!({"group": 1, "kind": "tariff", "value": "not-an-id"}),
                "value",
                "invalid_id",
            ),
            (
                json!({"group": 1, "kind": "tariff", "value": s.vps}),
                "value",
                "invalid",
            ),
            (
                json!({"group": 1, "kind": "client_group", "value": s.plan}),
                "value",
                "unknown_group",
            ),
            (
                json!({"group": 1, "kind": "period", "value": "fortnight"}),
                "value",
                "invalid_period",
            ),
        ],
    )
    .await;
    let res = admin
        .post(
            &conditions,
            json!({"group": 2, "kind": "period", "value": "month12"}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "conflict".to_owned())
    );
    let shown: Value = admin
        .get(&format!("/api/v1/promotions/{p}"))
        .await
        .json()
        .await
        .unwrap();
    let groups = shown["condition_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{shown}");
    assert_eq!(groups[0]["group"], 1);
    assert_eq!(groups[0]["conditions"].as_array().unwrap().len(), 2);
    assert_eq!(groups[1]["conditions"].as_array().unwrap().len(), 2);
    let res = admin
        .send(
            Method::DELETE,
            &format!("{conditions}/{}", id(&first_order)),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let codes = format!("/api/v1/promotions/{p}/codes");
    let one = created(
        &admin,
        &codes,
        json!({"code": " spring26 ", "multi_use": true, "usage_limit": 3}),
    )
    .await;
    assert_eq!(one["items"][0]["code"], "SPRING26");
    assert_eq!(one["items"][0]["usable"], true);
    let res = admin.post(&codes, json!({"code": "SPRING26"})).await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "promo_code_taken".to_owned())
    );
    let batch = created(&admin, &codes, json!({"count": 25})).await;
    assert_eq!(batch["items"].as_array().unwrap().len(), 25);
    assert_refused(
        &admin,
        &codes,
        &[
            (json!({"count": 0}), "count", "out_of_range"),
            (json!({"count": 1001}), "count", "out_of_range"),
            (json!({"code": "AB"}), "code", "too_short"),
            (
                json!({"code": "SUMMER", "usage_limit": 5}),
                "usage_limit",
                "invalid",
            ),
            (json!({}), "code", "required"),
        ],
    )
    .await;
    let list: Value = admin.get(&codes).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 26);
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["used"] == 0)
    );
    let res = admin
        .send(
            Method::DELETE,
            &format!("{codes}/{}", id(&one["items"][0])),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/promotions/{p}"),
            Some(json!({"percent": "12.5", "active": false})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let history: Value = admin
        .get(&format!(
            "/api/v1/history?object_kind=promotion&object_id={p}"
        ))
        .await
        .json()
        .await
        .unwrap();
    let text = history.to_string();
    for words in [
        "10 %",
        "12.5 %",
        "group 1: client group Resellers",
        "group 2: first order",
        "SPRING26 (multi-use, limit 3)",
        "25 codes generated",
        "Весенняя распродажа",
    ] {
        assert!(text.contains(words), "{words} in {history}");
    }
    let res = admin
        .send(Method::DELETE, &format!("/api/v1/promotions/{p}"), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(admin.get(&codes).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn parallel_overlapping_discounts_for_one_client_leave_exactly_one() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "race1@x.example").await;
    let base = format!("/api/v1/clients/{}/discounts", s.client);
    let calls = (0..8)
        .map(|n| {
            call(
                "discount",
                &admin,
                Method::POST,
                &base,
                Some(json!({"kind": "percent", "percent": format!("{}", n + 1), "starts_on": format!("2026-0{}-01", n + 1)})),
            )
        })
        .collect();
    let out = burst(calls).await;
    out.check("parallel discounts", &[StatusCode::UNPROCESSABLE_ENTITY]);
    assert_eq!(out.succeeded("discount"), 1);
    for o in out.0.iter().filter(|o| !o.status.is_success()) {
        assert_eq!(
            o.body["errors"][0]["code"], "overlapping_rule",
            "{}",
            o.body
        );
    }
    let list: Value = admin.get(&base).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn parallel_creations_of_one_promo_code_leave_exactly_one() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "race2@x.example").await;
    let codes = codes_of_new_promotion(&admin, &s, "race").await;
    let calls = (0..8)
        .map(|_| {
            call(
                "code",
                &admin,
                Method::POST,
                &codes,
                Some(json!({"code": "ONLY-ONE"})),
            )
        })
        .collect();
    let out = burst(calls).await;
    out.check("parallel codes", &[StatusCode::CONFLICT]);
    assert_eq!(out.succeeded("code"), 1);
    for o in out.0.iter().filter(|o| !o.status.is_success()) {
        assert_eq!(o.code, "promo_code_taken", "{}", o.body);
    }
    let list: Value = admin.get(&codes).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

/// Orders will redeem codes inside their own transaction; there is no API for it yet, so
/// the store operation is raced directly: ten parallel redemptions of a code with a limit of
/// three, each in its own transaction.
#[tokio::test]
async fn parallel_redemptions_never_use_a_code_past_its_limit() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "race3@x.example").await;
    let codes = codes_of_new_promotion(&admin, &s, "limited").await;
    created(
        &admin,
        &codes,
        json!({"code": "THREE", "multi_use": true, "usage_limit": 3}),
    )
    .await;
    created(&admin, &codes, json!({"code": "ONCE"})).await;
    for (code, limit) in [("three", 3), ("ONCE", 1)] {
        let outcomes = redeem_in_parallel(&t, code, 10).await;
        let ok = outcomes.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, limit, "{code}: {outcomes:?}");
        for r in outcomes.iter().filter_map(|r| r.as_ref().err()) {
            assert_eq!(r, "promo_code_used_up");
        }
    }
    let list: Value = admin.get(&codes).await.json().await.unwrap();
    let used: Vec<(String, i64, bool)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_owned(),
                c["used"].as_i64().unwrap(),
                c["usable"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(used.contains(&("THREE".to_owned(), 3, false)), "{used:?}");
    assert!(used.contains(&("ONCE".to_owned(), 1, false)), "{used:?}");
    let mut tx = t.store.read().await.unwrap();
    let unknown = bursar_app::marketing::redeem_promo_code(tx.as_mut(), "NOPE").await;
    assert_eq!(
        unknown.err().map(field_code).as_deref(),
        Some("unknown_promo_code")
    );
}

/// Redeems `code` from `n` tasks at once, each in its own transaction (retried when the
/// database reports a conflict, as the use-case spine would); the error code of each refusal.
async fn redeem_in_parallel(t: &TestApp, code: &str, n: usize) -> Vec<Result<(), String>> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let store = t.store.clone();
            let barrier = barrier.clone();
            let code = code.to_owned();
            tokio::spawn(async move {
                barrier.wait().await;
                loop {
                    let mut tx = store.write().await.unwrap();
                    match bursar_app::marketing::redeem_promo_code(tx.as_mut(), &code).await {
                        Ok(_) => match tx.commit().await {
                            Ok(()) => return Ok(()),
                            Err(bursar_app::StoreError::Busy) => continue,
                            Err(e) => panic!("commit: {e}"),
                        },
                        Err(bursar_app::AppError::Busy) => continue,
                        Err(e) => return Err(field_code(e)),
                    }
                }
            })
        })
        .collect();
    futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect()
}

/// The code of the refused field (a redemption names one), else the error's own code.
fn field_code(e: bursar_app::AppError) -> String {
    match e {
        bursar_app::AppError::Invalid(i) => {
            i.0.first()
                .map(|f| f.code.as_str().to_owned())
                .unwrap_or_default()
        }
        other => other.code().as_str().to_owned(),
    }
}

/// Posts a panel form as the page would (the session's CSRF token rides in the header).
async fn post_form(s: &Session, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    s.request(Method::POST, path, None)
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn page(s: &Session, path: &str) -> String {
    let res = s.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn staff_manage_discounts_and_promotions_in_the_panel_in_both_languages() {
    let t = spawn().await;
    let admin = t.admin().await;
    let s = shop(&admin, "panel@x.example").await;
    let group = created(
        &admin,
        "/api/v1/client-groups",
        json!({"name": "Resellers"}),
    )
    .await;
    let tab = format!("/admin/clients/{}/discounts", s.client);
    let html = page(&admin, &tab).await;
    assert!(
        html.contains("outranks promotions") && html.contains("Add a discount"),
        "{html}"
    );
    let form = page(&admin, &format!("{tab}/new")).await;
    assert!(
        form.contains("VPS Start") && form.contains("Virtual servers"),
        "the pickers: {form}"
    );
    // A refused form comes back with the typed values and the error next to the field.
    let res = post_form(
        &admin,
        &format!("{tab}/new"),
        &[("kind", "percent"), ("percent", "101"), ("scope", "all")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("value=\"101\""));
    let res = post_form(
        &admin,
        &format!("{tab}/new"),
        &[
            ("kind", "percent"),
            ("percent", "7.5"),
            ("scope", "tariffs"),
            ("tariffs", s.plan.as_str()),
            ("starts_on", "2026-01-01"),
            ("comment", "Partner"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post_form(
        &admin,
        &format!("{tab}/new"),
        &[
            ("kind", "percent"),
            ("percent", "9"),
            ("scope", "tariffs"),
            ("tariffs", s.plan.as_str()),
        ],
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "overlapping"
    );
    let html = page(&admin, &tab).await;
    assert!(
        html.contains("7.5 %")
            && html.contains("Tariff plans: VPS Start")
            && html.contains("Partner"),
        "{html}"
    );
    let list: Value = admin
        .get(&format!("/api/v1/clients/{}/discounts", s.client))
        .await
        .json()
        .await
        .unwrap();
    let d = id(&list["items"][0]);
    assert!(
        page(&admin, &format!("{tab}/{d}"))
            .await
            .contains("value=\"7.5\"")
    );
    assert!(
        page(&admin, &format!("{tab}/{d}/delete"))
            .await
            .contains("7.5 %")
    );

    let res = post_form(
        &admin,
        "/admin/promotions/new",
        &[
            ("name", "autumn"),
            ("title_en", "Autumn deal"),
            ("title_ru", "Осенняя акция"),
            ("provider_id", s.provider.as_str()),
            ("kind", "fixed"),
            ("amount", "3.00"),
            ("currency", "EUR"),
            ("active", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let promo_page = res.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let res = post_form(
        &admin,
        &format!("{promo_page}/conditions"),
        &[
            ("group", "1"),
            ("condition_kind", "client_group"),
            ("client_group", group["id"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post_form(
        &admin,
        &format!("{promo_page}/conditions"),
        &[("group", "2"), ("condition_kind", "tariff")],
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a tariff condition needs a plan"
    );
    let res = post_form(
        &admin,
        &format!("{promo_page}/codes"),
        &[("count", "3"), ("multi_use", "1"), ("usage_limit", "10")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = page(&admin, &promo_page).await;
    for words in [
        "any one condition suffices",
        "Group 1",
        "Resellers",
        "Multi-use, up to 10",
        "value=\"3.00\"",
    ] {
        assert!(html.contains(words), "{words}: {html}");
    }
    let list = page(&admin, "/admin/promotions").await;
    assert!(
        list.contains("autumn") && list.contains("1 group"),
        "{list}"
    );
    assert!(
        page(&admin, "/admin").await.contains("/admin/promotions"),
        "the Marketing menu"
    );

    let res = post_form(&admin, "/language", &[("lang", "ru"), ("back", "/admin")]).await;
    assert!(res.status().is_redirection());
    let ru = page(&admin, &tab).await;
    assert!(
        ru.contains("Персональная скидка важнее акций") && ru.contains("Тарифы: VPS Start"),
        "{ru}"
    );
    let ru = page(&admin, &promo_page).await;
    assert!(
        ru.contains("Внутри группы достаточно любого одного условия")
            && ru.contains("Осенняя акция"),
        "{ru}"
    );
    assert!(page(&admin, "/admin/promotions").await.contains("1 группа"));
    let history = page(&admin, &format!("/admin/clients/{}/history", s.client)).await;
    assert!(
        history.contains("Персональная скидка") && history.contains("7.5 %"),
        "{history}"
    );
}
