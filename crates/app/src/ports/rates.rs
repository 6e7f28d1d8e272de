//! Storage of exchange rates (issue 11): the directory's, a client group's and a client's
//! personal rates, three tables of one shape. One pair has at most one rate per day in each
//! scope (the `*_pair_key` unique indexes), which is what makes parallel entry safe.

use super::{Page, StoreResult};
use async_trait::async_trait;
use bursar_domain::pricing::rates::Rate;
use bursar_domain::{ClientGroupId, ClientId};
use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;
use uuid::Uuid;

/// Whose rate it is: the directory's (everyone), a client group's, or one client's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateOwner {
    Directory,
    Group(ClientGroupId),
    Client(ClientId),
}

/// A stored rate: `units` of `currency_code` are worth `rate` of `base_code` from
/// `valid_from` until the pair's next rate in the same scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateRecord {
    pub id: Uuid,
    pub owner: RateOwner,
    pub base_code: String,
    pub currency_code: String,
    pub rate: Decimal,
    pub units: i64,
    pub valid_from: Date,
    /// A derived directory rate: the rate it was computed from (gone if that was deleted)…
    pub source_id: Option<Uuid>,
    /// …and the expression applied to it (`*1.05`).
    pub expression: Option<String>,
    /// A personal rate's limit: how much of the base currency (minor units) one document
    /// may convert at it.
    pub amount_minor: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Which rates a list shows; empty means any.
#[derive(Clone, Debug, Default)]
pub struct RateFilter {
    pub base: Option<String>,
    pub currency: Option<String>,
}

#[async_trait]
pub trait Rates {
    async fn insert_rate(&mut self, r: &RateRecord) -> StoreResult<()>;
    async fn update_rate(&mut self, r: &RateRecord) -> StoreResult<()>;
    async fn delete_rate(&mut self, owner: RateOwner, id: Uuid) -> StoreResult<()>;
    /// The owner's rate `id`; another owner's rate is `None`.
    async fn rate(&mut self, owner: RateOwner, id: Uuid) -> StoreResult<Option<RateRecord>>;
    /// The owner's rates, newest `valid_from` first, and how many match in all.
    async fn list_rates(
        &mut self,
        owner: RateOwner,
        filter: &RateFilter,
        page: Page,
    ) -> StoreResult<(Vec<RateRecord>, i64)>;
    /// Directory rates derived from `source`.
    async fn rates_derived_from(&mut self, source: Uuid) -> StoreResult<Vec<RateRecord>>;
    /// Every rate that may convert for `client` on `day` (each scope's rates in force on or
    /// before it: the client's own, its groups', the directory's), for a quote's
    /// [`bursar_domain::pricing::rates::RateBook`].
    async fn rate_book(&mut self, client: ClientId, day: Date) -> StoreResult<Vec<Rate>>;
}
