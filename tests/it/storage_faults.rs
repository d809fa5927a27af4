//! Disk full and I/O errors during appends: the append fails with a clear error, nothing partial
//! is acknowledged, and the next append after space returns succeeds and the log verifies.
//!
//! Three layers:
//!
//! - A fault-injecting [`Store`] wrapped around [`FileStore`] and driven through
//!   [`LogWriter::from_store`]. It injects at the trait boundary: it fails an append before
//!   writing, or writes a prefix of the batch to the file itself and then fails — either putting
//!   the file back as [`FileStore`] does after a failed write (truncate to the old length), or
//!   leaving the prefix there and reporting [`StoreError::RollbackFailed`], as [`FileStore`] does
//!   when the truncate fails too. `FileStore`'s own write/rollback code is exercised for real by
//!   the tmpfs test below (and by the store crate's unit tests, which can inject below the trait).
//! - A real full file system: a 256 KiB tmpfs, filled with a ballast file. Mounting needs root
//!   (CAP_SYS_ADMIN); where that is not allowed the test prints a loud SKIPPED line and passes.
//! - `/dev/full` as a write target (standard output, `--out`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use acta_core::json::{Object, Value};
use acta_core::{Entry, Genesis, Roles, SigningKey, VerifyOptions};
use acta_store::{
    AppendReceipt, FileStore, LogError, LogWriter, Scan, Store, StoreError, StoredLine, TreeFile,
};

use crate::support::{self, Out};

/// ENOSPC on Linux: what a full disk makes `write(2)` fail with.
const ENOSPC: i32 = 28;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn key() -> SigningKey {
    SigningKey::from_seed("test-only-faults", [0x5a; 32]).expect("valid test key name")
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_764_147_600, 0).expect("valid timestamp")
}

fn note(text: &str) -> Object {
    let mut o = Object::new();
    o.insert("text", Value::String(text.to_owned()));
    o
}

/// A log at `path` with a genesis and `extra` entries.
fn make_log(path: &Path, extra: usize) {
    let key = key();
    let genesis = Genesis {
        origin: "example.org/storage-faults".into(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: None,
    };
    let mut w = LogWriter::create(path, &genesis, &key, now()).expect("create log");
    for i in 0..extra {
        w.append(&key, "test.note", &note(&format!("entry {i}")), now())
            .expect("append");
    }
}

fn verify_sound(path: &Path, entries: u64) {
    let report = acta_store::verify(
        &FileStore::open_reader(path).expect("open reader"),
        VerifyOptions {
            trust: Some(key().verifier()),
            ..VerifyOptions::default()
        },
    )
    .expect("verify runs");
    assert!(report.is_sound(), "{:?}", report.findings);
    assert_eq!(report.entries, entries);
}

/// The decoded last line of the file at `path` (read without locking).
fn last_entry(path: &Path) -> Entry {
    let bytes = std::fs::read(path).expect("read log");
    let line = bytes
        .strip_suffix(b"\n")
        .expect("ends with a newline")
        .rsplit(|&b| b == b'\n')
        .next()
        .expect("has a line");
    Entry::decode(line).expect("decodes").entry
}

fn acta(dir: &Path, args: &[&str]) -> Out {
    acta_with_stdout(dir, args, None)
}

/// Runs acta in `dir`; with `stdout`, its standard output goes to that file instead of a pipe.
fn acta_with_stdout(dir: &Path, args: &[&str], stdout: Option<&Path>) -> Out {
    let mut cmd = support::acta().current_dir(dir).args(args);
    if let Some(path) = stdout {
        let f = OpenOptions::new()
            .write(true)
            .open(path)
            .expect("open stdout target");
        cmd = cmd.stdout(f);
    }
    cmd.run()
}

/// Asserts a clean refusal: exit 2, no panic, and `stderr` mentions every one of `needles`.
fn assert_refused(o: &Out, what: &str, needles: &[&str]) {
    assert!(
        !o.stderr.contains("panicked"),
        "{what}: panicked:\n{}",
        o.stderr
    );
    assert_eq!(
        o.code, 2,
        "{what}: exit code\nstdout:\n{}\nstderr:\n{}",
        o.stdout, o.stderr
    );
    for n in needles {
        assert!(
            o.stderr.contains(n),
            "{what}: stderr lacks {n:?}:\n{}",
            o.stderr
        );
    }
}

fn assert_ok(o: &Out, what: &str) {
    assert_eq!(
        o.code, 0,
        "{what} failed\nstdout:\n{}\nstderr:\n{}",
        o.stdout, o.stderr
    );
}

/// Writes the private key file (0600) of [`key`] into `dir`; returns its verifier key.
fn write_key_file(dir: &Path) -> String {
    support::write_key(dir, "op.key", &key())
}

// ---------------------------------------------------------------------------------------------
// A fault-injecting store
// ---------------------------------------------------------------------------------------------

/// What the next append of a [`FaultyStore`] does instead of succeeding.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Fails with ENOSPC before writing a byte (a disk with no room for even the first block).
    NoSpace,
    /// Writes the first `keep` bytes of the batch to the file, then fails with ENOSPC (a short
    /// write). With `rollback`, the file is first truncated back to its old length, as
    /// `FileStore` does after a failed write; without, the bytes stay and the error is
    /// `RollbackFailed`, as `FileStore` reports when that truncate fails too.
    ShortWrite { keep: usize, rollback: bool },
}

