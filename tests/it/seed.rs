//! The seed fixture (`fixtures/seed/non-cooperation.log`, the Bureau's report of 26 November
//! 2025 as a signed log) through the projections, the CLI's `state` and `report`, and the
//! domain rules on append.
//!
//! The expectations are those of the team's seed-events table (§5, kept outside the repository; the test reads nothing from it) (the test oracle written
//! before the code) and of the issue; they are not copied from the program's output.

use std::path::{Path, PathBuf};

use acta_core::{VerifierKey, VerifyOptions};
use acta_domain::model::{
    Execution, FactStatus, History, Model, PersonStatus, Section, Stage, ViewOptions,
};
use acta_domain::vocab::{TransmissionTarget, VisitOutcome};
use acta_domain::{Event, StateCode};
use acta_store::FileStore;
use acta_store::project::{ReplayOptions, verify_and_replay};
use chrono::NaiveDate;

use crate::support::run_in;

const LOG: &str = "fixtures/seed/non-cooperation.log";
const VKEY: &str = "fixtures/seed/operator.vkey";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn code(s: &str) -> StateCode {
    s.parse().expect("a State code")
}

fn history() -> History {
    let trust: VerifierKey = std::fs::read_to_string(root().join(VKEY))
        .expect("reading the seed's vkey")
        .trim()
        .parse()
        .expect("a verifier key");
    let store = FileStore::open_reader(root().join(LOG)).expect("opening the seed log");
    let mut h = History::new();
    let (report, _) = verify_and_replay(
        &store,
        VerifyOptions {
            trust: Some(trust),
            ..VerifyOptions::default()
        },
        &mut h,
        &ReplayOptions::default(),
    )
    .expect("the seed log verifies and replays");
    assert!(report.is_sound(), "{report:?}");
    assert_eq!(report.domain.as_deref(), Some(acta_domain::DOMAIN));
    h
}

fn model(view: ViewOptions) -> Model {
    history().view(view)
}

/// The seq of the single fact of `entry_type` matching `pred`.
fn seq_of(m: &Model, entry_type: &str, pred: impl Fn(&Event) -> bool) -> u64 {
    let found: Vec<u64> = m
        .facts
        .iter()
        .filter(|f| f.event.entry_type() == entry_type && pred(&f.event))
        .map(|f| f.at.seq)
        .collect();
    assert_eq!(found.len(), 1, "{entry_type}: {found:?}");
    found[0]
}

