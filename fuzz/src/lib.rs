//! Property functions for acta's fuzz targets.
//!
//! Each `pub fn TARGET(data: &[u8])` is the whole body of the cargo-fuzz target
//! `fuzz/fuzz_targets/TARGET.rs`, and `tests/it/fuzz_corpus.rs` replays every file of
//! `fuzz/corpus/TARGET/` through the same function (it includes this file with `#[path]`), so
//! the committed corpus is a regression test even without cargo-fuzz. This file therefore
//! depends on `acta-core` and `std` only.
//!
//! A target must never panic on any input; every `assert!` below is a property of acta-core,
//! and a failing one is a bug (or a wrong property) to investigate.
//!
//! | target            | input                                     | checks |
//! |-------------------|-------------------------------------------|--------|
//! | `verifier_bytes`  | a log file's bytes                        | `Entry::decode` and `Verifier` (signatures, no anchor / no signatures / no signatures with trust + head + checkpoint roots): report invariants, relations between the runs, genesis round-trip |
//! | `verifier_mutate` | mutation ops applied to `fixtures/valid/basic.log` | a mutated log is never consistent unless it is a line prefix of basic.log, never sound against its head and roots unless it is basic.log; every prefix verifies |
//! | `json`            | a JSON document                           | both profiles; `to_canonical` idempotent; `parse(to_canonical(v)) == v`; profile relations |
//! | `note`            | a signed note / checkpoint / key text     | `parse_note`, `Checkpoint::parse`, key parsers round-trip; `verify_note`, cosignatures, `verify_checkpoint_note` consistent |
//! | `tlog_proof`      | a c2sp.org/tlog-proof@v1 text             | `TlogProof::parse` round-trips; against basic.log's tree, an inclusion proof verifies iff it is the canonical one |
//! | `proof_verify`    | raw (index, size, leaf, root, proof)      | `verify_inclusion` / `verify_consistency` never panic, for any u64 sizes; error kinds and proof lengths agree with the provers |
//! | `proof_mutate`    | a tree shape and one mutation             | a proof from a `MemoryTree` (or a uniform virtual tree of up to 2^63 leaves) verifies; with one byte changed it never does; a proof verifies for (index, size) iff it is that proof |
#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::str::FromStr;
use std::sync::OnceLock;

use acta_core::entry::{Entry, EntryHash, FIELDS};

/// The entry members that ops 13 and 14 of [`mutate_log`] pick from: the required ones in
/// canonical order, then the optional `more` last, so that the committed seeds (which name a
/// member by its index here, such as 4 for `seq`) keep their meaning.
const MUTATED_FIELDS: [&str; 9] = [
    "author",
    "data",
    "prev",
    "recorded_at",
    "seq",
    "sig",
    "type",
    "v",
    "more",
];
use acta_core::json::{self, Number, Profile, Value};
use acta_core::key::KeyRef;
use acta_core::keyring::{GENESIS_TYPE, Genesis, Keyring};
use acta_core::note::{
    Checkpoint, CosignerKey, MAX_PROOF_HASHES, MAX_SIGNATURES, Note, NoteVerification, TlogProof,
    cosignature_timestamp, format_note, parse_note, verify_checkpoint_note, verify_cosignature,
    verify_cosignatures, verify_note,
};
use acta_core::tree::{
    Frontier, Hash, HashReader, MAX_TREE_SIZE, MemoryTree, ProofError, node_hash,
    prove_consistency, prove_inclusion, stored_hash_count, stored_hash_index, tree_hash,
    verify_consistency, verify_inclusion,
};
use acta_core::verify::{FindingKind, MAX_FINDINGS, Report};
use acta_core::{SigningKey, Verifier, VerifierKey, VerifyOptions};

/// A target: the body of a fuzz target.
pub type Target = fn(&[u8]);

/// Every target, by name (the name of its corpus directory and of its cargo-fuzz binary).
pub const TARGETS: &[(&str, Target)] = &[
    ("verifier_bytes", verifier_bytes),
    ("verifier_mutate", verifier_mutate),
    ("json", json),
    ("note", note),
    ("tlog_proof", tlog_proof),
    ("proof_verify", proof_verify),
    ("proof_mutate", proof_mutate),
];

/// The sound fixture log, its trust anchor, and the test-only witness names (their keys are
/// derived from fixed seeds by [`witness_signing_key`]).
pub const BASIC_LOG: &[u8] = include_bytes!("../../fixtures/valid/basic.log");
pub const BASIC_OPERATOR_VKEY: &str = include_str!("../../fixtures/valid/basic.operator.vkey");
pub const WITNESS_NAMES: [&str; 2] = ["test-only-fuzz-witness-1", "test-only-fuzz-witness-2"];

/// A TEST-ONLY witness key with a published seed (`[i + 1; 32]`): for the fuzz corpus only.
pub fn witness_signing_key(i: usize) -> SigningKey {
    SigningKey::from_seed(WITNESS_NAMES[i % 2], [i as u8 + 1; 32]).expect("valid test key name")
}

/// What the targets compare against, computed once.
#[derive(Debug)]
pub struct Basic {
    /// The lines of basic.log, without newlines.
    pub lines: Vec<Vec<u8>>,
    /// The Merkle tree over them.
    pub tree: MemoryTree,
    /// basic.log's trust anchor (test-only-operator).
    pub operator: VerifierKey,
    /// Two test-only witnesses.
    pub cosigners: Vec<CosignerKey>,
}

/// The fixture data, parsed once.
pub fn basic() -> &'static Basic {
    static BASIC: OnceLock<Basic> = OnceLock::new();
    BASIC.get_or_init(|| {
        let body = BASIC_LOG
            .strip_suffix(b"\n")
            .expect("basic.log ends in a newline");
        let lines: Vec<Vec<u8>> = body.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        let tree = MemoryTree::from_leaves(lines.iter().map(|l| EntryHash::of_line(l)));
        let operator = VerifierKey::from_str(BASIC_OPERATOR_VKEY.trim()).expect("operator vkey");
        let cosigners = (0..2)
            .map(|i| CosignerKey::from_signing_key(&witness_signing_key(i)))
            .collect();
        Basic {
            lines,
            tree,
            operator,
            cosigners,
        }
    })
}

impl Basic {
    /// Trust anchor, head (the last entry) and the roots at the sizes of the fixture
    /// checkpoints (6 and all): the strictest verification of basic.log.
    pub fn anchored_options(&self) -> VerifyOptions {
        let n = self.lines.len() as u64;
        let last = self.lines.last().expect("basic.log is not empty");
        let mut roots: Vec<(u64, Hash)> = vec![(n, self.tree.root())];
        if n > 6 {
            roots.push((6, self.tree.root_at(6).expect("size 6 is in the tree")));
        }
        VerifyOptions {
            trust: Some(self.operator.clone()),
            expect_head: Some((n - 1, EntryHash::of_line(last))),
            check_signatures: true,
            expect_roots: roots,
        }
    }

