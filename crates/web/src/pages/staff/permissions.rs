//! The permission tree as both permission pages show it (a department's and an employee's):
//! the registry's sections, nested (Clients → Orders → functions), each section Enabled,
//! Partial or Disabled, each function Enabled or Disabled, with Enable and Disable buttons.
//!
//! Which buttons a row gets is decided here, from the tree the use case returned and the
//! caller's own rights, so the page never offers what the use case would refuse:
//! - nobody is offered a function they do not hold themselves (the escalation rule);
//! - an employee's inherited rights have no Disable button (they come from a department)
//!   and a full-access employee has no buttons at all (they hold everything);
//! - a section's button sends the section key, so the use case enables or disables the
//!   whole section; only when some of its functions cannot be changed from here (inherited,
//!   or not held by the caller) does it send the changeable functions instead.

use crate::i18n::Tr;
use crate::layout::Ui;
use crate::pages::staff::{anchor, refusal};
use askama::Template;
use axum::http::StatusCode;
use bursar_app::AppError;
use bursar_domain::ErrorCode;
use bursar_domain::Locale;
use bursar_domain::access::Rights;
use bursar_domain::functions;
use bursar_domain::permissions::{Node, Source, State};
use fluent_bundle::FluentValue;
use std::collections::BTreeMap;

/// Whose tree it is: a department's grants, or an employee's rights by source.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Department,
    Employee,
}

/// One row of the tree table.
pub struct TreeRow {
    pub key: &'static str,
    pub anchor: String,
    /// Nesting level, for indentation (0 = a top section).
    pub depth: usize,
    pub is_section: bool,
    pub name: String,
    /// `enabled`, `partial` or `disabled` (a CSS class).
    pub state: &'static str,
    pub state_label: String,
    /// Employee pages: where the right comes from.
    pub source: Option<String>,
    /// `full-access`, `inherited`, `individual` or `off` (a CSS class).
    pub source_kind: &'static str,
    /// What the Enable / Disable button sends (comma-separated keys); `None`: no button.
    pub enable: Option<String>,
    pub disable: Option<String>,
    /// The row the last Enable or Disable changed: "Permissions saved" is shown in it.
    pub saved: bool,
}

/// A function of the tree as far as buttons are concerned.
struct Leaf {
    key: &'static str,
    /// On, by any source.
    on: bool,
    /// The caller may change it (holds it; not inherited; not full access).
    changeable: bool,
}

fn leaves(node: &Node, holder: Holder, who: &Rights, out: &mut Vec<Leaf>) {
    if node.kind == "function" {
        let held = functions::find(node.key).is_some_and(|f| who.holds(f));
        let fixed = matches!(
            (holder, &node.source),
            (
                Holder::Employee,
                Some(Source::FullAccess | Source::Inherited { .. })
            )
        );
        out.push(Leaf {
            key: node.key,
            on: node.state == State::Enabled,
            changeable: held && !fixed,
        });
    }
    for child in &node.children {
        leaves(child, holder, who, out);
    }
}

/// The keys a button sends, or `None` when nothing under the row can be switched that way.
fn button(node: &Node, leaves: &[Leaf], turn_on: bool) -> Option<String> {
    let targets: Vec<&Leaf> = leaves
        .iter()
        .filter(|l| l.changeable && l.on != turn_on)
        .collect();
    if targets.is_empty() {
        return None;
    }
    if node.kind == "section" && leaves.iter().all(|l| l.changeable) {
        return Some(node.key.to_owned());
    }
    Some(targets.iter().map(|l| l.key).collect::<Vec<_>>().join(","))
}

fn state_of(state: State) -> (&'static str, &'static str) {
    match state {
        State::Enabled => ("enabled", "perm-state-enabled"),
        State::Partial => ("partial", "perm-state-partial"),
        State::Disabled => ("disabled", "perm-state-disabled"),
    }
}

/// Department names as the use cases give them (English) → in the reader's language.
pub type DeptNames = BTreeMap<String, String>;

