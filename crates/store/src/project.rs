//! Replaying a log into a [`Projection`], with snapshots and resumption.
//!
//! - [`replay`] folds the entries of a store, from the start or from a [`Position`], up to an
//!   optional last `seq` ("as recorded up to entry N"). It checks what a fold needs (each line
//!   decodes, `seq` and `prev` follow on) but not signatures: call it on a log that verified,
//!   or use [`verify_and_replay`], which verifies first (streaming) and folds only what it
//!   verified.
//! - A [`Snapshot`] is a projection's state at a [`Position`]. [`replay`] resumed from it
//!   first checks that the log still has that prefix (the entry at `size - 1` has the
//!   snapshot's hash), so a snapshot of one log cannot be resumed on another or on a
//!   rewritten one.
//!
//! ```no_run
//! use acta_core::{Projection, Recorded, VerifyOptions};
//! use acta_store::project::{verify_and_replay, ReplayOptions};
//! use acta_store::FileStore;
//!
//! /// Counts entries per type.
//! #[derive(Default)]
//! struct Types(std::collections::BTreeMap<String, u64>);
//! impl Projection for Types {
//!     fn apply(&mut self, r: Recorded<'_>) {
//!         *self.0.entry(r.entry.entry_type.clone()).or_default() += 1;
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = FileStore::open_reader("events.log")?;
//! let mut types = Types::default();
//! let (report, position) =
//!     verify_and_replay(&store, VerifyOptions::default(), &mut types, &ReplayOptions::default())?;
//! assert!(report.is_consistent());
//! println!("{} entries: {:?}", position.size, types.0);
//! # Ok(())
//! # }
//! ```

use acta_core::entry::GENESIS_PREV;
use acta_core::{Entry, EntryHash, Position, Projection, Recorded, Report, VerifyOptions};

use crate::mac::MacKey;
use crate::{ScanItem, Store, StoreError};

/// What to replay.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReplayOptions {
    /// Resume after this position (a [`Snapshot`]'s); the default starts at entry 0.
    pub from: Position,
    /// Stop after the entry with this `seq` (as recorded up to entry N); `None`: to the end.
    pub upto_seq: Option<u64>,
}

/// Why a replay stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A line is not a well-formed entry, or does not follow on from the one before.
    #[error("entry {index} (byte {offset}): {problem}")]
    Broken {
        /// Its index in the log.
        index: u64,
        /// Its byte offset.
        offset: u64,
        /// What is wrong.
        problem: String,
    },
    /// The snapshot's position is not a prefix of this log.
    #[error(
        "the snapshot was taken at entry {seq} with hash {expected}, but {found}: it belongs to another log or to a rewritten one; replay from the start instead"
    )]
    NotAPrefix {
        /// The snapshot's last entry.
        seq: u64,
        /// The snapshot's hash of it.
        expected: EntryHash,
        /// What the log has instead.
        found: String,
    },
    /// The log did not verify, so it is not replayed.
    #[error("the log did not verify ({0} problems)")]
    NotVerified(u64),
}

/// Folds the entries of `store` into `projection` (see the module docs), returning the
/// position reached.
pub fn replay<S: Store + ?Sized, P: Projection + ?Sized>(
    store: &S,
    projection: &mut P,
    options: &ReplayOptions,
) -> Result<Position, ReplayError> {
    replay_bounded(store, projection, options, None)
}

