//! Sealed-warrant commitments and the signer-role suggestions.

use super::examples::obj;
use acta_core::json::{Value, to_canonical};
use acta_domain::seal::{
    Reveal, Salt, SealError, SealedWarrantContent, canonical_content, check_commitment,
    check_reveal, commitment,
};
use acta_domain::{Event, SignerRole, decode, known_types};

fn content() -> SealedWarrantContent {
    serde_json::from_str(
        r#"{"person":"njeem-osama-elmasry","situation":"ICC-01/11","chamber":"PTC-I",
            "doc_ref":"ICC-01/11-208","vote":"majority",
            "crimes":["crimes_against_humanity","war_crimes"]}"#,
    )
    .unwrap()
}

fn salt() -> Salt {
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
        .parse()
        .unwrap()
}

#[test]
fn commitment_is_sha256_of_context_salt_and_canonical_content() {
    use sha2::Digest;
    let c = content();
    let bytes = canonical_content(&c).unwrap();
    assert_eq!(
        String::from_utf8(bytes.clone()).unwrap(),
        r#"{"chamber":"PTC-I","crimes":["crimes_against_humanity","war_crimes"],"doc_ref":"ICC-01/11-208","person":"njeem-osama-elmasry","situation":"ICC-01/11","vote":"majority"}"#
    );
    let mut h = sha2::Sha256::new();
    h.update(b"acta/icc-noncooperation/v1 sealed warrant\n");
    h.update(salt().as_bytes());
    h.update(&bytes);
    let want: [u8; 32] = h.finalize().into();
    assert_eq!(commitment(&salt(), &c).unwrap().0, want);
    // An independent computation (Python hashlib) gave this value.
    insta::assert_snapshot!(commitment(&salt(), &c).unwrap().to_string(), @"0b765436a6ee8be9715b4bf282a7ba31f60466818c77456b1f586a1cf69507f2");
}

#[test]
fn the_right_salt_and_content_open_the_commitment_and_any_change_does_not() {
    let c = content();
    let commit = commitment(&salt(), &c).unwrap();
    check_commitment(&commit, &salt(), &c).unwrap();

    // Every single-bit change of the salt.
    for i in 0..32 {
        for bit in 0..8 {
            let mut bytes = salt().as_bytes().to_vec();
            bytes[i] ^= 1 << bit;
            let s = Salt::new(bytes).unwrap();
            assert!(matches!(
                check_commitment(&commit, &s, &c),
                Err(SealError::Mismatch { .. })
            ));
        }
    }
    // A longer or shorter salt.
    let mut longer = salt().as_bytes().to_vec();
    longer.push(0);
    assert!(check_commitment(&commit, &Salt::new(longer).unwrap(), &c).is_err());
    let shorter = salt().as_bytes()[..31].to_vec();
    assert!(check_commitment(&commit, &Salt::new(shorter).unwrap(), &c).is_err());

    // Every change of the content.
    let changes: Vec<SealedWarrantContent> = vec![
        SealedWarrantContent {
            person: "njeem-osama".parse().unwrap(),
            ..c.clone()
        },
        SealedWarrantContent {
            situation: "ICC-01/18".parse().unwrap(),
            ..c.clone()
        },
        SealedWarrantContent {
            chamber: "PTC-II".parse().unwrap(),
            ..c.clone()
        },
        SealedWarrantContent {
            doc_ref: None,
            ..c.clone()
        },
        SealedWarrantContent {
            doc_ref: Some("ICC-01/11-208-Red".parse().unwrap()),
            ..c.clone()
        },
        SealedWarrantContent {
            vote: None,
            ..c.clone()
        },
        SealedWarrantContent {
            case_id: Some("ICC-01/11-01/25".parse().unwrap()),
            ..c.clone()
        },
        SealedWarrantContent {
            crimes: vec![],
            ..c.clone()
        },
        SealedWarrantContent {
            crimes: c.crimes.iter().rev().copied().collect(),
            ..c.clone()
        },
    ];
    for changed in changes {
        assert_ne!(changed, c);
        assert!(
            check_commitment(&commit, &salt(), &changed).is_err(),
            "{changed:?}"
        );
    }
    // Any other commitment.
    let mut other = commit;
    other.0[31] ^= 1;
    assert!(check_commitment(&other, &salt(), &c).is_err());
}

#[test]
fn sealed_warrant_through_events() {
    let c = content();
    let commit = commitment(&salt(), &c).unwrap();
    let issued = obj(&format!(
        r#"{{"warrant_id":"njeem-2025","commitment":"{commit}","occurred":"2025-01-18"}}"#
    ));
    let Event::ArrestWarrantIssuedUnderSeal(issued) =
        decode("arrest_warrant_issued_under_seal", &issued).unwrap()
    else {
        panic!()
    };
    // The log holds no content, only the commitment.
    let reveal = Reveal {
        content: c.clone(),
        salt: salt(),
    };
    let reveal_json = serde_json::to_string(&reveal).unwrap();
    let unsealed = obj(&format!(
        r#"{{"warrant_id":"njeem-2025","new_visibility":"public","occurred":"2025-05-15","revealed":{reveal_json}}}"#
    ));
    let Event::ArrestWarrantUnsealed(unsealed) =
        decode("arrest_warrant_unsealed", &unsealed).unwrap()
    else {
        panic!()
    };
    let revealed = unsealed.revealed.unwrap();
    check_reveal(&issued.commitment, &revealed).unwrap();
    // The revealed content, as stored, is exactly the canonical content that was committed to.
    let Value::Object(stored) = obj(&format!(
        r#"{{"c":{}}}"#,
        serde_json::to_string(&c).unwrap()
    ))
    .get("c")
    .unwrap()
    .clone() else {
        panic!()
    };
    assert_eq!(
        to_canonical(&Value::Object(stored)),
        canonical_content(&c).unwrap()
    );
    // A tampered reveal is refused.
    let tampered = Reveal {
        content: SealedWarrantContent {
            chamber: "PTC-II".parse().unwrap(),
            ..revealed.content
        },
        salt: revealed.salt,
    };
    assert!(check_reveal(&issued.commitment, &tampered).is_err());
}

