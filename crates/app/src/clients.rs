//! Clients (Clients → Clients, seeds 002 and 004): registration by staff or by the client
//! in the client area, the client card, the list with its filters, deletion (refused while
//! the client has payments, charges or active services), provider links, groups, history and
//! messages. Creating a client creates its main user with the same name; that user signs in
//! with the login, or with the e-mail when the providers do not ask for a login.

use crate::error::AppError;
use crate::history::Paged;
use crate::mail::{self, MailTemplate, OutgoingMail};
use crate::ports::*;
use crate::secrets::generate_password;
use crate::use_case::Work;
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::access::AccountKind;
use bursar_domain::clients::{Characteristic, ClientSearch, parse_label, search_terms};
use bursar_domain::directory::Country;
use bursar_domain::functions::{Function, f};
use bursar_domain::history::{Actor, Changes, ObjectRef};
use bursar_domain::identity::{DisplayName, Email, Login, NewPassword};
use bursar_domain::staff::Phone;
use bursar_domain::validation::parse_text;
use bursar_domain::{
    ClientGroupId, ClientId, ClientNumber, ClientRef, Invalid, Locale, ProviderId, Ref, UserId,
};

pub const COMMENT_MAX: usize = 2000;

/// Functions whose holders may open a client's card: the list, and every action on a client.
pub const CARD_READERS: &[&Function] = &[
    f::CLIENT_LIST,
    f::CLIENT_EDIT,
    f::CLIENT_DELETE,
    f::CLIENT_CLEAR_DATA,
    f::CLIENT_EXPORT,
    f::CLIENT_HISTORY,
    f::CLIENT_PROVIDERS,
    f::CLIENT_GROUPS,
    f::CLIENT_MESSAGE,
    f::CLIENT_LOGIN_AS,
    f::CLIENT_USERS,
    f::CLIENT_PAYERS,
    f::CLIENT_ORDER_HISTORY,
    f::CLIENT_ORDER_DETAILS,
    f::CLIENT_ORDER_CREATE,
    f::CLIENT_ORDER_PRINT_INVOICE,
    // Personal discounts are a tab of the card.
    f::DISCOUNT_VIEW,
    f::DISCOUNT_EDIT,
    // Whoever keeps a client's personal exchange rates works from its card.
    f::RATE_VIEW,
    f::RATE_EDIT,
    // Whoever may act on a client's money works from its card.
    f::PERSONAL_ACCOUNT_VIEW,
    f::PERSONAL_ACCOUNT_CREATE,
    f::PERSONAL_ACCOUNT_EDIT,
    f::PERSONAL_ACCOUNT_HISTORY,
    f::WITHDRAWAL_CREATE,
    f::PAYMENT_LIST,
    f::PAYMENT_CREATE,
    f::PAYMENT_EDIT,
    f::PAYMENT_DELETE,
    f::PAYMENT_CREDIT,
    f::PAYMENT_REFUND,
    f::PAYMENT_SEND,
    f::PAYMENT_PRINT,
    // The card's Tax tab.
    f::TAX_VIEW,
    f::TAX_EDIT,
    f::EXPENSE_LIST,
    f::EXPENSE_CREATE,
    f::EXPENSE_EDIT,
    f::EXPENSE_DELETE,
];

/// The "Add client" form (seed 004) and the self-registration form.
#[derive(Clone, Debug, Default)]
pub struct NewClientInput {
    /// Only when every chosen provider enables "login at registration"; else the e-mail.
    pub login: Option<String>,
    pub email: String,
    pub providers: Vec<String>,
    pub locale: Option<String>,
    pub country: Option<String>,
    /// Contact person: the client's or the organisation's contact's full name.
    pub name: String,
    /// `None`: generate one (returned once).
    pub password: Option<String>,
    pub password_confirmation: Option<String>,
    /// The registering employee (staff form); defaults to the acting employee.
    pub staff_id: Option<String>,
    pub comment: Option<String>,
    pub send_notification: bool,
}

