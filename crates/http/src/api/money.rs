//! Money: personal accounts with their ledger and withdrawals, payments (invoices), expenses
//! and payment methods, for staff; and the client area's own accounts, payments and
//! expenses under `/api/v1/account/…`.

use super::clients::client_id;
use super::money_dto::*;
use super::page_of;
use super::{HistoryPage, PageQuery};
use crate::guard::{AppExt, Caller};
use crate::json::{ApiJson, ApiQuery};
use crate::problem::{ApiResult, Problem};
use axum::Extension;
use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bursar_app::money::accounts::AccountInput;
use bursar_app::money::expenses::ExpenseInput;
use bursar_app::money::expenses::ExpensePage;
use bursar_app::money::filters::MoneyFilterParams;
use bursar_app::money::methods::MethodInput;
use bursar_app::money::payments::{PaymentInput, PaymentPage};
use bursar_app::money::withdrawals::WithdrawalInput;
use bursar_app::use_case::Idempotency;
use bursar_app::{App, AppError, Principal};
use bursar_domain::functions::f;
use bursar_domain::{
    AccountId, ClientId, ClientRef, ErrorCode, ExpenseId, PaymentId, PaymentMethodId,
};

fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, Problem> {
    raw.parse().map_err(|_| Problem::not_found())
}

/// The `Idempotency-Key` header, when sent.
fn idempotency(headers: &HeaderMap) -> Result<Option<Idempotency>, Problem> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => {
            let raw = v.to_str().unwrap_or("\u{0}");
            Ok(Some(Idempotency::parse(raw)?))
        }
    }
}

/// A client named in a query string: unknown is a refused filter (422), not a missing page.
pub(super) async fn client_filter(
    app: &App,
    who: &Principal,
    raw: Option<&str>,
) -> Result<Option<ClientId>, Problem> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let unknown = || {
        Problem::from(AppError::invalid(
            "client_id",
            ErrorCode::UnknownClient,
            "no client has this id or number",
        ))
    };
    let named: ClientRef = raw.parse().map_err(|_| unknown())?;
    app.resolve_client(who, named)
        .await
        .map(Some)
        .map_err(|_| unknown())
}

fn account_filter(raw: Option<&str>) -> Result<Option<AccountId>, Problem> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => r.parse().map(Some).map_err(|_| {
            Problem::from(AppError::invalid(
                "account_id",
                ErrorCode::InvalidFilter,
                "is not a valid id",
            ))
        }),
    }
}

fn payment_page(p: PaymentPage) -> PaymentPageDto {
    PaymentPageDto {
        items: p.page.items.into_iter().map(Into::into).collect(),
        page: p.page.page,
        per_page: p.page.per_page,
        total: p.page.total,
        sums: p
            .sums
            .into_iter()
            .map(|(s, places)| SumDto::new(s, places))
            .collect(),
    }
}

fn expense_page(p: ExpensePage) -> ExpensePageDto {
    ExpensePageDto {
        items: p.page.items.into_iter().map(Into::into).collect(),
        page: p.page.page,
        per_page: p.page.per_page,
        total: p.page.total,
        sums: p
            .sums
            .into_iter()
            .map(|(s, places)| SumDto::new(s, places))
            .collect(),
    }
}

