//! The public price list: per provider, the active plans clients may order, with their
//! periods, prices, setup fees and add-ons, in the asked language. What a provider's website
//! needs, with no sign-in; staff see the same table in the panel.

use super::name_in;
use super::tariffs::view;
use crate::App;
use crate::error::AppError;
use bursar_domain::Locale;
use bursar_domain::catalog::{AddonBilling, Period};
use bursar_domain::money::format_minor;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct ListedPrice {
    pub period: Period,
    pub price: String,
    pub setup: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ListedAddonPrice {
    pub period: Period,
    /// For a choice: the option's value and name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<(String, String)>,
    pub price: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ListedAddon {
    pub key: String,
    pub name: String,
    pub billing: AddonBilling,
    pub unit: String,
    pub included: i64,
    pub min: i64,
    pub max: i64,
    pub step: i64,
    pub prices: Vec<ListedAddonPrice>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ListedPlan {
    pub id: String,
    pub product_type: String,
    pub name: String,
    pub description: String,
    pub quick_order: bool,
    pub trial_days: i64,
    pub default_period: Period,
    pub currency: String,
    pub prices: Vec<ListedPrice>,
    pub addons: Vec<ListedAddon>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ListedProvider {
    pub provider: String,
    pub plans: Vec<ListedPlan>,
}

impl App {
    /// The price list in `locale`. Public: it needs no caller.
    pub async fn price_list(&self, locale: Locale) -> Result<Vec<ListedProvider>, AppError> {
        let mut tx = self.store.snapshot().await?;
        let types = tx.product_types().await?;
        let enums = tx.enumerations().await?;
        let all_plans = tx.tariffs(None).await?;
        let mut providers: Vec<ListedProvider> = Vec::new();
        for p in tx.list_providers().await? {
            let mut plans = Vec::new();
            for t in all_plans.iter().cloned() {
                if t.provider_id != p.id
                    || !t.is_active
                    || !t.client_orderable
                    || t.archived_at.is_some()
                {
                    continue;
                }
                let v = view(tx.as_mut(), t).await?;
                let money = |m: i64| format_minor(m, v.minor_units);
                let t = &v.tariff;
                let product_type = types
                    .iter()
                    .find(|ty| ty.id == t.product_type_id)
                    .map(|ty| name_in(locale, &ty.name_en, &ty.name_ru).to_owned())
                    .unwrap_or_default();
                let addons = v
                    .addons
                    .iter()
                    .map(|a| {
                        let items = a
                            .enumeration_id
                            .and_then(|e| enums.iter().find(|x| x.id == e))
                            .map(|e| e.items.clone())
                            .unwrap_or_default();
                        ListedAddon {
                            key: a.key.clone(),
                            name: name_in(locale, &a.name_en, &a.name_ru).to_owned(),
                            billing: a.billing,
                            unit: a.unit.clone(),
                            included: a.included,
                            min: a.min,
                            max: a.max,
                            step: a.step,
                            prices: a
                                .prices
                                .iter()
                                .map(|pr| ListedAddonPrice {
                                    period: pr.period,
                                    option: (!pr.option.is_empty()).then(|| {
                                        let name = items
                                            .iter()
                                            .find(|i| i.value == pr.option)
                                            .map(|i| {
                                                name_in(locale, &i.name_en, &i.name_ru).to_owned()
                                            })
                                            .unwrap_or_default();
                                        (pr.option.clone(), name)
                                    }),
                                    price: money(pr.price_minor),
                                })
                                .collect(),
                        }
                    })
                    .collect();
                plans.push(ListedPlan {
                    id: t.id.to_string(),
                    product_type,
                    name: name_in(locale, &t.name_en, &t.name_ru).to_owned(),
                    description: name_in(locale, &t.description_en, &t.description_ru).to_owned(),
                    quick_order: t.quick_order,
                    trial_days: t.trial_days,
                    default_period: t.default_period,
                    currency: t.currency_code.clone(),
                    prices: t
                        .prices
                        .iter()
                        .map(|pr| ListedPrice {
                            period: pr.period,
                            price: money(pr.price_minor),
                            setup: money(pr.setup_minor),
                        })
                        .collect(),
                    addons,
                });
            }
            if !plans.is_empty() {
                providers.push(ListedProvider {
                    provider: p.name,
                    plans,
                });
            }
        }
        tx.commit().await?;
        Ok(providers)
    }
}
