//! The paragraphs of each section, the case timelines, the appendices and the manifest.

use std::collections::BTreeMap;

use crate::describe::{Topic, describe, label};
use crate::words;
use crate::{
    Appendices, Case, CaseEvent, CorrectionNote, Discrepancy, DiscrepancyKind, HeadRef, Manifest,
    ManifestEntry, ManifestParagraph, Paragraph, ReportSection, Sentence, SentenceKind,
};
use acta_domain::date::LegalDate;
use acta_domain::event::{Event, PriorFact};
use acta_domain::model::{Fact, FactStatus};
use acta_domain::state::StateCode;
use acta_domain::vocab::{MeetingKind, TransmissionTarget};

use super::context::{Ctx, value_words};
use super::keys::{Key, keys};
use super::{CaseFacts, Facts, order};

/// Section I: mandates, confirmations, appointments, the President.
pub(super) fn intro(cx: &Ctx<'_>, facts: &[(&Fact, bool)]) -> Vec<Paragraph> {
    let mut sorted = facts.to_vec();
    sorted.sort_by_key(|(f, _)| order(f));
    let mut sentences = Vec::new();
    // Appointments, grouped by meeting and date.
    let mut groups: Vec<(String, Vec<(&Fact, bool)>)> = Vec::new();
    for (f, bg) in &sorted {
        if let Event::FocalPointAppointed(a) = &f.event {
            let key = format!("{}|{}", a.meeting, a.occurred);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push((*f, *bg)),
                None => groups.push((key, vec![(*f, *bg)])),
            }
        }
    }
    for (f, bg) in &sorted {
        match &f.event {
            Event::FocalPointAppointed(a) => {
                let key = format!("{}|{}", a.meeting, a.occurred);
                let Some(i) = groups.iter().position(|(k, _)| *k == key) else {
                    continue;
                };
                let (_, members) = groups.remove(i);
                let states: Vec<&str> = members
                    .iter()
                    .filter_map(|(g, _)| match &g.event {
                        Event::FocalPointAppointed(a) => Some(a.state.name()),
                        _ => None,
                    })
                    .collect();
                let verb = if states.len() == 1 { "was" } else { "were" };
                let text = format!(
                    "{} {verb} appointed focal {} on non-cooperation at the Bureau meeting held {}.",
                    words::join(&states),
                    if states.len() == 1 { "point" } else { "points" },
                    words::on(&a.occurred)
                );
                let kind = if *bg {
                    SentenceKind::Background
                } else {
                    SentenceKind::Event
                };
                sentences.push(cx.sentence_many(&members, kind, text));
            }
            _ => sentences.extend(describe(cx, f, *bg).into_iter().map(|(_, s)| s)),
        }
    }
    if sentences.is_empty() {
        return Vec::new();
    }
    vec![Paragraph {
        number: 0,
        group: None,
        sentences,
    }]
}

/// A State's block of Court facts (or the block of facts no State is known for).
pub(super) struct Block<'m> {
    pub(super) state: Option<StateCode>,
    pub(super) facts: Vec<(&'m Fact, bool)>,
}

