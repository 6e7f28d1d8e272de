//! Storage of money: personal accounts, their ledger, payment methods, payments, expenses,
//! allocations, withdrawals and idempotency keys.
//!
//! The ledger port can only append: there is no method to change or remove an entry, so a
//! correction can only be a new entry. Every use case that moves money (or changes a document
//! that may move money) first takes its account with [`Money::lock_account`], which holds the
//! account row until commit on PostgreSQL; everything it reads afterwards was written by
//! transactions that held the same lock, so its decisions rest on current data even at READ
//! COMMITTED.

use super::{Page, StoreResult};
use async_trait::async_trait;
use bursar_domain::accounts::{CreditMode, Grace};
use bursar_domain::payments::PaymentStatus;
use bursar_domain::{
    AccountId, ClientId, CompanyId, ExpenseId, LedgerEntryId, PayerId, PaymentId, PaymentMethodId,
    ProviderId, UserId, WithdrawalId,
};
use jiff::Timestamp;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq)]
pub struct AccountRecord {
    pub id: AccountId,
    pub client_id: ClientId,
    pub provider_id: ProviderId,
    pub currency_code: String,
    /// The cached sum of the account's ledger entries.
    pub balance_minor: i64,
    pub credit: CreditMode,
    pub grace: Grace,
    pub referrer_id: Option<ClientId>,
    pub free_support_calls: i64,
    pub is_active: bool,
    /// The sequence number of the account's latest ledger entry.
    pub last_seq: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a ledger entry moves money for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A payment credited (+).
    Payment,
    /// An expense charged (−).
    Expense,
    /// An expense's amount changed (±).
    ExpenseChange,
    /// An expense deleted: its amount comes back (+).
    ExpenseDelete,
    /// Money refunded from a payment (−).
    Refund,
    /// Money paid out to the client or a referrer (−).
    Withdrawal,
}

impl EntryKind {
    pub const ALL: [EntryKind; 6] = [
        EntryKind::Payment,
        EntryKind::Expense,
        EntryKind::ExpenseChange,
        EntryKind::ExpenseDelete,
        EntryKind::Refund,
        EntryKind::Withdrawal,
    ];

