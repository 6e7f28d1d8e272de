//! The e-mail outbox repository (`outbox_emails`).
//!
//! Claiming is the one statement that differs by dialect. On PostgreSQL the due rows are
//! picked with `FOR UPDATE SKIP LOCKED`, so any number of workers on any number of instances
//! claim disjoint sets without waiting on each other; on SQLite the write transaction
//! (`BEGIN IMMEDIATE`) already excludes every other writer, and the clause does not exist.
//! Every outcome is written only while the caller still holds the lease it was given: the
//! lease's end instant is compared as a fencing token.

use crate::db::{IntoVal, Row, Val};
use crate::repos::SqlTx;
use crate::rows::{at, int, opt_at, opt_parsed, opt_text, parsed, text};
use crate::{Dialect, map_err};
use async_trait::async_trait;
use bursar_app::ports::{
    Attachment, MailId, MailRecord, NewMailRecord, Outbox, StoreError, StoreResult,
};
use jiff::Timestamp;
// Dynamic SQL here is built only from this file's constants; every value is bound.
use sqlx::AssertSqlSafe;

const COLUMNS: &str = "id, dedupe_key, client_id, to_address, to_name, locale, template, params, \
                       subject, body, status, attempts, next_attempt_at, leased_until, \
                       last_error, created_at, sent_at";

fn mail_from(r: &Row) -> StoreResult<MailRecord> {
    let params = serde_json::from_str(&text(r, "params")?)
        .map_err(|e| StoreError::Other(format!("column params: {e}")))?;
    Ok(MailRecord {
        id: parsed(r, "id")?,
        dedupe_key: opt_text(r, "dedupe_key")?,
        client_id: opt_parsed(r, "client_id")?,
        to_address: text(r, "to_address")?,
        to_name: opt_text(r, "to_name")?,
        locale: parsed(r, "locale")?,
        template: text(r, "template")?,
        params,
        subject: text(r, "subject")?,
        body: text(r, "body")?,
        status: parsed(r, "status")?,
        attempts: int(r, "attempts")?,
        next_attempt_at: at(r, "next_attempt_at")?,
        leased_until: opt_at(r, "leased_until")?,
        last_error: opt_text(r, "last_error")?,
        created_at: at(r, "created_at")?,
        sent_at: opt_at(r, "sent_at")?,
    })
}

/// Once a mail is sent or given up, a one-time secret in it (the password reset link) is not
/// kept: only the mail's recipient may hold it, and the token's digest alone stays in the
/// database, so reading the database (a backup, a replica) gives no way into an account.
const FORGET_SECRETS: &str = "body = CASE WHEN template = 'password_reset' \
     THEN '(a one-time link, not kept once sent)' ELSE body END, \
     params = CASE WHEN template = 'password_reset' THEN '{}' ELSE params END";

impl SqlTx {
    /// Runs an outcome update guarded by the lease; `true` when the lease was still held.
    async fn update_leased(
        &mut self,
        set: &str,
        id: MailId,
        lease: Timestamp,
        values: Vec<Val>,
    ) -> StoreResult<bool> {
        let n = values.len();
        let sql = format!(
            "UPDATE outbox_emails SET {set}, leased_until = NULL \
             WHERE id = ${} AND status = 'sending' AND leased_until = ${}",
            n + 1,
            n + 2
        );
        let mut query = crate::db::query(AssertSqlSafe(sql));
        for v in values {
            query = query.bind(v);
        }
        let done = query
            .bind(id)
            .bind(lease)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }
}

