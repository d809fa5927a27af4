//! The Assembly side (DOMAIN.md §7.5, §7.7): prevention episodes and visits, letters of the
//! President, Assembly matters under the formal procedure, Bureau meetings, the focal-point
//! roster.

use super::{Ctx, Res, push_new, state_mut};
use crate::date::{DateOrder, LegalDate};
use crate::event::*;
use crate::ids::{AspMatterId, BureauMeetingRef, DocRef, EpisodeId, PersonId};
use crate::model::types::*;
use crate::model::{Model, Warning};
use crate::source::AnomalyCode as C;
use crate::state::StateCode;
use crate::vocab::{AspMatterTrigger, LetterPurpose, Track, VisitOutcome};

// ---------------------------------------------------------------------------------------------
// Episodes, visits, letters
// ---------------------------------------------------------------------------------------------

/// The episode a fact belongs to: the one it names, else the open episode (no visit yet, or
/// the visit `visit` itself) of the same person and host State, else a new one named
/// `<state>-<person>` (with `-2`, `-3`, … when taken).
fn episode_for(
    m: &Model,
    named: Option<&EpisodeId>,
    person: Option<&PersonId>,
    state: StateCode,
) -> Option<EpisodeId> {
    if let Some(id) = named {
        return Some(id.clone());
    }
    let person = person?;
    if let Some(e) = m
        .episodes
        .values()
        .find(|e| e.person.as_ref() == Some(person) && e.state == state && e.visit.is_none())
    {
        return Some(e.id.clone());
    }
    let base = format!("{}-{}", state.as_str().to_ascii_lowercase(), person);
    (1..1000).find_map(|n| {
        let text = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        text.parse::<EpisodeId>()
            .ok()
            .filter(|id| !m.episodes.contains_key(id))
    })
}

fn episode_mut<'m>(
    m: &'m mut Model,
    id: &EpisodeId,
    person: Option<&PersonId>,
    state: StateCode,
) -> &'m mut Episode {
    let e = m.episodes.entry(id.clone()).or_insert_with(|| Episode {
        id: id.clone(),
        person: person.cloned(),
        state,
        steps: Vec::new(),
        visit: None,
        visit_period: None,
        outcome: None,
        proceeding: None,
    });
    if e.person.is_none() {
        e.person = person.cloned();
    }
    e
}

pub(super) fn travel_information(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &TravelInformationReceived,
) -> Res {
    let outstanding = m
        .warrants
        .values()
        .any(|w| w.person.as_ref() == Some(&e.person) && w.execution == Execution::Outstanding);
    if !outstanding {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!(
                "on person {}: no outstanding warrant for the person is recorded",
                e.person
            ),
        );
    }
    let step = cx.step("travel_information_received");
    if let Some(id) = episode_for(m, e.episode_id.as_ref(), Some(&e.person), e.state) {
        episode_mut(m, &id, Some(&e.person), e.state)
            .steps
            .push(step);
    }
    Ok(())
}

pub(super) fn visit_recorded(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &WantedPersonVisitRecorded,
) -> Res {
    let subject = format!("{} of {} to {}", e.visit_id, e.person, e.state);
    if let Some(v) = m.visits.get(&e.visit_id) {
        return cx.fail(
            C::VisitExists,
            Some(v.at),
            format!(
                "{subject}: a visit with this id was already recorded ({} to {} on {})",
                v.person, v.state, v.period
            ),
        );
    }
    if let Some(p) = m.persons.get(&e.person)
        && let Some(died) = &p.died
        && died.compare(&e.occurred) == DateOrder::Before
    {
        return cx.fail(
            C::PersonDeceased,
            p.died_at,
            format!(
                "{subject}: dated {}, but {} died on {died}",
                e.occurred, e.person
            ),
        );
    }
    let warrant_before = m.warrants.values().any(|w| {
        w.person.as_ref() == Some(&e.person)
            && w.issued
                .as_ref()
                .is_some_and(|i| i.compare(&e.occurred) != DateOrder::After)
    });
    if !warrant_before {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!("{subject}: no warrant for the person issued before the visit is recorded"),
        );
    }
    let at = cx.at();
    let step = cx.step("visit");
    let episode = episode_for(m, e.episode_id.as_ref(), Some(&e.person), e.state);
    m.visits.insert(
        e.visit_id.clone(),
        Visit {
            id: e.visit_id.clone(),
            person: e.person.clone(),
            state: e.state,
            period: e.occurred,
            outcome: e.outcome,
            episode: episode.clone(),
            at,
        },
    );
    if let Some(id) = &episode {
        let ep = episode_mut(m, id, Some(&e.person), e.state);
        ep.visit = Some(e.visit_id.clone());
        ep.visit_period = Some(e.occurred);
        ep.outcome = e.outcome;
        ep.steps.push(step);
    }
    let p = super::court::person_mut(m, &e.person);
    push_new(&mut p.visits, e.visit_id.clone());
    p.at.push(at);
    Ok(())
}