    pub fn key(self) -> &'static str {
        match self {
            EntryKind::Payment => "payment",
            EntryKind::Expense => "expense",
            EntryKind::ExpenseChange => "expense_change",
            EntryKind::ExpenseDelete => "expense_delete",
            EntryKind::Refund => "refund",
            EntryKind::Withdrawal => "withdrawal",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.key() == s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LedgerEntryRecord {
    pub id: LedgerEntryId,
    pub account_id: AccountId,
    pub seq: i64,
    pub kind: EntryKind,
    /// The payment, expense, refund payment or withdrawal the entry is for.
    pub document_id: Uuid,
    pub amount_minor: i64,
    pub balance_after_minor: i64,
    pub actor_user_id: Option<UserId>,
    pub created_at: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodKind {
    /// The invoice shows the recipient company's bank details; staff credit it when the
    /// money arrives.
    BankTransfer,
    /// Cash or anything else staff confirm by hand.
    Manual,
}

impl MethodKind {
    pub const ALL: [MethodKind; 2] = [MethodKind::BankTransfer, MethodKind::Manual];

    pub fn key(self) -> &'static str {
        match self {
            MethodKind::BankTransfer => "bank_transfer",
            MethodKind::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<MethodKind> {
        MethodKind::ALL.into_iter().find(|k| k.key() == s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PaymentMethodRecord {
    pub id: PaymentMethodId,
    pub provider_id: ProviderId,
    pub kind: MethodKind,
    pub name_en: String,
    pub name_ru: String,
    /// The company whose bank details a bank-transfer invoice shows, and which numbers it.
    pub company_id: Option<CompanyId>,
    pub is_active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Serialisable because a credit's answer is kept under its Idempotency-Key.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PaymentRecord {
    pub id: PaymentId,
    /// The invoice number, gapless per company and year (`2026-000042`).
    pub number: String,
    pub account_id: AccountId,
    pub client_id: ClientId,
    pub company_id: Option<CompanyId>,
    pub payer_id: Option<PayerId>,
    pub method_id: Option<PaymentMethodId>,
    /// Negative for a partial refund.
    pub amount_minor: i64,
    /// How much of the payment went to expenses, withdrawals and refunds.
    pub allocated_minor: i64,
    pub currency_code: String,
    pub status: PaymentStatus,
    pub comment: String,
    /// For a refund: the payment refunded.
    pub refund_of: Option<PaymentId>,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub paid_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExpenseRecord {
    pub id: ExpenseId,
    pub number: i64,
    pub account_id: AccountId,
    pub client_id: ClientId,
    pub service_id: Option<Uuid>,
    pub description: String,
    pub amount_minor: i64,
    /// The tax rate included in the amount, in basis points (2000 = 20 %).
    pub tax_rate_bp: i64,
    pub tax_minor: i64,
    /// The tax rules the rate came from, their names joined (empty: a rate given by hand).
    #[serde(default)]
    pub tax_name: String,
    /// How much of it payments have covered; the rest was spent on credit ("not paid").
    pub paid_minor: i64,
    pub currency_code: String,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WithdrawalRecord {
    pub id: WithdrawalId,
    pub account_id: AccountId,
    pub client_id: ClientId,
    /// `client` or `referrer`.
    pub recipient: String,
    pub method: String,
    pub details: String,
    pub amount_minor: i64,
    pub currency_code: String,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
}

/// Where a payment's money went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Expense,
    Withdrawal,
    Refund,
}

impl TargetKind {
    pub fn key(self) -> &'static str {
        match self {
            TargetKind::Expense => "expense",
            TargetKind::Withdrawal => "withdrawal",
            TargetKind::Refund => "refund",
        }
    }

    pub fn parse(s: &str) -> Option<TargetKind> {
        [
            TargetKind::Expense,
            TargetKind::Withdrawal,
            TargetKind::Refund,
        ]
        .into_iter()
        .find(|k| k.key() == s)
    }
}

/// A payment's money in one target, summed over its allocation rows.
#[derive(Clone, Debug, PartialEq)]
pub struct AllocationLine {
    pub payment_id: PaymentId,
    pub target_kind: TargetKind,
    pub target_id: Uuid,
    pub amount_minor: i64,
}

/// Which payments a list shows.
#[derive(Clone, Debug, Default)]
pub struct PaymentFilter {
    pub client: Option<ClientId>,
    pub account: Option<AccountId>,
    pub status: Option<PaymentStatus>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// Which expenses a list shows (deleted ones never).
#[derive(Clone, Debug, Default)]
pub struct ExpenseFilter {
    pub client: Option<ClientId>,
    pub account: Option<AccountId>,
    /// Only those not fully paid.
    pub unpaid: bool,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// A list's sum in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencySum {
    pub currency_code: String,
    pub count: i64,
    pub amount_minor: i64,
}

/// What an Idempotency-Key claim found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyClaim {
    /// The key is new: the request runs, and its answer is saved under the key.
    Claimed,
    /// The key was used before, for the request with this fingerprint and this answer.
    Used { fingerprint: String, answer: String },
}

/// The dashboard's money in one currency.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MoneySummary {
    pub currency_code: String,
    pub paid_this_month_minor: i64,
    pub unpaid_invoices: i64,
    pub unpaid_invoices_minor: i64,
    pub clients_in_debt: i64,
    pub debt_minor: i64,
}

#[async_trait]
pub trait Money {
    async fn insert_account(&mut self, a: &AccountRecord) -> StoreResult<()>;
    /// Saves an account's settings (never its balance, which only [`Money::append_entry`]
    /// moves).
    async fn update_account_settings(&mut self, a: &AccountRecord) -> StoreResult<()>;
    async fn account(&mut self, id: AccountId) -> StoreResult<Option<AccountRecord>>;
    /// Reads the account and locks its row until the transaction ends.
    async fn lock_account(&mut self, id: AccountId) -> StoreResult<Option<AccountRecord>>;
    async fn accounts_of(&mut self, client: ClientId) -> StoreResult<Vec<AccountRecord>>;
    async fn active_account(
        &mut self,
        client: ClientId,
        provider: ProviderId,
    ) -> StoreResult<Option<AccountRecord>>;
    /// Accounts in debt (negative balance), for the dashboard's blocked count.
    async fn accounts_in_debt(&mut self) -> StoreResult<Vec<AccountRecord>>;

    /// Appends `entry` (whose `seq` is the account's `last_seq + 1`) and moves the account's
    /// cached balance and sequence to it, in one go.
    async fn append_entry(&mut self, entry: &LedgerEntryRecord) -> StoreResult<()>;
    /// The account's entries, newest first, and how many there are.
    async fn ledger(
        &mut self,
        account: AccountId,
        page: Page,
    ) -> StoreResult<(Vec<LedgerEntryRecord>, i64)>;

    async fn insert_payment_method(&mut self, m: &PaymentMethodRecord) -> StoreResult<()>;
    async fn update_payment_method(&mut self, m: &PaymentMethodRecord) -> StoreResult<()>;
    async fn delete_payment_method(&mut self, id: PaymentMethodId) -> StoreResult<()>;
    async fn payment_method(
        &mut self,
        id: PaymentMethodId,
    ) -> StoreResult<Option<PaymentMethodRecord>>;
    async fn payment_methods(
        &mut self,
        provider: Option<ProviderId>,
    ) -> StoreResult<Vec<PaymentMethodRecord>>;
    /// Payments made with the method.
    async fn payment_method_uses(&mut self, id: PaymentMethodId) -> StoreResult<i64>;

    async fn insert_payment(&mut self, p: &PaymentRecord) -> StoreResult<()>;
    async fn update_payment(&mut self, p: &PaymentRecord) -> StoreResult<()>;
    async fn delete_payment(&mut self, id: PaymentId) -> StoreResult<()>;
    async fn payment(&mut self, id: PaymentId) -> StoreResult<Option<PaymentRecord>>;
    async fn list_payments(
        &mut self,
        filter: &PaymentFilter,
        page: Page,
    ) -> StoreResult<(Vec<PaymentRecord>, i64, Vec<CurrencySum>)>;
    /// Paid payments of the account with money not yet allocated, oldest first (the first
    /// `limit` of them when given).
    async fn payments_with_money_left(
        &mut self,
        account: AccountId,
        limit: Option<u32>,
    ) -> StoreResult<Vec<PaymentRecord>>;
    /// The creation of the account's oldest New payment: the due date blocking counts from.
    async fn oldest_open_payment(&mut self, account: AccountId) -> StoreResult<Option<Timestamp>>;

    async fn insert_expense(&mut self, e: &ExpenseRecord) -> StoreResult<()>;
    async fn update_expense(&mut self, e: &ExpenseRecord) -> StoreResult<()>;
    async fn expense(&mut self, id: ExpenseId) -> StoreResult<Option<ExpenseRecord>>;
    async fn list_expenses(
        &mut self,
        filter: &ExpenseFilter,
        page: Page,
    ) -> StoreResult<(Vec<ExpenseRecord>, i64, Vec<CurrencySum>)>;
    /// The account's first `limit` expenses not fully paid, oldest first.
    async fn unpaid_expenses(
        &mut self,
        account: AccountId,
        limit: u32,
    ) -> StoreResult<Vec<ExpenseRecord>>;
    /// The account's newest expense that is not deleted.
    async fn newest_expense(&mut self, account: AccountId) -> StoreResult<Option<ExpenseId>>;

    async fn insert_withdrawal(&mut self, w: &WithdrawalRecord) -> StoreResult<()>;
    async fn withdrawals(&mut self, account: AccountId) -> StoreResult<Vec<WithdrawalRecord>>;

    /// Records that `amount_minor` (negative to release) of the payment goes to the target,
    /// and moves the payment's and the expense's cached totals with it.
    async fn allocate(
        &mut self,
        payment: PaymentId,
        target: TargetKind,
        target_id: Uuid,
        amount_minor: i64,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// Where the payment's money went (targets with a non-zero sum).
    async fn allocations_of_payment(&mut self, id: PaymentId) -> StoreResult<Vec<AllocationLine>>;
    /// Which payments covered the target (payments with a non-zero sum).
    async fn allocations_to(&mut self, target_id: Uuid) -> StoreResult<Vec<AllocationLine>>;

    /// Takes an Idempotency-Key for `owner`, or reports its earlier use. A parallel claim of
    /// the same key waits for the first to commit (the primary key), then sees its answer.
    async fn claim_key(
        &mut self,
        owner: Uuid,
        key: &str,
        fingerprint: &str,
        at: Timestamp,
    ) -> StoreResult<KeyClaim>;
    async fn save_key_answer(&mut self, owner: Uuid, key: &str, answer: &str) -> StoreResult<()>;

    /// Every way the money records disagree with each other, in words (empty when sound):
    /// a cached balance that is not the sum of its entries, a broken entry sequence, an
    /// allocation beyond a payment or an expense, a credited payment without its entry.
    async fn money_discrepancies(&mut self) -> StoreResult<Vec<String>>;

    /// The dashboard's money per currency; "this month" starts at `month_start`.
    async fn money_summary(&mut self, month_start: Timestamp) -> StoreResult<Vec<MoneySummary>>;
}
