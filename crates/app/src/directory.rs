//! The provider's directory: currencies (ISO 4217, enabled or not), providers (each with one
//! currency; seed 002's example is a RUB hosting provider and a EUR domain reseller) and
//! companies (the legal entities on accounting documents, each serving some providers).

use crate::clients::parse_providers;
use crate::error::AppError;
use crate::ports::*;
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::directory::{Country, Currency};
use bursar_domain::functions::f;
use bursar_domain::history::{Actor, Changes, ObjectRef};
use bursar_domain::validation::{parse_text, required_text};
use bursar_domain::{CompanyId, Invalid, ProviderId};

/// Currencies enabled on a fresh install.
const ACTIVE_AT_INSTALL: [&str; 3] = ["EUR", "RUB", "USD"];

#[derive(Clone, Debug, Default)]
pub struct ProviderInput {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub login_at_registration: Option<bool>,
    /// Tax added on top by the rules (off: prices include tax).
    pub tax_on_top: Option<bool>,
    /// Show the tax included in a top-up.
    pub show_tax_on_top_up: Option<bool>,
}

#[derive(Clone, Debug, Default)]
pub struct CompanyInput {
    pub name: Option<String>,
    pub country: Option<String>,
    pub tax_number: Option<String>,
    pub address: Option<String>,
    pub bank_details: Option<String>,
    pub providers: Option<Vec<String>>,
}

fn name(field: &str, raw: &str) -> Result<String, Invalid> {
    required_text(field, raw, 200)
}

fn obj(kind: &'static str, id: impl ToString) -> ObjectRef {
    ObjectRef {
        kind,
        id: id.to_string(),
        client: None,
    }
}

impl App {
    /// Fills the currency directory from ISO 4217 (once; later starts add nothing).
    pub(crate) async fn ensure_currencies(&self) -> Result<(), AppError> {
        self.write_as(Actor::system(), f::SYSTEM_INSTALL, |w| {
            Box::pin(async move {
                let now = w.now();
                if !w.tx().list_currencies().await?.is_empty() {
                    return Ok(());
                }
                for c in Currency::all() {
                    let rec = CurrencyRecord {
                        code: c.code().to_owned(),
                        name: c.name(),
                        minor_units: i64::from(c.minor_units()),
                        is_active: ACTIVE_AT_INSTALL.contains(&c.code()),
                    };
                    w.tx().seed_currency(&rec, now).await?;
                }
                Ok(())
            })
        })
        .await
    }

    pub async fn list_currencies(&self, who: &Principal) -> Result<Vec<CurrencyRecord>, AppError> {
        who.require_any(&[f::CURRENCY_LIST, f::CURRENCY_EDIT])?;
        let mut tx = self.store.read().await?;
        let list = tx.list_currencies().await?;
        tx.commit().await?;
        Ok(list)
    }