pub(super) fn focal_points_activated(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &FocalPointsActivated,
) -> Res {
    let known = m.episodes.contains_key(&e.episode_id)
        || m.visits
            .values()
            .any(|v| v.person == e.person && v.state == e.state);
    if !known {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!(
                "for episode {}: no travel information or visit of {} to {} is recorded",
                e.episode_id, e.person, e.state
            ),
        );
    }
    let step = cx.step("focal_points_activated");
    episode_mut(m, &e.episode_id, Some(&e.person), e.state)
        .steps
        .push(step);
    Ok(())
}

pub(super) fn communication_issued(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &FocalPointsCommunicationIssued,
) -> Res {
    let state = e.state.or_else(|| {
        e.episode_id
            .as_ref()
            .and_then(|id| m.episodes.get(id))
            .map(|ep| ep.state)
    });
    match state {
        Some(state) => {
            if let Some(id) = episode_for(m, e.episode_id.as_ref(), e.person.as_ref(), state) {
                let step = cx.step("focal_points_communication");
                episode_mut(m, &id, e.person.as_ref(), state)
                    .steps
                    .push(step);
            }
        }
        None => {
            if let Some(id) = &e.episode_id {
                cx.warn(
                    C::PredecessorUnrecorded,
                    None,
                    format!("for episode {id}: the episode is not recorded and no State is named"),
                );
            }
        }
    }
    Ok(())
}

/// The open Assembly matter `id`, or `E_ASP_MATTER_NOT_OPEN`.
fn matter<'m>(m: &'m Model, cx: &Ctx<'_>, id: &AspMatterId, subject: &str) -> Res<&'m AspMatter> {
    match m.asp_matters.get(id) {
        Some(a) => Ok(a),
        None => cx.fail(
            C::AspMatterNotOpen,
            None,
            format!(
                "{subject}: no Assembly matter {id} is open (a formal step needs a referral transmitted to the Assembly, or the urgent procedure)"
            ),
        ),
    }
}

pub(super) fn letter_sent(m: &mut Model, cx: &mut Ctx<'_>, e: &AspPresidentLetterSent) -> Res {
    let subject = format!("{} to {}", e.letter_id, e.state);
    if let Some(l) = m.letters.get(&e.letter_id) {
        return cx.fail(
            C::LetterExists,
            Some(l.at),
            format!(
                "{subject}: a letter with this id was already recorded (to {}, dated {})",
                l.state, l.dated
            ),
        );
    }
    let mut matter_id = e.asp_matter_id.clone();
    if e.track == Track::Formal {
        match &e.asp_matter_id {
            Some(id) => {
                let a = matter(m, cx, id, &subject)?;
                let (opened, at) = (a.opened, a.at);
                cx.not_before(Some(&opened), at, &subject, "the opening of the matter")?;
            }
            None => {
                let open = m.asp_matters.values().find(|a| a.state == e.state);
                match open {
                    Some(a) => matter_id = Some(a.id.clone()),
                    None => {
                        return cx.fail(
                            C::AspMatterNotOpen,
                            None,
                            format!(
                                "{subject}: a formal letter needs an Assembly matter concerning {}, and none is open",
                                e.state
                            ),
                        );
                    }
                }
            }
        }
    }
    let episode = if e.purpose == LetterPurpose::PreVisitReminder || e.episode_id.is_some() {
        episode_for(m, e.episode_id.as_ref(), e.person.as_ref(), e.state)
    } else {
        None
    };
    let at = cx.at();
    let step = cx.step("letter_sent");
    m.letters.insert(
        e.letter_id.clone(),
        Letter {
            id: e.letter_id.clone(),
            state: e.state,
            to_office: e.to_office.clone(),
            track: e.track,
            purpose: e.purpose,
            dated: e.occurred,
            published: None,
            episode: episode.clone(),
            asp_matter: matter_id.clone(),
            at,
        },
    );
    push_new(&mut state_mut(m, e.state).letters, e.letter_id.clone());
    if let Some(id) = &episode {
        episode_mut(m, id, e.person.as_ref(), e.state)
            .steps
            .push(step.clone());
    }
    if let Some(a) = matter_id.and_then(|id| m.asp_matters.get_mut(&id)) {
        a.steps.push(step);
    }
    Ok(())
}

