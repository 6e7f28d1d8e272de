//! Storage of the provider's directory (currencies, providers, companies) and of clients
//! with their provider links, payers and groups.

use super::{ClientRecord, Page, StoreResult, UserRecord};
use async_trait::async_trait;
use bursar_domain::clients::{Characteristic, PayerKind};
use bursar_domain::directory::Country;
use bursar_domain::{
    ClientGroupId, ClientId, ClientNumber, CompanyId, PayerId, ProviderId, UserId,
};
use jiff::Timestamp;

#[derive(Clone, Debug)]
pub struct CurrencyRecord {
    pub code: String,
    pub name: String,
    pub minor_units: i64,
    pub is_active: bool,
}

#[derive(Clone, Debug)]
pub struct ProviderRecord {
    pub id: ProviderId,
    pub name: String,
    pub currency_code: String,
    /// "Enable login at registration": clients choose a login; otherwise the e-mail is it.
    pub login_at_registration: bool,
    /// Off: prices include tax (one price for everyone); on: tax is added by the rules.
    pub tax_on_top: bool,
    /// Show the tax included in a top-up (a payment's invoice).
    pub show_tax_on_top_up: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct CompanyRecord {
    pub id: CompanyId,
    pub name: String,
    pub country: Country,
    pub tax_number: Option<String>,
    pub address: String,
    pub bank_details: Option<String>,
    pub providers: Vec<ProviderId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct PayerRecord {
    pub id: PayerId,
    pub client_id: ClientId,
    pub kind: PayerKind,
    pub name: String,
    pub country: Country,
    /// A region of the country (a state, a subject), which regional tax rules match.
    pub region: Option<String>,
    pub address: Option<String>,
    pub tax_number: Option<String>,
    pub email: Option<String>,
    pub is_default: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A client group and the settings seed 004 lists; each is enforced by the feature it
/// restricts.
#[derive(Clone, Debug)]
pub struct ClientGroupRecord {
    pub id: ClientGroupId,
    pub name: String,
    pub allow_suspend: bool,
    pub allow_activate: bool,
    pub allow_delete: bool,
    pub unlimited_services: bool,
    pub forbid_contract_drafts: bool,
    pub mailing_segment: bool,
    pub forbidden_tariffs: Vec<String>,
    pub restricted_payment_methods: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientStatus {
    Active,
    Inactive,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientSort {
    #[default]
    Newest,
    Oldest,
    Name,
    Email,
}

#[derive(Clone, Debug, Default)]
pub struct ClientFilter {
    /// Words matched against the beginnings of the name's, e-mail's and logins' words.
    pub words: Vec<String>,
    /// The client with this number (with the words: or any client matching them).
    pub number: Option<ClientNumber>,
    pub label: Option<String>,
    pub status: Option<ClientStatus>,
    pub provider: Option<ProviderId>,
    pub group: Option<ClientGroupId>,
    pub characteristic: Option<Characteristic>,
    pub sort: ClientSort,
}

/// A row of the client list.
#[derive(Clone, Debug)]
pub struct ClientListItem {
    pub client: ClientRecord,
    pub active: bool,
    pub main_login: Option<String>,
}

/// One e-mail to a client, as shown on its card and in its data export.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MailSummary {
    pub created_at: Timestamp,
    pub to_address: String,
    pub subject: String,
    pub status: String,
}

/// A service of a client as the services feature records it.
#[derive(Clone, Debug)]
pub struct ServiceRecord {
    pub id: String,
    pub provider_id: ProviderId,
    pub status: String,
    pub created_at: Timestamp,
}

/// What refuses a client's deletion: money movements and active services.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientFootprint {
    pub payments: i64,
    pub expenses: i64,
    pub active_services: i64,
}

#[async_trait]
pub trait Directory {
    async fn list_currencies(&mut self) -> StoreResult<Vec<CurrencyRecord>>;
    async fn currency(&mut self, code: &str) -> StoreResult<Option<CurrencyRecord>>;
    /// Adds the currency unless present (install).
    async fn seed_currency(&mut self, c: &CurrencyRecord, at: Timestamp) -> StoreResult<()>;
    async fn set_currency_active(
        &mut self,
        code: &str,
        active: bool,
        at: Timestamp,
    ) -> StoreResult<()>;

    async fn insert_provider(&mut self, p: &ProviderRecord) -> StoreResult<()>;
    async fn update_provider(&mut self, p: &ProviderRecord) -> StoreResult<()>;
    async fn delete_provider(&mut self, id: ProviderId) -> StoreResult<()>;
    async fn provider(&mut self, id: ProviderId) -> StoreResult<Option<ProviderRecord>>;
    async fn list_providers(&mut self) -> StoreResult<Vec<ProviderRecord>>;
    /// Rows anywhere that still point at the provider (clients, services, money, companies).
    async fn provider_references(&mut self, id: ProviderId) -> StoreResult<i64>;

    async fn insert_company(&mut self, c: &CompanyRecord) -> StoreResult<()>;
    async fn update_company(&mut self, c: &CompanyRecord) -> StoreResult<()>;
    async fn delete_company(&mut self, id: CompanyId) -> StoreResult<()>;
    async fn company(&mut self, id: CompanyId) -> StoreResult<Option<CompanyRecord>>;
    async fn list_companies(&mut self) -> StoreResult<Vec<CompanyRecord>>;
}

#[async_trait]
pub trait ClientCards {
    async fn update_client(&mut self, c: &ClientRecord) -> StoreResult<()>;
    async fn delete_client(&mut self, id: ClientId) -> StoreResult<()>;
    async fn list_clients(
        &mut self,
        filter: &ClientFilter,
        page: Page,
    ) -> StoreResult<(Vec<ClientListItem>, i64)>;
    async fn set_search_terms(&mut self, client: ClientId, terms: &[String]) -> StoreResult<()>;
    async fn client_is_active(&mut self, client: ClientId) -> StoreResult<bool>;
    async fn client_footprint(&mut self, client: ClientId) -> StoreResult<ClientFootprint>;
    /// The client's services, newest first.
    async fn services_of(&mut self, client: ClientId) -> StoreResult<Vec<ServiceRecord>>;
    async fn client_users(&mut self, client: ClientId) -> StoreResult<Vec<UserRecord>>;
    async fn client_providers(&mut self, client: ClientId) -> StoreResult<Vec<ProviderId>>;
    async fn connect_provider(
        &mut self,
        client: ClientId,
        provider: ProviderId,
        at: Timestamp,
    ) -> StoreResult<()>;
    async fn disconnect_provider(
        &mut self,
        client: ClientId,
        provider: ProviderId,
    ) -> StoreResult<()>;
    async fn active_services_with(
        &mut self,
        client: ClientId,
        provider: ProviderId,
    ) -> StoreResult<i64>;
    /// Replaces a client user's granted functions.
    async fn set_user_grants(
        &mut self,
        user: UserId,
        functions: &[String],
        at: Timestamp,
    ) -> StoreResult<()>;
    /// Blanks personal values in the client's history entries (GDPR), and the addresses and
    /// logins of entries its users made: of `users` and of the users deleted before, whom
    /// the entries about them still name. Entries about those users' API tokens count as the
    /// client's.
    async fn anonymize_history(&mut self, client: ClientId, users: &[UserId]) -> StoreResult<()>;
    /// Erases addresses and texts of the client's e-mails and gives up those not yet sent.
    async fn erase_client_mails(&mut self, client: ClientId) -> StoreResult<()>;
    /// The e-mails queued or sent to the client, newest first.
    async fn client_mails(&mut self, client: ClientId) -> StoreResult<Vec<MailSummary>>;
    /// Replaces a user's login and e-mail (GDPR clean-up keeps the row, not the identity).
    async fn set_user_identity(
        &mut self,
        user: UserId,
        login: &str,
        email: Option<&str>,
        name: &str,
        at: Timestamp,
    ) -> StoreResult<()>;
}

#[async_trait]
pub trait Payers {
    async fn insert_payer(&mut self, p: &PayerRecord) -> StoreResult<()>;
    async fn update_payer(&mut self, p: &PayerRecord) -> StoreResult<()>;
    async fn delete_payer(&mut self, id: PayerId) -> StoreResult<()>;
    async fn payers_of(&mut self, client: ClientId) -> StoreResult<Vec<PayerRecord>>;
    /// Makes `payer` the client's only default payer.
    async fn set_default_payer(&mut self, client: ClientId, payer: PayerId) -> StoreResult<()>;
}

#[async_trait]
pub trait ClientGroups {
    async fn insert_group(&mut self, g: &ClientGroupRecord) -> StoreResult<()>;
    async fn update_group(&mut self, g: &ClientGroupRecord) -> StoreResult<()>;
    async fn delete_group(&mut self, id: ClientGroupId) -> StoreResult<()>;
    async fn group(&mut self, id: ClientGroupId) -> StoreResult<Option<ClientGroupRecord>>;
    async fn list_groups(&mut self) -> StoreResult<Vec<(ClientGroupRecord, i64)>>;
    async fn groups_of(&mut self, client: ClientId) -> StoreResult<Vec<ClientGroupId>>;
    async fn set_client_groups(
        &mut self,
        client: ClientId,
        groups: &[ClientGroupId],
    ) -> StoreResult<()>;
}
