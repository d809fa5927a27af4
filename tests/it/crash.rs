//! Crash safety and concurrent writers, with real processes.
//!
//! The writer is `acta-torture` (`crates/testkit/src/bin/acta-torture.rs`), a test-only binary
//! of the `acta-testkit` package. Cargo gives an integration test only the binaries of its own
//! package (`CARGO_BIN_EXE_*`), so the first test that needs it runs `cargo build -p
//! acta-testkit --bin acta-torture` once per test run, with the same cargo (`$CARGO`), profile
//! and target directory as this test binary (so nothing is rebuilt in another profile), and
//! runs it from there.
//!
//! - [`sigkilled_writers_lose_no_acknowledged_entry`] starts `acta-torture append-loop`, which
//!   appends single entries or batches and prints `ack SEQ HASH` after each append returns,
//!   and kills it with SIGKILL (`Child::kill`): after a random delay, a little after its first
//!   acks, or the moment the log grows (to land inside a write). A quarter as many runs again
//!   end by a file size limit (`prlimit --fsize`) set at a random byte of an append: the
//!   kernel cuts the write there and kills the writer with SIGXFSZ, which tears lines and
//!   batches reliably (SIGKILL tears one only when it lands between two page-cache folios of
//!   one write, which is rare). After every crash it checks that every acknowledged entry is
//!   in the log at its seq; that `open_writer` accepts the log or reports its torn tail at
//!   the right offset; that the verifier reports exactly the torn tail and, if the complete
//!   lines end inside a batch (the workload's own `i`/`n` data say which), `unfinished_batch`
//!   for it; that [`acta_store::log::repair`] moves exactly those bytes (the batch's lines and
//!   the torn tail) to the side file and leaves every line before them byte-identical; that
//!   the log then verifies sound
//!   under the trust key; that [`LogWriter::open`] brings `LOG.tree` up to date (byte for
//!   byte the stored layout of the lines' tree, its root the verifier's); and that every
//!   batch in the log is a whole batch or, cut by a crash, a prefix of one (see
//!   [`BATCHES_WHOLE_AFTER_CRASH`]). The workload varies per run: batch size, entry size, how
//!   often the child drops and reopens its writer, fresh logs (so kills land in
//!   `LogWriter::create`), damaged or deleted tree files (so kills land in the rebuild), and
//!   damaged, deleted or stale state files (`LOG.state`, so opens fall back to a full replay
//!   or replay a tail), and a `LOG.batch` planted beside the log (random bytes, a marker of the
//!   older format naming the last batch, a symlink to a stand-in for a key file, a FIFO), which
//!   must change nothing: nothing reads it, so no child blocks and the pointed-to file is never
//!   written; and a symlink to that stand-in or a FIFO planted as `LOG.tree` or `LOG.state`,
//!   which the writer must replace without writing through it or waiting on it. After every crash the writer's chain state and tree, however it
//!   learned them, must equal a full replay's, and the state file it leaves must be current.
//! - [`concurrent_writers_interleave_without_loss`] runs four `acta-torture append-n`
//!   processes on one log at once, each opening a writer for every single append, while this
//!   process verifies the log again and again: every report must be sound and no shorter
//!   than the one before, and a prefix of the final log; in the end every entry is there
//!   exactly once, in each writer's order, and the tree file matches.
//!
//! Sizes (the defaults keep the debug build's CI run to about half a minute per test):
//!
//! - `ACTA_CRASH_KILLS` (default 200): SIGKILLs; plus a quarter as many size-limit crashes.
//! - `ACTA_CRASH_SEED` (default: from the clock): the seed of the plan (delays, workload).
//!   Timing makes a run irreproducible anyway; the seed is printed, and is part of every
//!   failure message.
//! - `ACTA_WRITERS_COUNT` (default 250): entries per concurrent writer. Every append opens
//!   the log (`LogWriter::open`), which resumes from the state file and replays only what the
//!   other writers appended since (each of them keeps the state file current).
//!
//! The recorded run (figures on stderr):
//!
//! ```sh
//! ACTA_CRASH_KILLS=2000 ACTA_WRITERS_COUNT=1000 cargo test --release --test it crash:: -- --nocapture
//! ```

#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use acta_core::entry::Entry;
use acta_core::json::{Number, Object, Value};
use acta_core::tree::{MemoryTree, tree_hash};
use acta_core::{EntryHash, Genesis, Report, Roles, SigningKey, VerifierKey, VerifyOptions};
use acta_store::{FileStore, LogWriter, Opened, RepairOutcome, StoreError, TreeFile};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// Kills in the CI run.
const CI_KILLS: usize = 200;
/// Entries per concurrent writer in the CI run.
const CI_WRITER_COUNT: u64 = 250;
/// Concurrent writer processes.
const WRITERS: u64 = 4;
/// The reader's pause between two verifications of the shared log.
const READER_PAUSE: Duration = Duration::from_millis(20);
/// A crash log is retired, and a fresh one created by the child, once it has this many
/// entries or has seen this many kills; this bounds the cost of verifying it after each kill.
const MAX_LOG_ENTRIES: usize = 300;
const MAX_LOG_KILLS: usize = 30;
/// README.md and DESIGN.md say a batch is one write, "all or nothing". When an append fails
/// the store truncates the batch away; when the writer dies inside the batch's write, the
/// batch's complete lines say so themselves (their signed `more`): verify reports
/// `unfinished_batch`, and `acta_store::log::repair` moves them aside with the torn tail. With
/// this `true`, the test asserts that no batch in a repaired log is cut short (set it to
/// `false` to only count such batches).
const BATCHES_WHOLE_AFTER_CRASH: bool = true;
/// How long to wait for a child's acks before killing it anyway.
const ACK_TIMEOUT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// The torture binary, keys, randomness

/// The `acta-torture` binary, built once per test run beside this test binary.
fn torture_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // This binary is TARGET/PROFILE/deps/it-HASH.
        let exe = std::env::current_exe().expect("the test binary's path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test binary is in TARGET/PROFILE/deps");
        let target_dir = profile_dir.parent().expect("the target directory");
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") => "dev",
            Some(name) => name,
            None => "dev",
        };
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let started = Instant::now();
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "-p",
                "acta-testkit",
                "--bin",
                "acta-torture",
            ])
            .arg("--profile")
            .arg(profile)
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("running cargo build for acta-torture");
        assert!(
            status.success(),
            "cargo build -p acta-testkit --bin acta-torture failed: {status}"
        );
        let bin = profile_dir.join(format!("acta-torture{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.is_file(), "{} was not built", bin.display());
        eprintln!(
            "built {} in {:.1} s",
            bin.display(),
            started.elapsed().as_secs_f64()
        );
        bin
    })
}

