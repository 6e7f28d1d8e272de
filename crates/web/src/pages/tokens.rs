//! The profile's API tokens tab: the list with a revoke button per live token, the form
//! that issues one, and the page that shows a new token's secret. The secret exists only in
//! that one response (the store keeps a digest), so the page says to copy it now and is
//! never cached.

use crate::ctx::{Ctx, Signed};
use crate::form::{Fields, Params};
use crate::layout::Ui;
use crate::pages::error;
use crate::pages::profile::{Tab, tabs};
use crate::render::{self, see_other};
use crate::view::{Errors, when};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use bursar_app::ports::ApiTokenRecord;
use bursar_app::tokens::NewToken;
use bursar_app::{AppError, Principal};
use bursar_domain::access::Audience;
use bursar_domain::functions::{self, FUNCTIONS};
use bursar_domain::{ApiTokenId, ErrorCode, Locale};

fn list_path(ctx: &Ctx) -> String {
    format!("{}/tokens", ctx.panel.profile())
}

pub struct TokenRow {
    pub name: String,
    pub prefix: String,
    pub scope: Vec<String>,
    pub created: String,
    pub last_used: String,
    pub expires: String,
    pub status: String,
    /// `active`, `expired` or `revoked` (a CSS class).
    pub state: &'static str,
    /// Where the revoke button posts, for a live token.
    pub revoke: Option<String>,
}

fn scope_names(scope: &[String], locale: Locale) -> Vec<String> {
    scope
        .iter()
        .map(|k| functions::find(k).map_or_else(|| k.clone(), |f| f.name(locale).to_owned()))
        .collect()
}

fn row(ctx: &Ctx, t: &ApiTokenRecord) -> TokenRow {
    let tr = ctx.tr;
    let now = ctx.app.now();
    let (state, status) = match (t.revoked_at, t.expires_at) {
        (Some(at), _) => (
            "revoked",
            tr.t1("token-status-revoked", "when", when(at).as_str()),
        ),
        (None, Some(at)) if at <= now => ("expired", tr.t("token-status-expired")),
        _ => ("active", tr.t("token-status-active")),
    };
    TokenRow {
        name: t.name.clone(),
        prefix: format!("{}…", t.prefix),
        scope: match &t.scope {
            None => vec![tr.t("token-scope-all")],
            Some(keys) => scope_names(keys, tr.locale()),
        },
        created: when(t.created_at),
        last_used: t.last_used_at.map_or_else(|| tr.t("value-never"), when),
        expires: t.expires_at.map_or_else(|| tr.t("value-never"), when),
        status,
        state,
        revoke: (state == "active").then(|| format!("{}/{}/revoke", list_path(ctx), t.id)),
    }
}

#[derive(Template)]
#[template(path = "tokens.html")]
pub struct TokensPage {
    ui: Ui,
    tabs: Vec<Tab>,
    rows: Vec<TokenRow>,
    new_href: String,
}

/// `GET /…/profile/tokens`.
pub async fn list(Signed { ctx, who }: Signed, params: Params) -> Response {
    let tokens = match ctx.app.list_tokens(&who).await {
        Ok(tokens) => tokens,
        Err(e) => return error::fail(&ctx, e),
    };
    let mut ui = Ui::new(&ctx, "profile-title");
    if params.flag("revoked") {
        ui = ui.with_flash("success", "token-revoked");
    }
    let page = TokensPage {
        ui,
        tabs: tabs(&ctx, &who, "/tokens"),
        rows: tokens.iter().map(|t| row(&ctx, t)).collect(),
        new_href: format!("{}/new", list_path(&ctx)),
    };
    render::page(&ctx, StatusCode::OK, &page)
}

pub struct ScopeOption {
    pub key: &'static str,
    pub label: String,
    pub checked: bool,
}

pub struct ScopeGroup {
    pub heading: String,
    pub options: Vec<ScopeOption>,
}

