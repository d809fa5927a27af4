//! The Bureau, Assembly matters under the formal procedure and the plenary (DOMAIN.md §7.5).

use super::episodes::matter;
use crate::date::DateOrder;
use crate::event::*;
use crate::ids::{AspMatterId, BureauMeetingRef, DocRef};
use crate::model::Model;
use crate::model::engine::{Ctx, Res, state_mut};
use crate::model::types::*;
use crate::source::AnomalyCode as C;
use crate::vocab::AspMatterTrigger;

pub(in crate::model::engine) fn bureau_meeting(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &BureauMeetingHeld,
) -> Res {
    if let Some(b) = m.meetings.get(&e.meeting)
        && matches!(
            e.occurred.compare(&b.on),
            DateOrder::Before | DateOrder::After
        )
    {
        return cx.fail(
            C::MeetingDateMismatch,
            Some(b.at),
            format!(
                "{}: dated {}, but the meeting was already recorded as held on {}",
                e.meeting, e.occurred, b.on
            ),
        );
    }
    m.meetings.insert(
        e.meeting,
        BureauMeeting {
            meeting: e.meeting,
            on: e.occurred,
            at: cx.at(),
        },
    );
    Ok(())
}

/// `E_MEETING_DATE_MISMATCH` if the fact is definitely dated differently from the meeting it
/// cites; `W_PREDECESSOR_UNRECORDED` if the meeting is not recorded.
pub(super) fn at_meeting(
    m: &Model,
    cx: &mut Ctx<'_>,
    meeting: BureauMeetingRef,
    subject: &str,
) -> Res {
    let Some(on) = cx.on() else {
        return Ok(());
    };
    match m.meetings.get(&meeting) {
        Some(b) => {
            if matches!(on.compare(&b.on), DateOrder::Before | DateOrder::After) {
                return cx.fail(
                    C::MeetingDateMismatch,
                    Some(b.at),
                    format!(
                        "{subject}: dated {on}, but Bureau meeting {meeting} was held on {}",
                        b.on
                    ),
                );
            }
            Ok(())
        }
        None => {
            cx.warn(
                C::PredecessorUnrecorded,
                None,
                format!("{subject}: Bureau meeting {meeting} is not recorded"),
            );
            Ok(())
        }
    }
}

pub(in crate::model::engine) fn mandate_allocated(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &MandateAllocated,
) -> Res {
    at_meeting(m, cx, e.meeting, &format!("at meeting {}", e.meeting))
}

pub(in crate::model::engine) fn bureau_took_note(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &BureauTookNote,
) -> Res {
    if let Some(meeting) = e.meeting {
        at_meeting(m, cx, meeting, &format!("at meeting {meeting}"))?;
    }
    let decisions = crate::model::engine::Decisions::new(m);
    for d in &e.of_documents {
        if let DocRef::Court(doc) = d {
            match decisions.get(doc) {
                Some((on, at)) => cx.not_before(
                    on.as_ref(),
                    at,
                    &format!("of {doc}"),
                    &format!("decision {doc}"),
                )?,
                None => cx.warn(
                    C::TargetDecisionUnknown,
                    None,
                    format!("of {doc}: the decision is not recorded"),
                ),
            }
        }
    }
    for r in &e.of_entries {
        match m.fact(r.seq).filter(|f| f.at == *r) {
            Some(f) => {
                let (on, at, ty) = (
                    f.event.envelope().occurred.copied(),
                    f.at,
                    f.event.entry_type(),
                );
                cx.not_before(
                    on.as_ref(),
                    at,
                    &format!("of entry {}", r.seq),
                    &format!("the {} it notes", ty.replace('_', " ")),
                )?;
            }
            None => cx.warn(
                C::PredecessorUnrecorded,
                None,
                format!(
                    "of entry {}: the entry is not an earlier fact of this view",
                    r.seq
                ),
            ),
        }
    }
    Ok(())
}

pub(in crate::model::engine) fn matter_opened(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AspMatterOpened,
) -> Res {
    let subject = format!("{} concerning {}", e.asp_matter_id, e.state);
    let mut carried: Vec<Step> = Vec::new();
    let mut implicit: Option<AspMatterId> = None;
    let mut proceeding = None;
    if let AspMatterTrigger::CourtReferral(t) = &e.trigger {
        let p = m.proceedings.get(&t.proceeding_id);
        let sent = p.and_then(|p| {
            p.transmitted
                .iter()
                .find(|(to, _)| *to == crate::vocab::TransmissionTarget::Asp)
        });
        let Some((_, s)) = sent else {
            return cx.fail(
                C::AspMatterNotOpen,
                p.and_then(|p| p.decisions.last()).map(|d| d.at),
                format!(
                    "{subject}: the referral of proceeding {} was not transmitted to the Assembly",
                    t.proceeding_id
                ),
            );
        };
        let (on, at) = (s.on, s.at);
        cx.not_before(
            on.as_ref(),
            at,
            &subject,
            "the transmission of the referral",
        )?;
        proceeding = Some(t.proceeding_id.clone());
        implicit = m
            .asp_matters
            .values()
            .find(|a| a.opened_implicitly && a.proceeding.as_ref() == Some(&t.proceeding_id))
            .map(|a| a.id.clone());
    }
    if let Some(a) = m.asp_matters.get(&e.asp_matter_id)
        && !a.opened_implicitly
    {
        // Already opened: recorded twice; keep the first.
        cx.warn(
            C::SourceInternalConflict,
            Some(a.at),
            format!("{subject}: the matter was already opened on {}", a.opened),
        );
        return Ok(());
    }
    if let Some(id) = implicit
        && let Some(a) = m.asp_matters.remove(&id)
    {
        carried = a
            .steps
            .into_iter()
            .filter(|s| s.what != StepKind::Opened)
            .collect();
    }
    let at = cx.at();
    let mut steps = vec![cx.step(StepKind::Opened)];
    steps.extend(carried);
    m.asp_matters.insert(
        e.asp_matter_id.clone(),
        AspMatter {
            id: e.asp_matter_id.clone(),
            state: e.state,
            trigger: e.trigger.clone(),
            opened: e.occurred,
            steps,
            state_heard: false,
            plenary_scheduled: None,
            plenary_held: None,
            at,
            opened_implicitly: false,
            proceeding,
        },
    );
    Ok(())
}

