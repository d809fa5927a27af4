//! The stored layout: one hash per complete subtree, in the order they complete.

use super::*;

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

/// The hashes to append to the stored layout when leaf `n` is added: the leaf hash, then the
/// hash of each complete subtree that leaf `n` completes, smallest first. `reader` must hold the
/// [`stored_hash_count`]`(n)` hashes of leaves 0 … n−1; the result goes at stored index
/// `stored_hash_count(n)` onwards.
pub fn stored_hashes_for_leaf<R: HashReader + ?Sized>(
    n: u64,
    leaf: impl Into<Hash>,
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
    let mut hash: Hash = leaf.into();
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

// ---------------------------------------------------------------------------------------------
// Reading subtree hashes.

pub(super) fn check_size<E>(size: u64) -> Result<(), TreeError<E>> {
    if size > MAX_TREE_SIZE {
        return Err(TreeError::TooLarge { size });
    }
    Ok(())
}

/// Appends the stored indexes of the complete subtrees that `D[lo:hi]` is made of, left to right.
pub(super) fn push_subtree_indexes(lo: u64, hi: u64, out: &mut Vec<u64>) {
    let mut lo = lo;
    while lo < hi {
        // The largest complete subtree starting at lo inside D[lo:hi]: 2^level leaves with
        // 2^level ≤ hi − lo and 2^level dividing lo.
        let level = (hi - lo).ilog2().min(lo.trailing_zeros());
        out.push(stored_hash_index(level as u8, lo >> level));
        lo += 1 << level;
    }
}

/// The MTH of each range, reading all their complete subtrees in one call.
pub(super) fn range_hashes<R: HashReader + ?Sized>(
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
pub(super) fn read_exact<R: HashReader + ?Sized>(
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
