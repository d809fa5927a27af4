//! Replaying a log into a [`Projection`], with snapshots and resumption.
//!
//! - [`replay`] folds the entries of a store, from the start or from a [`Position`], up to an
//!   optional last `seq` ("as recorded up to entry N"). It checks what a fold needs (each line
//!   decodes, `seq` and `prev` follow on) but not signatures: call it on a log that verified,
//!   or use [`verify_and_replay`], which verifies first (streaming) and folds only what it
//!   verified.
//! - A [`Snapshot`] is a projection's state at a [`Position`]. [`replay`] resumed from it
//!   first checks that the log still has that prefix (the entry at `size - 1` has the
//!   snapshot's hash), so a snapshot of one log cannot be resumed on another or on a
//!   rewritten one.
//!
//! ```no_run
//! use acta_core::{Projection, Recorded, VerifyOptions};
//! use acta_store::project::{verify_and_replay, ReplayOptions};
//! use acta_store::FileStore;
//!
//! /// Counts entries per type.
//! #[derive(Default)]
//! struct Types(std::collections::BTreeMap<String, u64>);
//! impl Projection for Types {
//!     fn apply(&mut self, r: Recorded<'_>) {
//!         *self.0.entry(r.entry.entry_type.clone()).or_default() += 1;
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = FileStore::open_reader("events.log")?;
//! let mut types = Types::default();
//! let (report, position) =
//!     verify_and_replay(&store, VerifyOptions::default(), &mut types, &ReplayOptions::default())?;
//! assert!(report.is_consistent());
//! println!("{} entries: {:?}", position.size, types.0);
//! # Ok(())
//! # }
//! ```

use acta_core::entry::GENESIS_PREV;
use acta_core::{Entry, EntryHash, Position, Projection, Recorded, Report, VerifyOptions};

use crate::{ScanItem, Store, StoreError};

/// What to replay.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReplayOptions {
    /// Resume after this position (a [`Snapshot`]'s); the default starts at entry 0.
    pub from: Position,
    /// Stop after the entry with this `seq` (as recorded up to entry N); `None`: to the end.
    pub upto_seq: Option<u64>,
}

/// Why a replay stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A line is not a well-formed entry, or does not follow on from the one before.
    #[error("entry {index} (byte {offset}): {problem}; run `acta verify` on the log")]
    Broken {
        /// Its index in the log.
        index: u64,
        /// Its byte offset.
        offset: u64,
        /// What is wrong.
        problem: String,
    },
    /// The snapshot's position is not a prefix of this log.
    #[error(
        "the snapshot was taken at entry {seq} with hash {expected}, but {found}: it belongs to another log or to a rewritten one; replay from the start instead"
    )]
    NotAPrefix {
        /// The snapshot's last entry.
        seq: u64,
        /// The snapshot's hash of it.
        expected: EntryHash,
        /// What the log has instead.
        found: String,
    },
    /// The log did not verify, so it is not replayed.
    #[error("the log did not verify ({0} problems); run `acta verify` for details")]
    NotVerified(u64),
}

/// Folds the entries of `store` into `projection` (see the module docs), returning the
/// position reached.
pub fn replay<S: Store + ?Sized, P: Projection + ?Sized>(
    store: &S,
    projection: &mut P,
    options: &ReplayOptions,
) -> Result<Position, ReplayError> {
    replay_bounded(store, projection, options, None)
}

/// [`replay`], folding at most `limit` entries in total (the verified size of the log).
fn replay_bounded<S: Store + ?Sized, P: Projection + ?Sized>(
    store: &S,
    projection: &mut P,
    options: &ReplayOptions,
    limit: Option<u64>,
) -> Result<Position, ReplayError> {
    let from = options.from;
    let mut position = from;
    let end = match (options.upto_seq, limit) {
        (Some(n), Some(l)) => Some(n.saturating_add(1).min(l)),
        (Some(n), None) => Some(n.saturating_add(1)),
        (None, l) => l,
    };
    if end.is_some_and(|e| e <= from.size) {
        check_prefix_empty(store, from)?;
        return Ok(from);
    }
    // With the offset of the snapshot's last line, read from there (the line must still be
    // the one the snapshot saw); otherwise from the start, skipping.
    let (mut index, scan) = match (from.size, from.head_offset) {
        (size @ 1.., Some(offset)) => (size - 1, store.scan_from(offset)?),
        _ => (0, store.scan()?),
    };
    let mut prev = GENESIS_PREV;
    let mut first = true;
    for item in scan {
        let (offset, bytes) = match item? {
            ScanItem::Line(line) => (line.offset, line.bytes),
            ScanItem::TooLong { offset, .. } => {
                return Err(broken(index, offset, "the line is too long"));
            }
            // A torn tail is not an entry: the fold ends before it.
            ScanItem::Torn(_) => break,
        };
        if index + 1 < from.size {
            // Before the snapshot's last entry: skipped unread (the hash chain ties the
            // snapshot's last entry to all of them).
            index += 1;
            continue;
        }
        let hash = EntryHash::of_line(&bytes);
        if first
            && from.size > 0
            && let Some(at) = from.head_offset
            && offset != at
        {
            return Err(not_a_prefix(from, format!("no entry starts at byte {at}")));
        }
        first = false;
        if index + 1 == from.size {
            if Some(hash) != from.head {
                return Err(not_a_prefix(from, format!("entry {index} has hash {hash}")));
            }
            prev = hash;
            index += 1;
            continue;
        }
        let entry =
            Entry::decode_verified(&bytes).map_err(|e| broken(index, offset, &e.to_string()))?;
        check_link(&entry, index, prev).map_err(|p| broken(index, offset, &p))?;
        projection.apply(Recorded {
            hash,
            entry: &entry,
        });
        index += 1;
        prev = hash;
        position = Position {
            size: index,
            head: Some(hash),
            head_offset: Some(offset),
        };
        if end.is_some_and(|e| index >= e) {
            break;
        }
    }
    if index < from.size {
        return Err(not_a_prefix(
            from,
            format!("the log has only {index} entries"),
        ));
    }
    Ok(position)
}