    fn trust_only(&self) -> VerifyOptions {
        VerifyOptions {
            trust: Some(self.operator.clone()),
            ..VerifyOptions::default()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A little input reader: everything past the end reads as zero.

/// Reads fixed-size values from fuzz input; past the end, every read gives zeros.
#[derive(Debug)]
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Input { data }
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        head
    }
    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let b = self.bytes(N);
        out[..b.len()].copy_from_slice(b);
        out
    }
    pub fn u8(&mut self) -> u8 {
        self.array::<1>()[0]
    }
    pub fn u16(&mut self) -> u16 {
        u16::from_be_bytes(self.array())
    }
    pub fn u64(&mut self) -> u64 {
        u64::from_be_bytes(self.array())
    }
    pub fn hash(&mut self) -> Hash {
        self.array()
    }
    /// One byte of length, then that many bytes.
    pub fn chunk(&mut self) -> &'a [u8] {
        let n = usize::from(self.u8());
        self.bytes(n)
    }
}

// ---------------------------------------------------------------------------------------------
// Logs and the verifier.

/// A log as the store reader sees it: complete lines (with their byte offsets), lines over the
/// entry limit (only their length), and the bytes after the last newline.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Scanned {
    pub items: Vec<Item>,
    /// (offset, length) of an incomplete last line.
    pub torn: Option<(u64, u64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Line(u64, Vec<u8>),
    TooLong(u64, u64),
}

impl Scanned {
    /// Splits a log file as `acta-store` does (lines end in '\n'; a line longer than
    /// `MAX_ENTRY_BYTES` is reported by length; trailing bytes are a torn tail).
    pub fn of_bytes(log: &[u8]) -> Scanned {
        let mut out = Scanned::default();
        let mut offset = 0u64;
        let mut rest = log;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            let line = &rest[..i];
            out.items.push(if line.len() > acta_core::MAX_ENTRY_BYTES {
                Item::TooLong(offset, line.len() as u64)
            } else {
                Item::Line(offset, line.to_vec())
            });
            offset += i as u64 + 1;
            rest = &rest[i + 1..];
        }
        if !rest.is_empty() {
            out.torn = Some((offset, rest.len() as u64));
        }
        out
    }

    fn lines(&self) -> Vec<&[u8]> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Line(_, l) => Some(l.as_slice()),
                Item::TooLong(..) => None,
            })
            .collect()
    }

    fn clean(&self) -> bool {
        self.torn.is_none() && self.items.iter().all(|i| matches!(i, Item::Line(..)))
    }

    /// Whether this is a clean log whose lines are the first k ≥ 1 lines of `lines`.
    fn is_prefix_of(&self, lines: &[Vec<u8>]) -> bool {
        let mine = self.lines();
        self.clean()
            && !mine.is_empty()
            && mine.len() <= lines.len()
            && mine.iter().zip(lines).all(|(a, b)| *a == b.as_slice())
    }

    /// Verifies under `options`, checking the report's invariants.
    pub fn verify(&self, options: VerifyOptions) -> Report {
        let roots = options.expect_roots.len();
        let mut v = Verifier::new(options);
        let mut tree = Some(MemoryTree::new());
        for item in &self.items {
            match item {
                Item::Line(offset, line) => {
                    v.push_line(*offset, line);
                    if let Some(t) = &mut tree {
                        t.push(EntryHash::of_line(line));
                    }
                }
                Item::TooLong(offset, len) => {
                    v.push_too_long(*offset, *len);
                    tree = None;
                }
            }
        }
        // The verifier's streaming tree is the Merkle tree of the lines.
        match (&tree, v.tree()) {
            (Some(t), Some(f)) => {
                assert_eq!(f.size(), t.size());
                assert_eq!(f.root(), t.root());
            }
            (None, None) => {}
            (t, f) => unreachable!("tree presence differs: {:?} vs {:?}", t.is_some(), f),
        }
        // Pushed by length: a generated tail is never a validly signed next entry (which the
        // store's verification, `push_unterminated`, would report as `missing_newline`).
        if let Some((offset, len)) = self.torn {
            v.push_torn_tail(offset, len);
        }
        let report = v.finish();
        self.check_report(&report, roots);
        report
    }

    fn check_report(&self, r: &Report, roots: usize) {
        let n = self.items.len();
        assert_eq!(r.entries, n as u64);
        assert!(r.findings.windows(2).all(|w| w[0].entry <= w[1].entry));
        assert!(
            r.findings.len() <= MAX_FINDINGS + 1 + roots,
            "{}",
            r.findings.len()
        );
        let always = |k: &FindingKind| {
            matches!(
                k,
                FindingKind::EmptyLog
                    | FindingKind::Truncated { .. }
                    | FindingKind::HeadMismatch { .. }
                    | FindingKind::RootMismatch { .. }
                    | FindingKind::RootUncheckable { .. }
                    | FindingKind::CheckpointBeyondLog { .. }
            )
        };
        let capped = r.findings.iter().filter(|f| !always(&f.kind)).count();
        assert!(capped <= MAX_FINDINGS);
        // Entry findings are dropped only once the list is full. (The always-kept root
        // findings found before that take places in the list, so fewer than MAX_FINDINGS
        // entry findings may be kept.)
        if r.findings_omitted > 0 {
            assert!(r.findings.len() >= MAX_FINDINGS, "{}", r.findings.len());
        }
        if r.is_sound() {
            assert!(matches!(
                r.anchor,
                acta_core::verify::Anchor::Trusted { .. }
            ));
        }
        assert_eq!(
            r.findings.iter().any(|f| f.kind == FindingKind::EmptyLog),
            n == 0
        );
        if self.torn.is_some() && r.findings_omitted == 0 {
            assert!(
                r.findings
                    .iter()
                    .any(|f| matches!(f.kind, FindingKind::TornTail { .. }))
            );
        }
        // Each finding is located at its line (or just past the last one).
        for f in &r.findings {
            let entry = usize::try_from(f.entry).expect("small");
            match self.items.get(entry) {
                Some(Item::Line(offset, _) | Item::TooLong(offset, _)) => {
                    assert_eq!(f.offset, *offset, "{f:?}");
                }
                None => {
                    assert_eq!(entry, n, "{f:?}");
                    assert!(
                        matches!(
                            f.kind,
                            FindingKind::EmptyLog
                                | FindingKind::Truncated { .. }
                                | FindingKind::CheckpointBeyondLog { .. }
                                | FindingKind::TornTail { .. }
                        ),
                        "{f:?}"
                    );
                }
            }
        }
        match (self.items.last(), &r.head) {
            (None, None) => {}
            (Some(Item::Line(_, line)), Some(head)) => {
                assert_eq!(head.hash, EntryHash::of_line(line));
            }
            (Some(Item::TooLong(..)), _) => {}
            (last, head) => unreachable!("head {head:?} for last item {last:?}"),
        }
        // No root once a line could not be hashed.
        assert_eq!(
            r.root.is_some(),
            self.items.iter().all(|i| matches!(i, Item::Line(..)))
        );
    }
}

