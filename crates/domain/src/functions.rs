//! The function registry: every action of the product is a named *function* placed in a
//! section tree, as in BILLmanager (Clients → Orders → Create order). This one static list
//! drives route guards, panel menus and buttons, the API document (each operation names its
//! function) and history entries, so none of those can drift from the others.
//!
//! Invariants (checked by tests): keys are unique, every function's section exists, every
//! section's parent exists, and every name has an English and a Russian text.

use crate::access::Audience;
use serde::Serialize;

/// A node of the section tree (Clients, Clients → Orders, …).
#[derive(Debug, Serialize)]
pub struct Section {
    pub key: &'static str,
    pub parent: Option<&'static str>,
    pub name_en: &'static str,
    pub name_ru: &'static str,
}

/// One named action.
#[derive(Debug, Serialize)]
pub struct Function {
    pub key: &'static str,
    pub section: &'static str,
    pub name_en: &'static str,
    pub name_ru: &'static str,
    pub audience: Audience,
}

/// A function's key, as stored in grants and history.
pub type FunctionKey = &'static str;

/// Declares the registry: one typed constant per function in [`f`] and the list
/// [`FUNCTIONS`] built from the same lines, so code names a function by its constant and a
/// key outside the registry cannot compile.
macro_rules! registry {
    ($($name:ident = ($key:literal, $section:literal, $aud:ident, $en:literal, $ru:literal);)*) => {
        /// Every function of the registry as a constant (`f::CLIENT_EDIT` is `client.edit`).
        pub mod f {
            use super::{Audience, Function};
            $(
                #[doc = $en]
                pub const $name: &Function = &Function {
                    key: $key,
                    section: $section,
                    name_en: $en,
                    name_ru: $ru,
                    audience: Audience::$aud,
                };
            )*
        }

        /// The registry, in the order of the permission screens.
        pub static FUNCTIONS: &[&Function] = &[$(f::$name),*];
    };
}

#[rustfmt::skip]
pub static SECTIONS: &[Section] = &[
    Section { key: "system", parent: None, name_en: "System", name_ru: "Система" },
    Section { key: "session", parent: None, name_en: "Session", name_ru: "Сеанс" },
    Section { key: "profile", parent: None, name_en: "My profile", name_ru: "Мой профиль" },
    Section { key: "dashboard", parent: None, name_en: "Dashboard", name_ru: "Главная" },
    Section { key: "clients", parent: None, name_en: "Clients", name_ru: "Клиенты" },
    Section { key: "clients.clients", parent: Some("clients"), name_en: "Clients", name_ru: "Клиенты" },
    Section { key: "clients.orders", parent: Some("clients"), name_en: "Orders", name_ru: "Заказы" },
    Section { key: "clients.users", parent: Some("clients"), name_en: "Users and payers", name_ru: "Пользователи и плательщики" },
    Section { key: "clients.groups", parent: Some("clients"), name_en: "Client groups", name_ru: "Группы клиентов" },
    Section { key: "provider", parent: None, name_en: "Provider", name_ru: "Провайдер" },
    Section { key: "provider.staff", parent: Some("provider"), name_en: "Staff", name_ru: "Сотрудники" },
    Section { key: "provider.departments", parent: Some("provider"), name_en: "Departments", name_ru: "Отделы" },
    Section { key: "provider.providers", parent: Some("provider"), name_en: "Providers", name_ru: "Провайдеры" },
    Section { key: "provider.companies", parent: Some("provider"), name_en: "Companies", name_ru: "Компании" },
    Section { key: "finance", parent: None, name_en: "Finance", name_ru: "Финансы" },
    Section { key: "finance.accounts", parent: Some("finance"), name_en: "Personal accounts", name_ru: "Лицевые счета" },
    Section { key: "finance.payments", parent: Some("finance"), name_en: "Payments", name_ru: "Платежи" },
    Section { key: "finance.expenses", parent: Some("finance"), name_en: "Expenses", name_ru: "Расходы" },
    Section { key: "finance.methods", parent: Some("finance"), name_en: "Payment methods", name_ru: "Способы оплаты" },
    Section { key: "products", parent: None, name_en: "Products", name_ru: "Продукты" },
    Section { key: "directories", parent: None, name_en: "Directories", name_ru: "Справочники" },
    Section { key: "directories.currencies", parent: Some("directories"), name_en: "Currencies", name_ru: "Валюты" },
    Section { key: "directories.rates", parent: Some("directories"), name_en: "Exchange rates", name_ru: "Курсы валют" },
    Section { key: "marketing", parent: None, name_en: "Marketing", name_ru: "Маркетинг" },
    Section { key: "marketing.discounts", parent: Some("marketing"), name_en: "Personal discounts", name_ru: "Персональные скидки" },
    Section { key: "marketing.promotions", parent: Some("marketing"), name_en: "Promotions", name_ru: "Акции" },
    Section { key: "finance.taxes", parent: Some("finance"), name_en: "Taxes", name_ru: "Налоги" },
    Section { key: "finance.quotes", parent: Some("finance"), name_en: "Quotes", name_ru: "Расчёт стоимости" },
    Section { key: "account", parent: None, name_en: "My account", name_ru: "Моя учётная запись" },
    Section { key: "tools", parent: None, name_en: "Tools", name_ru: "Инструменты" },
    Section { key: "tools.history", parent: Some("tools"), name_en: "History", name_ru: "История" },
];

