//! Walks every declared route: each names a registered function, runs behind the guard
//! (the response says which function guarded it), refuses anonymous callers unless public,
//! refuses the wrong kind of account, and every API route is in the OpenAPI document.

use crate::harness::spawn;
use bursar::router;
use bursar_domain::Audience;
use bursar_domain::functions;
use reqwest::{Method, StatusCode};
use serde_json::Value;

fn concrete(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if s.starts_with('{') {
                uuid::Uuid::now_v7().to_string()
            } else {
                s.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn method(m: &axum::http::Method) -> Method {
    Method::from_bytes(m.as_str().as_bytes()).unwrap()
}

#[tokio::test]
async fn every_route_is_declared_guarded_and_refuses_the_wrong_caller() {
    let t = spawn().await;
    let decls = router::build(t.app.clone(), router::Options::default()).decls;
    assert!(decls.len() > 10);
    let admin = t.admin().await;
    let client = t.client_user("walker").await;
    let anonymous = t.browser();
    for d in &decls {
        let f = functions::find(d.function).unwrap_or_else(|| {
            panic!(
                "{} {} declares unknown function {}",
                d.method, d.path, d.function
            )
        });
        assert_ne!(f.audience, Audience::System, "{} is not for routes", f.key);
        let url = t.url(&concrete(d.path));

        let res = anonymous
            .request(method(&d.method), &url)
            .send()
            .await
            .unwrap();
        let stamped = res
            .headers()
            .get("x-bursar-function")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(
            stamped.as_deref(),
            Some(d.function),
            "{} {} is not guarded",
            d.method,
            d.path
        );
        assert_eq!(
            res.headers().get("x-frame-options").map(|v| v.as_bytes()),
            Some(&b"DENY"[..]),
            "{} {} may be framed",
            d.method,
            d.path
        );
        if f.audience != Audience::Public {
            let s = res.status();
            assert!(
                s == StatusCode::UNAUTHORIZED || s == StatusCode::SEE_OTHER,
                "{} {} let an anonymous caller through: {s}",
                d.method,
                d.path
            );
        }

        let wrong = match f.audience {
            Audience::Staff => Some(&client),
            Audience::Client => Some(&admin),
            _ => None,
        };
        if let Some(wrong) = wrong {
            let res = wrong.send(method(&d.method), &concrete(d.path), None).await;
            assert_eq!(
                res.status(),
                StatusCode::FORBIDDEN,
                "{} {} let the wrong account kind through",
                d.method,
                d.path
            );
        }
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let t = spawn().await;
    let decls = router::build(t.app.clone(), router::Options::default()).decls;
    let doc: Value = t
        .browser()
        .get(t.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for d in decls.iter().filter(|d| d.path.starts_with("/api/v1/")) {
        assert!(
            d.doc.is_some(),
            "{} {} has no OpenAPI description",
            d.method,
            d.path
        );
        let op = &doc["paths"][d.path][d.method.as_str().to_lowercase()];
        assert_eq!(
            op["x-bursar-function"], d.function,
            "{} {} missing from the document",
            d.method, d.path
        );
        assert!(op["summary"].is_string());
        assert!(
            op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .any(|k| k.starts_with('2'))
        );
    }
    // Every schema reference resolves.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref {name}"
        );
    }
    let page = t
        .browser()
        .get(t.url("/api/docs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("swagger-ui-bundle.js"));
    let js = t
        .browser()
        .get(t.url("/api/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), StatusCode::OK);
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let t = spawn().await;
    let c = t.browser();
    assert_eq!(
        c.get(t.url("/healthz")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let ready: Value = c
        .get(t.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready");
    let res = c.get(t.url("/healthz")).send().await.unwrap();
    assert!(res.headers().contains_key("x-request-id"));
}
