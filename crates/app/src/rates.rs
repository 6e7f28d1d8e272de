//! Exchange rates (issue 11; seed 004, reference §1.9): the rates directory, a client
//! group's own rates and a client's personal rate, kept by staff with `rate.view` /
//! `rate.edit`. A directory rate is entered by hand or derived from another directory rate
//! with an expression (`*1.05`); editing a rate re-derives the rates computed from it, in
//! the same transaction. Which rate applies is `bursar_domain::pricing::rates::RateBook`'s
//! rule; this module only keeps the rates.
//!
//! One pair has one rate per day in each scope. That is a unique index per table, so two
//! parallel entries of the same pair and day cannot both land: the loser gets 409
//! `rate_exists` (see `error.rs`), whatever the isolation.
//!
//! History: a directory rate and a personal rate are records of their own (`currency_rate`,
//! `client_currency_rate`, the latter in the client's history); a group's rates are part of
//! the group, so their changes are entries on the group (`rate_create`, `rate_update`,
//! `rate_delete`), each naming the rate in words.

use crate::clients::{load_client, load_writable_client};
use crate::error::AppError;
use crate::history::Paged;
use crate::ports::{
    ClientGroupRecord, CurrencyRecord, Page, RateFilter, RateOwner, RateRecord, Tx,
};
use crate::use_case::Work;
use crate::{App, Principal};
use bursar_domain::directory::Currency;
use bursar_domain::functions::f;
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::money::{format_minor, parse_positive_amount};
use bursar_domain::pricing::rates::{
    Expression, check_pair, parse_rate, parse_units, parse_valid_from,
};
use bursar_domain::{ClientGroupId, ErrorCode, Invalid};
use uuid::Uuid;

/// A rate as entered; `None` leaves a field as it is (or at its default on creation).
#[derive(Clone, Debug, Default)]
pub struct RateInput {
    pub base: Option<String>,
    pub currency: Option<String>,
    /// Entered by hand; excludes `source_id` and `expression`.
    pub rate: Option<String>,
    pub units: Option<String>,
    pub valid_from: Option<String>,
    /// Directory only: derive from this directory rate…
    pub source_id: Option<String>,
    /// …with this expression (`*1.05`).
    pub expression: Option<String>,
    /// Personal only: the base-currency amount one document may convert; empty for no limit.
    pub amount: Option<String>,
}

/// The filter of a list as given (currency codes; empty for any).
#[derive(Clone, Copy, Debug, Default)]
pub struct RateFilterParams<'a> {
    pub base: Option<&'a str>,
    pub currency: Option<&'a str>,
}

impl RateFilterParams<'_> {
    fn parse(self) -> Result<RateFilter, Invalid> {
        let mut invalid = Invalid::default();
        let mut code = |field: &str, raw: Option<&str>| {
            let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
            match Currency::parse(field, raw) {
                Ok(c) => Some(c.code().to_owned()),
                Err(_) => {
                    invalid.push(
                        field,
                        ErrorCode::InvalidFilter,
                        "must be a currency code such as EUR",
                    );
                    None
                }
            }
        };
        let filter = RateFilter {
            base: code("base", self.base),
            currency: code("currency", self.currency),
        };
        invalid.into_result()?;
        Ok(filter)
    }
}

/// A personal rate's amount limit as people write it (`1000.00`), in the base currency.
pub fn amount_text(r: &RateRecord) -> Option<String> {
    let minor = Currency::parse("base", &r.base_code).map_or(2, |c| c.minor_units());
    r.amount_minor.map(|a| format_minor(a, minor))
}

/// The rate in words: `100 JPY = 60 RUB from 2026-12-01`.
pub fn describe(r: &RateRecord) -> String {
    format!(
        "{} {} = {} {} from {}",
        r.units, r.currency_code, r.rate, r.base_code, r.valid_from
    )
}

fn not_found(owner: RateOwner) -> AppError {
    AppError::NotFound {
        what: match owner {
            RateOwner::Directory => "currency rate",
            RateOwner::Group(_) => "client group's currency rate",
            RateOwner::Client(_) => "client's currency rate",
        },
    }
}

