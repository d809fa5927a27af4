//! Benchmarks of acta's log: durable appends, batch appends, full verification and the
//! writer's replay on open, each read as a ratio to a limit (Ed25519 sign, strict Ed25519
//! verify, fdatasync, SHA-256, JSON parse; and on 2 threads: sign, strict verify,
//! `ed25519_dalek::verify_batch`) measured by this same binary in the same run.
//!
//! ```text
//! cargo bench --bench log                      # everything (a few minutes)
//! cargo bench --bench log -- 'limits|append'   # a subset (ratios need both sides)
//! cargo bench --bench log -- open_append       # open + one append: 100k log vs empty log
//! cargo bench --bench log -- 'limits|verify'   # the limits and full verification
//! ACTA_BENCH_DIR=/some/fs cargo bench --bench log   # put the logs on another file system
//! ```
//!
//! Benchmark ids are `group/case/size`. After criterion's own output, the binary prints:
//!
//! - a table of throughputs per element (median and fastest sample), read from the
//!   `estimates.json`/`sample.json` files criterion wrote during this run (older ones are
//!   ignored);
//! - sequential ratios: a benchmark against limits benchmarked separately earlier in the run;
//! - paired ratios: `verify/full`, `open/replay`, `append/single_durable` and `append/batch`
//!   time their limit (strict verify on 1 and 2 threads and batch verify on 2 threads, JSON
//!   parse, fdatasync, sign on 1 and 2 threads) inside their own loop,
//!   alternating with the measured operation (outside the time criterion sees), so that both
//!   sides see the same machine conditions. On a shared machine these are the figures to
//!   trust: separate windows can differ by 10× or more, fdatasync especially.
//!   `open_append/one_entry` (open, append one entry, close: `acta append` without the
//!   process) on the large log alternates in the same way with the same on a log of only its
//!   genesis: the ratio says whether opening for append depends on the log's length (it
//!   should not: about 1).
//!
//! Every benchmark checks its result, so that a fast wrong answer fails instead of being
//! reported.
//!
//! Under `cargo test --benches` (no `--bench` argument) criterion runs each benchmark once;
//! the logs are then small (2k entries) and named so.

mod common;
use common::{ENTRY_TYPE, check_last_entry, clock, event, key};

use std::fs::{self, File, OpenOptions};
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use acta_core::entry::{Entry, NewEntry, signed_message};
use acta_core::json::{self, Object, Profile, Value};
use acta_core::{EntryHash, Genesis, Roles, SigningKey, VerifyOptions};
use acta_store::{FileStore, LogWriter, Opened, Store, TreeFile};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use rayon::iter::{IndexedParallelIterator as _, IntoParallelIterator as _, ParallelIterator as _};

/// Entries per `append_batch` call, both when building the logs and in `append/batch`.
const BATCH: usize = 1_000;
/// The log's origin (as in the genesis).
const ORIGIN: &str = "bench.acta.invalid/log";
/// Bytes written per call by `limits/fdatasync` (a little more than one entry line).
const SYNC_WRITE_BYTES: usize = 600;
/// Signatures per `verify_batch` call in `limits/verify_batch_2threads`.
const VERIFY_BATCH: usize = 64;

/// The logs and values every benchmark shares.
struct Fixture {
    /// Kept so the directory lives (and is removed) with the fixture.
    dir: tempfile::TempDir,
    /// A log of exactly `entries` entries; only read.
    verify_log: PathBuf,
    /// A copy of `verify_log` that the append benchmarks append to.
    append_log: PathBuf,
    /// The number of entries of `verify_log`.
    entries: u64,
    /// `100k`, `2k`, ...: the size part of the benchmark ids.
    label: String,
    key: SigningKey,
    /// The last stored line of `verify_log`: a typical entry.
    sample_line: Vec<u8>,
}

impl Fixture {
    fn build(entries: u64) -> Fixture {
        let dir = match std::env::var_os("ACTA_BENCH_DIR") {
            Some(base) => tempfile::tempdir_in(base),
            None => tempfile::tempdir(),
        }
        .expect("create a temporary directory");
        let key = key();
        let verify_log = dir.path().join("verify.log");
        let started = Instant::now();
        write_log(&verify_log, &key, entries);
        let built = started.elapsed();
        let append_log = dir.path().join("append.log");
        fs::copy(&verify_log, &append_log).expect("copy the log");
        // Flush the copy now, so that the first durable append does not pay for it.
        File::open(&append_log)
            .and_then(|f| f.sync_all())
            .expect("sync the copy");
        File::open(dir.path())
            .and_then(|d| d.sync_all())
            .expect("sync the directory");
        let reader = FileStore::open_reader(&verify_log).expect("open the log");
        let sample_line = reader
            .last_line()
            .expect("read the last line")
            .expect("the log has lines")
            .bytes;
        let label = if entries.is_multiple_of(1000) {
            format!("{}k", entries / 1000)
        } else {
            entries.to_string()
        };
        eprintln!(
            "fixture: {entries} entries, {} bytes ({} bytes per line on average, last line {} bytes) \
             in {}, written in {built:.1?}",
            reader.len_bytes(),
            reader.len_bytes() / entries,
            sample_line.len(),
            dir.path().display(),
        );
        Fixture {
            dir,
            verify_log,
            append_log,
            entries,
            label,
            key,
            sample_line,
        }
    }
}

