//! The projections and invariants of `acta_domain::model`: histories built entry by entry,
//! resolved in views, checked rule by rule.

use acta_core::EntryHash;
use acta_core::json::{Object, Value, write_object};
use acta_domain::model::*;
use acta_domain::seal::{Salt, SealedWarrantContent, commitment};
use acta_domain::vocab::{LegalBasis, Referral, StateStatus, TransmissionTarget, VisitOutcome};
use acta_domain::{AnomalyCode, EntryRef, LegalDate, StateCode};
use chrono::NaiveDate;
use proptest::prelude::*;

use super::examples::{obj, r};

const CLERK: &str = "clerk+1";
const REVIEWER: &str = "reviewer+2";
const NOW: &str = "2025-11-26T12:00:00Z";

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn st(s: &str) -> StateCode {
    s.parse().unwrap()
}

/// A distinct fake entry hash per seq: SHA-256 of the seq's decimal text.
fn hash(seq: u64) -> EntryHash {
    use sha2::Digest;
    EntryHash(sha2::Sha256::digest(seq.to_string().as_bytes()).into())
}

/// A history under construction.
#[derive(Clone, Default)]
struct Log {
    h: History,
}

impl Log {
    fn push_obj_as(
        &mut self,
        author: &str,
        recorded_at: &str,
        ty: &str,
        data: &Object,
    ) -> EntryRef {
        acta_domain::validate(ty, data).unwrap_or_else(|e| panic!("invalid {ty}: {e}"));
        let seq = self.h.size;
        let at = EntryRef {
            seq,
            hash: hash(seq),
        };
        let mut text = Vec::new();
        write_object(data.iter(), &mut text);
        self.h.items.push(Item {
            at,
            author: author.to_owned(),
            recorded_at: recorded_at.to_owned(),
            entry_type: ty.to_owned(),
            data: String::from_utf8(text).unwrap(),
        });
        self.h.size += 1;
        at
    }

    fn push_as(&mut self, author: &str, ty: &str, json: &str) -> EntryRef {
        self.push_obj_as(author, NOW, ty, &obj(json))
    }

    fn push(&mut self, ty: &str, json: &str) -> EntryRef {
        self.push_as(CLERK, ty, json)
    }

    fn view(&self) -> Model {
        self.h.view(ViewOptions::default())
    }
}

/// The projections of a model (everything but the view, the facts and the diagnostics).
fn projections(m: &Model) -> serde_json::Value {
    let mut v = serde_json::to_value(m).unwrap();
    let o = v.as_object_mut().unwrap();
    for k in [
        "view",
        "size",
        "facts",
        "reviews",
        "flags",
        "warnings",
        "violations",
        "unknown",
    ] {
        o.remove(k);
    }
    v
}

fn with_ack(data: &Object, code: AnomalyCode) -> Object {
    let mut d = data.clone();
    d.insert(
        "acknowledged_anomalies",
        Value::Array(vec![Value::String(code.as_str().to_owned())]),
    );
    d
}

/// Checks that appending `ty`/`json` to `log` breaks `code`, conflicting with `conflicting`:
/// `check_append` refuses it (and accepts it acknowledged); replayed unacknowledged it is
/// rejected and listed; acknowledged it is quarantined; either way nothing of it is applied.
fn refused(
    log: &Log,
    ty: &str,
    json: &str,
    code: AnomalyCode,
    conflicting: Option<EntryRef>,
) -> Violation {
    let before = log.view();
    assert!(before.violations.is_empty(), "{:#?}", before.violations);
    let data = obj(json);

    let err = log.h.check_append(CLERK, NOW, ty, &data).unwrap_err();
    assert_eq!(err.code, code, "{err}");
    assert_eq!(err.at, None, "{err}");
    assert_eq!(err.conflicting, conflicting, "{err}");
    let acked = with_ack(&data, code);
    log.h
        .check_append(CLERK, NOW, ty, &acked)
        .unwrap_or_else(|e| panic!("acknowledged, still refused: {e}"));

    let mut next = log.clone();
    let at = next.push(ty, json);
    let after = next.view();
    assert_eq!(
        after.fact(at.seq).unwrap().status,
        FactStatus::Rejected { code }
    );
    let v = after
        .violations
        .iter()
        .find(|v| v.at == Some(at))
        .unwrap()
        .clone();
    assert_eq!(v.code, code);
    assert_eq!(v.conflicting, conflicting);
    assert_eq!(v.entry_type, ty);
    assert!(v.message.starts_with(ty), "{}", v.message);
    assert!(v.message.contains(code.as_str()), "{}", v.message);
    assert_eq!(
        projections(&after),
        projections(&before),
        "{ty} was applied"
    );

    let mut quarantined = log.clone();
    let at = quarantined.push_obj_as(CLERK, NOW, ty, &acked);
    let q = quarantined.view();
    assert_eq!(
        q.fact(at.seq).unwrap().status,
        FactStatus::Quarantined { code }
    );
    assert!(q.violations.is_empty(), "{:#?}", q.violations);
    assert_eq!(projections(&q), projections(&before));
    v
}

// ---------------------------------------------------------------------------------------------
// Stories
// ---------------------------------------------------------------------------------------------

const NJEEM: &str = "njeem-osama-elmasry";
const W: &str = "njeem-2025";

struct Njeem {
    log: Log,
    issued: EntryRef,
    arrested: EntryRef,
    released: EntryRef,
}

/// Libya, Italy and the Njeem warrant: issued 18 Jan 2025, arrest 19th, release 21st.
fn njeem() -> Njeem {
    let mut log = Log::default();
    log.push(
        "situation_registered",
        r#"{"situation":"ICC-01/11","name":"Libya","referral":"unsc_referral","occurred":"2011-03-03"}"#,
    );
    log.push(
        "unsc_referral_recorded",
        r#"{"resolution":"S/RES/1970 (2011)","situation":"ICC-01/11","bound_states":["LBY"],"occurred":"2011-02-26"}"#,
    );
    log.push(
        "state_became_party",
        r#"{"state":"ITA","occurred":"1999-07-26","entry_into_force":"2002-07-01"}"#,
    );
    log.push(
        "person_registered",
        r#"{"person":"njeem-osama-elmasry","primary_name":"Osama Elmasry Njeem","nationality":"LBY"}"#,
    );
    let issued = log.push(
        "arrest_warrant_issued",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","situation":"ICC-01/11","chamber":"PTC-I","visibility":"sealed","doc_ref":"ICC-01/11-208","occurred":"2025-01-18"}"#,
    );
    let arrested = log.push(
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-19"}"#,
    );
    let released = log.push(
        "person_released_without_surrender",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-21","expelled_to":"LBY"}"#,
    );
    Njeem {
        log,
        issued,
        arrested,
        released,
    }
}

/// Njeem, then the Italy proceeding: opened, decision deferring referral, observations
/// invited and submitted.
fn italy() -> (Log, EntryRef) {
    let Njeem { mut log, .. } = njeem();
    log.push(
        "arrest_warrant_unsealed",
        r#"{"warrant_id":"njeem-2025","new_visibility":"public","occurred":{"not_before":"2025-01-19","not_after":"2025-05-15"}}"#,
    );
    log.push(
        "non_compliance_proceeding_opened",
        r#"{"proceeding_id":"ita-2025","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","legal_basis":"art_87_7","occurred":{"not_before":"2025-01-21","not_after":"2025-10-17"},"person":"njeem-osama-elmasry","warrant_id":"njeem-2025"}"#,
    );
    let decision = log.push(
        "non_compliance_decision_issued",
        r#"{"decision_id":"ita-2025-decision","proceeding_id":"ita-2025","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","doc_ref":"ICC-01/11-209","finding":"not_stated","referral":{"deferred":{"deadline":"2025-10-31"}},"occurred":"2025-10-17"}"#,
    );
    log.push(
        "state_observations_invited",
        r#"{"proceeding_id":"ita-2025","state":"ITA","occurred":"2025-10-17","deadline":"2025-10-31"}"#,
    );
    log.push(
        "state_observations_submitted",
        r#"{"proceeding_id":"ita-2025","state":"ITA","occurred":"2025-10-31","doc_ref":"ICC-01/11-211-Anx"}"#,
    );
    (log, decision)
}

/// Hungary: the Netanyahu warrant as an opening balance, a letter, the visit, the proceeding,
/// the finding and referral, the transmission, the Bureau's consideration, the plenary.
fn hungary(log: &mut Log) -> EntryRef {
    log.push(
        "situation_registered",
        r#"{"situation":"ICC-01/18","name":"State of Palestine","referral":"state_referral","occurred":"2018-05-22"}"#,
    );
    log.push(
        "state_became_party",
        r#"{"state":"HUN","occurred":"2001-11-30","entry_into_force":"2002-07-01"}"#,
    );
    log.push(
        "person_registered",
        r#"{"person":"netanyahu-benjamin","primary_name":"Benjamin Netanyahu","nationality":"ISR"}"#,
    );
    log.push(
        "prior_fact_asserted",
        r#"{"fact":{"warrant_outstanding":{"warrant_id":"netanyahu-2024","person":"netanyahu-benjamin","situation":"ICC-01/18","issued_before":"2025-04-03"}},"occurred":"2025-04-03"}"#,
    );
    log.push(
        "asp_president_letter_sent",
        r#"{"letter_id":"hun-2025-03-31","state":"HUN","to_office":"Minister of Foreign Affairs and Trade","track":"informal","purpose":"pre_visit_reminder","person":"netanyahu-benjamin","occurred":"2025-03-31"}"#,
    );
    log.push(
        "wanted_person_visit_recorded",
        r#"{"visit_id":"hun-netanyahu-2025","person":"netanyahu-benjamin","state":"HUN","occurred":{"from":"2025-04-03","to":"2025-04-06"}}"#,
    );
    log.push(
        "asp_president_letter_published",
        r#"{"letter_id":"hun-2025-03-31","occurred":"2025-04-03"}"#,
    );
    log.push(
        "non_compliance_proceeding_opened",
        r#"{"proceeding_id":"hun-2025","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87_7","occurred":{"not_before":"2025-04-03","not_after":"2025-07-24"},"person":"netanyahu-benjamin","trigger":"after_visit","visit_id":"hun-netanyahu-2025"}"#,
    );
    let decision = log.push(
        "non_compliance_decision_issued",
        r#"{"decision_id":"hun-2025-decision","proceeding_id":"hun-2025","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","doc_ref":"ICC-01/18-462","finding":"non_compliant","referral":{"referred":"asp"},"occurred":"2025-07-24"}"#,
    );
    log.push(
        "referral_transmitted",
        r#"{"proceeding_id":"hun-2025","to":"asp","occurred":"2025-07-24","basis":"reg. 109(4)"}"#,
    );
    log.push(
        "bureau_meeting_held",
        r#"{"meeting":"2025-13","occurred":"2025-09-03"}"#,
    );
    log.push(
        "bureau_considered_referral",
        r#"{"asp_matter_id":"hun-2025","state":"HUN","meeting":"2025-13","state_heard":true,"occurred":"2025-09-03"}"#,
    );
    log.push(
        "asp_plenary_scheduled",
        r#"{"topic":"non-cooperation","scheduled_for":"2025-12-03","session":24,"occurred":"unknown"}"#,
    );
    decision
}

