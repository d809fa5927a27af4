//! Making an offline bundle: a C2SP tlog-proof carrying one entry of a log, its inclusion
//! proof, and a checkpoint signed by the log's trust anchor, which a third party checks with
//! the log's verifier key alone ([`crate::verify_proof::check_bundle`]).
//!
//! A bundle is made only from a log that verifies (signatures included) and whose lines
//! reproduce the checkpoint's root, in one pass; the packed line is then bound to that pass
//! by its inclusion proof against that root, checked before the bundle is returned.

use std::path::{Path, PathBuf};

use acta_core::note::{
    CheckpointPolicyError, TlogProof, VerifiedCheckpoint, verify_checkpoint_note,
};
use acta_core::tree::{self, ProofError};
use acta_core::{EntryHash, FindingKind, VerifyOptions};

use crate::prove::{self, ProveError};
use crate::verify_proof::{ProofInputError, decode_hash};
use crate::{CheckpointDir, FileStore, StoreError};

/// Why no bundle was made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleMakeError {
    /// The log, its tree file or its genesis cannot be used for proofs.
    #[error(transparent)]
    Prove(#[from] ProveError),
    /// The log or its checkpoints cannot be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The checkpoint given is not signed by the log's trust anchor.
    #[error(
        "checkpoint {} is not signed by the trust anchor of {} ({reason}); no bundle was made",
        checkpoint.display(),
        log.display()
    )]
    NotSigned {
        /// The checkpoint file.
        checkpoint: PathBuf,
        /// The log.
        log: PathBuf,
        /// Why.
        reason: CheckpointPolicyError,
    },
    /// The checkpoint given is of another log.
    #[error("checkpoint {} is for {origin}, not {expected}; no bundle was made", checkpoint.display())]
    OtherOrigin {
        /// The checkpoint file.
        checkpoint: PathBuf,
        /// Its origin.
        origin: String,
        /// The log's.
        expected: String,
    },
    /// No checkpoint was given and none kept beside the log is signed by its trust anchor.
    #[error(
        "{} has no checkpoint yet (none kept beside it is signed by its trust anchor)",
        log.display()
    )]
    NoCheckpoint {
        /// The log.
        log: PathBuf,
    },
    /// The log's tree at the checkpoint's size does not have the checkpoint's root.
    #[error(
        "checkpoint {} does not match this log's tree at size {size}",
        checkpoint.display()
    )]
    RootDiffers {
        /// The checkpoint file.
        checkpoint: PathBuf,
        /// Its size.
        size: u64,
    },
    /// The log does not verify in the checkpoint's tree (the first finding).
    #[error("{} does not verify (entry {entry}: {kind}), so no bundle is made from it", log.display())]
    DoesNotVerify {
        /// The log.
        log: PathBuf,
        /// The first finding's entry.
        entry: u64,
        /// What it is.
        kind: Box<FindingKind>,
    },
    /// A hash of the proof is malformed.
    #[error(transparent)]
    Hash(#[from] ProofInputError),
    /// The entry line read does not verify against the checkpoint's root.
    #[error(
        "line {seq} of {} changed while the bundle was being made ({reason}); try again",
        log.display()
    )]
    Changed {
        /// The log.
        log: PathBuf,
        /// The entry.
        seq: u64,
        /// Why.
        reason: ProofError,
    },
}

/// A bundle of entry `seq` of `log`, against `checkpoint` (its path and how to read it), or
/// the latest kept beside the log signed by its trust anchor.
pub fn make_bundle<E: From<BundleMakeError>>(
    log: &Path,
    seq: u64,
    checkpoint: Option<(&Path, impl FnOnce() -> Result<Vec<u8>, E>)>,
) -> Result<TlogProof, E> {
    // The checkpoint must be signed by the log's trust anchor: a bundle never packs a note
    // its verifier would reject.
    let (origin, anchor) = prove::log_anchor(log).map_err(BundleMakeError::from)?;
    let (path, verified) = match checkpoint {
        Some((p, read)) => {
            let cp = verify_checkpoint_note(&read()?, &anchor, &[], 0).map_err(|reason| {
                BundleMakeError::NotSigned {
                    checkpoint: p.to_path_buf(),
                    log: log.to_path_buf(),
                    reason,
                }
            })?;
            if cp.checkpoint.origin != origin {
                return Err(BundleMakeError::OtherOrigin {
                    checkpoint: p.to_path_buf(),
                    origin: cp.checkpoint.origin,
                    expected: origin,
                }
                .into());
            }
            (p.to_path_buf(), cp)
        }
        None => CheckpointDir::for_log(log)
            .latest_signed(&anchor, &origin)
            .map_err(BundleMakeError::from)?
            .ok_or_else(|| BundleMakeError::NoCheckpoint {
                log: log.to_path_buf(),
            })?,
    };
    Ok(bundle_against(log, seq, &path, verified)?)
}

