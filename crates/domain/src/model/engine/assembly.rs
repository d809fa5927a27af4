//! The Assembly side (DOMAIN.md §7.5, §7.7): prevention episodes and visits, letters of the
//! President, Assembly matters under the formal procedure, Bureau meetings, the focal-point
//! roster. One module per concept: episodes, visits and letters ([`episodes`]), the Bureau,
//! Assembly matters and the plenary ([`bureau`]), the roster ([`roster`]); this one derives
//! the state that depends on them all ([`finish`]).

mod bureau;
mod episodes;
mod roster;

pub(super) use bureau::{
    bureau_meeting, bureau_took_note, considered_referral, emergency_meeting, mandate_allocated,
    matter_opened, plenary_held, plenary_scheduled, resolution_adopted,
};
pub(super) use episodes::{
    communication_issued, focal_points_activated, letter_published, letter_sent, state_reply,
    travel_information, visit_recorded,
};
pub(super) use roster::{
    focal_point_appointed, focal_point_confirmed, president_term, prior_focal_point,
};

use super::{push_new, state_mut};
use crate::date::{DateOrder, LegalDate};
use crate::event::*;
use crate::ids::PersonId;
use crate::model::types::StepKind;
use crate::model::{Model, Warning};
use crate::source::AnomalyCode as C;
use crate::state::StateCode;
use crate::vocab::VisitOutcome;

// ---------------------------------------------------------------------------------------------
// Derived state
// ---------------------------------------------------------------------------------------------

/// Whether the person was arrested in `state` during `period` (any warrant).
fn arrested_during(m: &Model, person: &PersonId, state: StateCode, period: &LegalDate) -> bool {
    m.warrants
        .values()
        .filter(|w| w.person.as_ref() == Some(person))
        .flat_map(|w| w.history.iter().filter(|s| s.what == StepKind::Arrested))
        .any(|s| {
            let in_state = m
                .fact(s.at.seq)
                .is_some_and(|f| matches!(&f.event, Event::PersonArrested(a) if a.state == state));
            let during =
                s.on.as_ref()
                    .is_none_or(|on| on.compare(period) == DateOrder::Indeterminate);
            in_state && during
        })
}

/// Episode outcomes and links, the States' episodes, roster warnings.
pub(super) fn finish(m: &mut Model) {
    let mut updates = Vec::new();
    for ep in m.episodes.values() {
        let outcome = match (&ep.visit_period, &ep.person, ep.outcome) {
            (_, _, Some(o)) => Some(o),
            (Some(period), Some(person), None) => {
                Some(if arrested_during(m, person, ep.state, period) {
                    VisitOutcome::Arrested
                } else {
                    VisitOutcome::NotArrested
                })
            }
            _ => None,
        };
        // A non-compliance proceeding about the same person and State, not opened before it.
        let proceeding = ep.person.as_ref().and_then(|person| {
            m.proceedings
                .values()
                .find(|p| {
                    p.person.as_ref() == Some(person)
                        && p.state == ep.state
                        && match (&p.opened, &ep.visit_period) {
                            (Some(o), Some(v)) => o.compare(v) != DateOrder::Before,
                            _ => true,
                        }
                })
                .map(|p| p.id.clone())
        });
        updates.push((ep.id.clone(), ep.state, outcome, proceeding));
    }
    for (id, state, outcome, proceeding) in updates {
        if let Some(ep) = m.episodes.get_mut(&id) {
            ep.outcome = outcome;
            ep.proceeding = proceeding;
        }
        push_new(&mut state_mut(m, state).episodes, id);
    }
    let warnings = roster_warnings(m);
    m.warnings.extend(warnings);
}

/// `W_ROSTER_SIZE`: fewer than 4 or more than 5 focal-point States, or two from one region.
/// Reads the roster only (and [`finish`] changes nothing of it before).
pub(in crate::model) fn roster_warnings(m: &Model) -> Vec<Warning> {
    let members = &m.roster.members;
    let Some(last) = members
        .values()
        .flat_map(|f| std::iter::once(f.at).chain(f.confirmed.iter().map(|s| s.at)))
        .max_by_key(|at| at.seq)
    else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let n = members.len();
    if !(4..=5).contains(&n) {
        problems.push(format!(
            "{n} focal-point States ({}); the procedures provide for 4, or 5 at the President's request",
            members.keys().map(StateCode::as_str).collect::<Vec<_>>().join(", ")
        ));
    }
    let mut seen: std::collections::BTreeMap<crate::vocab::RegionGroup, StateCode> =
        std::collections::BTreeMap::new();
    for f in members.values() {
        if let Some(r) = f.region {
            if let Some(other) = seen.get(&r) {
                problems.push(format!(
                    "{other} and {} are both from the {r} group",
                    f.state
                ));
            } else {
                seen.insert(r, f.state);
            }
        }
    }
    problems
        .into_iter()
        .map(|p| Warning {
            code: C::RosterSize,
            at: last,
            conflicting: None,
            message: format!("focal-point roster: {p} ({})", C::RosterSize),
        })
        .collect()
}
