//! `acta state` and `acta report`, and how the domain's rules on `acta append` / `acta import`
//! (acta-domain's check, installed on the writer) are installed and reported.
//!
//! Both commands verify the log first (every signature, against the trust anchor), then replay
//! its domain entries into an [`acta_domain::model::History`] and resolve the requested view.
//! A log whose entries break the domain's rules without acknowledging them is refused (exit 1):
//! a report from it would not say what the record says.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acta_core::{Position, Projection, Recorded, Report, SigningKey, VerifyOptions};
use acta_domain::append::{AppendRefusal, DomainCheck, HistoryError};
use acta_domain::model::{History, Model, ViewOptions};
use acta_report::state_view;
use acta_store::project::{ReplayOptions, verify_and_project};
use acta_store::{CheckWarning, FileStore, LogError, LogWriter, Unchecked};
use anyhow::{anyhow, bail};
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

/// Installs the domain's check ([`DomainCheck`], its snapshot beside the log:
/// `LOG.domain-state`) on a writer of a log whose genesis names [`acta_domain::DOMAIN`], its
/// warnings printed as they come, naming the entry with `place(index)`. A log of a domain
/// this version does not know is appended to without rules, as it always was, by explicit
/// choice ([`Unchecked`]); a log of no domain needs no check.
pub fn install_check(
    writer: &mut LogWriter<FileStore>,
    log: &Path,
    key: &SigningKey,
    place: impl Fn(usize) -> String + Send + 'static,
) -> anyhow::Result<()> {
    match writer.chain().domain() {
        Some(acta_domain::DOMAIN) => {
            writer.set_append_check(Box::new(DomainCheck::beside_file_log(key, log)))?;
            writer.set_warning_sink(move |w| print_warning(&place(w.index), &w.warning));
        }
        // A domain this version does not know: its entries are recorded unchecked.
        Some(other) => {
            let other = other.to_owned();
            writer.set_append_check(Box::new(Unchecked::for_domain(other)))?;
        }
        None => {}
    }
    Ok(())
}

/// Prints a warning of the domain's check about the entry `place` names.
pub fn print_warning(place: &str, w: &CheckWarning) {
    if w.code == acta_domain::append::UNKNOWN_TYPE {
        eprintln!("warning: {place}: {}", crate::term::inert(&w.message));
    } else {
        let warning = format!("{place}: {} {}", w.code, w.message);
        eprintln!("warning: {}", crate::term::inert(&warning));
    }
}

/// The error to print for a refusal of the domain's check ([`AppendRefusal`]) of the entry
/// `place` names, with what to do next.
pub fn refusal_error(place: &str, refusal: &AppendRefusal) -> anyhow::Error {
    match refusal {
        AppendRefusal::Invalid(e) => anyhow!(
            "{place}: {e}; nothing was written (the log's domain is {})",
            acta_domain::DOMAIN
        ),
        AppendRefusal::Rule(v) => anyhow!(
            "{place}: {refusal}. Nothing was written. If a source states it so, record it as \
             published with \"acknowledged_anomalies\": [\"{}\"] and flag it \
             (anomaly_flagged); otherwise correct the event",
            v.code
        ),
        _ => anyhow!("{place}: {refusal}; nothing was written"),
    }
}

/// The error to print when the domain's check could not bring its history up to the log
/// ([`HistoryError`]), with what to do next.
pub fn history_error(e: HistoryError) -> anyhow::Error {
    match e {
        HistoryError::NotAtHead { .. } => anyhow!("{e}; nothing was written: run `acta verify`"),
        e => anyhow::Error::new(e),
    }
}

/// A writer's error, if it is the domain check's (a refusal of the entry at `place(index)`,
/// or a history that could not be brought up): the error to print for it. `Err` gives the
/// writer's error back.
pub fn check_error(
    e: LogError,
    place: impl Fn(usize) -> String,
) -> Result<anyhow::Error, LogError> {
    match e {
        LogError::CheckRefused {
            index,
            seq,
            domain,
            source,
        } => match source.downcast::<AppendRefusal>() {
            Ok(refusal) => Ok(refusal_error(&place(index), &refusal)),
            Err(source) => Err(LogError::CheckRefused {
                index,
                seq,
                domain,
                source,
            }),
        },
        LogError::CheckUnavailable { domain, source } => match source.downcast::<HistoryError>() {
            Ok(e) => Ok(history_error(*e)),
            Err(source) => Err(LogError::CheckUnavailable { domain, source }),
        },
        e => Err(e),
    }
}

/// A writer's error as printed: the domain check's ([`check_error`]) as it is, any other
/// with `context`.
pub fn append_error(
    e: LogError,
    place: impl Fn(usize) -> String,
    context: impl FnOnce() -> String,
) -> anyhow::Error {
    match check_error(e, place) {
        Ok(shown) => shown,
        Err(e) => anyhow!(e).context(context()),
    }
}
