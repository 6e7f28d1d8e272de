//! The base layout's data ([`Ui`], reached in templates as `ui`): header, language switch,
//! sign-out button, flash message, and the navigation menu.
//!
//! The menu is built from the function registry, not written in a template: each entry
//! names the function that opens its page, is shown only when the user may use it, and takes
//! its label from the registry's section names (already in English and Russian), grouped
//! under the parent section when there is one (Tools → History). A page a user cannot open
//! therefore never appears in their menu.

use crate::assets;
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::panel::{Panel, start_of};
use bursar_app::Principal;
use bursar_app::ports::UserRecord;
use bursar_domain::Locale;
use bursar_domain::functions::{self, Function, Section, f};
use fluent_bundle::FluentValue;

/// One menu entry: the page and the function that opens it.
struct Entry {
    panel: Panel,
    function: &'static Function,
    href: &'static str,
}

const MENU: &[Entry] = &[
    Entry {
        panel: Panel::Admin,
        function: f::DASHBOARD_STAFF,
        href: "/admin",
    },
    Entry {
        panel: Panel::Admin,
        function: f::PROFILE_VIEW,
        href: "/admin/profile",
    },
    Entry {
        panel: Panel::Admin,
        function: f::CLIENT_LIST,
        href: "/admin/clients",
    },
    Entry {
        panel: Panel::Admin,
        function: f::CLIENT_GROUP_LIST,
        href: "/admin/client-groups",
    },
    Entry {
        panel: Panel::Admin,
        function: f::PAYMENT_LIST,
        href: "/admin/payments",
    },
    Entry {
        panel: Panel::Admin,
        function: f::EXPENSE_LIST,
        href: "/admin/expenses",
    },
    Entry {
        panel: Panel::Admin,
        function: f::TAX_VIEW,
        href: "/admin/taxes",
    },
    Entry {
        panel: Panel::Admin,
        function: f::PAYMENT_METHOD_LIST,
        href: "/admin/payment-methods",
    },
    Entry {
        panel: Panel::Admin,
        function: f::QUOTE_CREATE,
        href: "/admin/quotes",
    },
    Entry {
        panel: Panel::Admin,
        function: f::CATALOG_VIEW,
        href: "/admin/tariffs",
    },
    Entry {
        panel: Panel::Admin,
        function: f::PROMOTION_VIEW,
        href: "/admin/promotions",
    },
    Entry {
        panel: Panel::Admin,
        function: f::STAFF_LIST,
        href: "/admin/staff",
    },
    Entry {
        panel: Panel::Admin,
        function: f::DEPARTMENT_LIST,
        href: "/admin/departments",
    },
    Entry {
        panel: Panel::Admin,
        function: f::PROVIDER_LIST,
        href: "/admin/providers",
    },
    Entry {
        panel: Panel::Admin,
        function: f::COMPANY_LIST,
        href: "/admin/companies",
    },
    Entry {
        panel: Panel::Admin,
        function: f::CURRENCY_LIST,
        href: "/admin/currencies",
    },
    Entry {
        panel: Panel::Admin,
        function: f::RATE_VIEW,
        href: "/admin/currency-rates",
    },
    Entry {
        panel: Panel::Admin,
        function: f::HISTORY_VIEW,
        href: "/admin/history",
    },
    Entry {
        panel: Panel::Client,
        function: f::DASHBOARD_CLIENT,
        href: "/client",
    },
    Entry {
        panel: Panel::Client,
        function: f::PROFILE_VIEW,
        href: "/client/profile",
    },
    Entry {
        panel: Panel::Client,
        function: f::ACCOUNT_FINANCES,
        href: "/client/payments",
    },
    Entry {
        panel: Panel::Client,
        function: f::ACCOUNT_USERS,
        href: "/client/users",
    },
    Entry {
        panel: Panel::Client,
        function: f::ACCOUNT_PAYERS,
        href: "/client/payers",
    },
];

pub struct MenuGroup {
    pub heading: Option<String>,
    pub items: Vec<MenuItem>,
}

pub struct MenuItem {
    pub href: &'static str,
    pub label: String,
    pub active: bool,
}

pub struct UserBadge {
    pub name: String,
    pub login: String,
    pub initial: String,
    /// The user's own avatar, when they have one.
    pub avatar: Option<String>,
}

pub struct LangChoice {
    pub code: &'static str,
    pub label: String,
    pub current: bool,
}

/// A one-line message at the top of the page ("Password changed").
pub struct Flash {
    /// `success`, `info` or `error` (a CSS class).
    pub kind: &'static str,
    pub text: String,
}

pub struct Ui {
    tr: Tr,
    pub lang: &'static str,
    pub panel: &'static str,
    pub area: String,
    pub home: &'static str,
    pub title: String,
    pub user: Option<UserBadge>,
    pub menu: Vec<MenuGroup>,
    pub csrf: String,
    pub back: String,
    pub lang_switch: bool,
    pub languages: Vec<LangChoice>,
    pub logout: &'static str,
    pub css: String,
    pub htmx: String,
    pub favicon: String,
    pub flash: Option<Flash>,
    /// Shown while an employee works in the client area as the client.
    pub impersonation: Option<crate::pages::clients::Banner>,
    /// The top bar's client search (number, e-mail, login, name): staff pages of holders
    /// of `client.list` only, since it submits to the client list.
    pub quick_search: bool,
}

