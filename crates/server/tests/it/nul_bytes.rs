//! Text holding a NUL character (U+0000) is refused with the code `nul_byte`, never a 5xx,
//! on both databases (issue 7, item 3): PostgreSQL cannot store one, and used to fail the
//! whole statement with a 500.
//!
//! The API test is driven by the OpenAPI document, so a route added later is covered without
//! a word here: for every operation it puts a NUL in each path parameter and each query
//! parameter (400, the parameter named in `errors`), in the name of an unknown parameter
//! (400), and, for a JSON body, in each text field and in a key of each object of a body
//! built from the request schema (422, the field named in `errors`). Path parameters are
//! real ids where the list above them has one; the refusal does not depend on them. The
//! panels refuse the same way with a translated page.

use crate::harness::{Session, TestApp, new_provider, spawn};
use bursar_domain::Audience;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

const NUL_TEXT: &str = "a\u{0}b";
const NUL_ENCODED: &str = "a%00b";
/// How a NUL in a name is written back in `errors`.
const NUL_SHOWN: &str = "a\\0b";

/// One step into a JSON value.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The JSON pointer of `steps` (for `Value::pointer_mut`).
fn pointer(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// The field as the server names it: `name`, `business_hours.monday[0].from`.
fn field_name(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => out.push_str(&format!(".{k}")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Where text can go in `value`: each string (`false`) and each object, for a key (`true`).
fn text_spots(value: &Value, at: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, bool)>) {
    match value {
        Value::String(_) => out.push((at.clone(), false)),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Step::Index(i));
                text_spots(v, at, out);
                at.pop();
            }
        }
        Value::Object(map) => {
            out.push((at.clone(), true));
            for (k, v) in map {
                at.push(Step::Key(k.clone()));
                text_spots(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// The API document, and a body of the right shape for a schema of it.
struct Doc(Value);

impl Doc {
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(r) => {
                let name = r.trim_start_matches("#/components/schemas/");
                self.resolve(&self.0["components"]["schemas"][name])
            }
            None => schema,
        }
    }

    /// A value of `schema` with every optional part present, so each text field is there.
    fn sample(&self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        assert!(depth < 12, "a recursive schema: {schema}");
        let alternatives = schema["oneOf"].as_array().or(schema["anyOf"].as_array());
        if let Some(alts) = alternatives {
            return alts
                .iter()
                .find(|a| self.resolve(a)["type"] != "null")
                .map_or(Value::Null, |a| self.sample(a, depth + 1));
        }
        if let Some(parts) = schema["allOf"].as_array() {
            let mut merged = Map::new();
            for p in parts {
                if let Value::Object(m) = self.sample(p, depth + 1) {
                    merged.extend(m);
                }
            }
            return Value::Object(merged);
        }
        if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
            return first.clone();
        }
        let ty = match &schema["type"] {
            Value::String(t) => t.as_str(),
            Value::Array(ts) => ts
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("null"),
            _ if schema["properties"].is_object() => "object",
            _ => "null",
        };
        match ty {
            "object" => {
                let mut map = Map::new();
                if let Some(props) = schema["properties"].as_object() {
                    for (k, s) in props {
                        map.insert(k.clone(), self.sample(s, depth + 1));
                    }
                }
                if schema["additionalProperties"].is_object() {
                    let more = self.sample(&schema["additionalProperties"], depth + 1);
                    map.insert("key".into(), more);
                }
                Value::Object(map)
            }
            "array" => json!([self.sample(&schema["items"], depth + 1)]),
            "string" => json!("text"),
            "integer" => json!(1),
            "number" => json!(1.5),
            "boolean" => json!(false),
            _ => Value::Null,
        }
    }
}

/// A refusal's status and problem+json body.
async fn problem(res: Response) -> (StatusCode, Value) {
    let status = res.status();
    let ct = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(
        ct.starts_with("application/problem+json"),
        "{status}, {ct}: {body}"
    );
    (status, body)
}

/// The signed-in sessions and an id for each path parameter the lists can give.
struct World {
    admin: Session,
    client: Session,
}

impl World {
    async fn new(t: &TestApp) -> World {
        let admin = t.admin().await;
        new_provider(&admin, "Nul Hosting", "EUR", true).await;
        let client = t.client_user("nul-client").await;
        for (path, body) in [
            ("/api/v1/me/tokens", json!({"name": "nul"})),
            ("/api/v1/client-groups", json!({"name": "Nul group"})),
        ] {
            let res = admin.post(path, body).await;
            assert_eq!(res.status(), StatusCode::CREATED, "{path}");
        }
        World { admin, client }
    }

    /// Who may call the operation guarded by `function`: the client for a client's
    /// function, else the administrator, who holds every other.
    fn caller(&self, function: &str) -> &Session {
        match bursar_domain::functions::find(function).map(|f| f.audience) {
            Some(Audience::Client) => &self.client,
            _ => &self.admin,
        }
    }

    /// `path` with its parameters filled: the first id of the list above each where there
    /// is one (`/clients/{id}` takes the first of `/clients`), else a fresh id.
    async fn fill(&self, who: &Session, path: &str, cache: &mut HashMap<String, String>) -> String {
        let mut filled = String::new();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            if segment.starts_with('{') {
                let list = filled.clone();
                let id = match cache.get(&list) {
                    Some(id) => id.clone(),
                    None => {
                        let id = first_id(who, &list).await;
                        cache.insert(list, id.clone());
                        id
                    }
                };
                filled.push_str(&format!("/{id}"));
            } else {
                filled.push_str(&format!("/{segment}"));
            }
        }
        filled
    }
}

