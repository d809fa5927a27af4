//! Tests of the writer's state file (`LOG.state`) and of [`Store::scan_from`]: opening a log
//! for append reads only its tail, and whatever the state file says, the writer ends up with
//! exactly the state a full replay gives, or refuses exactly what a full replay refuses.

use std::cell::Cell;
use std::error::Error;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use acta_core::json::{Number, Object, Value};
use acta_core::keyring::{key_add_data, key_revoke_data};
use acta_core::tree::Frontier;
use acta_core::{Chain, Genesis, Roles, SigningKey, VerifyOptions};
use proptest::prelude::*;

use crate::append_check::Unchecked;
use crate::log::{Expect, LogError};
use crate::mac::MacKey;
use crate::state_file::{self, SavedState};
use crate::{
    AppendReceipt, FileStore, LogWriter, Opened, Scan, ScanItem, Store, StoreError, StoredLine,
    TreeFile, repair, verify,
};

type TestResult = Result<(), Box<dyn Error>>;

fn key() -> SigningKey {
    SigningKey::from_seed("test-only-state", [7; 32]).expect("valid name")
}

fn other_key() -> SigningKey {
    SigningKey::from_seed("test-only-state-2", [8; 32]).expect("valid name")
}

/// The MAC key of [`key`]'s state files.
fn mac() -> MacKey {
    MacKey::derive(&key(), state_file::MAC_CONTEXT)
}

/// Opens `store` as `LogWriter::open` does, with the tree file of `path` if `tree`, and the
/// state file `state` (MAC'd by [`key`]) if any.
fn open_parts<S: Store>(
    store: S,
    path: &Path,
    tree: bool,
    state: Option<std::path::PathBuf>,
) -> Result<LogWriter<S>, LogError> {
    LogWriter::open_parts(
        store,
        tree.then(|| TreeFile::path_for(path)),
        state.map(|p| (p, mac())),
        &Expect::default(),
        false,
    )
}

fn at(second: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_764_147_600 + second, 0).unwrap_or_default()
}

fn note(i: u64) -> Object {
    let mut data = Object::new();
    data.insert("i", Value::Number(Number::Int(i as i64)));
    data
}

/// The domain of the test logs: their entries are written without rules
/// ([`Unchecked`]).
const DOMAIN: &str = "state-test/v1";

/// A log of a genesis and `n` notes, all recorded at `at(second)`.
fn make_log(path: &Path, n: u64, second: i64) -> Result<(), LogError> {
    let key = key();
    let genesis = Genesis {
        origin: "example.org/state-test".into(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: Some(DOMAIN.into()),
    };
    let mut w = LogWriter::create(path, &genesis, &key, at(second))?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    for i in 0..n {
        w.append(&key, "test.note", &note(i), at(second))?;
    }
    Ok(())
}

/// What a writer knows, for comparisons.
#[derive(Debug, PartialEq)]
struct Known {
    chain: Chain,
    frontier: Frontier,
    end: u64,
    head_offset: u64,
}

fn known<S: Store>(w: &LogWriter<S>) -> Known {
    Known {
        chain: w.chain().clone(),
        frontier: w.frontier().clone(),
        end: w.end_offset,
        head_offset: w.head_offset,
    }
}

/// What a full replay of the log at `path` gives (read-only: no tree or state file is used).
fn replayed(path: &Path) -> Result<Known, Box<dyn Error>> {
    let w = LogWriter::from_store(FileStore::open_reader(path)?)?;
    assert_eq!(w.opened(), Opened::Replayed);
    Ok(known(&w))
}

/// Opens the log at `path` for appending and saves the derived files, as a command that
/// succeeds does (an open alone writes nothing beside the log): how the writer learned the
/// state, and what it knows.
fn open(path: &Path) -> Result<(Opened, Known), LogError> {
    let mut w = LogWriter::open(path, &key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    let opened = (w.opened(), known(&w));
    w.save_derived()?;
    Ok(opened)
}

fn state_path(log: &Path) -> std::path::PathBuf {
    state_file::path_for(log)
}

/// The tree file is the stored layout of the log's lines.
fn assert_tree_matches(path: &Path) -> TestResult {
    let bytes = fs::read(path)?;
    let mem = acta_core::tree::MemoryTree::from_leaves(
        bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(acta_core::EntryHash::of_line),
    );
    let stored = fs::read(TreeFile::path_for(path))?;
    assert!(
        stored
            .chunks(32)
            .eq(mem.stored_hashes().iter().map(|h| &h[..])),
        "the tree file is not the tree of the log's lines"
    );
    Ok(())
}

/// A [`Store`] that counts the bytes of the lines it hands out.
struct Counting<S> {
    inner: S,
    bytes: Cell<u64>,
}

impl<S: Store> Counting<S> {
    fn count<'a>(&'a self, scan: Scan<'a>) -> Scan<'a> {
        Scan::new(scan.inspect(|item| {
            if let Ok(ScanItem::Line(line)) = item {
                self.bytes
                    .set(self.bytes.get() + line.bytes.len() as u64 + 1);
            }
        }))
    }
}

impl<S: Store> Store for Counting<S> {
    fn scan(&self) -> Result<Scan<'_>, StoreError> {
        Ok(self.count(self.inner.scan()?))
    }
    fn scan_from(&self, offset: u64) -> Result<Scan<'_>, StoreError> {
        Ok(self.count(self.inner.scan_from(offset)?))
    }
    fn last_line(&self) -> Result<Option<StoredLine>, StoreError> {
        self.inner.last_line()
    }
    fn append(&mut self, lines: &[&[u8]]) -> Result<AppendReceipt, StoreError> {
        self.inner.append(lines)
    }
}

/// A [`Store`] with the default `scan_from` (scan everything, skip), for comparisons.
struct DefaultScanFrom<'a>(&'a FileStore);

