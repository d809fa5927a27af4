use crate::entry::{EntryHash, GENESIS_PREV};
use crate::key::KeyRef;
use crate::keyring::Keyring;

/// The state after a prefix of a log: what the next entry must link to and who may sign it.
///
/// It can be serialized, so that a writer can keep it beside the log (see
/// `acta_store::LogWriter`) instead of replaying the log each time it opens it. Reading one
/// back checks every key, role, origin, domain and timestamp text, and accepts only states a
/// sound log can reach: either the empty state (`next_seq` 0 and nothing else) or one with an
/// origin, a head, a genesis author that is in the keyring from seq 0, and keys added and
/// revoked before `next_seq`. Whether it is the state of a given log is the caller's to check.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "ChainRepr", into = "ChainRepr")]
pub struct Chain {
    pub(super) origin: Option<String>,
    pub(super) domain: Option<String>,
    pub(super) next_seq: u64,
    pub(super) head: Option<EntryHash>,
    pub(super) last_recorded_at: Option<(chrono::DateTime<chrono::Utc>, String)>,
    pub(super) keyring: Keyring,
    pub(super) genesis_author: Option<KeyRef>,
    /// The batch the next line must continue, if the last line is inside one.
    pub(super) batch: Option<OpenBatch>,
}

/// A batch of entries that the log's lines so far have begun but not ended: its first line
/// had `more` = `size` − 1, and `remaining` of its entries are still to come. Each must be
/// signed by `author` and have `more` one less than the one before (none in the last).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenBatch {
    /// The key that signed the batch's first entry.
    pub author: KeyRef,
    /// The line index of the batch's first entry.
    pub first_entry: u64,
    /// The byte offset of that line.
    pub first_offset: u64,
    /// How many entries the batch has: its first entry's `more` plus one.
    pub size: u64,
    /// How many of them the log does not have yet (at least 1, less than `size`).
    pub remaining: u64,
}

/// Why a serialized [`Chain`] was refused: it is not a state a sound log can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
enum ChainStateError {
    #[error(transparent)]
    Timestamp(#[from] crate::entry::TimestampError),
    #[error(transparent)]
    Origin(#[from] crate::keyring::OriginError),
    #[error(transparent)]
    Domain(#[from] crate::entry::TypeError),
    #[error("the state before the genesis has no origin, head, time or keys")]
    NotEmptyBeforeGenesis,
    #[error("a state after the genesis has an origin, a head and a genesis author")]
    IncompleteAfterGenesis,
    #[error("the genesis author is one of the genesis keys")]
    GenesisAuthorNotGenesisKey,
    #[error("keys are added and revoked before the next seq")]
    KeyEventAfterNextSeq,
    #[error("an open batch has entries still to come and ends at the next seq")]
    BadOpenBatch,
}

/// The serialized form of a [`Chain`].
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ChainRepr {
    origin: Option<String>,
    domain: Option<String>,
    next_seq: u64,
    head: Option<EntryHash>,
    /// As it appears in the entry (the text a `time_went_backwards` finding quotes).
    last_recorded_at: Option<String>,
    genesis_author: Option<KeyRef>,
    keyring: Keyring,
    /// Absent when no batch is open (always, in the state after a whole append).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    batch: Option<OpenBatch>,
}

impl From<Chain> for ChainRepr {
    fn from(c: Chain) -> ChainRepr {
        ChainRepr {
            origin: c.origin,
            domain: c.domain,
            next_seq: c.next_seq,
            head: c.head,
            last_recorded_at: c.last_recorded_at.map(|(_, text)| text),
            genesis_author: c.genesis_author,
            keyring: c.keyring,
            batch: c.batch,
        }
    }
}

impl TryFrom<ChainRepr> for Chain {
    type Error = ChainStateError;

    fn try_from(r: ChainRepr) -> Result<Chain, ChainStateError> {
        let last_recorded_at = match r.last_recorded_at {
            Some(text) => Some((crate::entry::check_timestamp(&text)?, text)),
            None => None,
        };
        if r.next_seq == 0 {
            let empty = r.origin.is_none()
                && r.domain.is_none()
                && r.head.is_none()
                && last_recorded_at.is_none()
                && r.genesis_author.is_none()
                && r.keyring.records().is_empty()
                && r.batch.is_none();
            return if empty {
                Ok(Chain::default())
            } else {
                Err(ChainStateError::NotEmptyBeforeGenesis)
            };
        }
        let (Some(origin), Some(_), Some(author)) = (&r.origin, &r.head, &r.genesis_author) else {
            return Err(ChainStateError::IncompleteAfterGenesis);
        };
        crate::keyring::check_origin(origin)?;
        if let Some(d) = &r.domain {
            crate::entry::check_type(d)?;
        }
        if r.keyring.get(author).is_none_or(|k| k.added_at != 0) {
            return Err(ChainStateError::GenesisAuthorNotGenesisKey);
        }
        let in_range = |seq: u64| seq < r.next_seq;
        if !r
            .keyring
            .records()
            .iter()
            .all(|k| in_range(k.added_at) && k.revoked_at.is_none_or(in_range))
        {
            return Err(ChainStateError::KeyEventAfterNextSeq);
        }
        if r.batch.as_ref().is_some_and(|b| {
            b.remaining == 0
                || b.remaining >= b.size
                || b.first_entry.saturating_add(b.size - b.remaining) != r.next_seq
        }) {
            return Err(ChainStateError::BadOpenBatch);
        }
        Ok(Chain {
            origin: r.origin,
            domain: r.domain,
            next_seq: r.next_seq,
            head: r.head,
            last_recorded_at,
            keyring: r.keyring,
            genesis_author: r.genesis_author,
            batch: r.batch,
        })
    }
}

impl Chain {
    /// The key that signed the genesis: the log's trust anchor.
    pub fn genesis_author(&self) -> Option<&KeyRef> {
        self.genesis_author.as_ref()
    }
    /// The origin named by the genesis.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }
    /// The domain named by the genesis.
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }
    /// The seq the next entry must have.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }
    /// The `prev` the next entry must have.
    pub fn next_prev(&self) -> EntryHash {
        self.head.unwrap_or(GENESIS_PREV)
    }
    /// The latest `recorded_at` so far.
    pub fn last_recorded_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.last_recorded_at.as_ref().map(|(t, _)| *t)
    }
    /// The keyring.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }
    /// The batch that the lines so far end inside, if any: the next line must continue it.
    /// A log that ends with one is reported as [`FindingKind::UnfinishedBatch`](super::FindingKind::UnfinishedBatch).
    pub fn open_batch(&self) -> Option<&OpenBatch> {
        self.batch.as_ref()
    }
}