async fn first_id(who: &Session, list: &str) -> String {
    let res = who.get(list).await;
    let body: Value = if res.status() == StatusCode::OK {
        res.json().await.unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    let first = &body["items"][0];
    first["id"]
        .as_str()
        .or(first["code"].as_str())
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned)
}

#[tokio::test]
async fn a_nul_anywhere_in_any_api_request_is_refused_with_nul_byte() {
    let t = spawn().await;
    let w = World::new(&t).await;
    let doc = Doc(t
        .browser()
        .get(t.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap());
    let mut ids = HashMap::new();
    // "METHOD path field" of each refusal seen, to prove the walk reached the known cases.
    let mut seen: Vec<String> = Vec::new();
    let paths = doc.0["paths"].as_object().unwrap().clone();
    for (path, item) in &paths {
        for (method, op) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let who = w.caller(op["x-bursar-function"].as_str().unwrap());
            let filled = w.fill(who, path, &mut ids).await;
            let what = |field: &str| format!("{method} {path} {field}");
            let json_body = &op["requestBody"]["content"]["application/json"]["schema"];
            // The body sent with the address's refusals: a valid shape, when there is one.
            let body = (!json_body.is_null()).then(|| doc.sample(json_body, 0));
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let mut address = Vec::new();
            for p in &params {
                let name = p["name"].as_str().unwrap();
                match p["in"].as_str() {
                    Some("query") => {
                        address.push((format!("{filled}?{name}={NUL_ENCODED}"), Some(name)))
                    }
                    Some("path") => {
                        let one = path.replace(&format!("{{{name}}}"), NUL_ENCODED);
                        let one = w.fill(who, &one, &mut ids).await;
                        address.push((one, None));
                    }
                    _ => {}
                }
            }
            address.push((format!("{filled}?{NUL_ENCODED}=1"), Some(NUL_SHOWN)));
            for (url, field) in address {
                let res = who.send(method.clone(), &url, body.clone()).await;
                let (status, p) = problem(res).await;
                assert_eq!(
                    (status, p["code"].as_str()),
                    (StatusCode::BAD_REQUEST, Some("nul_byte")),
                    "{method} {url}: {p}"
                );
                assert_eq!(
                    p["errors"][0]["field"].as_str(),
                    field,
                    "{method} {url}: {p}"
                );
                seen.push(what(field.unwrap_or("(path)")));
            }
            let Some(body) = body else { continue };
            let mut spots = Vec::new();
            text_spots(&body, &mut Vec::new(), &mut spots);
            for (steps, is_key) in spots {
                let mut sent = body.clone();
                let target = sent.pointer_mut(&pointer(&steps)).unwrap();
                let mut field = steps.clone();
                if is_key {
                    if let Value::Object(map) = target {
                        map.insert(NUL_TEXT.into(), json!("text"));
                    }
                    field.push(Step::Key(NUL_SHOWN.into()));
                } else {
                    *target = json!(NUL_TEXT);
                }
                let field = field_name(&field);
                let res = who.send(method.clone(), &filled, Some(sent.clone())).await;
                let (status, p) = problem(res).await;
                assert_eq!(
                    (status, p["code"].as_str()),
                    (StatusCode::UNPROCESSABLE_ENTITY, Some("nul_byte")),
                    "{method} {filled} with {sent}: {p}"
                );
                assert_eq!(
                    p["errors"][0]["field"].as_str(),
                    Some(field.as_str()),
                    "{method} {filled} with {sent}: {p}"
                );
                seen.push(what(&field));
            }
        }
    }
    // The walk reached the refusals that used to be 500s, and much more besides.
    for known in [
        "POST /api/v1/auth/login login",
        "POST /api/v1/auth/password-reset login",
        "GET /api/v1/clients label",
        "GET /api/v1/staff text",
        "GET /api/v1/history object_id",
        "GET /api/v1/history object_kind",
        "PATCH /api/v1/departments/{id} business_hours",
        "GET /api/v1/staff/{id}/permissions/explain (path)",
    ] {
        assert!(
            seen.iter().any(|s| s.starts_with(known)),
            "not reached: {known}"
        );
    }
    assert!(seen.len() > 300, "only {} refusals", seen.len());
    // Nothing was signed out or written: both sessions still work.
    assert_eq!(w.admin.get("/api/v1/me").await.status(), StatusCode::OK);
    assert_eq!(w.client.get("/api/v1/me").await.status(), StatusCode::OK);
}

