//! Selecting facts and arranging them into sections, appendices and a manifest.

mod context;
mod keys;
mod sections;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::describe::describe;
use crate::words;
use crate::{
    Footnote, Paragraph, Period, Report, ReportParams, ReportSection, Sentence, SentenceKind,
};
use acta_domain::date::LegalDate;
use acta_domain::event::{Event, PriorFact};
use acta_domain::ids::PersonId;
use acta_domain::model::{Fact, Model, Section};
use acta_domain::state::StateCode;

pub(crate) use context::Ctx;
use context::entry_words;
use keys::{Area, area};
pub(crate) use keys::{Key, keys};
use sections::{
    add_case_facts, appendices, assembly_groups, block_paragraphs, consultations, council,
    court_blocks, intro, make_cases, manifest, visit_pending,
};

/// Facts with their background flag.
type Facts<'m> = Vec<(&'m Fact, bool)>;

/// Facts of each (State, person) case.
type CaseFacts<'m> = Vec<(StateCode, Option<PersonId>, Facts<'m>)>;

/// Whether a date overlaps the period (unbounded sides overlap).
fn overlaps(d: &LegalDate, from: NaiveDate, to: NaiveDate) -> bool {
    d.earliest().is_none_or(|e| e <= to) && d.latest().is_none_or(|l| l >= from)
}

/// The sort key of a fact: its date's, then its seq.
pub(crate) fn order(f: &Fact) -> ((bool, Option<NaiveDate>), u64) {
    (
        f.event
            .envelope()
            .occurred
            .map_or((true, None), LegalDate::sort_key),
        f.at.seq,
    )
}

/// Selected facts: `(fact, background)`, in log order.
fn select<'m>(cx: &Ctx<'m>) -> Vec<(&'m Fact, bool)> {
    let (from, to) = (cx.params.from, cx.params.to);
    let mut chosen: BTreeMap<u64, bool> = BTreeMap::new();
    let mut queue: Vec<Key> = Vec::new();
    for f in &cx.facts {
        let Some(a) = area(cx, f) else { continue };
        let Some(d) = f.event.envelope().occurred else {
            continue;
        };
        let prior = matches!(f.event, Event::PriorFactAsserted(_));
        // Section I gives the whole roster; III every resolution binding States.
        let always = matches!(a, Area::UnscObligation)
            || matches!(
                f.event,
                Event::FocalPointAppointed(_) | Event::AspPresidentTermRecorded(_)
            )
            || matches!(&f.event, Event::PriorFactAsserted(p) if matches!(p.fact, PriorFact::FocalPointInOffice(_)));
        if !prior && overlaps(d, from, to) {
            chosen.insert(f.at.seq, false);
            queue.extend(keys(f).1);
        } else if always && d.earliest().is_none_or(|e| e <= to) {
            chosen.insert(f.at.seq, true);
        }
    }
    // Background: earlier facts referenced by a selected fact, transitively.
    let mut seen: BTreeSet<Key> = BTreeSet::new();
    while let Some(k) = queue.pop() {
        if !seen.insert(k.clone()) {
            continue;
        }
        for g in cx.with_id(&k) {
            if chosen.contains_key(&g.at.seq) || area(cx, g).is_none() {
                continue;
            }
            let Some(d) = g.event.envelope().occurred else {
                continue;
            };
            let prior = matches!(g.event, Event::PriorFactAsserted(_));
            let before = d.latest().is_some_and(|l| l < from);
            if before || (prior && d.earliest().is_none_or(|e| e <= to)) {
                chosen.insert(g.at.seq, true);
                queue.extend(keys(g).1);
            }
        }
    }
    chosen
        .into_iter()
        .filter_map(|(seq, bg)| cx.fact(seq).map(|f| (f, bg)))
        .collect()
}

