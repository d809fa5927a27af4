use std::collections::HashMap;
use std::sync::Arc;

use super::Verifier;
use crate::entry::{Decoded, Entry, EntryError, EntryHash, signed_message};
use crate::key::{KeyRef, VerifierKey};

/// The per-line work that does not depend on earlier lines: the line's hash, its decoding
/// (parse, field checks, canonical check), its timestamp and, optionally, a signature check
/// made ahead of time against the key its author had in a [`SignatureContext`].
///
/// Making one does not need the [`Verifier`], so lines can be prepared in parallel and then
/// pushed in order with [`Verifier::push_prepared`]; the findings are exactly those of
/// [`Verifier::push_line`], which is `push_prepared(PreparedLine::new(line, None))`.
#[derive(Debug)]
pub struct PreparedLine {
    pub(super) len: u64,
    pub(super) hash: EntryHash,
    pub(super) decoded: Result<Decoded, EntryError>,
    pub(super) time: Option<chrono::DateTime<chrono::Utc>>,
    pub(super) signature: Option<SignatureCheck>,
}

/// A signature check made ahead of time: its result for this origin and public key. The
/// verifier uses it only if, when it reaches the line, the author's key in its keyring is
/// that public key and the origin is this origin; otherwise it checks the signature itself.
/// A strict Ed25519 check is a pure function of (public key, message, signature), so using it
/// changes no result.
#[derive(Debug)]
pub(super) struct SignatureCheck {
    pub(super) origin: Arc<str>,
    pub(super) public: [u8; 32],
    pub(super) valid: bool,
}

/// A snapshot of what a [`Verifier`] checks signatures against (the log's origin and the
/// keys of its keyring), used to check signatures ahead of the sequential checks.
#[derive(Debug, Clone)]
pub struct SignatureContext {
    pub(super) origin: Arc<str>,
    pub(super) keys: HashMap<KeyRef, VerifierKey>,
    pub(super) generation: u64,
}

impl SignatureContext {
    /// The number of keys in the snapshot.
    pub fn keys(&self) -> usize {
        self.keys.len()
    }

    /// Whether the verifier's origin and keyring have changed since this snapshot. A stale
    /// snapshot is still correct to use (a check against a key the verifier no longer has
    /// for that author is ignored), it only misses new keys.
    pub fn is_stale(&self, v: &Verifier) -> bool {
        self.generation != v.generation
    }
}

impl PreparedLine {
    /// Prepares one complete line (without its newline). With a context, the signature is
    /// checked (strictly) against the key the context has for the line's author, if any.
    pub fn new(line: &[u8], context: Option<&SignatureContext>) -> PreparedLine {
        let decoded = Entry::decode(line);
        let hash = match &decoded {
            Ok(d) => d.hash,
            Err(_) => EntryHash::of_line(line),
        };
        let mut time = None;
        let mut signature = None;
        if let Ok(d) = &decoded {
            // check_timestamp succeeded in decode; parse again for the instant.
            time = crate::entry::check_timestamp(&d.entry.recorded_at).ok();
            if let Some(c) = context
                && let Some(key) = c.keys.get(&d.entry.author)
            {
                signature = Some(SignatureCheck {
                    origin: c.origin.clone(),
                    public: key.public_bytes(),
                    valid: key.verify(&signed_message(&c.origin, &d.unsigned), &d.entry.sig),
                });
            }
        }
        PreparedLine {
            len: line.len() as u64,
            hash,
            decoded,
            time,
            signature,
        }
    }

    /// Whether a signature check was made ahead of time.
    pub fn signature_checked(&self) -> bool {
        self.signature.is_some()
    }

    /// The line's entry hash (SHA-256 of its bytes), computed while preparing it.
    pub fn hash(&self) -> EntryHash {
        self.hash
    }

    /// The line's length in bytes (without its newline).
    pub fn line_len(&self) -> u64 {
        self.len
    }
}

/// Checks `d`'s signature by `key` in the log `origin`, using `ahead` if it was made for that
/// origin and key.
pub(super) fn signature_valid(
    key: &VerifierKey,
    origin: &str,
    d: &Decoded,
    ahead: Option<&SignatureCheck>,
) -> bool {
    match ahead {
        Some(a) if *a.origin == *origin && a.public == key.public_bytes() => a.valid,
        _ => key.verify(&signed_message(origin, &d.unsigned), &d.entry.sig),
    }
}
