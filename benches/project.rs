//! Replay of projections over an already verified log, as a ratio to the JSON parse limit
//! measured by this same binary in the same run.
//!
//! ```text
//! cargo bench --bench project            # 100k entries; criterion groups, then paired ratios
//! ACTA_PROJECT_ENTRIES=1000000 cargo bench --bench project
//! ```
//!
//! Benchmarks (ids `group/case/size`), each checking its result:
//!
//! - `limits/serde_json_parse`: `serde_json::from_slice::<serde_json::Value>` of every stored
//!   line (the issue's "parse limit", per core);
//! - `replay/count`: `acta_store::project::replay` of the log into a projection that counts
//!   entries per type and author (decode every line, check seq and prev, hash it; no signature
//!   checks: the log verified before);
//! - `replay/domain_history`: the same into `acta_domain::model::History` (the domain's
//!   collector, which keeps each domain entry's canonical data).
//!
//! After criterion's output the binary prints *paired* ratios: the replay and the parse limit
//! are timed alternately, round after round, in one loop, and the ratio of their medians is
//! reported (on a shared machine these are the figures to trust). Under `cargo test --benches`
//! the log is 2k entries and each benchmark runs once.

mod common;
use common::{ENTRY_TYPE, clock, event, key};

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use acta_core::json::Object;
use acta_core::{Genesis, Projection, Recorded, Roles};
use acta_domain::model::History;
use acta_store::project::{ReplayOptions, replay};
use acta_store::{FileStore, LogWriter, ScanItem, Store};
use criterion::{Criterion, Throughput};

const ORIGIN: &str = "bench.acta.invalid/project";

fn write_log(path: &Path, entries: u64) {
    let key = key();
    let genesis = Genesis {
        origin: ORIGIN.to_owned(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: None,
    };
    let mut w = LogWriter::create(path, &genesis, &key, clock()).expect("create the log");
    let mut next = 1;
    while next < entries {
        let n = (entries - next).min(1000);
        let data: Vec<Object> = (next..next + n).map(event).collect();
        let items: Vec<(&str, &Object)> = data.iter().map(|d| (ENTRY_TYPE, d)).collect();
        w.append_batch(&key, &items, clock()).expect("append");
        next += n;
    }
    drop(w); // release the writer's lock before reading
    let report = acta_store::verify(
        &FileStore::open_reader(path).expect("open"),
        acta_core::VerifyOptions {
            trust: Some(key.verifier()),
            ..acta_core::VerifyOptions::default()
        },
    )
    .expect("verify");
    assert!(report.is_sound(), "the benchmark's log verifies");
}

/// Entries per type and per author.
#[derive(Default)]
struct Count {
    types: BTreeMap<String, u64>,
    authors: BTreeMap<String, u64>,
}

impl Projection for Count {
    fn apply(&mut self, r: Recorded<'_>) {
        *self.types.entry(r.entry.entry_type.clone()).or_default() += 1;
        *self.authors.entry(r.entry.author.to_string()).or_default() += 1;
    }
}

fn replay_count(store: &FileStore, entries: u64) -> Duration {
    let started = Instant::now();
    let mut c = Count::default();
    let pos = replay(store, &mut c, &ReplayOptions::default()).expect("replay");
    let took = started.elapsed();
    assert_eq!(pos.size, entries);
    assert_eq!(c.types.get(ENTRY_TYPE).copied(), Some(entries - 1));
    assert_eq!(c.authors.values().sum::<u64>(), entries);
    took
}

fn replay_history(store: &FileStore, entries: u64) -> Duration {
    let started = Instant::now();
    let mut h = History::new();
    let pos = replay(store, &mut h, &ReplayOptions::default()).expect("replay");
    let took = started.elapsed();
    assert_eq!(pos.size, entries);
    assert_eq!(
        h.items.len() as u64,
        entries - 1,
        "every non-genesis entry kept"
    );
    took
}

fn parse_all(lines: &[Vec<u8>]) -> Duration {
    let started = Instant::now();
    let mut members = 0usize;
    for l in lines {
        let v: serde_json::Value = serde_json::from_slice(l).expect("a JSON line");
        members += v.as_object().map_or(0, serde_json::Map::len);
    }
    let took = started.elapsed();
    assert_eq!(members, lines.len() * 8, "8 members per entry");
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let entries: u64 = if quick {
        2_000
    } else {
        std::env::var("ACTA_PROJECT_ENTRIES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(100_000)
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path: PathBuf = dir.path().join("project.log");
    write_log(&path, entries);
    let store = FileStore::open_reader(&path).expect("open");
    let mut lines = Vec::with_capacity(entries as usize);
    for item in store.scan().expect("scan") {
        if let ScanItem::Line(l) = item.expect("read") {
            lines.push(l.bytes);
        }
    }
    assert_eq!(lines.len() as u64, entries);
    let label = format!("{}k", entries / 1000);

    let mut c = Criterion::default().configure_from_args();
    if !quick {
        c = c.sample_size(10).measurement_time(Duration::from_secs(8));
    }
    {
        let mut g = c.benchmark_group("limits");
        g.throughput(Throughput::Elements(entries));
        g.bench_function(format!("serde_json_parse/{label}"), |b| {
            b.iter(|| black_box(parse_all(&lines)))
        });
        g.finish();
    }
    {
        let mut g = c.benchmark_group("replay");
        g.throughput(Throughput::Elements(entries));
        g.bench_function(format!("count/{label}"), |b| {
            b.iter(|| black_box(replay_count(&store, entries)))
        });
        g.bench_function(format!("domain_history/{label}"), |b| {
            b.iter(|| black_box(replay_history(&store, entries)))
        });
        g.finish();
    }
    c.final_summary();

    // Paired: alternate the replay and the parse limit, round after round.
    let rounds = if quick { 1 } else { 15 };
    let (mut parse, mut count, mut history) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        parse.push(parse_all(&lines));
        count.push(replay_count(&store, entries));
        parse.push(parse_all(&lines));
        history.push(replay_history(&store, entries));
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / entries as f64;
    let (p, c1, h1) = (median(parse), median(count), median(history));
    println!(
        "\npaired ({rounds} rounds, {entries} entries, medians):\n  \
         serde_json parse limit  {:.2} µs/line = {:.0} lines/s\n  \
         replay/count            {:.2} µs/entry = {:.0} entries/s  ratio to the limit {:.2}\n  \
         replay/domain_history   {:.2} µs/entry = {:.0} entries/s  ratio to the limit {:.2}",
        per(p),
        1e6 / per(p),
        per(c1),
        1e6 / per(c1),
        per(p) / per(c1),
        per(h1),
        1e6 / per(h1),
        per(p) / per(h1),
    );
}
