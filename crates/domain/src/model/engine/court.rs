//! The Court side: situations, persons, warrants and custody (DOMAIN.md §7.1, §7.2),
//! non-compliance proceedings (§7.3), procedural requests and appeals (§7.4).

use super::{Ctx, Res, date_text, decision_by_doc, push_new, state_mut};
use crate::date::LegalDate;
use crate::event::*;
use crate::ids::{AspMatterId, PersonId, ProceedingId, SituationId, WarrantId};
use crate::model::Model;
use crate::model::types::*;
use crate::source::{AnomalyCode as C, EntryRef};
use crate::vocab::{
    AspMatterTrigger, CourtReferralTrigger, DomesticCustodyPhase, Finding, LegalBasis, OnFinding,
    OnReferral, Referral, ReferralTarget, RequestKind, RequestOutcome, TerminationReason,
    TransmissionTarget, Visibility,
};

// ---------------------------------------------------------------------------------------------
// Situations and persons
// ---------------------------------------------------------------------------------------------

fn situation_mut<'m>(model: &'m mut Model, id: &SituationId) -> &'m mut Situation {
    model.situations.entry(*id).or_insert_with(|| Situation {
        id: *id,
        name: None,
        referral: None,
        unsc_resolution: None,
        unsc_bound_states: Vec::new(),
        at: Vec::new(),
    })
}

pub(super) fn person_mut<'m>(model: &'m mut Model, id: &PersonId) -> &'m mut Person {
    model.persons.entry(id.clone()).or_insert_with(|| Person {
        id: id.clone(),
        name: None,
        aliases: Vec::new(),
        nationality: None,
        status: PersonStatus::NoActiveProceedings,
        warrants: Vec::new(),
        visits: Vec::new(),
        releases: Vec::new(),
        died: None,
        died_at: None,
        domestic_custody: None,
        at: Vec::new(),
    })
}

pub(super) fn situation_registered(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &SituationRegistered,
) -> Res {
    let s = situation_mut(m, &e.situation);
    s.name = Some(e.name.clone());
    if e.referral.is_some() {
        s.referral = e.referral;
    }
    if e.unsc_resolution.is_some() {
        s.unsc_resolution = e.unsc_resolution.clone();
    }
    s.at.push(cx.at());
    Ok(())
}

pub(super) fn unsc_referral_recorded(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &UnscReferralRecorded,
) -> Res {
    if !m.situations.contains_key(&e.situation) {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!(
                "of situation {}: the situation is not registered",
                e.situation
            ),
        );
    }
    let at = cx.at();
    let s = situation_mut(m, &e.situation);
    s.unsc_resolution = Some(e.resolution.clone());
    super::extend_new(&mut s.unsc_bound_states, &e.bound_states);
    s.at.push(at);
    for st in &e.bound_states {
        state_mut(m, *st)
            .unsc_obligations
            .push((e.resolution.clone(), e.situation, at));
    }
    Ok(())
}

pub(super) fn person_registered(m: &mut Model, cx: &mut Ctx<'_>, e: &PersonRegistered) -> Res {
    let at = cx.at();
    let p = person_mut(m, &e.person);
    p.name = Some(e.primary_name.clone());
    super::extend_new(&mut p.aliases, &e.aliases);
    if e.nationality.is_some() {
        p.nationality = e.nationality;
    }
    p.at.push(at);
    Ok(())
}

fn known_person(m: &Model, cx: &Ctx<'_>, id: &PersonId) -> Res {
    if m.persons.contains_key(id) {
        Ok(())
    } else {
        cx.fail(
            C::PersonNotFound,
            None,
            format!(
                "of person {id}: the person is not registered and no warrant or visit names them"
            ),
        )
    }
}

pub(super) fn person_alias_recorded(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &PersonAliasRecorded,
) -> Res {
    known_person(m, cx, &e.person)?;
    let at = cx.at();
    let p = person_mut(m, &e.person);
    push_new(&mut p.aliases, e.alias.clone());
    p.at.push(at);
    Ok(())
}

/// The steps of the warrants' execution (as opposed to amendments, unsealing, …).
const EXECUTION_STEPS: &[&str] = &[
    "issued",
    "issued_under_seal",
    "asserted_outstanding",
    "arrested",
    "released_without_surrender",
    "surrendered",
    "withdrawn",
    "subject_deceased",
];

fn last_step<'w>(w: &'w Warrant, whats: &[&str]) -> Option<&'w Step> {
    w.history
        .iter()
        .rev()
        .find(|s| whats.contains(&s.what.as_str()))
}

pub(super) fn person_death_recorded(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &PersonDeathRecorded,
) -> Res {
    known_person(m, cx, &e.person)?;
    let subject = format!("of person {}", e.person);
    // No arrest or visit definitely after the death.
    for w in m.warrants.values() {
        if w.person.as_ref() != Some(&e.person) {
            continue;
        }
        for s in w.history.iter().filter(|s| s.what == "arrested") {
            if let Some(on) = &s.on
                && e.occurred.compare(on) == crate::date::DateOrder::Before
            {
                return cx.fail(
                    C::PersonDeceased,
                    Some(s.at),
                    format!(
                        "{subject}: died on {}, but was arrested on {on} under warrant {}",
                        e.occurred, w.id
                    ),
                );
            }
        }
    }
    for v in m.visits.values().filter(|v| v.person == e.person) {
        if e.occurred.compare(&v.period) == crate::date::DateOrder::Before {
            return cx.fail(
                C::PersonDeceased,
                Some(v.at),
                format!(
                    "{subject}: died on {}, but visited {} on {} (visit {})",
                    e.occurred, v.state, v.period, v.id
                ),
            );
        }
    }
    let at = cx.at();
    let step = cx.step("subject_deceased");
    for w in m.warrants.values_mut() {
        if w.person.as_ref() == Some(&e.person)
            && matches!(
                w.execution,
                Execution::Outstanding | Execution::InStateCustody { .. }
            )
        {
            w.execution = Execution::SubjectDeceased;
            w.history.push(step.clone());
        }
    }
    let p = person_mut(m, &e.person);
    p.died = Some(e.occurred);
    p.died_at = Some(at);
    p.at.push(at);
    Ok(())
}

