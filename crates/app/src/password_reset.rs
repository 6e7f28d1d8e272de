//! "Forgot your password?": a one-time link by e-mail, as users of any mature panel expect.
//! The request answers the same whether or not the account exists, so it cannot be used to
//! find logins; the link holds a random token of which only the digest is stored, expires
//! after 30 minutes, works once, and using it ends every session of the account.

use crate::auth::within_limit;
use crate::error::AppError;
use crate::impersonation::refuse_while_impersonating;
use crate::mail::{self, MailTemplate, OutgoingMail};
use crate::ports::{PasswordResetRecord, UserRecord};
use crate::profile::user_ref;
use crate::secrets::{digest, random_token};
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::Invalid;
use bursar_domain::access::AccountKind;
use bursar_domain::functions::f;
use bursar_domain::history::{Actor, Changes};
use bursar_domain::identity::NewPassword;
use jiff::{SignedDuration, Timestamp};

/// How long a link works.
pub const VALID_MINUTES: i64 = 30;
/// Links one account may be sent per hour, so the form cannot flood a mailbox.
const PER_HOUR: i64 = 3;
/// Requests one address may make in the sign-in window (15 minutes).
const PER_ADDRESS: i64 = 10;

pub struct NewPasswordByLink {
    pub token: String,
    pub password: String,
    pub confirmation: String,
    pub ip: Option<String>,
}

impl App {
    /// Whether a link's token can still set a password (for the page the link opens, which
    /// should say at once when it cannot).
    pub async fn reset_link_is_usable(&self, token: &str) -> Result<bool, AppError> {
        Ok(self.usable_reset(token).await?.is_some())
    }

    /// Counts a reset request against its address (written down first, as sign-in attempts
    /// are), so one visitor cannot send links to every account they know of; 429 beyond
    /// [`PER_ADDRESS`] in the sign-in window.
    async fn within_reset_budget(&self, ip: &str, now: Timestamp) -> Result<(), AppError> {
        let window = self.policy.login_window;
        // Committed before counting, as sign-in attempts are: under READ COMMITTED a count in
        // the same transaction would not see parallel requests' entries, and all would pass.
        self.write_relaxed(f::AUTH_PASSWORD_RESET, |w| {
            Box::pin(async move {
                let now = w.now();
                w.tx().record_login_failure("reset_ip", ip, now).await?;
                Ok(())
            })
        })
        .await?;
        let (count, oldest) = {
            let mut tx = self.store.read().await?;
            let found = tx
                .login_failures_since("reset_ip", ip, now - window)
                .await?;
            tx.commit().await?;
            found
        };
        within_limit(count - 1, oldest, PER_ADDRESS, window, now)
    }

    /// The link and its account, when the link is known, unused and unexpired and the
    /// account active.
    async fn usable_reset(
        &self,
        token: &str,
    ) -> Result<Option<(PasswordResetRecord, UserRecord)>, AppError> {
        let now = self.now();
        let mut tx = self.store.read().await?;
        let reset = tx.password_reset_by_hash(&digest(token.trim())).await?;
        let user = match &reset {
            Some(r) => tx.user_by_id(r.user_id).await?,
            None => None,
        };
        tx.commit().await?;
        Ok(reset
            .zip(user)
            .filter(|(r, u)| r.used_at.is_none() && r.expires_at > now && u.is_active))
    }

