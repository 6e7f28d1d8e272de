//! The OpenAPI 3.1 document, generated from the same [`RouteDecl`]s that build the router,
//! so an operation cannot exist without being documented, and each operation names the
//! function that guards it (`x-bursar-function`, also prefixed to its description).
//!
//! Error answers come from two places, so that every operation lists each status it can
//! really give:
//!
//! * the common ones, derived here from the declaration: 401 and 403 for every non-public
//!   operation (the guard's refusals), 404 and 400 for an address with `{parameters}`, 400
//!   for a query string (and 422 for one with `page` or `per_page` out of range), and 400,
//!   413, 415 and 422 for a JSON body (see [`crate::json`]);
//! * the ones only the use case knows about, declared with [`Doc::refuses`] (or its
//!   shorthands [`Doc::conflict`] and [`Doc::invalid`]): a 409 where a rule or a unique
//!   name refuses the change, a 422 where a filter or a parameter is validated, a 429 where
//!   attempts are limited.

use crate::guard::RouteDecl;
use crate::problem::{Problem, ProblemField};
use axum::http::Method;
use std::borrow::Cow;
use std::collections::BTreeMap;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    Content, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref, RefOr, Required,
};
use utoipa::{IntoParams, PartialSchema, ToSchema};

type Schemas = Vec<(String, RefOr<Schema>)>;

/// A type's schema, captured as functions so declarations stay `Clone` and cheap.
#[derive(Clone, Copy)]
pub struct SchemaOf {
    name: fn() -> Cow<'static, str>,
    schema: fn() -> RefOr<Schema>,
    nested: fn(&mut Schemas),
}

impl SchemaOf {
    pub fn of<T: ToSchema>() -> Self {
        Self {
            name: T::name,
            schema: T::schema,
            nested: T::schemas,
        }
    }
}

/// A body that is not JSON (an uploaded image, an image answer): its media types and what
/// it is.
#[derive(Clone, Copy)]
pub struct RawBody {
    pub media_types: &'static [&'static str],
    pub description: &'static str,
}

/// The description of one API operation.
#[derive(Clone)]
pub struct Doc {
    pub summary: &'static str,
    pub tag: &'static str,
    pub request: Option<SchemaOf>,
    /// A raw (non-JSON) request body; exclusive with `request`.
    pub raw_request: Option<RawBody>,
    pub response: Option<SchemaOf>,
    /// A raw (non-JSON) success answer; exclusive with `response`.
    pub raw_response: Option<RawBody>,
    pub success: u16,
    pub query: Option<fn() -> Vec<utoipa::openapi::path::Parameter>>,
    /// Error answers the use case can give beyond the common ones (see the module docs).
    pub errors: Vec<(u16, &'static str)>,
    /// The operation takes an optional `Idempotency-Key` header.
    pub idempotent: bool,
}

impl Doc {
    pub fn new(tag: &'static str, summary: &'static str) -> Self {
        Self {
            summary,
            tag,
            request: None,
            raw_request: None,
            response: None,
            raw_response: None,
            success: 200,
            query: None,
            errors: Vec::new(),
            idempotent: false,
        }
    }

    /// The operation takes an `Idempotency-Key` header: a retry with the same key gets the
    /// first answer and changes nothing; the same key with another request is 422.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// The body is raw bytes of one of `media_types` (not JSON).
    pub fn raw_body(mut self, media_types: &'static [&'static str], what: &'static str) -> Self {
        self.raw_request = Some(RawBody {
            media_types,
            description: what,
        });
        self
    }