pub(in crate::model::engine) fn considered_referral(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &BureauConsideredReferral,
) -> Res {
    let subject = format!("of matter {}", e.asp_matter_id);
    let a = matter(m, cx, &e.asp_matter_id, &subject)?;
    let (opened, at) = (a.opened, a.at);
    cx.not_before(
        Some(&opened),
        at,
        &subject,
        "the opening of the matter (the referral)",
    )?;
    at_meeting(m, cx, e.meeting, &subject)?;
    let step = cx.step(StepKind::BureauConsideredReferral);
    if let Some(a) = m.asp_matters.get_mut(&e.asp_matter_id) {
        a.steps.push(step.clone());
        a.state_heard |= e.state_heard;
    }
    if e.state_heard {
        state_mut(m, e.state).bureau_hearings.push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn emergency_meeting(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &EmergencyBureauMeetingConvened,
) -> Res {
    let subject = format!("on matter {}", e.asp_matter_id);
    let a = matter(m, cx, &e.asp_matter_id, &subject)?;
    let (opened, at) = (a.opened, a.at);
    cx.not_before(Some(&opened), at, &subject, "the opening of the matter")?;
    if let Some(meeting) = e.meeting {
        at_meeting(m, cx, meeting, &subject)?;
    }
    let step = cx.step(StepKind::EmergencyBureauMeeting);
    if let Some(a) = m.asp_matters.get_mut(&e.asp_matter_id) {
        a.steps.push(step);
    }
    Ok(())
}

/// The matters a plenary step concerns: those it names (each must be open), or every open
/// matter satisfying `default` when it names none.
fn plenary_matters(
    m: &Model,
    cx: &Ctx<'_>,
    named: &[AspMatterId],
    default: impl Fn(&AspMatter) -> bool,
) -> Res<Vec<AspMatterId>> {
    if named.is_empty() {
        return Ok(m
            .asp_matters
            .values()
            .filter(|a| default(a))
            .map(|a| a.id.clone())
            .collect());
    }
    for id in named {
        matter(m, cx, id, &format!("on matter {id}"))?;
    }
    Ok(named.to_vec())
}

pub(in crate::model::engine) fn plenary_scheduled(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AspPlenaryScheduled,
) -> Res {
    let ids = plenary_matters(m, cx, &e.asp_matter_ids, |a| a.plenary_held.is_none())?;
    let step = cx.step(StepKind::PlenaryScheduled);
    for id in ids {
        if let Some(a) = m.asp_matters.get_mut(&id) {
            a.plenary_scheduled = Some(e.scheduled_for);
            a.steps.push(step.clone());
        }
    }
    Ok(())
}

pub(in crate::model::engine) fn plenary_held(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AspPlenaryHeld,
) -> Res {
    let ids = plenary_matters(m, cx, &e.asp_matter_ids, |a| a.plenary_scheduled.is_some())?;
    for id in &ids {
        let Some(a) = m.asp_matters.get(id) else {
            continue;
        };
        let subject = format!("on matter {id}");
        match a.plenary_scheduled {
            Some(s) => {
                let at = a
                    .steps
                    .iter()
                    .rev()
                    .find(|s| s.what == StepKind::PlenaryScheduled)
                    .map_or(a.at, |s| s.at);
                cx.not_before(
                    Some(&s),
                    at,
                    &subject,
                    "the day the plenary was scheduled for",
                )?;
            }
            None => cx.warn(
                C::PredecessorUnrecorded,
                None,
                format!("{subject}: no plenary was scheduled"),
            ),
        }
    }
    let step = cx.step(StepKind::PlenaryHeld);
    for id in ids {
        if let Some(a) = m.asp_matters.get_mut(&id) {
            a.plenary_scheduled = None;
            a.plenary_held = Some(e.occurred);
            a.steps.push(step.clone());
        }
    }
    Ok(())
}

pub(in crate::model::engine) fn resolution_adopted(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AspResolutionAdopted,
) -> Res {
    let decisions = crate::model::engine::Decisions::new(m);
    for p in &e.paragraphs {
        for r in &p.refs {
            if let DocRef::Court(doc) = r
                && let Some((on, at)) = decisions.get(doc)
            {
                cx.not_before(
                    on.as_ref(),
                    at,
                    &format!("{} para. {}", e.symbol, p.no),
                    &format!("decision {doc}"),
                )?;
            }
        }
    }
    Ok(())
}
