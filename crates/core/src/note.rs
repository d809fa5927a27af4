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

/// Decodes one base64 SHA-256 hash: exactly 32 bytes.
fn decode_hash(s: &str) -> Option<[u8; 32]> {
    <[u8; 32]>::try_from(decode_base64_canonical(s)?.as_slice()).ok()
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
    #[error("the note is {size} bytes; the limit is {max}")]
    TooLarge { size: usize, max: usize },
    #[error("the note is not valid UTF-8 (at byte {offset})")]
    NotUtf8 { offset: usize },
    #[error(
        "line {line} contains a carriage return (CR, 0x0d): notes use bare newline (LF) line endings"
    )]
    CarriageReturn { line: usize },
    #[error("line {line} contains the control character 0x{byte:02x}; only newline is allowed")]
    ControlCharacter { line: usize, byte: u8 },
    #[error("the note text is empty")]
    EmptyText,
    #[error("the note does not end with a newline")]
    MissingFinalNewline,
    #[error("no blank line separates the note text from the signature lines")]
    MissingBlankLine,
    #[error("the note has no signature lines after its last blank line")]
    NoSignatures,
    #[error(
        "the note ends with a blank line after its signature lines (line {line}); nothing may follow the last signature line"
    )]
    TrailingBlankLine { line: usize },
    #[error("line {line} is not a valid signature line: {problem}")]
    MalformedSignatureLine {
        line: usize,
        problem: SignatureLineProblem,
    },
    #[error("the signature on line {line} is not canonical standard base64")]
    BadBase64 { line: usize },
    #[error(
        "the signature on line {line} decodes to {len} bytes; at least 5 (a 4-byte key id and the signature) are required"
    )]
    SignatureTooShort { line: usize, len: usize },
    #[error("the note has {count} signature lines; the limit is {max}")]
    TooManySignatures { count: usize, max: usize },
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

/// A signature line, located: its position among the signatures, its line in the note, and the
/// key it claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureLine {
    /// 0-based index into [`Note::signatures`].
    pub index: usize,
    /// 1-based line number in the encoded note.
    pub line: usize,
    /// `NAME+<key id>` as stated on the line.
    pub key: KeyRef,
}

/// A signature that verified under a known key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// 0-based index into [`Note::signatures`].
    pub index: usize,
    /// 1-based line number in the encoded note.
    pub line: usize,
    /// The known key that verified it.
    pub key: KeyRef,
    /// For a cosignature, its (now authenticated) timestamp; `None` for a plain note signature.
    pub timestamp: Option<u64>,
}

/// What [`verify_note`] (or [`verify_cosignatures`]) found, line by line. Following
/// c2sp.org/signed-note, a line is matched to a known key by **both** its name and key id; a
/// line matching only one of them is from an unknown key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteVerification {
    /// One entry per distinct known key with a valid signature (its first valid line), in note
    /// order. A key counts once however many times it signed.
    pub verified: Vec<VerifiedSignature>,
    /// Lines whose name and key id match no known key. The spec says to ignore them; they are
    /// reported so a caller can show them.
    pub unknown: Vec<SignatureLine>,
    /// Lines whose name and key id match a known key but whose signature does not verify: the
    /// text was altered or the signature forged. The spec says the whole note SHOULD then be
    /// rejected, and [`NoteVerification::result`] does.
    pub invalid: Vec<SignatureLine>,
    /// Lines matching several known keys with different public keys (the verifier list holds
    /// two keys with the same name and id). Not verified; a configuration error.
    pub ambiguous: Vec<SignatureLine>,
    /// Further valid signatures by a key already in `verified`.
    pub duplicates: Vec<SignatureLine>,
}

/// Why a note is not accepted, in the order [`NoteVerification::result`] checks them (the
/// counterparts of Go's `InvalidSignatureError` and `UnverifiedNoteError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteVerifyError {
    #[error(
        "the signature on line {line} by known key {key} does not verify: the note was altered or the signature forged"
    )]
    InvalidSignature { key: KeyRef, line: usize },
    #[error("the signature on line {line} names {key}, which matches more than one configured key")]
    AmbiguousKey { key: KeyRef, line: usize },
    #[error("no signature by a known key (the note is signed only by: {})", display_keys(.unknown))]
    Unverified { unknown: Vec<KeyRef> },
}

