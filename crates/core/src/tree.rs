//! RFC 6962 / RFC 9162 Merkle trees over a log's entry hashes.
//!
//! An entry hash is already the RFC 6962 leaf hash, SHA-256(0x00 ‖ line) ([`EntryHash`]), so a
//! log's Merkle tree is built directly over its entry hashes (RFC 6962 §2.1):
//!
//! ```text
//! MTH({})       = SHA-256()                                    empty_root()
//! MTH({d0})     = SHA-256(0x00 ‖ d0)                           the entry hash
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

use crate::entry::EntryHash;

/// A SHA-256 Merkle tree hash: a leaf hash, an interior node hash or a root.
///
/// Functions that need a *leaf* take an [`EntryHash`] (the leaf hash SHA-256(0x00 ‖ line), not
/// the line); everything above the leaves is a plain `Hash`.
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

// ---------------------------------------------------------------------------------------------
// The stored layout.

/// The position, in the stored layout, of the hash of complete subtree `n` at `level`: the
/// subtree of the 2^level leaves n·2^level … (n+1)·2^level − 1. Level 0 is the leaves.
///
/// Meaningful for `level < 64` and (n+1)·2^level ≤ 2^63; other inputs give a meaningless number
/// (never a panic).
pub fn stored_hash_index(level: u8, n: u64) -> u64 {
    // The subtree is stored when its last leaf, m = (n+1)·2^level − 1, is appended: right after
    // m's own hash and the hashes of the subtrees at levels 1 … level−1 that m completes:
    //   index(level, n) = index(0, m) + level,   index(0, m) = stored_hash_count(m)
    let m = n
        .wrapping_add(1)
        .wrapping_shl(u32::from(level))
        .wrapping_sub(1);
    stored_hash_count(m).wrapping_add(u64::from(level))
}

/// How many hashes the stored layout holds for a tree of `n_leaves` leaves. It is also where
/// leaf `n_leaves`'s hash goes: `stored_hash_index(0, n) == stored_hash_count(n)`.
///
/// Meaningful for `n_leaves ≤ MAX_TREE_SIZE`.
pub fn stored_hash_count(n_leaves: u64) -> u64 {
    // One hash per complete subtree: ⌊n / 2^k⌋ of them at level k, so
    //   count(n) = Σ_{k≥0} ⌊n / 2^k⌋ = 2n − popcount(n)
    // (each 1 bit b of n contributes 2^b + 2^(b−1) + … + 1 = 2·2^b − 1).
    n_leaves
        .wrapping_mul(2)
        .wrapping_sub(u64::from(n_leaves.count_ones()))
}

/// Reads stored hashes by their stored index ([`stored_hash_index`]).
pub trait HashReader {
    /// Why a read failed.
    type Error;

    /// The hashes at `indexes`, in the same order; exactly one hash per index.
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Self::Error>;
}

/// A stored hash an in-memory [`HashReader`] does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("stored hash {index} is missing (only {stored} hashes are stored)")]
pub struct MissingHash {
    /// The stored index asked for.
    pub index: u64,
    /// How many hashes are stored.
    pub stored: u64,
}

impl HashReader for [Hash] {
    type Error = MissingHash;

    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, MissingHash> {
        indexes
            .iter()
            .map(|&index| {
                usize::try_from(index)
                    .ok()
                    .and_then(|i| self.get(i))
                    .copied()
                    .ok_or(MissingHash {
                        index,
                        stored: self.len() as u64,
                    })
            })
            .collect()
    }
}

impl HashReader for Vec<Hash> {
    type Error = MissingHash;

    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, MissingHash> {
        self.as_slice().read_hashes(indexes)
    }
}

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

/// The hashes to append to the stored layout when leaf `n` is added: the leaf hash, then the
/// hash of each complete subtree that leaf `n` completes, smallest first. `reader` must hold the
/// [`stored_hash_count`]`(n)` hashes of leaves 0 … n−1; the result goes at stored index
/// `stored_hash_count(n)` onwards.
pub fn stored_hashes_for_leaf<R: HashReader + ?Sized>(
    n: u64,
    leaf: EntryHash,
    reader: &R,
) -> Result<Vec<Hash>, TreeError<R::Error>> {
    if n >= MAX_TREE_SIZE {
        return Err(TreeError::TooLarge {
            size: n.saturating_add(1),
        });
    }
    // Leaf n completes one subtree per trailing 1 bit of n: for 1 ≤ L ≤ t, subtree (L, n >> L),
    // whose left half, subtree (L−1, (n >> (L−1)) − 1), is already stored.
    let t = n.trailing_ones();
    let left_halves: Vec<u64> = (0..t)
        .map(|level| stored_hash_index(level as u8, (n >> level) - 1))
        .collect();
    let lefts = read_exact(reader, &left_halves)?;
    let mut hash = leaf.0;
    let mut out = Vec::with_capacity(lefts.len() + 1);
    out.push(hash);
    for left in &lefts {
        // (L, n >> L) = SHA-256(0x01 ‖ left half ‖ right half), the right half just computed
        hash = node_hash(left, &hash);
        out.push(hash);
    }
    Ok(out)
}

/// The root of the tree of the first `size` leaves ([`empty_root`] for 0), from the
/// popcount(size) complete subtrees it is made of.
pub fn tree_hash<R: HashReader + ?Sized>(
    size: u64,
    reader: &R,
) -> Result<Hash, TreeError<R::Error>> {
    check_size(size)?;
    let roots = range_hashes(&[(0, size)], reader)?;
    Ok(roots.first().copied().unwrap_or_else(empty_root))
}

/// The inclusion proof of leaf `index` in the tree of the first `size` leaves: RFC 6962
/// `PATH(index, D[0:size])`, leaf side first.
///
/// `reader` must hold the hashes of a tree of at least `size` leaves. The proof of the last leaf
/// does not read that leaf, so check `size` against your tree before asking.
pub fn prove_inclusion<R: HashReader + ?Sized>(
    size: u64,
    index: u64,
    reader: &R,
) -> Result<Vec<Hash>, TreeError<R::Error>> {
    check_size(size)?;
    if index >= size {
        return Err(TreeError::IndexOutOfRange { index, size });
    }
    range_hashes(&inclusion_ranges(index, size), reader)
}

