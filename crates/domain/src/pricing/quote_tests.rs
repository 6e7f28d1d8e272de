use super::*;
use crate::pricing::Validity;
use crate::pricing::discounts::{Condition, PromoCode, Scope};
use crate::pricing::rates::{Rate, RateSource};
use crate::pricing::taxes::Level;
use jiff::civil::date;
use proptest::prelude::*;

fn usd() -> Currency {
    Currency {
        code: "USD".into(),
        minor_units: 2,
    }
}

fn rub() -> Currency {
    Currency {
        code: "RUB".into(),
        minor_units: 2,
    }
}

fn plan(price: i64, setup: i64) -> Plan {
    Plan {
        id: Uuid::from_u128(1),
        name: "VPS".into(),
        product_type_id: Uuid::from_u128(2),
        provider_id: Uuid::from_u128(3),
        currency: usd(),
        prices: vec![
            (Period::Month1, price, setup),
            (Period::Month12, price * 10, setup),
        ],
        addons: vec![
            Addon {
                id: Uuid::from_u128(10),
                key: "ram".into(),
                name: "RAM".into(),
                billing: AddonBilling::Order,
                unit: "GB".into(),
                included: 2,
                min: 1,
                max: 16,
                step: 1,
                prices: vec![(Period::Month1, String::new(), 150)],
            },
            Addon {
                id: Uuid::from_u128(11),
                key: "os".into(),
                name: "OS".into(),
                billing: AddonBilling::Choice,
                unit: String::new(),
                included: 0,
                min: 0,
                max: 0,
                step: 1,
                prices: vec![
                    (Period::Month1, "linux".into(), 0),
                    (Period::Month1, "windows".into(), 1500),
                ],
            },
            Addon {
                id: Uuid::from_u128(12),
                key: "backup".into(),
                name: "Backup".into(),
                billing: AddonBilling::Boolean,
                unit: String::new(),
                included: 0,
                min: 0,
                max: 0,
                step: 1,
                prices: vec![(Period::Month1, String::new(), 300)],
            },
        ],
    }
}

fn ctx() -> Context {
    Context {
        account_currency: usd(),
        groups: vec![],
        first_order: false,
        discounts: vec![],
        promotions: vec![],
        rates: RateBook::default(),
        currencies: vec![usd(), rub()],
        tax_on_top: false,
        tax_rules: vec![],
        country: Some("RU".into()),
        region: None,
        at: Timestamp::from_second(1_796_000_000).unwrap_or(Timestamp::UNIX_EPOCH),
        today: date(2026, 12, 1),
    }
}

fn req(choices: &[(&str, Choice)]) -> Request {
    Request {
        period: Period::Month1,
        quantity: 1,
        choices: choices
            .iter()
            .map(|(k, c)| ((*k).to_owned(), c.clone()))
            .collect(),
        promo_code: None,
    }
}

fn vat(rate_bp: i64) -> TaxRule {
    TaxRule {
        id: Uuid::from_u128(20),
        name: format!("VAT {}%", rate_bp / 100),
        level: Level::Provider,
        rate_bp,
        country: Some("RU".into()),
        region: None,
        product_types: vec![],
        starts_at: Timestamp::UNIX_EPOCH,
        ends_at: None,
    }
}

fn promotion(bp: i64, conditions: Vec<(u32, Condition)>) -> Promotion {
    Promotion {
        id: Uuid::now_v7(),
        name: format!("promo-{bp}"),
        title_en: "Winter".into(),
        title_ru: "Зима".into(),
        provider_id: Uuid::from_u128(3),
        validity: Validity::default(),
        amount: Amount::Percent { bp },
        active: true,
        conditions,
        codes: vec![PromoCode {
            code: "WINTER".into(),
            multi_use: true,
            usage_limit: Some(5),
            used: 0,
        }],
    }
}

fn personal(bp: i64, scope: Scope) -> PersonalDiscount {
    PersonalDiscount {
        id: Uuid::now_v7(),
        amount: Amount::Percent { bp },
        scope,
        validity: Validity::default(),
        comment: "loyal".into(),
    }
}

/// The directory's rate: `units` USD are worth `rate` RUB.
fn rub_per_usd(rate: Decimal, units: i64) -> Rate {
    Rate {
        id: Uuid::from_u128(30),
        source: RateSource::Directory,
        base: "RUB".into(),
        currency: "USD".into(),
        rate,
        units,
        valid_from: date(2026, 1, 1),
        limit_minor: None,
    }
}

