//! Interoperability with Go's `golang.org/x/mod/sumdb/note` and `golang.org/x/mod/sumdb/tlog`:
//! checkpoints, inclusion proofs and consistency proofs made by the Rust library are accepted by
//! an independent verifier built only on those Go packages (`tests/go/acta-go-verify`), and
//! altered ones are rejected.
//!
//! The Go program is built once per test run, in GOPATH mode, against the Debian packages
//! `golang-go` and `golang-golang-x-mod-dev` (no network, no modules). Without them the tests
//! print `SKIPPED` on stderr and pass, unless `ACTA_REQUIRE_GO=1` is set (as CI does), in which
//! case they fail. `ACTA_GO_GOPATH` overrides the GOPATH (default `/usr/share/gocode`).
//!
//! Every case is one run of the Go program: exit 0 means accepted, 1 rejected; anything else
//! (2 is usage, and also what a Go panic exits with) fails the test. The numbers of accepted and
//! rejected cases are asserted exactly, so the tests cannot silently check nothing.

use std::cell::Cell;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use acta_core::note::{Checkpoint, sign_note};
use acta_core::tree::{Hash, MemoryTree};
use acta_core::{EntryHash, SigningKey};

/// The largest tree size tested; every size, index and size pair up to it is checked.
const N: u64 = 20;

const ORIGIN: &str = "test.invalid/acta/go-interop";
const KEY_NAME: &str = "test-only-go-interop";
const GO_SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/go/acta-go-verify");
const DEFAULT_GOPATH: &str = "/usr/share/gocode";
const INSTALL: &str = "apt-get update && apt-get install -y --no-install-recommends golang-go golang-golang-x-mod-dev";

// ---------------------------------------------------------------------------------------------
// Building the Go verifier

/// The built Go verifier, or `None` (after printing SKIPPED) when Go or x/mod is missing and
/// `ACTA_REQUIRE_GO` is not `1`. Built at most once per test run.
fn go_verifier() -> Option<&'static Path> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BUILT.get_or_init(build_go_verifier) {
        Ok(path) => Some(path),
        Err(missing) => {
            let required = std::env::var("ACTA_REQUIRE_GO").as_deref() == Ok("1");
            assert!(
                !required,
                "ACTA_REQUIRE_GO=1 but the Go interop test cannot run: {missing}\n\
                 install Go and x/mod with: {INSTALL}"
            );
            // Straight to the process's stderr: the test harness captures `eprintln!`.
            static SKIPPED: std::sync::Once = std::sync::Once::new();
            SKIPPED.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "\n*** SKIPPED: Go interop test needs golang-go and golang-golang-x-mod-dev \
                     ({INSTALL}): {missing} ***\n"
                );
            });
            None
        }
    }
}

