//! The catalogue: every type's example validates and re-encodes to the same bytes; invalid
//! data is refused naming the right field; events from the seed report.

use super::examples::{examples, obj};
use acta_core::json::{Value, to_canonical};
use acta_domain::event::{
    NonComplianceDecisionIssued, PersonArrested, PersonReleasedWithoutSurrender,
    ProceduralRequestDecided, ProceduralRequestFiled, ReferralTransmitted,
};
use acta_domain::vocab::{
    Finding, Referral, ReferralTarget, RequestKind, RequestOutcome, TransmissionTarget,
};
use acta_domain::{
    ChamberId, DOMAIN, DomainError, Event, FieldErrorKind, LegalDate, StateCode, decode,
    known_types, validate,
};

#[test]
fn every_type_has_an_example_that_validates_and_round_trips() {
    let ex = examples();
    let names: Vec<&str> = ex.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        names,
        known_types(),
        "one example per type, in catalogue order"
    );
    for (t, json) in ex {
        let data = obj(json);
        let event = decode(t, &data).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(event.entry_type(), t);
        assert_eq!(event.to_data().unwrap(), data, "{t}: typed round trip");
    }
}

/// Pins every wire name and the canonical bytes of one example per type: a renamed Rust item
/// or a changed serde attribute shows up here.
#[test]
fn wire_names_and_examples_snapshot() {
    let mut lines = Vec::new();
    for (t, json) in examples() {
        let event = decode(t, &obj(json)).unwrap();
        let bytes = to_canonical(&Value::Object(event.to_data().unwrap()));
        lines.push(format!("{t} {}", String::from_utf8(bytes).unwrap()));
    }
    insta::assert_snapshot!("catalogue", lines.join("\n"));
}

#[test]
fn catalogue_names_are_unique_snake_case_and_valid_acta_types() {
    let mut seen = std::collections::HashSet::new();
    for t in known_types() {
        assert!(seen.insert(t), "{t} twice");
        assert!(
            t.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{t}"
        );
        assert!(acta_core::entry::check_type(t).is_ok(), "{t}");
        assert!(!t.starts_with("acta."));
    }
    assert!(acta_core::entry::check_type(DOMAIN).is_ok());
    assert_eq!(DOMAIN, "icc-noncooperation/v1");
}

/// The serde form of [`Event`] (`{"type": …, "data": …}`, an import line) agrees with
/// `decode`.
#[test]
fn event_serde_is_type_and_data() {
    for (t, json) in examples() {
        let event = decode(t, &obj(json)).unwrap();
        let line = serde_json::to_value(&event).unwrap();
        assert_eq!(line["type"], t);
        let back: Event = serde_json::from_value(line).unwrap();
        assert_eq!(back, event);
    }
    // As strict as `validate`: null members, unknown types and invalid data are refused.
    for bad in [
        r#"{"type":"person_arrested","data":{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","place":null}}"#,
        r#"{"type":"note.added","data":{}}"#,
        r#"{"type":"person_arrested","data":[]}"#,
        r#"{"type":"person_arrested","data":{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19"},"extra":1}"#,
        // `data` is read under the entry profile's rules: no duplicate members, no doubles,
        // no integers beyond ±(2^53 − 1).
        r#"{"type":"person_arrested","data":{"warrant_id":"w","warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19"}}"#,
        r#"{"type":"asp_session_recorded","data":{"session":24.0,"place":"The Hague","status":"held","occurred":"2025"}}"#,
        r#"{"type":"asp_session_recorded","data":{"session":9007199254740992,"place":"The Hague","status":"held","occurred":"2025"}}"#,
    ] {
        let e = serde_json::from_str::<Event>(bad).unwrap_err();
        assert!(!e.to_string().is_empty());
    }
    let e = serde_json::from_str::<Event>(
        r#"{"type":"person_arrested","data":{"warrant_id":"w","person":"p","state":"Italy","occurred":"2025-01-19"}}"#,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("type person_arrested: field data.state:"),
        "{e}"
    );
}

