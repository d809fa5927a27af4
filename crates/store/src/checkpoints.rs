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

use crate::StoreError;

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
    pub fn save(&self, size: u64, note: &str) -> Result<(PathBuf, bool), StoreError> {
        fs::create_dir_all(&self.dir)
            .map_err(|e| io_error(&self.dir, "create the checkpoint directory", e))?;
        let path = self.file_for(size);
        if let Ok(existing) = fs::read(&path) {
            if existing == note.as_bytes() {
                return Ok((path, false));
            }
            return Err(StoreError::CheckpointConflict { path });
        }
        let tmp = self
            .dir
            .join(format!(".{size:020}.tmp-{}", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(note.as_bytes())?;
            f.sync_all()
        };
        if let Err(e) = write() {
            let _ = fs::remove_file(&tmp);
            return Err(io_error(&tmp, "write a checkpoint", e));
        }
        // A hard link never replaces an existing file.
        let linked = fs::hard_link(&tmp, &path);
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return match fs::read(&path) {
                    Ok(existing) if existing == note.as_bytes() => Ok((path, false)),
                    _ => Err(StoreError::CheckpointConflict { path }),
                };
            }
            Err(e) => return Err(io_error(&path, "keep a checkpoint", e)),
        }
        if let Ok(d) = fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok((path, true))
    }

    /// Every kept checkpoint, by size.
    pub fn list(&self) -> Result<Vec<(u64, PathBuf)>, StoreError> {
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

    /// The checkpoint with the largest size, if any.
    pub fn latest(&self) -> Result<Option<(u64, PathBuf)>, StoreError> {
        Ok(self.list()?.pop())
    }
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