fn bundle_against(
    log: &Path,
    seq: u64,
    path: &Path,
    verified: VerifiedCheckpoint,
) -> Result<TlogProof, BundleMakeError> {
    let VerifiedCheckpoint {
        note,
        checkpoint: cp,
        ..
    } = verified;
    let proof = prove::inclusion_proof(log, seq, Some(cp.size))?;
    if prove::proof_root(log, cp.size)? != cp.root {
        return Err(BundleMakeError::RootDiffers {
            checkpoint: path.to_path_buf(),
            size: cp.size,
        });
    }
    let report = crate::verify(
        &FileStore::open_reader(log)?,
        VerifyOptions {
            expect_roots: vec![(cp.size, cp.root)],
            ..VerifyOptions::default()
        },
    )?;
    // Findings about later lines do not touch the checkpoint's tree; any finding in it, or
    // about its root, does.
    let in_tree = report.findings.into_iter().find(|f| {
        f.entry < cp.size
            || matches!(
                f.kind,
                FindingKind::RootMismatch { .. } | FindingKind::CheckpointBeyondLog { .. }
            )
    });
    if let Some(first) = in_tree {
        return Err(BundleMakeError::DoesNotVerify {
            log: log.to_path_buf(),
            entry: first.entry,
            kind: Box::new(first.kind),
        });
    }
    let entry = prove::read_entry_line(log, seq)?;
    let hashes = proof
        .hashes
        .iter()
        .map(|h| decode_hash(h, "proof hash"))
        .collect::<Result<Vec<_>, _>>()?;
    tree::verify_inclusion(EntryHash::of_line(&entry), seq, cp.size, &hashes, cp.root).map_err(
        |reason| BundleMakeError::Changed {
            log: log.to_path_buf(),
            seq,
            reason,
        },
    )?;
    Ok(TlogProof {
        extra: Some(entry),
        index: seq,
        proof: hashes,
        checkpoint: note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::WitnessPolicy;
    use crate::checkpoint::tests::{TestResult, forged_note, key, make_log, other_key};
    use crate::log::Expect;
    use crate::verify_proof::check_bundle;

    type Read = fn() -> Result<Vec<u8>, BundleMakeError>;

    fn latest() -> Option<(&'static Path, Read)> {
        None
    }

    #[test]
    fn a_bundle_of_a_kept_checkpoint_checks_offline() -> TestResult {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("a.log");
        make_log(&log, 3)?;
        let e = make_bundle(&log, 1, latest()).expect_err("no checkpoint yet");
        assert!(matches!(e, BundleMakeError::NoCheckpoint { .. }), "{e:?}");
        crate::checkpoint::sign(&log, &key(), &Expect::default())?.finish();
        let bundle = make_bundle(&log, 1, latest())?;
        assert_eq!(bundle.extra, Some(prove::read_entry_line(&log, 1)?));
        let checked = check_bundle(
            bundle.to_text()?.as_bytes(),
            &key().verifier(),
            None,
            &WitnessPolicy::none(),
        )?;
        assert!(checked.is_ok(), "{checked:?}");
        Ok(())
    }

    #[test]
    fn no_bundle_is_made_against_a_checkpoint_of_another_key_or_root() -> TestResult {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("a.log");
        make_log(&log, 3)?;
        let note = crate::checkpoint::sign(&log, &key(), &Expect::default())?
            .finish()
            .note;
        let p = Path::new("cp.note");
        // Signed by another key.
        let mut other = acta_core::note::parse_note(note.as_bytes())?;
        let text = other.text.clone();
        other.signatures = acta_core::note::parse_note(
            acta_core::note::sign_note(&text, &other_key())?.as_bytes(),
        )?
        .signatures;
        let other = other.to_text()?;
        let e = make_bundle(
            &log,
            1,
            Some((p, || Ok::<_, BundleMakeError>(other.into_bytes()))),
        )
        .expect_err("another key");
        assert!(matches!(e, BundleMakeError::NotSigned { .. }), "{e:?}");
        // Signed by the anchor, but of a root this log does not have.
        let forged = forged_note(4, [7; 32])?;
        let e = make_bundle(
            &log,
            1,
            Some((p, || Ok::<_, BundleMakeError>(forged.into_bytes()))),
        )
        .expect_err("another root");
        assert!(
            matches!(e, BundleMakeError::RootDiffers { size: 4, .. }),
            "{e:?}"
        );
        // The real one, given explicitly: a bundle.
        let b = make_bundle(
            &log,
            2,
            Some((p, || Ok::<_, BundleMakeError>(note.into_bytes()))),
        )?;
        assert_eq!(b.index, 2);
        Ok(())
    }
}
