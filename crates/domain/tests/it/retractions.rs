//! Case 6a of issue 11: the two-person rule through every level. Retracting an approval
//! withdraws it (the correction or retraction it approved stops applying unless another
//! approval by a second key remains); retracting a retraction restores its target; each
//! retraction is in force only with its own approval by another key.

use acta_core::EntryHash;
use acta_core::json::{Object, write_object};
use acta_domain::model::*;
use acta_domain::{AnomalyCode, EntryRef, LegalDate};
use proptest::prelude::*;

use super::examples::{obj, r};

const CLERK: &str = "clerk+1";
const REVIEWER: &str = "reviewer+2";
const SECOND: &str = "second-reviewer+3";
const NOW: &str = "2025-11-26T12:00:00Z";

fn hash(seq: u64) -> EntryHash {
    use sha2::Digest;
    EntryHash(sha2::Sha256::digest(format!("r{seq}").as_bytes()).into())
}

#[derive(Clone, Default)]
struct Log {
    h: History,
}

impl Log {
    /// Appends after checking it as `acta append` does (the check must accept it).
    fn append(&mut self, author: &str, ty: &str, json: &str) -> EntryRef {
        let data = obj(json);
        self.h
            .check_append(author, NOW, ty, &data)
            .unwrap_or_else(|v| panic!("{ty} refused: {v}"));
        self.push_unchecked(author, ty, &data)
    }

