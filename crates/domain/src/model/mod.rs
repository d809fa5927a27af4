//! Projections and invariants of the ICC domain (DOMAIN.md §7-§8), on two time axes.
//!
//! Two steps, both pure:
//!
//! 1. [`History`] is an [`acta_core::Projection`]: it collects, in log order, every domain
//!    entry of a verified log (decoded events, and entries of types this version does not know,
//!    kept and shown, never dropped). It is what a [`Snapshot`](acta_core::Position) saves.
//! 2. [`History::view`] resolves a [`Model`] for a [`ViewOptions`]: **as recorded** up to entry
//!    N (only entries with `seq ≤ N` exist), **as in effect** on date D (only facts whose date,
//!    corrected, is definitely on or before D apply), and **as published** or **corrected**
//!    (the default). Resolving first applies the approved corrections and retractions, then
//!    replays the facts in log order through the state machines of §7, re-checking every
//!    invariant of §8.2 (module `engine`).
//!
//! An event that breaks an invariant is a [`Violation`]. On append ([`History::check_append`],
//! or a [`Checker`] for a batch: the same answers, incrementally)
//! it is refused unless the event acknowledges the rule (`acknowledged_anomalies`: a transcriber
//! recording a source faithfully, in transcription mode: provenance absent or `stated`, DOMAIN.md
//! §8.3.1); on replay an acknowledged violation **quarantines** the fact (listed, not applied)
//! until a correction makes it valid, and an unacknowledged one (a log written without this
//! layer, or an inferred or external fact acknowledging a rule, which it may not) is reported in
//! [`Model::violations`]. A view as in effect on a date reports no violation the view without
//! the date does not: a fact valid as recorded whose predecessor is not yet in effect on the
//! date is [`FactStatus::NotYetInEffect`].
//!
//! Corrections never rewrite: a `correction_recorded` names the entry (seq and hash), the field,
//! the published value (which must equal the stored one) and the corrected value; it takes
//! effect once an `approval_recorded` by another key approves it (the two-person rule). The
//! latest approved, non-retracted correction of a field wins. The published event stays in
//! [`Fact::published`]. An approved `event_retracted` withdraws its target from the view; a
//! retraction of an entry already withdrawn is `E_ALREADY_RETRACTED`. Flags, corrections,
//! retractions and approvals must name a domain entry of the log (`E_TARGET_NOT_FOUND`).
//!
//! **The two-person rule holds at every level.** Any domain entry may be retracted, review
//! entries included, and a retraction is in force only while it has an approval by another key
//! that is itself in force. Retracting an approval withdraws it: the correction or retraction it
//! approved stops applying unless another approval by a key other than its author's remains in
//! force. Retracting a retraction restores its target (the restored entry is replayed with the
//! rest, so a restored fact that now breaks a rule is quarantined or rejected like any other).
//! A withdrawn anomaly flag is no longer listed. Because every entry names only earlier
//! entries, chains of retractions cannot loop; they resolve in one pass from the last entry to
//! the first. The checks of a review entry itself (its target exists, the two-person rule,
//! `E_ALREADY_RETRACTED`) are reported whether or not it is withdrawn later: they are about the
//! entry as signed.
//!
//! An opening balance (`prior_fact_asserted`) stays applied when a later event supersedes it
//! (`supersedes_prior`): the events recorded in between presuppose it. The superseding event
//! upgrades what the assertion created (an `asserted_only` warrant, a proceeding asserted open)
//! in place, and the assertion is marked [`FactStatus::Superseded`] once that event applies.

mod check;
mod engine;
pub mod types;
mod view;

use std::collections::BTreeMap;

use acta_core::json::{Object, Profile, Value, parse, write_object};
use acta_core::{EntryHash, Projection, Recorded};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::ids::{
    AppealId, AspMatterId, BureauMeetingRef, EpisodeId, LetterId, PersonId, ProceedingId,
    RequestId, SituationId, VisitId, WarrantId,
};
use crate::source::{AnomalyCode, EntryRef, FieldPath};
use crate::state::StateCode;
use crate::vocab::CorrectionBasis;

pub use check::Checker;
pub use types::*;

/// One domain entry of the log, as collected by [`History`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The entry.
    pub at: EntryRef,
    /// The key that signed it (`NAME+id`).
    pub author: String,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    /// Its type.
    #[serde(rename = "type")]
    pub entry_type: String,
    /// Its data, canonical JSON text.
    pub data: String,
}

impl Item {
    /// The data as a core JSON object.
    pub fn object(&self) -> Option<Object> {
        match parse(self.data.as_bytes(), Profile::Entry) {
            Ok(Value::Object(o)) => Some(o),
            _ => None,
        }
    }

    /// The day it was recorded (UTC).
    pub fn recorded_day(&self) -> Option<NaiveDate> {
        chrono::DateTime::parse_from_rfc3339(&self.recorded_at)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc).date_naive())
    }
}