/// Writes a log of `entries` entries (genesis included) with `LogWriter::create` and
/// `append_batch` calls of [`BATCH`] entries.
fn write_log(path: &Path, key: &SigningKey, entries: u64) {
    let genesis = Genesis {
        origin: ORIGIN.to_owned(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: None,
    };
    let mut w = LogWriter::create(path, &genesis, key, clock()).expect("create the log");
    let mut next = 1;
    while next < entries {
        let n = (entries - next).min(BATCH as u64);
        let data: Vec<Object> = (next..next + n).map(event).collect();
        let items: Vec<(&str, &Object)> = data.iter().map(|d| (ENTRY_TYPE, d)).collect();
        let head = w.append_batch(key, &items, clock()).expect("append");
        assert_eq!(head.seq, next + n - 1);
        next += n;
    }
    assert_eq!(w.head().seq, entries - 1);
}

fn trusted(key: &SigningKey) -> VerifyOptions {
    VerifyOptions {
        trust: Some(key.verifier()),
        ..VerifyOptions::default()
    }
}

/// A limit measured inside a benchmark's own loop, alternating with the measured operation
/// (and outside the time criterion sees), so that both see the same machine conditions: on a
/// shared machine, separately timed windows can differ by a factor of ten or more (fdatasync
/// especially, whose cost depends on everything else the file system's journal is doing).
struct Paired {
    what: String,
    measured: Duration,
    measured_elements: u64,
    limit: Duration,
    limit_elements: u64,
    rounds: u64,
}

impl Paired {
    fn new(what: impl Into<String>) -> Paired {
        Paired {
            what: what.into(),
            measured: Duration::ZERO,
            measured_elements: 0,
            limit: Duration::ZERO,
            limit_elements: 0,
            rounds: 0,
        }
    }

    /// Adds one round: `measured_elements` took `measured`, `limit_elements` took `limit`.
    fn round(
        &mut self,
        measured: Duration,
        measured_elements: u64,
        limit: Duration,
        limit_elements: u64,
    ) {
        self.measured += measured;
        self.measured_elements += measured_elements;
        self.limit += limit;
        self.limit_elements += limit_elements;
        self.rounds += 1;
    }

    fn print(&self) {
        if self.rounds == 0 {
            return;
        }
        let measured = self.measured_elements as f64 / self.measured.as_secs_f64();
        let limit = self.limit_elements as f64 / self.limit.as_secs_f64();
        println!(
            "{:<44} {measured:>9.0}/s / {limit:>9.0}/s = {:>6.3}  ({} rounds, {:.1} s + {:.1} s)",
            self.what,
            measured / limit,
            self.rounds,
            self.measured.as_secs_f64(),
            self.limit.as_secs_f64(),
        );
    }
}

/// The primitives, ready to be timed anywhere (for [`Paired`] limits), each checking its result.
struct Primitives<'a> {
    key: &'a SigningKey,
    verifier: acta_core::VerifierKey,
    /// The message the sample entry's signature covers (about 450 bytes).
    msg: Vec<u8>,
    sig: [u8; 64],
    line: &'a [u8],
    /// [`VERIFY_BATCH`] distinct entries like the sample: their signed messages and
    /// signatures (for the 2-thread limits and `verify_batch`).
    msgs: Vec<Vec<u8>>,
    sigs: Vec<ed25519_dalek::Signature>,
    keys: Vec<ed25519_dalek::VerifyingKey>,
    /// Two threads, for the `_2threads` limits.
    pool: rayon::ThreadPool,
}

