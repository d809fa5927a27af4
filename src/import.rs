//! `acta import`: a file of events appended as one batch, all or nothing, in memory that does
//! not grow with the batch.
//!
//! The events file is read twice through one open descriptor. The first pass checks every
//! event (its form, the log's domain and the domain's rules, with acta-domain's check run by
//! hand) and counts them, hashing every byte it reads; the second signs and writes them one at
//! a time ([`acta_store::LogWriter::append_stream`], the same check installed on the writer), hashing
//! again, and the batch is made durable (one sync)
//! only if the second pass read exactly the bytes the first one checked. Anything else (a
//! refused event, a file that changed in between, a failed write) leaves the log as it was.

use std::fs::File;
use std::path::Path;
use std::process::ExitCode;

use acta_core::SigningKey;
use acta_core::json::Object;
use acta_domain::append::{AppendRefusal, DomainCheck, HistoryError};
use acta_store::import::{EventsError, Pass, line_of};
use acta_store::log::Expect;
use acta_store::{AppendCheck, FileStore, LogView, Proposed};
use anyhow::{Context as _, anyhow, bail};

use crate::{domain_cmd, head_line, open_writer, term};

/// How an events file is named in errors.
const WHAT: &str = "the events file";

/// An events file error as printed: a line that is no event says nothing was imported.
fn events_error(e: EventsError) -> anyhow::Error {
    match e {
        EventsError::UnexpectedMember { path, line, member } => anyhow!(
            "{} line {line}: unexpected member `{}` (an event is {{\"type\": …, \"data\": {{…}}}}); nothing was imported",
            path.display(),
            term::inert(&member)
        ),
        e if e.is_bad_line() => anyhow!("{e}; nothing was imported"),
        e => e.into(),
    }
}

/// Opens the events file: a regular file (it is read twice), never waiting on a FIFO.
fn open_events(path: &Path) -> anyhow::Result<File> {
    match acta_store::side_file::open_input(path, WHAT) {
        Ok(Some(f)) => Ok(f),
        Ok(None) => bail!("cannot open {}: no such file", path.display()),
        Err(acta_store::side_file::SideFileError::InputNotRegular { .. }) => bail!(
            "{} is not a regular file: acta import reads its events twice (to check them all before it writes any), so give it a file, not a pipe or device (e.g. save the output to a file first); nothing was imported",
            path.display()
        ),
        Err(e) => Err(anyhow!(e)).context("nothing was imported"),
    }
}