/// A [`FileStore`] whose appends fail on demand. Faults are queued by the test through the
/// shared handle; an append with no queued fault goes to the real store.
#[derive(Debug)]
struct FaultyStore {
    inner: FileStore,
    path: PathBuf,
    faults: Rc<RefCell<VecDeque<Fault>>>,
    /// Like `FileStore`, refuse to append after a failure that left bytes behind.
    poisoned: bool,
}

impl FaultyStore {
    fn open(path: &Path) -> (FaultyStore, Rc<RefCell<VecDeque<Fault>>>) {
        let faults = Rc::new(RefCell::new(VecDeque::new()));
        let store = FaultyStore {
            inner: FileStore::open_writer(path).expect("open writer"),
            path: path.to_path_buf(),
            faults: Rc::clone(&faults),
            poisoned: false,
        };
        (store, faults)
    }

    fn no_space(&self) -> std::io::Error {
        std::io::Error::from_raw_os_error(ENOSPC)
    }
}

impl Store for FaultyStore {
    fn scan(&self) -> Result<Scan<'_>, StoreError> {
        self.inner.scan()
    }

    fn last_line(&self) -> Result<Option<StoredLine>, StoreError> {
        self.inner.last_line()
    }

    fn append(&mut self, lines: &[&[u8]]) -> Result<AppendReceipt, StoreError> {
        if self.poisoned {
            return Err(StoreError::Poisoned {
                path: self.path.clone(),
            });
        }
        let fault = self.faults.borrow_mut().pop_front();
        match fault {
            None => self.inner.append(lines),
            Some(Fault::NoSpace) => Err(StoreError::Io {
                path: self.path.clone(),
                op: "write",
                source: self.no_space(),
            }),
            Some(Fault::ShortWrite { keep, rollback }) => {
                let old_len = std::fs::metadata(&self.path).expect("stat").len();
                let batch: Vec<u8> = lines
                    .iter()
                    .flat_map(|l| l.iter().copied().chain([b'\n']))
                    .collect();
                assert!(
                    keep < batch.len(),
                    "a short write keeps less than the batch"
                );
                // The bytes really reach the file, through a second handle (the lock is
                // advisory, and this process holds it).
                let mut f = OpenOptions::new()
                    .append(true)
                    .open(&self.path)
                    .expect("open for the short write");
                f.write_all(&batch[..keep]).expect("short write");
                f.sync_data().expect("sync");
                assert_eq!(
                    std::fs::metadata(&self.path).expect("stat").len(),
                    old_len + keep as u64,
                    "the prefix is in the file"
                );
                if rollback {
                    f.set_len(old_len).expect("truncate back");
                    f.sync_data().expect("sync");
                    Err(StoreError::Io {
                        path: self.path.clone(),
                        op: "write",
                        source: self.no_space(),
                    })
                } else {
                    self.poisoned = true;
                    Err(StoreError::RollbackFailed {
                        path: self.path.clone(),
                        offset: old_len,
                        op: "write",
                        source: self.no_space(),
                        rollback_error: std::io::Error::other("simulated: the truncate failed too"),
                    })
                }
            }
        }
    }
}

