//! Allocation: which payment's money covered which expense (reference §1.5: "incoming
//! payments first of all cover the existing debt"). Money that came in and money that went
//! out are matched oldest first on both sides: a credited payment covers the oldest unpaid
//! expense first, and a new expense is covered from the oldest payment with money left.
//!
//! The same matching serves every movement, so the ledger and the allocations cannot tell two
//! stories: after any movement either no payment has money left or no expense is unpaid.

/// One side's open item, in the order it should be used (oldest first): a payment with
/// `amount_minor` not yet allocated, or an expense with `amount_minor` not yet paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Open<Id> {
    pub id: Id,
    pub amount_minor: i64,
}

/// `amount_minor` of `source`'s money goes to `target`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allocation<S, T> {
    pub source: S,
    pub target: T,
    pub amount_minor: i64,
}

/// Matches `sources` (money available, oldest first) against `targets` (money owed, oldest
/// first), greedily from the front of both lists. Items with nothing open are skipped. The
/// total allocated is the smaller of the two sums; no source gives more than it has and no
/// target gets more than it owes; a later target gets nothing while an earlier one is unpaid,
/// and a later source gives nothing while an earlier one has money left.
pub fn allocate<S: Copy, T: Copy>(
    sources: &[Open<S>],
    targets: &[Open<T>],
) -> Vec<Allocation<S, T>> {
    let mut out = Vec::new();
    let mut sources = sources.iter().filter(|s| s.amount_minor > 0).copied();
    let mut targets = targets.iter().filter(|t| t.amount_minor > 0).copied();
    let (mut source, mut target) = (sources.next(), targets.next());
    while let (Some(s), Some(t)) = (source.as_mut(), target.as_mut()) {
        let amount_minor = s.amount_minor.min(t.amount_minor);
        out.push(Allocation {
            source: s.id,
            target: t.id,
            amount_minor,
        });
        s.amount_minor -= amount_minor;
        t.amount_minor -= amount_minor;
        if s.amount_minor == 0 {
            source = sources.next();
        }
        if t.amount_minor == 0 {
            target = targets.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn opens() -> impl Strategy<Value = Vec<Open<usize>>> {
        prop::collection::vec(0i64..40, 0..8).prop_map(|amounts| {
            amounts
                .into_iter()
                .enumerate()
                .map(|(id, amount_minor)| Open { id, amount_minor })
                .collect()
        })
    }

    /// The model: every minor unit is a coin; coins of the sources, oldest first, are handed
    /// one by one to the owed coins of the targets, oldest first.
    fn model(sources: &[Open<usize>], targets: &[Open<usize>]) -> BTreeMap<(usize, usize), i64> {
        let coins = |items: &[Open<usize>]| -> Vec<usize> {
            items
                .iter()
                .flat_map(|o| {
                    std::iter::repeat_n(o.id, usize::try_from(o.amount_minor.max(0)).unwrap_or(0))
                })
                .collect()
        };
        let mut pairs = BTreeMap::new();
        for (s, t) in coins(sources).into_iter().zip(coins(targets)) {
            *pairs.entry((s, t)).or_insert(0) += 1;
        }
        pairs
    }

    proptest! {
        #[test]
        fn allocation_matches_the_coin_model(sources in opens(), targets in opens()) {
            let got = allocate(&sources, &targets);
            let mut pairs = BTreeMap::new();
            for a in &got {
                prop_assert!(a.amount_minor > 0);
                *pairs.entry((a.source, a.target)).or_insert(0) += a.amount_minor;
            }
            prop_assert_eq!(pairs, model(&sources, &targets));
            let total: i64 = got.iter().map(|a| a.amount_minor).sum();
            let available: i64 = sources.iter().map(|s| s.amount_minor).sum();
            let owed: i64 = targets.iter().map(|t| t.amount_minor).sum();
            prop_assert_eq!(total, available.min(owed));
            for s in &sources {
                let given: i64 = got.iter().filter(|a| a.source == s.id).map(|a| a.amount_minor).sum();
                prop_assert!(given <= s.amount_minor);
            }
            for t in &targets {
                let got_t: i64 = got.iter().filter(|a| a.target == t.id).map(|a| a.amount_minor).sum();
                prop_assert!(got_t <= t.amount_minor);
            }
        }
    }

    #[test]
    fn a_payment_covers_the_oldest_debt_first() {
        let payment = [Open {
            id: "p",
            amount_minor: 1500,
        }];
        let expenses = [
            Open {
                id: "old",
                amount_minor: 1000,
            },
            Open {
                id: "paid",
                amount_minor: 0,
            },
            Open {
                id: "new",
                amount_minor: 1000,
            },
        ];
        assert_eq!(
            allocate(&payment, &expenses),
            vec![
                Allocation {
                    source: "p",
                    target: "old",
                    amount_minor: 1000
                },
                Allocation {
                    source: "p",
                    target: "new",
                    amount_minor: 500
                },
            ]
        );
    }
}
