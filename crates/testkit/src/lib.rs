//! # acta-testkit: TEST-ONLY keys and the deterministic fixture generator
//!
//! **Never use anything from this crate for real records.** Every key here is derived from a
//! published seed, `SHA-256("acta test-only key seed\n" ‖ name)`, so anyone can recompute its
//! private half. Every key name starts with [`TEST_KEY_PREFIX`] (`test-only-`) so that a log
//! signed with one of them, or a verifier key copied from a fixture, says what it is.
//! Private keys are never written to files: tests derive them from this crate.
//!
//! - [`test_key`] and the named constructors ([`operator`], [`clerk`], [`secretariat`],
//!   [`intruder`], or all of them as [`TestKeys`]) give the keys.
//! - [`clock`] is a fixed clock: 2025-11-26T09:00:00Z plus `i` minutes.
//! - [`build`] makes every fixture in memory, and [`generate`] writes them into a directory
//!   (the committed ones live in `fixtures/` at the repository root; regenerate them with
//!   `cargo run -p acta-testkit --bin acta-fixtures -- fixtures`). Ed25519 signatures are
//!   deterministic and the clock is fixed, so the output is the same byte for byte every time.
//!
//! The fixtures are `valid/basic.log` (a small sound log), its trust anchor
//! `valid/basic.operator.vkey`, its head `valid/basic.head`, its signed checkpoints
//! `valid/basic.checkpoint-6.note` and `valid/basic.checkpoint-12.note`, `fail_<reason>.log`
//! files, each derived from `basic.log` and failing verification for one documented reason,
//! and `fail_forked_checkpoint-12.note`, a checkpoint signed by the operator for a forked
//! history that `basic.log` must not reproduce. [`seed`] writes `seed/non-cooperation.log`,
//! the seed report transcribed into an `icc-noncooperation/v1` log, with its trust anchor
//! `seed/operator.vkey` and head `seed/non-cooperation.head`. The generated `README.md` lists
//! them all.
#![forbid(unsafe_code)]

pub mod seed;

use std::fs;
use std::path::{Path, PathBuf};

use acta_core::entry::{Entry, NewEntry};
use acta_core::json::{Number, Object, Value};
use acta_core::keyring::{KEY_ADD_TYPE, KEY_REVOKE_TYPE, key_add_data, key_revoke_data};
use acta_core::note::{Checkpoint, sign_note};
use acta_core::tree::MemoryTree;
use acta_core::{EntryHash, Genesis, Roles, SigningKey};
use acta_store::LogWriter;
use anyhow::{Context as _, bail};
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

/// Every test key's name starts with this.
pub const TEST_KEY_PREFIX: &str = "test-only-";

/// What a test key's seed hash starts with: `seed = SHA-256(SEED_CONTEXT ‖ name)`.
pub const SEED_CONTEXT: &[u8] = b"acta test-only key seed\n";

/// The operator: signs the genesis of `basic.log` with roles `*`.
pub const OPERATOR: &str = "test-only-operator";
/// The clerk: added to `basic.log` with roles `test.*`, later revoked.
pub const CLERK: &str = "test-only-clerk";
/// A third key, unused by the fixtures, for tests that need another legitimate key.
pub const SECRETARIAT: &str = "test-only-secretariat";
/// A key no fixture log trusts.
pub const INTRUDER: &str = "test-only-intruder";

/// The names of the named test keys.
pub const TEST_KEY_NAMES: [&str; 4] = [OPERATOR, CLERK, SECRETARIAT, INTRUDER];

const fn has_prefix(s: &str, prefix: &str) -> bool {
    let (s, p) = (s.as_bytes(), prefix.as_bytes());
    if s.len() <= p.len() {
        return false;
    }
    let mut i = 0;
    while i < p.len() {
        if s[i] != p[i] {
            return false;
        }
        i += 1;
    }
    true
}

// Checked when compiling: every named key is visibly a test-only key.
const _: () = {
    let mut i = 0;
    while i < TEST_KEY_NAMES.len() {
        assert!(has_prefix(TEST_KEY_NAMES[i], TEST_KEY_PREFIX));
        i += 1;
    }
};

/// The origin of the fixture logs.
pub const ORIGIN: &str = "example.org/acta-test";
/// The origin of the "other" log that `fail_spliced_entry.log` takes an entry from.
pub const OTHER_ORIGIN: &str = "example.org/acta-test-other";
/// The domain the fixture logs' genesis names.
pub const DOMAIN: &str = "acta-test/v1";

/// The fixed clock's start, 2025-11-26T09:00:00Z, in seconds since the Unix epoch.
pub const CLOCK_START_UNIX: i64 = 1_764_147_600;

/// The test-only signing key named `name`, whose seed is
/// `SHA-256("acta test-only key seed\n" ‖ name)`. Refuses names that do not start with
/// `test-only-` (and the bare prefix), so these keys cannot pass for real ones.
pub fn test_key(name: &str) -> anyhow::Result<SigningKey> {
    if !has_prefix(name, TEST_KEY_PREFIX) {
        bail!(
            "test key names must start with {TEST_KEY_PREFIX:?} followed by a name; got {name:?}"
        );
    }
    let mut h = Sha256::new();
    h.update(SEED_CONTEXT);
    h.update(name.as_bytes());
    let seed: [u8; 32] = h.finalize().into();
    SigningKey::from_seed(name, seed).with_context(|| format!("test key name {name:?}"))
}

