//! FORMAT.md and TRANSPARENCY.md cannot drift from the code: FORMAT.md's constants, its worked
//! example (keys, key IDs, lines, unsigned bytes, signed messages, signatures, entry hashes),
//! its damaged-copy report and its tables of JSON names, and TRANSPARENCY.md's part of the
//! example (Merkle tree, checkpoint, proofs, bundle, witness cosignature and state, fork
//! evidence) are all checked here against acta-core, acta-store and the `acta` binary. The
//! tree file's layout and the example's tree file are checked where they now live, in
//! crates/store/FILES.md.
//!
//! Values are taken from fenced blocks with distinctive info strings (```jsonl
//! acta-example-log, ```text acta-example-key-1, …) and from tables between
//! `<!-- begin NAME -->` / `<!-- end NAME -->` markers.

use std::collections::{BTreeMap, BTreeSet};

use acta_core::entry::{EntryError, signed_message};
use acta_core::json::{self, Profile, Value};
use acta_core::keyring::SystemEventError;
use acta_core::note::{self, Checkpoint, CheckpointPolicyError, CosignerKey, Note, TlogProof};
use acta_core::tree::{self, MemoryTree, RootHash};
use acta_core::verify::Anchor;
use acta_core::{
    Entry, EntryHash, FindingKind, KeyRef, SigningKey, Verifier, VerifierKey, VerifyOptions,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::support::acta;

const ORIGIN: &str = "example.org/acta-example";

fn doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/FORMAT.md");
    std::fs::read_to_string(path).expect("FORMAT.md is readable")
}

/// TRANSPARENCY.md: checkpoints, proofs, bundles, witnesses and fork evidence, with the
/// transparency parts of the worked example (moved there from FORMAT.md).
fn tdoc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/TRANSPARENCY.md");
    std::fs::read_to_string(path).expect("TRANSPARENCY.md is readable")
}

/// docs/cli.md: the `acta` commands' flags, outputs and exit statuses (moved there from
/// FORMAT.md).
fn cli_doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md");
    std::fs::read_to_string(path).expect("docs/cli.md is readable")
}

/// crates/store/FILES.md: the files the reference implementation keeps beside a log (the
/// tree file's layout and the worked example's tree file moved there from FORMAT.md).
fn files_doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/store/FILES.md");
    std::fs::read_to_string(path).expect("crates/store/FILES.md is readable")
}

/// The document with every run of whitespace replaced by one space, for checking prose.
fn prose(doc: &str) -> String {
    doc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The contents of the one fenced block whose opening line is "```" + `info`.
fn block<'a>(doc: &'a str, info: &str) -> &'a str {
    let open = format!("```{info}\n");
    let starts: Vec<usize> = doc.match_indices(&open).map(|(i, _)| i).collect();
    assert_eq!(
        starts.len(),
        1,
        "the document must have exactly one ```{info} block"
    );
    let body = &doc[starts[0] + open.len()..];
    let end = body.find("\n```").expect("the block is closed");
    &body[..end]
}

/// The `label: value` lines of a block, in order; every line must have that shape.
fn labelled(doc: &str, info: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in block(doc, info).lines() {
        let (label, value) = line
            .split_once(':')
            .expect("every line of a values block is `label: value`");
        let fresh = out.insert(label.trim().to_owned(), value.trim().to_owned());
        assert!(fresh.is_none(), "label {label:?} repeated in ```{info}");
    }
    out
}