    fn push_unchecked(&mut self, author: &str, ty: &str, data: &Object) -> EntryRef {
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
            recorded_at: NOW.to_owned(),
            entry_type: ty.to_owned(),
            data: String::from_utf8(text).unwrap(),
        });
        self.h.size += 1;
        at
    }

    fn retract(&mut self, author: &str, target: EntryRef) -> EntryRef {
        self.append(
            author,
            "event_retracted",
            &format!(r#"{{"target":{},"reason":"entered_in_error"}}"#, r(target)),
        )
    }

    fn approve(&mut self, author: &str, target: EntryRef) -> EntryRef {
        self.append(
            author,
            "approval_recorded",
            &format!(r#"{{"target":{}}}"#, r(target)),
        )
    }

    fn at(&self, seq: u64) -> Model {
        self.h.view(ViewOptions {
            as_of_seq: Some(seq),
            ..ViewOptions::default()
        })
    }

    fn now(&self) -> Model {
        self.h.view(ViewOptions::default())
    }
}

/// A situation, a party, a person, a warrant, and an arrest published with an impossible date
/// (before the warrant), acknowledged: quarantined until corrected.
fn misdated_arrest() -> (Log, EntryRef) {
    let mut log = Log::default();
    log.append(
        CLERK,
        "situation_registered",
        r#"{"situation":"ICC-01/11","name":"Libya","referral":"unsc_referral","occurred":"2011-03-03"}"#,
    );
    log.append(
        CLERK,
        "state_became_party",
        r#"{"state":"ITA","occurred":"1999-07-26","entry_into_force":"2002-07-01"}"#,
    );
    log.append(
        CLERK,
        "person_registered",
        r#"{"person":"njeem-osama-elmasry","primary_name":"Osama Elmasry Njeem","nationality":"LBY"}"#,
    );
    log.append(
        CLERK,
        "arrest_warrant_issued",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","situation":"ICC-01/11","chamber":"PTC-I","visibility":"public","occurred":"2025-01-18"}"#,
    );
    let arrest = log.append(
        CLERK,
        "person_arrested",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2024-01-19","acknowledged_anomalies":["E_DATE_ORDER"]}"#,
    );
    (log, arrest)
}

fn correct(log: &mut Log, arrest: EntryRef) -> EntryRef {
    log.append(
        CLERK,
        "correction_recorded",
        &format!(
            r#"{{"target":{},"field_path":"occurred","published_value":"2024-01-19","corrected_value":"2025-01-19","basis":"internal_consistency","confidence":"high"}}"#,
            r(arrest)
        ),
    )
}

const QUARANTINED: FactStatus = FactStatus::Quarantined {
    code: AnomalyCode::DateOrder,
};

/// Whether the correction is applied to the arrest in `m` (the arrest is then applied, dated
/// 19 January 2025), or not (the arrest is quarantined, dated as published).
fn corrected(m: &Model, arrest: EntryRef) -> bool {
    let f = m.fact(arrest.seq).unwrap();
    let day = LegalDate::Day("2025-01-19".parse().unwrap());
    match &f.status {
        FactStatus::Applied => {
            assert_eq!(f.event.envelope().occurred, Some(&day));
            assert_eq!(f.corrections.len(), 1);
            true
        }
        s => {
            assert_eq!(*s, QUARANTINED);
            assert!(f.corrections.is_empty());
            assert_ne!(f.event.envelope().occurred, Some(&day));
            false
        }
    }
}

fn review_state(m: &Model, at: EntryRef) -> ReviewState {
    m.reviews.iter().find(|r| r.at == at).unwrap().state.clone()
}

#[test]
fn two_person_rule_a_retracted_approval_no_longer_approves() {
    let (mut log, arrest) = misdated_arrest();
    let correction = correct(&mut log, arrest);
    let approval = log.approve(REVIEWER, correction);
    assert!(corrected(&log.now(), arrest));

    // The retraction of the approval, awaiting its own second signature: no effect yet.
    let retraction = log.retract(CLERK, approval);
    let m = log.now();
    assert!(corrected(&m, arrest));
    assert_eq!(review_state(&m, retraction), ReviewState::AwaitingApproval);

    // Approved by its own author: refused on append, and without effect when written anyway.
    let own = obj(&format!(r#"{{"target":{}}}"#, r(retraction)));
    let err = log
        .h
        .check_append(CLERK, NOW, "approval_recorded", &own)
        .unwrap_err();
    assert_eq!(err.code, AnomalyCode::TwoPersonRule);
    let mut forged = log.clone();
    forged.push_unchecked(CLERK, "approval_recorded", &own);
    let m = forged.now();
    assert!(corrected(&m, arrest));
    assert!(
        m.violations
            .iter()
            .any(|v| v.code == AnomalyCode::TwoPersonRule)
    );

    // Approved by another key: the approval is withdrawn, the correction no longer applies.
    let second = log.approve(REVIEWER, retraction);
    let m = log.now();
    assert!(!corrected(&m, arrest));
    assert_eq!(review_state(&m, retraction), ReviewState::Applied);
    assert_eq!(review_state(&m, correction), ReviewState::AwaitingApproval);
    assert_eq!(
        m.fact(approval.seq).map(|f| &f.status),
        Some(&FactStatus::Review)
    );
    assert!(m.violations.is_empty(), "{:#?}", m.violations);

    // As recorded at each entry.
    assert!(!corrected(&log.at(correction.seq), arrest));
    assert!(corrected(&log.at(approval.seq), arrest));
    assert!(corrected(&log.at(retraction.seq), arrest));
    assert!(!corrected(&log.at(second.seq), arrest));
    // As published: never corrected.
    let published = log.h.view(ViewOptions {
        as_published: true,
        ..ViewOptions::default()
    });
    assert!(!corrected(&published, arrest));
}

#[test]
fn two_person_rule_another_approval_still_in_force_keeps_the_correction() {
    let (mut log, arrest) = misdated_arrest();
    let correction = correct(&mut log, arrest);
    let first = log.approve(REVIEWER, correction);
    log.approve(SECOND, correction);
    let retraction = log.retract(CLERK, first);
    log.approve(REVIEWER, retraction);
    let m = log.now();
    assert!(corrected(&m, arrest));
    let f = m.fact(arrest.seq).unwrap();
    assert_ne!(f.corrections[0].approved_by, first);
}

#[test]
fn two_person_rule_retracting_the_retraction_of_an_approval_restores_it() {
    let (mut log, arrest) = misdated_arrest();
    let correction = correct(&mut log, arrest);
    let approval = log.approve(REVIEWER, correction);
    let retraction = log.retract(CLERK, approval);
    let approved = log.approve(REVIEWER, retraction);
    assert!(!corrected(&log.now(), arrest));

    let undo = log.retract(CLERK, retraction);
    // Awaiting approval: the approval stays withdrawn.
    assert!(!corrected(&log.now(), arrest));
    let undo_approved = log.approve(SECOND, undo);
    let m = log.now();
    assert!(corrected(&m, arrest));
    assert_eq!(review_state(&m, retraction), ReviewState::Retracted);
    assert_eq!(review_state(&m, undo), ReviewState::Applied);
    assert_eq!(review_state(&m, correction), ReviewState::Applied);
    assert_eq!(
        m.fact(arrest.seq).unwrap().corrections[0].approved_by,
        approval
    );
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    // Every level, as recorded.
    assert!(corrected(&log.at(approval.seq), arrest));
    assert!(!corrected(&log.at(approved.seq), arrest));
    assert!(!corrected(&log.at(undo.seq), arrest));
    assert!(corrected(&log.at(undo_approved.seq), arrest));
}

#[test]
fn two_person_rule_retracting_a_retraction_restores_the_fact() {
    let (mut log, arrest) = misdated_arrest();
    let correction = correct(&mut log, arrest);
    log.approve(REVIEWER, correction);
    let release = log.append(
        CLERK,
        "person_released_without_surrender",
        r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-21","expelled_to":"LBY"}"#,
    );
    let retraction = log.retract(CLERK, release);
    log.approve(REVIEWER, retraction);
    let m = log.now();
    assert_eq!(
        m.fact(release.seq).unwrap().status,
        FactStatus::Retracted { by: retraction }
    );
    let undo = log.retract(CLERK, retraction);
    log.approve(REVIEWER, undo);
    let m = log.now();
    assert_eq!(m.fact(release.seq).unwrap().status, FactStatus::Applied);
    assert_eq!(
        m.persons[&"njeem-osama-elmasry".parse().unwrap()]
            .releases
            .len(),
        1
    );
    // The entry may be retracted again (the first retraction is no longer in force).
    let again = log.retract(CLERK, release);
    log.approve(REVIEWER, again);
    assert_eq!(
        log.now().fact(release.seq).unwrap().status,
        FactStatus::Retracted { by: again }
    );
}

#[test]
fn two_person_rule_a_second_retraction_in_force_is_already_retracted() {
    let (mut log, arrest) = misdated_arrest();
    let retraction = log.retract(CLERK, arrest);
    log.approve(REVIEWER, retraction);
    let twice = obj(&format!(
        r#"{{"target":{},"reason":"entered_in_error"}}"#,
        r(arrest)
    ));
    let err = log
        .h
        .check_append(CLERK, NOW, "event_retracted", &twice)
        .unwrap_err();
    assert_eq!(err.code, AnomalyCode::AlreadyRetracted);
}

/// One link of a chain of retractions: whether it is approved by another key, by its own
/// author, or not at all.
#[derive(Debug, Clone, Copy)]
enum Approval {
    Other,
    Own,
    None,
}

fn approval() -> impl Strategy<Value = Approval> {
    prop_oneof![
        3 => Just(Approval::Other),
        1 => Just(Approval::Own),
        1 => Just(Approval::None),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A chain "retract the fact, retract that retraction, …", each link approved or not:
    /// the fact is withdrawn exactly when the first link is in force, and a link is in force
    /// when approved by another key and the next link is not in force (the reference resolves
    /// from the last link back). Every view as recorded at every seq agrees with the reference
    /// applied to the links recorded by then.
    #[test]
    fn two_person_rule_chains_of_retractions_resolve_from_the_last(
        links in proptest::collection::vec(approval(), 1..7)
    ) {
        let (mut log, arrest) = misdated_arrest();
        let mut target = arrest;
        // After each entry: (seq, the approvals of the links recorded so far).
        let mut checkpoints: Vec<(u64, Vec<Approval>)> = Vec::new();
        let mut recorded: Vec<(EntryRef, Approval)> = Vec::new();
        for a in &links {
            let retraction = log.push_unchecked(
                CLERK,
                "event_retracted",
                &obj(&format!(r#"{{"target":{},"reason":"entered_in_error"}}"#, r(target))),
            );
            recorded.push((retraction, Approval::None));
            checkpoints.push((retraction.seq, recorded.iter().map(|x| x.1).collect()));
            let by = match a {
                Approval::Other => Some(REVIEWER),
                Approval::Own => Some(CLERK),
                Approval::None => None,
            };
            if let Some(by) = by {
                let at = log.push_unchecked(
                    by,
                    "approval_recorded",
                    &obj(&format!(r#"{{"target":{}}}"#, r(retraction))),
                );
                if let Some(last) = recorded.last_mut() {
                    last.1 = *a;
                }
                checkpoints.push((at.seq, recorded.iter().map(|x| x.1).collect()));
            }
            target = retraction;
        }
        for (seq, approvals) in checkpoints {
            // Reference: resolve from the last link back.
            let mut next_in_force = false;
            for a in approvals.iter().rev() {
                next_in_force = matches!(a, Approval::Other) && !next_in_force;
            }
            let m = log.at(seq);
            let status = &m.fact(arrest.seq).unwrap().status;
            if next_in_force {
                prop_assert_eq!(status, &FactStatus::Retracted { by: recorded[0].0 });
            } else {
                prop_assert_eq!(status, &QUARANTINED);
            }
        }
    }
}
