//! Issue 11, cases 1, 6/7 (their `LOG.batch` half) and 10a: a batch is all or nothing from
//! the log's own signed lines, never from a file beside it.
//!
//! Before, a batch of several entries was made all-or-nothing across crashes by a side file
//! `LOG.batch` (a byte range with an unkeyed checksum): whoever could write the folder could
//! forge it and make `acta verify` call complete, validly signed entries a torn tail, and
//! `acta repair` move them out; it was lost through a hard link or a copy; as a symlink it
//! was written through, as a FIFO it blocked every command. Now each entry of a batch but its
//! last carries `more` (signed), the verifier reports `unfinished_batch` for a log whose
//! lines end inside a batch, the writer refuses such a log, and `acta repair` moves exactly
//! that batch's lines after verifying them in the same pass. Nothing named `LOG.batch` is ever
//! opened. These tests perform each attack through the real binary; the open-ended classes
//! (any bytes in any side file) get proptests through the library.

use std::path::{Path, PathBuf};
use std::time::Duration;

use acta_core::json::{Number, Object, Value};
use acta_core::{
    Entry, EntryHash, FindingKind, Genesis, NewEntry, Report, Roles, SigningKey, VerifyOptions,
};
use acta_store::{FileStore, LogWriter, RepairOutcome};
use proptest::prelude::*;

use crate::support::{self, Out};

/// Every binary run here must end well within this (a FIFO opened for reading would block
/// forever).
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

fn run<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Out {
    support::acta()
        .current_dir(dir)
        .args(args)
        .timeout(RUN_TIMEOUT)
        .run()
}

fn ok<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(dir: &Path, args: &[S]) -> String {
    let o = run(dir, args);
    assert_eq!(
        o.code, 0,
        "acta {args:?} failed:\n{}\n{}",
        o.stdout, o.stderr
    );
    o.stdout
}

const ORIGIN: &str = "example.org/trust-batch";

fn op_key() -> SigningKey {
    SigningKey::from_seed("test-only-operator", [11; 32]).expect("valid test key name")
}

/// A directory with the operator's key file (`op.key`, mode 0600) and a log `x.log`: a
/// genesis and one single entry, then an import of `events` entries (one batch), then one
/// more single entry if `tail` is set. Returns the directory and the trust key text.
fn setup(events: usize, tail: bool) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let key = op_key();
    support::write_key(d, "op.key", &key);
    ok(d, &["init", "x.log", "--origin", ORIGIN, "--key", "op.key"]);
    ok(d, &append_args("x.log", "single before"));
    if events > 0 {
        let jsonl: String = (0..events)
            .map(|i| format!("{{\"type\":\"test.bulk\",\"data\":{{\"i\":{i}}}}}\n"))
            .collect();
        std::fs::write(d.join("ev.jsonl"), jsonl).expect("write events");
        ok(d, &["import", "x.log", "--key", "op.key", "ev.jsonl"]);
    }
    if tail {
        ok(d, &append_args("x.log", "single after"));
    }
    (dir, key.verifier().to_string())
}

/// `acta append LOG` of a `test.note` whose text is `text` (plain words: it is put into JSON
/// as is).
fn append_args(log: &str, text: &str) -> Vec<String> {
    [
        "append",
        log,
        "--key",
        "op.key",
        "--type",
        "test.note",
        "--data",
        &format!("{{\"text\":\"{text}\"}}"),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// The complete lines of a log file, with their offsets.
fn lines_of(bytes: &[u8]) -> Vec<(u64, &[u8])> {
    let mut out = Vec::new();
    let mut offset = 0u64;
    for chunk in bytes.split_inclusive(|&b| b == b'\n') {
        if chunk.last() == Some(&b'\n') {
            out.push((offset, &chunk[..chunk.len() - 1]));
        }
        offset += chunk.len() as u64;
    }
    out
}

/// `acta verify --json` on `log`: the exit code and the report's findings as
/// `(entry, offset, finding JSON)`.
fn verify_json(dir: &Path, log: &str, trust: &str) -> (i32, Vec<(u64, u64, serde_json::Value)>) {
    let o = run(dir, &["verify", log, "--trust", trust, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("verify --json prints JSON");
    let findings = v["report"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["entry"].as_u64().expect("entry"),
                f["offset"].as_u64().expect("offset"),
                f["kind"].clone(),
            )
        })
        .collect();
    (o.code, findings)
}

/// The old batch marker's 24 bytes: start, end, start ^ end ^ "actabatc" (big-endian u64s).
fn old_marker(start: u64, end: u64) -> Vec<u8> {
    let mut m = Vec::with_capacity(24);
    m.extend_from_slice(&start.to_be_bytes());
    m.extend_from_slice(&end.to_be_bytes());
    m.extend_from_slice(&(start ^ end ^ 0x6163_7461_6261_7463).to_be_bytes());
    m
}

fn side_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".torn-"))
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// Case 1: a forged marker

