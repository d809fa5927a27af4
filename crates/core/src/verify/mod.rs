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

use std::sync::Arc;

use crate::entry::{Decoded, EntryHash, GENESIS_PREV, signed_message};
use crate::key::{KeyRef, VerifierKey};
use crate::keyring::{
    GENESIS_TYPE, Genesis, KEY_ADD_TYPE, KEY_REVOKE_TYPE, Keyring, SYSTEM_PREFIX, SystemEventError,
};
use crate::tree::{Frontier, Hash, RootHash};
use prepare::{SignatureCheck, signature_valid};

mod chain;
mod finding;
mod prepare;

pub use chain::{Chain, OpenBatch};
pub use finding::{Anchor, Finding, FindingKind, Head, Report};
pub use prepare::{PreparedLine, SignatureContext};

/// At most this many findings are kept when they are found while reading lines (about lines,
/// and the torn tail); the rest are only counted. Root findings, found while reading, count
/// towards this cap but are always kept; findings about the log as a whole (`empty_log`,
/// `unfinished_batch`, `truncated`, `head_mismatch`, `checkpoint_beyond_log`) are always kept
/// too. So a report holds at most `MAX_FINDINGS` + 2 + one per expected checkpoint root.
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
    /// Tree sizes and the RFC 6962 roots they must have (from signed checkpoints): the first
    /// `size` lines must hash to `root`. Detects truncation, rollback and rewritten history.
    pub expect_roots: Vec<(u64, Hash)>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            trust: None,
            expect_head: None,
            check_signatures: true,
            expect_roots: Vec::new(),
        }
    }
}

/// Why [`Verifier::resume`] refused its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResumeError {
    /// The options name a trust anchor or an expected head, which need the whole log.
    #[error("a resumed verifier cannot check a trust anchor or an expected head")]
    ClaimsAboutPrefix,
    /// The options name expected roots, which need the whole log.
    #[error("a resumed verifier cannot check expected roots")]
    ExpectedRoots,
    /// The tree's size is not the chain's next seq.
    #[error("the tree has one leaf per entry of the chain")]
    TreeSize,
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
    /// The tree over the lines so far; `None` after an over-long line (its hash is unknown).
    tree: Option<Frontier>,
    /// Index into the (sorted) expected roots of the next one to check.
    next_root: usize,
    /// Counts changes to the origin and keyring, so that a [`SignatureContext`] can tell
    /// whether it is older than the verifier's state.
    generation: u64,
}

impl Verifier {
    /// A verifier for one log.
    pub fn new(mut options: VerifyOptions) -> Verifier {
        options.expect_roots.sort_by_key(|(size, _)| *size);
        let anchor = if options.trust.is_some() {
            Anchor::Failed
        } else {
            Anchor::Unanchored
        };
        let mut v = Verifier {
            options,
            chain: Chain::default(),
            lines: 0,
            last: None,
            seen_at_expected: None,
            end_offset: 0,
            anchor,
            report_findings: Vec::new(),
            omitted: 0,
            tree: Some(Frontier::new()),
            next_root: 0,
            generation: 0,
        };
        v.check_roots(0);
        v
    }

    /// A verifier that continues after a prefix of a log it did not see: the prefix's `chain`
    /// state and the `tree` of its lines, which end at byte `end_offset`. The prefix must have
    /// been a sound log of one line per entry (so `tree.size()` is `chain.next_seq()`), and
    /// the next line pushed is checked as line `tree.size()`, exactly as a verifier that had
    /// read the prefix would check it.
    ///
    /// Nothing ties `chain` and `tree` to the real prefix: that is the caller's to know (a
    /// writer resuming from the state it saved itself, under its lock). So this refuses
    /// options that make claims about the prefix: a trust anchor, an expected head or expected
    /// roots.
    pub fn resume(
        options: VerifyOptions,
        chain: Chain,
        tree: Frontier,
        end_offset: u64,
    ) -> Result<Verifier, ResumeError> {
        if options.trust.is_some() || options.expect_head.is_some() {
            return Err(ResumeError::ClaimsAboutPrefix);
        }
        if !options.expect_roots.is_empty() {
            return Err(ResumeError::ExpectedRoots);
        }
        if tree.size() != chain.next_seq {
            return Err(ResumeError::TreeSize);
        }
        let last = chain.head.map(|hash| Head {
            seq: chain.next_seq.saturating_sub(1),
            hash,
        });
        Ok(Verifier {
            options,
            lines: chain.next_seq,
            chain,
            last,
            seen_at_expected: None,
            end_offset,
            anchor: Anchor::Unanchored,
            report_findings: Vec::new(),
            omitted: 0,
            tree: Some(tree),
            next_root: 0,
            generation: 0,
        })
    }