/// Builds `tests/go/acta-go-verify` into the cargo target directory. `Err` says what is missing;
/// a failed build with Go and x/mod present panics.
fn build_go_verifier() -> Result<PathBuf, String> {
    let gopath = std::env::var("ACTA_GO_GOPATH").unwrap_or_else(|_| DEFAULT_GOPATH.to_owned());
    match Command::new("go").arg("version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Err(format!("`go version` failed: {}", out.status)),
        Err(e) => return Err(format!("`go` is not on PATH ({e})")),
    }
    for package in ["note/note.go", "tlog/tlog.go"] {
        let file = Path::new(&gopath)
            .join("src/golang.org/x/mod/sumdb")
            .join(package);
        if !file.is_file() {
            return Err(format!("{} does not exist", file.display()));
        }
    }

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let binary = dir.join("acta-go-verify");
    // Build under a unique name and rename, so concurrent test runs never see a partial file.
    let partial = dir.join(format!("acta-go-verify.{}.partial", std::process::id()));
    let out = Command::new("go")
        .args(["build", "-o"])
        .arg(&partial)
        .arg(".")
        .current_dir(GO_SOURCE)
        .env("GOPATH", &gopath)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("GOENV", "off")
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local")
        .env("CGO_ENABLED", "0")
        .env("GOCACHE", dir.join("go-cache"))
        .output()
        .expect("running go build");
    assert!(
        out.status.success(),
        "building {GO_SOURCE} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::rename(&partial, &binary).expect("moving the Go verifier into place");
    Ok(binary)
}

// ---------------------------------------------------------------------------------------------
// Artifacts

/// Standard padded base64 (RFC 4648 §4).
fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64_list(hashes: &[Hash]) -> String {
    let quoted: Vec<String> = hashes.iter().map(|h| format!("\"{}\"", b64(h))).collect();
    format!("[{}]", quoted.join(", "))
}

fn inclusion_json(index: u64, size: u64, leaf: &Hash, hashes: &[Hash]) -> String {
    format!(
        "{{\"leaf_index\": {index}, \"tree_size\": {size}, \"leaf_hash\": \"{}\", \"hashes\": {}}}\n",
        b64(leaf),
        b64_list(hashes)
    )
}

fn consistency_json(old: u64, new: u64, hashes: &[Hash]) -> String {
    format!(
        "{{\"old_size\": {old}, \"new_size\": {new}, \"hashes\": {}}}\n",
        b64_list(hashes)
    )
}

fn key() -> SigningKey {
    SigningKey::from_seed(KEY_NAME, [11; 32]).expect("a valid key name")
}

/// Another key with the same name.
fn other_key() -> SigningKey {
    SigningKey::from_seed(KEY_NAME, [12; 32]).expect("a valid key name")
}

/// A log of `N` distinct lines, its tree, and a signed checkpoint for every size `0..=N`,
/// written to a temporary directory.
struct Fixture {
    dir: tempfile::TempDir,
    vkey: String,
    leaves: Vec<Hash>,
    tree: MemoryTree,
    /// `notes[s]`: the path of the signed checkpoint of size `s`.
    notes: Vec<String>,
    /// For naming further files.
    counter: Cell<u64>,
}

impl Fixture {
    fn new() -> Fixture {
        let key = key();
        let leaves: Vec<EntryHash> = (0..N)
            .map(|i| {
                let line = format!("{{\"n\":{i},\"payload\":\"go interop line {i}\"}}");
                EntryHash::of_line(line.as_bytes())
            })
            .collect();
        let mut fixture = Fixture {
            dir: tempfile::tempdir().expect("a temporary directory"),
            vkey: key.verifier().to_string(),
            leaves: leaves.iter().map(|l| l.0).collect(),
            tree: MemoryTree::from_leaves(leaves),
            notes: Vec::new(),
            counter: Cell::new(0),
        };
        for size in 0..=N {
            let note = fixture.file(&fixture.signed_checkpoint(size, &key));
            fixture.notes.push(note);
        }
        fixture
    }

    fn root(&self, size: u64) -> Hash {
        self.tree.root_at(size).expect("the tree holds this size")
    }

    fn checkpoint_text(&self, size: u64) -> String {
        Checkpoint {
            origin: ORIGIN.to_owned(),
            size,
            root: self.root(size),
            extensions: vec![],
        }
        .to_text()
        .expect("a valid checkpoint")
    }

    fn signed_checkpoint(&self, size: u64, key: &SigningKey) -> String {
        sign_note(&self.checkpoint_text(size), key).expect("a signable note")
    }

    /// Writes `contents` to a fresh file and returns its path.
    fn file(&self, contents: &str) -> String {
        let n = self.counter.get();
        self.counter.set(n + 1);
        let path = self.dir.path().join(format!("file-{n}"));
        std::fs::write(&path, contents).expect("writing a test file");
        path.to_str().expect("a UTF-8 temporary path").to_owned()
    }

    /// The path of the signed checkpoint of `size`.
    fn note(&self, size: u64) -> String {
        self.notes[usize::try_from(size).expect("small")].clone()
    }

    fn leaf(&self, index: u64) -> Hash {
        self.leaves[usize::try_from(index).expect("small")]
    }
}

/// `h` with one bit flipped (which bit depends on `k`, to vary the position).
fn flip(h: &Hash, k: usize) -> Hash {
    let mut h = *h;
    h[(k * 7 + 3) % 32] ^= 1 << (k % 8);
    h
}

// ---------------------------------------------------------------------------------------------
// Running cases

struct Case {
    what: String,
    args: Vec<String>,
    accept: bool,
    /// The exact standard output of an accepted case.
    stdout: String,
}

#[derive(Default)]
struct Cases(Vec<Case>);

impl Cases {
    fn accept(&mut self, what: String, args: Vec<String>, stdout: String) {
        self.0.push(Case {
            what,
            args,
            accept: true,
            stdout,
        });
    }

    fn reject(&mut self, what: String, args: Vec<String>) {
        self.0.push(Case {
            what,
            args,
            accept: false,
            stdout: String::new(),
        });
    }

    /// Runs every case (on a few threads) and asserts each outcome and the exact numbers of
    /// accepted and rejected cases.
    fn run(self, go: &Path, accepted: usize, rejected: usize) {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
        let chunk = self.0.len().div_ceil(threads).max(1);
        let failures: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = self
                .0
                .chunks(chunk)
                .map(|cases| {
                    s.spawn(move || {
                        cases
                            .iter()
                            .filter_map(|c| run_case(go, c))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a case thread panicked"))
                .collect()
        });
        assert!(
            failures.is_empty(),
            "{} of {} Go interop cases failed; the first ones:\n{}",
            failures.len(),
            self.0.len(),
            failures[..failures.len().min(20)].join("\n")
        );
        let got_accepted = self.0.iter().filter(|c| c.accept).count();
        let got_rejected = self.0.len() - got_accepted;
        eprintln!("Go interop: {got_accepted} accepted and {got_rejected} rejected, as expected");
        assert_eq!(
            (got_accepted, got_rejected),
            (accepted, rejected),
            "the numbers of (accepted, rejected) cases changed"
        );
    }
}

/// Runs one case; `Some(description)` if the outcome is wrong.
fn run_case(go: &Path, case: &Case) -> Option<String> {
    let out = match Command::new(go).args(&case.args).output() {
        Ok(out) => out,
        Err(e) => return Some(format!("{}: cannot run {}: {e}", case.what, go.display())),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    let wrong = match (case.accept, code) {
        (true, Some(0)) if stdout == case.stdout.as_str() => None,
        (true, Some(0)) => Some(format!("printed {stdout:?}, expected {:?}", case.stdout)),
        (false, Some(1)) => None,
        (true, _) => Some("expected acceptance (exit 0)".to_owned()),
        (false, _) => Some("expected rejection (exit 1)".to_owned()),
    };
    wrong.map(|why| {
        format!(
            "{}: {why}; exit {code:?}\n  args: {:?}\n  stdout: {}\n  stderr: {}",
            case.what,
            case.args,
            stdout.trim_end(),
            stderr.trim_end()
        )
    })
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn go_accepts_acta_checkpoints_and_rejects_altered_ones() {
    let Some(go) = go_verifier() else { return };
    let f = Fixture::new();
    let key = key();
    let vkey = f.vkey.as_str();
    let mut cases = Cases::default();

    // Other verifier keys: another key with the same name, the same key under another name,
    // and the right key text with one bit of the public key flipped (its key id then fails).
    let renamed = SigningKey::from_seed("test-only-go-interop-2", [11; 32]).expect("valid name");
    let corrupt_vkey = {
        let (prefix, _) = vkey.rsplit_once('+').expect("NAME+id+key");
        let mut raw = vec![0x01];
        raw.extend_from_slice(&key.verifier().public_bytes());
        raw[9] ^= 0x10;
        format!("{prefix}+{}", b64(&raw))
    };
    let wrong_vkeys = [
        other_key().verifier().to_string(),
        renamed.verifier().to_string(),
        corrupt_vkey,
    ];

    for size in 0..=N {
        let note = f.note(size);
        let text = f.checkpoint_text(size);
        let signed = f.signed_checkpoint(size, &key);
        cases.accept(
            format!("checkpoint of size {size}"),
            args(&["checkpoint", vkey, &note]),
            format!("{ORIGIN} {size} {}\n", b64(&f.root(size))),
        );

        for (i, wrong) in wrong_vkeys.iter().enumerate() {
            cases.reject(
                format!("checkpoint {size} with wrong verifier key #{i}"),
                args(&["checkpoint", wrong, &note]),
            );
        }
        let by_other = f.file(&f.signed_checkpoint(size, &other_key()));
        cases.reject(
            format!("checkpoint {size} signed by another key"),
            args(&["checkpoint", vkey, &by_other]),
        );

        // One changed byte in each line of the note body (origin, size, root hash), so that
        // the text stays a well-formed checkpoint and only the signature can tell.
        let mut line_start = 0;
        for (line, content) in text.lines().enumerate() {
            // The last digit of the size, the first character of the other lines.
            let at = line_start + if line == 1 { content.len() - 1 } else { 0 };
            let mut altered = signed.clone().into_bytes();
            altered[at] = match altered[at] {
                b'9' => b'0',
                c if c.is_ascii_digit() => c + 1,
                b'A' => b'B',
                _ => b'A',
            };
            let altered = String::from_utf8(altered).expect("an ASCII change");
            assert_ne!(altered, signed);
            cases.reject(
                format!("checkpoint {size} with line {} altered", line + 1),
                args(&["checkpoint", vkey, &f.file(&altered)]),
            );
            line_start += content.len() + 1;
        }
        // One changed character in the signature.
        let at = signed.len() - 10;
        let mut altered = signed.clone().into_bytes();
        altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).expect("an ASCII change");
        cases.reject(
            format!("checkpoint {size} with its signature altered"),
            args(&["checkpoint", vkey, &f.file(&altered)]),
        );
        // The next size under this size's signature.
        let relabelled = signed.replacen(&format!("\n{size}\n"), &format!("\n{}\n", size + 1), 1);
        assert_ne!(relabelled, signed);
        cases.reject(
            format!("checkpoint {size} relabelled as size {}", size + 1),
            args(&["checkpoint", vkey, &f.file(&relabelled)]),
        );
    }

    // Usage errors exit 2, not 1 (and not 0).
    let usage = Command::new(go).output().expect("running the Go verifier");
    assert_eq!(
        usage.status.code(),
        Some(2),
        "no arguments is a usage error"
    );

    // Per size 0..=20: 1 accepted; 3 wrong keys, another signer, 3 altered lines, an altered
    // signature and a relabelled size rejected.
    cases.run(go, 21, 21 * 9);
}

#[test]
fn go_accepts_acta_inclusion_proofs_and_rejects_altered_ones() {
    let Some(go) = go_verifier() else { return };
    let f = Fixture::new();
    let vkey = f.vkey.as_str();
    let mut cases = Cases::default();
    let check = |note: &str, proof: &str| args(&["inclusion", vkey, note, proof]);
    let mut hashes = 0;

    for size in 1..=N {
        let note = f.note(size);
        let by_other = f.file(&f.signed_checkpoint(size, &other_key()));
        for index in 0..size {
            let at = format!("leaf {index} in size {size}");
            let leaf = f.leaf(index);
            let proof = f
                .tree
                .prove_inclusion(size, index)
                .expect("an inclusion proof");
            let json = |index: u64, size: u64, leaf: &Hash, proof: &[Hash]| {
                f.file(&inclusion_json(index, size, leaf, proof))
            };
            let proof_file = json(index, size, &leaf, &proof);
            cases.accept(at.clone(), check(&note, &proof_file), "ok\n".to_owned());

            hashes += proof.len();
            for k in 0..proof.len() {
                let mut bad = proof.clone();
                bad[k] = flip(&bad[k], k);
                cases.reject(
                    format!("{at}: hash {k} flipped"),
                    check(&note, &json(index, size, &leaf, &bad)),
                );
            }
            cases.reject(
                format!("{at}: leaf hash flipped"),
                check(&note, &json(index, size, &flip(&leaf, 5), &proof)),
            );
            cases.reject(
                format!("{at}: another leaf's hash"),
                check(&note, &json(index, size, &f.leaf((index + 1) % N), &proof)),
            );
            // The next index (for the last leaf, one outside the tree).
            cases.reject(
                format!("{at}: claimed as leaf {}", index + 1),
                check(&note, &json(index + 1, size, &leaf, &proof)),
            );
            if !proof.is_empty() {
                cases.reject(
                    format!("{at}: last hash removed"),
                    check(&note, &json(index, size, &leaf, &proof[..proof.len() - 1])),
                );
                cases.reject(
                    format!("{at}: first hash removed"),
                    check(&note, &json(index, size, &leaf, &proof[1..])),
                );
            }
            let mut long = proof.clone();
            long.push(f.root(size));
            cases.reject(
                format!("{at}: a hash appended"),
                check(&note, &json(index, size, &leaf, &long)),
            );
            let mut long = vec![leaf];
            long.extend_from_slice(&proof);
            cases.reject(
                format!("{at}: a hash prepended"),
                check(&note, &json(index, size, &leaf, &long)),
            );
            // Sizes that do not match: the proof claims another size than the checkpoint's,
            // or it is checked against the checkpoint of another size.
            let other = if size < N { size + 1 } else { size - 1 };
            cases.reject(
                format!("{at}: tree_size {other} against checkpoint {size}"),
                check(&note, &json(index, other, &leaf, &proof)),
            );
            if index < other {
                cases.reject(
                    format!("{at}: checked against checkpoint {other}"),
                    check(&f.note(other), &json(index, other, &leaf, &proof)),
                );
            }
            cases.reject(
                format!("{at}: checkpoint signed by another key"),
                check(&by_other, &proof_file),
            );
        }
    }

    // 210 pairs (index, size) with index < size <= 20: each accepted once. Rejected: one per
    // proof hash, 7 per pair, 2 per non-empty proof (all but size 1), and one per pair but
    // the last leaf of size 20 checked against checkpoint 19.
    assert_eq!(hashes, 813, "the total length of the inclusion proofs");
    cases.run(go, 210, 813 + 7 * 210 + 2 * 209 + 209);
}

#[test]
fn go_accepts_acta_consistency_proofs_and_rejects_altered_ones() {
    let Some(go) = go_verifier() else { return };
    let f = Fixture::new();
    let vkey = f.vkey.as_str();
    let mut cases = Cases::default();
    let check = |old: &str, new: &str, proof: &str| args(&["consistency", vkey, old, new, proof]);
    let json = |old: u64, new: u64, proof: &[Hash]| f.file(&consistency_json(old, new, proof));
    let mut hashes = 0;
    let mut other_sizes = 0;

    for new in 1..=N {
        let new_note = f.note(new);
        for old in 1..=new {
            let at = format!("consistency {old} -> {new}");
            let old_note = f.note(old);
            let proof = f
                .tree
                .prove_consistency(old, new)
                .expect("a consistency proof");
            let proof_file = json(old, new, &proof);
            cases.accept(
                at.clone(),
                check(&old_note, &new_note, &proof_file),
                "ok\n".to_owned(),
            );

            hashes += proof.len();
            for k in 0..proof.len() {
                let mut bad = proof.clone();
                bad[k] = flip(&bad[k], k);
                cases.reject(
                    format!("{at}: hash {k} flipped"),
                    check(&old_note, &new_note, &json(old, new, &bad)),
                );
            }
            if !proof.is_empty() {
                cases.reject(
                    format!("{at}: last hash removed"),
                    check(
                        &old_note,
                        &new_note,
                        &json(old, new, &proof[..proof.len() - 1]),
                    ),
                );
                cases.reject(
                    format!("{at}: first hash removed"),
                    check(&old_note, &new_note, &json(old, new, &proof[1..])),
                );
            }
            let mut long = proof.clone();
            long.push(f.root(old));
            cases.reject(
                format!("{at}: a hash appended"),
                check(&old_note, &new_note, &json(old, new, &long)),
            );
            let mut long = vec![f.root(new)];
            long.extend_from_slice(&proof);
            cases.reject(
                format!("{at}: a hash prepended"),
                check(&old_note, &new_note, &json(old, new, &long)),
            );

            // Sizes in the proof that do not match the checkpoints.
            let wrong_old = if old < new { old + 1 } else { old - 1 };
            let wrong_new = if new < N { new + 1 } else { new - 1 };
            cases.reject(
                format!("{at}: old_size {wrong_old} against checkpoint {old}"),
                check(&old_note, &new_note, &json(wrong_old, new, &proof)),
            );
            cases.reject(
                format!("{at}: new_size {wrong_new} against checkpoint {new}"),
                check(&old_note, &new_note, &json(old, wrong_new, &proof)),
            );
            // The proof checked against the checkpoints of other sizes (the sizes in the proof
            // matching them). Only the same list of hashes could verify there.
            for (o, n) in [(wrong_old, new), (old, wrong_new)] {
                if o == 0 || o > n {
                    continue;
                }
                let real = f.tree.prove_consistency(o, n).expect("a consistency proof");
                if real == proof {
                    continue;
                }
                other_sizes += 1;
                cases.reject(
                    format!("{at}: checked as {o} -> {n}"),
                    check(&f.note(o), &f.note(n), &json(o, n, &proof)),
                );
            }
            if old < new {
                cases.reject(
                    format!("{at}: checkpoints swapped"),
                    check(&new_note, &old_note, &json(new, old, &proof)),
                );
            }
            cases.reject(
                format!("{at}: old checkpoint signed by another key"),
                check(
                    &f.file(&f.signed_checkpoint(old, &other_key())),
                    &new_note,
                    &proof_file,
                ),
            );
        }
    }

    // 210 pairs (old, new) with 1 <= old <= new <= 20: each accepted once. Rejected: one per
    // proof hash, 5 per pair, 2 per non-empty proof (old < new: 190), one per pair with
    // old < new (190) for the swapped checkpoints, and the proofs checked as other sizes:
    // twice per pair but (1, 1) and (20, 20), since no two size pairs share a proof.
    assert_eq!(
        (hashes, other_sizes),
        (744, 2 * 209),
        "the total length of the consistency proofs, and the other-size checks"
    );
    cases.run(go, 210, hashes + 5 * 210 + 2 * 190 + 190 + other_sizes);
}

/// The artifacts the `acta` binary itself writes (`acta checkpoint`, `acta prove`) are the ones
/// Go accepts, not only those built through the library.
#[test]
fn go_accepts_what_the_acta_cli_writes() {
    let Some(go) = go_verifier() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let vkey = crate::support::write_key(d, "op.key", &key());
    let acta = |a: &[&str]| -> String {
        let out = crate::support::run_in(d, a);
        assert!(out.code == 0, "acta {a:?}: {}", out.stderr);
        out.stdout
    };
    acta(&["init", "x.log", "--origin", ORIGIN, "--key", "op.key"]);
    for i in 0..4 {
        acta(&[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "t.e",
            "--data",
            &format!("{{\"i\":{i}}}"),
        ]);
    }
    acta(&[
        "checkpoint",
        "x.log",
        "--key",
        "op.key",
        "--out",
        "old.note",
    ]);
    for i in 4..9 {
        acta(&[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "t.e",
            "--data",
            &format!("{{\"i\":{i}}}"),
        ]);
    }
    acta(&[
        "checkpoint",
        "x.log",
        "--key",
        "op.key",
        "--out",
        "new.note",
    ]);
    let go_run = |a: &[&str]| -> i32 {
        Command::new(go)
            .current_dir(d)
            .args(a)
            .output()
            .expect("go verifier runs")
            .status
            .code()
            .unwrap_or(-1)
    };
    assert_eq!(go_run(&["checkpoint", &vkey, "old.note"]), 0);
    assert_eq!(go_run(&["checkpoint", &vkey, "new.note"]), 0);
    let mut checked = 0;
    for seq in 0..10 {
        std::fs::write(
            d.join("inc.json"),
            acta(&["prove", "inclusion", "x.log", "--seq", &seq.to_string()]),
        )
        .expect("write");
        assert_eq!(
            go_run(&["inclusion", &vkey, "new.note", "inc.json"]),
            0,
            "seq {seq}"
        );
        checked += 1;
    }
    std::fs::write(
        d.join("cons.json"),
        acta(&["prove", "consistency", "x.log", "--from", "5"]),
    )
    .expect("write");
    assert_eq!(
        go_run(&["consistency", &vkey, "old.note", "new.note", "cons.json"]),
        0
    );
    // And an altered checkpoint from the CLI is rejected.
    let note = std::fs::read_to_string(d.join("new.note")).expect("note");
    std::fs::write(d.join("bad.note"), note.replacen("\n10\n", "\n11\n", 1)).expect("write");
    assert_eq!(go_run(&["checkpoint", &vkey, "bad.note"]), 1);
    assert_eq!(checked, 10);
}
