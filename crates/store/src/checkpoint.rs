//! Checkpoints of a log: signing one ([`sign`]), and checking a set of signed checkpoints
//! against the log ([`CheckpointSet`]), with per-checkpoint verdicts and fork evidence as data.
//!
//! Only the log's trust anchor (the key that signed its genesis), while it is not revoked,
//! signs its checkpoints, and the root it signs is computed from the log's lines verified in
//! the same pass, never from the tree file. A verifier accepts a checkpoint only if that key
//! signed it (and the [`WitnessPolicy`] holds), and then checks that the log reproduces its
//! root: a keeper who truncates, rolls back or rewrites a log after signing a checkpoint is
//! caught, and the two signed notes with the consistency proof between them are the evidence.
//!
//! Messages name the files, keys and sizes involved; what to do next is the caller's to say.

use std::fmt;
use std::path::{Path, PathBuf};

use acta_core::note::{
    self, Checkpoint, CheckpointError, CheckpointPolicyError, CosignerKey, NoteError,
    VerifiedCheckpoint, verify_checkpoint_note,
};
use acta_core::tree::{self, Hash, ProofError};
use acta_core::{FindingKind, KeyRef, Report, SigningKey, VerifierKey};
use acta_tlog::wire::ConsistencyProof;

use crate::log::{Expect, LogError};
use crate::prove::{self, ProveError};
use crate::{CheckpointDir, FileStore, LogWriter, StoreError};

/// Why no checkpoint was signed or kept. The derived files beside the log (its tree and state
/// files) were not written.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The log could not be opened for writing or does not verify (a finding among its lines,
    /// or not the log [`Expect`] asked for).
    #[error("cannot checkpoint {}", log.display())]
    Open {
        /// The log.
        log: PathBuf,
        /// Why.
        #[source]
        source: LogError,
    },
    /// The key is not the log's trust anchor, or the anchor is revoked.
    #[error(
        "key {key} may not sign checkpoints of {}: checkpoints are signed by the key that signed the genesis (the log's trust anchor), while it is not revoked",
        log.display()
    )]
    NotAnchor {
        /// The key that was to sign.
        key: KeyRef,
        /// The log.
        log: PathBuf,
    },
    /// The log's head does not make a valid checkpoint text (its origin, say).
    #[error(transparent)]
    Checkpoint(CheckpointError),
    /// The checkpoint text could not be signed as a note.
    #[error(transparent)]
    Note(NoteError),
    /// The note could not be kept: the checkpoint directory is unusable, or it already holds
    /// a different checkpoint of the same size signed by this key (a fork:
    /// [`StoreError::CheckpointConflict`]).
    #[error(transparent)]
    Keep(StoreError),
}

/// A checkpoint signed and kept by [`sign`], before the files derived from the log are
/// brought up to date ([`Signed::finish`]). The writer's lock on the log is held until then,
/// so the head cannot move in between (a caller copies the note elsewhere here).
#[derive(Debug)]
pub struct Signed {
    /// The signed note, as kept.
    pub note: String,
    /// The checkpoint it signs: the log's origin, size and root.
    pub checkpoint: Checkpoint,
    /// The file it is kept in, in the log's [`CheckpointDir`].
    pub kept: PathBuf,
    /// Whether an identical note was already kept there (so nothing new was written).
    pub already_kept: bool,
    /// Where a file that was kept under that name but is no checkpoint of this log signed by
    /// this key was moved to (it is no evidence of anything: anyone who can write the folder
    /// could have put it there).
    pub set_aside: Option<PathBuf>,
    writer: LogWriter<FileStore>,
}

