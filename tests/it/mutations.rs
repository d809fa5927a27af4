//! Mutation tests: every small corruption of a valid log gives the verifier at least one
//! finding.
//!
//! A valid log is built in memory with the library (genesis + signed, hash-chained entries),
//! corrupted, split into lines the way the file store's scan does (complete lines end in
//! `'\n'`; bytes after the last `'\n'` are a torn tail; lines longer than
//! [`MAX_ENTRY_BYTES`] are reported as too long), and verified with the trust anchor given.
//! A log is accepted only if [`Report::is_sound`].
//!
//! The corruptions: every single-byte change (xor 0x01, xor 0x80, set to a different printable
//! character), every line deletion, duplication and adjacent swap, and every truncation.
//!
//! `expect_head` only ever adds findings, so a corruption detected without it is detected
//! with it too. The tests therefore check everything they can *without* `expect_head`, and
//! use it only where it is needed: a log cut at a line boundary (truncation, or deleting the
//! last line) is a valid shorter log, detectable only against a head seen before. The tests
//! assert that too, as the reason `acta verify --expect-head` exists.
//!
//! Cost: a strict Ed25519 verification takes about 10 ms in a debug build (signing, 0.2 ms),
//! and almost half of all single-byte changes still decode, so each costs one verification.
//! The exhaustive tests therefore use a 3-line log, start each check from the verifier state
//! after the unchanged lines, and stop at the first finding (see [`Checker`]).

use std::time::Instant;

use acta_core::entry::GENESIS_PREV;
use acta_core::json::{MAX_SAFE_INTEGER, Number, Object, Value};
use acta_core::keyring::GENESIS_TYPE;
use acta_core::{
    EntryHash, Genesis, MAX_ENTRY_BYTES, NewEntry, Report, Roles, SigningKey, Verifier,
    VerifyOptions,
};
use proptest::prelude::*;
use proptest::sample::Index;

const ORIGIN: &str = "test.invalid/mutations";

/// 2025-11-26T09:00:00Z, the genesis time.
const T0: i64 = 1_764_147_600;

fn test_key() -> SigningKey {
    SigningKey::from_seed("test-only-mutations", [42; 32]).expect("valid key name")
}

fn timestamp(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .expect("in range")
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A valid log: its lines (without newlines) and its head.
#[derive(Debug, Clone)]
struct Log {
    lines: Vec<Vec<u8>>,
    head: (u64, EntryHash),
}

/// One event after the genesis: seconds after the previous entry, type, data.
type Event = (i64, String, Object);

impl Log {
    /// The genesis (keys: the test key with every role) followed by `events`, chained.
    fn build(key: &SigningKey, events: &[Event]) -> Log {
        let genesis = Genesis {
            origin: ORIGIN.to_owned(),
            keys: vec![(key.verifier(), Roles::all())],
            domain: None,
        }
        .to_data();
        let mut secs = T0;
        let first = NewEntry {
            seq: 0,
            prev: GENESIS_PREV,
            recorded_at: &timestamp(secs),
            entry_type: GENESIS_TYPE,
            data: &genesis,
        }
        .sign(ORIGIN, key)
        .expect("genesis signs");
        let mut lines = vec![first];
        for (seq, (gap, entry_type, data)) in (1..).zip(events) {
            secs += gap;
            let prev = EntryHash::of_line(lines.last().expect("has genesis"));
            let line = NewEntry {
                seq,
                prev,
                recorded_at: &timestamp(secs),
                entry_type,
                data,
            }
            .sign(ORIGIN, key)
            .expect("entry signs");
            lines.push(line);
        }
        let last = lines.last().expect("has genesis");
        let head = (lines.len() as u64 - 1, EntryHash::of_line(last));
        Log { lines, head }
    }

    fn bytes(&self) -> Vec<u8> {
        join(&self.lines)
    }
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

fn options(key: &SigningKey, expect_head: Option<(u64, EntryHash)>) -> VerifyOptions {
    VerifyOptions {
        trust: Some(key.verifier()),
        expect_head,
        ..VerifyOptions::default()
    }
}

/// Feeds `bytes[start..]` (where `start` is 0 or just after a `'\n'`) to `v`, split the way
/// the file store's scan splits a file. With `stop_at_finding`, stops once `v` has a finding.
fn push_bytes(v: &mut Verifier, bytes: &[u8], start: usize, stop_at_finding: bool) {
    let mut offset = start;
    while offset < bytes.len() && (!stop_at_finding || v.findings().is_empty()) {
        let rest = &bytes[offset..];
        let Some(len) = rest.iter().position(|&b| b == b'\n') else {
            v.push_unterminated(offset as u64, rest);
            return;
        };
        if len > MAX_ENTRY_BYTES {
            v.push_too_long(offset as u64, len as u64);
        } else {
            v.push_line(offset as u64, &rest[..len]);
        }
        offset += len + 1;
    }
}

/// Verifies `bytes` from scratch.
fn verify(bytes: &[u8], options: &VerifyOptions) -> Report {
    let mut v = Verifier::new(options.clone());
    push_bytes(&mut v, bytes, 0, false);
    v.finish()
}

/// A single-byte change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByteChange {
    Xor01,
    Xor80,
    /// Set to a different printable ASCII character: the next one of the same class for a
    /// digit or letter (so hex digits, base64 and numbers stay plausible), else `'0'` (or
    /// `'1'` for a `'0'`).
    Printable,
}

impl ByteChange {
    fn apply(self, b: u8) -> u8 {
        let rotate = |base: u8, n: u8| base + (b - base + 1) % n;
        match self {
            ByteChange::Xor01 => b ^ 0x01,
            ByteChange::Xor80 => b ^ 0x80,
            ByteChange::Printable => match b {
                b'0'..=b'9' => rotate(b'0', 10),
                b'a'..=b'z' => rotate(b'a', 26),
                b'A'..=b'Z' => rotate(b'A', 26),
                _ => b'0',
            },
        }
    }
}

/// A corruption of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mutation {
    /// Change the byte at this offset.
    Byte(usize, ByteChange),
    /// Delete line i.
    Delete(usize),
    /// Insert a copy of line i after it.
    Duplicate(usize),
    /// Swap lines i and i + 1.
    Swap(usize),
    /// Keep only the first n bytes (n < the log's length).
    Truncate(usize),
}

