//! `acta-torture`: a TEST-ONLY writer process for acta's crash and concurrency tests
//! (`tests/it/crash.rs`). It signs with the test-only key `test-only-torture-{N}` (see
//! [`acta_testkit::test_key`]), so nothing it writes can pass for a real record.
//!
//! ```text
//! acta-torture append-loop LOG --key-seed N [--batch B] [--seed S] [--pad P] [--reopen R]
//! acta-torture append-n LOG --writer W --count C --key-seed N
//! ```
//!
//! `append-loop` creates LOG if it does not exist (origin [`ORIGIN`], the key with roles `*`),
//! otherwise opens it with [`LogWriter::open`], and then appends forever: batches of B entries
//! (default 1) with [`LogWriter::append_batch`], each entry's data
//! `{"b": "S-K", "i": I, "n": B, "pad": "xx…"}` (batch K of the run with seed S, entry I of B,
//! 0 to P padding bytes, default 200). After one append in R (default 8, 0 for never) it
//! drops the writer and opens the log again, so a kill can land in the open, the replay or the
//! tree rebuild. It prints, flushed, `open` before opening, `opened` after, and
//! `ack SEQ HASH` (the new head) only after an append has returned, that is once the entries
//! are durable; `ack 0 HASH` after creating the log. It runs until it is killed.
//!
//! `append-n` appends C single entries `{"writer": W, "n": I}` (I from 0), each with its own
//! [`LogWriter::open`], append and drop, so several such processes interleave their appends
//! through the writer lock. It prints `ack SEQ HASH` after each append and exits 0.
//!
//! Any error is printed on stderr and exits 2.
#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use acta_core::json::{Number, Object, Value};
use acta_core::{Genesis, Roles, SigningKey};
use acta_store::LogWriter;
use anyhow::{Context as _, bail};

/// The origin of the logs `append-loop` creates.
const ORIGIN: &str = "test.invalid/acta-torture";

const USAGE: &str =
    "usage: acta-torture append-loop LOG --key-seed N [--batch B] [--seed S] [--pad P] [--reopen R]
       acta-torture append-n LOG --writer W --count C --key-seed N
(TEST-ONLY: signs with the published key test-only-torture-N)";

fn main() {
    if let Err(e) = run() {
        eprintln!("acta-torture: error: {e:#}");
        std::process::exit(2);
    }
}

fn run() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let command = args.next().context(USAGE)?;
    let log = PathBuf::from(args.next().context(USAGE)?);
    let options = Options::parse(args)?;
    let key = acta_testkit::test_key(&format!("test-only-torture-{}", options.key_seed))?;
    match command.to_str() {
        Some("append-loop") => append_loop(&log, &key, &options),
        Some("append-n") => append_n(&log, &key, &options),
        _ => bail!("unknown command {command:?}\n{USAGE}"),
    }
}

#[derive(Debug)]
struct Options {
    key_seed: u64,
    batch: usize,
    seed: u64,
    pad: u64,
    reopen: u64,
    writer: Option<u64>,
    count: Option<u64>,
}

impl Options {
    fn parse(mut args: impl Iterator<Item = OsString>) -> anyhow::Result<Options> {
        let mut o = Options {
            key_seed: 0,
            batch: 1,
            seed: 0,
            pad: 200,
            reopen: 8,
            writer: None,
            count: None,
        };
        let mut key_seed = None;
        while let Some(flag) = args.next() {
            let value = args
                .next()
                .with_context(|| format!("{flag:?} needs a value\n{USAGE}"))?;
            let value: u64 = value
                .to_str()
                .and_then(|v| v.parse().ok())
                .with_context(|| format!("{flag:?} needs a number, got {value:?}"))?;
            match flag.to_str() {
                Some("--key-seed") => key_seed = Some(value),
                Some("--batch") => o.batch = usize::try_from(value)?.max(1),
                Some("--seed") => o.seed = value,
                Some("--pad") => o.pad = value,
                Some("--reopen") => o.reopen = value,
                Some("--writer") => o.writer = Some(value),
                Some("--count") => o.count = Some(value),
                _ => bail!("unknown option {flag:?}\n{USAGE}"),
            }
        }
        o.key_seed = key_seed.with_context(|| format!("--key-seed is required\n{USAGE}"))?;
        Ok(o)
    }
}

/// SplitMix64: a small deterministic generator, enough to vary the workload.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..=max` (slightly biased; fine for a workload).
    fn up_to(&mut self, max: u64) -> u64 {
        self.next() % (max + 1)
    }
}

/// Prints one line and flushes it, so the parent sees it before anything that follows.
fn say(line: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").context("writing to stdout")?;
    out.flush().context("flushing stdout")
}

fn int(i: u64) -> Value {
    Value::Number(Number::Int(i64::try_from(i).unwrap_or(i64::MAX)))
}

fn open(log: &Path, key: &SigningKey) -> anyhow::Result<LogWriter<acta_store::FileStore>> {
    say("open")?;
    let w = LogWriter::open(log, key).with_context(|| format!("opening {}", log.display()))?;
    say("opened")?;
    Ok(w)
}

fn append_loop(log: &Path, key: &SigningKey, o: &Options) -> anyhow::Result<()> {
    let mut rng = Rng(o.seed);
    let mut writer = if log.exists() {
        open(log, key)?
    } else {
        say("create")?;
        let genesis = Genesis {
            origin: ORIGIN.into(),
            keys: vec![(key.verifier(), Roles::all())],
            domain: None,
        };
        let w = LogWriter::create(log, &genesis, key, chrono::Utc::now())
            .with_context(|| format!("creating {}", log.display()))?;
        let head = w.head();
        say(&format!("ack {} {}", head.seq, head.hash))?;
        w
    };
    let n = u64::try_from(o.batch)?;
    for k in 0u64.. {
        let id = Value::String(format!("{}-{k}", o.seed));
        let data: Vec<Object> = (0..n)
            .map(|i| {
                let mut d = Object::new();
                d.insert("b", id.clone());
                d.insert("i", int(i));
                d.insert("n", int(n));
                let pad = usize::try_from(rng.up_to(o.pad)).unwrap_or(0);
                d.insert("pad", Value::String("x".repeat(pad)));
                d
            })
            .collect();
        let items: Vec<(&str, &Object)> = data.iter().map(|d| ("torture.append", d)).collect();
        let head = writer
            .append_batch(key, &items, chrono::Utc::now())
            .context("appending")?;
        say(&format!("ack {} {}", head.seq, head.hash))?;
        if o.reopen > 0 && rng.up_to(o.reopen - 1) == 0 {
            drop(writer);
            writer = open(log, key)?;
        }
    }
    Ok(())
}

fn append_n(log: &Path, key: &SigningKey, o: &Options) -> anyhow::Result<()> {
    let writer = o
        .writer
        .with_context(|| format!("--writer is required\n{USAGE}"))?;
    let count = o
        .count
        .with_context(|| format!("--count is required\n{USAGE}"))?;
    for i in 0..count {
        let mut data = Object::new();
        data.insert("writer", int(writer));
        data.insert("n", int(i));
        // Open, append, drop: the writer lock is held only for this one append.
        let mut w = LogWriter::open(log, key)
            .with_context(|| format!("writer {writer}: opening {}", log.display()))?;
        let head = w
            .append(key, "torture.writer", &data, chrono::Utc::now())
            .with_context(|| format!("writer {writer}: appending entry {i}"))?;
        drop(w);
        say(&format!("ack {} {}", head.seq, head.hash))?;
    }
    Ok(())
}
