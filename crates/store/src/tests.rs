//! Unit tests for the file store.

use std::error::Error;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use acta_core::MAX_ENTRY_BYTES;

use crate::file::BACKWARD_BLOCK;
use crate::{
    AppendReceipt, FileStore, RepairOutcome, ScanItem, Store, StoreError, StoredLine, TornTail,
    repair,
};

type TestResult = Result<(), Box<dyn Error>>;

fn log_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("events.log")
}

/// Collects a whole scan, failing on any error item.
fn scan_all(store: &impl Store) -> Result<Vec<ScanItem>, StoreError> {
    store.scan()?.collect()
}

/// The bytes of the complete lines in a scan.
fn line_bytes(items: &[ScanItem]) -> Vec<Vec<u8>> {
    items
        .iter()
        .filter_map(|item| match item {
            ScanItem::Line(line) => Some(line.bytes.clone()),
            _ => None,
        })
        .collect()
}

fn append_raw(path: &Path, bytes: &[u8]) -> io::Result<()> {
    OpenOptions::new().append(true).open(path)?.write_all(bytes)
}

fn dir_names(dir: &Path) -> io::Result<Vec<String>> {
    let mut names = fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<io::Result<Vec<_>>>()?;
    names.sort();
    Ok(names)
}

#[test]
fn create_then_scan_roundtrips_with_offsets() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let store = FileStore::create(&path, &[b"alpha", b"be", b"gamma"])?;
    assert_eq!(store.len_bytes(), 15);
    assert_eq!(store.path(), path.as_path());
    assert_eq!(fs::read(&path)?, b"alpha\nbe\ngamma\n");
    assert_eq!(
        scan_all(&store)?,
        vec![
            ScanItem::Line(StoredLine {
                offset: 0,
                bytes: b"alpha".to_vec()
            }),
            ScanItem::Line(StoredLine {
                offset: 6,
                bytes: b"be".to_vec()
            }),
            ScanItem::Line(StoredLine {
                offset: 9,
                bytes: b"gamma".to_vec()
            }),
        ]
    );
    assert_eq!(store.torn_tail()?, None);
    // Only the log is left in the directory: the temporary file is gone.
    assert_eq!(dir_names(dir.path())?, vec!["events.log".to_string()]);
    Ok(())
}

#[test]
fn create_with_no_lines_makes_an_empty_log() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let mut store = FileStore::create(&path, &[])?;
    assert_eq!(fs::metadata(&path)?.len(), 0);
    assert!(scan_all(&store)?.is_empty());
    assert_eq!(store.last_line()?, None);
    let receipt = store.append(&[b"one"])?;
    assert_eq!(
        receipt,
        AppendReceipt {
            first_offset: 0,
            end_offset: 4
        }
    );
    Ok(())
}

#[test]
fn create_refuses_an_existing_path_and_leaves_it_untouched() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    fs::write(&path, b"precious\n")?;
    let err = FileStore::create(&path, &[b"new"]).err();
    assert!(
        matches!(&err, Some(StoreError::AlreadyExists { path: p }) if p == &path),
        "{err:?}"
    );
    assert_eq!(fs::read(&path)?, b"precious\n");
    assert_eq!(dir_names(dir.path())?, vec!["events.log".to_string()]);
    Ok(())
}

#[test]
fn create_validates_lines_before_writing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let err = FileStore::create(&path, &[b"ok", b"bad\nline"]).err();
    assert!(
        matches!(err, Some(StoreError::LineContainsNewline { index: 1 })),
        "{err:?}"
    );
    assert!(dir_names(dir.path())?.is_empty());
    Ok(())
}