/// The key `acta-torture --key-seed N` signs with.
fn torture_key(key_seed: u64) -> SigningKey {
    acta_testkit::test_key(&format!("test-only-torture-{key_seed}")).expect("a test key")
}

fn trusting(key: &VerifierKey) -> VerifyOptions {
    VerifyOptions {
        trust: Some(key.clone()),
        ..VerifyOptions::default()
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| unreachable_number(name, &v)),
        Err(_) => default,
    }
}

fn unreachable_number(name: &str, value: &str) -> u64 {
    fail(&format!("{name}={value:?} is not a number"))
}

/// SplitMix64, seeded: the plan of a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform enough in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

// ---------------------------------------------------------------------------------------------
// Children

/// A running `acta-torture` with its stdout read line by line on a thread.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    reader: JoinHandle<()>,
}

/// Starts `acta-torture ARGS`, under `prlimit PRLIMIT…` if `prlimit` is not empty.
fn spawn(args: &[String], prlimit: &[String]) -> Running {
    let mut command = if prlimit.is_empty() {
        Command::new(torture_bin())
    } else {
        let mut c = Command::new("prlimit");
        c.args(prlimit).arg(torture_bin());
        c
    };
    let mut child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting acta-torture");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, lines) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut stdout = BufReader::new(stdout);
        let mut line = Vec::new();
        loop {
            line.clear();
            match stdout.read_until(b'\n', &mut line) {
                // Only complete lines count: a line cut by the kill was not printed.
                Ok(_) if line.last() == Some(&b'\n') => {
                    line.pop();
                    let text = String::from_utf8_lossy(&line).into_owned();
                    if tx.send(text).is_err() {
                        return;
                    }
                }
                _ => return,
            }
        }
    });
    Running {
        child,
        lines,
        reader,
    }
}

impl Running {
    /// Waits (at most [`ACK_TIMEOUT`]) until `acks` ack lines are among the lines read,
    /// collecting them in `seen`.
    fn wait_for_acks(&self, acks: usize, seen: &mut Vec<String>) {
        let deadline = Instant::now() + ACK_TIMEOUT;
        while seen.iter().filter(|l| l.starts_with("ack ")).count() < acks {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => seen.push(line),
                Err(_) => return,
            }
        }
    }

    /// Watches the log's length and sends SIGKILL the moment it changes (at most
    /// [`ACK_TIMEOUT`] later), to catch the child inside a write.
    fn kill_on_growth(&mut self, log: &Path) {
        let Ok(file) = std::fs::File::open(log) else {
            return;
        };
        let size = || file.metadata().map_or(0, |m| m.len());
        let start = size();
        let deadline = Instant::now() + ACK_TIMEOUT;
        while size() == start && Instant::now() < deadline {
            std::hint::spin_loop();
        }
        let _ = self.child.kill();
    }

    /// Kills the child with SIGKILL if `kill`, waits for it to end (at most [`ACK_TIMEOUT`]),
    /// checks that `signal` ended it, and returns every complete line it printed.
    fn end(mut self, kill: bool, signal: i32, context: &str) -> Vec<String> {
        if kill {
            self.child.kill().expect("killing acta-torture");
        }
        let deadline = Instant::now() + ACK_TIMEOUT;
        let status = loop {
            match self.child.try_wait().expect("waiting for acta-torture") {
                Some(status) => break status,
                None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(1)),
                None => {
                    let _ = self.child.kill();
                    break self.child.wait().expect("waiting for acta-torture");
                }
            }
        };
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        assert_eq!(
            status.signal(),
            Some(signal),
            "{context}: acta-torture ended with {status}, not signal {signal}: {stderr}"
        );
        self.reader.join().expect("the stdout reader thread");
        self.lines.try_iter().collect()
    }
}

/// `ack SEQ HASH`.
fn parse_ack(line: &str) -> Option<(u64, EntryHash)> {
    let rest = line.strip_prefix("ack ")?;
    let (seq, hash) = rest.split_once(' ')?;
    Some((seq.parse().ok()?, hash.parse().ok()?))
}

// ---------------------------------------------------------------------------------------------
// Checks shared by both tests

/// A torn tail: its offset and bytes.
type Torn<'a> = Option<(u64, &'a [u8])>;

/// The complete lines of `bytes` and its torn tail `(offset, bytes)`, computed independently
/// of the store.
fn split_log(bytes: &[u8]) -> (Vec<&[u8]>, Torn<'_>) {
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let lines = bytes[..complete]
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let torn = (complete < bytes.len()).then(|| (complete as u64, &bytes[complete..]));
    (lines, torn)
}

/// A batch that the complete lines of a crash log end inside, found from the workload's own
/// data (`i` of `n`), independently of `more` and of the verifier: the offset and line index
/// of its first line, its size and how many of its entries are missing.
fn cut_batch(lines: &[&[u8]]) -> Option<(u64, u64, u64, u64)> {
    let last = lines.last()?;
    let entry = Entry::decode(last).expect("a well-formed entry").entry;
    let (Some(Value::Number(Number::Int(i))), Some(Value::Number(Number::Int(n)))) =
        (entry.data.get("i"), entry.data.get("n"))
    else {
        return None;
    };
    let (i, n) = (u64::try_from(*i).ok()?, u64::try_from(*n).ok()?);
    if i + 1 >= n {
        return None;
    }
    let first = lines.len() - 1 - i as usize;
    let offset = lines[..first].iter().map(|l| l.len() as u64 + 1).sum();
    Some((offset, first as u64, n, n - 1 - i))
}

/// Whether the torn tail of a crash log is a whole entry whose newline alone is missing (a crash
/// between a line's last byte and its newline) that is the last entry of its batch, or an entry
/// appended alone: the entry the writer would append next (its seq is the number of complete
/// lines), and no batch is left cut short with it, found from the workload's own data (`i` of
/// `n`), independently of `more` and of the verifier. The verifier then reports
/// `missing_newline` and repair restores the newline, instead of a torn tail moved aside.
fn unterminated_entry(complete: &[&[u8]], torn: Torn<'_>) -> bool {
    let Some((_, tail)) = torn else {
        return false;
    };
    // A strict prefix of a canonical entry is never a JSON object, so a tail that decodes is a
    // whole line the writer wrote.
    let Ok(d) = Entry::decode(tail) else {
        return false;
    };
    let mut lines = complete.to_vec();
    lines.push(tail);
    d.non_canonical_at.is_none()
        && d.entry.seq == complete.len() as u64
        && cut_batch(&lines).is_none()
}

