//! Money's tables: accounts, the append-only ledger, payment methods, payments, expenses,
//! allocations, withdrawals, idempotency keys, and the consistency audit behind
//! `bursar check`.
//!
//! `lock_account` is an `UPDATE` that writes nothing new: on PostgreSQL it takes the row lock
//! (the portable spelling of `SELECT … FOR UPDATE`, which SQLite lacks), on SQLite the
//! transaction already holds the write lock. The ledger has an insert and reads only.

use crate::db::{IntoVal, Row, Val};
use crate::map_err;
use crate::repos::SqlTx;
use crate::rows::{at, flag, int, opt_at, opt_parsed, parsed, text};
use async_trait::async_trait;
use bursar_app::ports::*;
use bursar_domain::accounts::{CreditMode, Grace};
use bursar_domain::{AccountId, ClientId, ExpenseId, PaymentId, PaymentMethodId, ProviderId};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

fn bad(what: &str) -> StoreError {
    StoreError::Other(format!("unreadable {what}"))
}

const ACCOUNT_COLUMNS: &str = "id, client_id, provider_id, currency_code, balance_minor, credit_mode, \
     credit_limit_minor, grace_mode, respite_days, block_in_days, referrer_id, free_support_calls, \
     is_active, last_seq, created_at, updated_at";

