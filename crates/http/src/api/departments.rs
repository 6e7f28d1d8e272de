//! Provider → Departments.

use super::permissions_dto::{GrantChangeBody, PermissionTree};
use super::values::{LocaleCode, WeekdayCode};
use crate::guard::{AppExt, Caller};
use crate::json::ApiJson;
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use bursar_app::departments::{DepartmentInput, DepartmentView};
use bursar_domain::DepartmentId;
use bursar_domain::departments::BusinessHours;
use bursar_domain::functions::f;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new department (it grants no function until its permissions are set).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartmentBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: String,
    /// Default: Monday to Friday, 09:00–18:00 UTC.
    #[schema(value_type = Option<BusinessHoursDto>)]
    pub business_hours: Option<BusinessHours>,
    pub show_in_support: Option<bool>,
    /// Language of tasks the system generates for the department (default `en`).
    #[schema(value_type = Option<LocaleCode>)]
    pub task_locale: Option<String>,
}

/// Changes to a department; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentPatchBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: Option<String>,
    #[schema(value_type = Option<BusinessHoursDto>)]
    pub business_hours: Option<BusinessHours>,
    pub show_in_support: Option<bool>,
    /// Language of tasks the system generates for the department.
    #[schema(value_type = Option<LocaleCode>)]
    pub task_locale: Option<String>,
}

/// Weekly schedule in a time zone; days not listed are closed.
#[derive(Serialize, ToSchema)]
pub struct BusinessHoursDto {
    /// IANA time zone, e.g. `Europe/Moscow`.
    #[schema(min_length = 1)]
    pub time_zone: String,
    pub days: Vec<DayHoursDto>,
}

#[derive(Serialize, ToSchema)]
pub struct DayHoursDto {
    /// Each day at most once.
    #[schema(value_type = WeekdayCode)]
    pub day: String,
    /// `HH:MM`, from `00:00` to `24:00`.
    #[schema(pattern = "^[0-9]{2}:[0-9]{2}$", min_length = 5, max_length = 5)]
    pub open: String,
    /// `HH:MM`, after `open`, at most `24:00`.
    #[schema(pattern = "^[0-9]{2}:[0-9]{2}$", min_length = 5, max_length = 5)]
    pub close: String,
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub name_en: String,
    pub name_ru: String,
    #[schema(value_type = BusinessHoursDto)]
    pub business_hours: BusinessHours,
    pub show_in_support: bool,
    #[schema(value_type = LocaleCode)]
    pub task_locale: String,
    pub members: usize,
    /// Functions the department grants its members.
    pub functions: Vec<String>,
}

impl From<DepartmentView> for DepartmentDto {
    fn from(v: DepartmentView) -> Self {
        let d = v.department;
        DepartmentDto {
            id: d.id.to_string(),
            name_en: d.name_en,
            name_ru: d.name_ru,
            business_hours: d.business_hours,
            show_in_support: d.show_in_support,
            task_locale: d.task_locale.code().to_owned(),
            members: v.members,
            functions: v.functions,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentList {
    pub items: Vec<DepartmentDto>,
}

impl From<NewDepartmentBody> for DepartmentInput {
    fn from(b: NewDepartmentBody) -> Self {
        DepartmentInput {
            name_en: Some(b.name_en),
            name_ru: Some(b.name_ru),
            business_hours: b.business_hours,
            show_in_support: b.show_in_support,
            task_locale: b.task_locale,
        }
    }
}

impl From<DepartmentPatchBody> for DepartmentInput {
    fn from(b: DepartmentPatchBody) -> Self {
        DepartmentInput {
            name_en: b.name_en,
            name_ru: b.name_ru,
            business_hours: b.business_hours,
            show_in_support: b.show_in_support,
            task_locale: b.task_locale,
        }
    }
}

pub(super) fn parse_id(raw: &str) -> Result<DepartmentId, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

pub async fn list(Extension(app): AppExt, Caller(who): Caller) -> ApiResult<Json<DepartmentList>> {
    let items = app
        .list_departments(&who)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(DepartmentList { items }))
}

pub async fn show(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<DepartmentDto>> {
    Ok(Json(app.get_department(&who, parse_id(&id)?).await?.into()))
}

pub async fn create(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(body): ApiJson<NewDepartmentBody>,
) -> ApiResult<(StatusCode, Json<DepartmentDto>)> {
    let d = app.create_department(&who, body.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(app.get_department(&who, d.id).await?.into()),
    ))
}

pub async fn update(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DepartmentPatchBody>,
) -> ApiResult<Json<DepartmentDto>> {
    let id = parse_id(&id)?;
    app.update_department(&who, id, body.into()).await?;
    Ok(Json(app.get_department(&who, id).await?.into()))
}

pub async fn delete(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_department(&who, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn permissions(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PermissionTree>> {
    let nodes = app.department_permissions(&who, parse_id(&id)?).await?;
    Ok(Json(PermissionTree::from_nodes(nodes, false)))
}

pub async fn change_permissions(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GrantChangeBody>,
) -> ApiResult<Json<PermissionTree>> {
    let nodes = app
        .change_department_permissions(&who, parse_id(&id)?, body.into())
        .await?;
    Ok(Json(PermissionTree::from_nodes(nodes, false)))
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/departments", f::DEPARTMENT_LIST,
        Doc::new("departments", "Departments with their member counts and functions").returns::<DepartmentList>(200), list)
    .op(M::POST, "/api/v1/departments", f::DEPARTMENT_CREATE,
        Doc::new("departments", "Add a department (it grants no function until permissions are set)")
            .body::<NewDepartmentBody>().returns::<DepartmentDto>(201)
            .conflict("A department with this name exists (`department_name_taken`)"), create)
    .op(M::GET, "/api/v1/departments/{id}", f::DEPARTMENT_LIST,
        Doc::new("departments", "One department").returns::<DepartmentDto>(200), show)
    .op(M::PATCH, "/api/v1/departments/{id}", f::DEPARTMENT_EDIT,
        Doc::new("departments", "Edit a department").body::<DepartmentPatchBody>().returns::<DepartmentDto>(200)
            .conflict("A department with this name exists (`department_name_taken`)"), update)
    .op(M::DELETE, "/api/v1/departments/{id}", f::DEPARTMENT_DELETE,
        Doc::new("departments", "Delete a department").no_content(), delete)
    .op(M::GET, "/api/v1/departments/{id}/permissions", f::DEPARTMENT_PERMISSIONS,
        Doc::new("departments", "The department's permission tree").returns::<PermissionTree>(200), permissions)
    .op(M::POST, "/api/v1/departments/{id}/permissions", f::DEPARTMENT_PERMISSIONS,
        Doc::new("departments", "Enable or disable functions or whole sections")
            .body::<GrantChangeBody>().returns::<PermissionTree>(200), change_permissions)
}
