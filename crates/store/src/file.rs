//! [`FileStore`]: the embedded append-only file store, and [`repair`].

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use acta_core::MAX_ENTRY_BYTES;

use crate::{AppendReceipt, Scan, ScanItem, Store, StoreError, StoredLine, TornTail};

mod read;
mod repair;

pub(crate) use read::read_exact_at;
use read::{
    FileScan, PositionalReader, find_last_newline, find_torn_tail, read_error, write_all_at,
};

pub use repair::{RepairAction, RepairOutcome, repair, repair_with};

/// Size of the blocks read when searching backwards from the end of a log.
pub(crate) const BACKWARD_BLOCK: usize = 64 * 1024;

/// Capacity of the read buffer used by scans.
const SCAN_BUFFER: usize = 64 * 1024;

/// How many alternative names to try for a torn tail's side file before giving up.
const NAME_ATTEMPTS: u32 = 1000;

/// How a [`FileStore`] was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Holds the exclusive lock; may append.
    Writer,
    /// Read-only view of a length snapshot.
    Reader,
}

/// The append-only log file store.
///
/// A writer ([`FileStore::create`], [`FileStore::open_writer`]) holds an exclusive
/// lock on the file for its whole lifetime, so at most one writer exists per log at a
/// time; others block in `open_writer` until it is dropped. A reader
/// ([`FileStore::open_reader`]) records the file's length when opened and never looks
/// past it, so it sees a consistent prefix made of whole acknowledged appends.
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
    file: File,
    /// Writer: the current length. Reader: the snapshot length.
    len: u64,
    mode: Mode,
    /// Set when a failed append could not be rolled back.
    poisoned: bool,
}

impl FileStore {
    /// Creates a new log at `path` holding `first_lines` (possibly none), and returns
    /// it opened as a writer.
    ///
    /// The log appears atomically: the lines are written and synced to a temporary
    /// file `.{name}.{random}.tmp` in the same directory (created exclusively, with an
    /// unpredictable name, so never through a link planted there), which is then hard-linked
    /// to `path` (so an existing file is never overwritten: that fails with
    /// [`StoreError::AlreadyExists`] and leaves nothing behind), the temporary name is
    /// removed, and the directory is synced. The lines are validated as in
    /// [`Store::append`] before anything is written.
    pub fn create(path: impl AsRef<Path>, first_lines: &[&[u8]]) -> Result<FileStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        validate_lines(first_lines)?;
        match fs::symlink_metadata(&path) {
            Ok(_) => return Err(StoreError::AlreadyExists { path }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(StoreError::Io {
                    path,
                    op: "inspect",
                    source,
                });
            }
        }
        let Some(name) = path.file_name() else {
            return Err(StoreError::InvalidPath { path });
        };
        let dir = parent_dir(&path);

