//! Appending: the append check, signing, checking and writing a batch or a stream.

use super::*;

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

impl<S: Store> LogWriter<S> {
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
}

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

/// Test-only switches.
#[cfg(test)]
pub(crate) mod tests_hooks {
    thread_local! {
        /// Makes [`super::spawn_checker`] fail on this thread, as at a process's thread limit.
        pub(crate) static SPAWN_FAILS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
}
