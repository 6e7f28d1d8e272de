//! Storage of personal discounts and promotions (issue 11): a client's discounts, the
//! promotions with their condition groups, and promo codes with how often each was used.
//! The rules are `bursar_domain::pricing::discounts`; the records carry its types.

use super::{CatalogId, StoreResult};
use async_trait::async_trait;
use bursar_domain::pricing::Validity;
use bursar_domain::pricing::discounts::{Amount, Condition, PersonalDiscount};
use bursar_domain::{ClientId, ProviderId};
use jiff::Timestamp;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientDiscountRecord {
    pub client_id: ClientId,
    pub discount: PersonalDiscount,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromotionRecord {
    pub id: CatalogId,
    /// The internal name, unique.
    pub name: String,
    pub title_en: String,
    pub title_ru: String,
    pub provider_id: ProviderId,
    pub validity: Validity,
    pub amount: Amount,
    pub is_active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionRecord {
    pub id: CatalogId,
    pub promotion_id: CatalogId,
    /// 1–100: inside a group any one condition suffices; one from each group is needed.
    pub group: u32,
    pub condition: Condition,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromoCodeRecord {
    pub id: CatalogId,
    pub promotion_id: CatalogId,
    /// Normalized (`bursar_domain::pricing::discounts::normalize_code`), unique.
    pub code: String,
    pub multi_use: bool,
    /// A multi-use code's limit; none is unlimited (a single-use code has none).
    pub usage_limit: Option<i64>,
    pub used: i64,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait Marketing {
    async fn client_discounts(
        &mut self,
        client: ClientId,
    ) -> StoreResult<Vec<ClientDiscountRecord>>;
    async fn insert_client_discount(&mut self, d: &ClientDiscountRecord) -> StoreResult<()>;
    async fn update_client_discount(&mut self, d: &ClientDiscountRecord) -> StoreResult<()>;
    async fn delete_client_discount(&mut self, id: CatalogId) -> StoreResult<()>;

    async fn promotions(&mut self) -> StoreResult<Vec<PromotionRecord>>;
    async fn promotion(&mut self, id: CatalogId) -> StoreResult<Option<PromotionRecord>>;
    async fn insert_promotion(&mut self, p: &PromotionRecord) -> StoreResult<()>;
    async fn update_promotion(&mut self, p: &PromotionRecord) -> StoreResult<()>;
    /// Deletes the promotion with its conditions and codes.
    async fn delete_promotion(&mut self, id: CatalogId) -> StoreResult<()>;

    /// The promotion's conditions by group, then kind.
    async fn promotion_conditions(
        &mut self,
        promotion: CatalogId,
    ) -> StoreResult<Vec<ConditionRecord>>;
    async fn insert_condition(&mut self, c: &ConditionRecord) -> StoreResult<()>;
    async fn delete_condition(&mut self, id: CatalogId) -> StoreResult<()>;

    /// The promotion's codes, newest first.
    async fn promo_codes(&mut self, promotion: CatalogId) -> StoreResult<Vec<PromoCodeRecord>>;
    async fn promo_code_by_code(&mut self, code: &str) -> StoreResult<Option<PromoCodeRecord>>;
    async fn insert_promo_code(&mut self, c: &PromoCodeRecord) -> StoreResult<()>;
    async fn delete_promo_code(&mut self, id: CatalogId) -> StoreResult<()>;
    /// Uses the code once, if it is still usable (a single-use code unused, a multi-use code
    /// under its limit), in one statement: parallel redemptions queue on the row and never
    /// use it past its limit. `None` when it was used up (or is gone).
    async fn redeem_promo_code(&mut self, id: CatalogId) -> StoreResult<Option<PromoCodeRecord>>;
}