#[test]
fn the_seed_replays_without_violations_and_matches_the_oracle() {
    let m = model(ViewOptions::default());
    assert!(m.violations.is_empty(), "{:#?}", m.violations);

    // Warrant Njeem: outstanding again after the release; made public (unsealed by 15 May).
    let w = &m.warrants[&"njeem-warrant".parse().expect("id")];
    assert_eq!(w.execution, Execution::Outstanding);
    assert_ne!(w.visibility, acta_domain::vocab::Visibility::Sealed);
    assert!(!w.asserted_only);

    // Person Njeem: at large; one release without surrender charged to Italy.
    let p = &m.persons[&"njeem-osama-elmasry".parse().expect("id")];
    assert_eq!(p.status, PersonStatus::AtLarge);
    assert_eq!(p.releases.len(), 1);
    assert_eq!(p.releases[0].state, code("ITA"));
    assert_eq!(p.releases[0].on.day(), Some(day("2025-01-21")));

    // Italy: referral deferred, observations submitted, both ASP and UNSC eligible (Libya).
    let ita = &m.proceedings[&"ita-libya-proceeding".parse().expect("id")];
    assert_eq!(ita.stage, Stage::FindingReferralDeferred);
    assert!(ita.eligible_targets.contains(&TransmissionTarget::Asp));
    assert!(ita.eligible_targets.contains(&TransmissionTarget::Unsc));
    assert!(ita.transmitted.is_empty());

    // Hungary: transmitted to the Assembly; ASP only; matter open, Hungary heard, plenary
    // scheduled, not held.
    let hun = &m.proceedings[&"hun-palestine-proceeding".parse().expect("id")];
    assert_eq!(hun.stage, Stage::Transmitted);
    assert_eq!(hun.eligible_targets, vec![TransmissionTarget::Asp]);
    assert_eq!(hun.transmitted.len(), 1);
    assert_eq!(hun.transmitted[0].0, TransmissionTarget::Asp);
    let matter = &m.asp_matters[&"hun-asp-matter".parse().expect("id")];
    assert!(matter.state_heard);
    assert!(matter.plenary_held.is_none());

    // Mongolia: finding of 24 October 2024; no request pending except the disqualification,
    // whose decision as published (by PTC II, A-6) is quarantined.
    let mng = &m.proceedings[&"mng-ukraine-proceeding".parse().expect("id")];
    assert!(mng.opened_implicitly);
    assert_eq!(
        mng.decisions.first().and_then(|d| d.on.day()),
        Some(day("2024-10-24"))
    );
    let pending: Vec<String> = m
        .requests
        .values()
        .filter(|r| r.decided.is_none())
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(pending, vec!["mng-disqualification".to_owned()]);
    for (id, on) in [
        ("mng-partial-reconsideration", "2025-03-10"),
        ("mng-reconsideration", "2025-03-18"),
    ] {
        let r = &m.requests[&id.parse().expect("id")];
        let d = r.decided.as_ref().expect("decided");
        assert_eq!(d.on.day(), Some(day(on)), "{id}");
    }

    // Prevention episodes: both visits without arrest; Hungary's led to a proceeding.
    let e = &m.episodes[&"hun-netanyahu-2025".parse().expect("id")];
    assert_eq!(e.outcome, Some(VisitOutcome::NotArrested));
    let e = &m.episodes[&"tjk-putin-2025".parse().expect("id")];
    assert_eq!(e.outcome, Some(VisitOutcome::NotArrested));
    assert!(e.proceeding.is_none());

    // Section classifier: all four States are Parties (the seed asserts it as of the dates of
    // their conduct; at the report date it holds for all four).
    for s in ["ITA", "HUN", "MNG", "TJK"] {
        assert_eq!(
            m.section_on(code(s), day("2025-11-26"), None),
            Some(Section::StatesParties),
            "{s}"
        );
    }

    // Roster: Mexico, Sierra Leone, Vanuatu, Poland, and Finland ex officio.
    let members: Vec<&str> = m.roster.members.keys().map(StateCode::as_str).collect();
    assert_eq!(members, vec!["MEX", "POL", "SLE", "VUT"]);
    assert_eq!(m.roster.president_ex_officio, Some(code("FIN")));
}

#[test]
fn the_bureau_date_error_is_quarantined_until_its_correction_is_approved() {
    let full = model(ViewOptions::default());
    let took_note = seq_of(&full, "bureau_took_note", |_| true);
    let fact = full.fact(took_note).expect("fact");
    // Corrected: 2 April 2025, the published 2 April 2024 kept.
    assert_eq!(fact.status, FactStatus::Applied);
    assert_eq!(
        fact.event.envelope().occurred.and_then(|d| d.day()),
        Some(day("2025-04-02"))
    );
    let published = fact
        .published
        .as_ref()
        .expect("the published event is kept");
    assert_eq!(
        published.envelope().occurred.and_then(|d| d.day()),
        Some(day("2024-04-02"))
    );
    let correction = fact.corrections.first().expect("a correction").clone();
    assert!(correction.approved_by.seq > correction.at.seq);

    // As recorded before the approval: quarantined (E_DATE_ORDER acknowledged).
    let before = model(ViewOptions {
        as_of_seq: Some(correction.approved_by.seq - 1),
        ..ViewOptions::default()
    });
    assert!(matches!(
        before.fact(took_note).expect("fact").status,
        FactStatus::Quarantined { .. }
    ));
    // As published: quarantined too.
    let published_view = model(ViewOptions {
        as_published: true,
        ..ViewOptions::default()
    });
    assert!(matches!(
        published_view.fact(took_note).expect("fact").status,
        FactStatus::Quarantined { .. }
    ));
}

