//! The dashboards, `/admin` and `/client`: what a user sees first after signing in. They
//! show what exists today (the account, its recent history, where to go next) and grow a
//! card per feature as billing lands; nothing here is a placeholder for a feature that is
//! not there.

use crate::ctx::Signed;
use crate::layout::Ui;
use crate::pages::error;
use crate::panel::Panel;
use crate::render;
use crate::view::{Detail, HistoryTable, account_details};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::ports::Page;
use bursar_domain::functions::f;

/// How many of the latest history entries the dashboard shows.
const RECENT: u32 = 8;

pub struct QuickLink {
    pub href: String,
    pub label: String,
    pub hint: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    ui: Ui,
    welcome: String,
    lead: String,
    details: Vec<Detail>,
    links: Vec<QuickLink>,
    recent: Option<HistoryTable>,
    /// The money per currency (staff who may read money).
    money: Vec<Vec<String>>,
    profile_href: &'static str,
    history_href: String,
}

/// `GET /admin`, `GET /client`.
pub async fn show(Signed { ctx, who }: Signed) -> Response {
    let recent = if who.may(f::PROFILE_HISTORY) {
        match ctx
            .app
            .my_history(&who, Page::new(Some(1), Some(RECENT)))
            .await
        {
            Ok(paged) => {
                let mut table =
                    HistoryTable::new(ctx.tr, &paged, "dashboard-recent-empty", |_| String::new());
                table.pager = None;
                Some(table)
            }
            Err(e) => return error::fail(&ctx, e),
        }
    } else {
        None
    };
    let tr = ctx.tr;
    let panel = ctx.panel;
    let mut details = account_details(tr, &who);
    if panel == Panel::Client {
        match ctx.app.own_client_number(&who).await {
            Ok(Some(number)) => details.insert(
                0,
                Detail {
                    label: tr.t("card-id"),
                    value: number.to_string(),
                },
            ),
            Ok(None) => {}
            Err(e) => return error::fail(&ctx, e),
        }
    }
    let link = |href: String, label: &str, hint: &str| QuickLink {
        href,
        label: tr.t(label),
        hint: tr.t(hint),
    };
    let mut links = vec![link(
        panel.profile().to_owned(),
        "link-profile",
        "link-profile-hint",
    )];
    if who.may(f::PROFILE_TOKENS) {
        links.push(link(
            format!("{}/tokens", panel.profile()),
            "link-tokens",
            "link-tokens-hint",
        ));
    }
    if panel == Panel::Client && who.may(f::ACCOUNT_FINANCES) {
        links.insert(
            0,
            link(
                "/client/payments".to_owned(),
                "link-finances",
                "link-finances-hint",
            ),
        );
    }
    let mut money = Vec::new();
    if panel == Panel::Admin
        && bursar_app::money::accounts::MONEY_READERS
            .iter()
            .any(|f| who.may(f))
    {
        match ctx.app.money_dashboard(&who).await {
            Ok(lines) => {
                for l in lines {
                    let s = &l.summary;
                    let m = |minor: i64| {
                        format!(
                            "{} {}",
                            bursar_domain::money::format_minor(minor, l.minor_units),
                            s.currency_code
                        )
                    };
                    money.push(vec![
                        s.currency_code.clone(),
                        m(s.paid_this_month_minor),
                        format!("{} ({})", m(s.unpaid_invoices_minor), s.unpaid_invoices),
                        format!("{} ({})", m(s.debt_minor), s.clients_in_debt),
                        l.blocked_accounts.to_string(),
                    ]);
                }
            }
            Err(e) => return error::fail(&ctx, e),
        }
    }
    if panel == Panel::Admin && who.may(f::HISTORY_VIEW) {
        links.push(link(
            "/admin/history".to_owned(),
            "link-history",
            "link-history-hint",
        ));
    }
    links.push(link(
        "/api/docs".to_owned(),
        "link-api-docs",
        "link-api-docs-hint",
    ));
    let lead = match panel {
        Panel::Admin => "dashboard-lead-admin",
        Panel::Client => "dashboard-lead-client",
    };
    let page = DashboardPage {
        ui: Ui::new(&ctx, "dashboard-title"),
        welcome: tr.t1(
            "dashboard-welcome",
            "name",
            crate::layout::user_name(&who.user, tr.locale()),
        ),
        lead: tr.t(lead),
        details,
        links,
        recent,
        money,
        profile_href: panel.profile(),
        history_href: format!("{}/history", panel.profile()),
    };
    render::page(&ctx, StatusCode::OK, &page)
}