#[test]
fn unknown_types_are_a_distinct_error() {
    let e = validate("note.added", &obj(r#"{"text":"hello"}"#)).unwrap_err();
    assert!(e.is_unknown_type());
    assert_eq!(e.entry_type(), "note.added");
    assert!(matches!(
        e,
        DomainError::UnknownType {
            domain: "icc-noncooperation/v1",
            ..
        }
    ));
    // The core's own types are not domain types either.
    assert!(
        validate("acta.key.add", &obj("{}"))
            .unwrap_err()
            .is_unknown_type()
    );
}

fn refused(t: &str, json: &str) -> DomainError {
    match validate(t, &obj(json)) {
        Ok(()) => panic!("{t} accepted {json}"),
        Err(e) => e,
    }
}

/// Invalid data is refused with the path of the offending field and the kind of problem.
#[test]
fn invalid_examples_name_the_field() {
    use FieldErrorKind::*;
    let cases: &[(&str, &str, &str, FieldErrorKind)] = &[
        // A required member missing.
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","occurred":"2025-01-19"}"#,
            "data.state",
            Missing,
        ),
        // A member the type does not have.
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","arrested_on":"2025-01-19"}"#,
            "data.arrested_on",
            UnknownMember,
        ),
        // Wrong JSON type.
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":3,"occurred":"2025-01-19"}"#,
            "data.state",
            WrongType,
        ),
        // A name instead of a code; an unassigned code; lower case.
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"Italy","occurred":"2025-01-19"}"#,
            "data.state",
            InvalidValue,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"XKX","occurred":"2025-01-19"}"#,
            "data.state",
            InvalidValue,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ita","occurred":"2025-01-19"}"#,
            "data.state",
            InvalidValue,
        ),
        // Dates.
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-02-30"}"#,
            "data.occurred",
            InvalidValue,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"19 January 2025"}"#,
            "data.occurred",
            InvalidValue,
        ),
        (
            "wanted_person_visit_recorded",
            r#"{"visit_id":"v","person":"p","state":"HUN","occurred":{"from":"2025-04-06","to":"2025-04-03"}}"#,
            "data.occurred.to",
            InvalidValue,
        ),
        (
            "wanted_person_visit_recorded",
            r#"{"visit_id":"v","person":"p","state":"HUN","occurred":{"from":"2025-04-03","to":"2025-04-31"}}"#,
            "data.occurred.to",
            InvalidValue,
        ),
        (
            "wanted_person_visit_recorded",
            r#"{"visit_id":"v","person":"p","state":"HUN","occurred":{"from":"2025-04-03"}}"#,
            "data.occurred.to",
            Missing,
        ),
        (
            "wanted_person_visit_recorded",
            r#"{"visit_id":"v","person":"p","state":"HUN","occurred":{"from":"2025-04-03","until":"2025-04-06"}}"#,
            "data.occurred.until",
            UnknownMember,
        ),
        (
            "non_compliance_proceeding_opened",
            r#"{"proceeding_id":"x","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87_7","occurred":{"not_after":"2025-04-03","not_before":"2025-07-24"}}"#,
            "data.occurred.not_before",
            InvalidValue,
        ),
        (
            "non_compliance_proceeding_opened",
            r#"{"proceeding_id":"x","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87_7","occurred":{}}"#,
            "data.occurred",
            InvalidValue,
        ),
        // Identifiers and references.
        (
            "non_compliance_proceeding_opened",
            r#"{"proceeding_id":"x","state":"HUN","situation":"ICC-1/18","chamber":"PTC-I","legal_basis":"art_87_7","occurred":"2025"}"#,
            "data.situation",
            InvalidValue,
        ),
        (
            "non_compliance_proceeding_opened",
            r#"{"proceeding_id":"Hun 2025","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87_7","occurred":"2025"}"#,
            "data.proceeding_id",
            InvalidValue,
        ),
        (
            "non_compliance_proceeding_opened",
            r#"{"proceeding_id":"x","state":"HUN","situation":"ICC-01/18","chamber":"Pre-Trial Chamber I","legal_basis":"art_87_7","occurred":"2025"}"#,
            "data.chamber",
            InvalidValue,
        ),
        (
            "non_compliance_proceeding_opened",
            r#"{"proceeding_id":"x","state":"HUN","situation":"ICC-01/18","chamber":"Appeals","legal_basis":"art_87_7","occurred":"2025"}"#,
            "data.chamber",
            InvalidValue,
        ),
        (
            "non_compliance_proceeding_opened",
            r#"{"proceeding_id":"x","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87","occurred":"2025"}"#,
            "data.legal_basis",
            InvalidValue,
        ),
        (
            "state_observations_submitted",
            r#"{"proceeding_id":"x","state":"ITA","occurred":"2025-10-31","doc_ref":"ICC-01/11-211-Anx."}"#,
            "data.doc_ref",
            InvalidValue,
        ),
        (
            "asp_resolution_adopted",
            r#"{"symbol":"ICC-ASP/232/Res.13","occurred":"2023"}"#,
            "data.symbol",
            InvalidValue,
        ),
        (
            "asp_resolution_adopted",
            r#"{"symbol":"ICC-ASP/17/31","occurred":"2018"}"#,
            "data.symbol",
            InvalidValue,
        ),
        (
            "unsc_referral_recorded",
            r#"{"resolution":"A/67/828-S/2013/210","situation":"ICC-02/05","bound_states":["SDN"],"occurred":"2005"}"#,
            "data.resolution",
            InvalidValue,
        ),
        (
            "unsc_referral_recorded",
            r#"{"resolution":"S/RES/1593 (2005)","situation":"ICC-02/05","bound_states":["SDN","SDN"],"occurred":"2005"}"#,
            "data.bound_states",
            InvalidValue,
        ),
        (
            "unsc_referral_recorded",
            r#"{"resolution":"S/RES/1593 (2005)","situation":"ICC-02/05","bound_states":[],"occurred":"2005"}"#,
            "data.bound_states",
            InvalidValue,
        ),
        // Nested members.
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","sources":[{"doc":"ICC-01/11-208"},{"doc":"seed"}]}"#,
            "data.sources[1].doc",
            InvalidValue,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","sources":[{"doc":"ICC-01/11-208","paragraph":"25"}]}"#,
            "data.sources[0].paragraph",
            UnknownMember,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","sources":[{"doc":"ICC-01/11-208","footnote":-1}]}"#,
            "data.sources[0].footnote",
            InvalidValue,
        ),
        (
            "non_compliance_decision_issued",
            r#"{"decision_id":"d","proceeding_id":"p","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","doc_ref":"ICC-01/11-209","finding":"not_stated","referral":{"deferred":{"deadline":"31 October 2025"}},"occurred":"2025-10-17"}"#,
            "data.referral.deferred.deadline",
            InvalidValue,
        ),
        (
            "non_compliance_decision_issued",
            r#"{"decision_id":"d","proceeding_id":"p","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","doc_ref":"ICC-01/11-209","finding":"not_stated","referral":{"referred":"icc"},"occurred":"2025-10-17"}"#,
            "data.referral.referred",
            InvalidValue,
        ),
        (
            "non_compliance_decision_issued",
            r#"{"decision_id":"d","proceeding_id":"p","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","doc_ref":"ICC-01/11-209","finding":"not_stated","referral":"referred","occurred":"2025-10-17"}"#,
            "data.referral",
            WrongType,
        ),
        (
            "non_compliance_decision_issued",
            r#"{"decision_id":"d","proceeding_id":"p","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","doc_ref":"ICC-01/11-209","finding":"not_stated","referral":"not_referred","occurred":"2025-10-17","opinions":[{"judge":"X","kind":"dissent"}]}"#,
            "data.opinions[0].kind",
            InvalidValue,
        ),
        (
            "prior_fact_asserted",
            r#"{"fact":{"warrant_outstanding":{"warrant_id":"w","person":"p","situation":"ICC-01/18"}},"occurred":"2025"}"#,
            "data.fact.warrant_outstanding.issued_before",
            Missing,
        ),
        (
            "checkpoint_signed",
            r#"{"upto":{"seq":1,"hash":"ABC"},"projection_hashes":{"w":"@H"}}"#,
            "data.upto.hash",
            InvalidValue,
        ),
        // null and empty lists are not how absence is written.
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","place":null}"#,
            "data.place",
            WrongType,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","sources":[]}"#,
            "data.sources",
            InvalidValue,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","place":""}"#,
            "data.place",
            InvalidValue,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","place":" Turin"}"#,
            "data.place",
            InvalidValue,
        ),
        // Common members.
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","provenance":{"inferred":{"rule":"r"}}}"#,
            "data.confidence",
            Missing,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","provenance":"guessed","confidence":"low"}"#,
            "data.provenance",
            InvalidValue,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","attributed_to":"Italy"}"#,
            "data.attributed_to",
            InvalidValue,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","acknowledged_anomalies":["E_WHATEVER"]}"#,
            "data.acknowledged_anomalies[0]",
            InvalidValue,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","as_published":{"expelled_to":"Libya"}}"#,
            "data.as_published.expelled_to",
            Inconsistent,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","as_published":{"State":"Italy"}}"#,
            "data.as_published.State",
            InvalidValue,
        ),
        // Event rules.
        (
            "proceedings_terminated",
            r#"{"reason":"death","occurred":"2022"}"#,
            "data.person",
            Missing,
        ),
        (
            "bureau_took_note",
            r#"{"occurred":"2025-04-02"}"#,
            "data.of_documents",
            Missing,
        ),
        (
            "referral_decision_issued",
            r#"{"proceeding_id":"p","chamber":"PTC-I","referral":"not_stated","occurred":"2026"}"#,
            "data.referral",
            InvalidValue,
        ),
        (
            "arrest_warrant_unsealed",
            r#"{"warrant_id":"w","new_visibility":"sealed","occurred":"2025"}"#,
            "data.new_visibility",
            InvalidValue,
        ),
        (
            "correction_recorded",
            r#"{"target":{"seq":17,"hash":"@H"},"field_path":"occurred","corrected_value":"2025-04-02","basis":"internal_consistency"}"#,
            "data.confidence",
            Missing,
        ),
        (
            "correction_recorded",
            r#"{"target":{"seq":17,"hash":"@H"},"field_path":"occurred","published_value":"2025-04-02","corrected_value":"2025-04-02","basis":"internal_consistency","confidence":"high"}"#,
            "data.corrected_value",
            Inconsistent,
        ),
        (
            "correction_recorded",
            r#"{"target":{"seq":17,"hash":"@H"},"field_path":"data.occurred","corrected_value":"2025-04-02","basis":"internal_consistency","confidence":"high"}"#,
            "data.field_path",
            InvalidValue,
        ),
        (
            "event_retracted",
            r#"{"target":{"seq":30,"hash":"@H"},"reason":"duplicate"}"#,
            "data.duplicate_of",
            Missing,
        ),
        (
            "chamber_reassigned",
            r#"{"situation":"ICC-01/22","from":"PTC-II","to":"PTC-II","occurred":"2025"}"#,
            "data.to",
            Inconsistent,
        ),
        (
            "asp_session_recorded",
            r#"{"session":0,"place":"The Hague","status":"held","occurred":"2002"}"#,
            "data.session",
            InvalidValue,
        ),
        (
            "asp_session_recorded",
            r#"{"session":70000,"place":"The Hague","status":"held","occurred":"2002"}"#,
            "data.session",
            InvalidValue,
        ),
        (
            "focal_points_communication_issued",
            r#"{"audience":"public","kinds":["message"],"occurred":"2025-09-26","recalls":[{"doc":"ICC-ASP/23/Res.5","provision":"art. 86"}]}"#,
            "data.recalls[0]",
            InvalidValue,
        ),
    ];
    for (t, json, path, kind) in cases {
        let e = refused(t, json);
        match &e {
            DomainError::Field {
                entry_type,
                path: p,
                kind: k,
                expected,
            } => {
                assert_eq!(entry_type, t);
                assert_eq!((p.as_str(), k), (*path, kind), "{t} {json}\n{e}");
                assert!(!expected.is_empty());
                assert_eq!(e.to_string(), format!("type {t}: field {path}: {expected}"));
            }
            other => panic!("{t}: expected a field error at {path}, got {other}"),
        }
    }
}