pub(super) fn court_blocks<'m>(cx: &Ctx<'m>, facts: &[(&'m Fact, bool)]) -> Vec<Block<'m>> {
    let mut blocks: Vec<Block<'m>> = Vec::new();
    let mut stateless = Vec::new();
    for (f, bg) in facts {
        match cx.link(f).0 {
            Some(s) => match blocks.iter_mut().find(|b| b.state == Some(s)) {
                Some(b) => b.facts.push((*f, *bg)),
                None => blocks.push(Block {
                    state: Some(s),
                    facts: vec![(*f, *bg)],
                }),
            },
            None => stateless.push((*f, *bg)),
        }
    }
    // Blocks ordered by their first event of the period (background facts last resort).
    let first = |b: &Block<'_>| {
        let inp = b
            .facts
            .iter()
            .filter(|(_, bg)| !bg)
            .map(|(f, _)| order(f))
            .min();
        (
            inp.is_none(),
            inp.or_else(|| b.facts.iter().map(|(f, _)| order(f)).min()),
        )
    };
    blocks.sort_by_key(|b| first(b));
    // Facts without a State join the first block about the same warrant or person.
    let mut other = Vec::new();
    for (f, bg) in stateless {
        let (_, person) = cx.link(f);
        let wkeys: Vec<Key> = {
            let (ids, refs) = keys(f);
            ids.into_iter()
                .chain(refs)
                .filter(|k| matches!(k, Key::Warrant(_)))
                .collect()
        };
        let target = blocks.iter_mut().find(|b| {
            b.facts.iter().any(|(g, _)| {
                let (ids, refs) = keys(g);
                ids.iter().chain(refs.iter()).any(|k| wkeys.contains(k))
                    || (person.is_some() && cx.link(g).1 == person)
            })
        });
        match target {
            Some(b) => b.facts.push((f, bg)),
            None => other.push((f, bg)),
        }
    }
    if !other.is_empty() {
        blocks.push(Block {
            state: None,
            facts: other,
        });
    }
    for b in &mut blocks {
        b.facts.sort_by_key(|(f, _)| order(f));
    }
    blocks
}

/// A block's paragraphs: sentences grouped by topic, a situation named first, pending matters
/// at the end.
pub(super) fn block_paragraphs(cx: &Ctx<'_>, b: &Block<'_>) -> Vec<Paragraph> {
    let group = Some(match b.state {
        Some(s) => crate::describe::state_name(s),
        None => "Other Court developments".to_owned(),
    });
    let mut paras: Vec<(Topic, Vec<Sentence>)> = Vec::new();
    for (f, bg) in &b.facts {
        for (topic, s) in describe(cx, f, *bg) {
            match paras.last_mut() {
                Some((t, v)) if *t == topic => v.push(s),
                _ => paras.push((topic, vec![s])),
            }
        }
    }
    // Name the situation in the block's first sentence.
    let situation = b.facts.iter().find_map(|(f, _)| situation_of(&f.event));
    if let (Some(sit), Some((_, first))) = (situation, paras.first_mut())
        && let Some(s) = first.first_mut()
    {
        let starts_with_date = [
            "On ", "From ", "In ", "Between ", "A ", "An ", "As ", "The ",
        ]
        .iter()
        .any(|p| s.text.starts_with(p));
        let rest = if starts_with_date {
            let mut c = s.text.chars();
            c.next()
                .map(|x| x.to_lowercase().chain(c).collect::<String>())
                .unwrap_or_default()
        } else {
            s.text.clone()
        };
        s.text = format!("In relation to {}, {rest}", cx.situation(&sit));
    }
    // Pending matters of the block's proceedings.
    let mut procs: Vec<String> = Vec::new();
    for (f, _) in &b.facts {
        let (ids, refs) = keys(f);
        for k in ids.into_iter().chain(refs) {
            if let Key::Proceeding(p) = k
                && !procs.contains(&p)
            {
                procs.push(p);
            }
        }
    }
    for p in procs {
        let pending = crate::describe::pending(cx, &p);
        if !pending.is_empty() {
            match paras.last_mut() {
                Some((Topic::Decision, v)) => v.extend(pending),
                _ => paras.push((Topic::Decision, pending)),
            }
        }
    }
    paras
        .into_iter()
        .map(|(_, sentences)| Paragraph {
            number: 0,
            group: group.clone(),
            sentences,
        })
        .collect()
}

fn situation_of(ev: &Event) -> Option<acta_domain::ids::SituationId> {
    match ev {
        Event::ArrestWarrantIssued(e) => Some(e.situation),
        Event::NonComplianceProceedingOpened(e) => Some(e.situation),
        Event::NonComplianceDecisionIssued(e) => Some(e.situation),
        Event::PriorFactAsserted(p) => match &p.fact {
            PriorFact::WarrantOutstanding(w) => Some(w.situation),
            PriorFact::ProceedingOpen(o) => Some(o.situation),
            _ => None,
        },
        _ => None,
    }
}

/// "Vladimir Putin was not arrested during the visit; no Court proceeding concerning it is
/// recorded" — a visit reported with its prevention episode.
pub(super) fn visit_pending(cx: &Ctx<'_>, f: &Fact) -> Vec<Sentence> {
    let Event::WantedPersonVisitRecorded(v) = &f.event else {
        return Vec::new();
    };
    if v.outcome != Some(acta_domain::vocab::VisitOutcome::NotArrested) {
        return Vec::new();
    }
    let text = format!(
        "As at {}, no Court proceeding concerning the non-arrest of {} during the visit to {} is recorded.",
        words::day(cx.params.to),
        cx.person(&v.person),
        crate::describe::state_name(v.state),
    );
    let mut s = cx.sentence(f, false, text);
    s.kind = SentenceKind::Pending;
    vec![s]
}

/// Section V groups: a prevention episode, an Assembly matter, or one fact.
pub(super) fn assembly_groups<'m>(
    cx: &Ctx<'m>,
    facts: &[(&'m Fact, bool)],
) -> Vec<(Option<String>, Facts<'m>)> {
    let mut groups: Vec<(String, Option<String>, Facts<'m>)> = Vec::new();
    for (f, bg) in facts {
        let (ids, refs) = keys(f);
        let mut key = refs
            .iter()
            .chain(ids.iter())
            .find(|k| matches!(k, Key::Episode(_) | Key::Matter(_)))
            .cloned();
        if key.is_none() {
            // A letter's publication or reply: the letter's group.
            if let Some(Key::Letter(l)) = refs.iter().find(|k| matches!(k, Key::Letter(_))) {
                key = cx
                    .with_id(&Key::Letter(l.clone()))
                    .flat_map(|g| keys(g).1)
                    .find(|k| matches!(k, Key::Episode(_) | Key::Matter(_)));
            }
        }
        if key.is_none()
            && let Event::WantedPersonVisitRecorded(v) = &f.event
        {
            key = Some(Key::Visit(v.visit_id.to_string()));
        }
        let label = match cx.link(f) {
            (Some(s), Some(p)) => Some(format!("{} — {}", cx.person(&p), state_name(s))),
            (Some(s), None) => Some(state_name(s)),
            _ => None,
        };
        let name = match &key {
            Some(k) => format!("{k:?}"),
            None => format!("entry {}", f.at.seq),
        };
        match groups.iter_mut().find(|(n, _, _)| *n == name) {
            Some((_, l, v)) => {
                v.push((*f, *bg));
                if l.is_none() {
                    *l = label;
                }
            }
            None => groups.push((name, label, vec![(*f, *bg)])),
        }
    }
    for (_, l, v) in &mut groups {
        v.sort_by_key(|(f, _)| order(f));
        if l.is_none() {
            *l = Some("Other actions".to_owned());
        }
    }
    groups.sort_by_key(|(_, _, v)| v.first().map(|(f, _)| order(f)));
    // Groups of one label together, in the order of the label's first group.
    let mut labels: Vec<Option<String>> = Vec::new();
    for (_, l, _) in &groups {
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    groups.sort_by_key(|(_, l, _)| labels.iter().position(|x| x == l));
    groups.into_iter().map(|(_, l, v)| (l, v)).collect()
}

fn state_name(s: StateCode) -> String {
    crate::describe::state_name(s)
}

/// Section VI: briefings by resolution, then referrals to and actions of the Council.
pub(super) fn council(
    cx: &Ctx<'_>,
    facts: &[(&Fact, bool)],
    selected: &[(&Fact, bool)],
) -> Vec<Paragraph> {
    let mut by_res: Vec<(String, Vec<(&Fact, bool)>)> = Vec::new();
    let mut rest: Vec<(&Fact, bool)> = Vec::new();
    for (f, bg) in facts {
        match &f.event {
            Event::ProsecutorUnscBriefingDelivered(b) => {
                let k = b.resolution.to_string();
                match by_res.iter_mut().find(|(r, _)| *r == k) {
                    Some((_, v)) => v.push((*f, *bg)),
                    None => by_res.push((k, vec![(*f, *bg)])),
                }
            }
            _ => rest.push((*f, *bg)),
        }
    }
    for (f, bg) in selected {
        if let Event::ReferralTransmitted(t) = &f.event
            && t.to == TransmissionTarget::Unsc
        {
            rest.push((*f, *bg));
        }
    }
    let mut paras = Vec::new();
    for (_, mut v) in by_res {
        v.sort_by_key(|(f, _)| order(f));
        paras.push(Paragraph {
            number: 0,
            group: None,
            sentences: v
                .iter()
                .flat_map(|(f, bg)| describe(cx, f, *bg).into_iter().map(|(_, s)| s))
                .collect(),
        });
    }
    rest.sort_by_key(|(f, _)| order(f));
    if !rest.is_empty() {
        paras.push(Paragraph {
            number: 0,
            group: None,
            sentences: rest
                .iter()
                .flat_map(|(f, bg)| describe(cx, f, *bg).into_iter().map(|(_, s)| s))
                .collect(),
        });
    }
    paras
}

/// Section VII: focal-point meetings (updates to the New York Working Group together), then
/// the plenary.
pub(super) fn consultations(cx: &Ctx<'_>, facts: &[(&Fact, bool)]) -> Vec<Paragraph> {
    let mut sorted = facts.to_vec();
    sorted.sort_by_key(|(f, _)| order(f));
    let mut meetings = Vec::new();
    let mut nywg: Vec<(&Fact, bool)> = Vec::new();
    let mut plenary = Vec::new();
    for (f, bg) in &sorted {
        match &f.event {
            Event::FocalPointsMeetingHeld(m) if m.kind == MeetingKind::NywgUpdate => {
                nywg.push((*f, *bg));
            }
            Event::FocalPointsMeetingHeld(_) => {
                meetings.extend(describe(cx, f, *bg).into_iter().map(|(_, s)| s));
            }
            _ => plenary.extend(describe(cx, f, *bg).into_iter().map(|(_, s)| s)),
        }
    }
    if !nywg.is_empty() {
        let counterpart = nywg
            .iter()
            .find_map(|(f, _)| match &f.event {
                Event::FocalPointsMeetingHeld(m) => m.counterpart.as_ref().map(|c| c.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| "New York Working Group".to_owned());
        let dates: Vec<LegalDate> = nywg
            .iter()
            .filter_map(|(f, _)| f.event.envelope().occurred.copied())
            .collect();
        let text = format!(
            "The focal points provided updates on their mandate and activities to the {counterpart} on {}.",
            words::dates(&dates)
        );
        meetings.push(cx.sentence_many(&nywg, SentenceKind::Event, text));
    }
    let mut paras = Vec::new();
    for s in [meetings, plenary] {
        if !s.is_empty() {
            paras.push(Paragraph {
                number: 0,
                group: None,
                sentences: s,
            });
        }
    }
    paras
}

/// Adds facts to the case of `(state, person)`.
pub(super) fn add_case_facts<'m>(
    cx: &Ctx<'m>,
    cases: &mut CaseFacts<'m>,
    state: StateCode,
    facts: &[(&'m Fact, bool)],
) {
    for (f, bg) in facts {
        let person = cx.link(f).1;
        let slot = match cases
            .iter()
            .position(|(s, p, _)| *s == state && *p == person)
        {
            Some(i) => i,
            None => {
                cases.push((state, person.clone(), Vec::new()));
                cases.len() - 1
            }
        };
        if !cases[slot].2.iter().any(|(g, _)| g.at == f.at) {
            cases[slot].2.push((*f, *bg));
        }
    }
}

pub(super) fn make_cases(cx: &Ctx<'_>, cases: CaseFacts<'_>) -> Vec<Case> {
    let mut out: Vec<Case> = cases
        .into_iter()
        .map(|(state, person, mut facts)| {
            facts.sort_by_key(|(f, _)| order(f));
            Case {
                title: match &person {
                    Some(p) => format!("{} — {}", cx.person(p), state_name(state)),
                    None => state_name(state),
                },
                state,
                person,
                events: facts
                    .iter()
                    .filter_map(|(f, bg)| {
                        Some(CaseEvent {
                            label: label(cx, f),
                            date: *f.event.envelope().occurred?,
                            seq: f.at.seq,
                            background: *bg,
                        })
                    })
                    .collect(),
            }
        })
        .filter(|c| !c.events.is_empty())
        .collect();
    out.sort_by_key(|c| {
        c.events
            .iter()
            .filter(|e| !e.background)
            .map(|e| (e.date.sort_key(), e.seq))
            .min()
    });
    out
}

pub(super) fn appendices(cx: &Ctx<'_>, mut unclassified: Vec<StateCode>) -> Appendices {
    let model = cx.model;
    let mut corrections = Vec::new();
    for f in &model.facts {
        for c in &f.corrections {
            corrections.push(CorrectionNote {
                target: cx.cited(&f.at),
                field: c.field_path.to_string(),
                published: value_words(&c.published_value),
                corrected: value_words(&c.corrected_value),
                basis: words::correction_basis(c.basis).to_owned(),
                correction: cx.cited(&c.at),
                approval: cx.cited(&c.approved_by),
            });
        }
    }
    let mut discrepancies = Vec::new();
    for flag in model.flags.iter().filter(|g| g.resolved_by.is_none()) {
        discrepancies.push(Discrepancy {
            kind: DiscrepancyKind::OpenFlag,
            entry: cx.cited(&flag.target),
            flag: Some(cx.cited(&flag.at)),
            code: flag.code.to_string(),
            text: format!("{}: {}", flag.field_path, flag.explanation),
        });
    }
    for f in &model.facts {
        let (kind, code) = match &f.status {
            FactStatus::Quarantined { code } => (DiscrepancyKind::Quarantined, code),
            FactStatus::Rejected { code } => (DiscrepancyKind::Rejected, code),
            _ => continue,
        };
        discrepancies.push(Discrepancy {
            kind,
            entry: cx.cited(&f.at),
            flag: None,
            code: code.to_string(),
            text: format!(
                "{} {}: not used in this report until corrected.",
                f.event.entry_type(),
                f.event
                    .envelope()
                    .occurred
                    .map(|d| format!("dated {}", words::date(d)))
                    .unwrap_or_default()
            )
            .replace("  ", " ")
            .replace(" :", ":"),
        });
    }
    unclassified.sort();
    unclassified.dedup();
    Appendices {
        corrections,
        discrepancies,
        unknown: model.unknown.iter().map(|u| cx.cited(&u.at)).collect(),
        unclassified,
    }
}

pub(super) fn manifest(cx: &Ctx<'_>, sections: &[ReportSection]) -> Manifest {
    let mut cited: BTreeMap<u64, ManifestEntry> = BTreeMap::new();
    for s in sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| &p.sentences)
    {
        if s.kind == SentenceKind::Nil {
            continue;
        }
        for e in &s.footnote.entries {
            let hash = cx
                .model
                .fact(e.seq)
                .map(|f| f.at.hash.to_string())
                .unwrap_or_else(|| e.hash.clone());
            cited.insert(
                e.seq,
                ManifestEntry {
                    seq: e.seq,
                    hash,
                    entry_type: e.entry_type.clone(),
                },
            );
        }
    }
    let paragraphs = sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .map(|p| ManifestParagraph {
            number: p.number,
            entries: {
                let mut v: Vec<u64> = p
                    .sentences
                    .iter()
                    .filter(|s| s.kind != SentenceKind::Nil)
                    .flat_map(|s| s.footnote.entries.iter().map(|e| e.seq))
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            },
        })
        .collect();
    Manifest {
        paragraphs,
        origin: cx.params.origin.clone(),
        head: cx.params.head.map(|h| HeadRef {
            seq: h.seq,
            hash: h.hash.to_string(),
        }),
        size: cx.params.size,
        view: cx.model.view,
        model_hash: cx.model.hash().to_string(),
        cited: cited.into_values().collect(),
    }
}
