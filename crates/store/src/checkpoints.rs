//! [`CheckpointDir`]: the signed checkpoints of a log, kept beside it (`LOG.checkpoints/`), so
//! that the history of its heads can be audited.
//!
//! Each checkpoint note is a file `<size, 20 digits>.note`. Files are created atomically and
//! never replaced: a second checkpoint for the same size must be byte-identical (Ed25519
//! signatures are deterministic, so re-signing the same head gives the same note); anything
//! else is refused as [`StoreError::CheckpointConflict`], because two different roots for one
//! size are evidence of a fork.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use acta_core::VerifierKey;
use acta_core::note::{MAX_NOTE_BYTES, VerifiedCheckpoint, verify_checkpoint_note};

use crate::StoreError;
use crate::side_file;

/// What the directory and its notes are called in errors.
const WHAT_DIR: &str = "the checkpoint directory";
const WHAT: &str = "the checkpoint note";

/// The directory of a log's checkpoints.
#[derive(Debug, Clone)]
pub struct CheckpointDir {
    dir: PathBuf,
}

fn io_error(path: &Path, op: &'static str, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        op,
        source,
    }
}

impl CheckpointDir {
    /// The checkpoint directory of the log at `log`: the same path with `.checkpoints`.
    pub fn for_log(log: &Path) -> CheckpointDir {
        let mut name = log.as_os_str().to_owned();
        name.push(".checkpoints");
        CheckpointDir {
            dir: PathBuf::from(name),
        }
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The file a checkpoint of `size` entries is kept in.
    pub fn file_for(&self, size: u64) -> PathBuf {
        self.dir.join(format!("{size:020}.note"))
    }

    /// Keeps a checkpoint note of `size` entries. Returns its file, and whether it was new.
    ///
    /// The directory must be a real directory (a symbolic link or anything else there is
    /// refused: checkpoints are evidence, not derived data), and an existing note for the size
    /// must be a regular file (never read through a link). The note is written to a new file
    /// with an unpredictable name in the directory, synced, and hard-linked to its final name,
    /// which never replaces an existing file.
    pub fn save(&self, size: u64, note: &str) -> Result<(PathBuf, bool), StoreError> {
        side_file::ensure_dir(&self.dir, WHAT_DIR)?;
        let path = self.file_for(size);
        let existing = || side_file::read_bounded(&path, WHAT, MAX_NOTE_BYTES as u64);
        if let Some(existing) = existing()? {
            if existing == note.as_bytes() {
                return Ok((path, false));
            }
            return Err(StoreError::CheckpointConflict { path });
        }
        let name = format!("{size:020}.note");
        let write = || -> std::io::Result<tempfile::TempPath> {
            let mut tmp = side_file::temp_in(&self.dir, name.as_ref(), false)?;
            tmp.write_all(note.as_bytes())?;
            tmp.as_file().sync_all()?;
            Ok(tmp.into_temp_path())
        };
        // Dropping the temporary path removes the temporary name, on success or failure.
        let tmp = write().map_err(|e| io_error(&self.dir, "write a checkpoint", e))?;
        // A hard link never replaces an existing file.
        let linked = fs::hard_link(&tmp, &path);
        drop(tmp);
        match linked {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return match existing() {
                    Ok(Some(existing)) if existing == note.as_bytes() => Ok((path, false)),
                    Err(e) if e.is_untrusted_kind() => Err(e.into()),
                    _ => Err(StoreError::CheckpointConflict { path }),
                };
            }
            Err(e) => return Err(io_error(&path, "keep a checkpoint", e)),
        }
        // The directory was checked above; a link swapped in since is refused, not followed.
        side_file::sync_side_dir(&self.dir, WHAT_DIR)?;
        Ok((path, true))
    }

