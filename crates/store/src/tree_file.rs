//! [`TreeFile`]: the RFC 6962 tree hashes of a log, stored beside it (`LOG.tree`).
//!
//! The file holds 32-byte hashes in the stored layout of [`acta_core::tree`] (Go tlog's):
//! leaf `n`'s hash, then the root of every complete subtree that leaf `n` completes. So any
//! tree root or proof needs O(log n) positional reads.
//!
//! The tree is derived data: it is rebuilt from the log whenever it is missing, short, or
//! disagrees with it ([`crate::LogWriter::open`] checks the right edge of the tree against
//! the log's lines), and it is written after the log's own durable append without a sync of
//! its own. A checkpoint's root is never read from this file: it is computed from the log's
//! lines.

use std::fs::File;
use std::path::{Path, PathBuf};

use acta_core::tree::{Hash, HashReader, stored_hash_count};

use crate::StoreError;
use crate::side_file::{self, Access};

/// What the tree file is called in errors.
const WHAT: &str = "the tree file";

/// The tree hashes of a log, in a file beside it.
#[derive(Debug)]
pub struct TreeFile {
    path: PathBuf,
    file: File,
    /// Number of hashes in the file.
    count: u64,
}

fn io_error(path: &Path, op: &'static str, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        op,
        source,
    }
}

impl TreeFile {
    /// The tree file of the log at `log`: the same path with `.tree` appended.
    pub fn path_for(log: &Path) -> PathBuf {
        let mut name = log.as_os_str().to_owned();
        name.push(".tree");
        PathBuf::from(name)
    }

