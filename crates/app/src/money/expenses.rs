//! Expenses (seed 004 "Expenses", reference §1.5): a charge against the personal account,
//! covered from its money first; what stays uncovered was spent on credit ("not paid").
//!
//! Editing an expense's amount is a new ledger entry for the difference, never an edit of the
//! old one. Lowering it releases payments' money (the newest allocations first), which comes
//! back to the balance, where it covers other debt or becomes refundable. Deleting goes newest
//! first, as in BILLmanager, and keeps the expense as a deleted record with its entries.

use super::accounts::may_read_money;
use super::{Locked, ensure_account, lock, post, settle};
use crate::clients::load_client;
use crate::error::AppError;
use crate::history::Paged;
use crate::ports::{
    AllocationLine, Counter, CurrencySum, EntryKind, ExpenseFilter, ExpenseRecord, Page,
    TargetKind, Tx,
};
use crate::taxes::{IncludedTax, included_tax_by_rules};
use crate::use_case::Work;
use crate::{App, Principal};
use bursar_domain::access::AccountKind;
use bursar_domain::functions::f;
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::money::{format_minor, included_tax, parse_positive_amount};
use bursar_domain::validation::parse_text;
use bursar_domain::{ClientId, ErrorCode, ExpenseId, Invalid, ProviderId};

/// The expense form; on edit, `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct ExpenseInput {
    /// The provider whose account is charged; needed only when the client has several.
    pub provider_id: Option<String>,
    pub service_id: Option<String>,
    pub description: Option<String>,
    pub amount: Option<String>,
    pub currency: Option<String>,
    /// The tax rate included in the amount, in percent (`20` or `20.5`).
    pub tax_rate: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ExpenseView {
    pub expense: ExpenseRecord,
    pub minor_units: u16,
    /// The payments that covered it: (invoice number, amount).
    pub payments: Vec<(String, i64)>,
}

impl ExpenseView {
    pub fn amount(&self, minor: i64) -> String {
        format_minor(minor, self.minor_units)
    }

    pub fn not_paid_minor(&self) -> i64 {
        self.expense.amount_minor - self.expense.paid_minor
    }
}

pub struct ExpensePage {
    pub page: Paged<ExpenseView>,
    /// Sums per currency, each with its currency's places.
    pub sums: Vec<(CurrencySum, u16)>,
}

fn expense_ref(e: &ExpenseRecord) -> ObjectRef {
    ObjectRef {
        kind: "expense",
        id: e.id.to_string(),
        client: Some(e.client_id),
    }
}

fn parse_tax_rate(raw: &str) -> Result<i64, Invalid> {
    bursar_domain::pricing::taxes::parse_rate("tax_rate", raw)
}

async fn load_expense(tx: &mut dyn Tx, id: ExpenseId) -> Result<ExpenseRecord, AppError> {
    tx.expense(id)
        .await?
        .ok_or(AppError::NotFound { what: "expense" })
}

async fn lock_expense(
    w: &mut Work<'_>,
    id: ExpenseId,
) -> Result<(Locked, ExpenseRecord), AppError> {
    let first = load_expense(w.tx(), id).await?;
    let locked = lock(w, first.account_id).await?;
    let e = load_expense(w.tx(), id).await?;
    if e.deleted_at.is_some() {
        return Err(AppError::rule(
            ErrorCode::ExpenseDeleted,
            "this expense was deleted",
        ));
    }
    Ok((locked, e))
}

/// Gives back `amount_minor` of the expense's coverage, newest payment first.
async fn release(
    w: &mut Work<'_>,
    e: &ExpenseRecord,
    mut amount_minor: i64,
) -> Result<(), AppError> {
    let mut covering = w.tx().allocations_to(e.id.0).await?;
    covering.reverse();
    let now = w.now();
    for AllocationLine {
        payment_id,
        amount_minor: given,
        ..
    } in covering
    {
        if amount_minor <= 0 {
            break;
        }
        let back = given.min(amount_minor);
        w.tx()
            .allocate(payment_id, TargetKind::Expense, e.id.0, -back, now)
            .await?;
        amount_minor -= back;
    }
    Ok(())
}