/// The consistency proof from the tree of the first `old_size` leaves to the tree of the first
/// `new_size`: RFC 6962 `PROOF(old_size, D[0:new_size])`, leaf side first. Empty when the sizes are
/// equal; an error for an empty old tree, like [`verify_consistency`].
pub fn prove_consistency<R: HashReader + ?Sized>(
    old_size: u64,
    new_size: u64,
    reader: &R,
) -> Result<Vec<Hash>, TreeError<R::Error>> {
    check_size(new_size)?;
    if old_size > new_size {
        return Err(TreeError::SizesReversed { old_size, new_size });
    }
    if old_size == 0 {
        return Err(TreeError::EmptyOldTree);
    }
    range_hashes(&consistency_ranges(old_size, new_size), reader)
}

/// RFC 9162 §2.1.3.2: checks that `proof` shows `leaf` at `index` in a tree of `size` leaves
/// with root `root`.
pub fn verify_inclusion(
    leaf: EntryHash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: Hash,
) -> Result<(), ProofError> {
    // 1. If leaf_index ≥ tree_size, fail.
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let wrong_length = || ProofError::WrongProofLength {
        expected: path_len(index, size - 1),
        got: proof.len(),
    };
    // 2. fn = leaf_index, sn = tree_size − 1.
    let (mut fn_, mut sn) = (index, size - 1);
    // 3. r = hash.
    let mut r = leaf.0;
    // 4. For each p in inclusion_path:
    for p in proof {
        // a. If sn is 0, fail.
        if sn == 0 {
            return Err(wrong_length());
        }
        // b. If LSB(fn) is set, or fn == sn, p is a left sibling:
        if fn_ & 1 == 1 || fn_ == sn {
            // r = SHA-256(0x01 ‖ p ‖ r)
            r = node_hash(p, &r);
            // If LSB(fn) is not set, right-shift fn and sn until LSB(fn) is set or fn is 0
            // (skipping the levels where the node is the last one and has no sibling).
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            // Otherwise p is a right sibling: r = SHA-256(0x01 ‖ r ‖ p)
            r = node_hash(&r, p);
        }
        // c. Right-shift fn and sn once.
        fn_ >>= 1;
        sn >>= 1;
    }
    // 5. sn must be 0 and r must equal root_hash.
    if sn != 0 {
        return Err(wrong_length());
    }
    if r != root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// RFC 9162 §2.1.4.2: checks that `proof` shows the tree of `old_size` leaves with root
/// `old_root` is a prefix of the tree of `new_size` leaves with root `new_root`.
///
/// Equal sizes need an empty proof and equal roots. An `old_size` of 0 is an error
/// ([`ProofError::EmptyOldTree`]), as in the RFC 6962 test vectors.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    proof: &[Hash],
    old_root: Hash,
    new_root: Hash,
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::SizesReversed { old_size, new_size });
    }
    if old_size == 0 {
        return Err(ProofError::EmptyOldTree);
    }
    if old_size == new_size {
        // The same tree: nothing to prove, the roots must be equal.
        if !proof.is_empty() {
            return Err(ProofError::WrongProofLength {
                expected: 0,
                got: proof.len(),
            });
        }
        if old_root != new_root {
            return Err(ProofError::RootMismatch);
        }
        return Ok(());
    }
    // From here 0 < first < second, as the RFC requires.
    let wrong_length = || ProofError::WrongProofLength {
        expected: consistency_proof_len(old_size, new_size),
        got: proof.len(),
    };
    // 1. If consistency_path is empty, fail.
    // 2. If first is an exact power of 2, prepend first_hash to consistency_path.
    let (seed, rest) = match proof.split_first() {
        None => return Err(wrong_length()),
        Some(_) if old_size.is_power_of_two() => (old_root, proof),
        Some((first, rest)) => (*first, rest),
    };
    // 3. fn = first − 1, sn = second − 1.
    let (mut fn_, mut sn) = (old_size - 1, new_size - 1);
    // 4. If LSB(fn) is set, right-shift fn and sn until LSB(fn) is not set
    //    (up to the largest complete subtree that ends the old tree: the seed).
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    // 5. fr = sr = the first value of consistency_path.
    let (mut fr, mut sr) = (seed, seed);
    // 6. For each subsequent value c:
    for c in rest {
        // a. If sn is 0, fail.
        if sn == 0 {
            return Err(wrong_length());
        }
        // b. If LSB(fn) is set, or fn == sn, c is a left sibling, on both trees' paths:
        if fn_ & 1 == 1 || fn_ == sn {
            // fr = SHA-256(0x01 ‖ c ‖ fr)
            fr = node_hash(c, &fr);
            // sr = SHA-256(0x01 ‖ c ‖ sr)
            sr = node_hash(c, &sr);
            // If LSB(fn) is not set, right-shift fn and sn until LSB(fn) is set or fn is 0.
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            // Otherwise c is a right sibling, only in the new tree: sr = SHA-256(0x01 ‖ sr ‖ c)
            sr = node_hash(&sr, c);
        }
        // c. Right-shift fn and sn once.
        fn_ >>= 1;
        sn >>= 1;
    }
    // 7. sn must be 0, fr must equal first_hash and sr second_hash.
    if sn != 0 {
        return Err(wrong_length());
    }
    if fr != old_root {
        return Err(ProofError::OldRootMismatch);
    }
    if sr != new_root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Proof shapes.

/// The largest power of 2 smaller than `n` (the RFC 6962 split point k), for n ≥ 2.
fn split(n: u64) -> u64 {
    // k = 2^⌊log2(n − 1)⌋; 0 only for n < 2, which callers never pass.
    n.saturating_sub(1).checked_ilog2().map_or(0, |b| 1 << b)
}

/// The ranges `D[lo:hi]` whose MTH make up RFC 6962 `PATH(m, D[0:n])`, leaf side first, for m < n:
///
/// ```text
/// PATH(0, {d0})  = {}
/// PATH(m, D[n])  = PATH(m, D[0:k]) : MTH(D[k:n])        if m < k
/// PATH(m, D[n])  = PATH(m − k, D[k:n]) : MTH(D[0:k])    if m ≥ k
/// ```
fn inclusion_ranges(m: u64, n: u64) -> Vec<(u64, u64)> {
    let (mut lo, mut hi) = (0, n);
    let mut top_down = Vec::new();
    while hi - lo > 1 {
        let k = split(hi - lo);
        if m < lo + k {
            top_down.push((lo + k, hi));
            hi = lo + k;
        } else {
            top_down.push((lo, lo + k));
            lo += k;
        }
    }
    top_down.reverse();
    top_down
}

