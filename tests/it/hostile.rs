//! Hostile input, through the real binary: every case is rejected with an error that names the
//! problem, exit code 1 (a verification finding, or an artifact that does not verify) or 2
//! (refused input), no panic (no "panicked" on stderr, never exit 101), and — for writing
//! commands — nothing written: the log, its tree file and its checkpoints are byte-identical
//! before and after.
//!
//! Also: private key material never appears in any command's output.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use acta_core::entry::NewEntry;
use acta_core::json::{Object, Value};
use acta_core::key::KeyId;
use acta_core::{EntryHash, Genesis, Roles, SigningKey};
use acta_store::{LogError, LogWriter};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::support::{self, Out, write_private};

const ORIGIN: &str = "example.org/hostile";

/// The order of the Ed25519 group, L = 2^252 + 27742317777372353535851937790883648493,
/// little-endian.
const GROUP_ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

// ---------------------------------------------------------------------------------------------
// Keys, logs and running acta
// ---------------------------------------------------------------------------------------------

/// A seed that looks random (so that a leak of it cannot be mistaken for anything else).
fn seed(k: u8) -> [u8; 32] {
    std::array::from_fn(|i| (i as u8).wrapping_mul(73).wrapping_add(k.wrapping_mul(29)) ^ 0xa5)
}

fn op() -> SigningKey {
    SigningKey::from_seed("test-only-hostile-op", seed(1)).expect("valid name")
}

fn clerk() -> SigningKey {
    SigningKey::from_seed("test-only-hostile-clerk", seed(2)).expect("valid name")
}

fn stranger() -> SigningKey {
    SigningKey::from_seed("test-only-hostile-stranger", seed(3)).expect("valid name")
}

fn witness() -> SigningKey {
    SigningKey::from_seed("test-only-hostile-witness", seed(4)).expect("valid name")
}

fn time(minute: u32) -> String {
    format!("2025-11-26T09:{minute:02}:00Z")
}

fn now(minute: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(&time(minute))
        .expect("valid time")
        .with_timezone(&chrono::Utc)
}

fn text(s: &str) -> Object {
    let mut o = Object::new();
    o.insert("text", Value::String(s.to_owned()));
    o
}

/// An entry line signed by `key` for [`ORIGIN`], with anything as its data.
fn signed_line(
    key: &SigningKey,
    seq: u64,
    prev: EntryHash,
    entry_type: &str,
    data: &Object,
) -> Vec<u8> {
    NewEntry {
        seq,
        prev,
        recorded_at: &time(seq as u32),
        entry_type,
        data,
    }
    .sign(ORIGIN, key)
    .expect("sign")
}

/// Runs acta in `dir`, its standard input `stdin` (otherwise `/dev/null`).
fn run_in(dir: &Path, args: &[OsString], stdin: Option<Stdio>) -> Out {
    let cmd = support::acta().current_dir(dir).args(args);
    match stdin {
        Some(stdin) => cmd.stdin(stdin),
        None => cmd,
    }
    .run()
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// Asserts a rejection: no panic, an exit code in `codes`, and every needle in the output.
fn assert_rejected(o: &Out, what: &str, codes: &[i32], needles: &[&str]) {
    assert!(
        !o.stderr.contains("panicked"),
        "{what}: panicked:\n{}",
        o.stderr
    );
    assert_ne!(o.code, 101, "{what}: exit 101");
    assert!(
        codes.contains(&o.code),
        "{what}: exit code {:?}, expected one of {codes:?}\nstdout:\n{}\nstderr:\n{}",
        o.code,
        o.stdout,
        o.stderr
    );
    let all = o.all();
    for n in needles {
        assert!(all.contains(n), "{what}: output lacks {n:?}:\n{all}");
    }
}

fn assert_ok(o: &Out, what: &str) {
    assert_eq!(
        o.code, 0,
        "{what} failed\nstdout:\n{}\nstderr:\n{}",
        o.stdout, o.stderr
    );
}

/// The bytes a writing command must leave alone.
#[derive(PartialEq, Eq)]
struct Snapshot {
    log: Option<Vec<u8>>,
    tree: Option<Vec<u8>>,
    checkpoints: Vec<(String, Vec<u8>)>,
}

impl std::fmt::Debug for Snapshot {
    /// Lengths and short hashes: the bytes themselves can be megabytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let short = |b: &Option<Vec<u8>>| {
            b.as_ref()
                .map(|b| format!("{} bytes, {}", b.len(), EntryHash::of_line(b).short()))
        };
        let cps: Vec<String> = self
            .checkpoints
            .iter()
            .map(|(n, b)| format!("{n}: {} bytes", b.len()))
            .collect();
        f.debug_struct("Snapshot")
            .field("log", &short(&self.log))
            .field("tree", &short(&self.tree))
            .field("checkpoints", &cps)
            .finish()
    }
}

/// A temp dir with key files (op.key, clerk.key, stranger.key, witness.key, all 0600) and
/// `x.log`: a genesis by the operator and two notes, written with the library.
struct Env {
    dir: tempfile::TempDir,
    vkey: String,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        for (file, key) in [
            ("op.key", op()),
            ("clerk.key", clerk()),
            ("stranger.key", stranger()),
            ("witness.key", witness()),
        ] {
            write_private(&dir.path().join(file), &key, 0o600);
        }
        let genesis = Genesis {
            origin: ORIGIN.into(),
            keys: vec![(op().verifier(), Roles::all())],
            domain: None,
        };
        let mut w =
            LogWriter::create(dir.path().join("x.log"), &genesis, &op(), now(0)).expect("create");
        w.append(&op(), "test.note", &text("one"), now(1))
            .expect("append");
        w.append(&op(), "test.note", &text("two"), now(2))
            .expect("append");
        let vkey = op().verifier().to_string();
        std::fs::write(dir.path().join("op.vkey"), format!("{vkey}\n")).expect("write");
        Env { dir, vkey }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Out {
        run_in(self.dir.path(), &os(args), None)
    }

    fn run_os(&self, args: &[OsString]) -> Out {
        run_in(self.dir.path(), args, None)
    }

