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

/// Free text: non-empty, without leading or trailing white space, at most [`MAX_TEXT_BYTES`]
/// bytes, and made only of characters that show as themselves ([`forbidden_char`]).
///
/// ## Which characters a text field may hold
///
/// A text field is one line of visible text: a name, a title, a summary, a note. It is copied
/// into reports (Markdown, HTML) and terminal output, where a character that is not shown as
/// itself could change what a reader sees: a line break starts a new paragraph or list item,
/// a bidirectional control reorders what follows, a zero-width character hides a difference
/// between two names. So a text field may not hold:
///
/// - **control characters** (Unicode category Cc): C0 `U+0000`–`U+001F` (line feed, carriage
///   return and tab included: there are no multi-line fields; a paragraph break in a source is
///   written as a space, or the text is split into its own fields or entries), `U+007F`, and
///   C1 `U+0080`–`U+009F`;
/// - **format characters** (category Cf): bidirectional controls (`U+061C`, `U+200E`,
///   `U+200F`, `U+202A`–`U+202E`, `U+2066`–`U+2069`), zero-width and invisible characters
///   (`U+200B`–`U+200D`, `U+2060`–`U+2064`, `U+FEFF`, the soft hyphen `U+00AD`, `U+180E`),
///   the deprecated format controls `U+206A`–`U+206F`, the interlinear annotations
///   `U+FFF9`–`U+FFFB`, the tags `U+E0001` and `U+E0020`–`U+E007F`, and the other Cf
///   characters of Unicode 15 (`U+0600`–`U+0605`, `U+06DD`, `U+070F`, `U+0890`–`U+0891`,
///   `U+08E2`, `U+110BD`, `U+110CD`, `U+13430`–`U+1343F`, `U+1BCA0`–`U+1BCA3`,
///   `U+1D173`–`U+1D17A`);
/// - **line and paragraph separators** `U+2028`, `U+2029` (categories Zl, Zp);
/// - **noncharacters** (`U+FDD0`–`U+FDEF`, and `U+xFFFE`, `U+xFFFF` of every plane).
///
/// Writers refuse such text when an entry is appended or imported (the error names the field
/// and the character). Readers do not rely on it: logs written by other software may hold
/// anything, so the renderers escape every text field as inert text whatever it contains.
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
    /// A character a text field may not hold (see [`Text`]).
    #[error(
        "text must not contain {}, {what} (at byte {offset}): text fields are one line of \
         visible characters; remove it or write it as a space",
        codepoint(*ch)
    )]
    Forbidden {
        /// The character.
        ch: char,
        /// What kind of character it is.
        what: &'static str,
        /// Its byte offset in the text.
        offset: usize,
    },
    /// Longer than [`MAX_TEXT_BYTES`].
    #[error("text is longer than {MAX_TEXT_BYTES} bytes")]
    TooLong,
}

/// `U+XXXX`.
fn codepoint(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Whether `c` may not appear in a text field, and if so what kind of character it is (see
/// [`Text`] for the rule and why).
pub fn forbidden_char(c: char) -> Option<&'static str> {
    let u = u32::from(c);
    let what = match u {
        0x0A | 0x0D => "a line break",
        0x09 => "a tab",
        0x00..=0x1F | 0x7F..=0x9F => "a control character",
        0x2028 | 0x2029 => "a line or paragraph separator",
        0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 => "a bidirectional control",
        0x00AD | 0x180E | 0x200B..=0x200D | 0x2060..=0x2064 | 0xFEFF => {
            "an invisible (zero-width) character"
        }
        0x0600..=0x0605
        | 0x06DD
        | 0x070F
        | 0x0890..=0x0891
        | 0x08E2
        | 0x206A..=0x206F
        | 0xFFF9..=0xFFFB
        | 0x110BD
        | 0x110CD
        | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A
        | 0xE0001
        | 0xE0020..=0xE007F => "a format character",
        0xFDD0..=0xFDEF => "a noncharacter",
        _ if u & 0xFFFE == 0xFFFE => "a noncharacter",
        _ => return None,
    };
    Some(what)
}

/// `s` with every character a text field may not hold ([`forbidden_char`]) written as a
/// visible escape (`\u{202e}`, `\n`): for messages that quote input from a log (an error
/// naming an unknown value), so that they stay one line of visible text wherever they are
/// printed.
pub fn inert(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if forbidden_char(c).is_some() => {
                out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
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
        if let Some((offset, ch, what)) = s
            .char_indices()
            .find_map(|(i, c)| forbidden_char(c).map(|w| (i, c, w)))
        {
            return Err(TextError::Forbidden { ch, what, offset });
        }
        if s.trim() != s {
            return Err(TextError::Untrimmed);
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

/// Deserializes a list whose elements must be distinct. The first element (in list order)
/// equal to an earlier one is named; O(n log n) in the list's length.
pub(crate) fn nonempty_distinct<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Ord + fmt::Display,
{
    let v = nonempty::<D, T>(d)?;
    if let Some(x) = first_repeated(&v) {
        return Err(serde::de::Error::custom(format!("`{x}` is listed twice")));
    }
    Ok(v)
}

/// The first element of `v` (in order) equal to an earlier one: O(n log n).
pub(crate) fn first_repeated<T: Ord>(v: &[T]) -> Option<&T> {
    let mut seen = std::collections::BTreeSet::new();
    v.iter().find(|x| !seen.insert(*x))
}
