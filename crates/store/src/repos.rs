//! The repositories of the storage port over one open transaction.

use crate::db::Row;
use crate::map_err;
use crate::rows::{at, flag, int, opt_at, opt_parsed, opt_text, parsed, text};
use async_trait::async_trait;
use bursar_app::ports::*;
use bursar_domain::history::Changes;
use bursar_domain::identity::{DisplayName, Email, Login};
use bursar_domain::staff::Phone;
use bursar_domain::{ApiTokenId, SessionId, UserId};
use jiff::Timestamp;
use std::collections::BTreeMap;
use uuid::Uuid;
// Dynamic SQL here is built only from this file's constants and numbered placeholders;
// every value is bound.
use crate::db::{DbTx, IntoVal, Val};
use sqlx::AssertSqlSafe;

pub(crate) struct SqlTx {
    pub tx: DbTx,
    /// For the few statements that differ by dialect (claiming with `SKIP LOCKED`).
    pub dialect: crate::Dialect,
}

impl SqlTx {
    /// Runs a one-value statement (`… WHERE id = $1`), as deletions are.
    pub(crate) async fn execute_with(
        &mut self,
        sql: &'static str,
        id: impl IntoVal + Send,
    ) -> StoreResult<()> {
        crate::db::query(sql)
            .bind(id)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    /// Runs a `SELECT COUNT(*) AS n … $1` query.
    pub(crate) async fn count(
        &mut self,
        sql: &'static str,
        id: impl IntoVal + Send,
    ) -> StoreResult<i64> {
        let row = crate::db::query(sql)
            .bind(id)
            .fetch_one(&mut self.tx)
            .await
            .map_err(map_err)?;
        int(&row, "n")
    }

    /// Sign-in accepts a login or an e-mail address, so the two share one namespace: the
    /// unique indexes keep logins apart and e-mails apart, and this keeps one user's login
    /// from being another user's e-mail (and the reverse). A clash is reported as the unique
    /// violation of the field being set, so it answers like any duplicate.
    pub(crate) async fn ensure_identity_free(
        &mut self,
        id: UserId,
        login: &str,
        email: Option<&str>,
    ) -> StoreResult<()> {
        let row = crate::db::query(
            "SELECT \
               COALESCE(SUM(CASE WHEN email = $2 THEN 1 ELSE 0 END), 0) AS login_clash, \
               COALESCE(SUM(CASE WHEN login = $3 THEN 1 ELSE 0 END), 0) AS email_clash \
             FROM users WHERE id <> $1 AND (email = $2 OR login = $3)",
        )
        .bind(id)
        .bind(login)
        .bind(email.map(str::to_owned))
        .fetch_one(&mut self.tx)
        .await
        .map_err(map_err)?;
        if int(&row, "login_clash")? > 0 {
            // Where the e-mail is the login, it is the e-mail that is taken.
            let field = if email == Some(login) {
                "email"
            } else {
                "login"
            };
            return Err(StoreError::Unique {
                constraint: format!("users_{field}_key"),
            });
        }
        if int(&row, "email_clash")? > 0 {
            return Err(StoreError::Unique {
                constraint: "users_email_key".into(),
            });
        }
        Ok(())
    }
}

#[async_trait]
impl Tx for SqlTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.commit().await.map_err(map_err)
    }
}

/// An id the port carries as text (attempt logs, reset links), for a `uuid` column.
fn uuid_of(id: &str) -> StoreResult<uuid::Uuid> {
    uuid::Uuid::parse_str(id).map_err(|e| StoreError::Other(format!("not an id {id:?}: {e}")))
}

pub(crate) const USER_COLUMNS: &str = "id, kind, client_id, login, email, name, name_ru, phone, locale, \
                            password_hash, full_access, is_main, is_active, created_at, updated_at";

