//! The seed fixture: `seed/non-cooperation.log`, the ASP "Report of the Bureau on
//! non-cooperation" (24th session, distributed 26 November 2025, job number 33-E-261125)
//! transcribed into an `icc-noncooperation/v1` log with the real [`LogWriter`].
//!
//! Every dated event of the report (the 48 rows of `seed-events.md` §1) is recorded, with the
//! reference data a report needs (situations, persons, opening balances, the Assembly
//! resolutions), and the report's own errors are recorded as published and then flagged or
//! corrected by appending (`seed-events.md` §3-§4). [`ROWS`] says which entries record each
//! row. Every entry's `data` is checked with [`acta_domain::decode`] before it is signed.
//!
//! The authors are TEST-ONLY keys ([`crate::test_key`]), each with exactly the roles of one
//! [`SignerRole`] ([`SEED_AUTHORS`]); the genesis key, [`SEED_OPERATOR`], is the trust anchor.
//! `recorded_at` of entry `seq` is [`crate::clock`]`(seq)`: the report's date.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use acta_core::json::{Object, Profile, Value as CoreValue, parse};
use acta_core::keyring::{KEY_ADD_TYPE, key_add_data};
use acta_core::{EntryHash, Genesis, SigningKey};
use acta_domain::SignerRole;
use acta_store::{FileStore, LogWriter};
use anyhow::{Context as _, bail};
use serde_json::{Value, json};

use crate::{clock, test_key};

/// The seed log, relative to the fixtures directory.
pub const SEED_LOG: &str = "seed/non-cooperation.log";
/// The seed log's trust anchor: the seed operator's verifier key and a newline.
pub const SEED_VKEY: &str = "seed/operator.vkey";
/// The seed log's head: `SEQ:HASH` of its last entry and a newline.
pub const SEED_HEAD: &str = "seed/non-cooperation.head";
/// The seed log's origin (test-only).
pub const SEED_ORIGIN: &str = "example.org/acta-seed";

/// Signs the genesis (roles: key administration); the trust anchor.
pub const SEED_OPERATOR: &str = "test-only-seed-operator";
/// Records Court-side events (Chambers, Presidency, Registry, Plenary, OTP).
pub const ICC_REGISTRY: &str = "test-only-icc-registry";
/// Records Assembly-side events (President, Bureau, focal points, sessions, resolutions).
pub const ASP_SECRETARIAT: &str = "test-only-asp-secretariat";
/// Records States' acts, reference facts, opening balances, anything recorded with an
/// acknowledged anomaly, and the anomaly flags and corrections.
pub const TRANSCRIBER: &str = "test-only-transcriber";
/// Approves corrections (the second person of the two-person rule).
pub const REVIEWER: &str = "test-only-reviewer";

/// The seed log's keys and the role each has (its acta roles are exactly
/// [`SignerRole::roles`]). The first is the genesis key.
pub const SEED_AUTHORS: [(&str, SignerRole); 5] = [
    (SEED_OPERATOR, SignerRole::KeyAdmin),
    (ICC_REGISTRY, SignerRole::CourtClerk),
    (ASP_SECRETARIAT, SignerRole::AspSecretariat),
    (TRANSCRIBER, SignerRole::Transcriber),
    (REVIEWER, SignerRole::Reviewer),
];

/// The seed report as a document reference.
const SEED_DOC: &str = "job:33-E-261125";

/// Each row of `seed-events.md` §1 and the entries that record it: `(type, label)` pairs,
/// where the label names an entry of [`SeedLog::entries`].
pub const ROWS: [(u32, &[(&str, &str)]); 48] = [
    (1, &[("unsc_referral_recorded", "unsc-1593")]),
    (2, &[("unsc_referral_recorded", "unsc-1970")]),
    (3, &[("source_document_registered", "un-guidance-2013")]),
    (4, &[("context_fact_recorded", "sudan-conflict")]),
    (
        5,
        &[
            ("bureau_meeting_held", "bureau-2024-3"),
            ("focal_point_appointed", "fp-mex"),
            ("focal_point_appointed", "fp-sle"),
            ("focal_point_appointed", "fp-vut"),
        ],
    ),
    (
        6,
        &[
            ("bureau_took_note", "bureau-took-note-mng"),
            ("court_informed_asp", "court-informed-asp-mng"),
            ("anomaly_flagged", "a1-flag"),
            ("correction_recorded", "a1-correction"),
            ("approval_recorded", "a1-approval"),
            ("anomaly_flagged", "a2-flag"),
        ],
    ),
    (
        7,
        &[
            ("bureau_meeting_held", "bureau-2024-5"),
            ("focal_point_appointed", "fp-pol"),
            ("anomaly_flagged", "a4-flag-meeting"),
            ("anomaly_flagged", "a4-flag-appointment"),
        ],
    ),
    (8, &[("non_compliance_decision_issued", "mng-finding")]),
    (
        9,
        &[
            ("procedural_request_filed", "mng-disqualification-filed"),
            ("procedural_request_filed", "mng-temporary-stay-filed"),
            ("procedural_request_filed", "mng-leave-to-appeal-filed"),
        ],
    ),
    (
        10,
        &[
            ("procedural_request_decided", "mng-leave-to-appeal-decided"),
            ("procedural_request_decided", "mng-temporary-stay-decided"),
            ("procedural_request_decided", "mng-disqualification-decided"),
            ("anomaly_flagged", "a5-flag-leave-to-appeal"),
            ("anomaly_flagged", "a5-flag-temporary-stay"),
            ("anomaly_flagged", "a5-flag-disqualification"),
            ("anomaly_flagged", "a6-flag"),
        ],
    ),
    (
        11,
        &[
            ("procedural_request_filed", "mng-reconsideration-filed"),
            (
                "procedural_request_filed",
                "mng-partial-reconsideration-filed",
            ),
        ],
    ),
    (
        12,
        &[
            ("bureau_meeting_held", "bureau-2025-2"),
            ("mandate_allocated", "mandate-2025"),
            ("focal_point_mandate_confirmed", "fp-confirmed-2025"),
            ("asp_president_term_recorded", "president-kaukoranta"),
        ],
    ),
    (13, &[("arrest_warrant_issued", "njeem-warrant-issued")]),
    (14, &[("person_arrested", "njeem-arrested")]),
    (
        15,
        &[("person_released_without_surrender", "njeem-released")],
    ),
    (16, &[("prosecutor_unsc_briefing_delivered", "otp-1593-40")]),
    (
        17,
        &[(
            "procedural_request_decided",
            "mng-partial-reconsideration-decided",
        )],
    ),
    (
        18,
        &[("focal_points_meeting_held", "fp-meeting-2025-03-10")],
    ),
    (
        19,
        &[("procedural_request_decided", "mng-reconsideration-decided")],
    ),
    (20, &[("asp_president_letter_sent", "letter-hun-sent")]),
    (
        21,
        &[("focal_points_meeting_held", "fp-meeting-2025-04-01")],
    ),
    (22, &[("focal_points_communication_issued", "fp-alert-hun")]),
    (23, &[("wanted_person_visit_recorded", "visit-hun")]),
    (
        24,
        &[("asp_president_letter_published", "letter-hun-published")],
    ),
    (
        25,
        &[("focal_points_meeting_held", "fp-meeting-2025-04-29")],
    ),
    (26, &[("arrest_warrant_unsealed", "njeem-warrant-unsealed")]),
    (27, &[("prosecutor_unsc_briefing_delivered", "otp-1970-29")]),
    (
        28,
        &[("focal_points_meeting_held", "fp-meeting-2025-06-10")],
    ),
    (
        29,
        &[("focal_points_meeting_held", "fp-meeting-2025-07-03")],
    ),
    (30, &[("prosecutor_unsc_briefing_delivered", "otp-1593-41")]),
    (
        31,
        &[("non_compliance_proceeding_opened", "hun-proceeding")],
    ),
    (32, &[("non_compliance_decision_issued", "hun-finding")]),
    (
        33,
        &[
            ("referral_transmitted", "hun-transmitted"),
            ("asp_matter_opened", "hun-asp-matter-opened"),
        ],
    ),
    (
        34,
        &[
            ("bureau_meeting_held", "bureau-2025-13"),
            ("bureau_considered_referral", "hun-considered"),
            ("anomaly_flagged", "a3-flag-meeting"),
            ("anomaly_flagged", "a3-flag-considered"),
        ],
    ),
    (
        35,
        &[("focal_points_meeting_held", "fp-meeting-2025-09-03")],
    ),
    (
        36,
        &[("focal_points_meeting_held", "fp-meeting-2025-09-08")],
    ),
    (
        37,
        &[("focal_points_communication_issued", "fp-message-unga")],
    ),
    (38, &[("asp_president_letter_sent", "letter-tjk-sent")]),
    (39, &[("focal_points_activated", "fp-activated-tjk")]),
    (40, &[("wanted_person_visit_recorded", "visit-tjk")]),
    (
        41,
        &[("asp_president_letter_published", "letter-tjk-published")],
    ),
    (
        42,
        &[("non_compliance_proceeding_opened", "ita-proceeding")],
    ),
    (
        43,
        &[
            ("non_compliance_decision_issued", "ita-decision"),
            ("state_observations_invited", "ita-observations-invited"),
        ],
    ),
    (
        44,
        &[("focal_points_meeting_held", "fp-meeting-2025-10-21")],
    ),
    (
        45,
        &[("state_observations_submitted", "ita-observations-submitted")],
    ),
    (46, &[("bureau_report_issued", "report-2025")]),
    (47, &[("asp_session_recorded", "asp-session-24")]),
    (48, &[("asp_plenary_scheduled", "asp-plenary-2025-12-03")]),
];

/// One entry of the seed log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedEntry {
    /// Its seq.
    pub seq: u64,
    /// Its entry hash.
    pub hash: EntryHash,
    /// The generator's name for it (unique; [`ROWS`] uses it).
    pub label: &'static str,
    /// Its type.
    pub entry_type: &'static str,
    /// The name of the key that signed it.
    pub author: &'static str,
}

/// The seed log as written: its bytes and what each entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedLog {
    /// The log file's bytes.
    pub bytes: Vec<u8>,
    /// Every entry, in seq order (the genesis included, label `genesis`).
    pub entries: Vec<SeedEntry>,
}

impl SeedLog {
    /// The entry labelled `label`.
    pub fn entry(&self, label: &str) -> Option<&SeedEntry> {
        self.entries.iter().find(|e| e.label == label)
    }

    /// The operator's verifier key, as `seed/operator.vkey` holds it (with a newline).
    pub fn vkey_text() -> anyhow::Result<String> {
        Ok(format!("{}\n", test_key(SEED_OPERATOR)?.verifier()))
    }

    /// The head, as `seed/non-cooperation.head` holds it: `SEQ:HASH` and a newline.
    pub fn head_text(&self) -> anyhow::Result<String> {
        let last = self.entries.last().context("the seed log has entries")?;
        Ok(format!("{}:{}\n", last.seq, last.hash))
    }
}

/// A [`LogWriter`] that checks each entry with `acta_domain::decode`, signs it with the named
/// key at [`clock`]`(seq)`, and remembers its label.
struct Writer {
    log: LogWriter<FileStore>,
    keys: BTreeMap<&'static str, SigningKey>,
    entries: Vec<SeedEntry>,
}

impl Writer {
    fn key(&self, name: &str) -> anyhow::Result<&SigningKey> {
        self.keys
            .get(name)
            .with_context(|| format!("no seed key named {name}"))
    }