/// What [`Signed::finish`] returns: the signed checkpoint, and whether the derived files
/// could be brought up to date.
#[derive(Debug)]
pub struct SignOutcome {
    /// The signed note, as kept.
    pub note: String,
    /// The checkpoint it signs.
    pub checkpoint: Checkpoint,
    /// The file it is kept in.
    pub kept: PathBuf,
    /// Whether an identical note was already kept there.
    pub already_kept: bool,
    /// Where a file that was in the way was moved to (see [`Signed::set_aside`]).
    pub set_aside: Option<PathBuf>,
    /// Why the tree file (for proofs) and the state file could not be brought up to date, if
    /// so: a warning, not a failure (they are derived data; a failure costs a rebuild later).
    pub derived_not_saved: Option<LogError>,
}

/// Signs the head of the log at `log` with `key` as a C2SP checkpoint and keeps it in the
/// log's [`CheckpointDir`].
///
/// The writer's lock gives a stable head. The log is verified in full, signatures included
/// (not resumed from the writer's state file), so that the signed root is computed from lines
/// verified in this same pass: a log with any finding (a forged line among them), or not the
/// log `expect` describes, is refused, and nothing is signed. Only the key that signed the
/// genesis (the trust anchor verifiers check checkpoints against), while it is not revoked,
/// may sign. Opening writes nothing beside the log; the derived files are brought up to date
/// only by [`Signed::finish`], once the checkpoint is kept.
pub fn sign(log: &Path, key: &SigningKey, expect: &Expect) -> Result<Signed, SignError> {
    let writer = LogWriter::open_replaying(log, key, expect).map_err(|source| SignError::Open {
        log: log.to_path_buf(),
        source,
    })?;
    let chain = writer.chain();
    let is_anchor = chain.genesis_author() == Some(&key.key_ref());
    match chain.keyring().get(&key.key_ref()) {
        Some(rec) if is_anchor && rec.key == key.verifier() && rec.revoked_at.is_none() => {}
        _ => {
            return Err(SignError::NotAnchor {
                key: key.key_ref(),
                log: log.to_path_buf(),
            });
        }
    }
    // The root comes from the log's lines (replayed on open), never from the tree file.
    let frontier = writer.frontier();
    let checkpoint = Checkpoint {
        origin: chain.origin().unwrap_or_default().to_owned(),
        size: frontier.size(),
        root: frontier.root(),
        extensions: Vec::new(),
    };
    let text = checkpoint.to_text().map_err(SignError::Checkpoint)?;
    let note = note::sign_note(&text, key).map_err(SignError::Note)?;
    let (kept, new, set_aside) = CheckpointDir::for_log(log)
        .save_signed(checkpoint.size, &note, &key.verifier(), &checkpoint.origin)
        .map_err(SignError::Keep)?;
    Ok(Signed {
        note,
        checkpoint,
        kept,
        already_kept: !new,
        set_aside,
        writer,
    })
}

impl Signed {
    /// Brings the files derived from the verified log (the tree file, for proofs, and the
    /// state file) up to date, and releases the log. Only a kept checkpoint does this, so that
    /// a refused one writes nothing beside the log.
    pub fn finish(mut self) -> SignOutcome {
        let derived_not_saved = self.writer.save_derived().err();
        SignOutcome {
            note: self.note,
            checkpoint: self.checkpoint,
            kept: self.kept,
            already_kept: self.already_kept,
            set_aside: self.set_aside,
            derived_not_saved,
        }
    }
}

/// Which witnesses must have cosigned a checkpoint for it to count: at least `threshold` of
/// `witnesses` (C2SP cosignatures). A forged cosignature by a listed witness rejects a note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WitnessPolicy {
    witnesses: Vec<CosignerKey>,
    threshold: usize,
}

/// A [`WitnessPolicy`] asking for more cosignatures than there are witnesses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a threshold of {threshold} is more than the {witnesses} witnesses given")]
pub struct ThresholdTooHigh {
    /// The threshold asked for.
    pub threshold: usize,
    /// How many witnesses there are.
    pub witnesses: usize,
}

impl WitnessPolicy {
    /// No witness needed: the log's signature alone.
    pub fn none() -> WitnessPolicy {
        WitnessPolicy::default()
    }