#[test]
fn floats_are_refused_naming_the_field() {
    // Entries never hold floats, but a core Object built by hand could.
    let mut data = obj(r#"{"session":24,"place":"The Hague","status":"held","occurred":"2025"}"#);
    data.insert(
        "session",
        Value::Number(acta_core::json::Number::Float(24.5)),
    );
    let e = validate("asp_session_recorded", &data).unwrap_err();
    assert_eq!(e.path(), Some("data.session"));
}

#[test]
fn error_messages_read_well() {
    let e = refused(
        "wanted_person_visit_recorded",
        r#"{"visit_id":"v","person":"p","state":"HUN","occurred":{"from":"2025-04-06","to":"2025-04-03"}}"#,
    );
    insta::assert_snapshot!(e.to_string(), @"type wanted_person_visit_recorded: field data.occurred.to: must be after from (2025-04-06); a single day is written as the day itself");
    let e = refused(
        "person_arrested",
        r#"{"warrant_id":"w","person":"p","occurred":"2025-01-19"}"#,
    );
    insta::assert_snapshot!(e.to_string(), @"type person_arrested: field data.state: required member is missing");
    let e = refused(
        "person_arrested",
        r#"{"warrant_id":"w","person":"p","state":"ITA","occurred":"2025-01-19","arrested_on":"x"}"#,
    );
    insta::assert_snapshot!(e.to_string(), @"type person_arrested: field data.arrested_on: `arrested_on` is not a member here; the members are `occurred`, `warrant_id`, `person`, `state`, `place`, `basis`, `attributed_to`, `sources`, `provenance`, `confidence`, `acknowledged_anomalies`, `supersedes_prior`, `as_published`, `note`");
}

// ------------------------------------------------------------------------------------------
// Events from the seed report (seed-events.md)
// ------------------------------------------------------------------------------------------

fn seed<T>(t: &str, json: &str, pick: impl FnOnce(Event) -> Option<T>) -> T {
    let data = obj(json);
    let event = decode(t, &data).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(event.to_data().unwrap(), data);
    pick(event).unwrap_or_else(|| panic!("{t} decoded as another type"))
}

/// Rows 32-33: Hungary finding of 24 July 2025 (ICC-01/18-462) and its referral to the ASP.
#[test]
fn seed_hungary_finding_and_referral() {
    let d: NonComplianceDecisionIssued = seed(
        "non_compliance_decision_issued",
        r#"{"decision_id":"hun-2025-finding","proceeding_id":"hun-2025","state":"HUN",
            "situation":"ICC-01/18","chamber":"PTC-I","doc_ref":"ICC-01/18-462",
            "finding":"non_compliant","referral":{"referred":"asp"},"legal_basis":"art_87_7",
            "person":"netanyahu-benjamin","occurred":"2025-07-24",
            "title":"Finding under article 87(7) of the Rome Statute on the non-compliance by Hungary with the Court's request for the arrest and surrender of Benjamin Netanyahu and referral to the Assembly of States Parties",
            "attributed_to":"court:PTC-I",
            "sources":[{"doc":"job:33-E-261125","para":"23"},{"doc":"job:33-E-261125","annex":"I","footnote":5}]}"#,
        |e| match e {
            Event::NonComplianceDecisionIssued(d) => Some(d),
            _ => None,
        },
    );
    assert_eq!(d.state, "HUN".parse::<StateCode>().unwrap());
    assert_eq!(d.doc_ref.to_string(), "ICC-01/18-462");
    assert_eq!(d.doc_ref.situation(), d.situation);
    assert_eq!(d.chamber, ChamberId::PreTrial(1));
    assert_eq!(d.finding, Finding::NonCompliant);
    assert_eq!(d.referral, Referral::Referred(ReferralTarget::Asp));
    assert_eq!(d.occurred, "2025-07-24".parse::<LegalDate>().unwrap());

    let r: ReferralTransmitted = seed(
        "referral_transmitted",
        r#"{"proceeding_id":"hun-2025","to":"asp","decision_id":"hun-2025-finding",
            "basis":"reg. 109(4)","occurred":"2025-07-24","attributed_to":"court:Presidency",
            "sources":[{"doc":"job:33-E-261125","para":"24"}]}"#,
        |e| match e {
            Event::ReferralTransmitted(r) => Some(r),
            _ => None,
        },
    );
    assert_eq!(r.to, TransmissionTarget::Asp);
    assert_eq!(r.proceeding_id, d.proceeding_id);
}