/// The ranges `D[lo:hi]` whose MTH make up RFC 6962 `PROOF(m, D[0:n])`, leaf side first, for
/// 0 < m ≤ n:
///
/// ```text
/// PROOF(m, D[n])            = SUBPROOF(m, D[n], true)
/// SUBPROOF(m, D[m], true)   = {}
/// SUBPROOF(m, D[m], false)  = {MTH(D[m])}
/// SUBPROOF(m, D[n], b)      = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          if m ≤ k
/// SUBPROOF(m, D[n], b)      = SUBPROOF(m − k, D[k:n], false) : MTH(D[0:k])  if m > k
/// ```
fn consistency_ranges(m: u64, n: u64) -> Vec<(u64, u64)> {
    // Invariant: lo < m ≤ hi. `whole` is b: D[lo:m] is still the whole old tree.
    let (mut lo, mut hi, mut whole) = (0, n, true);
    let mut top_down = Vec::new();
    while m < hi {
        let k = split(hi - lo);
        if m <= lo + k {
            top_down.push((lo + k, hi));
            hi = lo + k;
        } else {
            top_down.push((lo, lo + k));
            lo += k;
            whole = false;
        }
    }
    if !whole {
        top_down.push((lo, hi));
    }
    top_down.reverse();
    top_down
}

/// How many hashes RFC 9162's loop takes from node `fn_` up to the root, when `sn` is the last
/// node at that level (fn_ ≤ sn): one per level below the one where their ancestors meet (there
/// each has a sibling), then one per 1 bit above it (there the common ancestor is a right child,
/// with a left sibling; a left child on the right edge has no sibling).
fn path_len(fn_: u64, sn: u64) -> usize {
    let inner = u64::BITS - (fn_ ^ sn).leading_zeros();
    let border = fn_.checked_shr(inner).unwrap_or(0).count_ones();
    (inner + border) as usize
}

/// The length of the consistency proof from `m` to `n` leaves, 0 < m < n: the path from the
/// largest complete subtree ending the old tree (at level t = trailing zeros of m), plus that
/// subtree's own hash unless it is the whole old tree (m a power of 2).
fn consistency_proof_len(m: u64, n: u64) -> usize {
    let t = m.trailing_zeros();
    let shifted = |x: u64| x.checked_shr(t).unwrap_or(0);
    path_len(shifted(m - 1), shifted(n - 1)) + usize::from(!m.is_power_of_two())
}

// ---------------------------------------------------------------------------------------------
// Reading subtree hashes.

fn check_size<E>(size: u64) -> Result<(), TreeError<E>> {
    if size > MAX_TREE_SIZE {
        return Err(TreeError::TooLarge { size });
    }
    Ok(())
}

/// Appends the stored indexes of the complete subtrees that `D[lo:hi]` is made of, left to right.
fn push_subtree_indexes(lo: u64, hi: u64, out: &mut Vec<u64>) {
    let mut lo = lo;
    while lo < hi {
        // The largest complete subtree starting at lo inside D[lo:hi]: 2^level leaves with
        // 2^level ≤ hi − lo and 2^level dividing lo.
        let level = (hi - lo).ilog2().min(lo.trailing_zeros());
        out.push(stored_hash_index(level as u8, lo >> level));
        lo += 1 << level;
    }
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

/// The MTH of each range, reading all their complete subtrees in one call.
fn range_hashes<R: HashReader + ?Sized>(
    ranges: &[(u64, u64)],
    reader: &R,
) -> Result<Vec<Hash>, TreeError<R::Error>> {
    let mut indexes = Vec::new();
    let mut ends = Vec::with_capacity(ranges.len());
    for &(lo, hi) in ranges {
        push_subtree_indexes(lo, hi, &mut indexes);
        ends.push(indexes.len());
    }
    let hashes = read_exact(reader, &indexes)?;
    let mut start = 0;
    let mut out = Vec::with_capacity(ranges.len());
    for end in ends {
        let subtrees = hashes.get(start..end).ok_or(TreeError::ReadCount {
            wanted: indexes.len(),
            got: hashes.len(),
        })?;
        out.push(fold_subtrees(subtrees));
        start = end;
    }
    Ok(out)
}

/// Reads `indexes`, checking that the reader returned one hash for each.
fn read_exact<R: HashReader + ?Sized>(
    reader: &R,
    indexes: &[u64],
) -> Result<Vec<Hash>, TreeError<R::Error>> {
    if indexes.is_empty() {
        return Ok(Vec::new());
    }
    let hashes = reader.read_hashes(indexes).map_err(TreeError::Read)?;
    if hashes.len() != indexes.len() {
        return Err(TreeError::ReadCount {
            wanted: indexes.len(),
            got: hashes.len(),
        });
    }
    Ok(hashes)
}

// ---------------------------------------------------------------------------------------------
// The right edge of a tree.

/// The right edge of a tree (a "compact range"): the roots of its complete subtrees, one per
/// 1 bit of its size, largest first. It grows leaf by leaf, gives the root at any time, and
/// holds O(log n) hashes: how a streaming verifier or a writer computes roots without storing
/// the tree.
///
/// Serialized as `{"size": N, "subtrees": ["<64 hex>", ...]}` (so a writer can keep it in a
/// file); reading one back requires one subtree per 1 bit of `size` and `size` ≤
/// [`MAX_TREE_SIZE`]. Nothing ties the hashes to any lines: that is the caller's to check.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "FrontierRepr", into = "FrontierRepr")]
pub struct Frontier {
    subtrees: Vec<Hash>,
    size: u64,
}

/// The serialized form of a [`Frontier`]: hashes as lowercase hex.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontierRepr {
    size: u64,
    subtrees: Vec<String>,
}

impl From<Frontier> for FrontierRepr {
    fn from(f: Frontier) -> FrontierRepr {
        FrontierRepr {
            size: f.size,
            subtrees: f.subtrees.iter().map(hex::encode).collect(),
        }
    }
}

impl TryFrom<FrontierRepr> for Frontier {
    type Error = &'static str;