/// The "Edit client" form: `None` leaves a field as it is; an empty string clears it.
#[derive(Clone, Debug, Default)]
pub struct ClientChanges {
    pub name: Option<String>,
    pub email: Option<String>,
    pub locale: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub phone_verified: Option<bool>,
    pub label: Option<String>,
    pub characteristic: Option<String>,
    pub staff_id: Option<String>,
    pub comment: Option<String>,
}

/// The client card.
#[derive(Clone, Debug)]
pub struct ClientCard {
    pub client: ClientRecord,
    pub active: bool,
    pub users: Vec<UserRecord>,
    /// The client functions each user holds.
    pub functions: std::collections::BTreeMap<UserId, Vec<String>>,
    pub providers: Vec<ProviderRecord>,
    pub groups: Vec<ClientGroupRecord>,
    pub payers: Vec<PayerRecord>,
    pub staff_login: Option<String>,
}

pub struct CreatedClient {
    pub id: ClientId,
    pub number: ClientNumber,
    pub main_user: UserId,
    /// The generated password, shown once.
    pub generated_password: Option<String>,
}

/// The client's e-mail is its main user's: a new address moves the main user's e-mail, and
/// its login too when the e-mail was the login. A clash with another account's login or
/// e-mail refuses the whole change (409); so does an editor without `client.users` (403).
async fn follow_email(
    w: &mut Work<'_>,
    who: &Principal,
    old: &ClientRecord,
    new: &ClientRecord,
) -> Result<(), AppError> {
    let users = w.tx().client_users(new.id).await?;
    let Some(main) = users.into_iter().find(|u| u.is_main) else {
        return Ok(());
    };
    let mut moved = main.clone();
    if moved.email.as_ref() == Some(&old.email) {
        moved.email = Some(new.email.clone());
    }
    if moved.login.as_str() == old.email.as_str() {
        moved.login = Login::of_email(&new.email);
    }
    let changes = Changes::default()
        .diff("login", &main.login.as_str(), &moved.login.as_str())
        .diff(
            "email",
            &main.email.as_ref().map_or("", |e| e.as_str()),
            &moved.email.as_ref().map_or("", |e| e.as_str()),
        );
    if changes.is_empty() {
        return Ok(());
    }
    // The address password-reset links go to: moving it is as good as setting the main
    // user's password, so it takes the right to manage the client's users too.
    who.require(f::CLIENT_USERS)?;
    moved.updated_at = w.now();
    w.tx().update_user(&moved).await?;
    w.record(crate::profile::user_ref(&moved), "update", changes);
    Ok(())
}

pub(crate) fn client_ref(id: ClientId) -> ObjectRef {
    ObjectRef {
        kind: "client",
        id: id.to_string(),
        client: Some(id),
    }
}

pub(crate) async fn load_client(tx: &mut dyn Tx, id: ClientId) -> Result<ClientRecord, AppError> {
    tx.client_by_id(id)
        .await?
        .ok_or(AppError::NotFound { what: "client" })
}

/// The client, for a change to it, its users or its payers: refused (409) once its data
/// was cleared, since clearing is irreversible and nothing personal may be added again.
pub(crate) async fn load_writable_client(
    tx: &mut dyn Tx,
    id: ClientId,
) -> Result<ClientRecord, AppError> {
    let client = load_client(tx, id).await?;
    if client.anonymized_at.is_some() {
        return Err(AppError::rule(
            ErrorCode::ClientAnonymized,
            "this client's data was cleared; it can no longer be changed",
        ));
    }
    Ok(client)
}

