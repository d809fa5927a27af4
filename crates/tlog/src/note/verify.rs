//! Verifying a signed note: which of its signature lines a known key made, and opening a note
//! only when a trusted key signed it.

use super::*;

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
    /// A signature by a known key that does not verify.
    #[error(
        "the signature on line {line} by known key {key} does not verify: the note was altered or the signature forged"
    )]
    InvalidSignature {
        /// The key it names.
        key: KeyRef,
        /// The 1-based line number.
        line: usize,
    },
    /// A signature line whose key matches more than one known key.
    #[error("the signature on line {line} names {key}, which matches more than one configured key")]
    AmbiguousKey {
        /// The key it names.
        key: KeyRef,
        /// The 1-based line number.
        line: usize,
    },
    /// No signature by a known key.
    #[error("no signature by a known key (the note is signed only by: {})", display_keys(.unknown))]
    Unverified {
        /// The keys the note is signed by.
        unknown: Vec<KeyRef>,
    },
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
pub(super) trait NoteKey {
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

pub(super) fn classify<K: NoteKey>(note: &Note, keys: &[K]) -> NoteVerification {
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
    /// The note does not parse.
    #[error(transparent)]
    Parse(#[from] NoteError),
    /// The note parses but is not accepted.
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