impl Store for DefaultScanFrom<'_> {
    fn scan(&self) -> Result<Scan<'_>, StoreError> {
        self.0.scan()
    }
    fn last_line(&self) -> Result<Option<StoredLine>, StoreError> {
        self.0.last_line()
    }
    fn append(&mut self, _lines: &[&[u8]]) -> Result<AppendReceipt, StoreError> {
        Err(StoreError::EmptyLine { index: 0 })
    }
}

fn append_raw(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    OpenOptions::new().append(true).open(path)?.write_all(bytes)
}

// ---------------------------------------------------------------------------------------------
// The state is used, and only the tail is read

#[test]
fn open_reads_only_the_head_line_when_the_state_is_current() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 200, 0)?;
    let log_len = fs::metadata(&path)?.len();
    assert!(state_path(&path).is_file(), "the writer keeps a state file");

    let open_counting = |state: Option<std::path::PathBuf>| -> Result<(Opened, u64), LogError> {
        let store = Counting {
            inner: FileStore::open_writer(&path)?,
            bytes: Cell::new(0),
        };
        let w = open_parts(store, &path, true, state)?;
        Ok((w.opened(), w.store().bytes.get()))
    };
    let (how, read) = open_counting(Some(state_path(&path)))?;
    assert_eq!(how, Opened::Resumed { lines: 0 });
    let last = FileStore::open_reader(&path)?
        .last_line()?
        .map(|l| l.bytes.len() as u64 + 1);
    assert_eq!(Some(read), last, "only the head line is read");
    // Without the state file, the whole log.
    let (how, read) = open_counting(None)?;
    assert_eq!(how, Opened::Replayed);
    assert_eq!(read, log_len);
    Ok(())
}

/// The writer trusts the lines before the covered length (its own file, under its lock), as
/// it trusts their signatures: an early line altered in place is not read on open, so the
/// append goes ahead, and `verify` reports the damage.
#[test]
fn an_early_line_altered_after_the_state_was_written_is_not_read_on_open() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 20, 0)?;
    let mut bytes = fs::read(&path)?;
    // Line 2 is `{"author":…,"data":{"i":1},…}`: make it `"i":7` (same length).
    let line2 = bytes
        .split(|&b| b == b'\n')
        .take(2)
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let at_i = line2
        + bytes[line2..]
            .windows(4)
            .position(|w| w == b"\"i\":")
            .ok_or("no data.i")?
        + 4;
    assert_eq!(bytes[at_i], b'1');
    bytes[at_i] = b'7';
    fs::write(&path, &bytes)?;

    let mut w = LogWriter::open(&path, &self::key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    assert_eq!(w.opened(), Opened::Resumed { lines: 0 });
    w.append(&key(), "test.note", &note(99), at(0))?;
    drop(w);

    let report = verify(&FileStore::open_reader(&path)?, VerifyOptions::default())?;
    assert!(!report.is_consistent());
    assert_eq!(report.findings.first().map(|f| f.entry), Some(2));
    // Without the state, the writer verifies every line and refuses: the altered line's
    // signature no longer verifies.
    fs::remove_file(state_path(&path))?;
    assert!(matches!(
        LogWriter::open(&path, &self::key()),
        Err(LogError::Unsound { first, .. })
            if first.entry == 2 && matches!(first.kind, acta_core::FindingKind::BadSignature { .. })
    ));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Stale and missing states

#[test]
fn a_stale_state_replays_only_the_new_lines_and_equals_a_full_replay() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 10, 0)?;
    let old_state = fs::read(state_path(&path))?;
    // More lines, including keyring changes, then the state as it was before them (a writer
    // that died after its append but before rewriting the state).
    let (key, key2) = (key(), other_key());
    let mut w = LogWriter::open(&path, &self::key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    w.append(
        &key,
        "acta.key.add",
        &key_add_data(&key2.verifier(), &Roles::all()),
        at(1),
    )?;
    w.append(&key2, "test.note", &note(100), at(2))?;
    w.append(
        &key2,
        "acta.key.revoke",
        &key_revoke_data(&key.key_ref(), None),
        at(3),
    )?;
    let items: Vec<(&str, Object)> = (0..5).map(|i| ("test.batch", note(i))).collect();
    let items: Vec<(&str, &Object)> = items.iter().map(|(t, d)| (*t, d)).collect();
    w.append_batch(&key2, &items, at(4))?;
    drop(w);
    fs::write(state_path(&path), &old_state)?;

    let (how, got) = open(&path)?;
    assert_eq!(how, Opened::Resumed { lines: 8 });
    assert_eq!(got, replayed(&path)?);
    assert!(
        got.chain
            .keyring()
            .get(&key.key_ref())
            .is_some_and(|r| r.revoked_at == Some(13))
    );
    // The state was brought up to date.
    assert_eq!(open(&path)?.0, Opened::Resumed { lines: 0 });
    assert_tree_matches(&path)?;

    // The revoked key may not append, whichever way the writer learned the keyring.
    fs::write(state_path(&path), &old_state)?;
    let mut w = LogWriter::open(&path, &self::key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    assert!(matches!(
        w.append(&key, "test.note", &note(1), at(5)),
        Err(LogError::Refused { .. })
    ));
    Ok(())
}

/// Appends do not rewrite the state file each time: it is brought up to date when the writer
/// is dropped or asked to.
#[test]
fn appends_leave_the_state_file_to_save_state_and_drop() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 3, 0)?;
    let saved = fs::read(state_path(&path))?;
    let key = key();

    let mut w = LogWriter::open(&path, &self::key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    assert_eq!(w.opened(), Opened::Resumed { lines: 0 });
    w.append(&key, "test.note", &note(10), at(1))?;
    w.append(&key, "test.note", &note(11), at(1))?;
    // Within the save interval of the open, appends leave the file as it was.
    assert_eq!(
        fs::read(state_path(&path))?,
        saved,
        "rewritten by an append"
    );
    assert!(w.save_state());
    let after_save = fs::read(state_path(&path))?;
    assert_ne!(after_save, saved);
    w.append(&key, "test.note", &note(12), at(1))?;
    assert_eq!(fs::read(state_path(&path))?, after_save);
    drop(w);
    assert_eq!(
        open(&path)?.0,
        Opened::Resumed { lines: 0 },
        "saved on drop"
    );

    Ok(())
}

