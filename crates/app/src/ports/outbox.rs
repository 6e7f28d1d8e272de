//! The e-mail outbox port. A use case queues a mail inside its own transaction
//! ([`Outbox::enqueue_mail`]), so the mail exists if and only if the change that caused it
//! was committed; no network IO happens inside a transaction. The job worker then claims due
//! mails with a lease, sends them after its claiming transaction has committed, and reports
//! the outcome.
//!
//! Invariants the store keeps:
//! - a mail is `sending` exactly while it holds a lease (`leased_until`); a lease that ran out
//!   (the worker died mid-send) makes the mail claimable again, so delivery is at least once;
//! - claiming never hands the same mail to two workers at once (PostgreSQL: `FOR UPDATE SKIP
//!   LOCKED`; SQLite: the write transaction is exclusive);
//! - the outcome of a send is recorded only by the holder of the current lease: the lease's
//!   end instant doubles as a fencing token, so a worker whose lease was taken over cannot
//!   overwrite the newer holder's result;
//! - a dedupe key, when given, is unique forever: queueing the same key again does nothing.
//!
//! Method names carry `mail` because every repository is joined into one [`super::Tx`], where
//! a bare `enqueue` or `claim_due` would collide with the job table's.

use async_trait::async_trait;
use bursar_domain::{ClientId, Locale};
use jiff::Timestamp;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

use super::StoreResult;

/// The id of a queued mail (UUIDv7, like every id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MailId(pub Uuid);

impl MailId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }
}

impl Default for MailId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for MailId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for MailId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

/// Where a mail is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailStatus {
    /// Waiting for `next_attempt_at`.
    Pending,
    /// Claimed by a worker until `leased_until`.
    Sending,
    Sent,
    /// Given up after the last retry or a permanent refusal.
    Failed,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Pending => "pending",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }
}

impl FromStr for MailStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(MailStatus::Pending),
            "sending" => Ok(MailStatus::Sending),
            "sent" => Ok(MailStatus::Sent),
            "failed" => Ok(MailStatus::Failed),
            other => Err(format!("unknown mail status {other:?}")),
        }
    }
}

/// A mail as queued: already rendered.
#[derive(Clone, Debug)]
pub struct NewMailRecord {
    pub id: MailId,
    pub dedupe_key: Option<String>,
    /// The client the mail concerns, so it shows on the client's card.
    pub client_id: Option<ClientId>,
    pub to_address: String,
    pub to_name: Option<String>,
    pub locale: Locale,
    /// Which template produced it, and with what (JSON), for the record.
    pub template: String,
    pub params: serde_json::Value,
    pub subject: String,
    /// Plain text.
    pub body: String,
    pub created_at: Timestamp,
    /// When it may first be sent (normally `created_at`).
    pub next_attempt_at: Timestamp,
    /// Files sent with it, stored as they are sent.
    pub attachments: Vec<super::Attachment>,
}

/// A mail as stored.
#[derive(Clone, Debug)]
pub struct MailRecord {
    pub id: MailId,
    pub dedupe_key: Option<String>,
    pub client_id: Option<ClientId>,
    pub to_address: String,
    pub to_name: Option<String>,
    pub locale: Locale,
    pub template: String,
    pub params: serde_json::Value,
    pub subject: String,
    pub body: String,
    pub status: MailStatus,
    /// Delivery attempts whose outcome was recorded.
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    /// Set exactly while `sending`; also the fencing token of the current lease.
    pub leased_until: Option<Timestamp>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

#[async_trait]
pub trait Outbox {
    /// Queues a mail in the caller's transaction. Returns `false`, writing nothing, when a
    /// mail with the same dedupe key exists already (without aborting the transaction).
    async fn enqueue_mail(&mut self, mail: &NewMailRecord) -> StoreResult<bool>;
    /// Leases up to `limit` mails that are due at `now` (pending and past `next_attempt_at`,
    /// or `sending` with a lease that ran out) until `lease_until`, oldest due first.
    async fn claim_due_mail(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<MailRecord>>;
    /// The lease holder delivered the mail. `false` when the lease was no longer held.
    async fn mark_mail_sent(
        &mut self,
        id: MailId,
        lease: Timestamp,
        at: Timestamp,
    ) -> StoreResult<bool>;
    /// The attempt failed; the mail waits until `next_attempt_at`.
    async fn mark_mail_failed_retry(
        &mut self,
        id: MailId,
        lease: Timestamp,
        next_attempt_at: Timestamp,
        error: &str,
    ) -> StoreResult<bool>;
    /// The attempt failed and there will be no other.
    async fn mark_mail_dead(
        &mut self,
        id: MailId,
        lease: Timestamp,
        error: &str,
    ) -> StoreResult<bool>;
    /// Gives a claimed mail back untried (the worker is stopping): no attempt is counted.
    async fn release_mail(&mut self, id: MailId, lease: Timestamp) -> StoreResult<bool>;
    async fn mail_by_id(&mut self, id: MailId) -> StoreResult<Option<MailRecord>>;
    /// The files queued with a mail, in order.
    async fn mail_attachments(&mut self, id: MailId) -> StoreResult<Vec<super::Attachment>>;
}
