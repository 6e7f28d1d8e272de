//! Personal discounts, promotions, their conditions and promo codes. An amount is stored as
//! `kind` with `percent_bp` or `amount_minor` + `currency_code`; a discount's targets as a
//! JSON list of ids. Redeeming a code is one compare-and-increment statement.

use crate::db::Row;
use crate::map_err;
use crate::repos::SqlTx;
use crate::rows::{at, flag, int, opt_text, parsed, text};
use async_trait::async_trait;
use bursar_app::ports::*;
use bursar_domain::pricing::Validity;
use bursar_domain::pricing::discounts::{Amount, Condition, PersonalDiscount, Scope};
use jiff::civil::Date;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

fn bad(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("unreadable {what}: {e}"))
}

fn validity(r: &Row) -> StoreResult<Validity> {
    let day = |col: &str| r.try_get::<Option<Date>>(col).map_err(|e| bad(col, e));
    Ok(Validity {
        starts_on: day("starts_on")?,
        ends_on: day("ends_on")?,
    })
}

fn amount(r: &Row) -> StoreResult<Amount> {
    let opt_int = |col: &str| r.try_get::<Option<i64>>(col).map_err(|e| bad(col, e));
    match text(r, "kind")?.as_str() {
        "percent" => Ok(Amount::Percent {
            bp: opt_int("percent_bp")?.ok_or_else(|| bad("percent_bp", "missing"))?,
        }),
        "fixed" => Ok(Amount::Fixed {
            minor: opt_int("amount_minor")?.ok_or_else(|| bad("amount_minor", "missing"))?,
            currency: opt_text(r, "currency_code")?
                .ok_or_else(|| bad("currency_code", "missing"))?,
        }),
        other => Err(bad("kind", other)),
    }
}

/// `(kind, percent_bp, amount_minor, currency_code)` of an amount.
fn amount_columns(a: &Amount) -> (&'static str, Option<i64>, Option<i64>, Option<String>) {
    match a {
        Amount::Percent { bp } => ("percent", Some(*bp), None, None),
        Amount::Fixed { minor, currency } => ("fixed", None, Some(*minor), Some(currency.clone())),
    }
}

fn scope(r: &Row) -> StoreResult<Scope> {
    let ids: Vec<Uuid> =
        serde_json::from_str(&text(r, "targets")?).map_err(|e| bad("targets", e))?;
    match text(r, "scope")?.as_str() {
        "all" => Ok(Scope::All),
        "product_types" => Ok(Scope::ProductTypes(ids)),
        "tariffs" => Ok(Scope::Tariffs(ids)),
        other => Err(bad("scope", other)),
    }
}

fn targets_json(s: &Scope) -> String {
    let ids: &[Uuid] = match s {
        Scope::All => &[],
        Scope::ProductTypes(ids) | Scope::Tariffs(ids) => ids,
    };
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned())
}

const DISCOUNT_COLUMNS: &str = "id, client_id, kind, percent_bp, amount_minor, currency_code, scope, targets, \
     starts_on, ends_on, comment, created_at, updated_at";