/// `E_PERSON_DECEASED` if the person's death is definitely before this fact.
fn alive(m: &Model, cx: &Ctx<'_>, person: &PersonId, subject: &str) -> Res {
    let Some(p) = m.persons.get(person) else {
        return Ok(());
    };
    if let (Some(died), Some(on)) = (&p.died, cx.on())
        && died.compare(&on) == crate::date::DateOrder::Before
    {
        return cx.fail(
            C::PersonDeceased,
            p.died_at,
            format!("{subject}: dated {on}, but {person} died on {died}"),
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Warrants and custody (§7.1)
// ---------------------------------------------------------------------------------------------

fn warrant<'m>(m: &'m Model, cx: &Ctx<'_>, id: &WarrantId) -> Res<&'m Warrant> {
    match m.warrants.get(id) {
        Some(w) => Ok(w),
        None => cx.fail(
            C::WarrantNotFound,
            None,
            format!("on warrant {id}: no warrant {id} is recorded"),
        ),
    }
}

/// The entry that created the warrant (its issue: an issue superseding an opening balance is
/// the first step of the history).
pub(super) fn issue_at(w: &Warrant) -> EntryRef {
    w.history.first().map_or(
        EntryRef {
            seq: 0,
            hash: acta_core::EntryHash([0; 32]),
        },
        |s| s.at,
    )
}

/// The warrant, if it names `person` (or names nobody yet: a warrant under seal).
fn for_person(cx: &Ctx<'_>, w: &Warrant, person: &PersonId, subject: &str) -> Res {
    match &w.person {
        Some(p) if p != person => cx.fail(
            C::WarrantNotFound,
            Some(issue_at(w)),
            format!("{subject}: the warrant is for {p}, not {person}"),
        ),
        _ => Ok(()),
    }
}

/// `E_WARRANT_TERMINAL` for a surrendered or withdrawn warrant; `E_PERSON_DECEASED` for a
/// warrant whose subject died.
fn executable(cx: &Ctx<'_>, w: &Warrant, subject: &str) -> Res {
    match w.execution {
        Execution::Surrendered => {
            let s = last_step(w, &["surrendered"]);
            cx.fail(
                C::WarrantTerminal,
                s.map(|s| s.at),
                format!(
                    "{subject}: the person was surrendered to the Court on {}",
                    date_text(s.and_then(|s| s.on.as_ref()))
                ),
            )
        }
        Execution::Withdrawn => {
            let s = last_step(w, &["withdrawn"]);
            cx.fail(
                C::WarrantTerminal,
                s.map(|s| s.at),
                format!(
                    "{subject}: the warrant was withdrawn on {}",
                    date_text(s.and_then(|s| s.on.as_ref()))
                ),
            )
        }
        Execution::SubjectDeceased => {
            let s = last_step(w, &["subject_deceased"]);
            cx.fail(
                C::PersonDeceased,
                s.map(|s| s.at),
                format!(
                    "{subject}: the person's death (on {}) is recorded",
                    date_text(s.and_then(|s| s.on.as_ref()))
                ),
            )
        }
        _ => Ok(()),
    }
}

/// The fact is not before the warrant's last execution step.
fn after_last_execution(cx: &mut Ctx<'_>, w: &Warrant, subject: &str) -> Res {
    if let Some(s) = last_step(w, EXECUTION_STEPS) {
        let what = match s.what.as_str() {
            "issued" | "issued_under_seal" => "the issue of the warrant".to_owned(),
            "asserted_outstanding" => "the date the warrant was asserted outstanding".to_owned(),
            other => format!("the last step of the warrant ({})", other.replace('_', " ")),
        };
        let (on, at) = (s.on, s.at);
        cx.not_before(on.as_ref(), at, subject, &what)?;
    }
    Ok(())
}

fn new_warrant(id: &WarrantId, step: Step) -> Warrant {
    Warrant {
        id: id.clone(),
        person: None,
        situation: None,
        chamber: None,
        doc_ref: None,
        issued: step.on,
        asserted_only: false,
        execution: Execution::Outstanding,
        visibility: Visibility::Public,
        seal: None,
        history: vec![step],
    }
}

fn not_existing(m: &Model, cx: &Ctx<'_>, id: &WarrantId) -> Res {
    if let Some(w) = m.warrants.get(id) {
        return cx.fail(
            C::WarrantExists,
            Some(issue_at(w)),
            format!(
                "on warrant {id}: a warrant with this id was already recorded (issued {})",
                date_text(w.issued.as_ref())
            ),
        );
    }
    Ok(())
}

fn link_person(m: &mut Model, person: &PersonId, warrant: &WarrantId, at: EntryRef) {
    let p = person_mut(m, person);
    push_new(&mut p.warrants, warrant.clone());
    p.at.push(at);
}

pub(super) fn warrant_requested(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ArrestWarrantRequested,
) -> Res {
    if !m.persons.contains_key(&e.person) {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!("for person {}: the person is not registered", e.person),
        );
    }
    Ok(())
}

/// The first step of every history, dated: the fact (an issue or an opening, superseding the
/// opening balance that created the record) must not be definitely after any step recorded
/// since, which all presuppose it.
fn before_steps(cx: &Ctx<'_>, history: &[Step], subject: &str, what: &str) -> Res {
    let Some(on) = cx.on() else {
        return Ok(());
    };
    for s in history {
        if let Some(d) = &s.on
            && on.compare(d) == crate::date::DateOrder::After
        {
            return cx.fail(
                C::DateOrder,
                Some(s.at),
                format!(
                    "{subject}: {what} on {on}, after the {} recorded for {d}",
                    s.what.replace('_', " ")
                ),
            );
        }
    }
    Ok(())
}

/// The warrant `id`, if the fact supersedes (`supersedes_prior`) the opening balance that
/// created it and the warrant is still known only from that assertion.
fn asserted_warrant<'m>(m: &'m Model, cx: &Ctx<'_>, id: &WarrantId) -> Option<&'m Warrant> {
    let prior = cx.fact.event.envelope().supersedes_prior?;
    m.warrants.get(id).filter(|w| {
        w.asserted_only
            && w.history
                .first()
                .is_some_and(|s| s.what == "asserted_outstanding" && s.at == *prior)
    })
}

/// `arrest_warrant_issued` superseding the opening balance that asserted the warrant: the
/// assertion stays applied (what was recorded since presupposes it) and the issue fills in
/// what it did not know, keeping the execution state and the history.
fn upgrade_asserted_warrant(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ArrestWarrantIssued,
    w: &Warrant,
    subject: &str,
) -> Res {
    if let Some(p) = &w.person
        && *p != e.person
    {
        return cx.fail(
            C::WarrantExists,
            Some(issue_at(w)),
            format!(
                "{subject}: the opening balance it supersedes asserts the warrant for {p}, not {}",
                e.person
            ),
        );
    }
    alive(m, cx, &e.person, subject)?;
    before_steps(cx, &w.history, subject, "issued")?;
    let step = cx.step("issued");
    let at = cx.at();
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.issued = Some(e.occurred);
        w.situation = Some(e.situation);
        w.chamber = Some(e.chamber);
        if e.doc_ref.is_some() {
            w.doc_ref = e.doc_ref.clone();
        }
        w.visibility = e.visibility;
        w.asserted_only = false;
        w.history.insert(0, step);
    }
    link_person(m, &e.person, &e.warrant_id, at);
    Ok(())
}

pub(super) fn warrant_issued(m: &mut Model, cx: &mut Ctx<'_>, e: &ArrestWarrantIssued) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    if let Some(w) = asserted_warrant(m, cx, &e.warrant_id) {
        let w = w.clone();
        return upgrade_asserted_warrant(m, cx, e, &w, &subject);
    }
    not_existing(m, cx, &e.warrant_id)?;
    alive(m, cx, &e.person, &subject)?;
    if !m.persons.contains_key(&e.person) {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!("{subject}: person {} is not registered", e.person),
        );
    }
    let mut w = new_warrant(&e.warrant_id, cx.step("issued"));
    w.person = Some(e.person.clone());
    w.situation = Some(e.situation);
    w.chamber = Some(e.chamber);
    w.doc_ref = e.doc_ref.clone();
    w.visibility = e.visibility;
    m.warrants.insert(e.warrant_id.clone(), w);
    link_person(m, &e.person, &e.warrant_id, cx.at());
    Ok(())
}

pub(super) fn warrant_issued_under_seal(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ArrestWarrantIssuedUnderSeal,
) -> Res {
    not_existing(m, cx, &e.warrant_id)?;
    let mut w = new_warrant(&e.warrant_id, cx.step("issued_under_seal"));
    w.situation = e.situation;
    w.visibility = Visibility::Sealed;
    w.seal = Some(Seal {
        commitment: e.commitment,
        revealed: false,
    });
    m.warrants.insert(e.warrant_id.clone(), w);
    Ok(())
}