    fn run_stdin(&self, args: &[&str], stdin: &[u8]) -> Out {
        let path = self.path("stdin.bin");
        std::fs::write(&path, stdin).expect("write stdin");
        let f = std::fs::File::open(&path).expect("open stdin");
        run_in(self.dir.path(), &os(args), Some(Stdio::from(f)))
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.path(name), bytes).expect("write");
    }

    fn snapshot(&self, log: &str) -> Snapshot {
        let log = self.path(log);
        let read = |p: &Path| std::fs::read(p).ok();
        let tree = acta_store::TreeFile::path_for(&log);
        let mut cps = log.as_os_str().to_owned();
        cps.push(".checkpoints");
        let mut checkpoints: Vec<(String, Vec<u8>)> = std::fs::read_dir(PathBuf::from(cps))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| {
                        (
                            e.file_name().to_string_lossy().into_owned(),
                            std::fs::read(e.path()).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        checkpoints.sort();
        Snapshot {
            log: read(&log),
            tree: read(&tree),
            checkpoints,
        }
    }

    /// Runs a writing command that must be refused with exit 2, naming `needles`, leaving
    /// `x.log` and everything beside it untouched.
    fn refused(&self, what: &str, args: &[&str], needles: &[&str]) -> Out {
        self.refused_os(what, &os(args), needles)
    }

    fn refused_os(&self, what: &str, args: &[OsString], needles: &[&str]) -> Out {
        let before = self.snapshot("x.log");
        let o = self.run_os(args);
        assert_rejected(&o, what, &[2], needles);
        assert!(o.stdout.is_empty(), "{what}: printed {}", o.stdout);
        assert_eq!(self.snapshot("x.log"), before, "{what}: wrote something");
        o
    }

    fn lines(&self) -> Vec<Vec<u8>> {
        let bytes = std::fs::read(self.path("x.log")).expect("read");
        bytes
            .strip_suffix(b"\n")
            .expect("ends with a newline")
            .split(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    }

    fn write_log(&self, name: &str, lines: &[Vec<u8>]) {
        let mut bytes = Vec::new();
        for l in lines {
            bytes.extend_from_slice(l);
            bytes.push(b'\n');
        }
        self.write(name, bytes);
    }

    /// `acta verify LOG --trust KEY --json`: the exit code and the findings as
    /// (entry, kind, the whole finding as JSON text).
    fn findings(&self, log: &str) -> (i32, Vec<(u64, String, String)>) {
        let o = self.run(&["verify", log, "--trust", &self.vkey, "--json"]);
        assert!(!o.stderr.contains("panicked"), "{log}: {}", o.stderr);
        let parsed = serde_json::from_str::<serde_json::Value>(&o.stdout);
        assert!(
            parsed.is_ok(),
            "{log}: not a JSON report: {}{}",
            o.stdout,
            o.stderr
        );
        let v = parsed.expect("checked");
        let findings = v["report"]["findings"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .map(|f| {
                        (
                            f["entry"].as_u64().unwrap_or(u64::MAX),
                            f["kind"]["finding"].as_str().unwrap_or("").to_owned(),
                            f.to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        (o.code, findings)
    }

    /// Writes `lines` as `name` and asserts that verifying it exits 1 with a finding of `kind`
    /// at `entry` whose JSON mentions every needle.
    fn assert_finding(
        &self,
        name: &str,
        lines: &[Vec<u8>],
        entry: u64,
        kind: &str,
        needles: &[&str],
    ) {
        self.write_log(name, lines);
        let (code, findings) = self.findings(name);
        assert_eq!(code, 1, "{name}: {findings:?}");
        let found = findings.iter().find(|(e, k, _)| *e == entry && k == kind);
        assert!(
            found.is_some(),
            "{name}: no {kind} finding at entry {entry}: {findings:?}"
        );
        let (_, _, json) = found.expect("checked");
        for n in needles {
            assert!(json.contains(n), "{name}: {json} lacks {n:?}");
        }
        // The text report says the same, and `show` copes with the line too.
        let o = self.run(&["verify", name, "--trust", &self.vkey]);
        assert_rejected(
            &o,
            name,
            &[1],
            &["NOT SOUND", &format!("entry {entry} (byte ")],
        );
        let o = self.run(&["show", name]);
        assert!(
            !o.stderr.contains("panicked") && o.code != 101,
            "show {name}: {}",
            o.stderr
        );
    }
}

/// `NAME+ID` and the base64 key of a key text `NAME+ID+BASE64` (the base64 may contain '+').
fn key_parts(text: &str) -> (&str, &str) {
    let mut parts = text.splitn(3, '+');
    let name = parts.next().expect("a name");
    let id = parts.next().expect("NAME+ID+KEY");
    let b64 = parts.next().expect("NAME+ID+KEY");
    (&text[..name.len() + 1 + id.len()], b64)
}

/// `line` with the first occurrence of `from` replaced by `to`.
fn replace(line: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = line.windows(from.len()).position(|w| w == from);
    assert!(
        at.is_some(),
        "{:?} is not in the line",
        String::from_utf8_lossy(from)
    );
    let at = at.expect("checked");
    let mut out = line[..at].to_vec();
    out.extend_from_slice(to);
    out.extend_from_slice(&line[at + from.len()..]);
    out
}

/// The `sig` member's value in a canonical entry line.
fn sig_of(line: &[u8]) -> String {
    let s = std::str::from_utf8(line).expect("utf-8");
    let start = s.find("\"sig\":\"").expect("has sig") + 7;
    s[start..start + 88].to_owned()
}

/// Adds the group order L to the 32-byte little-endian scalar at `s`: the same value mod L, so
/// a signature that a lax verifier still accepts, but not canonical.
fn add_group_order(s: &mut [u8]) {
    assert_eq!(s.len(), 32);
    let mut carry = 0u16;
    for (b, l) in s.iter_mut().zip(GROUP_ORDER) {
        let sum = u16::from(*b) + u16::from(l) + carry;
        *b = (sum & 0xff) as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0, "S + L fits in 256 bits");
}

/// `b64` with the lowest bit of its character `from_end` places from the end set: for a
/// character whose low bits are unused, a non-canonical encoding of the same bytes.
fn with_unused_bit_set(b64: &str, from_end: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut chars = b64.as_bytes().to_vec();
    let at = chars.len() - from_end;
    let pos = ALPHABET
        .iter()
        .position(|&c| c == chars[at])
        .expect("a base64 character");
    assert_eq!(pos & 1, 0, "the unused bits of canonical base64 are zero");
    chars[at] = ALPHABET[pos | 1];
    String::from_utf8(chars).expect("ascii")
}

/// A verifier key text with an arbitrary 32-byte public key (and the key id that matches it).
fn verifier_text(name: &str, public: &[u8]) -> String {
    let id = <[u8; 32]>::try_from(public).map_or(KeyId([0, 0, 0, 0]), |p| KeyId::compute(name, &p));
    let mut raw = vec![0x01];
    raw.extend_from_slice(public);
    format!("{name}+{id}+{}", B64.encode(raw))
}

fn key_add_data(key_text: &str) -> Object {
    let mut o = Object::new();
    o.insert("key", Value::String(key_text.to_owned()));
    o.insert("roles", Value::Array(vec![Value::String("*".into())]));
    o
}

fn hex32(s: &str) -> Vec<u8> {
    (0..32)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Bytes: UTF-8, JSON, numbers, size, nesting
// ---------------------------------------------------------------------------------------------

fn append_args(data: &str) -> Vec<&str> {
    vec![
        "append",
        "x.log",
        "--key",
        "op.key",
        "--type",
        "test.note",
        "--data",
        data,
    ]
}

#[test]
fn non_utf8_bytes_are_refused_in_arguments_files_stdin_imports_and_log_lines() {
    let env = Env::new();
    let bad: &[u8] = b"{\"text\":\"caf\xe9\"}";
    // As a command-line argument (clap refuses it before acta sees it).
    let mut args = os(&append_args("-"));
    args[7] = OsStr::from_bytes(bad).to_owned();
    env.refused_os("--data non-UTF-8 argument", &args, &["invalid UTF-8"]);
    // As @FILE and on standard input.
    env.write("bad.json", bad);
    env.refused(
        "--data @file",
        &append_args("@bad.json"),
        &["bad.json", "invalid UTF-8"],
    );
    let before = env.snapshot("x.log");
    let o = env.run_stdin(&append_args("-"), bad);
    assert_rejected(&o, "--data -", &[2], &["standard input", "invalid UTF-8"]);
    assert_eq!(env.snapshot("x.log"), before);
    // In an import file: the line is named, nothing is imported.
    let mut events = b"{\"type\":\"test.a\",\"data\":{}}\n{\"type\":\"test.b\",\"data\":".to_vec();
    events.extend_from_slice(bad);
    events.extend_from_slice(b"}\n");
    env.write("bad.jsonl", &events);
    env.refused(
        "import",
        &["import", "x.log", "--key", "op.key", "bad.jsonl"],
        &["bad.jsonl line 2", "invalid UTF-8", "nothing was imported"],
    );
    // In a trust anchor file and a signed note.
    let mut vkey = env.vkey.clone().into_bytes();
    vkey.push(0xff);
    env.write("bad.vkey", &vkey);
    let o = env.run(&["verify", "x.log", "--trust", "@bad.vkey"]);
    assert_rejected(&o, "--trust @non-UTF-8", &[2], &["bad.vkey", "UTF-8"]);
    // In a log line: a finding at that entry.
    let mut lines = env.lines();
    lines[1] = replace(&lines[1], b"\"one\"", b"\"\xffne\"");
    env.assert_finding("utf8.log", &lines, 1, "malformed", &["invalid UTF-8"]);
}

#[test]
fn duplicate_keys_are_refused_in_data_imports_and_log_lines() {
    let env = Env::new();
    for data in [
        r#"{"a":1,"a":2}"#,
        r#"{"a":1,"\u0061":2}"#,
        r#"{"x":{"b":[],"b":[]}}"#,
    ] {
        env.refused(data, &append_args(data), &["duplicate object key"]);
    }
    env.write(
        "dup.jsonl",
        "{\"type\":\"test.a\",\"data\":{}}\n{\"type\":\"test.a\",\"type\":\"test.b\",\"data\":{}}\n",
    );
    env.refused(
        "import",
        &["import", "x.log", "--key", "op.key", "dup.jsonl"],
        &["dup.jsonl line 2", "duplicate object key"],
    );
    let mut lines = env.lines();
    lines[2] = replace(
        &lines[2],
        br#"{"text":"two"}"#,
        br#"{"text":"two","text":"two"}"#,
    );
    env.assert_finding("dup.log", &lines, 2, "malformed", &["duplicate object key"]);
}

#[test]
fn non_canonical_log_lines_are_findings_even_when_the_signature_verifies() {
    let env = Env::new();
    let cases: Vec<(&str, usize, &[u8], &[u8])> = vec![
        ("space", 1, b"{\"author\"", b"{ \"author\""),
        ("escaped letter", 2, b"\"two\"", b"\"tw\\u006f\""),
        (
            "escaped slash",
            0,
            b"example.org/hostile",
            b"example.org\\/hostile",
        ),
        (
            "members out of order",
            1,
            b"\"type\":\"test.note\",\"v\":1}",
            b"\"v\":1,\"type\":\"test.note\"}",
        ),
        ("leading zero", 1, b"\"seq\":1,", b"\"seq\":01,"),
        ("negative zero", 1, b"\"seq\":1,", b"\"seq\":-0,"),
    ];
    for (name, entry, from, to) in cases {
        let mut lines = env.lines();
        lines[entry] = replace(&lines[entry], from, to);
        // A leading zero is not JSON at all; the others parse but are not canonical.
        let kind = if name == "leading zero" {
            "malformed"
        } else {
            "not_canonical"
        };
        env.assert_finding(
            &format!("{}.log", name.replace(' ', "_")),
            &lines,
            entry as u64,
            kind,
            &[],
        );
    }
    // A CRLF line ending: the carriage return is part of the line, which is then not canonical.
    let mut lines = env.lines();
    lines[2].push(b'\r');
    env.assert_finding("crlf.log", &lines, 2, "not_canonical", &[]);
}

#[test]
fn floats_and_integers_beyond_2_pow_53_are_refused() {
    let env = Env::new();
    for (data, needle) in [
        (r#"{"a":1.5}"#, "only integers"),
        (r#"{"a":1.0}"#, "only integers"),
        (r#"{"a":1e2}"#, "only integers"),
        (r#"{"a":9007199254740992}"#, "2^53"),
        (r#"{"a":-9007199254740992}"#, "2^53"),
        (r#"{"a":123456789012345678901234567890}"#, "2^53"),
        (r#"{"a":[1,2,3e400]}"#, "only integers"),
    ] {
        env.refused(data, &append_args(data), &[needle]);
    }
    env.write(
        "num.jsonl",
        "{\"type\":\"test.a\",\"data\":{\"n\":9007199254740991}}\n{\"type\":\"test.a\",\"data\":{\"n\":9007199254740993}}\n",
    );
    env.refused(
        "import",
        &["import", "x.log", "--key", "op.key", "num.jsonl"],
        &["num.jsonl line 2", "2^53"],
    );
    let mut lines = env.lines();
    lines[2] = replace(&lines[2], b"\"seq\":2,", b"\"seq\":2.0,");
    env.assert_finding("float.log", &lines, 2, "malformed", &["only integers"]);
    let mut lines = env.lines();
    lines[2] = replace(
        &lines[2],
        br#"{"text":"two"}"#,
        br#"{"n":9007199254740992}"#,
    );
    env.assert_finding("big.log", &lines, 2, "malformed", &["2^53"]);
    // The largest safe integer itself is fine.
    assert_ok(
        &env.run(&append_args(r#"{"n":9007199254740991}"#)),
        "2^53 - 1",
    );
}

#[test]
fn oversized_input_is_refused_and_oversized_log_lines_are_too_long_findings() {
    let env = Env::new();
    let limit = acta_core::MAX_ENTRY_BYTES;
    let big = format!(r#"{{"text":"{}"}}"#, "x".repeat(limit));
    env.write("big.json", &big);
    env.refused(
        "--data @file over 1 MiB",
        &append_args("@big.json"),
        &["big.json", "limit"],
    );
    let before = env.snapshot("x.log");
    let o = env.run_stdin(&append_args("-"), big.as_bytes());
    assert_rejected(
        &o,
        "--data - over 1 MiB",
        &[2],
        &["standard input", "limit"],
    );
    assert_eq!(env.snapshot("x.log"), before);
    // Data under the limit whose signed entry is over it.
    let almost = format!(r#"{{"text":"{}"}}"#, "x".repeat(limit - 100));
    env.write("almost.json", &almost);
    env.refused("entry over 1 MiB", &append_args("@almost.json"), &["limit"]);
    // An import line over the limit, after a good one.
    env.write(
        "big.jsonl",
        format!("{{\"type\":\"test.a\",\"data\":{{}}}}\n{{\"type\":\"test.a\",\"data\":{big}}}\n"),
    );
    env.refused(
        "import",
        &["import", "x.log", "--key", "op.key", "big.jsonl"],
        &["big.jsonl line 2", "entry limit"],
    );
    // A log line over the limit: a finding, and the next line is still checked.
    let mut lines = env.lines();
    lines.insert(2, vec![b'x'; limit + 1]);
    env.assert_finding(
        "long.log",
        &lines,
        2,
        "too_long",
        &["\"len\":1048577", "\"limit\":1048576"],
    );
    // …and writers refuse to build on such a log, or on one that ends with such a line.
    std::fs::copy(env.path("long.log"), env.path("x.log")).expect("copy");
    env.refused(
        "append after a too-long line",
        &append_args("{}"),
        &["exceeds the 1048576-byte"],
    );
    let mut lines = env.lines();
    lines.truncate(2);
    lines.push(vec![b'y'; limit + 1]);
    env.write_log("x.log", &lines);
    let o = env.run(&["head", "x.log"]);
    assert_rejected(
        &o,
        "head on a too-long last line",
        &[2],
        &["longer than 1048576 bytes"],
    );
    env.refused(
        "append after a too-long last line",
        &append_args("{}"),
        &["1048576"],
    );
}

#[test]
fn deep_nesting_is_refused_without_exhausting_the_stack() {
    let env = Env::new();
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let arrays = format!(r#"{{"a":{}}}"#, deep(100_000));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(100_000), "}".repeat(100_000));
    let unclosed = format!(r#"{{"a":{}"#, "[".repeat(100_000));
    for (name, data) in [
        ("arrays", &arrays),
        ("objects", &objects),
        ("unclosed", &unclosed),
    ] {
        env.write("deep.json", data);
        env.refused(
            name,
            &append_args("@deep.json"),
            &["nesting deeper than 64 levels"],
        );
    }
    // The entry wraps the data one level down, so data may nest 63 levels, not 64: the writer
    // must not write an entry that the verifier would refuse.
    let at = |levels: usize| format!(r#"{{"a":{}}}"#, deep(levels - 1));
    env.refused(
        "65 levels",
        &append_args(&at(65)),
        &["nesting deeper than 64"],
    );
    env.refused(
        "64 levels",
        &append_args(&at(64)),
        &["nesting deeper than 64"],
    );
    env.write(
        "deep.jsonl",
        format!("{{\"type\":\"test.a\",\"data\":{arrays}}}\n"),
    );
    env.refused(
        "import",
        &["import", "x.log", "--key", "op.key", "deep.jsonl"],
        &["deep.jsonl line 1", "nesting deeper than 64"],
    );
    // A log line.
    let mut lines = env.lines();
    lines[2] = replace(&lines[2], br#"{"text":"two"}"#, arrays.as_bytes());
    env.assert_finding(
        "deep.log",
        &lines,
        2,
        "malformed",
        &["nesting deeper than 64"],
    );
    // A proof file and a witness state file are JSON too.
    env.write("deep.proof", deep(100_000));
    let o = env.run(&[
        "verify-proof",
        "deep.proof",
        "--trust",
        &env.vkey,
        "--checkpoint",
        "x.note",
    ]);
    assert_rejected(&o, "verify-proof of a deep proof", &[2], &["deep.proof"]);
    assert_ok(&env.run(&append_args(&at(63))), "63 levels");
}

#[test]
fn raw_control_characters_are_refused_in_json_names_types_and_origins() {
    let env = Env::new();
    env.refused(
        "raw U+0001 in data",
        &append_args("{\"a\":\"\u{1}\"}"),
        &["control character U+0001"],
    );
    env.refused(
        "raw tab in data",
        &append_args("{\"a\":\"\t\"}"),
        &["control character U+0009"],
    );
    env.refused(
        "lone surrogate",
        &append_args(r#"{"a":"\ud800"}"#),
        &["surrogate"],
    );
    env.refused("byte order mark", &append_args("\u{feff}{}"), &["--data"]);
    env.refused(
        "type with a control character",
        &[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "test.\u{1}",
            "--data",
            "{}",
        ],
        &["type"],
    );
    env.refused(
        "revoke a name with a control character",
        &[
            "key",
            "revoke",
            "x.log",
            "--key",
            "op.key",
            "--revoke",
            "a\u{1}b+01234567",
        ],
        &["--revoke"],
    );
    let o = env.run(&[
        "init",
        "y.log",
        "--origin",
        "example.org/\u{7}",
        "--key",
        "op.key",
    ]);
    assert_rejected(&o, "origin with a control character", &[2], &["origin"]);
    assert!(!env.path("y.log").exists());
    let o = env.run(&["key", "generate", "--name", "a\u{1}b", "--out", "n.key"]);
    assert_rejected(&o, "key name with a control character", &[2], &["--name"]);
    assert!(!env.path("n.key").exists());
    // In a log line.
    let mut lines = env.lines();
    lines[1] = replace(&lines[1], b"\"one\"", b"\"o\x01e\"");
    env.assert_finding("ctl.log", &lines, 1, "malformed", &["control character"]);
    let mut lines = env.lines();
    lines[1] = replace(&lines[1], b"\"one\"", b"\"\\ud800\"");
    env.assert_finding("surrogate.log", &lines, 1, "malformed", &["surrogate"]);
    let mut lines = env.lines();
    lines[0].splice(0..0, [0xef, 0xbb, 0xbf]);
    env.assert_finding("bom.log", &lines, 0, "malformed", &[]);
}

// ---------------------------------------------------------------------------------------------
// Keys and signatures
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_and_wrong_length_verifier_keys_are_refused() {
    let env = Env::new();
    let (prefix, b64) = key_parts(&env.vkey);
    let raw = B64.decode(b64).expect("base64");
    let cases: Vec<(String, &str)> = vec![
        (format!("{prefix}+{}!", &b64[..b64.len() - 1]), "base64"),
        (format!("{prefix}+{}=", b64), "base64"),
        (format!("{prefix}+{} {}", &b64[..20], &b64[20..]), "base64"),
        (format!("{prefix}+{}-", &b64[..b64.len() - 1]), "base64"),
        // A 31-byte public key, and a 33-byte one.
        (
            format!("{prefix}+{}", B64.encode(&raw[..32])),
            "32 bytes; expected 33",
        ),
        (
            format!("{prefix}+{}", B64.encode([&raw[..], &[0]].concat())),
            "34 bytes; expected 33",
        ),
        (verifier_text("short", &[7; 31]), "32 bytes; expected 33"),
        // Another algorithm byte.
        (
            format!("{prefix}+{}", B64.encode([&[0x04], &raw[1..]].concat())),
            "algorithm 0x04",
        ),
        // The key id of another key.
        (
            format!("{}+00000000+{b64}", op().name()),
            "does not match the key",
        ),
    ];
    for (text, needle) in &cases {
        let o = env.run(&["verify", "x.log", "--trust", text]);
        assert_rejected(&o, text, &[2], &["--trust", needle]);
        env.refused(
            text,
            &[
                "key", "add", "x.log", "--key", "op.key", "--add", text, "--roles", "*",
            ],
            &["--add", needle],
        );
    }
    // In the log: an acta.key.add of a 31-byte key, signed by the operator, is a finding; the
    // writer refuses to write it.
    let mut lines = env.lines();
    let short = verifier_text("short", &[7; 31]);
    let prev = EntryHash::of_line(lines.last().expect("lines"));
    lines.push(signed_line(
        &op(),
        3,
        prev,
        "acta.key.add",
        &key_add_data(&short),
    ));
    env.assert_finding(
        "short-key.log",
        &lines,
        3,
        "bad_key_event",
        &["expected 33"],
    );
    let before = env.snapshot("x.log");
    let mut w = LogWriter::open(env.path("x.log"), &op()).expect("open");
    let err = w
        .append(&op(), "acta.key.add", &key_add_data(&short), now(9))
        .expect_err("refused");
    assert!(matches!(err, LogError::Refused { .. }), "{err:?}");
    drop(w);
    assert_eq!(env.snapshot("x.log"), before);
}

#[test]
fn small_order_public_keys_are_refused_as_trust_anchors_and_in_the_keyring() {
    let env = Env::new();
    // Canonical encodings of points of order 1, 2, 4 and 8.
    let small_order = [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    ];
    // Non-canonical encodings of the identity (y = 1 with the sign bit; y = p + 1).
    let non_canonical = [
        "0100000000000000000000000000000000000000000000000000000000000080",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ];
    let cases = small_order.iter().map(|h| (*h, "small order")).chain(
        non_canonical
            .iter()
            .map(|h| (*h, "not a valid Ed25519 point")),
    );
    for (hex, needle) in cases {
        let text = verifier_text("weak", &hex32(hex));
        let o = env.run(&["verify", "x.log", "--trust", &text]);
        assert_rejected(&o, hex, &[2], &["--trust", needle]);
        env.refused(
            hex,
            &[
                "key", "add", "x.log", "--key", "op.key", "--add", &text, "--roles", "*",
            ],
            &[needle],
        );
    }
    // The identity in an acta.key.add crafted with the library and signed by the operator: a
    // finding, and an entry "signed" by it afterwards is not accepted either.
    let identity = verifier_text("weak", &hex32(small_order[0]));
    let mut lines = env.lines();
    let prev = EntryHash::of_line(lines.last().expect("lines"));
    lines.push(signed_line(
        &op(),
        3,
        prev,
        "acta.key.add",
        &key_add_data(&identity),
    ));
    env.assert_finding("weak.log", &lines, 3, "bad_key_event", &["small order"]);
    let before = env.snapshot("x.log");
    let mut w = LogWriter::open(env.path("x.log"), &op()).expect("open");
    let err = w
        .append(&op(), "acta.key.add", &key_add_data(&identity), now(9))
        .expect_err("refused");
    assert!(matches!(err, LogError::Refused { .. }), "{err:?}");
    drop(w);
    assert_eq!(env.snapshot("x.log"), before);
    // A witness (cosigner) key of small order.
    let mut raw = vec![0x04];
    raw.extend_from_slice(&hex32(small_order[0]));
    let id =
        acta_core::note::cosigner_key_id("weak", &<[u8; 32]>::try_from(&raw[1..]).expect("32"));
    let cosigner = format!("weak+{id}+{}", B64.encode(raw));
    let o = env.run(&[
        "verify",
        "x.log",
        "--trust",
        &env.vkey,
        "--witness",
        &cosigner,
    ]);
    assert_rejected(
        &o,
        "small-order witness",
        &[2],
        &["--witness", "small order"],
    );
}

#[test]
fn wrong_length_non_canonical_and_malleable_entry_signatures_are_findings() {
    let env = Env::new();
    let lines = env.lines();
    let sig = sig_of(&lines[2]);
    let raw = B64.decode(&sig).expect("base64");
    let with_sig = |entry: usize, new: String| {
        let mut l = env.lines();
        l[entry] = replace(&l[entry], sig_of(&l[entry]).as_bytes(), new.as_bytes());
        l
    };
    env.assert_finding(
        "sig63.log",
        &with_sig(2, B64.encode(&raw[..63])),
        2,
        "malformed",
        &["sig", "64 bytes"],
    );
    env.assert_finding(
        "sig65.log",
        &with_sig(2, B64.encode([&raw[..], &[0]].concat())),
        2,
        "malformed",
        &["sig", "64 bytes"],
    );
    // The same 64 bytes with non-zero unused bits in the last base64 character: not canonical
    // base64, so not a signature.
    env.assert_finding(
        "sigbits.log",
        &with_sig(2, with_unused_bit_set(&sig, 3)),
        2,
        "malformed",
        &["sig", "base64"],
    );
    // S + L: the same signature to a lax verifier; not to acta's (strict, canonical S).
    let malleate = |sig: &str| {
        let mut raw = B64.decode(sig).expect("base64");
        add_group_order(&mut raw[32..]);
        B64.encode(raw)
    };
    let lines = with_sig(2, malleate(&sig));
    env.assert_finding("malleable.log", &lines, 2, "bad_signature", &[]);
    let (_, findings) = env.findings("malleable.log");
    assert_eq!(
        findings.len(),
        1,
        "only the signature is wrong: {findings:?}"
    );
    let genesis_sig = sig_of(&env.lines()[0]);
    let lines = with_sig(0, malleate(&genesis_sig));
    env.assert_finding("malleable-genesis.log", &lines, 0, "bad_signature", &[]);
    let o = env.run(&["verify", "malleable-genesis.log", "--trust", &env.vkey]);
    assert!(o.stdout.contains("anchor:   FAILED"), "{}", o.stdout);
}

// ---------------------------------------------------------------------------------------------
// Signed notes: checkpoints, cosignatures, proofs, bundles
// ---------------------------------------------------------------------------------------------

/// An [`Env`] with a checkpoint `cp.note` (size 3), an inclusion proof `proof.json` of entry 1,
/// a bundle `bundle.proof` of entry 1, the witness's cosigner key and a cosigned `cosigned.note`.
struct Notes {
    env: Env,
    cosigner: String,
}

impl Notes {
    fn new() -> Notes {
        let env = Env::new();
        assert_ok(
            &env.run(&["checkpoint", "x.log", "--key", "op.key", "--out", "cp.note"]),
            "checkpoint",
        );
        let o = env.run(&["prove", "inclusion", "x.log", "--seq", "1"]);
        assert_ok(&o, "prove inclusion");
        env.write("proof.json", &o.stdout);
        let o = env.run(&["prove", "bundle", "x.log", "--seq", "1"]);
        assert_ok(&o, "prove bundle");
        env.write("bundle.proof", &o.stdout);
        let o = env.run(&["key", "verifier", "--cosigner", "witness.key"]);
        assert_ok(&o, "cosigner key");
        let cosigner = o.stdout.trim().to_owned();
        let o = env.run(&[
            "witness",
            "cosign",
            "--key",
            "witness.key",
            "--log-key",
            "@op.vkey",
            "--state",
            "w.state",
            "--first-use",
            "--checkpoint",
            "cp.note",
            "--out",
            "cosigned.note",
        ]);
        assert_ok(&o, "witness cosign");
        std::fs::remove_file(env.path("w.state")).expect("rm state");
        Notes { env, cosigner }
    }

    fn note(&self, name: &str) -> String {
        std::fs::read_to_string(self.env.path(name)).expect("read note")
    }

    /// (text, signature lines) of a note file.
    fn split(&self, name: &str) -> (String, Vec<String>) {
        let note = self.note(name);
        let (text, sigs) = note.rsplit_once("\n\n").expect("blank line");
        (
            format!("{text}\n"),
            sigs.lines().map(str::to_owned).collect(),
        )
    }

    /// A signature line by `key` over `text`, with `bytes` as the signature.
    fn line_with(key: &SigningKey, bytes: &[u8]) -> String {
        let mut raw = key.key_ref().id.0.to_vec();
        raw.extend_from_slice(bytes);
        format!("\u{2014} {} {}", key.name(), B64.encode(raw))
    }

    fn sign_line(key: &SigningKey, text: &str) -> String {
        Notes::line_with(key, &key.sign(text.as_bytes()))
    }

    /// `acta verify x.log --checkpoint NOTE` with extra args.
    fn verify_with(&self, note: &str, extra: &[&str]) -> Out {
        let mut args = vec![
            "verify",
            "x.log",
            "--trust",
            &self.env.vkey,
            "--checkpoint",
            note,
        ];
        args.extend_from_slice(extra);
        self.env.run(&args)
    }
}

#[test]
fn control_characters_in_signed_notes_are_refused_by_every_note_reader() {
    let n = Notes::new();
    let env = &n.env;
    let (text, _) = n.split("cp.note");
    let (origin, rest) = text.split_once('\n').expect("lines");
    let variants = [
        ("ctl", format!("{origin}\u{1}\n{rest}")),
        ("tab", format!("{origin}\t\n{rest}")),
        ("ext", format!("{text}ext\u{7}ension\n")),
        ("crlf", text.replace('\n', "\r\n")),
    ];
    for (name, bad_text) in &variants {
        // Properly signed by the log's key: only the control character is wrong.
        let note = format!("{bad_text}\n{}\n", Notes::sign_line(&op(), bad_text));
        let file = format!("{name}.note");
        env.write(&file, &note);
        let needle = if *name == "crlf" {
            "carriage return"
        } else {
            "control character"
        };
        let o = env.run(&[
            "verify-proof",
            "proof.json",
            "--trust",
            &env.vkey,
            "--checkpoint",
            &file,
        ]);
        assert_rejected(
            &o,
            &format!("verify-proof {file}"),
            &[1],
            &["REJECTED", needle],
        );
        let o = n.verify_with(&file, &[]);
        assert_rejected(
            &o,
            &format!("verify --checkpoint {file}"),
            &[1],
            &["checkpoint problem", needle],
        );
        let o = env.run(&[
            "witness",
            "cosign",
            "--key",
            "witness.key",
            "--log-key",
            &env.vkey,
            "--state",
            "w.state",
            "--first-use",
            "--checkpoint",
            &file,
        ]);
        assert_rejected(
            &o,
            &format!("witness cosign {file}"),
            &[1],
            &["REFUSED", needle],
        );
        assert!(
            !env.path("w.state").exists(),
            "the witness remembered a refused note"
        );
        // The same note inside an offline bundle.
        let bundle = n.note("bundle.proof");
        let (head, _) = bundle.split_once("\n\n").expect("bundle");
        env.write("bad.bundle", format!("{head}\n\n{note}"));
        let o = env.run(&["verify-bundle", "bad.bundle", "--trust", &env.vkey]);
        assert_rejected(
            &o,
            &format!("verify-bundle with {file}"),
            &[1, 2],
            &["control character"],
        );
    }
}

#[test]
fn malformed_base64_in_notes_and_proofs_is_refused() {
    let n = Notes::new();
    let env = &n.env;
    let (text, sigs) = n.split("cp.note");
    let (line_prefix, sig_b64) = sigs[0].rsplit_once(' ').expect("signature line");
    // 68 bytes: the base64 ends in one '=' after a character with two unused bits; set one.
    let bits = with_unused_bit_set(sig_b64, 2);
    for (name, b64) in [
        ("bang", format!("{}!", &sig_b64[..sig_b64.len() - 1])),
        ("unpadded", sig_b64.trim_end_matches('=').to_owned()),
        ("bits", bits),
    ] {
        let file = format!("b64-{name}.note");
        env.write(&file, format!("{text}\n{line_prefix} {b64}\n"));
        let o = n.verify_with(&file, &[]);
        assert_rejected(&o, &file, &[1], &["checkpoint problem"]);
        assert!(
            o.stdout.contains("base64") || o.stdout.contains("does not verify"),
            "{file}: {}",
            o.stdout
        );
    }
    // The root hash line of a checkpoint.
    let mut lines: Vec<&str> = text.lines().collect();
    let root = lines[2].to_owned();
    let bad_root = format!("{}!", &root[..root.len() - 1]);
    lines[2] = &bad_root;
    let bad_text = format!("{}\n", lines.join("\n"));
    env.write(
        "root.note",
        format!("{bad_text}\n{}\n", Notes::sign_line(&op(), &bad_text)),
    );
    let o = n.verify_with("root.note", &[]);
    assert_rejected(&o, "bad root hash", &[1], &["root hash"]);
    // Hashes in a proof: bad characters, wrong length, non-canonical bits.
    let proof: serde_json::Value = serde_json::from_str(&n.note("proof.json")).expect("proof JSON");
    let leaf = proof["leaf_hash"].as_str().expect("leaf hash").to_owned();
    let leaf_bits = with_unused_bit_set(&leaf, 2);
    for (field, value, needle) in [
        (
            "leaf_hash",
            format!("{}!", &leaf[..leaf.len() - 1]),
            "leaf_hash",
        ),
        ("leaf_hash", B64.encode([0u8; 31]), "leaf_hash"),
        ("leaf_hash", leaf_bits, "leaf_hash"),
        ("hashes", B64.encode([0u8; 33]), "hashes[0]"),
        ("hashes", " ".to_owned() + &leaf, "hashes[0]"),
    ] {
        let mut p = proof.clone();
        if field == "hashes" {
            p["hashes"][0] = serde_json::Value::String(value.clone());
        } else {
            p[field] = serde_json::Value::String(value.clone());
        }
        env.write("bad-proof.json", p.to_string());
        let o = env.run(&[
            "verify-proof",
            "bad-proof.json",
            "--trust",
            &env.vkey,
            "--checkpoint",
            "cp.note",
        ]);
        assert_rejected(
            &o,
            &format!("{field} = {value:?}"),
            &[2],
            &[needle, "32-byte hash"],
        );
    }
}

#[test]
fn malleable_and_wrong_length_note_signatures_are_rejected() {
    let n = Notes::new();
    let env = &n.env;
    let (text, sigs) = n.split("cosigned.note");
    let (log_line, witness_line) = (&sigs[0], &sigs[1]);
    let raw_of = |line: &str| {
        B64.decode(line.rsplit_once(' ').expect("line").1)
            .expect("b64")
    };
    let with_raw = |line: &str, raw: &[u8]| {
        format!(
            "{} {}",
            line.rsplit_once(' ').expect("line").0,
            B64.encode(raw)
        )
    };
    // The log's signature with S + L.
    let mut raw = raw_of(log_line);
    add_group_order(&mut raw[4 + 32..]);
    env.write(
        "mall.note",
        format!("{text}\n{}\n", with_raw(log_line, &raw)),
    );
    let o = n.verify_with("mall.note", &[]);
    assert_rejected(&o, "malleated log signature", &[1], &["does not verify"]);
    // 63 signature bytes by the log's key.
    let raw = raw_of(log_line);
    env.write(
        "short.note",
        format!("{text}\n{}\n", with_raw(log_line, &raw[..4 + 63])),
    );
    let o = n.verify_with("short.note", &[]);
    assert_rejected(&o, "63-byte log signature", &[1], &["does not verify"]);
    // The witness's cosignature with S + L (id, then 8-byte timestamp, then R and S).
    let mut raw = raw_of(witness_line);
    add_group_order(&mut raw[4 + 8 + 32..]);
    env.write(
        "mall-w.note",
        format!("{text}\n{log_line}\n{}\n", with_raw(witness_line, &raw)),
    );
    let o = n.verify_with("mall-w.note", &["--witness", &n.cosigner]);
    assert_rejected(&o, "malleated cosignature", &[1], &["does not verify"]);
}

/// What acta does with the signature lines of a checkpoint (c2sp.org/signed-note):
///
/// | note | result |
/// |---|---|
/// | an extra line by an unknown key (valid or garbage) | accepted: unknown keys are ignored |
/// | the same valid line twice | accepted: a key counts once |
/// | lines in another order (log and witness) | accepted: order does not matter |
/// | no blank line before the signatures | rejected: not a signed note |
/// | no signature lines | rejected |
/// | only an unknown key's signature | rejected: not signed by the log's key |
/// | a forged line by the log's key, with or without its valid line | rejected: a known key's bad signature rejects the note |
/// | a forged cosignature by a witness that is not required | accepted (unknown to the verifier) |
/// | a forged cosignature by a required witness | rejected |
/// | a blank line after the signatures | rejected |
#[test]
fn checkpoint_signature_lines_extra_missing_reordered_and_forged() {
    let n = Notes::new();
    let env = &n.env;
    let (text, sigs) = n.split("cosigned.note");
    let (log_line, witness_line) = (sigs[0].clone(), sigs[1].clone());
    let stranger_line = Notes::sign_line(&stranger(), &text);
    let garbage_line = format!("\u{2014} nobody {}", B64.encode([9u8; 68]));
    let forged_log = Notes::line_with(&op(), &[0x42; 64]);
    // The witness's line with one byte of its signature's R changed.
    let forged_witness = {
        let (prefix, b64) = witness_line.rsplit_once(' ').expect("line");
        let mut raw = B64.decode(b64).expect("b64");
        raw[4 + 8 + 3] ^= 1;
        format!("{prefix} {}", B64.encode(&raw))
    };
    let note = |lines: &[&String]| -> String {
        let mut s = format!("{text}\n");
        for l in lines {
            s.push_str(l);
            s.push('\n');
        }
        s
    };
    let w: &[&str] = &["--witness", &n.cosigner];
    // (name, note, extra arguments, accepted or the reason it is rejected)
    type Case<'a> = (&'a str, String, &'a [&'a str], Result<(), &'a str>);
    let cases: Vec<Case> = vec![
        (
            "extra-unknown",
            note(&[&log_line, &stranger_line]),
            &[],
            Ok(()),
        ),
        (
            "extra-garbage",
            note(&[&garbage_line, &log_line]),
            &[],
            Ok(()),
        ),
        ("duplicate", note(&[&log_line, &log_line]), &[], Ok(())),
        ("reordered", note(&[&witness_line, &log_line]), w, Ok(())),
        (
            "no-blank-line",
            format!("{text}{log_line}\n"),
            &[],
            Err("blank line"),
        ),
        (
            "no-signatures",
            format!("{text}\n"),
            &[],
            Err("no signature lines"),
        ),
        (
            "only-unknown",
            note(&[&stranger_line]),
            &[],
            Err("no signature by a known key"),
        ),
        (
            "forged-and-valid",
            note(&[&log_line, &forged_log]),
            &[],
            Err("does not verify"),
        ),
        (
            "forged-only",
            note(&[&forged_log]),
            &[],
            Err("does not verify"),
        ),
        (
            "forged-witness-not-required",
            note(&[&log_line, &forged_witness]),
            &[],
            Ok(()),
        ),
        (
            "forged-witness-required",
            note(&[&log_line, &forged_witness]),
            w,
            Err("does not verify"),
        ),
        (
            "missing-witness",
            note(&[&log_line]),
            w,
            Err("witness cosignatures"),
        ),
        (
            "trailing-blank",
            format!("{}\n", note(&[&log_line])),
            &[],
            Err("blank line"),
        ),
    ];
    for (name, content, extra, expected) in cases {
        let file = format!("{name}.note");
        env.write(&file, &content);
        let o = n.verify_with(&file, extra);
        match expected {
            Ok(()) => assert_ok(&o, &file),
            Err(needle) => assert_rejected(&o, &file, &[1], &["checkpoint problem", needle]),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Files and paths
// ---------------------------------------------------------------------------------------------

#[test]
fn key_files_readable_by_others_are_refused_by_every_command() {
    let env = Env::new();
    std::fs::create_dir(env.path("keydir")).expect("mkdir");
    std::fs::set_permissions(env.path("keydir"), std::fs::Permissions::from_mode(0o700))
        .expect("chmod");
    for mode in [0o644, 0o640, 0o604, 0o660, 0o666, 0o602] {
        write_private(&env.path("loose.key"), &op(), mode);
        let cases: Vec<Vec<&str>> = vec![
            append_args("{}")
                .into_iter()
                .map(|a| if a == "op.key" { "loose.key" } else { a })
                .collect(),
            vec![
                "key",
                "add",
                "x.log",
                "--key",
                "loose.key",
                "--add",
                &env.vkey,
                "--roles",
                "*",
            ],
            vec![
                "key",
                "revoke",
                "x.log",
                "--key",
                "loose.key",
                "--revoke",
                "a+01234567",
            ],
            vec!["checkpoint", "x.log", "--key", "loose.key"],
        ];
        for args in &cases {
            env.refused(
                &format!("{args:?} mode {mode:o}"),
                args,
                &["loose.key", "chmod 600"],
            );
        }
        env.write("ev.jsonl", "{\"type\":\"test.a\",\"data\":{}}\n");
        env.refused(
            "import",
            &["import", "x.log", "--key", "loose.key", "ev.jsonl"],
            &["chmod 600"],
        );
        let o = env.run(&[
            "init",
            "y.log",
            "--origin",
            "example.org/y",
            "--key",
            "loose.key",
        ]);
        assert_rejected(&o, "init", &[2], &["chmod 600"]);
        assert!(!env.path("y.log").exists());
        let o = env.run(&["key", "verifier", "loose.key"]);
        assert_rejected(&o, "key verifier", &[2], &["chmod 600"]);
        assert!(o.stdout.is_empty());
        let o = env.run(&[
            "witness",
            "cosign",
            "--key",
            "loose.key",
            "--log-key",
            &env.vkey,
            "--state",
            "w.state",
            "--first-use",
            "--checkpoint",
            "none.note",
        ]);
        assert_rejected(&o, "witness cosign", &[2], &["chmod 600"]);
        assert!(!env.path("w.state").exists());
    }
    // A directory (private to its owner) is not a key file.
    let o = env.run(&["key", "verifier", "keydir"]);
    assert_rejected(&o, "directory as key", &[2], &["not a regular file"]);
}

#[test]
fn log_paths_that_are_directories_symlinks_or_special_files_are_refused() {
    let env = Env::new();
    std::fs::create_dir(env.path("dir.log")).expect("mkdir");
    for args in [
        vec!["verify", "dir.log", "--trust", &env.vkey],
        vec!["show", "dir.log"],
        vec!["head", "dir.log"],
        vec!["repair", "dir.log"],
        vec![
            "append", "dir.log", "--key", "op.key", "--type", "test.a", "--data", "{}",
        ],
        vec!["checkpoint", "dir.log", "--key", "op.key"],
        vec!["prove", "inclusion", "dir.log", "--seq", "0", "--size", "1"],
    ] {
        let o = env.run(&args);
        assert_rejected(&o, &format!("{args:?}"), &[2], &["dir.log", "directory"]);
    }
    let o = env.run(&[
        "init",
        "dir.log",
        "--origin",
        "example.org/d",
        "--key",
        "op.key",
    ]);
    assert_rejected(&o, "init over a directory", &[2], &["already exists"]);
    // Special files are refused without being opened (a FIFO would block).
    let fifo = env.path("fifo.log");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut specials = vec!["/dev/zero".to_owned()];
    if made.is_ok_and(|s| s.success()) {
        specials.push("fifo.log".into());
    }
    for s in &specials {
        for args in [
            vec!["verify", s, "--trust", &env.vkey],
            vec![
                "append", s, "--key", "op.key", "--type", "test.a", "--data", "{}",
            ],
        ] {
            let o = env.run(&args);
            assert_rejected(&o, &format!("{args:?}"), &[2], &["not a regular file"]);
        }
    }
    // Symbolic links: readers follow them, writers refuse them and leave the target alone.
    std::os::unix::fs::symlink(env.path("x.log"), env.path("link.log")).expect("symlink");
    assert_ok(
        &env.run(&["verify", "link.log", "--trust", &env.vkey]),
        "verify via a link",
    );
    env.write("ev.jsonl", "{\"type\":\"test.a\",\"data\":{}}\n");
    for args in [
        vec![
            "append", "link.log", "--key", "op.key", "--type", "test.a", "--data", "{}",
        ],
        vec!["import", "link.log", "--key", "op.key", "ev.jsonl"],
        vec![
            "key", "add", "link.log", "--key", "op.key", "--add", &env.vkey, "--roles", "*",
        ],
        vec![
            "key",
            "revoke",
            "link.log",
            "--key",
            "op.key",
            "--revoke",
            "a+01234567",
        ],
        vec!["checkpoint", "link.log", "--key", "op.key"],
        vec!["repair", "link.log"],
    ] {
        env.refused(&format!("{args:?}"), &args, &["link.log", "symbolic link"]);
    }
    // `init` on a dangling link does not create the link's target.
    std::os::unix::fs::symlink(env.path("victim"), env.path("dangling.log")).expect("symlink");
    let o = env.run(&[
        "init",
        "dangling.log",
        "--origin",
        "example.org/v",
        "--key",
        "op.key",
    ]);
    assert_rejected(&o, "init on a dangling link", &[2], &["already exists"]);
    assert!(!env.path("victim").exists(), "wrote through the link");
    // A tree file that is a link: it is derived data, so the writer never opens it through
    // the link: it replaces the link by a new regular file, rebuilt from the log.
    std::fs::remove_file(env.path("x.log.tree")).expect("rm tree");
    env.write("elsewhere", b"keep me");
    std::os::unix::fs::symlink(env.path("elsewhere"), env.path("x.log.tree")).expect("symlink");
    let o = env.run(&append_args("{}"));
    assert_eq!(o.code, 0, "append with a linked tree file: {}", o.stderr);
    assert!(
        std::fs::symlink_metadata(env.path("x.log.tree"))
            .expect("tree")
            .is_file(),
        "the link was replaced by a regular file"
    );
    assert_eq!(
        std::fs::read(env.path("elsewhere")).expect("read"),
        b"keep me"
    );
}

// ---------------------------------------------------------------------------------------------
// Bounded reads, under a memory limit
// ---------------------------------------------------------------------------------------------

/// Runs acta under a 32 MiB address-space limit (`ulimit -v`); see [`limits_work`].
fn run_limited(dir: &Path, args: &[&str]) -> Out {
    support::acta()
        .current_dir(dir)
        .args(args)
        .limit_kib(32768)
        .run()
}

/// Whether acta runs at all under the limit here.
fn limits_work(env: &Env) -> bool {
    let o = run_limited(env.dir.path(), &["verify", "x.log", "--trust", &env.vkey]);
    if o.code == 0 {
        return true;
    }
    eprintln!(
        "\n******** SKIPPED: acta does not run under `ulimit -v 32768` here (exit {:?}: {}) ********\n",
        o.code, o.stderr
    );
    false
}

/// A copy of x.log with a 64 MiB line (sparse, so cheap) before its last entry.
fn with_huge_line(env: &Env, name: &str) {
    let lines = env.lines();
    let path = env.path(name);
    let mut head = Vec::new();
    for l in &lines[..2] {
        head.extend_from_slice(l);
        head.push(b'\n');
    }
    std::fs::write(&path, &head).expect("write");
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    f.set_len(head.len() as u64 + 64 * 1024 * 1024)
        .expect("grow");
    let mut tail = b"\n".to_vec();
    tail.extend_from_slice(&lines[2]);
    tail.push(b'\n');
    std::io::Write::write_all(&mut &f, &tail).expect("write tail");
}

#[test]
fn oversized_inputs_are_never_read_whole_into_memory() {
    let env = Env::new();
    if !limits_work(&env) {
        return;
    }
    let d = env.dir.path();
    with_huge_line(&env, "huge.log");
    let o = run_limited(d, &["verify", "huge.log", "--trust", &env.vkey]);
    assert_rejected(
        &o,
        "verify a 64 MiB line",
        &[1],
        &["line of 67108864 bytes exceeds the 1048576-byte entry limit"],
    );
    let o = run_limited(d, &["show", "huge.log"]);
    assert_ok(&o, "show a log with a 64 MiB line");
    assert!(
        o.stderr.contains("67108864 bytes is over the entry limit"),
        "{}",
        o.stderr
    );
    // Endless inputs: each reader stops at its limit. (Notes, proofs and bundles are read
    // only from regular files, so the endless one is a 64 MiB sparse file; a device such as
    // /dev/zero is refused before it is read, below.)
    let zeros = env.path("zeros.bin");
    std::fs::File::create(&zeros)
        .and_then(|f| f.set_len(64 * 1024 * 1024))
        .expect("a sparse file");
    // Endless inputs: each reader stops at its limit, or (for the inputs read with
    // `side_file::read_input`) refuses a device without reading it at all; a sparse 64 MiB
    // regular file is refused from its size.
    let huge = std::fs::File::create(env.path("huge.json")).expect("create");
    huge.set_len(64 * 1024 * 1024).expect("grow");
    drop(huge);
    for (args, needle) in [
        (
            vec![
                "append",
                "x.log",
                "--key",
                "op.key",
                "--type",
                "t.a",
                "--data",
                "@/dev/zero",
            ],
            "not a regular file",
        ),
        (
            vec![
                "append",
                "x.log",
                "--key",
                "op.key",
                "--type",
                "t.a",
                "--data",
                "@huge.json",
            ],
            "longer than 1048576 bytes",
        ),
        (
            vec!["verify", "x.log", "--trust", "@/dev/zero"],
            "not a regular file",
        ),
        (
            vec!["verify", "x.log", "--trust", "@huge.json"],
            "longer than 4096 bytes",
        ),
        (
            vec![
                "verify-proof",
                "zeros.bin",
                "--trust",
                &env.vkey,
                "--checkpoint",
                "zeros.bin",
            ],
            "over 1048576 bytes",
        ),
        (
            vec!["verify-bundle", "zeros.bin", "--trust", &env.vkey],
            "over 1048576 bytes",
        ),
        (
            vec!["verify-bundle", "/dev/zero", "--trust", &env.vkey],
            "not a regular file",
        ),
        (
            vec![
                "verify",
                "x.log",
                "--trust",
                &env.vkey,
                "--witness",
                "@zeros.bin",
            ],
            "over 1048576 bytes",
        ),
        (
            vec![
                "verify",
                "x.log",
                "--trust",
                &env.vkey,
                "--checkpoint",
                "zeros.bin",
            ],
            "over 1048576 bytes",
        ),
        (
            vec![
                "verify",
                "x.log",
                "--trust",
                &env.vkey,
                "--checkpoint",
                "/dev/zero",
            ],
            "not a regular file",
        ),
    ] {
        let o = run_limited(d, &args);
        assert_rejected(&o, &format!("{args:?}"), &[1, 2], &[needle]);
    }
}

#[test]
fn import_lines_are_read_with_a_bound() {
    let env = Env::new();
    if !limits_work(&env) {
        return;
    }
    let d = env.dir.path();
    let path = env.path("huge.jsonl");
    let f = std::fs::File::create(&path).expect("create");
    f.set_len(64 * 1024 * 1024).expect("grow");
    std::io::Write::write_all(&mut &f, b"\n").expect("newline");
    drop(f);
    let before = env.snapshot("x.log");
    // A device is not even read: the import reads its events twice, so it takes only a
    // regular file.
    for (events, why) in [
        ("huge.jsonl", "entry limit"),
        ("/dev/zero", "not a regular file"),
    ] {
        let o = run_limited(d, &["import", "x.log", "--key", "op.key", events]);
        assert_rejected(&o, &format!("import {events}"), &[2], &[why]);
        assert_eq!(env.snapshot("x.log"), before);
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

/// Every text form of a key's secret seed that a leak could take, as substrings long enough
/// not to occur by chance: windows of the base64 of the private-key text and of the bare seed,
/// and of its hex.
fn secret_needles(private_text: &str) -> Vec<String> {
    let (_, b64) = key_parts(
        private_text
            .strip_prefix("PRIVATE+KEY+")
            .expect("a private key"),
    );
    let raw = B64.decode(b64).expect("base64");
    let seed = &raw[1..];
    let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    let mut needles = Vec::new();
    let mut windows = |s: &str, width: usize, step: usize| {
        let mut i = 0;
        while i + width <= s.len() {
            needles.push(s[i..i + width].to_owned());
            i += step;
        }
    };
    windows(b64, 12, 4);
    windows(B64.encode(seed).as_str(), 12, 4);
    windows(&hex, 16, 8);
    windows(&hex.to_uppercase(), 16, 8);
    needles
}

#[test]
fn private_key_material_never_appears_in_any_output() {
    let n = Notes::new();
    let env = &n.env;
    let op_private = op().to_private_text();
    let witness_private = witness().to_private_text();
    let clerk_vkey = clerk().verifier().to_string();
    // Key files that are wrong in ways that make acta talk about them.
    write_private(&env.path("loose.key"), &op(), 0o644);
    let (name_and_id, b64) = key_parts(op_private.strip_prefix("PRIVATE+KEY+").expect("private"));
    let name = name_and_id.split('+').next().expect("name");
    let before_id = format!("PRIVATE+KEY+{name}");
    for (file, content) in [
        ("wrong-id.key", format!("{before_id}+00000000+{b64}\n")),
        ("junk.key", format!("{op_private} trailing junk\n")),
        ("two.key", format!("{op_private}\n{op_private}\n")),
        (
            "cut.key",
            format!("{}\n", &op_private[..op_private.len() - 5]),
        ),
        ("pub.key", format!("{}\n", env.vkey)),
    ] {
        env.write(file, content);
        std::fs::set_permissions(env.path(file), std::fs::Permissions::from_mode(0o600))
            .expect("chmod");
    }
    env.write("ev.jsonl", "{\"type\":\"test.a\",\"data\":{}}\n");
    env.write("bad.jsonl", "{\"type\":\"test.a\",\"data\":{\"x\":1.5}}\n");
    let clerk_ref = clerk().key_ref().to_string();
    let runs: Vec<(Vec<&str>, bool)> = vec![
        (
            vec!["key", "generate", "--name", "gen", "--out", "gen.key"],
            true,
        ),
        (
            vec!["key", "generate", "--name", "gen", "--out", "gen.key"],
            false,
        ),
        (
            vec!["key", "generate", "--name", "bad name", "--out", "gen2.key"],
            false,
        ),
        (vec!["key", "verifier", "op.key"], true),
        (vec!["key", "verifier", "--cosigner", "witness.key"], true),
        (vec!["key", "verifier", "gen.key"], true),
        (vec!["key", "verifier", "loose.key"], false),
        (vec!["key", "verifier", "wrong-id.key"], false),
        (vec!["key", "verifier", "junk.key"], false),
        (vec!["key", "verifier", "two.key"], false),
        (vec!["key", "verifier", "cut.key"], false),
        (vec!["key", "verifier", "pub.key"], false),
        (vec!["key", "verifier", "missing.key"], false),
        (
            vec![
                "init",
                "y.log",
                "--origin",
                "example.org/y",
                "--key",
                "op.key",
            ],
            true,
        ),
        (
            vec![
                "init",
                "y.log",
                "--origin",
                "example.org/y",
                "--key",
                "op.key",
            ],
            false,
        ),
        (
            vec![
                "init",
                "z.log",
                "--origin",
                "example.org/z",
                "--key",
                "wrong-id.key",
            ],
            false,
        ),
        (
            vec!["init", "z.log", "--origin", "bad origin", "--key", "op.key"],
            false,
        ),
        (
            vec![
                "append", "x.log", "--key", "op.key", "--type", "test.a", "--data", "{}",
            ],
            true,
        ),
        (
            vec![
                "append",
                "x.log",
                "--key",
                "stranger.key",
                "--type",
                "test.a",
                "--data",
                "{}",
            ],
            false,
        ),
        (
            vec![
                "append", "x.log", "--key", "op.key", "--type", "test.a", "--data", "{bad",
            ],
            false,
        ),
        (
            vec![
                "append", "x.log", "--key", "junk.key", "--type", "test.a", "--data", "{}",
            ],
            false,
        ),
        (
            vec![
                "append",
                "x.log",
                "--key",
                "loose.key",
                "--type",
                "test.a",
                "--data",
                "{}",
            ],
            false,
        ),
        (vec!["import", "x.log", "--key", "op.key", "ev.jsonl"], true),
        (
            vec!["import", "x.log", "--key", "op.key", "bad.jsonl"],
            false,
        ),
        (
            vec!["import", "x.log", "--key", "cut.key", "ev.jsonl"],
            false,
        ),
        (
            vec![
                "key",
                "add",
                "x.log",
                "--key",
                "op.key",
                "--add",
                &clerk_vkey,
                "--roles",
                "test.*",
            ],
            true,
        ),
        (
            vec![
                "key",
                "add",
                "x.log",
                "--key",
                "op.key",
                "--add",
                &op_private,
                "--roles",
                "*",
            ],
            false,
        ),
        (
            vec![
                "key", "add", "x.log", "--key", "op.key", "--add", "@op.key", "--roles", "*",
            ],
            false,
        ),
        (
            vec![
                "key",
                "add",
                "x.log",
                "--key",
                "clerk.key",
                "--add",
                &env.vkey,
                "--roles",
                "*",
            ],
            false,
        ),
        (
            vec![
                "key", "revoke", "x.log", "--key", "op.key", "--revoke", &clerk_ref,
            ],
            true,
        ),
        (
            vec![
                "key", "revoke", "x.log", "--key", "op.key", "--revoke", &clerk_ref,
            ],
            false,
        ),
        (
            vec![
                "key",
                "revoke",
                "x.log",
                "--key",
                "op.key",
                "--revoke",
                &op_private,
            ],
            false,
        ),
        (
            vec![
                "checkpoint",
                "x.log",
                "--key",
                "op.key",
                "--out",
                "cp2.note",
            ],
            true,
        ),
        (vec!["checkpoint", "x.log", "--key", "clerk.key"], false),
        (vec!["checkpoint", "x.log", "--key", "stranger.key"], false),
        (vec!["checkpoint", "x.log", "--key", "two.key"], false),
        (
            vec![
                "witness",
                "cosign",
                "--key",
                "witness.key",
                "--log-key",
                "@op.vkey",
                "--state",
                "s.state",
                "--first-use",
                "--checkpoint",
                "cp.note",
            ],
            true,
        ),
        (
            vec![
                "witness",
                "cosign",
                "--key",
                "witness.key",
                "--log-key",
                &op_private,
                "--state",
                "s2.state",
                "--first-use",
                "--checkpoint",
                "cp.note",
            ],
            false,
        ),
        (
            vec![
                "witness",
                "cosign",
                "--key",
                "witness.key",
                "--log-key",
                "@op.key",
                "--state",
                "s2.state",
                "--first-use",
                "--checkpoint",
                "cp.note",
            ],
            false,
        ),
        (
            vec![
                "witness",
                "cosign",
                "--key",
                "loose.key",
                "--log-key",
                "@op.vkey",
                "--state",
                "s2.state",
                "--first-use",
                "--checkpoint",
                "cp.note",
            ],
            false,
        ),
        (
            vec![
                "witness",
                "cosign",
                "--key",
                "witness.key",
                "--log-key",
                &clerk_vkey,
                "--state",
                "s2.state",
                "--first-use",
                "--checkpoint",
                "cp.note",
            ],
            false,
        ),
        (vec!["verify", "x.log", "--trust", &op_private], false),
        (vec!["verify", "x.log", "--trust", "@op.key"], false),
        (
            vec![
                "verify",
                "x.log",
                "--trust",
                &env.vkey,
                "--witness",
                &witness_private,
            ],
            false,
        ),
        (
            vec![
                "verify",
                "x.log",
                "--trust",
                &env.vkey,
                "--witness",
                "@witness.key",
            ],
            false,
        ),
        (
            vec![
                "verify-proof",
                "proof.json",
                "--trust",
                "@op.key",
                "--checkpoint",
                "cp.note",
            ],
            false,
        ),
        (
            vec!["verify-bundle", "bundle.proof", "--trust", &op_private],
            false,
        ),
    ];
    let mut outputs = Vec::new();
    for (args, succeeds) in &runs {
        let o = env.run(args);
        assert!(!o.stderr.contains("panicked"), "{args:?}: {}", o.stderr);
        if *succeeds {
            assert_ok(&o, &format!("{args:?}"));
        } else {
            assert_rejected(&o, &format!("{args:?}"), &[1, 2], &[]);
            assert!(
                !o.stderr.trim().is_empty() || !o.stdout.is_empty(),
                "{args:?} says why"
            );
        }
        outputs.push((args.clone(), o.all()));
    }
    let generated = std::fs::read_to_string(env.path("gen.key")).expect("generated key");
    let mut secrets = secret_needles(&op_private);
    secrets.extend(secret_needles(&witness_private));
    secrets.extend(secret_needles(&clerk().to_private_text()));
    secrets.extend(secret_needles(&stranger().to_private_text()));
    secrets.extend(secret_needles(generated.trim()));
    for (args, out) in &outputs {
        for s in &secrets {
            assert!(
                !out.contains(s.as_str()),
                "{args:?} printed secret material {s:?}:\n{out}"
            );
        }
    }
    // Debug output of a signing key, alone or inside other values, redacts the secret.
    for key in [op(), witness()] {
        for debug in [
            format!("{key:?}"),
            format!("{key:#?}"),
            format!("{:?}", Some(&key)),
            format!("{:?}", vec![key.clone()]),
        ] {
            assert!(debug.contains("redacted"), "{debug}");
            for s in secret_needles(&key.to_private_text()) {
                assert!(!debug.contains(&s), "Debug shows secret material: {debug}");
            }
        }
    }
}

/// A private key pasted where a key *file* is expected must not be echoed in the error.
#[test]
fn a_private_key_given_instead_of_a_key_file_path_is_not_echoed() {
    let env = Env::new();
    let secret = op().to_private_text();
    for args in [
        vec!["key", "verifier", secret.as_str()],
        append_args("{}")
            .into_iter()
            .map(|a| if a == "op.key" { secret.as_str() } else { a })
            .collect(),
        vec!["checkpoint", "x.log", "--key", &secret],
    ] {
        let o = env.run(&args);
        assert_rejected(&o, "key text as a path", &[2], &[]);
        for s in secret_needles(&secret) {
            assert!(
                !o.all().contains(&s),
                "echoed the private key:\n{}",
                o.all()
            );
        }
    }
}
