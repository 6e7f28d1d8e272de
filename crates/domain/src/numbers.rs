//! Short sequential numbers for people: client `#1042` (later payments, orders, services).
//!
//! The UUID stays every record's primary key; the number is what people read out on the
//! phone and type into a search box. Numbers start at 1 and come from a counter row bumped in
//! the creating transaction (see the app's `Counters` port), so they are unique and gapless.
//! Each numbered entity gets its own type, as ids do, so a client number can never be taken
//! for an order number.
//!
//! A reference written by a person or a script ([`Ref`]) is either the UUID or the number,
//! with or without its `#`: `0190…`, `1042`, `#1042`.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

macro_rules! number_type {
    ($($name:ident),* $(,)?) => {$(
        /// A positive sequential number, shown as `#N`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The number a counter handed out; `None` unless positive.
            pub fn new(value: i64) -> Option<Self> {
                (value > 0).then_some(Self(value))
            }

            pub fn value(self) -> i64 {
                self.0
            }
        }

        /// `#1042`: how people see it.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "#{}", self.0)
            }
        }

        /// `1042` or `#1042`; nothing else (no sign, no spaces inside, no zero).
        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let digits = s.trim();
                let digits = digits.strip_prefix('#').unwrap_or(digits);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(());
                }
                digits.parse::<i64>().ok().and_then(Self::new).ok_or(())
            }
        }
    )*};
}

number_type!(ClientNumber);

/// A record named by its id or by its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ref<I, N> {
    Id(I),
    Number(N),
}

/// A client named by its UUID or by its number.
pub type ClientRef = Ref<crate::ClientId, ClientNumber>;

impl<I: FromStr, N: FromStr> FromStr for Ref<I, N> {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(n) = s.parse::<N>() {
            return Ok(Ref::Number(n));
        }
        s.trim().parse::<I>().map(Ref::Id).map_err(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClientId;
    use proptest::prelude::*;

    #[test]
    fn numbers_read_with_or_without_their_mark() {
        assert_eq!("1042".parse::<ClientNumber>().map(|n| n.value()), Ok(1042));
        assert_eq!(" #7 ".parse::<ClientNumber>().map(|n| n.value()), Ok(7));
        for bad in [
            "",
            "#",
            "0",
            "#0",
            "-3",
            "+3",
            "1 2",
            "12a",
            "99999999999999999999",
        ] {
            assert!(bad.parse::<ClientNumber>().is_err(), "{bad}");
        }
        assert_eq!(
            ClientNumber::new(1042).map(|n| n.to_string()),
            Some("#1042".to_owned())
        );
        assert_eq!(ClientNumber::new(0), None);
    }

    #[test]
    fn a_reference_is_a_number_or_an_id() {
        let id = ClientId::new();
        assert_eq!(id.to_string().parse::<ClientRef>(), Ok(Ref::Id(id)));
        assert_eq!(
            "#12".parse::<ClientRef>(),
            Ok(Ref::Number(ClientNumber(12)))
        );
        assert!("nobody".parse::<ClientRef>().is_err());
    }

    proptest! {
        #[test]
        fn every_number_reads_back_from_how_it_is_shown(n in 1i64..=i64::MAX) {
            let shown = ClientNumber(n).to_string();
            prop_assert_eq!(shown.parse::<ClientNumber>(), Ok(ClientNumber(n)));
            prop_assert_eq!(shown[1..].parse::<ClientRef>(), Ok(Ref::Number(ClientNumber(n))));
        }
    }
}
