//! C2SP signed notes, checkpoints, cosignatures and tlog proofs.
//!
//! - [`Note`], [`parse_note`], [`format_note`], [`sign_note`], [`verify_note`]: the signed-note
//!   format of <https://c2sp.org/signed-note> (the format of Go's `golang.org/x/mod/sumdb/note`),
//!   with Ed25519 (signature type 0x01) signatures by [`SigningKey`] / [`VerifierKey`].
//! - [`Checkpoint`]: the note text of <https://c2sp.org/tlog-checkpoint> (origin, tree size,
//!   root hash, extension lines).
//! - [`cosign`], [`verify_cosignature`], [`verify_cosignatures`], [`CosignerKey`]: the timestamped
//!   Ed25519 cosignatures (signature type 0x04) of <https://c2sp.org/tlog-cosignature>.
//! - [`TlogProof`]: the offline proof bundle of <https://c2sp.org/tlog-proof>
//!   (`c2sp.org/tlog-proof@v1`). Checking its inclusion proof is left to the Merkle tree code.
//!
//! A signed note is the note text (ending in a newline), a blank line, and one or more
//! signature lines `— NAME base64(key id ‖ signature)` (U+2014 em dash, space):
//!
//! ```text
//! If you think cryptography is the answer to your problem,
//! then you don't know what your problem is.
//!
//! — PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=
//! ```
//!
//! Parsing is strict and never panics: the whole note must be UTF-8 with no ASCII control
//! characters but newline, base64 must be canonical (padded, no stray bits), and limits bound
//! the work ([`MAX_NOTE_BYTES`], [`MAX_SIGNATURES`]). Parsing does not verify anything; the
//! text of a note means nothing until [`verify_note`] (or [`verify_cosignatures`]) says a
//! trusted key signed it.

#![warn(clippy::indexing_slicing)]

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use crate::key::{KeyId, KeyRef, SigningKey, VerifierKey};

/// The largest signed note (and the largest tlog proof) accepted, in bytes: 1 MiB.
pub const MAX_NOTE_BYTES: usize = 1 << 20;

/// The most signature lines a note may carry. The spec requires accepting at least 16; Go's
/// note package stops at 100.
pub const MAX_SIGNATURES: usize = 100;

/// What every signature line starts with: U+2014 EM DASH, then a space.
pub const SIGNATURE_LINE_PREFIX: &str = "\u{2014} ";

/// The signature type byte of a timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature).
pub const ALG_COSIGNATURE_V1: u8 = 0x04;

/// The first line of the message a v1 cosignature signs.
pub const COSIGNATURE_V1_HEADER: &str = "cosignature/v1\n";

/// The largest timestamp a cosignature may carry: 2^63 − 1 (tlog-cosignature: "MUST NOT exceed
/// 2^63 - 1").
pub const MAX_COSIGNATURE_TIMESTAMP: u64 = (1 << 63) - 1;

/// Bytes after the key id in a v1 cosignature line: an 8-byte timestamp and a 64-byte signature.
pub const COSIGNATURE_V1_BYTES: usize = 8 + 64;

/// The first line of a tlog proof (c2sp.org/tlog-proof).
pub const TLOG_PROOF_HEADER: &str = "c2sp.org/tlog-proof@v1";

/// The most inclusion-proof hashes a tlog proof may carry: a tree of at most 2^64 leaves has
/// inclusion paths of at most 64 hashes.
pub const MAX_PROOF_HASHES: usize = 64;

mod checkpoint;
mod cosignature;
mod policy;
mod proof;
mod verify;

pub use checkpoint::*;
pub use cosignature::*;
pub use policy::*;
pub use proof::*;
pub use verify::*;
use verify::{NoteKey, classify};

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// The first ASCII control character other than newline in `s`, as (1-based line, byte).
/// Bytes below 0x20 are always whole one-byte characters in UTF-8.
fn find_control(s: &str) -> Option<(usize, u8)> {
    let mut line = 1;
    for b in s.bytes() {
        if b == b'\n' {
            line += 1;
        } else if b < 0x20 {
            return Some((line, b));
        }
    }
    None
}