pub(super) fn prior_warrant(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    p: &PriorWarrant,
    _as_of: &LegalDate,
) -> Res {
    not_existing(m, cx, &p.warrant_id)?;
    // Issued on some day up to `issued_before`: a step under the warrant dated before the
    // assertion (or before `issued_before`) is not out of order.
    let issued = match p.issued_before.latest() {
        Some(l) => LegalDate::Bounded {
            not_before: None,
            not_after: Some(l),
        },
        None => LegalDate::Unknown,
    };
    let mut step = cx.step("asserted_outstanding");
    step.on = Some(issued);
    let mut w = new_warrant(&p.warrant_id, step);
    w.person = Some(p.person.clone());
    w.situation = Some(p.situation);
    w.chamber = p.chamber;
    w.doc_ref = p.doc_ref.clone();
    w.issued = Some(issued);
    w.asserted_only = true;
    m.warrants.insert(p.warrant_id.clone(), w);
    link_person(m, &p.person, &p.warrant_id, cx.at());
    Ok(())
}

pub(super) fn warrant_amended(m: &mut Model, cx: &mut Ctx<'_>, e: &ArrestWarrantAmended) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    if w.execution == Execution::Withdrawn {
        executable(cx, w, &subject)?;
    }
    let (issued, at) = (w.issued, issue_at(w));
    cx.not_before(issued.as_ref(), at, &subject, "the issue of the warrant")?;
    let step = cx.step("amended");
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.history.push(step);
    }
    Ok(())
}

pub(super) fn warrant_unsealed(m: &mut Model, cx: &mut Ctx<'_>, e: &ArrestWarrantUnsealed) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    let (issued, first) = (w.issued, issue_at(w));
    cx.not_before(issued.as_ref(), first, &subject, "the issue of the warrant")?;
    let mut reveal = None;
    match (&w.seal, &e.revealed) {
        (Some(seal), None) if !seal.revealed => {
            return cx.fail(
                C::SealMismatch,
                Some(first),
                format!(
                    "{subject}: the warrant was recorded under seal (commitment {}), and the unsealing reveals no content",
                    seal.commitment
                ),
            );
        }
        (Some(seal), Some(r)) => {
            if let Err(err) = crate::seal::check_reveal(&seal.commitment, r) {
                return cx.fail(C::SealMismatch, Some(first), format!("{subject}: {err}"));
            }
            if let Some(s) = &w.situation
                && *s != r.content.situation
            {
                return cx.fail(
                    C::SealMismatch,
                    Some(first),
                    format!(
                        "{subject}: the revealed situation {} is not the disclosed situation {s}",
                        r.content.situation
                    ),
                );
            }
            reveal = Some(r.content.clone());
        }
        (None, Some(_)) => {
            return cx.fail(
                C::SealMismatch,
                Some(first),
                format!(
                    "{subject}: the warrant was not recorded under seal, so there is no commitment for the revealed content to open"
                ),
            );
        }
        _ => {}
    }
    if e.new_visibility < w.visibility {
        let last = last_step(w, &["unsealed"]).map_or(first, |s| s.at);
        let current = w.visibility;
        cx.warn(
            C::Reclassified,
            Some(last),
            format!(
                "{subject}: visibility decreases from {current} to {}",
                e.new_visibility
            ),
        );
    }
    let step = cx.step("unsealed");
    let at = cx.at();
    let mut person = None;
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.visibility = e.new_visibility;
        w.history.push(step);
        if let Some(c) = reveal {
            w.person = Some(c.person.clone());
            w.situation = Some(c.situation);
            w.chamber = Some(c.chamber);
            if c.doc_ref.is_some() {
                w.doc_ref = c.doc_ref.clone();
            }
            if let Some(s) = &mut w.seal {
                s.revealed = true;
            }
            person = Some(c.person);
        }
    }
    if let Some(p) = person {
        link_person(m, &p, &e.warrant_id, at);
    }
    Ok(())
}

pub(super) fn warrant_withdrawn(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ArrestWarrantWithdrawn,
) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    if matches!(w.execution, Execution::Surrendered | Execution::Withdrawn) {
        executable(cx, w, &subject)?;
    }
    let (issued, at) = (w.issued, issue_at(w));
    cx.not_before(issued.as_ref(), at, &subject, "the issue of the warrant")?;
    let step = cx.step("withdrawn");
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.execution = Execution::Withdrawn;
        w.history.push(step);
    }
    Ok(())
}

pub(super) fn cooperation_request(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &CooperationRequestTransmitted,
) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    let (issued, at) = (w.issued, issue_at(w));
    cx.not_before(issued.as_ref(), at, &subject, "the issue of the warrant")?;
    let step = cx.step("cooperation_request_transmitted");
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.history.push(step);
    }
    Ok(())
}

pub(super) fn court_reminder(m: &mut Model, cx: &mut Ctx<'_>, e: &CourtReminderIssued) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    match m.warrants.get(&e.warrant_id) {
        None => {
            cx.warn(
                C::PredecessorUnrecorded,
                None,
                format!("{subject}: no warrant {} is recorded", e.warrant_id),
            );
            Ok(())
        }
        Some(w) => {
            if w.execution != Execution::Outstanding {
                let last = last_step(w, EXECUTION_STEPS).map(|s| s.at);
                cx.warn(
                    C::PredecessorUnrecorded,
                    last,
                    format!("{subject}: the warrant is not outstanding"),
                );
            }
            let step = cx.step("court_reminder");
            if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
                w.history.push(step);
            }
            Ok(())
        }
    }
}

pub(super) fn person_arrested(m: &mut Model, cx: &mut Ctx<'_>, e: &PersonArrested) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    for_person(cx, w, &e.person, &subject)?;
    executable(cx, w, &subject)?;
    if let Execution::InStateCustody { state } = w.execution {
        let s = last_step(w, &["arrested"]);
        return cx.fail(
            C::WarrantNotOutstanding,
            s.map(|s| s.at),
            format!(
                "{subject}: the warrant is not outstanding: {} has held the person under it since {}",
                state,
                date_text(s.and_then(|s| s.on.as_ref()))
            ),
        );
    }
    alive(m, cx, &e.person, &subject)?;
    after_last_execution(cx, w, &subject)?;
    let step = cx.step("arrested");
    let at = cx.at();
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.execution = Execution::InStateCustody { state: e.state };
        w.history.push(step);
        // A warrant under seal learns its subject from the arrest.
        if w.person.is_none() {
            w.person = Some(e.person.clone());
        }
    }
    link_person(m, &e.person, &e.warrant_id, at);
    Ok(())
}

/// `E_NOT_IN_CUSTODY_OF_STATE` unless `state` holds the person under the warrant.
fn held_by(cx: &Ctx<'_>, w: &Warrant, state: crate::state::StateCode, subject: &str) -> Res {
    match w.execution {
        Execution::InStateCustody { state: s } if s == state => Ok(()),
        Execution::InStateCustody { state: s } => {
            let a = last_step(w, &["arrested"]);
            cx.fail(
                C::NotInCustodyOfState,
                a.map(|a| a.at),
                format!(
                    "{subject}: {s} holds the person (arrested on {}), not {state}",
                    date_text(a.and_then(|a| a.on.as_ref()))
                ),
            )
        }
        _ => {
            let a = last_step(w, EXECUTION_STEPS);
            cx.fail(
                C::NotInCustodyOfState,
                a.map(|a| a.at),
                format!(
                    "{subject}: no State holds the person under the warrant (last step: {} on {})",
                    a.map_or("none", |a| a.what.as_str()),
                    date_text(a.and_then(|a| a.on.as_ref()))
                ),
            )
        }
    }
}

