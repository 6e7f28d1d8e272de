//! "Log in as client" (seeds 002 and 004): an employee with `client.login_as` opens the client
//! area as the client's main user, with that user's rights only (restrictions of the
//! client's groups stay). The session names the employee, so history records
//! "employee E as client C"; it ends when the employee leaves or logs out, or loses the right.

use crate::clients::{client_ref, load_client};
use crate::error::AppError;
use crate::ports::SessionRecord;
use crate::secrets::{digest, random_token};
use crate::{App, Principal, Via};
use bursar_domain::ErrorCode;
use bursar_domain::access::AccountKind;
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::{ClientId, SessionId};

/// While working as a client, nothing may create a credential that outlives the session
/// (a user with a password, a new password or the e-mail reset links go to, an API token, a
/// reset link): it would leave the employee a way in after the session ends, or after they
/// lose the right, that history would not attribute to them.
pub(crate) fn refuse_while_impersonating(who: &Principal) -> Result<(), AppError> {
    if who.impersonator.is_some() {
        Err(AppError::refused(
            ErrorCode::NotWhileImpersonating,
            "this cannot be done while working as a client",
        ))
    } else {
        Ok(())
    }
}

impl App {
    /// Opens a client-area session for the client's main user on the employee's behalf;
    /// returns the session secret for the cookie.
    pub async fn login_as_client(
        &self,
        who: &Principal,
        client: ClientId,
    ) -> Result<String, AppError> {
        who.require(f::CLIENT_LOGIN_AS)?;
        if who.kind() != AccountKind::Staff || who.impersonator.is_some() {
            return Err(AppError::refused(
                ErrorCode::StaffOnly,
                "only an employee can log in as a client",
            ));
        }
        // History names the employee, working as this client.
        let mut actor = who.actor();
        actor.as_client = Some(client);
        self.write_as(actor, f::CLIENT_LOGIN_AS, |w| {
            Box::pin(async move {
                let now = w.now();
                load_client(w.tx(), client).await?;
                let main = w
                    .tx()
                    .client_users(client)
                    .await?
                    .into_iter()
                    .find(|u| u.is_main && u.is_active)
                    .ok_or_else(|| AppError::Conflict {
                        code: ErrorCode::ClientHasNoActiveUser,
                        field: None,
                        message: "the client has no active main user".into(),
                    })?;
                let secret = random_token();
                let session = SessionRecord {
                    id: SessionId::new(),
                    user_id: main.id,
                    token_hash: digest(&secret),
                    csrf_token: random_token(),
                    ip: who.ip.clone(),
                    user_agent: None,
                    created_at: now,
                    last_seen_at: now,
                    revoked_at: None,
                    impersonator: Some(who.user.id),
                };
                w.tx().insert_session(&session).await?;
                let changes = Changes::default().set("as_user", &main.login);
                w.record_as(f::CLIENT_LOGIN_AS, client_ref(client), "login_as", changes);
                Ok(secret)
            })
        })
        .await
    }

    /// Ends a "log in as client" session (the employee's own session is untouched).
    pub async fn end_impersonation(&self, who: &Principal) -> Result<(), AppError> {
        let Via::Session { id, .. } = &who.via else {
            return Ok(());
        };
        if who.impersonator.is_none() {
            return Ok(());
        }
        self.write_as(who.actor(), f::CLIENT_LOGIN_AS, |w| {
            Box::pin(async move {
                let now = w.now();
                w.tx().revoke_session(*id, now).await?;
                if let Some(client) = who.user.client_id {
                    w.record_as(
                        f::CLIENT_LOGIN_AS,
                        client_ref(client),
                        "logout_as",
                        Changes::default(),
                    );
                }
                Ok(())
            })
        })
        .await
    }
}
