//! `acta import`: a file of events appended as one batch, all or nothing, in memory that does
//! not grow with the batch.
//!
//! The events file is read twice through one open descriptor. The first pass checks every
//! event (its form, the log's domain and the domain's rules, with acta-domain's check run by
//! hand) and counts them, hashing every byte it reads; the second signs and writes them one at
//! a time ([`LogWriter::append_stream`], the same check installed on the writer), hashing
//! again, and the batch is made durable (one sync)
//! only if the second pass read exactly the bytes the first one checked. Anything else (a
//! refused event, a file that changed in between, a failed write) leaves the log as it was.

use std::fs::File;
use std::io::{BufRead as _, BufReader, Read as _, Seek as _};
use std::path::Path;
use std::process::ExitCode;

use acta_core::SigningKey;
use acta_core::json::{self, Object, Profile, Value};
use acta_domain::append::{AppendRefusal, DomainCheck, HistoryError};
use acta_store::log::Expect;
use acta_store::{AppendCheck, FileStore, LogView, Proposed};
use anyhow::{Context as _, anyhow, bail};
use sha2::{Digest as _, Sha256};

use crate::{domain_cmd, head_line, open_writer, term};

/// How an events file is named in errors.
const WHAT: &str = "the events file";

/// One pass over an events file: its events in order, with the line each came from, and a
/// hash of every byte read.
struct Pass<'a> {
    path: &'a Path,
    reader: BufReader<&'a File>,
    buf: Vec<u8>,
    line_no: usize,
    hash: Sha256,
    bytes: u64,
}

/// An event of the file: its line number, type and data.
type Event = (usize, String, Object);

impl<'a> Pass<'a> {
    /// A pass from the start of `file`.
    fn new(path: &'a Path, file: &'a File) -> anyhow::Result<Pass<'a>> {
        let mut f = file;
        f.rewind()
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok(Pass {
            path,
            reader: BufReader::with_capacity(1 << 16, file),
            buf: Vec::new(),
            line_no: 0,
            hash: Sha256::new(),
            bytes: 0,
        })
    }

    /// The next event, skipping blank lines; `None` at the end of the file.
    fn next_event(&mut self) -> anyhow::Result<Option<Event>> {
        loop {
            self.buf.clear();
            // Read at most one byte past the limit (and its newline), so that a hostile file
            // with an endless line cannot exhaust memory.
            let limit = acta_core::MAX_ENTRY_BYTES as u64 + 2;
            let n = (&mut self.reader)
                .take(limit)
                .read_until(b'\n', &mut self.buf)
                .with_context(|| format!("cannot read {}", self.path.display()))?;
            if n == 0 {
                return Ok(None);
            }
            self.hash.update(&self.buf);
            self.bytes += n as u64;
            self.line_no += 1;
            if let Some(event) = parse_event(&self.buf, self.path, self.line_no)? {
                return Ok(Some(event));
            }
        }
    }

    /// The hash and length of everything read, once the rest of the file (which must hold
    /// no more events) has been read.
    fn finish(mut self) -> anyhow::Result<([u8; 32], u64)> {
        if let Some((line_no, _, _)) = self.next_event()? {
            bail!("line {line_no} is an event the first pass did not see");
        }
        Ok((self.hash.finalize().into(), self.bytes))
    }
}

/// Parses one line of an events file: `None` for a blank line, else `{"type": …, "data": {…}}`
/// in the entry profile.
fn parse_event(line: &[u8], path: &Path, line_no: usize) -> anyhow::Result<Option<Event>> {
    let where_ = || format!("{} line {line_no}", path.display());
    if line.len() > acta_core::MAX_ENTRY_BYTES {
        bail!(
            "{}: {} bytes is over the {}-byte entry limit; nothing was imported",
            where_(),
            line.len(),
            acta_core::MAX_ENTRY_BYTES
        );
    }
    let text = line.strip_suffix(b"\n").unwrap_or(line);
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let obj = match json::parse(text, Profile::Entry) {
        Ok(Value::Object(o)) => o,
        Ok(other) => bail!(
            "{}: expected an object {{\"type\": …, \"data\": {{…}}}}, found {}; nothing was imported",
            where_(),
            other.kind()
        ),
        Err(e) => bail!("{}: {e}; nothing was imported", where_()),
    };
    if let Some((k, _)) = obj.iter().find(|(k, _)| !["type", "data"].contains(k)) {
        bail!(
            "{}: unexpected member `{}` (an event is {{\"type\": …, \"data\": {{…}}}}); nothing was imported",
            where_(),
            term::inert(k)
        );
    }
    let Some(Value::String(t)) = obj.get("type") else {
        bail!(
            "{}: `type` must be a string; nothing was imported",
            where_()
        );
    };
    let Some(Value::Object(d)) = obj.get("data") else {
        bail!(
            "{}: `data` must be an object; nothing was imported",
            where_()
        );
    };
    Ok(Some((line_no, t.clone(), d.clone())))
}

