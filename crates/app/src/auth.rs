//! Signing in and out, and turning a session cookie or a bearer token back into a
//! [`Principal`] on every request.
//!
//! Failed sign-ins are counted in the database (not in memory) per login and per address,
//! so the limit holds across any number of server instances. Each attempt is written down
//! as a failure *before* the password is checked and only then are the failures counted, so
//! a burst of parallel guesses cannot all pass the check before any of them is recorded; a
//! successful attempt takes its entries back. The password check runs even for unknown
//! logins (against a dummy hash) so timing does not reveal which logins exist.

use crate::App;
use crate::error::AppError;
use crate::ports::{SessionRecord, Tx, UserRecord};
use crate::principal::{Principal, Via};
use crate::secrets::{digest, random_token};
use bursar_domain::SessionId;
use bursar_domain::access::{AccountKind, Rights};
use bursar_domain::functions::f;
use bursar_domain::history::{Actor, Changes};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;

/// Prefix of API token secrets, so leaked tokens are recognisable by secret scanners.
pub const TOKEN_PREFIX: &str = "bst_";
/// Sessions and tokens record activity at most this often, to spare a write per request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// How stale a session's recorded activity may get before a request records it again: at
/// most [`TOUCH_EVERY`], and at most a quarter of the idle timeout, so a session used at
/// least once per three quarters of the timeout never expires however short the timeout is
/// (with one minute: used at 35 s, recorded; used again at 70 s, still live).
pub(crate) fn session_touch_every(idle_timeout: SignedDuration) -> SignedDuration {
    TOUCH_EVERY.min(idle_timeout / 4)
}

pub struct LoginInput {
    /// Login or e-mail.
    pub ident: String,
    pub password: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The secret of a session the browser already had; it is revoked (session rotation).
    pub replaces: Option<String>,
}

pub struct LoginOutcome {
    /// The new session's secret, for the cookie or the `token` field of the API answer.
    pub secret: String,
    pub principal: Principal,
}

impl App {
    pub async fn login(&self, input: LoginInput) -> Result<LoginOutcome, AppError> {
        let ident = input.ident.trim().to_lowercase();
        if ident.is_empty() || input.password.is_empty() {
            return Err(AppError::BadCredentials);
        }
        let now = self.now();
        let ip_key = input.ip.clone().unwrap_or_default();
        let attempt = self.reserve_attempt(&ident, &ip_key, now).await?;
        let user = {
            let mut tx = self.store.read().await?;
            let over = self.over_limit(tx.as_mut(), &ident, &ip_key, now).await;
            let user = tx.user_by_login_or_email(&ident).await?;
            tx.commit().await?;
            if let Err(refusal) = over {
                // A refused attempt is not a guess: it does not extend the lockout.
                self.take_back(&attempt).await?;
                return Err(refusal);
            }
            user
        };
        let verified = self
            .passwords
            .verify(
                &input.password,
                user.as_ref().map(|u| u.password_hash.as_str()),
            )
            .await?;
        let user = match user {
            Some(user) if verified => user,
            // The reserved entries stay: they are the record of this failure.
            _ => return Err(AppError::BadCredentials),
        };
        if !user.is_active {
            self.take_back(&attempt).await?;
            return Err(AppError::AccountDisabled);
        }
        self.open_session(&user, &ident, &attempt, &input, now)
            .await
    }

    /// Writes the attempt down as a failure of the login and of the address, committed
    /// before anything is counted, and prunes entries older than the window.
    async fn reserve_attempt(
        &self,
        ident: &str,
        ip: &str,
        now: Timestamp,
    ) -> Result<[String; 2], AppError> {
        let forget_before = now - self.policy.login_window;
        self.write_relaxed(f::AUTH_LOGIN, |w| {
            Box::pin(async move {
                let by_login = w.tx().record_login_failure("login", ident, now).await?;
                let by_ip = w.tx().record_login_failure("ip", ip, now).await?;
                w.tx().prune_login_failures(forget_before).await?;
                Ok([by_login, by_ip])
            })
        })
        .await
    }

    async fn take_back(&self, attempt: &[String; 2]) -> Result<(), AppError> {
        self.write_relaxed(f::AUTH_LOGIN, |w| {
            Box::pin(async move {
                w.tx().forget_login_failures(attempt).await?;
                Ok(())
            })
        })
        .await
    }

    /// Refuses the attempt when the failures before it, counting those written down by
    /// parallel attempts, already reach a limit.
    async fn over_limit(
        &self,
        tx: &mut dyn Tx,
        ident: &str,
        ip: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let window = self.policy.login_window;
        let since = now - window;
        let (count, oldest) = tx.login_failures_since("login", ident, since).await?;
        let before = count - 1;
        within_limit(
            before,
            oldest,
            self.policy.max_failures_per_login,
            window,
            now,
        )?;
        let (count, oldest) = tx.login_failures_since("ip", ip, since).await?;
        let before = count - 1;
        within_limit(before, oldest, self.policy.max_failures_per_ip, window, now)
    }

