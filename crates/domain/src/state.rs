//! [`StateCode`]: a State, by its ISO 3166-1 alpha-3 code.

use std::fmt;
use std::str::FromStr;

use crate::iso3166::ALPHA3;
use crate::text::string_serde;

/// An ISO 3166-1 alpha-3 code that is officially assigned, such as `HUN` or `PSE`: three
/// upper-case letters found in the embedded table of the 249 assigned codes.
///
/// A source's own name for a State ("the Libyan Arab Republic") is kept beside the code, in
/// the event's `as_published` member, never in place of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StateCode([u8; 3]);

/// Why a string is not a [`StateCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateCodeError {
    /// Not three upper-case ASCII letters.
    #[error("a State code is three upper-case letters (ISO 3166-1 alpha-3, e.g. HUN)")]
    Shape,
    /// Well-formed but not an assigned code.
    #[error("`{0}` is not an assigned ISO 3166-1 alpha-3 code")]
    Unassigned(String),
}

impl StateCode {
    /// The code, e.g. `"HUN"`.
    pub fn as_str(&self) -> &str {
        // The bytes are three ASCII upper-case letters (checked by `from_str`).
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The English short name from ISO 3166-1, e.g. `"Hungary"`.
    pub fn name(&self) -> &'static str {
        match ALPHA3.binary_search_by(|(c, _)| c.as_bytes().cmp(&self.0[..])) {
            Ok(i) => ALPHA3[i].1,
            Err(_) => "",
        }
    }

    /// Every assigned code, in alphabetical order.
    pub fn all() -> impl Iterator<Item = StateCode> {
        ALPHA3.iter().filter_map(|(c, _)| c.parse().ok())
    }
}

impl FromStr for StateCode {
    type Err = StateCodeError;
    fn from_str(s: &str) -> Result<StateCode, StateCodeError> {
        let b = s.as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_uppercase) {
            return Err(StateCodeError::Shape);
        }
        match ALPHA3.binary_search_by(|(c, _)| c.as_bytes().cmp(b)) {
            Ok(_) => Ok(StateCode([b[0], b[1], b[2]])),
            Err(_) => Err(StateCodeError::Unassigned(s.to_owned())),
        }
    }
}

impl fmt::Display for StateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

string_serde!(
    StateCode,
    "an ISO 3166-1 alpha-3 State code such as \"HUN\""
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_well_formed() {
        assert_eq!(ALPHA3.len(), 249);
        for w in ALPHA3.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for (c, n) in ALPHA3 {
            assert!(
                c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                "{c}"
            );
            assert!(!n.is_empty());
        }
        assert_eq!(StateCode::all().count(), 249);
    }

    #[test]
    fn seed_states_parse_and_name() {
        for c in [
            "MNG", "HUN", "ITA", "LBY", "TJK", "RUS", "ISR", "FIN", "MEX", "SLE", "VUT", "POL",
            "SDN", "PSE", "UKR",
        ] {
            let s: StateCode = c.parse().unwrap();
            assert_eq!(s.to_string(), c);
            assert!(!s.name().is_empty());
        }
        assert_eq!("LBY".parse::<StateCode>().unwrap().name(), "Libya");
    }

    #[test]
    fn rejects() {
        for bad in [
            "", "HU", "HUNG", "hun", "Hun", "H1N", " HUN", "XKX", "ANT", "YUG", "ZZZ",
        ] {
            assert!(bad.parse::<StateCode>().is_err(), "{bad:?}");
        }
        assert_eq!(
            "XKX".parse::<StateCode>(),
            Err(StateCodeError::Unassigned("XKX".into()))
        );
    }
}
