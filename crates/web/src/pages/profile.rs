//! The user's own profile, `/admin/profile` and `/client/profile`, in tabs: the account and
//! its password, the API tokens (`tokens.rs`), and the account's history. Each tab is its own
//! page calling one use case, and a tab the user may not use is not shown.

use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::pages::history::HistoryFragment;
use crate::render::{self, see_other};
use crate::view::{Detail, Errors, HistoryTable, account_details, page_link};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::ports::Page;
use bursar_app::profile::PasswordChange;
use bursar_app::{AppError, Principal};
use bursar_domain::functions::f;

const HISTORY_PER_PAGE: u32 = 25;

pub struct Tab {
    pub href: String,
    pub label: String,
    pub active: bool,
}

/// The profile's tabs `who` may open; `active` is the tab's path suffix ("", "/tokens", …).
pub fn tabs(ctx: &Ctx, who: &Principal, active: &str) -> Vec<Tab> {
    [
        (f::PROFILE_VIEW, "", "profile-tab-account"),
        (f::PROFILE_TOKENS, "/tokens", "profile-tab-tokens"),
        (f::PROFILE_HISTORY, "/history", "profile-tab-history"),
    ]
    .into_iter()
    .filter(|(function, _, _)| who.may(function))
    .map(|(_, suffix, label)| Tab {
        href: format!("{}{suffix}", ctx.panel.profile()),
        label: ctx.tr.t(label),
        active: suffix == active,
    })
    .collect()
}

#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfilePage {
    ui: Ui,
    tabs: Vec<Tab>,
    details: Vec<Detail>,
    can_change_password: bool,
    password_action: String,
    /// The user's own avatar, when they have one.
    avatar: Option<&'static str>,
    errors: Errors,
}

fn render_profile(
    ctx: &Ctx,
    who: &Principal,
    status: StatusCode,
    errors: Errors,
    flash: bool,
) -> Response {
    let mut ui = Ui::new(ctx, "profile-title");
    if flash {
        ui = ui.with_flash("success", "profile-password-changed");
    }
    let page = ProfilePage {
        ui,
        tabs: tabs(ctx, who, ""),
        details: account_details(ctx.tr, who),
        can_change_password: who.may(f::PROFILE_PASSWORD),
        password_action: format!("{}/password", ctx.panel.profile()),
        avatar: who.has_avatar.then_some("/admin/profile/avatar"),
        errors,
    };
    render::page(ctx, status, &page)
}

/// `GET /…/profile`.
pub async fn show(Signed { ctx, who }: Signed, params: Params) -> Response {
    render_profile(
        &ctx,
        &who,
        StatusCode::OK,
        Errors::default(),
        params.flag("password_changed"),
    )
}

/// `POST /…/profile/password`. Passwords are never echoed back into the form.
pub async fn change_password(Signed { ctx, who }: Signed, form: Fields) -> Response {
    let input = PasswordChange {
        current: form.get("current_password").to_owned(),
        new: form.get("new_password").to_owned(),
        confirmation: form.get("password_confirmation").to_owned(),
    };
    match ctx.app.change_password(&who, input).await {
        Ok(()) => see_other(&format!("{}?password_changed=1", ctx.panel.profile())),
        Err(AppError::Invalid(invalid)) => {
            let errors = Errors::from_invalid(ctx.tr, &invalid);
            render_profile(&ctx, &who, StatusCode::UNPROCESSABLE_ENTITY, errors, false)
        }
        Err(e) => error::fail(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "profile_history.html")]
pub struct ProfileHistoryPage {
    ui: Ui,
    tabs: Vec<Tab>,
    results: HistoryTable,
}

/// `GET /…/profile/history?page=N`: entries about the user's account or made by them.
pub async fn history(Signed { ctx, who }: Signed, params: Params) -> Response {
    let page = Page::new(params.number("page"), Some(HISTORY_PER_PAGE));
    let paged = match ctx.app.my_history(&who, page).await {
        Ok(paged) => paged,
        Err(e) => return error::fail(&ctx, e),
    };
    let path = format!("{}/history", ctx.panel.profile());
    let results = HistoryTable::new(ctx.tr, &paged, "profile-history-empty", page_link(&path));
    let ui = Ui::new(&ctx, "profile-title");
    if ctx.htmx {
        return render::page(&ctx, StatusCode::OK, &HistoryFragment { ui, results });
    }
    let page = ProfileHistoryPage {
        ui,
        tabs: tabs(&ctx, &who, "/history"),
        results,
    };
    render::page(&ctx, StatusCode::OK, &page)
}