/// Parses provider ids and checks each exists, naming the unknown ones in one 422.
pub(crate) async fn parse_providers(
    tx: &mut dyn Tx,
    field: &str,
    raw: &[String],
) -> Result<Vec<ProviderRecord>, AppError> {
    let mut out: Vec<ProviderRecord> = Vec::new();
    let mut unknown = Vec::new();
    for r in raw {
        match r.parse::<ProviderId>() {
            Ok(id) => match tx.provider(id).await? {
                Some(p) if !out.iter().any(|o| o.id == id) => out.push(p),
                Some(_) => {}
                None => unknown.push(r.as_str()),
            },
            Err(_) => unknown.push(r.as_str()),
        }
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(AppError::invalid(
            field,
            ErrorCode::UnknownProvider,
            format!("unknown providers: {}", unknown.join(", ")),
        ))
    }
}

async fn parse_staff(tx: &mut dyn Tx, raw: &str) -> Result<Option<UserId>, AppError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let bad = || AppError::invalid("staff_id", ErrorCode::UnknownEmployee, "is not an employee");
    let id: UserId = raw.parse().map_err(|_| bad())?;
    match tx.user_by_id(id).await? {
        Some(u) if u.kind == AccountKind::Staff => Ok(Some(id)),
        _ => Err(bad()),
    }
}

fn locale_of(invalid: &mut Invalid, raw: Option<&str>, default: Locale) -> Locale {
    match raw.map(str::parse::<Locale>) {
        None => default,
        Some(Ok(l)) => l,
        Some(Err(())) => {
            invalid.push(
                "locale",
                ErrorCode::UnsupportedLocale,
                "must be one of: en, ru",
            );
            default
        }
    }
}

/// The next client number, taken in `tx`. Call it before the creation's other writes (see
/// [`Counters`]).
pub(crate) async fn next_client_number(tx: &mut dyn Tx) -> Result<ClientNumber, AppError> {
    let n = tx.next_number(Counter::Clients).await?;
    ClientNumber::new(n).ok_or_else(|| AppError::internal_msg(format!("counter clients gave {n}")))
}

/// The search words of a client: name, e-mail and every user's login and e-mail.
pub(crate) async fn reindex(tx: &mut dyn Tx, client: &ClientRecord) -> Result<(), AppError> {
    let users = tx.client_users(client.id).await?;
    let mut sources: Vec<String> = vec![client.name.to_string(), client.email.to_string()];
    for u in &users {
        sources.push(u.login.to_string());
        if let Some(e) = &u.email {
            sources.push(e.to_string());
        }
    }
    let terms = search_terms(sources.iter().map(String::as_str));
    tx.set_search_terms(client.id, &terms).await?;
    Ok(())
}

