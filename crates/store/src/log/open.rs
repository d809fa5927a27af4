//! Opening a writer: creating a log, the verified replay or the resume from the state file,
//! and bringing the files derived from the log up to date.

use super::pipeline::{Prepared, push_in_chunks};
use super::repair::rebuild_tree_frontier;
use super::*;

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
    /// [module documentation](crate::log) for the exact checks. The open writes nothing beside the
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
    pub(super) fn first_append_saves(&mut self, state_stale: bool) -> bool {
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
