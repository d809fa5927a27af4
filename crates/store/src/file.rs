//! [`FileStore`]: the embedded append-only file store, and [`repair`].

use std::ffi::OsString;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use acta_core::MAX_ENTRY_BYTES;

use crate::tree_file::write_all_at;
use crate::{AppendReceipt, Scan, ScanItem, Store, StoreError, StoredLine, TornTail};

/// The batch marker beside a log (`LOG.batch`): before a batch of several lines is written,
/// its byte range `[start, end)` is written here and synced. After a crash, a log whose
/// length lies strictly between `start` and `end` holds only part of that batch, which was
/// therefore never acknowledged: the bytes from `start` on are treated as the torn tail
/// (readers report it, writers refuse to append, [`repair`] moves it aside), so a batch is
/// all or nothing even across a crash. Marker format: `start` (u64 big-endian) ‖ `end`
/// (u64 big-endian) ‖ `start ^ end ^ BATCH_MAGIC` (u64 big-endian); a marker that does not
/// check out is ignored (it can only be torn if the crash came before the batch's write).
const BATCH_MAGIC: u64 = 0x6163_7461_6261_7463; // "actabatc"

/// The path of the batch marker of the log at `path`.
pub(crate) fn batch_marker_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".batch");
    PathBuf::from(name)
}

fn encode_marker(start: u64, end: u64) -> [u8; 24] {
    let mut m = [0u8; 24];
    m[..8].copy_from_slice(&start.to_be_bytes());
    m[8..16].copy_from_slice(&end.to_be_bytes());
    m[16..].copy_from_slice(&(start ^ end ^ BATCH_MAGIC).to_be_bytes());
    m
}

/// The batch range `[start, end)` the marker beside the log names, if it checks out.
fn read_marker(path: &Path) -> Option<(u64, u64)> {
    let bytes = fs::read(batch_marker_path(path)).ok()?;
    let m = bytes.get(..24)?;
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&m[i..i + 8]);
        u64::from_be_bytes(w)
    };
    let (start, end, check) = (word(0), word(8), word(16));
    (check == start ^ end ^ BATCH_MAGIC).then_some((start, end))
}

/// The start of an incomplete batch at the end of a log of `len` bytes, if the marker says
/// one was being written.
fn incomplete_batch(path: &Path, len: u64) -> Option<u64> {
    read_marker(path).and_then(|(start, end)| (start < len && len < end).then_some(start))
}

/// Whether the marker names a batch that starts at or after `len`: one whose bytes were cut
/// away (rolled back after a failed write, or moved aside by [`repair`]). Such a marker must
/// be cleared before anything else is appended, or later appends would look like that batch.
fn stale_marker(path: &Path, len: u64) -> bool {
    read_marker(path).is_some_and(|(start, end)| start < end && len <= start)
}

/// Clears the batch marker (writes the empty range `[0, 0)`), durably.
fn clear_marker(path: &Path) -> io::Result<()> {
    let f = match OpenOptions::new().write(true).open(batch_marker_path(path)) {
        Ok(f) => f,
        // No marker: nothing to clear.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    write_all_at(&f, &encode_marker(0, 0), 0)?;
    f.sync_data()
}

/// The torn tail of a log: an incomplete batch (see [`BATCH_MAGIC`]), or else the bytes after
/// the last `'\n'`.
fn find_tail(file: &File, path: &Path, len: u64) -> io::Result<Option<TornTail>> {
    if let Some(start) = incomplete_batch(path, len) {
        return Ok(Some(TornTail {
            offset: start,
            len: len - start,
        }));
    }
    find_torn_tail(file, len)
}

/// Size of the blocks read when searching backwards from the end of a log.
pub(crate) const BACKWARD_BLOCK: usize = 64 * 1024;

/// Capacity of the read buffer used by scans.
const SCAN_BUFFER: usize = 64 * 1024;

/// How many alternative names to try for a temporary or side file before giving up.
const NAME_ATTEMPTS: u32 = 1000;

/// Distinguishes temporary files created by concurrent `create` calls in one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

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
    /// The open batch marker (`LOG.batch`), once a batch has been written.
    batch_marker: Option<File>,
    /// The marker may name a batch that was never written (its write or sync failed, or it
    /// could not be cleared after a rollback): it must be cleared before the next append, or
    /// that append could be taken for part of the batch.
    marker_dirty: bool,
}