/// Builds the report of a model for a period (see the module docs).
pub fn build(model: &Model, params: &ReportParams) -> Report {
    let cx = Ctx::new(model, params);
    let selected = select(&cx);
    let mut counter = 0u32;
    let mut sections = Vec::new();
    let mut unclassified = Vec::new();

    let of_area = |a: Area| -> Vec<(&Fact, bool)> {
        selected
            .iter()
            .filter(|(f, _)| area(&cx, f) == Some(a))
            .copied()
            .collect()
    };

    // I. Introduction.
    let intro = intro(&cx, &of_area(Area::Intro));
    sections.push(section(
        &mut counter,
        ("I", "Introduction"),
        intro,
        &cx,
        "No allocation of mandates or appointment of focal points on non-cooperation is recorded.",
    ));

    // II–IV. Court proceedings, by State.
    let blocks = court_blocks(&cx, &of_area(Area::Court));
    let mut by_section: BTreeMap<Section, Vec<Vec<Paragraph>>> = BTreeMap::new();
    let mut cases: CaseFacts<'_> = Vec::new();
    for b in &blocks {
        let first = b.facts.iter().find(|(_, bg)| !bg).or(b.facts.first());
        let day = first
            .and_then(|(f, _)| f.event.envelope().occurred.and_then(LegalDate::latest))
            .unwrap_or(params.to)
            .clamp(params.from, params.to);
        let basis = b.facts.iter().find_map(|(f, _)| match &f.event {
            Event::NonComplianceProceedingOpened(o) => Some(o.legal_basis),
            Event::NonComplianceDecisionIssued(d) => d.legal_basis,
            _ => None,
        });
        let sec = match b.state {
            Some(s) => model.section_on(s, day, basis).unwrap_or_else(|| {
                unclassified.push(s);
                Section::StatesParties
            }),
            None => Section::StatesParties,
        };
        by_section
            .entry(sec)
            .or_default()
            .push(block_paragraphs(&cx, b));
        if let Some(s) = b.state {
            add_case_facts(&cx, &mut cases, s, &b.facts);
        }
    }
    let mut unsc_bg = Vec::new();
    for (f, _) in of_area(Area::UnscObligation) {
        unsc_bg.push(Paragraph {
            number: 0,
            group: None,
            sentences: describe(&cx, f, true).into_iter().map(|(_, s)| s).collect(),
        });
    }
    for (sec, numeral, title, nil) in [
        (
            Section::StatesParties,
            "II",
            "Court proceedings and findings: States Parties",
            "No Court proceedings concerning non-cooperation took place in relation to States Parties during the reporting period.",
        ),
        (
            Section::UnscObligation,
            "III",
            "Court proceedings and findings: States under an obligation to cooperate with the Court pursuant to a decision of the United Nations Security Council",
            "No Court proceedings concerning non-cooperation took place in relation to States under an obligation arising from a Security Council resolution during the reporting period.",
        ),
        (
            Section::NonParties,
            "IV",
            "Court proceedings and findings: States not Parties",
            "No Court proceedings concerning non-cooperation took place regarding States not Parties to the Statute during the reporting period.",
        ),
    ] {
        let mut paras: Vec<Paragraph> = Vec::new();
        if sec == Section::UnscObligation {
            paras.append(&mut unsc_bg);
        }
        let blocks = by_section.remove(&sec).unwrap_or_default();
        let empty = blocks.is_empty();
        paras.extend(blocks.into_iter().flatten());
        if empty {
            paras.push(nil_paragraph(&cx, nil));
        }
        let paras = number(&mut counter, paras);
        sections.push(ReportSection {
            number: numeral.to_owned(),
            title: title.to_owned(),
            paragraphs: paras,
        });
    }

    // V. The President, the Bureau, the focal points.
    let assembly = of_area(Area::Assembly);
    let groups = assembly_groups(&cx, &assembly);
    let mut paras = Vec::new();
    for (label, facts) in &groups {
        let mut sentences = Vec::new();
        for (f, bg) in facts {
            sentences.extend(describe(&cx, f, *bg).into_iter().map(|(_, s)| s));
            if let Event::WantedPersonVisitRecorded(_) = f.event {
                sentences.extend(visit_pending(&cx, f));
            }
        }
        paras.push(Paragraph {
            number: 0,
            group: label.clone(),
            sentences,
        });
        for (f, bg) in facts {
            let (s, p) = cx.link(f);
            if let Some(s) = s {
                add_case_facts(&cx, &mut cases, s, &[(*f, *bg)]);
                let _ = p;
            }
        }
    }
    sections.push(section(
        &mut counter,
        ("V", "Actions undertaken by the President of the Assembly and the Bureau, States Parties and other stakeholders"),
        paras,
        &cx,
        "No action of the President of the Assembly, the Bureau or the focal points on non-cooperation is recorded for the reporting period.",
    ));

    // VI. The Security Council.
    let council = council(&cx, &of_area(Area::Council), &selected);
    sections.push(section(
        &mut counter,
        ("VI", "The United Nations Security Council"),
        council,
        &cx,
        "No report of the Prosecutor to the Security Council, referral to the Council or action of the Council is recorded for the reporting period.",
    ));

    // VII. Consultations.
    let consult = consultations(&cx, &of_area(Area::Consultations));
    sections.push(section(
        &mut counter,
        ("VII", "Consultations on non-cooperation"),
        consult,
        &cx,
        "No consultation on non-cooperation is recorded for the reporting period.",
    ));

    let cases = make_cases(&cx, cases);
    let appendices = appendices(&cx, unclassified);
    let manifest = manifest(&cx, &sections);
    Report {
        title: "Report of the Bureau on non-cooperation".to_owned(),
        session: params.session.map(|s| {
            format!(
                "Assembly of States Parties, {} session",
                words::cap(&words::ordinal(s))
            )
        }),
        period: Period {
            from: params.from,
            to: params.to,
            text: words::range(params.from, params.to, "to"),
        },
        sections,
        cases,
        appendices,
        manifest,
    }
}

/// Numbers paragraphs through the report.
fn number(counter: &mut u32, mut paras: Vec<Paragraph>) -> Vec<Paragraph> {
    paras.retain(|p| !p.sentences.is_empty());
    for p in &mut paras {
        *counter += 1;
        p.number = *counter;
    }
    paras
}

/// A section; a nil sentence if it has no paragraph.
fn section(
    counter: &mut u32,
    (numeral, title): (&str, &str),
    mut paras: Vec<Paragraph>,
    cx: &Ctx<'_>,
    nil: &str,
) -> ReportSection {
    paras.retain(|p| !p.sentences.is_empty());
    if paras.is_empty() {
        paras.push(nil_paragraph(cx, nil));
    }
    ReportSection {
        number: numeral.to_owned(),
        title: title.to_owned(),
        paragraphs: number(counter, paras),
    }
}

/// A paragraph of one nil sentence, citing the log's head.
fn nil_paragraph(cx: &Ctx<'_>, text: &str) -> Paragraph {
    let (entries, notes) = match cx.params.head {
        Some(h) => (
            vec![cx.cited(&h)],
            vec![format!(
                "Nothing of this kind is recorded in the log up to entry {}.",
                entry_words(&h)
            )],
        ),
        None => (
            Vec::new(),
            vec!["Nothing of this kind is recorded in the log.".to_owned()],
        ),
    };
    Paragraph {
        number: 0,
        group: None,
        sentences: vec![Sentence {
            text: text.to_owned(),
            kind: SentenceKind::Nil,
            footnote: Footnote {
                entries,
                documents: Vec::new(),
                notes,
            },
        }],
    }
}
