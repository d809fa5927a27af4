//! FORMAT.md cannot drift from the code: its constants, its worked example (keys, key IDs,
//! lines, unsigned bytes, signed messages, signatures, entry hashes), its damaged-copy report
//! and its tables of JSON names are all checked here against acta-core and the `acta` binary.
//!
//! Values are taken from fenced blocks with distinctive info strings (```jsonl
//! acta-example-log, ```text acta-example-key-1, …) and from tables between
//! `<!-- begin NAME -->` / `<!-- end NAME -->` markers.

use std::collections::{BTreeMap, BTreeSet};

use acta_core::entry::{EntryError, signed_message};
use acta_core::json::{self, Profile, Value};
use acta_core::keyring::SystemEventError;
use acta_core::verify::Anchor;
use acta_core::{
    Entry, EntryHash, FindingKind, KeyRef, SigningKey, Verifier, VerifierKey, VerifyOptions,
};
use assert_cmd::Command;

const ORIGIN: &str = "example.org/acta-example";

fn doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/FORMAT.md");
    std::fs::read_to_string(path).expect("FORMAT.md is readable")
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
        "FORMAT.md must have exactly one ```{info} block"
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
                "a FORMAT.md block lacks {label:?}"
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
        assert_eq!(
            block(&doc, &format!("json acta-example-line-{i}")),
            *line,
            "entry {i}: the per-entry line is the log's line"
        );
        let stated = format!(
            "Stored line {i}, at offset {offset} ({} bytes, then",
            line.len()
        );
        assert!(text.contains(&stated), "entry {i}: {stated:?}");

        let d = Entry::decode(line.as_bytes()).expect("the documented line decodes");
        assert_eq!(d.non_canonical_at, None, "entry {i}: the line is canonical");
        assert_eq!(d.entry.seq, i as u64);
        assert_eq!(d.entry.prev, prev, "entry {i}: prev");

        let unsigned = block(&doc, &format!("json acta-example-unsigned-{i}"));
        assert_eq!(unsigned.as_bytes(), d.unsigned, "entry {i}: unsigned bytes");

        // The display shows each 0x0A as `\n` followed by a line break.
        let shown = block(&doc, &format!("text acta-example-message-{i}"));
        let message = shown.replace("\\n\n", "\n");
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

fn acta() -> Command {
    Command::cargo_bin("acta").expect("the acta binary is built for integration tests")
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

#[test]
#[ignore]
fn zz_generate() {
    use acta_core::note;
    use acta_core::tree::{self, MemoryTree};
    use base64::Engine as _;
    let b64 = |h: &[u8]| base64::engine::general_purpose::STANDARD.encode(h);
    let doc = doc();
    let lines = example_lines(&doc);
    let leaves: Vec<EntryHash> = lines.iter().map(|l| EntryHash::of_line(l.as_bytes())).collect();
    let t = MemoryTree::from_leaves(leaves.clone());
    for (i, h) in t.stored_hashes().iter().enumerate() {
        println!("stored {i}: {} {}", hex(h), b64(h));
    }
    for s in 0..=3 {
        let r = t.root_at(s).unwrap();
        println!("root {s}: {} {}", hex(&r), b64(&r));
    }
    println!("empty: {}", hex(&tree::empty_root()));
    let incl = t.prove_inclusion(3, 1).unwrap();
    println!("incl 1 in 3: {:?}", incl.iter().map(|h| b64(h)).collect::<Vec<_>>());
    let cons = t.prove_consistency(2, 3).unwrap();
    println!("cons 2->3: {:?}", cons.iter().map(|h| b64(h)).collect::<Vec<_>>());
    let cons = t.prove_consistency(1, 3).unwrap();
    println!("cons 1->3: {:?}", cons.iter().map(|h| b64(h)).collect::<Vec<_>>());
    let keys = example_keys(&doc);
    let k1 = keys.values().find(|k| k.name() == "test-only-example").unwrap();
    let cp = note::Checkpoint { origin: ORIGIN.into(), size: 3, root: t.root(), extensions: vec![] };
    let text = cp.to_text().unwrap();
    let signed = note::sign_note(&text, k1).unwrap();
    println!("NOTE:\n{signed}END");
    let sig = k1.sign(text.as_bytes());
    println!("note sig hex {}", hex(&sig));
    let w = SigningKey::from_seed("test-only-witness", [3u8; 32]).unwrap();
    let c = note::CosignerKey::from_signing_key(&w);
    println!("witness pub {} cosigner {} private {}", hex(&c.public_bytes()), c, w.to_private_text());
    println!("witness verifier {}", w.verifier());
    let cs = note::cosign(&text, &w, 1764147600).unwrap();
    let mut n = note::Note::parse(signed.as_bytes()).unwrap();
    n.signatures.push(cs.clone());
    println!("COSIGNED:\n{}END", n.to_text().unwrap());
    println!("cosig bytes hex {}", hex(&cs.bytes));
    let msg = note::cosignature_message(&text, 1764147600);
    println!("msg {:?}", String::from_utf8(msg).unwrap());
    let bundle = note::TlogProof { extra: Some(lines[1].as_bytes().to_vec()), index: 1, proof: incl.clone(), checkpoint: note::Note::parse(signed.as_bytes()).unwrap() };
    println!("BUNDLE:\n{}END", bundle.to_text().unwrap());
    // fork: root of damaged copy at size 2
    let dt = MemoryTree::from_leaves([leaves[0], leaves[2]]);
    let fork = note::Checkpoint { origin: ORIGIN.into(), size: 2, root: dt.root(), extensions: vec![] };
    println!("FORK:\n{}END", note::sign_note(&fork.to_text().unwrap(), k1).unwrap());
}