/// Rows 14-15: Njeem arrested in Italy on 19 January 2025, released without surrender and
/// expelled to "the Libyan Arab Republic" (LBY) on 21 January 2025.
#[test]
fn seed_njeem_arrest_and_release() {
    let a: PersonArrested = seed(
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA",
            "occurred":"2025-01-19","basis":"icc_warrant","attributed_to":"state:ITA",
            "as_published":{"state":"Italian authorities"},
            "sources":[{"doc":"job:33-E-261125","para":"25"}]}"#,
        |e| match e {
            Event::PersonArrested(a) => Some(a),
            _ => None,
        },
    );
    let r: PersonReleasedWithoutSurrender = seed(
        "person_released_without_surrender",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA",
            "occurred":"2025-01-21","expelled_to":"LBY",
            "as_published":{"expelled_to":"the Libyan Arab Republic"},
            "sources":[{"doc":"job:33-E-261125","para":"25"}]}"#,
        |e| match e {
            Event::PersonReleasedWithoutSurrender(r) => Some(r),
            _ => None,
        },
    );
    assert_eq!(a.warrant_id, r.warrant_id);
    assert_eq!(r.expelled_to.unwrap().name(), "Libya");
    assert_eq!(
        r.as_published.values().next().map(|t| t.as_str()),
        Some("the Libyan Arab Republic")
    );
    assert_eq!(
        a.occurred.compare(&r.occurred),
        acta_domain::DateOrder::Before
    );
}

