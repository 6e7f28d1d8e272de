//! Who may use which function. Rights are computed once per request from the signed-in
//! user and then asked `allows(function)`; nothing else in the product decides access.
//!
//! Rules (DESIGN.md, Permissions): public functions need nobody; "anyone" functions need any
//! signed-in user; a staff function needs a staff user with full access or a grant; a client
//! function needs a client user who is the client's main user or holds the grant. An API
//! token may narrow all of this to a subset, never widen it.

use crate::functions::Function;
use serde::Serialize;
use std::collections::BTreeSet;

/// Who a function is meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// No sign-in needed (the login page, health probes, the API document).
    Public,
    /// Every signed-in user holds it (their own profile, sign out).
    Anyone,
    /// Provider employees.
    Staff,
    /// Users of a client.
    Client,
    /// Only the system itself: installation, the operator's CLI, scheduled jobs. Named so
    /// their history entries say what acted; no user holds them.
    System,
}

/// The kind of account signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Staff,
    Client,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Staff => "staff",
            AccountKind::Client => "client",
        }
    }
}

impl std::str::FromStr for AccountKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "staff" => Ok(AccountKind::Staff),
            "client" => Ok(AccountKind::Client),
            _ => Err(()),
        }
    }
}

/// The effective rights of one signed-in user for one request.
#[derive(Clone, Debug)]
pub struct Rights {
    kind: AccountKind,
    /// Staff "full access", or a client's main user.
    everything: bool,
    granted: BTreeSet<String>,
    /// An API token's scope; `None` means the token (or session) is not narrowed.
    scope: Option<BTreeSet<String>>,
}

impl Rights {
    pub fn new(kind: AccountKind, everything: bool, granted: BTreeSet<String>) -> Self {
        Self {
            kind,
            everything,
            granted,
            scope: None,
        }
    }

    /// Narrows the rights to a token's scope.
    pub fn narrowed(mut self, scope: Option<BTreeSet<String>>) -> Self {
        self.scope = scope;
        self
    }

    pub fn kind(&self) -> AccountKind {
        self.kind
    }

    /// Whether these rights are an API token's narrowed scope.
    pub fn is_narrowed(&self) -> bool {
        self.scope.is_some()
    }

    pub fn allows(&self, f: &Function) -> bool {
        if f.audience == Audience::Public {
            return true;
        }
        if let Some(scope) = &self.scope
            && !scope.contains(f.key)
        {
            return false;
        }
        self.holds(f)
    }

    /// Whether the account holds the function, ignoring any token scope. A token may only be
    /// scoped to functions its issuer holds.
    pub fn holds(&self, f: &Function) -> bool {
        match (f.audience, self.kind) {
            (Audience::Public | Audience::Anyone, _) => true,
            (Audience::Staff, AccountKind::Staff) | (Audience::Client, AccountKind::Client) => {
                self.everything || self.granted.contains(f.key)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::{FUNCTIONS, find};

    fn f(key: &str) -> &'static Function {
        find(key).unwrap_or_else(|| unreachable!("unknown test function {key}"))
    }

    #[test]
    fn full_access_staff_hold_every_staff_function_but_no_client_one() {
        let admin = Rights::new(AccountKind::Staff, true, BTreeSet::new());
        for func in FUNCTIONS {
            assert_eq!(
                admin.allows(func),
                !matches!(func.audience, Audience::Client | Audience::System),
                "{}",
                func.key
            );
        }
    }

    #[test]
    fn staff_without_grant_is_refused_staff_functions() {
        let clerk = Rights::new(AccountKind::Staff, false, BTreeSet::new());
        assert!(!clerk.allows(f("history.view")));
        assert!(clerk.allows(f("profile.view")));
        let granted = Rights::new(
            AccountKind::Staff,
            false,
            ["history.view".to_owned()].into(),
        );
        assert!(granted.allows(f("history.view")));
    }

    #[test]
    fn a_token_scope_narrows_but_never_widens() {
        let scope = Some(["profile.view".to_owned(), "history.view".to_owned()].into());
        let clerk = Rights::new(AccountKind::Staff, false, BTreeSet::new()).narrowed(scope);
        assert!(clerk.allows(f("profile.view")));
        assert!(!clerk.allows(f("profile.tokens")));
        assert!(!clerk.allows(f("history.view")));
        assert!(clerk.allows(f("auth.login")));
    }
}
