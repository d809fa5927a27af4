//! RFC 6962 inclusion and consistency proofs: building them and verifying them (RFC 9162).

use super::layout::{check_size, range_hashes};
use super::*;

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
    leaf: impl Into<Hash>,
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
    let mut r: Hash = leaf.into();
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
pub(super) fn split(n: u64) -> u64 {
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
pub(super) fn inclusion_ranges(m: u64, n: u64) -> Vec<(u64, u64)> {
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
pub(super) fn consistency_ranges(m: u64, n: u64) -> Vec<(u64, u64)> {
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
pub(super) fn path_len(fn_: u64, sn: u64) -> usize {
    let inner = u64::BITS - (fn_ ^ sn).leading_zeros();
    let border = fn_.checked_shr(inner).unwrap_or(0).count_ones();
    (inner + border) as usize
}

/// The length of the consistency proof from `m` to `n` leaves, 0 < m < n: the path from the
/// largest complete subtree ending the old tree (at level t = trailing zeros of m), plus that
/// subtree's own hash unless it is the whole old tree (m a power of 2).
pub(super) fn consistency_proof_len(m: u64, n: u64) -> usize {
    let t = m.trailing_zeros();
    let shifted = |x: u64| x.checked_shr(t).unwrap_or(0);
    path_len(shifted(m - 1), shifted(n - 1)) + usize::from(!m.is_power_of_two())
}
