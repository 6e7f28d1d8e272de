//! Reading and writing history. [`record`] is the one way any use case writes an entry, in
//! its own transaction.

use crate::error::AppError;
use crate::ports::{HistoryFilter, HistoryRecord, HistoryView, Page, Tx};
use crate::{App, Principal};
use bursar_domain::access::AccountKind;
use bursar_domain::functions::Function;
use bursar_domain::functions::f;
use bursar_domain::history::{Actor, Changes, ObjectRef};
use bursar_domain::{HistoryId, UserId};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// What a use case did, for its history entry.
pub struct Event {
    pub object: ObjectRef,
    pub action: &'static str,
    pub function: &'static Function,
    pub changes: Changes,
}

pub async fn record(
    tx: &mut dyn Tx,
    actor: &Actor,
    at: Timestamp,
    event: Event,
) -> Result<(), AppError> {
    let entry = HistoryRecord {
        id: HistoryId::new(),
        at,
        actor_user_id: actor.user,
        actor_login: actor.login.clone(),
        actor_as_client_id: actor.as_client,
        ip: actor.ip.clone(),
        object_kind: event.object.kind.to_owned(),
        object_id: event.object.id,
        client_id: event.object.client,
        action: event.action.to_owned(),
        function: event.function.key.to_owned(),
        changes: event.changes,
    };
    tx.insert_history(&entry).await?;
    Ok(())
}

/// A page of results with the total count, as every list use case returns.
#[derive(Debug, serde::Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

impl App {
    /// The history of every record (staff journal), filtered.
    pub async fn list_history(
        &self,
        who: &Principal,
        filter: HistoryFilter,
        page: Page,
    ) -> Result<Paged<HistoryView>, AppError> {
        who.require(f::HISTORY_VIEW)?;
        self.history_page(filter, page).await
    }

    /// Entries about the caller's own account or made by the caller.
    pub async fn my_history(
        &self,
        who: &Principal,
        page: Page,
    ) -> Result<Paged<HistoryView>, AppError> {
        who.require(f::PROFILE_HISTORY)?;
        let filter = HistoryFilter {
            involving_user: Some(who.user.id),
            ..HistoryFilter::default()
        };
        let mut paged = self.history_page(filter, page).await?;
        if who.kind() == AccountKind::Client {
            self.hide_staff(who, &mut paged.items).await?;
        }
        Ok(paged)
    }

    /// A client sees that the provider's staff changed something, not which employee or
    /// from which address; nor the addresses of their own colleagues.
    pub(crate) async fn hide_staff(
        &self,
        who: &Principal,
        items: &mut [HistoryView],
    ) -> Result<(), AppError> {
        let mut tx = self.store.read().await?;
        let mut staff: BTreeMap<UserId, bool> = BTreeMap::new();
        for item in items.iter_mut() {
            // Names resolved from ids could name an employee (a client's manager).
            item.names.clear();
            if item.actor_user_id == Some(who.user.id) && item.actor_as_client_id.is_none() {
                continue;
            }
            item.ip = None;
            let Some(actor) = item.actor_user_id else {
                continue;
            };
            let is_staff = match staff.get(&actor) {
                Some(known) => *known,
                None => {
                    let user = tx.user_by_id(actor).await?;
                    let known = user.is_none_or(|u| u.kind == AccountKind::Staff);
                    staff.insert(actor, known);
                    known
                }
            };
            if is_staff {
                item.actor_user_id = None;
                item.actor_login = None;
                item.actor_name = None;
                item.by_hidden_staff = true;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn history_page(
        &self,
        filter: HistoryFilter,
        page: Page,
    ) -> Result<Paged<HistoryView>, AppError> {
        let mut tx = self.store.snapshot().await?;
        let (mut items, total) = tx.list_history(&filter, page).await?;
        // The records named (the entry's own, and ids in its changes), by name.
        let mut ids: Vec<uuid::Uuid> = items
            .iter()
            .flat_map(|h| {
                let values = h
                    .changes
                    .0
                    .iter()
                    .flat_map(|c| [c.old.as_deref(), c.new.as_deref()]);
                std::iter::once(Some(h.object_id.as_str())).chain(values)
            })
            .flatten()
            .filter_map(|v| uuid::Uuid::parse_str(v).ok())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let names = tx.record_names(&ids).await?;
        tx.commit().await?;
        for item in &mut items {
            let named =
                |v: Option<&str>| v.and_then(|v| names.get(v).map(|n| (v.to_owned(), n.clone())));
            item.names = std::iter::once(named(Some(&item.object_id)))
                .chain(
                    item.changes
                        .0
                        .iter()
                        .flat_map(|c| [named(c.old.as_deref()), named(c.new.as_deref())]),
                )
                .flatten()
                .collect();
        }
        Ok(Paged {
            items,
            page: page.number,
            per_page: page.size,
            total,
        })
    }
}
