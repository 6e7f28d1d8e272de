//! The staff panel's client list (`/admin/clients`), through plain HTTP as a browser without
//! JavaScript sends it: every filter of issue 4 narrows the rows, sorting orders them, the
//! pages keep the filters, the two empty states differ, refused filter values give a
//! readable 422, and an employee without the provider or group list simply has no such
//! control.

#[allow(unused_imports)]
use crate::harness::RowExt as _;
use crate::harness::{Session, TestApp, new_client, new_provider, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const EMPLOYEE_PASSWORD: &str = "vera-password-42";

async fn page(s: &Session, path: &str) -> (StatusCode, String) {
    let res = s.get(path).await;
    (res.status(), res.text().await.unwrap())
}

/// The client names of the result table, in the order shown.
fn names(html: &str) -> Vec<String> {
    let Some(start) = html.find("<tbody>") else {
        return Vec::new();
    };
    let body = &html[start..html[start..].find("</tbody>").unwrap() + start];
    body.split("<strong>")
        .skip(1)
        .map(|s| s.split("</strong>").next().unwrap().to_owned())
        .collect()
}

/// The `href` of the first link whose attributes contain `marker`, with `&` unescaped.
fn href_after(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)?;
    let tag_start = html[..at].rfind("<a ")?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let h = tag.find("href=\"")? + "href=\"".len();
    Some(tag[h..].split('"').next()?.replace("&#38;", "&"))
}

/// The options of the select `id`: (value, selected).
fn options(html: &str, id: &str) -> Option<Vec<(String, bool)>> {
    let start = html.find(&format!("<select id=\"{id}\""))?;
    let end = html[start..].find("</select>")? + start;
    Some(
        html[start..end]
            .split("<option value=\"")
            .skip(1)
            .map(|o| {
                let value = o.split('"').next().unwrap().to_owned();
                let selected = o.split('>').next().unwrap().contains("selected");
                (value, selected)
            })
            .collect(),
    )
}

fn selected(html: &str, id: &str) -> Option<String> {
    options(html, id)?
        .into_iter()
        .find(|(_, s)| *s)
        .map(|(v, _)| v)
}

async fn provider(admin: &Session, name: &str) -> String {
    new_provider(admin, name, "EUR", false).await
}

