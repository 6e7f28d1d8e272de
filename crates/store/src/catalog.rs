//! The catalog's tables. A record with children (an enumeration's items, a type's
//! parameters, a plan's prices, an add-on's prices) is saved whole: the children are
//! replaced in the same transaction, so a reader never sees half of an edit.

use crate::db::Row;
use crate::map_err;
use crate::repos::SqlTx;
use crate::rows::{at, flag, int, opt_at, opt_parsed, parsed, text};
use async_trait::async_trait;
use bursar_app::ports::*;
use bursar_domain::catalog::{AddonBilling, ParamKind, Period};
use sqlx::AssertSqlSafe;

fn bad(what: &str) -> StoreError {
    StoreError::Other(format!("unreadable {what}"))
}

fn period(r: &Row, col: &str) -> StoreResult<Period> {
    Period::parse(&text(r, col)?).ok_or_else(|| bad(col))
}

impl SqlTx {
    async fn items_of(&mut self, id: CatalogId) -> StoreResult<Vec<EnumItem>> {
        let rows = crate::db::query(
            "SELECT value, name_en, name_ru FROM enumeration_items WHERE enumeration_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(EnumItem {
                    value: text(r, "value")?,
                    name_en: text(r, "name_en")?,
                    name_ru: text(r, "name_ru")?,
                })
            })
            .collect()
    }

    async fn write_items(&mut self, e: &EnumerationRecord) -> StoreResult<()> {
        self.execute_with(
            "DELETE FROM enumeration_items WHERE enumeration_id = $1",
            e.id,
        )
        .await?;
        for (position, item) in (0i64..).zip(&e.items) {
            crate::db::query(
                "INSERT INTO enumeration_items (enumeration_id, position, value, name_en, name_ru) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(e.id)
            .bind(position)
            .bind(&item.value)
            .bind(&item.name_en)
            .bind(&item.name_ru)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }

    async fn enumeration_from(&mut self, r: &Row) -> StoreResult<EnumerationRecord> {
        let id: CatalogId = parsed(r, "id")?;
        Ok(EnumerationRecord {
            id,
            name_en: text(r, "name_en")?,
            name_ru: text(r, "name_ru")?,
            items: self.items_of(id).await?,
            created_at: at(r, "created_at")?,
            updated_at: at(r, "updated_at")?,
        })
    }

    async fn params_of(&mut self, id: CatalogId) -> StoreResult<Vec<ParamRecord>> {
        let rows = crate::db::query(
            "SELECT key, label_en, label_ru, kind, enumeration_id, is_required, asked, min_length, \
             max_length, pattern FROM service_params WHERE product_type_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(ParamRecord {
                    key: text(r, "key")?,
                    label_en: text(r, "label_en")?,
                    label_ru: text(r, "label_ru")?,
                    kind: ParamKind::parse(&text(r, "kind")?).ok_or_else(|| bad("param kind"))?,
                    enumeration_id: opt_parsed(r, "enumeration_id")?,
                    required: flag(r, "is_required")?,
                    after_payment: text(r, "asked")? == "after_payment",
                    min_length: int(r, "min_length")?,
                    max_length: int(r, "max_length")?,
                    pattern: text(r, "pattern")?,
                })
            })
            .collect()
    }

    async fn write_params(&mut self, t: &ProductTypeRecord) -> StoreResult<()> {
        self.execute_with(
            "DELETE FROM service_params WHERE product_type_id = $1",
            t.id,
        )
        .await?;
        for (position, p) in (0i64..).zip(&t.params) {
            crate::db::query(
                "INSERT INTO service_params (product_type_id, position, key, label_en, label_ru, kind, \
                 enumeration_id, is_required, asked, min_length, max_length, pattern) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(t.id)
            .bind(position)
            .bind(&p.key)
            .bind(&p.label_en)
            .bind(&p.label_ru)
            .bind(p.kind.key())
            .bind(p.enumeration_id)
            .bind(p.required)
            .bind(if p.after_payment { "after_payment" } else { "order" })
            .bind(p.min_length)
            .bind(p.max_length)
            .bind(&p.pattern)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }

    async fn type_from(&mut self, r: &Row) -> StoreResult<ProductTypeRecord> {
        let id: CatalogId = parsed(r, "id")?;
        Ok(ProductTypeRecord {
            id,
            key: text(r, "key")?,
            name_en: text(r, "name_en")?,
            name_ru: text(r, "name_ru")?,
            module_id: opt_parsed(r, "module_id")?,
            params: self.params_of(id).await?,
            created_at: at(r, "created_at")?,
            updated_at: at(r, "updated_at")?,
        })
    }

    async fn prices_of(&mut self, id: CatalogId) -> StoreResult<Vec<PriceRecord>> {
        let rows = crate::db::query(
            "SELECT period, price_minor, setup_minor FROM tariff_prices WHERE tariff_id = $1",
        )
        .bind(id)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        let mut prices = rows
            .iter()
            .map(|r| {
                Ok(PriceRecord {
                    period: period(r, "period")?,
                    price_minor: int(r, "price_minor")?,
                    setup_minor: int(r, "setup_minor")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        prices.sort_by_key(|p| p.period);
        Ok(prices)
    }

    async fn tariff_from(&mut self, r: &Row) -> StoreResult<TariffRecord> {
        let id: CatalogId = parsed(r, "id")?;
        Ok(TariffRecord {
            id,
            product_type_id: parsed(r, "product_type_id")?,
            provider_id: parsed(r, "provider_id")?,
            currency_code: text(r, "currency_code")?,
            name_en: text(r, "name_en")?,
            name_ru: text(r, "name_ru")?,
            description_en: text(r, "description_en")?,
            description_ru: text(r, "description_ru")?,
            is_active: flag(r, "is_active")?,
            client_orderable: text(r, "orderable_by")? == "clients",
            quick_order: flag(r, "allow_quick_order")?,
            max_services: r
                .try_get::<Option<i64>>("max_services")
                .map_err(|e| StoreError::Other(format!("column max_services: {e}")))?,
            default_period: period(r, "default_period")?,
            trial_days: int(r, "trial_days")?,
            prices: self.prices_of(id).await?,
            archived_at: opt_at(r, "archived_at")?,
            created_at: at(r, "created_at")?,
            updated_at: at(r, "updated_at")?,
        })
    }

    async fn write_prices(&mut self, t: &TariffRecord) -> StoreResult<()> {
        self.execute_with("DELETE FROM tariff_prices WHERE tariff_id = $1", t.id)
            .await?;
        for p in &t.prices {
            crate::db::query(
                "INSERT INTO tariff_prices (tariff_id, period, price_minor, setup_minor) VALUES ($1, $2, $3, $4)",
            )
            .bind(t.id)
            .bind(p.period.key())
            .bind(p.price_minor)
            .bind(p.setup_minor)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }

    async fn addon_from(&mut self, r: &Row) -> StoreResult<AddonRecord> {
        let id: CatalogId = parsed(r, "id")?;
        let rows = crate::db::query(
            "SELECT period, option_value, price_minor FROM addon_prices WHERE addon_id = $1",
        )
        .bind(id)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        let mut prices = rows
            .iter()
            .map(|p| {
                Ok(AddonPrice {
                    period: period(p, "period")?,
                    option: text(p, "option_value")?,
                    price_minor: int(p, "price_minor")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        prices.sort_by(|a, b| (a.period, &a.option).cmp(&(b.period, &b.option)));
        Ok(AddonRecord {
            id,
            tariff_id: parsed(r, "tariff_id")?,
            position: int(r, "position")?,
            key: text(r, "key")?,
            name_en: text(r, "name_en")?,
            name_ru: text(r, "name_ru")?,
            billing: AddonBilling::parse(&text(r, "billing")?).ok_or_else(|| bad("billing"))?,
            unit: text(r, "unit")?,
            included: int(r, "included")?,
            min: int(r, "min_value")?,
            max: int(r, "max_value")?,
            step: int(r, "step")?,
            enumeration_id: opt_parsed(r, "enumeration_id")?,
            prices,
            created_at: at(r, "created_at")?,
            updated_at: at(r, "updated_at")?,
        })
    }

    async fn write_addon_prices(&mut self, a: &AddonRecord) -> StoreResult<()> {
        self.execute_with("DELETE FROM addon_prices WHERE addon_id = $1", a.id)
            .await?;
        for p in &a.prices {
            crate::db::query(
                "INSERT INTO addon_prices (addon_id, period, option_value, price_minor) VALUES ($1, $2, $3, $4)",
            )
            .bind(a.id)
            .bind(p.period.key())
            .bind(&p.option)
            .bind(p.price_minor)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }
}

const MODULE_COLUMNS: &str = "id, name, kind, department_id, command, url, secret, timeout_secs, is_active, created_at, updated_at";

fn module_from(r: &Row) -> StoreResult<ModuleRecord> {
    Ok(ModuleRecord {
        id: parsed(r, "id")?,
        name: text(r, "name")?,
        kind: ModuleKind::parse(&text(r, "kind")?).ok_or_else(|| bad("module kind"))?,
        department_id: opt_parsed(r, "department_id")?,
        command: crate::rows::opt_text(r, "command")?,
        url: crate::rows::opt_text(r, "url")?,
        secret: crate::rows::opt_text(r, "secret")?,
        timeout_secs: int(r, "timeout_secs")?,
        is_active: flag(r, "is_active")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

const TARIFF_COLUMNS: &str = "id, product_type_id, provider_id, currency_code, name_en, name_ru, description_en, \
     description_ru, is_active, orderable_by, allow_quick_order, max_services, default_period, trial_days, \
     archived_at, created_at, updated_at";

const ADDON_COLUMNS: &str = "id, tariff_id, position, key, name_en, name_ru, billing, unit, included, min_value, \
     max_value, step, enumeration_id, created_at, updated_at";

#[async_trait]
impl Catalog for SqlTx {
    async fn insert_enumeration(&mut self, e: &EnumerationRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO enumerations (id, name_en, name_ru, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(e.id)
        .bind(&e.name_en)
        .bind(&e.name_ru)
        .bind(e.created_at)
        .bind(e.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        self.write_items(e).await
    }

    async fn update_enumeration(&mut self, e: &EnumerationRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE enumerations SET name_en = $1, name_ru = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&e.name_en)
        .bind(&e.name_ru)
        .bind(e.updated_at)
        .bind(e.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        self.write_items(e).await
    }

    async fn delete_enumeration(&mut self, id: CatalogId) -> StoreResult<()> {
        self.execute_with("DELETE FROM enumerations WHERE id = $1", id)
            .await
    }

    async fn enumeration(&mut self, id: CatalogId) -> StoreResult<Option<EnumerationRecord>> {
        let row = crate::db::query(
            "SELECT id, name_en, name_ru, created_at, updated_at FROM enumerations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut self.tx)
        .await
        .map_err(map_err)?;
        match row {
            Some(r) => Ok(Some(self.enumeration_from(&r).await?)),
            None => Ok(None),
        }
    }

    async fn enumerations(&mut self) -> StoreResult<Vec<EnumerationRecord>> {
        let rows = crate::db::query("SELECT id, name_en, name_ru, created_at, updated_at FROM enumerations ORDER BY name_en")
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.enumeration_from(r).await?);
        }
        Ok(out)
    }

    async fn enumeration_uses(&mut self, id: CatalogId) -> StoreResult<i64> {
        self.count(
            "SELECT (SELECT COUNT(*) FROM service_params WHERE enumeration_id = $1) \
             + (SELECT COUNT(*) FROM addons WHERE enumeration_id = $1) AS n",
            id,
        )
        .await
    }

    async fn insert_module(&mut self, m: &ModuleRecord) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO processing_modules ({MODULE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(m.id)
            .bind(&m.name)
            .bind(m.kind.key())
            .bind(m.department_id)
            .bind(m.command.clone())
            .bind(m.url.clone())
            .bind(m.secret.clone())
            .bind(m.timeout_secs)
            .bind(m.is_active)
            .bind(m.created_at)
            .bind(m.updated_at)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn update_module(&mut self, m: &ModuleRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE processing_modules SET name = $1, kind = $2, department_id = $3, command = $4, url = $5, \
             secret = $6, timeout_secs = $7, is_active = $8, updated_at = $9 WHERE id = $10",
        )
        .bind(&m.name)
        .bind(m.kind.key())
        .bind(m.department_id)
        .bind(m.command.clone())
        .bind(m.url.clone())
        .bind(m.secret.clone())
        .bind(m.timeout_secs)
        .bind(m.is_active)
        .bind(m.updated_at)
        .bind(m.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_module(&mut self, id: CatalogId) -> StoreResult<()> {
        self.execute_with("DELETE FROM processing_modules WHERE id = $1", id)
            .await
    }

    async fn module(&mut self, id: CatalogId) -> StoreResult<Option<ModuleRecord>> {
        let sql = format!("SELECT {MODULE_COLUMNS} FROM processing_modules WHERE id = $1");
        crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(module_from)
            .transpose()
    }

    async fn modules(&mut self) -> StoreResult<Vec<ModuleRecord>> {
        let sql = format!("SELECT {MODULE_COLUMNS} FROM processing_modules ORDER BY name");
        crate::db::query(AssertSqlSafe(sql))
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(module_from)
            .collect()
    }

    async fn module_uses(&mut self, id: CatalogId) -> StoreResult<i64> {
        self.count(
            "SELECT COUNT(*) AS n FROM product_types WHERE module_id = $1",
            id,
        )
        .await
    }

    async fn insert_product_type(&mut self, t: &ProductTypeRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO product_types (id, key, name_en, name_ru, module_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.id)
        .bind(&t.key)
        .bind(&t.name_en)
        .bind(&t.name_ru)
        .bind(t.module_id)
        .bind(t.created_at)
        .bind(t.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        self.write_params(t).await
    }

    async fn update_product_type(&mut self, t: &ProductTypeRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE product_types SET key = $1, name_en = $2, name_ru = $3, module_id = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(&t.key)
        .bind(&t.name_en)
        .bind(&t.name_ru)
        .bind(t.module_id)
        .bind(t.updated_at)
        .bind(t.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        self.write_params(t).await
    }

    async fn delete_product_type(&mut self, id: CatalogId) -> StoreResult<()> {
        self.execute_with("DELETE FROM product_types WHERE id = $1", id)
            .await
    }

    async fn product_type(&mut self, id: CatalogId) -> StoreResult<Option<ProductTypeRecord>> {
        let row = crate::db::query(
            "SELECT id, key, name_en, name_ru, module_id, created_at, updated_at FROM product_types WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut self.tx)
        .await
        .map_err(map_err)?;
        match row {
            Some(r) => Ok(Some(self.type_from(&r).await?)),
            None => Ok(None),
        }
    }

    async fn product_types(&mut self) -> StoreResult<Vec<ProductTypeRecord>> {
        let rows = crate::db::query(
            "SELECT id, key, name_en, name_ru, module_id, created_at, updated_at FROM product_types ORDER BY key",
        )
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.type_from(r).await?);
        }
        Ok(out)
    }

    async fn insert_tariff(&mut self, t: &TariffRecord) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO tariffs ({TARIFF_COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(t.id)
            .bind(t.product_type_id)
            .bind(t.provider_id)
            .bind(&t.currency_code)
            .bind(&t.name_en)
            .bind(&t.name_ru)
            .bind(&t.description_en)
            .bind(&t.description_ru)
            .bind(t.is_active)
            .bind(if t.client_orderable {
                "clients"
            } else {
                "staff"
            })
            .bind(t.quick_order)
            .bind(t.max_services)
            .bind(t.default_period.key())
            .bind(t.trial_days)
            .bind(t.archived_at)
            .bind(t.created_at)
            .bind(t.updated_at)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        self.write_prices(t).await
    }

    async fn update_tariff(&mut self, t: &TariffRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE tariffs SET product_type_id = $1, currency_code = $2, name_en = $3, name_ru = $4, \
             description_en = $5, description_ru = $6, is_active = $7, orderable_by = $8, allow_quick_order = $9, \
             max_services = $10, default_period = $11, trial_days = $12, archived_at = $13, updated_at = $14 WHERE id = $15",
        )
        .bind(t.product_type_id)
        .bind(&t.currency_code)
        .bind(&t.name_en)
        .bind(&t.name_ru)
        .bind(&t.description_en)
        .bind(&t.description_ru)
        .bind(t.is_active)
        .bind(if t.client_orderable { "clients" } else { "staff" })
        .bind(t.quick_order)
        .bind(t.max_services)
        .bind(t.default_period.key())
        .bind(t.trial_days)
        .bind(t.archived_at)
        .bind(t.updated_at)
        .bind(t.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        self.write_prices(t).await
    }

    async fn delete_tariff(&mut self, id: CatalogId) -> StoreResult<()> {
        self.execute_with("DELETE FROM tariffs WHERE id = $1", id)
            .await
    }

    async fn tariff(&mut self, id: CatalogId) -> StoreResult<Option<TariffRecord>> {
        let sql = format!("SELECT {TARIFF_COLUMNS} FROM tariffs WHERE id = $1");
        let row = crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        match row {
            Some(r) => Ok(Some(self.tariff_from(&r).await?)),
            None => Ok(None),
        }
    }

    async fn tariffs(&mut self, product_type: Option<CatalogId>) -> StoreResult<Vec<TariffRecord>> {
        let rows = match product_type {
            Some(t) => {
                let sql = format!("SELECT {TARIFF_COLUMNS} FROM tariffs WHERE product_type_id = $1 ORDER BY name_en, id");
                crate::db::query(AssertSqlSafe(sql)).bind(t).fetch_all(&mut self.tx).await
            }
            None => {
                let sql = format!("SELECT {TARIFF_COLUMNS} FROM tariffs ORDER BY name_en, id");
                crate::db::query(AssertSqlSafe(sql)).fetch_all(&mut self.tx).await
            }
        }
        .map_err(map_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.tariff_from(r).await?);
        }
        Ok(out)
    }

    async fn tariff_services(&mut self, id: CatalogId) -> StoreResult<i64> {
        self.count(
            "SELECT COUNT(*) AS n FROM services WHERE tariff_id = $1 AND status <> 'deleted'",
            id,
        )
        .await
    }

    async fn insert_addon(&mut self, a: &AddonRecord) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO addons ({ADDON_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(a.id)
            .bind(a.tariff_id)
            .bind(a.position)
            .bind(&a.key)
            .bind(&a.name_en)
            .bind(&a.name_ru)
            .bind(a.billing.key())
            .bind(&a.unit)
            .bind(a.included)
            .bind(a.min)
            .bind(a.max)
            .bind(a.step)
            .bind(a.enumeration_id)
            .bind(a.created_at)
            .bind(a.updated_at)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        self.write_addon_prices(a).await
    }

    async fn update_addon(&mut self, a: &AddonRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE addons SET position = $1, key = $2, name_en = $3, name_ru = $4, billing = $5, unit = $6, \
             included = $7, min_value = $8, max_value = $9, step = $10, enumeration_id = $11, updated_at = $12 WHERE id = $13",
        )
        .bind(a.position)
        .bind(&a.key)
        .bind(&a.name_en)
        .bind(&a.name_ru)
        .bind(a.billing.key())
        .bind(&a.unit)
        .bind(a.included)
        .bind(a.min)
        .bind(a.max)
        .bind(a.step)
        .bind(a.enumeration_id)
        .bind(a.updated_at)
        .bind(a.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        self.write_addon_prices(a).await
    }

    async fn delete_addon(&mut self, id: CatalogId) -> StoreResult<()> {
        self.execute_with("DELETE FROM addons WHERE id = $1", id)
            .await
    }

    async fn addon(&mut self, id: CatalogId) -> StoreResult<Option<AddonRecord>> {
        let sql = format!("SELECT {ADDON_COLUMNS} FROM addons WHERE id = $1");
        let row = crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        match row {
            Some(r) => Ok(Some(self.addon_from(&r).await?)),
            None => Ok(None),
        }
    }

    async fn addons_of(&mut self, tariff: CatalogId) -> StoreResult<Vec<AddonRecord>> {
        let sql = format!(
            "SELECT {ADDON_COLUMNS} FROM addons WHERE tariff_id = $1 ORDER BY position, key"
        );
        let rows = crate::db::query(AssertSqlSafe(sql))
            .bind(tariff)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.addon_from(r).await?);
        }
        Ok(out)
    }
}
