//! Employees (Provider → Staff, seed 001): login, full name in English and Russian, password
//! (typed or generated and shown once), departments, e-mail, phone, "full access", avatar.
//! Effective rights = full access, or the union of the departments' functions plus the
//! employee's individual additions; inherited rights cannot be removed for one employee.
//!
//! Guarding against escalation: only a full-access employee grants full access or edits a
//! full-access account; nobody grants a function (directly or through a department) they
//! do not hold; the last active full-access account cannot be disabled or deleted; nobody
//! deletes or disables themself.

use crate::error::AppError;
use crate::grants::{self, GrantChange};
use crate::history::Paged;
use crate::ports::{Page, StaffFilter, Tx, UserRecord};
use crate::profile::user_ref;
use crate::secrets::generate_password;
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::access::{AccountKind, Audience};
use bursar_domain::functions;
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::identity::{DisplayName, Email, Login, NewPassword};
use bursar_domain::permissions::{self, Node, Source, StaffRights};
use bursar_domain::staff::{Avatar, Phone};
use bursar_domain::{DepartmentId, Invalid, Locale, UserId};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The staff form. On update `None` leaves a field as it is; an empty string clears an
/// optional field (e-mail, phone, Russian name).
#[derive(Clone, Debug, Default)]
pub struct StaffInput {
    pub login: Option<String>,
    pub name: Option<String>,
    pub name_ru: Option<String>,
    /// `None` on create: generate one (returned once).
    pub password: Option<String>,
    pub departments: Option<Vec<String>>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub full_access: Option<bool>,
    pub is_active: Option<bool>,
    pub locale: Option<String>,
    /// On create only: an avatar image, checked as an upload is (update ignores it; the
    /// avatar has its own use cases).
    pub avatar: Option<Vec<u8>>,
}

/// An employee's card.
#[derive(Clone, Debug)]
pub struct StaffView {
    pub user: UserRecord,
    pub departments: Vec<(DepartmentId, String)>,
    pub has_avatar: bool,
}

/// "May employee E use function F, and why".
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    pub function: &'static str,
    pub allowed: bool,
    /// `full_access`, `inherited`, `individual`, `off`, `public`, `every_signed_in_user`,
    /// `account_disabled` or `not_a_staff_function`.
    pub reason: &'static str,
    pub departments: Vec<String>,
}

async fn load_staff(tx: &mut dyn Tx, id: UserId) -> Result<UserRecord, AppError> {
    match tx.user_by_id(id).await? {
        Some(u) if u.kind == AccountKind::Staff => Ok(u),
        _ => Err(AppError::NotFound { what: "employee" }),
    }
}

async fn view_of(tx: &mut dyn Tx, user: UserRecord) -> Result<StaffView, AppError> {
    let mut departments = Vec::new();
    for id in tx.staff_departments(user.id).await? {
        if let Some(d) = tx.department_by_id(id).await? {
            departments.push((id, d.name_en));
        }
    }
    let has_avatar = tx.has_avatar(user.id).await?;
    Ok(StaffView {
        user,
        departments,
        has_avatar,
    })
}

/// Parses department ids and checks they exist; a 422 names the unknown ones.
async fn parse_departments(tx: &mut dyn Tx, raw: &[String]) -> Result<Vec<DepartmentId>, AppError> {
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for r in raw {
        match r.parse::<DepartmentId>() {
            Ok(id) if tx.department_by_id(id).await?.is_some() => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => unknown.push(r.as_str()),
        }
    }
    if unknown.is_empty() {
        Ok(ids)
    } else {
        Err(AppError::invalid(
            "departments",
            ErrorCode::UnknownDepartment,
            format!("unknown departments: {}", unknown.join(", ")),
        ))
    }
}

fn optional<T>(
    invalid: &mut Invalid,
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, Invalid>,
) -> Option<T> {
    if raw.trim().is_empty() {
        None
    } else {
        invalid.check(parse(raw))
    }
}

fn name_ru(invalid: &mut Invalid, raw: &str) -> Option<String> {
    optional(invalid, raw, |v| {
        DisplayName::parse("name_ru", v).map(|n| n.as_str().to_owned())
    })
}

/// Full access is granted, and full-access accounts are edited, only by full-access staff.
fn require_full_access(who: &Principal, what: &str) -> Result<(), AppError> {
    if who.user.full_access {
        Ok(())
    } else {
        Err(AppError::refused(
            ErrorCode::FullAccessRequired,
            format!("only an employee with full access can {what}"),
        ))
    }
}

