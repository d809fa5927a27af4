//! One fact in words: the sentences of the report and the labels of the timelines.

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
    use Event as E;
    let s = |text: String| cx.sentence(f, background, text);
    let one = |t: Topic, text: String| vec![(t, s(text))];
    let person = |p: &PersonId| cx.person(p);
    let actor = |a: &ActorRef| words::actor(a, &|p| cx.person(p));
    match &f.event {
        E::MandateAllocated(m) => one(
            Topic::Other,
            format!(
                "At its {} meeting of {}, {}, the Bureau assigned the mandate on {} to {}.",
                words::ordinal(m.meeting.number),
                m.meeting.year,
                on(&m.occurred),
                m.mandate,
                words::mandate_holder(m.holder, m.base)
            ),
        ),
        E::FocalPointMandateConfirmed(c) => {
            let states: Vec<String> = c.states.iter().map(|s| state_name(*s)).collect();
            let mut out = one(
                Topic::Other,
                dated(
                    &c.occurred,
                    &format!(
                        "the Bureau confirmed that {} remain focal points on non-cooperation.",
                        join(&states)
                    ),
                ),
            );
            if c.president_ex_officio == Some(true) {
                let president = cx.facts.iter().rev().find_map(|g| match &g.event {
                    E::AspPresidentTermRecorded(t) => Some((g, t)),
                    _ => None,
                });
                let (text, fs) = match president {
                    Some((g, t)) => (
                        format!(
                            "The President of the Assembly, {} of {}, serves ex officio as focal point for the President's own region.",
                            person(&t.person),
                            state_name(t.state)
                        ),
                        vec![(f, background), (*g, false)],
                    ),
                    None => (
                        "The President of the Assembly serves ex officio as focal point for the President's own region.".to_owned(),
                        vec![(f, background)],
                    ),
                };
                let kind = if background {
                    SentenceKind::Background
                } else {
                    SentenceKind::Event
                };
                out.push((Topic::Other, cx.sentence_many(&fs, kind, text)));
            }
            out
        }
        E::FocalPointAppointed(a) => one(
            Topic::Other,
            format!(
                "{} was appointed focal point on non-cooperation at the Bureau meeting held {}.",
                state_name(a.state),
                on(&a.occurred)
            ),
        ),
        // Named in the confirmation's sentence.
        E::AspPresidentTermRecorded(_) => Vec::new(),
        E::PriorFactAsserted(p) => match &p.fact {
            PriorFact::WarrantOutstanding(w) => {
                let by = w
                    .chamber
                    .map(|c| format!(" by {}", words::chamber(&c)))
                    .unwrap_or_default();
                let when = match w.issued_before.day() {
                    Some(d) => format!("before {}", words::day(d)),
                    None => format!("by {}", words::date(&w.issued_before)),
                };
                one(
                    Topic::Conduct,
                    format!(
                        "A warrant of arrest for {}, issued{by} {when}, was outstanding.",
                        person(&w.person)
                    ),
                )
            }
            PriorFact::ProceedingOpen(o) => one(
                Topic::Seizure,
                format!(
                    "As at {}, a proceeding concerning {} {} was pending{}.",
                    words::date(&p.occurred),
                    state_name(o.state),
                    words::basis(o.legal_basis),
                    o.chamber
                        .map(|c| format!(" before {}", words::chamber(&c)))
                        .unwrap_or_default()
                ),
            ),
            PriorFact::FocalPointInOffice(fp) => one(
                Topic::Other,
                format!(
                    "As at {}, {} was a focal point on non-cooperation.",
                    words::date(&p.occurred),
                    state_name(fp.state)
                ),
            ),
            PriorFact::StateStatus(_) => Vec::new(),
        },
        E::UnscReferralRecorded(r) => {
            let states: Vec<String> = r.bound_states.iter().map(|s| state_name(*s)).collect();
            one(
                Topic::Other,
                format!(
                    "Pursuant to Security Council {}{}, {} {} under an obligation to cooperate fully with the Court.",
                    words::resolution(&r.resolution),
                    r.paragraph
                        .as_ref()
                        .map(|p| format!(", paragraph {p}"))
                        .unwrap_or_default(),
                    join(&states),
                    if states.len() == 1 { "is" } else { "are" }
                ),
            )
        }
        E::ArrestWarrantRequested(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "the Prosecutor applied for a warrant of arrest for {}.",
                    person(&e.person)
                ),
            ),
        ),
        E::ArrestWarrantIssued(e) => {
            let what = if e.crimes.is_empty() {
                String::new()
            } else {
                format!(" for alleged {}", crimes(&e.crimes))
            };
            let sealed = if e.visibility == Visibility::Sealed {
                ", under seal"
            } else {
                ""
            };
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "{}{} issued a warrant of arrest for {}{what}{sealed}.",
                        words::chamber(&e.chamber),
                        by_majority(e.vote),
                        person(&e.person)
                    ),
                ),
            )
        }
        E::ArrestWarrantIssuedUnderSeal(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "a warrant of arrest{} was issued under seal.",
                    e.situation
                        .as_ref()
                        .map(|s| format!(" in {}", cx.situation(s)))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::ArrestWarrantAmended(e) => {
            let p = warrant_person(cx, f);
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "the warrant of arrest for {} was amended{}.",
                        person_opt(cx, p.as_ref()),
                        e.summary
                            .as_ref()
                            .map(|s| format!(": {s}"))
                            .unwrap_or_default()
                    ),
                ),
            )
        }
        E::ArrestWarrantUnsealed(e) => {
            let p = warrant_person(cx, f);
            let how = match e.new_visibility {
                Visibility::Public => "made public",
                Visibility::PublicRedacted => "made public in a redacted version",
                Visibility::ExistenceDisclosed | Visibility::Sealed => "disclosed",
            };
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "the warrant of arrest for {} was {how}.",
                        person_opt(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::ArrestWarrantWithdrawn(e) => {
            let p = warrant_person(cx, f);
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "the warrant of arrest for {} was withdrawn.",
                        person_opt(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::CooperationRequestTransmitted(e) => {
            let p = warrant_person(cx, f);
            let to = match &e.addressees {
                acta_domain::vocab::Addressees::AllStatesParties => "all States Parties".to_owned(),
                acta_domain::vocab::Addressees::States(ss) => {
                    join(&ss.iter().map(|s| state_name(*s)).collect::<Vec<_>>())
                }
            };
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "the Registry transmitted a request for the arrest and surrender of {} to {to}.",
                        person_opt(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::CourtReminderIssued(e) => {
            let p = warrant_person(cx, f);
            let who = e
                .attributed_to
                .as_ref()
                .map_or_else(|| "the Court".to_owned(), &actor);
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "{who} reminded {} of its obligation to arrest and surrender {}.",
                        state_name(e.state),
                        person_opt(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::PersonArrested(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} was arrested by the authorities of {}, pursuant to the Court's warrant of arrest.",
                    person(&e.person),
                    state_name(e.state)
                ),
            ),
        ),
        E::CustodialProceedingsRecorded(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "domestic proceedings concerning the arrest were {} in {}{}.",
                    match e.phase {
                        acta_domain::vocab::CustodialPhase::Opened => "opened",
                        acta_domain::vocab::CustodialPhase::Completed => "completed",
                    },
                    state_name(e.state),
                    e.outcome
                        .as_ref()
                        .map(|o| format!(": {o}"))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::PersonReleasedWithoutSurrender(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} was released by {}{}, without surrender to the Court.",
                    person(&e.person),
                    state_name(e.state),
                    e.expelled_to
                        .map(|s| format!(" and expelled to {}", state_name(s)))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::PersonSurrendered(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &if e.voluntary == Some(true) {
                    format!(
                        "{} surrendered voluntarily to the Court in {}.",
                        person(&e.person),
                        state_name(e.state)
                    )
                } else {
                    format!(
                        "{} was surrendered to the Court by {}.",
                        person(&e.person),
                        state_name(e.state)
                    )
                },
            ),
        ),
        E::DomesticCustodyRecorded(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} was {} domestic custody in {}.",
                    person(&e.person),
                    match e.phase {
                        DomesticCustodyPhase::Started => "taken into",
                        DomesticCustodyPhase::Ended => "released from",
                    },
                    state_name(e.state)
                ),
            ),
        ),
        E::InitialAppearanceHeld(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} first appeared before {}.",
                    person(&e.person),
                    words::chamber(&e.chamber)
                ),
            ),
        ),
        E::CaseMilestoneRecorded(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "a milestone ({}) was reached in case {}.",
                    e.kind.as_str().replace('_', " "),
                    e.case_id
                ),
            ),
        ),
        E::ProceedingsTerminated(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "proceedings against {} were terminated.",
                    person_opt(cx, e.person.as_ref())
                ),
            ),
        ),
        E::PersonDeathRecorded(e) => one(
            Topic::Conduct,
            format!("{} died {}.", person(&e.person), on(&e.occurred)),
        ),
        E::TravelInformationReceived(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "{} received information that {} was expected to travel to {} {}.",
                    actor(&e.received_by),
                    person(&e.person),
                    state_name(e.state),
                    on(&e.expected)
                ),
            ),
        ),
        E::WantedPersonVisitRecorded(v) => {
            if v.outcome == Some(VisitOutcome::Cancelled) {
                return one(
                    Topic::Conduct,
                    format!(
                        "The visit of {} to {}, expected {}, did not take place.",
                        person(&v.person),
                        state_name(v.state),
                        on(&v.occurred)
                    ),
                );
            }
            let day = v
                .occurred
                .earliest()
                .unwrap_or(cx.params.to)
                .clamp(cx.params.from, cx.params.to);
            let party = cx.model.section_on(v.state, day, None)
                == Some(acta_domain::model::Section::StatesParties);
            one(
                Topic::Conduct,
                dated(
                    &v.occurred,
                    &format!(
                        "{} visited {}{}{}.",
                        cx.person_with_position(&v.person),
                        state_name(v.state),
                        if party {
                            ", a State Party to the Statute"
                        } else {
                            ""
                        },
                        match v.outcome {
                            Some(VisitOutcome::NotArrested) =>
                                if party {
                                    ", and was not arrested"
                                } else {
                                    " and was not arrested"
                                },
                            Some(VisitOutcome::Arrested) => " and was arrested",
                            _ => "",
                        }
                    ),
                ),
            )
        }
        E::Article97ConsultationRequested(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} requested consultations with the Court under article 97 of the Rome Statute{}.",
                    state_name(e.state),
                    e.subject
                        .as_ref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::Article97ConsultationResponded(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "the Court responded to the consultations requested by {}: {}",
                    state_name(e.state),
                    e.response
                ),
            ),
        ),
        E::NonComplianceRequestFiled(e) => one(
            Topic::Seizure,
            dated(
                &e.occurred,
                &format!(
                    "{} requested a finding that {} had failed to comply with {}.",
                    e.filed_by
                        .as_ref()
                        .map_or_else(|| "the Prosecutor".to_owned(), &actor),
                    state_name(e.state),
                    request_for(cx, warrant_person(cx, f).as_ref())
                ),
            ),
        ),
        E::NonComplianceProceedingOpened(e) => {
            let p = e.person.clone().or_else(|| cx.link(f).1);
            one(
                Topic::Seizure,
                dated(
                    &e.occurred,
                    &format!(
                        "{} was seized, {}, of the question of whether {} had failed to comply with {}.",
                        words::chamber(&e.chamber),
                        words::basis(e.legal_basis),
                        state_name(e.state),
                        request_for(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::ChamberReassigned(e) => one(
            Topic::Seizure,
            dated(
                &e.occurred,
                &format!(
                    "{} was reassigned from {} to {}.",
                    cap(&cx.situation(&e.situation)),
                    words::chamber(&e.from),
                    words::chamber(&e.to)
                ),
            ),
        ),
        E::StateObservationsInvited(e) => {
            // Said with the decision that invited them, when there is one.
            let with_decision = cx.facts.iter().any(|g| match &g.event {
                E::NonComplianceDecisionIssued(d) => {
                    d.proceeding_id == e.proceeding_id
                        && d.occurred == e.occurred
                        && matches!(d.referral, Referral::Deferred(_))
                }
                _ => false,
            });
            if with_decision {
                return Vec::new();
            }
            one(
                Topic::Decision,
                dated(
                    &e.occurred,
                    &format!(
                        "the Chamber invited {} to submit {} by {}.",
                        state_name(e.state),
                        e.subject
                            .as_ref()
                            .map_or_else(|| "observations".to_owned(), |s| s.to_string()),
                        words::date(&e.deadline)
                    ),
                ),
            )
        }
        E::StateObservationsSubmitted(e) => one(
            Topic::Decision,
            dated(
                &e.occurred,
                &format!(
                    "{} submitted its response to the Chamber's invitation.",
                    state_name(e.state)
                ),
            ),
        ),
        E::NonComplianceDecisionIssued(d) => decision(cx, f, d, background),
        E::ReferralDecisionIssued(e) => {
            let info = proceeding(cx, e.proceeding_id.as_str());
            let what = match &e.referral {
                Referral::Referred(t) => format!(
                    "to refer the matter of {} non-compliance to {}",
                    possessive(&state_or(info.state)),
                    words::referral_target(*t)
                ),
                _ => format!(
                    "not to refer the matter of {} non-compliance",
                    possessive(&state_or(info.state))
                ),
            };
            one(
                Topic::Decision,
                dated(
                    &e.occurred,
                    &format!(
                        "{}{} decided {what}.",
                        words::chamber(&e.chamber),
                        by_majority(e.vote)
                    ),
                ),
            )
        }
        E::ReferralTransmitted(e) => {
            let info = proceeding(cx, e.proceeding_id.as_str());
            let mut basis = Vec::new();
            if info.basis == Some(LegalBasis::Art87_7) {
                basis.push("article 87(7) of the Rome Statute".to_owned());
            }
            if let Some(b) = &e.basis {
                basis.push(words::provision(b));
            }
            let pursuant = if basis.is_empty() {
                String::new()
            } else {
                format!("pursuant to {}, ", join(&basis))
            };
            let who = e
                .attributed_to
                .as_ref()
                .map_or_else(|| "the Presidency of the Court".to_owned(), &actor);
            one(
                Topic::Transmission,
                dated(
                    &e.occurred,
                    &format!(
                        "{pursuant}{who} transmitted the decision and referred the matter of {} non-compliance to {}.",
                        possessive(&state_or(info.state)),
                        words::transmission_target(e.to)
                    ),
                ),
            )
        }
        E::ProceduralRequestFiled(e) => {
            let kind = words::request_kind(e.kind);
            let target = match &e.target_decision {
                Some(t) if !kind.contains(" of the decision") => {
                    format!(" of {}", decision_words(cx, t))
                }
                _ => String::new(),
            };
            one(
                Topic::Requests,
                dated(
                    &e.occurred,
                    &format!("{} submitted {kind}{target}.", actor(&e.filed_by)),
                ),
            )
        }
        E::ProceduralRequestDecided(e) => {
            let filed = cx
                .with_id(&Key::Request(e.request_id.to_string()))
                .find_map(|g| match &g.event {
                    E::ProceduralRequestFiled(r) => Some(r),
                    _ => None,
                });
            let what = match filed {
                Some(r) => {
                    let kind = words::request_kind_bare(r.kind);
                    let target = match &r.target_decision {
                        Some(t) if !kind.contains(" of the decision") => {
                            format!(" of {}", decision_words(cx, t))
                        }
                        _ => String::new(),
                    };
                    format!("{} {kind}{target}", possessive(&actor(&r.filed_by)))
                }
                None => format!("the request recorded as {}", e.request_id),
            };
            let verb = match e.outcome {
                RequestOutcome::PartlyGranted => "granted in part".to_owned(),
                o => words::outcome(o).to_owned(),
            };
            one(
                Topic::Requests,
                dated(
                    &e.occurred,
                    &format!(
                        "{} {verb} {what}{}.",
                        words::chamber(&e.deciding_body),
                        e.reasons
                            .as_ref()
                            .map(|r| format!(", {r}"))
                            .unwrap_or_default()
                    ),
                ),
            )
        }
        E::AppealFiled(e) => {
            let what = e
                .appealed_decision
                .as_ref()
                .map_or_else(|| "a decision".to_owned(), |d| decision_words(cx, d));
            one(
                Topic::Requests,
                dated(
                    &e.occurred,
                    &format!("{} appealed {what}.", actor(&e.appellant)),
                ),
            )
        }
        E::AppealJudgmentDelivered(e) => {
            let finding = match e.on_finding {
                OnFinding::Confirmed => Some("confirmed the finding"),
                OnFinding::Reversed => Some("reversed the finding"),
                OnFinding::NotAddressed => None,
            };
            let referral = match e.on_referral {
                OnReferral::Confirmed => Some("confirmed the referral"),
                OnReferral::Reversed => Some("reversed the referral"),
                OnReferral::Remanded => Some("remanded the determination on referral"),
                OnReferral::NotApplicable => None,
            };
            let parts: Vec<&str> = finding.into_iter().chain(referral).collect();
            one(
                Topic::Requests,
                dated(
                    &e.occurred,
                    &format!(
                        "the Appeals Chamber{} delivered its judgment on the appeal{}.",
                        by_majority(e.vote),
                        if parts.is_empty() {
                            String::new()
                        } else {
                            format!(", and {}", join(&parts))
                        }
                    ),
                ),
            )
        }
        E::NonComplianceProceedingClosed(e) => {
            let info = proceeding(cx, e.proceeding_id.as_str());
            one(
                Topic::Transmission,
                dated(
                    &e.occurred,
                    &format!(
                        "the proceeding concerning {} compliance was closed.",
                        possessive(&state_or(info.state))
                    ),
                ),
            )
        }
        E::CourtInformedAsp(e) => {
            let ds: Vec<String> = e.about.iter().map(|d| decision_words(cx, d)).collect();
            let who = e
                .attributed_to
                .as_ref()
                .map_or_else(|| "the President of the Court".to_owned(), &actor);
            one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "{who} informed the President of the Assembly of {}.",
                        join(&ds)
                    ),
                ),
            )
        }
        E::FocalPointsActivated(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "the focal points on non-cooperation were activated{}{}, in view of the visit of {} to {}.",
                    if e.includes_president_good_offices == Some(true) {
                        ", including the good offices of the President of the Assembly,"
                    } else {
                        ""
                    },
                    match e.track {
                        Some(Track::Informal) =>
                            " in line with the informal Assembly procedures relating to non-cooperation",
                        Some(Track::Formal) =>
                            " in line with the formal Assembly procedures relating to non-cooperation",
                        None => "",
                    },
                    person(&e.person),
                    state_name(e.state)
                ),
            ),
        ),
        E::FocalPointsCommunicationIssued(e) => {
            let aud = words::audience(e.audience);
            let mut acts = Vec::new();
            for k in &e.kinds {
                acts.push(match k {
                    CommunicationKind::VisitAlert => match (&e.person, e.state) {
                        (Some(p), Some(s)) => format!(
                            "informed {aud} of the intended visit of {} to {}",
                            person(p),
                            state_name(s)
                        ),
                        _ => format!("informed {aud} of an intended visit"),
                    },
                    CommunicationKind::ToolkitReminder => format!(
                        "reminded {} of the Toolkit for the implementation of the informal dimension of the Assembly procedures relating to non-cooperation",
                        if acts.is_empty() { aud } else { "them" }
                    ),
                    CommunicationKind::Message => format!(
                        "issued a message{}",
                        recalls(&e.recalls)
                            .map(|r| format!(" recalling {r}"))
                            .unwrap_or_default()
                    ),
                });
            }
            let body = format!("the focal points on non-cooperation {}.", join(&acts));
            let text = match &e.occasion {
                Some(o) => format!("In the context of the {o}, {}, {body}", on(&e.occurred)),
                None => dated(&e.occurred, &body),
            };
            one(Topic::Other, text)
        }
        E::AspPresidentLetterSent(e) => {
            let visit = visit_of(cx, f);
            let noting = recalls(&e.recalls)
                .map(|r| format!(", noting the obligations of States Parties under {r}"))
                .unwrap_or_default();
            let track = match e.track {
                Track::Informal => {
                    ", in accordance with the informal Assembly procedures relating to non-cooperation"
                }
                Track::Formal => {
                    ", in accordance with the formal Assembly procedures relating to non-cooperation"
                }
            };
            let letter = match e.purpose {
                LetterPurpose::OpenLetterAfterReferral => "an open letter",
                _ => "a letter",
            };
            let dated_words = match e.occurred {
                LegalDate::Day(d) => format!("dated {}", words::day(d)),
                other => format!("dated {}", words::date(&other)),
            };
            let to = format!("the {} of {}", e.to_office, state_name(e.state));
            let text = match (e.purpose, visit) {
                (LetterPurpose::PreVisitReminder, Some((p, st, _))) => format!(
                    "In advance of the visit of {} to {}, the President of the Assembly conveyed {letter}, {dated_words}, to {to}{noting}{track}.",
                    person(&p),
                    state_name(st)
                ),
                _ => format!(
                    "The President of the Assembly conveyed {letter}, {dated_words}, to {to}{noting}{track}."
                ),
            };
            one(Topic::Other, text)
        }
        E::AspPresidentLetterPublished(e) => {
            let inferred = matches!(
                e.provenance,
                Some(acta_domain::source::Provenance::Inferred(_))
            );
            let visit = visit_of(cx, f);
            let text = match (inferred, visit) {
                (true, Some((p, st, period))) if period.earliest() == e.occurred.day() => {
                    format!(
                        "The letter was published once the visit of {} to {} had commenced.",
                        person(&p),
                        state_name(st)
                    )
                }
                (true, _) => format!(
                    "The letter was published, on a date derived rather than stated, {}.",
                    on(&e.occurred)
                ),
                (false, _) => format!("The letter was published {}.", on(&e.occurred)),
            };
            let mut out = one(Topic::Other, text);
            if let (Some(c), Some((_, s))) = (&e.channel, out.first_mut()) {
                s.footnote.notes.push(format!("Published on: {c}."));
            }
            out
        }
        E::StateReplyReceived(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "{} replied to the President of the Assembly{}.",
                    state_name(e.state),
                    e.summary
                        .as_ref()
                        .map(|s| format!(": {s}"))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::BureauTookNote(e) => {
            // The documents noted, in words; the entries only when no document is named (they
            // are the same decisions, cited in the footnote either way).
            let mut what: Vec<String> = e.of_documents.iter().map(|d| doc_words(cx, d)).collect();
            if what.is_empty() {
                for r in &e.of_entries {
                    what.push(match cx.fact(r.seq) {
                        Some(g) => format!("the {}", label(cx, g).to_lowercase()),
                        None => format!("entry {}", r.seq),
                    });
                }
            }
            // The State the noted decisions concern.
            let mut states: Vec<StateCode> = Vec::new();
            for k in keys(f).1 {
                for g in cx.with_id(&k) {
                    if let Some(s) = cx.link(g).0
                        && !states.contains(&s)
                    {
                        states.push(s);
                    }
                }
            }
            let concerning = match states.as_slice() {
                [s] => format!(" concerning {}", state_name(*s)),
                _ => String::new(),
            };
            let informed = match e.informed_by {
                Some(ActorRef::CourtPresident) => {
                    ", of which the President of the Court had informed the President of the Assembly"
                }
                _ => "",
            };
            one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "the Bureau took note of {}{concerning}{informed}.",
                        join(&what)
                    ),
                ),
            )
        }
        E::AspMatterOpened(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "following {}, the matter of {} non-cooperation came before the Assembly under its formal procedure relating to non-cooperation.",
                    match e.trigger {
                        acta_domain::vocab::AspMatterTrigger::CourtReferral(_) =>
                            "the Court's referral",
                        acta_domain::vocab::AspMatterTrigger::Urgent(_) => "an urgent situation",
                    },
                    possessive(&state_name(e.state))
                ),
            ),
        ),
        E::BureauConsideredReferral(e) => {
            // The decision referred: the proceeding's latest decision before the meeting.
            let decision = cx
                .with_id(&Key::Matter(e.asp_matter_id.to_string()))
                .flat_map(|g| keys(g).1)
                .filter(|k| matches!(k, Key::Proceeding(_)))
                .flat_map(|k| cx.with_id(&k).collect::<Vec<_>>())
                .filter_map(|g| match &g.event {
                    E::NonComplianceDecisionIssued(d) => Some(d),
                    _ => None,
                })
                .last();
            let what = match decision {
                Some(d) => format!(
                    "the {} decision of {} regarding {} non-cooperation in {}",
                    words::date(&d.occurred),
                    words::chamber(&d.chamber),
                    possessive(&state_name(e.state)),
                    cx.situation(&d.situation)
                ),
                None => format!(
                    "the matter of {} non-cooperation",
                    possessive(&state_name(e.state))
                ),
            };
            let mut out = one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "at its {} meeting of {}, the Bureau considered {what}.",
                        words::ordinal(e.meeting.number),
                        e.meeting.year
                    ),
                ),
            );
            let heard = if e.state_heard {
                format!(
                    "{}{} presented the views of {}{}.",
                    e.procedures_para
                        .as_ref()
                        .map(|p| format!("Pursuant to {}, ", words::provision(p)))
                        .unwrap_or_default(),
                    e.state_representative.as_ref().map_or_else(
                        || format!("a representative of {}", state_name(e.state)),
                        |r| r.to_string()
                    ),
                    state_name(e.state),
                    e.state_position_summary
                        .as_ref()
                        .map(|s| format!(": {s}"))
                        .unwrap_or_default()
                )
            } else {
                format!("{} was not heard.", state_name(e.state))
            };
            out.push((Topic::Other, s(cap(&heard))));
            if let Some(o) = &e.outcome {
                out.push((
                    Topic::Other,
                    s(format!("The Bureau's decision is recorded as: “{o}”.")),
                ));
            }
            out
        }
        E::EmergencyBureauMeetingConvened(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "the Bureau held an emergency meeting on the matter recorded as {}.",
                    e.asp_matter_id
                ),
            ),
        ),
        E::PublicStatementIssued(e) => {
            let plural = matches!(e.occurred, LegalDate::Span { .. });
            one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "{} {} on {}{}.",
                        actor(&e.by),
                        if plural {
                            "made public statements"
                        } else {
                            "made a public statement"
                        },
                        e.subject,
                        e.summary
                            .as_ref()
                            .map(|s| format!(": {s}"))
                            .unwrap_or_default()
                    ),
                ),
            )
        }
        E::ProsecutorUnscBriefingDelivered(e) => {
            let extra = if !e.appeals.is_empty() {
                // "to take action …" reads after "appealing to the Security Council"; other
                // appeals ("assistance in …") after "appealing for".
                let (to, other): (Vec<String>, Vec<String>) = e
                    .appeals
                    .iter()
                    .map(ToString::to_string)
                    .partition(|a| a.starts_with("to "));
                let mut parts = Vec::new();
                if !to.is_empty() {
                    parts.push(format!("appealing to the Security Council {}", join(&to)));
                }
                if !other.is_empty() {
                    parts.push(format!("appealing for {}", join(&other)));
                }
                format!(", {}", parts.join(", and "))
            } else if !e.persons.is_empty() {
                format!(
                    ", with reference to {}",
                    join(&e.persons.iter().map(person).collect::<Vec<_>>())
                )
            } else {
                String::new()
            };
            one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "the Prosecutor presented the {} report to the Security Council pursuant to {}{extra}.",
                        words::ordinal(e.ordinal),
                        words::resolution(&e.resolution)
                    ),
                ),
            )
        }
        E::UnscActionRecorded(e) => {
            let what = match e.kind {
                UnscActionKind::Resolution => "the Security Council adopted a resolution",
                UnscActionKind::PresidentialStatement => {
                    "the President of the Security Council issued a statement"
                }
                UnscActionKind::Meeting => "the Security Council held a meeting",
                UnscActionKind::NoAction => {
                    "the Security Council took no action on the communications received from the Court"
                }
            };
            one(Topic::Other, dated(&e.occurred, &format!("{what}.")))
        }
        E::FocalPointsMeetingHeld(e) => {
            let topics = if e.topics.is_empty() {
                String::new()
            } else {
                format!(
                    " to discuss {}",
                    join(&e.topics.iter().map(ToString::to_string).collect::<Vec<_>>())
                )
            };
            let text = match e.kind {
                MeetingKind::StrategicPlanning => format!(
                    "The focal points held a strategic planning meeting {}{topics}.",
                    on(&e.occurred)
                ),
                MeetingKind::Internal => format!(
                    "The focal points held an internal meeting {}{topics}.",
                    on(&e.occurred)
                ),
                MeetingKind::WithPresident => format!(
                    "The focal points met with the President of the Assembly {}{topics}.",
                    on(&e.occurred)
                ),
                MeetingKind::FacilitationBriefing => format!(
                    "The focal points{} provided a briefing in the meeting of the {} {}.",
                    if e.r#virtual == Some(true) {
                        " participated virtually and"
                    } else {
                        ""
                    },
                    e.counterpart
                        .as_ref()
                        .map_or_else(|| "Cooperation facilitation".to_owned(), |c| c.to_string()),
                    on(&e.occurred)
                ),
                MeetingKind::NywgUpdate => format!(
                    "The focal points provided an update to the {} {}.",
                    e.counterpart
                        .as_ref()
                        .map_or_else(|| "New York Working Group".to_owned(), |c| c.to_string()),
                    on(&e.occurred)
                ),
                MeetingKind::Stakeholders | MeetingKind::Other => format!(
                    "The focal points met{} {}{topics}.",
                    e.counterpart
                        .as_ref()
                        .map(|c| format!(" with {c}"))
                        .unwrap_or_default(),
                    on(&e.occurred)
                ),
            };
            one(Topic::Other, text)
        }
        E::AspPlenaryScheduled(e) => one(
            Topic::Other,
            format!(
                "A plenary meeting dedicated to {} is scheduled to be held at the {} session of the Assembly {}{}.",
                e.topic,
                words::ordinal(e.session),
                on(&e.scheduled_for),
                e.focus
                    .as_ref()
                    .map(|f| format!(", with a focus on {f}"))
                    .unwrap_or_default()
            ),
        ),
        E::AspPlenaryHeld(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "at its {} session, the Assembly held a plenary debate on {}{}.",
                    words::ordinal(e.session),
                    e.topic,
                    e.outcome
                        .as_ref()
                        .map(|o| format!(": {o}"))
                        .unwrap_or_default()
                ),
            ),
        ),
        _ => Vec::new(),
    }
}

