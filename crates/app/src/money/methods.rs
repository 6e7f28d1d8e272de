//! Payment methods per provider (seed 004: "Provider → Payment methods"; reference §1.5):
//! "Bank transfer", whose invoice shows the recipient company's bank details, and "Cash /
//! manual", which staff confirm by hand. A method can be closed to client groups through the
//! group's "restricted payment methods".
//!
//! Every method is a [`PaymentGateway`]: what it tells the payer and whether money arrives by
//! itself. Both built-in kinds are confirmed by staff (credit); a real gateway module later
//! implements the same trait and credits the payment when its callback arrives.

use crate::error::AppError;
use crate::ports::{CompanyRecord, MethodKind, PaymentMethodRecord};
use crate::{App, Principal};
use bursar_domain::access::AccountKind;
use bursar_domain::functions::f;
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::validation::parse_text;
use bursar_domain::{CompanyId, ErrorCode, Invalid, Locale, PaymentMethodId, ProviderId};

/// What a way of paying does for an invoice.
pub trait PaymentGateway {
    /// Whether the payer is sent somewhere to pay (a card form); the built-in kinds are not.
    fn redirects_payer(&self) -> bool;
    /// The payment instructions printed on the invoice.
    fn instructions(&self, company: Option<&CompanyRecord>, locale: Locale) -> Vec<String>;
}

impl PaymentGateway for MethodKind {
    fn redirects_payer(&self) -> bool {
        false
    }