/// `Sales, Support` in the reader's language.
pub fn department_list(names: &DeptNames, departments: &[String]) -> String {
    departments
        .iter()
        .map(|d| names.get(d).unwrap_or(d).as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn source_of(tr: Tr, names: &DeptNames, source: &Source) -> (&'static str, String) {
    match source {
        Source::FullAccess => ("full-access", tr.t("perm-source-full-access")),
        Source::Inherited { departments } => (
            "inherited",
            tr.t1(
                "perm-source-inherited",
                "departments",
                FluentValue::from(department_list(names, departments)),
            ),
        ),
        Source::Individual => ("individual", tr.t("perm-source-individual")),
        Source::Off => ("off", tr.t("perm-source-off")),
    }
}

fn name(node: &Node, locale: Locale) -> &'static str {
    match locale {
        Locale::En => node.name_en,
        Locale::Ru => node.name_ru,
    }
}

fn push_rows(
    tr: Tr,
    names: &DeptNames,
    who: &Rights,
    holder: Holder,
    node: &Node,
    depth: usize,
    rows: &mut Vec<TreeRow>,
) {
    let mut under = Vec::new();
    leaves(node, holder, who, &mut under);
    let (state, state_id) = state_of(node.state);
    let (source_kind, source) = match (holder, &node.source) {
        (Holder::Employee, Some(s)) => {
            let (kind, text) = source_of(tr, names, s);
            (kind, Some(text))
        }
        _ => ("", None),
    };
    rows.push(TreeRow {
        key: node.key,
        anchor: anchor(node.key),
        depth,
        is_section: node.kind == "section",
        name: name(node, tr.locale()).to_owned(),
        state,
        state_label: tr.t(state_id),
        source,
        source_kind,
        enable: button(node, &under, true),
        disable: button(node, &under, false),
        saved: false,
    });
    for child in &node.children {
        push_rows(tr, names, who, holder, child, depth + 1, rows);
    }
}

/// The tree as rows, in the registry's order, with the buttons the holder of `who` may use.
pub fn rows(
    tr: Tr,
    names: &DeptNames,
    who: &Rights,
    holder: Holder,
    tree: &[Node],
) -> Vec<TreeRow> {
    let mut rows = Vec::new();
    for node in tree {
        push_rows(tr, names, who, holder, node, 0, &mut rows);
    }
    rows
}

/// Marks the row whose anchor is `saved` (the `saved` parameter of the page the change
/// redirects to) so "Permissions saved" is shown beside the change, where the browser
/// scrolls to, rather than at the top of a long page. False when no row has that anchor.
pub fn mark_saved(rows: &mut [TreeRow], saved: &str) -> bool {
    match rows.iter_mut().find(|r| r.anchor == saved) {
        Some(row) => {
            row.saved = true;
            true
        }
        None => false,
    }
}

/// Whether the tree is a full-access employee's: every function's right comes from it.
pub fn full_access(tree: &[Node]) -> bool {
    fn any(nodes: &[Node]) -> bool {
        nodes
            .iter()
            .any(|n| n.source == Some(Source::FullAccess) || any(&n.children))
    }
    any(tree)
}

/// The keys of a submitted Enable or Disable button (`a,b` → `[a, b]`).
pub fn keys(values: Vec<String>) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The staff functions, grouped by section, for the "explain" form's choice.
pub struct FunctionGroup {
    pub heading: String,
    pub options: Vec<FunctionOption>,
}

pub struct FunctionOption {
    pub key: &'static str,
    pub label: String,
    pub selected: bool,
}

pub fn function_groups(tr: Tr, tree: &[Node], selected: &str) -> Vec<FunctionGroup> {
    fn walk(tr: Tr, node: &Node, path: &str, selected: &str, out: &mut Vec<FunctionGroup>) {
        let heading = if path.is_empty() {
            name(node, tr.locale()).to_owned()
        } else {
            format!("{path} → {}", name(node, tr.locale()))
        };
        let options: Vec<FunctionOption> = node
            .children
            .iter()
            .filter(|c| c.kind == "function")
            .map(|c| FunctionOption {
                key: c.key,
                label: name(c, tr.locale()).to_owned(),
                selected: c.key == selected,
            })
            .collect();
        if !options.is_empty() {
            out.push(FunctionGroup {
                heading: heading.clone(),
                options,
            });
        }
        for child in node.children.iter().filter(|c| c.kind == "section") {
            walk(tr, child, &heading, selected, out);
        }
    }
    let mut out = Vec::new();
    for node in tree {
        walk(tr, node, "", selected, &mut out);
    }
    out
}

/// "May this employee use F, and why", as the employee's permission page answers it.
pub struct ExplainBox {
    pub action: String,
    pub groups: Vec<FunctionGroup>,
    pub result: Option<ExplainResult>,
}

pub struct ExplainResult {
    pub allowed: bool,
    pub verdict: String,
    pub reason: String,
}

/// Both permission pages: a department's and an employee's.
#[derive(Template)]
#[template(path = "staff/permissions.html")]
pub struct PermissionsPage {
    pub ui: Ui,
    pub heading: String,
    pub lead: String,
    pub crumbs: Vec<Crumb>,
    pub action: String,
    pub holder_is_employee: bool,
    pub rows: Vec<TreeRow>,
    /// Shown instead of buttons (a full-access employee).
    pub notice: Option<String>,
    /// Why the last change was refused.
    pub alert: Option<String>,
    pub explain: Option<ExplainBox>,
}

/// A link back up (Staff › Jane Roe).
pub struct Crumb {
    pub href: String,
    pub label: String,
}

/// The text of a refused permission change, above the tree.
pub fn refusal_text(tr: Tr, e: AppError) -> Result<(StatusCode, String), AppError> {
    let r = refusal(tr, e)?;
    let text = r.alert.unwrap_or_else(|| {
        let mut parts = Vec::new();
        for field in ["enable", "disable"] {
            if let Some(t) = r.errors.get(field) {
                parts.push(t.to_owned());
            }
        }
        if parts.is_empty() {
            tr.error(ErrorCode::ValidationFailed)
        } else {
            parts.join(" ")
        }
    });
    Ok((r.status, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bursar_domain::access::{AccountKind, Audience};
    use bursar_domain::permissions::tree;

    fn find<'a>(rows: &'a [TreeRow], key: &str) -> Option<&'a TreeRow> {
        rows.iter().find(|r| r.key == key)
    }

    #[test]
    fn section_buttons_send_the_section_key_and_inherited_rights_have_no_disable() {
        let admin = Rights::new(AccountKind::Staff, true, Default::default());
        let tr = Tr::new(Locale::En);
        let t = tree(Audience::Staff, &|f| match f.key {
            "client.order.history" => Source::Inherited {
                departments: vec!["Sales".into()],
            },
            "client.order.create" => Source::Individual,
            _ => Source::Off,
        });
        let names: DeptNames = [("Sales".to_owned(), "Продажи".to_owned())].into();
        let ru = super::rows(Tr::new(Locale::Ru), &names, &admin, Holder::Employee, &t);
        assert!(
            find(&ru, "client.order.history")
                .is_some_and(|r| r.source.as_deref() == Some("От отдела: Продажи"))
        );
        let rows = rows(tr, &DeptNames::new(), &admin, Holder::Employee, &t);
        let history = find(&rows, "client.order.history");
        assert!(history.is_some_and(|r| r.disable.is_none() && r.enable.is_none()));
        assert!(history.is_some_and(|r| r.source.as_deref() == Some("Inherited from Sales")));
        let create = find(&rows, "client.order.create");
        assert_eq!(
            create.and_then(|r| r.disable.clone()).as_deref(),
            Some("client.order.create")
        );
        // The Orders section holds an inherited right: its buttons name the functions.
        let orders = find(&rows, "clients.orders");
        assert_eq!(
            orders.and_then(|r| r.disable.clone()).as_deref(),
            Some("client.order.create")
        );
        assert_eq!(
            orders.and_then(|r| r.enable.clone()).as_deref(),
            Some("client.order.details,client.order.print_invoice")
        );
        // A department's section sends its key.
        let rows = super::rows(tr, &DeptNames::new(), &admin, Holder::Department, &t);
        let orders = find(&rows, "clients.orders");
        assert_eq!(
            orders.and_then(|r| r.enable.clone()).as_deref(),
            Some("clients.orders")
        );
        assert_eq!(orders.map(|r| r.state), Some("partial"));
    }

    #[test]
    fn nobody_is_offered_a_function_they_do_not_hold() {
        let granted = ["department.permissions", "client.list"]
            .map(String::from)
            .into();
        let manager = Rights::new(AccountKind::Staff, false, granted);
        let t = tree(Audience::Staff, &|_| Source::Off);
        let rows = rows(
            Tr::new(Locale::En),
            &DeptNames::new(),
            &manager,
            Holder::Department,
            &t,
        );
        assert!(find(&rows, "client.list").is_some_and(|r| r.enable.is_some()));
        assert!(find(&rows, "client.edit").is_some_and(|r| r.enable.is_none()));
        assert_eq!(
            find(&rows, "clients.clients")
                .and_then(|r| r.enable.clone())
                .as_deref(),
            Some("client.list")
        );
        assert_eq!(
            keys(vec!["a,b".into(), " c ".into(), String::new()]),
            ["a", "b", "c"]
        );
    }
}
