//! The panels' translation catalogue: every visible string of a page is a Fluent message
//! looked up here, in English or Russian. The `.ftl` files are embedded in the binary and
//! parsed once; a message missing from a catalogue shows its id (and is logged) rather than
//! failing the page, and the tests below keep both catalogues holding the same ids, every id
//! the templates use, and a text for every [`ErrorCode`] the product emits.
//!
//! An error code has exactly one text, `error-<code-with-dashes>` ([`ErrorCode::message_id`]),
//! whether it refuses a field, a whole form or a request: one id per code, no per-area or
//! per-kind prefixes to fall back between.
//!
//! Which language a request gets is decided in one place, [`locale_for`]: the signed-in
//! user's saved language, else the `bursar_lang` cookie, else `Accept-Language`, else English.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use bursar_app::Principal;
use bursar_domain::{ErrorCode, Locale};
use bursar_http::cookies;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

/// Each language's catalogue, one file per area of the product so areas can grow apart.
const EN: [&str; 9] = [
    include_str!("../i18n/en.ftl"),
    include_str!("../i18n/en-staff.ftl"),
    include_str!("../i18n/en-clients.ftl"),
    include_str!("../i18n/en-money.ftl"),
    include_str!("../i18n/en-catalog.ftl"),
    include_str!("../i18n/en-rates.ftl"),
    include_str!("../i18n/en-discounts.ftl"),
    include_str!("../i18n/en-taxes.ftl"),
    include_str!("../i18n/en-quotes.ftl"),
];
const RU: [&str; 9] = [
    include_str!("../i18n/ru.ftl"),
    include_str!("../i18n/ru-staff.ftl"),
    include_str!("../i18n/ru-clients.ftl"),
    include_str!("../i18n/ru-money.ftl"),
    include_str!("../i18n/ru-catalog.ftl"),
    include_str!("../i18n/ru-rates.ftl"),
    include_str!("../i18n/ru-discounts.ftl"),
    include_str!("../i18n/ru-taxes.ftl"),
    include_str!("../i18n/ru-quotes.ftl"),
];

type Bundle = FluentBundle<FluentResource>;

struct Catalogue {
    en: Bundle,
    ru: Bundle,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue {
    en: load(Locale::En, EN),
    ru: load(Locale::Ru, RU),
});

fn load(locale: Locale, sources: [&str; 9]) -> Bundle {
    let lang: LanguageIdentifier = locale.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Unicode isolation marks around arguments are for mixed-direction text; in HTML they
    // only break copy-paste of logins and numbers.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                tracing::error!(locale = %locale, ?errors, "translation catalogue has syntax errors");
                resource
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(locale = %locale, ?errors, "translation catalogue has duplicate ids");
        }
    }
    bundle
}

fn bundle(locale: Locale) -> &'static Bundle {
    match locale {
        Locale::En => &CATALOGUE.en,
        Locale::Ru => &CATALOGUE.ru,
    }
}