/// [`replay`], folding at most `limit` entries in total (the verified size of the log).
fn replay_bounded<S: Store + ?Sized, P: Projection + ?Sized>(
    store: &S,
    projection: &mut P,
    options: &ReplayOptions,
    limit: Option<u64>,
) -> Result<Position, ReplayError> {
    let from = options.from;
    let mut position = from;
    let end = match (options.upto_seq, limit) {
        (Some(n), Some(l)) => Some(n.saturating_add(1).min(l)),
        (Some(n), None) => Some(n.saturating_add(1)),
        (None, l) => l,
    };
    if end.is_some_and(|e| e <= from.size) {
        check_prefix_empty(store, from)?;
        return Ok(from);
    }
    // With the offset of the snapshot's last line, read from there (the line must still be
    // the one the snapshot saw); otherwise from the start, skipping.
    let (mut index, scan) = match (from.size, from.head_offset) {
        (size @ 1.., Some(offset)) => (size - 1, store.scan_from(offset)?),
        _ => (0, store.scan()?),
    };
    let mut prev = GENESIS_PREV;
    let mut first = true;
    for item in scan {
        let (offset, bytes) = match item? {
            ScanItem::Line(line) => (line.offset, line.bytes),
            ScanItem::TooLong { offset, .. } => {
                return Err(broken(index, offset, "the line is too long"));
            }
            // A torn tail is not an entry: the fold ends before it.
            ScanItem::Torn { .. } => break,
        };
        if index + 1 < from.size {
            // Before the snapshot's last entry: skipped unread (the hash chain ties the
            // snapshot's last entry to all of them).
            index += 1;
            continue;
        }
        let hash = EntryHash::of_line(&bytes);
        if first
            && from.size > 0
            && let Some(at) = from.head_offset
            && offset != at
        {
            return Err(not_a_prefix(from, format!("no entry starts at byte {at}")));
        }
        first = false;
        if index + 1 == from.size {
            if Some(hash) != from.head {
                return Err(not_a_prefix(from, format!("entry {index} has hash {hash}")));
            }
            prev = hash;
            index += 1;
            continue;
        }
        let entry =
            Entry::decode_verified(&bytes).map_err(|e| broken(index, offset, &e.to_string()))?;
        check_link(&entry, index, prev).map_err(|p| broken(index, offset, &p))?;
        projection.apply(Recorded {
            hash,
            entry: &entry,
        });
        index += 1;
        prev = hash;
        position = Position {
            size: index,
            head: Some(hash),
            head_offset: Some(offset),
        };
        if end.is_some_and(|e| index >= e) {
            break;
        }
    }
    if index < from.size {
        return Err(not_a_prefix(
            from,
            format!("the log has only {index} entries"),
        ));
    }
    Ok(position)
}

/// A replay that applies nothing still checks that the log has the snapshot's prefix.
fn check_prefix_empty<S: Store + ?Sized>(store: &S, from: Position) -> Result<(), ReplayError> {
    if from.size == 0 {
        return Ok(());
    }
    let mut index = 0u64;
    for item in store.scan()? {
        match item? {
            ScanItem::Line(line) => {
                if index + 1 == from.size {
                    let hash = EntryHash::of_line(&line.bytes);
                    if Some(hash) != from.head {
                        return Err(not_a_prefix(from, format!("entry {index} has hash {hash}")));
                    }
                    return Ok(());
                }
            }
            ScanItem::TooLong { .. } => {}
            ScanItem::Torn { .. } => break,
        }
        index += 1;
    }
    Err(not_a_prefix(
        from,
        format!("the log has only {index} entries"),
    ))
}

fn check_link(entry: &Entry, index: u64, prev: EntryHash) -> Result<(), String> {
    if entry.seq != index {
        return Err(format!("seq is {}, expected {index}", entry.seq));
    }
    if entry.prev != prev {
        return Err(format!(
            "prev is {}, but the entry before has hash {prev}",
            entry.prev
        ));
    }
    Ok(())
}

fn broken(index: u64, offset: u64, problem: &str) -> ReplayError {
    ReplayError::Broken {
        index,
        offset,
        problem: problem.to_owned(),
    }
}

fn not_a_prefix(from: Position, found: String) -> ReplayError {
    ReplayError::NotAPrefix {
        seq: from.size.saturating_sub(1),
        expected: from.head.unwrap_or(GENESIS_PREV),
        found,
    }
}

/// Verifies `store` and folds the entries it verified into `projection`, in **one pass** over
/// the bytes (see [`verify_and_project`]); fails with [`ReplayError::NotVerified`] if the log
/// has findings (the report is then lost: callers that want to show it use
/// [`verify_and_project`]).
pub fn verify_and_replay<S: Store + ?Sized, P: Projection + Send + ?Sized>(
    store: &S,
    verify: VerifyOptions,
    projection: &mut P,
    options: &ReplayOptions,
) -> Result<(Report, Position), ReplayError> {
    let (report, position) = verify_and_project(store, verify, projection, options)?;
    if !report.is_consistent() {
        return Err(ReplayError::NotVerified(
            report.findings.len() as u64 + report.findings_omitted,
        ));
    }
    Ok((report, position))
}

