//! The schemas of values a body or query carries as a string but the server accepts only
//! from a closed list (a language, a payer kind, a function key, …), and of the strings
//! whose shape a domain type checks (a login, a password, an e-mail that may be cleared).
//!
//! Bodies keep such values as `String`s and the use cases parse them, so a wrong value is
//! refused exactly as before: a 422 `validation_failed` whose field error carries the
//! specific code (`unsupported_locale`, `invalid_payer_kind`, `unknown_function`, …) and is
//! reported together with the other fields' errors. A serde enum would refuse it earlier,
//! alone and with a generic code. These types exist only for the document (`#[schema(
//! value_type = …)]`), and every list is built from the domain's own, so the document
//! cannot drift from what the server accepts.

use super::clients::{CLIENT_SORTS, CLIENT_STATUSES};
use bursar_domain::Locale;
use bursar_domain::access::Audience;
use bursar_domain::clients::{Characteristic, PayerKind};
use bursar_domain::departments::WEEKDAYS;
use bursar_domain::functions::{self, FUNCTIONS, SECTIONS};
use bursar_domain::identity::{Email, Login, NewPassword};
use std::borrow::Cow;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};
use utoipa::{PartialSchema, ToSchema};

/// A string schema allowing exactly `values`.
fn one_of_strings<'a>(
    description: &str,
    values: impl IntoIterator<Item = &'a str>,
) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values.into_iter().map(str::to_owned)))
        .into()
}

/// Declares a documentation-only schema type named `$name` built by `$schema`.
macro_rules! value_schema {
    ($(#[$doc:meta])* $name:ident => $schema:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

value_schema! {
    /// An interface language.
    LocaleCode => one_of_strings(
        "An interface language.",
        Locale::ALL.iter().map(|l| l.code()),
    )
}

value_schema! {
    /// Who a payer is.
    PayerKindCode => one_of_strings(
        "What the payer is: a person, a company, or a sole proprietor.",
        PayerKind::ALL.iter().map(|k| k.code()),
    )
}

value_schema! {
    /// The provider's opinion of a client.
    CharacteristicCode => one_of_strings(
        "The provider's opinion of the client.",
        Characteristic::ALL.iter().map(|c| c.code()),
    )
}

value_schema! {
    /// A value of the client list's status filter.
    ClientStatusCode => one_of_strings(
        "`active`: the client has an active service; `inactive`: it has none.",
        CLIENT_STATUSES.iter().map(|(key, _)| *key),
    )
}

value_schema! {
    /// An order of the client list.
    ClientSortKey => one_of_strings(
        "The order of the list: newest or oldest registration first, or by name or e-mail.",
        CLIENT_SORTS.iter().map(|(key, _)| *key),
    )
}

value_schema! {
    /// A day of the week of a schedule.
    WeekdayCode => one_of_strings("A day of the week.", WEEKDAYS)
}

value_schema! {
    /// Any function of the registry (`GET /api/v1/functions`).
    FunctionKey => one_of_strings(
        "A function of the registry (`GET /api/v1/functions`).",
        FUNCTIONS.iter().map(|f| f.key),
    )
}

value_schema! {
    /// A function a client user can hold.
    ClientFunctionKey => one_of_strings(
        "A client function, which a client user can hold.",
        FUNCTIONS
            .iter()
            .filter(|f| f.audience == Audience::Client)
            .map(|f| f.key),
    )
}

value_schema! {
    /// What a department or an employee can be granted: a staff function, or a section with
    /// staff functions in it (meaning all of them).
    GrantKey => one_of_strings(
        "A staff function, or a section with staff functions in it (meaning all of them).",
        SECTIONS
            .iter()
            .map(|s| s.key)
            .filter(|k| {
                functions::expand(k, Audience::Staff).is_some_and(|fs| !fs.is_empty())
            })
            .chain(
                FUNCTIONS
                    .iter()
                    .filter(|f| f.audience == Audience::Staff)
                    .map(|f| f.key),
            ),
    )
}

/// A login's characters (any case: it is stored lower-case).
pub const LOGIN_PATTERN: &str = "^[A-Za-z0-9._@+-]+$";

value_schema! {
    /// A new sign-in name.
    LoginText => ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "A sign-in name: 3 to 64 of the characters a-z, 0-9 and `. _ - @ +`, stored \
             lower-case (`Admin` and `admin` are one account).",
        ))
        .min_length(Some(3))
        .max_length(Some(Login::MAX))
        .pattern(Some(LOGIN_PATTERN))
        .into()
}

/// A new password's rule as a pattern: a letter and a digit, in either order.
pub const PASSWORD_PATTERN: &str = r"\p{Alphabetic}[\s\S]*[0-9]|[0-9][\s\S]*\p{Alphabetic}";

value_schema! {
    /// A new password.
    PasswordText => ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
        .description(Some(format!(
            "A new password: {} (`weak_password` otherwise).",
            NewPassword::RULE
        )))
        .min_length(Some(NewPassword::MIN))
        .max_length(Some(NewPassword::MAX))
        .pattern(Some(PASSWORD_PATTERN))
        .into()
}

fn email() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .max_length(Some(Email::MAX))
}

value_schema! {
    /// An e-mail address.
    EmailText => email()
        .description(Some("An e-mail address, stored lower-case."))
        .min_length(Some(3))
        .into()
}

value_schema! {
    /// An e-mail address, or an empty string for none.
    EmailOrEmpty => OneOfBuilder::new()
        .description(Some("An e-mail address, or an empty string for none."))
        .item(email().min_length(Some(3)))
        .item(ObjectBuilder::new().schema_type(Type::String).max_length(Some(0)))
        .into()
}

value_schema! {
    /// A client's, company's or payer's country.
    CountryCode => ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("An ISO 3166-1 alpha-2 country code such as `DE` (any case)."))
        .min_length(Some(2))
        .max_length(Some(2))
        .pattern(Some("^[A-Za-z]{2}$"))
        .into()
}

value_schema! {
    /// A currency of the directory.
    CurrencyCode => ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "An ISO 4217 currency code such as `EUR` (any case), enabled in Directories → \
             Currencies.",
        ))
        .min_length(Some(3))
        .max_length(Some(3))
        .pattern(Some("^[A-Za-z]{3}$"))
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<T: PartialSchema>() -> Vec<String> {
        let json = serde_json::to_value(T::schema()).unwrap_or_default();
        json.get("enum")
            .and_then(|e| e.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn the_lists_are_the_domains_own() {
        assert_eq!(values::<LocaleCode>(), ["en", "ru"]);
        assert_eq!(
            values::<PayerKindCode>(),
            ["person", "company", "sole_proprietor"]
        );
        assert_eq!(
            values::<CharacteristicCode>(),
            ["common", "good", "problematic"]
        );
        assert_eq!(values::<ClientStatusCode>(), ["active", "inactive"]);
        assert_eq!(
            values::<ClientSortKey>(),
            ["newest", "oldest", "name", "email"]
        );
        assert_eq!(values::<FunctionKey>().len(), FUNCTIONS.len());
        let client = values::<ClientFunctionKey>();
        assert!(client.iter().any(|k| k == "account.payers"));
        assert!(!client.iter().any(|k| k == "client.edit"));
        let grants = values::<GrantKey>();
        assert!(grants.iter().any(|k| k == "clients") && grants.iter().any(|k| k == "client.edit"));
        assert!(!grants.iter().any(|k| k == "account.payers"));
    }
}