    /// The success answer is raw bytes of one of `media_types` (not JSON).
    pub fn returns_raw(
        mut self,
        status: u16,
        media_types: &'static [&'static str],
        what: &'static str,
    ) -> Self {
        self.raw_response = Some(RawBody {
            media_types,
            description: what,
        });
        self.success = status;
        self
    }

    /// The use case can also answer `status` (a problem+json), for the reason `why`. The
    /// common answers (401, 403, 404, and those of a malformed address, query or JSON body)
    /// are added by the builder and need not be declared.
    pub fn refuses(mut self, status: u16, why: &'static str) -> Self {
        self.errors.push((status, why));
        self
    }

    /// 409: a rule about the records' state, or a unique name, refuses the change.
    pub fn conflict(self, why: &'static str) -> Self {
        self.refuses(409, why)
    }

    /// 422: a value outside the JSON body (a filter, a query parameter) is refused.
    pub fn invalid(self, why: &'static str) -> Self {
        self.refuses(422, why)
    }

    pub fn body<T: ToSchema>(mut self) -> Self {
        self.request = Some(SchemaOf::of::<T>());
        self
    }

    pub fn returns<T: ToSchema>(mut self, status: u16) -> Self {
        self.response = Some(SchemaOf::of::<T>());
        self.success = status;
        self
    }

    pub fn no_content(mut self) -> Self {
        self.success = 204;
        self
    }

    pub fn query<T: IntoParams>(mut self) -> Self {
        self.query = Some(|| T::into_params(|| Some(ParameterIn::Query)));
        self
    }
}

