//! Finance → Quote (issue 11): a sales employee prices a plan for a client — period,
//! quantity, add-ons, promo code, day — and sees the breakdown the calculator gives: lines,
//! the discount and where it came from, the tax and its rules, the rate used, the total. The
//! form posts (it carries CSRF like every form) and writes nothing.

use super::view::{Cell, Field, FormView, Head, Opt, Refusal, Shown, Table, refusal};
use crate::Routes;
use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::render;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::catalog::name_in;
use bursar_app::quotes::{AddonValue, PricedQuote, QuotablePlan, QuoteInput};
use bursar_app::{AppError, Principal};
use bursar_domain::catalog::{AddonBilling, Period};
use bursar_domain::functions::f;
use bursar_domain::money::format_minor;
use bursar_domain::pricing::discounts::DiscountSource;
use bursar_domain::pricing::quote::LineKind;
use bursar_domain::{ClientRef, ErrorCode, Invalid};
use std::collections::BTreeMap;

pub(crate) fn routes(r: Routes) -> Routes {
    r.get("/admin/quotes", f::QUOTE_CREATE, quote_new).post(
        "/admin/quotes",
        f::QUOTE_CREATE,
        quote_price,
    )
}

/// One add-on input of the chosen plan (names are dynamic, so the template draws them).
pub struct AddonInput {
    pub key: String,
    pub label: String,
    /// `number`, `select` or `checkbox`.
    pub kind: &'static str,
    pub value: String,
    pub min: i64,
    pub max: i64,
    pub step: i64,
    pub options: Vec<Opt>,
    pub hint: Option<String>,
    pub error: Option<String>,
}

pub struct QuoteResult {
    pub title: String,
    pub table: Table,
    pub totals: Vec<(String, String)>,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "clients/quote.html")]
pub struct QuotePage {
    pub ui: Ui,
    pub head: Head,
    pub form: FormView,
    pub addons: Vec<AddonInput>,
    pub result: Option<QuoteResult>,
}

async fn plans(ctx: &Ctx, who: &Principal) -> Result<Vec<QuotablePlan>, Response> {
    ctx.app
        .quotable_plans(who, ctx.tr.locale())
        .await
        .map_err(|e| error::fail(ctx, e))
}

fn period_name(ctx: &Ctx, p: Period) -> String {
    ctx.tr.t(&format!("period-{}", p.key()))
}

/// The form: client, plan, period, quantity, promo code, day, then the plan's add-ons.
fn page(
    ctx: &Ctx,
    plans: &[QuotablePlan],
    shown: &Shown,
    addon_values: &BTreeMap<String, String>,
    result: Option<QuoteResult>,
) -> Response {
    let tr = ctx.tr;
    let locale = tr.locale();
    let chosen_id = shown.value("tariff_id", "");
    let chosen = plans.iter().find(|p| p.tariff.id.to_string() == chosen_id);
    let mut plan_options = vec![Opt::new("", tr.t("quote-choose-plan"), chosen.is_none())];
    plan_options.extend(plans.iter().map(|p| {
        let t = &p.tariff;
        Opt::new(
            t.id.to_string(),
            format!(
                "{} ({})",
                name_in(locale, &t.name_en, &t.name_ru),
                t.currency_code
            ),
            chosen.is_some_and(|c| c.tariff.id == t.id),
        )
    }));
    let period_value = shown.value("period", "");
    let mut period_options = vec![Opt::new(
        "",
        tr.t("quote-default-period"),
        period_value.is_empty(),
    )];
    if let Some(plan) = chosen {
        period_options.extend(plan.tariff.prices.iter().map(|p| {
            Opt::new(
                p.period.key(),
                period_name(ctx, p.period),
                period_value == p.period.key(),
            )
        }));
    }
    let fields = vec![
        Field::text(
            "client_id",
            tr.t("quote-field-client"),
            &shown.value("client_id", ""),
        )
        .required()
        .max(64)
        .hint(tr.t("quote-field-client-hint")),
        Field::select("tariff_id", tr.t("quote-field-tariff"), plan_options).required(),
        Field::select("period", tr.t("quote-field-period"), period_options),
        Field::input(
            "quantity",
            "number",
            tr.t("quote-field-quantity"),
            &shown.value("quantity", "1"),
        ),
        Field::text(
            "promo_code",
            tr.t("quote-field-promo-code"),
            &shown.value("promo_code", ""),
        )
        .max(64),
        Field::input(
            "date",
            "date",
            tr.t("quote-field-date"),
            &shown.value("date", ""),
        )
        .hint(tr.t("quote-field-date-hint")),
    ];
    let addons = chosen
        .map(|p| addon_inputs(ctx, p, addon_values, shown))
        .unwrap_or_default();
    let form = FormView::new(
        tr,
        tr.t("quote-title"),
        "/admin/quotes".to_owned(),
        tr.t(if chosen.is_some() {
            "quote-submit"
        } else {
            "quote-choose"
        }),
    )
    .intro(tr.t("quote-intro"))
    .error(shown.message.clone())
    .section(None, fields, &shown.errors);
    let page = QuotePage {
        ui: Ui::new(ctx, "quote-title"),
        head: Head::plain(tr.t("quote-title")).lead(tr.t("quote-lead")),
        form,
        addons,
        result,
    };
    render::page(ctx, shown.status, &page)
}

