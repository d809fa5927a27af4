//! Files beside a log, planted by someone who can write its folder but holds no key (issue 11,
//! cases 6, 7, 8 and 12): symbolic links to the operator's private key, FIFOs, sparse files
//! of 4 GiB, and log strings holding terminal escapes — all through the real `acta` binary.
//!
//! What acta does with each (see `acta_store::side_file`): derived files (`LOG.tree`,
//! `LOG.state`, `LOG.domain-state`) that are links or not regular files are ignored and
//! replaced by a new regular file, never written through; files that are evidence (the
//! checkpoint directory and its notes, a witness's state) are refused with an error naming
//! them; outputs (`--out`, key files) are created exclusively; nothing blocks; nothing is read
//! past a bound; every log string in human-readable output is made inert.

use std::os::unix::fs::{PermissionsExt as _, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use acta_core::note::{Checkpoint, Note, TlogProof, sign_note};
use acta_core::tree::MemoryTree;
use acta_core::{EntryHash, SigningKey};

use crate::support::{self, Out};

const ORIGIN: &str = "example.org/trust-files";
const DOMAIN: &str = "icc-noncooperation/v1";
/// What a command may take at most; a command still running then is blocked (a failure).
const TIMEOUT: Duration = Duration::from_secs(30);
/// Stands for the operator's private key file that a planted link points to.
const SECRET: &[u8] = b"PRIVATE+KEY+stands-for-the-operator+00000000+AAAA\n";

fn run(dir: &Path, args: &[&str]) -> Out {
    support::acta()
        .current_dir(dir)
        .args(args)
        .timeout(TIMEOUT)
        .run()
}

/// Runs acta under an address-space limit of `kib` KiB (`ulimit -v`).
fn run_limited(dir: &Path, kib: u64, args: &[&str]) -> Out {
    support::acta()
        .current_dir(dir)
        .args(args)
        .limit_kib(kib)
        .timeout(TIMEOUT)
        .run()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    assert_eq!(o.code, 0, "acta {args:?} failed:\n{}", o.all());
    o.stdout
}

fn operator() -> SigningKey {
    SigningKey::from_seed("test-only-operator", [31; 32]).expect("valid name")
}

fn witness_key() -> SigningKey {
    SigningKey::from_seed("test-only-witness", [32; 32]).expect("valid name")
}

fn write_key(dir: &Path, file: &str, key: &SigningKey) {
    support::write_key(dir, file, key);
}

/// A person id that differs for each `n`.
fn person(n: usize) -> String {
    let mut s = String::from("example-suspect-");
    let mut n = n;
    loop {
        s.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break s;
        }
    }
}

fn event(n: usize) -> String {
    format!(
        r#"{{"person":"{}","primary_name":"Example Suspect {n}"}}"#,
        person(n)
    )
}

/// A folder holding a domain log `x.log` (genesis and two entries, with its checkpoint kept),
/// the operator's key `op.key`, a witness key `w.key`, the checkpoint note `cp.note`, and
/// `secret.key`, which stands for the private key file that planted links point to.
struct Folder {
    dir: tempfile::TempDir,
    vkey: String,
    next: usize,
}

