//! History entries: who changed which record, when, from where, and each field old → new.
//! Every use case that changes a record writes one entry in the same transaction as the
//! change, through `bursar-app`'s history port; nothing edits or deletes entries afterwards
//! (except the GDPR clean-up, which blanks personal values).

use crate::ids::{ClientId, UserId};
use serde::{Deserialize, Serialize};

/// One changed field. Secret fields (passwords, token hashes) are recorded as changed with
/// no values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The field changes of one act, built by comparing old and new values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Changes(pub Vec<Change>);

impl Changes {
    /// Records a field whose value was set for the first time (a creation).
    pub fn set(mut self, field: &str, new: impl ToString) -> Self {
        self.0.push(Change {
            field: field.to_owned(),
            old: None,
            new: Some(new.to_string()),
        });
        self
    }

    /// Records a field only when its value differs.
    pub fn diff<T: PartialEq + ToString>(mut self, field: &str, old: &T, new: &T) -> Self {
        if old != new {
            self.0.push(Change {
                field: field.to_owned(),
                old: Some(old.to_string()),
                new: Some(new.to_string()),
            });
        }
        self
    }

    /// Records that a secret changed without recording either value.
    pub fn secret(mut self, field: &str) -> Self {
        self.0.push(Change {
            field: field.to_owned(),
            old: None,
            new: None,
        });
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Who acted. `as_client` is set when an employee works inside a client's area; `user` is
/// `None` for the system itself (scheduled jobs, the install step, the CLI).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    /// The user's login now, kept with the entry in case the account is deleted later.
    pub login: Option<String>,
    pub as_client: Option<ClientId>,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system() -> Self {
        Self::default()
    }

    /// A visitor who is not signed in (registration, password reset), known by address.
    pub fn anonymous(ip: Option<String>) -> Self {
        Self {
            ip,
            ..Self::default()
        }
    }
}

/// The record an entry is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    pub kind: &'static str,
    pub id: String,
    /// The client the record belongs to, so a client's users can read their own history.
    pub client: Option<ClientId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_records_only_changed_fields() {
        let c = Changes::default()
            .diff("name", &"Ann", &"Ann")
            .diff("email", &"a@x.io", &"b@x.io")
            .secret("password");
        assert_eq!(c.0.len(), 2);
        assert_eq!(c.0.first().map(|c| c.field.as_str()), Some("email"));
        assert_eq!(c.0.get(1).and_then(|c| c.new.clone()), None);
    }
}
