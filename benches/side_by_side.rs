//! acta's side of the comparison with Hypercore (`benches/hypercore/run.sh`): the same
//! workloads as `benches/hypercore/hypercore-bench.mjs`, through the library (not the CLI), so
//! that like is compared with like.
//!
//! ```text
//! cargo bench --bench side_by_side                         # N = 100000, all cases
//! N=20000 CASES=append_batch,verify cargo bench --bench side_by_side
//! ```
//!
//! Cases (each prints one JSON line on stdout; progress goes to stderr):
//!
//! - `append_single`: a new log (genesis), then N entries appended one per call with
//!   [`LogWriter::append`] on a writer held open: each call builds, signs (Ed25519), checks and
//!   writes one entry and returns after `fdatasync`, so the entry is durable when it returns.
//! - `limit_fdatasync`: right after `append_single`, in the same directory: 600-byte appends to a
//!   file, each followed by `File::sync_data` (min(N, 2000) of them). The floor of a durable
//!   single append on this file system at this moment.
//! - `append_batch`: a new log, then N entries in calls of `BATCH` (default 100) with
//!   [`LogWriter::append_batch`]: every entry signed, one `fdatasync` per call.
//! - `verify`: [`acta_store::verify`] of the `append_batch` log with the trust key and the
//!   writer's final head and RFC 6962 root as expectations: every signature (strict Ed25519),
//!   the hash chain, seq, time, keyring and roles, and the tree root of all lines.
//!
//! Every case checks its result: each returned head, the last entry decoded and its signature
//! verified, and the verify report sound with N + 1 entries (N plus the genesis), the expected
//! head and root.
//!
//! Environment: `N` (entries appended, default 100000), `BATCH` (entries per call in
//! `append_batch`, default 100), `CASES` (comma-separated, default all), `ACTA_BENCH_DIR` (where
//! the temporary logs go; default the system's temporary directory). Under `cargo test
//! --benches` (no `--bench` argument) N is 100 whatever the environment says, so the test stays
//! fast.

mod common;
use common::{ENTRY_TYPE, check_last_entry, clock, event, key};

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use acta_core::json::Object;
use acta_core::verify::Head;
use acta_core::{Genesis, Roles, SigningKey, VerifyOptions};
use acta_store::{FileStore, LogWriter};
use base64::Engine as _;
use serde_json::json;

/// The log's origin (as in the genesis).
const ORIGIN: &str = "bench.acta.invalid/side-by-side";
/// Entries appended under `cargo test --benches`.
const TEST_N: u64 = 100;
/// The most fdatasync calls `limit_fdatasync` makes.
const SYNC_PROBES: u64 = 2_000;

