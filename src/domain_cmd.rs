//! `acta state` and `acta report`, and the domain rules on `acta append` / `acta import`.
//!
//! Both commands verify the log first (every signature, against the trust anchor), then replay
//! its domain entries into an [`acta_domain::model::History`] and resolve the requested view.
//! A log whose entries break the domain's rules without acknowledging them is refused (exit 1):
//! a report from it would not say what the record says.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acta_core::json::Object;
use acta_core::{Position, Projection, Recorded, Report, SigningKey, VerifyOptions};
use acta_domain::model::{History, Model, ViewOptions};
use acta_report::state_view;
use acta_store::project::{ReplayOptions, Snapshot, replay, verify_and_project};
use acta_store::{FileStore, LogWriter};
use anyhow::{Context as _, anyhow, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::{read_verifier_key, render_report};

/// The log and the view, shared by `state` and `report`.
#[derive(Args, Debug)]
pub struct ViewArgs {
    /// The log file.
    pub log: PathBuf,
    /// The trust anchor: the verifier key that must have signed the genesis, or @FILE.
    #[arg(long)]
    pub trust: String,
    /// As recorded up to (and including) the entry with this seq.
    #[arg(long)]
    pub as_of_seq: Option<u64>,
    /// As published: ignore corrections.
    #[arg(long)]
    pub as_published: bool,
}

/// `acta state` options.
#[derive(Args, Debug)]
pub struct StateArgs {
    #[command(flatten)]
    pub view: ViewArgs,
    /// As in effect on this date (YYYY-MM-DD): only facts that definitely happened by then.
    #[arg(long)]
    pub as_of_date: Option<NaiveDate>,
    /// Only what concerns this person (id, e.g. njeem-osama-elmasry).
    #[arg(long, conflicts_with_all = ["state", "situation"])]
    pub person: Option<String>,
    /// Only what concerns this State (ISO 3166-1 alpha-3, e.g. HUN).
    #[arg(long, conflicts_with = "situation")]
    pub state: Option<String>,
    /// Only what concerns this situation (e.g. ICC-01/18).
    #[arg(long)]
    pub situation: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Report formats.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown with footnotes.
    Markdown,
    /// One self-contained HTML file with a timeline per case.
    Html,
    /// JSON.
    Json,
}

/// `acta report` options.
#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub view: ViewArgs,
    /// First day of the reporting period (YYYY-MM-DD).
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day of the reporting period (YYYY-MM-DD).
    #[arg(long)]
    pub to: NaiveDate,
    /// The Assembly session the report is for (e.g. 24).
    #[arg(long)]
    pub session: Option<u16>,
    /// Output format.
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: Format,
    /// Write the report to this file (must not exist) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// A verified and replayed log.
struct Loaded {
    report: Report,
    history: History,
    position: Position,
}

/// A projection wrapper that advances a progress bar.
struct Progress<'a, P> {
    inner: &'a mut P,
    bar: &'a indicatif::ProgressBar,
}

impl<P: Projection> Projection for Progress<'_, P> {
    fn apply(&mut self, r: Recorded<'_>) {
        self.inner.apply(r);
        if r.entry.seq.is_multiple_of(4096) {
            self.bar.set_position(r.entry.seq);
        }
    }
}

/// A counter of entries on standard error when it is a terminal, hidden otherwise.
fn progress_counter(what: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg}: {pos} entries ({per_sec})") {
        bar.set_style(style);
    }
    bar.set_message(what.to_owned());
    bar
}

