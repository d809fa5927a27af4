//! The generic projection API (`acta_core::Projection`, `acta_store::project`): replay from the
//! start, up to an entry, resumed from a snapshot, refused on another log, and folded in
//! the same pass as verification.

use std::path::PathBuf;

use acta_core::{Entry, EntryHash, Position, Projection, Recorded, VerifierKey, VerifyOptions};
use acta_store::FileStore;
use acta_store::project::{ReplayError, ReplayOptions, Snapshot, replay, verify_and_replay};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")).join(rel)
}

/// What every entry of the log says, as a projection: (seq, type, hash) in order, and a
/// running count per author.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
struct Ledger {
    seen: Vec<(u64, String, String)>,
    by_author: std::collections::BTreeMap<String, u64>,
}

impl Projection for Ledger {
    fn apply(&mut self, r: Recorded<'_>) {
        self.seen
            .push((r.entry.seq, r.entry.entry_type.clone(), r.hash.to_string()));
        *self
            .by_author
            .entry(r.entry.author.to_string())
            .or_default() += 1;
    }
}

/// The same thing computed directly from the file's lines.
fn expected(upto: Option<u64>) -> Ledger {
    let bytes = std::fs::read(fixture("valid/basic.log")).expect("reading basic.log");
    let mut l = Ledger::default();
    for line in bytes.split(|b| *b == b'\n').filter(|x| !x.is_empty()) {
        let d = Entry::decode(line).expect("basic.log decodes");
        if upto.is_some_and(|n| d.entry.seq > n) {
            break;
        }
        l.seen.push((
            d.entry.seq,
            d.entry.entry_type.clone(),
            EntryHash::of_line(line).to_string(),
        ));
        *l.by_author.entry(d.entry.author.to_string()).or_default() += 1;
    }
    l
}

fn basic() -> FileStore {
    FileStore::open_reader(fixture("valid/basic.log")).expect("opening basic.log")
}

fn trust() -> VerifierKey {
    std::fs::read_to_string(fixture("valid/basic.operator.vkey"))
        .expect("reading the vkey")
        .trim()
        .parse()
        .expect("a verifier key")
}

#[test]
fn replay_folds_every_entry_in_order() {
    let mut l = Ledger::default();
    let pos = replay(&basic(), &mut l, &ReplayOptions::default()).unwrap();
    let want = expected(None);
    assert_eq!(l, want);
    assert_eq!(pos.size, want.seen.len() as u64);
    assert_eq!(
        pos.head.map(|h| h.to_string()),
        want.seen.last().map(|s| s.2.clone())
    );
}

#[test]
fn as_recorded_up_to_entry_n() {
    for n in [0, 3, 7, 11, 50] {
        let mut l = Ledger::default();
        let pos = replay(
            &basic(),
            &mut l,
            &ReplayOptions {
                upto_seq: Some(n),
                ..ReplayOptions::default()
            },
        )
        .unwrap();
        assert_eq!(l, expected(Some(n)), "upto {n}");
        assert_eq!(pos.size, l.seen.len() as u64);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// A snapshot taken at any entry, serialized and resumed, ends in the same state as a
    /// replay from the start.
    #[test]
    fn snapshot_and_resume_equal_full_replay(k in 0u64..12) {
        let store = basic();
        let mut first = Ledger::default();
        let pos = replay(&store, &mut first, &ReplayOptions { upto_seq: Some(k), ..ReplayOptions::default() }).unwrap();
        let snap = Snapshot::new("example.org/acta-test", pos, first);
        let bytes = snap.to_json().unwrap();
        let back: Snapshot<Ledger> = Snapshot::from_json(&bytes).unwrap();
        prop_assert_eq!(&back, &snap);
        let mut resumed = back.state.clone();
        let end = replay(&store, &mut resumed, &back.resume()).unwrap();
        let mut full = Ledger::default();
        let full_end = replay(&store, &mut full, &ReplayOptions::default()).unwrap();
        prop_assert_eq!(resumed, full);
        prop_assert_eq!(end, full_end);
    }
}

#[test]
fn a_snapshot_of_another_log_is_refused() {
    // A position whose hash is not the log's entry at that seq.
    let mut l = Ledger::default();
    let bogus = Position {
        size: 5,
        head: Some(EntryHash([7; 32])),
        head_offset: None,
    };
    let err = replay(
        &basic(),
        &mut l,
        &ReplayOptions {
            from: bogus,
            upto_seq: None,
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, ReplayError::NotAPrefix { seq: 4, .. }),
        "{err}"
    );
    assert!(l.seen.is_empty(), "nothing applied: {l:?}");
    // Beyond the end of the log.
    let long = Position {
        size: 99,
        head: Some(EntryHash([7; 32])),
        head_offset: None,
    };
    let err = replay(
        &basic(),
        &mut l,
        &ReplayOptions {
            from: long,
            upto_seq: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("only 12 entries"), "{err}");
    // A snapshot file of another format.
    let err = Snapshot::<Ledger>::from_json(
        br#"{"format":"x","origin":"o","position":{"size":0,"head":null},"state":{"seen":[],"by_author":{}}}"#,
    )
    .unwrap_err();
    assert!(err.contains("acta-snapshot/v1"), "{err}");
}

#[test]
fn verify_and_replay_folds_only_verified_logs() {
    let mut l = Ledger::default();
    let (report, pos) = verify_and_replay(
        &basic(),
        VerifyOptions {
            trust: Some(trust()),
            ..VerifyOptions::default()
        },
        &mut l,
        &ReplayOptions::default(),
    )
    .unwrap();
    assert!(report.is_sound());
    assert_eq!(pos.size, report.entries);
    assert_eq!(l, expected(None));

    // A log with a bad signature is refused. Verification and folding are one pass, so the
    // projection (to be discarded, as the error says) holds only lines that verified: entries
    // 0 to 4 of basic.log, never the altered entry 5 nor anything after it.
    let bad = FileStore::open_reader(fixture("fail_altered_byte.log")).unwrap();
    let mut l = Ledger::default();
    let err = verify_and_replay(
        &bad,
        VerifyOptions::default(),
        &mut l,
        &ReplayOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, ReplayError::NotVerified(n) if n >= 1),
        "{err}"
    );
    assert_eq!(l.seen, expected(Some(4)).seen);
}

#[test]
fn replay_stops_at_a_broken_link() {
    // replay() does not check signatures but does check seq and prev: a reordered log fails.
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("valid/basic.log")).unwrap();
    let mut lines: Vec<&[u8]> = bytes
        .split(|b| *b == b'\n')
        .filter(|x| !x.is_empty())
        .collect();
    lines.swap(3, 4);
    let mut out = Vec::new();
    for l in &lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    let path = dir.path().join("swapped.log");
    std::fs::write(&path, out).unwrap();
    let mut l = Ledger::default();
    let err = replay(
        &FileStore::open_reader(&path).unwrap(),
        &mut l,
        &ReplayOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ReplayError::Broken { index: 3, .. }), "{err}");
    assert_eq!(l.seen.len(), 3, "entries before the break were applied");
}