/// Whether every finding of `a` is also in `b` (as a multiset).
fn findings_included(a: &Report, b: &Report) -> bool {
    let mut rest = b.findings.clone();
    a.findings
        .iter()
        .all(|f| match rest.iter().position(|g| g == f) {
            Some(i) => {
                rest.swap_remove(i);
                true
            }
            None => false,
        })
}

/// Decoding one line: never panics, and what it reports is true.
fn check_decode(line: &[u8]) {
    match Entry::decode(line) {
        Ok(d) => {
            assert_eq!(d.hash, EntryHash::of_line(line));
            let canonical = json::parse(line, Profile::Entry)
                .map(|v| json::to_canonical(&v))
                .expect("a decoded entry is entry-profile JSON");
            match d.non_canonical_at {
                None => assert_eq!(canonical, line),
                Some(i) => {
                    assert_ne!(canonical, line);
                    assert!(i <= line.len().min(canonical.len()));
                    assert_eq!(canonical[..i], line[..i]);
                    if i < line.len().min(canonical.len()) {
                        assert_ne!(canonical[i], line[i]);
                    }
                }
            }
            // A genesis's data round-trips through `Genesis`.
            if d.entry.entry_type == GENESIS_TYPE
                && let Ok(g) = Genesis::from_data(&d.entry.data)
            {
                let data = g.to_data();
                assert_eq!(data, d.entry.data);
                assert_eq!(Genesis::from_data(&data).as_ref(), Ok(&g));
                if let Ok(ring) = Keyring::from_genesis(&g) {
                    assert_eq!(ring.records().len(), g.keys.len());
                }
            }
            // The signed bytes are the canonical entry without its signature.
            let unsigned = json::parse(&d.unsigned, Profile::Entry).expect("unsigned is JSON");
            assert_eq!(json::to_canonical(&unsigned), d.unsigned);
            let obj = unsigned.as_object().expect("an object");
            assert!(obj.get("sig").is_none());
            // Every member but `sig`, and `more` only if the entry has one.
            assert_eq!(
                obj.len(),
                FIELDS.len() - 1 - usize::from(d.entry.more.is_none())
            );
            assert_eq!(
                obj.get("seq").and_then(Value::as_i64),
                Some(d.entry.seq as i64)
            );
            assert_eq!(
                obj.get("author").and_then(Value::as_str),
                Some(d.entry.author.to_string().as_str())
            );
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// Target `verifier_bytes`: `data` is a log file.
///
/// Verified three times: with signatures and no anchor; without signatures and no anchor; and
/// without signatures but with basic.log's trust anchor, head and checkpoint roots (signature
/// checks dominate the cost, so only one run makes them).
pub fn verifier_bytes(data: &[u8]) {
    let b = basic();
    let log = Scanned::of_bytes(data);
    for line in log.lines() {
        check_decode(line);
    }
    let plain = log.verify(VerifyOptions::default());
    let unsigned = log.verify(VerifyOptions {
        check_signatures: false,
        ..VerifyOptions::default()
    });
    let anchored = log.verify(VerifyOptions {
        check_signatures: false,
        ..b.anchored_options()
    });
    assert!(!matches!(
        plain.anchor,
        acta_core::verify::Anchor::Trusted { .. }
    ));
    // Trust and expectations only add findings.
    if unsigned.findings_omitted == 0 && anchored.findings_omitted == 0 {
        assert!(findings_included(&unsigned, &anchored));
    }
    if anchored.is_sound() {
        assert!(unsigned.is_consistent());
        // The roots pin the first lines to basic.log's.
        let lines = log.lines();
        assert!(lines.len() >= b.lines.len());
        assert!(lines.iter().zip(&b.lines).all(|(a, b)| *a == b.as_slice()));
    }
    // Without a failed signature, skipping signature checks changes nothing.
    let bad_sig = plain
        .findings
        .iter()
        .any(|f| matches!(f.kind, FindingKind::BadSignature { .. }));
    if !bad_sig && plain.findings_omitted == 0 {
        assert_eq!(unsigned, plain);
    }
    // Verification is deterministic.
    assert_eq!(
        log.verify(VerifyOptions {
            check_signatures: false,
            ..VerifyOptions::default()
        }),
        unsigned
    );
}

/// Target `verifier_mutate`: `data` is a list of mutation ops applied to basic.log's lines.
///
/// Every op is one byte (`op % 16`) followed by its parameters (see [`mutate_log`]). The
/// oracle: only basic.log itself is sound against its trust anchor, head and checkpoint roots,
/// and only a line prefix of it is consistent without any anchor (nobody but its signers could
/// have made another log that verifies); a line prefix is sound with the trust anchor alone,
/// unless it ends inside a batch (`unfinished_batch`).
pub fn verifier_mutate(data: &[u8]) {
    let b = basic();
    let log = mutate_log(&b.lines, data);
    let anchored = log.verify(b.anchored_options());
    let prefix = log.is_prefix_of(&b.lines);
    let whole = prefix && log.items.len() == b.lines.len();
    assert_eq!(
        anchored.is_sound(),
        whole,
        "sound: {}, is basic.log: {whole}, findings: {:?}",
        anchored.is_sound(),
        anchored.findings
    );
    // The anchored run's findings are the unanchored run's plus these (verifier_bytes checks
    // that relation), so without others the log is consistent on its own.
    let about_anchors = |k: &FindingKind| {
        matches!(
            k,
            FindingKind::UntrustedGenesis { .. }
                | FindingKind::Truncated { .. }
                | FindingKind::HeadMismatch { .. }
                | FindingKind::RootMismatch { .. }
                | FindingKind::RootUncheckable { .. }
                | FindingKind::CheckpointBeyondLog { .. }
        )
    };
    let consistent =
        anchored.findings_omitted == 0 && anchored.findings.iter().all(|f| about_anchors(&f.kind));
    if consistent {
        assert!(
            prefix,
            "a consistent log that is not a prefix of basic.log: {log:?}"
        );
    }
    if prefix {
        // A line prefix is sound, unless it ends inside a batch (its last line has `more`):
        // then the batch was cut short, and that is its only finding.
        let trusted = log.verify(b.trust_only());
        let cut_batch = log
            .lines()
            .last()
            .and_then(|l| Entry::decode(l).ok())
            .is_some_and(|d| d.entry.more.is_some());
        if cut_batch {
            assert!(
                matches!(
                    trusted.findings.as_slice(),
                    [f] if matches!(f.kind, FindingKind::UnfinishedBatch { .. })
                ),
                "{:?}",
                trusted.findings
            );
        } else {
            assert!(trusted.is_sound(), "{:?}", trusted.findings);
        }
    }
}

/// The logs [`verifier_mutate`] makes: basic.log's lines, then ops.
pub fn mutate_log(base: &[Vec<u8>], data: &[u8]) -> Scanned {
    #[derive(Debug, Clone)]
    enum L {
        Line(Vec<u8>),
        TooLong(u64),
    }
    let mut lines: Vec<L> = base.iter().cloned().map(L::Line).collect();
    let mut tail: Vec<u8> = Vec::new();
    let mut input = Input::new(data);
    let mut ops = 0;
    while !input.is_empty() && ops < 32 {
        ops += 1;
        let op = input.u8() % 16;
        let n = lines.len();
        // A line index (in range if there are lines).
        let i = usize::from(input.u8()) % n.max(1);
        match op {
            // 0: xor one byte; 1: set one byte; 2: insert bytes; 3: delete bytes.
            0..=3 => {
                let pos = usize::from(input.u16());
                if let Some(L::Line(line)) = lines.get_mut(i) {
                    let p = if line.is_empty() { 0 } else { pos % line.len() };
                    match op {
                        0 => {
                            let x = input.u8().max(1);
                            if let Some(b) = line.get_mut(p) {
                                *b ^= x;
                            }
                        }
                        1 => {
                            let x = input.u8();
                            if let Some(b) = line.get_mut(p) {
                                *b = x;
                            }
                        }
                        2 => {
                            let bytes = input.chunk().to_vec();
                            line.splice(p..p, bytes);
                        }
                        _ => {
                            let len = usize::from(input.u8()).max(1);
                            let end = (p + len).min(line.len());
                            line.drain(p..end);
                        }
                    }
                }
            }
            // 4: delete a line.
            4 => {
                if i < n {
                    lines.remove(i);
                }
            }
            // 5: copy line i to position j.
            5 => {
                let j = usize::from(input.u8()) % (n + 1);
                if let Some(l) = lines.get(i).cloned() {
                    lines.insert(j, l);
                }
            }
            // 6: swap two lines.
            6 => {
                let j = usize::from(input.u8()) % n.max(1);
                if i < n && j < n {
                    lines.swap(i, j);
                }
            }
            // 7: move line i to position j.
            7 => {
                if i < n {
                    let l = lines.remove(i);
                    let j = usize::from(input.u8()) % n;
                    lines.insert(j, l);
                }
            }
            // 8: keep the first i lines.
            8 => lines.truncate(i),
            // 9: splice: the start of line i, then the end of line j.
            9 => {
                let j = usize::from(input.u8()) % n.max(1);
                let (p, q) = (usize::from(input.u16()), usize::from(input.u16()));
                if let (Some(L::Line(a)), Some(L::Line(b))) = (lines.get(i), lines.get(j)) {
                    let mut new = a[..p % (a.len() + 1)].to_vec();
                    new.extend_from_slice(&b[q % (b.len() + 1)..]);
                    lines[i] = L::Line(new);
                }
            }
            // 10: insert a line of fuzz bytes (it may hold newlines: then several lines).
            10 => {
                let bytes = input.chunk().to_vec();
                lines.insert(i.min(n), L::Line(bytes));
            }
            // 11: join line i and the next (drop the newline between them).
            11 => {
                if i + 1 < n
                    && let (L::Line(a), L::Line(b)) = (&lines[i], &lines[i + 1])
                {
                    let mut joined = a.clone();
                    joined.extend_from_slice(b);
                    lines[i] = L::Line(joined);
                    lines.remove(i + 1);
                }
            }
            // 12: bytes after the last newline (a torn tail).
            12 => tail.extend_from_slice(input.chunk()),
            // 13: field `k` of line i takes the value of field `k` of line j (re-encoded
            // canonically, so only the signature or the chain can tell).
            13 => {
                let j = usize::from(input.u8()) % n.max(1);
                let k = MUTATED_FIELDS[usize::from(input.u8()) % MUTATED_FIELDS.len()];
                if let (Some(L::Line(a)), Some(L::Line(b))) = (lines.get(i), lines.get(j))
                    && let (Ok(Value::Object(mut a)), Ok(Value::Object(b))) = (
                        json::parse(a, Profile::Entry),
                        json::parse(b, Profile::Entry),
                    )
                {
                    match b.get(k) {
                        Some(v) => a.insert(k, v.clone()),
                        None => {
                            a.remove(k);
                        }
                    }
                    lines[i] = L::Line(json::to_canonical(&Value::Object(a)));
                }
            }
            // 14: field `k` of line i set to a fuzz integer or string (canonical re-encoding).
            14 => {
                let k = MUTATED_FIELDS[usize::from(input.u8()) % MUTATED_FIELDS.len()];
                let value = if input.u8() & 1 == 0 {
                    let x = input.u64() % (json::MAX_SAFE_INTEGER as u64 + 1);
                    Value::Number(Number::Int(x as i64))
                } else {
                    Value::String(String::from_utf8_lossy(input.chunk()).into_owned())
                };
                if let Some(L::Line(a)) = lines.get(i)
                    && let Ok(Value::Object(mut a)) = json::parse(a, Profile::Entry)
                {
                    a.insert(k, value);
                    lines[i] = L::Line(json::to_canonical(&Value::Object(a)));
                }
            }
            // 15: an over-long line (reported by length only, as the store reader does).
            _ => {
                let extra = u64::from(input.u16());
                let len = acta_core::MAX_ENTRY_BYTES as u64 + 1 + extra;
                lines.insert(i.min(n), L::TooLong(len));
            }
        }
    }
    // Serialise and re-read, as the store reader would.
    let mut out = Scanned::default();
    let mut offset = 0u64;
    let mut pending: Vec<u8> = Vec::new();
    for l in lines {
        match l {
            L::Line(bytes) => {
                pending.extend_from_slice(&bytes);
                pending.push(b'\n');
            }
            L::TooLong(len) => {
                let s = Scanned::of_bytes(&pending);
                for item in s.items {
                    out.items.push(match item {
                        Item::Line(o, b) => Item::Line(offset + o, b),
                        Item::TooLong(o, n) => Item::TooLong(offset + o, n),
                    });
                }
                offset += pending.len() as u64;
                pending.clear();
                out.items.push(Item::TooLong(offset, len));
                offset += len + 1;
            }
        }
    }
    pending.extend_from_slice(&tail);
    let s = Scanned::of_bytes(&pending);
    for item in s.items {
        out.items.push(match item {
            Item::Line(o, b) => Item::Line(offset + o, b),
            Item::TooLong(o, n) => Item::TooLong(offset + o, n),
        });
    }
    out.torn = s.torn.map(|(o, n)| (offset + o, n));
    out
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON.

fn contains_float(v: &Value) -> bool {
    match v {
        Value::Number(Number::Float(_)) => true,
        Value::Array(items) => items.iter().any(contains_float),
        Value::Object(o) => o.iter().any(|(_, v)| contains_float(v)),
        _ => false,
    }
}

/// Structural invariants of a parsed value: keys strictly increasing in UTF-16 order, depth
/// within the limit, integers within ±(2^53 − 1), floats finite and not integral-and-safe.
fn check_value(v: &Value, depth: usize) {
    match v {
        Value::Number(Number::Int(i)) => {
            assert!((-json::MAX_SAFE_INTEGER..=json::MAX_SAFE_INTEGER).contains(i));
        }
        Value::Number(Number::Float(f)) => {
            assert!(f.is_finite());
            assert!(f.fract() != 0.0 || f.abs() > json::MAX_SAFE_INTEGER as f64);
        }
        Value::Array(items) => {
            assert!(depth <= json::MAX_DEPTH);
            items.iter().for_each(|v| check_value(v, depth + 1));
        }
        Value::Object(o) => {
            assert!(depth <= json::MAX_DEPTH);
            let keys: Vec<&str> = o.iter().map(|(k, _)| k).collect();
            assert!(
                keys.windows(2)
                    .all(|w| json::cmp_keys(w[0], w[1]) == std::cmp::Ordering::Less)
            );
            o.iter().for_each(|(_, v)| check_value(v, depth + 1));
        }
        _ => {}
    }
}

/// Target `json`: `data` is a JSON document.
pub fn json(data: &[u8]) {
    let general = json::parse(data, Profile::General);
    let entry = json::parse(data, Profile::Entry);
    for e in [&general, &entry]
        .into_iter()
        .filter_map(|r| r.as_ref().err())
    {
        assert!(e.offset <= data.len(), "{e:?}");
        let _ = e.to_string();
    }
    match (&general, &entry) {
        // The entry profile accepts a subset, with the same values.
        (_, Ok(v)) => {
            assert_eq!(general.as_ref(), Ok(v));
            assert!(!contains_float(v));
        }
        // It refuses only for numbers.
        (Ok(_), Err(e)) => assert!(
            matches!(
                e.kind,
                json::JsonErrorKind::NotAnInteger | json::JsonErrorKind::IntegerOutOfRange
            ),
            "{e:?}"
        ),
        (Err(_), Err(_)) => {}
    }
    match &general {
        Ok(v) => {
            check_value(v, 1);
            let c = json::to_canonical(v);
            assert!(std::str::from_utf8(&c).is_ok());
            assert_eq!(v.to_string().as_bytes(), c.as_slice());
            assert_eq!(json::canonicalize(data).as_ref(), Ok(&c));
            // Idempotent, and the canonical form parses back to the same value.
            let again = json::parse(&c, Profile::General);
            assert_eq!(
                again.as_ref(),
                Ok(v),
                "canonical {:?}",
                String::from_utf8_lossy(&c)
            );
            assert_eq!(json::canonicalize(&c).as_ref(), Ok(&c));
            // Under the entry profile exactly when it has no fraction or big number.
            let as_entry = json::parse(&c, Profile::Entry);
            assert_eq!(as_entry.is_ok(), !contains_float(v), "{as_entry:?}");
            if let Ok(e) = as_entry {
                assert_eq!(&e, v);
            }
        }
        Err(_) => assert!(json::canonicalize(data).is_err()),
    }
}

// ---------------------------------------------------------------------------------------------
// Signed notes, checkpoints, cosignatures, keys.

fn check_classification(v: &NoteVerification, note: &Note) {
    let n = note.signatures.len();
    assert_eq!(
        v.verified.len()
            + v.unknown.len()
            + v.invalid.len()
            + v.ambiguous.len()
            + v.duplicates.len(),
        n
    );
    let mut seen = BTreeSet::new();
    for s in &v.verified {
        assert!(s.index < n);
        assert_eq!(s.line, note.first_signature_line() + s.index);
        assert_eq!(note.signatures[s.index].key_ref(), s.key);
        assert!(seen.insert(s.key.clone()), "a key verified twice");
    }
    assert_eq!(v.is_valid(), v.result().is_ok());
    if let Ok(keys) = v.result() {
        assert_eq!(keys, v.verified_keys());
        assert!(!keys.is_empty());
    }
}

fn check_checkpoint_text(text: &str) -> Option<Checkpoint> {
    let c = Checkpoint::parse(text).ok()?;
    assert_eq!(c.to_text().as_deref(), Ok(text));
    assert!(!c.origin.is_empty());
    assert!(c.extensions.iter().all(|e| !e.is_empty()));
    Some(c)
}

/// Key texts round-trip through their parsers.
fn check_key_text(s: &str) {
    if let Ok(k) = VerifierKey::from_str(s) {
        assert_eq!(k.to_string(), s);
        assert_eq!(KeyRef::from_str(&k.key_ref().to_string()), Ok(k.key_ref()));
    }
    if let Ok(k) = CosignerKey::from_str(s) {
        assert_eq!(k.to_string(), s);
    }
    if let Ok(k) = KeyRef::from_str(s) {
        assert_eq!(k.to_string(), s);
    }
    if let Ok(k) = SigningKey::from_private_text(s) {
        assert_eq!(k.to_private_text(), s);
    }
}

/// Checks a parsed note against the known keys; returns the log-key verification.
fn check_note(n: &Note, input: &[u8]) -> NoteVerification {
    let b = basic();
    let text = format_note(n).expect("a parsed note formats");
    assert_eq!(text.as_bytes(), input, "parse → format is not the identity");
    assert!(!n.signatures.is_empty() && n.signatures.len() <= MAX_SIGNATURES);
    assert!(n.text.ends_with('\n'));
    assert!(n.signatures.iter().all(|s| !s.bytes.is_empty()));
    let v = verify_note(n, std::slice::from_ref(&b.operator));
    check_classification(&v, n);
    let checkpoint = check_checkpoint_text(&n.text);
    match verify_cosignatures(n, &b.cosigners) {
        Ok(c) => {
            assert!(checkpoint.is_some());
            check_classification(&c, n);
            for s in &c.verified {
                let ts = s.timestamp.expect("a cosignature has a timestamp");
                assert_eq!(cosignature_timestamp(&n.signatures[s.index]), Ok(ts));
            }
        }
        Err(_) => assert!(checkpoint.is_none()),
    }
    for s in &n.signatures {
        let _ = cosignature_timestamp(s);
        for c in &b.cosigners {
            if let Ok(ts) = verify_cosignature(&n.text, s, c) {
                assert_eq!(cosignature_timestamp(s), Ok(ts));
                assert_eq!(s.key_ref(), c.key_ref());
            }
        }
    }
    v
}

/// Target `note`: `data` is a signed note (a checkpoint, usually), or a key text.
pub fn note(data: &[u8]) {
    let b = basic();
    let parsed = parse_note(data);
    let log_verified = match &parsed {
        Ok(n) => Some(check_note(n, data)),
        Err(e) => {
            let _ = e.to_string();
            None
        }
    };
    for threshold in 0..=2 {
        match verify_checkpoint_note(data, &b.operator, &b.cosigners, threshold) {
            Ok(vc) => {
                let n = parsed.as_ref().expect("verified implies parsed");
                assert_eq!(&vc.note, n);
                assert_eq!(Checkpoint::parse(&n.text).as_ref(), Ok(&vc.checkpoint));
                assert!(
                    log_verified
                        .as_ref()
                        .is_some_and(NoteVerification::is_valid)
                );
                assert!(vc.witnesses.len() >= threshold);
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
    // Without witnesses only threshold 0 can pass, and then exactly when the log signed.
    let bare = verify_checkpoint_note(data, &b.operator, &[], 0);
    if let Ok(vc) = &bare {
        assert!(vc.witnesses.is_empty());
    }
    if let Ok(s) = std::str::from_utf8(data) {
        check_checkpoint_text(s);
        if data.len() <= 4096 {
            for line in s.split('\n') {
                check_key_text(line);
            }
        }
    }
}

/// Target `tlog_proof`: `data` is a c2sp.org/tlog-proof@v1 text.
pub fn tlog_proof(data: &[u8]) {
    let b = basic();
    let p = match TlogProof::parse(data) {
        Ok(p) => p,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let text = p.to_text().expect("a parsed proof formats");
    assert_eq!(text.as_bytes(), data, "parse → format is not the identity");
    assert_eq!(TlogProof::parse(text.as_bytes()).as_ref(), Ok(&p));
    assert!(p.proof.len() <= MAX_PROOF_HASHES);
    assert!(p.extra.as_ref().is_none_or(|e| !e.is_empty()));
    let c = p
        .parsed_checkpoint()
        .expect("a parsed proof has a checkpoint");
    assert!(p.index < c.size);
    let note_text = format_note(&p.checkpoint).expect("its note formats");
    check_note(&p.checkpoint, note_text.as_bytes());
    let verified = verify_checkpoint_note(note_text.as_bytes(), &b.operator, &b.cosigners, 0);
    if let Ok(vc) = &verified {
        assert_eq!(vc.checkpoint, c);
    }
    // Against basic.log's tree: a proof verifies iff it is the canonical proof.
    let in_basic = c.size <= b.tree.size() && b.tree.root_at(c.size).ok() == Some(c.root);
    if in_basic {
        let i = usize::try_from(p.index).expect("index < 12");
        let leaf = EntryHash::of_line(&b.lines[i]);
        let canonical = b
            .tree
            .prove_inclusion(c.size, p.index)
            .expect("index < size ≤ tree size");
        let ok = verify_inclusion(leaf, p.index, c.size, &p.proof, c.root);
        assert_eq!(ok.is_ok(), p.proof == canonical, "{ok:?}");
        // A leaf of another line never verifies with it.
        let other = EntryHash::of_line(&b.lines[(i + 1) % b.lines.len()]);
        if b.lines.len() > 1 {
            assert!(verify_inclusion(other, p.index, c.size, &p.proof, c.root).is_err());
        }
    } else {
        let leaf = EntryHash::of_line(b"");
        check_inclusion_result(
            leaf,
            p.index,
            c.size,
            &p.proof,
            c.root,
            verify_inclusion(leaf, p.index, c.size, &p.proof, c.root),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Merkle proofs.

/// A reader that answers every index with zeros: the provers' output has the right length for
/// any tree size, though the hashes mean nothing.
#[derive(Debug)]
struct ShapeReader;

impl HashReader for ShapeReader {
    type Error = std::convert::Infallible;
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Self::Error> {
        Ok(vec![[0; 32]; indexes.len()])
    }
}

fn inclusion_len(index: u64, size: u64) -> Option<usize> {
    prove_inclusion(size, index, &ShapeReader)
        .ok()
        .map(|p| p.len())
}

fn consistency_len(old: u64, new: u64) -> Option<usize> {
    prove_consistency(old, new, &ShapeReader)
        .ok()
        .map(|p| p.len())
}

/// What `verify_inclusion` said is consistent with its inputs.
fn check_inclusion_result(
    leaf: EntryHash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: Hash,
    r: Result<(), ProofError>,
) {
    let expected = inclusion_len(index, size);
    match r {
        Ok(()) => {
            assert!(index < size);
            if let Some(e) = expected {
                assert_eq!(proof.len(), e);
            }
            if proof.is_empty() {
                assert_eq!(leaf.0, root);
            }
        }
        Err(ProofError::IndexOutOfRange { index: i, size: s }) => {
            assert!((i, s) == (index, size) && index >= size);
        }
        Err(ProofError::WrongProofLength { expected: e, got }) => {
            assert!(index < size);
            assert_eq!(got, proof.len());
            assert_ne!(e, got);
            if let Some(len) = expected {
                assert_eq!(e, len, "path length of leaf {index} of {size}");
            }
        }
        Err(ProofError::RootMismatch) => {
            assert!(index < size);
            if let Some(e) = expected {
                assert_eq!(proof.len(), e);
            }
        }
        Err(other) => unreachable!("verify_inclusion returned {other:?}"),
    }
}

fn check_consistency_result(
    old: u64,
    new: u64,
    proof: &[Hash],
    old_root: Hash,
    new_root: Hash,
    r: Result<(), ProofError>,
) {
    let expected = consistency_len(old, new);
    match r {
        Ok(()) => {
            assert!(0 < old && old <= new);
            if old == new {
                assert!(proof.is_empty() && old_root == new_root);
            }
            if let Some(e) = expected {
                assert_eq!(proof.len(), e);
            }
        }
        Err(ProofError::SizesReversed { old_size, new_size }) => {
            assert!((old_size, new_size) == (old, new) && old > new)
        }
        Err(ProofError::EmptyOldTree) => assert!(old == 0 && new >= old),
        Err(ProofError::WrongProofLength { expected: e, got }) => {
            assert!(0 < old && old <= new);
            assert_eq!(got, proof.len());
            assert_ne!(e, got);
            if let Some(len) = expected {
                assert_eq!(e, len, "consistency proof length {old} → {new}");
            }
        }
        Err(ProofError::OldRootMismatch | ProofError::RootMismatch) => {
            assert!(0 < old && old <= new);
            if let Some(e) = expected {
                assert_eq!(proof.len(), e);
            }
        }
        Err(other) => unreachable!("verify_consistency returned {other:?}"),
    }
}

/// Target `proof_verify`: `mode u8, a u64, b u64, leaf/old root [32], root [32], count u8,
/// count × hash [32]` (big-endian, zero-padded). Mode bit 0: inclusion of leaf `a` in `b`
/// leaves, or consistency from `a` to `b` leaves; bit 1: `a` and `b` are taken modulo 2^16
/// (small trees), bit 2: `b` is 2^63 ± a small delta.
pub fn proof_verify(data: &[u8]) {
    let mut input = Input::new(data);
    let mode = input.u8();
    let (mut a, mut b) = (input.u64(), input.u64());
    if mode & 2 != 0 {
        (a, b) = (a % (1 << 16), b % (1 << 16));
    }
    if mode & 4 != 0 {
        b = MAX_TREE_SIZE.wrapping_add(b % 256).wrapping_sub(128);
    }
    let h1 = input.hash();
    let h2 = input.hash();
    let count = usize::from(input.u8()) % 80;
    let proof: Vec<Hash> = (0..count).map(|_| input.hash()).collect();
    if mode & 1 == 0 {
        let r = verify_inclusion(EntryHash(h1), a, b, &proof, h2);
        check_inclusion_result(EntryHash(h1), a, b, &proof, h2, r);
    } else {
        let r = verify_consistency(a, b, &proof, h1, h2);
        check_consistency_result(a, b, &proof, h1, h2, r);
    }
    // The stored-layout arithmetic never panics, and tree_hash refuses sizes above the max.
    let _ = stored_hash_index((a % 256) as u8, b);
    let _ = stored_hash_count(a);
    let th = tree_hash(b, &ShapeReader);
    assert_eq!(th.is_ok(), b <= MAX_TREE_SIZE);
}

/// A tree of 2^63 identical leaves, virtually: every complete subtree of level L has the same
/// hash, so a stored index only needs its level.
#[derive(Debug)]
struct UniformTree {
    levels: [Hash; 64],
}

impl UniformTree {
    fn new(leaf: EntryHash) -> Self {
        let mut levels = [leaf.0; 64];
        for l in 1..64 {
            levels[l] = node_hash(&levels[l - 1], &levels[l - 1]);
        }
        UniformTree { levels }
    }

    /// The level of the subtree at stored index `idx`: leaf m's hash is at count(m), followed by
    /// the trailing_ones(m) subtrees leaf m completes.
    fn level(idx: u64) -> u8 {
        let count = |m: u64| 2 * u128::from(m) - u128::from(m.count_ones());
        let idx128 = u128::from(idx);
        // The largest m with count(m) ≤ idx (count is increasing).
        let (mut lo, mut hi) = (0u64, MAX_TREE_SIZE - 1);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if count(mid) <= idx128 {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let level = idx128 - count(lo);
        assert!(level <= u128::from(lo.trailing_ones()), "index {idx}");
        level as u8
    }
}

impl HashReader for UniformTree {
    type Error = std::convert::Infallible;
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Self::Error> {
        Ok(indexes
            .iter()
            .map(|&i| self.levels[usize::from(UniformTree::level(i))])
            .collect())
    }
}

/// Flips one byte (`pos` into the concatenation of `parts`, xor `x` ≠ 0).
fn flip(parts: &mut [&mut [u8]], pos: usize, x: u8) {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    if total == 0 {
        return;
    }
    let mut pos = pos % total;
    for p in parts.iter_mut() {
        if pos < p.len() {
            p[pos] ^= x.max(1);
            return;
        }
        pos -= p.len();
    }
}

/// Target `proof_mutate`: `mode u8, seed u8, then the mode's parameters`.
///
/// - mode even: a `MemoryTree` of 1 + (u16 % 256) distinct leaves; an inclusion proof
///   (index, size) and a consistency proof (old, new) from it must verify; with one byte of
///   (leaf ‖ proof ‖ root) or (proof ‖ old root ‖ new root) changed, or one hash dropped,
///   repeated or swapped, they must not; and for other (index', size') / (old', new') in the
///   tree, with the true leaf and roots, the proof verifies iff it is the proof for those.
/// - mode odd: the same for a virtual tree of identical leaves of any size up to 2^63.
pub fn proof_mutate(data: &[u8]) {
    let mut input = Input::new(data);
    let mode = input.u8();
    let seed = input.u8();
    if mode & 1 == 0 {
        memory_tree_proofs(seed, &mut input);
    } else {
        uniform_tree_proofs(seed, &mut input);
    }
}

fn leaf(seed: u8, i: u64) -> EntryHash {
    let mut line = vec![seed];
    line.extend_from_slice(&i.to_be_bytes());
    EntryHash::of_line(&line)
}

/// The structural mutations of a proof; each must make it fail.
fn proof_variants(proof: &[Hash], extra: Hash, at: usize) -> Vec<Vec<Hash>> {
    let mut out = Vec::new();
    let n = proof.len();
    if n > 0 {
        let i = at % n;
        let mut p = proof.to_vec();
        p.remove(i);
        out.push(p);
        let mut p = proof.to_vec();
        p.insert(i, proof[i]);
        out.push(p);
        if n > 1 {
            let j = (i + 1) % n;
            if proof[i] != proof[j] {
                let mut p = proof.to_vec();
                p.swap(i, j);
                out.push(p);
            }
        }
    }
    let mut p = proof.to_vec();
    p.insert(at % (n + 1), extra);
    out.push(p);
    out
}

fn memory_tree_proofs(seed: u8, input: &mut Input<'_>) {
    let n = 1 + u64::from(input.u16() % 256);
    let tree = MemoryTree::from_leaves((0..n).map(|i| leaf(seed, i)));
    let size = 1 + u64::from(input.u16()) % n;
    let index = u64::from(input.u16()) % size;
    let old = 1 + u64::from(input.u16()) % size;
    let (pos, x, at) = (
        usize::from(input.u16()),
        input.u8(),
        usize::from(input.u8()),
    );
    let extra = input.hash();
    let (size2, index2, old2) = (
        1 + u64::from(input.u16()) % n,
        u64::from(input.u16()),
        u64::from(input.u16()),
    );

    let root = tree.root_at(size).expect("size ≤ n");
    // The stored layout, the frontier and the provers agree.
    let mut frontier = Frontier::new();
    (0..size).for_each(|i| {
        frontier.push(leaf(seed, i));
    });
    assert_eq!(frontier.root(), root);
    assert_eq!(tree_hash(size, tree.stored_hashes()), Ok(root));
    assert_eq!(
        tree.stored_hashes()
            .read_hashes(&frontier.stored_indexes())
            .as_deref(),
        Ok(frontier.subtrees())
    );
    assert_eq!(
        stored_hash_count(n),
        tree.stored_hashes().len() as u64,
        "stored hashes of {n} leaves"
    );

    // Inclusion.
    let l = leaf(seed, index);
    let proof = tree.prove_inclusion(size, index).expect("index < size ≤ n");
    assert_eq!(verify_inclusion(l, index, size, &proof, root), Ok(()));
    let (mut l2, mut p2, mut r2) = (l.0, proof.concat(), root);
    flip(&mut [&mut l2, &mut p2, &mut r2], pos, x);
    let p2: Vec<Hash> = p2
        .chunks_exact(32)
        .map(|c| c.try_into().expect("32 bytes"))
        .collect();
    let r = verify_inclusion(EntryHash(l2), index, size, &p2, r2);
    assert!(r.is_err(), "a mutated inclusion proof verified");
    check_inclusion_result(EntryHash(l2), index, size, &p2, r2, r);
    for p in proof_variants(&proof, extra, at) {
        let r = verify_inclusion(l, index, size, &p, root);
        assert!(r.is_err(), "a mutated inclusion proof verified: {p:?}");
        check_inclusion_result(l, index, size, &p, root, r);
    }
    // Another (index, size) in the tree, with its true leaf and root: verifies iff same proof.
    let index2 = index2 % size2;
    let root2 = tree.root_at(size2).expect("size2 ≤ n");
    let canonical2 = tree.prove_inclusion(size2, index2).expect("in range");
    let r = verify_inclusion(leaf(seed, index2), index2, size2, &proof, root2);
    assert_eq!(
        r.is_ok(),
        proof == canonical2,
        "proof of {index}/{size} as {index2}/{size2}: {r:?}"
    );

    // Consistency.
    let old_root = tree.root_at(old).expect("old ≤ size");
    let proof = tree.prove_consistency(old, size).expect("0 < old ≤ size");
    assert_eq!(
        verify_consistency(old, size, &proof, old_root, root),
        Ok(())
    );
    let (mut p2, mut o2, mut r2) = (proof.concat(), old_root, root);
    flip(&mut [&mut p2, &mut o2, &mut r2], pos, x);
    let p2: Vec<Hash> = p2
        .chunks_exact(32)
        .map(|c| c.try_into().expect("32 bytes"))
        .collect();
    let r = verify_consistency(old, size, &p2, o2, r2);
    assert!(r.is_err(), "a mutated consistency proof verified");
    check_consistency_result(old, size, &p2, o2, r2, r);
    for p in proof_variants(&proof, extra, at) {
        let r = verify_consistency(old, size, &p, old_root, root);
        assert!(r.is_err(), "a mutated consistency proof verified: {p:?}");
        check_consistency_result(old, size, &p, old_root, root, r);
    }
    let old2 = 1 + old2 % size2;
    let canonical2 = tree.prove_consistency(old2, size2).expect("in range");
    let old_root2 = tree.root_at(old2).expect("in range");
    let r = verify_consistency(old2, size2, &proof, old_root2, root2);
    assert_eq!(
        r.is_ok(),
        proof == canonical2,
        "proof {old}→{size} as {old2}→{size2}: {r:?}"
    );
}

fn uniform_tree_proofs(seed: u8, input: &mut Input<'_>) {
    let tree = UniformTree::new(leaf(seed, 0));
    let size = 1 + input.u64() % MAX_TREE_SIZE;
    let index = input.u64() % size;
    let old = 1 + input.u64() % size;
    let (pos, x, at) = (
        usize::from(input.u16()),
        input.u8(),
        usize::from(input.u8()),
    );
    let extra = input.hash();

    let root = tree_hash(size, &tree).expect("size ≤ 2^63");
    // A frontier would need `size` pushes; check the power-of-two case directly instead.
    if size.is_power_of_two() {
        assert_eq!(root, tree.levels[size.trailing_zeros() as usize]);
    }
    let l = EntryHash(tree.levels[0]);
    let proof = prove_inclusion(size, index, &tree).expect("index < size");
    assert_eq!(verify_inclusion(l, index, size, &proof, root), Ok(()));
    check_inclusion_result(l, index, size, &proof, root, Ok(()));
    let (mut l2, mut p2, mut r2) = (l.0, proof.concat(), root);
    flip(&mut [&mut l2, &mut p2, &mut r2], pos, x);
    let p2: Vec<Hash> = p2
        .chunks_exact(32)
        .map(|c| c.try_into().expect("32 bytes"))
        .collect();
    let r = verify_inclusion(EntryHash(l2), index, size, &p2, r2);
    assert!(r.is_err(), "a mutated inclusion proof verified");
    check_inclusion_result(EntryHash(l2), index, size, &p2, r2, r);
    for p in proof_variants(&proof, extra, at) {
        let r = verify_inclusion(l, index, size, &p, root);
        assert!(r.is_err(), "a mutated inclusion proof verified");
        check_inclusion_result(l, index, size, &p, root, r);
    }

    let old_root = tree_hash(old, &tree).expect("old ≤ size");
    let proof = prove_consistency(old, size, &tree).expect("0 < old ≤ size");
    assert_eq!(
        verify_consistency(old, size, &proof, old_root, root),
        Ok(())
    );
    let (mut p2, mut o2, mut r2) = (proof.concat(), old_root, root);
    flip(&mut [&mut p2, &mut o2, &mut r2], pos, x);
    let p2: Vec<Hash> = p2
        .chunks_exact(32)
        .map(|c| c.try_into().expect("32 bytes"))
        .collect();
    let r = verify_consistency(old, size, &p2, o2, r2);
    assert!(r.is_err(), "a mutated consistency proof verified");
    check_consistency_result(old, size, &p2, o2, r2, r);
    for p in proof_variants(&proof, extra, at) {
        let r = verify_consistency(old, size, &p, old_root, root);
        assert!(r.is_err(), "a mutated consistency proof verified");
        check_consistency_result(old, size, &p, old_root, root, r);
    }
}
