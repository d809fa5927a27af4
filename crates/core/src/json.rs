//! Strict JSON parsing and RFC 8785 (JCS) canonical encoding.
//!
//! Two entry points:
//!
//! - [`canonicalize`] is general RFC 8785: any I-JSON document in, its canonical form out
//!   (numbers as IEEE 754 doubles printed in ECMAScript form). It passes the published JCS
//!   vectors.
//! - [`parse`] with [`Profile::Entry`] is what acta's log entries use: the same grammar, but
//!   every number must be an integer literal within ±(2^53 − 1) (no fraction, no exponent), so
//!   that no two implementations can disagree on a number's value.
//!
//! Both refuse what RFC 8785 and I-JSON (RFC 7493) refuse: duplicate object keys, lone
//! surrogates, invalid UTF-8, and numbers that are not finite doubles. Nesting deeper than
//! [`MAX_DEPTH`] is refused so that hostile input cannot exhaust the stack.

use std::cmp::Ordering;
use std::fmt;

/// The deepest nesting of arrays and objects accepted (the top-level value is depth 1).
pub const MAX_DEPTH: usize = 64;

/// The largest integer magnitude an entry may hold: 2^53 − 1, the largest integer every
/// IEEE 754 double (and so every JSON implementation) represents exactly.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A parsed JSON value. Object members are kept sorted in canonical (UTF-16 code unit) order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Object),
}

/// A JSON number: an integer within ±(2^53 − 1), or (only outside the entry profile) a double.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// A JSON object whose members are sorted by key in RFC 8785 order and whose keys are unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object {
    members: Vec<(String, Value)>,
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
    let start = x[..=i].iter().rposition(|&b| b & 0xC0 != 0x80).unwrap_or(0);
    match (x.get(start), y.get(start)) {
        (Some(&p), Some(&q)) if p >= 0xEE && q >= 0xEE => {
            // `start` is a character boundary in both (the bytes before it are equal), so
            // the slices exist; the fallback cannot be reached.
            cmp_keys_utf16(a.get(start..), b.get(start..)).unwrap_or_else(|| x.cmp(y))
        }
        _ => x[i].cmp(&y[i]),
    }
}

/// The UTF-16 comparison of two suffixes that start at a character boundary (always `Some`).
fn cmp_keys_utf16(a: Option<&str>, b: Option<&str>) -> Option<Ordering> {
    Some(a?.encode_utf16().cmp(b?.encode_utf16()))
}

/// [`cmp_keys`] as RFC 8785 states it, code unit by code unit: what the fast path is tested
/// against.
#[cfg(test)]
fn cmp_keys_reference(a: &str, b: &str) -> Ordering {
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
            Ok(i) => self.members[i].1 = value,
            Err(i) => self.members.insert(i, (key, value)),
        }
    }

    /// The member named `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).map(|i| &self.members[i].1)
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

/// Which numbers [`parse`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Any finite double, as RFC 8785 allows.
    General,
    /// Integer literals within ±(2^53 − 1) only: acta's entry profile.
    Entry,
}

/// Why a document is not acceptable JSON, and the byte offset where that was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}")]
pub struct JsonError {
    /// Byte offset in the input where the problem was found.
    pub offset: usize,
    /// What is wrong.
    pub kind: JsonErrorKind,
}

/// The kinds of [`JsonError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonErrorKind {
    #[error("invalid UTF-8")]
    InvalidUtf8,
    #[error("unexpected end of input")]
    UnexpectedEnd,
    #[error("unexpected {found}")]
    Unexpected { found: String },
    #[error("duplicate object key {key:?}")]
    DuplicateKey { key: String },
    #[error("nesting deeper than {limit} levels")]
    TooDeep { limit: usize },
    #[error("a number with a fraction or exponent (only integers are allowed)")]
    NotAnInteger,
    #[error("integer beyond ±(2^53 - 1)")]
    IntegerOutOfRange,
    #[error("number is not a finite double")]
    NumberOutOfRange,
    #[error("unpaired UTF-16 surrogate in a \\u escape")]
    LoneSurrogate,
    #[error("raw control character U+{code:04X} in a string (must be escaped)")]
    ControlCharacter { code: u32 },
    #[error("invalid escape sequence")]
    InvalidEscape,
    #[error("data after the JSON value")]
    TrailingData,
}