pub(super) fn custodial_proceedings(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &CustodialProceedingsRecorded,
) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    executable(cx, w, &subject)?;
    held_by(cx, w, e.state, &subject)?;
    after_last_execution(cx, w, &subject)?;
    let step = cx.step(match e.phase {
        crate::vocab::CustodialPhase::Opened => "custodial_proceedings_opened",
        crate::vocab::CustodialPhase::Completed => "custodial_proceedings_completed",
    });
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.history.push(step);
    }
    Ok(())
}

pub(super) fn person_released(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &PersonReleasedWithoutSurrender,
) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    for_person(cx, w, &e.person, &subject)?;
    executable(cx, w, &subject)?;
    held_by(cx, w, e.state, &subject)?;
    after_last_execution(cx, w, &subject)?;
    let step = cx.step("released_without_surrender");
    let at = cx.at();
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.execution = Execution::Outstanding;
        w.history.push(step);
    }
    let release = Release {
        warrant: e.warrant_id.clone(),
        state: e.state,
        on: e.occurred,
        expelled_to: e.expelled_to,
        at,
    };
    state_mut(m, e.state).releases.push(release.clone());
    let p = person_mut(m, &e.person);
    p.releases.push(release);
    p.at.push(at);
    Ok(())
}

pub(super) fn person_surrendered(m: &mut Model, cx: &mut Ctx<'_>, e: &PersonSurrendered) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    for_person(cx, w, &e.person, &subject)?;
    executable(cx, w, &subject)?;
    let voluntary = e.voluntary == Some(true);
    match (w.execution, voluntary) {
        (Execution::Outstanding, true) => {}
        // In the custody of the surrendering State (DOMAIN.md §6.2: in custody of from_state,
        // or voluntary with the warrant outstanding): voluntary or not, it may surrender.
        (Execution::InStateCustody { state }, true) if state == e.state => {}
        (Execution::InStateCustody { state }, true) => {
            let a = last_step(w, &["arrested"]);
            return cx.fail(
                C::WarrantNotOutstanding,
                a.map(|a| a.at),
                format!(
                    "{subject}: a voluntary surrender needs an outstanding warrant, and {state} holds the person since {}",
                    date_text(a.and_then(|a| a.on.as_ref()))
                ),
            );
        }
        _ => held_by(cx, w, e.state, &subject)?,
    }
    after_last_execution(cx, w, &subject)?;
    let step = cx.step("surrendered");
    let at = cx.at();
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.execution = Execution::Surrendered;
        w.history.push(step);
        if w.person.is_none() {
            w.person = Some(e.person.clone());
        }
    }
    link_person(m, &e.person, &e.warrant_id, at);
    Ok(())
}

pub(super) fn domestic_custody(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &DomesticCustodyRecorded,
) -> Res {
    known_person(m, cx, &e.person)?;
    let subject = format!("of person {}", e.person);
    let current = m
        .persons
        .get(&e.person)
        .and_then(|p| p.domestic_custody.clone());
    match (e.phase, &current) {
        (DomesticCustodyPhase::Ended, Some((s, step))) if *s != e.state => {
            return cx.fail(
                C::NotInCustodyOfState,
                Some(step.at),
                format!(
                    "{subject}: held on domestic grounds by {s}, not {}",
                    e.state
                ),
            );
        }
        (DomesticCustodyPhase::Ended, Some((_, step))) => {
            let (on, at) = (step.on, step.at);
            cx.not_before(on.as_ref(), at, &subject, "the start of the custody")?;
        }
        (DomesticCustodyPhase::Ended, None) => {
            return cx.fail(
                C::NotInCustodyOfState,
                None,
                format!("{subject}: no domestic custody by {} is recorded", e.state),
            );
        }
        (DomesticCustodyPhase::Started, _) => {
            alive(m, cx, &e.person, &subject)?;
        }
    }
    let step = cx.step("domestic_custody");
    let at = cx.at();
    let p = person_mut(m, &e.person);
    p.domestic_custody = match e.phase {
        DomesticCustodyPhase::Started => Some((e.state, step)),
        DomesticCustodyPhase::Ended => None,
    };
    p.at.push(at);
    Ok(())
}

pub(super) fn initial_appearance(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &InitialAppearanceHeld,
) -> Res {
    known_person(m, cx, &e.person)?;
    let surrendered = m
        .warrants
        .values()
        .any(|w| w.person.as_ref() == Some(&e.person) && w.execution == Execution::Surrendered);
    if !surrendered {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!(
                "of person {}: no surrender of the person is recorded",
                e.person
            ),
        );
    }
    let at = cx.at();
    person_mut(m, &e.person).at.push(at);
    Ok(())
}

pub(super) fn proceedings_terminated(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ProceedingsTerminated,
) -> Res {
    let Some(person) = &e.person else {
        return Ok(());
    };
    let subject = format!("against person {person}");
    if e.reason == TerminationReason::Death
        && m.persons.get(person).is_none_or(|p| p.died.is_none())
    {
        return cx.fail(
            C::DeathNotRecorded,
            None,
            format!("{subject}: terminated on the person's death, which is not recorded"),
        );
    }
    let step = cx.step("withdrawn");
    let at = cx.at();
    for w in m.warrants.values_mut() {
        if w.person.as_ref() == Some(person) && w.execution == Execution::SubjectDeceased {
            w.execution = Execution::Withdrawn;
            w.history.push(step.clone());
        }
    }
    if let Some(p) = m.persons.get_mut(person) {
        p.at.push(at);
    }
    Ok(())
}

