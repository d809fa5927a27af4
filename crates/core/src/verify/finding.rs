use std::fmt;

use crate::entry::{EntryError, EntryHash};
use crate::key::KeyRef;
use crate::keyring::SystemEventError;
use crate::tree::RootHash;

/// One problem found in a log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// The entry number (line index, from 0) where it was found.
    pub entry: u64,
    /// The byte offset of that line in the log.
    pub offset: u64,
    /// What was found.
    pub kind: FindingKind,
}

/// The kinds of [`Finding`]: each names what was expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingKind {
    /// The log has no entries.
    EmptyLog,
    /// The line is not a well-formed entry.
    Malformed { error: EntryError },
    /// The line is longer than the format allows.
    TooLong { len: u64, limit: u64 },
    /// The log ends with bytes of an append that did not complete (a crash during an append?):
    /// the bytes after its last newline, which are not a complete entry of this chain.
    TornTail { len: u64 },
    /// The bytes after the log's last newline are a complete entry that continues the chain
    /// (checked as a line, they give no finding of their own and leave no batch open), with
    /// seq `seq`: only its newline is missing. It is counted as a line; restoring the newline
    /// (`acta repair`) makes it a complete line again.
    MissingNewline { seq: u64 },
    /// The stored bytes are not the canonical JSON of the entry.
    NotCanonical { first_difference: usize },
    /// `seq` is not the previous entry's seq plus one.
    SeqMismatch { expected: u64, found: u64 },
    /// `prev` is not the previous entry's hash.
    PrevMismatch {
        expected: EntryHash,
        found: EntryHash,
    },
    /// `recorded_at` is earlier than the previous entry's.
    TimeWentBackwards { previous: String, found: String },
    /// The first entry is not an `acta.genesis` entry.
    MissingGenesis { found_type: String },
    /// An `acta.genesis` entry after the first.
    GenesisNotFirst,
    /// The genesis entry's data is invalid.
    BadGenesis { error: SystemEventError },
    /// The genesis is signed by a key other than the trusted one.
    UntrustedGenesis { trusted: String, found: String },
    /// The author is not in the keyring.
    UnknownAuthor { author: KeyRef },
    /// The author's key was revoked before this entry.
    RevokedAuthor { author: KeyRef, revoked_at: u64 },
    /// The author's roles do not include this entry's type.
    RoleViolation { author: KeyRef, entry_type: String },
    /// The signature does not verify (strict Ed25519) for this entry, author and origin.
    BadSignature { author: KeyRef },
    /// A key add or revoke entry is invalid.
    BadKeyEvent { error: SystemEventError },
    /// A type in the reserved `acta.` namespace that this version does not know.
    UnknownSystemType { entry_type: String },
    /// The log is shorter than a head seen before.
    Truncated { expected_seq: u64, entries: u64 },
    /// The entry at a head seen before has a different hash: history was rewritten.
    HeadMismatch {
        seq: u64,
        expected: EntryHash,
        found: EntryHash,
    },
    /// The first `size` entries do not hash to the root a checkpoint committed to.
    RootMismatch {
        size: u64,
        expected: RootHash,
        found: RootHash,
    },
    /// A checkpoint commits to more entries than the log has.
    CheckpointBeyondLog { size: u64, entries: u64 },
    /// A checkpoint's root cannot be checked: an over-long line before `size` has no hash.
    RootUncheckable { size: u64 },
    /// The line does not continue the open batch (see [`OpenBatch`](super::OpenBatch)): the batch that began
    /// at line `batch`, signed by `author`, still expected `remaining` entries (this one
    /// included), so this entry had to have `more` = `remaining` − 1 (none if that is 0) and
    /// be signed by `author`. `found_more` and `found_author` are this line's (`None` if it
    /// has no `more`, or is not an entry at all).
    BatchBroken {
        batch: u64,
        author: KeyRef,
        remaining: u64,
        found_more: Option<u64>,
        found_author: Option<KeyRef>,
    },
    /// The log's lines end inside a batch of `size` entries whose first line this is:
    /// `missing` of them are not in the log. The batch was cut short (a crash during its
    /// write), so none of it was acknowledged.
    UnfinishedBatch { size: u64, missing: u64 },
}

