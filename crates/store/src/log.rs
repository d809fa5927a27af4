//! Logs on a [`Store`]: verifying one, and appending signed entries to one.
//!
//! [`verify`] streams a store's lines through an [`acta_core::Verifier`]. A [`LogWriter`]
//! holds a store open for writing together with the chain state (head, keyring, origin) that
//! the next entry must agree with; it signs new entries, checks them against that state with
//! the same rules the verifier applies, and only then writes them, durably, in one group
//! commit. Nothing that verification would flag is ever written.
//!
//! # Opening a file log without reading it
//!
//! A writer learns the chain state by replaying the log (every rule but signatures). So that
//! opening a large log does not cost a replay, a file log's writer keeps that state, and the
//! right edge of the lines' tree, in a state file beside the log (`LOG.state`,
//! [`crate::state_file`]). It is written when the log is created, after a full replay or a
//! resumed open that replayed lines, on [`LogWriter::save_state`], by an append that finds it
//! more than [`STATE_SAVE_INTERVAL`] old, and when a writer that appended since is dropped;
//! not after every append, which would add a file creation and a rename to each durable
//! append. A writer that dies between two rewrites leaves a file that is behind the log: the
//! next open replays only the lines after it (step 4 below), at most about
//! [`STATE_SAVE_INTERVAL`] of appends. [`LogWriter::open`] uses it only if it still
//! describes the log:
//!
//! 1. The store is opened for writing first, exactly as before: the lock is taken, a torn
//!    tail (including an incomplete batch, per the batch marker `LOG.batch`) is refused, and a
//!    stale batch marker is cleared. So the state is only ever consulted for a log with no
//!    torn tail, and never changes what counts as one.
//! 2. The state file must parse, carry this format's tag and a matching checksum, and be
//!    coherent (entry count = next seq = tree size, head = the chain's head).
//! 3. The line at the recorded head offset must end exactly at the covered length and hash to
//!    the recorded head ([`Store::scan_from`] reads from there on, never the lines before).
//! 4. Lines after the covered length (appended by a writer that died before it rewrote the
//!    state, or by one that keeps none) are replayed through a verifier resumed from the
//!    state, with the same checks a full replay makes; any finding, over-long line or torn
//!    tail among them sends the writer to the full replay, which reports it as before.
//! 5. The tree file must hold at least the covered lines' hashes, and its right edge must
//!    equal the state's after the new lines' hashes are added.
//!
//! Anything else (no file, damage, another format, another log, a shorter log, a tree file
//! behind the state) falls back to the full replay, which then rewrites the state. The state
//! trusts the lines before the covered length without reading them, as the replay already
//! trusts their signatures: under the writer's lock the log is the writer's own file. A line
//! altered in place before the covered length is therefore not noticed when appending; `acta
//! verify` finds it, as it finds a forged signature.
//!
//! [`LogWriter::open_replaying`] ignores the state file (and rewrites it): a signer of
//! checkpoints computes the tree root from the lines themselves, never from derived files.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use acta_core::entry::{BuildError, NewEntry};
use acta_core::json::Object;
use acta_core::keyring::GENESIS_TYPE;
use acta_core::verify::Head;
use acta_core::{
    Chain, EntryHash, Finding, Genesis, KeyRef, PreparedLine, Report, SignatureContext, SigningKey,
    Verifier, VerifyOptions,
};
use rayon::iter::{IntoParallelIterator as _, ParallelIterator as _};

use acta_core::tree::{Frontier, HashReader as _, stored_hash_count};

use crate::state_file::{self, SavedState};
use crate::{FileStore, ScanItem, Store, StoreError, TreeFile};

/// Why a log could not be opened for writing or an append was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// The store failed (I/O, lock, torn tail, path problems).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The log file has no entries.
    #[error("the log has no entries; create it with `acta init`")]
    Empty,
    /// Replaying the log found problems; appending would build on them.
    #[error("the log already has problems, so nothing was appended: entry {}: {} (run `acta verify` for the full report)", .first.entry, .first.kind)]
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
    #[error("key {key} is not in this log's keyring; add it first with `acta key add`")]
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
    BadOrigin(&'static str),
    /// Only `acta init` writes a genesis entry.
    #[error("type {0:?} is reserved for the genesis entry, which `acta init` writes")]
    GenesisType(String),
}

