//! Personal accounts (seed 004 "Accounts"): one active account per client and provider, in
//! the provider's currency, with its credit settings (prepaid, credit limit or post-paid),
//! its grace period, the referrer and the free support calls. The balance is not a setting:
//! only the ledger moves it.

use super::{Locked, account_ref, lock, minor_units, own_client};
use crate::clients::load_client;
use crate::error::AppError;
use crate::history::Paged;
use crate::ports::{AccountRecord, HistoryFilter, HistoryView, LedgerEntryRecord, Page, Tx};
use crate::{App, Principal};
use bursar_domain::access::AccountKind;
use bursar_domain::accounts::{Blocked, CreditMode, Grace, blocked};
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::money::{format_minor, parse_non_negative_amount};
use bursar_domain::{AccountId, ClientId, ClientRef, ErrorCode, Invalid, ProviderId, Ref};
use serde::Serialize;

/// An account as the card, the client area and the API show it.
#[derive(Clone, Debug, Serialize)]
pub struct AccountView {
    #[serde(skip)]
    pub account: AccountRecord,
    pub provider: String,
    pub minor_units: u16,
    /// Why the account is blocked, when it is.
    pub blocked: Option<Blocked>,
    /// The referrer's number and name.
    pub referrer: Option<(i64, String)>,
}

/// The account form. `None` leaves a field as it is (on create: its default).
#[derive(Clone, Debug, Default)]
pub struct AccountInput {
    pub provider_id: Option<String>,
    pub postpaid: Option<bool>,
    /// A decimal amount in the account's currency; `"0"` means no credit limit.
    pub credit_limit: Option<String>,
    /// `unlimited` or `from_due_payment`.
    pub grace: Option<String>,
    pub respite_days: Option<i64>,
    pub block_in_days: Option<i64>,
    /// A client's id or number; empty to clear.
    pub referrer: Option<String>,
    pub free_support_calls: Option<i64>,
    pub is_active: Option<bool>,
}

/// Functions that let staff read a client's money: whoever may act on it may read it.
pub const MONEY_READERS: &[&bursar_domain::Function] = &[
    f::PERSONAL_ACCOUNT_VIEW,
    f::PERSONAL_ACCOUNT_CREATE,
    f::PERSONAL_ACCOUNT_EDIT,
    f::PERSONAL_ACCOUNT_HISTORY,
    f::WITHDRAWAL_CREATE,
    f::PAYMENT_LIST,
    f::PAYMENT_CREATE,
    f::PAYMENT_EDIT,
    f::PAYMENT_DELETE,
    f::PAYMENT_CREDIT,
    f::PAYMENT_REFUND,
    f::PAYMENT_SEND,
    f::PAYMENT_PRINT,
    f::EXPENSE_LIST,
    f::EXPENSE_CREATE,
    f::EXPENSE_EDIT,
    f::EXPENSE_DELETE,
];

/// Authorises reading money of `client`: staff with an account-reading function, or the
/// client's own users with the finances right.
pub(crate) fn may_read_money(who: &Principal, client: ClientId) -> Result<(), AppError> {
    match who.kind() {
        AccountKind::Client => {
            who.require(f::ACCOUNT_FINANCES)?;
            own_client(who, client)
        }
        _ => who.require_any(MONEY_READERS),
    }
}