/// What [`repair`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepairOutcome {
    /// The log ended with `'\n'` (or was empty); nothing was changed.
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
}

impl FileStore {
    /// Creates a new log at `path` holding `first_lines` (possibly none), and returns
    /// it opened as a writer.
    ///
    /// The log appears atomically: the lines are written and synced to a temporary
    /// file `.{name}.tmp-{pid}-{n}` in the same directory, which is then hard-linked
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

        // A batch marker left by an earlier log of the same name must not apply to this one:
        // remove it, durably, before the new log appears.
        let marker = batch_marker_path(&path);
        match fs::remove_file(&marker) {
            Ok(()) => sync_dir(&dir)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(StoreError::Io {
                    path: marker,
                    op: "remove the stale batch marker",
                    source,
                });
            }
        }
        let (tmp_path, file) = create_temp(&dir, name)?;
        let result = write_new_log(&file, &tmp_path, &path, first_lines);
        if result.is_err() {
            // Best effort: the temporary file must not be left behind.
            let _ = fs::remove_file(&tmp_path);
        }
        let len = result?;
        // The log is complete under `path`; failing to remove the temporary name
        // would only leave a harmless hidden hard link, so it is not an error.
        let _ = fs::remove_file(&tmp_path);
        sync_dir(&dir)?;
        Ok(FileStore {
            path,
            file,
            len,
            mode: Mode::Writer,
            poisoned: false,
            batch_marker: None,
            marker_dirty: false,
        })
    }

    /// Opens an existing log for appending.
    ///
    /// Refuses a symbolic link ([`StoreError::Symlink`]), a directory
    /// ([`StoreError::IsDirectory`]) and anything but a regular file. Takes an
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
        if let Some(torn) = find_tail(&file, &path, len).map_err(|e| read_error(&path, len, e))? {
            return Err(StoreError::TornTail {
                path,
                offset: torn.offset,
                len: torn.len,
            });
        }
        if stale_marker(&path, len) {
            clear_marker(&path).map_err(|source| StoreError::Io {
                path: batch_marker_path(&path),
                op: "clear the batch marker",
                source,
            })?;
        }
        Ok(FileStore {
            path,
            file,
            len,
            mode: Mode::Writer,
            poisoned: false,
            batch_marker: None,
            marker_dirty: false,
        })
    }

    /// Opens a log read-only.
    ///
    /// A symbolic link is followed; a directory or anything but a regular file is
    /// refused. The file's length is read under a shared lock, taken only for that
    /// moment (it waits while a writer holds the exclusive lock, which writers keep
    /// for their lifetime); [`Store::scan`], [`Store::last_line`] and
    /// [`FileStore::torn_tail`] then consider only the bytes up to that length, so
    /// lines appended later are not seen. [`Store::append`] fails with
    /// [`StoreError::ReadOnly`].
    pub fn open_reader(path: impl AsRef<Path>) -> Result<FileStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let metadata = fs::metadata(&path).map_err(|e| metadata_error(&path, e))?;
        check_kind(&path, &metadata)?;
        let file = File::open(&path).map_err(|e| open_error(&path, "open for reading", e))?;
        // The path may have been replaced between the checks and the open.
        let opened = file.metadata().map_err(|source| StoreError::Io {
            path: path.clone(),
            op: "inspect",
            source,
        })?;
        check_kind(&path, &opened)?;
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
            batch_marker: None,
            marker_dirty: false,
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
        find_tail(&self.file, &self.path, self.len).map_err(|e| read_error(&self.path, self.len, e))
    }

    /// The length of the log's complete part: up to its torn tail, if it has one.
    fn complete_len(&self) -> u64 {
        incomplete_batch(&self.path, self.len).unwrap_or(self.len)
    }

    /// Records the byte range of a batch in the marker beside the log, durably, before the
    /// batch is written.
    fn mark_batch(&mut self, start: u64, end: u64) -> Result<(), StoreError> {
        let marker = batch_marker_path(&self.path);
        let io = |op, source| StoreError::Io {
            path: marker.clone(),
            op,
            source,
        };
        if self.batch_marker.is_none() {
            let existed = marker.exists();
            let f = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&marker)
                .map_err(|e| io("open the batch marker", e))?;
            if !existed {
                sync_dir(&parent_dir(&marker))?;
            }
            self.batch_marker = Some(f);
        }
        if let Some(f) = &self.batch_marker {
            // From here until the batch is written, the marker names it.
            self.marker_dirty = true;
            write_all_at(f, &encode_marker(start, end), 0)
                .and_then(|()| f.sync_data())
                .map_err(|e| io("write the batch marker", e))?;
        }
        Ok(())
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
        if self.marker_dirty {
            clear_marker(&self.path).map_err(|source| StoreError::Io {
                path: batch_marker_path(&self.path),
                op: "clear the batch marker",
                source,
            })?;
            self.marker_dirty = false;
        }
        let old_len = file_len(&self.file, &self.path)?;
        if lines.is_empty() {
            self.len = old_len;
            return Ok(AppendReceipt {
                first_offset: old_len,
                end_offset: old_len,
            });
        }
        let buf = join_lines(lines);
        if lines.len() > 1 {
            self.mark_batch(old_len, old_len + buf.len() as u64)?;
        }
        match write(&mut self.file, &buf) {
            Ok(()) => {
                let end = old_len + buf.len() as u64;
                self.len = end;
                // The batch is whole and synced: the marker now names a complete batch.
                self.marker_dirty = false;
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
                        // The batch's range is gone: clear its marker before anything else is
                        // appended (if that fails, the next open clears it).
                        if lines.len() > 1 && clear_marker(&self.path).is_ok() {
                            self.marker_dirty = false;
                        }
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

impl FileStore {
    /// A scan that starts at `start`, which must be 0 or just after a `'\n'` of the complete
    /// part, or the end of the complete part, and that reports items from `min_offset` on.
    fn scan_at(&self, start: u64, min_offset: u64) -> FileScan<'_> {
        // An incomplete batch at the end is read as one torn tail, never as entries.
        let end = self.complete_len();
        let batch_tail = (end < self.len && end >= min_offset).then_some(TornTail {
            offset: end,
            len: self.len - end,
        });
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
            batch_tail,
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
        Ok(Scan::new(self.scan_at(0, 0)))
    }

    fn scan_from(&self, offset: u64) -> Result<Scan<'_>, StoreError> {
        let end = self.complete_len();
        let start = self
            .line_start_at_or_after(offset, end)
            .map_err(|e| read_error(&self.path, self.len, e))?;
        // `start` is where a line (or a torn last line) starts, or the end of the complete
        // part, so every item the scan finds from there starts at or after `offset`.
        Ok(Scan::new(self.scan_at(start, offset)))
    }

    fn last_line(&self) -> Result<Option<StoredLine>, StoreError> {
        let map = |e| read_error(&self.path, self.len, e);
        // The newline ending the last complete line (before any incomplete batch).
        let Some(end) = find_last_newline(&self.file, 0, self.complete_len()).map_err(map)? else {
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
pub fn repair(path: impl AsRef<Path>) -> Result<RepairOutcome, StoreError> {
    let path = path.as_ref();
    let file = open_for_writing(path, OpenOptions::new().read(true).write(true))?;
    let io_error = |op, source| StoreError::Io {
        path: path.to_path_buf(),
        op,
        source,
    };
    file.lock().map_err(|e| io_error("lock", e))?;
    let len = file_len(&file, path)?;
    let Some(torn) = find_tail(&file, path, len).map_err(|e| read_error(path, len, e))? else {
        return Ok(RepairOutcome::Clean);
    };

    let (side_path, mut side) = create_side_file(path, torn.offset)?;
    let copied = copy_range(&file, torn.offset, len, &mut side)
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
        });
    if let Err(e) = copied {
        // Best effort: the log is untouched, so drop the incomplete copy.
        let _ = fs::remove_file(&side_path);
        return Err(e);
    }
    sync_dir(&parent_dir(&side_path))?;
    file.set_len(torn.offset)
        .map_err(|e| io_error("truncate", e))?;
    file.sync_all().map_err(|e| io_error("sync", e))?;
    // An incomplete batch is gone: clear its marker (if this fails, the next writer's open
    // clears it, as the marker then names a range at or after the log's end).
    if stale_marker(path, torn.offset) {
        let _ = clear_marker(path);
    }
    Ok(RepairOutcome::Repaired {
        offset: torn.offset,
        len: torn.len,
        side_file: side_path,
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
    /// An incomplete batch after the scanned part, reported last as a torn tail.
    batch_tail: Option<TornTail>,
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
                    return self.batch_tail.take().map(|t| Ok(ScanItem::Torn(t)));
                }
                return Some(Ok(ScanItem::Torn(TornTail {
                    offset: start,
                    len: count,
                })));
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

/// Creates `.{name}.tmp-{pid}-{n}` in `dir`, opened for reading and appending.
fn create_temp(dir: &Path, name: &std::ffi::OsStr) -> Result<(PathBuf, File), StoreError> {
    let pid = std::process::id();
    let mut last_error = None;
    for _ in 0..NAME_ATTEMPTS {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut tmp_name = OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".tmp-{pid}-{n}"));
        let tmp_path = dir.join(tmp_name);
        match OpenOptions::new()
            .read(true)
            .append(true)
            .create_new(true)
            .open(&tmp_path)
        {
            Ok(file) => return Ok((tmp_path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(source) => {
                return Err(StoreError::Io {
                    path: tmp_path,
                    op: "create a temporary file",
                    source,
                });
            }
        }
    }
    Err(StoreError::Io {
        path: dir.to_path_buf(),
        op: "create a temporary file",
        source: last_error.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)),
    })
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
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&side_path)
        {
            Ok(file) => return Ok((side_path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(source) => {
                return Err(StoreError::Io {
                    path: side_path,
                    op: "create the side file for the torn tail",
                    source,
                });
            }
        }
    }
    Err(StoreError::Io {
        path: PathBuf::from(base),
        op: "create the side file for the torn tail",
        source: last_error.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)),
    })
}

