//! A client's users and payers (seed 002), reachable two ways with the same rules: staff
//! from the client card (`client.users`, `client.payers`) and the client's own users in the
//! client area (`account.users`, `account.payers`, only inside their own client; another
//! client's objects are "not found").
//!
//! A client user holds the client functions the client gave them; the main user holds all
//! and can be neither deleted nor disabled. Every client user keeps the client dashboard.

use crate::clients::{load_client, load_writable_client, reindex};
use crate::error::AppError;
use crate::ports::*;
use crate::profile::user_ref;
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::access::{AccountKind, Audience};
use bursar_domain::clients::PayerKind;
use bursar_domain::directory::Country;
use bursar_domain::functions;
use bursar_domain::functions::{Function, f};
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::identity::{DisplayName, Email, Login, NewPassword};
use bursar_domain::validation::parse_text;
use bursar_domain::{ClientId, Invalid, PayerId, UserId};
use std::collections::BTreeSet;

/// Every client user may open the client area's dashboard.
const ALWAYS: &Function = f::DASHBOARD_CLIENT;

#[derive(Clone, Debug, Default)]
pub struct ClientUserInput {
    pub login: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub is_active: Option<bool>,
    /// Client function keys (`account.finances`, …); replaces the set.
    pub functions: Option<Vec<String>>,
}

#[derive(Clone, Debug)]
pub struct ClientUserView {
    pub user: UserRecord,
    pub functions: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct PayerInput {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub address: Option<String>,
    pub tax_number: Option<String>,
    pub email: Option<String>,
    pub is_default: Option<bool>,
}

/// The client functions a client user holds: every one for the main user, the granted ones
/// for the others.
pub(crate) async fn functions_of(
    tx: &mut dyn Tx,
    user: &UserRecord,
) -> Result<Vec<String>, AppError> {
    if user.is_main {
        return Ok(functions::FUNCTIONS
            .iter()
            .filter(|f| f.audience == Audience::Client)
            .map(|f| f.key.to_owned())
            .collect());
    }
    Ok(tx.user_grants(user.id).await?)
}

/// Checks the caller may act on `client` with the staff or the client-area function.
pub(crate) fn in_scope(
    who: &Principal,
    client: ClientId,
    staff_fn: &'static Function,
    client_fn: &'static Function,
) -> Result<(), AppError> {
    match who.kind() {
        AccountKind::Staff => who.require(staff_fn),
        AccountKind::Client => {
            who.require(client_fn)?;
            if who.user.client_id == Some(client) {
                Ok(())
            } else {
                Err(AppError::NotFound { what: "client" })
            }
        }
    }
}

fn client_functions(raw: &[String]) -> Result<Vec<String>, AppError> {
    let mut out: BTreeSet<String> = BTreeSet::from([ALWAYS.key.to_owned()]);
    let mut bad = Vec::new();
    for key in raw {
        match functions::find(key) {
            Some(f) if f.audience == Audience::Client => {
                out.insert(f.key.to_owned());
            }
            _ => bad.push(key.as_str()),
        }
    }
    if bad.is_empty() {
        Ok(out.into_iter().collect())
    } else {
        Err(AppError::invalid(
            "functions",
            ErrorCode::NotAClientFunction,
            format!("not client functions: {}", bad.join(", ")),
        ))
    }
}

/// A client user who is not the main user may hand out, and manage users holding, only
/// functions they hold themselves; the main user holds every client function, so only a
/// scoped API token of theirs limits them (to its scope). Staff are not limited: client
/// functions are never theirs to hold, and the staff function guards the act.
fn check_within_own_rights(who: &Principal, functions: &[String]) -> Result<(), AppError> {
    if who.kind() != AccountKind::Client || (who.user.is_main && !who.rights.is_narrowed()) {
        return Ok(());
    }
    let unheld: Vec<&str> = functions
        .iter()
        // Every client user has the dashboard anyway: it is no grant.
        .filter(|k| k.as_str() != ALWAYS.key && !who.may_key(k))
        .map(String::as_str)
        .collect();
    if unheld.is_empty() {
        Ok(())
    } else {
        Err(AppError::refused(
            ErrorCode::CannotGrantUnheldFunction,
            format!("you do not hold: {}", unheld.join(", ")),
        ))
    }
}

use crate::impersonation::refuse_while_impersonating;

async fn load_user(tx: &mut dyn Tx, client: ClientId, id: UserId) -> Result<UserRecord, AppError> {
    match tx.user_by_id(id).await? {
        Some(u) if u.client_id == Some(client) => Ok(u),
        _ => Err(AppError::NotFound { what: "user" }),
    }
}

async fn load_payer(
    tx: &mut dyn Tx,
    client: ClientId,
    id: PayerId,
) -> Result<PayerRecord, AppError> {
    tx.payers_of(client)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound { what: "payer" })
}