    /// Appends `data` as an entry of `entry_type` signed by `author`; returns its
    /// `{"seq":…,"hash":…}` reference.
    fn push(
        &mut self,
        author: &'static str,
        label: &'static str,
        entry_type: &'static str,
        data: Value,
    ) -> anyhow::Result<Value> {
        if self.entries.iter().any(|e| e.label == label) {
            bail!("seed label {label:?} is used twice");
        }
        let text = serde_json::to_vec(&data)?;
        let object = match parse(&text, Profile::Entry) {
            Ok(CoreValue::Object(o)) => o,
            Ok(_) => bail!("seed entry {label}: data is not a JSON object"),
            Err(e) => bail!("seed entry {label}: data is not entry JSON: {e}"),
        };
        if !entry_type.starts_with(acta_core::keyring::SYSTEM_PREFIX) {
            acta_domain::decode(entry_type, &object)
                .with_context(|| format!("seed entry {label} ({entry_type}) is not valid"))?;
        }
        self.append(author, label, entry_type, &object)
    }

    fn append(
        &mut self,
        author: &'static str,
        label: &'static str,
        entry_type: &'static str,
        data: &Object,
    ) -> anyhow::Result<Value> {
        let seq = self.log.chain().next_seq();
        let key = self.key(author)?.clone();
        let head = self
            .log
            .append(&key, entry_type, data, clock(seq))
            .with_context(|| format!("appending seed entry {label} ({entry_type})"))?;
        if head.seq != seq {
            bail!("seed entry {label} got seq {} instead of {seq}", head.seq);
        }
        self.entries.push(SeedEntry {
            seq,
            hash: head.hash,
            label,
            entry_type,
            author,
        });
        Ok(json!({"seq": seq, "hash": head.hash.to_string()}))
    }
}

/// A `SourceRef` into the seed report: a paragraph (`""`: none), a footnote (`0`: none) and the
/// words as published (`""`: none).
fn seed(para: &str, footnote: u32, published_text: &str) -> Value {
    let mut s = json!({"doc": SEED_DOC});
    if !para.is_empty() {
        s["para"] = json!(para);
    }
    if footnote != 0 {
        s["footnote"] = json!(footnote);
    }
    if !published_text.is_empty() {
        s["published_text"] = json!(published_text);
    }
    s
}

/// A `SourceRef` to a footnote of an annex of the seed report.
fn seed_annex(annex: &str, footnote: u32, published_text: &str) -> Value {
    json!({"doc": SEED_DOC, "annex": annex, "footnote": footnote, "published_text": published_text})
}

/// `provenance` of a fact inferred by `rule` from the entries `from`.
fn inferred(rule: &str, from: &[&Value]) -> Value {
    if from.is_empty() {
        json!({"inferred": {"rule": rule}})
    } else {
        json!({"inferred": {"rule": rule, "from": from}})
    }
}

/// Writes the seed log at `path` (which must not exist) with the real [`LogWriter`].
pub fn write_seed_log(path: &Path) -> anyhow::Result<SeedLog> {
    let mut keys = BTreeMap::new();
    for (name, _) in SEED_AUTHORS {
        keys.insert(name, test_key(name)?);
    }
    let operator = keys.get(SEED_OPERATOR).context("the operator key")?.clone();
    let op_roles = SignerRole::KeyAdmin
        .roles()
        .map_err(|e| anyhow::anyhow!("key admin roles: {e}"))?;
    let genesis = Genesis {
        origin: SEED_ORIGIN.to_owned(),
        keys: vec![(operator.verifier(), op_roles)],
        domain: Some(acta_domain::DOMAIN.to_owned()),
    };
    // Every entry is checked by the domain's rules as the CLI checks it (no snapshot: the
    // history is kept in memory between appends).
    let log = LogWriter::create(path, &genesis, &operator, clock(0))?
        .with_append_check(acta_domain::append::DomainCheck::new(&operator))?;
    let genesis_hash = log.head().hash;
    let mut w = Writer {
        log,
        keys,
        entries: vec![SeedEntry {
            seq: 0,
            hash: genesis_hash,
            label: "genesis",
            entry_type: acta_core::keyring::GENESIS_TYPE,
            author: SEED_OPERATOR,
        }],
    };
    let labels = [
        "key-icc-registry",
        "key-asp-secretariat",
        "key-transcriber",
        "key-reviewer",
    ];
    for (label, (name, role)) in labels.into_iter().zip(SEED_AUTHORS.into_iter().skip(1)) {
        let roles = role
            .roles()
            .map_err(|e| anyhow::anyhow!("{role} roles: {e}"))?;
        let data = key_add_data(&w.key(name)?.verifier(), &roles);
        w.append(SEED_OPERATOR, label, KEY_ADD_TYPE, &data)?;
    }
    reference_data(&mut w)?;
    events(&mut w)?;
    drop(w.log);
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(SeedLog {
        bytes,
        entries: w.entries,
    })
}

/// Writes the seed log in a scratch directory and returns it.
pub fn build_seed_log() -> anyhow::Result<SeedLog> {
    let scratch = tempfile::tempdir().context("creating a scratch directory")?;
    let log = write_seed_log(&scratch.path().join("non-cooperation.log"))?;
    scratch.close().context("removing the scratch directory")?;
    Ok(log)
}

/// Situations, persons, opening balances and the Assembly's earlier resolutions and documents.
fn reference_data(w: &mut Writer) -> anyhow::Result<()> {
    const T: &str = TRANSCRIBER;
    const S: &str = ASP_SECRETARIAT;

    // Situations: reference data, sourced to the seed where it names them (the situation ids
    // are the prefixes of the record numbers it cites).
    w.push(T, "situation-darfur", "situation_registered", json!({
        "situation": "ICC-02/05", "name": "Darfur, Sudan", "occurred": "unknown",
        "referral": "unsc_referral", "unsc_resolution": "S/RES/1593 (2005)",
        "sources": [seed("28", 32, "Pursuant to Security Council resolution 1593 (2005), \"the Government of Sudan and all other parties to the conflict in Darfur, shall cooperate fully with and provide any necessary assistance to the Court and the Prosecutor.\""),
                    seed("42", 0, "the Prosecutor appealed to the Council to give increased attention to the Darfur situation")],
    }))?;
    w.push(T, "situation-libya", "situation_registered", json!({
        "situation": "ICC-01/11", "name": "Libya", "occurred": "unknown",
        "referral": "unsc_referral", "unsc_resolution": "S/RES/1970 (2011)",
        "sources": [seed("25", 0, "In relation to the Situation in Libya"),
                    seed("29", 0, "Pursuant to Security Council resolution 1970 (2011), the Libyan authorities shall cooperate fully with and provide any necessary assistance to the Court and the Prosecutor.")],
        "note": "Situation id from the record numbers ICC-01/11-208 and ICC-01/11-209 (fn 28, 29).",
    }))?;
    w.push(T, "situation-palestine", "situation_registered", json!({
        "situation": "ICC-01/18", "name": "State of Palestine", "occurred": "unknown",
        "sources": [seed("21", 0, "In relation to the Situation in the State of Palestine")],
        "note": "Situation id from the record number ICC-01/18-462 (Annex I fn 5); how the situation came before the Court is not stated in the seed.",
    }))?;
    w.push(T, "situation-ukraine", "situation_registered", json!({
        "situation": "ICC-01/22", "name": "Ukraine", "occurred": "unknown",
        "sources": [seed("20", 0, "In relation to the Situation in Ukraine")],
        "note": "Situation id from the record numbers ICC-01/22-90 to ICC-01/22-123 (fn 23-27); how the situation came before the Court is not stated in the seed.",
    }))?;

    // Persons.
    w.push(
        T,
        "person-njeem",
        "person_registered",
        json!({
            "person": "njeem-osama-elmasry", "primary_name": "Osama Elmasry Njeem",
            "aliases": ["Almasri", "Osama Almasri Njeem"], "nationality": "LBY", "kind": "subject",
            "sources": [seed("25", 28, "a Warrant of Arrest for Osama Elmasry Njeem")],
            "provenance": {"external": {"doc": "url:https://www.icc-cpi.int/libya"}},
            "confidence": "high",
            "note": "The name is the seed's; the aliases and the nationality are not in the seed.",
        }),
    )?;
    w.push(
        T,
        "person-netanyahu",
        "person_registered",
        json!({
            "person": "netanyahu-benjamin", "primary_name": "Benjamin Netanyahu",
            "nationality": "ISR", "kind": "subject", "position": "Prime Minister of Israel",
            "sources": [seed("21", 0, "Prime Minister Benjamin Netanyahu of Israel")],
        }),
    )?;
    w.push(T, "person-putin", "person_registered", json!({
        "person": "putin-vladimir", "primary_name": "Vladimir Putin",
        "nationality": "RUS", "kind": "subject", "position": "President of the Russian Federation",
        "sources": [seed("38", 0, "President Vladimir Putin of Russian Federation")],
    }))?;
    w.push(
        T,
        "person-harun",
        "person_registered",
        json!({
            "person": "harun-ahmed", "primary_name": "Ahmed Harun", "aliases": ["Ahmad Harun"],
            "nationality": "SDN", "kind": "subject",
            "sources": [seed("42", 37, "the transfer of Ahmed Harun")],
            "provenance": {"external": {"doc": "url:https://www.icc-cpi.int/darfur"}},
            "confidence": "high",
            "note": "The name is the seed's; the alias and the nationality are not in the seed.",
        }),
    )?;
    w.push(T, "person-kaukoranta", "person_registered", json!({
        "person": "kaukoranta-paivi", "primary_name": "Päivi Kaukoranta", "nationality": "FIN",
        "kind": "official", "position": "President of the Assembly of States Parties",
        "sources": [seed("15", 0, "The President of the Assembly, Ms Päivi Kaukoranta of Finland, continues to serve ex officio as focal point for her region.")],
    }))?;

    // Opening balances: the warrants the seed presupposes but never dates (not their real
    // dates: only "issued before" the visit), and the States Parties concerned.
    w.push(T, "prior-netanyahu-warrant", "prior_fact_asserted", json!({
        "fact": {"warrant_outstanding": {"warrant_id": "netanyahu-warrant",
            "person": "netanyahu-benjamin", "situation": "ICC-01/18", "issued_before": "2025-04-03"}},
        "occurred": "2025-04-03",
        "sources": [seed("21", 0, "In relation to the Situation in the State of Palestine, during the period covered by this report Prime Minister Benjamin Netanyahu of Israel visited Hungary, a State Party to the Statute, from 3 to 6 April 2025."),
                    seed("22", 0, "the Court's request for arrest and surrender of Benjamin Netanyahu")],
        "provenance": inferred("a request for arrest and surrender presupposes a warrant, issued before the visit it concerns", &[]),
        "confidence": "high",
    }))?;
    w.push(T, "prior-putin-warrant", "prior_fact_asserted", json!({
        "fact": {"warrant_outstanding": {"warrant_id": "putin-warrant",
            "person": "putin-vladimir", "situation": "ICC-01/22", "issued_before": "2025-10-08"}},
        "occurred": "2025-10-08",
        "sources": [seed("38", 0, "From 8 to 10 October, President Vladimir Putin of Russian Federation visited Tajikistan. The focal points on non-cooperation were activated"),
                    seed("39", 0, "noting the obligations of States Parties under articles 86 and 89(1) of the Rome Statute to cooperate fully with the Court and to comply with requests from the Court for arrest and surrender")],
        "provenance": inferred("the focal points are activated and the host State reminded of its duty to arrest and surrender only for a person subject to a warrant; the warrant is in the situation in Ukraine (not stated in the seed)", &[]),
        "confidence": "high",
    }))?;
    let party = |state: &str, as_of: &str, source: Value, rule: Option<&str>| {
        let mut d = json!({
            "fact": {"state_status": {"state": state, "status": "party"}},
            "occurred": as_of, "sources": [source],
        });
        if let Some(rule) = rule {
            d["provenance"] = inferred(rule, &[]);
            d["confidence"] = json!("high");
        }
        d
    };
    w.push(T, "prior-mng-party", "prior_fact_asserted", party("MNG", "2024-10-24",
        seed("20", 0, "In relation to the Situation in Ukraine, and Pre-Trial Chamber II Finding under article 87(7) of the Rome Statute on the non-compliance by Mongolia, on 24 October 2024."),
        Some("reported in Section II, \"Court proceedings and findings: States Parties\", under article 87(7)")))?;
    w.push(T, "prior-ita-party", "prior_fact_asserted", party("ITA", "2025-01-19",
        seed("26", 0, "The Pre-Trial Chamber I was seized, under article 87(7) of the Rome Statute, with the question of whether Italy had failed to comply with the Court's request for arrest and surrender of Osama Elmasry Njeem"),
        Some("reported in Section II, \"Court proceedings and findings: States Parties\", under article 87(7)")))?;
    w.push(
        T,
        "prior-hun-party",
        "prior_fact_asserted",
        party(
            "HUN",
            "2025-03-31",
            seed("21", 0, "Hungary, a State Party to the Statute"),
            None,
        ),
    )?;
    w.push(T, "prior-tjk-party", "prior_fact_asserted", party("TJK", "2025-10-07",
        seed("39", 0, "a letter, dated 7 October 2025, to the Minister of Foreign Affairs of the Republic of Tajikistan, noting the obligations of States Parties under articles 86 and 89(1) of the Rome Statute"),
        Some("the President of the Assembly recalls to Tajikistan the obligations of States Parties")))?;

    // The Procedures and the Toolkit (seed-events.md §2): dates from outside the seed.
    w.push(S, "res-asp-10-5", "asp_resolution_adopted", json!({
        "symbol": "ICC-ASP/10/Res.5", "occurred": "2011-12-21", "attributed_to": "asp:assembly",
        "paragraphs": [{"no": "9", "gist": "adopts the Assembly procedures relating to non-cooperation (annex)"}],
        "sources": [seed("2", 1, "ICC-ASP/10/Res.5, para. 9 and annex, amended via ICC-ASP/11/Res.8, para. 10 and annex I.")],
        "provenance": {"external": {"doc": "ICC-ASP/10/Res.5"}}, "confidence": "high",
        "note": "The seed gives the session only (tenth); the day is the resolution's own.",
    }))?;
    w.push(S, "res-asp-11-8", "asp_resolution_adopted", json!({
        "symbol": "ICC-ASP/11/Res.8", "occurred": "2012", "attributed_to": "asp:assembly",
        "paragraphs": [{"no": "10", "gist": "amends the Assembly procedures relating to non-cooperation (annex I)"}],
        "sources": [seed("", 1, "ICC-ASP/10/Res.5, para. 9 and annex, amended via ICC-ASP/11/Res.8, para. 10 and annex I.")],
        "provenance": {"external": {"doc": "ICC-ASP/11/Res.8"}}, "confidence": "high",
        "note": "The seed gives neither the session's date nor the day; the eleventh session met in 2012.",
    }))?;
    w.push(S, "res-asp-17-5", "asp_resolution_adopted", json!({
        "symbol": "ICC-ASP/17/Res.5", "occurred": "2018-12-12", "attributed_to": "asp:assembly",
        "paragraphs": [{"no": "31", "gist": "adopts the revised Assembly procedures relating to non-cooperation (annex II)"}],
        "sources": [seed("2", 2, "ICC-ASP/17/Res.5, para. 31 and annex II.")],
        "provenance": {"external": {"doc": "ICC-ASP/17/Res.5"}}, "confidence": "high",
        "note": "The seed gives the session only (seventeenth); the day is the resolution's own.",
    }))?;
    w.push(T, "toolkit", "source_document_registered", json!({
        "doc_ref": "ICC-ASP/17/31", "kind": "asp_document", "occurred": "2018",
        "title": "Report of the Bureau on non-cooperation (annex III: Toolkit for the implementation of the informal dimension of the Assembly procedures relating to non-cooperation)",
        "url": "https://asp.icc-cpi.int/sites/asp/files/asp_docs/ASP17/ICC-ASP-17-31-ENG.pdf#page=14",
        "sources": [seed("4", 5, "the Toolkit for the implementation of the informal dimension of the Assembly procedures relating to non-cooperation, which [had been] revised as annex III to ICC-ASP/17/31")],
        "provenance": inferred("a document of the seventeenth session (2018)", &[]),
        "confidence": "high",
    }))?;
    w.push(T, "kampala-declaration", "source_document_registered", json!({
        "doc_ref": "RC/Dec.2", "kind": "other", "occurred": "2010",
        "title": "Declaration on Cooperation (Review Conference, Kampala)",
        "sources": [seed("16", 0, "the Declaration on Cooperation (RC/Dec.2) agreed by States Parties at the Review Conference in Kampala")],
        "provenance": {"external": {"doc": "RC/Dec.2"}}, "confidence": "high",
        "note": "The seed does not date it; the Review Conference met in 2010.",
    }))?;
    w.push(T, "ier-recommendations", "context_fact_recorded", json!({
        "text": "Recommendations R284, R286 and R289 of the Independent Expert Review were allocated to the non-cooperation focal points, in conjunction with the cooperation facilitation (R284, R289), the Office of the Prosecutor (R286, R289) and the Registry (R289).",
        "occurred": "unknown",
        "sources": [seed("18", 0, "recommendations 284, 286 and 289 of the Independent Expert Review (IER) were allocated to the non-cooperation focal points")],
    }))?;
    Ok(())
}

