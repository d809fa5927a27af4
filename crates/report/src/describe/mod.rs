//! One fact in words: the sentences of the report and the labels of the timelines.
//!
//! The sentences are written by topic: [`warrants`] (warrants, requests to arrest and
//! surrender, arrests, custody, visits), [`proceedings`] (Article 97 consultations,
//! non-compliance proceedings, findings, referrals, appeals, and what is pending) and
//! [`assembly`] (mandates and focal points, the opening balance, the Assembly, its President
//! and Bureau, letters and statements, the Security Council). This module holds the words
//! they share and the timeline labels.

mod assembly;
mod proceedings;
mod warrants;

pub(crate) use proceedings::pending;

use crate::build::{Ctx, Key, keys, order};
use crate::words::{self, cap, join, on};
use crate::{Sentence, SentenceKind};
use acta_domain::date::LegalDate;
use acta_domain::event::{Event, PriorFact};
use acta_domain::ids::{CourtRecordNumber, DocRef, PersonId};
use acta_domain::model::Fact;
use acta_domain::source::{ActorRef, Citation};
use acta_domain::state::StateCode;
use acta_domain::vocab::{
    CommunicationKind, Crime, DomesticCustodyPhase, Finding, LegalBasis, LetterPurpose,
    MeetingKind, OnFinding, OnReferral, OpinionKind, Referral, RequestOutcome, Track,
    UnscActionKind, Visibility, VisitOutcome, Vote,
};

/// What part of a State's story a sentence tells; consecutive sentences of one topic make a
/// paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Topic {
    /// Warrants, arrests, releases, visits.
    Conduct,
    /// A Chamber seized.
    Seizure,
    /// Decisions, observations, pending determinations.
    Decision,
    /// Procedural requests and appeals.
    Requests,
    /// Transmissions and closure.
    Transmission,
    /// Anything else (sections other than II–IV).
    Other,
}

/// A State's name in running text: "Hungary", "the State of Palestine".
pub(crate) fn state_name(s: StateCode) -> String {
    let n = s.name();
    match n.split_once(", ") {
        Some((a, b)) if !b.contains('(') => format!("the {b} {a}"),
        _ => n.to_owned(),
    }
}

fn possessive(s: &str) -> String {
    if s.ends_with('s') {
        format!("{s}'")
    } else {
        format!("{s}'s")
    }
}

/// "On 24 July 2025, " + rest, capitalised.
fn dated(d: &LegalDate, rest: &str) -> String {
    cap(&format!("{}, {rest}", on(d)))
}

fn crimes(cs: &[Crime]) -> String {
    let w: Vec<&str> = cs
        .iter()
        .map(|c| match c {
            Crime::Genocide => "genocide",
            Crime::CrimesAgainstHumanity => "crimes against humanity",
            Crime::WarCrimes => "war crimes",
            Crime::Aggression => "the crime of aggression",
            Crime::OffencesAgainstJustice => "offences against the administration of justice",
        })
        .collect();
    join(&w)
}

fn opinion_kind(k: OpinionKind) -> &'static str {
    match k {
        OpinionKind::Dissenting => "a dissenting opinion",
        OpinionKind::PartiallyDissenting => "a partially dissenting opinion",
        OpinionKind::Separate => "a separate opinion",
        OpinionKind::Concurring => "a concurring opinion",
    }
}

fn by_majority(v: Option<Vote>) -> &'static str {
    match v {
        Some(Vote::Majority) => ", by majority,",
        _ => "",
    }
}

/// "the Court's request for the arrest and surrender of Benjamin Netanyahu".
fn request_for(cx: &Ctx<'_>, person: Option<&PersonId>) -> String {
    match person {
        Some(p) => format!(
            "the Court's request for the arrest and surrender of {}",
            cx.person(p)
        ),
        None => "the Court's request for cooperation".to_owned(),
    }
}

/// The proceeding's State, person and situation, from the facts that record it.
struct ProcInfo {
    state: Option<StateCode>,
    person: Option<PersonId>,
    situation: Option<acta_domain::ids::SituationId>,
    basis: Option<LegalBasis>,
}

