//! Bad input never breaks the server: each kind gets its 4xx with a problem+json code, and a
//! few thousand generated bad requests across all routes produce no 5xx.

use crate::harness::{problem_code, spawn};
use bursar::router;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn each_kind_of_bad_body_gets_its_own_code() {
    let t = spawn().await;
    let admin = t.admin().await;
    let post = |body: Vec<u8>, ct: Option<&'static str>| {
        let mut req = admin
            .client
            .post(t.url("/api/v1/me/tokens"))
            .header("x-csrf-token", &admin.csrf)
            .body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        async move { problem_code(req.send().await.unwrap()).await }
    };
    let json = Some("application/json");
    assert_eq!(
        post(b"{\"name\":".to_vec(), json).await,
        (StatusCode::BAD_REQUEST, "malformed_json".into())
    );
    assert_eq!(
        post(vec![0xff, 0xfe, b'{'], json).await,
        (StatusCode::BAD_REQUEST, "malformed_json".into())
    );
    assert_eq!(
        post(b"{\"name\": 5}".to_vec(), json).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body".into())
    );
    assert_eq!(
        post(b"{\"name\": \"x\", \"admin\": true}".to_vec(), json).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body".into())
    );
    // A required field left out is refused like one sent empty, naming it.
    assert_eq!(
        post(b"{}".to_vec(), json).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into())
    );
    assert_eq!(
        post(b"name=x".to_vec(), Some("text/plain")).await,
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type".into()
        )
    );
    assert_eq!(
        post(b"{}".to_vec(), None).await,
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type".into()
        )
    );
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(router::BODY_LIMIT + 10));
    assert_eq!(
        post(huge.into_bytes(), json).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large".into())
    );
    assert_eq!(
        post(b"{\"name\": \"\", \"expires_in_days\": 0}".to_vec(), json).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into())
    );
    // Nothing was written by any of these.
    let list: Value = admin.get("/api/v1/me/tokens").await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn unknown_routes_methods_and_sessions_get_problems() {
    let t = spawn().await;
    let c = t.browser();
    assert_eq!(
        problem_code(c.get(t.url("/api/v1/nope")).send().await.unwrap()).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    assert_eq!(
        problem_code(c.put(t.url("/api/v1/me")).send().await.unwrap()).await,
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed".into())
    );
    let res = c
        .get(t.url("/api/v1/me"))
        .header("cookie", "bursar_session=expired-or-forged")
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::UNAUTHORIZED, "unauthenticated".into())
    );
    let res = c
        .get(t.url("/api/v1/me"))
        .header("authorization", "Basic YWRtaW46eA==")
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res).await,
        (StatusCode::UNAUTHORIZED, "unauthenticated".into())
    );
    let res = c
        .get(t.url("/api/v1/history?page=minus-one"))
        .bearer_auth("bst_nope")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

fn random_json(rng: &mut StdRng, depth: u32) -> Value {
    match rng.random_range(0..if depth > 2 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.random()),
        2 => json!(rng.random::<i64>()),
        3 => json!(rng.random::<f64>()),
        4 => Value::String(random_text(rng, 40)),
        5 => Value::Array(
            (0..rng.random_range(0..4))
                .map(|_| random_json(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let keys = [
                "login",
                "password",
                "name",
                "scope",
                "locale",
                "expires_in_days",
                "current_password",
                "new_password",
                "password_confirmation",
                "name_en",
                "name_ru",
                "email",
                "comment",
                "label",
                "country",
                "currency",
                "phone",
                "x",
            ];
            let mut map = serde_json::Map::new();
            for _ in 0..rng.random_range(0..5) {
                map.insert(
                    keys[rng.random_range(0..keys.len())].to_owned(),
                    random_json(rng, depth + 1),
                );
            }
            Value::Object(map)
        }
    }
}

fn random_text(rng: &mut StdRng, max: usize) -> String {
    let alphabet = [
        'a', 'Z', '0', ' ', '"', '\\', '/', '%', '{', '}', 'я', '€', '\u{0}', '\n', '.', '\u{202e}',
    ];
    (0..rng.random_range(0..max))
        .map(|_| alphabet[rng.random_range(0..alphabet.len())])
        .collect()
}

#[tokio::test]
async fn thousands_of_generated_bad_requests_never_get_a_5xx() {
    let t = spawn().await;
    let decls = router::build(t.app.clone(), router::Options::default()).decls;
    let admin = t.admin().await;
    let client = t.client_user("fuzzed").await;
    let mut rng = StdRng::seed_from_u64(0x5eed_b005);
    let methods = [
        Method::GET,
        Method::POST,
        Method::PATCH,
        Method::DELETE,
        Method::PUT,
    ];
    let content_types = [
        "application/json",
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/merge-patch+json",
        "multipart/form-data; boundary=x",
    ];
    let total = 3000;
    for i in 0..total {
        let d = &decls[rng.random_range(0..decls.len())];
        let mut path: String = d
            .path
            .split('/')
            .map(|s| {
                if s.starts_with('{') {
                    urlencode(&random_text(&mut rng, 50))
                } else {
                    s.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        if rng.random_bool(0.3) {
            path.push_str(&format!(
                "?page={}&per_page={}&{}={}",
                rng.random::<i32>(),
                random_text(&mut rng, 5).len(),
                urlencode(&random_text(&mut rng, 8)),
                urlencode(&random_text(&mut rng, 8))
            ));
        }
        let method = if rng.random_bool(0.8) {
            Method::from_bytes(d.method.as_str().as_bytes()).unwrap()
        } else {
            methods[rng.random_range(0..methods.len())].clone()
        };
        // Signing the shared sessions out would only shrink what the rest of the run covers.
        let who = if d.function.key == "auth.logout" {
            rng.random_range(2..4)
        } else {
            rng.random_range(0..4)
        };
        let http = match who {
            0 => &admin.client,
            1 => &client.client,
            _ => &t.browser(),
        };
        let mut req = http.request(method.clone(), t.url(&path));
        match who {
            0 => req = req.header("x-csrf-token", &admin.csrf),
            1 => {
                req = req.header(
                    "x-csrf-token",
                    if rng.random_bool(0.5) {
                        client.csrf.as_str()
                    } else {
                        "forged"
                    },
                )
            }
            2 => {
                req = req.header(
                    "authorization",
                    format!("Bearer bst_{}", urlencode(&random_text(&mut rng, 20))),
                )
            }
            _ => {
                req = req.header(
                    "cookie",
                    format!("bursar_session={}", urlencode(&random_text(&mut rng, 20))),
                )
            }
        }
        req = req.header(
            "content-type",
            content_types[rng.random_range(0..content_types.len())],
        );
        let body: Vec<u8> = match rng.random_range(0..4) {
            0 => random_json(&mut rng, 0).to_string().into_bytes(),
            1 => (0..rng.random_range(0..200))
                .map(|_| rng.random::<u8>())
                .collect(),
            2 => random_text(&mut rng, 100).into_bytes(),
            _ => Vec::new(),
        };
        let res = req.body(body.clone()).send().await.unwrap();
        assert!(
            res.status().as_u16() < 500,
            "request #{i}: {method} {path} body {:?} got {}: {}",
            String::from_utf8_lossy(&body),
            res.status(),
            res.text().await.unwrap_or_default()
        );
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