pub(super) fn unsc_briefing(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ProsecutorUnscBriefingDelivered,
) -> Res {
    if !m
        .situations
        .values()
        .any(|s| s.unsc_resolution.as_ref() == Some(&e.resolution))
    {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!(
                "under {}: no Security Council referral by this resolution is recorded",
                e.resolution
            ),
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Non-compliance proceedings (§7.3)
// ---------------------------------------------------------------------------------------------

/// The bodies a referral in this proceeding may go to.
pub(super) fn eligible(
    m: &Model,
    basis: Option<LegalBasis>,
    situation: Option<&SituationId>,
) -> Vec<TransmissionTarget> {
    if basis == Some(LegalBasis::UnscObligation) {
        return vec![TransmissionTarget::Unsc];
    }
    let mut v = vec![TransmissionTarget::Asp];
    if situation
        .and_then(|s| m.situations.get(s))
        .is_some_and(Situation::referred_by_unsc)
    {
        v.push(TransmissionTarget::Unsc);
    }
    v
}

fn targets(r: &Referral) -> Vec<TransmissionTarget> {
    match r {
        Referral::Referred(ReferralTarget::Asp) => vec![TransmissionTarget::Asp],
        Referral::Referred(ReferralTarget::Unsc) => vec![TransmissionTarget::Unsc],
        Referral::Referred(ReferralTarget::AspAndUnsc) => {
            vec![TransmissionTarget::Asp, TransmissionTarget::Unsc]
        }
        _ => Vec::new(),
    }
}

/// `E_REFERRAL_TARGET_NOT_ALLOWED` for a target not among the eligible ones.
fn targets_allowed(
    m: &Model,
    cx: &Ctx<'_>,
    wanted: &[TransmissionTarget],
    basis: Option<LegalBasis>,
    situation: Option<&SituationId>,
    subject: &str,
) -> Res {
    let ok = eligible(m, basis, situation);
    for t in wanted {
        if ok.contains(t) {
            continue;
        }
        let sit = situation.and_then(|s| m.situations.get(s));
        let why = match (t, sit, situation) {
            (TransmissionTarget::Unsc, Some(s), _) => format!(
                "situation {} was not referred by the Security Council (registered as {})",
                s.id,
                s.referral.map_or("of unknown origin", |r| r.as_str())
            ),
            (TransmissionTarget::Unsc, None, Some(id)) => format!(
                "situation {id} is not registered, so no Security Council referral of it is known"
            ),
            (TransmissionTarget::Unsc, None, None) => {
                "the situation is unknown, so no Security Council referral of it is known"
                    .to_owned()
            }
            (TransmissionTarget::Asp, _, _) => {
                "a proceeding under a Security Council obligation is referred to the Council only"
                    .to_owned()
            }
        };
        return cx.fail(
            C::ReferralTargetNotAllowed,
            sit.and_then(|s| s.at.first().copied()),
            format!("{subject}: referral to {t} not allowed: {why}"),
        );
    }
    Ok(())
}

/// The proceeding, open: `E_NO_OPEN_PROCEEDING` if it was never opened or is closed.
fn open_proceeding<'m>(m: &'m Model, cx: &Ctx<'_>, id: &ProceedingId) -> Res<&'m Proceeding> {
    match m.proceedings.get(id) {
        None => cx.fail(
            C::NoOpenProceeding,
            None,
            format!("in proceeding {id}: no proceeding {id} was opened"),
        ),
        Some(p) => match &p.closed {
            Some((reason, step)) => cx.fail(
                C::NoOpenProceeding,
                Some(step.at),
                format!(
                    "in proceeding {id}: the proceeding was closed on {} ({reason})",
                    date_text(step.on.as_ref())
                ),
            ),
            None => Ok(p),
        },
    }
}

fn opening_at(p: &Proceeding) -> Option<EntryRef> {
    p.history.first().map(|s| s.at)
}

fn not_existing_proceeding(m: &Model, cx: &Ctx<'_>, id: &ProceedingId) -> Res {
    if let Some(p) = m.proceedings.get(id) {
        return cx.fail(
            C::ProceedingExists,
            opening_at(p),
            format!(
                "of proceeding {id}: a proceeding with this id was already opened (on {})",
                date_text(p.opened.as_ref())
            ),
        );
    }
    Ok(())
}

fn insert_proceeding(m: &mut Model, p: Proceeding) {
    let state = p.state;
    let id = p.id.clone();
    m.proceedings.insert(id.clone(), p);
    push_new(&mut state_mut(m, state).proceedings, id);
}

#[allow(clippy::too_many_arguments)]
fn new_proceeding(
    m: &Model,
    id: &ProceedingId,
    state: crate::state::StateCode,
    situation: &SituationId,
    chamber: Option<crate::ids::ChamberId>,
    basis: Option<LegalBasis>,
    opened: Option<LegalDate>,
    step: Step,
) -> Proceeding {
    Proceeding {
        id: id.clone(),
        state,
        situation: Some(*situation),
        chamber,
        legal_basis: basis,
        person: None,
        warrant: None,
        opened,
        opened_implicitly: false,
        stage: Stage::Opened,
        finding: None,
        referral: None,
        referral_reversed_on_appeal: false,
        eligible_targets: eligible(m, basis, Some(situation)),
        transmitted: Vec::new(),
        observations_deadline: None,
        decisions: Vec::new(),
        requests: Vec::new(),
        appeals: Vec::new(),
        closed: None,
        history: vec![step],
    }
}

pub(super) fn prior_proceeding(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    p: &PriorProceeding,
    as_of: &LegalDate,
) -> Res {
    not_existing_proceeding(m, cx, &p.proceeding_id)?;
    let opened = match as_of.latest() {
        Some(l) => LegalDate::Bounded {
            not_before: None,
            not_after: Some(l),
        },
        None => LegalDate::Unknown,
    };
    let pr = new_proceeding(
        m,
        &p.proceeding_id,
        p.state,
        &p.situation,
        p.chamber,
        Some(p.legal_basis),
        Some(opened),
        cx.step("asserted_open"),
    );
    insert_proceeding(m, pr);
    Ok(())
}

/// The date of the conduct a proceeding is about: the conduct entry's date, the visit's, or
/// (failing both) the seizure.
fn conduct_date(m: &Model, e: &NonComplianceProceedingOpened) -> LegalDate {
    if let Some(c) = &e.conduct
        && let Some(f) = m.fact(c.seq).filter(|f| f.at == *c)
        && let Some(d) = f.event.envelope().occurred
    {
        return *d;
    }
    if let Some(v) = e.visit_id.as_ref().and_then(|v| m.visits.get(v)) {
        return v.period;
    }
    e.occurred
}

/// The proceeding `id`, if the fact supersedes (`supersedes_prior`) the opening balance that
/// asserted it open and no opening has been recorded since.
fn asserted_proceeding<'m>(
    m: &'m Model,
    cx: &Ctx<'_>,
    id: &ProceedingId,
) -> Option<&'m Proceeding> {
    let prior = cx.fact.event.envelope().supersedes_prior?;
    m.proceedings.get(id).filter(|p| {
        p.history
            .first()
            .is_some_and(|s| s.what == "asserted_open" && s.at == *prior)
    })
}

pub(super) fn proceeding_opened(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &NonComplianceProceedingOpened,
) -> Res {
    // Superseding the opening balance that asserted it open: fill in its fields in place.
    let asserted = asserted_proceeding(m, cx, &e.proceeding_id).cloned();
    if let Some(p) = &asserted {
        let subject = format!("of proceeding {}", e.proceeding_id);
        if p.state != e.state {
            return cx.fail(
                C::ProceedingExists,
                opening_at(p),
                format!(
                    "{subject}: the opening balance it supersedes asserts a proceeding against {}, not {}",
                    p.state, e.state
                ),
            );
        }
        before_steps(cx, &p.history, &subject, "opened")?;
    } else {
        not_existing_proceeding(m, cx, &e.proceeding_id)?;
    }
    if e.legal_basis == LegalBasis::Art87_7 {
        let conduct = conduct_date(m, e);
        if let Some((status, at)) = super::states::definite_status(m, e.state, &conduct)
            && status == crate::vocab::StateStatus::NonParty
        {
            return cx.fail(
                C::LegalBasisStatus,
                at,
                format!(
                    "of proceeding {}: article 87(7) applies to States Parties, and {} was not a Party at the conduct date {conduct}",
                    e.proceeding_id, e.state
                ),
            );
        }
    }
    if let Some(v) = &e.visit_id
        && !m.visits.contains_key(v)
    {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!(
                "of proceeding {}: visit {v} is not recorded",
                e.proceeding_id
            ),
        );
    }
    let mut p = new_proceeding(
        m,
        &e.proceeding_id,
        e.state,
        &e.situation,
        Some(e.chamber),
        Some(e.legal_basis),
        Some(e.occurred),
        cx.step("opened"),
    );
    p.person = e.person.clone();
    p.warrant = e.warrant_id.clone();
    if p.person.is_none()
        && let Some(w) = e.warrant_id.as_ref().and_then(|w| m.warrants.get(w))
    {
        p.person = w.person.clone();
    }
    match asserted {
        Some(old) => {
            if let Some(q) = m.proceedings.get_mut(&e.proceeding_id) {
                let mut history = p.history;
                history.extend(old.history);
                *q = Proceeding {
                    history,
                    stage: old.stage,
                    finding: old.finding,
                    referral: old.referral,
                    referral_reversed_on_appeal: old.referral_reversed_on_appeal,
                    transmitted: old.transmitted,
                    observations_deadline: old.observations_deadline,
                    decisions: old.decisions,
                    requests: old.requests,
                    appeals: old.appeals,
                    closed: old.closed,
                    ..p
                };
            }
        }
        None => insert_proceeding(m, p),
    }
    Ok(())
}

