//! The signed-in caller of a use case and how they authenticated.

use crate::error::AppError;
use crate::ports::UserRecord;
use bursar_domain::access::{AccountKind, Rights};
use bursar_domain::functions::Function;
use bursar_domain::history::Actor;
use bursar_domain::{ApiTokenId, SessionId};

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
    /// Whether the user has an avatar (the panel's top bar shows it).
    pub has_avatar: bool,
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

    /// Refuses unless the caller may use `function`.
    pub fn require(&self, function: &'static Function) -> Result<(), AppError> {
        if self.rights.allows(function) {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                function: function.key,
            })
        }
    }

    /// Refuses unless the caller may use at least one of `keys` (reading a record is implied
    /// by holding any action on it: whoever may edit a client may open its card).
    pub fn require_any(&self, functions: &[&'static Function]) -> Result<(), AppError> {
        match functions.iter().find(|f| self.may(f)) {
            Some(_) => Ok(()),
            None => Err(AppError::Forbidden {
                function: functions.first().map_or("unknown", |f| f.key),
            }),
        }
    }

    pub fn may(&self, function: &Function) -> bool {
        self.rights.allows(function)
    }

    /// Whether the caller may hand out or take away `function` (a staff permission, a
    /// department's grant, a client user's function): only what they could use themselves,
    /// so a scoped API token judges grants by its scope, never by the whole account.
    pub fn may_grant(&self, function: &Function) -> bool {
        self.rights.allows(function)
    }

    /// [`Principal::may`] for a key that came from outside (a form, a stored grant).
    pub fn may_key(&self, key: &str) -> bool {
        bursar_domain::functions::find(key).is_some_and(|f| self.may(f))
    }

    pub fn session_csrf(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf, .. } => Some(csrf),
            Via::Token { .. } => None,
        }
    }
}
