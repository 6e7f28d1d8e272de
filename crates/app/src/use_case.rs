//! The one spine every write use case goes through: [`App::write`] authorises the caller
//! against the function registry, opens a write transaction, runs the use case's body,
//! writes the history entries the body noted, commits, and runs the whole thing again from
//! the start when the database reports a transient conflict.
//!
//! Why this is safe under parallel requests on both databases:
//! - SQLite write transactions begin `IMMEDIATE`: writers are serial, a body never decides on
//!   a read another writer is about to change.
//! - PostgreSQL write transactions run `SERIALIZABLE`: a body that read something a
//!   concurrent transaction changed fails with a serialization error (or a deadlock) instead
//!   of committing a lost update or a decision taken on a stale read. That error is
//!   [`AppError::Busy`], and the spine retries the body, which then sees the winner's commit
//!   and decides again: the loser of a race gets the 404 or 409 a sequential caller would.
//! - Invariants across rows that an index can state (a unique login, one default payer) are
//!   also unique indexes, so the database refuses a duplicate whatever the isolation.
//!
//! Money use cases run through [`App::write_locked`] instead: READ COMMITTED on PostgreSQL,
//! with the body's first act locking its personal account row (`Money::lock_account`), so
//! parallel credits to one account queue on that row rather than fail and retry. A money
//! use case may also carry an `Idempotency-Key` ([`Idempotency`]): the key is claimed in the
//! same transaction, and the answer is saved under it before commit, so a retry, even one
//! racing the first request, gets the first answer and moves no money.
//!
//! Bodies must therefore be re-runnable: everything they do goes through the transaction
//! (no mail sent, no IO), and anything expensive that does not read the database (password
//! hashing) happens before the call.

use crate::error::AppError;
use crate::history::Event;
use crate::ports::{KeyClaim, Tx};
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::functions::Function;
use bursar_domain::history::{Actor, Changes, ObjectRef};
use jiff::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// The future a use case's body returns; it borrows the [`Work`] it was given.
pub type Body<'w, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'w>>;

/// How long the spine keeps retrying a body that keeps losing races. Twenty writers of one
/// row commit one after the other in far less; past this the database is really overloaded
/// and the caller gets 503 `busy`.
const RETRY_BUDGET: Duration = Duration::from_secs(15);

/// A client-chosen key that makes a request safe to retry, with what the request asked for.
#[derive(Clone, Debug)]
pub struct Idempotency {
    key: String,
    request: String,
}

impl Idempotency {
    /// The `Idempotency-Key` as sent: 1 to 255 visible ASCII characters.
    pub fn parse(key: &str) -> Result<Idempotency, AppError> {
        let valid =
            !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic());
        if !valid {
            return Err(AppError::invalid(
                "Idempotency-Key",
                ErrorCode::InvalidIdempotencyKey,
                "must be 1 to 255 visible ASCII characters",
            ));
        }
        Ok(Idempotency {
            key: key.to_owned(),
            request: String::new(),
        })
    }

    /// Binds the key to what the request asks for (the use case's own rendering of its
    /// input): the same key with another request is refused.
    pub(crate) fn with_request(mut self, request: String) -> Idempotency {
        self.request = request;
        self
    }

    fn fingerprint(&self, function: &Function) -> String {
        let digest = Sha256::digest(format!("{}\n{}", function.key, self.request).as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// How a use case's answer is kept under its key and read back for a replay.
struct Replay<'a, T> {
    idempotency: &'a Idempotency,
    owner: uuid::Uuid,
    encode: fn(&T) -> Result<String, AppError>,
    decode: fn(&str) -> Result<T, AppError>,
}

fn encode<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::internal_in("idempotent answer", e))
}

fn decode<T: DeserializeOwned>(raw: &str) -> Result<T, AppError> {
    serde_json::from_str(raw).map_err(|e| AppError::internal_in("idempotent answer", e))
}

/// One attempt of a use case: the open transaction, the instant the use case happens at,
/// who does it, and the history entries it noted.
pub struct Work<'env> {
    tx: Box<dyn Tx>,
    now: Timestamp,
    actor: Actor,
    function: &'static Function,
    events: Vec<Event>,
    /// Ties the attempt to the caller's borrows (see [`App::write`]).
    _env: PhantomData<&'env ()>,
}