fn payer_ref(p: &PayerRecord) -> ObjectRef {
    ObjectRef {
        kind: "payer",
        id: p.id.to_string(),
        client: Some(p.client_id),
    }
}

impl App {
    pub async fn list_client_users(
        &self,
        who: &Principal,
        client: ClientId,
    ) -> Result<Vec<ClientUserView>, AppError> {
        in_scope(who, client, f::CLIENT_USERS, f::ACCOUNT_USERS)?;
        let mut tx = self.store.read().await?;
        load_client(tx.as_mut(), client).await?;
        let mut out = Vec::new();
        for user in tx.client_users(client).await? {
            let functions = functions_of(tx.as_mut(), &user).await?;
            out.push(ClientUserView { user, functions });
        }
        tx.commit().await?;
        Ok(out)
    }

    pub async fn create_client_user(
        &self,
        who: &Principal,
        client: ClientId,
        input: ClientUserInput,
    ) -> Result<UserId, AppError> {
        in_scope(who, client, f::CLIENT_USERS, f::ACCOUNT_USERS)?;
        // A new user signs in with a password the employee chose: a way in that outlives
        // the session.
        refuse_while_impersonating(who)?;
        let mut invalid = Invalid::default();
        let login = invalid.check(Login::parse(
            "login",
            input.login.as_deref().unwrap_or_default(),
        ));
        let name = invalid.check(DisplayName::parse(
            "name",
            input.name.as_deref().unwrap_or_default(),
        ));
        let email = input
            .email
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .and_then(|e| invalid.check(Email::parse("email", e)));
        let password = input.password.clone().unwrap_or_default();
        invalid.check(NewPassword::parse(
            "password",
            &password,
            input.login.as_deref(),
        ));
        let granted = invalid.check(
            client_functions(input.functions.as_deref().unwrap_or_default()).map_err(|e| match e {
                AppError::Invalid(i) => i,
                other => Invalid::field("functions", ErrorCode::Invalid, other.to_string()),
            }),
        );
        invalid.into_result()?;
        let (Some(login), Some(name), Some(granted)) = (login, name, granted) else {
            return Err(AppError::internal_msg("validated fields missing"));
        };
        check_within_own_rights(who, &granted)?;
        let hash = self.passwords.hash(&password).await?;
        let email = &email;
        let granted = &granted;
        let hash = &hash;
        let login = &login;
        let name = &name;
        self.write_as(who.actor(), f::CLIENT_USERS, |w| {
            Box::pin(async move {
                let now = w.now();
                let c = load_writable_client(w.tx(), client).await?;
                let user = UserRecord {
                    id: UserId::new(),
                    kind: AccountKind::Client,
                    client_id: Some(client),
                    login: login.clone(),
                    email: email.clone(),
                    name: name.clone(),
                    name_ru: None,
                    phone: None,
                    locale: c.locale,
                    password_hash: hash.clone(),
                    full_access: false,
                    is_main: false,
                    is_active: input.is_active.unwrap_or(true),
                    created_at: now,
                    updated_at: now,
                };
                w.tx().insert_user(&user).await?;
                w.tx().set_user_grants(user.id, granted, now).await?;
                reindex(w.tx(), &c).await?;
                let changes = Changes::default()
                    .set("login", &user.login)
                    .set("name", &user.name)
                    .set(
                        "email",
                        user.email
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    )
                    .set("is_active", user.is_active)
                    .set("functions", granted.join(", "))
                    .secret("password");
                w.record_as(f::CLIENT_USERS, user_ref(&user), "create", changes);
                Ok(user.id)
            })
        })
        .await
    }