/// Where the change is written down, and under which action (see the module comment).
fn history_of(r: &RateRecord, action: &'static str) -> (ObjectRef, &'static str) {
    let own = |kind: &'static str, client| ObjectRef {
        kind,
        id: r.id.to_string(),
        client,
    };
    match r.owner {
        RateOwner::Directory => (own("currency_rate", None), action),
        RateOwner::Client(c) => (own("client_currency_rate", Some(c)), action),
        RateOwner::Group(g) => (
            ObjectRef {
                kind: "client_group",
                id: g.to_string(),
                client: None,
            },
            match action {
                "create" => "rate_create",
                "delete" => "rate_delete",
                _ => "rate_update",
            },
        ),
    }
}

/// One field of a rate as history shows it.
type Shown = fn(&RateRecord) -> String;

/// What changed between two states of a rate (either may be absent), in readable values.
fn changes(before: Option<&RateRecord>, after: Option<&RateRecord>) -> Changes {
    if let Some(RateOwner::Group(_)) = before.or(after).map(|r| r.owner) {
        let text = |r: Option<&RateRecord>| r.map(describe).unwrap_or_default();
        return Changes::default().diff("currency_rate", &text(before), &text(after));
    }
    let s = |r: Option<&RateRecord>, f: fn(&RateRecord) -> String| r.map(f).unwrap_or_default();
    let fields: [(&str, Shown); 7] = [
        ("base", |r| r.base_code.clone()),
        ("currency", |r| r.currency_code.clone()),
        ("rate", |r| r.rate.to_string()),
        ("units", |r| r.units.to_string()),
        ("valid_from", |r| r.valid_from.to_string()),
        ("expression", |r| r.expression.clone().unwrap_or_default()),
        ("amount", |r| amount_text(r).unwrap_or_default()),
    ];
    fields.iter().fold(Changes::default(), |c, (name, f)| {
        c.diff(name, &s(before, *f), &s(after, *f))
    })
}

/// The owner exists (a group, a client not cleared for writes), or 404.
async fn check_owner(tx: &mut dyn Tx, owner: RateOwner, write: bool) -> Result<(), AppError> {
    match owner {
        RateOwner::Directory => Ok(()),
        RateOwner::Group(g) => match tx.group(g).await? {
            Some(_) => Ok(()),
            None => Err(AppError::NotFound {
                what: "client group",
            }),
        },
        RateOwner::Client(c) if write => load_writable_client(tx, c).await.map(|_| ()),
        RateOwner::Client(c) => load_client(tx, c).await.map(|_| ()),
    }
}

/// A currency chosen for a rate: an enabled one from Directories → Currencies.
async fn chosen_currency(
    tx: &mut dyn Tx,
    invalid: &mut Invalid,
    field: &str,
    raw: &str,
) -> Result<Option<CurrencyRecord>, AppError> {
    let Some(code) = invalid.check(Currency::parse(field, raw)) else {
        return Ok(None);
    };
    Ok(match tx.currency(code.code()).await? {
        Some(c) if c.is_active => Some(c),
        Some(_) => {
            invalid.push(
                field,
                ErrorCode::CurrencyDisabled,
                "is not enabled in Directories → Currencies",
            );
            None
        }
        None => {
            invalid.push(field, ErrorCode::InvalidCurrency, "no such currency");
            None
        }
    })
}

/// The code and minor units of a rate's currency: checked when chosen now (a currency
/// disabled since does not void the rates it already has), read as it is when kept.
async fn resolve_currency(
    tx: &mut dyn Tx,
    invalid: &mut Invalid,
    field: &str,
    chosen: Option<(String, bool)>,
) -> Result<Option<(String, i64)>, AppError> {
    Ok(match chosen {
        Some((raw, true)) => chosen_currency(tx, invalid, field, &raw)
            .await?
            .map(|c| (c.code, c.minor_units)),
        Some((code, false)) => {
            let minor = tx.currency(&code).await?.map_or(2, |c| c.minor_units);
            Some((code, minor))
        }
        None => None,
    })
}

/// How a saved rate gets its value.
enum Value {
    /// Entered by hand.
    Manual(String),
    /// Derived: the source rate and the expression.
    Derived(RateRecord, Expression),
    /// Unchanged.
    Kept,
}