async fn view_expense(tx: &mut dyn Tx, e: ExpenseRecord) -> Result<ExpenseView, AppError> {
    let minor_units = super::minor_units(tx, &e.currency_code).await?;
    let mut payments = Vec::new();
    for a in tx.allocations_to(e.id.0).await? {
        let number = tx
            .payment(a.payment_id)
            .await?
            .map(|p| p.number)
            .unwrap_or_default();
        payments.push((number, a.amount_minor));
    }
    Ok(ExpenseView {
        expense: e,
        minor_units,
        payments,
    })
}

/// Charges an expense inside the caller's transaction (see [`App::create_expense`]): the
/// billing run and the demo charge this way.
pub(crate) async fn charge_in(
    w: &mut Work<'_>,
    client: ClientId,
    input: &ExpenseInput,
) -> Result<ExpenseRecord, AppError> {
    load_client(w.tx(), client).await?;
    let connected = w.tx().client_providers(client).await?;
    let provider: ProviderId = match input.provider_id.as_deref().map(str::trim) {
        Some(raw) if !raw.is_empty() => raw.parse().map_err(|_| {
            AppError::invalid(
                "provider_id",
                ErrorCode::UnknownProvider,
                "choose one of the client's providers",
            )
        })?,
        _ => match connected.as_slice() {
            [only] => *only,
            _ => {
                return Err(AppError::invalid(
                    "provider_id",
                    ErrorCode::UnknownProvider,
                    "choose one of the client's providers",
                ));
            }
        },
    };
    if !connected.contains(&provider) {
        return Err(AppError::rule(
            ErrorCode::ProviderNotConnected,
            "the client is not connected to this provider",
        ));
    }
    let account = ensure_account(w, client, provider).await?;
    let mut locked = lock(w, account.id).await?;
    let mut invalid = Invalid::default();
    if let Some(c) = &input.currency
        && !c.trim().eq_ignore_ascii_case(&locked.account.currency_code)
    {
        invalid.push(
            "currency",
            ErrorCode::CurrencyMismatch,
            format!("the account's currency is {}", locked.account.currency_code),
        );
    }
    let amount = invalid.check(parse_positive_amount(
        "amount",
        input.amount.as_deref().unwrap_or_default(),
        locked.minor_units,
    ));
    let description = match invalid.check(parse_text(
        "description",
        input.description.as_deref().unwrap_or_default(),
        500,
    )) {
        Some(Some(d)) => Some(d),
        Some(None) => {
            invalid.push("description", ErrorCode::Required, "is required");
            None
        }
        None => None,
    };
    // No rate given: the provider's tax rules say it (below).
    let given_rate = match input.tax_rate.as_deref().map(str::trim) {
        Some(raw) if !raw.is_empty() => invalid.check(parse_tax_rate(raw)).map(Some),
        _ => Some(None),
    };
    let service_id = match input.service_id.as_deref().map(str::trim) {
        Some(raw) if !raw.is_empty() => match raw.parse::<uuid::Uuid>() {
            Ok(id) => Some(id),
            Err(_) => {
                invalid.push("service_id", ErrorCode::InvalidId, "is not a valid id");
                None
            }
        },
        _ => None,
    };
    invalid.into_result()?;
    let amount_minor = amount.unwrap_or_default();
    let now = w.now();
    let tax = match given_rate.flatten() {
        Some(bp) => IncludedTax {
            rate_bp: bp,
            minor: included_tax(amount_minor, bp),
            name: String::new(),
        },
        None => {
            included_tax_by_rules(w.tx(), client, provider, service_id, amount_minor, now).await?
        }
    };
    let tax_rate_bp = tax.rate_bp;
    let number = w.tx().next_number(Counter::Expenses).await?;
    let e = ExpenseRecord {
        id: ExpenseId::new(),
        number,
        account_id: locked.account.id,
        client_id: client,
        service_id,
        description: description.unwrap_or_default(),
        amount_minor,
        tax_rate_bp,
        tax_minor: tax.minor,
        tax_name: tax.name,
        paid_minor: 0,
        currency_code: locked.account.currency_code.clone(),
        created_by: w.actor().user,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    w.tx().insert_expense(&e).await?;
    post(w, &mut locked, EntryKind::Expense, e.id.0, -amount_minor).await?;
    settle(w, locked.account.id).await?;
    let changes = Changes::default()
        .set("number", e.number)
        .set("description", &e.description)
        .set("amount", locked.show(amount_minor))
        .set("tax_rate", format_minor(tax_rate_bp, 2) + " %")
        .set("tax_name", &e.tax_name);
    w.record_as(f::EXPENSE_CREATE, expense_ref(&e), "create", changes);
    load_expense(w.tx(), e.id).await
}

impl App {
    /// Staff charge a client: the expense is debited and covered from the balance first.
    pub async fn create_expense(
        &self,
        who: &Principal,
        client: ClientId,
        input: ExpenseInput,
    ) -> Result<ExpenseView, AppError> {
        let input = &input;
        let e = self
            .write_locked(who, f::EXPENSE_CREATE, None, |w| {
                Box::pin(charge_in(w, client, input))
            })
            .await?;
        self.expense_view(e).await
    }

    async fn expense_view(&self, e: ExpenseRecord) -> Result<ExpenseView, AppError> {
        let mut tx = self.store.read().await?;
        let v = view_expense(tx.as_mut(), e).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Edits an expense. A new amount moves the balance by the difference with a new ledger
    /// entry; lowering it releases coverage, which then pays other debt or stays refundable.
    pub async fn edit_expense(
        &self,
        who: &Principal,
        id: ExpenseId,
        input: ExpenseInput,
    ) -> Result<ExpenseView, AppError> {
        let input = &input;
        let e = self
            .write_locked(who, f::EXPENSE_EDIT, None, |w| {
                Box::pin(async move {
                    let (mut locked, old) = lock_expense(w, id).await?;
                    if input.provider_id.is_some() {
                        return Err(AppError::invalid(
                            "provider_id",
                            ErrorCode::ReadOnly,
                            "an expense's account cannot change",
                        ));
                    }
                    let mut invalid = Invalid::default();
                    let mut new = old.clone();
                    if let Some(raw) = &input.amount
                        && let Some(a) =
                            invalid.check(parse_positive_amount("amount", raw, locked.minor_units))
                    {
                        new.amount_minor = a;
                    }
                    if let Some(raw) = &input.description {
                        match invalid.check(parse_text("description", raw, 500)) {
                            Some(Some(d)) => new.description = d,
                            Some(None) => {
                                invalid.push("description", ErrorCode::Required, "is required")
                            }
                            None => {}
                        }
                    }
                    if let Some(raw) = &input.tax_rate
                        && let Some(bp) = invalid.check(parse_tax_rate(raw))
                    {
                        if bp != new.tax_rate_bp {
                            // A rate typed by hand no longer comes from the named rules.
                            new.tax_name.clear();
                        }
                        new.tax_rate_bp = bp;
                    }
                    if let Some(c) = &input.currency
                        && !c.trim().eq_ignore_ascii_case(&locked.account.currency_code)
                    {
                        invalid.push(
                            "currency",
                            ErrorCode::CurrencyMismatch,
                            "the account's currency is fixed",
                        );
                    }
                    invalid.into_result()?;
                    new.tax_minor = included_tax(new.amount_minor, new.tax_rate_bp);
                    new.updated_at = w.now();
                    let delta = new.amount_minor - old.amount_minor;
                    if delta < 0 {
                        // Coverage above the new amount goes back to its payments.
                        let excess = old.paid_minor - new.amount_minor;
                        if excess > 0 {
                            release(w, &old, excess).await?;
                        }
                    }
                    w.tx().update_expense(&new).await?;
                    if delta != 0 {
                        post(w, &mut locked, EntryKind::ExpenseChange, old.id.0, -delta).await?;
                    }
                    settle(w, locked.account.id).await?;
                    let changes = Changes::default()
                        .diff(
                            "amount",
                            &locked.show(old.amount_minor),
                            &locked.show(new.amount_minor),
                        )
                        .diff("description", &old.description, &new.description)
                        .diff(
                            "tax_rate",
                            &(format_minor(old.tax_rate_bp, 2) + " %"),
                            &(format_minor(new.tax_rate_bp, 2) + " %"),
                        )
                        .diff("tax_name", &old.tax_name, &new.tax_name);
                    if !changes.is_empty() {
                        w.record(expense_ref(&new), "update", changes);
                    }
                    load_expense(w.tx(), id).await
                })
            })
            .await?;
        self.expense_view(e).await
    }

    /// Deletes the account's newest expense: its coverage goes back to its payments and its
    /// amount back to the balance. An older one is refused (409 `expense_not_newest`).
    pub async fn delete_expense(&self, who: &Principal, id: ExpenseId) -> Result<(), AppError> {
        self.write_locked(who, f::EXPENSE_DELETE, None, |w| {
            Box::pin(async move {
                let (mut locked, mut e) = lock_expense(w, id).await?;
                if w.tx().newest_expense(e.account_id).await? != Some(id) {
                    return Err(AppError::rule(
                        ErrorCode::ExpenseNotNewest,
                        "expenses are deleted newest first",
                    ));
                }
                if e.paid_minor > 0 {
                    release(w, &e, e.paid_minor).await?;
                }
                let now = w.now();
                e.deleted_at = Some(now);
                e.updated_at = now;
                w.tx().update_expense(&e).await?;
                post(
                    w,
                    &mut locked,
                    EntryKind::ExpenseDelete,
                    e.id.0,
                    e.amount_minor,
                )
                .await?;
                settle(w, locked.account.id).await?;
                let changes = Changes::default()
                    .diff("number", &e.number.to_string(), &String::new())
                    .diff("amount", &locked.show(e.amount_minor), &String::new());
                w.record(expense_ref(&e), "delete", changes);
                Ok(())
            })
        })
        .await
    }

    pub async fn expense(&self, who: &Principal, id: ExpenseId) -> Result<ExpenseView, AppError> {
        let mut tx = self.store.read().await?;
        let e = load_expense(tx.as_mut(), id).await?;
        may_read_money(who, e.client_id)?;
        let v = view_expense(tx.as_mut(), e).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Expenses (not deleted), newest first, with sums per currency.
    pub async fn list_expenses(
        &self,
        who: &Principal,
        mut filter: ExpenseFilter,
        page: Page,
    ) -> Result<ExpensePage, AppError> {
        match who.kind() {
            AccountKind::Client => {
                who.require(f::ACCOUNT_FINANCES)?;
                filter.client = who.user.client_id;
            }
            _ => who.require(f::EXPENSE_LIST)?,
        }
        let mut tx = self.store.snapshot().await?;
        let (items, total, sums) = tx.list_expenses(&filter, page).await?;
        let mut views = Vec::with_capacity(items.len());
        for e in items {
            views.push(view_expense(tx.as_mut(), e).await?);
        }
        let mut placed = Vec::with_capacity(sums.len());
        for s in sums {
            let places = super::minor_units(tx.as_mut(), &s.currency_code).await?;
            placed.push((s, places));
        }
        tx.commit().await?;
        Ok(ExpensePage {
            page: Paged {
                items: views,
                page: page.number,
                per_page: page.size,
                total,
            },
            sums: placed,
        })
    }
}