/// The domain entries of a log, collected in order: the state a snapshot saves. See the module
/// docs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Every non-system entry (types not starting with `acta.`), in log order.
    pub items: Vec<Item>,
    /// Entries seen in total (system entries included): the next entry's `seq`.
    pub size: u64,
}

impl Projection for History {
    fn apply(&mut self, r: Recorded<'_>) {
        let e = r.entry;
        self.size = e.seq.saturating_add(1);
        if e.entry_type.starts_with("acta.") {
            return;
        }
        let mut data = Vec::with_capacity(256);
        write_object(e.data.iter(), &mut data);
        // Canonical JSON of parsed strings is UTF-8: the lossy conversion is kept for the
        // impossible case only (same text either way).
        let data = match std::str::from_utf8(&data) {
            Ok(text) => text.to_owned(),
            Err(_) => String::from_utf8_lossy(&data).into_owned(),
        };
        self.items.push(Item {
            at: EntryRef {
                seq: e.seq,
                hash: r.hash,
            },
            author: e.author.to_string(),
            recorded_at: e.recorded_at.clone(),
            entry_type: e.entry_type.clone(),
            data,
        });
    }
}

/// Which view of the history to resolve.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ViewOptions {
    /// As recorded up to (and including) this entry; `None`: every entry.
    pub as_of_seq: Option<u64>,
    /// As in effect on this day: only facts that definitely happened on or before it apply.
    pub as_of_date: Option<NaiveDate>,
    /// Ignore corrections (the view "as published").
    pub as_published: bool,
}

/// A rule broken (DOMAIN.md §8.2): the code, the event, and the earlier entry it conflicts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule's code.
    pub code: AnomalyCode,
    /// The event's type.
    pub entry_type: String,
    /// The entry breaking it (`None`: an event not yet appended).
    pub at: Option<EntryRef>,
    /// The earlier entry it conflicts with, if one.
    pub conflicting: Option<EntryRef>,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.entry_type)?;
        if let Some(at) = &self.at {
            write!(f, " (entry {} {})", at.seq, at.hash.short())?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(c) = &self.conflicting {
            write!(f, " (conflicts with entry {} {})", c.seq, c.hash.short())?;
        }
        Ok(())
    }
}

impl std::error::Error for Violation {}

/// A warning (a `W_…` rule, never blocking), about an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The rule's code.
    pub code: AnomalyCode,
    /// The entry it is about.
    pub at: EntryRef,
    /// The earlier entry involved, if one.
    pub conflicting: Option<EntryRef>,
    /// What, in words.
    pub message: String,
}

/// What became of a fact in a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum FactStatus {
    /// Applied to the projections.
    Applied,
    /// Its date (corrected) is not definitely on or before the view's date; or it is valid as
    /// recorded (applied in the same view without the date) but what it presupposes is not
    /// yet in effect on the view's date.
    NotYetInEffect,
    /// It breaks a rule the event acknowledges: listed, not applied, until corrected.
    Quarantined {
        /// The rule.
        code: AnomalyCode,
    },
    /// It breaks a rule it does not acknowledge (a log written without the domain layer).
    Rejected {
        /// The rule.
        code: AnomalyCode,
    },
    /// Retracted by an approved `event_retracted`.
    Retracted {
        /// The retraction.
        by: EntryRef,
    },
    /// An opening-balance assertion replaced by the event that records the fact itself. The
    /// assertion was applied (the facts recorded after it presuppose it) and the replacing event
    /// upgraded what it created in place; the status is set once that event is applied in the
    /// view, for display.
    Superseded {
        /// The replacing event.
        by: EntryRef,
    },
    /// A review entry (flag, correction, retraction, approval): applied to other facts.
    Review,
}

/// A correction applied to a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedCorrection {
    /// The `correction_recorded` entry.
    pub at: EntryRef,
    /// The approving entry.
    pub approved_by: EntryRef,
    /// The field.
    pub field_path: FieldPath,
    /// The value as published (as stored in the corrected entry).
    pub published_value: serde_json::Value,
    /// The corrected value.
    pub corrected_value: serde_json::Value,
    /// Why.
    pub basis: CorrectionBasis,
}

/// One domain event in a view: the event with its corrections applied, and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The entry.
    pub at: EntryRef,
    /// The key that signed it.
    pub author: String,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    /// The event, corrected.
    pub event: Event,
    /// The event as published, when corrections changed it.
    pub published: Option<Event>,
    /// The corrections applied, in log order.
    pub corrections: Vec<AppliedCorrection>,
    /// What became of it.
    pub status: FactStatus,
}

