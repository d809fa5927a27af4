//! Careful I/O for every file acta keeps beside a log (`LOG.tree`, `LOG.state`,
//! `LOG.domain-state`, `LOG.checkpoints/…`, a witness's state) or creates for the user
//! (`--out` files, proofs, key files, `LOG.torn-OFFSET`).
//!
//! Whoever can write the folder that holds a log can plant anything at those names: a
//! symbolic link to the operator's private key, a FIFO that blocks every `open()`, a sparse
//! file of many gigabytes. So:
//!
//! - an existing file is opened with `O_NOFOLLOW | O_NONBLOCK` (and `O_CLOEXEC`, which std
//!   always sets): a symbolic link fails with `ELOOP` and is reported as
//!   [`SideFileError::Symlink`], a FIFO or device opens without waiting for a peer; the open
//!   file is then checked with `fstat` to be a regular file ([`SideFileError::NotRegular`]
//!   otherwise), and only then is `O_NONBLOCK` cleared;
//! - reads are bounded: [`read_bounded`] refuses a file longer than a stated limit from its
//!   size alone, and never reads more than `limit + 1` bytes, so a sparse 4 GiB file costs
//!   nothing;
//! - a file is replaced atomically by [`replace`]: a new file with an unpredictable name
//!   (created exclusively, `O_EXCL`, which never follows a link) in the same directory,
//!   written, optionally synced, and renamed over the path — a link at the path is replaced,
//!   never followed;
//! - an output that must not exist yet is created by [`create_new`] (`O_CREAT | O_EXCL`, which
//!   fails on any existing name, a dangling link included).
//!
//! Only the last component of a path is protected this way: the directories leading to it are
//! the user's choice (a log may well live in a linked folder).

use std::fs::{File, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};

/// Why a side file could not be used.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum SideFileError {
    /// The path is a symbolic link: acta never follows one beside a log.
    #[error(
        "{what} {} is a symbolic link; acta never follows links beside a log or in the files it writes: remove the link (or choose another path) and retry",
        path.display()
    )]
    Symlink {
        /// What the file is, e.g. `"the witness state"`.
        what: &'static str,
        /// The path of the link.
        path: PathBuf,
    },

    /// The path is a FIFO, device, socket or directory.
    #[error(
        "{what} {} is not a regular file (a FIFO, device, socket or directory?); acta uses only regular files there: remove it and retry",
        path.display()
    )]
    NotRegular {
        /// What the file is.
        what: &'static str,
        /// Its path.
        path: PathBuf,
    },

    /// A directory was expected (the checkpoint directory), and something else is there.
    #[error(
        "{what} {} is not a directory; remove it (acta creates the directory) and retry",
        path.display()
    )]
    NotADirectory {
        /// What the directory is.
        what: &'static str,
        /// Its path.
        path: PathBuf,
    },

    /// The file is longer than any file of its kind acta writes; it was not read.
    #[error(
        "{what} {} is longer than {limit} bytes, more than acta ever writes there; it was not read: remove it and retry",
        path.display()
    )]
    TooLarge {
        /// What the file is.
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// The limit for files of its kind.
        limit: u64,
    },

    /// A file that must be new already exists (or a link or other file has that name).
    #[error(
        "{what} {} already exists; acta never overwrites it: choose a new path, or remove it",
        path.display()
    )]
    AlreadyExists {
        /// What the file is.
        what: &'static str,
        /// Its path.
        path: PathBuf,
    },

    /// An operating-system call failed.
    // The cause is the error's source, so that `{:#}` chains print it once.
    #[error("{what} {}: could not {op}", path.display())]
    Io {
        /// What the file is.
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// What was being done, e.g. `"open"`, `"sync"`.
        op: &'static str,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

impl SideFileError {
    /// Whether the path held something acta refuses to use as a side file: a symbolic link
    /// or anything but a regular file (not an I/O failure, not a missing file).
    pub fn is_untrusted_kind(&self) -> bool {
        matches!(
            self,
            SideFileError::Symlink { .. }
                | SideFileError::NotRegular { .. }
                | SideFileError::NotADirectory { .. }
        )
    }
}

/// How [`open`] opens a side file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read only.
    Read,
    /// Read and write an existing file.
    ReadWrite,
    /// Read and write, creating the file if there is none (a link at the path is refused,
    /// never followed, even a dangling one).
    CreateReadWrite,
}

