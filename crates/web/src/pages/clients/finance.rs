//! Finance pages (seed 004 "Accounts", "Payments", "Expenses", "Refund"): the client card's
//! Accounts, Payments and Expenses tabs with their actions, the staff's global Payments and
//! Expenses lists, payment methods, the printable invoice and its PDF; and the client area's
//! own accounts, payments (with "add funds") and expenses.
//!
//! Payments and expenses have one list for every place they show (a card's tab, the global
//! list, the client area): [`Where`] says which, the use case filters and authorises.

use super::card::{ConfirmPage, HistoryPage};
use super::scope::Scope;
use super::view::{Cell, Field, FormView, Head, Link, Opt, Shown, Table, refusal, yes_no};
use super::{Done, FormPage};
use crate::Routes;
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render::{self, see_other};
use crate::url::with_query;
use crate::view::{HistoryTable, Pager, page_link, pager, when};
use askama::Template;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bursar_app::money::accounts::{AccountInput, AccountView};
use bursar_app::money::expenses::{ExpenseInput, ExpenseView};
use bursar_app::money::filters::MoneyFilterParams;
use bursar_app::money::methods::MethodInput;
use bursar_app::money::payments::{PaymentInput, PaymentView};
use bursar_app::money::withdrawals::WithdrawalInput;
use bursar_app::ports::{CurrencySum, MethodKind, Page, PaymentMethodRecord};
use bursar_app::{AppError, Principal};
use bursar_domain::accounts::{CreditMode, Grace};
use bursar_domain::functions::f;
use bursar_domain::money::format_minor;
use bursar_domain::payments::PaymentStatus;
use bursar_domain::{AccountId, ExpenseId, Locale, PaymentId, PaymentMethodId};

const PER_PAGE: u32 = 50;

pub(crate) fn routes(r: Routes) -> Routes {
    r.get(
        "/admin/clients/{id}/accounts",
        f::PERSONAL_ACCOUNT_VIEW,
        accounts,
    )
    .get(
        "/admin/clients/{id}/accounts/new",
        f::PERSONAL_ACCOUNT_CREATE,
        account_new,
    )
    .post(
        "/admin/clients/{id}/accounts/new",
        f::PERSONAL_ACCOUNT_CREATE,
        account_create,
    )
    .get(
        "/admin/clients/{id}/accounts/{acc}",
        f::PERSONAL_ACCOUNT_EDIT,
        account_edit,
    )
    .post(
        "/admin/clients/{id}/accounts/{acc}",
        f::PERSONAL_ACCOUNT_EDIT,
        account_save,
    )
    .get(
        "/admin/clients/{id}/accounts/{acc}/ledger",
        f::PERSONAL_ACCOUNT_VIEW,
        account_ledger,
    )
    .get(
        "/admin/clients/{id}/accounts/{acc}/history",
        f::PERSONAL_ACCOUNT_HISTORY,
        account_history,
    )
    .get(
        "/admin/clients/{id}/accounts/{acc}/withdraw",
        f::WITHDRAWAL_CREATE,
        withdraw_show,
    )
    .post(
        "/admin/clients/{id}/accounts/{acc}/withdraw",
        f::WITHDRAWAL_CREATE,
        withdraw_save,
    )
    .get(
        "/admin/clients/{id}/payments",
        f::PAYMENT_LIST,
        staff_payments,
    )
    .get(
        "/admin/clients/{id}/payments/new",
        f::PAYMENT_CREATE,
        payment_new,
    )
    .post(
        "/admin/clients/{id}/payments/new",
        f::PAYMENT_CREATE,
        payment_create,
    )
    .get(
        "/admin/clients/{id}/payments/{p}",
        f::PAYMENT_EDIT,
        payment_edit,
    )
    .post(
        "/admin/clients/{id}/payments/{p}",
        f::PAYMENT_EDIT,
        payment_save,
    )
    .get(
        "/admin/clients/{id}/payments/{p}/delete",
        f::PAYMENT_DELETE,
        payment_delete_show,
    )
    .post(
        "/admin/clients/{id}/payments/{p}/delete",
        f::PAYMENT_DELETE,
        payment_delete,
    )
    .post(
        "/admin/clients/{id}/payments/{p}/send",
        f::PAYMENT_SEND,
        payment_send,
    )
    .post(
        "/admin/clients/{id}/payments/{p}/credit",
        f::PAYMENT_CREDIT,
        payment_credit,
    )
    .get(
        "/admin/clients/{id}/payments/{p}/refund",
        f::PAYMENT_REFUND,
        refund_show,
    )
    .post(
        "/admin/clients/{id}/payments/{p}/refund",
        f::PAYMENT_REFUND,
        refund_save,
    )
    .get(
        "/admin/clients/{id}/payments/{p}/allocations",
        f::PAYMENT_LIST,
        payment_allocations,
    )
    .get(
        "/admin/clients/{id}/payments/{p}/history",
        f::PAYMENT_LIST,
        payment_history,
    )
    .get("/admin/payments/{p}/print", f::PAYMENT_PRINT, staff_print)
    .get("/admin/payments/{p}/pdf", f::PAYMENT_PRINT, staff_pdf)
    .get(
        "/admin/clients/{id}/expenses",
        f::EXPENSE_LIST,
        staff_expenses,
    )
    .get(
        "/admin/clients/{id}/expenses/new",
        f::EXPENSE_CREATE,
        expense_new,
    )
    .post(
        "/admin/clients/{id}/expenses/new",
        f::EXPENSE_CREATE,
        expense_create,
    )
    .get(
        "/admin/clients/{id}/expenses/{e}",
        f::EXPENSE_EDIT,
        expense_edit,
    )
    .post(
        "/admin/clients/{id}/expenses/{e}",
        f::EXPENSE_EDIT,
        expense_save,
    )
    .get(
        "/admin/clients/{id}/expenses/{e}/delete",
        f::EXPENSE_DELETE,
        expense_delete_show,
    )
    .post(
        "/admin/clients/{id}/expenses/{e}/delete",
        f::EXPENSE_DELETE,
        expense_delete,
    )
    .get("/admin/payments", f::PAYMENT_LIST, all_payments)
    .get("/admin/expenses", f::EXPENSE_LIST, all_expenses)
    .get("/admin/payment-methods", f::PAYMENT_METHOD_LIST, methods)
    .get(
        "/admin/payment-methods/new",
        f::PAYMENT_METHOD_EDIT,
        method_new,
    )
    .post(
        "/admin/payment-methods/new",
        f::PAYMENT_METHOD_EDIT,
        method_create,
    )
    .get(
        "/admin/payment-methods/{m}",
        f::PAYMENT_METHOD_EDIT,
        method_edit,
    )
    .post(
        "/admin/payment-methods/{m}",
        f::PAYMENT_METHOD_EDIT,
        method_save,
    )
    .post(
        "/admin/payment-methods/{m}/delete",
        f::PAYMENT_METHOD_EDIT,
        method_delete,
    )
    .get("/client/payments", f::ACCOUNT_FINANCES, own_payments)
    .get("/client/payments/new", f::ACCOUNT_FINANCES, add_funds_show)
    .post("/client/payments/new", f::ACCOUNT_FINANCES, add_funds)
    .get("/client/payments/{p}/print", f::ACCOUNT_FINANCES, own_print)
    .get("/client/payments/{p}/pdf", f::ACCOUNT_FINANCES, own_pdf)
    .get("/client/expenses", f::ACCOUNT_FINANCES, own_expenses)
}

/// A list of payments or expenses with its filters, sums and pager.
#[derive(Template)]
#[template(path = "clients/money_list.html")]
pub(super) struct MoneyList {
    pub ui: Ui,
    pub head: Head,
    pub title: String,
    pub adds: Vec<Link>,
    pub intro: Option<String>,
    pub filters: Option<Filters>,
    pub sums: Vec<String>,
    pub table: Table,
    pub pager: Option<Pager>,
    /// Further titled tables below (a payment's breakdown, the client's accounts).
    pub extras: Vec<(String, Table)>,
}

pub struct Filters {
    pub action: String,
    pub statuses: Vec<Opt>,
    pub unpaid_filter: bool,
    pub unpaid: bool,
    pub from: String,
    pub to: String,
    pub from_error: bool,
    pub to_error: bool,
}

#[derive(Template)]
#[template(path = "clients/invoice.html")]
pub struct InvoicePage {
    pub ui: Ui,
    pub back: String,
    pub pdf: String,
    pub number: String,
    pub status: String,
    pub issued_on: String,
    pub paid_on: Option<String>,
    pub method: String,
    pub seller: Vec<String>,
    pub payer: Vec<String>,
    pub lines: Vec<(String, String)>,
    /// Tax lines by rule name and rate: (label, amount).
    pub taxes: Vec<(String, String)>,
    pub tax_total: String,
    pub total: String,
    pub instructions: Vec<String>,
    pub comment: String,
}