pub(super) fn chamber_reassigned(m: &mut Model, cx: &mut Ctx<'_>, e: &ChamberReassigned) -> Res {
    if let Some(id) = &e.proceeding_id {
        open_proceeding(m, cx, id)?;
    }
    let step = cx.step("chamber_reassigned");
    for p in m.proceedings.values_mut() {
        let concerned = match &e.proceeding_id {
            Some(id) => p.id == *id,
            None => p.situation.as_ref() == Some(&e.situation) && p.chamber == Some(e.from),
        };
        if concerned && p.closed.is_none() {
            p.chamber = Some(e.to);
            p.history.push(step.clone());
        }
    }
    Ok(())
}

pub(super) fn observations_invited(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &StateObservationsInvited,
) -> Res {
    let subject = format!("in proceeding {}", e.proceeding_id);
    let p = open_proceeding(m, cx, &e.proceeding_id)?;
    let (opened, at) = (p.opened, opening_at(p));
    if let Some(at) = at {
        cx.not_before(opened.as_ref(), at, &subject, "the seizure of the Chamber")?;
    }
    let step = cx.step("observations_invited");
    if let Some(p) = m.proceedings.get_mut(&e.proceeding_id) {
        if p.stage == Stage::Opened {
            p.stage = Stage::AwaitingObservations;
        }
        p.observations_deadline = Some(e.deadline);
        p.history.push(step);
    }
    Ok(())
}

pub(super) fn observations_submitted(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &StateObservationsSubmitted,
) -> Res {
    let subject = format!("in proceeding {}", e.proceeding_id);
    let p = open_proceeding(m, cx, &e.proceeding_id)?;
    let invitation = p
        .history
        .iter()
        .rev()
        .find(|s| s.what == "observations_invited")
        .map(|s| (s.on, s.at));
    match invitation {
        Some((on, at)) => cx.not_before(on.as_ref(), at, &subject, "the invitation")?,
        None => cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!("{subject}: no invitation to submit observations is recorded"),
        ),
    }
    let step = cx.step("observations_submitted");
    if let Some(p) = m.proceedings.get_mut(&e.proceeding_id) {
        if p.stage == Stage::AwaitingObservations {
            p.stage = Stage::Opened;
        }
        p.observations_deadline = None;
        p.history.push(step);
    }
    Ok(())
}

fn stage_of(finding: Finding, referral: &Referral) -> Stage {
    if finding == Finding::NoNonCompliance {
        return Stage::NoFinding;
    }
    match referral {
        Referral::Referred(_) | Referral::NotStated => Stage::FindingReferred,
        Referral::NotReferred => Stage::FindingNotReferred,
        Referral::Deferred(_) => Stage::FindingReferralDeferred,
    }
}

pub(super) fn decision_issued(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &NonComplianceDecisionIssued,
) -> Res {
    let subject = format!("in proceeding {}", e.proceeding_id);
    let existing = m.proceedings.get(&e.proceeding_id);
    let mut basis = e.legal_basis;
    match existing {
        None if e.opens_implicitly == Some(true) => {}
        None => {
            return cx.fail(
                C::NoOpenProceeding,
                None,
                format!(
                    "{subject}: no proceeding {} was opened (a source reporting only the decision may set opens_implicitly)",
                    e.proceeding_id
                ),
            );
        }
        Some(_) => {
            let p = open_proceeding(m, cx, &e.proceeding_id)?;
            if !matches!(p.stage, Stage::Opened | Stage::AwaitingObservations)
                && let Some(d) = p.decisions.last()
            {
                return cx.fail(
                    C::DecisionAlreadyFinal,
                    Some(d.at),
                    format!(
                        "{subject}: a decision{} was already issued on {} (stage {:?}); after a deferral the Chamber issues a referral_decision_issued",
                        d.doc_ref.as_ref().map(|r| format!(" ({r})")).unwrap_or_default(),
                        d.on,
                        p.stage
                    ),
                );
            }
            basis = p.legal_basis.or(basis);
            let (opened, at) = (p.opened, opening_at(p));
            if let Some(at) = at {
                cx.not_before(opened.as_ref(), at, &subject, "the seizure of the Chamber")?;
            }
        }
    }
    targets_allowed(
        m,
        cx,
        &targets(&e.referral),
        basis,
        Some(&e.situation),
        &subject,
    )?;
    if matches!(e.referral, Referral::Referred(_) | Referral::Deferred(_)) {
        match e.finding {
            Finding::NoNonCompliance => {
                return cx.fail(
                    C::ReferralWithoutFinding,
                    None,
                    format!(
                        "{subject}: a referral (or deferral) needs a finding of non-compliance, and the finding is no_non_compliance"
                    ),
                );
            }
            Finding::NotStated => cx.warn(
                C::ReferralWithoutFinding,
                None,
                format!(
                    "{subject}: the decision refers (or defers referral) but the finding is not stated"
                ),
            ),
            Finding::NonCompliant => {}
        }
    }
    // Apply.
    let at = cx.at();
    let step = cx.step("decision_issued");
    if !m.proceedings.contains_key(&e.proceeding_id) {
        let opened = match e.occurred.latest() {
            Some(l) => LegalDate::Bounded {
                not_before: None,
                not_after: Some(l),
            },
            None => LegalDate::Unknown,
        };
        let mut p = new_proceeding(
            m,
            &e.proceeding_id,
            e.state,
            &e.situation,
            Some(e.chamber),
            e.legal_basis,
            Some(opened),
            Step {
                what: "opened_implicitly".to_owned(),
                on: Some(opened),
                at,
            },
        );
        p.opened_implicitly = true;
        insert_proceeding(m, p);
    }
    let finding_counts = e.finding == Finding::NonCompliant
        || (e.finding == Finding::NotStated
            && matches!(e.referral, Referral::Referred(_) | Referral::Deferred(_)));
    if let Some(p) = m.proceedings.get_mut(&e.proceeding_id) {
        p.finding = Some(e.finding);
        p.referral = Some(e.referral.clone());
        p.stage = stage_of(e.finding, &e.referral);
        if p.person.is_none() {
            p.person = e.person.clone();
        }
        if p.warrant.is_none() {
            p.warrant = e.warrant_id.clone();
        }
        if p.chamber.is_none() {
            p.chamber = Some(e.chamber);
        }
        if p.legal_basis.is_none() {
            p.legal_basis = e.legal_basis;
        }
        if let Referral::Deferred(d) = &e.referral
            && d.deadline.is_some()
        {
            p.observations_deadline = d.deadline;
        }
        p.decisions.push(DecisionRecord {
            id: Some(e.decision_id.clone()),
            doc_ref: Some(e.doc_ref.clone()),
            on: e.occurred,
            finding: Some(e.finding),
            referral: Some(e.referral.clone()),
            at,
        });
        p.history.push(step);
    }
    if finding_counts {
        state_mut(m, e.state).findings.push(at);
    }
    Ok(())
}

