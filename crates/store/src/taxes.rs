//! The tax rules table (one for the three levels) and the product type of a service, which
//! the tax of an expense depends on.

use crate::db::Row;
use crate::map_err;
use crate::repos::SqlTx;
use crate::rows::{at, int, opt_at, opt_parsed, opt_text, parsed, text};
use async_trait::async_trait;
use bursar_app::ports::*;
use bursar_domain::{ClientId, ProviderId};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

const COLUMNS: &str = "id, provider_id, group_id, client_id, name, rate_bp, country, region, \
     product_types, time_zone, starts_at, ends_at, created_at, updated_at";

fn rule_from(r: &Row) -> StoreResult<TaxRuleRecord> {
    let types: Vec<Uuid> = serde_json::from_str(&text(r, "product_types")?)
        .map_err(|e| StoreError::Other(format!("column product_types: {e}")))?;
    Ok(TaxRuleRecord {
        id: parsed(r, "id")?,
        provider_id: parsed(r, "provider_id")?,
        group_id: opt_parsed(r, "group_id")?,
        client_id: opt_parsed(r, "client_id")?,
        name: text(r, "name")?,
        rate_bp: int(r, "rate_bp")?,
        country: opt_text(r, "country")?,
        region: opt_text(r, "region")?,
        product_types: types,
        time_zone: text(r, "time_zone")?,
        starts_at: at(r, "starts_at")?,
        ends_at: opt_at(r, "ends_at")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

fn types_json(ids: &[Uuid]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned())
}

impl SqlTx {
    async fn rules_where(
        &mut self,
        condition: &str,
        binds: Vec<Option<Uuid>>,
    ) -> StoreResult<Vec<TaxRuleRecord>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM tax_rules WHERE {condition} \
             ORDER BY provider_id, client_id IS NOT NULL, group_id IS NOT NULL, group_id, starts_at, id"
        );
        let mut q = crate::db::query(AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&mut self.tx).await.map_err(map_err)?;
        rows.iter().map(rule_from).collect()
    }
}

#[async_trait]
impl TaxRules for SqlTx {
    async fn insert_tax_rule(&mut self, r: &TaxRuleRecord) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO tax_rules ({COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(r.id)
            .bind(r.provider_id)
            .bind(r.group_id)
            .bind(r.client_id)
            .bind(&r.name)
            .bind(r.rate_bp)
            .bind(r.country.clone())
            .bind(r.region.clone())
            .bind(types_json(&r.product_types))
            .bind(&r.time_zone)
            .bind(r.starts_at)
            .bind(r.ends_at)
            .bind(r.created_at)
            .bind(r.updated_at)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn update_tax_rule(&mut self, r: &TaxRuleRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE tax_rules SET provider_id = $2, group_id = $3, name = $4, rate_bp = $5, \
             country = $6, region = $7, product_types = $8, time_zone = $9, starts_at = $10, \
             ends_at = $11, updated_at = $12 WHERE id = $1",
        )
        .bind(r.id)
        .bind(r.provider_id)
        .bind(r.group_id)
        .bind(&r.name)
        .bind(r.rate_bp)
        .bind(r.country.clone())
        .bind(r.region.clone())
        .bind(types_json(&r.product_types))
        .bind(&r.time_zone)
        .bind(r.starts_at)
        .bind(r.ends_at)
        .bind(r.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_tax_rule(&mut self, id: Uuid) -> StoreResult<()> {
        self.execute_with("DELETE FROM tax_rules WHERE id = $1", id)
            .await
    }

    async fn tax_rule(&mut self, id: Uuid) -> StoreResult<Option<TaxRuleRecord>> {
        Ok(self.rules_where("id = $1", vec![Some(id)]).await?.pop())
    }

    async fn list_tax_rules(&mut self, f: &TaxRuleFilter) -> StoreResult<Vec<TaxRuleRecord>> {
        let mut conditions = Vec::new();
        let mut binds = Vec::new();
        for (column, value) in [
            ("client_id", f.client_id.map(|c| c.0)),
            ("provider_id", f.provider_id.map(|p| p.0)),
            ("group_id", f.group_id.map(|g| g.0)),
        ] {
            if value.is_some() {
                binds.push(value);
                conditions.push(format!("{column} = ${}", binds.len()));
            }
        }
        if f.client_id.is_none() {
            conditions.push("client_id IS NULL".to_owned());
        }
        self.rules_where(&conditions.join(" AND "), binds).await
    }

    async fn provider_tax_rules(
        &mut self,
        provider: ProviderId,
    ) -> StoreResult<Vec<TaxRuleRecord>> {
        self.rules_where("provider_id = $1", vec![Some(provider.0)])
            .await
    }

    async fn tax_rules_for_client(
        &mut self,
        provider: ProviderId,
        client: ClientId,
    ) -> StoreResult<Vec<TaxRuleRecord>> {
        self.rules_where(
            "provider_id = $1 AND (client_id = $2 OR (client_id IS NULL AND (group_id IS NULL \
             OR group_id IN (SELECT group_id FROM client_group_members WHERE client_id = $2))))",
            vec![Some(provider.0), Some(client.0)],
        )
        .await
    }

    async fn service_product_type(&mut self, service: Uuid) -> StoreResult<Option<Uuid>> {
        let row = crate::db::query(
            "SELECT t.product_type_id FROM services s JOIN tariffs t ON t.id = s.tariff_id \
             WHERE s.id = $1",
        )
        .bind(service)
        .fetch_optional(&mut self.tx)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(|r| opt_parsed(r, "product_type_id"))
            .transpose()
            .map(Option::flatten)
    }
}
