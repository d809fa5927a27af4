//! Logs on a [`Store`]: verifying one, and appending signed entries to one.
//!
//! [`verify`] streams a store's lines through an [`acta_core::Verifier`]. A [`LogWriter`]
//! holds a store open for writing together with the chain state (head, keyring, origin) that
//! the next entry must agree with; it signs new entries, checks them against that state with
//! the same rules the verifier applies, and only then writes them, durably, in one group
//! commit. Nothing that verification would flag is ever written.
//!
//! # What the writer trusts
//!
//! A writer signs only on the strength of lines it verified itself, signatures included, in
//! the same open, or of derived state it authenticated itself with a secret derived from its
//! signing key, re-checked against the log's tail. Nothing else beside the log steers what it
//! signs: a file it did not authenticate, or one that no longer matches the log, is ignored
//! and rebuilt from the verified lines.
//!
//! # Opening a file log without reading it
//!
//! A writer learns the chain state by verifying the log: every rule, signatures included,
//! with the parallel pipeline of [`verify`] (so opening costs what `acta verify` costs). So
//! that opening a large log does not cost that each time, a file log's writer keeps that
//! state, and the right edge of the lines' tree, in a state file beside the log (`LOG.state`,
//! [`crate::state_file`]), authenticated by an HMAC keyed by a secret derived from the
//! writer's signing key. It is written when the log is created, by the first append after a
//! full replay or a resumed open that verified lines, on [`LogWriter::save_state`] and
//! [`LogWriter::save_derived`], by an append that finds it more than [`STATE_SAVE_INTERVAL`]
//! old, and when a writer that appended since is dropped (never by an open alone);
//! not after every append, which would add a file creation and a rename to each durable
//! append. A writer that dies between two rewrites leaves a file that is behind the log: the
//! next open verifies only the lines after it (step 4 below), at most about
//! [`STATE_SAVE_INTERVAL`] of appends. [`LogWriter::open`] uses it only if it still
//! describes the log:
//!
//! 1. The store is opened for writing first, exactly as before: the lock is taken and a log
//!    that does not end with a newline is refused (a torn tail, or an entry missing its
//!    newline: `acta repair` first). So the state is only ever consulted for a log with no
//!    torn tail, and never changes what counts as one. (A log whose lines end inside a batch
//!    cut short is
//!    refused from the lines themselves, [`LogError::UnfinishedBatch`]: by the full replay,
//!    and a resumed open that finds a batch open after the last line defers to it.)
//! 2. The state file must parse, carry this format's tag and a MAC that verifies under the
//!    writer's key (so a file written by anyone else, or by another key, is not used), and be
//!    coherent (entry count = next seq = tree size, head = the chain's head).
//! 3. The line at the recorded head offset must end exactly at the covered length and hash to
//!    the recorded head ([`Store::scan_from`] reads from there on, never the lines before).
//! 4. Lines after the covered length (appended by a writer that died before it rewrote the
//!    state, by one that keeps none, or by anyone else) are verified, signatures included,
//!    through a verifier resumed from the state; any finding, over-long line or torn tail
//!    among them sends the writer to the full replay, which reports it as before.
//!
//! Anything else (no file, damage, a forgery, another key, another format, another log, a
//! shorter log) falls back to the full verified replay.
//!
//! An open writes nothing beside the log, whether it fails or not: a command can still be
//! refused after it (a key that is not in the log or whose roles do not cover the type, an
//! entry that cannot be built, a domain rule, a checkpoint by a key that is not the trust
//! anchor), and a refused command leaves every file as it was. Only once something succeeds
//! (the first append, or [`LogWriter::save_derived`] for a command that succeeds without
//! appending, such as a signed checkpoint) does the writer touch the files beside it: the tree
//! file is brought up to date (cut back to the lines verified on open, whose right edge it
//! must have, and extended with the hashes of the lines verified since, or rebuilt from the
//! lines if a right edge disagrees) and the state file rewritten.
//!
//! The state trusts the lines before the covered length without reading them: this key's
//! writer verified them when it wrote the state, and the last covered line's hash commits,
//! through `prev`, to every line before it. A line altered in place before the covered length
//! is therefore not noticed when appending (what the writer signs still follows on from the
//! verified history); `acta verify` finds it.
//!
//! [`LogWriter::open_replaying`] ignores the state file (and rewrites it when it saves): a
//! signer of checkpoints verifies every line in the same pass and computes the tree root from
//! the lines themselves, never from derived files.
//!
//! # Binding to the intended log
//!
//! No check of the files can tell log A from a copy of log B put in its place by someone who
//! can write the folder (both verify, both carry this key's state). [`Expect`] lets the caller
//! say which log it means: the origin its genesis must name, and the head it must have. The
//! open fails, writing nothing, if the verified log is not that.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use acta_core::entry::{BuildError, NewEntry};
use acta_core::json::Object;
use acta_core::keyring::GENESIS_TYPE;
use acta_core::verify::Head;
use acta_core::{
    Chain, EntryHash, Finding, FindingKind, Genesis, KeyRef, PreparedLine, Report,
    SignatureContext, SigningKey, Verifier, VerifierKey, VerifyOptions,
};
use rayon::iter::{IntoParallelIterator as _, ParallelIterator as _};