fn display_keys(keys: &[KeyRef]) -> String {
    if keys.is_empty() {
        return "nobody".to_owned();
    }
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl NoteVerification {
    /// The distinct known keys that signed, in note order.
    pub fn verified_keys(&self) -> Vec<KeyRef> {
        self.verified.iter().map(|v| v.key.clone()).collect()
    }

    /// The verdict: the verified keys if at least one known key signed and no known key's
    /// signature failed; otherwise why not.
    pub fn result(&self) -> Result<Vec<KeyRef>, NoteVerifyError> {
        if let Some(bad) = self.invalid.first() {
            return Err(NoteVerifyError::InvalidSignature {
                key: bad.key.clone(),
                line: bad.line,
            });
        }
        if let Some(amb) = self.ambiguous.first() {
            return Err(NoteVerifyError::AmbiguousKey {
                key: amb.key.clone(),
                line: amb.line,
            });
        }
        if self.verified.is_empty() {
            let mut unknown: Vec<KeyRef> = Vec::new();
            for u in &self.unknown {
                if !unknown.contains(&u.key) {
                    unknown.push(u.key.clone());
                }
            }
            return Err(NoteVerifyError::Unverified { unknown });
        }
        Ok(self.verified_keys())
    }

    /// Whether [`NoteVerification::result`] is `Ok`.
    pub fn is_valid(&self) -> bool {
        self.result().is_ok()
    }
}

/// A key a signature line can be matched against.
trait NoteKey {
    fn key_name(&self) -> &str;
    fn key_id(&self) -> KeyId;
    fn public(&self) -> [u8; 32];
    /// `None` if `bytes` is not a valid signature of `text`; otherwise `Some(timestamp)`.
    fn check(&self, text: &str, bytes: &[u8]) -> Option<Option<u64>>;
}

impl NoteKey for VerifierKey {
    fn key_name(&self) -> &str {
        self.name()
    }
    fn key_id(&self) -> KeyId {
        self.id()
    }
    fn public(&self) -> [u8; 32] {
        self.public_bytes()
    }
    fn check(&self, text: &str, bytes: &[u8]) -> Option<Option<u64>> {
        // Ed25519 (type 0x01): the signature is exactly 64 bytes over the note text.
        let sig = <[u8; 64]>::try_from(bytes).ok()?;
        self.verify(text.as_bytes(), &sig).then_some(None)
    }
}

impl NoteKey for CosignerKey {
    fn key_name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> KeyId {
        self.id
    }
    fn public(&self) -> [u8; 32] {
        self.public
    }
    fn check(&self, text: &str, bytes: &[u8]) -> Option<Option<u64>> {
        check_cosignature_bytes(&self.public, text, bytes)
            .ok()
            .map(Some)
    }
}

fn classify<K: NoteKey>(note: &Note, keys: &[K]) -> NoteVerification {
    let mut out = NoteVerification::default();
    let first = note.first_signature_line();
    for (index, sig) in note.signatures.iter().enumerate() {
        let located = SignatureLine {
            index,
            line: first + index,
            key: sig.key_ref(),
        };
        // A known key is one with the same name AND key id (signed-note, "Signatures").
        let mut matching = keys
            .iter()
            .filter(|k| k.key_name() == sig.name && k.key_id() == sig.key_id);
        let Some(key) = matching.next() else {
            out.unknown.push(located);
            continue;
        };
        if matching.any(|other| other.public() != key.public()) {
            out.ambiguous.push(located);
            continue;
        }
        match key.check(&note.text, &sig.bytes) {
            None => out.invalid.push(located),
            Some(_) if out.verified.iter().any(|v| v.key == located.key) => {
                out.duplicates.push(located);
            }
            Some(timestamp) => out.verified.push(VerifiedSignature {
                index,
                line: located.line,
                key: located.key,
                timestamp,
            }),
        }
    }
    out
}

/// Verifies a note's Ed25519 signatures against the known `verifiers`. Every line from a known
/// key (same name and key id) is verified, duplicates included; lines from other keys are
/// reported as unknown and otherwise ignored; order does not matter. Use
/// [`NoteVerification::result`] for the verdict.
pub fn verify_note(note: &Note, verifiers: &[VerifierKey]) -> NoteVerification {
    classify(note, verifiers)
}

/// Why [`open_note`] refused a note.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenNoteError {
    #[error(transparent)]
    Parse(#[from] NoteError),
    #[error(transparent)]
    Verify(#[from] NoteVerifyError),
}

/// Parses and verifies in one step (like Go's `note.Open`): the note and the known keys that
/// signed it, or why it is not accepted.
pub fn open_note(
    input: &[u8],
    verifiers: &[VerifierKey],
) -> Result<(Note, Vec<KeyRef>), OpenNoteError> {
    let note = parse_note(input)?;
    let keys = verify_note(&note, verifiers).result()?;
    Ok((note, keys))
}

// ---------------------------------------------------------------------------------------------
// Checkpoints
// ---------------------------------------------------------------------------------------------

/// A transparency log checkpoint (c2sp.org/tlog-checkpoint): the text of a signed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin line: non-empty.
    pub origin: String,
    /// The tree size: the number of leaves.
    pub size: u64,
    /// The RFC 6962 Merkle tree root hash at `size`.
    pub root: [u8; 32],
    /// Opaque extension lines, each non-empty.
    pub extensions: Vec<String>,
}

/// Why a checkpoint text was refused. Line numbers are 1-based within the checkpoint text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    #[error("the checkpoint does not end with a newline")]
    MissingFinalNewline,
    #[error("line {line} of the checkpoint contains the control character 0x{byte:02x}")]
    ControlCharacter { line: usize, byte: u8 },
    #[error("the checkpoint has {found} lines; at least 3 (origin, size, root hash) are required")]
    TooFewLines { found: usize },
    #[error("the checkpoint origin (line 1) is empty")]
    EmptyOrigin,
    #[error("the checkpoint tree size (line 2) is invalid: {0}")]
    BadSize(NumberProblem),
    #[error("the checkpoint root hash (line 3) is not the canonical base64 of 32 bytes")]
    BadRootHash,
    #[error("line {line} of the checkpoint is an empty extension line")]
    EmptyExtensionLine { line: usize },
}