pub(crate) fn user_from(row: &Row) -> StoreResult<UserRecord> {
    Ok(UserRecord {
        id: parsed(row, "id")?,
        kind: parsed(row, "kind")?,
        client_id: opt_parsed(row, "client_id")?,
        login: Login::from_trusted(text(row, "login")?),
        email: opt_text(row, "email")?.map(Email::from_trusted),
        name: DisplayName::from_trusted(text(row, "name")?),
        name_ru: opt_text(row, "name_ru")?,
        phone: opt_text(row, "phone")?.map(Phone::from_trusted),
        locale: parsed(row, "locale")?,
        password_hash: text(row, "password_hash")?,
        full_access: flag(row, "full_access")?,
        is_main: flag(row, "is_main")?,
        is_active: flag(row, "is_active")?,
        created_at: at(row, "created_at")?,
        updated_at: at(row, "updated_at")?,
    })
}

#[async_trait]
impl Users for SqlTx {
    async fn insert_user(&mut self, u: &UserRecord) -> StoreResult<()> {
        let email = u.email.as_ref().map(|e| e.as_str());
        self.ensure_identity_free(u.id, u.login.as_str(), email)
            .await?;
        crate::db::query(
            "INSERT INTO users (id, kind, client_id, login, email, name, name_ru, phone, locale, \
             password_hash, full_access, is_main, is_active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(u.id)
        .bind(u.kind.as_str())
        .bind(u.client_id)
        .bind(u.login.as_str())
        .bind(u.email.as_ref().map(|e| e.as_str().to_owned()))
        .bind(u.name.as_str())
        .bind(u.name_ru.clone())
        .bind(u.phone.as_ref().map(|p| p.as_str().to_owned()))
        .bind(u.locale.code())
        .bind(&u.password_hash)
        .bind(u.full_access)
        .bind(u.is_main)
        .bind(u.is_active)
        .bind(u.created_at)
        .bind(u.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn user_by_id(&mut self, id: UserId) -> StoreResult<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row = crate::db::query(AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(user_from).transpose()
    }

    async fn user_by_login_or_email(&mut self, ident: &str) -> StoreResult<Option<UserRecord>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE login = $1 OR email = $1 \
             ORDER BY CASE WHEN login = $1 THEN 0 ELSE 1 END LIMIT 1"
        );
        let row = crate::db::query(AssertSqlSafe(sql.clone()))
            .bind(ident)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(user_from).transpose()
    }

    async fn taken(
        &mut self,
        login: Option<&str>,
        email: Option<&str>,
    ) -> StoreResult<(bool, bool)> {
        let count = |sql: &'static str, value: Option<&str>| {
            crate::db::query(sql).bind(value.unwrap_or_default().to_owned())
        };
        let login_n = match login {
            None => 0,
            Some(_) => int(
                &count("SELECT COUNT(*) AS n FROM users WHERE login = $1", login)
                    .fetch_one(&mut self.tx)
                    .await
                    .map_err(map_err)?,
                "n",
            )?,
        };
        let email_n = match email {
            None => 0,
            Some(_) => int(
                &count("SELECT COUNT(*) AS n FROM users WHERE email = $1", email)
                    .fetch_one(&mut self.tx)
                    .await
                    .map_err(map_err)?,
                "n",
            )?,
        };
        Ok((login_n > 0, email_n > 0))
    }

    async fn update_user_password(
        &mut self,
        id: UserId,
        hash: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        crate::db::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now)
            .bind(id)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        self.close_password_resets(id, now).await
    }

    async fn update_user_locale(
        &mut self,
        id: UserId,
        locale: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        crate::db::query("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
            .bind(locale)
            .bind(now)
            .bind(id)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn count_full_access_staff(&mut self) -> StoreResult<i64> {
        let row = crate::db::query(
            "SELECT COUNT(*) AS n FROM users WHERE kind = 'staff' AND full_access = TRUE AND is_active = TRUE",
        )
        .fetch_one(&mut self.tx)
        .await
        .map_err(map_err)?;
        int(&row, "n")
    }

    async fn count_full_access_staff_locked(&mut self) -> StoreResult<i64> {
        // A no-op update takes the row locks portably (no FOR UPDATE in SQLite); a
        // transaction that waited on them counts afresh in its next statement.
        crate::db::query(
            "UPDATE users SET full_access = full_access \
             WHERE kind = 'staff' AND full_access = TRUE AND is_active = TRUE",
        )
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        self.count_full_access_staff().await
    }

    async fn user_grants(&mut self, id: UserId) -> StoreResult<Vec<String>> {
        let rows = crate::db::query("SELECT function FROM user_grants WHERE user_id = $1")
            .bind(id)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| text(r, "function")).collect()
    }
}

