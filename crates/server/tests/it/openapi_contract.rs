//! The API document says what the server enforces. For example bodies (and list queries) of
//! each operation, a small JSON-schema checker reads the operation's schema from
//! `/api/openapi.json` and the server must agree with it: an example the schema accepts is
//! accepted, one it refuses is answered 422 with the refused field named (400 only for a
//! query value that is not even of its type).
//!
//! The checker knows what the document uses: `$ref`, `type`, `enum`, `required`,
//! `properties`, `additionalProperties: false`, `items`, `minItems`, `minLength`,
//! `maxLength`, `minimum`, `maximum`, `format: uuid`, and `oneOf`/`anyOf`. Patterns are
//! documentation here (no regex engine in the tests), so no example hinges on one.

use crate::harness::{Session, new_client, new_provider, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// `schema` resolved through `$ref`s into the document's components.
fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    while let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        schema = &doc["components"]["schemas"][name];
        assert!(!schema.is_null(), "dangling reference {r}");
    }
    schema
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "null" => v.is_null(),
        _ => false,
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Every way `v` breaks `schema`, each as `path: reason` (the path names the field).
fn violations(doc: &Value, schema: &Value, v: &Value, at: &str) -> Vec<String> {
    let s = resolve(doc, schema);
    let mut out = Vec::new();
    let mut fail = |why: String| out.push(format!("{at}: {why}"));
    for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(alts) = s[key].as_array() {
            let fits = alts
                .iter()
                .filter(|alt| violations(doc, alt, v, at).is_empty())
                .count();
            if fits == 0 || (exactly_one && fits > 1) {
                fail(format!("fits {fits} of the {key} alternatives"));
            }
        }
    }
    for part in s["allOf"].as_array().into_iter().flatten() {
        out.extend(violations(doc, part, v, at));
    }
    let types: Vec<&str> = match &s["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| type_matches(t, v)) {
        out.push(format!("{at}: not of type {types:?}"));
        return out;
    }
    if let Some(allowed) = s["enum"].as_array()
        && !allowed.contains(v)
    {
        out.push(format!("{at}: {v} is not one of {allowed:?}"));
    }
    if let Some(text) = v.as_str() {
        let n = text.chars().count() as u64;
        if s["minLength"].as_u64().is_some_and(|min| n < min) {
            out.push(format!("{at}: shorter than {}", s["minLength"]));
        }
        if s["maxLength"].as_u64().is_some_and(|max| n > max) {
            out.push(format!("{at}: longer than {}", s["maxLength"]));
        }
        if s["format"] == "uuid" && !is_uuid(text) {
            out.push(format!("{at}: not a UUID"));
        }
    }
    if let Some(n) = v.as_f64() {
        if s["minimum"].as_f64().is_some_and(|min| n < min) {
            out.push(format!("{at}: below {}", s["minimum"]));
        }
        if s["maximum"].as_f64().is_some_and(|max| n > max) {
            out.push(format!("{at}: above {}", s["maximum"]));
        }
    }
    if let Some(object) = v.as_object() {
        let join = |k: &str| {
            if at.is_empty() {
                k.to_owned()
            } else {
                format!("{at}.{k}")
            }
        };
        for required in s["required"].as_array().into_iter().flatten() {
            let key = required.as_str().unwrap_or_default();
            if !object.contains_key(key) {
                out.push(format!("{}: is required", join(key)));
            }
        }
        for (key, value) in object {
            match s["properties"].get(key) {
                Some(property) => out.extend(violations(doc, property, value, &join(key))),
                None if s["additionalProperties"] == false => {
                    out.push(format!("{}: is not a known field", join(key)));
                }
                None => {}
            }
        }
    }
    if let Some(items) = v.as_array() {
        if s["minItems"]
            .as_u64()
            .is_some_and(|min| (items.len() as u64) < min)
        {
            out.push(format!("{at}: fewer than {} items", s["minItems"]));
        }
        for (i, item) in items.iter().enumerate() {
            out.extend(violations(doc, &s["items"], item, &format!("{at}[{i}]")));
        }
    }
    out
}