/// Refuses department memberships that would hand out functions the caller does not hold.
pub(crate) async fn check_department_escalation(
    tx: &mut dyn Tx,
    who: &Principal,
    added: &[DepartmentId],
) -> Result<(), AppError> {
    let mut unheld = BTreeSet::new();
    for d in added {
        for key in tx.department_grants(*d).await? {
            if functions::find(&key).is_some_and(|f| !who.may_grant(f)) {
                unheld.insert(key);
            }
        }
    }
    if unheld.is_empty() {
        Ok(())
    } else {
        let list: Vec<String> = unheld.into_iter().collect();
        Err(AppError::refused(
            ErrorCode::CannotGrantUnheldFunction,
            format!(
                "the departments grant functions you do not hold: {}",
                list.join(", ")
            ),
        ))
    }
}

/// Refuses taking over an employee who holds functions the caller does not (by setting
/// their password or e-mail, disabling or deleting them): that would hand the caller those
/// rights.
async fn check_not_stronger(
    tx: &mut dyn Tx,
    who: &Principal,
    target: UserId,
) -> Result<(), AppError> {
    if who.user.full_access {
        return Ok(());
    }
    let mut held: BTreeSet<String> = tx.user_grants(target).await?.into_iter().collect();
    held.extend(
        tx.inherited_grants(target)
            .await?
            .into_iter()
            .map(|(_, f)| f),
    );
    let unheld: Vec<String> = held
        .into_iter()
        .filter(|k| functions::find(k).is_some_and(|f| !who.rights.holds(f)))
        .collect();
    if unheld.is_empty() {
        Ok(())
    } else {
        Err(AppError::refused(
            ErrorCode::TargetHasMoreRights,
            format!(
                "this employee holds functions you do not: {}",
                unheld.join(", ")
            ),
        ))
    }
}

async fn other_active_full_access(tx: &mut dyn Tx, user: &UserRecord) -> Result<bool, AppError> {
    let count = tx.count_full_access_staff_locked().await?;
    let counts_self = user.full_access && user.is_active;
    Ok(count - i64::from(counts_self) > 0)
}

async fn department_names(tx: &mut dyn Tx, ids: &[DepartmentId]) -> Result<String, AppError> {
    let mut names = Vec::new();
    for id in ids {
        if let Some(d) = tx.department_by_id(*id).await? {
            names.push(d.name_en);
        }
    }
    names.sort();
    Ok(names.join(", "))
}

impl App {
    /// Adds "taken" errors for a login and an e-mail to a form already refused for other
    /// fields, so one answer names every problem. A form whose fields all pass is not
    /// checked here: the unique indexes refuse a clash inside the write transaction (409),
    /// and this read is only advice for an answer that is a 422 anyway.
    pub(crate) async fn report_taken(
        &self,
        invalid: &mut Invalid,
        login: Option<&Login>,
        email: Option<&Email>,
    ) -> Result<(), AppError> {
        if invalid.is_empty() || (login.is_none() && email.is_none()) {
            return Ok(());
        }
        let mut tx = self.store.read().await?;
        let (login_taken, email_taken) = tx
            .taken(login.map(Login::as_str), email.map(Email::as_str))
            .await?;
        tx.commit().await?;
        if login_taken {
            invalid.push(
                "login",
                ErrorCode::LoginTaken,
                "this login is already in use",
            );
        }
        if email_taken {
            invalid.push(
                "email",
                ErrorCode::EmailTaken,
                "this e-mail is already in use",
            );
        }
        Ok(())
    }

    pub async fn list_staff(
        &self,
        who: &Principal,
        filter: StaffFilter,
        page: Page,
    ) -> Result<Paged<StaffView>, AppError> {
        who.require(f::STAFF_LIST)?;
        let mut tx = self.store.snapshot().await?;
        let (users, total) = tx.list_staff(&filter, page).await?;
        let mut items = Vec::new();
        for u in users {
            items.push(view_of(tx.as_mut(), u).await?);
        }
        tx.commit().await?;
        Ok(Paged {
            items,
            page: page.number,
            per_page: page.size,
            total,
        })
    }

