//! Mutation campaign on the committed fixture `fixtures/valid/basic.log` (with its trust anchor
//! `valid/basic.operator.vkey` and its head `valid/basic.head`): every small corruption of the
//! file is detected, counted per kind and asserted at 100%.
//!
//! The corruptions, exhaustively:
//!
//! - single-byte changes at every offset: xor 0x01, xor 0x80 (mostly invalid UTF-8), a
//!   different printable ASCII byte of the same class (digit, lower or upper case letter: hex,
//!   base64 and numbers stay plausible, so the change survives parsing and reaches the hash
//!   and signature checks; anything else becomes `'0'`), a different printable ASCII byte
//!   derived from the offset (all 95 occur: quotes, backslashes, braces, spaces…), and `'\n'`
//!   at every offset that does not already hold one (splits a line);
//! - every line deletion, duplication (in place) and swap of adjacent lines;
//! - every truncation point (every prefix length below the file's length, 0 included).
//!
//! Each mutated log is verified three ways, "detected" meaning `!report.is_sound()`:
//!
//! - trust anchor + expected head: every mutation is detected;
//! - trust anchor only: every mutation is detected except the cuts at a line boundary that
//!   leave a valid, shorter log: deleting the last line and truncating just after line
//!   1, …, n - 1 (n lines, so n mutations), but for those that end inside a batch (which are
//!   `unfinished_batch`: basic.log's last two entries are one batch, so two of them). The
//!   test asserts exactly that list; with the head, each of them gives exactly one finding,
//!   `truncated`, and nothing else needs it;
//! - trust anchor + the RFC 6962 roots of every prefix (sizes 0 to n, as signed checkpoints
//!   would give; [`MemoryTree`] over the original lines), no expected head: every mutation is
//!   detected. The boundary cuts give `checkpoint_beyond_log`, and a checkpoint at the full
//!   size alone is enough for them.
//!
//! Speed (as in `mutations.rs`): each check starts from a clone of the verifier state after
//! the unchanged complete lines before the first changed byte, and stops at the first finding
//! (findings are only ever added, never removed, so the report cannot be sound any more). A
//! deterministic sample (every [`CROSS_CHECK_EVERY`]th mutation, the first and last of each
//! kind, and every undetected one) is also verified from scratch, both in memory and through
//! the real file store, and the verdicts must be identical (and the two full reports equal).
//! The three configurations run on three threads.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use acta_core::note::{Checkpoint, open_note};
use acta_core::tree::{Hash, MemoryTree};
use acta_core::verify::{Anchor, Head};
use acta_core::{
    EntryHash, FindingKind, MAX_ENTRY_BYTES, Report, Verifier, VerifierKey, VerifyOptions,
};
use acta_store::FileStore;
use acta_testkit as tk;

/// How often a mutation is also verified from scratch (a prime, so the sample falls on every
/// kind and every part of a line).
const CROSS_CHECK_EVERY: usize = 97;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

fn read(rel: &str) -> Vec<u8> {
    let path = fixtures_dir().join(rel);
    fs::read(&path)
        .map_err(|e| format!("{}: {e}", path.display()))
        .expect("reading a fixture")
}

fn read_text_line(rel: &str) -> String {
    let text = String::from_utf8(read(rel)).expect("UTF-8");
    text.strip_suffix('\n')
        .ok_or_else(|| format!("{rel} does not end with a newline"))
        .expect("a one-line fixture ends with a newline")
        .to_owned()
}

/// basic.log, its trust anchor and its head.
struct Fixture {
    bytes: Vec<u8>,
    /// The offset of each line, then the file's length.
    starts: Vec<usize>,
    trust: VerifierKey,
    head: (u64, EntryHash),
    /// The tree over the original lines.
    tree: MemoryTree,
}

