//! Issue 12: hostile text in a log's event fields comes out of `acta report --format html` as
//! inert text, checked in a real headless Chromium (`--dump-dom`: the DOM after the page has
//! loaded and any script it runs has run).
//!
//! Two small ICC logs with the same events (the helper of `domain_attacks.rs`): one with plain
//! text in every text field the report prints, one with hostile text there (script tags,
//! `<img onerror>`, `<svg onload>`, `javascript:` links, `</style>` and CSS, attribute
//! breakers, comments, CDATA, entities). Every hostile script would write [`CANARY`] into the
//! DOM (built by concatenation, so the text itself never holds it). The checks:
//!
//! - a control page written by the test (the same kinds of script, unescaped) shows each
//!   script's mutation in the dumped DOM: the harness sees a script that runs;
//! - the hostile report's DOM has exactly the benign report's tags (names, attributes and
//!   values, in order): no element or attribute came from the text; the canary is nowhere;
//!   the page title is the report's; the hostile text is there, as text;
//! - the same with the page's Content-Security-Policy removed: the escaping alone is enough;
//! - bidirectional controls and zero-width characters, which acta refuses on append (so no
//!   log a reader accepts holds them), put into a report built by the library from the hostile
//!   log: the DOM shows them as `[U+XXXX]` and holds none of them.
//!
//! Without Chromium the test prints `SKIPPED` and passes, unless `ACTA_REQUIRE_CHROMIUM=1` (as
//! CI sets), in which case it fails.
// Test code: failing loudly is the point.
#![allow(clippy::panic)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use acta_core::{VerifierKey, VerifyOptions};
use acta_domain::model::{History, ViewOptions};
use acta_store::FileStore;
use acta_store::project::{ReplayOptions, verify_and_replay};

use crate::domain_attacks::Icc;

/// What a hostile script writes when it runs. Never written as one piece in any hostile text.
const CANARY: &str = "ACTA-PWNED";

/// The hostile text of a field: `tag` (to find the field in the page), then markup of every
/// kind. Every script in it writes [`CANARY`] (as `'ACTA-'+'PWNED'`).
fn hostile(tag: &str) -> String {
    format!(
        "{tag} <script>document.title='ACTA-'+'PWNED'</script>\
         <img src=x onerror=\"document.body.setAttribute('data-img','ACTA-'+'PWNED')\">\
         <svg onload=\"document.body.setAttribute('data-svg','ACTA-'+'PWNED')\"><script>document.body.setAttribute('data-svgscript','ACTA-'+'PWNED')</script></svg>\
         <a href=\"javascript:document.title='ACTA-'+'PWNED'\">click</a> \
         <iframe src=\"javascript:parent.document.title='ACTA-'+'PWNED'\"></iframe>\
         </style><style>body{{display:none}}</style></title></textarea></svg>\
         \" onmouseover=\"document.title='ACTA-'+'PWNED'\" x=' \
         <!-- <![CDATA[ ]]> --> &lt;b&gt; &amp;amp; &#x3C;script&#x3E; \
         <base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=javascript:document.title='ACTA-'+'PWNED'\">"
    )
}

fn benign(tag: &str) -> String {
    format!("{tag} plain text")
}

/// The tag each hostile field starts with, as the page's DOM shows it.
const TAGS: &[&str] = &[
    "SITNAME",
    "PNAME",
    "SRCPARA",
    "ASPUB",
    "PSASPUB",
    "RULE",
    "PSSUBJ",
    "TOPIC",
    "FLAG",
    "CORRECTED",
];