        let (file, tmp_path) = crate::side_file::temp_in(&dir, name, true)
            .map_err(|source| StoreError::Io {
                path: dir.clone(),
                op: "create a temporary file",
                source,
            })?
            .into_parts();
        let result = write_new_log(&file, &tmp_path, &path, first_lines);
        // Dropping the temporary path removes the temporary name (best effort): on failure
        // nothing is left behind; on success the log is complete under `path`, and a name
        // that could not be removed would only be a harmless hidden hard link.
        drop(tmp_path);
        let len = result?;
        sync_dir(&dir)?;
        Ok(FileStore {
            path,
            file,
            len,
            mode: Mode::Writer,
            poisoned: false,
        })
    }

    /// Opens an existing log for appending.
    ///
    /// Refuses a symbolic link ([`StoreError::Symlink`]), a directory
    /// ([`StoreError::IsDirectory`]) and anything but a regular file, checked on the opened
    /// file (the open never waits on a FIFO or device). Takes an
    /// exclusive lock, waiting until any other writer (or [`repair`], or a reader
    /// taking its snapshot) has finished; the lock is held until the store is
    /// dropped. Fails with [`StoreError::TornTail`] if the file is non-empty and does
    /// not end with `'\n'`: run [`repair`] first. An empty file is a valid, empty log.
    pub fn open_writer(path: impl AsRef<Path>) -> Result<FileStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let file = open_for_writing(&path, OpenOptions::new().read(true).append(true))?;
        file.lock().map_err(|source| StoreError::Io {
            path: path.clone(),
            op: "lock",
            source,
        })?;
        let len = file_len(&file, &path)?;
        if let Some(torn) = find_torn_tail(&file, len).map_err(|e| read_error(&path, len, e))? {
            return Err(StoreError::TornTail {
                path,
                offset: torn.offset,
                len: torn.len,
            });
        }
        Ok(FileStore {
            path,
            file,
            len,
            mode: Mode::Writer,
            poisoned: false,
        })
    }

    /// Opens a log read-only.
    ///
    /// A symbolic link is followed; a directory or anything but a regular file is
    /// refused, checked on the opened file (the open never waits on a FIFO or device). The
    /// file's length is read under a shared lock, taken only for that
    /// moment (it waits while a writer holds the exclusive lock, which writers keep
    /// for their lifetime); [`Store::scan`], [`Store::last_line`] and
    /// [`FileStore::torn_tail`] then consider only the bytes up to that length, so
    /// lines appended later are not seen. [`Store::append`] fails with
    /// [`StoreError::ReadOnly`].
    pub fn open_reader(path: impl AsRef<Path>) -> Result<FileStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        // Opened first (never waiting on a FIFO or device), then checked on the descriptor:
        // nothing can swap the path between a check and the open.
        let file = open_log(
            &path,
            OpenOptions::new().read(true),
            true,
            "open for reading",
        )?;
        file.lock_shared().map_err(|source| StoreError::Io {
            path: path.clone(),
            op: "lock",
            source,
        })?;
        let len = file_len(&file, &path);
        let unlocked = file.unlock().map_err(|source| StoreError::Io {
            path: path.clone(),
            op: "unlock",
            source,
        });
        let len = len?;
        unlocked?;
        Ok(FileStore {
            path,
            file,
            len,
            mode: Mode::Reader,
            poisoned: false,
        })
    }

    /// The log's length in bytes: for a writer, its current length; for a reader, the
    /// length it had when the reader was opened.
    pub fn len_bytes(&self) -> u64 {
        self.len
    }

    /// The path the store was opened with.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The incomplete final line, if the log (up to [`FileStore::len_bytes`]) does
    /// not end with `'\n'`. Reads only the end of the file.
    pub fn torn_tail(&self) -> Result<Option<TornTail>, StoreError> {
        find_torn_tail(&self.file, self.len).map_err(|e| read_error(&self.path, self.len, e))
    }

    /// Appends with `write` doing the write and sync; split out so tests can inject
    /// failures.
    pub(crate) fn append_with(
        &mut self,
        lines: &[&[u8]],
        write: impl FnOnce(&mut File, &[u8]) -> Result<(), (&'static str, io::Error)>,
    ) -> Result<AppendReceipt, StoreError> {
        if self.mode == Mode::Reader {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        if self.poisoned {
            return Err(StoreError::Poisoned {
                path: self.path.clone(),
            });
        }
        validate_lines(lines)?;
        let old_len = file_len(&self.file, &self.path)?;
        if lines.is_empty() {
            self.len = old_len;
            return Ok(AppendReceipt {
                first_offset: old_len,
                end_offset: old_len,
            });
        }
        let buf = join_lines(lines);
        match write(&mut self.file, &buf) {
            Ok(()) => {
                let end = old_len + buf.len() as u64;
                self.len = end;
                Ok(AppendReceipt {
                    first_offset: old_len,
                    end_offset: end,
                })
            }
            Err((op, source)) => {
                let rollback = self
                    .file
                    .set_len(old_len)
                    .and_then(|()| self.file.sync_data());
                match rollback {
                    Ok(()) => {
                        self.len = old_len;
                        Err(StoreError::Io {
                            path: self.path.clone(),
                            op,
                            source,
                        })
                    }
                    Err(rollback_error) => {
                        self.poisoned = true;
                        Err(StoreError::RollbackFailed {
                            path: self.path.clone(),
                            offset: old_len,
                            op,
                            source,
                            rollback_error,
                        })
                    }
                }
            }
        }
    }
}

/// Where [`FileStore::append_stream`] writes a batch's lines, one at a time, as they are
/// made: buffered, not durable until the append returns `Ok`.
#[derive(Debug)]
pub struct LineSink<'a> {
    out: io::BufWriter<&'a File>,
    path: &'a Path,
    lines: usize,
}

