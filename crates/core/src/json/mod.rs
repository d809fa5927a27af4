//! Strict JSON parsing and RFC 8785 (JCS) canonical encoding.
//!
//! Two entry points:
//!
//! - [`parse`] with [`Profile::Entry`] is what acta's log entries use: the RFC 8785 grammar,
//!   but every number must be an integer literal within ±(2^53 − 1) (no fraction, no
//!   exponent), so that no two implementations can disagree on a number's value.
//! - `canonicalize` (and `Profile::General`, `Number::Float`), only with the non-default
//!   `float` feature, is general RFC 8785: any I-JSON document in, its canonical form out
//!   (numbers as IEEE 754 doubles printed in ECMAScript form). It passes the published JCS
//!   vectors. No log path reads or writes a double, so without the feature the code that
//!   parses and prints them (and its `ryu-js` dependency) is not in the crate.
//!
//! Both refuse what RFC 8785 and I-JSON (RFC 7493) refuse: duplicate object keys, lone
//! surrogates, invalid UTF-8, and numbers that are not finite doubles. Nesting deeper than
//! [`MAX_DEPTH`] is refused so that hostile input cannot exhaust the stack.

#![warn(clippy::indexing_slicing)]

mod canonical;
mod number;
mod parse;
mod value;

#[cfg(feature = "float")]
pub use canonical::canonicalize;
pub use canonical::{to_canonical, write_canonical, write_object};
pub use number::{MAX_SAFE_INTEGER, Number};
pub use parse::{MAX_DEPTH, parse};
pub use value::{Object, Value, cmp_keys};

/// Which numbers [`parse`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Any finite double, as RFC 8785 allows (only with the `float` feature).
    #[cfg(feature = "float")]
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
    /// The input is not UTF-8.
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// The input ends inside a value.
    #[error("unexpected end of input")]
    UnexpectedEnd,
    /// A character that cannot come here.
    #[error("unexpected {found}")]
    Unexpected {
        /// What was found, for people.
        found: String,
    },
    /// An object with two members of the same name.
    #[error("duplicate object key {key:?}")]
    DuplicateKey {
        /// The name.
        key: String,
    },
    /// Arrays and objects nested too deep.
    #[error("nesting deeper than {limit} levels")]
    TooDeep {
        /// The nesting limit.
        limit: usize,
    },
    /// A number with a fraction or exponent where only integers are allowed.
    #[error("a number with a fraction or exponent (only integers are allowed)")]
    NotAnInteger,
    /// An integer beyond ±(2^53 − 1).
    #[error("integer beyond ±(2^53 - 1)")]
    IntegerOutOfRange,
    /// Only the general profile (the `float` feature) reads doubles.
    #[cfg(feature = "float")]
    #[error("number is not a finite double")]
    NumberOutOfRange,
    /// A `\u` escape of an unpaired UTF-16 surrogate.
    #[error("unpaired UTF-16 surrogate in a \\u escape")]
    LoneSurrogate,
    /// An unescaped control character in a string.
    #[error("raw control character U+{code:04X} in a string (must be escaped)")]
    ControlCharacter {
        /// Its code point.
        code: u32,
    },
    /// An invalid escape sequence in a string.
    #[error("invalid escape sequence")]
    InvalidEscape,
    /// Something other than whitespace after the value.
    #[error("data after the JSON value")]
    TrailingData,
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod reference;

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests;
