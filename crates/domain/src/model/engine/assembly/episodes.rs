//! Prevention episodes and visits (DOMAIN.md §7.5), and the letters of the President and the
//! States' replies.

use crate::date::DateOrder;
use crate::event::*;
use crate::ids::{AspMatterId, EpisodeId, PersonId};
use crate::model::Model;
use crate::model::engine::{Ctx, Res, push_new, state_mut};
use crate::model::types::*;
use crate::source::AnomalyCode as C;
use crate::state::StateCode;
use crate::vocab::{LetterPurpose, Track};

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

pub(in crate::model::engine) fn travel_information(
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
    let step = cx.step(StepKind::TravelInformationReceived);
    if let Some(id) = episode_for(m, e.episode_id.as_ref(), Some(&e.person), e.state) {
        episode_mut(m, &id, Some(&e.person), e.state)
            .steps
            .push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn visit_recorded(
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
    let step = cx.step(StepKind::Visit);
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
    let p = crate::model::engine::court::person_mut(m, &e.person);
    push_new(&mut p.visits, e.visit_id.clone());
    p.at.push(at);
    Ok(())
}

pub(in crate::model::engine) fn focal_points_activated(
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
    let step = cx.step(StepKind::FocalPointsActivated);
    episode_mut(m, &e.episode_id, Some(&e.person), e.state)
        .steps
        .push(step);
    Ok(())
}

pub(in crate::model::engine) fn communication_issued(
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
                let step = cx.step(StepKind::FocalPointsCommunication);
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
pub(super) fn matter<'m>(
    m: &'m Model,
    cx: &Ctx<'_>,
    id: &AspMatterId,
    subject: &str,
) -> Res<&'m AspMatter> {
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

pub(in crate::model::engine) fn letter_sent(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AspPresidentLetterSent,
) -> Res {
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
    let step = cx.step(StepKind::LetterSent);
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

pub(in crate::model::engine) fn letter_published(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &AspPresidentLetterPublished,
) -> Res {
    let subject = format!("of letter {}", e.letter_id);
    let l = letter(m, cx, &e.letter_id)?;
    let (dated, at, episode) = (l.dated, l.at, l.episode.clone());
    cx.not_before(Some(&dated), at, &subject, "the letter's date")?;
    let step = cx.step(StepKind::LetterPublished);
    if let Some(l) = m.letters.get_mut(&e.letter_id) {
        l.published = Some(step.clone());
    }
    if let Some(ep) = episode.and_then(|id| m.episodes.get_mut(&id)) {
        ep.steps.push(step);
    }
    Ok(())
}

pub(in crate::model::engine) fn state_reply(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &StateReplyReceived,
) -> Res {
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
    let step = cx.step(StepKind::StateReplyReceived);
    if let Some(a) = matter_id.and_then(|id| m.asp_matters.get_mut(&id)) {
        a.steps.push(step);
    }
    Ok(())
}