/// Verifies `args.log` against the trust anchor (exit 1 with the problems if it fails) and, in
/// the same pass, replays its domain entries.
fn load(args: &ViewArgs) -> anyhow::Result<Result<Loaded, ExitCode>> {
    let trust = read_verifier_key(&args.trust, "--trust")?;
    let store = FileStore::open_reader(&args.log)?;
    let options = VerifyOptions {
        trust: Some(trust),
        ..VerifyOptions::default()
    };
    // One pass: the history is folded from the very lines the verifier passes, so what is
    // reported is what was verified (never a second read of a file that may have changed).
    // Everything folded is discarded below unless the whole log is sound.
    let bar = progress_counter("verifying and replaying");
    let mut history = History::new();
    let (report, position) = verify_and_project(
        &store,
        options,
        &mut Progress {
            inner: &mut history,
            bar: &bar,
        },
        &ReplayOptions {
            upto_seq: args.as_of_seq,
            ..ReplayOptions::default()
        },
    )?;
    bar.finish_and_clear();
    if !report.is_sound() {
        eprintln!(
            "error: {} did not verify, so no state or report is derived from it:",
            args.log.display()
        );
        eprint!("{}", render_report(&report));
        eprintln!(
            "run `acta verify {} --trust …` for details",
            args.log.display()
        );
        return Ok(Err(ExitCode::from(1)));
    }
    if report.domain.as_deref() != Some(acta_domain::DOMAIN) {
        bail!(
            "{} records the domain {}; `acta state` and `acta report` know only {}",
            args.log.display(),
            report
                .domain
                .as_deref()
                .map_or("(none)".to_owned(), |d| format!("{d:?}")),
            acta_domain::DOMAIN
        );
    }
    if let Some(n) = args.as_of_seq
        && n >= report.entries
    {
        bail!(
            "--as-of-seq {n} is beyond the log's last entry ({}); omit it for the latest state",
            report.entries.saturating_sub(1)
        );
    }
    Ok(Ok(Loaded {
        report,
        history,
        position,
    }))
}

/// Refuses a model whose log breaks the domain's rules without acknowledging them.
fn refuse_violations(model: &Model, log: &Path) -> Option<ExitCode> {
    if model.violations.is_empty() {
        return None;
    }
    eprintln!(
        "error: {} breaks {} rule(s) of {} without acknowledging them (was it written without acta's domain checks?):",
        log.display(),
        model.violations.len(),
        acta_domain::DOMAIN
    );
    for v in &model.violations {
        eprintln!("  {}", crate::term::inert(&v.to_string()));
    }
    eprintln!(
        "record a retraction or correction of those entries (reviewed by a second key), or acknowledge the anomaly when transcribing"
    );
    Some(ExitCode::from(1))
}

/// `acta state`.
pub fn state(args: StateArgs) -> anyhow::Result<ExitCode> {
    let loaded = match load(&args.view)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let view = ViewOptions {
        as_of_seq: args.view.as_of_seq,
        as_of_date: args.as_of_date,
        as_published: args.view.as_published,
    };
    let model = loaded.history.view(view);
    if let Some(code) = refuse_violations(&model, &args.view.log) {
        return Ok(code);
    }
    // At most one of them is given (clap enforces it).
    let filter = state_view::Filter {
        person: parse_opt("--person", args.person.as_deref())?,
        state: parse_opt("--state", args.state.as_deref())?,
        situation: parse_opt("--situation", args.situation.as_deref())?,
    };
    let text = if args.json {
        state_view::json(&model, &filter, &loaded.report, loaded.position)?
    } else {
        let mut text = String::new();
        for line in state_view::text(&model, &filter, &loaded.report, loaded.position) {
            text.push_str(&crate::term::inert(&line));
            text.push('\n');
        }
        text
    };
    out!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// Parses an option's value, naming the option and the value in the error.
fn parse_opt<T>(option: &str, value: Option<&str>) -> anyhow::Result<Option<T>>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    value
        .map(|v| v.parse().map_err(|e| anyhow!("{option} {v:?}: {e}")))
        .transpose()
}