impl<'a> Primitives<'a> {
    fn new(fx: &'a Fixture) -> Primitives<'a> {
        let decoded = Entry::decode(&fx.sample_line).expect("the sample line is an entry");
        let msg = signed_message(ORIGIN, &decoded.unsigned);
        let sig = decoded.entry.sig;
        // Ed25519 is deterministic: signing the message again must give the stored signature.
        assert_eq!(fx.key.sign(&msg), sig);
        let verifier = fx.key.verifier();
        assert!(verifier.verify(&msg, &sig));
        // Distinct entries of the same shape and size as the sample (its seq, prev and time,
        // other data), signed by the log's key.
        let e = Entry::decode(&fx.sample_line)
            .expect("the sample line is an entry")
            .entry;
        let mut msgs = Vec::new();
        let mut sigs = Vec::new();
        for i in 0..VERIFY_BATCH as u64 {
            let line = NewEntry {
                seq: e.seq,
                prev: e.prev,
                recorded_at: &e.recorded_at,
                entry_type: &e.entry_type,
                data: &event(e.seq + 1 + i),
            }
            .sign(ORIGIN, &fx.key)
            .expect("sign");
            let d = Entry::decode(&line).expect("an entry");
            msgs.push(signed_message(ORIGIN, &d.unsigned));
            sigs.push(ed25519_dalek::Signature::from_bytes(&d.entry.sig));
        }
        let public = ed25519_dalek::VerifyingKey::from_bytes(&verifier.public_bytes())
            .expect("a valid public key");
        let keys = vec![public; VERIFY_BATCH];
        let refs: Vec<&[u8]> = msgs.iter().map(Vec::as_slice).collect();
        ed25519_dalek::verify_batch(&refs, &sigs, &keys).expect("the batch verifies");
        // And a batch with one signature of another message fails.
        let mut wrong = sigs.clone();
        wrong.swap(0, 1);
        assert!(ed25519_dalek::verify_batch(&refs, &wrong, &keys).is_err());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool of 2 threads");
        Primitives {
            key: &fx.key,
            verifier,
            msg,
            sig,
            line: &fx.sample_line,
            msgs,
            sigs,
            keys,
            pool,
        }
    }

    /// `n` signatures on 2 threads (of the distinct messages in turn).
    fn sign_2threads(&self, n: u64) -> Duration {
        let start = Instant::now();
        self.pool.install(|| {
            (0..n as usize)
                .into_par_iter()
                .with_min_len(64)
                .for_each(|i| {
                    let i = i % VERIFY_BATCH;
                    assert_eq!(
                        self.key.sign(black_box(&self.msgs[i])),
                        self.sigs[i].to_bytes()
                    );
                })
        });
        start.elapsed()
    }

    /// `n` strict verifies on 2 threads (as `VerifierKey::verify` does).
    fn verify_strict_2threads(&self, n: u64) -> Duration {
        let start = Instant::now();
        self.pool.install(|| {
            (0..n as usize)
                .into_par_iter()
                .with_min_len(64)
                .for_each(|i| {
                    let i = i % VERIFY_BATCH;
                    assert!(
                        self.verifier
                            .verify(black_box(&self.msgs[i]), &self.sigs[i].to_bytes())
                    );
                })
        });
        start.elapsed()
    }

    /// `n` calls of `verify_batch` on [`VERIFY_BATCH`] signatures, on 2 threads.
    fn verify_batch_2threads(&self, n: u64) -> Duration {
        let refs: Vec<&[u8]> = self.msgs.iter().map(Vec::as_slice).collect();
        let start = Instant::now();
        self.pool.install(|| {
            (0..n).into_par_iter().for_each(|_| {
                ed25519_dalek::verify_batch(black_box(&refs), &self.sigs, &self.keys)
                    .expect("the batch verifies");
            })
        });
        start.elapsed()
    }

    /// `n` times: decompress a signature's `R` and check that it is in the prime-order
    /// subgroup (what batch verification would need per signature to give strict results).
    fn r_subgroup_check(&self, n: u64) -> Duration {
        let start = Instant::now();
        for i in 0..n {
            let sig = &self.sigs[i as usize % VERIFY_BATCH];
            let r = curve25519_dalek::edwards::CompressedEdwardsY(*black_box(sig.r_bytes()))
                .decompress()
                .expect("R is a point");
            assert!(r.is_torsion_free());
        }
        start.elapsed()
    }

    fn serde_json_parse(&self, n: u64) -> Duration {
        let start = Instant::now();
        for _ in 0..n {
            let v: serde_json::Value = serde_json::from_slice(black_box(self.line)).expect("JSON");
            assert!(matches!(v, serde_json::Value::Object(ref o) if o.len() == 8));
        }
        start.elapsed()
    }

    fn sign(&self, n: u64) -> Duration {
        let start = Instant::now();
        for _ in 0..n {
            assert_eq!(self.key.sign(black_box(&self.msg)), self.sig);
        }
        start.elapsed()
    }

    fn verify(&self, n: u64) -> Duration {
        let start = Instant::now();
        for _ in 0..n {
            assert!(
                self.verifier
                    .verify(black_box(&self.msg), black_box(&self.sig))
            );
        }
        start.elapsed()
    }

    fn json_parse(&self, n: u64) -> Duration {
        let start = Instant::now();
        for _ in 0..n {
            let v = json::parse(black_box(self.line), Profile::Entry);
            assert!(matches!(v, Ok(Value::Object(ref o)) if o.len() == 8));
        }
        start.elapsed()
    }
}

/// A file next to the logs to which `sync` appends [`SYNC_WRITE_BYTES`] and syncs its data,
/// as `FileStore::append` does for one line. Removed when dropped.
struct SyncProbe {
    path: PathBuf,
    file: File,
    buf: Vec<u8>,
    written: u64,
}

impl SyncProbe {
    fn new(fx: &Fixture, name: &str) -> SyncProbe {
        let path = fx.dir.path().join(name);
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)
            .expect("create the probe file");
        let mut buf = vec![b'x'; SYNC_WRITE_BYTES];
        buf[SYNC_WRITE_BYTES - 1] = b'\n';
        SyncProbe {
            path,
            file,
            buf,
            written: 0,
        }
    }