    async fn open_session(
        &self,
        user: &UserRecord,
        ident: &str,
        attempt: &[String; 2],
        input: &LoginInput,
        now: Timestamp,
    ) -> Result<LoginOutcome, AppError> {
        let session_max = self.policy.session_max;
        let actor = Actor {
            user: Some(user.id),
            login: Some(user.login.as_str().to_owned()),
            as_client: None,
            ip: input.ip.clone(),
        };
        self.write_as(actor, f::AUTH_LOGIN, |w| {
            Box::pin(async move {
                w.tx().clear_login_failures("login", ident).await?;
                w.tx().forget_login_failures(attempt).await?;
                w.tx()
                    .prune_user_sessions(user.id, now - session_max)
                    .await?;
                if let Some(old) = &input.replaces
                    && let Some(old) = w.tx().session_by_token_hash(&digest(old)).await?
                {
                    w.tx().revoke_session(old.id, now).await?;
                }
                let secret = random_token();
                let session = SessionRecord {
                    id: SessionId::new(),
                    user_id: user.id,
                    token_hash: digest(&secret),
                    csrf_token: random_token(),
                    ip: input.ip.clone(),
                    user_agent: input
                        .user_agent
                        .clone()
                        .map(|ua| ua.chars().take(300).collect()),
                    created_at: now,
                    last_seen_at: now,
                    revoked_at: None,
                    impersonator: None,
                };
                w.tx().insert_session(&session).await?;
                let rights = rights_of(w.tx(), user).await?;
                let principal = Principal {
                    user: user.clone(),
                    rights,
                    via: Via::Session {
                        id: session.id,
                        csrf: session.csrf_token,
                    },
                    ip: input.ip.clone(),
                    impersonator: None,
                    has_avatar: false,
                };
                Ok(LoginOutcome { secret, principal })
            })
        })
        .await
    }

    /// Checks a signed-in user's own password (the "current password" of the profile form).
    /// Wrong guesses count as failed sign-ins of that login and address, and the check is
    /// refused (429) past the same limits, so a stolen session cannot use it as an oracle.
    pub(crate) async fn check_own_password(
        &self,
        who: &Principal,
        password: &str,
    ) -> Result<bool, AppError> {
        let now = self.now();
        let ident = who.user.login.as_str().to_lowercase();
        let ip_key = who.ip.clone().unwrap_or_default();
        let attempt = self.reserve_attempt(&ident, &ip_key, now).await?;
        let over = {
            let mut tx = self.store.read().await?;
            let over = self.over_limit(tx.as_mut(), &ident, &ip_key, now).await;
            tx.commit().await?;
            over
        };
        if let Err(refusal) = over {
            self.take_back(&attempt).await?;
            return Err(refusal);
        }
        let ok = self
            .passwords
            .verify(password, Some(&who.user.password_hash))
            .await?;
        if ok {
            self.take_back(&attempt).await?;
        }
        Ok(ok)
    }

    /// Ends what the caller signed in with: the session, or the API token the request
    /// carries (revoked, as `DELETE /me/tokens/{id}` would: a script that "signs out" must
    /// not leave a working secret behind).
    pub async fn logout(&self, who: &Principal) -> Result<(), AppError> {
        match &who.via {
            Via::Session { id, .. } => {
                self.write_as(who.actor(), f::AUTH_LOGOUT, |w| {
                    Box::pin(async move {
                        let now = w.now();
                        w.tx().revoke_session(*id, now).await?;
                        // An employee who signs out also leaves the clients they were
                        // working as.
                        if who.kind() == AccountKind::Staff {
                            w.tx().revoke_impersonations_by(who.user.id, now).await?;
                        }
                        Ok(())
                    })
                })
                .await
            }
            Via::Token { id } => {
                self.write_as(who.actor(), f::AUTH_LOGOUT, |w| {
                    Box::pin(async move {
                        let now = w.now();
                        let token = w
                            .tx()
                            .tokens_of_user(who.user.id)
                            .await?
                            .into_iter()
                            .find(|t| t.id == *id && t.revoked_at.is_none());
                        if let Some(token) = token {
                            w.tx().revoke_token(token.id, now).await?;
                            let changes = Changes::default().diff("revoked", &false, &true);
                            w.record(crate::tokens::token_ref(who, &token), "revoke", changes);
                        }
                        Ok(())
                    })
                })
                .await
            }
        }
    }