pub(super) fn referral_decision(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ReferralDecisionIssued,
) -> Res {
    let subject = format!("in proceeding {}", e.proceeding_id);
    let p = open_proceeding(m, cx, &e.proceeding_id)?;
    let last = p.decisions.last();
    if p.stage != Stage::FindingReferralDeferred {
        return cx.fail(
            C::DecisionAlreadyFinal,
            last.map(|d| d.at),
            format!(
                "{subject}: no determination on referral is deferred (stage {:?}{})",
                p.stage,
                last.map(|d| format!(", last decision on {}", d.on))
                    .unwrap_or_default()
            ),
        );
    }
    if let Some(d) = last {
        let (on, at) = (d.on, d.at);
        cx.not_before(Some(&on), at, &subject, "the deferring decision")?;
    }
    let (basis, situation) = (p.legal_basis, p.situation);
    targets_allowed(
        m,
        cx,
        &targets(&e.referral),
        basis,
        situation.as_ref(),
        &subject,
    )?;
    let at = cx.at();
    let step = cx.step("referral_decision_issued");
    if let Some(p) = m.proceedings.get_mut(&e.proceeding_id) {
        p.referral = Some(e.referral.clone());
        p.stage = match e.referral {
            Referral::NotReferred => Stage::FindingNotReferred,
            _ => Stage::FindingReferred,
        };
        p.observations_deadline = None;
        p.decisions.push(DecisionRecord {
            id: e.decision_id.clone(),
            doc_ref: e.doc_ref.clone(),
            on: e.occurred,
            finding: None,
            referral: Some(e.referral.clone()),
            at,
        });
        p.history.push(step);
    }
    Ok(())
}

pub(super) fn referral_transmitted(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ReferralTransmitted,
) -> Res {
    let subject = format!("in proceeding {}", e.proceeding_id);
    let p = open_proceeding(m, cx, &e.proceeding_id)?;
    targets_allowed(
        m,
        cx,
        &[e.to],
        p.legal_basis,
        p.situation.as_ref(),
        &subject,
    )?;
    if let Some((_, s)) = p.transmitted.iter().find(|(t, _)| *t == e.to) {
        return cx.fail(
            C::ReferralTargetNotAllowed,
            Some(s.at),
            format!(
                "{subject}: the referral was already transmitted to {} on {}",
                e.to,
                date_text(s.on.as_ref())
            ),
        );
    }
    // A finding reversed on appeal leaves nothing to refer (the judgment sets the finding to
    // no_non_compliance; a decision can record that finding only without a referral).
    if p.finding == Some(Finding::NoNonCompliance) {
        let reversal = p.history.iter().rev().find(|s| s.what == "appeal_judgment");
        return cx.fail(
            C::ReferralWithoutFinding,
            reversal
                .map(|s| s.at)
                .or_else(|| p.decisions.last().map(|d| d.at)),
            format!(
                "{subject}: a referral needs a finding of non-compliance, and {}",
                match reversal {
                    Some(s) => format!(
                        "the finding was reversed on appeal on {}",
                        date_text(s.on.as_ref())
                    ),
                    None => "the finding is no_non_compliance".to_owned(),
                }
            ),
        );
    }
    let referring = p.decisions.iter().rev().find(|d| {
        d.referral
            .as_ref()
            .is_some_and(|r| targets(r).contains(&e.to))
    });
    let current_ok = p
        .referral
        .as_ref()
        .is_some_and(|r| targets(r).contains(&e.to))
        && !p.referral_reversed_on_appeal;
    let Some(dec) = referring.filter(|_| current_ok) else {
        let last = p.decisions.last();
        let why = if p.referral_reversed_on_appeal {
            "the referral was reversed on appeal".to_owned()
        } else {
            match last {
                Some(d) => format!(
                    "the last decision, on {}, determined {}",
                    d.on,
                    d.referral
                        .as_ref()
                        .map_or("nothing on referral".to_owned(), |r| format!("{r:?}"))
                ),
                None => "no decision is recorded".to_owned(),
            }
        };
        return cx.fail(
            C::ReferralTargetNotAllowed,
            last.map(|d| d.at),
            format!(
                "{subject}: no decision refers the matter to {}: {why}",
                e.to
            ),
        );
    };
    let (on, at) = (dec.on, dec.at);
    cx.not_before(Some(&on), at, &subject, "the decision referring the matter")?;
    let state = p.state;
    let step = cx.step("referral_transmitted");
    let at = cx.at();
    if let Some(p) = m.proceedings.get_mut(&e.proceeding_id) {
        p.transmitted.push((e.to, step.clone()));
        p.stage = Stage::Transmitted;
        p.history.push(step.clone());
    }
    state_mut(m, state).referrals.push((e.to, at));
    // A referral transmitted to the Assembly opens a matter under its formal procedure.
    if e.to == TransmissionTarget::Asp
        && !m
            .asp_matters
            .values()
            .any(|a| a.proceeding.as_ref() == Some(&e.proceeding_id))
        && let Ok(id) = e.proceeding_id.as_str().parse::<AspMatterId>()
        && !m.asp_matters.contains_key(&id)
    {
        m.asp_matters.insert(
            id.clone(),
            AspMatter {
                id,
                state,
                trigger: AspMatterTrigger::CourtReferral(CourtReferralTrigger {
                    proceeding_id: e.proceeding_id.clone(),
                }),
                opened: e.occurred,
                steps: vec![Step {
                    what: "opened".to_owned(),
                    on: Some(e.occurred),
                    at,
                }],
                state_heard: false,
                plenary_scheduled: None,
                plenary_held: None,
                at,
                opened_implicitly: true,
                proceeding: Some(e.proceeding_id.clone()),
            },
        );
    }
    Ok(())
}