/// Lines per chunk of [`verify`]'s pipeline.
const VERIFY_CHUNK_LINES: usize = 512;
/// A chunk of [`verify`]'s pipeline ends at the first line that brings it to this many bytes.
const VERIFY_CHUNK_BYTES: usize = 1 << 20;

/// One scan item of a chunk, its line prepared.
// Almost every item is a line: boxing it would cost an allocation per line for nothing.
#[allow(clippy::large_enum_variant)]
enum Prepared {
    Line(u64, PreparedLine),
    TooLong(u64, u64),
    Torn(u64, u64),
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
    let chunk_lines = chunk_lines.max(1);
    let mut v = Verifier::new(options);
    let mut scan = store.scan()?;
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
            .is_none_or(|c| c.is_stale(&v) && since_context >= c.keys());
        if stale {
            if context.is_none() {
                // Nothing to check signatures against yet (the pending chunk holds the
                // genesis): take the pending lines first.
                push_chunk(&mut v, &mut pending);
            }
            context = v.signature_context().map(Arc::new);
            since_context = 0;
        }
        since_context += chunk.len();
        let ctx = context.as_deref();
        let ((), prepared) = rayon::join(
            || push_chunk(&mut v, &mut pending),
            || prepare_chunk(chunk, ctx),
        );
        pending = prepared;
    }
    push_chunk(&mut v, &mut pending);
    Ok(v.finish())
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
            ScanItem::Torn(t) => v.push_torn_tail(t.offset, t.len),
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
    /// Every line was replayed (no usable state file, or a store without one).
    Replayed,
    /// From the state file, replaying only the `lines` appended after the length it covers.
    Resumed {
        /// Lines read and replayed after the covered length.
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
            ScanItem::Torn(t) => Prepared::Torn(t.offset, t.len),
        })
        .collect()
}

fn push_chunk(v: &mut Verifier, chunk: &mut Vec<Prepared>) {
    for item in chunk.drain(..) {
        match item {
            Prepared::Line(offset, line) => v.push_prepared(offset, line),
            Prepared::TooLong(offset, len) => v.push_too_long(offset, len),
            Prepared::Torn(offset, len) => v.push_torn_tail(offset, len),
        }
    }
}

/// A log open for appending.
#[derive(Debug)]
pub struct LogWriter<S: Store> {
    store: S,
    // Replays without signature checks (the writer trusts what it wrote, under its lock) but
    // with every other rule: seq, prev, time, keyring, roles.
    state: Verifier,
    pub(crate) end_offset: u64,
    /// The offset of the log's last line.
    pub(crate) head_offset: u64,
    /// The RFC 6962 tree over the log's lines, computed from the lines themselves.
    frontier: Frontier,
    /// The stored tree hashes beside a file log (`None` for other stores, or after a failed
    /// write to it: the next open rebuilds it).
    tree: Option<TreeFile>,
    /// The state file beside a file log (`None` for other stores).
    state_path: Option<PathBuf>,
    /// When the state file was last written, and whether lines were appended since.
    state_saved: StateSaved,
    opened: Opened,
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

/// What a resumed open found: the writer's state after the log's last line.
struct Resumed {
    state: Verifier,
    frontier: Frontier,
    end_offset: u64,
    head_offset: u64,
    lines: u64,
}

/// The first timestamp at or after both `now` and the log's last `recorded_at`, so that
/// `recorded_at` never goes backwards even if the clock does.
fn timestamp(chain: &Chain, now: chrono::DateTime<chrono::Utc>) -> String {
    let t = chain.last_recorded_at().map_or(now, |last| last.max(now));
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn replay_options() -> VerifyOptions {
    VerifyOptions {
        check_signatures: false,
        ..VerifyOptions::default()
    }
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
        let mut state = Verifier::new(replay_options());
        state.push_line(0, &line);
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
            state_path: Some(state_path),
            state_saved: StateSaved::now(),
            opened: Opened::Created,
        };
        // A state file left by an earlier log of the same name names another head, so it
        // would not be used; replace it, or remove it if that fails.
        if !writer.write_state()
            && let Some(p) = &writer.state_path
        {
            state_file::remove(p);
        }
        Ok(writer)
    }

