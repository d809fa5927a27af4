//! Projections: folds over the entries of a verified log.
//!
//! A projection rebuilds some state from a log's entries, in log order: the current keys, the
//! balance of an account, the status of every case. This module defines only the contract;
//! reading a log and feeding it to a projection (with snapshots and resumption) is
//! `acta_store::project`, and a domain's projections live in its own crate.
//!
//! The contract:
//!
//! - [`Projection::apply`] is called once per entry, in `seq` order from 0 (or from a
//!   snapshot's [`Position`]), only with entries of a log that verified. A projection never
//!   sees an entry twice and never sees a gap.
//! - It must be deterministic: the same entries give the same state. State that is to be
//!   snapshotted must be serializable, and a projection resumed from a snapshot must end in the
//!   same state as one replayed from the start.
//! - Entries the projection does not understand (other domains, types it does not know,
//!   `acta.*` system entries) are its to skip; they are still counted in the [`Position`].
//!
//! **As recorded up to entry N** is a replay that stops after entry N. Other time axes (for
//! example "as in effect on date D", which needs the *event's* date, not the log's order) are
//! the domain's: only it knows where an event's date is and how corrections change it.

use crate::entry::{Entry, EntryHash};

/// One entry of a verified log, as a projection sees it.
#[derive(Debug, Clone, Copy)]
pub struct Recorded<'a> {
    /// The entry hash of its stored line (what later entries and references use).
    pub hash: EntryHash,
    /// The decoded entry.
    pub entry: &'a Entry,
}

/// A fold over a log's entries.
pub trait Projection {
    /// Applies the next entry.
    fn apply(&mut self, recorded: Recorded<'_>);
}

/// How far a projection has folded a log: the number of entries applied and the hash of the
/// last one. A position names a prefix of one log exactly (the hash chain commits to every
/// earlier entry), so a snapshot taken at a position can only be resumed on a log with that
/// prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// Entries applied (the next entry's `seq`).
    pub size: u64,
    /// The entry hash of entry `size - 1` (`None` when `size` is 0).
    pub head: Option<EntryHash>,
    /// The byte offset of entry `size - 1`'s line in the log, when known: a store can then
    /// resume reading there instead of from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_offset: Option<u64>,
}

impl<P: Projection + ?Sized> Projection for &mut P {
    fn apply(&mut self, recorded: Recorded<'_>) {
        (**self).apply(recorded);
    }
}
