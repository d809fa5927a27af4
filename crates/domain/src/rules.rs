//! Field-level rules that serde's shape checks cannot express: "at least one of", a value
//! that must be of a narrower kind, the common members' rules. These are properties of one
//! event's data alone; rules that need other entries (a warrant must exist, dates must follow
//! each other) are domain invariants, checked by the projection layer.

use acta_core::json::Object;

use crate::de::child_path;
use crate::error::FieldErrorKind;
use crate::event::Event;
use crate::source::Provenance;
use crate::vocab::{Referral, RetractionReason, Visibility};

/// A rule broken: the path, the kind, and what is expected.
pub(crate) type Broken = (String, FieldErrorKind, String);

fn broken(path: &str, kind: FieldErrorKind, expected: &str) -> Result<(), Broken> {
    Err((path.to_owned(), kind, expected.to_owned()))
}

fn at_least_one(a: bool, b: bool, first: &str, second: &str) -> Result<(), Broken> {
    if a || b {
        return Ok(());
    }
    Err((
        format!("data.{first}"),
        FieldErrorKind::Missing,
        format!("at least one of {first} and {second} is required"),
    ))
}

/// Checks the rules of `event`, whose stored data is `data`.
pub(crate) fn check(event: &Event, data: &Object) -> Result<(), Broken> {
    check_envelope(event, data)?;
    match event {
        Event::ProceedingsTerminated(e) => {
            at_least_one(e.person.is_some(), e.case_id.is_some(), "person", "case_id")
        }
        Event::Article97ConsultationRequested(e) => at_least_one(
            e.warrant_id.is_some(),
            e.request_id.is_some(),
            "warrant_id",
            "request_id",
        ),
        Event::StateReplyReceived(e) => at_least_one(
            e.letter_id.is_some(),
            e.asp_matter_id.is_some(),
            "letter_id",
            "asp_matter_id",
        ),
        Event::AppealFiled(e) => at_least_one(
            e.decision_id.is_some(),
            e.appealed_decision.is_some(),
            "decision_id",
            "appealed_decision",
        ),
        Event::BureauTookNote(e) => at_least_one(
            !e.of_documents.is_empty(),
            !e.of_entries.is_empty(),
            "of_documents",
            "of_entries",
        ),
        Event::ReferralDecisionIssued(e) => match e.referral {
            Referral::Referred(_) | Referral::NotReferred => Ok(()),
            _ => broken(
                "data.referral",
                FieldErrorKind::InvalidValue,
                "a decision after a deferral refers ({\"referred\": …}) or does not (\"not_referred\")",
            ),
        },
        Event::ArrestWarrantUnsealed(e) if e.new_visibility == Visibility::Sealed => broken(
            "data.new_visibility",
            FieldErrorKind::InvalidValue,
            "existence_disclosed, public_redacted or public (an unsealing makes a warrant more visible)",
        ),
        Event::UnscReferralRecorded(e) if e.resolution.security_council_resolution().is_none() => {
            broken(
                "data.resolution",
                FieldErrorKind::InvalidValue,
                "a Security Council resolution: S/RES/<n> (<year>)",
            )
        }
        Event::ProsecutorUnscBriefingDelivered(e) => {
            if e.resolution.security_council_resolution().is_none() {
                return broken(
                    "data.resolution",
                    FieldErrorKind::InvalidValue,
                    "a Security Council resolution: S/RES/<n> (<year>)",
                );
            }
            if e.ordinal == 0 {
                return broken(
                    "data.ordinal",
                    FieldErrorKind::InvalidValue,
                    "an ordinal from 1",
                );
            }
            Ok(())
        }
        Event::AspResolutionAdopted(e) if e.symbol.resolution().is_none() => broken(
            "data.symbol",
            FieldErrorKind::InvalidValue,
            "a resolution symbol: ICC-ASP/<session>/Res.<n>",
        ),
        Event::AspSessionRecorded(e) if e.session == 0 => broken(
            "data.session",
            FieldErrorKind::InvalidValue,
            "a session number from 1",
        ),
        Event::AspPlenaryScheduled(e) if e.session == 0 => broken(
            "data.session",
            FieldErrorKind::InvalidValue,
            "a session number from 1",
        ),
        Event::AspPlenaryHeld(e) if e.session == 0 => broken(
            "data.session",
            FieldErrorKind::InvalidValue,
            "a session number from 1",
        ),
        Event::BureauReportIssued(e) if e.session == 0 => broken(
            "data.session",
            FieldErrorKind::InvalidValue,
            "a session number from 1",
        ),
        Event::NonComplianceProceedingOpened(e) if !e.chamber.is_first_instance() => broken(
            "data.chamber",
            FieldErrorKind::InvalidValue,
            "a Pre-Trial or Trial Chamber (PTC-I, TC-II, …): the Chamber seized",
        ),
        Event::NonComplianceDecisionIssued(e) if !e.chamber.is_first_instance() => broken(
            "data.chamber",
            FieldErrorKind::InvalidValue,
            "a Pre-Trial or Trial Chamber (PTC-I, TC-II, …); appeals are appeal_judgment_delivered",
        ),
        Event::ChamberReassigned(e) if e.from == e.to => broken(
            "data.to",
            FieldErrorKind::Inconsistent,
            "a Chamber other than from",
        ),
        Event::CorrectionRecorded(e) => {
            if e.confidence.is_none() {
                return broken(
                    "data.confidence",
                    FieldErrorKind::Missing,
                    "a correction states its confidence (high, medium or low)",
                );
            }
            if e.published_value.as_ref() == Some(&e.corrected_value) {
                return broken(
                    "data.corrected_value",
                    FieldErrorKind::Inconsistent,
                    "a value different from published_value",
                );
            }
            Ok(())
        }
        Event::EventRetracted(e) => match (e.reason, &e.duplicate_of) {
            (RetractionReason::Duplicate, None) => broken(
                "data.duplicate_of",
                FieldErrorKind::Missing,
                "the entry this one duplicates (reason is duplicate)",
            ),
            (RetractionReason::EnteredInError, Some(_)) => broken(
                "data.duplicate_of",
                FieldErrorKind::Inconsistent,
                "only for reason duplicate",
            ),
            (_, Some(d)) if *d == e.target => broken(
                "data.duplicate_of",
                FieldErrorKind::Inconsistent,
                "an entry other than the target",
            ),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

fn check_envelope(event: &Event, data: &Object) -> Result<(), Broken> {
    let env = event.envelope();
    if matches!(
        env.provenance,
        Some(Provenance::Inferred(_) | Provenance::External(_))
    ) && env.confidence.is_none()
    {
        return broken(
            "data.confidence",
            FieldErrorKind::Missing,
            "a confidence (high, medium or low): required when provenance is inferred or external",
        );
    }
    for path in env.as_published.keys() {
        let here = child_path("data.as_published", &path.to_string());
        let first = path.segments().first();
        let own = matches!(first, Some(crate::source::Segment::Member(m)) if m == "as_published" || m == "note");
        if own {
            return broken(
                &here,
                FieldErrorKind::InvalidValue,
                "a field of the event, not as_published or note",
            );
        }
        match path.get(data) {
            Some(_) => {}
            None => {
                return broken(
                    &here,
                    FieldErrorKind::Inconsistent,
                    "the path of a field present in this event",
                );
            }
        }
    }
    Ok(())
}