#[test]
fn append_batch_and_last_line() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let mut store = FileStore::create(&path, &[b"first"])?;
    assert_eq!(
        store.last_line()?,
        Some(StoredLine {
            offset: 0,
            bytes: b"first".to_vec()
        })
    );
    let receipt = store.append(&[b"second", b"third", b"fourth"])?;
    assert_eq!(
        receipt,
        AppendReceipt {
            first_offset: 6,
            end_offset: 26
        }
    );
    assert_eq!(store.len_bytes(), 26);
    assert_eq!(fs::read(&path)?, b"first\nsecond\nthird\nfourth\n");
    assert_eq!(
        store.last_line()?,
        Some(StoredLine {
            offset: 19,
            bytes: b"fourth".to_vec()
        })
    );
    // An empty batch writes nothing.
    let empty = store.append(&[])?;
    assert_eq!(
        empty,
        AppendReceipt {
            first_offset: 26,
            end_offset: 26
        }
    );
    assert_eq!(fs::metadata(&path)?.len(), 26);
    drop(store);

    let mut writer = FileStore::open_writer(&path)?;
    assert_eq!(writer.len_bytes(), 26);
    writer.append(&[b"fifth"])?;
    assert_eq!(
        line_bytes(&scan_all(&writer)?),
        vec![
            b"first".to_vec(),
            b"second".to_vec(),
            b"third".to_vec(),
            b"fourth".to_vec(),
            b"fifth".to_vec()
        ]
    );
    Ok(())
}

#[test]
fn last_line_in_a_file_bigger_than_the_block() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let lines: Vec<Vec<u8>> = (0..20_000)
        .map(|i| format!("line number {i:08}").into_bytes())
        .collect();
    let refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
    let store = FileStore::create(&path, &refs)?;
    assert!(store.len_bytes() > 3 * BACKWARD_BLOCK as u64);
    let last = store.last_line()?.ok_or("no last line")?;
    assert_eq!(last.bytes, b"line number 00019999");
    assert_eq!(last.offset, store.len_bytes() - 21);
    Ok(())
}

#[test]
fn last_line_longer_than_the_block() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let long: Vec<u8> = (0..BACKWARD_BLOCK * 2 + 123)
        .map(|i| b'a' + (i % 26) as u8)
        .collect();
    let store = FileStore::create(&path, &[b"short", &long])?;
    assert_eq!(
        store.last_line()?,
        Some(StoredLine {
            offset: 6,
            bytes: long.clone()
        })
    );
    // The same when the long line is the only one.
    let only = dir.path().join("only.log");
    let store = FileStore::create(&only, &[&long])?;
    assert_eq!(
        store.last_line()?,
        Some(StoredLine {
            offset: 0,
            bytes: long
        })
    );
    Ok(())
}

#[test]
fn last_line_of_maximum_length_is_returned() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let max = vec![b'm'; MAX_ENTRY_BYTES];
    let store = FileStore::create(&path, &[b"x", &max])?;
    let last = store.last_line()?.ok_or("no last line")?;
    assert_eq!(last.offset, 2);
    assert_eq!(last.bytes.len(), MAX_ENTRY_BYTES);
    Ok(())
}

#[test]
fn last_line_too_long_is_an_error() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let mut bytes = b"ok\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', MAX_ENTRY_BYTES + 1));
    bytes.push(b'\n');
    fs::write(&path, &bytes)?;
    let reader = FileStore::open_reader(&path)?;
    let err = reader.last_line().err();
    assert!(
        matches!(err, Some(StoreError::LastLineTooLong { end_offset, limit, .. })
            if end_offset == bytes.len() as u64 - 1 && limit == MAX_ENTRY_BYTES),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn last_line_ignores_a_torn_tail() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    fs::write(&path, b"one\ntwo\npart")?;
    let reader = FileStore::open_reader(&path)?;
    assert_eq!(
        reader.last_line()?,
        Some(StoredLine {
            offset: 4,
            bytes: b"two".to_vec()
        })
    );
    fs::write(&path, b"only torn bytes")?;
    let reader = FileStore::open_reader(&path)?;
    assert_eq!(reader.last_line()?, None);
    Ok(())
}

