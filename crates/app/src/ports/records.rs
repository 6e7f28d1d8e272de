//! Rows as the use cases see them. Values are already valid domain types; the store only
//! rebuilds them from what it stored.

use bursar_domain::access::AccountKind;
use bursar_domain::clients::Characteristic;
use bursar_domain::directory::Country;
use bursar_domain::history::Changes;
use bursar_domain::identity::{DisplayName, Email, Login};
use bursar_domain::staff::Phone;
use bursar_domain::{
    ApiTokenId, ClientId, ClientNumber, ErrorCode, HistoryId, Invalid, Locale, SessionId, UserId,
};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// A person who signs in: an employee, or a user of a client.
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: UserId,
    pub kind: AccountKind,
    /// The client a client user belongs to; `None` for staff.
    pub client_id: Option<ClientId>,
    pub login: Login,
    pub email: Option<Email>,
    pub name: DisplayName,
    /// The name in Russian, for staff shown to Russian-speaking users.
    pub name_ru: Option<String>,
    pub phone: Option<Phone>,
    pub locale: Locale,
    pub password_hash: String,
    /// Staff: every staff function.
    pub full_access: bool,
    /// Client: the user created with the client, holding every client function.
    pub is_main: bool,
    pub is_active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A client: a person or organisation buying services (the client card of seed 004).
#[derive(Clone, Debug)]
pub struct ClientRecord {
    pub id: ClientId,
    /// The short number people use (`#1042`), from the `clients` counter.
    pub number: ClientNumber,
    /// The client's or contact person's name.
    pub name: DisplayName,
    pub email: Email,
    pub locale: Locale,
    pub country: Option<Country>,
    pub phone: Option<Phone>,
    pub phone_verified: bool,
    /// One tag, usable as a list filter.
    pub label: Option<String>,
    pub registration_ip: Option<String>,
    pub characteristic: Characteristic,
    /// The employee who registered the client.
    pub staff_id: Option<UserId>,
    /// Internal note, never shown to the client.
    pub comment: Option<String>,
    /// Set once the client's personal data was cleared (GDPR).
    pub anonymized_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct SessionRecord {
    pub id: SessionId,
    pub user_id: UserId,
    pub token_hash: String,
    pub csrf_token: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    /// "Log in as client": the employee working in this client user's session.
    pub impersonator: Option<UserId>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ApiTokenRecord {
    pub id: ApiTokenId,
    #[serde(skip)]
    pub user_id: UserId,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    /// The first characters of the secret, so the owner can recognise it in a list.
    pub prefix: String,
    /// Functions the token is limited to; `None` = all of the issuer's.
    pub scope: Option<Vec<String>>,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// One history entry as written.
#[derive(Clone, Debug)]
pub struct HistoryRecord {
    pub id: HistoryId,
    pub at: Timestamp,
    pub actor_user_id: Option<UserId>,
    pub actor_login: Option<String>,
    pub actor_as_client_id: Option<ClientId>,
    pub ip: Option<String>,
    pub object_kind: String,
    pub object_id: String,
    pub client_id: Option<ClientId>,
    pub action: String,
    pub function: String,
    pub changes: Changes,
}

/// One history entry as read, with the actor's login resolved.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryView {
    pub id: HistoryId,
    pub at: Timestamp,
    pub actor_user_id: Option<UserId>,
    pub actor_login: Option<String>,
    /// The actor's full name (English, Russian), while the user exists.
    pub actor_name: Option<Name>,
    pub actor_as_client_id: Option<ClientId>,
    /// The provider's staff acted, and the reader (a client) is not told who.
    pub by_hidden_staff: bool,
    pub ip: Option<String>,
    pub object_kind: String,
    pub object_id: String,
    pub client_id: Option<ClientId>,
    pub action: String,
    pub function: String,
    pub changes: Changes,
    /// The names of the record and of the records its changes name by id (id → name), for
    /// staff readers.
    pub names: BTreeMap<String, Name>,
}

/// A record's name in English and, where it has one, in Russian.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Name {
    pub en: String,
    pub ru: Option<String>,
}

impl Name {
    pub fn in_locale(&self, locale: bursar_domain::Locale) -> &str {
        match (locale, &self.ru) {
            (bursar_domain::Locale::Ru, Some(ru)) if !ru.trim().is_empty() => ru,
            _ => &self.en,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct HistoryFilter {
    pub object_kind: Option<String>,
    pub object_id: Option<String>,
    pub client_id: Option<ClientId>,
    pub actor_user_id: Option<UserId>,
    /// Entries about this user or made by them (a user's own history).
    pub involving_user: Option<UserId>,
}

/// A page request: 1-based page number and page size (capped by the use case).
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub number: u32,
    pub size: u32,
}

impl Page {
    pub const MAX_SIZE: u32 = 200;

    pub fn new(number: Option<u32>, size: Option<u32>) -> Self {
        Self {
            number: number.unwrap_or(1).max(1),
            size: size.unwrap_or(Self::DEFAULT_SIZE).clamp(1, Self::MAX_SIZE),
        }
    }

    /// The default page size.
    pub const DEFAULT_SIZE: u32 = 50;

    /// A page as an API client asks for it: a value out of range is refused, naming `page`
    /// or `per_page`, rather than silently clamped as [`Page::new`] does for the panels'
    /// own links. A client asking for 500 items must learn it gets at most 200, not find
    /// fewer than it expected and conclude the list ended.
    pub fn parse(number: Option<i64>, size: Option<i64>) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let mut within = |field: &str, value: Option<i64>, default: u32, max: u32| match value {
            None => default,
            Some(v) => match u32::try_from(v) {
                Ok(v) if (1..=max).contains(&v) => v,
                _ => {
                    let message = if max == u32::MAX {
                        "must be a whole number from 1".to_owned()
                    } else {
                        format!("must be a whole number from 1 to {max}")
                    };
                    invalid.push(field, ErrorCode::OutOfRange, message);
                    default
                }
            },
        };
        let page = Self {
            number: within("page", number, 1, u32::MAX),
            size: within("per_page", size, Self::DEFAULT_SIZE, Self::MAX_SIZE),
        };
        invalid.into_result().map(|()| page)
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.number.saturating_sub(1)) * i64::from(self.size)
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn a_page_out_of_range_is_refused_naming_its_parameter() {
        let fields = |r: Result<Page, bursar_domain::Invalid>| {
            r.err()
                .map(|e| e.0.into_iter().map(|f| f.field).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let ok = Page::parse(None, None).map(|p| (p.number, p.size));
        assert_eq!(ok, Ok((1, Page::DEFAULT_SIZE)));
        let ok = Page::parse(Some(3), Some(200)).map(|p| (p.number, p.size));
        assert_eq!(ok, Ok((3, 200)));
        assert_eq!(fields(Page::parse(Some(0), None)), ["page"]);
        assert_eq!(
            fields(Page::parse(Some(-1), Some(201))),
            ["page", "per_page"]
        );
        assert_eq!(fields(Page::parse(None, Some(0))), ["per_page"]);
        assert_eq!(fields(Page::parse(Some(i64::MAX), None)), ["page"]);
    }
}