/// A writer that dies between two saves (SIGKILL: its `Drop` never runs) leaves a state that
/// is behind the log; the next writer catches it up by replaying only the lines it does not
/// cover. (The crash test kills real processes; here the stale state is put back by hand.)
#[test]
fn a_state_left_behind_by_a_dead_writer_is_caught_up_on_open() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 3, 0)?;
    let stale = fs::read(state_path(&path))?;
    let key = key();
    let mut w = LogWriter::open(&path, &self::key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    for i in 0..6 {
        w.append(&key, "test.note", &note(30 + i), at(3))?;
    }
    assert_eq!(
        fs::read(state_path(&path))?,
        stale,
        "not rewritten per append"
    );
    drop(w);
    // As if the writer had died before its drop: put the stale state back.
    fs::write(state_path(&path), &stale)?;
    let (how, got) = open(&path)?;
    assert_eq!(how, Opened::Resumed { lines: 6 });
    assert_eq!(got, replayed(&path)?);
    assert_eq!(open(&path)?.0, Opened::Resumed { lines: 0 });
    assert_tree_matches(&path)?;
    Ok(())
}

/// A batch gives byte for byte the lines of the same entries appended one by one, except that
/// each but its last has `more` (the number of the batch's entries after it, so the chain of
/// hashes differs from there on), whether it is signed and checked on one thread (small
/// batches) or two (from `PIPELINE_MIN`).
#[test]
fn a_batch_writes_the_lines_of_single_appends_on_both_paths() -> TestResult {
    let dir = tempfile::tempdir()?;
    let key = key();
    for n in [3u64, 31, 32, 33, 700] {
        let (one, batch) = (
            dir.path().join(format!("one-{n}.log")),
            dir.path().join(format!("batch-{n}.log")),
        );
        make_log(&one, 2, 0)?;
        make_log(&batch, 2, 0)?;
        let data: Vec<Object> = (0..n).map(note).collect();
        let mut w = LogWriter::open(&one, &self::key())?;
        w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
        for d in &data {
            w.append(&key, "test.batch", d, at(7))?;
        }
        drop(w);
        let items: Vec<(&str, &Object)> = data.iter().map(|d| ("test.batch", d)).collect();
        let mut w = LogWriter::open(&batch, &self::key())?;
        w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
        let head = w.append_batch(&key, &items, at(7))?;
        assert_eq!(head.seq, 2 + n);
        let got = known(&w);
        drop(w); // release the lock before reading
        assert_eq!(got, replayed(&batch)?, "n = {n}");
        // The single appends' lines, each signed again with the `more` a batch of n gives it
        // and linked to the line before: what the batch must hold, byte for byte.
        let singles = fs::read(&one)?;
        let singles: Vec<&[u8]> = singles
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        let origin = got.chain.origin().unwrap_or_default().to_owned();
        // make_log(_, 2, _): a genesis and two notes before the batch.
        let mut expected: Vec<Vec<u8>> = singles[..3].iter().map(|l| l.to_vec()).collect();
        assert_eq!(singles.len() as u64, 3 + n);
        for (i, line) in singles[3..].iter().enumerate() {
            let e = acta_core::Entry::decode(line)?.entry;
            assert_eq!(e.more, None, "a single append has no `more`");
            let prev = acta_core::EntryHash::of_line(&expected[expected.len() - 1]);
            let again = acta_core::NewEntry {
                seq: e.seq,
                prev,
                recorded_at: &e.recorded_at,
                entry_type: &e.entry_type,
                data: &e.data,
            }
            .sign_with_more(&origin, &key, n - 1 - i as u64)?;
            expected.push(again);
        }
        let mut want = expected.join(&b'\n');
        want.push(b'\n');
        assert_eq!(fs::read(&batch)?, want, "n = {n}");
        assert_tree_matches(&batch)?;
    }
    Ok(())
}

/// All or nothing, on both paths: the error is the first problem in item order (a refusal by
/// the verifier's rules, or an entry that cannot be built), and nothing is written.
#[test]
fn a_refused_batch_writes_nothing_and_names_its_first_problem_on_both_paths() -> TestResult {
    let dir = tempfile::tempdir()?;
    let key = key();
    let good = note(1);
    // A key addition whose data is not a key: the verifier refuses it.
    let not_a_key = note(2);
    for n in [10usize, 40, 300] {
        let path = dir.path().join(format!("r-{n}.log"));
        make_log(&path, 2, 0)?;
        let before = fs::read(&path)?;
        let mut w = LogWriter::open(&path, &self::key())?;
        w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
        let at_index = |refuse: Option<usize>, bad_type: Option<usize>| -> Vec<(&str, &Object)> {
            (0..n)
                .map(|i| {
                    if Some(i) == refuse {
                        ("acta.key.add", &not_a_key)
                    } else if Some(i) == bad_type {
                        ("Not A Type", &good)
                    } else {
                        ("test.batch", &good)
                    }
                })
                .collect()
        };
        let (r, b) = (n / 2, n / 2 + 3);
        let refused = w.append_batch(&key, &at_index(Some(r), None), at(1));
        assert!(
            matches!(refused, Err(LogError::Refused { index, seq, .. }) if index == r && seq == 3 + r as u64),
            "n = {n}: {refused:?}"
        );
        let build = w.append_batch(&key, &at_index(None, Some(b)), at(1));
        assert!(
            matches!(build, Err(LogError::Build { index, .. }) if index == b),
            "n = {n}: {build:?}"
        );
        // Both problems: the earlier one is reported, whichever kind.
        let first = w.append_batch(&key, &at_index(Some(r), Some(b)), at(1));
        assert!(
            matches!(first, Err(LogError::Refused { index, .. }) if index == r),
            "{first:?}"
        );
        let first = w.append_batch(&key, &at_index(Some(b), Some(r)), at(1));
        assert!(
            matches!(first, Err(LogError::Build { index, .. }) if index == r),
            "{first:?}"
        );
        assert_eq!(
            fs::read(&path)?,
            before,
            "n = {n}: a refused batch wrote something"
        );
        // The writer is unchanged and goes on appending.
        let head = w.append_batch(&key, &at_index(None, None), at(1))?;
        assert_eq!(head.seq, 2 + n as u64);
        let got = known(&w);
        drop(w);
        assert_eq!(got, replayed(&path)?);
    }
    Ok(())
}