impl Fixture {
    fn load() -> Fixture {
        let bytes = read(tk::BASIC_LOG);
        assert_eq!(bytes.last(), Some(&b'\n'), "basic.log ends with a newline");
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let trust: VerifierKey = read_text_line(tk::BASIC_VKEY)
            .parse()
            .expect("basic.operator.vkey is a verifier key");
        let head = acta_store::log::parse_head(&read_text_line(tk::BASIC_HEAD))
            .expect("basic.head is SEQ:HASH");
        let mut f = Fixture {
            bytes,
            starts,
            trust,
            head,
            tree: MemoryTree::new(),
        };
        f.tree = MemoryTree::from_leaves((0..f.lines()).map(|i| EntryHash::of_line(f.line(i))));
        assert!(f.lines() >= 2, "a campaign needs lines to delete and swap");
        assert!(
            f.starts.windows(2).all(|w| w[1] - w[0] > 1),
            "basic.log has no empty line"
        );
        assert!(
            f.starts
                .windows(2)
                .all(|w| w[1] - w[0] - 1 <= MAX_ENTRY_BYTES),
            "basic.log has no over-long line"
        );
        let last = f.lines() - 1;
        assert_eq!(
            f.head,
            (last as u64, EntryHash::of_line(f.line(last))),
            "basic.head is the last line of basic.log"
        );
        f
    }

    /// The number of lines (= the number of `'\n'` bytes: every line ends with one).
    fn lines(&self) -> usize {
        self.starts.len() - 1
    }

    /// Line `i`, without its newline.
    fn line(&self, i: usize) -> &[u8] {
        &self.bytes[self.starts[i]..self.starts[i + 1] - 1]
    }

    /// Line `i`, with its newline.
    fn full_line(&self, i: usize) -> &[u8] {
        &self.bytes[self.starts[i]..self.starts[i + 1]]
    }

    fn root_at(&self, size: u64) -> Hash {
        self.tree.root_at(size).expect("size within the tree")
    }

    fn anchor_only(&self) -> VerifyOptions {
        VerifyOptions {
            trust: Some(self.trust.clone()),
            ..VerifyOptions::default()
        }
    }

    fn with_head(&self) -> VerifyOptions {
        VerifyOptions {
            expect_head: Some(self.head),
            ..self.anchor_only()
        }
    }

    /// The roots of every prefix, sizes 0 to n; no expected head.
    fn with_all_roots(&self) -> VerifyOptions {
        VerifyOptions {
            expect_roots: (0..=self.lines() as u64)
                .map(|size| (size, self.root_at(size)))
                .collect(),
            ..self.anchor_only()
        }
    }

