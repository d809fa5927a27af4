//! Moving a torn tail out of a log file, or restoring a missing newline.

use super::*;

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
