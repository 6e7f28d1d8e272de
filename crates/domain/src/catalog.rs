//! The catalog's rules (seed 003, reference §1.3 and §1.7): billing periods, add-on billing
//! types, service parameters and how their values are checked, and the consistency of an
//! add-on's limits. Pure, so the API, the panels and orders judge a plan the same way.

use crate::{ErrorCode, Invalid};
use serde::Serialize;

/// A period a plan can be ordered for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A free trial of the plan's trial days.
    Trial,
    Day,
    Month1,
    Month3,
    Month6,
    Month12,
    Month24,
    Month36,
    /// Paid once.
    Lifetime,
}

impl Period {
    pub const ALL: [Period; 9] = [
        Period::Trial,
        Period::Day,
        Period::Month1,
        Period::Month3,
        Period::Month6,
        Period::Month12,
        Period::Month24,
        Period::Month36,
        Period::Lifetime,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Period::Trial => "trial",
            Period::Day => "day",
            Period::Month1 => "month1",
            Period::Month3 => "month3",
            Period::Month6 => "month6",
            Period::Month12 => "month12",
            Period::Month24 => "month24",
            Period::Month36 => "month36",
            Period::Lifetime => "lifetime",
        }
    }

    pub fn parse(s: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.key() == s)
    }
}

/// How an add-on (a tariff detail) is billed, as in BILLmanager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AddonBilling {
    /// Included, not shown on the order form, cannot be changed.
    None,
    /// An integer with a unit: included amount, min, max, step, a price per unit beyond.
    Order,
    /// One option of an enumeration, each with its own price.
    Choice,
    /// Included, or extra at a price.
    Boolean,
    /// Usage beyond the included amount, priced per unit (metered with services).
    Statistics,
}

impl AddonBilling {
    pub const ALL: [AddonBilling; 5] = [
        AddonBilling::None,
        AddonBilling::Order,
        AddonBilling::Choice,
        AddonBilling::Boolean,
        AddonBilling::Statistics,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AddonBilling::None => "none",
            AddonBilling::Order => "order",
            AddonBilling::Choice => "choice",
            AddonBilling::Boolean => "boolean",
            AddonBilling::Statistics => "statistics",
        }
    }

    pub fn parse(s: &str) -> Option<AddonBilling> {
        AddonBilling::ALL.into_iter().find(|p| p.key() == s)
    }
}

/// The limits of an add-on billed on order: `min ≤ included ≤ max`, a positive step, and
/// every limit on the step's grid from `min`. Each broken rule names its field.
pub fn check_limits(included: i64, min: i64, max: i64, step: i64) -> Result<(), Invalid> {
    let mut invalid = Invalid::default();
    if min < 0 {
        invalid.push("min", ErrorCode::OutOfRange, "must not be negative");
    }
    if step <= 0 {
        invalid.push("step", ErrorCode::OutOfRange, "must be more than zero");
    }
    if max < included {
        invalid.push(
            "max",
            ErrorCode::OutOfRange,
            "must not be below the included amount",
        );
    }
    if included < min {
        invalid.push(
            "included",
            ErrorCode::OutOfRange,
            "must not be below the minimum",
        );
    }
    if step > 0 && (max - min) % step != 0 {
        invalid.push(
            "step",
            ErrorCode::OutOfRange,
            "must divide the range from the minimum to the maximum",
        );
    }
    invalid.into_result()
}

/// What kind of value a service parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    Text,
    Password,
    Domain,
    /// One value of an enumeration.
    Choice,
}

impl ParamKind {
    pub const ALL: [ParamKind; 4] = [
        ParamKind::Text,
        ParamKind::Password,
        ParamKind::Domain,
        ParamKind::Choice,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ParamKind::Text => "text",
            ParamKind::Password => "password",
            ParamKind::Domain => "domain",
            ParamKind::Choice => "choice",
        }
    }

    pub fn parse(s: &str) -> Option<ParamKind> {
        ParamKind::ALL.into_iter().find(|p| p.key() == s)
    }
}

/// Whether a domain name is one: 1–253 characters of dot-separated labels of letters,
/// digits and inner hyphens (1–63 each), at least two labels, the last not all digits.
/// Internationalised names are given in their `xn--` form.
pub fn is_domain_name(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = s.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| !tld.bytes().all(|b| b.is_ascii_digit()))
}

/// A parameter's validation pattern, compiled to check it (an empty pattern is none).
pub fn compile_pattern(field: &str, pattern: &str) -> Result<Option<regex::Regex>, Invalid> {
    if pattern.is_empty() {
        return Ok(None);
    }
    if pattern.chars().count() > 500 {
        return Err(Invalid::field(
            field,
            ErrorCode::TooLong,
            "must have at most 500 characters",
        ));
    }
    regex::Regex::new(&format!("^(?:{pattern})$"))
        .map(Some)
        .map_err(|_| Invalid::field(field, ErrorCode::InvalidPattern, "is not a valid pattern"))
}