/// The instance: a `LOG.batch` of the old format, with its checksum recomputed, naming
/// a range that starts at the imported batch's first line and ends past the log's end, so an
/// older acta called the batch and the entry after it a torn tail and `acta repair` moved them
/// out. Now: verify is sound, repair has nothing to do, every entry stays.
#[test]
fn trust_forged_batch_marker_is_ignored() {
    let (dir, trust) = setup(5, true);
    let d = dir.path();
    let before = std::fs::read(d.join("x.log")).expect("read");
    let lines = lines_of(&before);
    assert_eq!(lines.len(), 8, "genesis, single, 5 imported, single");
    let start = lines[2].0;
    let end = before.len() as u64 + 1;
    std::fs::write(d.join("x.log.batch"), old_marker(start, end)).expect("forge");

    let (code, findings) = verify_json(d, "x.log", &trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
    let o = run(d, &["verify", "x.log", "--trust", &trust]);
    assert!(o.stdout.contains("entries:  8"), "{}", o.stdout);
    let o = run(d, &["repair", "x.log"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("nothing to repair"), "{}", o.stdout);
    assert_eq!(std::fs::read(d.join("x.log")).expect("read"), before);
    assert!(side_files(d).is_empty(), "nothing was moved");
    // The writer is not misled either: the next append lands after every entry.
    let head = ok(d, &append_args("x.log", "next"));
    assert!(head.starts_with("8:"), "{head}");
    assert_eq!(
        std::fs::read(d.join("x.log.batch")).expect("read"),
        old_marker(start, end),
        "the forged file is left as it was (never opened for writing)"
    );
}

// ---------------------------------------------------------------------------------------------
// Cases 6 and 7 (LOG.batch): a symlink and a FIFO

/// A `LOG.batch` symlink to the operator's private key file, and one to a dangling name:
/// `acta import` (a batch) succeeds and the key file is unchanged, nothing is created at the
/// dangling target.
#[test]
fn trust_batch_marker_symlink_is_never_written_through() {
    let (dir, trust) = setup(0, false);
    let d = dir.path();
    let key_before = std::fs::read(d.join("op.key")).expect("read");
    std::os::unix::fs::symlink(d.join("op.key"), d.join("x.log.batch")).expect("symlink");
    let jsonl: String = (0..4)
        .map(|i| format!("{{\"type\":\"test.bulk\",\"data\":{{\"i\":{i}}}}}\n"))
        .collect();
    std::fs::write(d.join("ev.jsonl"), jsonl).expect("write events");
    ok(d, &["import", "x.log", "--key", "op.key", "ev.jsonl"]);
    assert_eq!(std::fs::read(d.join("op.key")).expect("read"), key_before);
    std::fs::remove_file(d.join("x.log.batch")).expect("remove");
    std::os::unix::fs::symlink(d.join("planted-target"), d.join("x.log.batch")).expect("symlink");
    ok(d, &["import", "x.log", "--key", "op.key", "ev.jsonl"]);
    assert!(
        !d.join("planted-target").exists(),
        "nothing created through the link"
    );
    let (code, findings) = verify_json(d, "x.log", &trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
    let o = run(d, &["verify", "x.log", "--trust", &trust]);
    assert!(o.stdout.contains("entries:  10"), "{}", o.stdout);
    assert_eq!(std::fs::read(d.join("op.key")).expect("read"), key_before);
}

/// A FIFO planted as `LOG.batch`: import, append, verify and repair all finish (each run has a
/// timeout; opening a FIFO for reading or writing would block until the other end opens).
#[test]
fn trust_batch_marker_fifo_blocks_nothing() {
    let (dir, trust) = setup(3, false);
    let d = dir.path();
    let made = std::process::Command::new("mkfifo")
        .arg(d.join("x.log.batch"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    ok(d, &["import", "x.log", "--key", "op.key", "ev.jsonl"]);
    ok(d, &append_args("x.log", "after"));
    let (code, findings) = verify_json(d, "x.log", &trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
    let o = run(d, &["repair", "x.log"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("nothing to repair"), "{}", o.stdout);
    use std::os::unix::fs::FileTypeExt as _;
    let meta = std::fs::symlink_metadata(d.join("x.log.batch")).expect("still there");
    assert!(meta.file_type().is_fifo());
}

// ---------------------------------------------------------------------------------------------
// A batch cut short, and case 10a: whatever name the log is reached by

/// Cuts `x.log` inside its imported batch of 5 (lines 2 to 6): after its 2nd entry at a line
/// boundary, or in the middle of its 3rd. Returns the offset of the batch's first line and the
/// bytes `acta repair` must move.
fn cut_inside_the_batch(log: &Path, mid_line: bool) -> (u64, Vec<u8>) {
    let bytes = std::fs::read(log).expect("read");
    let lines = lines_of(&bytes);
    assert_eq!(lines.len(), 7, "genesis, single, 5 imported");
    let start = lines[2].0;
    let cut = if mid_line {
        lines[4].0 + lines[4].1.len() as u64 / 2
    } else {
        lines[4].0
    };
    std::fs::OpenOptions::new()
        .write(true)
        .open(log)
        .expect("open")
        .set_len(cut)
        .expect("truncate");
    (start, bytes[start as usize..cut as usize].to_vec())
}

/// Asserts the whole story of a batch cut short, through `name` (a name of the cut log):
/// verify reports `unfinished_batch` (exit 1), append refuses naming `acta repair`, repair
/// moves exactly the batch's bytes, and then verify is sound and append works.
fn assert_cut_batch_story(d: &Path, name: &str, trust: &str, start: u64, moved: &[u8]) {
    let before = std::fs::read(d.join(name)).expect("read");
    let torn = before.last() != Some(&b'\n');
    let (code, findings) = verify_json(d, name, trust);
    assert_eq!(code, 1, "{name}: {findings:?}");
    let unfinished = serde_json::json!({"finding": "unfinished_batch", "size": 5, "missing": 3});
    assert!(
        findings.contains(&(2, start, unfinished)),
        "{name}: unfinished_batch at entry 2: {findings:?}"
    );
    assert_eq!(
        findings.len(),
        1 + usize::from(torn),
        "{name}: {findings:?}"
    );
    let o = run(d, &["verify", name, "--trust", trust]);
    assert!(
        o.stdout.contains("batch of 5 entries"),
        "{name}: {}",
        o.stdout
    );

    let o = run(d, &append_args(name, "refused"));
    assert_ne!(o.code, 0, "{name}: append must refuse");
    assert!(o.stderr.contains("acta repair"), "{name}: {}", o.stderr);
    assert!(!o.stderr.contains("acta verify"), "{name}: {}", o.stderr);
    assert_eq!(
        std::fs::read(d.join(name)).expect("read"),
        before,
        "{name}: append wrote"
    );

    let o = run(d, &["repair", name]);
    assert_eq!(o.code, 0, "{name}: {}", o.stderr);
    assert!(
        o.stdout.contains("batch of 5 cut short"),
        "{name}: {}",
        o.stdout
    );
    let side = d.join(format!("{name}.torn-{start}"));
    assert_eq!(
        std::fs::read(&side).expect("the side file"),
        moved,
        "{name}: side file"
    );
    assert_eq!(
        std::fs::read(d.join(name)).expect("read"),
        before[..start as usize],
        "{name}: the lines before the batch are untouched"
    );
    let (code, findings) = verify_json(d, name, trust);
    assert_eq!((code, findings.len()), (0, 0), "{name}: {findings:?}");
    let head = ok(d, &append_args(name, "after repair"));
    assert!(head.starts_with("2:"), "{name}: {head}");
    let (code, findings) = verify_json(d, name, trust);
    assert_eq!((code, findings.len()), (0, 0), "{name}: {findings:?}");
}

#[test]
fn trust_batch_cut_short_is_unfinished_and_repair_moves_exactly_its_lines() {
    for mid_line in [false, true] {
        let (dir, trust) = setup(5, false);
        let d = dir.path();
        let (start, moved) = cut_inside_the_batch(&d.join("x.log"), mid_line);
        assert_cut_batch_story(d, "x.log", &trust, start, &moved);
    }
}

/// 10a: the same through a hard link (cut through one name, repaired and checked through the
/// other) and through a copy: all or nothing whatever the name.
#[test]
fn trust_batch_cut_short_is_seen_through_a_hard_link_and_a_copy() {
    for mid_line in [false, true] {
        // Hard link: the crash happened under `x.log`; everything else goes through `y.log`.
        let (dir, trust) = setup(5, false);
        let d = dir.path();
        std::fs::hard_link(d.join("x.log"), d.join("y.log")).expect("hard link");
        let (start, moved) = cut_inside_the_batch(&d.join("x.log"), mid_line);
        assert_cut_batch_story(d, "y.log", &trust, start, &moved);
        // The original name sees the repaired file.
        let (code, findings) = verify_json(d, "x.log", &trust);
        assert_eq!((code, findings.len()), (0, 0), "{findings:?}");

        // A copy of the cut log (and of nothing beside it).
        let (dir, trust) = setup(5, false);
        let d = dir.path();
        let (start, moved) = cut_inside_the_batch(&d.join("x.log"), mid_line);
        let sub = d.join("elsewhere");
        std::fs::create_dir(&sub).expect("mkdir");
        std::fs::copy(d.join("x.log"), sub.join("copy.log")).expect("copy");
        std::fs::copy(d.join("op.key"), sub.join("op.key")).expect("copy key");
        assert_cut_batch_story(&sub, "copy.log", &trust, start, &moved);
    }
}

/// The committed fixture of a batch cut short: repair moves exactly its two lines.
#[test]
fn trust_repair_moves_the_two_lines_of_the_unfinished_batch_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::copy(fixtures.join("fail_unfinished_batch.log"), d.join("u.log")).expect("copy");
    let basic = std::fs::read(fixtures.join("valid/basic.log")).expect("read");
    let bytes = std::fs::read(d.join("u.log")).expect("read");
    let trust = std::fs::read_to_string(fixtures.join("valid/basic.operator.vkey"))
        .expect("read")
        .trim()
        .to_owned();
    let (code, findings) = verify_json(d, "u.log", &trust);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        [(
            12,
            basic.len() as u64,
            serde_json::json!({"finding": "unfinished_batch", "size": 3, "missing": 1})
        )]
    );
    let o = run(d, &["repair", "u.log", "--trust", &trust]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read(d.join("u.log")).expect("read"), basic);
    let side = d.join(format!("u.log.torn-{}", basic.len()));
    assert_eq!(std::fs::read(side).expect("read"), &bytes[basic.len()..]);
    let (code, findings) = verify_json(d, "u.log", &trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

// ---------------------------------------------------------------------------------------------
// Review finding 2: a signed last entry missing only its newline is not a torn tail

/// Removes the last byte (a newline) of `log`; returns the bytes before and after, and the
/// offset of the last line.
fn strip_final_newline(log: &Path) -> (Vec<u8>, Vec<u8>, u64) {
    let whole = std::fs::read(log).expect("read");
    assert_eq!(whole.last(), Some(&b'\n'));
    let cut = whole[..whole.len() - 1].to_vec();
    std::fs::write(log, &cut).expect("write");
    let at = cut.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) as u64;
    (whole, cut, at)
}

/// Asserts the whole story of a log whose last entry (seq `seq`) lost its final newline: verify
/// reports `missing_newline` (exit 1) at that entry, saying to run `acta repair`, and nothing
/// else (not `torn_tail`, not `unfinished_batch`); append refuses, naming `acta repair`, and
/// writes nothing (the log and its derived files are unchanged); repair (with `repair_args`)
/// appends exactly the newline and moves nothing; then verify is sound and append works.
fn assert_missing_newline_story(d: &Path, trust: &str, seq: u64, repair_args: &[&str]) {
    let (whole, cut, at) = strip_final_newline(&d.join("x.log"));
    let (code, findings) = verify_json(d, "x.log", trust);
    assert_eq!(code, 1, "{findings:?}");
    assert_eq!(
        findings,
        [(
            seq,
            at,
            serde_json::json!({"finding": "missing_newline", "seq": seq})
        )]
    );
    let o = run(d, &["verify", "x.log", "--trust", trust]);
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains(&format!("entry {seq} (byte {at}):"))
            && o.stdout
                .contains("run `acta repair LOG` to restore the newline"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains(&format!("entries:  {}", seq + 1)),
        "{}",
        o.stdout
    );

    let derived = || ["x.log.state", "x.log.tree"].map(|f| std::fs::read(d.join(f)).ok());
    let derived_before = derived();
    let o = run(d, &append_args("x.log", "refused"));
    assert_eq!(o.code, 2, "append must refuse: {}", o.stdout);
    assert!(o.stderr.contains("acta repair x.log"), "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!("byte offset {at}")),
        "{}",
        o.stderr
    );
    assert_eq!(
        std::fs::read(d.join("x.log")).expect("read"),
        cut,
        "append wrote"
    );
    assert_eq!(derived(), derived_before, "append wrote a derived file");

    let mut args = vec!["repair", "x.log"];
    args.extend_from_slice(repair_args);
    let o = run(d, &args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains(&format!("seq {seq}")) && o.stdout.contains("restored"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("nothing was moved"), "{}", o.stdout);
    assert_eq!(
        std::fs::read(d.join("x.log")).expect("read"),
        whole,
        "repair appends exactly the newline"
    );
    assert!(side_files(d).is_empty(), "{:?}", side_files(d));
    let (code, findings) = verify_json(d, "x.log", trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
    let head = ok(d, &append_args("x.log", "after repair"));
    assert!(head.starts_with(&format!("{}:", seq + 1)), "{head}");
    let (code, findings) = verify_json(d, "x.log", trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

/// The attack: someone who can write the folder truncates the final newline of a log whose
/// last entry was appended alone. Before, verify called the complete, validly signed,
/// acknowledged entry a torn tail and `acta repair` moved it out of the log.
#[test]
fn trust_missing_newline_of_a_single_entry_is_restored_not_moved() {
    let (dir, trust) = setup(3, true);
    assert_missing_newline_story(dir.path(), &trust, 5, &[]);
}

/// The same attack on a log whose last entry ends a batch: not a batch cut short (every entry
/// of the batch is there and was acknowledged), so repair moves none of its lines.
#[test]
fn trust_missing_newline_of_a_batch_is_restored_not_moved() {
    let (dir, trust) = setup(5, false);
    let d = dir.path();
    assert_missing_newline_story(d, &trust, 6, &["--trust", &trust]);
}

/// What repair must not take for an entry missing its newline: a forged line (right seq, prev
/// and author name, another key's signature) or a replayed earlier line, put after the log's
/// last newline. They are torn tails: repair moves exactly them aside, and only them.
#[test]
fn trust_an_unterminated_line_that_does_not_verify_is_a_torn_tail() {
    let (dir, trust) = setup(0, true);
    let d = dir.path();
    let sound = std::fs::read(d.join("x.log")).expect("read");
    let lines = lines_of(&sound);
    let (_, last_line) = lines[lines.len() - 1];
    let last = Entry::decode(last_line).expect("decodes").entry;
    let forger = SigningKey::from_seed("test-only-operator", [99; 32]).expect("key");
    let forged = NewEntry {
        seq: last.seq + 1,
        prev: EntryHash::of_line(last_line),
        recorded_at: &last.recorded_at,
        entry_type: "test.note",
        data: &last.data,
    }
    .sign(ORIGIN, &forger)
    .expect("signs");
    let forged = String::from_utf8(forged).expect("utf8").replace(
        &forger.key_ref().to_string(),
        &op_key().key_ref().to_string(),
    );
    for (what, tail) in [
        ("forged", forged.into_bytes()),
        ("replayed", lines[1].1.to_vec()),
    ] {
        let mut bytes = sound.clone();
        bytes.extend_from_slice(&tail);
        std::fs::write(d.join("x.log"), &bytes).expect("write");
        let (code, findings) = verify_json(d, "x.log", &trust);
        assert_eq!(code, 1, "{what}");
        assert_eq!(
            findings,
            [(
                lines.len() as u64,
                sound.len() as u64,
                serde_json::json!({"finding": "torn_tail", "len": tail.len()})
            )],
            "{what}"
        );
        let o = run(d, &["repair", "x.log", "--trust", &trust]);
        assert_eq!(o.code, 0, "{what}: {}", o.stderr);
        assert!(o.stdout.contains("torn bytes"), "{what}: {}", o.stdout);
        assert_eq!(
            std::fs::read(d.join("x.log")).expect("read"),
            sound,
            "{what}"
        );
        let side = d.join(format!("x.log.torn-{}", sound.len()));
        assert_eq!(std::fs::read(&side).expect("side file"), tail, "{what}");
        std::fs::remove_file(side).expect("remove");
    }
}

/// The committed fixture: repair restores basic.log byte for byte.
#[test]
fn trust_repair_restores_the_newline_of_the_missing_newline_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::copy(fixtures.join("fail_missing_newline.log"), d.join("m.log")).expect("copy");
    let basic = std::fs::read(fixtures.join("valid/basic.log")).expect("read");
    let trust = std::fs::read_to_string(fixtures.join("valid/basic.operator.vkey"))
        .expect("read")
        .trim()
        .to_owned();
    let (code, findings) = verify_json(d, "m.log", &trust);
    assert_eq!(code, 1);
    let at = lines_of(&basic)[11].0;
    assert_eq!(
        findings,
        [(
            11,
            at,
            serde_json::json!({"finding": "missing_newline", "seq": 11})
        )]
    );
    // Another trust anchor: the genesis is not its, so repair changes nothing.
    let other = SigningKey::from_seed("test-only-other", [98; 32])
        .expect("key")
        .verifier()
        .to_string();
    let o = run(d, &["repair", "m.log", "--trust", &other]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("nothing was moved"), "{}", o.stderr);
    assert_eq!(
        std::fs::read(d.join("m.log")).expect("read"),
        &basic[..basic.len() - 1]
    );
    let o = run(d, &["repair", "m.log", "--trust", &trust]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read(d.join("m.log")).expect("read"), basic);
    assert!(side_files(d).is_empty());
    let (code, findings) = verify_json(d, "m.log", &trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

// ---------------------------------------------------------------------------------------------
// Repair never moves a complete line for any other reason

/// A batch cut short, and then a forged line continuing it (right seq, prev and `more`, a
/// signature by a key with the operator's name but not its key): the log has another finding
/// (`bad_signature`), so repair moves nothing, says why and points at `acta verify`. With a
/// `--trust` key that did not sign the genesis, likewise (`untrusted_genesis`).
#[test]
fn trust_repair_refuses_a_log_with_other_findings() {
    let (dir, trust) = setup(5, false);
    let d = dir.path();
    cut_inside_the_batch(&d.join("x.log"), false);
    let mut bytes = std::fs::read(d.join("x.log")).expect("read");
    let lines = lines_of(&bytes);
    let last = Entry::decode(lines[lines.len() - 1].1)
        .expect("decodes")
        .entry;
    let forger = SigningKey::from_seed("test-only-operator", [99; 32]).expect("key");
    let forged = NewEntry {
        seq: last.seq + 1,
        prev: EntryHash::of_line(lines[lines.len() - 1].1),
        recorded_at: &last.recorded_at,
        entry_type: "test.bulk",
        data: &last.data,
    }
    .sign_with_more(ORIGIN, &forger, 2)
    .expect("signs");
    // Named as the operator: same name, the operator's key id, another key's signature.
    let forged = String::from_utf8(forged).expect("utf8").replace(
        &forger.key_ref().to_string(),
        &op_key().key_ref().to_string(),
    );
    bytes.extend_from_slice(forged.as_bytes());
    bytes.push(b'\n');
    std::fs::write(d.join("x.log"), &bytes).expect("write");

    let (code, findings) = verify_json(d, "x.log", &trust);
    assert_eq!(code, 1);
    assert!(
        findings.iter().any(|f| f.2["finding"] == "bad_signature"),
        "{findings:?}"
    );
    for args in [
        vec!["repair", "x.log"],
        vec!["repair", "x.log", "--trust", &trust],
    ] {
        let o = run(d, &args);
        assert_ne!(o.code, 0, "{args:?}: repair must refuse");
        assert!(o.stderr.contains("nothing was moved"), "{}", o.stderr);
        assert!(
            o.stderr.contains("signature does not verify"),
            "{}",
            o.stderr
        );
        assert!(o.stderr.contains("acta verify"), "{}", o.stderr);
        assert_eq!(std::fs::read(d.join("x.log")).expect("read"), bytes);
        assert!(side_files(d).is_empty());
    }

    // Another trust anchor: the genesis is not its, so nothing is moved either.
    let (dir, _) = setup(5, false);
    let d = dir.path();
    cut_inside_the_batch(&d.join("x.log"), true);
    let before = std::fs::read(d.join("x.log")).expect("read");
    let other = SigningKey::from_seed("test-only-other", [98; 32])
        .expect("key")
        .verifier()
        .to_string();
    let o = run(d, &["repair", "x.log", "--trust", &other]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("not by the trusted key"), "{}", o.stderr);
    assert_eq!(std::fs::read(d.join("x.log")).expect("read"), before);
    assert!(side_files(d).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Open-ended: any bytes in any side file

/// One binary test of the class: random bytes in `LOG.batch`, `LOG.state`, `LOG.tree`,
/// `LOG.domain-state` and an arbitrary `LOG.*` name change neither verify's report nor what
/// repair moves (nothing, on a sound log), and the next append still verifies.
#[test]
fn trust_random_side_files_change_nothing_through_the_binary() {
    let (dir, trust) = setup(6, true);
    let d = dir.path();
    let o = run(d, &["verify", "x.log", "--trust", &trust, "--json"]);
    assert_eq!(o.code, 0);
    let baseline = o.stdout;
    let before = std::fs::read(d.join("x.log")).expect("read");
    let mut seed = 0x5eed_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for suffix in ["batch", "state", "tree", "domain-state", "anything"] {
        let bytes: Vec<u8> = (0..(next() % 200) + 24).map(|_| next() as u8).collect();
        std::fs::write(d.join(format!("x.log.{suffix}")), &bytes).expect("plant");
    }
    let o = run(d, &["verify", "x.log", "--trust", &trust, "--json"]);
    assert_eq!((o.code, &o.stdout), (0, &baseline));
    let o = run(d, &["repair", "x.log"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("nothing to repair"), "{}", o.stdout);
    assert_eq!(std::fs::read(d.join("x.log")).expect("read"), before);
    let head = ok(d, &append_args("x.log", "still appends"));
    assert!(head.starts_with("9:"), "{head}");
    let (code, findings) = verify_json(d, "x.log", &trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

fn note(i: usize) -> Object {
    let mut o = Object::new();
    o.insert("i", Value::Number(Number::Int(i as i64)));
    o
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_764_147_600, 0).unwrap_or_default()
}

/// Writes a log at `path` with the library: a genesis, then batches of the given sizes (a
/// size of 1 is a single append).
fn write_log(path: &Path, batches: &[usize]) {
    let key = op_key();
    let genesis = Genesis {
        origin: ORIGIN.into(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: None,
    };
    let mut w = LogWriter::create(path, &genesis, &key, now()).expect("create");
    let mut i = 0;
    for &n in batches {
        let data: Vec<Object> = (i..i + n).map(note).collect();
        i += n;
        let items: Vec<(&str, &Object)> = data.iter().map(|d| ("test.bulk", d)).collect();
        w.append_batch(&key, &items, now()).expect("append");
    }
}

fn verify_path(path: &Path) -> Report {
    let store = FileStore::open_reader(path).expect("open");
    acta_store::verify(
        &store,
        VerifyOptions {
            trust: Some(op_key().verifier()),
            ..VerifyOptions::default()
        },
    )
    .expect("verify")
}

/// What a repair did: `None` for nothing; the offset it moved bytes from and the bytes moved;
/// or the offset of the line whose newline it restored (and no bytes).
fn outcome_of(outcome: RepairOutcome) -> Option<(u64, Option<Vec<u8>>)> {
    match outcome {
        RepairOutcome::Clean => None,
        RepairOutcome::Repaired {
            offset, side_file, ..
        } => Some((offset, Some(std::fs::read(side_file).expect("read")))),
        RepairOutcome::NewlineRestored { offset, .. } => Some((offset, None)),
    }
}

/// What repair does to a copy of `bytes` in a fresh directory with nothing beside it (see
/// [`outcome_of`]).
fn repair_of(bytes: &[u8]) -> Option<(u64, Option<Vec<u8>>)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.log");
    std::fs::write(&path, bytes).expect("write");
    let repaired = acta_store::log::repair(&path, Some(op_key().verifier())).expect("repair");
    outcome_of(repaired.outcome)
}

/// The side files a proptest may plant: the old marker, the derived files, and any name.
fn side_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("batch".to_owned()),
        Just("state".to_owned()),
        Just("tree".to_owned()),
        Just("domain-state".to_owned()),
        Just("torn-0".to_owned()),
        "[a-z.-]{1,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random bytes (or a recomputed old-format marker over a random range) in `LOG.batch`
    /// and other `LOG.*` names never change what verify reports, on a sound log or on one cut
    /// inside its last batch, nor what repair moves (nothing on a sound log; exactly the cut
    /// batch's bytes otherwise).
    #[test]
    fn trust_side_file_bytes_never_change_verify_or_repair(
        batches in proptest::collection::vec(1usize..5, 1..5),
        cut_at in proptest::option::of(any::<prop::sample::Index>()),
        plants in proptest::collection::vec(
            (side_name(), proptest::collection::vec(any::<u8>(), 0..64), any::<bool>()),
            1..4,
        ),
        range in (any::<prop::sample::Index>(), 1u64..5000),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.log");
        write_log(&path, &batches);
        let mut bytes = std::fs::read(&path).expect("read");
        if let Some(at) = cut_at {
            // Anywhere after the genesis line.
            let genesis_end = bytes.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
            let cut = genesis_end + at.index(bytes.len() - genesis_end);
            bytes.truncate(cut);
            std::fs::write(&path, &bytes).expect("cut");
        }
        let report = verify_path(&path);
        let repair = repair_of(&bytes);
        if cut_at.is_none() {
            prop_assert!(report.is_sound(), "{:?}", report);
            prop_assert_eq!(&repair, &None);
        }
        for (name, mut content, marker) in plants {
            if marker {
                // An old-format marker naming a range from a random offset to past the end.
                let start = range.0.index(bytes.len().max(1)) as u64;
                content = old_marker(start, bytes.len() as u64 + range.1);
            }
            let side = dir.path().join(format!("p.log.{name}"));
            if side.is_dir() {
                continue;
            }
            std::fs::write(&side, &content).expect("plant");
        }
        prop_assert_eq!(verify_path(&path), report);
        let repaired = acta_store::log::repair(&path, Some(op_key().verifier())).expect("repair");
        prop_assert_eq!(outcome_of(repaired.outcome), repair);
    }

    /// The parallel verifier (small chunks, so batches straddle chunk boundaries) and the
    /// sequential one agree on logs with batches, whole or cut at any byte, or with one line
    /// removed (which breaks a batch or leaves it unfinished); and a log cut at a line
    /// boundary inside a batch is reported `unfinished_batch` with the right size and count.
    #[test]
    fn trust_parallel_and_sequential_verify_agree_on_batches(
        batches in proptest::collection::vec(1usize..6, 1..6),
        damage in 0u8..3,
        at in any::<prop::sample::Index>(),
        chunk in 1usize..5,
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("d.log");
        write_log(&path, &batches);
        let bytes = std::fs::read(&path).expect("read");
        let lines = lines_of(&bytes);
        let damaged: Vec<u8> = match damage {
            0 => bytes.clone(),
            1 => bytes[..at.index(bytes.len() + 1)].to_vec(),
            _ => {
                let drop = 1 + at.index(lines.len() - 1);
                let mut out = Vec::new();
                for (i, (_, l)) in lines.iter().enumerate() {
                    if i != drop {
                        out.extend_from_slice(l);
                        out.push(b'\n');
                    }
                }
                out
            }
        };
        std::fs::write(&path, &damaged).expect("write");
        let store = FileStore::open_reader(&path).expect("open");
        let options = VerifyOptions {
            trust: Some(op_key().verifier()),
            ..VerifyOptions::default()
        };
        let parallel = acta_store::log::verify_in_chunks(&store, options.clone(), chunk)
            .expect("verify");
        let sequential = acta_store::verify_sequential(&store, options).expect("verify");
        prop_assert_eq!(&parallel, &sequential);
        if damage == 0 {
            prop_assert!(parallel.is_sound(), "{:?}", parallel);
        }
        // A cut at a line boundary: unfinished iff it falls inside a batch.
        if damage == 1 && damaged.last().is_none_or(|&b| b == b'\n') && !damaged.is_empty() {
            let kept = lines_of(&damaged).len();
            // Line indexes of each batch: the genesis is line 0.
            let mut first = 1;
            let mut expected = None;
            for &n in &batches {
                if kept > first && kept < first + n {
                    expected = Some((
                        first as u64,
                        FindingKind::UnfinishedBatch {
                            size: n as u64,
                            missing: (first + n - kept) as u64,
                        },
                    ));
                }
                first += n;
            }
            let found: Vec<_> = parallel
                .findings
                .iter()
                .map(|f| (f.entry, f.kind.clone()))
                .collect();
            prop_assert_eq!(found, expected.into_iter().collect::<Vec<_>>());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Finding 2, the open-ended class: a log of batches cut at any byte (a crash, or someone
    /// truncating it) is repaired to exactly the log up to the end of the last batch whose
    /// lines are all there, each whole, its newline restored if only that is missing: every
    /// entry of a batch whose bytes survived whole stays (a single entry is a batch of one), and
    /// only the lines of a batch cut short and a partial line are moved. Derived only from the
    /// original log's line boundaries and batch sizes, not from the verifier.
    #[test]
    fn trust_a_log_cut_at_any_byte_keeps_every_whole_batch(
        batches in proptest::collection::vec(1usize..4, 1..5),
        at in any::<prop::sample::Index>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.log");
        write_log(&path, &batches);
        let original = std::fs::read(&path).expect("read");
        let lines = lines_of(&original);
        // Where each batch's last line ends (its newline's offset); the genesis is one.
        let mut batch_ends = vec![lines[0].0 + lines[0].1.len() as u64];
        let mut next = 1;
        for &n in &batches {
            next += n;
            let (offset, line) = lines[next - 1];
            batch_ends.push(offset + line.len() as u64);
        }
        let genesis_end = batch_ends[0] as usize + 1;
        let cut = genesis_end + at.index(original.len() - genesis_end);
        std::fs::write(&path, &original[..cut]).expect("cut");
        // Kept: up to the newline of the last batch whose bytes, newline aside, all survived.
        let kept = batch_ends
            .iter()
            .rev()
            .find(|&&end| end as usize <= cut)
            .map_or(0, |&end| end as usize + 1);
        let repaired = acta_store::log::repair(&path, Some(op_key().verifier())).expect("repair");
        let after = std::fs::read(&path).expect("read");
        prop_assert_eq!(&after[..], &original[..kept], "cut at {} of {}", cut, original.len());
        let restored = matches!(repaired.outcome, RepairOutcome::NewlineRestored { .. });
        prop_assert_eq!(restored, kept == cut + 1, "{:?}", repaired);
        prop_assert!(verify_path(&path).is_sound());
    }
}

// ---------------------------------------------------------------------------------------------
// Case 12 (second half): a streamed import is still all or nothing

/// `acta import` reads its events twice (all checked before any is written, then signed one
/// at a time, in memory that does not grow with the batch), so the second pass must read the
/// bytes the first one checked. A FIFO (or any non-regular file) could give each pass other
/// bytes: it is refused at once, without waiting on it, and nothing is written. (A regular
/// file changed in place between the passes imports nothing: the unit test
/// `import::tests::events_changed_between_the_passes_import_nothing`.)
#[test]
fn trust_import_from_a_fifo_is_refused_at_once_and_writes_nothing() {
    let (dir, trust) = setup(0, false);
    let d = dir.path();
    let fifo = d.join("ev.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    let before = std::fs::read(d.join("x.log")).expect("read");
    let o = run(d, &["import", "x.log", "--key", "op.key", "ev.fifo"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("ev.fifo") && o.stderr.contains("not a regular file"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("nothing was imported"), "{}", o.stderr);
    assert_eq!(std::fs::read(d.join("x.log")).expect("read"), before);
    let (code, findings) = verify_json(d, "x.log", &trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

/// An import refused near its end (the 4,999th of 5,000 events has a reserved type, which
/// only the second pass, signing and checking each entry, refuses) writes nothing: the log
/// and its tree file are as before, and the error names the line.
#[test]
fn trust_streamed_import_refused_at_the_end_writes_nothing() {
    let (dir, trust) = setup(0, false);
    let d = dir.path();
    let before = std::fs::read(d.join("x.log")).expect("read");
    let tree_before = std::fs::read(d.join("x.log.tree")).expect("read");
    let jsonl: String = (0..5_000)
        .map(|i| {
            let t = if i == 4_998 { "acta.nope" } else { "test.bulk" };
            format!("{{\"type\":\"{t}\",\"data\":{{\"i\":{i}}}}}\n")
        })
        .collect();
    std::fs::write(d.join("big.jsonl"), jsonl).expect("write");
    let o = run(d, &["import", "x.log", "--key", "op.key", "big.jsonl"]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("big.jsonl line 4999"), "{}", o.stderr);
    assert_eq!(std::fs::read(d.join("x.log")).expect("read"), before);
    assert_eq!(
        std::fs::read(d.join("x.log.tree")).expect("read"),
        tree_before
    );
    let (code, findings) = verify_json(d, "x.log", &trust);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}