/// `acta report`.
pub fn report(args: ReportArgs) -> anyhow::Result<ExitCode> {
    if args.to < args.from {
        bail!(
            "--to {} is before --from {}: the period is from --from to --to",
            args.to,
            args.from
        );
    }
    if let Some(out) = &args.out
        && out.exists()
    {
        bail!(
            "{} exists; choose another --out (acta never replaces a file)",
            out.display()
        );
    }
    let loaded = match load(&args.view)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let view = ViewOptions {
        as_of_seq: args.view.as_of_seq,
        as_of_date: None,
        as_published: args.view.as_published,
    };
    let model = loaded.history.view(view);
    if let Some(code) = refuse_violations(&model, &args.view.log) {
        return Ok(code);
    }
    // The last entry the view covers (the replay stopped there).
    let head = loaded.position.head.map(|hash| acta_domain::EntryRef {
        seq: loaded.position.size.saturating_sub(1),
        hash,
    });
    let params = acta_report::ReportParams {
        from: args.from,
        to: args.to,
        session: args.session,
        origin: loaded.report.origin.clone().unwrap_or_default(),
        head,
        size: model.size,
    };
    let built = acta_report::build(&model, &params);
    let text = match args.format {
        Format::Markdown => acta_report::to_markdown(&built),
        Format::Html => acta_report::to_html(&built),
        Format::Json => acta_report::to_json(&built),
    };
    match &args.out {
        None => out!("{text}"),
        Some(path) => {
            crate::transparency::write_new_file(path, text.as_bytes())?;
            eprintln!(
                "wrote the report for {} to {} to {}",
                args.from,
                args.to,
                path.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The path of the domain-history snapshot beside a log: `LOG.domain-state`.
fn history_path(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".domain-state");
    PathBuf::from(name)
}

/// The domain history of the log open in `writer` and the position it covers, for checking the
/// domain's rules before an append: exactly the history of the log the writer verified, up to
/// its head.
///
/// It is resumed from the snapshot beside the log (`LOG.domain-state`) only if that snapshot
/// was sealed by `key` (its MAC verifies: [`Snapshot::from_sealed`]), is of this origin, and
/// its position is a prefix of the writer's log (the entry it ends at is still there, with the
/// same hash, at the same offset) from which the entries after it reach exactly the writer's
/// head; otherwise it is rebuilt from the log. Either way the entries folded are those whose
/// hashes chain, through `prev`, to the head the writer verified (the writer checked their
/// signatures in this open, or they are covered by the state it authenticated itself), so a
/// file beside the log cannot change what the rules are checked against.
pub fn writer_history<S: acta_store::Store>(
    writer: &LogWriter<S>,
    log: &Path,
    key: &SigningKey,
) -> anyhow::Result<(History, Position)> {
    let origin = writer.chain().origin().unwrap_or_default().to_owned();
    let head = writer.head();
    let at_head = |p: &Position| p.size == writer.chain().next_seq() && p.head == Some(head.hash);
    if let Some(snapshot) = read_history_snapshot(log)
        .and_then(|b| Snapshot::<History>::from_sealed(&b, key).ok())
        .filter(|s| s.origin == origin && s.state.size == s.position.size)
    {
        let resume = snapshot.resume();
        let mut history = snapshot.state;
        if let Ok(position) = replay(writer.store(), &mut history, &resume)
            && history.size == position.size
            && at_head(&position)
        {
            return Ok((history, position));
        }
    }
    let mut history = History::new();
    let position = replay(writer.store(), &mut history, &ReplayOptions::default())
        .context("cannot replay the log to check the domain's rules")?;
    if !at_head(&position) {
        bail!(
            "the log's entries do not reach the head the writer verified ({}:{}); nothing was written: run `acta verify`",
            head.seq,
            head.hash
        );
    }
    Ok((history, position))
}

/// After a successful append: brings the domain history from `position` up to the log's new
/// end (reading only the new entries) and saves it beside the log (`LOG.domain-state`), sealed
/// by `key` ([`Snapshot::to_sealed`]), replaced atomically, not synced: it is derived data,
/// and a missing, stale, foreign or forged snapshot only costs a replay. Failures are ignored
/// for the same reason.
pub fn save_history<S: acta_store::Store>(
    writer: &LogWriter<S>,
    log: &Path,
    key: &SigningKey,
    mut history: History,
    position: Position,
) {
    let origin = writer.chain().origin().unwrap_or_default().to_owned();
    let options = ReplayOptions {
        from: position,
        upto_seq: None,
    };
    let Ok(position) = replay(writer.store(), &mut history, &options) else {
        let _ = std::fs::remove_file(history_path(log));
        return;
    };
    let Ok(bytes) = Snapshot::new(&origin, position, history).to_sealed(key) else {
        return;
    };
    // A new file with an unpredictable name, renamed over the path: a link or FIFO planted
    // there is replaced, never written through. A failure leaves the old snapshot, which the
    // next append checks against the log anyway.
    let _ = acta_store::side_file::replace(&history_path(log), HISTORY_WHAT, &bytes, false);
}

/// What `LOG.domain-state` is called in errors.
const HISTORY_WHAT: &str = "the domain snapshot";

/// The bytes of the domain snapshot beside `log`, if it is a regular file (never through a
/// link, never blocking on a FIFO) no longer than [`history_limit`]; `None` otherwise, and the
/// history is then replayed from the log (the snapshot is derived data).
fn read_history_snapshot(log: &Path) -> Option<Vec<u8>> {
    let log_len = std::fs::metadata(log).map(|m| m.len()).unwrap_or(0);
    acta_store::side_file::read_bounded(&history_path(log), HISTORY_WHAT, history_limit(log_len))
        .ok()
        .flatten()
}

/// The largest domain snapshot read beside a log of `log_len` bytes: four times the log plus
/// 1 MiB (the snapshot holds what the domain keeps of the log's events, in JSON much like the
/// log's own; four times leaves room for its structure), and never more than 1 GiB. A larger
/// file is not read at all: the history is replayed instead.
fn history_limit(log_len: u64) -> u64 {
    log_len
        .saturating_mul(4)
        .saturating_add(1 << 20)
        .min(1 << 30)
}

/// Checks events against the domain's rules in order, as if appended one after another by
/// `key` with the `recorded_at` the writer will give them ([`LogWriter::recorded_at`]: the
/// very text that will be signed). `place(i)` names event `i` for the error.
pub fn check_rules(
    history: &History,
    key: &SigningKey,
    recorded_at: &str,
    events: &[(&str, &Object)],
    place: impl Fn(usize) -> String,
) -> anyhow::Result<()> {
    let mut rules = RuleCheck::new(history, key);
    for (i, (t, d)) in events.iter().enumerate() {
        rules.check(recorded_at, t, d, &place(i))?;
    }
    Ok(())
}

/// The domain's rules checked on events one after another (as [`check_rules`] does), for a
/// caller that has them one at a time: one replay of the history, then each event checked
/// against the state the ones before leave (incremental: O(1) per event in the log's length,
/// see `Checker`).
pub struct RuleCheck {
    checker: acta_domain::model::Checker,
    author: String,
}

impl RuleCheck {
    pub fn new(history: &History, key: &SigningKey) -> RuleCheck {
        RuleCheck {
            checker: acta_domain::model::Checker::new(history.clone()),
            author: key.verifier().key_ref().to_string(),
        }
    }

    /// Checks the next event (`place` names it in the error), printing its warnings.
    pub fn check(
        &mut self,
        recorded_at: &str,
        t: &str,
        d: &Object,
        place: &str,
    ) -> anyhow::Result<()> {
        if t.starts_with("acta.") || !acta_domain::is_known_type(t) {
            self.checker.skip();
            return Ok(());
        }
        match self.checker.check_append(&self.author, recorded_at, t, d) {
            Ok(warnings) => {
                for w in warnings {
                    let warning = format!("{place}: {} {}", w.code, w.message);
                    eprintln!("warning: {}", crate::term::inert(&warning));
                }
                Ok(())
            }
            Err(v) => Err(anyhow!(
                "{place}: refused by the rules of {}: {v}. Nothing was written. If a source states \
                 it so, record it as published with \"acknowledged_anomalies\": [\"{}\"] and \
                 flag it (anomaly_flagged); otherwise correct the event",
                acta_domain::DOMAIN,
                v.code
            )),
        }
    }
}