impl Mutation {
    fn apply(self, log: &Log, bytes: &[u8]) -> Vec<u8> {
        let mut lines = log.lines.clone();
        match self {
            Mutation::Byte(at, change) => {
                let mut out = bytes.to_vec();
                out[at] = change.apply(out[at]);
                assert_ne!(out[at], bytes[at], "{self:?} must change the byte");
                return out;
            }
            Mutation::Delete(i) => {
                lines.remove(i);
            }
            Mutation::Duplicate(i) => lines.insert(i + 1, lines[i].clone()),
            Mutation::Swap(i) => lines.swap(i, i + 1),
            Mutation::Truncate(n) => {
                assert!(n < bytes.len());
                return bytes[..n].to_vec();
            }
        }
        join(&lines)
    }

    /// Whether the result is the original log cut at a line boundary (with at least one line
    /// left): a valid shorter log that only `expect_head` can tell from the original.
    fn is_boundary_cut(self, log: &Log, bytes: &[u8]) -> bool {
        match self {
            Mutation::Delete(i) => log.lines.len() > 1 && i == log.lines.len() - 1,
            Mutation::Truncate(n) => n > 0 && bytes[n - 1] == b'\n',
            _ => false,
        }
    }
}

/// Verifies corrupted copies of one log, fast enough to try thousands (a strict Ed25519
/// verification takes milliseconds in a debug build):
///
/// - it starts from the verifier state after the unchanged prefix of complete lines (the
///   verifier is deterministic and streaming, so that is the same as pushing those lines);
/// - it stops at the first finding: findings are only ever added (by later lines or by
///   `finish`), never removed, so a finding so far means the report will not be sound.
///
/// A mutation it does not detect has gone through every line and `finish`, like a full
/// verification. It also verifies every [`CROSS_CHECK_EVERY`]th mutation from scratch and
/// checks the verdicts agree.
struct Checker {
    log: Log,
    bytes: Vec<u8>,
    /// The offset of each line, then the log's length.
    starts: Vec<usize>,
    /// `prefixes[k]`: the verifier after lines `0..k`.
    prefixes: Vec<Verifier>,
    options: VerifyOptions,
    checked: usize,
}

