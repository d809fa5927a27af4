//! RFC 6962 / RFC 9162 Merkle trees over leaf hashes.
//!
//! The tree is built over leaf hashes, SHA-256(0x00 ‖ d) ([`leaf_hash`]), as RFC 6962 §2.1
//! defines it:
//!
//! ```text
//! MTH({})       = SHA-256()                                    empty_root()
//! MTH({d0})     = SHA-256(0x00 ‖ d0)                           leaf_hash()
//! MTH(D[0:n])   = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))    node_hash()
//!                 where k is the largest power of 2 smaller than n
//! ```
//!
//! # Stored hashes
//!
//! The tree is kept as an append-only list of 32-byte hashes, one per *complete* subtree (2^L
//! leaves starting at a multiple of 2^L), in the order they become complete as leaves are
//! appended: leaf n's hash, then the hash of every subtree that leaf n completes, smallest first.
//! This is the layout of Go's `golang.org/x/mod/sumdb/tlog`:
//!
//! ```text
//! stored index   0   1   2      3   4   5   6        7   8   9     10 …
//! hash           l0  l1  n01    l2  l3  n23 n0123    l4  l5  n45   l6 …
//! ```
//!
//! Every hash a root or proof needs is the MTH of a range `D[lo:hi]` of the tree, and such a range
//! is made of at most 64 complete subtrees (one per bit of hi − lo), so [`tree_hash`],
//! [`prove_inclusion`] and [`prove_consistency`] read O(log n) stored hashes, in one
//! [`HashReader::read_hashes`] call. [`stored_hash_index`] gives a subtree's position;
//! [`stored_hashes_for_leaf`] the hashes to append with a new leaf.
//!
//! # Proofs
//!
//! Proofs are lists of node hashes, leaf side first, exactly as RFC 6962 `PATH` and `PROOF`
//! define them; [`verify_inclusion`] and [`verify_consistency`] are RFC 9162's verification
//! algorithms (§2.1.3.2, §2.1.4.2) step by step.
//!
//! A proof binds a leaf (or an old root) to a root, not to a tree size: the same hashes can be a
//! valid proof for another size with the same shape (an inclusion proof for leaf 4 of 8 also
//! verifies as leaf 4 of 7 against the same root). A root is only meaningful together with the
//! size it is signed with.

use sha2::{Digest, Sha256};

/// The RFC 6962 §2.1 leaf hash of `data`: SHA-256(0x00 ‖ data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// A SHA-256 Merkle tree hash: a leaf hash, an interior node hash or a root.
///
/// Functions that need a *leaf* take its leaf hash ([`leaf_hash`], SHA-256(0x00 ‖ data), not the
/// data), as anything that converts into a `Hash` (a caller may keep leaf hashes in its own
/// type); everything above the leaves is a plain `Hash`.
pub type Hash = [u8; 32];

/// The largest tree size the stored-hash functions accept: 2^63 leaves, the most for which every
/// stored index fits in a `u64` ([`stored_hash_count`]`(2^63)` = 2^64 − 1).
pub const MAX_TREE_SIZE: u64 = 1 << 63;

/// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    // RFC 6962 §2.1: MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    // RFC 6962 §2.1: MTH({}) = SHA-256()
    Sha256::digest(b"").into()
}

/// The MTH of a range of the tree from its complete subtrees s0, s1, …, sj (left to right):
///
/// ```text
/// MTH = SHA-256(0x01 ‖ s0 ‖ SHA-256(0x01 ‖ s1 ‖ … SHA-256(0x01 ‖ s(j−1) ‖ sj)))
/// ```
///
/// because RFC 6962 splits `D[lo:hi]` at the largest power of 2 below its size, which is s0
/// (`D[lo:hi]` being a node of the tree, lo is a multiple of that power). No subtrees: MTH({}).
fn fold_subtrees(subtrees: &[Hash]) -> Hash {
    match subtrees.split_last() {
        None => empty_root(),
        Some((last, rest)) => rest
            .iter()
            .rev()
            .fold(*last, |right, left| node_hash(left, &right)),
    }
}

mod frontier;
mod layout;
mod memory;
mod proof;
mod root;

pub use frontier::Frontier;
pub use layout::{
    HashReader, MissingHash, stored_hash_count, stored_hash_index, stored_hashes_for_leaf,
    tree_hash,
};
pub use memory::MemoryTree;
pub use proof::{prove_consistency, prove_inclusion, verify_consistency, verify_inclusion};
pub(crate) use root::decode_hash;
pub use root::{BadRootHash, RootHash};

/// Why a tree hash or proof could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TreeError<E> {
    /// The [`HashReader`] failed.
    #[error("reading stored hashes: {0}")]
    Read(E),
    /// The [`HashReader`] broke its contract.
    #[error("the hash reader returned {got} hashes for {wanted} indexes")]
    ReadCount {
        /// How many indexes were asked for.
        wanted: usize,
        /// How many hashes came back.
        got: usize,
    },
    /// A leaf index that is not in the tree.
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange {
        /// The leaf index asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A consistency proof asked from a larger tree to a smaller one.
    #[error("old tree size {old_size} is larger than new tree size {new_size}")]
    SizesReversed {
        /// The old (first) size.
        old_size: u64,
        /// The new (second) size.
        new_size: u64,
    },
    /// A consistency proof asked from the empty tree (see [`ProofError::EmptyOldTree`]).
    #[error("there is no consistency proof from the empty tree")]
    EmptyOldTree,
    /// A tree size above [`MAX_TREE_SIZE`].
    #[error("tree size {size} is above the maximum of 2^63")]
    TooLarge {
        /// The size asked for.
        size: u64,
    },
}

/// Why a proof does not verify. Each variant is a different reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// An inclusion proof for a leaf index that is not below the tree size.
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange {
        /// The leaf index.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A consistency proof whose old size is larger than its new size.
    #[error("old tree size {old_size} is larger than new tree size {new_size}")]
    SizesReversed {
        /// The old (first) size.
        old_size: u64,
        /// The new (second) size.
        new_size: u64,
    },
    /// A consistency proof from the empty tree. RFC 9162 §2.1.4.2 verifies proofs for
    /// 0 < first < second (equal sizes need only equal roots): every tree extends the empty one,
    /// so such a proof proves nothing, and the RFC 6962 test vectors reject it (even 0 → 0).
    #[error("a consistency proof needs a non-empty old tree")]
    EmptyOldTree,
    /// A proof with too many or too few hashes for its sizes.
    #[error("the proof has {got} hashes; a proof for these sizes has {expected}")]
    WrongProofLength {
        /// How many hashes a proof for these sizes has.
        expected: usize,
        /// How many the proof has.
        got: usize,
    },
    /// A consistency proof that does not lead to the old root.
    #[error("the consistency proof does not lead to the old root")]
    OldRootMismatch,
    /// A proof that does not lead to the (new) root; for equal sizes, roots that differ.
    #[error("the proof does not lead to the root")]
    RootMismatch,
}

#[cfg(test)]
mod tests;
