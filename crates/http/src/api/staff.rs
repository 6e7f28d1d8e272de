//! Provider → Staff.

use super::page_of;
use super::permissions_dto::{GrantChangeBody, PermissionTree};
use super::values::{EmailOrEmpty, LocaleCode, LoginText, PasswordText};
use crate::guard::{AppExt, Caller};
use crate::json::{ApiJson, ApiQuery};
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::body::Body;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use bursar_app::AppError;
use bursar_app::ports::StaffFilter;
use bursar_app::staff::{Explanation, StaffInput, StaffView};
use bursar_domain::ErrorCode;
use bursar_domain::UserId;
use bursar_domain::functions::f;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Uploads above this are refused outright (413); between 64 KB and this the avatar rule
/// answers with a 422 that names the 64 KB limit.
pub const AVATAR_UPLOAD_LIMIT: usize = 1024 * 1024;

/// The image types an avatar may be (judged from the bytes, whatever the `Content-Type`).
const AVATAR_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif"];

/// A new employee.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffBody {
    /// Cannot be changed later.
    #[schema(value_type = LoginText)]
    pub login: String,
    /// Full name (English).
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Full name (Russian); empty for none.
    #[schema(max_length = 200)]
    pub name_ru: Option<String>,
    /// Omit to have one generated (returned once).
    #[schema(value_type = Option<PasswordText>)]
    pub password: Option<String>,
    /// Department ids.
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub departments: Option<Vec<String>>,
    #[schema(value_type = Option<EmailOrEmpty>)]
    pub email: Option<String>,
    /// An international number, e.g. `+44 20 7946 0958` (spaces, dots, dashes and brackets
    /// are ignored); empty for none.
    pub phone: Option<String>,
    /// Default false; only an employee with full access may grant it.
    pub full_access: Option<bool>,
    /// Default true.
    pub is_active: Option<bool>,
    /// Default `en`.
    #[schema(value_type = Option<LocaleCode>)]
    pub locale: Option<String>,
}

/// Changes to an employee; absent fields stay as they are. The login never changes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffPatchBody {
    /// Full name (English).
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Full name (Russian); empty string clears it.
    #[schema(max_length = 200)]
    pub name_ru: Option<String>,
    /// A new password for the employee (not for yourself: use `POST /api/v1/me/password`);
    /// their sessions end.
    #[schema(value_type = Option<PasswordText>)]
    pub password: Option<String>,
    /// Department ids (replaces the set).
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub departments: Option<Vec<String>>,
    /// Empty string clears it.
    #[schema(value_type = Option<EmailOrEmpty>)]
    pub email: Option<String>,
    /// An international number, e.g. `+44 20 7946 0958`; empty string clears it.
    pub phone: Option<String>,
    pub full_access: Option<bool>,
    pub is_active: Option<bool>,
    #[schema(value_type = Option<LocaleCode>)]
    pub locale: Option<String>,
}

impl From<NewStaffBody> for StaffInput {
    fn from(b: NewStaffBody) -> Self {
        StaffInput {
            login: Some(b.login),
            name: Some(b.name),
            name_ru: b.name_ru,
            password: b.password,
            departments: b.departments,
            email: b.email,
            phone: b.phone,
            full_access: b.full_access,
            is_active: b.is_active,
            locale: b.locale,
            avatar: None,
        }
    }
}