impl LineSink<'_> {
    /// Writes one line and its `'\n'` (after the checks of [`Store::append`]: not empty, no
    /// `'\n'`, at most [`MAX_ENTRY_BYTES`]).
    pub fn push(&mut self, line: &[u8]) -> Result<(), StoreError> {
        validate_lines(&[line]).map_err(|e| match e {
            StoreError::EmptyLine { .. } => StoreError::EmptyLine { index: self.lines },
            StoreError::LineTooLong { len, limit, .. } => StoreError::LineTooLong {
                index: self.lines,
                len,
                limit,
            },
            StoreError::LineContainsNewline { .. } => {
                StoreError::LineContainsNewline { index: self.lines }
            }
            other => other,
        })?;
        self.out
            .write_all(line)
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(|source| StoreError::Io {
                path: self.path.to_path_buf(),
                op: "write",
                source,
            })?;
        self.lines += 1;
        Ok(())
    }

    /// The lines written so far.
    pub fn lines(&self) -> usize {
        self.lines
    }
}

impl FileStore {
    /// Appends the lines `produce` writes into a [`LineSink`], as it makes them, so that a
    /// batch of any size is appended in memory that does not grow with it: the lines go to
    /// the file as they come (buffered, unsynced), and once `produce` returns `Ok` the file is
    /// synced once. All or nothing like [`Store::append`]: if `produce` fails, or the write or
    /// sync does, the file is truncated back to its previous length (and synced) before the
    /// error is returned; if even that fails the store is poisoned. Until this returns, no
    /// reader sees the lines (readers wait for the writer's lock to read the length).
    pub fn append_stream<E: From<StoreError>>(
        &mut self,
        produce: impl FnOnce(&mut LineSink<'_>) -> Result<(), E>,
    ) -> Result<AppendReceipt, E> {
        if self.mode == Mode::Reader {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            }
            .into());
        }
        if self.poisoned {
            return Err(StoreError::Poisoned {
                path: self.path.clone(),
            }
            .into());
        }
        let old_len = file_len(&self.file, &self.path)?;
        let produced = {
            let mut sink = LineSink {
                out: io::BufWriter::with_capacity(SCAN_BUFFER, &self.file),
                path: &self.path,
                lines: 0,
            };
            match produce(&mut sink) {
                Ok(()) => Ok(sink.out.flush().map_err(|e| ("write", e))),
                Err(e) => {
                    // Drop what is buffered without writing it.
                    let _ = sink.out.into_parts();
                    Err(e)
                }
            }
        };
        let written = match produced {
            Ok(flushed) => flushed.and_then(|()| self.file.sync_data().map_err(|e| ("sync", e))),
            Err(e) => {
                self.roll_back(old_len)?;
                return Err(e);
            }
        };
        match written {
            Ok(()) => {
                let end = file_len(&self.file, &self.path)?;
                self.len = end;
                Ok(AppendReceipt {
                    first_offset: old_len,
                    end_offset: end,
                })
            }
            Err((op, source)) => {
                self.roll_back(old_len)?;
                Err(StoreError::Io {
                    path: self.path.clone(),
                    op,
                    source,
                }
                .into())
            }
        }
    }

    /// Truncates the log back to `old_len` after a failed streamed append, durably; poisons
    /// the store if that fails.
    fn roll_back(&mut self, old_len: u64) -> Result<(), StoreError> {
        match self
            .file
            .set_len(old_len)
            .and_then(|()| self.file.sync_data())
        {
            Ok(()) => {
                self.len = old_len;
                Ok(())
            }
            Err(rollback_error) => {
                self.poisoned = true;
                Err(StoreError::RollbackFailed {
                    path: self.path.clone(),
                    offset: old_len,
                    op: "write",
                    source: io::Error::other("a streamed append failed"),
                    rollback_error,
                })
            }
        }
    }
}

