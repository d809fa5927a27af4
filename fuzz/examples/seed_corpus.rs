//! Writes the seed inputs of every fuzz target into `fuzz/corpus/<target>/seed-*`:
//!
//! ```sh
//! cd fuzz && cargo run --example seed_corpus
//! ```
//!
//! Seeds are real inputs: the fixture logs, the RFC 8785 (JCS) vectors, checkpoint notes signed
//! by the TEST-ONLY operator key and cosigned by TEST-ONLY witnesses, tlog proofs and Merkle
//! proofs of `fixtures/valid/basic.log`. Deterministic: running it again rewrites the same files.

use std::fs;
use std::path::{Path, PathBuf};

use acta_core::note::{Checkpoint, Note, TlogProof, cosign, format_note, parse_note, sign_note};
use acta_core::tree::Hash;
use acta_fuzz::{TARGETS, basic, witness_signing_key};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

struct Seeds {
    target: &'static str,
    n: usize,
}

impl Seeds {
    fn new(target: &'static str) -> Seeds {
        assert!(TARGETS.iter().any(|(t, _)| *t == target), "{target}");
        fs::create_dir_all(root().join("corpus").join(target)).expect("mkdir");
        Seeds { target, n: 0 }
    }
    fn add(&mut self, name: &str, data: impl AsRef<[u8]>) {
        let f = TARGETS
            .iter()
            .find(|(t, _)| *t == self.target)
            .expect("target")
            .1;
        // Every seed must pass its own target.
        f(data.as_ref());
        let path = root()
            .join("corpus")
            .join(self.target)
            .join(format!("seed-{name}"));
        fs::write(path, data).expect("write seed");
        self.n += 1;
    }
}