impl Checkpoint {
    /// Parses checkpoint text strictly: `origin "\n" size "\n" base64(root) "\n"` then
    /// extension lines `ext "\n"`. The origin must be non-empty; the size is ASCII decimal
    /// without leading zeros (except `0`) and fits in a u64; the root is canonical padded
    /// base64 of exactly 32 bytes; extension lines are non-empty; no control characters but
    /// newline anywhere.
    pub fn parse(text: &str) -> Result<Checkpoint, CheckpointError> {
        if let Some((line, byte)) = find_control(text) {
            return Err(CheckpointError::ControlCharacter { line, byte });
        }
        let Some(body) = text.strip_suffix('\n') else {
            return Err(CheckpointError::MissingFinalNewline);
        };
        let mut lines = body.split('\n');
        let origin = lines.next().unwrap_or_default();
        let (Some(size), Some(root)) = (lines.next(), lines.next()) else {
            return Err(CheckpointError::TooFewLines {
                found: body.split('\n').count(),
            });
        };
        if origin.is_empty() {
            return Err(CheckpointError::EmptyOrigin);
        }
        let size = parse_decimal(size).map_err(CheckpointError::BadSize)?;
        let root = decode_hash(root).ok_or(CheckpointError::BadRootHash)?;
        let mut extensions = Vec::new();
        for (i, ext) in lines.enumerate() {
            if ext.is_empty() {
                return Err(CheckpointError::EmptyExtensionLine { line: 4 + i });
            }
            extensions.push(ext.to_owned());
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// The checkpoint text:
    /// `origin "\n" decimal(size) "\n" base64(root) "\n" (extension "\n")*`.
    ///
    /// Refuses an empty origin, an empty extension line, or a control character (newline
    /// included) inside a field, so that `Checkpoint::parse(&c.to_text()?) == Ok(c)`.
    pub fn to_text(&self) -> Result<String, CheckpointError> {
        if self.origin.is_empty() {
            return Err(CheckpointError::EmptyOrigin);
        }
        // A newline inside a field would split it into two lines.
        if let Some(byte) = self.origin.bytes().find(|&b| b < 0x20) {
            return Err(CheckpointError::ControlCharacter { line: 1, byte });
        }
        for (i, ext) in self.extensions.iter().enumerate() {
            let line = 4 + i;
            if ext.is_empty() {
                return Err(CheckpointError::EmptyExtensionLine { line });
            }
            if let Some(byte) = ext.bytes().find(|&b| b < 0x20) {
                return Err(CheckpointError::ControlCharacter { line, byte });
            }
        }
        let mut out = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            BASE64.encode(self.root)
        );
        for ext in &self.extensions {
            out.push_str(ext);
            out.push('\n');
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Cosignatures (c2sp.org/tlog-cosignature, Ed25519 "cosignature/v1", type 0x04)
// ---------------------------------------------------------------------------------------------

/// The key id of an Ed25519 cosigner:
/// `SHA-256(name ‖ "\n" ‖ 0x04 ‖ 32-byte public key)[0..4]`.
pub fn cosigner_key_id(name: &str, public: &[u8; 32]) -> KeyId {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([ALG_COSIGNATURE_V1]);
    h.update(public);
    let d = h.finalize();
    KeyId([d[0], d[1], d[2], d[3]])
}

/// The message a v1 cosignature signs:
/// `"cosignature/v1\n" ‖ "time " ‖ decimal(timestamp) ‖ "\n" ‖ checkpoint text`
/// (the decimal has no leading zeros; the checkpoint text includes its final newline and no
/// signature lines).
pub fn cosignature_message(checkpoint_text: &str, timestamp: u64) -> Vec<u8> {
    format!("{COSIGNATURE_V1_HEADER}time {timestamp}\n{checkpoint_text}").into_bytes()
}

/// The public key of an Ed25519 cosigner, with its name; text form (a "vkey" of signature
/// type 0x04): `NAME+<key id, 8 hex digits>+base64(0x04 ‖ 32-byte public key)`.
#[derive(Clone, PartialEq, Eq)]
pub struct CosignerKey {
    name: String,
    id: KeyId,
    public: [u8; 32],
}

/// Why a cosigner key text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CosignerKeyError {
    #[error("key name must be non-empty with no spaces, no control characters and no '+'")]
    BadName,
    #[error("malformed cosigner key: expected NAME+<8 hex digits>+<base64 key>")]
    Malformed,
    #[error("this is a private key (PRIVATE+KEY+…) where a public cosigner key is expected")]
    PrivateKey,
    #[error("key id must be 8 lowercase hex digits")]
    BadKeyId,
    #[error("key material is not canonical standard base64")]
    BadBase64,
    #[error(
        "key material has {found} bytes; expected 33 (signature type 0x04 and a 32-byte Ed25519 key)"
    )]
    WrongLength { found: usize },
    #[error(
        "signature type 0x{found:02x} is not a cosignature/v1 key (0x04){}",
        if *.found == crate::key::ALG_ED25519 { "; this is a note verifier key (0x01)" } else { "" }
    )]
    NotCosignerKey { found: u8 },
    #[error(
        "key id {stated} does not match the key (computed {computed}): the key text was altered"
    )]
    IdMismatch { stated: KeyId, computed: KeyId },
    #[error("the public key is not a valid Ed25519 point")]
    InvalidPoint,
    #[error("the public key has small order (a weak key that would accept forged signatures)")]
    WeakKey,
}