impl From<StaffPatchBody> for StaffInput {
    fn from(b: StaffPatchBody) -> Self {
        StaffInput {
            login: None,
            name: b.name,
            name_ru: b.name_ru,
            password: b.password,
            departments: b.departments,
            email: b.email,
            phone: b.phone,
            full_access: b.full_access,
            is_active: b.is_active,
            locale: b.locale,
            avatar: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentRef {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct StaffDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub login: String,
    pub name: String,
    pub name_ru: Option<String>,
    #[schema(format = Email)]
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(value_type = LocaleCode)]
    pub locale: String,
    pub full_access: bool,
    pub is_active: bool,
    pub departments: Vec<DepartmentRef>,
    pub has_avatar: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
}

impl From<StaffView> for StaffDto {
    fn from(v: StaffView) -> Self {
        let u = v.user;
        StaffDto {
            id: u.id.to_string(),
            login: u.login.to_string(),
            name: u.name.to_string(),
            name_ru: u.name_ru,
            email: u.email.map(|e| e.to_string()),
            phone: u.phone.map(|p| p.to_string()),
            locale: u.locale.code().to_owned(),
            full_access: u.full_access,
            is_active: u.is_active,
            departments: v
                .departments
                .into_iter()
                .map(|(id, name)| DepartmentRef {
                    id: id.to_string(),
                    name,
                })
                .collect(),
            has_avatar: v.has_avatar,
            created_at: u.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedStaff {
    pub staff: StaffDto,
    /// Present when the password was generated: shown only now.
    pub generated_password: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StaffPage {
    pub items: Vec<StaffDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StaffQuery {
    /// Search in login, name and e-mail.
    pub text: Option<String>,
    /// Department id.
    pub department: Option<String>,
    pub active: Option<bool>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 4294967295_i64)]
    pub page: Option<i64>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExplainQuery {
    /// Function key, e.g. `client.order.create`.
    pub function: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExplanationDto {
    pub function: String,
    pub allowed: bool,
    /// `full_access`, `inherited`, `individual`, `off`, `public`, `every_signed_in_user`,
    /// `account_disabled` or `not_a_staff_function`.
    pub reason: String,
    /// For `inherited`: the departments granting it.
    pub departments: Vec<String>,
}

impl From<Explanation> for ExplanationDto {
    fn from(e: Explanation) -> Self {
        ExplanationDto {
            function: e.function.to_owned(),
            allowed: e.allowed,
            reason: e.reason.to_owned(),
            departments: e.departments,
        }
    }
}

fn parse_id(raw: &str) -> Result<UserId, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

pub async fn list(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<StaffQuery>,
) -> ApiResult<Json<StaffPage>> {
    let department = q
        .department
        .map(|d| {
            d.parse().map_err(|_| {
                AppError::invalid("department", ErrorCode::InvalidId, "is not a valid id")
            })
        })
        .transpose()?;
    let filter = StaffFilter {
        text: q.text,
        department,
        active: q.active,
    };
    let page = app
        .list_staff(&who, filter, page_of(q.page, q.per_page)?)
        .await?;
    Ok(Json(StaffPage {
        items: page.items.into_iter().map(Into::into).collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}

pub async fn show(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffDto>> {
    Ok(Json(app.get_staff(&who, parse_id(&id)?).await?.into()))
}

pub async fn create(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(body): ApiJson<NewStaffBody>,
) -> ApiResult<(StatusCode, Json<CreatedStaff>)> {
    let (view, generated_password) = app.create_staff(&who, body.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedStaff {
            staff: view.into(),
            generated_password,
        }),
    ))
}

pub async fn update(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StaffPatchBody>,
) -> ApiResult<Json<StaffDto>> {
    Ok(Json(
        app.update_staff(&who, parse_id(&id)?, body.into())
            .await?
            .into(),
    ))
}

pub async fn delete(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_staff(&who, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The raw image is the body (any content type: the type is judged from the bytes).
pub async fn put_avatar(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id)?;
    let bytes = axum::body::to_bytes(body, AVATAR_UPLOAD_LIMIT)
        .await
        .map_err(|_| {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                "The upload is larger than 1 MB; an avatar may be at most 64 KB.",
            )
        })?;
    app.set_staff_avatar(&who, id, bytes.to_vec()).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn get_avatar(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (content_type, bytes) = app.staff_avatar(&who, parse_id(&id)?).await?;
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "private, max-age=60".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

pub async fn permissions(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PermissionTree>> {
    let nodes = app.staff_permissions(&who, parse_id(&id)?).await?;
    Ok(Json(PermissionTree::from_nodes(nodes, true)))
}

pub async fn change_permissions(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GrantChangeBody>,
) -> ApiResult<Json<PermissionTree>> {
    let nodes = app
        .change_staff_permissions(&who, parse_id(&id)?, body.into())
        .await?;
    Ok(Json(PermissionTree::from_nodes(nodes, true)))
}

pub async fn explain(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ExplainQuery>,
) -> ApiResult<Json<ExplanationDto>> {
    Ok(Json(
        app.explain_staff_right(&who, parse_id(&id)?, &q.function)
            .await?
            .into(),
    ))
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/staff", f::STAFF_LIST,
        Doc::new("staff", "Employees, filtered and paginated").query::<StaffQuery>().returns::<StaffPage>(200)
            .invalid("`department` is not a valid id"), list)
    .op(M::POST, "/api/v1/staff", f::STAFF_CREATE,
        Doc::new("staff", "Add an employee (omit the password to have one generated)")
            .body::<NewStaffBody>().returns::<CreatedStaff>(201)
            .conflict("The login or e-mail is already in use (`login_taken`, `email_taken`)"), create)
    .op(M::GET, "/api/v1/staff/{id}", f::STAFF_LIST,
        Doc::new("staff", "One employee").returns::<StaffDto>(200), show)
    .op(M::PATCH, "/api/v1/staff/{id}", f::STAFF_EDIT,
        Doc::new("staff", "Edit, disable or enable an employee").body::<StaffPatchBody>().returns::<StaffDto>(200)
            .conflict("The e-mail is already in use, you would disable yourself, or the last active \
                       full-access account would lose full access"), update)
    .op(M::DELETE, "/api/v1/staff/{id}", f::STAFF_DELETE,
        Doc::new("staff", "Delete an employee").no_content()
            .conflict("You cannot delete yourself, nor the last active full-access account"), delete)
    .op(M::PUT, "/api/v1/staff/{id}/avatar", f::STAFF_EDIT,
        Doc::new("staff", "Upload the avatar as the raw body: PNG, JPEG or GIF, at most 80×80 px and 64 KB")
            .raw_body(AVATAR_TYPES, "The image itself (PNG, JPEG or GIF, at most 80×80 px and 64 KB); \
                                     its type is judged from the bytes")
            .no_content()
            .refuses(413, "The upload is larger than 1 MB")
            .invalid("The image is refused: `avatar_wrong_type`, `avatar_damaged`, `avatar_too_large` \
                      (over 64 KB) or `avatar_too_many_pixels` (over 80×80 px)"),
        put_avatar)
    .op(M::GET, "/api/v1/staff/{id}/avatar", f::STAFF_LIST,
        Doc::new("staff", "The avatar image")
            .returns_raw(200, AVATAR_TYPES, "The avatar, in the type it was uploaded in")
            .refuses(404, "The employee has no avatar"), get_avatar)
    .op(M::GET, "/api/v1/staff/{id}/permissions", f::STAFF_PERMISSIONS,
        Doc::new("staff", "The employee's permission tree: full access, inherited, individual or off")
            .returns::<PermissionTree>(200), permissions)
    .op(M::POST, "/api/v1/staff/{id}/permissions", f::STAFF_PERMISSIONS,
        Doc::new("staff", "Add or remove individual rights (inherited ones cannot be removed)")
            .body::<GrantChangeBody>().returns::<PermissionTree>(200)
            .conflict("The employee has full access, or a right to remove is inherited from a department"),
        change_permissions)
    .op(M::GET, "/api/v1/staff/{id}/permissions/explain", f::STAFF_PERMISSIONS,
        Doc::new("staff", "May this employee use a function, and why").query::<ExplainQuery>().returns::<ExplanationDto>(200)
            .invalid("`function` is not a registered function"),
        explain)
}
