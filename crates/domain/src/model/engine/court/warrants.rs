//! Arrest warrants (DOMAIN.md §7.1): request, issue (also under seal and as an opening
//! balance), amendment, unsealing, withdrawal, cooperation requests and reminders.

use super::persons::{alive, person_mut};
use crate::date::LegalDate;
use crate::event::*;
use crate::ids::{PersonId, WarrantId};
use crate::model::Model;
use crate::model::engine::{Ctx, Res, date_text, push_new};
use crate::model::types::*;
use crate::source::{AnomalyCode as C, EntryRef};
use crate::vocab::Visibility;

/// The steps of the warrants' execution (as opposed to amendments, unsealing, …).
pub(super) const EXECUTION_STEPS: &[StepKind] = &[
    StepKind::Issued,
    StepKind::IssuedUnderSeal,
    StepKind::AssertedOutstanding,
    StepKind::Arrested,
    StepKind::ReleasedWithoutSurrender,
    StepKind::Surrendered,
    StepKind::Withdrawn,
    StepKind::SubjectDeceased,
];

pub(super) fn last_step<'w>(w: &'w Warrant, whats: &[StepKind]) -> Option<&'w Step> {
    w.history.iter().rev().find(|s| whats.contains(&s.what))
}
pub(super) fn warrant<'m>(m: &'m Model, cx: &Ctx<'_>, id: &WarrantId) -> Res<&'m Warrant> {
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
pub(in crate::model::engine) fn issue_at(w: &Warrant) -> EntryRef {
    w.history.first().map_or(
        EntryRef {
            seq: 0,
            hash: acta_core::EntryHash([0; 32]),
        },
        |s| s.at,
    )
}

/// The warrant, if it names `person` (or names nobody yet: a warrant under seal).
pub(super) fn for_person(cx: &Ctx<'_>, w: &Warrant, person: &PersonId, subject: &str) -> Res {
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
pub(super) fn executable(cx: &Ctx<'_>, w: &Warrant, subject: &str) -> Res {
    match w.execution {
        Execution::Surrendered => {
            let s = last_step(w, &[StepKind::Surrendered]);
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
            let s = last_step(w, &[StepKind::Withdrawn]);
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
            let s = last_step(w, &[StepKind::SubjectDeceased]);
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
pub(super) fn after_last_execution(cx: &mut Ctx<'_>, w: &Warrant, subject: &str) -> Res {
    if let Some(s) = last_step(w, EXECUTION_STEPS) {
        let what = match s.what {
            StepKind::Issued | StepKind::IssuedUnderSeal => "the issue of the warrant".to_owned(),
            StepKind::AssertedOutstanding => {
                "the date the warrant was asserted outstanding".to_owned()
            }
            other => format!(
                "the last step of the warrant ({})",
                other.as_str().replace('_', " ")
            ),
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

pub(super) fn link_person(m: &mut Model, person: &PersonId, warrant: &WarrantId, at: EntryRef) {
    let p = person_mut(m, person);
    push_new(&mut p.warrants, warrant.clone());
    p.at.push(at);
}

pub(in crate::model::engine) fn warrant_requested(
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
pub(super) fn before_steps(cx: &Ctx<'_>, history: &[Step], subject: &str, what: &str) -> Res {
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
                    s.what.as_str().replace('_', " ")
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
                .is_some_and(|s| s.what == StepKind::AssertedOutstanding && s.at == *prior)
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
    let step = cx.step(StepKind::Issued);
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

pub(in crate::model::engine) fn warrant_issued(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ArrestWarrantIssued,
) -> Res {
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
    let mut w = new_warrant(&e.warrant_id, cx.step(StepKind::Issued));
    w.person = Some(e.person.clone());
    w.situation = Some(e.situation);
    w.chamber = Some(e.chamber);
    w.doc_ref = e.doc_ref.clone();
    w.visibility = e.visibility;
    m.warrants.insert(e.warrant_id.clone(), w);
    link_person(m, &e.person, &e.warrant_id, cx.at());
    Ok(())
}

pub(in crate::model::engine) fn warrant_issued_under_seal(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ArrestWarrantIssuedUnderSeal,
) -> Res {
    not_existing(m, cx, &e.warrant_id)?;
    let mut w = new_warrant(&e.warrant_id, cx.step(StepKind::IssuedUnderSeal));
    w.situation = e.situation;
    w.visibility = Visibility::Sealed;
    w.seal = Some(Seal {
        commitment: e.commitment,
        revealed: false,
    });
    m.warrants.insert(e.warrant_id.clone(), w);
    Ok(())
}

pub(in crate::model::engine) fn prior_warrant(
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
    let mut step = cx.step(StepKind::AssertedOutstanding);
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

pub(in crate::model::engine) fn warrant_amended(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ArrestWarrantAmended,
) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    if w.execution == Execution::Withdrawn {
        executable(cx, w, &subject)?;
    }
    let (issued, at) = (w.issued, issue_at(w));
    cx.not_before(issued.as_ref(), at, &subject, "the issue of the warrant")?;
    let step = cx.step(StepKind::Amended);
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.history.push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn warrant_unsealed(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ArrestWarrantUnsealed,
) -> Res {
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
        let last = last_step(w, &[StepKind::Unsealed]).map_or(first, |s| s.at);
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
    let step = cx.step(StepKind::Unsealed);
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

pub(in crate::model::engine) fn warrant_withdrawn(
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
    let step = cx.step(StepKind::Withdrawn);
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.execution = Execution::Withdrawn;
        w.history.push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn cooperation_request(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &CooperationRequestTransmitted,
) -> Res {
    let subject = format!("on warrant {}", e.warrant_id);
    let w = warrant(m, cx, &e.warrant_id)?;
    let (issued, at) = (w.issued, issue_at(w));
    cx.not_before(issued.as_ref(), at, &subject, "the issue of the warrant")?;
    let step = cx.step(StepKind::CooperationRequestTransmitted);
    if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
        w.history.push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn court_reminder(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &CourtReminderIssued,
) -> Res {
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
            let step = cx.step(StepKind::CourtReminder);
            if let Some(w) = m.warrants.get_mut(&e.warrant_id) {
                w.history.push(step);
            }
            Ok(())
        }
    }
}
