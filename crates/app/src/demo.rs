//! Realistic demo data for `bursar demo`: two providers (seed 002's RUB hosting provider and
//! EUR domain reseller), a company, a support engineer, a client group, and named clients
//! whose main users can sign in to the client area; `--clients N` adds N generated clients
//! (for trying the list and for the list benchmark). Loading twice adds nothing twice except
//! generated clients, which are numbered on from those already there.

use crate::App;
use crate::clients::{next_client_number, reindex};
use crate::error::AppError;
use crate::history::{Event, record};
use crate::money::ensure_account;
use crate::money::expenses::{ExpenseInput, charge_in};
use crate::money::payments::{PaymentInput, credit_in, issue_in, refund_in};
use crate::ports::*;
use crate::use_case::Work;
use bursar_domain::access::AccountKind;
use bursar_domain::accounts::CreditMode;
use bursar_domain::catalog::{AddonBilling, ParamKind, Period};
use bursar_domain::clients::Characteristic;
use bursar_domain::directory::Country;
use bursar_domain::functions::f;
use bursar_domain::history::{Actor, Changes, ObjectRef};
use bursar_domain::identity::{DisplayName, Email, Login};
use bursar_domain::{
    ClientGroupId, ClientId, ClientNumber, CompanyId, DepartmentId, Locale, ProviderId, UserId,
};
use jiff::Timestamp;

/// The password every demo user gets, printed by the CLI.
pub const DEMO_PASSWORD: &str = "demo-password-2026";

/// Name, e-mail, login, language, country, label.
type DemoClient = (
    &'static str,
    &'static str,
    &'static str,
    Locale,
    &'static str,
    Option<&'static str>,
);

#[rustfmt::skip]
const CLIENTS: &[DemoClient] = &[
    ("Northwind Hosting Ltd", "billing@northwind.example", "northwind", Locale::En, "GB", Some("partner")),
    ("ООО «Ромашка»", "buh@romashka.example", "romashka", Locale::Ru, "RU", Some("referral")),
    ("Jane Cooper", "jane.cooper@mail.example", "jane", Locale::En, "US", None),
    ("Pixel Forge GmbH", "accounts@pixelforge.example", "pixelforge", Locale::En, "DE", Some("partner")),
    ("Иван Петров", "ivan.petrov@mail.example", "ivan", Locale::Ru, "RU", None),
];

// Name pools large enough that a first or last name is shared by about one client in 60,
// as in a real customer base.
#[rustfmt::skip]
const FIRST: [&str; 60] = [
    "Anna", "Boris", "Chen", "Diana", "Erik", "Fatima", "Georg", "Hana", "Igor", "Julia", "Karim", "Lena",
    "Marco", "Nadia", "Oleg", "Priya", "Quentin", "Rosa", "Sven", "Tanya", "Umar", "Vera", "Wim", "Xenia",
    "Yusuf", "Zoe", "Aleksei", "Bianca", "Carlos", "Dmitri", "Elena", "Felix", "Greta", "Hiro", "Ines", "Jonas",
    "Kira", "Lars", "Mila", "Nils", "Olga", "Pavel", "Rita", "Sasha", "Tomas", "Ulla", "Viktor", "Wanda",
    "Yana", "Zlata", "Adam", "Bella", "Cyril", "Daria", "Emil", "Flora", "Gleb", "Helga", "Ivan", "Jana",
];
#[rustfmt::skip]
const LAST: [&str; 60] = [
    "Smith", "Ivanova", "Mueller", "Kowalski", "Rossi", "Nguyen", "Petrov", "Garcia", "Novak", "Larsen", "Sato", "Dubois",
    "Jensen", "Popescu", "Horvat", "Kuznetsov", "Silva", "Fischer", "Moreau", "Bianchi", "Tanaka", "Kim", "Cohen", "Weber",
    "Schmidt", "Volkov", "Lopez", "Martin", "Bernard", "Romano", "Sorokin", "Berg", "Nilsen", "Varga", "Kaya", "Yilmaz",
    "Demir", "Park", "Lee", "Chang", "Wagner", "Becker", "Hoffmann", "Lebedev", "Morozov", "Costa", "Santos", "Ferreira",
    "Olsen", "Lund", "Hansen", "Dahl", "Holm", "Sokolov", "Pavlov", "Orlov", "Zaitsev", "Frolov", "Gusev", "Titov",
];
const LABELS: [Option<&str>; 5] = [None, Some("referral"), None, Some("partner"), Some("vip")];