pub(super) fn non_compliance_request(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &NonComplianceRequestFiled,
) -> Res {
    if let Some(w) = &e.warrant_id
        && !m.warrants.contains_key(w)
    {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!("{}: warrant {w} is not recorded", e.request_id),
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Procedural requests and appeals (§7.4)
// ---------------------------------------------------------------------------------------------

pub(super) fn request_filed(m: &mut Model, cx: &mut Ctx<'_>, e: &ProceduralRequestFiled) -> Res {
    let subject = format!("{}", e.request_id);
    if let Some(r) = m.requests.get(&e.request_id) {
        return cx.fail(
            C::RequestNotPending,
            Some(r.at),
            format!(
                "{subject}: a request with this id was already filed on {}",
                r.filed
            ),
        );
    }
    if let Some(pid) = &e.proceeding_id
        && !m.proceedings.contains_key(pid)
    {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!("{subject}: proceeding {pid} is not recorded"),
        );
    }
    if let Some(target) = &e.target_decision {
        match decision_by_doc(m, target) {
            Some((on, at)) => {
                cx.not_before(on.as_ref(), at, &subject, &format!("decision {target}"))?;
            }
            None => cx.warn(
                C::TargetDecisionUnknown,
                None,
                format!("{subject}: the targeted decision {target} is not recorded"),
            ),
        }
    }
    let at = cx.at();
    m.requests.insert(
        e.request_id.clone(),
        ProceduralRequest {
            id: e.request_id.clone(),
            kind: e.kind,
            filed_by: e.filed_by.clone(),
            filed: e.occurred,
            proceeding: e.proceeding_id.clone(),
            target_decision: e.target_decision.clone(),
            doc_ref: e.doc_ref.clone(),
            decided: None,
            at,
        },
    );
    if let Some(p) = e
        .proceeding_id
        .as_ref()
        .and_then(|p| m.proceedings.get_mut(p))
    {
        push_new(&mut p.requests, e.request_id.clone());
    }
    Ok(())
}

pub(super) fn request_decided(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ProceduralRequestDecided,
) -> Res {
    let subject = format!("on request {}", e.request_id);
    let Some(r) = m.requests.get(&e.request_id) else {
        return cx.fail(
            C::RequestNotPending,
            None,
            format!("{subject}: no request {} was filed", e.request_id),
        );
    };
    if let Some(d) = &r.decided {
        return cx.fail(
            C::RequestNotPending,
            Some(d.at),
            format!(
                "{subject}: the request was already decided on {} ({}, by {})",
                d.on, d.outcome, d.body
            ),
        );
    }
    let plenary = matches!(
        r.kind,
        RequestKind::Disqualification | RequestKind::DisqualificationReconsideration
    );
    let body = e.deciding_body;
    let competent = if plenary {
        body == crate::ids::ChamberId::Plenary
    } else {
        !matches!(
            body,
            crate::ids::ChamberId::Plenary | crate::ids::ChamberId::Presidency
        )
    };
    if !competent {
        return cx.fail(
            C::WrongDecidingBody,
            Some(r.at),
            format!(
                "{subject}: a {} request is decided by {}, not by {body}",
                r.kind,
                if plenary {
                    "the Plenary of Judges"
                } else {
                    "a Chamber"
                }
            ),
        );
    }
    let (filed, at) = (r.filed, r.at);
    cx.not_before(Some(&filed), at, &subject, "the filing of the request")?;
    let decided = RequestDecision {
        body,
        outcome: e.outcome,
        on: e.occurred,
        doc_ref: e.doc_ref.clone(),
        at: cx.at(),
    };
    if let Some(r) = m.requests.get_mut(&e.request_id) {
        r.decided = Some(decided);
    }
    Ok(())
}

pub(super) fn appeal_filed(m: &mut Model, cx: &mut Ctx<'_>, e: &AppealFiled) -> Res {
    let subject = format!("{}", e.appeal_id);
    if let Some(a) = m.appeals.get(&e.appeal_id) {
        return cx.fail(
            C::AppealExists,
            Some(a.at),
            format!(
                "{subject}: an appeal with this id was already filed on {}",
                a.filed
            ),
        );
    }
    let mut proceeding = None;
    let mut decision: Option<(LegalDate, EntryRef)> = None;
    if let Some(did) = &e.decision_id {
        let found = m.proceedings.values().find_map(|p| {
            p.decisions
                .iter()
                .find(|d| d.id.as_ref() == Some(did))
                .map(|d| (p.id.clone(), d.on, d.at))
        });
        match found {
            Some((p, on, at)) => {
                proceeding = Some(p);
                decision = Some((on, at));
            }
            None => {
                return cx.fail(
                    C::TargetDecisionUnknown,
                    None,
                    format!("{subject}: the appealed decision {did} is not recorded"),
                );
            }
        }
    } else if let Some(doc) = &e.appealed_decision {
        let found = m.proceedings.values().find_map(|p| {
            p.decisions
                .iter()
                .find(|d| d.doc_ref.as_ref() == Some(doc))
                .map(|d| (p.id.clone(), d.on, d.at))
        });
        match found {
            Some((p, on, at)) => {
                proceeding = Some(p);
                decision = Some((on, at));
            }
            None => cx.warn(
                C::TargetDecisionUnknown,
                None,
                format!("{subject}: the appealed decision {doc} is not recorded"),
            ),
        }
    }
    if let Some((on, at)) = decision {
        cx.not_before(Some(&on), at, &subject, "the appealed decision")?;
    }
    if let Some(leave) = &e.leave_request_id {
        let granted = m.requests.get(leave).is_some_and(|r| {
            r.kind == RequestKind::LeaveToAppeal
                && r.decided.as_ref().is_some_and(|d| {
                    matches!(
                        d.outcome,
                        RequestOutcome::Granted | RequestOutcome::PartlyGranted
                    )
                })
        });
        if !granted {
            cx.warn(
                C::PredecessorUnrecorded,
                m.requests.get(leave).map(|r| r.at),
                format!("{subject}: no granted leave to appeal {leave} is recorded"),
            );
        }
    }
    let at = cx.at();
    m.appeals.insert(
        e.appeal_id.clone(),
        Appeal {
            id: e.appeal_id.clone(),
            appellant: e.appellant.clone(),
            proceeding: proceeding.clone(),
            filed: e.occurred,
            judgment: None,
            at,
        },
    );
    if let Some(p) = proceeding.and_then(|p| m.proceedings.get_mut(&p)) {
        push_new(&mut p.appeals, e.appeal_id.clone());
    }
    Ok(())
}

pub(super) fn appeal_judgment(m: &mut Model, cx: &mut Ctx<'_>, e: &AppealJudgmentDelivered) -> Res {
    let subject = format!("on appeal {}", e.appeal_id);
    let Some(a) = m.appeals.get(&e.appeal_id) else {
        return cx.fail(
            C::RequestNotPending,
            None,
            format!("{subject}: no appeal {} was filed", e.appeal_id),
        );
    };
    if let Some((_, _, s)) = &a.judgment {
        return cx.fail(
            C::RequestNotPending,
            Some(s.at),
            format!(
                "{subject}: judgment was already delivered on {}",
                date_text(s.on.as_ref())
            ),
        );
    }
    let (filed, at) = (a.filed, a.at);
    cx.not_before(Some(&filed), at, &subject, "the filing of the appeal")?;
    let proceeding = a.proceeding.clone();
    let step = cx.step("appeal_judgment");
    if let Some(a) = m.appeals.get_mut(&e.appeal_id) {
        a.judgment = Some((e.on_finding, e.on_referral, step.clone()));
    }
    if let Some(p) = proceeding.and_then(|p| m.proceedings.get_mut(&p)) {
        if e.on_finding == OnFinding::Reversed {
            p.stage = Stage::NoFinding;
            p.finding = Some(Finding::NoNonCompliance);
        } else {
            match e.on_referral {
                OnReferral::Reversed => {
                    p.stage = Stage::FindingNotReferred;
                    p.referral_reversed_on_appeal = true;
                }
                OnReferral::Remanded => p.stage = Stage::Opened,
                OnReferral::Confirmed | OnReferral::NotApplicable => {}
            }
        }
        p.history.push(step);
    }
    Ok(())
}

pub(super) fn proceeding_closed(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &NonComplianceProceedingClosed,
) -> Res {
    let subject = format!("in proceeding {}", e.proceeding_id);
    let p = open_proceeding(m, cx, &e.proceeding_id)?;
    for r in p.requests.iter().filter_map(|r| m.requests.get(r)) {
        if r.decided.is_none() {
            return cx.fail(
                C::RequestPending,
                Some(r.at),
                format!(
                    "{subject}: request {} ({}, filed {}) is pending",
                    r.id, r.kind, r.filed
                ),
            );
        }
    }
    for a in p.appeals.iter().filter_map(|a| m.appeals.get(a)) {
        if a.judgment.is_none() {
            return cx.fail(
                C::RequestPending,
                Some(a.at),
                format!("{subject}: appeal {} (filed {}) is pending", a.id, a.filed),
            );
        }
    }
    let (opened, at) = (p.opened, opening_at(p));
    if let Some(at) = at {
        cx.not_before(opened.as_ref(), at, &subject, "the seizure of the Chamber")?;
    }
    let step = cx.step("closed");
    if let Some(p) = m.proceedings.get_mut(&e.proceeding_id) {
        p.stage = Stage::Closed;
        p.closed = Some((e.reason, step.clone()));
        p.history.push(step);
    }
    Ok(())
}

pub(super) fn court_informed_asp(m: &mut Model, cx: &mut Ctx<'_>, e: &CourtInformedAsp) -> Res {
    let decisions = super::Decisions::new(m);
    for doc in &e.about {
        match decisions.get(doc) {
            Some((on, at)) => {
                cx.not_before(on.as_ref(), at, &format!("about {doc}"), "the decision")?
            }
            None => cx.warn(
                C::TargetDecisionUnknown,
                None,
                format!("about {doc}: the decision is not recorded"),
            ),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Derived state
// ---------------------------------------------------------------------------------------------

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
