//! Currencies, providers, companies, clients with their provider links, payers and groups.

use crate::db::{IntoVal, Row, Val};
use crate::map_err;
use crate::repos::{SqlTx, USER_COLUMNS, user_from};
use crate::rows::{at, flag, int, opt_at, opt_parsed, opt_text, parsed, text};
use async_trait::async_trait;
use bursar_app::ports::*;
use bursar_domain::directory::Country;
use bursar_domain::identity::{DisplayName, Email};
use bursar_domain::staff::Phone;
use bursar_domain::{
    ClientGroupId, ClientId, ClientNumber, CompanyId, PayerId, ProviderId, UserId,
};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;

fn country(r: &Row, col: &str) -> StoreResult<Country> {
    Country::parse(col, &text(r, col)?).map_err(|e| StoreError::Other(format!("column {col}: {e}")))
}

fn opt_country(r: &Row, col: &str) -> StoreResult<Option<Country>> {
    opt_text(r, col)?
        .map(|c| {
            Country::parse(col, &c).map_err(|e| StoreError::Other(format!("column {col}: {e}")))
        })
        .transpose()
}

fn json_list(r: &Row, col: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(&text(r, col)?)
        .map_err(|e| StoreError::Other(format!("column {col}: {e}")))
}

fn to_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

const CLIENT_COLUMNS: &str = "c.id, c.number, c.name, c.email, c.locale, c.country, c.phone, c.phone_verified, c.label, \
     c.registration_ip, c.characteristic, c.staff_id, c.comment, c.anonymized_at, c.created_at, c.updated_at";

fn client_from(r: &Row) -> StoreResult<ClientRecord> {
    let created_at = at(r, "created_at")?;
    let number = int(r, "number")?;
    Ok(ClientRecord {
        id: parsed(r, "id")?,
        number: ClientNumber::new(number)
            .ok_or_else(|| StoreError::Other(format!("column number: {number}")))?,
        name: DisplayName::from_trusted(text(r, "name")?),
        email: Email::from_trusted(text(r, "email")?),
        locale: parsed(r, "locale")?,
        country: opt_country(r, "country")?,
        phone: opt_text(r, "phone")?.map(Phone::from_trusted),
        phone_verified: flag(r, "phone_verified")?,
        label: opt_text(r, "label")?,
        registration_ip: opt_text(r, "registration_ip")?,
        characteristic: parsed(r, "characteristic")?,
        staff_id: opt_parsed(r, "staff_id")?,
        comment: opt_text(r, "comment")?,
        anonymized_at: opt_at(r, "anonymized_at")?,
        created_at,
        updated_at: opt_at(r, "updated_at")?.unwrap_or(created_at),
    })
}

/// The key the list sorts names by: lower-cased here, not by the database's LOWER (ASCII
/// only on SQLite), so both databases order the same.
fn sort_name(c: &ClientRecord) -> String {
    c.name.as_str().to_lowercase()
}

#[async_trait]
impl Clients for SqlTx {
    async fn insert_client(&mut self, c: &ClientRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO clients (id, name, email, locale, country, phone, phone_verified, label, registration_ip, \
             characteristic, staff_id, comment, anonymized_at, created_at, updated_at, sort_name, number) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14, $15, $16)",
        )
        .bind(c.id)
        .bind(c.name.as_str())
        .bind(c.email.as_str())
        .bind(c.locale.code())
        .bind(c.country.map(|c| c.code().to_owned()))
        .bind(c.phone.as_ref().map(|p| p.as_str().to_owned()))
        .bind(c.phone_verified)
        .bind(c.label.clone())
        .bind(c.registration_ip.clone())
        .bind(c.characteristic.code())
        .bind(c.staff_id)
        .bind(c.comment.clone())
        .bind(c.created_at)
        .bind(c.updated_at)
        .bind(sort_name(c))
        .bind(c.number.value())
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn client_id_by_number(&mut self, number: ClientNumber) -> StoreResult<Option<ClientId>> {
        let row = crate::db::query("SELECT id FROM clients WHERE number = $1")
            .bind(number.value())
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(|r| parsed(r, "id")).transpose()
    }

    async fn client_by_id(&mut self, id: ClientId) -> StoreResult<Option<ClientRecord>> {
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients c WHERE c.id = $1");
        let row = crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(client_from).transpose()
    }

    async fn count_clients(&mut self) -> StoreResult<i64> {
        let row = crate::db::query("SELECT COUNT(*) AS n FROM clients")
            .fetch_one(&mut self.tx)
            .await
            .map_err(map_err)?;
        int(&row, "n")
    }
}

