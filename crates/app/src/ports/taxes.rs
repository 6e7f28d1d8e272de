//! Storage of tax rules (issue 11): one table for the three levels. A rule with neither a
//! group nor a client is the provider's; with a group, the group's; with a client, that
//! client's special rule (seed 004), which also keeps the time zone its dates were typed in.

use super::StoreResult;
use async_trait::async_trait;
use bursar_domain::pricing::taxes::{Level, TaxRule};
use bursar_domain::{ClientGroupId, ClientId, ProviderId};
use jiff::Timestamp;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxRuleRecord {
    pub id: Uuid,
    pub provider_id: ProviderId,
    pub group_id: Option<ClientGroupId>,
    pub client_id: Option<ClientId>,
    pub name: String,
    /// Percent in basis points (`2000` = 20 %).
    pub rate_bp: i64,
    /// ISO 3166 alpha-2, upper-case; none is any country.
    pub country: Option<String>,
    pub region: Option<String>,
    /// Product type ids; empty is any product.
    pub product_types: Vec<Uuid>,
    /// The IANA zone the dates are shown in (a client's rule); `UTC` for the others.
    pub time_zone: String,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TaxRuleRecord {
    pub fn level(&self) -> Level {
        match (self.client_id, self.group_id) {
            (Some(c), _) => Level::Client(c.0),
            (None, Some(g)) => Level::Group(g.0),
            (None, None) => Level::Provider,
        }
    }

    /// The rule as the domain's tax rules see it.
    pub fn rule(&self) -> TaxRule {
        TaxRule {
            id: self.id,
            name: self.name.clone(),
            level: self.level(),
            rate_bp: self.rate_bp,
            country: self.country.clone(),
            region: self.region.clone(),
            product_types: self.product_types.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }
}

/// Which rules a list shows: `client: None` lists provider and group rules only.
#[derive(Clone, Debug, Default)]
pub struct TaxRuleFilter {
    pub provider_id: Option<ProviderId>,
    pub group_id: Option<ClientGroupId>,
    pub client_id: Option<ClientId>,
}

#[async_trait]
pub trait TaxRules {
    async fn insert_tax_rule(&mut self, r: &TaxRuleRecord) -> StoreResult<()>;
    async fn update_tax_rule(&mut self, r: &TaxRuleRecord) -> StoreResult<()>;
    async fn delete_tax_rule(&mut self, id: Uuid) -> StoreResult<()>;
    async fn tax_rule(&mut self, id: Uuid) -> StoreResult<Option<TaxRuleRecord>>;
    /// Rules by the filter, the provider's first, then by start.
    async fn list_tax_rules(&mut self, filter: &TaxRuleFilter) -> StoreResult<Vec<TaxRuleRecord>>;
    /// Every rule of a provider at every level (for overlap checks).
    async fn provider_tax_rules(&mut self, provider: ProviderId)
    -> StoreResult<Vec<TaxRuleRecord>>;
    /// The rules that may tax a client's sale with the provider: the provider's, those of
    /// the client's groups and the client's own.
    async fn tax_rules_for_client(
        &mut self,
        provider: ProviderId,
        client: ClientId,
    ) -> StoreResult<Vec<TaxRuleRecord>>;
    /// The product type of a service's tariff plan, if it has one.
    async fn service_product_type(&mut self, service: Uuid) -> StoreResult<Option<Uuid>>;
}
