//! A client's personal discounts (seed 004): a percentage or a fixed amount, on everything,
//! some product types or some tariff plans, between two days, with a comment. Two discounts
//! of one client may not share a day and a product at the same level (`overlapping_rule`):
//! the read of the client's discounts and the insert run in one SERIALIZABLE transaction,
//! so parallel requests cannot both pass the check.

use super::{
    AmountInput, amount_places, amount_text, day_text, parse_amount_input, parse_uuid,
    parse_validity,
};
use crate::catalog::optional_text;
use crate::clients::{load_client, load_writable_client};
use crate::error::AppError;
use crate::ports::{CatalogId, ClientDiscountRecord, Tx};
use crate::{App, Principal};
use bursar_domain::functions::f;
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::pricing::Validity;
use bursar_domain::pricing::discounts::{PersonalDiscount, Scope, check_personal_overlap};
use bursar_domain::{ClientId, ErrorCode, Invalid};

pub const COMMENT_MAX: usize = 500;

#[derive(Clone, Debug, Default)]
pub struct DiscountInput {
    pub amount: AmountInput,
    /// `all`, `product_types` or `tariffs`.
    pub scope: Option<String>,
    /// Product type or plan ids for a limited scope; replaces the old ones when given.
    pub targets: Option<Vec<String>>,
    /// `2026-01-31`; empty clears; absent keeps.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub comment: Option<String>,
}

/// A discount with what its page shows: its currency's places and its targets' names.
#[derive(Clone, Debug)]
pub struct DiscountView {
    pub record: ClientDiscountRecord,
    pub minor_units: u16,
    pub targets: Vec<(CatalogId, String)>,
}

fn discount_ref(client: ClientId, id: CatalogId) -> ObjectRef {
    ObjectRef {
        kind: "client_discount",
        id: id.to_string(),
        client: Some(client),
    }
}

/// The names of a scope's targets, in order (an id whose record is gone shows as the id).
async fn target_names(
    tx: &mut dyn Tx,
    scope: &Scope,
) -> Result<Vec<(CatalogId, String)>, AppError> {
    let mut out = Vec::new();
    match scope {
        Scope::All => {}
        Scope::ProductTypes(ids) => {
            for id in ids {
                let name = tx.product_type(*id).await?.map(|t| t.name_en);
                out.push((*id, name.unwrap_or_else(|| id.to_string())));
            }
        }
        Scope::Tariffs(ids) => {
            for id in ids {
                let name = tx.tariff(*id).await?.map(|t| t.name_en);
                out.push((*id, name.unwrap_or_else(|| id.to_string())));
            }
        }
    }
    Ok(out)
}

/// The scope in words for the history: `all products`, `tariff plans: VPS Start, VPS Pro`.
async fn scope_text(tx: &mut dyn Tx, scope: &Scope) -> Result<String, AppError> {
    let names: Vec<String> = target_names(tx, scope)
        .await?
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    Ok(match scope {
        Scope::All => "all products".to_owned(),
        Scope::ProductTypes(_) => format!("product types: {}", names.join(", ")),
        Scope::Tariffs(_) => format!("tariff plans: {}", names.join(", ")),
    })
}

