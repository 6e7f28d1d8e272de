//! The demo's prices (issue 11), once: VAT included in the cloud provider's prices, a
//! German VAT rule for the EUR reseller, the directory's EUR and USD rates in roubles, a
//! first-order promotion, a promo-code promotion for yearly plans, and a personal discount
//! for the first demo client, so a quote in the panel shows each part of the calculator.

use crate::App;
use crate::error::AppError;
use crate::ports::*;
use bursar_domain::catalog::Period;
use bursar_domain::functions::f;
use bursar_domain::history::Actor;
use bursar_domain::pricing::Validity;
use bursar_domain::pricing::discounts::{Amount, Condition, PersonalDiscount, Scope};
use bursar_domain::{ClientId, ProviderId};
use jiff::tz::TimeZone;
use rust_decimal::Decimal;
use uuid::Uuid;

fn tax_rule(
    provider: ProviderId,
    name: &str,
    rate_bp: i64,
    country: &str,
    now: jiff::Timestamp,
) -> TaxRuleRecord {
    TaxRuleRecord {
        id: Uuid::now_v7(),
        provider_id: provider,
        group_id: None,
        client_id: None,
        name: name.to_owned(),
        rate_bp,
        country: Some(country.to_owned()),
        region: None,
        product_types: Vec::new(),
        time_zone: "UTC".to_owned(),
        // Tax rules in force since the start of 2026, as a provider would enter them.
        starts_at: jiff::Timestamp::from_second(1_767_225_600).unwrap_or(now),
        ends_at: None,
        created_at: now,
        updated_at: now,
    }
}

impl App {
    /// Adds the demo's tax rules, rates, promotions and a personal discount, unless a
    /// promotion exists already. `loyal` is the client who gets the discount.
    pub(crate) async fn demo_pricing(
        &self,
        cloud: ProviderId,
        domains: ProviderId,
        loyal: Option<ClientId>,
    ) -> Result<(), AppError> {
        self.write_as(Actor::system(), f::SYSTEM_CLI, |w| {
            Box::pin(async move {
                if !w.tx().promotions().await?.is_empty() {
                    return Ok(());
                }
                let now = w.now();
                let today = now.to_zoned(TimeZone::UTC).date();
                w.tx()
                    .insert_tax_rule(&tax_rule(cloud, "НДС 20%", 2000, "RU", now))
                    .await?;
                if domains != cloud {
                    w.tx()
                        .insert_tax_rule(&tax_rule(domains, "VAT DE 19%", 1900, "DE", now))
                        .await?;
                }
                for (currency, rate) in
                    [("EUR", Decimal::new(985, 1)), ("USD", Decimal::new(923, 1))]
                {
                    w.tx()
                        .insert_rate(&RateRecord {
                            id: Uuid::now_v7(),
                            owner: RateOwner::Directory,
                            base_code: "RUB".to_owned(),
                            currency_code: currency.to_owned(),
                            rate,
                            units: 1,
                            valid_from: today.saturating_sub(jiff::Span::new().days(30)),
                            source_id: None,
                            expression: None,
                            amount_minor: None,
                            created_at: now,
                            updated_at: now,
                        })
                        .await?;
                }
                let promotions = [
                    (
                        "welcome",
                        "Welcome: 10% off the first order",
                        "Добро пожаловать: −10% на первый заказ",
                        1000,
                        vec![(1, Condition::FirstOrder)],
                        None,
                    ),
                    (
                        "spring-yearly",
                        "SPRING26: 15% off a year",
                        "SPRING26: −15% на год",
                        1500,
                        vec![
                            (1, Condition::PromoCode),
                            (2, Condition::Period(Period::Month12)),
                        ],
                        Some("SPRING26"),
                    ),
                ];
                for (name, title_en, title_ru, bp, conditions, code) in promotions {
                    let promotion = PromotionRecord {
                        id: Uuid::now_v7(),
                        name: name.to_owned(),
                        title_en: title_en.to_owned(),
                        title_ru: title_ru.to_owned(),
                        provider_id: cloud,
                        validity: Validity::default(),
                        amount: Amount::Percent { bp },
                        is_active: true,
                        created_at: now,
                        updated_at: now,
                    };
                    w.tx().insert_promotion(&promotion).await?;
                    for (group, condition) in conditions {
                        w.tx()
                            .insert_condition(&ConditionRecord {
                                id: Uuid::now_v7(),
                                promotion_id: promotion.id,
                                group,
                                condition,
                            })
                            .await?;
                    }
                    if let Some(code) = code {
                        w.tx()
                            .insert_promo_code(&PromoCodeRecord {
                                id: Uuid::now_v7(),
                                promotion_id: promotion.id,
                                code: code.to_owned(),
                                multi_use: true,
                                usage_limit: Some(500),
                                used: 0,
                                created_at: now,
                            })
                            .await?;
                    }
                }
                if let Some(client) = loyal {
                    w.tx()
                        .insert_client_discount(&ClientDiscountRecord {
                            client_id: client,
                            discount: PersonalDiscount {
                                id: Uuid::now_v7(),
                                amount: Amount::Percent { bp: 500 },
                                scope: Scope::All,
                                validity: Validity::default(),
                                comment: "Loyal customer since 2019".to_owned(),
                            },
                            created_at: now,
                            updated_at: now,
                        })
                        .await?;
                }
                Ok(())
            })
        })
        .await
    }
}

impl App {
    /// The client whose main user signs in as `login`, if the demo created it.
    pub(crate) async fn demo_client_id(&self, login: &str) -> Result<Option<ClientId>, AppError> {
        let mut tx = self.store.read().await?;
        let user = tx.user_by_login_or_email(login).await?;
        tx.commit().await?;
        Ok(user.and_then(|u| u.client_id))
    }
}
