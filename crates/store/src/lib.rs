//! acta-store: the [`Store`] trait and the embedded append-only file store.
//!
//! The principal types and how they connect:
//!
//! - [`Store`] is the storage abstraction: [`Store::scan`] streams the stored lines,
//!   [`Store::scan_from`] those from a byte offset on, [`Store::last_line`] fetches the last
//!   one cheaply, and [`Store::append`] adds a
//!   batch durably and all-or-nothing, returning an [`AppendReceipt`].
//! - [`FileStore`] implements [`Store`] over one file. Open it with
//!   [`FileStore::create`] (a new log, written atomically), [`FileStore::open_writer`]
//!   (exclusive lock held for the store's lifetime) or [`FileStore::open_reader`]
//!   (a read-only snapshot of the file's length at open time).
//! - A [`Scan`] yields [`ScanItem`]s: each complete line as a [`StoredLine`], an
//!   over-long line as [`ScanItem::TooLong`] (skipped without being buffered), and,
//!   last, any bytes after the last newline as [`ScanItem::Torn`] (a [`TornTail`]).
//! - [`repair`] moves a torn tail to a side file, leaving complete lines untouched,
//!   and reports a [`RepairOutcome`].
//! - [`project`] replays a log into an [`acta_core::Projection`], with snapshots.
//! - [`checkpoint`] signs a log's head as a checkpoint, and checks a set of signed checkpoints
//!   against the log: a verdict on each, and the evidence of a fork, as data.
//! - [`prove`] builds checked inclusion and consistency proofs from a log and its tree file,
//!   and reads a log's origin and trust anchor from its genesis.
//! - Every failure is a [`StoreError`].
//! - [`log`] puts the format on top: [`verify`] streams a store through the verifier, and a
//!   [`LogWriter`] signs, checks and durably appends entries.
//!
//! The store is byte-level: a log file is a sequence of lines, each a non-empty byte
//! string without `'\n'` of at most [`acta_core::MAX_ENTRY_BYTES`] bytes, and each
//! terminated by `'\n'`. It knows nothing about what the lines contain.
//!
//! ```no_run
//! use acta_store::{FileStore, ScanItem, Store};
//!
//! # fn main() -> Result<(), acta_store::StoreError> {
//! let mut log = FileStore::create("events.log", &[b"first"])?;
//! let receipt = log.append(&[b"second", b"third"])?;
//! assert_eq!(receipt.first_offset, 6);
//! drop(log); // releases the writer's lock
//!
//! let reader = FileStore::open_reader("events.log")?;
//! for item in reader.scan()? {
//!     if let ScanItem::Line(line) = item? {
//!         println!("{}: {:?}", line.offset, line.bytes);
//!     }
//! }
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod append_check;
#[cfg(test)]
mod append_check_tests;
pub mod bundle;
pub mod checkpoint;
pub mod checkpoints;
mod error;
mod file;
pub mod harden;
pub mod import;
pub mod keyfile;
pub mod listing;
pub mod log;
mod mac;
pub mod project;
pub mod prove;
pub mod side_file;
pub mod state_file;
#[cfg(test)]
mod state_tests;
#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod tests;
pub mod tree_file;
pub mod verify_proof;
pub mod witness_state;

use std::fmt;

pub use append_check::{
    AppendCheck, AppendWarning, CheckError, CheckWarning, LogView, Proposed, Unchecked,
};
pub use checkpoints::CheckpointDir;
pub use error::StoreError;
pub use file::{FileStore, LineSink, RepairAction, RepairOutcome, repair, repair_with};
pub use log::{LogError, LogWriter, Opened, SourceError, verify, verify_sequential};
pub use tree_file::TreeFile;

/// A complete line read from a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    /// Byte offset of the line's first byte in the log.
    pub offset: u64,
    /// The line's bytes, without the terminating `'\n'`.
    pub bytes: Vec<u8>,
}

/// Bytes after the last `'\n'` of a log: a line whose append was interrupted
/// (typically by a crash) before its newline was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TornTail {
    /// Byte offset of the first torn byte.
    pub offset: u64,
    /// Number of torn bytes, up to the end of the log.
    pub len: u64,
}