/// The other build errors in the middle of a pipelined batch: the genesis type and an entry
/// over the size limit; nothing written, the index named.
#[test]
fn build_errors_mid_batch_on_the_two_thread_path_write_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("b.log");
    make_log(&path, 2, 0)?;
    let before = fs::read(&path)?;
    let key = key();
    let good = note(1);
    let mut huge = Object::new();
    huge.insert(
        "blob",
        Value::String("x".repeat(acta_core::MAX_ENTRY_BYTES)),
    );
    let mut w = LogWriter::open(&path, &self::key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    let mut items: Vec<(&str, &Object)> = vec![("test.batch", &good); 100];
    items[57] = (acta_core::keyring::GENESIS_TYPE, &good);
    let err = w.append_batch(&key, &items, at(1));
    assert!(matches!(err, Err(LogError::GenesisType(_))), "{err:?}");
    items[57] = ("test.batch", &huge);
    let err = w.append_batch(&key, &items, at(1));
    assert!(
        matches!(
            err,
            Err(LogError::Build {
                index: 57,
                source: acta_core::entry::BuildError::TooLarge { .. }
            })
        ),
        "{err:?}"
    );
    drop(w);
    assert_eq!(fs::read(&path)?, before);
    Ok(())
}

/// A process that cannot start a thread still appends its batch (checked on the calling
/// thread), with the same lines and the same refusals.
#[test]
fn a_batch_is_checked_on_the_calling_thread_when_no_thread_can_be_started() -> TestResult {
    let dir = tempfile::tempdir()?;
    let key = key();
    let data: Vec<Object> = (0..200).map(note).collect();
    let items: Vec<(&str, &Object)> = data.iter().map(|d| ("test.batch", d)).collect();
    let mut logs = Vec::new();
    for fails in [false, true] {
        let path = dir.path().join(format!("t-{fails}.log"));
        make_log(&path, 2, 0)?;
        crate::log::tests_hooks::SPAWN_FAILS.with(|f| f.set(fails));
        let mut w = LogWriter::open(&path, &self::key())?;
        w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
        let mut refused = items.clone();
        let not_a_key = note(2);
        refused[150] = ("acta.key.add", &not_a_key);
        let err = w.append_batch(&key, &refused, at(1));
        assert!(
            matches!(err, Err(LogError::Refused { index: 150, .. })),
            "{err:?}"
        );
        let head = w.append_batch(&key, &items, at(1));
        crate::log::tests_hooks::SPAWN_FAILS.with(|f| f.set(false));
        assert_eq!(head?.seq, 202);
        drop(w);
        logs.push(fs::read(&path)?);
    }
    assert_eq!(logs[0], logs[1]);
    Ok(())
}

#[test]
fn a_missing_state_is_a_full_replay_and_is_written_again() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 12, 0)?;
    let state = fs::read(state_path(&path))?;
    fs::remove_file(state_path(&path))?;
    let (how, got) = open(&path)?;
    assert_eq!(how, Opened::Replayed);
    assert_eq!(got, replayed(&path)?);
    assert_eq!(
        fs::read(state_path(&path))?,
        state,
        "the same state, byte for byte"
    );
    assert_eq!(open(&path)?.0, Opened::Resumed { lines: 0 });
    // A signer of checkpoints replays whatever the state file says.
    let w = LogWriter::open_replaying(&path, &key(), &Expect::default())?;
    assert_eq!((w.opened(), known(&w)), (Opened::Replayed, got));
    drop(w);
    assert_eq!(fs::read(state_path(&path))?, state);
    Ok(())
}