/// Mongolia: a finding known only by its decision, and five procedural requests.
fn mongolia(log: &mut Log) {
    log.push(
        "situation_registered",
        r#"{"situation":"ICC-01/22","name":"Ukraine","referral":"state_referral","occurred":"2022-03-02"}"#,
    );
    log.push(
        "non_compliance_decision_issued",
        r#"{"decision_id":"mng-2024-decision","proceeding_id":"mng-2024","state":"MNG","situation":"ICC-01/22","chamber":"PTC-II","doc_ref":"ICC-01/22-90","finding":"non_compliant","referral":"not_stated","occurred":"2024-10-24","opens_implicitly":true}"#,
    );
    for (id, kind) in [
        ("mng-leave", "leave_to_appeal"),
        ("mng-stay", "temporary_stay"),
    ] {
        log.push(
            "procedural_request_filed",
            &format!(
                r#"{{"request_id":"{id}","kind":"{kind}","filed_by":"state:MNG","proceeding_id":"mng-2024","target_decision":"ICC-01/22-90","occurred":{{"not_before":"2024-10-24","not_after":"2024-11-28"}}}}"#
            ),
        );
        log.push(
            "procedural_request_decided",
            &format!(
                r#"{{"request_id":"{id}","deciding_body":"PTC-II","outcome":"dismissed","doc_ref":"ICC-01/22-111","occurred":"2024-11-28"}}"#
            ),
        );
    }
    log.push(
        "procedural_request_filed",
        r#"{"request_id":"mng-reconsideration","kind":"reconsideration","filed_by":"state:MNG","proceeding_id":"mng-2024","target_decision":"ICC-01/22-111","doc_ref":"ICC-01/22-112","occurred":"2024-12-02"}"#,
    );
    log.push(
        "procedural_request_filed",
        r#"{"request_id":"mng-partial","kind":"disqualification_reconsideration","filed_by":"state:MNG","proceeding_id":"mng-2024","doc_ref":"ICC-01/22-113","occurred":"2024-12-02"}"#,
    );
}

// ---------------------------------------------------------------------------------------------
// Warrants, custody, persons
// ---------------------------------------------------------------------------------------------

#[test]
fn the_njeem_story_leaves_the_warrant_outstanding_and_a_release_charged_to_italy() {
    let n = njeem();
    let m = n.log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    let w = &m.warrants[&W.parse().unwrap()];
    assert_eq!(w.execution, Execution::Outstanding);
    let steps: Vec<_> = w.history.iter().map(|s| (s.what.as_str(), s.at)).collect();
    assert_eq!(
        steps,
        [
            ("issued", n.issued),
            ("arrested", n.arrested),
            ("released_without_surrender", n.released)
        ]
    );
    let p = &m.persons[&NJEEM.parse().unwrap()];
    assert_eq!(p.status, PersonStatus::AtLarge);
    assert_eq!(p.releases.len(), 1);
    assert_eq!(p.releases[0].state, st("ITA"));
    assert_eq!(p.releases[0].expelled_to, Some(st("LBY")));
    assert_eq!(p.releases[0].at, n.released);
    assert_eq!(m.states[&st("ITA")].releases, p.releases);
}

#[test]
fn as_of_date_shows_custody_then_release_and_nothing_before_the_warrant() {
    let n = njeem();
    let on = |d: &str| {
        n.log.h.view(ViewOptions {
            as_of_date: Some(day(d)),
            ..ViewOptions::default()
        })
    };
    let w: acta_domain::WarrantId = W.parse().unwrap();
    let m = on("2025-01-20");
    assert_eq!(
        m.warrants[&w].execution,
        Execution::InStateCustody { state: st("ITA") }
    );
    assert_eq!(
        m.persons[&NJEEM.parse().unwrap()].status,
        PersonStatus::InStateCustodyPendingSurrender { state: st("ITA") }
    );
    assert_eq!(
        m.fact(n.released.seq).unwrap().status,
        FactStatus::NotYetInEffect
    );
    assert_eq!(
        on("2025-01-22").warrants[&w].execution,
        Execution::Outstanding
    );
    assert!(!on("2025-01-17").warrants.contains_key(&w));
}

#[test]
fn warrant_rules() {
    let n = njeem();
    // E_WARRANT_NOT_FOUND
    refused(
        &n.log,
        "person_arrested",
        r#"{"warrant_id":"no-such-warrant","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-02-01"}"#,
        AnomalyCode::WarrantNotFound,
        None,
    );
    // E_WARRANT_EXISTS
    refused(
        &n.log,
        "arrest_warrant_issued",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","situation":"ICC-01/11","chamber":"PTC-I","visibility":"public","occurred":"2025-02-01"}"#,
        AnomalyCode::WarrantExists,
        Some(n.issued),
    );
    // E_NOT_IN_CUSTODY_OF_STATE: released again, by a State that no longer holds him.
    refused(
        &n.log,
        "person_released_without_surrender",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-22"}"#,
        AnomalyCode::NotInCustodyOfState,
        Some(n.released),
    );
    // E_WARRANT_NOT_OUTSTANDING: arrested twice.
    let mut held = n.log.clone();
    let arrest2 = held.push(
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"DEU","occurred":"2025-02-01"}"#,
    );
    let v = refused(
        &held,
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"FRA","occurred":"2025-02-02"}"#,
        AnomalyCode::WarrantNotOutstanding,
        Some(arrest2),
    );
    assert!(v.message.contains("DEU"), "{}", v.message);
    // Surrender by a State that does not hold him.
    refused(
        &held,
        "person_surrendered",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-02-03"}"#,
        AnomalyCode::NotInCustodyOfState,
        Some(arrest2),
    );
    // A voluntary surrender needs an outstanding warrant, or the custody of the surrendering
    // State: another State's custody refuses it.
    refused(
        &held,
        "person_surrendered",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"FRA","occurred":"2025-02-03","voluntary":true}"#,
        AnomalyCode::WarrantNotOutstanding,
        Some(arrest2),
    );
    // E_WARRANT_TERMINAL: an arrest on a withdrawn warrant names the withdrawal.
    let mut withdrawn = n.log.clone();
    let w = withdrawn.push(
        "arrest_warrant_withdrawn",
        r#"{"warrant_id":"njeem-2025","occurred":"2025-02-01","reason":"other"}"#,
    );
    let v = refused(
        &withdrawn,
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-03-01"}"#,
        AnomalyCode::WarrantTerminal,
        Some(w),
    );
    assert_eq!(
        v.message,
        "person_arrested on warrant njeem-2025: the warrant was withdrawn on 2025-02-01 (E_WARRANT_TERMINAL)"
    );
    refused(
        &withdrawn,
        "arrest_warrant_withdrawn",
        r#"{"warrant_id":"njeem-2025","occurred":"2025-03-01","reason":"other"}"#,
        AnomalyCode::WarrantTerminal,
        Some(w),
    );
    // E_DATE_ORDER: an arrest definitely before the issue; an imprecise one only warns.
    let bare = {
        let mut l = n.log.clone();
        l.h.items.truncate(5);
        l.h.size = 5;
        l
    };
    refused(
        &bare,
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-17"}"#,
        AnomalyCode::DateOrder,
        Some(n.issued),
    );
    let warnings = bare
        .h
        .check_append(
            CLERK,
            NOW,
            "person_arrested",
            &obj(
                r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01"}"#,
            ),
        )
        .unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, AnomalyCode::IndeterminateOrder);
    assert_eq!(warnings[0].conflicting, Some(n.issued));
}

#[test]
fn death_rules_and_person_status() {
    let n = njeem();
    let mut log = n.log.clone();
    let death = log.push(
        "person_death_recorded",
        r#"{"person":"njeem-osama-elmasry","occurred":"2025-06-01"}"#,
    );
    let m = log.view();
    assert_eq!(
        m.warrants[&W.parse().unwrap()].execution,
        Execution::SubjectDeceased
    );
    assert_eq!(
        m.persons[&NJEEM.parse().unwrap()].status,
        PersonStatus::Deceased
    );
    // E_PERSON_DECEASED: a visit after the death.
    refused(
        &log,
        "wanted_person_visit_recorded",
        r#"{"visit_id":"late-visit","person":"njeem-osama-elmasry","state":"ITA","occurred":{"from":"2025-07-01","to":"2025-07-03"}}"#,
        AnomalyCode::PersonDeceased,
        Some(death),
    );
    // … and a death recorded before a later arrest.
    refused(
        &n.log,
        "person_death_recorded",
        r#"{"person":"njeem-osama-elmasry","occurred":"2025-01-01"}"#,
        AnomalyCode::PersonDeceased,
        Some(n.arrested),
    );
    // Termination on death withdraws the warrant.
    log.push(
        "proceedings_terminated",
        r#"{"person":"njeem-osama-elmasry","reason":"death","occurred":"2025-07-01"}"#,
    );
    assert_eq!(
        log.view().warrants[&W.parse().unwrap()].execution,
        Execution::Withdrawn
    );
}