impl Checker {
    fn new(log: &Log, options: VerifyOptions) -> Checker {
        let bytes = log.bytes();
        let mut starts = vec![0];
        let mut prefixes = vec![Verifier::new(options.clone())];
        for line in &log.lines {
            let offset = *starts.last().expect("non-empty");
            let mut v = prefixes.last().expect("non-empty").clone();
            v.push_line(offset as u64, line);
            assert!(v.findings().is_empty(), "{:?}", v.findings());
            prefixes.push(v);
            starts.push(offset + line.len() + 1);
        }
        Checker {
            log: log.clone(),
            bytes,
            starts,
            prefixes,
            options,
            checked: 0,
        }
    }

    /// Whether verifying `mutated` gives at least one finding (or an unanchored log).
    fn detects(&mut self, mutated: &[u8]) -> bool {
        let first_diff = self
            .bytes
            .iter()
            .zip(mutated)
            .position(|(a, b)| a != b)
            .unwrap_or(self.bytes.len().min(mutated.len()));
        // Lines 0..k lie wholly before the first difference.
        let k = self.starts.partition_point(|&s| s <= first_diff) - 1;
        let k = k.min(self.prefixes.len() - 1);
        let start = self.starts[k];
        assert_eq!(mutated[..start], self.bytes[..start]);
        let mut v = self.prefixes[k].clone();
        push_bytes(&mut v, mutated, start, true);
        let detected = !v.findings().is_empty() || !v.finish().is_sound();
        self.checked += 1;
        if self.checked.is_multiple_of(CROSS_CHECK_EVERY) {
            let full = verify(mutated, &self.options);
            assert_eq!(detected, !full.is_sound(), "shortcut diverged: {full:#?}");
        }
        detected
    }

    /// The report on the unmutated log.
    fn report(&self) -> Report {
        self.prefixes.last().expect("non-empty").clone().finish()
    }

    /// Whether verifying the log with `mutation` applied gives a finding.
    fn detects_mutation(&mut self, mutation: Mutation) -> bool {
        let mutated = mutation.apply(&self.log, &self.bytes);
        assert_ne!(mutated, self.bytes);
        self.detects(&mutated)
    }

    /// The mutations the verifier did not detect.
    fn undetected(&mut self, mutations: &[Mutation]) -> Vec<Mutation> {
        let missed = mutations
            .iter()
            .copied()
            .filter(|&m| !self.detects_mutation(m))
            .collect();
        assert_eq!(self.checked, mutations.len());
        missed
    }
}

/// How often [`Checker`] also verifies a mutated log from scratch (a prime, so that the
/// sample falls on every kind of change and every part of a line).
const CROSS_CHECK_EVERY: usize = 197;

