#![warn(clippy::indexing_slicing)]

use super::parse::Parser;
use super::{JsonError, JsonErrorKind, Profile, Value};

/// The largest integer magnitude an entry may hold: 2^53 − 1, the largest integer every
/// IEEE 754 double (and so every JSON implementation) represents exactly.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A JSON number: an integer within ±(2^53 − 1), or (only outside the entry profile, with the
/// `float` feature) a double.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A safe integer: within ±(2^53 − 1).
    Int(i64),
    /// A finite double that is not a safe integer. Never in an entry: only the general
    /// profile of [`parse`](super::parse) makes one.
    #[cfg(feature = "float")]
    Float(f64),
}

impl Parser<'_> {
    pub(super) fn number(&mut self) -> Result<Value, JsonError> {
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
        // Up to 16 digits plus a sign always fits in i64; longer is out of range anyway.
        if integer
            && let Ok(i) = text.parse::<i64>()
            && (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i)
        {
            return Ok(Value::Number(Number::Int(i)));
        }
        match self.profile {
            Profile::Entry if integer => Err(at_start(JsonErrorKind::IntegerOutOfRange)),
            Profile::Entry => Err(at_start(JsonErrorKind::NotAnInteger)),
            #[cfg(feature = "float")]
            Profile::General => {
                general_number(text).ok_or_else(|| at_start(JsonErrorKind::NumberOutOfRange))
            }
        }
    }
}

/// A number of the general profile: the double `text` stands for, or `None` if it is not
/// finite. A double that holds a safe integer exactly is that integer (so 56.0 and 56 are one
/// value).
#[cfg(feature = "float")]
fn general_number(text: &str) -> Option<Value> {
    let f: f64 = text.parse().ok().filter(|f: &f64| f.is_finite())?;
    if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER as f64 {
        return Some(Value::Number(Number::Int(f as i64)));
    }
    Some(Value::Number(Number::Float(f)))
}

/// Appends the RFC 8785 encoding of `n`: an integer in decimal; a double (§3.2.2.3) as
/// ECMAScript's `Number.prototype.toString` prints it.
pub(super) fn write_number(n: Number, out: &mut Vec<u8>) {
    match n {
        Number::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        #[cfg(feature = "float")]
        Number::Float(f) => {
            let mut buf = ryu_js::Buffer::new();
            out.extend_from_slice(buf.format(f).as_bytes());
        }
    }
}
