//! Display models shared by the client pages: form fields, tables, the client card's header
//! and the page heading. Handlers fill them with translated text and the user's input; the
//! templates (`templates/clients/`) only place them, so a form looks and behaves the same
//! everywhere (labels, hints, the error next to its field, the typed value kept).

use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::profile::Tab;
use crate::view::{ErrorLink, Errors};
use axum::http::StatusCode;
use bursar_app::AppError;
use bursar_domain::Locale;
use bursar_domain::directory::Country;

/// One choice of a select or of a group of checkboxes.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
    pub hint: Option<String>,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Opt {
        Opt {
            value: value.into(),
            label: label.into(),
            selected,
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Opt {
        self.hint = Some(hint.into());
        self
    }
}

/// Refreshes one part of the form when a field changes (htmx): the server renders the
/// form again for the values chosen so far and the part with `slot` replaces its old self.
pub struct Refresh {
    pub url: String,
    pub slot: &'static str,
    /// CSS selector of the fields whose values the refresh sends.
    pub include: &'static str,
}

/// One field of a form, ready to render: `kind` is `text`, `email`, `password`, `tel`,
/// `textarea`, `select`, `checkbox`, `checks` (several checkboxes of one name), `static`
/// (a read-only value) or `slot` (nothing yet: a place htmx may fill later).
pub struct Field {
    pub name: &'static str,
    pub kind: &'static str,
    pub label: String,
    pub value: String,
    pub checked: bool,
    pub options: Vec<Opt>,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub required: bool,
    pub disabled: bool,
    pub autocomplete: &'static str,
    pub max: usize,
    /// The id of an element wrapping the field, for htmx to replace.
    pub slot: Option<&'static str>,
    pub refresh: Option<Refresh>,
}

impl Field {
    fn base(name: &'static str, kind: &'static str, label: String) -> Field {
        Field {
            name,
            kind,
            label,
            value: String::new(),
            checked: false,
            options: Vec::new(),
            hint: None,
            error: None,
            required: false,
            disabled: false,
            autocomplete: "off",
            max: 0,
            slot: None,
            refresh: None,
        }
    }

    /// A one-line input of `kind` (`text`, `email`, `password`, `tel`).
    pub fn input(name: &'static str, kind: &'static str, label: String, value: &str) -> Field {
        let mut f = Field::base(name, kind, label);
        f.value = value.to_owned();
        f
    }

    pub fn text(name: &'static str, label: String, value: &str) -> Field {
        Field::input(name, "text", label, value)
    }

    pub fn textarea(name: &'static str, label: String, value: &str) -> Field {
        let mut f = Field::base(name, "textarea", label);
        f.value = value.to_owned();
        f
    }

    pub fn select(name: &'static str, label: String, options: Vec<Opt>) -> Field {
        let mut f = Field::base(name, "select", label);
        f.options = options;
        f
    }

    pub fn checkbox(name: &'static str, label: String, checked: bool) -> Field {
        let mut f = Field::base(name, "checkbox", label);
        f.checked = checked;
        f
    }

    pub fn checks(name: &'static str, label: String, options: Vec<Opt>) -> Field {
        let mut f = Field::base(name, "checks", label);
        f.options = options;
        f
    }

    /// An empty place for a field that may appear later (see [`Refresh`]).
    pub fn empty_slot(name: &'static str, slot: &'static str) -> Field {
        Field::base(name, "slot", String::new()).slot(slot)
    }

    pub fn fixed(name: &'static str, label: String, value: String) -> Field {
        let mut f = Field::base(name, "static", label);
        f.value = value;
        f
    }

    pub fn hint(mut self, hint: String) -> Field {
        self.hint = Some(hint);
        self
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn disabled(mut self, disabled: bool) -> Field {
        self.disabled = disabled;
        self
    }

    pub fn max(mut self, max: usize) -> Field {
        self.max = max;
        self
    }

    pub fn autocomplete(mut self, token: &'static str) -> Field {
        self.autocomplete = token;
        self
    }

    pub fn slot(mut self, id: &'static str) -> Field {
        self.slot = Some(id);
        self
    }

    pub fn refresh(mut self, refresh: Refresh) -> Field {
        self.refresh = Some(refresh);
        self
    }

    /// Takes this field's error, if the refused form had one.
    pub fn errors(mut self, errors: &Errors) -> Field {
        self.error = errors.get(self.name).map(str::to_owned);
        self
    }
}

/// A titled group of fields.
pub struct Section {
    pub title: Option<String>,
    pub fields: Vec<Field>,
}

impl Section {
    pub fn new(title: Option<String>, fields: Vec<Field>, errors: &Errors) -> Section {
        Section {
            title,
            fields: fields.into_iter().map(|f| f.errors(errors)).collect(),
        }
    }
}

/// A whole form.
pub struct FormView {
    pub title: String,
    pub intro: Option<String>,
    /// A message about the whole form (a refusal that names no field).
    pub error: Option<String>,
    pub action: String,
    pub submit: String,
    /// `btn-primary` or `btn-danger`.
    pub submit_style: &'static str,
    pub cancel: Option<String>,
    pub cancel_label: String,
    pub sections: Vec<Section>,
}

impl FormView {
    pub fn new(tr: Tr, title: String, action: String, submit: String) -> FormView {
        FormView {
            title,
            intro: None,
            error: None,
            action,
            submit,
            submit_style: "btn-primary",
            cancel: None,
            cancel_label: tr.t("action-cancel"),
            sections: Vec::new(),
        }
    }

    pub fn intro(mut self, text: String) -> FormView {
        self.intro = Some(text);
        self
    }

    pub fn cancel(mut self, href: String) -> FormView {
        self.cancel = Some(href);
        self
    }

    pub fn error(mut self, error: Option<String>) -> FormView {
        self.error = error;
        self
    }

    /// Whether any field is required (the form then explains the `*` mark).
    pub fn has_required(&self) -> bool {
        self.sections
            .iter()
            .flat_map(|s| &s.fields)
            .any(|f| f.required && !f.disabled)
    }

    /// The error summary of the refused form: each field with an error, linked, in order.
    pub fn error_summary(&self) -> Vec<ErrorLink> {
        self.sections
            .iter()
            .flat_map(|s| &s.fields)
            .filter_map(|f| {
                f.error
                    .as_deref()
                    .map(|e| ErrorLink::new(f.name, Some(&f.label), e))
            })
            .collect()
    }

    pub fn section(mut self, title: Option<String>, fields: Vec<Field>, errors: &Errors) -> Self {
        self.sections.push(Section::new(title, fields, errors));
        self
    }
}

/// A link or button.
pub struct Link {
    pub href: String,
    pub label: String,
    /// `btn-primary`, `btn-secondary` or `btn-danger`.
    pub style: &'static str,
    /// Sent as a POST form (with these hidden fields) instead of followed.
    pub post: Option<Vec<(&'static str, String)>>,
}

impl Link {
    pub fn get(href: String, label: String, style: &'static str) -> Link {
        Link {
            href,
            label,
            style,
            post: None,
        }
    }

    pub fn post(href: String, label: String, style: &'static str) -> Link {
        Link {
            href,
            label,
            style,
            post: Some(Vec::new()),
        }
    }

    pub fn with_field(mut self, name: &'static str, value: &str) -> Link {
        if let Some(fields) = &mut self.post {
            fields.push((name, value.to_owned()));
        }
        self
    }
}

/// One cell of a table.
#[derive(Default)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    /// A second, smaller line.
    pub sub: Option<String>,
    /// A status dot: `active`, `revoked` (muted) or `expired` (warning).
    pub status: Option<&'static str>,
    pub tags: Vec<String>,
    pub code: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }

    pub fn code(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            code: true,
            ..Cell::default()
        }
    }

    pub fn link(text: impl Into<String>, href: String) -> Cell {
        Cell {
            text: text.into(),
            href: Some(href),
            ..Cell::default()
        }
    }

    pub fn status(text: impl Into<String>, on: bool) -> Cell {
        Cell {
            text: text.into(),
            status: Some(if on { "active" } else { "revoked" }),
            ..Cell::default()
        }
    }

    pub fn tags(tags: Vec<String>) -> Cell {
        Cell {
            tags,
            ..Cell::default()
        }
    }

    pub fn sub(mut self, sub: Option<String>) -> Cell {
        self.sub = sub;
        self
    }
}

