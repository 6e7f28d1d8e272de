//! Money's bodies and answers. Amounts travel as decimal strings with their currency
//! (`{"amount": "12.50", "currency": "EUR"}`), never as floats.

use bursar_app::money::accounts::AccountView;
use bursar_app::money::expenses::ExpenseView;
use bursar_app::money::payments::PaymentView;
use bursar_app::ports::{CurrencySum, LedgerEntryRecord, PaymentMethodRecord, WithdrawalRecord};
use bursar_domain::accounts::{CreditMode, Grace};
use bursar_domain::money::format_minor;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An exact amount: a decimal string in the currency's minor units' precision.
#[derive(Serialize, ToSchema, Clone)]
pub struct MoneyDto {
    #[schema(example = "12.50")]
    pub amount: String,
    /// ISO 4217 code.
    #[schema(example = "EUR")]
    pub currency: String,
}

impl MoneyDto {
    pub fn new(minor: i64, places: u16, currency: &str) -> Self {
        MoneyDto {
            amount: format_minor(minor, places),
            currency: currency.to_owned(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CreditModeDto {
    Prepaid,
    CreditLimit,
    Postpaid,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum GraceDto {
    Unlimited,
    FromDuePayment,
}

#[derive(Serialize, ToSchema)]
pub struct BlockedDto {
    pub debt: MoneyDto,
    #[schema(value_type = String, format = DateTime)]
    pub due_since: jiff::Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub blocked_since: jiff::Timestamp,
}

#[derive(Serialize, ToSchema)]
pub struct ReferrerDto {
    pub number: i64,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccountDto {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    #[schema(format = Uuid)]
    pub provider_id: String,
    pub provider: String,
    pub balance: MoneyDto,
    pub credit_mode: CreditModeDto,
    /// The credit limit (zero unless `credit_mode` is `credit_limit`).
    pub credit_limit: MoneyDto,
    pub grace: GraceDto,
    pub respite_days: u16,
    pub block_in_days: u16,
    pub referrer: Option<ReferrerDto>,
    pub free_support_calls: i64,
    pub is_active: bool,
    /// Present while the account owes money past its grace period.
    pub blocked: Option<BlockedDto>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
}

impl From<AccountView> for AccountDto {
    fn from(v: AccountView) -> Self {
        let a = &v.account;
        let money = |m: i64| MoneyDto::new(m, v.minor_units, &a.currency_code);
        let (respite_days, block_in_days) = match a.grace {
            Grace::Unlimited => (0, 0),
            Grace::FromDuePayment {
                respite_days,
                block_in_days,
            } => (respite_days, block_in_days),
        };
        AccountDto {
            id: a.id.to_string(),
            client_id: a.client_id.to_string(),
            provider_id: a.provider_id.to_string(),
            provider: v.provider.clone(),
            balance: money(a.balance_minor),
            credit_mode: match a.credit {
                CreditMode::Prepaid => CreditModeDto::Prepaid,
                CreditMode::CreditLimit { .. } => CreditModeDto::CreditLimit,
                CreditMode::Postpaid => CreditModeDto::Postpaid,
            },
            credit_limit: money(a.credit.limit_minor()),
            grace: match a.grace {
                Grace::Unlimited => GraceDto::Unlimited,
                Grace::FromDuePayment { .. } => GraceDto::FromDuePayment,
            },
            respite_days,
            block_in_days,
            referrer: v
                .referrer
                .clone()
                .map(|(number, name)| ReferrerDto { number, name }),
            free_support_calls: a.free_support_calls,
            is_active: a.is_active,
            blocked: v.blocked.map(|b| BlockedDto {
                debt: money(b.debt_minor),
                due_since: b.due_since,
                blocked_since: b.blocked_since,
            }),
            created_at: a.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AccountList {
    pub items: Vec<AccountDto>,
}

/// A new personal account (seed 004's form). A credit limit and post-paid exclude each other.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccountBody {
    /// A provider the client is connected to and has no active account with.
    #[schema(format = Uuid)]
    pub provider_id: String,
    /// Allow post-paid services (no floor); default off.
    pub postpaid: Option<bool>,
    /// A decimal amount in the provider's currency; `"0"` (default) means none.
    #[schema(example = "100.00")]
    pub credit_limit: Option<String>,
    pub grace: Option<GraceDto>,
    #[schema(minimum = 0, maximum = 3650)]
    pub respite_days: Option<i64>,
    /// Days from the due payment's creation after which the account is blocked.
    #[schema(minimum = 0, maximum = 3650)]
    pub block_in_days: Option<i64>,
    /// The referring client's id or number; empty for none.
    pub referrer: Option<String>,
    #[schema(minimum = 0, maximum = 100000)]
    pub free_support_calls: Option<i64>,
    /// Default true.
    pub is_active: Option<bool>,
}

/// Changes to an account's settings; absent fields stay as they are. The provider and the
/// currency never change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatchBody {
    pub postpaid: Option<bool>,
    #[schema(example = "100.00")]
    pub credit_limit: Option<String>,
    pub grace: Option<GraceDto>,
    #[schema(minimum = 0, maximum = 3650)]
    pub respite_days: Option<i64>,
    #[schema(minimum = 0, maximum = 3650)]
    pub block_in_days: Option<i64>,
    pub referrer: Option<String>,
    #[schema(minimum = 0, maximum = 100000)]
    pub free_support_calls: Option<i64>,
    pub is_active: Option<bool>,
}

pub fn grace_key(g: Option<GraceDto>) -> Option<String> {
    g.map(|g| {
        match g {
            GraceDto::Unlimited => "unlimited",
            GraceDto::FromDuePayment => "from_due_payment",
        }
        .to_owned()
    })
}

#[derive(Serialize, ToSchema)]
pub struct LedgerEntryDto {
    pub seq: i64,
    /// `payment`, `expense`, `expense_change`, `expense_delete`, `refund` or `withdrawal`.
    pub kind: String,
    /// The payment, expense or withdrawal the entry is for.
    #[schema(format = Uuid)]
    pub document_id: String,
    pub amount: MoneyDto,
    pub balance_after: MoneyDto,
    #[schema(format = Uuid)]
    pub actor_user_id: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
}

impl LedgerEntryDto {
    pub fn new(e: LedgerEntryRecord, places: u16, currency: &str) -> Self {
        LedgerEntryDto {
            seq: e.seq,
            kind: e.kind.key().to_owned(),
            document_id: e.document_id.to_string(),
            amount: MoneyDto::new(e.amount_minor, places, currency),
            balance_after: MoneyDto::new(e.balance_after_minor, places, currency),
            actor_user_id: e.actor_user_id.map(|u| u.to_string()),
            created_at: e.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LedgerPage {
    pub items: Vec<LedgerEntryDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum RecipientDto {
    Client,
    Referrer,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalBody {
    /// Who receives the money; default `client`.
    pub recipient: Option<RecipientDto>,
    /// How it is paid out (bank transfer, card, cash…).
    #[schema(min_length = 1, max_length = 100)]
    pub method: String,
    /// Where to: account number, card, the referrer's details.
    #[schema(max_length = 1000)]
    pub details: Option<String>,
    /// At most what the account's payments have left unallocated.
    #[schema(example = "25.00")]
    pub amount: String,
}

#[derive(Serialize, ToSchema)]
pub struct WithdrawalDto {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub account_id: String,
    pub recipient: String,
    pub method: String,
    pub details: String,
    pub amount: MoneyDto,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
}

impl WithdrawalDto {
    pub fn new(w: WithdrawalRecord, places: u16) -> Self {
        WithdrawalDto {
            id: w.id.to_string(),
            account_id: w.account_id.to_string(),
            recipient: w.recipient,
            method: w.method,
            details: w.details,
            amount: MoneyDto::new(w.amount_minor, places, &w.currency_code),
            created_at: w.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WithdrawalList {
    pub items: Vec<WithdrawalDto>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatusDto {
    New,
    Paid,
    Canceled,
    Refunded,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentDto {
    #[schema(format = Uuid)]
    pub id: String,
    /// The invoice number, gapless per company and year.
    pub number: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    pub client_number: i64,
    pub client_name: String,
    #[schema(format = Uuid)]
    pub account_id: String,
    #[schema(format = Uuid)]
    pub company_id: Option<String>,
    #[schema(format = Uuid)]
    pub payer_id: Option<String>,
    pub payer: String,
    #[schema(format = Uuid)]
    pub method_id: Option<String>,
    pub method: String,
    /// Negative for a partial refund.
    pub amount: MoneyDto,
    /// How much went to expenses, withdrawals and refunds.
    pub allocated: MoneyDto,
    /// What may still be refunded.
    pub refundable: MoneyDto,
    pub status: PaymentStatusDto,
    pub comment: String,
    /// For a refund: the refunded payment.
    #[schema(format = Uuid)]
    pub refund_of: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub paid_at: Option<jiff::Timestamp>,
}

impl From<PaymentView> for PaymentDto {
    fn from(v: PaymentView) -> Self {
        use bursar_domain::payments::PaymentStatus as S;
        let refundable = v.refundable_minor();
        let p = &v.payment;
        let money = |m: i64| MoneyDto::new(m, v.minor_units, &p.currency_code);
        PaymentDto {
            id: p.id.to_string(),
            number: p.number.clone(),
            client_id: p.client_id.to_string(),
            client_number: v.client_number,
            client_name: v.client_name.clone(),
            account_id: p.account_id.to_string(),
            company_id: p.company_id.map(|c| c.to_string()),
            payer_id: p.payer_id.map(|c| c.to_string()),
            payer: v.payer.clone(),
            method_id: p.method_id.map(|c| c.to_string()),
            method: v
                .method
                .as_ref()
                .map(|m| m.name_en.clone())
                .unwrap_or_default(),
            amount: money(p.amount_minor),
            allocated: money(p.allocated_minor),
            refundable: money(refundable),
            status: match p.status {
                S::New => PaymentStatusDto::New,
                S::Paid => PaymentStatusDto::Paid,
                S::Canceled => PaymentStatusDto::Canceled,
                S::Refunded => PaymentStatusDto::Refunded,
            },
            comment: p.comment.clone(),
            refund_of: p.refund_of.map(|r| r.to_string()),
            created_at: p.created_at,
            paid_at: p.paid_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SumDto {
    pub count: i64,
    pub total: MoneyDto,
}

impl SumDto {
    pub fn new(s: CurrencySum, places: u16) -> Self {
        SumDto {
            count: s.count,
            total: MoneyDto::new(s.amount_minor, places, &s.currency_code),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PaymentPageDto {
    pub items: Vec<PaymentDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    /// Sums of everything the filter matches, per currency.
    pub sums: Vec<SumDto>,
}

/// A new payment: an invoice issued to the client, New until credited.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPaymentBody {
    /// The client's id or number.
    pub client_id: String,
    /// The provider whose account receives it; needed when the client has several.
    #[schema(format = Uuid)]
    pub provider_id: Option<String>,
    /// A payer of the client; default: the client's default payer.
    #[schema(format = Uuid)]
    pub payer_id: Option<String>,
    /// One of the provider's open methods (see `/api/v1/payment-methods`).
    #[schema(format = Uuid)]
    pub method_id: String,
    /// More than zero, in the account's currency.
    #[schema(example = "12.50")]
    pub amount: String,
    /// When given, must be the account's currency.
    pub currency: Option<String>,
    #[schema(max_length = 1000)]
    pub comment: Option<String>,
}

/// Changes to a New payment; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentPatchBody {
    #[schema(format = Uuid)]
    pub payer_id: Option<String>,
    #[schema(format = Uuid)]
    pub method_id: Option<String>,
    #[schema(example = "12.50")]
    pub amount: Option<String>,
    pub currency: Option<String>,
    #[schema(max_length = 1000)]
    pub comment: Option<String>,
}

/// A client adds funds: a New payment with its invoice.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddFundsBody {
    #[schema(format = Uuid)]
    pub provider_id: Option<String>,
    #[schema(format = Uuid)]
    pub payer_id: Option<String>,
    #[schema(format = Uuid)]
    pub method_id: String,
    #[schema(example = "50.00")]
    pub amount: String,
    pub currency: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundBody {
    /// Default: everything still refundable.
    #[schema(example = "5.00")]
    pub amount: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RefundDto {
    /// The refunded payment as it is now.
    pub payment: PaymentDto,
    /// The negative payment a partial refund creates.
    pub refund: Option<PaymentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AllocationDto {
    /// `expense`, `withdrawal` or `refund`.
    pub target_kind: String,
    #[schema(format = Uuid)]
    pub target_id: String,
    /// The expense's number and description, or the refund's number.
    pub label: String,
    pub amount: MoneyDto,
}

#[derive(Serialize, ToSchema)]
pub struct AllocationList {
    pub payment: PaymentDto,
    pub items: Vec<AllocationDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ExpensePaymentDto {
    pub number: String,
    pub amount: MoneyDto,
}

#[derive(Serialize, ToSchema)]
pub struct ExpenseDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub number: i64,
    #[schema(format = Uuid)]
    pub client_id: String,
    #[schema(format = Uuid)]
    pub account_id: String,
    #[schema(format = Uuid)]
    pub service_id: Option<String>,
    pub description: String,
    pub amount: MoneyDto,
    /// The tax rate included in the amount, in percent.
    pub tax_rate: String,
    pub tax: MoneyDto,
    /// The tax rules the rate came from (`VAT + Regional`); empty for a rate given by hand.
    pub tax_name: String,
    /// What payments covered.
    pub paid: MoneyDto,
    /// What was spent on credit.
    pub not_paid: MoneyDto,
    /// The payments that covered it.
    pub payments: Vec<ExpensePaymentDto>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: jiff::Timestamp,
}

impl From<ExpenseView> for ExpenseDto {
    fn from(v: ExpenseView) -> Self {
        let e = &v.expense;
        let money = |m: i64| MoneyDto::new(m, v.minor_units, &e.currency_code);
        ExpenseDto {
            id: e.id.to_string(),
            number: e.number,
            client_id: e.client_id.to_string(),
            account_id: e.account_id.to_string(),
            service_id: e.service_id.map(|s| s.to_string()),
            description: e.description.clone(),
            amount: money(e.amount_minor),
            tax_rate: format_minor(e.tax_rate_bp, 2),
            tax: money(e.tax_minor),
            tax_name: e.tax_name.clone(),
            paid: money(e.paid_minor),
            not_paid: money(v.not_paid_minor()),
            payments: v
                .payments
                .iter()
                .map(|(number, amount)| ExpensePaymentDto {
                    number: number.clone(),
                    amount: money(*amount),
                })
                .collect(),
            created_at: e.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExpensePageDto {
    pub items: Vec<ExpenseDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    pub sums: Vec<SumDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExpenseBody {
    /// The client's id or number.
    pub client_id: String,
    #[schema(format = Uuid)]
    pub provider_id: Option<String>,
    #[schema(format = Uuid)]
    pub service_id: Option<String>,
    #[schema(min_length = 1, max_length = 500)]
    pub description: String,
    #[schema(example = "9.99")]
    pub amount: String,
    pub currency: Option<String>,
    /// The tax rate included in the amount, in percent (0–100, two decimals).
    #[schema(example = "20")]
    pub tax_rate: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpensePatchBody {
    #[schema(min_length = 1, max_length = 500)]
    pub description: Option<String>,
    /// Lowering it returns the difference to the balance.
    #[schema(example = "9.99")]
    pub amount: Option<String>,
    pub currency: Option<String>,
    #[schema(example = "20")]
    pub tax_rate: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum MethodKindDto {
    BankTransfer,
    Manual,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentMethodDto {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub provider_id: String,
    pub kind: MethodKindDto,
    pub name_en: String,
    pub name_ru: String,
    /// The company whose bank details the invoice shows.
    #[schema(format = Uuid)]
    pub company_id: Option<String>,
    pub is_active: bool,
}

impl From<PaymentMethodRecord> for PaymentMethodDto {
    fn from(m: PaymentMethodRecord) -> Self {
        use bursar_app::ports::MethodKind;
        PaymentMethodDto {
            id: m.id.to_string(),
            provider_id: m.provider_id.to_string(),
            kind: match m.kind {
                MethodKind::BankTransfer => MethodKindDto::BankTransfer,
                MethodKind::Manual => MethodKindDto::Manual,
            },
            name_en: m.name_en,
            name_ru: m.name_ru,
            company_id: m.company_id.map(|c| c.to_string()),
            is_active: m.is_active,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PaymentMethodList {
    pub items: Vec<PaymentMethodDto>,
}

pub fn method_kind_key(k: MethodKindDto) -> String {
    match k {
        MethodKindDto::BankTransfer => "bank_transfer",
        MethodKindDto::Manual => "manual",
    }
    .to_owned()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMethodBody {
    #[schema(format = Uuid)]
    pub provider_id: String,
    pub kind: MethodKindDto,
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: String,
    #[schema(format = Uuid)]
    pub company_id: Option<String>,
    pub is_active: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MethodPatchBody {
    pub kind: Option<MethodKindDto>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_en: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name_ru: Option<String>,
    /// Empty for the provider's first company.
    pub company_id: Option<String>,
    pub is_active: Option<bool>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PaymentQuery {
    /// The client's id or number.
    pub client_id: Option<String>,
    #[param(format = Uuid)]
    pub account_id: Option<String>,
    /// `new`, `paid`, `canceled` or `refunded`.
    pub status: Option<String>,
    /// First day, `YYYY-MM-DD` (UTC).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 4294967295_i64)]
    pub page: Option<i64>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExpenseQuery {
    pub client_id: Option<String>,
    #[param(format = Uuid)]
    pub account_id: Option<String>,
    /// Only expenses not fully paid.
    pub unpaid: Option<bool>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// 1-based page number (default 1).
    #[param(minimum = 1, maximum = 4294967295_i64)]
    pub page: Option<i64>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MethodQuery {
    #[param(format = Uuid)]
    pub provider_id: Option<String>,
}
