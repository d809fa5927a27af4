//! [`FileStore`]: the embedded append-only file store, and [`repair`].

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use acta_core::MAX_ENTRY_BYTES;

use crate::{AppendReceipt, Scan, ScanItem, Store, StoreError, StoredLine, TornTail};

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

/// What [`repair`] (or [`repair_with`], or [`crate::log::repair`]) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepairOutcome {
    /// The log ended with `'\n'` (or was empty), or there was nothing to repair; nothing was
    /// changed.
    Clean,
    /// The torn tail was moved to `side_file` and the log truncated to `offset`.
    Repaired {
        /// Byte offset where the torn tail began; the log's new length.
        offset: u64,
        /// Number of torn bytes moved.
        len: u64,
        /// The file now holding exactly the torn bytes.
        side_file: PathBuf,
    },
    /// The log's last line, which lacked only its `'\n'`, was completed: exactly one `'\n'`
    /// was appended (and synced) at `offset + len`, the log's old length. Nothing was moved.
    NewlineRestored {
        /// Byte offset of the line (just after the `'\n'` before it, or 0).
        offset: u64,
        /// Its length in bytes, without the restored `'\n'`.
        len: u64,
    },
}

/// What [`repair_with`] is to do to the end of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepairAction {
    /// Move the bytes from this offset (a line start before the end of the log) to the end to
    /// a side file, then truncate the log there.
    MoveFrom(u64),
    /// Append one `'\n'` to a log that does not end with one: its last line is complete and
    /// lacks only its newline.
    RestoreNewline,
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

/// Moves a torn tail out of the log at `path`.
///
/// Takes the exclusive lock (waiting for any writer to finish). If the log does not
/// end with `'\n'`, the bytes after its last `'\n'` are copied to a new side file
/// `{path}.torn-{offset}` (or `{path}.torn-{offset}.{n}` if that exists), which is
/// synced along with its directory; only then is the log truncated to `offset` and
/// synced. Complete lines are never touched. Refuses symbolic links and directories
/// like [`FileStore::open_writer`].
///
/// This knows nothing of entries: `acta repair` uses [`crate::log::repair`], which also
/// moves the complete lines of a batch cut short, after verifying them.
///
/// Because it verifies nothing, it would cut the last line of any file at all; so it refuses
/// a file with other names ([`StoreError::HardLinked`], checked on the locked descriptor):
/// whoever can write the log's folder can make the log's name a hard link to another file of
/// the user's (`O_NOFOLLOW` does not see it), and this would truncate that file and copy its
/// end into their folder. (A verifying repair cuts only the unfinished end of what it verified
/// as an acta log, whatever the file's names.)
pub fn repair(path: impl AsRef<Path>) -> Result<RepairOutcome, StoreError> {
    repair_with(path, |store| {
        let links = crate::side_file::link_count(&store.file.metadata().map_err(|source| {
            StoreError::Io {
                path: store.path.clone(),
                op: "inspect",
                source,
            }
        })?);
        if links != 1 {
            return Err(StoreError::HardLinked {
                path: store.path.clone(),
                links,
            });
        }
        Ok(store.torn_tail()?.map(|t| RepairAction::MoveFrom(t.offset)))
    })
}