    /// `n` times: append and fdatasync. Checks the file's length afterwards.
    fn sync(&mut self, n: u64) -> Duration {
        let start = Instant::now();
        for _ in 0..n {
            self.file.write_all(&self.buf).expect("write");
            self.file.sync_data().expect("fdatasync");
        }
        let elapsed = start.elapsed();
        self.written += n * SYNC_WRITE_BYTES as u64;
        assert_eq!(self.file.metadata().expect("stat").len(), self.written);
        elapsed
    }
}

impl Drop for SyncProbe {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// `limits/…`: the primitives the log operations are made of, one call per iteration.
fn limits(c: &mut Criterion, fx: &Fixture) {
    let p = Primitives::new(fx);
    let hash = EntryHash::of_line(&fx.sample_line);
    let line_len = fx.sample_line.len();
    let msg_len = p.msg.len();

    let mut g = c.benchmark_group("limits");
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(4));
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::new("sign", format!("{msg_len}B")), |b| {
        b.iter_custom(|iters| p.sign(iters))
    });
    g.bench_function(
        BenchmarkId::new("verify_strict", format!("{msg_len}B")),
        |b| b.iter_custom(|iters| p.verify(iters)),
    );
    g.bench_function(BenchmarkId::new("sha256", format!("{line_len}B")), |b| {
        b.iter(|| assert_eq!(EntryHash::of_line(black_box(&fx.sample_line)), hash))
    });
    g.bench_function(
        BenchmarkId::new("json_parse", format!("{line_len}B")),
        |b| b.iter_custom(|iters| p.json_parse(iters)),
    );
    g.bench_function(
        BenchmarkId::new("serde_json_parse", format!("{line_len}B")),
        |b| b.iter_custom(|iters| p.serde_json_parse(iters)),
    );
    g.bench_function(
        BenchmarkId::new("sign_2threads", format!("{msg_len}B")),
        |b| b.iter_custom(|iters| p.sign_2threads(iters)),
    );
    g.bench_function(
        BenchmarkId::new("verify_strict_2threads", format!("{msg_len}B")),
        |b| b.iter_custom(|iters| p.verify_strict_2threads(iters)),
    );
    g.bench_function(BenchmarkId::new("r_subgroup_check", "32B"), |b| {
        b.iter_custom(|iters| p.r_subgroup_check(iters))
    });
    g.throughput(Throughput::Elements(VERIFY_BATCH as u64));
    g.bench_function(
        BenchmarkId::new(
            "verify_batch_2threads",
            format!("{msg_len}Bx{VERIFY_BATCH}"),
        ),
        |b| b.iter_custom(|iters| p.verify_batch_2threads(iters)),
    );
    g.throughput(Throughput::Elements(1));
    let mut probe = SyncProbe::new(fx, "fdatasync.probe");
    g.bench_function(
        BenchmarkId::new("fdatasync", format!("{SYNC_WRITE_BYTES}B")),
        |b| b.iter_custom(|iters| probe.sync(iters)),
    );
    g.finish();
}

/// `parts/…`: what one entry costs the writer and the verifier besides the limits.
fn parts(c: &mut Criterion, fx: &Fixture) {
    let decoded = Entry::decode(&fx.sample_line).expect("the sample line is an entry");
    let e = decoded.entry.clone();
    let line_len = fx.sample_line.len();
    let mut g = c.benchmark_group("parts");
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(4));
    g.throughput(Throughput::Elements(1));
    // Building, canonicalising and signing one entry (what append_batch does per entry
    // before its checks): must reproduce the stored line byte for byte.
    g.bench_function(
        BenchmarkId::new("entry_sign", format!("{line_len}B")),
        |b| {
            b.iter(|| {
                let line = NewEntry {
                    seq: e.seq,
                    prev: e.prev,
                    recorded_at: &e.recorded_at,
                    entry_type: &e.entry_type,
                    data: &e.data,
                }
                .sign(ORIGIN, black_box(&fx.key))
                .expect("sign");
                assert_eq!(line, fx.sample_line);
                line
            })
        },
    );
    // Decoding one stored line: parse, field checks, canonical re-encoding, SHA-256.
    g.bench_function(
        BenchmarkId::new("entry_decode", format!("{line_len}B")),
        |b| {
            b.iter(|| {
                let d = Entry::decode(black_box(&fx.sample_line)).expect("decode");
                assert_eq!(d.entry.seq, e.seq);
                assert_eq!(d.non_canonical_at, None);
                d
            })
        },
    );
    g.finish();
}

