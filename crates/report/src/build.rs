//! Selecting facts and arranging them into sections, appendices and a manifest.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::describe::{Topic, describe, label};
use crate::words;
use crate::{
    Appendices, Case, CaseEvent, Cited, CorrectionNote, Discrepancy, DiscrepancyKind, Footnote,
    HeadRef, Manifest, ManifestEntry, ManifestParagraph, Paragraph, Period, Report, ReportParams,
    ReportSection, Sentence, SentenceKind,
};
use acta_domain::date::LegalDate;
use acta_domain::event::{Event, PriorFact};
use acta_domain::ids::{DocRef, PersonId};
use acta_domain::model::{Fact, FactStatus, Model, Section};
use acta_domain::source::EntryRef;
use acta_domain::state::StateCode;
use acta_domain::vocab::{MeetingKind, TransmissionTarget};

/// What links facts: the thing a fact records (its identity) or mentions (a reference).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Key {
    Proceeding(String),
    Request(String),
    Warrant(String),
    Visit(String),
    Episode(String),
    Letter(String),
    Matter(String),
    Appeal(String),
    Decision(String),
    /// A Court record number (its base, without annex suffixes).
    Doc(String),
    Entry(u64),
}

/// Facts with their background flag.
type Facts<'m> = Vec<(&'m Fact, bool)>;

/// Facts of each (State, person) case.
type CaseFacts<'m> = Vec<(StateCode, Option<PersonId>, Facts<'m>)>;

/// Where a fact is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Area {
    Intro,
    Court,
    Assembly,
    Council,
    Consultations,
    /// Security Council resolutions binding States (section III background).
    UnscObligation,
}

/// The facts of the model and their links, for the sentences.
pub(super) struct Ctx<'m> {
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

fn doc_key(d: &acta_domain::ids::CourtRecordNumber) -> Key {
    Key::Doc(d.to_string())
}