#[async_trait]
impl Sessions for SqlTx {
    async fn insert_session(&mut self, s: &SessionRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO sessions (id, user_id, token_hash, csrf_token, ip, user_agent, created_at, \
             last_seen_at, revoked_at, impersonator_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9)",
        )
        .bind(s.id)
        .bind(s.user_id)
        .bind(&s.token_hash)
        .bind(&s.csrf_token)
        .bind(s.ip.clone())
        .bind(s.user_agent.clone())
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .bind(s.impersonator)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn session_by_token_hash(&mut self, hash: &str) -> StoreResult<Option<SessionRecord>> {
        let row = crate::db::query(
            "SELECT id, user_id, token_hash, csrf_token, ip, user_agent, created_at, last_seen_at, \
             revoked_at, impersonator_user_id FROM sessions WHERE token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(&mut self.tx)
        .await
        .map_err(map_err)?;
        row.map(|r| {
            Ok(SessionRecord {
                id: parsed(&r, "id")?,
                user_id: parsed(&r, "user_id")?,
                token_hash: text(&r, "token_hash")?,
                csrf_token: text(&r, "csrf_token")?,
                ip: opt_text(&r, "ip")?,
                user_agent: opt_text(&r, "user_agent")?,
                created_at: at(&r, "created_at")?,
                last_seen_at: at(&r, "last_seen_at")?,
                revoked_at: opt_at(&r, "revoked_at")?,
                impersonator: opt_parsed(&r, "impersonator_user_id")?,
            })
        })
        .transpose()
    }

    async fn touch_session(&mut self, id: SessionId, now: Timestamp) -> StoreResult<()> {
        crate::db::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn revoke_session(&mut self, id: SessionId, now: Timestamp) -> StoreResult<()> {
        crate::db::query(
            "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn revoke_user_sessions(
        &mut self,
        user: UserId,
        keep: Option<SessionId>,
        now: Timestamp,
    ) -> StoreResult<u64> {
        let done = crate::db::query(
            "UPDATE sessions SET revoked_at = $1 \
             WHERE (user_id = $2 OR impersonator_user_id = $2) AND revoked_at IS NULL \
             AND ($3 IS NULL OR id <> $3)",
        )
        .bind(now)
        .bind(user)
        .bind(keep)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn prune_user_sessions(
        &mut self,
        user: UserId,
        started_before: Timestamp,
    ) -> StoreResult<()> {
        crate::db::query(
            "DELETE FROM sessions WHERE user_id = $1 AND (revoked_at IS NOT NULL OR created_at < $2)",
        )
        .bind(user)
        .bind(started_before)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn revoke_impersonations_by(
        &mut self,
        employee: UserId,
        at: Timestamp,
    ) -> StoreResult<()> {
        crate::db::query(
            "UPDATE sessions SET revoked_at = $1 WHERE impersonator_user_id = $2 AND revoked_at IS NULL",
        )
        .bind(at)
        .bind(employee)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn forget_user_sessions(&mut self, user: UserId) -> StoreResult<()> {
        self.execute_with("DELETE FROM sessions WHERE user_id = $1", user)
            .await
    }
}

const TOKEN_COLUMNS: &str = "id, user_id, name, token_hash, prefix, scope, created_at, expires_at, last_used_at, revoked_at";

fn token_from(r: &Row) -> StoreResult<ApiTokenRecord> {
    let scope = opt_text(r, "scope")?
        .map(|s| serde_json::from_str::<Vec<String>>(&s))
        .transpose()
        .map_err(|e| StoreError::Other(format!("column scope: {e}")))?;
    Ok(ApiTokenRecord {
        id: parsed(r, "id")?,
        user_id: parsed(r, "user_id")?,
        name: text(r, "name")?,
        token_hash: text(r, "token_hash")?,
        prefix: text(r, "prefix")?,
        scope,
        created_at: at(r, "created_at")?,
        expires_at: opt_at(r, "expires_at")?,
        last_used_at: opt_at(r, "last_used_at")?,
        revoked_at: opt_at(r, "revoked_at")?,
    })
}

#[async_trait]
impl Tokens for SqlTx {
    async fn insert_token(&mut self, t: &ApiTokenRecord) -> StoreResult<()> {
        let scope = t
            .scope
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        crate::db::query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, scope, created_at, \
             expires_at, last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)",
        )
        .bind(t.id)
        .bind(t.user_id)
        .bind(&t.name)
        .bind(&t.token_hash)
        .bind(&t.prefix)
        .bind(scope)
        .bind(t.created_at)
        .bind(t.expires_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn token_by_hash(&mut self, hash: &str) -> StoreResult<Option<ApiTokenRecord>> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1");
        let row = crate::db::query(AssertSqlSafe(sql.clone()))
            .bind(hash)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(token_from).transpose()
    }

    async fn tokens_of_user(&mut self, user: UserId) -> StoreResult<Vec<ApiTokenRecord>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
        );
        let rows = crate::db::query(AssertSqlSafe(sql.clone()))
            .bind(user)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        rows.iter().map(token_from).collect()
    }

    async fn revoke_token(&mut self, id: ApiTokenId, now: Timestamp) -> StoreResult<()> {
        crate::db::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn touch_token(&mut self, id: ApiTokenId, now: Timestamp) -> StoreResult<()> {
        crate::db::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }
}

#[async_trait]
impl LoginFailures for SqlTx {
    async fn record_registration(
        &mut self,
        ip: &str,
        now: Timestamp,
        forget_before: Timestamp,
    ) -> StoreResult<String> {
        crate::db::query("DELETE FROM registrations WHERE at < $1")
            .bind(forget_before)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        let id = uuid::Uuid::now_v7();
        crate::db::query("INSERT INTO registrations (id, ip, at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(ip)
            .bind(now)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(id.to_string())
    }

    async fn forget_registration(&mut self, id: &str) -> StoreResult<()> {
        self.execute_with("DELETE FROM registrations WHERE id = $1", uuid_of(id)?)
            .await
    }

    async fn registrations_since(
        &mut self,
        ip: &str,
        since: Timestamp,
    ) -> StoreResult<(i64, Option<Timestamp>)> {
        let row = crate::db::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM registrations WHERE ip = $1 AND at > $2",
        )
        .bind(ip)
        .bind(since)
        .fetch_one(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok((int(&row, "n")?, opt_at(&row, "oldest")?))
    }

    async fn record_login_failure(
        &mut self,
        scope: &str,
        key: &str,
        now: Timestamp,
    ) -> StoreResult<String> {
        let id = uuid::Uuid::now_v7();
        crate::db::query("INSERT INTO login_failures (id, scope, key, at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(scope)
            .bind(key)
            .bind(now)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(id.to_string())
    }

    async fn forget_login_failures(&mut self, ids: &[String]) -> StoreResult<()> {
        for id in ids {
            crate::db::query("DELETE FROM login_failures WHERE id = $1")
                .bind(uuid_of(id)?)
                .execute(&mut self.tx)
                .await
                .map_err(map_err)?;
        }
        Ok(())
    }

    async fn login_failures_since(
        &mut self,
        scope: &str,
        key: &str,
        since: Timestamp,
    ) -> StoreResult<(i64, Option<Timestamp>)> {
        let row = crate::db::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures WHERE scope = $1 AND key = $2 AND at > $3",
        )
        .bind(scope)
        .bind(key)
        .bind(since)
        .fetch_one(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok((int(&row, "n")?, opt_at(&row, "oldest")?))
    }

    async fn clear_login_failures(&mut self, scope: &str, key: &str) -> StoreResult<()> {
        crate::db::query("DELETE FROM login_failures WHERE scope = $1 AND key = $2")
            .bind(scope)
            .bind(key)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn prune_login_failures(&mut self, before: Timestamp) -> StoreResult<()> {
        crate::db::query("DELETE FROM login_failures WHERE at < $1")
            .bind(before)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }
}

#[async_trait]
impl HistoryLog for SqlTx {
    async fn insert_history(&mut self, e: &HistoryRecord) -> StoreResult<()> {
        let changes =
            serde_json::to_string(&e.changes).map_err(|e| StoreError::Other(e.to_string()))?;
        crate::db::query(
            "INSERT INTO history (id, at, actor_user_id, actor_as_client_id, ip, object_kind, \
             object_id, client_id, action, function, changes, actor_login) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(e.id)
        .bind(e.at)
        .bind(e.actor_user_id)
        .bind(e.actor_as_client_id)
        .bind(e.ip.clone())
        .bind(&e.object_kind)
        .bind(&e.object_id)
        .bind(e.client_id)
        .bind(&e.action)
        .bind(&e.function)
        .bind(changes)
        .bind(e.actor_login.clone())
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn list_history(
        &mut self,
        f: &HistoryFilter,
        page: Page,
    ) -> StoreResult<(Vec<HistoryView>, i64)> {
        // Conditions with their values, numbered in order, so the same SQL serves both dialects.
        let mut conds: Vec<String> = Vec::new();
        let mut values: Vec<Val> = Vec::new();
        let mut add = |cond: &str, value: Val| {
            values.push(value);
            conds.push(cond.replace("{}", &format!("${}", values.len())));
        };
        if let Some(k) = &f.object_kind {
            add("h.object_kind = {}", k.clone().into_val());
        }
        if let Some(id) = &f.object_id {
            add("h.object_id = {}", id.clone().into_val());
        }
        if let Some(c) = f.client_id {
            add("h.client_id = {}", c.into_val());
        }
        if let Some(u) = f.actor_user_id {
            add("h.actor_user_id = {}", u.into_val());
        }
        if let Some(u) = f.involving_user {
            // Two values: the actor column is an id, the object id is text (objects of
            // other kinds have other keys, a currency's code).
            values.push(u.into_val());
            values.push(u.to_string().into_val());
            let (a, o) = (values.len() - 1, values.len());
            conds.push(format!(
                "(h.actor_user_id = ${a} OR (h.object_kind = 'user' AND h.object_id = ${o}))"
            ));
        }
        let where_sql = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };

        let count_sql = format!("SELECT COUNT(*) AS n FROM history h {where_sql}");
        let mut count = crate::db::query(AssertSqlSafe(count_sql.clone()));
        for v in &values {
            count = count.bind(v.clone());
        }
        let total = int(&count.fetch_one(&mut self.tx).await.map_err(map_err)?, "n")?;

        let list_sql = format!(
            "SELECT h.id, h.at, h.actor_user_id, COALESCE(u.login, h.actor_login) AS actor_login, \
             u.name AS actor_name, u.name_ru AS actor_name_ru, h.actor_as_client_id, h.ip, \
             h.object_kind, h.object_id, h.client_id, h.action, h.function, h.changes \
             FROM history h LEFT JOIN users u ON u.id = h.actor_user_id {where_sql} \
             ORDER BY h.at DESC, h.id DESC LIMIT {} OFFSET {}",
            page.size,
            page.offset()
        );
        let mut list = crate::db::query(AssertSqlSafe(list_sql.clone()));
        for v in &values {
            list = list.bind(v.clone());
        }
        let rows = list.fetch_all(&mut self.tx).await.map_err(map_err)?;
        let items = rows
            .iter()
            .map(|r| {
                let changes: Changes = serde_json::from_str(&text(r, "changes")?)
                    .map_err(|e| StoreError::Other(format!("column changes: {e}")))?;
                Ok(HistoryView {
                    id: parsed(r, "id")?,
                    at: at(r, "at")?,
                    actor_user_id: opt_parsed(r, "actor_user_id")?,
                    actor_login: opt_text(r, "actor_login")?,
                    actor_name: opt_text(r, "actor_name")?.map(|en| Name {
                        en,
                        ru: opt_text(r, "actor_name_ru").ok().flatten(),
                    }),
                    actor_as_client_id: opt_parsed(r, "actor_as_client_id")?,
                    by_hidden_staff: false,
                    ip: opt_text(r, "ip")?,
                    object_kind: text(r, "object_kind")?,
                    object_id: text(r, "object_id")?,
                    client_id: opt_parsed(r, "client_id")?,
                    action: text(r, "action")?,
                    function: text(r, "function")?,
                    changes,
                    names: BTreeMap::new(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((items, total))
    }

    async fn record_names(&mut self, ids: &[Uuid]) -> StoreResult<BTreeMap<String, Name>> {
        /// Tables whose records history names, with the columns people know them by (English,
        /// Russian where there is one).
        const NAMED: [(&str, &str, &str); 12] = [
            ("users", "name", "name_ru"),
            ("clients", "name", "NULL"),
            ("departments", "name_en", "name_ru"),
            ("providers", "name", "NULL"),
            ("companies", "name", "NULL"),
            ("client_groups", "name", "NULL"),
            ("payers", "name", "NULL"),
            ("payment_methods", "name_en", "name_ru"),
            ("tariffs", "name_en", "name_ru"),
            ("product_types", "name_en", "name_ru"),
            ("enumerations", "name_en", "name_ru"),
            ("processing_modules", "name", "NULL"),
        ];
        let mut names = BTreeMap::new();
        if ids.is_empty() {
            return Ok(names);
        }
        let list = (1..=ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        for (table, en, ru) in NAMED {
            let sql = format!(
                "SELECT id, {en} AS name, {ru} AS name_ru FROM {table} WHERE id IN ({list})"
            );
            let mut q = crate::db::query(AssertSqlSafe(sql));
            for id in ids {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&mut self.tx).await.map_err(map_err)? {
                let name = Name {
                    en: text(&r, "name")?,
                    ru: opt_text(&r, "name_ru")?,
                };
                names.insert(text(&r, "id")?, name);
            }
        }
        Ok(names)
    }
}

#[async_trait]
impl PasswordResets for SqlTx {
    async fn insert_password_reset(&mut self, r: &PasswordResetRecord) -> StoreResult<()> {
        // Links long dead are of no use to anyone.
        crate::db::query("DELETE FROM password_resets WHERE expires_at < $1")
            .bind(r.created_at - jiff::SignedDuration::from_hours(24))
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        crate::db::query(
            "INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at, used_at) \
             VALUES ($1, $2, $3, $4, $5, NULL)",
        )
        .bind(uuid_of(&r.id)?)
        .bind(r.user_id)
        .bind(&r.token_hash)
        .bind(r.created_at)
        .bind(r.expires_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn password_reset_by_hash(
        &mut self,
        hash: &str,
    ) -> StoreResult<Option<PasswordResetRecord>> {
        let row = crate::db::query(
            "SELECT id, user_id, token_hash, created_at, expires_at, used_at \
             FROM password_resets WHERE token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(&mut self.tx)
        .await
        .map_err(map_err)?;
        row.map(|r| {
            Ok(PasswordResetRecord {
                id: text(&r, "id")?,
                user_id: parsed(&r, "user_id")?,
                token_hash: text(&r, "token_hash")?,
                created_at: at(&r, "created_at")?,
                expires_at: at(&r, "expires_at")?,
                used_at: opt_at(&r, "used_at")?,
            })
        })
        .transpose()
    }

    async fn use_password_reset(&mut self, hash: &str, now: Timestamp) -> StoreResult<bool> {
        let done = crate::db::query(
            "UPDATE password_resets SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(hash)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn close_password_resets(&mut self, user: UserId, now: Timestamp) -> StoreResult<()> {
        crate::db::query(
            "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn password_resets_since(&mut self, user: UserId, since: Timestamp) -> StoreResult<i64> {
        let row = crate::db::query(
            "SELECT COUNT(*) AS n FROM password_resets WHERE user_id = $1 AND created_at > $2",
        )
        .bind(user)
        .bind(since)
        .fetch_one(&mut self.tx)
        .await
        .map_err(map_err)?;
        int(&row, "n")
    }
}