/// Parses one JSON document (surrounding whitespace allowed) under `profile`.
pub fn parse(input: &[u8], profile: Profile) -> Result<Value, JsonError> {
    let text = match std::str::from_utf8(input) {
        Ok(text) => text,
        Err(e) => {
            return Err(JsonError {
                offset: e.valid_up_to(),
                kind: JsonErrorKind::InvalidUtf8,
            });
        }
    };
    let mut p = Parser {
        input,
        text,
        pos: 0,
        profile,
    };
    p.skip_ws();
    let value = p.value(1)?;
    p.skip_ws();
    if p.pos != input.len() {
        return Err(p.err(JsonErrorKind::TrailingData));
    }
    Ok(value)
}

/// RFC 8785: parses `input` (general profile) and returns its canonical encoding.
pub fn canonicalize(input: &[u8]) -> Result<Vec<u8>, JsonError> {
    Ok(to_canonical(&parse(input, Profile::General)?))
}

/// The RFC 8785 canonical encoding of `value`.
pub fn to_canonical(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_canonical(value, &mut out);
    out
}

/// Appends the RFC 8785 canonical encoding of `value` to `out`.
pub fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(Number::Int(i)) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Number(Number::Float(f)) => {
            // RFC 8785 §3.2.2.3: numbers are printed as ECMAScript's Number.prototype.toString.
            let mut buf = ryu_js::Buffer::new();
            out.extend_from_slice(buf.format(*f).as_bytes());
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::Object(obj) => write_object(obj.iter(), out),
    }
}

/// Appends the canonical encoding of an object given by its members, which must already be in
/// canonical order with unique keys (as [`Object::iter`] yields them).
pub fn write_object<'a>(members: impl Iterator<Item = (&'a str, &'a Value)>, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (k, v)) in members.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(k, out);
        out.push(b':');
        write_canonical(v, out);
    }
    out.push(b'}');
}

/// RFC 8785 §3.2.2.2: a string is quoted; `"` and `\` are escaped, control characters use the
/// short escapes `\b \t \n \f \r` where JSON has one and `\u00xx` (lowercase hex) otherwise;
/// every other character is written as itself in UTF-8.
fn write_string(s: &str, out: &mut Vec<u8>) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Runs of bytes that need no escape are copied in one go.
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        run = i + 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

struct Parser<'a> {
    input: &'a [u8],
    /// The same bytes, checked to be UTF-8 once, so that strings are sliced without checking
    /// them again.
    text: &'a str,
    pos: usize,
    profile: Profile,
}

