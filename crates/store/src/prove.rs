//! Proofs from a log and its tree file, and the facts about a log's genesis that checkpoints
//! and proofs need: its origin and trust anchor (the key that signed the genesis, which alone
//! signs checkpoints).
//!
//! Every proof is checked before it is returned, against the root of the checkpoint kept for
//! its size (signed by the log's trust anchor) or, without one, against the root computed from
//! the log's own lines, so that a damaged tree file gives an error ([`ProveError`]), never a
//! wrong proof.

use std::fmt;
use std::path::{Path, PathBuf};

use acta_core::tree::{self, Hash, HashReader as _, ProofError, TreeError};
use acta_core::{Entry, EntryHash, FindingKind, VerifierKey};
use acta_tlog::wire::{ConsistencyProof, InclusionProof};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::{CheckpointDir, FileStore, ScanItem, Store, StoreError, TreeFile};

/// Why a proof could not be made, or a log's genesis not read. Messages name the files and
/// sizes involved; what to do next is the caller's to say.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ProveError {
    /// The log, its tree file or its checkpoints could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No tree file beside the log.
    #[error("{} has no tree file beside it", log.display())]
    NoTreeFile {
        /// The log.
        log: PathBuf,
    },
    /// The log has no complete first line.
    #[error("{} has no complete first line", log.display())]
    NoFirstLine {
        /// The log.
        log: PathBuf,
    },
    /// The log's genesis does not verify (signature included).
    #[error("{}: its genesis does not verify ({finding})", log.display())]
    GenesisInvalid {
        /// The log.
        log: PathBuf,
        /// The first finding about it.
        finding: Box<FindingKind>,
    },
    /// The genesis names no key of the log's keyring as its author.
    #[error("{}: its genesis names no signing key", log.display())]
    NoAnchorKey {
        /// The log.
        log: PathBuf,
    },
    /// No kept checkpoint is signed by the log's trust anchor, and no size was given.
    #[error(
        "{} has no checkpoint yet (none kept beside it is signed by its trust anchor)",
        log.display()
    )]
    NoCheckpoint {
        /// The log.
        log: PathBuf,
    },
    /// An inclusion proof for an entry not in the tree.
    #[error("entry {seq} is not in a tree of {size} entries (seq must be below the size)")]
    SeqNotInTree {
        /// The entry's seq.
        seq: u64,
        /// The tree size.
        size: u64,
    },
    /// A consistency proof from size 0, or from a size above the newer one.
    #[error("the older size {from} must be at least 1 and at most the newer size ({to})")]
    BadSizes {
        /// The older size asked for.
        from: u64,
        /// The newer size.
        to: u64,
    },
    /// The tree file holds fewer entries than the size asked for.
    #[error(
        "the tree of {} holds {leaves} entries, fewer than {size}",
        tree.display()
    )]
    TreeTooSmall {
        /// The tree file.
        tree: PathBuf,
        /// The entries it holds.
        leaves: u64,
        /// The size asked for.
        size: u64,
    },
    /// Reading the tree file for a proof failed (shown in its debug form).
    #[error("{0:?}")]
    Tree(TreeError<StoreError>),
    /// The tree file's root disagrees with the checked root.
    #[error(
        "the tree file {} disagrees with {against}: the tree file is damaged",
        tree.display()
    )]
    TreeDisagrees {
        /// The tree file.
        tree: PathBuf,
        /// The log.
        log: PathBuf,
        /// What it was checked against.
        against: RootSource,
    },
    /// The tree file gave a proof that does not verify against the checked root.
    #[error("the tree file gives an invalid proof ({error}): it is damaged")]
    InvalidProof {
        /// The log.
        log: PathBuf,
        /// Why the proof does not verify.
        error: ProofError,
    },
    /// A line of the log is over the entry limit.
    #[error("{}: the line at byte {offset} is over the entry limit", log.display())]
    LineTooLong {
        /// The log.
        log: PathBuf,
        /// Where the line starts.
        offset: u64,
    },
    /// The log holds fewer entries than the size asked for.
    #[error("{} has only {have} entries, fewer than {size}", log.display())]
    TooFewEntries {
        /// The log.
        log: PathBuf,
        /// Its complete entries.
        have: u64,
        /// The size asked for.
        size: u64,
    },
    /// The log has no entry of that seq.
    #[error("{} has no entry {seq}", log.display())]
    NoEntry {
        /// The log.
        log: PathBuf,
        /// The seq asked for.
        seq: u64,
    },
}

/// What a tree file's root was checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootSource {
    /// The checkpoint kept for `size`, in `path`.
    Kept {
        /// The tree size.
        size: u64,
        /// The note's file.
        path: PathBuf,
    },
    /// The root computed from the log's first `size` lines.
    Lines {
        /// The tree size.
        size: u64,
    },
}

impl fmt::Display for RootSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RootSource::Kept { size, path } => write!(
                f,
                "the checkpoint kept for size {size} ({})",
                path.display()
            ),
            RootSource::Lines { size } => write!(f, "the root of the log's first {size} entries"),
        }
    }
}

