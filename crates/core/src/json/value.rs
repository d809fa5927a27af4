#![warn(clippy::indexing_slicing)]

use std::cmp::Ordering;
use std::fmt;

use super::{Number, to_canonical};

/// A parsed JSON value. Object members are kept sorted in canonical (UTF-16 code unit) order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in canonical order.
    Object(Object),
}

/// A JSON object whose members are sorted by key in RFC 8785 order and whose keys are unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object {
    pub(super) members: Vec<(String, Value)>,
}

/// Compares two keys as RFC 8785 §3.2.3 requires: by their UTF-16 code units.
///
/// UTF-8 byte order is code point order, and code point order is UTF-16 code unit order
/// except between a supplementary-plane character (U+10000 and above, a surrogate pair in
/// UTF-16) and one of U+E000–U+FFFF. So the keys are compared as bytes, unless the first
/// characters that differ both start with a byte of 0xEE or more (U+E000 and above), where
/// the UTF-16 code units are compared instead.
pub fn cmp_keys(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let Some(i) = x.iter().zip(y).position(|(p, q)| p != q) else {
        // One is a prefix of the other (or they are equal): in UTF-16 too.
        return x.len().cmp(&y.len());
    };
    // The bytes before `i` are equal, so the characters that differ start at the same
    // offset in both: the start of the character holding byte `i`.
    let start = x
        .get(..=i)
        .and_then(|prefix| prefix.iter().rposition(|&b| b & 0xC0 != 0x80))
        .unwrap_or(0);
    match (x.get(start), y.get(start)) {
        (Some(&p), Some(&q)) if p >= 0xEE && q >= 0xEE => {
            // `start` is a character boundary in both (the bytes before it are equal), so
            // the slices exist; the fallback cannot be reached.
            cmp_keys_utf16(a.get(start..), b.get(start..)).unwrap_or_else(|| x.cmp(y))
        }
        _ => x.get(i).cmp(&y.get(i)),
    }
}

/// The UTF-16 comparison of two suffixes that start at a character boundary (always `Some`).
fn cmp_keys_utf16(a: Option<&str>, b: Option<&str>) -> Option<Ordering> {
    Some(a?.encode_utf16().cmp(b?.encode_utf16()))
}

/// [`cmp_keys`] as RFC 8785 states it, code unit by code unit: what the fast path is tested
/// against.
#[cfg(test)]
pub(super) fn cmp_keys_reference(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Inserts or replaces a member, keeping canonical order.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) {
        let key = key.into();
        match self.members.binary_search_by(|(k, _)| cmp_keys(k, &key)) {
            Ok(i) => {
                if let Some(member) = self.members.get_mut(i) {
                    member.1 = value;
                }
            }
            Err(i) => self.members.insert(i, (key, value)),
        }
    }

    /// The member named `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key)
            .and_then(|i| self.members.get(i))
            .map(|(_, v)| v)
    }

    /// The index of the member named `key`: keys are unique, so a small object (an entry's
    /// eight fields) is scanned for an equal key rather than searched in order.
    fn position(&self, key: &str) -> Option<usize> {
        if self.members.len() <= 8 {
            self.members.iter().position(|(k, _)| k == key)
        } else {
            self.members
                .binary_search_by(|(k, _)| cmp_keys(k, key))
                .ok()
        }
    }

    /// Takes the value of the member named `key`, leaving `null` in its place (no members
    /// move, unlike [`Object::remove`]): for an object about to be dropped.
    pub(crate) fn take(&mut self, key: &str) -> Option<Value> {
        let i = self.position(key)?;
        self.members
            .get_mut(i)
            .map(|(_, v)| std::mem::replace(v, Value::Null))
    }

    /// Removes and returns the member named `key`.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.position(key).map(|i| self.members.remove(i).1)
    }

    /// Members in canonical order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.members.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl Value {
    /// The object inside, if this is an object.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer inside, if this is an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(Number::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// The JSON kind of this value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

impl fmt::Display for Value {
    /// Writes the canonical encoding.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = to_canonical(self);
        f.write_str(&String::from_utf8_lossy(&bytes))
    }
}
