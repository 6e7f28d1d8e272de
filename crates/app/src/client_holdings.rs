//! What a client holds, as the client card's Services tab shows it: the services the catalog
//! feature records. (Personal accounts are money's: [`crate::money::accounts`].)

use crate::clients::{CARD_READERS, load_client};
use crate::error::AppError;
use crate::{App, Principal};
use bursar_domain::ClientId;
use jiff::Timestamp;

/// One service of the client.
#[derive(Clone, Debug)]
pub struct ServiceLine {
    pub id: String,
    pub provider: String,
    pub status: String,
    pub created_at: Timestamp,
}

impl App {
    pub async fn client_services(
        &self,
        who: &Principal,
        id: ClientId,
    ) -> Result<Vec<ServiceLine>, AppError> {
        who.require_any(CARD_READERS)?;
        let mut tx = self.store.read().await?;
        load_client(tx.as_mut(), id).await?;
        let mut lines = Vec::new();
        for s in tx.services_of(id).await? {
            let provider = tx.provider(s.provider_id).await?.map(|p| p.name);
            lines.push(ServiceLine {
                id: s.id,
                provider: provider.unwrap_or_default(),
                status: s.status,
                created_at: s.created_at,
            });
        }
        tx.commit().await?;
        Ok(lines)
    }
}