impl Parser<'_> {
    fn err(&self, kind: JsonErrorKind) -> JsonError {
        JsonError {
            offset: self.pos,
            kind,
        }
    }

    fn unexpected(&self) -> JsonError {
        match self.input.get(self.pos) {
            None => self.err(JsonErrorKind::UnexpectedEnd),
            Some(&b) => self.err(JsonErrorKind::Unexpected {
                found: describe_byte(b),
            }),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, lit: &[u8], value: Value) -> Result<Value, JsonError> {
        if self.input[self.pos..].starts_with(lit) {
            self.pos += lit.len();
            Ok(value)
        } else {
            Err(self.unexpected())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            None => Err(self.err(JsonErrorKind::UnexpectedEnd)),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b't') => self.expect_literal(b"true", Value::Bool(true)),
            Some(b'f') => self.expect_literal(b"false", Value::Bool(false)),
            Some(b'n') => self.expect_literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.unexpected()),
        }
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            Err(self.err(JsonErrorKind::TooDeep { limit: MAX_DEPTH }))
        } else {
            Ok(())
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.pos += 1; // '{'
        let mut members: Vec<(String, Value)> = Vec::new();
        // While every key is greater than the one before (canonical input), the members are
        // sorted and unique as they come. From the first one that is not (`unsorted_from`),
        // the key offsets are kept (`offsets[j]` for member `unsorted_from + j`) to report a
        // duplicate: the later of two equal keys always comes at or after that member.
        let mut unsorted_from: Option<usize> = None;
        let mut offsets: Vec<usize> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(Object::new()));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected());
            }
            let key_offset = self.pos;
            let key = self.string()?;
            if unsorted_from.is_none()
                && let Some((last, _)) = members.last()
                && cmp_keys(last, &key) != Ordering::Less
            {
                unsorted_from = Some(members.len());
            }
            if unsorted_from.is_some() {
                offsets.push(key_offset);
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected());
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected()),
            }
        }
        match unsorted_from {
            None => Ok(Value::Object(Object { members })),
            Some(from) => sort_members(members, from, &offsets).map(Value::Object),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn hex4(&mut self) -> Result<u16, JsonError> {
        let digits = self
            .input
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err(JsonErrorKind::InvalidEscape))?;
        let mut v: u16 = 0;
        for &d in digits {
            let n = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.err(JsonErrorKind::InvalidEscape)),
            };
            v = (v << 4) | u16::from(n);
        }
        self.pos += 4;
        Ok(v)
    }

    /// The end of the run of plain string bytes (not `"`, `\\` or a control character) that
    /// starts at `from`.
    fn plain_run(&self, from: usize) -> usize {
        let Some(rest) = self.input.get(from..) else {
            return from;
        };
        // Eight bytes at a time while none is special, then byte by byte.
        let mut skipped = 0;
        for chunk in rest.chunks_exact(8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            if has_special_byte(word) {
                break;
            }
            skipped += 8;
        }
        let tail = rest.get(skipped..).unwrap_or_default();
        from + skipped
            + tail
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(tail.len())
    }

    /// The input's text from `start` to `end`, both next to a `"`, a `\\`, an escape, a control
    /// character or the end, and so at character boundaries: never an error in fact.
    fn text(&self, start: usize, end: usize) -> Result<&str, JsonError> {
        self.text
            .get(start..end)
            .ok_or_else(|| self.err(JsonErrorKind::InvalidUtf8))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let start = self.pos;
        self.pos = self.plain_run(start);
        // A string without escapes (all of an entry's but a few) is copied in one go.
        if self.peek() == Some(b'"') {
            let s = self.text(start, self.pos)?.to_owned();
            self.pos += 1;
            return Ok(s);
        }
        let mut out = String::from(self.text(start, self.pos)?);
        loop {
            match self.peek() {
                None => return Err(self.err(JsonErrorKind::UnexpectedEnd)),
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self
                        .peek()
                        .ok_or_else(|| self.err(JsonErrorKind::UnexpectedEnd))?;
                    self.pos += 1;
                    let c = match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => {
                            self.pos -= 1;
                            return Err(self.err(JsonErrorKind::InvalidEscape));
                        }
                    };
                    out.push(c);
                }
                Some(b) => {
                    return Err(self.err(JsonErrorKind::ControlCharacter { code: b.into() }));
                }
            }
            // Copy the next run of plain bytes in one go.
            let start = self.pos;
            self.pos = self.plain_run(start);
            out.push_str(self.text(start, self.pos)?);
        }
        Ok(out)
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let start = self.pos - 2;
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if !self.input[self.pos..].starts_with(b"\\u") {
                    return Err(JsonError {
                        offset: start,
                        kind: JsonErrorKind::LoneSurrogate,
                    });
                }
                self.pos += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(JsonError {
                        offset: start,
                        kind: JsonErrorKind::LoneSurrogate,
                    });
                }
                0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(lo) - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(JsonError {
                    offset: start,
                    kind: JsonErrorKind::LoneSurrogate,
                });
            }
            _ => u32::from(hi),
        };
        char::from_u32(code).ok_or(JsonError {
            offset: start,
            kind: JsonErrorKind::LoneSurrogate,
        })
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                }
            }
            _ => return Err(self.unexpected()),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected());
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected());
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        let text = self.text(start, self.pos)?;
        let at_start = |kind| JsonError {
            offset: start,
            kind,
        };
        if integer {
            // Up to 16 digits plus a sign always fits in i64; longer is out of range anyway.
            match text.parse::<i64>() {
                Ok(i) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) => {
                    return Ok(Value::Number(Number::Int(i)));
                }
                _ if self.profile == Profile::Entry => {
                    return Err(at_start(JsonErrorKind::IntegerOutOfRange));
                }
                _ => {}
            }
        } else if self.profile == Profile::Entry {
            return Err(at_start(JsonErrorKind::NotAnInteger));
        }
        let f: f64 = text
            .parse()
            .map_err(|_| at_start(JsonErrorKind::NumberOutOfRange))?;
        if !f.is_finite() {
            return Err(at_start(JsonErrorKind::NumberOutOfRange));
        }
        // A double that holds an integer exactly is that integer (so 56.0 and 56 are one value).
        if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER as f64 {
            return Ok(Value::Number(Number::Int(f as i64)));
        }
        Ok(Value::Number(Number::Float(f)))
    }
}