/// The first segment of a field path: `business_hours` of `business_hours.days[0].day`.
fn top(path: &str) -> &str {
    path.split(['.', '[', ':']).next().unwrap_or_default()
}

/// Checks the server agrees with the schema on one answer to an example.
async fn agrees(what: &str, broken: &[String], res: reqwest::Response, query: bool) {
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    if broken.is_empty() {
        assert!(
            status.is_success(),
            "{what} is valid by the document, but the server answered {status}: {body}"
        );
        return;
    }
    let malformed_query = query && status == StatusCode::BAD_REQUEST;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY || malformed_query,
        "{what} is invalid by the document ({broken:?}), but the server answered {status}: {body}"
    );
    if malformed_query {
        return;
    }
    let named: Vec<&str> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        broken
            .iter()
            .any(|b| named.iter().any(|n| top(n) == top(b))),
        "{what}: the document refuses {broken:?}, the server's 422 names {named:?}: {body}"
    );
}

struct Case {
    method: Method,
    /// The operation's path in the document.
    path: &'static str,
    /// The address to send to.
    url: String,
    valid: Vec<Value>,
    invalid: Vec<Value>,
}

impl Case {
    fn new(method: Method, path: &'static str, url: impl Into<String>) -> Self {
        Case {
            method,
            path,
            url: url.into(),
            valid: Vec::new(),
            invalid: Vec::new(),
        }
    }

    fn valid(mut self, examples: impl IntoIterator<Item = Value>) -> Self {
        self.valid.extend(examples);
        self
    }

    fn invalid(mut self, examples: impl IntoIterator<Item = Value>) -> Self {
        self.invalid.extend(examples);
        self
    }

    /// Sends every example and checks each answer against the operation's request schema;
    /// the document must itself agree that valid examples are valid and invalid ones not.
    async fn run(self, doc: &Value, admin: &Session) {
        let m = self.method.as_str().to_lowercase();
        let schema =
            &doc["paths"][self.path][&m]["requestBody"]["content"]["application/json"]["schema"];
        assert!(
            !schema.is_null(),
            "{} {} takes no JSON body",
            self.method,
            self.path
        );
        let examples = self
            .valid
            .iter()
            .map(|e| (e, true))
            .chain(self.invalid.iter().map(|e| (e, false)));
        for (example, meant_valid) in examples {
            let what = format!("{} {} {example}", self.method, self.path);
            let broken = violations(doc, schema, example, "");
            assert_eq!(
                broken.is_empty(),
                meant_valid,
                "{what}: the document's verdict is not the example's: {broken:?}"
            );
            let res = admin
                .send(self.method.clone(), &self.url, Some(example.clone()))
                .await;
            agrees(&what, &broken, res, false).await;
        }
    }
}

/// A list's query strings, checked parameter by parameter against the operation's
/// parameters (numbers are read as numbers, as a generated client would send them).
async fn run_queries(doc: &Value, admin: &Session, path: &str, valid: &[&str], invalid: &[&str]) {
    let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
    let cases = valid
        .iter()
        .map(|q| (q, true))
        .chain(invalid.iter().map(|q| (q, false)));
    for (query, meant_valid) in cases {
        let mut broken = Vec::new();
        for (name, raw) in query.split('&').filter_map(|kv| kv.split_once('=')) {
            let param = params
                .iter()
                .find(|p| p["name"] == name && p["in"] == "query");
            let Some(param) = param else {
                broken.push(format!("{name}: is not a parameter"));
                continue;
            };
            let value = raw
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(raw));
            broken.extend(violations(doc, &param["schema"], &value, name));
        }
        let what = format!("GET {path}?{query}");
        assert_eq!(
            broken.is_empty(),
            meant_valid,
            "{what}: the document's verdict is not the example's: {broken:?}"
        );
        let res = admin.get(&format!("{path}?{query}")).await;
        agrees(&what, &broken, res, true).await;
    }
}

