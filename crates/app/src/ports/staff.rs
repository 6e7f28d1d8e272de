//! Storage of departments, their grants, and employees' departments, individual grants and
//! avatars.

use super::{Page, StoreResult, UserRecord};
use async_trait::async_trait;
use bursar_domain::departments::BusinessHours;
use bursar_domain::{DepartmentId, Locale, UserId};
use jiff::Timestamp;

#[derive(Clone, Debug)]
pub struct DepartmentRecord {
    pub id: DepartmentId,
    pub name_en: String,
    pub name_ru: String,
    pub business_hours: BusinessHours,
    pub show_in_support: bool,
    pub task_locale: Locale,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, Default)]
pub struct StaffFilter {
    /// Matches login, name or e-mail (case-insensitive substring).
    pub text: Option<String>,
    pub department: Option<DepartmentId>,
    pub active: Option<bool>,
}

#[async_trait]
pub trait Departments {
    async fn insert_department(&mut self, d: &DepartmentRecord) -> StoreResult<()>;
    async fn update_department(&mut self, d: &DepartmentRecord) -> StoreResult<()>;
    async fn delete_department(&mut self, id: DepartmentId) -> StoreResult<()>;
    async fn department_by_id(&mut self, id: DepartmentId)
    -> StoreResult<Option<DepartmentRecord>>;
    async fn list_departments(&mut self) -> StoreResult<Vec<DepartmentRecord>>;
    async fn count_departments(&mut self) -> StoreResult<i64>;
    async fn department_grants(&mut self, id: DepartmentId) -> StoreResult<Vec<String>>;
    async fn set_department_grant(
        &mut self,
        id: DepartmentId,
        function: &str,
        on: bool,
        at: Timestamp,
    ) -> StoreResult<()>;
    async fn department_members(&mut self, id: DepartmentId) -> StoreResult<Vec<UserId>>;
}

#[async_trait]
pub trait Staff {
    async fn list_staff(
        &mut self,
        filter: &StaffFilter,
        page: Page,
    ) -> StoreResult<(Vec<UserRecord>, i64)>;
    /// Updates the editable profile fields of any user (names, e-mail, phone, flags).
    async fn update_user(&mut self, user: &UserRecord) -> StoreResult<()>;
    async fn delete_user(&mut self, id: UserId) -> StoreResult<()>;
    async fn staff_departments(&mut self, user: UserId) -> StoreResult<Vec<DepartmentId>>;
    async fn set_staff_departments(
        &mut self,
        user: UserId,
        departments: &[DepartmentId],
    ) -> StoreResult<()>;
    /// (department name, function) for every grant the user inherits from a department.
    async fn inherited_grants(&mut self, user: UserId) -> StoreResult<Vec<(String, String)>>;
    async fn set_user_grant(
        &mut self,
        user: UserId,
        function: &str,
        on: bool,
        at: Timestamp,
    ) -> StoreResult<()>;
    async fn set_avatar(
        &mut self,
        user: UserId,
        content_type: &str,
        bytes: &[u8],
        at: Timestamp,
    ) -> StoreResult<()>;
    async fn avatar(&mut self, user: UserId) -> StoreResult<Option<(String, Vec<u8>)>>;
    /// Removes the user's avatar; whether there was one.
    async fn delete_avatar(&mut self, user: UserId) -> StoreResult<bool>;
    /// Whether the user has an avatar, without reading the image.
    async fn has_avatar(&mut self, user: UserId) -> StoreResult<bool>;
}