/// `verify/full/…`: `acta_store::verify` of the whole log with the trust key, from opening
/// the file to the report (what `acta verify` does).
fn verify(c: &mut Criterion, fx: &Fixture) -> [Paired; 3] {
    const VERIFIES_PER_ROUND: u64 = 5_000;
    const BATCHES_PER_ROUND: u64 = 10_000 / VERIFY_BATCH as u64;
    let p = Primitives::new(fx);
    let mut paired = Paired::new("verify/full vs verify_strict (1 core)");
    let mut vs_strict2 = Paired::new("verify/full vs verify_strict_2threads");
    let mut vs_batch2 = Paired::new("verify/full vs verify_batch_2threads");
    let mut g = c.benchmark_group("verify");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(fx.entries));
    g.bench_function(BenchmarkId::new("full", &fx.label), |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let store = FileStore::open_reader(&fx.verify_log).expect("open the log");
                let report = acta_store::verify(&store, trusted(&fx.key)).expect("read the log");
                let elapsed = start.elapsed();
                assert!(report.is_sound(), "{:?}", report.findings.first());
                assert_eq!(report.entries, fx.entries);
                assert_eq!(report.head.map(|h| h.seq), Some(fx.entries - 1));
                drop(black_box(report));
                timed += elapsed;
                let limit = p.verify(VERIFIES_PER_ROUND);
                paired.round(elapsed, fx.entries, limit, VERIFIES_PER_ROUND);
                let limit = p.verify_strict_2threads(2 * VERIFIES_PER_ROUND);
                vs_strict2.round(elapsed, fx.entries, limit, 2 * VERIFIES_PER_ROUND);
                let limit = p.verify_batch_2threads(BATCHES_PER_ROUND);
                let sigs = BATCHES_PER_ROUND * VERIFY_BATCH as u64;
                vs_batch2.round(elapsed, fx.entries, limit, sigs);
            }
            timed
        })
    });
    g.finish();
    [paired, vs_strict2, vs_batch2]
}

/// `open/replay/…`: `LogWriter::open` of the whole log (lock, torn-tail check, verified
/// replay, signatures included, on every thread) with no state file beside it (it is removed before each open,
/// outside the timing): what `acta append`, `import` and `key` pay when the state file is
/// missing or stale. With a current state file they pay `open_append` below instead.
fn open(c: &mut Criterion, fx: &Fixture) -> Paired {
    const PARSES_PER_ROUND: u64 = 50_000;
    let p = Primitives::new(fx);
    let mut paired = Paired::new("open/replay vs json_parse");
    let mut g = c.benchmark_group("open");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(fx.entries));
    g.bench_function(BenchmarkId::new("replay", &fx.label), |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                remove_state(&fx.verify_log);
                let start = Instant::now();
                let w = LogWriter::open(&fx.verify_log, &fx.key).expect("open the log for writing");
                let elapsed = start.elapsed();
                assert_eq!(w.opened(), Opened::Replayed);
                assert_eq!(w.head().seq, fx.entries - 1);
                drop(w);
                timed += elapsed;
                let limit = p.json_parse(PARSES_PER_ROUND);
                paired.round(elapsed, fx.entries, limit, PARSES_PER_ROUND);
            }
            timed
        })
    });
    g.finish();
    paired
}

/// Removes the writer's state file beside `log`, so that the next open replays the log.
fn remove_state(log: &Path) {
    fs::remove_file(acta_store::state_file::path_for(log))
        .or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        })
        .expect("remove the state file");
}

/// Copies a log with its tree and state files.
fn copy_log(from: &Path, to: &Path) {
    fs::copy(from, to).expect("copy the log");
    fs::copy(TreeFile::path_for(from), TreeFile::path_for(to)).expect("copy the tree file");
    let state = acta_store::state_file::path_for;
    fs::copy(state(from), state(to)).expect("copy the state file");
}