use acta_core::tree::{Frontier, HashReader as _, stored_hash_count};

use crate::append_check::{AppendCheck, AppendWarning, CheckError, LogView, Proposed};
use crate::mac::MacKey;
use crate::state_file::{self, SavedState};
use crate::{FileStore, RepairOutcome, ScanItem, Store, StoreError, TreeFile};

mod append;
mod open;
mod pipeline;
mod repair;

#[cfg(test)]
pub(crate) use append::tests_hooks;
pub(crate) use pipeline::{VERIFY_CHUNK_LINES, verify_each};
pub use pipeline::{verify, verify_in_chunks, verify_sequential};
pub use repair::{CutBatch, Repaired, rebuild_tree, repair};

/// Why a log could not be opened for writing or an append was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// The store failed (I/O, lock, torn tail, path problems).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The log file has no entries.
    #[error("the log has no entries")]
    Empty,
    /// Verifying the log found problems (a forged signature among them); appending, or
    /// signing a checkpoint, would build on them.
    #[error("the log already has problems, so nothing was written or signed: entry {}: {}", .first.entry, .first.kind)]
    Unsound {
        /// The first finding.
        first: Box<Finding>,
        /// How many findings the replay found.
        total: usize,
    },
    /// A new entry breaks a rule the verifier checks.
    #[error(
        "new entry {index} of this batch (would be seq {seq}) was refused: {kind}; nothing was written"
    )]
    Refused {
        /// Its index in the batch.
        index: usize,
        /// The seq it would have had.
        seq: u64,
        /// The rule it breaks.
        kind: Box<acta_core::FindingKind>,
    },
    /// The signing key is not an active key of this log.
    #[error("key {key} is not in this log's keyring")]
    KeyNotInLog {
        /// The key.
        key: KeyRef,
    },
    /// An entry could not be built (bad type, too large, ...).
    #[error("entry {index} of this batch: {source}")]
    Build {
        /// Its index in the batch.
        index: usize,
        /// Why.
        #[source]
        source: BuildError,
    },
    /// The origin is not acceptable.
    #[error("the origin must be printable ASCII without spaces or '+': {0}")]
    BadOrigin(acta_core::keyring::OriginError),
    /// Only `acta init` writes a genesis entry.
    #[error("type {0:?} is reserved for the genesis entry")]
    GenesisType(String),
    /// The log's verified genesis names another origin than the caller expects: it is another
    /// log (perhaps a copy of one put in place of the intended log).
    #[error(
        "the log's genesis names the origin {found:?}, not the expected {expected:?}: it is another log (or a copy of one put in its place); nothing was written"
    )]
    OriginMismatch {
        /// The origin the caller expects.
        expected: String,
        /// The origin the verified genesis names.
        found: String,
    },
    /// The log's verified head is not the head the caller expects.
    #[error(
        "the log's head is {found_seq}:{found_hash}, not the expected {expected_seq}:{expected_hash}: the log is not where you last saw it; nothing was written"
    )]
    HeadMismatch {
        /// The seq of the expected head.
        expected_seq: u64,
        /// Its hash.
        expected_hash: EntryHash,
        /// The seq of the log's verified head.
        found_seq: u64,
        /// Its hash.
        found_hash: EntryHash,
    },
    /// The log's lines end inside a batch that was cut short (a crash during its write): its
    /// entries were never acknowledged, and appending would break the batch.
    #[error(
        "{}: the log ends inside a batch of {size} entries that begins at entry {entry} (byte {offset}): {missing} of them are missing, so the batch was cut short by a crash and was never acknowledged; nothing was appended",
        display_log(path)
    )]
    UnfinishedBatch {
        /// The log file (empty for a store that is not a file).
        path: PathBuf,
        /// The line index of the batch's first entry.
        entry: u64,
        /// Its byte offset.
        offset: u64,
        /// The number of entries the batch has.
        size: u64,
        /// How many of them are not in the log.
        missing: u64,
    },
    /// The source of a streamed batch ([`LogWriter::append_stream`]) failed at entry
    /// `index` (`index` = the batch's size: when the batch was about to be committed).
    #[error("entry {index} of this batch: {source}; nothing was written")]
    Source {
        /// Its index in the batch.
        index: usize,
        /// Why.
        #[source]
        source: SourceError,
    },
    /// The log's genesis names a domain, and no [`AppendCheck`] of that domain's rules is
    /// installed on the writer ([`LogWriter::with_append_check`]): appending would skip them
    /// (see [`crate::append_check`]; [`crate::append_check::Unchecked`] opts out explicitly).
    #[error(
        "the log's genesis names the domain {domain:?}, and no check of that domain's rules is installed on this writer; nothing was written"
    )]
    NoAppendCheck {
        /// The domain the genesis names.
        domain: String,
    },
    /// An [`AppendCheck`] was offered for another domain than the one the log's genesis
    /// names (or for a log whose genesis names none).
    #[error(
        "a check of the rules of {offered:?} cannot be installed on a log whose genesis names {}",
        .domain.as_deref().map_or("no domain".to_owned(), |d| format!("the domain {d:?}"))
    )]
    AppendCheckDomain {
        /// The domain the check is for.
        offered: String,
        /// The domain the genesis names, if any.
        domain: Option<String>,
    },
    /// The installed [`AppendCheck`] could not make ready to check this append
    /// ([`AppendCheck::begin`]).
    #[error("the rules of {domain} cannot be checked: {source}; nothing was written")]
    CheckUnavailable {
        /// The domain.
        domain: String,
        /// The check's error.
        #[source]
        source: CheckError,
    },
    /// The installed [`AppendCheck`] refused an entry.
    #[error(
        "new entry {index} of this batch (would be seq {seq}) was refused by the rules of {domain}: {source}; nothing was written"
    )]
    CheckRefused {
        /// Its index in the batch.
        index: usize,
        /// The seq it would have had.
        seq: u64,
        /// The domain.
        domain: String,
        /// The check's refusal.
        #[source]
        source: CheckError,
    },
    /// [`repair`] found problems other than a batch cut short, a torn tail or a missing
    /// newline, so it changed nothing.
    #[error(
        "{}: nothing was moved: the log has other problems than a batch cut short, a torn last line or a last entry missing its newline, and repair changes only those: entry {}: {}",
        display_log(path),
        .first.entry,
        .first.kind
    )]
    NotRepairable {
        /// The log file.
        path: PathBuf,
        /// The first such finding.
        first: Box<Finding>,
    },
}

