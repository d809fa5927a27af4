//! The slug identifiers events use to refer to each other, and SHA-256 digests.

use std::fmt;
use std::str::FromStr;

use super::{IdError, err};
use crate::text::string_serde;

/// A slug: 1 to 80 bytes of lower-case letters and digits in groups joined by single `-`
/// (`njeem-osama-elmasry`, `hun-2025`). The shape of every identifier events give each other.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

const SLUG_EXPECTED: &str = "an identifier is 1 to 80 lower-case letters and digits in groups joined by single '-', \
     e.g. njeem-osama-elmasry";

impl Slug {
    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Slug {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Slug, IdError> {
        let ok = !s.is_empty()
            && s.len() <= 80
            && s.split('-').all(|g| {
                !g.is_empty()
                    && g.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if ok {
            Ok(Slug(s.to_owned()))
        } else {
            err(SLUG_EXPECTED)
        }
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Slug, "an identifier such as \"njeem-osama-elmasry\"");

/// Defines slug-shaped identifier newtypes.
macro_rules! slug_ids {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Slug);

        impl $name {
            /// The identifier text.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<$name, IdError> {
                s.parse().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        string_serde!($name, "an identifier (a slug such as \"hun-2025\")");
    )*};
}

slug_ids! {
    /// A person (a subject of a warrant or an official): a stable slug such as
    /// `njeem-osama-elmasry`, never a name (names change and have variants; they are aliases).
    PersonId;
    /// An arrest warrant, as this log names it (its record number, if public, is `doc_ref`).
    WarrantId;
    /// A Prosecutor's application for a warrant.
    ApplicationId;
    /// A request for arrest and surrender transmitted to one or more States.
    CooperationRequestId;
    /// A non-compliance proceeding (one State, one subject, one Chamber).
    ProceedingId;
    /// A decision on non-compliance.
    DecisionId;
    /// A request filed in proceedings (for a finding, reconsideration, leave to appeal, …).
    RequestId;
    /// An appeal.
    AppealId;
    /// A visit of a wanted person to a State.
    VisitId;
    /// A prevention episode (travel information → letter → visit → outcome).
    EpisodeId;
    /// A letter of the President of the Assembly.
    LetterId;
    /// A matter before the Assembly under its formal procedure.
    AspMatterId;
}

/// A SHA-256 digest as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sha256Hex(pub [u8; 32]);

impl FromStr for Sha256Hex {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Sha256Hex, IdError> {
        const EXPECTED: &str = "a SHA-256 digest is 64 lower-case hex digits";
        if s.len() != 64 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return err(EXPECTED);
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| IdError { expected: EXPECTED })?;
        Ok(Sha256Hex(out))
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Hex({self})")
    }
}

string_serde!(Sha256Hex, "a SHA-256 digest (64 lower-case hex digits)");