fn addon_inputs(
    ctx: &Ctx,
    plan: &QuotablePlan,
    values: &BTreeMap<String, String>,
    shown: &Shown,
) -> Vec<AddonInput> {
    let tr = ctx.tr;
    let locale = tr.locale();
    plan.addons
        .iter()
        .filter(|a| {
            matches!(
                a.billing,
                AddonBilling::Order | AddonBilling::Choice | AddonBilling::Boolean
            )
        })
        .map(|a| {
            let value = values.get(&a.key).cloned().unwrap_or_default();
            let label = name_in(locale, &a.name_en, &a.name_ru).to_owned();
            let (kind, hint, options) = match a.billing {
                AddonBilling::Order => (
                    "number",
                    Some(tr.ta(
                        "quote-addon-order-hint",
                        &[
                            ("included", a.included.into()),
                            ("min", a.min.into()),
                            ("max", a.max.into()),
                            ("unit", a.unit.clone().into()),
                        ],
                    )),
                    Vec::new(),
                ),
                AddonBilling::Choice => {
                    let mut values: Vec<&str> = Vec::new();
                    for p in &a.prices {
                        if !p.option.is_empty() && !values.contains(&p.option.as_str()) {
                            values.push(&p.option);
                        }
                    }
                    let options = values
                        .into_iter()
                        .map(|o| {
                            let name = plan.options.get(o).cloned().unwrap_or_else(|| o.to_owned());
                            Opt::new(o, name, value == o)
                        })
                        .collect();
                    ("select", None, options)
                }
                _ => ("checkbox", None, Vec::new()),
            };
            AddonInput {
                value: if kind == "number" && value.is_empty() {
                    a.included.to_string()
                } else {
                    value
                },
                key: a.key.clone(),
                label,
                kind,
                min: a.min,
                max: a.max,
                step: a.step.max(1),
                options,
                hint,
                error: shown
                    .errors
                    .get(&format!("addons.{}", a.key))
                    .map(str::to_owned),
            }
        })
        .collect()
}

async fn quote_new(Signed { ctx, who }: Signed, params: Params) -> Response {
    let plans = match plans(&ctx, &who).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let mut shown = Shown::fresh();
    for name in ["client_id", "tariff_id", "period"] {
        let value = params
            .get(if name == "client_id" { "client" } else { name })
            .to_owned();
        shown.prefill.push((name, value));
    }
    page(&ctx, &plans, &shown, &BTreeMap::new(), None)
}

/// The add-on values the form sent (`addon.<key>`), for the plan chosen.
fn addon_values(form: &Fields, plan: Option<&QuotablePlan>) -> BTreeMap<String, String> {
    plan.map(|p| {
        p.addons
            .iter()
            .map(|a| {
                (
                    a.key.clone(),
                    form.get(&format!("addon.{}", a.key)).trim().to_owned(),
                )
            })
            .collect()
    })
    .unwrap_or_default()
}

async fn quote_price(Signed { ctx, who }: Signed, form: Fields) -> Response {
    let plans = match plans(&ctx, &who).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let chosen = plans
        .iter()
        .find(|p| p.tariff.id.to_string() == form.get("tariff_id").trim());
    let values = addon_values(&form, chosen);
    let refused = |r: Refusal| page(&ctx, &plans, &Shown::refused(&form, r), &values, None);
    // The form's own checks (the client, the day) and the use case's are reported together.
    let mut pre = Invalid::default();
    let client = form.get("client_id").trim();
    let client_id = match client.parse::<ClientRef>() {
        Ok(named) => ctx.app.resolve_client(&who, named).await.ok(),
        Err(_) => None,
    };
    if client_id.is_none() {
        let code = if client.is_empty() {
            ErrorCode::Required
        } else {
            ErrorCode::UnknownClient
        };
        pre.push("client_id", code, "no client has this number or id");
    }
    let date = match form.get("date").trim() {
        "" => None,
        d => d.parse().ok().or_else(|| {
            pre.push("date", ErrorCode::Invalid, "must be a date");
            None
        }),
    };
    let input = QuoteInput {
        client_id,
        tariff_id: chosen.map(|p| p.tariff.id),
        period: Some(form.get("period").to_owned()),
        quantity: match form.get("quantity").trim() {
            "" => None,
            q => Some(q.parse().unwrap_or(0)),
        },
        addons: values
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), AddonValue::Text(v.clone())))
            .collect(),
        promo_code: Some(form.get("promo_code").to_owned()).filter(|c| !c.trim().is_empty()),
        date,
    };
    let outcome = match ctx.app.quote(&who, input, ctx.tr.locale()).await {
        Ok(q) if pre.is_empty() => Ok(q),
        Ok(_) => Err(AppError::Invalid(pre)),
        Err(AppError::Invalid(mut found)) => {
            found
                .0
                .retain(|e| !pre.0.iter().any(|p| p.field == e.field));
            pre.0.extend(found.0);
            Err(AppError::Invalid(pre))
        }
        Err(_) if !pre.is_empty() => Err(AppError::Invalid(pre)),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(q) => {
            let shown = Shown {
                status: StatusCode::OK,
                form: Some(&form),
                errors: Default::default(),
                message: None,
                prefill: Vec::new(),
            };
            let result = breakdown(&ctx, &q);
            page(&ctx, &plans, &shown, &values, Some(result))
        }
        Err(e) => match refusal(ctx.tr, e) {
            Ok(r) => refused(r),
            Err(e) => error::fail(&ctx, e),
        },
    }
}

