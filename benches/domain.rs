//! The cost of the domain's rule checks (issue 11, case 10), each benchmark checking its own
//! results.
//!
//! ```text
//! cargo bench --bench domain          # criterion groups, then per-event and per-element ratios
//! ```
//!
//! - `domain/check_append/N` (N = 1000, 10000): checking the next 100 events with a
//!   [`Checker`] after a history of N events (the checker of `acta import` and `acta append`);
//!   criterion reports the time for the 100. Per-event cost should not grow with N.
//! - `domain/full_replay_check/1000`: the same 100 events checked by replaying the history
//!   for each (`History::check_append`, what a batch cost before the checker), for contrast.
//! - `domain/dup_check/S` (S = 1000, 10000, 50000 record numbers; 50000 is about 1 MB):
//!   decoding and checking one `court_informed_asp` whose `about` lists S distinct decisions
//!   (the list's distinctness check, and the engine's look-up of each decision).
//!
//! After criterion's output the binary prints ratios measured in this same run, alternating
//! the sizes round after round: per-event cost at 10k / at 1k, and per-element cost of the
//! `about` list at 50k / at 1k (flat: about 1; quadratic work would give 10 and 50). Under
//! `cargo test --benches` every benchmark runs once (and still checks its results).
// A benchmark that checks its results fails loudly when they are wrong.
#![allow(clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use acta_core::json::{Object, Profile, Value, parse};
use acta_domain::model::{Checker, History};
use criterion::{BatchSize, Criterion};

const CLERK: &str = "bench-clerk+00000001";
const NOW: &str = "2025-11-26T12:00:00Z";
/// Events checked per measurement.
const BATCH: u64 = 100;

fn obj(json: &str) -> Object {
    match parse(json.as_bytes(), Profile::Entry) {
        Ok(Value::Object(o)) => o,
        other => panic!("not a JSON object: {other:?}: {json}"),
    }
}