impl FileStore {
    /// A scan that starts at `start`, which must be 0, just after a `'\n'`, or the end of the
    /// log.
    fn scan_at(&self, start: u64) -> FileScan<'_> {
        let end = self.len;
        FileScan {
            path: &self.path,
            len: self.len,
            reader: BufReader::with_capacity(
                SCAN_BUFFER,
                PositionalReader {
                    file: &self.file,
                    pos: start,
                    end,
                },
            ),
            pos: start,
            done: false,
        }
    }

    /// The start of the first line at or after `offset` in the complete part `[0, end)`, or
    /// `end` if there is none (reading forward from `offset` to the next `'\n'` if `offset`
    /// is inside a line).
    fn line_start_at_or_after(&self, offset: u64, end: u64) -> io::Result<u64> {
        if offset == 0 || offset >= end {
            return Ok(offset.min(end));
        }
        let mut byte = [0u8; 1];
        read_exact_at(&self.file, &mut byte, offset - 1)?;
        if byte[0] == b'\n' {
            return Ok(offset);
        }
        let mut buf = vec![0; BACKWARD_BLOCK];
        let mut pos = offset;
        while pos < end {
            let n = (end - pos).min(buf.len() as u64) as usize;
            let block = &mut buf[..n];
            read_exact_at(&self.file, block, pos)?;
            if let Some(i) = block.iter().position(|&b| b == b'\n') {
                return Ok(pos + i as u64 + 1);
            }
            pos += n as u64;
        }
        Ok(end)
    }
}

impl Store for FileStore {
    fn scan(&self) -> Result<Scan<'_>, StoreError> {
        Ok(Scan::new(self.scan_at(0)))
    }

    fn scan_from(&self, offset: u64) -> Result<Scan<'_>, StoreError> {
        let end = self.len;
        let start = self
            .line_start_at_or_after(offset, end)
            .map_err(|e| read_error(&self.path, self.len, e))?;
        // `start` is where a line (or a torn last line) starts, or the end of the log, so every
        // item the scan finds from there starts at or after `offset`.
        Ok(Scan::new(self.scan_at(start)))
    }

    fn last_line(&self) -> Result<Option<StoredLine>, StoreError> {
        let map = |e| read_error(&self.path, self.len, e);
        // The newline ending the last complete line.
        let Some(end) = find_last_newline(&self.file, 0, self.len).map_err(map)? else {
            return Ok(None);
        };
        // Look back at most MAX_ENTRY_BYTES + 1 bytes for the newline before it.
        let floor = end.saturating_sub(MAX_ENTRY_BYTES as u64 + 1);
        let start = match find_last_newline(&self.file, floor, end).map_err(map)? {
            Some(newline) => newline + 1,
            None => floor,
        };
        let too_long = StoreError::LastLineTooLong {
            path: self.path.clone(),
            end_offset: end,
            limit: MAX_ENTRY_BYTES,
        };
        let Ok(len) = usize::try_from(end - start) else {
            return Err(too_long);
        };
        if len > MAX_ENTRY_BYTES {
            return Err(too_long);
        }
        let mut bytes = vec![0; len];
        read_exact_at(&self.file, &mut bytes, start).map_err(map)?;
        Ok(Some(StoredLine {
            offset: start,
            bytes,
        }))
    }

    fn append(&mut self, lines: &[&[u8]]) -> Result<AppendReceipt, StoreError> {
        self.append_with(lines, |file, buf| {
            file.write_all(buf).map_err(|e| ("write", e))?;
            file.sync_data().map_err(|e| ("sync", e))
        })
    }
}

/// Checks that every line may be stored.
fn validate_lines(lines: &[&[u8]]) -> Result<(), StoreError> {
    for (index, line) in lines.iter().enumerate() {
        if line.is_empty() {
            return Err(StoreError::EmptyLine { index });
        }
        if line.len() > MAX_ENTRY_BYTES {
            return Err(StoreError::LineTooLong {
                index,
                len: line.len(),
                limit: MAX_ENTRY_BYTES,
            });
        }
        if line.contains(&b'\n') {
            return Err(StoreError::LineContainsNewline { index });
        }
    }
    Ok(())
}

