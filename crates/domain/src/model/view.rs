//! Resolving a view (steps 2 to 4 of [`History::view`]): the review entries' approval
//! state, then every fact replayed through the state machines, then what depends on them all.

use std::collections::{BTreeMap, BTreeSet};

use acta_core::json::{Profile, parse, to_canonical};
use chrono::NaiveDate;

use crate::event::Event;
use crate::source::{AnomalyCode, EntryRef, FieldPath};

use super::{
    AppliedCorrection, Fact, FactStatus, Flag, History, Item, Model, Review, ReviewState,
    UnknownEntry, ViewOptions, Violation, engine,
};

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
pub(super) fn replay_fact(
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