fn string(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn int(i: i64) -> Value {
    Value::Number(Number::Int(i))
}

fn object(members: Vec<(&str, Value)>) -> Object {
    let mut o = Object::new();
    for (k, v) in members {
        o.insert(k, v);
    }
    o
}

/// The fixed log for the exhaustive tests: a genesis and two entries whose data has escapes,
/// non-ASCII text, negative and the largest integers, nesting, an empty object, and an
/// unchanged time. (Each line costs about 4 s of debug-build verification for the
/// single-byte changes: keep it small.)
fn small_log() -> Log {
    let events: Vec<Event> = vec![
        (
            60,
            "test.opened".to_owned(),
            object(vec![
                ("case", string("A-1")),
                (
                    "list",
                    Value::Array(vec![
                        int(MAX_SAFE_INTEGER),
                        Value::Null,
                        Value::Bool(false),
                        Value::Object(object(vec![("ok", Value::Bool(true))])),
                    ]),
                ),
                ("n", int(-7)),
                ("text", string("é \"q\" \\ \n 😀")),
            ]),
        ),
        (0, "test/empty:x_y-z".to_owned(), Object::new()),
    ];
    Log::build(&test_key(), &events)
}

#[test]
fn the_unmutated_log_is_sound() {
    let key = test_key();
    let log = small_log();
    let bytes = log.bytes();
    for expect_head in [None, Some(log.head)] {
        let report = verify(&bytes, &options(&key, expect_head));
        assert!(report.is_sound(), "{report:#?}");
        assert_eq!(report.entries, log.lines.len() as u64);
    }
    // The trust anchor matters: a log is not sound for another trusted key.
    let other = SigningKey::from_seed("test-only-other", [7; 32]).expect("valid key name");
    assert!(!verify(&bytes, &options(&other, None)).is_sound());
}

/// Every offset of the log with `change`; returns the number of mutations checked.
fn check_every_offset(change: ByteChange) -> usize {
    let started = Instant::now();
    let key = test_key();
    let log = small_log();
    let len = log.bytes().len();
    let mutations: Vec<Mutation> = (0..len).map(|at| Mutation::Byte(at, change)).collect();
    let mut checker = Checker::new(&log, options(&key, None));
    let missed = checker.undetected(&mutations);
    assert_eq!(checker.checked, len);
    assert!(
        missed.is_empty(),
        "{} of {len} byte changes were not detected: {missed:?}",
        missed.len(),
    );
    eprintln!(
        "{change:?}: {len} byte changes of a {len}-byte, {}-line log, all detected, in {:?}",
        log.lines.len(),
        started.elapsed()
    );
    len
}

#[test]
fn every_single_byte_xor_01_is_detected() {
    let checked = check_every_offset(ByteChange::Xor01);
    assert_eq!(checked, small_log().bytes().len());
    assert!(checked > 900, "the log is only {checked} bytes");
}

#[test]
fn every_single_byte_xor_80_is_detected() {
    let checked = check_every_offset(ByteChange::Xor80);
    assert_eq!(checked, small_log().bytes().len());
}

#[test]
fn every_single_byte_set_to_another_printable_is_detected() {
    let checked = check_every_offset(ByteChange::Printable);
    assert_eq!(checked, small_log().bytes().len());
}

#[test]
fn every_line_deletion_duplication_and_swap_is_detected() {
    let key = test_key();
    let log = small_log();
    let bytes = log.bytes();
    let n = log.lines.len();
    let mutations: Vec<Mutation> = (0..n)
        .map(Mutation::Delete)
        .chain((0..n).map(Mutation::Duplicate))
        .chain((0..n - 1).map(Mutation::Swap))
        .collect();
    assert_eq!(mutations.len(), 3 * n - 1);

    // With the head seen before: every one is detected.
    let mut checker = Checker::new(&log, options(&key, Some(log.head)));
    assert_eq!(checker.undetected(&mutations), vec![]);

    // Without it: every one but deleting the last line, which leaves a valid shorter log.
    let mut checker = Checker::new(&log, options(&key, None));
    assert_eq!(
        checker.undetected(&mutations),
        vec![Mutation::Delete(n - 1)]
    );
    assert!(Mutation::Delete(n - 1).is_boundary_cut(&log, &bytes));
}

#[test]
fn every_truncation_is_detected_given_the_head() {
    let key = test_key();
    let log = small_log();
    let bytes = log.bytes();
    let n = log.lines.len();
    let mutations: Vec<Mutation> = (0..bytes.len()).map(Mutation::Truncate).collect();

    // With the head seen before: every truncation is detected.
    let mut checker = Checker::new(&log, options(&key, Some(log.head)));
    assert_eq!(checker.undetected(&mutations), vec![]);
    assert_eq!(checker.checked, bytes.len());

    // Without it, a cut inside a line leaves a torn tail and a cut to nothing an empty log,
    // but a cut just after one of the first n - 1 lines leaves a valid shorter log. That is
    // what `--expect-head` is for.
    let mut checker = Checker::new(&log, options(&key, None));
    let boundaries: Vec<Mutation> = mutations
        .iter()
        .copied()
        .filter(|m| m.is_boundary_cut(&log, &bytes))
        .collect();
    assert_eq!(boundaries.len(), n - 1);
    assert_eq!(checker.undetected(&mutations), boundaries);
}

// Random logs and random single mutations.

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        "(?s).{0,24}".prop_map(Value::String),
        (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).prop_map(int),
        (-1000i64..1000).prop_map(int),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ]
}

fn data() -> impl Strategy<Value = Object> {
    proptest::collection::btree_map("\\PC{0,8}", value(), 0..5).prop_map(|members| {
        let mut o = Object::new();
        for (k, v) in members {
            o.insert(k, v);
        }
        o
    })
}

fn event() -> impl Strategy<Value = Event> {
    (
        prop_oneof![Just(0i64), 0i64..100_000],
        "test[.:/_-][a-z0-9_.:/-]{0,12}",
        data(),
    )
}

/// A mutation chosen before the log's size is known.
#[derive(Debug, Clone)]
enum Pick {
    Byte(Index, ByteChange),
    Delete(Index),
    Duplicate(Index),
    Swap(Index),
    Truncate(Index),
}

