//! A witness's decision: cosign a checkpoint, or refuse it and say why.
//!
//! A witness (c2sp.org/tlog-witness) remembers the last checkpoint it cosigned for a log and
//! cosigns a new one only if the log still extends it: same origin, no smaller tree, the same
//! root at the same size, and for a larger tree a consistency proof from the old tree to the
//! new one. [`decide`] is that rule as a pure function. Checking the checkpoints' signatures,
//! keeping the state durable and one cosigner per state at a time are the caller's.

use crate::note::Checkpoint;
use crate::tree::{self, Hash, ProofError};

/// Why a witness refuses to cosign a checkpoint. `Display` gives the reason as a phrase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The new checkpoint is for another log than the one the witness cosigned.
    #[error("the checkpoint is for {new}, not {previous}")]
    OtherOrigin {
        /// The origin the witness cosigned before.
        previous: String,
        /// The new checkpoint's origin.
        new: String,
    },
    /// The new checkpoint's tree is smaller than the one the witness cosigned.
    #[error("the log went back to size {new} (rollback)")]
    Rollback {
        /// The size the witness cosigned before.
        previous: u64,
        /// The new, smaller size.
        new: u64,
    },
    /// The same size as the checkpoint the witness cosigned, with another root.
    #[error("a different root for the same size (a fork)")]
    Fork {
        /// The size of both checkpoints.
        size: u64,
    },
    /// The tree grew and no consistency proof was given: ask again with a proof from `from`
    /// to `to`. The only refusal that a retry with more input can turn into a cosignature.
    #[error("a consistency proof from size {from} to {to} is needed")]
    ProofNeeded {
        /// The size the witness cosigned before.
        from: u64,
        /// The new checkpoint's size.
        to: u64,
    },
    /// The consistency proof does not lead from the old root to the new one.
    #[error("the consistency proof does not verify ({0}): a fork")]
    ProofDoesNotVerify(ProofError),
}

/// Decides whether a witness whose last cosigned checkpoint is `previous` (`None` on its first
/// use for this log) may cosign `new`, given `proof`, the hashes of a consistency proof from
/// `previous.size` to `new.size` when the tree grew (ignored otherwise).
///
/// The checks, in order: the origin ([`Refusal::OtherOrigin`]), the size
/// ([`Refusal::Rollback`]), at the same size the root ([`Refusal::Fork`]), and for a larger tree
/// the proof ([`Refusal::ProofNeeded`], [`Refusal::ProofDoesNotVerify`]). The same checkpoint
/// again is accepted (a witness may cosign it anew).
pub fn decide(
    previous: Option<&Checkpoint>,
    new: &Checkpoint,
    proof: Option<&[Hash]>,
) -> Result<(), Refusal> {
    let Some(old) = previous else {
        return Ok(());
    };
    if old.origin != new.origin {
        return Err(Refusal::OtherOrigin {
            previous: old.origin.clone(),
            new: new.origin.clone(),
        });
    }
    if new.size < old.size {
        return Err(Refusal::Rollback {
            previous: old.size,
            new: new.size,
        });
    }
    if new.size == old.size {
        return if new.root == old.root {
            Ok(())
        } else {
            Err(Refusal::Fork { size: new.size })
        };
    }
    let Some(proof) = proof else {
        return Err(Refusal::ProofNeeded {
            from: old.size,
            to: new.size,
        });
    };
    tree::verify_consistency(old.size, new.size, proof, old.root, new.root)
        .map_err(Refusal::ProofDoesNotVerify)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::MemoryTree;

    fn tree(n: u64) -> MemoryTree {
        MemoryTree::from_leaves((0..n).map(|i| tree::leaf_hash(&i.to_be_bytes())))
    }

    fn checkpoint(origin: &str, size: u64) -> Checkpoint {
        Checkpoint {
            origin: origin.to_owned(),
            size,
            root: tree(size).root(),
            extensions: Vec::new(),
        }
    }

    fn proof(from: u64, to: u64) -> Vec<Hash> {
        tree(to).prove_consistency(from, to).expect("a proof")
    }

    #[test]
    fn the_first_checkpoint_is_cosigned() {
        assert_eq!(decide(None, &checkpoint("log", 5), None), Ok(()));
    }

    #[test]
    fn the_same_checkpoint_again_is_cosigned_without_a_proof() {
        let cp = checkpoint("log", 5);
        assert_eq!(decide(Some(&cp), &cp, None), Ok(()));
        // A proof is not needed, and is ignored.
        assert_eq!(decide(Some(&cp), &cp, Some(&[[0; 32]])), Ok(()));
    }

    #[test]
    fn a_grown_tree_with_a_valid_proof_is_cosigned() {
        let (old, new) = (checkpoint("log", 3), checkpoint("log", 8));
        assert_eq!(decide(Some(&old), &new, Some(&proof(3, 8))), Ok(()));
    }

    #[test]
    fn another_origin_is_refused() {
        let (old, new) = (checkpoint("log", 3), checkpoint("other", 3));
        assert_eq!(
            decide(Some(&old), &new, None),
            Err(Refusal::OtherOrigin {
                previous: "log".to_owned(),
                new: "other".to_owned()
            })
        );
        // Before any other check: even a rollback of another log is refused for its origin.
        let smaller = checkpoint("other", 1);
        assert!(matches!(
            decide(Some(&old), &smaller, None),
            Err(Refusal::OtherOrigin { .. })
        ));
    }

    #[test]
    fn a_smaller_tree_is_a_rollback() {
        let (old, new) = (checkpoint("log", 5), checkpoint("log", 4));
        let refusal = decide(Some(&old), &new, Some(&proof(4, 5)));
        assert_eq!(
            refusal,
            Err(Refusal::Rollback {
                previous: 5,
                new: 4
            })
        );
        assert_eq!(
            refusal.map_err(|r| r.to_string()),
            Err("the log went back to size 4 (rollback)".to_owned())
        );
    }

    #[test]
    fn the_same_size_with_another_root_is_a_fork() {
        let old = checkpoint("log", 5);
        let mut new = old.clone();
        new.root[0] ^= 1;
        assert_eq!(
            decide(Some(&old), &new, None),
            Err(Refusal::Fork { size: 5 })
        );
    }

    #[test]
    fn a_grown_tree_without_a_proof_needs_one() {
        let (old, new) = (checkpoint("log", 3), checkpoint("log", 8));
        let refusal = decide(Some(&old), &new, None);
        assert_eq!(refusal, Err(Refusal::ProofNeeded { from: 3, to: 8 }));
        assert_eq!(
            refusal.map_err(|r| r.to_string()),
            Err("a consistency proof from size 3 to 8 is needed".to_owned())
        );
    }

    #[test]
    fn a_proof_that_does_not_verify_is_refused() {
        let (old, mut new) = (checkpoint("log", 3), checkpoint("log", 8));
        // A proof for other sizes has the wrong length.
        assert_eq!(
            decide(Some(&old), &new, Some(&proof(2, 8))),
            Err(Refusal::ProofDoesNotVerify(ProofError::WrongProofLength {
                expected: 4,
                got: 2
            }))
        );
        // A root the log never had: the proof of the real tree leads elsewhere (a fork).
        new.root[0] ^= 1;
        let refusal = decide(Some(&old), &new, Some(&proof(3, 8)));
        assert_eq!(
            refusal,
            Err(Refusal::ProofDoesNotVerify(ProofError::RootMismatch))
        );
        assert_eq!(
            refusal.map_err(|r| r.to_string()),
            Err(
                "the consistency proof does not verify (the proof does not lead to the root): a fork"
                    .to_owned()
            )
        );
    }
}
