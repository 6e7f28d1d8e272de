//! Clients → Clients: the list, the card, and what staff do to a client.

use super::HistoryPage;
use super::PageQuery;
use super::directory::ProviderDto;
use super::page_of;
use super::values::{
    CharacteristicCode, ClientSortKey, ClientStatusCode, CountryCode, EmailText, LocaleCode,
    LoginText, PasswordText, PayerKindCode,
};
use crate::guard::{AppExt, Caller, client_ip};
use crate::json::{ApiJson, ApiQuery};
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::request::Parts;
use bursar_app::clients::{ClientCard, ClientChanges, NewClientInput};
use bursar_app::ports::{
    ClientFilter, ClientListItem, ClientSort, ClientStatus, PayerRecord, UserRecord,
};
use bursar_app::{App, AppError, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::clients::Characteristic;
use bursar_domain::functions::f;
use bursar_domain::{ClientGroupId, ClientId, ClientRef, Invalid, ProviderId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClientBody {
    /// Only when the providers enable "login at registration"; otherwise the e-mail is the login.
    #[schema(value_type = Option<LoginText>)]
    pub login: Option<String>,
    #[schema(value_type = EmailText)]
    pub email: String,
    /// Provider ids (at least one).
    #[schema(value_type = Vec<uuid::Uuid>, min_items = 1)]
    pub providers: Vec<String>,
    /// Default `en`.
    #[schema(value_type = Option<LocaleCode>)]
    pub locale: Option<String>,
    #[schema(value_type = Option<CountryCode>)]
    pub country: Option<String>,
    /// Contact person.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Omit both to have a password generated (returned once).
    #[schema(value_type = Option<PasswordText>)]
    pub password: Option<String>,
    /// The same as `password`.
    pub password_confirmation: Option<String>,
    /// The registering employee's id (default: you).
    #[schema(value_type = Option<uuid::Uuid>)]
    pub staff_id: Option<String>,
    /// Internal note.
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
    /// Send the registration e-mail.
    #[serde(default)]
    pub send_notification: bool,
}

impl From<NewClientBody> for NewClientInput {
    fn from(b: NewClientBody) -> Self {
        NewClientInput {
            login: b.login,
            email: b.email,
            providers: b.providers,
            locale: b.locale,
            country: b.country,
            name: b.name,
            password: b.password,
            password_confirmation: b.password_confirmation,
            staff_id: b.staff_id,
            comment: b.comment,
            send_notification: b.send_notification,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedClientDto {
    #[schema(format = Uuid)]
    pub id: String,
    /// The client's short number (`1042`, shown as `#1042`); accepted wherever a client id is.
    #[schema(minimum = 1, example = 1042)]
    pub number: i64,
    #[schema(format = Uuid)]
    pub main_user_id: String,
    /// Present when the password was generated: shown only now.
    pub generated_password: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientPatch {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(value_type = Option<EmailText>)]
    pub email: Option<String>,
    #[schema(value_type = Option<LocaleCode>)]
    pub locale: Option<String>,
    /// ISO 3166-1 alpha-2; empty string clears it.
    pub country: Option<String>,
    /// An international number, e.g. `+44 20 7946 0958`; empty string clears it.
    pub phone: Option<String>,
    pub phone_verified: Option<bool>,
    /// One tag of up to 40 letters, digits, `-` or `_`; empty clears it.
    #[schema(max_length = 40)]
    pub label: Option<String>,
    #[schema(value_type = Option<CharacteristicCode>)]
    pub characteristic: Option<String>,
    /// The responsible employee's id; empty string for none.
    pub staff_id: Option<String>,
    /// Internal note; empty string clears it.
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

impl From<ClientPatch> for ClientChanges {
    fn from(b: ClientPatch) -> Self {
        ClientChanges {
            name: b.name,
            email: b.email,
            locale: b.locale,
            country: b.country,
            phone: b.phone,
            phone_verified: b.phone_verified,
            label: b.label,
            characteristic: b.characteristic,
            staff_id: b.staff_id,
            comment: b.comment,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClientSummary {
    #[schema(format = Uuid)]
    pub id: String,
    /// The client's short number (`1042`, shown as `#1042`); accepted wherever a client id is.
    #[schema(minimum = 1, example = 1042)]
    pub number: i64,
    pub name: String,
    #[schema(format = Email)]
    pub email: String,
    pub login: Option<String>,
    #[schema(value_type = ClientStatusCode)]
    pub status: String,
    pub label: Option<String>,
    #[schema(value_type = CharacteristicCode)]
    pub characteristic: String,
    pub country: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub registered_at: jiff::Timestamp,
}

impl From<ClientListItem> for ClientSummary {
    fn from(i: ClientListItem) -> Self {
        let c = i.client;
        ClientSummary {
            id: c.id.to_string(),
            number: c.number.value(),
            name: c.name.to_string(),
            email: c.email.to_string(),
            login: i.main_login,
            status: if i.active { "active" } else { "inactive" }.to_owned(),
            label: c.label,
            characteristic: c.characteristic.code().to_owned(),
            country: c.country.map(|c| c.code().to_owned()),
            registered_at: c.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClientPage {
    pub items: Vec<ClientSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClientQuery {
    /// Words matched against the beginnings of the words of name, e-mail and logins; a
    /// client number alone (`1042`, or `#1042` for that client only) finds that client too.
    pub q: Option<String>,
    pub label: Option<String>,
    /// `active` (has an active service) or `inactive`.
    #[param(value_type = Option<ClientStatusCode>, inline)]
    pub status: Option<String>,
    /// Provider id.
    #[param(value_type = Option<uuid::Uuid>)]
    pub provider: Option<String>,
    /// Client group id.
    #[param(value_type = Option<uuid::Uuid>)]
    pub group: Option<String>,
    #[param(value_type = Option<CharacteristicCode>, inline)]
    pub characteristic: Option<String>,
    /// Default `newest`.
    #[param(value_type = Option<ClientSortKey>, inline)]
    pub sort: Option<String>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 4294967295_i64)]
    pub page: Option<i64>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ClientUserDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub login: String,
    pub name: String,
    #[schema(format = Email)]
    pub email: Option<String>,
    pub is_main: bool,
    pub is_active: bool,
    /// The client functions the user holds.
    pub functions: Vec<String>,
}

impl ClientUserDto {
    pub fn new(u: UserRecord, functions: Vec<String>) -> Self {
        ClientUserDto {
            id: u.id.to_string(),
            login: u.login.to_string(),
            name: u.name.to_string(),
            email: u.email.map(|e| e.to_string()),
            is_main: u.is_main,
            is_active: u.is_active,
            functions,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PayerDto {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(value_type = PayerKindCode)]
    pub kind: String,
    pub name: String,
    pub country: String,
    pub region: Option<String>,
    pub address: Option<String>,
    pub tax_number: Option<String>,
    #[schema(format = Email)]
    pub email: Option<String>,
    pub is_default: bool,
}

impl From<PayerRecord> for PayerDto {
    fn from(p: PayerRecord) -> Self {
        PayerDto {
            id: p.id.to_string(),
            kind: p.kind.code().to_owned(),
            name: p.name,
            country: p.country.code().to_owned(),
            region: p.region,
            address: p.address,
            tax_number: p.tax_number,
            email: p.email,
            is_default: p.is_default,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GroupRef {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
}

/// The client card.
#[derive(Serialize, ToSchema)]
pub struct ClientDto {
    #[schema(format = Uuid)]
    pub id: String,
    /// The client's short number (`1042`, shown as `#1042`); accepted wherever a client id is.
    #[schema(minimum = 1, example = 1042)]
    pub number: i64,
    pub name: String,
    #[schema(format = Email)]
    pub email: String,
    #[schema(value_type = LocaleCode)]
    pub locale: String,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub label: Option<String>,
    #[schema(value_type = CharacteristicCode)]
    pub characteristic: String,
    #[schema(value_type = ClientStatusCode)]
    pub status: String,
    #[schema(value_type = String, format = DateTime)]
    pub registered_at: jiff::Timestamp,
    pub registration_ip: Option<String>,
    #[schema(format = Uuid)]
    pub staff_id: Option<String>,
    pub staff_login: Option<String>,
    pub comment: Option<String>,
    pub anonymized: bool,
    pub users: Vec<ClientUserDto>,
    pub providers: Vec<ProviderDto>,
    pub groups: Vec<GroupRef>,
    pub payers: Vec<PayerDto>,
}

impl From<ClientCard> for ClientDto {
    fn from(card: ClientCard) -> Self {
        let c = card.client;
        ClientDto {
            id: c.id.to_string(),
            number: c.number.value(),
            name: c.name.to_string(),
            email: c.email.to_string(),
            locale: c.locale.code().to_owned(),
            country: c.country.map(|c| c.code().to_owned()),
            phone: c.phone.map(|p| p.to_string()),
            phone_verified: c.phone_verified,
            label: c.label,
            characteristic: c.characteristic.code().to_owned(),
            status: if card.active { "active" } else { "inactive" }.to_owned(),
            registered_at: c.created_at,
            registration_ip: c.registration_ip,
            staff_id: c.staff_id.map(|s| s.to_string()),
            staff_login: card.staff_login,
            comment: c.comment,
            anonymized: c.anonymized_at.is_some(),
            users: card
                .users
                .into_iter()
                .map(|u| {
                    let held = card.functions.get(&u.id).cloned().unwrap_or_default();
                    ClientUserDto::new(u, held)
                })
                .collect(),
            providers: card.providers.into_iter().map(Into::into).collect(),
            groups: card
                .groups
                .into_iter()
                .map(|g| GroupRef {
                    id: g.id.to_string(),
                    name: g.name,
                })
                .collect(),
            payers: card.payers.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupsBody {
    /// Client group ids (replaces the set).
    pub groups: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    /// One line.
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    /// Plain text; line breaks are kept.
    #[schema(min_length = 1, max_length = 20000)]
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginAsAnswer {
    /// A client-area session secret for the client's main user, to send as the
    /// `bursar_session` cookie; your own session is untouched. History records you acting
    /// as the client.
    pub token: String,
}

/// Every personal datum Bursar holds about a client (GDPR Art. 15), as one JSON object.
// The use case builds the JSON (`export_client_data`); this type only describes its
// top-level keys for the API document, and a test keeps the two equal.
#[derive(ToSchema)]
pub struct ClientDataExport {
    /// When the export was made (RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    pub exported_at: String,
    /// The client card: `id`, `number`, `name`, `email`, `locale`, `country`, `phone`,
    /// `phone_verified`, `label`, `registration_ip`, `registered_at`, `characteristic`,
    /// `anonymized_at`.
    #[schema(value_type = Object)]
    pub client: serde_json::Value,
    /// The client's users, each with `id`, `login`, `name`, `email`, `locale`, `is_main`,
    /// `is_active`, `created_at`.
    #[schema(value_type = Vec<Object>)]
    pub users: Vec<serde_json::Value>,
    /// The client's payers, each with `id`, `kind`, `name`, `country`, `address`,
    /// `tax_number`, `email`, `is_default`.
    #[schema(value_type = Vec<Object>)]
    pub payers: Vec<serde_json::Value>,
    /// The names of the providers the client is connected to.
    pub providers: Vec<String>,
    /// The names of the client groups the client is in.
    pub groups: Vec<String>,
    /// The history of the client's records, newest first, each with `at`, `action`, `object`
    /// (the kind of record), `ip` and `changes`.
    #[schema(value_type = Vec<Object>)]
    pub history: Vec<serde_json::Value>,
    /// The e-mails sent or queued for the client, newest first, each with `created_at`,
    /// `to_address`, `subject` and `status`.
    #[schema(value_type = Vec<Object>)]
    pub emails: Vec<serde_json::Value>,
}

/// The client an address names by id or by number (`1042`, or `%231042` for `#1042`):
/// numbers are resolved to the id here, at the edge, so every use case keeps taking ids.
/// Neither (or a number nobody has) is 404.
pub(super) async fn client_id(app: &App, who: &Principal, raw: &str) -> Result<ClientId, Problem> {
    let named: ClientRef = raw.parse().map_err(|_| Problem::not_found())?;
    Ok(app.resolve_client(who, named).await?)
}

/// The client list's status filter values, as the API and the staff panel accept them.
pub const CLIENT_STATUSES: [(&str, ClientStatus); 2] = [
    ("active", ClientStatus::Active),
    ("inactive", ClientStatus::Inactive),
];

/// The client list's sort keys, as the API and the staff panel accept them.
pub const CLIENT_SORTS: [(&str, ClientSort); 4] = [
    ("newest", ClientSort::Newest),
    ("oldest", ClientSort::Oldest),
    ("name", ClientSort::Name),
    ("email", ClientSort::Email),
];

/// The client list's filter values as a query string carries them, before parsing. The API
/// and the staff panel's list both parse them with [`ClientFilterParams::parse`], so they
/// accept and refuse the same values.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientFilterParams<'a> {
    pub label: Option<&'a str>,
    pub status: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub group: Option<&'a str>,
    pub characteristic: Option<&'a str>,
    pub sort: Option<&'a str>,
}

impl ClientFilterParams<'_> {
    /// The filter (without the search words, which the use case takes apart). Empty values
    /// mean "any"; every value that is not one of the accepted ones is reported, each under
    /// its parameter's name with the code `invalid_filter`.
    pub fn parse(self) -> Result<ClientFilter, AppError> {
        let mut invalid = Invalid::default();
        let filter = ClientFilter {
            words: Vec::new(),
            number: None,
            // Labels are stored lower-case (`parse_label`), so `VIP` finds `vip`.
            label: self
                .label
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_lowercase),
            status: parse_opt(&mut invalid, "status", self.status, |v| {
                CLIENT_STATUSES
                    .iter()
                    .find(|(key, _)| *key == v)
                    .map(|(_, status)| *status)
            }),
            provider: parse_opt(&mut invalid, "provider", self.provider, |v| {
                v.parse::<ProviderId>().ok()
            }),
            group: parse_opt(&mut invalid, "group", self.group, |v| {
                v.parse::<ClientGroupId>().ok()
            }),
            characteristic: parse_opt(&mut invalid, "characteristic", self.characteristic, |v| {
                v.parse::<Characteristic>().ok()
            }),
            sort: parse_opt(&mut invalid, "sort", self.sort, |v| {
                CLIENT_SORTS
                    .iter()
                    .find(|(key, _)| *key == v)
                    .map(|(_, sort)| *sort)
            })
            .unwrap_or_default(),
        };
        invalid.into_result()?;
        Ok(filter)
    }
}

/// A non-empty `raw` parsed by `parse`, or `None` with the refusal recorded in `invalid`.
fn parse_opt<T>(
    invalid: &mut Invalid,
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let v = raw.map(str::trim).filter(|v| !v.is_empty())?;
    let parsed = parse(v);
    if parsed.is_none() {
        invalid.push(
            field,
            ErrorCode::InvalidFilter,
            format!("`{v}` is not a valid value"),
        );
    }
    parsed
}

pub async fn list(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<ClientQuery>,
) -> ApiResult<Json<ClientPage>> {
    let filter = ClientFilterParams {
        label: q.label.as_deref(),
        status: q.status.as_deref(),
        provider: q.provider.as_deref(),
        group: q.group.as_deref(),
        characteristic: q.characteristic.as_deref(),
        sort: q.sort.as_deref(),
    }
    .parse()?;
    let page = app
        .list_clients(&who, q.q.as_deref(), filter, page_of(q.page, q.per_page)?)
        .await?;
    Ok(Json(ClientPage {
        items: page.items.into_iter().map(Into::into).collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}

pub async fn create(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewClientBody>,
) -> ApiResult<(StatusCode, Json<CreatedClientDto>)> {
    let created = app.create_client(&who, b.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedClientDto {
            id: created.id.to_string(),
            number: created.number.value(),
            main_user_id: created.main_user.to_string(),
            generated_password: created.generated_password,
        }),
    ))
}

pub async fn show(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ClientDto>> {
    Ok(Json(
        app.client_card(&who, client_id(&app, &who, &id).await?)
            .await?
            .into(),
    ))
}

pub async fn update(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ClientPatch>,
) -> ApiResult<Json<ClientDto>> {
    let id = client_id(&app, &who, &id).await?;
    app.update_client(&who, id, b.into()).await?;
    Ok(Json(app.client_card(&who, id).await?.into()))
}

pub async fn delete(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_client(&who, client_id(&app, &who, &id).await?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn clear_data(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.clear_client_data(&who, client_id(&app, &who, &id).await?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn export(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(
        app.export_client_data(&who, client_id(&app, &who, &id).await?)
            .await?,
    ))
}

pub async fn history(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<HistoryPage>> {
    Ok(Json(
        app.client_history(
            &who,
            client_id(&app, &who, &id).await?,
            page_of(q.page, q.per_page)?,
        )
        .await?
        .into(),
    ))
}

pub async fn connect_provider(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((id, p)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let p: ProviderId = p.parse().map_err(|_| Problem::not_found())?;
    app.set_client_provider(&who, client_id(&app, &who, &id).await?, p, true)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn disconnect_provider(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((id, p)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let p: ProviderId = p.parse().map_err(|_| Problem::not_found())?;
    app.set_client_provider(&who, client_id(&app, &who, &id).await?, p, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn set_groups(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<GroupsBody>,
) -> ApiResult<StatusCode> {
    app.set_client_groups(&who, client_id(&app, &who, &id).await?, b.groups)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn message(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MessageBody>,
) -> ApiResult<StatusCode> {
    app.message_client(
        &who,
        client_id(&app, &who, &id).await?,
        &b.subject,
        &b.message,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn login_as(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<LoginAsAnswer>> {
    let token = app
        .login_as_client(&who, client_id(&app, &who, &id).await?)
        .await?;
    Ok(Json(LoginAsAnswer { token }))
}

/// Self-registration in the client area (public).
pub async fn register(
    Extension(app): AppExt,
    parts: Parts,
    ApiJson(b): ApiJson<RegisterBody>,
) -> ApiResult<(StatusCode, Json<CreatedClientDto>)> {
    let input = NewClientInput {
        login: b.login,
        email: b.email,
        providers: vec![b.provider],
        locale: b.locale,
        country: b.country,
        name: b.name,
        password: Some(b.password),
        password_confirmation: Some(b.password_confirmation),
        ..NewClientInput::default()
    };
    let created = app.register_client(input, client_ip(&parts)).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedClientDto {
            id: created.id.to_string(),
            number: created.number.value(),
            main_user_id: created.main_user.to_string(),
            generated_password: None,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// Provider id (see `GET /api/v1/registration/providers`).
    #[schema(value_type = uuid::Uuid)]
    pub provider: String,
    /// Only when the provider enables "login at registration"; otherwise the e-mail is the
    /// login.
    #[schema(value_type = Option<LoginText>)]
    pub login: Option<String>,
    #[schema(value_type = EmailText)]
    pub email: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(value_type = PasswordText)]
    pub password: String,
    /// The same as `password`.
    pub password_confirmation: String,
    #[schema(value_type = Option<LocaleCode>)]
    pub locale: Option<String>,
    #[schema(value_type = Option<CountryCode>)]
    pub country: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationProviders {
    pub items: Vec<ProviderDto>,
}

pub async fn registration_providers(
    Extension(app): AppExt,
) -> ApiResult<Json<RegistrationProviders>> {
    Ok(Json(RegistrationProviders {
        items: app
            .registration_providers()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/clients", f::CLIENT_LIST,
        Doc::new("clients", "Clients, filtered, sorted and paginated").query::<ClientQuery>().returns::<ClientPage>(200)
            .invalid("A filter or sort value is not one of the accepted ones (`invalid_filter`, per parameter)"), list)
    .op(M::POST, "/api/v1/clients", f::CLIENT_CREATE,
        Doc::new("clients", "Add a client with its main user").body::<NewClientBody>().returns::<CreatedClientDto>(201)
            .conflict("The login or e-mail is already in use (`login_taken`, `email_taken`)"), create)
    .op(M::GET, "/api/v1/clients/{id}", f::CLIENT_LIST,
        Doc::new("clients", "The client card").returns::<ClientDto>(200), show)
    .op(M::PATCH, "/api/v1/clients/{id}", f::CLIENT_EDIT,
        Doc::new("clients", "Edit the client card").body::<ClientPatch>().returns::<ClientDto>(200)
            .conflict("The client's data was cleared (`client_anonymized`), or the e-mail is already in use"), update)
    .op(M::DELETE, "/api/v1/clients/{id}", f::CLIENT_DELETE,
        Doc::new("clients", "Delete a client without payments, charges or active services").no_content()
            .conflict("The client has payments, charges or active services"), delete)
    .op(M::POST, "/api/v1/clients/{id}/clear-data", f::CLIENT_CLEAR_DATA,
        Doc::new("clients", "Deactivate the client's users and erase its personal data (GDPR); clearing a \
                             client already cleared changes nothing and answers 204 again").no_content(), clear_data)
    .op(M::GET, "/api/v1/clients/{id}/export", f::CLIENT_EXPORT,
        Doc::new("clients", "Every personal datum held about the client (GDPR Art. 15)")
            .returns::<ClientDataExport>(200), export)
    .op(M::GET, "/api/v1/clients/{id}/history", f::CLIENT_HISTORY,
        Doc::new("clients", "History of the client card, users, payers, groups and provider links")
            .query::<PageQuery>().returns::<HistoryPage>(200), history)
    .op(M::PUT, "/api/v1/clients/{id}/providers/{provider_id}", f::CLIENT_PROVIDERS,
        Doc::new("clients", "Connect the client to a provider").no_content()
            .refuses(404, "No such client or provider"), connect_provider)
    .op(M::DELETE, "/api/v1/clients/{id}/providers/{provider_id}", f::CLIENT_PROVIDERS,
        Doc::new("clients", "Disconnect the client from a provider (refused while it has services there)").no_content()
            .refuses(404, "No such client or provider")
            .conflict("The client has active services with the provider, or it is the client's only provider"),
        disconnect_provider)
    .op(M::PUT, "/api/v1/clients/{id}/groups", f::CLIENT_GROUPS,
        Doc::new("clients", "Put the client in exactly these groups").body::<GroupsBody>().no_content(), set_groups)
    .op(M::POST, "/api/v1/clients/{id}/messages", f::CLIENT_MESSAGE,
        Doc::new("clients", "E-mail a message to the client").body::<MessageBody>().no_content()
            .conflict("The client's data was cleared (`client_anonymized`)"), message)
    .op(M::POST, "/api/v1/clients/{id}/login-as", f::CLIENT_LOGIN_AS,
        Doc::new("clients", "Open the client area as the client").returns::<LoginAsAnswer>(200)
            .conflict("The client has no active main user"), login_as)
    .op(M::POST, "/api/v1/auth/register", f::CLIENT_REGISTER,
        Doc::new("auth", "Register as a client").body::<RegisterBody>().returns::<CreatedClientDto>(201)
            .conflict("The login or e-mail is already in use (`login_taken`, `email_taken`)")
            .refuses(429, "Too many registrations from this address; `Retry-After` says when to retry"),
        register)
    .op(M::GET, "/api/v1/registration/providers", f::CLIENT_REGISTER,
        Doc::new("auth", "Providers a new client may register with").returns::<RegistrationProviders>(200), registration_providers)
}
