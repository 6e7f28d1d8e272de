//! Gathers what a quote needs from the pricing tables (0006_pricing) as the domain's values:
//! rates of every source, personal discounts, promotions with their conditions and codes,
//! tax rules of every level, a provider's tax settings.

use crate::db::Row;
use crate::map_err;
use crate::repos::SqlTx;
use crate::rows::{at, flag, int, opt_at, opt_parsed, opt_text, parsed, text};
use async_trait::async_trait;
use bursar_app::ports::{PricingFacts, StoreError, StoreResult, TaxSettings};
use bursar_domain::pricing::Validity;
use bursar_domain::pricing::discounts::{
    Amount, Condition, PersonalDiscount, PromoCode, Promotion, Scope,
};
use bursar_domain::pricing::rates::{Rate, RateSource};
use bursar_domain::pricing::taxes::{Level, TaxRule};
use bursar_domain::{ClientId, ProviderId};
use jiff::civil::Date;
use rust_decimal::Decimal;
use uuid::Uuid;

fn id(r: &Row, col: &str) -> StoreResult<Uuid> {
    parsed(r, col)
}

fn opt_id(r: &Row, col: &str) -> StoreResult<Option<Uuid>> {
    opt_parsed(r, col)
}

fn opt_day(r: &Row, col: &str) -> StoreResult<Option<Date>> {
    r.try_get(col).map_err(map_err)
}

/// A JSON list of ids (a discount's targets, a rule's product types).
fn ids(r: &Row, col: &str) -> StoreResult<Vec<Uuid>> {
    serde_json::from_str(&text(r, col)?)
        .map_err(|_| StoreError::Other(format!("unreadable id list in {col}")))
}

fn rate(r: &Row, source: RateSource, limit: bool) -> StoreResult<Rate> {
    Ok(Rate {
        id: id(r, "id")?,
        source,
        base: text(r, "base_code")?,
        currency: text(r, "currency_code")?,
        rate: r.try_get::<Decimal>("rate").map_err(map_err)?,
        units: int(r, "units")?,
        valid_from: r.try_get("valid_from").map_err(map_err)?,
        limit_minor: if limit {
            r.try_get("amount_minor").map_err(map_err)?
        } else {
            None
        },
    })
}

/// A discount's amount from its `kind`, `percent_bp`, `amount_minor` and `currency_code`.
fn amount(r: &Row) -> StoreResult<Amount> {
    let bad = || StoreError::Other("unreadable discount amount".into());
    match text(r, "kind")?.as_str() {
        "percent" => {
            let bp: Option<i64> = r.try_get("percent_bp").map_err(map_err)?;
            Ok(Amount::Percent {
                bp: bp.ok_or_else(bad)?,
            })
        }
        _ => {
            let minor: Option<i64> = r.try_get("amount_minor").map_err(map_err)?;
            let currency = opt_text(r, "currency_code")?.ok_or_else(bad)?;
            Ok(Amount::Fixed {
                minor: minor.ok_or_else(bad)?,
                currency,
            })
        }
    }
}

fn validity(r: &Row) -> StoreResult<Validity> {
    Ok(Validity {
        starts_on: opt_day(r, "starts_on")?,
        ends_on: opt_day(r, "ends_on")?,
    })
}

const RATE_PAIR: &str = "base_code IN ($2, $3, $4) AND currency_code IN ($2, $3, $4)";

#[async_trait]
impl PricingFacts for SqlTx {
    async fn rates_for(
        &mut self,
        client: ClientId,
        currencies: [&str; 3],
    ) -> StoreResult<Vec<Rate>> {
        let [a, b, c] = currencies;
        let sources = [
            (
                RateSource::Personal,
                format!("SELECT * FROM client_currency_rates WHERE client_id = $1 AND {RATE_PAIR}"),
            ),
            (
                RateSource::Group,
                format!(
                    "SELECT r.id, r.base_code, r.currency_code, r.rate, r.units, r.valid_from \
                     FROM group_currency_rates r JOIN client_group_members m ON m.group_id = r.group_id \
                     WHERE m.client_id = $1 AND r.{}",
                    RATE_PAIR.replace(" AND currency_code", " AND r.currency_code")
                ),
            ),
            (
                RateSource::Directory,
                // $1 is bound for every source; the directory's rates are everyone's.
                format!("SELECT * FROM currency_rates WHERE $1 = $1 AND {RATE_PAIR}"),
            ),
        ];
        let mut rates = Vec::new();
        for (source, sql) in sources {
            let rows = crate::db::query(sqlx::AssertSqlSafe(sql))
                .bind(client)
                .bind(a)
                .bind(b)
                .bind(c)
                .fetch_all(&mut self.tx)
                .await
                .map_err(map_err)?;
            for r in &rows {
                rates.push(rate(r, source, source == RateSource::Personal)?);
            }
        }
        Ok(rates)
    }