fn get<'a>(fields: &'a BTreeMap<String, String>, label: &str) -> &'a str {
    match fields.get(label) {
        Some(value) => value,
        None => {
            assert!(
                fields.contains_key(label),
                "a documented block lacks {label:?}"
            );
            ""
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(
        digits.len().is_multiple_of(2) && digits.iter().all(|b| b.is_ascii_hexdigit()),
        "not hex: {s:?}"
    );
    digits
        .chunks(2)
        .map(|p| {
            let s = std::str::from_utf8(p).expect("ascii");
            u8::from_str_radix(s, 16).expect("hex digit pair")
        })
        .collect()
}

/// Plain SHA-256 (FIPS 180-4): acta-core exposes only derived hashes, and the document shows
/// the full digest behind a key ID. Checked against a published vector and acta's entry hash.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&(data.len() as u64 * 8).to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for (i, b) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            v = [
                t1.wrapping_add(s0.wrapping_add(maj)),
                a,
                b,
                c,
                d.wrapping_add(t1),
                e,
                f,
                g,
            ];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (o, x) in out.chunks_mut(4).zip(h) {
        o.copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[test]
fn the_sha256_helper_agrees_with_a_published_vector_and_with_acta() {
    assert_eq!(
        hex(&sha256(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    // Longer than one block, and acta's entry hash is SHA-256(0x00 ‖ line).
    let line = "x".repeat(200);
    let mut input = vec![0u8];
    input.extend_from_slice(line.as_bytes());
    assert_eq!(sha256(&input), EntryHash::of_line(line.as_bytes()).0);
}

/// The 32-byte seed a key block states.
fn seed(fields: &BTreeMap<String, String>) -> [u8; 32] {
    let bytes = unhex(get(fields, "seed"));
    assert_eq!(bytes.len(), 32, "a seed is 32 bytes");
    let mut seed = [0; 32];
    seed.copy_from_slice(&bytes);
    seed
}

/// The signing keys of the worked example, rebuilt from the names and seeds the document
/// states, keyed by key reference.
fn example_keys(doc: &str) -> BTreeMap<KeyRef, SigningKey> {
    let mut keys = BTreeMap::new();
    for n in 1..=2 {
        let f = labelled(doc, &format!("text acta-example-key-{n}"));
        let seed = seed(&f);
        let key = SigningKey::from_seed(get(&f, "name"), seed).expect("documented name is valid");
        keys.insert(key.key_ref(), key);
    }
    keys
}

fn example_lines(doc: &str) -> Vec<&str> {
    let lines: Vec<&str> = block(doc, "jsonl acta-example-log").lines().collect();
    assert_eq!(lines.len(), 3, "the example log is genesis, key add, entry");
    lines
}

fn trust_key(doc: &str) -> VerifierKey {
    get(&labelled(doc, "text acta-example-key-1"), "verifier key")
        .parse()
        .expect("the documented verifier key parses")
}

fn verify_lines(lines: &[&str], trust: Option<VerifierKey>) -> acta_core::Report {
    let mut v = Verifier::new(VerifyOptions {
        trust,
        ..VerifyOptions::default()
    });
    let mut offset = 0;
    for line in lines {
        v.push_line(offset, line.as_bytes());
        offset += line.len() as u64 + 1;
    }
    v.finish()
}

/// The info strings of the ```… acta-… blocks of a document, and its `<!-- begin NAME -->` tables.
fn checked_parts(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in doc.lines() {
        if let Some(info) = line.strip_prefix("```")
            && info.contains(" acta-")
        {
            out.push(info.to_owned());
        }
        if let Some(name) = line
            .strip_prefix("<!-- begin ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        {
            out.push(format!("table {name}"));
        }
    }
    out
}

#[test]
fn each_checked_block_lives_in_one_of_the_two_specifications() {
    let (format, transparency) = (checked_parts(&doc()), checked_parts(&tdoc()));
    let f: BTreeSet<&String> = format.iter().collect();
    let t: BTreeSet<&String> = transparency.iter().collect();
    assert_eq!(f.len(), format.len(), "a block repeated in FORMAT.md");
    assert_eq!(
        t.len(),
        transparency.len(),
        "a block repeated in TRANSPARENCY.md"
    );
    assert_eq!(f.intersection(&t).count(), 0, "a block in both documents");
    // The constants are FORMAT.md's alone; TRANSPARENCY.md's part of the example is its own.
    for (info, in_format) in [
        ("text acta-constants", true),
        ("jsonl acta-example-log", true),
        ("json acta-example-damaged-report", true),
        ("table finding-kinds", true),
        ("text acta-example-tree", false),
        ("text acta-example-checkpoint", false),
        ("text acta-example-bundle", false),
        ("text acta-example-witness-key", false),
        ("json acta-example-fork-finding", false),
    ] {
        let info = info.to_owned();
        assert_eq!(
            (f.contains(&info), t.contains(&info)),
            (in_format, !in_format),
            "{info}"
        );
    }
}

#[test]
fn constants_match_the_implementation() {
    let doc = doc();
    let c = labelled(&doc, "text acta-constants");
    let mut checked = BTreeSet::new();
    let mut check = |label: &str, expected: String| {
        assert_eq!(get(&c, label), expected, "constant {label:?}");
        checked.insert(label.to_owned());
    };
    check(
        "format version",
        acta_core::entry::FORMAT_VERSION.to_string(),
    );
    check("max entry bytes", acta_core::MAX_ENTRY_BYTES.to_string());
    check("max nesting depth", json::MAX_DEPTH.to_string());
    check("max integer", json::MAX_SAFE_INTEGER.to_string());
    check(
        "max type bytes",
        acta_core::entry::MAX_TYPE_BYTES.to_string(),
    );
    check(
        "max origin bytes",
        acta_core::keyring::MAX_ORIGIN_BYTES.to_string(),
    );
    check(
        "signature context",
        String::from_utf8(acta_core::entry::SIGNATURE_CONTEXT.to_vec())
            .expect("ascii")
            .replace('\n', "\\n"),
    );
    check("genesis prev", acta_core::entry::GENESIS_PREV.to_string());
    check("key algorithm byte", hex(&[acta_core::key::ALG_ED25519]));
    check(
        "private key prefix",
        acta_core::key::PRIVATE_KEY_PREFIX.to_owned(),
    );
    check(
        "max findings kept",
        acta_core::verify::MAX_FINDINGS.to_string(),
    );
    // SHA-256 of the empty string, by the independent helper and by acta's tree code.
    assert_eq!(hex(&sha256(b"")), hex(&tree::empty_root()));
    check("empty tree root", hex(&tree::empty_root()));
    check("max note bytes", note::MAX_NOTE_BYTES.to_string());
    check("max note signatures", note::MAX_SIGNATURES.to_string());
    check("cosignature key type", hex(&[note::ALG_COSIGNATURE_V1]));
    check(
        "cosignature header",
        note::COSIGNATURE_V1_HEADER.replace('\n', "\\n"),
    );
    check(
        "max cosignature time",
        note::MAX_COSIGNATURE_TIMESTAMP.to_string(),
    );
    assert_eq!(note::MAX_COSIGNATURE_TIMESTAMP, (1 << 63) - 1);
    check("tlog proof header", note::TLOG_PROOF_HEADER.to_owned());
    check("max proof hashes", note::MAX_PROOF_HASHES.to_string());
    // The name limit is not a public constant: probe it.
    let limit: usize = get(&c, "max key name bytes").parse().expect("a number");
    assert!(SigningKey::from_seed(&"n".repeat(limit), [1; 32]).is_ok());
    assert!(SigningKey::from_seed(&"n".repeat(limit + 1), [1; 32]).is_err());
    checked.insert("max key name bytes".to_owned());
    let stated: BTreeSet<String> = c.keys().cloned().collect();
    assert_eq!(stated, checked, "every documented constant is checked");
}

#[test]
fn worked_example_keys_match_the_implementation() {
    let doc = doc();
    for n in 1..=2 {
        let f = labelled(&doc, &format!("text acta-example-key-{n}"));
        let seed = seed(&f);
        let name = get(&f, "name");
        let key = SigningKey::from_seed(name, seed).expect("documented name is valid");
        let verifier = key.verifier();
        let public = verifier.public_bytes();
        assert_eq!(get(&f, "public key"), hex(&public), "key {n}: public key");

        // key id = SHA-256(NAME ‖ "\n" ‖ 0x01 ‖ A)[0:4]
        let mut input = name.as_bytes().to_vec();
        input.extend_from_slice(b"\n\x01");
        input.extend_from_slice(&public);
        assert_eq!(
            unhex(get(&f, "key id input")),
            input,
            "key {n}: key id input"
        );
        let digest = sha256(&input);
        assert_eq!(get(&f, "SHA-256(input)"), hex(&digest), "key {n}: digest");
        assert_eq!(get(&f, "key id"), hex(&digest[..4]), "key {n}: key id");
        assert_eq!(
            get(&f, "key id"),
            verifier.id().to_string(),
            "key {n}: key id"
        );

        assert_eq!(get(&f, "verifier key"), verifier.to_string(), "key {n}");
        let parsed: VerifierKey = get(&f, "verifier key").parse().expect("parses");
        assert_eq!(parsed, verifier);
        assert_eq!(get(&f, "private key"), key.to_private_text(), "key {n}");
        let back = SigningKey::from_private_text(get(&f, "private key")).expect("parses");
        assert_eq!(back.verifier(), verifier);
        assert_eq!(f.len(), 8, "key {n}: every documented value is checked");
    }
}

#[test]
fn worked_example_entries_match_the_implementation() {
    let doc = doc();
    let text = prose(&doc);
    let keys = example_keys(&doc);
    let lines = example_lines(&doc);
    let mut offset = 0;
    let mut prev = acta_core::entry::GENESIS_PREV;
    for (i, line) in lines.iter().enumerate() {
        let stated = format!(
            "Stored line {i}, at offset {offset} ({} bytes, then",
            line.len()
        );
        assert!(text.contains(&stated), "entry {i}: {stated:?}");

        let d = Entry::decode(line.as_bytes()).expect("the documented line decodes");
        assert_eq!(d.non_canonical_at, None, "entry {i}: the line is canonical");
        assert_eq!(d.entry.seq, i as u64);
        assert_eq!(d.entry.prev, prev, "entry {i}: prev");

        // Entry 0's `U` is the last line of its message's display; the others have a block.
        let unsigned = match i {
            0 => block(&doc, "text acta-example-message-0")
                .lines()
                .last()
                .unwrap_or_default(),
            _ => block(&doc, &format!("json acta-example-unsigned-{i}")),
        };
        assert_eq!(unsigned.as_bytes(), d.unsigned, "entry {i}: unsigned bytes");

        // The display of entry 0's message shows each 0x0A as `\n` followed by a line break;
        // the other entries' messages are its first two lines followed by their own `U`.
        let shown = block(&doc, "text acta-example-message-0").replace("\\n\n", "\n");
        let message = match i {
            0 => shown,
            _ => {
                let two = shown.split_inclusive('\n').take(2).collect::<String>();
                format!("{two}{unsigned}")
            }
        };
        let expected = signed_message(ORIGIN, &d.unsigned);
        assert_eq!(message.as_bytes(), expected, "entry {i}: signed message");

        let v = labelled(&doc, &format!("text acta-example-values-{i}"));
        assert_eq!(
            get(&v, "message length"),
            format!("{} bytes", expected.len()),
            "entry {i}"
        );
        assert_eq!(
            get(&v, "line length"),
            format!("{} bytes", line.len()),
            "entry {i}"
        );
        let sig_in_line = match json::parse(line.as_bytes(), Profile::Entry) {
            Ok(Value::Object(o)) => o.get("sig").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        };
        assert_eq!(
            Some(get(&v, "signature")),
            sig_in_line.as_deref(),
            "entry {i}"
        );
        assert_eq!(get(&v, "signature (hex)"), hex(&d.entry.sig), "entry {i}");

        let key = keys
            .get(&d.entry.author)
            .expect("the author is one of the documented keys");
        assert_eq!(
            key.sign(&expected),
            d.entry.sig,
            "entry {i}: Ed25519 is deterministic"
        );
        assert!(key.verifier().verify(&expected, &d.entry.sig), "entry {i}");

        let hash = EntryHash::of_line(line.as_bytes());
        assert_eq!(
            get(&v, "entry hash"),
            hash.to_string(),
            "entry {i}: entry hash"
        );
        assert_eq!(v.len(), 5, "entry {i}: every documented value is checked");

        prev = hash;
        offset += line.len() + 1;
    }
    assert!(
        text.contains(&format!("which is {offset} bytes long")),
        "the stated file length"
    );
    assert!(
        text.contains(&format!("with head `2:{prev}`")),
        "the stated head"
    );
}

#[test]
fn worked_example_log_verifies_sound_with_the_documented_trust_key() {
    let doc = doc();
    let lines = example_lines(&doc);
    let trust = trust_key(&doc);
    let report = verify_lines(&lines, Some(trust.clone()));
    assert!(report.is_sound(), "{report:#?}");
    assert_eq!(report.entries, 3);
    assert_eq!(report.origin.as_deref(), Some(ORIGIN));
    assert_eq!(report.domain.as_deref(), Some("acta-example/v1"));
    assert_eq!(
        report.anchor,
        Anchor::Trusted {
            key: trust.to_string()
        }
    );
    let last = labelled(&doc, "text acta-example-values-2");
    let head = report.head.expect("a head");
    assert_eq!(
        (head.seq, head.hash.to_string()),
        (2, get(&last, "entry hash").to_owned())
    );

    // Negative controls: the verifier is not vacuous on this log.
    let unanchored = verify_lines(&lines, None);
    assert!(unanchored.is_consistent() && !unanchored.is_sound());
    let other = SigningKey::from_seed("test-only-example", [9; 32]).expect("valid");
    assert!(!verify_lines(&lines, Some(other.verifier())).is_sound());
    for i in 0..lines.len() {
        let mut tampered: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        tampered[i] = tampered[i].replacen("2025-11-26T09:0", "2025-11-26T09:1", 1);
        assert_ne!(tampered[i], lines[i]);
        let refs: Vec<&str> = tampered.iter().map(String::as_str).collect();
        assert!(
            !verify_lines(&refs, Some(trust.clone())).is_sound(),
            "entry {i}"
        );
    }
}

#[test]
fn damaged_copy_report_and_verify_exit_codes_match_the_binary() {
    let doc = doc();
    let text = prose(&doc);
    let lines = example_lines(&doc);
    let trust = trust_key(&doc).to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, lines: &[&str]| {
        let path = dir.path().join(name);
        let bytes: String = lines.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(&path, bytes).expect("write log");
        path
    };
    let intact = write("intact.log", &lines);
    let damaged = write("damaged.log", &[lines[0], lines[2]]);

    let code = |args: &[&str]| acta().args(args).output().expect("acta runs").status.code();
    let intact = intact.to_str().expect("a UTF-8 temporary path");
    let damaged = damaged.to_str().expect("a UTF-8 temporary path");
    let missing = dir.path().join("missing.log");
    let missing = missing.to_str().expect("a UTF-8 temporary path");

    // 0: sound, or consistent with --allow-unanchored.
    assert_eq!(code(&["verify", intact, "--trust", &trust]), Some(0));
    assert_eq!(code(&["verify", intact, "--allow-unanchored"]), Some(0));
    // 1: consistent but unanchored, or findings.
    assert_eq!(code(&["verify", intact]), Some(1));
    assert_eq!(
        code(&["verify", damaged, "--trust", &trust, "--allow-unanchored"]),
        Some(1)
    );
    // 2: unusable arguments or I/O errors.
    assert_eq!(code(&["verify", missing, "--trust", &trust]), Some(2));
    assert_eq!(code(&["verify", intact, "--trust", "not-a-key"]), Some(2));

    let out = acta()
        .args(["verify", damaged, "--trust", &trust, "--json"])
        .output()
        .expect("acta runs");
    assert_eq!(out.status.code(), Some(1));
    let printed: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("acta verify --json prints JSON");
    let documented: serde_json::Value =
        serde_json::from_str(block(&doc, "json acta-example-damaged-report"))
            .expect("the documented report is JSON");
    assert_eq!(printed, documented, "the damaged-copy report");
    let members: BTreeSet<String> = printed
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let documented: BTreeSet<String> = table(&cli_doc(), "verify-json-members")
        .into_keys()
        .collect();
    assert_eq!(
        members, documented,
        "acta verify --json members in docs/cli.md"
    );
    assert!(text.contains(&format!("acta verify --trust {trust} --json")));
}

/// The rows of the table between `<!-- begin NAME -->` and `<!-- end NAME -->`: the first
/// cell's code span, and the code spans of the second cell.
fn table(doc: &str, name: &str) -> BTreeMap<String, BTreeSet<String>> {
    let begin = format!("<!-- begin {name} -->");
    let end = format!("<!-- end {name} -->");
    let start = doc.find(&begin).map(|i| i + begin.len());
    let stop = doc.find(&end);
    assert!(start.is_some() && stop.is_some(), "table {name} is marked");
    let body = &doc[start.unwrap_or(0)..stop.unwrap_or(0)];
    let spans = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    };
    let mut rows = BTreeMap::new();
    // Data rows: after the header's separator row.
    let rows_text = body.lines().skip_while(|l| !l.starts_with("|-")).skip(1);
    for line in rows_text.filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').collect();
        let first = spans(cells[1]);
        assert_eq!(first.len(), 1, "row {line:?}");
        let members = spans(cells[2]).into_iter().collect();
        assert!(
            rows.insert(first[0].clone(), members).is_none(),
            "row {line:?} repeated"
        );
    }
    rows
}

/// `tag` value and other member names of a serialized internally-tagged enum value.
fn shape(value: &impl serde::Serialize, tag: &str) -> (String, BTreeSet<String>) {
    let v = serde_json::to_value(value).expect("serializes");
    let obj = v.as_object().expect("an object");
    let name = obj
        .get(tag)
        .and_then(serde_json::Value::as_str)
        .expect("tagged")
        .to_owned();
    let members = obj.keys().filter(|k| *k != tag).cloned().collect();
    (name, members)
}

fn check_table<T: serde::Serialize>(doc: &str, name: &str, tag: &str, values: &[T]) {
    let documented = table(doc, name);
    let actual: BTreeMap<String, BTreeSet<String>> = values.iter().map(|v| shape(v, tag)).collect();
    assert_eq!(actual.len(), values.len(), "{name}: one value per variant");
    assert_eq!(documented, actual, "table {name} in FORMAT.md");
}

#[test]
fn json_names_in_the_tables_match_serde() {
    let doc = doc();
    let author: KeyRef = "a+01020304".parse().expect("valid key reference");
    let hash = EntryHash([7; 32]);
    let sys = || SystemEventError::UnknownKey {
        key: author.clone(),
    };
    let finding_kinds = [
        FindingKind::EmptyLog,
        FindingKind::Malformed {
            error: EntryError::NotAnObject,
        },
        FindingKind::TooLong { len: 2, limit: 1 },
        FindingKind::TornTail { len: 1 },
        FindingKind::MissingNewline { seq: 1 },
        FindingKind::NotCanonical {
            first_difference: 0,
        },
        FindingKind::SeqMismatch {
            expected: 1,
            found: 2,
        },
        FindingKind::PrevMismatch {
            expected: hash,
            found: hash,
        },
        FindingKind::TimeWentBackwards {
            previous: "b".into(),
            found: "a".into(),
        },
        FindingKind::MissingGenesis {
            found_type: "x".into(),
        },
        FindingKind::GenesisNotFirst,
        FindingKind::BadGenesis { error: sys() },
        FindingKind::UntrustedGenesis {
            trusted: "t".into(),
            found: "f".into(),
        },
        FindingKind::UnknownAuthor {
            author: author.clone(),
        },
        FindingKind::RevokedAuthor {
            author: author.clone(),
            revoked_at: 1,
        },
        FindingKind::RoleViolation {
            author: author.clone(),
            entry_type: "x".into(),
        },
        FindingKind::BadSignature {
            author: author.clone(),
        },
        FindingKind::BadKeyEvent { error: sys() },
        FindingKind::UnknownSystemType {
            entry_type: "acta.x".into(),
        },
        FindingKind::Truncated {
            expected_seq: 1,
            entries: 0,
        },
        FindingKind::HeadMismatch {
            seq: 0,
            expected: hash,
            found: hash,
        },
        FindingKind::RootMismatch {
            size: 2,
            expected: RootHash([0xee; 32]),
            found: RootHash([0xff; 32]),
        },
        FindingKind::CheckpointBeyondLog {
            size: 5,
            entries: 3,
        },
        FindingKind::RootUncheckable { size: 2 },
        FindingKind::BatchBroken {
            batch: 1,
            author: author.clone(),
            remaining: 2,
            found_more: Some(3),
            found_author: Some(author.clone()),
        },
        FindingKind::UnfinishedBatch {
            size: 3,
            missing: 1,
        },
    ];
    check_table(&doc, "finding-kinds", "finding", &finding_kinds);

    let entry_errors = [
        EntryError::Json {
            offset: 0,
            message: "m".into(),
        },
        EntryError::NotAnObject,
        EntryError::UnsupportedVersion { found: "2".into() },
        EntryError::MissingField { field: "v" },
        EntryError::UnexpectedField { field: "w".into() },
        EntryError::BadField {
            field: "seq",
            reason: "r",
        },
    ];
    check_table(&doc, "entry-errors", "problem", &entry_errors);

    let system_errors = [
        SystemEventError::BadField {
            field: "origin",
            reason: "r".into(),
        },
        SystemEventError::DuplicateKey {
            key: author.clone(),
            added_at: 0,
        },
        SystemEventError::UnknownKey {
            key: author.clone(),
        },
        SystemEventError::AlreadyRevoked {
            key: author.clone(),
            revoked_at: 1,
        },
        SystemEventError::GenesisAuthorNotListed { author },
    ];
    check_table(&doc, "system-event-errors", "problem", &system_errors);

    // The report's members, and the three anchor forms.
    let report = verify_lines(&example_lines(&doc), Some(trust_key(&doc)));
    let members: BTreeSet<String> = serde_json::to_value(&report)
        .expect("serializes")
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    let documented: BTreeSet<String> = table(&doc, "report-members").into_keys().collect();
    assert_eq!(documented, members, "report members in FORMAT.md");
    let text = prose(&doc);
    for anchor in [
        Anchor::Trusted { key: "K".into() },
        Anchor::Unanchored,
        Anchor::Failed,
    ] {
        let (name, fields) = shape(&anchor, "anchor");
        let mut form = format!("`{{\"anchor\": \"{name}\"");
        for f in &fields {
            form.push_str(&format!(", \"{f}\": "));
        }
        assert!(text.contains(&form), "anchor form {form:?} in FORMAT.md");
    }
}

/// The finding names of the numbered steps of a `#### TITLE` section, in order (the first
/// code span naming a finding kind in each step).
fn step_findings(doc: &str, title: &str) -> Vec<String> {
    let heading = format!("#### {title}\n");
    let start = doc.find(&heading).map_or(0, |i| i + heading.len());
    assert!(doc.contains(&heading), "FORMAT.md has a section {title:?}");
    let section = &doc[start..];
    let section = &section[..section.find("\n#### ").unwrap_or(section.len())];
    let mut steps: Vec<String> = Vec::new();
    for line in section.lines() {
        let numbered = line
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if numbered {
            steps.push(line.to_owned());
        } else if line.starts_with("   ")
            && let Some(last) = steps.last_mut()
        {
            last.push(' ');
            last.push_str(line.trim());
        } else if !line.is_empty() && !steps.is_empty() {
            break;
        }
    }
    steps
        .iter()
        .filter_map(|step| {
            step.split('`')
                .skip(1)
                .step_by(2)
                .find(|span| {
                    span.contains('_') && span.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                })
                .map(str::to_owned)
        })
        .collect()
}

/// Signs an entry with a worked-example key for `origin`, linked after `prev_line`.
fn example_entry(
    key: &SigningKey,
    origin: &str,
    prev_line: &str,
    entry_type: &str,
    recorded_at: &str,
) -> String {
    let prev = Entry::decode(prev_line.as_bytes()).expect("decodes").entry;
    let mut data = json::Object::new();
    data.insert("text", Value::String("forged?".into()));
    let line = acta_core::NewEntry {
        seq: prev.seq + 1,
        prev: EntryHash::of_line(prev_line.as_bytes()),
        recorded_at,
        entry_type,
        data: &data,
    }
    .sign(origin, key)
    .expect("a valid entry");
    String::from_utf8(line).expect("UTF-8")
}

#[test]
fn documented_order_of_entry_checks_and_anchor_rule_match_the_verifier() {
    let doc = doc();
    assert_eq!(
        step_findings(&doc, "Entry checks"),
        [
            "unknown_author",
            "bad_signature",
            "revoked_author",
            "role_violation",
            "bad_key_event"
        ],
        "the numbered entry checks of FORMAT.md"
    );

    // The signature comes before roles: key 2 (roles note.*) may not sign court.filed, but a
    // forgery naming it is a bad signature, and only a real signature is a role violation.
    let keys = example_keys(&doc);
    let lines = example_lines(&doc);
    let key2 = keys
        .values()
        .find(|k| k.name() == "test-only-example-2")
        .expect("key 2");
    let findings_at_3 = |origin: &str| {
        let extra = example_entry(
            key2,
            origin,
            lines[2],
            "court.filed",
            "2025-11-26T09:03:00Z",
        );
        let report = verify_lines(
            &[lines[0], lines[1], lines[2], &extra],
            Some(trust_key(&doc)),
        );
        report
            .findings
            .iter()
            .map(|f| (f.entry, f.kind.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        findings_at_3("example.org/another-log"),
        [(
            3,
            FindingKind::BadSignature {
                author: key2.key_ref()
            }
        )]
    );
    assert_eq!(
        findings_at_3(ORIGIN),
        [(
            3,
            FindingKind::RoleViolation {
                author: key2.key_ref(),
                entry_type: "court.filed".into()
            }
        )]
    );

    // The anchor: the genesis names the trusted key but its signature does not verify.
    let text = prose(&doc);
    assert!(text.contains(
        "A genesis that names the trusted key but whose signature does not verify leaves `anchor` `failed`, with a `bad_signature` finding at entry 0"
    ));
    // Entry 1's signature in place of the genesis's: well formed, but not over this entry.
    let values_0 = labelled(&doc, "text acta-example-values-0");
    let values_1 = labelled(&doc, "text acta-example-values-1");
    let forged = lines[0].replacen(get(&values_0, "signature"), get(&values_1, "signature"), 1);
    assert_ne!(forged, lines[0]);
    let report = verify_lines(&[&forged], Some(trust_key(&doc)));
    assert_eq!(report.anchor, Anchor::Failed);
    let key1 = trust_key(&doc).key_ref();
    assert_eq!(
        report
            .findings
            .iter()
            .map(|f| (f.entry, f.kind.clone()))
            .collect::<Vec<_>>(),
        [(0, FindingKind::BadSignature { author: key1 })]
    );
}

#[test]
fn documented_head_text_form_matches_parse_head() {
    let text = prose(&doc());
    assert!(text.contains(
        "is one or more ASCII digits `0`–`9` (no sign, no spaces or other characters) whose value is less than 2^64, and the part after is exactly 64 lowercase hex digits. Leading zeros in `seq` are accepted"
    ));
    let hash = "01782c27d780d62ef083ffa3d5582dc8ecd530d368154f19c1cf1f0b637bdc44";
    let parsed: EntryHash = hash.parse().expect("a hash");
    let parse = |s: &str| acta_store::log::parse_head(s);
    assert_eq!(parse(&format!("2:{hash}")), Some((2, parsed)));
    assert_eq!(parse(&format!("002:{hash}")), Some((2, parsed)));
    assert_eq!(
        parse(&format!("18446744073709551615:{hash}")),
        Some((u64::MAX, parsed))
    );
    for bad in [
        format!("+2:{hash}"),
        format!("-0:{hash}"),
        format!(" 2:{hash}"),
        format!("2 :{hash}"),
        format!(":{hash}"),
        format!("18446744073709551616:{hash}"),
        format!("2:{}", hash.to_uppercase()),
        format!("2:{hash}0"),
        format!("2:{hash}:"),
        hash.to_owned(),
    ] {
        assert_eq!(parse(&bad), None, "{bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The transparency layer: Merkle tree, tree file, checkpoints, proofs, bundles, witnesses.

fn b64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// A block showing a file (a note, a bundle, printed output) each of whose lines ends with
/// "\n": the block's text and a final "\n".
fn file_block(doc: &str, info: &str) -> String {
    format!("{}\n", block(doc, info))
}

/// SHA-256(0x01 ‖ l ‖ r), with the independent SHA-256 helper.
fn node(l: &[u8; 32], r: &[u8; 32]) -> [u8; 32] {
    let mut input = vec![1u8];
    input.extend_from_slice(l);
    input.extend_from_slice(r);
    sha256(&input)
}

/// The largest power of 2 smaller than `n` (n ≥ 2).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// MTH over leaf hashes, straight from RFC 6962 §2.1 (independent of acta-core).
fn mth(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves.len() {
        0 => sha256(b""),
        1 => leaves[0],
        n => {
            let k = split(n);
            node(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

/// The leaf hashes of the example log: SHA-256(0x00 ‖ line), with the independent helper.
fn example_leaves(doc: &str) -> Vec<[u8; 32]> {
    example_lines(doc)
        .iter()
        .map(|l| {
            let mut input = vec![0u8];
            input.extend_from_slice(l.as_bytes());
            sha256(&input)
        })
        .collect()
}

fn example_memory_tree(doc: &str) -> MemoryTree {
    MemoryTree::from_leaves(example_leaves(doc).into_iter().map(EntryHash))
}

fn example_key(doc: &str, name: &str) -> SigningKey {
    example_keys(doc)
        .into_values()
        .find(|k| k.name() == name)
        .expect("a documented example key")
}

fn witness_key(doc: &str) -> SigningKey {
    let f = labelled(doc, "text acta-example-witness-key");
    SigningKey::from_seed(get(&f, "name"), seed(&f)).expect("documented name is valid")
}

fn checkpoint_body(origin: &str, size: u64, root: &[u8; 32]) -> String {
    format!("{origin}\n{size}\n{}\n", b64(root))
}

fn signed_checkpoint(key: &SigningKey, origin: &str, size: u64, root: &[u8; 32]) -> String {
    note::sign_note(&checkpoint_body(origin, size, root), key).expect("a valid note")
}

/// The note with one bit of the signature on the line starting with `prefix` flipped.
fn forge_line(note_text: &str, prefix: &str) -> String {
    let mut out = String::new();
    let mut forged = false;
    for line in note_text.split_inclusive('\n') {
        match line
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('\n'))
        {
            Some(sig) => {
                let mut raw = BASE64.decode(sig).expect("base64");
                if let Some(last) = raw.last_mut() {
                    *last ^= 1;
                }
                out.push_str(&format!("{prefix}{}\n", b64(&raw)));
                forged = true;
            }
            None => out.push_str(line),
        }
    }
    assert!(forged, "the note has a line starting with {prefix:?}");
    assert_ne!(out, note_text);
    out
}

#[test]
fn tree_file_layout_and_formulas_match_acta_core() {
    let doc = files_doc();
    let text = prose(&doc);
    assert!(text.contains("count(n) = 2n − popcount(n)"));
    assert!(text.contains("index(L, j) = count((j + 1)·2^L − 1) + L"));
    let rows = labelled(&doc, "text acta-tree-layout");
    let nums = |label: &str| -> Vec<u64> {
        get(&rows, label)
            .split_whitespace()
            .map(|n| n.parse().expect("a number"))
            .collect()
    };
    let (index, level, j) = (nums("stored index"), nums("level L"), nums("subtree j"));
    assert!(index.len() >= 8, "the table shows several levels");
    assert_eq!(index, (0..index.len() as u64).collect::<Vec<_>>());
    assert_eq!((level.len(), j.len()), (index.len(), index.len()));
    // The table against acta-core's index function, and against the hashes acta-core stores,
    // computed independently as the MTH of each subtree's leaves.
    let leaves: Vec<[u8; 32]> = (0..7u8).map(|i| sha256(&[0, i])).collect();
    let mem = MemoryTree::from_leaves(leaves.iter().copied().map(EntryHash));
    assert_eq!(
        mem.stored_hashes().len(),
        index.len(),
        "7 leaves fill 11 positions"
    );
    for k in 0..index.len() {
        let l = u8::try_from(level[k]).expect("a small level");
        assert_eq!(tree::stored_hash_index(l, j[k]), index[k], "column {k}");
        let lo = (j[k] << l) as usize;
        let hi = ((j[k] + 1) << l) as usize;
        assert_eq!(mem.stored_hashes()[k], mth(&leaves[lo..hi]), "column {k}");
    }
    let (n, count) = (nums("leaves n"), nums("count(n)"));
    assert!(!n.is_empty());
    assert_eq!(n.len(), count.len());
    for (n, c) in n.iter().zip(&count) {
        assert_eq!(tree::stored_hash_count(*n), *c, "count({n})");
    }
    assert_eq!(rows.len(), 5, "every row of the layout table is checked");
    // The formulas themselves, beyond the table.
    for n in 0..3000u64 {
        assert_eq!(
            tree::stored_hash_count(n),
            2 * n - u64::from(n.count_ones())
        );
    }
    for l in 0..10u8 {
        for j in 0..60u64 {
            let expected = tree::stored_hash_count(((j + 1) << l) - 1) + u64::from(l);
            assert_eq!(tree::stored_hash_index(l, j), expected, "index({l}, {j})");
        }
    }
}

#[test]
fn example_merkle_tree_and_tree_file_match_acta_core() {
    let doc = doc();
    let tdoc = tdoc();
    let leaves = example_leaves(&doc);
    let entry_hashes: Vec<[u8; 32]> = example_lines(&doc)
        .iter()
        .map(|l| EntryHash::of_line(l.as_bytes()).0)
        .collect();
    assert_eq!(leaves, entry_hashes, "leaf hashes are entry hashes");
    let mem = example_memory_tree(&doc);

    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for (i, l) in leaves.iter().enumerate() {
        expected.insert(format!("leaf {i}"), hex(l));
        expected.insert(format!("leaf {i} (base64)"), b64(l));
    }
    expected.insert(
        "node(leaf 0, leaf 1)".into(),
        hex(&node(&leaves[0], &leaves[1])),
    );
    for size in 0..=leaves.len() {
        let root = mth(&leaves[..size]);
        assert_eq!(
            mem.root_at(size as u64).expect("in range"),
            root,
            "root {size}"
        );
        expected.insert(format!("root {size}"), hex(&root));
        expected.insert(format!("root {size} (base64)"), b64(&root));
    }
    let f = labelled(&tdoc, "text acta-example-tree");
    for (label, value) in &f {
        assert_eq!(
            Some(value),
            expected.get(label),
            "{label} in acta-example-tree"
        );
    }
    assert_eq!(f.len(), 14, "the documented tree values");
    assert_eq!(
        mth(&leaves),
        node(&node(&leaves[0], &leaves[1]), &leaves[2]),
        "root 3 as the prose derives it"
    );
    let report = verify_lines(&example_lines(&doc), Some(trust_key(&doc)));
    assert_eq!(
        report.root.map(|r| r.to_string()).as_deref(),
        Some(get(&f, "root 3 (base64)"))
    );

    // The tree file: four stored hashes, in the documented order and positions.
    let files = files_doc();
    let stored = labelled(&files, "text acta-example-tree-file");
    let layout = [
        ("leaf 0", 0u8, 0u64, leaves[0]),
        ("leaf 1", 0, 1, leaves[1]),
        ("subtree L 1 j 0", 1, 0, node(&leaves[0], &leaves[1])),
        ("leaf 2", 0, 2, leaves[2]),
    ];
    assert_eq!(stored.len(), layout.len());
    assert_eq!(mem.stored_hashes().len(), layout.len());
    for (k, (what, level, j, hash)) in layout.iter().enumerate() {
        let label = format!("stored hash {k} ({what})");
        assert_eq!(get(&stored, &label), hex(hash), "{label}");
        assert_eq!(tree::stored_hash_index(*level, *j), k as u64, "{label}");
        assert_eq!(mem.stored_hashes()[k], *hash, "{label}");
    }
    assert_eq!(tree::stored_hash_count(3), 4);
    assert!(prose(&files).contains("holds count(3) = 4 hashes, 128 bytes"));
}

#[test]
fn example_checkpoint_matches_acta_core() {
    let doc = doc();
    let tdoc = tdoc();
    let leaves = example_leaves(&doc);
    let root3 = mth(&leaves);
    let k1 = example_key(&doc, "test-only-example");
    let k2 = example_key(&doc, "test-only-example-2");
    let documented = file_block(&tdoc, "text acta-example-checkpoint");

    // The body, by the format, and as acta-core writes and parses it.
    let body = checkpoint_body(ORIGIN, 3, &root3);
    let cp = Checkpoint {
        origin: ORIGIN.to_owned(),
        size: 3,
        root: root3,
        extensions: Vec::new(),
    };
    assert_eq!(cp.to_text().expect("valid"), body);
    assert_eq!(Checkpoint::parse(&body), Ok(cp));
    // The note: text, blank line, "— NAME base64(key id ‖ Ed25519(text))".
    let sig = k1.sign(body.as_bytes());
    let mut raw = k1.key_ref().id.0.to_vec();
    raw.extend_from_slice(&sig);
    assert_eq!(
        documented,
        format!("{body}\n\u{2014} test-only-example {}\n", b64(&raw))
    );
    assert_eq!(note::sign_note(&body, &k1).expect("signs"), documented);
    assert!(k1.verifier().verify(body.as_bytes(), &sig));

    let v = labelled(&tdoc, "text acta-example-checkpoint-values");
    assert_eq!(get(&v, "text length"), format!("{} bytes", body.len()));
    assert_eq!(get(&v, "key id"), k1.key_ref().id.to_string());
    assert_eq!(get(&v, "signature (hex)"), hex(&sig));
    assert_eq!(v.len(), 3, "every documented value is checked");

    // Accepted with the trust anchor; not with another key; not once altered.
    let accepted = note::verify_checkpoint_note(documented.as_bytes(), &k1.verifier(), &[], 0)
        .expect("signed by the trust anchor");
    assert_eq!(accepted.checkpoint.root, root3);
    assert!(matches!(
        note::verify_checkpoint_note(documented.as_bytes(), &k2.verifier(), &[], 0),
        Err(CheckpointPolicyError::LogSignature(_))
    ));
    let altered = documented.replacen("\n3\n", "\n4\n", 1);
    assert_ne!(altered, documented);
    assert!(note::verify_checkpoint_note(altered.as_bytes(), &k1.verifier(), &[], 0).is_err());
    // A line with the anchor's name and key ID that does not verify rejects the note, even
    // next to a valid one; a line by another key is ignored.
    let mut both = Note::parse(documented.as_bytes()).expect("parses");
    let forged = Note::parse(forge_line(&documented, "\u{2014} test-only-example ").as_bytes())
        .expect("parses");
    both.signatures.extend(forged.signatures);
    let both = both.to_text().expect("encodes");
    assert!(note::verify_checkpoint_note(both.as_bytes(), &k1.verifier(), &[], 0).is_err());
    let mut other = Note::parse(documented.as_bytes()).expect("parses");
    other.add_signature(&k2).expect("signs");
    let other = other.to_text().expect("encodes");
    assert!(note::verify_checkpoint_note(other.as_bytes(), &k1.verifier(), &[], 0).is_ok());
}

#[test]
fn example_proofs_and_bundle_match_acta_core() {
    let doc = doc();
    let tdoc = tdoc();
    let lines = example_lines(&doc);
    let leaves = example_leaves(&doc);
    let mem = example_memory_tree(&doc);
    let (root2, root3) = (mth(&leaves[..2]), mth(&leaves));

    let inclusion: serde_json::Value =
        serde_json::from_str(block(&tdoc, "json acta-example-inclusion-proof")).expect("JSON");
    let proof = mem.prove_inclusion(3, 1).expect("in range");
    assert_eq!(
        proof,
        [leaves[0], leaves[2]],
        "PATH(1, D[3]) = {{leaf 0, leaf 2}}"
    );
    let expected = serde_json::json!({
        "leaf_index": 1,
        "tree_size": 3,
        "leaf_hash": b64(&leaves[1]),
        "hashes": proof.iter().map(|h| b64(h)).collect::<Vec<_>>(),
    });
    assert_eq!(inclusion, expected);
    assert_eq!(
        tree::verify_inclusion(EntryHash(leaves[1]), 1, 3, &proof, root3),
        Ok(())
    );
    assert!(tree::verify_inclusion(EntryHash(leaves[2]), 1, 3, &proof, root3).is_err());

    let consistency: serde_json::Value =
        serde_json::from_str(block(&tdoc, "json acta-example-consistency-proof")).expect("JSON");
    let proof = mem.prove_consistency(2, 3).expect("in range");
    assert_eq!(proof, [leaves[2]], "PROOF(2, D[3]) = {{leaf 2}}");
    let expected = serde_json::json!({
        "old_size": 2,
        "new_size": 3,
        "hashes": [b64(&leaves[2])],
    });
    assert_eq!(consistency, expected);
    assert_eq!(tree::verify_consistency(2, 3, &proof, root2, root3), Ok(()));

    // The traces show the intermediate hashes in order.
    let hex_words = |info: &str| -> Vec<String> {
        block(&tdoc, info)
            .split(|c: char| !c.is_ascii_hexdigit())
            .filter(|w| w.len() == 64)
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        hex_words("text acta-example-inclusion-trace"),
        [hex(&node(&leaves[0], &leaves[1])), hex(&root3)]
    );
    assert_eq!(
        hex_words("text acta-example-consistency-trace"),
        [hex(&root2), hex(&root3)]
    );

    // The bundle: header, extra (line 1), index, the inclusion proof, blank line, checkpoint.
    let bundle = file_block(&tdoc, "text acta-example-bundle");
    let checkpoint = file_block(&tdoc, "text acta-example-checkpoint");
    assert_eq!(
        bundle,
        format!(
            "c2sp.org/tlog-proof@v1\nextra {}\nindex 1\n{}\n{}\n\n{checkpoint}",
            b64(lines[1].as_bytes()),
            b64(&leaves[0]),
            b64(&leaves[2])
        )
    );
    let parsed = TlogProof::parse(bundle.as_bytes()).expect("a tlog proof");
    assert_eq!(parsed.extra.as_deref(), Some(lines[1].as_bytes()));
    assert_eq!(parsed.index, 1);
    assert_eq!(parsed.proof, [leaves[0], leaves[2]]);
    assert_eq!(parsed.checkpoint.to_text().expect("encodes"), checkpoint);
    assert_eq!(parsed.to_text().expect("encodes"), bundle);
}

#[test]
fn example_witness_cosignature_matches_acta_core() {
    let doc = doc();
    let tdoc = tdoc();
    let leaves = example_leaves(&doc);
    let body = checkpoint_body(ORIGIN, 3, &mth(&leaves));
    let k1 = example_key(&doc, "test-only-example");
    let w = witness_key(&tdoc);

    let f = labelled(&tdoc, "text acta-example-witness-key");
    let public = w.verifier().public_bytes();
    assert_eq!(get(&f, "public key"), hex(&public));
    assert_eq!(get(&f, "verifier key"), w.verifier().to_string());
    assert_eq!(get(&f, "private key"), w.to_private_text());
    let mut input = get(&f, "name").as_bytes().to_vec();
    input.extend_from_slice(b"\n\x04");
    input.extend_from_slice(&public);
    assert_eq!(unhex(get(&f, "cosigner key id input")), input);
    let digest = sha256(&input);
    assert_eq!(get(&f, "SHA-256(input)"), hex(&digest));
    assert_eq!(get(&f, "cosigner key id"), hex(&digest[..4]));
    let cosigner = CosignerKey::from_signing_key(&w);
    assert_eq!(cosigner.id().to_string(), hex(&digest[..4]));
    assert_eq!(note::cosigner_key_id(w.name(), &public), cosigner.id());
    let mut raw = vec![0x04];
    raw.extend_from_slice(&public);
    let text_form = format!("{}+{}+{}", w.name(), hex(&digest[..4]), b64(&raw));
    assert_eq!(get(&f, "cosigner key"), text_form);
    assert_eq!(cosigner.to_string(), text_form);
    let parsed: CosignerKey = text_form.parse().expect("a cosigner key");
    assert_eq!(parsed, cosigner);
    assert!(
        get(&f, "verifier key").parse::<CosignerKey>().is_err(),
        "a verifier key (type 0x01) is not a cosigner key"
    );
    assert_eq!(f.len(), 9, "every documented value is checked");

    // The signed message, shown with each 0x0A as `\n` and a line break.
    let v = labelled(&tdoc, "text acta-example-cosignature-values");
    let t: u64 = get(&v, "timestamp").parse().expect("a timestamp");
    let message = note::cosignature_message(&body, t);
    assert_eq!(
        message,
        format!("cosignature/v1\ntime {t}\n{body}").into_bytes()
    );
    let shown = block(&tdoc, "text acta-example-cosignature-message").replace("\\n\n", "\n");
    let shown = format!(
        "{}\n",
        shown.strip_suffix("\\n").unwrap_or("(no final \\n)")
    );
    assert_eq!(shown.as_bytes(), message);
    assert_eq!(
        get(&v, "message length"),
        format!("{} bytes", message.len())
    );
    let sig = w.sign(&message);
    assert_eq!(get(&v, "signature (hex)"), hex(&sig));
    let line = note::cosign(&body, &w, t).expect("cosigns");
    let mut bytes = t.to_be_bytes().to_vec();
    bytes.extend_from_slice(&sig);
    assert_eq!(line.bytes, bytes, "u64be(t) ‖ signature");
    assert_eq!(line.key_id, cosigner.id());
    let mut line_bytes = cosigner.id().0.to_vec();
    line_bytes.extend_from_slice(&bytes);
    assert_eq!(unhex(get(&v, "line bytes (hex)")), line_bytes);
    assert_eq!(v.len(), 4, "every documented value is checked");
    assert_eq!(note::verify_cosignature(&body, &line, &cosigner), Ok(t));

    // The cosigned note: the checkpoint's note with the cosignature line added.
    let cosigned = file_block(&tdoc, "text acta-example-cosigned-checkpoint");
    let mut n = Note::parse(file_block(&tdoc, "text acta-example-checkpoint").as_bytes())
        .expect("the checkpoint parses");
    n.signatures.push(line.clone());
    assert_eq!(n.to_text().expect("encodes"), cosigned);
    assert_eq!(
        cosigned.lines().last(),
        Some(format!("\u{2014} {} {}", w.name(), b64(&line_bytes)).as_str())
    );

    // The witness policy: k of n, and a forged cosignature by a listed witness rejects.
    let other = CosignerKey::from_signing_key(
        &SigningKey::from_seed("test-only-witness-2", [4; 32]).expect("valid name"),
    );
    let policy = |note: &str, witnesses: &[CosignerKey], k: usize| {
        note::verify_checkpoint_note(note.as_bytes(), &k1.verifier(), witnesses, k)
    };
    let ok = policy(&cosigned, std::slice::from_ref(&cosigner), 1).expect("meets 1 of 1");
    assert_eq!(ok.witnesses, [(cosigner.key_ref(), t)]);
    assert!(policy(&cosigned, &[cosigner.clone(), other.clone()], 1).is_ok());
    assert_eq!(
        policy(&cosigned, &[cosigner.clone(), other.clone()], 2).map(|_| ()),
        Err(CheckpointPolicyError::TooFewWitnesses {
            required: 2,
            found: 1
        })
    );
    let forged = forge_line(&cosigned, "\u{2014} test-only-witness ");
    for k in [0, 1] {
        assert!(matches!(
            policy(&forged, std::slice::from_ref(&cosigner), k),
            Err(CheckpointPolicyError::BadCosignature(_))
        ));
    }
    // An unlisted witness's forged line is ignored.
    assert!(policy(&forged, std::slice::from_ref(&other), 0).is_ok());
    // Two lines by one witness count once.
    let mut twice = Note::parse(cosigned.as_bytes()).expect("parses");
    twice
        .signatures
        .push(note::cosign(&body, &w, t + 1).expect("cosigns"));
    let twice = twice.to_text().expect("encodes");
    assert!(policy(&twice, &[cosigner.clone(), other.clone()], 2).is_err());
}

#[test]
fn example_fork_checkpoint_and_root_finding_match_acta_core() {
    let doc = doc();
    let tdoc = tdoc();
    let lines = example_lines(&doc);
    let leaves = example_leaves(&doc);
    let k1 = example_key(&doc, "test-only-example");
    let fork_root = node(&leaves[0], &leaves[2]);
    assert_eq!(
        signed_checkpoint(&k1, ORIGIN, 2, &fork_root),
        file_block(&tdoc, "text acta-example-fork-checkpoint")
    );
    // It is the root of the damaged copy, as its documented report says.
    let damaged: serde_json::Value =
        serde_json::from_str(block(&doc, "json acta-example-damaged-report")).expect("JSON");
    assert_eq!(
        damaged["report"]["root"],
        serde_json::Value::String(b64(&fork_root))
    );
    assert_eq!(
        verify_lines(&[lines[0], lines[2]], None)
            .root
            .map(|r| r.to_string()),
        Some(b64(&fork_root))
    );
    // The finding the verifier gives the intact log for it.
    let mut v = Verifier::new(VerifyOptions {
        trust: Some(trust_key(&doc)),
        expect_roots: vec![(3, mth(&leaves)), (2, fork_root)],
        ..VerifyOptions::default()
    });
    let mut offset = 0;
    for line in &lines {
        v.push_line(offset, line.as_bytes());
        offset += line.len() as u64 + 1;
    }
    let report = v.finish();
    let documented: serde_json::Value =
        serde_json::from_str(block(&tdoc, "json acta-example-fork-finding")).expect("JSON");
    assert_eq!(
        serde_json::to_value(&report.findings).expect("serializes"),
        serde_json::Value::Array(vec![documented])
    );
}

/// Findings as (entry, offset, kind).
fn findings_of(report: &acta_core::Report) -> Vec<(u64, u64, FindingKind)> {
    report
        .findings
        .iter()
        .map(|f| (f.entry, f.offset, f.kind.clone()))
        .collect()
}

#[test]
fn root_checks_and_the_cap_work_as_specified() {
    let doc = doc();
    let text = prose(&doc);
    let lines = example_lines(&doc);
    let leaves = example_leaves(&doc);
    let (root2, root3, wrong) = (mth(&leaves[..2]), mth(&leaves), [9u8; 32]);
    let verify = |lines: &[&str], roots: Vec<(u64, [u8; 32])>| {
        let mut v = Verifier::new(VerifyOptions {
            trust: Some(trust_key(&doc)),
            expect_roots: roots,
            ..VerifyOptions::default()
        });
        let mut offset = 0;
        for line in lines {
            v.push_line(offset, line.as_bytes());
            offset += line.len() as u64 + 1;
        }
        v.finish()
    };
    let mismatch = |size: u64, expected: &[u8; 32], found: &[u8; 32]| FindingKind::RootMismatch {
        size,
        expected: RootHash(*expected),
        found: RootHash(*found),
    };

    // Every size right: sound. Sizes out of order, size 0, and beyond the log.
    let all: Vec<(u64, [u8; 32])> = (0..=3).map(|s| (s as u64, mth(&leaves[..s]))).collect();
    assert!(verify(&lines, all).is_sound());
    let report = verify(&lines, vec![(5, root3), (3, root3), (2, wrong), (0, wrong)]);
    assert_eq!(
        findings_of(&report),
        [
            (0, 0, mismatch(0, &wrong, &sha256(b""))),
            (1, 461, mismatch(2, &wrong, &root2)),
            (
                3,
                1174,
                FindingKind::CheckpointBeyondLog {
                    size: 5,
                    entries: 3
                }
            ),
        ]
    );
    assert_eq!(report.root.map(|r| r.to_string()), Some(b64(&root3)));

    // Before the line's own findings: the damaged copy against the intact log's root 2.
    let report = verify(&[lines[0], lines[2]], vec![(2, root2)]);
    let kinds: Vec<&str> = report
        .findings
        .iter()
        .map(|f| match f.kind {
            FindingKind::RootMismatch { .. } => "root_mismatch",
            FindingKind::SeqMismatch { .. } => "seq_mismatch",
            FindingKind::PrevMismatch { .. } => "prev_mismatch",
            FindingKind::UnknownAuthor { .. } => "unknown_author",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "root_mismatch",
            "seq_mismatch",
            "prev_mismatch",
            "unknown_author"
        ]
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| (f.entry, f.offset) == (1, 461))
    );

    // An over-long line: no tree from it on, root findings after its too_long.
    let limit = acta_core::MAX_ENTRY_BYTES as u64;
    let mut v = Verifier::new(VerifyOptions {
        trust: Some(trust_key(&doc)),
        expect_roots: vec![(1, leaves[0]), (2, wrong), (3, wrong)],
        ..VerifyOptions::default()
    });
    v.push_line(0, lines[0].as_bytes());
    v.push_too_long(461, limit + 1);
    let after = 461 + limit + 2;
    v.push_line(after, lines[2].as_bytes());
    let report = v.finish();
    let key2 = example_key(&doc, "test-only-example-2").key_ref();
    assert_eq!(
        findings_of(&report),
        [
            (
                1,
                461,
                FindingKind::TooLong {
                    len: limit + 1,
                    limit
                }
            ),
            (1, 461, FindingKind::RootUncheckable { size: 2 }),
            (2, after, FindingKind::RootUncheckable { size: 3 }),
            (2, after, FindingKind::UnknownAuthor { author: key2 }),
        ]
    );
    assert_eq!(report.root, None, "no root after an over-long line");

    // No complete line: the root of the empty tree.
    let report = Verifier::new(VerifyOptions::default()).finish();
    assert_eq!(report.root.map(|r| r.to_string()), Some(b64(&sha256(b""))));

    // The cap: root findings are always kept, and count towards the 1000.
    let capped = |roots: Vec<(u64, [u8; 32])>| {
        let mut v = Verifier::new(VerifyOptions {
            expect_roots: roots,
            ..VerifyOptions::default()
        });
        for i in 0..1001u64 {
            v.push_line(2 * i, b"x");
        }
        v.finish()
    };
    assert_eq!(acta_core::verify::MAX_FINDINGS, 1000);
    let report = capped(vec![]);
    assert_eq!((report.findings.len(), report.findings_omitted), (1000, 1));
    let report = capped(vec![(1, wrong), (5000, wrong)]);
    assert_eq!((report.findings.len(), report.findings_omitted), (1001, 2));
    assert!(matches!(
        report.findings[0].kind,
        FindingKind::RootMismatch { size: 1, .. }
    ));
    assert_eq!(
        report
            .findings
            .last()
            .map(|f| (f.entry, f.offset, f.kind.clone())),
        Some((
            1001,
            2002,
            FindingKind::CheckpointBeyondLog {
                size: 5000,
                entries: 1001
            }
        ))
    );
    assert!(text.contains(
        "Root findings reported during the scan count towards the 1000 for the line findings reported after them."
    ));
    // Two end-of-log findings after 1000 kept ones: 1000 malformed lines, then an entry that
    // opens a batch of two and ends the log (`unfinished_batch`), and an expected head beyond
    // the end (`truncated`).
    let mut v = Verifier::new(VerifyOptions {
        expect_head: Some((5000, EntryHash([1; 32]))),
        ..VerifyOptions::default()
    });
    let mut prev = EntryHash::of_line(b"x");
    for i in 0..1000u64 {
        v.push_line(2 * i, b"x");
        prev = EntryHash::of_line(b"x");
    }
    let key = acta_core::SigningKey::from_seed("test-only-cap", [9; 32]).expect("a key");
    let data = acta_core::json::Object::new();
    let line = acta_core::NewEntry {
        seq: 1000,
        prev,
        recorded_at: "2025-11-26T09:00:00Z",
        entry_type: "test.batch",
        data: &data,
    }
    .sign_with_more("example.org/cap", &key, 1)
    .expect("signs");
    v.push_line(2000, &line);
    let report = v.finish();
    assert_eq!((report.findings.len(), report.findings_omitted), (1002, 0));
    let tail: Vec<_> = report.findings[1000..]
        .iter()
        .map(|f| (f.entry, f.kind.clone()))
        .collect();
    assert_eq!(
        tail,
        [
            (
                1000,
                FindingKind::UnfinishedBatch {
                    size: 2,
                    missing: 1
                }
            ),
            (
                1001,
                FindingKind::Truncated {
                    expected_seq: 5000,
                    entries: 1001
                }
            ),
        ]
    );
    assert!(text.contains("so a report keeps at most 1002 findings plus one per expected root"));
}

// --- The transparency layer through the binary. ---

/// A temporary directory holding `example.log` and the private key files of the example
/// (`k1.key`, `k2.key`) and of its witness (`w.key`), mode 0600.
fn example_dir(doc: &str) -> tempfile::TempDir {
    let tdoc = tdoc();
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let log: String = example_lines(doc)
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("example.log"), log).expect("write log");
    for (file, key) in [
        ("k1.key", example_key(doc, "test-only-example")),
        ("k2.key", example_key(doc, "test-only-example-2")),
        ("w.key", witness_key(&tdoc)),
    ] {
        let path = dir.path().join(file);
        std::fs::write(&path, format!("{}\n", key.to_private_text())).expect("write key");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    dir
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    acta()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("acta runs")
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn write(dir: &std::path::Path, name: &str, contents: &str) {
    std::fs::write(dir.join(name), contents).expect("write file");
}

fn read(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("read file")
}

#[test]
fn example_checkpoint_tree_file_proofs_and_bundle_match_the_binary() {
    let doc = doc();
    let tdoc = tdoc();
    let text = prose(&tdoc);
    let dir = example_dir(&doc);
    let d = dir.path();
    let trust = trust_key(&doc).to_string();
    let leaves = example_leaves(&doc);
    let k1 = example_key(&doc, "test-only-example");
    let code = |args: &[&str]| run_in(d, args).status.code();

    // No tree file yet, so no proofs; key 2 (roles note.*) may not sign checkpoints.
    assert_eq!(
        code(&[
            "prove",
            "inclusion",
            "example.log",
            "--seq",
            "1",
            "--size",
            "3"
        ]),
        Some(2)
    );
    assert_eq!(
        code(&["checkpoint", "example.log", "--key", "k2.key"]),
        Some(2)
    );
    let kept = "example.log.checkpoints/00000000000000000003.note";
    assert!(!d.join(kept).exists());

    let checkpoint = file_block(&tdoc, "text acta-example-checkpoint");
    let args = [
        "checkpoint",
        "example.log",
        "--key",
        "k1.key",
        "--out",
        "checkpoint-3.note",
    ];
    let out = run_in(d, &args);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_of(&out), checkpoint);
    assert_eq!(read(d, kept), checkpoint);
    assert_eq!(read(d, "checkpoint-3.note"), checkpoint);
    assert!(text.contains("keeps the note as `example.log.checkpoints/00000000000000000003.note`"));
    // Signing the same head again keeps the same note.
    assert_eq!(
        code(&["checkpoint", "example.log", "--key", "k1.key"]),
        Some(0)
    );
    // Another note for a kept size is refused, whatever signs it.
    let cps = acta_store::CheckpointDir::for_log(&d.join("example.log"));
    let other = signed_checkpoint(&k1, ORIGIN, 3, &[7; 32]);
    assert!(matches!(
        cps.save(3, &other),
        Err(acta_store::StoreError::CheckpointConflict { .. })
    ));
    assert!(matches!(cps.save(3, &checkpoint), Ok((_, false))));
    assert_eq!(read(d, kept), checkpoint);

    // The tree file, written when the checkpoint opened the log.
    let tree_file = std::fs::read(d.join("example.log.tree")).expect("a tree file");
    let documented: Vec<u8> = labelled(&files_doc(), "text acta-example-tree-file")
        .values()
        .flat_map(|h| unhex(h))
        .collect();
    assert_eq!(tree_file.len(), 128);
    assert_eq!(tree_file, documented);

    // Proofs.
    let out = run_in(d, &["prove", "inclusion", "example.log", "--seq", "1"]);
    assert_eq!(out.status.code(), Some(0));
    let inclusion: serde_json::Value =
        serde_json::from_str(block(&tdoc, "json acta-example-inclusion-proof")).expect("JSON");
    assert_eq!(json_of(&out), inclusion);
    write(d, "inclusion.json", &stdout_of(&out));
    let out = run_in(d, &["prove", "consistency", "example.log", "--from", "2"]);
    assert_eq!(out.status.code(), Some(0));
    let consistency: serde_json::Value =
        serde_json::from_str(block(&tdoc, "json acta-example-consistency-proof")).expect("JSON");
    assert_eq!(json_of(&out), consistency);
    write(d, "consistency.json", &stdout_of(&out));
    assert!(text.contains("`acta prove inclusion example.log --seq 1` prints"));
    assert!(text.contains("`acta prove consistency example.log --from 2` prints"));

    // Checking them offline.
    let lines = example_lines(&doc);
    write(d, "line-1.txt", &format!("{}\n", lines[1]));
    write(d, "line-2.txt", lines[2]);
    write(
        d,
        "checkpoint-2.note",
        &signed_checkpoint(&k1, ORIGIN, 2, &mth(&leaves[..2])),
    );
    write(
        d,
        "fork-2.note",
        &file_block(&tdoc, "text acta-example-fork-checkpoint"),
    );
    let verify_proof = |proof: &str, extra: &[&str]| {
        let mut args = vec!["verify-proof", proof, "--trust", &trust];
        args.extend_from_slice(extra);
        code(&args)
    };
    let cp3 = ["--checkpoint", "checkpoint-3.note"];
    assert_eq!(verify_proof("inclusion.json", &cp3), Some(0));
    let with_entry = |entry: &str| {
        verify_proof(
            "inclusion.json",
            &["--checkpoint", "checkpoint-3.note", "--entry", entry],
        )
    };
    assert_eq!(with_entry("line-1.txt"), Some(0));
    assert_eq!(with_entry("line-2.txt"), Some(1));
    let both = |older: &str| {
        verify_proof(
            "consistency.json",
            &["--checkpoint", older, "--checkpoint", "checkpoint-3.note"],
        )
    };
    assert_eq!(both("checkpoint-2.note"), Some(0));
    assert_eq!(both("fork-2.note"), Some(1));
    assert_eq!(verify_proof("consistency.json", &cp3), Some(2));

    // The bundle.
    let bundle = file_block(&tdoc, "text acta-example-bundle");
    let out = run_in(d, &["prove", "bundle", "example.log", "--seq", "1"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_of(&out), bundle);
    write(d, "entry-1.proof", &bundle);
    let out = run_in(d, &["verify-bundle", "entry-1.proof", "--trust", &trust]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout_of(&out),
        file_block(&tdoc, "text acta-example-bundle-output")
    );
    assert!(text.contains(&format!(
        "`acta verify-bundle entry-1.proof --trust {trust}` exits with status 0"
    )));
    let bundle_code = |name: &str, contents: &str| {
        write(d, name, contents);
        code(&["verify-bundle", name, "--trust", &trust])
    };
    // Step 3 (inclusion) fails for another index or another line; step 4 for a line whose
    // seq is not the index; a bundle without an extra line is not an acta bundle.
    let other_index = bundle.replacen("\nindex 1\n", "\nindex 2\n", 1);
    assert_eq!(bundle_code("index-2.proof", &other_index), Some(1));
    let line_2 = bundle.replacen(&b64(lines[1].as_bytes()), &b64(lines[2].as_bytes()), 1);
    assert_eq!(bundle_code("line-2.proof", &line_2), Some(1));
    let extra_line = format!("extra {}\n", b64(lines[1].as_bytes()));
    let no_extra = bundle.replacen(&extra_line, "", 1);
    assert_ne!(no_extra, bundle);
    assert_eq!(bundle_code("no-extra.proof", &no_extra), Some(2));
    assert_eq!(
        bundle_code(
            "forged.proof",
            &forge_line(&bundle, "\u{2014} test-only-example ")
        ),
        Some(1)
    );
    // The key of the log is enough; another key is not.
    let other_key = example_key(&doc, "test-only-example-2")
        .verifier()
        .to_string();
    assert_eq!(
        code(&["verify-bundle", "entry-1.proof", "--trust", &other_key]),
        Some(1)
    );
    // Step 4: a line that is in the checkpointed tree but whose seq is not its index. The
    // keeper of the damaged copy signed fork-2 over it; its line 1 is the entry with seq 2.
    let fork = Note::parse(file_block(&tdoc, "text acta-example-fork-checkpoint").as_bytes())
        .expect("a note");
    let fork_root = node(&leaves[0], &leaves[2]);
    assert_eq!(
        tree::verify_inclusion(EntryHash(leaves[2]), 1, 2, &[leaves[0]], fork_root),
        Ok(()),
        "steps 2 and 3 pass"
    );
    let misplaced = TlogProof {
        extra: Some(lines[2].as_bytes().to_vec()),
        index: 1,
        proof: vec![leaves[0]],
        checkpoint: fork,
    }
    .to_text()
    .expect("encodes");
    assert_eq!(bundle_code("misplaced.proof", &misplaced), Some(1));
    let out = run_in(d, &["verify-bundle", "misplaced.proof", "--trust", &trust]);
    assert!(stdout_of(&out).starts_with("REJECTED: "));
}

#[test]
fn example_witness_matches_the_binary() {
    let doc = doc();
    let tdoc = tdoc();
    let text = prose(&tdoc);
    let dir = example_dir(&doc);
    let d = dir.path();
    let trust = trust_key(&doc).to_string();
    let leaves = example_leaves(&doc);
    let k1 = example_key(&doc, "test-only-example");
    let k2 = example_key(&doc, "test-only-example-2");
    let code = |args: &[&str]| run_in(d, args).status.code();
    let wkey = labelled(&tdoc, "text acta-example-witness-key");
    let cosigner_text = get(&wkey, "cosigner key").to_owned();

    let out = run_in(d, &["key", "verifier", "--cosigner", "w.key"]);
    assert_eq!(stdout_of(&out), format!("{cosigner_text}\n"));
    let out = run_in(
        d,
        &[
            "checkpoint",
            "example.log",
            "--key",
            "k1.key",
            "--out",
            "checkpoint-3.note",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = run_in(
        d,
        &[
            "prove",
            "consistency",
            "example.log",
            "--from",
            "2",
            "--to",
            "3",
        ],
    );
    write(d, "consistency.json", &stdout_of(&out));
    write(
        d,
        "checkpoint-2.note",
        &signed_checkpoint(&k1, ORIGIN, 2, &mth(&leaves[..2])),
    );
    write(
        d,
        "fork-2.note",
        &file_block(&tdoc, "text acta-example-fork-checkpoint"),
    );
    write(
        d,
        "other-3.note",
        &signed_checkpoint(&k1, ORIGIN, 3, &[7; 32]),
    );
    write(
        d,
        "by-key-2.note",
        &signed_checkpoint(&k2, ORIGIN, 3, &mth(&leaves)),
    );
    let cosign = |state: &str, note: &str, proof: Option<&str>| {
        let mut args = vec![
            "witness",
            "cosign",
            "--key",
            "w.key",
            "--log-key",
            &trust,
            "--state",
            state,
            "--checkpoint",
            note,
        ];
        if let Some(p) = proof {
            args.extend_from_slice(&["--proof", p]);
        }
        // `--first-use` exactly when the state file does not exist yet.
        if !d.join(state).exists() {
            args.push("--first-use");
        }
        run_in(d, &args)
    };

    // Without a state and without --first-use: refused, nothing cosigned or written.
    let out = run_in(
        d,
        &[
            "witness",
            "cosign",
            "--key",
            "w.key",
            "--log-key",
            &trust,
            "--state",
            "w.state",
            "--checkpoint",
            "checkpoint-3.note",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty() && !d.join("w.state").exists());
    assert!(
        prose(&cli_doc())
            .contains("A missing state file is an error unless `--first-use` is given")
    );

    // The first checkpoint is taken on trust; the state is the printed note.
    let before = chrono::Utc::now().timestamp();
    let out = cosign("w.state", "checkpoint-3.note", None);
    let after = chrono::Utc::now().timestamp();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(read(d, "w.state").as_bytes(), &out.stdout[..]);
    let read_state = |name: &str| -> (u64, String) {
        let note = Note::parse(read(d, name).as_bytes()).expect("a note as the state");
        let cp = acta_core::note::Checkpoint::parse(&note.text).expect("a checkpoint");
        (cp.size, BASE64.encode(cp.root))
    };
    let state = read_state("w.state");
    let printed = Note::parse(&out.stdout).expect("a note");
    let documented =
        Note::parse(file_block(&tdoc, "text acta-example-checkpoint").as_bytes()).expect("a note");
    assert_eq!(printed.text, documented.text);
    assert_eq!(printed.signatures.len(), 2);
    assert_eq!(printed.signatures[0], documented.signatures[0]);
    let cosigner: CosignerKey = cosigner_text.parse().expect("a cosigner key");
    let t = note::verify_cosignature(&printed.text, &printed.signatures[1], &cosigner)
        .expect("a valid cosignature");
    assert!((before..=after).contains(&i64::try_from(t).unwrap_or(-1)));

    // Same size and root: cosigned again. Smaller, or another root: refused.
    assert_eq!(
        cosign("w.state", "checkpoint-3.note", None).status.code(),
        Some(0)
    );
    let kept = read(d, "w.state");
    for refused in ["fork-2.note", "checkpoint-2.note", "other-3.note"] {
        let out = cosign("w.state", refused, None);
        assert_eq!(out.status.code(), Some(1), "{refused}");
        assert!(stdout_of(&out).starts_with("REFUSED: "), "{refused}");
    }
    assert_eq!(read(d, "w.state"), kept, "refusals leave the state");
    assert_eq!(read_state("w.state"), state);
    // Not signed by the log's key: refused, even on first use.
    assert_eq!(
        cosign("fresh.state", "by-key-2.note", None).status.code(),
        Some(1)
    );
    assert!(!d.join("fresh.state").exists());
    // Larger: only with a consistency proof that verifies from the state's root.
    assert_eq!(
        cosign("w2.state", "checkpoint-2.note", None).status.code(),
        Some(0)
    );
    assert_eq!(
        cosign("w2.state", "checkpoint-3.note", None).status.code(),
        Some(2)
    );
    assert_eq!(
        cosign("w2.state", "checkpoint-3.note", Some("consistency.json"))
            .status
            .code(),
        Some(0)
    );
    assert_eq!(read_state("w2.state"), state);
    assert_eq!(
        cosign("w3.state", "fork-2.note", None).status.code(),
        Some(0)
    );
    let out = cosign("w3.state", "checkpoint-3.note", Some("consistency.json"));
    assert_eq!(
        out.status.code(),
        Some(1),
        "a witness of fork-2 refuses checkpoint 3"
    );
    assert!(stdout_of(&out).starts_with("REFUSED: "));

    // acta verify with a witness policy.
    let cosigned = file_block(&tdoc, "text acta-example-cosigned-checkpoint");
    write(d, "cosigned.note", &cosigned);
    write(
        d,
        "forged.note",
        &forge_line(&cosigned, "\u{2014} test-only-witness "),
    );
    let verify = |note: &str, policy: &[&str]| {
        let mut args = vec![
            "verify",
            "example.log",
            "--trust",
            &trust,
            "--checkpoint",
            note,
        ];
        args.extend_from_slice(policy);
        code(&args)
    };
    let one = ["--witness", &cosigner_text, "--witness-threshold", "1"];
    assert_eq!(verify("cosigned.note", &one), Some(0));
    assert_eq!(
        verify("cosigned.note", &["--witness", &cosigner_text]),
        Some(0)
    );
    assert_eq!(verify("forged.note", &one), Some(1));
    let zero = ["--witness", &cosigner_text, "--witness-threshold", "0"];
    assert_eq!(verify("forged.note", &zero), Some(1));
    let two = ["--witness", &cosigner_text, "--witness-threshold", "2"];
    assert_eq!(verify("cosigned.note", &two), Some(2));
    assert_eq!(verify("checkpoint-3.note", &one), Some(1), "not cosigned");
    assert_eq!(verify("checkpoint-3.note", &zero), Some(0));
    assert!(text.contains(&format!(
        "`acta verify example.log --trust {trust} --checkpoint cosigned.note --witness {cosigner_text} --witness-threshold 1`, with this note in `cosigned.note`, exits with status 0"
    )));
}

#[test]
fn example_fork_evidence_and_checkpoint_checks_match_the_binary() {
    let doc = doc();
    let tdoc = tdoc();
    let text = prose(&tdoc);
    let dir = example_dir(&doc);
    let d = dir.path();
    let trust = trust_key(&doc).to_string();
    let leaves = example_leaves(&doc);
    let k1 = example_key(&doc, "test-only-example");
    let k2 = example_key(&doc, "test-only-example-2");
    let out = run_in(
        d,
        &[
            "checkpoint",
            "example.log",
            "--key",
            "k1.key",
            "--out",
            "checkpoint-3.note",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    write(
        d,
        "fork-2.note",
        &file_block(&tdoc, "text acta-example-fork-checkpoint"),
    );
    let verify = |notes: &[&str], json: bool| {
        let mut args = vec!["verify", "example.log", "--trust", &trust];
        for n in notes {
            args.extend_from_slice(&["--checkpoint", n]);
        }
        if json {
            args.push("--json");
        }
        run_in(d, &args)
    };

    // Sound against its own checkpoint.
    let out = verify(&["checkpoint-3.note"], true);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(
        (&v["sound"], &v["checkpoints"], &v["checkpoint_problems"]),
        (
            &serde_json::json!(true),
            &serde_json::json!(1),
            &serde_json::json!([])
        )
    );

    // The fork: the documented text output, and the documented finding.
    let pair = ["checkpoint-3.note", "fork-2.note"];
    let out = verify(&pair, false);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout_of(&out),
        file_block(&tdoc, "text acta-example-fork-output")
    );
    assert!(text.contains(&format!(
        "`acta verify example.log --trust {trust} --checkpoint checkpoint-3.note --checkpoint fork-2.note` exits with status 1"
    )));
    let out = verify(&pair, true);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    let finding: serde_json::Value =
        serde_json::from_str(block(&tdoc, "json acta-example-fork-finding")).expect("JSON");
    assert_eq!(v["report"]["findings"], serde_json::json!([finding]));
    assert_eq!(v["report"]["root"], serde_json::json!(b64(&mth(&leaves))));
    assert_eq!(
        (&v["sound"], &v["checkpoints"], &v["checkpoint_problems"]),
        (
            &serde_json::json!(false),
            &serde_json::json!(2),
            &serde_json::json!([])
        )
    );

    // Two notes of one size with different roots: a FORK problem by themselves.
    write(
        d,
        "other-3.note",
        &signed_checkpoint(&k1, ORIGIN, 3, &[7; 32]),
    );
    let out = verify(&["checkpoint-3.note", "other-3.note"], true);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    let problems = v["checkpoint_problems"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .as_str()
            .is_some_and(|p| p.starts_with("FORK: "))
    );

    // A checkpoint beyond the log.
    write(
        d,
        "beyond-5.note",
        &signed_checkpoint(&k1, ORIGIN, 5, &[7; 32]),
    );
    let out = verify(&["beyond-5.note"], true);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json_of(&out)["report"]["findings"],
        serde_json::json!([{
            "entry": 3,
            "offset": 1174,
            "kind": {"finding": "checkpoint_beyond_log", "size": 5, "entries": 3}
        }])
    );

    // Not signed by the trust anchor, or for another origin: checkpoint problems.
    write(
        d,
        "by-key-2.note",
        &signed_checkpoint(&k2, ORIGIN, 3, &mth(&leaves)),
    );
    let out = verify(&["by-key-2.note"], true);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["checkpoints"], serde_json::json!(0));
    assert_eq!(v["checkpoint_problems"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["report"]["findings"], serde_json::json!([]));
    write(
        d,
        "elsewhere.note",
        &signed_checkpoint(&k1, "example.org/another-log", 3, &mth(&leaves)),
    );
    let out = verify(&["elsewhere.note"], true);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["checkpoints"], serde_json::json!(0));
    assert_eq!(v["checkpoint_problems"].as_array().map(Vec::len), Some(1));

    // --checkpoint needs --trust.
    let out = run_in(
        d,
        &["verify", "example.log", "--checkpoint", "checkpoint-3.note"],
    );
    assert_eq!(out.status.code(), Some(2));

    // Only the genesis key signs checkpoints: a key whose roles cover everything does not.
    use std::os::unix::fs::PermissionsExt as _;
    let k3 = SigningKey::from_seed("test-only-checkpointer", [5; 32]).expect("valid name");
    let k3_path = d.join("k3.key");
    std::fs::write(&k3_path, format!("{}\n", k3.to_private_text())).expect("write key");
    std::fs::set_permissions(&k3_path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::fs::copy(d.join("example.log"), d.join("copy.log")).expect("copy");
    let k3_vkey = k3.verifier().to_string();
    let add = [
        "key", "add", "copy.log", "--key", "k1.key", "--add", &k3_vkey, "--roles", "*",
    ];
    assert_eq!(run_in(d, &add).status.code(), Some(0));
    let sign = |key: &str| run_in(d, &["checkpoint", "copy.log", "--key", key]);
    assert_eq!(sign("k2.key").status.code(), Some(2), "roles note.*");
    assert_eq!(
        sign("k3.key").status.code(),
        Some(2),
        "roles *, not the genesis key"
    );
    assert_eq!(sign("k1.key").status.code(), Some(0), "the genesis key");
    let kept = "copy.log.checkpoints/00000000000000000004.note";
    let out = run_in(
        d,
        &[
            "verify",
            "copy.log",
            "--trust",
            &trust,
            "--checkpoint",
            kept,
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text.contains(
        "with the key that signed the log's genesis, and only while the log has not revoked"
    ));
}
