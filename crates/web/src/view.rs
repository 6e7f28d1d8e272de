//! Display models shared by several pages: an account's details, a history table with its
//! pager, a form's field errors, and how instants are written. They are computed here, in
//! Rust, so templates only place ready, translated text and hold no logic.

use crate::i18n::Tr;
use crate::url::with_query;
use bursar_app::Principal;
use bursar_app::history::Paged;
use bursar_app::ports::HistoryView;
use bursar_domain::Invalid;
use bursar_domain::access::AccountKind;
use bursar_domain::functions;
use fluent_bundle::FluentValue;
use jiff::Timestamp;

/// An instant as the panels show it: UTC (the footer says so) until users have a time zone.
pub fn when(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d %H:%M").to_string()
}

/// One labelled value of a details list.
pub struct Detail {
    pub label: String,
    pub value: String,
}

/// The signed-in user's account, as the dashboard and the profile show it.
pub fn account_details(tr: Tr, who: &Principal) -> Vec<Detail> {
    let u = &who.user;
    let role = match (u.kind, u.full_access, u.is_main) {
        (AccountKind::Staff, true, _) => "role-administrator",
        (AccountKind::Staff, false, _) => "role-employee",
        (AccountKind::Client, _, true) => "role-client-main",
        (AccountKind::Client, _, false) => "role-client-user",
    };
    let detail = |label: &str, value: String| Detail {
        label: tr.t(label),
        value,
    };
    vec![
        detail("account-name", crate::layout::user_name(u, tr.locale())),
        detail("account-login", u.login.to_string()),
        detail(
            "account-email",
            u.email
                .as_ref()
                .map_or_else(|| tr.t("value-none"), ToString::to_string),
        ),
        detail("account-role", tr.t(role)),
        detail("account-language", tr.language_name(u.locale)),
        detail("account-since", when(u.created_at)),
    ]
}

/// One history entry, ready to show.
pub struct HistoryRow {
    pub when: String,
    pub actor: String,
    pub ip: Option<String>,
    pub object: String,
    /// The record's name, when staff read it and it still exists.
    pub record_name: Option<String>,
    /// The record's own page in the staff panel.
    pub record_href: Option<String>,
    object_kind: String,
    pub object_id: String,
    pub object_id_short: String,
    /// The journal filtered to this record, for readers of the whole journal.
    pub object_href: Option<String>,
    pub action: String,
    pub function: String,
    pub changes: Vec<String>,
}

impl HistoryRow {
    pub fn new(tr: Tr, h: &HistoryView) -> Self {
        let actor = match (&h.actor_login, h.actor_user_id) {
            _ if h.by_hidden_staff => tr.t("history-actor-staff"),
            (Some(login), _) => match h.actor_name.as_ref().map(|n| n.in_locale(tr.locale())) {
                Some(name) if name != login => format!("{name} ({login})"),
                _ => login.clone(),
            },
            (None, None) => tr.t("history-actor-system"),
            (None, Some(_)) => tr.t("history-actor-deleted"),
        };
        // "employee E as client C": what the employee did while working as the client.
        let actor = match h.actor_as_client_id {
            Some(_) if !h.by_hidden_staff => tr.t1("history-actor-as-client", "login", actor),
            _ => actor,
        };
        let function = functions::find(&h.function)
            .map_or_else(|| h.function.clone(), |f| f.name(tr.locale()).to_owned());
        let changes = h
            .changes
            .0
            .iter()
            .map(|c| {
                let field = field_label(tr, &c.field);
                let value = |v: &str| {
                    h.names.get(v).map_or_else(
                        || value_text(tr, v),
                        |n| n.in_locale(tr.locale()).to_owned(),
                    )
                };
                match (&c.old, &c.new) {
                    (None, None) => tr.t1("history-change-secret", "field", field.as_str()),
                    (None, Some(new)) => format!("{field}: {}", value(new)),
                    (Some(old), None) => format!("{field}: {} → ∅", value(old)),
                    (Some(old), Some(new)) => format!("{field}: {} → {}", value(old), value(new)),
                }
            })
            .collect();
        HistoryRow {
            when: when(h.at),
            actor,
            ip: h.ip.clone(),
            object: tr.or_raw("object", &h.object_kind),
            record_name: h
                .names
                .get(&h.object_id)
                .map(|n| n.in_locale(tr.locale()).to_owned()),
            record_href: None,
            object_kind: h.object_kind.clone(),
            object_id_short: short_id(&h.object_id),
            object_href: None,
            object_id: h.object_id.clone(),
            action: tr.or_raw("action", &h.action),
            function,
            changes,
        }
    }
}

