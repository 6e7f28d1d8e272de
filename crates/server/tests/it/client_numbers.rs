//! Short client numbers (`#1042`): handed out 1, 2, 3 … in creation order, gapless and unique
//! under parallel creation (the counter row is bumped in the creating transaction), accepted
//! by the API wherever it takes a client id, found by the list's search, shown by both
//! panels.

#[allow(unused_imports)]
use crate::harness::RowExt as _;
use crate::harness::{Session, TestApp, new_client, new_provider, problem_code, spawn};
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn add_client(admin: &Session, provider: &str, n: usize) -> Value {
    new_client(
        admin,
        json!({"email": format!("client{n}@example.com"), "name": format!("Numbered Client {n}"),
               "providers": [provider]}),
    )
    .await
}

async fn json_of(s: &Session, path: &str) -> (StatusCode, Value) {
    let res = s.get(path).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn html_of(s: &Session, path: &str) -> (StatusCode, String) {
    let res = s.get(path).await;
    (res.status(), res.text().await.unwrap())
}

async fn setup() -> (TestApp, Session, String) {
    let t = spawn().await;
    let admin = t.admin().await;
    let provider = new_provider(&admin, "Numbers Hosting", "RUB", false).await;
    (t, admin, provider)
}

#[tokio::test]
async fn clients_are_numbered_from_one_in_creation_order() {
    let (_t, admin, provider) = setup().await;
    for n in 1..=3 {
        let created = add_client(&admin, &provider, n).await;
        assert_eq!(created["number"], json!(n), "{created}");
        let id = created["id"].as_str().unwrap();
        let (status, card) = json_of(&admin, &format!("/api/v1/clients/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(card["number"], json!(n));
    }
    let (_, list) = json_of(&admin, "/api/v1/clients?sort=oldest").await;
    let numbers: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
}

#[tokio::test]
async fn twenty_parallel_creations_get_the_numbers_one_to_twenty() {
    let (_t, admin, provider) = setup().await;
    let created = join_all((1..=20).map(|n| add_client(&admin, &provider, n))).await;
    let mut numbers: Vec<i64> = created
        .iter()
        .map(|c| c["number"].as_i64().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=20).collect::<Vec<i64>>(), "no gaps, no twins");
    // What each creation answered is what was stored.
    for c in &created {
        let (_, card) = json_of(&admin, &format!("/api/v1/clients/{}", c["number"])).await;
        assert_eq!(card["id"], c["id"]);
    }
}

#[tokio::test]
async fn a_client_read_by_number_is_the_client_read_by_id() {
    let (_t, admin, provider) = setup().await;
    add_client(&admin, &provider, 1).await;
    let created = add_client(&admin, &provider, 2).await;
    let id = created["id"].as_str().unwrap();
    for tail in [
        "",
        "/payers",
        "/users",
        "/history",
        "/services",
        "/accounts",
    ] {
        let (status, by_id) = json_of(&admin, &format!("/api/v1/clients/{id}{tail}")).await;
        assert_eq!(status, StatusCode::OK, "{tail}: {by_id}");
        for named in ["2", "%232"] {
            let (status, by_number) =
                json_of(&admin, &format!("/api/v1/clients/{named}{tail}")).await;
            assert_eq!(status, StatusCode::OK, "{named}{tail}");
            assert_eq!(by_number, by_id, "{named}{tail}");
        }
    }
    // Writes too: a payer added and the card edited through the number land on the client.
    let res = admin
        .post(
            "/api/v1/clients/2/payers",
            json!({"kind": "person", "name": "Payer Two", "country": "DE"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let res = admin
        .send(
            Method::PATCH,
            "/api/v1/clients/%232",
            Some(json!({"label": "second"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_, card) = json_of(&admin, &format!("/api/v1/clients/{id}")).await;
    assert_eq!(card["label"], "second");
    assert_eq!(card["payers"][0]["name"], "Payer Two");
    // The history filter takes the number as well.
    let (status, by_number) = json_of(&admin, "/api/v1/history?client_id=2").await;
    assert_eq!(status, StatusCode::OK);
    let (_, by_id) = json_of(&admin, &format!("/api/v1/history?client_id={id}")).await;
    assert_eq!(by_number, by_id);
    assert!(by_number["total"].as_i64().unwrap() >= 3, "{by_number}");
}

#[tokio::test]
async fn a_number_nobody_has_is_404() {
    let (_t, admin, provider) = setup().await;
    add_client(&admin, &provider, 1).await;
    for path in [
        "/api/v1/clients/2",
        "/api/v1/clients/%232/payers",
        "/api/v1/clients/0",
        "/api/v1/clients/-1",
        "/api/v1/clients/99999999999999999999",
    ] {
        let (status, _) = problem_code(admin.get(path).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let res = admin.send(Method::DELETE, "/api/v1/clients/2", None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, body) = json_of(&admin, "/api/v1/history?client_id=7").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("unknown_client"), "{body}");
}

#[tokio::test]
async fn the_list_search_finds_a_client_by_its_number() {
    let (_t, admin, provider) = setup().await;
    for n in 1..=12 {
        add_client(&admin, &provider, n).await;
    }
    // `#12` is that client only; `12` also the clients with a word starting with 12 (none).
    for q in ["12", "%2312", "%20%2312%20"] {
        let (_, list) = json_of(&admin, &format!("/api/v1/clients?q={q}")).await;
        assert_eq!(list["total"], 1, "{q}: {list}");
        assert_eq!(list["items"][0]["number"], 12);
        assert_eq!(list["items"][0]["name"], "Numbered Client 12");
    }
    // A word still finds by words; a number beside words is a word.
    let (_, list) = json_of(&admin, "/api/v1/clients?q=numbered%2012").await;
    assert_eq!(list["total"], 1, "{list}");
    let (_, list) = json_of(&admin, "/api/v1/clients?q=%2399").await;
    assert_eq!(list["total"], 0);
    // The staff panel's search box, which the same use case answers.
    for text in ["12", "%2312"] {
        let (status, html) = html_of(&admin, &format!("/admin/clients?text={text}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Numbered Client 12"), "{text}");
        assert!(!html.contains("Numbered Client 1<"), "{text}");
    }
}

#[tokio::test]
async fn both_panels_show_the_client_number() {
    let (t, admin, provider) = setup().await;
    add_client(&admin, &provider, 1).await;
    let created = add_client(&admin, &provider, 2).await;
    let id = created["id"].as_str().unwrap();
    let (status, list) = html_of(&admin, "/admin/clients").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.contains(">#2</a>") && list.contains(">#1</a>"),
        "{list}"
    );
    let (status, card) = html_of(&admin, &format!("/admin/clients/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(card.contains(">#2</span>"), "{card}");
    // The client area: the third client, created by the system path, is #3.
    let user = t.client_user("numbered3").await;
    let (status, home) = html_of(&user, "/client").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("<dd>#3</dd>"), "{home}");
    let (_, card) = json_of(&admin, "/api/v1/clients/3").await;
    assert_eq!(card["users"][0]["login"], "numbered3");
}

#[tokio::test]
async fn a_number_tells_a_client_user_nothing_an_id_would_not() {
    let (t, admin, provider) = setup().await;
    let other = add_client(&admin, &provider, 1).await;
    let user = t.client_user("numbered2").await;
    let other_id = other["id"].as_str().unwrap();
    let own_id = user.me["client_id"].as_str().unwrap().to_owned();
    // The staff addresses refuse a client user alike, whoever the client and however named.
    for named in ["1", "2", "3", other_id, own_id.as_str()] {
        let (status, code) =
            problem_code(user.get(&format!("/api/v1/clients/{named}/payers")).await).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{named}"
        );
    }
}

/// The counter itself: a bump rolled back is given out again, and transactions bumping in
/// parallel (each holding its transaction open a moment) take turns.
#[tokio::test]
async fn a_rolled_back_bump_leaves_no_gap_and_parallel_bumps_take_turns() {
    use bursar_app::ports::{Counter, Store};
    let (store, _db) = crate::harness::fresh_store().await;
    let mut tx = store.write().await.unwrap();
    assert_eq!(tx.next_number(Counter::Clients).await.unwrap(), 1);
    drop(tx);
    // Write transactions are SERIALIZABLE on PostgreSQL: a bump that lost the race fails
    // with a serialization error and is run again, as the use-case spine does.
    let bumps = (0..8).map(|_| async {
        loop {
            let attempt = async {
                let mut tx = store.write().await?;
                let n = tx.next_number(Counter::Clients).await?;
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                tx.commit().await?;
                Ok::<_, bursar_app::StoreError>(n)
            };
            match attempt.await {
                Ok(n) => return n,
                Err(bursar_app::StoreError::Busy) => continue,
                Err(e) => panic!("bump failed: {e}"),
            }
        }
    });
    let mut got = join_all(bumps).await;
    got.sort_unstable();
    assert_eq!(got, (1..=8).collect::<Vec<i64>>());
}

#[tokio::test]
async fn the_api_document_describes_the_number_and_where_it_is_accepted() {
    let (_t, admin, _) = setup().await;
    let (status, doc) = json_of(&admin, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    for schema in ["ClientDto", "ClientSummary", "CreatedClientDto"] {
        let number = &doc["components"]["schemas"][schema]["properties"]["number"];
        assert_eq!(number["type"], "integer", "{schema}: {number}");
        let required = doc["components"]["schemas"][schema]["required"].to_string();
        assert!(required.contains("\"number\""), "{schema}");
    }
    let params = &doc["paths"]["/api/v1/clients/{id}/payers"]["get"]["parameters"];
    assert!(params.to_string().contains("or number"), "{params}");
}
