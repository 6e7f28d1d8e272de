//! What the price calculator reads about a client besides the catalog: the rates, discounts,
//! promotions and tax rules that may concern them, already shaped as the domain's values.
//! Editing those records is each one's own port; this one only gathers them for a quote.

use super::StoreResult;
use async_trait::async_trait;
use bursar_domain::pricing::discounts::{PersonalDiscount, Promotion};
use bursar_domain::pricing::rates::Rate;
use bursar_domain::pricing::taxes::TaxRule;
use bursar_domain::{ClientId, ProviderId};

/// A provider's tax settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TaxSettings {
    /// Tax is added on top of prices (else prices include it).
    pub tax_on_top: bool,
    /// The tax is shown when a client adds funds.
    pub show_tax_on_top_up: bool,
}

#[async_trait]
pub trait PricingFacts {
    /// The client's personal rates, its groups' rates and the directory's rates that join
    /// two of `currencies` (up to three codes; repeat one to fill).
    async fn rates_for(
        &mut self,
        client: ClientId,
        currencies: [&str; 3],
    ) -> StoreResult<Vec<Rate>>;
    async fn personal_discounts(&mut self, client: ClientId) -> StoreResult<Vec<PersonalDiscount>>;
    /// The provider's promotions with their conditions and codes.
    async fn promotions_of(&mut self, provider: ProviderId) -> StoreResult<Vec<Promotion>>;
    /// The provider's rules for everyone, for the client's groups and for the client.
    async fn tax_rules_for(
        &mut self,
        provider: ProviderId,
        client: ClientId,
    ) -> StoreResult<Vec<TaxRule>>;
    async fn tax_settings(&mut self, provider: ProviderId) -> StoreResult<TaxSettings>;
}
