//! The transparency commands through the real `acta` binary: `acta checkpoint`, `acta prove
//! inclusion|consistency|bundle`, `acta verify-proof`, `acta verify-bundle`, `acta witness
//! cosign`, `acta verify --checkpoint` (with witnesses and fork evidence) and the tree file
//! beside a log.
//!
//! Every accepted proof is also compared with one computed here by `acta_core::tree::MemoryTree`
//! over the log's own lines, so a proof that only agrees with itself does not pass. Snapshots
//! use the committed fixtures (`fixtures/valid/basic.log` and its checkpoint notes), copied
//! into a temporary directory where `acta repair` builds the tree file; nothing in them depends
//! on the time or on the temporary directory's path.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use acta_core::note::{Checkpoint, Note, TlogProof, sign_note, verify_checkpoint_note};
use acta_core::tree::{Hash, MemoryTree};
use acta_core::{EntryHash, SigningKey, VerifierKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

use crate::support::Out as Output;

const ORIGIN: &str = "example.org/transparency-test";
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn run(dir: &Path, args: &[&str]) -> Output {
    crate::support::acta()
        .current_dir(dir)
        .args(args)
        // A command that waits on a planted FIFO fails the test instead of hanging it.
        .timeout(std::time::Duration::from_secs(120))
        .run()
}

/// Runs acta and asserts success, returning stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    assert_eq!(o.code, 0, "acta {args:?} failed:\n{}", o.all());
    o.stdout
}

/// Runs acta and asserts the exit code; returns the output.
fn expect_code(dir: &Path, args: &[&str], code: i32) -> Output {
    let o = run(dir, args);
    assert_eq!(o.code, code, "acta {args:?}: exit code\n{}", o.all());
    o
}

/// Asserts that acta rejects: exit 1 and a stdout starting with `word` (REJECTED or REFUSED).
fn rejected(dir: &Path, args: &[&str], word: &str, what: &str) -> Output {
    let o = run(dir, args);
    assert_eq!(o.code, 1, "{what}: acta {args:?} must exit 1\n{}", o.all());
    assert!(
        o.stdout.starts_with(&format!("{word}: ")),
        "{what}: stdout must start with {word}:\n{}",
        o.all()
    );
    o
}

fn signing_key(name: &str, seed: u8) -> SigningKey {
    SigningKey::from_seed(name, [seed; 32]).expect("valid test key name")
}

fn operator() -> SigningKey {
    signing_key("test-only-operator", 1)
}

/// Another key with the operator's very name: only its key id and public key differ.
fn impostor() -> SigningKey {
    signing_key("test-only-operator", 9)
}

/// Writes a private key file (mode 0600); returns the key's verifier key.
fn write_key(dir: &Path, file: &str, key: &SigningKey) -> String {
    let path = dir.join(file);
    std::fs::write(&path, format!("{}\n", key.to_private_text())).expect("write key");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    key.verifier().to_string()
}

fn b64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

fn unb64(s: &str) -> Hash {
    BASE64
        .decode(s)
        .ok()
        .and_then(|v| Hash::try_from(v).ok())
        .expect("the base64 of a 32-byte hash")
}

/// The hash with bit 0 of byte `k % 32` flipped.
fn flip(h: &Hash, k: usize) -> Hash {
    let mut h = *h;
    h[k % 32] ^= 1;
    h
}

fn flip_b64(s: &str, k: usize) -> String {
    b64(&flip(&unb64(s), k))
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text)
        .map_err(|e| format!("not JSON ({e}):\n{text}"))
        .expect("JSON")
}

fn hashes_b64(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(|h| b64(h)).collect()
}

/// The complete lines of a log, without their newlines.
fn lines_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    let body = bytes
        .strip_suffix(b"\n")
        .expect("a log ends with a newline");
    body.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect()
}

fn tree_of(lines: &[Vec<u8>]) -> MemoryTree {
    MemoryTree::from_leaves(lines.iter().map(|l| EntryHash::of_line(l)))
}

/// A checkpoint note signed by `key`: what a log operator who signs whatever it likes makes.
fn forge_checkpoint(origin: &str, size: u64, root: Hash, key: &SigningKey) -> String {
    let text = Checkpoint {
        origin: origin.to_owned(),
        size,
        root,
        extensions: Vec::new(),
    }
    .to_text()
    .expect("checkpoint text");
    sign_note(&text, key).expect("sign the checkpoint")
}

/// The same note text signed by `key` instead.
fn resign(note: &str, key: &SigningKey) -> String {
    let parsed = Note::parse(note.as_bytes()).expect("a signed note");
    sign_note(&parsed.text, key).expect("sign")
}

/// A temporary directory holding `x.log` (origin [`ORIGIN`], signed by the operator key in
/// `op.key`), and the checkpoints made so far as `cp-<size>.note`.
struct TestLog {
    dir: tempfile::TempDir,
    vkey: String,
    size: u64,
}

impl TestLog {
    /// A log of `entries` entries: the genesis and `test.note` entries `{"text":"entry N"}`.
    fn new(entries: u64) -> TestLog {
        assert!(entries >= 1);
        let dir = tempfile::tempdir().expect("tempdir");
        let vkey = write_key(dir.path(), "op.key", &operator());
        ok(
            dir.path(),
            &["init", "x.log", "--origin", ORIGIN, "--key", "op.key"],
        );
        let mut log = TestLog { dir, vkey, size: 1 };
        log.append(entries - 1);
        log
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> Output {
        run(self.path(), args)
    }

    fn ok(&self, args: &[&str]) -> String {
        ok(self.path(), args)
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path().join(name))
            .map_err(|e| format!("reading {name}: {e}"))
            .expect("a readable file")
    }

    fn read_text(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).expect("UTF-8")
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.path().join(name), bytes)
            .map_err(|e| format!("writing {name}: {e}"))
            .expect("a writable file");
    }

    fn exists(&self, name: &str) -> bool {
        self.path().join(name).exists()
    }

    fn append(&mut self, n: u64) {
        for _ in 0..n {
            let data = format!(r#"{{"text":"entry {}"}}"#, self.size);
            let args = [
                "append",
                "x.log",
                "--key",
                "op.key",
                "--type",
                "test.note",
                "--data",
                &data,
            ];
            self.ok(&args);
            self.size += 1;
        }
    }

    fn lines(&self) -> Vec<Vec<u8>> {
        let lines = lines_of(&self.read("x.log"));
        assert_eq!(lines.len() as u64, self.size);
        lines
    }

    fn tree(&self) -> MemoryTree {
        tree_of(&self.lines())
    }

    /// `acta checkpoint` with the operator key, `--out cp-<size>.note`; checks that the note
    /// is printed, kept and written identically, and that it commits to the log's lines.
    /// Returns the note file's name.
    fn checkpoint(&self) -> String {
        let name = format!("cp-{}.note", self.size);
        let o = self.run(&["checkpoint", "x.log", "--key", "op.key", "--out", &name]);
        assert_eq!(o.code, 0, "acta checkpoint:\n{}", o.all());
        let kept = format!("x.log.checkpoints/{:020}.note", self.size);
        assert!(o.stderr.contains(&kept), "{}", o.stderr);
        assert_eq!(self.read_text(&kept), o.stdout, "kept note = printed note");
        assert_eq!(self.read_text(&name), o.stdout, "--out note = printed note");
        let cp = verify_checkpoint_note(o.stdout.as_bytes(), &operator().verifier(), &[], 0)
            .expect("a checkpoint signed by the operator");
        assert_eq!(cp.checkpoint.origin, ORIGIN);
        assert_eq!(cp.checkpoint.size, self.size);
        assert_eq!(cp.checkpoint.root, self.tree().root(), "root of the lines");
        assert!(cp.checkpoint.extensions.is_empty());
        name
    }

    /// The kept checkpoints' sizes, from `x.log.checkpoints/`.
    fn kept_sizes(&self) -> Vec<u64> {
        let mut sizes: Vec<u64> = std::fs::read_dir(self.path().join("x.log.checkpoints"))
            .map(|rd| {
                rd.map(|e| {
                    let name = e.expect("dir entry").file_name();
                    let name = name.to_string_lossy();
                    let digits = name.strip_suffix(".note").expect("only .note files");
                    assert_eq!(digits.len(), 20, "{name}");
                    digits.parse().expect("a size")
                })
                .collect()
            })
            .unwrap_or_default();
        sizes.sort_unstable();
        sizes
    }
}

/// A temporary directory with copies of the committed fixtures this module uses, laid out as
/// in `fixtures/`, and `valid/basic.log.tree` built by `acta repair`.
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("valid")).expect("mkdir valid");
    for rel in [
        acta_testkit::BASIC_LOG,
        acta_testkit::BASIC_VKEY,
        acta_testkit::BASIC_CHECKPOINT_SMALL,
        acta_testkit::BASIC_CHECKPOINT_FULL,
        acta_testkit::FORKED_CHECKPOINT,
    ] {
        std::fs::copy(Path::new(FIXTURES).join(rel), dir.path().join(rel))
            .map_err(|e| format!("copying fixtures/{rel}: {e}"))
            .expect("copying a fixture");
    }
    let out = ok(dir.path(), &["repair", "valid/basic.log"]);
    assert!(
        out.contains("tree rebuilt from the log (12 entries)"),
        "{out}"
    );
    dir
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(rel))
        .map_err(|e| format!("fixtures/{rel}: {e}"))
        .expect("a fixture")
}

const TRUST: &str = "@valid/basic.operator.vkey";