/// The history's words for an account's settings.
pub(crate) fn settings_changes(
    old: Option<&AccountRecord>,
    new: &AccountRecord,
    provider: &str,
    places: u16,
) -> Changes {
    let credit = |a: &AccountRecord| match a.credit {
        CreditMode::Prepaid => "prepaid".to_owned(),
        CreditMode::Postpaid => "post-paid".to_owned(),
        CreditMode::CreditLimit { limit_minor } => format!(
            "credit limit {} {}",
            format_minor(limit_minor, places),
            a.currency_code
        ),
    };
    let grace = |a: &AccountRecord| match a.grace {
        Grace::Unlimited => "unlimited".to_owned(),
        Grace::FromDuePayment {
            respite_days,
            block_in_days,
        } => format!(
            "from the due payment: {respite_days} days till respite, block in {block_in_days} days"
        ),
    };
    let active = |a: &AccountRecord| if a.is_active { "on" } else { "off" }.to_owned();
    let referrer = |a: &AccountRecord| a.referrer_id.map(|r| r.to_string()).unwrap_or_default();
    match old {
        None => Changes::default()
            .set("provider", provider)
            .set("currency", &new.currency_code)
            .set("credit", credit(new))
            .set("grace", grace(new))
            .set("active", active(new)),
        Some(old) => Changes::default()
            .diff("active", &active(old), &active(new))
            .diff("credit", &credit(old), &credit(new))
            .diff("grace", &grace(old), &grace(new))
            .diff("referrer", &referrer(old), &referrer(new))
            .diff(
                "free_support_calls",
                &old.free_support_calls,
                &new.free_support_calls,
            ),
    }
}

fn days(invalid: &mut Invalid, field: &str, v: i64) -> Option<u16> {
    match u16::try_from(v) {
        Ok(d) if d <= 3650 => Some(d),
        _ => {
            invalid.push(field, ErrorCode::OutOfRange, "must be 0 to 3650 days");
            None
        }
    }
}

/// Applies the form to `a` (whose currency has `places`), collecting every refused field.
async fn apply(
    tx: &mut dyn Tx,
    a: &mut AccountRecord,
    input: &AccountInput,
    places: u16,
) -> Result<(), AppError> {
    let mut invalid = Invalid::default();
    let postpaid = input.postpaid.unwrap_or(a.credit.is_postpaid());
    let limit = match &input.credit_limit {
        Some(raw) => invalid
            .check(parse_non_negative_amount("credit_limit", raw, places))
            .unwrap_or(0),
        // Switching post-paid on drops an unchanged limit; off keeps none.
        None if input.postpaid.is_some() => 0,
        None => a.credit.limit_minor(),
    };
    match CreditMode::from_settings(postpaid, limit) {
        Ok(mode) => a.credit = mode,
        Err(_) => invalid.push(
            "credit_limit",
            ErrorCode::CreditLimitWithPostpaid,
            "a credit limit is available only while post-paid services are off",
        ),
    }
    let (old_respite, old_block) = match a.grace {
        Grace::Unlimited => (0, 0),
        Grace::FromDuePayment {
            respite_days,
            block_in_days,
        } => (respite_days, block_in_days),
    };
    let respite = match input.respite_days {
        Some(v) => days(&mut invalid, "respite_days", v),
        None => Some(old_respite),
    };
    let block_in = match input.block_in_days {
        Some(v) => days(&mut invalid, "block_in_days", v),
        None => Some(old_block),
    };
    let mode = input.grace.as_deref().unwrap_or(a.grace.key());
    match (mode, respite, block_in) {
        ("unlimited", _, _) => a.grace = Grace::Unlimited,
        ("from_due_payment", Some(respite_days), Some(block_in_days)) => {
            if block_in_days < respite_days {
                invalid.push(
                    "block_in_days",
                    ErrorCode::OutOfRange,
                    "must not be shorter than the days till respite",
                );
            }
            a.grace = Grace::FromDuePayment {
                respite_days,
                block_in_days,
            };
        }
        ("from_due_payment", _, _) => {}
        _ => invalid.push(
            "grace",
            ErrorCode::Invalid,
            "must be unlimited or from_due_payment",
        ),
    }
    if let Some(raw) = &input.referrer {
        let raw = raw.trim();
        if raw.is_empty() {
            a.referrer_id = None;
        } else {
            let found = match raw.parse::<ClientRef>() {
                Ok(Ref::Number(n)) => tx.client_id_by_number(n).await?,
                Ok(Ref::Id(id)) => tx.client_by_id(id).await?.map(|c| c.id),
                Err(()) => None,
            };
            match found {
                Some(r) if r == a.client_id => invalid.push(
                    "referrer",
                    ErrorCode::Invalid,
                    "a client cannot refer itself",
                ),
                Some(r) => a.referrer_id = Some(r),
                None => invalid.push("referrer", ErrorCode::UnknownClient, "no such client"),
            }
        }
    }
    if let Some(n) = input.free_support_calls {
        if (0..=100_000).contains(&n) {
            a.free_support_calls = n;
        } else {
            invalid.push(
                "free_support_calls",
                ErrorCode::OutOfRange,
                "must be 0 to 100000",
            );
        }
    }
    if let Some(active) = input.is_active {
        a.is_active = active;
    }
    invalid.into_result()?;
    Ok(())
}