    async fn personal_discounts(&mut self, client: ClientId) -> StoreResult<Vec<PersonalDiscount>> {
        let rows = crate::db::query("SELECT * FROM client_discounts WHERE client_id = $1")
            .bind(client)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let targets = ids(r, "targets")?;
                Ok(PersonalDiscount {
                    id: id(r, "id")?,
                    amount: amount(r)?,
                    scope: match text(r, "scope")?.as_str() {
                        "product_types" => Scope::ProductTypes(targets),
                        "tariffs" => Scope::Tariffs(targets),
                        _ => Scope::All,
                    },
                    validity: validity(r)?,
                    comment: text(r, "comment")?,
                })
            })
            .collect()
    }

    async fn promotions_of(&mut self, provider: ProviderId) -> StoreResult<Vec<Promotion>> {
        let rows =
            crate::db::query("SELECT * FROM promotions WHERE provider_id = $1 ORDER BY name")
                .bind(provider)
                .fetch_all(&mut self.tx)
                .await
                .map_err(map_err)?;
        let conditions = crate::db::query(
            "SELECT c.promotion_id, c.group_no, c.kind, c.value FROM promotion_conditions c \
             JOIN promotions p ON p.id = c.promotion_id WHERE p.provider_id = $1",
        )
        .bind(provider)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        let codes = crate::db::query(
            "SELECT c.promotion_id, c.code, c.is_multi_use, c.usage_limit, c.used_count FROM promo_codes c \
             JOIN promotions p ON p.id = c.promotion_id WHERE p.provider_id = $1",
        )
        .bind(provider)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        let mut promotions = Vec::with_capacity(rows.len());
        for r in &rows {
            let pid = id(r, "id")?;
            let mut p = Promotion {
                id: pid,
                name: text(r, "name")?,
                title_en: text(r, "title_en")?,
                title_ru: text(r, "title_ru")?,
                provider_id: id(r, "provider_id")?,
                validity: validity(r)?,
                amount: amount(r)?,
                active: flag(r, "is_active")?,
                conditions: Vec::new(),
                codes: Vec::new(),
            };
            for c in conditions
                .iter()
                .filter(|c| id(c, "promotion_id").ok() == Some(pid))
            {
                let condition = Condition::parse(&text(c, "kind")?, &text(c, "value")?)
                    .map_err(|_| StoreError::Other("unreadable promotion condition".into()))?;
                let group = u32::try_from(int(c, "group_no")?).unwrap_or_default();
                p.conditions.push((group, condition));
            }
            for c in codes
                .iter()
                .filter(|c| id(c, "promotion_id").ok() == Some(pid))
            {
                p.codes.push(PromoCode {
                    code: text(c, "code")?,
                    multi_use: flag(c, "is_multi_use")?,
                    usage_limit: c.try_get("usage_limit").map_err(map_err)?,
                    used: int(c, "used_count")?,
                });
            }
            promotions.push(p);
        }
        Ok(promotions)
    }

    async fn tax_rules_for(
        &mut self,
        provider: ProviderId,
        client: ClientId,
    ) -> StoreResult<Vec<TaxRule>> {
        let rows = crate::db::query(
            "SELECT * FROM tax_rules WHERE provider_id = $1 AND (client_id = $2 OR (client_id IS NULL \
             AND (group_id IS NULL OR group_id IN (SELECT group_id FROM client_group_members WHERE client_id = $2))))",
        )
        .bind(provider)
        .bind(client)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let level = match (opt_id(r, "group_id")?, opt_id(r, "client_id")?) {
                    (_, Some(c)) => Level::Client(c),
                    (Some(g), None) => Level::Group(g),
                    (None, None) => Level::Provider,
                };
                Ok(TaxRule {
                    id: id(r, "id")?,
                    name: text(r, "name")?,
                    level,
                    rate_bp: int(r, "rate_bp")?,
                    country: opt_text(r, "country")?,
                    region: opt_text(r, "region")?,
                    product_types: ids(r, "product_types")?,
                    starts_at: at(r, "starts_at")?,
                    ends_at: opt_at(r, "ends_at")?,
                })
            })
            .collect()
    }

    async fn tax_settings(&mut self, provider: ProviderId) -> StoreResult<TaxSettings> {
        let row =
            crate::db::query("SELECT tax_on_top, show_tax_on_top_up FROM providers WHERE id = $1")
                .bind(provider)
                .fetch_optional(&mut self.tx)
                .await
                .map_err(map_err)?;
        row.map(|r| {
            Ok(TaxSettings {
                tax_on_top: flag(&r, "tax_on_top")?,
                show_tax_on_top_up: flag(&r, "show_tax_on_top_up")?,
            })
        })
        .transpose()
        .map(Option::unwrap_or_default)
    }
}
