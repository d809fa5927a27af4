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

/// Lines per chunk of [`verify`]'s pipeline.
pub(crate) const VERIFY_CHUNK_LINES: usize = 512;
/// A chunk of [`verify`]'s pipeline ends at the first line that brings it to this many bytes.
const VERIFY_CHUNK_BYTES: usize = 1 << 20;

/// One scan item of a chunk, its line prepared.
// Almost every item is a line: boxing it would cost an allocation per line for nothing.
#[allow(clippy::large_enum_variant)]
enum Prepared {
    Line(u64, PreparedLine),
    TooLong(u64, u64),
    /// Offset, length, and the bytes if the scan kept them (at most the entry limit).
    Torn(u64, u64, Option<Vec<u8>>),
}

/// Pushes the bytes after the log's last newline: the verifier decides, from the bytes, whether
/// they are a complete entry missing only its newline or a torn tail; bytes the scan did not
/// keep (more than the entry limit) are a torn tail.
fn push_torn(v: &mut Verifier, offset: u64, len: u64, bytes: Option<Vec<u8>>) {
    match bytes {
        Some(bytes) => v.push_unterminated(offset, &bytes),
        None => v.push_torn_tail(offset, len),
    }
}

/// Verifies every line of `store` (streaming: memory does not grow with the log).
///
/// Uses every thread of rayon's global pool (`RAYON_NUM_THREADS`, by default one per CPU):
/// lines are read in chunks (at most [`VERIFY_CHUNK_LINES`] lines, about
/// [`VERIFY_CHUNK_BYTES`] bytes), the per-line work that does not depend on earlier lines
/// (hash, decode, canonical check, timestamp, and the strict signature check against the key
/// the author had when the chunk was started) is done in parallel, and the verifier then
/// takes the chunk's lines in order, while the next chunk is being prepared. The report is
/// exactly that of [`verify_sequential`]: a signature checked ahead of time is used only if
/// the verifier reaches the line with that same public key and origin, and is checked again
/// otherwise. At most two chunks are in memory.
pub fn verify<S: Store + ?Sized>(store: &S, options: VerifyOptions) -> Result<Report, StoreError> {
    verify_in_chunks(store, options, VERIFY_CHUNK_LINES)
}

/// [`verify`] with chunks of at most `chunk_lines` lines (at least 1), for tests that
/// compare it with [`verify_sequential`] across chunk boundaries.
#[doc(hidden)]
pub fn verify_in_chunks<S: Store + ?Sized>(
    store: &S,
    options: VerifyOptions,
    chunk_lines: usize,
) -> Result<Report, StoreError> {
    verify_each(store, options, chunk_lines, |_, _| {})
}

/// [`verify`], handing each line of the log's verified prefix (every line up to the first
/// with a finding) to `on_entry` (its offset and the entry it decoded to), in log order, as
/// the verifier passes it: one pass over the bytes, so what a caller folds is exactly what was
/// verified. The end of the log can still make the report unsound (a torn tail, a missing
/// expected head): callers must discard what they folded unless the report is sound.
pub(crate) fn verify_each<S: Store + ?Sized>(
    store: &S,
    options: VerifyOptions,
    chunk_lines: usize,
    on_entry: impl FnMut(u64, acta_core::entry::Decoded) + Send,
) -> Result<Report, StoreError> {
    let mut v = Verifier::new(options);
    push_in_chunks(&mut v, store.scan()?, chunk_lines, |_| {}, on_entry)?;
    Ok(v.finish())
}

/// Pushes every item of `scan` through `v` with [`verify`]'s pipeline (chunks of at most
/// `chunk_lines` lines prepared in parallel, signatures checked ahead against the keys `v`
/// has when a chunk is started), calling `each` with every item, in order, just before it is
/// pushed, and `on_entry` with each line of the verified prefix just after (see
/// [`verify_each`]).
fn push_in_chunks(
    v: &mut Verifier,
    mut scan: impl Iterator<Item = Result<ScanItem, StoreError>>,
    chunk_lines: usize,
    mut each: impl FnMut(&Prepared) + Send,
    mut on_entry: impl FnMut(u64, acta_core::entry::Decoded) + Send,
) -> Result<(), StoreError> {
    let chunk_lines = chunk_lines.max(1);
    let mut pending: Vec<Prepared> = Vec::new();
    let mut context: Option<Arc<SignatureContext>> = None;
    // Lines prepared since the context was taken: it is retaken, when the keyring has
    // changed, only once as many lines as it has keys have gone by, so that a log with very
    // many keys does not pay for a copy of its keyring per chunk.
    let mut since_context = 0;
    // The first chunk is the genesis alone: the signature context comes from it.
    let mut lines = 1;
    loop {
        let chunk = read_chunk(&mut scan, lines)?;
        lines = chunk_lines;
        if chunk.is_empty() {
            break;
        }
        let stale = context
            .as_ref()
            .is_none_or(|c| c.is_stale(v) && since_context >= c.keys());
        if stale {
            if context.is_none() {
                // Nothing to check signatures against yet (the pending chunk holds the
                // genesis): take the pending lines first.
                push_chunk(v, &mut pending, &mut each, &mut on_entry);
            }
            context = v.signature_context().map(Arc::new);
            since_context = 0;
        }
        since_context += chunk.len();
        let ctx = context.as_deref();
        let ((), prepared) = rayon::join(
            || push_chunk(v, &mut pending, &mut each, &mut on_entry),
            || prepare_chunk(chunk, ctx),
        );
        pending = prepared;
    }
    push_chunk(v, &mut pending, &mut each, &mut on_entry);
    Ok(())
}