fn sums_text(sums: &[(CurrencySum, u16)]) -> Vec<String> {
    sums.iter()
        .map(|(s, places)| {
            format!(
                "{} {} ({})",
                format_minor(s.amount_minor, *places),
                s.currency_code,
                s.count
            )
        })
        .collect()
}

fn status_label(ctx: &Ctx, s: PaymentStatus) -> String {
    ctx.tr.t(&format!("payment-status-{}", s.key()))
}

fn method_name(m: &PaymentMethodRecord, locale: Locale) -> String {
    match locale {
        Locale::En => m.name_en.clone(),
        Locale::Ru => m.name_ru.clone(),
    }
}

fn not_found(ctx: &Ctx, what: &'static str) -> Response {
    error::fail(ctx, AppError::NotFound { what })
}

// ---- Accounts ----

fn account_cells(ctx: &Ctx, v: &AccountView) -> Vec<Cell> {
    let tr = ctx.tr;
    let a = &v.account;
    let money = |m: i64| format!("{} {}", v.amount(m), a.currency_code);
    let credit = match a.credit {
        CreditMode::Prepaid => tr.t("account-credit-prepaid"),
        CreditMode::Postpaid => tr.t("account-credit-postpaid"),
        CreditMode::CreditLimit { limit_minor } => {
            tr.t1("account-credit-limit", "limit", money(limit_minor))
        }
    };
    let grace = match a.grace {
        Grace::Unlimited => tr.t("account-grace-unlimited"),
        Grace::FromDuePayment {
            respite_days,
            block_in_days,
        } => tr.ta(
            "account-grace-from-due",
            &[
                ("respite", respite_days.into()),
                ("block", block_in_days.into()),
            ],
        ),
    };
    let mut state = Cell::status(
        tr.t(if a.is_active {
            "account-on"
        } else {
            "account-off"
        }),
        a.is_active,
    );
    if let Some(b) = &v.blocked {
        state.tags.push(tr.t("account-blocked"));
        state.sub = Some(tr.ta(
            "account-blocked-why",
            &[
                ("debt", money(b.debt_minor).into()),
                ("since", when(b.due_since).into()),
                ("blocked", when(b.blocked_since).into()),
            ],
        ));
    }
    vec![
        Cell::text(v.provider.clone()),
        Cell::code(money(a.balance_minor)),
        Cell::text(credit),
        Cell::text(grace),
        state,
    ]
}