/// Opens the log with [`LogWriter::open`] and saves its derived files (which rebuilds or
/// extends `LOG.tree`: an open alone writes nothing beside the log), then checks
/// that the writer's head and root, the tree file's root and the whole tree file agree with
/// the verifier's report and with the tree of `lines`.
///
/// The writer may have resumed from the state file (`LOG.state`) or replayed the log; either
/// way its chain state and tree must be exactly those of a full replay, and the state file it
/// leaves must let the next open resume without reading any line but the last. The writer
/// opens with the key of the log's trust anchor `trust` (the torture key), whose state file
/// the torture processes keep.
fn check_writer_and_tree(
    log: &Path,
    trust: &VerifierKey,
    lines: &[&[u8]],
    report: &Report,
    context: &str,
) {
    let key = acta_testkit::test_key(trust.name()).expect("a test key");
    let mut writer = LogWriter::open(log, &key)
        .unwrap_or_else(|e| fail(&format!("{context}: the log does not open for append: {e}")));
    let root = report
        .root
        .map(|r| r.to_string())
        .expect("the report has a root");
    assert_eq!(Some(writer.head()), report.head, "{context}: writer head");
    assert_eq!(
        BASE64.encode(writer.frontier().root()),
        root,
        "{context}: writer root"
    );
    let (chain, frontier, opened) = (
        writer.chain().clone(),
        writer.frontier().clone(),
        writer.opened(),
    );
    writer
        .save_derived()
        .unwrap_or_else(|e| fail(&format!("{context}: the writer cannot save: {e}")));
    drop(writer);
    let full = LogWriter::from_store(FileStore::open_reader(log).expect("opening the log"))
        .unwrap_or_else(|e| fail(&format!("{context}: a full replay fails: {e}")));
    assert_eq!(
        (&chain, &frontier),
        (full.chain(), full.frontier()),
        "{context}: the writer ({opened:?}) does not know what a full replay knows"
    );
    drop(full);
    let again = LogWriter::open(log, &key).expect("opening the log again");
    assert_eq!(
        again.opened(),
        Opened::Resumed { lines: 0 },
        "{context}: the state file was not brought up to date"
    );
    drop(again);
    let tree_path = TreeFile::path_for(log);
    let tree = TreeFile::open_reader(&tree_path)
        .expect("reading the tree file")
        .unwrap_or_else(|| fail(&format!("{context}: LogWriter::open left no tree file")));
    let n = lines.len() as u64;
    let stored = tree_hash(n, &tree)
        .unwrap_or_else(|e| fail(&format!("{context}: tree file root at {n}: {e:?}")));
    assert_eq!(BASE64.encode(stored), root, "{context}: tree file root");
    let expected = MemoryTree::from_leaves(lines.iter().map(|l| EntryHash::of_line(l)));
    let bytes = std::fs::read(&tree_path).expect("reading the tree file");
    assert!(
        bytes
            .chunks(32)
            .eq(expected.stored_hashes().iter().map(|h| &h[..])),
        "{context}: the tree file ({} bytes) is not the stored layout of the log's {n} lines",
        bytes.len()
    );
}

/// A failed check, as a panic with `message` (for use in closures and match arms).
#[allow(clippy::panic)] // Test code: failing is the point.
fn fail<T>(message: &str) -> T {
    panic!("{message}")
}

fn verify_file(log: &Path, trust: &VerifierKey) -> Report {
    let reader = FileStore::open_reader(log).expect("opening the log for reading");
    acta_store::verify(&reader, trusting(trust)).expect("verifying the log")
}

// ---------------------------------------------------------------------------------------------
// Crash safety

#[derive(Debug, Default)]
struct CrashStats {
    /// SIGKILLs sent by this test.
    kills: usize,
    /// Children stopped mid-write by the file size limit (SIGXFSZ).
    size_limit_crashes: usize,
    /// Where the kills landed, by the child's last line.
    killed_before_output: usize,
    killed_in_create: usize,
    killed_in_open: usize,
    killed_in_append: usize,
    /// Kills that left no log (during `LogWriter::create`).
    no_log_after_kill: usize,
    torn_after_kill: usize,
    torn_after_size_limit: usize,
    torn_bytes: u64,
    /// Torn tails that were a whole entry missing only its newline (restored by repair).
    newlines_restored: usize,
    ack_lines: usize,
    /// Distinct entries covered by acks (an ack of a head covers every entry before it).
    acked_entries: u64,
    /// Entries the children wrote, and how many of them were durable but never acknowledged.
    entries_written: u64,
    unacked_present: u64,
    /// Batches of which only a prefix survived a crash (whole lines, never acknowledged).
    partial_after_kill: usize,
    partial_after_size_limit: usize,
    /// Batches cut short by a crash (their complete lines never acknowledged) and moved aside
    /// by repair.
    moved_after_kill: usize,
    moved_after_size_limit: usize,
    /// Files planted as `LOG.batch` before a run.
    batch_files_planted: usize,
    /// Symlinks or FIFOs planted at `LOG.tree` or `LOG.state` before a run.
    derived_files_planted: usize,
    batch_rounds: usize,
    tree_damaged: usize,
    /// State files damaged, deleted or replaced by an older one before a run.
    state_damaged: usize,
    logs: usize,
    leftover_temp_files: usize,
    recovery: Duration,
}

/// How a child's run ends.
#[derive(Debug)]
enum Crash {
    /// SIGKILL after this long.
    After(Duration),
    /// SIGKILL this long after this many acks.
    AfterAcks(usize, Duration),
    /// SIGKILL after the first ack, as soon as the log's size changes (aims at a write).
    OnGrowth,
    /// Run under a file size limit (`prlimit --fsize`) at this log length: the write that
    /// crosses it stops there, and the kernel kills the child with SIGXFSZ.
    SizeLimit(u64),
}

/// The current crash log and what was acknowledged in it.
struct CrashLog {
    path: PathBuf,
    acked: BTreeMap<u64, EntryHash>,
    crashes: usize,
    /// Batches found cut short after a crash.
    partial_batches: usize,
    /// A state file (`LOG.state`) from earlier in this log's life, to put back now and then.
    old_state: Option<Vec<u8>>,
}

impl CrashLog {
    fn new(dir: &Path, index: usize) -> CrashLog {
        CrashLog {
            path: dir.join(format!("log-{index}.log")),
            acked: BTreeMap::new(),
            crashes: 0,
            partial_batches: 0,
            old_state: None,
        }
    }

    /// Checks the batches of the whole log (see [`batch_check`]): as many were cut short as
    /// were seen cut short at the end of the log after each crash.
    fn check_batches(&self, context: &str) {
        let partial = batch_check(&self.path, context);
        assert_eq!(
            partial, self.partial_batches,
            "{context}: batches cut short in the log, and seen cut short after crashes"
        );
    }