/// The events of the test log, with `text(tag)` in their text fields.
fn record(icc: &Icc, text: &dyn Fn(&str) -> String) {
    let t = |tag: &str| serde_json::Value::String(text(tag));
    let op = |ty: &str, data: serde_json::Value| icc.must_append("op.key", ty, &data.to_string());
    use serde_json::json;
    op(
        "situation_registered",
        json!({"situation": "ICC-01/11", "name": t("SITNAME"), "referral": "unsc_referral",
               "occurred": "2011-03-03", "note": t("SITNOTE")}),
    );
    op(
        "state_became_party",
        json!({"state": "ITA", "occurred": "1999-07-26", "entry_into_force": "2002-07-01"}),
    );
    op(
        "person_registered",
        json!({"person": "example-suspect", "primary_name": t("PNAME"), "position": t("PPOS"),
               "aliases": [t("PALIAS")], "kind": "subject", "note": t("PNOTE")}),
    );
    op(
        "arrest_warrant_issued",
        json!({"warrant_id": "example-warrant", "person": "example-suspect",
               "situation": "ICC-01/11", "chamber": "PTC-I", "visibility": "public",
               "occurred": "2025-01-18", "doc_ref": "ICC-01/11-208", "note": t("AWNOTE"),
               "sources": [{"doc": "ICC-01/11-208", "para": t("SRCPARA"),
                            "published_text": t("SRCTEXT")}]}),
    );
    let arrest = op(
        "person_arrested",
        json!({"warrant_id": "example-warrant", "person": "example-suspect", "state": "ITA",
               "occurred": "2025-01-19"}),
    );
    op(
        "person_released_without_surrender",
        json!({"as_published": {"expelled_to": t("ASPUB")}, "expelled_to": "LBY",
               "note": t("RELNOTE"), "occurred": "2025-01-21", "person": "example-suspect",
               "state": "ITA", "warrant_id": "example-warrant"}),
    );
    let statement = op(
        "public_statement_issued",
        json!({"as_published": {"occurred": t("PSASPUB")}, "by": "asp:president",
               "occurred": {"from": "2025-02-01", "to": "2025-03-01"},
               "provenance": {"inferred": {"rule": t("RULE")}}, "confidence": "low",
               "subject": t("PSSUBJ")}),
    );
    op(
        "focal_points_meeting_held",
        json!({"kind": "strategic_planning", "occurred": "2025-03-10", "topics": [t("TOPIC")]}),
    );
    let arrest: serde_json::Value = serde_json::from_str(&arrest).expect("an entry ref");
    op(
        "anomaly_flagged",
        json!({"code": "W_SOURCE_INTERNAL_CONFLICT", "explanation": t("FLAG"),
               "field_path": "occurred", "target": arrest}),
    );
    let statement: serde_json::Value = serde_json::from_str(&statement).expect("an entry ref");
    let correction = op(
        "correction_recorded",
        json!({"basis": "internal_consistency", "confidence": "high", "field_path": "subject",
               "published_value": t("PSSUBJ"), "corrected_value": t("CORRECTED"),
               "note": t("CORRNOTE"), "target": statement}),
    );
    let correction: serde_json::Value = serde_json::from_str(&correction).expect("an entry ref");
    icc.must_append(
        "reviewer.key",
        "approval_recorded",
        &json!({"target": correction}).to_string(),
    );
}

/// The Chromium binary, or `None` (after printing SKIPPED) when there is none and
/// `ACTA_REQUIRE_CHROMIUM` is not `1`.
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        let found = Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if found {
            return Some(PathBuf::from(name));
        }
    }
    let required = std::env::var("ACTA_REQUIRE_CHROMIUM").as_deref() == Ok("1");
    assert!(
        !required,
        "ACTA_REQUIRE_CHROMIUM=1 but no chromium is installed (apt-get install -y chromium)"
    );
    // Straight to the process's stderr: the test harness captures `eprintln!`.
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED: the browser test needs chromium (apt-get install -y chromium) ***\n"
    );
    None
}

/// The DOM of `page` after Chromium loaded it (its own profile, at most two minutes).
fn dump_dom(chromium: &Path, page: &Path) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("dom.html");
    let err = dir.path().join("stderr.txt");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("create dom.html"))
        .stderr(std::fs::File::create(&err).expect("create stderr.txt"))
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for chromium") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 120 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = std::fs::read_to_string(&out).expect("the dumped DOM");
    assert!(
        status.success() && dom.contains("</html>"),
        "chromium {status} on {}: {}",
        page.display(),
        std::fs::read_to_string(&err).unwrap_or_default()
    );
    dom
}