    fn try_from(r: FrontierRepr) -> Result<Frontier, &'static str> {
        if r.size > MAX_TREE_SIZE {
            return Err("a tree has at most 2^63 leaves");
        }
        if r.subtrees.len() != r.size.count_ones() as usize {
            return Err("a tree's right edge has one subtree per 1 bit of its size");
        }
        let subtrees = r
            .subtrees
            .iter()
            .map(|h| {
                let mut out = [0u8; 32];
                if h.len() != 64 || !h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
                    return Err("a hash is 64 lowercase hex digits");
                }
                hex::decode_to_slice(h, &mut out)
                    .map_err(|_| "a hash is 64 lowercase hex digits")?;
                Ok(out)
            })
            .collect::<Result<Vec<Hash>, _>>()?;
        Ok(Frontier {
            subtrees,
            size: r.size,
        })
    }
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Frontier {
        Frontier::default()
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The roots of the complete subtrees along the right edge, largest first.
    pub fn subtrees(&self) -> &[Hash] {
        &self.subtrees
    }

    /// The stored indexes ([`stored_hash_index`]) of [`Frontier::subtrees`], in the same
    /// order: where a stored tree must hold exactly these hashes.
    pub fn stored_indexes(&self) -> Vec<u64> {
        let mut out = Vec::with_capacity(self.subtrees.len());
        let mut start = 0u64;
        for level in (0..64u8).rev() {
            if self.size & (1 << level) != 0 {
                out.push(stored_hash_index(level, start >> level));
                start += 1 << level;
            }
        }
        out
    }

    /// Appends a leaf and returns the hashes it adds to the stored layout, in stored order:
    /// the leaf hash, then the root of each complete subtree the leaf completes.
    pub fn push(&mut self, leaf: EntryHash) -> Vec<Hash> {
        let mut hash = leaf.0;
        let mut added = Vec::with_capacity(1 + self.size.trailing_ones() as usize);
        added.push(hash);
        // The new leaf completes one subtree per trailing 1 bit of the old size, merging with
        // the smallest frontier subtrees: SHA-256(0x01 ‖ left ‖ right).
        for _ in 0..self.size.trailing_ones() {
            if let Some(left) = self.subtrees.pop() {
                hash = node_hash(&left, &hash);
                added.push(hash);
            }
        }
        self.subtrees.push(hash);
        self.size += 1;
        added
    }

    /// The root: MTH of all leaves so far (SHA-256("") for none).
    pub fn root(&self) -> Hash {
        fold_subtrees(&self.subtrees)
    }
}

// ---------------------------------------------------------------------------------------------
// In memory.

/// A whole tree in memory, in the stored layout: for tests and small trees.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryTree {
    /// Every stored hash, in the stored layout.
    hashes: Vec<Hash>,
    /// The right edge.
    frontier: Frontier,
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> MemoryTree {
        MemoryTree::default()
    }

    /// The tree of these leaves.
    pub fn from_leaves(leaves: impl IntoIterator<Item = EntryHash>) -> MemoryTree {
        let mut tree = MemoryTree::new();
        for leaf in leaves {
            tree.push(leaf);
        }
        tree
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// Every stored hash, in the stored layout ([`stored_hash_index`]).
    pub fn stored_hashes(&self) -> &[Hash] {
        &self.hashes
    }

    /// Appends a leaf (the same hashes [`stored_hashes_for_leaf`] gives, kept without reads).
    pub fn push(&mut self, leaf: EntryHash) {
        let added = self.frontier.push(leaf);
        self.hashes.extend(added);
    }

    /// The root of all leaves.
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// The root of the first `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, TreeError<MissingHash>> {
        self.check_holds(size)?;
        tree_hash(size, self)
    }

    /// The inclusion proof of leaf `index` in the first `size` leaves ([`prove_inclusion`]).
    pub fn prove_inclusion(
        &self,
        size: u64,
        index: u64,
    ) -> Result<Vec<Hash>, TreeError<MissingHash>> {
        self.check_holds(size)?;
        prove_inclusion(size, index, self)
    }

    /// The consistency proof from `old_size` to `new_size` leaves ([`prove_consistency`]).
    pub fn prove_consistency(
        &self,
        old_size: u64,
        new_size: u64,
    ) -> Result<Vec<Hash>, TreeError<MissingHash>> {
        self.check_holds(new_size)?;
        prove_consistency(old_size, new_size, self)
    }

    /// A tree larger than this one is missing its last stored hash.
    fn check_holds(&self, size: u64) -> Result<(), TreeError<MissingHash>> {
        if size > self.frontier.size() {
            return Err(TreeError::Read(MissingHash {
                index: stored_hash_count(size).saturating_sub(1),
                stored: self.hashes.len() as u64,
            }));
        }
        Ok(())
    }
}

impl HashReader for MemoryTree {
    type Error = MissingHash;

    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, MissingHash> {
        self.hashes.read_hashes(indexes)
    }
}

#[cfg(test)]
mod frontier_tests {
    use super::*;

    #[test]
    fn frontier_matches_the_stored_layout_and_the_root() {
        let mut frontier = Frontier::new();
        let mut all = Vec::new();
        for i in 0..300u64 {
            let leaf = EntryHash::of_line(&i.to_be_bytes());
            assert_eq!(
                stored_hashes_for_leaf(i, leaf, &all).expect("reads from the stored prefix"),
                frontier.push(leaf),
                "leaf {i}"
            );
            all.extend(stored_hashes_for_leaf(i, leaf, &all).expect("again"));
            assert_eq!(frontier.size(), i + 1);
            assert_eq!(
                frontier.root(),
                tree_hash(i + 1, &all).expect("root"),
                "size {}",
                i + 1
            );
            let at: Vec<Hash> = frontier
                .stored_indexes()
                .iter()
                .map(|&x| all[x as usize])
                .collect();
            assert_eq!(at, frontier.subtrees(), "size {}", i + 1);
        }
        assert_eq!(Frontier::new().root(), empty_root());
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::collections::HashMap;
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;

    fn leaf(i: usize) -> EntryHash {
        EntryHash::of_line(format!("leaf {i}").as_bytes())
    }

    fn leaves(n: usize) -> Vec<EntryHash> {
        (0..n).map(leaf).collect()
    }

    fn tree(n: usize) -> MemoryTree {
        MemoryTree::from_leaves(leaves(n))
    }

    // --- Naive RFC 6962 definitions, straight from the recursion, over slices. ---

    fn k_of(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    fn mth(d: &[EntryHash]) -> Hash {
        match d.len() {
            0 => Sha256::digest(b"").into(),
            1 => d[0].0,
            n => {
                let k = k_of(n);
                node_hash(&mth(&d[..k]), &mth(&d[k..]))
            }
        }
    }

    fn path(m: usize, d: &[EntryHash]) -> Vec<Hash> {
        let n = d.len();
        if n <= 1 {
            return vec![];
        }
        let k = k_of(n);
        let (mut p, sibling) = if m < k {
            (path(m, &d[..k]), mth(&d[k..]))
        } else {
            (path(m - k, &d[k..]), mth(&d[..k]))
        };
        p.push(sibling);
        p
    }

    fn subproof(m: usize, d: &[EntryHash], b: bool) -> Vec<Hash> {
        let n = d.len();
        if m == n {
            return if b { vec![] } else { vec![mth(d)] };
        }
        let k = k_of(n);
        let (mut p, sibling) = if m <= k {
            (subproof(m, &d[..k], b), mth(&d[k..]))
        } else {
            (subproof(m - k, &d[k..], false), mth(&d[..k]))
        };
        p.push(sibling);
        p
    }

    /// Which side each inclusion-proof hash goes on (true: left sibling), from the RFC recursion.
    fn path_shape(m: usize, n: usize) -> Option<Vec<bool>> {
        if m >= n {
            return None;
        }
        if n == 1 {
            return Some(vec![]);
        }
        let k = k_of(n);
        let mut s = if m < k {
            path_shape(m, k)?
        } else {
            path_shape(m - k, n - k)?
        };
        s.push(m >= k);
        Some(s)
    }

    /// The shape of a consistency proof: whether its first hash is the seed (the old root is not
    /// a complete subtree), then the side of each sibling (true: left, on both paths).
    fn proof_shape(m: usize, n: usize) -> Option<(bool, Vec<bool>)> {
        fn sub(m: usize, n: usize, b: bool) -> (bool, Vec<bool>) {
            if m == n {
                return (!b, vec![]);
            }
            let k = k_of(n);
            let (seed, mut s) = if m <= k {
                sub(m, k, b)
            } else {
                sub(m - k, n - k, false)
            };
            s.push(m > k);
            (seed, s)
        }
        (0 < m && m <= n).then(|| sub(m, n, true))
    }

    /// A reader that counts the indexes it is asked for.
    struct Counting<'a> {
        hashes: &'a [Hash],
        reads: Cell<usize>,
        calls: Cell<usize>,
    }

    impl<'a> Counting<'a> {
        fn new(hashes: &'a [Hash]) -> Self {
            Counting {
                hashes,
                reads: Cell::new(0),
                calls: Cell::new(0),
            }
        }
    }

    impl HashReader for Counting<'_> {
        type Error = MissingHash;
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, MissingHash> {
            self.reads.set(self.reads.get() + indexes.len());
            self.calls.set(self.calls.get() + 1);
            self.hashes.read_hashes(indexes)
        }
    }

