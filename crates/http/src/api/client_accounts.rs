//! A client's users and payers: for staff under `/api/v1/clients/{id}/…`, for the client's
//! own users under `/api/v1/account/…` (always their own client).

use super::clients::{ClientUserDto, PayerDto, client_id};
use super::values::{
    ClientFunctionKey, CountryCode, EmailOrEmpty, LoginText, PasswordText, PayerKindCode,
};
use crate::guard::{AppExt, Caller};
use crate::json::ApiJson;
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use bursar_app::client_accounts::{ClientUserInput, PayerInput};
use bursar_app::{App, Principal};
use bursar_domain::functions::f;
use bursar_domain::{ClientId, PayerId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientUserBody {
    /// Required on create; refused on update (`read_only`).
    #[schema(value_type = Option<LoginText>)]
    pub login: Option<String>,
    /// Required on create.
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Empty for none.
    #[schema(value_type = Option<EmailOrEmpty>)]
    pub email: Option<String>,
    /// Required on create; on update, the user's sessions end (not for yourself: use
    /// `POST /api/v1/me/password`).
    #[schema(value_type = Option<PasswordText>)]
    pub password: Option<String>,
    pub is_active: Option<bool>,
    /// Client functions the user holds (replaces the set; the dashboard is always held).
    #[schema(value_type = Option<Vec<ClientFunctionKey>>)]
    pub functions: Option<Vec<String>>,
}

impl From<ClientUserBody> for ClientUserInput {
    fn from(b: ClientUserBody) -> Self {
        ClientUserInput {
            login: b.login,
            name: b.name,
            email: b.email,
            password: b.password,
            is_active: b.is_active,
            functions: b.functions,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClientUserList {
    pub items: Vec<ClientUserDto>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedId {
    #[schema(format = Uuid)]
    pub id: String,
}

/// A new payer (the client's first one becomes its default).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayerBody {
    #[schema(value_type = PayerKindCode)]
    pub kind: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(value_type = CountryCode)]
    pub country: String,
    /// A region of the country (a state, a subject) for regional tax rules; empty for none.
    #[schema(max_length = 100)]
    pub region: Option<String>,
    /// Empty for none.
    #[schema(max_length = 500)]
    pub address: Option<String>,
    /// Tax number or VAT id; empty for none.
    #[schema(max_length = 50)]
    pub tax_number: Option<String>,
    /// Where financial documents go; empty for none.
    #[schema(value_type = Option<EmailOrEmpty>)]
    pub email: Option<String>,
    /// Make it the client's default payer (the others stop being it).
    pub is_default: Option<bool>,
}

/// Changes to a payer; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayerPatchBody {
    #[schema(value_type = Option<PayerKindCode>)]
    pub kind: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(value_type = Option<CountryCode>)]
    pub country: Option<String>,
    /// A region of the country for regional tax rules; empty string clears it.
    #[schema(max_length = 100)]
    pub region: Option<String>,
    /// Empty string clears it.
    #[schema(max_length = 500)]
    pub address: Option<String>,
    /// Tax number or VAT id; empty string clears it.
    #[schema(max_length = 50)]
    pub tax_number: Option<String>,
    /// Where financial documents go; empty string clears it.
    #[schema(value_type = Option<EmailOrEmpty>)]
    pub email: Option<String>,
    /// `true` makes it the client's default payer (the others stop being it).
    pub is_default: Option<bool>,
}

impl From<NewPayerBody> for PayerInput {
    fn from(b: NewPayerBody) -> Self {
        PayerInput {
            kind: Some(b.kind),
            name: Some(b.name),
            country: Some(b.country),
            region: b.region,
            address: b.address,
            tax_number: b.tax_number,
            email: b.email,
            is_default: b.is_default,
        }
    }
}

impl From<PayerPatchBody> for PayerInput {
    fn from(b: PayerPatchBody) -> Self {
        PayerInput {
            kind: b.kind,
            name: b.name,
            country: b.country,
            region: b.region,
            address: b.address,
            tax_number: b.tax_number,
            email: b.email,
            is_default: b.is_default,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PayerList {
    pub items: Vec<PayerDto>,
}

fn own_client(who: &Principal) -> Result<ClientId, Problem> {
    who.user.client_id.ok_or_else(Problem::not_found)
}

fn id<T: std::str::FromStr>(raw: &str) -> Result<T, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

async fn users_of(app: &App, who: &Principal, client: ClientId) -> ApiResult<Json<ClientUserList>> {
    let items = app
        .list_client_users(who, client)
        .await?
        .into_iter()
        .map(|v| ClientUserDto::new(v.user, v.functions))
        .collect();
    Ok(Json(ClientUserList { items }))
}

async fn payers_of(app: &App, who: &Principal, client: ClientId) -> ApiResult<Json<PayerList>> {
    Ok(Json(PayerList {
        items: app
            .list_payers(who, client)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}

// Staff: /api/v1/clients/{id}/users and /payers.

pub async fn users(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
) -> ApiResult<Json<ClientUserList>> {
    users_of(&app, &who, client_id(&app, &who, &c).await?).await
}

pub async fn create_user(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
    ApiJson(b): ApiJson<ClientUserBody>,
) -> ApiResult<(StatusCode, Json<CreatedId>)> {
    let id = app
        .create_client_user(&who, client_id(&app, &who, &c).await?, b.into())
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedId { id: id.to_string() })))
}

pub async fn update_user(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((c, u)): Path<(String, String)>,
    ApiJson(b): ApiJson<ClientUserBody>,
) -> ApiResult<StatusCode> {
    app.update_client_user(
        &who,
        client_id(&app, &who, &c).await?,
        id::<UserId>(&u)?,
        b.into(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_user(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((c, u)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    app.delete_client_user(&who, client_id(&app, &who, &c).await?, id::<UserId>(&u)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn payers(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
) -> ApiResult<Json<PayerList>> {
    payers_of(&app, &who, client_id(&app, &who, &c).await?).await
}

pub async fn create_payer(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(c): Path<String>,
    ApiJson(b): ApiJson<NewPayerBody>,
) -> ApiResult<(StatusCode, Json<PayerDto>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            app.save_payer(&who, client_id(&app, &who, &c).await?, None, b.into())
                .await?
                .into(),
        ),
    ))
}

pub async fn update_payer(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((c, p)): Path<(String, String)>,
    ApiJson(b): ApiJson<PayerPatchBody>,
) -> ApiResult<Json<PayerDto>> {
    Ok(Json(
        app.save_payer(
            &who,
            client_id(&app, &who, &c).await?,
            Some(id::<PayerId>(&p)?),
            b.into(),
        )
        .await?
        .into(),
    ))
}

pub async fn delete_payer(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path((c, p)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    app.delete_payer(&who, client_id(&app, &who, &c).await?, id::<PayerId>(&p)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// Client area: /api/v1/account/users and /payers.

pub async fn my_users(
    Extension(app): AppExt,
    Caller(who): Caller,
) -> ApiResult<Json<ClientUserList>> {
    users_of(&app, &who, own_client(&who)?).await
}

pub async fn my_create_user(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<ClientUserBody>,
) -> ApiResult<(StatusCode, Json<CreatedId>)> {
    let id = app
        .create_client_user(&who, own_client(&who)?, b.into())
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedId { id: id.to_string() })))
}

pub async fn my_update_user(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(u): Path<String>,
    ApiJson(b): ApiJson<ClientUserBody>,
) -> ApiResult<StatusCode> {
    app.update_client_user(&who, own_client(&who)?, id::<UserId>(&u)?, b.into())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn my_delete_user(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(u): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_client_user(&who, own_client(&who)?, id::<UserId>(&u)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn my_payers(Extension(app): AppExt, Caller(who): Caller) -> ApiResult<Json<PayerList>> {
    payers_of(&app, &who, own_client(&who)?).await
}

pub async fn my_create_payer(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewPayerBody>,
) -> ApiResult<(StatusCode, Json<PayerDto>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            app.save_payer(&who, own_client(&who)?, None, b.into())
                .await?
                .into(),
        ),
    ))
}

pub async fn my_update_payer(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(p): Path<String>,
    ApiJson(b): ApiJson<PayerPatchBody>,
) -> ApiResult<Json<PayerDto>> {
    Ok(Json(
        app.save_payer(&who, own_client(&who)?, Some(id::<PayerId>(&p)?), b.into())
            .await?
            .into(),
    ))
}

pub async fn my_delete_payer(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(p): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_payer(&who, own_client(&who)?, id::<PayerId>(&p)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn my_export(
    Extension(app): AppExt,
    Caller(who): Caller,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(app.export_client_data(&who, own_client(&who)?).await?))
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    g.op(M::GET, "/api/v1/clients/{id}/users", f::CLIENT_USERS,
        Doc::new("clients", "The client's users and their functions").returns::<ClientUserList>(200), users)
    .op(M::POST, "/api/v1/clients/{id}/users", f::CLIENT_USERS,
        Doc::new("clients", "Add a user to the client").body::<ClientUserBody>().returns::<CreatedId>(201)
            .conflict("The client's data was cleared (`client_anonymized`), or the login or e-mail is already in use"),
        create_user)
    .op(M::PATCH, "/api/v1/clients/{id}/users/{user_id}", f::CLIENT_USERS,
        Doc::new("clients", "Edit a client's user and its functions").body::<ClientUserBody>().no_content()
            .conflict("The client's data was cleared (`client_anonymized`), the e-mail is already in use, or the \
                       main user would be disabled or given a subset of functions (`main_user`)"),
        update_user)
    .op(M::DELETE, "/api/v1/clients/{id}/users/{user_id}", f::CLIENT_USERS,
        Doc::new("clients", "Delete a client's user (not the main one)").no_content()
            .conflict("The client's data was cleared (`client_anonymized`), or the user is the main user (`main_user`)"),
        delete_user)
    .op(M::GET, "/api/v1/clients/{id}/payers", f::CLIENT_PAYERS,
        Doc::new("clients", "The client's payers").returns::<PayerList>(200), payers)
    .op(M::POST, "/api/v1/clients/{id}/payers", f::CLIENT_PAYERS,
        Doc::new("clients", "Add a payer (the first one is the default)").body::<NewPayerBody>().returns::<PayerDto>(201)
            .conflict("The client's data was cleared (`client_anonymized`)"), create_payer)
    .op(M::PATCH, "/api/v1/clients/{id}/payers/{payer_id}", f::CLIENT_PAYERS,
        Doc::new("clients", "Edit a payer").body::<PayerPatchBody>().returns::<PayerDto>(200)
            .conflict("The client's data was cleared (`client_anonymized`)"), update_payer)
    .op(M::DELETE, "/api/v1/clients/{id}/payers/{payer_id}", f::CLIENT_PAYERS,
        Doc::new("clients", "Delete a payer").no_content()
            .conflict("The client's data was cleared (`client_anonymized`)"), delete_payer)
    .op(M::GET, "/api/v1/account/users", f::ACCOUNT_USERS,
        Doc::new("account", "Your client's users").returns::<ClientUserList>(200), my_users)
    .op(M::POST, "/api/v1/account/users", f::ACCOUNT_USERS,
        Doc::new("account", "Add a user with some of your client's functions").body::<ClientUserBody>().returns::<CreatedId>(201)
            .conflict("The login or e-mail is already in use"),
        my_create_user)
    .op(M::PATCH, "/api/v1/account/users/{user_id}", f::ACCOUNT_USERS,
        Doc::new("account", "Edit one of your client's users").body::<ClientUserBody>().no_content()
            .conflict("The e-mail is already in use, or the main user would be disabled or given a subset of \
                       functions (`main_user`)"),
        my_update_user)
    .op(M::DELETE, "/api/v1/account/users/{user_id}", f::ACCOUNT_USERS,
        Doc::new("account", "Delete one of your client's users").no_content()
            .conflict("The user is the main user (`main_user`)"), my_delete_user)
    .op(M::GET, "/api/v1/account/payers", f::ACCOUNT_PAYERS,
        Doc::new("account", "Your payers").returns::<PayerList>(200), my_payers)
    .op(M::POST, "/api/v1/account/payers", f::ACCOUNT_PAYERS,
        Doc::new("account", "Add a payer").body::<NewPayerBody>().returns::<PayerDto>(201), my_create_payer)
    .op(M::PATCH, "/api/v1/account/payers/{payer_id}", f::ACCOUNT_PAYERS,
        Doc::new("account", "Edit a payer").body::<PayerPatchBody>().returns::<PayerDto>(200), my_update_payer)
    .op(M::DELETE, "/api/v1/account/payers/{payer_id}", f::ACCOUNT_PAYERS,
        Doc::new("account", "Delete a payer").no_content(), my_delete_payer)
    .op(M::GET, "/api/v1/account/export", f::ACCOUNT_USERS,
        Doc::new("account", "Every personal datum held about your client (GDPR Art. 15)")
            .returns::<super::clients::ClientDataExport>(200), my_export)
}
