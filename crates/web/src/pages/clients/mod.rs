//! Clients → Clients (card, users, payers, groups, providers, history), client groups,
//! providers, companies and currencies; the client area's registration, users and payers;
//! and "log in as client" with its way back.
//!
//! Every page here is a handler over one use case of `bursar_app`, rendered through a few
//! shared templates (`templates/clients/`): a form page, a list page, a confirmation page
//! and the client card's tabs. Pages built from the same display models (`view`) cannot
//! drift apart in how they show a field's error or an empty list. After a successful post
//! the browser is sent on with `?done=…`, which the next page shows as a one-line message.
//!
//! Users and payers have one implementation for both panels: staff reach them from the
//! card (`/admin/clients/{id}/users`), a client's users in the client area
//! (`/client/users`); the use case decides what each may do and answers "not found" for
//! another client's records.

mod card;
mod create;
mod directory;
mod discounts;
mod finance;
mod groups;
pub(crate) mod impersonation;
mod payers;
mod products;
mod promotions;
mod quotes;
mod rates;
mod register;
mod scope;
mod taxes;
mod users;
mod view;

pub use impersonation::{Banner, banner};

use crate::Routes;
use crate::ctx::Ctx;
use crate::form::Params;
use crate::layout::{Flash, Ui};
use crate::url::with_query;
use askama::Template;
use bursar_app::ports::{Page, ProviderRecord, StaffFilter};
use bursar_app::{AppError, Principal};
use bursar_domain::functions::f;
use view::{FormView, Head, Link, Opt, Table};

/// The client-management routes.
pub(crate) fn routes(r: Routes) -> Routes {
    let r = client_card_routes(r);
    let r = finance::routes(r);
    let r = products::routes(r);
    let r = quotes::routes(r);
    let r = discounts::routes(r);
    let r = promotions::routes(r);
    let r = taxes::routes(r);
    let r = rates::routes(r);
    let r = directory_routes(r);
    client_area_routes(r)
}

fn client_card_routes(r: Routes) -> Routes {
    r.get("/admin/clients/new", f::CLIENT_CREATE, create::show)
        .post("/admin/clients/new", f::CLIENT_CREATE, create::submit)
        .get("/admin/clients/{id}", f::CLIENT_LIST, card::show)
        .get(
            "/admin/clients/{id}/services",
            f::CLIENT_LIST,
            card::services,
        )
        .get("/admin/clients/{id}/groups", f::CLIENT_LIST, card::groups)
        .post(
            "/admin/clients/{id}/groups",
            f::CLIENT_GROUPS,
            card::set_groups,
        )
        .get(
            "/admin/clients/{id}/providers",
            f::CLIENT_LIST,
            card::providers,
        )
        .post(
            "/admin/clients/{id}/providers",
            f::CLIENT_PROVIDERS,
            card::set_provider,
        )
        .get(
            "/admin/clients/{id}/history",
            f::CLIENT_HISTORY,
            card::history,
        )
        .get("/admin/clients/{id}/edit", f::CLIENT_EDIT, card::edit_show)
        .post("/admin/clients/{id}/edit", f::CLIENT_EDIT, card::edit_save)
        .get(
            "/admin/clients/{id}/message",
            f::CLIENT_MESSAGE,
            card::message_show,
        )
        .post(
            "/admin/clients/{id}/message",
            f::CLIENT_MESSAGE,
            card::message_send,
        )
        .get("/admin/clients/{id}/export", f::CLIENT_EXPORT, card::export)
        .get(
            "/admin/clients/{id}/delete",
            f::CLIENT_DELETE,
            card::delete_show,
        )
        .post("/admin/clients/{id}/delete", f::CLIENT_DELETE, card::delete)
        .get(
            "/admin/clients/{id}/clear-data",
            f::CLIENT_CLEAR_DATA,
            card::clear_show,
        )
        .post(
            "/admin/clients/{id}/clear-data",
            f::CLIENT_CLEAR_DATA,
            card::clear,
        )
        .post(
            "/admin/clients/{id}/login-as",
            f::CLIENT_LOGIN_AS,
            impersonation::start,
        )
        .get(
            "/admin/clients/{id}/users",
            f::CLIENT_USERS,
            users::staff_list,
        )
        .get(
            "/admin/clients/{id}/users/new",
            f::CLIENT_USERS,
            users::staff_new,
        )
        .post(
            "/admin/clients/{id}/users/new",
            f::CLIENT_USERS,
            users::staff_create,
        )
        .get(
            "/admin/clients/{id}/users/{user}",
            f::CLIENT_USERS,
            users::staff_edit,
        )
        .post(
            "/admin/clients/{id}/users/{user}",
            f::CLIENT_USERS,
            users::staff_save,
        )
        .get(
            "/admin/clients/{id}/users/{user}/delete",
            f::CLIENT_USERS,
            users::staff_delete_show,
        )
        .post(
            "/admin/clients/{id}/users/{user}/delete",
            f::CLIENT_USERS,
            users::staff_delete,
        )
        .get(
            "/admin/clients/{id}/payers",
            f::CLIENT_PAYERS,
            payers::staff_list,
        )
        .get(
            "/admin/clients/{id}/payers/new",
            f::CLIENT_PAYERS,
            payers::staff_new,
        )
        .post(
            "/admin/clients/{id}/payers/new",
            f::CLIENT_PAYERS,
            payers::staff_create,
        )
        .get(
            "/admin/clients/{id}/payers/{payer}",
            f::CLIENT_PAYERS,
            payers::staff_edit,
        )
        .post(
            "/admin/clients/{id}/payers/{payer}",
            f::CLIENT_PAYERS,
            payers::staff_save,
        )
        .get(
            "/admin/clients/{id}/payers/{payer}/delete",
            f::CLIENT_PAYERS,
            payers::staff_delete_show,
        )
        .post(
            "/admin/clients/{id}/payers/{payer}/delete",
            f::CLIENT_PAYERS,
            payers::staff_delete,
        )
}

