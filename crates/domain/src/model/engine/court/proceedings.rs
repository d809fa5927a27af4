//! Non-compliance proceedings (DOMAIN.md §7.3): filing, opening (also as an opening balance),
//! the Chamber, observations, closing, and the Court informing the Assembly.

use super::warrants::before_steps;
use crate::date::LegalDate;
use crate::event::*;
use crate::ids::{ProceedingId, SituationId};
use crate::model::Model;
use crate::model::engine::{self, Ctx, Res, date_text, push_new, state_mut};
use crate::model::types::*;
use crate::source::{AnomalyCode as C, EntryRef};
use crate::vocab::{LegalBasis, Referral, ReferralTarget, TransmissionTarget};

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

pub(super) fn targets(r: &Referral) -> Vec<TransmissionTarget> {
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
pub(super) fn targets_allowed(
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
pub(super) fn open_proceeding<'m>(
    m: &'m Model,
    cx: &Ctx<'_>,
    id: &ProceedingId,
) -> Res<&'m Proceeding> {
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

pub(super) fn opening_at(p: &Proceeding) -> Option<EntryRef> {
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

pub(super) fn insert_proceeding(m: &mut Model, p: Proceeding) {
    let state = p.state;
    let id = p.id.clone();
    m.proceedings.insert(id.clone(), p);
    push_new(&mut state_mut(m, state).proceedings, id);
}

#[allow(clippy::too_many_arguments)]
pub(super) fn new_proceeding(
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

pub(in crate::model::engine) fn prior_proceeding(
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
        cx.step(StepKind::AssertedOpen),
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
            .is_some_and(|s| s.what == StepKind::AssertedOpen && s.at == *prior)
    })
}

pub(in crate::model::engine) fn proceeding_opened(
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
        if let Some((status, at)) = engine::states::definite_status(m, e.state, &conduct)
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
        cx.step(StepKind::Opened),
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

pub(in crate::model::engine) fn chamber_reassigned(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ChamberReassigned,
) -> Res {
    if let Some(id) = &e.proceeding_id {
        open_proceeding(m, cx, id)?;
    }
    let step = cx.step(StepKind::ChamberReassigned);
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

pub(in crate::model::engine) fn observations_invited(
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
    let step = cx.step(StepKind::ObservationsInvited);
    if let Some(p) = m.proceedings.get_mut(&e.proceeding_id) {
        if p.stage == Stage::Opened {
            p.stage = Stage::AwaitingObservations;
        }
        p.observations_deadline = Some(e.deadline);
        p.history.push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn observations_submitted(
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
        .find(|s| s.what == StepKind::ObservationsInvited)
        .map(|s| (s.on, s.at));
    match invitation {
        Some((on, at)) => cx.not_before(on.as_ref(), at, &subject, "the invitation")?,
        None => cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!("{subject}: no invitation to submit observations is recorded"),
        ),
    }
    let step = cx.step(StepKind::ObservationsSubmitted);
    if let Some(p) = m.proceedings.get_mut(&e.proceeding_id) {
        if p.stage == Stage::AwaitingObservations {
            p.stage = Stage::Opened;
        }
        p.observations_deadline = None;
        p.history.push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn non_compliance_request(
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

pub(in crate::model::engine) fn proceeding_closed(
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
    let step = cx.step(StepKind::Closed);
    if let Some(p) = m.proceedings.get_mut(&e.proceeding_id) {
        p.stage = Stage::Closed;
        p.closed = Some((e.reason, step.clone()));
        p.history.push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn court_informed_asp(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &CourtInformedAsp,
) -> Res {
    let decisions = engine::Decisions::new(m);
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