/// The line of the `index`-th event (from 0) of the file, for an error found while signing.
fn line_of(path: &Path, file: &File, index: usize) -> Option<usize> {
    let mut pass = Pass::new(path, file).ok()?;
    for _ in 0..index {
        pass.next_event().ok()??;
    }
    pass.next_event().ok()?.map(|(line_no, _, _)| line_no)
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
    let mut first = Pass::new(events, &file)?;
    let mut n = 0usize;
    while let Some((line_no, t, d)) = first.next_event()? {
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
    let checked = first.finish()?;
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
    let second = std::cell::RefCell::new(Some(Pass::new(events, &file)?));
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

    fn file_with(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut t = tempfile::NamedTempFile::new().expect("temp file");
        std::io::Write::write_all(&mut t, bytes).expect("write");
        let f = t.reopen().expect("reopen");
        (t, f)
    }

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

    #[test]
    fn a_pass_skips_blank_lines_and_numbers_the_others() {
        let (t, f) =
            file_with(b"\n{\"type\":\"a\",\"data\":{}}\r\n  \n{\"type\":\"b\",\"data\":{\"x\":1}}");
        let mut p = Pass::new(t.path(), &f).expect("pass");
        let (l1, t1, _) = p.next_event().expect("ok").expect("an event");
        let (l2, t2, d2) = p.next_event().expect("ok").expect("an event");
        assert_eq!((l1, t1.as_str(), l2, t2.as_str()), (2, "a", 4, "b"));
        assert_eq!(Value::Object(d2).to_string(), "{\"x\":1}");
        assert!(p.next_event().expect("ok").is_none());
        assert_eq!(line_of(t.path(), &f, 1), Some(4));
        assert_eq!(line_of(t.path(), &f, 2), None);
    }

    #[test]
    fn two_passes_over_the_same_bytes_agree_and_a_changed_byte_does_not() {
        let text = b"{\"type\":\"a\",\"data\":{}}\n{\"type\":\"b\",\"data\":{}}\n";
        let (t, f) = file_with(text);
        let run = |f: &File| {
            let mut p = Pass::new(t.path(), f).expect("pass");
            while p.next_event().expect("ok").is_some() {}
            p.finish().expect("finish")
        };
        let one = run(&f);
        assert_eq!(one, run(&f));
        assert_eq!(one.1, text.len() as u64);
        // The same file, edited in place between passes (same length, one type changed).
        std::fs::write(t.path(), text.map(|b| if b == b'b' { b'c' } else { b })).expect("edit");
        assert_ne!(one, run(&f));
    }

    #[test]
    fn finish_refuses_events_the_first_pass_did_not_count() {
        let (t, f) = file_with(b"{\"type\":\"a\",\"data\":{}}\n{\"type\":\"b\",\"data\":{}}\n");
        let mut p = Pass::new(t.path(), &f).expect("pass");
        p.next_event().expect("ok").expect("one");
        let e = p.finish().expect_err("an event is left");
        assert!(e.to_string().contains("line 2"), "{e}");
    }

    #[test]
    fn a_line_over_the_entry_limit_is_refused_without_reading_it_whole() {
        let mut big = vec![b' '; acta_core::MAX_ENTRY_BYTES * 3];
        big.push(b'\n');
        let (t, f) = file_with(&big);
        let mut p = Pass::new(t.path(), &f).expect("pass");
        let e = p.next_event().expect_err("too long");
        assert!(e.to_string().contains("line 1"), "{e}");
        assert!(p.bytes <= acta_core::MAX_ENTRY_BYTES as u64 + 2);
    }
}