impl CosignerKey {
    /// The cosigner key of a signing key: same name and Ed25519 key, key id computed with
    /// signature type 0x04 (so it differs from the key's note-signing id). The spec advises one
    /// key per signature type; reusing a note key as a cosigner is the caller's choice.
    pub fn from_signing_key(key: &SigningKey) -> CosignerKey {
        let public = key.verifier().public_bytes();
        CosignerKey {
            name: key.name().to_owned(),
            id: cosigner_key_id(key.name(), &public),
            public,
        }
    }

    /// The cosigner's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cosigner's key id (computed with type 0x04).
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// `NAME+<key id>`, as on its signature lines.
    pub fn key_ref(&self) -> KeyRef {
        KeyRef {
            name: self.name.clone(),
            id: self.id,
        }
    }

    /// The 32-byte Ed25519 public key.
    pub fn public_bytes(&self) -> [u8; 32] {
        self.public
    }
}

impl fmt::Display for CosignerKey {
    /// `NAME+<key id>+base64(0x04 ‖ public key)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = [0u8; 33];
        raw[0] = ALG_COSIGNATURE_V1;
        raw[1..].copy_from_slice(&self.public);
        write!(f, "{}+{}+{}", self.name, self.id, BASE64.encode(raw))
    }
}

impl fmt::Debug for CosignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CosignerKey({self})")
    }
}

impl FromStr for CosignerKey {
    type Err = CosignerKeyError;
    fn from_str(s: &str) -> Result<Self, CosignerKeyError> {
        if s.starts_with(crate::key::PRIVATE_KEY_PREFIX) {
            return Err(CosignerKeyError::PrivateKey);
        }
        // The name cannot contain '+', so the first two '+' delimit it and the id; base64 may
        // contain '+'.
        let mut parts = s.splitn(3, '+');
        let (Some(name), Some(id), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CosignerKeyError::Malformed);
        };
        if !valid_key_name(name) {
            return Err(CosignerKeyError::BadName);
        }
        let id: KeyId = id.parse().map_err(|_| CosignerKeyError::BadKeyId)?;
        let raw = decode_base64_canonical(b64).ok_or(CosignerKeyError::BadBase64)?;
        let Some((&alg, public)) = raw.split_first() else {
            return Err(CosignerKeyError::WrongLength { found: 0 });
        };
        if alg != ALG_COSIGNATURE_V1 {
            return Err(CosignerKeyError::NotCosignerKey { found: alg });
        }
        let public = <[u8; 32]>::try_from(public)
            .map_err(|_| CosignerKeyError::WrongLength { found: raw.len() })?;
        let computed = cosigner_key_id(name, &public);
        if computed != id {
            return Err(CosignerKeyError::IdMismatch {
                stated: id,
                computed,
            });
        }
        let key = ed25519_dalek::VerifyingKey::from_bytes(&public)
            .map_err(|_| CosignerKeyError::InvalidPoint)?;
        // RFC 8032 §5.1.3: a y coordinate not below p is invalid; decompression reduces it, so
        // require the point to re-encode to the bytes given.
        if key.to_edwards().compress().to_bytes() != public {
            return Err(CosignerKeyError::InvalidPoint);
        }
        if key.is_weak() {
            return Err(CosignerKeyError::WeakKey);
        }
        Ok(CosignerKey {
            name: name.to_owned(),
            id,
            public,
        })
    }
}

impl serde::Serialize for CosignerKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a cosignature was not made or does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CosignatureError {
    #[error("the cosigned text is not a valid checkpoint: {0}")]
    NotACheckpoint(CheckpointError),
    #[error("cosignature timestamp {timestamp} exceeds 2^63 - 1")]
    TimestampTooLarge { timestamp: u64 },
    #[error("the signature line is by {found}, not by cosigner {expected}")]
    WrongKey { expected: KeyRef, found: KeyRef },
    #[error(
        "the cosignature has {found} bytes after the key id; a v1 cosignature has 72 (8-byte timestamp, 64-byte signature)"
    )]
    WrongLength { found: usize },
    #[error(
        "the cosignature does not verify: the checkpoint or timestamp was altered or the signature forged"
    )]
    BadSignature,
}

