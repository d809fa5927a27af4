//! Checking an event before it is appended: [`History::check_append`] and the incremental
//! [`Checker`].

use acta_core::EntryHash;
use acta_core::json::{Object, write_object};

use crate::event::Event;
use crate::source::{AnomalyCode, EntryRef};

use super::view::replay_fact;
use super::{History, Item, Model, ViewOptions, Violation, Warning, engine};

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