/// Lines after the covered length that a full replay refuses are refused the same way.
#[test]
fn a_bad_line_after_the_covered_length_is_refused_as_by_a_full_replay() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 5, 0)?;
    let old_state = fs::read(state_path(&path))?;
    let mut w = LogWriter::open(&path, &self::key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    w.append(&key(), "test.note", &note(50), at(0))?;
    drop(w);
    // The same entry again: a seq and prev mismatch.
    let last = FileStore::open_reader(&path)?
        .last_line()?
        .ok_or("no line")?
        .bytes;
    append_raw(&path, &[last.as_slice(), b"\n"].concat())?;
    fs::write(state_path(&path), &old_state)?;
    let with_state = LogWriter::open(&path, &self::key())
        .map(|_| ())
        .map_err(|e| e.to_string());
    fs::remove_file(state_path(&path))?;
    let without = LogWriter::open(&path, &self::key())
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert!(with_state.is_err());
    assert_eq!(with_state, without);
    // A refused open leaves no state that covers the bad line.
    assert!(!state_path(&path).exists());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// A state of another log

#[test]
fn a_state_of_another_log_is_not_used() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    // Same length and shape, other content (other timestamps).
    make_log(&dir.path().join("a.log"), 10, 0)?;
    make_log(&path, 10, 1)?;
    assert_eq!(
        fs::metadata(dir.path().join("a.log"))?.len(),
        fs::metadata(&path)?.len()
    );
    for (other, n) in [("a.log", 10), ("b.log", 4), ("c.log", 30)] {
        let other = dir.path().join(other);
        if !other.exists() {
            make_log(&other, n, 0)?;
        }
        // Without the tree file (whose right edge would not match either), the head check
        // alone refuses it.
        fs::copy(state_path(&other), state_path(&path))?;
        let w = open_parts(
            FileStore::open_writer(&path)?,
            &path,
            false,
            Some(state_path(&path)),
        )?;
        assert_eq!(w.opened(), Opened::Replayed, "{}", other.display());
        let got = known(&w);
        // (Readers wait for the writer's lock.)
        drop(w);
        assert_eq!(got, replayed(&path)?);
        fs::copy(state_path(&other), state_path(&path))?;
        let (how, got) = open(&path)?;
        assert_eq!(how, Opened::Replayed, "{}", other.display());
        assert_eq!(got, replayed(&path)?);
    }
    // A log replaced by a longer one that starts the same way but differs at the head.
    let replaced = dir.path().join("r.log");
    make_log(&replaced, 10, 0)?;
    let state = fs::read(state_path(&replaced))?;
    fs::remove_file(&replaced)?;
    make_log(&replaced, 25, 1)?;
    fs::write(state_path(&replaced), &state)?;
    let w = open_parts(
        FileStore::open_writer(&replaced)?,
        &replaced,
        false,
        Some(state_path(&replaced)),
    )?;
    assert_eq!(w.opened(), Opened::Replayed);
    drop(w);
    fs::write(state_path(&replaced), &state)?;
    let (how, got) = open(&replaced)?;
    assert_eq!(how, Opened::Replayed);
    assert_eq!(got, replayed(&replaced)?);
    Ok(())
}

#[test]
fn create_replaces_the_state_of_an_earlier_log_of_the_same_name() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 10, 0)?;
    fs::remove_file(&path)?;
    make_log(&path, 0, 5)?;
    let (how, got) = open(&path)?;
    assert_eq!(how, Opened::Resumed { lines: 0 });
    assert_eq!(got, replayed(&path)?);
    assert_eq!(got.chain.next_seq(), 1);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Torn tails and batches

#[test]
fn a_torn_tail_is_refused_before_the_state_is_read_and_repair_keeps_it_usable() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 8, 0)?;
    append_raw(&path, b"{\"author\":\"half an entry")?;
    assert!(matches!(
        LogWriter::open(&path, &self::key()),
        Err(LogError::Store(StoreError::TornTail { .. }))
    ));
    repair(&path)?;
    let (how, got) = open(&path)?;
    assert_eq!(how, Opened::Resumed { lines: 0 });
    assert_eq!(got, replayed(&path)?);
    Ok(())
}