/// Verifies every line of `store` (as [`crate::verify`]: in parallel, streaming) and, in the
/// same pass, folds into `projection` the entries of the log's verified prefix (up to the
/// first line with a finding), from the very bytes it verified: nothing is read twice, so
/// bytes changed in the file between a verification and a replay can never be reported as
/// verified.
///
/// Entries before `options.from` are verified but not folded (the entry at
/// `options.from.size - 1` must have the snapshot's hash, else [`ReplayError::NotAPrefix`]);
/// entries after `options.upto_seq` are verified but not folded. The returned report covers
/// the whole log. If it is not sound, what was folded must be discarded: a finding can come
/// from a later line or from the end of the log.
pub fn verify_and_project<S: Store + ?Sized, P: Projection + Send + ?Sized>(
    store: &S,
    verify: VerifyOptions,
    projection: &mut P,
    options: &ReplayOptions,
) -> Result<(Report, Position), ReplayError> {
    let from = options.from;
    let mut position = from;
    let mut prefix_ok = from.size == 0;
    let upto = options.upto_seq;
    let report = crate::log::verify_each(
        store,
        verify,
        crate::log::VERIFY_CHUNK_LINES,
        |offset, decoded| {
            let seq = decoded.entry.seq;
            if from.size > 0 && seq + 1 == from.size {
                prefix_ok = Some(decoded.hash) == from.head
                    && from.head_offset.is_none_or(|at| at == offset);
            }
            if seq < from.size || upto.is_some_and(|n| seq > n) {
                return;
            }
            projection.apply(Recorded {
                hash: decoded.hash,
                entry: &decoded.entry,
            });
            position = Position {
                size: seq + 1,
                head: Some(decoded.hash),
                head_offset: Some(offset),
            };
        },
    )?;
    if !prefix_ok && report.is_consistent() {
        return Err(not_a_prefix(
            from,
            format!(
                "the verified log (of {} entries) does not have that entry",
                report.entries
            ),
        ));
    }
    Ok((report, position))
}

/// A projection's state at a position of a log, to resume from later.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot<T> {
    /// Always [`Snapshot::FORMAT`]: the snapshot file format.
    pub format: String,
    /// The log's origin (a snapshot is refused for a log of another origin).
    pub origin: String,
    /// Where the state was taken.
    pub position: Position,
    /// The projection's state.
    pub state: T,
}

impl<T> Snapshot<T> {
    /// The format name written in every snapshot.
    pub const FORMAT: &'static str = "acta-snapshot/v1";

    /// A snapshot of `state` at `position` of the log of `origin`.
    pub fn new(origin: &str, position: Position, state: T) -> Snapshot<T> {
        Snapshot {
            format: Self::FORMAT.to_owned(),
            origin: origin.to_owned(),
            position,
            state,
        }
    }

    /// The replay options that resume from this snapshot.
    pub fn resume(&self) -> ReplayOptions {
        ReplayOptions {
            from: self.position,
            upto_seq: None,
        }
    }
}

impl<T: serde::Serialize> Snapshot<T> {
    /// The snapshot as JSON.
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }
}

impl<T: serde::Serialize> Snapshot<T> {
    /// The snapshot in its sealed form, authenticated by `key`: its JSON ([`Snapshot::to_json`])
    /// and `'\n'`, then the 64 lowercase hex digits of HMAC-SHA256(K, the JSON and its
    /// `'\n'`) and `'\n'`, where K is `key`'s [`acta_core::key::DeriveSecret::derive_secret`] with
    /// the context [`SEAL_CONTEXT`]. Only the holder of `key` can seal a snapshot that
    /// [`Snapshot::from_sealed`] accepts with it: a writer keeps its projection beside a log
    /// this way (`LOG.domain-state`) and uses it only if it was its own.
    pub fn to_sealed(&self, key: &acta_core::SigningKey) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = self.to_json()?;
        out.push(b'\n');
        let tag = MacKey::derive(key, SEAL_CONTEXT).tag(&out);
        out.extend_from_slice(hex::encode(tag).as_bytes());
        out.push(b'\n');
        Ok(out)
    }
}

/// The context of the MAC key of sealed snapshots ([`Snapshot::to_sealed`]).
pub const SEAL_CONTEXT: &str = "acta-domain-state/v1 mac";

/// Why a sealed snapshot was not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// Not the sealed form (JSON line, MAC line).
    #[error("not a sealed snapshot (a JSON line, then a line of 64 lowercase hex digits)")]
    Malformed,
    /// The MAC does not verify under this key: written by someone else, by another key, or
    /// altered.
    #[error(
        "the snapshot's MAC does not verify under this key: it was not written by this key, or was altered"
    )]
    BadMac,
    /// The MAC verifies but the JSON is not a snapshot of this format.
    #[error("the snapshot is not of format {expected:?}: {problem}")]
    Format {
        /// The format expected.
        expected: &'static str,
        /// What is wrong.
        problem: String,
    },
}