impl Ui {
    /// The layout of a page of `ctx`'s panel titled by the message `title_id`.
    pub fn new(ctx: &Ctx, title_id: &str) -> Ui {
        let mut ui = Ui::bare(ctx.tr, ctx.panel, title_id);
        ui.lang_switch = true;
        ui.csrf = ctx.csrf.clone();
        ui.back = ctx.here.clone();
        if let Some(who) = &ctx.principal {
            let path = ctx.here.split('?').next().unwrap_or_default();
            ui.menu = menu(who, ctx.panel, path, ctx.tr.locale());
            ui.user = Some(badge(who, ctx.tr.locale()));
            ui.home = start_of(who);
            ui.impersonation = crate::pages::clients::banner(ctx.tr, who);
            ui.quick_search = ctx.panel == Panel::Admin && who.may(f::CLIENT_LIST);
            if let Some(banner) = &ui.impersonation {
                // Signing out while working as a client goes back to the staff panel.
                ui.logout = banner.action;
            }
        }
        ui
    }

    /// The layout without a user, menu or forms: error pages rendered before any handler ran.
    pub fn bare(tr: Tr, panel: Panel, title_id: &str) -> Ui {
        let current = tr.locale();
        Ui {
            tr,
            lang: current.code(),
            panel: panel.slug(),
            area: tr.t(match panel {
                Panel::Admin => "area-admin",
                Panel::Client => "area-client",
            }),
            home: "/",
            title: tr.t(title_id),
            user: None,
            menu: Vec::new(),
            csrf: String::new(),
            back: String::new(),
            lang_switch: false,
            languages: Locale::ALL
                .iter()
                .map(|l| LangChoice {
                    code: l.code(),
                    label: tr.t(&format!("language-{}", l.code())),
                    current: *l == current,
                })
                .collect(),
            logout: panel.logout(),
            css: assets::css_url(),
            htmx: assets::htmx_url(),
            favicon: assets::favicon_url(),
            flash: None,
            impersonation: None,
            quick_search: false,
        }
    }

    pub fn with_flash(mut self, kind: &'static str, text_id: &str) -> Ui {
        self.flash = Some(Flash {
            kind,
            text: self.tr.t(text_id),
        });
        self
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }

    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        self.tr.t1(id, name, FluentValue::from(value))
    }
}

/// A user's name for the reader: the Russian one to a Russian reader when the user has one
/// (the administrator is "Администратор"), else the name.
pub fn user_name(user: &UserRecord, locale: Locale) -> String {
    match (locale, &user.name_ru) {
        (Locale::Ru, Some(ru)) if !ru.trim().is_empty() => ru.clone(),
        _ => user.name.to_string(),
    }
}

fn badge(who: &Principal, locale: Locale) -> UserBadge {
    let name = user_name(&who.user, locale);
    UserBadge {
        initial: name
            .chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default(),
        login: who.user.login.to_string(),
        avatar: who.has_avatar.then(|| "/admin/profile/avatar".to_owned()),
        name,
    }
}

fn section_name(section: &Section, locale: Locale) -> &'static str {
    match locale {
        Locale::En => section.name_en,
        Locale::Ru => section.name_ru,
    }
}

/// The menu of `panel` for `who`, with the entry of `path` marked active.
fn menu(who: &Principal, panel: Panel, path: &str, locale: Locale) -> Vec<MenuGroup> {
    let mut groups: Vec<MenuGroup> = Vec::new();
    for entry in MENU
        .iter()
        .filter(|e| e.panel == panel && who.may(e.function))
    {
        let Some(section) = functions::section(entry.function.section) else {
            continue;
        };
        let heading = section
            .parent
            .and_then(functions::section)
            .map(|p| section_name(p, locale).to_owned());
        let active = path == entry.href
            || (entry.href != panel.base() && path.starts_with(&format!("{}/", entry.href)));
        // Pages of one section (My account → Users, Payers) are told apart by function.
        let shared = MENU
            .iter()
            .filter(|e| e.panel == panel)
            .map(|e| e.function)
            .filter(|f| f.section == section.key)
            .count()
            > 1;
        let label = if shared {
            entry.function.name(locale)
        } else {
            section_name(section, locale)
        };
        let item = MenuItem {
            href: entry.href,
            label: label.to_owned(),
            active,
        };
        match groups.last_mut() {
            Some(last) if last.heading == heading => last.items.push(item),
            _ => groups.push(MenuGroup {
                heading,
                items: vec![item],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_menu_entry_names_a_function_of_its_panel() {
        for entry in MENU {
            assert!(functions::section(entry.function.section).is_some());
            assert_eq!(
                Panel::of_path(entry.href),
                Some(entry.panel),
                "{}",
                entry.href
            );
        }
    }
}