#[test]
fn as_in_effect_on_a_date() {
    let njeem = "njeem-warrant".parse().expect("id");
    let on = |d: &str| {
        model(ViewOptions {
            as_of_date: Some(day(d)),
            ..ViewOptions::default()
        })
    };
    assert!(!on("2025-01-17").warrants.contains_key(&njeem));
    assert_eq!(
        on("2025-01-18").warrants[&njeem].execution,
        Execution::Outstanding
    );
    assert_eq!(
        on("2025-01-20").warrants[&njeem].execution,
        Execution::InStateCustody { state: code("ITA") }
    );
    assert_eq!(
        on("2025-01-22").warrants[&njeem].execution,
        Execution::Outstanding
    );
    // Before the Hungary decision of 24 July 2025 there is no finding against Hungary.
    let hun = "hun-palestine-proceeding".parse().expect("id");
    let m = on("2025-07-23");
    assert!(m.proceedings.get(&hun).is_none_or(|p| p.finding.is_none()));
    assert_eq!(on("2025-07-24").proceedings[&hun].stage, Stage::Transmitted);
}

/// Runs the real `acta` in `dir`: exit code, stdout, stderr.
fn acta_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run_in(dir, args).into_parts()
}

/// Runs the real `acta` in the repository root.
fn acta(args: &[&str]) -> (i32, String, String) {
    acta_in(&root(), args)
}