/// Rows 11, 17 and 19: Mongolia's requests of 2 December 2024, dismissed by the Plenary of
/// Judges on 10 March 2025 (ICC-01/22-121) and rejected by Pre-Trial Chamber II on 18 March
/// 2025 (ICC-01/22-123).
#[test]
fn seed_mongolia_requests_decided_in_march_2025() {
    let filed: ProceduralRequestFiled = seed(
        "procedural_request_filed",
        r#"{"request_id":"mng-partial-reconsideration","kind":"disqualification_reconsideration",
            "filed_by":"state:MNG","occurred":"2024-12-02","doc_ref":"ICC-01/22-113",
            "sources":[{"doc":"job:33-E-261125","para":"20","footnote":25}]}"#,
        |e| match e {
            Event::ProceduralRequestFiled(f) => Some(f),
            _ => None,
        },
    );
    assert_eq!(filed.kind, RequestKind::DisqualificationReconsideration);
    let plenary: ProceduralRequestDecided = seed(
        "procedural_request_decided",
        r#"{"request_id":"mng-partial-reconsideration","deciding_body":"Plenary",
            "outcome":"dismissed","occurred":"2025-03-10","doc_ref":"ICC-01/22-121",
            "sources":[{"doc":"job:33-E-261125","para":"20","footnote":26}]}"#,
        |e| match e {
            Event::ProceduralRequestDecided(d) => Some(d),
            _ => None,
        },
    );
    assert_eq!(plenary.deciding_body, ChamberId::Plenary);
    assert_eq!(plenary.outcome, RequestOutcome::Dismissed);
    let ptc: ProceduralRequestDecided = seed(
        "procedural_request_decided",
        r#"{"request_id":"mng-reconsideration","deciding_body":"PTC-II","outcome":"rejected",
            "occurred":"2025-03-18","doc_ref":"ICC-01/22-123",
            "reasons":"No grounds to depart from the prior rulings.",
            "sources":[{"doc":"job:33-E-261125","para":"20","footnote":27}]}"#,
        |e| match e {
            Event::ProceduralRequestDecided(d) => Some(d),
            _ => None,
        },
    );
    assert_eq!(ptc.deciding_body, ChamberId::PreTrial(2));
    assert_eq!(ptc.outcome, RequestOutcome::Rejected);
    assert_eq!(
        plenary.occurred.compare(&ptc.occurred),
        acta_domain::DateOrder::Before
    );
}

