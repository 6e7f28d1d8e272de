//! Departments, their grants, and employees' departments, individual grants and avatars.

use crate::db::{IntoVal, Row, Val};
use crate::map_err;
use crate::repos::{SqlTx, USER_COLUMNS, user_from};
use crate::rows::{at, flag, int, parsed, text};
use async_trait::async_trait;
use bursar_app::ports::{
    DepartmentRecord, Departments, Page, PasswordResets, Staff, StaffFilter, StoreError,
    StoreResult, UserRecord,
};
use bursar_domain::{DepartmentId, UserId};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;

fn department_from(r: &Row) -> StoreResult<DepartmentRecord> {
    let hours = serde_json::from_str(&text(r, "business_hours")?)
        .map_err(|e| StoreError::Other(format!("column business_hours: {e}")))?;
    Ok(DepartmentRecord {
        id: parsed(r, "id")?,
        name_en: text(r, "name_en")?,
        name_ru: text(r, "name_ru")?,
        business_hours: hours,
        show_in_support: flag(r, "show_in_support")?,
        task_locale: parsed(r, "task_locale")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

const DEPARTMENT_COLUMNS: &str =
    "id, name_en, name_ru, business_hours, show_in_support, task_locale, created_at, updated_at";

fn hours_json(d: &DepartmentRecord) -> StoreResult<String> {
    serde_json::to_string(&d.business_hours).map_err(|e| StoreError::Other(e.to_string()))
}

#[async_trait]
impl Departments for SqlTx {
    async fn insert_department(&mut self, d: &DepartmentRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO departments (id, name_en, name_ru, business_hours, show_in_support, task_locale, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(d.id)
        .bind(&d.name_en)
        .bind(&d.name_ru)
        .bind(hours_json(d)?)
        .bind(d.show_in_support)
        .bind(d.task_locale.code())
        .bind(d.created_at)
        .bind(d.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn update_department(&mut self, d: &DepartmentRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE departments SET name_en = $1, name_ru = $2, business_hours = $3, show_in_support = $4, \
             task_locale = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(&d.name_en)
        .bind(&d.name_ru)
        .bind(hours_json(d)?)
        .bind(d.show_in_support)
        .bind(d.task_locale.code())
        .bind(d.updated_at)
        .bind(d.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_department(&mut self, id: DepartmentId) -> StoreResult<()> {
        self.execute_with("DELETE FROM departments WHERE id = $1", id)
            .await
    }

    async fn department_by_id(
        &mut self,
        id: DepartmentId,
    ) -> StoreResult<Option<DepartmentRecord>> {
        let sql = format!("SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE id = $1");
        let row = crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(department_from).transpose()
    }

    async fn list_departments(&mut self) -> StoreResult<Vec<DepartmentRecord>> {
        let sql = format!("SELECT {DEPARTMENT_COLUMNS} FROM departments ORDER BY name_en, id");
        let rows = crate::db::query(AssertSqlSafe(sql))
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        rows.iter().map(department_from).collect()
    }

    async fn count_departments(&mut self) -> StoreResult<i64> {
        let row = crate::db::query("SELECT COUNT(*) AS n FROM departments")
            .fetch_one(&mut self.tx)
            .await
            .map_err(map_err)?;
        int(&row, "n")
    }

    async fn department_grants(&mut self, id: DepartmentId) -> StoreResult<Vec<String>> {
        let rows = crate::db::query(
            "SELECT function FROM department_grants WHERE department_id = $1 ORDER BY function",
        )
        .bind(id)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter().map(|r| text(r, "function")).collect()
    }

    async fn set_department_grant(
        &mut self,
        id: DepartmentId,
        function: &str,
        on: bool,
        now: Timestamp,
    ) -> StoreResult<()> {
        let query = if on {
            crate::db::query(
                "INSERT INTO department_grants (department_id, function, granted_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (department_id, function) DO NOTHING",
            )
            .bind(id)
            .bind(function)
            .bind(now)
        } else {
            crate::db::query(
                "DELETE FROM department_grants WHERE department_id = $1 AND function = $2",
            )
            .bind(id)
            .bind(function)
        };
        query.execute(&mut self.tx).await.map_err(map_err)?;
        Ok(())
    }

    async fn department_members(&mut self, id: DepartmentId) -> StoreResult<Vec<UserId>> {
        let rows =
            crate::db::query("SELECT user_id FROM staff_departments WHERE department_id = $1")
                .bind(id)
                .fetch_all(&mut self.tx)
                .await
                .map_err(map_err)?;
        rows.iter().map(|r| parsed(r, "user_id")).collect()
    }
}

#[async_trait]
impl Staff for SqlTx {
    async fn list_staff(
        &mut self,
        f: &StaffFilter,
        page: Page,
    ) -> StoreResult<(Vec<UserRecord>, i64)> {
        let mut conds = vec!["kind = 'staff'".to_owned()];
        let mut values: Vec<Val> = Vec::new();
        if let Some(t) = f
            .text
            .as_ref()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
        {
            // The typed text is matched literally: its own % and _ are not wildcards.
            let literal = t
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            values.push(format!("%{literal}%").into_val());
            let n = values.len();
            conds.push(format!(
                "(LOWER(login) LIKE ${n} ESCAPE '\\' OR LOWER(name) LIKE ${n} ESCAPE '\\' \
                 OR LOWER(COALESCE(email, '')) LIKE ${n} ESCAPE '\\')"
            ));
        }
        if let Some(d) = f.department {
            values.push(d.into_val());
            conds.push(format!(
                "id IN (SELECT user_id FROM staff_departments WHERE department_id = ${})",
                values.len()
            ));
        }
        if let Some(active) = f.active {
            conds.push(if active {
                "is_active = TRUE".to_owned()
            } else {
                "is_active = FALSE".to_owned()
            });
        }
        let where_sql = conds.join(" AND ");
        let mut count = crate::db::query(AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM users WHERE {where_sql}"
        )));
        for v in &values {
            count = count.bind(v.clone());
        }
        let total = int(&count.fetch_one(&mut self.tx).await.map_err(map_err)?, "n")?;
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE {where_sql} ORDER BY login LIMIT {} OFFSET {}",
            page.size,
            page.offset()
        );
        let mut list = crate::db::query(AssertSqlSafe(sql));
        for v in &values {
            list = list.bind(v.clone());
        }
        let rows = list.fetch_all(&mut self.tx).await.map_err(map_err)?;
        Ok((
            rows.iter().map(user_from).collect::<StoreResult<_>>()?,
            total,
        ))
    }

    async fn update_user(&mut self, u: &UserRecord) -> StoreResult<()> {
        let email = u.email.as_ref().map(|e| e.as_str());
        self.ensure_identity_free(u.id, u.login.as_str(), email)
            .await?;
        crate::db::query(
            "UPDATE users SET email = $1, name = $2, name_ru = $3, phone = $4, locale = $5, full_access = $6, \
             is_active = $7, updated_at = $8, login = $9 WHERE id = $10",
        )
        .bind(u.email.as_ref().map(|e| e.as_str().to_owned()))
        .bind(u.name.as_str())
        .bind(u.name_ru.clone())
        .bind(u.phone.as_ref().map(|p| p.as_str().to_owned()))
        .bind(u.locale.code())
        .bind(u.full_access)
        .bind(u.is_active)
        .bind(u.updated_at)
        .bind(u.login.as_str())
        .bind(u.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        // A changed address, state or anything else about the account: links already sent
        // (perhaps to the old address) stop working.
        self.close_password_resets(u.id, u.updated_at).await
    }

    async fn delete_user(&mut self, id: UserId) -> StoreResult<()> {
        self.execute_with("DELETE FROM users WHERE id = $1", id)
            .await
    }

    async fn staff_departments(&mut self, user: UserId) -> StoreResult<Vec<DepartmentId>> {
        let rows = crate::db::query(
            "SELECT sd.department_id FROM staff_departments sd JOIN departments d ON d.id = sd.department_id \
             WHERE sd.user_id = $1 ORDER BY d.name_en",
        )
        .bind(user)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter().map(|r| parsed(r, "department_id")).collect()
    }

    async fn set_staff_departments(
        &mut self,
        user: UserId,
        departments: &[DepartmentId],
    ) -> StoreResult<()> {
        crate::db::query("DELETE FROM staff_departments WHERE user_id = $1")
            .bind(user)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        for d in departments {
            crate::db::query(
                "INSERT INTO staff_departments (user_id, department_id) VALUES ($1, $2)",
            )
            .bind(user)
            .bind(d)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }

    async fn inherited_grants(&mut self, user: UserId) -> StoreResult<Vec<(String, String)>> {
        let rows = crate::db::query(
            "SELECT d.name_en AS department, g.function FROM staff_departments sd \
             JOIN departments d ON d.id = sd.department_id \
             JOIN department_grants g ON g.department_id = sd.department_id WHERE sd.user_id = $1",
        )
        .bind(user)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| Ok((text(r, "department")?, text(r, "function")?)))
            .collect()
    }

    async fn set_user_grant(
        &mut self,
        user: UserId,
        function: &str,
        on: bool,
        now: Timestamp,
    ) -> StoreResult<()> {
        let query = if on {
            crate::db::query(
                "INSERT INTO user_grants (user_id, function, granted_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, function) DO NOTHING",
            )
            .bind(user)
            .bind(function)
            .bind(now)
        } else {
            crate::db::query("DELETE FROM user_grants WHERE user_id = $1 AND function = $2")
                .bind(user)
                .bind(function)
        };
        query.execute(&mut self.tx).await.map_err(map_err)?;
        Ok(())
    }

    async fn set_avatar(
        &mut self,
        user: UserId,
        content_type: &str,
        bytes: &[u8],
        now: Timestamp,
    ) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO user_avatars (user_id, content_type, bytes, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, \
             updated_at = excluded.updated_at",
        )
        .bind(user)
        .bind(content_type)
        .bind(bytes.to_vec())
        .bind(now)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_avatar(&mut self, user: UserId) -> StoreResult<bool> {
        let done = crate::db::query("DELETE FROM user_avatars WHERE user_id = $1")
            .bind(user)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn avatar(&mut self, user: UserId) -> StoreResult<Option<(String, Vec<u8>)>> {
        let row =
            crate::db::query("SELECT content_type, bytes FROM user_avatars WHERE user_id = $1")
                .bind(user)
                .fetch_optional(&mut self.tx)
                .await
                .map_err(map_err)?;
        row.map(|r| {
            let bytes: Vec<u8> = r.try_get("bytes").map_err(map_err)?;
            Ok((text(&r, "content_type")?, bytes))
        })
        .transpose()
    }

    async fn has_avatar(&mut self, user: UserId) -> StoreResult<bool> {
        let n = self
            .count(
                "SELECT COUNT(*) AS n FROM user_avatars WHERE user_id = $1",
                user,
            )
            .await?;
        Ok(n > 0)
    }
}
