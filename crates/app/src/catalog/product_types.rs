//! Product types (VPS, shared hosting, domains, SSL): an internal name, names in both
//! languages, the processing module, and the service parameters an order asks for, each
//! with its kind, whether it is required, when it is asked, and its validation.

use super::{catalog_ref, not_found, parse_id, required_name};
use crate::error::AppError;
use crate::ports::{CatalogId, ParamRecord, ProductTypeRecord, Tx};
use crate::{App, Principal};
use bursar_domain::catalog::{ParamKind, compile_pattern, parse_key};
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::{ErrorCode, Invalid};

#[derive(Clone, Debug, Default)]
pub struct ParamInput {
    pub key: String,
    pub label_en: String,
    pub label_ru: String,
    /// `text`, `password`, `domain` or `choice`.
    pub kind: String,
    pub enumeration_id: Option<String>,
    pub required: bool,
    /// "May be given after payment" (quick order); else asked at order.
    pub after_payment: bool,
    pub min_length: Option<i64>,
    pub max_length: Option<i64>,
    pub pattern: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct ProductTypeInput {
    pub key: Option<String>,
    pub name_en: Option<String>,
    pub name_ru: Option<String>,
    /// A processing module's id; empty for none.
    pub module_id: Option<String>,
    /// Replaces the parameters when given.
    pub params: Option<Vec<ParamInput>>,
}

fn params_text(params: &[ParamRecord]) -> String {
    params
        .iter()
        .map(|p| {
            format!(
                "{} ({}{})",
                p.key,
                p.kind.key(),
                if p.required { ", required" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn parse_params(
    tx: &mut dyn Tx,
    invalid: &mut Invalid,
    params: &[ParamInput],
) -> Result<Vec<ParamRecord>, AppError> {
    let mut out: Vec<ParamRecord> = Vec::new();
    for (n, p) in params.iter().enumerate() {
        let field = |name: &str| format!("params[{n}].{name}");
        let key = match parse_key(&field("key"), &p.key) {
            Ok(k) => k,
            Err(e) => {
                invalid.0.extend(e.0);
                continue;
            }
        };
        if out.iter().any(|o| o.key == key) {
            invalid.push(&field("key"), ErrorCode::Invalid, "appears twice");
        }
        let kind = ParamKind::parse(p.kind.trim()).unwrap_or_else(|| {
            invalid.push(
                &field("kind"),
                ErrorCode::Invalid,
                "must be text, password, domain or choice",
            );
            ParamKind::Text
        });
        let enumeration_id = parse_id(
            invalid,
            &field("enumeration_id"),
            p.enumeration_id.as_deref().unwrap_or_default(),
        );
        match (kind, enumeration_id) {
            (ParamKind::Choice, None) => invalid.push(
                &field("enumeration_id"),
                ErrorCode::Required,
                "a choice needs an enumeration",
            ),
            (ParamKind::Choice, Some(e)) if tx.enumeration(e).await?.is_none() => invalid.push(
                &field("enumeration_id"),
                ErrorCode::Invalid,
                "no such enumeration",
            ),
            _ => {}
        }
        let min_length = p.min_length.unwrap_or(0);
        let max_length = p.max_length.unwrap_or(255);
        if !(0..=10_000).contains(&min_length) {
            invalid.push(
                &field("min_length"),
                ErrorCode::OutOfRange,
                "must be 0 to 10000",
            );
        }
        if !(1..=10_000).contains(&max_length) || max_length < min_length {
            invalid.push(
                &field("max_length"),
                ErrorCode::OutOfRange,
                "must be 1 to 10000 and not below the minimum",
            );
        }
        let pattern = p.pattern.clone().unwrap_or_default();
        if let Err(e) = compile_pattern(&field("pattern"), &pattern) {
            invalid.0.extend(e.0);
        }
        out.push(ParamRecord {
            key,
            label_en: required_name(invalid, &field("label_en"), Some(&p.label_en), None, 100),
            label_ru: required_name(invalid, &field("label_ru"), Some(&p.label_ru), None, 100),
            kind,
            enumeration_id: if kind == ParamKind::Choice {
                enumeration_id
            } else {
                None
            },
            required: p.required,
            after_payment: p.after_payment,
            min_length,
            max_length,
            pattern,
        });
    }
    Ok(out)
}

impl App {
    pub async fn product_types(&self, who: &Principal) -> Result<Vec<ProductTypeRecord>, AppError> {
        who.require_any(&[f::CATALOG_VIEW, f::CATALOG_EDIT])?;
        let mut tx = self.store.read().await?;
        let list = tx.product_types().await?;
        tx.commit().await?;
        Ok(list)
    }

    pub async fn product_type(
        &self,
        who: &Principal,
        id: CatalogId,
    ) -> Result<ProductTypeRecord, AppError> {
        who.require_any(&[f::CATALOG_VIEW, f::CATALOG_EDIT])?;
        let mut tx = self.store.read().await?;
        let t = tx
            .product_type(id)
            .await?
            .ok_or(not_found("product type"))?;
        tx.commit().await?;
        Ok(t)
    }

    pub async fn save_product_type(
        &self,
        who: &Principal,
        id: Option<CatalogId>,
        input: ProductTypeInput,
    ) -> Result<ProductTypeRecord, AppError> {
        let input = &input;
        self.write(who, f::CATALOG_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let old = match id {
                    Some(id) => Some(
                        w.tx()
                            .product_type(id)
                            .await?
                            .ok_or(not_found("product type"))?,
                    ),
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
                let module_id = match &input.module_id {
                    Some(raw) => {
                        let m = parse_id(&mut invalid, "module_id", raw);
                        if let Some(m) = m
                            && w.tx().module(m).await?.is_none()
                        {
                            invalid.push(
                                "module_id",
                                ErrorCode::InvalidModule,
                                "no such processing module",
                            );
                        }
                        m
                    }
                    None => old.as_ref().and_then(|o| o.module_id),
                };
                let params = match (&input.params, &old) {
                    (Some(p), _) => parse_params(w.tx(), &mut invalid, p).await?,
                    (None, Some(o)) => o.params.clone(),
                    (None, None) => Vec::new(),
                };
                invalid.into_result()?;
                let t = ProductTypeRecord {
                    id: old.as_ref().map_or_else(uuid::Uuid::now_v7, |o| o.id),
                    key,
                    name_en,
                    name_ru,
                    module_id,
                    params,
                    created_at: old.as_ref().map_or(now, |o| o.created_at),
                    updated_at: now,
                };
                let before = old.as_ref();
                let s = |f: fn(&ProductTypeRecord) -> String| before.map(f).unwrap_or_default();
                let changes = Changes::default()
                    .diff("key", &s(|o| o.key.clone()), &t.key)
                    .diff("name_en", &s(|o| o.name_en.clone()), &t.name_en)
                    .diff("name_ru", &s(|o| o.name_ru.clone()), &t.name_ru)
                    .diff(
                        "module",
                        &s(|o| o.module_id.map(|m| m.to_string()).unwrap_or_default()),
                        &t.module_id.map(|m| m.to_string()).unwrap_or_default(),
                    )
                    .diff(
                        "params",
                        &s(|o| params_text(&o.params)),
                        &params_text(&t.params),
                    );
                match &old {
                    Some(_) => w.tx().update_product_type(&t).await?,
                    None => w.tx().insert_product_type(&t).await?,
                }
                if !changes.is_empty() {
                    let action = if old.is_some() { "update" } else { "create" };
                    w.record(catalog_ref("product_type", t.id), action, changes);
                }
                Ok(t)
            })
        })
        .await
    }

    /// Deletes a product type without tariff plans (409 `product_type_in_use` otherwise).
    pub async fn delete_product_type(
        &self,
        who: &Principal,
        id: CatalogId,
    ) -> Result<(), AppError> {
        self.write(who, f::CATALOG_EDIT, |w| {
            Box::pin(async move {
                let t = w
                    .tx()
                    .product_type(id)
                    .await?
                    .ok_or(not_found("product type"))?;
                if !w.tx().tariffs(Some(id)).await?.is_empty() {
                    return Err(AppError::rule(
                        ErrorCode::ProductTypeInUse,
                        "the product type has tariff plans",
                    ));
                }
                w.tx().delete_product_type(id).await?;
                w.record(
                    catalog_ref("product_type", id),
                    "delete",
                    Changes::default().diff("key", &t.key, &String::new()),
                );
                Ok(())
            })
        })
        .await
    }
}