fn accounts_table(ctx: &Ctx, who: &Principal, base: Option<&str>, list: &[AccountView]) -> Table {
    let tr = ctx.tr;
    let mut table = Table::new(
        tr,
        &[
            "provider-col-name",
            "account-col-balance",
            "account-col-credit",
            "account-col-grace",
            "account-col-state",
        ],
        "account-empty",
    );
    for v in list {
        let mut actions = Vec::new();
        if let Some(base) = base {
            let href = format!("{base}/accounts/{}", v.account.id);
            if who.may(f::PERSONAL_ACCOUNT_EDIT) {
                actions.push(Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"));
            }
            if who.may(f::PERSONAL_ACCOUNT_VIEW) {
                actions.push(Link::get(
                    format!("{href}/ledger"),
                    tr.t("account-ledger"),
                    "btn-secondary",
                ));
            }
            if who.may(f::PERSONAL_ACCOUNT_HISTORY) {
                actions.push(Link::get(
                    format!("{href}/history"),
                    tr.t("account-history"),
                    "btn-secondary",
                ));
            }
            if who.may(f::WITHDRAWAL_CREATE) && v.account.is_active {
                actions.push(Link::get(
                    format!("{href}/withdraw"),
                    tr.t("account-withdraw"),
                    "btn-secondary",
                ));
            }
        }
        table.row(account_cells(ctx, v), actions);
    }
    table
}

/// `GET /admin/clients/{id}/accounts`.
async fn accounts(Signed { ctx, who }: Signed, Path(id): Path<String>, params: Params) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let list = match ctx.app.client_accounts(&who, scope.client).await {
        Ok(l) => l,
        Err(e) => return error::fail(&ctx, e),
    };
    let tr = ctx.tr;
    let mut adds = Vec::new();
    if who.may(f::PERSONAL_ACCOUNT_CREATE) {
        adds.push(Link::get(
            format!("{}/accounts/new", scope.base),
            tr.t("account-add"),
            "btn-primary",
        ));
    }
    let page = MoneyList {
        ui: Done::flash(Ui::new(&ctx, "card-title"), &params),
        head: scope.head(&ctx, &who, "/accounts", "card-title", "card-title"),
        title: tr.t("card-accounts-title"),
        adds,
        intro: Some(tr.t("account-intro")),
        filters: None,
        sums: Vec::new(),
        table: accounts_table(&ctx, &who, Some(&scope.base), &list),
        pager: None,
        extras: Vec::new(),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

fn account_form(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    account: Option<&AccountView>,
    shown: Shown,
) -> Response {
    let tr = ctx.tr;
    let a = account.map(|v| &v.account);
    let mut fields = Vec::new();
    match account {
        None => {
            let providers: Vec<Opt> = scope
                .card
                .as_ref()
                .map(|c| {
                    c.providers
                        .iter()
                        .map(|p| {
                            let chosen =
                                shown.value("provider_id", String::new()) == p.id.to_string();
                            Opt::new(
                                p.id.to_string(),
                                format!("{} ({})", p.name, p.currency_code),
                                chosen,
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            fields.push(
                Field::select("provider_id", tr.t("account-field-provider"), providers)
                    .required()
                    .hint(tr.t("account-provider-hint")),
            );
        }
        Some(v) => fields.push(Field::fixed(
            "provider",
            tr.t("account-field-provider"),
            format!("{} ({})", v.provider, v.account.currency_code),
        )),
    }
    let limit = a.map_or_else(
        || "0".to_owned(),
        |a| format_minor(a.credit.limit_minor(), account.map_or(2, |v| v.minor_units)),
    );
    let grace = shown.value("grace", a.map_or("unlimited", |a| a.grace.key()));
    let (respite, block) = match a.map(|a| a.grace) {
        Some(Grace::FromDuePayment {
            respite_days,
            block_in_days,
        }) => (respite_days, block_in_days),
        _ => (0, 0),
    };
    fields.push(
        Field::checkbox(
            "postpaid",
            tr.t("account-field-postpaid"),
            shown.checked("postpaid", a.is_some_and(|a| a.credit.is_postpaid())),
        )
        .hint(tr.t("account-postpaid-hint")),
    );
    fields.push(
        Field::text(
            "credit_limit",
            tr.t("account-field-limit"),
            &shown.value("credit_limit", limit),
        )
        .hint(tr.t("account-limit-hint"))
        .max(20),
    );
    fields.push(Field::select(
        "grace",
        tr.t("account-field-grace"),
        vec![
            Opt::new(
                "unlimited",
                tr.t("account-grace-unlimited"),
                grace == "unlimited",
            ),
            Opt::new(
                "from_due_payment",
                tr.t("account-grace-from-due-option"),
                grace == "from_due_payment",
            ),
        ],
    ));
    fields.push(Field::input(
        "respite_days",
        "number",
        tr.t("account-field-respite"),
        &shown.value("respite_days", respite.to_string()),
    ));
    fields.push(
        Field::input(
            "block_in_days",
            "number",
            tr.t("account-field-block"),
            &shown.value("block_in_days", block.to_string()),
        )
        .hint(tr.t("account-block-hint")),
    );
    let referrer = account
        .and_then(|v| v.referrer.as_ref())
        .map(|(n, _)| n.to_string())
        .unwrap_or_default();
    fields.push(
        Field::text(
            "referrer",
            tr.t("account-field-referrer"),
            &shown.value("referrer", referrer),
        )
        .hint(tr.t("account-referrer-hint"))
        .max(40),
    );
    if account.is_some() {
        fields.push(Field::input(
            "free_support_calls",
            "number",
            tr.t("account-field-support"),
            &shown.value(
                "free_support_calls",
                a.map_or(0, |a| a.free_support_calls).to_string(),
            ),
        ));
    }
    fields.push(Field::checkbox(
        "is_active",
        tr.t("account-field-active"),
        shown.checked("is_active", a.is_none_or(|a| a.is_active)),
    ));
    let base = format!("{}/accounts", scope.base);
    let (title, action, submit) = match account {
        None => (
            tr.t("account-new-title"),
            format!("{base}/new"),
            tr.t("account-create"),
        ),
        Some(v) => (
            tr.t1("account-edit-title", "provider", v.provider.as_str()),
            format!("{base}/{}", v.account.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel(base)
        .error(shown.message.clone())
        .section(None, fields, &shown.errors);
    let page = FormPage {
        ui: Ui::new(ctx, "card-title"),
        head: scope.head(ctx, who, "/accounts", "card-title", "card-title"),
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

fn account_input(form: &Fields, create: bool) -> AccountInput {
    let text = |n: &str| Some(form.get(n).to_owned());
    let number = |n: &str| {
        form.get(n)
            .trim()
            .parse::<i64>()
            .ok()
            .or(Some(-1))
            .filter(|_| !form.get(n).trim().is_empty())
    };
    AccountInput {
        provider_id: if create { text("provider_id") } else { None },
        postpaid: Some(!form.get("postpaid").is_empty()),
        credit_limit: text("credit_limit").filter(|v| !v.trim().is_empty()),
        grace: text("grace"),
        respite_days: number("respite_days"),
        block_in_days: number("block_in_days"),
        referrer: text("referrer"),
        free_support_calls: if create {
            None
        } else {
            number("free_support_calls")
        },
        is_active: Some(!form.get("is_active").is_empty()),
    }
}

async fn account_new(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => account_form(&ctx, &who, &scope, None, Shown::fresh()),
        Err(res) => res,
    }
}

async fn account_create(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    match ctx
        .app
        .create_account(&who, scope.client, account_input(&form, true))
        .await
    {
        Ok(_) => see_other(&Done::Created.link(&format!("{}/accounts", scope.base))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => account_form(&ctx, &who, &scope, None, Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// The account `raw` of the card's client; another client's is "not found".
async fn find_account(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    raw: &str,
) -> Result<AccountView, Response> {
    let id: AccountId = raw
        .parse()
        .map_err(|_| not_found(ctx, "personal account"))?;
    let v = ctx
        .app
        .personal_account(who, id)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    if v.account.client_id != scope.client {
        return Err(not_found(ctx, "personal account"));
    }
    Ok(v)
}

async fn account_edit(
    Signed { ctx, who }: Signed,
    Path((id, acc)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    match find_account(&ctx, &who, &scope, &acc).await {
        Ok(v) => account_form(&ctx, &who, &scope, Some(&v), Shown::fresh()),
        Err(res) => res,
    }
}

async fn account_save(
    Signed { ctx, who }: Signed,
    Path((id, acc)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_account(&ctx, &who, &scope, &acc).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match ctx
        .app
        .edit_account(&who, v.account.id, account_input(&form, false))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(&format!("{}/accounts", scope.base))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => account_form(&ctx, &who, &scope, Some(&v), Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn account_ledger(
    Signed { ctx, who }: Signed,
    Path((id, acc)): Path<(String, String)>,
    params: Params,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_account(&ctx, &who, &scope, &acc).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let page = Page::new(params.number("page"), Some(PER_PAGE));
    let (v, entries) = match ctx.app.account_ledger(&who, v.account.id, page).await {
        Ok(x) => x,
        Err(e) => return error::fail(&ctx, e),
    };
    let tr = ctx.tr;
    let money = |m: i64| format!("{} {}", v.amount(m), v.account.currency_code);
    let mut table = Table::new(
        tr,
        &[
            "ledger-col-seq",
            "ledger-col-when",
            "ledger-col-kind",
            "ledger-col-amount",
            "ledger-col-balance",
        ],
        "ledger-empty",
    );
    for e in &entries.items {
        table.row(
            vec![
                Cell::text(e.seq.to_string()),
                Cell::text(when(e.created_at)),
                Cell::text(tr.t(&format!("ledger-kind-{}", e.kind.key().replace('_', "-")))),
                Cell::code(money(e.amount_minor)),
                Cell::code(money(e.balance_after_minor)),
            ],
            Vec::new(),
        );
    }
    let withdrawals = ctx
        .app
        .withdrawals(&who, v.account.id)
        .await
        .unwrap_or_default();
    let mut wt = Table::new(
        tr,
        &[
            "ledger-col-when",
            "withdrawal-col-recipient",
            "withdrawal-col-method",
            "withdrawal-col-details",
            "ledger-col-amount",
        ],
        "withdrawal-empty",
    );
    for w in &withdrawals {
        wt.row(
            vec![
                Cell::text(when(w.created_at)),
                Cell::text(tr.t(&format!("withdrawal-recipient-{}", w.recipient))),
                Cell::text(w.method.clone()),
                Cell::text(w.details.clone()),
                Cell::code(money(w.amount_minor)),
            ],
            Vec::new(),
        );
    }
    let path = format!("{}/accounts/{}/ledger", scope.base, v.account.id);
    let page = MoneyList {
        ui: Ui::new(&ctx, "card-title"),
        head: scope.head(&ctx, &who, "/accounts", "card-title", "card-title"),
        title: tr.t1("ledger-title", "provider", v.provider.as_str()),
        adds: vec![Link::get(
            format!("{}/accounts", scope.base),
            tr.t("money-back"),
            "btn-secondary",
        )],
        intro: Some(tr.t1("ledger-intro", "balance", money(v.account.balance_minor))),
        filters: None,
        sums: Vec::new(),
        table,
        pager: pager(
            tr,
            entries.page,
            entries.per_page,
            entries.total,
            page_link(&path),
        ),
        extras: vec![(tr.t("withdrawal-title"), wt)],
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn account_history(
    Signed { ctx, who }: Signed,
    Path((id, acc)): Path<(String, String)>,
    params: Params,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_account(&ctx, &who, &scope, &acc).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let page = Page::new(params.number("page"), Some(PER_PAGE));
    let paged = match ctx.app.account_history(&who, v.account.id, page).await {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let path = format!("{}/accounts/{}/history", scope.base, v.account.id);
    let page = HistoryPage {
        ui: Ui::new(&ctx, "card-title"),
        head: scope.head(&ctx, &who, "/accounts", "card-title", "card-title"),
        results: HistoryTable::new(ctx.tr, &paged, "card-history-empty", page_link(&path)),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

fn withdraw_form(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    v: &AccountView,
    shown: Shown,
) -> Response {
    let tr = ctx.tr;
    let recipient = shown.value("recipient", "client");
    let mut options = vec![Opt::new(
        "client",
        tr.t("withdrawal-recipient-client"),
        recipient == "client",
    )];
    if v.account.referrer_id.is_some() {
        options.push(Opt::new(
            "referrer",
            tr.t("withdrawal-recipient-referrer"),
            recipient == "referrer",
        ));
    }
    let fields = vec![
        Field::fixed(
            "balance",
            tr.t("account-col-balance"),
            format!(
                "{} {}",
                v.amount(v.account.balance_minor),
                v.account.currency_code
            ),
        ),
        Field::select("recipient", tr.t("withdrawal-field-recipient"), options).required(),
        Field::text(
            "method",
            tr.t("withdrawal-field-method"),
            &shown.value("method", ""),
        )
        .required()
        .max(100)
        .hint(tr.t("withdrawal-method-hint")),
        Field::textarea(
            "details",
            tr.t("withdrawal-field-details"),
            &shown.value("details", ""),
        )
        .max(1000),
        Field::text(
            "amount",
            tr.t("money-field-amount"),
            &shown.value("amount", ""),
        )
        .required()
        .max(20),
    ];
    let base = format!("{}/accounts", scope.base);
    let view = FormView::new(
        tr,
        tr.t1("withdrawal-new-title", "provider", v.provider.as_str()),
        format!("{base}/{}/withdraw", v.account.id),
        tr.t("withdrawal-create"),
    )
    .intro(tr.t("withdrawal-intro"))
    .cancel(base)
    .error(shown.message.clone())
    .section(None, fields, &shown.errors);
    let page = FormPage {
        ui: Ui::new(ctx, "card-title"),
        head: scope.head(ctx, who, "/accounts", "card-title", "card-title"),
        form: view,
    };
    render::page(ctx, shown.status, &page)
}

async fn withdraw_show(
    Signed { ctx, who }: Signed,
    Path((id, acc)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    match find_account(&ctx, &who, &scope, &acc).await {
        Ok(v) => withdraw_form(&ctx, &who, &scope, &v, Shown::fresh()),
        Err(res) => res,
    }
}

async fn withdraw_save(
    Signed { ctx, who }: Signed,
    Path((id, acc)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_account(&ctx, &who, &scope, &acc).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let input = WithdrawalInput {
        recipient: Some(form.get("recipient").to_owned()),
        method: Some(form.get("method").to_owned()),
        details: Some(form.get("details").to_owned()),
        amount: Some(form.get("amount").to_owned()),
    };
    match ctx.app.withdraw(&who, v.account.id, input, None).await {
        Ok(_) => see_other(
            &Done::Saved.link(&format!("{}/accounts/{}/ledger", scope.base, v.account.id)),
        ),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => withdraw_form(&ctx, &who, &scope, &v, Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

// ---- Payments ----

/// Where a list of payments or expenses shows.
enum Where {
    /// A client card's tab (staff).
    Card(Box<Scope>),
    /// The staff's list of every client's.
    All,
    /// The client area.
    Own,
}

impl Where {
    fn path(&self, what: &str) -> String {
        match self {
            Where::Card(s) => format!("{}/{what}", s.base),
            Where::All => format!("/admin/{what}"),
            Where::Own => format!("/client/{what}"),
        }
    }
}

fn filters(
    ctx: &Ctx,
    action: String,
    params: &Params,
    statuses: bool,
    unpaid: bool,
    errors: &[String],
) -> Filters {
    let tr = ctx.tr;
    let status = params.get("status");
    let mut opts = Vec::new();
    if statuses {
        opts.push(Opt::new("", tr.t("money-filter-any"), status.is_empty()));
        for s in PaymentStatus::ALL {
            opts.push(Opt::new(s.key(), status_label(ctx, s), status == s.key()));
        }
    }
    Filters {
        action,
        statuses: opts,
        unpaid_filter: unpaid,
        unpaid: params.flag("unpaid"),
        from: params.get("from").to_owned(),
        to: params.get("to").to_owned(),
        from_error: errors.iter().any(|e| e == "from"),
        to_error: errors.iter().any(|e| e == "to"),
    }
}

fn filter_link(path: &str, params: &Params) -> impl Fn(u32) -> String {
    let keep: Vec<(String, String)> = ["status", "from", "to", "unpaid"]
        .iter()
        .map(|k| ((*k).to_owned(), params.get(k).to_owned()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let path = path.to_owned();
    move |n| {
        let mut q: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = n.to_string();
        q.push(("page", &page));
        with_query(&path, &q)
    }
}

fn payment_actions(
    ctx: &Ctx,
    who: &Principal,
    base: &str,
    v: &PaymentView,
    own: bool,
) -> Vec<Link> {
    let tr = ctx.tr;
    let p = &v.payment;
    let href = format!("{base}/{}", p.id);
    let mut actions = Vec::new();
    if own {
        actions.push(Link::get(
            format!("/client/payments/{}/print", p.id),
            tr.t("money-print"),
            "btn-secondary",
        ));
        actions.push(Link::get(
            format!("/client/payments/{}/pdf", p.id),
            tr.t("money-pdf"),
            "btn-secondary",
        ));
        return actions;
    }
    if p.status == PaymentStatus::New && p.amount_minor > 0 {
        if who.may(f::PAYMENT_CREDIT) {
            actions.push(Link::post(
                format!("{href}/credit"),
                tr.t("payment-credit"),
                "btn-primary",
            ));
        }
        if who.may(f::PAYMENT_EDIT) {
            actions.push(Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"));
        }
        if who.may(f::PAYMENT_DELETE) {
            actions.push(Link::get(
                format!("{href}/delete"),
                tr.t("cl-delete"),
                "btn-danger",
            ));
        }
    }
    if v.refundable_minor() > 0 && who.may(f::PAYMENT_REFUND) {
        actions.push(Link::get(
            format!("{href}/refund"),
            tr.t("payment-refund"),
            "btn-secondary",
        ));
    }
    if who.may(f::PAYMENT_SEND) {
        actions.push(Link::post(
            format!("{href}/send"),
            tr.t("payment-send"),
            "btn-secondary",
        ));
    }
    if who.may(f::PAYMENT_PRINT) {
        actions.push(Link::get(
            format!("/admin/payments/{}/print", p.id),
            tr.t("money-print"),
            "btn-secondary",
        ));
        actions.push(Link::get(
            format!("/admin/payments/{}/pdf", p.id),
            tr.t("money-pdf"),
            "btn-secondary",
        ));
    }
    if p.status != PaymentStatus::New {
        actions.push(Link::get(
            format!("{href}/allocations"),
            tr.t("payment-breakdown"),
            "btn-secondary",
        ));
    }
    actions.push(Link::get(
        format!("{href}/history"),
        tr.t("account-history"),
        "btn-secondary",
    ));
    actions
}

async fn payments_page(ctx: Ctx, who: Principal, place: Where, params: Params) -> Response {
    let tr = ctx.tr;
    let client = match &place {
        Where::Card(s) => Some(s.client),
        _ => None,
    };
    let raw = MoneyFilterParams {
        status: Some(params.get("status")),
        from: Some(params.get("from")),
        to: Some(params.get("to")),
        unpaid: None,
    };
    let path = place.path("payments");
    let (filter, errors, status) = match raw.payments(client, None) {
        Ok(f) => (f, Vec::new(), StatusCode::OK),
        Err(invalid) => (
            bursar_app::ports::PaymentFilter {
                client,
                ..Default::default()
            },
            invalid.0.iter().map(|e| e.field.clone()).collect(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let page = Page::new(params.number("page"), Some(PER_PAGE));
    let list = match ctx.app.list_payments(&who, filter, page).await {
        Ok(l) => l,
        Err(e) => return error::fail(&ctx, e),
    };
    let own = matches!(place, Where::Own);
    let mut columns = vec!["payment-col-number", "payment-col-date"];
    if matches!(place, Where::All) {
        columns.push("payment-col-client");
    }
    columns.extend([
        "payment-col-method",
        "payment-col-amount",
        "payment-col-status",
    ]);
    let mut table = Table::new(tr, &columns, "payment-empty");
    for v in &list.page.items {
        let p = &v.payment;
        let base = match &place {
            Where::Card(s) => format!("{}/payments", s.base),
            _ => format!("/admin/clients/{}/payments", p.client_id),
        };
        let mut cells = vec![
            Cell::code(p.number.clone()).sub((!p.comment.is_empty()).then(|| p.comment.clone())),
            Cell::text(when(p.created_at)),
        ];
        if matches!(place, Where::All) {
            cells.push(Cell::link(
                format!("#{} {}", v.client_number, v.client_name),
                format!("/admin/clients/{}", p.client_id),
            ));
        }
        cells.push(Cell::text(
            v.method
                .as_ref()
                .map(|m| method_name(m, tr.locale()))
                .unwrap_or_default(),
        ));
        cells.push(Cell::code(format!(
            "{} {}",
            v.amount(p.amount_minor),
            p.currency_code
        )));
        cells.push(Cell::status(
            status_label(&ctx, p.status),
            p.status == PaymentStatus::Paid,
        ));
        table.row(cells, payment_actions(&ctx, &who, &base, v, own));
    }
    let mut adds = Vec::new();
    let mut extras = Vec::new();
    let head = match &place {
        Where::Card(s) => {
            if who.may(f::PAYMENT_CREATE) {
                adds.push(Link::get(
                    format!("{}/payments/new", s.base),
                    tr.t("payment-add"),
                    "btn-primary",
                ));
            }
            s.head(&ctx, &who, "/payments", "card-title", "card-title")
        }
        Where::All => Head::plain(tr.t("payment-title")).lead(tr.t("payment-lead")),
        Where::Own => {
            adds.push(Link::get(
                "/client/payments/new".to_owned(),
                tr.t("payment-add-funds"),
                "btn-primary",
            ));
            adds.push(Link::get(
                "/client/expenses".to_owned(),
                tr.t("expense-title"),
                "btn-secondary",
            ));
            if let Some(c) = who.user.client_id
                && let Ok(accounts) = ctx.app.client_accounts(&who, c).await
            {
                extras.push((
                    tr.t("card-accounts-title"),
                    accounts_table(&ctx, &who, None, &accounts),
                ));
            }
            Head::plain(tr.t("finance-own-title")).lead(tr.t("finance-own-lead"))
        }
    };
    let page = MoneyList {
        ui: Done::flash(Ui::new(&ctx, "payment-title"), &params),
        head,
        title: tr.t("payment-title"),
        adds,
        intro: None,
        filters: Some(filters(&ctx, path.clone(), &params, true, false, &errors)),
        sums: sums_text(&list.sums),
        table,
        pager: pager(
            tr,
            list.page.page,
            list.page.per_page,
            list.page.total,
            filter_link(&path, &params),
        ),
        extras,
    };
    render::page(&ctx, status, &page)
}

async fn staff_payments(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => payments_page(ctx, who, Where::Card(Box::new(scope)), params).await,
        Err(res) => res,
    }
}

async fn all_payments(Signed { ctx, who }: Signed, params: Params) -> Response {
    payments_page(ctx, who, Where::All, params).await
}

async fn own_payments(Signed { ctx, who }: Signed, params: Params) -> Response {
    payments_page(ctx, who, Where::Own, params).await
}

/// The method and payer choices of a payment form.
async fn payment_choices(
    ctx: &Ctx,
    who: &Principal,
    client: bursar_domain::ClientId,
    shown: &Shown<'_>,
    current: Option<&PaymentView>,
) -> (Vec<Opt>, Vec<Opt>) {
    let tr = ctx.tr;
    let methods = ctx.app.payment_methods(who, None).await.unwrap_or_default();
    let method = shown.value(
        "method_id",
        current
            .and_then(|v| v.payment.method_id)
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let mut m_opts = vec![Opt::new(
        "",
        tr.t("payment-choose-method"),
        method.is_empty(),
    )];
    m_opts.extend(methods.iter().filter(|m| m.is_active).map(|m| {
        Opt::new(
            m.id.to_string(),
            method_name(m, tr.locale()),
            m.id.to_string() == method,
        )
    }));
    let payers = ctx.app.list_payers(who, client).await.unwrap_or_default();
    let payer = shown.value(
        "payer_id",
        current
            .and_then(|v| v.payment.payer_id)
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    let mut p_opts = vec![Opt::new(
        "",
        tr.t("payment-default-payer"),
        payer.is_empty(),
    )];
    p_opts.extend(
        payers
            .iter()
            .map(|p| Opt::new(p.id.to_string(), p.name.clone(), p.id.to_string() == payer)),
    );
    (m_opts, p_opts)
}

async fn payment_form(
    ctx: &Ctx,
    who: &Principal,
    place: &Where,
    client: bursar_domain::ClientId,
    current: Option<&PaymentView>,
    shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let (methods, payers) = payment_choices(ctx, who, client, &shown, current).await;
    let mut fields = Vec::new();
    if current.is_none() {
        let providers: Vec<Opt> = match place {
            Where::Card(s) => s
                .card
                .as_ref()
                .map(|c| {
                    c.providers
                        .iter()
                        .map(|p| {
                            (
                                p.id.to_string(),
                                format!("{} ({})", p.name, p.currency_code),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            _ => ctx
                .app
                .client_accounts(who, client)
                .await
                .unwrap_or_default()
                .iter()
                .filter(|a| a.account.is_active)
                .map(|a| {
                    (
                        a.account.provider_id.to_string(),
                        format!("{} ({})", a.provider, a.account.currency_code),
                    )
                })
                .collect::<Vec<_>>(),
        }
        .into_iter()
        .map(|(id, label)| {
            let chosen = shown.value("provider_id", String::new()) == id;
            Opt::new(id, label, chosen)
        })
        .collect();
        if providers.len() > 1 {
            fields.push(
                Field::select("provider_id", tr.t("account-field-provider"), providers).required(),
            );
        }
    }
    fields.push(Field::select("method_id", tr.t("payment-field-method"), methods).required());
    fields.push(Field::select(
        "payer_id",
        tr.t("payment-field-payer"),
        payers,
    ));
    let amount = current
        .map(|v| v.amount(v.payment.amount_minor))
        .unwrap_or_default();
    fields.push(
        Field::text(
            "amount",
            tr.t("money-field-amount"),
            &shown.value("amount", amount),
        )
        .required()
        .max(20)
        .hint(tr.t("money-amount-hint")),
    );
    if !matches!(place, Where::Own) {
        fields.push(
            Field::textarea(
                "comment",
                tr.t("payment-field-comment"),
                &shown.value(
                    "comment",
                    current
                        .map(|v| v.payment.comment.clone())
                        .unwrap_or_default(),
                ),
            )
            .max(1000),
        );
    }
    let base = place.path("payments");
    let (title, action, submit) = match (current, place) {
        (None, Where::Own) => (
            tr.t("payment-add-funds"),
            format!("{base}/new"),
            tr.t("payment-add-funds-submit"),
        ),
        (None, _) => (
            tr.t("payment-new-title"),
            format!("{base}/new"),
            tr.t("payment-create"),
        ),
        (Some(v), _) => (
            tr.t1("payment-edit-title", "number", v.payment.number.as_str()),
            format!("{base}/{}", v.payment.id),
            tr.t("cl-save"),
        ),
    };
    let head = match place {
        Where::Card(s) => s.head(ctx, who, "/payments", "card-title", "card-title"),
        _ => Head::plain(tr.t("finance-own-title")).lead(tr.t("finance-own-lead")),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel(base)
        .error(shown.message.clone())
        .section(None, fields, &shown.errors);
    render::page(
        ctx,
        shown.status,
        &FormPage {
            ui: Ui::new(ctx, "payment-title"),
            head,
            form: view,
        },
    )
}

fn payment_input(form: &Fields, create: bool) -> PaymentInput {
    let text = |n: &str| Some(form.get(n).to_owned());
    PaymentInput {
        provider_id: if create {
            text("provider_id").filter(|v| !v.is_empty())
        } else {
            None
        },
        payer_id: text("payer_id"),
        method_id: text("method_id"),
        amount: text("amount"),
        currency: None,
        comment: text("comment"),
    }
}

async fn payment_new(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => {
            let client = scope.client;
            payment_form(
                &ctx,
                &who,
                &Where::Card(Box::new(scope)),
                client,
                None,
                Shown::fresh(),
            )
            .await
        }
        Err(res) => res,
    }
}

async fn payment_create(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let client = scope.client;
    match ctx
        .app
        .create_payment(&who, client, payment_input(&form, true))
        .await
    {
        Ok(_) => see_other(&Done::Created.link(&format!("{}/payments", scope.base))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                payment_form(
                    &ctx,
                    &who,
                    &Where::Card(Box::new(scope)),
                    client,
                    None,
                    Shown::refused(&form, r),
                )
                .await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn find_payment(
    ctx: &Ctx,
    who: &Principal,
    client: bursar_domain::ClientId,
    raw: &str,
) -> Result<PaymentView, Response> {
    let id: PaymentId = raw.parse().map_err(|_| not_found(ctx, "payment"))?;
    let v = ctx
        .app
        .payment(who, id)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    if v.payment.client_id != client {
        return Err(not_found(ctx, "payment"));
    }
    Ok(v)
}

async fn payment_edit(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let client = scope.client;
    match find_payment(&ctx, &who, client, &p).await {
        Ok(v) => {
            payment_form(
                &ctx,
                &who,
                &Where::Card(Box::new(scope)),
                client,
                Some(&v),
                Shown::fresh(),
            )
            .await
        }
        Err(res) => res,
    }
}

async fn payment_save(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let client = scope.client;
    let v = match find_payment(&ctx, &who, client, &p).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match ctx
        .app
        .edit_payment(&who, v.payment.id, payment_input(&form, false))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(&format!("{}/payments", scope.base))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                payment_form(
                    &ctx,
                    &who,
                    &Where::Card(Box::new(scope)),
                    client,
                    Some(&v),
                    Shown::refused(&form, r),
                )
                .await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn payment_delete_show(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_payment(&ctx, &who, scope.client, &p).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let tr = ctx.tr;
    let base = format!("{}/payments", scope.base);
    let page = ConfirmPage {
        ui: Ui::new(&ctx, "card-title"),
        head: scope.head(&ctx, &who, "/payments", "card-title", "card-title"),
        title: tr.t1("payment-delete-title", "number", v.payment.number.as_str()),
        text: tr.t("payment-delete-text"),
        warning: None,
        error: None,
        ack: None,
        ack_error: None,
        action: format!("{base}/{}/delete", v.payment.id),
        button: tr.t("cl-delete"),
        cancel: base,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn payment_delete(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_payment(&ctx, &who, scope.client, &p).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let back = format!("{}/payments", scope.base);
    match ctx.app.delete_payment(&who, v.payment.id).await {
        Ok(()) => see_other(&Done::Deleted.link(&back)),
        Err(e) => error::fail(&ctx, e),
    }
}

async fn payment_credit(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_payment(&ctx, &who, scope.client, &p).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let back = format!("{}/payments", scope.base);
    match ctx.app.credit_payment(&who, v.payment.id, None).await {
        Ok(_) => see_other(&Done::Saved.link(&back)),
        Err(e) => error::fail(&ctx, e),
    }
}

async fn payment_send(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_payment(&ctx, &who, scope.client, &p).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let back = format!("{}/payments", scope.base);
    match ctx.app.send_invoice(&who, v.payment.id).await {
        Ok(_) => see_other(&Done::MessageSent.link(&back)),
        Err(e) => error::fail(&ctx, e),
    }
}

fn refund_form(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    v: &PaymentView,
    shown: Shown,
) -> Response {
    let tr = ctx.tr;
    let refundable = format!(
        "{} {}",
        v.amount(v.refundable_minor()),
        v.payment.currency_code
    );
    let fields = vec![
        Field::fixed("refundable", tr.t("refund-field-available"), refundable),
        Field::text(
            "amount",
            tr.t("money-field-amount"),
            &shown.value("amount", v.amount(v.refundable_minor())),
        )
        .required()
        .max(20)
        .hint(tr.t("refund-amount-hint")),
    ];
    let base = format!("{}/payments", scope.base);
    let view = FormView::new(
        tr,
        tr.t1("refund-title", "number", v.payment.number.as_str()),
        format!("{base}/{}/refund", v.payment.id),
        tr.t("payment-refund"),
    )
    .cancel(base)
    .error(shown.message.clone())
    .section(None, fields, &shown.errors);
    render::page(
        ctx,
        shown.status,
        &FormPage {
            ui: Ui::new(ctx, "card-title"),
            head: scope.head(ctx, who, "/payments", "card-title", "card-title"),
            form: view,
        },
    )
}

async fn refund_show(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    match find_payment(&ctx, &who, scope.client, &p).await {
        Ok(v) => refund_form(&ctx, &who, &scope, &v, Shown::fresh()),
        Err(res) => res,
    }
}

async fn refund_save(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_payment(&ctx, &who, scope.client, &p).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match ctx
        .app
        .refund_payment(
            &who,
            v.payment.id,
            Some(form.get("amount").to_owned()),
            None,
        )
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(&format!("{}/payments", scope.base))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => refund_form(&ctx, &who, &scope, &v, Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn payment_allocations(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_payment(&ctx, &who, scope.client, &p).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let (v, lines) = match ctx.app.payment_allocations(&who, v.payment.id).await {
        Ok(x) => x,
        Err(e) => return error::fail(&ctx, e),
    };
    let tr = ctx.tr;
    let mut table = Table::new(
        tr,
        &[
            "allocation-col-target",
            "allocation-col-what",
            "payment-col-amount",
        ],
        "allocation-empty",
    );
    for (a, label) in &lines {
        table.row(
            vec![
                Cell::text(tr.t(&format!("allocation-kind-{}", a.target_kind.key()))),
                Cell::text(label.clone()),
                Cell::code(format!(
                    "{} {}",
                    v.amount(a.amount_minor),
                    v.payment.currency_code
                )),
            ],
            Vec::new(),
        );
    }
    let left = v.payment.amount_minor - v.payment.allocated_minor;
    let page = MoneyList {
        ui: Ui::new(&ctx, "card-title"),
        head: scope.head(&ctx, &who, "/payments", "card-title", "card-title"),
        title: tr.t1("allocation-title", "number", v.payment.number.as_str()),
        adds: vec![Link::get(
            format!("{}/payments", scope.base),
            tr.t("money-back"),
            "btn-secondary",
        )],
        intro: Some(tr.t1(
            "allocation-left",
            "left",
            format!("{} {}", v.amount(left), v.payment.currency_code),
        )),
        filters: None,
        sums: Vec::new(),
        table,
        pager: None,
        extras: Vec::new(),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn payment_history(
    Signed { ctx, who }: Signed,
    Path((id, p)): Path<(String, String)>,
    params: Params,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_payment(&ctx, &who, scope.client, &p).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let page = Page::new(params.number("page"), Some(PER_PAGE));
    let paged = match ctx.app.payment_history(&who, v.payment.id, page).await {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let path = format!("{}/payments/{}/history", scope.base, v.payment.id);
    let page = HistoryPage {
        ui: Ui::new(&ctx, "card-title"),
        head: scope.head(&ctx, &who, "/payments", "card-title", "card-title"),
        results: HistoryTable::new(ctx.tr, &paged, "card-history-empty", page_link(&path)),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn print_page(ctx: &Ctx, who: &Principal, raw: &str, own: bool) -> Response {
    let Ok(id) = raw.parse::<PaymentId>() else {
        return not_found(ctx, "payment");
    };
    let data = match ctx.app.invoice(who, id).await {
        Ok(d) => d,
        Err(e) => return error::fail(ctx, e),
    };
    let mut seller = Vec::new();
    if let Some(c) = &data.company {
        seller.push(c.name.clone());
        seller.extend(c.address.lines().map(str::to_owned));
        if let Some(t) = &c.tax_number {
            seller.push(format!("{}: {t}", ctx.tr.t("invoice-tax-number")));
        }
    }
    let mut payer = Vec::new();
    match &data.payer {
        Some(p) => {
            payer.push(p.name.clone());
            if let Some(a) = &p.address {
                payer.extend(a.lines().map(str::to_owned));
            }
            if let Some(t) = &p.tax_number {
                payer.push(format!("{}: {t}", ctx.tr.t("invoice-tax-number")));
            }
        }
        None => payer.push(data.payment.client_name.clone()),
    }
    let (back, pdf) = if own {
        (
            "/client/payments".to_owned(),
            format!("/client/payments/{id}/pdf"),
        )
    } else {
        (
            format!("/admin/clients/{}/payments", data.payment.payment.client_id),
            format!("/admin/payments/{id}/pdf"),
        )
    };
    let page = InvoicePage {
        ui: Ui::new(ctx, "invoice-title"),
        back,
        pdf,
        number: data.payment.payment.number.clone(),
        status: data.status.clone(),
        issued_on: data.issued_on.clone(),
        paid_on: data.paid_on.clone(),
        method: data.method_name.clone(),
        seller,
        payer,
        lines: data.lines.clone(),
        taxes: data.taxes.clone(),
        tax_total: data.tax_total.clone(),
        total: data.total.clone(),
        instructions: data.instructions.clone(),
        comment: data.payment.payment.comment.clone(),
    };
    render::page(ctx, StatusCode::OK, &page)
}

async fn pdf(ctx: &Ctx, who: &Principal, raw: &str) -> Response {
    let Ok(id) = raw.parse::<PaymentId>() else {
        return not_found(ctx, "payment");
    };
    match ctx.app.invoice_pdf(who, id).await {
        Ok((name, bytes)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{name}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error::fail(ctx, e),
    }
}

async fn staff_print(Signed { ctx, who }: Signed, Path(p): Path<String>) -> Response {
    print_page(&ctx, &who, &p, false).await
}

async fn staff_pdf(Signed { ctx, who }: Signed, Path(p): Path<String>) -> Response {
    pdf(&ctx, &who, &p).await
}

async fn own_print(Signed { ctx, who }: Signed, Path(p): Path<String>) -> Response {
    print_page(&ctx, &who, &p, true).await
}

async fn own_pdf(Signed { ctx, who }: Signed, Path(p): Path<String>) -> Response {
    pdf(&ctx, &who, &p).await
}

async fn add_funds_show(Signed { ctx, who }: Signed) -> Response {
    let Some(client) = who.user.client_id else {
        return not_found(&ctx, "client");
    };
    payment_form(&ctx, &who, &Where::Own, client, None, Shown::fresh()).await
}

async fn add_funds(Signed { ctx, who }: Signed, form: Fields) -> Response {
    let Some(client) = who.user.client_id else {
        return not_found(&ctx, "client");
    };
    match ctx.app.add_funds(&who, payment_input(&form, true)).await {
        Ok(v) => see_other(&format!("/client/payments/{}/print", v.payment.id)),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => {
                payment_form(
                    &ctx,
                    &who,
                    &Where::Own,
                    client,
                    None,
                    Shown::refused(&form, r),
                )
                .await
            }
            Err(e) => error::fail(&ctx, e),
        },
    }
}

// ---- Expenses ----

async fn expenses_page(ctx: Ctx, who: Principal, place: Where, params: Params) -> Response {
    let tr = ctx.tr;
    let client = match &place {
        Where::Card(s) => Some(s.client),
        _ => None,
    };
    let raw = MoneyFilterParams {
        status: None,
        from: Some(params.get("from")),
        to: Some(params.get("to")),
        unpaid: Some(params.flag("unpaid")),
    };
    let path = place.path("expenses");
    let (filter, errors, status) = match raw.expenses(client, None) {
        Ok(f) => (f, Vec::new(), StatusCode::OK),
        Err(invalid) => (
            bursar_app::ports::ExpenseFilter {
                client,
                ..Default::default()
            },
            invalid.0.iter().map(|e| e.field.clone()).collect(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let page = Page::new(params.number("page"), Some(PER_PAGE));
    let list = match ctx.app.list_expenses(&who, filter, page).await {
        Ok(l) => l,
        Err(e) => return error::fail(&ctx, e),
    };
    let mut columns = vec!["expense-col-number", "payment-col-date"];
    if matches!(place, Where::All) {
        columns.push("payment-col-client");
    }
    columns.extend([
        "expense-col-description",
        "payment-col-amount",
        "expense-col-tax",
        "expense-col-not-paid",
        "expense-col-payments",
    ]);
    let mut table = Table::new(tr, &columns, "expense-empty");
    for v in &list.page.items {
        let e = &v.expense;
        let money = |m: i64| format!("{} {}", v.amount(m), e.currency_code);
        let mut cells = vec![
            Cell::code(e.number.to_string()),
            Cell::text(when(e.created_at)),
        ];
        if matches!(place, Where::All) {
            cells.push(Cell::link(
                e.client_id.to_string(),
                format!("/admin/clients/{}", e.client_id),
            ));
        }
        cells.push(Cell::text(e.description.clone()));
        cells.push(Cell::code(money(e.amount_minor)));
        cells.push(
            Cell::text(money(e.tax_minor))
                .sub(Some(bursar_app::taxes::expense_tax_label(e, tr.locale()))),
        );
        cells.push(Cell::code(money(v.not_paid_minor())));
        cells.push(Cell::text(
            v.payments
                .iter()
                .map(|(n, a)| format!("{n}: {}", v.amount(*a)))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        let mut actions = Vec::new();
        if !matches!(place, Where::Own) {
            let href = format!("/admin/clients/{}/expenses/{}", e.client_id, e.id);
            if who.may(f::EXPENSE_EDIT) {
                actions.push(Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"));
            }
            if who.may(f::EXPENSE_DELETE) {
                actions.push(Link::get(
                    format!("{href}/delete"),
                    tr.t("cl-delete"),
                    "btn-danger",
                ));
            }
        }
        table.row(cells, actions);
    }
    let mut adds = Vec::new();
    let head = match &place {
        Where::Card(s) => {
            if who.may(f::EXPENSE_CREATE) {
                adds.push(Link::get(
                    format!("{}/expenses/new", s.base),
                    tr.t("expense-add"),
                    "btn-primary",
                ));
            }
            s.head(&ctx, &who, "/expenses", "card-title", "card-title")
        }
        Where::All => Head::plain(tr.t("expense-title")).lead(tr.t("expense-lead")),
        Where::Own => {
            adds.push(Link::get(
                "/client/payments".to_owned(),
                tr.t("payment-title"),
                "btn-secondary",
            ));
            Head::plain(tr.t("finance-own-title")).lead(tr.t("finance-own-lead"))
        }
    };
    let page = MoneyList {
        ui: Done::flash(Ui::new(&ctx, "expense-title"), &params),
        head,
        title: tr.t("expense-title"),
        adds,
        intro: None,
        filters: Some(filters(&ctx, path.clone(), &params, false, true, &errors)),
        sums: sums_text(&list.sums),
        table,
        pager: pager(
            tr,
            list.page.page,
            list.page.per_page,
            list.page.total,
            filter_link(&path, &params),
        ),
        extras: Vec::new(),
    };
    render::page(&ctx, status, &page)
}

async fn staff_expenses(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => expenses_page(ctx, who, Where::Card(Box::new(scope)), params).await,
        Err(res) => res,
    }
}

async fn all_expenses(Signed { ctx, who }: Signed, params: Params) -> Response {
    expenses_page(ctx, who, Where::All, params).await
}

async fn own_expenses(Signed { ctx, who }: Signed, params: Params) -> Response {
    expenses_page(ctx, who, Where::Own, params).await
}

fn expense_form(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    current: Option<&ExpenseView>,
    shown: Shown,
) -> Response {
    let tr = ctx.tr;
    let mut fields = Vec::new();
    if current.is_none()
        && let Some(card) = &scope.card
        && card.providers.len() > 1
    {
        let chosen = shown.value("provider_id", String::new());
        let opts = card
            .providers
            .iter()
            .map(|p| {
                Opt::new(
                    p.id.to_string(),
                    format!("{} ({})", p.name, p.currency_code),
                    chosen == p.id.to_string(),
                )
            })
            .collect();
        fields.push(Field::select("provider_id", tr.t("account-field-provider"), opts).required());
    }
    fields.push(
        Field::text(
            "description",
            tr.t("expense-field-description"),
            &shown.value(
                "description",
                current
                    .map(|v| v.expense.description.clone())
                    .unwrap_or_default(),
            ),
        )
        .required()
        .max(500),
    );
    fields.push(
        Field::text(
            "amount",
            tr.t("money-field-amount"),
            &shown.value(
                "amount",
                current
                    .map(|v| v.amount(v.expense.amount_minor))
                    .unwrap_or_default(),
            ),
        )
        .required()
        .max(20)
        .hint(tr.t(if current.is_some() {
            "expense-amount-edit-hint"
        } else {
            "money-amount-hint"
        })),
    );
    fields.push(
        Field::text(
            "tax_rate",
            tr.t("expense-field-tax"),
            &shown.value(
                "tax_rate",
                // Empty on a new expense: the tax rules say the rate.
                current.map_or_else(String::new, |v| format_minor(v.expense.tax_rate_bp, 2)),
            ),
        )
        .max(6)
        .hint(tr.t(if current.is_some() {
            "expense-tax-hint"
        } else {
            "tax-expense-hint"
        })),
    );
    if let Some(v) = current
        && !v.payments.is_empty()
    {
        fields.push(Field::fixed(
            "payments",
            tr.t("expense-col-payments"),
            v.payments
                .iter()
                .map(|(n, a)| format!("{n}: {}", v.amount(*a)))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    let base = format!("{}/expenses", scope.base);
    let (title, action, submit) = match current {
        None => (
            tr.t("expense-new-title"),
            format!("{base}/new"),
            tr.t("expense-create"),
        ),
        Some(v) => (
            tr.t1("expense-edit-title", "number", v.expense.number),
            format!("{base}/{}", v.expense.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel(base)
        .error(shown.message.clone())
        .section(None, fields, &shown.errors);
    render::page(
        ctx,
        shown.status,
        &FormPage {
            ui: Ui::new(ctx, "card-title"),
            head: scope.head(ctx, who, "/expenses", "card-title", "card-title"),
            form: view,
        },
    )
}

fn expense_input(form: &Fields, create: bool) -> ExpenseInput {
    let text = |n: &str| Some(form.get(n).to_owned());
    ExpenseInput {
        provider_id: if create {
            text("provider_id").filter(|v| !v.is_empty())
        } else {
            None
        },
        service_id: None,
        description: text("description"),
        amount: text("amount"),
        currency: None,
        tax_rate: text("tax_rate"),
    }
}

async fn expense_new(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    match Scope::staff(&ctx, &who, &id).await {
        Ok(scope) => expense_form(&ctx, &who, &scope, None, Shown::fresh()),
        Err(res) => res,
    }
}

async fn expense_create(
    Signed { ctx, who }: Signed,
    Path(id): Path<String>,
    form: Fields,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    match ctx
        .app
        .create_expense(&who, scope.client, expense_input(&form, true))
        .await
    {
        Ok(_) => see_other(&Done::Created.link(&format!("{}/expenses", scope.base))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => expense_form(&ctx, &who, &scope, None, Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn find_expense(
    ctx: &Ctx,
    who: &Principal,
    scope: &Scope,
    raw: &str,
) -> Result<ExpenseView, Response> {
    let id: ExpenseId = raw.parse().map_err(|_| not_found(ctx, "expense"))?;
    let v = ctx
        .app
        .expense(who, id)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    if v.expense.client_id != scope.client || v.expense.deleted_at.is_some() {
        return Err(not_found(ctx, "expense"));
    }
    Ok(v)
}

async fn expense_edit(
    Signed { ctx, who }: Signed,
    Path((id, e)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    match find_expense(&ctx, &who, &scope, &e).await {
        Ok(v) => expense_form(&ctx, &who, &scope, Some(&v), Shown::fresh()),
        Err(res) => res,
    }
}

async fn expense_save(
    Signed { ctx, who }: Signed,
    Path((id, e)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_expense(&ctx, &who, &scope, &e).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match ctx
        .app
        .edit_expense(&who, v.expense.id, expense_input(&form, false))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link(&format!("{}/expenses", scope.base))),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => expense_form(&ctx, &who, &scope, Some(&v), Shown::refused(&form, r)),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn expense_delete_show(
    Signed { ctx, who }: Signed,
    Path((id, e)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_expense(&ctx, &who, &scope, &e).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let tr = ctx.tr;
    let base = format!("{}/expenses", scope.base);
    let page = ConfirmPage {
        ui: Ui::new(&ctx, "card-title"),
        head: scope.head(&ctx, &who, "/expenses", "card-title", "card-title"),
        title: tr.t1("expense-delete-title", "number", v.expense.number),
        text: tr.t("expense-delete-text"),
        warning: None,
        error: None,
        ack: None,
        ack_error: None,
        action: format!("{base}/{}/delete", v.expense.id),
        button: tr.t("cl-delete"),
        cancel: base,
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn expense_delete(
    Signed { ctx, who }: Signed,
    Path((id, e)): Path<(String, String)>,
) -> Response {
    let scope = match Scope::staff(&ctx, &who, &id).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let v = match find_expense(&ctx, &who, &scope, &e).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let back = format!("{}/expenses", scope.base);
    match ctx.app.delete_expense(&who, v.expense.id).await {
        Ok(()) => see_other(&Done::Deleted.link(&back)),
        Err(e) => error::fail(&ctx, e),
    }
}

// ---- Payment methods ----

async fn methods(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let list = match ctx.app.payment_methods(&who, None).await {
        Ok(l) => l,
        Err(e) => return error::fail(&ctx, e),
    };
    let providers = ctx.app.list_providers(&who).await.unwrap_or_default();
    let mut table = Table::new(
        tr,
        &[
            "method-col-name",
            "method-col-provider",
            "method-col-kind",
            "method-col-active",
        ],
        "method-empty",
    );
    for m in &list {
        let provider = providers
            .iter()
            .find(|p| p.id == m.provider_id)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let href = format!("/admin/payment-methods/{}", m.id);
        let mut actions = Vec::new();
        if who.may(f::PAYMENT_METHOD_EDIT) {
            actions.push(Link::get(href.clone(), tr.t("cl-edit"), "btn-secondary"));
            actions.push(Link::post(
                format!("{href}/delete"),
                tr.t("cl-delete"),
                "btn-danger",
            ));
        }
        table.row(
            vec![
                Cell::text(method_name(m, tr.locale())),
                Cell::text(provider),
                Cell::text(tr.t(&format!("method-kind-{}", m.kind.key().replace('_', "-")))),
                Cell::text(yes_no(tr, m.is_active)),
            ],
            actions,
        );
    }
    let mut adds = Vec::new();
    if who.may(f::PAYMENT_METHOD_EDIT) {
        adds.push(Link::get(
            "/admin/payment-methods/new".to_owned(),
            tr.t("method-add"),
            "btn-primary",
        ));
    }
    let page = MoneyList {
        ui: Done::flash(Ui::new(&ctx, "method-title"), &params),
        head: Head::plain(tr.t("method-title")).lead(tr.t("method-lead")),
        title: tr.t("method-title"),
        adds,
        intro: None,
        filters: None,
        sums: Vec::new(),
        table,
        pager: None,
        extras: Vec::new(),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

async fn method_form(
    ctx: &Ctx,
    who: &Principal,
    current: Option<&PaymentMethodRecord>,
    shown: Shown<'_>,
) -> Response {
    let tr = ctx.tr;
    let mut fields = Vec::new();
    if current.is_none() {
        let providers = ctx.app.list_providers(who).await.unwrap_or_default();
        let chosen = shown.value("provider_id", String::new());
        let opts = providers
            .iter()
            .map(|p| Opt::new(p.id.to_string(), p.name.clone(), chosen == p.id.to_string()))
            .collect();
        fields.push(Field::select("provider_id", tr.t("method-col-provider"), opts).required());
    }
    let kind = shown.value("kind", current.map_or("bank_transfer", |m| m.kind.key()));
    let kinds = MethodKind::ALL
        .iter()
        .map(|k| {
            Opt::new(
                k.key(),
                tr.t(&format!("method-kind-{}", k.key().replace('_', "-"))),
                kind == k.key(),
            )
        })
        .collect();
    fields.push(Field::select("kind", tr.t("method-col-kind"), kinds).required());
    fields.push(
        Field::text(
            "name_en",
            tr.t("method-field-name-en"),
            &shown.value(
                "name_en",
                current.map(|m| m.name_en.clone()).unwrap_or_default(),
            ),
        )
        .required()
        .max(100),
    );
    fields.push(
        Field::text(
            "name_ru",
            tr.t("method-field-name-ru"),
            &shown.value(
                "name_ru",
                current.map(|m| m.name_ru.clone()).unwrap_or_default(),
            ),
        )
        .required()
        .max(100),
    );
    let companies = ctx.app.list_companies(who).await.unwrap_or_default();
    let company = shown.value(
        "company_id",
        current
            .and_then(|m| m.company_id)
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let mut opts = vec![Opt::new(
        "",
        tr.t("method-company-default"),
        company.is_empty(),
    )];
    opts.extend(companies.iter().map(|c| {
        Opt::new(
            c.id.to_string(),
            c.name.clone(),
            company == c.id.to_string(),
        )
    }));
    fields.push(
        Field::select("company_id", tr.t("method-field-company"), opts)
            .hint(tr.t("method-company-hint")),
    );
    fields.push(Field::checkbox(
        "is_active",
        tr.t("method-col-active"),
        shown.checked("is_active", current.is_none_or(|m| m.is_active)),
    ));
    let (title, action, submit) = match current {
        None => (
            tr.t("method-new-title"),
            "/admin/payment-methods/new".to_owned(),
            tr.t("method-create"),
        ),
        Some(m) => (
            method_name(m, tr.locale()),
            format!("/admin/payment-methods/{}", m.id),
            tr.t("cl-save"),
        ),
    };
    let view = FormView::new(tr, title, action, submit)
        .cancel("/admin/payment-methods".to_owned())
        .error(shown.message.clone())
        .section(None, fields, &shown.errors);
    render::page(
        ctx,
        shown.status,
        &FormPage {
            ui: Ui::new(ctx, "method-title"),
            head: Head::plain(tr.t("method-title")).lead(tr.t("method-lead")),
            form: view,
        },
    )
}

fn method_input(form: &Fields, create: bool) -> MethodInput {
    let text = |n: &str| Some(form.get(n).to_owned());
    MethodInput {
        provider_id: if create { text("provider_id") } else { None },
        kind: text("kind"),
        name_en: text("name_en"),
        name_ru: text("name_ru"),
        company_id: text("company_id"),
        is_active: Some(!form.get("is_active").is_empty()),
    }
}

async fn method_new(Signed { ctx, who }: Signed) -> Response {
    method_form(&ctx, &who, None, Shown::fresh()).await
}

async fn method_create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    match ctx
        .app
        .save_payment_method(&who, None, method_input(&form, true))
        .await
    {
        Ok(_) => see_other(&Done::Created.link("/admin/payment-methods")),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => method_form(&ctx, &who, None, Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn find_method(
    ctx: &Ctx,
    who: &Principal,
    raw: &str,
) -> Result<PaymentMethodRecord, Response> {
    let id: PaymentMethodId = raw.parse().map_err(|_| not_found(ctx, "payment method"))?;
    let list = ctx
        .app
        .payment_methods(who, None)
        .await
        .map_err(|e| error::fail(ctx, e))?;
    list.into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| not_found(ctx, "payment method"))
}

async fn method_edit(Signed { ctx, who }: Signed, Path(m): Path<String>) -> Response {
    match find_method(&ctx, &who, &m).await {
        Ok(m) => method_form(&ctx, &who, Some(&m), Shown::fresh()).await,
        Err(res) => res,
    }
}

async fn method_save(Signed { ctx, who }: Signed, Path(m): Path<String>, form: Fields) -> Response {
    let m = match find_method(&ctx, &who, &m).await {
        Ok(m) => m,
        Err(res) => return res,
    };
    match ctx
        .app
        .save_payment_method(&who, Some(m.id), method_input(&form, false))
        .await
    {
        Ok(_) => see_other(&Done::Saved.link("/admin/payment-methods")),
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => method_form(&ctx, &who, Some(&m), Shown::refused(&form, r)).await,
            Err(e) => error::fail(&ctx, e),
        },
    }
}

async fn method_delete(Signed { ctx, who }: Signed, Path(m): Path<String>) -> Response {
    let m = match find_method(&ctx, &who, &m).await {
        Ok(m) => m,
        Err(res) => return res,
    };
    match ctx.app.delete_payment_method(&who, m.id).await {
        Ok(()) => see_other(&Done::Deleted.link("/admin/payment-methods")),
        Err(e) => error::fail(&ctx, e),
    }
}
