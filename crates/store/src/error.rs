//! [`StoreError`]: every way a store operation can fail.

use std::io;
use std::path::PathBuf;

/// Why a store operation failed.
///
/// Each message says what went wrong, where (the path, and a byte offset or line
/// index when there is one), and what to do next. Variants carry the same facts as
/// structured fields so callers can react without parsing messages.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file beside the log (tree, state, checkpoint) could not be used safely.
    #[error(transparent)]
    SideFile(#[from] crate::side_file::SideFileError),

    /// A different checkpoint for the same tree size is already kept.
    #[error(
        "{} already holds a different checkpoint note for this tree size (a different root, which would be evidence of a fork, or a different signature); nothing was written",
        path.display()
    )]
    CheckpointConflict {
        /// The kept checkpoint.
        path: PathBuf,
    },

    /// A stored tree hash beyond the end of the tree file was needed.
    #[error(
        "{}: the tree file holds {count} hashes, but hash {index} is needed: it is behind its log",
        path.display()
    )]
    TreeBehind {
        /// The tree file.
        path: PathBuf,
        /// The stored index needed.
        index: u64,
        /// Hashes in the file.
        count: u64,
    },

    /// The log file does not exist.
    #[error("{}: no such log file; check the path, or create the log first", path.display())]
    NotFound {
        /// The path that was looked up.
        path: PathBuf,
    },

    /// The path names a directory, not a log file.
    #[error(
        "{} is a directory, not a log file; give the path of a log file",
        path.display()
    )]
    IsDirectory {
        /// The path that was looked up.
        path: PathBuf,
    },

    /// The path names something other than a regular file (a device, FIFO or socket).
    #[error(
        "{} is not a regular file (a device, FIFO or socket?); give the path of a log file",
        path.display()
    )]
    NotARegularFile {
        /// The path that was looked up.
        path: PathBuf,
    },

    /// A writer (or `repair`) was asked to open a symbolic link; writers refuse to
    /// write through links.
    #[error(
        "{} is a symbolic link; refusing to write through it: give the path of the real log file",
        path.display()
    )]
    Symlink {
        /// The path of the link.
        path: PathBuf,
    },

    /// A repair that verifies nothing ([`crate::repair`]) was asked to cut a file with other
    /// names (hard links): it could be any file of the user's, linked at the log's name.
    #[error(
        "{} has {links} names (hard links): it may be another file of yours, linked there by whoever can write the folder, and repair would cut its end; nothing was changed: if the other names are yours, remove them (or give the log a file of its own: `cp -p {p} {p}.new && mv {p}.new {p}`) and retry",
        path.display(),
        p = path.display()
    )]
    HardLinked {
        /// The path named.
        path: PathBuf,
        /// Its link count.
        links: u64,
    },

    /// `create` found something already at the path; it was left untouched.
    #[error(
        "{} already exists; refusing to overwrite it: choose a new path, or open the existing log",
        path.display()
    )]
    AlreadyExists {
        /// The path that already exists.
        path: PathBuf,
    },

    /// The path does not end in a file name (for example `/` or `dir/..`).
    #[error("{} does not name a file; give a path that ends in a file name", path.display())]
    InvalidPath {
        /// The rejected path.
        path: PathBuf,
    },

    /// The file does not end with a newline: its last line is incomplete, or lacks only its
    /// newline. Writers refuse to append until the log has been repaired.
    #[error(
        "{}: the last line at byte offset {offset} ({len} bytes) does not end with a newline (a \
         crash during an append, or a removed newline?); nothing was written",
        path.display()
    )]
    TornTail {
        /// The log file.
        path: PathBuf,
        /// Byte offset of the first torn byte (just after the last newline).
        offset: u64,
        /// Number of torn bytes, up to the end of the file.
        len: u64,
    },

    /// `append` was called on a store opened with `open_reader`.
    #[error("{} was opened read-only; open it as a writer to append", path.display())]
    ReadOnly {
        /// The log file.
        path: PathBuf,
    },

    /// An earlier append on this store failed and could not be rolled back, so the
    /// store refuses further appends.
    #[error(
        "{}: an earlier append failed and could not be rolled back, so this store refuses to \
         append; drop it, check the end of the log, then reopen it",
        path.display()
    )]
    Poisoned {
        /// The log file.
        path: PathBuf,
    },

    /// An append failed, and truncating the file back to its previous length failed
    /// too: the file may end with bytes that were never acknowledged.
    #[error(
        "{}: could not {op}, and truncating back to byte offset {offset} also failed \
         ({rollback_error}); the log may end with unacknowledged bytes: do not append again \
         before checking it",
        path.display()
    )]
    RollbackFailed {
        /// The log file.
        path: PathBuf,
        /// The length the file had before the append, which it should have again.
        offset: u64,
        /// What the append was doing when it failed, e.g. `"write"`.
        op: &'static str,
        /// The error that made the append fail.
        #[source]
        source: io::Error,
        /// The error from the attempt to truncate the file back.
        rollback_error: io::Error,
    },

    /// The last complete line is longer than [`acta_core::MAX_ENTRY_BYTES`], so
    /// `last_line` will not load it.
    #[error(
        "{}: the last line, ending at byte offset {end_offset}, is longer than {limit} bytes; \
         the file is damaged or is not an acta log: inspect it before using it",
        path.display()
    )]
    LastLineTooLong {
        /// The log file.
        path: PathBuf,
        /// Byte offset of the newline that ends the line.
        end_offset: u64,
        /// The limit, [`acta_core::MAX_ENTRY_BYTES`].
        limit: usize,
    },

    /// The file became shorter than the length seen when the store was opened
    /// (it was truncated, or repaired, while being read).
    #[error(
        "{} became shorter than the {len} bytes it had when it was opened (truncated or repaired \
         meanwhile?); reopen it and retry",
        path.display()
    )]
    Shrunk {
        /// The log file.
        path: PathBuf,
        /// The length the store expected.
        len: u64,
    },

    /// An operating-system I/O call failed.
    // The cause is the error's source, so that `{:#}` chains print it once.
    #[error("{}: could not {op}", path.display())]
    Io {
        /// The file or directory being worked on.
        path: PathBuf,
        /// What was being done, e.g. `"open for writing"`, `"sync"`, `"lock"`.
        op: &'static str,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// A line given to `append` or `create` is longer than
    /// [`acta_core::MAX_ENTRY_BYTES`]. Nothing was written.
    #[error(
        "line {index} of the batch is {len} bytes, more than the limit of {limit}; nothing was \
         written: shrink or split the entry"
    )]
    LineTooLong {
        /// Index of the line in the batch, from 0.
        index: usize,
        /// Its length in bytes.
        len: usize,
        /// The limit, [`acta_core::MAX_ENTRY_BYTES`].
        limit: usize,
    },

    /// A line given to `append` or `create` contains a newline byte. Nothing was
    /// written.
    #[error(
        "line {index} of the batch contains a newline byte; nothing was written: a stored line \
         must not contain '\\n'"
    )]
    LineContainsNewline {
        /// Index of the line in the batch, from 0.
        index: usize,
    },

    /// A line given to `append` or `create` is empty. Nothing was written.
    #[error(
        "line {index} of the batch is empty; nothing was written: a stored line must not be empty"
    )]
    EmptyLine {
        /// Index of the line in the batch, from 0.
        index: usize,
    },
}