    pub async fn get_staff(&self, who: &Principal, id: UserId) -> Result<StaffView, AppError> {
        who.require_any(&[
            f::STAFF_LIST,
            f::STAFF_EDIT,
            f::STAFF_DELETE,
            f::STAFF_PERMISSIONS,
        ])?;
        let mut tx = self.store.read().await?;
        let user = load_staff(tx.as_mut(), id).await?;
        let view = view_of(tx.as_mut(), user).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Creates an employee; returns the card and the password when it was generated.
    pub async fn create_staff(
        &self,
        who: &Principal,
        mut input: StaffInput,
    ) -> Result<(StaffView, Option<String>), AppError> {
        who.require(f::STAFF_CREATE)?;
        let mut invalid = Invalid::default();
        let avatar = input
            .avatar
            .take()
            .and_then(|bytes| invalid.check(Avatar::parse(bytes)));
        let login = match &input.login {
            Some(l) => invalid.check(Login::parse("login", l)),
            None => {
                invalid.push("login", ErrorCode::Required, "is required");
                None
            }
        };
        let name = match &input.name {
            Some(n) => invalid.check(DisplayName::parse("name", n)),
            None => {
                invalid.push("name", ErrorCode::Required, "is required");
                None
            }
        };
        let name_ru = input
            .name_ru
            .as_deref()
            .and_then(|v| name_ru(&mut invalid, v));
        let email = input
            .email
            .as_deref()
            .and_then(|v| optional(&mut invalid, v, |v| Email::parse("email", v)));
        let phone = input
            .phone
            .as_deref()
            .and_then(|v| optional(&mut invalid, v, |v| Phone::parse("phone", v)));
        let locale = match input.locale.as_deref().map(str::parse::<Locale>) {
            None => Locale::En,
            Some(Ok(l)) => l,
            Some(Err(())) => {
                invalid.push(
                    "locale",
                    ErrorCode::UnsupportedLocale,
                    "must be one of: en, ru",
                );
                Locale::En
            }
        };
        let (password, generated) = match &input.password {
            Some(p) => {
                invalid.check(NewPassword::parse("password", p, input.login.as_deref()));
                (p.clone(), false)
            }
            None => (generate_password(), true),
        };
        self.report_taken(&mut invalid, login.as_ref(), email.as_ref())
            .await?;
        invalid.into_result()?;
        let (Some(login), Some(name)) = (login, name) else {
            return Err(AppError::internal_msg("validated fields missing"));
        };
        let full_access = input.full_access.unwrap_or(false);
        if full_access {
            require_full_access(who, "grant full access")?;
        }
        let hash = self.passwords.hash(&password).await?;
        let now = self.now();
        let user = UserRecord {
            id: UserId::new(),
            kind: AccountKind::Staff,
            client_id: None,
            login,
            email,
            name,
            name_ru,
            phone,
            locale,
            password_hash: hash,
            full_access,
            is_main: false,
            is_active: input.is_active.unwrap_or(true),
            created_at: now,
            updated_at: now,
        };
        let input = &input;
        let user = &user;
        let avatar = &avatar;
        let view = self
            .write(who, f::STAFF_CREATE, |w| {
                Box::pin(async move {
                    let departments =
                        parse_departments(w.tx(), input.departments.as_deref().unwrap_or_default())
                            .await?;
                    check_department_escalation(w.tx(), who, &departments).await?;
                    w.tx().insert_user(user).await?;
                    w.tx().set_staff_departments(user.id, &departments).await?;
                    let changes = Changes::default()
                        .set("login", &user.login)
                        .set("name", &user.name)
                        .set("name_ru", user.name_ru.clone().unwrap_or_default())
                        .set(
                            "email",
                            user.email
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                        )
                        .set(
                            "phone",
                            user.phone
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                        )
                        .set("full_access", user.full_access)
                        .set("is_active", user.is_active)
                        .set("departments", department_names(w.tx(), &departments).await?)
                        .secret("password");
                    let changes = match avatar {
                        Some(avatar) => {
                            w.tx()
                                .set_avatar(user.id, avatar.content_type, &avatar.bytes, now)
                                .await?;
                            changes.set(
                                "avatar",
                                format!("{} ({} bytes)", avatar.content_type, avatar.bytes.len()),
                            )
                        }
                        None => changes,
                    };

                    w.record_as(f::STAFF_CREATE, user_ref(user), "create", changes);
                    let view = view_of(w.tx(), user.clone()).await?;
                    Ok(view)
                })
            })
            .await?;
        Ok((view, generated.then_some(password)))
    }

    pub async fn update_staff(
        &self,
        who: &Principal,
        id: UserId,
        input: StaffInput,
    ) -> Result<StaffView, AppError> {
        who.require(f::STAFF_EDIT)?;
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
        let input = &input;
        let new_hash = &new_hash;
        self.write(who, f::STAFF_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let old = load_staff(w.tx(), id).await?;
                if old.full_access || input.full_access == Some(true) {
                    require_full_access(who, "edit full-access accounts or grant full access")?;
                }
                let mut new = old.clone();
                let mut invalid = Invalid::default();
                if let Some(n) = &input.name
                    && let Some(n) = invalid.check(DisplayName::parse("name", n))
                {
                    new.name = n;
                }
                if let Some(v) = &input.name_ru {
                    new.name_ru = name_ru(&mut invalid, v);
                }
                if let Some(v) = &input.email {
                    new.email = optional(&mut invalid, v, |v| Email::parse("email", v));
                }
                if let Some(v) = &input.phone {
                    new.phone = optional(&mut invalid, v, |v| Phone::parse("phone", v));
                }
                if let Some(code) = &input.locale {
                    match code.parse::<Locale>() {
                        Ok(l) => new.locale = l,
                        Err(()) => invalid.push(
                            "locale",
                            ErrorCode::UnsupportedLocale,
                            "must be one of: en, ru",
                        ),
                    }
                }
                invalid.into_result()?;
                if let Some(v) = input.full_access {
                    new.full_access = v;
                }
                if let Some(v) = input.is_active {
                    new.is_active = v;
                }
                if !new.is_active && old.is_active && old.id == who.user.id {
                    return Err(AppError::rule(
                        ErrorCode::CannotDisableYourself,
                        "you cannot disable your own account",
                    ));
                }
                let loses_full_access =
                    (old.full_access && old.is_active) && !(new.full_access && new.is_active);
                if loses_full_access && !other_active_full_access(w.tx(), &old).await? {
                    return Err(AppError::rule(
                        ErrorCode::LastFullAccessAccount,
                        "this is the last active account with full access; it must stay so",
                    ));
                }
                let mut changes = Changes::default()
                    .diff("name", &old.name, &new.name)
                    .diff(
                        "name_ru",
                        &old.name_ru.clone().unwrap_or_default(),
                        &new.name_ru.clone().unwrap_or_default(),
                    )
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
                    .diff(
                        "phone",
                        &old.phone
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        &new.phone
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    )
                    .diff("locale", &old.locale.code(), &new.locale.code())
                    .diff("full_access", &old.full_access, &new.full_access)
                    .diff("is_active", &old.is_active, &new.is_active);
                if let Some(raw) = &input.departments {
                    let before = w.tx().staff_departments(id).await?;
                    let after = parse_departments(w.tx(), raw).await?;
                    let added: Vec<DepartmentId> = after
                        .iter()
                        .filter(|d| !before.contains(d))
                        .copied()
                        .collect();
                    let removed: Vec<DepartmentId> = before
                        .iter()
                        .filter(|d| !after.contains(d))
                        .copied()
                        .collect();
                    // Nobody grants, or takes away, a function they do not hold.
                    check_department_escalation(w.tx(), who, &added).await?;
                    check_department_escalation(w.tx(), who, &removed).await?;
                    let (b, a) = (
                        department_names(w.tx(), &before).await?,
                        department_names(w.tx(), &after).await?,
                    );
                    changes = changes.diff("departments", &b, &a);
                    w.tx().set_staff_departments(id, &after).await?;
                }
                // Whatever lets the caller sign in as the employee or lock them out: the
                // password, the e-mail (a sign-in name, and where resets would go), enabling.
                if new_hash.is_some() || new.is_active != old.is_active || new.email != old.email {
                    check_not_stronger(w.tx(), who, id).await?;
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

                    w.record_as(f::STAFF_EDIT, user_ref(&new), "update", changes);
                }
                let view = view_of(w.tx(), new).await?;
                Ok(view)
            })
        })
        .await
    }

    pub async fn delete_staff(&self, who: &Principal, id: UserId) -> Result<(), AppError> {
        who.require(f::STAFF_DELETE)?;
        if id == who.user.id {
            return Err(AppError::rule(
                ErrorCode::CannotDeleteYourself,
                "you cannot delete your own account",
            ));
        }
        self.write(who, f::STAFF_DELETE, |w| {
            Box::pin(async move {
                let old = load_staff(w.tx(), id).await?;
                check_not_stronger(w.tx(), who, id).await?;
                if old.full_access {
                    require_full_access(who, "delete full-access accounts")?;
                    if !other_active_full_access(w.tx(), &old).await? {
                        return Err(AppError::rule(
                            ErrorCode::LastFullAccessAccount,
                            "the last active account with full access cannot be deleted",
                        ));
                    }
                }
                w.tx().delete_user(id).await?;
                let changes =
                    Changes::default().diff("login", &old.login.to_string(), &String::new());

                w.record_as(f::STAFF_DELETE, user_ref(&old), "delete", changes);
                Ok(())
            })
        })
        .await
    }

    /// Stores an employee's avatar after checking type (by content), size and pixels.
    pub async fn set_staff_avatar(
        &self,
        who: &Principal,
        id: UserId,
        bytes: Vec<u8>,
    ) -> Result<(), AppError> {
        who.require(f::STAFF_EDIT)?;
        let avatar = Avatar::parse(bytes)?;
        let avatar = &avatar;
        self.write(who, f::STAFF_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let user = load_staff(w.tx(), id).await?;
                if user.full_access && user.id != who.user.id {
                    require_full_access(who, "edit full-access accounts")?;
                }
                w.tx()
                    .set_avatar(id, avatar.content_type, &avatar.bytes, now)
                    .await?;
                let changes = Changes::default().set(
                    "avatar",
                    format!("{} ({} bytes)", avatar.content_type, avatar.bytes.len()),
                );

                w.record_as(f::STAFF_EDIT, user_ref(&user), "update", changes);
                Ok(())
            })
        })
        .await
    }

    /// Removes an employee's avatar (the panel then shows the initial); 404 when there is
    /// none. Guarded as uploading one is.
    pub async fn remove_staff_avatar(&self, who: &Principal, id: UserId) -> Result<(), AppError> {
        self.write(who, f::STAFF_EDIT, |w| {
            Box::pin(async move {
                let user = load_staff(w.tx(), id).await?;
                if user.full_access && user.id != who.user.id {
                    require_full_access(who, "edit full-access accounts")?;
                }
                if !w.tx().delete_avatar(id).await? {
                    return Err(AppError::NotFound { what: "avatar" });
                }
                let changes =
                    Changes::default().diff("avatar", &"image".to_owned(), &String::new());
                w.record_as(f::STAFF_EDIT, user_ref(&user), "update", changes);
                Ok(())
            })
        })
        .await
    }

    /// The caller's own avatar, for the top bar and the profile.
    pub async fn my_avatar(&self, who: &Principal) -> Result<(String, Vec<u8>), AppError> {
        who.require(f::PROFILE_VIEW)?;
        let mut tx = self.store.read().await?;
        let avatar = tx
            .avatar(who.user.id)
            .await?
            .ok_or(AppError::NotFound { what: "avatar" })?;
        tx.commit().await?;
        Ok(avatar)
    }

    pub async fn staff_avatar(
        &self,
        who: &Principal,
        id: UserId,
    ) -> Result<(String, Vec<u8>), AppError> {
        who.require(f::STAFF_LIST)?;
        let mut tx = self.store.read().await?;
        load_staff(tx.as_mut(), id).await?;
        let avatar = tx
            .avatar(id)
            .await?
            .ok_or(AppError::NotFound { what: "avatar" })?;
        tx.commit().await?;
        Ok(avatar)
    }

    async fn staff_rights(
        &self,
        tx: &mut dyn Tx,
        id: UserId,
    ) -> Result<
        (
            UserRecord,
            BTreeMap<String, BTreeSet<String>>,
            BTreeSet<String>,
        ),
        AppError,
    > {
        let user = load_staff(tx, id).await?;
        let mut by_department: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (dept, f) in tx.inherited_grants(id).await? {
            by_department.entry(dept).or_default().insert(f);
        }
        let individual: BTreeSet<String> = tx.user_grants(id).await?.into_iter().collect();
        Ok((user, by_department, individual))
    }

    /// The employee's permission tree: each function inherited (from which departments),
    /// individual, full access, or off.
    pub async fn staff_permissions(
        &self,
        who: &Principal,
        id: UserId,
    ) -> Result<Vec<Node>, AppError> {
        who.require(f::STAFF_PERMISSIONS)?;
        let mut tx = self.store.read().await?;
        let (user, departments, individual) = self.staff_rights(tx.as_mut(), id).await?;
        tx.commit().await?;
        let rights = StaffRights {
            full_access: user.full_access,
            departments: &departments,
            individual: &individual,
        };
        Ok(permissions::tree(Audience::Staff, &|f| rights.source(f)))
    }

    /// Adds or removes individual rights. Removing an inherited right is refused (409),
    /// naming the departments it comes from.
    pub async fn change_staff_permissions(
        &self,
        who: &Principal,
        id: UserId,
        change: GrantChange,
    ) -> Result<Vec<Node>, AppError> {
        who.require(f::STAFF_PERMISSIONS)?;
        let resolved = grants::resolve(who, &change)?;
        let resolved = &resolved;
        self.write(who, f::STAFF_PERMISSIONS, |w| {
            Box::pin(async move {
                let now = w.now();
                let (user, departments, before) = self.staff_rights(w.tx(), id).await?;
                if user.full_access {
                    return Err(AppError::Conflict {
                        code: ErrorCode::FullAccessHasEveryFunction,
                        field: None,
                        message: "this employee has full access; individual rights do not apply"
                            .into(),
                    });
                }
                let inherited: Vec<String> = resolved
                    .disable
                    .iter()
                    .filter_map(|f| {
                        let from: Vec<&str> = departments
                            .iter()
                            .filter(|(_, fs)| fs.contains(*f))
                            .map(|(d, _)| d.as_str())
                            .collect();
                        (!from.is_empty()).then(|| format!("{f} (from {})", from.join(", ")))
                    })
                    .collect();
                if !inherited.is_empty() {
                    return Err(AppError::Conflict {
                        code: ErrorCode::InheritedRight,
                        field: None,
                        message: format!(
                            "inherited rights cannot be removed for one employee: {}",
                            inherited.join("; ")
                        ),
                    });
                }
                // A function a department already gives is not granted again individually: the
                // grant would be invisible (it shows as inherited) and outlive the department's.
                let from_department = |f: &str| departments.iter().any(|(_, fs)| fs.contains(f));
                for f in resolved.enable.iter().filter(|f| !from_department(f)) {
                    w.tx().set_user_grant(id, f, true, now).await?;
                }
                for f in &resolved.disable {
                    w.tx().set_user_grant(id, f, false, now).await?;
                }
                let after: BTreeSet<String> = w.tx().user_grants(id).await?.into_iter().collect();
                let changes = grants::changes(&before, &after);
                if !changes.is_empty() {
                    w.record_as(
                        f::STAFF_PERMISSIONS,
                        user_ref(&user),
                        "permissions",
                        changes,
                    );
                }
                Ok(())
            })
        })
        .await?;
        self.staff_permissions(who, id).await
    }

    /// Answers "may employee `id` use function `key`, and why".
    pub async fn explain_staff_right(
        &self,
        who: &Principal,
        id: UserId,
        key: &str,
    ) -> Result<Explanation, AppError> {
        who.require(f::STAFF_PERMISSIONS)?;
        let f = functions::find(key).ok_or_else(|| {
            AppError::invalid(
                "function",
                ErrorCode::UnknownFunction,
                format!("unknown function {key}"),
            )
        })?;
        let mut tx = self.store.read().await?;
        let (user, departments, individual) = self.staff_rights(tx.as_mut(), id).await?;
        tx.commit().await?;
        let (allowed, reason, depts) = if !user.is_active {
            (false, "account_disabled", Vec::new())
        } else {
            match f.audience {
                Audience::Public => (true, "public", Vec::new()),
                Audience::Anyone => (true, "every_signed_in_user", Vec::new()),
                Audience::Client | Audience::System => (false, "not_a_staff_function", Vec::new()),
                Audience::Staff => {
                    let rights = StaffRights {
                        full_access: user.full_access,
                        departments: &departments,
                        individual: &individual,
                    };
                    match rights.source(f) {
                        Source::FullAccess => (true, "full_access", Vec::new()),
                        Source::Inherited { departments } => (true, "inherited", departments),
                        Source::Individual => (true, "individual", Vec::new()),
                        Source::Off => (false, "off", Vec::new()),
                    }
                }
            }
        };
        Ok(Explanation {
            function: f.key,
            allowed,
            reason,
            departments: depts,
        })
    }
}
