use super::parse::Parser;
use super::{JsonError, JsonErrorKind, Profile, Value};

/// The largest integer magnitude an entry may hold: 2^53 − 1, the largest integer every
/// IEEE 754 double (and so every JSON implementation) represents exactly.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A JSON number: an integer within ±(2^53 − 1), or (only outside the entry profile) a double.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
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