/// Posts a stranger's urlencoded form with the double-submit CSRF cookie.
async fn post_anonymous_form(
    t: &TestApp,
    path: &str,
    body: &str,
    lang: &str,
) -> (StatusCode, String) {
    let res = t
        .browser()
        .post(t.url(path))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("cookie", "bursar_csrf=anon-token")
        .header("accept-language", lang)
        .body(format!("_csrf=anon-token&{body}"))
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_nul_in_a_panels_sign_in_form_is_a_422_page_in_the_users_language() {
    let t = spawn().await;
    for panel in ["/admin", "/client"] {
        let login = format!("{panel}/login");
        let (status, html) = post_anonymous_form(&t, &login, "login=a%00b&password=x", "en").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(
            html.contains("The form contained a null character"),
            "{html}"
        );
        let (status, html) =
            post_anonymous_form(&t, &login, "login=admin&password=a%00b", "ru").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(html.contains("Форма содержит нулевой символ"), "{html}");
        let forgot = format!("{panel}/forgot-password");
        let (status, _) = post_anonymous_form(&t, &forgot, "login=a%00b", "en").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // A forged form still learns only that it is forged.
    let res = t
        .browser()
        .post(t.url("/admin/login"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("login=a%00b&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The administrator was not locked out by any of it.
    t.admin().await;
}

#[tokio::test]
async fn a_nul_in_a_client_list_filter_or_a_signed_in_form_is_refused_in_the_layout() {
    let t = spawn().await;
    let admin = t.admin().await;
    for query in ["label=%00", "q=a%00b", "sort=newest&status=%00", "%00=1"] {
        let res = admin.get(&format!("/admin/clients?{query}")).await;
        let status = res.status();
        let html = res.text().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {html}");
        assert!(
            html.contains("This address cannot be used"),
            "{query}: {html}"
        );
        // Inside the signed-in layout: offered the start page, not "Sign in".
        assert!(html.contains("Go to my start page"), "{html}");
    }
    let res = admin
        .client
        .post(t.url("/admin/profile/tokens"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("_csrf={}&name=a%00b", admin.csrf))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let html = res.text().await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains("The form contained a null character"),
        "{html}"
    );
    let tokens: Value = admin.get("/api/v1/me/tokens").await.json().await.unwrap();
    assert_eq!(tokens["items"], json!([]), "nothing was saved");
}
