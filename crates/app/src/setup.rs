//! Installation and operator tasks run by the system itself (first start, the CLI): creating
//! the administrator, resetting a password, and creating clients with their main user. Each
//! is recorded in history with the system as the actor.

use crate::App;
use crate::error::AppError;
use crate::ports::{ClientRecord, UserRecord};
use crate::profile::user_ref;
use crate::secrets::generate_password;
use bursar_domain::access::AccountKind;
use bursar_domain::functions::f;
use bursar_domain::history::{Actor, Changes, ObjectRef};
use bursar_domain::identity::{DisplayName, Email, Login, NewPassword};
use bursar_domain::{ClientId, Invalid, Locale, UserId};

pub const ADMIN_LOGIN: &str = "admin";

/// A password either given by the operator or generated (and then to be shown once).
pub struct ChosenPassword {
    pub password: String,
    pub generated: bool,
}

fn choose_password(given: Option<String>, login: &str) -> Result<ChosenPassword, AppError> {
    match given {
        Some(p) => {
            NewPassword::parse("password", &p, Some(login))?;
            Ok(ChosenPassword {
                password: p,
                generated: false,
            })
        }
        None => Ok(ChosenPassword {
            password: generate_password(),
            generated: true,
        }),
    }
}

pub struct NewClient {
    pub name: String,
    pub email: String,
    pub login: Option<String>,
    pub password: String,
    pub locale: Locale,
}

impl App {
    /// Run at every start: the currency directory when it is empty, and on the first start
    /// (no full-access employee yet) the administrator and the default departments. A later
    /// start leaves departments alone, so ones the administrator deleted stay deleted.
    /// Returns the administrator's password when it was created now.
    pub async fn install(
        &self,
        admin_password: Option<String>,
    ) -> Result<Option<ChosenPassword>, AppError> {
        self.ensure_currencies().await?;
        let created = self.ensure_admin(admin_password).await?;
        if created.is_some() {
            self.ensure_default_departments().await?;
        }
        Ok(created)
    }

    /// Creates the administrator (login `admin`, full access) unless a full-access employee
    /// exists already. Returns the password when one was created.
    async fn ensure_admin(
        &self,
        password: Option<String>,
    ) -> Result<Option<ChosenPassword>, AppError> {
        {
            let mut tx = self.store.read().await?;
            let existing = tx.count_full_access_staff().await?;
            tx.commit().await?;
            if existing > 0 {
                return Ok(None);
            }
        }
        let chosen = choose_password(password, ADMIN_LOGIN)?;
        let hash = self.passwords.hash(&chosen.password).await?;
        let now = self.now();
        let admin = UserRecord {
            id: UserId::new(),
            kind: AccountKind::Staff,
            client_id: None,
            login: Login::parse("login", ADMIN_LOGIN)?,
            email: None,
            name: DisplayName::parse("name", "Administrator")?,
            name_ru: Some("Администратор".to_owned()),
            phone: None,
            locale: Locale::En,
            password_hash: hash,
            full_access: true,
            is_main: false,
            is_active: true,
            created_at: now,
            updated_at: now,
        };
        let admin = &admin;
        // Another instance starting at the same time may have installed it meanwhile: then
        // this one created nothing and has no password to report.
        let created = self
            .write_as(Actor::system(), f::SYSTEM_INSTALL, |w| {
                Box::pin(async move {
                    if w.tx().count_full_access_staff().await? > 0 {
                        return Ok(false);
                    }
                    w.tx().insert_user(admin).await?;
                    let changes = Changes::default()
                        .set("login", &admin.login)
                        .set("full_access", true)
                        .secret("password");

                    w.record_as(f::SYSTEM_INSTALL, user_ref(admin), "create", changes);
                    Ok(true)
                })
            })
            .await?;
        Ok(created.then_some(chosen))
    }

    /// Operator reset of any account's password (CLI). All sessions of the account end.
    pub async fn reset_password(
        &self,
        login: &str,
        password: Option<String>,
    ) -> Result<ChosenPassword, AppError> {
        let user = {
            let mut tx = self.store.read().await?;
            let user = tx
                .user_by_login_or_email(&login.trim().to_lowercase())
                .await?;
            tx.commit().await?;
            user.ok_or(AppError::NotFound { what: "account" })?
        };
        let chosen = choose_password(password, user.login.as_str())?;
        let hash = self.passwords.hash(&chosen.password).await?;
        let hash = &hash;
        let user = &user;
        self.write_as(Actor::system(), f::SYSTEM_CLI, |w| {
            Box::pin(async move {
                let now = w.now();
                w.tx().update_user_password(user.id, hash, now).await?;
                w.tx().revoke_user_sessions(user.id, None, now).await?;

                w.record_as(
                    f::SYSTEM_CLI,
                    user_ref(user),
                    "reset_password",
                    Changes::default().secret("password"),
                );
                Ok(())
            })
        })
        .await?;
        Ok(chosen)
    }

    /// Creates a client and its main user (same name, signs in with the login or e-mail).
    /// The full client form with providers, groups and notification is the clients issue's;
    /// this is the system path used by the demo data.
    pub async fn create_client_as_system(&self, input: NewClient) -> Result<ClientId, AppError> {
        let mut invalid = Invalid::default();
        let name = invalid.check(DisplayName::parse("name", &input.name));
        let email = invalid.check(Email::parse("email", &input.email));
        let login_raw = input.login.clone().unwrap_or_else(|| input.email.clone());
        let login = invalid.check(Login::parse("login", &login_raw));
        invalid.check(NewPassword::parse(
            "password",
            &input.password,
            Some(&login_raw),
        ));
        invalid.into_result()?;
        let (Some(name), Some(email), Some(login)) = (name, email, login) else {
            return Err(AppError::internal_msg("validated fields missing"));
        };
        let hash = self.passwords.hash(&input.password).await?;
        let now = self.now();
        let client_id = ClientId::new();
        let user = UserRecord {
            id: UserId::new(),
            kind: AccountKind::Client,
            client_id: Some(client_id),
            login,
            email: Some(email.clone()),
            name: name.clone(),
            name_ru: None,
            phone: None,
            locale: input.locale,
            password_hash: hash,
            full_access: false,
            is_main: true,
            is_active: true,
            created_at: now,
            updated_at: now,
        };
        let (user, name, email) = (&user, &name, &email);
        self.write_as(Actor::system(), f::SYSTEM_CLI, |w| {
            Box::pin(async move {
                let client = ClientRecord {
                    id: client_id,
                    number: crate::clients::next_client_number(w.tx()).await?,
                    name: name.clone(),
                    email: email.clone(),
                    locale: input.locale,
                    country: None,
                    phone: None,
                    phone_verified: false,
                    label: None,
                    registration_ip: None,
                    characteristic: Default::default(),
                    staff_id: None,
                    comment: None,
                    anonymized_at: None,
                    created_at: now,
                    updated_at: now,
                };
                w.tx().insert_client(&client).await?;
                w.tx().insert_user(user).await?;
                let object = ObjectRef {
                    kind: "client",
                    id: client.id.to_string(),
                    client: Some(client.id),
                };
                let changes = Changes::default()
                    .set("name", &client.name)
                    .set("email", &client.email)
                    .set("main_user", &user.login);
                w.record(object, "create", changes);
                Ok(())
            })
        })
        .await?;
        Ok(client_id)
    }
}