pub(crate) async fn view(
    tx: &mut dyn Tx,
    a: AccountRecord,
    now: jiff::Timestamp,
) -> Result<AccountView, AppError> {
    let provider = tx
        .provider(a.provider_id)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let minor_units = minor_units(tx, &a.currency_code).await?;
    let due = if a.balance_minor < 0 {
        tx.oldest_open_payment(a.id).await?
    } else {
        None
    };
    let referrer = match a.referrer_id {
        Some(r) => tx
            .client_by_id(r)
            .await?
            .map(|c| (c.number.value(), c.name.as_str().to_owned())),
        None => None,
    };
    Ok(AccountView {
        blocked: blocked(a.credit, a.grace, a.balance_minor, due, now),
        account: a,
        provider,
        minor_units,
        referrer,
    })
}

impl AccountView {
    /// `1250` → `"12.50"` in the account's currency.
    pub fn amount(&self, minor: i64) -> String {
        format_minor(minor, self.minor_units)
    }
}

impl App {
    /// The client's personal accounts, active first.
    pub async fn client_accounts(
        &self,
        who: &Principal,
        client: ClientId,
    ) -> Result<Vec<AccountView>, AppError> {
        may_read_money(who, client)?;
        let mut tx = self.store.snapshot().await?;
        load_client(tx.as_mut(), client).await?;
        let mut out = Vec::new();
        for a in tx.accounts_of(client).await? {
            out.push(view(tx.as_mut(), a, self.now()).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    pub async fn personal_account(
        &self,
        who: &Principal,
        id: AccountId,
    ) -> Result<AccountView, AppError> {
        let mut tx = self.store.snapshot().await?;
        let a = tx.account(id).await?.ok_or(AppError::NotFound {
            what: "personal account",
        })?;
        may_read_money(who, a.client_id)?;
        let v = view(tx.as_mut(), a, self.now()).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Staff add an account for a provider the client is connected to and has no active
    /// account with (seed 004).
    pub async fn create_account(
        &self,
        who: &Principal,
        client: ClientId,
        input: AccountInput,
    ) -> Result<AccountView, AppError> {
        let input = &input;
        let id = self
            .write(who, f::PERSONAL_ACCOUNT_CREATE, |w| {
                Box::pin(async move {
                    load_client(w.tx(), client).await?;
                    let provider: ProviderId = input
                        .provider_id
                        .as_deref()
                        .unwrap_or_default()
                        .trim()
                        .parse()
                        .map_err(|_| {
                            AppError::invalid(
                                "provider_id",
                                ErrorCode::UnknownProvider,
                                "choose a provider",
                            )
                        })?;
                    let p = w.tx().provider(provider).await?.ok_or_else(|| {
                        AppError::invalid(
                            "provider_id",
                            ErrorCode::UnknownProvider,
                            "no such provider",
                        )
                    })?;
                    if !w.tx().client_providers(client).await?.contains(&provider) {
                        return Err(AppError::rule(
                            ErrorCode::ProviderNotConnected,
                            "the client is not connected to this provider",
                        ));
                    }
                    let now = w.now();
                    let mut a = AccountRecord {
                        id: AccountId::new(),
                        client_id: client,
                        provider_id: provider,
                        currency_code: p.currency_code.clone(),
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
                    let places = minor_units(w.tx(), &a.currency_code).await?;
                    apply(w.tx(), &mut a, input, places).await?;
                    if a.is_active && w.tx().active_account(client, provider).await?.is_some() {
                        return Err(AppError::Conflict {
                            code: ErrorCode::AccountExists,
                            field: Some("provider_id"),
                            message: "the client already has an active personal account with this provider".to_owned(),
                        });
                    }
                    w.tx().insert_account(&a).await?;
                    w.record(
                        account_ref(&a),
                        "create",
                        settings_changes(None, &a, &p.name, places),
                    );
                    Ok(a.id)
                })
            })
            .await?;
        self.personal_account(who, id).await
    }

    /// Edits an account's settings; switching it on again is refused while the client has
    /// another active account with the provider.
    pub async fn edit_account(
        &self,
        who: &Principal,
        id: AccountId,
        input: AccountInput,
    ) -> Result<AccountView, AppError> {
        let input = &input;
        self.write(who, f::PERSONAL_ACCOUNT_EDIT, |w| {
            Box::pin(async move {
                let Locked {
                    account: old,
                    minor_units: places,
                } = lock(w, id).await?;
                if input.provider_id.is_some() {
                    return Err(AppError::invalid(
                        "provider_id",
                        ErrorCode::ReadOnly,
                        "an account's provider cannot change",
                    ));
                }
                let mut new = old.clone();
                apply(w.tx(), &mut new, input, places).await?;
                if new.is_active
                    && !old.is_active
                    && w.tx()
                        .active_account(new.client_id, new.provider_id)
                        .await?
                        .is_some()
                {
                    return Err(AppError::Conflict {
                        code: ErrorCode::AccountExists,
                        field: Some("is_active"),
                        message:
                            "the client already has an active personal account with this provider"
                                .to_owned(),
                    });
                }
                new.updated_at = w.now();
                let changes = settings_changes(Some(&old), &new, "", places);
                if !changes.is_empty() {
                    w.tx().update_account_settings(&new).await?;
                    w.record(account_ref(&new), "update", changes);
                }
                Ok(())
            })
        })
        .await?;
        self.personal_account(who, id).await
    }

    /// The account's ledger, newest entry first.
    pub async fn account_ledger(
        &self,
        who: &Principal,
        id: AccountId,
        page: Page,
    ) -> Result<(AccountView, Paged<LedgerEntryRecord>), AppError> {
        let mut tx = self.store.snapshot().await?;
        let a = tx.account(id).await?.ok_or(AppError::NotFound {
            what: "personal account",
        })?;
        may_read_money(who, a.client_id)?;
        let (items, total) = tx.ledger(id, page).await?;
        let v = view(tx.as_mut(), a, self.now()).await?;
        tx.commit().await?;
        Ok((
            v,
            Paged {
                items,
                page: page.number,
                per_page: page.size,
                total,
            },
        ))
    }

    /// The account's history: switching on and off, credit and grace changes, with who.
    pub async fn account_history(
        &self,
        who: &Principal,
        id: AccountId,
        page: Page,
    ) -> Result<Paged<HistoryView>, AppError> {
        who.require(f::PERSONAL_ACCOUNT_HISTORY)?;
        let mut tx = self.store.read().await?;
        tx.account(id).await?.ok_or(AppError::NotFound {
            what: "personal account",
        })?;
        tx.commit().await?;
        self.history_page(
            HistoryFilter {
                object_kind: Some("personal_account".to_owned()),
                object_id: Some(id.to_string()),
                ..HistoryFilter::default()
            },
            page,
        )
        .await
    }
}