    /// Enables or disables a currency; one that a provider bills in stays enabled.
    pub async fn set_currency_active(
        &self,
        who: &Principal,
        code: &str,
        active: bool,
    ) -> Result<CurrencyRecord, AppError> {
        self.write(who, f::CURRENCY_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let mut c = w
                    .tx()
                    .currency(&code.to_ascii_uppercase())
                    .await?
                    .ok_or(AppError::NotFound { what: "currency" })?;
                if c.is_active == active {
                    return Ok(c);
                }
                if !active
                    && w.tx()
                        .list_providers()
                        .await?
                        .iter()
                        .any(|p| p.currency_code == c.code)
                {
                    return Err(AppError::Conflict {
                        code: ErrorCode::CurrencyInUse,
                        field: None,
                        message: format!("a provider bills in {}", c.code),
                    });
                }
                w.tx().set_currency_active(&c.code, active, now).await?;
                let changes = Changes::default().diff("is_active", &c.is_active, &active);
                w.record_as(
                    f::CURRENCY_EDIT,
                    obj("currency", &c.code),
                    "update",
                    changes,
                );
                c.is_active = active;
                Ok(c)
            })
        })
        .await
    }

    async fn active_currency(tx: &mut dyn Tx, raw: &str) -> Result<String, AppError> {
        let c = Currency::parse("currency", raw)?;
        match tx.currency(c.code()).await? {
            Some(rec) if rec.is_active => Ok(rec.code),
            _ => Err(AppError::invalid(
                "currency",
                ErrorCode::CurrencyDisabled,
                format!("{} is not enabled in Directories → Currencies", c.code()),
            )),
        }
    }

    pub async fn list_providers(&self, who: &Principal) -> Result<Vec<ProviderRecord>, AppError> {
        who.require_any(&[f::PROVIDER_LIST, f::PROVIDER_EDIT])?;
        let mut tx = self.store.read().await?;
        let list = tx.list_providers().await?;
        tx.commit().await?;
        Ok(list)
    }

    /// The providers a visitor may register with (the registration form's choice).
    pub async fn registration_providers(&self) -> Result<Vec<ProviderRecord>, AppError> {
        let mut tx = self.store.read().await?;
        let list = tx.list_providers().await?;
        tx.commit().await?;
        Ok(list)
    }

    pub async fn create_provider(
        &self,
        who: &Principal,
        input: ProviderInput,
    ) -> Result<ProviderRecord, AppError> {
        who.require(f::PROVIDER_EDIT)?;
        if input.tax_on_top == Some(true) || input.show_tax_on_top_up == Some(true) {
            who.require(f::TAX_EDIT)?;
        }
        let mut invalid = Invalid::default();
        let n = match &input.name {
            Some(n) => invalid.check(name("name", n)),
            None => {
                invalid.push("name", ErrorCode::Required, "is required");
                None
            }
        };
        if input.currency.is_none() {
            invalid.push("currency", ErrorCode::Required, "is required");
        }
        invalid.into_result()?;
        let input = &input;
        let n = &n;
        self.write(who, f::PROVIDER_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let currency =
                    Self::active_currency(w.tx(), input.currency.as_deref().unwrap_or_default())
                        .await?;
                let p = ProviderRecord {
                    id: ProviderId::new(),
                    name: n.clone().unwrap_or_default(),
                    currency_code: currency,
                    login_at_registration: input.login_at_registration.unwrap_or(false),
                    tax_on_top: input.tax_on_top.unwrap_or(false),
                    show_tax_on_top_up: input.show_tax_on_top_up.unwrap_or(false),
                    created_at: now,
                    updated_at: now,
                };
                w.tx().insert_provider(&p).await?;
                for m in crate::money::methods::default_methods(p.id, now) {
                    w.tx().insert_payment_method(&m).await?;
                }
                let changes = Changes::default()
                    .set("name", &p.name)
                    .set("currency", &p.currency_code)
                    .set("login_at_registration", p.login_at_registration)
                    .set("tax_on_top", p.tax_on_top)
                    .set("show_tax_on_top_up", p.show_tax_on_top_up);
                w.record_as(f::PROVIDER_EDIT, obj("provider", p.id), "create", changes);
                Ok(p)
            })
        })
        .await
    }

    /// Edits a provider. Its currency changes only while nothing uses the provider yet:
    /// clients' accounts with it hold money in that currency.
    pub async fn update_provider(
        &self,
        who: &Principal,
        id: ProviderId,
        input: ProviderInput,
    ) -> Result<ProviderRecord, AppError> {
        let input = &input;
        self.write(who, f::PROVIDER_EDIT, |w| Box::pin(async move {
            let now = w.now();
            let old = w.tx()
                .provider(id)
                .await?
                .ok_or(AppError::NotFound { what: "provider" })?;
            let mut new = old.clone();
            if let Some(n) = &input.name {
                new.name = name("name", n)?;
            }
            if let Some(c) = &input.currency {
                new.currency_code = Self::active_currency(w.tx(), c).await?;
                let refs = if new.currency_code == old.currency_code {
                    0
                } else {
                    w.tx().provider_references(id).await?
                };
                if refs > 0 {
                    return Err(AppError::Conflict {
                        code: ErrorCode::ProviderCurrencyLocked,
                        field: Some("currency"),
                        message: format!(
                            "the currency cannot change: {refs} client link(s), service(s) or document(s) use this provider"
                        ),
                    });
                }
            }
            if let Some(v) = input.login_at_registration {
                new.login_at_registration = v;
            }
            new.tax_on_top = input.tax_on_top.unwrap_or(old.tax_on_top);
            new.show_tax_on_top_up = input.show_tax_on_top_up.unwrap_or(old.show_tax_on_top_up);
            if (new.tax_on_top, new.show_tax_on_top_up) != (old.tax_on_top, old.show_tax_on_top_up) {
                who.require(f::TAX_EDIT)?;
            }
            let changes = Changes::default()
                .diff("name", &old.name, &new.name)
                .diff("currency", &old.currency_code, &new.currency_code)
                .diff(
                    "login_at_registration",
                    &old.login_at_registration,
                    &new.login_at_registration,
                )
                .diff("tax_on_top", &old.tax_on_top, &new.tax_on_top)
                .diff("show_tax_on_top_up", &old.show_tax_on_top_up, &new.show_tax_on_top_up);
            if !changes.is_empty() {
                new.updated_at = now;
                w.tx().update_provider(&new).await?;
                w.record_as(f::PROVIDER_EDIT, obj("provider", id), "update", changes);
            }
            Ok(new)
        }))
        .await
    }

    pub async fn delete_provider(&self, who: &Principal, id: ProviderId) -> Result<(), AppError> {
        self.write(who, f::PROVIDER_EDIT, |w| {
            Box::pin(async move {
                let old = w
                    .tx()
                    .provider(id)
                    .await?
                    .ok_or(AppError::NotFound { what: "provider" })?;
                let refs = w.tx().provider_references(id).await?;
                if refs > 0 {
                    return Err(AppError::Conflict {
                        code: ErrorCode::ProviderInUse,
                        field: None,
                        message: format!(
                            "{} client link(s), service(s) or document(s) use this provider",
                            refs
                        ),
                    });
                }
                w.tx().delete_provider(id).await?;
                let changes = Changes::default().diff("name", &old.name, &String::new());
                w.record_as(f::PROVIDER_EDIT, obj("provider", id), "delete", changes);
                Ok(())
            })
        })
        .await
    }

    pub async fn list_companies(&self, who: &Principal) -> Result<Vec<CompanyRecord>, AppError> {
        who.require_any(&[f::COMPANY_LIST, f::COMPANY_EDIT])?;
        let mut tx = self.store.read().await?;
        let list = tx.list_companies().await?;
        tx.commit().await?;
        Ok(list)
    }

    pub async fn save_company(
        &self,
        who: &Principal,
        id: Option<CompanyId>,
        input: CompanyInput,
    ) -> Result<CompanyRecord, AppError> {
        let input = &input;
        self.write(who, f::COMPANY_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let old = match id {
                    Some(id) => Some(
                        w.tx()
                            .company(id)
                            .await?
                            .ok_or(AppError::NotFound { what: "company" })?,
                    ),
                    None => None,
                };
                let mut invalid = Invalid::default();
                let mut new = old.clone().unwrap_or(CompanyRecord {
                    id: CompanyId::new(),
                    name: String::new(),
                    country: Country::parse("country", "US")?,
                    tax_number: None,
                    address: String::new(),
                    bank_details: None,
                    providers: Vec::new(),
                    created_at: now,
                    updated_at: now,
                });
                match (&input.name, &old) {
                    (Some(n), _) => new.name = invalid.check(name("name", n)).unwrap_or_default(),
                    (None, None) => invalid.push("name", ErrorCode::Required, "is required"),
                    _ => {}
                }
                match (&input.country, &old) {
                    (Some(c), _) => {
                        if let Some(c) = invalid.check(Country::parse("country", c)) {
                            new.country = c;
                        }
                    }
                    (None, None) => invalid.push("country", ErrorCode::Required, "is required"),
                    _ => {}
                }
                match (&input.address, &old) {
                    (Some(a), _) => {
                        new.address = invalid.check(name("address", a)).unwrap_or_default()
                    }
                    (None, None) => invalid.push("address", ErrorCode::Required, "is required"),
                    _ => {}
                }
                if let Some(t) = &input.tax_number {
                    new.tax_number = invalid.check(parse_text("tax_number", t, 50)).flatten();
                }
                if let Some(b) = &input.bank_details {
                    new.bank_details = invalid.check(parse_text("bank_details", b, 2000)).flatten();
                }
                invalid.into_result()?;
                if let Some(raw) = &input.providers {
                    new.providers = parse_providers(w.tx(), "providers", raw)
                        .await?
                        .into_iter()
                        .map(|p| p.id)
                        .collect();
                }
                let empty = CompanyRecord {
                    name: String::new(),
                    address: String::new(),
                    tax_number: None,
                    bank_details: None,
                    providers: Vec::new(),
                    ..new.clone()
                };
                let before = old.as_ref().unwrap_or(&empty);
                let ids = |c: &CompanyRecord| {
                    c.providers
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let changes = Changes::default()
                    .diff("name", &before.name, &new.name)
                    .diff("country", &before.country.code(), &new.country.code())
                    .diff(
                        "tax_number",
                        &before.tax_number.clone().unwrap_or_default(),
                        &new.tax_number.clone().unwrap_or_default(),
                    )
                    .diff("address", &before.address, &new.address)
                    .diff(
                        "bank_details",
                        &before.bank_details.clone().unwrap_or_default(),
                        &new.bank_details.clone().unwrap_or_default(),
                    )
                    .diff("providers", &ids(before), &ids(&new));
                new.updated_at = now;
                if old.is_some() {
                    w.tx().update_company(&new).await?;
                } else {
                    w.tx().insert_company(&new).await?;
                }
                let action = if old.is_some() { "update" } else { "create" };
                if !changes.is_empty() {
                    w.record_as(f::COMPANY_EDIT, obj("company", new.id), action, changes);
                }
                Ok(new)
            })
        })
        .await
    }

    pub async fn delete_company(&self, who: &Principal, id: CompanyId) -> Result<(), AppError> {
        self.write(who, f::COMPANY_EDIT, |w| {
            Box::pin(async move {
                let old = w
                    .tx()
                    .company(id)
                    .await?
                    .ok_or(AppError::NotFound { what: "company" })?;
                w.tx().delete_company(id).await?;
                let changes = Changes::default().diff("name", &old.name, &String::new());
                w.record_as(f::COMPANY_EDIT, obj("company", id), "delete", changes);
                Ok(())
            })
        })
        .await
    }
}