/// Whether one of the eight bytes of `word` is `"`, `\\` or below 0x20 (exactly: the
/// zero-byte and less-than tests of "Bit Twiddling Hacks" have no false positives as yes/no
/// answers).
fn has_special_byte(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let below_0x20 = word.wrapping_sub(ONES * 0x20) & !word & HIGH != 0;
    below_0x20
        || has_zero(word ^ (ONES * u64::from(b'"')))
        || has_zero(word ^ (ONES * u64::from(b'\\')))
}

/// The members of an object whose keys were in canonical order up to member `unsorted_from`
/// (exclusive), sorted, or the first duplicate key. `offsets[j]` is the key offset of member
/// `unsorted_from + j`.
///
/// A duplicate is reported as a stable sort by key finds it first: the least duplicated key,
/// at the offset of its second occurrence. That occurrence is never before `unsorted_from`
/// (the keys before it are strictly increasing), so the offsets of earlier members, unknown
/// here, are never reported: they stand in as 0, below every offset that is.
fn sort_members(
    members: Vec<(String, Value)>,
    unsorted_from: usize,
    offsets: &[usize],
) -> Result<Object, JsonError> {
    let mut members: Vec<(String, Value, usize)> = members
        .into_iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let offset = i
                .checked_sub(unsorted_from)
                .and_then(|j| offsets.get(j))
                .copied()
                .unwrap_or(0);
            (k, v, offset)
        })
        .collect();
    members.sort_by(|a, b| cmp_keys(&a.0, &b.0));
    if let Some(w) = members.windows(2).find(|w| w[0].0 == w[1].0) {
        let offset = w[0].2.max(w[1].2);
        return Err(JsonError {
            offset,
            kind: JsonErrorKind::DuplicateKey {
                key: w[1].0.clone(),
            },
        });
    }
    Ok(Object {
        members: members.into_iter().map(|(k, v, _)| (k, v)).collect(),
    })
}

fn describe_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