fn code_of(e: QuoteError) -> Option<(String, ErrorCode)> {
    match e {
        QuoteError::Invalid(i) => i.0.first().map(|f| (f.field.clone(), f.code)),
        QuoteError::NoRate { .. } => None,
    }
}

#[test]
fn a_plan_with_add_ons_setup_and_included_tax() {
    let mut c = ctx();
    c.tax_rules = vec![vat(2000)];
    let q = quote(
        &plan(1000, 500),
        &Request {
            quantity: 2,
            ..req(&[
                ("ram", Choice::Amount(4)),
                ("os", Choice::Option("windows".into())),
                ("backup", Choice::On(true)),
            ])
        },
        &c,
    );
    let q = q.map_err(code_of);
    assert!(q.is_ok(), "{q:?}");
    let Ok(q) = q else { return };
    let lines: Vec<(LineKind, i64, i64)> = q
        .lines
        .iter()
        .map(|l| (l.kind, l.amount_minor, l.tax_minor))
        .collect();
    // 2 × 10.00; 2 extra GB × 1.50 × 2; Windows 15.00 × 2; backup 3.00 × 2; setup 5.00 × 2.
    assert_eq!(
        lines,
        vec![
            (LineKind::Plan, 2000, 333),
            (LineKind::Addon, 600, 100),
            (LineKind::Addon, 3000, 500),
            (LineKind::Addon, 600, 100),
            (LineKind::Setup, 1000, 167),
        ]
    );
    assert_eq!(q.total_minor, 7200);
    assert_eq!(q.tax_minor, 1200);
    assert!(q.tax_included);
    assert_eq!(
        q.taxes.first().map(|t| (t.name.as_str(), t.amount_minor)),
        Some(("VAT 20%", 1200))
    );
}

#[test]
fn tax_on_top_is_added_to_the_total() {
    let mut c = ctx();
    c.tax_rules = vec![vat(2000)];
    c.tax_on_top = true;
    let q = quote(&plan(1000, 0), &req(&[]), &c).map_err(code_of);
    assert_eq!(q.map(|q| (q.tax_minor, q.total_minor)), Ok((200, 1200)));
}

#[test]
fn a_personal_discount_outranks_a_promotion_and_says_so() {
    let mut c = ctx();
    c.promotions = vec![promotion(5000, vec![(1, Condition::PromoCode)])];
    let mut r = req(&[]);
    r.promo_code = Some(" winter ".into());
    let q = quote(&plan(1000, 0), &r, &c).map_err(code_of);
    assert_eq!(q.as_ref().map(|q| q.discount_minor), Ok(500));
    assert!(matches!(
        q.as_ref().map(|q| &q.discount),
        Ok(Some(DiscountSource::Promotion { .. }))
    ));
    c.discounts = vec![personal(1000, Scope::Tariffs(vec![Uuid::from_u128(1)]))];
    let q = quote(&plan(1000, 0), &r, &c).map_err(code_of);
    assert_eq!(q.as_ref().map(|q| q.discount_minor), Ok(100));
    assert!(matches!(
        q.as_ref().map(|q| &q.discount),
        Ok(Some(DiscountSource::Personal { .. }))
    ));
    assert_eq!(
        q.ok()
            .and_then(|q| q.promo_code)
            .map(|p| (p.applied, p.reason)),
        Some((false, Some("personal_discount")))
    );
}

#[test]
fn the_promotion_taking_off_most_wins_and_conditions_count() {
    let group = Uuid::now_v7();
    let mut c = ctx();
    c.promotions = vec![
        promotion(1000, vec![]),
        promotion(
            3000,
            vec![
                (1, Condition::ClientGroup(group)),
                (2, Condition::Period(Period::Month1)),
            ],
        ),
        promotion(9000, vec![(1, Condition::FirstOrder)]),
    ];
    let q = quote(&plan(1000, 0), &req(&[]), &c).map_err(code_of);
    assert_eq!(q.map(|q| q.discount_minor), Ok(100));
    c.groups = vec![group];
    let q = quote(&plan(1000, 0), &req(&[]), &c).map_err(code_of);
    assert_eq!(q.map(|q| q.discount_minor), Ok(300));
    // A promotion of another provider, or ended, does not count.
    c.promotions
        .iter_mut()
        .for_each(|p| p.validity.ends_on = Some(date(2026, 11, 30)));
    let q = quote(&plan(1000, 0), &req(&[]), &c).map_err(code_of);
    assert_eq!(q.map(|q| (q.discount_minor, q.discount)), Ok((0, None)));
}