/// A batch cut short by a crash is refused by the writer even once its torn last line is gone
/// (its complete lines' `more` say it is unfinished); `log::repair` moves those lines aside;
/// a state written after that batch (it was acknowledged, then the file lost its end) covers
/// bytes that repair removes, so it is not used afterwards.
#[test]
fn a_batch_cut_short_is_refused_and_after_repair_the_state_is_replaced() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path, 3, 0)?;
    let before_batch = fs::metadata(&path)?.len() as usize;
    let state_before = fs::read(state_path(&path))?;
    let prefix = fs::read(&path)?;
    let items: Vec<(&str, Object)> = (0..4).map(|i| ("test.batch", note(i))).collect();
    let items: Vec<(&str, &Object)> = items.iter().map(|(t, d)| (*t, d)).collect();
    for round in 0..3 {
        // The log before the batch, then the batch (its first three entries carry `more`).
        fs::write(&path, &prefix)?;
        let _ = fs::remove_file(state_path(&path));
        let mut w = LogWriter::open(&path, &self::key())?;
        w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
        w.append_batch(&key(), &items, at(0))?;
        drop(w);
        let full = fs::read(&path)?;
        // The state after the batch, the state before it, or none.
        let state = match round {
            0 => Some(fs::read(state_path(&path))?),
            1 => Some(state_before.clone()),
            _ => None,
        };
        match &state {
            Some(s) => fs::write(state_path(&path), s)?,
            None => fs::remove_file(state_path(&path))?,
        }
        // Cut inside the batch's third line: two complete lines of the batch remain.
        let third = before_batch
            + full[before_batch..]
                .split(|&b| b == b'\n')
                .take(2)
                .map(|l| l.len() + 1)
                .sum::<usize>();
        OpenOptions::new()
            .write(true)
            .open(&path)?
            .set_len(third as u64 + 10)?;
        assert!(matches!(
            LogWriter::open(&path, &self::key()),
            Err(LogError::Store(StoreError::TornTail { offset, .. })) if offset == third as u64
        ));
        if round == 2 {
            // The store's repair moves only the torn line; the batch is still unfinished.
            repair(&path)?;
            assert_eq!(fs::metadata(&path)?.len(), third as u64);
        }
        let refused = LogWriter::open(&path, &self::key());
        if round == 2 {
            match refused {
                Err(e @ LogError::UnfinishedBatch { .. }) => {
                    let message = e.to_string();
                    assert!(
                        message.starts_with(&format!(
                            "{}: the log ends inside a batch",
                            path.display()
                        )) && message.ends_with("nothing was appended"),
                        "{message}"
                    );
                    assert!(
                        matches!(e, LogError::UnfinishedBatch { entry: 4, size: 4, missing: 2, offset, .. } if offset == before_batch as u64),
                        "{e:?}"
                    );
                }
                other => return Err(format!("round {round}: {other:?}").into()),
            }
        }
        let repaired = crate::log::repair(&path, None)?;
        assert_eq!(
            repaired.batch,
            Some(crate::log::CutBatch {
                entry: 4,
                offset: before_batch as u64,
                size: 4,
                missing: 2
            })
        );
        match repaired.outcome {
            crate::RepairOutcome::Repaired {
                offset, side_file, ..
            } => {
                assert_eq!(offset, before_batch as u64);
                let cut = if round == 2 { third } else { third + 10 };
                assert_eq!(fs::read(side_file)?, &full[before_batch..cut]);
            }
            other => return Err(format!("expected lines moved, got {other:?}").into()),
        }
        assert_eq!(fs::read(&path)?, prefix, "round {round}");
        let (how, got) = open(&path)?;
        assert_eq!(got, replayed(&path)?, "round {round}");
        assert_eq!(got.chain.next_seq(), 4);
        // Only the state from before the batch still describes the log.
        let expected = if round == 1 {
            Opened::Resumed { lines: 0 }
        } else {
            Opened::Replayed
        };
        assert_eq!(how, expected, "round {round}");
        assert_tree_matches(&path)?;
        assert_eq!(open(&path)?.0, Opened::Resumed { lines: 0 });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Damaged state files

/// A log, its state file's bytes, and the writer a full replay gives.
struct Damage {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    state: Vec<u8>,
    expected: Known,
}

impl Damage {
    fn new() -> Result<Damage, Box<dyn Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("d.log");
        make_log(&path, 6, 0)?;
        let mut w = LogWriter::open(&path, &self::key())?;
        w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
        let key2 = other_key();
        w.append(
            &key(),
            "acta.key.add",
            &key_add_data(&key2.verifier(), &Roles::all()),
            at(0),
        )?;
        drop(w);
        let state = fs::read(state_path(&path))?;
        let expected = replayed(&path)?;
        Ok(Damage {
            _dir: dir,
            path,
            state,
            expected,
        })
    }

    /// Writes `bytes` as the state file and opens the log: it must open, know exactly what a
    /// full replay knows, and leave the good state file behind.
    fn check(&self, bytes: &[u8]) -> Result<Opened, Box<dyn Error>> {
        fs::write(state_path(&self.path), bytes)?;
        let (how, got) = open(&self.path)?;
        assert_eq!(got, self.expected);
        if bytes != self.state.as_slice() {
            assert_eq!(how, Opened::Replayed);
        }
        assert_eq!(fs::read(state_path(&self.path))?, self.state);
        Ok(how)
    }
}