#[test]
fn person_status_follows_custody() {
    let n = njeem();
    let person = NJEEM.parse().unwrap();
    let mut log = n.log.clone();
    log.push(
        "domestic_custody_recorded",
        r#"{"person":"njeem-osama-elmasry","state":"LBY","phase":"started","occurred":"2025-11-05"}"#,
    );
    assert_eq!(
        log.view().persons[&person].status,
        PersonStatus::InDomesticCustody { state: st("LBY") }
    );
    // The warrant stays outstanding under domestic custody.
    assert_eq!(
        log.view().warrants[&W.parse().unwrap()].execution,
        Execution::Outstanding
    );
    log.push(
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"LBY","occurred":"2025-11-10"}"#,
    );
    log.push(
        "person_surrendered",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"LBY","occurred":"2025-11-12"}"#,
    );
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert_eq!(m.persons[&person].status, PersonStatus::InIccCustody);
    assert_eq!(
        m.warrants[&W.parse().unwrap()].execution,
        Execution::Surrendered
    );
    // A surrendered warrant is terminal.
    let surrendered = log.h.items.last().unwrap().at;
    refused(
        &log,
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-11-20"}"#,
        AnomalyCode::WarrantTerminal,
        Some(surrendered),
    );
}

#[test]
fn future_facts_are_refused_but_scheduled_ones_are_not() {
    let n = njeem();
    let data = obj(
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-12-01"}"#,
    );
    let err = n
        .log
        .h
        .check_append(CLERK, NOW, "person_arrested", &data)
        .unwrap_err();
    assert_eq!(err.code, AnomalyCode::FutureFact);
    assert_eq!(err.conflicting, None);
    // Replayed: rejected, nothing applied.
    let mut log = n.log.clone();
    let at = log.push_obj_as(CLERK, NOW, "person_arrested", &data);
    let m = log.view();
    assert_eq!(
        m.fact(at.seq).unwrap().status,
        FactStatus::Rejected {
            code: AnomalyCode::FutureFact
        }
    );
    assert_eq!(projections(&m), projections(&n.log.view()));
    // Recorded later, the same event is fine.
    n.log
        .h
        .check_append(CLERK, "2025-12-02T00:00:00Z", "person_arrested", &data)
        .unwrap();
    // A scheduled plenary may be in the future.
    n.log
        .h
        .check_append(
            CLERK,
            NOW,
            "asp_session_recorded",
            &obj(
                r#"{"session":24,"place":"The Hague","status":"scheduled","occurred":{"from":"2025-12-01","to":"2025-12-06"}}"#,
            ),
        )
        .unwrap();
    let held = n.log.h.check_append(
        CLERK,
        NOW,
        "asp_session_recorded",
        &obj(
            r#"{"session":24,"place":"The Hague","status":"held","occurred":{"from":"2025-12-01","to":"2025-12-06"}}"#,
        ),
    );
    assert_eq!(held.unwrap_err().code, AnomalyCode::FutureFact);
}

// ---------------------------------------------------------------------------------------------
// Sealed warrants
// ---------------------------------------------------------------------------------------------

fn sealed_content() -> SealedWarrantContent {
    serde_json::from_str(
        r#"{"person":"njeem-osama-elmasry","situation":"ICC-01/11","chamber":"PTC-I","doc_ref":"ICC-01/11-208"}"#,
    )
    .unwrap()
}

fn salt(byte: u8) -> Salt {
    Salt::new(vec![byte; 16]).unwrap()
}

#[test]
fn a_sealed_warrant_shows_its_content_only_once_a_matching_reveal_opens_it() {
    let mut log = Log::default();
    let c = commitment(&salt(7), &sealed_content()).unwrap();
    let sealed = log.push(
        "arrest_warrant_issued_under_seal",
        &format!(r#"{{"warrant_id":"sealed-1","commitment":"{c}","occurred":"2025-01-18"}}"#),
    );
    let id = "sealed-1".parse().unwrap();
    let m = log.view();
    let w = &m.warrants[&id];
    assert_eq!(w.person, None);
    assert_eq!(w.chamber, None);
    assert_eq!(w.issued, Some(LegalDate::Day(day("2025-01-18"))));
    assert_eq!(w.visibility, acta_domain::vocab::Visibility::Sealed);
    assert_eq!(w.seal.as_ref().map(|s| s.revealed), Some(false));

    let reveal = |s: Salt| {
        format!(
            r#"{{"warrant_id":"sealed-1","new_visibility":"public","occurred":"2025-05-15","revealed":{{"content":{},"salt":"{s}"}}}}"#,
            serde_json::to_string(&sealed_content()).unwrap()
        )
    };
    // A mismatching salt.
    let v = refused(
        &log,
        "arrest_warrant_unsealed",
        &reveal(salt(8)),
        AnomalyCode::SealMismatch,
        Some(sealed),
    );
    assert!(v.message.contains("do not match"), "{}", v.message);
    // No content at all.
    refused(
        &log,
        "arrest_warrant_unsealed",
        r#"{"warrant_id":"sealed-1","new_visibility":"existence_disclosed","occurred":"2025-05-15"}"#,
        AnomalyCode::SealMismatch,
        Some(sealed),
    );
    // The right one.
    log.push("arrest_warrant_unsealed", &reveal(salt(7)));
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    let w = &m.warrants[&id];
    assert_eq!(w.person, Some(NJEEM.parse().unwrap()));
    assert_eq!(w.situation, Some("ICC-01/11".parse().unwrap()));
    assert_eq!(w.chamber, Some("PTC-I".parse().unwrap()));
    assert_eq!(w.visibility, acta_domain::vocab::Visibility::Public);
    assert_eq!(w.seal.as_ref().map(|s| s.revealed), Some(true));
    assert!(m.persons[&NJEEM.parse().unwrap()].warrants.contains(&id));
}

#[test]
fn a_decrease_of_visibility_is_applied_with_a_warning() {
    let n = njeem();
    let mut log = n.log.clone();
    let public = log.push(
        "arrest_warrant_unsealed",
        r#"{"warrant_id":"njeem-2025","new_visibility":"public","occurred":"2025-02-01"}"#,
    );
    let w = log
        .h
        .check_append(
            CLERK,
            NOW,
            "arrest_warrant_unsealed",
            &obj(
                r#"{"warrant_id":"njeem-2025","new_visibility":"existence_disclosed","occurred":"2025-03-01"}"#,
            ),
        )
        .unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].code, AnomalyCode::Reclassified);
    assert_eq!(w[0].conflicting, Some(public));
}

// ---------------------------------------------------------------------------------------------
// Proceedings, requests
// ---------------------------------------------------------------------------------------------

#[test]
fn italy_stays_deferred_after_observations() {
    let (log, decision) = italy();
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    let p = &m.proceedings[&"ita-2025".parse().unwrap()];
    assert_eq!(p.stage, Stage::FindingReferralDeferred);
    assert_eq!(p.observations_deadline, None);
    assert_eq!(
        p.eligible_targets,
        [TransmissionTarget::Asp, TransmissionTarget::Unsc]
    );
    assert!(p.transmitted.is_empty());
    let whats: Vec<_> = p.history.iter().map(|s| s.what.as_str()).collect();
    assert_eq!(
        whats,
        [
            "opened",
            "decision_issued",
            "observations_invited",
            "observations_submitted"
        ]
    );
    assert_eq!(p.decisions[0].at, decision);
    // The not-stated finding with a deferral warns.
    assert!(
        m.warnings
            .iter()
            .any(|w| w.at == decision && w.code == AnomalyCode::ReferralWithoutFinding)
    );
    // Between the invitation and the submission the deadline is shown.
    let before_submission = log.h.view(ViewOptions {
        as_of_seq: Some(log.h.size - 2),
        ..ViewOptions::default()
    });
    assert_eq!(
        before_submission.proceedings[&"ita-2025".parse().unwrap()].observations_deadline,
        Some(LegalDate::Day(day("2025-10-31")))
    );
    // A second final decision is refused; the referral decision is the way on.
    refused(
        &log,
        "non_compliance_decision_issued",
        r#"{"decision_id":"ita-2025-decision-2","proceeding_id":"ita-2025","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","doc_ref":"ICC-01/11-220","finding":"non_compliant","referral":{"referred":"asp"},"occurred":"2025-11-20"}"#,
        AnomalyCode::DecisionAlreadyFinal,
        Some(decision),
    );
    let mut referred = log.clone();
    referred.push(
        "referral_decision_issued",
        r#"{"proceeding_id":"ita-2025","chamber":"PTC-I","referral":{"referred":"asp_and_unsc"},"occurred":"2025-11-20"}"#,
    );
    referred.push(
        "referral_transmitted",
        r#"{"proceeding_id":"ita-2025","to":"unsc","occurred":"2025-11-21"}"#,
    );
    let m = referred.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    let p = &m.proceedings[&"ita-2025".parse().unwrap()];
    assert_eq!(p.stage, Stage::Transmitted);
    assert_eq!(m.states[&st("ITA")].referrals.len(), 1);
}

