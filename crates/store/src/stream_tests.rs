//! [`LogWriter::append_stream`]: the same lines as [`LogWriter::append_batch`], all or
//! nothing, with the tree file kept equal to the tree of the log's lines.

use std::error::Error;
use std::fs;
use std::path::Path;

use acta_core::json::{Number, Object, Value};
use acta_core::{Genesis, Roles, SigningKey};

use crate::log::{LogError, SourceError};
use crate::{LogWriter, TreeFile};

type TestResult = Result<(), Box<dyn Error>>;

fn key() -> SigningKey {
    SigningKey::from_seed("test-only-stream", [21; 32]).expect("valid name")
}

fn at() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_764_147_600, 0).unwrap_or_default()
}

fn note(i: usize) -> Object {
    let mut o = Object::new();
    o.insert("i", Value::Number(Number::Int(i as i64)));
    o
}

fn make_log(path: &Path) -> Result<(), LogError> {
    let key = key();
    let genesis = Genesis {
        origin: "example.org/stream-test".into(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: None,
    };
    let mut w = LogWriter::create(path, &genesis, &key, at())?;
    w.append(&key, "test.note", &note(0), at())?;
    Ok(())
}

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

fn items(n: usize) -> Vec<(String, Object)> {
    (0..n).map(|i| ("test.bulk".to_owned(), note(i))).collect()
}

/// Streams `items` into `w`, failing at `fail_at` (if given) from the source.
fn stream(
    w: &mut LogWriter<crate::FileStore>,
    items: &[(String, Object)],
    fail_at: Option<usize>,
    commit_fails: bool,
) -> Result<acta_core::verify::Head, LogError> {
    w.append_stream(
        &key(),
        items.len(),
        |i| {
            if fail_at == Some(i) {
                return Err(SourceError::from("the source failed"));
            }
            Ok(items[i].clone())
        },
        || {
            if commit_fails {
                Err(SourceError::from("the source changed"))
            } else {
                Ok(())
            }
        },
        at(),
    )
}

#[test]
fn a_streamed_batch_writes_the_lines_of_append_batch() -> TestResult {
    let dir = tempfile::tempdir()?;
    // Enough entries for the tree file to be written in several chunks mid-stream.
    for n in [1usize, 2, 5, 40_000] {
        let (a, b) = (
            dir.path().join(format!("a{n}.log")),
            dir.path().join(format!("b{n}.log")),
        );
        make_log(&a)?;
        make_log(&b)?;
        let items = items(n);
        let refs: Vec<(&str, &Object)> = items.iter().map(|(t, d)| (t.as_str(), d)).collect();
        let head_a = LogWriter::open(&a, &key())?.append_batch(&key(), &refs, at())?;
        let mut w = LogWriter::open(&b, &key())?;
        let head_b = stream(&mut w, &items, None, false)?;
        assert_eq!(head_a, head_b, "n = {n}");
        assert_eq!(w.head(), head_b);
        let (chain, frontier) = (w.chain().clone(), w.frontier().clone());
        drop(w);
        assert_eq!(fs::read(&a)?, fs::read(&b)?, "n = {n}");
        assert_tree_matches(&b)?;
        let reopened = LogWriter::from_store(crate::FileStore::open_reader(&b)?)?;
        assert_eq!((&chain, &frontier), (reopened.chain(), reopened.frontier()));
    }
    Ok(())
}

#[test]
fn a_streamed_batch_is_all_or_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.log");
    make_log(&path)?;
    let before = fs::read(&path)?;
    let tree_before = fs::read(TreeFile::path_for(&path))?;
    let mut w = LogWriter::open(&path, &key())?;
    let n = 30_000;
    let mut bad = items(n);
    bad[n - 2].0 = "acta.nope".to_owned();
    let refused = stream(&mut w, &bad, None, false);
    assert!(
        matches!(refused, Err(LogError::Refused { index, .. }) if index == n - 2),
        "{refused:?}"
    );
    let mut genesis = items(3);
    genesis[1].0 = acta_core::keyring::GENESIS_TYPE.to_owned();
    assert!(matches!(
        stream(&mut w, &genesis, None, false),
        Err(LogError::GenesisType(_))
    ));
    let source = stream(&mut w, &items(n), Some(n - 1), false);
    assert!(
        matches!(source, Err(LogError::Source { index, .. }) if index == n - 1),
        "{source:?}"
    );
    let commit = stream(&mut w, &items(n), None, true);
    assert!(
        matches!(commit, Err(LogError::Source { index, .. }) if index == n),
        "{commit:?}"
    );
    assert_eq!(fs::read(&path)?, before, "nothing was written");
    assert_eq!(
        fs::read(TreeFile::path_for(&path))?,
        tree_before,
        "nor to the tree"
    );
    // The writer is still usable, and its state is the log's.
    let head = stream(&mut w, &items(3), None, false)?;
    assert_eq!(head.seq, 4);
    drop(w);
    assert_tree_matches(&path)?;
    let report = crate::verify(
        &crate::FileStore::open_reader(&path)?,
        acta_core::VerifyOptions::default(),
    )?;
    assert!(report.is_consistent(), "{report:?}");
    Ok(())
}

/// A process that cannot start a thread still streams its batch (checked on the calling
/// thread), with the same lines.
#[test]
fn a_streamed_batch_is_checked_here_when_no_thread_can_be_started() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (a, b) = (dir.path().join("a.log"), dir.path().join("b.log"));
    make_log(&a)?;
    make_log(&b)?;
    let items = items(100);
    let mut w = LogWriter::open(&a, &key())?;
    stream(&mut w, &items, None, false)?;
    drop(w);
    crate::log::tests_hooks::SPAWN_FAILS.with(|f| f.set(true));
    let mut w = LogWriter::open(&b, &key())?;
    let streamed = stream(&mut w, &items, None, false);
    let refused = {
        let mut bad = items.clone();
        bad[60].0 = "acta.nope".to_owned();
        stream(&mut w, &bad, None, false)
    };
    crate::log::tests_hooks::SPAWN_FAILS.with(|f| f.set(false));
    streamed?;
    assert!(
        matches!(refused, Err(LogError::Refused { index: 60, .. })),
        "{refused:?}"
    );
    drop(w);
    assert_eq!(fs::read(&a)?, fs::read(&b)?);
    assert_tree_matches(&b)?;
    Ok(())
}