/// A log's path for a message (`LOG` if it is not a file).
fn display_log(path: &Path) -> std::path::Display<'_> {
    if path.as_os_str().is_empty() {
        Path::new("LOG").display()
    } else {
        path.display()
    }
}

impl LogError {
    /// Names the log file in an error that is about the log as a whole.
    fn at(mut self, log: &Path) -> LogError {
        if let LogError::UnfinishedBatch { path, .. } = &mut self {
            *path = log.to_path_buf();
        }
        self
    }
}

/// What the log a writer opens must be, checked on the verified log before anything is
/// written: a way to bind what it signs to the log the caller means (see the
/// [module documentation](self)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    /// The origin its genesis must name.
    pub origin: Option<String>,
    /// Its head (seq and entry hash of its last entry) must be exactly this: nothing was
    /// appended since the caller saw it.
    pub head: Option<(u64, EntryHash)>,
}

impl Expect {
    /// Checks the verified chain state against what is expected.
    fn check(&self, chain: &Chain) -> Result<(), LogError> {
        let found = chain.origin().unwrap_or_default();
        if let Some(expected) = &self.origin
            && expected != found
        {
            return Err(LogError::OriginMismatch {
                expected: expected.clone(),
                found: found.to_owned(),
            });
        }
        let (found_seq, found_hash) = (chain.next_seq().saturating_sub(1), chain.next_prev());
        if let Some((expected_seq, expected_hash)) = self.head
            && (expected_seq, expected_hash) != (found_seq, found_hash)
        {
            return Err(LogError::HeadMismatch {
                expected_seq,
                expected_hash,
                found_seq,
                found_hash,
            });
        }
        Ok(())
    }
}