fn b64(h: &Hash) -> String {
    BASE64.encode(h)
}

/// The first line of `store`, if it is a complete line.
fn first_line(store: &impl Store) -> Result<Option<Vec<u8>>, StoreError> {
    match store.scan()?.next().transpose()? {
        Some(ScanItem::Line(line)) => Ok(Some(line.bytes)),
        _ => Ok(None),
    }
}

/// Rebuilds the tree file beside `log` ([`TreeFile::path_for`]) from its complete entries,
/// holding the log's writer lock, and returns its number of leaves. A file whose first line is
/// not a genesis entry is no log: it gets no tree file, and `None` is returned.
pub fn rebuild_tree_beside(log: &Path) -> Result<Option<u64>, StoreError> {
    let store = FileStore::open_writer(log)?;
    if !starts_with_genesis(&store)? {
        return Ok(None);
    }
    let mut tree = TreeFile::open_writer(&TreeFile::path_for(log))?;
    crate::log::rebuild_tree(&store, &mut tree)?;
    Ok(Some(tree.leaves()))
}

/// Whether the store's first line is an entry of the genesis type (it may still not verify).
pub fn starts_with_genesis(store: &impl Store) -> Result<bool, StoreError> {
    Ok(first_line(store)?.is_some_and(|line| {
        Entry::decode(&line).is_ok_and(|d| d.entry.entry_type == acta_core::keyring::GENESIS_TYPE)
    }))
}

/// The origin the store's first line names, if it is a readable entry with a string `origin`
/// (not verified: what a checkpoint's origin is compared with).
pub fn genesis_origin(store: &impl Store) -> Result<Option<String>, StoreError> {
    Ok(first_line(store)?.and_then(|line| {
        Entry::decode(&line).ok().and_then(|d| {
            d.entry
                .data
                .get("origin")
                .and_then(acta_core::json::Value::as_str)
                .map(str::to_owned)
        })
    }))
}

/// The log's origin and its trust anchor (the key that signed its genesis, which signs its
/// checkpoints), from its first line, verified (signature included).
pub fn log_anchor(log: &Path) -> Result<(String, VerifierKey), ProveError> {
    let store = FileStore::open_reader(log)?;
    let Some(first) = first_line(&store)? else {
        return Err(ProveError::NoFirstLine { log: log.into() });
    };
    let mut v = acta_core::Verifier::new(acta_core::VerifyOptions::default());
    v.push_line(0, &first);
    if let Some(f) = v.findings().first() {
        return Err(ProveError::GenesisInvalid {
            log: log.into(),
            finding: Box::new(f.kind.clone()),
        });
    }
    let chain = v.chain();
    let anchor = chain
        .genesis_author()
        .and_then(|a| chain.keyring().get(a))
        .map(|rec| rec.key.clone())
        .ok_or_else(|| ProveError::NoAnchorKey { log: log.into() })?;
    Ok((chain.origin().unwrap_or_default().to_owned(), anchor))
}

/// The latest kept checkpoint signed by the log's trust anchor (a note anyone could have
/// planted in the folder is not one), with its file, if there is one.
pub fn latest_checkpoint(
    log: &Path,
) -> Result<Option<(PathBuf, acta_core::note::VerifiedCheckpoint)>, ProveError> {
    let (origin, anchor) = log_anchor(log)?;
    Ok(CheckpointDir::for_log(log).latest_signed(&anchor, &origin)?)
}

/// The size of the latest kept checkpoint signed by the log's trust anchor.
pub fn latest_size(log: &Path) -> Result<u64, ProveError> {
    latest_checkpoint(log)?
        .map(|(_, cp)| cp.checkpoint.size)
        .ok_or_else(|| ProveError::NoCheckpoint { log: log.into() })
}

/// A log's tree, read from the tree file beside it (for proofs: O(log n) reads).
pub fn open_tree(log: &Path) -> Result<TreeFile, ProveError> {
    // Opening the log first gives a clear error for a missing or unusable log path.
    FileStore::open_reader(log)?;
    TreeFile::open_reader(&TreeFile::path_for(log))?
        .ok_or_else(|| ProveError::NoTreeFile { log: log.into() })
}

/// Refuses a size beyond the entries of the tree file.
pub fn check_size(tree: &TreeFile, size: u64) -> Result<(), ProveError> {
    if size > tree.leaves() {
        return Err(ProveError::TreeTooSmall {
            tree: tree.path().to_path_buf(),
            leaves: tree.leaves(),
            size,
        });
    }
    Ok(())
}

/// The root at `size` that proofs are checked against before they are returned: the root of
/// the checkpoint kept for that size (computed from the log's lines when it was signed), or
/// else the root computed from the log's first `size` lines (a streaming pass). The tree
/// file's own root must agree with it.
pub fn checked_root(log: &Path, tree: &TreeFile, size: u64) -> Result<Hash, ProveError> {
    let from_tree = tree::tree_hash(size, tree).map_err(ProveError::Tree)?;
    let dir = CheckpointDir::for_log(log);
    let (origin, anchor) = log_anchor(log)?;
    // Only a note signed by the log's anchor counts; anything else kept there is ignored.
    let (root, against) = match dir.read_signed(size, &anchor, &origin)? {
        Some(cp) => (
            cp.checkpoint.root,
            RootSource::Kept {
                size,
                path: dir.file_for(size),
            },
        ),
        None => (root_from_log(log, size)?, RootSource::Lines { size }),
    };
    if from_tree != root {
        return Err(ProveError::TreeDisagrees {
            tree: tree.path().to_path_buf(),
            log: log.into(),
            against,
        });
    }
    Ok(root)
}

