//! Identifiers and document references: situations, cases, court record numbers, Assembly and
//! United Nations document symbols, Bureau meetings, chambers, legal provisions, and the slug
//! identifiers events use to refer to each other (persons, warrants, proceedings, …).
//!
//! Every type has `Display` and `FromStr` that round-trip, and serializes as its string.

mod court;
mod docs;
mod slug;

pub use court::*;
pub use docs::*;
pub use slug::*;

/// Why a string is not a valid identifier or reference; the message says what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{expected}")]
pub struct IdError {
    /// What is expected, in words.
    pub expected: &'static str,
}

fn err<T>(expected: &'static str) -> Result<T, IdError> {
    Err(IdError { expected })
}

/// Parses exactly two ASCII digits.
fn two_digits(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    (b.len() == 2 && b.iter().all(u8::is_ascii_digit)).then(|| (b[0] - b'0') * 10 + (b[1] - b'0'))
}

/// Parses `NN/NN`.
fn pair(s: &str) -> Option<(u8, u8)> {
    let (a, b) = s.split_once('/')?;
    Some((two_digits(a)?, two_digits(b)?))
}

/// Parses a positive decimal number without leading zeros, of at most `max_digits` digits.
fn positive(s: &str, max_digits: usize) -> Option<u32> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > max_digits || b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.parse().ok()
}
