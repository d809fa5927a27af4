//! The verifier: feed it a log's lines in order; it returns a [`Report`] of findings.
//!
//! It holds only the chain state (head, keyring, origin), never the entries, so memory does
//! not grow with the log. It does no I/O: the caller reads the lines (from a file, a database,
//! a network) and passes them in with their byte offsets.
//!
//! ```
//! use acta_core::verify::{Verifier, VerifyOptions};
//! let mut v = Verifier::new(VerifyOptions::default());
//! v.push_line(0, b"not json");
//! let report = v.finish();
//! assert!(!report.is_sound());
//! ```

use std::fmt;

use crate::entry::{Entry, EntryError, EntryHash, GENESIS_PREV, signed_message};
use crate::key::{KeyRef, VerifierKey};
use crate::keyring::{
    GENESIS_TYPE, Genesis, KEY_ADD_TYPE, KEY_REVOKE_TYPE, Keyring, SYSTEM_PREFIX, SystemEventError,
};

/// At most this many findings are kept in a report; the rest are only counted.
pub const MAX_FINDINGS: usize = 1000;

/// What the verifier is told besides the log itself.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The trust anchor: the key that must have signed the genesis. `None` checks that the
    /// log is self-consistent only.
    pub trust: Option<VerifierKey>,
    /// A head seen before (seq and entry hash): the line at index `seq` must still be exactly
    /// that entry. Detects truncation and rewritten history.
    pub expect_head: Option<(u64, EntryHash)>,
    /// Check signatures (always, for verification; a writer that re-reads its own log may skip
    /// them).
    pub check_signatures: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            trust: None,
            expect_head: None,
            check_signatures: true,
        }
    }
}

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
    /// The log ends with bytes that are not a complete line (a crash during an append?).
    TornTail { len: u64 },
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
                "incomplete last line of {len} bytes (a crash during an append?); `acta repair` moves it to a side file"
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
    /// A trust anchor was given and the genesis does not match it.
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
    /// Findings, in log order (at most [`MAX_FINDINGS`]).
    pub findings: Vec<Finding>,
    /// Findings beyond [`MAX_FINDINGS`], counted but not kept.
    pub findings_omitted: u64,
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

/// The state after a prefix of a log: what the next entry must link to and who may sign it.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    origin: Option<String>,
    domain: Option<String>,
    next_seq: u64,
    head: Option<EntryHash>,
    last_recorded_at: Option<(chrono::DateTime<chrono::Utc>, String)>,
    keyring: Keyring,
}

impl Chain {
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
}

/// Verifies a log line by line. See the module documentation.
#[derive(Debug, Clone)]
pub struct Verifier {
    options: VerifyOptions,
    chain: Chain,
    lines: u64,
    last: Option<Head>,
    /// The hash (if the line could be hashed) and offset of the line at the expected head.
    seen_at_expected: Option<(Option<EntryHash>, u64)>,
    end_offset: u64,
    anchor: Anchor,
    report_findings: Vec<Finding>,
    omitted: u64,
}

impl Verifier {
    /// A verifier for one log.
    pub fn new(options: VerifyOptions) -> Verifier {
        let anchor = if options.trust.is_some() {
            Anchor::Failed
        } else {
            Anchor::Unanchored
        };
        Verifier {
            options,
            chain: Chain::default(),
            lines: 0,
            last: None,
            seen_at_expected: None,
            end_offset: 0,
            anchor,
            report_findings: Vec::new(),
            omitted: 0,
        }
    }

    /// The chain state after the lines pushed so far.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// Findings so far.
    pub fn findings(&self) -> &[Finding] {
        &self.report_findings
    }

    fn find(&mut self, entry: u64, offset: u64, kind: FindingKind) {
        if self.report_findings.len() < MAX_FINDINGS {
            self.report_findings.push(Finding {
                entry,
                offset,
                kind,
            });
        } else {
            self.omitted += 1;
        }
    }

    /// Records an end-of-log finding even beyond the cap: there are at most two of them, and
    /// they say what is wrong with the log as a whole.
    fn find_always(&mut self, entry: u64, offset: u64, kind: FindingKind) {
        self.report_findings.push(Finding {
            entry,
            offset,
            kind,
        });
    }

