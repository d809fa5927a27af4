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
//! - a file opened for writing in place ([`Access::ReadWrite`], [`Access::CreateReadWrite`])
//!   must have no other name: `O_NOFOLLOW` does not see a hard link, so the open file's link
//!   count is checked with `fstat` too ([`SideFileError::HardLinked`] if it is not 1) — a
//!   hard link planted at the name could be any file of the victim's in the same file
//!   system, and writing in place would overwrite it;
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
//!
//! Files the user names as inputs (a key file, `--data @FILE`, an events file, a note, a
//! proof) are read with [`read_input`] (or opened with [`open_input`]): a symbolic link is
//! followed, since the user chose the path, but a FIFO or device is refused without being
//! waited on, and the read is bounded.

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

    /// A file to be written in place has other names (hard links), so it could be another
    /// file of the user's: acta does not write through it.
    #[error(
        "{what} {} has {links} names (hard links): it may be another file of yours, linked there by whoever can write the folder, so acta does not write into it: remove {} (acta writes a new one) and retry",
        path.display(),
        path.display()
    )]
    HardLinked {
        /// What the file is.
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// Its link count.
        links: u64,
    },

    /// An input the user named is a FIFO, device, socket or directory.
    #[error(
        "{what} {} is not a regular file (a FIFO, device, socket or directory?); acta reads it only from a regular file, which cannot block or never end: give the path of a regular file",
        path.display()
    )]
    InputNotRegular {
        /// What the input is, e.g. `"the --data file"`.
        what: &'static str,
        /// Its path.
        path: PathBuf,
    },

    /// An input the user named does not exist.
    #[error("{what} {}: no such file; check the path", path.display())]
    InputNotFound {
        /// What the input is.
        what: &'static str,
        /// Its path.
        path: PathBuf,
    },

    /// An input the user named is longer than acta accepts there; it was not read.
    #[error(
        "{what} {} is longer than {limit} bytes, the limit for it; it was not read: give a shorter file",
        path.display()
    )]
    InputTooLarge {
        /// What the input is.
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// The limit.
        limit: u64,
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
    /// Whether the path held something acta refuses to use as a side file: a symbolic link,
    /// anything but a regular file, or (for writing in place) a file with other names (not an
    /// I/O failure, not a missing file).
    pub fn is_untrusted_kind(&self) -> bool {
        matches!(
            self,
            SideFileError::Symlink { .. }
                | SideFileError::NotRegular { .. }
                | SideFileError::NotADirectory { .. }
                | SideFileError::HardLinked { .. }
                | SideFileError::InputNotRegular { .. }
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
fn is_errno(e: &io::Error, errno: rustix::io::Errno) -> bool {
    e.raw_os_error() == Some(errno.raw_os_error())
}

#[cfg(unix)]
fn is_loop(e: &io::Error) -> bool {
    is_errno(e, rustix::io::Errno::LOOP)
}

#[cfg(not(unix))]
fn is_loop(_e: &io::Error) -> bool {
    false
}

/// Whether opening failed because the path is a FIFO with no reader (`ENXIO`, for a
/// non-blocking write-only open) — treated as "not a regular file".
#[cfg(unix)]
fn is_fifo_without_peer(e: &io::Error) -> bool {
    is_errno(e, rustix::io::Errno::NXIO)
}

#[cfg(not(unix))]
fn is_fifo_without_peer(_e: &io::Error) -> bool {
    false
}

/// Why [`open_regular`] failed.
#[derive(Debug)]
pub(crate) enum OpenFailure {
    /// Nothing at the path (or a directory leading to it is missing).
    NotFound,
    /// The path is a symbolic link, and links are not followed.
    Symlink,
    /// The path is a directory.
    Directory,
    /// The path is a FIFO, device or socket.
    NotRegular,
    /// Another failure: what was being done, and the error.
    Io(&'static str, io::Error),
}

/// Opens `path` with `options` such that nothing at the path can make the open wait, and
/// returns the file only if the descriptor opened is a regular file, with its `fstat`
/// metadata.
///
/// `O_NONBLOCK` is added for the open (a FIFO or device opens without waiting for a peer),
/// and `O_NOFOLLOW` unless `follow` (a symbolic link then fails with `ELOOP`); the checks are
/// made with `fstat` on the opened descriptor, so the path cannot be swapped between a check
/// and the open; `O_NONBLOCK` is cleared once the file is known to be regular. Any custom
/// flags already set on `options` are replaced.
pub(crate) fn open_regular(
    path: &Path,
    options: &mut OpenOptions,
    follow: bool,
) -> Result<(File, std::fs::Metadata), OpenFailure> {
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
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(OpenFailure::NotFound),
        Err(e) if !follow && is_loop(&e) => return Err(OpenFailure::Symlink),
        Err(e) if e.kind() == io::ErrorKind::IsADirectory => return Err(OpenFailure::Directory),
        Err(e) if is_fifo_without_peer(&e) => return Err(OpenFailure::NotRegular),
        Err(e) => return Err(OpenFailure::Io("open", e)),
    };
    #[cfg(not(unix))]
    if !follow
        && path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(OpenFailure::Symlink);
    }
    let meta = file.metadata().map_err(|e| OpenFailure::Io("inspect", e))?;
    if meta.is_dir() {
        return Err(OpenFailure::Directory);
    }
    if !meta.is_file() {
        return Err(OpenFailure::NotRegular);
    }
    #[cfg(unix)]
    {
        // Non-blocking was only for the open; a regular file never blocks, but clear it so
        // that the file behaves like any other.
        use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
        let flags = fcntl_getfl(&file).map_err(|e| OpenFailure::Io("inspect", e.into()))?;
        if flags.contains(OFlags::NONBLOCK) {
            fcntl_setfl(&file, flags - OFlags::NONBLOCK)
                .map_err(|e| OpenFailure::Io("open", e.into()))?;
        }
    }
    Ok((file, meta))
}

/// The number of names (hard links) of the file `meta` describes; 1 off Unix, where it is
/// not known.
pub(crate) fn link_count(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(meta)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// Opens the side file at `path`, refusing a symbolic link and anything but a regular file
/// without ever waiting on it. `Ok(None)` if there is no file (for [`Access::Read`] and
/// [`Access::ReadWrite`]).
///
/// For [`Access::ReadWrite`] and [`Access::CreateReadWrite`] the file must also have exactly
/// one name ([`SideFileError::HardLinked`] otherwise): whoever can write the folder can make
/// the name a hard link to any file of the user's in the same file system (another log's
/// tree, a document), which `O_NOFOLLOW` does not notice, and writing in place would change
/// that other file. Checking the link count of the opened descriptor is enough: a link made
/// after the open only gives the file acta holds a second name, it does not change which file
/// that is. A caller for derived data then replaces the name ([`replace`] renames a new file
/// over it, which breaks the link and leaves the other file alone); a caller for evidence
/// refuses. This applies to lock files too, though they are only locked, never written: a
/// file with other names is not acta's.
pub fn open(
    path: &Path,
    what: &'static str,
    access: Access,
) -> Result<Option<File>, SideFileError> {
    open_with(path, what, access, false)
}

/// Opens a file the user named (a key file, an input), for reading: a symbolic link is
/// followed (the user chose the path), but anything but a regular file is refused
/// ([`SideFileError::InputNotRegular`]), without ever waiting on it (a FIFO, a device).
/// `Ok(None)` if there is no file.
pub fn open_input(path: &Path, what: &'static str) -> Result<Option<File>, SideFileError> {
    open_with(path, what, Access::Read, true)
}

fn open_with(
    path: &Path,
    what: &'static str,
    access: Access,
    input: bool,
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
    let not_regular = || {
        if input {
            SideFileError::InputNotRegular {
                what,
                path: path.to_path_buf(),
            }
        } else {
            SideFileError::NotRegular {
                what,
                path: path.to_path_buf(),
            }
        }
    };
    let (file, meta) = match open_regular(path, &mut options, input) {
        Ok(opened) => opened,
        Err(OpenFailure::NotFound) if access != Access::CreateReadWrite => return Ok(None),
        Err(OpenFailure::NotFound) => {
            return Err(io_err(what, path, "open", io::ErrorKind::NotFound.into()));
        }
        Err(OpenFailure::Symlink) => {
            return Err(SideFileError::Symlink {
                what,
                path: path.to_path_buf(),
            });
        }
        Err(OpenFailure::Directory | OpenFailure::NotRegular) => return Err(not_regular()),
        Err(OpenFailure::Io(op, e)) => return Err(io_err(what, path, op, e)),
    };
    let links = link_count(&meta);
    if access != Access::Read && links != 1 {
        return Err(SideFileError::HardLinked {
            what,
            path: path.to_path_buf(),
            links,
        });
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
    read_limited(file, path, what, limit, || SideFileError::TooLarge {
        what,
        path: path.to_path_buf(),
        limit,
    })
}

/// Reads a whole input file the user named — a key given as `@FILE`, `--data @FILE`, an
/// events file, a note, a proof — of at most `max_bytes` bytes.
///
/// A symbolic link is followed (the user chose the path); anything but a regular file is
/// refused without being waited on or read ([`SideFileError::InputNotRegular`]: a FIFO would
/// block the command until someone writes to it, a device like `/dev/zero` never ends); a
/// missing file is [`SideFileError::InputNotFound`]; a longer file is refused
/// ([`SideFileError::InputTooLarge`], naming the file and the limit) from its size alone, and
/// at most `max_bytes + 1` bytes are ever read.
pub fn read_input(
    path: &Path,
    what: &'static str,
    max_bytes: u64,
) -> Result<Vec<u8>, SideFileError> {
    let Some(file) = open_input(path, what)? else {
        return Err(SideFileError::InputNotFound {
            what,
            path: path.to_path_buf(),
        });
    };
    read_limited(file, path, what, max_bytes, || {
        SideFileError::InputTooLarge {
            what,
            path: path.to_path_buf(),
            limit: max_bytes,
        }
    })
}

fn read_limited(
    file: File,
    path: &Path,
    what: &'static str,
    limit: u64,
    too_large: impl Fn() -> SideFileError,
) -> Result<Vec<u8>, SideFileError> {
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
///
/// The directory is opened read-only with `O_DIRECTORY | O_NONBLOCK`: anything else at the
/// path (a FIFO, a device, a file planted there) fails at once with `ENOTDIR`, before it is
/// opened, so this never waits on a FIFO. A symbolic link to a directory is followed: `dir`
/// is the folder of a path the user named, which may well be a link, and syncing a
/// directory writes nothing into it. For a directory acta keeps beside a log (the checkpoint
/// directory), [`sync_side_dir`] also refuses a link.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    open_dir(dir, true)?.sync_all()
}

/// [`sync_dir`] of a directory acta keeps beside a log: a symbolic link there is refused
/// ([`SideFileError::Symlink`]), and anything but a directory is
/// [`SideFileError::NotADirectory`].
pub fn sync_side_dir(dir: &Path, what: &'static str) -> Result<(), SideFileError> {
    let synced = open_dir(dir, false).and_then(|d| d.sync_all());
    match synced {
        Ok(()) => Ok(()),
        // `O_DIRECTORY | O_NOFOLLOW` on a link fails with `ENOTDIR` (or `ELOOP`): which of the
        // two it was is only for the message.
        Err(e) if is_loop(&e) || is_not_dir(&e) => {
            if dir
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
            {
                Err(SideFileError::Symlink {
                    what,
                    path: dir.to_path_buf(),
                })
            } else {
                Err(SideFileError::NotADirectory {
                    what,
                    path: dir.to_path_buf(),
                })
            }
        }
        Err(e) => Err(io_err(what, dir, "sync the directory", e)),
    }
}

#[cfg(unix)]
fn is_not_dir(e: &io::Error) -> bool {
    is_errno(e, rustix::io::Errno::NOTDIR)
}

#[cfg(not(unix))]
fn is_not_dir(_e: &io::Error) -> bool {
    false
}

/// Opens the directory `dir` for syncing (see [`sync_dir`]); off Unix, a stand-in that syncs
/// nothing.
#[cfg(unix)]
fn open_dir(dir: &Path, follow: bool) -> io::Result<File> {
    use rustix::fs::OFlags;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut flags = OFlags::DIRECTORY | OFlags::NONBLOCK;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(dir)
}

#[cfg(not(unix))]
fn open_dir(_dir: &Path, _follow: bool) -> io::Result<NoDir> {
    Ok(NoDir)
}

/// Off Unix, directories are not synced: names are made durable by the file system itself.
#[cfg(not(unix))]
struct NoDir;

#[cfg(not(unix))]
impl NoDir {
    fn sync_all(&self) -> io::Result<()> {
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
mod tests;