/// Asserts that `result` is the injected ENOSPC, and that its message names the cause and the
/// log file.
fn assert_no_space<T: std::fmt::Debug>(result: Result<T, LogError>, path: &Path) {
    let err = result.expect_err("the append must fail");
    // The message and its chain of causes, as the CLI prints them (`{:#}`).
    let mut msg = err.to_string();
    let mut cause = std::error::Error::source(&err);
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    let os_error = match &err {
        LogError::Store(StoreError::Io { source, .. }) => source.raw_os_error(),
        _ => None,
    };
    assert_eq!(
        os_error,
        Some(ENOSPC),
        "expected the store's ENOSPC, got {err:?}"
    );
    assert!(msg.contains("No space left on device"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
}

#[test]
fn a_failed_append_leaves_the_log_and_head_unchanged_and_the_next_append_continues() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.log");
    make_log(&path, 2);
    let key = key();
    let (store, faults) = FaultyStore::open(&path);
    let mut w = LogWriter::from_store(store).expect("replay");
    let head0 = w.head();
    assert_eq!(head0.seq, 2);
    let bytes0 = std::fs::read(&path).expect("read");

    // No room at all, for one entry and for a batch.
    faults.borrow_mut().push_back(Fault::NoSpace);
    assert_no_space(w.append(&key, "test.note", &note("lost"), now()), &path);
    let data = note("batch");
    let batch: Vec<(&str, &Object)> = vec![("test.note", &data); 3];
    faults.borrow_mut().push_back(Fault::NoSpace);
    assert_no_space(w.append_batch(&key, &batch, now()), &path);
    assert_eq!(w.head(), head0, "nothing was acknowledged");
    assert_eq!(w.chain().next_seq(), 3);
    assert_eq!(std::fs::read(&path).expect("read"), bytes0);

    // A short write, put back by the store: half of one entry; one and a half of a batch.
    faults.borrow_mut().push_back(Fault::ShortWrite {
        keep: 150,
        rollback: true,
    });
    assert_no_space(w.append(&key, "test.note", &note("lost"), now()), &path);
    // An entry line here is about 300 bytes: keep the first line of the batch and some more.
    faults.borrow_mut().push_back(Fault::ShortWrite {
        keep: 400,
        rollback: true,
    });
    assert_no_space(w.append_batch(&key, &batch, now()), &path);
    assert_eq!(w.head(), head0);
    assert_eq!(std::fs::read(&path).expect("read"), bytes0);

    // Space is back: the next append gets the next seq and chains to the old head.
    let head = w
        .append(&key, "test.note", &note("after the disk was freed"), now())
        .expect("append after the faults");
    assert_eq!(head.seq, 3);
    let e = last_entry(&path);
    assert_eq!((e.seq, e.prev), (3, head0.hash));
    let head = w.append_batch(&key, &batch, now()).expect("batch");
    assert_eq!(head.seq, 6);
    drop(w);
    verify_sound(&path, 7);

    // The tree beside the log catches up when a file writer next opens it and saves (an open
    // alone writes nothing beside the log).
    let mut w = LogWriter::open(&path, &key).expect("open");
    assert_eq!(w.frontier().size(), 7);
    w.save_derived().expect("save");
    let tree = TreeFile::open_reader(&TreeFile::path_for(&path))
        .expect("open tree")
        .expect("tree exists");
    assert_eq!(tree.leaves(), 7);
}

/// What `acta` prints for a failed append is `error: {:#}` of the error chain; the cause should
/// appear once.
#[test]
fn an_io_error_names_its_cause_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.log");
    make_log(&path, 0);
    let (store, faults) = FaultyStore::open(&path);
    let mut w = LogWriter::from_store(store).expect("replay");
    faults.borrow_mut().push_back(Fault::NoSpace);
    let err = w
        .append(&key(), "test.note", &note("lost"), now())
        .expect_err("fails");
    let printed = format!("{:#}", anyhow::Error::new(err));
    assert_eq!(
        printed.matches("No space left on device").count(),
        1,
        "{printed}"
    );
}

