#![warn(clippy::indexing_slicing)]

use super::Value;
use super::number::write_number;
#[cfg(feature = "float")]
use super::{JsonError, Profile, parse};

/// RFC 8785: parses `input` (general profile) and returns its canonical encoding.
#[cfg(feature = "float")]
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
        Value::Number(n) => write_number(*n, out),
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
/// canonical order with unique keys (as [`Object::iter`](super::Object::iter) yields them).
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
pub(super) fn write_string(s: &str, out: &mut Vec<u8>) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Runs of bytes that need no escape are copied in one go.
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(bytes.get(run..i).unwrap_or_default());
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
                // b < 0x20: \u00 then two lowercase hex digits.
                out.extend_from_slice(b"\\u00");
                out.push(lower_hex_digit(b >> 4));
                out.push(lower_hex_digit(b & 0xf));
            }
        }
    }
    out.extend_from_slice(bytes.get(run..).unwrap_or_default());
    out.push(b'"');
}

/// The lowercase hex digit of `n` (below 16).
fn lower_hex_digit(n: u8) -> u8 {
    if n < 10 { b'0' + n } else { b'a' + (n - 10) }
}
