//! Custody (DOMAIN.md §7.1, §7.2): arrest, custodial proceedings, release, surrender,
//! domestic custody, initial appearance and the termination of proceedings.

use super::persons::{alive, known_person, person_mut};
use super::warrants::{
    EXECUTION_STEPS, after_last_execution, executable, for_person, last_step, link_person, warrant,
};
use crate::event::*;
use crate::model::Model;
use crate::model::engine::{Ctx, Res, date_text, state_mut};
use crate::model::types::*;
use crate::source::AnomalyCode as C;
use crate::vocab::{DomesticCustodyPhase, TerminationReason};

pub(in crate::model::engine) fn person_arrested(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &PersonArrested,
) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    for_person(cx, w, &e.person, &subject)?;
    executable(cx, w, &subject)?;
    if let Execution::InStateCustody { state } = w.execution {
        let s = last_step(w, &[StepKind::Arrested]);
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
    let step = cx.step(StepKind::Arrested);
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
            let a = last_step(w, &[StepKind::Arrested]);
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

pub(in crate::model::engine) fn custodial_proceedings(
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
        crate::vocab::CustodialPhase::Opened => StepKind::CustodialProceedingsOpened,
        crate::vocab::CustodialPhase::Completed => StepKind::CustodialProceedingsCompleted,
    });
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.history.push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn person_released(
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
    let step = cx.step(StepKind::ReleasedWithoutSurrender);
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

pub(in crate::model::engine) fn person_surrendered(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &PersonSurrendered,
) -> Res {
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
            let a = last_step(w, &[StepKind::Arrested]);
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
    let step = cx.step(StepKind::Surrendered);
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

pub(in crate::model::engine) fn domestic_custody(
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
    let step = cx.step(StepKind::DomesticCustody);
    let at = cx.at();
    let p = person_mut(m, &e.person);
    p.domestic_custody = match e.phase {
        DomesticCustodyPhase::Started => Some((e.state, step)),
        DomesticCustodyPhase::Ended => None,
    };
    p.at.push(at);
    Ok(())
}

pub(in crate::model::engine) fn initial_appearance(
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

pub(in crate::model::engine) fn proceedings_terminated(
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
    let step = cx.step(StepKind::Withdrawn);
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
