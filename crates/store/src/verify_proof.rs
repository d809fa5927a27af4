//! Offline checks of what a log's keeper hands out: a JSON inclusion or consistency proof
//! against signed checkpoints ([`check_proof`]), and a C2SP tlog-proof bundle carrying an entry
//! ([`check_bundle`]). No log is needed: only the log's verifier key and the checkpoints.
//!
//! The outer `Err` of each check is an unusable input (a malformed hash, a missing
//! checkpoint); the inner verdict says whether the proof or bundle holds, and if not, why.

use acta_core::entry::EntryError;
use acta_core::note::{CheckpointPolicyError, TlogProof, TlogProofError, VerifiedCheckpoint};
use acta_core::tree::{self, Hash, ProofError};
use acta_core::{Entry, EntryHash, KeyRef, VerifierKey};
use acta_tlog::wire::AnyProof;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::checkpoint::WitnessPolicy;

/// Why a proof could not be checked at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProofInputError {
    /// A hash of the proof is not the base64 of 32 bytes.
    #[error("{what} is not the base64 of a 32-byte hash")]
    NotAHash {
        /// Which hash (`leaf_hash`, `hashes[3]`).
        what: String,
    },
    /// No checkpoint of a size the proof needs was given.
    #[error("no checkpoint of size {size} was given")]
    NoCheckpoint {
        /// The size.
        size: u64,
    },
    /// The two checkpoints of a consistency proof are of different logs.
    #[error("the two checkpoints are of different logs (origins differ)")]
    OriginsDiffer,
}

/// What a proof that verifies proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proven {
    /// The entry at `leaf_index` is in the tree of `tree_size` of `origin`.
    Inclusion {
        /// The entry's leaf index.
        leaf_index: u64,
        /// The checkpoint's origin.
        origin: String,
        /// The tree size.
        tree_size: u64,
    },
    /// The tree of `origin` at `new_size` extends the tree at `old_size`.
    Consistency {
        /// The checkpoints' origin.
        origin: String,
        /// The older size.
        old_size: u64,
        /// The newer size.
        new_size: u64,
    },
}

/// Why a proof does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofRejection {
    /// The entry given is not the one the inclusion proof is for (its hash differs).
    NotTheEntry,
    /// The proof does not verify against the checkpoints' roots.
    DoesNotVerify(ProofError),
}

/// Decodes a base64 hash, naming it as `what` in the error.
pub fn decode_hash(s: &str, what: &str) -> Result<Hash, ProofInputError> {
    BASE64
        .decode(s)
        .ok()
        .and_then(|v| <Hash>::try_from(v).ok())
        .ok_or_else(|| ProofInputError::NotAHash {
            what: what.to_owned(),
        })
}

/// Decodes a proof's `hashes`, each named `hashes[i]` in the error.
pub fn decode_hashes(hashes: &[String]) -> Result<Vec<Hash>, ProofInputError> {
    hashes
        .iter()
        .enumerate()
        .map(|(i, h)| decode_hash(h, &format!("hashes[{i}]")))
        .collect()
}

/// Checks `proof` against checkpoints already verified (signed by the log's key, cosigned as
/// asked): an inclusion proof against the one of its tree size, a consistency proof between
/// the two of its sizes. For an inclusion proof, `entry` (called only once the checkpoint and
/// the leaf hash are found usable) gives the entry line it must be for; a final `'\n'` is
/// ignored.
pub fn check_proof<E: From<ProofInputError>>(
    proof: &AnyProof,
    checkpoints: &[VerifiedCheckpoint],
    entry: Option<impl FnOnce() -> Result<Vec<u8>, E>>,
) -> Result<Result<Proven, ProofRejection>, E> {
    let find = |size: u64| {
        checkpoints
            .iter()
            .find(|c| c.checkpoint.size == size)
            .ok_or(ProofInputError::NoCheckpoint { size })
    };
    let verified = match proof {
        AnyProof::Inclusion(p) => {
            let cp = find(p.tree_size)?;
            let leaf = EntryHash(decode_hash(&p.leaf_hash, "leaf_hash")?);
            if let Some(entry) = entry {
                let mut line = entry()?;
                if line.last() == Some(&b'\n') {
                    line.pop();
                }
                if EntryHash::of_line(&line) != leaf {
                    return Ok(Err(ProofRejection::NotTheEntry));
                }
            }
            let hashes = decode_hashes(&p.hashes)?;
            tree::verify_inclusion(leaf, p.leaf_index, p.tree_size, &hashes, cp.checkpoint.root)
                .map(|()| Proven::Inclusion {
                    leaf_index: p.leaf_index,
                    origin: cp.checkpoint.origin.clone(),
                    tree_size: p.tree_size,
                })
        }
        AnyProof::Consistency(p) => {
            let old = find(p.old_size)?;
            let new = find(p.new_size)?;
            if old.checkpoint.origin != new.checkpoint.origin {
                return Err(ProofInputError::OriginsDiffer.into());
            }
            let hashes = decode_hashes(&p.hashes)?;
            tree::verify_consistency(
                p.old_size,
                p.new_size,
                &hashes,
                old.checkpoint.root,
                new.checkpoint.root,
            )
            .map(|()| Proven::Consistency {
                origin: new.checkpoint.origin.clone(),
                old_size: p.old_size,
                new_size: p.new_size,
            })
        }
    };
    Ok(verified.map_err(ProofRejection::DoesNotVerify))
}