/// How a [`LogWriter`] learned the log's state when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Opened {
    /// [`LogWriter::create`] wrote the log.
    Created,
    /// Every line was verified, signatures included (no usable state file, or a store without
    /// one).
    Replayed,
    /// From the state file, verifying only the `lines` appended after the length it covers.
    Resumed {
        /// Lines read and verified after the covered length.
        lines: u64,
    },
}

/// A log open for appending.
#[derive(Debug)]
pub struct LogWriter<S: Store> {
    store: S,
    // The chain state after the log's last line, which was verified (signatures included) or
    // resumed from the writer's own authenticated state; it checks new lines with every rule
    // but signatures (the writer has just signed them itself): seq, prev, time, keyring,
    // roles.
    state: Verifier,
    pub(crate) end_offset: u64,
    /// The offset of the log's last line.
    pub(crate) head_offset: u64,
    /// The RFC 6962 tree over the log's lines, computed from the lines themselves.
    frontier: Frontier,
    /// The stored tree hashes beside a file log (`None` for other stores, until the derived
    /// files are first written after an open, or after a failed write to it: the next open
    /// rebuilds it).
    tree: Option<TreeFile>,
    /// The derived files not yet written since the open (`None` once they are, or when there
    /// are none): an open writes nothing beside the log; the first successful append, or
    /// [`LogWriter::save_state`], does.
    unsaved: Option<Unsaved>,
    /// The state file beside a file log and the key of its MAC (`None` for other stores).
    state_file: Option<(PathBuf, MacKey)>,
    /// When the state file was last written, and whether lines were appended since.
    state_saved: StateSaved,
    opened: Opened,
    /// The check of the log's domain rules, if one is installed (see [`crate::append_check`]).
    check: Option<Installed<S>>,
    /// Where the checks' warnings go.
    warnings: Warnings,
}

/// An installed [`AppendCheck`].
struct Installed<S: ?Sized>(Box<dyn AppendCheck<S>>);

impl<S: ?Sized> std::fmt::Debug for Installed<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AppendCheck")
            .field(&self.0.domain())
            .finish()
    }
}

/// Where a writer puts the warnings of its [`AppendCheck`].
enum Warnings {
    /// Kept until [`LogWriter::take_warnings`].
    Kept(Vec<AppendWarning>),
    /// Handed to the caller's sink as they come ([`LogWriter::set_warning_sink`]).
    Sink(Box<dyn FnMut(AppendWarning) + Send>),
}

