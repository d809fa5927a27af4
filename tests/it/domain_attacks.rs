//! Issue 11, cases 6a and 9, through the real binary on small ICC logs built with `acta init`,
//! `acta key add`, `acta append` and `acta import`: the two-person rule through every level
//! (a retracted approval no longer approves; a retracted retraction restores its target), and
//! report injection by a signer with a narrow role (refused on append and import; inert in
//! the Markdown and HTML reports; a log written without acta's checks is refused by readers).
// Test code: failing loudly is the point.
#![allow(clippy::panic)]

use std::path::Path;

use acta_core::entry::NewEntry;
use acta_core::json::{Object, Profile, Value, parse};
use acta_core::{EntryHash, SigningKey};

use crate::support::{key, run_in, write_key};

const ORIGIN: &str = "example.org/icc-attacks";

/// Runs acta in `dir`: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run_in(dir, args).into_parts()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(dir, args);
    assert_eq!(code, 0, "acta {args:?}: {err}");
    out
}

/// An ICC log `icc.log` in a temporary folder, with an operator (`op.key`, every role), a
/// clerk (`clerk.key`, the given roles) and a reviewer (`reviewer.key`, the review roles).
pub(crate) struct Icc {
    dir: tempfile::TempDir,
    pub(crate) trust: String,
}

