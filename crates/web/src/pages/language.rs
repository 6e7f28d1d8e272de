//! The language switch in every page's header. It works signed out (the choice lives in the
//! `bursar_lang` cookie) and signed in (it is also saved to the user's account, so it
//! follows them to another browser); either way the user comes back to the page they were on.

use crate::ctx::Ctx;
use crate::form::Fields;
use crate::pages::error;
use crate::panel::{Panel, local_path};
use crate::render::{see_other, with_cookie};
use axum::response::Response;
use bursar_app::AppError;
use bursar_domain::ErrorCode;
use bursar_domain::Locale;
use bursar_domain::functions::f;
use bursar_http::cookies;

const ONE_YEAR_SECS: i64 = 365 * 24 * 3600;

/// `POST /language` with `lang` (`en`, `ru`) and `back` (a local path).
pub async fn switch(ctx: Ctx, form: Fields) -> Response {
    let Ok(locale) = form.get("lang").parse::<Locale>() else {
        let e = AppError::invalid(
            "lang",
            ErrorCode::UnknownLanguage,
            "is not a language of the panels",
        );
        return error::fail(&ctx, e);
    };
    if let Some(who) = &ctx.principal
        && who.may(f::PROFILE_LANGUAGE)
        && let Err(e) = ctx.app.set_locale(who, locale).await
    {
        return error::fail(&ctx, e);
    }
    let cookie = cookies::set(
        cookies::LANG,
        locale.code(),
        Some(ONE_YEAR_SECS),
        ctx.cfg.secure_cookies,
    );
    let back = local_path(form.get("back")).unwrap_or("/");
    let back = if ctx.principal.is_none() {
        chosen_on_sign_in(back, locale)
    } else {
        back.to_owned()
    };
    with_cookie(see_other(&back), &cookie)
}

/// A sign-in page the visitor came back to, marked with the language they chose there
/// (`?lang=ru`): the page sends it with the sign-in form, and signing in saves it to the
/// account, so a choice made on purpose wins over the account's saved language. The cookie
/// alone does not, since it may be left from someone else's session in this browser.
fn chosen_on_sign_in(back: &str, locale: Locale) -> String {
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    if ![Panel::Admin, Panel::Client]
        .iter()
        .any(|p| p.login() == path)
    {
        return back.to_owned();
    }
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let lang = format!("lang={}", locale.code());
    pairs.push(&lang);
    format!("{path}?{}", pairs.join("&"))
}