    /// At least `threshold` of `witnesses` (all of them if `None`).
    pub fn new(
        witnesses: Vec<CosignerKey>,
        threshold: Option<usize>,
    ) -> Result<WitnessPolicy, ThresholdTooHigh> {
        let threshold = threshold.unwrap_or(witnesses.len());
        if threshold > witnesses.len() {
            return Err(ThresholdTooHigh {
                threshold,
                witnesses: witnesses.len(),
            });
        }
        Ok(WitnessPolicy {
            witnesses,
            threshold,
        })
    }

    /// The witnesses.
    pub fn witnesses(&self) -> &[CosignerKey] {
        &self.witnesses
    }

    /// How many of them must have cosigned.
    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// Parses a checkpoint note and checks it: signed by `log_key`, and cosigned as this
    /// policy asks ([`verify_checkpoint_note`]).
    pub fn verify(
        &self,
        note: &[u8],
        log_key: &VerifierKey,
    ) -> Result<VerifiedCheckpoint, CheckpointPolicyError> {
        verify_checkpoint_note(note, log_key, &self.witnesses, self.threshold)
    }
}

/// One checkpoint note given to [`CheckpointSet::check`], as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// Signed by the log's key, cosigned as the policy asks, and of this log's origin: its
    /// root is checked against the log.
    Accepted(VerifiedCheckpoint),
    /// Signed as required, but for another origin: it says nothing about this log's history.
    OtherOrigin(VerifiedCheckpoint),
    /// Not a checkpoint signed by the log's key as the policy asks.
    Rejected(CheckpointPolicyError),
}

/// The checkpoint notes given for a log, each checked ([`Given`]), in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointSet {
    /// Each note's name (its file, typically) and what it is.
    pub given: Vec<(PathBuf, Given)>,
    log_key: KeyRef,
}

/// What makes a [`CheckpointSet`] fail before the log is even read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetProblem<'a> {
    /// A note that is not accepted.
    Rejected {
        /// Its name.
        path: &'a Path,
        /// Why.
        error: &'a CheckpointPolicyError,
    },
    /// A checkpoint of another origin.
    OtherOrigin {
        /// Its name.
        path: &'a Path,
        /// The origin it names.
        origin: &'a str,
    },
    /// Two accepted checkpoints of one size with different roots: a fork, whatever the log
    /// says.
    SignedFork {
        /// The first note's name.
        a: &'a Path,
        /// The second's.
        b: &'a Path,
        /// The key that signed both.
        log_key: &'a KeyRef,
        /// Their size.
        size: u64,
        /// Their origin.
        origin: &'a str,
    },
}

impl fmt::Display for SetProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetProblem::Rejected { path, error } => {
                write!(f, "checkpoint {}: {error}", path.display())
            }
            SetProblem::OtherOrigin { path, origin } => write!(
                f,
                "checkpoint {} is for origin {origin:?}, not this log's",
                path.display()
            ),
            SetProblem::SignedFork {
                a,
                b,
                log_key,
                size,
                origin,
            } => write!(
                f,
                "FORK: {} and {} are both signed by {log_key} for size {size} of {origin} with different roots",
                a.display(),
                b.display()
            ),
        }
    }
}

/// What the log says of one given checkpoint, once the verifier ran with
/// [`CheckpointSet::roots`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The log's first `size` entries hash to the checkpoint's root.
    Reproduced,
    /// They hash to another root: the log was rewritten or rolled back after it was signed
    /// (or the checkpoint is of another log with the same origin).
    Mismatched {
        /// The checkpoint's root.
        expected: Hash,
        /// The log's root at that size (base64).
        found: String,
    },
    /// The log has fewer entries than the checkpoint's size: truncated, or the checkpoint is
    /// of a longer log.
    BeyondLog {
        /// The log's entries.
        entries: u64,
    },
    /// The root cannot be computed: a line before that size is over the entry limit.
    Unreproducible,
    /// Signed as required, but for another origin: not checked against this log.
    OtherOrigin {
        /// The origin it names.
        origin: String,
    },
    /// Not a checkpoint signed by the log's key as the policy asks: not checked.
    Rejected(CheckpointPolicyError),
}