/// stdout, then stderr (if any) after a separator: what a snapshot records.
fn snapshot_text(o: &Output) -> String {
    let mut s = o.stdout.clone();
    if !o.stderr.is_empty() {
        s.push_str("--- stderr ---\n");
        s.push_str(&o.stderr);
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Checkpoints and inclusion proofs
// ---------------------------------------------------------------------------------------------

#[test]
fn inclusion_proofs_of_every_entry_verify_against_each_kept_checkpoint() {
    let mut log = TestLog::new(3);
    log.checkpoint();
    log.append(2);
    log.checkpoint();
    log.append(3);
    log.checkpoint();
    assert_eq!(log.kept_sizes(), [3, 5, 8]);
    let tree = log.tree();
    let lines = log.lines();
    let signer = operator().key_ref().to_string();

    for size in log.kept_sizes() {
        let cp = format!("cp-{size}.note");
        for seq in 0..size {
            let proof_text = log.ok(&[
                "prove",
                "inclusion",
                "x.log",
                "--seq",
                &seq.to_string(),
                "--size",
                &size.to_string(),
            ]);
            let proof = parse_json(&proof_text);
            let line = &lines[seq as usize];
            assert_eq!(
                proof,
                json!({
                    "leaf_index": seq,
                    "tree_size": size,
                    "leaf_hash": b64(&EntryHash::of_line(line).0),
                    "hashes": hashes_b64(&tree.prove_inclusion(size, seq).expect("proof")),
                }),
                "inclusion proof of {seq} in {size}"
            );
            log.write("p.json", &proof_text);
            let mut entry = line.clone();
            entry.push(b'\n');
            log.write("entry.line", &entry);
            let out = log.ok(&[
                "verify-proof",
                "p.json",
                "--trust",
                &log.vkey,
                "--checkpoint",
                &cp,
                "--entry",
                "entry.line",
            ]);
            assert_eq!(
                out,
                format!(
                    "OK: entry {seq} is in {ORIGIN} at tree size {size} (checkpoint signed by {signer})\n"
                )
            );
        }
    }

    // Without --size, the latest kept checkpoint's size; the trust key may come from a file.
    let latest = parse_json(&log.ok(&["prove", "inclusion", "x.log", "--seq", "6"]));
    assert_eq!(latest["tree_size"], 8);
    log.write("op.vkey", format!("{}\n", log.vkey));
    log.write("p.json", latest.to_string());
    log.ok(&[
        "verify-proof",
        "p.json",
        "--trust",
        "@op.vkey",
        "--checkpoint",
        "cp-8.note",
    ]);
}

#[test]
fn tampered_inclusion_proofs_and_wrong_checkpoints_are_rejected() {
    let mut log = TestLog::new(5);
    log.checkpoint();
    log.append(3);
    log.checkpoint();
    let vkey = log.vkey.clone();
    let proof_text = log.ok(&["prove", "inclusion", "x.log", "--seq", "2", "--size", "8"]);
    let good = parse_json(&proof_text);
    let n_hashes = good["hashes"].as_array().expect("hashes").len();
    assert_eq!(n_hashes, 3, "a proof in a tree of 8 has 3 hashes");
    let check = |proof: &Value, checkpoints: &[&str]| {
        log.write("p.json", proof.to_string());
        let mut args = vec!["verify-proof", "p.json", "--trust", &vkey];
        for cp in checkpoints {
            args.extend(["--checkpoint", cp]);
        }
        log.run(&args)
    };
    let both = ["cp-5.note", "cp-8.note"];
    assert_eq!(check(&good, &both).code, 0, "the untampered proof verifies");

    let mut cases: Vec<(String, Value)> = Vec::new();
    for i in 0..n_hashes {
        for k in [0, 31] {
            let mut p = good.clone();
            let h = p["hashes"][i].as_str().expect("hash").to_owned();
            p["hashes"][i] = json!(flip_b64(&h, k));
            cases.push((format!("hashes[{i}] byte {k} flipped"), p));
        }
    }
    let mut p = good.clone();
    p["leaf_hash"] = json!(flip_b64(good["leaf_hash"].as_str().expect("leaf_hash"), 7));
    cases.push(("leaf_hash flipped".into(), p));
    for index in [0, 1, 3, 6, 7] {
        let mut p = good.clone();
        p["leaf_index"] = json!(index);
        cases.push((format!("leaf_index {index} instead of 2"), p));
    }
    let mut p = good.clone();
    p["tree_size"] = json!(5);
    cases.push((
        "tree_size 5 instead of 8 (a checkpoint of 5 given)".into(),
        p,
    ));
    let mut p = good.clone();
    p["hashes"].as_array_mut().expect("hashes").pop();
    cases.push(("a hash removed".into(), p));
    let mut p = good.clone();
    let first = good["hashes"][0].clone();
    p["hashes"].as_array_mut().expect("hashes").push(first);
    cases.push(("a hash added".into(), p));
    let mut p = good.clone();
    p["hashes"].as_array_mut().expect("hashes").swap(0, 1);
    cases.push(("two hashes swapped".into(), p));
    for (what, proof) in &cases {
        let o = check(proof, &both);
        assert_eq!(o.code, 1, "{what}: must be rejected\n{}", o.all());
        assert!(
            o.stdout.starts_with("REJECTED: the proof does not verify"),
            "{what}: {}",
            o.all()
        );
    }

    // A tree size for which no checkpoint was given: unusable input, not a verdict.
    let mut p = good.clone();
    p["tree_size"] = json!(7);
    let o = check(&p, &both);
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(
        o.stderr.contains("no --checkpoint of size 7"),
        "{}",
        o.all()
    );

    // A checkpoint of size 8 with another root, signed by the log's own key: the proof does
    // not lead to its root.
    let mut other_lines = log.lines();
    other_lines[6] = b"not the real entry 6".to_vec();
    let other_root = tree_of(&other_lines).root();
    log.write(
        "wrong-root.note",
        forge_checkpoint(ORIGIN, 8, other_root, &operator()),
    );
    let o = check(&good, &["wrong-root.note"]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(o.stdout.starts_with("REJECTED: the proof does not verify"));

    // The right checkpoint text, signed by another key (one with a different name, and one
    // with the operator's name but another key id).
    let cp8 = log.read_text("cp-8.note");
    for (file, key) in [
        ("other-key.note", signing_key("test-only-other", 2)),
        ("impostor.note", impostor()),
    ] {
        log.write(file, resign(&cp8, &key));
        let o = check(&good, &[file]);
        assert_eq!(o.code, 1, "{file}: {}", o.all());
        assert!(
            o.stdout.starts_with("REJECTED: checkpoint")
                && o.stdout.contains("not signed by the log's key"),
            "{file}: {}",
            o.all()
        );
    }
    // The right checkpoint with its root altered under the operator's signature.
    let altered = cp8.replacen(
        &b64(&log.tree().root()),
        &b64(&flip(&log.tree().root(), 0)),
        1,
    );
    assert_ne!(altered, cp8);
    log.write("altered.note", altered);
    let o = check(&good, &["altered.note"]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(o.stdout.contains("does not verify"), "{}", o.all());
    // The right proof checked with another trust key.
    log.write("p.json", &proof_text);
    let other_vkey = signing_key("test-only-other", 2).verifier().to_string();
    rejected(
        log.path(),
        &[
            "verify-proof",
            "p.json",
            "--trust",
            &other_vkey,
            "--checkpoint",
            "cp-8.note",
        ],
        "REJECTED",
        "another trust key",
    );

    // --entry: the proven line passes (with or without its newline); any other line fails.
    let lines = log.lines();
    log.write("entry2.line", &lines[2]);
    log.ok(&[
        "verify-proof",
        "p.json",
        "--trust",
        &vkey,
        "--checkpoint",
        "cp-8.note",
        "--entry",
        "entry2.line",
    ]);
    for other in [1usize, 3] {
        let mut line = lines[other].clone();
        line.push(b'\n');
        log.write("other.line", line);
        let o = rejected(
            log.path(),
            &[
                "verify-proof",
                "p.json",
                "--trust",
                &vkey,
                "--checkpoint",
                "cp-8.note",
                "--entry",
                "other.line",
            ],
            "REJECTED",
            "--entry of another line",
        );
        assert!(o.stdout.contains("is not the entry this proof is for"));
    }
    // The proven line with one byte changed.
    let mut changed = lines[2].clone();
    let at = changed
        .windows(7)
        .position(|w| w == b"entry 2")
        .expect("entry 2's text");
    changed[at + 6] = b'9';
    log.write("changed.line", changed);
    rejected(
        log.path(),
        &[
            "verify-proof",
            "p.json",
            "--trust",
            &vkey,
            "--checkpoint",
            "cp-8.note",
            "--entry",
            "changed.line",
        ],
        "REJECTED",
        "--entry with a changed byte",
    );
}

#[test]
fn consistency_proofs_between_every_pair_of_kept_checkpoints_verify() {
    let mut log = TestLog::new(1);
    log.checkpoint();
    for add in [2, 1, 3, 1] {
        log.append(add);
        log.checkpoint();
    }
    let sizes = log.kept_sizes();
    assert_eq!(sizes, [1, 3, 4, 7, 8]);
    let tree = log.tree();
    let vkey = log.vkey.clone();
    for (i, &from) in sizes.iter().enumerate() {
        for &to in &sizes[i..] {
            let text = log.ok(&[
                "prove",
                "consistency",
                "x.log",
                "--from",
                &from.to_string(),
                "--to",
                &to.to_string(),
            ]);
            let proof = parse_json(&text);
            assert_eq!(
                proof,
                json!({
                    "old_size": from,
                    "new_size": to,
                    "hashes": hashes_b64(&tree.prove_consistency(from, to).expect("proof")),
                }),
                "consistency proof {from} → {to}"
            );
            log.write("c.json", &text);
            let out = log.ok(&[
                "verify-proof",
                "c.json",
                "--trust",
                &vkey,
                "--checkpoint",
                &format!("cp-{from}.note"),
                "--checkpoint",
                &format!("cp-{to}.note"),
            ]);
            assert_eq!(
                out,
                format!(
                    "OK: the tree of {ORIGIN} at size {to} extends the tree at size {from} (append-only)\n"
                )
            );
        }
    }
    // Without --to: the latest kept checkpoint.
    let latest = parse_json(&log.ok(&["prove", "consistency", "x.log", "--from", "3"]));
    assert_eq!(
        (latest["old_size"].clone(), latest["new_size"].clone()),
        (json!(3), json!(8))
    );

    // Tampering with the proof 3 → 7 (every kept checkpoint given).
    let good = parse_json(&log.ok(&["prove", "consistency", "x.log", "--from", "3", "--to", "7"]));
    let n = good["hashes"].as_array().expect("hashes").len();
    assert!(n >= 3, "{good}");
    let mut cases: Vec<(String, Value)> = Vec::new();
    for i in 0..n {
        let mut p = good.clone();
        let h = p["hashes"][i].as_str().expect("hash").to_owned();
        p["hashes"][i] = json!(flip_b64(&h, i));
        cases.push((format!("hashes[{i}] flipped"), p));
    }
    for (old, new) in [(4, 7), (1, 7), (3, 8), (3, 4)] {
        let mut p = good.clone();
        p["old_size"] = json!(old);
        p["new_size"] = json!(new);
        cases.push((format!("sizes {old} → {new} instead of 3 → 7"), p));
    }
    let mut p = good.clone();
    p["hashes"].as_array_mut().expect("hashes").pop();
    cases.push(("a hash removed".into(), p));
    let mut p = good.clone();
    p["hashes"].as_array_mut().expect("hashes").reverse();
    cases.push(("hashes reversed".into(), p));
    let all: Vec<String> = sizes.iter().map(|s| format!("cp-{s}.note")).collect();
    for (what, proof) in &cases {
        log.write("c.json", proof.to_string());
        let mut args = vec!["verify-proof", "c.json", "--trust", &vkey];
        for cp in &all {
            args.extend(["--checkpoint", cp.as_str()]);
        }
        let o = rejected(log.path(), &args, "REJECTED", what);
        assert!(o.stdout.contains("does not verify"), "{what}: {}", o.all());
    }

    // The good proof between the right old checkpoint and a signed new one of another history.
    let mut forked = log.lines();
    forked[5] = b"another entry 5".to_vec();
    let forked_root = tree_of(&forked[..7]).root();
    log.write(
        "forked-7.note",
        forge_checkpoint(ORIGIN, 7, forked_root, &operator()),
    );
    log.write("c.json", good.to_string());
    rejected(
        log.path(),
        &[
            "verify-proof",
            "c.json",
            "--trust",
            &vkey,
            "--checkpoint",
            "cp-3.note",
            "--checkpoint",
            "forked-7.note",
        ],
        "REJECTED",
        "a forked new checkpoint",
    );
    // Checkpoints of another origin, even signed by the log's key, are not compared.
    log.write(
        "elsewhere-7.note",
        forge_checkpoint(
            "example.org/elsewhere",
            7,
            tree.root_at(7).expect("root"),
            &operator(),
        ),
    );
    let o = expect_code(
        log.path(),
        &[
            "verify-proof",
            "c.json",
            "--trust",
            &vkey,
            "--checkpoint",
            "cp-3.note",
            "--checkpoint",
            "elsewhere-7.note",
        ],
        2,
    );
    assert!(o.stderr.contains("different logs"), "{}", o.all());

    // Sizes the log cannot prove are usage errors.
    for (from, to, expected) in [
        ("0", "3", "--from must be at least 1"),
        (
            "5",
            "3",
            "--from must be at least 1 and at most the newer size",
        ),
        ("3", "9", "fewer than 9"),
    ] {
        let o = expect_code(
            log.path(),
            &["prove", "consistency", "x.log", "--from", from, "--to", to],
            2,
        );
        assert!(o.stderr.contains(expected), "{from} → {to}: {}", o.all());
        assert!(o.stdout.is_empty());
    }
    let o = expect_code(
        log.path(),
        &["prove", "inclusion", "x.log", "--seq", "8", "--size", "8"],
        2,
    );
    assert!(
        o.stderr.contains("seq must be below the size"),
        "{}",
        o.all()
    );
}

#[test]
fn proofs_without_a_checkpoint_or_size_are_usage_errors() {
    let log = TestLog::new(3);
    for args in [
        vec!["prove", "inclusion", "x.log", "--seq", "1"],
        vec!["prove", "consistency", "x.log", "--from", "1"],
        vec!["prove", "bundle", "x.log", "--seq", "1"],
    ] {
        let o = expect_code(log.path(), &args, 2);
        assert!(
            o.stderr.contains("no checkpoint yet"),
            "{args:?}: {}",
            o.all()
        );
    }
    // With the size given, the proof needs no checkpoint.
    let p = parse_json(&log.ok(&["prove", "inclusion", "x.log", "--seq", "1", "--size", "3"]));
    assert_eq!(p["tree_size"], 3);
}

// ---------------------------------------------------------------------------------------------
// Checkpoint signing rights
// ---------------------------------------------------------------------------------------------

#[test]
fn checkpoints_are_signed_only_by_the_genesis_key_while_it_is_active() {
    let log = TestLog::new(3);
    let clerk = write_key(log.path(), "clerk.key", &signing_key("test-only-clerk", 4));
    log.ok(&[
        "key", "add", "x.log", "--key", "op.key", "--add", &clerk, "--roles", "test.*",
    ]);
    // Even a key whose roles cover everything is not the trust anchor verifiers check against.
    let deputy = write_key(
        log.path(),
        "deputy.key",
        &signing_key("test-only-deputy", 6),
    );
    log.ok(&[
        "key", "add", "x.log", "--key", "op.key", "--add", &deputy, "--roles", "*",
    ]);
    let stranger = signing_key("test-only-stranger", 5);
    write_key(log.path(), "stranger.key", &stranger);
    let log_before = log.read("x.log");
    for (key, what) in [
        ("clerk.key", "a key with roles test.*"),
        (
            "deputy.key",
            "a key with roles * that did not sign the genesis",
        ),
        ("stranger.key", "a key that is not in the log"),
    ] {
        let o = expect_code(
            log.path(),
            &["checkpoint", "x.log", "--key", key, "--out", "cp.note"],
            2,
        );
        assert!(
            o.stderr.contains("may not sign checkpoints") && o.stderr.contains("genesis"),
            "{what}: {}",
            o.all()
        );
        assert!(o.stdout.is_empty(), "{what}: nothing printed");
        assert!(!log.exists("cp.note"), "{what}: no --out file");
        assert!(
            log.kept_sizes().is_empty(),
            "{what}: nothing kept in x.log.checkpoints/"
        );
        assert_eq!(
            log.read("x.log"),
            log_before,
            "{what}: the log is untouched"
        );
    }

    // The genesis key signs checkpoints, until it is revoked.
    let note = log.ok(&["checkpoint", "x.log", "--key", "op.key"]);
    let cp = verify_checkpoint_note(note.as_bytes(), &operator().verifier(), &[], 0)
        .expect("signed by the operator");
    assert_eq!(cp.checkpoint.size, 5);
    assert_eq!(log.kept_sizes(), [5]);
    let op_ref = operator().key_ref().to_string();
    log.ok(&[
        "key",
        "revoke",
        "x.log",
        "--key",
        "deputy.key",
        "--revoke",
        &op_ref,
    ]);
    let o = expect_code(log.path(), &["checkpoint", "x.log", "--key", "op.key"], 2);
    assert!(o.stderr.contains("may not sign checkpoints"), "{}", o.all());
    assert_eq!(log.kept_sizes(), [5], "nothing kept for size 6");
}

#[test]
fn checkpointing_the_same_head_twice_gives_the_same_note_and_a_conflict_is_refused() {
    let mut log = TestLog::new(4);
    let first = log.ok(&["checkpoint", "x.log", "--key", "op.key"]);
    let again = log.ok(&["checkpoint", "x.log", "--key", "op.key"]);
    assert_eq!(first, again, "Ed25519 is deterministic: the same note");
    assert_eq!(log.kept_sizes(), [4]);
    // A different note already kept for this size (say, an earlier history) is never replaced.
    let kept = format!("x.log.checkpoints/{:020}.note", 4);
    let other = forge_checkpoint(ORIGIN, 4, [3; 32], &operator());
    log.write(&kept, &other);
    let o = expect_code(log.path(), &["checkpoint", "x.log", "--key", "op.key"], 2);
    assert!(o.stdout.is_empty(), "{}", o.all());
    assert_eq!(log.read_text(&kept), other, "the kept note is not replaced");
    log.append(1);
    log.checkpoint();
    assert_eq!(log.kept_sizes(), [4, 5]);
}

// ---------------------------------------------------------------------------------------------
// Bundles
// ---------------------------------------------------------------------------------------------

/// A tlog-proof bundle for line `index` of `lines` under the note `cp` of the tree of `size`.
fn bundle_text(lines: &[Vec<u8>], index: u64, size: u64, cp: &str) -> String {
    let tree = tree_of(&lines[..size as usize]);
    let mut text = format!(
        "c2sp.org/tlog-proof@v1\nextra {}\nindex {index}\n",
        b64(&lines[index as usize])
    );
    for h in tree.prove_inclusion(size, index).expect("proof") {
        text.push_str(&b64(&h));
        text.push('\n');
    }
    text.push('\n');
    text.push_str(cp);
    text
}

/// Case 4 of the trust issue: a line appended by someone with no key (right author, seq, prev
/// and time, garbage signature) is never packed into a bundle, even under a checkpoint signed
/// by the operator that covers it.
#[test]
fn trust_prove_bundle_refuses_a_line_that_does_not_verify() {
    let log = TestLog::new(3);
    let lines = log.lines();
    let last = String::from_utf8(lines[2].clone()).expect("utf-8");
    let prev = EntryHash::of_line(&lines[2]).to_string();
    let old_prev = EntryHash::of_line(&lines[1]).to_string();
    let at = last.find("\"sig\":\"").expect("sig") + 7;
    let forged = format!("{}{}w=={}", &last[..at], "A".repeat(85), &last[at + 88..])
        .replace(&old_prev, &prev)
        .replace("\"seq\":2", "\"seq\":3");
    let mut bytes = log.read("x.log");
    bytes.extend_from_slice(forged.as_bytes());
    bytes.push(b'\n');
    log.write("x.log", &bytes);
    let all = lines_of(&bytes);
    // The tree file as an honest writer would have brought it up to date with the line.
    log.write("x.log.tree", tree_of(&all).stored_hashes().concat());
    log.write(
        "cp-4.note",
        forge_checkpoint(ORIGIN, 4, tree_of(&all).root(), &operator()),
    );
    let o = run(
        log.path(),
        &[
            "prove",
            "bundle",
            "x.log",
            "--seq",
            "3",
            "--checkpoint",
            "cp-4.note",
        ],
    );
    assert_ne!(o.code, 0, "{}", o.all());
    assert!(o.stdout.is_empty(), "{}", o.all());
    assert!(o.stderr.contains("does not verify"), "{}", o.all());
    // The verified entries before it are still provable under a checkpoint of the verified
    // prefix: the bad line is outside that tree.
    let cp = forge_checkpoint(ORIGIN, 3, tree_of(&all[..3]).root(), &operator());
    log.write("cp-3.note", cp);
    let o = run(
        log.path(),
        &[
            "prove",
            "bundle",
            "x.log",
            "--seq",
            "1",
            "--checkpoint",
            "cp-3.note",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.all());
    let b = TlogProof::parse(o.stdout.as_bytes()).expect("a bundle");
    assert_eq!(b.extra.as_deref(), Some(all[1].as_slice()));
}

/// Case 4 of the trust issue, the bundle half: a line with a garbage signature under a
/// checkpoint signed by the operator (as `acta checkpoint` used to sign over unverified lines)
/// is not presented as signed by its author. Its author is the trust key, so the signature is
/// checked and the bundle rejected; an entry by another key is "NOT CHECKED" unless its key is
/// given, and then checked.
#[test]
fn trust_a_bundle_never_names_an_author_whose_signature_it_did_not_check() {
    let log = TestLog::new(3);
    let mut lines = log.lines();
    // Entry 2, re-signed by nobody: a garbage signature of the right shape.
    let forged = String::from_utf8(lines[2].clone()).expect("utf-8");
    let at = forged.find("\"sig\":\"").expect("sig") + 7;
    let garbage = format!("{}{}", "A".repeat(85), "w==");
    let forged = format!("{}{}{}", &forged[..at], garbage, &forged[at + 88..]);
    lines[2] = forged.into_bytes();
    let cp = forge_checkpoint(ORIGIN, 3, tree_of(&lines).root(), &operator());
    log.write("forged.proof", bundle_text(&lines, 2, 3, &cp));
    let o = expect_code(
        log.path(),
        &["verify-bundle", "forged.proof", "--trust", &log.vkey],
        1,
    );
    assert!(
        o.stdout
            .starts_with("REJECTED: entry 2's signature does not verify"),
        "{}",
        o.all()
    );
    assert!(!o.stdout.contains("OK:"), "{}", o.all());

    // An entry by a second key, under a genuine checkpoint: not checked without that key.
    let clerk = signing_key("test-only-bundle-clerk", 41);
    let clerk_vkey = write_key(log.path(), "clerk.key", &clerk);
    log.ok(&[
        "key",
        "add",
        "x.log",
        "--key",
        "op.key",
        "--add",
        &clerk_vkey,
        "--roles",
        "test.*",
    ]);
    log.ok(&[
        "append",
        "x.log",
        "--key",
        "clerk.key",
        "--type",
        "test.note",
        "--data",
        "{}",
    ]);
    log.ok(&[
        "checkpoint",
        "x.log",
        "--key",
        "op.key",
        "--out",
        "cp-5.note",
    ]);
    let lines = lines_of(&log.read("x.log"));
    let cp = log.read_text("cp-5.note");
    log.write("clerk.proof", bundle_text(&lines, 4, 5, &cp));
    let plain = log.ok(&["verify-bundle", "clerk.proof", "--trust", &log.vkey]);
    assert!(
        plain.starts_with("OK: entry 4 (test.note, recorded "),
        "{plain}"
    );
    assert_eq!(
        plain.lines().nth(1),
        Some(
            format!(
                "signature: NOT CHECKED: the entry names {} as its author, but the bundle does not carry that key; give it with --author-key, or verify the log",
                clerk.key_ref()
            )
            .as_str()
        ),
        "{plain}"
    );
    let checked = log.ok(&[
        "verify-bundle",
        "clerk.proof",
        "--trust",
        &log.vkey,
        "--author-key",
        &clerk_vkey,
    ]);
    assert_eq!(
        checked.lines().nth(1),
        Some(
            format!(
                "signature: verifies: signed by {} (given with --author-key)",
                clerk.key_ref()
            )
            .as_str()
        ),
        "{checked}"
    );
    // The wrong author key is an error, not a pass.
    let o = expect_code(
        log.path(),
        &[
            "verify-bundle",
            "clerk.proof",
            "--trust",
            &log.vkey,
            "--author-key",
            &log.vkey,
        ],
        2,
    );
    assert!(o.stderr.contains("names the author"), "{}", o.all());
}

#[test]
fn bundles_round_trip_and_any_alteration_is_rejected() {
    let mut log = TestLog::new(4);
    log.checkpoint();
    log.append(2);
    log.checkpoint();
    let vkey = log.vkey.clone();
    let lines = log.lines();
    let tree = log.tree();
    let cp6 = log.read_text("cp-6.note");
    let signer = operator().key_ref().to_string();

    for seq in 0..6u64 {
        let text = log.ok(&["prove", "bundle", "x.log", "--seq", &seq.to_string()]);
        let bundle = TlogProof::parse(text.as_bytes()).expect("a tlog-proof");
        assert_eq!(
            bundle.extra.as_deref(),
            Some(lines[seq as usize].as_slice())
        );
        assert_eq!(bundle.index, seq);
        assert_eq!(bundle.proof, tree.prove_inclusion(6, seq).expect("proof"));
        assert_eq!(bundle.checkpoint.to_text().expect("note"), cp6);
        log.write("b.txt", &text);
        let out = log.ok(&["verify-bundle", "b.txt", "--trust", &vkey]);
        let first = out.lines().next().unwrap_or_default();
        let kind = if seq == 0 {
            "acta.genesis"
        } else {
            "test.note"
        };
        assert!(
            first.starts_with(&format!("OK: entry {seq} ({kind}, recorded "))
                && first.ends_with(&format!(
                    ") is in {ORIGIN} at tree size 6 (checkpoint signed by {signer})"
                )),
            "{out}"
        );
        // Every entry here is signed by the operator, the --trust key: its signature is checked.
        assert_eq!(
            out.lines().nth(1),
            Some(format!("signature: verifies: signed by {signer} (the --trust key)").as_str()),
            "{out}"
        );
        assert!(
            out.lines()
                .nth(2)
                .is_some_and(|l| l.starts_with("authorisation: not checked")),
            "{out}"
        );
        if seq > 0 {
            assert_eq!(
                out.lines().nth(3),
                Some(format!(r#"{{"text":"entry {seq}"}}"#).as_str()),
                "the entry's data follows"
            );
        }
    }
    // Against an explicit, older checkpoint.
    let text = log.ok(&[
        "prove",
        "bundle",
        "x.log",
        "--seq",
        "2",
        "--checkpoint",
        "cp-4.note",
    ]);
    log.write("b4.txt", &text);
    let out = log.ok(&["verify-bundle", "b4.txt", "--trust", &vkey]);
    assert!(
        out.contains(&format!("is in {ORIGIN} at tree size 4")),
        "{out}"
    );
    // A checkpoint that is not of this log's tree: no bundle.
    log.write(
        "forged-6.note",
        forge_checkpoint(ORIGIN, 6, [5; 32], &operator()),
    );
    let o = expect_code(
        log.path(),
        &[
            "prove",
            "bundle",
            "x.log",
            "--seq",
            "2",
            "--checkpoint",
            "forged-6.note",
        ],
        2,
    );
    assert!(
        o.stderr.contains("does not match this log's tree"),
        "{}",
        o.all()
    );
    assert!(o.stdout.is_empty());

    // Alterations of the bundle of entry 3.
    let good_text = log.ok(&["prove", "bundle", "x.log", "--seq", "3"]);
    let good = TlogProof::parse(good_text.as_bytes()).expect("a tlog-proof");
    let mut cases: Vec<(String, String)> = Vec::new();
    let with = |f: &dyn Fn(&mut TlogProof)| {
        let mut b = good.clone();
        f(&mut b);
        b.to_text().expect("a bundle")
    };
    cases.push((
        "a byte of the entry changed".into(),
        with(&|b| {
            let e = b.extra.as_mut().expect("extra");
            let at = e.windows(7).position(|w| w == b"entry 3").expect("text");
            e[at + 6] = b'4';
        }),
    ));
    cases.push((
        "another entry's line as extra".into(),
        with(&|b| b.extra = Some(lines[4].clone())),
    ));
    cases.push(("another index".into(), with(&|b| b.index = 2)));
    for i in 0..good.proof.len() {
        cases.push((
            format!("proof hash {i} flipped"),
            with(&|b| b.proof[i] = flip(&b.proof[i], 3)),
        ));
    }
    cases.push((
        "a proof hash dropped".into(),
        with(&|b| {
            b.proof.pop();
        }),
    ));
    let other = signing_key("test-only-other", 2);
    cases.push((
        "checkpoint signed by another key".into(),
        with(&|b| {
            b.checkpoint = Note::parse(resign(&cp6, &other).as_bytes()).expect("note");
        }),
    ));
    cases.push((
        "checkpoint signed by a key with the operator's name".into(),
        with(&|b| {
            b.checkpoint = Note::parse(resign(&cp6, &impostor()).as_bytes()).expect("note");
        }),
    ));
    cases.push((
        "checkpoint root altered under the log's signature".into(),
        with(&|b| {
            let root = b64(&tree.root_at(6).expect("root"));
            b.checkpoint.text = b.checkpoint.text.replacen(&root, &b64(&[1; 32]), 1);
        }),
    ));
    cases.push((
        "checkpoint of another tree signed by the log's key".into(),
        with(&|b| {
            let mut l = lines.clone();
            l[5] = b"a different entry 5".to_vec();
            let forged = forge_checkpoint(ORIGIN, 6, tree_of(&l).root(), &operator());
            b.checkpoint = Note::parse(forged.as_bytes()).expect("note");
        }),
    ));
    for (what, text) in &cases {
        assert_ne!(text, &good_text, "{what}: altered");
        log.write("bad.txt", text);
        rejected(
            log.path(),
            &["verify-bundle", "bad.txt", "--trust", &vkey],
            "REJECTED",
            what,
        );
    }
    // The good bundle under another trust key.
    log.write("b.txt", &good_text);
    rejected(
        log.path(),
        &[
            "verify-bundle",
            "b.txt",
            "--trust",
            &other.verifier().to_string(),
        ],
        "REJECTED",
        "another trust key",
    );
    log.ok(&["verify-bundle", "b.txt", "--trust", &vkey]);
}

// ---------------------------------------------------------------------------------------------
// Witnesses
// ---------------------------------------------------------------------------------------------

/// `acta key verifier --cosigner FILE`.
fn cosigner_key(log: &TestLog, keyfile: &str) -> String {
    log.ok(&["key", "verifier", "--cosigner", keyfile])
        .trim()
        .to_owned()
}

/// The origin, size and root (base64) of the checkpoint a witness's state file holds.
fn witness_state(log: &TestLog, name: &str) -> (String, u64, String) {
    let note = Note::parse(&log.read(name)).expect("the state is a note");
    let cp = Checkpoint::parse(&note.text).expect("a checkpoint");
    (cp.origin, cp.size, b64(&cp.root))
}

fn cosign(
    log: &TestLog,
    wkey: &str,
    state: &str,
    cp: &str,
    proof: Option<&str>,
    out: &str,
) -> Output {
    let mut args = vec![
        "witness",
        "cosign",
        "--key",
        wkey,
        "--log-key",
        &log.vkey,
        "--state",
        state,
        "--checkpoint",
        cp,
        "--out",
        out,
    ];
    // A witness starts its state only when told this is its first checkpoint of the log.
    if !log.exists(state) {
        args.push("--first-use");
    }
    if let Some(p) = proof {
        args.extend(["--proof", p]);
    }
    log.run(&args)
}

#[test]
fn a_witness_cosigns_only_consistent_growth_and_refusals_leave_its_state_unchanged() {
    let mut log = TestLog::new(3);
    let w1 = signing_key("test-only-witness-one", 11);
    write_key(log.path(), "w1.key", &w1);
    let w1_cosigner = cosigner_key(&log, "w1.key");
    let parsed: acta_core::note::CosignerKey = w1_cosigner.parse().expect("a cosigner key");
    assert_eq!(parsed, acta_core::note::CosignerKey::from_signing_key(&w1));
    log.checkpoint();

    // First sight: no state yet, no proof needed.
    assert!(!log.exists("w1.state"));
    let o = cosign(
        &log,
        "w1.key",
        "w1.state",
        "cp-3.note",
        None,
        "cp-3.w1.note",
    );
    assert_eq!(o.code, 0, "{}", o.all());
    assert_eq!(log.read_text("cp-3.w1.note"), o.stdout, "--out = stdout");
    let cp = verify_checkpoint_note(
        o.stdout.as_bytes(),
        &operator().verifier(),
        std::slice::from_ref(&parsed),
        1,
    )
    .expect("cosigned by the witness");
    assert_eq!(cp.checkpoint.size, 3);
    assert_eq!(cp.witnesses.len(), 1);
    let original = Note::parse(&log.read("cp-3.note")).expect("note");
    let cosigned = Note::parse(o.stdout.as_bytes()).expect("note");
    assert_eq!(cosigned.text, original.text, "the same checkpoint text");
    assert_eq!(
        cosigned.signatures[..1],
        original.signatures[..],
        "the log's signature is kept, first"
    );
    assert_eq!(cosigned.signatures.len(), 2);
    // The state is the note it printed: the checkpoint with its own cosignature.
    assert_eq!(log.read_text("w1.state"), o.stdout);
    assert_eq!(
        witness_state(&log, "w1.state"),
        (ORIGIN.to_owned(), 3, b64(&log.tree().root()))
    );

    // Growth to 5 with the consistency proof 3 → 5.
    log.append(2);
    log.checkpoint();
    let p35 = log.ok(&["prove", "consistency", "x.log", "--from", "3", "--to", "5"]);
    log.write("p35.json", &p35);
    let state_before = log.read("w1.state");
    // Without the proof: not a verdict, a missing input.
    let o = cosign(
        &log,
        "w1.key",
        "w1.state",
        "cp-5.note",
        None,
        "cp-5.w1.note",
    );
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(o.stderr.contains("acta prove consistency"), "{}", o.all());
    assert_eq!(log.read("w1.state"), state_before);
    assert!(!log.exists("cp-5.w1.note"));
    let o = cosign(
        &log,
        "w1.key",
        "w1.state",
        "cp-5.note",
        Some("p35.json"),
        "cp-5.w1.note",
    );
    assert_eq!(o.code, 0, "{}", o.all());
    verify_checkpoint_note(
        o.stdout.as_bytes(),
        &operator().verifier(),
        std::slice::from_ref(&parsed),
        1,
    )
    .expect("cosigned");
    assert_eq!(witness_state(&log, "w1.state").1, 5);
    // The same checkpoint again: nothing to prove, cosigned again.
    let o = cosign(&log, "w1.key", "w1.state", "cp-5.note", None, "again.note");
    assert_eq!(o.code, 0, "{}", o.all());

    // Refusals: each leaves the state file byte for byte as it was and writes no --out file.
    log.append(3);
    log.checkpoint();
    let p58 = parse_json(&log.ok(&["prove", "consistency", "x.log", "--from", "5", "--to", "8"]));
    log.write("p58.json", p58.to_string());
    let mut tampered = p58.clone();
    let h = tampered["hashes"][0].as_str().expect("hash").to_owned();
    tampered["hashes"][0] = json!(flip_b64(&h, 0));
    log.write("p58-tampered.json", tampered.to_string());
    log.write("p35-again.json", &p35);
    // Same size, different root, signed by the log's key.
    let mut forked = log.lines();
    forked[4] = b"another entry 4".to_vec();
    log.write(
        "forked-5.note",
        forge_checkpoint(ORIGIN, 5, tree_of(&forked[..5]).root(), &operator()),
    );
    // A larger forked checkpoint, with the honest log's proof from 5.
    log.write(
        "forked-8.note",
        forge_checkpoint(ORIGIN, 8, tree_of(&forked).root(), &operator()),
    );
    log.write(
        "cp-8.other.note",
        resign(
            &log.read_text("cp-8.note"),
            &signing_key("test-only-other", 2),
        ),
    );
    log.write(
        "elsewhere-8.note",
        forge_checkpoint("example.org/elsewhere", 8, log.tree().root(), &operator()),
    );
    let state5 = log.read("w1.state");
    let refusals: [(&str, Option<&str>, &str, &str); 6] = [
        ("cp-3.note", None, "rollback", "(rollback)"),
        (
            "forked-5.note",
            None,
            "same size, different root",
            "a different root for the same size",
        ),
        (
            "cp-8.note",
            Some("p58-tampered.json"),
            "a tampered proof",
            "does not verify",
        ),
        (
            "forked-8.note",
            Some("p58.json"),
            "a forked checkpoint",
            "does not verify",
        ),
        (
            "cp-8.other.note",
            Some("p58.json"),
            "signed by another key",
            "not signed by the log's key",
        ),
        (
            "elsewhere-8.note",
            Some("p58.json"),
            "another origin",
            "not example.org/transparency-test",
        ),
    ];
    for (cp, proof, what, expected) in refusals {
        let o = cosign(&log, "w1.key", "w1.state", cp, proof, "refused.note");
        assert_eq!(o.code, 1, "{what}: {}", o.all());
        assert!(o.stdout.starts_with("REFUSED: "), "{what}: {}", o.all());
        assert!(o.stdout.contains(expected), "{what}: {}", o.all());
        assert_eq!(log.read("w1.state"), state5, "{what}: state unchanged");
        assert!(!log.exists("refused.note"), "{what}: no --out file");
    }
    // A proof for other sizes: unusable input, state unchanged.
    let o = cosign(
        &log,
        "w1.key",
        "w1.state",
        "cp-8.note",
        Some("p35-again.json"),
        "refused.note",
    );
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(o.stderr.contains("5 → 8 is needed"), "{}", o.all());
    assert_eq!(log.read("w1.state"), state5);

    // The honest growth is still cosigned after all that.
    let o = cosign(
        &log,
        "w1.key",
        "w1.state",
        "cp-8.note",
        Some("p58.json"),
        "cp-8.w1.note",
    );
    assert_eq!(o.code, 0, "{}", o.all());
    assert_eq!(witness_state(&log, "w1.state").1, 8);
}

/// `acta witness cosign` with an explicit state and no `--first-use` handling by the helper.
fn cosign_raw(log: &TestLog, state: &str, cp: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "witness",
        "cosign",
        "--key",
        "w1.key",
        "--log-key",
        &log.vkey,
        "--state",
        state,
        "--checkpoint",
        cp,
    ];
    args.extend_from_slice(extra);
    log.run(&args)
}

/// Someone who can write the witness's state file, but holds no key, tries to make it cosign
/// a fork: a rewritten state (the old JSON form with a forged root and size, the log's own
/// signed note without this witness's cosignature, a note cosigned by another witness) is
/// refused, never used; a deleted state is refused unless the operator says `--first-use`;
/// `--first-use` never overwrites a state. Each refusal cosigns nothing and changes nothing.
#[test]
fn trust_a_witness_uses_only_a_state_it_cosigned_itself() {
    let mut log = TestLog::new(3);
    write_key(
        log.path(),
        "w1.key",
        &signing_key("test-only-witness-one", 11),
    );
    write_key(
        log.path(),
        "w2.key",
        &signing_key("test-only-witness-two", 12),
    );
    log.checkpoint();
    // A forked checkpoint of size 4 signed by the log's key (the log misbehaves), and the
    // honest one.
    let mut forked = log.lines();
    forked.push(b"a forked entry 3".to_vec());
    log.write(
        "fork-4.note",
        forge_checkpoint(ORIGIN, 4, tree_of(&forked).root(), &operator()),
    );
    log.append(1);
    log.checkpoint();

    // No state and no --first-use: refused, nothing written.
    let o = cosign_raw(&log, "w1.state", "cp-3.note", &[]);
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(
        o.stderr.contains("--first-use") && o.stdout.is_empty(),
        "{}",
        o.all()
    );
    assert!(!log.exists("w1.state"));
    // First use: cosigned; the state is the printed note.
    let o = cosign_raw(&log, "w1.state", "cp-3.note", &["--first-use"]);
    assert_eq!(o.code, 0, "{}", o.all());
    let state = log.read("w1.state");
    assert_eq!(state, o.stdout.as_bytes());
    // --first-use again: refused; the state is kept.
    let o = cosign_raw(&log, "w1.state", "cp-3.note", &["--first-use"]);
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(
        o.stderr.contains("already holds a witness state"),
        "{}",
        o.all()
    );
    assert_eq!(log.read("w1.state"), state);

    // Forged states that would let the fork of size 4 through (each a state "at size 3 with
    // the fork's prefix root", or a state at size 4 with the fork's root):
    let fork_root3 = b64(&tree_of(&forked[..3]).root());
    let fork_root4 = b64(&tree_of(&forked).root());
    let log_signed_fork = log.read_text("fork-4.note");
    let w2_cosigned = {
        log.write("w2-fresh.note", &log_signed_fork);
        let o = log.run(&[
            "witness",
            "cosign",
            "--key",
            "w2.key",
            "--log-key",
            &log.vkey,
            "--state",
            "w2.state",
            "--first-use",
            "--checkpoint",
            "w2-fresh.note",
        ]);
        assert_eq!(o.code, 0, "{}", o.all());
        o.stdout
    };
    let forgeries: Vec<(&str, String)> = vec![
        (
            "the old JSON state",
            format!(r#"{{"origin":"{ORIGIN}","size":4,"root":"{fork_root4}"}}"#),
        ),
        (
            "the old JSON state at size 3",
            format!(r#"{{"origin":"{ORIGIN}","size":3,"root":"{fork_root3}"}}"#),
        ),
        (
            "the log's note without a cosignature",
            log_signed_fork.clone(),
        ),
        ("a note cosigned by another witness", w2_cosigned),
        ("random bytes", "\u{1b}[2J garbage\n".to_owned()),
    ];
    for (what, forged) in &forgeries {
        log.write("w1.state", forged);
        for cp in ["fork-4.note", "cp-4.note"] {
            let o = cosign_raw(&log, "w1.state", cp, &[]);
            assert_eq!(o.code, 2, "{what}, {cp}: {}", o.all());
            assert!(o.stdout.is_empty(), "{what}: cosigned:\n{}", o.stdout);
            assert!(
                o.stderr
                    .contains("is not a checkpoint of this log cosigned by this witness"),
                "{what}: {}",
                o.stderr
            );
            assert!(!o.stderr.contains('\u{1b}'), "{what}: escapes are inert");
            assert_eq!(
                &log.read_text("w1.state"),
                forged,
                "{what}: the state is kept"
            );
        }
    }
    // The genuine state put back: the honest growth is cosigned with a proof, the fork is
    // refused.
    log.write("w1.state", &state);
    let p34 = log.ok(&["prove", "consistency", "x.log", "--from", "3", "--to", "4"]);
    log.write("p34.json", &p34);
    let o = cosign_raw(&log, "w1.state", "fork-4.note", &["--proof", "p34.json"]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(o.stdout.starts_with("REFUSED: "), "{}", o.all());
    let o = cosign_raw(&log, "w1.state", "cp-4.note", &["--proof", "p34.json"]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert_eq!(witness_state(&log, "w1.state").1, 4);
}

/// A state kept where another account can write it could be rolled back to an older state
/// this witness really wrote (which no authentication can tell from the latest): the witness
/// refuses to run with a group- or world-writable state folder or state file.
#[test]
fn trust_a_witness_refuses_a_state_others_can_write() {
    let log = TestLog::new(3);
    write_key(
        log.path(),
        "w1.key",
        &signing_key("test-only-witness-one", 11),
    );
    log.checkpoint();
    let shared = log.path().join("shared");
    std::fs::create_dir(&shared).expect("mkdir");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o775)).expect("chmod");
    let o = cosign_raw(&log, "shared/w.state", "cp-3.note", &["--first-use"]);
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(
        o.stderr.contains("can be written by another account"),
        "{}",
        o.all()
    );
    assert!(o.stderr.contains("chmod go-w"), "{}", o.all());
    assert!(o.stdout.is_empty());
    assert!(!shared.join("w.state").exists() && !shared.join("w.state.lock").exists());
    // A sticky folder (like /tmp) is fine: no one can replace another's file there.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).expect("chmod");
    let o = cosign_raw(&log, "shared/w.state", "cp-3.note", &["--first-use"]);
    assert_eq!(o.code, 0, "{}", o.all());
    // The state file itself writable by the group: refused.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let state = shared.join("w.state");
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o664)).expect("chmod");
    let before = std::fs::read(&state).expect("state");
    let o = cosign_raw(&log, "shared/w.state", "cp-3.note", &[]);
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(
        o.stderr.contains("the witness state") && o.stderr.contains("chmod go-w"),
        "{}",
        o.all()
    );
    assert_eq!(std::fs::read(&state).expect("state"), before);
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let o = cosign_raw(&log, "shared/w.state", "cp-3.note", &[]);
    assert_eq!(o.code, 0, "{}", o.all());
}

/// The name a checkpoint of `size` entries is kept under, relative to the test folder.
fn kept_note(size: u64) -> String {
    format!("x.log.checkpoints/{size:020}.note")
}

/// A file planted under a kept checkpoint's name by someone without the log's key (unsigned
/// junk, a note signed by another key) is no evidence of a fork: `acta checkpoint` sets it
/// aside (never deletes it), says so, and keeps its own note. A different note signed by the
/// log's anchor for the same size is a conflict (a fork): refused, nothing replaced.
#[test]
fn trust_a_planted_note_is_no_fork_and_does_not_block_a_checkpoint() {
    let log = TestLog::new(3);
    std::fs::create_dir(log.path().join("x.log.checkpoints")).expect("mkdir");
    let stranger = signing_key("test-only-stranger", 9);
    let plants = [
        ("junk", "not a note\n".to_owned()),
        (
            "a note signed by another key",
            forge_checkpoint(ORIGIN, 3, [9; 32], &stranger),
        ),
        (
            "the anchor's note for another size under this name",
            forge_checkpoint(ORIGIN, 2, [9; 32], &operator()),
        ),
    ];
    for (what, planted) in &plants {
        log.write(&kept_note(3), planted);
        let o = log.run(&["checkpoint", "x.log", "--key", "op.key"]);
        assert_eq!(o.code, 0, "{what}: {}", o.all());
        assert!(
            o.stderr.contains("no evidence of a fork") && o.stderr.contains(".unverified-"),
            "{what}: {}",
            o.stderr
        );
        assert_eq!(
            log.read_text(&kept_note(3)),
            o.stdout,
            "{what}: its own note kept"
        );
        let aside: Vec<_> = std::fs::read_dir(log.path().join("x.log.checkpoints"))
            .expect("list")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.to_string_lossy().contains(".unverified-"))
            .collect();
        assert_eq!(aside.len(), 1, "{what}: {aside:?}");
        assert_eq!(
            std::fs::read_to_string(&aside[0]).expect("read"),
            *planted,
            "{what}: set aside, byte for byte"
        );
        std::fs::remove_file(&aside[0]).expect("rm");
        std::fs::remove_file(log.path().join(kept_note(3))).expect("rm");
    }
    // The log's own key, another root for the same size: evidence of a fork, refused.
    let fork = forge_checkpoint(ORIGIN, 3, [9; 32], &operator());
    log.write(&kept_note(3), &fork);
    let o = log.run(&["checkpoint", "x.log", "--key", "op.key"]);
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(o.stderr.contains("evidence of a fork"), "{}", o.stderr);
    assert!(o.stdout.is_empty());
    assert_eq!(log.read_text(&kept_note(3)), fork, "nothing replaced");
}

/// Proofs check themselves, and bundles are made, only against checkpoints signed by the
/// log's trust anchor: a planted note (another key, a forged root) at a larger size is not
/// "the latest checkpoint", a FIFO under a note's name is never waited on, and a bundle is
/// never made from a note its verifier would reject.
#[test]
fn trust_proofs_and_bundles_use_only_checkpoints_the_log_signed() {
    let mut log = TestLog::new(3);
    log.checkpoint();
    log.append(2);
    let stranger = signing_key("test-only-stranger", 9);
    log.write(
        &kept_note(5),
        forge_checkpoint(ORIGIN, 5, [7; 32], &stranger),
    );
    let fifo = log.path().join(kept_note(4));
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    // Without a size: the latest checkpoint the log signed, size 3.
    let p = parse_json(&log.ok(&["prove", "inclusion", "x.log", "--seq", "1"]));
    assert_eq!(p["tree_size"], 3, "{p}");
    let c = parse_json(&log.ok(&["prove", "consistency", "x.log", "--from", "2"]));
    assert_eq!(c["new_size"], 3, "{c}");
    // At size 5 the planted note's root is ignored: the proof is against the log's own root.
    let p5 = log.ok(&["prove", "inclusion", "x.log", "--seq", "1", "--size", "5"]);
    log.write("p5.json", &p5);
    let cp5 = log.ok(&["checkpoint", "x.log", "--key", "op.key"]);
    assert!(
        cp5.contains(&b64(&log.tree().root())),
        "the checkpoint is the log's: {cp5}"
    );
    // The bundle packs the signed note of size 3 when asked for the latest before cp 5 ...
    std::fs::remove_file(log.path().join(kept_note(5))).expect("rm");
    log.write(
        &kept_note(5),
        forge_checkpoint(ORIGIN, 5, [7; 32], &stranger),
    );
    let bundle = log.ok(&["prove", "bundle", "x.log", "--seq", "1"]);
    let parsed = TlogProof::parse(bundle.as_bytes()).expect("a bundle");
    let cp3 = Note::parse(&log.read("cp-3.note")).expect("note");
    assert_eq!(
        parsed.checkpoint.text, cp3.text,
        "the signed checkpoint of size 3"
    );
    log.write("b.proof", &bundle);
    log.ok(&["verify-bundle", "b.proof", "--trust", &log.vkey]);
    // ... and refuses a given note that is not signed by the log's anchor.
    log.write(
        "forged.note",
        forge_checkpoint(ORIGIN, 5, log.tree().root(), &stranger),
    );
    let o = log.run(&[
        "prove",
        "bundle",
        "x.log",
        "--seq",
        "1",
        "--checkpoint",
        "forged.note",
    ]);
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(
        o.stderr.contains("not signed by the trust anchor"),
        "{}",
        o.stderr
    );
    assert!(o.stdout.is_empty());
    // A FIFO given as the checkpoint: refused at once.
    let o = log.run(&[
        "prove",
        "bundle",
        "x.log",
        "--seq",
        "1",
        "--checkpoint",
        &kept_note(4),
    ]);
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(o.stderr.contains("not a regular file"), "{}", o.stderr);
}

#[test]
fn verify_enforces_the_witness_threshold() {
    let log = TestLog::new(4);
    log.checkpoint();
    let (w1, w2, w3) = (
        signing_key("test-only-witness-one", 11),
        signing_key("test-only-witness-two", 12),
        signing_key("test-only-witness-three", 13),
    );
    write_key(log.path(), "w1.key", &w1);
    write_key(log.path(), "w2.key", &w2);
    write_key(log.path(), "w3.key", &w3);
    let c1 = cosigner_key(&log, "w1.key");
    let c2 = cosigner_key(&log, "w2.key");
    let c3 = cosigner_key(&log, "w3.key");
    log.write("w2.cosigner", format!("{c2}\n"));
    // w1 cosigns the log's note; w2 cosigns w1's output, so the note carries both.
    let o = cosign(&log, "w1.key", "w1.state", "cp-4.note", None, "cp.w1.note");
    assert_eq!(o.code, 0, "{}", o.all());
    let o = cosign(
        &log,
        "w2.key",
        "w2.state",
        "cp.w1.note",
        None,
        "cp.w12.note",
    );
    assert_eq!(o.code, 0, "{}", o.all());
    let both = log.read_text("cp.w12.note");
    let sig_lines = both.lines().filter(|l| l.starts_with("— ")).count();
    assert_eq!(
        sig_lines, 3,
        "the log's signature and two cosignatures:\n{both}"
    );
    // A cosignature by w2 over other text: a forged cosignature by a listed witness.
    let w1_note = log.read_text("cp.w1.note");
    let w2_line = both
        .lines()
        .find(|l| l.starts_with("— test-only-witness-two "))
        .expect("w2's line");
    let mut sig = BASE64
        .decode(w2_line.rsplit(' ').next().expect("base64"))
        .expect("base64");
    let last = sig.len() - 1;
    sig[last] ^= 1;
    let forged = format!("{w1_note}— test-only-witness-two {}\n", b64(&sig));
    log.write("cp.w1.forged-w2.note", &forged);

    let verify = |cp: &str, witnesses: &[&str], threshold: Option<&str>| {
        let mut args = vec![
            "verify".to_owned(),
            "x.log".into(),
            "--trust".into(),
            log.vkey.clone(),
            "--checkpoint".into(),
            cp.into(),
        ];
        for w in witnesses {
            args.extend(["--witness".to_owned(), (*w).to_owned()]);
        }
        if let Some(t) = threshold {
            args.extend(["--witness-threshold".to_owned(), t.to_owned()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        log.run(&args)
    };
    let w2_file = "@w2.cosigner";
    // (note, witnesses, threshold, expected exit code)
    let cases: Vec<(&str, Vec<&str>, Option<&str>, i32)> = vec![
        ("cp-4.note", vec![], None, 0),
        ("cp.w12.note", vec![&c1, w2_file], None, 0),
        ("cp.w12.note", vec![&c1, w2_file], Some("2"), 0),
        ("cp.w12.note", vec![&c1, w2_file], Some("1"), 0),
        ("cp.w1.note", vec![&c1, w2_file], Some("1"), 0),
        ("cp.w1.note", vec![&c1, w2_file], Some("2"), 1),
        ("cp.w1.note", vec![&c1, w2_file], None, 1),
        ("cp.w1.note", vec![w2_file], Some("1"), 1),
        ("cp-4.note", vec![&c1, w2_file], Some("1"), 1),
        ("cp.w12.note", vec![&c1, &c3], Some("2"), 1),
        ("cp.w12.note", vec![&c1, &c3], Some("1"), 0),
        ("cp.w12.note", vec![&c1, w2_file, &c3], Some("2"), 0),
        ("cp.w12.note", vec![&c1, w2_file, &c3], None, 1),
        ("cp.w1.forged-w2.note", vec![&c1, w2_file], Some("1"), 1),
        ("cp.w1.forged-w2.note", vec![&c1], Some("1"), 0),
    ];
    for (cp, witnesses, threshold, code) in &cases {
        let o = verify(cp, witnesses, *threshold);
        assert_eq!(
            o.code,
            *code,
            "verify --checkpoint {cp} with {} witnesses, threshold {threshold:?}:\n{}",
            witnesses.len(),
            o.all()
        );
        if *code == 1 {
            assert!(o.stdout.contains("checkpoint problem: "), "{}", o.all());
        } else {
            assert!(o.stdout.contains("result:   sound"), "{}", o.all());
        }
    }
    let o = verify("cp.w1.note", &[&c1, w2_file], None);
    assert!(
        o.stdout
            .contains("only 1 of the required 2 witness cosignatures verify"),
        "{}",
        o.all()
    );
    // A threshold above the number of witnesses, or a bad witness key: usage errors.
    let o = verify("cp.w12.note", &[&c1], Some("2"));
    assert_eq!(o.code, 2, "{}", o.all());
    let o = verify("cp.w12.note", &[&log.vkey], Some("1"));
    assert_eq!(
        o.code,
        2,
        "a log verifier key is not a cosigner key: {}",
        o.all()
    );
    assert!(
        o.stderr.contains("acta key verifier --cosigner"),
        "{}",
        o.all()
    );

    // The same policy in verify-proof and verify-bundle.
    log.write(
        "p.json",
        log.ok(&["prove", "inclusion", "x.log", "--seq", "1", "--size", "4"]),
    );
    let vp = |cp: &str, threshold: &str| {
        log.run(&[
            "verify-proof",
            "p.json",
            "--trust",
            &log.vkey,
            "--checkpoint",
            cp,
            "--witness",
            &c1,
            "--witness",
            w2_file,
            "--witness-threshold",
            threshold,
        ])
    };
    assert_eq!(vp("cp.w12.note", "2").code, 0);
    assert_eq!(vp("cp.w1.note", "1").code, 0);
    let o = vp("cp.w1.note", "2");
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(o.stdout.starts_with("REJECTED: "), "{}", o.all());
    for (cp, threshold, code) in [
        ("cp.w12.note", "2", 0),
        ("cp.w1.note", "2", 1),
        ("cp.w1.note", "1", 0),
    ] {
        let b = log.ok(&["prove", "bundle", "x.log", "--seq", "2", "--checkpoint", cp]);
        log.write("b.txt", b);
        let o = log.run(&[
            "verify-bundle",
            "b.txt",
            "--trust",
            &log.vkey,
            "--witness",
            &c1,
            "--witness",
            w2_file,
            "--witness-threshold",
            threshold,
        ]);
        assert_eq!(
            o.code,
            code,
            "bundle with {cp}, threshold {threshold}: {}",
            o.all()
        );
        if code == 0 {
            assert!(
                o.stdout.contains("; cosigned by test-only-witness-one+"),
                "{}",
                o.all()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// acta verify --checkpoint
// ---------------------------------------------------------------------------------------------

#[test]
fn the_fixture_checkpoints_commit_to_basic_log_and_the_forked_one_to_its_fork() {
    let basic = fixture(acta_testkit::BASIC_LOG);
    let lines = lines_of(&basic);
    let op: VerifierKey = String::from_utf8(fixture(acta_testkit::BASIC_VKEY))
        .expect("UTF-8")
        .trim()
        .parse()
        .expect("a verifier key");
    assert_eq!(op.name(), acta_testkit::OPERATOR);
    let root = |rel: &str| {
        let cp = verify_checkpoint_note(&fixture(rel), &op, &[], 0)
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(cp.checkpoint.origin, acta_testkit::ORIGIN, "{rel}");
        assert!(cp.checkpoint.extensions.is_empty());
        assert_eq!(
            cp.note.signatures.len(),
            1,
            "{rel}: the operator's signature only"
        );
        (cp.checkpoint.size, cp.checkpoint.root)
    };
    let tree = tree_of(&lines);
    assert_eq!(
        root(acta_testkit::BASIC_CHECKPOINT_SMALL),
        (6, tree.root_at(6).expect("root"))
    );
    assert_eq!(root(acta_testkit::BASIC_CHECKPOINT_FULL), (12, tree.root()));
    let forked = lines_of(&acta_testkit::forked_log(&basic).expect("the forked history"));
    assert_eq!(forked.len(), 12);
    assert_eq!(
        forked[..6],
        lines[..6],
        "the fork shares the first 6 entries"
    );
    assert!((6..12).all(|i| forked[i] != lines[i]), "and no later one");
    let forked_tree = tree_of(&forked);
    assert_eq!(
        root(acta_testkit::FORKED_CHECKPOINT),
        (12, forked_tree.root())
    );
    assert_ne!(forked_tree.root(), tree.root());
    // The forked history is itself a sound log signed by the operator: a real fork.
    let report = {
        let mut v = acta_core::Verifier::new(acta_core::VerifyOptions {
            trust: Some(op.clone()),
            ..acta_core::VerifyOptions::default()
        });
        let mut offset = 0;
        for l in &forked {
            v.push_line(offset, l);
            offset += l.len() as u64 + 1;
        }
        v.finish()
    };
    assert!(report.is_sound(), "{:?}", report.findings);
}

#[test]
fn verify_accepts_the_fixture_checkpoints_and_shows_fork_evidence_for_the_forked_one() {
    let dir = fixture_copy();
    let d = dir.path();
    let small = acta_testkit::BASIC_CHECKPOINT_SMALL;
    let full = acta_testkit::BASIC_CHECKPOINT_FULL;
    let forked = acta_testkit::FORKED_CHECKPOINT;
    for cps in [
        vec![small],
        vec![full],
        vec![small, full],
        vec![full, small],
    ] {
        let mut args = vec!["verify", "valid/basic.log", "--trust", TRUST];
        for cp in &cps {
            args.extend(["--checkpoint", cp]);
        }
        let out = ok(d, &args);
        assert!(out.contains("result:   sound"), "{out}");
        assert!(
            out.contains(&format!(
                "checkpoints: {} checked against the log's tree",
                cps.len()
            )),
            "{out}"
        );
        assert!(!out.contains("FORK"), "{out}");
    }

    let note =
        |rel: &str| String::from_utf8(std::fs::read(d.join(rel)).expect("note")).expect("UTF-8");
    // The forked checkpoint alone.
    let o = expect_code(
        d,
        &[
            "verify",
            "valid/basic.log",
            "--trust",
            TRUST,
            "--checkpoint",
            forked,
        ],
        1,
    );
    assert!(
        o.stdout.contains("result:   NOT SOUND: 1 finding"),
        "{}",
        o.all()
    );
    assert!(o.stdout.contains("entry 11 (byte "), "{}", o.all());
    assert!(o.stdout.contains("history was rewritten"), "{}", o.all());
    assert!(
        o.stdout.contains(&format!(
            "FORK EVIDENCE: {forked} is signed by the log's key but the log does not reproduce it."
        )),
        "{}",
        o.all()
    );
    assert!(
        o.stdout.contains(&note(forked)),
        "the forked note: {}",
        o.all()
    );

    // With a checkpoint the log reproduces: both notes and the failing consistency proof.
    let o = expect_code(
        d,
        &[
            "verify",
            "valid/basic.log",
            "--trust",
            TRUST,
            "--checkpoint",
            small,
            "--checkpoint",
            forked,
        ],
        1,
    );
    let out = &o.stdout;
    assert!(out.contains("FORK EVIDENCE"), "{}", o.all());
    assert!(out.contains(&note(forked)), "the forked note: {out}");
    assert!(
        out.contains(&format!(
            "--- {small} (the log reproduces this one) ---\n{}",
            note(small)
        )),
        "the note the log reproduces: {out}"
    );
    let proof = basic_consistency_proof_6_12();
    assert!(
        out.contains(&format!(
            "--- consistency proof 6 → 12 from the log ---\n{proof}\n"
        )),
        "the log's consistency proof: {out}"
    );
    assert!(
        out.contains("it does not verify between the two signed checkpoints"),
        "{out}"
    );

    // The JSON report names the finding.
    let o = expect_code(
        d,
        &[
            "verify",
            "valid/basic.log",
            "--trust",
            TRUST,
            "--checkpoint",
            forked,
            "--json",
        ],
        1,
    );
    let v = parse_json(&o.stdout);
    assert_eq!(v["sound"], false);
    assert_eq!(v["report"]["findings"][0]["entry"], 11);
    assert_eq!(
        v["report"]["findings"][0]["kind"]["finding"],
        "root_mismatch"
    );
    assert_eq!(v["report"]["findings"][0]["kind"]["size"], 12);

    // The two notes for size 12 are a fork by themselves.
    let o = expect_code(
        d,
        &[
            "verify",
            "valid/basic.log",
            "--trust",
            TRUST,
            "--checkpoint",
            full,
            "--checkpoint",
            forked,
        ],
        1,
    );
    assert!(
        o.stdout.contains(&format!(
            "checkpoint problem: FORK: {full} and {forked} are both signed by"
        )),
        "{}",
        o.all()
    );
    assert!(
        o.stdout
            .contains(&format!("FORK EVIDENCE: {forked} is signed")),
        "{}",
        o.all()
    );
}

/// The consistency proof 6 → 12 of basic.log, as `acta prove consistency` prints it,
/// computed here from the fixture's lines.
fn basic_consistency_proof_6_12() -> String {
    let tree = tree_of(&lines_of(&fixture(acta_testkit::BASIC_LOG)));
    let hashes: Vec<String> = hashes_b64(&tree.prove_consistency(6, 12).expect("proof"))
        .iter()
        .map(|h| format!("    \"{h}\""))
        .collect();
    format!(
        "{{\n  \"old_size\": 6,\n  \"new_size\": 12,\n  \"hashes\": [\n{}\n  ]\n}}",
        hashes.join(",\n")
    )
}

/// With both size-12 notes given, only the forked one is evidence: the log reproduces
/// basic.checkpoint-12.note, so the output must not say it does not.
#[test]
fn fork_evidence_does_not_blame_a_checkpoint_the_log_reproduces() {
    let dir = fixture_copy();
    let full = acta_testkit::BASIC_CHECKPOINT_FULL;
    let forked = acta_testkit::FORKED_CHECKPOINT;
    let o = expect_code(
        dir.path(),
        &[
            "verify",
            "valid/basic.log",
            "--trust",
            TRUST,
            "--checkpoint",
            full,
            "--checkpoint",
            forked,
        ],
        1,
    );
    assert!(
        !o.stdout.contains(&format!(
            "FORK EVIDENCE: {full} is signed by the log's key but the log does not reproduce it"
        )),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains(&format!("--- {full} (the log reproduces this one) ---")),
        "{}",
        o.stdout
    );
}

#[test]
fn verify_a_truncated_log_against_a_later_checkpoint_reports_removed_entries() {
    let dir = fixture_copy();
    let d = dir.path();
    let basic = std::fs::read(d.join("valid/basic.log")).expect("log");
    let first8: Vec<Vec<u8>> = lines_of(&basic)[..8].to_vec();
    let mut truncated = first8.join(&b"\n"[..]);
    truncated.push(b'\n');
    std::fs::write(d.join("valid/truncated.log"), &truncated).expect("write");
    let full = acta_testkit::BASIC_CHECKPOINT_FULL;
    let small = acta_testkit::BASIC_CHECKPOINT_SMALL;

    let o = expect_code(
        d,
        &[
            "verify",
            "valid/truncated.log",
            "--trust",
            TRUST,
            "--checkpoint",
            full,
        ],
        1,
    );
    assert!(
        o.stdout.contains(&format!(
            "entry 8 (byte {}): a checkpoint commits to 12 entries, but the log has 8: entries were removed",
            truncated.len()
        )),
        "{}",
        o.all()
    );
    let o = expect_code(
        d,
        &[
            "verify",
            "valid/truncated.log",
            "--trust",
            TRUST,
            "--checkpoint",
            small,
            "--checkpoint",
            full,
            "--json",
        ],
        1,
    );
    let v = parse_json(&o.stdout);
    let findings = v["report"]["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{}", o.stdout);
    assert_eq!(
        findings[0]["kind"],
        json!({"finding": "checkpoint_beyond_log", "size": 12, "entries": 8})
    );
    assert_eq!(findings[0]["entry"], 8);
    // The first 8 entries still reproduce the checkpoint of 6.
    let out = ok(
        d,
        &[
            "verify",
            "valid/truncated.log",
            "--trust",
            TRUST,
            "--checkpoint",
            small,
        ],
    );
    assert!(out.contains("result:   sound"), "{out}");
}

#[test]
fn verify_checkpoint_problems_and_usage_errors() {
    let dir = fixture_copy();
    let d = dir.path();
    let full = acta_testkit::BASIC_CHECKPOINT_FULL;
    // Without --trust a checkpoint proves nothing: a usage error, nothing printed.
    let o = expect_code(d, &["verify", "valid/basic.log", "--checkpoint", full], 2);
    assert!(
        o.stderr.contains("--checkpoint needs --trust"),
        "{}",
        o.all()
    );
    assert!(o.stdout.is_empty());
    let o = expect_code(
        d,
        &[
            "verify",
            "valid/basic.log",
            "--allow-unanchored",
            "--checkpoint",
            full,
        ],
        2,
    );
    assert!(
        o.stderr.contains("--checkpoint needs --trust"),
        "{}",
        o.all()
    );
    // A missing checkpoint file.
    let o = expect_code(
        d,
        &[
            "verify",
            "valid/basic.log",
            "--trust",
            TRUST,
            "--checkpoint",
            "missing.note",
        ],
        2,
    );
    assert!(o.stderr.contains("cannot read missing.note"), "{}", o.all());
    // The right checkpoint signed by another key; one for another origin signed by the
    // operator; garbage.
    let text = String::from_utf8(fixture(full)).expect("UTF-8");
    let intruder = acta_testkit::intruder().expect("intruder");
    std::fs::write(d.join("intruder.note"), resign(&text, &intruder)).expect("write");
    let op = acta_testkit::operator().expect("operator");
    let tree = tree_of(&lines_of(&fixture(acta_testkit::BASIC_LOG)));
    std::fs::write(
        d.join("other-origin.note"),
        forge_checkpoint(acta_testkit::OTHER_ORIGIN, 12, tree.root(), &op),
    )
    .expect("write");
    std::fs::write(d.join("garbage.note"), "not a note\n").expect("write");
    for (file, expected) in [
        ("intruder.note", "not signed by the log's key"),
        ("other-origin.note", "not this log's"),
        ("garbage.note", "checkpoint garbage.note"),
    ] {
        let o = expect_code(
            d,
            &[
                "verify",
                "valid/basic.log",
                "--trust",
                TRUST,
                "--checkpoint",
                file,
            ],
            1,
        );
        assert!(
            o.stdout.contains("checkpoint problem: ") && o.stdout.contains(expected),
            "{file}: {}",
            o.all()
        );
        assert!(!o.stdout.contains("FORK EVIDENCE"), "{file}: {}", o.all());
    }
}

// ---------------------------------------------------------------------------------------------
// The tree file beside the log
// ---------------------------------------------------------------------------------------------

/// Proves inclusion of every entry at the latest checkpoint and verifies each proof.
fn all_proofs_verify(log: &TestLog, cp: &str, size: u64) {
    let tree = log.tree();
    for seq in 0..size {
        let text = log.ok(&[
            "prove",
            "inclusion",
            "x.log",
            "--seq",
            &seq.to_string(),
            "--size",
            &size.to_string(),
        ]);
        let p = parse_json(&text);
        assert_eq!(
            p["hashes"],
            json!(hashes_b64(&tree.prove_inclusion(size, seq).expect("proof"))),
            "seq {seq} size {size}"
        );
        log.write("p.json", text);
        log.ok(&[
            "verify-proof",
            "p.json",
            "--trust",
            &log.vkey,
            "--checkpoint",
            cp,
        ]);
    }
}

#[test]
fn a_missing_tree_file_is_a_clear_error_until_repair_rebuilds_it() {
    let log = TestLog::new(6);
    let cp = log.checkpoint();
    let tree_bytes = log.read("x.log.tree");
    assert_eq!(
        tree_bytes,
        log.tree().stored_hashes().concat(),
        "the tree file holds the stored hashes of the log's lines"
    );
    std::fs::remove_file(log.path().join("x.log.tree")).expect("rm");
    for args in [
        vec!["prove", "inclusion", "x.log", "--seq", "2"],
        vec!["prove", "consistency", "x.log", "--from", "3"],
        vec!["prove", "bundle", "x.log", "--seq", "2"],
    ] {
        let o = expect_code(log.path(), &args, 2);
        assert!(
            o.stderr.contains("x.log has no tree file beside it")
                && o.stderr.contains("acta repair x.log"),
            "{args:?}: {}",
            o.all()
        );
        assert!(o.stdout.is_empty());
        assert!(
            !log.exists("x.log.tree"),
            "a reader does not create the tree file"
        );
    }
    let out = log.ok(&["repair", "x.log"]);
    assert!(
        out.contains("tree rebuilt from the log (6 entries)"),
        "{out}"
    );
    assert_eq!(log.read("x.log.tree"), tree_bytes);
    all_proofs_verify(&log, &cp, 6);
}

#[test]
fn a_damaged_tree_file_is_rebuilt_by_the_next_append() {
    let mut log = TestLog::new(6);
    let cp6 = log.checkpoint();
    // Damage the last stored hash (the right edge of the tree).
    let mut damaged = log.read("x.log.tree");
    let last = damaged.len() - 1;
    damaged[last] ^= 0x80;
    log.write("x.log.tree", &damaged);
    // The proof of the last entry, whose own subtree hash is the damaged one, is refused.
    let o = expect_code(
        log.path(),
        &["prove", "inclusion", "x.log", "--seq", "5", "--size", "6"],
        2,
    );
    assert!(o.stderr.contains("acta repair"), "{}", o.all());
    assert!(o.stdout.is_empty());

    log.append(1);
    assert_eq!(
        log.read("x.log.tree"),
        log.tree().stored_hashes().concat(),
        "the append rebuilt the tree file"
    );
    let cp7 = log.checkpoint();
    all_proofs_verify(&log, &cp6, 6);
    all_proofs_verify(&log, &cp7, 7);

    // A tree file longer than the log, or cut in the middle of a hash, is put right as well.
    let mut longer = log.read("x.log.tree");
    longer.extend_from_slice(&[7; 64]);
    log.write("x.log.tree", &longer);
    log.append(1);
    assert_eq!(log.read("x.log.tree"), log.tree().stored_hashes().concat());
    let good = log.read("x.log.tree");
    log.write("x.log.tree", &good[..good.len() - 40]);
    log.append(1);
    assert_eq!(log.read("x.log.tree"), log.tree().stored_hashes().concat());
    let cp9 = log.checkpoint();
    all_proofs_verify(&log, &cp9, 9);
}

/// Runs `acta prove` with `args` on a log whose tree file is damaged: the command may refuse
/// (exit 2, pointing at `acta repair`); if it prints a proof, that proof must be `expected`.
/// Returns a description of a wrong proof, if one was printed.
fn wrong_proof(log: &TestLog, args: &[&str], expected: &Value) -> Option<String> {
    let o = log.run(args);
    if o.code == 0 {
        let got = parse_json(&o.stdout);
        return (got != *expected)
            .then(|| format!("acta {}: exit 0 with a wrong proof", args.join(" ")));
    }
    assert_eq!(o.code, 2, "acta {args:?}: {}", o.all());
    assert!(
        o.stderr.contains("acta repair"),
        "acta {args:?}: {}",
        o.all()
    );
    assert!(o.stdout.is_empty(), "acta {args:?}: {}", o.all());
    None
}

fn inclusion_json(tree: &MemoryTree, lines: &[Vec<u8>], seq: u64, size: u64) -> Value {
    json!({
        "leaf_index": seq,
        "tree_size": size,
        "leaf_hash": b64(&EntryHash::of_line(&lines[seq as usize]).0),
        "hashes": hashes_b64(&tree.prove_inclusion(size, seq).expect("proof")),
    })
}

/// For each stored hash of a 12-entry log's tree file, damaged in turn (and `include` says
/// which to damage), every wrong proof `acta prove` prints for `sizes`.
fn wrong_proofs_from_damaged_trees(
    include: &dyn Fn(u64, bool) -> bool,
    sizes: &[u64],
) -> Vec<String> {
    let log = TestLog::new(12);
    log.checkpoint();
    let lines = log.lines();
    let tree = log.tree();
    let stored = tree.stored_hashes().to_vec();
    let mut frontier = acta_core::tree::Frontier::new();
    for l in &lines {
        frontier.push(EntryHash::of_line(l));
    }
    let right_edge = frontier.stored_indexes();
    let mut wrong = Vec::new();
    for index in 0..stored.len() as u64 {
        if !include(index, right_edge.contains(&index)) {
            continue;
        }
        let mut damaged = stored.concat();
        damaged[index as usize * 32] ^= 1;
        log.write("x.log.tree", &damaged);
        for &size in sizes {
            for seq in 0..size {
                let (seq_s, size_s) = (seq.to_string(), size.to_string());
                let args = [
                    "prove",
                    "inclusion",
                    "x.log",
                    "--seq",
                    &seq_s,
                    "--size",
                    &size_s,
                ];
                let expected = inclusion_json(&tree, &lines, seq, size);
                if let Some(w) = wrong_proof(&log, &args, &expected) {
                    wrong.push(format!("stored hash {index} damaged: {w}"));
                }
            }
            for from in 1..size {
                let (from_s, size_s) = (from.to_string(), size.to_string());
                let args = [
                    "prove",
                    "consistency",
                    "x.log",
                    "--from",
                    &from_s,
                    "--to",
                    &size_s,
                ];
                let expected = json!({
                    "old_size": from,
                    "new_size": size,
                    "hashes": hashes_b64(&tree.prove_consistency(from, size).expect("proof")),
                });
                if let Some(w) = wrong_proof(&log, &args, &expected) {
                    wrong.push(format!("stored hash {index} damaged: {w}"));
                }
            }
        }
    }
    wrong
}

#[test]
fn damage_off_the_right_edge_of_the_tree_file_never_yields_a_wrong_proof_of_the_full_tree() {
    // Off the right edge, a damaged hash is on the path of the proven leaf (or not used), so
    // the self-check against the tree's root refuses the proof.
    let wrong = wrong_proofs_from_damaged_trees(&|_, on_edge| !on_edge, &[12]);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `acta prove` checks every proof against a root that does not come from the tree file (the
/// checkpoint kept for that size, or the root of the log's lines), so damage anywhere in the
/// tree file is refused rather than printed as a wrong proof with exit 0.
#[test]
fn damage_anywhere_in_the_tree_file_never_yields_a_wrong_proof() {
    let wrong = wrong_proofs_from_damaged_trees(&|_, _| true, &[6, 12]);
    assert!(
        wrong.is_empty(),
        "{} wrong proofs:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn repair_rebuilds_a_tree_file_damaged_anywhere() {
    let log = TestLog::new(12);
    let cp12 = log.checkpoint();
    let stored = log.tree().stored_hashes().concat();
    for at in [0, 32 * 5, stored.len() - 1] {
        let mut damaged = stored.clone();
        damaged[at] ^= 1;
        log.write("x.log.tree", &damaged);
        let out = log.ok(&["repair", "x.log"]);
        assert!(
            out.contains("tree rebuilt from the log (12 entries)"),
            "{out}"
        );
        assert_eq!(log.read("x.log.tree"), stored, "byte {at}");
    }
    all_proofs_verify(&log, &cp12, 12);
}

// ---------------------------------------------------------------------------------------------
// Snapshots (the committed fixtures; deterministic)
// ---------------------------------------------------------------------------------------------

#[test]
fn snapshot_prove_inclusion() {
    let dir = fixture_copy();
    let o = expect_code(
        dir.path(),
        &[
            "prove",
            "inclusion",
            "valid/basic.log",
            "--seq",
            "5",
            "--size",
            "12",
        ],
        0,
    );
    let tree = tree_of(&lines_of(&fixture(acta_testkit::BASIC_LOG)));
    let p = parse_json(&o.stdout);
    assert_eq!(
        p["hashes"],
        json!(hashes_b64(&tree.prove_inclusion(12, 5).expect("proof")))
    );
    insta::assert_snapshot!(
        "transparency_prove_inclusion_seq5_size12",
        snapshot_text(&o)
    );
}

#[test]
fn snapshot_prove_consistency() {
    let dir = fixture_copy();
    let o = expect_code(
        dir.path(),
        &[
            "prove",
            "consistency",
            "valid/basic.log",
            "--from",
            "6",
            "--to",
            "12",
        ],
        0,
    );
    assert_eq!(o.stdout, format!("{}\n", basic_consistency_proof_6_12()));
    insta::assert_snapshot!("transparency_prove_consistency_6_12", snapshot_text(&o));
}

#[test]
fn snapshot_verify_proof() {
    let dir = fixture_copy();
    let d = dir.path();
    let incl = ok(
        d,
        &[
            "prove",
            "inclusion",
            "valid/basic.log",
            "--seq",
            "5",
            "--size",
            "12",
        ],
    );
    std::fs::write(d.join("inclusion.json"), incl).expect("write");
    let cons = ok(
        d,
        &[
            "prove",
            "consistency",
            "valid/basic.log",
            "--from",
            "6",
            "--to",
            "12",
        ],
    );
    std::fs::write(d.join("consistency.json"), cons).expect("write");
    let line5 = &lines_of(&fixture(acta_testkit::BASIC_LOG))[5];
    std::fs::write(d.join("entry5.line"), line5).expect("write");
    let a = expect_code(
        d,
        &[
            "verify-proof",
            "inclusion.json",
            "--trust",
            TRUST,
            "--checkpoint",
            acta_testkit::BASIC_CHECKPOINT_FULL,
            "--entry",
            "entry5.line",
        ],
        0,
    );
    let b = expect_code(
        d,
        &[
            "verify-proof",
            "consistency.json",
            "--trust",
            TRUST,
            "--checkpoint",
            acta_testkit::BASIC_CHECKPOINT_SMALL,
            "--checkpoint",
            acta_testkit::BASIC_CHECKPOINT_FULL,
        ],
        0,
    );
    let text = format!(
        "$ acta verify-proof inclusion.json --checkpoint {}\n{}$ acta verify-proof consistency.json --checkpoint {} --checkpoint {}\n{}",
        acta_testkit::BASIC_CHECKPOINT_FULL,
        snapshot_text(&a),
        acta_testkit::BASIC_CHECKPOINT_SMALL,
        acta_testkit::BASIC_CHECKPOINT_FULL,
        snapshot_text(&b)
    );
    insta::assert_snapshot!("transparency_verify_proof_ok", text);
}

#[test]
fn snapshot_fork_evidence() {
    let dir = fixture_copy();
    let o = expect_code(
        dir.path(),
        &[
            "verify",
            "valid/basic.log",
            "--trust",
            TRUST,
            "--checkpoint",
            acta_testkit::BASIC_CHECKPOINT_SMALL,
            "--checkpoint",
            acta_testkit::FORKED_CHECKPOINT,
        ],
        1,
    );
    assert!(o.stdout.contains("FORK EVIDENCE"), "{}", o.all());
    insta::assert_snapshot!("transparency_verify_fork_evidence", snapshot_text(&o));
}

#[test]
fn snapshot_prove_bundle() {
    let dir = fixture_copy();
    let d = dir.path();
    let o = expect_code(
        d,
        &[
            "prove",
            "bundle",
            "valid/basic.log",
            "--seq",
            "5",
            "--checkpoint",
            acta_testkit::BASIC_CHECKPOINT_FULL,
        ],
        0,
    );
    let bundle = TlogProof::parse(o.stdout.as_bytes()).expect("a tlog-proof");
    let lines = lines_of(&fixture(acta_testkit::BASIC_LOG));
    assert_eq!(bundle.extra.as_deref(), Some(lines[5].as_slice()));
    assert_eq!(
        bundle.checkpoint.to_text().expect("note").as_bytes(),
        fixture(acta_testkit::BASIC_CHECKPOINT_FULL)
    );
    std::fs::write(d.join("bundle.txt"), &o.stdout).expect("write");
    // Entry 5 is the clerk's: with the operator's key alone its signature is not checked, and
    // the output says so instead of naming a signer.
    let v = ok(d, &["verify-bundle", "bundle.txt", "--trust", TRUST]);
    assert!(v.starts_with("OK: entry 5 (test.record, recorded "), "{v}");
    assert!(
        v.lines().nth(1).is_some_and(
            |l| l.starts_with("signature: NOT CHECKED: the entry names test-only-clerk+")
        ),
        "{v}"
    );
    assert!(!v.contains("signed by test-only-clerk"), "{v}");
    insta::assert_snapshot!("transparency_prove_bundle_seq5", snapshot_text(&o));
}