impl<T: serde::de::DeserializeOwned> Snapshot<T> {
    /// Reads a snapshot written by [`Snapshot::to_json`], refusing other formats.
    pub fn from_json(bytes: &[u8]) -> Result<Snapshot<T>, String> {
        let s: Snapshot<T> = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if s.format != Self::FORMAT {
            return Err(format!("format {:?} is not {:?}", s.format, Self::FORMAT));
        }
        Ok(s)
    }

    /// Reads a snapshot sealed by [`Snapshot::to_sealed`] with `key`: the MAC is checked
    /// before the JSON is parsed. Whether it is a snapshot of a given log, at a given
    /// position, is the caller's to check.
    pub fn from_sealed(
        bytes: &[u8],
        key: &acta_core::SigningKey,
    ) -> Result<Snapshot<T>, SealError> {
        let body_len = bytes
            .strip_suffix(b"\n")
            .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
            .ok_or(SealError::Malformed)?
            + 1;
        let (body, tag) = bytes.split_at(body_len);
        let tag = tag.strip_suffix(b"\n").ok_or(SealError::Malformed)?;
        if tag.len() != 64 || !tag.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(SealError::Malformed);
        }
        let mut raw = [0u8; 32];
        hex::decode_to_slice(tag, &mut raw).map_err(|_| SealError::Malformed)?;
        if !MacKey::derive(key, SEAL_CONTEXT).verify(body, &raw) {
            return Err(SealError::BadMac);
        }
        let json = body.strip_suffix(b"\n").ok_or(SealError::Malformed)?;
        Snapshot::from_json(json).map_err(|problem| SealError::Format {
            expected: Self::FORMAT,
            problem,
        })
    }
}

#[cfg(test)]
mod seal_tests {
    use super::*;

    fn key(seed: u8) -> acta_core::SigningKey {
        acta_core::SigningKey::from_seed("test-only-seal", [seed; 32]).expect("valid name")
    }

    #[test]
    fn a_sealed_snapshot_opens_only_with_its_key_and_unaltered() {
        let position = Position {
            size: 3,
            head: Some(EntryHash([9; 32])),
            head_offset: Some(400),
        };
        let snap = Snapshot::new("example.org/seal", position, vec![1u32, 2, 3]);
        let sealed = snap.to_sealed(&key(1)).expect("serializes");
        let back = Snapshot::<Vec<u32>>::from_sealed(&sealed, &key(1)).expect("opens");
        assert_eq!(back, snap);
        assert!(matches!(
            Snapshot::<Vec<u32>>::from_sealed(&sealed, &key(2)),
            Err(SealError::BadMac)
        ));
        // Every single-byte change is refused.
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x20;
            assert!(
                Snapshot::<Vec<u32>>::from_sealed(&bad, &key(1)).is_err(),
                "byte {i} changed"
            );
        }
        // The bare JSON (the old, unsealed form) is not a sealed snapshot.
        let json = snap.to_json().expect("serializes");
        assert!(Snapshot::<Vec<u32>>::from_sealed(&json, &key(1)).is_err());
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use acta_core::json::{Number, Object, Value};
    use acta_core::{Genesis, Roles, SigningKey};

    use super::*;
    use crate::{AppendReceipt, LogWriter, Scan, StoredLine};

    /// A store that shows one history to its first scan and another to every later one: what
    /// an attacker who rewrites a file between a verification and a replay achieves.
    struct TwoFaced {
        first: Vec<Vec<u8>>,
        later: Vec<Vec<u8>>,
        scans: Cell<u32>,
    }

    impl Store for TwoFaced {
        fn scan(&self) -> Result<Scan<'_>, StoreError> {
            let n = self.scans.get();
            self.scans.set(n + 1);
            let lines = if n == 0 { &self.first } else { &self.later };
            let mut offset = 0;
            let items: Vec<_> = lines
                .iter()
                .map(|l| {
                    let item = ScanItem::Line(StoredLine {
                        offset,
                        bytes: l.clone(),
                    });
                    offset += l.len() as u64 + 1;
                    Ok(item)
                })
                .collect();
            Ok(Scan::new(items.into_iter()))
        }

        fn last_line(&self) -> Result<Option<StoredLine>, StoreError> {
            Ok(None)
        }