/// Repairs the end of the log at `path` as `decide` chooses, like [`repair`]: under the
/// exclusive lock, `decide` is given the log (read-only, its length fixed while the lock is
/// held) and returns what to do, or `None` to change nothing.
///
/// - [`RepairAction::MoveFrom`]: the offset must be a line start (0, or just after a `'\n'`)
///   before the end of the log. The bytes from there on are copied to a new side file
///   `{path}.torn-{offset}` (created exclusively, never through a symlink) and synced, and only
///   then is the log truncated to the offset and synced.
/// - [`RepairAction::RestoreNewline`]: the log must not end with `'\n'`. Exactly one `'\n'`
///   is written at its end and the log is synced; no byte of it is changed or moved.
///
/// If the log's length changed meanwhile (a writer that ignores the lock), nothing is
/// truncated (and the side file is removed) or nothing is appended.
pub fn repair_with<E: From<StoreError>>(
    path: impl AsRef<Path>,
    decide: impl FnOnce(&FileStore) -> Result<Option<RepairAction>, E>,
) -> Result<RepairOutcome, E> {
    let path = path.as_ref();
    let file = open_for_writing(path, OpenOptions::new().read(true).write(true))?;
    let io_error = |op, source| StoreError::Io {
        path: path.to_path_buf(),
        op,
        source,
    };
    file.lock().map_err(|e| io_error("lock", e))?;
    let len = file_len(&file, path)?;
    // A read-only view of the locked file, for `decide` to scan.
    let store = FileStore {
        path: path.to_path_buf(),
        file,
        len,
        mode: Mode::Reader,
        poisoned: false,
    };
    let offset = match decide(&store)? {
        None => return Ok(RepairOutcome::Clean),
        Some(RepairAction::RestoreNewline) => return Ok(restore_newline(store)?),
        Some(RepairAction::MoveFrom(offset)) => offset,
    };
    let at_line_start = offset < len
        && (offset == 0 || {
            let mut byte = [0u8; 1];
            read_exact_at(&store.file, &mut byte, offset - 1)
                .map_err(|e| read_error(path, len, e))?;
            byte[0] == b'\n'
        });
    if !at_line_start {
        return Err(StoreError::Io {
            path: path.to_path_buf(),
            op: "repair",
            source: io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("byte {offset} is not the start of a line before the end ({len})"),
            ),
        }
        .into());
    }
    let file = store.file;

    let (side_path, mut side) = create_side_file(path, offset)?;
    let copied = copy_range(&file, offset, len, &mut side)
        .map_err(|e| match e {
            CopyError::Read(e) => read_error(path, len, e),
            CopyError::Write(source) => StoreError::Io {
                path: side_path.clone(),
                op: "write",
                source,
            },
        })
        .and_then(|()| {
            side.sync_all().map_err(|source| StoreError::Io {
                path: side_path.clone(),
                op: "sync",
                source,
            })
        })
        .and_then(|()| {
            // Nothing is cut that was not what was decided on.
            if file_len(&file, path)? == len {
                Ok(())
            } else {
                Err(io_error(
                    "repair",
                    io::Error::other(format!(
                        "its length changed from {len} bytes while it was being repaired (a \
                         writer that ignores the lock?); nothing was cut; retry"
                    )),
                ))
            }
        });
    if let Err(e) = copied {
        // Best effort: the log is untouched, so drop the incomplete copy.
        let _ = fs::remove_file(&side_path);
        return Err(e.into());
    }
    sync_dir(&parent_dir(&side_path))?;
    file.set_len(offset).map_err(|e| io_error("truncate", e))?;
    file.sync_all().map_err(|e| io_error("sync", e))?;
    Ok(RepairOutcome::Repaired {
        offset,
        len: len - offset,
        side_file: side_path,
    })
}

/// Appends the one `'\n'` that the last line of the locked log `store` lacks, at its end, and
/// syncs it (see [`repair_with`]).
fn restore_newline(store: FileStore) -> Result<RepairOutcome, StoreError> {
    let FileStore {
        path, file, len, ..
    } = store;
    let io_error = |op, source| StoreError::Io {
        path: path.clone(),
        op,
        source,
    };
    let Some(torn) = find_torn_tail(&file, len).map_err(|e| read_error(&path, len, e))? else {
        return Err(io_error(
            "repair",
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "it already ends with a newline; nothing was appended",
            ),
        ));
    };
    let changed = || {
        io_error(
            "repair",
            io::Error::other(format!(
                "its length changed from {len} bytes while it was being repaired (a writer that \
                 ignores the lock?); retry"
            )),
        )
    };
    // Nothing is written unless the log is still exactly what was decided on.
    if file_len(&file, &path)? != len {
        return Err(changed());
    }
    write_all_at(&file, b"\n", len).map_err(|e| io_error("write", e))?;
    file.sync_all().map_err(|e| io_error("sync", e))?;
    if file_len(&file, &path)? != len + 1 {
        return Err(changed());
    }
    Ok(RepairOutcome::NewlineRestored {
        offset: torn.offset,
        len: torn.len,
    })
}