fn proceeding(cx: &Ctx<'_>, p: &str) -> ProcInfo {
    let mut info = ProcInfo {
        state: None,
        person: None,
        situation: None,
        basis: None,
    };
    for f in cx.with_id(&Key::Proceeding(p.to_string())) {
        match &f.event {
            Event::NonComplianceProceedingOpened(o) => {
                info.state = info.state.or(Some(o.state));
                info.person = info.person.take().or(o.person.clone());
                info.situation = info.situation.take().or(Some(o.situation));
                info.basis = info.basis.or(Some(o.legal_basis));
            }
            Event::NonComplianceDecisionIssued(d) => {
                info.state = info.state.or(Some(d.state));
                info.person = info.person.take().or(d.person.clone());
                info.situation = info.situation.take().or(Some(d.situation));
                info.basis = info.basis.or(d.legal_basis);
            }
            Event::PriorFactAsserted(a) => {
                if let PriorFact::ProceedingOpen(o) = &a.fact {
                    info.state = info.state.or(Some(o.state));
                    info.situation = info.situation.take().or(Some(o.situation));
                    info.basis = info.basis.or(Some(o.legal_basis));
                }
            }
            _ => {}
        }
    }
    if info.person.is_none() {
        // A person named by the proceeding's warrant.
        for f in cx.with_id(&Key::Proceeding(p.to_string())) {
            info.person = info.person.take().or(cx.link(f).1);
        }
    }
    info
}

fn state_or(s: Option<StateCode>) -> String {
    s.map_or_else(|| "the State concerned".to_owned(), state_name)
}

/// "the decision of Pre-Trial Chamber II of 28 November 2024" for a record number recorded in
/// the log; the record number itself otherwise.
fn decision_words(cx: &Ctx<'_>, d: &CourtRecordNumber) -> String {
    let k = Key::Doc(d.base().to_string());
    for f in cx.with_id(&k) {
        let (body, date) = match &f.event {
            Event::ProceduralRequestDecided(e) => (e.deciding_body, e.occurred),
            Event::NonComplianceDecisionIssued(e) => (e.chamber, e.occurred),
            Event::ReferralDecisionIssued(e) => (e.chamber, e.occurred),
            Event::AppealJudgmentDelivered(e) => (acta_domain::ids::ChamberId::Appeals, e.occurred),
            Event::ArrestWarrantIssued(e) => (e.chamber, e.occurred),
            _ => continue,
        };
        return format!(
            "the decision of {} of {}",
            words::chamber(&body),
            words::date(&date)
        );
    }
    format!("decision {d}")
}

fn doc_words(cx: &Ctx<'_>, d: &DocRef) -> String {
    match d {
        DocRef::Court(c) => decision_words(cx, c),
        other => words::doc(other, cx.title(other)),
    }
}

fn citation(c: &Citation) -> String {
    match (&c.doc, &c.provision) {
        (Some(d), _) => {
            let mut s = d.to_string();
            if let Some(a) = &c.annex {
                s.push_str(&format!(", annex {a}"));
            }
            if let Some(p) = &c.para {
                s.push_str(&format!(", paragraph {p}"));
            }
            s
        }
        (None, Some(p)) => words::provision(p),
        (None, None) => String::new(),
    }
}

/// "noting articles 86 and 89(1) of the Rome Statute" / "recalling ICC-ASP/23/Res.5,
/// paragraph 8".
fn recalls(cs: &[Citation]) -> Option<String> {
    if cs.is_empty() {
        return None;
    }
    let provs: Vec<&acta_domain::ids::Provision> =
        cs.iter().filter_map(|c| c.provision.as_ref()).collect();
    let docs: Vec<String> = cs
        .iter()
        .filter(|c| c.doc.is_some())
        .map(citation)
        .collect();
    let mut parts = Vec::new();
    if !provs.is_empty() {
        parts.push(words::provisions(&provs));
    }
    parts.extend(docs);
    Some(join(&parts))
}

fn person_opt(cx: &Ctx<'_>, p: Option<&PersonId>) -> String {
    p.map_or_else(|| "the person concerned".to_owned(), |p| cx.person(p))
}

fn visit_of(cx: &Ctx<'_>, f: &Fact) -> Option<(PersonId, StateCode, LegalDate)> {
    let (ids, refs) = keys(f);
    let mut ks: Vec<Key> = refs;
    ks.extend(ids);
    // A letter's episode.
    let letters: Vec<Key> = ks
        .iter()
        .filter(|k| matches!(k, Key::Letter(_)))
        .cloned()
        .collect();
    for l in letters {
        for g in cx.with_id(&l) {
            ks.extend(keys(g).1);
        }
    }
    let episodes: Vec<&Key> = ks.iter().filter(|k| matches!(k, Key::Episode(_))).collect();
    cx.facts.iter().find_map(|g| match &g.event {
        Event::WantedPersonVisitRecorded(v)
            if v.episode_id
                .as_ref()
                .is_some_and(|e| episodes.contains(&&Key::Episode(e.to_string()))) =>
        {
            Some((v.person.clone(), v.state, v.occurred))
        }
        _ => None,
    })
}

