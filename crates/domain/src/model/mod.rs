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

mod engine;
pub mod types;

use std::collections::{BTreeMap, BTreeSet};

use acta_core::json::{Object, Profile, Value, parse, to_canonical, write_object};
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

/// The approval state of the review entries of a history, up to a `seq`.
struct Reviews {
    /// target → approving entries (with their authors).
    approvals: BTreeMap<EntryRef, Vec<(EntryRef, String)>>,
}

impl History {
    /// An empty history.
    pub fn new() -> History {
        History::default()
    }

    /// The item recorded by entry `seq`.
    pub fn item(&self, seq: u64) -> Option<&Item> {
        self.items
            .binary_search_by_key(&seq, |i| i.at.seq)
            .ok()
            .map(|i| &self.items[i])
    }

    /// Resolves the [`Model`] of a view (see the module docs).
    ///
    /// A view as in effect on a date is resolved against the same view without the date: a
    /// fact applied there but failing on the date (what it presupposes is not yet in effect)
    /// is [`FactStatus::NotYetInEffect`], not a violation; a fact quarantined or rejected
    /// there keeps that status. So a dated view reports no violation the undated view does
    /// not.
    pub fn view(&self, view: ViewOptions) -> Model {
        let undated = view.as_of_date.map(|_| {
            self.resolve(
                ViewOptions {
                    as_of_date: None,
                    ..view
                },
                None,
            )
        });
        self.resolve(view, undated.as_ref())
    }

    /// Resolves a view; `undated` is the same view without its date (for a dated view).
    fn resolve(&self, view: ViewOptions, undated: Option<&Model>) -> Model {
        let (mut model, retracted) = self.replay(view, undated);
        post(&mut model, &retracted);
        model
    }

    /// The model of the default view as replayed, before [`post`] derives what depends on
    /// everything applied: the state [`Checker`] keeps. For tests comparing the two.
    #[doc(hidden)]
    pub fn replayed(&self) -> Model {
        self.replay(ViewOptions::default(), None).0
    }