fn discount_from(r: &Row) -> StoreResult<ClientDiscountRecord> {
    Ok(ClientDiscountRecord {
        client_id: parsed(r, "client_id")?,
        discount: PersonalDiscount {
            id: parsed(r, "id")?,
            amount: amount(r)?,
            scope: scope(r)?,
            validity: validity(r)?,
            comment: text(r, "comment")?,
        },
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

const PROMOTION_COLUMNS: &str = "id, name, title_en, title_ru, provider_id, starts_on, ends_on, kind, percent_bp, \
     amount_minor, currency_code, is_active, created_at, updated_at";

fn promotion_from(r: &Row) -> StoreResult<PromotionRecord> {
    Ok(PromotionRecord {
        id: parsed(r, "id")?,
        name: text(r, "name")?,
        title_en: text(r, "title_en")?,
        title_ru: text(r, "title_ru")?,
        provider_id: parsed(r, "provider_id")?,
        validity: validity(r)?,
        amount: amount(r)?,
        is_active: flag(r, "is_active")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

const CODE_COLUMNS: &str =
    "id, promotion_id, code, is_multi_use, usage_limit, used_count, created_at";

fn code_from(r: &Row) -> StoreResult<PromoCodeRecord> {
    Ok(PromoCodeRecord {
        id: parsed(r, "id")?,
        promotion_id: parsed(r, "promotion_id")?,
        code: text(r, "code")?,
        multi_use: flag(r, "is_multi_use")?,
        usage_limit: r
            .try_get::<Option<i64>>("usage_limit")
            .map_err(|e| bad("usage_limit", e))?,
        used: int(r, "used_count")?,
        created_at: at(r, "created_at")?,
    })
}

fn condition_from(r: &Row) -> StoreResult<ConditionRecord> {
    let group = int(r, "group_no")?;
    Ok(ConditionRecord {
        id: parsed(r, "id")?,
        promotion_id: parsed(r, "promotion_id")?,
        group: u32::try_from(group).map_err(|e| bad("group_no", e))?,
        condition: Condition::parse(&text(r, "kind")?, &text(r, "value")?)
            .map_err(|e| bad("condition", format!("{e:?}")))?,
    })
}

impl SqlTx {
    async fn rows(&mut self, sql: String, id: Uuid) -> StoreResult<Vec<Row>> {
        crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)
    }
}

#[async_trait]
impl Marketing for SqlTx {
    async fn client_discounts(
        &mut self,
        client: bursar_domain::ClientId,
    ) -> StoreResult<Vec<ClientDiscountRecord>> {
        let sql = format!(
            "SELECT {DISCOUNT_COLUMNS} FROM client_discounts WHERE client_id = $1 ORDER BY created_at, id"
        );
        self.rows(sql, client.0)
            .await?
            .iter()
            .map(discount_from)
            .collect()
    }

    async fn insert_client_discount(&mut self, d: &ClientDiscountRecord) -> StoreResult<()> {
        let (kind, bp, minor, currency) = amount_columns(&d.discount.amount);
        let sql = format!(
            "INSERT INTO client_discounts ({DISCOUNT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(d.discount.id)
            .bind(d.client_id)
            .bind(kind)
            .bind(bp)
            .bind(minor)
            .bind(currency)
            .bind(d.discount.scope.key())
            .bind(targets_json(&d.discount.scope))
            .bind(d.discount.validity.starts_on)
            .bind(d.discount.validity.ends_on)
            .bind(&d.discount.comment)
            .bind(d.created_at)
            .bind(d.updated_at)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn update_client_discount(&mut self, d: &ClientDiscountRecord) -> StoreResult<()> {
        let (kind, bp, minor, currency) = amount_columns(&d.discount.amount);
        crate::db::query(
            "UPDATE client_discounts SET kind = $1, percent_bp = $2, amount_minor = $3, currency_code = $4, \
             scope = $5, targets = $6, starts_on = $7, ends_on = $8, comment = $9, updated_at = $10 \
             WHERE id = $11 AND client_id = $12",
        )
        .bind(kind)
        .bind(bp)
        .bind(minor)
        .bind(currency)
        .bind(d.discount.scope.key())
        .bind(targets_json(&d.discount.scope))
        .bind(d.discount.validity.starts_on)
        .bind(d.discount.validity.ends_on)
        .bind(&d.discount.comment)
        .bind(d.updated_at)
        .bind(d.discount.id)
        .bind(d.client_id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_client_discount(&mut self, id: CatalogId) -> StoreResult<()> {
        self.execute_with("DELETE FROM client_discounts WHERE id = $1", id)
            .await
    }

    async fn promotions(&mut self) -> StoreResult<Vec<PromotionRecord>> {
        let sql = format!("SELECT {PROMOTION_COLUMNS} FROM promotions ORDER BY name");
        crate::db::query(AssertSqlSafe(sql))
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(promotion_from)
            .collect()
    }

    async fn promotion(&mut self, id: CatalogId) -> StoreResult<Option<PromotionRecord>> {
        let sql = format!("SELECT {PROMOTION_COLUMNS} FROM promotions WHERE id = $1");
        self.rows(sql, id)
            .await?
            .first()
            .map(promotion_from)
            .transpose()
    }

    async fn insert_promotion(&mut self, p: &PromotionRecord) -> StoreResult<()> {
        let (kind, bp, minor, currency) = amount_columns(&p.amount);
        let sql = format!(
            "INSERT INTO promotions ({PROMOTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(p.id)
            .bind(&p.name)
            .bind(&p.title_en)
            .bind(&p.title_ru)
            .bind(p.provider_id)
            .bind(p.validity.starts_on)
            .bind(p.validity.ends_on)
            .bind(kind)
            .bind(bp)
            .bind(minor)
            .bind(currency)
            .bind(p.is_active)
            .bind(p.created_at)
            .bind(p.updated_at)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn update_promotion(&mut self, p: &PromotionRecord) -> StoreResult<()> {
        let (kind, bp, minor, currency) = amount_columns(&p.amount);
        crate::db::query(
            "UPDATE promotions SET name = $1, title_en = $2, title_ru = $3, provider_id = $4, starts_on = $5, \
             ends_on = $6, kind = $7, percent_bp = $8, amount_minor = $9, currency_code = $10, is_active = $11, \
             updated_at = $12 WHERE id = $13",
        )
        .bind(&p.name)
        .bind(&p.title_en)
        .bind(&p.title_ru)
        .bind(p.provider_id)
        .bind(p.validity.starts_on)
        .bind(p.validity.ends_on)
        .bind(kind)
        .bind(bp)
        .bind(minor)
        .bind(currency)
        .bind(p.is_active)
        .bind(p.updated_at)
        .bind(p.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_promotion(&mut self, id: CatalogId) -> StoreResult<()> {
        // Children first: SQLite enforces the cascade only with foreign keys on, which the
        // store sets, but saying it keeps the statement's effect plain on both databases.
        self.execute_with("DELETE FROM promo_codes WHERE promotion_id = $1", id)
            .await?;
        self.execute_with(
            "DELETE FROM promotion_conditions WHERE promotion_id = $1",
            id,
        )
        .await?;
        self.execute_with("DELETE FROM promotions WHERE id = $1", id)
            .await
    }

    async fn promotion_conditions(
        &mut self,
        promotion: CatalogId,
    ) -> StoreResult<Vec<ConditionRecord>> {
        self.rows(
            "SELECT id, promotion_id, group_no, kind, value FROM promotion_conditions \
             WHERE promotion_id = $1 ORDER BY group_no, kind, value"
                .to_owned(),
            promotion,
        )
        .await?
        .iter()
        .map(condition_from)
        .collect()
    }

    async fn insert_condition(&mut self, c: &ConditionRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO promotion_conditions (id, promotion_id, group_no, kind, value) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(c.id)
        .bind(c.promotion_id)
        .bind(i64::from(c.group))
        .bind(c.condition.kind())
        .bind(c.condition.value())
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_condition(&mut self, id: CatalogId) -> StoreResult<()> {
        self.execute_with("DELETE FROM promotion_conditions WHERE id = $1", id)
            .await
    }

    async fn promo_codes(&mut self, promotion: CatalogId) -> StoreResult<Vec<PromoCodeRecord>> {
        let sql = format!(
            "SELECT {CODE_COLUMNS} FROM promo_codes WHERE promotion_id = $1 ORDER BY created_at DESC, code"
        );
        self.rows(sql, promotion)
            .await?
            .iter()
            .map(code_from)
            .collect()
    }

    async fn promo_code_by_code(&mut self, code: &str) -> StoreResult<Option<PromoCodeRecord>> {
        let sql = format!("SELECT {CODE_COLUMNS} FROM promo_codes WHERE code = $1");
        crate::db::query(AssertSqlSafe(sql))
            .bind(code)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(code_from)
            .transpose()
    }

    async fn insert_promo_code(&mut self, c: &PromoCodeRecord) -> StoreResult<()> {
        let sql =
            format!("INSERT INTO promo_codes ({CODE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)");
        crate::db::query(AssertSqlSafe(sql))
            .bind(c.id)
            .bind(c.promotion_id)
            .bind(&c.code)
            .bind(c.multi_use)
            .bind(c.usage_limit)
            .bind(c.used)
            .bind(c.created_at)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_promo_code(&mut self, id: CatalogId) -> StoreResult<()> {
        self.execute_with("DELETE FROM promo_codes WHERE id = $1", id)
            .await
    }

    async fn redeem_promo_code(&mut self, id: CatalogId) -> StoreResult<Option<PromoCodeRecord>> {
        // The condition is `PromoCode::usable` in SQL; the row lock the UPDATE takes makes a
        // parallel redemption wait and then re-check it against the committed count.
        let sql = format!(
            "UPDATE promo_codes SET used_count = used_count + 1 WHERE id = $1 AND \
             ((is_multi_use = FALSE AND used_count = 0) OR \
              (is_multi_use = TRUE AND (usage_limit IS NULL OR used_count < usage_limit))) \
             RETURNING {CODE_COLUMNS}"
        );
        self.rows(sql, id).await?.first().map(code_from).transpose()
    }
}
