//! The catalog through the API, on both databases: product types with service parameters,
//! enumerations, tariff plans with prices per period and add-ons of every billing type, the
//! public price list, history of price changes, the deletion rules, bad input per field, and
//! processing modules run as real scripts (`tests/modules/`): success, failure, timeout and
//! an answer that is not JSON.

use crate::harness::{Session, TestApp, created, new_provider, problem_code, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn script(name: &str) -> String {
    format!("{}/tests/modules/{name}", env!("CARGO_MANIFEST_DIR"))
}

pub(crate) async fn refused_fields(
    s: &Session,
    method: Method,
    path: &str,
    body: Value,
) -> Vec<(String, String)> {
    let res = s.send(method, path, Some(body)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    let p: Value = res.json().await.unwrap();
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A VPS type with an OS choice and a hostname, and a plan with two periods.
async fn vps(t: &TestApp, admin: &Session) -> (String, String, String, String) {
    let _ = t;
    let p = new_provider(admin, "Cloud", "EUR", false).await;
    let os = created(
        admin,
        "/api/v1/enumerations",
        json!({"name_en": "Operating system", "name_ru": "Операционная система", "items": [
            {"value": "debian", "name_en": "Debian 12", "name_ru": "Debian 12"},
            {"value": "windows", "name_en": "Windows Server", "name_ru": "Windows Server"}]}),
    )
    .await;
    let ty = created(
        admin,
        "/api/v1/product-types",
        json!({"key": "vps", "name_en": "Virtual servers", "name_ru": "Виртуальные серверы", "params": [
            {"key": "hostname", "label_en": "Host name", "label_ru": "Имя хоста", "kind": "domain", "required": true, "after_payment": true},
            {"key": "os", "label_en": "OS", "label_ru": "ОС", "kind": "choice", "enumeration_id": os["id"], "required": true}]}),
    )
    .await;
    let plan = created(
        admin,
        "/api/v1/tariffs",
        json!({"product_type_id": ty["id"], "provider_id": p, "name_en": "VPS Start", "name_ru": "VPS Старт",
               "prices": [{"period": "month1", "price": "5.00", "setup": "2.00"}, {"period": "month12", "price": "50.00"}]}),
    )
    .await;
    (
        p,
        os["id"].as_str().unwrap().to_owned(),
        ty["id"].as_str().unwrap().to_owned(),
        plan["id"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_plan_with_add_ons_of_every_billing_type_is_on_the_public_price_list() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, os, _, plan) = vps(&t, &admin).await;
    let path = format!("/api/v1/tariffs/{plan}/addons");
    for body in [
        json!({"key": "cpu", "name_en": "CPU", "name_ru": "Процессор", "billing": "order", "unit": "cores", "included": 1, "min": 1, "max": 16, "step": 1,
               "prices": [{"period": "month1", "price": "2.00"}, {"period": "month12", "price": "20.00"}]}),
        json!({"key": "os", "name_en": "OS", "name_ru": "ОС", "billing": "choice", "enumeration_id": os,
               "prices": [{"period": "month1", "option": "debian", "price": "0.00"}, {"period": "month1", "option": "windows", "price": "15.00"}]}),
        json!({"key": "panel", "name_en": "Control panel licence", "name_ru": "Лицензия панели", "billing": "none"}),
        json!({"key": "backup", "name_en": "Backups", "name_ru": "Резервные копии", "billing": "boolean", "prices": [{"period": "month1", "price": "1.50"}]}),
        json!({"key": "traffic", "name_en": "Traffic", "name_ru": "Трафик", "billing": "statistics", "unit": "GB", "included": 1000, "max": 1000,
               "prices": [{"period": "month1", "price": "0.01"}]}),
    ] {
        created(&admin, &path, body).await;
    }
    let res = t
        .browser()
        .get(t.url("/api/v1/price-list?lang=ru"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "no sign-in needed");
    assert_eq!(res.headers()["cache-control"], "public, max-age=300");
    let list: Value = res.json().await.unwrap();
    let plan_entry = &list["providers"][0]["plans"][0];
    assert_eq!(plan_entry["name"], "VPS Старт");
    assert_eq!(plan_entry["product_type"], "Виртуальные серверы");
    assert_eq!(
        plan_entry["prices"][0],
        json!({"period": "month1", "price": "5.00", "setup": "2.00"})
    );
    let addons = plan_entry["addons"].as_array().unwrap();
    assert_eq!(addons.len(), 5);
    let os_addon = addons.iter().find(|a| a["key"] == "os").unwrap();
    assert!(
        os_addon.to_string().contains("Windows Server") && os_addon.to_string().contains("15.00"),
        "{os_addon}"
    );
    // Archived and staff-only plans are not offered.
    admin
        .post(&format!("/api/v1/tariffs/{plan}/archive"), json!({}))
        .await;
    let list: Value = t
        .browser()
        .get(t.url("/api/v1/price-list"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["providers"], json!([]));
    let html = admin.get("/admin/price-list").await.text().await.unwrap();
    assert!(html.contains("Price list"), "staff see the table: {html}");
}

#[tokio::test]
async fn a_price_change_is_in_the_history_and_the_deletion_rules_hold() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, os, ty, plan) = vps(&t, &admin).await;
    let res = admin
        .send(Method::PATCH, &format!("/api/v1/tariffs/{plan}"), Some(json!({"prices": [{"period": "month1", "price": "6.00"}, {"period": "month12", "price": "50.00"}]})))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let history: Value = admin
        .get(&format!(
            "/api/v1/history?object_kind=tariff&object_id={plan}"
        ))
        .await
        .json()
        .await
        .unwrap();
    let text = history.to_string();
    assert!(
        text.contains("month1: 5.00") && text.contains("month1: 6.00") && text.contains("admin"),
        "{history}"
    );
    let res = admin
        .send(Method::DELETE, &format!("/api/v1/product-types/{ty}"), None)
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "product_type_in_use".to_owned())
    );
    let res = admin
        .send(Method::DELETE, &format!("/api/v1/enumerations/{os}"), None)
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "enumeration_in_use".to_owned())
    );
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/tariffs/{plan}"),
            Some(json!({"name_en": "VPS Start 2"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        admin
            .send(Method::DELETE, &format!("/api/v1/tariffs/{plan}"), None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        admin
            .send(Method::DELETE, &format!("/api/v1/product-types/{ty}"), None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn bad_catalog_input_is_refused_per_field() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (p, _, ty, plan) = vps(&t, &admin).await;
    let base = json!({"product_type_id": ty, "provider_id": p, "name_en": "X", "name_ru": "X"});
    let with = |extra: Value| {
        let mut b = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let f = refused_fields(
        &admin,
        Method::POST,
        "/api/v1/tariffs",
        with(json!({"prices": [{"period": "month1", "price": "-1.00"}]})),
    )
    .await;
    assert_eq!(
        f,
        vec![("prices[0].price".to_owned(), "out_of_range".to_owned())]
    );
    let f = refused_fields(
        &admin,
        Method::POST,
        "/api/v1/tariffs",
        with(json!({"prices": []})),
    )
    .await;
    assert_eq!(
        f,
        vec![("prices".to_owned(), "invalid_period".to_owned())],
        "a plan with no period"
    );
    let f = refused_fields(
        &admin,
        Method::POST,
        "/api/v1/tariffs",
        with(json!({"currency": "JPY", "prices": [{"period": "month1", "price": "1"}]})),
    )
    .await;
    assert_eq!(
        f,
        vec![("currency".to_owned(), "currency_disabled".to_owned())]
    );
    let f = refused_fields(&admin, Method::POST, &format!("/api/v1/tariffs/{plan}/addons"),
        json!({"key": "ram", "name_en": "RAM", "name_ru": "ОЗУ", "billing": "order", "included": 4, "min": 1, "max": 2})).await;
    assert!(
        f.contains(&("max".to_owned(), "out_of_range".to_owned())),
        "{f:?}"
    );
    let f = refused_fields(&admin, Method::POST, "/api/v1/product-types",
        json!({"key": "web", "name_en": "Web", "name_ru": "Веб", "params": [{"key": "login", "label_en": "Login", "label_ru": "Логин", "kind": "text", "pattern": "([a-z"}]})).await;
    assert_eq!(
        f,
        vec![("params[0].pattern".to_owned(), "invalid_pattern".to_owned())]
    );
    let f = refused_fields(
        &admin,
        Method::POST,
        "/api/v1/processing-modules",
        json!({"name": "Ghost", "kind": "program", "command": "/nonexistent/module"}),
    )
    .await;
    assert_eq!(f, vec![("command".to_owned(), "invalid_module".to_owned())]);
    let f = refused_fields(
        &admin,
        Method::POST,
        "/api/v1/product-types",
        json!({"key": "Bad Key", "name_en": "A", "name_ru": "Б"}),
    )
    .await;
    assert_eq!(f, vec![("key".to_owned(), "invalid_key".to_owned())]);
    let res = admin
        .post(
            "/api/v1/product-types",
            json!({"key": "vps", "name_en": "A", "name_ru": "Б"}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "name_taken".to_owned())
    );
    let f = refused_fields(
        &admin,
        Method::PATCH,
        &format!("/api/v1/tariffs/{plan}"),
        json!({"default_period": "month3"}),
    )
    .await;
    assert_eq!(
        f,
        vec![("default_period".to_owned(), "invalid_period".to_owned())]
    );
}

#[tokio::test]
async fn processing_modules_run_real_programs_and_keep_their_secrets() {
    let t = spawn().await;
    let admin = t.admin().await;
    let module = |name: &str, file: &str, timeout: i64| json!({"name": name, "kind": "program", "command": script(file), "secret": "s3cret", "timeout_secs": timeout});
    let ok = created(
        &admin,
        "/api/v1/processing-modules",
        module("Good", "ok.sh", 10),
    )
    .await;

    assert_eq!(ok["has_secret"], true);
    assert!(
        !ok.to_string().contains("s3cret"),
        "the secret is never shown back: {ok}"
    );
    let admin = &admin;
    let check = |m: &Value| {
        let path = format!(
            "/api/v1/processing-modules/{}/check",
            m["id"].as_str().unwrap()
        );
        async move {
            let res = admin.post(&path, json!({})).await;
            assert_eq!(res.status(), StatusCode::OK);
            res.json::<Value>().await.unwrap()
        }
    };
    let answer = check(&ok).await;
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["message"], "check passed");
    assert_eq!(
        answer["parameters"]["secret_seen"], "s3cret",
        "the program gets the secret"
    );
    let fail = created(
        admin,
        "/api/v1/processing-modules",
        module("Refusing", "fail.sh", 10),
    )
    .await;
    let answer = check(&fail).await;
    assert_eq!(
        (answer["ok"].clone(), answer["message"].clone()),
        (json!(false), json!("control panel unreachable"))
    );
    let slow = created(
        admin,
        "/api/v1/processing-modules",
        module("Slow", "slow.sh", 1),
    )
    .await;
    let answer = check(&slow).await;
    assert_eq!(answer["ok"], false);
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("did not answer within 1 s"),
        "{answer}"
    );
    let bad = created(
        admin,
        "/api/v1/processing-modules",
        module("Broken", "bad_json.sh", 10),
    )
    .await;
    let answer = check(&bad).await;
    assert_eq!(answer["ok"], false);
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("not the expected JSON"),
        "{answer}"
    );
    let list: Value = admin
        .get("/api/v1/processing-modules")
        .await
        .json()
        .await
        .unwrap();
    assert!(!list.to_string().contains("s3cret"));
    let history: Value = admin
        .get("/api/v1/history?object_kind=processing_module")
        .await
        .json()
        .await
        .unwrap();
    assert!(!history.to_string().contains("s3cret"), "{history}");
    let manual = created(
        admin,
        "/api/v1/processing-modules",
        json!({"name": "By hand", "kind": "manual"}),
    )
    .await;
    assert_eq!(check(&manual).await["ok"], false);
}

#[tokio::test]
async fn a_plan_closed_to_a_client_group_shows_in_the_group() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, _, _, plan) = vps(&t, &admin).await;
    let group = created(
        &admin,
        "/api/v1/client-groups",
        json!({"name": "Resellers"}),
    )
    .await;
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/tariffs/{plan}"),
            Some(json!({"forbidden_groups": [group["id"]]})),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["forbidden_groups"], json!([group["id"]]), "{body}");
    let groups: Value = admin
        .get("/api/v1/client-groups")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(groups["items"][0]["forbidden_tariffs"], json!([plan]));
    let f = refused_fields(
        &admin,
        Method::PATCH,
        &format!("/api/v1/tariffs/{plan}"),
        json!({"forbidden_groups": ["nope"]}),
    )
    .await;
    assert_eq!(
        f,
        vec![("forbidden_groups[0]".to_owned(), "unknown_group".to_owned())]
    );
}

