//! What links facts (identity and reference keys), the State and person a fact names, and
//! where a fact is reported.

use acta_domain::event::{Event, PriorFact};
use acta_domain::ids::{DocRef, PersonId};
use acta_domain::model::Fact;
use acta_domain::state::StateCode;

use super::context::Ctx;

/// What links facts: the thing a fact records (its identity) or mentions (a reference).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
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

fn doc_key(d: &acta_domain::ids::CourtRecordNumber) -> Key {
    Key::Doc(d.to_string())
}

/// A fact's identity keys and the keys it references.
pub(crate) fn keys(f: &Fact) -> (Vec<Key>, Vec<Key>) {
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
pub(super) fn direct(ev: &Event) -> (Option<StateCode>, Option<PersonId>) {
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
pub(super) fn area(cx: &Ctx<'_>, f: &Fact) -> Option<Area> {
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
