//! Withdrawals (seed 004 "Refund"): staff take money off a personal account to pay it out to
//! the client or to the referrer, by a transfer the provider makes outside Bursar. Only money
//! that payments brought in and nothing has used yet can leave; it is taken from the oldest
//! payments first, so their breakdown shows where it went.

use super::accounts::may_read_money;
use super::{account_ref, lock, post};
use crate::error::AppError;
use crate::ports::{EntryKind, TargetKind, WithdrawalRecord};
use crate::use_case::Idempotency;
use crate::{App, Principal};
use bursar_domain::allocation::{Open, allocate};
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::money::parse_positive_amount;
use bursar_domain::validation::parse_text;
use bursar_domain::{AccountId, ErrorCode, Invalid, WithdrawalId};

#[derive(Clone, Debug, Default)]
pub struct WithdrawalInput {
    /// `client` (the default) or `referrer`.
    pub recipient: Option<String>,
    /// How the money is paid out (bank transfer, card, cash…).
    pub method: Option<String>,
    /// Where to: account number, card, the referrer's details.
    pub details: Option<String>,
    pub amount: Option<String>,
}

impl App {
    pub async fn withdraw(
        &self,
        who: &Principal,
        account: AccountId,
        input: WithdrawalInput,
        idempotency: Option<Idempotency>,
    ) -> Result<WithdrawalRecord, AppError> {
        let input = &input;
        let idempotency = idempotency.map(|i| {
            i.with_request(format!(
                "{account}\n{:?}\n{:?}\n{:?}\n{:?}",
                input.recipient, input.method, input.details, input.amount
            ))
        });
        self.write_locked(who, f::WITHDRAWAL_CREATE, idempotency.as_ref(), |w| {
            Box::pin(async move {
                let mut locked = lock(w, account).await?;
                let mut invalid = Invalid::default();
                let recipient = match input.recipient.as_deref().map(str::trim) {
                    None | Some("" | "client") => "client",
                    Some("referrer") if locked.account.referrer_id.is_some() => "referrer",
                    Some("referrer") => {
                        invalid.push(
                            "recipient",
                            ErrorCode::Invalid,
                            "the account has no referrer",
                        );
                        "referrer"
                    }
                    Some(_) => {
                        invalid.push(
                            "recipient",
                            ErrorCode::Invalid,
                            "must be client or referrer",
                        );
                        "client"
                    }
                };
                let method = match invalid.check(parse_text(
                    "method",
                    input.method.as_deref().unwrap_or_default(),
                    100,
                )) {
                    Some(Some(m)) => m,
                    Some(None) => {
                        invalid.push("method", ErrorCode::Required, "is required");
                        String::new()
                    }
                    None => String::new(),
                };
                let details = invalid
                    .check(parse_text(
                        "details",
                        input.details.as_deref().unwrap_or_default(),
                        1000,
                    ))
                    .flatten()
                    .unwrap_or_default();
                let amount = invalid.check(parse_positive_amount(
                    "amount",
                    input.amount.as_deref().unwrap_or_default(),
                    locked.minor_units,
                ));
                invalid.into_result()?;
                let amount_minor = amount.unwrap_or_default();
                let payments = w.tx().payments_with_money_left(account, None).await?;
                let sources: Vec<Open<_>> = payments
                    .iter()
                    .map(|p| Open {
                        id: p.id,
                        amount_minor: p.amount_minor - p.allocated_minor,
                    })
                    .collect();
                let available: i64 = sources
                    .iter()
                    .map(|s| s.amount_minor)
                    .sum::<i64>()
                    .min(locked.account.balance_minor.max(0));
                if amount_minor > available {
                    return Err(AppError::rule(
                        ErrorCode::ExceedsAvailable,
                        format!("only {} can be withdrawn", locked.show(available)),
                    ));
                }
                let now = w.now();
                let record = WithdrawalRecord {
                    id: WithdrawalId::new(),
                    account_id: account,
                    client_id: locked.account.client_id,
                    recipient: recipient.to_owned(),
                    method,
                    details,
                    amount_minor,
                    currency_code: locked.account.currency_code.clone(),
                    created_by: w.actor().user,
                    created_at: now,
                };
                w.tx().insert_withdrawal(&record).await?;
                post(
                    w,
                    &mut locked,
                    EntryKind::Withdrawal,
                    record.id.0,
                    -amount_minor,
                )
                .await?;
                let target = [Open {
                    id: record.id,
                    amount_minor,
                }];
                for a in allocate(&sources, &target) {
                    w.tx()
                        .allocate(
                            a.source,
                            TargetKind::Withdrawal,
                            a.target.0,
                            a.amount_minor,
                            now,
                        )
                        .await?;
                }
                let changes = Changes::default()
                    .set("withdrawn", locked.show(amount_minor))
                    .set("recipient", recipient)
                    .set("method", &record.method)
                    .set("balance", locked.show(locked.account.balance_minor));
                w.record(account_ref(&locked.account), "withdraw", changes);
                Ok(record)
            })
        })
        .await
    }

    pub async fn withdrawals(
        &self,
        who: &Principal,
        account: AccountId,
    ) -> Result<Vec<WithdrawalRecord>, AppError> {
        let mut tx = self.store.read().await?;
        let a = tx.account(account).await?.ok_or(AppError::NotFound {
            what: "personal account",
        })?;
        may_read_money(who, a.client_id)?;
        let list = tx.withdrawals(account).await?;
        tx.commit().await?;
        Ok(list)
    }
}