/// A changed field as people call it, in the reader's language: `field-<name>` from the
/// catalogue, a function's registry name for a right (`function:client.edit`), else the key.
fn field_label(tr: Tr, field: &str) -> String {
    if let Some(key) = field.strip_prefix("function:") {
        return functions::find(key)
            .map_or_else(|| field.to_owned(), |f| f.name(tr.locale()).to_owned());
    }
    tr.or_raw("field", field)
}

/// A recorded value as people read it: yes/no and on/off in the reader's language.
fn value_text(tr: Tr, v: &str) -> String {
    match v {
        "true" | "on" => tr.t("history-value-yes"),
        "false" | "off" => tr.t("history-value-no"),
        other => other.to_owned(),
    }
}

/// A record's page in the staff panel, for the kinds that have one.
fn record_path(kind: &str, id: &str) -> Option<String> {
    let base = match kind {
        "client" => "/admin/clients",
        "department" => "/admin/departments",
        "provider" => "/admin/providers",
        "company" => "/admin/companies",
        "client_group" => "/admin/client-groups",
        "payment_method" => "/admin/payment-methods",
        "tariff" => "/admin/tariffs",
        "product_type" => "/admin/product-types",
        "enumeration" => "/admin/enumerations",
        "processing_module" => "/admin/processing-modules",
        _ => return None,
    };
    Some(format!("{base}/{id}"))
}

/// The tail of an id: UUIDv7s share their leading (time) digits, their last ones differ.
fn short_id(id: &str) -> String {
    let n = id.chars().count();
    if n <= 10 {
        return id.to_owned();
    }
    let tail: String = id.chars().skip(n - 8).collect();
    format!("…{tail}")
}

/// "Page 2 of 5" with links to the neighbours.
pub struct Pager {
    pub summary: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub prev_label: String,
    pub next_label: String,
}

/// A page of history entries as a table.
pub struct HistoryTable {
    pub rows: Vec<HistoryRow>,
    pub pager: Option<Pager>,
    pub empty: String,
}

impl HistoryTable {
    /// `link(page_number)` builds the address of another page with the same filters.
    pub fn new(
        tr: Tr,
        paged: &Paged<HistoryView>,
        empty_id: &str,
        link: impl Fn(u32) -> String,
    ) -> Self {
        let rows = paged.items.iter().map(|h| HistoryRow::new(tr, h)).collect();
        HistoryTable {
            rows,
            pager: pager(tr, paged.page, paged.per_page, paged.total, link),
            empty: tr.t(empty_id),
        }
    }

    /// Links each record to its own page in the staff panel, where it has one.
    pub fn link_records(mut self) -> Self {
        for row in &mut self.rows {
            row.record_href = record_path(&row.object_kind, &row.object_id);
        }
        self
    }

    /// Links each record to the journal filtered to it (`path?object_kind=…&object_id=…`).
    pub fn link_objects(mut self, path: &str) -> Self {
        for row in &mut self.rows {
            row.object_href = Some(with_query(
                path,
                &[
                    ("object_kind", &row.object_kind),
                    ("object_id", &row.object_id),
                ],
            ));
        }
        self
    }
}

pub(crate) fn pager(
    tr: Tr,
    page: u32,
    per_page: u32,
    total: i64,
    link: impl Fn(u32) -> String,
) -> Option<Pager> {
    if total <= 0 {
        return None;
    }
    let per_page = i64::from(per_page.max(1));
    let pages = u32::try_from((total + per_page - 1) / per_page)
        .unwrap_or(u32::MAX)
        .max(1);
    let first = (i64::from(page) - 1) * per_page + 1;
    let last = (first + per_page - 1).min(total);
    let summary = tr.ta(
        "pager-summary",
        &[
            ("first", FluentValue::from(first.min(total))),
            ("last", FluentValue::from(last)),
            ("total", FluentValue::from(total)),
            ("page", FluentValue::from(page)),
            ("pages", FluentValue::from(pages)),
        ],
    );
    Some(Pager {
        summary,
        prev: (page > 1).then(|| link(page.saturating_sub(1).min(pages))),
        next: (page < pages).then(|| link(page + 1)),
        prev_label: tr.t("pager-prev"),
        next_label: tr.t("pager-next"),
    })
}