#[rustfmt::skip]
registry! {
    SYSTEM_HEALTH = ("system.health", "system", Public, "Health and readiness probes", "Проверки работоспособности");
    SYSTEM_API_DOCS = ("system.api_docs", "system", Public, "API document and browser", "Описание API и просмотрщик");
    SYSTEM_ASSETS = ("system.assets", "system", Public, "Static assets", "Статические файлы");
    SYSTEM_FUNCTIONS = ("system.functions", "system", Anyone, "View the function registry", "Просмотр реестра функций");
    SYSTEM_INSTALL = ("system.install", "system", System, "Installation", "Установка");
    SYSTEM_CLI = ("system.cli", "system", System, "Operator command line", "Командная строка оператора");
    SYSTEM_JOBS = ("system.jobs", "system", System, "Background jobs (mail delivery)", "Фоновые задания (отправка почты)");
    AUTH_LOGIN = ("auth.login", "session", Public, "Sign in", "Вход");
    CLIENT_REGISTER = ("client.register", "session", Public, "Register as a client", "Регистрация клиента");
    AUTH_PASSWORD_RESET = ("auth.password_reset", "session", Public, "Reset a forgotten password by e-mail", "Сброс забытого пароля по e-mail");
    AUTH_LOGOUT = ("auth.logout", "session", Anyone, "Sign out", "Выход");
    UI_LANGUAGE = ("ui.language", "session", Public, "Switch the interface language", "Переключение языка интерфейса");
    UI_HOME = ("ui.home", "session", Public, "Start page: send a visitor to their panel", "Стартовая страница: переход в свою панель");
    UI_NOT_FOUND = ("ui.not_found", "system", Public, "Page-not-found answer of the panels", "Ответ панелей «страница не найдена»");
    PROFILE_VIEW = ("profile.view", "profile", Anyone, "View own profile", "Просмотр своего профиля");
    PROFILE_LANGUAGE = ("profile.language", "profile", Anyone, "Save own interface language", "Сохранение своего языка интерфейса");
    PROFILE_PASSWORD = ("profile.password", "profile", Anyone, "Change own password", "Смена своего пароля");
    PROFILE_TOKENS = ("profile.tokens", "profile", Anyone, "Manage own API tokens", "Управление своими API-токенами");
    PROFILE_HISTORY = ("profile.history", "profile", Anyone, "History of own account", "История своей учётной записи");
    DASHBOARD_STAFF = ("dashboard.staff", "dashboard", Staff, "Staff panel dashboard", "Главная панели сотрудника");
    DASHBOARD_CLIENT = ("dashboard.client", "dashboard", Client, "Client area dashboard", "Главная личного кабинета");
    ACCOUNT_USERS = ("account.users", "account", Client, "Users and their rights", "Пользователи и их права");
    ACCOUNT_PAYERS = ("account.payers", "account", Client, "Payers", "Плательщики");
    ACCOUNT_FINANCES = ("account.finances", "account", Client, "Finances: payments, expenses, documents", "Финансы: платежи, расходы, документы");
    ACCOUNT_ORDERING = ("account.ordering", "account", Client, "Ordering services", "Заказ услуг");
    ACCOUNT_SERVICES = ("account.services", "account", Client, "Managing services", "Управление услугами");
    ACCOUNT_SUPPORT = ("account.support", "account", Client, "Support requests", "Обращения в поддержку");
    CLIENT_LIST = ("client.list", "clients.clients", Staff, "Client list and client card", "Список клиентов и карточка клиента");
    CLIENT_CREATE = ("client.create", "clients.clients", Staff, "Add client", "Добавление клиента");
    CLIENT_EDIT = ("client.edit", "clients.clients", Staff, "Edit client", "Изменение клиента");
    CLIENT_DELETE = ("client.delete", "clients.clients", Staff, "Delete client", "Удаление клиента");
    CLIENT_CLEAR_DATA = ("client.clear_data", "clients.clients", Staff, "Clear client data (GDPR)", "Очистка данных клиента (GDPR)");
    CLIENT_EXPORT = ("client.export", "clients.clients", Staff, "Export client's personal data", "Выгрузка персональных данных клиента");
    CLIENT_HISTORY = ("client.history", "clients.clients", Staff, "Client history", "История клиента");
    CLIENT_PROVIDERS = ("client.providers", "clients.clients", Staff, "Connect client to providers", "Подключение клиента к провайдерам");
    CLIENT_GROUPS = ("client.groups", "clients.clients", Staff, "Put client in groups", "Включение клиента в группы");
    CLIENT_MESSAGE = ("client.message", "clients.clients", Staff, "Send a message to the client", "Отправка сообщения клиенту");
    CLIENT_LOGIN_AS = ("client.login_as", "clients.clients", Staff, "Log in as client", "Вход от имени клиента");
    CLIENT_USERS = ("client.users", "clients.users", Staff, "Client's users", "Пользователи клиента");
    CLIENT_PAYERS = ("client.payers", "clients.users", Staff, "Client's payers", "Плательщики клиента");
    CLIENT_GROUP_LIST = ("client_group.list", "clients.groups", Staff, "Client group list", "Список групп клиентов");
    CLIENT_GROUP_EDIT = ("client_group.edit", "clients.groups", Staff, "Add, edit and delete client groups", "Добавление, изменение и удаление групп клиентов");
    CLIENT_ORDER_HISTORY = ("client.order.history", "clients.orders", Staff, "Order history", "История заказов");
    CLIENT_ORDER_DETAILS = ("client.order.details", "clients.orders", Staff, "Order details", "Подробности заказа");
    CLIENT_ORDER_CREATE = ("client.order.create", "clients.orders", Staff, "Create order (new order or from cart)", "Создание заказа (новый заказ или из корзины)");
    CLIENT_ORDER_PRINT_INVOICE = ("client.order.print_invoice", "clients.orders", Staff, "Print invoice", "Печать счёта");
    STAFF_LIST = ("staff.list", "provider.staff", Staff, "Staff list", "Список сотрудников");
    STAFF_CREATE = ("staff.create", "provider.staff", Staff, "Add employee", "Добавление сотрудника");
    STAFF_EDIT = ("staff.edit", "provider.staff", Staff, "Edit, disable and enable employees", "Изменение, отключение и включение сотрудников");
    STAFF_DELETE = ("staff.delete", "provider.staff", Staff, "Delete employee", "Удаление сотрудника");
    STAFF_PERMISSIONS = ("staff.permissions", "provider.staff", Staff, "Employee permissions", "Права сотрудника");
    DEPARTMENT_LIST = ("department.list", "provider.departments", Staff, "Department list", "Список отделов");
    DEPARTMENT_CREATE = ("department.create", "provider.departments", Staff, "Add department", "Добавление отдела");
    DEPARTMENT_EDIT = ("department.edit", "provider.departments", Staff, "Edit department", "Изменение отдела");
    DEPARTMENT_DELETE = ("department.delete", "provider.departments", Staff, "Delete department", "Удаление отдела");
    DEPARTMENT_PERMISSIONS = ("department.permissions", "provider.departments", Staff, "Department permissions", "Права отдела");
    PROVIDER_LIST = ("provider.list", "provider.providers", Staff, "Provider list", "Список провайдеров");
    PROVIDER_EDIT = ("provider.edit", "provider.providers", Staff, "Add, edit and delete providers", "Добавление, изменение и удаление провайдеров");
    COMPANY_LIST = ("company.list", "provider.companies", Staff, "Company list", "Список компаний");
    COMPANY_EDIT = ("company.edit", "provider.companies", Staff, "Add, edit and delete companies", "Добавление, изменение и удаление компаний");
    CURRENCY_LIST = ("currency.list", "directories.currencies", Staff, "Currency directory", "Справочник валют");
    CURRENCY_EDIT = ("currency.edit", "directories.currencies", Staff, "Enable and disable currencies", "Включение и отключение валют");
    PERSONAL_ACCOUNT_VIEW = ("personal_account.view", "finance.accounts", Staff, "View personal accounts, their ledger and withdrawals", "Просмотр лицевых счетов, их проводок и выводов средств");
    PERSONAL_ACCOUNT_CREATE = ("personal_account.create", "finance.accounts", Staff, "Add a personal account", "Добавление лицевого счёта");
    PERSONAL_ACCOUNT_EDIT = ("personal_account.edit", "finance.accounts", Staff, "Edit a personal account (credit, grace, active)", "Изменение лицевого счёта (кредит, отсрочка, активность)");
    PERSONAL_ACCOUNT_HISTORY = ("personal_account.history", "finance.accounts", Staff, "Personal account history", "История лицевого счёта");
    WITHDRAWAL_CREATE = ("withdrawal.create", "finance.accounts", Staff, "Withdraw money from a personal account", "Вывод средств с лицевого счёта");
    PAYMENT_LIST = ("payment.list", "finance.payments", Staff, "Payments: list, detail, breakdown and history", "Платежи: список, детали, распределение и история");
    PAYMENT_CREATE = ("payment.create", "finance.payments", Staff, "Add a payment (issue an invoice)", "Добавление платежа (выставление счёта)");
    PAYMENT_EDIT = ("payment.edit", "finance.payments", Staff, "Edit a new payment", "Изменение нового платежа");
    PAYMENT_DELETE = ("payment.delete", "finance.payments", Staff, "Delete a new payment", "Удаление нового платежа");
    PAYMENT_CREDIT = ("payment.credit", "finance.payments", Staff, "Credit a payment to the account", "Зачисление платежа на лицевой счёт");
    PAYMENT_REFUND = ("payment.refund", "finance.payments", Staff, "Refund a payment", "Возврат платежа");
    PAYMENT_SEND = ("payment.send", "finance.payments", Staff, "Send the invoice by e-mail", "Отправка счёта по e-mail");
    PAYMENT_PRINT = ("payment.print", "finance.payments", Staff, "Print the invoice and download its PDF", "Печать счёта и загрузка PDF");
    EXPENSE_LIST = ("expense.list", "finance.expenses", Staff, "Expenses: list and the payments that covered them", "Расходы: список и покрывшие их платежи");
    EXPENSE_CREATE = ("expense.create", "finance.expenses", Staff, "Add an expense", "Добавление расхода");
    EXPENSE_EDIT = ("expense.edit", "finance.expenses", Staff, "Edit an expense", "Изменение расхода");
    EXPENSE_DELETE = ("expense.delete", "finance.expenses", Staff, "Delete an expense", "Удаление расхода");
    PAYMENT_METHOD_LIST = ("payment_method.list", "finance.methods", Staff, "Payment method list", "Список способов оплаты");
    PAYMENT_METHOD_EDIT = ("payment_method.edit", "finance.methods", Staff, "Add, edit and delete payment methods", "Добавление, изменение и удаление способов оплаты");
    CATALOG_VIEW = ("catalog.view", "products", Staff, "View the catalog: product types, tariff plans, add-ons, enumerations, the price list", "Просмотр каталога: типы продуктов, тарифы, дополнения, перечисления, прайс-лист");
    CATALOG_EDIT = ("catalog.edit", "products", Staff, "Edit the catalog: product types, tariff plans, prices, add-ons, enumerations", "Изменение каталога: типы продуктов, тарифы, цены, дополнения, перечисления");
    CATALOG_MODULES = ("catalog.modules", "products", Staff, "Processing modules: configure and check connection", "Модули обработки: настройка и проверка соединения");
    CATALOG_PRICE_LIST = ("catalog.price_list", "system", Public, "Public price list", "Публичный прайс-лист");
    RATE_VIEW = ("rate.view", "directories.rates", Staff, "View exchange rates: the directory, client groups' and clients' own rates", "Просмотр курсов валют: справочник, курсы групп и личные курсы клиентов");
    RATE_EDIT = ("rate.edit", "directories.rates", Staff, "Add, edit and delete exchange rates, derive them by expression", "Добавление, изменение и удаление курсов валют, расчёт по выражению");
    DISCOUNT_VIEW = ("discount.view", "marketing.discounts", Staff, "View clients' personal discounts", "Просмотр персональных скидок клиентов");
    DISCOUNT_EDIT = ("discount.edit", "marketing.discounts", Staff, "Add, edit and delete personal discounts", "Добавление, изменение и удаление персональных скидок");
    PROMOTION_VIEW = ("promotion.view", "marketing.promotions", Staff, "View promotions, their conditions and promo codes", "Просмотр акций, их условий и промокодов");
    PROMOTION_EDIT = ("promotion.edit", "marketing.promotions", Staff, "Add, edit and delete promotions, conditions and promo codes", "Добавление, изменение и удаление акций, условий и промокодов");
    TAX_VIEW = ("tax.view", "finance.taxes", Staff, "View tax settings and rules of providers, groups and clients", "Просмотр налоговых настроек и правил провайдеров, групп и клиентов");
    TAX_EDIT = ("tax.edit", "finance.taxes", Staff, "Edit tax settings, add, edit and delete tax rules", "Изменение налоговых настроек, добавление, изменение и удаление налоговых правил");
    QUOTE_CREATE = ("quote.create", "finance.quotes", Staff, "Price a plan for a client (a quote)", "Расчёт стоимости тарифа для клиента");
    HISTORY_VIEW = ("history.view", "tools.history", Staff, "View the history of all records", "Просмотр истории всех записей");
}

