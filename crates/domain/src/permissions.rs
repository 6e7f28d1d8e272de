//! Permission screens: the section tree with each function enabled or not, and each
//! section enabled, partial or disabled; and, for an employee, where each right comes from.
//!
//! BILLmanager's rule (seed 001): an employee's rights are the union of their departments'
//! rights plus individual additions; inherited rights cannot be removed for one employee.

use crate::access::Audience;
use crate::functions::{FUNCTIONS, Function, SECTIONS, Section};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Enabled,
    Partial,
    Disabled,
}

/// Where an employee's right to one function comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Source {
    /// The employee has full access.
    FullAccess,
    /// Granted to these departments the employee belongs to (cannot be removed individually).
    Inherited {
        departments: Vec<String>,
    },
    /// Granted to the employee alone.
    Individual,
    Off,
}

/// One row of a permission tree: a section (with children) or a function.
#[derive(Clone, Debug, Serialize)]
pub struct Node {
    pub key: &'static str,
    pub kind: &'static str,
    pub name_en: &'static str,
    pub name_ru: &'static str,
    pub state: State,
    /// For employees: where the right comes from (functions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// The grantable functions of `audience`, as a tree of the sections that contain any.
/// `source_of` says where each function's right comes from (`Off` = not held).
pub fn tree(audience: Audience, source_of: &dyn Fn(&Function) -> Source) -> Vec<Node> {
    SECTIONS
        .iter()
        .filter(|s| s.parent.is_none())
        .filter_map(|s| section_node(s, audience, source_of))
        .collect()
}

fn section_node(
    s: &'static Section,
    audience: Audience,
    source_of: &dyn Fn(&Function) -> Source,
) -> Option<Node> {
    let mut children: Vec<Node> = FUNCTIONS
        .iter()
        .filter(|f| f.section == s.key && f.audience == audience)
        .map(|f| {
            let source = source_of(f);
            let state = if source == Source::Off {
                State::Disabled
            } else {
                State::Enabled
            };
            Node {
                key: f.key,
                kind: "function",
                name_en: f.name_en,
                name_ru: f.name_ru,
                state,
                source: Some(source),
                children: Vec::new(),
            }
        })
        .collect();
    children.extend(
        SECTIONS
            .iter()
            .filter(|c| c.parent == Some(s.key))
            .filter_map(|c| section_node(c, audience, source_of)),
    );
    if children.is_empty() {
        return None;
    }
    let state = if children.iter().all(|c| c.state == State::Enabled) {
        State::Enabled
    } else if children.iter().all(|c| c.state == State::Disabled) {
        State::Disabled
    } else {
        State::Partial
    };
    Some(Node {
        key: s.key,
        kind: "section",
        name_en: s.name_en,
        name_ru: s.name_ru,
        state,
        source: None,
        children,
    })
}

/// An employee's rights: full access, per-department grants, individual grants.
pub struct StaffRights<'a> {
    pub full_access: bool,
    /// department name → its functions
    pub departments: &'a BTreeMap<String, BTreeSet<String>>,
    pub individual: &'a BTreeSet<String>,
}

impl StaffRights<'_> {
    pub fn source(&self, f: &Function) -> Source {
        if self.full_access {
            return Source::FullAccess;
        }
        let departments: Vec<String> = self
            .departments
            .iter()
            .filter(|(_, fs)| fs.contains(f.key))
            .map(|(name, _)| name.clone())
            .collect();
        if !departments.is_empty() {
            Source::Inherited { departments }
        } else if self.individual.contains(f.key) {
            Source::Individual
        } else {
            Source::Off
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(nodes: &'a [Node], key: &str) -> Option<&'a Node> {
        nodes.iter().find_map(|n| {
            if n.key == key {
                Some(n)
            } else {
                find(&n.children, key)
            }
        })
    }

    #[test]
    fn sections_show_partial_when_some_functions_are_enabled() {
        let granted: BTreeSet<&str> = ["client.order.history"].into();
        let t = tree(Audience::Staff, &|f| {
            if granted.contains(f.key) {
                Source::Individual
            } else {
                Source::Off
            }
        });
        assert_eq!(
            find(&t, "clients.orders").map(|n| n.state),
            Some(State::Partial)
        );
        assert_eq!(find(&t, "clients").map(|n| n.state), Some(State::Partial));
        assert_eq!(find(&t, "provider").map(|n| n.state), Some(State::Disabled));
        assert_eq!(
            find(&t, "client.order.history").map(|n| n.state),
            Some(State::Enabled)
        );
        assert!(
            find(&t, "dashboard.client").is_none(),
            "client functions are not in a staff tree"
        );
    }

    #[test]
    fn inherited_rights_name_their_departments() {
        let depts: BTreeMap<String, BTreeSet<String>> =
            [("Sales".to_owned(), ["client.list".to_owned()].into())].into();
        let individual: BTreeSet<String> = ["staff.list".to_owned()].into();
        let r = StaffRights {
            full_access: false,
            departments: &depts,
            individual: &individual,
        };
        let f = |k: &str| crate::functions::find(k).map(|f| r.source(f));
        assert_eq!(
            f("client.list"),
            Some(Source::Inherited {
                departments: vec!["Sales".into()]
            })
        );
        assert_eq!(f("staff.list"), Some(Source::Individual));
        assert_eq!(f("staff.delete"), Some(Source::Off));
    }
}