/// The 48 rows of `seed-events.md` §1, in the order a transcriber would record them: by date
/// as published, each entry after the entries it refers to.
fn events(w: &mut Writer) -> anyhow::Result<()> {
    const R: &str = ICC_REGISTRY;
    const S: &str = ASP_SECRETARIAT;
    const T: &str = TRANSCRIBER;
    const V: &str = REVIEWER;

    // Rows 1-4: 2005, 2011, 2013, 2023.
    w.push(
        T,
        "unsc-1593",
        "unsc_referral_recorded",
        json!({
            "resolution": "S/RES/1593 (2005)", "situation": "ICC-02/05", "bound_states": ["SDN"],
            "paragraph": "2", "occurred": "2005", "attributed_to": "un:security-council",
            "sources": [seed("28", 32, "S/RES/1593 (2005), para. 2.")],
        }),
    )?;
    w.push(T, "unsc-1970", "unsc_referral_recorded", json!({
        "resolution": "S/RES/1970 (2011)", "situation": "ICC-01/11", "bound_states": ["LBY"],
        "occurred": "2011", "attributed_to": "un:security-council",
        "sources": [seed("29", 0, "Pursuant to Security Council resolution 1970 (2011), the Libyan authorities shall cooperate fully with and provide any necessary assistance to the Court and the Prosecutor.")],
    }))?;
    w.push(T, "un-guidance-2013", "source_document_registered", json!({
        "doc_ref": "A/67/828-S/2013/210", "kind": "un_document", "occurred": "2013",
        "title": "UN guidance on contacts with persons who are subject to arrest warrants or summons to appear issued by the International Criminal Court",
        "sources": [seed("17", 21, "the 2013 UN guidance on contacts with persons who are subject to arrest warrants or summons to appear issued by the International Criminal Court")],
    }))?;
    w.push(T, "sudan-conflict", "context_fact_recorded", json!({
        "text": "Military conflict erupted in Sudan.", "occurred": "2023-04-15", "states": ["SDN"],
        "sources": [seed("11", 12, "while expressing continued concern about the military conflict that erupted in Sudan on 15 April 2023"),
                    {"doc": "ICC-ASP/23/Res.1", "para": "39"}],
    }))?;

    // Row 5: 6 March 2024.
    let fn19 = seed(
        "15",
        19,
        "Decision of the Bureau of the Assembly of States Parties, 6 March 2024, available at https://asp.icc-cpi.int/sites/default/files/asp_docs/2024-Bureau3-Agenda-Decisions.pdf.",
    );
    w.push(
        S,
        "bureau-2024-3",
        "bureau_meeting_held",
        json!({
            "meeting": "2024-3", "occurred": "2024-03-06", "decisions_doc": "bureau:2024-3",
            "attributed_to": "asp:bureau", "sources": [fn19],
        }),
    )?;
    for (label, state, region) in [
        ("fp-mex", "MEX", "latin_american_and_caribbean"),
        ("fp-sle", "SLE", "african"),
        ("fp-vut", "VUT", "asia_pacific"),
    ] {
        w.push(S, label, "focal_point_appointed", json!({
            "state": state, "region_group": region, "meeting": "2024-3", "occurred": "2024-03-06",
            "attributed_to": "asp:bureau",
            "sources": [seed("15", 0, "namely Mexico, Sierra Leone and Vanuatu, appointed at the Bureau meeting held on 6 March 2024"), fn19],
        }))?;
    }

    // Row 7: 1 May (text) or 8 May (fn 20) 2024, A-4: bounded, flagged, left open.
    let a4_sources = json!([
        seed(
            "15",
            0,
            "and Poland, appointed at the Bureau meeting held on 1 May 2024"
        ),
        seed(
            "15",
            20,
            "Decision of the Bureau of the Assembly of States Parties, 8 May 2024, available at https://asp.icc-cpi.int/sites/default/files/asp_docs/2024-Bureau5-Agenda-Decisions.pdf."
        ),
    ]);
    let a4_date = json!({"not_before": "2024-05-01", "not_after": "2024-05-08"});
    let meeting = w.push(
        S,
        "bureau-2024-5",
        "bureau_meeting_held",
        json!({
            "meeting": "2024-5", "occurred": a4_date, "decisions_doc": "bureau:2024-5",
            "attributed_to": "asp:bureau", "sources": a4_sources,
        }),
    )?;
    w.push(T, "a4-flag-meeting", "anomaly_flagged", json!({
        "target": meeting, "code": "W_SOURCE_INTERNAL_CONFLICT", "field_path": "occurred",
        "explanation": "A-4: the text (para. 15) dates the meeting 1 May 2024, footnote 20 cites the Bureau decision of 8 May 2024 (2024-Bureau5); recorded as a day between the two until the Bureau decision is read.",
    }))?;
    let appointment = w.push(
        T,
        "fp-pol",
        "focal_point_appointed",
        json!({
            "state": "POL", "region_group": "eastern_european", "meeting": "2024-5",
            "occurred": a4_date, "attributed_to": "asp:bureau", "sources": a4_sources,
            "acknowledged_anomalies": ["E_MEETING_DATE_MISMATCH"],
        }),
    )?;
    w.push(T, "a4-flag-appointment", "anomaly_flagged", json!({
        "target": appointment, "code": "E_MEETING_DATE_MISMATCH", "field_path": "occurred",
        "explanation": "A-4: Poland's appointment is dated 1 May 2024 in para. 15, but the Bureau decision it cites (footnote 20, 2024-Bureau5) is dated 8 May 2024; unresolved from the seed.",
    }))?;

    // Row 8: 24 October 2024.
    let mng_finding = w.push(R, "mng-finding", "non_compliance_decision_issued", json!({
        "decision_id": "mng-finding-2024", "proceeding_id": "mng-ukraine-proceeding",
        "state": "MNG", "situation": "ICC-01/22", "chamber": "PTC-II", "doc_ref": "ICC-01/22-90",
        "finding": "non_compliant", "referral": "not_stated", "legal_basis": "art_87_7",
        "title": "Finding under article 87(7) of the Rome Statute on the non-compliance by Mongolia",
        "opens_implicitly": true, "occurred": "2024-10-24", "attributed_to": "court:PTC-II",
        "sources": [seed("20", 23, "In relation to the Situation in Ukraine, and Pre-Trial Chamber II Finding under article 87(7) of the Rome Statute on the non-compliance by Mongolia, on 24 October 2024."),
                    seed("6", 7, "the 24 October 2024 finding on the non-compliance by Mongolia"),
                    seed_annex("I", 4, "ICC-01/22-90, of 24 October 2024 and ICC-01/22-111 of 29 November 2024.")],
        "note": "A-8: para. 20 opens with a verb-less sentence; read as the finding of 24 October 2024. The seed names neither the person concerned nor the referral target.",
    }))?;

    // Row 9: Mongolia's three requests, undated (between the finding and their dismissal).
    let fn25 = "ICC-01/22-113. See also Mongolia's application for disqualification of certain judges (ICC-01/22-92-Anx., pp. 4-8), request for temporary stay of the proceedings (ICC-01/22-91-Anx., pp. 9-10,) and request for leave to appeal (ICC-01/22-91-Anx., pp. 4-8.), which were subsequently dismissed by Pre-Trial Chamber II in its decision of 28 November 2024 (ICC-01/22-111).";
    let between = json!({"not_before": "2024-10-24", "not_after": "2024-11-28"});
    for (label, request, kind, doc, pages, confidence) in [
        (
            "mng-disqualification-filed",
            "mng-disqualification",
            "disqualification",
            "ICC-01/22-92-Anx",
            "4-8",
            "medium",
        ),
        (
            "mng-temporary-stay-filed",
            "mng-temporary-stay",
            "temporary_stay",
            "ICC-01/22-91-Anx",
            "9-10",
            "high",
        ),
        (
            "mng-leave-to-appeal-filed",
            "mng-leave-to-appeal",
            "leave_to_appeal",
            "ICC-01/22-91-Anx",
            "4-8",
            "high",
        ),
    ] {
        w.push(T, label, "procedural_request_filed", json!({
            "request_id": request, "kind": kind, "filed_by": "state:MNG",
            "proceeding_id": "mng-ukraine-proceeding", "doc_ref": doc, "pages": pages,
            "occurred": between, "attributed_to": "state:MNG",
            "sources": [seed("20", 25, fn25)],
            "provenance": inferred("not dated in the seed: filed after the finding of 24 October 2024 and dismissed on 28 November 2024 (fn 25)", &[&mng_finding]),
            "confidence": confidence,
        }))?;
    }

    // Row 10: 28 November 2024 (fn 25) or 29 November 2024 (para. 6, Annex I fn 4), A-5; the
    // disqualification application "dismissed by Pre-Trial Chamber II", A-6.
    let row10_sources = json!([
        seed("20", 25, fn25),
        seed(
            "6",
            7,
            "the 29 November 2024 decision of the Pre-Trial Chamber II in the situation in Ukraine"
        ),
        seed_annex(
            "I",
            4,
            "ICC-01/22-90, of 24 October 2024 and ICC-01/22-111 of 29 November 2024."
        ),
    ]);
    let mut a5_targets = Vec::new();
    for (label, request) in [
        ("mng-leave-to-appeal-decided", "mng-leave-to-appeal"),
        ("mng-temporary-stay-decided", "mng-temporary-stay"),
    ] {
        let e = w.push(R, label, "procedural_request_decided", json!({
            "request_id": request, "deciding_body": "PTC-II", "outcome": "dismissed",
            "doc_ref": "ICC-01/22-111", "occurred": "2024-11-28", "attributed_to": "court:PTC-II",
            "sources": row10_sources,
        }))?;
        a5_targets.push((label, e));
    }
    let disqualification = w.push(T, "mng-disqualification-decided", "procedural_request_decided", json!({
        "request_id": "mng-disqualification", "deciding_body": "PTC-II", "outcome": "dismissed",
        "doc_ref": "ICC-01/22-111", "occurred": "2024-11-28", "attributed_to": "court:PTC-II",
        "sources": row10_sources, "acknowledged_anomalies": ["E_WRONG_DECIDING_BODY"],
        "note": "As published in fn 25. Applications to disqualify judges are decided by the Plenary of Judges (art. 41(2)); the decision on this application is probably a separate Plenary decision not cited in the seed (A-6).",
    }))?;
    a5_targets.push(("mng-disqualification-decided", disqualification.clone()));
    for (target_label, target) in a5_targets {
        let label = match target_label {
            "mng-leave-to-appeal-decided" => "a5-flag-leave-to-appeal",
            "mng-temporary-stay-decided" => "a5-flag-temporary-stay",
            _ => "a5-flag-disqualification",
        };
        w.push(T, label, "anomaly_flagged", json!({
            "target": target, "code": "W_SOURCE_INTERNAL_CONFLICT", "field_path": "occurred",
            "explanation": "A-5: ICC-01/22-111 is dated 28 November 2024 in fn 25 but 29 November 2024 in para. 6 (quoting ICC-ASP/23/Res.1, para. 34) and Annex I fn 4; recorded as 28 November 2024, unresolved.",
        }))?;
    }
    w.push(T, "a6-flag", "anomaly_flagged", json!({
        "target": disqualification, "code": "E_WRONG_DECIDING_BODY", "field_path": "deciding_body",
        "explanation": "A-6: fn 25 says the disqualification application was dismissed by Pre-Trial Chamber II in ICC-01/22-111; disqualification is for the Plenary of Judges (art. 41(2)), and para. 20 has the Plenary deciding the reconsideration of the decision on disqualification.",
    }))?;

    // Row 11: 2 December 2024.
    w.push(T, "mng-reconsideration-filed", "procedural_request_filed", json!({
        "request_id": "mng-reconsideration", "kind": "reconsideration", "filed_by": "state:MNG",
        "proceeding_id": "mng-ukraine-proceeding", "target_decision": "ICC-01/22-111",
        "doc_ref": "ICC-01/22-112", "occurred": "2024-12-02", "attributed_to": "state:MNG",
        "sources": [seed("20", 24, "Mongolia submitted, on 2 December 2024, a request for reconsideration of the \"Decision on Mongolia's requests for leave to appeal, temporary stay of the proceedings, and related matters\"")],
    }))?;
    w.push(T, "mng-partial-reconsideration-filed", "procedural_request_filed", json!({
        "request_id": "mng-partial-reconsideration", "kind": "disqualification_reconsideration",
        "filed_by": "state:MNG", "proceeding_id": "mng-ukraine-proceeding",
        "doc_ref": "ICC-01/22-113", "occurred": "2024-12-02", "attributed_to": "state:MNG",
        "as_published": {"kind": "a request for partial reconsideration of the decision on the application for the disqualification of Judges"},
        "sources": [seed("20", 25, "and a request for partial reconsideration of the decision on the application for the disqualification of Judges.")],
        "note": "The decision whose partial reconsideration is requested (on the disqualification of judges) is not identified in the seed.",
    }))?;

    // The 23rd session's resolutions (December 2024; session-only in the seed).
    w.push(S, "res-asp-23-1", "asp_resolution_adopted", json!({
        "symbol": "ICC-ASP/23/Res.1", "occurred": "2024-12", "attributed_to": "asp:assembly",
        "paragraphs": [
            {"no": "31", "gist": "recalls the Procedures relating to non-cooperation and takes note of the past decisions of the Court on non-cooperation", "refs": ["ICC-ASP/10/Res.5", "ICC-ASP/17/Res.5"]},
            {"no": "32", "gist": "recalls the Toolkit and encourages States Parties to make use of it", "refs": ["ICC-ASP/17/31"]},
            {"no": "33", "gist": "takes note of the report of the Bureau on non-cooperation; the President serves ex officio as focal point for her region"},
            {"no": "34", "gist": "takes note of the 24 October 2024 finding on the non-compliance by Mongolia and the 29 November 2024 decision of Pre-Trial Chamber II in the situation in Ukraine", "refs": ["ICC-01/22-90", "ICC-01/22-111"]},
            {"no": "35", "gist": "urges States Parties to engage in effective consultations with the Court under article 97"},
            {"no": "36", "gist": "includes non-cooperation issues arising during the intersessional period on the agenda of future sessions"},
            {"no": "37", "gist": "recalls the roles of the Assembly and the Security Council under article 87(5) and (7)"},
            {"no": "38", "gist": "calls upon States Parties to ensure that the Security Council addresses the Court's communications on non-cooperation"},
            {"no": "39", "gist": "encourages the authorities in Sudan to cooperate under Security Council resolution 1593 (2005); concern about the conflict that erupted on 15 April 2023", "refs": ["S/RES/1593 (2005)"]},
            {"no": "40", "gist": "urges States to share with the focal points information on travel of persons subject to arrest warrants"},
            {"no": "3(l)", "gist": "annex I (mandates): requests the President of the Assembly to engage with stakeholders to prevent and follow up on non-cooperation"},
            {"no": "3(m)", "gist": "annex I (mandates): information on travel of persons subject to warrants to be shared promptly with the Court by the focal points"},
            {"no": "3(n)", "gist": "annex I (mandates): requests the Bureau to report on its activities at the twenty-fourth session"},
        ],
        "sources": [seed("3", 4, "ICC-ASP/23/Res.1, para. 31."),
                    seed("6", 7, "In operative paragraph 34 of resolution ICC-ASP/23/Res.1, the Assembly \"[took] note of the 24 October 2024 finding on the non-compliance by Mongolia and the 29 November 2024 decision of the Pre-Trial Chamber II in the situation in Ukraine\"."),
                    seed("13", 16, "ICC-ASP/23/Res.1, annex I, para. 3(n).")],
        "provenance": {"external": {"doc": "ICC-ASP/23/Res.1"}}, "confidence": "high",
        "note": "The seed gives the session only (twenty-third, para. 2 and 13); it met in December 2024.",
    }))?;
    w.push(S, "res-asp-23-5", "asp_resolution_adopted", json!({
        "symbol": "ICC-ASP/23/Res.5", "occurred": "2024-12", "attributed_to": "asp:assembly",
        "paragraphs": [{"no": "8", "gist": "urges States Parties to avoid contact with persons subject to a warrant of arrest issued by the Court, unless such contact is deemed essential"}],
        "sources": [seed("17", 22, "ICC-ASP/23/Res.5, para. 8."),
                    seed("40", 36, "ICC-ASP/23/Res.5, paragraph 8.")],
        "provenance": {"external": {"doc": "ICC-ASP/23/Res.5"}}, "confidence": "high",
        "note": "The seed gives the session only (twenty-third); it met in December 2024.",
    }))?;

    // Row 12: 15 January 2025.
    let fn18 = seed(
        "15",
        18,
        "Decision of the Bureau of the Assembly of States Parties, 15 January 2025, available at https://asp.icc-cpi.int/sites/default/files/asp_docs/2025-Bureau2-Agenda-Decisions.pdf",
    );
    let bureau_2025_2 = w.push(S, "bureau-2025-2", "bureau_meeting_held", json!({
        "meeting": "2025-2", "occurred": "2025-01-15", "decisions_doc": "bureau:2025-2",
        "agenda_items": ["Allocation of Mandates"], "attributed_to": "asp:bureau",
        "sources": [seed("15", 0, "At its second meeting on 15 January 2025, the Bureau adopted the Allocation of Mandates"), fn18],
    }))?;
    w.push(S, "mandate-2025", "mandate_allocated", json!({
        "meeting": "2025-2", "mandate": "non-cooperation", "holder": "ad_country_focal_points",
        "base": "new_york", "occurred": "2025-01-15", "attributed_to": "asp:bureau",
        "sources": [seed("15", 18, "the Bureau adopted the Allocation of Mandates, assigning the mandate on non-cooperation to the ad country focal points, based in New York")],
    }))?;
    w.push(S, "fp-confirmed-2025", "focal_point_mandate_confirmed", json!({
        "states": ["MEX", "SLE", "VUT", "POL"], "meeting": "2025-2", "occurred": "2025-01-15",
        "president_ex_officio": true, "attributed_to": "asp:bureau",
        "sources": [seed("15", 0, "The Bureau confirmed that the focal points appointed in 2024 remain under this mandate, namely Mexico, Sierra Leone and Vanuatu, appointed at the Bureau meeting held on 6 March 2024, and Poland, appointed at the Bureau meeting held on 1 May 2024. The President of the Assembly, Ms Päivi Kaukoranta of Finland, continues to serve ex officio as focal point for her region.")],
    }))?;
    w.push(S, "president-kaukoranta", "asp_president_term_recorded", json!({
        "person": "kaukoranta-paivi", "state": "FIN", "occurred": {"not_after": "2025-01-15"},
        "sources": [seed("15", 0, "The President of the Assembly, Ms Päivi Kaukoranta of Finland, continues to serve ex officio as focal point for her region.")],
        "provenance": inferred("in office (\"continues to serve\") when the Bureau confirmed the focal points on 15 January 2025; the start of the term is not in the seed", &[&bureau_2025_2]),
        "confidence": "high",
    }))?;

    // Rows 13-15: the Njeem warrant, arrest and release (January 2025).
    let warrant = w.push(R, "njeem-warrant-issued", "arrest_warrant_issued", json!({
        "warrant_id": "njeem-warrant", "person": "njeem-osama-elmasry", "situation": "ICC-01/11",
        "chamber": "PTC-I", "visibility": "sealed", "doc_ref": "ICC-01/11-208",
        "crimes": ["crimes_against_humanity", "war_crimes"], "occurred": "2025-01-18",
        "attributed_to": "court:PTC-I",
        "sources": [seed("25", 28, "In relation to the Situation in Libya, on 18 January 2025, Pre-Trial Chamber I issued a Warrant of Arrest for Osama Elmasry Njeem for alleged crimes against humanity and war crimes")],
        "note": "Visibility sealed: para. 43 reports the \"issuance and unsealing\" of the warrant (A-17); para. 25 does not say it was sealed.",
    }))?;
    w.push(T, "njeem-arrested", "person_arrested", json!({
        "warrant_id": "njeem-warrant", "person": "njeem-osama-elmasry", "state": "ITA",
        "basis": "icc_warrant", "occurred": "2025-01-19", "attributed_to": "state:ITA",
        "sources": [seed("25", 0, "On 19 January 2025, Mr Njeem was arrested by the Italian authorities, pursuant to that warrant.")],
    }))?;
    let release = w.push(T, "njeem-released", "person_released_without_surrender", json!({
        "warrant_id": "njeem-warrant", "person": "njeem-osama-elmasry", "state": "ITA",
        "expelled_to": "LBY", "as_published": {"expelled_to": "the Libyan Arab Republic"},
        "occurred": "2025-01-21", "attributed_to": "state:ITA",
        "sources": [seed("25", 0, "On 21 January 2025, Mr Njeem was released and expelled to the Libyan Arab Republic, without surrender to the Court.")],
        "note": "A-12: \"the Libyan Arab Republic\" is a historical name (1969-77); the State is Libya.",
    }))?;

    // Row 16: 27 January 2025.
    w.push(R, "otp-1593-40", "prosecutor_unsc_briefing_delivered", json!({
        "resolution": "S/RES/1593 (2005)", "ordinal": 40, "occurred": "2025-01-27",
        "title": "Fortieth Report of the Prosecutor of the International Criminal Court to the United Nations Security Council pursuant to UNSCR 1593 (2005)",
        "appeals": ["to take concrete action to support justice and accountability by enforcing ICC arrest warrants, particularly the transfer of Ahmed Harun", "to strengthen cooperation with the Court and fulfil the obligations and commitments under Resolution 1593"],
        "persons": ["harun-ahmed"], "states": ["SDN"], "attributed_to": "court:otp",
        "sources": [seed("42", 37, "the Prosecutor presented the fortieth and forty-first reports to the Security Council pursuant to resolution 1593 (2005), on 27 January 2025 and 10 July 2025")],
    }))?;

    // Row 17: 10 March 2025 (the fn 26 marker is missing from para. 20, A-7).
    let plenary = w.push(R, "mng-partial-reconsideration-decided", "procedural_request_decided", json!({
        "request_id": "mng-partial-reconsideration", "deciding_body": "Plenary",
        "outcome": "dismissed", "doc_ref": "ICC-01/22-121", "occurred": "2025-03-10",
        "attributed_to": "court:Plenary",
        "sources": [seed("20", 26, "on 10 March 2025, the Plenary of Judges dismissed the request for partial reconsideration of the decision"),
                    seed("36", 0, "the decisions of the Pre-Trial Chamber dated 10 March and 18 March 2025 regarding a request from Mongolia")],
        "note": "A-7: the marker of fn 26 (ICC-01/22-121) is missing from para. 20; the footnote is linked to this decision by its order.",
    }))?;

    // Row 18: 10 March 2025.
    let fp_meeting =
        |kind: &str, day: &str, counterpart: Option<&str>, topic: Option<&str>, text: &str| {
            let mut d = json!({"kind": kind, "occurred": day, "attributed_to": "asp:focal-points",
            "sources": [seed("45", 0, text)]});
            if let Some(c) = counterpart {
                d["counterpart"] = json!(c);
            }
            if let Some(t) = topic {
                d["topics"] = json!([t]);
            }
            d
        };
    let nywg = "provided updates on their mandate and activities to the New York Working Group on 1 April, 10 June, 8 September and 21 October 2025";
    w.push(S, "fp-meeting-2025-03-10", "focal_points_meeting_held", fp_meeting(
        "strategic_planning", "2025-03-10", None, Some("the programme of work for 2025"),
        "The focal points held a strategic planning meeting on 10 March 2025, to discuss and agree on the programme of work for 2025"))?;

    // Row 19: 18 March 2025.
    let ptc = w.push(R, "mng-reconsideration-decided", "procedural_request_decided", json!({
        "request_id": "mng-reconsideration", "deciding_body": "PTC-II", "outcome": "rejected",
        "doc_ref": "ICC-01/22-123", "occurred": "2025-03-18", "attributed_to": "court:PTC-II",
        "reasons": "no grounds to depart from its prior rulings",
        "sources": [seed("20", 27, "on 18 March 2025, Pre-Trial Chamber II rejected the request for reconsideration of the decision on leave to appeal, temporary stay, and related matters, finding no grounds to depart from its prior rulings")],
    }))?;

    // Row 20: 31 March 2025.
    let fn33 = seed(
        "34",
        33,
        "Letter of 31 March 2025, available at X account @PASPKaukoranta",
    );
    w.push(S, "letter-hun-sent", "asp_president_letter_sent", json!({
        "letter_id": "letter-hun-2025-03-31", "state": "HUN",
        "to_office": "Minister of Foreign Affairs and Trade", "track": "informal",
        "purpose": "pre_visit_reminder", "from": "kaukoranta-paivi", "person": "netanyahu-benjamin",
        "episode_id": "hun-netanyahu-2025", "occurred": "2025-03-31", "attributed_to": "asp:president",
        "sources": [seed("34", 0, "Prior to Prime Minister Netanyahu's visit to Hungary, the President of the Assembly of States Parties conveyed a letter, dated 31 March 2025, to the Minister of Foreign Affairs and Trade of Hungary, in accordance with the Assembly procedures relating to non-cooperation."), fn33],
    }))?;

    // Row 21: 1 April 2025.
    w.push(
        S,
        "fp-meeting-2025-04-01",
        "focal_points_meeting_held",
        fp_meeting(
            "nywg_update",
            "2025-04-01",
            Some("New York Working Group"),
            None,
            nywg,
        ),
    )?;

    // Row 6: published as 2 April 2024, recorded here at its corrected place, after the
    // decisions it notes; the Court's communication to the Assembly first.
    w.push(R, "court-informed-asp-mng", "court_informed_asp", json!({
        "about": ["ICC-01/22-121", "ICC-01/22-123"],
        "occurred": {"not_before": "2025-03-18", "not_after": "2025-04-02"},
        "attributed_to": "court:president",
        "sources": [seed("36", 0, "of which the President of the Court, Judge Tomoko Akane had informed the President of the Assembly")],
        "provenance": inferred("not dated in the seed: after the later decision (18 March 2025) and before the Bureau took note (2 April, read as 2025, A-1)", &[&ptc]),
        "confidence": "medium",
    }))?;
    let took_note = w.push(T, "bureau-took-note-mng", "bureau_took_note", json!({
        "occurred": "2024-04-02", "of_entries": [plenary, ptc],
        "of_documents": ["ICC-01/22-121", "ICC-01/22-123"], "informed_by": "court:president",
        "attributed_to": "asp:bureau", "acknowledged_anomalies": ["E_DATE_ORDER"],
        "sources": [seed("36", 0, "On 2 April 2024, the Bureau took note of the decisions of the Pre-Trial Chamber dated 10 March and 18 March 2025 regarding a request from Mongolia, of which the President of the Court, Judge Tomoko Akane had informed the President of the Assembly.")],
    }))?;
    let a1_flag = w.push(T, "a1-flag", "anomaly_flagged", json!({
        "target": took_note, "code": "E_DATE_ORDER", "field_path": "occurred",
        "explanation": "A-1: the Bureau is said to take note on 2 April 2024 of decisions dated 10 and 18 March 2025 (ICC-01/22-121, ICC-01/22-123), 11 months before they were issued; para. 36 sits among 2025 events.",
    }))?;
    let a1_correction = w.push(T, "a1-correction", "correction_recorded", json!({
        "target": took_note, "field_path": "occurred", "published_value": "2024-04-02",
        "corrected_value": "2025-04-02", "basis": "internal_consistency", "confidence": "high",
        "resolves": a1_flag,
        "sources": [seed("20", 27, "on 18 March 2025, Pre-Trial Chamber II rejected the request for reconsideration")],
        "note": "The decisions noted are dated March 2025 (para. 20, fn 26 and 27): the year 2024 is a typing error for 2025.",
    }))?;
    w.push(
        V,
        "a1-approval",
        "approval_recorded",
        json!({"target": a1_correction}),
    )?;
    w.push(T, "a2-flag", "anomaly_flagged", json!({
        "target": took_note, "code": "W_SOURCE_INTERNAL_CONFLICT",
        "field_path": "sources[0].published_text",
        "explanation": "A-2: para. 36 calls both decisions \"of the Pre-Trial Chamber\"; para. 20 has the 10 March 2025 decision (ICC-01/22-121) by the Plenary of Judges and only the 18 March 2025 decision (ICC-01/22-123) by Pre-Trial Chamber II. of_entries links the two decisions as recorded; no value changes.",
    }))?;

    // Rows 22-25: the Netanyahu visit to Hungary (3-6 April 2025) and around it.
    w.push(S, "fp-alert-hun", "focal_points_communication_issued", json!({
        "audience": "all_states_parties", "kinds": ["visit_alert", "toolkit_reminder"],
        "episode_id": "hun-netanyahu-2025", "person": "netanyahu-benjamin", "state": "HUN",
        "occurred": {"not_after": "2025-04-03"}, "as_published": {"occurred": "ahead of the visit"},
        "attributed_to": "asp:focal-points",
        "sources": [seed("35", 0, "Furthermore, ahead of the visit, the focal points on non-cooperation informed States Parties of the intended visit, reminded of the toolkit for the implementation of the informal dimension of the Assembly procedures relating to non-cooperation, and encouraged States Parties to make use of the toolkit for any appropriate action.")],
    }))?;
    let visit_hun = w.push(T, "visit-hun", "wanted_person_visit_recorded", json!({
        "visit_id": "hun-netanyahu-visit-2025", "person": "netanyahu-benjamin", "state": "HUN",
        "occurred": {"from": "2025-04-03", "to": "2025-04-06"}, "outcome": "not_arrested",
        "episode_id": "hun-netanyahu-2025",
        "sources": [seed("21", 0, "In relation to the Situation in the State of Palestine, during the period covered by this report Prime Minister Benjamin Netanyahu of Israel visited Hungary, a State Party to the Statute, from 3 to 6 April 2025.")],
        "note": "Outcome: no arrest is reported; para. 22-23 concern Hungary's failure to arrest and surrender him.",
    }))?;
    w.push(S, "letter-hun-published", "asp_president_letter_published", json!({
        "letter_id": "letter-hun-2025-03-31", "occurred": "2025-04-03",
        "channel": "X account @PASPKaukoranta", "attributed_to": "asp:president",
        "sources": [seed("34", 33, "The letter was published once Prime Minister Netanyahu's visit had commenced.")],
        "provenance": inferred("published once the visit had commenced: the first day of the visit", &[&visit_hun]),
        "confidence": "medium",
    }))?;
    w.push(S, "fp-meeting-2025-04-29", "focal_points_meeting_held", fp_meeting(
        "with_president", "2025-04-29", Some("President of the Assembly"),
        Some("the work of the facilitation during the inter-sessional period"),
        "The focal points met with the President of the Assembly on 29 April 2025 to discuss the work of the facilitation during the inter-sessional period."))?;

    // Rows 27 and 26: the Prosecutor's report of 15 May 2025, the only evidence of the
    // unsealing, recorded first.
    let otp_1970 = w.push(R, "otp-1970-29", "prosecutor_unsc_briefing_delivered", json!({
        "resolution": "S/RES/1970 (2011)", "ordinal": 29, "occurred": "2025-05-15",
        "title": "Twenty-ninth Report of the Prosecutor of the International Criminal Court to the United Nations Security Council pursuant to UNSCR 1970 (2011)",
        "appeals": ["assistance in ensuring the arrest and surrender of ICC suspects", "enhanced cooperation from State and international bodies", "action on non-compliance under article 87(7) of the Rome Statute"],
        "persons": ["njeem-osama-elmasry"], "states": ["LBY", "ITA"], "attributed_to": "court:otp",
        "sources": [seed("43", 39, "The Prosecutor presented the twenty-ninth report to the to the Security Council pursuant to 1970 (2011) on 15 May 2025, with reference to significant progress in Libya investigations, including the transition of multiple cases into the judicial phase, the issuance and unsealing of an arrest warrant for Osama Elmasry Njeem, and continued evidence collection across four lines of inquiry, while also noting challenges such as limited Libyan cooperation, the release of Njeem in Italy despite an ICC warrant, and ongoing security and resource constraints.")],
        "note": "A-20: \"to the to the\" and \"pursuant to 1970 (2011)\" are as published.",
    }))?;
    w.push(R, "njeem-warrant-unsealed", "arrest_warrant_unsealed", json!({
        "warrant_id": "njeem-warrant", "new_visibility": "public",
        "occurred": {"not_before": "2025-01-18", "not_after": "2025-05-15"},
        "sources": [seed("43", 39, "the issuance and unsealing of an arrest warrant for Osama Elmasry Njeem")],
        "provenance": inferred("not dated in the seed (A-17): after the issue of the warrant and by the Prosecutor's report of 15 May 2025 that mentions the unsealing", &[&warrant, &otp_1970]),
        "confidence": "high",
    }))?;

    // Rows 28-30.
    w.push(
        S,
        "fp-meeting-2025-06-10",
        "focal_points_meeting_held",
        fp_meeting(
            "nywg_update",
            "2025-06-10",
            Some("New York Working Group"),
            None,
            nywg,
        ),
    )?;
    w.push(S, "fp-meeting-2025-07-03", "focal_points_meeting_held", {
        let mut d = fp_meeting("facilitation_briefing", "2025-07-03", Some("Cooperation facilitation"), None,
            "The focal points also participated virtually and provided a briefing in the meeting of the Cooperation facilitation on 3 July 2025");
        d["virtual"] = json!(true);
        d
    })?;
    w.push(R, "otp-1593-41", "prosecutor_unsc_briefing_delivered", json!({
        "resolution": "S/RES/1593 (2005)", "ordinal": 41, "occurred": "2025-07-10",
        "title": "Forty-first Report of the Prosecutor of the International Criminal Court to the United Nations Security Council pursuant to UNSCR 1593 (2005)",
        "appeals": ["to give increased attention to the Darfur situation", "to help the ICC implement Resolution 1593, including facilitating cooperation and aiding the arrest and surrender of suspects"],
        "states": ["SDN"], "attributed_to": "court:otp",
        "sources": [seed("42", 38, "The Prosecutor further appealed to the Council to give increased attention to the Darfur situation and to support justice and accountability by using all powers available to help the ICC implement Resolution 1593, including facilitating cooperation, and aiding the arrest and surrender of suspects.")],
    }))?;

    // Rows 31-33: Hungary (24 July 2025).
    let hun_proceeding = w.push(R, "hun-proceeding", "non_compliance_proceeding_opened", json!({
        "proceeding_id": "hun-palestine-proceeding", "state": "HUN", "situation": "ICC-01/18",
        "chamber": "PTC-I", "legal_basis": "art_87_7", "warrant_id": "netanyahu-warrant",
        "person": "netanyahu-benjamin", "trigger": "after_visit", "conduct": visit_hun,
        "visit_id": "hun-netanyahu-visit-2025",
        "occurred": {"not_before": "2025-04-03", "not_after": "2025-07-24"},
        "attributed_to": "court:PTC-I",
        "sources": [seed("22", 0, "The Pre-Trial Chamber I was seized, under article 87(7) of the Rome Statute, with the question of whether Hungary had failed to comply with the Court's request for arrest and surrender of Benjamin Netanyahu, contrary to the Provisions of the Statute.")],
        "provenance": inferred("not dated in the seed: seized after the visit began (3 April 2025) and by the finding of 24 July 2025", &[&visit_hun]),
        "confidence": "high",
    }))?;
    w.push(R, "hun-finding", "non_compliance_decision_issued", json!({
        "decision_id": "hun-finding-2025", "proceeding_id": "hun-palestine-proceeding",
        "state": "HUN", "situation": "ICC-01/18", "chamber": "PTC-I", "doc_ref": "ICC-01/18-462",
        "finding": "non_compliant", "referral": {"referred": "asp"}, "legal_basis": "art_87_7",
        "person": "netanyahu-benjamin", "warrant_id": "netanyahu-warrant",
        "title": "Finding under article 87(7) of the Rome Statute on the non-compliance by Hungary with the request by the Court to cooperate in the arrest and surrender of Benjamin Netanyahu and referral to the Assembly of States Parties",
        "occurred": "2025-07-24", "attributed_to": "court:PTC-I",
        "sources": [seed("23", 0, "On 24 July 2025, Pre-Trial Chamber I issued a \"Finding under article 87(7) of the Rome Statute on the non-compliance by Hungary with the request by the Court to cooperate in the arrest and surrender of Benjamin Netanyahu and referral to the Assembly of States Parties\"."),
                    seed_annex("I", 5, "ICC-01/18-462, of 24 July 2025.")],
        "note": "The record number is given only in Annex I fn 5.",
    }))?;
    let _ = hun_proceeding;
    let transmitted = w.push(R, "hun-transmitted", "referral_transmitted", json!({
        "proceeding_id": "hun-palestine-proceeding", "to": "asp", "decision_id": "hun-finding-2025",
        "basis": "reg. 109(4)", "occurred": "2025-07-24", "attributed_to": "court:Presidency",
        "sources": [seed("24", 0, "In accordance with the Pre-Trial Chamber I's Finding under article 87(7) of the Rome Statute on the non-compliance by Hungary, and pursuant to article 87(7) of the Rome Statute and regulation 109(4) of the Regulations of the Court, the Presidency of the Court transmitted the decision and referred the matter to the Assembly of States Parties on 24 July 2025.")],
    }))?;
    w.push(S, "hun-asp-matter-opened", "asp_matter_opened", json!({
        "asp_matter_id": "hun-asp-matter", "state": "HUN",
        "trigger": {"court_referral": {"proceeding_id": "hun-palestine-proceeding"}},
        "occurred": "2025-07-24", "attributed_to": "asp:assembly",
        "sources": [seed("24", 0, "the Presidency of the Court transmitted the decision and referred the matter to the Assembly of States Parties on 24 July 2025")],
        "provenance": inferred("a matter referred to the Assembly opens under its formal procedure when the referral is transmitted", &[&transmitted]),
        "confidence": "high",
    }))?;

    // Row 34: 3 September 2025 (fn 34 says 2023, A-3: the events use the text's date).
    let a3_sources = json!([
        seed(
            "37",
            0,
            "On 3 September 2025, the Bureau considered the 24 July 2025 decision of Pre-Trial Chamber I regarding Hungary's non-cooperation in the situation in the State of Palestine."
        ),
        seed(
            "37",
            34,
            "Decision of the Bureau of the Assembly of States Parties, 3 September 2023, available at 2025-Bureau13-Agenda-Decisions.pdf (icc-cpi.int)."
        ),
    ]);
    let a3_explanation = "A-3: footnote 34 dates the Bureau decision 3 September 2023, but the text (para. 37) says 3 September 2025, the file is 2025-Bureau13-Agenda-Decisions.pdf and the decision considered is of 24 July 2025; the event uses the text's date, the footnote is kept as published.";
    let bureau_2025_13 = w.push(
        S,
        "bureau-2025-13",
        "bureau_meeting_held",
        json!({
            "meeting": "2025-13", "occurred": "2025-09-03", "decisions_doc": "bureau:2025-13",
            "attributed_to": "asp:bureau", "sources": a3_sources,
        }),
    )?;
    w.push(
        T,
        "a3-flag-meeting",
        "anomaly_flagged",
        json!({
            "target": bureau_2025_13, "code": "W_SOURCE_INTERNAL_CONFLICT",
            "field_path": "sources[1].published_text", "explanation": a3_explanation,
        }),
    )?;
    let considered = w.push(S, "hun-considered", "bureau_considered_referral", json!({
        "asp_matter_id": "hun-asp-matter", "state": "HUN", "meeting": "2025-13",
        "state_heard": true, "procedures_para": "procedures para. 14(c)",
        "state_representative": "a representative of Hungary",
        "state_position_summary": "reiterated Hungary's position submitted to Pre-Trial Chamber I",
        "outcome": "took note of Hungary's statement and that the topic of non-cooperation would be addressed at the twenty-fourth session of the Assembly",
        "occurred": "2025-09-03", "attributed_to": "asp:bureau",
        "sources": [a3_sources[0].clone(), a3_sources[1].clone(),
                    seed("37", 0, "Pursuant to paragraph 14(c) of the Assembly procedures relating to non-cooperation, a representative of Hungary attended to present his government's view, reiterating Hungary's position submitted to Pre-Trial Chamber I. The Bureau took note of Hungary's statement and that the topic of non-cooperation would be addressed at the twenty-fourth session of the Assembly.")],
    }))?;
    w.push(
        T,
        "a3-flag-considered",
        "anomaly_flagged",
        json!({
            "target": considered, "code": "W_SOURCE_INTERNAL_CONFLICT",
            "field_path": "sources[1].published_text", "explanation": a3_explanation,
        }),
    )?;

    // Rows 35-37.
    w.push(
        S,
        "fp-meeting-2025-09-03",
        "focal_points_meeting_held",
        fp_meeting(
            "internal",
            "2025-09-03",
            None,
            Some("issues pertaining to their mandate"),
            "and a meeting on 3 September 2025 to discuss issues pertaining to their mandate",
        ),
    )?;
    w.push(
        S,
        "fp-meeting-2025-09-08",
        "focal_points_meeting_held",
        fp_meeting(
            "nywg_update",
            "2025-09-08",
            Some("New York Working Group"),
            None,
            nywg,
        ),
    )?;
    w.push(S, "fp-message-unga", "focal_points_communication_issued", json!({
        "audience": "all_states_parties", "kinds": ["message"], "occasion": "UNGA High-Level Week",
        "recalls": [{"doc": "ICC-ASP/23/Res.5", "para": "8"}], "occurred": "2025-09-26",
        "attributed_to": "asp:focal-points",
        "sources": [seed("40", 36, "In the context of the UN General Assembly High-Level Week, on 26 September 2025, the focal points on non-cooperation issued a message recalling Assembly resolution ICC-ASP/23/Res.5, which urges States Parties to avoid contact with persons subject to a warrant of arrest issued by the Court, unless such contact is deemed essential by the State Party")],
    }))?;

    // Rows 38-41: the Putin visit to Tajikistan (8-10 October, year not stated: A-9).
    let letter_tjk = w.push(S, "letter-tjk-sent", "asp_president_letter_sent", json!({
        "letter_id": "letter-tjk-2025-10-07", "state": "TJK", "to_office": "Minister of Foreign Affairs",
        "track": "informal", "purpose": "pre_visit_reminder", "from": "kaukoranta-paivi",
        "person": "putin-vladimir", "episode_id": "tjk-putin-2025",
        "recalls": [{"provision": "art. 86"}, {"provision": "art. 89(1)"}],
        "occurred": "2025-10-07", "attributed_to": "asp:president",
        "sources": [seed("39", 0, "In advance of President Putin's visit, the President of the Assembly of States Parties conveyed a letter, dated 7 October 2025, to the Minister of Foreign Affairs of the Republic of Tajikistan, noting the obligations of States Parties under articles 86 and 89(1) of the Rome Statute to cooperate fully with the Court and to comply with requests from the Court for arrest and surrender."),
                    seed("39", 35, "Letter of 7 October 2025, available at X account @PASPKaukoranta.")],
    }))?;
    w.push(S, "fp-activated-tjk", "focal_points_activated", json!({
        "episode_id": "tjk-putin-2025", "person": "putin-vladimir", "state": "TJK",
        "includes_president_good_offices": true, "track": "informal",
        "occurred": {"not_after": "2025-10-08"}, "attributed_to": "asp:focal-points",
        "sources": [seed("38", 0, "The focal points on non-cooperation were activated, including the good offices of the President of the Assembly, in line with the informal Assembly procedures relating to non-cooperation.")],
        "provenance": inferred("not dated in the seed: activated for the visit, which began on 8 October 2025", &[]),
        "confidence": "medium",
    }))?;
    let visit_tjk = w.push(T, "visit-tjk", "wanted_person_visit_recorded", json!({
        "visit_id": "tjk-putin-visit-2025", "person": "putin-vladimir", "state": "TJK",
        "occurred": {"from": "2025-10-08", "to": "2025-10-10"},
        "as_published": {"occurred": "From 8 to 10 October"}, "outcome": "not_arrested",
        "episode_id": "tjk-putin-2025",
        "sources": [seed("38", 0, "From 8 to 10 October, President Vladimir Putin of Russian Federation visited Tajikistan.")],
        "provenance": inferred("year from the adjacent letter dated 7 October 2025", &[&letter_tjk]),
        "confidence": "high",
        "note": "A-9: the year is not stated. Outcome: no arrest is reported.",
    }))?;
    w.push(S, "letter-tjk-published", "asp_president_letter_published", json!({
        "letter_id": "letter-tjk-2025-10-07", "occurred": "2025-10-08",
        "channel": "X account @PASPKaukoranta", "attributed_to": "asp:president",
        "sources": [seed("39", 35, "The letter was published once President Putin's visit to Tajikistan had commenced.")],
        "provenance": inferred("published once the visit had commenced: the first day of the visit", &[&visit_tjk]),
        "confidence": "medium",
    }))?;

    // Rows 42-45: Italy.
    w.push(R, "ita-proceeding", "non_compliance_proceeding_opened", json!({
        "proceeding_id": "ita-libya-proceeding", "state": "ITA", "situation": "ICC-01/11",
        "chamber": "PTC-I", "legal_basis": "art_87_7", "warrant_id": "njeem-warrant",
        "person": "njeem-osama-elmasry", "trigger": "after_release", "conduct": release,
        "occurred": {"not_before": "2025-01-21", "not_after": "2025-10-17"},
        "attributed_to": "court:PTC-I",
        "sources": [seed("26", 0, "The Pre-Trial Chamber I was seized, under article 87(7) of the Rome Statute, with the question of whether Italy had failed to comply with the Court's request for arrest and surrender of Osama Elmasry Njeem, contrary to the Provisions of the Statute.")],
        "provenance": inferred("not dated in the seed: seized after the release (21 January 2025) and by the decision of 17 October 2025", &[&release]),
        "confidence": "high",
    }))?;
    let invitation = "information on any domestic proceedings relevant to the case, and an indication of the impact that these proceedings could have on Italy's future cooperation with the Court in the execution of cooperation requests for the arrest and surrender of suspects";
    w.push(R, "ita-decision", "non_compliance_decision_issued", json!({
        "decision_id": "ita-decision-2025", "proceeding_id": "ita-libya-proceeding", "state": "ITA",
        "situation": "ICC-01/11", "chamber": "PTC-I", "doc_ref": "ICC-01/11-209",
        "finding": "not_stated",
        "referral": {"deferred": {"invitation": invitation, "deadline": "2025-10-31"}},
        "vote_on_referral": "majority", "legal_basis": "art_87_7",
        "person": "njeem-osama-elmasry", "warrant_id": "njeem-warrant",
        "title": "Decision on Italy's non-compliance with a request for cooperation",
        "opinions": [{"judge": "María del Socorro Flores Liera", "kind": "partially_dissenting", "doc_ref": "ICC-01/11-209-Anx"}],
        "occurred": "2025-10-17", "attributed_to": "court:PTC-I",
        "sources": [seed("27", 29, "On 17 October 2025, Pre-Trial Chamber I issued a \"Decision on Italy's non-compliance with a request for cooperation\""),
                    seed("27", 0, "The Chamber, by majority, deferred its determination as to whether the matter of Italy's non-compliance with the request for arrest and surrender of Mr Njeem should be referred to the Assembly of States Parties or to the United Nations Security Council."),
                    seed("27", 30, "The Decision was accompanied by a Partially Dissenting Opinion of Judge María del Socorro Flores Liera")],
        "note": "A-18: the finding itself and the vote on it are not stated (the title implies non-compliance); recorded as published.",
    }))?;
    w.push(R, "ita-observations-invited", "state_observations_invited", json!({
        "proceeding_id": "ita-libya-proceeding", "state": "ITA", "deadline": "2025-10-31",
        "subject": invitation, "doc_ref": "ICC-01/11-209", "occurred": "2025-10-17",
        "attributed_to": "court:PTC-I",
        "sources": [seed("27", 0, "The Chamber invited Italy to provide information on any domestic proceedings relevant to the case, and an indication of the impact that these proceedings could have on Italy's future cooperation with the Court in the execution of cooperation requests for the arrest and surrender of suspects, by 31 October 2025.")],
    }))?;
    w.push(
        S,
        "fp-meeting-2025-10-21",
        "focal_points_meeting_held",
        fp_meeting(
            "nywg_update",
            "2025-10-21",
            Some("New York Working Group"),
            None,
            nywg,
        ),
    )?;
    w.push(T, "ita-observations-submitted", "state_observations_submitted", json!({
        "proceeding_id": "ita-libya-proceeding", "state": "ITA", "doc_ref": "ICC-01/11-211-Anx",
        "occurred": "2025-10-31", "attributed_to": "state:ITA",
        "sources": [seed("27", 31, "Italy's response to the Pre-Trial Chamber's invitation to provide information on relevant domestic proceedings was submitted on 31 October 2025.")],
    }))?;

    // The President's reminders "throughout the year" (seed-events.md §2).
    w.push(S, "president-reminders", "public_statement_issued", json!({
        "by": "asp:president",
        "subject": "the importance of executing the arrest warrants issued by the Court and of avoiding non-essential contacts",
        "occurred": {"from": "2025-01-01", "to": "2025-11-26"},
        "as_published": {"occurred": "Throughout the year"},
        "sources": [seed("33", 0, "Throughout the year, the President of the Assembly recalled the importance for States to spare no effort in executing the arrest warrants issued by the Court, and the importance of avoiding non-essential contacts.")],
        "provenance": inferred("\"throughout the year\": the calendar year up to the report's date", &[]),
        "confidence": "low",
    }))?;

    // Rows 46-48: the report itself and what it schedules.
    w.push(S, "report-2025", "bureau_report_issued", json!({
        "report": SEED_DOC, "session": 24,
        "period": {"from": "2024-12-07", "to": "2025-11-26"},
        "occurred": "2025-11-26", "attributed_to": "asp:bureau",
        "sources": [seed("", 0, "Distr.: General 26 November 2025"),
                    seed("15", 0, "The present report covers activities during the inter-sessional period between the twenty-third and twenty-fourth sessions of the Assembly.")],
        "note": "A-16: the report carries no ICC-ASP symbol, only its job number. The period runs from the close of the twenty-third session (not stated in the seed) to the report's date.",
    }))?;
    w.push(
        S,
        "asp-session-24",
        "asp_session_recorded",
        json!({
            "session": 24, "place": "The Hague", "status": "scheduled",
            "occurred": {"from": "2025-12-01", "to": "2025-12-06"}, "attributed_to": "asp:assembly",
            "sources": [seed("", 0, "Twenty-fourth session The Hague, 01-06 December 2025")],
        }),
    )?;
    w.push(S, "asp-plenary-2025-12-03", "asp_plenary_scheduled", json!({
        "topic": "non-cooperation", "scheduled_for": "2025-12-03", "session": 24,
        "focus": "prevention of non-compliance through article 97 consultations",
        "asp_matter_ids": ["hun-asp-matter"], "occurred": {"not_after": "2025-11-26"},
        "attributed_to": "asp:assembly",
        "sources": [seed("45", 0, "A plenary meeting dedicated to non-cooperation will be held on 3 December 2025, with a focus on prevention of non-compliance through article 97 consultations."),
                    seed("37", 0, "the topic of non-cooperation would be addressed at the twenty-fourth session of the Assembly")],
        "provenance": inferred("scheduled by the report's date, which announces it", &[]),
        "confidence": "high",
    }))?;
    Ok(())
}