#[test]
fn garbage_truncated_or_foreign_format_states_are_replaced_by_a_full_replay() -> TestResult {
    let d = Damage::new()?;
    assert_eq!(d.check(&d.state)?, Opened::Resumed { lines: 0 });
    d.check(b"")?;
    d.check(b"\n\n\n")?;
    d.check(&[0xff; 300])?;
    for cut in [
        1,
        18,
        40,
        d.state.len() / 2,
        d.state.len() - 66,
        d.state.len() - 1,
    ] {
        d.check(&d.state[..cut])?;
    }
    // Another format tag with a correct MAC.
    let text = String::from_utf8(d.state.clone())?;
    let (_, rest) = text.split_once('\n').ok_or("no tag")?;
    let (json, _) = rest.split_once('\n').ok_or("no body")?;
    let body = format!("acta-log-state/v2\n{json}\n");
    let tag = hex::encode(mac().tag(body.as_bytes()));
    d.check(format!("{body}{tag}\n").as_bytes())?;
    // The MAC in upper case (the same bytes, another encoding) is not accepted either.
    let (body, tag) = text.trim_end().rsplit_once('\n').ok_or("no MAC line")?;
    d.check(format!("{body}\n{}\n", tag.to_uppercase()).as_bytes())?;
    // A coherent state with a correct MAC whose tree edge is not the tree file's.
    let mut saved: SavedState<'static> =
        state_file::decode(&d.state, &mac()).ok_or("the state decodes")?;
    let mut f = acta_core::tree::Frontier::new();
    for i in 0..saved.frontier.size() {
        f.push(acta_core::EntryHash([i as u8; 32]));
    }
    saved.frontier = std::borrow::Cow::Owned(f);
    d.check(&state_file::encode(&saved, &mac())?)?;
    // A state file that is a symbolic link is not followed (and is replaced).
    #[cfg(unix)]
    {
        let target = d.path.with_extension("elsewhere");
        fs::write(&target, &d.state)?;
        fs::remove_file(state_path(&d.path))?;
        std::os::unix::fs::symlink(&target, state_path(&d.path))?;
        let (how, got) = open(&d.path)?;
        assert_eq!((how, got), (Opened::Replayed, d.expected));
        assert!(
            !fs::symlink_metadata(state_path(&d.path))?
                .file_type()
                .is_symlink()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any change to the state file's bytes (flips, cuts, insertions, overwrites) makes the
    /// writer replay in full: no panic, and the same writer as with no state file at all.
    #[test]
    fn mutated_state_files_fall_back_to_a_full_replay(
        edits in proptest::collection::vec((0usize..4, any::<prop::sample::Index>(), any::<u8>()), 1..4)
    ) {
        thread_local! {
            static DAMAGE: Damage = Damage::new().expect("a log");
        }
        DAMAGE.with(|d| {
            let mut bytes = d.state.clone();
            for (kind, at, byte) in &edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes[i] ^= byte | 1,
                    1 => bytes.truncate(i),
                    2 => bytes.insert(i, *byte),
                    _ => bytes[i] = *byte,
                }
            }
            d.check(&bytes).map(|_| ()).map_err(|e| TestCaseError::fail(e.to_string()))
        })?;
    }

    /// `FileStore::scan_from` yields exactly the items of a full scan that start at or after
    /// the offset, with and without an incomplete batch at the end.
    #[test]
    fn scan_from_is_a_full_scan_minus_the_items_before_the_offset(
        lines in proptest::collection::vec("[ab]{0,5}", 0..8),
        torn in "[ab]{0,3}",
        batch in proptest::option::of((1usize..4, 0usize..6)),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f.log");
        let mut bytes: Vec<u8> = lines.iter().flat_map(|l| [l.as_bytes(), b"\n"].concat()).collect();
        bytes.extend_from_slice(torn.as_bytes());
        fs::write(&path, &bytes).expect("write");
        if let Some((n, cut)) = batch
            && torn.is_empty()
        {
            // A batch of `n` lines, cut `cut` bytes short of its end (a crash in its write).
            let mut store = FileStore::open_writer(&path).expect("open");
            let batch: Vec<Vec<u8>> = (0..n.max(2)).map(|i| vec![b'x'; i + 1]).collect();
            let refs: Vec<&[u8]> = batch.iter().map(Vec::as_slice).collect();
            let r = store.append(&refs).expect("append");
            drop(store);
            let len = r.end_offset - (cut as u64).min(r.end_offset - r.first_offset - 1);
            OpenOptions::new().write(true).open(&path).and_then(|f| f.set_len(len)).expect("cut");
        }
        let store = FileStore::open_reader(&path).expect("open");
        let len = store.len_bytes();
        let all: Vec<ScanItem> = store.scan().expect("scan").collect::<Result<_, _>>().expect("items");
        for offset in 0..=len + 2 {
            let fast: Vec<ScanItem> =
                store.scan_from(offset).expect("scan_from").collect::<Result<_, _>>().expect("items");
            let slow: Vec<ScanItem> = DefaultScanFrom(&store)
                .scan_from(offset).expect("scan_from").collect::<Result<_, _>>().expect("items");
            let filtered: Vec<ScanItem> = all.iter().filter(|i| i.offset() >= offset).cloned().collect();
            prop_assert_eq!(&slow, &filtered);
            prop_assert_eq!(&fast, &filtered, "offset {} of {:?}", offset, String::from_utf8_lossy(&bytes));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Only the writer's own, authenticated state is used; nothing is written before the log has
// verified

/// The state file's JSON line, re-encoded (same MAC key) after `edit`.
fn reencode(bytes: &[u8], key: &MacKey, edit: impl FnOnce(&mut SavedState<'static>)) -> Vec<u8> {
    let mut saved = state_file::decode(bytes, &mac()).expect("a genuine state");
    edit(&mut saved);
    state_file::encode(&saved, key).expect("encodes")
}

#[test]
fn a_state_authenticated_by_another_key_is_a_full_replay() -> TestResult {
    let d = Damage::new()?;
    assert_eq!(d.check(&d.state)?, Opened::Resumed { lines: 0 });
    // The same contents, MAC'd by another key: not this writer's.
    let other = MacKey::derive(&other_key(), state_file::MAC_CONTEXT);
    let foreign = reencode(&d.state, &other, |_| {});
    assert_ne!(foreign, d.state);
    assert_eq!(d.check(&foreign)?, Opened::Replayed);
    // The same key, another use: a MAC key of another context is not the state's either.
    let wrong_use = MacKey::derive(&key(), crate::project::SEAL_CONTEXT);
    assert_eq!(
        d.check(&reencode(&d.state, &wrong_use, |_| {}))?,
        Opened::Replayed
    );
    // And another key's writer does not take this key's state: it replays, and (once it has
    // something to save) writes its own.
    let mut w = LogWriter::open(&d.path, &other_key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    assert_eq!(w.opened(), Opened::Replayed);
    assert_eq!(known(&w), d.expected);
    w.save_derived()?;
    drop(w);
    assert_eq!(fs::read(state_path(&d.path))?, foreign);
    Ok(())
}

/// What anyone can do to an unkeyed checksum: recompute it. The forged state has no effect.
#[test]
fn a_state_forged_with_a_recomputed_checksum_has_no_effect() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("f.log");
    make_log(&path, 4, 0)?;
    let text = String::from_utf8(fs::read(state_path(&path))?)?;
    let mut lines = text.lines();
    let (tag, json) = (lines.next().ok_or("tag")?, lines.next().ok_or("json")?);
    let mut value: serde_json::Value = serde_json::from_str(json)?;
    value["chain"]["last_recorded_at"] = "9999-12-31T00:00:00Z".into();
    value["chain"]["domain"] = serde_json::Value::Null;
    let body = format!("{tag}\n{value}\n");
    let sum = acta_core::EntryHash::of_line(body.as_bytes());
    fs::write(state_path(&path), format!("{body}{sum}\n"))?;
    let mut w = LogWriter::open(&path, &key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    assert_eq!(w.opened(), Opened::Replayed);
    assert_eq!(w.chain().domain(), Some(DOMAIN));
    assert_eq!(w.recorded_at(at(9)), "2025-11-26T09:00:09Z");
    w.append(&key(), "test.note", &note(9), at(9))?;
    drop(w);
    let last = FileStore::open_reader(&path)?
        .last_line()?
        .ok_or("a line")?;
    let entry = acta_core::Entry::decode(&last.bytes)?.entry;
    assert_eq!(entry.recorded_at, "2025-11-26T09:00:09Z");
    Ok(())
}

#[test]
fn an_authentic_state_whose_tail_is_gone_is_a_full_replay() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("t.log");
    make_log(&path, 6, 0)?;
    let bytes = fs::read(&path)?;
    // The log loses its last line (truncated, or replaced by an older copy); the state, MAC
    // and all, still describes the longer log.
    let cut = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .ok_or("lines")?
        + 1;
    fs::write(&path, &bytes[..cut])?;
    let (how, got) = open(&path)?;
    assert_eq!(how, Opened::Replayed);
    assert_eq!(got, replayed(&path)?);
    assert_eq!(got.chain.next_seq(), 6);
    Ok(())
}

/// A line nobody with the key signed (right author, seq, prev and time; a signature by
/// another key of the same name), appended after the covered length: refused on open, with
/// or without the state file, by `open` and by `open_replaying`.
#[test]
fn a_forged_signature_after_the_covered_length_is_refused_on_open() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("g.log");
    make_log(&path, 3, 0)?;
    let w = LogWriter::open(&path, &key())?;
    let (seq, prev, origin) = (
        w.chain().next_seq(),
        w.chain().next_prev(),
        w.chain().origin().unwrap_or_default().to_owned(),
    );
    drop(w);
    let impostor = SigningKey::from_seed("test-only-state", [9; 32])?;
    let line = acta_core::entry::NewEntry {
        seq,
        prev,
        recorded_at: "2025-11-26T09:00:00Z",
        entry_type: "test.note",
        data: &note(1),
    }
    .sign(&origin, &impostor)?;
    let line = String::from_utf8(line)?.replace(
        &impostor.key_ref().to_string(),
        &key().key_ref().to_string(),
    );
    append_raw(&path, format!("{line}\n").as_bytes())?;
    let side = || {
        (
            fs::read(state_path(&path)).ok(),
            fs::read(TreeFile::path_for(&path)).ok(),
        )
    };
    let before = side();
    let refused = |r: Result<LogWriter<FileStore>, LogError>| {
        matches!(r, Err(LogError::Unsound { first, .. })
            if first.entry == seq && matches!(first.kind, acta_core::FindingKind::BadSignature { .. }))
    };
    assert!(refused(LogWriter::open(&path, &key())), "resumed open");
    assert!(refused(LogWriter::open_replaying(
        &path,
        &key(),
        &Expect::default()
    )));
    assert_eq!(side(), before, "a refused open wrote a side file");
    fs::remove_file(state_path(&path))?;
    assert!(refused(LogWriter::open(&path, &key())), "full replay");
    assert!(!state_path(&path).exists());
    Ok(())
}

#[test]
fn an_open_refused_by_expect_writes_nothing_beside_the_log() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("e.log");
    make_log(&path, 4, 0)?;
    let w = LogWriter::open(&path, &key())?;
    let head = w.head();
    drop(w);
    // A stale state and a damaged tree: an open that went ahead would rewrite both.
    let stale = fs::read(state_path(&path))?;
    let mut w = LogWriter::open(&path, &key())?;
    w.set_append_check(Box::new(Unchecked::for_domain(DOMAIN)))?;
    w.append(&key(), "test.note", &note(5), at(0))?;
    drop(w);
    fs::write(state_path(&path), &stale)?;
    let tree_path = TreeFile::path_for(&path);
    let mut tree = fs::read(&tree_path)?;
    tree.truncate(tree.len() - 32);
    fs::write(&tree_path, &tree)?;
    let side = || (fs::read(state_path(&path)).ok(), fs::read(&tree_path).ok());
    let before = side();
    let wrong_origin = Expect {
        origin: Some("example.org/another".into()),
        head: None,
    };
    let err = LogWriter::open_expecting(&path, &key(), &wrong_origin).map(|_| ());
    assert!(
        matches!(&err, Err(LogError::OriginMismatch { expected, found })
            if expected == "example.org/another" && found == "example.org/state-test"),
        "{err:?}"
    );
    let err = LogWriter::open_replaying(&path, &key(), &wrong_origin).map(|_| ());
    assert!(
        matches!(err, Err(LogError::OriginMismatch { .. })),
        "{err:?}"
    );
    let old_head = Expect {
        origin: Some("example.org/state-test".into()),
        head: Some((head.seq, head.hash)),
    };
    let err = LogWriter::open_expecting(&path, &key(), &old_head).map(|_| ());
    assert!(
        matches!(
            err,
            Err(LogError::HeadMismatch {
                expected_seq: 4,
                found_seq: 5,
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(side(), before, "a refused open wrote a side file");
    // What is expected: the open goes ahead, and saving brings both files up to date.
    let w = LogWriter::open_expecting(
        &path,
        &key(),
        &Expect {
            origin: Some("example.org/state-test".into()),
            head: Some((
                5,
                LogWriter::from_store(FileStore::open_reader(&path)?)?
                    .head()
                    .hash,
            )),
        },
    )?;
    assert_eq!(w.opened(), Opened::Resumed { lines: 1 });
    // An open that goes ahead writes nothing either, until the writer saves (or appends).
    assert_eq!(side(), before, "an open wrote a side file");
    let mut w = w;
    w.save_derived()?;
    drop(w);
    assert_tree_matches(&path)?;
    assert_eq!(open(&path)?.0, Opened::Resumed { lines: 0 });
    Ok(())
}

#[test]
fn an_open_of_a_file_that_is_not_a_log_creates_no_side_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("n.txt");
    fs::write(&path, b"a line\nanother\n")?;
    assert!(matches!(
        LogWriter::open(&path, &key()),
        Err(LogError::Unsound { .. })
    ));
    assert!(matches!(
        LogWriter::open_replaying(&path, &key(), &Expect::default()),
        Err(LogError::Unsound { .. })
    ));
    fs::write(&path, b"")?;
    assert!(matches!(
        LogWriter::open(&path, &key()),
        Err(LogError::Empty)
    ));
    assert!(!state_path(&path).exists());
    assert!(!TreeFile::path_for(&path).exists());
    Ok(())
}