/// Event `i` of the benchmark's history: after a situation and a State party, persons,
/// their warrants and their arrests, in turn (every one valid, so every check succeeds).
fn event(i: u64) -> (&'static str, Object) {
    match i {
        0 => (
            "situation_registered",
            obj(
                r#"{"situation":"ICC-01/11","name":"Libya","referral":"unsc_referral","occurred":"2011-03-03"}"#,
            ),
        ),
        1 => (
            "state_became_party",
            obj(r#"{"state":"ITA","occurred":"1999-07-26","entry_into_force":"2002-07-01"}"#),
        ),
        _ => {
            let n = (i - 2) / 3;
            match (i - 2) % 3 {
                0 => (
                    "person_registered",
                    obj(&format!(
                        r#"{{"person":"person-{n}","primary_name":"Person {n}"}}"#
                    )),
                ),
                1 => (
                    "arrest_warrant_issued",
                    obj(&format!(
                        r#"{{"warrant_id":"warrant-{n}","person":"person-{n}","situation":"ICC-01/11","chamber":"PTC-I","visibility":"public","doc_ref":"ICC-01/11-{n}","occurred":"2025-01-18"}}"#
                    )),
                ),
                _ => (
                    "person_arrested",
                    obj(&format!(
                        r#"{{"warrant_id":"warrant-{n}","person":"person-{n}","state":"ITA","occurred":"2025-01-19"}}"#
                    )),
                ),
            }
        }
    }
}

/// How many warrants the first `n` events issue (their record numbers are `ICC-01/11-0`, …).
fn warrants(n: u64) -> u64 {
    (0..n).filter(|i| *i >= 2 && (i - 2) % 3 == 1).count() as u64
}

/// A checker after `n` events (each checked and accepted on the way).
fn checker(n: u64) -> Checker {
    let mut c = Checker::new(History::new());
    for i in 0..n {
        let (t, d) = event(i);
        c.check_append(CLERK, NOW, t, &d)
            .unwrap_or_else(|v| panic!("event {i} ({t}) refused: {v}"));
    }
    assert_eq!(c.history().items.len() as u64, n);
    c
}

/// Checks events `from..from + BATCH`; every one must be accepted without warnings.
fn check_next(c: &mut Checker, from: u64, events: &[(&'static str, Object)]) {
    for (k, (t, d)) in events.iter().enumerate() {
        let w = c
            .check_append(CLERK, NOW, t, d)
            .unwrap_or_else(|v| panic!("event {} ({t}) refused: {v}", from + k as u64));
        assert!(w.is_empty(), "{w:?}");
    }
    assert_eq!(c.history().size, from + BATCH);
}

fn next_events(from: u64) -> Vec<(&'static str, Object)> {
    (from..from + BATCH).map(event).collect()
}

/// `court_informed_asp` about `size` distinct decisions (`ICC-01/11-…`; the first `known` are
/// those of the benchmark history's warrants).
fn informed(size: u64) -> Object {
    let about: Vec<String> = (0..size).map(|i| format!("\"ICC-01/11-{i}\"")).collect();
    obj(&format!(
        r#"{{"about":[{}],"occurred":"2025-02-01"}}"#,
        about.join(",")
    ))
}

/// Decodes and checks one `court_informed_asp` of `data` after the history of `c`: accepted,
/// with one `E_TARGET_DECISION_UNKNOWN` warning per decision the history does not hold.
fn dup_check(c: &mut Checker, data: &Object, size: u64, known: u64) {
    let w = c
        .check_append(CLERK, NOW, "court_informed_asp", data)
        .unwrap_or_else(|v| panic!("court_informed_asp refused: {v}"));
    assert_eq!(w.len() as u64, size.saturating_sub(known));
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("domain");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(5));
    for n in [1_000u64, 10_000] {
        let events = next_events(n);
        // A checker built event by event (not a clone: a clone's vectors are full, and the
        // first push would copy them, which no import does).
        g.bench_function(format!("check_append/{n}"), |b| {
            b.iter_batched(
                || checker(n),
                |mut c| {
                    check_next(&mut c, n, &events);
                    black_box(c)
                },
                BatchSize::PerIteration,
            )
        });
        g.bench_function(format!("import/{n}"), |b| b.iter(|| black_box(checker(n))));
    }
    {
        let n = 1_000;
        let base = checker(n).history().clone();
        let events = next_events(n);
        g.bench_function(format!("full_replay_check/{n}"), |b| {
            b.iter_batched(
                || base.clone(),
                |mut h| {
                    for (t, d) in &events {
                        let w = h.check_append(CLERK, NOW, t, d).expect("accepted");
                        assert!(w.is_empty());
                        h.push_unsigned(CLERK, NOW, t, d);
                    }
                    black_box(h)
                },
                BatchSize::LargeInput,
            )
        });
    }
    let history = checker(1_000);
    for size in [1_000u64, 10_000, 50_000] {
        let data = informed(size);
        g.bench_function(format!("dup_check/{size}"), |b| {
            b.iter_batched(
                || history.clone(),
                |mut c| {
                    dup_check(&mut c, &data, size, warrants(1_000));
                    black_box(c)
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

/// Median of `f`'s durations over `rounds`, alternating with the others by the caller.
fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ratios(rounds: usize) {
    // Per-event cost of checking 100 events after 1k and 10k, and of checking 1k and 10k
    // events from an empty history (an import).
    let small = checker(1_000);
    let (es, el) = (next_events(1_000), next_events(10_000));
    let (mut ts, mut tl, mut is, mut il) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        let mut c = checker(1_000);
        is.push(t.elapsed());
        let t = Instant::now();
        check_next(&mut c, 1_000, &es);
        ts.push(t.elapsed());
        let t = Instant::now();
        let mut c = checker(10_000);
        il.push(t.elapsed());
        let t = Instant::now();
        check_next(&mut c, 10_000, &el);
        tl.push(t.elapsed());
    }
    let per = |d: Duration, n: u64| d.as_secs_f64() * 1e6 / n as f64;
    let (ms, ml) = (median(ts), median(tl));
    println!(
        "domain/check_append: per event {:.2} µs after 1k, {:.2} µs after 10k: ratio 10k/1k = {:.2}",
        per(ms, BATCH),
        per(ml, BATCH),
        ml.as_secs_f64() / ms.as_secs_f64()
    );
    let (mi, mj) = (median(is), median(il));
    println!(
        "domain/import: per event {:.2} µs for 1k, {:.2} µs for 10k: ratio 10k/1k = {:.2}",
        per(mi, 1_000),
        per(mj, 10_000),
        per(mj, 10_000) / per(mi, 1_000)
    );
    // Per-element cost of a long `about` list, at 1k and 50k.
    let (d1, d50) = (informed(1_000), informed(50_000));
    println!("domain/dup_check: the 50k list is {} bytes", {
        let mut t = Vec::new();
        acta_core::json::write_object(d50.iter(), &mut t);
        t.len()
    });
    let (mut t1, mut t50) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let mut c = small.clone();
        let t = Instant::now();
        dup_check(&mut c, &d1, 1_000, warrants(1_000));
        t1.push(t.elapsed());
        let mut c = small.clone();
        let t = Instant::now();
        dup_check(&mut c, &d50, 50_000, warrants(1_000));
        t50.push(t.elapsed());
    }
    let (m1, m50) = (median(t1), median(t50));
    println!(
        "domain/dup_check: per element {:.2} µs at 1k, {:.2} µs at 50k: ratio 50k/1k = {:.2} (one 50k entry: {:.0} ms)",
        m1.as_secs_f64() * 1e6 / 1_000.0,
        m50.as_secs_f64() * 1e6 / 50_000.0,
        (m50.as_secs_f64() / 50_000.0) / (m1.as_secs_f64() / 1_000.0),
        m50.as_secs_f64() * 1e3
    );
}

/// Builds and renders the report of a history holding one `court_informed_asp` about `size`
/// decisions; the Markdown must name the last of them.
fn report_of(c: &Checker, size: u64) -> usize {
    let model = c.history().view(acta_domain::model::ViewOptions::default());
    assert!(model.violations.is_empty(), "{:?}", model.violations);
    let params = acta_report::ReportParams {
        from: "2025-01-01".parse().expect("a date"),
        to: "2025-12-31".parse().expect("a date"),
        session: None,
        origin: "bench".to_owned(),
        head: None,
        size: model.size,
    };
    let md = acta_report::to_markdown(&acta_report::build(&model, &params));
    assert!(
        md.contains(&format!("ICC-01/11-{}", size - 1)),
        "the report names every decision"
    );
    md.len()
}

/// Per-element cost of the report of one long `about` list, at 1k and 10k.
fn report_ratio(rounds: usize) {
    let with = |size: u64| {
        let mut c = checker(1_000);
        dup_check(&mut c, &informed(size), size, warrants(1_000));
        c
    };
    let (c1, c10) = (with(1_000), with(10_000));
    let (mut t1, mut t10) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(report_of(&c1, 1_000));
        t1.push(t.elapsed());
        let t = Instant::now();
        black_box(report_of(&c10, 10_000));
        t10.push(t.elapsed());
    }
    let (m1, m10) = (median(t1), median(t10));
    println!(
        "domain/report: {:.0} ms with a 1k list, {:.0} ms with a 10k list: ratio 10k/1k = {:.2}",
        m1.as_secs_f64() * 1e3,
        m10.as_secs_f64() * 1e3,
        m10.as_secs_f64() / m1.as_secs_f64()
    );
}

fn main() {
    let test = std::env::args().any(|a| a == "--test");
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    ratios(if test { 1 } else { 11 });
    report_ratio(if test { 1 } else { 5 });
}
