//! Reference codes parsed against their standards: ISO 3166-1 alpha-2 countries and ISO
//! 4217 currencies (with their minor units, which fix how many decimals an amount has).

use crate::ErrorCode;
use crate::validation::Invalid;
use serde::Serialize;
use std::fmt;

/// An ISO 3166-1 alpha-2 country code, upper-case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Country(&'static str);

impl Country {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        isocountry::CountryCode::for_alpha2_caseless(raw.trim())
            .map(|c| Country(c.alpha2()))
            .map_err(|_| {
                Invalid::field(
                    field,
                    ErrorCode::InvalidCountry,
                    "must be an ISO 3166 two-letter country code such as DE",
                )
            })
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    pub fn name(self) -> &'static str {
        isocountry::CountryCode::for_alpha2(self.0)
            .map(|c| c.name())
            .unwrap_or(self.0)
    }

    /// Every country, for selection lists.
    pub fn all() -> impl Iterator<Item = Country> {
        isocountry::CountryCode::iter_alpha2().map(|c| Country(c.alpha2()))
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// An ISO 4217 currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        iso_currency::Currency::from_code(&raw.trim().to_ascii_uppercase())
            .map(Currency)
            .ok_or_else(|| {
                Invalid::field(
                    field,
                    ErrorCode::InvalidCurrency,
                    "must be an ISO 4217 currency code such as EUR",
                )
            })
    }

    pub fn code(self) -> &'static str {
        self.0.code()
    }

    pub fn name(self) -> String {
        self.0.name().to_owned()
    }

    /// Decimal places of the currency's minor unit (2 for EUR, 0 for JPY).
    pub fn minor_units(self) -> u16 {
        self.0.exponent().unwrap_or(0)
    }

    /// Every currency in circulation (funds and metals excluded: they have no minor unit).
    pub fn all() -> impl Iterator<Item = Currency> {
        use iso_currency::IntoEnumIterator;
        iso_currency::Currency::iter()
            .filter(|c| c.exponent().is_some())
            .map(Currency)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_and_currencies_follow_the_standards() {
        assert_eq!(
            Country::parse("country", " de ").map(Country::code),
            Ok("DE")
        );
        assert!(Country::parse("country", "XX").is_err());
        assert!(Country::parse("country", "DEU").is_err());
        assert_eq!(
            Currency::parse("currency", "eur").map(|c| (c.code(), c.minor_units())),
            Ok(("EUR", 2))
        );
        assert_eq!(
            Currency::parse("currency", "JPY").map(Currency::minor_units),
            Ok(0)
        );
        assert!(Currency::parse("currency", "EURO").is_err());
        assert!(Currency::all().count() > 150);
        assert!(Country::all().count() > 240);
    }
}
