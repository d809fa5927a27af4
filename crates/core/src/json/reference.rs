//! The parser as it was before the fast paths (byte-copied strings validated again, every
//! object sorted with the code-unit comparison), kept verbatim for the tests only: the fast
//! parser must accept and refuse exactly what this one does, with the same values and the
//! same error kinds and offsets.

use std::cmp::Ordering;

use super::parse::describe_byte;
use super::{
    JsonError, JsonErrorKind, MAX_DEPTH, MAX_SAFE_INTEGER, Number, Object, Profile, Value,
};

/// Compares two keys by their UTF-16 code units, code unit by code unit.
pub(super) fn cmp_keys(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Parses one JSON document (surrounding whitespace allowed) under `profile`.
pub(super) fn parse(input: &[u8], profile: Profile) -> Result<Value, JsonError> {
    if let Err(e) = std::str::from_utf8(input) {
        return Err(JsonError {
            offset: e.valid_up_to(),
            kind: JsonErrorKind::InvalidUtf8,
        });
    }
    let mut p = Parser {
        input,
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

struct Parser<'a> {
    input: &'a [u8],
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
        let mut members: Vec<(String, Value, usize)> = Vec::new();
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
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected());
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push((key, value, key_offset));
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
        Ok(Value::Object(Object {
            members: members.into_iter().map(|(k, v, _)| (k, v)).collect(),
        }))
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

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out = Vec::new();
        loop {
            let start = self.pos;
            // Copy the run of plain bytes in one go.
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.extend_from_slice(&self.input[start..self.pos]);
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
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Some(b) => {
                    return Err(self.err(JsonErrorKind::ControlCharacter { code: b.into() }));
                }
            }
        }
        // The input was checked to be UTF-8 and escapes produce chars, so this cannot fail;
        // map the impossible case to an error rather than panicking.
        String::from_utf8(out).map_err(|_| self.err(JsonErrorKind::InvalidUtf8))
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
        let text = std::str::from_utf8(&self.input[start..self.pos])
            .map_err(|_| self.err(JsonErrorKind::InvalidUtf8))?;
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