/// One item produced by a [`Scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanItem {
    /// A complete line. It may be empty if the file contains an empty line (which
    /// [`Store::append`] never writes).
    Line(StoredLine),
    /// A complete line longer than [`acta_core::MAX_ENTRY_BYTES`]. Its bytes were
    /// skipped, not loaded; scanning continues with the next line.
    TooLong {
        /// Byte offset of the line's first byte.
        offset: u64,
        /// The line's length in bytes, without its `'\n'`.
        len: u64,
    },
    /// The log ends with bytes after its last `'\n'` (or is all such bytes): a line whose
    /// append was interrupted before its newline, or a complete entry whose newline alone is
    /// missing (which of the two is the verifier's to say, from the bytes). Always the last
    /// item.
    Torn {
        /// Where the bytes are and how many there are.
        tail: TornTail,
        /// The bytes themselves if there are at most [`acta_core::MAX_ENTRY_BYTES`] of them
        /// (`None` if there are more: they can never be an entry, and are not loaded).
        bytes: Option<Vec<u8>>,
    },
}

impl ScanItem {
    /// The byte offset where the item starts.
    pub fn offset(&self) -> u64 {
        match self {
            ScanItem::Line(line) => line.offset,
            ScanItem::TooLong { offset, .. } => *offset,
            ScanItem::Torn { tail, .. } => tail.offset,
        }
    }
}

/// The result of a successful [`Store::append`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendReceipt {
    /// Byte offset of the first appended line (the log's length before the append).
    pub first_offset: u64,
    /// The log's length after the append: one past the last appended `'\n'`.
    pub end_offset: u64,
}

/// A stream of [`ScanItem`]s, from the start of a store.
///
/// Items come in log order. After an `Err` item the scan ends. Memory use is bounded
/// by [`acta_core::MAX_ENTRY_BYTES`] plus a read buffer, whatever the log's size.
pub struct Scan<'a> {
    inner: Box<dyn Iterator<Item = Result<ScanItem, StoreError>> + 'a>,
}

impl<'a> Scan<'a> {
    /// Wraps an iterator, for [`Store`] implementations. It must follow the contract
    /// of [`Store::scan`]: log order, at most one [`ScanItem::Torn`] and only last,
    /// nothing after an `Err`.
    pub fn new(items: impl Iterator<Item = Result<ScanItem, StoreError>> + 'a) -> Self {
        Scan {
            inner: Box::new(items),
        }
    }
}

impl Iterator for Scan<'_> {
    type Item = Result<ScanItem, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}

impl fmt::Debug for Scan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scan").finish_non_exhaustive()
    }
}

/// The store abstraction: an append-only sequence of lines.
///
/// [`FileStore`] is the embedded implementation; a server-backed store (for example
/// on PostgreSQL) can implement this trait too.
pub trait Store {
    /// Streams every complete line from the start, then a [`ScanItem::Torn`] item if
    /// the log ends without `'\n'`.
    ///
    /// Memory use is bounded: a line longer than [`acta_core::MAX_ENTRY_BYTES`] is
    /// reported as [`ScanItem::TooLong`] without being loaded.
    fn scan(&self) -> Result<Scan<'_>, StoreError>;

    /// Streams the items of [`Store::scan`] that start at or after byte `offset`: the same
    /// items, with the same offsets, minus those that start before it. An `offset` inside a
    /// line skips that line; an `offset` past the end yields nothing.
    ///
    /// The default implementation scans from the start and skips; [`FileStore`] reads only
    /// from the start of the first line at or after `offset` (a writer resuming from its state
    /// file reads just the lines appended since).
    fn scan_from(&self, offset: u64) -> Result<Scan<'_>, StoreError> {
        let scan = self.scan()?;
        Ok(Scan::new(scan.filter(move |item| match item {
            Ok(item) => item.offset() >= offset,
            Err(_) => true,
        })))
    }

    /// Returns the last complete line, or `None` if there is none. A torn tail is
    /// ignored. This reads only the end of the log, never the whole of it.
    ///
    /// Fails with [`StoreError::LastLineTooLong`] if that line is longer than
    /// [`acta_core::MAX_ENTRY_BYTES`].
    fn last_line(&self) -> Result<Option<StoredLine>, StoreError>;

    /// Appends `lines` durably and all-or-nothing.
    ///
    /// Every line is validated first: it must be non-empty, contain no `'\n'`, and be
    /// at most [`acta_core::MAX_ENTRY_BYTES`] bytes long; if any is invalid nothing is
    /// written. When `Ok` returns, every line has been written and synced to stable
    /// storage (one sync for the whole batch). On error, nothing of the batch remains
    /// in the log. An empty batch writes nothing and returns an empty receipt.
    fn append(&mut self, lines: &[&[u8]]) -> Result<AppendReceipt, StoreError>;
}

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
