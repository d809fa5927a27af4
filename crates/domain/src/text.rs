//! Helpers shared by the value types: string serde and free text.

use std::fmt;
use std::str::FromStr;

/// Implements `Serialize` (as the `Display` string) and `Deserialize` (from a string, via
/// `FromStr`) for a value type. `$expecting` completes "expected …" in error messages.
macro_rules! string_serde {
    ($ty:ty, $expecting:expr) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$ty, E> {
                        s.parse::<$ty>().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
pub(crate) use string_serde;

/// The longest free text accepted in one field, in bytes.
pub const MAX_TEXT_BYTES: usize = 16_384;

/// Free text: non-empty, without leading or trailing white space, without control characters
/// other than line feed and tab, at most [`MAX_TEXT_BYTES`] bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(String);

/// Why a string is not [`Text`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// Empty or only white space.
    #[error("text must not be empty")]
    Empty,
    /// Leading or trailing white space.
    #[error("text must not start or end with white space")]
    Untrimmed,
    /// A control character.
    #[error("text must not contain control characters other than line feed and tab")]
    Control,
    /// Longer than [`MAX_TEXT_BYTES`].
    #[error("text is longer than {MAX_TEXT_BYTES} bytes")]
    TooLong,
}

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Text {
    type Err = TextError;
    fn from_str(s: &str) -> Result<Text, TextError> {
        if s.trim().is_empty() {
            return Err(TextError::Empty);
        }
        if s.trim() != s {
            return Err(TextError::Untrimmed);
        }
        if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(TextError::Control);
        }
        if s.len() > MAX_TEXT_BYTES {
            return Err(TextError::TooLong);
        }
        Ok(Text(s.to_owned()))
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Text, "non-empty text");

/// Deserializes a list that must not be empty (used for optional lists, whose absence is
/// written by omitting the member, so that every valid event re-encodes to the same bytes).
pub(crate) fn nonempty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let v = <Vec<T> as serde::Deserialize>::deserialize(d)?;
    if v.is_empty() {
        return Err(serde::de::Error::custom(
            "an empty list is not allowed: give at least one element, or omit the member",
        ));
    }
    Ok(v)
}

/// Deserializes a map that must not be empty.
pub(crate) fn nonempty_map<'de, D, K, V>(d: D) -> Result<std::collections::BTreeMap<K, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: serde::Deserialize<'de> + Ord,
    V: serde::Deserialize<'de>,
{
    let m = <std::collections::BTreeMap<K, V> as serde::Deserialize>::deserialize(d)?;
    if m.is_empty() {
        return Err(serde::de::Error::custom(
            "an empty object is not allowed: give at least one member, or omit it",
        ));
    }
    Ok(m)
}

/// Deserializes a list whose elements must be distinct.
pub(crate) fn nonempty_distinct<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + PartialEq + fmt::Display,
{
    let v = nonempty::<D, T>(d)?;
    for (i, x) in v.iter().enumerate() {
        if v[..i].contains(x) {
            return Err(serde::de::Error::custom(format!("`{x}` is listed twice")));
        }
    }
    Ok(v)
}
