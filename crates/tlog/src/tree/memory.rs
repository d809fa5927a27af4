//! A whole tree in memory.

use super::*;

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
    pub fn from_leaves<L: Into<Hash>>(leaves: impl IntoIterator<Item = L>) -> MemoryTree {
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
    pub fn push(&mut self, leaf: impl Into<Hash>) {
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