#[test]
fn bad_codes_periods_and_choices_are_refused_by_field() {
    let mut c = ctx();
    c.promotions = vec![promotion(
        1000,
        vec![(1, Condition::PromoCode), (2, Condition::FirstOrder)],
    )];
    let mut r = req(&[]);
    r.promo_code = Some("NOPE".into());
    let e = quote(&plan(1000, 0), &r, &c).err().and_then(code_of);
    assert_eq!(e, Some(("promo_code".into(), ErrorCode::UnknownPromoCode)));
    r.promo_code = Some("winter".into());
    let e = quote(&plan(1000, 0), &r, &c).err().and_then(code_of);
    assert_eq!(
        e,
        Some(("promo_code".into(), ErrorCode::PromoCodeNotApplicable))
    );
    if let Some(code) = c.promotions.first_mut().and_then(|p| p.codes.first_mut()) {
        code.used = 5;
    }
    let e = quote(&plan(1000, 0), &r, &c).err().and_then(code_of);
    assert_eq!(e, Some(("promo_code".into(), ErrorCode::PromoCodeUsedUp)));
    let mut r = req(&[]);
    r.period = Period::Month36;
    let e = quote(&plan(1000, 0), &r, &c).err().and_then(code_of);
    assert_eq!(e, Some(("period".into(), ErrorCode::InvalidPeriod)));
    for (choices, field) in [
        (vec![("ram", Choice::Amount(17))], "addons.ram"),
        (vec![("os", Choice::Option("bsd".into()))], "addons.os"),
        (vec![("gpu", Choice::On(true))], "addons.gpu"),
        (vec![("backup", Choice::Amount(1))], "addons.backup"),
    ] {
        let e = quote(&plan(1000, 0), &req(&choices), &c)
            .err()
            .and_then(code_of);
        assert_eq!(e.map(|(f, _)| f), Some(field.to_owned()));
    }
}

#[test]
fn prices_in_another_currency_are_converted_once_and_the_rate_is_named() {
    let mut c = ctx();
    c.account_currency = rub();
    let e = quote(&plan(999, 0), &req(&[]), &c).err();
    assert_eq!(
        e,
        Some(QuoteError::NoRate {
            from: "USD".into(),
            to: "RUB".into()
        })
    );
    c.rates.rates.push(rub_per_usd(Decimal::new(923_456, 4), 1));
    let q = quote(
        &plan(999, 0),
        &Request {
            quantity: 3,
            ..req(&[])
        },
        &c,
    )
    .map_err(code_of);
    // 3 × 9.99 USD × 92.3456 = 2767.597… RUB: rounded once, not 3 × 922.53.
    assert_eq!(q.as_ref().map(|q| q.total_minor), Ok(276_760));
    assert_eq!(
        q.ok().and_then(|q| q.conversion).map(|c| c.rate_id),
        Some(Uuid::from_u128(30))
    );
}

#[test]
fn a_fixed_discount_is_shared_over_the_lines_in_order() {
    let mut c = ctx();
    c.discounts = vec![PersonalDiscount {
        amount: Amount::Fixed {
            minor: 1100,
            currency: "USD".into(),
        },
        ..personal(0, Scope::All)
    }];
    let q = quote(&plan(1000, 700), &req(&[("backup", Choice::On(true))]), &c).map_err(code_of);
    let discounts: Result<Vec<i64>, _> =
        q.map(|q| q.lines.iter().map(|l| l.discount_minor).collect());
    assert_eq!(discounts, Ok(vec![1000, 100, 0]));
}

prop_compose! {
    fn a_plan()(price in 0i64..100_000_000, setup in 0i64..1_000_000, ram_price in 0i64..100_000, win in 0i64..100_000) -> Plan {
        let mut p = plan(price, setup);
        if let Some(a) = p.addons.get_mut(0) { a.prices = vec![(Period::Month1, String::new(), ram_price)]; }
        if let Some(a) = p.addons.get_mut(1) { a.prices = vec![(Period::Month1, "windows".into(), win)]; }
        p
    }
}

