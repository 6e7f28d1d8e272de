//! Personal accounts' rules (seed 004 "Accounts", reference §1.6): how far a balance may go
//! below zero, and when an account that owes money is blocked.
//!
//! A personal account is prepaid by default. Two mechanisms let it go into debt, and they
//! exclude each other: a *credit limit* (a floor of −limit, with a grace period after which
//! the account is blocked) and *post-paid services* (no floor, never blocked). Both rules are
//! pure functions of the account's settings and balance, so every use case that moves money
//! or sells something asks the same question the same way.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// How far into debt an account may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum CreditMode {
    /// The balance never goes below zero (the default).
    Prepaid,
    /// The balance may go down to −`limit_minor`.
    CreditLimit { limit_minor: i64 },
    /// Pay-as-you-go: no floor at all.
    Postpaid,
}

impl CreditMode {
    /// The mode from the account form's two fields: post-paid wins over a limit only in the
    /// sense that the form refuses both at once (see [`CreditMode::from_settings`]).
    pub fn from_settings(postpaid: bool, limit_minor: i64) -> Result<CreditMode, CreditConflict> {
        match (postpaid, limit_minor) {
            (true, 0) => Ok(CreditMode::Postpaid),
            (true, _) => Err(CreditConflict),
            (false, 0) => Ok(CreditMode::Prepaid),
            (false, limit_minor) => Ok(CreditMode::CreditLimit { limit_minor }),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            CreditMode::Prepaid => "prepaid",
            CreditMode::CreditLimit { .. } => "credit_limit",
            CreditMode::Postpaid => "postpaid",
        }
    }

    pub fn is_postpaid(self) -> bool {
        matches!(self, CreditMode::Postpaid)
    }

    pub fn limit_minor(self) -> i64 {
        match self {
            CreditMode::CreditLimit { limit_minor } => limit_minor,
            _ => 0,
        }
    }

    /// The lowest balance allowed, or `None` when there is no floor.
    pub fn floor_minor(self) -> Option<i64> {
        match self {
            CreditMode::Prepaid => Some(0),
            CreditMode::CreditLimit { limit_minor } => Some(-limit_minor),
            CreditMode::Postpaid => None,
        }
    }
}

/// Post-paid services and a credit limit were both asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("post-paid services and a credit limit cannot both be on")]
pub struct CreditConflict;

/// A debit refused by the credit rules: the balance lacks `missing_minor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("insufficient funds: {missing_minor} minor units missing")]
pub struct Shortfall {
    pub missing_minor: i64,
}

/// The one credit rule: may an account in `mode` with `balance_minor` move by `delta_minor`
/// (negative is a debit)? Credits are always allowed, and so is a debit that leaves the
/// balance at or above the floor. A balance already below its floor (a limit lowered after
/// the debt was made) may still receive credits.
pub fn check_movement(
    mode: CreditMode,
    balance_minor: i64,
    delta_minor: i64,
) -> Result<i64, Shortfall> {
    let after = balance_minor.saturating_add(delta_minor);
    if delta_minor >= 0 {
        return Ok(after);
    }
    match mode.floor_minor() {
        Some(floor) if after < floor => Err(Shortfall {
            missing_minor: floor
                .saturating_sub(after)
                .min(delta_minor.saturating_neg()),
        }),
        _ => Ok(after),
    }
}

/// How long a debt may stay unpaid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Grace {
    /// The client has unlimited time to repay.
    Unlimited,
    /// Counted from the creation of the payment due for unpaid expenses: repay within
    /// `respite_days`; after `block_in_days` the account is blocked.
    FromDuePayment {
        respite_days: u16,
        block_in_days: u16,
    },
}

impl Grace {
    pub fn key(self) -> &'static str {
        match self {
            Grace::Unlimited => "unlimited",
            Grace::FromDuePayment { .. } => "from_due_payment",
        }
    }
}

/// Why an account is blocked: it owes `debt_minor`, due since `due_since`, and the grace
/// period ended at `blocked_since`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Blocked {
    pub debt_minor: i64,
    pub due_since: Timestamp,
    pub blocked_since: Timestamp,
}