    /// Only the root of the whole log; no expected head.
    fn with_full_root(&self) -> VerifyOptions {
        let n = self.lines() as u64;
        VerifyOptions {
            expect_roots: vec![(n, self.root_at(n))],
            ..self.anchor_only()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Xor01,
    Xor80,
    /// A different printable byte of the same class (see [`Kind::new_byte`]).
    SameClass,
    /// A different printable byte derived from the offset.
    AnyPrintable,
    /// `'\n'` (offsets already holding one are skipped).
    Newline,
    /// Delete line i.
    Delete,
    /// Insert a copy of line i after it.
    Duplicate,
    /// Swap lines i and i + 1.
    Swap,
    /// Keep the first `at` bytes.
    Truncate,
}

impl Kind {
    const ALL: [Kind; 9] = [
        Kind::Xor01,
        Kind::Xor80,
        Kind::SameClass,
        Kind::AnyPrintable,
        Kind::Newline,
        Kind::Delete,
        Kind::Duplicate,
        Kind::Swap,
        Kind::Truncate,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Xor01 => "byte xor 0x01",
            Kind::Xor80 => "byte xor 0x80",
            Kind::SameClass => "byte := printable, same class",
            Kind::AnyPrintable => "byte := printable, by offset",
            Kind::Newline => "byte := '\\n' (split line)",
            Kind::Delete => "line deleted",
            Kind::Duplicate => "line duplicated",
            Kind::Swap => "adjacent lines swapped",
            Kind::Truncate => "truncated",
        }
    }

    /// The number of mutations of this kind, from the file's length and line count alone.
    fn expected_count(self, len: usize, lines: usize) -> usize {
        match self {
            Kind::Xor01 | Kind::Xor80 | Kind::SameClass | Kind::AnyPrintable => len,
            // Exactly `lines` bytes are already '\n'.
            Kind::Newline => len - lines,
            Kind::Delete | Kind::Duplicate => lines,
            Kind::Swap => lines - 1,
            // Prefix lengths 0 to len - 1.
            Kind::Truncate => len,
        }
    }

    /// The byte this kind puts at `offset` in place of `b` (a byte-level kind).
    fn new_byte(self, offset: usize, b: u8) -> u8 {
        let rotate = |base: u8, n: u8| base + (b - base + 1) % n;
        let new = match self {
            Kind::Xor01 => b ^ 0x01,
            Kind::Xor80 => b ^ 0x80,
            Kind::SameClass => match b {
                b'0'..=b'9' => rotate(b'0', 10),
                b'a'..=b'z' => rotate(b'a', 26),
                b'A'..=b'Z' => rotate(b'A', 26),
                _ => b'0',
            },
            Kind::AnyPrintable => {
                // 31 is prime to 95, so successive offsets run through all 95 printables.
                let c = 0x20 + ((offset * 31 + 7) % 95) as u8;
                if c == b {
                    0x20 + (c - 0x20 + 1) % 95
                } else {
                    c
                }
            }
            Kind::Newline => b'\n',
            _ => unreachable!("{self:?} is not a byte change"),
        };
        assert_ne!(new, b, "{self:?} at {offset} must change the byte");
        new
    }
}

/// One corruption of the fixture: a kind and an offset (byte kinds), a line index, or a length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mutation {
    kind: Kind,
    at: usize,
}

impl Mutation {
    fn apply(self, f: &Fixture) -> Vec<u8> {
        let (b, s, i) = (&f.bytes, &f.starts, self.at);
        match self.kind {
            Kind::Delete => [&b[..s[i]], &b[s[i + 1]..]].concat(),
            Kind::Duplicate => [&b[..s[i + 1]], f.full_line(i), &b[s[i + 1]..]].concat(),
            Kind::Swap => [
                &b[..s[i]],
                f.full_line(i + 1),
                f.full_line(i),
                &b[s[i + 2]..],
            ]
            .concat(),
            Kind::Truncate => b[..i].to_vec(),
            byte => {
                let mut out = b.clone();
                out[i] = byte.new_byte(i, b[i]);
                out
            }
        }
    }

    /// For a report: what was changed, and where.
    fn describe(self, f: &Fixture) -> String {
        let show = |b: u8| {
            String::from_utf8_lossy(&std::ascii::escape_default(b).collect::<Vec<_>>()).into_owned()
        };
        match self.kind {
            Kind::Delete | Kind::Duplicate | Kind::Swap => {
                format!("{} (line {})", self.kind.name(), self.at)
            }
            Kind::Truncate => {
                let line = f.starts.partition_point(|&s| s <= self.at) - 1;
                format!(
                    "{} to {} bytes (line {line}, column {})",
                    self.kind.name(),
                    self.at,
                    self.at - f.starts[line]
                )
            }
            byte => {
                let line = f.starts.partition_point(|&s| s <= self.at) - 1;
                let old = f.bytes[self.at];
                format!(
                    "{} at offset {} (line {line}, column {}): '{}' -> '{}'",
                    byte.name(),
                    self.at,
                    self.at - f.starts[line],
                    show(old),
                    show(byte.new_byte(self.at, old)),
                )
            }
        }
    }
}