    /// Opens the log at `path` for appending: takes the writer lock and refuses a torn tail
    /// (including an incomplete batch); then learns the head, keyring and tree from the state
    /// file beside the log (`LOG.state`) if it still matches the log's tail, replaying only
    /// the lines appended after it, and otherwise replays the whole log (and rewrites the
    /// state file). See the [module documentation](self) for the exact checks.
    /// The tree file is brought up to date with the log (rebuilt if it disagrees).
    pub fn open(path: impl AsRef<Path>) -> Result<Self, LogError> {
        let store = FileStore::open_writer(path.as_ref())?;
        let tree = TreeFile::open_writer(&TreeFile::path_for(path.as_ref()))?;
        LogWriter::open_parts(store, Some(tree), Some(state_file::path_for(path.as_ref())))
    }

    /// Like [`LogWriter::open`], but always replays the whole log, ignoring the state file
    /// (which it then rewrites): for a signer that must compute the tree root from the log's
    /// lines themselves, such as `acta checkpoint`, rather than from derived files.
    pub fn open_replaying(path: impl AsRef<Path>) -> Result<Self, LogError> {
        let store = FileStore::open_writer(path.as_ref())?;
        let tree = TreeFile::open_writer(&TreeFile::path_for(path.as_ref()))?;
        let mut writer = LogWriter::replay(store, Some(tree))?;
        writer.state_path = Some(state_file::path_for(path.as_ref()));
        writer.write_state();
        Ok(writer)
    }
}

/// Appends buffered tree hashes in chunks, so a rebuild needs bounded memory.
const TREE_FLUSH: usize = 1 << 16;

impl<S: Store> LogWriter<S> {
    /// Wraps a store open for writing, replaying it to learn its state (no state file).
    pub fn from_store(store: S) -> Result<Self, LogError> {
        LogWriter::open_parts(store, None, None)
    }

    /// Opens a writer on `store` with its tree file and state file, if any: resumes from the
    /// state file if it matches the store, and otherwise replays the store in full.
    pub(crate) fn open_parts(
        store: S,
        mut tree: Option<TreeFile>,
        state_path: Option<PathBuf>,
    ) -> Result<Self, LogError> {
        let saved = state_path.as_deref().and_then(state_file::read);
        if let Some(saved) = saved
            && let Some(r) = resume(&store, tree.as_mut(), saved)?
        {
            let writer = LogWriter {
                store,
                state: r.state,
                end_offset: r.end_offset,
                head_offset: r.head_offset,
                frontier: r.frontier,
                tree,
                state_path,
                state_saved: StateSaved::now(),
                opened: Opened::Resumed { lines: r.lines },
            };
            if r.lines > 0 {
                writer.write_state();
            }
            return Ok(writer);
        }
        let mut writer = LogWriter::replay(store, tree)?;
        writer.state_path = state_path;
        writer.write_state();
        Ok(writer)
    }

    /// Rewrites the state file now (if this writer keeps one), so that the next open finds it
    /// up to date with the log. Appends do this at most every [`STATE_SAVE_INTERVAL`], and
    /// dropping the writer does it; call this to bound what a crash could leave behind at a
    /// point of your choosing. Returns whether the file was written; a failure is not an error
    /// (the next open replays the lines the file does not cover).
    pub fn save_state(&mut self) -> bool {
        let written = self.write_state();
        self.state_saved = StateSaved {
            at: Instant::now(),
            behind: !written && self.state_path.is_some(),
        };
        written
    }

