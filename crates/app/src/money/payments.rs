//! Payments (seed 004 "Payments"): an invoice issued to the client (*New*) that becomes money
//! on the personal account when staff credit it (*Paid*), can be refunded (*Refunded*, or a
//! negative payment for part of it), and until then edited or deleted.
//!
//! Invoice numbers are gapless per issuing company and year: each comes from a counter row
//! bumped in the transaction that creates the payment, so a rolled-back creation leaves no
//! hole. The issuing company is the payment method's, else the provider's first company.

use super::accounts::may_read_money;
use super::{Locked, ensure_account, lock, minor_units, post, settle};
use crate::clients::load_client;
use crate::error::AppError;
use crate::history::Paged;
use crate::ports::{
    AllocationLine, Counter, CurrencySum, EntryKind, HistoryFilter, HistoryView, Page,
    PaymentFilter, PaymentMethodRecord, PaymentRecord, TargetKind, Tx,
};
use crate::use_case::{Idempotency, Work};
use crate::{App, Principal};
use bursar_domain::access::AccountKind;
use bursar_domain::functions::{Function, f};
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::money::{format_minor, parse_positive_amount};
use bursar_domain::payments::{PaymentStatus, invoice_number, refundable_minor};
use bursar_domain::validation::parse_text;
use bursar_domain::{
    ClientId, CompanyId, ErrorCode, Invalid, PayerId, PaymentId, PaymentMethodId, ProviderId,
};
use serde::{Deserialize, Serialize};

/// The payment form. On edit, `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct PaymentInput {
    /// Which provider's account the money goes to; needed only when the client works with
    /// more than one provider.
    pub provider_id: Option<String>,
    pub payer_id: Option<String>,
    pub method_id: Option<String>,
    /// A decimal amount in the account's currency.
    pub amount: Option<String>,
    /// The currency the amount is in, when the caller says it: must be the account's.
    pub currency: Option<String>,
    pub comment: Option<String>,
}

/// A payment with what the lists and the invoice show next to it.
#[derive(Clone, Debug)]
pub struct PaymentView {
    pub payment: PaymentRecord,
    pub minor_units: u16,
    pub method: Option<PaymentMethodRecord>,
    pub payer: String,
    pub client_number: i64,
    pub client_name: String,
}

impl PaymentView {
    pub fn amount(&self, minor: i64) -> String {
        format_minor(minor, self.minor_units)
    }

    /// What of it may still be refunded.
    pub fn refundable_minor(&self) -> i64 {
        match self.payment.status {
            PaymentStatus::Paid if self.payment.amount_minor > 0 => {
                refundable_minor(self.payment.amount_minor, self.payment.allocated_minor)
            }
            _ => 0,
        }
    }
}

/// What a refund did: the refunded payment as it is now, and the negative payment a
/// partial refund creates.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RefundOutcome {
    pub original: PaymentRecord,
    pub refund: Option<PaymentRecord>,
}

/// A page of payments with the sums per currency of everything the filter matches.
pub struct PaymentPage {
    pub page: Paged<PaymentView>,
    /// Sums per currency, each with its currency's places.
    pub sums: Vec<(CurrencySum, u16)>,
}

pub(crate) fn payment_ref(p: &PaymentRecord) -> ObjectRef {
    ObjectRef {
        kind: "payment",
        id: p.id.to_string(),
        client: Some(p.client_id),
    }
}

fn not_new() -> AppError {
    AppError::rule(
        ErrorCode::PaymentNotNew,
        "only a new (unpaid) payment can be changed, deleted or credited",
    )
}

async fn load_payment(tx: &mut dyn Tx, id: PaymentId) -> Result<PaymentRecord, AppError> {
    tx.payment(id)
        .await?
        .ok_or(AppError::NotFound { what: "payment" })
}

/// Reads the payment, then locks its account and reads the payment again under the lock, so
/// its status is current.
async fn lock_payment(
    w: &mut Work<'_>,
    id: PaymentId,
) -> Result<(Locked, PaymentRecord), AppError> {
    let first = load_payment(w.tx(), id).await?;
    let locked = lock(w, first.account_id).await?;
    let p = load_payment(w.tx(), id).await?;
    Ok((locked, p))
}

