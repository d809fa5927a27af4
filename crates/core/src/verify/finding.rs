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
    Malformed {
        /// Why it is not an entry.
        error: EntryError,
    },
    /// The line is longer than the format allows.
    TooLong {
        /// The line's length in bytes.
        len: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The log ends with bytes of an append that did not complete (a crash during an append?):
    /// the bytes after its last newline, which are not a complete entry of this chain.
    TornTail {
        /// How many bytes follow the last newline.
        len: u64,
    },
    /// The bytes after the log's last newline are a complete entry that continues the chain
    /// (checked as a line, they give no finding of their own and leave no batch open), with
    /// seq `seq`: only its newline is missing. It is counted as a line; restoring the newline
    /// (`acta repair`) makes it a complete line again.
    MissingNewline {
        /// The seq of that entry.
        seq: u64,
    },
    /// The stored bytes are not the canonical JSON of the entry.
    NotCanonical {
        /// The byte offset in the line of the first difference.
        first_difference: usize,
    },
    /// `seq` is not the previous entry's seq plus one.
    SeqMismatch {
        /// The seq expected.
        expected: u64,
        /// The seq found.
        found: u64,
    },
    /// `prev` is not the previous entry's hash.
    PrevMismatch {
        /// The previous entry's hash.
        expected: EntryHash,
        /// The `prev` found.
        found: EntryHash,
    },
    /// `recorded_at` is earlier than the previous entry's.
    TimeWentBackwards {
        /// The previous entry's `recorded_at`.
        previous: String,
        /// This entry's `recorded_at`.
        found: String,
    },
    /// The first entry is not an `acta.genesis` entry.
    MissingGenesis {
        /// The first entry's type.
        found_type: String,
    },
    /// An `acta.genesis` entry after the first.
    GenesisNotFirst,
    /// The genesis entry's data is invalid.
    BadGenesis {
        /// What is wrong with it.
        error: SystemEventError,
    },
    /// The genesis is signed by a key other than the trusted one.
    UntrustedGenesis {
        /// The trusted key.
        trusted: String,
        /// The key that signed the genesis.
        found: String,
    },
    /// The author is not in the keyring.
    UnknownAuthor {
        /// The entry's author.
        author: KeyRef,
    },
    /// The author's key was revoked before this entry.
    RevokedAuthor {
        /// The entry's author.
        author: KeyRef,
        /// The seq of the entry that revoked it.
        revoked_at: u64,
    },
    /// The author's roles do not include this entry's type.
    RoleViolation {
        /// The entry's author.
        author: KeyRef,
        /// The entry's type.
        entry_type: String,
    },
    /// The signature does not verify (strict Ed25519) for this entry, author and origin.
    BadSignature {
        /// The entry's author.
        author: KeyRef,
    },
    /// A key add or revoke entry is invalid.
    BadKeyEvent {
        /// What is wrong with it.
        error: SystemEventError,
    },
    /// A type in the reserved `acta.` namespace that this version does not know.
    UnknownSystemType {
        /// The type.
        entry_type: String,
    },
    /// The log is shorter than a head seen before.
    Truncated {
        /// The seq of the head seen before.
        expected_seq: u64,
        /// How many entries the log has.
        entries: u64,
    },
    /// The entry at a head seen before has a different hash: history was rewritten.
    HeadMismatch {
        /// The seq of the head seen before.
        seq: u64,
        /// Its hash seen before.
        expected: EntryHash,
        /// Its hash in the log.
        found: EntryHash,
    },
    /// The first `size` entries do not hash to the root a checkpoint committed to.
    RootMismatch {
        /// The checkpoint's tree size.
        size: u64,
        /// The root the checkpoint committed to.
        expected: RootHash,
        /// The root of the log's first `size` entries.
        found: RootHash,
    },
    /// A checkpoint commits to more entries than the log has.
    CheckpointBeyondLog {
        /// The checkpoint's tree size.
        size: u64,
        /// How many entries the log has.
        entries: u64,
    },
    /// A checkpoint's root cannot be checked: an over-long line before `size` has no hash.
    RootUncheckable {
        /// The checkpoint's tree size.
        size: u64,
    },
    /// The line does not continue the open batch (see [`OpenBatch`](super::OpenBatch)): the batch that began
    /// at line `batch`, signed by `author`, still expected `remaining` entries (this one
    /// included), so this entry had to have `more` = `remaining` − 1 (none if that is 0) and
    /// be signed by `author`. `found_more` and `found_author` are this line's (`None` if it
    /// has no `more`, or is not an entry at all).
    BatchBroken {
        /// The line index of the batch's first entry.
        batch: u64,
        /// The batch's author.
        author: KeyRef,
        /// How many of its entries were still expected, this one included.
        remaining: u64,
        /// This line's `more`, if any.
        found_more: Option<u64>,
        /// This line's author, if it is an entry.
        found_author: Option<KeyRef>,
    },
    /// The log's lines end inside a batch of `size` entries whose first line this is:
    /// `missing` of them are not in the log. The batch was cut short (a crash during its
    /// write), so none of it was acknowledged.
    UnfinishedBatch {
        /// How many entries the batch has.
        size: u64,
        /// How many of them are not in the log.
        missing: u64,
    },
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
                "the last {len} bytes are an incomplete append (a crash during an append?): not entries"
            ),
            MissingNewline { seq } => write!(
                f,
                "entry {seq} is a complete entry of this log, but the log ends without its newline (removed, or a crash just before it was written)"
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
                "the log ends inside the batch of {size} entries that begins here: its last {missing} are missing, so the batch was cut short (a crash during an append?) and never acknowledged"
            ),
        }
    }
}

/// The last entry of a log: its seq and entry hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Head {
    /// The entry's seq.
    pub seq: u64,
    /// The entry's hash.
    pub hash: EntryHash,
}

/// Whether the log is tied to a key the verifier trusts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "anchor", rename_all = "snake_case")]
pub enum Anchor {
    /// The genesis is signed by this trusted key.
    Trusted {
        /// The trusted key, in its text form.
        key: String,
    },
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