fn read(rel: &str) -> Vec<u8> {
    fs::read(root().join("..").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn fixture_logs() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let dir = root().join("../fixtures");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("fixtures/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".log"))
        .collect();
    names.sort();
    for n in names {
        out.push((n.clone(), fs::read(dir.join(&n)).expect("read fixture")));
    }
    out.push(("basic.log".into(), read("fixtures/valid/basic.log")));
    out
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    out
}

fn verifier_bytes() {
    let b = basic();
    let mut s = Seeds::new("verifier_bytes");
    for (name, bytes) in fixture_logs() {
        s.add(&name, bytes);
    }
    s.add("genesis-only", join(&b.lines[..1]));
    s.add("first-6", join(&b.lines[..6]));
    let mut torn = join(&b.lines);
    torn.pop();
    s.add("basic-no-final-newline", torn);
    s.add("blank-lines", "\n\n\n");
    s.add("empty-object", "{}\n");
    let mut crlf = Vec::new();
    for l in &b.lines[..3] {
        crlf.extend_from_slice(l);
        crlf.extend_from_slice(b"\r\n");
    }
    s.add("crlf", crlf);
    println!("verifier_bytes: {}", s.n);
}

fn verifier_mutate() {
    let mut s = Seeds::new("verifier_mutate");
    // See acta_fuzz::mutate_log for the op encoding: op, line, then the op's parameters.
    let seq_field = 4u8; // MUTATED_FIELDS[4] == "seq" (acta_fuzz)
    let cases: &[(&str, &[u8])] = &[
        ("none", b""),
        ("xor-byte", &[0, 5, 0, 40, 0x08]),
        ("set-byte", &[1, 5, 0, 40, b'9']),
        ("insert-space", &[2, 3, 0, 1, 1, b' ']),
        ("delete-bytes", &[3, 7, 0, 20, 4]),
        ("delete-line", &[4, 6]),
        ("duplicate-line", &[5, 6, 7]),
        ("swap-lines", &[6, 2, 3]),
        ("move-line", &[7, 11, 0]),
        ("truncate", &[8, 10]),
        ("splice", &[9, 4, 9, 0, 60, 0, 60]),
        ("insert-line", &[10, 12, 3, b'{', b'}', b'\n']),
        ("join-lines", &[11, 10]),
        ("torn-tail", &[12, 0, 2, b'{', b'"']),
        ("copy-seq", &[13, 7, 6, seq_field]),
        ("copy-prev", &[13, 7, 6, 2]),
        ("copy-sig", &[13, 11, 10, 5]),
        ("set-seq", &[14, 11, seq_field, 0, 0, 0, 0, 0, 0, 0, 0, 12]),
        (
            "set-type",
            &[
                14, 9, 6, 1, 9, b'a', b'c', b't', b'a', b'.', b'k', b'e', b'y', b'x',
            ],
        ),
        ("too-long", &[15, 4, 0, 1]),
        ("two-ops", &[4, 11, 8, 11]),
    ];
    for (name, data) in cases {
        s.add(name, data);
    }
    println!("verifier_mutate: {}", s.n);
}

fn json() {
    let b = basic();
    let mut s = Seeds::new("json");
    let jcs = root().join("../fixtures/vectors/jcs/input");
    if let Ok(dir) = fs::read_dir(&jcs) {
        let mut names: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for p in names {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("x")
                .to_owned();
            s.add(&format!("jcs-{name}"), fs::read(&p).expect("read vector"));
        }
    } else {
        eprintln!("note: {} not found; no JCS vectors seeded", jcs.display());
    }
    for (i, l) in b.lines.iter().enumerate() {
        s.add(&format!("basic-line-{i}"), l);
    }
    let edge: &[&str] = &[
        "0",
        "-0",
        "-0.0",
        "1e21",
        "1E-7",
        "5e-324",
        "1.7976931348623157e308",
        "1e400",
        "9007199254740991",
        "-9007199254740992",
        "123456789012345678901234567890",
        "0.1",
        "[1.0,2.50,-3e0]",
        "\"\\ud83d\\ude00\\u00e9\\u0000\\u001f\\/\"",
        "\"\\ud800\"",
        "{\"a\":1,\"\\u0061\":2}",
        "{\"\u{e000}\":1,\"\u{1f600}\":2,\"b\":[true,false,null]}",
        " \t\n\r{ \"k\" : [ ] } ",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "{\"\":\"\"}",
        "\"\u{7f}\u{2028}\"",
    ];
    for (i, e) in edge.iter().enumerate() {
        s.add(&format!("edge-{i}"), e);
    }
    println!("json: {}", s.n);
}

/// Checkpoint notes of basic.log: signed by the operator, some cosigned by the witnesses.
fn checkpoint_notes() -> Vec<(String, Vec<u8>)> {
    let b = basic();
    let op = acta_testkit::operator().expect("operator key");
    let mut out = vec![
        (
            "fixture-checkpoint-6".to_owned(),
            read("fixtures/valid/basic.checkpoint-6.note"),
        ),
        (
            "fixture-checkpoint-12".to_owned(),
            read("fixtures/valid/basic.checkpoint-12.note"),
        ),
        (
            "fixture-forked-12".to_owned(),
            read("fixtures/fail_forked_checkpoint-12.note"),
        ),
    ];
    for size in [1u64, 3, 7, 12] {
        let text = Checkpoint {
            origin: acta_testkit::ORIGIN.to_owned(),
            size,
            root: b.tree.root_at(size).expect("size ≤ 12"),
            extensions: if size == 3 {
                vec!["ext one".to_owned(), "— not a signature".to_owned()]
            } else {
                Vec::new()
            },
        }
        .to_text()
        .expect("checkpoint text");
        let signed = sign_note(&text, &op).expect("sign");
        let mut note = parse_note(signed.as_bytes()).expect("parse");
        for (i, ts) in [(0usize, 1_764_147_600u64), (1, 1_764_147_660)] {
            if size >= 7 || i == 0 {
                note.signatures
                    .push(cosign(&text, &witness_signing_key(i), ts).expect("cosign"));
            }
        }
        out.push((
            format!("checkpoint-{size}-cosigned"),
            format_note(&note).expect("format").into_bytes(),
        ));
        out.push((format!("checkpoint-{size}"), signed.into_bytes()));
    }
    out
}

fn note() {
    let b = basic();
    let mut s = Seeds::new("note");
    for (name, bytes) in checkpoint_notes() {
        s.add(&name, bytes);
    }
    // The example of c2sp.org/signed-note (Go's note package).
    s.add(
        "go-example",
        "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
    );
    let text = "a\n\nb\n";
    let multi = Note {
        text: text.to_owned(),
        signatures: vec![
            acta_core::note::NoteSignature {
                name: "k".into(),
                key_id: acta_core::KeyId([1, 2, 3, 4]),
                bytes: vec![9; 64],
            },
            acta_core::note::NoteSignature {
                name: "k".into(),
                key_id: acta_core::KeyId([1, 2, 3, 4]),
                bytes: vec![9; 64],
            },
        ],
    };
    s.add("blank-line-in-text", format_note(&multi).expect("format"));
    // Key texts: the operator's verifier key, witness cosigner keys, a witness private key.
    s.add("operator-vkey", acta_fuzz::BASIC_OPERATOR_VKEY);
    for c in &b.cosigners {
        s.add(&format!("cosigner-vkey-{}", c.name()), c.to_string());
    }
    s.add(
        "witness-private-key",
        witness_signing_key(0).to_private_text(),
    );
    s.add("key-ref", b.operator.key_ref().to_string());
    println!("note: {}", s.n);
}

fn tlog_proof() {
    let b = basic();
    let mut s = Seeds::new("tlog_proof");
    let notes = checkpoint_notes();
    let note_of = |name: &str| {
        let bytes = &notes.iter().find(|(n, _)| n == name).expect(name).1;
        parse_note(bytes).expect("parse")
    };
    let mut add = |name: String, checkpoint: &Note, size: u64, index: u64, extra| {
        let proof = b.tree.prove_inclusion(size, index).expect("in range");
        let p = TlogProof {
            extra,
            index,
            proof,
            checkpoint: checkpoint.clone(),
        };
        s.add(&name, p.to_text().expect("proof text"));
    };
    let full = note_of("fixture-checkpoint-12");
    for index in 0..12 {
        add(format!("basic-12-index-{index}"), &full, 12, index, None);
    }
    add(
        "basic-6-index-5".into(),
        &note_of("fixture-checkpoint-6"),
        6,
        5,
        None,
    );
    add(
        "cosigned-7-index-3-extra".into(),
        &note_of("checkpoint-7-cosigned"),
        7,
        3,
        Some(b"extra data".to_vec()),
    );
    add("size-1".into(), &note_of("checkpoint-1"), 1, 0, None);
    // A proof against the forked checkpoint (its root is not basic.log's).
    add(
        "forked-index-2".into(),
        &note_of("fixture-forked-12"),
        12,
        2,
        None,
    );
    println!("tlog_proof: {}", s.n);
}

fn encode_proof(mode: u8, a: u64, b: u64, h1: Hash, h2: Hash, proof: &[Hash]) -> Vec<u8> {
    let mut out = vec![mode];
    out.extend_from_slice(&a.to_be_bytes());
    out.extend_from_slice(&b.to_be_bytes());
    out.extend_from_slice(&h1);
    out.extend_from_slice(&h2);
    out.push(proof.len() as u8);
    for h in proof {
        out.extend_from_slice(h);
    }
    out
}

fn proof_verify() {
    let b = basic();
    let t = &b.tree;
    let mut s = Seeds::new("proof_verify");
    for (index, size) in [(0u64, 1u64), (4, 12), (11, 12), (5, 6), (0, 7)] {
        let leaf = acta_core::EntryHash::of_line(&b.lines[index as usize]);
        let proof = t.prove_inclusion(size, index).expect("in range");
        let root = t.root_at(size).expect("in range");
        s.add(
            &format!("inclusion-{index}-{size}"),
            encode_proof(0, index, size, leaf.0, root, &proof),
        );
    }
    for (old, new) in [(1u64, 12u64), (6, 12), (7, 12), (4, 8), (12, 12), (3, 5)] {
        let proof = t.prove_consistency(old, new).expect("in range");
        let (r1, r2) = (t.root_at(old).expect("old"), t.root_at(new).expect("new"));
        s.add(
            &format!("consistency-{old}-{new}"),
            encode_proof(1, old, new, r1, r2, &proof),
        );
    }
    let z = [0u8; 32];
    s.add(
        "huge-inclusion",
        encode_proof(4, (1 << 62) + 5, 0x80, z, z, &[z; 63]),
    );
    s.add(
        "max-inclusion",
        encode_proof(0, u64::MAX - 1, u64::MAX, z, z, &[z; 64]),
    );
    s.add(
        "huge-consistency",
        encode_proof(5, (1 << 62) + 1, 0x7f, z, z, &[z; 64]),
    );
    s.add(
        "max-consistency",
        encode_proof(1, u64::MAX - 1, u64::MAX, z, z, &[z; 66]),
    );
    s.add("empty-old-tree", encode_proof(1, 0, 0, z, z, &[]));
    println!("proof_verify: {}", s.n);
}

fn proof_mutate() {
    let mut s = Seeds::new("proof_mutate");
    // memory tree: mode 0, seed, n, size, index, old, pos, xor, at, extra[32], size2, index2, old2
    let mut m = vec![0u8, 7, 0, 11, 0, 11, 0, 4, 0, 6, 0, 40, 1, 0];
    m.extend_from_slice(&[0x55; 32]);
    m.extend_from_slice(&[0, 10, 0, 4, 0, 5]);
    s.add("memory-12", &m);
    let mut m = vec![0u8, 1, 0, 255, 0, 200, 0, 77, 0, 130, 1, 2, 0x80, 3];
    m.extend_from_slice(&[0xaa; 32]);
    m.extend_from_slice(&[0, 255, 0, 77, 0, 1]);
    s.add("memory-256", &m);
    // uniform tree: mode 1, seed, size u64, index u64, old u64, pos, xor, at, extra[32]
    let mut u = vec![1u8, 3];
    u.extend_from_slice(&((1u64 << 63) - 1).to_be_bytes());
    u.extend_from_slice(&(1u64 << 62).to_be_bytes());
    u.extend_from_slice(&12345u64.to_be_bytes());
    u.extend_from_slice(&[0, 99, 0x01, 2]);
    s.add("uniform-2^63", &u);
    let mut u = vec![1u8, 4];
    u.extend_from_slice(&1_000_000_007u64.to_be_bytes());
    u.extend_from_slice(&999_999_999u64.to_be_bytes());
    u.extend_from_slice(&(1u64 << 20).to_be_bytes());
    u.extend_from_slice(&[1, 0, 0xff, 9]);
    s.add("uniform-1e9", &u);
    println!("proof_mutate: {}", s.n);
}

fn main() {
    verifier_bytes();
    verifier_mutate();
    json();
    note();
    tlog_proof();
    proof_verify();
    proof_mutate();
}