        fn append(&mut self, _: &[&[u8]]) -> Result<AppendReceipt, StoreError> {
            Err(StoreError::ReadOnly {
                path: "two-faced".into(),
            })
        }
    }

    /// The `data.n` of every folded entry.
    #[derive(Default)]
    struct Ns(Vec<i64>);

    impl Projection for Ns {
        fn apply(&mut self, r: Recorded<'_>) {
            if let Some(Value::Number(Number::Int(n))) = r.entry.data.get("n") {
                self.0.push(*n);
            }
        }
    }

    fn signed_lines() -> Result<Vec<Vec<u8>>, Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("two.log");
        let key = SigningKey::from_seed("test-only-two-faced", [9; 32])?;
        let genesis = Genesis {
            origin: "example.org/two-faced".into(),
            keys: vec![(key.verifier(), Roles::all())],
            domain: None,
        };
        let now = chrono::DateTime::from_timestamp(1_764_147_600, 0).unwrap_or_default();
        let mut w = LogWriter::create(&path, &genesis, &key, now)?;
        for n in 1..=3 {
            let mut data = Object::new();
            data.insert("n", Value::Number(Number::Int(n)));
            w.append(&key, "test.n", &data, now)?;
        }
        drop(w);
        Ok(std::fs::read(&path)?
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect())
    }

    /// Case 5 of the trust issue: what is folded is what was verified, from one read. The
    /// second face changes the last entry's data in place (same length, same seq and prev,
    /// so a replay that checks only the chain links would take it).
    #[test]
    fn trust_verify_and_project_folds_only_the_bytes_it_verified()
    -> Result<(), Box<dyn std::error::Error>> {
        let first = signed_lines()?;
        let mut later = first.clone();
        let last = later.last_mut().ok_or("no lines")?;
        let at = last
            .windows(5)
            .position(|w| w == b"\"n\":3")
            .ok_or("no n")?;
        last[at + 4] = b'7';
        let store = TwoFaced {
            first,
            later,
            scans: Cell::new(0),
        };

        let mut ns = Ns::default();
        let (report, position) = verify_and_project(
            &store,
            VerifyOptions::default(),
            &mut ns,
            &ReplayOptions::default(),
        )?;
        assert!(report.is_consistent(), "{:?}", report.findings);
        assert_eq!(store.scans.get(), 1, "one pass over the bytes");
        assert_eq!(ns.0, vec![1, 2, 3]);
        assert_eq!(position.size, 4);

        // The two-pass way this replaces: verify, then read again and fold the second face.
        store.scans.set(0);
        let report = crate::verify(&store, VerifyOptions::default())?;
        assert!(report.is_consistent());
        let mut again = Ns::default();
        replay(&store, &mut again, &ReplayOptions::default())?;
        assert_eq!(
            again.0,
            vec![1, 2, 7],
            "the second read is what the old way folded"
        );
        Ok(())
    }

    /// A view up to entry N folds only up to N but verifies the whole log; a line with a
    /// finding is never folded, and the report says so.
    #[test]
    fn verify_and_project_stops_folding_at_upto_and_skips_lines_with_findings()
    -> Result<(), Box<dyn std::error::Error>> {
        let lines = signed_lines()?;
        let store = TwoFaced {
            first: lines.clone(),
            later: lines.clone(),
            scans: Cell::new(0),
        };
        let mut ns = Ns::default();
        let options = ReplayOptions {
            upto_seq: Some(2),
            ..ReplayOptions::default()
        };
        let (report, position) =
            verify_and_project(&store, VerifyOptions::default(), &mut ns, &options)?;
        assert_eq!(report.entries, 4);
        assert_eq!(ns.0, vec![1, 2]);
        assert_eq!(position.size, 3);

        // Entry 2's signature broken: neither it nor anything after it is folded, and the
        // report is not consistent.
        let mut forged = lines;
        let line = &mut forged[2];
        let at = line
            .windows(7)
            .position(|w| w == b"\"sig\":\"")
            .ok_or("no sig")?;
        line[at + 8] = if line[at + 8] == b'A' { b'B' } else { b'A' };
        let store = TwoFaced {
            first: forged.clone(),
            later: forged,
            scans: Cell::new(0),
        };
        let mut ns = Ns::default();
        let (report, _) = verify_and_project(
            &store,
            VerifyOptions::default(),
            &mut ns,
            &ReplayOptions::default(),
        )?;
        assert!(!report.is_consistent());
        assert_eq!(ns.0, vec![1], "only the verified prefix");
        assert!(matches!(
            verify_and_replay(
                &store,
                VerifyOptions::default(),
                &mut Ns::default(),
                &ReplayOptions::default()
            ),
            Err(ReplayError::NotVerified(_))
        ));
        Ok(())
    }
}