fn opt_display(v: &Option<impl ToString>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl App {
    /// Clients → Clients → Add.
    pub async fn create_client(
        &self,
        who: &Principal,
        input: NewClientInput,
    ) -> Result<CreatedClient, AppError> {
        who.require(f::CLIENT_CREATE)?;
        let staff = match &input.staff_id {
            Some(_) => None,
            None => Some(who.user.id),
        };
        self.insert_client(input, staff, None, who.actor(), f::CLIENT_CREATE)
            .await
    }

    /// Self-registration in the client area: a password is required and the provider comes
    /// from the form; the notification always goes out.
    pub async fn register_client(
        &self,
        mut input: NewClientInput,
        ip: Option<String>,
    ) -> Result<CreatedClient, AppError> {
        if input.password.is_none() {
            return Err(AppError::invalid(
                "password",
                ErrorCode::Required,
                "is required",
            ));
        }
        input.staff_id = None;
        input.comment = None;
        input.send_notification = true;
        let key = ip.clone().unwrap_or_default();
        let visitor = Actor::anonymous(ip.clone());
        let now = self.now();
        let window = self.policy.registration_window;
        // Written down before counting, as sign-in attempts are, so parallel registrations
        // from one address cannot all pass the limit.
        let key = &key;
        let reserved = self
            .write_relaxed(f::CLIENT_REGISTER, |w| {
                Box::pin(async move {
                    let now = w.now();
                    let id = w.tx().record_registration(key, now, now - window).await?;
                    Ok(id)
                })
            })
            .await?;
        let (count, oldest) = {
            let mut tx = self.store.read().await?;
            let found = tx.registrations_since(key, now - window).await?;
            tx.commit().await?;
            found
        };
        let max = self.policy.max_registrations_per_ip;
        let created = match crate::auth::within_limit(count - 1, oldest, max, window, now) {
            Err(refusal) => Err(refusal),
            Ok(()) => {
                let actor = visitor;
                self.insert_client(input, None, ip, actor, f::CLIENT_REGISTER)
                    .await
            }
        };
        // A form refused for its values costs nothing; one refused because the login or
        // e-mail is taken still counts, or the form would answer "is X registered?" for free.
        let taken = match &created {
            Err(AppError::Conflict { .. }) => true,
            Err(AppError::Invalid(e)) => {
                e.0.iter()
                    .any(|f| matches!(f.code, ErrorCode::LoginTaken | ErrorCode::EmailTaken))
            }
            _ => false,
        };
        if created.is_err() && !taken {
            let reserved = &reserved;
            self.write_relaxed(f::CLIENT_REGISTER, |w| {
                Box::pin(async move {
                    w.tx().forget_registration(reserved).await?;
                    Ok(())
                })
            })
            .await?;
        }
        created
    }

    async fn insert_client(
        &self,
        input: NewClientInput,
        default_staff: Option<UserId>,
        ip: Option<String>,
        actor: Actor,
        function: &'static Function,
    ) -> Result<CreatedClient, AppError> {
        let mut invalid = Invalid::default();
        let email = invalid.check(Email::parse("email", &input.email));
        let name = invalid.check(DisplayName::parse("name", &input.name));
        let locale = locale_of(&mut invalid, input.locale.as_deref(), Locale::En);
        let country = input
            .country
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .and_then(|c| invalid.check(Country::parse("country", c)));
        let comment = input.comment.as_deref().and_then(|c| {
            invalid
                .check(parse_text("comment", c, COMMENT_MAX))
                .flatten()
        });
        if input.providers.is_empty() {
            invalid.push(
                "providers",
                ErrorCode::Required,
                "choose at least one provider",
            );
        }
        let (password, generated) = match &input.password {
            Some(p) => {
                if input.password_confirmation.as_deref() != Some(p.as_str()) {
                    invalid.push(
                        "password_confirmation",
                        ErrorCode::Mismatch,
                        "does not match the password",
                    );
                }
                invalid.check(NewPassword::parse(
                    "password",
                    p,
                    input.login.as_deref().or(Some(input.email.as_str())),
                ));
                (p.clone(), false)
            }
            None => (generate_password(), true),
        };
        let login = input
            .login
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .and_then(|l| invalid.check(Login::parse("login", l)));
        self.report_taken(&mut invalid, login.as_ref(), email.as_ref())
            .await?;
        invalid.into_result()?;
        let (Some(email), Some(name)) = (email, name) else {
            return Err(AppError::internal_msg("validated fields missing"));
        };
        let hash = self.passwords.hash(&password).await?;
        let panel_url = self.public_link("/client");
        let comment = &comment;
        let email = &email;
        let hash = &hash;
        let input = &input;
        let ip = &ip;
        let name = &name;
        let panel_url = &panel_url;
        let created = self.write_as(actor.clone(), function, |w| Box::pin(async move {
            let now = w.now();
            let providers = parse_providers(w.tx(), "providers", &input.providers).await?;
            let login_allowed =
                !providers.is_empty() && providers.iter().all(|p| p.login_at_registration);
            let login = match input
                .login
                .as_deref()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                Some(_) if !login_allowed => {
                    return Err(AppError::invalid(
                        "login",
                        ErrorCode::LoginNotAllowed,
                        "the chosen providers do not ask for a login; the e-mail is the login",
                    ));
                }
                Some(l) => Login::parse("login", l)?,
                None => Login::of_email(email),
            };
            let staff_id = match &input.staff_id {
                Some(raw) => parse_staff(w.tx(), raw).await?,
                None => default_staff,
            };
            let client = ClientRecord {
                id: ClientId::new(),
                number: next_client_number(w.tx()).await?,
                name: name.clone(),
                email: email.clone(),
                locale,
                country,
                phone: None,
                phone_verified: false,
                label: None,
                registration_ip: ip.clone(),
                characteristic: Characteristic::Common,
                staff_id,
                comment: comment.clone(),
                anonymized_at: None,
                created_at: now,
                updated_at: now,
            };
            let user = UserRecord {
                id: UserId::new(),
                kind: AccountKind::Client,
                client_id: Some(client.id),
                login: login.clone(),
                email: Some(email.clone()),
                name: name.clone(),
                name_ru: None,
                phone: None,
                locale,
                password_hash: hash.clone(),
                full_access: false,
                is_main: true,
                is_active: true,
                created_at: now,
                updated_at: now,
            };
            w.tx().insert_client(&client).await?;
            w.tx().insert_user(&user).await?;
            for p in &providers {
                w.tx().connect_provider(client.id, p.id, now).await?;
            }
            reindex(w.tx(), &client).await?;
            let provider_names: Vec<&str> = providers.iter().map(|p| p.name.as_str()).collect();
            let changes = Changes::default()
                .set("name", &client.name)
                .set("email", &client.email)
                .set("login", &login)
                .set("locale", locale)
                .set("country", opt_display(&client.country))
                .set("providers", provider_names.join(", "))
                .set("staff_id", opt_display(&client.staff_id))
                .set("comment", client.comment.clone().unwrap_or_default())
                .secret("password");
            w.record_as(function, client_ref(client.id), "create", changes);
            if input.send_notification {
                let template = MailTemplate::Registration {
                    login: login.clone(),
                    panel_url: panel_url.clone(),
                };
                let mail = OutgoingMail::new(email.clone(), locale, template)
                    .to_name(name.clone())
                    .for_client(client.id)
                    .dedupe_key(format!("registration:{}", user.id));
                mail::enqueue(w.tx(), now, mail).await?;
            }
            Ok(CreatedClient {
                id: client.id,
                number: client.number,
                main_user: user.id,
                generated_password: None,
            })
        }))
        .await?;
        Ok(CreatedClient {
            generated_password: generated.then_some(password),
            ..created
        })
    }

    pub async fn update_client(
        &self,
        who: &Principal,
        id: ClientId,
        input: ClientChanges,
    ) -> Result<ClientRecord, AppError> {
        let input = &input;
        self.write(who, f::CLIENT_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let old = load_writable_client(w.tx(), id).await?;
                let mut new = old.clone();
                let mut invalid = Invalid::default();
                if let Some(v) = &input.name
                    && let Some(v) = invalid.check(DisplayName::parse("name", v))
                {
                    new.name = v;
                }
                if let Some(v) = &input.email
                    && let Some(v) = invalid.check(Email::parse("email", v))
                {
                    new.email = v;
                }
                new.locale = locale_of(&mut invalid, input.locale.as_deref(), old.locale);
                if let Some(v) = &input.country {
                    new.country = if v.trim().is_empty() {
                        None
                    } else {
                        invalid.check(Country::parse("country", v))
                    };
                }
                if let Some(v) = &input.phone {
                    new.phone = if v.trim().is_empty() {
                        None
                    } else {
                        invalid.check(Phone::parse("phone", v))
                    };
                }
                if let Some(v) = input.phone_verified {
                    new.phone_verified = v && new.phone.is_some();
                }
                if new.phone != old.phone && input.phone_verified.is_none() {
                    // A new number is not verified until it is.
                    new.phone_verified = false;
                }
                if let Some(v) = &input.label {
                    new.label = invalid.check(parse_label("label", v)).flatten();
                }
                if let Some(v) = &input.characteristic
                    && let Some(v) = invalid.check(Characteristic::parse("characteristic", v))
                {
                    new.characteristic = v;
                }
                if let Some(v) = &input.comment {
                    new.comment = invalid
                        .check(parse_text("comment", v, COMMENT_MAX))
                        .flatten();
                }
                invalid.into_result()?;
                if let Some(raw) = &input.staff_id {
                    new.staff_id = parse_staff(w.tx(), raw).await?;
                }
                let changes = Changes::default()
                    .diff("name", &old.name, &new.name)
                    .diff("email", &old.email, &new.email)
                    .diff("locale", &old.locale.code(), &new.locale.code())
                    .diff(
                        "country",
                        &opt_display(&old.country),
                        &opt_display(&new.country),
                    )
                    .diff("phone", &opt_display(&old.phone), &opt_display(&new.phone))
                    .diff("phone_verified", &old.phone_verified, &new.phone_verified)
                    .diff("label", &opt_display(&old.label), &opt_display(&new.label))
                    .diff(
                        "characteristic",
                        &old.characteristic.code(),
                        &new.characteristic.code(),
                    )
                    .diff(
                        "staff_id",
                        &opt_display(&old.staff_id),
                        &opt_display(&new.staff_id),
                    )
                    .diff(
                        "comment",
                        &opt_display(&old.comment),
                        &opt_display(&new.comment),
                    );
                if !changes.is_empty() {
                    new.updated_at = now;
                    w.tx().update_client(&new).await?;
                    // The search words come from the name, the e-mail and the logins (which
                    // move only with the e-mail): an edit of anything else leaves them, and
                    // rewriting them anyway would make unrelated edits conflict on PostgreSQL.
                    if new.email != old.email {
                        follow_email(w, who, &old, &new).await?;
                    }
                    if new.name != old.name || new.email != old.email {
                        reindex(w.tx(), &new).await?;
                    }
                    w.record(client_ref(id), "update", changes);
                }
                Ok(new)
            })
        })
        .await
    }

    pub async fn list_clients(
        &self,
        who: &Principal,
        text: Option<&str>,
        mut filter: ClientFilter,
        page: Page,
    ) -> Result<Paged<ClientListItem>, AppError> {
        who.require(f::CLIENT_LIST)?;
        let search = text.map(ClientSearch::parse).unwrap_or_default();
        filter.words = search.words;
        filter.number = search.number;
        // The page and its total from one snapshot, so they agree.
        let mut tx = self.store.snapshot().await?;
        let (items, total) = tx.list_clients(&filter, page).await?;
        tx.commit().await?;
        Ok(Paged {
            items,
            page: page.number,
            per_page: page.size,
            total,
        })
    }

    /// The client a person or script named by id or by number (`1042`). A number nobody has
    /// is 404, and so is, for a client user, another client's number: numbers are easy to
    /// guess, and an id nobody has answers 404 too. The use case called next authorises the
    /// caller as it would for the id.
    pub async fn resolve_client(
        &self,
        who: &Principal,
        client: ClientRef,
    ) -> Result<ClientId, AppError> {
        let number = match client {
            Ref::Id(id) => return Ok(id),
            Ref::Number(number) => number,
        };
        let mut tx = self.store.read().await?;
        let found = tx.client_id_by_number(number).await?;
        tx.commit().await?;
        match found {
            Some(id) if who.kind() == AccountKind::Staff || who.user.client_id == Some(id) => {
                Ok(id)
            }
            _ => Err(AppError::NotFound { what: "client" }),
        }
    }

    /// The number of the signed-in client user's own client (`None` for staff), for the
    /// client area to show.
    pub async fn own_client_number(
        &self,
        who: &Principal,
    ) -> Result<Option<ClientNumber>, AppError> {
        let Some(id) = who.user.client_id else {
            return Ok(None);
        };
        let mut tx = self.store.read().await?;
        let client = load_client(tx.as_mut(), id).await?;
        tx.commit().await?;
        Ok(Some(client.number))
    }

    pub async fn client_card(&self, who: &Principal, id: ClientId) -> Result<ClientCard, AppError> {
        who.require_any(CARD_READERS)?;
        self.card(id).await
    }

    pub(crate) async fn card(&self, id: ClientId) -> Result<ClientCard, AppError> {
        // Every tab of the card from one snapshot (its accounts will show balances).
        let mut tx = self.store.snapshot().await?;
        let client = load_client(tx.as_mut(), id).await?;
        let active = tx.client_is_active(id).await?;
        let users = tx.client_users(id).await?;
        let mut functions = std::collections::BTreeMap::new();
        for u in &users {
            let held = crate::client_accounts::functions_of(tx.as_mut(), u).await?;
            functions.insert(u.id, held);
        }
        let mut providers = Vec::new();
        for p in tx.client_providers(id).await? {
            if let Some(p) = tx.provider(p).await? {
                providers.push(p);
            }
        }
        let mut groups = Vec::new();
        for g in tx.groups_of(id).await? {
            if let Some(g) = tx.group(g).await? {
                groups.push(g);
            }
        }
        let payers = tx.payers_of(id).await?;
        let staff_login = match client.staff_id {
            Some(s) => tx.user_by_id(s).await?.map(|u| u.login.to_string()),
            None => None,
        };
        tx.commit().await?;
        Ok(ClientCard {
            client,
            active,
            users,
            functions,
            providers,
            groups,
            payers,
            staff_login,
        })
    }

    /// Deletes a client with its users and payers; refused, naming the reason, while it has
    /// payments, charges or active services.
    pub async fn delete_client(&self, who: &Principal, id: ClientId) -> Result<(), AppError> {
        self.write(who, f::CLIENT_DELETE, |w| {
            Box::pin(async move {
                let client = load_client(w.tx(), id).await?;
                let f = w.tx().client_footprint(id).await?;
                let refusal = if f.payments > 0 {
                    Some((
                        ErrorCode::ClientHasPayments,
                        format!(
                            "the client has {} payment(s); clear the data instead",
                            f.payments
                        ),
                    ))
                } else if f.expenses > 0 {
                    Some((
                        ErrorCode::ClientHasCharges,
                        format!(
                            "the client has {} charge(s); clear the data instead",
                            f.expenses
                        ),
                    ))
                } else if f.active_services > 0 {
                    Some((
                        ErrorCode::ClientHasActiveServices,
                        format!(
                            "the client has {} active service(s); delete them first",
                            f.active_services
                        ),
                    ))
                } else {
                    None
                };
                if let Some((code, message)) = refusal {
                    return Err(AppError::Conflict {
                        code,
                        field: None,
                        message,
                    });
                }
                w.tx().delete_client(id).await?;
                let changes =
                    Changes::default().diff("name", &client.name.to_string(), &String::new());
                w.record_as(f::CLIENT_DELETE, client_ref(id), "delete", changes);
                Ok(())
            })
        })
        .await
    }

    /// Clients → Providers → On/Off. Off is refused while the client has services there.
    pub async fn set_client_provider(
        &self,
        who: &Principal,
        id: ClientId,
        provider: ProviderId,
        on: bool,
    ) -> Result<(), AppError> {
        self.write(who, f::CLIENT_PROVIDERS, |w| Box::pin(async move {
            let now = w.now();
            load_client(w.tx(), id).await?;
            let p = w.tx().provider(provider).await?.ok_or(AppError::NotFound { what: "provider" })?;
            let providers = w.tx().client_providers(id).await?;
            let connected = providers.contains(&provider);
            if connected == on {
                return Ok(());
            }

            if on {
                w.tx().connect_provider(id, provider, now).await?;
            } else {
                let services = w.tx().active_services_with(id, provider).await?;
                if services > 0 {
                    return Err(AppError::Conflict {
                        code: ErrorCode::ProviderHasActiveServices,
                        field: None,
                        message: format!("the client has {services} active service(s) with {}; delete them first", p.name),
                    });
                }
                if providers.len() == 1 {
                    // A client belongs to at least one provider, as when it was created.
                    return Err(AppError::rule(
                        ErrorCode::LastProvider,
                        format!("{} is the client's only provider; connect another first", p.name),
                    ));
                }
                w.tx().disconnect_provider(id, provider).await?;
            }
            let changes = Changes::default().diff(&format!("provider:{}", p.name), &if on { "off" } else { "on" }, &if on { "on" } else { "off" });
            w.record_as(f::CLIENT_PROVIDERS, client_ref(id), "providers", changes);
            Ok(())
        }))
        .await
    }

    /// Puts the client in exactly these groups.
    pub async fn set_client_groups(
        &self,
        who: &Principal,
        id: ClientId,
        groups: Vec<String>,
    ) -> Result<(), AppError> {
        let groups = &groups;
        self.write(who, f::CLIENT_GROUPS, |w| {
            Box::pin(async move {
                load_client(w.tx(), id).await?;
                let mut ids: Vec<ClientGroupId> = Vec::new();
                let mut names = Vec::new();
                let mut unknown = Vec::new();
                for raw in groups.iter() {
                    match raw.parse::<ClientGroupId>() {
                        Ok(g) => match w.tx().group(g).await? {
                            Some(rec) if !ids.contains(&g) => {
                                ids.push(g);
                                names.push(rec.name);
                            }
                            Some(_) => {}
                            None => unknown.push(raw.as_str()),
                        },
                        Err(_) => unknown.push(raw.as_str()),
                    }
                }
                if !unknown.is_empty() {
                    return Err(AppError::invalid(
                        "groups",
                        ErrorCode::UnknownGroup,
                        format!("unknown groups: {}", unknown.join(", ")),
                    ));
                }
                let mut before = Vec::new();
                for g in w.tx().groups_of(id).await? {
                    if let Some(rec) = w.tx().group(g).await? {
                        before.push(rec.name);
                    }
                }
                before.sort();
                names.sort();
                w.tx().set_client_groups(id, &ids).await?;
                let changes =
                    Changes::default().diff("groups", &before.join(", "), &names.join(", "));
                if !changes.is_empty() {
                    w.record_as(f::CLIENT_GROUPS, client_ref(id), "groups", changes);
                }
                Ok(())
            })
        })
        .await
    }

    /// Every change to the client's card, users, payers, groups and provider links.
    pub async fn client_history(
        &self,
        who: &Principal,
        id: ClientId,
        page: Page,
    ) -> Result<Paged<HistoryView>, AppError> {
        who.require(f::CLIENT_HISTORY)?;
        let mut tx = self.store.snapshot().await?;
        load_client(tx.as_mut(), id).await?;
        let filter = HistoryFilter {
            client_id: Some(id),
            ..HistoryFilter::default()
        };
        let (items, total) = tx.list_history(&filter, page).await?;
        tx.commit().await?;
        Ok(Paged {
            items,
            page: page.number,
            per_page: page.size,
            total,
        })
    }

    /// "Send a message to the client": an e-mail to the client's address, in its language.
    pub async fn message_client(
        &self,
        who: &Principal,
        id: ClientId,
        subject: &str,
        message: &str,
    ) -> Result<(), AppError> {
        who.require(f::CLIENT_MESSAGE)?;
        let template = MailTemplate::client_message(
            who.user.name.clone(),
            subject,
            message,
            self.public_link("/client"),
        )?;
        let template = &template;
        self.write(who, f::CLIENT_MESSAGE, |w| {
            Box::pin(async move {
                let now = w.now();
                let client = load_writable_client(w.tx(), id).await?;
                let mail = OutgoingMail::new(client.email.clone(), client.locale, template.clone())
                    .to_name(client.name.clone())
                    .for_client(id);
                mail::enqueue(w.tx(), now, mail).await?;
                let changes = Changes::default().set("subject", subject.trim());
                w.record_as(f::CLIENT_MESSAGE, client_ref(id), "message", changes);
                Ok(())
            })
        })
        .await
    }
}
