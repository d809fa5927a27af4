//! The committed fixtures in `fixtures/`: they are exactly what `acta-testkit` generates,
//! `valid/basic.log` is sound, and each `fail_*.log` fails for exactly its documented reason.
//!
//! The expected findings are derived here from the format's rules (crates/core/src/verify.rs)
//! and from the fixture bytes themselves (hashes, seqs, times read from the files), not copied
//! from the verifier's output. Each test also checks that its fixture is what the README says
//! it is (for example, that it differs from basic.log only where stated).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use acta_core::entry::{Decoded, Entry, EntryError, signed_message};
use acta_core::json::Value;
use acta_core::verify::Anchor;
use acta_core::{EntryHash, FindingKind, Report, VerifierKey, VerifyOptions};
use acta_store::{FileStore, verify};
use acta_testkit::{self as tk, TestKeys};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

fn read(rel: &str) -> Vec<u8> {
    let path = fixtures_dir().join(rel);
    fs::read(&path)
        .map_err(|e| format!("{}: {e}", path.display()))
        .expect("reading a fixture")
}

/// The complete lines (without newlines) of a log that ends with a newline.
fn lines(name: &str, bytes: &[u8]) -> Vec<Vec<u8>> {
    let body = bytes
        .strip_suffix(b"\n")
        .ok_or_else(|| format!("{name} does not end with a newline"))
        .expect("a log ends with a newline");
    body.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect()
}

fn h(line: &[u8]) -> EntryHash {
    EntryHash::of_line(line)
}

fn decode(name: &str, line: &[u8]) -> Decoded {
    Entry::decode(line)
        .map_err(|e| format!("{name}: {e}"))
        .expect("an entry decodes")
}

/// basic.log, its trust anchor and head, and the test keys.
struct Basic {
    bytes: Vec<u8>,
    lines: Vec<Vec<u8>>,
    trust: VerifierKey,
    head: (u64, EntryHash),
    keys: TestKeys,
}

impl Basic {
    fn load() -> Basic {
        let bytes = read(tk::BASIC_LOG);
        let lines = lines("basic.log", &bytes);
        let vkey = String::from_utf8(read(tk::BASIC_VKEY)).expect("basic.operator.vkey is UTF-8");
        let trust: VerifierKey = vkey
            .strip_suffix('\n')
            .expect("basic.operator.vkey ends with a newline")
            .parse()
            .expect("basic.operator.vkey is a verifier key");
        let head_text = String::from_utf8(read(tk::BASIC_HEAD)).expect("basic.head is UTF-8");
        let head = acta_store::log::parse_head(
            head_text
                .strip_suffix('\n')
                .expect("basic.head ends with a newline"),
        )
        .expect("basic.head is SEQ:HASH");
        Basic {
            bytes,
            lines,
            trust,
            head,
            keys: TestKeys::new().expect("test keys"),
        }
    }

    fn last(&self) -> usize {
        self.lines.len() - 1
    }

    fn entry(&self, i: usize) -> Entry {
        decode("basic.log", &self.lines[i]).entry
    }

    /// The index of the only entry of type `t`.
    fn only_of_type(&self, t: &str) -> usize {
        let found: Vec<usize> = (0..self.lines.len())
            .filter(|&i| self.entry(i).entry_type == t)
            .collect();
        assert_eq!(found.len(), 1, "basic.log has one {t} entry");
        found[0]
    }

    fn options(&self) -> VerifyOptions {
        VerifyOptions {
            trust: Some(self.trust.clone()),
            ..VerifyOptions::default()
        }
    }
}

fn verify_path(path: &Path, options: VerifyOptions) -> Report {
    let store = FileStore::open_reader(path)
        .map_err(|e| format!("{}: {e}", path.display()))
        .expect("opening a fixture");
    verify(&store, options)
        .map_err(|e| format!("{}: {e}", path.display()))
        .expect("verifying a fixture (a store error, not a finding)")
}

fn verify_fixture(rel: &str, options: VerifyOptions) -> Report {
    verify_path(&fixtures_dir().join(rel), options)
}