    /// The caller behind a session cookie, if the session is live.
    pub async fn authenticate_session(
        &self,
        secret: &str,
        ip: Option<String>,
    ) -> Result<Principal, AppError> {
        let now = self.now();
        let mut tx = self.store.read().await?;
        let session = tx
            .session_by_token_hash(&digest(secret))
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let idle = now.duration_since(session.last_seen_at);
        let age = now.duration_since(session.created_at);
        if session.revoked_at.is_some()
            || idle > self.policy.session_idle
            || age > self.policy.session_max
        {
            return Err(AppError::Unauthenticated);
        }
        let user = live_user(tx.as_mut(), session.user_id).await?;
        let rights = rights_of(tx.as_mut(), &user).await?;
        let has_avatar = user.kind == AccountKind::Staff && tx.has_avatar(user.id).await?;
        let impersonator = match session.impersonator {
            Some(staff) => Some(impersonator(tx.as_mut(), staff).await?),
            None => None,
        };
        tx.commit().await?;
        if idle > session_touch_every(self.policy.session_idle) {
            // Bookkeeping of the sign-in, not a change anyone makes: parallel requests of one
            // session may all touch it, and the last write is as good as any.
            let id = session.id;
            self.write_relaxed(f::AUTH_LOGIN, |w| {
                Box::pin(async move { Ok(w.tx().touch_session(id, now).await?) })
            })
            .await?;
        }
        Ok(Principal {
            user,
            rights,
            via: Via::Session {
                id: session.id,
                csrf: session.csrf_token,
            },
            ip,
            impersonator,
            has_avatar,
        })
    }

    /// The caller behind an `Authorization: Bearer` token, narrowed to the token's scope.
    pub async fn authenticate_token(
        &self,
        secret: &str,
        ip: Option<String>,
    ) -> Result<Principal, AppError> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Err(AppError::Unauthenticated);
        }
        let now = self.now();
        let mut tx = self.store.read().await?;
        let token = tx
            .token_by_hash(&digest(secret))
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let expired = token.expires_at.is_some_and(|e| e <= now);
        if token.revoked_at.is_some() || expired {
            return Err(AppError::Unauthenticated);
        }
        let user = live_user(tx.as_mut(), token.user_id).await?;
        let scope: Option<BTreeSet<String>> = token.scope.clone().map(|s| s.into_iter().collect());
        let rights = rights_of(tx.as_mut(), &user).await?.narrowed(scope);
        tx.commit().await?;
        let stale = token
            .last_used_at
            .is_none_or(|t| now.duration_since(t) > TOUCH_EVERY);
        if stale {
            let id = token.id;
            self.write_relaxed(f::AUTH_LOGIN, |w| {
                Box::pin(async move { Ok(w.tx().touch_token(id, now).await?) })
            })
            .await?;
        }
        Ok(Principal {
            user,
            rights,
            via: Via::Token { id: token.id },
            ip,
            impersonator: None,
            has_avatar: false,
        })
    }
}

/// Refuses with 429 once `count` events since the window began reach `max`; the caller may
/// retry when the oldest of them leaves the window.
pub(crate) fn within_limit(
    count: i64,
    oldest: Option<Timestamp>,
    max: i64,
    window: SignedDuration,
    now: Timestamp,
) -> Result<(), AppError> {
    if count < max {
        return Ok(());
    }
    let free_at = oldest.unwrap_or(now) + window;
    let wait = free_at.duration_since(now).as_secs().max(1);
    Err(AppError::RateLimited {
        retry_after_secs: wait.unsigned_abs(),
    })
}

/// The employee behind a "log in as client" session, while they may still do it.
async fn impersonator(tx: &mut dyn Tx, id: bursar_domain::UserId) -> Result<UserRecord, AppError> {
    let staff = live_user(tx, id).await?;
    let rights = rights_of(tx, &staff).await?;
    match Some(f::CLIENT_LOGIN_AS) {
        Some(f) if rights.allows(f) => Ok(staff),
        _ => Err(AppError::Unauthenticated),
    }
}

async fn live_user(tx: &mut dyn Tx, id: bursar_domain::UserId) -> Result<UserRecord, AppError> {
    match tx.user_by_id(id).await? {
        Some(user) if user.is_active => Ok(user),
        _ => Err(AppError::Unauthenticated),
    }
}

/// Effective rights, read fresh on every request so a permission change applies to sessions
/// already open.
pub(crate) async fn rights_of(tx: &mut dyn Tx, user: &UserRecord) -> Result<Rights, AppError> {
    let mut granted: BTreeSet<String> = tx.user_grants(user.id).await?.into_iter().collect();
    let everything = match user.kind {
        AccountKind::Staff => {
            granted.extend(
                tx.inherited_grants(user.id)
                    .await?
                    .into_iter()
                    .map(|(_, f)| f),
            );
            user.full_access
        }
        AccountKind::Client => user.is_main,
    };
    Ok(Rights::new(user.kind, everything, granted))
}
