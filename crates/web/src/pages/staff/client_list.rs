//! Clients → Clients, staff side: the client list with its filter bar (text, label, status,
//! provider, group, characteristic), sorting and pagination.
//!
//! The query string is the whole state of the list: the filter bar is a plain GET form, and
//! every link the page makes (pages, column sorting, a client's label, "clear filters")
//! is the current query with one value changed, so filters survive paging without
//! JavaScript. htmx, when present, only swaps the results below the bar.
//!
//! The filter values are parsed by the same function as `GET /api/v1/clients`
//! ([`ClientFilterParams::parse`]), so the panel and the API accept and refuse the same
//! values. A refused value (a sort key or provider id that is not one) answers 422 with
//! the bar and a message per value, and shows no rows rather than a list that silently
//! ignores part of what was asked. The form is then rendered with that value reset to
//! "any", so submitting it again always works.
//!
//! The provider and group choices come from their own list use cases; an employee without
//! the right to list them gets no such control (a filter given in the address still
//! applies, carried in a hidden field), rather than a refused page.

use crate::ctx::Signed;
use crate::form::Params;
use crate::i18n::Tr;
use crate::layout::Ui;
use crate::pages::clients::Done;
use crate::pages::error;
use crate::render;
use crate::url::with_query;
use crate::view::{Errors, Pager, when};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::history::Paged;
use bursar_app::ports::{ClientListItem, ClientSort, Page};
use bursar_app::{AppError, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::Invalid;
use bursar_domain::clients::Characteristic;
use bursar_domain::functions::f;
use bursar_domain::{ClientNumber, Ref};
use bursar_http::api::clients::{CLIENT_SORTS, ClientFilterParams};
use fluent_bundle::FluentValue;

const LIST: &str = "/admin/clients";
const PER_PAGE: u32 = 25;

/// The list's parameters as the browser sent them (trimmed); the page number apart.
#[derive(Clone, Default)]
struct ListQuery {
    text: String,
    label: String,
    status: String,
    provider: String,
    group: String,
    characteristic: String,
    sort: String,
}

impl ListQuery {
    fn read(params: &Params) -> Self {
        let get = |name: &str| params.get(name).trim().to_owned();
        ListQuery {
            text: get("text"),
            label: get("label"),
            status: get("status"),
            provider: get("provider"),
            group: get("group"),
            characteristic: get("characteristic"),
            sort: get("sort"),
        }
    }

    fn pairs(&self) -> [(&'static str, &str); 7] {
        [
            ("text", &self.text),
            ("label", &self.label),
            ("status", &self.status),
            ("provider", &self.provider),
            ("group", &self.group),
            ("characteristic", &self.characteristic),
            ("sort", &self.sort),
        ]
    }

    /// Whether anything narrows the list (sorting does not).
    fn filtered(&self) -> bool {
        self.pairs()
            .iter()
            .any(|(name, value)| *name != "sort" && !value.is_empty())
    }

    fn filter_params(&self) -> ClientFilterParams<'_> {
        ClientFilterParams {
            label: Some(&self.label),
            status: Some(&self.status),
            provider: Some(&self.provider),
            group: Some(&self.group),
            characteristic: Some(&self.characteristic),
            sort: Some(&self.sort),
        }
    }

    /// This list with `changes` applied (an empty value removes the parameter), on its
    /// first page unless `changes` names one.
    fn link(&self, changes: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .pairs()
            .into_iter()
            .map(|(name, value)| {
                let changed = changes.iter().find(|(n, _)| *n == name);
                (name, changed.map_or(value, |(_, v)| *v))
            })
            .collect();
        pairs.extend(changes.iter().filter(|(n, _)| *n == "page"));
        with_query(LIST, &pairs)
    }

    /// Forgets a value that was refused, so the form shows "any" and can be sent again.
    fn drop_field(&mut self, field: &str) {
        match field {
            "status" => self.status.clear(),
            "provider" => self.provider.clear(),
            "group" => self.group.clear(),
            "characteristic" => self.characteristic.clear(),
            "sort" => self.sort.clear(),
            _ => {}
        }
    }
}

/// One option of a filter's select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices(tr: Tr, any_id: &str, current: &str, options: Vec<(String, String)>) -> Vec<Choice> {
    let mut out = Vec::with_capacity(options.len() + 1);
    if !any_id.is_empty() {
        out.push(Choice {
            value: String::new(),
            label: tr.t(any_id),
            selected: current.is_empty(),
        });
    }
    out.extend(options.into_iter().map(|(value, label)| Choice {
        selected: value == current,
        value,
        label,
    }));
    out
}

