//! Client card fields with rules (seed 004): the label (one tag), the characteristic, the
//! payer kind, free-text fields with limits, and the words a client is found by.

use crate::ErrorCode;
use crate::numbers::ClientNumber;
use crate::validation::Invalid;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// How the provider rates a client; shown in tickets and quality control.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Characteristic {
    #[default]
    Common,
    Good,
    Problematic,
}

impl Characteristic {
    pub const ALL: [Characteristic; 3] = [
        Characteristic::Common,
        Characteristic::Good,
        Characteristic::Problematic,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Characteristic::Common => "common",
            Characteristic::Good => "good",
            Characteristic::Problematic => "problematic",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        raw.parse().map_err(|()| {
            Invalid::field(
                field,
                ErrorCode::InvalidCharacteristic,
                "must be one of: common, good, problematic",
            )
        })
    }
}

impl FromStr for Characteristic {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Characteristic::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or(())
    }
}

impl fmt::Display for Characteristic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Who a payer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayerKind {
    Person,
    Company,
    SoleProprietor,
}

impl PayerKind {
    pub const ALL: [PayerKind; 3] = [
        PayerKind::Person,
        PayerKind::Company,
        PayerKind::SoleProprietor,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PayerKind::Person => "person",
            PayerKind::Company => "company",
            PayerKind::SoleProprietor => "sole_proprietor",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        raw.parse().map_err(|()| {
            Invalid::field(
                field,
                ErrorCode::InvalidPayerKind,
                "must be one of: person, company, sole_proprietor",
            )
        })
    }
}

impl FromStr for PayerKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PayerKind::ALL.into_iter().find(|c| c.code() == s).ok_or(())
    }
}

/// The client label: one tag, 1 to 40 characters of letters, digits, `-`, `_`, no spaces.
pub fn parse_label(field: &str, raw: &str) -> Result<Option<String>, Invalid> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let ok = v.chars().count() <= 40
        && v.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if ok {
        // One tag whatever the case it was typed in: `VIP` and `vip` filter alike.
        Ok(Some(v.to_lowercase()))
    } else {
        Err(Invalid::field(
            field,
            ErrorCode::InvalidLabel,
            "must be one tag of up to 40 letters, digits, - or _",
        ))
    }
}

/// Whole e-mail addresses are indexed behind this mark, apart from words: a word prefix
/// ("anna") then never also walks every address that starts with it.
const EMAIL_MARK: char = '@';

/// The lower-cased words a client is found by (name, e-mail, logins): each word, and each
/// e-mail whole, so a search matches any word's beginning.
pub fn search_terms<'a>(sources: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for source in sources {
        let lower = source.to_lowercase();
        if lower.contains('@') {
            terms.push(format!("{EMAIL_MARK}{lower}"));
        }
        terms.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned),
        );
    }
    terms.sort();
    terms.dedup();
    terms
}

/// The words of a search query, lower-cased (at most five).
pub fn query_words(query: &str) -> Vec<String> {
    let lower = query.trim().to_lowercase();
    if lower.contains('@') && !lower.contains(' ') {
        return vec![format!("{EMAIL_MARK}{lower}")];
    }
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
        .map(str::to_owned)
        .collect()
}

/// What the client list's search box asks for: the words of [`query_words`], and a client
/// number when the whole query is one. `#1042` asks for that client only; `1042` for that
/// client and for the clients with a word starting with `1042` (an e-mail `1042@…`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientSearch {
    pub words: Vec<String>,
    pub number: Option<ClientNumber>,
}

impl ClientSearch {
    pub fn parse(query: &str) -> Self {
        let number = query.parse::<ClientNumber>().ok();
        let words = if query.trim().starts_with('#') && number.is_some() {
            Vec::new()
        } else {
            query_words(query)
        };
        ClientSearch { words, number }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_for_a_number_names_the_client_number() {
        let n = ClientNumber::new(1042);
        assert_eq!(
            ClientSearch::parse(" #1042"),
            ClientSearch {
                words: vec![],
                number: n
            }
        );
        assert_eq!(
            ClientSearch::parse("1042"),
            ClientSearch {
                words: vec!["1042".to_owned()],
                number: n
            }
        );
        assert_eq!(ClientSearch::parse("anna 1042").number, None);
        assert_eq!(ClientSearch::parse("#0").number, None);
    }

    #[test]
    fn labels_are_one_tag() {
        assert_eq!(
            parse_label("label", " Referral "),
            Ok(Some("referral".to_owned()))
        );
        assert_eq!(parse_label("label", ""), Ok(None));
        assert!(parse_label("label", "two tags").is_err());
    }

    #[test]
    fn search_terms_cover_words_and_whole_emails() {
        let terms = search_terms(["Jane Cooper", "Jane.Cooper@Mail.example", "jane"]);
        assert_eq!(
            terms,
            [
                "@jane.cooper@mail.example",
                "cooper",
                "example",
                "jane",
                "mail"
            ]
        );
        assert_eq!(query_words("  Jane  COOP "), ["jane", "coop"]);
        assert_eq!(
            query_words("jane.cooper@mail.example"),
            ["@jane.cooper@mail.example"]
        );
    }

    #[test]
    fn characteristics_and_payer_kinds_parse() {
        assert_eq!(Characteristic::parse("c", "good"), Ok(Characteristic::Good));
        assert!(Characteristic::parse("c", "bad").is_err());
        assert_eq!(
            PayerKind::parse("k", "sole_proprietor"),
            Ok(PayerKind::SoleProprietor)
        );
    }
}
