//! Money (seed 004 "Accounts", "Payments", "Expenses", "Refund"): personal accounts, the
//! ledger, payment methods, payments, expenses, refunds and withdrawals.
//!
//! The rules every money use case keeps, whichever document it is about:
//! - It runs through [`App::write_locked`](crate::App) and first locks the personal account
//!   it touches ([`lock`]). Everything that moves money or changes a money document holds that
//!   lock, so what the use case reads after it is current, and parallel movements on one
//!   account queue instead of racing.
//! - A balance moves only through [`post`]: an immutable ledger entry naming its document and
//!   its actor, checked against the account's credit rules
//!   ([`bursar_domain::accounts::check_movement`]), with the cached balance moved in the same
//!   statement pair.
//! - After money moves, [`settle`] matches the account's money left against its unpaid
//!   expenses, oldest first ([`bursar_domain::allocation::allocate`]).

pub mod accounts;
pub mod check;
pub mod dashboard;
pub mod expenses;
pub mod filters;
pub mod invoices;
pub mod methods;
pub mod payments;
pub mod withdrawals;

use crate::Principal;
use crate::error::AppError;
use crate::ports::{AccountRecord, EntryKind, LedgerEntryRecord, StoreError, TargetKind, Tx};
use crate::use_case::Work;
use bursar_domain::access::AccountKind;
use bursar_domain::accounts::{CreditMode, Grace, check_movement};
use bursar_domain::allocation::{Open, allocate};
use bursar_domain::history::ObjectRef;
use bursar_domain::money::format_minor;
use bursar_domain::{AccountId, ClientId, ErrorCode, LedgerEntryId, ProviderId};
use uuid::Uuid;

/// An account locked for the rest of the transaction, with its currency's places.
pub(crate) struct Locked {
    pub account: AccountRecord,
    pub minor_units: u16,
}

impl Locked {
    /// `1250` → `"12.50 EUR"`.
    pub fn show(&self, minor: i64) -> String {
        format!(
            "{} {}",
            format_minor(minor, self.minor_units),
            self.account.currency_code
        )
    }
}

pub(crate) async fn minor_units(tx: &mut dyn Tx, code: &str) -> Result<u16, AppError> {
    let currency = tx
        .currency(code)
        .await?
        .ok_or_else(|| AppError::internal_msg(format!("currency {code} is missing")))?;
    u16::try_from(currency.minor_units)
        .map_err(|_| AppError::internal_msg(format!("currency {code} has odd places")))
}

/// Locks the account (see the module comment); 404 when it does not exist.
pub(crate) async fn lock(w: &mut Work<'_>, id: AccountId) -> Result<Locked, AppError> {
    let account = w.tx().lock_account(id).await?.ok_or(AppError::NotFound {
        what: "personal account",
    })?;
    let minor_units = minor_units(w.tx(), &account.currency_code).await?;
    Ok(Locked {
        account,
        minor_units,
    })
}

/// Moves the locked account's balance by `amount_minor` for `document`: refuses a switched
/// off account (409 `account_inactive`) and a debit beyond the credit rules (409
/// `insufficient_funds`, naming what is missing), else appends the entry.
pub(crate) async fn post(
    w: &mut Work<'_>,
    locked: &mut Locked,
    kind: EntryKind,
    document: Uuid,
    amount_minor: i64,
) -> Result<(), AppError> {
    let account = &locked.account;
    if !account.is_active {
        return Err(AppError::rule(
            ErrorCode::AccountInactive,
            "the personal account is switched off",
        ));
    }
    let after =
        check_movement(account.credit, account.balance_minor, amount_minor).map_err(|short| {
            AppError::rule(
                ErrorCode::InsufficientFunds,
                format!(
                    "insufficient funds: the account lacks {}",
                    locked.show(short.missing_minor)
                ),
            )
        })?;
    let entry = LedgerEntryRecord {
        id: LedgerEntryId::new(),
        account_id: account.id,
        seq: account.last_seq + 1,
        kind,
        document_id: document,
        amount_minor,
        balance_after_minor: after,
        actor_user_id: w.actor().user,
        created_at: w.now(),
    };
    w.tx().append_entry(&entry).await?;
    locked.account.balance_minor = after;
    locked.account.last_seq = entry.seq;
    Ok(())
}