/// Whether an account is blocked at `now`. Only an account with a credit limit and a grace
/// period counted from the due payment is ever blocked: once its balance is negative and the
/// oldest unpaid payment due (`due_since`, the creation of that invoice) is `block_in_days`
/// old. A payment that brings the balance back to zero unblocks it, so the state is computed,
/// never stored: nothing can forget to lift it.
pub fn blocked(
    mode: CreditMode,
    grace: Grace,
    balance_minor: i64,
    due_since: Option<Timestamp>,
    now: Timestamp,
) -> Option<Blocked> {
    let CreditMode::CreditLimit { .. } = mode else {
        return None;
    };
    let Grace::FromDuePayment { block_in_days, .. } = grace else {
        return None;
    };
    if balance_minor >= 0 {
        return None;
    }
    let due_since = due_since?;
    let blocked_since = due_since
        .saturating_add(SignedDuration::from_hours(24 * i64::from(block_in_days)))
        .ok()?;
    (now >= blocked_since).then_some(Blocked {
        debt_minor: balance_minor.saturating_neg(),
        due_since,
        blocked_since,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mode() -> impl Strategy<Value = CreditMode> {
        prop_oneof![
            Just(CreditMode::Prepaid),
            Just(CreditMode::Postpaid),
            (0i64..1_000_000).prop_map(|limit_minor| CreditMode::CreditLimit { limit_minor }),
        ]
    }

    #[test]
    fn the_three_modes_have_their_floors() {
        assert_eq!(check_movement(CreditMode::Prepaid, 500, -500), Ok(0));
        assert_eq!(
            check_movement(CreditMode::Prepaid, 500, -700),
            Err(Shortfall { missing_minor: 200 })
        );
        let limit = CreditMode::CreditLimit { limit_minor: 1000 };
        assert_eq!(check_movement(limit, 0, -1000), Ok(-1000));
        assert_eq!(
            check_movement(limit, 0, -1001),
            Err(Shortfall { missing_minor: 1 })
        );
        assert_eq!(
            check_movement(CreditMode::Postpaid, 0, -1_000_000),
            Ok(-1_000_000)
        );
        // Below the floor already (a lowered limit): only the debit itself is missing.
        assert_eq!(
            check_movement(CreditMode::Prepaid, -300, -50),
            Err(Shortfall { missing_minor: 50 })
        );
        assert_eq!(check_movement(CreditMode::Prepaid, -300, 100), Ok(-200));
    }

    #[test]
    fn post_paid_and_a_limit_exclude_each_other() {
        assert_eq!(CreditMode::from_settings(false, 0), Ok(CreditMode::Prepaid));
        assert_eq!(CreditMode::from_settings(true, 0), Ok(CreditMode::Postpaid));
        assert_eq!(
            CreditMode::from_settings(false, 700),
            Ok(CreditMode::CreditLimit { limit_minor: 700 })
        );
        assert_eq!(CreditMode::from_settings(true, 700), Err(CreditConflict));
    }

    proptest! {
        #[test]
        fn an_allowed_movement_never_crosses_the_floor(m in mode(), balance in -2_000_000i64..2_000_000, delta in -2_000_000i64..2_000_000) {
            match check_movement(m, balance, delta) {
                Ok(after) => {
                    prop_assert_eq!(after, balance + delta);
                    if let (Some(floor), true) = (m.floor_minor(), delta < 0) {
                        prop_assert!(after >= floor);
                    }
                }
                Err(Shortfall { missing_minor }) => {
                    prop_assert!(delta < 0 && missing_minor > 0);
                    let floor = m.floor_minor().unwrap_or(i64::MIN);
                    prop_assert!(balance + delta < floor);
                    // Debiting exactly the missing amount less would have passed, or the
                    // balance was under the floor before the debit.
                    prop_assert!(check_movement(m, balance, delta + missing_minor).is_ok() || balance < floor);
                }
            }
        }
    }

    #[test]
    fn a_credit_limit_blocks_after_block_in_days_and_a_payment_unblocks() -> Result<(), jiff::Error>
    {
        let limit = CreditMode::CreditLimit {
            limit_minor: 10_000,
        };
        let grace = Grace::FromDuePayment {
            respite_days: 15,
            block_in_days: 30,
        };
        let due: Timestamp = "2026-11-01T00:00:00Z".parse()?;
        let day29: Timestamp = "2026-11-30T23:59:59Z".parse()?;
        let day30: Timestamp = "2026-12-01T00:00:00Z".parse()?;
        assert_eq!(blocked(limit, grace, -500, Some(due), day29), None);
        let b = blocked(limit, grace, -500, Some(due), day30);
        assert_eq!(
            b.map(|b| (b.debt_minor, b.blocked_since)),
            Some((500, day30))
        );
        assert_eq!(blocked(limit, grace, 0, Some(due), day30), None, "paid off");
        assert_eq!(
            blocked(limit, Grace::Unlimited, -500, Some(due), day30),
            None
        );
        assert_eq!(
            blocked(CreditMode::Postpaid, grace, -500, Some(due), day30),
            None
        );
        assert_eq!(
            blocked(limit, grace, -500, None, day30),
            None,
            "no invoice due yet"
        );
        Ok(())
    }
}