/// Reads whether the input enters, derives or keeps the rate.
async fn value_of(
    tx: &mut dyn Tx,
    invalid: &mut Invalid,
    owner: RateOwner,
    input: &RateInput,
    old: Option<&RateRecord>,
) -> Result<Option<Value>, AppError> {
    let derives = input.source_id.is_some() || input.expression.is_some();
    if derives && owner != RateOwner::Directory {
        invalid.push(
            "source_id",
            ErrorCode::Invalid,
            "only directory rates are derived",
        );
        return Ok(None);
    }
    match (&input.rate, derives) {
        (Some(_), true) => {
            invalid.push(
                "rate",
                ErrorCode::Invalid,
                "give either a rate or a source rate and an expression",
            );
            Ok(None)
        }
        (Some(raw), false) => Ok(Some(Value::Manual(raw.clone()))),
        (None, false) if old.is_some() => Ok(Some(Value::Kept)),
        (None, false) => {
            invalid.push("rate", ErrorCode::Required, "is required");
            Ok(None)
        }
        (None, true) => {
            let source = match input
                .source_id
                .clone()
                .or_else(|| old.and_then(|o| o.source_id.map(|s| s.to_string())))
            {
                None => {
                    invalid.push("source_id", ErrorCode::Required, "is required");
                    None
                }
                Some(raw) => {
                    let found = match raw.trim().parse::<Uuid>() {
                        Ok(id) if old.is_none_or(|o| o.id != id) => {
                            tx.rate(RateOwner::Directory, id).await?
                        }
                        _ => None,
                    };
                    if found.is_none() {
                        invalid.push("source_id", ErrorCode::InvalidId, "no such rate");
                    }
                    // A rate may not be derived, however indirectly, from itself.
                    if let (Some(me), Some(mut step)) = (old, found.clone()) {
                        for _ in 0..100 {
                            let Some(next) = step.source_id else { break };
                            if next == me.id {
                                invalid.push(
                                    "source_id",
                                    ErrorCode::DerivationCycle,
                                    "that rate is derived from this one",
                                );
                                break;
                            }
                            match tx.rate(RateOwner::Directory, next).await? {
                                Some(r) => step = r,
                                None => break,
                            }
                        }
                    }
                    found
                }
            };
            let expression = match input
                .expression
                .clone()
                .or_else(|| old.and_then(|o| o.expression.clone()))
            {
                None => {
                    invalid.push("expression", ErrorCode::Required, "is required");
                    None
                }
                Some(raw) => invalid.check(Expression::parse("expression", &raw)),
            };
            Ok(source.zip(expression).map(|(s, e)| Value::Derived(s, e)))
        }
    }
}