    fn flip(h: &Hash, bit: usize) -> Hash {
        let mut h = *h;
        h[bit / 8] ^= 1 << (bit % 8);
        h
    }

    fn bitlen(x: u64) -> usize {
        (u64::BITS - x.leading_zeros()) as usize
    }

    // --- Hashing. ---

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            hex::encode(empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(MemoryTree::new().root(), empty_root());
        assert_eq!(tree_hash(0, &Vec::<Hash>::new()), Ok(empty_root()));
    }

    #[test]
    fn node_hash_is_sha256_of_0x01_left_right() {
        let (l, r) = (leaf(1).0, leaf(2).0);
        let mut bytes = vec![0x01];
        bytes.extend_from_slice(&l);
        bytes.extend_from_slice(&r);
        let want: Hash = Sha256::digest(&bytes).into();
        assert_eq!(node_hash(&l, &r), want);
        assert_ne!(node_hash(&r, &l), want);
    }

    // --- The stored layout. ---

    /// Appends leaves one by one, recording where each complete subtree (level, n) lands.
    fn brute_force_layout(leaves: u64) -> (HashMap<(u8, u64), u64>, Vec<u64>) {
        let mut at = HashMap::new();
        let mut counts = vec![0];
        let mut next = 0;
        for n in 0..leaves {
            // Leaf n, then every subtree whose last leaf is n, smallest first.
            let mut level = 0u8;
            loop {
                let width = 1u64 << level;
                if (n + 1) % width != 0 {
                    break;
                }
                at.insert((level, (n + 1) / width - 1), next);
                next += 1;
                level += 1;
            }
            counts.push(next);
        }
        (at, counts)
    }

    #[test]
    fn stored_layout_matches_brute_force() {
        let (at, counts) = brute_force_layout(600);
        for (&(level, n), &index) in &at {
            assert_eq!(stored_hash_index(level, n), index, "level {level}, n {n}");
        }
        for (n, &count) in counts.iter().enumerate() {
            let n = n as u64;
            assert_eq!(stored_hash_count(n), count, "count({n})");
            assert_eq!(stored_hash_index(0, n), count, "leaf {n} comes right after");
            assert_eq!(
                stored_hash_count(n),
                (0..64).map(|k| n >> k).sum::<u64>(),
                "2n − popcount(n) = Σ ⌊n/2^k⌋"
            );
        }
        // The picture in the module docs.
        let picture = [
            (0, 0),
            (0, 1),
            (1, 0),
            (0, 2),
            (0, 3),
            (1, 1),
            (2, 0),
            (0, 4),
        ];
        for (i, &(level, n)) in picture.iter().enumerate() {
            assert_eq!(stored_hash_index(level, n), i as u64);
        }
    }

    #[test]
    fn stored_layout_at_the_maximum_size() {
        assert_eq!(stored_hash_count(MAX_TREE_SIZE), u64::MAX);
        // The root of the largest tree is the last stored hash.
        assert_eq!(stored_hash_index(63, 0), u64::MAX - 1);
        assert_eq!(stored_hash_index(0, MAX_TREE_SIZE - 1), u64::MAX - 64);
        // Out of range: meaningless but no panic.
        let _ = stored_hash_index(255, u64::MAX);
        let _ = stored_hash_count(u64::MAX);
    }

    #[test]
    fn stored_hashes_for_leaf_builds_the_layout() {
        let n = 300;
        let mut stored: Vec<Hash> = Vec::new();
        for (i, l) in leaves(n).into_iter().enumerate() {
            assert_eq!(stored.len() as u64, stored_hash_count(i as u64));
            let new = stored_hashes_for_leaf(i as u64, l, &stored).unwrap();
            assert_eq!(new.len(), 1 + (i as u64).trailing_ones() as usize);
            stored.extend(new);
        }
        let t = tree(n);
        assert_eq!(t.stored_hashes(), &stored[..]);
        // Each stored hash is the MTH of its subtree's leaves.
        let ls = leaves(n);
        let (at, _) = brute_force_layout(n as u64);
        for (&(level, j), &index) in &at {
            let width = 1usize << level;
            let lo = j as usize * width;
            assert_eq!(stored[index as usize], mth(&ls[lo..lo + width]));
        }
    }

    #[test]
    fn stored_hashes_for_leaf_reads_only_left_halves() {
        let t = tree(64);
        for n in 0..64u64 {
            let r = Counting::new(&t.stored_hashes()[..stored_hash_count(n) as usize]);
            stored_hashes_for_leaf(n, leaf(n as usize), &r).unwrap();
            assert_eq!(r.reads.get(), n.trailing_ones() as usize);
            assert!(r.calls.get() <= 1);
        }
    }