/// A key name per c2sp.org/signed-note: non-empty, no Unicode space (White_Space, as Go's
/// `unicode.IsSpace`), no '+'. ASCII control characters are refused too, since no note may
/// contain them.
fn valid_key_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c == '+' || c.is_whitespace() || u32::from(c) < 0x20)
}

/// Decodes standard padded base64 (RFC 4648 §4) and accepts only the canonical encoding: the
/// decoded bytes must re-encode to exactly `s`, so one value has one text form.
fn decode_base64_canonical(s: &str) -> Option<Vec<u8>> {
    let raw = BASE64.decode(s).ok()?;
    if BASE64.encode(&raw) == s {
        Some(raw)
    } else {
        None
    }
}

/// Decodes one base64 SHA-256 hash: exactly 32 bytes, canonically encoded.
fn decode_hash(s: &str) -> Option<[u8; 32]> {
    crate::tree::decode_hash(s)
}

/// Why a decimal number (a tree size, an index) was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumberProblem {
    /// The field is empty.
    Empty,
    /// A character other than the ASCII digits 0–9 (this includes signs and spaces).
    NotDecimal,
    /// A leading zero (only "0" itself may start with 0).
    LeadingZero,
    /// The value does not fit in 64 bits.
    TooLarge,
}

impl fmt::Display for NumberProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberProblem::Empty => "it is empty",
            NumberProblem::NotDecimal => "it is not ASCII decimal digits",
            NumberProblem::LeadingZero => "it has a leading zero",
            NumberProblem::TooLarge => "it does not fit in 64 bits",
        })
    }
}

/// ASCII decimal with no leading zeros (unless the number is 0), no sign, no spaces.
fn parse_decimal(s: &str) -> Result<u64, NumberProblem> {
    if s.is_empty() {
        return Err(NumberProblem::Empty);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberProblem::NotDecimal);
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(NumberProblem::LeadingZero);
    }
    s.parse::<u64>().map_err(|_| NumberProblem::TooLarge)
}

// ---------------------------------------------------------------------------------------------
// Signed notes
// ---------------------------------------------------------------------------------------------

/// One signature line of a note: `— NAME base64(key id ‖ bytes)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name on the line.
    pub name: String,
    /// The first four decoded bytes: the signer's key id (big-endian u32).
    pub key_id: KeyId,
    /// The decoded bytes after the key id: the signature proper (64 bytes for Ed25519; an
    /// 8-byte timestamp and 64 signature bytes for a v1 cosignature). Never empty.
    pub bytes: Vec<u8>,
}

impl NoteSignature {
    /// `NAME+<key id>` of the key that claims this signature.
    pub fn key_ref(&self) -> KeyRef {
        KeyRef {
            name: self.name.clone(),
            id: self.key_id,
        }
    }

    /// `base64(key id ‖ bytes)`, as on the signature line.
    fn base64(&self) -> String {
        let mut raw = Vec::with_capacity(4 + self.bytes.len());
        raw.extend_from_slice(&self.key_id.0);
        raw.extend_from_slice(&self.bytes);
        BASE64.encode(raw)
    }
}

/// A parsed signed note: its text and its signature lines, in order. Nothing here is verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The signed text: everything before the last blank line, including its final newline.
    pub text: String,
    /// The signature lines, in the order they appear.
    pub signatures: Vec<NoteSignature>,
}

impl Note {
    /// Parses a signed note; see [`parse_note`].
    pub fn parse(input: &[u8]) -> Result<Note, NoteError> {
        parse_note(input)
    }

    /// Encodes the note; see [`format_note`].
    pub fn to_text(&self) -> Result<String, NoteError> {
        format_note(self)
    }

    /// The 1-based line number of the first signature line when the note is encoded: the text's
    /// lines, then the blank line, then the signatures. Signature `i` is on line
    /// `first_signature_line() + i`.
    pub fn first_signature_line(&self) -> usize {
        first_signature_line(&self.text)
    }

    /// Adds an Ed25519 signature of the text by `key`, replacing any signature already there
    /// with the same key name and id (as Go's `note.Sign` does).
    pub fn add_signature(&mut self, key: &SigningKey) -> Result<(), NoteError> {
        check_text(&self.text)?;
        let sig = ed25519_note_signature(&self.text, key);
        self.signatures
            .retain(|s| !(s.name == sig.name && s.key_id == sig.key_id));
        self.signatures.push(sig);
        Ok(())
    }
}

