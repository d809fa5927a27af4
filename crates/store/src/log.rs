//! Logs on a [`Store`]: verifying one, and appending signed entries to one.
//!
//! [`verify`] streams a store's lines through an [`acta_core::Verifier`]. A [`LogWriter`]
//! holds a store open for writing together with the chain state (head, keyring, origin) that
//! the next entry must agree with; it signs new entries, checks them against that state with
//! the same rules the verifier applies, and only then writes them, durably, in one group
//! commit. Nothing that verification would flag is ever written.

use std::path::Path;

use acta_core::entry::{BuildError, NewEntry};
use acta_core::json::Object;
use acta_core::keyring::GENESIS_TYPE;
use acta_core::verify::Head;
use acta_core::{
    Chain, EntryHash, Finding, Genesis, KeyRef, Report, SigningKey, Verifier, VerifyOptions,
};

use crate::{FileStore, ScanItem, Store, StoreError};

/// Why a log could not be opened for writing or an append was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// The store failed (I/O, lock, torn tail, path problems).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The log file has no entries.
    #[error("the log has no entries; create it with `acta init`")]
    Empty,
    /// Replaying the log found problems; appending would build on them.
    #[error("the log already has problems, so nothing was appended: entry {}: {} (run `acta verify` for the full report)", .first.entry, .first.kind)]
    Unsound {
        /// The first finding.
        first: Box<Finding>,
        /// How many findings the replay found.
        total: usize,
    },
    /// A new entry breaks a rule the verifier checks.
    #[error(
        "new entry {index} of this batch (would be seq {seq}) was refused: {kind}; nothing was written"
    )]
    Refused {
        /// Its index in the batch.
        index: usize,
        /// The seq it would have had.
        seq: u64,
        /// The rule it breaks.
        kind: Box<acta_core::FindingKind>,
    },
    /// The signing key is not an active key of this log.
    #[error("key {key} is not in this log's keyring; add it first with `acta key add`")]
    KeyNotInLog {
        /// The key.
        key: KeyRef,
    },
    /// An entry could not be built (bad type, too large, ...).
    #[error("entry {index} of this batch: {source}")]
    Build {
        /// Its index in the batch.
        index: usize,
        /// Why.
        #[source]
        source: BuildError,
    },
    /// The origin is not acceptable.
    #[error("the origin must be printable ASCII without spaces or '+': {0}")]
    BadOrigin(&'static str),
    /// Only `acta init` writes a genesis entry.
    #[error("type {0:?} is reserved for the genesis entry, which `acta init` writes")]
    GenesisType(String),
}

/// Verifies every line of `store` (streaming: memory does not grow with the log).
pub fn verify<S: Store + ?Sized>(store: &S, options: VerifyOptions) -> Result<Report, StoreError> {
    let mut v = Verifier::new(options);
    for item in store.scan()? {
        match item? {
            ScanItem::Line(line) => v.push_line(line.offset, &line.bytes),
            ScanItem::TooLong { offset, len } => v.push_too_long(offset, len),
            ScanItem::Torn(t) => v.push_torn_tail(t.offset, t.len),
        }
    }
    Ok(v.finish())
}

/// A log open for appending.
#[derive(Debug)]
pub struct LogWriter<S: Store> {
    store: S,
    // Replays without signature checks (the writer trusts what it wrote, under its lock) but
    // with every other rule: seq, prev, time, keyring, roles.
    state: Verifier,
    end_offset: u64,
}