fn account_from(r: &Row) -> StoreResult<AccountRecord> {
    let limit_minor = int(r, "credit_limit_minor")?;
    let credit = match text(r, "credit_mode")?.as_str() {
        "prepaid" => CreditMode::Prepaid,
        "credit_limit" => CreditMode::CreditLimit { limit_minor },
        "postpaid" => CreditMode::Postpaid,
        _ => return Err(bad("credit mode")),
    };
    let days =
        |col: &str| -> StoreResult<u16> { u16::try_from(int(r, col)?).map_err(|_| bad(col)) };
    let grace = match text(r, "grace_mode")?.as_str() {
        "unlimited" => Grace::Unlimited,
        "from_due_payment" => Grace::FromDuePayment {
            respite_days: days("respite_days")?,
            block_in_days: days("block_in_days")?,
        },
        _ => return Err(bad("grace mode")),
    };
    Ok(AccountRecord {
        id: parsed(r, "id")?,
        client_id: parsed(r, "client_id")?,
        provider_id: parsed(r, "provider_id")?,
        currency_code: text(r, "currency_code")?,
        balance_minor: int(r, "balance_minor")?,
        credit,
        grace,
        referrer_id: opt_parsed(r, "referrer_id")?,
        free_support_calls: int(r, "free_support_calls")?,
        is_active: flag(r, "is_active")?,
        last_seq: int(r, "last_seq")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

fn grace_days(g: Grace) -> (i64, i64) {
    match g {
        Grace::Unlimited => (0, 0),
        Grace::FromDuePayment {
            respite_days,
            block_in_days,
        } => (i64::from(respite_days), i64::from(block_in_days)),
    }
}

const ENTRY_COLUMNS: &str = "id, account_id, seq, kind, document_id, amount_minor, balance_after_minor, actor_user_id, created_at";

fn entry_from(r: &Row) -> StoreResult<LedgerEntryRecord> {
    Ok(LedgerEntryRecord {
        id: parsed(r, "id")?,
        account_id: parsed(r, "account_id")?,
        seq: int(r, "seq")?,
        kind: EntryKind::parse(&text(r, "kind")?).ok_or_else(|| bad("entry kind"))?,
        document_id: parsed(r, "document_id")?,
        amount_minor: int(r, "amount_minor")?,
        balance_after_minor: int(r, "balance_after_minor")?,
        actor_user_id: opt_parsed(r, "actor_user_id")?,
        created_at: at(r, "created_at")?,
    })
}

const METHOD_COLUMNS: &str =
    "id, provider_id, kind, name_en, name_ru, company_id, is_active, created_at, updated_at";

fn method_from(r: &Row) -> StoreResult<PaymentMethodRecord> {
    Ok(PaymentMethodRecord {
        id: parsed(r, "id")?,
        provider_id: parsed(r, "provider_id")?,
        kind: MethodKind::parse(&text(r, "kind")?).ok_or_else(|| bad("method kind"))?,
        name_en: text(r, "name_en")?,
        name_ru: text(r, "name_ru")?,
        company_id: opt_parsed(r, "company_id")?,
        is_active: flag(r, "is_active")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
    })
}

const PAYMENT_COLUMNS: &str = "id, number, account_id, client_id, company_id, payer_id, method_id, \
     amount_minor, allocated_minor, currency_code, status, comment, refund_of_id, created_by_id, \
     created_at, updated_at, paid_at";

fn payment_from(r: &Row) -> StoreResult<PaymentRecord> {
    Ok(PaymentRecord {
        id: parsed(r, "id")?,
        number: text(r, "number")?,
        account_id: parsed(r, "account_id")?,
        client_id: parsed(r, "client_id")?,
        company_id: opt_parsed(r, "company_id")?,
        payer_id: opt_parsed(r, "payer_id")?,
        method_id: opt_parsed(r, "method_id")?,
        amount_minor: int(r, "amount_minor")?,
        allocated_minor: int(r, "allocated_minor")?,
        currency_code: text(r, "currency_code")?,
        status: parsed(r, "status")?,
        comment: text(r, "comment")?,
        refund_of: opt_parsed(r, "refund_of_id")?,
        created_by: opt_parsed(r, "created_by_id")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
        paid_at: opt_at(r, "paid_at")?,
    })
}

const EXPENSE_COLUMNS: &str = "id, number, account_id, client_id, service_id, description, amount_minor, \
     tax_rate_bp, tax_minor, paid_minor, currency_code, created_by_id, created_at, updated_at, deleted_at, tax_name";

fn expense_from(r: &Row) -> StoreResult<ExpenseRecord> {
    Ok(ExpenseRecord {
        id: parsed(r, "id")?,
        number: int(r, "number")?,
        account_id: parsed(r, "account_id")?,
        client_id: parsed(r, "client_id")?,
        service_id: opt_parsed(r, "service_id")?,
        description: text(r, "description")?,
        amount_minor: int(r, "amount_minor")?,
        tax_rate_bp: int(r, "tax_rate_bp")?,
        tax_minor: int(r, "tax_minor")?,
        tax_name: text(r, "tax_name")?,
        paid_minor: int(r, "paid_minor")?,
        currency_code: text(r, "currency_code")?,
        created_by: opt_parsed(r, "created_by_id")?,
        created_at: at(r, "created_at")?,
        updated_at: at(r, "updated_at")?,
        deleted_at: opt_at(r, "deleted_at")?,
    })
}

fn allocation_from(r: &Row) -> StoreResult<AllocationLine> {
    Ok(AllocationLine {
        payment_id: parsed(r, "payment_id")?,
        target_kind: TargetKind::parse(&text(r, "target_kind")?)
            .ok_or_else(|| bad("allocation target"))?,
        target_id: parsed(r, "target_id")?,
        amount_minor: int(r, "total")?,
    })
}

/// A list query's `WHERE` clause and its values, numbered in order.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    values: Vec<Val>,
}

impl Where {
    fn add(&mut self, clause: &str, value: impl IntoVal) {
        self.values.push(value.into_val());
        self.clauses
            .push(clause.replace('?', &format!("${}", self.values.len())));
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    fn query(&self, sql: String) -> crate::db::Query {
        let mut q = crate::db::query(AssertSqlSafe(sql));
        for v in &self.values {
            q = q.bind(v.clone());
        }
        q
    }
}

impl SqlTx {
    async fn sums(&mut self, table: &str, w: &Where) -> StoreResult<(i64, Vec<CurrencySum>)> {
        let rows = w
            .query(format!(
                "SELECT currency_code, COUNT(*) AS n, CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS total \
                 FROM {table}{} GROUP BY currency_code ORDER BY currency_code",
                w.sql()
            ))
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        let mut count = 0;
        let mut sums = Vec::new();
        for r in &rows {
            let n = int(r, "n")?;
            count += n;
            sums.push(CurrencySum {
                currency_code: text(r, "currency_code")?,
                count: n,
                amount_minor: int(r, "total")?,
            });
        }
        Ok((count, sums))
    }

    async fn strings(&mut self, sql: &'static str) -> StoreResult<Vec<String>> {
        let rows = crate::db::query(sql)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| text(r, "problem")).collect()
    }
}

fn page_sql(page: Page) -> String {
    let offset = i64::from(page.number.saturating_sub(1)) * i64::from(page.size);
    format!(" LIMIT {} OFFSET {offset}", page.size)
}

#[async_trait]
impl Money for SqlTx {
    async fn insert_account(&mut self, a: &AccountRecord) -> StoreResult<()> {
        let (respite, block_in) = grace_days(a.grace);
        crate::db::query(
            "INSERT INTO accounts (id, client_id, provider_id, currency_code, balance_minor, credit_mode, \
             credit_limit_minor, grace_mode, respite_days, block_in_days, referrer_id, free_support_calls, \
             is_active, last_seq, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14)",
        )
        .bind(a.id)
        .bind(a.client_id)
        .bind(a.provider_id)
        .bind(&a.currency_code)
        .bind(a.credit.key())
        .bind(a.credit.limit_minor())
        .bind(a.grace.key())
        .bind(respite)
        .bind(block_in)
        .bind(a.referrer_id)
        .bind(a.free_support_calls)
        .bind(a.is_active)
        .bind(a.created_at)
        .bind(a.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn update_account_settings(&mut self, a: &AccountRecord) -> StoreResult<()> {
        let (respite, block_in) = grace_days(a.grace);
        crate::db::query(
            "UPDATE accounts SET credit_mode = $1, credit_limit_minor = $2, grace_mode = $3, \
             respite_days = $4, block_in_days = $5, referrer_id = $6, free_support_calls = $7, \
             is_active = $8, updated_at = $9 WHERE id = $10",
        )
        .bind(a.credit.key())
        .bind(a.credit.limit_minor())
        .bind(a.grace.key())
        .bind(respite)
        .bind(block_in)
        .bind(a.referrer_id)
        .bind(a.free_support_calls)
        .bind(a.is_active)
        .bind(a.updated_at)
        .bind(a.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn account(&mut self, id: AccountId) -> StoreResult<Option<AccountRecord>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1");
        crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(account_from)
            .transpose()
    }

    async fn lock_account(&mut self, id: AccountId) -> StoreResult<Option<AccountRecord>> {
        let sql = format!(
            "UPDATE accounts SET last_seq = last_seq WHERE id = $1 RETURNING {ACCOUNT_COLUMNS}"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(account_from)
            .transpose()
    }

    async fn accounts_of(&mut self, client: ClientId) -> StoreResult<Vec<AccountRecord>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE client_id = $1 ORDER BY is_active DESC, created_at, id"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(client)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(account_from)
            .collect()
    }

    async fn active_account(
        &mut self,
        client: ClientId,
        provider: ProviderId,
    ) -> StoreResult<Option<AccountRecord>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE client_id = $1 AND provider_id = $2 AND is_active = $3"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(client)
            .bind(provider)
            .bind(true)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(account_from)
            .transpose()
    }

    async fn accounts_in_debt(&mut self) -> StoreResult<Vec<AccountRecord>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE balance_minor < 0 ORDER BY created_at, id"
        );
        crate::db::query(AssertSqlSafe(sql))
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(account_from)
            .collect()
    }

    async fn append_entry(&mut self, e: &LedgerEntryRecord) -> StoreResult<()> {
        let moved = crate::db::query(
            "UPDATE accounts SET balance_minor = $1, last_seq = $2 WHERE id = $3 AND last_seq = $4",
        )
        .bind(e.balance_after_minor)
        .bind(e.seq)
        .bind(e.account_id)
        .bind(e.seq - 1)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        if moved.rows_affected() != 1 {
            return Err(StoreError::Other(format!(
                "ledger of account {} moved past entry {} while locked",
                e.account_id, e.seq
            )));
        }
        crate::db::query(
            "INSERT INTO ledger_entries (id, account_id, seq, kind, document_id, amount_minor, \
             balance_after_minor, actor_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(e.id)
        .bind(e.account_id)
        .bind(e.seq)
        .bind(e.kind.key())
        .bind(e.document_id)
        .bind(e.amount_minor)
        .bind(e.balance_after_minor)
        .bind(e.actor_user_id)
        .bind(e.created_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn ledger(
        &mut self,
        account: AccountId,
        page: Page,
    ) -> StoreResult<(Vec<LedgerEntryRecord>, i64)> {
        let total = self
            .count(
                "SELECT COUNT(*) AS n FROM ledger_entries WHERE account_id = $1",
                account,
            )
            .await?;
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM ledger_entries WHERE account_id = $1 ORDER BY seq DESC{}",
            page_sql(page)
        );
        let items = crate::db::query(AssertSqlSafe(sql))
            .bind(account)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(entry_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((items, total))
    }

    async fn insert_payment_method(&mut self, m: &PaymentMethodRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO payment_methods (id, provider_id, kind, name_en, name_ru, company_id, is_active, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(m.id)
        .bind(m.provider_id)
        .bind(m.kind.key())
        .bind(&m.name_en)
        .bind(&m.name_ru)
        .bind(m.company_id)
        .bind(m.is_active)
        .bind(m.created_at)
        .bind(m.updated_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn update_payment_method(&mut self, m: &PaymentMethodRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE payment_methods SET kind = $1, name_en = $2, name_ru = $3, company_id = $4, \
             is_active = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(m.kind.key())
        .bind(&m.name_en)
        .bind(&m.name_ru)
        .bind(m.company_id)
        .bind(m.is_active)
        .bind(m.updated_at)
        .bind(m.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_payment_method(&mut self, id: PaymentMethodId) -> StoreResult<()> {
        self.execute_with("DELETE FROM payment_methods WHERE id = $1", id)
            .await
    }

    async fn payment_method(
        &mut self,
        id: PaymentMethodId,
    ) -> StoreResult<Option<PaymentMethodRecord>> {
        let sql = format!("SELECT {METHOD_COLUMNS} FROM payment_methods WHERE id = $1");
        crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(method_from)
            .transpose()
    }

    async fn payment_methods(
        &mut self,
        provider: Option<ProviderId>,
    ) -> StoreResult<Vec<PaymentMethodRecord>> {
        let mut w = Where::default();
        if let Some(p) = provider {
            w.add("provider_id = ?", p);
        }
        w.query(format!(
            "SELECT {METHOD_COLUMNS} FROM payment_methods{} ORDER BY provider_id, name_en, id",
            w.sql()
        ))
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?
        .iter()
        .map(method_from)
        .collect()
    }

    async fn payment_method_uses(&mut self, id: PaymentMethodId) -> StoreResult<i64> {
        self.count(
            "SELECT COUNT(*) AS n FROM payments WHERE method_id = $1",
            id,
        )
        .await
    }

    async fn insert_payment(&mut self, p: &PaymentRecord) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO payments ({PAYMENT_COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(p.id)
            .bind(&p.number)
            .bind(p.account_id)
            .bind(p.client_id)
            .bind(p.company_id)
            .bind(p.payer_id)
            .bind(p.method_id)
            .bind(p.amount_minor)
            .bind(p.allocated_minor)
            .bind(&p.currency_code)
            .bind(p.status.key())
            .bind(&p.comment)
            .bind(p.refund_of)
            .bind(p.created_by)
            .bind(p.created_at)
            .bind(p.updated_at)
            .bind(p.paid_at)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn update_payment(&mut self, p: &PaymentRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE payments SET payer_id = $1, method_id = $2, amount_minor = $3, status = $4, \
             comment = $5, updated_at = $6, paid_at = $7 WHERE id = $8",
        )
        .bind(p.payer_id)
        .bind(p.method_id)
        .bind(p.amount_minor)
        .bind(p.status.key())
        .bind(&p.comment)
        .bind(p.updated_at)
        .bind(p.paid_at)
        .bind(p.id)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_payment(&mut self, id: PaymentId) -> StoreResult<()> {
        self.execute_with("DELETE FROM payments WHERE id = $1", id)
            .await
    }

    async fn payment(&mut self, id: PaymentId) -> StoreResult<Option<PaymentRecord>> {
        let sql = format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = $1");
        crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(payment_from)
            .transpose()
    }

    async fn list_payments(
        &mut self,
        filter: &PaymentFilter,
        page: Page,
    ) -> StoreResult<(Vec<PaymentRecord>, i64, Vec<CurrencySum>)> {
        let mut w = Where::default();
        if let Some(c) = filter.client {
            w.add("client_id = ?", c);
        }
        if let Some(a) = filter.account {
            w.add("account_id = ?", a);
        }
        if let Some(s) = filter.status {
            w.add("status = ?", s.key());
        }
        if let Some(from) = filter.from {
            w.add("created_at >= ?", from);
        }
        if let Some(to) = filter.to {
            w.add("created_at < ?", to);
        }
        let (total, sums) = self.sums("payments", &w).await?;
        let items = w
            .query(format!(
                "SELECT {PAYMENT_COLUMNS} FROM payments{} ORDER BY created_at DESC, id DESC{}",
                w.sql(),
                page_sql(page)
            ))
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(payment_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((items, total, sums))
    }

    async fn payments_with_money_left(
        &mut self,
        account: AccountId,
        limit: Option<u32>,
    ) -> StoreResult<Vec<PaymentRecord>> {
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE account_id = $1 AND status = 'paid' \
             AND amount_minor > allocated_minor ORDER BY paid_at, id{}",
            limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default()
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(account)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(payment_from)
            .collect()
    }

    async fn oldest_open_payment(&mut self, account: AccountId) -> StoreResult<Option<Timestamp>> {
        let row = crate::db::query(
            "SELECT created_at FROM payments WHERE account_id = $1 AND status = 'new' \
             ORDER BY created_at LIMIT 1",
        )
        .bind(account)
        .fetch_optional(&mut self.tx)
        .await
        .map_err(map_err)?;
        row.as_ref().map(|r| at(r, "created_at")).transpose()
    }

    async fn insert_expense(&mut self, e: &ExpenseRecord) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO expenses ({EXPENSE_COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(e.id)
            .bind(e.number)
            .bind(e.account_id)
            .bind(e.client_id)
            .bind(e.service_id)
            .bind(&e.description)
            .bind(e.amount_minor)
            .bind(e.tax_rate_bp)
            .bind(e.tax_minor)
            .bind(e.paid_minor)
            .bind(&e.currency_code)
            .bind(e.created_by)
            .bind(e.created_at)
            .bind(e.updated_at)
            .bind(e.deleted_at)
            .bind(&e.tax_name)
            .execute(&mut self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn update_expense(&mut self, e: &ExpenseRecord) -> StoreResult<()> {
        crate::db::query(
            "UPDATE expenses SET service_id = $1, description = $2, amount_minor = $3, tax_rate_bp = $4, \
             tax_minor = $5, updated_at = $6, deleted_at = $7, tax_name = $9 WHERE id = $8",
        )
        .bind(e.service_id)
        .bind(&e.description)
        .bind(e.amount_minor)
        .bind(e.tax_rate_bp)
        .bind(e.tax_minor)
        .bind(e.updated_at)
        .bind(e.deleted_at)
        .bind(e.id)
        .bind(&e.tax_name)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn expense(&mut self, id: ExpenseId) -> StoreResult<Option<ExpenseRecord>> {
        let sql = format!("SELECT {EXPENSE_COLUMNS} FROM expenses WHERE id = $1");
        crate::db::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut self.tx)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(expense_from)
            .transpose()
    }

    async fn list_expenses(
        &mut self,
        filter: &ExpenseFilter,
        page: Page,
    ) -> StoreResult<(Vec<ExpenseRecord>, i64, Vec<CurrencySum>)> {
        let mut w = Where::default();
        w.clauses.push("deleted_at IS NULL".to_owned());
        if let Some(c) = filter.client {
            w.add("client_id = ?", c);
        }
        if let Some(a) = filter.account {
            w.add("account_id = ?", a);
        }
        if filter.unpaid {
            w.clauses.push("paid_minor < amount_minor".to_owned());
        }
        if let Some(from) = filter.from {
            w.add("created_at >= ?", from);
        }
        if let Some(to) = filter.to {
            w.add("created_at < ?", to);
        }
        let (total, sums) = self.sums("expenses", &w).await?;
        let items = w
            .query(format!(
                "SELECT {EXPENSE_COLUMNS} FROM expenses{} ORDER BY created_at DESC, id DESC{}",
                w.sql(),
                page_sql(page)
            ))
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(expense_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((items, total, sums))
    }

    async fn unpaid_expenses(
        &mut self,
        account: AccountId,
        limit: u32,
    ) -> StoreResult<Vec<ExpenseRecord>> {
        let sql = format!(
            "SELECT {EXPENSE_COLUMNS} FROM expenses WHERE account_id = $1 AND deleted_at IS NULL \
             AND paid_minor < amount_minor ORDER BY created_at, id LIMIT {limit}"
        );
        crate::db::query(AssertSqlSafe(sql))
            .bind(account)
            .fetch_all(&mut self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(expense_from)
            .collect()
    }

    async fn newest_expense(&mut self, account: AccountId) -> StoreResult<Option<ExpenseId>> {
        let row = crate::db::query(
            "SELECT id FROM expenses WHERE account_id = $1 AND deleted_at IS NULL \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(account)
        .fetch_optional(&mut self.tx)
        .await
        .map_err(map_err)?;
        row.as_ref().map(|r| parsed(r, "id")).transpose()
    }

    async fn insert_withdrawal(&mut self, w: &WithdrawalRecord) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO withdrawals (id, account_id, client_id, recipient, method, details, amount_minor, \
             currency_code, created_by_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(w.id)
        .bind(w.account_id)
        .bind(w.client_id)
        .bind(&w.recipient)
        .bind(&w.method)
        .bind(&w.details)
        .bind(w.amount_minor)
        .bind(&w.currency_code)
        .bind(w.created_by)
        .bind(w.created_at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn withdrawals(&mut self, account: AccountId) -> StoreResult<Vec<WithdrawalRecord>> {
        let rows = crate::db::query(
            "SELECT id, account_id, client_id, recipient, method, details, amount_minor, currency_code, \
             created_by_id, created_at FROM withdrawals WHERE account_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(account)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(WithdrawalRecord {
                    id: parsed(r, "id")?,
                    account_id: parsed(r, "account_id")?,
                    client_id: parsed(r, "client_id")?,
                    recipient: text(r, "recipient")?,
                    method: text(r, "method")?,
                    details: text(r, "details")?,
                    amount_minor: int(r, "amount_minor")?,
                    currency_code: text(r, "currency_code")?,
                    created_by: opt_parsed(r, "created_by_id")?,
                    created_at: at(r, "created_at")?,
                })
            })
            .collect()
    }

    async fn allocate(
        &mut self,
        payment: PaymentId,
        target: TargetKind,
        target_id: Uuid,
        amount_minor: i64,
        at: Timestamp,
    ) -> StoreResult<()> {
        crate::db::query(
            "INSERT INTO allocations (id, payment_id, target_kind, target_id, amount_minor, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Uuid::now_v7())
        .bind(payment)
        .bind(target.key())
        .bind(target_id)
        .bind(amount_minor)
        .bind(at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        crate::db::query(
            "UPDATE payments SET allocated_minor = allocated_minor + $1 WHERE id = $2",
        )
        .bind(amount_minor)
        .bind(payment)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        if target == TargetKind::Expense {
            crate::db::query("UPDATE expenses SET paid_minor = paid_minor + $1 WHERE id = $2")
                .bind(amount_minor)
                .bind(target_id)
                .execute(&mut self.tx)
                .await
                .map_err(map_err)?;
        }
        Ok(())
    }

    async fn allocations_of_payment(&mut self, id: PaymentId) -> StoreResult<Vec<AllocationLine>> {
        crate::db::query(
            "SELECT payment_id, target_kind, target_id, CAST(SUM(amount_minor) AS BIGINT) AS total \
             FROM allocations WHERE payment_id = $1 GROUP BY payment_id, target_kind, target_id \
             HAVING SUM(amount_minor) <> 0 ORDER BY MIN(created_at)",
        )
        .bind(id)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?
        .iter()
        .map(allocation_from)
        .collect()
    }

    async fn allocations_to(&mut self, target_id: Uuid) -> StoreResult<Vec<AllocationLine>> {
        crate::db::query(
            "SELECT payment_id, target_kind, target_id, CAST(SUM(amount_minor) AS BIGINT) AS total \
             FROM allocations WHERE target_id = $1 GROUP BY payment_id, target_kind, target_id \
             HAVING SUM(amount_minor) <> 0 ORDER BY MIN(created_at)",
        )
        .bind(target_id)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?
        .iter()
        .map(allocation_from)
        .collect()
    }

    async fn claim_key(
        &mut self,
        owner: Uuid,
        key: &str,
        fingerprint: &str,
        at: Timestamp,
    ) -> StoreResult<KeyClaim> {
        let inserted = crate::db::query(
            "INSERT INTO idempotency_keys (owner_id, key, fingerprint, answer, created_at) \
             VALUES ($1, $2, $3, '', $4) ON CONFLICT (owner_id, key) DO NOTHING",
        )
        .bind(owner)
        .bind(key)
        .bind(fingerprint)
        .bind(at)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        if inserted.rows_affected() == 1 {
            return Ok(KeyClaim::Claimed);
        }
        let row = crate::db::query(
            "SELECT fingerprint, answer FROM idempotency_keys WHERE owner_id = $1 AND key = $2",
        )
        .bind(owner)
        .bind(key)
        .fetch_one(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(KeyClaim::Used {
            fingerprint: text(&row, "fingerprint")?,
            answer: text(&row, "answer")?,
        })
    }

    async fn save_key_answer(&mut self, owner: Uuid, key: &str, answer: &str) -> StoreResult<()> {
        crate::db::query(
            "UPDATE idempotency_keys SET answer = $1 WHERE owner_id = $2 AND key = $3",
        )
        .bind(answer)
        .bind(owner)
        .bind(key)
        .execute(&mut self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn money_discrepancies(&mut self) -> StoreResult<Vec<String>> {
        let mut problems = Vec::new();
        // `||` concatenates on both databases; numbers are cast to text first.
        problems.extend(
            self.strings(
                "SELECT 'account ' || CAST(a.id AS TEXT) || ': balance ' || CAST(a.balance_minor AS TEXT) \
                 || ' but its entries sum to ' || CAST(COALESCE(SUM(e.amount_minor), 0) AS TEXT) AS problem \
                 FROM accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id \
                 GROUP BY a.id, a.balance_minor HAVING a.balance_minor <> COALESCE(SUM(e.amount_minor), 0)",
            )
            .await?,
        );
        problems.extend(
            self.strings(
                "SELECT 'account ' || CAST(a.id AS TEXT) || ': last entry number ' || CAST(a.last_seq AS TEXT) \
                 || ' but it has ' || CAST(COUNT(e.id) AS TEXT) || ' entries numbered up to ' \
                 || CAST(COALESCE(MAX(e.seq), 0) AS TEXT) AS problem \
                 FROM accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id \
                 GROUP BY a.id, a.last_seq HAVING a.last_seq <> COUNT(e.id) OR a.last_seq <> COALESCE(MAX(e.seq), 0)",
            )
            .await?,
        );
        problems.extend(
            self.strings(
                "SELECT 'account ' || CAST(r.account_id AS TEXT) || ': entry ' || CAST(r.seq AS TEXT) \
                 || ' says the balance became ' || CAST(r.balance_after_minor AS TEXT) \
                 || ' but the entries up to it sum to ' || CAST(r.running AS TEXT) AS problem \
                 FROM (SELECT account_id, seq, balance_after_minor, \
                 SUM(amount_minor) OVER (PARTITION BY account_id ORDER BY seq) AS running \
                 FROM ledger_entries) r WHERE r.balance_after_minor <> r.running",
            )
            .await?,
        );
        problems.extend(
            self.strings(
                "SELECT 'payment ' || p.number || ': allocated ' || CAST(p.allocated_minor AS TEXT) \
                 || ' of ' || CAST(p.amount_minor AS TEXT) || ', allocation rows sum to ' \
                 || CAST(COALESCE((SELECT SUM(x.amount_minor) FROM allocations x WHERE x.payment_id = p.id), 0) AS TEXT) AS problem \
                 FROM payments p WHERE p.allocated_minor <> COALESCE((SELECT SUM(x.amount_minor) FROM allocations x WHERE x.payment_id = p.id), 0) \
                 OR p.allocated_minor < 0 OR (p.amount_minor > 0 AND p.allocated_minor > p.amount_minor) \
                 OR (p.amount_minor < 0 AND p.allocated_minor <> 0)",
            )
            .await?,
        );
        problems.extend(
            self.strings(
                "SELECT 'expense ' || CAST(x.number AS TEXT) || ': paid ' || CAST(x.paid_minor AS TEXT) \
                 || ' of ' || CAST(x.amount_minor AS TEXT) || ', allocation rows sum to ' \
                 || CAST(COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.target_id = x.id), 0) AS TEXT) AS problem \
                 FROM expenses x WHERE x.paid_minor <> COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.target_id = x.id), 0) \
                 OR x.paid_minor < 0 OR x.paid_minor > x.amount_minor OR (x.deleted_at IS NOT NULL AND x.paid_minor <> 0)",
            )
            .await?,
        );
        problems.extend(
            self.strings(
                "SELECT 'payment ' || p.number || ': status ' || p.status || ' but its ledger credit is ' \
                 || CAST(COALESCE((SELECT SUM(e.amount_minor) FROM ledger_entries e WHERE e.kind = 'payment' AND e.document_id = p.id), 0) AS TEXT) AS problem \
                 FROM payments p WHERE p.amount_minor > 0 AND \
                 COALESCE((SELECT SUM(e.amount_minor) FROM ledger_entries e WHERE e.kind = 'payment' AND e.document_id = p.id), 0) \
                 <> CASE WHEN p.status IN ('paid', 'refunded') THEN p.amount_minor ELSE 0 END",
            )
            .await?,
        );
        problems.extend(
            self.strings(
                "SELECT 'expense ' || CAST(x.number AS TEXT) || ': the ledger charges ' \
                 || CAST(COALESCE((SELECT -SUM(e.amount_minor) FROM ledger_entries e WHERE e.document_id = x.id \
                 AND e.kind IN ('expense', 'expense_change', 'expense_delete')), 0) AS TEXT) \
                 || ' but the expense is ' || CAST(CASE WHEN x.deleted_at IS NULL THEN x.amount_minor ELSE 0 END AS TEXT) AS problem \
                 FROM expenses x WHERE COALESCE((SELECT -SUM(e.amount_minor) FROM ledger_entries e WHERE e.document_id = x.id \
                 AND e.kind IN ('expense', 'expense_change', 'expense_delete')), 0) \
                 <> CASE WHEN x.deleted_at IS NULL THEN x.amount_minor ELSE 0 END",
            )
            .await?,
        );
        Ok(problems)
    }

    async fn money_summary(&mut self, month_start: Timestamp) -> StoreResult<Vec<MoneySummary>> {
        let mut out: std::collections::BTreeMap<String, MoneySummary> = Default::default();
        let rows = crate::db::query(
            "SELECT currency_code, CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS total FROM payments \
             WHERE status = 'paid' AND paid_at >= $1 GROUP BY currency_code",
        )
        .bind(month_start)
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        for r in &rows {
            let code = text(r, "currency_code")?;
            out.entry(code.clone()).or_default().paid_this_month_minor = int(r, "total")?;
        }
        let rows = crate::db::query(
            "SELECT currency_code, COUNT(*) AS n, CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS total \
             FROM payments WHERE status = 'new' GROUP BY currency_code",
        )
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        for r in &rows {
            let code = text(r, "currency_code")?;
            let s = out.entry(code).or_default();
            s.unpaid_invoices = int(r, "n")?;
            s.unpaid_invoices_minor = int(r, "total")?;
        }
        let rows = crate::db::query(
            "SELECT currency_code, COUNT(DISTINCT client_id) AS n, CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) AS total \
             FROM accounts WHERE balance_minor < 0 GROUP BY currency_code",
        )
        .fetch_all(&mut self.tx)
        .await
        .map_err(map_err)?;
        for r in &rows {
            let code = text(r, "currency_code")?;
            let s = out.entry(code).or_default();
            s.clients_in_debt = int(r, "n")?;
            s.debt_minor = int(r, "total")?.saturating_neg();
        }
        Ok(out
            .into_iter()
            .map(|(code, mut s)| {
                s.currency_code = code;
                s
            })
            .collect())
    }
}
