//! The focal-point roster and the President's term (DOMAIN.md §7.7).

use super::bureau::at_meeting;
use crate::date::DateOrder;
use crate::event::*;
use crate::model::Model;
use crate::model::engine::{Ctx, Res};
use crate::model::types::*;
use crate::source::AnomalyCode as C;

pub(in crate::model::engine) fn focal_point_appointed(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &FocalPointAppointed,
) -> Res {
    at_meeting(m, cx, e.meeting, &format!("of {}", e.state))?;
    let confirmed = m
        .roster
        .members
        .get(&e.state)
        .map(|f| f.confirmed.clone())
        .unwrap_or_default();
    m.roster.members.insert(
        e.state,
        FocalPoint {
            state: e.state,
            region: Some(e.region_group),
            appointed: Some(e.occurred),
            meeting: Some(e.meeting),
            confirmed,
            at: cx.at(),
        },
    );
    Ok(())
}

pub(in crate::model::engine) fn prior_focal_point(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    f: &PriorFocalPoint,
) -> Res {
    if m.roster.members.contains_key(&f.state) {
        return Ok(());
    }
    m.roster.members.insert(
        f.state,
        FocalPoint {
            state: f.state,
            region: f.region_group,
            appointed: None,
            meeting: None,
            confirmed: Vec::new(),
            at: cx.at(),
        },
    );
    Ok(())
}

pub(in crate::model::engine) fn focal_point_confirmed(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &FocalPointMandateConfirmed,
) -> Res {
    at_meeting(m, cx, e.meeting, &format!("at meeting {}", e.meeting))?;
    for s in &e.states {
        let Some(f) = m.roster.members.get(s) else {
            return cx.fail(
                C::FocalPointNotAppointed,
                None,
                format!("of {s}: {s} was never appointed a focal point"),
            );
        };
        let (appointed, at) = (f.appointed, f.at);
        cx.not_before(
            appointed.as_ref(),
            at,
            &format!("of {s}"),
            "its appointment",
        )?;
    }
    let mut president = None;
    if e.president_ex_officio == Some(true) {
        let on = cx.on();
        president = m
            .roster
            .presidents
            .iter()
            .rev()
            .find(|t| {
                on.as_ref()
                    .is_none_or(|on| t.from.compare(on) != DateOrder::After)
            })
            .map(|t| t.state);
        if president.is_none() {
            cx.warn(
                C::PredecessorUnrecorded,
                None,
                "of the President of the Assembly ex officio: no term of a President is recorded",
            );
        }
    }
    let step = cx.step(StepKind::MandateConfirmed);
    for s in &e.states {
        if let Some(f) = m.roster.members.get_mut(s) {
            f.confirmed.push(step.clone());
        }
    }
    if president.is_some() {
        m.roster.president_ex_officio = president;
    }
    Ok(())
}

pub(in crate::model::engine) fn president_term(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AspPresidentTermRecorded,
) -> Res {
    m.roster.presidents.push(PresidentTerm {
        person: e.person.clone(),
        state: e.state,
        from: e.occurred,
        ends: e.ends,
        at: cx.at(),
    });
    Ok(())
}