    /// Entries covered by acks: an ack of seq S covers 0..=S.
    fn acked_entries(&self) -> u64 {
        self.acked.keys().next_back().map_or(0, |s| s + 1)
    }
}

const SIGKILL: i32 = 9;
/// The signal the kernel sends a process that writes past its file size limit (Linux).
const SIGXFSZ: i32 = 25;

/// Whether `prlimit` (util-linux) can run a program under a file size limit.
fn prlimit_available() -> bool {
    Command::new("prlimit")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn sigkilled_writers_lose_no_acknowledged_entry() {
    let target =
        usize::try_from(env_number("ACTA_CRASH_KILLS", CI_KILLS as u64)).expect("a kill count");
    let seed = env_number(
        "ACTA_CRASH_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
    );
    let size_limit_target = if prlimit_available() {
        target / 4
    } else {
        // Straight to the process's stderr: the test harness captures `eprintln!`.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** crash test: `prlimit` (util-linux) is missing: no size-limit crashes, so \
             torn tails are left to chance ***\n"
        );
        0
    };
    eprintln!(
        "crash test: ACTA_CRASH_SEED={seed} ACTA_CRASH_KILLS={target}, \
         {size_limit_target} size-limit crashes"
    );
    torture_bin();
    let started = Instant::now();
    let key_seed = 1;
    let trust = torture_key(key_seed).verifier();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut rng = Rng(seed);
    let mut stats = CrashStats {
        logs: 1,
        ..CrashStats::default()
    };
    let mut log = CrashLog::new(dir.path(), 0);
    let mut entries_now = 0;
    // A stand-in for a private key file, for planted LOG.batch symlinks to point to.
    let secret = dir.path().join("secret-key");
    std::fs::write(&secret, SECRET).expect("writing the stand-in key file");

    while stats.kills < target || stats.size_limit_crashes < size_limit_target {
        let context = format!(
            "ACTA_CRASH_SEED={seed}, crash {}, {}",
            stats.kills + stats.size_limit_crashes,
            log.path.display()
        );
        if entries_now >= MAX_LOG_ENTRIES || log.crashes >= MAX_LOG_KILLS {
            log.check_batches(&context);
            stats.acked_entries += log.acked_entries();
            log = CrashLog::new(dir.path(), stats.logs);
            stats.logs += 1;
            entries_now = 0;
        }

        // Damage the derived tree file now and then, so that kills land in its rebuild.
        let tree_path = TreeFile::path_for(&log.path);
        if is_regular(&tree_path) && rng.chance(15) {
            stats.tree_damaged += 1;
            damage_tree(&tree_path, &mut rng);
        }
        // Likewise the derived state file: the writer must notice and replay.
        let state_path = acta_store::state_file::path_for(&log.path);
        if let Some(bytes) = is_regular(&state_path)
            .then(|| std::fs::read(&state_path).ok())
            .flatten()
        {
            if log.old_state.is_none() || rng.chance(10) {
                log.old_state = Some(bytes);
            }
            if rng.chance(15) {
                stats.state_damaged += 1;
                damage_state(&state_path, log.old_state.as_deref(), &mut rng);
            }
        }

        // Plant something as LOG.batch now and then: nothing may read it.
        if rng.chance(10) {
            stats.batch_files_planted += 1;
            plant_batch_file(&log.path, &secret, &mut rng);
        }
        // And a symlink to the stand-in key file or a FIFO at a derived file's name (the tree
        // or the state file): the writer must replace it, never write through it or wait on
        // it, and what it knows must still be what a full replay knows.
        if log.path.exists() && rng.chance(12) {
            stats.derived_files_planted += 1;
            let target = if rng.chance(50) {
                tree_path.clone()
            } else {
                state_path.clone()
            };
            plant_link_or_fifo(&target, &secret, rng.chance(50));
        }

        // How this run ends, and the workload: mostly single durable appends and small
        // batches; large batches when aiming at a write.
        let size_limit_due = stats.size_limit_crashes < size_limit_target
            && (stats.kills >= target || rng.chance(25));
        if size_limit_due && !log.path.exists() {
            create_log(&log.path, key_seed);
        }
        let log_len = std::fs::metadata(&log.path).map(|m| m.len()).ok();
        let crash = match (log_len, size_limit_due, rng.range(0, 9)) {
            (Some(len), true, _) => Crash::SizeLimit(len + rng.range(1, 6_000)),
            (_, _, 0..=3) => Crash::After(Duration::from_micros(rng.range(500, 40_000))),
            (_, _, 4..=7) => Crash::AfterAcks(
                rng.range(1, 4) as usize,
                Duration::from_micros(rng.range(0, 10_000)),
            ),
            _ => Crash::OnGrowth,
        };
        let (batch, pad) = match (&crash, rng.range(0, 9)) {
            (Crash::OnGrowth, _) => (rng.range(50, 200), rng.range(200, 1_500)),
            (_, 0..=4) => (1, rng.range(0, 600)),
            (_, 5..=7) => (rng.range(2, 8), rng.range(0, 600)),
            _ => (rng.range(10, 60), rng.range(0, 600)),
        };
        if batch > 1 {
            stats.batch_rounds += 1;
        }
        let args: Vec<String> = vec![
            "append-loop".into(),
            log.path.display().to_string(),
            "--key-seed".into(),
            key_seed.to_string(),
            "--batch".into(),
            batch.to_string(),
            "--seed".into(),
            rng.next().to_string(),
            "--pad".into(),
            pad.to_string(),
            "--reopen".into(),
            [0, 2, 4, 16][rng.range(0, 3) as usize].to_string(),
        ];
        let context = format!("{context} ({crash:?}, batch {batch}, pad {pad})");

        let (seen, by_size_limit) = match crash {
            Crash::SizeLimit(limit) => {
                let prlimit = [format!("--fsize={limit}"), "--core=0".into()];
                let running = spawn(&args, &prlimit);
                let seen = running.end(false, SIGXFSZ, &context);
                stats.size_limit_crashes += 1;
                (seen, true)
            }
            crash => {
                let mut running = spawn(&args, &[]);
                let mut seen = Vec::new();
                match crash {
                    Crash::After(delay) => std::thread::sleep(delay),
                    Crash::AfterAcks(acks, delay) => {
                        running.wait_for_acks(acks, &mut seen);
                        std::thread::sleep(delay);
                    }
                    _ => {
                        running.wait_for_acks(1, &mut seen);
                        running.kill_on_growth(&log.path);
                    }
                }
                seen.extend(running.end(true, SIGKILL, &context));
                stats.kills += 1;
                match seen
                    .iter()
                    .rev()
                    .find(|l| !l.starts_with("ack "))
                    .map(String::as_str)
                {
                    _ if seen.is_empty() => stats.killed_before_output += 1,
                    Some("create") => stats.killed_in_create += 1,
                    Some("open") => stats.killed_in_open += 1,
                    _ => stats.killed_in_append += 1,
                }
                (seen, false)
            }
        };
        log.crashes += 1;
        for line in &seen {
            if let Some((seq, hash)) = parse_ack(line) {
                stats.ack_lines += 1;
                if let Some(old) = log.acked.insert(seq, hash) {
                    assert_eq!(
                        old, hash,
                        "{context}: ACKNOWLEDGED ENTRY LOST: seq {seq} was acknowledged as \
                         {old} and later again as {hash}"
                    );
                }
            }
        }

        let recovery = Instant::now();
        let before = entries_now;
        let outcome = recover_and_check(&log, &trust, &context);
        stats.recovery += recovery.elapsed();
        entries_now = outcome.entries;
        if let Some(len) = outcome.torn {
            *if by_size_limit {
                &mut stats.torn_after_size_limit
            } else {
                &mut stats.torn_after_kill
            } += 1;
            stats.torn_bytes += len;
        }
        stats.newlines_restored += usize::from(outcome.newline_restored);
        if outcome.batch_moved {
            *if by_size_limit {
                &mut stats.moved_after_size_limit
            } else {
                &mut stats.moved_after_kill
            } += 1;
        }
        assert_eq!(
            std::fs::read(&secret).ok().as_deref(),
            Some(SECRET),
            "{context}: the file a planted LOG.batch points to was written"
        );
        // A batch cut short by this crash (not one left at the end by an earlier crash).
        if outcome.batch_cut_short && outcome.entries > before {
            log.partial_batches += 1;
            *if by_size_limit {
                &mut stats.partial_after_size_limit
            } else {
                &mut stats.partial_after_kill
            } += 1;
        }
        stats.no_log_after_kill += usize::from(outcome.no_log);
        stats.entries_written += entries_now.saturating_sub(before) as u64;
        let covered = log.acked_entries().max(before as u64);
        stats.unacked_present += (entries_now as u64).saturating_sub(covered);
    }

    // The writer can continue: one more append in this process, and the log is still sound.
    let context = format!("ACTA_CRASH_SEED={seed}, after the last crash");
    let key = torture_key(key_seed);
    if log.path.exists() {
        let mut writer = LogWriter::open(&log.path, &key).expect("opening the last log");
        let mut data = Object::new();
        data.insert("final", Value::Bool(true));
        let head = writer
            .append(&key, "torture.final", &data, chrono::Utc::now())
            .expect("appending after the last crash");
        drop(writer);
        let report = verify_file(&log.path, &trust);
        assert!(report.is_sound(), "{context}: {report:?}");
        assert_eq!(
            report.head,
            Some(head),
            "{context}: head after the final append"
        );
        assert_eq!(report.entries as usize, entries_now + 1, "{context}");
    }
    log.check_batches(&context);
    stats.acked_entries += log.acked_entries();
    stats.leftover_temp_files = std::fs::read_dir(dir.path())
        .expect("listing the test directory")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .count();

    eprintln!(
        "crash test: ACTA_CRASH_SEED={seed}: {} SIGKILLs and {} size-limit crashes in {:.1} s \
         ({:.1} s checking and recovering), over {} logs\n  \
         kills landed: before any output {}, in create {} (no log left: {}), in \
         open/replay/tree rebuild {}, in appends {}\n  \
         torn tails repaired: {} after SIGKILL, {} after the size limit ({} bytes; {} of them \
         a whole entry whose newline was restored)\n  \
         {} ack lines covering {} entries: all found; {} entries written, {} of them durable \
         but never acknowledged\n  \
         {} runs with batches; batches cut short and moved aside by repair: {} after SIGKILL, \
         {} after the size limit; batches of which only a prefix survived: {} after SIGKILL, \
         {} after the size limit\n  \
         {} files planted as LOG.batch; {} symlinks or FIFOs planted as LOG.tree or LOG.state\n  \
         {} tree files and {} state files damaged before a run; {} leftover temporary files \
         from create",
        stats.kills,
        stats.size_limit_crashes,
        started.elapsed().as_secs_f64(),
        stats.recovery.as_secs_f64(),
        stats.logs,
        stats.killed_before_output,
        stats.killed_in_create,
        stats.no_log_after_kill,
        stats.killed_in_open,
        stats.killed_in_append,
        stats.torn_after_kill,
        stats.torn_after_size_limit,
        stats.torn_bytes,
        stats.newlines_restored,
        stats.ack_lines,
        stats.acked_entries,
        stats.entries_written,
        stats.unacked_present,
        stats.batch_rounds,
        stats.moved_after_kill,
        stats.moved_after_size_limit,
        stats.partial_after_kill,
        stats.partial_after_size_limit,
        stats.batch_files_planted,
        stats.derived_files_planted,
        stats.tree_damaged,
        stats.state_damaged,
        stats.leftover_temp_files,
    );
    assert_eq!(stats.kills, target, "ACTA_CRASH_SEED={seed}");
    assert_eq!(
        stats.size_limit_crashes, size_limit_target,
        "ACTA_CRASH_SEED={seed}"
    );
    assert!(
        stats.ack_lines > 0,
        "ACTA_CRASH_SEED={seed}: nothing was acknowledged"
    );
    assert!(stats.acked_entries > 0, "ACTA_CRASH_SEED={seed}");
    assert!(
        stats.killed_in_append > 0 && stats.killed_in_open > 0,
        "ACTA_CRASH_SEED={seed}: kills did not land both in opens and in appends: {stats:?}"
    );
    if BATCHES_WHOLE_AFTER_CRASH {
        assert_eq!(
            stats.partial_after_kill + stats.partial_after_size_limit,
            0,
            "ACTA_CRASH_SEED={seed}: batches were cut short by crashes"
        );
    }
    // A size limit inside a line always tears it; one exactly at a line's end (rare) does not.
    assert!(
        stats.torn_after_size_limit * 4 >= size_limit_target * 3,
        "ACTA_CRASH_SEED={seed}: only {} of {size_limit_target} size-limit crashes tore a line",
        stats.torn_after_size_limit
    );
}