/// The streaming scan over a [`FileStore`].
struct FileScan<'a> {
    path: &'a Path,
    /// The length being scanned (for error messages).
    len: u64,
    reader: BufReader<PositionalReader<'a>>,
    /// Offset of the next unread byte.
    pos: u64,
    done: bool,
}

impl Iterator for FileScan<'_> {
    type Item = Result<ScanItem, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let mut line = Vec::new();
        let mut too_long = false;
        let mut count: u64 = 0;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Err(read_error(self.path, self.len, e)));
                }
            };
            if chunk.is_empty() {
                self.done = true;
                if count == 0 {
                    return None;
                }
                return Some(Ok(ScanItem::Torn {
                    tail: TornTail {
                        offset: start,
                        len: count,
                    },
                    bytes: (!too_long).then_some(line),
                }));
            }
            let newline = memchr::memchr(b'\n', chunk);
            let take = newline.unwrap_or(chunk.len());
            if !too_long {
                if line.len() + take > MAX_ENTRY_BYTES {
                    too_long = true;
                    line = Vec::new();
                } else {
                    line.extend_from_slice(&chunk[..take]);
                }
            }
            count += take as u64;
            let consumed = take + usize::from(newline.is_some());
            self.reader.consume(consumed);
            self.pos += consumed as u64;
            if newline.is_some() {
                return Some(Ok(if too_long {
                    ScanItem::TooLong {
                        offset: start,
                        len: count,
                    }
                } else {
                    ScanItem::Line(StoredLine {
                        offset: start,
                        bytes: line,
                    })
                }));
            }
        }
    }
}

/// Reads a file from `pos` up to `end` with positional reads, leaving the file's
/// cursor alone so several scans can share one `File`.
struct PositionalReader<'a> {
    file: &'a File,
    pos: u64,
    end: u64,
}

impl Read for PositionalReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let remaining = self.end.saturating_sub(self.pos);
        if remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let n = read_at(self.file, &mut buf[..want], self.pos)?;
        if n == 0 {
            return Err(shrunk_error());
        }
        self.pos += n as u64;
        Ok(n)
    }
}

/// The error positional reads report when the file ends before the expected length.
fn shrunk_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the file ended before the expected length",
    )
}

/// Maps a read error: an early end of file means the file shrank.
fn read_error(path: &Path, len: u64, e: io::Error) -> StoreError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        StoreError::Shrunk {
            path: path.to_path_buf(),
            len,
        }
    } else {
        StoreError::Io {
            path: path.to_path_buf(),
            op: "read",
            source: e,
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(not(any(unix, windows)))]
fn read_at(_file: &File, _buf: &mut [u8], _offset: u64) -> io::Result<usize> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "positional reads are not supported on this platform",
    ))
}

/// Writes all of `buf` at `offset`, leaving the file's cursor alone.
#[cfg(unix)]
fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

/// Writes all of `buf` at `offset`.
#[cfg(windows)]
fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, buf, offset) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            Ok(n) => {
                buf = &buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn write_all_at(_file: &File, _buf: &[u8], _offset: u64) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "positional writes are not supported on this platform",
    ))
}