impl Warnings {
    fn push(&mut self, w: AppendWarning) {
        match self {
            Warnings::Kept(v) => v.push(w),
            Warnings::Sink(f) => f(w),
        }
    }
}

impl std::fmt::Debug for Warnings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warnings::Kept(v) => f.debug_tuple("Kept").field(v).finish(),
            Warnings::Sink(_) => f.write_str("Sink"),
        }
    }
}

/// The longest a writer that keeps appending goes without rewriting its state file (see the
/// [module documentation](self)). A writer that crashes leaves a state at most this far
/// behind its log, which the next open catches up by replaying the lines after it.
pub const STATE_SAVE_INTERVAL: Duration = Duration::from_secs(1);

/// Bookkeeping for the deferred state file.
#[derive(Debug, Clone, Copy)]
struct StateSaved {
    at: Instant,
    behind: bool,
}

impl StateSaved {
    fn now() -> StateSaved {
        StateSaved {
            at: Instant::now(),
            behind: false,
        }
    }
}

/// What opening found, before anything is written: the verified state after the log's last
/// line, and what the tree file needs to catch up.
struct Verified {
    state: Verifier,
    frontier: Frontier,
    end_offset: u64,
    head_offset: u64,
    tree_tail: TreeTail,
    opened: Opened,
}

/// What a writer has yet to write beside the log after its open: the tree file at `tree_path`
/// (if it keeps one) lacks the hashes in `tail`, and must agree with `opened`, the tree of the
/// lines verified on open; `state_stale` if the state file does not describe the log as opened
/// (the open verified lines), so that the first append writes it.
#[derive(Debug)]
struct Unsaved {
    tree_path: Option<PathBuf>,
    tail: TreeTail,
    opened: Frontier,
    state_stale: bool,
}

/// The tree hashes of the lines verified on open (and appended since) from leaf `from` on, to
/// bring a tree file that holds at least `from` leaves up to date; `complete` is false if
/// there were too many to keep (the tree file is then rebuilt from the log instead).
#[derive(Debug)]
struct TreeTail {
    from: u64,
    /// The verified tree of the first `from` lines (once the pass has reached it), which the
    /// file's first `from` leaves must have, so that the hashes kept from the file are checked
    /// before the tail is appended to them.
    edge: Option<Frontier>,
    hashes: Vec<acta_core::tree::Hash>,
    complete: bool,
}

/// At most this many tree hashes are kept in memory while a log is verified on open.
const TREE_TAIL_MAX: usize = 1 << 20;

impl TreeTail {
    /// A tail from leaf `from` on, for a pass that starts at `frontier` (the tree of the lines
    /// before it).
    fn from(from: u64, frontier: &Frontier) -> TreeTail {
        TreeTail {
            from,
            edge: (frontier.size() == from).then(|| frontier.clone()),
            hashes: Vec::new(),
            complete: true,
        }
    }

    /// Takes note of the verified tree after each line, to keep it at `from` leaves.
    fn see(&mut self, frontier: &Frontier) {
        if frontier.size() == self.from {
            self.edge = Some(frontier.clone());
        }
    }

    /// Records the hashes a new leaf added to the frontier, now of `size` leaves.
    fn add(&mut self, size: u64, added: Vec<acta_core::tree::Hash>) {
        if !self.complete || size <= self.from {
            return;
        }
        if self.hashes.len() + added.len() > TREE_TAIL_MAX {
            self.complete = false;
            self.hashes = Vec::new();
        } else {
            self.hashes.extend(added);
        }
    }
}

/// Appends buffered tree hashes in chunks, so a rebuild needs bounded memory.
const TREE_FLUSH: usize = 1 << 16;