/// What the stand-in key file holds.
const SECRET: &[u8] = b"PRIVATE+KEY+stand-in+00000000+not-a-real-key\n";

/// Puts something at `LOG.batch` (the older versions' batch marker, which nothing reads any
/// more): random bytes, a marker of the older format naming the log's last bytes as a batch
/// cut short (24 bytes: start, end and the unkeyed checksum), a symlink to `secret`, or a FIFO.
fn plant_batch_file(log: &Path, secret: &Path, rng: &mut Rng) {
    let mut marker = log.as_os_str().to_owned();
    marker.push(".batch");
    let marker = PathBuf::from(marker);
    let _ = std::fs::remove_file(&marker);
    let len = std::fs::metadata(log).map_or(0, |m| m.len());
    match rng.range(0, 3) {
        0 => {
            let bytes: Vec<u8> = (0..rng.range(0, 64)).map(|_| rng.next() as u8).collect();
            std::fs::write(&marker, bytes).expect("planting random bytes");
        }
        1 => {
            let (start, end) = (len.saturating_sub(rng.range(1, 2_000)), len + 1);
            let mut bytes = Vec::new();
            bytes.extend_from_slice(&start.to_be_bytes());
            bytes.extend_from_slice(&end.to_be_bytes());
            bytes.extend_from_slice(&(start ^ end ^ 0x6163_7461_6261_7463).to_be_bytes());
            std::fs::write(&marker, bytes).expect("planting a forged marker");
        }
        2 => std::os::unix::fs::symlink(secret, &marker).expect("planting a symlink"),
        _ => {
            let made = Command::new("mkfifo")
                .arg(&marker)
                .status()
                .is_ok_and(|s| s.success());
            assert!(made, "mkfifo {}", marker.display());
        }
    }
}