prop_compose! {
    fn a_request()(ram in 1i64..=16, windows in any::<bool>(), backup in any::<bool>(), quantity in 1i64..=50) -> Request {
        let mut choices = vec![("ram", Choice::Amount(ram)), ("backup", Choice::On(backup))];
        if windows { choices.push(("os", Choice::Option("windows".into()))); }
        Request { quantity, ..req(&choices) }
    }
}

fn a_discount() -> impl Strategy<Value = Option<Amount>> {
    prop_oneof![
        Just(None),
        (1i64..=10_000).prop_map(|bp| Some(Amount::Percent { bp })),
        (1i64..100_000_000).prop_map(|minor| Some(Amount::Fixed {
            minor,
            currency: "RUB".into()
        })),
    ]
}

prop_compose! {
    fn a_context()(discount in a_discount(), bp in 0i64..=10_000, on_top in any::<bool>(), rate in 1i64..100_000_000, units in 1i64..=100, convert in any::<bool>()) -> Context {
        let mut c = ctx();
        c.tax_rules = vec![vat(bp)];
        c.tax_on_top = on_top;
        c.discounts = discount.map(|amount| PersonalDiscount { amount, ..personal(0, Scope::All) }).into_iter().collect();
        c.rates.rates.push(rub_per_usd(Decimal::new(rate, 4), units));
        if convert { c.account_currency = rub(); }
        c
    }
}

proptest! {
    #[test]
    fn the_total_is_the_sum_of_the_lines(p in a_plan(), r in a_request(), c in a_context()) {
        let q = quote(&p, &r, &c);
        prop_assert!(q.is_ok(), "{:?}", q);
        if let Ok(q) = q {
            prop_assert_eq!(q.total_minor, q.lines.iter().map(|l| l.total_minor).sum::<i64>());
            let tax_added = if q.tax_included { 0 } else { q.tax_minor };
            prop_assert_eq!(q.total_minor, q.subtotal_minor - q.discount_minor + tax_added);
            prop_assert_eq!(q.tax_minor, q.taxes.iter().map(|t| t.amount_minor).sum::<i64>());
            for l in &q.lines {
                prop_assert_eq!(l.tax_minor, l.taxes.iter().map(|t| t.amount_minor).sum::<i64>());
            }
        }
    }

    #[test]
    fn a_discount_never_exceeds_the_price(p in a_plan(), r in a_request(), c in a_context()) {
        if let Ok(q) = quote(&p, &r, &c) {
            prop_assert!(q.discount_minor >= 0 && q.discount_minor <= q.subtotal_minor);
            for l in &q.lines {
                prop_assert!(l.discount_minor >= 0 && l.discount_minor <= l.amount_minor);
                prop_assert!(l.net_minor >= 0 && l.tax_minor >= 0 && l.total_minor >= 0);
            }
        }
    }

    #[test]
    fn included_and_added_tax_agree(net in 0i64..1_000_000_000, bp in 0i64..=10_000) {
        let mut c = ctx();
        c.tax_rules = vec![vat(bp)];
        c.tax_on_top = true;
        let added = quote(&plan(net, 0), &req(&[]), &c);
        prop_assert!(added.is_ok());
        if let Ok(added) = added {
            c.tax_on_top = false;
            let included = quote(&plan(added.total_minor, 0), &req(&[]), &c);
            prop_assert_eq!(included.map(|q| (q.total_minor, q.tax_minor)), Ok((added.total_minor, added.tax_minor)));
        }
    }

    #[test]
    fn conversion_is_rounded_once(price in 0i64..100_000_000, quantity in 1i64..=1000, rate in 1i64..100_000_000, units in 1i64..=100) {
        let mut c = ctx();
        c.account_currency = rub();
        c.rates.rates.push(rub_per_usd(Decimal::new(rate, 4), units));
        let q = quote(&plan(price, 0), &Request { quantity, ..req(&[]) }, &c);
        let exact = Decimal::from(price) * Decimal::from(quantity) * Decimal::new(rate, 4) / Decimal::from(units);
        prop_assert_eq!(q.map(|q| q.subtotal_minor), Ok(to_minor(exact)));
    }

    #[test]
    fn the_same_inputs_give_the_same_result(p in a_plan(), r in a_request(), c in a_context()) {
        prop_assert_eq!(quote(&p, &r, &c), quote(&p, &r, &c.clone()));
    }
}