/// Seed anomaly A-1: the Bureau "took note" on 2 April 2024 (as published) of decisions of
/// March 2025; recorded as published with the anomaly acknowledged, then corrected.
#[test]
fn seed_anomaly_recorded_as_published_then_corrected() {
    let (_, note) = examples()
        .into_iter()
        .find(|(t, _)| *t == "bureau_took_note")
        .unwrap();
    let original = obj(note);
    validate("bureau_took_note", &original).unwrap();
    let (_, corr) = examples()
        .into_iter()
        .find(|(t, _)| *t == "correction_recorded")
        .unwrap();
    let Event::CorrectionRecorded(c) = decode("correction_recorded", &obj(corr)).unwrap() else {
        panic!()
    };
    // The published value is the stored one; applying the correction gives valid data.
    let published = c.field_path.get(&original).unwrap();
    assert_eq!(published, &Value::String("2024-04-02".into()));
    let corrected = c
        .field_path
        .replace(
            &original,
            Value::String(c.corrected_value.as_str().unwrap().into()),
        )
        .unwrap();
    let Event::BureauTookNote(n) = decode("bureau_took_note", &corrected).unwrap() else {
        panic!()
    };
    assert_eq!(n.occurred, "2025-04-02".parse().unwrap());
}

/// Errors about an enum's form and nested members name the field as they always did.
#[test]
fn variant_and_nested_errors_name_the_field() {
    let base = r#""occurred":"2025-01-19","person":"p","state":"ITA","warrant_id":"w""#;
    let cases = [
        (
            r#""provenance":"external","confidence":"high""#,
            "data.provenance",
            "`external` takes a value: write {\"external\": …}",
        ),
        (
            r#""provenance":{"stated":true}"#,
            "data.provenance.stated",
            "`stated` takes no value: write the string \"stated\"",
        ),
        (
            r#""provenance":{"external":{}},"confidence":"high""#,
            "data.provenance.external.doc",
            "required member is missing",
        ),
        (
            r##""sources":[{"doc":"job:33-E-261125"},{"doc":"#"}]"##,
            "data.sources[1].doc",
            "",
        ),
        (
            r#""as_published":{"a b":"x"}"#,
            "data.as_published[\"a b\"]",
            "",
        ),
    ];
    for (extra, path, text) in cases {
        let e = refused("person_arrested", &format!("{{{base},{extra}}}"));
        assert_eq!(e.path(), Some(path), "{e}");
        assert!(
            e.to_string()
                .starts_with(&format!("type person_arrested: field {path}: {text}")),
            "{e}"
        );
    }
}