impl FindingKind {
    /// Whether this is a finding about an expected (checkpointed) root: `root_mismatch`,
    /// `root_uncheckable`, `checkpoint_beyond_log`.
    pub fn is_root_finding(&self) -> bool {
        matches!(
            self,
            FindingKind::RootMismatch { .. }
                | FindingKind::RootUncheckable { .. }
                | FindingKind::CheckpointBeyondLog { .. }
        )
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FindingKind::*;
        match self {
            EmptyLog => write!(f, "the log has no entries (expected a genesis entry)"),
            Malformed { error } => write!(f, "malformed entry: {error}"),
            TooLong { len, limit } => {
                write!(
                    f,
                    "line of {len} bytes exceeds the {limit}-byte entry limit"
                )
            }
            TornTail { len } => write!(
                f,
                "the last {len} bytes are an incomplete append (a crash during an append?): not entries; `acta repair` moves them to a side file"
            ),
            MissingNewline { seq } => write!(
                f,
                "entry {seq} is a complete entry of this log, but the log ends without its newline (removed, or a crash just before it was written); run `acta repair LOG` to restore the newline"
            ),
            NotCanonical { first_difference } => write!(
                f,
                "stored bytes are not canonical JSON (RFC 8785); first difference at byte {first_difference} of the line"
            ),
            SeqMismatch { expected, found } => write!(f, "seq: expected {expected}, found {found}"),
            PrevMismatch { expected, found } => {
                write!(f, "prev: expected {expected}, found {found}")
            }
            TimeWentBackwards { previous, found } => write!(
                f,
                "recorded_at {found} is earlier than the previous entry's {previous}"
            ),
            MissingGenesis { found_type } => write!(
                f,
                "the first entry must have type acta.genesis, found {found_type:?}"
            ),
            GenesisNotFirst => write!(f, "an acta.genesis entry after the first entry"),
            BadGenesis { error } => write!(f, "invalid genesis: {error}"),
            UntrustedGenesis { trusted, found } => write!(
                f,
                "the genesis is signed by {found}, not by the trusted key {trusted}"
            ),
            UnknownAuthor { author } => write!(f, "author {author} is not in the keyring"),
            RevokedAuthor { author, revoked_at } => {
                write!(f, "author {author} was revoked at seq {revoked_at}")
            }
            RoleViolation { author, entry_type } => {
                write!(
                    f,
                    "author {author} may not sign entries of type {entry_type:?}"
                )
            }
            BadSignature { author } => write!(
                f,
                "signature does not verify for author {author} in this log"
            ),
            BadKeyEvent { error } => write!(f, "invalid key event: {error}"),
            UnknownSystemType { entry_type } => write!(
                f,
                "unknown reserved type {entry_type:?} (types starting with acta. are acta's own)"
            ),
            Truncated {
                expected_seq,
                entries,
            } => write!(
                f,
                "the log has {entries} entries, but a head at seq {expected_seq} was seen before: entries were removed"
            ),
            HeadMismatch {
                seq,
                expected,
                found,
            } => write!(
                f,
                "entry {seq} has hash {found}, but {expected} was seen before: history was rewritten"
            ),
            RootMismatch {
                size,
                expected,
                found,
            } => write!(
                f,
                "the first {size} entries have tree root {found}, but a checkpoint committed to {expected}: history was rewritten"
            ),
            CheckpointBeyondLog { size, entries } => write!(
                f,
                "a checkpoint commits to {size} entries, but the log has {entries}: entries were removed"
            ),
            RootUncheckable { size } => write!(
                f,
                "the tree root at size {size} cannot be computed: an earlier line is over-long"
            ),
            BatchBroken {
                batch,
                author,
                remaining,
                found_more,
                found_author,
            } => {
                let want = match remaining.saturating_sub(1) {
                    0 => "no `more` member".to_owned(),
                    m => format!("`more` {m}"),
                };
                let found = match (found_author, found_more) {
                    (None, _) => "a line that is not an entry".to_owned(),
                    (Some(a), None) => format!("an entry by {a} with no `more`"),
                    (Some(a), Some(m)) => format!("an entry by {a} with `more` {m}"),
                };
                write!(
                    f,
                    "breaks the batch that began at entry {batch}: {remaining} of its entries were still expected, so the next had to be signed by {author} with {want}; found {found}"
                )
            }
            UnfinishedBatch { size, missing } => write!(
                f,
                "the log ends inside the batch of {size} entries that begins here: its last {missing} are missing, so the batch was cut short (a crash during an append?) and never acknowledged; `acta repair` moves it to a side file"
            ),
        }
    }
}

/// The last entry of a log: its seq and entry hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Head {
    pub seq: u64,
    pub hash: EntryHash,
}

/// Whether the log is tied to a key the verifier trusts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "anchor", rename_all = "snake_case")]
pub enum Anchor {
    /// The genesis is signed by this trusted key.
    Trusted { key: String },
    /// No trust anchor was given: the log is at most self-consistent.
    Unanchored,
    /// A trust anchor was given, and the genesis is not validly signed by it (another key, a
    /// bad signature, or an invalid genesis).
    Failed,
}

/// The result of verifying a log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// The origin the genesis names.
    pub origin: Option<String>,
    /// The domain the genesis names.
    pub domain: Option<String>,
    /// Complete lines seen.
    pub entries: u64,
    /// The last complete entry's seq and hash.
    pub head: Option<Head>,
    /// Trust status.
    pub anchor: Anchor,
    /// Findings, in log order (at most [`MAX_FINDINGS`](super::MAX_FINDINGS) about entries, plus end-of-log ones).
    pub findings: Vec<Finding>,
    /// Findings beyond [`MAX_FINDINGS`](super::MAX_FINDINGS), counted but not kept.
    pub findings_omitted: u64,
    /// The RFC 6962 tree root of all complete lines, if every line could be hashed.
    pub root: Option<RootHash>,
}

impl Report {
    /// No findings and anchored to a trusted key.
    pub fn is_sound(&self) -> bool {
        self.is_consistent() && matches!(self.anchor, Anchor::Trusted { .. })
    }

    /// No findings (the log may still be unanchored).
    pub fn is_consistent(&self) -> bool {
        self.findings.is_empty() && self.findings_omitted == 0
    }
}