/// A fact's identity keys and the keys it references.
pub(super) fn keys(f: &Fact) -> (Vec<Key>, Vec<Key>) {
    use Event as E;
    let s = |x: &dyn ToString| x.to_string();
    let mut ids = vec![Key::Entry(f.at.seq)];
    let mut refs = Vec::new();
    match &f.event {
        E::ArrestWarrantIssued(e) => {
            ids.push(Key::Warrant(s(&e.warrant_id)));
            ids.extend(e.doc_ref.iter().map(doc_key));
        }
        E::ArrestWarrantIssuedUnderSeal(e) => ids.push(Key::Warrant(s(&e.warrant_id))),
        E::PriorFactAsserted(e) => match &e.fact {
            PriorFact::WarrantOutstanding(w) => ids.push(Key::Warrant(s(&w.warrant_id))),
            PriorFact::ProceedingOpen(p) => ids.push(Key::Proceeding(s(&p.proceeding_id))),
            _ => {}
        },
        E::ArrestWarrantAmended(e) => refs.push(Key::Warrant(s(&e.warrant_id))),
        E::ArrestWarrantUnsealed(e) => refs.push(Key::Warrant(s(&e.warrant_id))),
        E::ArrestWarrantWithdrawn(e) => refs.push(Key::Warrant(s(&e.warrant_id))),
        E::CooperationRequestTransmitted(e) => refs.push(Key::Warrant(s(&e.warrant_id))),
        E::CourtReminderIssued(e) => refs.push(Key::Warrant(s(&e.warrant_id))),
        E::PersonArrested(e) => refs.push(Key::Warrant(s(&e.warrant_id))),
        E::CustodialProceedingsRecorded(e) => refs.push(Key::Warrant(s(&e.warrant_id))),
        E::PersonReleasedWithoutSurrender(e) => refs.push(Key::Warrant(s(&e.warrant_id))),
        E::PersonSurrendered(e) => refs.push(Key::Warrant(s(&e.warrant_id))),
        E::TravelInformationReceived(e) => {
            refs.extend(e.episode_id.iter().map(|x| Key::Episode(s(x))))
        }
        E::WantedPersonVisitRecorded(e) => {
            ids.push(Key::Visit(s(&e.visit_id)));
            refs.extend(e.episode_id.iter().map(|x| Key::Episode(s(x))));
        }
        E::Article97ConsultationRequested(e) => {
            refs.extend(e.warrant_id.iter().map(|x| Key::Warrant(s(x))))
        }
        E::NonComplianceRequestFiled(e) => {
            ids.push(Key::Request(s(&e.request_id)));
            refs.extend(e.warrant_id.iter().map(|x| Key::Warrant(s(x))));
        }
        E::NonComplianceProceedingOpened(e) => {
            ids.push(Key::Proceeding(s(&e.proceeding_id)));
            refs.extend(e.warrant_id.iter().map(|x| Key::Warrant(s(x))));
            refs.extend(e.visit_id.iter().map(|x| Key::Visit(s(x))));
            refs.extend(e.conduct.iter().map(|x| Key::Entry(x.seq)));
        }
        E::ChamberReassigned(e) => {
            refs.extend(e.proceeding_id.iter().map(|x| Key::Proceeding(s(x))))
        }
        E::StateObservationsInvited(e) => refs.push(Key::Proceeding(s(&e.proceeding_id))),
        E::StateObservationsSubmitted(e) => refs.push(Key::Proceeding(s(&e.proceeding_id))),
        E::NonComplianceDecisionIssued(e) => {
            ids.push(Key::Proceeding(s(&e.proceeding_id)));
            ids.push(Key::Decision(s(&e.decision_id)));
            ids.push(doc_key(&e.doc_ref));
            refs.extend(e.warrant_id.iter().map(|x| Key::Warrant(s(x))));
        }
        E::ReferralDecisionIssued(e) => {
            refs.push(Key::Proceeding(s(&e.proceeding_id)));
            ids.extend(e.decision_id.iter().map(|x| Key::Decision(s(x))));
            ids.extend(e.doc_ref.iter().map(doc_key));
        }
        E::ReferralTransmitted(e) => {
            refs.push(Key::Proceeding(s(&e.proceeding_id)));
            refs.extend(e.decision_id.iter().map(|x| Key::Decision(s(x))));
        }
        E::ProceduralRequestFiled(e) => {
            ids.push(Key::Request(s(&e.request_id)));
            refs.extend(e.proceeding_id.iter().map(|x| Key::Proceeding(s(x))));
            refs.extend(e.target_decision.iter().map(|d| doc_key(&d.base())));
        }
        E::ProceduralRequestDecided(e) => {
            refs.push(Key::Request(s(&e.request_id)));
            ids.extend(e.doc_ref.iter().map(doc_key));
        }
        E::AppealFiled(e) => {
            ids.push(Key::Appeal(s(&e.appeal_id)));
            refs.extend(e.decision_id.iter().map(|x| Key::Decision(s(x))));
            refs.extend(e.appealed_decision.iter().map(|d| doc_key(&d.base())));
        }
        E::AppealJudgmentDelivered(e) => {
            refs.push(Key::Appeal(s(&e.appeal_id)));
            ids.push(doc_key(&e.doc_ref));
        }
        E::NonComplianceProceedingClosed(e) => refs.push(Key::Proceeding(s(&e.proceeding_id))),
        E::CourtInformedAsp(e) => refs.extend(e.about.iter().map(|d| doc_key(&d.base()))),
        E::FocalPointsActivated(e) => refs.push(Key::Episode(s(&e.episode_id))),
        E::FocalPointsCommunicationIssued(e) => {
            refs.extend(e.episode_id.iter().map(|x| Key::Episode(s(x))))
        }
        E::AspPresidentLetterSent(e) => {
            ids.push(Key::Letter(s(&e.letter_id)));
            refs.extend(e.episode_id.iter().map(|x| Key::Episode(s(x))));
            refs.extend(e.asp_matter_id.iter().map(|x| Key::Matter(s(x))));
        }
        E::AspPresidentLetterPublished(e) => refs.push(Key::Letter(s(&e.letter_id))),
        E::StateReplyReceived(e) => {
            refs.extend(e.letter_id.iter().map(|x| Key::Letter(s(x))));
            refs.extend(e.asp_matter_id.iter().map(|x| Key::Matter(s(x))));
        }
        E::BureauTookNote(e) => {
            for d in &e.of_documents {
                if let DocRef::Court(c) = d {
                    refs.push(doc_key(&c.base()));
                }
            }
            refs.extend(e.of_entries.iter().map(|x| Key::Entry(x.seq)));
        }
        E::AspMatterOpened(e) => {
            ids.push(Key::Matter(s(&e.asp_matter_id)));
            if let acta_domain::vocab::AspMatterTrigger::CourtReferral(t) = &e.trigger {
                refs.push(Key::Proceeding(s(&t.proceeding_id)));
            }
        }
        E::BureauConsideredReferral(e) => refs.push(Key::Matter(s(&e.asp_matter_id))),
        E::EmergencyBureauMeetingConvened(e) => refs.push(Key::Matter(s(&e.asp_matter_id))),
        E::UnscActionRecorded(e) => {
            refs.extend(e.proceeding_ids.iter().map(|x| Key::Proceeding(s(x))))
        }
        _ => {}
    }
    (ids, refs)
}