    fn instructions(&self, company: Option<&CompanyRecord>, locale: Locale) -> Vec<String> {
        match (self, locale) {
            (MethodKind::BankTransfer, _) => company
                .and_then(|c| c.bank_details.clone())
                .map(|d| d.lines().map(str::to_owned).collect())
                .unwrap_or_default(),
            (MethodKind::Manual, Locale::En) => {
                vec!["Pay in cash or as agreed with the provider.".to_owned()]
            }
            (MethodKind::Manual, Locale::Ru) => {
                vec!["Оплата наличными или по договорённости с провайдером.".to_owned()]
            }
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct MethodInput {
    pub provider_id: Option<String>,
    /// `bank_transfer` or `manual`.
    pub kind: Option<String>,
    pub name_en: Option<String>,
    pub name_ru: Option<String>,
    /// The company whose bank details the invoice shows; empty for the provider's first.
    pub company_id: Option<String>,
    pub is_active: Option<bool>,
}

fn method_ref(m: &PaymentMethodRecord) -> ObjectRef {
    ObjectRef {
        kind: "payment_method",
        id: m.id.to_string(),
        client: None,
    }
}

/// The two methods every new provider starts with.
pub(crate) fn default_methods(
    provider: ProviderId,
    at: jiff::Timestamp,
) -> [PaymentMethodRecord; 2] {
    let method = |kind, en: &str, ru: &str| PaymentMethodRecord {
        id: PaymentMethodId::new(),
        provider_id: provider,
        kind,
        name_en: en.to_owned(),
        name_ru: ru.to_owned(),
        company_id: None,
        is_active: true,
        created_at: at,
        updated_at: at,
    };
    [
        method(
            MethodKind::BankTransfer,
            "Bank transfer",
            "Банковский перевод",
        ),
        method(MethodKind::Manual, "Cash / manual", "Наличные / вручную"),
    ]
}

impl App {
    /// Staff: every method (of one provider when asked). A client's user: the open methods
    /// of the client's providers that none of its groups is closed to.
    pub async fn payment_methods(
        &self,
        who: &Principal,
        provider: Option<ProviderId>,
    ) -> Result<Vec<PaymentMethodRecord>, AppError> {
        let mut tx = self.store.read().await?;
        let list = match (who.kind(), who.user.client_id) {
            (AccountKind::Client, Some(client)) => {
                who.require(f::ACCOUNT_FINANCES)?;
                let providers = tx.client_providers(client).await?;
                let mut closed = Vec::new();
                for g in tx.groups_of(client).await? {
                    if let Some(g) = tx.group(g).await? {
                        closed.extend(g.restricted_payment_methods);
                    }
                }
                tx.payment_methods(provider)
                    .await?
                    .into_iter()
                    .filter(|m| {
                        m.is_active
                            && providers.contains(&m.provider_id)
                            && !closed.contains(&m.id.to_string())
                    })
                    .collect()
            }
            _ => {
                who.require_any(&[
                    f::PAYMENT_METHOD_LIST,
                    f::PAYMENT_METHOD_EDIT,
                    f::PAYMENT_CREATE,
                    f::PAYMENT_EDIT,
                    f::CLIENT_GROUP_EDIT,
                ])?;
                tx.payment_methods(provider).await?
            }
        };
        tx.commit().await?;
        Ok(list)
    }

    pub async fn save_payment_method(
        &self,
        who: &Principal,
        id: Option<PaymentMethodId>,
        input: MethodInput,
    ) -> Result<PaymentMethodRecord, AppError> {
        let input = &input;
        self.write(who, f::PAYMENT_METHOD_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let old = match id {
                    Some(id) => {
                        Some(w.tx().payment_method(id).await?.ok_or(AppError::NotFound {
                            what: "payment method",
                        })?)
                    }
                    None => None,
                };
                let mut invalid = Invalid::default();
                let provider_id = match (&old, input.provider_id.as_deref().map(str::trim)) {
                    (Some(o), None) => Some(o.provider_id),
                    (Some(o), Some(raw)) if raw == o.provider_id.to_string() => Some(o.provider_id),
                    (Some(_), Some(_)) => {
                        invalid.push(
                            "provider_id",
                            ErrorCode::ReadOnly,
                            "a method's provider cannot change",
                        );
                        None
                    }
                    (None, raw) => {
                        let parsed = raw.and_then(|r| r.parse::<ProviderId>().ok());
                        match parsed {
                            Some(p) if w.tx().provider(p).await?.is_some() => Some(p),
                            _ => {
                                invalid.push(
                                    "provider_id",
                                    ErrorCode::UnknownProvider,
                                    "choose a provider",
                                );
                                None
                            }
                        }
                    }
                };
                let kind = match input.kind.as_deref().map(str::trim) {
                    Some(raw) => MethodKind::parse(raw).or_else(|| {
                        invalid.push(
                            "kind",
                            ErrorCode::Invalid,
                            "must be bank_transfer or manual",
                        );
                        None
                    }),
                    None => old.as_ref().map(|o| o.kind).or_else(|| {
                        invalid.push("kind", ErrorCode::Required, "is required");
                        None
                    }),
                };
                let mut name =
                    |field: &str, given: &Option<String>, old: Option<&String>| match given {
                        Some(raw) => match invalid.check(parse_text(field, raw, 100)) {
                            Some(Some(n)) => Some(n),
                            Some(None) => {
                                invalid.push(field, ErrorCode::Required, "is required");
                                None
                            }
                            None => None,
                        },
                        None => match old {
                            Some(o) => Some(o.clone()),
                            None => {
                                invalid.push(field, ErrorCode::Required, "is required");
                                None
                            }
                        },
                    };
                let name_en = name("name_en", &input.name_en, old.as_ref().map(|o| &o.name_en));
                let name_ru = name("name_ru", &input.name_ru, old.as_ref().map(|o| &o.name_ru));
                let company_id = match input.company_id.as_deref().map(str::trim) {
                    None => old.as_ref().and_then(|o| o.company_id),
                    Some("") => None,
                    Some(raw) => match raw.parse::<CompanyId>().ok() {
                        Some(c) if w.tx().company(c).await?.is_some() => Some(c),
                        _ => {
                            invalid.push("company_id", ErrorCode::Invalid, "choose a company");
                            None
                        }
                    },
                };
                invalid.into_result()?;
                let (Some(provider_id), Some(kind), Some(name_en), Some(name_ru)) =
                    (provider_id, kind, name_en, name_ru)
                else {
                    return Err(AppError::internal_msg("validated method fields missing"));
                };
                let new = PaymentMethodRecord {
                    id: old.as_ref().map_or_else(PaymentMethodId::new, |o| o.id),
                    provider_id,
                    kind,
                    name_en,
                    name_ru,
                    company_id,
                    is_active: input
                        .is_active
                        .or(old.as_ref().map(|o| o.is_active))
                        .unwrap_or(true),
                    created_at: old.as_ref().map_or(now, |o| o.created_at),
                    updated_at: now,
                };
                let blank = PaymentMethodRecord {
                    name_en: String::new(),
                    name_ru: String::new(),
                    company_id: None,
                    ..new.clone()
                };
                let before = old.as_ref().unwrap_or(&blank);
                let show_company =
                    |c: Option<CompanyId>| c.map(|c| c.to_string()).unwrap_or_default();
                let changes = Changes::default()
                    .diff("name_en", &before.name_en, &new.name_en)
                    .diff("name_ru", &before.name_ru, &new.name_ru)
                    .diff(
                        "kind",
                        &before.kind.key().to_owned(),
                        &new.kind.key().to_owned(),
                    )
                    .diff(
                        "company",
                        &show_company(before.company_id),
                        &show_company(new.company_id),
                    )
                    .diff("active", &before.is_active, &new.is_active);
                if old.is_some() {
                    w.tx().update_payment_method(&new).await?;
                    if !changes.is_empty() {
                        w.record(method_ref(&new), "update", changes);
                    }
                } else {
                    w.tx().insert_payment_method(&new).await?;
                    w.record(method_ref(&new), "create", changes);
                }
                Ok(new)
            })
        })
        .await
    }

    /// Deletes a method no payment used; a used one can be switched off instead (409).
    pub async fn delete_payment_method(
        &self,
        who: &Principal,
        id: PaymentMethodId,
    ) -> Result<(), AppError> {
        self.write(who, f::PAYMENT_METHOD_EDIT, |w| {
            Box::pin(async move {
                let m = w.tx().payment_method(id).await?.ok_or(AppError::NotFound {
                    what: "payment method",
                })?;
                if w.tx().payment_method_uses(id).await? > 0 {
                    return Err(AppError::rule(
                        ErrorCode::Conflict,
                        "payments were made with this method: switch it off instead",
                    ));
                }
                w.tx().delete_payment_method(id).await?;
                w.record(
                    method_ref(&m),
                    "delete",
                    Changes::default().diff("name_en", &m.name_en, &String::new()),
                );
                Ok(())
            })
        })
        .await
    }
}