#[test]
fn a_short_write_that_cannot_be_rolled_back_is_a_torn_tail_never_an_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vkey = write_key_file(dir.path());
    let path = dir.path().join("x.log");
    make_log(&path, 2);
    let bytes0 = std::fs::read(&path).expect("read");
    let key = key();
    let (store, faults) = FaultyStore::open(&path);
    let mut w = LogWriter::from_store(store).expect("replay");
    let head0 = w.head();
    faults.borrow_mut().push_back(Fault::ShortWrite {
        keep: 100,
        rollback: false,
    });
    let err = w
        .append(&key, "test.note", &note("never acknowledged"), now())
        .expect_err("fails");
    assert!(
        matches!(err, LogError::Store(StoreError::RollbackFailed { .. })),
        "{err:?}"
    );
    let mut msg = err.to_string();
    let mut cause = std::error::Error::source(&err);
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    assert!(msg.contains("No space left on device"), "{msg}");
    // The library says what to do (check the log); the CLI adds which command does it.
    assert!(
        msg.contains("do not append again before checking it"),
        "says what to do next: {msg}"
    );
    assert!(!msg.contains("acta "), "names no CLI command: {msg}");
    assert_eq!(w.head(), head0, "nothing was acknowledged");
    drop(w);
    assert_eq!(
        std::fs::read(&path).expect("read").len(),
        bytes0.len() + 100
    );

    // The verifier reports the bytes as a torn tail; the head is still the old one.
    let o = acta(dir.path(), &["verify", "x.log", "--trust", &vkey]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("entries:  3"), "{}", o.stdout);
    assert!(
        o.stdout.contains(&format!("head:     2:{}", head0.hash)),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains(&format!("(byte {})", bytes0.len())),
        "{}",
        o.stdout
    );
    let o = acta(dir.path(), &["head", "x.log"]);
    assert_eq!(o.stdout.trim(), format!("2:{}", head0.hash));

    // Writers refuse until `acta repair`; then the next append continues the chain.
    assert!(matches!(
        LogWriter::open(&path, &key),
        Err(LogError::Store(StoreError::TornTail { .. }))
    ));
    let append = [
        "append",
        "x.log",
        "--key",
        "op.key",
        "--type",
        "test.note",
        "--data",
        r#"{"text":"after repair"}"#,
    ];
    let o = acta(dir.path(), &append);
    assert_refused(&o, "append onto a torn tail", &["acta repair"]);
    let o = acta(dir.path(), &["repair", "x.log"]);
    assert_ok(&o, "repair");
    assert!(o.stdout.contains("moved 100 torn bytes"), "{}", o.stdout);
    assert_eq!(std::fs::read(&path).expect("read"), bytes0);
    let o = acta(dir.path(), &append);
    assert_ok(&o, "append after repair");
    assert!(o.stdout.starts_with("3:"), "{}", o.stdout);
    assert_eq!(last_entry(&path).prev, head0.hash);
    verify_sound(&path, 4);
}

// ---------------------------------------------------------------------------------------------
// A real full file system
// ---------------------------------------------------------------------------------------------

/// A small tmpfs mounted on a fresh temporary directory, unmounted on drop.
struct SmallFs {
    dir: tempfile::TempDir,
}

impl SmallFs {
    /// Mounts a tmpfs of `size` (e.g. "256k"), or says why it cannot.
    fn mount(size: &str) -> Result<SmallFs, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(SmallFs { dir })
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let ok = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = std::process::Command::new("umount")
                .arg("-l")
                .arg(self.dir.path())
                .status();
        }
    }
}