/// Every mutation, grouped by kind in [`Kind::ALL`] order.
fn all_mutations(f: &Fixture) -> Vec<Mutation> {
    let (len, n) = (f.bytes.len(), f.lines());
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let range = match kind {
            Kind::Delete | Kind::Duplicate => 0..n,
            Kind::Swap => 0..n - 1,
            _ => 0..len,
        };
        out.extend(
            range
                .filter(|&at| kind != Kind::Newline || f.bytes[at] != b'\n')
                .map(|at| Mutation { kind, at }),
        );
    }
    out
}

/// The mutations that leave a valid, shorter log (the original cut at a line boundary, with
/// at least one line left, and not inside a batch), in [`all_mutations`] order, with the
/// number of lines left. Derived from the line boundaries and the lines' own `more` alone,
/// not from the verifier.
fn boundary_cuts(f: &Fixture) -> Vec<(Mutation, usize)> {
    all_line_boundary_cuts(f)
        .into_iter()
        .filter(|(_, left)| !ends_inside_a_batch(f, *left))
        .collect()
}

/// Whether the first `left` lines end inside a batch: the last of them has `more` (a batch's
/// entries but its last do), so the rest of its batch is cut away.
fn ends_inside_a_batch(f: &Fixture, left: usize) -> bool {
    acta_core::Entry::decode(f.line(left - 1)).is_ok_and(|d| d.entry.more.is_some())
}

/// Every cut at a line boundary that leaves at least one line: deleting the last line, and
/// truncating just after line 1, …, n − 1.
fn all_line_boundary_cuts(f: &Fixture) -> Vec<(Mutation, usize)> {
    let n = f.lines();
    let mut out = vec![(
        Mutation {
            kind: Kind::Delete,
            at: n - 1,
        },
        n - 1,
    )];
    out.extend((1..n).map(|j| {
        let cut = Mutation {
            kind: Kind::Truncate,
            at: f.starts[j],
        };
        (cut, j)
    }));
    out
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

fn verify_in_memory(bytes: &[u8], options: &VerifyOptions) -> Report {
    let mut v = Verifier::new(options.clone());
    push_bytes(&mut v, bytes, 0, false);
    v.finish()
}

/// Verifies `bytes` from scratch, in memory and through the file store (written to `dir`),
/// and checks the two reports are equal.
fn verify_from_scratch(dir: &Path, bytes: &[u8], options: &VerifyOptions) -> Report {
    let memory = verify_in_memory(bytes, options);
    let path = dir.join("mutated.log");
    fs::write(&path, bytes).expect("writing the mutated log");
    let store = FileStore::open_reader(&path).expect("opening the mutated log");
    let file = acta_store::verify(&store, options.clone()).expect("no store error");
    assert_eq!(
        memory, file,
        "the in-memory split differs from the file store's scan"
    );
    memory
}

/// Verifies mutated copies of the fixture incrementally (see the module documentation).
struct Checker<'a> {
    f: &'a Fixture,
    /// `prefixes[k]`: the verifier after lines `0..k`.
    prefixes: Vec<Verifier>,
}