fn pdf_response(name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

// ---- accounts ----

pub async fn client_accounts(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AccountList>> {
    let client = client_id(&app, &who, &id).await?;
    let items = app.client_accounts(&who, client).await?;
    Ok(Json(AccountList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

pub async fn create_account(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewAccountBody>,
) -> ApiResult<(StatusCode, Json<AccountDto>)> {
    let client = client_id(&app, &who, &id).await?;
    let input = AccountInput {
        provider_id: Some(b.provider_id),
        postpaid: b.postpaid,
        credit_limit: b.credit_limit,
        grace: grace_key(b.grace),
        respite_days: b.respite_days,
        block_in_days: b.block_in_days,
        referrer: b.referrer,
        free_support_calls: b.free_support_calls,
        is_active: b.is_active,
    };
    let v = app.create_account(&who, client, input).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

pub async fn account(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AccountDto>> {
    Ok(Json(
        app.personal_account(&who, path_id(&id)?).await?.into(),
    ))
}

pub async fn edit_account(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AccountPatchBody>,
) -> ApiResult<Json<AccountDto>> {
    let input = AccountInput {
        provider_id: None,
        postpaid: b.postpaid,
        credit_limit: b.credit_limit,
        grace: grace_key(b.grace),
        respite_days: b.respite_days,
        block_in_days: b.block_in_days,
        referrer: b.referrer,
        free_support_calls: b.free_support_calls,
        is_active: b.is_active,
    };
    Ok(Json(
        app.edit_account(&who, path_id(&id)?, input).await?.into(),
    ))
}

pub async fn ledger(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<LedgerPage>> {
    let (account, page) = app
        .account_ledger(&who, path_id(&id)?, page_of(q.page, q.per_page)?)
        .await?;
    let currency = account.account.currency_code.clone();
    Ok(Json(LedgerPage {
        items: page
            .items
            .into_iter()
            .map(|e| LedgerEntryDto::new(e, account.minor_units, &currency))
            .collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}

pub async fn account_history(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<HistoryPage>> {
    Ok(Json(
        app.account_history(&who, path_id(&id)?, page_of(q.page, q.per_page)?)
            .await?
            .into(),
    ))
}

pub async fn withdrawals(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<WithdrawalList>> {
    let id: AccountId = path_id(&id)?;
    let account = app.personal_account(&who, id).await?;
    let items = app.withdrawals(&who, id).await?;
    Ok(Json(WithdrawalList {
        items: items
            .into_iter()
            .map(|w| WithdrawalDto::new(w, account.minor_units))
            .collect(),
    }))
}

pub async fn withdraw(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<WithdrawalBody>,
) -> ApiResult<(StatusCode, Json<WithdrawalDto>)> {
    let id: AccountId = path_id(&id)?;
    let input = WithdrawalInput {
        recipient: b.recipient.map(|r| {
            match r {
                RecipientDto::Client => "client",
                RecipientDto::Referrer => "referrer",
            }
            .to_owned()
        }),
        method: Some(b.method),
        details: b.details,
        amount: Some(b.amount),
    };
    let w = app
        .withdraw(&who, id, input, idempotency(&headers)?)
        .await?;
    let account = app.personal_account(&who, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(WithdrawalDto::new(w, account.minor_units)),
    ))
}

// ---- payments ----

/// A page of payments for `client` (a client's user always gets its own: the use case
/// sees to it).
async fn payments_of(
    app: &App,
    who: &Principal,
    client: Option<ClientId>,
    q: PaymentQuery,
) -> ApiResult<Json<PaymentPageDto>> {
    let filter = MoneyFilterParams {
        status: q.status.as_deref(),
        from: q.from.as_deref(),
        to: q.to.as_deref(),
        unpaid: None,
    }
    .payments(client, account_filter(q.account_id.as_deref())?)
    .map_err(AppError::Invalid)?;
    let page = app
        .list_payments(who, filter, page_of(q.page, q.per_page)?)
        .await?;
    Ok(Json(payment_page(page)))
}

pub async fn payments(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<PaymentQuery>,
) -> ApiResult<Json<PaymentPageDto>> {
    let client = client_filter(&app, &who, q.client_id.as_deref()).await?;
    payments_of(&app, &who, client, q).await
}

pub async fn create_payment(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewPaymentBody>,
) -> ApiResult<(StatusCode, Json<PaymentDto>)> {
    let client = client_filter(&app, &who, Some(&b.client_id))
        .await?
        .ok_or_else(|| {
            Problem::from(AppError::invalid(
                "client_id",
                ErrorCode::Required,
                "is required",
            ))
        })?;
    let input = PaymentInput {
        provider_id: b.provider_id,
        payer_id: b.payer_id,
        method_id: Some(b.method_id),
        amount: Some(b.amount),
        currency: b.currency,
        comment: b.comment,
    };
    let v = app.create_payment(&who, client, input).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

pub async fn payment(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PaymentDto>> {
    Ok(Json(app.payment(&who, path_id(&id)?).await?.into()))
}

pub async fn edit_payment(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PaymentPatchBody>,
) -> ApiResult<Json<PaymentDto>> {
    let input = PaymentInput {
        provider_id: None,
        payer_id: b.payer_id,
        method_id: b.method_id,
        amount: b.amount,
        currency: b.currency,
        comment: b.comment,
    };
    Ok(Json(
        app.edit_payment(&who, path_id(&id)?, input).await?.into(),
    ))
}

pub async fn delete_payment(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_payment(&who, path_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn credit_payment(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<PaymentDto>> {
    let id: PaymentId = path_id(&id)?;
    let record = app.credit_payment(&who, id, idempotency(&headers)?).await?;
    Ok(Json(app.payment_view(record).await?.into()))
}

pub async fn refund_payment(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<RefundBody>,
) -> ApiResult<Json<RefundDto>> {
    let outcome = app
        .refund_payment(&who, path_id(&id)?, b.amount, idempotency(&headers)?)
        .await?;
    let refund = match outcome.refund {
        Some(r) => Some(app.payment_view(r).await?.into()),
        None => None,
    };
    Ok(Json(RefundDto {
        payment: app.payment_view(outcome.original).await?.into(),
        refund,
    }))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SentDto {
    /// Where the invoice goes: the payer's e-mail for documents, else the client's.
    pub to: String,
}

pub async fn send_invoice(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<SentDto>)> {
    let to = app.send_invoice(&who, path_id(&id)?).await?;
    Ok((StatusCode::ACCEPTED, Json(SentDto { to })))
}

pub async fn payment_pdf(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (name, bytes) = app.invoice_pdf(&who, path_id(&id)?).await?;
    Ok(pdf_response(name, bytes))
}

pub async fn payment_allocations(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AllocationList>> {
    let (payment, lines) = app.payment_allocations(&who, path_id(&id)?).await?;
    let places = payment.minor_units;
    let currency = payment.payment.currency_code.clone();
    Ok(Json(AllocationList {
        payment: payment.into(),
        items: lines
            .into_iter()
            .map(|(a, label)| AllocationDto {
                target_kind: a.target_kind.key().to_owned(),
                target_id: a.target_id.to_string(),
                label,
                amount: MoneyDto::new(a.amount_minor, places, &currency),
            })
            .collect(),
    }))
}

pub async fn payment_history(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<HistoryPage>> {
    Ok(Json(
        app.payment_history(&who, path_id(&id)?, page_of(q.page, q.per_page)?)
            .await?
            .into(),
    ))
}

// ---- expenses ----

/// A page of expenses for `client` (a client's user always gets its own: the use case
/// sees to it).
async fn expenses_of(
    app: &App,
    who: &Principal,
    client: Option<ClientId>,
    q: ExpenseQuery,
) -> ApiResult<Json<ExpensePageDto>> {
    let filter = MoneyFilterParams {
        status: None,
        from: q.from.as_deref(),
        to: q.to.as_deref(),
        unpaid: q.unpaid,
    }
    .expenses(client, account_filter(q.account_id.as_deref())?)
    .map_err(AppError::Invalid)?;
    let p = app
        .list_expenses(who, filter, page_of(q.page, q.per_page)?)
        .await?;
    Ok(Json(expense_page(p)))
}

pub async fn expenses(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<ExpenseQuery>,
) -> ApiResult<Json<ExpensePageDto>> {
    let client = client_filter(&app, &who, q.client_id.as_deref()).await?;
    expenses_of(&app, &who, client, q).await
}

pub async fn create_expense(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewExpenseBody>,
) -> ApiResult<(StatusCode, Json<ExpenseDto>)> {
    let client = client_filter(&app, &who, Some(&b.client_id))
        .await?
        .ok_or_else(|| {
            Problem::from(AppError::invalid(
                "client_id",
                ErrorCode::Required,
                "is required",
            ))
        })?;
    let input = ExpenseInput {
        provider_id: b.provider_id,
        service_id: b.service_id,
        description: Some(b.description),
        amount: Some(b.amount),
        currency: b.currency,
        tax_rate: b.tax_rate,
    };
    let v = app.create_expense(&who, client, input).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

pub async fn expense(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ExpenseDto>> {
    Ok(Json(app.expense(&who, path_id(&id)?).await?.into()))
}

pub async fn edit_expense(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ExpensePatchBody>,
) -> ApiResult<Json<ExpenseDto>> {
    let input = ExpenseInput {
        provider_id: None,
        service_id: None,
        description: b.description,
        amount: b.amount,
        currency: b.currency,
        tax_rate: b.tax_rate,
    };
    Ok(Json(
        app.edit_expense(&who, path_id(&id)?, input).await?.into(),
    ))
}

pub async fn delete_expense(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id: ExpenseId = path_id(&id)?;
    app.delete_expense(&who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- payment methods ----

pub async fn methods(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<MethodQuery>,
) -> ApiResult<Json<PaymentMethodList>> {
    let provider = match q
        .provider_id
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        None => None,
        Some(r) => Some(r.parse().map_err(|_| {
            Problem::from(AppError::invalid(
                "provider_id",
                ErrorCode::InvalidFilter,
                "is not a valid id",
            ))
        })?),
    };
    let items = app.payment_methods(&who, provider).await?;
    Ok(Json(PaymentMethodList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

pub async fn create_method(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<NewMethodBody>,
) -> ApiResult<(StatusCode, Json<PaymentMethodDto>)> {
    let input = MethodInput {
        provider_id: Some(b.provider_id),
        kind: Some(method_kind_key(b.kind)),
        name_en: Some(b.name_en),
        name_ru: Some(b.name_ru),
        company_id: b.company_id,
        is_active: b.is_active,
    };
    let m = app.save_payment_method(&who, None, input).await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

pub async fn edit_method(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MethodPatchBody>,
) -> ApiResult<Json<PaymentMethodDto>> {
    let id: PaymentMethodId = path_id(&id)?;
    let input = MethodInput {
        provider_id: None,
        kind: b.kind.map(method_kind_key),
        name_en: b.name_en,
        name_ru: b.name_ru,
        company_id: b.company_id,
        is_active: b.is_active,
    };
    Ok(Json(
        app.save_payment_method(&who, Some(id), input).await?.into(),
    ))
}

pub async fn delete_method(
    Extension(app): AppExt,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_payment_method(&who, path_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- the client area ----

pub async fn my_accounts(
    Extension(app): AppExt,
    Caller(who): Caller,
) -> ApiResult<Json<AccountList>> {
    let client = who.user.client_id.ok_or_else(Problem::not_found)?;
    let items = app.client_accounts(&who, client).await?;
    Ok(Json(AccountList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

pub async fn my_payments(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<PaymentQuery>,
) -> ApiResult<Json<PaymentPageDto>> {
    payments_of(&app, &who, None, q).await
}

pub async fn add_funds(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiJson(b): ApiJson<AddFundsBody>,
) -> ApiResult<(StatusCode, Json<PaymentDto>)> {
    let input = PaymentInput {
        provider_id: b.provider_id,
        payer_id: b.payer_id,
        method_id: Some(b.method_id),
        amount: Some(b.amount),
        currency: b.currency,
        comment: None,
    };
    let v = app.add_funds(&who, input).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

pub async fn my_expenses(
    Extension(app): AppExt,
    Caller(who): Caller,
    ApiQuery(q): ApiQuery<ExpenseQuery>,
) -> ApiResult<Json<ExpensePageDto>> {
    expenses_of(&app, &who, None, q).await
}

#[rustfmt::skip]
pub(super) fn routes(g: crate::Guarded) -> crate::Guarded {
    use crate::openapi::Doc;
    use axum::http::Method as M;
    const PDF: &[&str] = &["application/pdf"];
    g.op(M::GET, "/api/v1/clients/{id}/accounts", f::PERSONAL_ACCOUNT_VIEW,
        Doc::new("finance", "The client's personal accounts, active first").returns::<AccountList>(200), client_accounts)
    .op(M::POST, "/api/v1/clients/{id}/accounts", f::PERSONAL_ACCOUNT_CREATE,
        Doc::new("finance", "Add a personal account with a connected provider").body::<NewAccountBody>().returns::<AccountDto>(201)
            .conflict("The client has an active account with the provider (`account_exists`), or is not connected to it (`provider_not_connected`)"), create_account)
    .op(M::GET, "/api/v1/accounts/{id}", f::PERSONAL_ACCOUNT_VIEW,
        Doc::new("finance", "A personal account: balance, credit, grace, blocking").returns::<AccountDto>(200), account)
    .op(M::PATCH, "/api/v1/accounts/{id}", f::PERSONAL_ACCOUNT_EDIT,
        Doc::new("finance", "Edit an account's credit, grace, referrer, support calls and state").body::<AccountPatchBody>().returns::<AccountDto>(200)
            .conflict("Switching on an account while another is active with the provider (`account_exists`)"), edit_account)
    .op(M::GET, "/api/v1/accounts/{id}/ledger", f::PERSONAL_ACCOUNT_VIEW,
        Doc::new("finance", "The account's ledger, newest entry first").query::<PageQuery>().returns::<LedgerPage>(200), ledger)
    .op(M::GET, "/api/v1/accounts/{id}/history", f::PERSONAL_ACCOUNT_HISTORY,
        Doc::new("finance", "The account's history: switching, credit and grace changes").query::<PageQuery>().returns::<HistoryPage>(200), account_history)
    .op(M::GET, "/api/v1/accounts/{id}/withdrawals", f::PERSONAL_ACCOUNT_VIEW,
        Doc::new("finance", "Money paid out of the account").returns::<WithdrawalList>(200), withdrawals)
    .op(M::POST, "/api/v1/accounts/{id}/withdrawals", f::WITHDRAWAL_CREATE,
        Doc::new("finance", "Pay money out of the account to the client or the referrer").idempotent().body::<WithdrawalBody>().returns::<WithdrawalDto>(201)
            .conflict("More than the payments have left (`exceeds_available`), or the account is off (`account_inactive`)"), withdraw)
    .op(M::GET, "/api/v1/payments", f::PAYMENT_LIST,
        Doc::new("finance", "Payments, newest first, with sums per currency").query::<PaymentQuery>().returns::<PaymentPageDto>(200)
            .invalid("A filter value is refused (`invalid_filter`, `unknown_client`)"), payments)
    .op(M::POST, "/api/v1/payments", f::PAYMENT_CREATE,
        Doc::new("finance", "Issue an invoice: a New payment").body::<NewPaymentBody>().returns::<PaymentDto>(201)
            .conflict("The client is not connected to the provider (`provider_not_connected`)"), create_payment)
    .op(M::GET, "/api/v1/payments/{id}", f::PAYMENT_LIST,
        Doc::new("finance", "A payment with its invoice details").returns::<PaymentDto>(200), payment)
    .op(M::PATCH, "/api/v1/payments/{id}", f::PAYMENT_EDIT,
        Doc::new("finance", "Edit a New payment").body::<PaymentPatchBody>().returns::<PaymentDto>(200)
            .conflict("The payment is not New (`payment_not_new`)"), edit_payment)
    .op(M::DELETE, "/api/v1/payments/{id}", f::PAYMENT_DELETE,
        Doc::new("finance", "Delete a New payment").no_content()
            .conflict("The payment is not New (`payment_not_new`)"), delete_payment)
    .op(M::POST, "/api/v1/payments/{id}/credit", f::PAYMENT_CREDIT,
        Doc::new("finance", "Credit a New payment to the account; it then covers unpaid expenses oldest first").idempotent().returns::<PaymentDto>(200)
            .conflict("The payment is not New (`payment_not_new`), or the account is off (`account_inactive`)"), credit_payment)
    .op(M::POST, "/api/v1/payments/{id}/refund", f::PAYMENT_REFUND,
        Doc::new("finance", "Refund the unallocated part of a Paid payment (all of it: Refunded; part: a negative payment)").idempotent().body::<RefundBody>().returns::<RefundDto>(200)
            .conflict("The payment is not Paid (`payment_not_paid`), or the amount is more than is refundable (`exceeds_available`)"), refund_payment)
    .op(M::POST, "/api/v1/payments/{id}/send", f::PAYMENT_SEND,
        Doc::new("finance", "E-mail the invoice with its PDF attached (queued in the outbox)").returns::<SentDto>(202), send_invoice)
    .op(M::GET, "/api/v1/payments/{id}/pdf", f::PAYMENT_PRINT,
        Doc::new("finance", "The invoice as a PDF, in the client's language").returns_raw(200, PDF, "The invoice"), payment_pdf)
    .op(M::GET, "/api/v1/payments/{id}/allocations", f::PAYMENT_LIST,
        Doc::new("finance", "Where the payment's money went: expenses, withdrawals, refunds").returns::<AllocationList>(200), payment_allocations)
    .op(M::GET, "/api/v1/payments/{id}/history", f::PAYMENT_LIST,
        Doc::new("finance", "The payment's history").query::<PageQuery>().returns::<HistoryPage>(200), payment_history)
    .op(M::GET, "/api/v1/expenses", f::EXPENSE_LIST,
        Doc::new("finance", "Expenses, newest first, with sums per currency").query::<ExpenseQuery>().returns::<ExpensePageDto>(200)
            .invalid("A filter value is refused (`invalid_filter`, `unknown_client`)"), expenses)
    .op(M::POST, "/api/v1/expenses", f::EXPENSE_CREATE,
        Doc::new("finance", "Charge a client: covered from the balance first").body::<NewExpenseBody>().returns::<ExpenseDto>(201)
            .conflict("Beyond the account's credit (`insufficient_funds`), or the account is off (`account_inactive`)"), create_expense)
    .op(M::GET, "/api/v1/expenses/{id}", f::EXPENSE_LIST,
        Doc::new("finance", "An expense with the payments that covered it").returns::<ExpenseDto>(200), expense)
    .op(M::PATCH, "/api/v1/expenses/{id}", f::EXPENSE_EDIT,
        Doc::new("finance", "Edit an expense; a lower amount returns the difference to the balance").body::<ExpensePatchBody>().returns::<ExpenseDto>(200)
            .conflict("A higher amount beyond the account's credit (`insufficient_funds`)"), edit_expense)
    .op(M::DELETE, "/api/v1/expenses/{id}", f::EXPENSE_DELETE,
        Doc::new("finance", "Delete the account's newest expense; its amount returns to the balance").no_content()
            .conflict("A later expense exists (`expense_not_newest`)"), delete_expense)
    .op(M::GET, "/api/v1/payment-methods", f::PAYMENT_METHOD_LIST,
        Doc::new("finance", "Payment methods").query::<MethodQuery>().returns::<PaymentMethodList>(200), methods)
    .op(M::POST, "/api/v1/payment-methods", f::PAYMENT_METHOD_EDIT,
        Doc::new("finance", "Add a payment method to a provider").body::<NewMethodBody>().returns::<PaymentMethodDto>(201)
            .conflict("The provider has a method with this name (`name_taken`)"), create_method)
    .op(M::PATCH, "/api/v1/payment-methods/{id}", f::PAYMENT_METHOD_EDIT,
        Doc::new("finance", "Edit a payment method").body::<MethodPatchBody>().returns::<PaymentMethodDto>(200)
            .conflict("The provider has a method with this name (`name_taken`)"), edit_method)
    .op(M::DELETE, "/api/v1/payment-methods/{id}", f::PAYMENT_METHOD_EDIT,
        Doc::new("finance", "Delete a payment method no payment used").no_content()
            .conflict("Payments used it: switch it off instead (`conflict`)"), delete_method)
    .op(M::GET, "/api/v1/account/accounts", f::ACCOUNT_FINANCES,
        Doc::new("client area", "Own personal accounts: balance, credit, blocked").returns::<AccountList>(200), my_accounts)
    .op(M::GET, "/api/v1/account/payments", f::ACCOUNT_FINANCES,
        Doc::new("client area", "Own payments, newest first").query::<PaymentQuery>().returns::<PaymentPageDto>(200)
            .invalid("A filter value is refused (`invalid_filter`)"), my_payments)
    .op(M::POST, "/api/v1/account/payments", f::ACCOUNT_FINANCES,
        Doc::new("client area", "Add funds: a New payment with its invoice").body::<AddFundsBody>().returns::<PaymentDto>(201), add_funds)
    .op(M::GET, "/api/v1/account/payments/{id}/pdf", f::ACCOUNT_FINANCES,
        Doc::new("client area", "An own invoice as a PDF").returns_raw(200, PDF, "The invoice"), payment_pdf)
    .op(M::GET, "/api/v1/account/expenses", f::ACCOUNT_FINANCES,
        Doc::new("client area", "Own expenses, newest first").query::<ExpenseQuery>().returns::<ExpensePageDto>(200)
            .invalid("A filter value is refused (`invalid_filter`)"), my_expenses)
    .op(M::GET, "/api/v1/account/payment-methods", f::ACCOUNT_FINANCES,
        Doc::new("client area", "The payment methods open to the client").query::<MethodQuery>().returns::<PaymentMethodList>(200), methods)
}