/// Appends zeros to `path` until the file system is full; returns the file's length.
fn fill(path: &Path) -> u64 {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open ballast");
    let block = [0u8; 4096];
    loop {
        if let Err(e) = f.write_all(&block) {
            assert_eq!(e.raw_os_error(), Some(ENOSPC), "filling stopped with {e}");
            break;
        }
    }
    std::fs::metadata(path).expect("stat").len()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn disk_full_appends_fail_cleanly_and_succeed_once_space_returns() {
    let fs = match SmallFs::mount("256k") {
        Ok(fs) => fs,
        Err(why) => {
            eprintln!(
                "\n******** SKIPPED disk_full_appends_fail_cleanly_and_succeed_once_space_returns: \
                 cannot mount a tmpfs here ({why}); run the tests as root to exercise a real \
                 full disk ********\n"
            );
            return;
        }
    };
    // Keys and inputs live outside the small file system; the log lives on it.
    let home = tempfile::tempdir().expect("tempdir");
    let vkey = write_key_file(home.path());
    let big = format!(r#"{{"text":"{}"}}"#, "x".repeat(64 * 1024));
    std::fs::write(home.path().join("big.json"), &big).expect("write");
    let event = format!("{{\"type\":\"test.big\",\"data\":{big}}}\n");
    std::fs::write(home.path().join("big.jsonl"), event.repeat(3)).expect("write");
    let keyfile = home.path().join("op.key");
    let keyfile = keyfile.to_str().expect("utf-8 path");
    let data_arg = format!("@{}", home.path().join("big.json").display());
    let events = home.path().join("big.jsonl");
    let events = events.to_str().expect("utf-8 path");

    let d = fs.path();
    let log = d.join("x.log");
    let tree = TreeFile::path_for(&log);
    assert_ok(
        &acta(
            d,
            &[
                "init",
                "x.log",
                "--origin",
                "example.org/full",
                "--key",
                keyfile,
            ],
        ),
        "init",
    );
    let append_big = [
        "append", "x.log", "--key", keyfile, "--type", "test.big", "--data", &data_arg,
    ];
    assert_ok(&acta(d, &append_big), "first big append");
    let head1 = acta(d, &["head", "x.log"]).stdout;
    let log1 = std::fs::read(&log).expect("read");
    let tree1 = std::fs::read(&tree).expect("read");

    // Leave 16 KiB free: a 64 KiB entry is written in part (a real short write on tmpfs) and
    // then fails; the store must cut the file back.
    let ballast = d.join("ballast");
    let full = fill(&ballast);
    OpenOptions::new()
        .write(true)
        .open(&ballast)
        .and_then(|f| f.set_len(full - 16 * 1024))
        .expect("free 16 KiB");
    let unchanged = |what: &str| {
        assert_eq!(
            std::fs::read(&log).expect("read"),
            log1,
            "{what}: log changed"
        );
        assert_eq!(
            std::fs::read(&tree).expect("read"),
            tree1,
            "{what}: tree changed"
        );
        assert_eq!(
            acta(d, &["head", "x.log"]).stdout,
            head1,
            "{what}: head changed"
        );
    };
    for (what, args) in [
        ("append", append_big.to_vec()),
        ("import", vec!["import", "x.log", "--key", keyfile, events]),
    ] {
        let o = acta(d, &args);
        assert_refused(
            &o,
            what,
            &["No space left on device", "x.log", "nothing was"],
        );
        assert!(
            o.stdout.is_empty(),
            "{what} acknowledged something: {}",
            o.stdout
        );
        unchanged(what);
    }

    // Now no room at all.
    fill(&ballast);
    let o = acta(d, &append_big);
    assert_refused(
        &o,
        "append on a full disk",
        &["No space left on device", "x.log"],
    );
    unchanged("append on a full disk");
    let o = acta(d, &["checkpoint", "x.log", "--key", keyfile]);
    assert_refused(
        &o,
        "checkpoint on a full disk",
        &["No space left on device"],
    );
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    assert!(
        !files_in(&d.join("x.log.checkpoints"))
            .iter()
            .any(|n| n.ends_with(".note")),
        "a checkpoint was kept"
    );
    unchanged("checkpoint on a full disk");
    let before = files_in(d);
    let o = acta(
        d,
        &[
            "init",
            "y.log",
            "--origin",
            "example.org/full-2",
            "--key",
            keyfile,
        ],
    );
    assert_refused(
        &o,
        "init on a full disk",
        &["No space left on device", "y.log"],
    );
    assert_eq!(files_in(d), before, "init left something behind");

    // Space returns: the next append continues the chain, and the log, its tree and a proof
    // of the new entry all verify.
    std::fs::remove_file(&ballast).expect("remove ballast");
    let o = acta(d, &append_big);
    assert_ok(&o, "append after space returns");
    assert!(o.stdout.starts_with("2:"), "{}", o.stdout);
    let e = last_entry(&log);
    assert_eq!(
        format!("1:{}", e.prev),
        head1.trim(),
        "chains to the last acknowledged entry"
    );
    assert_ok(&acta(d, &["verify", "x.log", "--trust", &vkey]), "verify");
    assert_ok(
        &acta(
            d,
            &["checkpoint", "x.log", "--key", keyfile, "--out", "cp.note"],
        ),
        "checkpoint",
    );
    let o = acta(d, &["prove", "inclusion", "x.log", "--seq", "2"]);
    assert_ok(&o, "prove inclusion");
    std::fs::write(d.join("proof.json"), &o.stdout).expect("write");
    let line = std::fs::read(&log).expect("read");
    let entry2 = line.split(|&b| b == b'\n').nth(2).expect("entry 2");
    std::fs::write(d.join("entry2"), entry2).expect("write");
    let o = acta(
        d,
        &[
            "verify-proof",
            "proof.json",
            "--trust",
            &vkey,
            "--checkpoint",
            "cp.note",
            "--entry",
            "entry2",
        ],
    );
    assert_ok(&o, "verify-proof");
    assert!(o.stdout.starts_with("OK: entry 2 is in"), "{}", o.stdout);
    assert_ok(
        &acta(
            d,
            &[
                "verify",
                "x.log",
                "--trust",
                &vkey,
                "--checkpoint",
                "cp.note",
            ],
        ),
        "verify against the checkpoint",
    );
}

/// `acta checkpoint` on a full disk keeps no checkpoint, and should leave nothing behind either.
#[test]
fn a_checkpoint_that_fails_on_a_full_disk_leaves_no_temporary_file() {
    let fs = match SmallFs::mount("128k") {
        Ok(fs) => fs,
        Err(why) => {
            eprintln!("\n******** SKIPPED: cannot mount a tmpfs here ({why}) ********\n");
            return;
        }
    };
    let home = tempfile::tempdir().expect("tempdir");
    write_key_file(home.path());
    let keyfile = home.path().join("op.key");
    let keyfile = keyfile.to_str().expect("utf-8 path");
    let d = fs.path();
    assert_ok(
        &acta(
            d,
            &[
                "init",
                "x.log",
                "--origin",
                "example.org/full",
                "--key",
                keyfile,
            ],
        ),
        "init",
    );
    fill(&d.join("ballast"));
    let o = acta(d, &["checkpoint", "x.log", "--key", keyfile]);
    assert_refused(
        &o,
        "checkpoint on a full disk",
        &["No space left on device"],
    );
    assert_eq!(
        files_in(&d.join("x.log.checkpoints")),
        Vec::<String>::new(),
        "left behind"
    );
}

// ---------------------------------------------------------------------------------------------
// /dev/full
// ---------------------------------------------------------------------------------------------

fn dev_full() -> Option<&'static Path> {
    let p = Path::new("/dev/full");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("\n******** SKIPPED: this system has no /dev/full ********\n");
        None
    }
}