/// Reads the scope and checks each target exists, one error per unknown id.
async fn parse_scope(
    tx: &mut dyn Tx,
    invalid: &mut Invalid,
    input: &DiscountInput,
    old: Option<&Scope>,
) -> Result<Scope, AppError> {
    let key = match (&input.scope, old) {
        (Some(k), _) => k.trim().to_owned(),
        (None, Some(o)) => o.key().to_owned(),
        (None, None) => "all".to_owned(),
    };
    let raw_targets: Option<&[String]> = input.targets.as_deref();
    let mut ids = Vec::new();
    if key != "all" {
        match raw_targets {
            Some(list) => {
                for (n, raw) in list.iter().enumerate() {
                    let field = format!("targets[{n}]");
                    let Some(id) = parse_uuid(invalid, &field, raw) else {
                        continue;
                    };
                    let exists = match key.as_str() {
                        "product_types" => tx.product_type(id).await?.is_some(),
                        _ => tx.tariff(id).await?.is_some(),
                    };
                    if !exists {
                        let what = if key == "product_types" {
                            "no such product type"
                        } else {
                            "no such tariff plan"
                        };
                        invalid.push(&field, ErrorCode::Invalid, what);
                    } else if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            None => match old {
                Some(Scope::ProductTypes(o)) if key == "product_types" => ids = o.clone(),
                Some(Scope::Tariffs(o)) if key == "tariffs" => ids = o.clone(),
                _ => {}
            },
        }
    }
    let scope = match key.as_str() {
        "all" => Scope::All,
        "product_types" => Scope::ProductTypes(ids),
        "tariffs" => Scope::Tariffs(ids),
        _ => {
            invalid.push(
                "scope",
                ErrorCode::Invalid,
                "must be all, product_types or tariffs",
            );
            return Ok(Scope::All);
        }
    };
    let empty = matches!(&scope, Scope::ProductTypes(v) | Scope::Tariffs(v) if v.is_empty());
    if empty && invalid.is_empty() {
        invalid.push("targets", ErrorCode::Required, "choose at least one");
    }
    Ok(scope)
}

async fn load_discount(
    tx: &mut dyn Tx,
    client: ClientId,
    id: CatalogId,
) -> Result<ClientDiscountRecord, AppError> {
    tx.client_discounts(client)
        .await?
        .into_iter()
        .find(|d| d.discount.id == id)
        .ok_or(AppError::NotFound { what: "discount" })
}

async fn view(tx: &mut dyn Tx, record: ClientDiscountRecord) -> Result<DiscountView, AppError> {
    Ok(DiscountView {
        minor_units: amount_places(tx, &record.discount.amount).await?,
        targets: target_names(tx, &record.discount.scope).await?,
        record,
    })
}

/// The history's words for one discount, field by field.
async fn words(tx: &mut dyn Tx, d: Option<&PersonalDiscount>) -> Result<[String; 5], AppError> {
    let Some(d) = d else {
        return Ok(Default::default());
    };
    Ok([
        amount_text(tx, &d.amount).await?,
        scope_text(tx, &d.scope).await?,
        day_text(d.validity.starts_on),
        day_text(d.validity.ends_on),
        d.comment.clone(),
    ])
}

fn changes(before: &[String; 5], after: &[String; 5]) -> Changes {
    let mut c = Changes::default();
    for (n, field) in ["discount", "scope", "starts_on", "ends_on", "comment"]
        .into_iter()
        .enumerate()
    {
        if let (Some(b), Some(a)) = (before.get(n), after.get(n)) {
            c = c.diff(field, b, a);
        }
    }
    c
}

impl App {
    pub async fn client_discounts(
        &self,
        who: &Principal,
        client: ClientId,
    ) -> Result<Vec<DiscountView>, AppError> {
        who.require_any(&[f::DISCOUNT_VIEW, f::DISCOUNT_EDIT])?;
        let mut tx = self.store.read().await?;
        load_client(tx.as_mut(), client).await?;
        let mut out = Vec::new();
        for d in tx.client_discounts(client).await? {
            out.push(view(tx.as_mut(), d).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// One discount of the client; another client's is "not found".
    pub async fn client_discount(
        &self,
        who: &Principal,
        client: ClientId,
        id: CatalogId,
    ) -> Result<DiscountView, AppError> {
        who.require_any(&[f::DISCOUNT_VIEW, f::DISCOUNT_EDIT])?;
        let mut tx = self.store.read().await?;
        load_client(tx.as_mut(), client).await?;
        let d = load_discount(tx.as_mut(), client, id).await?;
        let v = view(tx.as_mut(), d).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Adds (`id` none) or edits a personal discount.
    pub async fn save_client_discount(
        &self,
        who: &Principal,
        client: ClientId,
        id: Option<CatalogId>,
        input: DiscountInput,
    ) -> Result<DiscountView, AppError> {
        let input = &input;
        self.write(who, f::DISCOUNT_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                load_writable_client(w.tx(), client).await?;
                let old = match id {
                    Some(id) => Some(load_discount(w.tx(), client, id).await?),
                    None => None,
                };
                let old_d = old.as_ref().map(|o| &o.discount);
                let mut invalid = Invalid::default();
                let amount = parse_amount_input(
                    w.tx(),
                    &mut invalid,
                    &input.amount,
                    old_d.map(|d| &d.amount),
                )
                .await?;
                let scope =
                    parse_scope(w.tx(), &mut invalid, input, old_d.map(|d| &d.scope)).await?;
                let validity = parse_validity(
                    &mut invalid,
                    input.starts_on.as_deref(),
                    input.ends_on.as_deref(),
                    old_d.map_or(Validity::default(), |d| d.validity),
                );
                let comment = optional_text(
                    &mut invalid,
                    "comment",
                    input.comment.as_deref(),
                    old_d.map_or("", |d| d.comment.as_str()),
                    COMMENT_MAX,
                );
                invalid.into_result()?;
                let Some(amount) = amount else {
                    return Err(AppError::internal_msg("validated amount missing"));
                };
                let record = ClientDiscountRecord {
                    client_id: client,
                    discount: PersonalDiscount {
                        id: old_d.map_or_else(uuid::Uuid::now_v7, |d| d.id),
                        amount,
                        scope,
                        validity,
                        comment,
                    },
                    created_at: old.as_ref().map_or(now, |o| o.created_at),
                    updated_at: now,
                };
                let others: Vec<PersonalDiscount> = w
                    .tx()
                    .client_discounts(client)
                    .await?
                    .into_iter()
                    .map(|d| d.discount)
                    .collect();
                check_personal_overlap(&record.discount, &others)?;
                let before = words(w.tx(), old_d).await?;
                let after = words(w.tx(), Some(&record.discount)).await?;
                let changes = changes(&before, &after);
                match &old {
                    Some(_) => w.tx().update_client_discount(&record).await?,
                    None => w.tx().insert_client_discount(&record).await?,
                }
                if !changes.is_empty() {
                    let action = if old.is_some() { "update" } else { "create" };
                    w.record(discount_ref(client, record.discount.id), action, changes);
                }
                view(w.tx(), record).await
            })
        })
        .await
    }

    pub async fn delete_client_discount(
        &self,
        who: &Principal,
        client: ClientId,
        id: CatalogId,
    ) -> Result<(), AppError> {
        self.write(who, f::DISCOUNT_EDIT, |w| {
            Box::pin(async move {
                load_writable_client(w.tx(), client).await?;
                let old = load_discount(w.tx(), client, id).await?;
                let before = words(w.tx(), Some(&old.discount)).await?;
                w.tx().delete_client_discount(id).await?;
                w.record(
                    discount_ref(client, id),
                    "delete",
                    changes(&before, &Default::default()),
                );
                Ok(())
            })
        })
        .await
    }
}