/// `to_data` (typed payload straight to a core object) gives what the payload's `serde_json`
/// form parses to, and refuses what an entry cannot hold.
#[test]
fn to_data_agrees_with_payload_json() {
    use acta_core::json::{Profile, parse};
    for (t, json) in examples() {
        let event = decode(t, &obj(json)).unwrap();
        let text = serde_json::to_vec(&event.payload_json().unwrap()).unwrap();
        let Ok(Value::Object(via_text)) = parse(&text, Profile::Entry) else {
            panic!("{t}: payload_json is not an entry's object");
        };
        assert_eq!(event.to_data().unwrap(), via_text, "{t}");
    }
    let (t, json) = examples()
        .into_iter()
        .find(|(t, _)| *t == "correction_recorded")
        .unwrap();
    let event = decode(t, &obj(json)).unwrap();
    for unrepresentable in [
        serde_json::json!(1.5),
        serde_json::json!(9_007_199_254_740_992_u64),
        serde_json::json!([-9_007_199_254_740_992_i64]),
    ] {
        let mut e = event.clone();
        if let Event::CorrectionRecorded(c) = &mut e {
            c.corrected_value = unrepresentable.clone();
        }
        assert!(
            matches!(e.to_data(), Err(DomainError::NotLossless { .. })),
            "{unrepresentable}"
        );
    }
    // Just inside the range is fine.
    let mut e = event.clone();
    if let Event::CorrectionRecorded(c) = &mut e {
        c.corrected_value = serde_json::json!({"n": [9_007_199_254_740_991_i64, null, true]});
    }
    let data = e.to_data().unwrap();
    assert_eq!(
        to_canonical(data.get("corrected_value").unwrap()),
        br#"{"n":[9007199254740991,null,true]}"#
    );
}

/// An import line's `data` nests no deeper than an entry may (`acta_core::json::MAX_DEPTH`).
#[test]
fn event_serde_refuses_data_nested_too_deep() {
    let (t, json) = examples()
        .into_iter()
        .find(|(t, _)| *t == "correction_recorded")
        .unwrap();
    let event = decode(t, &obj(json)).unwrap();
    let line = |depth: usize| {
        let mut e = event.clone();
        if let Event::CorrectionRecorded(c) = &mut e {
            c.corrected_value =
                (0..depth).fold(serde_json::json!(1), |v, _| serde_json::json!([v]));
        }
        serde_json::to_string(&e).unwrap()
    };
    // `data` is level 1 and `corrected_value` level 2: 63 arrays reach level 64.
    let back: Event = serde_json::from_str(&line(63)).unwrap();
    assert_eq!(back.entry_type(), t);
    let e = serde_json::from_str::<Event>(&line(64)).unwrap_err();
    assert!(
        e.to_string().contains("nested deeper than 64 levels"),
        "{e}"
    );
}