/// Verifies every line of `store` on the calling thread only, with [`Verifier::push_line`].
/// Gives the same report as [`verify`].
pub fn verify_sequential<S: Store + ?Sized>(
    store: &S,
    options: VerifyOptions,
) -> Result<Report, StoreError> {
    let mut v = Verifier::new(options);
    for item in store.scan()? {
        match item? {
            ScanItem::Line(line) => v.push_line(line.offset, &line.bytes),
            ScanItem::TooLong { offset, len } => v.push_too_long(offset, len),
            ScanItem::Torn { tail, bytes } => push_torn(&mut v, tail.offset, tail.len, bytes),
        }
    }
    Ok(v.finish())
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

/// Reads up to `lines` items, stopping after the item that reaches [`VERIFY_CHUNK_BYTES`].
fn read_chunk(
    scan: &mut impl Iterator<Item = Result<ScanItem, StoreError>>,
    lines: usize,
) -> Result<Vec<ScanItem>, StoreError> {
    let mut chunk = Vec::with_capacity(lines);
    let mut bytes = 0;
    while chunk.len() < lines && bytes < VERIFY_CHUNK_BYTES {
        let Some(item) = scan.next() else { break };
        let item = item?;
        if let ScanItem::Line(l) = &item {
            bytes += l.bytes.len() + 1;
        }
        chunk.push(item);
    }
    Ok(chunk)
}

fn prepare_chunk(chunk: Vec<ScanItem>, context: Option<&SignatureContext>) -> Vec<Prepared> {
    chunk
        .into_par_iter()
        .map(|item| match item {
            ScanItem::Line(l) => Prepared::Line(l.offset, PreparedLine::new(&l.bytes, context)),
            ScanItem::TooLong { offset, len } => Prepared::TooLong(offset, len),
            ScanItem::Torn { tail, bytes } => Prepared::Torn(tail.offset, tail.len, bytes),
        })
        .collect()
}

fn push_chunk(
    v: &mut Verifier,
    chunk: &mut Vec<Prepared>,
    each: &mut impl FnMut(&Prepared),
    on_entry: &mut impl FnMut(u64, acta_core::entry::Decoded),
) {
    for item in chunk.drain(..) {
        each(&item);
        match item {
            Prepared::Line(offset, line) => {
                if let Some(decoded) = v.push_prepared_entry(offset, line) {
                    on_entry(offset, decoded);
                }
            }
            Prepared::TooLong(offset, len) => v.push_too_long(offset, len),
            Prepared::Torn(offset, len, bytes) => push_torn(v, offset, len, bytes),
        }
    }
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

/// The [`AppendCheck`] of one append (if any) and where its warnings go: called for each entry
/// before it is signed.
struct Gate<'a, S: ?Sized + 'static> {
    check: Option<&'a mut (dyn AppendCheck<S> + 'static)>,
    author: String,
    recorded_at: &'a str,
    warnings: &'a mut Warnings,
}

impl<S: ?Sized + 'static> Gate<'_, S> {
    /// Has entry `index` (to be `seq`) checked; its warnings go to the caller, its refusal
    /// is the append's error.
    fn pass(
        &mut self,
        index: usize,
        seq: u64,
        entry_type: &str,
        data: &Object,
    ) -> Result<(), LogError> {
        let Some(check) = self.check.as_deref_mut() else {
            return Ok(());
        };
        let proposed = Proposed {
            index,
            seq,
            entry_type,
            data,
            author: &self.author,
            recorded_at: self.recorded_at,
        };
        match check.check(&proposed) {
            Ok(warnings) => {
                for warning in warnings {
                    self.warnings.push(AppendWarning {
                        index,
                        seq,
                        warning,
                    });
                }
                Ok(())
            }
            Err(source) => Err(LogError::CheckRefused {
                index,
                seq,
                domain: check.domain().to_owned(),
                source,
            }),
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

/// The first timestamp at or after both `now` and the log's last `recorded_at`, so that
/// `recorded_at` never goes backwards even if the clock does.
fn timestamp(chain: &Chain, now: chrono::DateTime<chrono::Utc>) -> String {
    let t = chain.last_recorded_at().map_or(now, |last| last.max(now));
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

impl LogWriter<FileStore> {
    /// Creates a new log file at `path` whose genesis names `genesis.origin`, its domain and
    /// keys, signed by `key` (which must be one of them). Fails if `path` exists.
    pub fn create(
        path: impl AsRef<Path>,
        genesis: &Genesis,
        key: &SigningKey,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Self, LogError> {
        acta_core::keyring::check_origin(&genesis.origin).map_err(LogError::BadOrigin)?;
        let data = genesis.to_data();
        let recorded_at = now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        let line = NewEntry {
            seq: 0,
            prev: acta_core::entry::GENESIS_PREV,
            recorded_at: &recorded_at,
            entry_type: GENESIS_TYPE,
            data: &data,
        }
        .sign(&genesis.origin, key)
        .map_err(|source| LogError::Build { index: 0, source })?;
        // Check the genesis with the verifier (signatures included) before creating anything.
        let mut state = Verifier::new(VerifyOptions::default());
        state.push_line(0, &line);
        if let Some(f) = state.findings().first() {
            return Err(LogError::Refused {
                index: 0,
                seq: 0,
                kind: Box::new(f.kind.clone()),
            });
        }
        // Its own new lines are checked without signatures from now on.
        state.skip_signatures_from_now();
        let store = FileStore::create(path.as_ref(), &[&line])?;
        let mut frontier = Frontier::new();
        let added = frontier.push(acta_core::EntryHash::of_line(&line));
        // A tree file left by an earlier log of the same name is stale: start it afresh.
        let mut tree = TreeFile::open_writer(&TreeFile::path_for(path.as_ref()))?;
        tree.truncate(0)?;
        tree.append(&added)?;
        let state_path = state_file::path_for(path.as_ref());
        let writer = LogWriter {
            store,
            state,
            end_offset: line.len() as u64 + 1,
            head_offset: 0,
            frontier,
            tree: Some(tree),
            unsaved: None,
            state_file: Some((state_path, MacKey::derive(key, state_file::MAC_CONTEXT))),
            state_saved: StateSaved::now(),
            opened: Opened::Created,
            check: None,
            warnings: Warnings::Kept(Vec::new()),
        };
        // A state file left by an earlier log of the same name names another head, so it
        // would not be used; replace it, or remove it if that fails.
        if !writer.write_state()
            && let Some((p, _)) = &writer.state_file
        {
            state_file::remove(p);
        }
        Ok(writer)
    }

    /// Opens the log at `path` for appending with `key`'s state file: takes the writer lock
    /// and refuses a log that does not end with a newline (a torn tail, or an entry missing
    /// its newline: [`StoreError::TornTail`], which says to run `acta repair`); then learns the
    /// head, keyring and tree from the state file beside the log (`LOG.state`) if its MAC
    /// verifies under `key` and it still matches the log's tail, verifying only the lines
    /// appended after it, and otherwise verifies the whole log, signatures included. A log with
    /// findings (including one whose lines end in a batch cut short) is refused
    /// ([`LogError::Unsound`], [`LogError::UnfinishedBatch`]). See the
    /// [module documentation](self) for the exact checks. The open writes nothing beside the
    /// log: the tree file and the state file are brought up to date by the first successful
    /// append, or by [`LogWriter::save_derived`].
    ///
    /// `key` is the key whose state file is used and written: normally the key that will sign
    /// the appends. Opening with another key than the last writer's costs a full replay.
    pub fn open(path: impl AsRef<Path>, key: &SigningKey) -> Result<Self, LogError> {
        LogWriter::open_expecting(path, key, &Expect::default())
    }

    /// [`LogWriter::open`], refusing (before anything is written) a log that is not the one
    /// `expect` describes: [`LogError::OriginMismatch`], [`LogError::HeadMismatch`].
    pub fn open_expecting(
        path: impl AsRef<Path>,
        key: &SigningKey,
        expect: &Expect,
    ) -> Result<Self, LogError> {
        LogWriter::open_file(path.as_ref(), key, expect, false)
    }

    /// Like [`LogWriter::open_expecting`], but always verifies the whole log, signatures
    /// included, ignoring the state file (which it rewrites when it saves): for a signer that must
    /// compute the tree root from lines it verified in the same pass, such as `acta
    /// checkpoint`, rather than from derived files.
    pub fn open_replaying(
        path: impl AsRef<Path>,
        key: &SigningKey,
        expect: &Expect,
    ) -> Result<Self, LogError> {
        LogWriter::open_file(path.as_ref(), key, expect, true)
    }

    fn open_file(
        path: &Path,
        key: &SigningKey,
        expect: &Expect,
        replay: bool,
    ) -> Result<Self, LogError> {
        let store = FileStore::open_writer(path)?;
        let state = (
            state_file::path_for(path),
            MacKey::derive(key, state_file::MAC_CONTEXT),
        );
        LogWriter::open_parts(
            store,
            Some(TreeFile::path_for(path)),
            Some(state),
            expect,
            replay,
        )
        .map_err(|e| e.at(path))
    }
}

/// Appends buffered tree hashes in chunks, so a rebuild needs bounded memory.
const TREE_FLUSH: usize = 1 << 16;

impl<S: Store> LogWriter<S> {
    /// Wraps a store open for writing, verifying it in full, signatures included, to learn its
    /// state (no tree file, no state file).
    pub fn from_store(store: S) -> Result<Self, LogError> {
        LogWriter::open_parts(store, None, None, &Expect::default(), true)
    }

    /// Opens a writer on `store` with its tree file and state file (and the state file's MAC
    /// key), if any: resumes from the state file if it is authentic and matches the store
    /// (unless `replay`), and otherwise verifies the store in full. Then checks `expect`.
    /// Writes nothing: the tree file and the state file are brought up to date by the first
    /// successful append, or by [`LogWriter::save_state`], so that a command refused after the
    /// open (a key that may not sign, an entry that cannot be built) leaves every file as it
    /// was.
    pub(crate) fn open_parts(
        store: S,
        tree_path: Option<PathBuf>,
        state_file: Option<(PathBuf, MacKey)>,
        expect: &Expect,
        replay: bool,
    ) -> Result<Self, LogError> {
        let saved = match &state_file {
            Some((path, key)) if !replay => state_file::read(path, key),
            _ => None,
        };
        // The tree file as it is now, read-only: how many leaves it has (so that a full pass
        // keeps the hashes it lacks), and whether it agrees with the state.
        let tree_now = tree_path
            .as_deref()
            .and_then(|p| TreeFile::open_reader(p).ok().flatten());
        let tree_leaves = tree_now.as_ref().map_or(0, TreeFile::leaves);
        let resumed = saved.and_then(|saved| {
            let tree = match (&tree_path, &tree_now) {
                (None, _) => None,
                (Some(_), Some(t)) => Some(t),
                // No tree file: the state has no hashes to rebuild it from.
                (Some(_), None) => return None,
            };
            resume(&store, tree, saved)
        });
        drop(tree_now);
        let verified = match resumed {
            Some(v) => v,
            None => verify_for_writer(&store, tree_leaves)?,
        };
        expect.check(verified.state.chain())?;
        // The log is verified and is the one expected. Nothing is written yet: the derived
        // files wait for a command that succeeds.
        let mut tail = verified.tree_tail;
        if tail.from > verified.frontier.size() {
            // The tree file held more leaves than the log has lines (the hashes of lines since
            // moved aside): no hash was kept, and the file is cut back to the log's lines when
            // it is written.
            tail.from = verified.frontier.size();
            tail.edge = Some(verified.frontier.clone());
        }
        let unsaved = (tree_path.is_some() || state_file.is_some()).then(|| Unsaved {
            tree_path,
            tail,
            opened: verified.frontier.clone(),
            state_stale: verified.opened != (Opened::Resumed { lines: 0 }),
        });
        Ok(LogWriter {
            store,
            state: verified.state,
            end_offset: verified.end_offset,
            head_offset: verified.head_offset,
            frontier: verified.frontier,
            tree: None,
            unsaved,
            state_file,
            state_saved: StateSaved::now(),
            opened: verified.opened,
            check: None,
            warnings: Warnings::Kept(Vec::new()),
        })
    }

    /// Brings the files derived from the log up to date with it now (if this writer keeps
    /// them): the tree file (extended with the hashes of the lines verified on open and
    /// appended since, or rebuilt from the log's lines if its right edge disagrees) and the
    /// state file. An open writes neither (so that a command refused after it writes nothing):
    /// the first successful append does, and this does, for a command that succeeds without
    /// appending (such as signing a checkpoint). Fails only if the tree file cannot be written.
    pub fn save_derived(&mut self) -> Result<(), LogError> {
        self.sync_tree_file()?;
        self.save_state();
        Ok(())
    }

    /// Brings the tree file up to date the first time after the open (a no-op after that).
    /// On failure the writer keeps no tree file (the next open rebuilds it).
    fn sync_tree_file(&mut self) -> Result<(), LogError> {
        if let Some(unsaved) = self.unsaved.take()
            && let Some(path) = &unsaved.tree_path
        {
            self.tree = sync_tree(
                &self.store,
                path,
                &self.frontier,
                unsaved.tail,
                &unsaved.opened,
            )?;
        }
        Ok(())
    }

    /// After the first successful append since the open: only now is the tree file written
    /// (with the hashes of the lines verified on open and of the new ones; a failure leaves no
    /// tree file in use, which the next open rebuilds), and, if the open verified lines (so the
    /// state file does not describe the log), the state file too. Returns whether the state
    /// file was saved (so the append has nothing more to do).
    fn first_append_saves(&mut self, state_stale: bool) -> bool {
        let _ = self.sync_tree_file();
        if state_stale {
            self.save_state();
        }
        state_stale
    }

    /// Rewrites the state file now (if this writer keeps one), so that the next open finds it
    /// up to date with the log; the first time after the open, brings the tree file up to date
    /// first ([`LogWriter::save_derived`]: a state file is used only with a tree file that
    /// holds its hashes). Appends do this at most every [`STATE_SAVE_INTERVAL`], and dropping
    /// a writer that appended does it; call this to bound what a crash could leave behind at a
    /// point of your choosing. Returns whether the file was written; a failure is not an error
    /// (the next open replays the lines the file does not cover).
    pub fn save_state(&mut self) -> bool {
        let written = self.sync_tree_file().is_ok() && self.write_state();
        self.state_saved = StateSaved {
            at: Instant::now(),
            behind: !written && self.state_file.is_some(),
        };
        written
    }

    /// Writes the state file (if this writer keeps one) for the log as it is now. Returns
    /// whether it was written; a failure is not an error (the next open replays instead).
    fn write_state(&self) -> bool {
        let Some((path, key)) = &self.state_file else {
            return false;
        };
        let saved = SavedState {
            log_len: self.end_offset,
            entries: self.chain().next_seq(),
            head_offset: self.head_offset,
            head: self.chain().next_prev(),
            chain: Cow::Borrowed(self.chain()),
            frontier: Cow::Borrowed(&self.frontier),
        };
        state_file::write(path, &saved, key).is_ok()
    }

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

    /// Starts an append: the installed check, made ready for the log as it is, or `None` for
    /// a log whose genesis names no domain. A log whose genesis names a domain and that has no
    /// check installed is refused ([`LogError::NoAppendCheck`]: see [`crate::append_check`]).
    /// The check is taken out of the writer for the append: [`LogWriter::end_check`] puts it
    /// back.
    fn begin_check(&mut self) -> Result<Option<Box<dyn AppendCheck<S>>>, LogError> {
        let Some(domain) = self.chain().domain().map(str::to_owned) else {
            return Ok(None);
        };
        let Some(Installed(mut check)) = self.check.take() else {
            return Err(LogError::NoAppendCheck { domain });
        };
        let view = LogView {
            store: &self.store,
            origin: self.chain().origin().unwrap_or_default(),
            head: self.head(),
        };
        match check.begin(&view) {
            Ok(()) => Ok(Some(check)),
            Err(source) => {
                self.check = Some(Installed(check));
                Err(LogError::CheckUnavailable { domain, source })
            }
        }
    }

    /// Ends an append begun by [`LogWriter::begin_check`]: tells the check whether it
    /// succeeded (with the log as it is now) and puts it back.
    fn end_check(&mut self, check: Option<Box<dyn AppendCheck<S>>>, succeeded: bool) {
        if let Some(mut check) = check {
            if succeeded {
                check.appended(&LogView {
                    store: &self.store,
                    origin: self.chain().origin().unwrap_or_default(),
                    head: self.head(),
                });
            } else {
                check.abandoned();
            }
            self.check = Some(Installed(check));
        }
    }

    /// Appends one entry signed by `key`. Durable when it returns `Ok`.
    pub fn append(
        &mut self,
        key: &SigningKey,
        entry_type: &str,
        data: &Object,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Head, LogError>
    where
        S: 'static,
    {
        self.append_batch(key, &[(entry_type, data)], now)
    }

    /// Appends many entries, each signed by `key`, with one durable write (group commit).
    /// All or nothing: if any entry is refused, nothing is written. Returns the new head. With
    /// two or more entries, each but the last carries `more` (how many entries of the batch
    /// follow it), so that a crash that leaves only part of the batch on disk is seen from the
    /// signed lines themselves (`unfinished_batch`), whatever name the log is reached by, and
    /// [`repair`] moves that part aside.
    ///
    /// A log whose genesis names a domain is appended to only with a check of its rules
    /// installed ([`LogWriter::with_append_check`]), which sees each entry before it is signed
    /// ([`crate::append_check`]).
    pub fn append_batch(
        &mut self,
        key: &SigningKey,
        items: &[(&str, &Object)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Head, LogError>
    where
        S: 'static,
    {
        let author = key.key_ref();
        match self.chain().keyring().get(&author) {
            Some(rec) if rec.key == key.verifier() => {}
            _ => return Err(LogError::KeyNotInLog { key: author }),
        }
        let mut check = self.begin_check()?;
        let result = self.append_batch_checked(key, items, now, check.as_deref_mut());
        self.end_check(check, result.is_ok());
        result
    }

    /// [`LogWriter::append_batch`] once the key is known to be the log's and the check has
    /// begun.
    fn append_batch_checked(
        &mut self,
        key: &SigningKey,
        items: &[(&str, &Object)],
        now: chrono::DateTime<chrono::Utc>,
        check: Option<&mut (dyn AppendCheck<S> + 'static)>,
    ) -> Result<Head, LogError>
    where
        S: 'static,
    {
        let origin = self.chain().origin().unwrap_or_default().to_owned();
        let chain = self.chain();
        // Every entry of the batch gets the same time: the first at or after both `now` and
        // the log's last `recorded_at` (which, after the first entry, is this time).
        let recorded_at = timestamp(chain, now);
        let build = Build {
            key,
            origin: &origin,
            items,
            recorded_at: &recorded_at,
            first_seq: chain.next_seq(),
            first_prev: chain.next_prev(),
        };
        let mut gate = Gate {
            check,
            author: key.key_ref().to_string(),
            recorded_at: &recorded_at,
            warnings: &mut self.warnings,
        };
        let new_check = || Check {
            next: self.state.clone(),
            before: self.state.findings().len(),
            offset: self.end_offset,
            head_offset: self.head_offset,
            lines: Vec::with_capacity(items.len()),
            hashes: Vec::with_capacity(items.len()),
            refused: None,
        };
        let pipelined = if items.len() >= PIPELINE_MIN {
            // Signing is sequential (each entry names the hash of the line before it, which
            // includes its signature), so the pipeline is: this thread builds and signs, a
            // second thread checks each line as the verifier would, in order.
            std::thread::scope(|scope| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Built>>(PIPELINE_DEPTH);
                let mut check = new_check();
                let checker = spawn_checker(scope, move || {
                    'lines: for chunk in rx {
                        for b in chunk {
                            if !check.push(b) {
                                break 'lines;
                            }
                        }
                    }
                    check
                });
                // No thread to be had (a process at its thread limit): do it all here.
                let checker = checker.ok()?;
                // Lines go over in small chunks, so that the threads rarely wait on each other.
                let mut chunk = Vec::with_capacity(PIPELINE_CHUNK);
                let built = build.run(&mut gate, |b| {
                    chunk.push(b);
                    chunk.len() < PIPELINE_CHUNK || tx.send(std::mem::take(&mut chunk)).is_ok()
                });
                if !chunk.is_empty() {
                    // An error here means the checker stopped at a refusal, which it reports.
                    let _ = tx.send(chunk);
                }
                drop(tx);
                match checker.join() {
                    Ok(check) => Some((built, check)),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            })
        } else {
            None
        };
        let (built, check) = match pipelined {
            Some(done) => done,
            None => {
                let mut check = new_check();
                let built = build.run(&mut gate, |b| check.push(b));
                (built, check)
            }
        };
        // The first problem in item order: a refusal comes from an item before any build error
        // (the builder stops at its error; every item before it was checked).
        if let Some(refused) = check.refused {
            return Err(refused);
        }
        built?;
        let Check {
            next,
            offset,
            head_offset,
            lines,
            hashes,
            ..
        } = check;
        let refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
        self.store.append(&refs)?;
        self.state = next;
        self.end_offset = offset;
        self.head_offset = head_offset;
        // The entries are durable: the append has succeeded. The tree file is derived; if it
        // cannot be written, stop using it and let the next open rebuild it.
        let mut added = Vec::new();
        for hash in hashes {
            let new = self.frontier.push(hash);
            match &mut self.unsaved {
                Some(unsaved) => unsaved.tail.add(self.frontier.size(), new),
                None => added.extend(new),
            }
        }
        if let Some(state_stale) = self.unsaved.as_ref().map(|u| u.state_stale) {
            if !lines.is_empty() && self.first_append_saves(state_stale) {
                return Ok(self.head());
            }
        } else if let Some(t) = &mut self.tree
            && t.append(&added).is_err()
        {
            self.tree = None;
        }
        // The state file is derived too, and rewritten only now and then (see the module
        // documentation): if it is behind or cannot be written, the next open notices and
        // replays the lines after it.
        if !lines.is_empty() {
            self.state_saved.behind = true;
            if self.state_saved.at.elapsed() >= STATE_SAVE_INTERVAL {
                self.save_state();
            }
        }
        Ok(self.head())
    }

    /// The underlying store.
    pub fn store(&self) -> &S {
        &self.store
    }
}

impl<S: Store> Drop for LogWriter<S> {
    /// Brings the state file up to date before the lock is released (the store is dropped
    /// after this runs).
    fn drop(&mut self) {
        if self.state_saved.behind {
            self.write_state();
        }
    }
}

/// Why the source of a streamed batch could not give an entry ([`LogWriter::append_stream`]).
pub type SourceError = Box<dyn std::error::Error + Send + Sync>;

impl LogWriter<FileStore> {
    /// Appends `n` entries signed by `key`, taken one at a time from `next` (called with
    /// 0, 1, …, `n` − 1), in memory that does not grow with `n`: each entry is signed (with
    /// its `more`, as in [`LogWriter::append_batch`]), checked against the chain state with
    /// the verifier's rules, and written to the log at once, unsynced; `commit` is called once
    /// all `n` are written, and only if it returns `Ok` is the log synced (one `fdatasync`).
    /// All or nothing: a refused entry, an entry that cannot be built, an error from `next`
    /// or `commit`, or a failed write or sync truncates the log back to where it was, and the
    /// error names the entry. The tree file is extended as the lines are written (and cut
    /// back, or left for the next open to rebuild, if the append fails). Returns the new head.
    /// Each entry goes through the installed append check, as in
    /// [`LogWriter::append_batch`], before it is signed; a refusal truncates the log back.
    pub fn append_stream(
        &mut self,
        key: &SigningKey,
        n: usize,
        next: impl FnMut(usize) -> Result<(String, Object), SourceError>,
        commit: impl FnOnce() -> Result<(), SourceError>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Head, LogError> {
        let author = key.key_ref();
        match self.chain().keyring().get(&author) {
            Some(rec) if rec.key == key.verifier() => {}
            _ => return Err(LogError::KeyNotInLog { key: author }),
        }
        let mut check = self.begin_check()?;
        let result = if n == 0 {
            Ok(self.head())
        } else {
            self.append_stream_checked(key, n, next, commit, now, check.as_deref_mut())
        };
        self.end_check(check, result.is_ok());
        result
    }

    /// [`LogWriter::append_stream`] of at least one entry, once the key is known to be the
    /// log's and the check has begun.
    fn append_stream_checked(
        &mut self,
        key: &SigningKey,
        n: usize,
        mut next: impl FnMut(usize) -> Result<(String, Object), SourceError>,
        commit: impl FnOnce() -> Result<(), SourceError>,
        now: chrono::DateTime<chrono::Utc>,
        check: Option<&mut (dyn AppendCheck<FileStore> + 'static)>,
    ) -> Result<Head, LogError> {
        let origin = self.chain().origin().unwrap_or_default().to_owned();
        let recorded_at = timestamp(self.chain(), now);
        let first_seq = self.chain().next_seq();
        let first_prev = self.chain().next_prev();
        let old_leaves = self.frontier.size();
        let state = self.state.clone();
        let before = state.findings().len();
        let (offset, head_offset, frontier) =
            (self.end_offset, self.head_offset, self.frontier.clone());
        let tree = &mut self.tree;
        // Before the derived files are first written, the new hashes go to the tail they are
        // to be written with (cut back if the append fails).
        let tail = self.unsaved.as_mut().map(|u| &mut u.tail);
        let tail_before = tail.as_ref().map(|t| t.hashes.len());
        let mut gate = Gate {
            check,
            author: key.key_ref().to_string(),
            recorded_at: &recorded_at,
            warnings: &mut self.warnings,
        };
        let mut done = None;
        let appended = self.store.append_stream(|sink| -> Result<(), LogError> {
            let check = StreamCheck {
                next: state,
                before,
                offset,
                head_offset,
                frontier,
                pending: Vec::new(),
                tree,
                tail,
                tree_ok: true,
                sink,
                refused: None,
            };
            // Builds and signs each entry in order, each naming the hash of the one before,
            // handing it to `sink` until `sink` returns false or an entry cannot be had.
            let mut build = |sink: &mut dyn FnMut(Built) -> bool| -> Result<(), LogError> {
                let mut prev = first_prev;
                for index in 0..n {
                    let (entry_type, data) =
                        next(index).map_err(|source| LogError::Source { index, source })?;
                    if entry_type == GENESIS_TYPE {
                        return Err(LogError::GenesisType(entry_type));
                    }
                    let seq = first_seq + index as u64;
                    gate.pass(index, seq, &entry_type, &data)?;
                    let line = NewEntry {
                        seq,
                        prev,
                        recorded_at: &recorded_at,
                        entry_type: &entry_type,
                        data: &data,
                    }
                    .sign_with_more(&origin, key, (n - 1 - index) as u64)
                    .map_err(|source| LogError::Build { index, source })?;
                    let hash = EntryHash::of_line(&line);
                    prev = hash;
                    if !sink(Built {
                        index,
                        seq,
                        line,
                        hash,
                    }) {
                        return Ok(());
                    }
                }
                Ok(())
            };
            // The checker's state, for the checking thread to take (and give back when it
            // ends), or for this thread if no thread can be started.
            let slot = std::sync::Mutex::new(Some(check));
            let take = || slot.lock().ok().and_then(|mut c| c.take());
            let pipelined = if n >= PIPELINE_MIN {
                // As in `append_batch`: this thread reads and signs, a second one checks and
                // writes each line in order; at most PIPELINE_DEPTH chunks wait between them.
                std::thread::scope(|scope| {
                    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Built>>(PIPELINE_DEPTH);
                    let checker = spawn_checker(scope, move || {
                        let mut check = take()?;
                        'lines: for chunk in rx {
                            for b in chunk {
                                if !check.push(b) {
                                    break 'lines;
                                }
                            }
                        }
                        Some(check)
                    });
                    // No thread to be had (a process at its thread limit): do it all here.
                    let checker = checker.ok()?;
                    let mut chunk = Vec::with_capacity(PIPELINE_CHUNK);
                    let built = build(&mut |b| {
                        chunk.push(b);
                        chunk.len() < PIPELINE_CHUNK || tx.send(std::mem::take(&mut chunk)).is_ok()
                    });
                    if !chunk.is_empty() {
                        // An error means the checker stopped at a refusal, which it reports.
                        let _ = tx.send(chunk);
                    }
                    drop(tx);
                    match checker.join() {
                        Ok(check) => Some((built, check)),
                        Err(panic) => std::panic::resume_unwind(panic),
                    }
                })
            } else {
                None
            };
            let lost = || {
                LogError::Store(StoreError::Io {
                    path: PathBuf::new(),
                    op: "check the batch",
                    source: std::io::Error::other("the checking thread lost its state"),
                })
            };
            let (built, check) = match pipelined {
                Some((built, Some(check))) => (built, check),
                Some((_, None)) => return Err(lost()),
                None => {
                    let mut check = slot.into_inner().ok().flatten().ok_or_else(lost)?;
                    let built = build(&mut |b| check.push(b));
                    (built, check)
                }
            };
            // The first problem in item order: a refusal comes from an item before any error
            // of the builder (which stops at its error; every item before it was checked).
            if let Some(refused) = check.refused {
                return Err(refused);
            }
            built?;
            commit().map_err(|source| LogError::Source { index: n, source })?;
            done = Some((
                check.next,
                check.offset,
                check.head_offset,
                check.frontier,
                check.pending,
                check.tree_ok,
            ));
            Ok(())
        });
        let done = match (appended, done) {
            (Ok(_), Some(done)) => done,
            (result, _) => {
                // The tree file may hold hashes of lines that are gone: cut it back (or let
                // the next open rebuild it). Likewise the tail not yet written (which, if it
                // grew too long to keep, is rebuilt from the log when it is written).
                if let Some(t) = &mut self.tree
                    && t.truncate(stored_hash_count(old_leaves)).is_err()
                {
                    self.tree = None;
                }
                if let (Some(u), Some(len)) = (&mut self.unsaved, tail_before) {
                    u.tail.hashes.truncate(len);
                }
                return Err(result.err().unwrap_or_else(|| {
                    LogError::Store(StoreError::Io {
                        path: PathBuf::new(),
                        op: "append",
                        source: std::io::Error::other("the streamed append did not finish"),
                    })
                }));
            }
        };
        let (state, offset, head_offset, frontier, pending, tree_ok) = done;
        self.state = state;
        self.end_offset = offset;
        self.head_offset = head_offset;
        self.frontier = frontier;
        if let Some(state_stale) = self.unsaved.as_ref().map(|u| u.state_stale) {
            if self.first_append_saves(state_stale) {
                return Ok(self.head());
            }
        } else if let Some(t) = &mut self.tree
            && !(tree_ok && t.append(&pending).is_ok())
        {
            self.tree = None;
        }
        self.state_saved.behind = true;
        if self.state_saved.at.elapsed() >= STATE_SAVE_INTERVAL {
            self.save_state();
        }
        Ok(self.head())
    }
}

/// Checks a streamed batch's lines in order (as [`Check`] does) and writes each to the log
/// at once, extending the tree file in chunks; keeps no line.
struct StreamCheck<'a, 's> {
    next: Verifier,
    before: usize,
    offset: u64,
    head_offset: u64,
    frontier: Frontier,
    /// Tree hashes not yet written to the tree file.
    pending: Vec<acta_core::tree::Hash>,
    tree: &'a mut Option<TreeFile>,
    /// The hashes not yet written since the open, if the derived files have not been written
    /// yet: the new hashes go there instead of to the tree file.
    tail: Option<&'a mut TreeTail>,
    /// False once a write to the tree file failed (it is then left for the next open).
    tree_ok: bool,
    sink: &'a mut crate::LineSink<'s>,
    refused: Option<LogError>,
}

impl StreamCheck<'_, '_> {
    /// Checks and writes one line; false (and `refused` set) if the verifier has a finding
    /// about it or it cannot be written.
    fn push(&mut self, b: Built) -> bool {
        self.next.push_line(self.offset, &b.line);
        if let Some(f) = self.next.findings().get(self.before) {
            self.refused = Some(LogError::Refused {
                index: b.index,
                seq: b.seq,
                kind: Box::new(f.kind.clone()),
            });
            return false;
        }
        if let Err(e) = self.sink.push(&b.line) {
            self.refused = Some(LogError::Store(e));
            return false;
        }
        self.head_offset = self.offset;
        self.offset += b.line.len() as u64 + 1;
        let added = self.frontier.push(b.hash);
        if let Some(tail) = self.tail.as_deref_mut() {
            tail.add(self.frontier.size(), added);
            return true;
        }
        self.pending.extend(added);
        if self.pending.len() >= TREE_FLUSH {
            if let Some(t) = self.tree.as_mut() {
                self.tree_ok = self.tree_ok && t.append(&self.pending).is_ok();
            }
            self.pending.clear();
        }
        true
    }
}

/// Batches of at least this many entries are signed and checked on two threads.
const PIPELINE_MIN: usize = 32;
/// Signed lines are handed to the checker this many at a time...
const PIPELINE_CHUNK: usize = 16;
/// ...and this many chunks may wait for it.
const PIPELINE_DEPTH: usize = 16;

/// Starts the batch's checking thread, or returns an error if the system will not start one
/// (the batch is then checked on the calling thread).
fn spawn_checker<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> std::io::Result<std::thread::ScopedJoinHandle<'scope, T>> {
    #[cfg(test)]
    if tests_hooks::SPAWN_FAILS.with(std::cell::Cell::get) {
        return Err(std::io::Error::from(std::io::ErrorKind::WouldBlock));
    }
    std::thread::Builder::new()
        .name("acta-batch-check".to_owned())
        .spawn_scoped(scope, f)
}

/// Test-only switches.
#[cfg(test)]
pub(crate) mod tests_hooks {
    thread_local! {
        /// Makes [`super::spawn_checker`] fail on this thread, as at a process's thread limit.
        pub(crate) static SPAWN_FAILS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
}

/// One signed line of a batch: its index in the batch, seq, bytes and entry hash.
struct Built {
    index: usize,
    seq: u64,
    line: Vec<u8>,
    hash: EntryHash,
}

/// Builds and signs a batch's entries in order, each naming the hash of the one before.
struct Build<'a> {
    key: &'a SigningKey,
    origin: &'a str,
    items: &'a [(&'a str, &'a Object)],
    recorded_at: &'a str,
    first_seq: u64,
    first_prev: EntryHash,
}

impl Build<'_> {
    /// Hands each signed line to `sink` until `sink` returns false (the checker refused one)
    /// or an entry cannot be built (its error is returned). In a batch of several entries,
    /// each but the last names how many entries of the batch follow it (`more`), so that a
    /// batch cut short by a crash is seen in the signed lines themselves.
    ///
    /// Each entry is passed through `gate` (the append check) before it is signed.
    fn run<S: ?Sized + 'static>(
        &self,
        gate: &mut Gate<'_, S>,
        mut sink: impl FnMut(Built) -> bool,
    ) -> Result<(), LogError> {
        let mut prev = self.first_prev;
        let n = self.items.len();
        for (index, (entry_type, data)) in self.items.iter().enumerate() {
            if *entry_type == GENESIS_TYPE {
                return Err(LogError::GenesisType((*entry_type).to_owned()));
            }
            let seq = self.first_seq + index as u64;
            gate.pass(index, seq, entry_type, data)?;
            let line = NewEntry {
                seq,
                prev,
                recorded_at: self.recorded_at,
                entry_type,
                data,
            }
            .sign_with_more(self.origin, self.key, (n - 1 - index) as u64)
            .map_err(|source| LogError::Build { index, source })?;
            let hash = EntryHash::of_line(&line);
            prev = hash;
            if !sink(Built {
                index,
                seq,
                line,
                hash,
            }) {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// Checks a batch's lines, in order, against the chain state with the verifier's rules.
struct Check {
    next: Verifier,
    /// Findings the state had before the batch (none, for a writer).
    before: usize,
    offset: u64,
    head_offset: u64,
    lines: Vec<Vec<u8>>,
    hashes: Vec<EntryHash>,
    refused: Option<LogError>,
}

impl Check {
    /// Checks one line; false (and `refused` set) if the verifier has a finding about it.
    fn push(&mut self, b: Built) -> bool {
        self.next.push_line(self.offset, &b.line);
        if let Some(f) = self.next.findings().get(self.before) {
            self.refused = Some(LogError::Refused {
                index: b.index,
                seq: b.seq,
                kind: Box::new(f.kind.clone()),
            });
            return false;
        }
        self.head_offset = self.offset;
        self.offset += b.line.len() as u64 + 1;
        self.lines.push(b.line);
        self.hashes.push(b.hash);
        true
    }
}

/// Where the lines a pass over the log has seen end, and its tree.
struct Walk {
    frontier: Frontier,
    end_offset: u64,
    head_offset: u64,
    lines: u64,
    tree_tail: TreeTail,
    /// Whether every item was a line that starts where the one before ends.
    contiguous: bool,
}

impl Walk {
    fn new(frontier: Frontier, end_offset: u64, head_offset: u64, tree_from: u64) -> Walk {
        Walk {
            tree_tail: TreeTail::from(tree_from, &frontier),
            frontier,
            end_offset,
            head_offset,
            lines: 0,
            contiguous: true,
        }
    }

    /// Takes note of one item of the pass, in order.
    fn see(&mut self, item: &Prepared) {
        match item {
            Prepared::Line(offset, line) => {
                self.contiguous &= *offset == self.end_offset;
                self.head_offset = *offset;
                self.end_offset = offset + line.line_len() + 1;
                self.lines += 1;
                let added = self.frontier.push(line.hash());
                self.tree_tail.add(self.frontier.size(), added);
                self.tree_tail.see(&self.frontier);
            }
            Prepared::TooLong(offset, len) => {
                self.contiguous = false;
                self.end_offset = offset + len + 1;
            }
            Prepared::Torn(..) => self.contiguous = false,
        }
    }
}

/// The full verified replay of a writer: every line of `store` through the verifier, every
/// rule, signatures included, with [`verify`]'s parallel pipeline. Fails with the first
/// finding. Keeps the tree hashes of the leaves from `tree_leaves` on (those a tree file of
/// that many leaves lacks). Reads the store only; writes nothing.
fn verify_for_writer<S: Store + ?Sized>(store: &S, tree_leaves: u64) -> Result<Verified, LogError> {
    let mut v = Verifier::new(VerifyOptions::default());
    let mut walk = Walk::new(Frontier::new(), 0, 0, tree_leaves);
    push_in_chunks(
        &mut v,
        store.scan()?,
        VERIFY_CHUNK_LINES,
        |item| walk.see(item),
        |_, _| {},
    )?;
    if walk.end_offset == 0 {
        return Err(LogError::Empty);
    }
    if let Some(first) = v.findings().first() {
        return Err(LogError::Unsound {
            first: Box::new(first.clone()),
            total: v.findings().len(),
        });
    }
    if let Some(b) = v.chain().open_batch() {
        return Err(LogError::UnfinishedBatch {
            path: PathBuf::new(),
            entry: b.first_entry,
            offset: b.first_offset,
            size: b.size,
            missing: b.remaining,
        });
    }
    // The writer's own new lines are checked with every rule but signatures.
    v.skip_signatures_from_now();
    Ok(Verified {
        state: v,
        frontier: walk.frontier,
        end_offset: walk.end_offset,
        head_offset: walk.head_offset,
        tree_tail: walk.tree_tail,
        opened: Opened::Replayed,
    })
}

/// Resumes from an authenticated saved state if it still describes `store` (see the module
/// documentation): `None` means "verify in full". Reads only the line at the saved head and
/// the lines after it, which it verifies, signatures included. Writes nothing.
fn resume<S: Store + ?Sized>(
    store: &S,
    tree: Option<&TreeFile>,
    saved: SavedState<'static>,
) -> Option<Verified> {
    // The tree file and the state are both derived from the lines; the tree file must hold
    // the covered lines' hashes (the state does not have them) with the state's right edge.
    // If they disagree, neither is trusted: the full replay recomputes the tree from the
    // lines.
    if let Some(t) = tree
        && (t.leaves() < saved.entries
            || t.read_hashes(&saved.frontier.stored_indexes()).ok()? != saved.frontier.subtrees())
    {
        return None;
    }
    // Any store error here also sends the writer to the full replay, which reports it.
    let mut scan = store.scan_from(saved.head_offset).ok()?;
    match scan.next() {
        Some(Ok(ScanItem::Line(line)))
            if line.offset == saved.head_offset
                && line.offset + line.bytes.len() as u64 + 1 == saved.log_len
                && EntryHash::of_line(&line.bytes) == saved.head => {}
        _ => return None,
    }
    let frontier = saved.frontier.into_owned();
    let mut state = Verifier::resume(
        VerifyOptions::default(),
        saved.chain.into_owned(),
        frontier.clone(),
        saved.log_len,
    )
    .ok()?;
    let mut walk = Walk::new(frontier, saved.log_len, saved.head_offset, saved.entries);
    // A read error: the full replay reports it.
    push_in_chunks(
        &mut state,
        scan,
        VERIFY_CHUNK_LINES,
        |item| walk.see(item),
        |_, _| {},
    )
    .ok()?;
    // An over-long line, a torn tail or any finding: the full replay reports it, counting
    // every finding exactly as before.
    if !walk.contiguous || !state.findings().is_empty() {
        return None;
    }
    if state.chain().open_batch().is_some() {
        // The lines end inside a batch cut short: the full verification reports it.
        return None;
    }
    state.skip_signatures_from_now();
    Some(Verified {
        state,
        frontier: walk.frontier,
        end_offset: walk.end_offset,
        head_offset: walk.head_offset,
        tree_tail: walk.tree_tail,
        opened: Opened::Resumed { lines: walk.lines },
    })
}

/// Brings the tree file at `path` up to date with the verified `frontier` (called only once
/// the log has verified, and a command has succeeded): keeps at most the leaves of `opened`
/// (the tree of the lines verified on open), extends them with `tail` if the file holds at
/// least `tail.from` leaves whose right edge is the verified one at that size, and checks its
/// right edge at the sizes of `frontier` and of `opened`; if any of these disagrees, rebuilds it
/// from the log's lines. Returns `None` (the
/// writer keeps no tree file; the next open rebuilds it) if the lines read for the rebuild do
/// not give the verified tree.
fn sync_tree<S: Store + ?Sized>(
    store: &S,
    path: &Path,
    frontier: &Frontier,
    tail: TreeTail,
    opened: &Frontier,
) -> Result<Option<TreeFile>, LogError> {
    let mut t = TreeFile::open_writer(path)?;
    let size = frontier.size();
    // Nothing the file holds beyond the tree of the lines verified on open is kept (it may be
    // the hashes of lines since moved aside): it is cut back to that tree, then extended.
    let leaves = t.leaves().min(opened.size());
    let extended = if leaves >= size {
        if t.hash_count() != stored_hash_count(size) {
            t.truncate(stored_hash_count(size))?;
        }
        true
    } else if tail.complete
        && leaves >= tail.from
        && let Some(edge) = &tail.edge
    {
        // The hashes kept from the file must be those of the verified lines (a damaged one
        // that the tail would take off the right edge is caught here), then the tail follows.
        t.truncate(stored_hash_count(tail.from))?;
        let kept = t.read_hashes(&edge.stored_indexes())? == edge.subtrees();
        if kept {
            t.append(&tail.hashes)?;
        }
        kept
    } else {
        false
    };
    // The right edge of the stored tree must be the tree of the log's lines; if it is not,
    // the file was damaged (or is behind): rebuild it from the log.
    if extended
        && t.read_hashes(&frontier.stored_indexes())? == frontier.subtrees()
        && opened.size() <= size
        && t.read_hashes(&opened.stored_indexes())? == opened.subtrees()
    {
        return Ok(Some(t));
    }
    let rebuilt = rebuild_tree_frontier(store, &mut t)?;
    if rebuilt != *frontier {
        // The lines changed under the writer's lock since they were verified: keep no tree
        // rather than one that is not the verified log's.
        t.truncate(0)?;
        return Ok(None);
    }
    Ok(Some(t))
}

/// What [`repair`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// Whether bytes were moved, from where, and to which side file; or whether the last
    /// line's newline was restored.
    pub outcome: RepairOutcome,
    /// The batch cut short whose lines were moved, if any (they were never acknowledged).
    pub batch: Option<CutBatch>,
    /// The seq of the entry whose missing newline was restored, if that is what was done
    /// ([`RepairOutcome::NewlineRestored`]).
    pub restored_seq: Option<u64>,
}

/// A batch cut short, as [`repair`] found it at the end of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CutBatch {
    /// The line index of its first entry.
    pub entry: u64,
    /// The byte offset of that line.
    pub offset: u64,
    /// The number of entries the batch has (from its first entry's `more`).
    pub size: u64,
    /// How many of them are missing; `size - missing` complete lines were moved.
    pub missing: u64,
}

/// Repairs the end of the log at `path` (see [`crate::repair_with`] for how, and under which
/// lock): moves its unacknowledged end to a side file `{path}.torn-{offset}` and truncates the
/// log there, or restores the newline its last entry lacks.
///
/// The unacknowledged end is the torn last line (the bytes after the last `'\n'`, when they
/// are not a complete entry of this chain), and, if the log's complete lines end inside a
/// batch that was cut short (its entries' signed `more` members say how many entries it has),
/// every line from that batch's first line on. If instead the bytes after the last `'\n'` are
/// a complete entry of this chain with only its newline missing
/// ([`FindingKind::MissingNewline`]), that entry stays: exactly one `'\n'` is appended
/// ([`RepairOutcome::NewlineRestored`]). This is decided by verifying the log in that same
/// pass, under the lock, signatures included (against the log's own genesis key, or `trust`
/// if given): complete lines are moved only if the only findings are `unfinished_batch` and
/// `torn_tail` (so every line from the batch's first on verifies as an entry of this chain),
/// and a newline is restored only if the only finding is `missing_newline`. Nothing beside the
/// log is read or written. A log with any other finding is left untouched
/// ([`LogError::NotRepairable`], naming the first); a log with none is
/// [`RepairOutcome::Clean`].
pub fn repair(path: impl AsRef<Path>, trust: Option<VerifierKey>) -> Result<Repaired, LogError> {
    let path = path.as_ref();
    let mut batch = None;
    let mut restored_seq = None;
    let outcome = crate::repair_with(path, |store: &FileStore| {
        let options = VerifyOptions {
            trust,
            ..VerifyOptions::default()
        };
        let report = verify(store, options)?;
        let mut cut: Option<u64> = None;
        for f in &report.findings {
            match f.kind {
                FindingKind::TornTail { .. } => {}
                FindingKind::UnfinishedBatch { size, missing } => {
                    batch = Some(CutBatch {
                        entry: f.entry,
                        offset: f.offset,
                        size,
                        missing,
                    });
                }
                // A file without one complete line is no acta log (a log is created whole,
                // its genesis line included): nothing of it is moved, whatever it holds.
                FindingKind::MissingNewline { seq } => restored_seq = Some(seq),
                _ => {
                    return Err(LogError::NotRepairable {
                        path: path.to_path_buf(),
                        first: Box::new(f.clone()),
                    });
                }
            }
            if matches!(
                f.kind,
                FindingKind::TornTail { .. } | FindingKind::UnfinishedBatch { .. }
            ) {
                cut = Some(cut.map_or(f.offset, |c| c.min(f.offset)));
            }
        }
        // Findings beyond the cap are about lines, so never only these.
        if report.findings_omitted > 0
            && let Some(first) = report.findings.first()
        {
            return Err(LogError::NotRepairable {
                path: path.to_path_buf(),
                first: Box::new(first.clone()),
            });
        }
        // A missing newline comes with no torn tail (the same bytes) and no batch left open
        // (the verifier takes the bytes for an entry only if they leave none); if it ever came
        // with a cut, the cut would move its line too.
        Ok(match (cut, restored_seq) {
            (Some(offset), _) => {
                restored_seq = None;
                Some(crate::RepairAction::MoveFrom(offset))
            }
            (None, Some(_)) => Some(crate::RepairAction::RestoreNewline),
            (None, None) => None,
        })
    })?;
    Ok(Repaired {
        outcome,
        batch,
        restored_seq,
    })
}

/// Rebuilds a tree file from scratch from the log's lines (streaming).
pub fn rebuild_tree<S: Store + ?Sized>(store: &S, tree: &mut TreeFile) -> Result<(), StoreError> {
    rebuild_tree_frontier(store, tree).map(|_| ())
}

/// [`rebuild_tree`], returning the right edge of the tree it wrote.
fn rebuild_tree_frontier<S: Store + ?Sized>(
    store: &S,
    tree: &mut TreeFile,
) -> Result<Frontier, StoreError> {
    tree.truncate(0)?;
    let mut frontier = Frontier::new();
    let mut pending = Vec::new();
    for item in store.scan()? {
        match item? {
            ScanItem::Line(line) => {
                pending.extend(frontier.push(acta_core::EntryHash::of_line(&line.bytes)));
                if pending.len() >= TREE_FLUSH {
                    tree.append(&pending)?;
                    pending.clear();
                }
            }
            // A tree cannot go past a line it cannot hash, or past a torn tail.
            ScanItem::TooLong { .. } | ScanItem::Torn { .. } => break,
        }
    }
    tree.append(&pending)?;
    tree.sync()?;
    Ok(frontier)
}

/// Parses `SEQ:HASH` (as printed by `acta head`).
pub fn parse_head(s: &str) -> Option<(u64, EntryHash)> {
    let (seq, hash) = s.split_once(':')?;
    if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((seq.parse().ok()?, hash.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use acta_core::json::Value;
    use acta_core::tree::MemoryTree;
    use acta_core::{EntryHash, Roles};

    fn key() -> SigningKey {
        SigningKey::from_seed("test-only-log", [5; 32]).expect("valid name")
    }

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(1_764_147_600, 0).unwrap_or_default()
    }

    /// A log of `n` entries (genesis included) at `path`.
    fn make_log(path: &Path, n: usize) -> Result<(), LogError> {
        let key = key();
        let genesis = Genesis {
            origin: "example.org/tree-test".into(),
            keys: vec![(key.verifier(), Roles::all())],
            domain: None,
        };
        let mut w = LogWriter::create(path, &genesis, &key, now())?;
        let mut data = Object::new();
        for i in 1..n {
            data.insert("i", Value::Number(acta_core::json::Number::Int(i as i64)));
            w.append(&key, "test.n", &data, now())?;
        }
        Ok(())
    }

    fn expected_tree(path: &Path) -> MemoryTree {
        let bytes = std::fs::read(path).unwrap_or_default();
        MemoryTree::from_leaves(
            bytes
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(EntryHash::of_line),
        )
    }

    fn stored(path: &Path) -> Vec<[u8; 32]> {
        std::fs::read(TreeFile::path_for(path))
            .unwrap_or_default()
            .chunks(32)
            .filter_map(|c| c.try_into().ok())
            .collect()
    }

    #[test]
    fn appends_keep_the_tree_file_equal_to_the_tree_of_the_lines()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("t.log");
        make_log(&path, 37)?;
        let mem = expected_tree(&path);
        assert_eq!(mem.size(), 37);
        assert_eq!(stored(&path), mem.stored_hashes());
        let w = LogWriter::open(&path, &key())?;
        assert_eq!(w.frontier().root(), mem.root());
        Ok(())
    }

    /// A missing, short or damaged tree file is rebuilt when the writer first writes its
    /// derived files after the open (an open alone writes nothing).
    #[test]
    fn a_missing_short_or_damaged_tree_file_is_rebuilt_by_the_writer()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("t.log");
        make_log(&path, 21)?;
        let good = expected_tree(&path).stored_hashes().to_vec();
        let tree_path = TreeFile::path_for(&path);
        let open_and_save = || -> Result<(), LogError> {
            let mut w = LogWriter::open(&path, &key())?;
            w.save_derived()
        };

        std::fs::remove_file(&tree_path)?;
        drop(LogWriter::open(&path, &key())?);
        assert!(!tree_path.exists(), "an open alone wrote the tree file");
        open_and_save()?;
        assert_eq!(stored(&path), good, "missing");

        let bytes = std::fs::read(&tree_path)?;
        std::fs::write(&tree_path, &bytes[..bytes.len() - 70])?;
        open_and_save()?;
        assert_eq!(stored(&path), good, "short, with a torn hash");

        let mut damaged = std::fs::read(&tree_path)?;
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        std::fs::write(&tree_path, &damaged)?;
        open_and_save()?;
        assert_eq!(stored(&path), good, "damaged right edge");

        let mut longer = std::fs::read(&tree_path)?;
        longer.extend_from_slice(&[7; 64]);
        std::fs::write(&tree_path, &longer)?;
        open_and_save()?;
        assert_eq!(stored(&path), good, "longer than the log");

        // The first append does it too, with the new line's hashes.
        std::fs::remove_file(&tree_path)?;
        let mut w = LogWriter::open(&path, &key())?;
        let mut data = Object::new();
        data.insert("i", Value::Number(acta_core::json::Number::Int(99)));
        w.append(&key(), "test.n", &data, now())?;
        drop(w);
        assert_eq!(
            stored(&path),
            expected_tree(&path).stored_hashes().to_vec(),
            "after an append"
        );
        Ok(())
    }

    /// Removes the last byte of the file at `path` (its final newline).
    fn strip_final_newline(path: &Path) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut bytes = std::fs::read(path)?;
        assert_eq!(bytes.pop(), Some(b'\n'));
        std::fs::write(path, &bytes)?;
        Ok(bytes)
    }

    fn report_of(path: &Path) -> Result<Report, Box<dyn std::error::Error>> {
        let options = VerifyOptions {
            trust: Some(key().verifier()),
            ..VerifyOptions::default()
        };
        let store = FileStore::open_reader(path)?;
        let parallel = verify(&store, options.clone())?;
        assert_eq!(parallel, verify_sequential(&store, options)?);
        Ok(parallel)
    }

    /// A complete, validly signed last entry whose newline alone was removed is reported as
    /// such (not as a torn tail), the writer refuses the log saying to run `acta repair`, and
    /// repair appends exactly the one newline: the entry stays in the log.
    #[test]
    fn a_last_entry_missing_only_its_newline_is_restored_by_repair()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("n.log");
        make_log(&path, 5)?;
        let whole = std::fs::read(&path)?;
        let sound = report_of(&path)?;
        let cut = strip_final_newline(&path)?;
        let line_at = cut.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) as u64;

        let report = report_of(&path)?;
        let kinds: Vec<_> = report
            .findings
            .iter()
            .map(|f| (f.entry, f.offset, f.kind.clone()))
            .collect();
        assert_eq!(
            kinds,
            [(4, line_at, FindingKind::MissingNewline { seq: 4 })]
        );
        assert_eq!(
            (report.entries, report.head, &report.root),
            (sound.entries, sound.head, &sound.root)
        );

        let err = LogWriter::open(&path, &key()).err();
        let message = err.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(
            matches!(err, Some(LogError::Store(StoreError::TornTail { offset, .. })) if offset == line_at),
            "{message}"
        );
        // The library says what is wrong; the CLI adds which command repairs it.
        assert!(message.contains("does not end with a newline"), "{message}");
        assert!(!message.contains("acta "), "{message}");
        assert_eq!(std::fs::read(&path)?, cut, "the refused open wrote");

        let repaired = repair(&path, Some(key().verifier()))?;
        assert_eq!(
            repaired,
            Repaired {
                outcome: RepairOutcome::NewlineRestored {
                    offset: line_at,
                    len: cut.len() as u64 - line_at,
                },
                batch: None,
                restored_seq: Some(4),
            }
        );
        assert_eq!(std::fs::read(&path)?, whole, "exactly one newline appended");
        let names: Vec<_> = std::fs::read_dir(dir.path())?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".torn-"))
            .collect();
        assert!(names.is_empty(), "nothing moved: {names:?}");
        assert_eq!(report_of(&path)?, sound);
        assert_eq!(repair(&path, None)?.outcome, RepairOutcome::Clean);
        let mut w = LogWriter::open(&path, &key())?;
        let mut data = Object::new();
        data.insert("i", Value::Number(acta_core::json::Number::Int(5)));
        assert_eq!(w.append(&key(), "test.n", &data, now())?.seq, 5);
        Ok(())
    }

    /// The last entry of a batch without its newline ends the batch: no `unfinished_batch`, and
    /// repair moves none of the batch's (acknowledged) lines. A middle entry of a batch without
    /// its newline was never acknowledged: a torn tail, moved with the rest of the batch.
    #[test]
    fn a_batch_whose_last_entry_lacks_its_newline_is_not_moved()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("b.log");
        make_log(&path, 2)?;
        let before_batch = std::fs::read(&path)?.len() as u64;
        let mut w = LogWriter::open(&path, &key())?;
        let data = Object::new();
        let items = [("test.b", &data), ("test.b", &data), ("test.b", &data)];
        w.append_batch(&key(), &items, now())?;
        drop(w);
        let whole = std::fs::read(&path)?;
        strip_final_newline(&path)?;
        let report = report_of(&path)?;
        assert!(
            matches!(
                report.findings.as_slice(),
                [Finding {
                    entry: 4,
                    kind: FindingKind::MissingNewline { seq: 4 },
                    ..
                }]
            ),
            "{:?}",
            report.findings
        );
        let repaired = repair(&path, None)?;
        assert!(
            matches!(repaired.outcome, RepairOutcome::NewlineRestored { .. }),
            "{repaired:?}"
        );
        assert_eq!(std::fs::read(&path)?, whole);

        // Cut just before the newline of the batch's middle entry.
        let lines: Vec<usize> = whole
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i)
            .collect();
        std::fs::write(&path, &whole[..lines[3]])?;
        let report = report_of(&path)?;
        let kinds: Vec<_> = report.findings.iter().map(|f| f.kind.clone()).collect();
        assert!(
            matches!(
                kinds.as_slice(),
                [
                    FindingKind::UnfinishedBatch {
                        size: 3,
                        missing: 2
                    },
                    FindingKind::TornTail { .. }
                ]
            ),
            "{kinds:?}"
        );
        let repaired = repair(&path, None)?;
        assert!(
            matches!(repaired.outcome, RepairOutcome::Repaired { offset, .. } if offset == before_batch),
            "{repaired:?}"
        );
        assert_eq!(std::fs::read(&path)?, &whole[..before_batch as usize]);
        Ok(())
    }

    /// A store that is not a file (no lock refuses it first): the writer's full replay refuses
    /// a missing newline, naming it.
    #[test]
    fn a_writer_on_another_store_refuses_a_missing_newline()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("s.log");
        make_log(&path, 3)?;
        strip_final_newline(&path)?;
        let err = LogWriter::from_store(FileStore::open_reader(&path)?).err();
        let message = err.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(
            matches!(&err, Some(LogError::Unsound { first, total: 1 })
                if first.kind == FindingKind::MissingNewline { seq: 2 }),
            "{err:?}"
        );
        assert!(
            message.contains("the log ends without its newline"),
            "{message}"
        );
        assert!(!message.contains("acta "), "{message}");
        Ok(())
    }

    /// An open writes nothing beside the log, and neither does a command refused after it: a
    /// key that is not in the log, a type its roles do not cover, an entry that cannot be
    /// built. The first successful append writes both derived files.
    #[test]
    fn refused_appends_after_an_open_write_nothing_beside_the_log()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("r.log");
        make_log(&path, 3)?;
        let tree_path = TreeFile::path_for(&path);
        let state_path = state_file::path_for(&path);
        std::fs::remove_file(&tree_path)?;
        std::fs::remove_file(&state_path)?;
        let log = std::fs::read(&path)?;
        let stranger = SigningKey::from_seed("test-only-stranger", [6; 32])?;
        let data = Object::new();
        for round in 0..4 {
            let mut w = LogWriter::open(&path, &key())?;
            let refused = match round {
                0 => w.append(&stranger, "test.n", &data, now()),
                1 => w.append(&key(), "acta.nope", &data, now()),
                2 => w.append(&key(), "bad type!", &data, now()),
                _ => w.append(&key(), GENESIS_TYPE, &data, now()),
            };
            assert!(refused.is_err(), "round {round}: {refused:?}");
            drop(w);
            assert_eq!(std::fs::read(&path)?, log, "round {round}");
            assert!(!tree_path.exists(), "round {round}: tree file");
            assert!(!state_path.exists(), "round {round}: state file");
        }
        let mut w = LogWriter::open(&path, &key())?;
        w.append(&key(), "test.n", &data, now())?;
        drop(w);
        assert_eq!(stored(&path), expected_tree(&path).stored_hashes());
        assert_eq!(
            LogWriter::open(&path, &key())?.opened(),
            Opened::Resumed { lines: 0 }
        );
        Ok(())
    }

    /// A hash the tree file holds for a line verified on open is checked before the tail is
    /// appended to it, even when the new lines take it off the right edge: a damaged last hash
    /// of a tree file that is behind the log is not kept.
    #[test]
    fn a_damaged_tree_file_behind_the_log_is_rebuilt_not_extended()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("d.log");
        make_log(&path, 21)?;
        let tree_path = TreeFile::path_for(&path);
        // The last stored hash (leaf 20's, on the right edge at 21 leaves only) is damaged...
        let mut damaged = std::fs::read(&tree_path)?;
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        std::fs::write(&tree_path, &damaged)?;
        // ... and a line is appended by a writer that keeps no tree file.
        let mut w = LogWriter::from_store(FileStore::open_writer(&path)?)?;
        let mut data = Object::new();
        data.insert("i", Value::Number(acta_core::json::Number::Int(21)));
        w.append(&key(), "test.n", &data, now())?;
        drop(w);
        for how in ["save", "append"] {
            std::fs::write(&tree_path, &damaged)?;
            let mut w = LogWriter::open(&path, &key())?;
            if how == "save" {
                w.save_derived()?;
            } else {
                w.append(&key(), "test.n", &data, now())?;
            }
            drop(w);
            assert_eq!(
                stored(&path),
                expected_tree(&path).stored_hashes(),
                "{how}: the tree file is the tree of the lines"
            );
        }
        Ok(())
    }
}