    /// Steps 1 to 3 of a view: decode, resolve the reviews, replay the facts in log order.
    /// Returns the model and the withdrawn entries (target seq → the retraction in force).
    fn replay(
        &self,
        view: ViewOptions,
        undated: Option<&Model>,
    ) -> (Model, BTreeMap<u64, EntryRef>) {
        let mut model = Model::empty(view);
        let upto = view.as_of_seq.map_or(u64::MAX, |s| s);
        let items: Vec<&Item> = self.items.iter().filter(|i| i.at.seq <= upto).collect();
        model.size = view
            .as_of_seq
            .map_or(self.size, |s| s.saturating_add(1).min(self.size));

        // 1. Decode; collect approvals.
        let mut decoded: Vec<(&Item, Event)> = Vec::with_capacity(items.len());
        let mut reviews = Reviews {
            approvals: BTreeMap::new(),
        };
        for item in &items {
            let Some(data) = item.object() else {
                continue;
            };
            match crate::decode(&item.entry_type, &data) {
                Ok(event) => {
                    if let Event::ApprovalRecorded(a) = &event {
                        reviews
                            .approvals
                            .entry(a.target)
                            .or_default()
                            .push((item.at, item.author.clone()));
                    }
                    decoded.push((item, event));
                }
                Err(e) if e.is_unknown_type() => model.unknown.push(UnknownEntry {
                    at: item.at,
                    entry_type: item.entry_type.clone(),
                }),
                Err(e) => model.violations.push(Violation {
                    code: AnomalyCode::Schema,
                    entry_type: item.entry_type.clone(),
                    at: Some(item.at),
                    conflicting: None,
                    message: crate::text::inert(&e.to_string()),
                }),
            }
        }
        let by_seq: BTreeMap<u64, (&Item, &Event)> =
            decoded.iter().map(|(i, e)| (i.at.seq, (*i, e))).collect();
        let target_ok = |r: &EntryRef| by_seq.get(&r.seq).is_some_and(|(i, _)| i.at == *r);

        // 2. Approvals, retractions, corrections.
        //
        // Which entries are withdrawn: an entry is withdrawn by the earliest retraction of it
        // that is in force, and a retraction is in force when it names a domain entry of the
        // log, carries an approval by another key that is itself not withdrawn, and is not
        // withdrawn itself. Every reference points back (a target precedes the entry naming it),
        // so one pass from the last entry to the first resolves every level: when an entry is
        // reached, every retraction and approval of it has been resolved already.
        let mut retracted: BTreeMap<u64, EntryRef> = BTreeMap::new();
        for (item, event) in decoded.iter().rev() {
            let Event::EventRetracted(r) = event else {
                continue;
            };
            let in_force = target_ok(&r.target)
                && !retracted.contains_key(&item.at.seq)
                && approval_in_force(&reviews, &retracted, &item.at, &item.author).is_some();
            if in_force {
                // Walking backwards: the last insert is the earliest retraction in force.
                retracted.insert(r.target.seq, item.at);
            }
        }
        let approved_by = |at: &EntryRef, author: &str| -> Option<EntryRef> {
            approval_in_force(&reviews, &retracted, at, author)
        };
        for (item, event) in &decoded {
            if let Event::ApprovalRecorded(a) = event {
                let bad = match by_seq.get(&a.target.seq) {
                    Some((t, e)) if t.at == a.target => {
                        if !matches!(e, Event::CorrectionRecorded(_) | Event::EventRetracted(_)) {
                            Some((
                                AnomalyCode::TargetNotFound,
                                "approves an entry that is not a correction or a retraction"
                                    .to_owned(),
                            ))
                        } else if t.author == item.author {
                            Some((
                                AnomalyCode::TwoPersonRule,
                                format!(
                                    "approved by its own author {}: the second signature must be another key's",
                                    item.author
                                ),
                            ))
                        } else {
                            None
                        }
                    }
                    _ => Some((
                        AnomalyCode::TargetNotFound,
                        format!(
                            "approves entry {}, which is not a domain entry of this log",
                            a.target
                        ),
                    )),
                };
                if let Some((code, message)) = bad {
                    model.violations.push(Violation {
                        code,
                        entry_type: item.entry_type.clone(),
                        at: Some(item.at),
                        conflicting: Some(a.target),
                        message,
                    });
                }
            }
        }
        for (item, event) in &decoded {
            if let Event::EventRetracted(r) = event {
                let state = if !target_ok(&r.target) {
                    model.violations.push(Violation {
                        code: AnomalyCode::TargetNotFound,
                        entry_type: item.entry_type.clone(),
                        at: Some(item.at),
                        conflicting: Some(r.target),
                        message: format!(
                            "retracts entry {}, which is not a domain entry of this log",
                            r.target
                        ),
                    });
                    ReviewState::Invalid
                } else if let Some(earlier) = retracted
                    .get(&r.target.seq)
                    .filter(|earlier| earlier.seq < item.at.seq)
                {
                    model.violations.push(Violation {
                        code: AnomalyCode::AlreadyRetracted,
                        entry_type: item.entry_type.clone(),
                        at: Some(item.at),
                        conflicting: Some(*earlier),
                        message: format!(
                            "retracts entry {}, which entry {} already retracted ({})",
                            r.target,
                            earlier,
                            AnomalyCode::AlreadyRetracted
                        ),
                    });
                    ReviewState::Invalid
                } else if retracted.contains_key(&item.at.seq) {
                    ReviewState::Retracted
                } else if approved_by(&item.at, &item.author).is_some() {
                    ReviewState::Applied
                } else {
                    ReviewState::AwaitingApproval
                };
                model.reviews.push(Review {
                    at: item.at,
                    entry_type: item.entry_type.clone(),
                    target: r.target,
                    state,
                });
            }
        }
        // Anomaly flags must name a domain entry of the log, like retractions.
        for (item, event) in &decoded {
            if let Event::AnomalyFlagged(a) = event
                && !target_ok(&a.target)
            {
                model.violations.push(Violation {
                    code: AnomalyCode::TargetNotFound,
                    entry_type: item.entry_type.clone(),
                    at: Some(item.at),
                    conflicting: Some(a.target),
                    message: format!(
                        "flags entry {}, which is not a domain entry of this log",
                        a.target
                    ),
                });
            }
        }
        // Corrections: per target, per field, the latest approved, non-retracted one wins.
        let mut corrections: BTreeMap<u64, BTreeMap<FieldPath, AppliedCorrection>> =
            BTreeMap::new();
        for (item, event) in &decoded {
            let Event::CorrectionRecorded(c) = event else {
                continue;
            };
            let mut state = ReviewState::AwaitingApproval;
            let target = by_seq.get(&c.target.seq).filter(|(t, _)| t.at == c.target);
            let published = target.and_then(|(t, _)| t.object()).and_then(|o| {
                c.field_path.get(&o).map(|v| {
                    serde_json::from_slice::<serde_json::Value>(&to_canonical(v))
                        .unwrap_or_default()
                })
            });
            if target.is_none() {
                model.violations.push(Violation {
                    code: AnomalyCode::TargetNotFound,
                    entry_type: item.entry_type.clone(),
                    at: Some(item.at),
                    conflicting: Some(c.target),
                    message: format!(
                        "corrects entry {}, which is not a domain entry of this log",
                        c.target
                    ),
                });
                state = ReviewState::Invalid;
            } else if c.published_value != published {
                model.violations.push(Violation {
                    code: AnomalyCode::PublishedValueMismatch,
                    entry_type: item.entry_type.clone(),
                    at: Some(item.at),
                    conflicting: Some(c.target),
                    message: format!(
                        "published_value {} is not the stored value at {} ({})",
                        c.published_value
                            .as_ref()
                            .map(|v| v.to_string())
                            .unwrap_or_default(),
                        c.field_path,
                        published
                            .as_ref()
                            .map_or("absent".to_owned(), |v| v.to_string()),
                    ),
                });
                state = ReviewState::Invalid;
            } else if retracted.contains_key(&item.at.seq) {
                state = ReviewState::Retracted;
            } else if let Some(approval) = approved_by(&item.at, &item.author) {
                state = ReviewState::Applied;
                if !view.as_published {
                    corrections.entry(c.target.seq).or_default().insert(
                        c.field_path.clone(),
                        AppliedCorrection {
                            at: item.at,
                            approved_by: approval,
                            field_path: c.field_path.clone(),
                            published_value: published.unwrap_or(serde_json::Value::Null),
                            corrected_value: c.corrected_value.clone(),
                            basis: c.basis,
                        },
                    );
                }
            }
            model.reviews.push(Review {
                at: item.at,
                entry_type: item.entry_type.clone(),
                target: c.target,
                state,
            });
        }
        // Mark corrections replaced by a later one of the same field.
        let winners: BTreeSet<EntryRef> = corrections
            .values()
            .flat_map(|m| m.values().map(|c| c.at))
            .collect();
        for r in &mut model.reviews {
            if r.entry_type == "correction_recorded"
                && r.state == ReviewState::Applied
                && !view.as_published
                && !winners.contains(&r.at)
            {
                r.state = ReviewState::Overridden;
            }
        }

        // 3. Facts: corrected events; then the state machines, in log order.
        for (item, event) in &decoded {
            let applied: Vec<AppliedCorrection> = corrections
                .remove(&item.at.seq)
                .map(|m| {
                    let mut v: Vec<_> = m.into_values().collect();
                    v.sort_by_key(|c| c.at.seq);
                    v
                })
                .unwrap_or_default();
            replay_fact(
                &mut model,
                item,
                event,
                applied,
                retracted.get(&item.at.seq).copied(),
                view,
                undated,
            );
        }
        (model, retracted)
    }
}