/// The person of the warrant a fact is about.
fn warrant_person(cx: &Ctx<'_>, f: &Fact) -> Option<PersonId> {
    cx.link(f).1
}

/// A non-compliance decision: the finding, the referral (or its deferral), the invitation,
/// the opinions.
fn decision(
    cx: &Ctx<'_>,
    f: &Fact,
    d: &acta_domain::event::NonComplianceDecisionIssued,
    background: bool,
) -> Vec<(Topic, Sentence)> {
    let s = |text: String| (Topic::Decision, cx.sentence(f, background, text));
    let chamber = words::chamber(&d.chamber);
    let state = state_name(d.state);
    let person = d.person.clone().or_else(|| cx.link(f).1);
    let request = request_for(cx, person.as_ref());
    let mut out = Vec::new();
    let referral_clause = match &d.referral {
        Referral::Referred(t) => format!(
            ", and referred the matter to {}",
            words::referral_target(*t)
        ),
        Referral::NotReferred => ", and decided not to refer the matter".to_owned(),
        _ => String::new(),
    };
    let vote = match d.vote_on_finding {
        Some(Vote::Majority) => "by majority, ",
        _ => "",
    };
    let finding = match d.finding {
        Finding::NonCompliant => Some(format!(
            "found, {vote}{}, that {state} had failed to comply with {request}",
            words::basis(d.legal_basis.unwrap_or(LegalBasis::Art87_7))
        )),
        Finding::NoNonCompliance => Some(format!(
            "found, {vote}{}, that {state} had not failed to comply with {request}",
            words::basis(d.legal_basis.unwrap_or(LegalBasis::Art87_7))
        )),
        Finding::NotStated => None,
    };
    match (&d.title, finding) {
        (Some(t), finding) => {
            out.push(s(dated(
                &d.occurred,
                &format!("{chamber} issued a decision entitled “{t}”."),
            )));
            match finding {
                Some(fd) => out.push(s(format!("The Chamber {fd}{referral_clause}."))),
                None if !referral_clause.is_empty() => out.push(s(format!(
                    "The Chamber{}.",
                    referral_clause.trim_start_matches(", and")
                ))),
                None => {}
            }
        }
        (None, Some(fd)) => out.push(s(dated(
            &d.occurred,
            &format!("{chamber} {fd}{referral_clause}."),
        ))),
        (None, None) => out.push(s(dated(
            &d.occurred,
            &format!(
                "{chamber} issued a decision concerning {} compliance with {request}{referral_clause}.",
                possessive(&state)
            ),
        ))),
    }
    if d.finding == Finding::NotStated
        && let Some((_, first)) = out.first_mut()
    {
        first
            .footnote
            .notes
            .push("The finding itself is not stated in the source.".to_owned());
    }
    if d.referral == Referral::NotStated
        && let Some((_, first)) = out.first_mut()
    {
        first
            .footnote
            .notes
            .push("The determination on referral is not stated in the source.".to_owned());
    }
    if let Referral::Deferred(def) = &d.referral {
        let targets = if cx.unsc_situation(&d.situation) {
            "to the Assembly of States Parties or to the United Nations Security Council"
        } else {
            "to the Assembly of States Parties"
        };
        out.push(s(format!(
            "The Chamber{} deferred its determination as to whether the matter of {} non-compliance with {request} should be referred {targets}.",
            by_majority(d.vote_on_referral),
            possessive(&state)
        )));
        // The invitation, with the observations invited on the same day.
        let invited: Vec<&Fact> = cx
            .facts
            .iter()
            .copied()
            .filter(|g| match &g.event {
                Event::StateObservationsInvited(i) => {
                    i.proceeding_id == d.proceeding_id && i.occurred == d.occurred
                }
                _ => false,
            })
            .collect();
        let deadline = def.deadline.or_else(|| {
            invited.iter().find_map(|g| match &g.event {
                Event::StateObservationsInvited(i) => Some(i.deadline),
                _ => None,
            })
        });
        if def.invitation.is_some() || deadline.is_some() {
            let what = def
                .invitation
                .as_ref()
                .map_or_else(|| "its observations".to_owned(), |i| i.to_string());
            let text = format!(
                "The Chamber invited {state} to provide {what}{}.",
                deadline
                    .map(|x| format!(", by {}", words::date(&x)))
                    .unwrap_or_default()
            );
            let mut fs = vec![(f, background)];
            fs.extend(invited.iter().map(|g| (*g, background)));
            let kind = if background {
                SentenceKind::Background
            } else {
                SentenceKind::Event
            };
            out.push((Topic::Decision, cx.sentence_many(&fs, kind, text)));
        }
    }
    for o in &d.opinions {
        out.push(s(format!(
            "The decision was accompanied by {} of Judge {}.",
            opinion_kind(o.kind),
            o.judge
        )));
    }
    out
}