fn directory_routes(r: Routes) -> Routes {
    r.get("/admin/client-groups", f::CLIENT_GROUP_LIST, groups::list)
        .get(
            "/admin/client-groups/new",
            f::CLIENT_GROUP_EDIT,
            groups::new,
        )
        .post(
            "/admin/client-groups/new",
            f::CLIENT_GROUP_EDIT,
            groups::create,
        )
        .get(
            "/admin/client-groups/{id}",
            f::CLIENT_GROUP_EDIT,
            groups::edit,
        )
        .post(
            "/admin/client-groups/{id}",
            f::CLIENT_GROUP_EDIT,
            groups::save,
        )
        .get(
            "/admin/client-groups/{id}/delete",
            f::CLIENT_GROUP_EDIT,
            groups::delete_show,
        )
        .post(
            "/admin/client-groups/{id}/delete",
            f::CLIENT_GROUP_EDIT,
            groups::delete,
        )
        .get("/admin/providers", f::PROVIDER_LIST, directory::providers)
        .get(
            "/admin/providers/new",
            f::PROVIDER_EDIT,
            directory::provider_new,
        )
        .post(
            "/admin/providers/new",
            f::PROVIDER_EDIT,
            directory::provider_create,
        )
        .get(
            "/admin/providers/{id}",
            f::PROVIDER_EDIT,
            directory::provider_edit,
        )
        .post(
            "/admin/providers/{id}",
            f::PROVIDER_EDIT,
            directory::provider_save,
        )
        .get(
            "/admin/providers/{id}/delete",
            f::PROVIDER_EDIT,
            directory::provider_delete_show,
        )
        .post(
            "/admin/providers/{id}/delete",
            f::PROVIDER_EDIT,
            directory::provider_delete,
        )
        .get("/admin/companies", f::COMPANY_LIST, directory::companies)
        .get(
            "/admin/companies/new",
            f::COMPANY_EDIT,
            directory::company_new,
        )
        .post(
            "/admin/companies/new",
            f::COMPANY_EDIT,
            directory::company_create,
        )
        .get(
            "/admin/companies/{id}",
            f::COMPANY_EDIT,
            directory::company_edit,
        )
        .post(
            "/admin/companies/{id}",
            f::COMPANY_EDIT,
            directory::company_save,
        )
        .get(
            "/admin/companies/{id}/delete",
            f::COMPANY_EDIT,
            directory::company_delete_show,
        )
        .post(
            "/admin/companies/{id}/delete",
            f::COMPANY_EDIT,
            directory::company_delete,
        )
        .get("/admin/currencies", f::CURRENCY_LIST, directory::currencies)
        .post(
            "/admin/currencies/{code}",
            f::CURRENCY_EDIT,
            directory::currency_switch,
        )
}

fn client_area_routes(r: Routes) -> Routes {
    r.get("/client/register", f::CLIENT_REGISTER, register::show)
        .post("/client/register", f::CLIENT_REGISTER, register::submit)
        .post(impersonation::END_PATH, f::AUTH_LOGOUT, impersonation::end)
        .get("/client/users", f::ACCOUNT_USERS, users::own_list)
        .get("/client/users/new", f::ACCOUNT_USERS, users::own_new)
        .post("/client/users/new", f::ACCOUNT_USERS, users::own_create)
        .get("/client/users/{user}", f::ACCOUNT_USERS, users::own_edit)
        .post("/client/users/{user}", f::ACCOUNT_USERS, users::own_save)
        .get(
            "/client/users/{user}/delete",
            f::ACCOUNT_USERS,
            users::own_delete_show,
        )
        .post(
            "/client/users/{user}/delete",
            f::ACCOUNT_USERS,
            users::own_delete,
        )
        .get("/client/payers", f::ACCOUNT_PAYERS, payers::own_list)
        .get("/client/payers/new", f::ACCOUNT_PAYERS, payers::own_new)
        .post("/client/payers/new", f::ACCOUNT_PAYERS, payers::own_create)
        .get(
            "/client/payers/{payer}",
            f::ACCOUNT_PAYERS,
            payers::own_edit,
        )
        .post(
            "/client/payers/{payer}",
            f::ACCOUNT_PAYERS,
            payers::own_save,
        )
        .get(
            "/client/payers/{payer}/delete",
            f::ACCOUNT_PAYERS,
            payers::own_delete_show,
        )
        .post(
            "/client/payers/{payer}/delete",
            f::ACCOUNT_PAYERS,
            payers::own_delete,
        )
}