    /// Checks every expected root whose size the tree has reached.
    /// `offset` is that of the last line pushed (its entry number is `size - 1`).
    fn check_roots(&mut self, offset: u64) {
        while let Some(&(size, expected)) = self.options.expect_roots.get(self.next_root) {
            let have = self.tree.as_ref().map_or(self.lines, Frontier::size);
            if size > have {
                break;
            }
            self.next_root += 1;
            let kind = match &self.tree {
                None => FindingKind::RootUncheckable { size },
                Some(t) if t.root() == expected => continue,
                Some(t) => FindingKind::RootMismatch {
                    size,
                    expected: RootHash(expected),
                    found: RootHash(t.root()),
                },
            };
            self.find_always(size.saturating_sub(1), offset, kind);
        }
    }

    /// Stops checking the signatures of the lines pushed from now on; every other rule still
    /// applies. For a writer that has verified a log, signatures included, and then checks
    /// only the lines it has just signed itself.
    pub fn skip_signatures_from_now(&mut self) {
        self.options.check_signatures = false;
    }

    /// The RFC 6962 tree over the complete lines so far (`None` after an over-long line).
    pub fn tree(&self) -> Option<&Frontier> {
        self.tree.as_ref()
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
        self.push_prepared(offset, PreparedLine::new(line, None));
    }

    /// A snapshot of the origin and keys that signatures are checked against now, for
    /// [`PreparedLine::new`]; `None` if no signature would be checked against one (signatures
    /// are not checked, or there is no usable genesis yet).
    pub fn signature_context(&self) -> Option<SignatureContext> {
        if !self.options.check_signatures {
            return None;
        }
        let origin = self.chain.origin.as_deref()?;
        Some(SignatureContext {
            origin: Arc::from(origin),
            keys: self
                .chain
                .keyring
                .iter()
                .map(|(r, rec)| (r.clone(), rec.key.clone()))
                .collect(),
            generation: self.generation,
        })
    }

    /// Checks the next complete line of the log, prepared by [`PreparedLine::new`], which
    /// starts at byte `offset`. Lines must be pushed in log order.
    pub fn push_prepared(&mut self, offset: u64, line: PreparedLine) {
        self.push_decoded(offset, line);
    }

    /// Like [`Verifier::push_prepared`], and hands back the entry this line decoded to while
    /// the log, this line included, has no finding: the entries of the log's verified prefix,
    /// which a projection may fold, taken from the very bytes that were just verified (no
    /// second read of the log). `None` from the first line with a finding on. The end of the
    /// log can still make it unsound ([`Verifier::finish`]): fold into a projection that is
    /// discarded unless the final report is sound.
    pub fn push_prepared_entry(&mut self, offset: u64, line: PreparedLine) -> Option<Decoded> {
        let decoded = self.push_decoded(offset, line)?;
        (self.report_findings.is_empty() && self.omitted == 0).then_some(decoded)
    }