    // --- Roots. ---

    #[test]
    fn tree_hash_matches_naive_mth() {
        let ls = leaves(70);
        let t = tree(70);
        for size in 0..=70usize {
            let want = mth(&ls[..size]);
            let r = Counting::new(t.stored_hashes());
            assert_eq!(tree_hash(size as u64, &r), Ok(want), "size {size}");
            assert_eq!(r.reads.get(), (size as u64).count_ones() as usize);
            assert_eq!(t.root_at(size as u64), Ok(want));
            assert_eq!(tree(size).root(), want);
            // Only the hashes of the first `size` leaves are needed.
            let prefix = &t.stored_hashes()[..stored_hash_count(size as u64) as usize];
            assert_eq!(tree_hash(size as u64, prefix), Ok(want));
        }
    }

    // --- Inclusion proofs. ---

    /// The bits to flip in a 32-byte hash. All 256 are slow in a debug build (SHA-256 runs
    /// unoptimised there), so larger trees flip 9: each of the 8 bit positions, in bytes 0, 4,
    /// …, 28, and the very last bit.
    fn bits(all: bool) -> Vec<usize> {
        if all {
            (0..256).collect()
        } else {
            (0..8).map(|i| i * 4 * 8 + i).chain([255]).collect()
        }
    }

    /// Leaves, their stored tree, and the root of each prefix, for the small-tree sweeps.
    struct Small {
        leaves: Vec<EntryHash>,
        tree: MemoryTree,
        roots: Vec<Hash>,
    }

    impl Small {
        const LEAVES: usize = 44;

        fn new() -> Small {
            let leaves = leaves(Small::LEAVES);
            let roots = (0..=Small::LEAVES).map(|n| mth(&leaves[..n])).collect();
            Small {
                tree: MemoryTree::from_leaves(leaves.iter().copied()),
                leaves,
                roots,
            }
        }
    }

    fn check_inclusion(s: &Small, size: u64, index: u64, all_bits: bool) {
        let (ls, t, root) = (&s.leaves, &s.tree, s.roots[size as usize]);
        let l = ls[index as usize];
        let r = Counting::new(t.stored_hashes());
        let proof = prove_inclusion(size, index, &r).unwrap();
        assert_eq!(proof, path(index as usize, &ls[..size as usize]));
        assert_eq!(proof.len(), path_len(index, size - 1));
        assert!(r.reads.get() <= 2 * bitlen(size), "O(log n) reads");
        assert!(r.calls.get() <= 1);
        assert_eq!(verify_inclusion(l, index, size, &proof, root), Ok(()));

        // Single-bit flips of a proof hash, the leaf or the root fail.
        for i in 0..proof.len() {
            for &bit in &bits(all_bits) {
                let mut bad = proof.clone();
                bad[i] = flip(&bad[i], bit);
                assert_eq!(
                    verify_inclusion(l, index, size, &bad, root),
                    Err(ProofError::RootMismatch)
                );
            }
        }
        for &bit in &bits(all_bits) {
            let bad_leaf = EntryHash(flip(&l.0, bit));
            assert!(verify_inclusion(bad_leaf, index, size, &proof, root).is_err());
            let bad_root = flip(&root, bit);
            assert!(verify_inclusion(l, index, size, &proof, bad_root).is_err());
        }

        // Too short or too long.
        let expected = proof.len();
        if let Some((_, shorter)) = proof.split_last() {
            assert_eq!(
                verify_inclusion(l, index, size, shorter, root),
                Err(ProofError::WrongProofLength {
                    expected,
                    got: expected - 1
                })
            );
        }
        for extra in [root, l.0, [0; 32]] {
            for at in [0, proof.len()] {
                let mut longer = proof.clone();
                longer.insert(at, extra);
                assert_eq!(
                    verify_inclusion(l, index, size, &longer, root),
                    Err(ProofError::WrongProofLength {
                        expected,
                        got: expected + 1
                    })
                );
            }
        }

        // Another index always fails. Another size fails unless the proof has exactly the same
        // shape there: then the verifier computes the very same hashes (proofs don't bind the
        // size; the signed checkpoint does).
        let shape = path_shape(index as usize, size as usize);
        for other in 0..size + 3 {
            if other != index {
                let ok = verify_inclusion(l, other, size, &proof, root).is_ok();
                assert!(!ok, "index {other} for {index} of {size}");
                assert_ne!(path_shape(other as usize, size as usize), shape);
            }
            if other != size {
                let ok = verify_inclusion(l, index, other, &proof, root).is_ok();
                let same = path_shape(index as usize, other as usize) == shape;
                assert_eq!(ok, same, "size {other} for {index} of {size}");
            }
        }
        // Against a nearby size's root, the proof fails unless it is also that size's proof.
        for other in size.saturating_sub(4).max(1)..=size + 4 {
            if other != size && t.prove_inclusion(other, index).ok() != Some(proof.clone()) {
                let r = s.roots[other as usize];
                assert!(verify_inclusion(l, index, other, &proof, r).is_err());
            }
        }
    }

    #[test]
    fn inclusion_proofs_for_every_leaf_of_every_small_tree() {
        let s = Small::new();
        for size in 1..=40u64 {
            for index in 0..size {
                check_inclusion(&s, size, index, size <= 8);
            }
        }
    }

    /// Every bit of every proof hash for every tree up to 40 leaves: slow in a debug build, so
    /// run it with `cargo test --release -p acta-core -- --ignored`.
    #[test]
    #[ignore = "slow in debug builds; run with --release -- --ignored"]
    fn inclusion_proofs_every_bit_flip() {
        let s = Small::new();
        for size in 1..=40u64 {
            for index in 0..size {
                check_inclusion(&s, size, index, true);
            }
        }
    }

    #[test]
    fn inclusion_proof_requests_that_cannot_be_met() {
        let t = tree(5);
        assert_eq!(
            prove_inclusion(5, 5, t.stored_hashes()),
            Err(TreeError::IndexOutOfRange { index: 5, size: 5 })
        );
        assert_eq!(
            prove_inclusion(0, 0, t.stored_hashes()),
            Err(TreeError::IndexOutOfRange { index: 0, size: 0 })
        );
        assert_eq!(
            prove_inclusion(u64::MAX, 0, t.stored_hashes()),
            Err(TreeError::TooLarge { size: u64::MAX })
        );
        assert!(matches!(
            prove_inclusion(9, 0, t.stored_hashes()),
            Err(TreeError::Read(MissingHash { stored: 8, .. }))
        ));
        assert!(matches!(
            t.prove_inclusion(6, 5),
            Err(TreeError::Read(MissingHash { .. }))
        ));
        assert!(t.prove_inclusion(5, 4).is_ok());
    }