#[test]
fn hungary_is_transmitted_to_the_assembly_and_considered_by_the_bureau() {
    let mut log = Log::default();
    let decision = hungary(&mut log);
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    let p = &m.proceedings[&"hun-2025".parse().unwrap()];
    assert_eq!(p.stage, Stage::Transmitted);
    assert_eq!(p.eligible_targets, [TransmissionTarget::Asp]);
    assert_eq!(p.transmitted.len(), 1);
    assert_eq!(p.transmitted[0].0, TransmissionTarget::Asp);
    assert_eq!(
        p.referral,
        Some(Referral::Referred(acta_domain::vocab::ReferralTarget::Asp))
    );
    let a = &m.asp_matters[&"hun-2025".parse().unwrap()];
    assert!(a.opened_implicitly);
    assert!(a.state_heard);
    assert_eq!(a.plenary_scheduled, Some(LegalDate::Day(day("2025-12-03"))));
    assert_eq!(a.plenary_held, None);
    let rec = &m.states[&st("HUN")];
    assert_eq!(rec.findings, [decision]);
    assert_eq!(rec.bureau_hearings.len(), 1);
    assert_eq!(rec.letters, ["hun-2025-03-31".parse().unwrap()]);
    // The episode: letter, visit, publication; not arrested; the proceeding followed.
    let ep = m.episodes.values().find(|e| e.state == st("HUN")).unwrap();
    assert_eq!(ep.outcome, Some(VisitOutcome::NotArrested));
    assert_eq!(ep.proceeding, Some("hun-2025".parse().unwrap()));
    let whats: Vec<_> = ep.steps.iter().map(|s| s.what.as_str()).collect();
    assert_eq!(whats, ["letter_sent", "visit", "letter_published"]);
    assert_eq!(rec.episodes.as_slice(), std::slice::from_ref(&ep.id));
    assert_eq!(
        m.letters[&"hun-2025-03-31".parse().unwrap()].episode,
        Some(ep.id.clone())
    );
    // A UNSC transmission is not allowed: Palestine was referred by a State.
    let situation = log.h.items[0].at;
    refused(
        &log,
        "referral_transmitted",
        r#"{"proceeding_id":"hun-2025","to":"unsc","occurred":"2025-07-25"}"#,
        AnomalyCode::ReferralTargetNotAllowed,
        Some(situation),
    );
}

#[test]
fn decision_rules() {
    let mut log = Log::default();
    hungary(&mut log);
    // E_NO_OPEN_PROCEEDING
    refused(
        &log,
        "non_compliance_decision_issued",
        r#"{"decision_id":"x-decision","proceeding_id":"tjk-2025","state":"TJK","situation":"ICC-01/22","chamber":"PTC-II","doc_ref":"ICC-01/22-200","finding":"non_compliant","referral":{"referred":"asp"},"occurred":"2025-11-01"}"#,
        AnomalyCode::NoOpenProceeding,
        None,
    );
    refused(
        &log,
        "state_observations_invited",
        r#"{"proceeding_id":"tjk-2025","state":"TJK","occurred":"2025-11-01","deadline":"2025-11-15"}"#,
        AnomalyCode::NoOpenProceeding,
        None,
    );
    // E_REFERRAL_TARGET_NOT_ALLOWED: a UNSC referral in an unregistered situation.
    refused(
        &log,
        "non_compliance_decision_issued",
        r#"{"decision_id":"x-decision","proceeding_id":"x-2025","state":"TJK","situation":"ICC-01/99","chamber":"PTC-II","doc_ref":"ICC-01/99-1","finding":"non_compliant","referral":{"referred":"unsc"},"occurred":"2025-11-01","opens_implicitly":true}"#,
        AnomalyCode::ReferralTargetNotAllowed,
        None,
    );
    // E_REFERRAL_WITHOUT_FINDING
    refused(
        &log,
        "non_compliance_decision_issued",
        r#"{"decision_id":"x-decision","proceeding_id":"x-2025","state":"TJK","situation":"ICC-01/18","chamber":"PTC-II","doc_ref":"ICC-01/18-500","finding":"no_non_compliance","referral":{"referred":"asp"},"occurred":"2025-11-01","opens_implicitly":true}"#,
        AnomalyCode::ReferralWithoutFinding,
        None,
    );
    // A transmission to a body no decision refers to.
    let mut open = log.clone();
    open.push(
        "non_compliance_decision_issued",
        r#"{"decision_id":"y-decision","proceeding_id":"y-2025","state":"TJK","situation":"ICC-01/18","chamber":"PTC-I","doc_ref":"ICC-01/18-600","finding":"non_compliant","referral":"not_referred","occurred":"2025-10-01","opens_implicitly":true}"#,
    );
    let y = open.h.items.last().unwrap().at;
    let m = open.view();
    let p = &m.proceedings[&"y-2025".parse().unwrap()];
    assert!(p.opened_implicitly);
    assert_eq!(p.stage, Stage::FindingNotReferred);
    assert_eq!(
        p.opened,
        Some(LegalDate::Bounded {
            not_before: None,
            not_after: Some(day("2025-10-01"))
        })
    );
    refused(
        &open,
        "referral_transmitted",
        r#"{"proceeding_id":"y-2025","to":"asp","occurred":"2025-10-02"}"#,
        AnomalyCode::ReferralTargetNotAllowed,
        Some(y),
    );
    // A transmission dated before the decision.
    let mut l2 = Log::default();
    let d = hungary(&mut l2);
    // Drop everything after the decision.
    let keep = l2.h.items.iter().position(|i| i.at == d).unwrap() + 1;
    l2.h.items.truncate(keep);
    l2.h.size = d.seq + 1;
    refused(
        &l2,
        "referral_transmitted",
        r#"{"proceeding_id":"hun-2025","to":"asp","occurred":"2025-07-23"}"#,
        AnomalyCode::DateOrder,
        Some(d),
    );
    // Closing with a pending request.
    let mut closing = open.clone();
    let req = closing.push(
        "procedural_request_filed",
        r#"{"request_id":"y-leave","kind":"leave_to_appeal","filed_by":"state:TJK","proceeding_id":"y-2025","target_decision":"ICC-01/18-600","occurred":"2025-10-05"}"#,
    );
    refused(
        &closing,
        "non_compliance_proceeding_closed",
        r#"{"proceeding_id":"y-2025","reason":"final_decision","occurred":"2025-10-10"}"#,
        AnomalyCode::RequestPending,
        Some(req),
    );
}

#[test]
fn legal_basis_status() {
    let mut log = Log::default();
    let status = log.push(
        "prior_fact_asserted",
        r#"{"fact":{"state_status":{"state":"RUS","status":"non_party"}},"occurred":"2020-01-01"}"#,
    );
    log.push(
        "situation_registered",
        r#"{"situation":"ICC-01/22","name":"Ukraine","referral":"state_referral","occurred":"2022-03-02"}"#,
    );
    refused(
        &log,
        "non_compliance_proceeding_opened",
        r#"{"proceeding_id":"rus-2025","state":"RUS","situation":"ICC-01/22","chamber":"PTC-II","legal_basis":"art_87_7","occurred":"2025-05-01"}"#,
        AnomalyCode::LegalBasisStatus,
        Some(status),
    );
    // Unknown status: no error.
    log.h
        .check_append(
            CLERK,
            NOW,
            "non_compliance_proceeding_opened",
            &obj(
                r#"{"proceeding_id":"xyz-2025","state":"TJK","situation":"ICC-01/22","chamber":"PTC-II","legal_basis":"art_87_7","occurred":"2025-05-01"}"#,
            ),
        )
        .unwrap();
}

#[test]
fn procedural_requests() {
    let mut log = Log::default();
    mongolia(&mut log);
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    let p = &m.proceedings[&"mng-2024".parse().unwrap()];
    assert!(p.opened_implicitly);
    assert_eq!(p.requests.len(), 4);
    let pending: Vec<_> = m
        .pending_requests()
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(pending, ["mng-partial", "mng-reconsideration"]);
    // Every targeted decision is known (ICC-01/22-90, ICC-01/22-111): no warning.
    assert!(
        !m.warnings
            .iter()
            .any(|w| w.code == AnomalyCode::TargetDecisionUnknown)
    );
    let partial = m.requests[&"mng-partial".parse().unwrap()].at;
    // E_WRONG_DECIDING_BODY: a disqualification matter decided by a Chamber.
    refused(
        &log,
        "procedural_request_decided",
        r#"{"request_id":"mng-partial","deciding_body":"PTC-II","outcome":"dismissed","occurred":"2025-03-10"}"#,
        AnomalyCode::WrongDecidingBody,
        Some(partial),
    );
    let recon = m.requests[&"mng-reconsideration".parse().unwrap()].at;
    refused(
        &log,
        "procedural_request_decided",
        r#"{"request_id":"mng-reconsideration","deciding_body":"Plenary","outcome":"rejected","occurred":"2025-03-18"}"#,
        AnomalyCode::WrongDecidingBody,
        Some(recon),
    );
    log.push(
        "procedural_request_decided",
        r#"{"request_id":"mng-partial","deciding_body":"Plenary","outcome":"dismissed","doc_ref":"ICC-01/22-121","occurred":"2025-03-10"}"#,
    );
    let decided = log.push(
        "procedural_request_decided",
        r#"{"request_id":"mng-reconsideration","deciding_body":"PTC-II","outcome":"rejected","doc_ref":"ICC-01/22-123","occurred":"2025-03-18"}"#,
    );
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert!(m.pending_requests().is_empty());
    // E_REQUEST_NOT_PENDING: decided twice, or never filed.
    refused(
        &log,
        "procedural_request_decided",
        r#"{"request_id":"mng-reconsideration","deciding_body":"PTC-II","outcome":"rejected","occurred":"2025-03-19"}"#,
        AnomalyCode::RequestNotPending,
        Some(decided),
    );
    refused(
        &log,
        "procedural_request_decided",
        r#"{"request_id":"never-filed","deciding_body":"PTC-II","outcome":"rejected","occurred":"2025-03-19"}"#,
        AnomalyCode::RequestNotPending,
        None,
    );
    // A request naming an unknown decision is accepted with E_TARGET_DECISION_UNKNOWN.
    let w = log
        .h
        .check_append(
            CLERK,
            NOW,
            "procedural_request_filed",
            &obj(
                r#"{"request_id":"mng-other","kind":"other","filed_by":"state:MNG","target_decision":"ICC-01/22-999","occurred":"2025-04-01"}"#,
            ),
        )
        .unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].code, AnomalyCode::TargetDecisionUnknown);
    // The Bureau noting the decisions before they were issued (seed A-1).
    refused(
        &log,
        "bureau_took_note",
        r#"{"occurred":"2024-04-02","of_documents":["ICC-01/22-121","ICC-01/22-123"]}"#,
        AnomalyCode::DateOrder,
        m.requests[&"mng-partial".parse().unwrap()]
            .decided
            .as_ref()
            .map(|d| d.at),
    );
}

// ---------------------------------------------------------------------------------------------
// Assembly side
// ---------------------------------------------------------------------------------------------

