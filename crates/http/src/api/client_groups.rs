//! Clients → Client groups.

use crate::guard::{AppExt, Caller};
use crate::json::ApiJson;
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use bursar_app::client_groups::GroupInput;
use bursar_app::ports::ClientGroupRecord;
use bursar_domain::ClientGroupId;
use bursar_domain::functions::f;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new client group. Flags left out are off; lists left out are empty.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroupBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Clients may suspend their services.
    pub allow_suspend: Option<bool>,
    /// Clients may activate their services.
    pub allow_activate: Option<bool>,
    /// Clients may delete their services.
    pub allow_delete: Option<bool>,
    /// Lift the per-account limit on the number of services.
    pub unlimited_services: Option<bool>,
    pub forbid_contract_drafts: Option<bool>,
    /// Include the group in mailing segments.
    pub mailing_segment: Option<bool>,
    #[schema(schema_with = tariff_ids)]
    pub forbidden_tariffs: Option<Vec<String>>,
    /// Payment method ids (see `/api/v1/payment-methods`) closed to the group.
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub restricted_payment_methods: Option<Vec<String>>,
}

/// Changes to a client group; absent fields stay as they are, a list given replaces the
/// set.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupPatchBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// Clients may suspend their services.
    pub allow_suspend: Option<bool>,
    /// Clients may activate their services.
    pub allow_activate: Option<bool>,
    /// Clients may delete their services.
    pub allow_delete: Option<bool>,
    /// Lift the per-account limit on the number of services.
    pub unlimited_services: Option<bool>,
    pub forbid_contract_drafts: Option<bool>,
    /// Include the group in mailing segments.
    pub mailing_segment: Option<bool>,
    #[schema(schema_with = tariff_ids)]
    pub forbidden_tariffs: Option<Vec<String>>,
    /// Payment method ids (see `/api/v1/payment-methods`) closed to the group.
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub restricted_payment_methods: Option<Vec<String>>,
}

/// Tariff plan ids, each 1 to 100 characters (the catalog does not check them yet), or
/// null for "unchanged".
fn tariff_ids() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
    ArrayBuilder::new()
        .description(Some(
            "Tariff plan ids the group may not order, each 1 to 100 characters.",
        ))
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(100)),
        )
        .build()
}

impl From<NewGroupBody> for GroupInput {
    fn from(b: NewGroupBody) -> Self {
        GroupInput {
            name: Some(b.name),
            allow_suspend: b.allow_suspend,
            allow_activate: b.allow_activate,
            allow_delete: b.allow_delete,
            unlimited_services: b.unlimited_services,
            forbid_contract_drafts: b.forbid_contract_drafts,
            mailing_segment: b.mailing_segment,
            forbidden_tariffs: b.forbidden_tariffs,
            restricted_payment_methods: b.restricted_payment_methods,
        }
    }
}

impl From<GroupPatchBody> for GroupInput {
    fn from(b: GroupPatchBody) -> Self {
        GroupInput {
            name: b.name,
            allow_suspend: b.allow_suspend,
            allow_activate: b.allow_activate,
            allow_delete: b.allow_delete,
            unlimited_services: b.unlimited_services,
            forbid_contract_drafts: b.forbid_contract_drafts,
            mailing_segment: b.mailing_segment,
            forbidden_tariffs: b.forbidden_tariffs,
            restricted_payment_methods: b.restricted_payment_methods,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GroupDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub allow_suspend: bool,
    pub allow_activate: bool,
    pub allow_delete: bool,
    pub unlimited_services: bool,
    pub forbid_contract_drafts: bool,
    pub mailing_segment: bool,
    pub forbidden_tariffs: Vec<String>,
    pub restricted_payment_methods: Vec<String>,
    pub members: i64,
}

impl GroupDto {
    fn new(g: ClientGroupRecord, members: i64) -> Self {
        GroupDto {
            id: g.id.to_string(),
            name: g.name,
            allow_suspend: g.allow_suspend,
            allow_activate: g.allow_activate,
            allow_delete: g.allow_delete,
            unlimited_services: g.unlimited_services,
            forbid_contract_drafts: g.forbid_contract_drafts,
            mailing_segment: g.mailing_segment,
            forbidden_tariffs: g.forbidden_tariffs,
            restricted_payment_methods: g.restricted_payment_methods,
            members,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GroupList {
    pub items: Vec<GroupDto>,
}

fn group_id(raw: &str) -> Result<ClientGroupId, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

pub async fn list(Extension(app): AppExt, Caller(who): Caller) -> ApiResult<Json<GroupList>> {
    let items = app
        .list_client_groups(&who)
        .await?
        .into_iter()
        .map(|(g, n)| GroupDto::new(g, n))
        .collect();
    Ok(Json(GroupList { items }))
}

pub async fn create(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewGroupBody>,
) -> ApiResult<(StatusCode, Json<GroupDto>)> {
    Ok((
        StatusCode::CREATED,
        Json(GroupDto::new(
            app.save_client_group(&who, None, b.into()).await?,
            0,
        )),
    ))
}

pub async fn update(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<GroupPatchBody>,
) -> ApiResult<Json<GroupDto>> {
    let g = app
        .save_client_group(&who, Some(group_id(&id)?), b.into())
        .await?;
    let members = app
        .list_client_groups(&who)
        .await?
        .into_iter()
        .find(|(x, _)| x.id == g.id)
        .map_or(0, |(_, n)| n);
    Ok(Json(GroupDto::new(g, members)))
}

pub async fn delete(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_client_group(&who, group_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/client-groups", f::CLIENT_GROUP_LIST,
        Doc::new("clients", "Client groups with their settings").returns::<GroupList>(200), list)
    .op(M::POST, "/api/v1/client-groups", f::CLIENT_GROUP_EDIT,
        Doc::new("clients", "Add a client group").body::<NewGroupBody>().returns::<GroupDto>(201)
            .conflict("A client group with this name exists (`name_taken`)"), create)
    .op(M::PATCH, "/api/v1/client-groups/{id}", f::CLIENT_GROUP_EDIT,
        Doc::new("clients", "Edit a client group").body::<GroupPatchBody>().returns::<GroupDto>(200)
            .conflict("A client group with this name exists (`name_taken`)"), update)
    .op(M::DELETE, "/api/v1/client-groups/{id}", f::CLIENT_GROUP_EDIT,
        Doc::new("clients", "Delete a client group").no_content(), delete)
}