impl Work<'_> {
    /// The transaction; everything the body reads and writes goes through it.
    pub fn tx(&mut self) -> &mut dyn Tx {
        self.tx.as_mut()
    }

    /// The instant of the use case: the same in every attempt.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Notes a history entry under the use case's own function; written before commit.
    pub fn record(&mut self, object: ObjectRef, action: &'static str, changes: Changes) {
        let function = self.function;
        self.record_as(function, object, action, changes);
    }

    /// Notes a history entry under another function, for a change a use case makes as a
    /// consequence of its own (editing a client's e-mail moves its main user's).
    pub fn record_as(
        &mut self,
        function: &'static Function,
        object: ObjectRef,
        action: &'static str,
        changes: Changes,
    ) {
        self.events.push(Event {
            object,
            action,
            function,
            changes,
        });
    }

    async fn finish(self) -> Result<(), AppError> {
        let Work {
            mut tx,
            now,
            actor,
            events,
            ..
        } = self;
        for event in events {
            crate::history::record(tx.as_mut(), &actor, now, event).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// Runs a write use case for a signed-in caller: refuses (403) unless `who` holds
    /// `function`, then runs `body` as [`App::write_as`] does, with `who` as the actor.
    ///
    /// Bodies are closures `|w| Box::pin(async move { … })`; bind what they borrow from the
    /// caller to references first (`let input = &input;`), since the body may run again.
    pub(crate) async fn write<'env, T, F>(
        &'env self,
        who: &Principal,
        function: &'static Function,
        body: F,
    ) -> Result<T, AppError>
    where
        F: for<'w> FnMut(&'w mut Work<'env>) -> Body<'w, T> + Send,
        T: Send,
    {
        who.require(function)?;
        self.write_as(who.actor(), function, body).await
    }

    /// Runs a write use case without authorising: for the system (installation, the CLI)
    /// and the public forms (sign-in, registration, password reset), whose function every
    /// caller holds. One transaction per attempt; history noted by the body is written in
    /// it; transient conflicts retried from the start within [`RETRY_BUDGET`].
    pub(crate) async fn write_as<'env, T, F>(
        &'env self,
        actor: Actor,
        function: &'static Function,
        body: F,
    ) -> Result<T, AppError>
    where
        F: for<'w> FnMut(&'w mut Work<'env>) -> Body<'w, T> + Send,
        T: Send,
    {
        self.run(Kind::Write, actor, function, None, body).await
    }

    /// Runs a step that decides nothing on what it reads (a work-queue claim, a
    /// compare-and-set on a leased row, an append to an attempt log) in a relaxed
    /// transaction (see [`crate::ports::Store::relaxed`]), retried like a use case. Such
    /// steps are bookkeeping, not changes people make: the body notes no history.
    pub(crate) async fn write_relaxed<'env, T, F>(
        &'env self,
        function: &'static Function,
        body: F,
    ) -> Result<T, AppError>
    where
        F: for<'w> FnMut(&'w mut Work<'env>) -> Body<'w, T> + Send,
        T: Send,
    {
        self.run(Kind::Relaxed, Actor::system(), function, None, body)
            .await
    }

    /// Runs a money use case for a signed-in caller: authorised like [`App::write`], in a
    /// READ COMMITTED transaction on PostgreSQL whose body locks its account first (see the
    /// module comment), with history. With `idempotency`, the key is claimed in the same
    /// transaction and a repeat of the request gets the first answer back.
    pub(crate) async fn write_locked<'env, T, F>(
        &'env self,
        who: &Principal,
        function: &'static Function,
        idempotency: Option<&Idempotency>,
        body: F,
    ) -> Result<T, AppError>
    where
        F: for<'w> FnMut(&'w mut Work<'env>) -> Body<'w, T> + Send,
        T: Send + Serialize + DeserializeOwned,
    {
        who.require(function)?;
        let replay = idempotency.map(|idempotency| Replay {
            idempotency,
            owner: who.user.id.0,
            encode: encode::<T>,
            decode: decode::<T>,
        });
        self.run(Kind::Locked, who.actor(), function, replay, body)
            .await
    }

    async fn run<'env, T, F>(
        &'env self,
        kind: Kind,
        actor: Actor,
        function: &'static Function,
        replay: Option<Replay<'_, T>>,
        mut body: F,
    ) -> Result<T, AppError>
    where
        F: for<'w> FnMut(&'w mut Work<'env>) -> Body<'w, T> + Send,
        T: Send,
    {
        let now = self.now();
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            let outcome = async {
                let mut work = Work {
                    tx: match kind {
                        Kind::Write => self.store.write().await?,
                        Kind::Relaxed | Kind::Locked => self.store.relaxed().await?,
                    },
                    now,
                    actor: actor.clone(),
                    function,
                    events: Vec::new(),
                    _env: PhantomData,
                };
                if let Some(r) = &replay {
                    let fingerprint = r.idempotency.fingerprint(function);
                    let claim = work
                        .tx()
                        .claim_key(r.owner, &r.idempotency.key, &fingerprint, now)
                        .await?;
                    if let KeyClaim::Used {
                        fingerprint: used,
                        answer,
                    } = claim
                    {
                        if used != fingerprint {
                            return Err(AppError::invalid(
                                "Idempotency-Key",
                                ErrorCode::IdempotencyKeyReused,
                                "was already used for a different request",
                            ));
                        }
                        return (r.decode)(&answer);
                    }
                }
                let value = body(&mut work).await?;
                if let Some(r) = &replay {
                    let answer = (r.encode)(&value)?;
                    work.tx()
                        .save_key_answer(r.owner, &r.idempotency.key, &answer)
                        .await?;
                }
                work.finish().await?;
                Ok(value)
            }
            .await;
            match outcome {
                Err(AppError::Busy) if started.elapsed() < RETRY_BUDGET => {
                    attempt += 1;
                    tokio::time::sleep(backoff(attempt)).await;
                }
                other => return other,
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Write,
    Relaxed,
    /// READ COMMITTED, the body locks what it decides on (money).
    Locked,
}

/// Exponential backoff from 2 ms, capped at 100 ms, with full jitter so that the losers of
/// one race do not collide again in lockstep.
fn backoff(attempt: u32) -> Duration {
    let cap_ms = 2u64.saturating_mul(1 << attempt.min(6)).min(100);
    Duration::from_millis(rand::random_range(1..=cap_ms))
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn backoff_grows_and_stays_capped() {
        for attempt in 0..40 {
            let d = backoff(attempt);
            assert!(d >= Duration::from_millis(1) && d <= Duration::from_millis(100));
        }
        assert!((0..50).all(|_| backoff(1) <= Duration::from_millis(4)));
    }
}
