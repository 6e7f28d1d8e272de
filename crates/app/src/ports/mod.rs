//! The storage port. A use case opens one transaction ([`Store::read`] or [`Store::write`]),
//! calls the repository methods it needs, and commits; dropping a transaction rolls it back,
//! so an early `?` never leaves anything half-written.
//!
//! The repositories are split per aggregate (users, sessions, tokens, history, …) and joined
//! in [`Tx`], which `bursar-store` implements once for both SQLite and PostgreSQL.

mod catalog;
mod clients;
mod counters;
mod mailer;
mod marketing;
mod money;
mod outbox;
mod rates;
mod records;
mod staff;
mod taxes;

pub use catalog::*;
pub use clients::*;
pub use counters::*;
pub use mailer::*;
pub use marketing::*;
pub use money::*;
pub use outbox::*;
pub use rates::*;
pub use records::*;
pub use staff::*;
pub use taxes::*;

use async_trait::async_trait;
use bursar_domain::{ApiTokenId, ClientId, ClientNumber, SessionId, UserId};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// Storage failures the use cases tell apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A named unique constraint refused the write.
    #[error("unique constraint {constraint} violated")]
    Unique { constraint: String },
    /// A transient lock/serialization conflict: the whole use case may be retried.
    #[error("database busy")]
    Busy,
    /// A row the write refers to is gone (a foreign key refused it): deleted meanwhile.
    #[error("foreign key {constraint} violated")]
    Missing { constraint: String },
    /// Anything else, said in words (a column that does not parse, a failed migration).
    #[error("{0}")]
    Other(String),
    /// Anything else the database driver reported, kept whole (it reads as the driver's own
    /// message, and its sources follow) so the log shows the whole chain.
    #[error(transparent)]
    Driver(Box<dyn std::error::Error + Send + Sync + 'static>),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait Store: Send + Sync {
    /// A transaction for reading (and small writes that never conflict).
    async fn read(&self) -> StoreResult<Box<dyn Tx>>;
    /// A write transaction: takes the write lock up front on SQLite (`BEGIN IMMEDIATE`), so
    /// two writers never deadlock upgrading a read lock.
    async fn write(&self) -> StoreResult<Box<dyn Tx>>;
    /// A write transaction at READ COMMITTED on PostgreSQL (`BEGIN IMMEDIATE` on SQLite),
    /// for steps whose correctness rests on single statements rather than on what they
    /// read: work-queue claims (`FOR UPDATE SKIP LOCKED`), compare-and-set on a leased row,
    /// appends to attempt logs that are counted after commit. Serializable isolation would
    /// only turn such parallel steps into needless conflicts.
    async fn relaxed(&self) -> StoreResult<Box<dyn Tx>>;
    /// A read-only transaction that sees one snapshot from its first statement to its end
    /// (`REPEATABLE READ READ ONLY` on PostgreSQL): for pages that show a sum or a total next
    /// to its parts.
    async fn snapshot(&self) -> StoreResult<Box<dyn Tx>>;
    /// The database answers a trivial query.
    async fn ping(&self) -> StoreResult<()>;
}