/// Splits v1 cosignature bytes (after the key id) into `timestamp ‖ signature`: an 8-byte
/// big-endian timestamp, at most 2^63 − 1, then a 64-byte Ed25519 signature.
fn split_cosignature_bytes(bytes: &[u8]) -> Result<(u64, [u8; 64]), CosignatureError> {
    let wrong = || CosignatureError::WrongLength { found: bytes.len() };
    if bytes.len() != COSIGNATURE_V1_BYTES {
        return Err(wrong());
    }
    let (ts, sig) = bytes.split_at(8);
    let ts = u64::from_be_bytes(<[u8; 8]>::try_from(ts).map_err(|_| wrong())?);
    let sig = <[u8; 64]>::try_from(sig).map_err(|_| wrong())?;
    if ts > MAX_COSIGNATURE_TIMESTAMP {
        return Err(CosignatureError::TimestampTooLarge { timestamp: ts });
    }
    Ok((ts, sig))
}

/// Verifies v1 cosignature bytes by `public` over `text` (strict Ed25519: canonical `s`, no
/// small-order `R` or key); returns the timestamp.
fn check_cosignature_bytes(
    public: &[u8; 32],
    text: &str,
    bytes: &[u8],
) -> Result<u64, CosignatureError> {
    let (timestamp, sig) = split_cosignature_bytes(bytes)?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(public)
        .map_err(|_| CosignatureError::BadSignature)?;
    let sig = ed25519_dalek::Signature::from_bytes(&sig);
    key.verify_strict(&cosignature_message(text, timestamp), &sig)
        .map_err(|_| CosignatureError::BadSignature)?;
    Ok(timestamp)
}

/// Cosigns a checkpoint at `timestamp` (POSIX seconds) with `key` as an Ed25519 v1 cosigner:
///
/// - key id = `SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key)[0..4]`;
/// - signature = `Ed25519(key, "cosignature/v1\ntime " ‖ decimal(timestamp) ‖ "\n" ‖ text)`;
/// - the line's bytes after the key id = `u64_be(timestamp) ‖ signature` (72 bytes).
///
/// Push the result onto the checkpoint note's [`Note::signatures`].
pub fn cosign(
    checkpoint_text: &str,
    key: &SigningKey,
    timestamp: u64,
) -> Result<NoteSignature, CosignatureError> {
    Checkpoint::parse(checkpoint_text).map_err(CosignatureError::NotACheckpoint)?;
    if timestamp > MAX_COSIGNATURE_TIMESTAMP {
        return Err(CosignatureError::TimestampTooLarge { timestamp });
    }
    let public = key.verifier().public_bytes();
    let signature = key.sign(&cosignature_message(checkpoint_text, timestamp));
    let mut bytes = Vec::with_capacity(COSIGNATURE_V1_BYTES);
    bytes.extend_from_slice(&timestamp.to_be_bytes());
    bytes.extend_from_slice(&signature);
    Ok(NoteSignature {
        name: key.name().to_owned(),
        key_id: cosigner_key_id(key.name(), &public),
        bytes,
    })
}

/// Verifies one cosignature line by `cosigner` over `checkpoint_text`; returns its timestamp.
/// The line must carry the cosigner's name and (type 0x04) key id.
pub fn verify_cosignature(
    checkpoint_text: &str,
    signature: &NoteSignature,
    cosigner: &CosignerKey,
) -> Result<u64, CosignatureError> {
    Checkpoint::parse(checkpoint_text).map_err(CosignatureError::NotACheckpoint)?;
    if signature.name != cosigner.name || signature.key_id != cosigner.id {
        return Err(CosignatureError::WrongKey {
            expected: cosigner.key_ref(),
            found: signature.key_ref(),
        });
    }
    check_cosignature_bytes(&cosigner.public, checkpoint_text, &signature.bytes)
}

/// The timestamp a cosignature line claims, **not authenticated**: use it only to display or
/// to pre-filter; [`verify_cosignature`] returns the verified timestamp.
pub fn cosignature_timestamp(signature: &NoteSignature) -> Result<u64, CosignatureError> {
    split_cosignature_bytes(&signature.bytes).map(|(ts, _)| ts)
}

/// Verifies the cosignatures on a checkpoint note against the known `cosigners`, exactly as
/// [`verify_note`] does for note signatures (lines from other keys, the log's own signature
/// included, are reported as unknown). Verified entries carry their timestamps. Fails only if
/// the note text is not a checkpoint.
pub fn verify_cosignatures(
    note: &Note,
    cosigners: &[CosignerKey],
) -> Result<NoteVerification, CheckpointError> {
    Checkpoint::parse(&note.text)?;
    Ok(classify(note, cosigners))
}

// ---------------------------------------------------------------------------------------------
// tlog proofs (c2sp.org/tlog-proof)
// ---------------------------------------------------------------------------------------------