pub struct Row {
    pub cells: Vec<Cell>,
    pub actions: Vec<Link>,
    pub muted: bool,
}

/// A table with its empty state.
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    pub empty: String,
    /// Whether any row has actions (the last column).
    pub has_actions: bool,
}

impl Table {
    pub fn new(tr: Tr, columns: &[&str], empty_id: &str) -> Table {
        Table {
            columns: columns.iter().map(|c| tr.t(c)).collect(),
            rows: Vec::new(),
            empty: tr.t(empty_id),
            has_actions: false,
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>, actions: Vec<Link>) {
        self.has_actions |= !actions.is_empty();
        self.rows.push(Row {
            cells,
            actions,
            muted: false,
        });
    }

    pub fn muted_row(&mut self, cells: Vec<Cell>, actions: Vec<Link>) {
        self.row(cells, actions);
        if let Some(last) = self.rows.last_mut() {
            last.muted = true;
        }
    }
}

/// The client card's header: who, state, the actions the employee may take, the tabs.
pub struct CardHead {
    pub name: String,
    /// The first letter of the name, for the avatar.
    pub initial: String,
    pub email: String,
    /// The client's number, `#1042`: the id people use.
    pub number: String,
    /// The UUID, for whoever needs it (shown on hover).
    pub id: String,
    pub status: String,
    pub active: bool,
    pub anonymized: Option<String>,
    pub actions: Vec<Link>,
    pub tabs: Vec<Tab>,
}

/// The top of a page: the client card's header, or a title with a lead and buttons.
pub struct Head {
    pub card: Option<CardHead>,
    pub title: String,
    pub lead: Option<String>,
    pub back: Option<Link>,
    pub actions: Vec<Link>,
}

impl Head {
    pub fn plain(title: String) -> Head {
        Head {
            card: None,
            title,
            lead: None,
            back: None,
            actions: Vec::new(),
        }
    }

