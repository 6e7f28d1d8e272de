//! What a client holds, as the client card's Services and Personal accounts tabs show it:
//! the services the catalog feature records, and one personal account per provider (seed
//! 002: a client has an account with each provider it works with, in that provider's
//! currency) with what was paid in and charged, summed from the money feature's records.

use crate::clients::{CARD_READERS, load_client};
use crate::error::AppError;
use crate::{App, Principal};
use bursar_domain::{ClientId, ProviderId};
use jiff::Timestamp;

/// One service of the client.
#[derive(Clone, Debug)]
pub struct ServiceLine {
    pub id: String,
    pub provider: String,
    pub status: String,
    pub created_at: Timestamp,
}

/// One personal account: the client's money with one provider, in minor units.
#[derive(Clone, Debug)]
pub struct AccountLine {
    pub provider_id: ProviderId,
    pub provider: String,
    pub currency_code: String,
    pub minor_units: u16,
    pub paid_minor: i64,
    pub charged_minor: i64,
}

impl AccountLine {
    /// Paid in minus charged; positive is money the client has left.
    pub fn balance_minor(&self) -> i64 {
        self.paid_minor.saturating_sub(self.charged_minor)
    }
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

    /// One account per provider the client is connected to (empty until money moves), plus
    /// any provider it still has money with after being disconnected.
    pub async fn client_personal_accounts(
        &self,
        who: &Principal,
        id: ClientId,
    ) -> Result<Vec<AccountLine>, AppError> {
        who.require_any(CARD_READERS)?;
        let mut tx = self.store.read().await?;
        load_client(tx.as_mut(), id).await?;
        let money = tx.money_of(id).await?;
        let mut providers = tx.client_providers(id).await?;
        for m in &money {
            if !providers.contains(&m.provider_id) {
                providers.push(m.provider_id);
            }
        }
        let mut lines = Vec::new();
        for provider_id in providers {
            let Some(p) = tx.provider(provider_id).await? else {
                continue;
            };
            let mut currencies: Vec<String> = money
                .iter()
                .filter(|m| m.provider_id == provider_id)
                .map(|m| m.currency_code.clone())
                .collect();
            if currencies.is_empty() {
                currencies.push(p.currency_code.clone());
            }
            for code in currencies {
                let minor_units = tx.currency(&code).await?.map_or(0, |c| c.minor_units);
                let totals = money
                    .iter()
                    .find(|m| m.provider_id == provider_id && m.currency_code == code);
                lines.push(AccountLine {
                    provider_id,
                    provider: p.name.clone(),
                    currency_code: code,
                    minor_units: u16::try_from(minor_units).unwrap_or(0),
                    paid_minor: totals.map_or(0, |t| t.paid_minor),
                    charged_minor: totals.map_or(0, |t| t.charged_minor),
                });
            }
        }
        tx.commit().await?;
        Ok(lines)
    }
}
