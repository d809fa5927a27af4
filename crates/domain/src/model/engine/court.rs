//! The Court side, one module per concept: situations and persons ([`persons`], DOMAIN.md
//! §7.2), warrants ([`warrants`], §7.1) and custody ([`custody`], §7.1, §7.2), non-compliance
//! proceedings ([`proceedings`]) and their decisions and referrals ([`decisions`], §7.3),
//! procedural requests ([`requests`]) and appeals ([`appeals`], §7.4). This module re-exports
//! the handlers [`super::apply`] dispatches to and derives the state that depends on all of
//! them ([`finish`]).

mod appeals;
mod custody;
mod decisions;
mod persons;
mod proceedings;
mod requests;
mod warrants;

pub(super) use appeals::{appeal_filed, appeal_judgment};
pub(super) use custody::{
    custodial_proceedings, domestic_custody, initial_appearance, person_arrested, person_released,
    person_surrendered, proceedings_terminated,
};
pub(super) use decisions::{decision_issued, referral_decision, referral_transmitted};
pub(super) use persons::{
    person_alias_recorded, person_death_recorded, person_mut, person_registered,
    situation_registered, unsc_briefing, unsc_referral_recorded,
};
pub(super) use proceedings::{
    chamber_reassigned, court_informed_asp, non_compliance_request, observations_invited,
    observations_submitted, prior_proceeding, proceeding_closed, proceeding_opened,
};
pub(super) use requests::{request_decided, request_filed};
pub(super) use warrants::{
    cooperation_request, court_reminder, issue_at, prior_warrant, warrant_amended, warrant_issued,
    warrant_issued_under_seal, warrant_requested, warrant_unsealed, warrant_withdrawn,
};

use crate::model::Model;
use crate::model::types::*;
use proceedings::eligible;

/// Person status (§7.2) and the proceedings' eligible targets.
pub(super) fn finish(m: &mut Model) {
    let mut statuses = Vec::new();
    for p in m.persons.values() {
        let ws: Vec<&Warrant> = m
            .warrants
            .values()
            .filter(|w| w.person.as_ref() == Some(&p.id) || p.warrants.contains(&w.id))
            .collect();
        let custody = ws.iter().find_map(|w| match w.execution {
            Execution::InStateCustody { state } => Some(state),
            _ => None,
        });
        let status = if p.died.is_some() {
            PersonStatus::Deceased
        } else if ws.iter().any(|w| w.execution == Execution::Surrendered) {
            PersonStatus::InIccCustody
        } else if let Some(state) = custody {
            PersonStatus::InStateCustodyPendingSurrender { state }
        } else if let Some((state, _)) = &p.domestic_custody {
            PersonStatus::InDomesticCustody { state: *state }
        } else if ws.iter().any(|w| w.execution == Execution::Outstanding) {
            PersonStatus::AtLarge
        } else {
            PersonStatus::NoActiveProceedings
        };
        statuses.push((p.id.clone(), status));
    }
    for (id, status) in statuses {
        if let Some(p) = m.persons.get_mut(&id) {
            p.status = status;
        }
    }
    let targets: Vec<_> = m
        .proceedings
        .values()
        .map(|p| {
            (
                p.id.clone(),
                eligible(m, p.legal_basis, p.situation.as_ref()),
            )
        })
        .collect();
    for (id, t) in targets {
        if let Some(p) = m.proceedings.get_mut(&id) {
            p.eligible_targets = t;
        }
    }
}