/// Text of `k` lines (`k` newlines): lines 1..=k, blank line k+1, first signature k+2.
fn first_signature_line(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 2
}

/// What is wrong with a line where a signature line was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureLineProblem {
    /// The line does not start with an em dash (U+2014).
    NotASignatureLine,
    /// The line starts with another dash (hyphen-minus, en dash, minus sign, …) where the em
    /// dash U+2014 belongs.
    WrongDash {
        /// The character found instead.
        found: char,
    },
    /// The em dash is not followed by exactly one space.
    MissingSpaceAfterDash,
    /// The key name is empty, or contains a Unicode space, a '+' or a control character.
    BadKeyName,
    /// No space and base64 signature follow the key name.
    MissingSignature,
    /// More than one space, or a space after the signature.
    ExtraSpace,
}

impl fmt::Display for SignatureLineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureLineProblem::NotASignatureLine => {
                f.write_str("it does not start with \"\u{2014} \" (em dash U+2014, space)")
            }
            SignatureLineProblem::WrongDash { found } => write!(
                f,
                "it starts with {found:?} (U+{:04X}) instead of the em dash \u{2014} (U+2014)",
                u32::from(*found)
            ),
            SignatureLineProblem::MissingSpaceAfterDash => {
                f.write_str("the em dash is not followed by a space")
            }
            SignatureLineProblem::BadKeyName => f.write_str(
                "the key name is empty or contains a space, a '+' or a control character",
            ),
            SignatureLineProblem::MissingSignature => {
                f.write_str("no space and base64 signature follow the key name")
            }
            SignatureLineProblem::ExtraSpace => {
                f.write_str("it has an extra space (exactly one space must separate each part)")
            }
        }
    }
}

/// Why a note could not be parsed, formatted or signed. Line numbers are 1-based, counted over
/// the whole note.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteError {
    /// The note is over the size limit.
    #[error("the note is {size} bytes; the limit is {max}")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The note is not UTF-8.
    #[error("the note is not valid UTF-8 (at byte {offset})")]
    NotUtf8 {
        /// The byte offset of the first invalid byte.
        offset: usize,
    },
    /// A carriage return: notes end lines with a bare newline.
    #[error(
        "line {line} contains a carriage return (CR, 0x0d): notes use bare newline (LF) line endings"
    )]
    CarriageReturn {
        /// The 1-based line number.
        line: usize,
    },
    /// A control character other than newline.
    #[error("line {line} contains the control character 0x{byte:02x}; only newline is allowed")]
    ControlCharacter {
        /// The 1-based line number.
        line: usize,
        /// The control character.
        byte: u8,
    },
    /// The text is empty.
    #[error("the note text is empty")]
    EmptyText,
    /// The note does not end with a newline.
    #[error("the note does not end with a newline")]
    MissingFinalNewline,
    /// No blank line before the signature lines.
    #[error("no blank line separates the note text from the signature lines")]
    MissingBlankLine,
    /// No signature lines after the last blank line.
    #[error("the note has no signature lines after its last blank line")]
    NoSignatures,
    /// A blank line after the signature lines.
    #[error(
        "the note ends with a blank line after its signature lines (line {line}); nothing may follow the last signature line"
    )]
    TrailingBlankLine {
        /// The 1-based line number.
        line: usize,
    },
    /// A signature line that is not `— NAME base64`.
    #[error("line {line} is not a valid signature line: {problem}")]
    MalformedSignatureLine {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        problem: SignatureLineProblem,
    },
    /// A signature that is not canonical standard base64.
    #[error("the signature on line {line} is not canonical standard base64")]
    BadBase64 {
        /// The 1-based line number.
        line: usize,
    },
    /// A signature shorter than a key id and one byte.
    #[error(
        "the signature on line {line} decodes to {len} bytes; at least 5 (a 4-byte key id and the signature) are required"
    )]
    SignatureTooShort {
        /// The 1-based line number.
        line: usize,
        /// Its decoded length in bytes.
        len: usize,
    },
    /// More signature lines than the limit.
    #[error("the note has {count} signature lines; the limit is {max}")]
    TooManySignatures {
        /// How many there are.
        count: usize,
        /// The limit.
        max: usize,
    },
}