fn method_of(m: &Method) -> HttpMethod {
    match *m {
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::PATCH => HttpMethod::Patch,
        Method::DELETE => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

fn json_ref(name: &str) -> Content {
    Content::new(Some(Ref::from_schema_name(name)))
}

/// Raw bytes of one media type: in OpenAPI 3.1, a string schema naming the media type.
fn raw_content(media_type: &str) -> Content {
    Content::new(Some(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .content_media_type(media_type)
            .build(),
    ))
}

/// The error answers every operation shaped like `decl` can give, whatever its use case:
/// the guard's refusals, and those of reading its address, query string and JSON body.
fn common_errors(decl: &RouteDecl, doc: &Doc, public: bool) -> Vec<(u16, &'static str)> {
    let mut errors = Vec::new();
    if !public {
        errors.push((401, "Not signed in"));
        errors.push((
            403,
            "The caller lacks the function, or may not do this act (the problem's `code` \
             says which); with a session cookie, a state-changing request without a valid \
             `X-CSRF-Token`",
        ));
    }
    if decl.path.contains('{') {
        errors.push((
            400,
            "A parameter of the address is not valid once percent-decoded (`invalid_path`), \
             or holds a NUL character, U+0000 (`nul_byte`)",
        ));
        errors.push((404, "Not found, or not the caller's to see"));
    }
    if let Some(query) = doc.query {
        errors.push((
            400,
            "The query string is invalid (`invalid_query`), or a parameter holds a NUL \
             character, U+0000 (`nul_byte`, the parameter named in `errors`)",
        ));
        if query()
            .iter()
            .any(|p| p.name == "page" || p.name == "per_page")
        {
            errors.push((
                422,
                "`page` or `per_page` is out of its range (`validation_failed`, the \
                 parameter named in `errors` with `out_of_range`): pages are refused, never \
                 clamped",
            ));
        }
    }
    if doc.request.is_some() {
        errors.push((400, "The body is not valid JSON (`malformed_json`)"));
        errors.push((413, "The body is larger than 64 KB"));
        errors.push((415, "The body is not sent as `application/json`"));
        errors.push((
            422,
            "Invalid fields: the body has the wrong shape (`invalid_body`), a string of it \
             (a value or a key, at any depth) holds a NUL character, U+0000 (`nul_byte`, \
             the field named in `errors`), or a field is missing or refused \
             (`validation_failed`, each field named in `errors` with its code)",
        ));
    }
    errors
}

/// Builds the whole document from the declared API routes.
pub fn document(decls: &[RouteDecl]) -> OpenApi {
    let mut schemas: Schemas = Vec::new();
    let add_schema = |s: SchemaOf, schemas: &mut Schemas| {
        let name = (s.name)().into_owned();
        (s.nested)(schemas);
        schemas.push((name.clone(), (s.schema)()));
        name
    };
    add_schema(SchemaOf::of::<Problem>(), &mut schemas);
    add_schema(SchemaOf::of::<ProblemField>(), &mut schemas);

    let mut paths = PathsBuilder::new();
    for decl in decls {
        let Some(doc) = &decl.doc else { continue };
        let function = decl.function;
        let public = function.audience == bursar_domain::Audience::Public;
        let function_name = function.name_en;
        let mut op = OperationBuilder::new()
            .tag(doc.tag)
            .summary(Some(doc.summary))
            .operation_id(Some(format!(
                "{}_{}",
                decl.method.as_str().to_lowercase(),
                decl.path
                    .replace(['/', '{', '}', '-'], "_")
                    .trim_matches('_')
            )))
            .description(Some(format!(
                "Function: `{}` ({function_name}).",
                function.key
            )))
            .extensions(Some(
                ExtensionsBuilder::new()
                    .add("x-bursar-function", function.key)
                    .build(),
            ));
        for segment in decl.path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                op = op.parameter(
                    ParameterBuilder::new()
                        .name(name)
                        .parameter_in(ParameterIn::Path)
                        .required(Required::True)
                        .description(path_parameter_doc(decl.path, name))
                        .schema(Some(String::schema())),
                );
            }
        }
        if let Some(query) = doc.query {
            for p in query() {
                op = op.parameter(p);
            }
        }
        if doc.idempotent {
            op = op.parameter(
                ParameterBuilder::new()
                    .name("Idempotency-Key")
                    .parameter_in(ParameterIn::Header)
                    .required(Required::False)
                    .description(Some(
                        "1 to 255 visible ASCII characters chosen by the client (a UUID will do). \
                         A retry with the same key replays the first answer and moves no money; \
                         the same key with a different request is refused with 422 \
                         `idempotency_key_reused`.",
                    ))
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .min_length(Some(1))
                            .max_length(Some(255)),
                    )),
            );
        }
        if let Some(req) = doc.request {
            let name = add_schema(req, &mut schemas);
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .content("application/json", json_ref(&name))
                    .required(Some(Required::True))
                    .build(),
            ));
        }
        if let Some(raw) = doc.raw_request {
            let mut body = RequestBodyBuilder::new()
                .description(Some(raw.description))
                .required(Some(Required::True));
            for media_type in raw.media_types {
                body = body.content(*media_type, raw_content(media_type));
            }
            op = op.request_body(Some(body.build()));
        }
        let success = match (doc.response, doc.raw_response) {
            (Some(res), _) => {
                let name = add_schema(res, &mut schemas);
                ResponseBuilder::new()
                    .description("Success")
                    .content("application/json", json_ref(&name))
                    .build()
            }
            (None, Some(raw)) => {
                let mut res = ResponseBuilder::new().description(raw.description);
                for media_type in raw.media_types {
                    res = res.content(*media_type, raw_content(media_type));
                }
                res.build()
            }
            (None, None) => ResponseBuilder::new()
                .description("Success, no content")
                .build(),
        };
        op = op.response(doc.success.to_string(), success);
        // Each status once, its reasons joined, in status order.
        let mut errors: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
        for (status, why) in common_errors(decl, doc, public)
            .into_iter()
            .chain(doc.errors.iter().copied())
        {
            let reasons = errors.entry(status).or_default();
            if !reasons.contains(&why) {
                reasons.push(why);
            }
        }
        for (status, reasons) in errors {
            op = op.response(
                status.to_string(),
                ResponseBuilder::new()
                    .description(reasons.join("; "))
                    .content("application/problem+json", json_ref("Problem"))
                    .build(),
            );
        }
        if !public {
            op = op
                .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
                .security(SecurityRequirement::new("session", Vec::<String>::new()));
        }
        paths = paths.path(
            decl.path,
            PathItem::new(method_of(&decl.method), op.build()),
        );
    }

    let mut components = ComponentsBuilder::new()
        .security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        )
        .security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::cookies::SESSION))),
        );
    schemas.sort_by(|a, b| a.0.cmp(&b.0));
    schemas.dedup_by(|a, b| a.0 == b.0);
    for (name, schema) in schemas {
        components = components.schema(name, schema);
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Bursar API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Billing and client management for hosting providers. Amounts are decimal \
                     strings with a currency code. Errors are application/problem+json with a \
                     stable `code`. State-changing requests authenticated by the session cookie \
                     must send the session's CSRF token (from `GET /api/v1/me`) as `X-CSRF-Token`.",
                ))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components.build()))
        .build()
}

/// What a path parameter accepts, where it is more than an id: a client is named by its id
/// or by its number (`1042`; `#1042` percent-encoded as `%231042`).
fn path_parameter_doc(path: &str, name: &str) -> Option<&'static str> {
    (name == "id" && path.starts_with("/api/v1/clients/{id}"))
        .then_some("The client's id (UUID) or number (`1042`, or `%231042` for `#1042`).")
}
