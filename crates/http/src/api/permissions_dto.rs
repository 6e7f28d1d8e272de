//! Permission trees and grant changes, shared by the department and staff endpoints.

use super::values::GrantKey;
use bursar_domain::permissions::{Node, Source, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantChangeBody {
    /// Function or section keys to enable (a section means all its functions).
    #[serde(default)]
    #[schema(value_type = Vec<GrantKey>)]
    pub enable: Vec<String>,
    /// Function or section keys to disable.
    #[serde(default)]
    #[schema(value_type = Vec<GrantKey>)]
    pub disable: Vec<String>,
}

impl From<GrantChangeBody> for bursar_app::grants::GrantChange {
    fn from(b: GrantChangeBody) -> Self {
        Self {
            enable: b.enable,
            disable: b.disable,
        }
    }
}

/// A section (with children) or a function of a permission tree.
#[derive(Serialize, ToSchema)]
pub struct PermissionNode {
    pub key: String,
    /// `section` or `function`.
    pub kind: String,
    pub name_en: String,
    pub name_ru: String,
    /// `enabled`, `partial` (sections only) or `disabled`.
    pub state: String,
    /// Functions of an employee: `full_access`, `inherited`, `individual` or `off`.
    pub source: Option<String>,
    /// For inherited functions: the departments they come from.
    pub departments: Vec<String>,
    #[schema(no_recursion)]
    pub children: Vec<PermissionNode>,
}

#[derive(Serialize, ToSchema)]
pub struct PermissionTree {
    pub sections: Vec<PermissionNode>,
}

fn state(s: State) -> &'static str {
    match s {
        State::Enabled => "enabled",
        State::Partial => "partial",
        State::Disabled => "disabled",
    }
}

impl From<Node> for PermissionNode {
    fn from(n: Node) -> Self {
        let (source, departments) = match n.source {
            None => (None, Vec::new()),
            Some(Source::FullAccess) => (Some("full_access"), Vec::new()),
            Some(Source::Inherited { departments }) => (Some("inherited"), departments),
            Some(Source::Individual) => (Some("individual"), Vec::new()),
            Some(Source::Off) => (Some("off"), Vec::new()),
        };
        PermissionNode {
            key: n.key.to_owned(),
            kind: n.kind.to_owned(),
            name_en: n.name_en.to_owned(),
            name_ru: n.name_ru.to_owned(),
            state: state(n.state).to_owned(),
            source: source.map(str::to_owned),
            departments,
            children: n.children.into_iter().map(Into::into).collect(),
        }
    }
}

impl PermissionTree {
    pub fn from_nodes(nodes: Vec<Node>, employee: bool) -> Self {
        let mut sections: Vec<PermissionNode> = nodes.into_iter().map(Into::into).collect();
        if !employee {
            // A department's functions are simply on or off.
            fn strip(n: &mut PermissionNode) {
                n.source = None;
                n.children.iter_mut().for_each(strip);
            }
            sections.iter_mut().for_each(strip);
        }
        PermissionTree { sections }
    }
}