impl Icc {
    pub(crate) fn new(clerk_roles: &str) -> Icc {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let trust = write_key(d, "op.key", &key("test-only-operator", 41));
        let clerk = write_key(d, "clerk.key", &key("test-only-clerk", 42));
        let reviewer = write_key(d, "reviewer.key", &key("test-only-reviewer", 43));
        ok(
            d,
            &[
                "init",
                "icc.log",
                "--origin",
                ORIGIN,
                "--key",
                "op.key",
                "--domain",
                "icc-noncooperation/v1",
            ],
        );
        for (k, roles) in [
            (&clerk, clerk_roles),
            (
                &reviewer,
                "correction_recorded,event_retracted,approval_recorded",
            ),
        ] {
            ok(
                d,
                &[
                    "key", "add", "icc.log", "--key", "op.key", "--add", k, "--roles", roles,
                ],
            );
        }
        Icc { dir, trust }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn append(&self, key: &str, t: &str, data: &str) -> (i32, String, String) {
        run(
            self.path(),
            &[
                "append", "icc.log", "--key", key, "--type", t, "--data", data,
            ],
        )
    }

    /// Appends (the append must succeed) and returns the new entry as `{"hash":…,"seq":…}`.
    pub(crate) fn must_append(&self, key: &str, t: &str, data: &str) -> String {
        let (code, _, err) = self.append(key, t, data);
        assert_eq!(code, 0, "{t} {data}: {err}");
        self.last()
    }

    fn lines(&self) -> Vec<Vec<u8>> {
        std::fs::read(self.path().join("icc.log"))
            .expect("the log")
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect()
    }

    /// The last entry as `{"hash":…,"seq":…}`.
    fn last(&self) -> String {
        let lines = self.lines();
        let seq = lines.len() - 1;
        format!(
            r#"{{"hash":"{}","seq":{seq}}}"#,
            EntryHash::of_line(&lines[seq])
        )
    }

    /// Appends a line signed by `key` without any of acta's checks (as other software could).
    fn forge(&self, key: &SigningKey, t: &str, data: &str) {
        let lines = self.lines();
        let prev = EntryHash::of_line(lines.last().expect("a genesis"));
        let Ok(Value::Object(data)) = parse(data.as_bytes(), Profile::Entry) else {
            panic!("not a JSON object: {data}");
        };
        let data: Object = data;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        let line = NewEntry {
            seq: lines.len() as u64,
            prev,
            recorded_at: &now,
            entry_type: t,
            data: &data,
        }
        .sign(ORIGIN, key)
        .expect("sign");
        let mut bytes = std::fs::read(self.path().join("icc.log")).expect("log");
        bytes.extend_from_slice(&line);
        bytes.push(b'\n');
        std::fs::write(self.path().join("icc.log"), bytes).expect("write");
    }

    fn state_json(&self, extra: &[&str]) -> serde_json::Value {
        let mut args = vec!["state", "icc.log", "--trust", &self.trust, "--json"];
        args.extend_from_slice(extra);
        serde_json::from_str(&ok(self.path(), &args)).expect("state JSON")
    }

    pub(crate) fn report(&self, format: &str, extra: &[&str]) -> (i32, String, String) {
        let mut args = vec![
            "report",
            "icc.log",
            "--trust",
            &self.trust,
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--format",
            format,
        ];
        args.extend_from_slice(extra);
        run(self.path(), &args)
    }
}

// ---------------------------------------------------------------------------------------------
// Case 6a: the two-person rule through every level
// ---------------------------------------------------------------------------------------------

/// The status of the fact recorded at `seq` in `acta state --json`.
fn status(state: &serde_json::Value, seq: u64) -> String {
    let facts = state["model"]["facts"].as_array().expect("facts");
    let f = facts
        .iter()
        .find(|f| f["at"]["seq"] == seq)
        .unwrap_or_else(|| panic!("no fact {seq}"));
    f["status"]["status"].as_str().expect("a status").to_owned()
}

fn seq(r: &str) -> u64 {
    let v: serde_json::Value = serde_json::from_str(r).expect("an entry ref");
    v["seq"].as_u64().expect("seq")
}

/// The warrant, then an arrest dated before it (acknowledged, so quarantined), then its
/// correction by the clerk and the reviewer's approval: the arrest applies, corrected.
fn corrected_arrest(icc: &Icc) -> (String, String, String) {
    for (t, data) in [
        (
            "situation_registered",
            r#"{"situation":"ICC-01/11","name":"Libya","referral":"unsc_referral","occurred":"2011-03-03"}"#,
        ),
        (
            "state_became_party",
            r#"{"state":"ITA","occurred":"1999-07-26","entry_into_force":"2002-07-01"}"#,
        ),
        (
            "person_registered",
            r#"{"person":"example-suspect","primary_name":"Example Suspect"}"#,
        ),
        (
            "arrest_warrant_issued",
            r#"{"warrant_id":"example-warrant","person":"example-suspect","situation":"ICC-01/11","chamber":"PTC-I","visibility":"public","occurred":"2025-01-18"}"#,
        ),
    ] {
        icc.must_append("clerk.key", t, data);
    }
    let arrest = icc.must_append(
        "clerk.key",
        "person_arrested",
        r#"{"warrant_id":"example-warrant","person":"example-suspect","state":"ITA","occurred":"2024-01-19","acknowledged_anomalies":["E_DATE_ORDER"]}"#,
    );
    let correction = icc.must_append(
        "reviewer.key",
        "correction_recorded",
        &format!(
            r#"{{"target":{arrest},"field_path":"occurred","published_value":"2024-01-19","corrected_value":"2025-01-19","basis":"internal_consistency","confidence":"high"}}"#
        ),
    );
    let approval = icc.must_append(
        "clerk.key",
        "approval_recorded",
        &format!(r#"{{"target":{correction}}}"#),
    );
    (arrest, correction, approval)
}

#[test]
fn two_person_rule_retracted_approval_stops_the_correction_in_state_and_report() {
    let icc = Icc::new("*");
    let (arrest, _, approval) = corrected_arrest(&icc);
    let a = seq(&arrest);
    assert_eq!(status(&icc.state_json(&[]), a), "applied");

    // The reviewer retracts the approval; the clerk approves the retraction.
    let retraction = icc.must_append(
        "reviewer.key",
        "event_retracted",
        &format!(r#"{{"target":{approval},"reason":"entered_in_error"}}"#),
    );
    assert_eq!(
        status(&icc.state_json(&[]), a),
        "applied",
        "a retraction awaiting its second signature changes nothing"
    );
    // Approving one's own retraction is refused.
    let own = format!(r#"{{"target":{retraction}}}"#);
    let (code, _, err) = icc.append("reviewer.key", "approval_recorded", &own);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("E_TWO_PERSON_RULE"), "{err}");
    let approved = icc.must_append("clerk.key", "approval_recorded", &own);

    let state = icc.state_json(&[]);
    assert_eq!(
        status(&state, a),
        "quarantined",
        "the correction no longer applies"
    );
    let text = ok(icc.path(), &["state", "icc.log", "--trust", &icc.trust]);
    assert!(
        text.contains(&format!("quarantined #{a} person_arrested")),
        "{text}"
    );
    // As recorded at each seq.
    for (upto, want) in [
        (seq(&approval), "applied"),
        (seq(&retraction), "applied"),
        (seq(&approved), "quarantined"),
    ] {
        let at = upto.to_string();
        assert_eq!(
            status(&icc.state_json(&["--as-of-seq", &at]), a),
            want,
            "as of {upto}"
        );
    }
    // As published: never corrected.
    assert_eq!(
        status(&icc.state_json(&["--as-published"]), a),
        "quarantined"
    );
    // The report no longer lists the correction as applied.
    let (code, json, err) = icc.report("json", &[]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&json).expect("report JSON");
    assert_eq!(
        report["appendices"]["corrections"].as_array().map(Vec::len),
        Some(0),
        "{json}"
    );
    let (code, json, err) = icc.report("json", &["--as-of-seq", &seq(&approval).to_string()]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&json).expect("report JSON");
    assert_eq!(
        report["appendices"]["corrections"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn two_person_rule_retracting_the_retraction_restores_the_approval() {
    let icc = Icc::new("*");
    let (arrest, _, approval) = corrected_arrest(&icc);
    let a = seq(&arrest);
    let retraction = icc.must_append(
        "reviewer.key",
        "event_retracted",
        &format!(r#"{{"target":{approval},"reason":"entered_in_error"}}"#),
    );
    icc.must_append(
        "clerk.key",
        "approval_recorded",
        &format!(r#"{{"target":{retraction}}}"#),
    );
    assert_eq!(status(&icc.state_json(&[]), a), "quarantined");
    let undo = icc.must_append(
        "reviewer.key",
        "event_retracted",
        &format!(r#"{{"target":{retraction},"reason":"entered_in_error"}}"#),
    );
    assert_eq!(status(&icc.state_json(&[]), a), "quarantined");
    let undone = icc.must_append(
        "clerk.key",
        "approval_recorded",
        &format!(r#"{{"target":{undo}}}"#),
    );
    assert_eq!(status(&icc.state_json(&[]), a), "applied");
    assert_eq!(
        status(
            &icc.state_json(&["--as-of-seq", &(seq(&undone) - 1).to_string()]),
            a
        ),
        "quarantined"
    );
    let state = icc.state_json(&[]);
    let reviews = state["model"]["reviews"].as_array().expect("reviews");
    let of = |r: &str| {
        reviews
            .iter()
            .find(|x| x["at"]["seq"] == seq(r))
            .map(|x| x["state"].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(of(&retraction).as_deref(), Some("retracted"));
    assert_eq!(of(&undo).as_deref(), Some("applied"));
}

// ---------------------------------------------------------------------------------------------
// Case 9: report injection by a signer with a narrow role
// ---------------------------------------------------------------------------------------------

/// The attack: a name that ends the paragraph and injects a numbered paragraph without a
/// footnote, a list, a rule, an autolink and a fake footnote.
const INJECTED_NAME: &str = "Example Suspect\n\n7. Italy fully cooperated with the Court.\n\n- a list item\n\n---\n\n<https://evil.example/>\n\n[^1]: Entry 1 (000000000000). Verified.";

/// The same on one line (every character allowed in a text field): nothing of it may act as
/// Markdown or HTML in the report.
const ONE_LINE_NAME: &str = "Example Suspect 7. Italy fully cooperated. - item *** <https://evil.example/> [link](https://evil.example/) www.evil.example a@evil.example [^1]: fake &#x202E; <script>alert(1)</script> \"quoted\" 'single'";

fn register_as_clerk(icc: &Icc, name: &str) -> (i32, String, String) {
    let data = serde_json::json!({"person": "example-suspect", "primary_name": name}).to_string();
    icc.append("clerk.key", "person_registered", &data)
}

/// The facts around the registration, recorded by the operator: a warrant issued and an
/// arrest in the report's period, so that the name appears in the report.
fn warrant_and_arrest(icc: &Icc) {
    for (t, data) in [
        (
            "situation_registered",
            r#"{"situation":"ICC-01/11","name":"Libya","referral":"unsc_referral","occurred":"2011-03-03"}"#,
        ),
        (
            "state_became_party",
            r#"{"state":"ITA","occurred":"1999-07-26","entry_into_force":"2002-07-01"}"#,
        ),
        (
            "arrest_warrant_issued",
            r#"{"warrant_id":"example-warrant","person":"example-suspect","situation":"ICC-01/11","chamber":"PTC-I","visibility":"public","occurred":"2025-01-18"}"#,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"example-warrant","person":"example-suspect","state":"ITA","occurred":"2025-01-19"}"#,
        ),
    ] {
        icc.must_append("op.key", t, data);
    }
}

#[test]
fn report_injection_newlines_in_a_text_field_are_refused_on_append_and_import() {
    let icc = Icc::new("person_registered");
    let before = std::fs::read(icc.path().join("icc.log")).expect("log");
    let (code, _, err) = register_as_clerk(&icc, INJECTED_NAME);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("data.primary_name"), "names the field: {err}");
    assert!(err.contains("U+000A"), "names the character: {err}");
    assert!(!err.contains("Italy fully cooperated"), "{err}");
    // Import: the same, nothing written.
    let line = serde_json::json!({
        "type": "person_registered",
        "data": {"person": "example-suspect", "primary_name": "Example\u{202E}Suspect"}
    });
    std::fs::write(icc.path().join("events.jsonl"), format!("{line}\n")).expect("write");
    let (code, _, err) = run(
        icc.path(),
        &["import", "icc.log", "--key", "clerk.key", "events.jsonl"],
    );
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("data.primary_name"), "{err}");
    assert!(err.contains("U+202E"), "{err}");
    assert_eq!(
        std::fs::read(icc.path().join("icc.log")).expect("log"),
        before,
        "nothing written"
    );
}

#[test]
fn report_injection_forged_newlines_make_readers_refuse_not_render() {
    let icc = Icc::new("person_registered");
    let data = serde_json::json!({"person": "example-suspect", "primary_name": INJECTED_NAME});
    icc.forge(
        &key("test-only-clerk", 42),
        "person_registered",
        &data.to_string(),
    );
    warrant_and_arrest(&icc);
    for format in ["markdown", "html"] {
        let (code, out, err) = icc.report(format, &[]);
        assert_eq!(code, 1, "{err}");
        assert!(out.is_empty(), "no report: {out}");
        assert!(
            err.contains("E_SCHEMA") || err.contains("primary_name"),
            "{err}"
        );
        assert!(!err.contains("Italy fully cooperated"), "{err}");
    }
    let (code, out, err) = run(icc.path(), &["state", "icc.log", "--trust", &icc.trust]);
    assert_eq!(code, 1, "{err}");
    assert!(!out.contains("Italy fully cooperated"), "{out}");
    assert!(!err.contains("Italy fully cooperated"), "{err}");
}

/// Counts of the Markdown structures of a document (every extension on).
fn structure(md: &str) -> std::collections::BTreeMap<String, usize> {
    use pulldown_cmark::{Event, Options, Parser};
    let mut counts = std::collections::BTreeMap::new();
    for e in Parser::new_ext(md, Options::all() - Options::ENABLE_SMART_PUNCTUATION) {
        let kind = match e {
            Event::Text(_) => continue,
            Event::Start(t) => format!("{t:?}")
                .split(['(', ' ', '{'])
                .next()
                .unwrap_or_default()
                .to_owned(),
            Event::End(_) => continue,
            other => format!("{other:?}")
                .split('(')
                .next()
                .unwrap_or_default()
                .to_owned(),
        };
        *counts.entry(kind).or_insert(0) += 1;
    }
    counts
}

fn markdown_text(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut out = String::new();
    for e in Parser::new_ext(md, Options::all() - Options::ENABLE_SMART_PUNCTUATION) {
        match e {
            Event::Text(t) => out.push_str(&t),
            _ => out.push('\u{0}'),
        }
    }
    out
}

#[test]
fn report_injection_one_line_markup_in_a_name_stays_inert_text() {
    let benign = Icc::new("person_registered");
    let (code, _, err) = register_as_clerk(&benign, "Example Suspect");
    assert_eq!(code, 0, "{err}");
    warrant_and_arrest(&benign);
    let hostile = Icc::new("person_registered");
    let (code, _, err) = register_as_clerk(&hostile, ONE_LINE_NAME);
    assert_eq!(code, 0, "one line of visible characters is accepted: {err}");
    warrant_and_arrest(&hostile);

    let (code, md_benign, err) = benign.report("markdown", &[]);
    assert_eq!(code, 0, "{err}");
    let (code, md_hostile, err) = hostile.report("markdown", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(md_benign.contains("Example Suspect"), "{md_benign}");
    let s_benign = structure(&md_benign);
    assert!(
        s_benign.get("FootnoteReference").copied().unwrap_or(0) > 0,
        "{s_benign:?}"
    );
    assert_eq!(
        structure(&md_hostile),
        s_benign,
        "same paragraphs, items, footnotes, and no link, HTML, rule or emphasis:\n{md_hostile}"
    );
    // The name is there, as text, whole.
    assert!(
        markdown_text(&md_hostile).contains(ONE_LINE_NAME),
        "{md_hostile}"
    );

    let (code, html, err) = hostile.report("html", &[]);
    assert_eq!(code, 0, "{err}");
    let (code, html_benign, err) = benign.report("html", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("href=\"https://evil"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    // Double quotes as entities; single quotes as they are (maud writes every attribute
    // value in double quotes, so a single quote can end nothing), the text whole.
    assert!(html.contains("&quot;quoted&quot; 'single'"), "{html}");
    assert!(!html.contains("\"quoted\""), "{html}");
    for tag in ["<p", "<li", "<a ", "<h", "<sup", "<table", "<tr"] {
        assert_eq!(
            html.matches(tag).count(),
            html_benign.matches(tag).count(),
            "{tag}"
        );
    }
}
