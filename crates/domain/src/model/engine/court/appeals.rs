//! Appeals (DOMAIN.md §7.4): filing and judgment.

use crate::date::LegalDate;
use crate::event::*;
use crate::model::Model;
use crate::model::engine::{Ctx, Res, date_text, push_new};
use crate::model::types::*;
use crate::source::{AnomalyCode as C, EntryRef};
use crate::vocab::{Finding, OnFinding, OnReferral, RequestKind, RequestOutcome};

pub(in crate::model::engine) fn appeal_filed(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AppealFiled,
) -> Res {
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

pub(in crate::model::engine) fn appeal_judgment(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AppealJudgmentDelivered,
) -> Res {
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
    let step = cx.step(StepKind::AppealJudgment);
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