/// The state of a correction or retraction in a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Approved by another key, and applied.
    Applied,
    /// Awaiting the second signature.
    AwaitingApproval,
    /// Replaced by a later correction of the same field.
    Overridden,
    /// Retracted.
    Retracted,
    /// Invalid (see the violations).
    Invalid,
}

/// A review entry (correction or retraction) and its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// The entry.
    pub at: EntryRef,
    /// Its type.
    pub entry_type: String,
    /// The entry it corrects or retracts.
    pub target: EntryRef,
    /// Its state.
    pub state: ReviewState,
}

/// An anomaly flag (`anomaly_flagged`) and whether it is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The flag entry.
    pub at: EntryRef,
    /// The flagged entry.
    pub target: EntryRef,
    /// The code.
    pub code: AnomalyCode,
    /// The field.
    pub field_path: FieldPath,
    /// The explanation.
    pub explanation: String,
    /// The applied correction that resolves it, if any.
    pub resolved_by: Option<EntryRef>,
}

/// An entry of a type this version does not know: kept and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownEntry {
    /// The entry.
    pub at: EntryRef,
    /// Its type.
    pub entry_type: String,
}

/// The resolved state of the domain in one view. See the module docs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// The view.
    pub view: ViewOptions,
    /// Entries covered (the view's `seq` bound + 1, or the log's size).
    pub size: u64,
    /// Every domain event, in log order, with its status.
    pub facts: Vec<Fact>,
    /// Corrections and retractions, with their state.
    pub reviews: Vec<Review>,
    /// Anomaly flags.
    pub flags: Vec<Flag>,
    /// Warnings raised while applying facts.
    pub warnings: Vec<Warning>,
    /// Unacknowledged violations (and invalid review entries) found on replay.
    pub violations: Vec<Violation>,
    /// Entries of unknown types.
    pub unknown: Vec<UnknownEntry>,
    /// Situations.
    pub situations: BTreeMap<SituationId, Situation>,
    /// Persons.
    pub persons: BTreeMap<PersonId, Person>,
    /// Warrants.
    pub warrants: BTreeMap<WarrantId, Warrant>,
    /// Non-compliance proceedings.
    pub proceedings: BTreeMap<ProceedingId, Proceeding>,
    /// Procedural requests.
    pub requests: BTreeMap<RequestId, ProceduralRequest>,
    /// Appeals.
    pub appeals: BTreeMap<AppealId, Appeal>,
    /// Assembly matters (formal procedure).
    pub asp_matters: BTreeMap<AspMatterId, AspMatter>,
    /// Prevention episodes (informal procedure).
    pub episodes: BTreeMap<EpisodeId, Episode>,
    /// Letters of the President of the Assembly.
    pub letters: BTreeMap<LetterId, Letter>,
    /// The focal-point roster.
    pub roster: Roster,
    /// States.
    pub states: BTreeMap<StateCode, StateRecord>,
    /// Bureau meetings.
    pub meetings: BTreeMap<BureauMeetingRef, BureauMeeting>,
    /// Visits of wanted persons.
    pub visits: BTreeMap<VisitId, Visit>,
    /// The applied appeal judgments, in log order (record number, date, entry): an index of
    /// [`Model::facts`] for the engine's look-ups by record number, not serialized.
    #[serde(skip)]
    appeal_judgments: Vec<(
        crate::ids::CourtRecordNumber,
        crate::date::LegalDate,
        EntryRef,
    )>,
}

impl Model {
    fn empty(view: ViewOptions) -> Model {
        Model {
            view,
            size: 0,
            facts: Vec::new(),
            reviews: Vec::new(),
            flags: Vec::new(),
            warnings: Vec::new(),
            violations: Vec::new(),
            unknown: Vec::new(),
            situations: BTreeMap::new(),
            persons: BTreeMap::new(),
            warrants: BTreeMap::new(),
            proceedings: BTreeMap::new(),
            requests: BTreeMap::new(),
            appeals: BTreeMap::new(),
            asp_matters: BTreeMap::new(),
            episodes: BTreeMap::new(),
            letters: BTreeMap::new(),
            roster: Roster::default(),
            states: BTreeMap::new(),
            meetings: BTreeMap::new(),
            visits: BTreeMap::new(),
            appeal_judgments: Vec::new(),
        }
    }

    /// The fact recorded by entry `seq`, if it is a domain event of this view.
    pub fn fact(&self, seq: u64) -> Option<&Fact> {
        self.facts
            .binary_search_by_key(&seq, |f| f.at.seq)
            .ok()
            .map(|i| &self.facts[i])
    }

    /// SHA-256 of the model's JSON serialization: equal models, equal hashes (for this version
    /// of acta-domain; maps are ordered, so the encoding is deterministic).
    pub fn hash(&self) -> EntryHash {
        use sha2::Digest;
        let json = serde_json::to_vec(self).unwrap_or_default();
        EntryHash(sha2::Sha256::digest(&json).into())
    }
}