/// The State and person a fact names directly.
fn direct(ev: &Event) -> (Option<StateCode>, Option<PersonId>) {
    use Event as E;
    match ev {
        E::ArrestWarrantIssued(e) => (None, Some(e.person.clone())),
        E::PriorFactAsserted(e) => match &e.fact {
            PriorFact::WarrantOutstanding(w) => (None, Some(w.person.clone())),
            PriorFact::ProceedingOpen(p) => (Some(p.state), None),
            _ => (None, None),
        },
        E::CourtReminderIssued(e) => (Some(e.state), None),
        E::PersonArrested(e) => (Some(e.state), Some(e.person.clone())),
        E::CustodialProceedingsRecorded(e) => (Some(e.state), None),
        E::PersonReleasedWithoutSurrender(e) => (Some(e.state), Some(e.person.clone())),
        E::PersonSurrendered(e) => (Some(e.state), Some(e.person.clone())),
        E::DomesticCustodyRecorded(e) => (Some(e.state), Some(e.person.clone())),
        E::InitialAppearanceHeld(e) => (None, Some(e.person.clone())),
        E::ProceedingsTerminated(e) => (None, e.person.clone()),
        E::PersonDeathRecorded(e) => (None, Some(e.person.clone())),
        E::TravelInformationReceived(e) => (Some(e.state), Some(e.person.clone())),
        E::WantedPersonVisitRecorded(e) => (Some(e.state), Some(e.person.clone())),
        E::Article97ConsultationRequested(e) => (Some(e.state), None),
        E::Article97ConsultationResponded(e) => (Some(e.state), None),
        E::NonComplianceRequestFiled(e) => (Some(e.state), None),
        E::NonComplianceProceedingOpened(e) => (Some(e.state), e.person.clone()),
        E::StateObservationsInvited(e) => (Some(e.state), None),
        E::StateObservationsSubmitted(e) => (Some(e.state), None),
        E::NonComplianceDecisionIssued(e) => (Some(e.state), e.person.clone()),
        E::FocalPointsActivated(e) => (Some(e.state), Some(e.person.clone())),
        E::FocalPointsCommunicationIssued(e) => (e.state, e.person.clone()),
        E::AspPresidentLetterSent(e) => (Some(e.state), e.person.clone()),
        E::StateReplyReceived(e) => (Some(e.state), None),
        E::AspMatterOpened(e) => (Some(e.state), None),
        E::BureauConsideredReferral(e) => (Some(e.state), None),
        _ => (None, None),
    }
}

