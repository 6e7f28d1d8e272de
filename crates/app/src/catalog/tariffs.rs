//! Tariff plans (seed 003, reference §1.3): what a client orders. A plan belongs to one
//! product type and one provider (which never changes), is priced per period (a price and a
//! setup fee for each offered period, in the provider's currency or another enabled one), may
//! be orderable by clients or by staff only, offered for quick order, and closed to client
//! groups. Add-ons (tariff details) follow the plan's periods. A plan with services is
//! archived rather than deleted.

use super::{catalog_ref, not_found, optional_text, parse_id, required_name};
use crate::error::AppError;
use crate::ports::{AddonPrice, AddonRecord, CatalogId, PriceRecord, TariffRecord, Tx};
use crate::{App, Principal};
use bursar_domain::catalog::{AddonBilling, Period, check_limits, parse_key};
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::money::{format_minor, parse_non_negative_amount};
use bursar_domain::{ClientGroupId, ErrorCode, Invalid, ProviderId};

#[derive(Clone, Debug, Default)]
pub struct PriceInput {
    pub period: String,
    /// A decimal amount; empty or absent is free.
    pub price: Option<String>,
    pub setup: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct TariffInput {
    pub product_type_id: Option<String>,
    pub provider_id: Option<String>,
    /// Default: the provider's currency.
    pub currency: Option<String>,
    pub name_en: Option<String>,
    pub name_ru: Option<String>,
    pub description_en: Option<String>,
    pub description_ru: Option<String>,
    pub is_active: Option<bool>,
    pub client_orderable: Option<bool>,
    pub quick_order: Option<bool>,
    /// 0 for no limit.
    pub max_services: Option<i64>,
    pub default_period: Option<String>,
    pub trial_days: Option<i64>,
    /// Replaces the prices when given.
    pub prices: Option<Vec<PriceInput>>,
    /// Client groups that may not order the plan; replaces the set when given.
    pub forbidden_groups: Option<Vec<String>>,
}

/// A plan with its add-ons, the groups it is closed to, and its currency's places.
#[derive(Clone, Debug)]
pub struct TariffView {
    pub tariff: TariffRecord,
    pub addons: Vec<AddonRecord>,
    pub forbidden_groups: Vec<ClientGroupId>,
    pub minor_units: u16,
}

impl TariffView {
    pub fn amount(&self, minor: i64) -> String {
        format_minor(minor, self.minor_units)
    }
}

#[derive(Clone, Debug, Default)]
pub struct AddonPriceInput {
    pub period: String,
    /// For a choice: the enumeration value; else empty.
    pub option: String,
    pub price: String,
}

#[derive(Clone, Debug, Default)]
pub struct AddonInput {
    pub key: Option<String>,
    pub name_en: Option<String>,
    pub name_ru: Option<String>,
    /// `none`, `order`, `choice`, `boolean` or `statistics`.
    pub billing: Option<String>,
    pub unit: Option<String>,
    pub included: Option<i64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub step: Option<i64>,
    pub enumeration_id: Option<String>,
    pub prices: Option<Vec<AddonPriceInput>>,
}

pub(crate) async fn places(tx: &mut dyn Tx, code: &str) -> Result<u16, AppError> {
    crate::money::minor_units(tx, code).await
}

fn prices_text(prices: &[PriceRecord], places: u16) -> String {
    prices
        .iter()
        .map(|p| {
            format!(
                "{}: {} + setup {}",
                p.period.key(),
                format_minor(p.price_minor, places),
                format_minor(p.setup_minor, places)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The groups closed to `tariff`, read from the groups' own setting (one source of truth:
/// the group form and the plan form edit the same list).
pub(crate) async fn forbidding(
    tx: &mut dyn Tx,
    tariff: CatalogId,
) -> Result<Vec<ClientGroupId>, AppError> {
    let id = tariff.to_string();
    Ok(tx
        .list_groups()
        .await?
        .into_iter()
        .filter(|(g, _)| g.forbidden_tariffs.contains(&id))
        .map(|(g, _)| g.id)
        .collect())
}

pub(crate) async fn view(tx: &mut dyn Tx, tariff: TariffRecord) -> Result<TariffView, AppError> {
    let minor_units = places(tx, &tariff.currency_code).await?;
    let addons = tx.addons_of(tariff.id).await?;
    let forbidden_groups = forbidding(tx, tariff.id).await?;
    Ok(TariffView {
        tariff,
        addons,
        forbidden_groups,
        minor_units,
    })
}

impl App {
    pub async fn tariffs(
        &self,
        who: &Principal,
        product_type: Option<CatalogId>,
    ) -> Result<Vec<TariffView>, AppError> {
        who.require_any(&[f::CATALOG_VIEW, f::CATALOG_EDIT])?;
        let mut tx = self.store.snapshot().await?;
        let mut out = Vec::new();
        for t in tx.tariffs(product_type).await? {
            out.push(view(tx.as_mut(), t).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    pub async fn tariff(&self, who: &Principal, id: CatalogId) -> Result<TariffView, AppError> {
        who.require_any(&[f::CATALOG_VIEW, f::CATALOG_EDIT])?;
        let mut tx = self.store.snapshot().await?;
        let t = tx.tariff(id).await?.ok_or(not_found("tariff plan"))?;
        let v = view(tx.as_mut(), t).await?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn save_tariff(
        &self,
        who: &Principal,
        id: Option<CatalogId>,
        input: TariffInput,
    ) -> Result<TariffView, AppError> {
        let input = &input;
        let id = self
            .write(who, f::CATALOG_EDIT, |w| {
                Box::pin(async move {
                    let now = w.now();
                    let old = match id {
                        Some(id) => Some(w.tx().tariff(id).await?.ok_or(not_found("tariff plan"))?),
                        None => None,
                    };
                    let mut invalid = Invalid::default();
                    let product_type_id = match (&input.product_type_id, &old) {
                        (Some(raw), _) => match parse_id(&mut invalid, "product_type_id", raw) {
                            Some(t) if w.tx().product_type(t).await?.is_some() => Some(t),
                            Some(_) => {
                                invalid.push(
                                    "product_type_id",
                                    ErrorCode::Invalid,
                                    "no such product type",
                                );
                                None
                            }
                            None => {
                                invalid.push("product_type_id", ErrorCode::Required, "is required");
                                None
                            }
                        },
                        (None, Some(o)) => Some(o.product_type_id),
                        (None, None) => {
                            invalid.push("product_type_id", ErrorCode::Required, "is required");
                            None
                        }
                    };
                    let provider = match (&input.provider_id, &old) {
                        (Some(raw), Some(o)) if raw.trim() != o.provider_id.to_string() => {
                            invalid.push(
                                "provider_id",
                                ErrorCode::ReadOnly,
                                "a plan's provider cannot change",
                            );
                            None
                        }
                        (_, Some(o)) => w.tx().provider(o.provider_id).await?,
                        (Some(raw), None) => match raw.trim().parse::<ProviderId>() {
                            Ok(p) => {
                                let found = w.tx().provider(p).await?;
                                if found.is_none() {
                                    invalid.push(
                                        "provider_id",
                                        ErrorCode::UnknownProvider,
                                        "no such provider",
                                    );
                                }
                                found
                            }
                            Err(_) => {
                                invalid.push(
                                    "provider_id",
                                    ErrorCode::UnknownProvider,
                                    "choose a provider",
                                );
                                None
                            }
                        },
                        (None, None) => {
                            invalid.push("provider_id", ErrorCode::Required, "is required");
                            None
                        }
                    };
                    let currency_code = match (&input.currency, &old, &provider) {
                        (Some(c), _, _) if !c.trim().is_empty() => c.trim().to_uppercase(),
                        (_, Some(o), _) => o.currency_code.clone(),
                        (_, None, Some(p)) => p.currency_code.clone(),
                        _ => String::new(),
                    };
                    let mut minor_units = 2;
                    if !currency_code.is_empty() {
                        match w.tx().currency(&currency_code).await? {
                            Some(c) if c.is_active => {
                                minor_units = u16::try_from(c.minor_units).unwrap_or(2)
                            }
                            Some(_) => invalid.push(
                                "currency",
                                ErrorCode::CurrencyDisabled,
                                "this currency is not enabled",
                            ),
                            None => invalid.push(
                                "currency",
                                ErrorCode::InvalidCurrency,
                                "no such currency",
                            ),
                        }
                    }
                    let name_en = required_name(
                        &mut invalid,
                        "name_en",
                        input.name_en.as_deref(),
                        old.as_ref().map(|o| o.name_en.as_str()),
                        100,
                    );
                    let name_ru = required_name(
                        &mut invalid,
                        "name_ru",
                        input.name_ru.as_deref(),
                        old.as_ref().map(|o| o.name_ru.as_str()),
                        100,
                    );
                    let description_en = optional_text(
                        &mut invalid,
                        "description_en",
                        input.description_en.as_deref(),
                        old.as_ref().map_or("", |o| o.description_en.as_str()),
                        2000,
                    );
                    let description_ru = optional_text(
                        &mut invalid,
                        "description_ru",
                        input.description_ru.as_deref(),
                        old.as_ref().map_or("", |o| o.description_ru.as_str()),
                        2000,
                    );
                    let trial_days = input
                        .trial_days
                        .or(old.as_ref().map(|o| o.trial_days))
                        .unwrap_or(0);
                    if !(0..=365).contains(&trial_days) {
                        invalid.push("trial_days", ErrorCode::OutOfRange, "must be 0 to 365 days");
                    }
                    let max_services = match input.max_services {
                        Some(0) => None,
                        Some(n) if (1..=100_000).contains(&n) => Some(n),
                        Some(_) => {
                            invalid.push(
                                "max_services",
                                ErrorCode::OutOfRange,
                                "must be 0 (no limit) to 100000",
                            );
                            None
                        }
                        None => old.as_ref().and_then(|o| o.max_services),
                    };
                    let prices = match (&input.prices, &old) {
                        (Some(list), _) => {
                            let mut out: Vec<PriceRecord> = Vec::new();
                            for (n, p) in list.iter().enumerate() {
                                let Some(period) = Period::parse(p.period.trim()) else {
                                    invalid.push(
                                        &format!("prices[{n}].period"),
                                        ErrorCode::InvalidPeriod,
                                        "is not a period that can be offered",
                                    );
                                    continue;
                                };
                                if out.iter().any(|o| o.period == period) {
                                    invalid.push(
                                        &format!("prices[{n}].period"),
                                        ErrorCode::InvalidPeriod,
                                        "appears twice",
                                    );
                                    continue;
                                }
                                let amount =
                                    |field: &str, raw: &Option<String>, invalid: &mut Invalid| {
                                        match raw.as_deref().map(str::trim) {
                                            Some(r) if !r.is_empty() => invalid
                                                .check(parse_non_negative_amount(
                                                    &format!("prices[{n}].{field}"),
                                                    r,
                                                    minor_units,
                                                ))
                                                .unwrap_or(0),
                                            _ => 0,
                                        }
                                    };
                                let price_minor = if period == Period::Trial {
                                    0
                                } else {
                                    amount("price", &p.price, &mut invalid)
                                };
                                let setup_minor = amount("setup", &p.setup, &mut invalid);
                                out.push(PriceRecord {
                                    period,
                                    price_minor,
                                    setup_minor,
                                });
                            }
                            out.sort_by_key(|p| p.period);
                            out
                        }
                        (None, Some(o)) => o.prices.clone(),
                        (None, None) => Vec::new(),
                    };
                    if prices.is_empty() && invalid.is_empty() {
                        invalid.push(
                            "prices",
                            ErrorCode::InvalidPeriod,
                            "a plan needs at least one period",
                        );
                    }
                    if prices.iter().any(|p| p.period == Period::Trial)
                        && trial_days == 0
                        && invalid.is_empty()
                    {
                        invalid.push(
                            "trial_days",
                            ErrorCode::OutOfRange,
                            "a trial needs its number of days",
                        );
                    }
                    let default_period = match (&input.default_period, &old) {
                        (Some(raw), _) => Period::parse(raw.trim()),
                        (None, Some(o)) => Some(o.default_period),
                        (None, None) => prices
                            .iter()
                            .map(|p| p.period)
                            .find(|p| *p != Period::Trial)
                            .or(prices.first().map(|p| p.period)),
                    };
                    let default_period = match default_period {
                        Some(d) if prices.iter().any(|p| p.period == d) => d,
                        _ => {
                            if !prices.is_empty() {
                                invalid.push(
                                    "default_period",
                                    ErrorCode::InvalidPeriod,
                                    "must be one of the plan's periods",
                                );
                            }
                            Period::Month1
                        }
                    };
                    let groups = match &input.forbidden_groups {
                        Some(raw) => {
                            let mut ids = Vec::new();
                            for (n, g) in raw.iter().enumerate() {
                                match g.trim().parse::<ClientGroupId>() {
                                    Ok(id) if w.tx().group(id).await?.is_some() => ids.push(id),
                                    _ => invalid.push(
                                        &format!("forbidden_groups[{n}]"),
                                        ErrorCode::UnknownGroup,
                                        "no such client group",
                                    ),
                                }
                            }
                            Some(ids)
                        }
                        None => None,
                    };
                    invalid.into_result()?;
                    let (Some(product_type_id), Some(provider)) = (product_type_id, provider)
                    else {
                        return Err(AppError::internal_msg("validated plan fields missing"));
                    };
                    let t = TariffRecord {
                        id: old.as_ref().map_or_else(uuid::Uuid::now_v7, |o| o.id),
                        product_type_id,
                        provider_id: provider.id,
                        currency_code,
                        name_en,
                        name_ru,
                        description_en,
                        description_ru,
                        is_active: input
                            .is_active
                            .or(old.as_ref().map(|o| o.is_active))
                            .unwrap_or(true),
                        client_orderable: input
                            .client_orderable
                            .or(old.as_ref().map(|o| o.client_orderable))
                            .unwrap_or(true),
                        quick_order: input
                            .quick_order
                            .or(old.as_ref().map(|o| o.quick_order))
                            .unwrap_or(false),
                        max_services,
                        default_period,
                        trial_days,
                        prices,
                        archived_at: old.as_ref().and_then(|o| o.archived_at),
                        created_at: old.as_ref().map_or(now, |o| o.created_at),
                        updated_at: now,
                    };
                    let before = old.as_ref();
                    let s = |f: &dyn Fn(&TariffRecord) -> String| before.map(f).unwrap_or_default();
                    let changes = Changes::default()
                        .diff("name_en", &s(&|o| o.name_en.clone()), &t.name_en)
                        .diff("name_ru", &s(&|o| o.name_ru.clone()), &t.name_ru)
                        .diff(
                            "currency",
                            &s(&|o| o.currency_code.clone()),
                            &t.currency_code,
                        )
                        .diff(
                            "active",
                            &s(&|o| o.is_active.to_string()),
                            &t.is_active.to_string(),
                        )
                        .diff(
                            "orderable_by_clients",
                            &s(&|o| o.client_orderable.to_string()),
                            &t.client_orderable.to_string(),
                        )
                        .diff(
                            "quick_order",
                            &s(&|o| o.quick_order.to_string()),
                            &t.quick_order.to_string(),
                        )
                        .diff(
                            "max_services",
                            &s(&|o| o.max_services.map(|n| n.to_string()).unwrap_or_default()),
                            &t.max_services.map(|n| n.to_string()).unwrap_or_default(),
                        )
                        .diff(
                            "default_period",
                            &s(&|o| o.default_period.key().to_owned()),
                            &t.default_period.key().to_owned(),
                        )
                        .diff(
                            "prices",
                            &s(&|o| prices_text(&o.prices, minor_units)),
                            &prices_text(&t.prices, minor_units),
                        );
                    match &old {
                        Some(_) => w.tx().update_tariff(&t).await?,
                        None => w.tx().insert_tariff(&t).await?,
                    }
                    if let Some(groups) = groups {
                        let key = t.id.to_string();
                        for (mut g, _) in w.tx().list_groups().await? {
                            let closed = groups.contains(&g.id);
                            let listed = g.forbidden_tariffs.contains(&key);
                            if closed != listed {
                                if closed {
                                    g.forbidden_tariffs.push(key.clone());
                                } else {
                                    g.forbidden_tariffs.retain(|x| *x != key);
                                }
                                g.updated_at = now;
                                w.tx().update_group(&g).await?;
                                w.record_as(
                                    f::CATALOG_EDIT,
                                    catalog_ref("tariff", t.id),
                                    "groups",
                                    Changes::default().set(
                                        if closed {
                                            "closed_to_group"
                                        } else {
                                            "opened_to_group"
                                        },
                                        &g.name,
                                    ),
                                );
                            }
                        }
                    }
                    if !changes.is_empty() {
                        let action = if old.is_some() { "update" } else { "create" };
                        w.record(catalog_ref("tariff", t.id), action, changes);
                    }
                    Ok(t.id)
                })
            })
            .await?;
        self.tariff(who, id).await
    }

    /// Archives a plan (hidden from ordering, services kept) or brings it back.
    pub async fn archive_tariff(
        &self,
        who: &Principal,
        id: CatalogId,
        archived: bool,
    ) -> Result<TariffView, AppError> {
        self.write(who, f::CATALOG_EDIT, |w| {
            Box::pin(async move {
                let mut t = w.tx().tariff(id).await?.ok_or(not_found("tariff plan"))?;
                if t.archived_at.is_some() == archived {
                    return Ok(());
                }
                let now = w.now();
                t.archived_at = archived.then_some(now);
                t.updated_at = now;
                w.tx().update_tariff(&t).await?;
                w.record(
                    catalog_ref("tariff", id),
                    if archived { "archive" } else { "unarchive" },
                    Changes::default().diff(
                        "archived",
                        &(!archived).to_string(),
                        &archived.to_string(),
                    ),
                );
                Ok(())
            })
        })
        .await?;
        self.tariff(who, id).await
    }

    /// Deletes a plan without services; one with services is archived instead (409).
    pub async fn delete_tariff(&self, who: &Principal, id: CatalogId) -> Result<(), AppError> {
        self.write(who, f::CATALOG_EDIT, |w| {
            Box::pin(async move {
                let t = w.tx().tariff(id).await?.ok_or(not_found("tariff plan"))?;
                if w.tx().tariff_services(id).await? > 0 {
                    return Err(AppError::rule(
                        ErrorCode::TariffInUse,
                        "the plan has services: archive it instead",
                    ));
                }
                let key = id.to_string();
                for (mut g, _) in w.tx().list_groups().await? {
                    if g.forbidden_tariffs.contains(&key) {
                        g.forbidden_tariffs.retain(|x| *x != key);
                        w.tx().update_group(&g).await?;
                    }
                }
                w.tx().delete_tariff(id).await?;
                w.record(
                    catalog_ref("tariff", id),
                    "delete",
                    Changes::default().diff("name_en", &t.name_en, &String::new()),
                );
                Ok(())
            })
        })
        .await
    }

    pub async fn save_addon(
        &self,
        who: &Principal,
        tariff: CatalogId,
        id: Option<CatalogId>,
        input: AddonInput,
    ) -> Result<AddonRecord, AppError> {
        let input = &input;
        self.write(who, f::CATALOG_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let plan = w
                    .tx()
                    .tariff(tariff)
                    .await?
                    .ok_or(not_found("tariff plan"))?;
                let places = places(w.tx(), &plan.currency_code).await?;
                let old = match id {
                    Some(id) => {
                        let a = w.tx().addon(id).await?.filter(|a| a.tariff_id == tariff);
                        Some(a.ok_or(not_found("add-on"))?)
                    }
                    None => None,
                };
                let mut invalid = Invalid::default();
                let key = match (&input.key, &old) {
                    (Some(raw), _) => invalid.check(parse_key("key", raw)).unwrap_or_default(),
                    (None, Some(o)) => o.key.clone(),
                    (None, None) => {
                        invalid.push("key", ErrorCode::Required, "is required");
                        String::new()
                    }
                };
                let name_en = required_name(
                    &mut invalid,
                    "name_en",
                    input.name_en.as_deref(),
                    old.as_ref().map(|o| o.name_en.as_str()),
                    100,
                );
                let name_ru = required_name(
                    &mut invalid,
                    "name_ru",
                    input.name_ru.as_deref(),
                    old.as_ref().map(|o| o.name_ru.as_str()),
                    100,
                );
                let billing = match (&input.billing, &old) {
                    (Some(raw), _) => AddonBilling::parse(raw.trim()).unwrap_or_else(|| {
                        invalid.push(
                            "billing",
                            ErrorCode::Invalid,
                            "must be none, order, choice, boolean or statistics",
                        );
                        AddonBilling::None
                    }),
                    (None, Some(o)) => o.billing,
                    (None, None) => {
                        invalid.push("billing", ErrorCode::Required, "is required");
                        AddonBilling::None
                    }
                };
                let unit = optional_text(
                    &mut invalid,
                    "unit",
                    input.unit.as_deref(),
                    old.as_ref().map_or("", |o| o.unit.as_str()),
                    20,
                );
                let num = |given: Option<i64>, old: Option<i64>, default: i64| {
                    given.or(old).unwrap_or(default)
                };
                let included = num(input.included, old.as_ref().map(|o| o.included), 0);
                let min = num(input.min, old.as_ref().map(|o| o.min), 0);
                let max = num(input.max, old.as_ref().map(|o| o.max), included);
                let step = num(input.step, old.as_ref().map(|o| o.step), 1);
                if billing == AddonBilling::Order
                    && let Err(e) = check_limits(included, min, max, step)
                {
                    invalid.0.extend(e.0);
                }
                let enumeration_id = match &input.enumeration_id {
                    Some(raw) => parse_id(&mut invalid, "enumeration_id", raw),
                    None => old.as_ref().and_then(|o| o.enumeration_id),
                };
                let options: Vec<String> = match (billing, enumeration_id) {
                    (AddonBilling::Choice, Some(e)) => match w.tx().enumeration(e).await? {
                        Some(e) => e.items.into_iter().map(|i| i.value).collect(),
                        None => {
                            invalid.push(
                                "enumeration_id",
                                ErrorCode::Invalid,
                                "no such enumeration",
                            );
                            Vec::new()
                        }
                    },
                    (AddonBilling::Choice, None) => {
                        invalid.push(
                            "enumeration_id",
                            ErrorCode::Required,
                            "a choice needs an enumeration",
                        );
                        Vec::new()
                    }
                    _ => Vec::new(),
                };
                let prices = match (&input.prices, &old) {
                    (Some(list), _) => {
                        let mut out: Vec<AddonPrice> = Vec::new();
                        for (n, p) in list.iter().enumerate() {
                            let field = |name: &str| format!("prices[{n}].{name}");
                            let Some(period) = Period::parse(p.period.trim())
                                .filter(|per| plan.prices.iter().any(|pp| pp.period == *per))
                            else {
                                invalid.push(
                                    &field("period"),
                                    ErrorCode::InvalidPeriod,
                                    "must be one of the plan's periods",
                                );
                                continue;
                            };
                            let option = p.option.trim().to_owned();
                            if billing == AddonBilling::Choice && !options.contains(&option) {
                                invalid.push(
                                    &field("option"),
                                    ErrorCode::Invalid,
                                    "must be one of the enumeration's values",
                                );
                                continue;
                            }
                            if billing != AddonBilling::Choice && !option.is_empty() {
                                invalid.push(
                                    &field("option"),
                                    ErrorCode::Invalid,
                                    "only a choice prices its options",
                                );
                                continue;
                            }
                            if out.iter().any(|o| o.period == period && o.option == option) {
                                invalid.push(
                                    &field("period"),
                                    ErrorCode::InvalidPeriod,
                                    "appears twice",
                                );
                                continue;
                            }
                            if let Some(price_minor) = invalid.check(parse_non_negative_amount(
                                &field("price"),
                                &p.price,
                                places,
                            )) {
                                out.push(AddonPrice {
                                    period,
                                    option,
                                    price_minor,
                                });
                            }
                        }
                        out
                    }
                    (None, Some(o)) => o.prices.clone(),
                    (None, None) => Vec::new(),
                };
                if billing == AddonBilling::None && !prices.is_empty() {
                    invalid.push(
                        "prices",
                        ErrorCode::Invalid,
                        "an add-on that is not billed has no prices",
                    );
                }
                invalid.into_result()?;
                let position = match &old {
                    Some(o) => o.position,
                    None => i64::try_from(w.tx().addons_of(tariff).await?.len()).unwrap_or(0),
                };
                let a = AddonRecord {
                    id: old.as_ref().map_or_else(uuid::Uuid::now_v7, |o| o.id),
                    tariff_id: tariff,
                    position,
                    key,
                    name_en,
                    name_ru,
                    billing,
                    unit,
                    included,
                    min,
                    max,
                    step,
                    enumeration_id: if billing == AddonBilling::Choice {
                        enumeration_id
                    } else {
                        None
                    },
                    prices,
                    created_at: old.as_ref().map_or(now, |o| o.created_at),
                    updated_at: now,
                };
                let price_text = |a: &AddonRecord| {
                    a.prices
                        .iter()
                        .map(|p| {
                            format!(
                                "{}{}: {}",
                                p.period.key(),
                                if p.option.is_empty() {
                                    String::new()
                                } else {
                                    format!(" {}", p.option)
                                },
                                format_minor(p.price_minor, places)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                let before = old.as_ref();
                let changes = Changes::default()
                    .diff(
                        "key",
                        &before.map(|o| o.key.clone()).unwrap_or_default(),
                        &a.key,
                    )
                    .diff(
                        "name_en",
                        &before.map(|o| o.name_en.clone()).unwrap_or_default(),
                        &a.name_en,
                    )
                    .diff(
                        "billing",
                        &before
                            .map(|o| o.billing.key().to_owned())
                            .unwrap_or_default(),
                        &a.billing.key().to_owned(),
                    )
                    .diff(
                        "limits",
                        &before
                            .map(|o| {
                                format!(
                                    "{} ({}–{}, step {}) {}",
                                    o.included, o.min, o.max, o.step, o.unit
                                )
                            })
                            .unwrap_or_default(),
                        &format!(
                            "{} ({}–{}, step {}) {}",
                            a.included, a.min, a.max, a.step, a.unit
                        ),
                    )
                    .diff(
                        "prices",
                        &before.map(price_text).unwrap_or_default(),
                        &price_text(&a),
                    );
                match &old {
                    Some(_) => w.tx().update_addon(&a).await?,
                    None => w.tx().insert_addon(&a).await?,
                }
                if !changes.is_empty() {
                    let action = if old.is_some() { "update" } else { "create" };
                    w.record(catalog_ref("addon", a.id), action, changes);
                }
                Ok(a)
            })
        })
        .await
    }

    pub async fn delete_addon(
        &self,
        who: &Principal,
        tariff: CatalogId,
        id: CatalogId,
    ) -> Result<(), AppError> {
        self.write(who, f::CATALOG_EDIT, |w| {
            Box::pin(async move {
                let a = w
                    .tx()
                    .addon(id)
                    .await?
                    .filter(|a| a.tariff_id == tariff)
                    .ok_or(not_found("add-on"))?;
                w.tx().delete_addon(id).await?;
                w.record(
                    catalog_ref("addon", id),
                    "delete",
                    Changes::default().diff("key", &a.key, &String::new()),
                );
                Ok(())
            })
        })
        .await
    }
}