/// An offline proof that an entry is in a log (c2sp.org/tlog-proof@v1):
///
/// ```text
/// c2sp.org/tlog-proof@v1
/// extra <base64 extra data>          (optional)
/// index <decimal leaf index>
/// <base64 inclusion proof hash>      (zero or more, leaf's sibling first)
///
/// <signed checkpoint note, verbatim>
/// ```
///
/// Parsing checks the structure and that `index < checkpoint size`; it verifies neither the
/// signatures (use [`verify_note`] / [`verify_cosignatures`] on [`TlogProof::checkpoint`]) nor the
/// inclusion proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    /// Opaque, unauthenticated extra data; `None` when the `extra` line is absent. Never
    /// `Some` of an empty vector.
    pub extra: Option<Vec<u8>>,
    /// The 0-based index of the entry in the log.
    pub index: u64,
    /// The RFC 6962 inclusion proof, from the leaf's sibling up to the root's child.
    pub proof: Vec<[u8; 32]>,
    /// The log's signed checkpoint note (with any cosignatures).
    pub checkpoint: Note,
}

/// Why a tlog proof was refused. Line numbers are 1-based over the whole proof.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TlogProofError {
    #[error("the proof is {size} bytes; the limit is {max}")]
    TooLarge { size: usize, max: usize },
    #[error("the proof is not valid UTF-8 (at byte {offset})")]
    NotUtf8 { offset: usize },
    #[error("line {line} of the proof contains the control character 0x{byte:02x}")]
    ControlCharacter { line: usize, byte: u8 },
    #[error("the proof does not start with the line {TLOG_PROOF_HEADER:?}")]
    MissingHeader,
    #[error("the extra data on line {line} is empty or not canonical standard base64")]
    BadExtra { line: usize },
    #[error("line {line} of the proof should be \"index <decimal>\"")]
    MissingIndex { line: usize },
    #[error("the index on line {line} is invalid: {problem}")]
    BadIndex { line: usize, problem: NumberProblem },
    #[error("line {line} of the proof is not the canonical base64 of a 32-byte hash")]
    BadProofHash { line: usize },
    #[error("the inclusion proof has more than {max} hashes")]
    TooManyProofHashes { max: usize },
    #[error("no blank line separates the proof from the checkpoint")]
    MissingBlankLine,
    #[error("the checkpoint note starting on line {first_line} is invalid: {error}")]
    Checkpoint { first_line: usize, error: NoteError },
    #[error("the checkpoint note's text is not a checkpoint: {0}")]
    NotACheckpoint(CheckpointError),
    #[error("index {index} is not below the checkpoint's tree size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
}