/// The filter bar: the values the list was asked for, and what each control offers.
pub struct FilterBar {
    pub text: String,
    pub label: String,
    pub statuses: Vec<Choice>,
    /// `None`: the employee may not list providers, so there is no such control.
    pub providers: Option<Vec<Choice>>,
    /// `None`: the employee may not list client groups.
    pub groups: Option<Vec<Choice>>,
    pub characteristics: Vec<Choice>,
    pub sorts: Vec<Choice>,
    /// Filters without a control on this page (see `providers`), kept when the form is sent.
    pub hidden: Vec<(&'static str, String)>,
    pub errors: Errors,
    /// Set when any filter narrows the list: "clear filters" is worth showing.
    pub filtered: bool,
}

/// A column heading, a link that sorts by it when the list can.
pub struct Column {
    pub label: String,
    pub href: Option<String>,
    /// `ascending` or `descending` when the list is sorted by this column.
    pub sorted: Option<&'static str>,
    /// ↑ or ↓ beside a sorted column's name.
    pub arrow: &'static str,
}

pub struct ClientRow {
    /// `#1042`.
    pub number: String,
    pub name: String,
    pub card_href: String,
    pub country: Option<String>,
    pub email: String,
    /// The main user's login when it is not the e-mail itself.
    pub login: Option<String>,
    /// The label and the list filtered by it.
    pub label: Option<(String, String)>,
    pub active: bool,
    pub characteristic: &'static str,
    pub characteristic_text: String,
    pub registered: String,
    pub orders_href: Option<String>,
}

/// What the results area says when it has no rows, and the way on.
pub struct Empty {
    pub text: String,
    pub link: Option<(String, String)>,
}

pub struct ClientTable {
    pub columns: Vec<Column>,
    pub rows: Vec<ClientRow>,
    /// "12 clients", above the table.
    pub count: Option<String>,
    pub pager: Option<Pager>,
    pub empty: Empty,
    /// The refused filter values, said in words; no rows are shown then.
    pub refused: Vec<String>,
    pub has_actions: bool,
}

/// Just the results, for htmx.
#[derive(Template)]
#[template(path = "staff/client_results.html")]
pub struct ClientResults {
    ui: Ui,
    results: ClientTable,
}

#[derive(Template)]
#[template(path = "staff/clients.html")]
pub struct ClientsPage {
    ui: Ui,
    bar: FilterBar,
    results: ClientTable,
    /// "Add client", for those who may.
    new_href: Option<&'static str>,
}

/// The choices of a select filled by a list use case: `None` when the caller may not use
/// that use case, so the page leaves the control out instead of failing.
fn optional<T>(result: Result<T, AppError>) -> Result<Option<T>, AppError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(AppError::Forbidden { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The field-error text of a refused filter value, by parameter name.
fn refusal_text(tr: Tr, field: &str) -> String {
    let id = format!("clist-invalid-{field}");
    if tr.has(&id) {
        tr.t(&id)
    } else {
        tr.t("clist-invalid-filter")
    }
}

/// The control's name, for the summary of refused values.
fn field_name(tr: Tr, field: &str) -> String {
    tr.t(match field {
        "status" => "clientlist-col-status",
        "provider" => "clist-filter-provider",
        "group" => "clist-filter-group",
        "characteristic" => "card-field-characteristic",
        "sort" => "clist-filter-sort",
        _ => "clist-filter-label",
    })
}

/// `GET /admin/clients?text=&label=&status=&provider=&group=&characteristic=&sort=&page=`.
pub async fn clients(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tr = ctx.tr;
    let mut query = ListQuery::read(&params);
    // The top bar's quick search: a query that is exactly the number of a client opens that
    // client's card; anything else (or a number nobody has) is this list, searched.
    if params.flag("jump")
        && who.may(f::CLIENT_LIST)
        && let Ok(number) = query.text.parse::<ClientNumber>()
        && let Ok(id) = ctx.app.resolve_client(&who, Ref::Number(number)).await
    {
        return render::see_other(&format!("{LIST}/{id}"));
    }
    let page = Page::new(params.number("page"), Some(PER_PAGE));
    let providers = match optional(ctx.app.list_providers(&who).await) {
        Ok(p) => p,
        Err(e) => return error::fail(&ctx, e),
    };
    let groups = match optional(ctx.app.list_client_groups(&who).await) {
        Ok(g) => g,
        Err(e) => return error::fail(&ctx, e),
    };
    let provider_options = providers.map(|list| {
        list.into_iter()
            .map(|p| {
                let label = format!("{} · {}", p.name, p.currency_code);
                (p.id.to_string(), label)
            })
            .collect::<Vec<_>>()
    });
    let group_options = groups.map(|list| {
        list.into_iter()
            .map(|(g, _)| (g.id.to_string(), g.name))
            .collect::<Vec<_>>()
    });

    let mut invalid = match query.filter_params().parse() {
        Ok(_) => Invalid::default(),
        Err(AppError::Invalid(invalid)) => invalid,
        Err(e) => return error::fail(&ctx, e),
    };
    // A well-formed id that is none of the offered choices would leave the select on "any"
    // while the list is narrowed to nothing: refused like a malformed one.
    for (field, value, options) in [
        ("provider", &query.provider, &provider_options),
        ("group", &query.group, &group_options),
    ] {
        let known = |opts: &Vec<(String, String)>| opts.iter().any(|(id, _)| id == value);
        let refused = invalid.0.iter().any(|e| e.field == field);
        if !value.is_empty() && !refused && options.as_ref().is_some_and(|o| !known(o)) {
            invalid.push(
                field,
                ErrorCode::InvalidFilter,
                format!("`{value}` is not offered"),
            );
        }
    }

    let mut errors = Errors::default();
    let mut refused = Vec::new();
    for e in &invalid.0 {
        let text = refusal_text(tr, &e.field);
        refused.push(format!("{}: {text}", field_name(tr, &e.field)));
        errors.push(&e.field, text);
        query.drop_field(&e.field);
    }
    // With the refused values dropped, what is left always parses.
    let filter = match query.filter_params().parse() {
        Ok(f) => f,
        Err(e) => return error::fail(&ctx, e),
    };
    let sort = filter.sort;
    let (status, paged) = if invalid.is_empty() {
        let text = (!query.text.is_empty()).then_some(query.text.as_str());
        match ctx.app.list_clients(&who, text, filter, page).await {
            Ok(p) => (StatusCode::OK, Some(p)),
            Err(e) => return error::fail(&ctx, e),
        }
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, None)
    };
    let results = table(tr, &who, &query, sort, paged.as_ref(), refused);
    let ui = Done::flash(Ui::new(&ctx, "clientlist-title"), &params);
    if ctx.htmx {
        // htmx swaps only successful answers: a refused filter is shown by the fragment's
        // alert, with status 200 (a plain request gets the 422 page).
        return render::page(&ctx, StatusCode::OK, &ClientResults { ui, results });
    }
    let mut hidden = Vec::new();
    if provider_options.is_none() && !query.provider.is_empty() {
        hidden.push(("provider", query.provider.clone()));
    }
    if group_options.is_none() && !query.group.is_empty() {
        hidden.push(("group", query.group.clone()));
    }
    let bar = FilterBar {
        statuses: choices(
            tr,
            "clist-any-status",
            &query.status,
            vec![
                ("active".into(), tr.t("clientlist-status-active")),
                ("inactive".into(), tr.t("clientlist-status-inactive")),
            ],
        ),
        providers: provider_options.map(|o| choices(tr, "clist-any-provider", &query.provider, o)),
        groups: group_options.map(|o| choices(tr, "clist-any-group", &query.group, o)),
        characteristics: choices(
            tr,
            "clist-any-characteristic",
            &query.characteristic,
            Characteristic::ALL
                .iter()
                .map(|c| (c.code().to_owned(), characteristic_text(tr, *c)))
                .collect(),
        ),
        sorts: choices(
            tr,
            "",
            if query.sort.is_empty() {
                "newest"
            } else {
                &query.sort
            },
            CLIENT_SORTS
                .iter()
                .map(|(key, _)| ((*key).to_owned(), tr.t(&format!("clist-sort-{key}"))))
                .collect(),
        ),
        filtered: query.filtered(),
        text: query.text,
        label: query.label,
        hidden,
        errors,
    };
    let page = ClientsPage {
        ui,
        bar,
        results,
        new_href: who.may(f::CLIENT_CREATE).then_some("/admin/clients/new"),
    };
    render::page(&ctx, status, &page)
}

fn characteristic_text(tr: Tr, c: Characteristic) -> String {
    tr.t(&format!("card-characteristic-{}", c.code()))
}

/// The sortable column headings: name and e-mail sort ascending, the registration date
/// flips between newest and oldest first (what `CLIENT_SORTS` offers).
fn columns(tr: Tr, query: &ListQuery, sort: ClientSort, has_actions: bool) -> Vec<Column> {
    let sortable = |id: &str, key: &'static str, sorted: Option<&'static str>| Column {
        label: tr.t(id),
        href: Some(query.link(&[("sort", key)])),
        sorted,
        arrow: match sorted {
            Some("ascending") => "↑",
            Some(_) => "↓",
            None => "",
        },
    };
    let plain = |id: &str| Column {
        label: tr.t(id),
        href: None,
        sorted: None,
        arrow: "",
    };
    let mut out = vec![
        plain("clientlist-col-number"),
        sortable(
            "clientlist-col-name",
            "name",
            (sort == ClientSort::Name).then_some("ascending"),
        ),
        sortable(
            "clist-col-email-login",
            "email",
            (sort == ClientSort::Email).then_some("ascending"),
        ),
        plain("card-field-label"),
        plain("clientlist-col-status"),
        plain("card-field-characteristic"),
        match sort {
            ClientSort::Newest => {
                sortable("clientlist-col-registered", "oldest", Some("descending"))
            }
            ClientSort::Oldest => {
                sortable("clientlist-col-registered", "newest", Some("ascending"))
            }
            _ => sortable("clientlist-col-registered", "newest", None),
        },
    ];
    if has_actions {
        out.push(Column {
            label: String::new(),
            href: None,
            sorted: None,
            arrow: "",
        });
    }
    out
}

fn row(tr: Tr, who: &Principal, query: &ListQuery, item: &ClientListItem) -> ClientRow {
    let c = &item.client;
    let email = c.email.to_string();
    let label = c.label.as_ref().map(|l| {
        let href = query.link(&[("label", l.as_str())]);
        (l.clone(), href)
    });
    ClientRow {
        number: c.number.to_string(),
        name: c.name.to_string(),
        card_href: format!("{LIST}/{}", c.id),
        country: c.country.map(|country| {
            let id = format!("country-{}", country.code().to_ascii_lowercase());
            if tr.has(&id) {
                tr.t(&id)
            } else {
                country.name().to_owned()
            }
        }),
        login: item
            .main_login
            .clone()
            .filter(|l| !l.eq_ignore_ascii_case(&email)),
        email,
        label,
        active: item.active,
        characteristic: c.characteristic.code(),
        characteristic_text: characteristic_text(tr, c.characteristic),
        registered: when(c.created_at),
        orders_href: who
            .may(f::CLIENT_ORDER_HISTORY)
            .then(|| format!("{LIST}/{}/orders", c.id)),
    }
}

fn table(
    tr: Tr,
    who: &Principal,
    query: &ListQuery,
    sort: ClientSort,
    paged: Option<&Paged<ClientListItem>>,
    refused: Vec<String>,
) -> ClientTable {
    let has_actions = who.may(f::CLIENT_ORDER_HISTORY);
    let clear = (tr.t("clist-clear-filters"), LIST.to_owned());
    let Some(paged) = paged else {
        return ClientTable {
            columns: columns(tr, query, sort, has_actions),
            rows: Vec::new(),
            count: None,
            pager: None,
            empty: Empty {
                text: tr.t("clist-invalid-filters"),
                link: Some(clear),
            },
            refused,
            has_actions,
        };
    };
    let filtered = query.filtered();
    let empty = if paged.total > 0 {
        // Asked for a page past the end (the list shrank, or a typed address).
        Empty {
            text: tr.t("clist-empty-page"),
            link: Some((tr.t("clist-first-page"), query.link(&[]))),
        }
    } else if filtered {
        Empty {
            text: tr.t("clist-empty-filtered"),
            link: Some(clear),
        }
    } else {
        Empty {
            text: tr.t("clientlist-empty"),
            link: who
                .may(f::CLIENT_CREATE)
                .then(|| (tr.t("clientlist-new"), "/admin/clients/new".to_owned())),
        }
    };
    ClientTable {
        columns: columns(tr, query, sort, has_actions),
        rows: paged
            .items
            .iter()
            .map(|item| row(tr, who, query, item))
            .collect(),
        count: (paged.total > 0).then(|| {
            tr.ta(
                if filtered {
                    "clist-count-found"
                } else {
                    "clist-count"
                },
                &[("total", FluentValue::from(paged.total))],
            )
        }),
        pager: pager(tr, query, paged),
        empty,
        refused,
        has_actions,
    }
}

/// "Page 2 of 5 · 26–50 of 120", with links to the neighbouring pages that keep the filters.
fn pager(tr: Tr, query: &ListQuery, paged: &Paged<ClientListItem>) -> Option<Pager> {
    if paged.total <= 0 {
        return None;
    }
    let per_page = i64::from(paged.per_page.max(1));
    let pages = u32::try_from((paged.total + per_page - 1) / per_page)
        .unwrap_or(u32::MAX)
        .max(1);
    if paged.page > pages {
        // Past the end: the empty state says so and leads back; "page 3 of 2" would not.
        return None;
    }
    let first = (i64::from(paged.page) - 1) * per_page + 1;
    let last = (first + per_page - 1).min(paged.total);
    let summary = tr.ta(
        "clist-pager",
        &[
            ("page", FluentValue::from(paged.page)),
            ("pages", FluentValue::from(pages)),
            ("first", FluentValue::from(first.min(paged.total))),
            ("last", FluentValue::from(last)),
            ("total", FluentValue::from(paged.total)),
        ],
    );
    let link = |n: u32| query.link(&[("page", &n.to_string())]);
    Some(Pager {
        summary,
        prev: (paged.page > 1).then(|| link(paged.page.saturating_sub(1).min(pages))),
        next: (paged.page < pages).then(|| link(paged.page + 1)),
        prev_label: tr.t("pager-prev"),
        next_label: tr.t("pager-next"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bursar_domain::Locale;

    fn query(pairs: &[(&str, &str)]) -> ListQuery {
        let mut q = ListQuery::default();
        for (name, value) in pairs {
            let v = (*value).to_owned();
            match *name {
                "text" => q.text = v,
                "label" => q.label = v,
                "status" => q.status = v,
                "sort" => q.sort = v,
                _ => {}
            }
        }
        q
    }

    #[test]
    fn links_keep_the_filters_and_change_one_value() {
        let q = query(&[("text", "anna k"), ("label", "vip"), ("sort", "name")]);
        assert_eq!(
            q.link(&[("page", "3")]),
            "/admin/clients?text=anna%20k&label=vip&sort=name&page=3"
        );
        assert_eq!(
            q.link(&[("sort", "email")]),
            "/admin/clients?text=anna%20k&label=vip&sort=email"
        );
        assert_eq!(
            q.link(&[("label", "")]),
            "/admin/clients?text=anna%20k&sort=name"
        );
        assert!(q.filtered());
        assert!(!query(&[("sort", "oldest")]).filtered());
    }

    #[test]
    fn every_sort_key_and_refused_filter_has_a_text_in_both_languages() {
        for locale in Locale::ALL {
            let tr = Tr::new(locale);
            for (key, _) in CLIENT_SORTS {
                assert!(tr.has(&format!("clist-sort-{key}")), "{locale}: sort {key}");
            }
            for field in ["status", "provider", "group", "characteristic", "sort"] {
                assert!(
                    tr.has(&format!("clist-invalid-{field}")),
                    "{locale}: {field}"
                );
            }
        }
    }
}