/// The `seed/` section of the fixtures README.
pub fn readme_section(log: &SeedLog) -> String {
    let n = log.entries.len();
    let mut s = format!(
        "\n## seed/\n\n\
         - `non-cooperation.log`: the seed report (ASP \"Report of the Bureau on \
         non-cooperation\", 24th session, distributed 26 November 2025, job number \
         33-E-261125) transcribed into a log of the `{domain}` domain: {n} entries (seq 0 to \
         {last}), origin `{SEED_ORIGIN}`, written with `LogWriter`, `recorded_at` = the fixed \
         clock at seq minutes (the report's date). Generated by `acta_testkit::seed`, which \
         checks every entry with `acta_domain::decode` before signing it. Verifies with no \
         findings with `operator.vkey` as the trust anchor.\n\
         - `operator.vkey`: {SEED_OPERATOR}'s verifier key, the trust anchor.\n\
         - `non-cooperation.head`: `SEQ:HASH` of the last entry (for `--expect-head`).\n\
         \n\
         TEST-ONLY keys: every author is a test-only key of `acta_testkit`, and the content is a \
         test transcription, not an authoritative record.\n\
         \n\
         ### Authors and roles\n\n\
         Each key's roles are exactly `acta_domain::SignerRole::<role>.roles()`; the genesis \
         key adds the others with `acta.key.add` (seq 1 to 4).\n\n",
        domain = acta_domain::DOMAIN,
        last = n.saturating_sub(1),
    );
    for (name, role) in SEED_AUTHORS {
        let count = log.entries.iter().filter(|e| e.author == name).count();
        let what = match role {
            SignerRole::KeyAdmin => "genesis, trust anchor; adds the other keys",
            SignerRole::CourtClerk => {
                "Court-side events (Chambers, Presidency, Plenary, Registry, OTP)"
            }
            SignerRole::AspSecretariat => {
                "Assembly-side events (President, Bureau, focal points, sessions, resolutions)"
            }
            SignerRole::Transcriber => {
                "States' acts, reference data and opening balances, every entry carrying \
                 `acknowledged_anomalies`, anomaly flags and corrections"
            }
            SignerRole::Reviewer => "approvals of corrections (the two-person rule)",
            SignerRole::StateLiaison => "",
        };
        s.push_str(&format!(
            "- `{name}` ({role}, {count} {}): {what}.\n",
            if count == 1 { "entry" } else { "entries" }
        ));
    }
    s.push_str(
        "\n### Content\n\n\
         Every row 1 to 48 of the seed's event table (`seed-events.md` §1; \
         `acta_testkit::seed::ROWS` maps each row to its entries), plus the reference data a \
         report needs: the situations ICC-02/05, ICC-01/11, ICC-01/18 and ICC-01/22; the \
         persons Njeem, Netanyahu, Putin, Harun and the President of the Assembly; opening \
         balances (`prior_fact_asserted`) for the Netanyahu and Putin warrants (issued before \
         the visits; their real dates are not used) and the party status of Mongolia, Italy, \
         Hungary and Tajikistan; the Assembly resolutions ICC-ASP/10/Res.5, ICC-ASP/11/Res.8, \
         ICC-ASP/17/Res.5, ICC-ASP/23/Res.1 and ICC-ASP/23/Res.5; the Toolkit, the Kampala \
         Declaration and the UN guidance as documents; the IER recommendations; the \
         President's reminders \"throughout the year\". Transcribed events cite the seed as \
         `job:33-E-261125` with paragraph, footnote and published words; record numbers are \
         in the events' own `doc_ref` fields. Row 6 (published 2 April 2024) is recorded \
         after the decisions it notes.\n\
         \n\
         ### Source anomalies and how they are recorded\n\n\
         - A-1 (para. 36 dates the Bureau's taking note 2 April 2024, before the March 2025 \
         decisions it notes): `bureau_took_note` as published with `acknowledged_anomalies` \
         `E_DATE_ORDER`, then `anomaly_flagged` (E_DATE_ORDER, `occurred`), \
         `correction_recorded` (`occurred` 2024-04-02 → 2025-04-02, internal consistency, \
         high, resolving the flag) by test-only-transcriber, and `approval_recorded` by \
         test-only-reviewer.\n\
         - A-2 (para. 36 attributes both decisions to the Pre-Trial Chamber): \
         `anomaly_flagged` W_SOURCE_INTERNAL_CONFLICT on the published text; the entry links \
         the two decisions as recorded.\n\
         - A-3 (fn 34 dates the Bureau decision 3 September 2023): the events use the text's \
         date; the footnote is kept as a source with its published text and flagged \
         W_SOURCE_INTERNAL_CONFLICT (open).\n\
         - A-4 (Poland appointed 1 May 2024 in the text, 8 May 2024 in fn 20): the meeting and \
         the appointment are dated between the two; the appointment carries and is flagged \
         E_MEETING_DATE_MISMATCH, the meeting W_SOURCE_INTERNAL_CONFLICT (open).\n\
         - A-5 (ICC-01/22-111 dated 28 November 2024 in fn 25, 29 November in para. 6 and \
         Annex I fn 4): the three decisions are dated 28 November with both sources, each \
         flagged W_SOURCE_INTERNAL_CONFLICT (open).\n\
         - A-6 (the disqualification application \"dismissed by Pre-Trial Chamber II\"): \
         recorded as published with `acknowledged_anomalies` E_WRONG_DECIDING_BODY and flagged \
         (open).\n\
         - A-7, A-8, A-12, A-16, A-17, A-18, A-20: recorded as published, with a `note`; A-12 \
         keeps \"the Libyan Arab Republic\" in `as_published`; A-17 dates the unsealing \
         between the issue and 15 May 2025 (inferred); A-18 records the Italy finding as \
         `not_stated`.\n\
         - A-9 (the Tajikistan visit's year is missing): the span 2025-10-08..2025-10-10 is \
         inferred from the adjacent letter of 7 October 2025, with `as_published`.\n\
         - A-10, A-11, A-13, A-14, A-15, A-19 concern citations and the proposal text of Annex \
         I, which is not an occurrence: not recorded as events.\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use acta_core::entry::Entry;
    use acta_core::{Roles, VerifierKey, VerifyOptions};

    fn committed(rel: &str) -> Vec<u8> {
        let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures")).join(rel);
        fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn lines(bytes: &[u8]) -> Vec<&[u8]> {
        bytes
            .strip_suffix(b"\n")
            .unwrap()
            .split(|b| *b == b'\n')
            .collect()
    }

    #[test]
    fn regenerating_gives_the_committed_seed_fixtures() {
        let log = build_seed_log().unwrap();
        assert_eq!(log, build_seed_log().unwrap(), "deterministic");
        assert!(
            log.bytes == committed(SEED_LOG),
            "fixtures/{SEED_LOG} differs from what the generator writes; run `cargo run -p acta-testkit --bin acta-fixtures -- fixtures`"
        );
        assert_eq!(
            SeedLog::vkey_text().unwrap().into_bytes(),
            committed(SEED_VKEY)
        );
        assert_eq!(log.head_text().unwrap().into_bytes(), committed(SEED_HEAD));
    }

    #[test]
    fn the_committed_log_verifies_with_the_operator_as_trust_anchor() {
        let path =
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures")).join(SEED_LOG);
        let vkey = String::from_utf8(committed(SEED_VKEY)).unwrap();
        let trust: VerifierKey = vkey.trim_end().parse().unwrap();
        assert_eq!(trust, test_key(SEED_OPERATOR).unwrap().verifier());
        let head = acta_store::log::parse_head(
            String::from_utf8(committed(SEED_HEAD)).unwrap().trim_end(),
        )
        .unwrap();
        let store = FileStore::open_reader(&path).unwrap();
        let report = acta_store::verify(
            &store,
            VerifyOptions {
                trust: Some(trust),
                expect_head: Some(head),
                ..VerifyOptions::default()
            },
        )
        .unwrap();
        assert!(report.is_sound(), "{:?}", report.findings);
        assert_eq!(report.domain.as_deref(), Some(acta_domain::DOMAIN));
        assert_eq!(report.origin.as_deref(), Some(SEED_ORIGIN));
        assert_eq!(report.entries, lines(&committed(SEED_LOG)).len() as u64);
    }

    #[test]
    fn every_domain_entry_decodes() {
        let bytes = committed(SEED_LOG);
        let mut domain_entries = 0;
        for line in lines(&bytes) {
            let e = Entry::decode(line).unwrap().entry;
            if e.entry_type.starts_with("acta.") {
                continue;
            }
            acta_domain::decode(&e.entry_type, &e.data)
                .unwrap_or_else(|err| panic!("seq {}: {err}", e.seq));
            domain_entries += 1;
        }
        assert!(domain_entries > 48);
    }

    #[test]
    fn every_row_of_the_seed_table_is_recorded() {
        let log = build_seed_log().unwrap();
        let rows: Vec<u32> = ROWS.iter().map(|(r, _)| *r).collect();
        assert_eq!(rows, (1..=48).collect::<Vec<_>>(), "rows 1 to 48, in order");
        let bytes = committed(SEED_LOG);
        let stored = lines(&bytes);
        for (row, entries) in ROWS {
            assert!(!entries.is_empty(), "row {row} has entries");
            for (entry_type, label) in entries {
                let e = log
                    .entry(label)
                    .unwrap_or_else(|| panic!("row {row}: no entry labelled {label}"));
                assert_eq!(e.entry_type, *entry_type, "row {row}: {label}");
                let stored = Entry::decode(stored[e.seq as usize]).unwrap().entry;
                assert_eq!(stored.entry_type, *entry_type, "row {row}: seq {}", e.seq);
            }
        }
        let labels: BTreeSet<&str> = log.entries.iter().map(|e| e.label).collect();
        assert_eq!(labels.len(), log.entries.len(), "labels are unique");
    }

    #[test]
    fn every_correction_is_approved_by_another_author() {
        let bytes = committed(SEED_LOG);
        let entries: Vec<Entry> = lines(&bytes)
            .into_iter()
            .map(|l| Entry::decode(l).unwrap().entry)
            .collect();
        let mut corrections = 0;
        for (i, e) in entries.iter().enumerate() {
            if e.entry_type != "correction_recorded" {
                continue;
            }
            corrections += 1;
            let hash = acta_core::EntryHash::of_line(lines(&bytes)[i]);
            let approved = entries[i + 1..].iter().any(|a| {
                let Ok(acta_domain::Event::ApprovalRecorded(p)) =
                    acta_domain::decode(&a.entry_type, &a.data)
                else {
                    return false;
                };
                p.target.seq == e.seq && p.target.hash == hash && a.author != e.author
            });
            assert!(
                approved,
                "correction at seq {} is approved by another author",
                e.seq
            );
        }
        assert!(corrections >= 1);
    }

    #[test]
    fn every_entry_is_signed_by_a_key_whose_roles_cover_its_type() {
        let bytes = committed(SEED_LOG);
        let expected: BTreeMap<String, Roles> = SEED_AUTHORS
            .iter()
            .map(|(name, role)| {
                let key = test_key(name).unwrap();
                (key.key_ref().to_string(), role.roles().unwrap())
            })
            .collect();
        let mut roles: BTreeMap<String, Roles> = BTreeMap::new();
        for line in lines(&bytes) {
            let e = Entry::decode(line).unwrap().entry;
            match e.entry_type.as_str() {
                "acta.genesis" => {
                    let g = Genesis::from_data(&e.data).unwrap();
                    for (k, r) in g.keys {
                        roles.insert(k.key_ref().to_string(), r);
                    }
                }
                KEY_ADD_TYPE => {
                    let Some(CoreValue::String(k)) = e.data.get("key") else {
                        panic!("seq {}: acta.key.add has a key", e.seq);
                    };
                    let k: VerifierKey = k.parse().unwrap();
                    let Some(CoreValue::Array(r)) = e.data.get("roles") else {
                        panic!("seq {}: acta.key.add has roles", e.seq);
                    };
                    let r = r
                        .iter()
                        .map(|v| match v {
                            CoreValue::String(s) => s.clone(),
                            _ => panic!("a role is a string"),
                        })
                        .collect();
                    roles.insert(k.key_ref().to_string(), Roles::new(r).unwrap());
                }
                _ => {}
            }
            let author = e.author.to_string();
            assert!(author.starts_with(crate::TEST_KEY_PREFIX), "seq {}", e.seq);
            if e.seq == 0 {
                // The genesis is signed by a key it names; roles govern the entries after it.
                assert_eq!(
                    author,
                    test_key(SEED_OPERATOR).unwrap().key_ref().to_string()
                );
                continue;
            }
            let r = roles
                .get(&author)
                .unwrap_or_else(|| panic!("seq {}: {author} is registered first", e.seq));
            assert!(
                r.allows(&e.entry_type),
                "seq {}: {author} may not sign {}",
                e.seq,
                e.entry_type
            );
        }
        assert_eq!(
            roles, expected,
            "each key has exactly its SignerRole's roles"
        );
    }
}