/// A service parameter's value checked against the parameter: its length, its pattern, a
/// domain name for a domain, one of `choices` for a choice.
pub fn check_param_value(
    field: &str,
    kind: ParamKind,
    value: &str,
    min_length: usize,
    max_length: usize,
    pattern: Option<&regex::Regex>,
    choices: &[String],
) -> Result<(), Invalid> {
    let n = value.chars().count();
    if n < min_length {
        return Err(Invalid::field(
            field,
            ErrorCode::TooShort,
            format!("must have at least {min_length} characters"),
        ));
    }
    if n > max_length {
        return Err(Invalid::field(
            field,
            ErrorCode::TooLong,
            format!("must have at most {max_length} characters"),
        ));
    }
    match kind {
        ParamKind::Domain if !is_domain_name(value) => {
            return Err(Invalid::field(
                field,
                ErrorCode::InvalidDomain,
                "must be a domain name such as example.com",
            ));
        }
        ParamKind::Choice if !choices.iter().any(|c| c == value) => {
            return Err(Invalid::field(
                field,
                ErrorCode::Invalid,
                "must be one of the choices",
            ));
        }
        _ => {}
    }
    if let Some(re) = pattern
        && !re.is_match(value)
    {
        return Err(Invalid::field(
            field,
            ErrorCode::PatternMismatch,
            "does not have the required form",
        ));
    }
    Ok(())
}

/// An internal name (a product type's, a parameter's, an add-on's key): 1–64 lowercase
/// letters, digits, `_` and `-`, starting with a letter.
pub fn parse_key(field: &str, raw: &str) -> Result<String, Invalid> {
    let v = raw.trim();
    let ok = !v.is_empty()
        && v.len() <= 64
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok {
        Ok(v.to_owned())
    } else {
        Err(Invalid::field(
            field,
            ErrorCode::InvalidKey,
            "must be 1 to 64 lowercase letters, digits, _ or -, starting with a letter",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(r: Result<(), Invalid>) -> Vec<(String, ErrorCode)> {
        r.err()
            .map(|e| e.0.into_iter().map(|f| (f.field, f.code)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn periods_and_billing_types_round_trip() {
        for p in Period::ALL {
            assert_eq!(Period::parse(p.key()), Some(p));
        }
        for b in AddonBilling::ALL {
            assert_eq!(AddonBilling::parse(b.key()), Some(b));
        }
        for k in ParamKind::ALL {
            assert_eq!(ParamKind::parse(k.key()), Some(k));
        }
        assert_eq!(Period::parse("week"), None);
    }

    #[test]
    fn add_on_limits_name_the_broken_field() {
        assert!(check_limits(1, 1, 16, 1).is_ok());
        assert_eq!(
            code(check_limits(8, 1, 4, 1)),
            vec![("max".to_owned(), ErrorCode::OutOfRange)]
        );
        assert_eq!(
            code(check_limits(0, 1, 4, 1)),
            vec![("included".to_owned(), ErrorCode::OutOfRange)]
        );
        assert_eq!(
            code(check_limits(2, 2, 10, 0)),
            vec![("step".to_owned(), ErrorCode::OutOfRange)]
        );
        assert_eq!(
            code(check_limits(2, 2, 9, 2)),
            vec![("step".to_owned(), ErrorCode::OutOfRange)]
        );
    }

    #[test]
    fn domain_names_are_checked_as_domain_names() {
        for good in [
            "example.com",
            "a.b.example.co.uk",
            "xn--80ak6aa92e.com",
            "my-site.org.",
        ] {
            assert!(is_domain_name(good), "{good}");
        }
        for bad in [
            "",
            "localhost",
            "-a.com",
            "a-.com",
            "a..com",
            "exa mple.com",
            "1.2.3.4",
            "пример.рф",
        ] {
            assert!(!is_domain_name(bad), "{bad}");
        }
    }

    #[test]
    fn values_meet_length_pattern_kind_and_choices() {
        let re = compile_pattern("pattern", "[a-z]+").ok().flatten();
        let check = |kind, v: &str| {
            check_param_value("v", kind, v, 2, 10, re.as_ref(), &["debian".to_owned()])
        };
        assert!(check(ParamKind::Text, "abc").is_ok());
        assert_eq!(
            code(check(ParamKind::Text, "a")),
            vec![("v".to_owned(), ErrorCode::TooShort)]
        );
        assert_eq!(
            code(check(ParamKind::Text, "ABC")),
            vec![("v".to_owned(), ErrorCode::PatternMismatch)]
        );
        assert_eq!(
            code(check(ParamKind::Domain, "abc")),
            vec![("v".to_owned(), ErrorCode::InvalidDomain)]
        );
        assert_eq!(
            code(check(ParamKind::Choice, "ubuntu")),
            vec![("v".to_owned(), ErrorCode::Invalid)]
        );
        assert!(compile_pattern("pattern", "(unclosed").is_err());
        assert!(parse_key("key", "vps-ram_2").is_ok());
        assert!(parse_key("key", "2vps").is_err() && parse_key("key", "VPS").is_err());
    }

    proptest! {
        #[test]
        fn valid_limits_stay_on_their_grid(min in 0i64..100, steps in 0i64..50, step in 1i64..10, at in 0i64..50) {
            let max = min + steps * step;
            let included = min + (at.min(steps)) * step;
            prop_assert!(check_limits(included, min, max, step).is_ok());
        }
    }
}