/// A replay that applies nothing still checks that the log has the snapshot's prefix.
fn check_prefix_empty<S: Store + ?Sized>(store: &S, from: Position) -> Result<(), ReplayError> {
    if from.size == 0 {
        return Ok(());
    }
    let mut index = 0u64;
    for item in store.scan()? {
        match item? {
            ScanItem::Line(line) => {
                if index + 1 == from.size {
                    let hash = EntryHash::of_line(&line.bytes);
                    if Some(hash) != from.head {
                        return Err(not_a_prefix(from, format!("entry {index} has hash {hash}")));
                    }
                    return Ok(());
                }
            }
            ScanItem::TooLong { .. } => {}
            ScanItem::Torn(_) => break,
        }
        index += 1;
    }
    Err(not_a_prefix(
        from,
        format!("the log has only {index} entries"),
    ))
}

fn check_link(entry: &Entry, index: u64, prev: EntryHash) -> Result<(), String> {
    if entry.seq != index {
        return Err(format!("seq is {}, expected {index}", entry.seq));
    }
    if entry.prev != prev {
        return Err(format!(
            "prev is {}, but the entry before has hash {prev}",
            entry.prev
        ));
    }
    Ok(())
}

fn broken(index: u64, offset: u64, problem: &str) -> ReplayError {
    ReplayError::Broken {
        index,
        offset,
        problem: problem.to_owned(),
    }
}

fn not_a_prefix(from: Position, found: String) -> ReplayError {
    ReplayError::NotAPrefix {
        seq: from.size.saturating_sub(1),
        expected: from.head.unwrap_or(GENESIS_PREV),
        found,
    }
}

/// Verifies `store` (streaming, with `verify`), then, only if it verified without findings,
/// folds the entries it verified into `projection`. Entries appended by another process
/// between the two passes are not folded.
///
/// Fails with [`ReplayError::NotVerified`] if the log has findings; the report is then lost,
/// so callers that want to show it should call [`crate::verify`] and [`replay`] themselves.
pub fn verify_and_replay<S: Store + ?Sized, P: Projection + ?Sized>(
    store: &S,
    verify: VerifyOptions,
    projection: &mut P,
    options: &ReplayOptions,
) -> Result<(Report, Position), ReplayError> {
    let report = crate::verify(store, verify)?;
    if !report.is_consistent() {
        return Err(ReplayError::NotVerified(
            report.findings.len() as u64 + report.findings_omitted,
        ));
    }
    let position = replay_bounded(store, projection, options, Some(report.entries))?;
    Ok((report, position))
}

/// A projection's state at a position of a log, to resume from later.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot<T> {
    /// Always [`Snapshot::FORMAT`]: the snapshot file format.
    pub format: String,
    /// The log's origin (a snapshot is refused for a log of another origin).
    pub origin: String,
    /// Where the state was taken.
    pub position: Position,
    /// The projection's state.
    pub state: T,
}

impl<T> Snapshot<T> {
    /// The format name written in every snapshot.
    pub const FORMAT: &'static str = "acta-snapshot/v1";

    /// A snapshot of `state` at `position` of the log of `origin`.
    pub fn new(origin: &str, position: Position, state: T) -> Snapshot<T> {
        Snapshot {
            format: Self::FORMAT.to_owned(),
            origin: origin.to_owned(),
            position,
            state,
        }
    }

    /// The replay options that resume from this snapshot.
    pub fn resume(&self) -> ReplayOptions {
        ReplayOptions {
            from: self.position,
            upto_seq: None,
        }
    }
}

impl<T: serde::Serialize> Snapshot<T> {
    /// The snapshot as JSON.
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }
}

impl<T: serde::de::DeserializeOwned> Snapshot<T> {
    /// Reads a snapshot written by [`Snapshot::to_json`], refusing other formats.
    pub fn from_json(bytes: &[u8]) -> Result<Snapshot<T>, String> {
        let s: Snapshot<T> = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if s.format != Self::FORMAT {
            return Err(format!("format {:?} is not {:?}", s.format, Self::FORMAT));
        }
        Ok(s)
    }
}