/// Looks a function up by key.
pub fn find(key: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().copied().find(|f| f.key == key)
}

/// Looks a section up by key.
pub fn section(key: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.key == key)
}

/// Whether `section` is `ancestor` or lies beneath it.
pub fn section_within(section: &str, ancestor: &str) -> bool {
    let mut current = Some(section);
    while let Some(key) = current {
        if key == ancestor {
            return true;
        }
        current = self::section(key).and_then(|s| s.parent);
    }
    false
}

/// The functions of `audience` under a section key (recursively), or the one function named
/// `key`; `None` when `key` names neither. Lets a permission screen enable a whole section.
pub fn expand(key: &str, audience: Audience) -> Option<Vec<&'static Function>> {
    if let Some(f) = find(key) {
        return Some(vec![f]);
    }
    section(key)?;
    Some(
        FUNCTIONS
            .iter()
            .copied()
            .filter(|f| f.audience == audience && section_within(f.section, key))
            .collect(),
    )
}

impl Function {
    pub fn name(&self, locale: crate::Locale) -> &'static str {
        match locale {
            crate::Locale::En => self.name_en,
            crate::Locale::Ru => self.name_ru,
        }
    }

    /// Functions that can be granted to a department, an employee, a client user or a token,
    /// as opposed to public ones and those every signed-in user holds.
    pub fn is_grantable(&self) -> bool {
        matches!(self.audience, Audience::Staff | Audience::Client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn a_section_expands_to_its_functions_recursively() {
        let keys = |k: &str| {
            expand(k, Audience::Staff).map(|fs| fs.iter().map(|f| f.key).collect::<Vec<_>>())
        };
        assert_eq!(
            keys("client.order.create"),
            Some(vec!["client.order.create"])
        );
        let clients = keys("clients").unwrap_or_default();
        assert!(
            clients.contains(&"client.list") && clients.contains(&"client.order.print_invoice")
        );
        assert!(!clients.contains(&"staff.list"));
        assert_eq!(keys("nothing"), None);
    }

    #[test]
    fn keys_are_unique_and_sections_exist() {
        let mut seen = HashSet::new();
        for f in FUNCTIONS {
            assert!(seen.insert(f.key), "duplicate function {}", f.key);
            assert!(
                section(f.section).is_some(),
                "{} has unknown section",
                f.key
            );
            assert!(!f.name_en.is_empty() && !f.name_ru.is_empty());
        }
        let mut sections = HashSet::new();
        for s in SECTIONS {
            assert!(sections.insert(s.key), "duplicate section {}", s.key);
            assert!(
                find(s.key).is_none(),
                "section {} shadows a function",
                s.key
            );
            if let Some(p) = s.parent {
                assert!(section(p).is_some(), "{} has unknown parent", s.key);
            }
        }
    }
}