/// The saved rate from the input over the old one (or the source's pair, for a new derived
/// rate), or every refused field.
async fn build(
    w: &mut Work<'_>,
    owner: RateOwner,
    input: &RateInput,
    old: Option<&RateRecord>,
) -> Result<RateRecord, AppError> {
    let now = w.now();
    let mut invalid = Invalid::default();
    let value = value_of(w.tx(), &mut invalid, owner, input, old).await?;
    let source = match &value {
        Some(Value::Derived(s, _)) => Some(s.clone()),
        _ => None,
    };
    // A derivation already refused (no such source) says so once, not again as a missing
    // pair it would have given.
    let refused_derivation =
        value.is_none() && (input.source_id.is_some() || input.expression.is_some());
    let mut pick = |field: &str, given: &Option<String>, kept: Option<String>| match given {
        Some(raw) => Some((raw.clone(), true)),
        None => kept.map(|k| (k, false)).or_else(|| {
            if !(refused_derivation && field != "valid_from") {
                invalid.push(field, ErrorCode::Required, "is required");
            }
            None
        }),
    };
    let from_source = |f: fn(&RateRecord) -> String| old.or(source.as_ref()).map(f);
    let base_raw = pick("base", &input.base, from_source(|r| r.base_code.clone()));
    let currency_raw = pick(
        "currency",
        &input.currency,
        from_source(|r| r.currency_code.clone()),
    );
    let valid_raw = pick(
        "valid_from",
        &input.valid_from,
        old.map(|o| o.valid_from.to_string()),
    );
    let base = resolve_currency(w.tx(), &mut invalid, "base", base_raw).await?;
    let currency = resolve_currency(w.tx(), &mut invalid, "currency", currency_raw).await?;
    if let (Some((b, _)), Some((c, _))) = (&base, &currency) {
        invalid.check(check_pair("currency", b, c));
    }
    let valid_from =
        valid_raw.and_then(|(raw, _)| invalid.check(parse_valid_from("valid_from", &raw)));
    let units = match &input.units {
        Some(raw) => invalid.check(parse_units("units", raw)),
        None => Some(old.or(source.as_ref()).map_or(1, |r| r.units)),
    };
    let (rate, source_id, expression) = match value {
        Some(Value::Manual(raw)) => (invalid.check(parse_rate("rate", &raw)), None, None),
        Some(Value::Derived(s, e)) => (
            invalid.check(e.apply("expression", s.rate)),
            Some(s.id),
            Some(e.to_string()),
        ),
        Some(Value::Kept) => match old {
            Some(o) => (Some(o.rate), o.source_id, o.expression.clone()),
            None => (None, None, None),
        },
        None => (None, None, None),
    };
    let amount_minor = match (&input.amount, owner, &base) {
        (Some(raw), RateOwner::Client(_), Some((_, minor))) if !raw.trim().is_empty() => {
            let minor = u16::try_from(*minor).unwrap_or(2);
            invalid.check(parse_positive_amount("amount", raw, minor))
        }
        (Some(raw), RateOwner::Directory | RateOwner::Group(_), _) if !raw.trim().is_empty() => {
            invalid.push(
                "amount",
                ErrorCode::ReadOnly,
                "only a client's personal rate has an amount limit",
            );
            None
        }
        (Some(_), _, _) => None,
        (None, _, _) => old.and_then(|o| o.amount_minor),
    };
    invalid.into_result()?;
    match (base, currency, valid_from, units, rate) {
        (
            Some((base_code, _)),
            Some((currency_code, _)),
            Some(valid_from),
            Some(units),
            Some(rate),
        ) => Ok(RateRecord {
            id: old.map_or_else(Uuid::now_v7, |o| o.id),
            owner,
            base_code,
            currency_code,
            rate,
            units,
            valid_from,
            source_id,
            expression,
            amount_minor,
            created_at: old.map_or(now, |o| o.created_at),
            updated_at: now,
        }),
        _ => Err(AppError::internal_msg("validated rate fields missing")),
    }
}

/// Recomputes every directory rate derived (directly or through others) from `changed`,
/// each with its own history entry. A derivation the new value makes unusable (`-100` of a
/// rate now below 100) refuses the whole edit.
async fn rederive(w: &mut Work<'_>, changed: &RateRecord) -> Result<(), AppError> {
    let mut queue = vec![changed.clone()];
    let mut seen = vec![changed.id];
    while let Some(source) = queue.pop() {
        for old in w.tx().rates_derived_from(source.id).await? {
            let Some(raw) = old.expression.clone() else {
                continue;
            };
            if seen.contains(&old.id) {
                continue;
            }
            seen.push(old.id);
            let derived = Expression::parse("expression", &raw)
                .and_then(|e| e.apply("rate", source.rate))
                .map_err(|_| {
                    AppError::invalid(
                        "rate",
                        ErrorCode::OutOfRange,
                        format!("would make the rate derived from it ({raw}) unusable"),
                    )
                })?;
            let new = RateRecord {
                rate: derived,
                updated_at: w.now(),
                ..old.clone()
            };
            w.tx().update_rate(&new).await?;
            let (object, action) = history_of(&new, "update");
            w.record(object, action, changes(Some(&old), Some(&new)));
            queue.push(new);
        }
    }
    Ok(())
}

impl App {
    /// A page of the owner's rates, newest first.
    pub async fn list_rates(
        &self,
        who: &Principal,
        owner: RateOwner,
        filter: RateFilterParams<'_>,
        page: Page,
    ) -> Result<Paged<RateRecord>, AppError> {
        who.require_any(&[f::RATE_VIEW, f::RATE_EDIT])?;
        let filter = filter.parse()?;
        let mut tx = self.store.read().await?;
        check_owner(tx.as_mut(), owner, false).await?;
        let (items, total) = tx.list_rates(owner, &filter, page).await?;
        tx.commit().await?;
        Ok(Paged {
            items,
            page: page.number,
            per_page: page.size,
            total,
        })
    }