/// The first timestamp at or after both `now` and the log's last `recorded_at`, so that
/// `recorded_at` never goes backwards even if the clock does.
fn timestamp(chain: &Chain, now: chrono::DateTime<chrono::Utc>) -> String {
    let t = chain.last_recorded_at().map_or(now, |last| last.max(now));
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

impl<S: Store> LogWriter<S> {
    /// How this writer learned the log's state.
    pub fn opened(&self) -> Opened {
        self.opened
    }

    /// The RFC 6962 tree of the log's lines (computed from the lines, not from the tree file).
    pub fn frontier(&self) -> &Frontier {
        &self.frontier
    }

    /// The stored tree hashes, for proofs (file logs only; `None` until the derived files are
    /// written after the open: see [`LogWriter::save_derived`]).
    pub fn tree(&self) -> Option<&TreeFile> {
        self.tree.as_ref()
    }

    /// The chain state: origin, next seq and prev, keyring.
    pub fn chain(&self) -> &Chain {
        self.state.chain()
    }

    /// The head: the last entry's seq and hash.
    pub fn head(&self) -> Head {
        let chain = self.chain();
        Head {
            seq: chain.next_seq().saturating_sub(1),
            hash: chain.next_prev(),
        }
    }

    /// The `recorded_at` text that an append at `now` gives its entries: the first time at or
    /// after both `now` and the log's last `recorded_at` (so that it never goes backwards,
    /// even if the clock does), in RFC 3339 UTC with as many fractional digits as needed.
    /// Checks that must see exactly what will be signed (the domain's rules) use this.
    pub fn recorded_at(&self, now: chrono::DateTime<chrono::Utc>) -> String {
        timestamp(self.chain(), now)
    }

    /// Installs the check of the log's domain rules (see [`crate::append_check`]): from now
    /// on every entry this writer appends is checked by it before it is signed. Refused
    /// ([`LogError::AppendCheckDomain`]) unless `check` is for exactly the domain the log's
    /// genesis names; a log whose genesis names no domain takes no check. Replaces a check
    /// installed before.
    pub fn with_append_check(
        mut self,
        check: impl AppendCheck<S> + 'static,
    ) -> Result<Self, LogError> {
        self.set_append_check(Box::new(check))?;
        Ok(self)
    }

    /// [`LogWriter::with_append_check`] on a writer held by reference.
    pub fn set_append_check(&mut self, check: Box<dyn AppendCheck<S>>) -> Result<(), LogError> {
        let domain = self.chain().domain();
        if domain != Some(check.domain()) {
            return Err(LogError::AppendCheckDomain {
                offered: check.domain().to_owned(),
                domain: domain.map(str::to_owned),
            });
        }
        self.check = Some(Installed(check));
        Ok(())
    }

    /// The warnings the append check gave since the last call, in order, for appends that
    /// succeeded and for ones that failed (the warnings of the entries checked before the
    /// failure). Empty if a sink is set ([`LogWriter::set_warning_sink`]).
    pub fn take_warnings(&mut self) -> Vec<AppendWarning> {
        match &mut self.warnings {
            Warnings::Kept(v) => std::mem::take(v),
            Warnings::Sink(_) => Vec::new(),
        }
    }

    /// Hands the append check's warnings to `sink` as they come, during the append (in
    /// memory that does not grow with a streamed batch), instead of keeping them for
    /// [`LogWriter::take_warnings`].
    pub fn set_warning_sink(&mut self, sink: impl FnMut(AppendWarning) + Send + 'static) {
        self.warnings = Warnings::Sink(Box::new(sink));
    }

    /// The underlying store.
    pub fn store(&self) -> &S {
        &self.store
    }
}

/// Why the source of a streamed batch could not give an entry ([`LogWriter::append_stream`]).
pub type SourceError = Box<dyn std::error::Error + Send + Sync>;

/// Parses `SEQ:HASH` (as printed by `acta head`).
pub fn parse_head(s: &str) -> Option<(u64, EntryHash)> {
    let (seq, hash) = s.split_once(':')?;
    if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((seq.parse().ok()?, hash.parse().ok()?))
}

#[cfg(test)]
mod tests;