    #[test]
    fn verify_inclusion_edge_cases() {
        let l = leaf(0);
        // A one-leaf tree: the root is the leaf, the proof is empty.
        assert_eq!(verify_inclusion(l, 0, 1, &[], l.0), Ok(()));
        assert_eq!(
            verify_inclusion(l, 0, 1, &[l.0], l.0),
            Err(ProofError::WrongProofLength {
                expected: 0,
                got: 1
            })
        );
        assert_eq!(
            verify_inclusion(l, 1, 1, &[], l.0),
            Err(ProofError::IndexOutOfRange { index: 1, size: 1 })
        );
        assert_eq!(
            verify_inclusion(l, 0, 0, &[], empty_root()),
            Err(ProofError::IndexOutOfRange { index: 0, size: 0 })
        );
        // Huge sizes: no overflow, no panic.
        let proof = vec![[7; 32]; 64];
        for (index, size) in [
            (u64::MAX - 1, u64::MAX),
            (0, u64::MAX),
            (1 << 63, u64::MAX),
            (u64::MAX, u64::MAX),
        ] {
            for len in [0, 1, 63, 64] {
                let _ = verify_inclusion(l, index, size, &proof[..len], l.0);
            }
        }
        assert_eq!(path_len(0, u64::MAX), 64);
        assert_eq!(path_len(u64::MAX, u64::MAX), 64);
        assert_eq!(path_len(1 << 63, u64::MAX), 64);
    }

    // --- Consistency proofs. ---

    fn check_consistency(s: &Small, old: u64, new: u64, all_bits: bool) {
        let (ls, t) = (&s.leaves, &s.tree);
        let (r1, r2) = (s.roots[old as usize], s.roots[new as usize]);
        let r = Counting::new(t.stored_hashes());
        let proof = prove_consistency(old, new, &r).unwrap();
        assert_eq!(
            proof,
            subproof(old as usize, &ls[..new as usize], true),
            "{old} → {new}"
        );
        if old < new {
            assert_eq!(proof.len(), consistency_proof_len(old, new));
        }
        assert!(r.reads.get() <= 2 * bitlen(new), "O(log n) reads");
        assert!(r.calls.get() <= 1);
        assert_eq!(verify_consistency(old, new, &proof, r1, r2), Ok(()));

        // Single-bit flips of a proof hash or either root fail.
        for i in 0..proof.len() {
            for &bit in &bits(all_bits) {
                let mut bad = proof.clone();
                bad[i] = flip(&bad[i], bit);
                assert!(verify_consistency(old, new, &bad, r1, r2).is_err());
            }
        }
        for &bit in &bits(all_bits) {
            assert!(verify_consistency(old, new, &proof, flip(&r1, bit), r2).is_err());
            assert!(verify_consistency(old, new, &proof, r1, flip(&r2, bit)).is_err());
        }
        if old < new {
            assert!(verify_consistency(old, new, &proof, r2, r1).is_err());
        }

        // Too short or too long.
        let expected = proof.len();
        if let Some((_, shorter)) = proof.split_last() {
            assert_eq!(
                verify_consistency(old, new, shorter, r1, r2),
                Err(ProofError::WrongProofLength {
                    expected,
                    got: expected - 1
                })
            );
        }
        for extra in [r1, r2, [0; 32]] {
            for at in [0, proof.len()] {
                let mut longer = proof.clone();
                longer.insert(at, extra);
                assert_eq!(
                    verify_consistency(old, new, &longer, r1, r2),
                    Err(ProofError::WrongProofLength {
                        expected,
                        got: expected + 1
                    })
                );
            }
        }

        // Other sizes fail unless the proof has exactly the same shape there.
        let shape = proof_shape(old as usize, new as usize);
        for other in 0..new + 3 {
            if other != old {
                let ok = verify_consistency(other, new, &proof, r1, r2).is_ok();
                let same = proof_shape(other as usize, new as usize) == shape;
                assert_eq!(ok, same, "old size {other} for {old} → {new}");
            }
            if other != new {
                let ok = verify_consistency(old, other, &proof, r1, r2).is_ok();
                let same = proof_shape(old as usize, other as usize) == shape;
                assert_eq!(ok, same, "new size {other} for {old} → {new}");
            }
        }
    }

    #[test]
    fn consistency_proofs_for_every_pair_of_small_trees() {
        let s = Small::new();
        for new in 1..=40u64 {
            for old in 1..=new {
                check_consistency(&s, old, new, new <= 8);
            }
        }
    }

    /// Every bit of every proof hash for every pair up to 40 leaves: slow in a debug build, so
    /// run it with `cargo test --release -p acta-core -- --ignored`.
    #[test]
    #[ignore = "slow in debug builds; run with --release -- --ignored"]
    fn consistency_proofs_every_bit_flip() {
        let s = Small::new();
        for new in 1..=40u64 {
            for old in 1..=new {
                check_consistency(&s, old, new, true);
            }
        }
    }

    #[test]
    fn verify_consistency_edge_cases() {
        let (a, b) = (leaf(0).0, leaf(1).0);
        assert_eq!(
            verify_consistency(2, 1, &[], a, b),
            Err(ProofError::SizesReversed {
                old_size: 2,
                new_size: 1
            })
        );
        // From the empty tree: always an error, whatever the roots and proof.
        for new in [0, 1, 5] {
            for proof in [&[][..], &[empty_root()][..]] {
                assert_eq!(
                    verify_consistency(0, new, proof, empty_root(), empty_root()),
                    Err(ProofError::EmptyOldTree)
                );
            }
        }
        // Equal sizes: an empty proof and equal roots.
        assert_eq!(verify_consistency(3, 3, &[], a, a), Ok(()));
        assert_eq!(
            verify_consistency(3, 3, &[], a, b),
            Err(ProofError::RootMismatch)
        );
        assert_eq!(
            verify_consistency(3, 3, &[a], a, a),
            Err(ProofError::WrongProofLength {
                expected: 0,
                got: 1
            })
        );
        // A different size but no proof.
        assert_eq!(
            verify_consistency(1, 2, &[], a, b),
            Err(ProofError::WrongProofLength {
                expected: 1,
                got: 0
            })
        );
        // The old root is checked, then the new one.
        let t = tree(8);
        let proof = t.prove_consistency(6, 8).unwrap();
        let (r6, r8) = (t.root_at(6).unwrap(), t.root());
        assert_eq!(
            verify_consistency(6, 8, &proof, b, r8),
            Err(ProofError::OldRootMismatch)
        );
        assert_eq!(
            verify_consistency(6, 8, &proof, r6, b),
            Err(ProofError::RootMismatch)
        );
        // Huge sizes: no overflow, no panic.
        let junk = vec![[7; 32]; 66];
        for (old, new) in [
            (u64::MAX - 1, u64::MAX),
            (1, u64::MAX),
            (1 << 63, u64::MAX),
            ((1 << 63) - 1, u64::MAX),
            (u64::MAX, u64::MAX),
        ] {
            for len in [0, 1, 63, 64, 65, 66] {
                let _ = verify_consistency(old, new, &junk[..len], a, b);
            }
            if old < new {
                let _ = consistency_proof_len(old, new);
            }
        }
    }