/// The evidence of a fork: a signed checkpoint the log does not reproduce, one it does (if
/// any), and the consistency proof the log gives between them.
#[derive(Debug)]
pub struct ForkEvidence<'a> {
    /// The checkpoint the log does not reproduce, and its name.
    pub unreproduced: (&'a Path, &'a VerifiedCheckpoint),
    /// The last given checkpoint the log reproduces, if any, and its name.
    pub reproduced: Option<(&'a Path, &'a VerifiedCheckpoint)>,
    /// The consistency proof between the two, from the log's tree (older size first).
    pub proof: ForkProof,
}

/// The consistency proof of a [`ForkEvidence`].
#[derive(Debug)]
pub enum ForkProof {
    /// No proof applies: no given checkpoint is reproduced, or the smaller size is 0.
    None,
    /// The log's tree gave no checked proof between the two sizes.
    Unavailable(ProveError),
    /// The proof from the log's tree, and whether it verifies between the two signed roots
    /// (it cannot: one of them is not the log's).
    Made {
        /// The proof.
        proof: ConsistencyProof,
        /// Whether it verifies between the two checkpoints' roots.
        verifies: Result<(), ProofError>,
    },
}

impl CheckpointSet {
    /// Checks each given note (a name and its bytes): signed by `log_key`, cosigned as
    /// `policy` asks, and of `origin` (the log's, from its genesis) if that is known.
    pub fn check(
        notes: impl IntoIterator<Item = (PathBuf, Vec<u8>)>,
        log_key: &VerifierKey,
        origin: Option<&str>,
        policy: &WitnessPolicy,
    ) -> CheckpointSet {
        let given = notes
            .into_iter()
            .map(|(path, bytes)| {
                let given = match policy.verify(&bytes, log_key) {
                    // A checkpoint of another log says nothing about this one's history.
                    Ok(cp) if origin.is_some_and(|o| o != cp.checkpoint.origin) => {
                        Given::OtherOrigin(cp)
                    }
                    Ok(cp) => Given::Accepted(cp),
                    Err(e) => Given::Rejected(e),
                };
                (path, given)
            })
            .collect();
        CheckpointSet {
            given,
            log_key: log_key.key_ref(),
        }
    }

    /// The accepted checkpoints, with their names, in the order given.
    pub fn accepted(&self) -> impl Iterator<Item = (&Path, &VerifiedCheckpoint)> {
        self.given.iter().filter_map(|(p, g)| match g {
            Given::Accepted(cp) => Some((p.as_path(), cp)),
            _ => None,
        })
    }

    /// The (size, root) pairs the log must reproduce, for
    /// [`acta_core::VerifyOptions::expect_roots`].
    pub fn roots(&self) -> Vec<(u64, Hash)> {
        self.accepted()
            .map(|(_, cp)| (cp.checkpoint.size, cp.checkpoint.root))
            .collect()
    }

