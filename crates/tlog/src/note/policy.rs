//! Checkpoint policy: the log's signature and k of n witnesses.

#![warn(clippy::indexing_slicing)]

use super::*;

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
    /// Not a signed note.
    #[error("not a signed note: {0}")]
    Note(#[from] NoteError),
    /// The note's text is not a checkpoint.
    #[error("not a checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// Not signed by the log's key.
    #[error("not signed by the log's key: {0}")]
    LogSignature(NoteVerifyError),
    /// A witness cosignature that does not verify.
    #[error("a witness cosignature does not verify: {0}")]
    BadCosignature(NoteVerifyError),
    /// Fewer witness cosignatures verify than the policy requires.
    #[error("only {found} of the required {required} witness cosignatures verify")]
    TooFewWitnesses {
        /// How many the policy requires.
        required: usize,
        /// How many verify.
        found: usize,
    },
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