#[test]
fn torn_tail_is_detected_scanned_and_repaired() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    drop(FileStore::create(&path, &[b"one", b"two"])?);
    let complete = fs::read(&path)?;
    append_raw(&path, b"{\"partial")?;

    let err = FileStore::open_writer(&path).err();
    assert!(
        matches!(&err, Some(StoreError::TornTail { path: p, offset: 8, len: 9 }) if p == &path),
        "{err:?}"
    );
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("byte offset 8"), "{message}");
    assert!(!message.contains("acta "), "{message}");

    let reader = FileStore::open_reader(&path)?;
    assert_eq!(reader.torn_tail()?, Some(TornTail { offset: 8, len: 9 }));
    assert_eq!(
        scan_all(&reader)?,
        vec![
            ScanItem::Line(StoredLine {
                offset: 0,
                bytes: b"one".to_vec()
            }),
            ScanItem::Line(StoredLine {
                offset: 4,
                bytes: b"two".to_vec()
            }),
            ScanItem::Torn {
                tail: TornTail { offset: 8, len: 9 },
                bytes: Some(b"{\"partial".to_vec()),
            },
        ]
    );
    drop(reader);

    let outcome = repair(&path)?;
    let mut side = path.as_os_str().to_os_string();
    side.push(".torn-8");
    let side = PathBuf::from(side);
    assert_eq!(
        outcome,
        RepairOutcome::Repaired {
            offset: 8,
            len: 9,
            side_file: side.clone()
        }
    );
    assert_eq!(fs::read(&side)?, b"{\"partial");
    assert_eq!(fs::read(&path)?, complete);

    assert_eq!(repair(&path)?, RepairOutcome::Clean);
    assert_eq!(fs::read(&path)?, complete);
    let mut writer = FileStore::open_writer(&path)?;
    writer.append(&[b"three"])?;
    assert_eq!(fs::read(&path)?, b"one\ntwo\nthree\n");
    Ok(())
}

#[test]
fn repair_picks_a_fresh_side_file_name() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    fs::write(&path, b"a\nxyz")?;
    let mut taken = path.as_os_str().to_os_string();
    taken.push(".torn-2");
    fs::write(&taken, b"older")?;
    let outcome = repair(&path)?;
    let mut expected = taken.clone();
    expected.push(".1");
    assert_eq!(
        outcome,
        RepairOutcome::Repaired {
            offset: 2,
            len: 3,
            side_file: PathBuf::from(expected.clone())
        }
    );
    assert_eq!(fs::read(&taken)?, b"older");
    assert_eq!(fs::read(&expected)?, b"xyz");
    assert_eq!(fs::read(&path)?, b"a\n");
    Ok(())
}

#[test]
fn repair_of_a_file_without_any_newline_empties_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    fs::write(&path, b"torn")?;
    let outcome = repair(&path)?;
    assert!(
        matches!(
            outcome,
            RepairOutcome::Repaired {
                offset: 0,
                len: 4,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(fs::metadata(&path)?.len(), 0);
    Ok(())
}

#[test]
fn repair_on_a_clean_log_changes_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    drop(FileStore::create(&path, &[b"one"])?);
    assert_eq!(repair(&path)?, RepairOutcome::Clean);
    assert_eq!(fs::read(&path)?, b"one\n");
    assert_eq!(dir_names(dir.path())?, vec!["events.log".to_string()]);
    Ok(())
}

#[test]
fn too_long_line_is_skipped_and_scanning_continues() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let long_len = MAX_ENTRY_BYTES + 10;
    let mut bytes = b"a\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', long_len));
    bytes.extend_from_slice(b"\nb\n");
    fs::write(&path, &bytes)?;
    let reader = FileStore::open_reader(&path)?;
    assert_eq!(
        scan_all(&reader)?,
        vec![
            ScanItem::Line(StoredLine {
                offset: 0,
                bytes: b"a".to_vec()
            }),
            ScanItem::TooLong {
                offset: 2,
                len: long_len as u64
            },
            ScanItem::Line(StoredLine {
                offset: 2 + long_len as u64 + 1,
                bytes: b"b".to_vec()
            }),
        ]
    );
    Ok(())
}