/// Pending matters of a proceeding at the end of the period.
pub(super) fn pending(cx: &Ctx<'_>, p: &str) -> Vec<Sentence> {
    let to = cx.params.to;
    let known = |g: &Fact| {
        g.event
            .envelope()
            .occurred
            .is_none_or(|d| d.earliest().is_none_or(|e| e <= to))
    };
    let pk = Key::Proceeding(p.to_owned());
    let mine: Vec<&Fact> = cx
        .facts
        .iter()
        .copied()
        .filter(|g| known(g))
        .filter(|g| {
            let (ids, refs) = keys(g);
            ids.contains(&pk) || refs.contains(&pk)
        })
        .collect();
    let as_at = format!("As at {}", words::day(to));
    let pending_sentence = |fs: Vec<&Fact>, text: String| {
        let pairs: Vec<(&Fact, bool)> = fs.into_iter().map(|g| (g, false)).collect();
        let mut s = cx.sentence_many(&pairs, SentenceKind::Pending, text);
        s.footnote.notes.retain(|n| !n.starts_with("Background"));
        s
    };
    let mut out = Vec::new();
    let mut decisions: Vec<&Fact> = mine
        .iter()
        .copied()
        .filter(|g| matches!(g.event, Event::NonComplianceDecisionIssued(_)))
        .collect();
    decisions.sort_by_key(|g| order(g));
    let referral_decided = mine
        .iter()
        .any(|g| matches!(g.event, Event::ReferralDecisionIssued(_)));
    let closed = mine
        .iter()
        .any(|g| matches!(g.event, Event::NonComplianceProceedingClosed(_)));
    let submitted: Vec<&Fact> = mine
        .iter()
        .copied()
        .filter(|g| matches!(g.event, Event::StateObservationsSubmitted(_)))
        .collect();
    let info = proceeding(cx, p);
    let state = state_or(info.state);
    if closed {
        return out;
    }
    match decisions.last() {
        None => {
            if let Some(opened) = mine
                .iter()
                .copied()
                .find(|g| matches!(g.event, Event::NonComplianceProceedingOpened(_)))
            {
                out.push(pending_sentence(
                    vec![opened],
                    format!(
                        "{as_at}, the Chamber's determination on whether {state} had failed to comply was pending."
                    ),
                ));
            }
        }
        Some(last) => {
            if let Event::NonComplianceDecisionIssued(d) = &last.event
                && matches!(d.referral, Referral::Deferred(_))
                && !referral_decided
            {
                let response = submitted.last().and_then(|g| match &g.event {
                    Event::StateObservationsSubmitted(o) => Some(format!(
                        ", {} response having been submitted {}",
                        possessive(&state),
                        on(&o.occurred)
                    )),
                    _ => None,
                });
                let mut fs = vec![*last];
                fs.extend(submitted.iter().copied());
                out.push(pending_sentence(
                    fs,
                    format!(
                        "{as_at}, the Chamber's determination on referral was pending{}.",
                        response.unwrap_or_default()
                    ),
                ));
            }
        }
    }
    // Procedural requests filed and not decided.
    for g in &mine {
        if let Event::ProceduralRequestFiled(r) = &g.event {
            let decided = cx
                .facts
                .iter()
                .filter(|h| known(h))
                .any(|h| matches!(&h.event, Event::ProceduralRequestDecided(x) if x.request_id == r.request_id));
            // A request to reconsider the decision on disqualification implies that decision.
            let implied = r.kind == acta_domain::vocab::RequestKind::Disqualification
                && mine.iter().any(|h| {
                    matches!(&h.event, Event::ProceduralRequestFiled(x)
                        if x.kind == acta_domain::vocab::RequestKind::DisqualificationReconsideration)
                });
            if !decided && !implied {
                let who = words::actor(&r.filed_by, &|p| cx.person(p));
                out.push(pending_sentence(
                    vec![*g],
                    format!(
                        "{as_at}, no decision on {} {} is recorded.",
                        possessive(&who),
                        words::request_kind_bare(r.kind)
                    ),
                ));
            }
        }
    }
    out
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
