//! Tests of the append check hook ([`crate::append_check`]): it sees exactly what is written.

use std::error::Error;
use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex};

use acta_core::json::{Number, Object, Value};
use acta_core::{Entry, Genesis, Roles, SigningKey};

use crate::append_check::{AppendCheck, CheckError, CheckWarning, LogView, Proposed, Unchecked};
use crate::log::LogError;
use crate::{FileStore, LogWriter};

type TestResult = Result<(), Box<dyn Error>>;

const DOMAIN: &str = "hook-test/v1";

fn key() -> SigningKey {
    SigningKey::from_seed("test-only-hook", [9; 32]).expect("valid name")
}

/// 2025-11-26T09:00:00Z plus `second` seconds and `nanos` nanoseconds.
fn at(second: i64, nanos: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_764_147_600 + second, nanos).unwrap_or_default()
}

fn data(i: i64) -> Object {
    let mut d = Object::new();
    d.insert("i", Value::Number(Number::Int(i)));
    d
}

/// A check that records what it was shown, refuses `test.refuse` and warns on `test.warn`.
#[derive(Debug, Default, Clone)]
struct Recorder {
    seen: Arc<Mutex<Vec<(u64, String, String)>>>,
    appended: Arc<Mutex<Vec<u64>>>,
}

impl<S: ?Sized> AppendCheck<S> for Recorder {
    fn domain(&self) -> &str {
        DOMAIN
    }
    fn begin(&mut self, _log: &LogView<'_, S>) -> Result<(), CheckError> {
        Ok(())
    }
    fn check(&mut self, e: &Proposed<'_>) -> Result<Vec<CheckWarning>, CheckError> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push((e.seq, e.entry_type.to_owned(), e.recorded_at.to_owned()));
        }
        match e.entry_type {
            "test.refuse" => Err("refused by the test's rule".into()),
            "test.warn" => Ok(vec![CheckWarning {
                code: "W_TEST".into(),
                message: "a warning".into(),
            }]),
            _ => Ok(Vec::new()),
        }
    }
    fn appended(&mut self, log: &LogView<'_, S>) {
        if let Ok(mut a) = self.appended.lock() {
            a.push(log.head.seq);
        }
    }
    fn abandoned(&mut self) {}
}

fn make_log(path: &Path, domain: Option<&str>) -> Result<LogWriter<FileStore>, LogError> {
    let key = key();
    let genesis = Genesis {
        origin: "example.org/hook-test".into(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: domain.map(str::to_owned),
    };
    LogWriter::create(path, &genesis, &key, at(0, 0))
}

/// The `recorded_at` of the last line of the log.
fn last_recorded_at(path: &Path) -> Result<String, Box<dyn Error>> {
    let bytes = fs::read(path)?;
    let last = bytes
        .split(|&b| b == b'\n')
        .rfind(|l| !l.is_empty())
        .ok_or("empty log")?;
    Ok(Entry::decode(last)?.entry.recorded_at)
}

#[test]
fn the_check_sees_the_recorded_at_that_is_written() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("events.log");
    let recorder = Recorder::default();
    let mut w = make_log(&path, Some(DOMAIN))?.with_append_check(recorder.clone())?;
    // Sub-second precision, then a clock that went back (now earlier than the last entry):
    // the writer signs the later of the two, and the check must have seen that very text.
    for (i, now) in [at(10, 123_456_789), at(5, 0), at(20, 500_000_000)]
        .into_iter()
        .enumerate()
    {
        w.append(&key(), "test.note", &data(i as i64), now)?;
        let written = last_recorded_at(&path)?;
        let seen = recorder.seen.lock().map_err(|_| "poisoned")?.clone();
        let (seq, t, recorded_at) = seen.last().ok_or("the check was not called")?.clone();
        assert_eq!(seq, i as u64 + 1);
        assert_eq!(t, "test.note");
        assert_eq!(recorded_at, written, "append {i}");
    }
    let seen = recorder.seen.lock().map_err(|_| "poisoned")?.clone();
    assert_eq!(seen[0].2, "2025-11-26T09:00:10.123456789Z");
    assert_eq!(
        seen[1].2, seen[0].2,
        "the clock went back: the last entry's time"
    );
    assert_eq!(seen[2].2, "2025-11-26T09:00:20.500Z");
    assert_eq!(
        *recorder.appended.lock().map_err(|_| "poisoned")?,
        vec![1, 2, 3]
    );
    Ok(())
}

#[test]
fn a_refused_entry_refuses_the_batch_and_writes_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("events.log");
    let recorder = Recorder::default();
    let mut w = make_log(&path, Some(DOMAIN))?.with_append_check(recorder.clone())?;
    w.append(&key(), "test.note", &data(0), at(1, 0))?;
    let before = fs::read(&path)?;
    let (a, b) = (data(1), data(2));
    let err = w
        .append_batch(&key(), &[("test.note", &a), ("test.refuse", &b)], at(2, 0))
        .expect_err("the check refuses the second entry");
    match &err {
        LogError::CheckRefused {
            index,
            seq,
            domain,
            source,
        } => {
            assert_eq!((*index, *seq, domain.as_str()), (1, 3, DOMAIN));
            assert_eq!(source.to_string(), "refused by the test's rule");
        }
        other => panic!("expected CheckRefused, got {other:?}"),
    }
    assert_eq!(fs::read(&path)?, before, "nothing of the batch was written");
    assert_eq!(*recorder.appended.lock().map_err(|_| "poisoned")?, vec![1]);
    // The writer still appends after a refusal, at the same seq.
    let head = w.append(&key(), "test.warn", &data(3), at(3, 0))?;
    assert_eq!(head.seq, 2);
    let warnings = w.take_warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!((warnings[0].index, warnings[0].seq), (0, 2));
    assert_eq!(warnings[0].warning.code, "W_TEST");
    assert!(w.take_warnings().is_empty(), "taken once");
    Ok(())
}