/// The bytes after the last newline come with the scan up to the entry limit (the verifier
/// decides whether they are an entry missing its newline); beyond it, only their length.
#[test]
fn torn_bytes_are_scanned_up_to_the_limit() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    for (len, kept) in [(MAX_ENTRY_BYTES, true), (MAX_ENTRY_BYTES + 1, false)] {
        let mut bytes = b"a\n".to_vec();
        bytes.extend(std::iter::repeat_n(b't', len));
        fs::write(&path, &bytes)?;
        let reader = FileStore::open_reader(&path)?;
        let items = scan_all(&reader)?;
        assert_eq!(
            items.last(),
            Some(&ScanItem::Torn {
                tail: TornTail {
                    offset: 2,
                    len: len as u64
                },
                bytes: kept.then(|| bytes[2..].to_vec()),
            }),
            "{len} torn bytes"
        );
    }
    Ok(())
}

#[test]
fn scan_reports_a_line_of_exactly_the_limit() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let max = vec![b'm'; MAX_ENTRY_BYTES];
    let store = FileStore::create(&path, &[&max, b"z"])?;
    let items = scan_all(&store)?;
    assert_eq!(line_bytes(&items), vec![max, b"z".to_vec()]);
    Ok(())
}

#[test]
fn invalid_appends_write_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let mut store = FileStore::create(&path, &[b"one"])?;
    let too_long = vec![b'x'; MAX_ENTRY_BYTES + 1];

    let err = store.append(&[b"fine", b""]).err();
    assert!(
        matches!(err, Some(StoreError::EmptyLine { index: 1 })),
        "{err:?}"
    );

    let err = store.append(&[b"in\nside"]).err();
    assert!(
        matches!(err, Some(StoreError::LineContainsNewline { index: 0 })),
        "{err:?}"
    );

    let err = store.append(&[b"fine", b"fine", &too_long]).err();
    assert!(
        matches!(err, Some(StoreError::LineTooLong { index: 2, len, limit })
            if len == MAX_ENTRY_BYTES + 1 && limit == MAX_ENTRY_BYTES),
        "{err:?}"
    );

    assert_eq!(fs::read(&path)?, b"one\n");
    assert_eq!(store.len_bytes(), 4);
    Ok(())
}

#[test]
fn failed_write_is_rolled_back() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let mut store = FileStore::create(&path, &[b"one"])?;
    let err = store
        .append_with(&[b"two", b"three"], |file, buf| {
            // Write part of the batch, then fail as a full disk would.
            file.write_all(&buf[..5]).map_err(|e| ("write", e))?;
            Err(("write", io::Error::other("disk full")))
        })
        .err();
    assert!(
        matches!(&err, Some(StoreError::Io { op: "write", .. })),
        "{err:?}"
    );
    assert_eq!(fs::read(&path)?, b"one\n");
    assert_eq!(store.len_bytes(), 4);
    // The store stays usable.
    store.append(&[b"two"])?;
    assert_eq!(fs::read(&path)?, b"one\ntwo\n");
    Ok(())
}

#[test]
fn open_writer_refuses_directories_symlinks_and_missing_files() -> TestResult {
    let dir = tempfile::tempdir()?;
    let err = FileStore::open_writer(dir.path()).err();
    assert!(
        matches!(err, Some(StoreError::IsDirectory { .. })),
        "{err:?}"
    );
    let err = repair(dir.path()).err();
    assert!(
        matches!(err, Some(StoreError::IsDirectory { .. })),
        "{err:?}"
    );
    let err = FileStore::open_reader(dir.path()).err();
    assert!(
        matches!(err, Some(StoreError::IsDirectory { .. })),
        "{err:?}"
    );

    let missing = dir.path().join("missing.log");
    let err = FileStore::open_writer(&missing).err();
    assert!(matches!(err, Some(StoreError::NotFound { .. })), "{err:?}");
    let err = FileStore::open_reader(&missing).err();
    assert!(matches!(err, Some(StoreError::NotFound { .. })), "{err:?}");
    Ok(())
}

