//! Personal data rights (seed 004's "GDPR client data cleaning", and an Art. 15 export).
//!
//! Clearing deactivates every user of the client (their sessions and tokens stop working at
//! once) and irreversibly replaces the personal data of the client, its users and payers, and
//! the values of its history entries. Amounts, dates and document links stay, so the books
//! still balance; the client row itself stays for the same reason.

use crate::client_accounts::in_scope;
use crate::clients::{client_ref, load_client};
use crate::error::AppError;
use crate::ports::HistoryFilter;
use crate::ports::Page;
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::identity::{DisplayName, Email};
use bursar_domain::{ClientId, UserId};
use serde_json::{Value, json};

/// The login an erased user keeps: `erased:` and the user's whole id (39 characters, within
/// [`Login::MAX`](bursar_domain::identity::Login::MAX)). It cannot collide: the id is the
/// user's primary key, and the `:` is outside the login alphabet while the placeholder has no
/// `@`, so neither a chosen login nor an e-mail used as one can ever take it first. (A prefix
/// of the id would not do: a UUIDv7 starts with its creation millisecond, which clients
/// created together share.)
fn erased_login(user: UserId) -> String {
    format!("erased:{}", user.0.simple())
}

impl App {
    pub async fn clear_client_data(&self, who: &Principal, id: ClientId) -> Result<(), AppError> {
        self.write(who, f::CLIENT_CLEAR_DATA, |w| {
            Box::pin(async move {
                let now = w.now();
                let mut client = load_client(w.tx(), id).await?;
                if client.anonymized_at.is_some() {
                    return Ok(());
                }
                let users = w.tx().client_users(id).await?;
                let user_ids: Vec<_> = users.iter().map(|u| u.id).collect();
                for u in &users {
                    let mut off = u.clone();
                    off.is_active = false;
                    off.updated_at = now;
                    w.tx().update_user(&off).await?;
                    // Sessions end and go, with the addresses and browsers they recorded.
                    w.tx().forget_user_sessions(u.id).await?;
                    for t in w.tx().tokens_of_user(u.id).await? {
                        w.tx().revoke_token(t.id, now).await?;
                    }
                    w.tx()
                        .set_user_identity(u.id, &erased_login(u.id), None, "Erased user", now)
                        .await?;
                }
                client.name = DisplayName::from_trusted("Erased client".to_owned());
                client.email =
                    Email::from_trusted(format!("erased-{}@erased.invalid", id.0.simple()));
                client.phone = None;
                client.phone_verified = false;
                client.label = None;
                client.registration_ip = None;
                client.comment = None;
                client.anonymized_at = Some(now);
                client.updated_at = now;
                w.tx().update_client(&client).await?;
                w.tx().set_search_terms(id, &[]).await?;
                for mut p in w.tx().payers_of(id).await? {
                    p.name = "Erased payer".to_owned();
                    p.region = None;
                    p.address = None;
                    p.tax_number = None;
                    p.email = None;
                    p.updated_at = now;
                    w.tx().update_payer(&p).await?;
                }
                w.tx().anonymize_history(id, &user_ids).await?;
                w.tx().erase_client_mails(id).await?;
                let changes = Changes::default()
                    .set("personal_data", "erased")
                    .set("users_deactivated", users.len());
                w.record_as(f::CLIENT_CLEAR_DATA, client_ref(id), "clear_data", changes);
                Ok(())
            })
        })
        .await
    }

    /// All personal data held about a client, as one JSON document (GDPR Art. 15). Staff with
    /// `client.export`, or the client's main user for their own client.
    pub async fn export_client_data(
        &self,
        who: &Principal,
        id: ClientId,
    ) -> Result<Value, AppError> {
        in_scope(who, id, f::CLIENT_EXPORT, f::ACCOUNT_USERS)?;
        if who.kind() == bursar_domain::access::AccountKind::Client && !who.user.is_main {
            return Err(AppError::refused(
                ErrorCode::MainUserOnly,
                "only the client's main user can export its personal data",
            ));
        }
        let card = self.card(id).await?;
        let mut tx = self.store.snapshot().await?;
        let filter = HistoryFilter {
            client_id: Some(id),
            ..HistoryFilter::default()
        };
        let (mut history, _) = tx
            .list_history(
                &filter,
                Page {
                    number: 1,
                    size: 10_000,
                },
            )
            .await?;
        let mails = tx.client_mails(id).await?;
        tx.commit().await?;
        if who.kind() == bursar_domain::access::AccountKind::Client {
            // The client's own copy, like its own history, does not name the staff.
            self.hide_staff(who, &mut history).await?;
        }
        // Who looked at a client's personal data is itself worth knowing.
        self.write_as(who.actor(), f::CLIENT_EXPORT, |w| {
            Box::pin(async move {
                w.record_as(
                    f::CLIENT_EXPORT,
                    client_ref(id),
                    "export",
                    Changes::default(),
                );
                Ok(())
            })
        })
        .await?;
        let c = &card.client;
        Ok(json!({
            "exported_at": self.now().to_string(),
            "client": {
                "id": c.id, "number": c.number.value(), "name": c.name, "email": c.email, "locale": c.locale.code(),
                "country": c.country.map(|x| x.code()), "phone": c.phone.as_ref().map(ToString::to_string),
                "phone_verified": c.phone_verified, "label": c.label, "registration_ip": c.registration_ip,
                "registered_at": c.created_at.to_string(), "characteristic": c.characteristic.code(),
                "anonymized_at": c.anonymized_at.map(|t| t.to_string()),
            },
            "users": card.users.iter().map(|u| json!({
                "id": u.id, "login": u.login, "name": u.name, "email": u.email, "locale": u.locale.code(),
                "is_main": u.is_main, "is_active": u.is_active, "created_at": u.created_at.to_string(),
            })).collect::<Vec<_>>(),
            "payers": card.payers.iter().map(|p| json!({
                "id": p.id, "kind": p.kind.code(), "name": p.name, "country": p.country.code(), "region": p.region, "address": p.address,
                "tax_number": p.tax_number, "email": p.email, "is_default": p.is_default,
            })).collect::<Vec<_>>(),
            "providers": card.providers.iter().map(|p| &p.name).collect::<Vec<_>>(),
            "groups": card.groups.iter().map(|g| &g.name).collect::<Vec<_>>(),
            "history": history.iter().map(|h| json!({
                "at": h.at.to_string(), "action": h.action, "object": h.object_kind, "ip": h.ip, "changes": h.changes,
            })).collect::<Vec<_>>(),
            "emails": mails,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::erased_login;
    use bursar_domain::UserId;
    use bursar_domain::identity::Login;

    #[test]
    fn erased_logins_differ_within_one_millisecond_and_cannot_be_chosen() {
        let (a, b) = (UserId::new(), UserId::new());
        assert_ne!(erased_login(a), erased_login(b));
        let login = erased_login(a);
        assert!(login.len() <= Login::MAX);
        assert!(
            Login::parse("login", &login).is_err(),
            "{login} is reserved"
        );
    }
}
