//! The staff journal, `/admin/history`: every history entry, newest first, filtered by the
//! kind and id of the record. Filters are plain query parameters, so a filtered view is a
//! link one can share; with htmx the filter form and the pager replace only the results.

use crate::ctx::Signed;
use crate::form::Params;
use crate::layout::Ui;
use crate::pages::error;
use crate::render;
use crate::url::with_query;
use crate::view::HistoryTable;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::ports::{HistoryFilter, Page};

const PER_PAGE: u32 = 50;
const PATH: &str = "/admin/history";
/// Kinds of records that have history today, offered in the filter.
const KINDS: &[&str] = &[
    "user",
    "client",
    "payer",
    "client_group",
    "department",
    "provider",
    "company",
    "currency",
    "api_token",
];

/// Just the results, for htmx.
#[derive(Template)]
#[template(path = "partials/history_results.html")]
pub struct HistoryFragment {
    pub ui: Ui,
    pub results: HistoryTable,
}

pub struct KindOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "history.html")]
pub struct HistoryPage {
    ui: Ui,
    kinds: Vec<KindOption>,
    object_id: String,
    results: HistoryTable,
}

/// `GET /admin/history?object_kind=&object_id=&page=`.
pub async fn list(Signed { ctx, who }: Signed, params: Params) -> Response {
    let kind = params.get("object_kind").trim().to_owned();
    let id = params.get("object_id").trim().to_owned();
    let filter = HistoryFilter {
        object_kind: (!kind.is_empty()).then(|| kind.clone()),
        object_id: (!id.is_empty()).then(|| id.clone()),
        ..HistoryFilter::default()
    };
    let page = Page::new(params.number("page"), Some(PER_PAGE));
    let paged = match ctx.app.list_history(&who, filter, page).await {
        Ok(paged) => paged,
        Err(e) => return error::fail(&ctx, e),
    };
    let link = |n: u32| {
        let n = n.to_string();
        with_query(
            PATH,
            &[("object_kind", &kind), ("object_id", &id), ("page", &n)],
        )
    };
    let filtered = !kind.is_empty() || !id.is_empty();
    let empty = if filtered {
        "history-empty-filtered"
    } else {
        "history-empty"
    };
    let results = HistoryTable::new(ctx.tr, &paged, empty, link)
        .link_objects(PATH)
        .link_records();
    let ui = Ui::new(&ctx, "history-title");
    if ctx.htmx {
        return render::page(&ctx, StatusCode::OK, &HistoryFragment { ui, results });
    }
    let mut kinds = vec![KindOption {
        value: String::new(),
        label: ctx.tr.t("history-kind-any"),
        selected: kind.is_empty(),
    }];
    let unknown = (!kind.is_empty() && !KINDS.contains(&kind.as_str())).then_some(kind.as_str());
    for k in KINDS.iter().copied().chain(unknown) {
        kinds.push(KindOption {
            value: k.to_owned(),
            label: ctx.tr.or_raw("object", k),
            selected: k == kind,
        });
    }
    let page = HistoryPage {
        ui,
        kinds,
        object_id: id.clone(),
        results,
    };
    render::page(&ctx, StatusCode::OK, &page)
}
