//! Non-compliance decisions and referrals (DOMAIN.md §7.3): findings, referral decisions
//! and their transmission.

use super::proceedings::{
    insert_proceeding, new_proceeding, open_proceeding, opening_at, targets, targets_allowed,
};
use crate::date::LegalDate;
use crate::event::*;
use crate::ids::AspMatterId;
use crate::model::Model;
use crate::model::engine::{Ctx, Res, date_text, state_mut};
use crate::model::types::*;
use crate::source::AnomalyCode as C;
use crate::vocab::{AspMatterTrigger, CourtReferralTrigger, Finding, Referral, TransmissionTarget};

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

pub(in crate::model::engine) fn decision_issued(
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
    let step = cx.step(StepKind::DecisionIssued);
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
                what: StepKind::OpenedImplicitly,
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

pub(in crate::model::engine) fn referral_decision(
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
    let step = cx.step(StepKind::ReferralDecisionIssued);
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

pub(in crate::model::engine) fn referral_transmitted(
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
        let reversal = p
            .history
            .iter()
            .rev()
            .find(|s| s.what == StepKind::AppealJudgment);
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
    let step = cx.step(StepKind::ReferralTransmitted);
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
                    what: StepKind::Opened,
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