#[test]
fn a_position_with_an_offset_resumes_there_and_is_checked() {
    let store = basic();
    let mut first = Ledger::default();
    let pos = replay(
        &store,
        &mut first,
        &ReplayOptions {
            upto_seq: Some(5),
            ..ReplayOptions::default()
        },
    )
    .expect("replay");
    let offset = pos
        .head_offset
        .expect("replay records the offset of the last line");
    let bytes = std::fs::read(fixture("valid/basic.log")).expect("basic.log");
    let line_start = bytes
        .split(|b| *b == b'\n')
        .take(5)
        .map(|l| l.len() as u64 + 1)
        .sum::<u64>();
    assert_eq!(offset, line_start, "entry 5 starts after five lines");
    // Resumed through the offset: the same as a full replay.
    let mut resumed = first.clone();
    replay(
        &store,
        &mut resumed,
        &ReplayOptions {
            from: pos,
            upto_seq: None,
        },
    )
    .expect("resume");
    assert_eq!(resumed, expected(None));
    // An offset that is not where that entry starts is refused, nothing applied.
    for wrong in [offset + 1, offset - 1, 0, 1 << 40] {
        let mut l = first.clone();
        let err = replay(
            &store,
            &mut l,
            &ReplayOptions {
                from: Position {
                    head_offset: Some(wrong),
                    ..pos
                },
                upto_seq: None,
            },
        )
        .expect_err("a wrong offset is refused");
        assert!(
            matches!(err, ReplayError::NotAPrefix { .. }),
            "{wrong}: {err}"
        );
        assert_eq!(l, first, "{wrong}: nothing applied");
    }
}

#[test]
fn the_replay_decoder_reads_what_the_strict_decoder_reads() {
    // Every line of every fixture log: same entry, or both refuse.
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
    let mut logs = vec![
        dir.join("valid/basic.log"),
        dir.join("seed/non-cooperation.log"),
    ];
    for e in std::fs::read_dir(&dir).expect("fixtures") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "log") {
            logs.push(p);
        }
    }
    let mut compared = 0;
    for log in logs {
        let bytes = std::fs::read(&log).expect("read");
        for line in bytes.split(|b| *b == b'\n').filter(|x| !x.is_empty()) {
            match (Entry::decode(line), Entry::decode_verified(line)) {
                (Ok(d), Ok(e)) => assert_eq!(d.entry, e, "{}", log.display()),
                (Err(a), Err(b)) => assert_eq!(a, b, "{}", log.display()),
                (a, b) => panic!("{}: {a:?} vs {b:?}", log.display()),
            }
            compared += 1;
        }
    }
    assert!(compared > 200, "{compared}");
}