fn describe(findings: &[(u64, FindingKind)]) -> String {
    findings
        .iter()
        .map(|(e, k)| format!("  entry {e}: {k}\n"))
        .collect()
}

/// Asserts that `report` has exactly the `expected` findings (entry number and kind), in any
/// order within an entry.
fn assert_findings(name: &str, report: &Report, mut expected: Vec<(u64, FindingKind)>) {
    let mut got: Vec<(u64, FindingKind)> = report
        .findings
        .iter()
        .map(|f| (f.entry, f.kind.clone()))
        .collect();
    let key = |x: &(u64, FindingKind)| (x.0, format!("{:?}", x.1));
    got.sort_by_key(key);
    expected.sort_by_key(key);
    assert!(
        got == expected,
        "{name}: wrong findings.\nexpected:\n{}got:\n{}",
        describe(&expected),
        describe(&got)
    );
    assert_eq!(report.findings_omitted, 0, "{name}: findings omitted");
}

/// Verifies a fail fixture with basic.operator.vkey as the trust anchor, checks that the
/// genesis is trusted (all fail fixtures but the forged genesis keep basic.log's genesis) and
/// that the findings are exactly `expected`.
fn check_fail(b: &Basic, name: &str, expected: Vec<(u64, FindingKind)>) -> Report {
    let report = verify_fixture(name, b.options());
    assert_findings(name, &report, expected);
    assert_eq!(
        report.anchor,
        Anchor::Trusted {
            key: b.trust.to_string()
        },
        "{name}: the genesis is basic.log's, so it is trusted"
    );
    assert!(!report.is_sound(), "{name} must not be sound");
    report
}

/// Asserts that `fixture` has the same lines as basic.log except at the listed indexes.
fn assert_same_except(name: &str, b: &Basic, fixture: &[Vec<u8>], changed: &[usize]) {
    assert_eq!(fixture.len(), b.lines.len(), "{name}: number of lines");
    for (i, (f, o)) in fixture.iter().zip(&b.lines).enumerate() {
        assert_eq!(
            f != o,
            changed.contains(&i),
            "{name}: line {i} should {}",
            if changed.contains(&i) {
                "differ from basic.log"
            } else {
                "be basic.log's"
            }
        );
    }
}

/// Asserts that a fixture's lines are `expected`, naming the first differing line.
fn assert_lines(name: &str, got: &[Vec<u8>], expected: &[Vec<u8>], what: &str) {
    let first = got
        .iter()
        .zip(expected)
        .position(|(g, e)| g != e)
        .unwrap_or(got.len().min(expected.len()));
    let show = |l: Option<&Vec<u8>>| l.map(|l| String::from_utf8_lossy(l).into_owned());
    assert!(
        got == expected,
        "{name}: {what}, but it is not ({} lines, expected {}); first difference at line \
         {first}:\n  got:      {:?}\n  expected: {:?}",
        got.len(),
        expected.len(),
        show(got.get(first)),
        show(expected.get(first)),
    );
}