fn create(path: &Path, key: &SigningKey) -> LogWriter<FileStore> {
    let genesis = Genesis {
        origin: ORIGIN.to_owned(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: None,
    };
    LogWriter::create(path, &genesis, key, clock()).expect("create the log")
}

/// The bytes of the log and its tree file.
fn bytes_on_disk(path: &Path) -> u64 {
    let tree = acta_store::TreeFile::path_for(path);
    [path, tree.as_path()]
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum()
}

fn report(case: &str, n: u64, calls: u64, seconds: f64, extra: serde_json::Value) {
    let mut line = json!({
        "side": "acta",
        "case": case,
        "n": n,
        "calls": calls,
        "seconds": (seconds * 1e4).round() / 1e4,
        "per_sec": (n as f64 / seconds).round() as u64,
    });
    if let (Some(line), Some(extra)) = (line.as_object_mut(), extra.as_object()) {
        line.extend(extra.clone());
        line.insert("check".into(), "ok".into());
    }
    println!("{line}");
}

/// What `append_batch` leaves for `verify`.
struct BatchLog {
    path: std::path::PathBuf,
    head: Head,
    root: [u8; 32],
}

fn append_single(dir: &Path, key: &SigningKey, n: u64) {
    let path = dir.join("single.log");
    let mut w = create(&path, key);
    let data: Vec<Object> = (1..=n).map(event).collect();
    let started = Instant::now();
    for (i, d) in (1..=n).zip(&data) {
        let head = w.append(key, ENTRY_TYPE, d, clock()).expect("append");
        assert_eq!(head.seq, i, "each append returns the next head");
    }
    let seconds = started.elapsed().as_secs_f64();
    drop(w);
    let (seq, line) = check_last_entry(&path, ORIGIN, key);
    assert_eq!(seq, n, "the last entry's seq");
    report(
        "append_single",
        n,
        n,
        seconds,
        json!({
            "signs": n,
            "fdatasyncs": n,
            "last_line_bytes": line,
            "bytes_on_disk": bytes_on_disk(&path),
        }),
    );
}

fn limit_fdatasync(dir: &Path, n: u64) {
    let probes = n.min(SYNC_PROBES);
    let path = dir.join("fdatasync.probe");
    let mut f = OpenOptions::new()
        .create_new(true)
        .append(true)
        .open(&path)
        .expect("create the probe file");
    let buf = [b'x'; 600];
    let started = Instant::now();
    for _ in 0..probes {
        f.write_all(&buf).expect("write");
        f.sync_data().expect("fdatasync");
    }
    let seconds = started.elapsed().as_secs_f64();
    let len = f.metadata().expect("stat the probe file").len();
    assert_eq!(len, probes * 600, "probe file length");
    report("limit_fdatasync", probes, probes, seconds, json!({}));
}

fn append_batch(dir: &Path, key: &SigningKey, n: u64, batch: usize, timed: bool) -> BatchLog {
    let path = dir.join("batch.log");
    let mut w = create(&path, key);
    let data: Vec<Object> = (1..=n).map(event).collect();
    let items: Vec<(&str, &Object)> = data.iter().map(|d| (ENTRY_TYPE, d)).collect();
    let mut calls = 0;
    let mut appended = 0;
    let started = Instant::now();
    for chunk in items.chunks(batch) {
        let head = w.append_batch(key, chunk, clock()).expect("append");
        calls += 1;
        appended += chunk.len() as u64;
        assert_eq!(head.seq, appended, "each batch returns the new head");
    }
    let seconds = started.elapsed().as_secs_f64();
    let head = w.head();
    let root = w.frontier().root();
    drop(w);
    let (seq, line) = check_last_entry(&path, ORIGIN, key);
    assert_eq!(seq, n, "the last entry's seq");
    if timed {
        report(
            "append_batch",
            n,
            calls,
            seconds,
            json!({
                "batch": batch,
                "signs": n,
                "fdatasyncs": calls,
                "last_line_bytes": line,
                "bytes_on_disk": bytes_on_disk(&path),
            }),
        );
    }
    BatchLog { path, head, root }
}

fn verify(log: &BatchLog, key: &SigningKey, n: u64) {
    let options = VerifyOptions {
        trust: Some(key.verifier()),
        expect_head: Some((log.head.seq, log.head.hash)),
        check_signatures: true,
        expect_roots: vec![(n + 1, log.root)],
    };
    let started = Instant::now();
    let store = FileStore::open_reader(&log.path).expect("open the log");
    let r = acta_store::verify(&store, options).expect("read the log");
    let seconds = started.elapsed().as_secs_f64();
    assert!(r.is_sound(), "the log verifies: {:?}", r.findings.first());
    assert_eq!(r.entries, n + 1, "entries (N plus the genesis)");
    assert_eq!(r.head.map(|h| h.seq), Some(n), "head seq");
    let root = base64::engine::general_purpose::STANDARD.encode(log.root);
    assert_eq!(
        r.root.map(|r| r.to_string()).as_deref(),
        Some(root.as_str()),
        "tree root"
    );
    report(
        "verify",
        n + 1,
        1,
        seconds,
        json!({ "signature_verifies": n + 1, "bytes": store.len_bytes() }),
    );
}

fn main() {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let env_number = |name: &str, default: u64| -> u64 {
        match std::env::var(name) {
            Ok(s) => match s.parse() {
                Ok(v) if v > 0 => v,
                _ => {
                    eprintln!("{name}={s:?} is not a positive integer");
                    std::process::exit(2);
                }
            },
            Err(_) => default,
        }
    };
    let n = if bench_mode {
        env_number("N", 100_000)
    } else {
        TEST_N
    };
    let batch = usize::try_from(env_number("BATCH", 100)).expect("BATCH fits in usize");
    let all = "append_single,limit_fdatasync,append_batch,verify";
    let cases = std::env::var("CASES").unwrap_or_else(|_| all.to_owned());
    let cases: Vec<&str> = cases.split(',').map(str::trim).collect();
    for c in &cases {
        assert!(
            all.split(',').any(|k| k == *c),
            "unknown case {c}; known: {all}"
        );
    }
    let dir = match std::env::var_os("ACTA_BENCH_DIR") {
        Some(base) => tempfile::tempdir_in(base),
        None => tempfile::tempdir(),
    }
    .expect("create a temporary directory");
    // Make sure the directory entry is on disk before the first durable append.
    File::open(dir.path())
        .and_then(|d| d.sync_all())
        .expect("sync the directory");
    let key = key();
    let mut batch_log = None;
    for case in cases {
        eprintln!("acta: {case}, N={n}...");
        match case {
            "append_single" => append_single(dir.path(), &key, n),
            "limit_fdatasync" => limit_fdatasync(dir.path(), n),
            "append_batch" => batch_log = Some(append_batch(dir.path(), &key, n, batch, true)),
            _ => {
                // "verify": of the append_batch log, built (untimed) if that case did not run.
                let log = batch_log
                    .take()
                    .unwrap_or_else(|| append_batch(dir.path(), &key, n, 1_000, false));
                verify(&log, &key, n);
                batch_log = Some(log);
            }
        }
    }
}