/// `test-only-operator`.
pub fn operator() -> anyhow::Result<SigningKey> {
    test_key(OPERATOR)
}

/// `test-only-clerk`.
pub fn clerk() -> anyhow::Result<SigningKey> {
    test_key(CLERK)
}

/// `test-only-secretariat`.
pub fn secretariat() -> anyhow::Result<SigningKey> {
    test_key(SECRETARIAT)
}

/// `test-only-intruder`.
pub fn intruder() -> anyhow::Result<SigningKey> {
    test_key(INTRUDER)
}

/// All the named test keys.
#[derive(Debug, Clone)]
pub struct TestKeys {
    /// `test-only-operator`.
    pub operator: SigningKey,
    /// `test-only-clerk`.
    pub clerk: SigningKey,
    /// `test-only-secretariat`.
    pub secretariat: SigningKey,
    /// `test-only-intruder`.
    pub intruder: SigningKey,
}

impl TestKeys {
    /// Derives all the named test keys.
    pub fn new() -> anyhow::Result<TestKeys> {
        Ok(TestKeys {
            operator: operator()?,
            clerk: clerk()?,
            secretariat: secretariat()?,
            intruder: intruder()?,
        })
    }
}

/// The fixed clock: 2025-11-26T09:00:00Z plus `i` minutes (saturating at chrono's maximum).
pub fn clock(i: u64) -> DateTime<Utc> {
    i64::try_from(i)
        .ok()
        .and_then(|m| m.checked_mul(60))
        .and_then(|s| s.checked_add(CLOCK_START_UNIX))
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// [`clock`]`(i)` as an entry's `recorded_at` text, as the writer formats it.
pub fn timestamp(i: u64) -> String {
    clock(i).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The sound log, relative to the fixtures directory.
pub const BASIC_LOG: &str = "valid/basic.log";
/// The trust anchor of `basic.log`: the operator's verifier key and a newline.
pub const BASIC_VKEY: &str = "valid/basic.operator.vkey";
/// The head of `basic.log`: `SEQ:HASH` of its last entry and a newline.
pub const BASIC_HEAD: &str = "valid/basic.head";
/// The generated description of the fixtures.
pub const README: &str = "README.md";
/// A C2SP checkpoint of the first [`BASIC_CHECKPOINT_SMALL_SIZE`] entries of `basic.log`,
/// signed by test-only-operator (as `acta checkpoint` signs it).
pub const BASIC_CHECKPOINT_SMALL: &str = "valid/basic.checkpoint-6.note";
/// The tree size of [`BASIC_CHECKPOINT_SMALL`].
pub const BASIC_CHECKPOINT_SMALL_SIZE: u64 = 6;
/// A C2SP checkpoint of all 12 entries of `basic.log`, signed by test-only-operator.
pub const BASIC_CHECKPOINT_FULL: &str = "valid/basic.checkpoint-12.note";
/// The tree size of [`BASIC_CHECKPOINT_FULL`] (and of [`FORKED_CHECKPOINT`]).
pub const BASIC_CHECKPOINT_FULL_SIZE: u64 = 12;
/// A checkpoint signed by test-only-operator for size 12 of a forked history: the first
/// [`FORK_POINT`] entries of `basic.log`, then different entries. `basic.log` does not
/// reproduce its root.
pub const FORKED_CHECKPOINT: &str = "fail_forked_checkpoint-12.note";
/// The number of leading entries the forked history shares with `basic.log`.
pub const FORK_POINT: usize = 6;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// Its path relative to the fixtures directory, with `/` separators.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A failing fixture: how it is made and why it must fail.
struct Fail {
    name: &'static str,
    how: String,
    expect: String,
    bytes: Vec<u8>,
}

/// The entries of a log file: its lines without their newlines. Refuses a file that does not
/// end with a newline.
fn split_lines(bytes: &[u8]) -> anyhow::Result<Vec<Vec<u8>>> {
    let Some(body) = bytes.strip_suffix(b"\n") else {
        bail!("a generated log does not end with a newline");
    };
    Ok(body.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect())
}

/// Lines, each followed by a newline.
fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    out
}

fn get(lines: &[Vec<u8>], i: usize) -> anyhow::Result<&Vec<u8>> {
    lines
        .get(i)
        .with_context(|| format!("basic.log has no entry {i}"))
}

fn obj(members: &[(&str, Value)]) -> Object {
    let mut o = Object::new();
    for (k, v) in members {
        o.insert(*k, v.clone());
    }
    o
}

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn int(i: i64) -> Value {
    Value::Number(Number::Int(i))
}

fn note(s: &str) -> Object {
    obj(&[("text", text(s))])
}

fn record(id: i64, label: &str, amount: i64) -> Object {
    obj(&[
        ("amount", int(amount)),
        ("id", int(id)),
        ("label", text(label)),
    ])
}

/// Writes, with the real [`LogWriter`] and the fixed clock, the log `basic.log` is: a genesis
/// by `op` (roles `*`), operator entries, the clerk added with roles `test.*`, clerk entries,
/// the clerk revoked, and more operator entries: 12 entries, seq 0 to 11.
fn write_basic_log(
    path: &Path,
    op: &SigningKey,
    clerk: &SigningKey,
    origin: &str,
) -> anyhow::Result<Vec<u8>> {
    let genesis = Genesis {
        origin: origin.to_owned(),
        keys: vec![(op.verifier(), Roles::all())],
        domain: Some(DOMAIN.to_owned()),
    };
    let clerk_roles =
        Roles::new(vec!["test.*".to_owned()]).map_err(|e| anyhow::anyhow!("clerk roles: {e}"))?;
    // The fixtures' domain has no rules: its entries are written without a check, by choice.
    let mut w = LogWriter::create(path, &genesis, op, clock(0))? // seq 0
        .with_append_check(acta_store::Unchecked::for_domain(DOMAIN))?;
    w.append(op, "test.note", &note("log opened for testing"), clock(1))?; // 1
    w.append(op, "test.record", &record(1, "alpha", 250), clock(2))?; // 2
    w.append(op, "test.record", &record(2, "beta", 75), clock(3))?; // 3
    let add = key_add_data(&clerk.verifier(), &clerk_roles);
    w.append(op, KEY_ADD_TYPE, &add, clock(4))?; // 4
    w.append(clerk, "test.record", &record(3, "gamma", 100), clock(5))?; // 5
    w.append(clerk, "test.note", &note("checked by the clerk"), clock(6))?; // 6
    w.append(clerk, "test.record", &record(4, "delta", 40), clock(7))?; // 7
    let revoke = key_revoke_data(&clerk.key_ref(), Some("end of the test shift"));
    w.append(op, KEY_REVOKE_TYPE, &revoke, clock(8))?; // 8
    w.append(op, "test.note", &note("clerk key revoked"), clock(9))?; // 9
    let closing = note("log closed for testing");
    let last_record = record(5, "epsilon", 1);
    // One group commit: both entries get recorded_at = clock(10).
    w.append_batch(
        op,
        &[("test.record", &last_record), ("test.note", &closing)],
        clock(10),
    )?; // 10, 11
    drop(w);
    fs::read(path).with_context(|| format!("reading {}", path.display()))
}

/// Signs an entry with explicit fields (bypassing the writer's checks).
fn sign_raw(
    origin: &str,
    key: &SigningKey,
    seq: u64,
    prev: EntryHash,
    recorded_at: &str,
    entry_type: &str,
    data: &Object,
) -> anyhow::Result<Vec<u8>> {
    Ok(NewEntry {
        seq,
        prev,
        recorded_at,
        entry_type,
        data,
    }
    .sign(origin, key)?)
}

/// The same entry (seq, prev, recorded_at, type, data, more) signed again by `key` for
/// `origin`.
fn resign(line: &[u8], origin: &str, key: &SigningKey) -> anyhow::Result<Vec<u8>> {
    let e = Entry::decode(line)?.entry;
    Ok(NewEntry {
        seq: e.seq,
        prev: e.prev,
        recorded_at: &e.recorded_at,
        entry_type: &e.entry_type,
        data: &e.data,
    }
    .sign_with_more(origin, key, e.more.unwrap_or(0))?)
}

/// The seq of the first entry of type `t` in `lines`.
fn position_of_type(lines: &[Vec<u8>], t: &str) -> anyhow::Result<usize> {
    for (i, l) in lines.iter().enumerate() {
        if Entry::decode(l)?.entry.entry_type == t {
            return Ok(i);
        }
    }
    bail!("basic.log has no {t} entry")
}

/// Replaces the first occurrence of `from` in `line` by `to` (same length).
fn replace_once(line: &[u8], from: &[u8], to: &[u8]) -> anyhow::Result<Vec<u8>> {
    let at = line
        .windows(from.len())
        .position(|w| w == from)
        .with_context(|| format!("{:?} not found", String::from_utf8_lossy(from)))?;
    let mut out = line[..at].to_vec();
    out.extend_from_slice(to);
    out.extend_from_slice(&line[at + from.len()..]);
    Ok(out)
}

/// The failing fixtures, derived from `basic` (the lines of `basic.log`).
fn fail_fixtures(keys: &TestKeys, basic: &[Vec<u8>], forged: Vec<u8>) -> anyhow::Result<Vec<Fail>> {
    let op = &keys.operator;
    let n = basic.len();
    if n < 12 {
        bail!("basic.log has {n} entries; the fixtures need at least 12");
    }
    let last = n - 1;
    let last_seq = last as u64;
    let head_hash = EntryHash::of_line(get(basic, last)?);
    let last_time = Entry::decode(get(basic, last)?)?.entry.recorded_at;
    let revoke_at = position_of_type(basic, KEY_REVOKE_TYPE)?;
    if revoke_at == 0 {
        bail!("basic.log's genesis cannot be a revocation");
    }
    let mut out = Vec::new();

    // Altered byte: the clerk's record at entry 5, amount 100 -> 900.
    {
        let mut lines = basic.to_vec();
        lines[5] = replace_once(get(basic, 5)?, b"\"amount\":100,", b"\"amount\":900,")?;
        out.push(Fail {
            name: "fail_altered_byte.log",
            how: "basic.log with one byte of entry 5's data changed (`\"amount\":100` became \
                  `\"amount\":900`); nothing else changed."
                .into(),
            expect: "`bad_signature` at entry 5 (the clerk's signature no longer covers the \
                     data) and `prev_mismatch` at entry 6 (entry 6's `prev` is the hash of the \
                     original entry 5)."
                .into(),
            bytes: join(&lines),
        });
    }
    // Deleted entry 6.
    {
        let mut lines = basic.to_vec();
        lines.remove(6);
        out.push(Fail {
            name: "fail_deleted_entry.log",
            how: "basic.log without entry 6.".into(),
            expect: "at entry 6 (the line that now holds seq 7): `seq_mismatch` (expected 6, \
                     found 7) and `prev_mismatch` (expected the hash of entry 5, found the \
                     hash of the deleted entry 6). Nothing else: the verifier resynchronises \
                     on the seq it found."
                .into(),
            bytes: join(&lines),
        });
    }
    // Duplicated entry 6.
    {
        let mut lines = basic.to_vec();
        lines.insert(7, get(basic, 6)?.clone());
        out.push(Fail {
            name: "fail_duplicated_entry.log",
            how: "basic.log with entry 6 appearing twice in a row.".into(),
            expect: "at entry 7 (the copy): `seq_mismatch` (expected 7, found 6) and \
                     `prev_mismatch` (expected the hash of entry 6, found the hash of entry 5). \
                     Nothing else."
                .into(),
            bytes: join(&lines),
        });
    }
    // Adjacent swap of entries 2 and 3.
    {
        let mut lines = basic.to_vec();
        lines.swap(2, 3);
        out.push(Fail {
            name: "fail_reordered_entries.log",
            how: "basic.log with entries 2 and 3 swapped.".into(),
            expect: "entry 2 (seq 3): `seq_mismatch` (expected 2, found 3) and \
                     `prev_mismatch`; entry 3 (seq 2): `seq_mismatch` (expected 4, found 2), \
                     `prev_mismatch` and `time_went_backwards`; entry 4: `seq_mismatch` \
                     (expected 3, found 4) and `prev_mismatch` (it follows seq 2, not seq 3)."
                .into(),
            bytes: join(&lines),
        });
    }
    // Spliced: the last entry, signed by the operator for another log.
    {
        let mut lines = basic.to_vec();
        lines[last] = resign(get(basic, last)?, OTHER_ORIGIN, op)?;
        out.push(Fail {
            name: "fail_spliced_entry.log",
            how: format!(
                "basic.log whose last entry (seq {last}) is replaced by the same entry (same \
                 seq, prev, recorded_at, type and data) signed by test-only-operator for another \
                 log, origin `{OTHER_ORIGIN}`, whose keys are the same: only the origin in the \
                 signed message differs."
            ),
            expect: format!(
                "`bad_signature` at entry {last} (the signature binds the origin). Nothing else."
            ),
            bytes: join(&lines),
        });
    }
    // Unknown key: the last entry re-signed by the intruder.
    {
        let mut lines = basic.to_vec();
        lines[last] = resign(get(basic, last)?, ORIGIN, &keys.intruder)?;
        out.push(Fail {
            name: "fail_unknown_key.log",
            how: format!(
                "basic.log whose last entry (seq {last}) is re-signed by test-only-intruder \
                 (author changed accordingly; seq, prev and everything else correct)."
            ),
            expect: format!(
                "`unknown_author` (test-only-intruder) at entry {last}, and `batch_broken` there \
                 (entry {last} ends the batch that began at entry {}, signed by \
                 test-only-operator, so it must be signed by that key too). Nothing else.",
                last - 1
            ),
            bytes: join(&lines),
        });
    }
    // Forged genesis: a whole self-consistent log by the intruder.
    out.push(Fail {
        name: "fail_forged_genesis.log",
        how: format!(
            "A log written like basic.log (same origin `{ORIGIN}`, same entries) but with \
             test-only-intruder in the operator's place, genesis included. It is \
             self-consistent."
        ),
        expect: "with basic.operator.vkey as trust anchor: `untrusted_genesis` at entry 0 \
                 (trusted: the operator, found: the intruder), nothing else. Without a trust \
                 anchor: no findings."
            .into(),
        bytes: forged,
    });
    // Truncated: the last two entries removed.
    {
        let lines = &basic[..n - 2];
        out.push(Fail {
            name: "fail_truncated.log",
            how: format!(
                "basic.log without its last 2 entries (seq {} and {last}).",
                n - 2
            ),
            expect: format!(
                "with `--expect-head` from basic.head ({last_seq}:<hash of entry {last}>): \
                 `truncated` (expected seq {last_seq}, {} entries) at entry {}. Without an \
                 expected head it is a sound, shorter log.",
                n - 2,
                n - 2
            ),
            bytes: join(lines),
        });
    }
    // Non-canonical: a space after `{"author":` in the last entry.
    {
        let mut lines = basic.to_vec();
        let prefix = b"{\"author\":";
        let original = get(basic, last)?;
        if !original.starts_with(prefix) {
            bail!("entry {last} does not start with {{\"author\":");
        }
        let mut l = prefix.to_vec();
        l.push(b' ');
        l.extend_from_slice(&original[prefix.len()..]);
        lines[last] = l;
        out.push(Fail {
            name: "fail_non_canonical.log",
            how: format!(
                "basic.log with a space inserted after `{{\"author\":` in the last entry \
                 (seq {last}). The signature still verifies (it covers the canonical form)."
            ),
            expect: format!(
                "`not_canonical` at entry {last}, first difference at byte {}. Nothing else.",
                prefix.len()
            ),
            bytes: join(&lines),
        });
    }
    // Revoked key: the clerk signs after its revocation.
    {
        let mut lines = basic.to_vec();
        lines.push(sign_raw(
            ORIGIN,
            &keys.clerk,
            last_seq + 1,
            head_hash,
            &last_time,
            "test.note",
            &note("written after the clerk's revocation"),
        )?);
        out.push(Fail {
            name: "fail_revoked_key.log",
            how: format!(
                "basic.log plus one `test.note` entry (seq {}, prev and recorded_at correct) \
                 signed by test-only-clerk, whose key was revoked at seq {revoke_at}.",
                last_seq + 1
            ),
            expect: format!(
                "`revoked_author` (test-only-clerk, revoked at {revoke_at}) at entry {}. \
                 Nothing else.",
                last_seq + 1
            ),
            bytes: join(&lines),
        });
    }
    // Role violation: while still active, the clerk tries to add a key.
    {
        let mut lines = basic[..revoke_at].to_vec();
        let prev = EntryHash::of_line(get(basic, revoke_at - 1)?);
        let time = Entry::decode(get(basic, revoke_at)?)?.entry.recorded_at;
        let data = key_add_data(&keys.intruder.verifier(), &Roles::all());
        lines.push(sign_raw(
            ORIGIN,
            &keys.clerk,
            revoke_at as u64,
            prev,
            &time,
            KEY_ADD_TYPE,
            &data,
        )?);
        out.push(Fail {
            name: "fail_role_violation.log",
            how: format!(
                "basic.log's first {revoke_at} entries (the clerk is active, roles `test.*`) \
                 plus an `acta.key.add` entry (seq {revoke_at}, chained correctly) signed by \
                 test-only-clerk that would add test-only-intruder with roles `*`."
            ),
            expect: format!(
                "`role_violation` (test-only-clerk, type `acta.key.add`) at entry {revoke_at}. \
                 Nothing else."
            ),
            bytes: join(&lines),
        });
    }
    // Torn tail: half of a next entry, no newline.
    {
        let next = sign_raw(
            ORIGIN,
            op,
            last_seq + 1,
            head_hash,
            &last_time,
            "test.note",
            &note("this append was interrupted"),
        )?;
        let mut bytes = join(basic);
        let half = next.len() / 2;
        bytes.extend_from_slice(&next[..half]);
        out.push(Fail {
            name: "fail_torn_tail.log",
            how: format!(
                "basic.log followed by the first {half} bytes of a next entry, without a \
                 newline (an interrupted append)."
            ),
            expect: format!(
                "`torn_tail` ({half} bytes) at entry {n}. Nothing else: the {n} complete \
                 entries are sound."
            ),
            bytes,
        });
    }
    // A missing newline: basic.log without its last byte, the newline of its last entry (the
    // entry that ends the batch begun at the entry before it).
    {
        let mut bytes = join(basic);
        if bytes.pop() != Some(b'\n') {
            bail!("basic.log does not end with a newline");
        }
        let offset = bytes.len() - get(basic, last)?.len();
        out.push(Fail {
            name: "fail_missing_newline.log",
            how: format!(
                "basic.log without its last byte, the newline after its last entry (seq \
                 {last_seq}, at byte {offset}), which ends the batch that began at entry {}: \
                 what someone who can write the folder does by truncating the file by one byte.",
                last - 1
            ),
            expect: format!(
                "`missing_newline` (seq {last_seq}) at entry {last}. Nothing else: entry {last} \
                 is complete and validly signed, so it is not a torn tail, it ends its batch (no \
                 `unfinished_batch`), and the log has {n} entries; `acta repair` appends the \
                 newline and nothing else."
            ),
            bytes,
        });
    }
    // A batch cut short: the first two entries of a batch of three, whole, and no more.
    {
        let mut lines = basic.to_vec();
        let mut prev = head_hash;
        for (i, text) in ["batch entry 1 of 3", "batch entry 2 of 3"]
            .iter()
            .enumerate()
        {
            let line = NewEntry {
                seq: last_seq + 1 + i as u64,
                prev,
                recorded_at: &last_time,
                entry_type: "test.note",
                data: &note(text),
            }
            .sign_with_more(ORIGIN, op, 2 - i as u64)?;
            prev = EntryHash::of_line(&line);
            lines.push(line);
        }
        out.push(Fail {
            name: "fail_unfinished_batch.log",
            how: format!(
                "basic.log followed by the first two entries (seq {n} and {}, `more` 2 and 1, \
                 validly signed and chained) of a batch of three by test-only-operator, whose \
                 third entry is missing (a crash during the batch's write).",
                n + 1
            ),
            expect: format!(
                "`unfinished_batch` (size 3, missing 1) at entry {n}, the batch's first line. \
                 Nothing else: every line verifies, but the batch was never acknowledged \
                 (`acta repair` moves its two lines to a side file)."
            ),
            bytes: join(&lines),
        });
    }
    // Malformed JSON: the last entry without its closing brace.
    {
        let mut lines = basic.to_vec();
        let original = get(basic, last)?;
        let Some(cut) = original.strip_suffix(b"}") else {
            bail!("entry {last} does not end with }}");
        };
        lines[last] = cut.to_vec();
        out.push(Fail {
            name: "fail_malformed_json.log",
            how: format!("basic.log with the closing `}}` of its last entry (seq {last}) removed."),
            expect: format!(
                "`malformed` (not valid JSON) at entry {last}, and `batch_broken` there (the \
                 batch that began at entry {} expected one more entry; a line that is not an \
                 entry does not end it). Nothing else.",
                last - 1
            ),
            bytes: join(&lines),
        });
    }
    // Time went backwards.
    {
        let earlier = Entry::decode(get(basic, last - 2)?)?.entry.recorded_at;
        let mut lines = basic.to_vec();
        lines.push(sign_raw(
            ORIGIN,
            op,
            last_seq + 1,
            head_hash,
            &earlier,
            "test.note",
            &note("recorded with a clock that went back"),
        )?);
        out.push(Fail {
            name: "fail_time_backwards.log",
            how: format!(
                "basic.log plus one `test.note` entry by test-only-operator (seq {}, prev \
                 correct) whose recorded_at ({earlier}) is earlier than the last entry's \
                 ({last_time}).",
                last_seq + 1
            ),
            expect: format!(
                "`time_went_backwards` (previous {last_time}, found {earlier}) at entry {}. \
                 Nothing else.",
                last_seq + 1
            ),
            bytes: join(&lines),
        });
    }
    // Bad seq: one seq skipped, then the log goes on from the skipped-to seq.
    {
        let mut lines = basic.to_vec();
        let skipped = sign_raw(
            ORIGIN,
            op,
            last_seq + 2,
            head_hash,
            &last_time,
            "test.note",
            &note("seq skips one"),
        )?;
        let after = sign_raw(
            ORIGIN,
            op,
            last_seq + 3,
            EntryHash::of_line(&skipped),
            &last_time,
            "test.note",
            &note("the log goes on after the skip"),
        )?;
        lines.push(skipped);
        lines.push(after);
        out.push(Fail {
            name: "fail_bad_seq.log",
            how: format!(
                "basic.log plus two entries by test-only-operator, chained and signed \
                 correctly, with seq {} and {} (seq {} is skipped).",
                last_seq + 2,
                last_seq + 3,
                last_seq + 1
            ),
            expect: format!(
                "`seq_mismatch` (expected {}, found {}) at entry {}. Nothing else: the entry \
                 after it (seq {}) follows it correctly.",
                last_seq + 1,
                last_seq + 2,
                last_seq + 1,
                last_seq + 3
            ),
            bytes: join(&lines),
        });
    }
    Ok(out)
}

/// The signed checkpoint note of the first `size` lines of a log of `origin`, as
/// `acta checkpoint` makes it: `origin`, `size`, the RFC 6962 root of those lines (each line's
/// leaf hash is [`EntryHash::of_line`]), no extension lines, signed by `key`.
pub fn checkpoint_note(
    origin: &str,
    lines: &[Vec<u8>],
    size: u64,
    key: &SigningKey,
) -> anyhow::Result<String> {
    let tree = MemoryTree::from_leaves(lines.iter().map(|l| EntryHash::of_line(l)));
    let root = tree
        .root_at(size)
        .map_err(|e| anyhow::anyhow!("the tree of {} lines at size {size}: {e:?}", lines.len()))?;
    let text = Checkpoint {
        origin: origin.to_owned(),
        size,
        root,
        extensions: Vec::new(),
    }
    .to_text()?;
    Ok(sign_note(&text, key)?)
}

/// The forked history [`FORKED_CHECKPOINT`] commits to, given the bytes of `basic.log`: its
/// first [`FORK_POINT`] entries, then `test.note` entries by test-only-operator (seq
/// [`FORK_POINT`] to `n - 1`, chained and signed correctly, `recorded_at` = [`clock`]`(seq)`)
/// up to as many entries as `basic.log` has. A sound log on its own, so its operator signed a
/// checkpoint for it: two signed histories of one log, a fork.
pub fn forked_log(basic_log: &[u8]) -> anyhow::Result<Vec<u8>> {
    let op = operator()?;
    let basic = split_lines(basic_log)?;
    if basic.len() <= FORK_POINT {
        bail!(
            "basic.log has {} entries; the fork needs more than {FORK_POINT}",
            basic.len()
        );
    }
    let mut lines = basic[..FORK_POINT].to_vec();
    for seq in FORK_POINT..basic.len() {
        let prev = EntryHash::of_line(get(&lines, seq - 1)?);
        let seq = seq as u64;
        lines.push(sign_raw(
            ORIGIN,
            &op,
            seq,
            prev,
            &timestamp(seq),
            "test.note",
            &note(&format!("forked history, entry {seq}")),
        )?);
    }
    Ok(join(&lines))
}

fn readme(fails: &[Fail], basic_entries: usize, seed_log: &seed::SeedLog) -> String {
    let (small, full) = (BASIC_CHECKPOINT_SMALL_SIZE, BASIC_CHECKPOINT_FULL_SIZE);
    let mut s = String::new();
    s.push_str(
        "# acta test fixtures\n\
         \n\
         GENERATED FILES: do not edit by hand. Regenerate them all with\n\
         \n\
         ```sh\n\
         cargo run -p acta-testkit --bin acta-fixtures -- fixtures\n\
         ```\n\
         \n\
         The generator is `crates/testkit` (`acta_testkit::generate`). It signs with the\n\
         TEST-ONLY keys of `acta_testkit` (seed = SHA-256(\"acta test-only key seed\\n\" ‖ name),\n\
         names starting with `test-only-`) and a fixed clock (2025-11-26T09:00:00Z plus one\n\
         minute per step); Ed25519 signatures are deterministic, so the output is the same byte\n\
         for byte every time. `tests/it/fixtures.rs` checks that regenerating gives exactly\n\
         these files, and that each fixture verifies (or fails) as described here. No private\n\
         key is stored here: tests derive the keys from `acta_testkit`.\n\
         \n\
         Entry numbers below are line indexes from 0 (the `entry` of a finding). Finding kinds\n\
         are written in their JSON form (the `finding` tag of `acta_core::FindingKind`).\n\
         Every fixture outside `seed/` is verified with `valid/basic.operator.vkey` as the trust\n\
         anchor.\n\
         \n\
         ## valid/\n\
         \n",
    );
    s.push_str(&format!(
        "- `basic.log`: a sound log of {basic_entries} entries (seq 0 to {}), origin \
         `{ORIGIN}`, written with `LogWriter`: genesis by test-only-operator (roles `*`); \
         operator entries; `acta.key.add` of test-only-clerk with roles `[\"test.*\"]` \
         (seq 4); clerk entries (seq 5 to 7); `acta.key.revoke` of the clerk (seq 8); \
         operator entries (seq 10 and 11 in one batch). Verifies with no findings.\n\
         - `basic.operator.vkey`: test-only-operator's verifier key, the trust anchor.\n\
         - `basic.head`: `SEQ:HASH` of the last entry of `basic.log` (for `--expect-head`).\n\
         - `basic.checkpoint-{small}.note` and `basic.checkpoint-{full}.note`: C2SP checkpoints \
         (c2sp.org/tlog-checkpoint signed notes, as `acta checkpoint` writes them) of the first \
         {small} and all {full} entries of `basic.log`: origin, size, the RFC 6962 root of those \
         lines, no extension lines, signed by test-only-operator. `acta verify \
         valid/basic.log --trust @valid/basic.operator.vkey --checkpoint …` passes with either \
         or both.\n\
         \n\
         ## fail_*.log\n\
         \n\
         Each must fail verification for exactly the reason given.\n",
        basic_entries.saturating_sub(1)
    ));
    for f in fails {
        s.push_str(&format!(
            "\n### `{}`\n\n{}\n\nMust fail with: {}\n",
            f.name, f.how, f.expect
        ));
    }
    let fork = FORK_POINT;
    let last = basic_entries.saturating_sub(1);
    s.push_str(&format!(
        "\n## `{FORKED_CHECKPOINT}`\n\n\
         A checkpoint note for size {full} of origin `{ORIGIN}`, signed by test-only-operator \
         (the log's own key, so its signature verifies), whose root is that of a forked \
         history (`acta_testkit::forked_log`): the first {fork} entries of `basic.log` (seq 0 \
         to {}), then {} `test.note` entries by test-only-operator (seq {fork} to {last}), \
         chained and signed correctly. That history is sound on its own; it and `basic.log` \
         are two signed histories of one log: a fork.\n\
         \n\
         Must fail with: `acta verify valid/basic.log --trust @valid/basic.operator.vkey \
         --checkpoint {FORKED_CHECKPOINT}` exits 1 with `root_mismatch` (size {full}) at entry \
         {} and prints FORK EVIDENCE with the note. With `--checkpoint \
         valid/basic.checkpoint-{small}.note` as well, the evidence also shows that note (which \
         the log reproduces) and the log's consistency proof {small} → {full}, which does not \
         verify between the two signed checkpoints. With `valid/basic.checkpoint-{full}.note` \
         as well, the two notes signed for size {full} with different roots are reported as a \
         fork by themselves.\n",
        fork - 1,
        basic_entries.saturating_sub(fork),
        full - 1,
    ));
    s.push_str(&seed::readme_section(seed_log));
    s
}

/// Builds every fixture in memory (using a temporary directory for the logs that the real
/// writer writes). Deterministic: the same bytes every time.
pub fn build() -> anyhow::Result<Vec<Fixture>> {
    let keys = TestKeys::new()?;
    let scratch = tempfile::tempdir().context("creating a scratch directory")?;
    let basic_bytes = write_basic_log(
        &scratch.path().join("basic.log"),
        &keys.operator,
        &keys.clerk,
        ORIGIN,
    )?;
    let forged = write_basic_log(
        &scratch.path().join("forged.log"),
        &keys.intruder,
        &keys.clerk,
        ORIGIN,
    )?;
    scratch.close().context("removing the scratch directory")?;
    let basic = split_lines(&basic_bytes)?;
    let last = basic.len().saturating_sub(1);
    let head = format!("{last}:{}\n", EntryHash::of_line(get(&basic, last)?));
    let fails = fail_fixtures(&keys, &basic, forged)?;
    let small_checkpoint =
        checkpoint_note(ORIGIN, &basic, BASIC_CHECKPOINT_SMALL_SIZE, &keys.operator)?;
    let full_checkpoint =
        checkpoint_note(ORIGIN, &basic, BASIC_CHECKPOINT_FULL_SIZE, &keys.operator)?;
    let forked = split_lines(&forked_log(&basic_bytes)?)?;
    let forked_checkpoint =
        checkpoint_note(ORIGIN, &forked, BASIC_CHECKPOINT_FULL_SIZE, &keys.operator)?;
    let seed_log = seed::build_seed_log()?;

    let mut out = vec![
        Fixture {
            path: README.to_owned(),
            bytes: readme(&fails, basic.len(), &seed_log).into_bytes(),
        },
        Fixture {
            path: BASIC_LOG.to_owned(),
            bytes: basic_bytes,
        },
        Fixture {
            path: BASIC_VKEY.to_owned(),
            bytes: format!("{}\n", keys.operator.verifier()).into_bytes(),
        },
        Fixture {
            path: BASIC_HEAD.to_owned(),
            bytes: head.into_bytes(),
        },
        Fixture {
            path: BASIC_CHECKPOINT_SMALL.to_owned(),
            bytes: small_checkpoint.into_bytes(),
        },
        Fixture {
            path: BASIC_CHECKPOINT_FULL.to_owned(),
            bytes: full_checkpoint.into_bytes(),
        },
    ];
    out.extend(fails.into_iter().map(|f| Fixture {
        path: f.name.to_owned(),
        bytes: f.bytes,
    }));
    out.push(Fixture {
        path: FORKED_CHECKPOINT.to_owned(),
        bytes: forked_checkpoint.into_bytes(),
    });
    out.extend([
        Fixture {
            path: seed::SEED_LOG.to_owned(),
            bytes: seed_log.bytes.clone(),
        },
        Fixture {
            path: seed::SEED_VKEY.to_owned(),
            bytes: seed::SeedLog::vkey_text()?.into_bytes(),
        },
        Fixture {
            path: seed::SEED_HEAD.to_owned(),
            bytes: seed_log.head_text()?.into_bytes(),
        },
    ]);
    Ok(out)
}

/// Writes every fixture into `dir` (creating it, `dir/valid/` and `dir/seed/`), replacing files
/// that exist: each file is written to a temporary directory inside `dir` and renamed into
/// place. Returns the paths written.
pub fn generate(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let fixtures = build()?;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".acta-fixtures-")
        .tempdir_in(dir)
        .with_context(|| format!("creating a temporary directory in {}", dir.display()))?;
    let mut written = Vec::with_capacity(fixtures.len());
    for (i, f) in fixtures.iter().enumerate() {
        let target = f.path.split('/').fold(dir.to_path_buf(), |p, c| p.join(c));
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        let tmp = staging.path().join(format!("{i}.tmp"));
        fs::write(&tmp, &f.bytes).with_context(|| format!("writing {}", tmp.display()))?;
        fs::rename(&tmp, &target)
            .with_context(|| format!("renaming {} to {}", tmp.display(), target.display()))?;
        written.push(target);
    }
    staging
        .close()
        .context("removing the temporary directory")?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_test_only_names_are_accepted() {
        assert!(test_key("operator").is_err());
        assert!(test_key("test-only-").is_err());
        assert!(test_key("xtest-only-operator").is_err());
        let k = test_key("test-only-anything").expect("a test-only name");
        assert_eq!(k.name(), "test-only-anything");
    }

    #[test]
    fn keys_come_from_the_published_seed() {
        // Recompute the seed as documented and compare the resulting public key.
        for name in TEST_KEY_NAMES {
            let mut input = b"acta test-only key seed\n".to_vec();
            input.extend_from_slice(name.as_bytes());
            let seed: [u8; 32] = Sha256::digest(&input).into();
            let expected = SigningKey::from_seed(name, seed).expect("valid name");
            let got = test_key(name).expect("test key");
            assert_eq!(got.verifier(), expected.verifier(), "{name}");
        }
        let k = TestKeys::new().expect("test keys");
        assert_ne!(k.operator.verifier(), k.clerk.verifier());
        assert_ne!(k.operator.verifier(), k.intruder.verifier());
        assert_eq!(k.secretariat.name(), SECRETARIAT);
    }

    #[test]
    fn clock_starts_at_the_documented_time() {
        assert_eq!(timestamp(0), "2025-11-26T09:00:00Z");
        assert_eq!(timestamp(1), "2025-11-26T09:01:00Z");
        assert_eq!(timestamp(61), "2025-11-26T10:01:00Z");
        assert_eq!(clock(u64::MAX), DateTime::<Utc>::MAX_UTC);
    }

    #[test]
    fn checkpoints_are_signed_by_the_operator_and_the_fork_differs_after_the_fork_point()
    -> anyhow::Result<()> {
        let fixtures = build()?;
        let file = |p: &str| {
            fixtures
                .iter()
                .find(|f| f.path == p)
                .map(|f| f.bytes.clone())
                .with_context(|| format!("{p} is generated"))
        };
        let op = operator()?.verifier();
        let basic = split_lines(&file(BASIC_LOG)?)?;
        let forked = split_lines(&forked_log(&file(BASIC_LOG)?)?)?;
        assert_eq!(forked.len(), basic.len());
        assert_eq!(forked[..FORK_POINT], basic[..FORK_POINT]);
        assert!((FORK_POINT..basic.len()).all(|i| forked[i] != basic[i]));
        let mut roots = Vec::new();
        for (path, size) in [
            (BASIC_CHECKPOINT_SMALL, BASIC_CHECKPOINT_SMALL_SIZE),
            (BASIC_CHECKPOINT_FULL, BASIC_CHECKPOINT_FULL_SIZE),
            (FORKED_CHECKPOINT, BASIC_CHECKPOINT_FULL_SIZE),
        ] {
            let cp = acta_core::note::verify_checkpoint_note(&file(path)?, &op, &[], 0)?;
            assert_eq!(cp.checkpoint.origin, ORIGIN, "{path}");
            assert_eq!(cp.checkpoint.size, size, "{path}");
            assert!(path.contains(&format!("checkpoint-{size}.note")), "{path}");
            roots.push(cp.checkpoint.root);
        }
        assert_ne!(roots[1], roots[2], "the fork has another root at size 12");
        Ok(())
    }

    #[test]
    fn build_is_deterministic() {
        let a = build().expect("build");
        let b = build().expect("build");
        assert_eq!(a, b);
        assert!(a.iter().any(|f| f.path == BASIC_LOG));
    }
}