/// The language of one request's page.
pub fn locale_for(principal: Option<&Principal>, headers: &HeaderMap) -> Locale {
    if let Some(p) = principal {
        return p.user.locale;
    }
    cookies::read(headers, cookies::LANG)
        .and_then(|v| v.parse().ok())
        .or_else(|| {
            headers
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

/// Translates into one language. Cheap to copy; templates reach it as `ui.t("id")`.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    pub fn locale(self) -> Locale {
        self.locale
    }

    pub fn t(self, id: &str) -> String {
        self.format(id, None)
    }

    /// A language's name in the reader's language ("Английский" to a Russian reader), for
    /// data: a client's or an employee's language. The header's switch names each language
    /// in itself instead (`language-en` = "English"), so a reader can find their own.
    pub fn language_name(self, locale: Locale) -> String {
        self.t(&format!("language-name-{}", locale.code()))
    }

    /// A message with one argument (`{ $name }`).
    pub fn t1<'a>(self, id: &str, name: &'a str, value: impl Into<FluentValue<'a>>) -> String {
        let mut args = FluentArgs::new();
        args.set(name, value.into());
        self.format(id, Some(&args))
    }

    /// A message with several arguments.
    pub fn ta(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fargs.set(*name, value.clone());
        }
        self.format(id, Some(&fargs))
    }

    /// The text of `prefix-code` when the catalogue has one, else `code` itself (names of
    /// record kinds and actions, which grow faster than the catalogue).
    pub fn or_raw(self, prefix: &str, code: &str) -> String {
        let id = format!("{prefix}-{}", code.replace('_', "-"));
        if self.has(&id) {
            self.t(&id)
        } else {
            code.to_owned()
        }
    }

    /// Whether the catalogue has `id` (for texts chosen by a code, with a fallback).
    pub fn has(self, id: &str) -> bool {
        bundle(self.locale).has_message(id)
    }

    /// The text of an error code (`weak_password` → `error-weak-password`), of a field, a
    /// form or a page alike. Every code has one (a test below walks [`ErrorCode::ALL`]).
    pub fn error(self, code: ErrorCode) -> String {
        self.t(&code.message_id())
    }

    fn format(self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = bundle(self.locale);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, locale = %self.locale, "missing translation");
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        if !errors.is_empty() {
            tracing::warn!(id, locale = %self.locale, ?errors, "translation failed to format");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Message ids of a catalogue: Fluent messages start at the beginning of a line with an
    /// identifier followed by `=` (terms start with `-`, comments with `#`).
    fn ids(sources: [&str; 9]) -> BTreeSet<String> {
        sources
            .iter()
            .flat_map(|source| source.lines())
            .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once('='))
            .map(|(id, _)| id.trim().to_owned())
            .collect()
    }

    #[test]
    fn no_message_is_defined_twice() {
        for (name, sources) in [("en", EN), ("ru", RU)] {
            let mut seen = BTreeSet::new();
            let twice: Vec<String> = sources
                .iter()
                .flat_map(|source| source.lines())
                .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
                .filter_map(|l| l.split_once('='))
                .map(|(id, _)| id.trim().to_owned())
                .filter(|id| !seen.insert(id.clone()))
                .collect();
            assert!(twice.is_empty(), "{name}: defined in two places: {twice:?}");
        }
    }

    #[test]
    fn both_catalogues_parse_and_have_the_same_ids() {
        for (name, sources) in [("en", EN), ("ru", RU)] {
            for source in sources {
                assert!(
                    FluentResource::try_new(source.to_owned()).is_ok(),
                    "a {name} catalogue file has syntax errors"
                );
            }
        }
        let (en, ru) = (ids(EN), ids(RU));
        assert!(en.len() > 50, "suspiciously few messages: {}", en.len());
        let only_en: Vec<_> = en.difference(&ru).collect();
        let only_ru: Vec<_> = ru.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in ru.ftl: {only_en:?}");
        assert!(only_ru.is_empty(), "missing in en.ftl: {only_ru:?}");
        for id in &en {
            for locale in Locale::ALL {
                assert!(bundle(locale).has_message(id), "{locale} cannot load {id}");
            }
        }
    }

    /// Every `.t("…")`, `.t1("…"` and `.ta("…"` in the templates and the sources names a message.
    #[test]
    fn every_id_used_by_the_pages_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "templates",
            "templates/partials",
            "templates/staff",
            "templates/clients",
            "src",
            "src/pages",
            "src/pages/staff",
            "src/pages/clients",
        ] {
            for entry in std::fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
            {
                let this_file = entry.file_name() == "i18n.rs";
                if entry.path().is_file() && !this_file {
                    files.push(entry.path());
                }
            }
        }
        assert!(files.len() > 10);
        let catalogue = ids(EN);
        let mut used = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for call in [".t(\"", ".t1(\"", ".ta(\""] {
                for (i, _) in text.match_indices(call) {
                    let rest = text.get(i + call.len()..).unwrap_or_default();
                    let id: String = rest.chars().take_while(|c| *c != '"').collect();
                    // Skip what only looks like a call (a comment's `t("…")`).
                    if id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !id.is_empty() {
                        used += 1;
                        assert!(
                            catalogue.contains(&id),
                            "{} uses unknown message {id}",
                            file.display()
                        );
                    }
                }
            }
        }
        assert!(used > 50, "found only {used} uses");
    }

    /// Every code the product emits reads as a sentence in both languages: an English text,
    /// and a Russian one that is not just the English copied over.
    #[test]
    fn every_error_code_has_an_english_and_a_russian_text() {
        let mut missing = Vec::new();
        for code in ErrorCode::ALL {
            let id = code.message_id();
            for locale in Locale::ALL {
                if !bundle(locale).has_message(&id) {
                    missing.push(format!("{locale}: {id}"));
                }
            }
            let ru = Tr::new(Locale::Ru).error(*code);
            if !ru.chars().any(|c| matches!(c, 'А'..='я' | 'ё' | 'Ё')) {
                missing.push(format!("ru: {id} is not Russian: {ru}"));
            }
        }
        assert!(
            missing.is_empty(),
            "error codes without a text: {missing:#?}"
        );
    }

    #[test]
    fn arguments_and_plurals_are_formatted() {
        let ru = Tr::new(Locale::Ru);
        assert!(
            ru.t1("error-rate-limited", "seconds", 1u64)
                .contains("1 секунду")
        );
        assert!(
            ru.t1("error-rate-limited", "seconds", 3u64)
                .contains("3 секунды")
        );
        assert!(
            ru.t1("error-rate-limited", "seconds", 25u64)
                .contains("25 секунд")
        );
        let en = Tr::new(Locale::En);
        assert!(
            en.t1("error-rate-limited", "seconds", 1u64)
                .contains("1 second")
        );
        assert!(
            en.t1("error-rate-limited", "seconds", 7u64)
                .contains("7 seconds")
        );
        assert_eq!(en.t("no-such-message"), "no-such-message");
    }

    #[test]
    fn the_language_follows_cookie_then_accept_language() {
        let mut h = HeaderMap::new();
        assert_eq!(locale_for(None, &h), Locale::En);
        h.insert(
            ACCEPT_LANGUAGE,
            axum::http::HeaderValue::from_static("ru-RU,ru;q=0.9"),
        );
        assert_eq!(locale_for(None, &h), Locale::Ru);
        h.insert(
            axum::http::header::COOKIE,
            axum::http::HeaderValue::from_static("bursar_lang=en"),
        );
        assert_eq!(locale_for(None, &h), Locale::En);
    }
}