/// `open_append/one_entry/…`: what one `acta append` costs apart from process start-up:
/// `LogWriter::open` (lock, torn-tail check, state file and head line check), one durable
/// append (sign, check, write, fdatasync, tree and state file), and closing the writer, on a
/// copy of the `fx.entries` log and on a log holding only its genesis. The two alternate in
/// one loop; the paired ratio (large log / empty log, in appends per second) should be about 1.
fn open_append(c: &mut Criterion, fx: &Fixture) -> Paired {
    let big = fx.dir.path().join("open-append.log");
    copy_log(&fx.verify_log, &big);
    let empty = fx.dir.path().join("open-append-empty.log");
    let genesis = Genesis {
        origin: ORIGIN.to_owned(),
        keys: vec![(fx.key.verifier(), Roles::all())],
        domain: None,
    };
    drop(LogWriter::create(&empty, &genesis, &fx.key, clock()).expect("create the empty log"));
    for log in [&big, &empty] {
        File::open(log)
            .and_then(|f| f.sync_all())
            .expect("sync the log");
    }
    let data = event(fx.entries);
    let once = |log: &Path| -> (Duration, u64) {
        let start = Instant::now();
        let mut w = LogWriter::open(log, &fx.key).expect("open the log for writing");
        let opened = w.opened();
        let head = w
            .append(&fx.key, ENTRY_TYPE, &data, clock())
            .expect("append");
        drop(w);
        let elapsed = start.elapsed();
        assert_eq!(
            opened,
            Opened::Resumed { lines: 0 },
            "the state file is used"
        );
        (elapsed, head.seq)
    };
    let mut paired = Paired::new(format!("open_append/{} vs open_append/empty", fx.label));
    let mut g = c.benchmark_group("open_append");
    g.warm_up_time(Duration::from_secs(1));
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::new("one_entry", &fx.label), |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                let (t_big, seq) = once(&big);
                assert!(seq >= fx.entries);
                let (t_empty, _) = once(&empty);
                timed += t_big;
                paired.round(t_big, 1, t_empty, 1);
            }
            timed
        })
    });
    g.bench_function(BenchmarkId::new("one_entry", "empty"), |b| {
        b.iter_custom(|iters| (0..iters).map(|_| once(&empty).0).sum())
    });
    g.finish();
    let appended = check_last_entry(&big, ORIGIN, &fx.key).0 + 1 - fx.entries;
    eprintln!(
        "open_append: {appended} entries appended to the {} log",
        fx.label
    );
    paired
}

/// `append/…`: appends through one `LogWriter` held open on a log that starts with
/// `fx.entries` entries (it grows as the benchmarks append).
fn append(c: &mut Criterion, fx: &Fixture) -> [Paired; 3] {
    let p = Primitives::new(fx);
    let mut probe = SyncProbe::new(fx, "paired-fdatasync.probe");
    let mut single_vs_sync = Paired::new("append/single_durable vs fdatasync");
    let mut batch_vs_sign = Paired::new("append/batch vs sign");
    let mut batch_vs_sign2 = Paired::new("append/batch vs sign_2threads");
    let mut w = LogWriter::open(&fx.append_log, &fx.key).expect("open the log for writing");
    assert_eq!(w.head().seq, fx.entries - 1);
    let now = clock();
    let mut g = c.benchmark_group("append");
    g.warm_up_time(Duration::from_secs(1));

    // One entry per call: build, sign, check, write, fdatasync.
    let single = event(fx.entries);
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::new("single_durable", &fx.label), |b| {
        b.iter_custom(|iters| {
            let before = w.head().seq;
            let mut timed = Duration::ZERO;
            for i in 1..=iters {
                let start = Instant::now();
                let head = w.append(&fx.key, ENTRY_TYPE, &single, now).expect("append");
                let elapsed = start.elapsed();
                assert_eq!(head.seq, before + i);
                timed += elapsed;
                single_vs_sync.round(elapsed, 1, probe.sync(1), 1);
            }
            assert_eq!(w.head().seq, before + iters);
            timed
        })
    });
    let after_single = w.head().seq;

    // BATCH entries per call, one fdatasync.
    let data: Vec<Object> = (0..BATCH as u64).map(|i| event(fx.entries + i)).collect();
    let items: Vec<(&str, &Object)> = data.iter().map(|d| (ENTRY_TYPE, d)).collect();
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function(BenchmarkId::new("batch", &fx.label), |b| {
        b.iter_custom(|iters| {
            let before = w.head().seq;
            let mut timed = Duration::ZERO;
            for i in 1..=iters {
                let start = Instant::now();
                let head = w.append_batch(&fx.key, &items, now).expect("append");
                let elapsed = start.elapsed();
                assert_eq!(head.seq, before + i * BATCH as u64);
                timed += elapsed;
                let limit = p.sign(BATCH as u64);
                batch_vs_sign.round(elapsed, BATCH as u64, limit, BATCH as u64);
                let limit = p.sign_2threads(BATCH as u64);
                batch_vs_sign2.round(elapsed, BATCH as u64, limit, BATCH as u64);
            }
            assert_eq!(w.head().seq, before + iters * BATCH as u64);
            timed
        })
    });
    g.finish();

    let head = w.head().seq;
    drop(w);
    assert_eq!(check_last_entry(&fx.append_log, ORIGIN, &fx.key).0, head);
    eprintln!(
        "append log: {} entries at start, {} after append/single_durable, {} at the end",
        fx.entries,
        after_single + 1,
        head + 1
    );
    [single_vs_sync, batch_vs_sign, batch_vs_sign2]
}