    /// [`Verifier::push_prepared`], returning the decoded entry (if it decoded at all).
    fn push_decoded(&mut self, offset: u64, line: PreparedLine) -> Option<Decoded> {
        let PreparedLine {
            len,
            hash,
            decoded,
            time,
            signature,
        } = line;
        let index = self.lines;
        self.lines += 1;
        self.end_offset = offset + len + 1;
        if let Some(tree) = &mut self.tree {
            tree.push(hash);
        }
        self.check_roots(offset);
        if self
            .options
            .expect_head
            .is_some_and(|(seq, _)| seq == index)
        {
            self.seen_at_expected = Some((Some(hash), offset));
        }
        let decoded = match decoded {
            Ok(d) => d,
            Err(error) => {
                self.find(index, offset, FindingKind::Malformed { error });
                self.check_batch(index, offset, None);
                self.advance(None, hash);
                return None;
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
        if let (Some(t), Some((last, last_text))) = (time, &self.chain.last_recorded_at)
            && t < *last
        {
            let kind = FindingKind::TimeWentBackwards {
                previous: last_text.clone(),
                found: e.recorded_at.clone(),
            };
            self.find(index, offset, kind);
        }
        self.check_batch(index, offset, Some((e.more, &e.author)));
        let authorised = if index == 0 {
            self.check_genesis(offset, &decoded)
        } else if e.entry_type == GENESIS_TYPE {
            self.find(index, offset, FindingKind::GenesisNotFirst);
            false
        } else if let Some(origin) = self.chain.origin.clone() {
            self.check_entry(index, offset, &origin, &decoded, signature.as_ref())
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
        Some(decoded)
    }

    /// The batch rule: a line must continue the open batch, if there is one (an entry by the
    /// batch's author whose `more` is one less than the entry before's); an entry with `more`
    /// then opens a batch. `entry` is the line's `more` and author, `None` for a line that is
    /// not an entry (malformed or over-long), which closes the open batch after its finding,
    /// so that one bad line does not make every later line break it.
    fn check_batch(&mut self, index: u64, offset: u64, entry: Option<(Option<u64>, &KeyRef)>) {
        if let Some(open) = self.chain.batch.take() {
            let expected = open.remaining - 1;
            let fits = entry.is_some_and(|(more, author)| {
                more.unwrap_or(0) == expected && *author == open.author
            });
            if fits {
                if expected > 0 {
                    self.chain.batch = Some(OpenBatch {
                        remaining: expected,
                        ..open
                    });
                }
                return;
            }
            let kind = FindingKind::BatchBroken {
                batch: open.first_entry,
                author: open.author,
                remaining: open.remaining,
                found_more: entry.and_then(|(more, _)| more),
                found_author: entry.map(|(_, author)| author.clone()),
            };
            self.find(index, offset, kind);
        }
        if let Some((Some(more), author)) = entry {
            self.chain.batch = Some(OpenBatch {
                author: author.clone(),
                first_entry: index,
                first_offset: offset,
                size: more.saturating_add(1),
                remaining: more,
            });
        }
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
    fn check_genesis(&mut self, offset: u64, d: &Decoded) -> bool {
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
        let ring = Keyring::from_genesis(&genesis);
        if let Some(trusted) = &self.options.trust {
            if *trusted != author_key {
                let kind = FindingKind::UntrustedGenesis {
                    trusted: trusted.to_string(),
                    found: author_key.to_string(),
                };
                self.find(0, offset, kind);
            } else if signed && ring.is_ok() {
                // Anchored only if the trusted key really signed a valid genesis; otherwise the
                // bad_signature or bad_genesis finding says why not.
                self.anchor = Anchor::Trusted {
                    key: trusted.to_string(),
                };
            }
        }
        match ring {
            Ok(ring) => self.chain.keyring = ring,
            Err(error) => {
                self.find(0, offset, FindingKind::BadGenesis { error });
                return false;
            }
        }
        self.generation += 1;
        self.chain.origin = Some(genesis.origin);
        self.chain.domain = genesis.domain;
        self.chain.genesis_author = Some(e.author.clone());
        signed
    }

    /// Checks a non-genesis entry; returns whether it is validly signed by an authorised key.
    fn check_entry(
        &mut self,
        index: u64,
        offset: u64,
        origin: &str,
        d: &Decoded,
        ahead: Option<&SignatureCheck>,
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
                    && !signature_valid(&rec.key, origin, d, ahead) =>
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
                match self.chain.keyring.apply(&e.entry_type, &e.data, e.seq) {
                    Ok(()) => self.generation += 1,
                    Err(error) => self.find(index, offset, FindingKind::BadKeyEvent { error }),
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
        self.check_batch(index, offset, None);
        // Its hash is unknown: the next entry's `prev` cannot be checked against it, and there
        // is no tree from here on.
        self.chain.next_seq = self.chain.next_seq.saturating_add(1);
        self.chain.head = None;
        self.tree = None;
        self.check_roots(offset);
    }

    /// Reports `len` bytes after the last newline, at `offset`, as a torn tail without looking
    /// at them (for a reader that did not keep them: more than [`crate::MAX_ENTRY_BYTES`]
    /// bytes can never be an entry). [`Verifier::push_unterminated`] is the general case.
    pub fn push_torn_tail(&mut self, offset: u64, len: u64) {
        let index = self.lines;
        self.find(index, offset, FindingKind::TornTail { len });
    }

    /// Checks the bytes after the log's last newline, which start at byte `offset` (the log's
    /// unterminated last line; the bytes must contain no newline). If they are at most
    /// [`crate::MAX_ENTRY_BYTES`] long and are a complete entry that continues this chain (as
    /// a line, they give no finding of their own, root findings aside, and leave no batch
    /// open), they are that entry with only its newline missing: they count as a line, exactly
    /// as [`Verifier::push_line`] would check them (hash, tree, expected roots and head,
    /// chain state), and are reported as [`FindingKind::MissingNewline`]. Otherwise they are
    /// a torn tail ([`FindingKind::TornTail`]): not decoded, hashed or counted, and nothing
    /// else changes.
    pub fn push_unterminated(&mut self, offset: u64, bytes: &[u8]) {
        let len = bytes.len() as u64;
        if bytes.is_empty() || bytes.len() > crate::entry::MAX_ENTRY_BYTES || bytes.contains(&b'\n')
        {
            self.push_torn_tail(offset, len);
            return;
        }
        let index = self.lines;
        let mut trial = self.clone();
        let (kept, omitted) = (trial.report_findings.len(), trial.omitted);
        let decoded = trial.push_decoded(offset, PreparedLine::new(bytes, None));
        let own_findings = trial.omitted > omitted
            || trial
                .report_findings
                .get(kept..)
                .is_some_and(|new| new.iter().any(|f| !f.kind.is_root_finding()));
        match decoded {
            Some(d) if !own_findings && trial.chain.batch.is_none() => {
                *self = trial;
                self.find(
                    index,
                    offset,
                    FindingKind::MissingNewline { seq: d.entry.seq },
                );
            }
            _ => self.push_torn_tail(offset, len),
        }
    }

    /// Ends verification and returns the report.
    pub fn finish(mut self) -> Report {
        if self.lines == 0 {
            self.find_always(0, 0, FindingKind::EmptyLog);
        }
        // A batch cut short: its lines were never acknowledged (kept always, like the other
        // findings about the log as a whole).
        if let Some(b) = self.chain.batch.take() {
            let kind = FindingKind::UnfinishedBatch {
                size: b.size,
                missing: b.remaining,
            };
            self.find_always(b.first_entry, b.first_offset, kind);
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
        // Checkpoints beyond the end of the log.
        for &(size, _) in &self.options.expect_roots[self.next_root..] {
            let kind = FindingKind::CheckpointBeyondLog {
                size,
                entries: self.lines,
            };
            self.report_findings.push(Finding {
                entry: self.lines,
                offset: self.end_offset,
                kind,
            });
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
            root: self.tree.as_ref().map(|t| RootHash(t.root())),
        }
    }
}

#[cfg(test)]
mod tests;
