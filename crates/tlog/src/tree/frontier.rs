//! The right edge of a tree.

use super::*;

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
    pub fn push(&mut self, leaf: impl Into<Hash>) -> Vec<Hash> {
        let mut hash: Hash = leaf.into();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontier_matches_the_stored_layout_and_the_root() {
        let mut frontier = Frontier::new();
        let mut all = Vec::new();
        for i in 0..300u64 {
            let leaf = leaf_hash(&i.to_be_bytes());
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