    pub async fn update_client_user(
        &self,
        who: &Principal,
        client: ClientId,
        id: UserId,
        input: ClientUserInput,
    ) -> Result<(), AppError> {
        in_scope(who, client, f::CLIENT_USERS, f::ACCOUNT_USERS)?;
        if input.login.is_some() {
            return Err(AppError::invalid(
                "login",
                ErrorCode::ReadOnly,
                "cannot be changed",
            ));
        }
        if input.password.is_some() && id == who.user.id {
            // Without the current password a stolen session could lock its owner out.
            return Err(AppError::invalid(
                "password",
                ErrorCode::OwnPasswordInProfile,
                "change your own password in your profile, which asks for the current one",
            ));
        }
        let new_hash = match &input.password {
            Some(p) => {
                NewPassword::parse("password", p, None)?;
                Some(self.passwords.hash(p).await?)
            }
            None => None,
        };
        let granted = input
            .functions
            .as_deref()
            .map(client_functions)
            .transpose()?;
        let granted = &granted;
        let input = &input;
        let new_hash = &new_hash;
        self.write_as(who.actor(), f::CLIENT_USERS, |w| {
            Box::pin(async move {
                let now = w.now();
                let c = load_writable_client(w.tx(), client).await?;
                let old = load_user(w.tx(), client, id).await?;
                let caller_is_sub_user = who.kind() == AccountKind::Client && !who.user.is_main;
                if old.is_main && caller_is_sub_user {
                    return Err(AppError::refused(
                        ErrorCode::MainUserProtected,
                        "only the main user or the provider's staff can change the main user",
                    ));
                }
                if !old.is_main {
                    check_within_own_rights(who, &w.tx().user_grants(id).await?)?;
                }
                if let Some(granted) = &granted {
                    check_within_own_rights(who, granted)?;
                }
                if input.password.is_some() {
                    refuse_while_impersonating(who)?;
                }
                if old.is_main && (input.is_active == Some(false) || granted.is_some()) {
                    return Err(AppError::Conflict {
                        code: ErrorCode::MainUser,
                        field: None,
                        message:
                            "the client's main user holds every function and cannot be disabled"
                                .into(),
                    });
                }
                let mut new = old.clone();
                let mut invalid = Invalid::default();
                if let Some(n) = &input.name
                    && let Some(n) = invalid.check(DisplayName::parse("name", n))
                {
                    new.name = n;
                }
                if let Some(e) = &input.email {
                    new.email = if e.trim().is_empty() {
                        None
                    } else {
                        invalid.check(Email::parse("email", e))
                    };
                }
                if let Some(a) = input.is_active {
                    new.is_active = a;
                }
                invalid.into_result()?;
                if new.email != old.email {
                    // Where password-reset links go: as good as setting the password.
                    refuse_while_impersonating(who)?;
                }
                let mut changes = Changes::default()
                    .diff("name", &old.name, &new.name)
                    .diff(
                        "email",
                        &old.email
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        &new.email
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    )
                    .diff("is_active", &old.is_active, &new.is_active);
                if let Some(granted) = &granted {
                    let before = w.tx().user_grants(id).await?;
                    w.tx().set_user_grants(id, granted, now).await?;
                    changes = changes.diff("functions", &before.join(", "), &granted.join(", "));
                }
                if let Some(hash) = &new_hash {
                    w.tx().update_user_password(id, hash, now).await?;
                    w.tx().revoke_user_sessions(id, None, now).await?;
                    changes = changes.secret("password");
                }
                if !new.is_active && old.is_active {
                    w.tx().revoke_user_sessions(id, None, now).await?;
                }
                if !changes.is_empty() {
                    new.updated_at = now;
                    w.tx().update_user(&new).await?;
                    reindex(w.tx(), &c).await?;
                    w.record_as(f::CLIENT_USERS, user_ref(&new), "update", changes);
                }
                Ok(())
            })
        })
        .await
    }