fn pick() -> impl Strategy<Value = Pick> {
    let change = prop_oneof![
        Just(ByteChange::Xor01),
        Just(ByteChange::Xor80),
        Just(ByteChange::Printable)
    ];
    prop_oneof![
        3 => (any::<Index>(), change).prop_map(|(i, c)| Pick::Byte(i, c)),
        1 => any::<Index>().prop_map(Pick::Delete),
        1 => any::<Index>().prop_map(Pick::Duplicate),
        1 => any::<Index>().prop_map(Pick::Swap),
        1 => any::<Index>().prop_map(Pick::Truncate),
    ]
}

impl Pick {
    /// The mutation for `log`, or `None` (a swap in a one-line log).
    fn resolve(&self, log: &Log, len: usize) -> Option<Mutation> {
        let n = log.lines.len();
        Some(match self {
            Pick::Byte(i, c) => Mutation::Byte(i.index(len), *c),
            Pick::Delete(i) => Mutation::Delete(i.index(n)),
            Pick::Duplicate(i) => Mutation::Duplicate(i.index(n)),
            Pick::Swap(_) if n < 2 => return None,
            Pick::Swap(i) => Mutation::Swap(i.index(n - 1)),
            Pick::Truncate(i) => Mutation::Truncate(i.index(len)),
        })
    }
}

proptest! {
    // Each case costs about (number of lines) strict verifications, ~10 ms each in debug.
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// A random log (1 to 19 lines, random types, data and times) is sound, so the test
    /// cannot pass by rejecting everything; and a random single mutation of it is detected:
    /// without the head unless it cuts the log at a line boundary, and then given the head.
    #[test]
    fn random_logs_are_sound_and_random_mutations_are_detected(
        events in proptest::collection::vec(event(), 0..19),
        pick in pick(),
    ) {
        let key = test_key();
        let log = Log::build(&key, &events);
        let bytes = log.bytes();
        let mutation = pick.resolve(&log, bytes.len());
        prop_assume!(mutation.is_some());
        let mutation = mutation.expect("assumed");

        // The unmutated log (Checker::new also checks each line has no finding).
        let mut checker = Checker::new(&log, options(&key, None));
        let report = checker.report();
        prop_assert!(report.is_sound(), "{:#?}", report);
        prop_assert_eq!(report.entries, log.lines.len() as u64);
        let head = report.head.map(|h| (h.seq, h.hash));
        prop_assert_eq!(head, Some(log.head));

        // Detected without the head (and so with it, which only adds findings)...
        if !mutation.is_boundary_cut(&log, &bytes) {
            prop_assert!(checker.detects_mutation(mutation), "{:?} not detected", mutation);
        } else {
            // ...except a cut at a line boundary: a valid shorter log, caught by the head.
            prop_assert!(!checker.detects_mutation(mutation), "{:?}", mutation);
            let with_head = options(&key, Some(log.head));
            prop_assert!(verify(&bytes, &with_head).is_sound());
            let mutated = mutation.apply(&log, &bytes);
            prop_assert!(!verify(&mutated, &with_head).is_sound(), "{:?}", mutation);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// The parallel verifier (`acta_store::verify`, with small chunks so that lines are
    /// checked across chunk boundaries) gives exactly the sequential [`Verifier`]'s report on
    /// random logs with a random mutation, with and without the expected head.
    #[test]
    fn parallel_verify_equals_sequential_on_random_mutations(
        events in proptest::collection::vec(event(), 0..19),
        pick in pick(),
        chunk in 1usize..5,
        with_head in any::<bool>(),
    ) {
        let key = test_key();
        let log = Log::build(&key, &events);
        let bytes = log.bytes();
        let mutated = match pick.resolve(&log, bytes.len()) {
            Some(m) => m.apply(&log, &bytes),
            None => bytes.clone(),
        };
        let options = options(&key, with_head.then_some(log.head));
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("mutated.log");
        for b in [&bytes, &mutated] {
            std::fs::write(&path, b).expect("write the log");
            let store = acta_store::FileStore::open_reader(&path).expect("open the log");
            let parallel = acta_store::log::verify_in_chunks(&store, options.clone(), chunk)
                .expect("no store error");
            prop_assert_eq!(parallel, verify(b, &options));
        }
    }
}