/// The breakdown table, the totals and the notes that say why.
fn breakdown(ctx: &Ctx, p: &PricedQuote) -> QuoteResult {
    let tr = ctx.tr;
    let q = &p.quote;
    let code = &q.currency.code;
    let money = |minor: i64| format!("{} {code}", format_minor(minor, q.currency.minor_units));
    let mut table = Table::new(
        tr,
        &[
            "quote-col-item",
            "quote-col-quantity",
            "quote-col-unit-price",
            "quote-col-amount",
            "quote-col-discount",
            "quote-col-tax",
            "quote-col-total",
        ],
        "quote-empty",
    );
    for l in &q.lines {
        let name = match l.kind {
            LineKind::Setup => tr.t1("quote-line-setup", "plan", l.name.clone()),
            _ => l.name.clone(),
        };
        let taxes = l
            .taxes
            .iter()
            .filter(|t| t.amount_minor != 0)
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
            .join(", ");
        table.row(
            vec![
                Cell::text(name),
                Cell::text(format!("{} × {}", l.units, l.quantity)),
                Cell::text(format!(
                    "{} {}",
                    format_minor(l.unit_price_minor, q.price_currency.minor_units),
                    q.price_currency.code
                )),
                Cell::text(money(l.amount_minor)),
                Cell::text(money(l.discount_minor)),
                Cell::text(money(l.tax_minor)).sub(Some(taxes).filter(|t| !t.is_empty())),
                Cell::text(money(l.total_minor)),
            ],
            Vec::new(),
        );
    }
    let totals = vec![
        (tr.t("quote-subtotal"), money(q.subtotal_minor)),
        (tr.t("quote-discount"), money(q.discount_minor)),
        (
            tr.t(if q.tax_included {
                "quote-tax-included-total"
            } else {
                "quote-tax-added-total"
            }),
            money(q.tax_minor),
        ),
        (tr.t("quote-total"), money(q.total_minor)),
    ];
    let mut notes = vec![tr.t(if q.tax_included {
        "quote-tax-included"
    } else {
        "quote-tax-on-top"
    })];
    for t in &q.taxes {
        notes.push(tr.ta(
            "quote-tax-rule",
            &[
                ("name", t.name.clone().into()),
                ("rate", format_minor(t.rate_bp, 2).into()),
                ("amount", money(t.amount_minor).into()),
            ],
        ));
    }
    if q.taxes.is_empty() {
        notes.push(tr.t("quote-no-tax"));
    }
    match &q.discount {
        Some(DiscountSource::Personal { comment, .. }) => {
            notes.push(if comment.trim().is_empty() {
                tr.t("quote-discount-personal-plain")
            } else {
                tr.t1("quote-discount-personal", "comment", comment.clone())
            });
        }
        Some(DiscountSource::Promotion {
            title_en, title_ru, ..
        }) => {
            let title = name_in(tr.locale(), title_en, title_ru).to_owned();
            notes.push(tr.t1("quote-discount-promotion", "title", title));
        }
        None => {}
    }
    if let Some(c) = &q.promo_code {
        let id = match (c.applied, c.reason) {
            (true, _) => "quote-code-applied",
            (false, Some("personal_discount")) => "quote-code-outranked",
            _ => "quote-code-smaller",
        };
        notes.push(tr.t1(id, "code", c.code.clone()));
    }
    for c in q.conversion.iter().chain(&q.discount_conversion) {
        notes.push(tr.ta(
            "quote-conversion",
            &[
                ("from", c.from.clone().into()),
                ("to", c.to.clone().into()),
                ("units", c.units.into()),
                ("currency", c.currency.clone().into()),
                ("rate", c.rate.normalize().to_string().into()),
                ("base", c.base.clone().into()),
                (
                    "source",
                    tr.t(&format!("quote-rate-{}", c.source.key())).into(),
                ),
                ("date", c.valid_from.to_string().into()),
            ],
        ));
    }
    QuoteResult {
        title: tr.ta(
            "quote-result-title",
            &[
                ("plan", p.tariff_name.clone().into()),
                ("number", p.client_number.into()),
                ("client", p.client_name.clone().into()),
                ("period", period_name(ctx, q.period).into()),
                ("date", p.date.to_string().into()),
            ],
        ),
        table,
        totals,
        notes,
    }
}