impl TlogProof {
    /// Parses a tlog proof strictly: the header line; an optional `extra <base64>` line
    /// (non-empty, canonical); `index <decimal>` (no leading zeros); up to
    /// [`MAX_PROOF_HASHES`] lines of canonical base64 32-byte hashes; a blank line; then a
    /// signed note (parsed by [`parse_note`]) whose text is a [`Checkpoint`] with
    /// `size > index`. The whole proof is at most [`MAX_NOTE_BYTES`].
    pub fn parse(input: &[u8]) -> Result<TlogProof, TlogProofError> {
        if input.len() > MAX_NOTE_BYTES {
            return Err(TlogProofError::TooLarge {
                size: input.len(),
                max: MAX_NOTE_BYTES,
            });
        }
        let s = std::str::from_utf8(input).map_err(|e| TlogProofError::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        if let Some((line, byte)) = find_control(s) {
            return Err(TlogProofError::ControlCharacter { line, byte });
        }
        // The proof lines are non-empty, so the first blank line ends them.
        let Some((head, rest)) = s.split_once("\n\n") else {
            return Err(TlogProofError::MissingBlankLine);
        };
        let mut lines = head.split('\n').zip(1..);
        if lines.next().map(|(l, _)| l) != Some(TLOG_PROOF_HEADER) {
            return Err(TlogProofError::MissingHeader);
        }
        let (mut line, mut n) = lines
            .next()
            .ok_or(TlogProofError::MissingIndex { line: 2 })?;
        let mut extra = None;
        if let Some(b64) = line.strip_prefix("extra ") {
            let data = decode_base64_canonical(b64)
                .filter(|d| !d.is_empty())
                .ok_or(TlogProofError::BadExtra { line: n })?;
            extra = Some(data);
            (line, n) = lines
                .next()
                .ok_or(TlogProofError::MissingIndex { line: n + 1 })?;
        }
        let index = line
            .strip_prefix("index ")
            .ok_or(TlogProofError::MissingIndex { line: n })?;
        let index = parse_decimal(index)
            .map_err(|problem| TlogProofError::BadIndex { line: n, problem })?;
        let mut proof = Vec::new();
        for (l, n) in lines {
            if proof.len() == MAX_PROOF_HASHES {
                return Err(TlogProofError::TooManyProofHashes {
                    max: MAX_PROOF_HASHES,
                });
            }
            proof.push(decode_hash(l).ok_or(TlogProofError::BadProofHash { line: n })?);
        }
        // head has k newlines (k+1 lines), then the blank line, so the note starts at k+3.
        let first_line = head.bytes().filter(|&b| b == b'\n').count() + 3;
        let checkpoint = parse_note(rest.as_bytes())
            .map_err(|error| TlogProofError::Checkpoint { first_line, error })?;
        let parsed = Checkpoint::parse(&checkpoint.text).map_err(TlogProofError::NotACheckpoint)?;
        if index >= parsed.size {
            return Err(TlogProofError::IndexOutOfRange {
                index,
                size: parsed.size,
            });
        }
        Ok(TlogProof {
            extra,
            index,
            proof,
            checkpoint,
        })
    }

    /// The proof text (see the type's documentation). Refuses what [`TlogProof::parse`] would
    /// refuse, so the two round-trip.
    pub fn to_text(&self) -> Result<String, TlogProofError> {
        let mut out = String::from(TLOG_PROOF_HEADER);
        out.push('\n');
        let mut line = 2;
        if let Some(extra) = &self.extra {
            if extra.is_empty() {
                return Err(TlogProofError::BadExtra { line });
            }
            out.push_str("extra ");
            out.push_str(&BASE64.encode(extra));
            out.push('\n');
            line += 1;
        }
        out.push_str(&format!("index {}\n", self.index));
        line += 1;
        if self.proof.len() > MAX_PROOF_HASHES {
            return Err(TlogProofError::TooManyProofHashes {
                max: MAX_PROOF_HASHES,
            });
        }
        for hash in &self.proof {
            out.push_str(&BASE64.encode(hash));
            out.push('\n');
            line += 1;
        }
        out.push('\n');
        let first_line = line + 1;
        let note = format_note(&self.checkpoint)
            .map_err(|error| TlogProofError::Checkpoint { first_line, error })?;
        let parsed = self.parsed_checkpoint()?;
        if self.index >= parsed.size {
            return Err(TlogProofError::IndexOutOfRange {
                index: self.index,
                size: parsed.size,
            });
        }
        out.push_str(&note);
        if out.len() > MAX_NOTE_BYTES {
            return Err(TlogProofError::TooLarge {
                size: out.len(),
                max: MAX_NOTE_BYTES,
            });
        }
        Ok(out)
    }

    /// The parsed checkpoint of [`TlogProof::checkpoint`] (its text is not yet verified).
    pub fn parsed_checkpoint(&self) -> Result<Checkpoint, TlogProofError> {
        Checkpoint::parse(&self.checkpoint.text).map_err(TlogProofError::NotACheckpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_located_by_line() {
        assert_eq!(find_control("a\nb\n"), None);
        assert_eq!(find_control("a\nb\tc\n"), Some((2, b'\t')));
        assert_eq!(find_control("a\r\n"), Some((1, b'\r')));
        // U+0085 (NEL) is not an ASCII control: the spec only forbids those below U+0020.
        assert_eq!(find_control("a\u{85}\n"), None);
    }

    #[test]
    fn key_names_follow_the_spec() {
        for good in ["a", "example.com/log", "Ünïcödé", "a-b_c.d/e:f"] {
            assert!(valid_key_name(good), "{good:?}");
        }
        for bad in [
            "",
            "a b",
            "a+b",
            "a\u{a0}b",
            "a\u{2003}b",
            "a\u{85}b",
            "a\u{1}b",
        ] {
            assert!(!valid_key_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn base64_must_be_canonical() {
        assert_eq!(decode_base64_canonical("AAE="), Some(vec![0, 1]));
        assert_eq!(decode_base64_canonical("AAE"), None, "missing padding");
        assert_eq!(decode_base64_canonical("AAF="), None, "stray low bits");
        assert_eq!(decode_base64_canonical("AA E="), None, "space");
        assert_eq!(decode_base64_canonical("AA-_"), None, "URL alphabet");
        assert_eq!(decode_base64_canonical(""), Some(vec![]));
    }

    #[test]
    fn decimals_are_strict() {
        assert_eq!(parse_decimal("0"), Ok(0));
        assert_eq!(parse_decimal("10"), Ok(10));
        assert_eq!(parse_decimal("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_decimal(""), Err(NumberProblem::Empty));
        assert_eq!(parse_decimal("00"), Err(NumberProblem::LeadingZero));
        assert_eq!(parse_decimal("01"), Err(NumberProblem::LeadingZero));
        assert_eq!(parse_decimal("+1"), Err(NumberProblem::NotDecimal));
        assert_eq!(parse_decimal("-0"), Err(NumberProblem::NotDecimal));
        assert_eq!(parse_decimal(" 1"), Err(NumberProblem::NotDecimal));
        assert_eq!(parse_decimal("1\u{0661}"), Err(NumberProblem::NotDecimal));
        assert_eq!(
            parse_decimal("18446744073709551616"),
            Err(NumberProblem::TooLarge)
        );
    }

    #[test]
    fn the_last_blank_line_separates_text_and_signatures() {
        let sig = NoteSignature {
            name: "k".into(),
            key_id: KeyId([1, 2, 3, 4]),
            bytes: vec![9; 64],
        };
        for text in ["a\n", "\n", "a\n\n", "a\n\nb\n", "a\n\n\n"] {
            let note = Note {
                text: text.to_owned(),
                signatures: vec![sig.clone()],
            };
            let encoded = format_note(&note).expect("valid");
            assert_eq!(parse_note(encoded.as_bytes()), Ok(note), "{text:?}");
        }
    }

    #[test]
    fn first_signature_line_counts_text_lines() {
        assert_eq!(first_signature_line("a\n"), 3);
        assert_eq!(first_signature_line("a\n\nb\n"), 5);
    }

    fn cosigner(name: &str, seed: u8) -> (SigningKey, CosignerKey) {
        let k = SigningKey::from_seed(name, [seed; 32]).expect("valid name");
        let c = CosignerKey::from_signing_key(&k);
        (k, c)
    }

    #[test]
    fn two_configured_keys_with_one_name_and_id_are_ambiguous() {
        let text = "example.com/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
        let (k, good) = cosigner("w", 1);
        let sig = cosign(text, &k, 5).expect("cosign");
        // A second key under the same name and id (a key id collision in the configuration).
        let (_, other) = cosigner("w", 2);
        let impostor = CosignerKey {
            name: good.name.clone(),
            id: good.id,
            public: other.public,
        };
        let note = Note {
            text: text.to_owned(),
            signatures: vec![sig],
        };
        let v = verify_cosignatures(&note, &[good.clone(), impostor]).expect("checkpoint");
        assert_eq!(v.ambiguous.len(), 1);
        assert!(v.verified.is_empty());
        assert!(matches!(
            v.result(),
            Err(NoteVerifyError::AmbiguousKey { .. })
        ));
        // The same key listed twice is not ambiguous.
        let v = verify_cosignatures(&note, &[good.clone(), good]).expect("checkpoint");
        assert_eq!(v.verified.len(), 1);
        assert!(v.ambiguous.is_empty());
    }

    #[test]
    fn cosignature_bytes_split_at_eight() {
        let mut bytes = vec![0u8; 72];
        bytes[7] = 9;
        bytes[8] = 0xaa;
        let (ts, sig) = split_cosignature_bytes(&bytes).expect("72 bytes");
        assert_eq!(ts, 9);
        assert_eq!(sig[0], 0xaa);
        bytes[0] = 0x80;
        assert_eq!(
            split_cosignature_bytes(&bytes),
            Err(CosignatureError::TimestampTooLarge {
                timestamp: (1 << 63) | 9
            })
        );
        assert_eq!(
            split_cosignature_bytes(&bytes[..71]),
            Err(CosignatureError::WrongLength { found: 71 })
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Checkpoint policy: the log's signature and k of n witnesses
// ---------------------------------------------------------------------------------------------

/// A checkpoint note whose log signature (and witness policy) verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCheckpoint {
    /// The parsed note (all its signature lines).
    pub note: Note,
    /// Its checkpoint body.
    pub checkpoint: Checkpoint,
    /// The witnesses whose cosignatures verified, with their timestamps.
    pub witnesses: Vec<(KeyRef, u64)>,
}

/// Why a checkpoint note was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointPolicyError {
    #[error("not a signed note: {0}")]
    Note(#[from] NoteError),
    #[error("not a checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("not signed by the log's key: {0}")]
    LogSignature(NoteVerifyError),
    #[error("a witness cosignature does not verify: {0}")]
    BadCosignature(NoteVerifyError),
    #[error("only {found} of the required {required} witness cosignatures verify")]
    TooFewWitnesses { required: usize, found: usize },
}

/// Parses a checkpoint note and checks it: signed by `log_key`, and cosigned by at least
/// `threshold` of `witnesses` (a forged cosignature by a listed witness rejects the note).
pub fn verify_checkpoint_note(
    input: &[u8],
    log_key: &VerifierKey,
    witnesses: &[CosignerKey],
    threshold: usize,
) -> Result<VerifiedCheckpoint, CheckpointPolicyError> {
    let note = parse_note(input)?;
    let checkpoint = Checkpoint::parse(&note.text)?;
    verify_note(&note, std::slice::from_ref(log_key))
        .result()
        .map_err(CheckpointPolicyError::LogSignature)?;
    let mut found = Vec::new();
    if !witnesses.is_empty() {
        let v = classify(&note, witnesses);
        if let Some(bad) = v.invalid.first() {
            return Err(CheckpointPolicyError::BadCosignature(
                NoteVerifyError::InvalidSignature {
                    key: bad.key.clone(),
                    line: bad.line,
                },
            ));
        }
        found = v
            .verified
            .iter()
            .map(|s| (s.key.clone(), s.timestamp.unwrap_or(0)))
            .collect();
    }
    if found.len() < threshold {
        return Err(CheckpointPolicyError::TooFewWitnesses {
            required: threshold,
            found: found.len(),
        });
    }
    Ok(VerifiedCheckpoint {
        note,
        checkpoint,
        witnesses: found,
    })
}