#[cfg(unix)]
#[test]
fn writers_refuse_symlinks_but_readers_follow_them() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    drop(FileStore::create(&path, &[b"one"])?);
    let link = dir.path().join("link.log");
    std::os::unix::fs::symlink(&path, &link)?;

    let err = FileStore::open_writer(&link).err();
    assert!(
        matches!(&err, Some(StoreError::Symlink { path: p }) if p == &link),
        "{err:?}"
    );
    let err = repair(&link).err();
    assert!(matches!(err, Some(StoreError::Symlink { .. })), "{err:?}");
    let err = FileStore::create(&link, &[b"x"]).err();
    assert!(
        matches!(err, Some(StoreError::AlreadyExists { .. })),
        "{err:?}"
    );

    let reader = FileStore::open_reader(&link)?;
    assert_eq!(line_bytes(&scan_all(&reader)?), vec![b"one".to_vec()]);
    assert_eq!(fs::read(&path)?, b"one\n");
    Ok(())
}

#[test]
fn reader_sees_only_its_snapshot() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    drop(FileStore::create(&path, &[b"one", b"two"])?);
    let mut reader = FileStore::open_reader(&path)?;

    let mut writer = FileStore::open_writer(&path)?;
    writer.append(&[b"three"])?;
    drop(writer);

    assert_eq!(reader.len_bytes(), 8);
    assert_eq!(
        line_bytes(&scan_all(&reader)?),
        vec![b"one".to_vec(), b"two".to_vec()]
    );
    assert_eq!(
        reader.last_line()?.map(|line| line.bytes),
        Some(b"two".to_vec())
    );
    assert_eq!(reader.torn_tail()?, None);
    let err = reader.append(&[b"four"]).err();
    assert!(matches!(err, Some(StoreError::ReadOnly { .. })), "{err:?}");

    let fresh = FileStore::open_reader(&path)?;
    assert_eq!(
        fresh.last_line()?.map(|line| line.bytes),
        Some(b"three".to_vec())
    );
    Ok(())
}

#[test]
fn reader_reports_a_file_that_shrank() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    fs::write(&path, b"one\ntwo\n")?;
    let reader = FileStore::open_reader(&path)?;
    OpenOptions::new().write(true).open(&path)?.set_len(4)?;
    let err = scan_all(&reader).err();
    assert!(
        matches!(err, Some(StoreError::Shrunk { len: 8, .. })),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn a_second_writer_waits_for_the_first() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    let mut first = FileStore::create(&path, &[b"one"])?;
    let acquired = AtomicBool::new(false);
    thread::scope(|scope| -> TestResult {
        let waiter = scope.spawn(|| -> Result<(), StoreError> {
            let mut second = FileStore::open_writer(&path)?;
            acquired.store(true, Ordering::SeqCst);
            second.append(&[b"from second"])?;
            Ok(())
        });
        thread::sleep(Duration::from_millis(200));
        assert!(
            !acquired.load(Ordering::SeqCst),
            "second writer got the lock while the first held it"
        );
        first.append(&[b"from first"])?;
        drop(first);
        waiter.join().map_err(|_| "writer thread panicked")??;
        Ok(())
    })?;
    assert!(acquired.load(Ordering::SeqCst));
    assert_eq!(fs::read(&path)?, b"one\nfrom first\nfrom second\n");
    Ok(())
}

#[test]
fn concurrent_writers_each_append_every_line() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    drop(FileStore::create(&path, &[])?);
    thread::scope(|scope| -> TestResult {
        let handles: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|name| {
                let path = &path;
                scope.spawn(move || -> Result<(), StoreError> {
                    let mut store = FileStore::open_writer(path)?;
                    for i in 0..200 {
                        store.append(&[format!("{name}-{i:03}").as_bytes()])?;
                    }
                    Ok(())
                })
            })
            .collect();
        for handle in handles {
            handle.join().map_err(|_| "writer thread panicked")??;
        }
        Ok(())
    })?;
    let reader = FileStore::open_reader(&path)?;
    let items = scan_all(&reader)?;
    assert_eq!(items.len(), 400);
    let mut lines = line_bytes(&items);
    assert_eq!(lines.len(), 400);
    lines.sort();
    let mut expected: Vec<Vec<u8>> = ["a", "b"]
        .iter()
        .flat_map(|name| (0..200).map(move |i| format!("{name}-{i:03}").into_bytes()))
        .collect();
    expected.sort();
    assert_eq!(lines, expected);
    Ok(())
}

