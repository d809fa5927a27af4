//! Reading a file of events to import: one JSON object `{"type": T, "data": {…}}` per line
//! (blank lines skipped), in the entry profile, each line at most
//! [`acta_core::MAX_ENTRY_BYTES`].
//!
//! An import reads the file twice through one open descriptor, each time as a [`Pass`]: the
//! first checks and counts the events, the second signs them; each pass hashes every byte it
//! reads, so the batch is made durable only if the second read exactly the bytes the first
//! checked ([`Pass::finish`]). Memory does not grow with the file: a pass holds one line.

use std::fs::File;
use std::io::{self, BufRead as _, BufReader, Read as _, Seek as _};
use std::path::{Path, PathBuf};

use acta_core::json::{self, JsonError, Object, Profile, Value};
use sha2::{Digest as _, Sha256};

/// An event of the file: its line number (from 1), type and data.
pub type Event = (usize, String, Object);

/// Why an events file cannot be read, or a line of it is not an event.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventsError {
    /// The file cannot be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A line over the entry limit (read no further than one byte past it).
    #[error("{} line {line}: {len} bytes is over the {}-byte entry limit", path.display(), acta_core::MAX_ENTRY_BYTES)]
    TooLong {
        /// The file.
        path: PathBuf,
        /// The line number.
        line: usize,
        /// The bytes read of it.
        len: usize,
    },
    /// A line that is not acceptable JSON.
    #[error("{} line {line}: {reason}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The line number.
        line: usize,
        /// Why.
        reason: JsonError,
    },
    /// A line that is JSON but not an object.
    #[error(
        "{} line {line}: expected an object {{\"type\": …, \"data\": {{…}}}}, found {kind}",
        path.display()
    )]
    NotAnObject {
        /// The file.
        path: PathBuf,
        /// The line number.
        line: usize,
        /// What it is instead.
        kind: &'static str,
    },
    /// An object with a member other than `type` and `data`.
    #[error(
        "{} line {line}: unexpected member `{member}` (an event is {{\"type\": …, \"data\": {{…}}}})",
        path.display()
    )]
    UnexpectedMember {
        /// The file.
        path: PathBuf,
        /// The line number.
        line: usize,
        /// The member's name, as in the file.
        member: String,
    },
    /// `type` is missing or not a string.
    #[error("{} line {line}: `type` must be a string", path.display())]
    TypeNotString {
        /// The file.
        path: PathBuf,
        /// The line number.
        line: usize,
    },
    /// `data` is missing or not an object.
    #[error("{} line {line}: `data` must be an object", path.display())]
    DataNotObject {
        /// The file.
        path: PathBuf,
        /// The line number.
        line: usize,
    },
    /// [`Pass::finish`] found an event after the ones counted.
    #[error("line {line} is an event the first pass did not see")]
    UncountedEvent {
        /// The line number.
        line: usize,
    },
}

impl EventsError {
    /// Whether this is a line of the file that is not an event (rather than a read error or
    /// an event [`Pass::finish`] did not expect).
    pub fn is_bad_line(&self) -> bool {
        !matches!(
            self,
            EventsError::Read { .. } | EventsError::UncountedEvent { .. }
        )
    }
}

/// One pass over an events file: its events in order, with the line each came from, and a
/// hash of every byte read.
pub struct Pass<'a> {
    path: &'a Path,
    reader: BufReader<&'a File>,
    buf: Vec<u8>,
    line_no: usize,
    hash: Sha256,
    bytes: u64,
}

impl std::fmt::Debug for Pass<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pass")
            .field("path", &self.path)
            .field("line_no", &self.line_no)
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