pub(crate) async fn view_payment(
    tx: &mut dyn Tx,
    p: PaymentRecord,
) -> Result<PaymentView, AppError> {
    let minor_units = minor_units(tx, &p.currency_code).await?;
    let method = match p.method_id {
        Some(m) => tx.payment_method(m).await?,
        None => None,
    };
    let payer = match p.payer_id {
        Some(id) => tx
            .payers_of(p.client_id)
            .await?
            .into_iter()
            .find(|x| x.id == id)
            .map(|x| x.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let client = tx.client_by_id(p.client_id).await?;
    Ok(PaymentView {
        minor_units,
        method,
        payer,
        client_number: client.as_ref().map_or(0, |c| c.number.value()),
        client_name: client
            .map(|c| c.name.as_str().to_owned())
            .unwrap_or_default(),
        payment: p,
    })
}

/// Checks the method (the provider's, open, not closed to the client's groups) and the payer
/// (the client's; the default payer when none is named).
async fn check_method_and_payer(
    tx: &mut dyn Tx,
    invalid: &mut Invalid,
    client: ClientId,
    provider: ProviderId,
    input: &PaymentInput,
    method: Option<PaymentMethodId>,
    payer: Option<PayerId>,
) -> Result<(Option<PaymentMethodRecord>, Option<PayerId>), AppError> {
    let method_id = match &input.method_id {
        Some(raw) => raw.trim().parse::<PaymentMethodId>().ok(),
        None => method,
    };
    let unknown_method = || {
        (
            "method_id",
            ErrorCode::UnknownPaymentMethod,
            "choose a payment method of the provider that is open to this client",
        )
    };
    let mut chosen = None;
    match method_id {
        None => {
            let (f, c, m) = unknown_method();
            invalid.push(f, c, m);
        }
        Some(id) => {
            let m = tx.payment_method(id).await?;
            let groups = tx.groups_of(client).await?;
            let mut closed = false;
            for g in groups {
                if let Some(g) = tx.group(g).await?
                    && g.restricted_payment_methods.contains(&id.to_string())
                {
                    closed = true;
                }
            }
            match m {
                Some(m) if m.provider_id == provider && m.is_active && !closed => {
                    chosen = Some(m);
                }
                _ => {
                    let (f, c, m) = unknown_method();
                    invalid.push(f, c, m);
                }
            }
        }
    }
    let payers = tx.payers_of(client).await?;
    let payer = match &input.payer_id {
        Some(raw) if !raw.trim().is_empty() => {
            match raw
                .trim()
                .parse::<PayerId>()
                .ok()
                .filter(|id| payers.iter().any(|p| p.id == *id))
            {
                Some(id) => Some(id),
                None => {
                    invalid.push(
                        "payer_id",
                        ErrorCode::UnknownPayer,
                        "choose one of the client's payers",
                    );
                    None
                }
            }
        }
        Some(_) => None,
        None => payer.or_else(|| payers.iter().find(|p| p.is_default).map(|p| p.id)),
    };
    Ok((chosen, payer))
}

/// Which provider's account a new payment is for: the one named, else the client's only
/// connected provider.
async fn provider_for(
    tx: &mut dyn Tx,
    client: ClientId,
    input: &PaymentInput,
) -> Result<ProviderId, AppError> {
    let connected = tx.client_providers(client).await?;
    let choose = || {
        AppError::invalid(
            "provider_id",
            ErrorCode::UnknownProvider,
            "choose one of the client's providers",
        )
    };
    match input.provider_id.as_deref().map(str::trim) {
        Some(raw) if !raw.is_empty() => {
            let id: ProviderId = raw.parse().map_err(|_| choose())?;
            if connected.contains(&id) {
                Ok(id)
            } else {
                Err(AppError::rule(
                    ErrorCode::ProviderNotConnected,
                    "the client is not connected to this provider",
                ))
            }
        }
        _ => match connected.as_slice() {
            [only] => Ok(*only),
            _ => Err(choose()),
        },
    }
}

/// The company issuing an invoice paid by `method`.
async fn issuing_company(
    tx: &mut dyn Tx,
    method: Option<&PaymentMethodRecord>,
    provider: ProviderId,
) -> Result<Option<CompanyId>, AppError> {
    if let Some(c) = method.and_then(|m| m.company_id) {
        return Ok(Some(c));
    }
    Ok(tx
        .list_companies()
        .await?
        .into_iter()
        .find(|c| c.providers.contains(&provider))
        .map(|c| c.id))
}

/// The next invoice number of `company` in the year of `w.now()`.
async fn next_invoice_number(
    w: &mut Work<'_>,
    company: Option<CompanyId>,
) -> Result<String, AppError> {
    let year = w.now().to_zoned(jiff::tz::TimeZone::UTC).year();
    let n = w
        .tx()
        .next_number(Counter::Invoices { company, year })
        .await?;
    Ok(invoice_number(year, n))
}

fn check_currency(invalid: &mut Invalid, input: &PaymentInput, account_currency: &str) {
    if let Some(c) = &input.currency
        && !c.trim().eq_ignore_ascii_case(account_currency)
    {
        invalid.push(
            "currency",
            ErrorCode::CurrencyMismatch,
            format!("the account's currency is {account_currency}"),
        );
    }
}

/// Credits a New payment inside the caller's transaction (see [`App::credit_payment`]).
pub(crate) async fn credit_in(w: &mut Work<'_>, id: PaymentId) -> Result<PaymentRecord, AppError> {
    let (mut locked, mut p) = lock_payment(w, id).await?;
    if p.status != PaymentStatus::New || p.amount_minor < 0 {
        return Err(not_new());
    }
    post(w, &mut locked, EntryKind::Payment, p.id.0, p.amount_minor).await?;
    let now = w.now();
    p.status = PaymentStatus::Paid;
    p.paid_at = Some(now);
    p.updated_at = now;
    w.tx().update_payment(&p).await?;
    settle(w, locked.account.id).await?;
    let changes = Changes::default()
        .diff(
            "status",
            &PaymentStatus::New.key().to_owned(),
            &p.status.key().to_owned(),
        )
        .set("balance", locked.show(locked.account.balance_minor));
    w.record_as(f::PAYMENT_CREDIT, payment_ref(&p), "credit", changes);
    // What `settle` allocated shows in the answer.
    load_payment(w.tx(), id).await
}

/// Refunds inside the caller's transaction (see [`App::refund_payment`]).
pub(crate) async fn refund_in(
    w: &mut Work<'_>,
    id: PaymentId,
    amount: &Option<String>,
) -> Result<RefundOutcome, AppError> {
    let (mut locked, mut original) = lock_payment(w, id).await?;
    if original.status != PaymentStatus::Paid || original.amount_minor < 0 {
        return Err(AppError::rule(
            ErrorCode::PaymentNotPaid,
            "only a paid payment can be refunded",
        ));
    }
    let available = refundable_minor(original.amount_minor, original.allocated_minor);
    let wanted = match amount.as_deref().map(str::trim) {
        Some(raw) if !raw.is_empty() => parse_positive_amount("amount", raw, locked.minor_units)?,
        _ => available,
    };
    if wanted > available || wanted == 0 {
        return Err(AppError::rule(
            ErrorCode::ExceedsAvailable,
            format!(
                "only {} of this payment can be refunded",
                locked.show(available)
            ),
        ));
    }
    let now = w.now();
    let full = wanted == original.amount_minor;
    let refund = if full {
        post(w, &mut locked, EntryKind::Refund, original.id.0, -wanted).await?;
        w.tx()
            .allocate(original.id, TargetKind::Refund, original.id.0, wanted, now)
            .await?;
        original.status = PaymentStatus::Refunded;
        original.updated_at = now;
        w.tx().update_payment(&original).await?;
        None
    } else {
        let number = next_invoice_number(w, original.company_id).await?;
        let r = PaymentRecord {
            id: PaymentId::new(),
            number,
            account_id: original.account_id,
            client_id: original.client_id,
            company_id: original.company_id,
            payer_id: original.payer_id,
            method_id: original.method_id,
            amount_minor: -wanted,
            allocated_minor: 0,
            currency_code: original.currency_code.clone(),
            status: PaymentStatus::Paid,
            comment: format!("Refund of {}", original.number),
            refund_of: Some(original.id),
            created_by: w.actor().user,
            created_at: now,
            updated_at: now,
            paid_at: Some(now),
        };
        w.tx().insert_payment(&r).await?;
        post(w, &mut locked, EntryKind::Refund, r.id.0, -wanted).await?;
        w.tx()
            .allocate(original.id, TargetKind::Refund, r.id.0, wanted, now)
            .await?;
        Some(r)
    };
    let mut changes = Changes::default().set("refunded", locked.show(wanted));
    if full {
        changes = changes.diff(
            "status",
            &PaymentStatus::Paid.key().to_owned(),
            &PaymentStatus::Refunded.key().to_owned(),
        );
    }
    if let Some(r) = &refund {
        changes = changes.set("refund_number", &r.number);
    }
    w.record_as(f::PAYMENT_REFUND, payment_ref(&original), "refund", changes);
    let original = load_payment(w.tx(), id).await?;
    Ok(RefundOutcome { original, refund })
}

/// Issues an invoice (a New payment) inside the caller's transaction.
pub(crate) async fn issue_in(
    w: &mut Work<'_>,
    client: ClientId,
    input: &PaymentInput,
) -> Result<PaymentRecord, AppError> {
    load_client(w.tx(), client).await?;
    let provider = provider_for(w.tx(), client, input).await?;
    let account = ensure_account(w, client, provider).await?;
    let locked = lock(w, account.id).await?;
    let mut invalid = Invalid::default();
    check_currency(&mut invalid, input, &locked.account.currency_code);
    let amount = invalid.check(parse_positive_amount(
        "amount",
        input.amount.as_deref().unwrap_or_default(),
        locked.minor_units,
    ));
    let comment = invalid
        .check(parse_text(
            "comment",
            input.comment.as_deref().unwrap_or_default(),
            1000,
        ))
        .flatten()
        .unwrap_or_default();
    let (method, payer) =
        check_method_and_payer(w.tx(), &mut invalid, client, provider, input, None, None).await?;
    invalid.into_result()?;
    let amount_minor = amount.unwrap_or_default();
    let company = issuing_company(w.tx(), method.as_ref(), provider).await?;
    let number = next_invoice_number(w, company).await?;
    let now = w.now();
    let p = PaymentRecord {
        id: PaymentId::new(),
        number,
        account_id: locked.account.id,
        client_id: client,
        company_id: company,
        payer_id: payer,
        method_id: method.as_ref().map(|m| m.id),
        amount_minor,
        allocated_minor: 0,
        currency_code: locked.account.currency_code.clone(),
        status: PaymentStatus::New,
        comment,
        refund_of: None,
        created_by: w.actor().user,
        created_at: now,
        updated_at: now,
        paid_at: None,
    };
    w.tx().insert_payment(&p).await?;
    let changes = Changes::default()
        .set("number", &p.number)
        .set("amount", locked.show(amount_minor))
        .set(
            "method",
            method
                .as_ref()
                .map(|m| m.name_en.clone())
                .unwrap_or_default(),
        )
        .set("status", p.status.key());
    w.record_as(f::PAYMENT_CREATE, payment_ref(&p), "create", changes);
    Ok(p)
}

impl App {
    /// Staff issue an invoice to a client: a New payment.
    pub async fn create_payment(
        &self,
        who: &Principal,
        client: ClientId,
        input: PaymentInput,
    ) -> Result<PaymentView, AppError> {
        self.issue_invoice(who, f::PAYMENT_CREATE, client, input)
            .await
    }

    /// A client's user adds funds: a New payment with its invoice, for the client's own
    /// account.
    pub async fn add_funds(
        &self,
        who: &Principal,
        input: PaymentInput,
    ) -> Result<PaymentView, AppError> {
        let client = who.user.client_id.ok_or(AppError::Forbidden {
            function: f::ACCOUNT_FINANCES.key,
        })?;
        self.issue_invoice(who, f::ACCOUNT_FINANCES, client, input)
            .await
    }

    async fn issue_invoice(
        &self,
        who: &Principal,
        function: &'static Function,
        client: ClientId,
        input: PaymentInput,
    ) -> Result<PaymentView, AppError> {
        let input = &input;
        let p = self
            .write_locked(who, function, None, |w| {
                Box::pin(issue_in(w, client, input))
            })
            .await?;
        self.payment_view(p).await
    }

    /// A payment record with what the lists and the API show next to it (also for an answer
    /// replayed from its Idempotency-Key).
    pub async fn payment_view(&self, p: PaymentRecord) -> Result<PaymentView, AppError> {
        let mut tx = self.store.read().await?;
        let v = view_payment(tx.as_mut(), p).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Edits a New payment: payer, method, amount, comment.
    pub async fn edit_payment(
        &self,
        who: &Principal,
        id: PaymentId,
        input: PaymentInput,
    ) -> Result<PaymentView, AppError> {
        let input = &input;
        let p = self
            .write_locked(who, f::PAYMENT_EDIT, None, |w| {
                Box::pin(async move {
                    let (locked, old) = lock_payment(w, id).await?;
                    if old.status != PaymentStatus::New || old.amount_minor < 0 {
                        return Err(not_new());
                    }
                    if input.provider_id.is_some() {
                        return Err(AppError::invalid(
                            "provider_id",
                            ErrorCode::ReadOnly,
                            "a payment's account cannot change",
                        ));
                    }
                    let mut invalid = Invalid::default();
                    check_currency(&mut invalid, input, &locked.account.currency_code);
                    let mut new = old.clone();
                    if let Some(raw) = &input.amount
                        && let Some(a) =
                            invalid.check(parse_positive_amount("amount", raw, locked.minor_units))
                    {
                        new.amount_minor = a;
                    }
                    if let Some(raw) = &input.comment
                        && let Some(c) = invalid.check(parse_text("comment", raw, 1000))
                    {
                        new.comment = c.unwrap_or_default();
                    }
                    let (method, payer) = check_method_and_payer(
                        w.tx(),
                        &mut invalid,
                        old.client_id,
                        locked.account.provider_id,
                        input,
                        old.method_id,
                        old.payer_id,
                    )
                    .await?;
                    invalid.into_result()?;
                    new.method_id = method.as_ref().map(|m| m.id);
                    new.payer_id = payer;
                    new.updated_at = w.now();
                    let changes = Changes::default()
                        .diff(
                            "amount",
                            &locked.show(old.amount_minor),
                            &locked.show(new.amount_minor),
                        )
                        .diff("comment", &old.comment, &new.comment)
                        .diff(
                            "method",
                            &old.method_id.map(|m| m.to_string()).unwrap_or_default(),
                            &new.method_id.map(|m| m.to_string()).unwrap_or_default(),
                        )
                        .diff(
                            "payer",
                            &old.payer_id.map(|m| m.to_string()).unwrap_or_default(),
                            &new.payer_id.map(|m| m.to_string()).unwrap_or_default(),
                        );
                    if !changes.is_empty() {
                        w.tx().update_payment(&new).await?;
                        w.record(payment_ref(&new), "update", changes);
                    }
                    Ok(new)
                })
            })
            .await?;
        self.payment_view(p).await
    }

    /// Deletes a New payment; any other status is 409.
    pub async fn delete_payment(&self, who: &Principal, id: PaymentId) -> Result<(), AppError> {
        self.write_locked(who, f::PAYMENT_DELETE, None, |w| {
            Box::pin(async move {
                let (locked, p) = lock_payment(w, id).await?;
                if p.status != PaymentStatus::New {
                    return Err(not_new());
                }
                w.tx().delete_payment(id).await?;
                let changes = Changes::default()
                    .diff("number", &p.number, &String::new())
                    .diff("amount", &locked.show(p.amount_minor), &String::new());
                w.record(payment_ref(&p), "delete", changes);
                Ok(())
            })
        })
        .await
    }

    /// Credits a New payment to its account: Paid, a ledger credit, then the money covers
    /// unpaid expenses oldest first. With an Idempotency-Key a retry gets the same answer.
    pub async fn credit_payment(
        &self,
        who: &Principal,
        id: PaymentId,
        idempotency: Option<Idempotency>,
    ) -> Result<PaymentRecord, AppError> {
        let idempotency = idempotency.map(|i| i.with_request(id.to_string()));
        self.write_locked(who, f::PAYMENT_CREDIT, idempotency.as_ref(), |w| {
            Box::pin(credit_in(w, id))
        })
        .await
    }

    /// Refunds the unallocated part of a Paid payment, all of it by default. Refunding the
    /// whole payment marks it Refunded; a part makes a negative payment linked to it.
    pub async fn refund_payment(
        &self,
        who: &Principal,
        id: PaymentId,
        amount: Option<String>,
        idempotency: Option<Idempotency>,
    ) -> Result<RefundOutcome, AppError> {
        let amount = &amount;
        let idempotency = idempotency
            .map(|i| i.with_request(format!("{id}\n{}", amount.as_deref().unwrap_or_default())));
        self.write_locked(who, f::PAYMENT_REFUND, idempotency.as_ref(), |w| {
            Box::pin(refund_in(w, id, amount))
        })
        .await
    }

    pub async fn payment(&self, who: &Principal, id: PaymentId) -> Result<PaymentView, AppError> {
        let mut tx = self.store.read().await?;
        let p = load_payment(tx.as_mut(), id).await?;
        may_read_money(who, p.client_id)?;
        let v = view_payment(tx.as_mut(), p).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Payments, newest first, with sums per currency. A client's user sees only the
    /// client's own.
    pub async fn list_payments(
        &self,
        who: &Principal,
        mut filter: PaymentFilter,
        page: Page,
    ) -> Result<PaymentPage, AppError> {
        match who.kind() {
            AccountKind::Client => {
                who.require(f::ACCOUNT_FINANCES)?;
                filter.client = who.user.client_id;
            }
            _ => who.require(f::PAYMENT_LIST)?,
        }
        let mut tx = self.store.snapshot().await?;
        let (items, total, sums) = tx.list_payments(&filter, page).await?;
        let mut views = Vec::with_capacity(items.len());
        for p in items {
            views.push(view_payment(tx.as_mut(), p).await?);
        }
        let mut placed = Vec::with_capacity(sums.len());
        for s in sums {
            let places = super::minor_units(tx.as_mut(), &s.currency_code).await?;
            placed.push((s, places));
        }
        tx.commit().await?;
        Ok(PaymentPage {
            page: Paged {
                items: views,
                page: page.number,
                per_page: page.size,
                total,
            },
            sums: placed,
        })
    }

    /// Where the payment's money went: expenses, withdrawals and refunds.
    pub async fn payment_allocations(
        &self,
        who: &Principal,
        id: PaymentId,
    ) -> Result<(PaymentView, Vec<(AllocationLine, String)>), AppError> {
        let v = self.payment(who, id).await?;
        let mut tx = self.store.snapshot().await?;
        let mut out = Vec::new();
        for a in tx.allocations_of_payment(id).await? {
            let label = match a.target_kind {
                TargetKind::Expense => tx
                    .expense(bursar_domain::ExpenseId(a.target_id))
                    .await?
                    .map(|e| format!("#{} {}", e.number, e.description))
                    .unwrap_or_default(),
                TargetKind::Refund => match tx.payment(PaymentId(a.target_id)).await? {
                    Some(r) if r.id != id => r.number,
                    _ => String::new(),
                },
                TargetKind::Withdrawal => String::new(),
            };
            out.push((a, label));
        }
        tx.commit().await?;
        Ok((v, out))
    }

    pub async fn payment_history(
        &self,
        who: &Principal,
        id: PaymentId,
        page: Page,
    ) -> Result<Paged<HistoryView>, AppError> {
        self.payment(who, id).await?;
        self.history_page(
            HistoryFilter {
                object_kind: Some("payment".to_owned()),
                object_id: Some(id.to_string()),
                ..HistoryFilter::default()
            },
            page,
        )
        .await
    }
}