/// The arguments of the seed period's report, in `format`.
fn seed_report_args(format: &str) -> Vec<String> {
    [
        "report",
        LOG,
        "--trust",
        &trust_arg(),
        "--from",
        "2024-12-08",
        "--to",
        "2025-11-26",
        "--session",
        "24",
        "--format",
        format,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

fn trust_arg() -> String {
    format!("@{VKEY}")
}

#[test]
fn the_report_for_the_seed_period_states_the_required_facts() {
    let (code, md, err) = acta(&[
        "report",
        LOG,
        "--trust",
        &trust_arg(),
        "--from",
        "2024-12-08",
        "--to",
        "2025-11-26",
        "--session",
        "24",
    ]);
    assert_eq!(code, 0, "{err}");
    for needle in [
        "24 July 2025",
        "ICC-01/18-462",
        "17 October 2025",
        "10 March 2025",
        "18 March 2025",
        "19 January 2025",
        "21 January 2025",
        "31 March 2025",
        "7 October 2025",
    ] {
        assert!(md.contains(needle), "the report lacks {needle:?}:\n{md}");
    }
    let lower = md.to_lowercase();
    for needle in [
        "hungary",
        "italy",
        "mongolia",
        "tajikistan",
        "assembly of states parties",
        "without surrender",
        "defer",
    ] {
        assert!(lower.contains(needle), "the report lacks {needle:?}:\n{md}");
    }
    // The sentence about the Hungary finding names the finding's entry in its footnote.
    let m = model(ViewOptions::default());
    let finding = seq_of(
        &m,
        "non_compliance_decision_issued",
        |e| matches!(e, Event::NonComplianceDecisionIssued(d) if d.state.as_str() == "HUN"),
    );
    let short = m.fact(finding).expect("fact").at.hash.short();
    assert!(
        md.contains(&short),
        "no footnote to entry {finding} ({short}):\n{md}"
    );
}

#[test]
fn report_formats_and_refusals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = dir.path().join("report.html");
    let html_arg = html.to_string_lossy().into_owned();
    let args = |fmt: &str| {
        vec![
            "report".to_owned(),
            LOG.to_owned(),
            "--trust".to_owned(),
            trust_arg(),
            "--from".to_owned(),
            "2024-12-08".to_owned(),
            "--to".to_owned(),
            "2025-11-26".to_owned(),
            "--format".to_owned(),
            fmt.to_owned(),
        ]
    };
    let mut a = args("html");
    a.extend(["--out".to_owned(), html_arg.clone()]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (code, _, err) = acta(&a);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&html_arg), "{err}");
    let page = std::fs::read_to_string(&html).expect("the HTML report");
    assert!(page.contains("<svg"), "no timeline picture");
    assert!(
        !page.contains("http://") && !page.contains("https://") || !page.contains("src=\"http")
    );
    // --out never replaces a file: same command again fails, file unchanged.
    let (code, _, err) = acta(&a);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read_to_string(&html).expect("still there"), page);

    let a = args("json");
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (code, json, err) = acta(&a);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON report");
    assert!(v.is_object());

    // A wrong trust anchor: exit 1, nothing printed on stdout.
    let (code, out, err) = acta(&[
        "report",
        LOG,
        "--trust",
        "@fixtures/valid/basic.operator.vkey",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    // A period backwards: exit 2.
    let (code, _, err) = acta(&[
        "report",
        LOG,
        "--trust",
        &trust_arg(),
        "--from",
        "2025-12-31",
        "--to",
        "2025-01-01",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--to"), "{err}");
}

#[test]
fn state_filters() {
    let (code, out, err) = acta(&[
        "state",
        LOG,
        "--trust",
        &trust_arg(),
        "--person",
        "njeem-osama-elmasry",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("njeem-warrant"), "{out}");
    assert!(!out.contains("netanyahu-warrant"), "{out}");
    let (code, out, err) = acta(&["state", LOG, "--trust", &trust_arg(), "--state", "HUN"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("hun-palestine-proceeding"), "{out}");
    assert!(!out.contains("ita-libya-proceeding"), "{out}");
    let (code, out, err) = acta(&[
        "state",
        LOG,
        "--trust",
        &trust_arg(),
        "--as-of-date",
        "2025-01-20",
        "--json",
        "--person",
        "njeem-osama-elmasry",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        v["model"]["warrants"]["njeem-warrant"]["execution"]["execution"],
        "in_state_custody"
    );
    let (code, _, err) = acta(&["state", LOG, "--trust", &trust_arg(), "--state", "Hungary"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--state"), "{err}");
}

/// Writes a private key file for a fixed test-only key.
fn write_key(dir: &Path, file: &str, name: &str, seed: u8) -> String {
    use std::os::unix::fs::PermissionsExt as _;
    let key = acta_core::SigningKey::from_seed(name, [seed; 32]).expect("key");
    let path = dir.join(file);
    std::fs::write(&path, format!("{}\n", key.to_private_text())).expect("write key");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    key.verifier().to_string()
}

#[test]
fn append_refuses_an_impossible_transition_naming_rule_event_and_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let run = |args: &[&str]| acta_in(d, args);
    let vkey = write_key(d, "op.key", "test-only-operator", 3);
    let (c, _, e) = run(&[
        "init",
        "icc.log",
        "--origin",
        "example.org/rules",
        "--key",
        "op.key",
        "--domain",
        "icc-noncooperation/v1",
    ]);
    assert_eq!(c, 0, "{e}");
    let append = |t: &str, data: &str| {
        run(&[
            "append", "icc.log", "--key", "op.key", "--type", t, "--data", data,
        ])
    };
    for (t, data) in [
        (
            "person_registered",
            r#"{"person":"example-suspect","primary_name":"Example Suspect"}"#,
        ),
        (
            "situation_registered",
            r#"{"situation":"ICC-01/18","name":"State of Palestine","occurred":"2021-03-03"}"#,
        ),
        (
            "arrest_warrant_issued",
            r#"{"warrant_id":"example-warrant","person":"example-suspect","situation":"ICC-01/18","chamber":"PTC-I","visibility":"public","occurred":"2024-01-10"}"#,
        ),
        (
            "arrest_warrant_withdrawn",
            r#"{"warrant_id":"example-warrant","reason":"prosecution_request","occurred":"2024-06-01"}"#,
        ),
    ] {
        let (c, _, e) = append(t, data);
        assert_eq!(c, 0, "{t}: {e}");
    }
    let before = std::fs::read(d.join("icc.log")).expect("log");
    let arrest = r#"{"warrant_id":"example-warrant","person":"example-suspect","state":"ITA","occurred":"2024-07-01"}"#;
    let (c, _, e) = append("person_arrested", arrest);
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("E_WARRANT_TERMINAL"), "{e}");
    assert!(e.contains("person_arrested"), "{e}");
    assert!(e.contains("entry 4"), "names the withdrawal (entry 4): {e}");
    assert_eq!(
        std::fs::read(d.join("icc.log")).expect("log"),
        before,
        "nothing written"
    );
    // Recorded as published with the anomaly acknowledged: accepted, and quarantined.
    let acknowledged = arrest.replace('}', r#","acknowledged_anomalies":["E_WARRANT_TERMINAL"]}"#);
    let (c, _, e) = append("person_arrested", &acknowledged);
    assert_eq!(c, 0, "{e}");
    let (c, out, e) = run(&["state", "icc.log", "--trust", &vkey]);
    assert_eq!(c, 0, "{e}");
    assert!(out.contains("quarantined #5 person_arrested"), "{out}");
}

#[test]
fn seed_state_and_report_snapshots() {
    let (code, out, err) = acta(&["state", LOG, "--trust", &trust_arg()]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("seed_state", out);
    let md_args = seed_report_args("markdown");
    let (code, md, err) = acta(&md_args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("seed_report_markdown", md);
    let json_args = seed_report_args("json");
    let (code, json, err) = acta(&json_args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("seed_report_json", json);
}

#[test]
fn the_domain_history_snapshot_is_resumed_but_never_trusted_blindly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let run = |args: &[&str]| {
        let (code, _, stderr) = acta_in(d, args);
        (code, stderr)
    };
    write_key(d, "op.key", "test-only-operator", 4);
    write_key(d, "other.key", "test-only-operator", 5);
    for (log, key) in [("icc.log", "op.key"), ("other.log", "other.key")] {
        let (c, e) = run(&[
            "init",
            log,
            "--origin",
            "example.org/snap",
            "--key",
            key,
            "--domain",
            "icc-noncooperation/v1",
        ]);
        assert_eq!(c, 0, "{e}");
    }
    let append = |log: &str, key: &str, t: &str, data: &str| {
        run(&["append", log, "--key", key, "--type", t, "--data", data])
    };
    let setup = [
        (
            "person_registered",
            r#"{"person":"example-suspect","primary_name":"Example Suspect"}"#,
        ),
        (
            "arrest_warrant_issued",
            r#"{"warrant_id":"example-warrant","person":"example-suspect","situation":"ICC-01/18","chamber":"PTC-I","visibility":"public","occurred":"2024-01-10"}"#,
        ),
    ];
    for (t, data) in setup {
        assert_eq!(append("icc.log", "op.key", t, data).0, 0);
        assert_eq!(append("other.log", "other.key", t, data).0, 0);
    }
    let snap = d.join("icc.log.domain-state");
    let op = acta_core::SigningKey::from_seed("test-only-operator", [4; 32]).expect("key");
    let saved: acta_store::project::Snapshot<History> = acta_store::project::Snapshot::from_sealed(
        &std::fs::read(&snap).expect("a snapshot beside the log"),
        &op,
    )
    .expect("a snapshot sealed by the operator's key");
    assert_eq!(saved.position.size, 3, "genesis + 2 entries");
    assert_eq!(saved.state.items.len(), 2);
    let stale = std::fs::read(&snap).expect("snapshot");
    let (c, e) = append(
        "icc.log",
        "op.key",
        "arrest_warrant_withdrawn",
        r#"{"warrant_id":"example-warrant","reason":"prosecution_request","occurred":"2024-06-01"}"#,
    );
    assert_eq!(c, 0, "{e}");
    let arrest = r#"{"warrant_id":"example-warrant","person":"example-suspect","state":"ITA","occurred":"2024-07-01"}"#;
    // A stale snapshot (from before the withdrawal), garbage, and another log's snapshot: the
    // rules still see the withdrawal.
    let foreign = std::fs::read(d.join("other.log.domain-state")).expect("other snapshot");
    for (what, bytes) in [
        ("stale", stale),
        ("garbage", b"{\"format\":".to_vec()),
        ("foreign", foreign),
    ] {
        std::fs::write(&snap, &bytes).expect("write");
        let before = std::fs::read(d.join("icc.log")).expect("log");
        let (c, e) = append("icc.log", "op.key", "person_arrested", arrest);
        assert_eq!(c, 2, "{what}: {e}");
        assert!(e.contains("E_WARRANT_TERMINAL"), "{what}: {e}");
        assert_eq!(
            std::fs::read(d.join("icc.log")).expect("log"),
            before,
            "{what}"
        );
    }
}