/// Each line followed by `'\n'`, in one buffer.
fn join_lines(lines: &[&[u8]]) -> Vec<u8> {
    let total = lines.iter().map(|line| line.len() + 1).sum();
    let mut buf = Vec::with_capacity(total);
    for line in lines {
        buf.extend_from_slice(line);
        buf.push(b'\n');
    }
    buf
}

/// Writes and syncs the first lines of a new log to its temporary file, then links
/// it into place. Returns the log's length.
fn write_new_log(
    mut file: &File,
    tmp_path: &Path,
    path: &Path,
    lines: &[&[u8]],
) -> Result<u64, StoreError> {
    let tmp_error = |op, source| StoreError::Io {
        path: tmp_path.to_path_buf(),
        op,
        source,
    };
    // Nobody else knows this file yet, so this does not wait. The lock stays with
    // the file once it is linked under its real name.
    file.lock().map_err(|e| tmp_error("lock", e))?;
    let buf = join_lines(lines);
    file.write_all(&buf).map_err(|e| tmp_error("write", e))?;
    file.sync_all().map_err(|e| tmp_error("sync", e))?;
    match fs::hard_link(tmp_path, path) {
        Ok(()) => Ok(buf.len() as u64),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(StoreError::AlreadyExists {
            path: path.to_path_buf(),
        }),
        Err(source) => Err(StoreError::Io {
            path: path.to_path_buf(),
            op: "link the new log into place",
            source,
        }),
    }
}

/// Opens an existing log for modification (appending, or repair's truncation), refusing a
/// symbolic link at its name, directories and special files; see [`open_log`].
///
/// A log with other names (hard links) is opened: a hard link is an ordinary way to give a
/// log a second name, and acta writes to a log only after verifying it (a writer verifies
/// every line it has not authenticated itself; repair cuts only what it found unacknowledged),
/// so a link planted at the name to a file that is not an acta log is never written, and one
/// to another acta log is the case of a swapped-in log, which `--expect-origin` and
/// `--expect-head` guard against (see DESIGN.md).
fn open_for_writing(path: &Path, options: &mut OpenOptions) -> Result<File, StoreError> {
    open_log(path, options, false, "open for writing")
}

/// Opens the log at `path` with `options` and checks, on the opened descriptor, that it is a
/// regular file ([`crate::side_file::open_regular`]): the open never waits (`O_NONBLOCK`, so
/// a FIFO or device planted at the name does not block it), and there is no gap between a
/// check and the open in which the path could be swapped. A symbolic link is followed if
/// `follow` (readers: the user may name a link to a log), and otherwise refused with
/// [`StoreError::Symlink`] (`O_NOFOLLOW`; writers do not write through links).
fn open_log(
    path: &Path,
    options: &mut OpenOptions,
    follow: bool,
    op: &'static str,
) -> Result<File, StoreError> {
    use crate::side_file::OpenFailure;
    let path_buf = || path.to_path_buf();
    match crate::side_file::open_regular(path, options, follow) {
        Ok((file, _)) => Ok(file),
        Err(OpenFailure::NotFound) => Err(StoreError::NotFound { path: path_buf() }),
        Err(OpenFailure::Symlink) => Err(StoreError::Symlink { path: path_buf() }),
        Err(OpenFailure::Directory) => Err(StoreError::IsDirectory { path: path_buf() }),
        Err(OpenFailure::NotRegular) => Err(StoreError::NotARegularFile { path: path_buf() }),
        Err(OpenFailure::Io(what, source)) => Err(StoreError::Io {
            path: path_buf(),
            op: if what == "open" { op } else { what },
            source,
        }),
    }
}

fn file_len(file: &File, path: &Path) -> Result<u64, StoreError> {
    file.metadata()
        .map(|m| m.len())
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            op: "read the length",
            source,
        })
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Syncs a directory so that names created or removed in it are durable
/// ([`crate::side_file::sync_dir`]: never waits on, or opens, anything but a directory).
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    crate::side_file::sync_dir(dir).map_err(|source| StoreError::Io {
        path: dir.to_path_buf(),
        op: "sync the directory",
        source,
    })
}

#[cfg(test)]
mod batch_tests;
#[cfg(all(test, unix))]
mod open_tests;