/// Whether `path` is a regular file (not a link, FIFO or nothing), so the harness itself can
/// read it without following or waiting on what a plant left there.
fn is_regular(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

/// Replaces whatever is at `path` by a symlink to `secret` (`link`) or by a FIFO.
fn plant_link_or_fifo(path: &Path, secret: &Path, link: bool) {
    let _ = std::fs::remove_file(path);
    if link {
        std::os::unix::fs::symlink(secret, path).expect("planting a symlink");
    } else {
        let made = Command::new("mkfifo")
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        assert!(made, "mkfifo {}", path.display());
    }
}

/// Creates a log as `acta-torture --key-seed KEY_SEED` would.
fn create_log(path: &Path, key_seed: u64) {
    let key = torture_key(key_seed);
    let genesis = Genesis {
        origin: "test.invalid/acta-torture".into(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: None,
    };
    drop(LogWriter::create(path, &genesis, &key, chrono::Utc::now()).expect("creating a log"));
}

/// Damages `LOG.tree` in one of the ways [`LogWriter::open`] must repair.
fn damage_tree(tree_path: &Path, rng: &mut Rng) {
    let mut bytes = std::fs::read(tree_path).expect("reading the tree file");
    match rng.range(0, 3) {
        0 => bytes.clear(),
        1 => bytes.truncate(rng.range(0, bytes.len() as u64) as usize),
        2 => {
            if let Some(last) = bytes.last_mut() {
                *last ^= 0x20;
            }
        }
        _ => bytes.extend_from_slice(&[7; 45]),
    }
    if rng.chance(50) {
        std::fs::remove_file(tree_path).expect("removing the tree file");
    } else {
        std::fs::write(tree_path, &bytes).expect("writing the tree file");
    }
}

/// Damages `LOG.state` in one of the ways [`LogWriter::open`] must detect (or replaces it by
/// an older state of the same log, which it must bring up to date), or forges it as someone
/// without the key would: another origin, with the checksum recomputed or the MAC kept (if the
/// writer used it, it would sign entries that verification then rejects).
fn damage_state(state_path: &Path, old: Option<&[u8]>, rng: &mut Rng) {
    let mut bytes = std::fs::read(state_path).expect("reading the state file");
    match rng.range(0, 5) {
        4 => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let lines: Vec<&str> = text.lines().collect();
            if let [tag, json, mac] = lines[..]
                && let Ok(mut v) = serde_json::from_str::<serde_json::Value>(json)
            {
                v["chain"]["origin"] = "example.org/forged-origin".into();
                let body = format!("{tag}\n{v}\n");
                let last = if rng.chance(50) {
                    mac.to_owned()
                } else {
                    EntryHash::of_line(body.as_bytes()).to_string()
                };
                bytes = format!("{body}{last}\n").into_bytes();
            }
        }
        0 => {
            std::fs::remove_file(state_path).expect("removing the state file");
            return;
        }
        1 => bytes.truncate(rng.range(0, bytes.len() as u64) as usize),
        2 => {
            let i = rng.range(0, bytes.len().saturating_sub(1) as u64) as usize;
            if let Some(b) = bytes.get_mut(i) {
                *b ^= 1 << rng.range(0, 7);
            }
        }
        3 => bytes = old.unwrap_or_default().to_vec(),
        _ => bytes.extend_from_slice(b"trailing"),
    }
    std::fs::write(state_path, &bytes).expect("writing the state file");
}

/// What [`recover_and_check`] found.
struct Recovered {
    /// Entries in the log after recovery.
    entries: usize,
    /// The length of the torn tail that was repaired.
    torn: Option<u64>,
    /// A batch cut short was moved aside by repair.
    batch_moved: bool,
    /// The torn tail was a whole entry missing only its newline, which repair restored.
    newline_restored: bool,
    /// There was no log (a crash in `LogWriter::create`).
    no_log: bool,
    /// The log ends with a batch of which only a prefix was written.
    batch_cut_short: bool,
}

/// After a kill: the torn tail, if any, is reported by `open_writer`; the torn tail and a
/// batch cut short are reported by the verifier and moved aside by `log::repair`, exactly (or,
/// if the torn tail is a whole entry closing its batch with only its newline missing, the
/// verifier reports `missing_newline` and repair appends just that newline);
/// every acknowledged entry is at its seq; the log verifies sound; the
/// writer opens it and brings the tree file up to date. Returns the number of entries.
fn recover_and_check(log: &CrashLog, trust: &VerifierKey, context: &str) -> Recovered {
    if !log.path.exists() {
        // Killed in `LogWriter::create` before the log was linked into place.
        assert!(
            log.acked.is_empty(),
            "{context}: ACKNOWLEDGED ENTRIES LOST: the log is gone, {} acks",
            log.acked.len()
        );
        return Recovered {
            entries: 0,
            torn: None,
            batch_moved: false,
            newline_restored: false,
            no_log: true,
            batch_cut_short: false,
        };
    }
    let before = std::fs::read(&log.path).expect("reading the log");
    let (complete, torn) = split_log(&before);
    let torn_before = torn;
    // A torn tail that is the entry closing its batch (or an entry alone) missing only its
    // newline: the log keeps it, and a batch the complete lines end inside is not cut short.
    let unterminated = unterminated_entry(&complete, torn);
    let cut = cut_batch(&complete).filter(|_| !unterminated);

    match (FileStore::open_writer(&log.path), torn) {
        (Ok(_), None) => {}
        (Err(StoreError::TornTail { offset, len, .. }), Some((at, tail))) => {
            assert_eq!(
                (offset, len),
                (at, tail.len() as u64),
                "{context}: open_writer reported the wrong torn tail"
            );
        }
        (Ok(_), Some((at, tail))) => fail(&format!(
            "{context}: open_writer accepted a log with a torn tail of {} bytes at {at}",
            tail.len()
        )),
        (Err(e), _) => fail(&format!("{context}: open_writer failed: {e}")),
    }
    match (
        LogWriter::open(
            &log.path,
            &acta_testkit::test_key(trust.name()).expect("a test key"),
        ),
        torn,
        cut,
    ) {
        (Ok(_), None, None) => {}
        (Err(acta_store::LogError::Store(StoreError::TornTail { .. })), Some(_), _) => {}
        (
            Err(acta_store::LogError::UnfinishedBatch {
                offset,
                size,
                missing,
                ..
            }),
            None,
            Some(c),
        ) => assert_eq!(
            (offset, size, missing),
            (c.0, c.2, c.3),
            "{context}: LogWriter::open named the wrong batch"
        ),
        (opened, torn, cut) => fail(&format!(
            "{context}: LogWriter::open gave {:?} for a torn tail {:?} and a batch cut short {cut:?}",
            opened.map(|w| w.head()),
            torn.map(|(at, tail)| (at, tail.len()))
        )),
    }
    // The verifier never takes the torn bytes for an entry, and reports a batch cut short
    // from its own lines: these are its only findings.
    let mut expected = Vec::new();
    if let Some((offset, first, size, missing)) = cut {
        expected.push((
            first,
            offset,
            acta_core::FindingKind::UnfinishedBatch { size, missing },
        ));
    }
    if let Some((at, tail)) = torn {
        let len = tail.len() as u64;
        let kind = if unterminated {
            acta_core::FindingKind::MissingNewline {
                seq: complete.len() as u64,
            }
        } else {
            acta_core::FindingKind::TornTail { len }
        };
        expected.push((complete.len() as u64, at, kind));
    }
    let report = verify_file(&log.path, trust);
    let findings: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.entry, f.offset, f.kind.clone()))
        .collect();
    assert_eq!(findings, expected, "{context}: verifying the crashed log");

    // Repair moves exactly the batch's lines and the torn tail, or restores the newline.
    let from = cut
        .map(|c| c.0)
        .or(torn.map(|(at, _)| at))
        .filter(|_| !unterminated);
    let repaired = acta_store::log::repair(&log.path, Some(trust.clone()))
        .unwrap_or_else(|e| fail(&format!("{context}: repair: {e}")));
    assert_eq!(
        repaired
            .batch
            .map(|b| (b.offset, b.entry, b.size, b.missing)),
        cut,
        "{context}: repair's batch"
    );
    match (repaired.outcome, from) {
        (RepairOutcome::Clean, None) if !unterminated => {}
        (RepairOutcome::NewlineRestored { offset, len }, None) if unterminated => {
            let (at, tail) = torn.unwrap_or_else(|| fail(&format!("{context}: no torn tail")));
            assert_eq!(
                (offset, len, repaired.restored_seq),
                (at, tail.len() as u64, Some(complete.len() as u64)),
                "{context}: repair restored the wrong newline"
            );
            let after = std::fs::read(&log.path).expect("reading the repaired log");
            assert!(
                after.strip_suffix(b"\n") == Some(&before[..]),
                "{context}: repair did more than append one newline"
            );
        }
        (
            RepairOutcome::Repaired {
                offset,
                len,
                side_file,
            },
            Some(at),
        ) => {
            assert_eq!(
                (offset, len),
                (at, before.len() as u64 - at),
                "{context}: repair"
            );
            let side = std::fs::read(&side_file).expect("reading the side file");
            assert!(
                side[..] == before[at as usize..],
                "{context}: the side file does not hold the unacknowledged bytes"
            );
            let after = std::fs::read(&log.path).expect("reading the repaired log");
            assert!(
                after[..] == before[..at as usize],
                "{context}: repair changed lines before the unacknowledged ones"
            );
        }
        (outcome, from) => fail(&format!(
            "{context}: repair did {outcome:?} for unacknowledged bytes from {from:?}"
        )),
    }

    let bytes = std::fs::read(&log.path).expect("reading the log");
    let (lines, torn) = split_log(&bytes);
    assert!(torn.is_none(), "{context}: still torn after repair");
    for (&seq, hash) in &log.acked {
        let found = lines.get(seq as usize).map(|l| EntryHash::of_line(l));
        assert_eq!(
            found.as_ref(),
            Some(hash),
            "{context}: ACKNOWLEDGED ENTRY LOST: seq {seq} ({hash}) is not in the log \
             ({} entries)",
            lines.len()
        );
    }

    let report = verify_file(&log.path, trust);
    assert!(
        report.is_sound(),
        "{context}: not sound after recovery: {report:?}"
    );
    assert_eq!(report.entries, lines.len() as u64, "{context}: entries");
    check_writer_and_tree(&log.path, trust, &lines, &report, context);
    Recovered {
        entries: lines.len(),
        torn: torn_before.map(|(_, tail)| tail.len() as u64),
        batch_moved: cut.is_some(),
        newline_restored: unterminated,
        no_log: false,
        batch_cut_short: lines.last().is_some_and(|line| {
            let entry = Entry::decode(line).expect("a well-formed entry").entry;
            match (entry.data.get("i"), entry.data.get("n")) {
                (Some(Value::Number(Number::Int(i))), Some(Value::Number(Number::Int(n)))) => {
                    i + 1 < *n
                }
                _ => false,
            }
        }),
    }
}

