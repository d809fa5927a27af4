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
fn a_writer_on_another_store_refuses_a_missing_newline() -> Result<(), Box<dyn std::error::Error>> {
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
