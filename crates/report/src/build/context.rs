//! The facts of the model and their links, and the footnotes and sentences written from them.

use std::collections::BTreeMap;

use crate::words;
use crate::{Cited, Footnote, ReportParams, Sentence, SentenceKind};
use acta_domain::date::LegalDate;
use acta_domain::event::Event;
use acta_domain::ids::{DocRef, PersonId};
use acta_domain::model::{Fact, FactStatus, Model};
use acta_domain::source::EntryRef;
use acta_domain::state::StateCode;

use super::keys::{Key, direct, keys};

/// The facts of the model and their links, for the sentences.
pub(crate) struct Ctx<'m> {
    pub model: &'m Model,
    pub params: &'m ReportParams,
    /// Applied facts, in log order.
    pub facts: Vec<&'m Fact>,
    /// Identity key → indices in `facts`.
    ids: BTreeMap<Key, Vec<usize>>,
    /// seq → index in `facts`.
    by_seq: BTreeMap<u64, usize>,
    /// Titles of registered documents.
    titles: BTreeMap<DocRef, String>,
}

impl<'m> Ctx<'m> {
    pub(super) fn new(model: &'m Model, params: &'m ReportParams) -> Ctx<'m> {
        let facts: Vec<&Fact> = model
            .facts
            .iter()
            .filter(|f| f.status == FactStatus::Applied)
            .collect();
        let mut ids: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
        let mut by_seq = BTreeMap::new();
        let mut titles = BTreeMap::new();
        for (i, f) in facts.iter().enumerate() {
            by_seq.insert(f.at.seq, i);
            for k in keys(f).0 {
                ids.entry(k).or_default().push(i);
            }
            if let Event::SourceDocumentRegistered(d) = &f.event {
                titles.insert(d.doc_ref.clone(), d.title.to_string());
            }
        }
        Ctx {
            model,
            params,
            facts,
            ids,
            by_seq,
            titles,
        }
    }

    /// The applied facts whose identity is `k`, in log order.
    pub fn with_id(&self, k: &Key) -> impl Iterator<Item = &'m Fact> + '_ {
        self.ids
            .get(k)
            .into_iter()
            .flatten()
            .map(|i| self.facts[*i])
    }

    /// The applied fact of entry `seq`.
    pub fn fact(&self, seq: u64) -> Option<&'m Fact> {
        self.by_seq.get(&seq).map(|i| self.facts[*i])
    }

    /// The title of a registered document.
    pub fn title(&self, d: &DocRef) -> Option<&str> {
        self.titles.get(d).map(String::as_str)
    }

    /// The State and person a fact concerns, following its references (a request to its
    /// proceeding, a letter to its episode, …).
    pub fn link(&self, f: &Fact) -> (Option<StateCode>, Option<PersonId>) {
        self.link_depth(f, 4)
    }

    fn link_depth(&self, f: &Fact, depth: u8) -> (Option<StateCode>, Option<PersonId>) {
        let (mut s, mut p) = direct(&f.event);
        if depth == 0 || (s.is_some() && p.is_some()) {
            return (s, p);
        }
        let (ids, refs) = keys(f);
        // A fact's own identity links it too (a decision and the proceeding's opening).
        for k in refs.iter().chain(
            ids.iter()
                .filter(|k| matches!(k, Key::Proceeding(_) | Key::Visit(_) | Key::Letter(_))),
        ) {
            for g in self.with_id(k) {
                if g.at == f.at {
                    continue;
                }
                let (s2, p2) = self.link_depth(g, depth - 1);
                s = s.or(s2);
                p = p.or(p2);
            }
        }
        // Episodes: the other facts of the same episode.
        if p.is_none() || s.is_none() {
            for k in refs.iter().filter(|k| matches!(k, Key::Episode(_))) {
                for g in &self.facts {
                    if g.at != f.at && keys(g).1.contains(k) {
                        let (s2, p2) = direct(&g.event);
                        s = s.or(s2);
                        p = p.or(p2);
                    }
                }
            }
        }
        (s, p)
    }

    /// A person's registered name (or the identifier, if not registered).
    pub fn person(&self, p: &PersonId) -> String {
        self.registration(p)
            .map_or_else(|| format!("the person registered as {p}"), |r| r.0)
    }

    /// A person's name and position: "Benjamin Netanyahu (Prime Minister of Israel)".
    pub fn person_with_position(&self, p: &PersonId) -> String {
        match self.registration(p) {
            Some((name, Some(pos))) => format!("{name} ({pos})"),
            Some((name, None)) => name,
            None => self.person(p),
        }
    }

    fn registration(&self, p: &PersonId) -> Option<(String, Option<String>)> {
        self.facts.iter().find_map(|f| match &f.event {
            Event::PersonRegistered(r) if &r.person == p => Some((
                r.primary_name.to_string(),
                r.position.as_ref().map(ToString::to_string),
            )),
            _ => None,
        })
    }

    /// A situation's name: "the situation in Libya" (or its identifier).
    pub fn situation(&self, s: &acta_domain::ids::SituationId) -> String {
        self.facts
            .iter()
            .find_map(|f| match &f.event {
                Event::SituationRegistered(r) if &r.situation == s => Some(format!(
                    "the situation in {}",
                    with_article(&r.name.to_string())
                )),
                _ => None,
            })
            .unwrap_or_else(|| format!("situation {s}"))
    }

    /// Whether the Security Council referred the situation (a referral to it is possible).
    pub fn unsc_situation(&self, s: &acta_domain::ids::SituationId) -> bool {
        self.facts.iter().any(|f| match &f.event {
            Event::SituationRegistered(r) => {
                &r.situation == s
                    && (r.unsc_resolution.is_some()
                        || r.referral == Some(acta_domain::vocab::SituationReferral::UnscReferral))
            }
            Event::UnscReferralRecorded(r) => &r.situation == s,
            _ => false,
        })
    }

    /// Whether a visit is followed by a Court proceeding (same visit, or same person and
    /// State): then it is reported with the proceeding, else with the prevention episode.
    pub(super) fn visit_in_court(&self, f: &Fact) -> bool {
        let Event::WantedPersonVisitRecorded(v) = &f.event else {
            return false;
        };
        self.facts.iter().any(|g| match &g.event {
            Event::NonComplianceProceedingOpened(o) => {
                o.visit_id.as_ref() == Some(&v.visit_id)
                    || (o.state == v.state && o.person.as_ref() == Some(&v.person))
            }
            Event::NonComplianceDecisionIssued(d) => {
                d.state == v.state && d.person.as_ref() == Some(&v.person)
            }
            _ => false,
        })
    }

    /// The footnote of a fact: the entry, the documents it cites, and notes.
    pub fn footnote(&self, f: &Fact, background: bool) -> Footnote {
        let mut documents = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut push = |s: String| {
            if seen.insert(s.clone()) {
                documents.push(s);
            }
        };
        for d in cited_documents(&f.event) {
            push(words::doc(&d.0, self.title(&d.0)).to_string() + &d.1);
        }
        let env = f.event.envelope();
        for s in env.sources {
            push(words::source(s, self.title(&s.doc)));
        }
        let mut notes = Vec::new();
        if background {
            notes.push("Background: before the reporting period.".to_owned());
        }
        for c in &f.corrections {
            notes.push(format!(
                "Published as {}; corrected to {} ({}), entries {} and {}.",
                value_words(&c.published_value),
                value_words(&c.corrected_value),
                words::correction_basis(c.basis),
                entry_words(&c.at),
                entry_words(&c.approved_by),
            ));
        }
        for (path, text) in env.as_published {
            notes.push(format!("{path} as published: “{text}”."));
        }
        match env.provenance {
            Some(acta_domain::source::Provenance::Inferred(i)) => notes.push(format!(
                "Derived, not stated: {}{}.",
                i.rule,
                env.confidence
                    .map(|c| format!(" (confidence: {})", confidence(c)))
                    .unwrap_or_default()
            )),
            Some(acta_domain::source::Provenance::External(s)) => notes.push(format!(
                "From an external source: {}.",
                words::source(s, self.title(&s.doc))
            )),
            _ => {}
        }
        for flag in self
            .model
            .flags
            .iter()
            .filter(|g| g.target == f.at && g.resolved_by.is_none())
        {
            notes.push(format!(
                "Open source discrepancy ({}, entry {}): {}",
                flag.code,
                entry_words(&flag.at),
                flag.explanation
            ));
        }
        Footnote {
            entries: vec![self.cited(&f.at)],
            documents,
            notes,
        }
    }

    /// An entry, for a footnote.
    pub fn cited(&self, at: &EntryRef) -> Cited {
        let entry_type = self
            .model
            .fact(at.seq)
            .filter(|f| f.at == *at)
            .map(|f| f.event.entry_type().to_owned())
            .or_else(|| {
                self.model
                    .unknown
                    .iter()
                    .find(|u| u.at == *at)
                    .map(|u| u.entry_type.clone())
            });
        Cited {
            seq: at.seq,
            hash: at.hash.short(),
            entry_type,
        }
    }

    /// A sentence about a fact.
    pub fn sentence(&self, f: &Fact, background: bool, text: String) -> Sentence {
        let kind = if background {
            SentenceKind::Background
        } else if matches!(
            f.event.envelope().provenance,
            Some(acta_domain::source::Provenance::Inferred(_))
        ) {
            SentenceKind::Derived
        } else {
            SentenceKind::Event
        };
        Sentence {
            text,
            kind,
            footnote: self.footnote(f, background),
        }
    }

    /// A sentence about several facts (the first is the one described).
    pub fn sentence_many(
        &self,
        fs: &[(&Fact, bool)],
        kind: SentenceKind,
        text: String,
    ) -> Sentence {
        let mut footnote = Footnote {
            entries: Vec::new(),
            documents: Vec::new(),
            notes: Vec::new(),
        };
        // Each list keeps its first occurrences, in order; documents and notes through sets
        // (an entry may cite thousands of documents).
        let (mut documents, mut notes) = (
            std::collections::BTreeSet::new(),
            std::collections::BTreeSet::new(),
        );
        for (f, bg) in fs {
            let n = self.footnote(f, *bg);
            for e in n.entries {
                if !footnote.entries.contains(&e) {
                    footnote.entries.push(e);
                }
            }
            for d in n.documents {
                if documents.insert(d.clone()) {
                    footnote.documents.push(d);
                }
            }
            for x in n.notes {
                if notes.insert(x.clone()) {
                    footnote.notes.push(x);
                }
            }
        }
        Sentence {
            text,
            kind,
            footnote,
        }
    }
}