/// Derives what depends on every fact applied: superseded opening balances, flags, and the
/// engine's derived state (step 4 of a view).
fn post(model: &mut Model, retracted: &BTreeMap<u64, EntryRef>) {
    // Opening balances superseded by an applied event that records the fact itself (for
    // display: the assertion was applied, and the event upgraded what it created).
    let mut superseded: Vec<(u64, EntryRef)> = Vec::new();
    for f in &model.facts {
        if f.status == FactStatus::Applied
            && let Some(p) = f.event.envelope().supersedes_prior
            && model
                .fact(p.seq)
                .is_some_and(|t| t.at == *p && matches!(t.event, Event::PriorFactAsserted(_)))
        {
            superseded.push((p.seq, f.at));
        }
    }
    for (seq, by) in superseded {
        if let Ok(i) = model.facts.binary_search_by_key(&seq, |f| f.at.seq)
            && model.facts[i].status == FactStatus::Applied
        {
            model.facts[i].status = FactStatus::Superseded { by };
        }
    }

    // 4. Flags, resolved by an applied correction that names them.
    for f in &model.facts {
        if let Event::AnomalyFlagged(a) = &f.event
            && !retracted.contains_key(&f.at.seq)
        {
            let resolved_by = model.facts.iter().find_map(|g| match &g.event {
                Event::CorrectionRecorded(c)
                    if c.resolves == Some(f.at)
                        && model
                            .reviews
                            .iter()
                            .any(|r| r.at == g.at && r.state == ReviewState::Applied) =>
                {
                    Some(g.at)
                }
                _ => None,
            });
            model.flags.push(Flag {
                at: f.at,
                target: a.target,
                code: a.code,
                field_path: a.field_path.clone(),
                explanation: a.explanation.to_string(),
                resolved_by,
            });
        }
    }
    engine::finish(model);
}