    pub async fn delete_client_user(
        &self,
        who: &Principal,
        client: ClientId,
        id: UserId,
    ) -> Result<(), AppError> {
        in_scope(who, client, f::CLIENT_USERS, f::ACCOUNT_USERS)?;
        if id == who.user.id {
            return Err(AppError::rule(
                ErrorCode::CannotDeleteYourself,
                "you cannot delete your own account",
            ));
        }
        self.write_as(who.actor(), f::CLIENT_USERS, |w| {
            Box::pin(async move {
                let c = load_writable_client(w.tx(), client).await?;
                let user = load_user(w.tx(), client, id).await?;
                check_within_own_rights(who, &w.tx().user_grants(id).await?)?;
                if user.is_main {
                    return Err(AppError::Conflict {
                        code: ErrorCode::MainUser,
                        field: None,
                        message: "the client's main user cannot be deleted".into(),
                    });
                }
                w.tx().delete_user(id).await?;
                reindex(w.tx(), &c).await?;
                let changes =
                    Changes::default().diff("login", &user.login.to_string(), &String::new());
                w.record_as(f::CLIENT_USERS, user_ref(&user), "delete", changes);
                Ok(())
            })
        })
        .await
    }

    pub async fn list_payers(
        &self,
        who: &Principal,
        client: ClientId,
    ) -> Result<Vec<PayerRecord>, AppError> {
        in_scope(who, client, f::CLIENT_PAYERS, f::ACCOUNT_PAYERS)?;
        let mut tx = self.store.read().await?;
        load_client(tx.as_mut(), client).await?;
        let list = tx.payers_of(client).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// Creates (`id` = `None`) or edits a payer. The first payer is the default; making one
    /// default unsets the others.
    pub async fn save_payer(
        &self,
        who: &Principal,
        client: ClientId,
        id: Option<PayerId>,
        input: PayerInput,
    ) -> Result<PayerRecord, AppError> {
        in_scope(who, client, f::CLIENT_PAYERS, f::ACCOUNT_PAYERS)?;
        let input = &input;
        self.write_as(who.actor(), f::CLIENT_PAYERS, |w| {
            Box::pin(async move {
                let now = w.now();
                load_writable_client(w.tx(), client).await?;
                let old = match id {
                    Some(id) => Some(load_payer(w.tx(), client, id).await?),
                    None => None,
                };
                let existing = w.tx().payers_of(client).await?.len();
                let mut invalid = Invalid::default();
                let required =
                    |field: &str, v: &Option<String>, have: bool, invalid: &mut Invalid| {
                        if v.is_none() && !have {
                            invalid.push(field, ErrorCode::Required, "is required");
                        }
                    };
                required("kind", &input.kind, old.is_some(), &mut invalid);
                required("name", &input.name, old.is_some(), &mut invalid);
                required("country", &input.country, old.is_some(), &mut invalid);
                let kind = input
                    .kind
                    .as_deref()
                    .and_then(|k| invalid.check(PayerKind::parse("kind", k)));
                let name = input
                    .name
                    .as_deref()
                    .and_then(|n| invalid.check(DisplayName::parse("name", n)));
                let country = input
                    .country
                    .as_deref()
                    .and_then(|c| invalid.check(Country::parse("country", c)));
                let address = input
                    .address
                    .as_deref()
                    .map(|a| invalid.check(parse_text("address", a, 500)).flatten());
                let region = input
                    .region
                    .as_deref()
                    .map(|r| invalid.check(parse_text("region", r, 100)).flatten());
                let tax = input
                    .tax_number
                    .as_deref()
                    .map(|t| invalid.check(parse_text("tax_number", t, 50)).flatten());
                let email = input.email.as_deref().map(|e| {
                    if e.trim().is_empty() {
                        None
                    } else {
                        invalid
                            .check(Email::parse("email", e))
                            .map(|e| e.to_string())
                    }
                });
                invalid.into_result()?;
                let mut new = old.clone().unwrap_or(PayerRecord {
                    id: PayerId::new(),
                    client_id: client,
                    kind: PayerKind::Person,
                    name: String::new(),
                    country: Country::parse("country", "US")?,
                    region: None,
                    address: None,
                    tax_number: None,
                    email: None,
                    is_default: existing == 0,
                    created_at: now,
                    updated_at: now,
                });
                if let Some(k) = kind {
                    new.kind = k;
                }
                if let Some(n) = name {
                    new.name = n.to_string();
                }
                if let Some(c) = country {
                    new.country = c;
                }
                if let Some(r) = region {
                    new.region = r;
                }
                if let Some(a) = address {
                    new.address = a;
                }
                if let Some(t) = tax {
                    new.tax_number = t;
                }
                if let Some(e) = email {
                    new.email = e;
                }
                new.updated_at = now;
                let make_default = input.is_default == Some(true) && !new.is_default;
                let blank = PayerRecord {
                    name: String::new(),
                    region: None,
                    address: None,
                    tax_number: None,
                    email: None,
                    ..new.clone()
                };
                let before = old.as_ref().unwrap_or(&blank);
                let opt = |v: &Option<String>| v.clone().unwrap_or_default();
                let changes = Changes::default()
                    .diff("kind", &before.kind.code(), &new.kind.code())
                    .diff("name", &before.name, &new.name)
                    .diff("country", &before.country.code(), &new.country.code())
                    .diff("region", &opt(&before.region), &opt(&new.region))
                    .diff("address", &opt(&before.address), &opt(&new.address))
                    .diff(
                        "tax_number",
                        &opt(&before.tax_number),
                        &opt(&new.tax_number),
                    )
                    .diff("email", &opt(&before.email), &opt(&new.email))
                    .diff(
                        "is_default",
                        &(old.as_ref().is_some_and(|o| o.is_default)),
                        &(new.is_default || make_default),
                    );
                if old.is_some() {
                    w.tx().update_payer(&new).await?;
                } else {
                    w.tx().insert_payer(&new).await?;
                }
                if make_default {
                    w.tx().set_default_payer(client, new.id).await?;
                    new.is_default = true;
                }
                let action = if old.is_some() { "update" } else { "create" };
                if !changes.is_empty() {
                    w.record_as(f::CLIENT_PAYERS, payer_ref(&new), action, changes);
                }
                Ok(new)
            })
        })
        .await
    }

    pub async fn delete_payer(
        &self,
        who: &Principal,
        client: ClientId,
        id: PayerId,
    ) -> Result<(), AppError> {
        in_scope(who, client, f::CLIENT_PAYERS, f::ACCOUNT_PAYERS)?;
        self.write_as(who.actor(), f::CLIENT_PAYERS, |w| {
            Box::pin(async move {
                load_writable_client(w.tx(), client).await?;
                let payer = load_payer(w.tx(), client, id).await?;
                w.tx().delete_payer(id).await?;
                if payer.is_default
                    && let Some(next) = w.tx().payers_of(client).await?.first()
                {
                    w.tx().set_default_payer(client, next.id).await?;
                }
                let changes = Changes::default().diff("name", &payer.name, &String::new());
                w.record_as(f::CLIENT_PAYERS, payer_ref(&payer), "delete", changes);
                Ok(())
            })
        })
        .await
    }
}
