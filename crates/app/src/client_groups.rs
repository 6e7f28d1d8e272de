//! Client groups (Clients → Client groups, seed 004): clients belong to any number of them,
//! and a group carries settings that the features they restrict enforce: clients may
//! suspend, activate or delete their services; the per-account service limit is lifted;
//! tariff plans forbidden to the group; restricted payment methods; no contract drafts;
//! inclusion in mailing segments. (Group currency rates and promotions arrive with money and
//! the catalog.)

use crate::error::AppError;
use crate::ports::ClientGroupRecord;
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::functions::f;
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::validation::parse_text;
use bursar_domain::{ClientGroupId, Invalid};

#[derive(Clone, Debug, Default)]
pub struct GroupInput {
    pub name: Option<String>,
    pub allow_suspend: Option<bool>,
    pub allow_activate: Option<bool>,
    pub allow_delete: Option<bool>,
    pub unlimited_services: Option<bool>,
    pub forbid_contract_drafts: Option<bool>,
    pub mailing_segment: Option<bool>,
    pub forbidden_tariffs: Option<Vec<String>>,
    pub restricted_payment_methods: Option<Vec<String>>,
}

fn group_ref(id: ClientGroupId) -> ObjectRef {
    ObjectRef {
        kind: "client_group",
        id: id.to_string(),
        client: None,
    }
}

fn ids(field: &str, raw: &[String]) -> Result<Vec<String>, Invalid> {
    let mut out: Vec<String> = Vec::new();
    for r in raw {
        let v = parse_text(field, r, 100)?.ok_or_else(|| {
            Invalid::field(field, ErrorCode::Required, "must not contain empty entries")
        })?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

impl App {
    pub async fn list_client_groups(
        &self,
        who: &Principal,
    ) -> Result<Vec<(ClientGroupRecord, i64)>, AppError> {
        // Whoever may put a client in groups must see which groups there are to choose from.
        who.require_any(&[f::CLIENT_GROUP_LIST, f::CLIENT_GROUP_EDIT, f::CLIENT_GROUPS])?;
        let mut tx = self.store.read().await?;
        let list = tx.list_groups().await?;
        tx.commit().await?;
        Ok(list)
    }

    pub async fn save_client_group(
        &self,
        who: &Principal,
        id: Option<ClientGroupId>,
        input: GroupInput,
    ) -> Result<ClientGroupRecord, AppError> {
        let input = &input;
        self.write(who, f::CLIENT_GROUP_EDIT, |w| {
            Box::pin(async move {
                let now = w.now();
                let old = match id {
                    Some(id) => Some(w.tx().group(id).await?.ok_or(AppError::NotFound {
                        what: "client group",
                    })?),
                    None => None,
                };
                let mut new = old.clone().unwrap_or(ClientGroupRecord {
                    id: ClientGroupId::new(),
                    name: String::new(),
                    allow_suspend: false,
                    allow_activate: false,
                    allow_delete: false,
                    unlimited_services: false,
                    forbid_contract_drafts: false,
                    mailing_segment: false,
                    forbidden_tariffs: Vec::new(),
                    restricted_payment_methods: Vec::new(),
                    created_at: now,
                    updated_at: now,
                });
                let mut invalid = Invalid::default();
                match &input.name {
                    Some(n) => match invalid.check(parse_text("name", n, 100)) {
                        Some(Some(n)) => new.name = n,
                        Some(None) => invalid.push("name", ErrorCode::Required, "is required"),
                        None => {}
                    },
                    None if old.is_none() => {
                        invalid.push("name", ErrorCode::Required, "is required")
                    }
                    None => {}
                }
                if let Some(t) = &input.forbidden_tariffs
                    && let Some(t) = invalid.check(ids("forbidden_tariffs", t))
                {
                    new.forbidden_tariffs = t;
                }
                if let Some(t) = &input.restricted_payment_methods
                    && let Some(t) = invalid.check(ids("restricted_payment_methods", t))
                {
                    // Only methods that exist can be closed to a group.
                    let known: Vec<String> = w
                        .tx()
                        .payment_methods(None)
                        .await?
                        .iter()
                        .map(|m| m.id.to_string())
                        .collect();
                    if t.iter().all(|id| known.contains(id)) {
                        new.restricted_payment_methods = t;
                    } else {
                        invalid.push(
                            "restricted_payment_methods",
                            ErrorCode::UnknownPaymentMethod,
                            "names a payment method that does not exist",
                        );
                    }
                }
                invalid.into_result()?;
                let flags = [
                    (&mut new.allow_suspend, input.allow_suspend),
                    (&mut new.allow_activate, input.allow_activate),
                    (&mut new.allow_delete, input.allow_delete),
                    (&mut new.unlimited_services, input.unlimited_services),
                    (
                        &mut new.forbid_contract_drafts,
                        input.forbid_contract_drafts,
                    ),
                    (&mut new.mailing_segment, input.mailing_segment),
                ];
                for (field, value) in flags {
                    if let Some(v) = value {
                        *field = v;
                    }
                }
                let blank = ClientGroupRecord {
                    name: String::new(),
                    forbidden_tariffs: Vec::new(),
                    restricted_payment_methods: Vec::new(),
                    ..new.clone()
                };
                let before = old.as_ref().unwrap_or(&blank);
                let changes = Changes::default()
                    .diff("name", &before.name, &new.name)
                    .diff("allow_suspend", &before.allow_suspend, &new.allow_suspend)
                    .diff(
                        "allow_activate",
                        &before.allow_activate,
                        &new.allow_activate,
                    )
                    .diff("allow_delete", &before.allow_delete, &new.allow_delete)
                    .diff(
                        "unlimited_services",
                        &before.unlimited_services,
                        &new.unlimited_services,
                    )
                    .diff(
                        "forbid_contract_drafts",
                        &before.forbid_contract_drafts,
                        &new.forbid_contract_drafts,
                    )
                    .diff(
                        "mailing_segment",
                        &before.mailing_segment,
                        &new.mailing_segment,
                    )
                    .diff(
                        "forbidden_tariffs",
                        &before.forbidden_tariffs.join(", "),
                        &new.forbidden_tariffs.join(", "),
                    )
                    .diff(
                        "restricted_payment_methods",
                        &before.restricted_payment_methods.join(", "),
                        &new.restricted_payment_methods.join(", "),
                    );
                new.updated_at = now;
                if old.is_some() {
                    w.tx().update_group(&new).await?;
                } else {
                    w.tx().insert_group(&new).await?;
                }
                if !changes.is_empty() {
                    let action = if old.is_some() { "update" } else { "create" };
                    w.record_as(f::CLIENT_GROUP_EDIT, group_ref(new.id), action, changes);
                }
                Ok(new)
            })
        })
        .await
    }

    pub async fn delete_client_group(
        &self,
        who: &Principal,
        id: ClientGroupId,
    ) -> Result<(), AppError> {
        self.write(who, f::CLIENT_GROUP_EDIT, |w| {
            Box::pin(async move {
                let old = w.tx().group(id).await?.ok_or(AppError::NotFound {
                    what: "client group",
                })?;
                w.tx().delete_group(id).await?;
                let changes = Changes::default().diff("name", &old.name, &String::new());
                w.record_as(f::CLIENT_GROUP_EDIT, group_ref(id), "delete", changes);
                Ok(())
            })
        })
        .await
    }
}