impl History {
    /// Checks an event before it is appended by `author` at `recorded_at` (RFC 3339): the
    /// event must be valid for its type, its references must name entries of this log, and the
    /// state machines must accept it after everything recorded so far. A violation the event
    /// acknowledges (`acknowledged_anomalies`) is accepted: the event will be quarantined on
    /// replay until corrected. Returns the warnings.
    ///
    /// Replays the history once: for a batch, a [`Checker`] checks each event in O(1)
    /// amortised in the history's length.
    pub fn check_append(
        &self,
        author: &str,
        recorded_at: &str,
        entry_type: &str,
        data: &Object,
    ) -> Result<Vec<Warning>, Box<Violation>> {
        Checker::new(self.clone()).check_append(author, recorded_at, entry_type, data)
    }
}

/// Checks events one after another as [`History::check_append`] does, each as if appended
/// after the ones accepted before it, without replaying the history for each.
///
/// The checker keeps the history and the default view of it as replayed (the state of the
/// state machines after the last entry). An event that is not a review entry is applied to
/// that state alone: nothing names it yet, so no earlier entry changes, and its own check is
/// the replay's last step. Its cost does not grow with the history's length (beyond the
/// look-ups of the state machines in the model's maps). A review entry (`anomaly_flagged`,
/// `correction_recorded`, `event_retracted`, `approval_recorded`) may change what earlier
/// entries say (an approval applies a correction, or withdraws an entry): for it the history
/// is replayed once, and the violations compared, exactly as [`History::check_append`] did
/// before the checker existed (a replay per review entry, not per event).
///
/// The answers are exactly those of replaying the whole history with the event appended and
/// comparing (tests check this on random sequences of events).
#[derive(Debug, Clone)]
pub struct Checker {
    history: History,
    /// The default view of `history` as replayed: [`History::replayed`].
    model: Model,
}

impl Checker {
    /// A checker for events appended after `history` (replays it once).
    pub fn new(history: History) -> Checker {
        let model = history.replayed();
        Checker { history, model }
    }