    #[test]
    fn consistency_proof_requests_that_cannot_be_met() {
        let t = tree(5);
        let h = t.stored_hashes();
        assert_eq!(
            prove_consistency(3, 2, h),
            Err(TreeError::SizesReversed {
                old_size: 3,
                new_size: 2
            })
        );
        assert_eq!(prove_consistency(0, 3, h), Err(TreeError::EmptyOldTree));
        assert_eq!(prove_consistency(0, 0, h), Err(TreeError::EmptyOldTree));
        assert_eq!(prove_consistency(4, 4, h), Ok(vec![]));
        assert_eq!(
            prove_consistency(1, MAX_TREE_SIZE + 1, h),
            Err(TreeError::TooLarge {
                size: MAX_TREE_SIZE + 1
            })
        );
        assert!(matches!(
            t.prove_consistency(2, 6),
            Err(TreeError::Read(MissingHash { .. }))
        ));
    }

    // --- Misbehaving readers. ---

    /// A reader that fails, or returns `extra` hashes more than asked for.
    enum Lying {
        Fails,
        Extra(usize),
    }

    impl HashReader for Lying {
        type Error = &'static str;
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, &'static str> {
            match self {
                Lying::Fails => Err("disk on fire"),
                Lying::Extra(extra) => Ok(vec![[0; 32]; indexes.len() + extra]),
            }
        }
    }

    #[test]
    fn reader_failures_are_errors_not_panics() {
        assert_eq!(
            tree_hash(5, &Lying::Fails),
            Err(TreeError::Read("disk on fire"))
        );
        assert_eq!(
            tree_hash(7, &Lying::Extra(1)),
            Err(TreeError::ReadCount { wanted: 3, got: 4 })
        );
        assert_eq!(
            tree_hash(7, &Lying::Extra(0)),
            Ok(fold_subtrees(&[[0; 32]; 3]))
        );
        struct Short;
        impl HashReader for Short {
            type Error = ();
            fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, ()> {
                Ok(vec![[0; 32]; indexes.len().saturating_sub(1)])
            }
        }
        assert_eq!(
            prove_inclusion(7, 2, &Short),
            Err(TreeError::ReadCount { wanted: 4, got: 3 })
        );
        assert_eq!(
            prove_consistency(3, 7, &Short),
            Err(TreeError::ReadCount { wanted: 5, got: 4 })
        );
        assert_eq!(
            stored_hashes_for_leaf(3, leaf(3), &Short),
            Err(TreeError::ReadCount { wanted: 2, got: 1 })
        );
        assert_eq!(
            stored_hashes_for_leaf(MAX_TREE_SIZE, leaf(0), &Short),
            Err(TreeError::TooLarge {
                size: MAX_TREE_SIZE + 1
            })
        );
        let empty: &[Hash] = &[];
        assert_eq!(
            tree_hash(1, empty),
            Err(TreeError::Read(MissingHash {
                index: 0,
                stored: 0
            }))
        );
        assert_eq!(
            empty.read_hashes(&[u64::MAX]),
            Err(MissingHash {
                index: u64::MAX,
                stored: 0
            })
        );
    }

    // --- Larger random trees. ---

    const BIG: usize = 1500;

    fn big() -> &'static (Vec<EntryHash>, MemoryTree) {
        static BIG_TREE: OnceLock<(Vec<EntryHash>, MemoryTree)> = OnceLock::new();
        BIG_TREE.get_or_init(|| (leaves(BIG), tree(BIG)))
    }

    proptest! {
        #[test]
        fn random_inclusion_proofs(
            size in 1..=BIG as u64,
            pick in any::<u64>(),
            bit in 0..256usize,
        ) {
            let (ls, t) = big();
            let index = pick % size;
            let root = mth(&ls[..size as usize]);
            prop_assert_eq!(t.root_at(size), Ok(root));
            let r = Counting::new(t.stored_hashes());
            let proof = prove_inclusion(size, index, &r).unwrap();
            prop_assert!(r.reads.get() <= 2 * bitlen(size));
            prop_assert_eq!(&proof, &path(index as usize, &ls[..size as usize]));
            let l = ls[index as usize];
            prop_assert_eq!(verify_inclusion(l, index, size, &proof, root), Ok(()));
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i] = flip(&bad[i], bit);
                prop_assert_eq!(
                    verify_inclusion(l, index, size, &bad, root),
                    Err(ProofError::RootMismatch)
                );
            }
        }

        #[test]
        fn random_consistency_proofs(
            new in 1..=BIG as u64,
            pick in any::<u64>(),
            bit in 0..256usize,
        ) {
            let (ls, t) = big();
            let old = 1 + pick % new;
            let (r1, r2) = (mth(&ls[..old as usize]), mth(&ls[..new as usize]));
            let r = Counting::new(t.stored_hashes());
            let proof = prove_consistency(old, new, &r).unwrap();
            prop_assert!(r.reads.get() <= 2 * bitlen(new));
            prop_assert_eq!(&proof, &subproof(old as usize, &ls[..new as usize], true));
            prop_assert_eq!(verify_consistency(old, new, &proof, r1, r2), Ok(()));
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i] = flip(&bad[i], bit);
                prop_assert!(verify_consistency(old, new, &bad, r1, r2).is_err());
            }
        }

        #[test]
        fn verifiers_never_panic(
            index in any::<u64>(),
            size in any::<u64>(),
            len in 0..70usize,
            fill in any::<u8>(),
        ) {
            let proof = vec![[fill; 32]; len];
            let _ = verify_inclusion(EntryHash([fill; 32]), index, size, &proof, [fill; 32]);
            let _ = verify_consistency(index, size, &proof, [fill; 32], [fill; 32]);
            let (lo, hi) = (index.min(size), index.max(size));
            let _ = verify_consistency(lo, hi, &proof, [fill; 32], [fill; 32]);
        }
    }
}
