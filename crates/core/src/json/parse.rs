#![warn(clippy::indexing_slicing)]

use std::cmp::Ordering;

use super::{JsonError, JsonErrorKind, Object, Profile, Value, cmp_keys};

/// The deepest nesting of arrays and objects accepted (the top-level value is depth 1).
pub const MAX_DEPTH: usize = 64;

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

pub(super) struct Parser<'a> {
    input: &'a [u8],
    /// The same bytes, checked to be UTF-8 once, so that strings are sliced without checking
    /// them again.
    text: &'a str,
    pub(super) pos: usize,
    pub(super) profile: Profile,
}

impl Parser<'_> {
    pub(super) fn err(&self, kind: JsonErrorKind) -> JsonError {
        JsonError {
            offset: self.pos,
            kind,
        }
    }

    pub(super) fn unexpected(&self) -> JsonError {
        match self.input.get(self.pos) {
            None => self.err(JsonErrorKind::UnexpectedEnd),
            Some(&b) => self.err(JsonErrorKind::Unexpected {
                found: describe_byte(b),
            }),
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// The input not read yet (empty at its end).
    fn rest(&self) -> &[u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, lit: &[u8], value: Value) -> Result<Value, JsonError> {
        if self.rest().starts_with(lit) {
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
    pub(super) fn text(&self, start: usize, end: usize) -> Result<&str, JsonError> {
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
                if !self.rest().starts_with(b"\\u") {
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
}

/// Whether one of the eight bytes of `word` is `"`, `\\` or below 0x20 (exactly: the
/// zero-byte and less-than tests of "Bit Twiddling Hacks" have no false positives as yes/no
/// answers).
pub(super) fn has_special_byte(word: u64) -> bool {
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
    if let Some([a, b]) = members
        .windows(2)
        .find_map(|w| <&[_; 2]>::try_from(w).ok().filter(|[a, b]| a.0 == b.0))
    {
        return Err(JsonError {
            offset: a.2.max(b.2),
            kind: JsonErrorKind::DuplicateKey { key: b.0.clone() },
        });
    }
    Ok(Object {
        members: members.into_iter().map(|(k, v, _)| (k, v)).collect(),
    })
}

pub(super) fn describe_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}
