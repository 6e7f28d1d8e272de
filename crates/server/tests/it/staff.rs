//! Staff, departments and permissions (seed 001; seed 000's order functions).

use crate::harness::{Session, TestApp, new_client, new_provider, problem_code, spawn};
use bursar::router;
use bursar_domain::Audience;
use bursar_domain::functions::{self, FUNCTIONS};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "employee-password-1";

/// Creates an employee through the API as `by` and signs them in.
async fn employee(
    t: &TestApp,
    by: &Session,
    login: &str,
    departments: &[&str],
    functions: &[&str],
) -> (String, Session) {
    let res = by.post("/api/v1/staff", json!({"login": login, "name": format!("Employee {login}"), "password": PASSWORD, "departments": departments})).await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let id = res.json::<Value>().await.unwrap()["staff"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    if !functions.is_empty() {
        let res = by
            .post(
                &format!("/api/v1/staff/{id}/permissions"),
                json!({"enable": functions}),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{}",
            res.text().await.unwrap()
        );
    }
    let (client, me) = t.login(login, PASSWORD).await;
    (id.clone(), session(client, me, t))
}

fn session(client: reqwest::Client, me: Value, t: &TestApp) -> Session {
    Session::new(client, me, t.url(""))
}

async fn department(admin: &Session, name: &str, functions: &[&str]) -> String {
    let res = admin
        .post(
            "/api/v1/departments",
            json!({"name_en": name, "name_ru": format!("{name} (ru)")}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    if !functions.is_empty() {
        let res = admin
            .post(
                &format!("/api/v1/departments/{id}/permissions"),
                json!({"enable": functions}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    id
}

fn node<'a>(nodes: &'a Value, key: &str) -> Option<&'a Value> {
    nodes.as_array()?.iter().find_map(|n| {
        if n["key"] == key {
            Some(n)
        } else {
            node(&n["children"], key)
        }
    })
}

#[tokio::test]
async fn install_creates_the_default_departments_and_a_new_one_grants_nothing() {
    let t = spawn().await;
    let admin = t.admin().await;
    let list: Value = admin.get("/api/v1/departments").await.json().await.unwrap();
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name_en"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sales department", "Technical support"]);
    let id = department(&admin, "Billing", &[]).await;
    let tree: Value = admin
        .get(&format!("/api/v1/departments/{id}/permissions"))
        .await
        .json()
        .await
        .unwrap();
    for key in ["clients", "provider", "tools"] {
        assert_eq!(
            node(&tree["sections"], key).unwrap()["state"],
            "disabled",
            "{key}"
        );
    }
}

#[tokio::test]
async fn department_permissions_are_a_tree_with_partial_sections() {
    let t = spawn().await;
    let admin = t.admin().await;
    let id = department(&admin, "Orders desk", &["client.order.history"]).await;
    let tree: Value = admin
        .get(&format!("/api/v1/departments/{id}/permissions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        node(&tree["sections"], "client.order.history").unwrap()["state"],
        "enabled"
    );
    assert_eq!(
        node(&tree["sections"], "client.order.create").unwrap()["state"],
        "disabled"
    );
    assert_eq!(
        node(&tree["sections"], "clients.orders").unwrap()["state"],
        "partial"
    );
    // Enabling a section enables every function in it; disabling removes them.
    let tree: Value = admin
        .post(
            &format!("/api/v1/departments/{id}/permissions"),
            json!({"enable": ["clients.orders"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        node(&tree["sections"], "clients.orders").unwrap()["state"],
        "enabled"
    );
    let tree: Value = admin
        .post(
            &format!("/api/v1/departments/{id}/permissions"),
            json!({"disable": ["clients"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        node(&tree["sections"], "clients").unwrap()["state"],
        "disabled"
    );
    let res = admin
        .post(
            &format!("/api/v1/departments/{id}/permissions"),
            json!({"enable": ["no.such", "dashboard.client"]}),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    let codes: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unknown_function", "not_a_staff_function"]);
}

#[tokio::test]
async fn rights_are_the_union_of_departments_plus_individual_additions() {
    let t = spawn().await;
    let admin = t.admin().await;
    let sales = department(&admin, "Sales", &["staff.list"]).await;
    let support = department(&admin, "Support", &["department.list"]).await;
    let (id, emp) = employee(&t, &admin, "john", &[&sales, &support], &[]).await;
    assert_eq!(emp.get("/api/v1/staff").await.status(), StatusCode::OK);
    assert_eq!(
        emp.get("/api/v1/departments").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        emp.get("/api/v1/history").await.status(),
        StatusCode::FORBIDDEN
    );

    // An individual addition applies to the session that is already open.
    let res = admin
        .post(
            &format!("/api/v1/staff/{id}/permissions"),
            json!({"enable": ["history.view"]}),
        )
        .await;
    let tree: Value = res.json().await.unwrap();
    assert_eq!(
        node(&tree["sections"], "history.view").unwrap()["source"],
        "individual"
    );
    let inherited = node(&tree["sections"], "staff.list").unwrap();
    assert_eq!(inherited["source"], "inherited");
    assert_eq!(inherited["departments"], json!(["Sales"]));
    assert_eq!(emp.get("/api/v1/history").await.status(), StatusCode::OK);

    // Inherited rights cannot be removed for one employee.
    let res = admin
        .post(
            &format!("/api/v1/staff/{id}/permissions"),
            json!({"disable": ["staff.list"]}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "inherited_right".into())
    );

    let why: Value = admin
        .get(&format!(
            "/api/v1/staff/{id}/permissions/explain?function=staff.list"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        why,
        json!({"function": "staff.list", "allowed": true, "reason": "inherited", "departments": ["Sales"]})
    );
    let why: Value = admin
        .get(&format!(
            "/api/v1/staff/{id}/permissions/explain?function=staff.delete"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(why["allowed"], false);
    assert_eq!(why["reason"], "off");

    // Leaving a department takes its rights away at once.
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{id}"),
            Some(json!({"departments": [support]})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        emp.get("/api/v1/staff").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn nobody_grants_what_they_do_not_hold() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, manager) = employee(
        &t,
        &admin,
        "manager",
        &[],
        &[
            "staff.list",
            "staff.create",
            "staff.edit",
            "staff.permissions",
            "department.list",
        ],
    )
    .await;
    let (clerk, _) = employee(&t, &admin, "clerk", &[], &[]).await;
    let res = manager
        .post(
            &format!("/api/v1/staff/{clerk}/permissions"),
            json!({"enable": ["department.delete"]}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "cannot_grant_unheld_function".into())
    );
    let res = manager
        .post(
            &format!("/api/v1/staff/{clerk}/permissions"),
            json!({"enable": ["staff.list"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = manager
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{clerk}"),
            Some(json!({"full_access": true})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "full_access_required".into())
    );
    let res = manager
        .post(
            "/api/v1/staff",
            json!({"login": "boss2", "name": "Boss", "full_access": true}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "full_access_required".into())
    );
    // A department granting what the manager lacks cannot be handed out either.
    let powerful = department(&admin, "Powerful", &["department.delete"]).await;
    let res = manager
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{clerk}"),
            Some(json!({"departments": [powerful]})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "cannot_grant_unheld_function".into())
    );
    // The administrator cannot be touched by someone without full access.
    let admin_id = admin.me["id"].as_str().unwrap();
    let res = manager
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{admin_id}"),
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "full_access_required".into())
    );
}

#[tokio::test]
async fn the_last_full_access_account_stays_and_nobody_deletes_themself() {
    let t = spawn().await;
    let admin = t.admin().await;
    let admin_id = admin.me["id"].as_str().unwrap().to_owned();
    let res = admin
        .send(Method::DELETE, &format!("/api/v1/staff/{admin_id}"), None)
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "cannot_delete_yourself".into())
    );
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{admin_id}"),
            Some(json!({"full_access": false})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "last_full_access_account".into())
    );
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{admin_id}"),
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "cannot_disable_yourself".into())
    );
    // With a second full-access account, the first may lose full access.
    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "root2", "name": "Second admin", "full_access": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    let generated = created["generated_password"].as_str().unwrap();
    let _ = t.login("root2", generated).await;
    let root2 = created["staff"]["id"].as_str().unwrap();
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{root2}"),
            Some(json!({"is_active": false})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t
        .browser()
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({"login": "root2", "password": generated}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "account_disabled".into())
    );
    let res = admin
        .send(Method::DELETE, &format!("/api/v1/staff/{root2}"), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn bad_staff_and_department_input_is_refused_and_nothing_is_half_saved() {
    let t = spawn().await;
    let admin = t.admin().await;
    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "admin", "name": "Dup", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "login_taken".into())
    );
    let res = admin
        .post(
            "/api/v1/departments",
            json!({"name_en": "Sales department", "name_ru": "Другой"}),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::CONFLICT, "department_name_taken".into())
    );
    let res = admin
        .post("/api/v1/staff", json!({"login": "ghost", "name": "Ghost", "password": PASSWORD, "departments": ["01a2011b-82e6-7321-8f37-3f254bd9bdba", "x"]}))
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "unknown_department");
    assert!(body["detail"].as_str().unwrap().contains("x"));
    let res = admin.post("/api/v1/staff", json!({"login": "bad phone", "name": "", "password": "weak", "phone": "12345", "email": "nope"})).await;
    let body: Value = res.json().await.unwrap();
    let mut fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(fields, ["email", "login", "name", "password", "phone"]);
    let res = admin
        .post("/api/v1/departments", json!({"name_en": "Night", "name_ru": "Ночь", "business_hours": {"time_zone": "Mars/Olympus", "days": []}}))
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["errors"][0]["code"],
        "unknown_time_zone"
    );
    let list: Value = admin
        .get("/api/v1/staff?text=ghost")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0, "nothing half-saved");
}

fn png(width: u32, height: u32, pad_to: usize) -> Vec<u8> {
    let mut b = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    b.extend(width.to_be_bytes());
    b.extend(height.to_be_bytes());
    b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b.resize(pad_to.max(b.len() + 12), 0);
    // A complete file ends with the IEND chunk.
    let end = b.len() - 12;
    b.splice(
        end..,
        [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82],
    );
    b
}

#[tokio::test]
async fn avatars_are_checked_by_content_size_and_pixels() {
    let t = spawn().await;
    let admin = t.admin().await;
    let id = admin.me["id"].as_str().unwrap().to_owned();
    let put = |bytes: Vec<u8>| {
        let req = admin
            .client
            .put(t.url(&format!("/api/v1/staff/{id}/avatar")))
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", "image/png")
            .body(bytes);
        async move { req.send().await.unwrap() }
    };
    let code = |res: reqwest::Response| async move {
        res.json::<Value>().await.unwrap()["errors"][0]["code"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        code(put(png(120, 40, 0)).await).await,
        "avatar_too_many_pixels"
    );
    assert_eq!(
        code(put(png(40, 40, 70 * 1024)).await).await,
        "avatar_too_large"
    );
    assert_eq!(
        code(put(b"<?xml version='1.0'?><svg/>".to_vec()).await).await,
        "avatar_wrong_type"
    );
    assert_eq!(
        code(put(b"just text".to_vec()).await).await,
        "avatar_wrong_type"
    );
    let mut cut = png(40, 40, 40);
    cut.truncate(30);
    assert_eq!(code(put(cut).await).await, "avatar_damaged");
    assert_eq!(
        problem_code(put(vec![0u8; 2 * 1024 * 1024]).await).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large".into())
    );
    assert_eq!(
        put(png(80, 80, 1000)).await.status(),
        StatusCode::NO_CONTENT
    );
    let res = admin.get(&format!("/api/v1/staff/{id}/avatar")).await;
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().len(), 1000);
}

#[tokio::test]
async fn grants_and_staff_changes_are_in_history_without_secrets() {
    let t = spawn().await;
    let admin = t.admin().await;
    let sales = department(&admin, "Sales", &["client.order.history"]).await;
    let (id, _) = employee(&t, &admin, "anna", &[&sales], &["client.order.create"]).await;
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{id}"),
            Some(json!({"phone": "+44 20 7946 0958", "password": "a-new-password-5"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let h: Value = admin
        .get(&format!("/api/v1/history?object_kind=user&object_id={id}"))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update", "permissions", "create"]);
    let update = &h["items"][0]["changes"];
    assert!(
        update
            .as_array()
            .unwrap()
            .contains(&json!({"field": "phone", "old": "", "new": "+442079460958"}))
    );
    assert!(
        update
            .as_array()
            .unwrap()
            .contains(&json!({"field": "password", "old": null, "new": null}))
    );
    assert_eq!(
        h["items"][1]["changes"],
        json!([{"field": "function:client.order.create", "old": "off", "new": "on"}])
    );
    assert_eq!(h["items"][1]["actor_login"], "admin");
    let d: Value = admin
        .get(&format!(
            "/api/v1/history?object_kind=department&object_id={sales}"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        d["items"][0]["changes"],
        json!([{"field": "function:client.order.history", "old": "off", "new": "on"}])
    );
    assert!(!h.to_string().contains("argon2"));
}

/// For every staff function: an employee holding only it may pass the guard of every route
/// declaring it; an employee holding every other staff function is refused.
#[tokio::test]
async fn every_staff_function_is_enforced_on_the_routes_that_declare_it() {
    let t = spawn().await;
    let admin = t.admin().await;
    let decls = router::build(t.app.clone(), router::Options::default()).decls;
    let staff_functions: Vec<&str> = FUNCTIONS
        .iter()
        .filter(|f| f.audience == Audience::Staff)
        .map(|f| f.key)
        .collect();
    for (n, key) in staff_functions.iter().enumerate() {
        let routes: Vec<_> = decls.iter().filter(|d| d.function.key == *key).collect();
        if routes.is_empty() {
            continue;
        }
        let others: Vec<&str> = staff_functions
            .iter()
            .filter(|k| *k != key)
            .copied()
            .collect();
        let (_, only) = employee(&t, &admin, &format!("only{n}"), &[], &[key]).await;
        let (_, all_but) = employee(&t, &admin, &format!("allbut{n}"), &[], &others).await;
        for d in routes {
            let path: String = d
                .path
                .split('/')
                .map(|s| {
                    if s.starts_with('{') {
                        uuid::Uuid::now_v7().to_string()
                    } else {
                        s.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let m = Method::from_bytes(d.method.as_str().as_bytes()).unwrap();
            let allowed = only.send(m.clone(), &path, None).await.status();
            assert_ne!(
                allowed,
                StatusCode::FORBIDDEN,
                "{key}: holder refused on {} {}",
                d.method,
                d.path
            );
            assert_ne!(allowed, StatusCode::UNAUTHORIZED);
            let refused = all_but.send(m, &path, None).await.status();
            assert_eq!(
                refused,
                StatusCode::FORBIDDEN,
                "{key}: non-holder let through on {} {}",
                d.method,
                d.path
            );
        }
        assert!(functions::find(key).is_some());
    }
}

#[tokio::test]
async fn an_employee_cannot_take_over_a_colleague_with_more_rights() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, clerk) = employee(
        &t,
        &admin,
        "clerk2",
        &[],
        &["staff.list", "staff.edit", "staff.delete"],
    )
    .await;
    let (boss, _) = employee(
        &t,
        &admin,
        "boss2",
        &[],
        &["staff.list", "client.clear_data"],
    )
    .await;
    let res = clerk
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{boss}"),
            Some(json!({"password": "my-own-choice-123"})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "target_has_more_rights".into())
    );
    let res = clerk
        .send(Method::DELETE, &format!("/api/v1/staff/{boss}"), None)
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "target_has_more_rights".into())
    );
    let res = clerk
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{boss}"),
            Some(json!({"phone": "+44 20 7946 0958"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "other edits stay possible");
    let res = clerk
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{boss}"),
            Some(json!({"email": "attacker@example.com"})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "target_has_more_rights".into()),
        "the e-mail is a sign-in name"
    );

    // One's own password changes only in the profile, with the current one.
    let me = clerk.me["id"].as_str().unwrap().to_owned();
    let res = clerk
        .send(
            Method::PATCH,
            &format!("/api/v1/staff/{me}"),
            Some(json!({"password": "hijacked-password-9"})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into())
    );
}

#[tokio::test]
async fn putting_clients_in_groups_needs_only_that_right_not_the_group_directory() {
    let t = spawn().await;
    let admin = t.admin().await;
    let client = acme(&admin, "ops@acme.example").await;
    admin
        .post("/api/v1/client-groups", json!({"name": "Resellers"}))
        .await;
    let dept = department(
        &admin,
        "Account managers",
        &["client.list", "client.groups"],
    )
    .await;
    let (_, clerk) = employee(&t, &admin, "clerk", &[&dept], &[]).await;

    // The card's groups tab offers every group to choose from...
    let page = clerk
        .get(&format!("/admin/clients/{client}/groups"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Resellers") && page.contains("type=\"checkbox\""),
        "{page}"
    );
    // ...while the group directory itself stays closed to the clerk.
    let res = clerk.get("/api/v1/client-groups").await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "forbidden".to_owned())
    );
    let res = clerk.get("/admin/client-groups").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn staff_search_takes_percent_and_underscore_literally() {
    let t = spawn().await;
    let admin = t.admin().await;
    for (login, name) in [("ann_lee", "Ann Lee"), ("bob", "Bob 100% Sure")] {
        let res = admin
            .post(
                "/api/v1/staff",
                json!({"login": login, "name": name, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let logins = |q: &'static str| {
        let admin = &admin;
        async move {
            let page: Value = admin
                .get(&format!("/api/v1/staff?text={q}"))
                .await
                .json()
                .await
                .unwrap();
            let mut found: Vec<String> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["login"].as_str().unwrap().to_owned())
                .collect();
            found.sort();
            found
        }
    };
    assert_eq!(logins("_").await, ["ann_lee"]);
    assert_eq!(logins("%25").await, ["bob"]);
    assert_eq!(logins("n_l").await, ["ann_lee"]);
    assert_eq!(logins("a").await, ["admin", "ann_lee"]);
}

#[tokio::test]
async fn granting_an_inherited_function_adds_nothing_that_outlives_the_department() {
    let t = spawn().await;
    let admin = t.admin().await;
    let sales = department(&admin, "Sales", &["staff.list"]).await;
    let (id, _) = employee(&t, &admin, "seller", &[&sales], &[]).await;
    let res = admin
        .post(
            &format!("/api/v1/staff/{id}/permissions"),
            json!({"enable": ["staff.list"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let history: Value = admin
        .get(&format!("/api/v1/history?object_kind=user&object_id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        history["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"] != "permissions"),
        "nothing changed: {history}"
    );
    let res = admin
        .send(
            Method::DELETE,
            &format!("/api/v1/departments/{sales}"),
            None,
        )
        .await;
    assert!(res.status().is_success());
    let why: Value = admin
        .get(&format!(
            "/api/v1/staff/{id}/permissions/explain?function=staff.list"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(why["allowed"], false, "{why}");
}

#[tokio::test]
async fn moving_a_clients_sign_in_address_needs_the_right_to_manage_its_users() {
    let t = spawn().await;
    let admin = t.admin().await;
    let client = acme(&admin, "owner@acme.example").await;
    let (_, editor) = employee(&t, &admin, "editor", &[], &["client.list", "client.edit"]).await;
    let res = editor
        .send(
            Method::PATCH,
            &format!("/api/v1/clients/{client}"),
            Some(json!({"email": "attacker@evil.example"})),
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "forbidden".to_owned()),
        "the address reset links go to is the account"
    );
    let res = editor
        .send(
            Method::PATCH,
            &format!("/api/v1/clients/{client}"),
            Some(json!({"comment": "a fine client"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "other edits stay possible");
}

/// A provider and a client "Acme" with the given address; the client's id.
async fn acme(admin: &Session, email: &str) -> String {
    let provider = new_provider(admin, "Hosting", "EUR", false).await;
    let body = json!({"email": email, "providers": [provider], "name": "Acme"});
    new_client(admin, body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Issues an API token for `s` with `scope`; its secret.
async fn scoped_token(s: &Session, scope: &[&str]) -> String {
    let res = s
        .post(
            "/api/v1/me/tokens",
            json!({"name": "narrow", "scope": scope}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_scoped_token_grants_only_what_its_scope_holds() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (clerk, _) = employee(&t, &admin, "clerk", &[], &[]).await;
    let sales = department(&admin, "Sales floor", &[]).await;
    let secret = scoped_token(
        &admin,
        &["staff.permissions", "staff.list", "department.permissions"],
    )
    .await;
    let c = t.browser();
    let post =
        |path: String, body: Value| c.post(t.url(&path)).bearer_auth(&secret).json(&body).send();
    // The administrator holds client.delete; the token does not.
    for path in [
        format!("/api/v1/staff/{clerk}/permissions"),
        format!("/api/v1/departments/{sales}/permissions"),
    ] {
        for body in [
            json!({"enable": ["client.delete"]}),
            json!({"disable": ["client.delete"]}),
        ] {
            let res = post(path.clone(), body).await.unwrap();
            assert_eq!(
                problem_code(res).await,
                (StatusCode::FORBIDDEN, "cannot_grant_unheld_function".into()),
                "{path}"
            );
        }
    }
    // What the token holds it may hand out.
    let res = post(
        format!("/api/v1/staff/{clerk}/permissions"),
        json!({"enable": ["staff.list"]}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_main_users_scoped_token_gives_sub_users_only_its_scope() {
    let t = spawn().await;
    let main = t.client_user("mainuser").await;
    let secret = scoped_token(&main, &["account.users"]).await;
    let c = t.browser();
    let res = c
        .post(t.url("/api/v1/account/users"))
        .bearer_auth(&secret)
        .json(
            &json!({"login": "helper", "name": "Helper", "password": "helper-password-1",
                      "functions": ["account.payers"]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "cannot_grant_unheld_function".into())
    );
    let res = c
        .post(t.url("/api/v1/account/users"))
        .bearer_auth(&secret)
        .json(
            &json!({"login": "helper", "name": "Helper", "password": "helper-password-1",
                      "functions": ["account.users"]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
}

#[tokio::test]
async fn deleting_a_department_that_grants_what_the_actor_lacks_is_refused() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (_, manager) = employee(
        &t,
        &admin,
        "manager",
        &[],
        &["department.list", "department.delete"],
    )
    .await;
    let powerful = department(&admin, "Powerful", &["client.delete"]).await;
    let (_, _member) = employee(&t, &admin, "member", &[&powerful], &[]).await;
    let res = manager
        .send(
            Method::DELETE,
            &format!("/api/v1/departments/{powerful}"),
            None,
        )
        .await;
    assert_eq!(
        problem_code(res).await,
        (StatusCode::FORBIDDEN, "cannot_grant_unheld_function".into())
    );
    assert_eq!(
        admin
            .get(&format!("/api/v1/departments/{powerful}"))
            .await
            .status(),
        StatusCode::OK,
        "the department stays"
    );
    // One that grants only what the manager holds goes.
    let modest = department(&admin, "Modest", &["department.list"]).await;
    let res = manager
        .send(
            Method::DELETE,
            &format!("/api/v1/departments/{modest}"),
            None,
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
}