impl<'a> Pass<'a> {
    /// A pass from the start of `file`, named `path` in errors.
    pub fn new(path: &'a Path, file: &'a File) -> Result<Pass<'a>, EventsError> {
        let mut f = file;
        f.rewind().map_err(|source| EventsError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Pass {
            path,
            reader: BufReader::with_capacity(1 << 16, file),
            buf: Vec::new(),
            line_no: 0,
            hash: Sha256::new(),
            bytes: 0,
        })
    }

    /// How many bytes this pass has read.
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// The next event, skipping blank lines; `None` at the end of the file.
    pub fn next_event(&mut self) -> Result<Option<Event>, EventsError> {
        loop {
            self.buf.clear();
            // Read at most one byte past the limit (and its newline), so that a hostile file
            // with an endless line cannot exhaust memory.
            let limit = acta_core::MAX_ENTRY_BYTES as u64 + 2;
            let n = (&mut self.reader)
                .take(limit)
                .read_until(b'\n', &mut self.buf)
                .map_err(|source| EventsError::Read {
                    path: self.path.to_path_buf(),
                    source,
                })?;
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
    pub fn finish(mut self) -> Result<([u8; 32], u64), EventsError> {
        if let Some((line, _, _)) = self.next_event()? {
            return Err(EventsError::UncountedEvent { line });
        }
        Ok((self.hash.finalize().into(), self.bytes))
    }
}

/// Parses line `line_no` of the events file `path`: `None` for a blank line, else
/// `{"type": …, "data": {…}}` in the entry profile.
pub fn parse_event(line: &[u8], path: &Path, line_no: usize) -> Result<Option<Event>, EventsError> {
    let path_buf = || path.to_path_buf();
    if line.len() > acta_core::MAX_ENTRY_BYTES {
        return Err(EventsError::TooLong {
            path: path_buf(),
            line: line_no,
            len: line.len(),
        });
    }
    let text = line.strip_suffix(b"\n").unwrap_or(line);
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let obj = match json::parse(text, Profile::Entry) {
        Ok(Value::Object(o)) => o,
        Ok(other) => {
            return Err(EventsError::NotAnObject {
                path: path_buf(),
                line: line_no,
                kind: other.kind(),
            });
        }
        Err(reason) => {
            return Err(EventsError::Json {
                path: path_buf(),
                line: line_no,
                reason,
            });
        }
    };
    if let Some((k, _)) = obj.iter().find(|(k, _)| !["type", "data"].contains(k)) {
        return Err(EventsError::UnexpectedMember {
            path: path_buf(),
            line: line_no,
            member: k.to_owned(),
        });
    }
    let Some(Value::String(t)) = obj.get("type") else {
        return Err(EventsError::TypeNotString {
            path: path_buf(),
            line: line_no,
        });
    };
    let Some(Value::Object(d)) = obj.get("data") else {
        return Err(EventsError::DataNotObject {
            path: path_buf(),
            line: line_no,
        });
    };
    Ok(Some((line_no, t.clone(), d.clone())))
}

/// The line of the `index`-th event (from 0) of the file, for an error found while signing.
pub fn line_of(path: &Path, file: &File, index: usize) -> Option<usize> {
    let mut pass = Pass::new(path, file).ok()?;
    for _ in 0..index {
        pass.next_event().ok()??;
    }
    pass.next_event().ok()?.map(|(line_no, _, _)| line_no)
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
        assert!(
            matches!(e, EventsError::UncountedEvent { line: 2 }),
            "{e:?}"
        );
    }

    #[test]
    fn a_line_over_the_entry_limit_is_refused_without_reading_it_whole() {
        let mut big = vec![b' '; acta_core::MAX_ENTRY_BYTES * 3];
        big.push(b'\n');
        let (t, f) = file_with(&big);
        let mut p = Pass::new(t.path(), &f).expect("pass");
        let e = p.next_event().expect_err("too long");
        assert!(matches!(e, EventsError::TooLong { line: 1, .. }), "{e:?}");
        assert!(p.bytes_read() <= acta_core::MAX_ENTRY_BYTES as u64 + 2);
    }

    #[test]
    fn lines_that_are_not_events_are_refused_each_for_its_reason() {
        let p = Path::new("ev.jsonl");
        let bad = |line: &[u8]| parse_event(line, p, 7).expect_err("not an event");
        assert!(matches!(
            bad(b"[1]\n"),
            EventsError::NotAnObject {
                line: 7,
                kind: "array",
                ..
            }
        ));
        assert!(matches!(
            bad(b"{\"type\":\n"),
            EventsError::Json { line: 7, .. }
        ));
        let e = bad(b"{\"type\":\"a\",\"data\":{},\"x\":1}");
        assert!(
            matches!(&e, EventsError::UnexpectedMember { member, .. } if member == "x"),
            "{e:?}"
        );
        assert!(matches!(
            bad(b"{\"type\":1,\"data\":{}}"),
            EventsError::TypeNotString { .. }
        ));
        assert!(matches!(
            bad(b"{\"type\":\"a\",\"data\":[]}"),
            EventsError::DataNotObject { .. }
        ));
        assert!(bad(b"[1]").is_bad_line());
        assert_eq!(
            bad(b"{\"type\":\"a\"}").to_string(),
            "ev.jsonl line 7: `data` must be an object"
        );
        assert!(parse_event(b" \t\r\n", p, 7).expect("blank").is_none());
    }
}