/// Fills `buf` from `offset`; an early end of file is `UnexpectedEof`.
pub(crate) fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match read_at(file, buf, offset) {
            Ok(0) => return Err(shrunk_error()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The offset of the last `'\n'` in `[floor, end)`, reading backwards in blocks.
fn find_last_newline(file: &File, floor: u64, end: u64) -> io::Result<Option<u64>> {
    let span = end.saturating_sub(floor);
    let mut buf = vec![0; span.min(BACKWARD_BLOCK as u64) as usize];
    let mut pos = end;
    while pos > floor {
        let n = (pos - floor).min(buf.len() as u64);
        let block_start = pos - n;
        let block = &mut buf[..n as usize];
        read_exact_at(file, block, block_start)?;
        if let Some(i) = block.iter().rposition(|&b| b == b'\n') {
            return Ok(Some(block_start + i as u64));
        }
        pos = block_start;
    }
    Ok(None)
}

/// The torn tail of the first `len` bytes of `file`, reading only its end.
fn find_torn_tail(file: &File, len: u64) -> io::Result<Option<TornTail>> {
    if len == 0 {
        return Ok(None);
    }
    let mut last = [0u8; 1];
    read_exact_at(file, &mut last, len - 1)?;
    if last[0] == b'\n' {
        return Ok(None);
    }
    let offset = match find_last_newline(file, 0, len - 1)? {
        Some(newline) => newline + 1,
        None => 0,
    };
    Ok(Some(TornTail {
        offset,
        len: len - offset,
    }))
}

enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// Copies bytes `[from, to)` of `src` to `dst` in bounded chunks.
fn copy_range(src: &File, from: u64, to: u64, dst: &mut File) -> Result<(), CopyError> {
    let mut buf = vec![0; SCAN_BUFFER];
    let mut pos = from;
    while pos < to {
        let n = (to - pos).min(buf.len() as u64) as usize;
        read_exact_at(src, &mut buf[..n], pos).map_err(CopyError::Read)?;
        dst.write_all(&buf[..n]).map_err(CopyError::Write)?;
        pos += n as u64;
    }
    Ok(())
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

/// Creates `{path}.torn-{offset}`, or `{path}.torn-{offset}.{n}` if taken.
fn create_side_file(path: &Path, offset: u64) -> Result<(PathBuf, File), StoreError> {
    let mut base = path.as_os_str().to_os_string();
    base.push(format!(".torn-{offset}"));
    let mut last_error = None;
    for attempt in 0..NAME_ATTEMPTS {
        let mut name = base.clone();
        if attempt > 0 {
            name.push(format!(".{attempt}"));
        }
        let side_path = PathBuf::from(name);
        // Created exclusively: an existing name (a link planted there included) is skipped,
        // never opened or followed.
        match crate::side_file::create_new_file(
            &side_path,
            "the side file for the torn tail",
            0o666,
        ) {
            Ok(file) => return Ok((side_path, file)),
            Err(crate::side_file::SideFileError::AlreadyExists { .. }) => {
                last_error = Some(io::Error::from(io::ErrorKind::AlreadyExists));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Io {
        path: PathBuf::from(base),
        op: "create the side file for the torn tail",
        source: last_error.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)),
    })
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
mod batch_tests {
    use super::*;

    /// The store knows nothing of batches: a crash inside a batch's write leaves its complete
    /// lines as lines and only the bytes after the last newline as the torn tail. (Whether
    /// those lines end inside a batch is the verifier's to say, from their signed `more`;
    /// `acta_store::log::repair` acts on that.)
    #[test]
    fn a_batch_cut_short_is_lines_and_a_torn_last_line_to_the_store()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("b.log");
        let mut store = FileStore::create(&path, &[b"genesis"])?;
        store.append(&[b"one", b"two"])?;
        let start = store.len_bytes();
        store.append(&[b"three", b"four", b"five"])?;
        drop(store);
        // Simulate the crash: only "three\nfo" of the batch reached the disk.
        let full = fs::read(&path)?;
        let cut = start as usize + "three\nfo".len();
        fs::write(&path, &full[..cut])?;
        let reader = FileStore::open_reader(&path)?;
        let items: Vec<ScanItem> = reader.scan()?.collect::<Result<_, _>>()?;
        let torn_at = start + "three\n".len() as u64;
        assert_eq!(items.len(), 5);
        assert_eq!(
            items.last(),
            Some(&ScanItem::Torn {
                tail: TornTail {
                    offset: torn_at,
                    len: 2
                },
                bytes: Some(b"fo".to_vec()),
            })
        );
        assert_eq!(
            reader.last_line()?.map(|l| l.bytes),
            Some(b"three".to_vec())
        );
        match repair(&path)? {
            RepairOutcome::Repaired {
                offset, side_file, ..
            } => {
                assert_eq!(offset, torn_at);
                assert_eq!(fs::read(side_file)?, b"fo");
            }
            other => return Err(format!("expected bytes moved, got {other:?}").into()),
        }
        assert_eq!(fs::read(&path)?, &full[..torn_at as usize]);
        Ok(())
    }

    /// Nothing named `LOG.batch` is ever opened: not a forged marker of the older format
    /// (naming the last batch as cut short), not a FIFO (which would block an open), not a
    /// symlink to another file (which would be overwritten).
    #[cfg(unix)]
    #[test]
    fn a_file_named_like_the_old_batch_marker_is_never_opened()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("m.log");
        let mut store = FileStore::create(&path, &[b"g"])?;
        let start = store.len_bytes();
        store.append(&[b"aaaa", b"bbbb", b"cccc"])?;
        let end = store.len_bytes();
        drop(store);
        let marker = dir.path().join("m.log.batch");
        let mut forged = Vec::new();
        // The older format: start, end (a range past the log's end) and their checksum.
        forged.extend_from_slice(&start.to_be_bytes());
        forged.extend_from_slice(&(end + 100).to_be_bytes());
        forged.extend_from_slice(&(start ^ (end + 100) ^ 0x6163_7461_6261_7463).to_be_bytes());
        let secret = dir.path().join("secret");
        fs::write(&secret, b"PRIVATE+KEY+stand-in\n")?;
        let fifo = |p: &Path| {
            std::process::Command::new("mkfifo")
                .arg(p)
                .status()
                .map(|s| s.success())
        };
        for (round, plant) in ["forged", "symlink", "fifo"].into_iter().enumerate() {
            let _ = fs::remove_file(&marker);
            match plant {
                "forged" => fs::write(&marker, &forged)?,
                "symlink" => std::os::unix::fs::symlink(&secret, &marker)?,
                _ => {
                    if !fifo(&marker)? {
                        return Err("mkfifo failed".into());
                    }
                }
            }
            let reader = FileStore::open_reader(&path)?;
            assert!(reader.torn_tail()?.is_none(), "{plant}");
            assert_eq!(reader.scan()?.count(), 4 + 2 * round, "{plant}");
            assert_eq!(repair(&path)?, RepairOutcome::Clean, "{plant}");
            let mut w = FileStore::open_writer(&path)?;
            w.append(&[b"dddd", b"eeee"])?;
            drop(w);
            assert_eq!(fs::read(&secret)?, b"PRIVATE+KEY+stand-in\n", "{plant}");
            let meta = fs::symlink_metadata(&marker)?;
            match plant {
                "forged" => assert_eq!(fs::read(&marker)?, forged),
                "symlink" => assert!(meta.file_type().is_symlink()),
                _ => {
                    use std::os::unix::fs::FileTypeExt as _;
                    assert!(meta.file_type().is_fifo());
                }
            }
        }
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod open_tests {
    use super::*;

    fn mkfifo(path: &Path) -> io::Result<()> {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .map_err(io::Error::from)
    }

    /// Runs `f` on another thread; fails the test if it has not returned within 10 s.
    fn promptly<T: Send + 'static>(
        what: &str,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .map_err(|_| format!("{what}: still waiting after 10 s: it blocked"))
    }

    /// The kinds of error each way of opening a log gives for `path`: reader, writer, repair.
    fn open_all(path: &Path) -> Result<[Option<String>; 3], String> {
        let name = |e: StoreError| match e {
            StoreError::NotARegularFile { .. } => "not regular".to_owned(),
            StoreError::IsDirectory { .. } => "directory".to_owned(),
            StoreError::Symlink { .. } => "symlink".to_owned(),
            other => format!("{other:?}"),
        };
        let p = path.to_path_buf();
        promptly(&format!("opening {}", path.display()), move || {
            [
                FileStore::open_reader(&p).err().map(name),
                FileStore::open_writer(&p).err().map(name),
                repair(&p).err().map(name),
            ]
        })
    }

    /// Finding 9: the log is opened first — without waiting, so a FIFO cannot block it — and
    /// checked on the descriptor, so there is no gap in which the path could be swapped.
    #[test]
    fn a_fifo_device_or_directory_as_the_log_is_refused_without_blocking()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let fifo = dir.path().join("fifo.log");
        mkfifo(&fifo)?;
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            open_all(&fifo)?,
            [
                some("not regular"),
                some("not regular"),
                some("not regular")
            ]
        );
        // Through a link: a reader follows it (and refuses the FIFO); writers refuse the link.
        let link = dir.path().join("link.log");
        std::os::unix::fs::symlink(&fifo, &link)?;
        assert_eq!(
            open_all(&link)?,
            [some("not regular"), some("symlink"), some("symlink")]
        );
        assert_eq!(
            open_all(Path::new("/dev/null"))?,
            [
                some("not regular"),
                some("not regular"),
                some("not regular")
            ]
        );
        let sub = dir.path().join("dir.log");
        fs::create_dir(&sub)?;
        assert_eq!(
            open_all(&sub)?,
            [some("directory"), some("directory"), some("directory")]
        );
        // The FIFO is still there, and nothing was written beside it.
        let mut names: Vec<_> = fs::read_dir(dir.path())?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()?;
        names.sort();
        assert_eq!(names, ["dir.log", "fifo.log", "link.log"]);
        Ok(())
    }

    /// The repair that verifies nothing refuses a file with other names: the log's name may
    /// be a hard link to any file of the user's, whose end it would cut. Nothing is changed
    /// and no side file is made; with one name the same file is repaired.
    #[test]
    fn an_unverified_repair_refuses_a_file_with_other_names()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let victim = dir.path().join("notes.txt");
        let bytes = b"a line\nand the end, without a newline";
        fs::write(&victim, bytes)?;
        let log = dir.path().join("x.log");
        fs::hard_link(&victim, &log)?;
        let e = repair(&log).err();
        assert!(
            matches!(&e, Some(StoreError::HardLinked { links: 2, path }) if path == &log),
            "{e:?}"
        );
        let msg = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("x.log") && msg.contains("hard links"), "{msg}");
        assert_eq!(fs::read(&victim)?, bytes);
        fs::remove_file(&victim)?;
        let mut names: Vec<_> = fs::read_dir(dir.path())?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()?;
        names.sort();
        assert_eq!(names, ["x.log"]);
        assert!(matches!(
            repair(&log)?,
            RepairOutcome::Repaired { offset: 7, .. }
        ));
        Ok(())
    }

    /// A regular log opened by each path: writers get a descriptor that blocks normally (the
    /// `O_NONBLOCK` of the open is cleared) and appends at the end.
    #[test]
    fn a_log_opened_without_blocking_behaves_as_before() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x.log");
        drop(FileStore::create(&path, &[b"one"])?);
        let mut w = FileStore::open_writer(&path)?;
        let flags = rustix::fs::fcntl_getfl(&w.file)?;
        assert!(!flags.contains(rustix::fs::OFlags::NONBLOCK), "{flags:?}");
        assert!(flags.contains(rustix::fs::OFlags::APPEND), "{flags:?}");
        w.append(&[b"two"])?;
        drop(w);
        let r = FileStore::open_reader(&path)?;
        let flags = rustix::fs::fcntl_getfl(&r.file)?;
        assert!(!flags.contains(rustix::fs::OFlags::NONBLOCK), "{flags:?}");
        assert_eq!(fs::read(&path)?, b"one\ntwo\n");
        assert_eq!(r.len_bytes(), 8);
        // A log with a second name (a hard link) is still a log: see `open_for_writing`.
        fs::hard_link(&path, dir.path().join("y.log"))?;
        FileStore::open_writer(dir.path().join("y.log"))?.append(&[b"three"])?;
        assert_eq!(fs::read(&path)?, b"one\ntwo\nthree\n");
        Ok(())
    }
}