#[test]
fn open_writer_accepts_an_empty_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = log_path(&dir);
    fs::write(&path, b"")?;
    let mut store = FileStore::open_writer(&path)?;
    assert_eq!(store.last_line()?, None);
    assert_eq!(store.torn_tail()?, None);
    assert!(scan_all(&store)?.is_empty());
    store.append(&[b"first"])?;
    assert_eq!(fs::read(&path)?, b"first\n");
    Ok(())
}

#[test]
fn error_messages_say_where_and_what_next() {
    let err = StoreError::TornTail {
        path: PathBuf::from("/logs/a.log"),
        offset: 120,
        len: 7,
    };
    assert_eq!(
        err.to_string(),
        "/logs/a.log: the last line at byte offset 120 (7 bytes) does not end with a newline \
         (a crash during an append, or a removed newline?); nothing was written"
    );
    let err = StoreError::LineTooLong {
        index: 3,
        len: 10,
        limit: 5,
    };
    assert!(
        err.to_string()
            .starts_with("line 3 of the batch is 10 bytes")
    );
}

/// Library messages say what is wrong, never which command of the CLI to run next (`acta
/// repair`, `acta verify`...): the CLI adds that. Every message that once named one is here.
#[test]
fn messages_name_no_cli_command() {
    use acta_core::{EntryHash, Finding, FindingKind, SigningKey};

    use crate::LogError;
    use crate::project::ReplayError;

    let path = PathBuf::from("/logs/a.log");
    let key = SigningKey::from_seed("test-only-messages", [3; 32]).expect("valid name");
    let finding = |kind| {
        Box::new(Finding {
            entry: 2,
            offset: 9,
            kind,
        })
    };
    let kinds = [
        FindingKind::TornTail { len: 4 },
        FindingKind::MissingNewline { seq: 2 },
        FindingKind::UnfinishedBatch {
            size: 3,
            missing: 1,
        },
    ];
    let mut messages: Vec<String> = kinds.iter().map(ToString::to_string).collect();
    let store_errors = [
        StoreError::CheckpointConflict { path: path.clone() },
        StoreError::TreeBehind {
            path: path.clone(),
            index: 3,
            count: 2,
        },
        StoreError::TornTail {
            path: path.clone(),
            offset: 8,
            len: 9,
        },
        StoreError::Poisoned { path: path.clone() },
        StoreError::RollbackFailed {
            path: path.clone(),
            offset: 8,
            op: "write",
            source: io::Error::other("disk full"),
            rollback_error: io::Error::other("disk gone"),
        },
    ];
    messages.extend(store_errors.iter().map(ToString::to_string));
    let mut log_errors = vec![
        LogError::Empty,
        LogError::KeyNotInLog { key: key.key_ref() },
        LogError::GenesisType("acta.genesis".to_owned()),
        LogError::HeadMismatch {
            expected_seq: 1,
            expected_hash: EntryHash([1; 32]),
            found_seq: 2,
            found_hash: EntryHash([2; 32]),
        },
        LogError::UnfinishedBatch {
            path: path.clone(),
            entry: 2,
            offset: 9,
            size: 3,
            missing: 1,
        },
    ];
    for kind in kinds {
        log_errors.push(LogError::Unsound {
            first: finding(kind.clone()),
            total: 1,
        });
        log_errors.push(LogError::NotRepairable {
            path: path.clone(),
            first: finding(kind),
        });
    }
    messages.extend(log_errors.iter().map(ToString::to_string));
    let replay_errors = [
        ReplayError::Broken {
            index: 2,
            offset: 9,
            problem: "bad".to_owned(),
        },
        ReplayError::NotVerified(3),
    ];
    messages.extend(replay_errors.iter().map(ToString::to_string));
    for message in &messages {
        assert!(!message.contains("acta "), "names a CLI command: {message}");
        assert!(!message.contains("--"), "names a CLI flag: {message}");
    }
}