    /// Writes the state file (if this writer keeps one) for the log as it is now. Returns
    /// whether it was written; a failure is not an error (the next open replays instead).
    fn write_state(&self) -> bool {
        let Some(path) = &self.state_path else {
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
        state_file::write(path, &saved).is_ok()
    }

    /// How this writer learned the log's state.
    pub fn opened(&self) -> Opened {
        self.opened
    }

    fn replay(store: S, mut tree: Option<TreeFile>) -> Result<Self, LogError> {
        let mut state = Verifier::new(replay_options());
        let mut end_offset = 0;
        let mut head_offset = 0;
        let mut frontier = Frontier::new();
        // Leaves the tree file already holds; their hashes are checked below, the rest added.
        let mut tree_leaves = 0;
        if let Some(t) = &mut tree {
            tree_leaves = t.leaves();
            t.truncate(stored_hash_count(tree_leaves))?;
        }
        let mut pending = Vec::new();
        for item in store.scan()? {
            match item? {
                ScanItem::Line(line) => {
                    end_offset = line.offset + line.bytes.len() as u64 + 1;
                    head_offset = line.offset;
                    state.push_line(line.offset, &line.bytes);
                    let added = frontier.push(acta_core::EntryHash::of_line(&line.bytes));
                    if frontier.size() > tree_leaves {
                        pending.extend(added);
                    }
                    if pending.len() >= TREE_FLUSH
                        && let Some(t) = &mut tree
                    {
                        t.append(&pending)?;
                        pending.clear();
                    }
                }
                ScanItem::TooLong { offset, len } => {
                    end_offset = offset + len + 1;
                    state.push_too_long(offset, len);
                }
                ScanItem::Torn(t) => state.push_torn_tail(t.offset, t.len),
            }
        }
        if end_offset == 0 {
            return Err(LogError::Empty);
        }
        if let Some(first) = state.findings().first() {
            return Err(LogError::Unsound {
                first: Box::new(first.clone()),
                total: state.findings().len(),
            });
        }
        if let Some(t) = &mut tree {
            t.append(&pending)?;
            if tree_leaves > frontier.size() {
                t.truncate(stored_hash_count(frontier.size()))?;
            }
            // The right edge of the stored tree must be the tree of the log's lines; if it is
            // not, the file was damaged: rebuild it from the log.
            if t.read_hashes(&frontier.stored_indexes())? != frontier.subtrees() {
                rebuild_tree(&store, t)?;
            }
        }
        Ok(LogWriter {
            store,
            state,
            end_offset,
            head_offset,
            frontier,
            tree,
            state_path: None,
            state_saved: StateSaved::now(),
            opened: Opened::Replayed,
        })
    }

    /// The RFC 6962 tree of the log's lines (computed from the lines, not from the tree file).
    pub fn frontier(&self) -> &Frontier {
        &self.frontier
    }

    /// The stored tree hashes, for proofs (file logs only).
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

    /// Appends one entry signed by `key`. Durable when it returns `Ok`.
    pub fn append(
        &mut self,
        key: &SigningKey,
        entry_type: &str,
        data: &Object,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Head, LogError> {
        self.append_batch(key, &[(entry_type, data)], now)
    }

    /// Appends many entries, each signed by `key`, with one durable write (group commit).
    /// All or nothing: if any entry is refused, nothing is written. Returns the new head.
    pub fn append_batch(
        &mut self,
        key: &SigningKey,
        items: &[(&str, &Object)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Head, LogError> {
        let author = key.key_ref();
        match self.chain().keyring().get(&author) {
            Some(rec) if rec.key == key.verifier() => {}
            _ => return Err(LogError::KeyNotInLog { key: author }),
        }
        let origin = self.chain().origin().unwrap_or_default().to_owned();
        let chain = self.chain();
        // Every entry of the batch gets the same time: the first at or after both `now` and
        // the log's last `recorded_at` (which, after the first entry, is this time).
        let build = Build {
            key,
            origin: &origin,
            items,
            recorded_at: timestamp(chain, now),
            first_seq: chain.next_seq(),
            first_prev: chain.next_prev(),
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
                let built = build.run(|b| {
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
                let built = build.run(|b| check.push(b));
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
            added.extend(self.frontier.push(hash));
        }
        if let Some(t) = &mut self.tree
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
    recorded_at: String,
    first_seq: u64,
    first_prev: EntryHash,
}

impl Build<'_> {
    /// Hands each signed line to `sink` until `sink` returns false (the checker refused one)
    /// or an entry cannot be built (its error is returned).
    fn run(&self, mut sink: impl FnMut(Built) -> bool) -> Result<(), LogError> {
        let mut prev = self.first_prev;
        for (index, (entry_type, data)) in self.items.iter().enumerate() {
            if *entry_type == GENESIS_TYPE {
                return Err(LogError::GenesisType((*entry_type).to_owned()));
            }
            let seq = self.first_seq + index as u64;
            let line = NewEntry {
                seq,
                prev,
                recorded_at: &self.recorded_at,
                entry_type,
                data,
            }
            .sign(self.origin, self.key)
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

/// Resumes from a saved state if it still describes `store` (see the module documentation):
/// `Ok(None)` means "replay in full". Reads only the line at the saved head and the lines
/// after it. Errors are those of the tree file, which a full replay would meet as well.
fn resume<S: Store + ?Sized>(
    store: &S,
    mut tree: Option<&mut TreeFile>,
    saved: SavedState<'static>,
) -> Result<Option<Resumed>, LogError> {
    // Any store error here also sends the writer to the full replay, which reports it.
    let Ok(mut scan) = store.scan_from(saved.head_offset) else {
        return Ok(None);
    };
    match scan.next() {
        Some(Ok(ScanItem::Line(line)))
            if line.offset == saved.head_offset
                && line.offset + line.bytes.len() as u64 + 1 == saved.log_len
                && EntryHash::of_line(&line.bytes) == saved.head => {}
        _ => return Ok(None),
    }
    // The tree file must already hold the covered lines' hashes (the state does not have
    // them); if it is behind, the full replay rebuilds it.
    let tree_leaves = match &tree {
        Some(t) if t.leaves() < saved.entries => return Ok(None),
        Some(t) => t.leaves(),
        None => 0,
    };
    let frontier = saved.frontier.into_owned();
    let Ok(mut state) = Verifier::resume(
        replay_options(),
        saved.chain.into_owned(),
        frontier.clone(),
        saved.log_len,
    ) else {
        return Ok(None);
    };
    let mut frontier = frontier;
    if let Some(t) = tree.as_deref_mut() {
        t.truncate(stored_hash_count(tree_leaves))?;
    }
    let (mut end_offset, mut head_offset, mut lines) = (saved.log_len, saved.head_offset, 0);
    let mut pending = Vec::new();
    for item in scan {
        // An over-long line, a torn tail or a read error: the full replay reports it.
        let Ok(ScanItem::Line(line)) = item else {
            return Ok(None);
        };
        if line.offset != end_offset {
            return Ok(None);
        }
        state.push_line(line.offset, &line.bytes);
        if !state.findings().is_empty() {
            // The full replay reports it, counting every finding exactly as before.
            return Ok(None);
        }
        head_offset = line.offset;
        end_offset = line.offset + line.bytes.len() as u64 + 1;
        lines += 1;
        let added = frontier.push(EntryHash::of_line(&line.bytes));
        if frontier.size() > tree_leaves {
            pending.extend(added);
        }
        if pending.len() >= TREE_FLUSH
            && let Some(t) = tree.as_deref_mut()
        {
            t.append(&pending)?;
            pending.clear();
        }
    }
    if let Some(t) = tree {
        t.append(&pending)?;
        if tree_leaves > frontier.size() {
            t.truncate(stored_hash_count(frontier.size()))?;
        }
        // The tree file and the state are both derived from the lines; if they disagree,
        // neither is trusted: the full replay recomputes the tree from the lines.
        if t.read_hashes(&frontier.stored_indexes())? != frontier.subtrees() {
            return Ok(None);
        }
    }
    Ok(Some(Resumed {
        state,
        frontier,
        end_offset,
        head_offset,
        lines,
    }))
}

/// Rebuilds a tree file from scratch from the log's lines (streaming).
pub fn rebuild_tree<S: Store + ?Sized>(store: &S, tree: &mut TreeFile) -> Result<(), StoreError> {
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
            ScanItem::TooLong { .. } | ScanItem::Torn(_) => break,
        }
    }
    tree.append(&pending)?;
    tree.sync()
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
        let w = LogWriter::open(&path)?;
        assert_eq!(w.frontier().root(), mem.root());
        Ok(())
    }

    #[test]
    fn a_missing_short_or_damaged_tree_file_is_rebuilt_on_open()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("t.log");
        make_log(&path, 21)?;
        let good = expected_tree(&path).stored_hashes().to_vec();
        let tree_path = TreeFile::path_for(&path);

        std::fs::remove_file(&tree_path)?;
        drop(LogWriter::open(&path)?);
        assert_eq!(stored(&path), good, "missing");

        let bytes = std::fs::read(&tree_path)?;
        std::fs::write(&tree_path, &bytes[..bytes.len() - 70])?;
        drop(LogWriter::open(&path)?);
        assert_eq!(stored(&path), good, "short, with a torn hash");

        let mut damaged = std::fs::read(&tree_path)?;
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        std::fs::write(&tree_path, &damaged)?;
        drop(LogWriter::open(&path)?);
        assert_eq!(stored(&path), good, "damaged right edge");

        let mut longer = std::fs::read(&tree_path)?;
        longer.extend_from_slice(&[7; 64]);
        std::fs::write(&tree_path, &longer)?;
        drop(LogWriter::open(&path)?);
        assert_eq!(stored(&path), good, "longer than the log");
        Ok(())
    }
}