/// Where a fact is reported; `None`: reference data, not reported as an event.
fn area(cx: &Ctx<'_>, f: &Fact) -> Option<Area> {
    use Event as E;
    Some(match &f.event {
        E::MandateAllocated(_)
        | E::FocalPointMandateConfirmed(_)
        | E::FocalPointAppointed(_)
        | E::AspPresidentTermRecorded(_) => Area::Intro,
        E::PriorFactAsserted(p) => match p.fact {
            PriorFact::FocalPointInOffice(_) => Area::Intro,
            PriorFact::WarrantOutstanding(_) | PriorFact::ProceedingOpen(_) => Area::Court,
            PriorFact::StateStatus(_) => return None,
        },
        E::UnscReferralRecorded(_) => Area::UnscObligation,
        E::WantedPersonVisitRecorded(_) => {
            if cx.visit_in_court(f) {
                Area::Court
            } else {
                Area::Assembly
            }
        }
        E::ArrestWarrantRequested(_)
        | E::ArrestWarrantIssued(_)
        | E::ArrestWarrantIssuedUnderSeal(_)
        | E::ArrestWarrantAmended(_)
        | E::ArrestWarrantUnsealed(_)
        | E::ArrestWarrantWithdrawn(_)
        | E::CooperationRequestTransmitted(_)
        | E::CourtReminderIssued(_)
        | E::PersonArrested(_)
        | E::CustodialProceedingsRecorded(_)
        | E::PersonReleasedWithoutSurrender(_)
        | E::PersonSurrendered(_)
        | E::DomesticCustodyRecorded(_)
        | E::InitialAppearanceHeld(_)
        | E::CaseMilestoneRecorded(_)
        | E::ProceedingsTerminated(_)
        | E::PersonDeathRecorded(_)
        | E::Article97ConsultationRequested(_)
        | E::Article97ConsultationResponded(_)
        | E::NonComplianceRequestFiled(_)
        | E::NonComplianceProceedingOpened(_)
        | E::ChamberReassigned(_)
        | E::StateObservationsInvited(_)
        | E::StateObservationsSubmitted(_)
        | E::NonComplianceDecisionIssued(_)
        | E::ReferralDecisionIssued(_)
        | E::ReferralTransmitted(_)
        | E::ProceduralRequestFiled(_)
        | E::ProceduralRequestDecided(_)
        | E::AppealFiled(_)
        | E::AppealJudgmentDelivered(_)
        | E::NonComplianceProceedingClosed(_) => Area::Court,
        E::TravelInformationReceived(_)
        | E::CourtInformedAsp(_)
        | E::FocalPointsActivated(_)
        | E::FocalPointsCommunicationIssued(_)
        | E::AspPresidentLetterSent(_)
        | E::AspPresidentLetterPublished(_)
        | E::StateReplyReceived(_)
        | E::BureauTookNote(_)
        | E::AspMatterOpened(_)
        | E::BureauConsideredReferral(_)
        | E::EmergencyBureauMeetingConvened(_)
        | E::PublicStatementIssued(_) => Area::Assembly,
        E::ProsecutorUnscBriefingDelivered(_) | E::UnscActionRecorded(_) => Area::Council,
        E::FocalPointsMeetingHeld(_) | E::AspPlenaryScheduled(_) | E::AspPlenaryHeld(_) => {
            Area::Consultations
        }
        _ => return None,
    })
}

impl<'m> Ctx<'m> {
    fn new(model: &'m Model, params: &'m ReportParams) -> Ctx<'m> {
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
    fn visit_in_court(&self, f: &Fact) -> bool {
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
fn value_words(v: &serde_json::Value) -> String {
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

/// Whether a date overlaps the period (unbounded sides overlap).
fn overlaps(d: &LegalDate, from: NaiveDate, to: NaiveDate) -> bool {
    d.earliest().is_none_or(|e| e <= to) && d.latest().is_none_or(|l| l >= from)
}

/// The sort key of a fact: its date's, then its seq.
pub(super) fn order(f: &Fact) -> ((bool, Option<NaiveDate>), u64) {
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

/// Section I: mandates, confirmations, appointments, the President.
fn intro(cx: &Ctx<'_>, facts: &[(&Fact, bool)]) -> Vec<Paragraph> {
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
struct Block<'m> {
    state: Option<StateCode>,
    facts: Vec<(&'m Fact, bool)>,
}

fn court_blocks<'m>(cx: &Ctx<'m>, facts: &[(&'m Fact, bool)]) -> Vec<Block<'m>> {
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
fn block_paragraphs(cx: &Ctx<'_>, b: &Block<'_>) -> Vec<Paragraph> {
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
fn visit_pending(cx: &Ctx<'_>, f: &Fact) -> Vec<Sentence> {
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
fn assembly_groups<'m>(
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
fn council(cx: &Ctx<'_>, facts: &[(&Fact, bool)], selected: &[(&Fact, bool)]) -> Vec<Paragraph> {
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
fn consultations(cx: &Ctx<'_>, facts: &[(&Fact, bool)]) -> Vec<Paragraph> {
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
fn add_case_facts<'m>(
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

fn make_cases(cx: &Ctx<'_>, cases: CaseFacts<'_>) -> Vec<Case> {
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

fn appendices(cx: &Ctx<'_>, mut unclassified: Vec<StateCode>) -> Appendices {
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

fn manifest(cx: &Ctx<'_>, sections: &[ReportSection]) -> Manifest {
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

/// A place name as it reads after a preposition: "the State of Palestine", "the Central
/// African Republic", but "Libya".
fn with_article(name: &str) -> String {
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
