//! Request and response bodies of the API, with their OpenAPI schemas. Requests reject
//! unknown fields; instants are RFC 3339 strings; ids are UUID strings.

use super::values::{FunctionKey, LocaleCode, PasswordText};
use crate::problem::Problem;
use bursar_app::ports::{ApiTokenRecord, HistoryView, Page};
use bursar_app::{AppError, Principal};
use bursar_domain::functions::{FUNCTIONS, SECTIONS};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Login or e-mail (any case).
    pub login: String,
    #[schema(format = Password)]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginAnswer {
    /// The session secret; also set as the `bursar_session` cookie.
    pub token: String,
    pub user: MeDto,
}

#[derive(Serialize, ToSchema)]
pub struct MeDto {
    #[schema(format = Uuid)]
    pub id: String,
    /// `staff` or `client`.
    pub kind: String,
    pub login: String,
    pub name: String,
    #[schema(format = Email)]
    pub email: Option<String>,
    #[schema(value_type = LocaleCode)]
    pub locale: String,
    #[schema(format = Uuid)]
    pub client_id: Option<String>,
    pub full_access: bool,
    /// Every non-public function the caller may use now.
    pub functions: Vec<String>,
    /// Present for session callers: send it as `X-CSRF-Token` on state-changing requests.
    pub csrf_token: Option<String>,
}

impl From<&Principal> for MeDto {
    fn from(p: &Principal) -> Self {
        let u = &p.user;
        MeDto {
            id: u.id.to_string(),
            kind: u.kind.as_str().to_owned(),
            login: u.login.to_string(),
            name: u.name.to_string(),
            email: u.email.as_ref().map(ToString::to_string),
            locale: u.locale.code().to_owned(),
            client_id: u.client_id.map(|c| c.to_string()),
            full_access: u.full_access,
            functions: FUNCTIONS
                .iter()
                .filter(|f| f.audience != bursar_domain::Audience::Public && p.rights.allows(f))
                .map(|f| f.key.to_owned())
                .collect(),
            csrf_token: p.session_csrf().map(str::to_owned),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMeBody {
    /// The interface language.
    #[schema(value_type = Option<LocaleCode>)]
    pub locale: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    #[schema(min_length = 1, format = Password)]
    pub current_password: String,
    #[schema(value_type = PasswordText)]
    pub new_password: String,
    /// The same as `new_password`.
    #[schema(format = Password)]
    pub password_confirmation: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenBody {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Function keys the token is limited to, each one you hold; omit for all of yours,
    /// now and later (a scoped token must give a scope within its own).
    #[schema(value_type = Option<Vec<FunctionKey>>)]
    pub scope: Option<Vec<String>>,
    /// Days until the token expires; omit for a token that does not expire.
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    /// The first characters of the secret.
    pub prefix: String,
    pub scope: Option<Vec<String>>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<jiff::Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<jiff::Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<jiff::Timestamp>,
}

impl From<ApiTokenRecord> for TokenDto {
    fn from(t: ApiTokenRecord) -> Self {
        TokenDto {
            id: t.id.to_string(),
            name: t.name,
            prefix: t.prefix,
            scope: t.scope,
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenDto>,
}

#[derive(Serialize, ToSchema)]
pub struct IssuedTokenDto {
    /// The secret: send as `Authorization: Bearer …`. Shown only now.
    pub secret: String,
    pub token: TokenDto,
}

/// The page a list query asks for: `page` and `per_page` out of range are refused (422,
/// naming the parameter), never clamped, so a client asking for more than the server gives
/// learns it rather than finding a short page.
pub(crate) fn page_of(page: Option<i64>, per_page: Option<i64>) -> Result<Page, Problem> {
    Page::parse(page, per_page).map_err(|e| AppError::from(e).into())
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 4294967295_i64)]
    pub page: Option<i64>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// e.g. `user`, `client`, `api_token`.
    pub object_kind: Option<String>,
    pub object_id: Option<String>,
    /// The client's id or number (`1042`).
    pub client_id: Option<String>,
    pub actor_user_id: Option<String>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 4294967295_i64)]
    pub page: Option<i64>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeDto {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryEntryDto {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: jiff::Timestamp,
    #[schema(format = Uuid)]
    pub actor_user_id: Option<String>,
    pub actor_login: Option<String>,
    /// Set when an employee acted inside this client's area.
    #[schema(format = Uuid)]
    pub actor_as_client_id: Option<String>,
    /// In a client's own history: the provider's staff made the change (who is not shown).
    pub by_provider_staff: bool,
    pub ip: Option<String>,
    pub object_kind: String,
    pub object_id: String,
    #[schema(format = Uuid)]
    pub client_id: Option<String>,
    pub action: String,
    pub function: String,
    pub changes: Vec<ChangeDto>,
}

impl From<HistoryView> for HistoryEntryDto {
    fn from(h: HistoryView) -> Self {
        HistoryEntryDto {
            id: h.id.to_string(),
            at: h.at,
            actor_user_id: h.actor_user_id.map(|u| u.to_string()),
            actor_login: h.actor_login,
            actor_as_client_id: h.actor_as_client_id.map(|c| c.to_string()),
            by_provider_staff: h.by_hidden_staff,
            ip: h.ip,
            object_kind: h.object_kind,
            object_id: h.object_id,
            client_id: h.client_id.map(|c| c.to_string()),
            action: h.action,
            function: h.function,
            changes: h
                .changes
                .0
                .into_iter()
                .map(|c| ChangeDto {
                    field: c.field,
                    old: c.old,
                    new: c.new,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct HistoryPage {
    pub items: Vec<HistoryEntryDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

impl From<bursar_app::history::Paged<HistoryView>> for HistoryPage {
    fn from(p: bursar_app::history::Paged<HistoryView>) -> Self {
        HistoryPage {
            items: p.items.into_iter().map(Into::into).collect(),
            page: p.page,
            per_page: p.per_page,
            total: p.total,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SectionDto {
    pub key: String,
    pub parent: Option<String>,
    pub name_en: String,
    pub name_ru: String,
}

#[derive(Serialize, ToSchema)]
pub struct FunctionDto {
    pub key: String,
    pub section: String,
    pub name_en: String,
    pub name_ru: String,
    /// `public`, `anyone`, `staff`, `client` or `system`.
    pub audience: String,
    /// Whether the caller may use it.
    pub allowed: bool,
}

/// The section tree (each section names its parent) and the functions in it.
#[derive(Serialize, ToSchema)]
pub struct FunctionTree {
    pub sections: Vec<SectionDto>,
    pub functions: Vec<FunctionDto>,
}

impl FunctionTree {
    pub fn for_caller(p: &Principal) -> Self {
        FunctionTree {
            sections: SECTIONS
                .iter()
                .map(|s| SectionDto {
                    key: s.key.to_owned(),
                    parent: s.parent.map(str::to_owned),
                    name_en: s.name_en.to_owned(),
                    name_ru: s.name_ru.to_owned(),
                })
                .collect(),
            functions: FUNCTIONS
                .iter()
                .map(|f| FunctionDto {
                    key: f.key.to_owned(),
                    section: f.section.to_owned(),
                    name_en: f.name_en.to_owned(),
                    name_ru: f.name_ru.to_owned(),
                    audience: serde_json::to_value(f.audience)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    allowed: p.rights.allows(f),
                })
                .collect(),
        }
    }
}
