//! The signed-in caller of a use case and how they authenticated.

use crate::error::AppError;
use crate::ports::UserRecord;
use bursar_domain::access::{AccountKind, Rights};
use bursar_domain::history::Actor;
use bursar_domain::{ApiTokenId, SessionId, functions};

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum Via {
    /// A browser session; state-changing requests must echo `csrf`.
    Session { id: SessionId, csrf: String },
    /// An API token (`Authorization: Bearer …`); not exposed to CSRF.
    Token { id: ApiTokenId },
}

#[derive(Clone, Debug)]
pub struct Principal {
    pub user: UserRecord,
    pub rights: Rights,
    pub via: Via,
    pub ip: Option<String>,
    /// Set when an employee works in a client's area ("log in as client"): they act with the
    /// client user's rights, and history names both.
    pub impersonator: Option<UserRecord>,
}

impl Principal {
    pub fn kind(&self) -> AccountKind {
        self.user.kind
    }

    /// The history actor for what this caller does.
    pub fn actor(&self) -> Actor {
        match &self.impersonator {
            Some(staff) => Actor {
                user: Some(staff.id),
                login: Some(staff.login.as_str().to_owned()),
                as_client: self.user.client_id,
                ip: self.ip.clone(),
            },
            None => Actor {
                user: Some(self.user.id),
                login: Some(self.user.login.as_str().to_owned()),
                as_client: None,
                ip: self.ip.clone(),
            },
        }
    }

    /// Refuses unless the caller may use the function `key`.
    pub fn require(&self, key: &'static str) -> Result<(), AppError> {
        let function = functions::find(key)
            .ok_or_else(|| AppError::Internal(format!("unregistered function {key}")))?;
        if self.rights.allows(function) {
            Ok(())
        } else {
            Err(AppError::Forbidden { function: key })
        }
    }

    /// Refuses unless the caller may use at least one of `keys` (reading a record is implied
    /// by holding any action on it: whoever may edit a client may open its card).
    pub fn require_any(&self, keys: &[&'static str]) -> Result<(), AppError> {
        match keys.iter().find(|k| self.may(k)) {
            Some(_) => Ok(()),
            None => Err(AppError::Forbidden {
                function: keys.first().copied().unwrap_or("unknown"),
            }),
        }
    }

    pub fn may(&self, key: &str) -> bool {
        functions::find(key).is_some_and(|f| self.rights.allows(f))
    }

    pub fn session_csrf(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf, .. } => Some(csrf),
            Via::Token { .. } => None,
        }
    }
}
