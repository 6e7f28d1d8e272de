//! Tax rules (issue 11, seed 004 "Taxes", reference §1.11): the rules of a provider and of a
//! client group (Finance → Taxes), a client's special rules (the card's Tax tab), and the
//! tax an expense includes under them. The choice among rules is the domain's
//! ([`bursar_domain::pricing::taxes`]); this module validates what staff type, refuses a rule
//! that competes with another of its level (read and insert in one serializable
//! transaction, so two parallel requests cannot both pass the check), and keeps history.
//!
//! Dates: a provider's or group's rule takes instants (RFC 3339); a client's rule also takes
//! `YYYY-MM-DD hh:mm:ss` in its time zone, as seed 004's form does. Both are stored as UTC
//! instants with the zone, and shown back in the zone.

use crate::clients::load_client;
use crate::error::AppError;
use crate::ports::{
    PaymentRecord, ProductTypeRecord, ProviderRecord, TargetKind, TaxRuleFilter, TaxRuleRecord, Tx,
};
use crate::{App, Principal};
use bursar_domain::directory::Country;
use bursar_domain::functions::f;
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::money::format_minor;
use bursar_domain::pricing::rounding::share;
use bursar_domain::pricing::taxes::{
    NO_PRODUCT, applicable, check_rule, joined_name, parse_rate, tax_of,
};
use bursar_domain::validation::{parse_text, required_text};
use bursar_domain::{ClientGroupId, ClientId, ErrorCode, ExpenseId, Invalid, PayerId, ProviderId};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use uuid::Uuid;

/// The name a client's special rule gets when staff give none (seed 004's form has no name).
pub const SPECIAL_RULE_NAME: &str = "Special rate";

/// Where a rule lives: the provider's and groups' list, or one client's card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleScope {
    Shared,
    Client(ClientId),
}

/// The rule form; on edit, `None` leaves a field as it is and an empty text clears an
/// optional one.
#[derive(Clone, Debug, Default)]
pub struct TaxRuleInput {
    pub provider_id: Option<String>,
    /// A group's rule (shared scope only); empty is the provider's own.
    pub group_id: Option<String>,
    pub name: Option<String>,
    /// Percent with up to two decimals.
    pub rate: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    /// Product type ids; empty is any product.
    pub product_types: Option<Vec<String>>,
    /// A client's rule only: the IANA zone its dates are typed and shown in.
    pub time_zone: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
}

/// A list's filter as typed (query parameters).
#[derive(Clone, Debug, Default)]
pub struct TaxRuleQuery {
    pub provider_id: Option<String>,
    pub group_id: Option<String>,
}

/// The tax an amount includes, as an expense stores it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncludedTax {
    /// The rules' rates summed.
    pub rate_bp: i64,
    pub minor: i64,
    /// The rules' names joined; empty when no rule applies.
    pub name: String,
}

/// An instant as a client's rule shows it: `YYYY-MM-DD hh:mm:ss` in its zone.
pub fn local_time(at: Timestamp, zone: &str) -> String {
    let tz = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
    at.to_zoned(tz).strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// A rate as people read it: `20 %`, `7.25 %`.
pub fn percent(rate_bp: i64) -> String {
    let text = format_minor(rate_bp, 2);
    let text = text.strip_suffix(".00").unwrap_or(&text);
    format!("{text} %")
}

fn rule_ref(r: &TaxRuleRecord) -> ObjectRef {
    ObjectRef {
        kind: "tax_rule",
        id: r.id.to_string(),
        client: r.client_id,
    }
}

fn not_found() -> AppError {
    AppError::NotFound { what: "tax rule" }
}

fn in_scope(r: &TaxRuleRecord, scope: RuleScope) -> bool {
    match scope {
        RuleScope::Shared => r.client_id.is_none(),
        RuleScope::Client(c) => r.client_id == Some(c),
    }
}

/// An instant typed as RFC 3339 (`2027-01-01T00:00:00Z`) or as `YYYY-MM-DD hh:mm[:ss]` in
/// `zone`.
fn parse_moment(
    invalid: &mut Invalid,
    field: &str,
    raw: &str,
    zone: &TimeZone,
) -> Option<Timestamp> {
    let raw = raw.trim();
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Some(t);
    }
    match raw
        .parse::<DateTime>()
        .and_then(|d| d.to_zoned(zone.clone()))
    {
        Ok(z) => Some(z.timestamp()),
        Err(_) => {
            invalid.push(
                field,
                ErrorCode::Invalid,
                "must be a date and time such as 2027-01-01 00:00:00 (or RFC 3339)",
            );
            None
        }
    }
}