impl<'a> Checker<'a> {
    fn new(f: &'a Fixture, options: &VerifyOptions) -> Checker<'a> {
        let mut prefixes = vec![Verifier::new(options.clone())];
        for i in 0..f.lines() {
            let mut v = prefixes.last().expect("non-empty").clone();
            v.push_line(f.starts[i] as u64, f.line(i));
            assert!(v.findings().is_empty(), "line {i}: {:?}", v.findings());
            prefixes.push(v);
        }
        let report = prefixes.last().expect("non-empty").clone().finish();
        assert!(report.is_sound(), "the unmutated log: {report:#?}");
        Checker { f, prefixes }
    }

    /// Whether verifying `mutated` makes the report unsound, and if so, the kind of the first
    /// finding (the one the check stopped at).
    fn detects(&self, mutated: &[u8]) -> Option<String> {
        let (original, s) = (&self.f.bytes, &self.f.starts);
        // Lines 0..k are unchanged, newline included (slice comparisons: memcmp, fast even in a
        // debug build).
        let k = (0..self.f.lines())
            .find(|&j| mutated.get(s[j]..s[j + 1]) != Some(&original[s[j]..s[j + 1]]))
            .unwrap_or(self.f.lines());
        let start = self.f.starts[k];
        assert_eq!(mutated[..start], original[..start]);
        let mut v = self.prefixes[k].clone();
        push_bytes(&mut v, mutated, start, true);
        if let Some(first) = v.findings().first() {
            return Some(kind_name(&first.kind));
        }
        let report = v.finish();
        match report.findings.first() {
            Some(first) => Some(kind_name(&first.kind)),
            None if !report.is_sound() => Some("(no finding, not anchored)".to_owned()),
            None => None,
        }
    }
}

/// The name of a finding kind (`Malformed`, `BadSignature`, …).
fn kind_name(kind: &FindingKind) -> String {
    let debug = format!("{kind:?}");
    debug
        .split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The result of one configuration's campaign.
struct Outcome {
    /// Per kind: mutations, detected.
    tally: BTreeMap<Kind, (usize, usize)>,
    undetected: Vec<Mutation>,
    /// Per kind of first finding: how many mutations it caught.
    caught_by: BTreeMap<String, usize>,
    cross_checked: usize,
    elapsed: Duration,
}

fn campaign(f: &Fixture, name: &str, options: &VerifyOptions, mutations: &[Mutation]) -> Outcome {
    let started = Instant::now();
    let checker = Checker::new(f, options);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut tally: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    let mut undetected = Vec::new();
    let mut caught_by: BTreeMap<String, usize> = BTreeMap::new();
    let mut cross_checked = 0;
    for (i, &m) in mutations.iter().enumerate() {
        let mutated = m.apply(f);
        assert_ne!(mutated, f.bytes, "{}", m.describe(f));
        let first_finding = checker.detects(&mutated);
        let detected = first_finding.is_some();
        if let Some(name) = first_finding {
            *caught_by.entry(name).or_default() += 1;
        }
        let entry = tally.entry(m.kind).or_default();
        entry.0 += 1;
        entry.1 += usize::from(detected);
        if !detected {
            undetected.push(m);
        }
        let first_or_last_of_kind = i == 0
            || i + 1 == mutations.len()
            || mutations[i - 1].kind != m.kind
            || mutations[i + 1].kind != m.kind;
        if i % CROSS_CHECK_EVERY == 0 || first_or_last_of_kind || !detected {
            let report = verify_from_scratch(dir.path(), &mutated, options);
            assert_eq!(
                detected,
                !report.is_sound(),
                "{name}: {}: the incremental check and a full verification disagree: {report:#?}",
                m.describe(f)
            );
            cross_checked += 1;
        }
    }
    Outcome {
        tally,
        undetected,
        caught_by,
        cross_checked,
        elapsed: started.elapsed(),
    }
}

#[test]
fn mutation_campaign_on_basic_log() {
    let started = Instant::now();
    let f = Fixture::load();
    let (len, n) = (f.bytes.len(), f.lines());
    let mutations = all_mutations(&f);
    let expected_total: usize = Kind::ALL.iter().map(|k| k.expected_count(len, n)).sum();
    assert_eq!(mutations.len(), expected_total);
    assert_eq!(expected_total, 6 * len + 2 * n - 1);

    let configs = [
        ("anchor + head", f.with_head()),
        ("anchor only", f.anchor_only()),
        ("anchor + roots", f.with_all_roots()),
    ];
    let outcomes: Vec<Outcome> = thread::scope(|s| {
        let handles: Vec<_> = configs
            .iter()
            .map(|(name, options)| s.spawn(|| campaign(&f, name, options, &mutations)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a campaign thread panicked (see above)"))
            .collect()
    });

    // The summary, before any assertion on it.
    let cuts: Vec<Mutation> = boundary_cuts(&f).into_iter().map(|(m, _)| m).collect();
    eprintln!(
        "\nmutation campaign on {} ({len} bytes, {n} lines), detected = report not sound:",
        tk::BASIC_LOG
    );
    let header: Vec<String> = configs
        .iter()
        .map(|(name, _)| format!("{name:>15}"))
        .collect();
    eprintln!(
        "{:<30} {:>6}  {}",
        "mutation kind",
        "count",
        header.join(" ")
    );
    let row = |label: &str, count: &str, detected: Vec<usize>| {
        let cells: Vec<String> = detected.iter().map(|d| format!("{d:>15}")).collect();
        eprintln!("{label:<30} {count:>6}  {}", cells.join(" "));
    };
    for kind in Kind::ALL {
        let count = outcomes[0].tally.get(&kind).map_or(0, |t| t.0);
        row(
            kind.name(),
            &count.to_string(),
            outcomes
                .iter()
                .map(|o| o.tally.get(&kind).map_or(0, |t| t.1))
                .collect(),
        );
    }
    let detected_total = |o: &Outcome| o.tally.values().map(|t| t.1).sum::<usize>();
    row(
        "total",
        &mutations.len().to_string(),
        outcomes.iter().map(detected_total).collect(),
    );
    eprintln!(
        "\n{:<30} {:>6}  {}",
        "caught by (first finding)",
        "",
        header.join(" ")
    );
    let names: std::collections::BTreeSet<&String> =
        outcomes.iter().flat_map(|o| o.caught_by.keys()).collect();
    for name in names {
        let counts: Vec<usize> = outcomes
            .iter()
            .map(|o| o.caught_by.get(name).copied().unwrap_or(0))
            .collect();
        row(name, "", counts);
    }
    eprintln!();
    for ((name, _), o) in configs.iter().zip(&outcomes) {
        eprintln!(
            "{name}: {} undetected, {} cross-checked from scratch, {:.2?}",
            o.undetected.len(),
            o.cross_checked,
            o.elapsed
        );
        for m in &o.undetected {
            let why = if cuts.contains(m) {
                "expected: a valid shorter log, caught only with the head or a checkpoint"
            } else {
                "NOT EXPECTED"
            };
            eprintln!("  UNDETECTED ({name}): {} [{why}]", m.describe(&f));
        }
    }
    eprintln!("campaign total: {:.2?}", started.elapsed());

    // Exact counts, per kind and in total, in every configuration.
    for ((name, _), o) in configs.iter().zip(&outcomes) {
        for kind in Kind::ALL {
            let count = o.tally.get(&kind).map_or(0, |t| t.0);
            assert_eq!(count, kind.expected_count(len, n), "{name}: {kind:?}");
        }
        let total: usize = o.tally.values().map(|t| t.0).sum();
        assert_eq!(total, expected_total, "{name}");
        assert!(
            o.cross_checked >= expected_total / CROSS_CHECK_EVERY,
            "{name}"
        );
    }

    let describe_all =
        |ms: &[Mutation]| -> Vec<String> { ms.iter().map(|m| m.describe(&f)).collect() };
    // 100% with the trust anchor and the head seen before.
    assert_eq!(detected_total(&outcomes[0]), expected_total);
    assert!(
        outcomes[0].undetected.is_empty(),
        "NOT DETECTED with anchor + head: {:#?}",
        describe_all(&outcomes[0].undetected)
    );
    // Without the head: exactly the boundary cuts get through (the two that cut basic.log's
    // batch of entries 10 and 11 in half are `unfinished_batch`, so caught).
    let inside_a_batch = all_line_boundary_cuts(&f).len() - cuts.len();
    assert_eq!((cuts.len(), inside_a_batch), (n - 2, 2));
    assert_eq!(
        describe_all(&outcomes[1].undetected),
        describe_all(&cuts),
        "without the head, exactly the boundary cuts must go undetected"
    );
    assert_eq!(outcomes[1].undetected, cuts);
    assert_eq!(detected_total(&outcomes[1]), expected_total - cuts.len());
    // 100% with the roots of every prefix, without the head.
    assert_eq!(detected_total(&outcomes[2]), expected_total);
    assert!(
        outcomes[2].undetected.is_empty(),
        "NOT DETECTED with anchor + roots: {:#?}",
        describe_all(&outcomes[2].undetected)
    );
}

fn kinds(report: &Report) -> Vec<(u64, FindingKind)> {
    report
        .findings
        .iter()
        .map(|x| (x.entry, x.kind.clone()))
        .collect()
}

/// What exactly the head (or a checkpoint) is needed for: the boundary cuts are sound shorter
/// logs with the anchor alone, and give exactly `truncated` with the head, exactly
/// `checkpoint_beyond_log` for each larger size with the roots.
#[test]
fn boundary_cuts_need_the_head_or_a_checkpoint() {
    let f = Fixture::load();
    let n = f.lines();
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (m, left) in boundary_cuts(&f) {
        let what = m.describe(&f);
        let mutated = m.apply(&f);
        assert_eq!(mutated, f.bytes[..f.starts[left]], "{what}");

        let alone = verify_from_scratch(dir.path(), &mutated, &f.anchor_only());
        assert!(alone.is_sound(), "{what}: {alone:#?}");
        assert_eq!(alone.entries, left as u64, "{what}");
        let last = left - 1;
        let head = Head {
            seq: last as u64,
            hash: EntryHash::of_line(f.line(last)),
        };
        assert_eq!(alone.head, Some(head), "{what}");
        assert_eq!(
            alone.anchor,
            Anchor::Trusted {
                key: f.trust.to_string()
            }
        );

        let with_head = verify_from_scratch(dir.path(), &mutated, &f.with_head());
        let truncated = FindingKind::Truncated {
            expected_seq: f.head.0,
            entries: left as u64,
        };
        assert_eq!(kinds(&with_head), [(left as u64, truncated)], "{what}");

        let beyond = |size: usize| {
            let kind = FindingKind::CheckpointBeyondLog {
                size: size as u64,
                entries: left as u64,
            };
            (left as u64, kind)
        };
        let with_roots = verify_from_scratch(dir.path(), &mutated, &f.with_all_roots());
        let expected: Vec<_> = (left + 1..=n).map(beyond).collect();
        assert_eq!(kinds(&with_roots), expected, "{what}");
        let with_full_root = verify_from_scratch(dir.path(), &mutated, &f.with_full_root());
        assert_eq!(kinds(&with_full_root), [beyond(n)], "{what}");
    }
    // A cut at a line boundary inside a batch is caught without the head: the lines end
    // inside the batch, which was never acknowledged.
    let inside: Vec<_> = all_line_boundary_cuts(&f)
        .into_iter()
        .filter(|(_, left)| ends_inside_a_batch(&f, *left))
        .collect();
    assert!(!inside.is_empty(), "basic.log ends with a batch");
    for (m, left) in inside {
        let what = m.describe(&f);
        let alone = verify_from_scratch(dir.path(), &m.apply(&f), &f.anchor_only());
        // The batch's first line: walk back while the line before has `more`.
        let mut first = left - 1;
        while first > 0 && ends_inside_a_batch(&f, first) {
            first -= 1;
        }
        assert_eq!(
            kinds(&alone),
            [(
                first as u64,
                FindingKind::UnfinishedBatch {
                    size: 2,
                    missing: 1
                }
            )],
            "{what}"
        );
    }
    // And the unmutated log is sound in every configuration.
    for options in [
        f.anchor_only(),
        f.with_head(),
        f.with_all_roots(),
        f.with_full_root(),
    ] {
        let report = verify_from_scratch(dir.path(), &f.bytes, &options);
        assert!(report.is_sound(), "{report:#?}");
        assert_eq!(report.entries, n as u64);
    }
}

/// The roots the campaign expects are those the fixture's own signed checkpoints commit to.
#[test]
fn campaign_roots_match_the_fixture_checkpoints() {
    let f = Fixture::load();
    for (rel, size) in [
        (tk::BASIC_CHECKPOINT_SMALL, tk::BASIC_CHECKPOINT_SMALL_SIZE),
        (tk::BASIC_CHECKPOINT_FULL, tk::BASIC_CHECKPOINT_FULL_SIZE),
    ] {
        let (note, _) = open_note(&read(rel), std::slice::from_ref(&f.trust))
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let checkpoint = Checkpoint::parse(&note.text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(checkpoint.size, size, "{rel}");
        assert_eq!(checkpoint.origin, tk::ORIGIN, "{rel}");
        assert_eq!(checkpoint.root, f.root_at(size), "{rel}");
    }
    assert_eq!(tk::BASIC_CHECKPOINT_FULL_SIZE, f.lines() as u64);
}

/// Chunk sizes for the parallel verifier in [`parallel_verify_equals_sequential_on_every_mutation`]:
/// small, so that every mutation falls near a chunk boundary and signatures are checked ahead
/// of time against a keyring that is one chunk old (the key added at line 9 signs line 10).
const CHUNKS: [usize; 4] = [1, 2, 3, 5];

/// The sample of byte mutations and truncations compared (a prime, like [`CROSS_CHECK_EVERY`]).
const PARALLEL_SAMPLE_EVERY: usize = 5;

/// Differential test of the parallel verifier (`acta_store::verify`, here with small chunks)
/// against the sequential [`Verifier`]: for every line mutation and every
/// [`PARALLEL_SAMPLE_EVERY`]th byte mutation and truncation of the campaign, under each of the
/// three configurations in turn, the two reports are identical (findings, their order,
/// anchor, head, root, counts).
#[test]
fn parallel_verify_equals_sequential_on_every_mutation() {
    let started = Instant::now();
    let f = Fixture::load();
    let mutations = all_mutations(&f);
    let configs = [f.with_head(), f.anchor_only(), f.with_all_roots()];
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("mutated.log");
    let check = |bytes: &[u8], options: &VerifyOptions, chunk: usize| {
        fs::write(&path, bytes).expect("writing the mutated log");
        let store = FileStore::open_reader(&path).expect("opening the mutated log");
        let parallel = acta_store::log::verify_in_chunks(&store, options.clone(), chunk)
            .expect("no store error");
        let sequential = verify_in_memory(bytes, options);
        assert_eq!(parallel, sequential);
        parallel.is_sound()
    };
    for options in &configs {
        for chunk in CHUNKS {
            assert!(check(&f.bytes, options, chunk), "the fixture is sound");
        }
    }
    let mut unsound = 0;
    let sample: Vec<&Mutation> = mutations
        .iter()
        .enumerate()
        .filter(|(i, m)| {
            matches!(m.kind, Kind::Delete | Kind::Duplicate | Kind::Swap)
                || i % PARALLEL_SAMPLE_EVERY == 0
        })
        .map(|(_, m)| m)
        .collect();
    for (i, m) in sample.iter().enumerate() {
        let bytes = m.apply(&f);
        let options = &configs[i % configs.len()];
        let chunk = CHUNKS[(i / configs.len()) % CHUNKS.len()];
        if !check(&bytes, options, chunk) {
            unsound += 1;
        }
    }
    // Most mutations are detected: the comparison is not only between sound reports.
    assert!(unsound > sample.len() * 9 / 10, "{unsound}");
    eprintln!(
        "parallel vs sequential: {} mutations, identical reports, in {:.1?}",
        sample.len(),
        started.elapsed()
    );
}