fn check_chars(s: &str) -> Result<(), NoteError> {
    match find_control(s) {
        None => Ok(()),
        Some((line, b'\r')) => Err(NoteError::CarriageReturn { line }),
        Some((line, byte)) => Err(NoteError::ControlCharacter { line, byte }),
    }
}

/// Checks a text that is to be signed: non-empty, no control characters but newline, ends in a
/// newline, within the size limit.
fn check_text(text: &str) -> Result<(), NoteError> {
    if text.is_empty() {
        return Err(NoteError::EmptyText);
    }
    if text.len() > MAX_NOTE_BYTES {
        return Err(NoteError::TooLarge {
            size: text.len(),
            max: MAX_NOTE_BYTES,
        });
    }
    check_chars(text)?;
    if !text.ends_with('\n') {
        return Err(NoteError::MissingFinalNewline);
    }
    Ok(())
}

/// Parses a signed note strictly (c2sp.org/signed-note):
///
/// - at most [`MAX_NOTE_BYTES`] bytes, valid UTF-8, no ASCII control character but newline
///   (so no CR, no tab);
/// - ends with a newline;
/// - the text is everything up to and including the newline before the **last** blank line
///   (the text may itself contain blank lines);
/// - after that blank line, one to [`MAX_SIGNATURES`] lines, each exactly
///   `"— " NAME " " base64(key id ‖ signature) "\n"`, with canonical padded base64 of at least
///   5 bytes; nothing else may follow.
///
/// Duplicate and unknown signature lines are kept: whether they matter is decided by
/// [`verify_note`].
pub fn parse_note(input: &[u8]) -> Result<Note, NoteError> {
    if input.len() > MAX_NOTE_BYTES {
        return Err(NoteError::TooLarge {
            size: input.len(),
            max: MAX_NOTE_BYTES,
        });
    }
    let s = std::str::from_utf8(input).map_err(|e| NoteError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    check_chars(s)?;
    if !s.ends_with('\n') {
        return Err(NoteError::MissingFinalNewline);
    }
    // The separator is the last "\n\n": the newline ending the text, then the blank line.
    let Some((before, block)) = s.rsplit_once("\n\n") else {
        return Err(NoteError::MissingBlankLine);
    };
    let text = format!("{before}\n");
    let Some(block) = block.strip_suffix('\n') else {
        // Nothing after the last blank line. If the "text" ends with a signature line, the
        // blank line trails the signatures.
        let last = before.rsplit('\n').next().unwrap_or_default();
        if last.starts_with(SIGNATURE_LINE_PREFIX) {
            // The text's lines are 1..=k (k newlines); the blank line is k+1.
            return Err(NoteError::TrailingBlankLine {
                line: first_signature_line(&text) - 1,
            });
        }
        return Err(NoteError::NoSignatures);
    };
    let count = block.split('\n').count();
    if count > MAX_SIGNATURES {
        return Err(NoteError::TooManySignatures {
            count,
            max: MAX_SIGNATURES,
        });
    }
    let first = first_signature_line(&text);
    let signatures = block
        .split('\n')
        .enumerate()
        .map(|(i, line)| parse_signature_line(line, first + i))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Note { text, signatures })
}

/// Dashes that are easily mistaken for the em dash U+2014.
const LOOKALIKE_DASHES: [char; 6] = [
    '-',        // hyphen-minus
    '\u{2010}', // hyphen
    '\u{2012}', // figure dash
    '\u{2013}', // en dash
    '\u{2015}', // horizontal bar
    '\u{2212}', // minus sign
];

