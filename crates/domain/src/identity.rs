//! Who signs in: logins, e-mail addresses, display names and the password strength rule.
//! Each type can only be built through its parser, so the rest of the code never re-checks.

use crate::ErrorCode;
use crate::validation::Invalid;
use serde::{Serialize, Serializer};
use std::fmt;

/// A sign-in name: 3 to 64 characters of `a-z 0-9 . _ - @ +`, stored lower-case so that
/// `Admin` and `admin` are one account. An e-mail address is a valid login (clients sign in
/// with their e-mail when the provider does not ask for a login).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Login(String);

impl Login {
    pub const MAX: usize = 64;

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(Invalid::field(field, ErrorCode::Required, "is required"));
        }
        if value.chars().count() < 3 {
            return Err(Invalid::field(
                field,
                ErrorCode::TooShort,
                "must have at least 3 characters",
            ));
        }
        if value.chars().count() > Self::MAX {
            return Err(Invalid::field(
                field,
                ErrorCode::TooLong,
                "must have at most 64 characters",
            ));
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || "._-@+".contains(c);
        if !value.chars().all(allowed) {
            return Err(Invalid::field(
                field,
                ErrorCode::InvalidLogin,
                "may contain only latin letters, digits and . _ - @ +",
            ));
        }
        Ok(Self(value))
    }

    /// The login of a client who signs in with their e-mail address (the provider asks for no
    /// login): any valid address, whatever its length or characters.
    pub fn of_email(email: &Email) -> Self {
        Self(email.as_str().to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, trimmed and lower-cased: it is also a sign-in name, and `Anna@x.org`
/// and `anna@x.org` must not be two accounts (no mail provider in use treats them apart).
/// The check is deliberately structural (one `@`, a dotted domain, no spaces): only
/// delivery proves an address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(Invalid::field(field, ErrorCode::Required, "is required"));
        }
        let bad = || {
            Invalid::field(
                field,
                ErrorCode::InvalidEmail,
                "is not a valid e-mail address",
            )
        };
        if value.len() > Self::MAX {
            return Err(Invalid::field(
                field,
                ErrorCode::TooLong,
                "must have at most 254 characters",
            ));
        }
        let (local, domain) = value.split_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c == '@' || c.is_control());
        if !domain_ok || !local_ok {
            return Err(bad());
        }
        Ok(Self(value.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's or organisation's display name: trimmed, 1 to 200 characters, no control
/// characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX: usize = 200;

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(Invalid::field(field, ErrorCode::Required, "is required"));
        }
        if value.chars().count() > Self::MAX {
            return Err(Invalid::field(
                field,
                ErrorCode::TooLong,
                "must have at most 200 characters",
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(Invalid::field(
                field,
                ErrorCode::InvalidCharacters,
                "must not contain control characters",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that passed the strength rule: 10 to 128 characters, at least one letter
/// and one digit, and not the login itself. Never printed, never serialised.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;
    pub const RULE: &'static str = "must have 10 to 128 characters, at least one letter and one digit, and differ from the login";

    pub fn parse(field: &str, raw: &str, login: Option<&str>) -> Result<Self, Invalid> {
        if raw.is_empty() {
            return Err(Invalid::field(field, ErrorCode::Required, "is required"));
        }
        let n = raw.chars().count();
        let weak = || Invalid::field(field, ErrorCode::WeakPassword, Self::RULE);
        if !(Self::MIN..=Self::MAX).contains(&n) {
            return Err(weak());
        }
        let has_letter = raw.chars().any(char::is_alphabetic);
        let has_digit = raw.chars().any(|c| c.is_ascii_digit());
        let is_login = login.is_some_and(|l| l.eq_ignore_ascii_case(raw));
        if !has_letter || !has_digit || is_login {
            return Err(weak());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

macro_rules! string_impls {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl $t {
            /// Rebuilds a value read back from storage, where it was stored already valid.
            pub fn from_trusted(value: String) -> Self {
                Self(value)
            }
        }
    )*};
}
string_impls!(Login, Email, DisplayName);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn logins_are_case_insensitive_and_restricted() {
        assert_eq!(
            Login::parse("login", " Admin ").map(|l| l.0),
            Ok("admin".to_owned())
        );
        assert!(Login::parse("login", "ab").is_err());
        assert!(Login::parse("login", "a b c").is_err());
        assert!(Login::parse("login", "jane@example.com").is_ok());
    }

    #[test]
    fn emails_need_a_dotted_domain() {
        assert!(Email::parse("email", "jane@example.com").is_ok());
        assert!(Email::parse("email", "jane@localhost").is_err());
        assert!(Email::parse("email", "jane example.com").is_err());
        assert!(Email::parse("email", "@example.com").is_err());
        assert_eq!(
            Email::parse("email", "Jane@EXAMPLE.com").map(|e| e.0),
            Ok("jane@example.com".to_owned())
        );
    }

    #[test]
    fn weak_passwords_are_refused_with_the_rule() {
        for weak in ["short1", "onlyletters", "1234567890", "admin12345"] {
            let err = NewPassword::parse("password", weak, Some("admin12345"));
            assert!(err.is_err(), "{weak} should be weak");
        }
        assert!(NewPassword::parse("password", "correct horse 9", Some("admin")).is_ok());
    }

    #[test]
    fn an_empty_required_field_says_required_not_malformed() {
        let code = |r: Result<(), Invalid>| r.err().and_then(|e| e.0.first().map(|f| f.code));
        assert_eq!(
            code(Login::parse("login", " ").map(drop)),
            Some(ErrorCode::Required)
        );
        assert_eq!(
            code(Email::parse("email", "").map(drop)),
            Some(ErrorCode::Required)
        );
        assert_eq!(
            code(NewPassword::parse("password", "", None).map(drop)),
            Some(ErrorCode::Required)
        );
    }

    proptest! {
        #[test]
        fn parsed_logins_always_satisfy_the_rule(raw in "\\PC{0,80}") {
            if let Ok(login) = Login::parse("login", &raw) {
                let n = login.as_str().chars().count();
                prop_assert!((3..=Login::MAX).contains(&n));
                prop_assert_eq!(login.as_str().to_lowercase(), login.as_str());
            }
        }

        #[test]
        fn parsing_an_email_is_idempotent(raw in "[a-zA-Z0-9._+-]{1,20}@[a-zA-Z0-9-]{1,10}\\.[a-z]{2,5}") {
            let once = Email::parse("email", &raw);
            prop_assert!(once.is_ok());
            if let Ok(once) = once {
                let twice = Email::parse("email", once.as_str());
                prop_assert_eq!(twice, Ok(once));
            }
        }
    }
}