fn parse_id<T: std::str::FromStr>(raw: &str) -> Option<T> {
    raw.trim().parse().ok()
}

/// Reads the form over `old` (or blanks) into a record, with every refused field listed.
struct Parsed {
    rule: TaxRuleRecord,
    invalid: Invalid,
}

async fn parse_input(
    tx: &mut dyn Tx,
    scope: RuleScope,
    old: Option<&TaxRuleRecord>,
    input: &TaxRuleInput,
    types: &[ProductTypeRecord],
    now: Timestamp,
) -> Result<Parsed, AppError> {
    let mut invalid = Invalid::default();
    let mut r = old.cloned().unwrap_or(TaxRuleRecord {
        id: Uuid::now_v7(),
        provider_id: ProviderId(Uuid::nil()),
        group_id: None,
        client_id: match scope {
            RuleScope::Client(c) => Some(c),
            RuleScope::Shared => None,
        },
        name: String::new(),
        rate_bp: 0,
        country: None,
        region: None,
        product_types: Vec::new(),
        time_zone: "UTC".to_owned(),
        starts_at: now,
        ends_at: None,
        created_at: now,
        updated_at: now,
    });
    match (&input.provider_id, old) {
        (Some(raw), _) => match parse_id::<ProviderId>(raw) {
            Some(id) if tx.provider(id).await?.is_some() => r.provider_id = id,
            _ => invalid.push(
                "provider_id",
                ErrorCode::UnknownProvider,
                "choose a provider from the list",
            ),
        },
        (None, None) => invalid.push("provider_id", ErrorCode::Required, "is required"),
        (None, Some(_)) => {}
    }
    if scope == RuleScope::Shared
        && let Some(raw) = &input.group_id
    {
        if raw.trim().is_empty() {
            r.group_id = None;
        } else {
            match parse_id::<ClientGroupId>(raw) {
                Some(id) if tx.group(id).await?.is_some() => r.group_id = Some(id),
                _ => invalid.push(
                    "group_id",
                    ErrorCode::UnknownGroup,
                    "choose a client group from the list",
                ),
            }
        }
    }
    match (&input.name, scope) {
        (Some(raw), RuleScope::Shared) => {
            if let Some(n) = invalid.check(required_text("name", raw, 100)) {
                r.name = n;
            }
        }
        (Some(raw), RuleScope::Client(_)) => {
            if let Some(n) = invalid.check(parse_text("name", raw, 100)) {
                r.name = n.unwrap_or_else(|| SPECIAL_RULE_NAME.to_owned());
            }
        }
        (None, RuleScope::Shared) if old.is_none() => {
            invalid.push("name", ErrorCode::Required, "is required")
        }
        (None, RuleScope::Client(_)) if old.is_none() => r.name = SPECIAL_RULE_NAME.to_owned(),
        (None, _) => {}
    }
    match &input.rate {
        Some(raw) => {
            if let Some(bp) = invalid.check(parse_rate("rate", raw)) {
                r.rate_bp = bp;
            }
        }
        None if old.is_none() => invalid.push("rate", ErrorCode::Required, "is required"),
        None => {}
    }
    let mut country_refused = false;
    if let Some(raw) = &input.country {
        r.country = if raw.trim().is_empty() {
            None
        } else {
            let c = invalid.check(Country::parse("country", raw));
            country_refused = c.is_none();
            c.map(|c| c.code().to_owned())
        };
    }
    if let Some(raw) = &input.region
        && let Some(region) = invalid.check(parse_text("region", raw, 100))
    {
        r.region = region;
    }
    if r.region.is_some() && r.country.is_none() && !country_refused {
        invalid.push("country", ErrorCode::Required, "a region needs its country");
    }
    if let Some(list) = &input.product_types {
        let mut ids = Vec::new();
        for (n, raw) in list.iter().enumerate() {
            match parse_id::<Uuid>(raw) {
                Some(id) if types.iter().any(|t| t.id == id) => {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                _ => invalid.push(
                    &format!("product_types[{n}]"),
                    ErrorCode::UnknownProductType,
                    "choose product types from the list",
                ),
            }
        }
        r.product_types = ids;
    }
    if let (RuleScope::Client(_), Some(raw)) = (scope, &input.time_zone) {
        let raw = raw.trim();
        if TimeZone::get(raw).is_ok() && !raw.is_empty() {
            raw.clone_into(&mut r.time_zone);
        } else {
            invalid.push(
                "time_zone",
                ErrorCode::UnknownTimeZone,
                format!("`{raw}` is not a known time zone"),
            );
        }
    }
    let zone = TimeZone::get(&r.time_zone).unwrap_or(TimeZone::UTC);
    match &input.starts_at {
        Some(raw) if !raw.trim().is_empty() => {
            if let Some(t) = parse_moment(&mut invalid, "starts_at", raw, &zone) {
                r.starts_at = t;
            }
        }
        _ if old.is_none() || input.starts_at.is_some() => {
            invalid.push("starts_at", ErrorCode::Required, "is required")
        }
        _ => {}
    }
    if let Some(raw) = &input.ends_at {
        r.ends_at = if raw.trim().is_empty() {
            None
        } else {
            parse_moment(&mut invalid, "ends_at", raw, &zone)
        };
    }
    // Reported with the other fields' problems, not only once they are right.
    if r.ends_at.is_some_and(|end| end <= r.starts_at)
        && !invalid.0.iter().any(|e| e.field == "ends_at")
    {
        invalid.push(
            "ends_at",
            ErrorCode::EndBeforeStart,
            "must be after the start",
        );
    }
    Ok(Parsed { rule: r, invalid })
}

/// What history says of a rule, in words: names rather than ids, rates in percent, dates
/// in the rule's zone.
async fn described(
    tx: &mut dyn Tx,
    r: &TaxRuleRecord,
    types: &[ProductTypeRecord],
) -> Result<Vec<(&'static str, String)>, AppError> {
    let provider = tx
        .provider(r.provider_id)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let group = match r.group_id {
        Some(g) => tx.group(g).await?.map(|g| g.name).unwrap_or_default(),
        None => String::new(),
    };
    let products = r
        .product_types
        .iter()
        .map(|id| {
            types
                .iter()
                .find(|t| t.id == *id)
                .map_or_else(|| id.to_string(), |t| t.name_en.clone())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let when = |t: Option<Timestamp>| {
        t.map(|t| format!("{} {}", local_time(t, &r.time_zone), r.time_zone))
            .unwrap_or_default()
    };
    Ok(vec![
        ("provider", provider),
        ("group", group),
        ("name", r.name.clone()),
        ("tax_rate", percent(r.rate_bp)),
        ("country", r.country.clone().unwrap_or_default()),
        ("region", r.region.clone().unwrap_or_default()),
        ("product_types", products),
        ("starts_at", when(Some(r.starts_at))),
        ("ends_at", when(r.ends_at)),
    ])
}

fn changes_between(old: &[(&'static str, String)], new: &[(&'static str, String)]) -> Changes {
    new.iter().fold(Changes::default(), |c, (field, value)| {
        let before = old
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        c.diff(field, &before, value)
    })
}

/// The tax `amount_minor` includes when `client` buys from `provider` at `at`: the rules of
/// the most personal level for the payer's country (the default payer's, else the client's)
/// and the service's product type (none: only rules for any product).
pub(crate) async fn included_tax_by_rules(
    tx: &mut dyn Tx,
    client: ClientId,
    provider: ProviderId,
    service: Option<Uuid>,
    amount_minor: i64,
    at: Timestamp,
) -> Result<IncludedTax, AppError> {
    let product_type = match service {
        Some(s) => tx.service_product_type(s).await?.unwrap_or(NO_PRODUCT),
        None => NO_PRODUCT,
    };
    let place = payer_place(tx, client, None).await?;
    included_tax_of(tx, client, provider, product_type, place, amount_minor, at).await
}

/// The country and region taxes look at: the given payer's, else the client's default
/// payer's, else the client's own country.
pub(crate) async fn payer_place(
    tx: &mut dyn Tx,
    client: ClientId,
    payer: Option<PayerId>,
) -> Result<(Option<Country>, Option<String>), AppError> {
    let payers = tx.payers_of(client).await?;
    let chosen = payers
        .iter()
        .find(|p| Some(p.id) == payer)
        .or_else(|| payers.iter().find(|p| p.is_default));
    Ok(match chosen {
        Some(p) => (Some(p.country), p.region.clone()),
        None => (load_client(tx, client).await?.country, None),
    })
}

async fn included_tax_of(
    tx: &mut dyn Tx,
    client: ClientId,
    provider: ProviderId,
    product_type: Uuid,
    (country, region): (Option<Country>, Option<String>),
    amount_minor: i64,
    at: Timestamp,
) -> Result<IncludedTax, AppError> {
    let rules: Vec<_> = tx
        .tax_rules_for_client(provider, client)
        .await?
        .iter()
        .map(TaxRuleRecord::rule)
        .collect();
    let chosen = applicable(
        &rules,
        product_type,
        country.map(Country::code),
        region.as_deref(),
        at,
    );
    let parts = tax_of(amount_minor, &chosen, true);
    Ok(IncludedTax {
        rate_bp: chosen.iter().map(|r| r.rate_bp).sum(),
        minor: parts.iter().map(|p| p.amount_minor).sum(),
        name: joined_name(&chosen),
    })
}

/// One tax line of a document: the rules' names, their summed rate, the amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxLine {
    /// Empty for a rate typed by hand on an expense.
    pub name: String,
    pub rate_bp: i64,
    pub minor: i64,
}

/// A tax line's label in a document: `VAT 20 %` (included in the amounts).
pub fn line_label(t: &TaxLine, locale: bursar_domain::Locale) -> String {
    let name = if t.name.is_empty() {
        match locale {
            bursar_domain::Locale::En => "Tax",
            bursar_domain::Locale::Ru => "Налог",
        }
    } else {
        &t.name
    };
    format!("{name} {}", percent(t.rate_bp))
}

/// An expense's tax as its list shows it: the rules' names and rate (`VAT 20 %`).
pub fn expense_tax_label(e: &crate::ports::ExpenseRecord, locale: bursar_domain::Locale) -> String {
    line_label(
        &TaxLine {
            name: e.tax_name.clone(),
            rate_bp: e.tax_rate_bp,
            minor: e.tax_minor,
        },
        locale,
    )
}

fn add_line(lines: &mut Vec<TaxLine>, name: &str, rate_bp: i64, minor: i64) {
    if rate_bp == 0 && minor == 0 {
        return;
    }
    match lines
        .iter_mut()
        .find(|l| l.name == name && l.rate_bp == rate_bp)
    {
        Some(l) => l.minor += minor,
        None => lines.push(TaxLine {
            name: name.to_owned(),
            rate_bp,
            minor,
        }),
    }
}

/// The tax a payment's invoice shows: for the expenses it paid, their tax in proportion to
/// the part paid; for the rest (a top-up), when the provider shows tax on top-ups, the tax
/// that part includes under the rules for any product. A refund shows none.
pub(crate) async fn payment_tax_lines(
    tx: &mut dyn Tx,
    p: &PaymentRecord,
    provider: &ProviderRecord,
) -> Result<Vec<TaxLine>, AppError> {
    let mut lines = Vec::new();
    if p.refund_of.is_some() || p.amount_minor <= 0 {
        return Ok(lines);
    }
    let mut paid_for = 0;
    for a in tx.allocations_of_payment(p.id).await? {
        if a.target_kind != TargetKind::Expense {
            continue;
        }
        paid_for += a.amount_minor;
        let Some(e) = tx.expense(ExpenseId(a.target_id)).await? else {
            continue;
        };
        // The expense's tax in proportion to the part this payment paid, rounded as prices are.
        let share = share(e.tax_minor, a.amount_minor, e.amount_minor);
        add_line(&mut lines, &e.tax_name, e.tax_rate_bp, share);
    }
    let top_up = p.amount_minor - paid_for;
    if provider.show_tax_on_top_up && top_up > 0 {
        let place = payer_place(tx, p.client_id, p.payer_id).await?;
        let tax = included_tax_of(
            tx,
            p.client_id,
            provider.id,
            NO_PRODUCT,
            place,
            top_up,
            p.created_at,
        )
        .await?;
        add_line(&mut lines, &tax.name, tax.rate_bp, tax.minor);
    }
    Ok(lines)
}

/// What a rule's form offers and its list names: providers, client groups, product types.
#[derive(Clone, Debug, Default)]
pub struct TaxChoices {
    pub providers: Vec<ProviderRecord>,
    pub groups: Vec<crate::ports::ClientGroupRecord>,
    pub types: Vec<ProductTypeRecord>,
}

impl App {
    /// The choices of the rule forms, for whoever may see tax rules (without needing the
    /// catalog's or the groups' own rights).
    pub async fn tax_choices(&self, who: &Principal) -> Result<TaxChoices, AppError> {
        who.require_any(&[f::TAX_VIEW, f::TAX_EDIT])?;
        let mut tx = self.store.read().await?;
        let choices = TaxChoices {
            providers: tx.list_providers().await?,
            groups: tx
                .list_groups()
                .await?
                .into_iter()
                .map(|(g, _)| g)
                .collect(),
            types: tx.product_types().await?,
        };
        tx.commit().await?;
        Ok(choices)
    }

    /// The provider's and groups' rules, filtered by provider and group.
    pub async fn tax_rules(
        &self,
        who: &Principal,
        query: &TaxRuleQuery,
    ) -> Result<Vec<TaxRuleRecord>, AppError> {
        who.require_any(&[f::TAX_VIEW, f::TAX_EDIT])?;
        let mut invalid = Invalid::default();
        let mut filter = TaxRuleFilter::default();
        if let Some(raw) = query
            .provider_id
            .as_deref()
            .filter(|r| !r.trim().is_empty())
        {
            filter.provider_id = parse_id(raw);
            if filter.provider_id.is_none() {
                invalid.push("provider_id", ErrorCode::InvalidFilter, "is not an id");
            }
        }
        if let Some(raw) = query.group_id.as_deref().filter(|r| !r.trim().is_empty()) {
            filter.group_id = parse_id(raw);
            if filter.group_id.is_none() {
                invalid.push("group_id", ErrorCode::InvalidFilter, "is not an id");
            }
        }
        invalid.into_result()?;
        let mut tx = self.store.read().await?;
        let list = tx.list_tax_rules(&filter).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// A client's special rules.
    pub async fn client_tax_rules(
        &self,
        who: &Principal,
        client: ClientId,
    ) -> Result<Vec<TaxRuleRecord>, AppError> {
        who.require_any(&[f::TAX_VIEW, f::TAX_EDIT])?;
        let mut tx = self.store.read().await?;
        load_client(tx.as_mut(), client).await?;
        let list = tx
            .list_tax_rules(&TaxRuleFilter {
                client_id: Some(client),
                ..TaxRuleFilter::default()
            })
            .await?;
        tx.commit().await?;
        Ok(list)
    }

    /// One rule of the scope; another scope's rule is not found.
    pub async fn tax_rule(
        &self,
        who: &Principal,
        scope: RuleScope,
        id: Uuid,
    ) -> Result<TaxRuleRecord, AppError> {
        who.require_any(&[f::TAX_VIEW, f::TAX_EDIT])?;
        let mut tx = self.store.read().await?;
        let rule = tx.tax_rule(id).await?.filter(|r| in_scope(r, scope));
        tx.commit().await?;
        rule.ok_or_else(not_found)
    }

    /// Adds (`id: None`) or edits a rule. A rule that competes with another of its level
    /// (same place, meeting products and periods) is refused with `overlapping_rule`.
    pub async fn save_tax_rule(
        &self,
        who: &Principal,
        scope: RuleScope,
        id: Option<Uuid>,
        input: TaxRuleInput,
    ) -> Result<TaxRuleRecord, AppError> {
        let input = &input;
        self.write(who, f::TAX_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                if let RuleScope::Client(c) = scope {
                    load_client(w.tx(), c).await?;
                }
                let old = match id {
                    Some(id) => Some(
                        w.tx()
                            .tax_rule(id)
                            .await?
                            .filter(|r| in_scope(r, scope))
                            .ok_or_else(not_found)?,
                    ),
                    None => None,
                };
                let types = w.tx().product_types().await?;
                let Parsed { mut rule, invalid } =
                    parse_input(w.tx(), scope, old.as_ref(), input, &types, now).await?;
                invalid.into_result()?;
                let others: Vec<_> = w
                    .tx()
                    .provider_tax_rules(rule.provider_id)
                    .await?
                    .iter()
                    .map(TaxRuleRecord::rule)
                    .collect();
                check_rule(&rule.rule(), &others)?;
                rule.updated_at = now;
                let after = described(w.tx(), &rule, &types).await?;
                let before = match &old {
                    Some(o) => described(w.tx(), o, &types).await?,
                    None => Vec::new(),
                };
                let mut changes = changes_between(&before, &after);
                if let RuleScope::Client(_) = scope {
                    changes = changes.diff(
                        "time_zone",
                        &old.as_ref()
                            .map(|o| o.time_zone.clone())
                            .unwrap_or_default(),
                        &rule.time_zone,
                    );
                }
                match &old {
                    Some(_) => w.tx().update_tax_rule(&rule).await?,
                    None => w.tx().insert_tax_rule(&rule).await?,
                }
                if !changes.is_empty() {
                    let action = if old.is_some() { "update" } else { "create" };
                    w.record(rule_ref(&rule), action, changes);
                }
                Ok(rule)
            })
        })
        .await
    }

    pub async fn delete_tax_rule(
        &self,
        who: &Principal,
        scope: RuleScope,
        id: Uuid,
    ) -> Result<(), AppError> {
        self.write(who, f::TAX_EDIT, |w| {
            Box::pin(async move {
                let rule = w
                    .tx()
                    .tax_rule(id)
                    .await?
                    .filter(|r| in_scope(r, scope))
                    .ok_or_else(not_found)?;
                let types = w.tx().product_types().await?;
                let before = described(w.tx(), &rule, &types).await?;
                w.tx().delete_tax_rule(id).await?;
                let gone: Vec<_> = before.iter().map(|(f, _)| (*f, String::new())).collect();
                w.record(rule_ref(&rule), "delete", changes_between(&before, &gone));
                Ok(())
            })
        })
        .await
    }
}