    /// The history: the one it was made from, and the events accepted or pushed since.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The default view of the history as replayed, before the derived state of the
    /// projections is computed: equal to [`History::replayed`] of [`Checker::history`].
    #[doc(hidden)]
    pub fn replayed(&self) -> &Model {
        &self.model
    }

    /// Counts an entry that is not a domain event of this version (a system entry, or a type
    /// the caller does not check), so that the next event gets the next `seq`.
    pub fn skip(&mut self) {
        self.history.size = self.history.size.saturating_add(1);
        self.model.size = self.history.size;
    }

    /// [`History::check_append`] for the next entry; when the event is accepted it is also
    /// recorded (with an all-zero hash: [`History::push_unsigned`]), so that the next check
    /// sees it. A refused event changes nothing.
    pub fn check_append(
        &mut self,
        author: &str,
        recorded_at: &str,
        entry_type: &str,
        data: &Object,
    ) -> Result<Vec<Warning>, Box<Violation>> {
        let event = crate::decode(entry_type, data).map_err(|e| {
            Box::new(Violation {
                code: AnomalyCode::Schema,
                entry_type: entry_type.to_owned(),
                at: None,
                conflicting: None,
                message: crate::text::inert(&e.to_string()),
            })
        })?;
        let mut text = Vec::new();
        write_object(data.iter(), &mut text);
        let item = Item {
            at: EntryRef {
                seq: self.history.size,
                hash: EntryHash([0; 32]),
            },
            author: author.to_owned(),
            recorded_at: recorded_at.to_owned(),
            entry_type: entry_type.to_owned(),
            data: String::from_utf8_lossy(&text).into_owned(),
        };
        self.check_item(item, &event)
    }

    /// Checks `item` (whose data decodes as `event`) as the next entry; records it if
    /// accepted.
    #[doc(hidden)]
    pub fn check_item(
        &mut self,
        item: Item,
        event: &Event,
    ) -> Result<Vec<Warning>, Box<Violation>> {
        let at = item.at;
        if is_review(event) {
            let mut next = self.history.clone();
            next.push_item(item);
            let model = next.replayed();
            // Violations the new entry introduces, directly or through the entries it reviews.
            if let Some(v) = model
                .violations
                .iter()
                .find(|v| !self.model.violations.contains(v))
            {
                let mut v = Box::new(v.clone());
                if v.at == Some(at) {
                    v.at = None;
                }
                return Err(v);
            }
            let warnings = warnings_at(&model, 0, at);
            self.history = next;
            self.model = model;
            return Ok(warnings);
        }
        let (facts, violations, warnings) = (
            self.model.facts.len(),
            self.model.violations.len(),
            self.model.warnings.len(),
        );
        replay_fact(
            &mut self.model,
            &item,
            event,
            Vec::new(),
            None,
            ViewOptions::default(),
            None,
        );
        if let Some(v) = self.model.violations.get(violations) {
            // Rejected: the engine changed nothing; undo the fact and its violation.
            let mut v = Box::new(v.clone());
            self.model.violations.truncate(violations);
            self.model.facts.truncate(facts);
            if v.at == Some(at) {
                v.at = None;
            }
            return Err(v);
        }
        let out = warnings_at(&self.model, warnings, at);
        self.history.push_item(item);
        self.model.size = self.history.size;
        Ok(out)
    }

    /// Records `item` as the next entry without checking it, as a replay of a log written by
    /// other software would (its violations become the model's).
    #[doc(hidden)]
    pub fn push_item(&mut self, item: Item) {
        let event = item
            .object()
            .and_then(|o| crate::decode(&item.entry_type, &o).ok());
        match event {
            Some(event) if !is_review(&event) => {
                replay_fact(
                    &mut self.model,
                    &item,
                    &event,
                    Vec::new(),
                    None,
                    ViewOptions::default(),
                    None,
                );
                self.history.push_item(item);
                self.model.size = self.history.size;
            }
            _ => {
                self.history.push_item(item);
                self.model = self.history.replayed();
            }
        }
    }
}