    /// Every kept checkpoint, by size. The directory must be a real directory, not a link.
    pub fn list(&self) -> Result<Vec<(u64, PathBuf)>, StoreError> {
        if !side_file::check_dir(&self.dir, WHAT_DIR)? {
            return Ok(Vec::new());
        }
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&self.dir, "list the checkpoints", e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&self.dir, "list the checkpoints", e))?;
            let name = entry.file_name();
            let Some(size) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".note"))
                .filter(|n| n.len() == 20)
                .and_then(|n| n.parse::<u64>().ok())
            else {
                continue;
            };
            out.push((size, entry.path()));
        }
        out.sort();
        Ok(out)
    }

    /// Reads the checkpoint note kept for `size`, if any: a regular file of at most
    /// [`MAX_NOTE_BYTES`] bytes (a link, FIFO or larger file is refused, never read).
    pub fn read(&self, size: u64) -> Result<Option<Vec<u8>>, StoreError> {
        if !side_file::check_dir(&self.dir, WHAT_DIR)? {
            return Ok(None);
        }
        Ok(side_file::read_bounded(
            &self.file_for(size),
            WHAT,
            MAX_NOTE_BYTES as u64,
        )?)
    }

    /// The checkpoint with the largest size, if any.
    pub fn latest(&self) -> Result<Option<(u64, PathBuf)>, StoreError> {
        Ok(self.list()?.pop())
    }

    /// The checkpoint kept for `size`, if there is one that is a checkpoint of `origin` at
    /// that size [signed by](acta_core::note::verify_checkpoint_note) `log_key`. Anything else
    /// kept under that name (a note that does not verify, a link, a FIFO, another log's or
    /// another size's checkpoint) is not a checkpoint of this log: `None`, as if absent, since
    /// anyone who can write the folder can put it there.
    pub fn read_signed(
        &self,
        size: u64,
        log_key: &VerifierKey,
        origin: &str,
    ) -> Result<Option<VerifiedCheckpoint>, StoreError> {
        let bytes = match self.read(size) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(None),
            Err(StoreError::SideFile(e)) if e.is_untrusted_kind() && self.dir_is_real() => {
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        Ok(signed_checkpoint(&bytes, log_key, origin, size))
    }

    /// The kept checkpoint with the largest size that [`CheckpointDir::read_signed`] accepts,
    /// with its file.
    pub fn latest_signed(
        &self,
        log_key: &VerifierKey,
        origin: &str,
    ) -> Result<Option<(PathBuf, VerifiedCheckpoint)>, StoreError> {
        for (size, path) in self.list()?.into_iter().rev() {
            if let Some(cp) = self.read_signed(size, log_key, origin)? {
                return Ok(Some((path, cp)));
            }
        }
        Ok(None)
    }

    /// Keeps `note`, a checkpoint of `origin` at `size` signed by `log_key`, like
    /// [`CheckpointDir::save`]; but a different file already kept for that size that is not
    /// such a checkpoint is no evidence of anything (anyone who can write the folder can plant
    /// one): it is set aside as `<size>.note.unverified-<n>` (returned), never deleted, and the
    /// note is kept. Only a different note that is signed by `log_key` for the same size is a
    /// [`StoreError::CheckpointConflict`]: evidence of a fork.
    pub fn save_signed(
        &self,
        size: u64,
        note: &str,
        log_key: &VerifierKey,
        origin: &str,
    ) -> Result<(PathBuf, bool, Option<PathBuf>), StoreError> {
        side_file::ensure_dir(&self.dir, WHAT_DIR)?;
        let path = self.file_for(size);
        let mut set_aside = None;
        // A link, FIFO or directory under the name is refused, never followed or moved (as
        // by `save`): only a regular file is read, and set aside if it is not a checkpoint.
        let existing = side_file::read_bounded(&path, WHAT, MAX_NOTE_BYTES as u64)?;
        if let Some(existing) = existing
            && existing != note.as_bytes()
            && signed_checkpoint(&existing, log_key, origin, size).is_none()
        {
            set_aside = Some(self.set_aside(&path, size)?);
        }
        let (path, new) = self.save(size, note)?;
        Ok((path, new, set_aside))
    }

    /// Renames the file at `path` (the note kept for `size`) to a new name
    /// `<size>.note.unverified-<n>` in the same directory, without replacing anything.
    fn set_aside(&self, path: &Path, size: u64) -> Result<PathBuf, StoreError> {
        for n in 1u32.. {
            let aside = self.dir.join(format!("{size:020}.note.unverified-{n}"));
            // `rename` would replace an existing file: claim the new name with a hard link
            // first (refused if it exists), then drop the old name.
            match fs::hard_link(path, &aside) {
                Ok(()) => {
                    fs::remove_file(path).map_err(|e| io_error(path, "set aside", e))?;
                    side_file::sync_dir(&self.dir)
                        .map_err(|e| io_error(&self.dir, "sync the checkpoint directory", e))?;
                    return Ok(aside);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => {}
                Err(e) => return Err(io_error(path, "set aside", e)),
            }
        }
        Err(io_error(
            path,
            "set aside",
            std::io::Error::other("no free name"),
        ))
    }

    /// Whether the directory is a real directory (not a link), so that a bad file in it can
    /// be treated as absent.
    fn dir_is_real(&self) -> bool {
        side_file::check_dir(&self.dir, WHAT_DIR).unwrap_or(false)
    }
}

/// `bytes` as a checkpoint of `origin` at `size` signed by `log_key`, if it is one.
fn signed_checkpoint(
    bytes: &[u8],
    log_key: &VerifierKey,
    origin: &str,
    size: u64,
) -> Option<VerifiedCheckpoint> {
    verify_checkpoint_note(bytes, log_key, &[], 0)
        .ok()
        .filter(|cp| cp.checkpoint.size == size && cp.checkpoint.origin == origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_checkpoints_idempotently_and_refuses_a_second_root()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let cps = CheckpointDir::for_log(&dir.path().join("x.log"));
        assert!(cps.latest()?.is_none());
        let (p, new) = cps.save(3, "o\n3\nA\n\n— k AAAA\n")?;
        assert!(new);
        assert_eq!(fs::read_to_string(&p)?, "o\n3\nA\n\n— k AAAA\n");
        assert!(!cps.save(3, "o\n3\nA\n\n— k AAAA\n")?.1);
        assert!(matches!(
            cps.save(3, "o\n3\nB\n\n— k AAAA\n"),
            Err(StoreError::CheckpointConflict { .. })
        ));
        assert_eq!(fs::read_to_string(&p)?, "o\n3\nA\n\n— k AAAA\n", "kept");
        cps.save(10, "o\n10\nC\n\n— k AAAA\n")?;
        assert_eq!(cps.latest()?.map(|(s, _)| s), Some(10));
        assert_eq!(cps.list()?.len(), 2);
        Ok(())
    }
}