#[test]
fn a_check_of_another_domain_cannot_be_installed() -> TestResult {
    let dir = tempfile::tempdir()?;
    let other = make_log(&dir.path().join("other.log"), Some("other/v1"))?;
    assert!(matches!(
        other.with_append_check(Recorder::default()),
        Err(LogError::AppendCheckDomain { ref offered, domain: Some(ref d) })
            if offered == DOMAIN && d == "other/v1"
    ));
    let none = make_log(&dir.path().join("none.log"), None)?;
    assert!(matches!(
        none.with_append_check(Recorder::default()),
        Err(LogError::AppendCheckDomain { domain: None, .. })
    ));
    Ok(())
}

/// A domain log refuses every kind of append without a check of its domain, and writes
/// nothing, neither in the log nor beside it; reopened, it still refuses.
#[test]
fn a_domain_log_refuses_appends_without_a_check() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("events.log");
    let mut w = make_log(&path, Some(DOMAIN))?;
    type Files = Vec<(String, Vec<u8>)>;
    let files = |d: &Path| -> Result<Files, Box<dyn Error>> {
        let mut out = Vec::new();
        for e in fs::read_dir(d)? {
            let e = e?;
            out.push((
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path())?,
            ));
        }
        out.sort();
        Ok(out)
    };
    let before = files(dir.path())?;
    let refused = |r: Result<acta_core::verify::Head, LogError>| match r {
        Err(LogError::NoAppendCheck { domain }) => assert_eq!(domain, DOMAIN),
        other => panic!("expected NoAppendCheck, got {other:?}"),
    };
    let d = data(1);
    refused(w.append(&key(), "test.note", &d, at(1, 0)));
    refused(w.append_batch(&key(), &[("test.note", &d), ("test.note", &d)], at(1, 0)));
    // Not even the core's own entries.
    let add = acta_core::keyring::key_add_data(&key().verifier(), &Roles::all());
    refused(w.append(&key(), acta_core::keyring::KEY_ADD_TYPE, &add, at(1, 0)));
    let mut calls = 0;
    refused(w.append_stream(
        &key(),
        2,
        |_| {
            calls += 1;
            Ok(("test.note".to_owned(), data(2)))
        },
        || Ok(()),
        at(1, 0),
    ));
    assert_eq!(calls, 0, "no entry of the stream was taken");
    let e = w
        .append(&key(), "test.note", &d, at(1, 0))
        .expect_err("refused");
    assert_eq!(
        e.to_string(),
        "the log's genesis names the domain \"hook-test/v1\", and no check of that domain's rules is installed on this writer; nothing was written"
    );
    drop(w);
    assert_eq!(
        files(dir.path())?,
        before,
        "nothing written, in the log or beside it"
    );
    let mut w = LogWriter::open(&path, &key())?;
    refused(w.append(&key(), "test.note", &d, at(2, 0)));
    Ok(())
}

/// The explicit opt-out appends to a domain log without rules: what a check would refuse is
/// written, with no warnings; it is for its domain only.
#[test]
fn the_explicit_opt_out_appends_without_rules() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("events.log");
    let mut w = make_log(&path, Some(DOMAIN))?.with_append_check(Unchecked::for_domain(DOMAIN))?;
    let (a, b) = (data(1), data(2));
    w.append(&key(), "test.refuse", &a, at(1, 0))?;
    w.append_batch(&key(), &[("test.warn", &a), ("test.refuse", &b)], at(2, 0))?;
    let head = w.append_stream(
        &key(),
        2,
        |i| Ok(("test.refuse".to_owned(), data(i as i64))),
        || Ok(()),
        at(3, 0),
    )?;
    assert_eq!(head.seq, 5);
    assert!(w.take_warnings().is_empty());
    drop(w);
    let store = FileStore::open_reader(&path)?;
    let report = crate::log::verify(&store, acta_core::VerifyOptions::default())?;
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.entries, 6);
    let other = make_log(&dir.path().join("other.log"), Some("other/v1"))?;
    assert!(matches!(
        other.with_append_check(Unchecked::for_domain(DOMAIN)),
        Err(LogError::AppendCheckDomain { .. })
    ));
    Ok(())
}

/// A log whose genesis names no domain needs no check.
#[test]
fn a_log_without_a_domain_needs_no_check() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("plain.log");
    let mut w = make_log(&path, None)?;
    let d = data(1);
    w.append(&key(), "test.note", &d, at(1, 0))?;
    w.append_batch(&key(), &[("test.note", &d), ("test.refuse", &d)], at(2, 0))?;
    let head = w.append_stream(
        &key(),
        1,
        |_| Ok(("test.note".to_owned(), data(3))),
        || Ok(()),
        at(3, 0),
    )?;
    assert_eq!(head.seq, 4);
    Ok(())
}