/// Whether `event` is a review entry (it acts on other entries, not on the projections).
fn is_review(event: &Event) -> bool {
    matches!(
        event,
        Event::AnomalyFlagged(_)
            | Event::CorrectionRecorded(_)
            | Event::EventRetracted(_)
            | Event::ApprovalRecorded(_)
    )
}

/// The warnings about entry `at` of a replayed model, from `model.warnings[from..]` and the
/// roster's (computed once every fact is applied), in the order a full view lists them.
fn warnings_at(model: &Model, from: usize, at: EntryRef) -> Vec<Warning> {
    let mut out: Vec<Warning> = model
        .warnings
        .get(from..)
        .unwrap_or_default()
        .iter()
        .filter(|w| w.at == at)
        .cloned()
        .collect();
    out.extend(
        engine::roster_warnings(model)
            .into_iter()
            .filter(|w| w.at == at),
    );
    out
}

impl History {
    /// Adds an item as the next entry (`size` follows its `seq`).
    fn push_item(&mut self, item: Item) {
        self.size = self.size.max(item.at.seq.saturating_add(1));
        self.items.push(item);
    }

    /// Adds an event that is about to be appended (its entry hash is not known yet: all
    /// zeros), so that the next [`History::check_append`] sees it. For checking a batch.
    pub fn push_unsigned(
        &mut self,
        author: &str,
        recorded_at: &str,
        entry_type: &str,
        data: &Object,
    ) {
        let mut text = Vec::new();
        write_object(data.iter(), &mut text);
        self.items.push(Item {
            at: EntryRef {
                seq: self.size,
                hash: EntryHash([0; 32]),
            },
            author: author.to_owned(),
            recorded_at: recorded_at.to_owned(),
            entry_type: entry_type.to_owned(),
            data: String::from_utf8_lossy(&text).into_owned(),
        });
        self.size = self.size.saturating_add(1);
    }
}

/// The first approval of the review entry `at` (signed by `author`) that is in force: signed by
/// another key, and not withdrawn by a retraction in force (`retracted`: target seq → the
/// retraction withdrawing it).
fn approval_in_force(
    reviews: &Reviews,
    retracted: &BTreeMap<u64, EntryRef>,
    at: &EntryRef,
    author: &str,
) -> Option<EntryRef> {
    reviews
        .approvals
        .get(at)?
        .iter()
        .find(|(r, a)| a != author && !retracted.contains_key(&r.seq))
        .map(|(r, _)| *r)
}