/// All regular files under `dir`, by path relative to it with `/` separators.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("listing a directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("under base");
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"), fs::read(&path).expect("reading a file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The committed files the generator owns: README.md, valid/*, seed/*, fail_*.
fn committed_generated_files() -> BTreeMap<String, Vec<u8>> {
    files_under(&fixtures_dir())
        .into_iter()
        .filter(|(p, _)| {
            p == tk::README
                || p.starts_with("valid/")
                || p.starts_with("seed/")
                || p.starts_with("fail_")
        })
        .collect()
}

#[test]
fn regenerating_gives_the_committed_fixtures_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let written = tk::generate(tmp.path()).expect("generate");
    let generated = files_under(tmp.path());
    let committed = committed_generated_files();

    let mut listed: Vec<PathBuf> = generated.keys().map(|p| tmp.path().join(p)).collect();
    let mut written_sorted = written.clone();
    listed.sort();
    written_sorted.sort();
    assert_eq!(
        written_sorted, listed,
        "generate returns exactly the files it leaves in the directory (no temporary files)"
    );
    assert_eq!(
        generated.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "the generated files and the committed ones differ as sets; run `cargo run -p acta-testkit --bin acta-fixtures -- fixtures`"
    );
    for (path, bytes) in &generated {
        assert!(
            committed.get(path) == Some(bytes),
            "fixtures/{path} differs from what the generator writes; run `cargo run -p acta-testkit --bin acta-fixtures -- fixtures`"
        );
    }
    for name in [tk::BASIC_LOG, tk::BASIC_VKEY, tk::BASIC_HEAD, tk::README] {
        assert!(generated.contains_key(name), "{name} is generated");
    }
    assert!(
        generated.keys().filter(|p| p.starts_with("fail_")).count() >= 15,
        "every required fail fixture is generated"
    );

    // Regenerating into the same directory replaces the files, including a damaged one.
    let victim = tmp.path().join("valid").join("basic.log");
    fs::write(&victim, b"damaged\n").expect("damage a file");
    let again = tk::generate(tmp.path()).expect("generate again");
    assert_eq!(again, written, "the same files, in the same order");
    assert_eq!(
        files_under(tmp.path()),
        generated,
        "regenerating over existing files restores them and leaves nothing else"
    );
}

#[test]
fn no_private_key_is_committed() {
    for (path, bytes) in committed_generated_files() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(acta_core::key::PRIVATE_KEY_PREFIX),
            "fixtures/{path} contains a private key"
        );
    }
}

#[test]
fn basic_log_is_sound_with_its_trust_anchor_and_head() {
    let b = Basic::load();
    let k = &b.keys;
    assert_eq!(
        b.trust,
        k.operator.verifier(),
        "basic.operator.vkey is test-only-operator's verifier key"
    );

    let report = verify_fixture(tk::BASIC_LOG, b.options());
    assert_findings("basic.log", &report, vec![]);
    assert!(report.is_sound(), "basic.log is sound: {report:?}");
    assert_eq!(
        report.anchor,
        Anchor::Trusted {
            key: b.trust.to_string()
        }
    );
    assert_eq!(report.entries, b.lines.len() as u64);
    assert_eq!(report.origin.as_deref(), Some(tk::ORIGIN));

    // basic.head is the seq and hash of the last line, and verifying against it passes.
    let last = b.last();
    assert_eq!(b.head, (last as u64, h(&b.lines[last])), "basic.head");
    let head = report.head.expect("a head");
    assert_eq!((head.seq, head.hash), b.head);
    let with_head = verify_fixture(
        tk::BASIC_LOG,
        VerifyOptions {
            expect_head: Some(b.head),
            ..b.options()
        },
    );
    assert_findings("basic.log with --expect-head", &with_head, vec![]);

    // The shape the fail fixtures rely on: genesis by the operator with roles *, the clerk
    // added with roles test.*, clerk entries, the clerk revoked, then operator entries.
    assert!(
        (10..=16).contains(&b.lines.len()),
        "about 12 entries, got {}",
        b.lines.len()
    );
    let e0 = b.entry(0);
    assert_eq!(e0.entry_type, "acta.genesis");
    assert_eq!(e0.author, k.operator.key_ref());
    let genesis = acta_core::Genesis::from_data(&e0.data).expect("genesis data");
    assert_eq!(genesis.origin, tk::ORIGIN);
    assert_eq!(
        genesis.keys,
        vec![(k.operator.verifier(), acta_core::Roles::all())]
    );
    let add = b.only_of_type("acta.key.add");
    let revoke = b.only_of_type("acta.key.revoke");
    let add_data = b.entry(add).data;
    assert_eq!(
        add_data.get("key").and_then(Value::as_str),
        Some(k.clerk.verifier().to_string().as_str())
    );
    assert_eq!(
        add_data.get("roles"),
        Some(&Value::Array(vec![Value::String("test.*".into())]))
    );
    assert_eq!(
        b.entry(revoke).data.get("key").and_then(Value::as_str),
        Some(k.clerk.key_ref().to_string().as_str())
    );
    for i in 1..b.lines.len() {
        let e = b.entry(i);
        let expected_author = if add < i && i < revoke {
            k.clerk.key_ref()
        } else {
            k.operator.key_ref()
        };
        assert_eq!(e.author, expected_author, "author of basic.log entry {i}");
        if !e.entry_type.starts_with("acta.") {
            assert!(e.entry_type.starts_with("test."), "entry {i}: a test type");
        }
    }
    assert!(
        revoke > add + 1,
        "the clerk signs entries before its revocation"
    );
    assert!(
        revoke < b.last(),
        "the operator signs entries after the revocation"
    );
}

#[test]
fn fail_altered_byte() {
    let name = "fail_altered_byte.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let i = (0..f.len())
        .find(|&i| f[i] != b.lines[i])
        .expect("a changed line");
    assert_same_except(name, &b, &f, &[i]);
    assert_eq!(f[i].len(), b.lines[i].len());
    let differing = f[i].iter().zip(&b.lines[i]).filter(|(x, y)| x != y).count();
    assert_eq!(differing, 1, "{name}: exactly one byte changed");
    let (altered, original) = (decode(name, &f[i]).entry, b.entry(i));
    assert_ne!(altered.data, original.data, "the changed byte is in `data`");
    assert_eq!(
        Entry {
            data: original.data.clone(),
            ..altered.clone()
        },
        original,
        "nothing but `data` changed"
    );
    assert!(i < b.last(), "an entry follows the altered one");

    // The signature no longer covers the stored data, and the next entry still links to the
    // hash of the original line.
    check_fail(
        &b,
        name,
        vec![
            (
                i as u64,
                FindingKind::BadSignature {
                    author: original.author.clone(),
                },
            ),
            (
                i as u64 + 1,
                FindingKind::PrevMismatch {
                    expected: h(&f[i]),
                    found: h(&b.lines[i]),
                },
            ),
        ],
    );
}

#[test]
fn fail_deleted_entry() {
    let name = "fail_deleted_entry.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let d = (0..f.len())
        .find(|&i| f[i] != b.lines[i])
        .expect("a missing line");
    let mut expected_lines = b.lines.clone();
    expected_lines.remove(d);
    assert_lines(
        name,
        &f,
        &expected_lines,
        &format!("basic.log without entry {d}"),
    );
    assert!(d > 0);

    // The line at index d is entry d+1: its seq and prev both name what was deleted. The
    // verifier resynchronises on the seq it found, so nothing after it is reported.
    let d64 = d as u64;
    check_fail(
        &b,
        name,
        vec![
            (
                d64,
                FindingKind::SeqMismatch {
                    expected: d64,
                    found: d64 + 1,
                },
            ),
            (
                d64,
                FindingKind::PrevMismatch {
                    expected: h(&b.lines[d - 1]),
                    found: h(&b.lines[d]),
                },
            ),
        ],
    );
}

#[test]
fn fail_duplicated_entry() {
    let name = "fail_duplicated_entry.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let d = (0..b.lines.len())
        .find(|&i| f[i + 1] != b.lines[i + 1])
        .expect("a duplicated line");
    let mut expected_lines = b.lines.clone();
    expected_lines.insert(d + 1, b.lines[d].clone());
    assert_lines(
        name,
        &f,
        &expected_lines,
        &format!("basic.log with entry {d} twice"),
    );
    assert!(d > 0);

    // The copy at index d+1 carries seq d and prev = hash of entry d-1.
    let d64 = d as u64;
    check_fail(
        &b,
        name,
        vec![
            (
                d64 + 1,
                FindingKind::SeqMismatch {
                    expected: d64 + 1,
                    found: d64,
                },
            ),
            (
                d64 + 1,
                FindingKind::PrevMismatch {
                    expected: h(&b.lines[d]),
                    found: h(&b.lines[d - 1]),
                },
            ),
        ],
    );
}

#[test]
fn fail_reordered_entries() {
    let name = "fail_reordered_entries.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let i = (0..f.len())
        .find(|&i| f[i] != b.lines[i])
        .expect("a moved line");
    let mut expected_lines = b.lines.clone();
    expected_lines.swap(i, i + 1);
    let what = format!("basic.log with entries {i} and {} swapped", i + 1);
    assert_lines(name, &f, &expected_lines, &what);
    assert!(i > 0 && i + 2 < b.lines.len());
    let (t_i, t_next) = (b.entry(i).recorded_at, b.entry(i + 1).recorded_at);
    assert!(t_i < t_next, "the swapped entries have increasing times");

    // Index i holds seq i+1; index i+1 holds seq i (and an earlier time); index i+2 holds
    // seq i+2 but follows seq i. After each line the verifier expects the seq found + 1.
    let i64_ = i as u64;
    let hl = |k: usize| h(&b.lines[k]);
    check_fail(
        &b,
        name,
        vec![
            (
                i64_,
                FindingKind::SeqMismatch {
                    expected: i64_,
                    found: i64_ + 1,
                },
            ),
            (
                i64_,
                FindingKind::PrevMismatch {
                    expected: hl(i - 1),
                    found: hl(i),
                },
            ),
            (
                i64_ + 1,
                FindingKind::SeqMismatch {
                    expected: i64_ + 2,
                    found: i64_,
                },
            ),
            (
                i64_ + 1,
                FindingKind::PrevMismatch {
                    expected: hl(i + 1),
                    found: hl(i - 1),
                },
            ),
            (
                i64_ + 1,
                FindingKind::TimeWentBackwards {
                    previous: t_next,
                    found: t_i,
                },
            ),
            (
                i64_ + 2,
                FindingKind::SeqMismatch {
                    expected: i64_ + 1,
                    found: i64_ + 2,
                },
            ),
            (
                i64_ + 2,
                FindingKind::PrevMismatch {
                    expected: hl(i),
                    found: hl(i + 1),
                },
            ),
        ],
    );
}

#[test]
fn fail_spliced_entry() {
    let name = "fail_spliced_entry.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let last = b.last();
    assert_same_except(name, &b, &f, &[last]);
    let spliced = decode(name, &f[last]);
    let original = b.entry(last);
    assert_eq!(
        Entry {
            sig: original.sig,
            ..spliced.entry.clone()
        },
        original,
        "only the signature differs"
    );
    // It is a genuine operator signature, for the other origin.
    let op = b.keys.operator.verifier();
    assert!(op.verify(
        &signed_message(tk::OTHER_ORIGIN, &spliced.unsigned),
        &spliced.entry.sig
    ));
    assert!(!op.verify(
        &signed_message(tk::ORIGIN, &spliced.unsigned),
        &spliced.entry.sig
    ));

    check_fail(
        &b,
        name,
        vec![(
            last as u64,
            FindingKind::BadSignature {
                author: b.keys.operator.key_ref(),
            },
        )],
    );
}

#[test]
fn fail_unknown_key() {
    let name = "fail_unknown_key.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let last = b.last();
    assert_same_except(name, &b, &f, &[last]);
    let resigned = decode(name, &f[last]);
    let original = b.entry(last);
    let intruder = &b.keys.intruder;
    assert_eq!(resigned.entry.author, intruder.key_ref());
    assert_eq!(
        Entry {
            sig: original.sig,
            author: original.author.clone(),
            ..resigned.entry.clone()
        },
        original,
        "only the author and signature differ"
    );
    assert!(
        intruder.verifier().verify(
            &signed_message(tk::ORIGIN, &resigned.unsigned),
            &resigned.entry.sig
        ),
        "validly signed by the intruder"
    );

    // Entries 10 and 11 of basic.log are one batch by the operator (entry 10 has `more` 1):
    // the intruder's entry 11 does not end it.
    let operator = &b.keys.operator;
    assert_eq!(b.entry(last - 1).more, Some(1));
    assert_eq!(b.entry(last - 1).author, operator.key_ref());
    assert_eq!(resigned.entry.more, None);
    check_fail(
        &b,
        name,
        vec![
            (
                last as u64,
                FindingKind::UnknownAuthor {
                    author: intruder.key_ref(),
                },
            ),
            (
                last as u64,
                FindingKind::BatchBroken {
                    batch: last as u64 - 1,
                    author: operator.key_ref(),
                    remaining: 1,
                    found_more: None,
                    found_author: Some(intruder.key_ref()),
                },
            ),
        ],
    );
}

#[test]
fn fail_forged_genesis() {
    let name = "fail_forged_genesis.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let genesis = decode(name, &f[0]).entry;
    let intruder = &b.keys.intruder;
    assert_eq!(genesis.entry_type, "acta.genesis");
    assert_eq!(genesis.author, intruder.key_ref());

    let trusted = verify_fixture(name, b.options());
    assert_findings(
        name,
        &trusted,
        vec![(
            0,
            FindingKind::UntrustedGenesis {
                trusted: b.trust.to_string(),
                found: intruder.verifier().to_string(),
            },
        )],
    );
    assert_eq!(trusted.anchor, Anchor::Failed);
    assert!(!trusted.is_sound());
    assert_eq!(trusted.origin.as_deref(), Some(tk::ORIGIN), "same origin");

    let untrusted = verify_fixture(name, VerifyOptions::default());
    assert_findings(&format!("{name} without trust"), &untrusted, vec![]);
    assert_eq!(untrusted.anchor, Anchor::Unanchored);
    assert!(untrusted.is_consistent() && !untrusted.is_sound());
    assert_eq!(untrusted.entries, f.len() as u64);
}

#[test]
fn fail_truncated() {
    let name = "fail_truncated.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let what = "basic.log minus its last 2 entries";
    assert_lines(name, &f, &b.lines[..b.lines.len() - 2], what);
    let report = verify_fixture(
        name,
        VerifyOptions {
            expect_head: Some(b.head),
            ..b.options()
        },
    );
    assert_findings(
        name,
        &report,
        vec![(
            f.len() as u64,
            FindingKind::Truncated {
                expected_seq: b.head.0,
                entries: f.len() as u64,
            },
        )],
    );
    assert_eq!(report.findings[0].offset, read(name).len() as u64);
    assert!(!report.is_sound());

    // Without the head seen before, a truncated log is a sound, shorter log.
    let alone = verify_fixture(name, b.options());
    assert_findings(&format!("{name} without --expect-head"), &alone, vec![]);
    assert!(alone.is_sound());
}

#[test]
fn fail_non_canonical() {
    let name = "fail_non_canonical.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let last = b.last();
    assert_same_except(name, &b, &f, &[last]);
    let (stored, original) = (&f[last], &b.lines[last]);
    let p = stored
        .iter()
        .zip(original)
        .position(|(x, y)| x != y)
        .expect("a difference");
    let mut expected_line = original.clone();
    expected_line.insert(p, b' ');
    let what = format!("basic.log with a space inserted at byte {p} of entry {last}");
    assert_lines(name, &f[last..], &[expected_line], &what);
    assert_eq!(
        decode(name, stored).entry,
        b.entry(last),
        "the same entry, so the signature still verifies"
    );

    check_fail(
        &b,
        name,
        vec![(
            last as u64,
            FindingKind::NotCanonical {
                first_difference: p,
            },
        )],
    );
}

#[test]
fn fail_revoked_key() {
    let name = "fail_revoked_key.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let n = b.lines.len();
    assert_eq!(f.len(), n + 1, "{name}: one entry added");
    assert_lines(name, &f[..n], &b.lines, "starts with basic.log");
    let extra = decode(name, &f[n]);
    let clerk = &b.keys.clerk;
    assert_eq!(extra.entry.author, clerk.key_ref());
    assert_eq!(extra.entry.seq, n as u64);
    assert_eq!(extra.entry.prev, h(&b.lines[n - 1]));
    assert!(extra.entry.recorded_at >= b.entry(n - 1).recorded_at);
    assert!(
        extra.entry.entry_type.starts_with("test."),
        "within the clerk's roles"
    );
    assert!(clerk.verifier().verify(
        &signed_message(tk::ORIGIN, &extra.unsigned),
        &extra.entry.sig
    ));
    let revoked_at = b.only_of_type("acta.key.revoke") as u64;

    check_fail(
        &b,
        name,
        vec![(
            n as u64,
            FindingKind::RevokedAuthor {
                author: clerk.key_ref(),
                revoked_at,
            },
        )],
    );
}

#[test]
fn fail_role_violation() {
    let name = "fail_role_violation.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let revoke = b.only_of_type("acta.key.revoke");
    let add = b.only_of_type("acta.key.add");
    let r = f.len() - 1;
    assert!(add < r && r <= revoke, "the clerk is active at entry {r}");
    assert_lines(name, &f[..r], &b.lines[..r], "starts with basic.log");
    let extra = decode(name, &f[r]);
    let clerk = &b.keys.clerk;
    assert_eq!(extra.entry.author, clerk.key_ref());
    assert_eq!(extra.entry.seq, r as u64);
    assert_eq!(extra.entry.prev, h(&b.lines[r - 1]));
    assert!(extra.entry.recorded_at >= b.entry(r - 1).recorded_at);
    assert!(
        !extra.entry.entry_type.starts_with("test."),
        "outside the clerk's roles"
    );
    assert!(clerk.verifier().verify(
        &signed_message(tk::ORIGIN, &extra.unsigned),
        &extra.entry.sig
    ));

    check_fail(
        &b,
        name,
        vec![(
            r as u64,
            FindingKind::RoleViolation {
                author: clerk.key_ref(),
                entry_type: extra.entry.entry_type.clone(),
            },
        )],
    );
}

#[test]
fn fail_torn_tail() {
    let name = "fail_torn_tail.log";
    let b = Basic::load();
    let bytes = read(name);
    let tail = bytes
        .strip_prefix(b.bytes.as_slice())
        .expect("starts with basic.log");
    assert!(!tail.is_empty() && !tail.contains(&b'\n'), "a partial line");

    let report = check_fail(
        &b,
        name,
        vec![(
            b.lines.len() as u64,
            FindingKind::TornTail {
                len: tail.len() as u64,
            },
        )],
    );
    assert_eq!(report.findings[0].offset, b.bytes.len() as u64);
    assert_eq!(report.entries, b.lines.len() as u64);
}

#[test]
fn fail_missing_newline() {
    let name = "fail_missing_newline.log";
    let b = Basic::load();
    let bytes = read(name);
    // basic.log without its final byte, which is the newline after its last entry.
    assert_eq!(
        bytes.as_slice(),
        &b.bytes[..b.bytes.len() - 1],
        "{name}: basic.log without its last byte"
    );
    assert_eq!(b.bytes.last(), Some(&b'\n'));
    let last = b.last();
    // That entry ends the batch that began at the entry before it (so a torn tail there would
    // leave the batch unfinished).
    assert_eq!(b.entry(last - 1).more, Some(1));
    assert_eq!(b.entry(last).more, None);

    let report = check_fail(
        &b,
        name,
        vec![(
            last as u64,
            FindingKind::MissingNewline {
                seq: b.entry(last).seq,
            },
        )],
    );
    let offset: u64 = b.lines[..last].iter().map(|l| l.len() as u64 + 1).sum();
    assert_eq!(report.findings[0].offset, offset);
    // The entry counts: the report is basic.log's but for the finding.
    let sound = verify_fixture(tk::BASIC_LOG, b.options());
    assert_eq!(
        (report.entries, report.head, &report.root),
        (sound.entries, sound.head, &sound.root)
    );
    let expect_head = verify_fixture(
        name,
        VerifyOptions {
            expect_head: Some(b.head),
            ..b.options()
        },
    );
    assert_eq!(
        expect_head.findings, report.findings,
        "the expected head is there: no truncated"
    );
}

#[test]
fn fail_unfinished_batch() {
    let name = "fail_unfinished_batch.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let n = b.lines.len();
    assert_eq!(f.len(), n + 2, "{name}: two entries added");
    assert_lines(name, &f[..n], &b.lines, "starts with basic.log");
    let operator = &b.keys.operator;
    let mut prev = EntryHash::of_line(&b.lines[n - 1]);
    for (i, line) in f[n..].iter().enumerate() {
        let d = decode(name, line);
        assert_eq!(d.entry.seq, (n + i) as u64, "{name}: seq");
        assert_eq!(d.entry.prev, prev, "{name}: chained");
        assert_eq!(
            d.entry.more,
            Some(2 - i as u64),
            "{name}: `more` of a batch of 3"
        );
        assert_eq!(d.entry.author, operator.key_ref());
        assert!(
            operator
                .verifier()
                .verify(&signed_message(tk::ORIGIN, &d.unsigned), &d.entry.sig),
            "{name}: entry {} validly signed by the operator",
            n + i
        );
        prev = d.hash;
    }
    let report = check_fail(
        &b,
        name,
        vec![(
            n as u64,
            FindingKind::UnfinishedBatch {
                size: 3,
                missing: 1,
            },
        )],
    );
    assert_eq!(
        report.findings[0].offset,
        b.bytes.len() as u64,
        "the batch's first line"
    );
    assert_eq!(report.entries, n as u64 + 2, "its lines are still lines");
}

#[test]
fn fail_malformed_json() {
    let name = "fail_malformed_json.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let last = b.last();
    assert_same_except(name, &b, &f, &[last]);
    let cut = b.lines[last][..b.lines[last].len() - 1].to_vec();
    assert_lines(
        name,
        &f[last..],
        &[cut],
        "its last entry without its final byte",
    );
    assert_eq!(b.lines[last].last(), Some(&b'}'));

    let report = verify_fixture(name, b.options());
    let got: Vec<_> = report.findings.iter().map(|f| (f.entry, &f.kind)).collect();
    // Entries 10 and 11 of basic.log are one batch (entry 10 has `more` 1): a line that is not
    // an entry does not end it.
    assert_eq!(b.entry(last - 1).more, Some(1));
    let operator = b.keys.operator.key_ref();
    assert!(
        matches!(
            got.as_slice(),
            [(
                e,
                FindingKind::Malformed {
                    error: EntryError::Json { .. }
                }
            ), (
                e2,
                FindingKind::BatchBroken { batch, author, remaining: 1, found_more: None, found_author: None }
            )] if *e == last as u64 && *e2 == last as u64 && *batch == last as u64 - 1 && *author == operator
        ),
        "{name}: expected a JSON `malformed` finding and `batch_broken` at entry {last}, got {got:?}"
    );
    assert!(!report.is_sound());
}

#[test]
fn fail_time_backwards() {
    let name = "fail_time_backwards.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let n = b.lines.len();
    assert_eq!(f.len(), n + 1, "{name}: one entry added");
    assert_lines(name, &f[..n], &b.lines, "starts with basic.log");
    let extra = decode(name, &f[n]).entry;
    assert_eq!(extra.seq, n as u64);
    assert_eq!(extra.prev, h(&b.lines[n - 1]));
    assert_eq!(extra.author, b.keys.operator.key_ref());
    let previous = b.entry(n - 1).recorded_at;
    // Same fixed-width RFC 3339 UTC form, so text order is time order.
    assert_eq!(extra.recorded_at.len(), previous.len());
    assert!(
        extra.recorded_at < previous,
        "earlier than the previous entry"
    );

    check_fail(
        &b,
        name,
        vec![(
            n as u64,
            FindingKind::TimeWentBackwards {
                previous,
                found: extra.recorded_at.clone(),
            },
        )],
    );
}

#[test]
fn fail_bad_seq() {
    let name = "fail_bad_seq.log";
    let b = Basic::load();
    let f = lines(name, &read(name));
    let n = b.lines.len();
    assert_eq!(f.len(), n + 2, "{name}: two entries added");
    assert_lines(name, &f[..n], &b.lines, "starts with basic.log");
    let (skip, after) = (decode(name, &f[n]).entry, decode(name, &f[n + 1]).entry);
    assert_eq!(skip.seq, n as u64 + 1, "one seq skipped");
    assert_eq!(skip.prev, h(&b.lines[n - 1]));
    assert_eq!(after.seq, skip.seq + 1);
    assert_eq!(after.prev, h(&f[n]));

    check_fail(
        &b,
        name,
        vec![(
            n as u64,
            FindingKind::SeqMismatch {
                expected: n as u64,
                found: n as u64 + 1,
            },
        )],
    );
}