fn parse_signature_line(line: &str, line_no: usize) -> Result<NoteSignature, NoteError> {
    let malformed = |problem| NoteError::MalformedSignatureLine {
        line: line_no,
        problem,
    };
    let Some(rest) = line.strip_prefix(SIGNATURE_LINE_PREFIX) else {
        let problem = match line.chars().next() {
            Some('\u{2014}') => SignatureLineProblem::MissingSpaceAfterDash,
            Some(c) if LOOKALIKE_DASHES.contains(&c) => {
                SignatureLineProblem::WrongDash { found: c }
            }
            _ => SignatureLineProblem::NotASignatureLine,
        };
        return Err(malformed(problem));
    };
    // `— ` then NAME, one space, base64. A name cannot contain a space, so the first space ends it.
    let Some((name, b64)) = rest.split_once(' ') else {
        return Err(malformed(if valid_key_name(rest) {
            SignatureLineProblem::MissingSignature
        } else {
            SignatureLineProblem::BadKeyName
        }));
    };
    if name.is_empty() && rest.starts_with(' ') {
        // "—  NAME …": two spaces after the dash.
        return Err(malformed(SignatureLineProblem::ExtraSpace));
    }
    if !valid_key_name(name) {
        return Err(malformed(SignatureLineProblem::BadKeyName));
    }
    if b64.is_empty() {
        return Err(malformed(SignatureLineProblem::MissingSignature));
    }
    if b64.contains(' ') {
        return Err(malformed(SignatureLineProblem::ExtraSpace));
    }
    let raw = decode_base64_canonical(b64).ok_or(NoteError::BadBase64 { line: line_no })?;
    // base64(key id ‖ signature): the key id is the first 4 bytes (big-endian u32) and the
    // signature at least one byte.
    let id = raw.get(..4).and_then(|b| <[u8; 4]>::try_from(b).ok());
    match (id, raw.get(4..)) {
        (Some(id), Some(bytes)) if !bytes.is_empty() => Ok(NoteSignature {
            name: name.to_owned(),
            key_id: KeyId(id),
            bytes: bytes.to_vec(),
        }),
        _ => Err(NoteError::SignatureTooShort {
            line: line_no,
            len: raw.len(),
        }),
    }
}

/// Encodes a note: `text ‖ "\n" ‖ ("— " name " " base64(key id ‖ bytes) "\n")*`.
///
/// Refuses anything [`parse_note`] would refuse (an invalid text or key name, no signatures,
/// empty signature bytes, too many signatures, too large), so `parse_note(format_note(n)) == n`.
pub fn format_note(note: &Note) -> Result<String, NoteError> {
    check_text(&note.text)?;
    if note.signatures.is_empty() {
        return Err(NoteError::NoSignatures);
    }
    if note.signatures.len() > MAX_SIGNATURES {
        return Err(NoteError::TooManySignatures {
            count: note.signatures.len(),
            max: MAX_SIGNATURES,
        });
    }
    let first = first_signature_line(&note.text);
    let mut out = String::with_capacity(note.text.len() + 1 + note.signatures.len() * 120);
    out.push_str(&note.text);
    out.push('\n');
    for (i, sig) in note.signatures.iter().enumerate() {
        if !valid_key_name(&sig.name) {
            return Err(NoteError::MalformedSignatureLine {
                line: first + i,
                problem: SignatureLineProblem::BadKeyName,
            });
        }
        if sig.bytes.is_empty() {
            return Err(NoteError::SignatureTooShort {
                line: first + i,
                len: 4,
            });
        }
        out.push_str(SIGNATURE_LINE_PREFIX);
        out.push_str(&sig.name);
        out.push(' ');
        out.push_str(&sig.base64());
        out.push('\n');
    }
    if out.len() > MAX_NOTE_BYTES {
        return Err(NoteError::TooLarge {
            size: out.len(),
            max: MAX_NOTE_BYTES,
        });
    }
    Ok(out)
}

/// Ed25519 note signature (type 0x01): `bytes = Ed25519(key, text)` (RFC 8032 over the note
/// text, final newline included, separating blank line excluded); `key id` is the key's
/// `SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0..4]`.
fn ed25519_note_signature(text: &str, key: &SigningKey) -> NoteSignature {
    NoteSignature {
        name: key.name().to_owned(),
        key_id: key.key_ref().id,
        bytes: key.sign(text.as_bytes()).to_vec(),
    }
}

/// Signs `text` with `key` and returns the signed note:
/// `text ‖ "\n" ‖ "— " name " " base64(key id ‖ Ed25519(key, text)) "\n"`.
///
/// `text` must be non-empty, end with a newline and contain no control characters but newline.
pub fn sign_note(text: &str, key: &SigningKey) -> Result<String, NoteError> {
    check_text(text)?;
    format_note(&Note {
        text: text.to_owned(),
        signatures: vec![ed25519_note_signature(text, key)],
    })
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests;