/// One open transaction with every repository.
#[async_trait]
pub trait Tx:
    Users
    + Clients
    + Sessions
    + Tokens
    + LoginFailures
    + HistoryLog
    + Departments
    + Staff
    + Outbox
    + Directory
    + ClientCards
    + Payers
    + ClientGroups
    + PasswordResets
    + Counters
    + Money
    + Catalog
    + Marketing
    + TaxRules
    + Rates
    + Send
{
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

#[async_trait]
pub trait Users {
    async fn insert_user(&mut self, user: &UserRecord) -> StoreResult<()>;
    async fn user_by_id(&mut self, id: UserId) -> StoreResult<Option<UserRecord>>;
    /// Finds an account by login or, failing that, by e-mail (both case-insensitive).
    async fn user_by_login_or_email(&mut self, ident: &str) -> StoreResult<Option<UserRecord>>;
    /// Which of a would-be login and e-mail another account already has: `(login, email)`.
    async fn taken(
        &mut self,
        login: Option<&str>,
        email: Option<&str>,
    ) -> StoreResult<(bool, bool)>;
    async fn update_user_password(
        &mut self,
        id: UserId,
        hash: &str,
        at: Timestamp,
    ) -> StoreResult<()>;
    async fn update_user_locale(
        &mut self,
        id: UserId,
        locale: &str,
        at: Timestamp,
    ) -> StoreResult<()>;
    async fn count_full_access_staff(&mut self) -> StoreResult<i64>;
    /// Counts the active full-access employees after locking their rows for the rest of
    /// the transaction, so two transactions that each remove one cannot both see another
    /// one left (PostgreSQL runs READ COMMITTED; SQLite writers are serial anyway).
    async fn count_full_access_staff_locked(&mut self) -> StoreResult<i64>;
    /// Functions granted to the user individually (client users, staff additions).
    async fn user_grants(&mut self, id: UserId) -> StoreResult<Vec<String>>;
}

#[async_trait]
pub trait Clients {
    async fn insert_client(&mut self, client: &ClientRecord) -> StoreResult<()>;
    async fn client_by_id(&mut self, id: ClientId) -> StoreResult<Option<ClientRecord>>;
    async fn client_id_by_number(&mut self, number: ClientNumber) -> StoreResult<Option<ClientId>>;
    async fn count_clients(&mut self) -> StoreResult<i64>;
}

#[async_trait]
pub trait Sessions {
    async fn insert_session(&mut self, session: &SessionRecord) -> StoreResult<()>;
    async fn session_by_token_hash(&mut self, hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn touch_session(&mut self, id: SessionId, at: Timestamp) -> StoreResult<()>;
    async fn revoke_session(&mut self, id: SessionId, at: Timestamp) -> StoreResult<()>;
    /// Revokes every live session of a user except `keep`, and every "log in as client"
    /// session the user opened as an employee; returns how many.
    async fn revoke_user_sessions(
        &mut self,
        user: UserId,
        keep: Option<SessionId>,
        at: Timestamp,
    ) -> StoreResult<u64>;
    /// Deletes the user's sessions that ended (revoked, or started before `started_before`),
    /// so the table keeps only what can still be used.
    async fn prune_user_sessions(
        &mut self,
        user: UserId,
        started_before: Timestamp,
    ) -> StoreResult<()>;
    /// Ends the "log in as client" sessions the employee opened.
    async fn revoke_impersonations_by(
        &mut self,
        employee: UserId,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// Deletes every session of the user, with the addresses and browsers they recorded.
    async fn forget_user_sessions(&mut self, user: UserId) -> StoreResult<()>;
}

/// A "forgot your password?" link as stored: the token's digest, never the token.
#[derive(Clone, Debug)]
pub struct PasswordResetRecord {
    pub id: String,
    pub user_id: UserId,
    pub token_hash: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

#[async_trait]
pub trait PasswordResets {
    async fn insert_password_reset(&mut self, reset: &PasswordResetRecord) -> StoreResult<()>;
    async fn password_reset_by_hash(
        &mut self,
        hash: &str,
    ) -> StoreResult<Option<PasswordResetRecord>>;
    /// Uses the link: `true` when it was unused and unexpired (and is now used), in one
    /// statement, so two parallel uses cannot both succeed.
    async fn use_password_reset(&mut self, hash: &str, now: Timestamp) -> StoreResult<bool>;
    /// Marks every open link of the user used (one was, or the account changed anyway).
    async fn close_password_resets(&mut self, user: UserId, at: Timestamp) -> StoreResult<()>;
    /// Links the user asked for since `since`, for the per-account limit.
    async fn password_resets_since(&mut self, user: UserId, since: Timestamp) -> StoreResult<i64>;
}

#[async_trait]
pub trait Tokens {
    async fn insert_token(&mut self, token: &ApiTokenRecord) -> StoreResult<()>;
    async fn token_by_hash(&mut self, hash: &str) -> StoreResult<Option<ApiTokenRecord>>;
    async fn tokens_of_user(&mut self, user: UserId) -> StoreResult<Vec<ApiTokenRecord>>;
    async fn revoke_token(&mut self, id: ApiTokenId, at: Timestamp) -> StoreResult<()>;
    async fn touch_token(&mut self, id: ApiTokenId, at: Timestamp) -> StoreResult<()>;
}

#[async_trait]
pub trait LoginFailures {
    /// Writes down a failure of `key` in `scope` (`login` or `ip`); returns the entry's id.
    async fn record_login_failure(
        &mut self,
        scope: &str,
        key: &str,
        at: Timestamp,
    ) -> StoreResult<String>;
    /// Removes the entries with these ids (an attempt that turned out not to be a failure).
    async fn forget_login_failures(&mut self, ids: &[String]) -> StoreResult<()>;
    /// Notes a self-registration from `ip`, forgetting those from before `forget_before`;
    /// returns the note's id.
    async fn record_registration(
        &mut self,
        ip: &str,
        at: Timestamp,
        forget_before: Timestamp,
    ) -> StoreResult<String>;
    /// Takes back a registration note (the registration did not happen).
    async fn forget_registration(&mut self, id: &str) -> StoreResult<()>;
    /// Self-registrations from `ip` since `since`: how many, and the oldest.
    async fn registrations_since(
        &mut self,
        ip: &str,
        since: Timestamp,
    ) -> StoreResult<(i64, Option<Timestamp>)>;
    /// Failures since `since`: how many, and when the oldest of them happened.
    async fn login_failures_since(
        &mut self,
        scope: &str,
        key: &str,
        since: Timestamp,
    ) -> StoreResult<(i64, Option<Timestamp>)>;
    async fn clear_login_failures(&mut self, scope: &str, key: &str) -> StoreResult<()>;
    async fn prune_login_failures(&mut self, before: Timestamp) -> StoreResult<()>;
}

#[async_trait]
pub trait HistoryLog {
    async fn insert_history(&mut self, entry: &HistoryRecord) -> StoreResult<()>;
    async fn list_history(
        &mut self,
        filter: &HistoryFilter,
        page: Page,
    ) -> StoreResult<(Vec<HistoryView>, i64)>;
    /// The names of the records with these ids, of the kinds history names: users, clients,
    /// departments, providers, companies, client groups, payers, payment methods and the
    /// catalog's records. Ids of other kinds are left out.
    async fn record_names(&mut self, ids: &[uuid::Uuid]) -> StoreResult<BTreeMap<String, Name>>;
}