#[test]
fn salts() {
    for bad in [
        "",
        "00",
        &"0".repeat(30),
        &"0".repeat(130),
        &"A".repeat(32),
        &"0".repeat(33),
        "zz",
    ] {
        assert!(bad.parse::<Salt>().is_err(), "{bad}");
    }
    let s: Salt = "ab".repeat(16).parse().unwrap();
    assert_eq!(s.to_string(), "ab".repeat(16));
    let e = acta_domain::validate(
        "arrest_warrant_unsealed",
        &obj(r#"{"warrant_id":"w","new_visibility":"public","occurred":"2025","revealed":{"content":{"person":"p","situation":"ICC-01/11","chamber":"PTC-I"},"salt":"00"}}"#),
    )
    .unwrap_err();
    assert_eq!(e.path(), Some("data.revealed.salt"));
    let e = acta_domain::validate(
        "arrest_warrant_unsealed",
        &obj(r#"{"warrant_id":"w","new_visibility":"public","occurred":"2025","revealed":{"content":{"person":"p","situation":"ICC-01/11","chamber":"PTC-I","name":"X"},"salt":"00"}}"#),
    )
    .unwrap_err();
    assert_eq!(e.path(), Some("data.revealed.content.name"));
}

#[test]
fn roles_are_exact_known_types() {
    for role in SignerRole::ALL {
        assert_eq!(role.to_string().parse::<SignerRole>().unwrap(), role);
        let types = role.types();
        assert!(!types.is_empty(), "{role}");
        let roles = role.roles().unwrap();
        for t in &types {
            assert!(
                known_types().contains(t) || t.starts_with("acta.key."),
                "{role}: {t}"
            );
            assert!(roles.allows(t));
        }
        for t in known_types() {
            assert_eq!(roles.allows(t), types.contains(t), "{role}: {t}");
        }
        assert!(!roles.allows("acta.genesis"));
    }
    assert!("clerk".parse::<SignerRole>().is_err());

    let clerk = SignerRole::CourtClerk.types();
    let asp = SignerRole::AspSecretariat.types();
    let state = SignerRole::StateLiaison.types();
    let transcriber = SignerRole::Transcriber.types();
    let reviewer = SignerRole::Reviewer.types();
    let admin = SignerRole::KeyAdmin.types();
    for t in [
        "arrest_warrant_issued",
        "non_compliance_decision_issued",
        "referral_transmitted",
        "procedural_request_decided",
        "prosecutor_unsc_briefing_delivered",
    ] {
        assert!(clerk.contains(&t) && !asp.contains(&t), "{t}");
    }
    for t in [
        "asp_president_letter_sent",
        "bureau_considered_referral",
        "focal_points_activated",
        "asp_plenary_scheduled",
    ] {
        assert!(asp.contains(&t) && !clerk.contains(&t), "{t}");
    }
    for t in [
        "person_arrested",
        "person_released_without_surrender",
        "state_observations_submitted",
        "withdrawal_notified",
        "article_97_consultation_requested",
    ] {
        assert!(state.contains(&t), "{t}");
    }
    assert!(clerk.contains(&"public_statement_issued") && asp.contains(&"public_statement_issued"));
    // The transcriber records anything but approvals and checkpoints.
    let mut rest: Vec<&str> = known_types().to_vec();
    rest.retain(|t| !transcriber.contains(t));
    assert_eq!(rest, ["checkpoint_signed", "approval_recorded"]);
    assert_eq!(
        reviewer,
        [
            "anomaly_flagged",
            "correction_recorded",
            "event_retracted",
            "approval_recorded"
        ]
    );
    assert_eq!(
        admin,
        ["acta.key.add", "acta.key.revoke", "checkpoint_signed"]
    );
    // Types only a transcriber records: facts from sources with no recording organ here.
    let others = [&clerk, &asp, &state, &reviewer, &admin];
    let only_transcribed: Vec<&str> = known_types()
        .iter()
        .copied()
        .filter(|t| !others.iter().any(|l| l.contains(t)))
        .collect();
    assert_eq!(
        only_transcribed,
        [
            "unsc_referral_recorded",
            "withdrawal_took_effect",
            "prior_fact_asserted",
            "context_fact_recorded",
            "travel_information_received",
            "wanted_person_visit_recorded",
            "unsc_action_recorded",
        ]
    );
}