    /// The currencies a rate may be entered in: those enabled in Directories → Currencies.
    pub async fn rate_currencies(&self, who: &Principal) -> Result<Vec<CurrencyRecord>, AppError> {
        who.require_any(&[f::RATE_VIEW, f::RATE_EDIT])?;
        let mut tx = self.store.read().await?;
        let list = tx.list_currencies().await?;
        tx.commit().await?;
        Ok(list.into_iter().filter(|c| c.is_active).collect())
    }

    /// The client group whose rates a page shows (its name, for the heading).
    pub async fn rate_group(
        &self,
        who: &Principal,
        id: ClientGroupId,
    ) -> Result<ClientGroupRecord, AppError> {
        who.require_any(&[f::RATE_VIEW, f::RATE_EDIT])?;
        let mut tx = self.store.read().await?;
        let group = tx.group(id).await?.ok_or(AppError::NotFound {
            what: "client group",
        })?;
        tx.commit().await?;
        Ok(group)
    }

    /// The owner's rate `id`; another owner's is "not found".
    pub async fn rate(
        &self,
        who: &Principal,
        owner: RateOwner,
        id: Uuid,
    ) -> Result<RateRecord, AppError> {
        who.require_any(&[f::RATE_VIEW, f::RATE_EDIT])?;
        let mut tx = self.store.read().await?;
        check_owner(tx.as_mut(), owner, false).await?;
        let r = tx.rate(owner, id).await?.ok_or(not_found(owner))?;
        tx.commit().await?;
        Ok(r)
    }

    /// Adds (`id` = `None`) or edits a rate of the owner.
    pub async fn save_rate(
        &self,
        who: &Principal,
        owner: RateOwner,
        id: Option<Uuid>,
        input: RateInput,
    ) -> Result<RateRecord, AppError> {
        let input = &input;
        self.write(who, f::RATE_EDIT, |w| {
            Box::pin(async move {
                check_owner(w.tx(), owner, true).await?;
                let old = match id {
                    Some(id) => Some(w.tx().rate(owner, id).await?.ok_or(not_found(owner))?),
                    None => None,
                };
                let new = build(w, owner, input, old.as_ref()).await?;
                let action = if old.is_some() {
                    w.tx().update_rate(&new).await?;
                    "update"
                } else {
                    w.tx().insert_rate(&new).await?;
                    "create"
                };
                let diff = changes(old.as_ref(), Some(&new));
                if !diff.is_empty() {
                    let (object, action) = history_of(&new, action);
                    w.record(object, action, diff);
                }
                if old.as_ref().is_some_and(|o| o.rate != new.rate) {
                    rederive(w, &new).await?;
                }
                Ok(new)
            })
        })
        .await
    }

    /// Deletes a rate of the owner. Rates derived from it keep their value and become
    /// entered by hand (their expression is dropped, in their history too).
    pub async fn delete_rate(
        &self,
        who: &Principal,
        owner: RateOwner,
        id: Uuid,
    ) -> Result<(), AppError> {
        self.write(who, f::RATE_EDIT, |w| {
            Box::pin(async move {
                check_owner(w.tx(), owner, true).await?;
                let old = w.tx().rate(owner, id).await?.ok_or(not_found(owner))?;
                for derived in w.tx().rates_derived_from(id).await? {
                    let kept = RateRecord {
                        source_id: None,
                        expression: None,
                        updated_at: w.now(),
                        ..derived.clone()
                    };
                    w.tx().update_rate(&kept).await?;
                    let (object, action) = history_of(&kept, "update");
                    w.record(object, action, changes(Some(&derived), Some(&kept)));
                }
                w.tx().delete_rate(owner, id).await?;
                let (object, action) = history_of(&old, "delete");
                w.record(object, action, changes(Some(&old), None));
                Ok(())
            })
        })
        .await
    }
}