/// `acta import LOG --key FILE EVENTS`.
pub fn import(
    log: &Path,
    key: &SigningKey,
    events: &Path,
    expect: &Expect,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<ExitCode> {
    import_with(log, key, events, expect, now, || {})?;
    Ok(ExitCode::SUCCESS)
}

/// [`import`], calling `between` after the first pass and before the second (where another
/// process may change the file); returns the number of events imported.
fn import_with(
    log: &Path,
    key: &SigningKey,
    events: &Path,
    expect: &Expect,
    now: chrono::DateTime<chrono::Utc>,
    between: impl FnOnce(),
) -> anyhow::Result<usize> {
    let file = open_events(events)?;
    let mut writer = open_writer(log, key, expect)?;
    // The domain's check, run by hand over the first pass (so that every event is checked,
    // and its warnings printed, before anything is signed), then installed on the writer,
    // which checks every event again as it signs it in the second pass.
    let mut rules = if writer.chain().domain() == Some(acta_domain::DOMAIN) {
        let mut rules = DomainCheck::beside_file_log(key, log);
        let view = LogView {
            store: writer.store(),
            origin: writer.chain().origin().unwrap_or_default(),
            head: writer.head(),
        };
        if let Err(e) = AppendCheck::begin(&mut rules, &view) {
            return Err(match e.downcast::<HistoryError>() {
                Ok(e) => domain_cmd::history_error(*e),
                Err(e) => anyhow!(e),
            });
        }
        Some(rules)
    } else {
        None
    };
    let recorded_at = writer.recorded_at(now);
    let author = key.key_ref().to_string();
    let first_seq = writer.chain().next_seq();

    // First pass: check every event, count them, hash the bytes.
    let mut first = Pass::new(events, &file).map_err(events_error)?;
    let mut n = 0usize;
    while let Some((line_no, t, d)) = first.next_event().map_err(events_error)? {
        if let Some(rules) = &mut rules {
            let at = format!("{} line {line_no}", events.display());
            let proposed = Proposed {
                index: n,
                seq: first_seq.saturating_add(n as u64),
                entry_type: &t,
                data: &d,
                author: &author,
                recorded_at: &recorded_at,
            };
            match AppendCheck::<FileStore>::check(rules, &proposed) {
                Ok(warnings) => {
                    for w in &warnings {
                        domain_cmd::print_warning(&at, w);
                    }
                }
                Err(e) => {
                    let e = match e.downcast::<AppendRefusal>() {
                        Ok(refusal) => domain_cmd::refusal_error(&at, &refusal),
                        Err(e) => anyhow!("{at}: {e}"),
                    };
                    return Err(e.context("nothing was imported"));
                }
            }
        }
        n += 1;
    }
    let checked = first.finish().map_err(events_error)?;
    if n == 0 {
        bail!("{} holds no events; nothing was imported", events.display());
    }
    match rules {
        Some(mut rules) => {
            AppendCheck::<FileStore>::abandoned(&mut rules);
            writer.set_append_check(Box::new(rules))?;
            // The same events, checked the same way: their warnings were printed above.
            writer.set_warning_sink(|_| {});
        }
        // Any other log: what `acta append` installs (nothing to print).
        None => domain_cmd::install_check(&mut writer, log, key, |_| String::new())?,
    }

    between();
    // Second pass: sign and write them one at a time; durable only if the bytes are the same.
    let changed = || {
        anyhow!(
            "{} changed while it was being imported (the events signed are not the ones checked); nothing was imported",
            events.display()
        )
    };
    let second = std::cell::RefCell::new(Some(Pass::new(events, &file).map_err(events_error)?));
    let next = |_index: usize| -> Result<(String, Object), acta_store::log::SourceError> {
        let mut guard = second.borrow_mut();
        let pass = guard.as_mut().ok_or("the second pass ended")?;
        match pass.next_event() {
            Ok(Some((_, t, d))) => Ok((t, d)),
            Ok(None) | Err(_) => Err(changed().to_string().into()),
        }
    };
    let commit = || -> Result<(), acta_store::log::SourceError> {
        let pass = second.borrow_mut().take().ok_or("the second pass ended")?;
        match pass.finish() {
            Ok(read) if read == checked => Ok(()),
            _ => Err(changed().to_string().into()),
        }
    };
    writer
        .append_stream(key, n, next, commit, now)
        .map_err(|e| match e {
            acta_store::LogError::Refused { index, .. }
            | acta_store::LogError::Build { index, .. } => {
                let line = line_of(events, &file, index).unwrap_or(0);
                anyhow!(e).context(format!("{} line {line}", events.display()))
            }
            acta_store::LogError::Source { source, .. } => anyhow!("{source}"),
            // The events the first pass accepted are accepted again: a refusal now is of
            // events that changed.
            acta_store::LogError::CheckRefused { .. } => changed(),
            _ => anyhow!(e),
        })
        .with_context(|| format!("nothing was imported into {}", log.display()))?;
    eprintln!("imported {n} events");
    outln!("{}", head_line(&writer));
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new plain log in `dir` (genesis only) and its key.
    fn new_log(dir: &Path) -> (std::path::PathBuf, SigningKey) {
        let key = SigningKey::from_seed("test-only-import", [5; 32]).expect("key");
        let genesis = acta_core::Genesis {
            origin: "example.org/import-test".to_owned(),
            keys: vec![(key.verifier(), acta_core::Roles::all())],
            domain: None,
        };
        let log = dir.join("x.log");
        acta_store::LogWriter::create(&log, &genesis, &key, chrono::Utc::now()).expect("create");
        (log, key)
    }

    fn events(tag: &str, n: usize) -> String {
        (0..n)
            .map(|i| format!("{{\"type\":\"test.{tag}\",\"data\":{{\"i\":{i}}}}}\n"))
            .collect()
    }

    /// The file is changed in place between the passes: one event more, one event changed,
    /// one byte of data changed (same length): nothing is imported, the log and its tree are
    /// byte-identical, and the error says why. The same file unchanged imports (the control).
    #[test]
    fn events_changed_between_the_passes_import_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let (log, key) = new_log(dir.path());
        let path = dir.path().join("ev.jsonl");
        let tree = acta_store::TreeFile::path_for(&log);
        let now = chrono::Utc::now();
        for (second, imports) in [
            (events("a", 3), true),
            (events("a", 4), false),
            (events("b", 3), false),
            (events("a", 3).replace("\"i\":2", "\"i\":7"), false),
        ] {
            std::fs::write(&path, events("a", 3)).expect("write");
            let (before, tree_before) =
                (std::fs::read(&log).expect("log"), std::fs::read(&tree).ok());
            let got = import_with(&log, &key, &path, &Expect::default(), now, || {
                // In place: the same inode the import has open.
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .expect("open");
                std::io::Write::write_all(&mut f, second.as_bytes()).expect("rewrite");
            });
            if imports {
                assert_eq!(got.expect("imports"), 3);
                assert!(std::fs::read(&log).expect("log").len() > before.len());
            } else {
                let e = format!("{:#}", got.expect_err("refused"));
                assert!(e.contains("changed while it was being imported"), "{e}");
                assert!(e.contains("nothing was imported"), "{e}");
                assert_eq!(std::fs::read(&log).expect("log"), before);
                assert_eq!(std::fs::read(&tree).ok(), tree_before);
            }
            let store = acta_store::FileStore::open_reader(&log).expect("reader");
            let report = acta_store::log::verify(&store, acta_core::VerifyOptions::default())
                .expect("verify");
            assert!(report.findings.is_empty(), "{:?}", report.findings);
        }
    }
}