fn io_err(what: &'static str, path: &Path, op: &'static str, source: io::Error) -> SideFileError {
    SideFileError::Io {
        what,
        path: path.to_path_buf(),
        op,
        source,
    }
}

#[cfg(unix)]
fn no_follow_flags() -> i32 {
    use rustix::fs::OFlags;
    // The flag values are small positive constants; the cast keeps their bits.
    (OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32
}

#[cfg(unix)]
fn is_loop(e: &io::Error) -> bool {
    e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
}

#[cfg(not(unix))]
fn is_loop(_e: &io::Error) -> bool {
    false
}

/// Whether opening failed because the path is a FIFO with no reader (`ENXIO`, for a
/// non-blocking write-only open) — treated as "not a regular file".
#[cfg(unix)]
fn is_fifo_without_peer(e: &io::Error) -> bool {
    e.raw_os_error() == Some(rustix::io::Errno::NXIO.raw_os_error())
}

#[cfg(not(unix))]
fn is_fifo_without_peer(_e: &io::Error) -> bool {
    false
}

/// Opens the side file at `path`, refusing a symbolic link and anything but a regular file
/// without ever waiting on it. `Ok(None)` if there is no file (for [`Access::Read`] and
/// [`Access::ReadWrite`]).
pub fn open(
    path: &Path,
    what: &'static str,
    access: Access,
) -> Result<Option<File>, SideFileError> {
    open_with(path, what, access, false)
}

/// Opens a file the user named (a key file, an input), for reading: a symbolic link is
/// followed (the user chose the path), but anything but a regular file is refused, without
/// ever waiting on it (a FIFO, a device). `Ok(None)` if there is no file.
pub fn open_input(path: &Path, what: &'static str) -> Result<Option<File>, SideFileError> {
    open_with(path, what, Access::Read, true)
}

fn open_with(
    path: &Path,
    what: &'static str,
    access: Access,
    follow: bool,
) -> Result<Option<File>, SideFileError> {
    let mut options = OpenOptions::new();
    options.read(true);
    match access {
        Access::Read => {}
        Access::ReadWrite => {
            options.write(true);
        }
        Access::CreateReadWrite => {
            options.write(true).create(true).truncate(false);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(if follow {
            rustix::fs::OFlags::NONBLOCK.bits() as i32
        } else {
            no_follow_flags()
        });
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound && access != Access::CreateReadWrite => {
            return Ok(None);
        }
        Err(e) if is_loop(&e) => {
            return Err(SideFileError::Symlink {
                what,
                path: path.to_path_buf(),
            });
        }
        Err(e) if e.kind() == io::ErrorKind::IsADirectory || is_fifo_without_peer(&e) => {
            return Err(SideFileError::NotRegular {
                what,
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(io_err(what, path, "open", e)),
    };
    #[cfg(not(unix))]
    if !follow
        && path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(SideFileError::Symlink {
            what,
            path: path.to_path_buf(),
        });
    }
    let meta = file
        .metadata()
        .map_err(|e| io_err(what, path, "inspect", e))?;
    if !meta.is_file() {
        return Err(SideFileError::NotRegular {
            what,
            path: path.to_path_buf(),
        });
    }
    #[cfg(unix)]
    {
        // Non-blocking was only for the open; a regular file never blocks, but clear it so
        // that the file behaves like any other.
        use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
        let flags = fcntl_getfl(&file).map_err(|e| io_err(what, path, "inspect", e.into()))?;
        if flags.contains(OFlags::NONBLOCK) {
            fcntl_setfl(&file, flags - OFlags::NONBLOCK)
                .map_err(|e| io_err(what, path, "open", e.into()))?;
        }
    }
    Ok(Some(file))
}

/// Reads the whole side file at `path` if it is a regular file of at most `limit` bytes;
/// `Ok(None)` if there is none. A longer file is refused ([`SideFileError::TooLarge`]) from
/// its size alone, and at most `limit + 1` bytes are ever read (the file may grow meanwhile).
pub fn read_bounded(
    path: &Path,
    what: &'static str,
    limit: u64,
) -> Result<Option<Vec<u8>>, SideFileError> {
    let Some(file) = open(path, what, Access::Read)? else {
        return Ok(None);
    };
    read_file_bounded(file, path, what, limit).map(Some)
}

/// [`read_bounded`] of a file already opened with [`open`].
pub fn read_file_bounded(
    file: File,
    path: &Path,
    what: &'static str,
    limit: u64,
) -> Result<Vec<u8>, SideFileError> {
    let too_large = || SideFileError::TooLarge {
        what,
        path: path.to_path_buf(),
        limit,
    };
    let len = file
        .metadata()
        .map_err(|e| io_err(what, path, "inspect", e))?
        .len();
    if len > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_err(what, path, "read", e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The directory holding `path` (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A new, empty file with an unpredictable name `.{name}.{random}.tmp` in `dir`, created
/// exclusively (so never through a link), opened for reading and writing (and appending if
/// `append`), with the permissions an ordinary new file gets (0666 less the umask).
pub fn temp_in(
    dir: &Path,
    name: &std::ffi::OsStr,
    append: bool,
) -> io::Result<tempfile::NamedTempFile> {
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp").append(append);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Checks that `dir` is a real directory, not a link to one (nor anything else); `Ok(false)`
/// if there is nothing at the path.
pub fn check_dir(dir: &Path, what: &'static str) -> Result<bool, SideFileError> {
    match dir.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() => Err(SideFileError::Symlink {
            what,
            path: dir.to_path_buf(),
        }),
        Ok(m) if m.is_dir() => Ok(true),
        Ok(_) => Err(SideFileError::NotADirectory {
            what,
            path: dir.to_path_buf(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err(what, dir, "inspect", e)),
    }
}

/// Creates the directory `dir` if there is none, refusing a link or anything else there
/// ([`check_dir`]); its parent must exist.
pub fn ensure_dir(dir: &Path, what: &'static str) -> Result<(), SideFileError> {
    if check_dir(dir, what)? {
        return Ok(());
    }
    match std::fs::create_dir(dir) {
        Ok(()) => {}
        // Created meanwhile (by another acta, or by someone planting a link): check again.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io_err(what, dir, "create", e)),
    }
    if check_dir(dir, what)? {
        Ok(())
    } else {
        Err(io_err(what, dir, "create", io::ErrorKind::NotFound.into()))
    }
}

/// Syncs a directory so that names created or removed in it are durable (a no-op off Unix,
/// where directories cannot be synced this way).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Replaces the file at `path` by a new regular file holding `bytes`, atomically: a reader
/// sees the old file or the new one. What was at the path (a file, a link, a FIFO) is
/// replaced, never written through; a directory there is an error. With `durable`, the new
/// file is synced before the rename and the directory after it. On failure the temporary
/// file is removed and the path is untouched.
pub fn replace(
    path: &Path,
    what: &'static str,
    bytes: &[u8],
    durable: bool,
) -> Result<(), SideFileError> {
    let name = path.file_name().ok_or_else(|| SideFileError::NotRegular {
        what,
        path: path.to_path_buf(),
    })?;
    let dir = parent_dir(path);
    let mut tmp =
        temp_in(&dir, name, false).map_err(|e| io_err(what, path, "create a temporary file", e))?;
    tmp.write_all(bytes)
        .map_err(|e| io_err(what, tmp.path(), "write", e))?;
    if durable {
        tmp.as_file()
            .sync_all()
            .map_err(|e| io_err(what, tmp.path(), "sync", e))?;
    }
    if path.symlink_metadata().is_ok_and(|m| m.is_dir()) {
        return Err(SideFileError::NotRegular {
            what,
            path: path.to_path_buf(),
        });
    }
    tmp.persist(path)
        .map_err(|e| io_err(what, path, "rename the new file into place", e.error))?;
    if durable {
        sync_dir(&dir).map_err(|e| io_err(what, &dir, "sync the directory", e))?;
    }
    Ok(())
}

/// Creates a new file at `path` (`O_CREAT | O_EXCL`: it fails on any existing name, a
/// dangling link included) with permission bits `mode` (less the umask; ignored off Unix).
pub fn create_new_file(path: &Path, what: &'static str, mode: u32) -> Result<File, SideFileError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(mode).custom_flags(no_follow_flags());
    }
    #[cfg(not(unix))]
    let _ = mode;
    options.open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            SideFileError::AlreadyExists {
                what,
                path: path.to_path_buf(),
            }
        } else {
            io_err(what, path, "create", e)
        }
    })
}

/// Creates a new file at `path` holding `bytes` (see [`create_new_file`]), synced with its
/// directory if `durable`. On a failed write the new file is removed.
pub fn create_new(
    path: &Path,
    what: &'static str,
    bytes: &[u8],
    mode: u32,
    durable: bool,
) -> Result<(), SideFileError> {
    let mut file = create_new_file(path, what, mode)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| if durable { file.sync_all() } else { Ok(()) });
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(io_err(what, path, "write", e));
    }
    if durable {
        let dir = parent_dir(path);
        sync_dir(&dir).map_err(|e| io_err(what, &dir, "sync the directory", e))?;
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    const SECRET: &[u8] = b"PRIVATE+KEY+operator+00000000+secret\n";

    fn fifo(path: &Path) -> io::Result<()> {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .map_err(io::Error::from)
    }

    #[test]
    fn a_link_is_refused_for_every_access_and_never_written_through()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let key = dir.path().join("key");
        std::fs::write(&key, SECRET)?;
        let link = dir.path().join("x.log.tree");
        symlink(&key, &link)?;
        for access in [Access::Read, Access::ReadWrite, Access::CreateReadWrite] {
            assert!(
                matches!(open(&link, "t", access), Err(SideFileError::Symlink { .. })),
                "{access:?}"
            );
        }
        assert!(matches!(
            read_bounded(&link, "t", 1 << 20),
            Err(SideFileError::Symlink { .. })
        ));
        // A dangling link is refused too, and nothing is created at its target.
        let dangling = dir.path().join("dangling");
        symlink(dir.path().join("target"), &dangling)?;
        assert!(matches!(
            open(&dangling, "t", Access::CreateReadWrite),
            Err(SideFileError::Symlink { .. })
        ));
        assert!(matches!(
            create_new(&dangling, "t", b"x", 0o600, false),
            Err(SideFileError::AlreadyExists { .. })
        ));
        assert!(!dir.path().join("target").exists());
        // Replacing the link puts a regular file at its place; the key is untouched.
        replace(&link, "t", b"new", true)?;
        assert!(link.symlink_metadata()?.is_file());
        assert_eq!(std::fs::read(&link)?, b"new");
        assert_eq!(std::fs::read(&key)?, SECRET);
        // No temporary file is left behind.
        let mut names: Vec<_> = std::fs::read_dir(dir.path())?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()?;
        names.sort();
        assert_eq!(names, ["dangling", "key", "x.log.tree"]);
        Ok(())
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x.log.state");
        fifo(&path)?;
        for access in [Access::Read, Access::ReadWrite, Access::CreateReadWrite] {
            assert!(
                matches!(
                    open(&path, "s", access),
                    Err(SideFileError::NotRegular { .. })
                ),
                "{access:?}"
            );
        }
        replace(&path, "s", b"state", false)?;
        assert_eq!(std::fs::read(&path)?, b"state");
        Ok(())
    }

    #[test]
    fn a_sparse_huge_file_is_refused_from_its_size() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("big");
        File::create(&path)?.set_len(4 << 30)?;
        let started = std::time::Instant::now();
        assert!(matches!(
            read_bounded(&path, "b", 1 << 20),
            Err(SideFileError::TooLarge { limit, .. }) if limit == 1 << 20
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        std::fs::write(&path, b"12345")?;
        assert_eq!(read_bounded(&path, "b", 5)?, Some(b"12345".to_vec()));
        assert!(matches!(
            read_bounded(&path, "b", 4),
            Err(SideFileError::TooLarge { .. })
        ));
        assert_eq!(read_bounded(&dir.path().join("none"), "b", 4)?, None);
        Ok(())
    }

    #[test]
    fn a_directory_is_not_a_regular_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub)?;
        assert!(matches!(
            open(&sub, "d", Access::Read),
            Err(SideFileError::NotRegular { .. })
        ));
        assert!(matches!(
            open(&sub, "d", Access::ReadWrite),
            Err(SideFileError::NotRegular { .. })
        ));
        assert!(matches!(
            replace(&sub, "d", b"x", false),
            Err(SideFileError::NotRegular { .. })
        ));
        assert!(sub.is_dir());
        Ok(())
    }

    #[test]
    fn temporary_names_are_unpredictable() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let a = temp_in(dir.path(), std::ffi::OsStr::new("x.log"), false)?;
        let b = temp_in(dir.path(), std::ffi::OsStr::new("x.log"), false)?;
        let name = |t: &tempfile::NamedTempFile| {
            t.path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let (na, nb) = (name(&a), name(&b));
        assert_ne!(na, nb);
        for n in [&na, &nb] {
            assert!(n.starts_with(".x.log.") && n.ends_with(".tmp"), "{n}");
            assert!(!n.contains(&std::process::id().to_string()), "{n}");
        }
        Ok(())
    }
}