fn letter<'m>(m: &'m Model, cx: &Ctx<'_>, id: &crate::ids::LetterId) -> Res<&'m Letter> {
    match m.letters.get(id) {
        Some(l) => Ok(l),
        None => cx.fail(
            C::LetterNotFound,
            None,
            format!("of letter {id}: no letter {id} of the President is recorded"),
        ),
    }
}

pub(super) fn letter_published(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AspPresidentLetterPublished,
) -> Res {
    let subject = format!("of letter {}", e.letter_id);
    let l = letter(m, cx, &e.letter_id)?;
    let (dated, at, episode) = (l.dated, l.at, l.episode.clone());
    cx.not_before(Some(&dated), at, &subject, "the letter's date")?;
    let step = cx.step("letter_published");
    if let Some(l) = m.letters.get_mut(&e.letter_id) {
        l.published = Some(step.clone());
    }
    if let Some(ep) = episode.and_then(|id| m.episodes.get_mut(&id)) {
        ep.steps.push(step);
    }
    Ok(())
}

pub(super) fn state_reply(m: &mut Model, cx: &mut Ctx<'_>, e: &StateReplyReceived) -> Res {
    let subject = format!("from {}", e.state);
    let mut matter_id = e.asp_matter_id.clone();
    if let Some(id) = &e.letter_id {
        let l = letter(m, cx, id)?;
        let (dated, at) = (l.dated, l.at);
        if matter_id.is_none() {
            matter_id = l.asp_matter.clone();
        }
        cx.not_before(Some(&dated), at, &subject, &format!("letter {id}"))?;
    }
    if let Some(id) = &e.asp_matter_id {
        matter(m, cx, id, &subject)?;
    }
    let step = cx.step("state_reply_received");
    if let Some(a) = matter_id.and_then(|id| m.asp_matters.get_mut(&id)) {
        a.steps.push(step);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Bureau, Assembly matters, plenary
// ---------------------------------------------------------------------------------------------

pub(super) fn bureau_meeting(m: &mut Model, cx: &mut Ctx<'_>, e: &BureauMeetingHeld) -> Res {
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
fn at_meeting(m: &Model, cx: &mut Ctx<'_>, meeting: BureauMeetingRef, subject: &str) -> Res {
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

pub(super) fn mandate_allocated(m: &mut Model, cx: &mut Ctx<'_>, e: &MandateAllocated) -> Res {
    at_meeting(m, cx, e.meeting, &format!("at meeting {}", e.meeting))
}

pub(super) fn bureau_took_note(m: &mut Model, cx: &mut Ctx<'_>, e: &BureauTookNote) -> Res {
    if let Some(meeting) = e.meeting {
        at_meeting(m, cx, meeting, &format!("at meeting {meeting}"))?;
    }
    let decisions = super::Decisions::new(m);
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

pub(super) fn matter_opened(m: &mut Model, cx: &mut Ctx<'_>, e: &AspMatterOpened) -> Res {
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
        carried = a.steps.into_iter().filter(|s| s.what != "opened").collect();
    }
    let at = cx.at();
    let mut steps = vec![cx.step("opened")];
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

pub(super) fn considered_referral(
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
    let step = cx.step("bureau_considered_referral");
    if let Some(a) = m.asp_matters.get_mut(&e.asp_matter_id) {
        a.steps.push(step.clone());
        a.state_heard |= e.state_heard;
    }
    if e.state_heard {
        state_mut(m, e.state).bureau_hearings.push(step);
    }
    Ok(())
}

pub(super) fn emergency_meeting(
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
    let step = cx.step("emergency_bureau_meeting");
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

pub(super) fn plenary_scheduled(m: &mut Model, cx: &mut Ctx<'_>, e: &AspPlenaryScheduled) -> Res {
    let ids = plenary_matters(m, cx, &e.asp_matter_ids, |a| a.plenary_held.is_none())?;
    let step = cx.step("plenary_scheduled");
    for id in ids {
        if let Some(a) = m.asp_matters.get_mut(&id) {
            a.plenary_scheduled = Some(e.scheduled_for);
            a.steps.push(step.clone());
        }
    }
    Ok(())
}

pub(super) fn plenary_held(m: &mut Model, cx: &mut Ctx<'_>, e: &AspPlenaryHeld) -> Res {
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
                    .find(|s| s.what == "plenary_scheduled")
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
    let step = cx.step("plenary_held");
    for id in ids {
        if let Some(a) = m.asp_matters.get_mut(&id) {
            a.plenary_scheduled = None;
            a.plenary_held = Some(e.occurred);
            a.steps.push(step.clone());
        }
    }
    Ok(())
}

pub(super) fn resolution_adopted(m: &mut Model, cx: &mut Ctx<'_>, e: &AspResolutionAdopted) -> Res {
    let decisions = super::Decisions::new(m);
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

// ---------------------------------------------------------------------------------------------
// Roster (§7.7)
// ---------------------------------------------------------------------------------------------

pub(super) fn focal_point_appointed(
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

pub(super) fn prior_focal_point(m: &mut Model, cx: &mut Ctx<'_>, f: &PriorFocalPoint) -> Res {
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

pub(super) fn focal_point_confirmed(
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
    let step = cx.step("mandate_confirmed");
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

pub(super) fn president_term(m: &mut Model, cx: &mut Ctx<'_>, e: &AspPresidentTermRecorded) -> Res {
    m.roster.presidents.push(PresidentTerm {
        person: e.person.clone(),
        state: e.state,
        from: e.occurred,
        ends: e.ends,
        at: cx.at(),
    });
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Derived state
// ---------------------------------------------------------------------------------------------

/// Whether the person was arrested in `state` during `period` (any warrant).
fn arrested_during(m: &Model, person: &PersonId, state: StateCode, period: &LegalDate) -> bool {
    m.warrants
        .values()
        .filter(|w| w.person.as_ref() == Some(person))
        .flat_map(|w| w.history.iter().filter(|s| s.what == "arrested"))
        .any(|s| {
            let in_state = m
                .fact(s.at.seq)
                .is_some_and(|f| matches!(&f.event, Event::PersonArrested(a) if a.state == state));
            let during =
                s.on.as_ref()
                    .is_none_or(|on| on.compare(period) == DateOrder::Indeterminate);
            in_state && during
        })
}

/// Episode outcomes and links, the States' episodes, roster warnings.
pub(super) fn finish(m: &mut Model) {
    let mut updates = Vec::new();
    for ep in m.episodes.values() {
        let outcome = match (&ep.visit_period, &ep.person, ep.outcome) {
            (_, _, Some(o)) => Some(o),
            (Some(period), Some(person), None) => {
                Some(if arrested_during(m, person, ep.state, period) {
                    VisitOutcome::Arrested
                } else {
                    VisitOutcome::NotArrested
                })
            }
            _ => None,
        };
        // A non-compliance proceeding about the same person and State, not opened before it.
        let proceeding = ep.person.as_ref().and_then(|person| {
            m.proceedings
                .values()
                .find(|p| {
                    p.person.as_ref() == Some(person)
                        && p.state == ep.state
                        && match (&p.opened, &ep.visit_period) {
                            (Some(o), Some(v)) => o.compare(v) != DateOrder::Before,
                            _ => true,
                        }
                })
                .map(|p| p.id.clone())
        });
        updates.push((ep.id.clone(), ep.state, outcome, proceeding));
    }
    for (id, state, outcome, proceeding) in updates {
        if let Some(ep) = m.episodes.get_mut(&id) {
            ep.outcome = outcome;
            ep.proceeding = proceeding;
        }
        push_new(&mut state_mut(m, state).episodes, id);
    }
    let warnings = roster_warnings(m);
    m.warnings.extend(warnings);
}

/// `W_ROSTER_SIZE`: fewer than 4 or more than 5 focal-point States, or two from one region.
/// Reads the roster only (and [`finish`] changes nothing of it before).
pub(in crate::model) fn roster_warnings(m: &Model) -> Vec<Warning> {
    let members = &m.roster.members;
    let Some(last) = members
        .values()
        .flat_map(|f| std::iter::once(f.at).chain(f.confirmed.iter().map(|s| s.at)))
        .max_by_key(|at| at.seq)
    else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let n = members.len();
    if !(4..=5).contains(&n) {
        problems.push(format!(
            "{n} focal-point States ({}); the procedures provide for 4, or 5 at the President's request",
            members.keys().map(StateCode::as_str).collect::<Vec<_>>().join(", ")
        ));
    }
    let mut seen: std::collections::BTreeMap<crate::vocab::RegionGroup, StateCode> =
        std::collections::BTreeMap::new();
    for f in members.values() {
        if let Some(r) = f.region {
            if let Some(other) = seen.get(&r) {
                problems.push(format!(
                    "{other} and {} are both from the {r} group",
                    f.state
                ));
            } else {
                seen.insert(r, f.state);
            }
        }
    }
    problems
        .into_iter()
        .map(|p| Warning {
            code: C::RosterSize,
            at: last,
            conflicting: None,
            message: format!("focal-point roster: {p} ({})", C::RosterSize),
        })
        .collect()
}