/// `path?page=N` for a list without other filters.
pub fn page_link(path: &str) -> impl Fn(u32) -> String + '_ {
    move |n| with_query(path, &[("page", &n.to_string())])
}

/// Translated field errors of a refused form, by field name.
#[derive(Default)]
pub struct Errors(Vec<(String, String)>);

impl Errors {
    pub fn from_invalid(tr: Tr, invalid: &Invalid) -> Self {
        Errors(
            invalid
                .0
                .iter()
                .map(|e| (e.field.clone(), tr.error(e.code)))
                .collect(),
        )
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// Adds an error found while reading the form (a number that is not one).
    pub fn push(&mut self, field: &str, text: String) {
        self.0.push((field.to_owned(), text));
    }

    /// The error summary of a refused form (`partials/error_summary.html`): one link per
    /// message to the element whose id is the field's name, in the order of `labels` (the
    /// form's order, each field with its label), then any field `labels` does not name.
    pub fn summary(&self, labels: &[(&str, String)]) -> Vec<ErrorLink> {
        let labelled = labels.iter().filter_map(|(field, label)| {
            self.get(field)
                .map(|message| ErrorLink::new(field, Some(label), message))
        });
        let rest = self
            .0
            .iter()
            .filter(|(field, _)| !labels.iter().any(|(f, _)| f == field))
            .map(|(field, message)| ErrorLink::new(field, None, message));
        labelled.chain(rest).collect()
    }
}

/// One line of a refused form's error summary: a link to the field, with its label.
pub struct ErrorLink {
    /// The id of the field's input (or of its group).
    pub anchor: String,
    pub text: String,
}

impl ErrorLink {
    pub fn new(field: &str, label: Option<&str>, message: &str) -> ErrorLink {
        ErrorLink {
            anchor: field.to_owned(),
            text: match label {
                Some(label) => format!("{label}: {message}"),
                None => message.to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bursar_domain::ErrorCode;
    use bursar_domain::Locale;

    #[test]
    fn the_pager_links_neighbours_and_counts() {
        let tr = Tr::new(Locale::En);
        let link = |n: u32| format!("/x?page={n}");
        let p = pager(tr, 2, 50, 120, link);
        let p = p.as_ref();
        assert_eq!(p.and_then(|p| p.prev.clone()).as_deref(), Some("/x?page=1"));
        assert_eq!(p.and_then(|p| p.next.clone()).as_deref(), Some("/x?page=3"));
        assert!(p.is_some_and(|p| p.summary.contains("51–100") && p.summary.contains("120")));
        let last = pager(tr, 3, 50, 120, link);
        assert!(last.is_some_and(|p| p.next.is_none()));
        assert!(pager(tr, 1, 50, 0, link).is_none());
    }

    #[test]
    fn field_errors_are_translated_by_code() {
        let mut invalid = Invalid::default();
        invalid.push("new_password", ErrorCode::WeakPassword, "english text");
        let errors = Errors::from_invalid(Tr::new(Locale::Ru), &invalid);
        let text = errors.get("new_password").unwrap_or_default();
        assert!(!text.is_empty() && text != "english text");
        assert!(!errors.has("current_password"));
    }

    #[test]
    fn the_error_summary_follows_the_form_order_and_names_each_field() {
        let mut errors = Errors::default();
        errors.push("email", "Bad e-mail.".to_owned());
        errors.push("login", "Taken.".to_owned());
        errors.push("other", "Odd.".to_owned());
        let labels = [
            ("login", "Login".to_owned()),
            ("name", "Name".to_owned()),
            ("email", "E-mail".to_owned()),
        ];
        let summary = errors.summary(&labels);
        let lines: Vec<_> = summary
            .iter()
            .map(|e| (e.anchor.as_str(), e.text.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                ("login", "Login: Taken."),
                ("email", "E-mail: Bad e-mail."),
                ("other", "Odd.")
            ]
        );
        assert!(Errors::default().summary(&labels).is_empty());
    }
}
