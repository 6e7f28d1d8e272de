//! Changing who holds which staff function, shared by department and employee permission
//! screens. Keys may name functions or whole sections. The rule against escalation lives
//! here: nobody grants or removes a function they do not hold themselves, and a caller
//! using a scoped API token holds only what the token's scope allows.

use crate::Principal;
use crate::error::AppError;
use bursar_domain::ErrorCode;
use bursar_domain::Invalid;
use bursar_domain::access::Audience;
use bursar_domain::functions::{self, Function};
use bursar_domain::history::Changes;
use std::collections::{BTreeMap, BTreeSet};

/// A requested change: keys (functions or sections) to enable and to disable.
#[derive(Clone, Debug, Default)]
pub struct GrantChange {
    pub enable: Vec<String>,
    pub disable: Vec<String>,
}

/// The functions a change resolves to, after validation.
pub struct Resolved {
    pub enable: BTreeSet<&'static str>,
    pub disable: BTreeSet<&'static str>,
}

/// Expands keys to staff functions; unknown keys and non-staff functions are a 422 naming
/// them; functions the caller does not hold are refused (403).
pub fn resolve(who: &Principal, change: &GrantChange) -> Result<Resolved, AppError> {
    let mut invalid = Invalid::default();
    let mut expand = |field: &str, keys: &[String]| -> BTreeMap<&'static str, &'static Function> {
        let mut out = BTreeMap::new();
        let mut unknown = Vec::new();
        let mut foreign = Vec::new();
        for key in keys {
            match functions::expand(key, Audience::Staff) {
                None => unknown.push(key.as_str()),
                Some(fs) if fs.is_empty() => foreign.push(key.as_str()),
                Some(fs) => {
                    for f in fs {
                        if f.audience == Audience::Staff {
                            out.insert(f.key, f);
                        } else {
                            foreign.push(f.key);
                        }
                    }
                }
            }
        }
        if !unknown.is_empty() {
            invalid.push(
                field,
                ErrorCode::UnknownFunction,
                format!("unknown functions or sections: {}", unknown.join(", ")),
            );
        }
        if !foreign.is_empty() {
            invalid.push(
                field,
                ErrorCode::NotAStaffFunction,
                format!("not grantable to staff: {}", foreign.join(", ")),
            );
        }
        out
    };
    let enable = expand("enable", &change.enable);
    let disable = expand("disable", &change.disable);
    invalid.into_result()?;
    let unheld: Vec<&str> = enable
        .values()
        .chain(disable.values())
        .filter(|f| !who.may_grant(f))
        .map(|f| f.key)
        .collect();
    if !unheld.is_empty() {
        return Err(AppError::refused(
            ErrorCode::CannotGrantUnheldFunction,
            format!(
                "you cannot grant or remove functions you do not hold: {}",
                unheld.join(", ")
            ),
        ));
    }
    let enable: BTreeSet<&'static str> = enable.into_keys().collect();
    let disable: BTreeSet<&'static str> = disable
        .into_keys()
        .filter(|k| !enable.contains(k))
        .collect();
    Ok(Resolved { enable, disable })
}

/// History changes for a grant set going from `before` to `after`: one field per function.
pub fn changes(before: &BTreeSet<String>, after: &BTreeSet<String>) -> Changes {
    let mut c = Changes::default();
    for added in after.difference(before) {
        c = c.diff(&format!("function:{added}"), &"off", &"on");
    }
    for removed in before.difference(after) {
        c = c.diff(&format!("function:{removed}"), &"on", &"off");
    }
    c
}