/// Opens an existing log for modification, refusing links, directories and special
/// files, and checking that what was opened is what was checked.
fn open_for_writing(path: &Path, options: &OpenOptions) -> Result<File, StoreError> {
    let before = fs::symlink_metadata(path).map_err(|e| metadata_error(path, e))?;
    if before.file_type().is_symlink() {
        return Err(StoreError::Symlink {
            path: path.to_path_buf(),
        });
    }
    check_kind(path, &before)?;
    let file = options
        .open(path)
        .map_err(|e| open_error(path, "open for writing", e))?;
    let opened = file.metadata().map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        op: "inspect",
        source,
    })?;
    check_kind(path, &opened)?;
    if !same_file(&before, &opened) {
        // The path changed between the check and the open (perhaps into a link).
        let now = fs::symlink_metadata(path).map_err(|e| metadata_error(path, e))?;
        if now.file_type().is_symlink() {
            return Err(StoreError::Symlink {
                path: path.to_path_buf(),
            });
        }
        return Err(StoreError::Io {
            path: path.to_path_buf(),
            op: "open for writing",
            source: io::Error::other("the file was replaced while it was being opened; retry"),
        });
    }
    Ok(file)
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &Metadata, _b: &Metadata) -> bool {
    true
}

/// Refuses directories and anything but a regular file.
fn check_kind(path: &Path, metadata: &Metadata) -> Result<(), StoreError> {
    let path = path.to_path_buf();
    if metadata.is_dir() {
        Err(StoreError::IsDirectory { path })
    } else if !metadata.is_file() {
        Err(StoreError::NotARegularFile { path })
    } else {
        Ok(())
    }
}