async fn client(admin: &Session, name: &str, email: &str, providers: &[&str]) -> String {
    let body = json!({"email": email, "name": name, "providers": providers});
    new_client(admin, body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn patch(admin: &Session, id: &str, body: Value) {
    let res = admin
        .send(Method::PATCH, &format!("/api/v1/clients/{id}"), Some(body))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

async fn active_service(t: &TestApp, client: &str, provider: &str) {
    bursar_store::db::query(
        "INSERT INTO services (id, client_id, provider_id, status, created_at) \
         VALUES ($1, $2, $3, 'active', '2026-11-22T00:00:00.000000Z')",
    )
    .bind(uuid::Uuid::now_v7())
    .bind(crate::harness::val(client))
    .bind(crate::harness::val(provider))
    .execute(t.store.pool())
    .await
    .unwrap();
}

/// Two providers, a group and four clients that differ in every filtered attribute.
struct World {
    hosting: String,
    domains: String,
    resellers: String,
}

async fn world(t: &TestApp, admin: &Session) -> World {
    let hosting = provider(admin, "Hosting EU").await;
    let domains = provider(admin, "Domains Inc").await;
    let jane = client(
        admin,
        "Jane Cooper",
        "jane.cooper@mail.example",
        &[&hosting],
    )
    .await;
    let ivan = client(admin, "Ivan Petrov", "ivan@romashka.example", &[&domains]).await;
    let pixel = client(
        admin,
        "Pixel Forge",
        "ops@pixel.example",
        &[&hosting, &domains],
    )
    .await;
    let _zoe = client(admin, "Zoe Adams", "zoe@adams.example", &[&hosting]).await;
    patch(
        admin,
        &ivan,
        json!({"label": "Referral", "characteristic": "problematic"}),
    )
    .await;
    patch(
        admin,
        &pixel,
        json!({"label": "vip", "characteristic": "good"}),
    )
    .await;
    active_service(t, &pixel, &hosting).await;
    let res = admin
        .post("/api/v1/client-groups", json!({"name": "Resellers"}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let resellers = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = admin
        .send(
            Method::PUT,
            &format!("/api/v1/clients/{jane}/groups"),
            Some(json!({"groups": [resellers]})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    World {
        hosting,
        domains,
        resellers,
    }
}

#[tokio::test]
async fn every_filter_of_the_client_list_narrows_the_rows_in_the_panel() {
    let t = spawn().await;
    let admin = t.admin().await;
    let w = world(&t, &admin).await;

    let rows = |q: String| {
        let admin = &admin;
        async move {
            let (status, html) = page(admin, &format!("/admin/clients?{q}")).await;
            assert_eq!(status, StatusCode::OK, "{q}: {html}");
            (names(&html), html)
        }
    };
    let (all, html) = rows(String::new()).await;
    assert_eq!(
        all,
        ["Zoe Adams", "Pixel Forge", "Ivan Petrov", "Jane Cooper"],
        "newest first by default"
    );
    assert!(html.contains("4 clients"));
    assert!(html.contains("Page 1 of 1"));
    assert!(
        !html.contains("id=\"clear-filters\""),
        "nothing to clear yet"
    );
    // Every control of the bar, with what it offers.
    for id in [
        "client-text",
        "client-label",
        "client-status",
        "client-provider",
        "client-group",
        "client-characteristic",
        "client-sort",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no {id}");
    }
    let providers = options(&html, "client-provider").unwrap();
    assert!(providers.contains(&(w.hosting.clone(), false)));
    assert!(providers.contains(&(w.domains.clone(), false)));
    assert!(html.contains("Hosting EU · EUR") && html.contains("Resellers"));
    let sorts: Vec<String> = options(&html, "client-sort")
        .unwrap()
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    assert_eq!(sorts, ["newest", "oldest", "name", "email"]);
    // The columns a row carries: the label as a link to the list filtered by it, the
    // status, the characteristic.
    assert!(html.contains("status status-active") && html.contains("Inactive"));
    assert!(html.contains("characteristic-problematic") && html.contains("Problematic"));
    let by_label = href_after(&html, "client-label\" href=\"/admin/clients?label=vip").unwrap();
    assert_eq!(by_label, "/admin/clients?label=vip");

    assert_eq!(rows("text=coop".into()).await.0, ["Jane Cooper"]);
    assert_eq!(rows("text=ivan%20petr".into()).await.0, ["Ivan Petrov"]);
    assert_eq!(
        rows("text=ops%40pixel.example".into()).await.0,
        ["Pixel Forge"]
    );
    let (found, html) = rows("label=Referral".into()).await;
    assert_eq!(found, ["Ivan Petrov"]);
    assert!(html.contains("One client matches") && html.contains("id=\"clear-filters\""));
    assert!(
        html.contains("value=\"Referral\""),
        "the bar keeps the label"
    );
    assert_eq!(
        rows(by_label.replace("/admin/clients?", "")).await.0,
        ["Pixel Forge"]
    );
    let (found, html) = rows("status=active".into()).await;
    assert_eq!(found, ["Pixel Forge"]);
    assert_eq!(selected(&html, "client-status").as_deref(), Some("active"));
    assert_eq!(rows("status=inactive".into()).await.0.len(), 3);
    let (found, html) = rows(format!("provider={}&sort=name", w.domains)).await;
    assert_eq!(found, ["Ivan Petrov", "Pixel Forge"]);
    assert_eq!(selected(&html, "client-provider"), Some(w.domains.clone()));
    assert_eq!(selected(&html, "client-sort").as_deref(), Some("name"));
    let (found, html) = rows(format!("group={}", w.resellers)).await;
    assert_eq!(found, ["Jane Cooper"]);
    assert_eq!(selected(&html, "client-group"), Some(w.resellers.clone()));
    assert_eq!(rows("characteristic=good".into()).await.0, ["Pixel Forge"]);
    // Filters combine.
    assert_eq!(
        rows(format!("provider={}&characteristic=common", w.hosting))
            .await
            .0,
        ["Zoe Adams", "Jane Cooper"]
    );
    // Sorting, ascending and descending where the API offers both.
    assert_eq!(
        rows("sort=name".into()).await.0,
        ["Ivan Petrov", "Jane Cooper", "Pixel Forge", "Zoe Adams"]
    );
    assert_eq!(
        rows("sort=email".into()).await.0,
        ["Ivan Petrov", "Jane Cooper", "Pixel Forge", "Zoe Adams"]
    );
    let (oldest, html) = rows("sort=oldest".into()).await;
    assert_eq!(
        oldest,
        ["Jane Cooper", "Ivan Petrov", "Pixel Forge", "Zoe Adams"]
    );
    assert!(html.contains("aria-sort=\"ascending\""));
    // The registration date heading flips the order, keeping the other filters.
    let (_, html) = rows("sort=oldest&status=inactive".into()).await;
    let flip = href_after(
        &html,
        "sort-link sorted\" href=\"/admin/clients?status=inactive&#38;sort=newest",
    )
    .unwrap();
    assert_eq!(flip, "/admin/clients?status=inactive&sort=newest");

    // The same values through the API give the same clients: one parser serves both.
    let api: Value = admin
        .get(&format!("/api/v1/clients?provider={}&sort=name", w.domains))
        .await
        .json()
        .await
        .unwrap();
    let api_names: Vec<&str> = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(api_names, ["Ivan Petrov", "Pixel Forge"]);
}

#[tokio::test]
async fn the_pages_keep_the_filters_and_say_where_they_are() {
    let t = spawn().await;
    let admin = t.admin().await;
    let hosting = provider(&admin, "Hosting EU").await;
    for n in 1..=27 {
        let id = client(
            &admin,
            &format!("Bulk {n:02}"),
            &format!("bulk{n}@example.com"),
            &[&hosting],
        )
        .await;
        patch(&admin, &id, json!({"label": "bulk"})).await;
    }
    client(&admin, "Other One", "other@example.com", &[&hosting]).await;

    let (status, html) = page(&admin, "/admin/clients?label=bulk&sort=name").await;
    assert_eq!(status, StatusCode::OK);
    let first = names(&html);
    assert_eq!(first.len(), 25);
    assert_eq!(first.first().map(String::as_str), Some("Bulk 01"));
    assert!(html.contains("27 clients match"));
    assert!(html.contains("Page 1 of 2 · 1–25 of 27"), "{html}");
    assert!(!html.contains("rel=\"prev\""));
    let next = href_after(&html, "rel=\"next\"").unwrap();
    assert_eq!(next, "/admin/clients?label=bulk&sort=name&page=2");

    let (status, html) = page(&admin, &next).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&html), ["Bulk 26", "Bulk 27"]);
    assert!(html.contains("Page 2 of 2 · 26–27 of 27"));
    assert!(!html.contains("rel=\"next\""));
    assert_eq!(
        href_after(&html, "rel=\"prev\"").unwrap(),
        "/admin/clients?label=bulk&sort=name&page=1"
    );
    assert!(
        html.contains("value=\"bulk\""),
        "the bar still shows the filter"
    );

    // A page past the end says so and leads back, filters kept.
    let (status, html) = page(&admin, "/admin/clients?label=bulk&page=9").await;
    assert_eq!(status, StatusCode::OK);
    assert!(names(&html).is_empty());
    assert!(html.contains("This page is past the end of the list."));
    assert!(!html.contains("Page 9 of"), "no pager past the end");
    assert!(html.contains("href=\"/admin/clients?label=bulk\""));

    // htmx gets the results alone, with the same rows.
    let res = admin
        .client
        .get(t.url(&next))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let fragment = res.text().await.unwrap();
    assert!(fragment.starts_with("<div id=\"client-results\""));
    assert!(!fragment.contains("<form"));
    assert_eq!(names(&fragment), ["Bulk 26", "Bulk 27"]);

    // A refused value reaches htmx as a fragment it swaps in (200), showing the refusal.
    let res = admin
        .client
        .get(t.url("/admin/clients?sort=sideways"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let fragment = res.text().await.unwrap();
    assert!(
        fragment.starts_with("<div id=\"client-results\"") && fragment.contains("role=\"alert\"")
    );
}

#[tokio::test]
async fn an_empty_list_and_a_list_that_matches_nothing_say_different_things() {
    let t = spawn().await;
    let admin = t.admin().await;
    let (status, html) = page(&admin, "/admin/clients").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("There are no clients yet."));
    assert!(html.contains("href=\"/admin/clients/new\""));
    assert!(!html.contains("No clients match these filters."));

    let hosting = provider(&admin, "Hosting EU").await;
    client(&admin, "Jane Cooper", "jane@example.com", &[&hosting]).await;
    let (status, html) = page(&admin, "/admin/clients?text=nobody&characteristic=good").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No clients match these filters."));
    assert!(!html.contains("There are no clients yet."));
    assert!(html.contains("id=\"clear-filters\" href=\"/admin/clients\""));
    assert!(names(&html).is_empty());
    // Sorting alone filters nothing.
    let (_, html) = page(&admin, "/admin/clients?sort=email").await;
    assert_eq!(names(&html), ["Jane Cooper"]);
    assert!(!html.contains("id=\"clear-filters\""));
}

#[tokio::test]
async fn refused_filter_values_are_explained_on_the_page_with_a_422() {
    let t = spawn().await;
    let admin = t.admin().await;
    let w = world(&t, &admin).await;

    let (status, html) = page(&admin, "/admin/clients?sort=richest&label=vip").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("Unknown sort order; choose one from the list."));
    assert!(html.contains("id=\"client-sort-error\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(names(&html).is_empty(), "no rows under refused filters");
    // Words for people, not the API's codes or its English detail.
    assert!(!html.contains("invalid_filter") && !html.contains("is not a valid value"));
    // The form is sent again without the refused value: the sort falls back, the label stays.
    assert_eq!(selected(&html, "client-sort").as_deref(), Some("newest"));
    assert!(html.contains("value=\"vip\""));

    let (status, html) = page(
        &admin,
        "/admin/clients?provider=not-an-id&status=maybe&characteristic=awful",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for text in [
        "There is no such provider; choose one from the list.",
        "Choose a status from the list: active or inactive.",
        "Choose a characteristic from the list: common, good or problematic.",
    ] {
        assert!(html.contains(text), "{text}");
    }
    // A well-formed id of nothing offered is refused too, not shown as "any provider".
    let nothing = uuid::Uuid::now_v7();
    let (status, html) = page(&admin, &format!("/admin/clients?group={nothing}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("There is no such client group; choose one from the list."));
    assert_eq!(selected(&html, "client-group").as_deref(), Some(""));
    let (status, _) = page(&admin, &format!("/admin/clients?group={}", w.resellers)).await;
    assert_eq!(status, StatusCode::OK);
    // A page number that is not one is the first page, not an error.
    let (status, html) = page(&admin, "/admin/clients?page=abc").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&html).len(), 4);

    // The API refuses the same values with the same parser, naming each field.
    let res = admin.get("/api/v1/clients?sort=richest&status=maybe").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "validation_failed", "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"sort") && fields.contains(&"status"),
        "{body}"
    );
}

#[tokio::test]
async fn an_employee_without_the_provider_or_group_list_gets_no_such_control() {
    let t = spawn().await;
    let admin = t.admin().await;
    let w = world(&t, &admin).await;
    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "vera", "name": "Vera", "password": EMPLOYEE_PASSWORD, "locale": "ru"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let vera_id = res.json::<Value>().await.unwrap()["staff"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let grant = |functions: Value| {
        let admin = &admin;
        let path = format!("/api/v1/staff/{vera_id}/permissions");
        async move {
            let res = admin.post(&path, json!({ "enable": functions })).await;
            assert_eq!(
                res.status(),
                StatusCode::OK,
                "{}",
                res.text().await.unwrap()
            );
        }
    };
    grant(json!(["client.list"])).await;
    let (client, me) = t.login("vera", EMPLOYEE_PASSWORD).await;
    let vera = Session::new(client, me, t.base.clone());

    let (status, html) = page(&vera, "/admin/clients").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(names(&html).len(), 4);
    assert!(!html.contains("id=\"client-provider\"") && !html.contains("id=\"client-group\""));
    assert!(html.contains("id=\"client-status\"") && html.contains("id=\"client-sort\""));
    // In Russian, her language.
    assert!(html.contains("Любое состояние") && html.contains("Сначала новые"));
    assert!(html.contains("Страница 1 из 1") && html.contains("4 клиента"));
    assert!(
        !html.contains("/orders\""),
        "no order history right, no orders button"
    );
    // A provider filter in the address still applies and is kept for the next search.
    let (status, html) = page(&vera, &format!("/admin/clients?provider={}", w.domains)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&html), ["Pixel Forge", "Ivan Petrov"]);
    assert!(html.contains(&format!(
        "<input type=\"hidden\" name=\"provider\" value=\"{}\">",
        w.domains
    )));
    // Refused values are explained in Russian too.
    let (status, html) = page(&vera, "/admin/clients?provider=x").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Такого провайдера нет"));
    assert!(
        !html.contains("name=\"provider\""),
        "a refused value is not kept"
    );

    grant(json!(["provider.list", "client_group.list"])).await;
    let (_, html) = page(&vera, "/admin/clients").await;
    let providers = options(&html, "client-provider").unwrap();
    assert_eq!(providers.len(), 3, "any, and the two providers");
    assert!(options(&html, "client-group").is_some());
}

/// The `action` of the top bar's quick search form, when the page has one.
fn quick_search(html: &str) -> Option<&str> {
    let form = &html[html.find("<form class=\"quick-search\"")?..];
    let form = &form[..form.find("</form>")?];
    assert!(form.contains("name=\"text\"") && form.contains("for=\"quick-search\""));
    let a = form.find("action=\"")? + "action=\"".len();
    form[a..].split('"').next()
}

#[tokio::test]
async fn the_top_bar_search_opens_a_card_by_number_and_lists_clients_by_name() {
    let t = spawn().await;
    let admin = t.admin().await;
    let p = provider(&admin, "Quick Hosting").await;
    let created = new_client(
        &admin,
        json!({"email": "grace@example.com", "name": "Grace Hopper", "providers": [p]}),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    let number = created["number"].as_i64().unwrap();
    client(&admin, "Alan Turing", "alan@example.com", &[&p]).await;

    // From the dashboard: the form is there, labelled, and sends to the client list.
    let (status, html) = page(&admin, "/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(quick_search(&html), Some("/admin/clients"));
    assert!(html.contains("aria-label=\"Find a client\""), "{html}");

    // A number, with or without `#`: straight to that client's card.
    for q in [format!("%23{number}"), format!("{number}")] {
        let res = admin.get(&format!("/admin/clients?jump=1&text={q}")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{q}");
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(to, format!("/admin/clients/{id}"));
        let (status, card) = page(&admin, &to).await;
        assert_eq!(status, StatusCode::OK);
        assert!(card.contains("Grace Hopper"));
    }
    // A name: the list, searched.
    let (status, html) = page(&admin, "/admin/clients?jump=1&text=grace").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&html), ["Grace Hopper"]);
    assert!(
        html.contains("value=\"grace\""),
        "the query stays in the box"
    );
    // A number nobody has: the list, with its empty state, not an error.
    let (status, html) = page(&admin, "/admin/clients?jump=1&text=%23999999").await;
    assert_eq!(status, StatusCode::OK);
    assert!(names(&html).is_empty());

    // In Russian, and only for holders of client.list.
    let res = admin
        .post(
            "/api/v1/staff",
            json!({"login": "nina", "name": "Nina", "password": EMPLOYEE_PASSWORD, "locale": "ru"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let nina_id = res.json::<Value>().await.unwrap()["staff"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (c, me) = t.login("nina", EMPLOYEE_PASSWORD).await;
    let nina = Session::new(c, me, t.base.clone());
    let (_, html) = page(&nina, "/admin").await;
    assert_eq!(quick_search(&html), None, "no client.list, no search");
    let res = admin
        .post(
            &format!("/api/v1/staff/{nina_id}/permissions"),
            json!({"enable": ["client.list"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_, html) = page(&nina, "/admin/profile").await;
    assert_eq!(quick_search(&html), Some("/admin/clients"));
    assert!(html.contains("aria-label=\"Найти клиента\""));
    assert!(html.contains("placeholder=\"Клиент: #номер, имя, e-mail\""));
}