/// Why a bundle could not be checked at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The bytes are not a C2SP tlog-proof.
    #[error(transparent)]
    NotABundle(TlogProofError),
    /// The bundle carries no entry (no `extra` line).
    #[error("the bundle carries no entry (its `extra` line is missing)")]
    NoEntry,
    /// The bundle's checkpoint note cannot be written back as text.
    #[error("{0}")]
    Note(acta_core::note::NoteError),
    /// The author key given is not the key the entry names as its author.
    #[error(
        "the author key given is {given}, but entry {seq} names the author {author}: give that author's verifier key"
    )]
    WrongAuthorKey {
        /// The key given.
        given: KeyRef,
        /// The entry's seq.
        seq: u64,
        /// The author the entry names.
        author: KeyRef,
    },
}

/// Which key checked a bundled entry's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedWith {
    /// The log's key (the entry's author is the trust anchor).
    LogKey,
    /// The author key given.
    AuthorKey,
}

/// A bundle that holds: the entry is in the log at the checkpoint's size.
#[derive(Debug, Clone)]
pub struct BundleVerified {
    /// The checkpoint, as verified.
    pub checkpoint: VerifiedCheckpoint,
    /// The entry it carries.
    pub entry: Entry,
    /// The key its signature verified with; `None` if no key of its author was at hand, so
    /// its signature was not checked.
    pub signed_with: Option<SignedWith>,
}

/// Why a bundle does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleRejection {
    /// Its checkpoint is not signed by the log's key, or not cosigned as the policy asks.
    Checkpoint(CheckpointPolicyError),
    /// The inclusion proof does not prove the entry is in the checkpoint's tree.
    NotIncluded(ProofError),
    /// The entry's seq is not its index, or its bytes are not canonical.
    NotInPlace,
    /// The bundled bytes are not an entry.
    Malformed(EntryError),
    /// The entry's signature does not verify with its author's key.
    BadSignature {
        /// The entry's seq.
        seq: u64,
        /// Its author.
        author: KeyRef,
        /// The key it was checked with.
        with: SignedWith,
    },
}