impl fmt::Display for Value {
    /// Writes the canonical encoding.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = to_canonical(self);
        f.write_str(&String::from_utf8_lossy(&bytes))
    }
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Characters around every boundary the key comparison's fast path depends on: ASCII,
    /// two- and three-byte characters, the last before the surrogates (U+D7FF), U+E000–U+FFFF
    /// (after every surrogate in UTF-16, before supplementary characters in UTF-8), and
    /// supplementary-plane characters; plus characters a string must escape.
    fn key_char() -> impl Strategy<Value = char> {
        prop_oneof![
            prop::sample::select(vec![
                'a',
                'b',
                'z',
                '"',
                '\\',
                '\n',
                '\u{1}',
                '\u{7f}',
                '\u{80}',
                'é',
                '\u{7ff}',
                '\u{800}',
                '\u{d7ff}',
                '\u{e000}',
                '\u{e001}',
                '\u{efff}',
                '\u{f000}',
                '\u{fffd}',
                '\u{ffff}',
                '\u{10000}',
                '\u{10001}',
                '\u{1f600}',
                '\u{10ffff}',
            ]),
            any::<char>(),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop::collection::vec(key_char(), 0..5).prop_map(|v| v.into_iter().collect())
    }

    /// A JSON string literal for `s`, each character written raw or as a `\u` escape (a
    /// surrogate pair above U+FFFF) as `escape` says (characters that must be escaped always
    /// are).
    fn literal(s: &str, escape: &[bool]) -> String {
        let mut out = String::from("\"");
        for (i, c) in s.chars().enumerate() {
            let must = c == '"' || c == '\\' || u32::from(c) < 0x20;
            if must || escape.get(i).copied().unwrap_or(false) {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04X}"));
                }
            } else {
                out.push(c);
            }
        }
        out.push('"');
        out
    }

    fn string_literal() -> impl Strategy<Value = String> {
        let text = prop::collection::vec(key_char(), 0..40).prop_map(|v| v.into_iter().collect());
        prop_oneof![
            (key(), prop::collection::vec(any::<bool>(), 0..5)),
            (
                text,
                prop::collection::vec(prop::bool::weighted(0.05), 0..40)
            ),
        ]
        .prop_map(|(s, e)| literal(&s, &e))
    }

    /// JSON text, not canonical: members in any order, duplicate keys, escapes, whitespace,
    /// floats and out-of-range numbers.
    fn document() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("false".to_owned()),
            any::<i64>().prop_map(|i| i.to_string()),
            (-1000i64..1000).prop_map(|i| i.to_string()),
            prop::sample::select(vec!["1.5", "-0", "1e3", "0.0", "9007199254740992", "1e400"])
                .prop_map(str::to_owned),
            string_literal(),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec(
                    (
                        key(),
                        prop::collection::vec(any::<bool>(), 0..5),
                        inner,
                        any::<bool>()
                    ),
                    0..7
                )
                .prop_map(|members| {
                    let members: Vec<String> = members
                        .iter()
                        .map(|(k, e, v, ws)| {
                            let sep = if *ws { " : " } else { ":" };
                            format!("{}{sep}{v}", literal(k, e))
                        })
                        .collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        })
    }

    /// A canonical object (members sorted, unique keys), as entries are stored.
    fn canonical_object() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::btree_map(key(), -MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER, 0..8).prop_map(
            |m| {
                let mut o = Object::new();
                for (k, v) in m {
                    o.insert(k, Value::Number(Number::Int(v)));
                }
                to_canonical(&Value::Object(o))
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn cmp_keys_is_utf16_code_unit_order(a in key(), b in key()) {
            prop_assert_eq!(cmp_keys(&a, &b), cmp_keys_reference(&a, &b));
            prop_assert_eq!(cmp_keys(&b, &a), cmp_keys_reference(&b, &a));
            let (pa, pb) = (format!("x{a}"), format!("x{b}é{a}"));
            prop_assert_eq!(cmp_keys(&pa, &pb), cmp_keys_reference(&pa, &pb));
        }

        #[test]
        fn special_byte_test_is_exact(word in any::<u64>(), at in 0usize..8, b in any::<u8>()) {
            let mut bytes = word.to_le_bytes();
            for w in [u64::from_le_bytes(bytes), { bytes[at] = b; u64::from_le_bytes(bytes) }] {
                let expected = w.to_le_bytes().iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20);
                prop_assert_eq!(has_special_byte(w), expected);
            }
        }

        #[test]
        fn cmp_keys_on_any_strings(a in any::<String>(), b in any::<String>()) {
            prop_assert_eq!(cmp_keys(&a, &b), cmp_keys_reference(&a, &b));
        }

        #[test]
        fn parses_as_the_reference_parser(
            doc in document(),
            cut in any::<prop::sample::Index>(),
            flip in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            how in 0u8..4,
        ) {
            let mut bytes = doc.into_bytes();
            if !bytes.is_empty() {
                match how {
                    1 => bytes.truncate(cut.index(bytes.len())),
                    2 => {
                        let i = flip.index(bytes.len());
                        bytes[i] = byte;
                    }
                    3 => bytes.insert(flip.index(bytes.len()), byte),
                    _ => {}
                }
            }
            for profile in [Profile::General, Profile::Entry] {
                prop_assert_eq!(parse(&bytes, profile), reference::parse(&bytes, profile));
            }
        }

        #[test]
        fn parses_canonical_objects_as_the_reference_parser(doc in canonical_object()) {
            let parsed = parse(&doc, Profile::Entry);
            prop_assert_eq!(&parsed, &reference::parse(&doc, Profile::Entry));
            prop_assert!(parsed.is_ok());
        }

        #[test]
        fn parses_any_bytes_as_the_reference_parser(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            for profile in [Profile::General, Profile::Entry] {
                prop_assert_eq!(parse(&bytes, profile), reference::parse(&bytes, profile));
            }
        }
    }

    fn canon(s: &str) -> String {
        String::from_utf8(canonicalize(s.as_bytes()).expect("valid JSON in test")).expect("utf8")
    }

    fn entry_err(s: &str) -> JsonErrorKind {
        parse(s.as_bytes(), Profile::Entry)
            .expect_err("test input must be rejected")
            .kind
    }

    #[test]
    fn sorts_keys_by_utf16_code_units() {
        // U+E000 sorts before U+1F600 in UTF-8 byte order, but after it in UTF-16 order.
        assert_eq!(
            canon("{\"\u{e000}\":1,\"\u{1f600}\":2}"),
            "{\"\u{1f600}\":2,\"\u{e000}\":1}"
        );
    }

    /// [`write_string`] as RFC 8785 §3.2.2.2 states it, one byte at a time.
    fn write_string_bytewise(s: &str) -> Vec<u8> {
        let mut out = vec![b'"'];
        for &b in s.as_bytes() {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                0x08 => out.extend_from_slice(b"\\b"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                0x0c => out.extend_from_slice(b"\\f"),
                b'\r' => out.extend_from_slice(b"\\r"),
                0..=0x1f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
                _ => out.push(b),
            }
        }
        out.push(b'"');
        out
    }

    proptest::proptest! {
        #[test]
        fn write_string_equals_the_bytewise_rule(s in "(\\PC|[\\x00-\\x1f\"\\\\])*") {
            let mut out = b"x".to_vec();
            write_string(&s, &mut out);
            proptest::prop_assert_eq!(&out[1..], &write_string_bytewise(&s)[..]);
        }
    }

    #[test]
    fn escapes_control_characters_only() {
        assert_eq!(
            canon(r#""\u0001\u001f\u007f\u2028\/""#),
            "\"\\u0001\\u001f\u{7f}\u{2028}/\""
        );
    }

    #[test]
    fn rejects_duplicate_keys_even_when_escaped_differently() {
        let err = parse(br#"{"a":1,"\u0061":2}"#, Profile::General).expect_err("duplicate");
        assert_eq!(err.kind, JsonErrorKind::DuplicateKey { key: "a".into() });
    }

    #[test]
    fn entry_profile_rejects_floats_and_big_integers() {
        assert_eq!(entry_err("1.5"), JsonErrorKind::NotAnInteger);
        assert_eq!(entry_err("1e2"), JsonErrorKind::NotAnInteger);
        assert_eq!(
            entry_err("9007199254740992"),
            JsonErrorKind::IntegerOutOfRange
        );
        assert_eq!(
            entry_err("-9007199254740992"),
            JsonErrorKind::IntegerOutOfRange
        );
        assert_eq!(
            entry_err("123456789012345678901234567890"),
            JsonErrorKind::IntegerOutOfRange
        );
        assert_eq!(
            parse(b"9007199254740991", Profile::Entry),
            Ok(Value::Number(Number::Int(MAX_SAFE_INTEGER)))
        );
    }

    #[test]
    fn rejects_lone_surrogates_and_raw_control_characters() {
        assert_eq!(entry_err(r#""\ud800""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(entry_err(r#""\udc00x""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(
            entry_err("\"a\u{1}\""),
            JsonErrorKind::ControlCharacter { code: 1 }
        );
    }

    #[test]
    fn rejects_deep_nesting_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            entry_err(&deep),
            JsonErrorKind::TooDeep { limit: MAX_DEPTH }
        );
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(ok.as_bytes(), Profile::Entry).is_ok());
    }

    #[test]
    fn rejects_invalid_utf8_and_trailing_data() {
        assert_eq!(
            parse(b"\"\xff\"", Profile::Entry).map_err(|e| e.kind),
            Err(JsonErrorKind::InvalidUtf8)
        );
        assert_eq!(entry_err("{} {}"), JsonErrorKind::TrailingData);
        assert_eq!(entry_err(""), JsonErrorKind::UnexpectedEnd);
        assert_eq!(entry_err("01"), JsonErrorKind::TrailingData);
    }

    #[test]
    fn object_insert_keeps_canonical_order() {
        let mut o = Object::new();
        o.insert("b", Value::Null);
        o.insert("a", Value::Bool(true));
        o.insert("b", Value::Bool(false));
        assert_eq!(Value::Object(o).to_string(), r#"{"a":true,"b":false}"#);
    }
}