fn id_of(res: &Value) -> String {
    res["id"].as_str().unwrap().to_owned()
}

async fn created(admin: &Session, path: &str, body: Value) -> Value {
    let res = admin.post(path, body).await;
    assert_eq!(res.status(), StatusCode::CREATED, "POST {path}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_document_and_the_server_agree_on_example_bodies() {
    let t = spawn().await;
    let admin = t.admin().await;
    let doc: Value = t
        .browser()
        .get(t.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let long = |n: usize| "x".repeat(n);

    let provider = new_provider(&admin, "Contract Base", "EUR", false).await;
    Case::new(Method::POST, "/api/v1/providers", "/api/v1/providers")
        .valid([
            json!({"name": "Contract Hosting", "currency": "EUR"}),
            json!({"name": "Contract Domains", "currency": "usd", "login_at_registration": true}),
        ])
        .invalid([
            json!({}),
            json!({"currency": "EUR"}),
            json!({"name": "", "currency": "EUR"}),
            json!({"name": long(201), "currency": "EUR"}),
            json!({"name": "P", "currency": "EURO"}),
            json!({"name": 5, "currency": "EUR"}),
            json!({"name": "P", "currency": "EUR", "login_at_registration": "yes"}),
            json!({"name": "P", "currency": "EUR", "colour": "red"}),
        ])
        .run(&doc, &admin)
        .await;
    Case::new(
        Method::PATCH,
        "/api/v1/providers/{id}",
        format!("/api/v1/providers/{provider}"),
    )
    .valid([
        json!({}),
        json!({"name": "Contract Base Renamed"}),
        json!({"name": null, "login_at_registration": false}),
    ])
    .invalid([
        json!({"name": ""}),
        json!({"currency": ""}),
        json!({"login_at_registration": "no"}),
        json!({"id": provider}),
    ])
    .run(&doc, &admin)
    .await;

    let company = created(
        &admin,
        "/api/v1/companies",
        json!({"name": "Contract Base GmbH", "country": "DE", "address": "Hauptstr. 1"}),
    )
    .await;
    Case::new(Method::POST, "/api/v1/companies", "/api/v1/companies")
        .valid([
            json!({"name": "Contract GmbH", "country": "de", "address": "Street 1",
                       "tax_number": "DE123", "providers": [provider]}),
        ])
        .invalid([
            json!({"name": "C", "country": "DE"}),
            json!({"name": "C", "country": "DEU", "address": "A"}),
            json!({"name": "C", "country": "DE", "address": ""}),
            json!({"name": "C", "country": "DE", "address": "A", "tax_number": long(51)}),
            json!({"name": "C", "country": "DE", "address": "A", "bank_details": long(2001)}),
            json!({"name": "C", "country": "DE", "address": "A", "providers": ["not-an-id"]}),
            json!({"name": "C", "country": "DE", "address": "A", "providers": provider}),
        ])
        .run(&doc, &admin)
        .await;
    Case::new(
        Method::PATCH,
        "/api/v1/companies/{id}",
        format!("/api/v1/companies/{}", id_of(&company)),
    )
    .valid([
        json!({"tax_number": ""}),
        json!({"bank_details": "IBAN DE00 0000", "providers": []}),
    ])
    .invalid([
        json!({"address": ""}),
        json!({"name": long(201)}),
        json!({"country": 49}),
    ])
    .run(&doc, &admin)
    .await;

    let group = created(
        &admin,
        "/api/v1/client-groups",
        json!({"name": "Contract Base"}),
    )
    .await;
    Case::new(
        Method::POST,
        "/api/v1/client-groups",
        "/api/v1/client-groups",
    )
    .valid([json!({"name": "Contract VIP", "allow_suspend": true, "forbidden_tariffs": ["t-1"]})])
    .invalid([
        json!({"allow_suspend": true}),
        json!({"name": long(101)}),
        json!({"name": "G", "forbidden_tariffs": [""]}),
        json!({"name": "G", "forbidden_tariffs": [long(101)]}),
        json!({"name": "G", "restricted_payment_methods": ["nope"]}),
        json!({"name": "G", "mailing_segment": "yes"}),
    ])
    .run(&doc, &admin)
    .await;
    Case::new(
        Method::PATCH,
        "/api/v1/client-groups/{id}",
        format!("/api/v1/client-groups/{}", id_of(&group)),
    )
    .valid([
        json!({"name": "Contract Base 2"}),
        json!({"forbidden_tariffs": []}),
    ])
    .invalid([json!({"name": ""}), json!({"forbidden_tariffs": "t-1"})])
    .run(&doc, &admin)
    .await;

    let department = created(
        &admin,
        "/api/v1/departments",
        json!({"name_en": "Contract Base", "name_ru": "Основа"}),
    )
    .await;
    let hours = |day: &str, open: &str| json!({"time_zone": "Europe/Berlin", "days": [{"day": day, "open": open, "close": "17:00"}]});
    Case::new(Method::POST, "/api/v1/departments", "/api/v1/departments")
        .valid([
            json!({"name_en": "Contract Night", "name_ru": "Ночь", "task_locale": "ru",
                       "show_in_support": true, "business_hours": hours("mon", "09:00")}),
        ])
        .invalid([
            json!({"name_en": "N"}),
            json!({"name_en": "", "name_ru": "Н"}),
            json!({"name_en": "N", "name_ru": long(101)}),
            json!({"name_en": "N", "name_ru": "Н", "task_locale": "de"}),
            json!({"name_en": "N", "name_ru": "Н", "business_hours": hours("funday", "09:00")}),
            json!({"name_en": "N", "name_ru": "Н", "business_hours": hours("tue", "9")}),
            json!({"name_en": "N", "name_ru": "Н", "business_hours": {"time_zone": "UTC"}}),
        ])
        .run(&doc, &admin)
        .await;
    Case::new(
        Method::PATCH,
        "/api/v1/departments/{id}",
        format!("/api/v1/departments/{}", id_of(&department)),
    )
    .valid([
        json!({"show_in_support": true}),
        json!({"task_locale": "en"}),
    ])
    .invalid([
        json!({"task_locale": "fr"}),
        json!({"name_ru": ""}),
        json!({"name_en": long(101)}),
    ])
    .run(&doc, &admin)
    .await;

    let dept = id_of(&department);
    let employee = created(
        &admin,
        "/api/v1/staff",
        json!({"login": "contract.base", "name": "Base Employee"}),
    )
    .await;
    Case::new(Method::POST, "/api/v1/staff", "/api/v1/staff")
        .valid([
            json!({"login": "contract.olga", "name": "Olga", "password": "strong-password-42",
                   "email": "olga@example.com", "locale": "ru", "departments": [dept]}),
            json!({"login": "Contract-Ivan", "name": "Ivan", "email": "", "phone": ""}),
        ])
        .invalid([
            json!({"name": "Olga"}),
            json!({"login": "ab", "name": "X"}),
            json!({"login": long(65), "name": "X"}),
            json!({"login": "contract.p", "name": "P", "password": "short1"}),
            json!({"login": "contract.l", "name": "L", "locale": "de"}),
            json!({"login": "contract.e", "name": "E", "email": long(255)}),
            json!({"login": "contract.d", "name": "D", "departments": ["sales"]}),
        ])
        .run(&doc, &admin)
        .await;
    Case::new(
        Method::PATCH,
        "/api/v1/staff/{id}",
        format!(
            "/api/v1/staff/{}",
            employee["staff"]["id"].as_str().unwrap()
        ),
    )
    .valid([
        json!({"name": "Base Employee Renamed", "name_ru": ""}),
        json!({"email": "", "locale": "en", "password": "another-password-7"}),
    ])
    .invalid([
        json!({"login": "contract.renamed"}),
        json!({"locale": "xx"}),
        json!({"name": ""}),
        json!({"password": "abc"}),
    ])
    .run(&doc, &admin)
    .await;

    let client = new_client(
        &admin,
        json!({"email": "contract@example.com", "name": "Contract Client", "providers": [provider]}),
    )
    .await;
    let client = id_of(&client);
    let payer = created(
        &admin,
        &format!("/api/v1/clients/{client}/payers"),
        json!({"kind": "person", "name": "Base Payer", "country": "FR"}),
    )
    .await;
    Case::new(
        Method::POST,
        "/api/v1/clients/{id}/payers",
        format!("/api/v1/clients/{client}/payers"),
    )
    .valid([
        json!({"kind": "company", "name": "Contract Payer Ltd", "country": "GB",
               "email": "bills@example.com", "tax_number": "GB123"}),
        json!({"kind": "sole_proprietor", "name": "Jo", "country": "de", "email": "", "address": ""}),
    ])
    .invalid([
        json!({"name": "Jo", "country": "DE"}),
        json!({"kind": "robot", "name": "Jo", "country": "DE"}),
        json!({"kind": "person", "name": "", "country": "DE"}),
        json!({"kind": "person", "name": "Jo", "country": "D"}),
        json!({"kind": "person", "name": "Jo", "country": "DE", "address": long(501)}),
        json!({"kind": "person", "name": "Jo", "country": "DE", "is_default": 1}),
    ])
    .run(&doc, &admin)
    .await;
    Case::new(
        Method::PATCH,
        "/api/v1/clients/{id}/payers/{payer_id}",
        format!("/api/v1/clients/{client}/payers/{}", id_of(&payer)),
    )
    .valid([
        json!({"kind": "sole_proprietor", "address": ""}),
        json!({"is_default": true}),
    ])
    .invalid([
        json!({"kind": "unknown"}),
        json!({"tax_number": long(51)}),
        json!({"name": ""}),
    ])
    .run(&doc, &admin)
    .await;

    Case::new(
        Method::PATCH,
        "/api/v1/clients/{id}",
        format!("/api/v1/clients/{client}"),
    )
    .valid([json!({"characteristic": "good", "locale": "ru", "comment": ""})])
    .invalid([
        json!({"characteristic": "great"}),
        json!({"locale": "de"}),
        json!({"name": ""}),
    ])
    .run(&doc, &admin)
    .await;
    Case::new(
        Method::POST,
        "/api/v1/clients/{id}/messages",
        format!("/api/v1/clients/{client}/messages"),
    )
    .valid([json!({"subject": "Hello", "message": "Your invoice is ready."})])
    .invalid([
        json!({"subject": "", "message": "x"}),
        json!({"subject": long(201), "message": "x"}),
        json!({"subject": "Hi"}),
    ])
    .run(&doc, &admin)
    .await;

    Case::new(Method::POST, "/api/v1/me/tokens", "/api/v1/me/tokens")
        .valid([
            json!({"name": "contract script", "expires_in_days": 3650, "scope": ["client.list"]}),
            json!({"name": "ci", "expires_in_days": 1}),
        ])
        .invalid([
            json!({"name": "t", "expires_in_days": 0}),
            json!({"name": "t", "expires_in_days": 3651}),
            json!({"name": "t", "expires_in_days": -1}),
            json!({"name": "t", "scope": ["no.such.function"]}),
            json!({"name": ""}),
            json!({"expires_in_days": 5}),
        ])
        .run(&doc, &admin)
        .await;

    run_queries(
        &doc,
        &admin,
        "/api/v1/clients",
        &[
            "page=1&per_page=200",
            "page=3",
            "per_page=1&sort=name&status=active&characteristic=good",
        ],
        &[
            "page=0",
            "per_page=201",
            "per_page=0",
            "page=-1",
            "page=2&per_page=500",
            "sort=random",
            "status=gone",
            "page=first",
        ],
    )
    .await;
    for path in ["/api/v1/staff", "/api/v1/history", "/api/v1/me/history"] {
        run_queries(
            &doc,
            &admin,
            path,
            &["page=2&per_page=10", "per_page=200"],
            &["page=0", "per_page=201", "per_page=-5"],
        )
        .await;
    }
}

/// What the document says beyond shapes: the ranges and rules the issue names.
#[tokio::test]
async fn the_document_states_the_rules() {
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
    let schemas = &doc["components"]["schemas"];
    let body = |path: &str, m: &str| {
        resolve(
            &doc,
            &doc["paths"][path][m]["requestBody"]["content"]["application/json"]["schema"],
        )
        .clone()
    };
    // Create and update have their own schemas; create requires what the use case does.
    for (path, item, create, required) in [
        (
            "/api/v1/providers",
            "/api/v1/providers/{id}",
            "NewProviderBody",
            &["currency", "name"][..],
        ),
        (
            "/api/v1/companies",
            "/api/v1/companies/{id}",
            "NewCompanyBody",
            &["address", "country", "name"],
        ),
        (
            "/api/v1/client-groups",
            "/api/v1/client-groups/{id}",
            "NewGroupBody",
            &["name"],
        ),
        (
            "/api/v1/departments",
            "/api/v1/departments/{id}",
            "NewDepartmentBody",
            &["name_en", "name_ru"],
        ),
        (
            "/api/v1/staff",
            "/api/v1/staff/{id}",
            "NewStaffBody",
            &["login", "name"],
        ),
        (
            "/api/v1/clients/{id}/payers",
            "/api/v1/clients/{id}/payers/{payer_id}",
            "NewPayerBody",
            &["country", "kind", "name"],
        ),
    ] {
        let new = body(path, "post");
        assert_eq!(new, schemas[create], "{path}");
        let mut names: Vec<&str> = new["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        names.sort_unstable();
        assert_eq!(names, required, "{path}");
        let patch = body(item, "patch");
        assert_ne!(new, patch, "{item} shares the create schema");
        assert!(
            patch["required"].as_array().is_none_or(Vec::is_empty),
            "{item}"
        );
    }
    // The employee's login cannot change, so the update does not take it.
    assert!(body("/api/v1/staff/{id}", "patch")["properties"]["login"].is_null());

    let token = body("/api/v1/me/tokens", "post");
    let days = &token["properties"]["expires_in_days"];
    assert_eq!(
        (days["minimum"].as_u64(), days["maximum"].as_u64()),
        (Some(1), Some(3650))
    );
    let scope = resolve(&doc, &token["properties"]["scope"]["items"]);
    assert!(
        scope["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("client.list"))
    );

    let password = &schemas["PasswordText"];
    assert_eq!(
        (
            password["minLength"].as_u64(),
            password["maxLength"].as_u64()
        ),
        (Some(10), Some(128))
    );
    assert!(password["pattern"].is_string());
    let login = &schemas["LoginText"];
    assert_eq!(
        (login["minLength"].as_u64(), login["maxLength"].as_u64()),
        (Some(3), Some(64))
    );
    assert!(login["pattern"].is_string());
    assert_eq!(schemas["EmailText"]["format"], "email");
    assert_eq!(
        schemas["PayerKindCode"]["enum"],
        json!(["person", "company", "sole_proprietor"])
    );
    assert_eq!(schemas["LocaleCode"]["enum"], json!(["en", "ru"]));

    for path in ["/api/v1/clients", "/api/v1/staff", "/api/v1/history"] {
        let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
        let per_page = params.iter().find(|p| p["name"] == "per_page").unwrap();
        assert_eq!(per_page["schema"]["minimum"], 1, "{path}");
        assert_eq!(per_page["schema"]["maximum"], 200, "{path}");
        let page = params.iter().find(|p| p["name"] == "page").unwrap();
        assert_eq!(page["schema"]["minimum"], 1, "{path}");
        assert!(
            doc["paths"][path]["get"]["responses"]["422"].is_object(),
            "{path}"
        );
    }
    let sort = doc["paths"]["/api/v1/clients"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "sort")
        .unwrap()
        .clone();
    let sort = &sort["schema"]["oneOf"][0];
    assert_eq!(
        sort["enum"],
        json!(["newest", "oldest", "name", "email"]),
        "{sort}"
    );
}
