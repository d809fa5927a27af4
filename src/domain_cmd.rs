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
use acta_core::{Position, Projection, Recorded, Report, SigningKey, Verifier, VerifyOptions};
use acta_domain::model::{History, Model, ViewOptions};
use acta_store::project::{ReplayOptions, Snapshot, replay};
use acta_store::{FileStore, LogWriter, ScanItem, Store as _};
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

/// A progress bar on standard error when it is a terminal, hidden otherwise.
fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar
}

/// Verifies `args.log` against the trust anchor (exit 1 with the problems if it fails), then
/// replays its domain entries.
fn load(args: &ViewArgs) -> anyhow::Result<Result<Loaded, ExitCode>> {
    let trust = read_verifier_key(&args.trust, "--trust")?;
    let store = FileStore::open_reader(&args.log)?;
    let len = std::fs::metadata(&args.log)
        .with_context(|| format!("cannot read {}", args.log.display()))?
        .len();
    let options = VerifyOptions {
        trust: Some(trust),
        ..VerifyOptions::default()
    };
    let report = if std::io::stderr().is_terminal() {
        // Sequential, to show progress (the same findings as the parallel verifier).
        let bar = progress_bar(len, "verifying");
        let mut verifier = Verifier::new(options);
        for item in store.scan()? {
            match item? {
                ScanItem::Line(line) => {
                    verifier.push_line(line.offset, &line.bytes);
                    if line.offset & 0xF_FFFF < line.bytes.len() as u64 + 1 {
                        bar.set_position(line.offset);
                    }
                }
                ScanItem::TooLong { offset, len } => verifier.push_too_long(offset, len),
                ScanItem::Torn(t) => verifier.push_torn_tail(t.offset, t.len),
            }
        }
        bar.finish_and_clear();
        verifier.finish()
    } else {
        acta_store::verify(&store, options)?
    };
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
    let mut history = History::new();
    let bar = progress_bar(report.entries, "replaying");
    // Only what was verified, and only up to the view's last entry.
    let upto = args.as_of_seq.unwrap_or(report.entries.saturating_sub(1));
    let position = replay(
        &store,
        &mut Progress {
            inner: &mut history,
            bar: &bar,
        },
        &ReplayOptions {
            upto_seq: Some(upto),
            ..ReplayOptions::default()
        },
    )?;
    bar.finish_and_clear();
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
        eprintln!("  {v}");
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
    let filter = crate::state_view::Filter::new(
        args.person.as_deref(),
        args.state.as_deref(),
        args.situation.as_deref(),
    )?;
    let text = if args.json {
        crate::state_view::json(&model, &filter, &loaded.report, loaded.position)?
    } else {
        crate::state_view::text(&model, &filter, &loaded.report, loaded.position)
    };
    out!("{text}");
    Ok(ExitCode::SUCCESS)
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
    let params = acta_domain::report::ReportParams {
        from: args.from,
        to: args.to,
        session: args.session,
        origin: loaded.report.origin.clone().unwrap_or_default(),
        head,
        size: model.size,
    };
    let built = acta_domain::report::build(&model, &params);
    let text = match args.format {
        Format::Markdown => acta_domain::report::to_markdown(&built),
        Format::Html => acta_domain::report::to_html(&built),
        Format::Json => acta_domain::report::to_json(&built),
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
/// domain's rules before an append. It is resumed from the snapshot beside the log
/// (`LOG.domain-state`) when that snapshot is of this log — same origin, and the entry it ends
/// at is still there, with the same hash, at the same offset — reading only the entries
/// appended since; otherwise it is replayed from the start. No signatures are checked: the
/// writer holds the log's lock and has just checked its chain (as it does for the chain state
/// it keeps in `LOG.state`).
pub fn writer_history<S: acta_store::Store>(
    writer: &LogWriter<S>,
    log: &Path,
) -> anyhow::Result<(History, Position)> {
    let origin = writer.chain().origin().unwrap_or_default().to_owned();
    if let Some(snapshot) = std::fs::read(history_path(log))
        .ok()
        .and_then(|b| Snapshot::<History>::from_json(&b).ok())
        .filter(|s| s.origin == origin && s.state.size == s.position.size)
    {
        let mut history = snapshot.state.clone();
        if let Ok(position) = replay(writer.store(), &mut history, &snapshot.resume())
            && history.size == position.size
            && position.size == writer.chain().next_seq()
        {
            return Ok((history, position));
        }
    }
    let mut history = History::new();
    let position = replay(writer.store(), &mut history, &ReplayOptions::default())
        .context("cannot replay the log to check the domain's rules")?;
    Ok((history, position))
}

/// After a successful append: brings the domain history from `position` up to the log's new
/// end (reading only the new entries) and saves it beside the log (`LOG.domain-state`, replaced
/// atomically, not synced: it is derived data, and a missing, stale or foreign snapshot only
/// costs a replay). Failures are ignored for the same reason.
pub fn save_history<S: acta_store::Store>(
    writer: &LogWriter<S>,
    log: &Path,
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
    let Ok(bytes) = Snapshot::new(&origin, position, history).to_json() else {
        return;
    };
    let path = history_path(log);
    let mut tmp = path.clone().into_os_string();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    if std::fs::write(&tmp, bytes).is_err() || std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Checks events against the domain's rules in order, as if appended one after another by
/// `key` at `now`. `place(i)` names event `i` for the error.
pub fn check_rules(
    history: &History,
    key: &SigningKey,
    now: chrono::DateTime<chrono::Utc>,
    events: &[(&str, &Object)],
    place: impl Fn(usize) -> String,
) -> anyhow::Result<()> {
    let mut history = history.clone();
    let author = key.verifier().key_ref().to_string();
    let recorded_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for (i, (t, d)) in events.iter().enumerate() {
        if t.starts_with("acta.") || !acta_domain::is_known_type(t) {
            history.size += 1;
            continue;
        }
        match history.check_append(&author, &recorded_at, t, d) {
            Ok(warnings) => {
                for w in warnings {
                    eprintln!("warning: {}: {} {}", place(i), w.code, w.message);
                }
            }
            Err(v) => {
                return Err(anyhow!(
                    "{}: refused by the rules of {}: {v}. Nothing was written. If a source states \
                     it so, record it as published with \"acknowledged_anomalies\": [\"{}\"] and \
                     flag it (anomaly_flagged); otherwise correct the event",
                    place(i),
                    acta_domain::DOMAIN,
                    v.code
                ));
            }
        }
        history.push_unsigned(&author, &recorded_at, t, d);
    }
    Ok(())
}
