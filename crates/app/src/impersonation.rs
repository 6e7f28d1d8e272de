//! "Log in as client" (seeds 002 and 004): an employee with `client.login_as` opens the client
//! area as the client's main user, with that user's rights only (restrictions of the
//! client's groups stay). The session names the employee, so history records
//! "employee E as client C"; it ends when the employee leaves or logs out, or loses the right.

use crate::clients::{client_ref, load_client};
use crate::error::AppError;
use crate::history::{Event, record};
use crate::ports::SessionRecord;
use crate::retry::retry;
use crate::secrets::{digest, random_token};
use crate::{App, Principal, Via};
use bursar_domain::access::AccountKind;
use bursar_domain::history::Changes;
use bursar_domain::{ClientId, SessionId};

impl App {
    /// Opens a client-area session for the client's main user on the employee's behalf;
    /// returns the session secret for the cookie.
    pub async fn login_as_client(
        &self,
        who: &Principal,
        client: ClientId,
    ) -> Result<String, AppError> {
        who.require("client.login_as")?;
        if who.kind() != AccountKind::Staff || who.impersonator.is_some() {
            return Err(AppError::refused(
                "staff_only",
                "only an employee can log in as a client",
            ));
        }
        let now = self.now();
        retry(|| async {
            let mut tx = self.store.write().await?;
            let c = load_client(tx.as_mut(), client).await?;
            let main = tx
                .client_users(client)
                .await?
                .into_iter()
                .find(|u| u.is_main && u.is_active)
                .ok_or_else(|| AppError::Conflict {
                    code: "client_has_no_active_user",
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
            tx.insert_session(&session).await?;
            let changes = Changes::default().set("as_user", &main.login);
            let mut actor = who.actor();
            actor.as_client = Some(c.id);
            record(
                tx.as_mut(),
                &actor,
                now,
                Event {
                    object: client_ref(client),
                    action: "login_as",
                    function: "client.login_as",
                    changes,
                },
            )
            .await?;
            tx.commit().await?;
            Ok(secret)
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
        let now = self.now();
        retry(|| async {
            let mut tx = self.store.write().await?;
            tx.revoke_session(*id, now).await?;
            if let Some(client) = who.user.client_id {
                let event = Event {
                    object: client_ref(client),
                    action: "logout_as",
                    function: "client.login_as",
                    changes: Changes::default(),
                };
                record(tx.as_mut(), &who.actor(), now, event).await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }
}