/// A temp dir with a key file and a log of three entries; returns it and the verifier key.
fn small_log() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let vkey = write_key_file(dir.path());
    make_log(&dir.path().join("x.log"), 2);
    (dir, vkey)
}

#[test]
fn dev_full_as_a_key_file_or_as_the_output_of_show_fails_cleanly() {
    let Some(full) = dev_full() else { return };
    let (dir, _) = small_log();
    let d = dir.path();
    // An existing path (a device, here) is never overwritten by a key file.
    let o = acta(d, &["key", "generate", "--name", "k", "--out", "/dev/full"]);
    assert_refused(
        &o,
        "key generate --out /dev/full",
        &["/dev/full", "already exists"],
    );
    let meta = std::fs::metadata(full).expect("stat /dev/full");
    assert!(!meta.is_file(), "/dev/full is still a device");
    // `show` writes through a buffered writer and reports the error.
    let o = acta_with_stdout(d, &["show", "x.log"], Some(full));
    assert_refused(&o, "show > /dev/full", &["No space left on device"]);
}

/// Every command that prints to standard output must report a failed write (exit 2, an error
/// naming the cause), not panic. An append whose head cannot be printed is still durable.
#[test]
fn commands_whose_standard_output_is_dev_full_fail_with_exit_2_not_a_panic() {
    let Some(full) = dev_full() else { return };
    let (dir, vkey) = small_log();
    let d = dir.path();
    let cases: Vec<Vec<&str>> = vec![
        vec!["head", "x.log"],
        vec!["verify", "x.log", "--trust", &vkey],
        vec!["verify", "x.log", "--trust", &vkey, "--json"],
        vec!["key", "verifier", "op.key"],
        vec!["key", "generate", "--name", "k", "--out", "new.key"],
        vec![
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "test.note",
            "--data",
            "{}",
        ],
        vec!["checkpoint", "x.log", "--key", "op.key"],
        vec!["prove", "inclusion", "x.log", "--seq", "1"],
    ];
    for args in cases {
        let o = acta_with_stdout(d, &args, Some(full));
        assert_refused(
            &o,
            &format!("{args:?} > /dev/full"),
            &["No space left on device"],
        );
    }
    // The append was durable even though its head could not be printed.
    verify_sound(&d.join("x.log"), 4);
}
