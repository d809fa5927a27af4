//! Situations and persons (DOMAIN.md §7.2): registration, aliases, death, and the
//! Security Council's referrals of situations.

use crate::event::*;
use crate::ids::{PersonId, SituationId};
use crate::model::Model;
use crate::model::engine::{self, Ctx, Res, push_new, state_mut};
use crate::model::types::*;
use crate::source::AnomalyCode as C;

fn situation_mut<'m>(model: &'m mut Model, id: &SituationId) -> &'m mut Situation {
    model.situations.entry(*id).or_insert_with(|| Situation {
        id: *id,
        name: None,
        referral: None,
        unsc_resolution: None,
        unsc_bound_states: Vec::new(),
        at: Vec::new(),
    })
}

pub(in crate::model::engine) fn person_mut<'m>(
    model: &'m mut Model,
    id: &PersonId,
) -> &'m mut Person {
    model.persons.entry(id.clone()).or_insert_with(|| Person {
        id: id.clone(),
        name: None,
        aliases: Vec::new(),
        nationality: None,
        status: PersonStatus::NoActiveProceedings,
        warrants: Vec::new(),
        visits: Vec::new(),
        releases: Vec::new(),
        died: None,
        died_at: None,
        domestic_custody: None,
        at: Vec::new(),
    })
}

pub(in crate::model::engine) fn situation_registered(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &SituationRegistered,
) -> Res {
    let s = situation_mut(m, &e.situation);
    s.name = Some(e.name.clone());
    if e.referral.is_some() {
        s.referral = e.referral;
    }
    if e.unsc_resolution.is_some() {
        s.unsc_resolution = e.unsc_resolution.clone();
    }
    s.at.push(cx.at());
    Ok(())
}

pub(in crate::model::engine) fn unsc_referral_recorded(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &UnscReferralRecorded,
) -> Res {
    if !m.situations.contains_key(&e.situation) {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!(
                "of situation {}: the situation is not registered",
                e.situation
            ),
        );
    }
    let at = cx.at();
    let s = situation_mut(m, &e.situation);
    s.unsc_resolution = Some(e.resolution.clone());
    engine::extend_new(&mut s.unsc_bound_states, &e.bound_states);
    s.at.push(at);
    for st in &e.bound_states {
        state_mut(m, *st)
            .unsc_obligations
            .push((e.resolution.clone(), e.situation, at));
    }
    Ok(())
}

pub(in crate::model::engine) fn person_registered(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &PersonRegistered,
) -> Res {
    let at = cx.at();
    let p = person_mut(m, &e.person);
    p.name = Some(e.primary_name.clone());
    engine::extend_new(&mut p.aliases, &e.aliases);
    if e.nationality.is_some() {
        p.nationality = e.nationality;
    }
    p.at.push(at);
    Ok(())
}

pub(super) fn known_person(m: &Model, cx: &Ctx<'_>, id: &PersonId) -> Res {
    if m.persons.contains_key(id) {
        Ok(())
    } else {
        cx.fail(
            C::PersonNotFound,
            None,
            format!(
                "of person {id}: the person is not registered and no warrant or visit names them"
            ),
        )
    }
}

pub(in crate::model::engine) fn person_alias_recorded(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &PersonAliasRecorded,
) -> Res {
    known_person(m, cx, &e.person)?;
    let at = cx.at();
    let p = person_mut(m, &e.person);
    push_new(&mut p.aliases, e.alias.clone());
    p.at.push(at);
    Ok(())
}

pub(in crate::model::engine) fn person_death_recorded(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &PersonDeathRecorded,
) -> Res {
    known_person(m, cx, &e.person)?;
    let subject = format!("of person {}", e.person);
    // No arrest or visit definitely after the death.
    for w in m.warrants.values() {
        if w.person.as_ref() != Some(&e.person) {
            continue;
        }
        for s in w.history.iter().filter(|s| s.what == StepKind::Arrested) {
            if let Some(on) = &s.on
                && e.occurred.compare(on) == crate::date::DateOrder::Before
            {
                return cx.fail(
                    C::PersonDeceased,
                    Some(s.at),
                    format!(
                        "{subject}: died on {}, but was arrested on {on} under warrant {}",
                        e.occurred, w.id
                    ),
                );
            }
        }
    }
    for v in m.visits.values().filter(|v| v.person == e.person) {
        if e.occurred.compare(&v.period) == crate::date::DateOrder::Before {
            return cx.fail(
                C::PersonDeceased,
                Some(v.at),
                format!(
                    "{subject}: died on {}, but visited {} on {} (visit {})",
                    e.occurred, v.state, v.period, v.id
                ),
            );
        }
    }
    let at = cx.at();
    let step = cx.step(StepKind::SubjectDeceased);
    for w in m.warrants.values_mut() {
        if w.person.as_ref() == Some(&e.person)
            && matches!(
                w.execution,
                Execution::Outstanding | Execution::InStateCustody { .. }
            )
        {
            w.execution = Execution::SubjectDeceased;
            w.history.push(step.clone());
        }
    }
    let p = person_mut(m, &e.person);
    p.died = Some(e.occurred);
    p.died_at = Some(at);
    p.at.push(at);
    Ok(())
}

/// `E_PERSON_DECEASED` if the person's death is definitely before this fact.
pub(super) fn alive(m: &Model, cx: &Ctx<'_>, person: &PersonId, subject: &str) -> Res {
    let Some(p) = m.persons.get(person) else {
        return Ok(());
    };
    if let (Some(died), Some(on)) = (&p.died, cx.on())
        && died.compare(&on) == crate::date::DateOrder::Before
    {
        return cx.fail(
            C::PersonDeceased,
            p.died_at,
            format!("{subject}: dated {on}, but {person} died on {died}"),
        );
    }
    Ok(())
}

pub(in crate::model::engine) fn unsc_briefing(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &ProsecutorUnscBriefingDelivered,
) -> Res {
    if !m
        .situations
        .values()
        .any(|s| s.unsc_resolution.as_ref() == Some(&e.resolution))
    {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!(
                "under {}: no Security Council referral by this resolution is recorded",
                e.resolution
            ),
        );
    }
    Ok(())
}
