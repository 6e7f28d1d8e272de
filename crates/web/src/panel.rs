//! The two panels, staff (`/admin`) and client (`/client`), and where each sends people.
//!
//! A page belongs to the panel its path starts with; a signed-in user belongs to the panel
//! of their account kind. Keeping both answers here means the login page, the rejecter and
//! the page extractor cannot disagree about where someone should land. Redirect targets
//! taken from the request (`next`, `back`) are accepted only as local paths, so a crafted
//! link cannot bounce a user to another site after they sign in.

use bursar_app::Principal;
use bursar_domain::access::AccountKind;
use bursar_domain::functions::{Function, f};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Admin,
    Client,
}

impl Panel {
    /// The panel a path belongs to, if any (`/admin`, `/admin/…`).
    pub fn of_path(path: &str) -> Option<Panel> {
        let under = |base: &str| {
            path.strip_prefix(base).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')
            })
        };
        if under("/admin") {
            Some(Panel::Admin)
        } else if under("/client") {
            Some(Panel::Client)
        } else {
            None
        }
    }

    pub fn of_kind(kind: AccountKind) -> Panel {
        match kind {
            AccountKind::Staff => Panel::Admin,
            AccountKind::Client => Panel::Client,
        }
    }

    /// `/admin` or `/client`: the dashboard's path.
    pub fn base(self) -> &'static str {
        match self {
            Panel::Admin => "/admin",
            Panel::Client => "/client",
        }
    }

    pub fn login(self) -> &'static str {
        match self {
            Panel::Admin => "/admin/login",
            Panel::Client => "/client/login",
        }
    }

    pub fn logout(self) -> &'static str {
        match self {
            Panel::Admin => "/admin/logout",
            Panel::Client => "/client/logout",
        }
    }

    pub fn profile(self) -> &'static str {
        match self {
            Panel::Admin => "/admin/profile",
            Panel::Client => "/client/profile",
        }
    }

    /// The function that opens this panel's dashboard.
    pub fn dashboard_function(self) -> &'static Function {
        match self {
            Panel::Admin => f::DASHBOARD_STAFF,
            Panel::Client => f::DASHBOARD_CLIENT,
        }
    }

    /// A short class name for the stylesheet.
    pub fn slug(self) -> &'static str {
        match self {
            Panel::Admin => "admin",
            Panel::Client => "client",
        }
    }

    /// The other panel's path for the same page (`/admin/profile` → `/client/profile`).
    pub fn translate(self, path: &str) -> String {
        let rest = Panel::of_path(path)
            .and_then(|p| path.strip_prefix(p.base()))
            .unwrap_or("");
        format!("{}{rest}", self.base())
    }
}

/// Where a signed-in user starts: their panel's dashboard, or their profile when they do
/// not hold the dashboard (a new employee with no grants yet).
pub fn start_of(who: &Principal) -> &'static str {
    let panel = Panel::of_kind(who.kind());
    if who.may(panel.dashboard_function()) {
        panel.base()
    } else {
        panel.profile()
    }
}

/// Where to go after signing in: `next` when it is a local path inside the user's own
/// panel, else where they start.
pub fn landing(who: &Principal, next: Option<&str>) -> String {
    let own = Panel::of_kind(who.kind());
    match next.and_then(local_path) {
        Some(next) if Panel::of_path(next) == Some(own) => next.to_owned(),
        _ => start_of(who).to_owned(),
    }
}

/// `raw` when it is a path on this site: it starts with one `/`, and holds no backslash
/// (browsers read `/\host` as `//host`), no control character and no whitespace.
pub fn local_path(raw: &str) -> Option<&str> {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && raw.len() <= 2000
        && !raw
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    ok.then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_belong_to_their_panel() {
        assert_eq!(Panel::of_path("/admin"), Some(Panel::Admin));
        assert_eq!(Panel::of_path("/admin/history"), Some(Panel::Admin));
        assert_eq!(Panel::of_path("/client/profile"), Some(Panel::Client));
        assert_eq!(Panel::of_path("/administrator"), None);
        assert_eq!(Panel::of_path("/"), None);
        assert_eq!(
            Panel::Client.translate("/admin/profile/tokens"),
            "/client/profile/tokens"
        );
        assert_eq!(Panel::Admin.translate("/client"), "/admin");
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(
            local_path("/admin/history?page=2"),
            Some("/admin/history?page=2")
        );
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "evil",
            "",
            "/a b",
            "/a\nb",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