    /// Checks the next complete line of the log (without its newline), which starts at byte
    /// `offset`.
    pub fn push_line(&mut self, offset: u64, line: &[u8]) {
        let index = self.lines;
        self.lines += 1;
        let hash = EntryHash::of_line(line);
        self.end_offset = offset + line.len() as u64 + 1;
        if self
            .options
            .expect_head
            .is_some_and(|(seq, _)| seq == index)
        {
            self.seen_at_expected = Some((Some(hash), offset));
        }
        let decoded = match Entry::decode(line) {
            Ok(d) => d,
            Err(error) => {
                self.find(index, offset, FindingKind::Malformed { error });
                self.advance(None, hash);
                return;
            }
        };
        let e = &decoded.entry;
        if let Some(first_difference) = decoded.non_canonical_at {
            self.find(
                index,
                offset,
                FindingKind::NotCanonical { first_difference },
            );
        }
        let expected_seq = self.chain.next_seq;
        if e.seq != expected_seq {
            self.find(
                index,
                offset,
                FindingKind::SeqMismatch {
                    expected: expected_seq,
                    found: e.seq,
                },
            );
        }
        if let Some(expected) = self.expected_prev(index)
            && e.prev != expected
        {
            self.find(
                index,
                offset,
                FindingKind::PrevMismatch {
                    expected,
                    found: e.prev,
                },
            );
        }
        // check_timestamp succeeded in decode; parse again for the instant.
        let time = crate::entry::check_timestamp(&e.recorded_at).ok();
        if let (Some(t), Some((last, last_text))) = (time, &self.chain.last_recorded_at)
            && t < *last
        {
            let kind = FindingKind::TimeWentBackwards {
                previous: last_text.clone(),
                found: e.recorded_at.clone(),
            };
            self.find(index, offset, kind);
        }
        let authorised = if index == 0 {
            self.check_genesis(offset, &decoded)
        } else if e.entry_type == GENESIS_TYPE {
            self.find(index, offset, FindingKind::GenesisNotFirst);
            false
        } else if let Some(origin) = self.chain.origin.clone() {
            self.check_entry(index, offset, &origin, &decoded)
        } else {
            false
        };
        // Only an entry validly signed by an authorised key moves the time watermark, so a
        // forged entry far in the future cannot make every later entry look out of order.
        if let Some(t) = time
            && authorised
            && self
                .chain
                .last_recorded_at
                .as_ref()
                .is_none_or(|(l, _)| t >= *l)
        {
            self.chain.last_recorded_at = Some((t, e.recorded_at.clone()));
        }
        // Without a usable genesis there is no keyring: the genesis finding stands for all.
        self.advance(Some(e.seq), hash);
    }

    fn expected_prev(&self, index: u64) -> Option<EntryHash> {
        if index == 0 {
            Some(GENESIS_PREV)
        } else {
            self.chain.head
        }
    }

    fn advance(&mut self, seq: Option<u64>, hash: EntryHash) {
        // Resynchronise on the seq found, so that one deleted or inserted entry gives findings
        // at that entry only, not at every entry after it.
        let seq = seq.unwrap_or(self.chain.next_seq);
        self.chain.next_seq = seq.saturating_add(1);
        self.chain.head = Some(hash);
        self.last = Some(Head { seq, hash });
    }

    /// Checks the genesis; returns whether it is validly signed by a key it names.
    fn check_genesis(&mut self, offset: u64, d: &crate::entry::Decoded) -> bool {
        let e = &d.entry;
        if e.entry_type != GENESIS_TYPE {
            self.find(
                0,
                offset,
                FindingKind::MissingGenesis {
                    found_type: e.entry_type.clone(),
                },
            );
            return false;
        }
        let genesis = match Genesis::from_data(&e.data) {
            Ok(g) => g,
            Err(error) => {
                self.find(0, offset, FindingKind::BadGenesis { error });
                return false;
            }
        };
        let Some(author_key) = genesis
            .keys
            .iter()
            .map(|(k, _)| k)
            .find(|k| k.key_ref() == e.author)
            .cloned()
        else {
            let error = SystemEventError::GenesisAuthorNotListed {
                author: e.author.clone(),
            };
            self.find(0, offset, FindingKind::BadGenesis { error });
            return false;
        };
        let signed = !self.options.check_signatures
            || author_key.verify(&signed_message(&genesis.origin, &d.unsigned), &e.sig);
        if !signed {
            self.find(
                0,
                offset,
                FindingKind::BadSignature {
                    author: e.author.clone(),
                },
            );
        }
        if let Some(trusted) = &self.options.trust {
            if *trusted != author_key {
                let kind = FindingKind::UntrustedGenesis {
                    trusted: trusted.to_string(),
                    found: author_key.to_string(),
                };
                self.find(0, offset, kind);
            } else if signed {
                // Anchored only if the trusted key really signed this genesis; otherwise the
                // bad_signature finding above says why not.
                self.anchor = Anchor::Trusted {
                    key: trusted.to_string(),
                };
            }
        }
        match Keyring::from_genesis(&genesis) {
            Ok(ring) => self.chain.keyring = ring,
            Err(error) => {
                self.find(0, offset, FindingKind::BadGenesis { error });
                return false;
            }
        }
        self.chain.origin = Some(genesis.origin);
        self.chain.domain = genesis.domain;
        signed
    }