/// Checks a bundle from `acta_tlog`'s tlog-proof format: its checkpoint against `log_key` and
/// `policy`, the entry's inclusion, its place and form, and its signature with the log's key
/// (when it is the author) or `author_key`. Authorisation (whether the author could sign that
/// type there) needs the log and is not checked.
pub fn check_bundle(
    bundle: &[u8],
    log_key: &VerifierKey,
    author_key: Option<&VerifierKey>,
    policy: &WitnessPolicy,
) -> Result<Result<BundleVerified, BundleRejection>, BundleError> {
    let proof = TlogProof::parse(bundle).map_err(BundleError::NotABundle)?;
    let Some(entry) = &proof.extra else {
        return Err(BundleError::NoEntry);
    };
    let note_text = proof.checkpoint.to_text().map_err(BundleError::Note)?;
    let cp = match policy.verify(note_text.as_bytes(), log_key) {
        Ok(cp) => cp,
        Err(e) => return Ok(Err(BundleRejection::Checkpoint(e))),
    };
    let leaf = EntryHash::of_line(entry);
    if let Err(e) = tree::verify_inclusion(
        leaf,
        proof.index,
        cp.checkpoint.size,
        &proof.proof,
        cp.checkpoint.root,
    ) {
        return Ok(Err(BundleRejection::NotIncluded(e)));
    }
    let decoded = match Entry::decode(entry) {
        Ok(d) if d.entry.seq == proof.index && d.non_canonical_at.is_none() => d,
        Ok(_) => return Ok(Err(BundleRejection::NotInPlace)),
        Err(e) => return Ok(Err(BundleRejection::Malformed(e))),
    };
    let e = &decoded.entry;
    // A bundle never claims an author whose signature it did not check.
    let key = match author_key {
        Some(k) if k.key_ref() != e.author => {
            return Err(BundleError::WrongAuthorKey {
                given: k.key_ref(),
                seq: e.seq,
                author: e.author.clone(),
            });
        }
        Some(k) => Some((k, SignedWith::AuthorKey)),
        None if log_key.key_ref() == e.author => Some((log_key, SignedWith::LogKey)),
        None => None,
    };
    let signed_with = match key {
        Some((k, with)) if decoded.signed_by(&cp.checkpoint.origin, k) => Some(with),
        Some((_, with)) => {
            return Ok(Err(BundleRejection::BadSignature {
                seq: e.seq,
                author: e.author.clone(),
                with,
            }));
        }
        None => None,
    };
    Ok(Ok(BundleVerified {
        checkpoint: cp,
        entry: decoded.entry,
        signed_with,
    }))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use acta_core::note::verify_checkpoint_note;

    use super::*;
    use crate::checkpoint::tests::{TestResult, append, key, make_log, other_key};
    use crate::{log::Expect, prove};

    /// Signs the log's head as a checkpoint and returns it, verified.
    fn checkpoint(log: &Path) -> Result<VerifiedCheckpoint, Box<dyn std::error::Error>> {
        let note = crate::checkpoint::sign(log, &key(), &Expect::default())?
            .finish()
            .note;
        Ok(verify_checkpoint_note(
            note.as_bytes(),
            &key().verifier(),
            &[],
            0,
        )?)
    }

    /// An entry reader for the proofs checked without an entry.
    type ReadEntry = fn() -> Result<Vec<u8>, ProofInputError>;

    fn never() -> Option<ReadEntry> {
        None
    }

    #[test]
    fn an_inclusion_proof_verifies_against_its_checkpoint_and_entry_only() -> TestResult {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("a.log");
        make_log(&log, 4)?;
        let cp = checkpoint(&log)?;
        let proof = prove::inclusion_proof(&log, 2, None)?;
        let line = prove::read_entry_line(&log, 2)?;
        let any = AnyProof::Inclusion(proof.clone());
        let cps = std::slice::from_ref(&cp);
        let got = check_proof(&any, cps, never())?;
        assert_eq!(
            got,
            Ok(Proven::Inclusion {
                leaf_index: 2,
                origin: cp.checkpoint.origin.clone(),
                tree_size: 5
            })
        );
        // The entry it is for, with its newline, passes; another entry does not.
        let mut with_newline = line.clone();
        with_newline.push(b'\n');
        let ok = check_proof(&any, cps, Some(|| Ok::<_, ProofInputError>(with_newline)))?;
        assert!(ok.is_ok(), "{ok:?}");
        let other = prove::read_entry_line(&log, 1)?;
        let got = check_proof(&any, cps, Some(|| Ok::<_, ProofInputError>(other)))?;
        assert_eq!(got, Err(ProofRejection::NotTheEntry));
        // A proof for another leaf index does not verify.
        let mut moved = proof.clone();
        moved.leaf_index = 3;
        let got = check_proof(&AnyProof::Inclusion(moved), cps, never())?;
        assert!(
            matches!(got, Err(ProofRejection::DoesNotVerify(_))),
            "{got:?}"
        );
        // No checkpoint of its size: unusable, and the entry is never read.
        let mut bigger = proof.clone();
        bigger.tree_size = 9;
        let read = || -> Result<Vec<u8>, ProofInputError> { panic!("the entry was read") };
        let e =
            check_proof(&AnyProof::Inclusion(bigger), cps, Some(read)).expect_err("no checkpoint");
        assert!(
            matches!(e, ProofInputError::NoCheckpoint { size: 9 }),
            "{e:?}"
        );
        // A hash that is not base64 of 32 bytes.
        let mut bad = proof;
        bad.hashes[0] = "AAAA".into();
        let e = check_proof(&AnyProof::Inclusion(bad), cps, never()).expect_err("bad hash");
        assert_eq!(
            e.to_string(),
            "hashes[0] is not the base64 of a 32-byte hash"
        );
        Ok(())
    }

    #[test]
    fn a_consistency_proof_verifies_only_between_its_two_checkpoints() -> TestResult {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("a.log");
        make_log(&log, 2)?;
        let old = checkpoint(&log)?;
        append(&log, 3)?;
        let new = checkpoint(&log)?;
        let proof = prove::consistency_proof(&log, old.checkpoint.size, None)?;
        let cps = [old.clone(), new.clone()];
        let got = check_proof(&AnyProof::Consistency(proof.clone()), &cps, never())?;
        assert_eq!(
            got,
            Ok(Proven::Consistency {
                origin: new.checkpoint.origin.clone(),
                old_size: 3,
                new_size: 6
            })
        );
        // The old checkpoint with the new one's root: the proof does not verify.
        let mut forged = old.clone();
        forged.checkpoint.root = new.checkpoint.root;
        let got = check_proof(
            &AnyProof::Consistency(proof.clone()),
            &[forged, new.clone()],
            never(),
        )?;
        assert!(
            matches!(got, Err(ProofRejection::DoesNotVerify(_))),
            "{got:?}"
        );
        // Checkpoints of two different logs.
        let mut elsewhere = old;
        elsewhere.checkpoint.origin = "example.org/another".into();
        let e = check_proof(&AnyProof::Consistency(proof), &[elsewhere, new], never())
            .expect_err("origins differ");
        assert!(matches!(e, ProofInputError::OriginsDiffer), "{e:?}");
        Ok(())
    }

    /// A bundle of entry `seq` of `log` against its latest checkpoint, `extra` replaced if given.
    fn bundle(
        log: &Path,
        seq: u64,
        extra: Option<Option<Vec<u8>>>,
    ) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let cp = checkpoint(log)?;
        let proof = prove::inclusion_proof(log, seq, Some(cp.checkpoint.size))?;
        let line = prove::read_entry_line(log, seq)?;
        let text = TlogProof {
            extra: extra.unwrap_or(Some(line)),
            index: seq,
            proof: decode_hashes(&proof.hashes)?,
            checkpoint: cp.note,
        }
        .to_text()?;
        Ok(text.into_bytes())
    }

    #[test]
    fn a_bundle_holds_with_the_log_key_and_is_rejected_when_anything_differs() -> TestResult {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("a.log");
        make_log(&log, 3)?;
        let none = WitnessPolicy::none();
        let (anchor, other) = (key().verifier(), other_key().verifier());
        let good = bundle(&log, 2, None)?;
        let v = check_bundle(&good, &anchor, None, &none)?.map_err(|r| format!("{r:?}"))?;
        assert_eq!((v.entry.seq, v.signed_with), (2, Some(SignedWith::LogKey)));
        assert_eq!(v.checkpoint.checkpoint.size, 4);
        // The author's key given explicitly also checks the signature.
        let v =
            check_bundle(&good, &anchor, Some(&anchor), &none)?.map_err(|r| format!("{r:?}"))?;
        assert_eq!(v.signed_with, Some(SignedWith::AuthorKey));
        // Another key as the log's key: its checkpoint is refused.
        let got = check_bundle(&good, &other, None, &none)?;
        assert!(
            matches!(got, Err(BundleRejection::Checkpoint(_))),
            "{got:?}"
        );
        // Another key as the author's: refused as unusable, naming both.
        let e = check_bundle(&good, &anchor, Some(&other), &none).expect_err("wrong author");
        assert!(
            matches!(e, BundleError::WrongAuthorKey { seq: 2, .. }),
            "{e:?}"
        );
        // Another entry's line in the bundle: not proven to be in the log.
        let swapped = bundle(&log, 2, Some(Some(prove::read_entry_line(&log, 1)?)))?;
        let got = check_bundle(&swapped, &anchor, None, &none)?;
        assert!(
            matches!(got, Err(BundleRejection::NotIncluded(_))),
            "{got:?}"
        );
        // No entry at all, and no bundle at all.
        let bare = bundle(&log, 2, Some(None))?;
        let e = check_bundle(&bare, &anchor, None, &none).expect_err("no entry");
        assert!(matches!(e, BundleError::NoEntry), "{e:?}");
        let e = check_bundle(b"not a bundle\n", &anchor, None, &none).expect_err("garbage");
        assert!(matches!(e, BundleError::NotABundle(_)), "{e:?}");
        Ok(())
    }
}