/// The sentences for one fact (with their topic); `background`: before the period.
pub(super) fn describe(cx: &Ctx<'_>, f: &Fact, background: bool) -> Vec<(Topic, Sentence)> {
    warrants::describe(cx, f, background)
        .or_else(|| proceedings::describe(cx, f, background))
        .or_else(|| assembly::describe(cx, f, background))
        .unwrap_or_default()
}

/// The person of the warrant a fact is about.
fn warrant_person(cx: &Ctx<'_>, f: &Fact) -> Option<PersonId> {
    cx.link(f).1
}

/// A short label for a timeline.
pub(super) fn label(cx: &Ctx<'_>, f: &Fact) -> String {
    use Event as E;
    let with_doc = |l: &str, d: Option<&CourtRecordNumber>| match d {
        Some(d) => format!("{l} ({d})"),
        None => l.to_owned(),
    };
    match &f.event {
        E::ArrestWarrantIssued(e) => with_doc("Warrant of arrest issued", e.doc_ref.as_ref()),
        E::ArrestWarrantIssuedUnderSeal(_) => "Warrant issued under seal".to_owned(),
        E::PriorFactAsserted(p) => match &p.fact {
            PriorFact::WarrantOutstanding(_) => "Warrant outstanding (issued earlier)".to_owned(),
            PriorFact::ProceedingOpen(_) => "Proceeding pending".to_owned(),
            _ => "Opening balance".to_owned(),
        },
        E::ArrestWarrantUnsealed(_) => "Warrant made public".to_owned(),
        E::ArrestWarrantWithdrawn(_) => "Warrant withdrawn".to_owned(),
        E::PersonArrested(_) => "Arrest".to_owned(),
        E::PersonReleasedWithoutSurrender(_) => "Release without surrender".to_owned(),
        E::PersonSurrendered(_) => "Surrender to the Court".to_owned(),
        E::WantedPersonVisitRecorded(_) => "Visit".to_owned(),
        E::NonComplianceProceedingOpened(e) => {
            format!("{} seized", cap(&words::chamber(&e.chamber)))
        }
        E::StateObservationsInvited(_) => "Observations invited".to_owned(),
        E::StateObservationsSubmitted(e) => with_doc("Observations submitted", e.doc_ref.as_ref()),
        E::NonComplianceDecisionIssued(d) => {
            let what = match (&d.finding, &d.referral) {
                (_, Referral::Deferred(_)) => "Decision deferring referral",
                (Finding::NonCompliant, Referral::Referred(_)) => "Finding and referral",
                (Finding::NonCompliant, _) => "Finding of non-compliance",
                _ => "Decision on non-compliance",
            };
            with_doc(what, Some(&d.doc_ref))
        }
        E::ReferralDecisionIssued(e) => with_doc("Decision on referral", e.doc_ref.as_ref()),
        E::ReferralTransmitted(e) => format!(
            "Referral transmitted to {}",
            match e.to {
                acta_domain::vocab::TransmissionTarget::Asp => "the Assembly",
                acta_domain::vocab::TransmissionTarget::Unsc => "the Security Council",
            }
        ),
        E::ProceduralRequestFiled(e) => with_doc(
            &format!("Filed: {}", words::request_kind_bare(e.kind)),
            e.doc_ref.as_ref(),
        ),
        E::ProceduralRequestDecided(e) => with_doc(
            &format!("Request {}", words::outcome(e.outcome)),
            e.doc_ref.as_ref(),
        ),
        E::AspPresidentLetterSent(_) => "Letter of the President (dated)".to_owned(),
        E::AspPresidentLetterPublished(_) => "Letter published".to_owned(),
        E::FocalPointsActivated(_) => "Focal points activated".to_owned(),
        E::FocalPointsCommunicationIssued(_) => "Focal points' communication".to_owned(),
        E::BureauTookNote(_) => "Bureau took note".to_owned(),
        E::BureauConsideredReferral(_) => "Bureau considered the referral".to_owned(),
        E::AspMatterOpened(_) => "Matter before the Assembly".to_owned(),
        E::CourtInformedAsp(_) => "Court informed the Assembly".to_owned(),
        E::TravelInformationReceived(_) => "Travel information".to_owned(),
        other => {
            let _ = cx;
            cap(&other.entry_type().replace('_', " "))
        }
    }
}