fn metadata_error(path: &Path, e: io::Error) -> StoreError {
    if e.kind() == io::ErrorKind::NotFound {
        StoreError::NotFound {
            path: path.to_path_buf(),
        }
    } else {
        StoreError::Io {
            path: path.to_path_buf(),
            op: "inspect",
            source: e,
        }
    }
}

fn open_error(path: &Path, op: &'static str, e: io::Error) -> StoreError {
    match e.kind() {
        io::ErrorKind::NotFound => StoreError::NotFound {
            path: path.to_path_buf(),
        },
        io::ErrorKind::IsADirectory => StoreError::IsDirectory {
            path: path.to_path_buf(),
        },
        _ => StoreError::Io {
            path: path.to_path_buf(),
            op,
            source: e,
        },
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

/// Syncs a directory so that names created or removed in it are durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            op: "sync the directory",
            source,
        })
}

/// Directories cannot be synced this way off Unix; names are made durable by the
/// file system itself.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(test)]
mod batch_tests {
    use super::*;

    /// A crash inside a batch's write leaves part of it: the whole partial batch is the torn
    /// tail (never entries), `repair` moves it aside, and later single appends are not mistaken
    /// for that batch.
    #[test]
    fn a_batch_cut_short_by_a_crash_is_a_torn_tail_until_repaired()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("b.log");
        let mut store = FileStore::create(&path, &[b"genesis"])?;
        store.append(&[b"one", b"two"])?;
        let start = store.len_bytes();
        let receipt = store.append(&[b"three", b"four", b"five"])?;
        assert_eq!(receipt.first_offset, start);
        drop(store);
        // Simulate the crash: only "three\nfo" of the batch reached the disk.
        let full = fs::read(&path)?;
        let cut = start as usize + "three\nfo".len();
        fs::write(&path, &full[..cut])?;