    /// Sends a reset link to the account's address when the login or e-mail names an active
    /// account that has one (and it was not sent three already this hour). Answers `Ok` in
    /// every case but an empty form. `caller` is whoever is signed in on the device that
    /// asks: an employee working as a client may not ask (see
    /// [`crate::impersonation::refuse_while_impersonating`]).
    pub async fn request_password_reset(
        &self,
        ident: &str,
        ip: Option<String>,
        caller: Option<&Principal>,
    ) -> Result<(), AppError> {
        if let Some(who) = caller {
            refuse_while_impersonating(who)?;
        }
        let ident = ident.trim().to_lowercase();
        if ident.is_empty() {
            return Err(AppError::invalid(
                "login",
                ErrorCode::Required,
                "is required",
            ));
        }
        let now = self.now();
        self.within_reset_budget(ip.as_deref().unwrap_or_default(), now)
            .await?;
        let ident = &ident;
        self.write_as(Actor::anonymous(ip.clone()), f::AUTH_PASSWORD_RESET, |w| {
            Box::pin(async move {
                let now = w.now();
                let Some(user) = w.tx().user_by_login_or_email(ident).await? else {
                    return Ok(());
                };
                let Some(email) = user.email.clone().filter(|_| user.is_active) else {
                    return Ok(());
                };
                let hour_ago = now - SignedDuration::from_hours(1);
                if w.tx().password_resets_since(user.id, hour_ago).await? >= PER_HOUR {
                    return Ok(());
                }
                let token = random_token();
                w.tx()
                    .insert_password_reset(&PasswordResetRecord {
                        id: uuid::Uuid::now_v7().to_string(),
                        user_id: user.id,
                        token_hash: digest(&token),
                        created_at: now,
                        expires_at: now + SignedDuration::from_mins(VALID_MINUTES),
                        used_at: None,
                    })
                    .await?;
                let panel = match user.kind {
                    AccountKind::Staff => "/admin",
                    AccountKind::Client => "/client",
                };
                let link = format!("{panel}/reset-password?token={token}");
                let template = MailTemplate::PasswordReset {
                    login: user.login.clone(),
                    reset_url: self.public_link(&link),
                    valid_minutes: VALID_MINUTES,
                };
                let mut mail =
                    OutgoingMail::new(email, user.locale, template).to_name(user.name.clone());
                if let Some(client) = user.client_id {
                    mail = mail.for_client(client);
                }
                mail::enqueue(w.tx(), now, mail).await?;

                w.record_as(
                    f::AUTH_PASSWORD_RESET,
                    user_ref(&user),
                    "request_password_reset",
                    Changes::default(),
                );
                Ok(())
            })
        })
        .await
    }

    /// Sets a new password with a link's token; the link and every other open link of the
    /// account stop working, and so do its sessions. An unknown, used or expired token is
    /// a 422 on the `token` field, so the page can offer to send a new link. Refused to an
    /// employee working as a client, like asking for the link.
    pub async fn reset_password_by_link(
        &self,
        input: NewPasswordByLink,
        caller: Option<&Principal>,
    ) -> Result<(), AppError> {
        if let Some(who) = caller {
            refuse_while_impersonating(who)?;
        }
        let Some((reset, user)) = self.usable_reset(&input.token).await? else {
            return Err(AppError::invalid(
                "token",
                ErrorCode::ResetLinkInvalid,
                "this link is unknown, used or expired; ask for a new one",
            ));
        };
        let mut invalid = Invalid::default();
        let new = invalid.check(NewPassword::parse(
            "password",
            &input.password,
            Some(user.login.as_str()),
        ));
        if input.password != input.confirmation {
            invalid.push(
                "password_confirmation",
                ErrorCode::Mismatch,
                "does not match the password",
            );
        }
        invalid.into_result()?;
        let Some(new) = new else {
            return Err(AppError::internal_msg("password parsed without value"));
        };
        let hash = self.passwords.hash(new.expose()).await?;
        let actor = Actor {
            user: Some(user.id),
            login: Some(user.login.as_str().to_owned()),
            as_client: None,
            ip: input.ip.clone(),
        };
        let hash = &hash;
        let reset = &reset;
        let user = &user;
        self.write_as(actor, f::AUTH_PASSWORD_RESET, |w| {
            Box::pin(async move {
                let now = w.now();
                // Used in the same transaction as the change, so a link works exactly once.
                if !w.tx().use_password_reset(&reset.token_hash, now).await? {
                    return Err(AppError::invalid(
                        "token",
                        ErrorCode::ResetLinkInvalid,
                        "this link was used already; ask for a new one",
                    ));
                }
                w.tx().update_user_password(user.id, hash, now).await?;
                // Whoever had the account before the owner took it back keeps nothing: no
                // session, no API token.
                w.tx().revoke_user_sessions(user.id, None, now).await?;
                for token in w.tx().tokens_of_user(user.id).await? {
                    if token.revoked_at.is_none() {
                        w.tx().revoke_token(token.id, now).await?;
                    }
                }
                w.tx()
                    .clear_login_failures("login", user.login.as_str())
                    .await?;
                if let Some(email) = &user.email {
                    w.tx().clear_login_failures("login", email.as_str()).await?;
                }

                w.record_as(
                    f::AUTH_PASSWORD_RESET,
                    user_ref(user),
                    "reset_password",
                    Changes::default().secret("password"),
                );
                Ok(())
            })
        })
        .await
    }
}
