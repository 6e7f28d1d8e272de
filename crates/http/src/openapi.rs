//! The OpenAPI 3.1 document, generated from the same [`RouteDecl`]s that build the router,
//! so an operation cannot exist without being documented, and each operation names the
//! function that guards it (`x-bursar-function`, also prefixed to its description).

use crate::guard::RouteDecl;
use crate::problem::{Problem, ProblemField};
use axum::http::Method;
use bursar_domain::functions;
use std::borrow::Cow;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, Schema};
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

/// The description of one API operation.
#[derive(Clone)]
pub struct Doc {
    pub summary: &'static str,
    pub tag: &'static str,
    pub request: Option<SchemaOf>,
    pub response: Option<SchemaOf>,
    pub success: u16,
    pub query: Option<fn() -> Vec<utoipa::openapi::path::Parameter>>,
}

impl Doc {
    pub fn new(tag: &'static str, summary: &'static str) -> Self {
        Self {
            summary,
            tag,
            request: None,
            response: None,
            success: 200,
            query: None,
        }
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
        let function = functions::find(decl.function);
        let public = function.is_some_and(|f| f.audience == bursar_domain::Audience::Public);
        let function_name = function.map_or("", |f| f.name_en);
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
                decl.function
            )))
            .extensions(Some(
                ExtensionsBuilder::new()
                    .add("x-bursar-function", decl.function)
                    .build(),
            ));
        for segment in decl.path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                op = op.parameter(
                    ParameterBuilder::new()
                        .name(name)
                        .parameter_in(ParameterIn::Path)
                        .required(Required::True)
                        .schema(Some(String::schema())),
                );
            }
        }
        if let Some(query) = doc.query {
            for p in query() {
                op = op.parameter(p);
            }
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
        let success = match doc.response {
            Some(res) => {
                let name = add_schema(res, &mut schemas);
                ResponseBuilder::new()
                    .description("Success")
                    .content("application/json", json_ref(&name))
                    .build()
            }
            None => ResponseBuilder::new()
                .description("Success, no content")
                .build(),
        };
        op = op.response(doc.success.to_string(), success);
        let problem = |d: &str| {
            ResponseBuilder::new()
                .description(d)
                .content("application/problem+json", json_ref("Problem"))
                .build()
        };
        if decl.method != Method::GET {
            op = op.response("400", problem("Malformed request"));
            op = op.response("422", problem("Invalid fields"));
        }
        if !public {
            op = op.response("401", problem("Not signed in"));
            op = op.response("403", problem("The caller lacks the function"));
            op = op
                .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
                .security(SecurityRequirement::new("session", Vec::<String>::new()));
        }
        if decl.path.contains('{') {
            op = op.response("404", problem("Not found"));
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
