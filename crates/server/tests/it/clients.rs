//! Providers, companies, clients, users, payers and client groups (seeds 002 and 004).

#[allow(unused_imports)]
use crate::harness::RowExt as _;
use crate::harness::{
    Session, TestApp, new_client as client, new_provider as provider, problem_code, spawn,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PW: &str = "client-password-9";

/// Inserts a row the services or money features will write, for the checks that read them.
async fn insert_row(
    t: &TestApp,
    table: &str,
    client: &str,
    provider: &str,
    status_or_amount: &str,
) {
    let id = uuid::Uuid::now_v7().to_string();
    // Services arrive with the orders issue; until then tests put them in place directly.
    assert_eq!(table, "services");
    let sql = "INSERT INTO services (id, client_id, provider_id, status, created_at) VALUES ($1, $2, $3, $4, '2026-11-22T00:00:00.000000Z')";
    bursar_store::db::query(sql)
        .bind(crate::harness::val(&id))
        .bind(crate::harness::val(client))
        .bind(crate::harness::val(provider))
        .bind(status_or_amount)
        .execute(t.store.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn providers_have_one_currency_and_companies_serve_providers() {
    let t = spawn().await;
    let admin = t.admin().await;
    let currencies: Value = admin.get("/api/v1/currencies").await.json().await.unwrap();
    let eur = currencies["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "EUR")
        .unwrap();
    assert_eq!(eur["minor_units"], 2);
    assert_eq!(eur["is_active"], true);
    let hosting = provider(&admin, "N-1 Hosting", "RUB", false).await;
    let domains = provider(&admin, "N-2 Domains", "EUR", true).await;
    let res = admin
        .post(
            "/api/v1/providers",
            json!({"name": "Yen", "currency": "JPY"}),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["errors"][0]["code"],
        "currency_disabled"
    );
    let res = admin
        .send(
            Method::PATCH,
            "/api/v1/currencies/JPY",
            Some(json!({"is_active": true})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = admin
        .send(
            Method::PATCH,
            "/api/v1/currencies/RUB",
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "currency_in_use".into())
    );
    let res = admin
        .post("/api/v1/companies", json!({"name": "N Ltd", "country": "gb", "address": "1 High St, London", "tax_number": "GB123", "providers": [hosting, domains]}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let company: Value = res.json().await.unwrap();
    assert_eq!(company["country"], "GB");
    assert_eq!(company["providers"].as_array().unwrap().len(), 2);
    let res = admin
        .post(
            "/api/v1/companies",
            json!({"name": "Bad", "country": "XX", "address": "x", "providers": ["nope"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn creating_a_client_creates_its_main_user_who_signs_in() {
    let t = spawn().await;
    let admin = t.admin().await;
    let rub = provider(&admin, "Hosting", "RUB", false).await;
    let eur = provider(&admin, "Domains", "EUR", true).await;
    // A login is refused unless every chosen provider asks for one.
    let res = admin.post("/api/v1/clients", json!({"login": "acme", "email": "ops@acme.example", "providers": [rub], "name": "Jane Roe", "password": PW, "password_confirmation": PW})).await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["errors"][0]["code"],
        "login_not_allowed"
    );
    let created = client(&admin, json!({"email": "ops@acme.example", "providers": [rub], "name": "Jane Roe", "country": "de", "locale": "ru", "comment": "VIP", "send_notification": true})).await;
    let generated = created["generated_password"].as_str().unwrap();
    let (_, me) = t.login("ops@acme.example", generated).await;
    assert_eq!(me["name"], "Jane Roe");
    assert_eq!(me["kind"], "client");
    let with_login = client(&admin, json!({"login": "globex", "email": "it@globex.example", "providers": [eur], "name": "Hank Scorpio", "password": PW, "password_confirmation": PW})).await;
    let _ = t.login("globex", PW).await;

    let id = created["id"].as_str().unwrap();
    let card: Value = admin
        .get(&format!("/api/v1/clients/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["country"], "DE");
    assert_eq!(card["locale"], "ru");
    assert_eq!(card["status"], "inactive");
    assert_eq!(card["staff_login"], "admin");
    assert_eq!(card["registration_ip"], Value::Null);
    assert_eq!(card["users"][0]["is_main"], true);
    assert_eq!(card["providers"][0]["name"], "Hosting");
    let export: Value = admin
        .get(&format!("/api/v1/clients/{id}/export"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["emails"][0]["to_address"], "ops@acme.example");
    assert!(
        export["emails"][0]["subject"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('а'..='я').contains(&c)),
        "Russian mail for a Russian client"
    );
    assert_ne!(with_login["id"], created["id"]);
}

#[tokio::test]
async fn bad_client_input_names_the_field_and_saves_nothing() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", true).await;
    let res = admin
        .post("/api/v1/clients", json!({"email": "not-an-email", "providers": [p], "name": "", "country": "ZZ", "locale": "de", "password": PW, "password_confirmation": "other"}))
        .await;
    let body: Value = res.json().await.unwrap();
    let mut fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "country",
            "email",
            "locale",
            "name",
            "password_confirmation"
        ]
    );
    let res = admin.post("/api/v1/clients", json!({"email": "a@b.example", "providers": ["00000000-0000-0000-0000-000000000000"], "name": "X"})).await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["errors"][0]["code"],
        "unknown_provider"
    );
    client(
        &admin,
        json!({"login": "taken", "email": "one@x.example", "providers": [p], "name": "One"}),
    )
    .await;
    let res = admin
        .post(
            "/api/v1/clients",
            json!({"login": "taken", "email": "two@x.example", "providers": [p], "name": "Two"}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "login_taken".into())
    );
    let res = admin
        .post(
            "/api/v1/clients",
            json!({"login": "other", "email": "one@x.example", "providers": [p], "name": "Three"}),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["errors"][0]["field"].as_str()),
        (Some("email_taken"), Some("email"))
    );
    let res = admin
        .post(
            "/api/v1/clients",
            json!({"email": "long@x.example", "providers": [p], "name": "x".repeat(201)}),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["errors"][0]["code"],
        "too_long"
    );
    let list: Value = admin.get("/api/v1/clients").await.json().await.unwrap();
    assert_eq!(list["total"], 1, "only the one valid client exists");
}

#[tokio::test]
async fn the_client_list_filters_sorts_and_paginates() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p1 = provider(&admin, "Hosting", "EUR", false).await;
    let p2 = provider(&admin, "Domains", "USD", false).await;
    let a = client(
        &admin,
        json!({"email": "jane.cooper@mail.example", "providers": [p1], "name": "Jane Cooper"}),
    )
    .await;
    let b = client(
        &admin,
        json!({"email": "ivan@romashka.example", "providers": [p2], "name": "Ivan Petrov"}),
    )
    .await;
    let c = client(
        &admin,
        json!({"email": "ops@pixel.example", "providers": [p1, p2], "name": "Pixel Forge"}),
    )
    .await;
    let (a, b, c) = (
        a["id"].as_str().unwrap(),
        b["id"].as_str().unwrap(),
        c["id"].as_str().unwrap(),
    );
    admin
        .send(
            Method::PATCH,
            &format!("/api/v1/clients/{b}"),
            Some(json!({"label": "Referral", "characteristic": "problematic"})),
        )
        .await;
    insert_row(&t, "services", c, &p1, "active").await;
    let group = admin
        .post(
            "/api/v1/client-groups",
            json!({"name": "Resellers", "allow_suspend": true, "forbidden_tariffs": ["t-1"]}),
        )
        .await;
    let group = group.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = admin
        .send(
            Method::PUT,
            &format!("/api/v1/clients/{a}/groups"),
            Some(json!({"groups": [group]})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let ids = |v: Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let get = |q: &str| {
        let path = format!("/api/v1/clients?{q}");
        let admin = &admin;
        async move { admin.get(&path).await }
    };
    assert_eq!(ids(get("q=coop").await.json().await.unwrap()), [a]);
    assert_eq!(
        ids(get("q=JANE.cooper@mail.example")
            .await
            .json()
            .await
            .unwrap()),
        [a]
    );
    assert_eq!(ids(get("q=ivan%20petr").await.json().await.unwrap()), [b]);
    assert_eq!(ids(get("label=Referral").await.json().await.unwrap()), [b]);
    assert_eq!(
        ids(get("characteristic=problematic")
            .await
            .json()
            .await
            .unwrap()),
        [b]
    );
    assert_eq!(ids(get("status=active").await.json().await.unwrap()), [c]);
    assert_eq!(
        ids(get(&format!("provider={p2}&sort=name"))
            .await
            .json()
            .await
            .unwrap()),
        [b, c]
    );
    assert_eq!(
        ids(get(&format!("group={group}")).await.json().await.unwrap()),
        [a]
    );
    let page: Value = get("sort=oldest&per_page=2&page=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (ids(page.clone()), page["total"].clone()),
        (vec![c.to_owned()], json!(3))
    );
    let row: Value = get("q=pixel").await.json().await.unwrap();
    assert_eq!(row["items"][0]["status"], "active");
    let res = get("status=sleeping").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn deleting_a_client_with_payments_charges_or_services_is_refused() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    for (what, code) in [
        ("payments", "client_has_payments"),
        ("expenses", "client_has_charges"),
        ("services", "client_has_active_services"),
    ] {
        let c = client(
            &admin,
            json!({"email": format!("{what}@x.example"), "providers": [p], "name": "Busy"}),
        )
        .await;
        let id = c["id"].as_str().unwrap();
        match what {
            "payments" => {
                crate::harness::issue_payment(&admin, id, &p, "10.00").await;
            }
            "expenses" => {
                crate::harness::allow_postpaid(&admin, id, &p).await;
                let res = crate::harness::charge(&admin, id, &p, "5.00").await;
                assert_eq!(res.status(), StatusCode::CREATED);
            }
            _ => insert_row(&t, "services", id, &p, "active").await,
        }
        let res = admin
            .send(Method::DELETE, &format!("/api/v1/clients/{id}"), None)
            .await;
        assert_eq!(
            problem_code(res).await,
            (StatusCode::CONFLICT, code.to_owned())
        );
    }
    let c = client(&admin, json!({"email": "free@x.example", "providers": [p], "name": "Free", "password": PW, "password_confirmation": PW})).await;
    let id = c["id"].as_str().unwrap();
    admin
        .post(
            &format!("/api/v1/clients/{id}/payers"),
            json!({"kind": "person", "name": "Free", "country": "FR"}),
        )
        .await;
    // A service deleted long ago does not hold the client back.
    insert_row(&t, "services", id, &p, "deleted").await;
    let res = admin
        .send(Method::DELETE, &format!("/api/v1/clients/{id}"), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        admin.get(&format!("/api/v1/clients/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let res = t
        .browser()
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({"login": "free@x.example", "password": PW}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "its users are gone");
}

#[tokio::test]
async fn clearing_data_deactivates_users_and_erases_personal_data_but_keeps_money() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let c = client(&admin, json!({"email": "gdpr@x.example", "providers": [p], "name": "Greta Private", "password": PW, "password_confirmation": PW})).await;
    let id = c["id"].as_str().unwrap();
    admin
        .send(
            Method::PATCH,
            &format!("/api/v1/clients/{id}"),
            Some(json!({"phone": "+49 30 1234567", "comment": "knows Greta"})),
        )
        .await;
    crate::harness::pay_in(&admin, id, &p, "42.00").await;
    let (user, me) = t.login("gdpr@x.example", PW).await;
    let token: Value = user
        .post(t.url("/api/v1/me/tokens"))
        .header("x-csrf-token", me["csrf_token"].as_str().unwrap())
        .json(&json!({"name": "script"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = admin
        .post(&format!("/api/v1/clients/{id}/clear-data"), json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        user.get(t.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let bearer = t
        .browser()
        .get(t.url("/api/v1/me"))
        .bearer_auth(token["secret"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), StatusCode::UNAUTHORIZED);
    let card: Value = admin
        .get(&format!("/api/v1/clients/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["anonymized"], true);
    assert!(
        !card.to_string().contains("Greta")
            && !card.to_string().contains("gdpr@x.example")
            && !card.to_string().contains("1234567")
    );
    let history: Value = admin
        .get(&format!("/api/v1/clients/{id}/history"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !history.to_string().contains("Greta"),
        "history values erased: {history}"
    );
    let payments: i64 = {
        bursar_store::db::query("SELECT COUNT(*) AS n FROM payments WHERE client_id = $1")
            .bind(crate::harness::val(id))
            .fetch_one(t.store.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap()
    };
    assert_eq!(payments, 1, "money stays");
    t.assert_books_balance().await;
    assert!(
        admin
            .get("/api/v1/clients?q=greta")
            .await
            .json::<Value>()
            .await
            .unwrap()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let export: Value = admin
        .get(&format!("/api/v1/clients/{id}/export"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !export.to_string().contains("gdpr@x.example"),
        "mail addresses erased too: {export}"
    );
    let sessions: i64 = {
        bursar_store::db::query("SELECT COUNT(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.client_id = $1")
            .bind(crate::harness::val(id))
            .fetch_one(t.store.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap()
    };
    assert_eq!(sessions, 0, "sessions go with the addresses they recorded");

    // Clearing is irreversible: nothing personal can be attached again.
    let users: Value = admin
        .get(&format!("/api/v1/clients/{id}/users"))
        .await
        .json()
        .await
        .unwrap();
    let erased = users["items"].as_array().or(users.as_array()).unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let writes = [
        (
            Method::PATCH,
            format!("/api/v1/clients/{id}/users/{erased}"),
            json!({"is_active": true, "password": "Passw0rd5678"}),
        ),
        (
            Method::POST,
            format!("/api/v1/clients/{id}/users"),
            json!({"login": "revived", "name": "Revived", "password": "Passw0rd5678"}),
        ),
        (
            Method::POST,
            format!("/api/v1/clients/{id}/payers"),
            json!({"kind": "person", "name": "New Payer", "country": "FR"}),
        ),
    ];
    for (method, path, body) in writes {
        let res = admin.send(method, &path, Some(body)).await;
        assert_eq!(
            problem_code(res).await,
            (StatusCode::CONFLICT, "client_anonymized".to_owned()),
            "{path}"
        );
    }
}

/// `bursar demo --clients 200` creates its clients in one burst, so many share their ids'
/// creation millisecond (a UUIDv7's first 12 hex digits); clearing every one of them still
/// succeeds, and no two erased users end up with one login.
#[tokio::test]
async fn every_client_of_a_burst_can_be_cleared() {
    let t = spawn().await;
    t.app.load_demo(200).await.unwrap();
    // How many of those share a millisecond depends on the machine and the database (over
    // a network, none may); these share one by construction.
    same_millisecond_clients(&t, 20).await;
    let ids: Vec<String> = bursar_store::db::query("SELECT id FROM clients ORDER BY id")
        .fetch_all(t.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String>("id"))
        .collect();
    assert_eq!(
        ids.len(),
        225,
        "200 generated, 5 named and 20 made-up clients"
    );
    let same_millisecond = ids.windows(2).filter(|w| w[0][..13] == w[1][..13]).count();
    assert!(same_millisecond >= 19);
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("note: {same_millisecond} pairs of clients share a creation millisecond\n")
            .as_bytes(),
    );
    let admin = t.admin().await;
    for id in &ids {
        let res = admin
            .post(&format!("/api/v1/clients/{id}/clear-data"), json!({}))
            .await;
        let status = res.status();
        assert_eq!(
            status,
            StatusCode::NO_CONTENT,
            "clearing {id}: {}",
            res.text().await.unwrap()
        );
    }
    let row = bursar_store::db::query(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT login) AS logins, \
           COALESCE(SUM(CASE WHEN is_active THEN 1 ELSE 0 END), 0) AS active \
         FROM users WHERE client_id IS NOT NULL",
    )
    .fetch_one(t.store.pool())
    .await
    .unwrap();
    let (n, logins, active): (i64, i64, i64) = (row.get("n"), row.get("logins"), row.get("active"));
    assert_eq!(
        (logins, active),
        (n, 0),
        "{n} users, each erased under its own login"
    );
}

/// Inserts `n` clients, each with a main user, whose ids all carry one creation millisecond.
async fn same_millisecond_clients(t: &TestApp, n: usize) {
    use bursar_app::ports::{ClientRecord, Store, UserRecord};
    use bursar_domain::identity::{DisplayName, Email, Login};
    let now = jiff::Timestamp::now();
    let ms = u64::try_from(now.as_millisecond()).unwrap();
    let mut tx = t.store.write().await.unwrap();
    for i in 0..n {
        let id = uuid::Builder::from_unix_timestamp_millis(ms, &rand::random()).into_uuid();
        let email = Email::parse("email", &format!("burst{i}@x.example")).unwrap();
        let number = tx
            .next_number(bursar_app::ports::Counter::Clients)
            .await
            .unwrap();
        let client = ClientRecord {
            id: bursar_domain::ClientId(id),
            number: bursar_domain::ClientNumber::new(number).unwrap(),
            name: DisplayName::parse("name", &format!("Burst {i}")).unwrap(),
            email: email.clone(),
            locale: bursar_domain::Locale::En,
            country: None,
            phone: None,
            phone_verified: false,
            label: None,
            registration_ip: None,
            characteristic: bursar_domain::clients::Characteristic::Common,
            staff_id: None,
            comment: None,
            anonymized_at: None,
            created_at: now,
            updated_at: now,
        };
        tx.insert_client(&client).await.unwrap();
        let user = UserRecord {
            id: bursar_domain::UserId::new(),
            kind: bursar_domain::access::AccountKind::Client,
            client_id: Some(client.id),
            login: Login::of_email(&email),
            email: Some(email),
            name: client.name.clone(),
            name_ru: None,
            phone: None,
            locale: client.locale,
            password_hash: "not-a-hash".to_owned(),
            full_access: false,
            is_main: true,
            is_active: true,
            created_at: now,
            updated_at: now,
        };
        tx.insert_user(&user).await.unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn client_users_act_inside_their_own_client_only() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let a = client(&admin, json!({"email": "boss@a.example", "providers": [p], "name": "A Corp", "password": PW, "password_confirmation": PW})).await;
    let b = client(&admin, json!({"email": "boss@b.example", "providers": [p], "name": "B Corp", "password": PW, "password_confirmation": PW})).await;
    let (boss, me) = t.login("boss@a.example", PW).await;
    let boss = Session::new(boss, me, t.url(""));
    let res = boss.post("/api/v1/account/users", json!({"login": "accountant", "name": "Acc", "password": PW, "functions": ["account.finances", "account.payers"]})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = boss
        .post(
            "/api/v1/account/users",
            json!({"login": "hacker", "name": "H", "password": PW, "functions": ["staff.list"]}),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["errors"][0]["code"],
        "not_a_client_function"
    );
    let (acc, me) = t.login("accountant", PW).await;
    let acc = Session::new(acc, me, t.url(""));
    assert_eq!(
        acc.get("/api/v1/account/users").await.status(),
        StatusCode::FORBIDDEN
    );
    let res = acc.post("/api/v1/account/payers", json!({"kind": "company", "name": "A Corp GmbH", "country": "DE", "tax_number": "DE999", "email": "bills@a.example"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let first: Value = res.json().await.unwrap();
    assert_eq!(first["is_default"], true);
    let second: Value = acc
        .post(
            "/api/v1/account/payers",
            json!({"kind": "person", "name": "Jo", "country": "AT", "is_default": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let payers: Value = acc
        .get("/api/v1/account/payers")
        .await
        .json()
        .await
        .unwrap();
    let defaults: Vec<&Value> = payers["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["is_default"] == true)
        .collect();
    assert_eq!(defaults.len(), 1);
    assert_eq!(defaults[0]["id"], second["id"]);
    // Another client's objects are "not found", through either door.
    let b_id = b["id"].as_str().unwrap();
    assert_eq!(
        boss.get(&format!("/api/v1/clients/{b_id}")).await.status(),
        StatusCode::FORBIDDEN
    );
    let b_payer: Value = admin
        .post(
            &format!("/api/v1/clients/{b_id}/payers"),
            json!({"kind": "person", "name": "B", "country": "US"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = acc
        .send(
            Method::DELETE,
            &format!("/api/v1/account/payers/{}", b_payer["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let b_users: Value = admin
        .get(&format!("/api/v1/clients/{b_id}/users"))
        .await
        .json()
        .await
        .unwrap();
    let b_main = b_users["items"][0]["id"].as_str().unwrap();
    let res = boss
        .send(
            Method::PATCH,
            &format!("/api/v1/account/users/{b_main}"),
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The main user can be neither disabled nor deleted.
    let a_users: Value = boss
        .get("/api/v1/account/users")
        .await
        .json()
        .await
        .unwrap();
    let main = a_users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["is_main"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/clients/{}/users/{main}", a["id"].as_str().unwrap()),
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "main_user".into())
    );
}

#[tokio::test]
async fn providers_connect_and_disconnect_unless_services_remain() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p1 = provider(&admin, "Hosting", "EUR", false).await;
    let p2 = provider(&admin, "Domains", "USD", false).await;
    let c = client(
        &admin,
        json!({"email": "links@x.example", "providers": [p1], "name": "Linked"}),
    )
    .await;
    let id = c["id"].as_str().unwrap();
    assert_eq!(
        admin
            .send(
                Method::PUT,
                &format!("/api/v1/clients/{id}/providers/{p2}"),
                None
            )
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    insert_row(&t, "services", id, &p1, "active").await;
    let res = admin
        .send(
            Method::DELETE,
            &format!("/api/v1/clients/{id}/providers/{p1}"),
            None,
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "provider_has_active_services".into())
    );
    assert_eq!(
        admin
            .send(
                Method::DELETE,
                &format!("/api/v1/clients/{id}/providers/{p2}"),
                None
            )
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let history: Value = admin
        .get(&format!("/api/v1/clients/{id}/history"))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["providers", "providers", "create"]);
    assert_eq!(
        history["items"][0]["changes"],
        json!([{"field": "provider:Domains", "old": "on", "new": "off"}])
    );
    bursar_store::db::query("UPDATE services SET status = 'deleted' WHERE client_id = $1")
        .bind(crate::harness::val(id))
        .execute(t.store.pool())
        .await
        .unwrap();
    let res = admin
        .send(
            Method::DELETE,
            &format!("/api/v1/clients/{id}/providers/{p1}"),
            None,
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "last_provider".into()),
        "a client keeps at least one provider"
    );
}

#[tokio::test]
async fn logging_in_as_a_client_acts_with_its_rights_and_names_the_employee() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let c = client(
        &admin,
        json!({"email": "imp@x.example", "providers": [p], "name": "Impersonated"}),
    )
    .await;
    let id = c["id"].as_str().unwrap();
    let res = admin
        .post(&format!("/api/v1/clients/{id}/login-as"), json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let as_client = t.browser();
    let me: Value = as_client
        .get(t.url("/api/v1/me"))
        .header("cookie", format!("bursar_session={token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["kind"], "client");
    assert_eq!(me["client_id"], id);
    let res = as_client
        .get(t.url("/api/v1/staff"))
        .header("cookie", format!("bursar_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "only the client's rights"
    );
    let res = as_client
        .post(t.url("/api/v1/account/payers"))
        .header("cookie", format!("bursar_session={token}"))
        .header("x-csrf-token", me["csrf_token"].as_str().unwrap())
        .json(&json!({"kind": "person", "name": "Set by staff", "country": "NL"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let history: Value = admin
        .get(&format!("/api/v1/clients/{id}/history"))
        .await
        .json()
        .await
        .unwrap();
    let payer_entry = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["object_kind"] == "payer")
        .unwrap_or_else(|| panic!("no payer entry in {history}"));
    assert_eq!(payer_entry["actor_login"], "admin");
    assert_eq!(payer_entry["actor_as_client_id"], id);
    let panel = admin
        .get(&format!("/admin/clients/{id}/history"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        panel.contains("Administrator (admin) as the client"),
        "the panel says so too"
    );

    // The working-as-client session ends when the employee signs out.
    let res = admin.send(Method::POST, "/api/v1/auth/logout", None).await;
    assert!(res.status().is_success());
    let res = as_client
        .get(t.url("/api/v1/me"))
        .header("cookie", format!("bursar_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn resetting_an_employees_password_ends_their_working_as_client_sessions() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let c = client(
        &admin,
        json!({"email": "imp@x.example", "providers": [p], "name": "Imp"}),
    )
    .await;
    let id = c["id"].as_str().unwrap();
    let res = admin
        .post(&format!("/api/v1/clients/{id}/login-as"), json!({}))
        .await;
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = |token: String| {
        t.browser()
            .get(t.url("/api/v1/me"))
            .header("cookie", format!("bursar_session={token}"))
            .send()
    };
    assert_eq!(me(token.clone()).await.unwrap().status(), StatusCode::OK);
    t.app
        .reset_password("admin", Some("a-brand-new-password-7".to_owned()))
        .await
        .unwrap();
    assert_eq!(
        me(token).await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "an incident response on the employee reaches the client sessions they opened"
    );
}

#[tokio::test]
async fn visitors_register_themselves_with_their_address_recorded() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", true).await;
    let providers: Value = t
        .browser()
        .get(t.url("/api/v1/registration/providers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(providers["items"][0]["id"], p);
    let body = json!({"provider": p, "login": "selfmade", "email": "me@self.example", "name": "Self Made", "password": PW, "password_confirmation": PW});
    let res = t
        .browser()
        .post(t.url("/api/v1/auth/register"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let card: Value = admin
        .get(&format!("/api/v1/clients/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["registration_ip"], "127.0.0.1");
    assert_eq!(card["staff_id"], Value::Null);
    let held = card["users"][0]["functions"].as_array().unwrap();
    assert!(
        held.iter().any(|f| f == "account.users"),
        "the main user holds every client function: {held:?}"
    );
    let _ = t.login("selfmade", PW).await;
    let res = t.browser().post(t.url("/api/v1/auth/register")).json(&json!({"provider": p, "email": "x@y.example", "name": "X", "password": PW, "password_confirmation": "nope"})).send().await.unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap()["errors"][0]["field"],
        "password_confirmation"
    );
}

#[tokio::test]
async fn client_sub_users_cannot_raise_rights_or_take_over_the_main_user() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    client(&admin, json!({"email": "owner@c.example", "providers": [p], "name": "C Corp", "password": PW, "password_confirmation": PW})).await;
    let (owner, me) = t.login("owner@c.example", PW).await;
    let owner = Session::new(owner, me, t.url(""));
    let res = owner.post("/api/v1/account/users", json!({"login": "manager", "name": "M", "password": PW, "functions": ["account.users"]})).await;
    let manager_id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (manager, me) = t.login("manager", PW).await;
    let manager = Session::new(manager, me, t.url(""));
    // Raising itself, or creating a stronger user, is refused.
    let res = manager
        .send(
            Method::PATCH,
            &format!("/api/v1/account/users/{manager_id}"),
            Some(json!({"functions": ["account.users", "account.finances"]})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "cannot_grant_unheld_function".into())
    );
    let res = manager.post("/api/v1/account/users", json!({"login": "stronger", "name": "S", "password": PW, "functions": ["account.ordering"]})).await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "cannot_grant_unheld_function".into())
    );
    // The main user is out of a sub-user's reach, and so is the export.
    let users: Value = manager
        .get("/api/v1/account/users")
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
    let res = manager
        .send(
            Method::PATCH,
            &format!("/api/v1/account/users/{main}"),
            Some(json!({"password": "taken-over-password-1"})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "main_user_protected".into())
    );
    let res = manager.get("/api/v1/account/export").await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "main_user_only".into())
    );
    assert_eq!(
        owner.get("/api/v1/account/export").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn clearing_data_gives_up_unsent_mail_and_exports_are_recorded() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let c = client(&admin, json!({"email": "mailme@x.example", "providers": [p], "name": "Mail Me", "send_notification": true})).await;
    let id = c["id"].as_str().unwrap();
    assert_eq!(
        admin
            .get(&format!("/api/v1/clients/{id}/export"))
            .await
            .status(),
        StatusCode::OK
    );
    let history: Value = admin
        .get(&format!("/api/v1/clients/{id}/history"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"][0]["action"], "export");
    assert_eq!(
        admin
            .post(&format!("/api/v1/clients/{id}/clear-data"), json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let row = bursar_store::db::query(
        "SELECT to_address, status, body FROM outbox_emails WHERE client_id = $1",
    )
    .bind(crate::harness::val(id))
    .fetch_one(t.store.pool())
    .await
    .unwrap();
    assert_eq!(
        row.try_get::<String>("to_address").unwrap(),
        "erased@erased.invalid"
    );
    assert_eq!(row.try_get::<String>("status").unwrap(), "failed");
    assert!(!row.try_get::<String>("body").unwrap().contains("mailme"));
}

#[tokio::test]
async fn self_registration_is_limited_per_address() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let c = t.browser();
    let register = |n: usize| {
        let body = json!({"provider": p, "email": format!("visitor{n}@x.example"), "name": "Visitor", "password": PW, "password_confirmation": PW});
        c.post(t.url("/api/v1/auth/register")).json(&body).send()
    };
    for n in 0..10 {
        assert_eq!(register(n).await.unwrap().status(), StatusCode::CREATED);
    }
    let res = register(10).await.unwrap();
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(
        problem_code(res).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
    t.clock.advance(jiff::SignedDuration::from_mins(61));
    assert_eq!(register(11).await.unwrap().status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_burst_of_parallel_registrations_stays_within_the_limit() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let c = t.browser();
    let register = |n: usize, email_ok: bool| {
        let email = if email_ok {
            format!("burst{n}@x.example")
        } else {
            "not-an-address".to_owned()
        };
        let body = json!({"provider": p, "email": email, "name": "Visitor", "password": PW, "password_confirmation": PW});
        c.post(t.url("/api/v1/auth/register")).json(&body).send()
    };
    // A form refused for its values costs nothing...
    assert_eq!(
        register(0, false).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let burst = futures_util::future::join_all((1..=30).map(|n| register(n, true))).await;
    let mut created = 0;
    for res in burst {
        match res.unwrap().status() {
            StatusCode::CREATED => created += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    let mut n = 100;
    while register(n, true).await.unwrap().status() == StatusCode::CREATED {
        created += 1;
        n += 1;
        assert!(created <= 10, "more than 10 registrations from one address");
    }
    assert_eq!(created, 10);
}

#[tokio::test]
async fn asking_whether_addresses_are_registered_counts_against_the_limit() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    client(
        &admin,
        json!({"email": "taken@x.example", "providers": [p], "name": "Taken"}),
    )
    .await;
    let c = t.browser();
    let register = |email: &str| {
        let body = json!({"provider": p, "email": email, "name": "Visitor", "password": PW, "password_confirmation": PW});
        c.post(t.url("/api/v1/auth/register")).json(&body).send()
    };
    for _ in 0..10 {
        assert_eq!(
            register("taken@x.example").await.unwrap().status(),
            StatusCode::CONFLICT
        );
    }
    assert_eq!(
        register("fresh@x.example").await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn e_mail_addresses_and_logins_are_one_namespace_without_case() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let a = client(&admin, json!({"email": "qa.client@example.com", "providers": [p], "name": "A", "password": PW, "password_confirmation": PW})).await;
    let b = client(&admin, json!({"email": "other@example.com", "providers": [p], "name": "B", "password": PW, "password_confirmation": PW})).await;

    let res = admin
        .post(
            "/api/v1/clients",
            json!({"email": "QA.Client@Example.com", "providers": [p], "name": "Copy"}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "email_taken".to_owned())
    );
    // A staff login that looks like an address takes that address too, and the reverse.
    let res = admin
        .post("/api/v1/staff", json!({"login": "jane@corp.example", "name": "Jane", "password": "employee-password-1"}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = admin
        .post(
            "/api/v1/clients",
            json!({"email": "jane@corp.example", "providers": [p], "name": "Jane"}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "email_taken".to_owned())
    );
    let res = admin
        .post("/api/v1/staff", json!({"login": "other@example.com", "name": "Clash", "password": "employee-password-1"}))
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "login_taken".to_owned())
    );

    // Editing a client's e-mail moves its main user's e-mail and login, and refuses a taken one.
    let b_id = b["id"].as_str().unwrap();
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/clients/{b_id}"),
            Some(json!({"email": "QA.CLIENT@example.com"})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "email_taken".to_owned())
    );
    let card: Value = admin
        .get(&format!("/api/v1/clients/{b_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["email"], "other@example.com", "nothing saved");
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/clients/{b_id}"),
            Some(json!({"email": "New.Address@example.com"})),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let (_, me) = t.login("new.address@example.com", PW).await;
    assert_eq!(me["name"], "B");
    let res = t
        .browser()
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({"login": "other@example.com", "password": PW}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "the old address is no login"
    );
    // The first client still signs in with its address, in any case.
    let (_, me) = t.login("QA.Client@example.com", PW).await;
    assert_eq!(me["client_id"], a["id"]);
}

#[tokio::test]
async fn a_providers_currency_changes_only_until_clients_use_it() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/providers/{p}"),
            Some(json!({"currency": "USD"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "nobody uses it yet");
    client(
        &admin,
        json!({"email": "user@x.example", "providers": [p], "name": "User"}),
    )
    .await;
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/providers/{p}"),
            Some(json!({"currency": "EUR", "name": "Renamed"})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "provider_currency_locked".to_owned())
    );
    let list = admin.get("/api/v1/providers").await.text().await.unwrap();
    assert!(
        list.contains("USD") && !list.contains("Renamed"),
        "nothing saved: {list}"
    );
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/providers/{p}"),
            Some(json!({"currency": "USD", "name": "Renamed"})),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the same currency is no change"
    );
}

#[tokio::test]
async fn the_card_shows_services_and_one_personal_account_per_provider() {
    let t = spawn().await;
    let admin = t.admin().await;
    let eur = provider(&admin, "Hosting", "EUR", false).await;
    let usd = provider(&admin, "Domains", "USD", false).await;
    let c = client(
        &admin,
        json!({"email": "money@x.example", "providers": [eur, usd], "name": "Money"}),
    )
    .await;
    let id = c["id"].as_str().unwrap();
    let accounts: Value = admin
        .get(&format!("/api/v1/clients/{id}/accounts"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        accounts["items"].as_array().unwrap().is_empty(),
        "accounts open with the first money movement"
    );

    crate::harness::pay_in(&admin, id, &eur, "42.00").await;
    crate::harness::pay_in(&admin, id, &eur, "10.00").await;
    let res = crate::harness::charge(&admin, id, &eur, "5.01").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = admin
        .post(
            &format!("/api/v1/clients/{id}/accounts"),
            json!({"provider_id": usd}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    insert_row(&t, "services", id, &eur, "active").await;
    insert_row(&t, "services", id, &usd, "suspended_by_admin").await;

    let accounts: Value = admin
        .get(&format!("/api/v1/clients/{id}/accounts"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(accounts["items"].as_array().unwrap().len(), 2);
    let hosting = accounts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["provider"] == "Hosting")
        .unwrap();
    assert_eq!(
        hosting["balance"],
        json!({"amount": "46.99", "currency": "EUR"})
    );
    let services: Value = admin
        .get(&format!("/api/v1/clients/{id}/services"))
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = services["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&"active") && statuses.contains(&"suspended_by_admin"));

    let html = admin
        .get(&format!("/admin/clients/{id}/accounts"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("46.99 EUR") && html.contains("0.00 USD") && html.contains("Domains"),
        "{html}"
    );
    let html = admin
        .get(&format!("/admin/clients/{id}/services"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Suspended by the administrator") && html.contains("Hosting"));
    t.assert_books_balance().await;
}

#[tokio::test]
async fn sorting_by_name_or_e_mail_gives_one_order_on_both_databases() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Hosting", "EUR", false).await;
    for (name, email) in [
        ("Émile", "ab@x.example"),
        ("zoe", "a_c@x.example"),
        ("Adam", "a.b@x.example"),
        ("bob", "B2@x.example"),
    ] {
        client(
            &admin,
            json!({"email": email, "providers": [p], "name": name}),
        )
        .await;
    }
    let order = |sort: &'static str, field: &'static str| {
        let admin = &admin;
        async move {
            let page: Value = admin
                .get(&format!("/api/v1/clients?sort={sort}"))
                .await
                .json()
                .await
                .unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c[field].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // Case does not count; beyond that, code point order (so É after z), on both databases.
    assert_eq!(order("name", "name").await, ["Adam", "bob", "zoe", "Émile"]);
    assert_eq!(
        order("email", "email").await,
        [
            "a.b@x.example",
            "a_c@x.example",
            "ab@x.example",
            "b2@x.example"
        ]
    );
}