#[tokio::test]
async fn the_demo_loads_a_realistic_catalog() {
    let t = spawn().await;
    t.app.load_demo(0).await.unwrap();
    t.app.load_demo(0).await.unwrap();
    let list: Value = t
        .browser()
        .get(t.url("/api/v1/price-list"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let plans: Vec<&Value> = list["providers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["plans"].as_array().unwrap())
        .collect();
    assert_eq!(plans.len(), 5, "loading twice adds nothing twice: {list}");
    let vps = plans.iter().find(|p| p["name"] == "VPS Start").unwrap();
    let keys: Vec<&str> = vps["addons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["cpu", "ram", "disk", "os"]);
    assert!(
        plans
            .iter()
            .any(|p| p["quick_order"] == true && p["addons"][0]["billing"] == "none")
    );
    assert!(plans.iter().any(|p| p["product_type"] == "Domains"));
    assert!(
        plans
            .iter()
            .any(|p| p["product_type"] == "SSL certificates")
    );
    let admin = t.admin().await;
    let types: Value = admin
        .get("/api/v1/product-types")
        .await
        .json()
        .await
        .unwrap();
    let domain = types["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "domain")
        .unwrap();
    assert_eq!(domain["params"][0]["kind"], "domain");
    for page in [
        "/admin/tariffs",
        "/admin/product-types",
        "/admin/enumerations",
        "/admin/processing-modules",
        "/admin/price-list",
    ] {
        let res = admin.get(page).await;
        assert_eq!(res.status(), StatusCode::OK, "{page}");
    }
    let plan_id = vps["id"].as_str().unwrap();
    let html = admin
        .get(&format!("/admin/tariffs/{plan_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("price_month12") && html.contains("Operating system"),
        "the price matrix and the add-ons: {html}"
    );
    let ru = admin.get("/admin/price-list").await.text().await.unwrap();
    assert!(ru.contains("VPS Start"));
}
