//! Enumerations: named option lists in English and Russian (operating systems, control
//! panels), which a "choice" service parameter or a "client can choose" add-on offers.

use super::{catalog_ref, not_found, required_name};
use crate::error::AppError;
use crate::ports::{CatalogId, EnumItem, EnumerationRecord};
use crate::{App, Principal};
use bursar_domain::catalog::parse_key;
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::{ErrorCode, Invalid};

#[derive(Clone, Debug, Default)]
pub struct ItemInput {
    pub value: String,
    pub name_en: String,
    pub name_ru: String,
}

#[derive(Clone, Debug, Default)]
pub struct EnumerationInput {
    pub name_en: Option<String>,
    pub name_ru: Option<String>,
    /// Replaces the items when given.
    pub items: Option<Vec<ItemInput>>,
}

fn items_text(items: &[EnumItem]) -> String {
    items
        .iter()
        .map(|i| format!("{} ({})", i.value, i.name_en))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_items(invalid: &mut Invalid, items: &[ItemInput]) -> Vec<EnumItem> {
    let mut out: Vec<EnumItem> = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let field = |name: &str| format!("items[{n}].{name}");
        let value = match parse_key(&field("value"), &item.value) {
            Ok(v) => v,
            Err(e) => {
                invalid.0.extend(e.0);
                continue;
            }
        };
        if out.iter().any(|i| i.value == value) {
            invalid.push(&field("value"), ErrorCode::Invalid, "appears twice");
            continue;
        }
        let name_en = required_name(invalid, &field("name_en"), Some(&item.name_en), None, 100);
        let name_ru = required_name(invalid, &field("name_ru"), Some(&item.name_ru), None, 100);
        out.push(EnumItem {
            value,
            name_en,
            name_ru,
        });
    }
    if out.is_empty() && invalid.is_empty() {
        invalid.push("items", ErrorCode::Required, "needs at least one item");
    }
    out
}

impl App {
    pub async fn enumerations(&self, who: &Principal) -> Result<Vec<EnumerationRecord>, AppError> {
        who.require_any(&[f::CATALOG_VIEW, f::CATALOG_EDIT])?;
        let mut tx = self.store.read().await?;
        let list = tx.enumerations().await?;
        tx.commit().await?;
        Ok(list)
    }

    pub async fn save_enumeration(
        &self,
        who: &Principal,
        id: Option<CatalogId>,
        input: EnumerationInput,
    ) -> Result<EnumerationRecord, AppError> {
        let input = &input;
        self.write(who, f::CATALOG_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let old = match id {
                    Some(id) => Some(
                        w.tx()
                            .enumeration(id)
                            .await?
                            .ok_or(not_found("enumeration"))?,
                    ),
                    None => None,
                };
                let mut invalid = Invalid::default();
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
                let items = match (&input.items, &old) {
                    (Some(items), _) => parse_items(&mut invalid, items),
                    (None, Some(o)) => o.items.clone(),
                    (None, None) => {
                        invalid.push("items", ErrorCode::Required, "needs at least one item");
                        Vec::new()
                    }
                };
                invalid.into_result()?;
                let e = EnumerationRecord {
                    id: old.as_ref().map_or_else(uuid::Uuid::now_v7, |o| o.id),
                    name_en,
                    name_ru,
                    items,
                    created_at: old.as_ref().map_or(now, |o| o.created_at),
                    updated_at: now,
                };
                let before = old.clone().unwrap_or(EnumerationRecord {
                    name_en: String::new(),
                    name_ru: String::new(),
                    items: Vec::new(),
                    ..e.clone()
                });
                let changes = Changes::default()
                    .diff("name_en", &before.name_en, &e.name_en)
                    .diff("name_ru", &before.name_ru, &e.name_ru)
                    .diff("items", &items_text(&before.items), &items_text(&e.items));
                match &old {
                    Some(_) => w.tx().update_enumeration(&e).await?,
                    None => w.tx().insert_enumeration(&e).await?,
                }
                if !changes.is_empty() {
                    let action = if old.is_some() { "update" } else { "create" };
                    w.record(catalog_ref("enumeration", e.id), action, changes);
                }
                Ok(e)
            })
        })
        .await
    }

    pub async fn delete_enumeration(&self, who: &Principal, id: CatalogId) -> Result<(), AppError> {
        self.write(who, f::CATALOG_EDIT, |w| {
            Box::pin(async move {
                let e = w
                    .tx()
                    .enumeration(id)
                    .await?
                    .ok_or(not_found("enumeration"))?;
                if w.tx().enumeration_uses(id).await? > 0 {
                    return Err(AppError::rule(
                        ErrorCode::EnumerationInUse,
                        "the enumeration is used by a parameter or an add-on",
                    ));
                }
                w.tx().delete_enumeration(id).await?;
                w.record(
                    catalog_ref("enumeration", id),
                    "delete",
                    Changes::default().diff("name_en", &e.name_en, &String::new()),
                );
                Ok(())
            })
        })
        .await
    }
}