/// Checks that the entries of every batch are consecutive and in order, `i` from 0, and
/// returns the number of batches of which only a prefix is in the log.
fn batch_check(log: &Path, context: &str) -> usize {
    let Ok(bytes) = std::fs::read(log) else {
        return 0;
    };
    let (lines, _) = split_log(&bytes);
    let mut partial = 0;
    // (batch id, entries seen, n)
    let mut current: Option<(String, i64, i64)> = None;
    let mut seen_ids = BTreeSet::new();
    let mut close = |batch: Option<(String, i64, i64)>| {
        if let Some((_, seen, n)) = batch
            && seen < n
        {
            partial += 1;
        }
    };
    for (seq, line) in lines.iter().enumerate() {
        let entry = Entry::decode(line).expect("a well-formed entry").entry;
        let field = |name: &str| entry.data.get(name).cloned();
        let (
            Some(Value::String(id)),
            Some(Value::Number(Number::Int(i))),
            Some(Value::Number(Number::Int(n))),
        ) = (field("b"), field("i"), field("n"))
        else {
            continue;
        };
        // The writer's `more`: how many entries of the batch follow (none in the last).
        assert_eq!(
            entry.more,
            u64::try_from(n - 1 - i).ok().filter(|m| *m > 0),
            "{context}: seq {seq}: `more` of entry {i} of a batch of {n}"
        );
        match &mut current {
            Some((cur, seen, _)) if *cur == id => {
                assert_eq!(i, *seen, "{context}: seq {seq}: batch {id} out of order");
                *seen += 1;
            }
            _ => {
                close(current.take());
                assert_eq!(i, 0, "{context}: seq {seq}: batch {id} does not start at 0");
                assert!(
                    seen_ids.insert(id.clone()),
                    "{context}: batch {id} appears twice"
                );
                current = Some((id, 1, n));
            }
        }
    }
    close(current.take());
    partial
}