/// The functions a token may be limited to: those the user holds, by section.
fn scope_groups(who: &Principal, locale: Locale, checked: &[String]) -> Vec<ScopeGroup> {
    let mut groups: Vec<(&str, ScopeGroup)> = Vec::new();
    let offered = FUNCTIONS.iter().filter(|f| {
        !matches!(f.audience, Audience::Public | Audience::System) && who.rights.holds(f)
    });
    for f in offered {
        let option = ScopeOption {
            key: f.key,
            label: f.name(locale).to_owned(),
            checked: checked.iter().any(|k| k == f.key),
        };
        match groups.iter_mut().find(|(section, _)| *section == f.section) {
            Some((_, group)) => group.options.push(option),
            None => {
                let heading = functions::section(f.section).map_or(f.section, |s| match locale {
                    Locale::En => s.name_en,
                    Locale::Ru => s.name_ru,
                });
                groups.push((
                    f.section,
                    ScopeGroup {
                        heading: heading.to_owned(),
                        options: vec![option],
                    },
                ));
            }
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

#[derive(Template)]
#[template(path = "token_new.html")]
pub struct TokenFormPage {
    ui: Ui,
    tabs: Vec<Tab>,
    action: String,
    cancel_href: String,
    name: String,
    expires: String,
    groups: Vec<ScopeGroup>,
    errors: Errors,
}

fn render_form(
    ctx: &Ctx,
    who: &Principal,
    status: StatusCode,
    form: Option<&Fields>,
    errors: Errors,
) -> Response {
    let checked = form.map(|f| f.all("scope")).unwrap_or_default();
    let page = TokenFormPage {
        ui: Ui::new(ctx, "profile-title"),
        tabs: tabs(ctx, who, "/tokens"),
        action: list_path(ctx),
        cancel_href: list_path(ctx),
        name: form.map(|f| f.get("name").to_owned()).unwrap_or_default(),
        expires: form
            .map(|f| f.get("expires_in_days").to_owned())
            .unwrap_or_default(),
        groups: scope_groups(who, ctx.tr.locale(), &checked),
        errors,
    };
    render::page(ctx, status, &page)
}

/// `GET /…/profile/tokens/new`.
pub async fn new_form(Signed { ctx, who }: Signed) -> Response {
    render_form(&ctx, &who, StatusCode::OK, None, Errors::default())
}

#[derive(Template)]
#[template(path = "token_created.html")]
pub struct TokenCreatedPage {
    ui: Ui,
    tabs: Vec<Tab>,
    name: String,
    secret: String,
    list_href: String,
}

/// `POST /…/profile/tokens`: issues the token and shows its secret once.
pub async fn create(Signed { ctx, who }: Signed, form: Fields) -> Response {
    let expires = form.get("expires_in_days").trim();
    let expires_in_days = if expires.is_empty() {
        None
    } else if let Ok(days) = expires.parse::<u32>() {
        Some(days)
    } else {
        let mut errors = Errors::default();
        errors.push("expires_in_days", ctx.tr.error(ErrorCode::NotANumber));
        return render_form(
            &ctx,
            &who,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&form),
            errors,
        );
    };
    let scope = form.all("scope");
    let input = NewToken {
        name: form.get("name").to_owned(),
        scope: (!scope.is_empty()).then_some(scope),
        expires_in_days,
    };
    match ctx.app.create_token(&who, input).await {
        Ok(issued) => {
            let page = TokenCreatedPage {
                ui: Ui::new(&ctx, "profile-title").with_flash("success", "token-created"),
                tabs: tabs(&ctx, &who, "/tokens"),
                name: issued.token.name,
                secret: issued.secret,
                list_href: list_path(&ctx),
            };
            render::page(&ctx, StatusCode::CREATED, &page)
        }
        Err(AppError::Invalid(invalid)) => {
            let errors = Errors::from_invalid(ctx.tr, &invalid);
            render_form(
                &ctx,
                &who,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&form),
                errors,
            )
        }
        Err(e) => error::fail(&ctx, e),
    }
}

/// `POST /…/profile/tokens/{id}/revoke`. Another user's token is "not found".
pub async fn revoke(Signed { ctx, who }: Signed, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<ApiTokenId>() else {
        return error::fail(&ctx, AppError::NotFound { what: "token" });
    };
    match ctx.app.revoke_token(&who, id).await {
        Ok(()) => see_other(&format!("{}?revoked=1", list_path(&ctx))),
        Err(e) => error::fail(&ctx, e),
    }
}