/// A form page: the heading (or the client card's header) and one form.
#[derive(Template)]
#[template(path = "clients/form.html")]
pub struct FormPage {
    pub ui: Ui,
    pub head: Head,
    pub form: FormView,
}

/// The search box of a list.
pub struct Search {
    pub action: String,
    pub label: String,
    pub value: String,
}

/// A list page: the heading, an optional titled card with an "Add" button, a table.
#[derive(Template)]
#[template(path = "clients/list.html")]
pub struct ListPage {
    pub ui: Ui,
    pub head: Head,
    pub title: Option<String>,
    pub add: Option<Link>,
    pub intro: Option<String>,
    pub search: Option<Search>,
    pub table: Table,
}

/// What the previous post did, carried to the next page as `?done=…` and shown there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Saved,
    Created,
    Deleted,
    Cleared,
    MessageSent,
    Back,
}

impl Done {
    const ALL: [Done; 6] = [
        Done::Saved,
        Done::Created,
        Done::Deleted,
        Done::Cleared,
        Done::MessageSent,
        Done::Back,
    ];

    fn code(self) -> &'static str {
        match self {
            Done::Saved => "saved",
            Done::Created => "created",
            Done::Deleted => "deleted",
            Done::Cleared => "cleared",
            Done::MessageSent => "message-sent",
            Done::Back => "back",
        }
    }

    /// `path?done=…`.
    pub fn link(self, path: &str) -> String {
        with_query(path, &[("done", self.code())])
    }

    pub fn read(params: &Params) -> Option<Done> {
        let code = params.get("done");
        Done::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The page's layout with the message of `?done=…`, if any.
    pub fn flash(ui: Ui, params: &Params) -> Ui {
        Done::apply(Done::read(params), ui)
    }

    pub fn apply(done: Option<Done>, ui: Ui) -> Ui {
        match done {
            Some(d) => ui.with_flash("success", &format!("cl-done-{}", d.code())),
            None => ui,
        }
    }
}

/// The layout with an error message at the top, when there is one.
pub fn with_error(mut ui: Ui, error: Option<String>) -> Ui {
    if let Some(text) = error {
        ui.flash = Some(Flash {
            kind: "error",
            text,
        });
    }
    ui
}

/// The employees to choose "staff member" from: all active ones for whoever may list
/// staff, else the current choice and the user themself. `known` is the current choice
/// with its login, kept even when it is not in the list (a disabled employee).
pub async fn staff_options(
    ctx: &Ctx,
    who: &Principal,
    selected: &str,
    known: Option<(String, String)>,
    optional: bool,
) -> Vec<Opt> {
    let mut people: Vec<(String, String)> = Vec::new();
    if who.may(f::STAFF_LIST) {
        let filter = StaffFilter {
            active: Some(true),
            ..StaffFilter::default()
        };
        if let Ok(paged) = ctx
            .app
            .list_staff(who, filter, Page::new(Some(1), Some(Page::MAX_SIZE)))
            .await
        {
            people.extend(paged.items.into_iter().map(|s| {
                (
                    s.user.id.to_string(),
                    format!("{} ({})", s.user.name, s.user.login),
                )
            }));
        }
    }
    let me = (
        who.user.id.to_string(),
        format!("{} ({})", who.user.name, who.user.login),
    );
    for extra in known.into_iter().chain(std::iter::once(me)) {
        if !people.iter().any(|(id, _)| *id == extra.0) {
            people.push(extra);
        }
    }
    let mut out = Vec::new();
    if optional {
        out.push(Opt::new(
            "",
            ctx.tr.t("cl-value-not-set"),
            selected.is_empty(),
        ));
    }
    out.extend(
        people
            .into_iter()
            .map(|(id, label)| Opt::new(id.clone(), label, id == selected)),
    );
    out
}

/// The providers a form offers: the full list for whoever may see it, else those open to
/// registration (today the same list; the names are not secret).
pub async fn provider_choices(
    ctx: &Ctx,
    who: Option<&Principal>,
) -> Result<Vec<ProviderRecord>, AppError> {
    match who {
        Some(who) if who.may(f::PROVIDER_LIST) => ctx.app.list_providers(who).await,
        _ => ctx.app.registration_providers().await,
    }
}