// ---------------------------------------------------------------------------------------------
// Concurrent writers

#[test]
fn concurrent_writers_interleave_without_loss() {
    let count = env_number("ACTA_WRITERS_COUNT", CI_WRITER_COUNT);
    torture_bin();
    let started = Instant::now();
    let key_seed = 2;
    let key = torture_key(key_seed);
    let trust = key.verifier();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let log = dir.path().join("shared.log");
    let genesis = Genesis {
        origin: "test.invalid/acta-torture-concurrent".into(),
        keys: vec![(trust.clone(), Roles::all())],
        domain: None,
    };
    drop(LogWriter::create(&log, &genesis, &key, chrono::Utc::now()).expect("creating the log"));

    let mut children: Vec<(u64, Running)> = (0..WRITERS)
        .map(|w| {
            let args = [
                "append-n".to_owned(),
                log.display().to_string(),
                "--writer".into(),
                w.to_string(),
                "--count".into(),
                count.to_string(),
                "--key-seed".into(),
                key_seed.to_string(),
            ];
            (w, spawn(&args, &[]))
        })
        .collect();

    // Verify again and again while the writers run: every snapshot is a sound prefix.
    let mut verifications = 0u64;
    let mut last_entries = 0;
    let mut grew = 0u64;
    let mut snapshots = Vec::new();
    while children
        .iter_mut()
        .any(|(_, r)| r.child.try_wait().map_or(true, |s| s.is_none()))
    {
        let report = verify_file(&log, &trust);
        assert!(
            report.is_sound(),
            "verification {verifications} while writing is not sound: {report:?}"
        );
        assert!(
            report.entries >= last_entries,
            "the log shrank from {last_entries} to {} entries",
            report.entries
        );
        grew += u64::from(report.entries > last_entries);
        last_entries = report.entries;
        snapshots.push((report.entries, report.head));
        verifications += 1;
        // Leave the writers most of the CPU: each verification checks every signature.
        std::thread::sleep(READER_PAUSE);
    }

    let mut acks: HashMap<u64, Vec<(u64, EntryHash)>> = HashMap::new();
    for (w, mut running) in children.drain(..) {
        let status = running.child.wait().expect("waiting for a writer");
        let mut stderr = String::new();
        if let Some(mut e) = running.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        assert!(status.success(), "writer {w} failed ({status}): {stderr}");
        running.reader.join().expect("the stdout reader thread");
        let lines: Vec<(u64, EntryHash)> = running
            .lines
            .try_iter()
            .filter_map(|l| parse_ack(&l))
            .collect();
        assert_eq!(lines.len() as u64, count, "writer {w}: acks");
        acks.insert(w, lines);
    }

    let bytes = std::fs::read(&log).expect("reading the log");
    let (lines, torn) = split_log(&bytes);
    assert!(torn.is_none(), "torn tail after clean exits");
    let total = 1 + WRITERS * count;
    assert_eq!(lines.len() as u64, total, "entries");
    let mut next = vec![0i64; WRITERS as usize];
    let mut switches = 0u64;
    let mut previous_writer = None;
    for (i, line) in lines.iter().enumerate().skip(1) {
        let entry = Entry::decode(line).expect("a well-formed entry").entry;
        assert_eq!(entry.seq, i as u64, "seq is contiguous");
        let (Some(Value::Number(Number::Int(w))), Some(Value::Number(Number::Int(n)))) =
            (entry.data.get("writer"), entry.data.get("n"))
        else {
            return fail(&format!("seq {i}: not a writer entry: {:?}", entry.data));
        };
        let slot = next
            .get_mut(usize::try_from(*w).expect("writer id"))
            .expect("a known writer");
        // Each writer's entries appear once each, in its own order.
        assert_eq!(
            *n, *slot,
            "seq {i}: writer {w}'s entry out of order or repeated"
        );
        *slot += 1;
        switches += u64::from(previous_writer.is_some_and(|p| p != *w));
        previous_writer = Some(*w);
    }
    assert!(
        next.iter().all(|&n| n as u64 == count),
        "per writer: {next:?}"
    );
    for (w, list) in &acks {
        for (seq, hash) in list {
            let found = lines.get(*seq as usize).map(|l| EntryHash::of_line(l));
            assert_eq!(
                found.as_ref(),
                Some(hash),
                "writer {w}: ack {seq} not in the log"
            );
        }
    }

    // Every snapshot a reader verified was a prefix of the final log.
    for (entries, head) in &snapshots {
        let last = (*entries as usize)
            .checked_sub(1)
            .and_then(|i| lines.get(i))
            .map(|l| EntryHash::of_line(l));
        assert_eq!(
            head.map(|h| h.hash),
            last,
            "a reader saw {entries} entries whose head is not the final log's entry {}",
            entries - 1
        );
    }

    let report = verify_file(&log, &trust);
    assert!(report.is_sound(), "{report:?}");
    assert_eq!(report.entries, total);
    check_writer_and_tree(
        &log,
        &trust,
        &lines,
        &report,
        "after the concurrent writers",
    );
    eprintln!(
        "concurrent writers: {WRITERS} x {count} entries in {:.1} s, {switches} writer \
         switches; {verifications} verifications while writing, all sound, {grew} saw growth",
        started.elapsed().as_secs_f64()
    );
    assert!(
        verifications > 0,
        "no verification ran while the writers ran"
    );
}
