//! Procedural requests (DOMAIN.md §7.4): filing and decision.

use crate::event::*;
use crate::model::Model;
use crate::model::engine::{Ctx, Res, decision_by_doc, push_new};
use crate::model::types::*;
use crate::source::AnomalyCode as C;
use crate::vocab::RequestKind;

pub(in crate::model::engine) fn request_filed(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ProceduralRequestFiled,
) -> Res {
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

pub(in crate::model::engine) fn request_decided(
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
