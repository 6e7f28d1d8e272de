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
        let f = functions::find(d.function.key).unwrap_or_else(|| {
            panic!(
                "{} {} declares unknown function {}",
                d.method, d.path, d.function.key
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
            Some(d.function.key),
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
            // The other panel's home page sends the caller to their own panel instead.
            let home = match wrong.me["kind"].as_str() {
                Some("staff") => "/admin",
                _ => "/client",
            };
            let sent_home = d.method.as_str() == "GET"
                && matches!(d.path, "/admin" | "/client")
                && res.status() == StatusCode::SEE_OTHER
                && res.headers()["location"] == home;
            assert!(
                res.status() == StatusCode::FORBIDDEN || sent_home,
                "{} {} let the wrong account kind through: {}",
                d.method,
                d.path,
                res.status()
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
            op["x-bursar-function"], d.function.key,
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

/// The statuses an operation documents (its `responses` keys).
fn documented(doc: &Value, path: &str, method: &str) -> Vec<String> {
    doc["paths"][path][method]["responses"]
        .as_object()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default()
}

/// Each operation documents the error answers it can give: 401 and 403 when it is not
/// public, 404 for an address with parameters, 400/413/415/422 for a JSON body; every error
/// answer is a problem. Then every API route is called, by the right kind of account, with
/// no body and with an empty JSON object: whatever it answers is a documented status.
#[tokio::test]
async fn every_operation_documents_the_answers_it_gives() {
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
    let api: Vec<_> = decls
        .iter()
        .filter(|d| d.path.starts_with("/api/v1/"))
        .collect();
    for d in &api {
        let m = d.method.as_str().to_lowercase();
        let op = &doc["paths"][d.path][&m];
        let statuses = documented(&doc, d.path, &m);
        let has = |s: &str| statuses.iter().any(|k| k == s);
        let what = format!("{} {}", d.method, d.path);
        let f = functions::find(d.function.key).unwrap();
        if f.audience != Audience::Public {
            assert!(
                has("401") && has("403"),
                "{what} lacks 401/403: {statuses:?}"
            );
            assert!(op["security"].is_array(), "{what} has no security");
        }
        let params: Vec<&str> = d
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        if !params.is_empty() {
            assert!(has("404"), "{what} lacks 404: {statuses:?}");
        }
        for p in params {
            assert!(
                op["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|q| q["name"] == p && q["in"] == "path" && q["required"] == true),
                "{what} does not declare its path parameter {p}"
            );
        }
        if op["requestBody"]["content"]["application/json"].is_object() {
            for s in ["400", "413", "415", "422"] {
                assert!(has(s), "{what} takes JSON but lacks {s}: {statuses:?}");
            }
        }
        for (status, res) in op["responses"].as_object().unwrap() {
            assert!(
                !res["description"].as_str().unwrap_or_default().is_empty(),
                "{what} {status} has no description"
            );
            if status.starts_with('4') {
                assert!(
                    res["content"]["application/problem+json"]["schema"]["$ref"]
                        == "#/components/schemas/Problem",
                    "{what} {status} is not a problem"
                );
            }
        }
    }

    // The avatar upload takes raw image bytes.
    let avatar = &doc["paths"]["/api/v1/staff/{id}/avatar"]["put"];
    for media in ["image/png", "image/jpeg", "image/gif"] {
        assert!(
            avatar["requestBody"]["content"][media].is_object(),
            "the avatar upload does not take {media}"
        );
    }
    assert_eq!(avatar["requestBody"]["required"], true);
    let statuses = documented(&doc, "/api/v1/staff/{id}/avatar", "put");
    for s in ["204", "413", "422"] {
        assert!(statuses.iter().any(|k| k == s), "avatar upload lacks {s}");
    }
    assert!(
        doc["paths"]["/api/v1/staff/{id}/avatar"]["get"]["responses"]["200"]["content"]
            ["image/png"]
            .is_object()
    );
    // Bad filter values of the client list are a documented 422.
    assert!(
        documented(&doc, "/api/v1/clients", "get")
            .iter()
            .any(|k| k == "422")
    );

    // Call every route; whatever it answers is documented.
    let admin = t.admin().await;
    let client = t.client_user("documented").await;
    // Refused query values are documented too.
    for (path, url) in [
        ("/api/v1/clients", "/api/v1/clients?sort=bad"),
        ("/api/v1/clients", "/api/v1/clients?nope=1"),
        ("/api/v1/staff", "/api/v1/staff?department=bad"),
        ("/api/v1/history", "/api/v1/history?client_id=bad"),
    ] {
        let status = admin.get(url).await.status();
        assert!(status.is_client_error(), "{url} answered {status}");
        assert!(
            documented(&doc, path, "get").contains(&status.as_u16().to_string()),
            "{url} answered {status}, which is not documented"
        );
    }
    for d in &api {
        // Signing out would end the session the walk uses.
        if d.function.key == "auth.logout" {
            continue;
        }
        let f = functions::find(d.function.key).unwrap();
        let who = if f.audience == Audience::Client {
            &client
        } else {
            &admin
        };
        let m = d.method.as_str().to_lowercase();
        let statuses = documented(&doc, d.path, &m);
        let bodies: &[Option<Value>] = if d.method == axum::http::Method::GET {
            &[None]
        } else {
            &[None, Some(serde_json::json!({}))]
        };
        for body in bodies {
            let res = who
                .send(method(&d.method), &concrete(d.path), body.clone())
                .await;
            let status = res.status().as_u16().to_string();
            assert!(
                statuses.contains(&status),
                "{} {} answered {status} (body {body:?}), documented: {statuses:?}: {}",
                d.method,
                d.path,
                res.text().await.unwrap_or_default()
            );
        }
    }
}

/// The client data export is documented as an object whose properties are exactly the
/// top-level keys the export has.
#[tokio::test]
async fn the_documented_export_matches_the_real_one() {
    let t = spawn().await;
    let doc: Value = t
        .browser()
        .get(t.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in ["/api/v1/clients/{id}/export", "/api/v1/account/export"] {
        assert_eq!(
            doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/ClientDataExport",
            "{path}"
        );
    }
    let schema = &doc["components"]["schemas"]["ClientDataExport"];
    assert_eq!(schema["type"], "object");
    assert!(schema["description"].is_string());
    let mut documented: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    documented.sort();
    for (key, property) in schema["properties"].as_object().unwrap() {
        assert!(
            property["description"].is_string(),
            "{key} is not described"
        );
    }

    let client = t.client_user("exported").await;
    let id = client.me["client_id"].as_str().unwrap().to_owned();
    let admin = t.admin().await;
    let res = admin.get(&format!("/api/v1/clients/{id}/export")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let export: Value = res.json().await.unwrap();
    let mut real: Vec<&String> = export.as_object().unwrap().keys().collect();
    real.sort();
    assert_eq!(
        documented, real,
        "the documented export keys differ from the real ones"
    );
}