        let reader = FileStore::open_reader(&path)?;
        let items: Vec<ScanItem> = reader.scan()?.collect::<Result<_, _>>()?;
        let lines = items
            .iter()
            .filter(|i| matches!(i, ScanItem::Line(_)))
            .count();
        assert_eq!(lines, 3, "genesis, one, two: not the batch's complete line");
        assert_eq!(
            items.last(),
            Some(&ScanItem::Torn(TornTail {
                offset: start,
                len: cut as u64 - start
            }))
        );
        assert_eq!(reader.last_line()?.map(|l| l.bytes), Some(b"two".to_vec()));
        assert!(matches!(
            FileStore::open_writer(&path),
            Err(StoreError::TornTail { offset, .. }) if offset == start
        ));
        match repair(&path)? {
            RepairOutcome::Repaired {
                offset, side_file, ..
            } => {
                assert_eq!(offset, start);
                assert_eq!(fs::read(side_file)?, b"three\nfo");
            }
            RepairOutcome::Clean => return Err("expected a repair".into()),
        }
        assert_eq!(fs::read(&path)?, &full[..start as usize]);
        // Single appends after the repair grow the log into the old batch's range: they are
        // entries, not a batch cut short.
        let mut store = FileStore::open_writer(&path)?;
        store.append(&[b"six"])?;
        store.append(&[b"seven"])?;
        drop(store);
        let reader = FileStore::open_reader(&path)?;
        assert!(reader.torn_tail()?.is_none());
        assert_eq!(reader.scan()?.count(), 5);
        Ok(())
    }

    /// A marker left by an earlier log of the same name never applies to a new one.
    #[test]
    fn a_new_log_ignores_the_batch_marker_of_an_earlier_log_of_the_same_name()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("r.log");
        let mut store = FileStore::create(&path, &[b"g"])?;
        store.append(&[b"aaaaaaaaaa", b"bbbbbbbbbb", b"cccccccccc"])?;
        drop(store);
        fs::remove_file(&path)?;
        // The new log's genesis ends inside the old batch's range.
        let mut store = FileStore::create(&path, &[b"a longer genesis line"])?;
        store.append(&[b"x"])?;
        drop(store);
        let reader = FileStore::open_reader(&path)?;
        assert!(reader.torn_tail()?.is_none());
        assert_eq!(reader.scan()?.count(), 2);
        assert!(FileStore::open_writer(&path).is_ok());
        Ok(())
    }
}