    /// Opens (creating if needed) the tree file at `path` for reading and appending. A
    /// trailing partial hash (a crash during a write) is cut off.
    ///
    /// The tree is derived data, so whatever else is at the path — a symbolic link, a FIFO, a
    /// device — is never opened through: it is replaced (atomically, by a new empty regular
    /// file) and the tree is rebuilt from the log. A directory there is an error.
    ///
    /// So is a regular file with other names (a hard link count above 1, checked with `fstat`
    /// on the opened file, [`side_file::open`]): whoever can write the log's folder can make
    /// `LOG.tree` a hard link to another file of the user's in the same file system — another
    /// log's tree, a document — and the tree is written in place (truncated, appended to), so
    /// writing through the link would overwrite that file. Replacing the name breaks the link
    /// (the new file is renamed over it) and leaves the other file exactly as it was. This
    /// replaces rather than refuses because the tree is derived: rebuilding it costs only a
    /// pass over the log, while refusing would let one planted link stop every append until
    /// someone removed it.
    pub fn open_writer(path: &Path) -> Result<TreeFile, StoreError> {
        let file = match side_file::open(path, WHAT, Access::CreateReadWrite) {
            Ok(Some(f)) => f,
            Err(e) if e.is_untrusted_kind() => {
                side_file::replace(path, WHAT, &[], false)?;
                side_file::open(path, WHAT, Access::ReadWrite)?.ok_or_else(|| {
                    io_error(
                        path,
                        "open the tree file",
                        std::io::ErrorKind::NotFound.into(),
                    )
                })?
            }
            Ok(None) => {
                return Err(io_error(
                    path,
                    "open the tree file",
                    std::io::ErrorKind::NotFound.into(),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        let len = file
            .metadata()
            .map_err(|e| io_error(path, "read the tree file's size", e))?
            .len();
        let mut tree = TreeFile {
            path: path.to_path_buf(),
            file,
            count: len / 32,
        };
        if len % 32 != 0 {
            tree.truncate(tree.count)?;
        }
        Ok(tree)
    }

    /// Opens the tree file at `path` read-only; `None` if there is none. A symbolic link or
    /// anything but a regular file is refused (never read through): `acta repair` replaces it.
    pub fn open_reader(path: &Path) -> Result<Option<TreeFile>, StoreError> {
        let Some(file) = side_file::open(path, WHAT, Access::Read)? else {
            return Ok(None);
        };
        let len = file
            .metadata()
            .map_err(|e| io_error(path, "read the tree file's size", e))?
            .len();
        Ok(Some(TreeFile {
            path: path.to_path_buf(),
            file,
            count: len / 32,
        }))
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of stored hashes.
    pub fn hash_count(&self) -> u64 {
        self.count
    }

    /// The number of leaves whose hashes the file holds completely: the largest `k` with
    /// `stored_hash_count(k) <= hash_count()`.
    pub fn leaves(&self) -> u64 {
        // stored_hash_count is increasing and stored_hash_count(k) >= k.
        let (mut lo, mut hi) = (0u64, self.count);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if stored_hash_count(mid) <= self.count {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    /// Cuts the file to its first `count` hashes.
    pub fn truncate(&mut self, count: u64) -> Result<(), StoreError> {
        self.file
            .set_len(count * 32)
            .map_err(|e| io_error(&self.path, "truncate the tree file", e))?;
        self.count = count;
        Ok(())
    }

    /// Appends hashes at the end (no sync: the tree is rebuilt from the log if a crash loses
    /// them).
    pub fn append(&mut self, hashes: &[Hash]) -> Result<(), StoreError> {
        let mut buf = Vec::with_capacity(hashes.len() * 32);
        for h in hashes {
            buf.extend_from_slice(h);
        }
        write_all_at(&self.file, &buf, self.count * 32)
            .map_err(|e| io_error(&self.path, "write the tree file", e))?;
        self.count += hashes.len() as u64;
        Ok(())
    }

    /// Syncs the file's data to disk.
    pub fn sync(&self) -> Result<(), StoreError> {
        self.file
            .sync_data()
            .map_err(|e| io_error(&self.path, "sync the tree file", e))
    }
}

#[cfg(unix)]
pub(crate) fn write_all_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(not(unix))]
pub(crate) fn write_all_at(mut file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Seek as _, Write as _};
    file.seek(std::io::SeekFrom::Start(offset))?;
    file.write_all(buf)
}

impl HashReader for TreeFile {
    type Error = StoreError;

    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, StoreError> {
        let mut out = Vec::with_capacity(indexes.len());
        for &i in indexes {
            if i >= self.count {
                return Err(StoreError::TreeBehind {
                    path: self.path.clone(),
                    index: i,
                    count: self.count,
                });
            }
            let mut h = [0u8; 32];
            crate::file::read_exact_at(&self.file, &mut h, i * 32)
                .map_err(|e| io_error(&self.path, "read the tree file", e))?;
            out.push(h);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use acta_core::EntryHash;
    use acta_core::tree::{Frontier, MemoryTree, prove_inclusion, tree_hash};
    use std::fs::OpenOptions;
    use std::io::Write as _;

    #[test]
    fn stores_and_reads_the_same_hashes_as_memory() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x.log.tree");
        let mut file = TreeFile::open_writer(&path)?;
        let mut frontier = Frontier::new();
        let mut mem = MemoryTree::new();
        for i in 0..100u64 {
            let leaf = EntryHash::of_line(&i.to_be_bytes());
            file.append(&frontier.push(leaf))?;
            mem.push(leaf);
            assert_eq!(file.leaves(), i + 1);
        }
        assert_eq!(file.hash_count(), stored_hash_count(100));
        assert_eq!(tree_hash(100, &file)?, mem.root());
        assert_eq!(prove_inclusion(77, 5, &file)?, mem.prove_inclusion(77, 5)?);

        // A torn hash is cut off on open; the leaves count follows the hashes.
        drop(file);
        let f = OpenOptions::new().append(true).open(&path)?;
        (&f).write_all(&[1, 2, 3])?;
        let file = TreeFile::open_writer(&path)?;
        assert_eq!(file.hash_count(), stored_hash_count(100));
        let mut short = file;
        short.truncate(stored_hash_count(100) - 1)?;
        assert_eq!(short.leaves(), 99);
        assert!(matches!(
            tree_hash(100, &short),
            Err(acta_core::tree::TreeError::Read(
                StoreError::TreeBehind { .. }
            ))
        ));
        Ok(())
    }

    /// Finding 3: a tree file that is a hard link to another file (another log's tree, any
    /// file of the user's) is replaced by a new file, never truncated or written in place.
    #[cfg(unix)]
    #[test]
    fn a_hard_linked_tree_file_is_replaced_not_written_through()
    -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir()?;
        // 77 bytes: opening it in place would cut it to 64 (a torn hash) and append to it.
        let victim = dir.path().join("other.log.tree");
        let bytes: Vec<u8> = (0..77u8).collect();
        std::fs::write(&victim, &bytes)?;
        let path = dir.path().join("x.log.tree");
        std::fs::hard_link(&victim, &path)?;
        let mut tree = TreeFile::open_writer(&path)?;
        assert_eq!(tree.hash_count(), 0, "a fresh file, not the other one");
        let mut frontier = Frontier::new();
        for i in 0..5u64 {
            tree.append(&frontier.push(EntryHash::of_line(&i.to_be_bytes())))?;
        }
        tree.truncate(stored_hash_count(4))?;
        drop(tree);
        assert_eq!(std::fs::read(&victim)?, bytes);
        assert_eq!(std::fs::metadata(&victim)?.nlink(), 1);
        assert_eq!(std::fs::metadata(&path)?.nlink(), 1);
        assert_eq!(std::fs::metadata(&path)?.len(), 32 * stored_hash_count(4));
        Ok(())
    }
}