fn provider_from(r: &Row) -> StoreResult<ProviderRecord> {
    Ok(ProviderRecord {
        id: parsed(r, "id")?,
        name: text(r, "name")?,
        currency_code: text(r, "currency_code")?,
        login_at_registration: flag(r, "login_at_registration")?,
        tax_on_top: flag(r, "tax_on_top")?,
        show_tax_on_top_up: flag(r, "show_tax_on_top_up")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

fn currency_from(r: &Row) -> StoreResult<CurrencyRecord> {
    Ok(CurrencyRecord {
        code: text(r, "code")?,
        name: text(r, "name")?,
        minor_units: int(r, "minor_units")?,
        is_active: flag(r, "is_active")?,
    })
}

impl SqlTx {
    async fn company_from(&mut self, r: &Row) -> StoreResult<CompanyRecord> {
        let id: CompanyId = parsed(r, "id")?;
        let providers =
            crate::db::query("SELECT provider_id FROM company_providers WHERE company_id = $1")
                .bind(id)
                .fetch_all(&mut self.tx)
                .await
                .map_err(map_err)?
                .iter()
                .map(|r| parsed(r, "provider_id"))
                .collect::<StoreResult<Vec<ProviderId>>>()?;
        Ok(CompanyRecord {
            id,
            name: text(r, "name")?,
            country: country(r, "country")?,
            tax_number: opt_text(r, "tax_number")?,
            address: text(r, "address")?,
            bank_details: opt_text(r, "bank_details")?,
            providers,
            created_at: at(r, "created_at")?,
            updated_at: at(r, "updated_at")?,
        })
    }

    async fn set_company_providers(&mut self, c: &CompanyRecord) -> StoreResult<()> {
        crate::db::query("DELETE FROM company_providers WHERE company_id = $1")
            .bind(c.id)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        for p in &c.providers {
            crate::db::query(
                "INSERT INTO company_providers (company_id, provider_id) VALUES ($1, $2)",
            )
            .bind(c.id)
            .bind(p)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }
}

#[async_trait]
impl Directory for SqlTx {
    async fn list_currencies(&mut self) -> StoreResult<Vec<CurrencyRecord>> {
        let rows = crate::db::query(
            "SELECT code, name, minor_units, is_active FROM currencies ORDER BY code",
        )
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter().map(currency_from).collect()
    }

    async fn currency(&mut self, code: &str) -> StoreResult<Option<CurrencyRecord>> {
        let row = crate::db::query(
            "SELECT code, name, minor_units, is_active FROM currencies WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&mut self.tx)
        .await
        .map_err(map_err)?;
        row.as_ref().map(currency_from).transpose()
    }

    async fn seed_currency(&mut self, c: &CurrencyRecord, now: Timestamp) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO currencies (code, name, minor_units, is_active, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(&c.code)
        .bind(&c.name)
        .bind(c.minor_units)
        .bind(c.is_active)
        .bind(now)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn set_currency_active(
        &mut self,
        code: &str,
        active: bool,
        now: Timestamp,
    ) -> StoreResult<()> {
        crate::db::query("UPDATE currencies SET is_active = $1, updated_at = $2 WHERE code = $3")
            .bind(active)
            .bind(now)
            .bind(code)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn insert_provider(&mut self, p: &ProviderRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO providers (id, name, currency_code, login_at_registration, tax_on_top, \
             show_tax_on_top_up, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(p.id)
        .bind(&p.name)
        .bind(&p.currency_code)
        .bind(p.login_at_registration)
        .bind(p.tax_on_top)
        .bind(p.show_tax_on_top_up)
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn update_provider(&mut self, p: &ProviderRecord) -> StoreResult<()> {
        crate::db::query("UPDATE providers SET name = $1, currency_code = $2, login_at_registration = $3, updated_at = $4, tax_on_top = $6, show_tax_on_top_up = $7 WHERE id = $5")
            .bind(&p.name)
            .bind(&p.currency_code)
            .bind(p.login_at_registration)
            .bind(p.updated_at)
            .bind(p.id)
            .bind(p.tax_on_top)
            .bind(p.show_tax_on_top_up)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_provider(&mut self, id: ProviderId) -> StoreResult<()> {
        self.execute_with("DELETE FROM providers WHERE id = $1", id)
            .await
    }

    async fn provider(&mut self, id: ProviderId) -> StoreResult<Option<ProviderRecord>> {
        let row = crate::db::query("SELECT id, name, currency_code, login_at_registration, tax_on_top, show_tax_on_top_up, created_at, updated_at FROM providers WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(provider_from).transpose()
    }

    async fn list_providers(&mut self) -> StoreResult<Vec<ProviderRecord>> {
        let rows = crate::db::query("SELECT id, name, currency_code, login_at_registration, tax_on_top, show_tax_on_top_up, created_at, updated_at FROM providers ORDER BY name")
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        rows.iter().map(provider_from).collect()
    }

    async fn provider_references(&mut self, id: ProviderId) -> StoreResult<i64> {
        self.count(
            "SELECT (SELECT COUNT(*) FROM client_providers WHERE provider_id = $1) \
             + (SELECT COUNT(*) FROM services WHERE provider_id = $1) \
             + (SELECT COUNT(*) FROM accounts WHERE provider_id = $1) AS n",
            id,
        )
        .await
    }

    async fn insert_company(&mut self, c: &CompanyRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO companies (id, name, country, tax_number, address, bank_details, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(c.id)
        .bind(&c.name)
        .bind(c.country.code())
        .bind(c.tax_number.clone())
        .bind(&c.address)
        .bind(c.bank_details.clone())
        .bind(c.created_at)
        .bind(c.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        self.set_company_providers(c).await
    }

    async fn update_company(&mut self, c: &CompanyRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE companies SET name = $1, country = $2, tax_number = $3, address = $4, bank_details = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(&c.name)
        .bind(c.country.code())
        .bind(c.tax_number.clone())
        .bind(&c.address)
        .bind(c.bank_details.clone())
        .bind(c.updated_at)
        .bind(c.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        self.set_company_providers(c).await
    }

    async fn delete_company(&mut self, id: CompanyId) -> StoreResult<()> {
        self.execute_with("DELETE FROM companies WHERE id = $1", id)
            .await
    }

    async fn company(&mut self, id: CompanyId) -> StoreResult<Option<CompanyRecord>> {
        let row = crate::db::query("SELECT id, name, country, tax_number, address, bank_details, created_at, updated_at FROM companies WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        match row {
            Some(r) => Ok(Some(self.company_from(&r).await?)),
            None => Ok(None),
        }
    }

    async fn list_companies(&mut self) -> StoreResult<Vec<CompanyRecord>> {
        let rows = crate::db::query("SELECT id, name, country, tax_number, address, bank_details, created_at, updated_at FROM companies ORDER BY name")
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(self.company_from(r).await?);
        }
        Ok(out)
    }
}

/// The client list's two queries (count and page) for a filter, with their bind values in
/// placeholder order. Shared by the list and by [`crate::SqlStore::explain_client_list`].
pub(crate) struct ClientListSql {
    pub count: String,
    pub list: String,
    pub values: Vec<Val>,
}

pub(crate) fn client_list_sql(f: &ClientFilter, page: Page) -> ClientListSql {
    let mut conds: Vec<String> = Vec::new();
    let mut values: Vec<Val> = Vec::new();
    let mut bind = |v: Val| {
        values.push(v);
        format!("${}", values.len())
    };
    // Text search: the clients having, for every query word, a word that starts with it.
    // Computed first as one INTERSECT over the word index, then joined, so both databases
    // read only the matching index ranges whatever the sort order.
    let mut ranges: Vec<String> = Vec::new();
    for word in &f.words {
        // Prefix range [word, word + U+10FFFF) in binary order (the column's collation is "C").
        let lo = bind(word.clone().into_val());
        let hi = bind(format!("{word}\u{10FFFF}").into_val());
        ranges.push(format!(
            "SELECT client_id FROM client_search_terms WHERE term >= {lo} AND term < {hi}"
        ));
    }
    // A client number (the unique index `clients_number_key`): alone, or beside the words'
    // matches.
    let number = f.number.map(|n| bind(n.value().into_val()));
    let (with_sql, from_sql) = match (ranges.is_empty(), number) {
        (true, None) => (String::new(), "clients c".to_owned()),
        (true, Some(n)) => {
            conds.push(format!("c.number = {n}"));
            (String::new(), "clients c".to_owned())
        }
        (false, number) => {
            let by_number = number
                .map(|n| format!(" UNION SELECT id AS client_id FROM clients WHERE number = {n}"))
                .unwrap_or_default();
            (
                format!(
                    "WITH matched AS ({}{by_number}) ",
                    ranges.join(" INTERSECT ")
                ),
                "matched m JOIN clients c ON c.id = m.client_id".to_owned(),
            )
        }
    };
    if let Some(label) = &f.label {
        let p = bind(label.clone().into_val());
        conds.push(format!("c.label = {p}"));
    }
    if let Some(ch) = f.characteristic {
        let p = bind(ch.code().into_val());
        conds.push(format!("c.characteristic = {p}"));
    }
    if let Some(provider) = f.provider {
        let p = bind(provider.into_val());
        conds.push(format!(
            "c.id IN (SELECT client_id FROM client_providers WHERE provider_id = {p})"
        ));
    }
    if let Some(group) = f.group {
        let p = bind(group.into_val());
        conds.push(format!(
            "c.id IN (SELECT client_id FROM client_group_members WHERE group_id = {p})"
        ));
    }
    let active_sql =
        "EXISTS (SELECT 1 FROM services s WHERE s.client_id = c.id AND s.status = 'active')";
    match f.status {
        Some(ClientStatus::Active) => conds.push(active_sql.to_owned()),
        Some(ClientStatus::Inactive) => conds.push(format!("NOT {active_sql}")),
        None => {}
    }
    let where_sql = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let order = match f.sort {
        ClientSort::Newest => "c.created_at DESC, c.id DESC",
        ClientSort::Oldest => "c.created_at, c.id",
        ClientSort::Name => "c.sort_name, c.id",
        ClientSort::Email => "c.email, c.id",
    };
    ClientListSql {
        count: format!("{with_sql}SELECT COUNT(*) AS n FROM {from_sql} {where_sql}"),
        list: format!(
            "{with_sql}SELECT {CLIENT_COLUMNS}, {active_sql} AS active, \
             (SELECT u.login FROM users u WHERE u.client_id = c.id AND u.is_main = TRUE) AS main_login \
             FROM {from_sql} {where_sql} ORDER BY {order} LIMIT {} OFFSET {}",
            page.size,
            page.offset()
        ),
        values,
    }
}

#[async_trait]
impl ClientCards for SqlTx {
    async fn update_client(&mut self, c: &ClientRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE clients SET name = $1, email = $2, locale = $3, country = $4, phone = $5, phone_verified = $6, \
             label = $7, characteristic = $8, staff_id = $9, comment = $10, anonymized_at = $11, updated_at = $12, \
             registration_ip = $13, sort_name = $14 WHERE id = $15",
        )
        .bind(c.name.as_str())
        .bind(c.email.as_str())
        .bind(c.locale.code())
        .bind(c.country.map(|c| c.code().to_owned()))
        .bind(c.phone.as_ref().map(|p| p.as_str().to_owned()))
        .bind(c.phone_verified)
        .bind(c.label.clone())
        .bind(c.characteristic.code())
        .bind(c.staff_id)
        .bind(c.comment.clone())
        .bind(c.anonymized_at)
        .bind(c.updated_at)
        .bind(c.registration_ip.clone())
        .bind(sort_name(c))
        .bind(c.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_client(&mut self, id: ClientId) -> StoreResult<()> {
        // Users point at their client without cascading (a user row must never vanish by
        // accident), so they go first; their sessions, tokens and grants cascade.
        crate::db::query("DELETE FROM users WHERE client_id = $1")
            .bind(id)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        // Only deleted services can be left (the use case refuses otherwise); they go with
        // the client.
        crate::db::query("DELETE FROM services WHERE client_id = $1 AND status = 'deleted'")
            .bind(id)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        self.execute_with("DELETE FROM clients WHERE id = $1", id)
            .await
    }

    async fn list_clients(
        &mut self,
        f: &ClientFilter,
        page: Page,
    ) -> StoreResult<(Vec<ClientListItem>, i64)> {
        let q = client_list_sql(f, page);
        let mut count = crate::db::query(AssertSqlSafe(q.count));
        for v in &q.values {
            count = count.bind(v.clone());
        }
        let total = int(&count.fetch_one(&mut self.tx).await.map_err(map_err)?, "n")?;
        let mut list = crate::db::query(AssertSqlSafe(q.list));
        for v in &q.values {
            list = list.bind(v.clone());
        }
        let rows = list.fetch_all(&mut self.tx).await.map_err(map_err)?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(ClientListItem {
                    client: client_from(r)?,
                    active: flag(r, "active")?,
                    main_login: opt_text(r, "main_login")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((items, total))
    }

    async fn set_search_terms(&mut self, client: ClientId, terms: &[String]) -> StoreResult<()> {
        crate::db::query("DELETE FROM client_search_terms WHERE client_id = $1")
            .bind(client)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        for t in terms {
            crate::db::query("INSERT INTO client_search_terms (term, client_id) VALUES ($1, $2) ON CONFLICT (term, client_id) DO NOTHING")
                .bind(t)
                .bind(client)
                .execute(&mut self.tx)
                .await
                .map_err(map_err)?;
        }
        Ok(())
    }

    async fn client_is_active(&mut self, client: ClientId) -> StoreResult<bool> {
        let n = self
            .count(
                "SELECT COUNT(*) AS n FROM services WHERE client_id = $1 AND status = 'active'",
                client,
            )
            .await?;
        Ok(n > 0)
    }

    async fn client_footprint(&mut self, client: ClientId) -> StoreResult<ClientFootprint> {
        let id = client;
        Ok(ClientFootprint {
            payments: self.count("SELECT COUNT(*) AS n FROM payments WHERE client_id = $1", id).await?,
            expenses: self.count("SELECT COUNT(*) AS n FROM expenses WHERE client_id = $1", id).await?,
            active_services: self.count("SELECT COUNT(*) AS n FROM services WHERE client_id = $1 AND status <> 'deleted'", id).await?,
        })
    }

    async fn client_users(&mut self, client: ClientId) -> StoreResult<Vec<UserRecord>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE client_id = $1 ORDER BY is_main DESC, login"
        );
        let rows = crate::db::query(AssertSqlSafe(sql))
            .bind(client)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        rows.iter().map(user_from).collect()
    }

    async fn client_providers(&mut self, client: ClientId) -> StoreResult<Vec<ProviderId>> {
        let rows = crate::db::query(
            "SELECT provider_id FROM client_providers WHERE client_id = $1 ORDER BY connected_at",
        )
        .bind(client)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter().map(|r| parsed(r, "provider_id")).collect()
    }

    async fn connect_provider(
        &mut self,
        client: ClientId,
        provider: ProviderId,
        now: Timestamp,
    ) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO client_providers (client_id, provider_id, connected_at) VALUES ($1, $2, $3) \
             ON CONFLICT (client_id, provider_id) DO NOTHING",
        )
        .bind(client)
        .bind(provider)
        .bind(now)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn disconnect_provider(
        &mut self,
        client: ClientId,
        provider: ProviderId,
    ) -> StoreResult<()> {
        crate::db::query("DELETE FROM client_providers WHERE client_id = $1 AND provider_id = $2")
            .bind(client)
            .bind(provider)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn services_of(&mut self, client: ClientId) -> StoreResult<Vec<ServiceRecord>> {
        let rows = crate::db::query(
            "SELECT id, provider_id, status, created_at FROM services WHERE client_id = $1 \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(client)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(ServiceRecord {
                    id: text(r, "id")?,
                    provider_id: parsed(r, "provider_id")?,
                    status: text(r, "status")?,
                    created_at: at(r, "created_at")?,
                })
            })
            .collect()
    }

    async fn active_services_with(
        &mut self,
        client: ClientId,
        provider: ProviderId,
    ) -> StoreResult<i64> {
        let row = crate::db::query("SELECT COUNT(*) AS n FROM services WHERE client_id = $1 AND provider_id = $2 AND status <> 'deleted'")
            .bind(client)
            .bind(provider)
            .fetch_one(&mut self.tx)
            .await
            .map_err(map_err)?;
        int(&row, "n")
    }

    async fn set_user_grants(
        &mut self,
        user: UserId,
        functions: &[String],
        now: Timestamp,
    ) -> StoreResult<()> {
        crate::db::query("DELETE FROM user_grants WHERE user_id = $1")
            .bind(user)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        for f in functions {
            crate::db::query(
                "INSERT INTO user_grants (user_id, function, granted_at) VALUES ($1, $2, $3)",
            )
            .bind(user)
            .bind(f)
            .bind(now)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }

    async fn anonymize_history(&mut self, client: ClientId, users: &[UserId]) -> StoreResult<()> {
        // The client's users are those it has now and those deleted before: the entries
        // about a deleted user (its creation, its deletion) still name its id.
        let rows = crate::db::query(
            "SELECT DISTINCT object_id FROM history WHERE client_id = $1 AND object_kind = 'user'",
        )
        .bind(client)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        let mut all: Vec<UserId> = users.to_vec();
        for r in &rows {
            if let Ok(id) = text(r, "object_id")?.parse::<UserId>()
                && !all.contains(&id)
            {
                all.push(id);
            }
        }
        for u in &all {
            // Entries about a user's own API tokens (named after a laptop, an e-mail…) were
            // written without the client before the token entries carried it: claim them,
            // so the erasure below reaches them.
            crate::db::query(
                "UPDATE history SET client_id = $1 \
                 WHERE object_kind = 'api_token' AND actor_user_id = $2 AND client_id IS NULL",
            )
            .bind(client)
            .bind(u)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        // Field names and the fact of a change stay; the values (names, e-mails, phones…)
        // go. Amounts live in ledger documents, not in history values.
        crate::db::query(
            "UPDATE history SET changes = $1, ip = NULL WHERE client_id = $2 AND changes <> '[]'",
        )
        .bind("[{\"field\":\"personal_data\",\"old\":null,\"new\":\"erased\"}]")
        .bind(client)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        // Addresses go from every entry about the client, with changes or without.
        crate::db::query("UPDATE history SET ip = NULL WHERE client_id = $1")
            .bind(client)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        for u in &all {
            crate::db::query(
                "UPDATE history SET ip = NULL, actor_login = NULL WHERE actor_user_id = $1",
            )
            .bind(u)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }

    async fn erase_client_mails(&mut self, client: ClientId) -> StoreResult<()> {
        crate::db::query(
            "UPDATE outbox_emails SET to_address = 'erased@erased.invalid', to_name = NULL, \
             params = '{}', subject = '(erased)', body = '(erased)', leased_until = NULL, \
             status = CASE WHEN status = 'sent' THEN 'sent' ELSE 'failed' END, \
             last_error = CASE WHEN status = 'sent' THEN last_error ELSE 'personal data erased' END \
             WHERE client_id = $1",
        )
        .bind(client)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn client_mails(&mut self, client: ClientId) -> StoreResult<Vec<MailSummary>> {
        let rows = crate::db::query(
            "SELECT created_at, to_address, subject, status FROM outbox_emails WHERE client_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(client)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(MailSummary {
                    created_at: at(r, "created_at")?,
                    to_address: text(r, "to_address")?,
                    subject: text(r, "subject")?,
                    status: text(r, "status")?,
                })
            })
            .collect()
    }

    async fn set_user_identity(
        &mut self,
        user: UserId,
        login: &str,
        email: Option<&str>,
        name: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.ensure_identity_free(user, login, email).await?;
        crate::db::query("UPDATE users SET login = $1, email = $2, name = $3, name_ru = NULL, phone = NULL, updated_at = $4 WHERE id = $5")
            .bind(login)
            .bind(email.map(str::to_owned))
            .bind(name)
            .bind(now)
            .bind(user)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        self.close_password_resets(user, now).await
    }
}

fn payer_from(r: &Row) -> StoreResult<PayerRecord> {
    Ok(PayerRecord {
        id: parsed(r, "id")?,
        client_id: parsed(r, "client_id")?,
        kind: parsed(r, "kind")?,
        name: text(r, "name")?,
        country: country(r, "country")?,
        address: opt_text(r, "address")?,
        tax_number: opt_text(r, "tax_number")?,
        region: opt_text(r, "region")?,
        email: opt_text(r, "email")?,
        is_default: flag(r, "is_default")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

#[async_trait]
impl Payers for SqlTx {
    async fn insert_payer(&mut self, p: &PayerRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO payers (id, client_id, kind, name, country, address, tax_number, email, is_default, created_at, updated_at, region) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(p.id)
        .bind(p.client_id)
        .bind(p.kind.code())
        .bind(&p.name)
        .bind(p.country.code())
        .bind(p.address.clone())
        .bind(p.tax_number.clone())
        .bind(p.email.clone())
        .bind(p.is_default)
        .bind(p.created_at)
        .bind(p.updated_at)
        .bind(p.region.clone())
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn update_payer(&mut self, p: &PayerRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE payers SET kind = $1, name = $2, country = $3, address = $4, tax_number = $5, email = $6, updated_at = $7, region = $8 WHERE id = $9",
        )
        .bind(p.kind.code())
        .bind(&p.name)
        .bind(p.country.code())
        .bind(p.address.clone())
        .bind(p.tax_number.clone())
        .bind(p.email.clone())
        .bind(p.updated_at)
        .bind(p.region.clone())
        .bind(p.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_payer(&mut self, id: PayerId) -> StoreResult<()> {
        self.execute_with("DELETE FROM payers WHERE id = $1", id)
            .await
    }

    async fn payers_of(&mut self, client: ClientId) -> StoreResult<Vec<PayerRecord>> {
        let rows = crate::db::query(
            "SELECT id, client_id, kind, name, country, region, address, tax_number, email, is_default, created_at, updated_at \
             FROM payers WHERE client_id = $1 ORDER BY created_at, id",
        )
        .bind(client)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter().map(payer_from).collect()
    }

    async fn set_default_payer(&mut self, client: ClientId, payer: PayerId) -> StoreResult<()> {
        // The old default first: the partial unique index `payers_one_default_key` allows
        // one default per client at every moment, not only at commit.
        crate::db::query(
            "UPDATE payers SET is_default = FALSE WHERE client_id = $1 AND is_default AND id <> $2",
        )
        .bind(client)
        .bind(payer)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        crate::db::query("UPDATE payers SET is_default = TRUE WHERE client_id = $1 AND id = $2")
            .bind(client)
            .bind(payer)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }
}

fn group_from(r: &Row) -> StoreResult<ClientGroupRecord> {
    Ok(ClientGroupRecord {
        id: parsed(r, "id")?,
        name: text(r, "name")?,
        allow_suspend: flag(r, "allow_suspend")?,
        allow_activate: flag(r, "allow_activate")?,
        allow_delete: flag(r, "allow_delete")?,
        unlimited_services: flag(r, "unlimited_services")?,
        forbid_contract_drafts: flag(r, "forbid_contract_drafts")?,
        mailing_segment: flag(r, "mailing_segment")?,
        forbidden_tariffs: json_list(r, "forbidden_tariffs")?,
        restricted_payment_methods: json_list(r, "restricted_payment_methods")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

const GROUP_COLUMNS: &str = "g.id, g.name, g.allow_suspend, g.allow_activate, g.allow_delete, g.unlimited_services, \
     g.forbid_contract_drafts, g.mailing_segment, g.forbidden_tariffs, g.restricted_payment_methods, g.created_at, g.updated_at";

#[async_trait]
impl ClientGroups for SqlTx {
    async fn insert_group(&mut self, g: &ClientGroupRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO client_groups (id, name, allow_suspend, allow_activate, allow_delete, unlimited_services, \
             forbid_contract_drafts, mailing_segment, forbidden_tariffs, restricted_payment_methods, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(g.id)
        .bind(&g.name)
        .bind(g.allow_suspend)
        .bind(g.allow_activate)
        .bind(g.allow_delete)
        .bind(g.unlimited_services)
        .bind(g.forbid_contract_drafts)
        .bind(g.mailing_segment)
        .bind(to_json(&g.forbidden_tariffs))
        .bind(to_json(&g.restricted_payment_methods))
        .bind(g.created_at)
        .bind(g.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn update_group(&mut self, g: &ClientGroupRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE client_groups SET name = $1, allow_suspend = $2, allow_activate = $3, allow_delete = $4, \
             unlimited_services = $5, forbid_contract_drafts = $6, mailing_segment = $7, forbidden_tariffs = $8, \
             restricted_payment_methods = $9, updated_at = $10 WHERE id = $11",
        )
        .bind(&g.name)
        .bind(g.allow_suspend)
        .bind(g.allow_activate)
        .bind(g.allow_delete)
        .bind(g.unlimited_services)
        .bind(g.forbid_contract_drafts)
        .bind(g.mailing_segment)
        .bind(to_json(&g.forbidden_tariffs))
        .bind(to_json(&g.restricted_payment_methods))
        .bind(g.updated_at)
        .bind(g.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_group(&mut self, id: ClientGroupId) -> StoreResult<()> {
        self.execute_with("DELETE FROM client_groups WHERE id = $1", id)
            .await
    }

    async fn group(&mut self, id: ClientGroupId) -> StoreResult<Option<ClientGroupRecord>> {
        let sql = format!("SELECT {GROUP_COLUMNS} FROM client_groups g WHERE g.id = $1");
        let row = crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(group_from).transpose()
    }

    async fn list_groups(&mut self) -> StoreResult<Vec<(ClientGroupRecord, i64)>> {
        let sql = format!(
            "SELECT {GROUP_COLUMNS}, (SELECT COUNT(*) FROM client_group_members m WHERE m.group_id = g.id) AS members \
             FROM client_groups g ORDER BY g.name"
        );
        let rows = crate::db::query(AssertSqlSafe(sql))
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|r| Ok((group_from(r)?, int(r, "members")?)))
            .collect()
    }

    async fn groups_of(&mut self, client: ClientId) -> StoreResult<Vec<ClientGroupId>> {
        let rows =
            crate::db::query("SELECT group_id FROM client_group_members WHERE client_id = $1")
                .bind(client)
                .fetch_all(&mut self.tx)
                .await
                .map_err(map_err)?;
        rows.iter().map(|r| parsed(r, "group_id")).collect()
    }

    async fn set_client_groups(
        &mut self,
        client: ClientId,
        groups: &[ClientGroupId],
    ) -> StoreResult<()> {
        crate::db::query("DELETE FROM client_group_members WHERE client_id = $1")
            .bind(client)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        for g in groups {
            crate::db::query(
                "INSERT INTO client_group_members (group_id, client_id) VALUES ($1, $2)",
            )
            .bind(g)
            .bind(client)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }
}