/// The first timestamp at or after both `now` and the log's last `recorded_at`, so that
/// `recorded_at` never goes backwards even if the clock does.
fn timestamp(chain: &Chain, now: chrono::DateTime<chrono::Utc>) -> String {
    let t = chain.last_recorded_at().map_or(now, |last| last.max(now));
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn replay_options() -> VerifyOptions {
    VerifyOptions {
        trust: None,
        expect_head: None,
        check_signatures: false,
    }
}

impl LogWriter<FileStore> {
    /// Creates a new log file at `path` whose genesis names `genesis.origin`, its domain and
    /// keys, signed by `key` (which must be one of them). Fails if `path` exists.
    pub fn create(
        path: impl AsRef<Path>,
        genesis: &Genesis,
        key: &SigningKey,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Self, LogError> {
        acta_core::keyring::check_origin(&genesis.origin).map_err(LogError::BadOrigin)?;
        let data = genesis.to_data();
        let recorded_at = now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        let line = NewEntry {
            seq: 0,
            prev: acta_core::entry::GENESIS_PREV,
            recorded_at: &recorded_at,
            entry_type: GENESIS_TYPE,
            data: &data,
        }
        .sign(&genesis.origin, key)
        .map_err(|source| LogError::Build { index: 0, source })?;
        // Check the genesis with the verifier (signatures included) before creating anything.
        let mut state = Verifier::new(VerifyOptions::default());
        state.push_line(0, &line);
        if let Some(f) = state.findings().first() {
            return Err(LogError::Refused {
                index: 0,
                seq: 0,
                kind: Box::new(f.kind.clone()),
            });
        }
        let mut state = Verifier::new(replay_options());
        state.push_line(0, &line);
        let store = FileStore::create(path, &[&line])?;
        Ok(LogWriter {
            store,
            state,
            end_offset: line.len() as u64 + 1,
        })
    }

    /// Opens the log at `path` for appending: takes the writer lock, refuses a torn tail, and
    /// replays the log to learn its head and keyring.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, LogError> {
        LogWriter::from_store(FileStore::open_writer(path)?)
    }
}

impl<S: Store> LogWriter<S> {
    /// Wraps a store open for writing, replaying it to learn its state.
    pub fn from_store(store: S) -> Result<Self, LogError> {
        let mut state = Verifier::new(replay_options());
        let mut end_offset = 0;
        for item in store.scan()? {
            match item? {
                ScanItem::Line(line) => {
                    end_offset = line.offset + line.bytes.len() as u64 + 1;
                    state.push_line(line.offset, &line.bytes);
                }
                ScanItem::TooLong { offset, len } => {
                    end_offset = offset + len + 1;
                    state.push_too_long(offset, len);
                }
                ScanItem::Torn(t) => state.push_torn_tail(t.offset, t.len),
            }
        }
        if end_offset == 0 {
            return Err(LogError::Empty);
        }
        if let Some(first) = state.findings().first() {
            return Err(LogError::Unsound {
                first: Box::new(first.clone()),
                total: state.findings().len(),
            });
        }
        Ok(LogWriter {
            store,
            state,
            end_offset,
        })
    }

    /// The chain state: origin, next seq and prev, keyring.
    pub fn chain(&self) -> &Chain {
        self.state.chain()
    }

    /// The head: the last entry's seq and hash.
    pub fn head(&self) -> Head {
        let chain = self.chain();
        Head {
            seq: chain.next_seq().saturating_sub(1),
            hash: chain.next_prev(),
        }
    }

    /// Appends one entry signed by `key`. Durable when it returns `Ok`.
    pub fn append(
        &mut self,
        key: &SigningKey,
        entry_type: &str,
        data: &Object,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Head, LogError> {
        self.append_batch(key, &[(entry_type, data)], now)
    }

    /// Appends many entries, each signed by `key`, with one durable write (group commit).
    /// All or nothing: if any entry is refused, nothing is written. Returns the new head.
    pub fn append_batch(
        &mut self,
        key: &SigningKey,
        items: &[(&str, &Object)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Head, LogError> {
        let author = key.key_ref();
        match self.chain().keyring().get(&author) {
            Some(rec) if rec.key == key.verifier() => {}
            _ => return Err(LogError::KeyNotInLog { key: author }),
        }
        let origin = self.chain().origin().unwrap_or_default().to_owned();
        let mut next = self.state.clone();
        let before = next.findings().len();
        let mut lines = Vec::with_capacity(items.len());
        let mut offset = self.end_offset;
        for (index, (entry_type, data)) in items.iter().enumerate() {
            if *entry_type == GENESIS_TYPE {
                return Err(LogError::GenesisType((*entry_type).to_owned()));
            }
            let chain = next.chain();
            let recorded_at = timestamp(chain, now);
            let seq = chain.next_seq();
            let line = NewEntry {
                seq,
                prev: chain.next_prev(),
                recorded_at: &recorded_at,
                entry_type,
                data,
            }
            .sign(&origin, key)
            .map_err(|source| LogError::Build { index, source })?;
            next.push_line(offset, &line);
            if let Some(f) = next.findings().get(before) {
                return Err(LogError::Refused {
                    index,
                    seq,
                    kind: Box::new(f.kind.clone()),
                });
            }
            offset += line.len() as u64 + 1;
            lines.push(line);
        }
        let refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
        self.store.append(&refs)?;
        self.state = next;
        self.end_offset = offset;
        Ok(self.head())
    }

    /// The underlying store.
    pub fn store(&self) -> &S {
        &self.store
    }
}

/// Parses `SEQ:HASH` (as printed by `acta head`).
pub fn parse_head(s: &str) -> Option<(u64, EntryHash)> {
    let (seq, hash) = s.split_once(':')?;
    if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((seq.parse().ok()?, hash.parse().ok()?))
}