    pub fn card(card: CardHead) -> Head {
        Head {
            title: card.name.clone(),
            card: Some(card),
            lead: None,
            back: None,
            actions: Vec::new(),
        }
    }

    pub fn lead(mut self, lead: String) -> Head {
        self.lead = Some(lead);
        self
    }

    pub fn back(mut self, href: String, label: String) -> Head {
        self.back = Some(Link::get(href, label, "btn-secondary"));
        self
    }

    pub fn action(mut self, link: Link) -> Head {
        self.actions.push(link);
        self
    }
}

/// The country select: "not set" (when `optional`) then every ISO 3166 country by name.
pub fn country_options(tr: Tr, selected: &str, optional: bool) -> Vec<Opt> {
    let selected = selected.trim().to_ascii_uppercase();
    let mut countries: Vec<(String, &'static str)> = Country::all()
        .map(|c| (country_name(tr, c), c.code()))
        .collect();
    // By name as people read it: "Åland" among the A's, not after "Zimbabwe".
    countries.sort_by_cached_key(|(name, _)| name.replace('Å', "A").to_lowercase());
    let mut out = Vec::with_capacity(countries.len() + 1);
    if optional {
        out.push(Opt::new("", tr.t("cl-value-not-set"), selected.is_empty()));
    }
    out.extend(
        countries
            .into_iter()
            .map(|(name, code)| Opt::new(code, name, code == selected)),
    );
    out
}

/// A country's name in the user's language when the catalogue has it, else in English.
pub fn country_name(tr: Tr, c: Country) -> String {
    let id = format!("country-{}", c.code().to_ascii_lowercase());
    if tr.has(&id) {
        tr.t(&id)
    } else {
        c.name().to_owned()
    }
}

/// A currency's name in the user's language when the catalogue has it, else the
/// directory's (English) name.
pub fn currency_name(tr: Tr, code: &str, stored: &str) -> String {
    let id = format!("currency-name-{}", code.to_ascii_lowercase());
    if tr.has(&id) {
        tr.t(&id)
    } else {
        stored.to_owned()
    }
}

/// `DE · Germany`, or "not set".
pub fn country_label(tr: Tr, c: Option<Country>) -> String {
    c.map_or_else(
        || tr.t("value-none"),
        |c| format!("{} · {}", country_name(tr, c), c.code()),
    )
}

/// The language select.
pub fn locale_options(tr: Tr, selected: &str) -> Vec<Opt> {
    Locale::ALL
        .iter()
        .map(|l| Opt::new(l.code(), tr.language_name(*l), l.code() == selected))
        .collect()
}

/// What a refused form shows: errors next to fields, or one message for the whole form.
pub struct Refusal {
    pub errors: Errors,
    pub message: Option<String>,
}

/// Turns a use case's refusal of a form into what the form shows; any other error is
/// returned for the error page.
pub fn refusal(tr: Tr, e: AppError) -> Result<Refusal, AppError> {
    match e {
        AppError::Invalid(invalid) => Ok(Refusal {
            errors: Errors::from_invalid(tr, &invalid),
            message: None,
        }),
        AppError::Conflict {
            code,
            field: Some(field),
            ..
        } => {
            let mut errors = Errors::default();
            errors.push(field, tr.error(code));
            Ok(Refusal {
                errors,
                message: None,
            })
        }
        AppError::Conflict { code, .. } => Ok(Refusal {
            errors: Errors::default(),
            message: Some(tr.error(code)),
        }),
        AppError::Refused { code, .. } => Ok(Refusal {
            errors: Errors::default(),
            message: Some(tr.error(code)),
        }),
        other => Err(other),
    }
}

/// How a form is shown: at first (`fresh`), or again after a refusal with the typed values.
pub struct Shown<'a> {
    pub status: StatusCode,
    pub form: Option<&'a Fields>,
    pub errors: Errors,
    pub message: Option<String>,
    /// Values to show before any post (chosen so far, from the query string).
    pub prefill: Vec<(&'static str, String)>,
}

impl<'a> Shown<'a> {
    pub fn fresh() -> Shown<'a> {
        Shown {
            status: StatusCode::OK,
            form: None,
            errors: Errors::default(),
            message: None,
            prefill: Vec::new(),
        }
    }

    pub fn refused(form: &'a Fields, r: Refusal) -> Shown<'a> {
        Shown {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            form: Some(form),
            errors: r.errors,
            message: r.message,
            prefill: Vec::new(),
        }
    }

    /// The typed value of `name`, else `current`.
    pub fn value(&self, name: &str, current: impl Into<String>) -> String {
        match self.form {
            Some(f) => f.get(name).to_owned(),
            None => self
                .prefill
                .iter()
                .find(|(k, v)| *k == name && !v.is_empty())
                .map_or_else(|| current.into(), |(_, v)| v.clone()),
        }
    }

    /// Whether the checkbox `name` was ticked, else `current`.
    pub fn checked(&self, name: &str, current: bool) -> bool {
        match self.form {
            Some(f) => !f.get(name).is_empty(),
            None => current,
        }
    }
}

/// "Yes"/"No".
pub fn yes_no(tr: Tr, v: bool) -> String {
    tr.t(if v { "cl-yes" } else { "cl-no" })
}

/// A comma- or line-separated list typed into a text field, without empty entries.
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas_and_lines() {
        assert_eq!(split_list(" a, b ,,\nc\r\n"), ["a", "b", "c"]);
        assert!(split_list("  ").is_empty());
    }

    #[test]
    fn countries_are_sorted_by_name_with_the_choice_marked() {
        let tr = Tr::new(Locale::En);
        let options = country_options(tr, "de", true);
        assert_eq!(options.first().map(|o| o.value.as_str()), Some(""));
        assert!(options.iter().any(|o| o.value == "DE" && o.selected));
        assert_eq!(options.iter().filter(|o| o.selected).count(), 1);
        assert!(options.len() > 240);
    }
}