pub struct DemoReport {
    pub created: Vec<String>,
    pub generated: usize,
}

struct Fixtures {
    providers: Vec<ProviderId>,
}

fn obj(kind: &'static str, id: impl ToString) -> ObjectRef {
    ObjectRef {
        kind,
        id: id.to_string(),
        client: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn client_record(
    id: ClientId,
    number: ClientNumber,
    name: &str,
    email: &str,
    locale: Locale,
    country: &str,
    label: Option<&str>,
    characteristic: Characteristic,
    now: Timestamp,
) -> Result<ClientRecord, AppError> {
    Ok(ClientRecord {
        id,
        number,
        name: DisplayName::parse("name", name)?,
        email: Email::parse("email", email)?,
        locale,
        country: Some(Country::parse("country", country)?),
        phone: None,
        phone_verified: false,
        label: label.map(str::to_owned),
        registration_ip: None,
        characteristic,
        staff_id: None,
        comment: None,
        anonymized_at: None,
        created_at: now,
        updated_at: now,
    })
}

fn main_user(
    client: &ClientRecord,
    login: &str,
    hash: &str,
    now: Timestamp,
) -> Result<UserRecord, AppError> {
    Ok(UserRecord {
        id: UserId::new(),
        kind: AccountKind::Client,
        client_id: Some(client.id),
        login: Login::parse("login", login)?,
        email: Some(client.email.clone()),
        name: client.name.clone(),
        name_ru: None,
        phone: None,
        locale: client.locale,
        password_hash: hash.to_owned(),
        full_access: false,
        is_main: true,
        is_active: true,
        created_at: now,
        updated_at: now,
    })
}

async fn insert_client(
    tx: &mut dyn Tx,
    client: &ClientRecord,
    user: &UserRecord,
    providers: &[ProviderId],
    now: Timestamp,
) -> Result<(), AppError> {
    tx.insert_client(client).await?;
    tx.insert_user(user).await?;
    for p in providers {
        tx.connect_provider(client.id, *p, now).await?;
    }
    reindex(tx, client).await?;
    let changes = Changes::default()
        .set("name", &client.name)
        .set("email", &client.email)
        .set("login", &user.login);
    let object = ObjectRef {
        kind: "client",
        id: client.id.to_string(),
        client: Some(client.id),
    };
    record(
        tx,
        &Actor::system(),
        now,
        Event {
            object,
            action: "create",
            function: f::SYSTEM_CLI,
            changes,
        },
    )
    .await
}

/// A demo client's money: a paid invoice, a charge covered by it, an unpaid invoice; the
/// second client is on post-paid and in debt, the third got part of its payment back.
async fn demo_money(
    w: &mut Work<'_>,
    client: ClientId,
    provider: ProviderId,
    n: usize,
) -> Result<(), AppError> {
    let method = w
        .tx()
        .payment_methods(Some(provider))
        .await?
        .into_iter()
        .find(|m| m.kind == MethodKind::BankTransfer)
        .map(|m| m.id.to_string());
    let invoice = |amount: &str| PaymentInput {
        provider_id: Some(provider.to_string()),
        method_id: method.clone(),
        amount: Some(amount.to_owned()),
        ..PaymentInput::default()
    };
    let expense = |description: &str, amount: &str| ExpenseInput {
        provider_id: Some(provider.to_string()),
        description: Some(description.to_owned()),
        amount: Some(amount.to_owned()),
        tax_rate: Some("20".to_owned()),
        ..ExpenseInput::default()
    };
    let paid = issue_in(w, client, &invoice("100.00")).await?;
    credit_in(w, paid.id).await?;
    charge_in(
        w,
        client,
        &expense("Virtual server VPS-2, November", "30.00"),
    )
    .await?;
    match n {
        1 => {
            let mut account = ensure_account(w, client, provider).await?;
            account.credit = CreditMode::Postpaid;
            w.tx().update_account_settings(&account).await?;
            charge_in(w, client, &expense("Dedicated server, November", "120.00")).await?;
        }
        2 => {
            refund_in(w, paid.id, &Some("10.00".to_owned())).await?;
        }
        _ => {}
    }
    issue_in(w, client, &invoice("50.00")).await?;
    Ok(())
}

impl App {
    pub async fn load_demo(&self, generated_clients: usize) -> Result<DemoReport, AppError> {
        let hash = self.passwords.hash(DEMO_PASSWORD).await?;
        let fixtures = self.demo_fixtures(&hash).await?;
        self.demo_catalog(&fixtures).await?;
        let mut created = Vec::new();
        for (n, (name, email, login, locale, country, label)) in CLIENTS.iter().enumerate() {
            let fixtures = &fixtures;
            let hash = &hash;
            let done = self
                .write_as(Actor::system(), f::SYSTEM_CLI, |w| {
                    Box::pin(async move {
                        let now = w.now();
                        if w.tx().user_by_login_or_email(login).await?.is_some() {
                            return Ok(false);
                        }
                        let client = client_record(
                            ClientId::new(),
                            next_client_number(w.tx()).await?,
                            name,
                            email,
                            *locale,
                            country,
                            *label,
                            Characteristic::Common,
                            now,
                        )?;
                        let user = main_user(&client, login, hash, now)?;
                        let providers: Vec<ProviderId> = if *locale == Locale::Ru {
                            fixtures.providers.clone()
                        } else {
                            fixtures.providers.iter().skip(1).copied().collect()
                        };
                        insert_client(w.tx(), &client, &user, &providers, now).await?;
                        if let Some(provider) = providers.first() {
                            demo_money(w, client.id, *provider, n).await?;
                        }
                        Ok(true)
                    })
                })
                .await?;
            if done {
                created.push((*login).to_owned());
            }
        }
        if let Some(cloud) = fixtures.providers.first().copied() {
            let domains = fixtures.providers.get(1).copied().unwrap_or(cloud);
            let loyal = match CLIENTS.first() {
                Some((_, _, login, ..)) => self.demo_client_id(login).await?,
                None => None,
            };
            self.demo_pricing(cloud, domains, loyal).await?;
        }
        let generated = self
            .generate_clients(generated_clients, &hash, &fixtures)
            .await?;
        Ok(DemoReport { created, generated })
    }

    /// A realistic catalog, once: VPS plans with CPU, RAM and disk add-ons and an OS choice,
    /// shared hosting with an included control-panel licence, domains with a domain-name
    /// parameter, SSL certificates, and a quick-order plan.
    async fn demo_catalog(&self, fixtures: &Fixtures) -> Result<(), AppError> {
        // The RUB cloud provider and the EUR domain reseller of the fixtures; with providers
        // of one's own, the first (and second, if any) of them.
        let Some(cloud) = fixtures.providers.first().copied() else {
            return Ok(());
        };
        let domains = fixtures.providers.get(1).copied().unwrap_or(cloud);
        self.write_as(Actor::system(), f::SYSTEM_CLI, |w| {
            Box::pin(async move {
                if !w.tx().product_types().await?.is_empty() {
                    return Ok(());
                }
                let now = w.now();
                let currency_of = |p: ProviderId, list: &[ProviderRecord]| {
                    list.iter()
                        .find(|x| x.id == p)
                        .map(|x| x.currency_code.clone())
                        .unwrap_or_default()
                };
                let providers = w.tx().list_providers().await?;
                let (cloud_currency, domains_currency) = (
                    currency_of(cloud, &providers),
                    currency_of(domains, &providers),
                );
                let item = |value: &str, en: &str, ru: &str| EnumItem {
                    value: value.to_owned(),
                    name_en: en.to_owned(),
                    name_ru: ru.to_owned(),
                };
                let os = EnumerationRecord {
                    id: uuid::Uuid::now_v7(),
                    name_en: "Operating system".to_owned(),
                    name_ru: "Операционная система".to_owned(),
                    items: vec![
                        item("debian", "Debian 12", "Debian 12"),
                        item("ubuntu", "Ubuntu 24.04 LTS", "Ubuntu 24.04 LTS"),
                        item("windows", "Windows Server 2022", "Windows Server 2022"),
                    ],
                    created_at: now,
                    updated_at: now,
                };
                w.tx().insert_enumeration(&os).await?;
                let department = w
                    .tx()
                    .list_departments()
                    .await?
                    .into_iter()
                    .find(|d| d.show_in_support)
                    .map(|d| d.id);
                let module = ModuleRecord {
                    id: uuid::Uuid::now_v7(),
                    name: "Provisioning team".to_owned(),
                    kind: ModuleKind::Manual,
                    department_id: department,
                    command: None,
                    url: None,
                    secret: None,
                    timeout_secs: 30,
                    is_active: true,
                    created_at: now,
                    updated_at: now,
                };
                w.tx().insert_module(&module).await?;
                let param =
                    |key: &str,
                     en: &str,
                     ru: &str,
                     kind: ParamKind,
                     after_payment: bool,
                     enumeration_id: Option<uuid::Uuid>| ParamRecord {
                        key: key.to_owned(),
                        label_en: en.to_owned(),
                        label_ru: ru.to_owned(),
                        kind,
                        enumeration_id,
                        required: true,
                        after_payment,
                        min_length: 0,
                        max_length: 253,
                        pattern: String::new(),
                    };
                let mut types = Vec::new();
                for (key, en, ru, params) in [
                    (
                        "vps",
                        "Virtual servers",
                        "Виртуальные серверы",
                        vec![param(
                            "hostname",
                            "Host name",
                            "Имя хоста",
                            ParamKind::Domain,
                            true,
                            None,
                        )],
                    ),
                    (
                        "hosting",
                        "Shared hosting",
                        "Виртуальный хостинг",
                        vec![param(
                            "domain",
                            "Site domain",
                            "Домен сайта",
                            ParamKind::Domain,
                            true,
                            None,
                        )],
                    ),
                    (
                        "domain",
                        "Domains",
                        "Домены",
                        vec![param(
                            "domain",
                            "Domain name",
                            "Доменное имя",
                            ParamKind::Domain,
                            false,
                            None,
                        )],
                    ),
                    (
                        "ssl",
                        "SSL certificates",
                        "SSL-сертификаты",
                        vec![param(
                            "common_name",
                            "Common name",
                            "Имя сертификата",
                            ParamKind::Domain,
                            false,
                            None,
                        )],
                    ),
                ] {
                    let t = ProductTypeRecord {
                        id: uuid::Uuid::now_v7(),
                        key: key.to_owned(),
                        name_en: en.to_owned(),
                        name_ru: ru.to_owned(),
                        module_id: Some(module.id),
                        params,
                        created_at: now,
                        updated_at: now,
                    };
                    w.tx().insert_product_type(&t).await?;
                    types.push(t.id);
                }
                let (Some(vps), Some(hosting), Some(domain), Some(ssl)) = (
                    types.first().copied(),
                    types.get(1).copied(),
                    types.get(2).copied(),
                    types.get(3).copied(),
                ) else {
                    return Ok(());
                };
                let price = |period: Period, price_minor: i64, setup_minor: i64| PriceRecord {
                    period,
                    price_minor,
                    setup_minor,
                };
                let plan = |ty,
                            provider,
                            currency: &str,
                            en: &str,
                            ru: &str,
                            quick: bool,
                            prices: Vec<PriceRecord>| TariffRecord {
                    id: uuid::Uuid::now_v7(),
                    product_type_id: ty,
                    provider_id: provider,
                    currency_code: currency.to_owned(),
                    name_en: en.to_owned(),
                    name_ru: ru.to_owned(),
                    description_en: String::new(),
                    description_ru: String::new(),
                    is_active: true,
                    client_orderable: true,
                    quick_order: quick,
                    max_services: None,
                    default_period: prices.first().map_or(Period::Month1, |p| p.period),
                    trial_days: 0,
                    prices,
                    archived_at: None,
                    created_at: now,
                    updated_at: now,
                };
                let plans = [
                    plan(
                        vps,
                        cloud,
                        &cloud_currency,
                        "VPS Start",
                        "VPS Старт",
                        false,
                        vec![
                            price(Period::Month1, 50_000, 0),
                            price(Period::Month12, 500_000, 0),
                        ],
                    ),
                    plan(
                        vps,
                        cloud,
                        &cloud_currency,
                        "VPS Pro",
                        "VPS Про",
                        false,
                        vec![
                            price(Period::Month1, 120_000, 50_000),
                            price(Period::Month12, 1_200_000, 0),
                        ],
                    ),
                    plan(
                        hosting,
                        cloud,
                        &cloud_currency,
                        "Hosting Lite",
                        "Хостинг Лайт",
                        true,
                        vec![
                            price(Period::Month1, 19_900, 0),
                            price(Period::Month12, 199_000, 0),
                        ],
                    ),
                    plan(
                        domain,
                        domains,
                        &domains_currency,
                        "Domain .com",
                        "Домен .com",
                        false,
                        vec![price(Period::Month12, 1_200, 0)],
                    ),
                    plan(
                        ssl,
                        domains,
                        &domains_currency,
                        "SSL DV",
                        "SSL DV",
                        false,
                        vec![price(Period::Month12, 900, 0)],
                    ),
                ];
                for p in &plans {
                    w.tx().insert_tariff(p).await?;
                }
                let addon = |tariff: uuid::Uuid,
                             position: i64,
                             key: &str,
                             en: &str,
                             ru: &str,
                             billing: AddonBilling,
                             unit: &str,
                             limits: (i64, i64, i64, i64),
                             enumeration_id: Option<uuid::Uuid>,
                             prices: Vec<AddonPrice>| AddonRecord {
                    id: uuid::Uuid::now_v7(),
                    tariff_id: tariff,
                    position,
                    key: key.to_owned(),
                    name_en: en.to_owned(),
                    name_ru: ru.to_owned(),
                    billing,
                    unit: unit.to_owned(),
                    included: limits.0,
                    min: limits.1,
                    max: limits.2,
                    step: limits.3,
                    enumeration_id,
                    prices,
                    created_at: now,
                    updated_at: now,
                };
                let per = |period: Period, option: &str, price_minor: i64| AddonPrice {
                    period,
                    option: option.to_owned(),
                    price_minor,
                };
                for p in plans.iter().take(2) {
                    let addons = [
                        addon(
                            p.id,
                            0,
                            "cpu",
                            "CPU cores",
                            "Ядра процессора",
                            AddonBilling::Order,
                            "cores",
                            (1, 1, 16, 1),
                            None,
                            vec![
                                per(Period::Month1, "", 20_000),
                                per(Period::Month12, "", 200_000),
                            ],
                        ),
                        addon(
                            p.id,
                            1,
                            "ram",
                            "Memory",
                            "Память",
                            AddonBilling::Order,
                            "GB",
                            (2, 1, 64, 1),
                            None,
                            vec![
                                per(Period::Month1, "", 15_000),
                                per(Period::Month12, "", 150_000),
                            ],
                        ),
                        addon(
                            p.id,
                            2,
                            "disk",
                            "Disk",
                            "Диск",
                            AddonBilling::Order,
                            "GB",
                            (20, 20, 500, 10),
                            None,
                            vec![
                                per(Period::Month1, "", 500),
                                per(Period::Month12, "", 5_000),
                            ],
                        ),
                        addon(
                            p.id,
                            3,
                            "os",
                            "Operating system",
                            "Операционная система",
                            AddonBilling::Choice,
                            "",
                            (0, 0, 0, 1),
                            Some(os.id),
                            vec![
                                per(Period::Month1, "debian", 0),
                                per(Period::Month1, "ubuntu", 0),
                                per(Period::Month1, "windows", 150_000),
                                per(Period::Month12, "debian", 0),
                                per(Period::Month12, "ubuntu", 0),
                                per(Period::Month12, "windows", 1_500_000),
                            ],
                        ),
                    ];
                    for a in &addons {
                        w.tx().insert_addon(a).await?;
                    }
                }
                if let Some(lite) = plans.get(2) {
                    let licence = addon(
                        lite.id,
                        0,
                        "panel",
                        "Control panel licence",
                        "Лицензия панели управления",
                        AddonBilling::None,
                        "",
                        (1, 0, 1, 1),
                        None,
                        Vec::new(),
                    );
                    w.tx().insert_addon(&licence).await?;
                }
                w.record_as(
                    f::SYSTEM_CLI,
                    obj("catalog", "demo"),
                    "create",
                    Changes::default().set("plans", plans.len()),
                );
                Ok(())
            })
        })
        .await
    }

    /// Providers, a company, a support engineer and a client group, once.
    async fn demo_fixtures(&self, hash: &str) -> Result<Fixtures, AppError> {
        self.write_as(Actor::system(), f::SYSTEM_CLI, |w| {
            Box::pin(async move {
                let now = w.now();
                let existing = w.tx().list_providers().await?;
                if !existing.is_empty() {
                    return Ok(Fixtures {
                        providers: existing.iter().map(|p| p.id).collect(),
                    });
                }
                let mut providers = Vec::new();
                for (name, currency, login) in [
                    ("Northwind Cloud", "RUB", false),
                    ("Northwind Domains", "EUR", true),
                ] {
                    let p = ProviderRecord {
                        id: ProviderId::new(),
                        name: name.to_owned(),
                        currency_code: currency.to_owned(),
                        login_at_registration: login,
                        tax_on_top: false,
                        show_tax_on_top_up: false,
                        created_at: now,
                        updated_at: now,
                    };
                    w.tx().insert_provider(&p).await?;
                    for m in crate::money::methods::default_methods(p.id, now) {
                        w.tx().insert_payment_method(&m).await?;
                    }
                    w.record_as(
                        f::SYSTEM_CLI,
                        obj("provider", p.id),
                        "create",
                        Changes::default().set("name", name),
                    );
                    providers.push(p.id);
                }
                let company = CompanyRecord {
                    id: CompanyId::new(),
                    name: "Northwind Networks Ltd".to_owned(),
                    country: Country::parse("country", "GB")?,
                    tax_number: Some("GB123456789".to_owned()),
                    address: "1 Data Centre Way, Slough SL1 4AX".to_owned(),
                    bank_details: Some("IBAN GB00 NWBK 0000 0000 0000 00".to_owned()),
                    providers: providers.clone(),
                    created_at: now,
                    updated_at: now,
                };
                w.tx().insert_company(&company).await?;
                let group = ClientGroupRecord {
                    id: ClientGroupId::new(),
                    name: "Resellers".to_owned(),
                    allow_suspend: true,
                    allow_activate: true,
                    allow_delete: false,
                    unlimited_services: true,
                    forbid_contract_drafts: false,
                    mailing_segment: true,
                    forbidden_tariffs: Vec::new(),
                    restricted_payment_methods: Vec::new(),
                    created_at: now,
                    updated_at: now,
                };
                w.tx().insert_group(&group).await?;
                let support: Option<DepartmentId> = w
                    .tx()
                    .list_departments()
                    .await?
                    .into_iter()
                    .find(|d| d.show_in_support)
                    .map(|d| d.id);
                if let Some(dept) = support {
                    for f in [
                        f::DASHBOARD_STAFF,
                        f::CLIENT_LIST,
                        f::CLIENT_HISTORY,
                        f::CLIENT_ORDER_HISTORY,
                        f::CLIENT_ORDER_DETAILS,
                    ] {
                        w.tx().set_department_grant(dept, f.key, true, now).await?;
                    }
                    let engineer = UserRecord {
                        id: UserId::new(),
                        kind: AccountKind::Staff,
                        client_id: None,
                        login: Login::parse("login", "support")?,
                        email: Some(Email::parse("email", "support@northwind.example")?),
                        name: DisplayName::parse("name", "Sam Support")?,
                        name_ru: Some("Сэм Саппорт".to_owned()),
                        phone: None,
                        locale: Locale::En,
                        password_hash: hash.to_owned(),
                        full_access: false,
                        is_main: false,
                        is_active: true,
                        created_at: now,
                        updated_at: now,
                    };
                    if w.tx().user_by_login_or_email("support").await?.is_none() {
                        w.tx().insert_user(&engineer).await?;
                        w.tx().set_staff_departments(engineer.id, &[dept]).await?;
                    }
                }
                Ok(Fixtures { providers })
            })
        })
        .await
    }

    /// Adds `n` generated clients in batches (one transaction per batch).
    async fn generate_clients(
        &self,
        n: usize,
        hash: &str,
        fixtures: &Fixtures,
    ) -> Result<usize, AppError> {
        const BATCH: usize = 500;
        let start = {
            let mut tx = self.store.read().await?;
            let count = tx.count_clients().await?;
            tx.commit().await?;
            usize::try_from(count).unwrap_or(0)
        };
        let mut done = 0;
        while done < n {
            let size = BATCH.min(n - done);
            self.write_as(Actor::system(), f::SYSTEM_CLI, |w| {
                Box::pin(async move {
                    let now = w.now();
                    for i in start + done..start + done + size {
                        let (first, last) = (
                            FIRST.get(i % FIRST.len()).copied().unwrap_or("Alex"),
                            LAST.get((i / FIRST.len() + i) % LAST.len())
                                .copied()
                                .unwrap_or("Doe"),
                        );
                        let name = format!("{first} {last} {i}");
                        let email = format!(
                            "{}.{}.{i}@demo.example",
                            first.to_lowercase(),
                            last.to_lowercase()
                        );
                        let label = LABELS.get(i % LABELS.len()).copied().flatten();
                        let characteristic = if i % 17 == 0 {
                            Characteristic::Problematic
                        } else if i % 5 == 0 {
                            Characteristic::Good
                        } else {
                            Characteristic::Common
                        };
                        let client = client_record(
                            ClientId::new(),
                            next_client_number(w.tx()).await?,
                            &name,
                            &email,
                            if i % 3 == 0 { Locale::Ru } else { Locale::En },
                            if i % 3 == 0 { "RU" } else { "DE" },
                            label,
                            characteristic,
                            now,
                        )?;
                        let user = main_user(&client, &email, hash, now)?;
                        let provider: Vec<ProviderId> = fixtures
                            .providers
                            .get(i % fixtures.providers.len().max(1))
                            .copied()
                            .into_iter()
                            .collect();
                        insert_client(w.tx(), &client, &user, &provider, now).await?;
                    }
                    Ok(())
                })
            })
            .await?;
            done += size;
        }
        Ok(done)
    }
}