impl Folder {
    fn new() -> Folder {
        let dir = tempfile::tempdir().expect("tempdir");
        write_key(dir.path(), "op.key", &operator());
        write_key(dir.path(), "w.key", &witness_key());
        std::fs::write(dir.path().join("secret.key"), SECRET).expect("secret");
        std::fs::set_permissions(
            dir.path().join("secret.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .expect("chmod");
        ok(
            dir.path(),
            &[
                "init", "x.log", "--origin", ORIGIN, "--key", "op.key", "--domain", DOMAIN,
            ],
        );
        let mut f = Folder {
            vkey: operator().verifier().to_string(),
            dir,
            next: 0,
        };
        let a = f.append_args();
        ok(f.path(), &a.iter().map(String::as_str).collect::<Vec<_>>());
        let a = f.append_args();
        ok(f.path(), &a.iter().map(String::as_str).collect::<Vec<_>>());
        ok(
            f.path(),
            &["checkpoint", "x.log", "--key", "op.key", "--out", "cp.note"],
        );
        f
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn at(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The arguments of an append of a new, valid domain event.
    fn append_args(&mut self) -> Vec<String> {
        self.next += 1;
        [
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "person_registered",
            "--data",
            &event(self.next),
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// The arguments of an import of two new events.
    fn import_args(&mut self) -> Vec<String> {
        let mut events = String::new();
        for _ in 0..2 {
            self.next += 1;
            events.push_str(&format!(
                "{{\"type\":\"person_registered\",\"data\":{}}}\n",
                event(self.next)
            ));
        }
        std::fs::write(self.at("events.jsonl"), events).expect("events");
        ["import", "x.log", "--key", "op.key", "events.jsonl"]
            .map(str::to_owned)
            .to_vec()
    }

    /// Every command that reads or writes a side file, with a fresh `--out` path each time.
    fn commands(&mut self) -> Vec<Vec<String>> {
        let n = self.next;
        let owned = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let mut witness = owned(&[
            "witness",
            "cosign",
            "--key",
            "w.key",
            "--log-key",
            &self.vkey,
            "--state",
            "w.state",
            "--checkpoint",
            "cp.note",
            "--out",
            &format!("cp-{n}.w.note"),
        ]);
        // The witness starts its state only when there is none.
        if std::fs::symlink_metadata(self.at("w.state")).is_err() {
            witness.push("--first-use".to_owned());
        }
        vec![
            owned(&["verify", "x.log", "--trust", &self.vkey]),
            self.append_args(),
            self.import_args(),
            owned(&["state", "x.log", "--trust", &self.vkey]),
            owned(&[
                "report",
                "x.log",
                "--trust",
                &self.vkey,
                "--from",
                "2000-01-01",
                "--to",
                "2099-12-31",
                "--out",
                &format!("report-{n}.md"),
            ]),
            owned(&[
                "checkpoint",
                "x.log",
                "--key",
                "op.key",
                "--out",
                &format!("cp-{n}.note"),
            ]),
            owned(&["prove", "inclusion", "x.log", "--seq", "1", "--size", "3"]),
            owned(&["prove", "consistency", "x.log", "--from", "2", "--to", "3"]),
            owned(&["repair", "x.log"]),
            witness,
        ]
    }

    fn secret_is_intact(&self, what: &str) {
        assert_eq!(
            std::fs::read(self.at("secret.key")).expect("secret"),
            SECRET,
            "{what}: the file behind the link was written"
        );
    }

    fn verifies(&self, what: &str) {
        let o = run(self.path(), &["verify", "x.log", "--trust", &self.vkey]);
        assert_eq!(o.code, 0, "{what}: the log no longer verifies: {}", o.all());
    }
}

/// Removes whatever is at `path` (file, link, FIFO, directory).
fn clear(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path).expect("rm dir"),
        Ok(_) => std::fs::remove_file(path).expect("rm"),
        Err(_) => {}
    }
}

fn mkfifo(path: &Path) {
    clear(path);
    let st = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(st.success(), "mkfifo {}", path.display());
}

fn sparse(path: &Path, len: u64) {
    clear(path);
    std::fs::File::create(path)
        .and_then(|f| f.set_len(len))
        .expect("sparse file");
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The side files a planted file may stand in for: (name, kind). Derived files are ignored
/// and replaced; the others are refused.
const SIDE_FILES: &[(&str, bool)] = &[
    ("x.log.tree", true),
    ("x.log.state", true),
    ("x.log.domain-state", true),
    ("x.log.checkpoints/00000000000000000003.note", false),
    ("w.state", false),
    ("w.state.lock", false),
];

/// Whether `o` is a success or a clear refusal naming `name` (exit 2).
fn succeeded_or_named(o: &Out, name: &str, what: &str) {
    let file = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert!(
        o.code == 0 || (o.code == 2 && o.stderr.contains(&file)),
        "{what}: neither a success nor a refusal naming {name} (exit {:?}):\n{}",
        o.code,
        o.all()
    );
}

#[test]
fn trust_symlinked_side_files_are_never_written_through() {
    let mut f = Folder::new();
    for &(name, derived) in SIDE_FILES {
        for args in f.commands() {
            let what = format!("{name} -> secret.key, acta {}", args.join(" "));
            clear(&f.at(name));
            symlink(f.at("secret.key"), f.at(name)).expect("plant the link");
            let o = run(
                f.path(),
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            f.secret_is_intact(&what);
            succeeded_or_named(&o, name, &what);
            if o.code != 0 {
                assert!(
                    o.stderr.contains("symbolic link"),
                    "{what}: the refusal says why: {}",
                    o.stderr
                );
            }
            let now = std::fs::symlink_metadata(f.at(name)).expect("still there");
            if derived && o.code == 0 && !now.file_type().is_symlink() {
                assert!(now.is_file(), "{what}: replaced by a regular file");
            }
            if !derived {
                assert!(
                    now.file_type().is_symlink(),
                    "{what}: evidence is refused, not replaced"
                );
            }
        }
        clear(&f.at(name));
        f.verifies(name);
    }
    // The witness and checkpoint commands that touch evidence refuse a link clearly.
    symlink(f.at("secret.key"), f.at("w.state")).expect("link");
    let o = run(
        f.path(),
        &[
            "witness",
            "cosign",
            "--key",
            "w.key",
            "--log-key",
            &f.vkey,
            "--state",
            "w.state",
            "--first-use",
            "--checkpoint",
            "cp.note",
        ],
    );
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(o.stderr.contains("w.state") && o.stderr.contains("symbolic link"));
    f.secret_is_intact("witness state link");
    clear(&f.at("w.state"));
}

#[test]
fn trust_a_symlinked_checkpoint_directory_is_refused() {
    let mut f = Folder::new();
    let elsewhere = f.at("elsewhere");
    std::fs::create_dir(&elsewhere).expect("dir");
    std::fs::rename(f.at("x.log.checkpoints"), elsewhere.join("cps")).expect("move");
    symlink(elsewhere.join("cps"), f.at("x.log.checkpoints")).expect("link");
    let before = names_in(&elsewhere.join("cps"));
    let a = f.append_args();
    ok(f.path(), &a.iter().map(String::as_str).collect::<Vec<_>>());
    for args in [
        vec!["checkpoint", "x.log", "--key", "op.key"],
        vec!["prove", "inclusion", "x.log", "--seq", "1"],
        vec!["prove", "consistency", "x.log", "--from", "2", "--to", "3"],
    ] {
        let o = run(f.path(), &args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.all());
        assert!(
            o.stderr.contains("x.log.checkpoints") && o.stderr.contains("symbolic link"),
            "{args:?}: {}",
            o.stderr
        );
    }
    assert_eq!(
        names_in(&elsewhere.join("cps")),
        before,
        "nothing written through the link"
    );
}

#[test]
fn trust_outputs_are_never_created_through_a_link() {
    let f = Folder::new();
    let n = f.next;
    // A link to the key, and a dangling link (whose target must not be created).
    for target in ["secret.key", "created-through-the-link"] {
        for args in [
            vec![
                "report".to_owned(),
                "x.log".into(),
                "--trust".into(),
                f.vkey.clone(),
                "--from".into(),
                "2000-01-01".into(),
                "--to".into(),
                "2099-12-31".into(),
                "--out".into(),
                "out.link".into(),
            ],
            vec![
                "checkpoint".into(),
                "x.log".into(),
                "--key".into(),
                "op.key".into(),
                "--out".into(),
                "out.link".into(),
            ],
            vec![
                "witness".into(),
                "cosign".into(),
                "--key".into(),
                "w.key".into(),
                "--log-key".into(),
                f.vkey.clone(),
                "--state".into(),
                format!("w-{n}.state"),
                "--first-use".into(),
                "--checkpoint".into(),
                "cp.note".into(),
                "--out".into(),
                "out.link".into(),
            ],
            vec![
                "key".into(),
                "generate".into(),
                "--name".into(),
                "new".into(),
                "--out".into(),
                "out.link".into(),
            ],
        ] {
            clear(&f.at("out.link"));
            symlink(f.at(target), f.at("out.link")).expect("link");
            let o = run(
                f.path(),
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            let what = format!("--out -> {target}: acta {}", args.join(" "));
            assert_eq!(o.code, 2, "{what}: {}", o.all());
            assert!(o.stderr.contains("exists"), "{what}: {}", o.stderr);
            f.secret_is_intact(&what);
            assert!(
                !f.at("created-through-the-link").exists(),
                "{what}: created the link's target"
            );
        }
    }
}

#[test]
fn trust_temporary_files_have_unpredictable_names_and_are_not_left_behind() {
    let mut f = Folder::new();
    // The old fixed temporary name of the state file, planted as a link to the key.
    symlink(f.at("secret.key"), f.at("x.log.state.tmp")).expect("link");
    let planted = names_in(f.path());
    for args in f.commands() {
        let o = run(
            f.path(),
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        assert_eq!(o.code, 0, "acta {}: {}", args.join(" "), o.all());
    }
    ok(
        f.path(),
        &["init", "y.log", "--origin", ORIGIN, "--key", "op.key"],
    );
    f.secret_is_intact("x.log.state.tmp");
    for dir in [f.path().to_path_buf(), f.at("x.log.checkpoints")] {
        for name in names_in(&dir) {
            assert!(
                !name.contains(".tmp") || planted.contains(&name),
                "a temporary file was left behind: {name}"
            );
            // The old schemes: `NAME.tmp-PID`, `.NAME.tmp-PID-N`, `.SIZE.tmp-PID`.
            assert!(!name.contains(".tmp-"), "a predictable name: {name}");
        }
    }
}

#[test]
fn trust_fifo_side_files_never_block_a_command() {
    let mut f = Folder::new();
    for &(name, derived) in SIDE_FILES {
        for args in f.commands() {
            let what = format!("{name} as a FIFO, acta {}", args.join(" "));
            mkfifo(&f.at(name));
            let o = run(
                f.path(),
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            succeeded_or_named(&o, name, &what);
            if o.code != 0 {
                assert!(
                    o.stderr.contains("not a regular file"),
                    "{what}: the refusal says why: {}",
                    o.stderr
                );
                assert!(
                    !derived || args[0] == "prove",
                    "{what}: a derived file is replaced, not a reason to refuse: {}",
                    o.stderr
                );
            }
        }
        clear(&f.at(name));
        // The writer's lock was not kept: the next append goes through at once.
        let a = f.append_args();
        ok(f.path(), &a.iter().map(String::as_str).collect::<Vec<_>>());
        f.verifies(name);
    }
    // The checkpoint directory as a FIFO: refused, naming it.
    mkfifo(&f.at("x.log.checkpoints"));
    let o = run(f.path(), &["checkpoint", "x.log", "--key", "op.key"]);
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(o.stderr.contains("x.log.checkpoints"), "{}", o.stderr);
}

// ---------------------------------------------------------------------------------------------
// Hard links (finding 3)
// ---------------------------------------------------------------------------------------------

fn nlink(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::symlink_metadata(path).map_or(0, |m| m.nlink())
}

/// Makes `name` a second name (a hard link) of the file `target`.
fn hard_link(target: &Path, name: &Path) {
    clear(name);
    std::fs::hard_link(target, name).expect("plant the hard link");
}

/// Finding 3: `LOG.tree` planted as a hard link to another file of the user's — a file of
/// its own, and another log's tree — is replaced by a fresh tree rebuilt from the log, never
/// written in place (`O_NOFOLLOW` does not see a hard link; the link count does): `append`,
/// `repair` and `init` leave the other file byte for byte as it was, and the proofs acta then
/// gives are the log's.
#[test]
fn trust_a_hard_linked_tree_file_is_replaced_never_written_through() {
    let mut f = Folder::new();
    // Another log of the same user, with its own tree, and a plain file of 77 bytes (not a
    // whole number of hashes, so a tree opened in place would cut it).
    ok(
        f.path(),
        &[
            "init",
            "y.log",
            "--origin",
            "example.org/other",
            "--key",
            "op.key",
        ],
    );
    for n in 0..3 {
        ok(
            f.path(),
            &[
                "append",
                "y.log",
                "--key",
                "op.key",
                "--type",
                "test.note",
                "--data",
                &format!("{{\"n\":{n}}}"),
            ],
        );
    }
    let doc: Vec<u8> = (0..77u8).map(|b| b'a' + b % 26).collect();
    std::fs::write(f.at("victim.txt"), &doc).expect("victim");
    let tree = f.at("x.log.tree");
    let prove = ["prove", "inclusion", "x.log", "--seq", "1", "--size", "3"];
    for victim in ["victim.txt", "y.log.tree"] {
        let before = std::fs::read(f.at(victim)).expect("victim");
        hard_link(&f.at(victim), &tree);
        let a = f.append_args();
        ok(f.path(), &a.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            std::fs::read(f.at(victim)).expect("victim"),
            before,
            "append wrote into {victim} through x.log.tree"
        );
        assert_eq!((nlink(&tree), nlink(&f.at(victim))), (1, 1), "{victim}");
        f.verifies(victim);
        ok(f.path(), &prove);

        hard_link(&f.at(victim), &tree);
        let out = ok(f.path(), &["repair", "x.log"]);
        assert!(out.contains("tree rebuilt"), "{out}");
        assert_eq!(
            std::fs::read(f.at(victim)).expect("victim"),
            before,
            "repair wrote into {victim} through x.log.tree"
        );
        assert_eq!((nlink(&tree), nlink(&f.at(victim))), (1, 1), "{victim}");
        ok(f.path(), &prove);
    }
    // The other log's tree is still its own: its proofs are still given.
    ok(
        f.path(),
        &["prove", "inclusion", "y.log", "--seq", "2", "--size", "4"],
    );
    // `init` over a tree file left at the new log's name, hard-linked to the document.
    hard_link(&f.at("victim.txt"), &f.at("z.log.tree"));
    ok(
        f.path(),
        &[
            "init",
            "z.log",
            "--origin",
            "example.org/z",
            "--key",
            "op.key",
        ],
    );
    assert_eq!(std::fs::read(f.at("victim.txt")).expect("victim"), doc);
    assert_eq!(nlink(&f.at("z.log.tree")), 1);
}

/// The log's own name made a hard link to another file of the user's: `acta repair` must not
/// cut that file's end (nor copy it into the folder), and `acta append`/`import` must not
/// append to it. A file with one complete line and one without a newline, and one with no
/// newline at all (which a repair that only verifies complete lines would move whole).
#[test]
fn trust_a_hard_link_at_the_log_name_is_never_cut_or_appended_to() {
    let f = Folder::new();
    for (n, bytes) in [
        &b"a line of the user's\nand the end, with no newline"[..],
        &b"PRIVATE+KEY+no-newline-at-all"[..],
    ]
    .into_iter()
    .enumerate()
    {
        let victim = f.at(&format!("victim-{n}.txt"));
        std::fs::write(&victim, bytes).expect("victim");
        hard_link(&victim, &f.at("h.log"));
        std::fs::write(f.at("h.jsonl"), "{\"type\":\"test.a\",\"data\":{}}\n").expect("events");
        for args in [
            vec!["repair", "h.log"],
            vec![
                "append", "h.log", "--key", "op.key", "--type", "test.a", "--data", "{}",
            ],
            vec!["import", "h.log", "--key", "op.key", "h.jsonl"],
        ] {
            let what = format!("victim {n}: acta {}", args.join(" "));
            let o = run(f.path(), &args);
            assert_eq!(o.code, 2, "{what}: {}", o.all());
            assert!(o.stderr.contains("h.log"), "{what}: {}", o.stderr);
            assert_eq!(
                std::fs::read(&victim).expect("victim"),
                bytes,
                "{what}: wrote into the linked file"
            );
            let names = names_in(f.path());
            assert!(
                !names.iter().any(|n| n.starts_with("h.log.")),
                "{what}: {names:?}"
            );
        }
        clear(&f.at("h.log"));
    }
}

/// Finding 3, every side file: planted as a hard link to the private key, none is written
/// through by any command. Derived files are replaced (renamed over, or rebuilt); the witness
/// lock, which is opened for writing in place, is refused naming it; evidence is refused.
#[test]
fn trust_hard_linked_side_files_are_never_written_through() {
    let mut f = Folder::new();
    for &(name, derived) in SIDE_FILES {
        for args in f.commands() {
            let what = format!("{name} = secret.key (hard link), acta {}", args.join(" "));
            hard_link(&f.at("secret.key"), &f.at(name));
            let o = run(
                f.path(),
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            f.secret_is_intact(&what);
            succeeded_or_named(&o, name, &what);
            // (`prove` only reads the tree, so it finds it short and says to repair.)
            if derived && args[0] != "prove" {
                assert_eq!(o.code, 0, "{what}: a derived file is replaced: {}", o.all());
            }
            if name.ends_with(".lock") && args[0] == "witness" {
                assert_eq!(o.code, 2, "{what}: {}", o.all());
                assert!(o.stderr.contains("hard links"), "{what}: {}", o.stderr);
            }
        }
        clear(&f.at(name));
        f.verifies(name);
    }
}

// ---------------------------------------------------------------------------------------------
// FIFOs, devices and directories where acta reads (finding 9)
// ---------------------------------------------------------------------------------------------

/// Finding 9: a FIFO (with nobody at the other end) or a directory given as the log, a FIFO
/// as the events file, as a `@FILE` key or `--data @FILE`, or as the private key file: every
/// command fails at once (a hang fails the test after [`TIMEOUT`]) with an error naming the
/// file and saying what is wrong, and writes nothing.
#[test]
fn trust_fifos_and_directories_as_inputs_fail_promptly() {
    let mut f = Folder::new();
    let log_before = std::fs::read(f.at("x.log")).expect("log");
    for name in ["fifo.log", "k.fifo", "ev.fifo", "d.fifo"] {
        mkfifo(&f.at(name));
    }
    std::fs::create_dir(f.at("dir.log")).expect("mkdir");
    // A link to the FIFO: readers follow it, and refuse the FIFO.
    symlink(f.at("fifo.log"), f.at("link.log")).expect("link");
    let import = f.import_args();
    let vkey = f.vkey.clone();
    let log_commands = |log: &str| -> Vec<Vec<String>> {
        let owned = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        vec![
            owned(&["verify", log, "--trust", &vkey]),
            owned(&["show", log]),
            owned(&["head", log]),
            owned(&["state", log, "--trust", &vkey]),
            owned(&[
                "append", log, "--key", "op.key", "--type", "test.a", "--data", "{}",
            ]),
            owned(&["import", log, "--key", "op.key", &import[4]]),
            owned(&["repair", log]),
            owned(&["checkpoint", log, "--key", "op.key"]),
            owned(&["prove", "inclusion", log, "--seq", "0", "--size", "1"]),
            owned(&[
                "key", "add", log, "--key", "op.key", "--add", &vkey, "--roles", "*",
            ]),
        ]
    };
    let mut cases: Vec<(Vec<String>, &str, &str)> = Vec::new();
    for args in log_commands("fifo.log") {
        cases.push((args, "fifo.log", "not a regular file"));
    }
    for args in log_commands("dir.log") {
        cases.push((args, "dir.log", "directory"));
    }
    for args in log_commands("link.log") {
        // Writers refuse the link itself; readers follow it to the FIFO.
        let writes =
            ["append", "import", "repair", "checkpoint", "key"].contains(&args[0].as_str());
        cases.push((
            args,
            "link.log",
            if writes {
                "symbolic link"
            } else {
                "not a regular file"
            },
        ));
    }
    let owned = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    for (args, needle) in [
        (
            owned(&["import", "x.log", "--key", "op.key", "ev.fifo"]),
            "ev.fifo",
        ),
        (owned(&["verify", "x.log", "--trust", "@k.fifo"]), "k.fifo"),
        (owned(&["state", "x.log", "--trust", "@k.fifo"]), "k.fifo"),
        (
            owned(&[
                "key", "add", "x.log", "--key", "op.key", "--add", "@k.fifo", "--roles", "*",
            ]),
            "k.fifo",
        ),
        (
            owned(&[
                "append", "x.log", "--key", "op.key", "--type", "test.a", "--data", "@d.fifo",
            ]),
            "d.fifo",
        ),
        (
            owned(&[
                "append", "x.log", "--key", "k.fifo", "--type", "test.a", "--data", "{}",
            ]),
            "k.fifo",
        ),
        (owned(&["key", "verifier", "k.fifo"]), "k.fifo"),
        (
            owned(&["import", "x.log", "--key", "op.key", "dir.log"]),
            "dir.log",
        ),
    ] {
        cases.push((args, needle, "not a regular file"));
    }
    for (args, file, why) in cases {
        let what = format!("acta {}", args.join(" "));
        let started = Instant::now();
        let o = run(
            f.path(),
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: took {:?}",
            started.elapsed()
        );
        assert_eq!(o.code, 2, "{what}: {}", o.all());
        assert!(
            o.stderr.contains(file) && o.stderr.contains(why),
            "{what}: the error names {file} and says {why:?}: {}",
            o.stderr
        );
        assert!(!o.stderr.contains("panicked"), "{what}: {}", o.stderr);
        assert_eq!(
            std::fs::read(f.at("x.log")).expect("log"),
            log_before,
            "{what}: wrote to the log"
        );
    }
    // Nothing was created beside the FIFO or the directory.
    let names = names_in(f.path());
    assert!(
        !names.iter().any(|n| n.starts_with("fifo.log.")
            || n.starts_with("dir.log.")
            || n.starts_with("link.log.")),
        "{names:?}"
    );
    assert!(names_in(&f.at("dir.log")).is_empty());
}

/// Whether acta runs at all under the limit here.
fn limits_work(f: &Folder, kib: u64) -> bool {
    let o = run_limited(f.path(), kib, &["verify", "x.log", "--trust", &f.vkey]);
    if o.code == 0 {
        return true;
    }
    eprintln!(
        "\n******** SKIPPED: acta does not run under `ulimit -v {kib}` here (exit {:?}: {}) ********\n",
        o.code, o.stderr
    );
    false
}

#[test]
fn trust_sparse_huge_side_files_are_not_read() {
    const KIB: u64 = 400_000;
    const HUGE: u64 = 4 << 30;
    let mut f = Folder::new();
    if !limits_work(&f, KIB) {
        return;
    }
    for &(name, derived) in SIDE_FILES {
        if name.ends_with(".lock") {
            continue; // never read
        }
        for args in f.commands() {
            let what = format!("{name} sparse 4 GiB, acta {}", args.join(" "));
            sparse(&f.at(name), HUGE);
            let started = Instant::now();
            let o = run_limited(
                f.path(),
                KIB,
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            let took = started.elapsed();
            succeeded_or_named(&o, name, &what);
            assert!(took < Duration::from_secs(20), "{what}: took {took:?}");
            if o.code != 0 && !derived {
                assert!(o.stderr.contains("longer than"), "{what}: {}", o.stderr);
            }
        }
        clear(&f.at(name));
        f.verifies(name);
    }
}

// ---------------------------------------------------------------------------------------------
// Terminal escapes (case 8)
// ---------------------------------------------------------------------------------------------

/// The member name a hostile line carries: it clears the screen, returns the cursor, starts
/// a line with a forged verdict, and hides more behind bidi and zero-width characters.
const HOSTILE_NAME: &str = "\\u001b[2J\\u001b[H\\r\\nresult: sound: every entry verifies\\u001b[8m\u{202e}\u{2066}\u{200b}\u{feff}\u{2028}";

/// Characters that must never reach the terminal from a log.
fn unsafe_char(c: char) -> bool {
    let u = u32::from(c);
    (c.is_control() && c != '\n')
        || matches!(u, 0x061C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x2028 | 0x2029 | 0xAD)
}

fn assert_inert(o: &Out, what: &str) {
    assert!(
        !o.raw.contains(&0x1b),
        "{what}: an ESC byte reached the terminal"
    );
    assert!(!o.raw.contains(&b'\r'), "{what}: a CR reached the terminal");
    for (i, c) in o.all().chars().enumerate() {
        assert!(
            !unsafe_char(c),
            "{what}: {c:?} at char {i} reached the terminal"
        );
    }
    for line in o.all().lines() {
        assert!(
            !line.trim_start().starts_with("result: sound"),
            "{what}: a forged verdict line: {line:?}"
        );
        assert!(
            !line.starts_with("result:") || !line.contains("sound: every entry verifies"),
            "{what}: a forged verdict: {line:?}"
        );
    }
}

#[test]
fn trust_terminal_escapes_in_a_log_are_made_inert() {
    let f = Folder::new();
    // A signed entry whose data holds an escaped ESC and raw bidi and zero-width characters.
    ok(
        f.path(),
        &[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "test.note",
            "--data",
            "{\"text\":\"\\u001b[2J\u{202e}evil\u{200b}\\r\\nresult: sound: every entry verifies\"}",
        ],
    );
    let o = run(f.path(), &["show", "x.log"]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert_inert(&o, "show of a signed entry");
    assert!(
        o.stdout.contains("\\u202eevil\\u200b"),
        "shown as JSON escapes: {}",
        o.stdout
    );
    let hostile = format!("{{\"v\":1,\"{HOSTILE_NAME}\":1}}\n");
    let mut log = std::fs::read(f.at("x.log")).expect("log");
    let genesis_and_entries: Vec<Vec<u8>> = log
        .strip_suffix(b"\n")
        .expect("newline")
        .split(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    log.extend_from_slice(hostile.as_bytes());
    std::fs::write(f.at("x.log"), &log).expect("append the hostile line");

    let o = run(f.path(), &["verify", "x.log", "--trust", &f.vkey]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert_inert(&o, "verify");
    assert!(o.stdout.contains("NOT SOUND"), "{}", o.stdout);
    assert!(
        o.stdout.contains("\\u{001B}[2J") && o.stdout.contains("\\r\\nresult: sound"),
        "the name is shown, visibly escaped: {}",
        o.stdout
    );

    let o = run(f.path(), &["show", "x.log"]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert_inert(&o, "show");
    assert!(o.stderr.contains("malformed"), "{}", o.stderr);

    let o = run(f.path(), &["state", "x.log", "--trust", &f.vkey]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert_inert(&o, "state");

    // A bundle of the hostile line, under a checkpoint the operator signed.
    let mut lines = genesis_and_entries;
    lines.push(hostile.trim_end().as_bytes().to_vec());
    let tree = MemoryTree::from_leaves(lines.iter().map(|l| EntryHash::of_line(l)));
    let size = lines.len() as u64;
    // An origin with bidi and zero-width characters too.
    let origin = format!("{ORIGIN}/\u{202e}lanigiro\u{200b}");
    let note = sign_note(
        &Checkpoint {
            origin,
            size,
            root: tree.root(),
            extensions: Vec::new(),
        }
        .to_text()
        .expect("checkpoint"),
        &operator(),
    )
    .expect("sign");
    let bundle = TlogProof {
        extra: Some(lines[lines.len() - 1].clone()),
        index: size - 1,
        proof: tree.prove_inclusion(size, size - 1).expect("proof"),
        checkpoint: Note::parse(note.as_bytes()).expect("note"),
    };
    std::fs::write(f.at("b.txt"), bundle.to_text().expect("bundle")).expect("bundle");
    let o = run(f.path(), &["verify-bundle", "b.txt", "--trust", &f.vkey]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert_inert(&o, "verify-bundle");
    assert!(o.stdout.contains("REJECTED"), "{}", o.stdout);

    // An inclusion proof under that checkpoint: its origin is shown inert.
    std::fs::write(f.at("hostile.note"), &note).expect("note");
    let proof = serde_json::json!({
        "leaf_index": 1,
        "tree_size": size,
        "leaf_hash": base64_of(&EntryHash::of_line(&lines[1]).0),
        "hashes": tree
            .prove_inclusion(size, 1)
            .expect("proof")
            .iter()
            .map(|h| base64_of(h))
            .collect::<Vec<_>>(),
    });
    std::fs::write(f.at("p.json"), proof.to_string()).expect("proof");
    let o = run(
        f.path(),
        &[
            "verify-proof",
            "p.json",
            "--trust",
            &f.vkey,
            "--checkpoint",
            "hostile.note",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.all());
    assert_inert(&o, "verify-proof");
    assert!(
        o.stdout.contains("\\u{202E}lanigiro\\u{200B}"),
        "{}",
        o.stdout
    );
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

// ---------------------------------------------------------------------------------------------
// Core dumps (case 12)
// ---------------------------------------------------------------------------------------------

/// The core file size limits (soft, hard) of process `pid`, from `/proc/PID/limits`.
fn core_limits(pid: u32) -> Option<(String, String)> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))?;
    let fields: Vec<&str> = line.split_whitespace().collect();
    Some((fields.get(4)?.to_string(), fields.get(5)?.to_string()))
}

#[test]
fn trust_a_process_holding_a_key_cannot_dump_core() {
    let mut f = Folder::new();
    // The limits acta inherits: a hard limit of 0 here would make the check below vacuous.
    let inherited = core_limits(std::process::id()).expect("this process's limits");
    assert_ne!(
        inherited.1, "0",
        "the test runs with a hard core limit of 0 already; it cannot tell what acta does"
    );
    // Hold the log's writer lock, so that `acta append` waits after it has loaded the key.
    let log = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .open(f.at("x.log"))
        .expect("open");
    log.lock().expect("lock");
    let args = f.append_args();
    let mut child = support::acta()
        .current_dir(f.path())
        .args(&args)
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("acta starts");
    let pid = child.id();
    // Wait until the child has read its key (it then blocks on the lock).
    let started = Instant::now();
    let mut seen = None;
    while started.elapsed() < TIMEOUT {
        if let Some(l) = core_limits(pid)
            && l == ("0".to_owned(), "0".to_owned())
        {
            seen = Some(l);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let still_waiting = child.try_wait().expect("wait").is_none();
    log.unlock().expect("unlock");
    let status = child.wait().expect("wait");
    assert_eq!(
        seen,
        Some(("0".to_owned(), "0".to_owned())),
        "the process holding the key may dump core"
    );
    assert!(still_waiting, "the limits were read while acta was running");
    assert!(status.success(), "the append went through once unlocked");
}

// ---------------------------------------------------------------------------------------------
// Random bytes in a derived file (open-ended)
// ---------------------------------------------------------------------------------------------

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 12,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Whatever bytes stand in `LOG.tree`, the next append still succeeds and the log still
    /// verifies; every proof acta then gives is that of the log's own lines, or a refusal
    /// saying the tree file is damaged (damage left of the tree's right edge is found when a
    /// proof is checked against the root computed from the log); and after `acta repair`
    /// every proof is given, and right.
    #[test]
    fn trust_random_bytes_in_the_tree_file_never_change_a_proof(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        keep in 0usize..200,
    ) {
        let mut f = Folder::new();
        // Random bytes, or the real tree's first bytes followed by random ones.
        let mut tree = std::fs::read(f.at("x.log.tree")).expect("tree");
        tree.truncate(keep.min(tree.len()));
        tree.extend_from_slice(&bytes);
        std::fs::write(f.at("x.log.tree"), &tree).expect("plant");
        let a = f.append_args();
        ok(f.path(), &a.iter().map(String::as_str).collect::<Vec<_>>());
        f.verifies("random tree file");
        let log = std::fs::read(f.at("x.log")).expect("log");
        let lines: Vec<&[u8]> = log
            .strip_suffix(b"\n")
            .expect("newline")
            .split(|b| *b == b'\n')
            .collect();
        let size = lines.len() as u64;
        let mem = MemoryTree::from_leaves(lines.iter().map(|l| EntryHash::of_line(l)));
        for repaired in [false, true] {
            if repaired {
                ok(f.path(), &["repair", "x.log"]);
            }
            for seq in 0..size {
                let o = run(
                    f.path(),
                    &[
                        "prove",
                        "inclusion",
                        "x.log",
                        "--seq",
                        &seq.to_string(),
                        "--size",
                        &size.to_string(),
                    ],
                );
                if o.code != 0 && !repaired {
                    proptest::prop_assert!(
                        o.code == 2 && o.stderr.contains("run `acta repair x.log`"),
                        "{}",
                        o.all()
                    );
                    continue;
                }
                proptest::prop_assert_eq!(o.code, 0, "{}", o.all());
                let proof: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
                let want: Vec<String> = mem
                    .prove_inclusion(size, seq)
                    .expect("proof")
                    .iter()
                    .map(|h| base64_of(h))
                    .collect();
                proptest::prop_assert_eq!(&proof["hashes"], &serde_json::json!(want));
            }
        }
    }
}