    /// Checks a non-genesis entry; returns whether it is validly signed by an authorised key.
    fn check_entry(
        &mut self,
        index: u64,
        offset: u64,
        origin: &str,
        d: &crate::entry::Decoded,
    ) -> bool {
        let e = &d.entry;
        let authorised = match self.chain.keyring.get(&e.author) {
            None => Err(FindingKind::UnknownAuthor {
                author: e.author.clone(),
            }),
            // The signature first: an entry that its named author did not sign says nothing
            // about that author's revocation or roles.
            Some(rec)
                if self.options.check_signatures
                    && !rec.key.verify(&signed_message(origin, &d.unsigned), &e.sig) =>
            {
                Err(FindingKind::BadSignature {
                    author: e.author.clone(),
                })
            }
            Some(rec) => {
                if let Some(revoked_at) = rec.revoked_at {
                    Err(FindingKind::RevokedAuthor {
                        author: e.author.clone(),
                        revoked_at,
                    })
                } else if !rec.roles.allows(&e.entry_type) {
                    Err(FindingKind::RoleViolation {
                        author: e.author.clone(),
                        entry_type: e.entry_type.clone(),
                    })
                } else {
                    Ok(())
                }
            }
        };
        if let Err(kind) = authorised {
            self.find(index, offset, kind);
            // An entry that is not validly signed by an authorised key changes nothing.
            return false;
        }
        if e.entry_type.starts_with(SYSTEM_PREFIX) {
            if e.entry_type == KEY_ADD_TYPE || e.entry_type == KEY_REVOKE_TYPE {
                if let Err(error) = self.chain.keyring.apply(&e.entry_type, &e.data, e.seq) {
                    self.find(index, offset, FindingKind::BadKeyEvent { error });
                }
            } else {
                let kind = FindingKind::UnknownSystemType {
                    entry_type: e.entry_type.clone(),
                };
                self.find(index, offset, kind);
            }
        }
        true
    }

    /// Reports a line longer than the entry limit, which the reader skipped without keeping.
    pub fn push_too_long(&mut self, offset: u64, len: u64) {
        let index = self.lines;
        self.lines += 1;
        self.end_offset = offset + len + 1;
        if self
            .options
            .expect_head
            .is_some_and(|(seq, _)| seq == index)
        {
            // Its hash is unknown; the too_long finding already makes the log unsound.
            self.seen_at_expected = Some((None, offset));
        }
        self.find(
            index,
            offset,
            FindingKind::TooLong {
                len,
                limit: crate::entry::MAX_ENTRY_BYTES as u64,
            },
        );
        // Its hash is unknown: the next entry's `prev` cannot be checked against it.
        self.chain.next_seq = self.chain.next_seq.saturating_add(1);
        self.chain.head = None;
    }

    /// Reports bytes after the last newline.
    pub fn push_torn_tail(&mut self, offset: u64, len: u64) {
        let index = self.lines;
        self.find(index, offset, FindingKind::TornTail { len });
    }

    /// Ends verification and returns the report.
    pub fn finish(mut self) -> Report {
        if self.lines == 0 {
            self.find_always(0, 0, FindingKind::EmptyLog);
        }
        if let Some((seq, expected)) = self.options.expect_head {
            match self.seen_at_expected {
                None => {
                    let kind = FindingKind::Truncated {
                        expected_seq: seq,
                        entries: self.lines,
                    };
                    self.find_always(self.lines, self.end_offset, kind);
                }
                Some((Some(found), offset)) if found != expected => {
                    self.find_always(
                        seq,
                        offset,
                        FindingKind::HeadMismatch {
                            seq,
                            expected,
                            found,
                        },
                    );
                }
                Some(_) => {}
            }
        }
        self.report_findings.sort_by_key(|f| f.entry);
        Report {
            origin: self.chain.origin,
            domain: self.chain.domain,
            entries: self.lines,
            head: self.last,
            anchor: self.anchor,
            findings: self.report_findings,
            findings_omitted: self.omitted,
        }
    }
}
