//! Storage of the catalog (enumerations, processing modules, product types with their service
//! parameters, tariff plans with prices and add-ons), and the port that calls a processing
//! module (an external program or an HTTP endpoint), which the job crate implements.

use super::StoreResult;
use async_trait::async_trait;
use bursar_domain::catalog::{AddonBilling, ParamKind, Period};
use bursar_domain::{DepartmentId, ProviderId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Catalog ids are plain UUIDv7s: they never cross into another aggregate's typed ids.
pub type CatalogId = Uuid;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumItem {
    pub value: String,
    pub name_en: String,
    pub name_ru: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumerationRecord {
    pub id: CatalogId,
    pub name_en: String,
    pub name_ru: String,
    pub items: Vec<EnumItem>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleKind {
    /// The work becomes a task for a department.
    Manual,
    /// An executable gets the request as JSON on stdin and answers JSON on stdout.
    Program,
    /// An HTTP endpoint gets the request as a JSON POST and answers JSON.
    Http,
}

impl ModuleKind {
    pub const ALL: [ModuleKind; 3] = [ModuleKind::Manual, ModuleKind::Program, ModuleKind::Http];

    pub fn key(self) -> &'static str {
        match self {
            ModuleKind::Manual => "manual",
            ModuleKind::Program => "program",
            ModuleKind::Http => "http",
        }
    }

    pub fn parse(s: &str) -> Option<ModuleKind> {
        ModuleKind::ALL.into_iter().find(|k| k.key() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleRecord {
    pub id: CatalogId,
    pub name: String,
    pub kind: ModuleKind,
    pub department_id: Option<DepartmentId>,
    /// The program (absolute path) of a `program` module.
    pub command: Option<String>,
    /// The endpoint of an `http` module.
    pub url: Option<String>,
    /// Sent to the module (environment `BURSAR_MODULE_SECRET`, or a bearer token); never
    /// shown back.
    pub secret: Option<String>,
    pub timeout_secs: i64,
    pub is_active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamRecord {
    pub key: String,
    pub label_en: String,
    pub label_ru: String,
    pub kind: ParamKind,
    pub enumeration_id: Option<CatalogId>,
    pub required: bool,
    /// Asked at order, or "may be given after payment" (quick order).
    pub after_payment: bool,
    pub min_length: i64,
    pub max_length: i64,
    pub pattern: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductTypeRecord {
    pub id: CatalogId,
    /// The internal name, unique.
    pub key: String,
    pub name_en: String,
    pub name_ru: String,
    pub module_id: Option<CatalogId>,
    pub params: Vec<ParamRecord>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceRecord {
    pub period: Period,
    pub price_minor: i64,
    pub setup_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddonPrice {
    pub period: Period,
    /// For a choice: the enumeration value the price is for; else empty.
    pub option: String,
    pub price_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddonRecord {
    pub id: CatalogId,
    pub tariff_id: CatalogId,
    pub position: i64,
    pub key: String,
    pub name_en: String,
    pub name_ru: String,
    pub billing: AddonBilling,
    pub unit: String,
    pub included: i64,
    pub min: i64,
    pub max: i64,
    pub step: i64,
    pub enumeration_id: Option<CatalogId>,
    pub prices: Vec<AddonPrice>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TariffRecord {
    pub id: CatalogId,
    pub product_type_id: CatalogId,
    pub provider_id: ProviderId,
    pub currency_code: String,
    pub name_en: String,
    pub name_ru: String,
    pub description_en: String,
    pub description_ru: String,
    pub is_active: bool,
    /// Orderable by clients (else by staff only).
    pub client_orderable: bool,
    pub quick_order: bool,
    /// How many services one client may have (a group can lift it); `None` for no limit.
    pub max_services: Option<i64>,
    pub default_period: Period,
    pub trial_days: i64,
    pub prices: Vec<PriceRecord>,
    pub archived_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[async_trait]
pub trait Catalog {
    async fn insert_enumeration(&mut self, e: &EnumerationRecord) -> StoreResult<()>;
    /// Saves the names and replaces the items.
    async fn update_enumeration(&mut self, e: &EnumerationRecord) -> StoreResult<()>;
    async fn delete_enumeration(&mut self, id: CatalogId) -> StoreResult<()>;
    async fn enumeration(&mut self, id: CatalogId) -> StoreResult<Option<EnumerationRecord>>;
    async fn enumerations(&mut self) -> StoreResult<Vec<EnumerationRecord>>;
    /// Parameters and add-ons that use the enumeration.
    async fn enumeration_uses(&mut self, id: CatalogId) -> StoreResult<i64>;

    async fn insert_module(&mut self, m: &ModuleRecord) -> StoreResult<()>;
    async fn update_module(&mut self, m: &ModuleRecord) -> StoreResult<()>;
    async fn delete_module(&mut self, id: CatalogId) -> StoreResult<()>;
    async fn module(&mut self, id: CatalogId) -> StoreResult<Option<ModuleRecord>>;
    async fn modules(&mut self) -> StoreResult<Vec<ModuleRecord>>;
    async fn module_uses(&mut self, id: CatalogId) -> StoreResult<i64>;

    async fn insert_product_type(&mut self, t: &ProductTypeRecord) -> StoreResult<()>;
    /// Saves the type and replaces its parameters.
    async fn update_product_type(&mut self, t: &ProductTypeRecord) -> StoreResult<()>;
    async fn delete_product_type(&mut self, id: CatalogId) -> StoreResult<()>;
    async fn product_type(&mut self, id: CatalogId) -> StoreResult<Option<ProductTypeRecord>>;
    async fn product_types(&mut self) -> StoreResult<Vec<ProductTypeRecord>>;

    async fn insert_tariff(&mut self, t: &TariffRecord) -> StoreResult<()>;
    /// Saves the plan and replaces its prices.
    async fn update_tariff(&mut self, t: &TariffRecord) -> StoreResult<()>;
    async fn delete_tariff(&mut self, id: CatalogId) -> StoreResult<()>;
    async fn tariff(&mut self, id: CatalogId) -> StoreResult<Option<TariffRecord>>;
    /// Plans, of one product type when asked.
    async fn tariffs(&mut self, product_type: Option<CatalogId>) -> StoreResult<Vec<TariffRecord>>;
    /// Services ordered on the plan (none until orders arrive).
    async fn tariff_services(&mut self, id: CatalogId) -> StoreResult<i64>;

    async fn insert_addon(&mut self, a: &AddonRecord) -> StoreResult<()>;
    /// Saves the add-on and replaces its prices.
    async fn update_addon(&mut self, a: &AddonRecord) -> StoreResult<()>;
    async fn delete_addon(&mut self, id: CatalogId) -> StoreResult<()>;
    async fn addon(&mut self, id: CatalogId) -> StoreResult<Option<AddonRecord>>;
    async fn addons_of(&mut self, tariff: CatalogId) -> StoreResult<Vec<AddonRecord>>;
}

/// What Bursar asks a processing module to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleOperation {
    Open,
    Suspend,
    Resume,
    Close,
    Change,
    Check,
}

/// The JSON document a module receives.
#[derive(Clone, Debug, Serialize)]
pub struct ModuleRequest {
    pub operation: ModuleOperation,
    pub service: serde_json::Value,
    pub tariff: serde_json::Value,
    pub addons: serde_json::Value,
    pub parameters: serde_json::Value,
}

/// The JSON document a module answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModuleAnswer {
    pub ok: bool,
    /// Parameters to store on the service.
    #[serde(default)]
    pub parameters: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub message: String,
}

/// Why a module call gave no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModuleError {
    #[error("the module did not answer within {0} s")]
    Timeout(i64),
    #[error("the module's answer is not the expected JSON: {0}")]
    BadAnswer(String),
    #[error("the module could not be called: {0}")]
    Unreachable(String),
    #[error("a manual module has nothing to call")]
    Manual,
}

/// Calls processing modules; never inside a transaction.
#[async_trait]
pub trait ModuleRunner: Send + Sync {
    async fn call(
        &self,
        module: &ModuleRecord,
        request: &ModuleRequest,
    ) -> Result<ModuleAnswer, ModuleError>;
}