    /// What fails the set whatever the log says: the notes not accepted (in the order given),
    /// then every pair of accepted checkpoints of one origin and size with different roots.
    pub fn problems(&self) -> Vec<SetProblem<'_>> {
        let mut out: Vec<SetProblem<'_>> = self
            .given
            .iter()
            .filter_map(|(path, g)| match g {
                Given::Accepted(_) => None,
                Given::OtherOrigin(cp) => Some(SetProblem::OtherOrigin {
                    path,
                    origin: &cp.checkpoint.origin,
                }),
                Given::Rejected(error) => Some(SetProblem::Rejected { path, error }),
            })
            .collect();
        let accepted: Vec<_> = self.accepted().collect();
        for (i, (pa, a)) in accepted.iter().enumerate() {
            for (pb, b) in &accepted[i + 1..] {
                let (a, b) = (&a.checkpoint, &b.checkpoint);
                if a.origin == b.origin && a.size == b.size && a.root != b.root {
                    out.push(SetProblem::SignedFork {
                        a: pa,
                        b: pb,
                        log_key: &self.log_key,
                        size: a.size,
                        origin: &a.origin,
                    });
                }
            }
        }
        out
    }

    /// The verdict on each given note, in the order given, from the report of a verifier run
    /// with [`CheckpointSet::roots`].
    pub fn verdicts(&self, report: &Report) -> Vec<(&Path, Verdict)> {
        self.given
            .iter()
            .map(|(path, g)| {
                let v = match g {
                    Given::Accepted(cp) => verdict(&cp.checkpoint, report),
                    Given::OtherOrigin(cp) => Verdict::OtherOrigin {
                        origin: cp.checkpoint.origin.clone(),
                    },
                    Given::Rejected(e) => Verdict::Rejected(e.clone()),
                };
                (path.as_path(), v)
            })
            .collect()
    }

    /// The fork evidence for each accepted checkpoint the log does not reproduce (a
    /// [`Verdict::Mismatched`]), in the order given: with the last checkpoint the log
    /// reproduces, and the consistency proof the log at `log` gives between the two sizes.
    pub fn fork_evidence(&self, log: &Path, report: &Report) -> Vec<ForkEvidence<'_>> {
        let judged: Vec<_> = self
            .accepted()
            .map(|(p, cp)| (p, cp, verdict(&cp.checkpoint, report)))
            .collect();
        let reproduced = judged
            .iter()
            .rfind(|(_, _, v)| *v == Verdict::Reproduced)
            .map(|(p, cp, _)| (*p, *cp));
        judged
            .iter()
            .filter(|(_, _, v)| matches!(v, Verdict::Mismatched { .. }))
            .map(|(path, bad, _)| ForkEvidence {
                unreproduced: (path, bad),
                reproduced,
                proof: match reproduced {
                    Some((_, good)) => fork_proof(log, &good.checkpoint, &bad.checkpoint),
                    None => ForkProof::None,
                },
            })
            .collect()
    }
}

/// What `report` says of the root of `cp`, an accepted checkpoint.
fn verdict(cp: &Checkpoint, report: &Report) -> Verdict {
    let mut out = Verdict::Reproduced;
    for f in &report.findings {
        match &f.kind {
            FindingKind::RootMismatch {
                size,
                expected: e,
                found,
            } if *size == cp.size && *e == cp.root => {
                return Verdict::Mismatched {
                    expected: cp.root,
                    found: found.to_string(),
                };
            }
            FindingKind::CheckpointBeyondLog { size, entries } if *size == cp.size => {
                out = Verdict::BeyondLog { entries: *entries };
            }
            FindingKind::RootUncheckable { size } if *size == cp.size => {
                out = Verdict::Unreproducible;
            }
            _ => {}
        }
    }
    out
}

/// The consistency proof the log's tree gives between two checkpoints' sizes, checked
/// against the two signed roots.
fn fork_proof(log: &Path, a: &Checkpoint, b: &Checkpoint) -> ForkProof {
    let (small, large) = if a.size <= b.size { (a, b) } else { (b, a) };
    if small.size == 0 {
        return ForkProof::None;
    }
    let (proof, hashes) = match prove::consistency_hashes(log, small.size, Some(large.size)) {
        Ok(p) => p,
        Err(e) => return ForkProof::Unavailable(e),
    };
    let verifies = tree::verify_consistency(
        proof.old_size,
        proof.new_size,
        &hashes,
        small.root,
        large.root,
    );
    ForkProof::Made { proof, verifies }
}

#[cfg(test)]
pub(crate) mod tests;