/// How many open payments and expenses [`settle`] reads at a time: a credit usually covers a
/// few expenses, and an account with a long history must not cost a read of all of it.
const SETTLE_BATCH: u32 = 50;

/// Covers the account's unpaid expenses with its payments' money left, oldest first on both
/// sides, reading both in batches until one side runs out.
pub(crate) async fn settle(w: &mut Work<'_>, account: AccountId) -> Result<(), AppError> {
    loop {
        let payments = w
            .tx()
            .payments_with_money_left(account, Some(SETTLE_BATCH))
            .await?;
        if payments.is_empty() {
            return Ok(());
        }
        let expenses = w.tx().unpaid_expenses(account, SETTLE_BATCH).await?;
        if expenses.is_empty() {
            return Ok(());
        }
        let sources: Vec<Open<_>> = payments
            .iter()
            .map(|p| Open {
                id: p.id,
                amount_minor: p.amount_minor - p.allocated_minor,
            })
            .collect();
        let targets: Vec<Open<_>> = expenses
            .iter()
            .map(|e| Open {
                id: e.id,
                amount_minor: e.amount_minor - e.paid_minor,
            })
            .collect();
        let now = w.now();
        let allocations = allocate(&sources, &targets);
        for a in &allocations {
            w.tx()
                .allocate(
                    a.source,
                    TargetKind::Expense,
                    a.target.0,
                    a.amount_minor,
                    now,
                )
                .await?;
        }
        // One side ran out within this batch: when that batch was whole there may be more.
        let full = |n: usize| n == usize::try_from(SETTLE_BATCH).unwrap_or(usize::MAX);
        if allocations.is_empty() || (!full(payments.len()) && !full(expenses.len())) {
            return Ok(());
        }
    }
}

/// The client's active account with the provider, created (prepaid, unlimited grace) when
/// it has none: accounts come into being at the first money movement. Two parallel
/// creations meet at the unique index; the loser is retried and finds the winner's account.
pub(crate) async fn ensure_account(
    w: &mut Work<'_>,
    client: ClientId,
    provider: ProviderId,
) -> Result<AccountRecord, AppError> {
    if let Some(a) = w.tx().active_account(client, provider).await? {
        return Ok(a);
    }
    let p = w.tx().provider(provider).await?.ok_or_else(|| {
        AppError::invalid(
            "provider_id",
            ErrorCode::UnknownProvider,
            "no such provider",
        )
    })?;
    let now = w.now();
    let account = AccountRecord {
        id: AccountId::new(),
        client_id: client,
        provider_id: provider,
        currency_code: p.currency_code,
        balance_minor: 0,
        credit: CreditMode::Prepaid,
        grace: Grace::Unlimited,
        referrer_id: None,
        free_support_calls: 0,
        is_active: true,
        last_seq: 0,
        created_at: now,
        updated_at: now,
    };
    match w.tx().insert_account(&account).await {
        Err(StoreError::Unique { constraint }) if constraint == ACTIVE_ACCOUNT_KEY => {
            Err(AppError::Busy)
        }
        other => other.map_err(AppError::from),
    }?;
    let places = minor_units(w.tx(), &account.currency_code).await?;
    w.record_as(
        bursar_domain::functions::f::PERSONAL_ACCOUNT_CREATE,
        account_ref(&account),
        "create",
        accounts::settings_changes(None, &account, &p.name, places),
    );
    Ok(account)
}

/// The partial unique index behind "one active account per client and provider".
pub(crate) const ACTIVE_ACCOUNT_KEY: &str = "accounts_client_id_provider_id_key";

pub(crate) fn account_ref(a: &AccountRecord) -> ObjectRef {
    ObjectRef {
        kind: "personal_account",
        id: a.id.to_string(),
        client: Some(a.client_id),
    }
}

/// Refuses (404) a client user looking at another client's money; staff pass.
pub(crate) fn own_client(who: &Principal, client: ClientId) -> Result<(), AppError> {
    match who.kind() {
        AccountKind::Client if who.user.client_id != Some(client) => {
            Err(AppError::NotFound { what: "record" })
        }
        _ => Ok(()),
    }
}