/// One benchmark's result for the summary.
struct Figure {
    id: String,
    /// Elements per iteration.
    elements: u64,
    /// Median time per iteration, in nanoseconds.
    median_ns: f64,
    /// The fastest sample's time per iteration, in nanoseconds.
    fastest_ns: f64,
}

impl Figure {
    /// Median time per element, in nanoseconds.
    fn median_per_element(&self) -> f64 {
        self.median_ns / self.elements as f64
    }
    /// Fastest sample's time per element, in nanoseconds.
    fn fastest_per_element(&self) -> f64 {
        self.fastest_ns / self.elements as f64
    }
}

/// Where criterion writes its results (the same rules as criterion 0.5).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    // This binary is TARGET/release/deps/log-HASH.
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("criterion")))
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// Reads a JSON file criterion wrote during this run (after `since`).
fn read_fresh_json(path: &Path, since: SystemTime) -> Option<serde_json::Value> {
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok()?;
    if modified < since {
        return None;
    }
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// The result of benchmark `id` if criterion wrote it during this run.
fn figure(id: &str, elements: u64, since: SystemTime) -> Option<Figure> {
    let dir = criterion_dir().join(id).join("new");
    let estimates = read_fresh_json(&dir.join("estimates.json"), since)?;
    let median_ns = estimates["median"]["point_estimate"].as_f64()?;
    let sample = read_fresh_json(&dir.join("sample.json"), since)?;
    let iters = sample["iters"].as_array()?;
    let times = sample["times"].as_array()?;
    let fastest_ns = iters
        .iter()
        .zip(times)
        .filter_map(|(i, t)| Some(t.as_f64()? / i.as_f64()?))
        .fold(f64::INFINITY, f64::min);
    Some(Figure {
        id: id.to_owned(),
        elements,
        median_ns,
        fastest_ns,
    })
}

/// Prints `measured` against a limit whose time per element is the weighted sum of the
/// given figures' times per element: by medians, and by fastest samples.
fn ratio(what: &str, measured: &Option<Figure>, limit: &[(&Option<Figure>, f64)]) {
    let Some(m) = measured else { return };
    let mut median = 0.0;
    let mut fastest = 0.0;
    for (f, weight) in limit {
        let Some(f) = f else { return };
        median += weight * f.median_per_element();
        fastest += weight * f.fastest_per_element();
    }
    let (m_med, m_fast) = (1e9 / m.median_per_element(), 1e9 / m.fastest_per_element());
    let (l_med, l_fast) = (1e9 / median, 1e9 / fastest);
    println!(
        "{what:<52} {m_med:>9.0}/s / {l_med:>9.0}/s = {:>5.3}   {m_fast:>9.0}/s / {l_fast:>9.0}/s = {:>5.3}",
        m_med / l_med,
        m_fast / l_fast
    );
}

fn summary(fx: &Fixture, since: SystemTime, paired: &[Paired]) {
    let n = &fx.label;
    let line = fx.sample_line.len();
    let msg = signed_message(
        ORIGIN,
        &Entry::decode(&fx.sample_line)
            .expect("the sample line is an entry")
            .unsigned,
    )
    .len();
    let get = |id: String, elements: u64| figure(&id, elements, since);
    let sign = get(format!("limits/sign/{msg}B"), 1);
    let verify_strict = get(format!("limits/verify_strict/{msg}B"), 1);
    let sha = get(format!("limits/sha256/{line}B"), 1);
    let parse = get(format!("limits/json_parse/{line}B"), 1);
    let sync = get(format!("limits/fdatasync/{SYNC_WRITE_BYTES}B"), 1);
    let serde_parse = get(format!("limits/serde_json_parse/{line}B"), 1);
    let sign2 = get(format!("limits/sign_2threads/{msg}B"), 1);
    let strict2 = get(format!("limits/verify_strict_2threads/{msg}B"), 1);
    let batch2 = get(
        format!("limits/verify_batch_2threads/{msg}Bx{VERIFY_BATCH}"),
        VERIFY_BATCH as u64,
    );
    let subgroup = get("limits/r_subgroup_check/32B".to_owned(), 1);
    let entry_sign = get(format!("parts/entry_sign/{line}B"), 1);
    let entry_decode = get(format!("parts/entry_decode/{line}B"), 1);
    let full = get(format!("verify/full/{n}"), fx.entries);
    let replay = get(format!("open/replay/{n}"), fx.entries);
    let single = get(format!("append/single_durable/{n}"), 1);
    let batch = get(format!("append/batch/{n}"), BATCH as u64);
    let open_append_big = get(format!("open_append/one_entry/{n}"), 1);
    let open_append_empty = get("open_append/one_entry/empty".to_owned(), 1);

    println!("\nSummary (only benchmarks that ran in this run; per element)");
    println!(
        "{:<32} {:>13} {:>12}   {:>13} {:>12}",
        "benchmark", "median", "elements/s", "fastest", "elements/s"
    );
    for f in [
        &sign,
        &verify_strict,
        &sha,
        &parse,
        &serde_parse,
        &sign2,
        &strict2,
        &batch2,
        &subgroup,
        &sync,
        &entry_sign,
        &entry_decode,
        &full,
        &replay,
        &single,
        &batch,
        &open_append_big,
        &open_append_empty,
    ]
    .into_iter()
    .flatten()
    {
        println!(
            "{:<32} {:>10.3} µs {:>12.0}   {:>10.3} µs {:>12.0}",
            f.id,
            f.median_per_element() / 1e3,
            1e9 / f.median_per_element(),
            f.fastest_per_element() / 1e3,
            1e9 / f.fastest_per_element(),
        );
    }
    println!(
        "\nSequential ratios: measured / limit, from separate criterion benchmarks of this run \
         (left: medians; right: fastest samples)"
    );
    let batch_sync = 1.0 / BATCH as f64;
    ratio(
        "append/single_durable vs fdatasync",
        &single,
        &[(&sync, 1.0)],
    );
    ratio(
        "append/single_durable vs fdatasync+entry_sign+decode",
        &single,
        &[(&sync, 1.0), (&entry_sign, 1.0), (&entry_decode, 1.0)],
    );
    ratio("append/batch vs sign", &batch, &[(&sign, 1.0)]);
    ratio(
        "append/batch vs entry_sign+decode+fdatasync/1000",
        &batch,
        &[
            (&entry_sign, 1.0),
            (&entry_decode, 1.0),
            (&sync, batch_sync),
        ],
    );
    ratio("sign_2threads vs sign (1 core)", &sign2, &[(&sign, 1.0)]);
    ratio(
        "verify_strict_2threads vs verify_strict (1 core)",
        &strict2,
        &[(&verify_strict, 1.0)],
    );
    ratio(
        "verify_batch_2threads vs verify_strict_2threads",
        &batch2,
        &[(&strict2, 1.0)],
    );
    // What batch verification with strict results would cost (see
    // docs/benchmarks/2026-11-28-parallel-verify.md, "Strict semantics and batch verification"):
    // a batch plus one subgroup check of R per signature, on 2 threads.
    ratio(
        "verify_strict_2threads vs batch+R-subgroup (2 thr)",
        &strict2,
        &[(&batch2, 1.0), (&subgroup, 0.5)],
    );
    ratio(
        "json_parse vs serde_json_parse",
        &parse,
        &[(&serde_parse, 1.0)],
    );
    ratio(
        "verify/full vs verify_batch_2threads (target 0.85)",
        &full,
        &[(&batch2, 1.0)],
    );
    ratio(
        "verify/full vs verify_strict_2threads",
        &full,
        &[(&strict2, 1.0)],
    );
    ratio(
        "verify/full vs verify_strict (1 core)",
        &full,
        &[(&verify_strict, 1.0)],
    );
    ratio(
        "verify/full vs verify_strict+decode",
        &full,
        &[(&verify_strict, 1.0), (&entry_decode, 1.0)],
    );
    ratio(
        &format!("open_append/{n} vs open_append/empty"),
        &open_append_big,
        &[(&open_append_empty, 1.0)],
    );
    ratio("open/replay vs json_parse", &replay, &[(&parse, 1.0)]);
    ratio(
        "open/replay vs entry_decode",
        &replay,
        &[(&entry_decode, 1.0)],
    );
    println!(
        "\nPaired ratios: the limit timed in the benchmark's own loop, alternating with it \
         (totals over all rounds, warm-up included)"
    );
    for p in paired {
        p.print();
    }
}

fn main() {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let entries = if bench_mode { 100_000 } else { 2_000 };
    let since = SystemTime::now();
    let mut c = Criterion::default().configure_from_args();
    let fx = Fixture::build(entries);
    limits(&mut c, &fx);
    parts(&mut c, &fx);
    let mut paired = Vec::from(verify(&mut c, &fx));
    paired.push(open(&mut c, &fx));
    paired.push(open_append(&mut c, &fx));
    paired.extend(append(&mut c, &fx));
    c.final_summary();
    if bench_mode {
        summary(&fx, since, &paired);
    }
}