#[test]
fn assembly_rules() {
    let mut log = Log::default();
    hungary(&mut log);
    refused(
        &log,
        "bureau_considered_referral",
        r#"{"asp_matter_id":"no-matter","state":"HUN","meeting":"2025-13","state_heard":true,"occurred":"2025-09-03"}"#,
        AnomalyCode::AspMatterNotOpen,
        None,
    );
    let meeting = log
        .h
        .items
        .iter()
        .find(|i| i.entry_type == "bureau_meeting_held")
        .unwrap()
        .at;
    refused(
        &log,
        "focal_point_appointed",
        r#"{"state":"POL","region_group":"eastern_european","meeting":"2025-13","occurred":"2025-09-10"}"#,
        AnomalyCode::MeetingDateMismatch,
        Some(meeting),
    );
    // A bounded date overlapping the meeting is fine.
    log.h
        .check_append(
            CLERK,
            NOW,
            "focal_point_appointed",
            &obj(
                r#"{"state":"POL","region_group":"eastern_european","meeting":"2025-13","occurred":{"not_before":"2025-09-01","not_after":"2025-09-08"}}"#,
            ),
        )
        .unwrap();
}

#[test]
fn roster_and_its_warnings() {
    let mut log = Log::default();
    log.push(
        "bureau_meeting_held",
        r#"{"meeting":"2024-3","occurred":"2024-03-06"}"#,
    );
    for (s, region) in [
        ("MEX", "latin_american_and_caribbean"),
        ("SLE", "african"),
        ("VUT", "asia_pacific"),
    ] {
        log.push(
            "focal_point_appointed",
            &format!(
                r#"{{"state":"{s}","region_group":"{region}","meeting":"2024-3","occurred":"2024-03-06"}}"#
            ),
        );
    }
    let m = log.view();
    let last = log.h.items.last().unwrap().at;
    let w: Vec<_> = m
        .warnings
        .iter()
        .filter(|w| w.code == AnomalyCode::RosterSize)
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].at, last);
    log.push(
        "focal_point_appointed",
        r#"{"state":"POL","region_group":"eastern_european","meeting":"2024-5","occurred":{"not_before":"2024-05-01","not_after":"2024-05-08"}}"#,
    );
    log.push(
        "asp_president_term_recorded",
        r#"{"person":"kaukoranta-paivi","state":"FIN","occurred":"2023-12"}"#,
    );
    log.push(
        "focal_point_mandate_confirmed",
        r#"{"states":["MEX","SLE","VUT","POL"],"meeting":"2025-2","occurred":"2025-01-15","president_ex_officio":true}"#,
    );
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert!(!m.warnings.iter().any(|w| w.code == AnomalyCode::RosterSize));
    assert_eq!(m.roster.members.len(), 4);
    assert_eq!(m.roster.president_ex_officio, Some(st("FIN")));
    assert_eq!(m.roster.members[&st("POL")].confirmed.len(), 1);
    // A second focal point from one region.
    log.push(
        "focal_point_appointed",
        r#"{"state":"BRA","region_group":"latin_american_and_caribbean","meeting":"2025-2","occurred":"2025-01-15"}"#,
    );
    let m = log.view();
    let w: Vec<_> = m
        .warnings
        .iter()
        .filter(|w| w.code == AnomalyCode::RosterSize)
        .collect();
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].message.contains("BRA") && w[0].message.contains("MEX"));
}

// ---------------------------------------------------------------------------------------------
// States
// ---------------------------------------------------------------------------------------------

#[test]
fn status_and_sections_on_dates() {
    let mut log = Log::default();
    let party = log.push(
        "state_became_party",
        r#"{"state":"BDI","occurred":"2004-09-21","entry_into_force":"2004-12-01"}"#,
    );
    let notified = log.push(
        "withdrawal_notified",
        r#"{"state":"BDI","occurred":"2016-10-27","effective_on":"2017-10-27"}"#,
    );
    log.push(
        "unsc_referral_recorded",
        r#"{"resolution":"S/RES/1593 (2005)","situation":"ICC-02/05","bound_states":["SDN"],"occurred":"2005-03-31"}"#,
    );
    log.push(
        "prior_fact_asserted",
        r#"{"fact":{"state_status":{"state":"SDN","status":"non_party"}},"occurred":"2002-07-01"}"#,
    );
    log.push(
        "prior_fact_asserted",
        r#"{"fact":{"state_status":{"state":"ISR","status":"non_party"}},"occurred":"2002-07-01"}"#,
    );
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    let bdi = st("BDI");
    let s = m.status_on(bdi, day("2004-11-30"));
    assert_eq!(s.status, None);
    let s = m.status_on(bdi, day("2010-01-01"));
    assert_eq!((s.status, s.at), (Some(StateStatus::Party), Some(party)));
    let s = m.status_on(bdi, day("2017-01-01"));
    assert_eq!(
        (s.status, s.at),
        (Some(StateStatus::WithdrawalPending), Some(notified))
    );
    assert_eq!(
        m.status_on(bdi, day("2018-01-01")).status,
        Some(StateStatus::NonParty)
    );
    assert_eq!(
        m.section_on(bdi, day("2017-01-01"), None),
        Some(Section::StatesParties)
    );
    assert_eq!(
        m.section_on(bdi, day("2018-01-01"), None),
        Some(Section::NonParties)
    );
    // Sudan: bound by the resolution from its adoption.
    let sdn = st("SDN");
    assert!(!m.status_on(sdn, day("2005-01-01")).unsc_bound);
    assert!(m.status_on(sdn, day("2005-04-01")).unsc_bound);
    assert_eq!(
        m.section_on(sdn, day("2025-01-01"), None),
        Some(Section::UnscObligation)
    );
    assert_eq!(
        m.section_on(st("ISR"), day("2025-01-01"), None),
        Some(Section::NonParties)
    );
    // Unknown status: the legal basis decides.
    let tjk = st("TJK");
    assert_eq!(m.section_on(tjk, day("2025-10-08"), None), None);
    assert_eq!(
        m.section_on(tjk, day("2025-10-08"), Some(LegalBasis::Art87_7)),
        Some(Section::StatesParties)
    );
    assert_eq!(
        m.section_on(tjk, day("2025-10-08"), Some(LegalBasis::UnscObligation)),
        Some(Section::UnscObligation)
    );
    assert_eq!(
        m.section_on(tjk, day("2025-10-08"), Some(LegalBasis::Art87_5b)),
        Some(Section::NonParties)
    );

    // Revoked: a Party again, and the scheduled non-party status is gone.
    let mut revoked = log.clone();
    revoked.push(
        "withdrawal_revoked",
        r#"{"state":"BDI","occurred":"2017-03-01"}"#,
    );
    let m2 = revoked.view();
    assert_eq!(
        m2.status_on(bdi, day("2018-01-01")).status,
        Some(StateStatus::Party)
    );
    // E_NO_PENDING_WITHDRAWAL: revoked twice.
    let rev = revoked.h.items.last().unwrap().at;
    refused(
        &revoked,
        "withdrawal_revoked",
        r#"{"state":"BDI","occurred":"2017-04-01"}"#,
        AnomalyCode::NoPendingWithdrawal,
        Some(rev),
    );
    // E_NOT_PARTY: a non-party cannot withdraw.
    let isr_status = log.h.items.last().unwrap().at;
    refused(
        &log,
        "withdrawal_notified",
        r#"{"state":"ISR","occurred":"2020-01-01","effective_on":"2021-01-01"}"#,
        AnomalyCode::NotParty,
        Some(isr_status),
    );
    // Took effect on its date.
    let mut effective = log.clone();
    effective.push(
        "withdrawal_took_effect",
        r#"{"state":"BDI","occurred":"2017-10-27"}"#,
    );
    let m3 = effective.view();
    assert!(m3.violations.is_empty(), "{:#?}", m3.violations);
    assert_eq!(
        m3.status_on(bdi, day("2017-10-27")).at,
        effective.h.items.last().map(|i| i.at)
    );
}

// ---------------------------------------------------------------------------------------------
// Reviews: quarantine, corrections, retractions, views
// ---------------------------------------------------------------------------------------------

/// Njeem up to the issue, then an arrest published with an impossible date (acknowledged).
fn misdated_arrest() -> (Log, EntryRef) {
    let n = njeem();
    let mut log = n.log.clone();
    log.h.items.truncate(5);
    log.h.size = 5;
    let arrest = log.push_obj_as(
        CLERK,
        NOW,
        "person_arrested",
        &with_ack(
            &obj(
                r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2024-01-19"}"#,
            ),
            AnomalyCode::DateOrder,
        ),
    );
    (log, arrest)
}

fn correct_arrest(log: &mut Log, arrest: EntryRef) -> EntryRef {
    log.push(
        "correction_recorded",
        &format!(
            r#"{{"target":{},"field_path":"occurred","published_value":"2024-01-19","corrected_value":"2025-01-19","basis":"internal_consistency","confidence":"high"}}"#,
            r(arrest)
        ),
    )
}