/// The RFC 6962 root of the log's first `size` lines, computed from the lines.
pub fn root_from_log(log: &Path, size: u64) -> Result<Hash, ProveError> {
    let store = FileStore::open_reader(log)?;
    let mut frontier = tree::Frontier::new();
    for item in store.scan()? {
        if frontier.size() == size {
            break;
        }
        match item? {
            ScanItem::Line(line) => {
                frontier.push(EntryHash::of_line(&line.bytes));
            }
            ScanItem::TooLong { offset, .. } => {
                return Err(ProveError::LineTooLong {
                    log: log.into(),
                    offset,
                });
            }
            ScanItem::Torn { .. } => break,
        }
    }
    if frontier.size() < size {
        return Err(ProveError::TooFewEntries {
            log: log.into(),
            have: frontier.size(),
            size,
        });
    }
    Ok(frontier.root())
}

fn tree_damaged(log: &Path, error: ProofError) -> ProveError {
    ProveError::InvalidProof {
        log: log.into(),
        error,
    }
}

/// The inclusion proof of entry `seq` in the tree of `size` entries (default: the latest
/// kept checkpoint's size), checked against the root at `size` before it is returned.
pub fn inclusion_proof(
    log: &Path,
    seq: u64,
    size: Option<u64>,
) -> Result<InclusionProof, ProveError> {
    let size = match size {
        Some(s) => s,
        None => latest_size(log)?,
    };
    if seq >= size {
        return Err(ProveError::SeqNotInTree { seq, size });
    }
    let tree = open_tree(log)?;
    check_size(&tree, size)?;
    let proof = tree::prove_inclusion(size, seq, &tree).map_err(ProveError::Tree)?;
    let leaf = tree.read_hashes(&[tree::stored_hash_index(0, seq)])?;
    let leaf = leaf.first().copied().unwrap_or_default();
    let root = checked_root(log, &tree, size)?;
    tree::verify_inclusion(EntryHash(leaf), seq, size, &proof, root)
        .map_err(|e| tree_damaged(log, e))?;
    Ok(InclusionProof {
        leaf_index: seq,
        tree_size: size,
        leaf_hash: b64(&leaf),
        hashes: proof.iter().map(b64).collect(),
    })
}

/// The consistency proof from size `from` to `to` (default: the latest kept checkpoint's
/// size), checked against the roots at both sizes before it is returned.
pub fn consistency_proof(
    log: &Path,
    from: u64,
    to: Option<u64>,
) -> Result<ConsistencyProof, ProveError> {
    consistency_hashes(log, from, to).map(|(proof, _)| proof)
}

/// [`consistency_proof`], with the proof's hashes as hashes too.
pub(crate) fn consistency_hashes(
    log: &Path,
    from: u64,
    to: Option<u64>,
) -> Result<(ConsistencyProof, Vec<Hash>), ProveError> {
    let to = match to {
        Some(s) => s,
        None => latest_size(log)?,
    };
    if from == 0 || from > to {
        return Err(ProveError::BadSizes { from, to });
    }
    let tree = open_tree(log)?;
    check_size(&tree, to)?;
    let proof = tree::prove_consistency(from, to, &tree).map_err(ProveError::Tree)?;
    let old = checked_root(log, &tree, from)?;
    let new = checked_root(log, &tree, to)?;
    tree::verify_consistency(from, to, &proof, old, new).map_err(|e| tree_damaged(log, e))?;
    let json = ConsistencyProof {
        old_size: from,
        new_size: to,
        hashes: proof.iter().map(b64).collect(),
    };
    Ok((json, proof))
}

/// The root of the tree file at `size` (no check against the log: see [`checked_root`]).
pub fn proof_root(log: &Path, size: u64) -> Result<Hash, ProveError> {
    let tree = open_tree(log)?;
    check_size(&tree, size)?;
    tree::tree_hash(size, &tree).map_err(ProveError::Tree)
}

/// The stored bytes of line `seq` (streaming to it).
pub fn read_entry_line(log: &Path, seq: u64) -> Result<Vec<u8>, ProveError> {
    let store = FileStore::open_reader(log)?;
    let mut index = 0u64;
    for item in store.scan()? {
        match item? {
            ScanItem::Line(line) if index == seq => return Ok(line.bytes),
            ScanItem::Line(_) | ScanItem::TooLong { .. } => index += 1,
            ScanItem::Torn { .. } => break,
        }
    }
    Err(ProveError::NoEntry {
        log: log.into(),
        seq,
    })
}

#[cfg(test)]
mod tests;