/// Step 3 of a view for one decoded entry: its corrections applied, its status decided, and,
/// if it applies, the state machines run on it (module `engine`). `retracted_by` is the
/// retraction in force withdrawing it; `undated` the same view without its date.
fn replay_fact(
    model: &mut Model,
    item: &Item,
    event: &Event,
    applied: Vec<AppliedCorrection>,
    retracted_by: Option<EntryRef>,
    view: ViewOptions,
    undated: Option<&Model>,
) {
    let (effective, published) = if applied.is_empty() {
        (event.clone(), None)
    } else {
        match corrected(item, &applied) {
            Ok(e) => (e, Some(event.clone())),
            Err(message) => {
                for c in &applied {
                    if let Some(r) = model.reviews.iter_mut().find(|r| r.at == c.at) {
                        r.state = ReviewState::Invalid;
                    }
                }
                model.violations.push(Violation {
                    code: AnomalyCode::CorrectionInvalid,
                    entry_type: "correction_recorded".to_owned(),
                    at: applied.last().map(|c| c.at),
                    conflicting: Some(item.at),
                    message,
                });
                (event.clone(), None)
            }
        }
    };
    let applied = if published.is_some() {
        applied
    } else {
        Vec::new()
    };
    let review = matches!(
        effective,
        Event::AnomalyFlagged(_)
            | Event::CorrectionRecorded(_)
            | Event::EventRetracted(_)
            | Event::ApprovalRecorded(_)
    );
    let status = if review {
        FactStatus::Review
    } else if let Some(by) = retracted_by {
        FactStatus::Retracted { by }
    } else if let Some(s @ (FactStatus::Quarantined { .. } | FactStatus::Rejected { .. })) =
        undated.and_then(|u| u.fact(item.at.seq)).map(|f| &f.status)
    {
        // Quarantined or rejected as recorded: so on any date, with the same violation.
        if let (FactStatus::Rejected { .. }, Some(u)) = (s, undated) {
            model.violations.extend(
                u.violations
                    .iter()
                    .filter(|v| v.at == Some(item.at))
                    .cloned(),
            );
        }
        s.clone()
    } else if !in_effect(&effective, view.as_of_date) {
        FactStatus::NotYetInEffect
    } else {
        FactStatus::Applied
    };
    let mut fact = Fact {
        at: item.at,
        author: item.author.clone(),
        recorded_at: item.recorded_at.clone(),
        event: effective,
        published,
        corrections: applied,
        status,
    };
    if fact.status == FactStatus::Applied {
        match engine::apply(model, &fact, item.recorded_day()) {
            Ok(warnings) => model.warnings.extend(warnings),
            // Valid as recorded (the undated view applied it): what it presupposes is
            // not yet in effect on the view's date.
            Err(_) if undated.is_some() => fact.status = FactStatus::NotYetInEffect,
            Err(v) => {
                // Only a transcription (provenance stated, DOMAIN.md §8.3.1) may
                // acknowledge the rule it breaks; an inference may not.
                let envelope = fact.event.envelope();
                let transcribed = matches!(
                    envelope.provenance,
                    None | Some(crate::source::Provenance::Stated)
                );
                if transcribed && envelope.acknowledged_anomalies.contains(&v.code) {
                    fact.status = FactStatus::Quarantined { code: v.code };
                } else {
                    fact.status = FactStatus::Rejected { code: v.code };
                    model.violations.push(*v);
                }
            }
        }
    }
    if let (Event::AppealJudgmentDelivered(j), FactStatus::Applied) = (&fact.event, &fact.status) {
        model
            .appeal_judgments
            .push((j.doc_ref.clone(), j.occurred, fact.at));
    }
    model.facts.push(fact);
}

/// The event of `item` with `corrections` applied to its data.
fn corrected(item: &Item, corrections: &[AppliedCorrection]) -> Result<Event, String> {
    let mut data = item
        .object()
        .ok_or_else(|| format!("entry {} has no data object", item.at))?;
    for c in corrections {
        let text = serde_json::to_vec(&c.corrected_value).map_err(|e| e.to_string())?;
        let value = parse(&text, Profile::Entry).map_err(|e| e.to_string())?;
        data = c
            .field_path
            .replace(&data, value)
            .ok_or_else(|| format!("{} is not a field of entry {}", c.field_path, item.at.seq))?;
    }
    crate::decode(&item.entry_type, &data).map_err(|e| {
        format!(
            "entry {} corrected is not a valid {}: {e}",
            item.at.seq, item.entry_type
        )
    })
}

/// Whether `event` is in effect on `day`: timeless events always are, and so are events whose
/// date is `unknown` (reference data such as a situation's registration, recorded without a
/// date); dated ones when they definitely happened on or before it (their latest possible day
/// is not after it). An event with only a lower bound (`{"not_before": …}`) is not in effect
/// on any given day: it may not have happened yet.
fn in_effect(event: &Event, day: Option<NaiveDate>) -> bool {
    let Some(day) = day else {
        return true;
    };
    match event.envelope().occurred {
        None | Some(crate::date::LegalDate::Unknown) => true,
        Some(d) => d.latest().is_some_and(|l| l <= day),
    }
}