fn confidence(c: acta_domain::source::Confidence) -> &'static str {
    match c {
        acta_domain::source::Confidence::High => "high",
        acta_domain::source::Confidence::Medium => "medium",
        acta_domain::source::Confidence::Low => "low",
    }
}

/// "40 (a1b2c3d4e5f6)".
pub(super) fn entry_words(at: &EntryRef) -> String {
    format!("{} ({})", at.seq, at.hash.short())
}

/// A JSON value in words: a date by precision, a string as it is.
pub(super) fn value_words(v: &serde_json::Value) -> String {
    if let Ok(d) = serde_json::from_value::<LegalDate>(v.clone()) {
        return words::date(&d);
    }
    match v {
        serde_json::Value::String(s) => format!("“{s}”"),
        serde_json::Value::Null => "(absent)".to_owned(),
        other => other.to_string(),
    }
}

/// The documents an event cites in its own fields: `(document, pinpoint)`.
fn cited_documents(ev: &Event) -> Vec<(DocRef, String)> {
    let Ok(json) = ev.payload_json() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let one = |v: &serde_json::Value| v.as_str().and_then(|s| s.parse::<DocRef>().ok());
    let pages = json
        .get("pages")
        .and_then(|p| p.as_str())
        .map(|p| format!(", pp. {p}"))
        .unwrap_or_default();
    for key in [
        "doc_ref",
        "target_decision",
        "appealed_decision",
        "decisions_doc",
        "report",
        "letter",
    ] {
        if let Some(d) = json.get(key).and_then(one) {
            let pin = if key == "doc_ref" {
                pages.clone()
            } else {
                String::new()
            };
            out.push((d, pin));
        }
    }
    for key in ["of_documents", "about"] {
        for d in json
            .get(key)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(one)
        {
            out.push((d, String::new()));
        }
    }
    for o in json
        .get("opinions")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        if let Some(d) = o.get("doc_ref").and_then(one) {
            out.push((d, String::new()));
        }
    }
    for c in json
        .get("recalls")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        if let Some(d) = c.get("doc").and_then(one) {
            let para = c
                .get("para")
                .and_then(|p| p.as_str())
                .map(|p| format!(", para. {p}"))
                .unwrap_or_default();
            out.push((d, para));
        }
    }
    out
}

/// A place name as it reads after a preposition: "the State of Palestine", "the Central
/// African Republic", but "Libya".
pub(super) fn with_article(name: &str) -> String {
    const TAKES_THE: [&str; 10] = [
        "State ",
        "Republic ",
        "Democratic ",
        "United ",
        "Islamic ",
        "Kingdom ",
        "Plurinational ",
        "Bolivarian ",
        "Central ",
        "Russian ",
    ];
    if TAKES_THE.iter().any(|p| name.starts_with(p)) {
        format!("the {name}")
    } else {
        name.to_owned()
    }
}