#[async_trait]
impl Outbox for SqlTx {
    async fn enqueue_mail(&mut self, m: &NewMailRecord) -> StoreResult<bool> {
        let params =
            serde_json::to_string(&m.params).map_err(|e| StoreError::Other(e.to_string()))?;
        // DO NOTHING rather than a unique violation: on PostgreSQL a violation would abort the
        // caller's whole transaction.
        let done = crate::db::query(
            "INSERT INTO outbox_emails (id, dedupe_key, client_id, to_address, to_name, locale, \
             template, params, subject, body, status, attempts, next_attempt_at, leased_until, \
             last_error, created_at, sent_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', 0, $11, NULL, NULL, $12, NULL) \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(m.id)
        .bind(m.dedupe_key.clone())
        .bind(m.client_id)
        .bind(&m.to_address)
        .bind(m.to_name.clone())
        .bind(m.locale.code())
        .bind(&m.template)
        .bind(params)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(m.next_attempt_at)
        .bind(m.created_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        let queued = done.rows_affected() == 1;
        if queued {
            for (position, a) in (0i64..).zip(&m.attachments) {
                crate::db::query(
                    "INSERT INTO outbox_attachments (mail_id, position, filename, content_type, bytes) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(m.id)
                .bind(position)
                .bind(&a.filename)
                .bind(&a.content_type)
                .bind(a.bytes.clone())
                .execute(&mut self.tx)
                .await
                .map_err(map_err)?;
            }
        }
        Ok(queued)
    }

    async fn mail_attachments(&mut self, id: MailId) -> StoreResult<Vec<Attachment>> {
        let rows = crate::db::query(
            "SELECT filename, content_type, bytes FROM outbox_attachments WHERE mail_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Attachment {
                    filename: text(r, "filename")?,
                    content_type: text(r, "content_type")?,
                    bytes: r
                        .try_get::<Vec<u8>>("bytes")
                        .map_err(|e| StoreError::Other(format!("column bytes: {e}")))?,
                })
            })
            .collect()
    }

    async fn claim_due_mail(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<MailRecord>> {
        let lock = match self.dialect {
            Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
            Dialect::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox_emails SET status = 'sending', leased_until = $1 \
             WHERE id IN (SELECT id FROM outbox_emails \
                 WHERE (status = 'pending' AND next_attempt_at <= $2) \
                    OR (status = 'sending' AND leased_until <= $2) \
                 ORDER BY next_attempt_at, id LIMIT $3 {lock}) \
             RETURNING {COLUMNS}"
        );
        let rows = crate::db::query(AssertSqlSafe(sql))
            .bind(lease_until)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        let mut mails = rows
            .iter()
            .map(mail_from)
            .collect::<StoreResult<Vec<_>>>()?;
        // RETURNING has no order of its own.
        mails.sort_by_key(|m| (m.next_attempt_at, m.id));
        Ok(mails)
    }

    async fn mark_mail_sent(
        &mut self,
        id: MailId,
        lease: Timestamp,
        at: Timestamp,
    ) -> StoreResult<bool> {
        let set =
            format!("status = 'sent', attempts = attempts + 1, sent_at = $1, {FORGET_SECRETS}");
        self.update_leased(&set, id, lease, vec![at.into_val()])
            .await
    }

    async fn mark_mail_failed_retry(
        &mut self,
        id: MailId,
        lease: Timestamp,
        next_attempt_at: Timestamp,
        error: &str,
    ) -> StoreResult<bool> {
        self.update_leased(
            "status = 'pending', attempts = attempts + 1, next_attempt_at = $1, last_error = $2",
            id,
            lease,
            vec![next_attempt_at.into_val(), error.into_val()],
        )
        .await
    }

    async fn mark_mail_dead(
        &mut self,
        id: MailId,
        lease: Timestamp,
        error: &str,
    ) -> StoreResult<bool> {
        let set = format!(
            "status = 'failed', attempts = attempts + 1, last_error = $1, {FORGET_SECRETS}"
        );
        self.update_leased(&set, id, lease, vec![error.into_val()])
            .await
    }

    async fn release_mail(&mut self, id: MailId, lease: Timestamp) -> StoreResult<bool> {
        self.update_leased("status = 'pending'", id, lease, Vec::new())
            .await
    }

    async fn mail_by_id(&mut self, id: MailId) -> StoreResult<Option<MailRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM outbox_emails WHERE id = $1");
        let row = crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(mail_from).transpose()
    }
}