#[test]
fn an_acknowledged_violation_is_quarantined_until_an_approved_correction() {
    let (mut log, arrest) = misdated_arrest();
    let w: acta_domain::WarrantId = W.parse().unwrap();
    let m = log.view();
    assert_eq!(
        m.fact(arrest.seq).unwrap().status,
        FactStatus::Quarantined {
            code: AnomalyCode::DateOrder
        }
    );
    assert_eq!(m.warrants[&w].execution, Execution::Outstanding);

    let correction = correct_arrest(&mut log, arrest);
    // Not approved: still quarantined.
    let m = log.view();
    assert_eq!(
        m.fact(arrest.seq).unwrap().status,
        FactStatus::Quarantined {
            code: AnomalyCode::DateOrder
        }
    );
    assert_eq!(
        m.reviews.iter().find(|r| r.at == correction).unwrap().state,
        ReviewState::AwaitingApproval
    );

    // Approved by its own author: a two-person-rule violation, still quarantined.
    let mut own = log.clone();
    let approval_data = obj(&format!(r#"{{"target":{}}}"#, r(correction)));
    let err = own
        .h
        .check_append(CLERK, NOW, "approval_recorded", &approval_data)
        .unwrap_err();
    assert_eq!(err.code, AnomalyCode::TwoPersonRule);
    let self_approval = own.push_obj_as(CLERK, NOW, "approval_recorded", &approval_data);
    let m = own.view();
    assert_eq!(
        m.fact(arrest.seq).unwrap().status,
        FactStatus::Quarantined {
            code: AnomalyCode::DateOrder
        }
    );
    let v = m
        .violations
        .iter()
        .find(|v| v.code == AnomalyCode::TwoPersonRule)
        .unwrap();
    assert_eq!(v.at, Some(self_approval));
    assert_eq!(v.conflicting, Some(correction));

    // Approved by a reviewer: applied with the corrected date.
    log.h
        .check_append(REVIEWER, NOW, "approval_recorded", &approval_data)
        .unwrap();
    log.push_obj_as(REVIEWER, NOW, "approval_recorded", &approval_data);
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    let f = m.fact(arrest.seq).unwrap();
    assert_eq!(f.status, FactStatus::Applied);
    assert_eq!(f.corrections.len(), 1);
    assert_eq!(
        f.event.envelope().occurred,
        Some(&LegalDate::Day(day("2025-01-19")))
    );
    assert_eq!(
        m.warrants[&w].execution,
        Execution::InStateCustody { state: st("ITA") }
    );
    // As published, the correction is ignored: quarantined again.
    let published = log.h.view(ViewOptions {
        as_published: true,
        ..ViewOptions::default()
    });
    assert_eq!(
        published.fact(arrest.seq).unwrap().status,
        FactStatus::Quarantined {
            code: AnomalyCode::DateOrder
        }
    );
    assert_eq!(published.warrants[&w].execution, Execution::Outstanding);
}

#[test]
fn an_approved_retraction_removes_the_fact() {
    let n = njeem();
    let mut log = n.log.clone();
    let retraction = log.push(
        "event_retracted",
        &format!(
            r#"{{"target":{},"reason":"entered_in_error"}}"#,
            r(n.released)
        ),
    );
    // Awaiting approval: still applied.
    assert_eq!(
        log.view().warrants[&W.parse().unwrap()].execution,
        Execution::Outstanding
    );
    log.push_as(
        REVIEWER,
        "approval_recorded",
        &format!(r#"{{"target":{}}}"#, r(retraction)),
    );
    let m = log.view();
    assert_eq!(
        m.fact(n.released.seq).unwrap().status,
        FactStatus::Retracted { by: retraction }
    );
    assert_eq!(
        m.warrants[&W.parse().unwrap()].execution,
        Execution::InStateCustody { state: st("ITA") }
    );
    assert!(m.persons[&NJEEM.parse().unwrap()].releases.is_empty());
}

#[test]
fn a_superseded_opening_balance_is_not_counted_twice() {
    let mut log = Log::default();
    let prior = log.push(
        "prior_fact_asserted",
        r#"{"fact":{"warrant_outstanding":{"warrant_id":"netanyahu-2024","person":"netanyahu-benjamin","situation":"ICC-01/18","issued_before":"2025-04-03"}},"occurred":"2025-04-03"}"#,
    );
    let m = log.view();
    assert!(m.warrants[&"netanyahu-2024".parse().unwrap()].asserted_only);
    let issued = log.push(
        "arrest_warrant_issued",
        &format!(
            r#"{{"warrant_id":"netanyahu-2024","person":"netanyahu-benjamin","situation":"ICC-01/18","chamber":"PTC-I","visibility":"public","occurred":"2024-11-21","supersedes_prior":{}}}"#,
            r(prior)
        ),
    );
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert_eq!(
        m.fact(prior.seq).unwrap().status,
        FactStatus::Superseded { by: issued }
    );
    let w = &m.warrants[&"netanyahu-2024".parse().unwrap()];
    assert!(!w.asserted_only);
    assert_eq!(w.issued, Some(LegalDate::Day(day("2024-11-21"))));
}

/// A realistic history: Njeem and Italy, Hungary, Mongolia, a review.
fn realistic() -> Log {
    let (mut log, _) = italy();
    hungary(&mut log);
    mongolia(&mut log);
    let arrest = log.push_obj_as(
        CLERK,
        NOW,
        "court_reminder_issued",
        &obj(r#"{"warrant_id":"putin-2023","state":"MNG","occurred":"2024-08-30","reason":"anticipated_travel"}"#),
    );
    let retraction = log.push(
        "event_retracted",
        &format!(r#"{{"target":{},"reason":"entered_in_error"}}"#, r(arrest)),
    );
    log.push_as(
        REVIEWER,
        "approval_recorded",
        &format!(r#"{{"target":{}}}"#, r(retraction)),
    );
    log
}

#[test]
fn the_realistic_history_is_clean_and_its_history_round_trips() {
    let log = realistic();
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert!(
        m.facts.iter().all(|f| matches!(
            f.status,
            FactStatus::Applied | FactStatus::Review | FactStatus::Retracted { .. }
        )),
        "{:#?}",
        m.facts.iter().map(|f| &f.status).collect::<Vec<_>>()
    );
    let json = serde_json::to_string(&log.h).unwrap();
    let back: History = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log.h);
    assert_eq!(back.view(ViewOptions::default()).hash(), m.hash());
    // Section classifier of the seed: the States Parties are in section II.
    for s in ["ITA", "HUN"] {
        assert_eq!(
            m.section_on(st(s), day("2025-11-26"), None),
            Some(Section::StatesParties)
        );
    }
}

/// The view as of entry `seq`, with the view options cleared (for comparison).
fn normalized(mut m: Model) -> Model {
    m.view = ViewOptions::default();
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_view_of_a_prefix_is_the_view_of_the_truncated_history(cut in 0usize..60) {
        let log = realistic();
        let n = log.h.items.len();
        let cut = cut % n;
        let seq = log.h.items[cut].at.seq;
        let prefix = log.h.view(ViewOptions { as_of_seq: Some(seq), ..ViewOptions::default() });
        let mut truncated = log.h.clone();
        truncated.items.truncate(cut + 1);
        truncated.size = seq + 1;
        let whole = truncated.view(ViewOptions::default());
        prop_assert_eq!(prefix.size, seq + 1);
        prop_assert_eq!(normalized(prefix), whole);
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions (review of the model)
// ---------------------------------------------------------------------------------------------

fn on_date(log: &Log, d: &str) -> Model {
    log.h.view(ViewOptions {
        as_of_date: Some(day(d)),
        ..ViewOptions::default()
    })
}

/// Every violation of a dated view is one of the undated view.
fn no_new_violations(log: &Log, d: &str) {
    let undated = log.view();
    let dated = on_date(log, d);
    for v in &dated.violations {
        assert!(
            undated.violations.contains(v),
            "as of {d}, a violation the undated view does not report: {v}"
        );
    }
}

#[test]
fn as_of_date_a_fact_whose_predecessor_is_not_yet_in_effect_is_not_a_violation() {
    // The warrant is dated "2025-03" (in effect only from 31 March); the arrest of the 20th.
    let mut log = Log::default();
    log.push(
        "person_registered",
        r#"{"person":"njeem-osama-elmasry","primary_name":"Osama Elmasry Njeem"}"#,
    );
    log.push(
        "arrest_warrant_issued",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","situation":"ICC-01/11","chamber":"PTC-I","visibility":"public","occurred":"2025-03"}"#,
    );
    let arrest = log.push(
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-03-20"}"#,
    );
    assert_eq!(
        log.view().fact(arrest.seq).unwrap().status,
        FactStatus::Applied
    );
    let m = on_date(&log, "2025-03-25");
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert_eq!(
        m.fact(arrest.seq).unwrap().status,
        FactStatus::NotYetInEffect
    );
    assert!(m.warrants.is_empty());
    let m = on_date(&log, "2025-04-01");
    assert_eq!(m.fact(arrest.seq).unwrap().status, FactStatus::Applied);

    // A proceeding seized between 3 April and 24 July; observations invited on 10 May.
    let mut log = Log::default();
    log.push(
        "situation_registered",
        r#"{"situation":"ICC-01/18","name":"State of Palestine","referral":"state_referral","occurred":"2018-05-22"}"#,
    );
    log.push(
        "non_compliance_proceeding_opened",
        r#"{"proceeding_id":"hun-2025","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87_7","occurred":{"not_before":"2025-04-03","not_after":"2025-07-24"}}"#,
    );
    let invited = log.push(
        "state_observations_invited",
        r#"{"proceeding_id":"hun-2025","state":"HUN","occurred":"2025-05-10","deadline":"2025-05-31"}"#,
    );
    assert!(log.view().violations.is_empty());
    let m = on_date(&log, "2025-06-01");
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert_eq!(
        m.fact(invited.seq).unwrap().status,
        FactStatus::NotYetInEffect
    );
    assert_eq!(
        on_date(&log, "2025-07-25")
            .fact(invited.seq)
            .unwrap()
            .status,
        FactStatus::Applied
    );
}

#[test]
fn as_of_date_a_fact_rejected_or_quarantined_as_recorded_keeps_its_status() {
    let n = njeem();
    let mut log = n.log.clone();
    let bad = log.push(
        "person_arrested",
        r#"{"warrant_id":"no-such-warrant","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-02-01"}"#,
    );
    let rejected = FactStatus::Rejected {
        code: AnomalyCode::WarrantNotFound,
    };
    let undated = log.view();
    assert_eq!(undated.fact(bad.seq).unwrap().status, rejected);
    for d in ["2025-01-01", "2025-02-02"] {
        let m = on_date(&log, d);
        assert_eq!(m.fact(bad.seq).unwrap().status, rejected, "as of {d}");
        assert_eq!(m.violations, undated.violations, "as of {d}");
    }
    let (log, arrest) = misdated_arrest();
    for d in ["2023-01-01", "2025-12-01"] {
        let m = on_date(&log, d);
        assert_eq!(
            m.fact(arrest.seq).unwrap().status,
            FactStatus::Quarantined {
                code: AnomalyCode::DateOrder
            },
            "as of {d}"
        );
        assert!(m.violations.is_empty());
    }
}

#[test]
fn dated_views_of_the_realistic_history_report_no_violation_the_undated_view_does_not() {
    let log = realistic();
    for year in 2010..=2025 {
        for month in [1, 4, 7, 10] {
            no_new_violations(&log, &format!("{year}-{month:02}-15"));
        }
    }
    for d in [
        "2025-03-25",
        "2025-04-04",
        "2025-06-01",
        "2025-07-24",
        "2025-10-20",
    ] {
        no_new_violations(&log, d);
    }
}

const PRIOR_NETANYAHU: &str = r#"{"fact":{"warrant_outstanding":{"warrant_id":"netanyahu-2024","person":"netanyahu-benjamin","situation":"ICC-01/18","issued_before":"2025-04-03"}},"occurred":"2025-04-03"}"#;

fn netanyahu_issued(prior: EntryRef, occurred: &str, person: &str) -> String {
    format!(
        r#"{{"warrant_id":"netanyahu-2024","person":"{person}","situation":"ICC-01/18","chamber":"PTC-I","visibility":"public","doc_ref":"ICC-01/18-400","occurred":"{occurred}","supersedes_prior":{}}}"#,
        r(prior)
    )
}

#[test]
fn a_superseded_opening_balance_stays_applied_for_the_events_recorded_in_between() {
    let mut log = Log::default();
    let prior = log.push("prior_fact_asserted", PRIOR_NETANYAHU);
    let arrested = log.push(
        "person_arrested",
        r#"{"warrant_id":"netanyahu-2024","person":"netanyahu-benjamin","state":"HUN","occurred":"2025-04-04"}"#,
    );
    let released = log.push(
        "person_released_without_surrender",
        r#"{"warrant_id":"netanyahu-2024","person":"netanyahu-benjamin","state":"HUN","occurred":"2025-04-05"}"#,
    );
    let issue = obj(&netanyahu_issued(prior, "2024-11-21", "netanyahu-benjamin"));
    log.h
        .check_append(CLERK, NOW, "arrest_warrant_issued", &issue)
        .unwrap_or_else(|e| panic!("refused: {e}"));
    let issued = log.push_obj_as(CLERK, NOW, "arrest_warrant_issued", &issue);
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert_eq!(
        m.fact(prior.seq).unwrap().status,
        FactStatus::Superseded { by: issued }
    );
    for at in [arrested, released, issued] {
        assert_eq!(m.fact(at.seq).unwrap().status, FactStatus::Applied);
    }
    let w = &m.warrants[&"netanyahu-2024".parse().unwrap()];
    assert!(!w.asserted_only);
    assert_eq!(w.issued, Some(LegalDate::Day(day("2024-11-21"))));
    assert_eq!(w.chamber, Some("PTC-I".parse().unwrap()));
    assert_eq!(w.doc_ref, Some("ICC-01/18-400".parse().unwrap()));
    assert_eq!(w.execution, Execution::Outstanding);
    let steps: Vec<_> = w.history.iter().map(|s| (s.what.as_str(), s.at)).collect();
    assert_eq!(
        steps,
        [
            ("issued", issued),
            ("asserted_outstanding", prior),
            ("arrested", arrested),
            ("released_without_surrender", released),
        ]
    );
    let p = &m.persons[&"netanyahu-benjamin".parse().unwrap()];
    assert_eq!(p.releases.len(), 1);
    // Before the issue is in effect the assertion is not superseded; before the assertion is,
    // the issue creates the warrant.
    let m = on_date(&log, "2024-12-01");
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert_eq!(
        m.fact(prior.seq).unwrap().status,
        FactStatus::NotYetInEffect
    );
    assert_eq!(m.fact(issued.seq).unwrap().status, FactStatus::Applied);

    // An issue dated after `issued_before` contradicts the assertion it supersedes.
    let mut base = log.clone();
    base.h.items.truncate(3);
    base.h.size = 3;
    refused(
        &base,
        "arrest_warrant_issued",
        &netanyahu_issued(prior, "2025-04-10", "netanyahu-benjamin"),
        AnomalyCode::DateOrder,
        Some(prior),
    );
    // … and one for another person does not record the asserted warrant.
    refused(
        &base,
        "arrest_warrant_issued",
        &netanyahu_issued(prior, "2024-11-21", "njeem-osama-elmasry"),
        AnomalyCode::WarrantExists,
        Some(prior),
    );
}

#[test]
fn an_opening_superseding_an_asserted_proceeding_fills_it_in() {
    let mut log = Log::default();
    log.push(
        "situation_registered",
        r#"{"situation":"ICC-01/18","name":"State of Palestine","referral":"state_referral","occurred":"2018-05-22"}"#,
    );
    let prior = log.push(
        "prior_fact_asserted",
        r#"{"fact":{"proceeding_open":{"proceeding_id":"hun-2025","state":"HUN","situation":"ICC-01/18","legal_basis":"art_87_7"}},"occurred":"2025-05-01"}"#,
    );
    let invited = log.push(
        "state_observations_invited",
        r#"{"proceeding_id":"hun-2025","state":"HUN","occurred":"2025-05-10","deadline":"2025-05-31"}"#,
    );
    let data = obj(&format!(
        r#"{{"proceeding_id":"hun-2025","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87_7","occurred":"2025-04-10","person":"netanyahu-benjamin","supersedes_prior":{}}}"#,
        r(prior)
    ));
    log.h
        .check_append(CLERK, NOW, "non_compliance_proceeding_opened", &data)
        .unwrap_or_else(|e| panic!("refused: {e}"));
    let opened = log.push_obj_as(CLERK, NOW, "non_compliance_proceeding_opened", &data);
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert_eq!(
        m.fact(prior.seq).unwrap().status,
        FactStatus::Superseded { by: opened }
    );
    let p = &m.proceedings[&"hun-2025".parse().unwrap()];
    assert_eq!(p.chamber, Some("PTC-I".parse().unwrap()));
    assert_eq!(p.opened, Some(LegalDate::Day(day("2025-04-10"))));
    assert_eq!(p.person, Some("netanyahu-benjamin".parse().unwrap()));
    assert_eq!(p.stage, Stage::AwaitingObservations);
    let steps: Vec<_> = p.history.iter().map(|s| (s.what.as_str(), s.at)).collect();
    assert_eq!(
        steps,
        [
            ("opened", opened),
            ("asserted_open", prior),
            ("observations_invited", invited)
        ]
    );
    assert_eq!(m.states[&st("HUN")].proceedings.len(), 1);
}

#[test]
fn an_asserted_warrant_was_issued_on_or_before_issued_before() {
    let mut log = Log::default();
    let prior = log.push(
        "prior_fact_asserted",
        r#"{"fact":{"warrant_outstanding":{"warrant_id":"netanyahu-2024","person":"netanyahu-benjamin","situation":"ICC-01/18","issued_before":"2025-04-03"}},"occurred":"2025-06-01"}"#,
    );
    let w = &log.view().warrants[&"netanyahu-2024".parse().unwrap()];
    let bounded = LegalDate::Bounded {
        not_before: None,
        not_after: Some(day("2025-04-03")),
    };
    assert_eq!(w.issued, Some(bounded));
    assert_eq!(w.history[0].on, Some(bounded));
    assert_eq!(w.history[0].at, prior);
    // A cooperation request before `issued_before`, an arrest before the assertion's date.
    for (ty, json) in [
        (
            "cooperation_request_transmitted",
            r#"{"request_id":"netanyahu-request","warrant_id":"netanyahu-2024","addressees":{"states":["HUN"]},"occurred":"2025-01-10"}"#,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"netanyahu-2024","person":"netanyahu-benjamin","state":"HUN","occurred":"2025-05-01"}"#,
        ),
    ] {
        log.h
            .check_append(CLERK, NOW, ty, &obj(json))
            .unwrap_or_else(|e| panic!("{ty} refused: {e}"));
        let at = log.push(ty, json);
        assert_eq!(log.view().fact(at.seq).unwrap().status, FactStatus::Applied);
    }
    assert!(log.view().violations.is_empty());
}

#[test]
fn a_flag_of_an_entry_not_in_the_log_is_refused() {
    let n = njeem();
    let bad = EntryRef {
        seq: n.arrested.seq,
        hash: hash(999),
    };
    for target in [
        bad,
        EntryRef {
            seq: 99,
            hash: hash(99),
        },
    ] {
        let json = format!(
            r#"{{"target":{},"code":"E_DATE_ORDER","field_path":"occurred","explanation":"the date is wrong"}}"#,
            r(target)
        );
        let err = n
            .log
            .h
            .check_append(CLERK, NOW, "anomaly_flagged", &obj(&json))
            .unwrap_err();
        assert_eq!(err.code, AnomalyCode::TargetNotFound, "{err}");
        assert_eq!(err.conflicting, Some(target));
        let mut log = n.log.clone();
        let at = log.push("anomaly_flagged", &json);
        assert!(
            log.view()
                .violations
                .iter()
                .any(|v| v.at == Some(at) && v.code == AnomalyCode::TargetNotFound)
        );
    }
    // The real entry is fine.
    n.log
        .h
        .check_append(
            CLERK,
            NOW,
            "anomaly_flagged",
            &obj(&format!(
                r#"{{"target":{},"code":"E_DATE_ORDER","field_path":"occurred","explanation":"the date is wrong"}}"#,
                r(n.arrested)
            )),
        )
        .unwrap();
}

#[test]
fn a_second_retraction_of_a_retracted_entry_is_refused() {
    let n = njeem();
    let mut log = n.log.clone();
    let json = format!(
        r#"{{"target":{},"reason":"entered_in_error"}}"#,
        r(n.released)
    );
    let first = log.push("event_retracted", &json);
    // Awaiting approval, a second retraction is not (yet) refused.
    log.h
        .check_append(CLERK, NOW, "event_retracted", &obj(&json))
        .unwrap();
    log.push_as(
        REVIEWER,
        "approval_recorded",
        &format!(r#"{{"target":{}}}"#, r(first)),
    );
    let err = log
        .h
        .check_append(CLERK, NOW, "event_retracted", &obj(&json))
        .unwrap_err();
    assert_eq!(err.code, AnomalyCode::AlreadyRetracted, "{err}");
    assert_eq!(err.conflicting, Some(first));
    assert_eq!(err.code.as_str(), "E_ALREADY_RETRACTED");
    let second = log.push("event_retracted", &json);
    let m = log.view();
    let v = m.violations.iter().find(|v| v.at == Some(second)).unwrap();
    assert_eq!(v.code, AnomalyCode::AlreadyRetracted);
    assert_eq!(
        m.reviews.iter().find(|r| r.at == second).unwrap().state,
        ReviewState::Invalid
    );
    assert_eq!(
        m.fact(n.released.seq).unwrap().status,
        FactStatus::Retracted { by: first }
    );
}

/// Hungary's proceeding with a finding referred to the Assembly, and an appeal against it.
fn hungary_appealed() -> (Log, EntryRef) {
    let mut log = Log::default();
    log.push(
        "situation_registered",
        r#"{"situation":"ICC-01/18","name":"State of Palestine","referral":"state_referral","occurred":"2018-05-22"}"#,
    );
    log.push(
        "state_became_party",
        r#"{"state":"HUN","occurred":"2001-11-30","entry_into_force":"2002-07-01"}"#,
    );
    log.push(
        "non_compliance_proceeding_opened",
        r#"{"proceeding_id":"hun-2025","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87_7","occurred":"2025-05-01"}"#,
    );
    log.push(
        "non_compliance_decision_issued",
        r#"{"decision_id":"hun-2025-decision","proceeding_id":"hun-2025","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","doc_ref":"ICC-01/18-462","finding":"non_compliant","referral":{"referred":"asp"},"occurred":"2025-07-24"}"#,
    );
    let appeal = log.push(
        "appeal_filed",
        r#"{"appeal_id":"hun-appeal","appellant":"state:HUN","decision_id":"hun-2025-decision","occurred":"2025-07-30"}"#,
    );
    (log, appeal)
}

#[test]
fn a_referral_after_the_finding_was_reversed_on_appeal_is_refused() {
    let (mut log, _) = hungary_appealed();
    let transmit = r#"{"proceeding_id":"hun-2025","to":"asp","occurred":"2025-10-01"}"#;
    // Confirmed on appeal: the referral may be transmitted.
    let mut confirmed = log.clone();
    confirmed.push(
        "appeal_judgment_delivered",
        r#"{"appeal_id":"hun-appeal","doc_ref":"ICC-01/18-470","on_finding":"confirmed","on_referral":"confirmed","occurred":"2025-09-15"}"#,
    );
    confirmed
        .h
        .check_append(CLERK, NOW, "referral_transmitted", &obj(transmit))
        .unwrap();
    let judgment = log.push(
        "appeal_judgment_delivered",
        r#"{"appeal_id":"hun-appeal","doc_ref":"ICC-01/18-470","on_finding":"reversed","on_referral":"not_applicable","occurred":"2025-09-15"}"#,
    );
    let v = refused(
        &log,
        "referral_transmitted",
        transmit,
        AnomalyCode::ReferralWithoutFinding,
        Some(judgment),
    );
    assert!(v.message.contains("reversed on appeal"), "{}", v.message);
}

#[test]
fn a_voluntary_surrender_from_the_custodial_state_is_accepted() {
    let n = njeem();
    let mut log = n.log.clone();
    log.push(
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"DEU","occurred":"2025-02-01"}"#,
    );
    let json = r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"DEU","occurred":"2025-02-03","voluntary":true}"#;
    log.h
        .check_append(CLERK, NOW, "person_surrendered", &obj(json))
        .unwrap_or_else(|e| panic!("refused: {e}"));
    log.push("person_surrendered", json);
    let m = log.view();
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    assert_eq!(
        m.warrants[&W.parse().unwrap()].execution,
        Execution::Surrendered
    );
}

#[test]
fn a_sealed_warrant_learns_its_subject_from_the_arrest() {
    let mut log = Log::default();
    log.push(
        "person_registered",
        r#"{"person":"njeem-osama-elmasry","primary_name":"Osama Elmasry Njeem"}"#,
    );
    let c = commitment(&salt(7), &sealed_content()).unwrap();
    log.push(
        "arrest_warrant_issued_under_seal",
        &format!(r#"{{"warrant_id":"sealed-1","commitment":"{c}","occurred":"2025-01-18"}}"#),
    );
    let arrested = log.push(
        "person_arrested",
        r#"{"warrant_id":"sealed-1","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-19"}"#,
    );
    let id: acta_domain::WarrantId = "sealed-1".parse().unwrap();
    assert_eq!(
        log.view().warrants[&id].person,
        Some(NJEEM.parse().unwrap())
    );
    // A death before the arrest contradicts it.
    refused(
        &log,
        "person_death_recorded",
        r#"{"person":"njeem-osama-elmasry","occurred":"2025-01-10"}"#,
        AnomalyCode::PersonDeceased,
        Some(arrested),
    );
    // A death after it ends the execution, and later steps see it.
    let death = log.push(
        "person_death_recorded",
        r#"{"person":"njeem-osama-elmasry","occurred":"2025-02-01"}"#,
    );
    assert_eq!(
        log.view().warrants[&id].execution,
        Execution::SubjectDeceased
    );
    refused(
        &log,
        "person_released_without_surrender",
        r#"{"warrant_id":"sealed-1","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-02-05"}"#,
        AnomalyCode::PersonDeceased,
        Some(death),
    );
}

#[test]
fn duplicate_appeal_visit_and_letter_ids_are_refused() {
    let (log, appeal) = hungary_appealed();
    let v = refused(
        &log,
        "appeal_filed",
        r#"{"appeal_id":"hun-appeal","appellant":"court:otp","decision_id":"hun-2025-decision","occurred":"2025-08-01"}"#,
        AnomalyCode::AppealExists,
        Some(appeal),
    );
    assert_eq!(v.code.as_str(), "E_APPEAL_EXISTS");
    let m = log.view();
    assert_eq!(
        m.appeals[&"hun-appeal".parse().unwrap()]
            .appellant
            .to_string(),
        "state:HUN"
    );

    let mut log = Log::default();
    hungary(&mut log);
    let m = log.view();
    let visit = m.visits[&"hun-netanyahu-2025".parse().unwrap()].at;
    let letter = m.letters[&"hun-2025-03-31".parse().unwrap()].at;
    refused(
        &log,
        "wanted_person_visit_recorded",
        r#"{"visit_id":"hun-netanyahu-2025","person":"netanyahu-benjamin","state":"HUN","occurred":{"from":"2025-05-03","to":"2025-05-06"}}"#,
        AnomalyCode::VisitExists,
        Some(visit),
    );
    refused(
        &log,
        "asp_president_letter_sent",
        r#"{"letter_id":"hun-2025-03-31","state":"HUN","to_office":"Prime Minister","track":"informal","purpose":"pre_visit_reminder","person":"netanyahu-benjamin","occurred":"2025-04-01"}"#,
        AnomalyCode::LetterExists,
        Some(letter),
    );
}

#[test]
fn only_a_transcription_may_acknowledge_the_rule_it_breaks() {
    let (log, _) = misdated_arrest();
    let mut base = log.clone();
    base.h.items.truncate(5);
    base.h.size = 5;
    let arrest = r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2024-01-19"}"#;
    for provenance in [
        r#"{"inferred":{"rule":"the year of the adjacent entry"}}"#,
        r#"{"external":{"doc":"url:https://example.org/news"}}"#,
    ] {
        let mut data = with_ack(&obj(arrest), AnomalyCode::DateOrder);
        data.insert(
            "provenance",
            obj(&format!(r#"{{"p":{provenance}}}"#))
                .get("p")
                .unwrap()
                .clone(),
        );
        data.insert("confidence", Value::String("medium".to_owned()));
        let err = base
            .h
            .check_append(CLERK, NOW, "person_arrested", &data)
            .unwrap_err();
        assert_eq!(err.code, AnomalyCode::DateOrder, "{err}");
        let mut next = base.clone();
        let at = next.push_obj_as(CLERK, NOW, "person_arrested", &data);
        let m = next.view();
        assert_eq!(
            m.fact(at.seq).unwrap().status,
            FactStatus::Rejected {
                code: AnomalyCode::DateOrder
            }
        );
        assert!(m.violations.iter().any(|v| v.at == Some(at)));
    }
    // Stated explicitly: quarantined, like an event without provenance.
    let mut data = with_ack(&obj(arrest), AnomalyCode::DateOrder);
    data.insert("provenance", Value::String("stated".to_owned()));
    base.h
        .check_append(CLERK, NOW, "person_arrested", &data)
        .unwrap();
    let mut next = base.clone();
    let at = next.push_obj_as(CLERK, NOW, "person_arrested", &data);
    assert_eq!(
        next.view().fact(at.seq).unwrap().status,
        FactStatus::Quarantined {
            code: AnomalyCode::DateOrder
        }
    );
}

#[test]
fn a_fact_of_the_day_after_the_utc_recording_day_is_not_in_the_future() {
    let n = njeem();
    let arrest = |d: &str| {
        obj(&format!(
            r#"{{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"{d}"}}"#
        ))
    };
    // Recorded 2025-11-26 (UTC): a local date of the 27th has happened east of UTC.
    n.log
        .h
        .check_append(
            CLERK,
            "2025-11-26T23:30:00Z",
            "person_arrested",
            &arrest("2025-11-27"),
        )
        .unwrap_or_else(|e| panic!("refused: {e}"));
    let err = n
        .log
        .h
        .check_append(
            CLERK,
            "2025-11-26T23:30:00Z",
            "person_arrested",
            &arrest("2025-11-28"),
        )
        .unwrap_err();
    assert_eq!(err.code, AnomalyCode::FutureFact);
}

#[test]
fn a_history_of_any_size_does_not_overflow() {
    let mut h = History {
        items: Vec::new(),
        size: u64::MAX,
    };
    let data = obj(r#"{"person":"njeem-osama-elmasry","primary_name":"Osama Elmasry Njeem"}"#);
    h.check_append(CLERK, NOW, "person_registered", &data)
        .unwrap();
    h.push_unsigned(CLERK, NOW, "person_registered", &data);
    assert_eq!(h.size, u64::MAX);
    assert_eq!(h.items.len(), 1);
}