/// Every tag of a serialised DOM, as written (`<a href="#fn-1" id="fnref-1">`, `</a>`).
/// Text never holds `<` there (it is serialised as `&lt;`), and attribute values hold no `"`.
fn tags(dom: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map_or(rest.len(), |(j, _)| j + 1);
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// The title element's text.
fn title(dom: &str) -> &str {
    let start = dom.find("<title>").map_or(0, |i| i + "<title>".len());
    let end = dom[start..].find("</title>").map_or(start, |i| start + i);
    &dom[start..end]
}

/// The hostile page's DOM is the benign one's with other text: same tags, same title, no
/// canary; and the hostile text is there, as text.
fn assert_inert(what: &str, dom: &str, benign_dom: &str) {
    assert!(
        !dom.contains(CANARY),
        "{what}: a hostile script ran:\n{dom}"
    );
    assert_eq!(title(dom), title(benign_dom), "{what}: the page title");
    assert_eq!(title(dom), "Report of the Bureau on non-cooperation");
    let (hostile_tags, benign_tags) = (tags(dom), tags(benign_dom));
    assert!(benign_tags.len() > 300, "{what}: {}", benign_tags.len());
    if hostile_tags != benign_tags {
        let first = hostile_tags
            .iter()
            .zip(&benign_tags)
            .position(|(a, b)| a != b)
            .unwrap_or(hostile_tags.len().min(benign_tags.len()));
        panic!(
            "{what}: the hostile text made markup: tag {first} is {:?}, benign {:?}",
            hostile_tags.get(first),
            benign_tags.get(first)
        );
    }
    for tag in TAGS {
        let shown = format!("{tag} &lt;script&gt;document.title='ACTA-'+'PWNED'&lt;/script&gt;");
        assert!(dom.contains(&shown), "{what}: {tag} shown as text:\n{dom}");
    }
}

/// The report of `icc` as HTML, written by `acta report --out`; the file's path.
fn report_file(icc: &Icc) -> PathBuf {
    let (code, out, err) = icc.report("html", &["--out", "report.html"]);
    assert_eq!(code, 0, "{out}{err}");
    icc.path().join("report.html")
}

/// The report built by the library from `icc`'s log, for the reporting period of
/// [`Icc::report`].
fn library_report(icc: &Icc) -> acta_report::Report {
    let trust: VerifierKey = icc.trust.trim().parse().expect("a verifier key");
    let store = FileStore::open_reader(icc.path().join("icc.log")).expect("the log");
    let mut history = History::new();
    let (report, _) = verify_and_replay(
        &store,
        VerifyOptions {
            trust: Some(trust),
            ..VerifyOptions::default()
        },
        &mut history,
        &ReplayOptions::default(),
    )
    .expect("the log verifies and replays");
    assert!(report.is_sound(), "{report:?}");
    let model = history.view(ViewOptions::default());
    let params = acta_report::ReportParams {
        from: "2025-01-01".parse().expect("a date"),
        to: "2025-12-31".parse().expect("a date"),
        session: None,
        origin: "icc.log".to_owned(),
        head: None,
        size: model.size,
    };
    acta_report::build(&model, &params)
}

/// Characters a text field may not hold: bidirectional controls and zero-width characters.
const INVISIBLE: &str = "\u{202E}\u{2066}\u{200B}\u{FEFF}";
const INVISIBLE_SHOWN: &str = "[U+202E][U+2066][U+200B][U+FEFF]";

/// `r` with [`INVISIBLE`] inserted in every text a reader sees.
fn with_invisible(mut r: acta_report::Report) -> acta_report::Report {
    let salt = |s: &mut String| s.insert_str(s.len() / 2, INVISIBLE);
    salt(&mut r.title);
    for s in &mut r.sections {
        salt(&mut s.title);
        for p in &mut s.paragraphs {
            for sen in &mut p.sentences {
                salt(&mut sen.text);
                sen.footnote.notes.iter_mut().for_each(salt);
                sen.footnote.documents.iter_mut().for_each(salt);
            }
        }
    }
    for c in &mut r.cases {
        salt(&mut c.title);
        c.events.iter_mut().for_each(|e| salt(&mut e.label));
    }
    for c in &mut r.appendices.corrections {
        salt(&mut c.published);
        salt(&mut c.corrected);
    }
    for d in &mut r.appendices.discrepancies {
        salt(&mut d.text);
    }
    salt(&mut r.manifest.origin);
    r
}

#[test]
fn report_html_hostile_text_runs_no_script_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let work = tempfile::tempdir().expect("tempdir");

    // The control: the same kinds of script, unescaped, run and are seen.
    let control = work.path().join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><head><title>control</title></head><body><p>control</p>\
         <script>document.title='ACTA-'+'PWNED'</script>\
         <img src=x onerror=\"document.body.setAttribute('data-img','ACTA-'+'PWNED')\">\
         <svg onload=\"document.body.setAttribute('data-svg','ACTA-'+'PWNED')\"></svg>\
         </body></html>",
    )
    .expect("write the control page");
    let dom = dump_dom(&chromium, &control);
    assert_eq!(title(&dom), CANARY, "the control page's script ran:\n{dom}");
    assert!(
        dom.contains("data-img=\"ACTA-PWNED\""),
        "onerror ran:\n{dom}"
    );
    assert!(
        dom.contains("data-svg=\"ACTA-PWNED\""),
        "onload ran:\n{dom}"
    );

    // The reports, through the real binary.
    let benign_log = Icc::new("person_registered");
    record(&benign_log, &benign);
    let hostile_log = Icc::new("person_registered");
    record(&hostile_log, &hostile);
    let benign_page = report_file(&benign_log);
    let hostile_page = report_file(&hostile_log);
    let benign_dom = dump_dom(&chromium, &benign_page);
    assert!(!benign_dom.contains(CANARY), "{benign_dom}");
    let html = std::fs::read_to_string(&hostile_page).expect("the hostile report");
    // Every hostile field is in the page (the test would check nothing otherwise).
    for tag in TAGS {
        assert!(
            html.contains(&format!("{tag} &lt;script&gt;")),
            "{tag}:\n{html}"
        );
    }
    assert_inert("report", &dump_dom(&chromium, &hostile_page), &benign_dom);

    // Without the page's Content-Security-Policy: the escaping alone keeps it inert.
    let no_csp = |page: &Path, name: &str| {
        let html = std::fs::read_to_string(page).expect("a report");
        let start = html
            .find("<meta http-equiv=\"Content-Security-Policy\"")
            .expect("the report has a CSP");
        let end = start + html[start..].find('>').expect("the meta ends") + 1;
        let path = work.path().join(name);
        std::fs::write(&path, format!("{}{}", &html[..start], &html[end..])).expect("write");
        path
    };
    let benign_dom = dump_dom(&chromium, &no_csp(&benign_page, "benign.html"));
    let dom = dump_dom(&chromium, &no_csp(&hostile_page, "hostile.html"));
    assert!(!dom.contains("Content-Security-Policy"));
    assert_inert("report without CSP", &dom, &benign_dom);

    // Bidirectional controls and zero-width characters (refused on append) in a report built
    // by the library from the hostile log.
    let plain = acta_report::to_html(&library_report(&hostile_log));
    let salted = acta_report::to_html(&with_invisible(library_report(&hostile_log)));
    assert!(!salted.contains(|c| INVISIBLE.contains(c)), "{salted}");
    let (plain_path, salted_path) = (
        work.path().join("plain.html"),
        work.path().join("salted.html"),
    );
    std::fs::write(&plain_path, plain).expect("write");
    std::fs::write(&salted_path, salted).expect("write");
    let plain_dom = dump_dom(&chromium, &plain_path);
    let salted_dom = dump_dom(&chromium, &salted_path);
    assert!(
        !salted_dom.contains(|c| INVISIBLE.contains(c)),
        "{salted_dom}"
    );
    assert!(!salted_dom.contains(CANARY), "{salted_dom}");
    assert_eq!(tags(&salted_dom), tags(&plain_dom));
    assert!(
        salted_dom.matches(INVISIBLE_SHOWN).count() > 20,
        "shown as [U+XXXX]:\n{salted_dom}"
    );
    assert!(title(&salted_dom).contains(INVISIBLE_SHOWN));
}
