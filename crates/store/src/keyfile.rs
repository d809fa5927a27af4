//! Private key files: written new with mode 0600 ([`write_private_key`]), read only when no
//! other account can read them ([`read_signing_key`]), and every copy of the key text wiped
//! from memory once used.
//!
//! Keeping the key out of core dumps is the caller's ([`crate::harden::disable_core_dumps`],
//! before reading).

use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};

use acta_core::SigningKey;
use acta_core::key::KeyError;

use crate::side_file::{self, SideFileError};

/// The longest private key file read.
pub const MAX_KEY_FILE_BYTES: usize = 4096;

/// Why a private key file cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// There is no file at the path.
    #[error("cannot read key file {}: no such file", path.display())]
    NotFound {
        /// The path.
        path: PathBuf,
    },
    /// The file cannot be read.
    #[error("cannot read key file {}", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Other accounts can read (or write) the file.
    #[error("key file {} is accessible by other users (mode {mode:03o})", path.display())]
    NotPrivate {
        /// The path.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The file is not a short UTF-8 text.
    #[error("key file {} is not a short UTF-8 text file", path.display())]
    NotText {
        /// The path.
        path: PathBuf,
    },
    /// The text is not a private key.
    #[error("key file {}: {reason}", path.display())]
    NotAKey {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: KeyError,
    },
    /// The key file could not be written (and was removed).
    #[error("cannot write key file {}", path.display())]
    Write {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A link, a FIFO or a device at the path, an existing file where a new one is made, or
    /// another error opening it.
    #[error(transparent)]
    File(#[from] SideFileError),
}

/// Reads a private key file, refusing one that others can read. The user's path is followed
/// if it is a link, but a FIFO or device is refused, and the checks are made on the file that
/// was opened. At most [`MAX_KEY_FILE_BYTES`] are read, into a buffer wiped once the key is
/// parsed.
pub fn read_signing_key(path: &Path) -> Result<SigningKey, KeyFileError> {
    let file =
        side_file::open_input(path, "the key file")?.ok_or_else(|| KeyFileError::NotFound {
            path: path.to_path_buf(),
        })?;
    let read_error = |source| KeyFileError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = file.metadata().map_err(read_error)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyFileError::NotPrivate {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    // Room for the whole limit up front, so the buffer never moves (leaving a copy behind).
    let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE_BYTES + 1));
    file.take(MAX_KEY_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    let text = std::str::from_utf8(&bytes)
        .ok()
        .filter(|t| t.len() <= MAX_KEY_FILE_BYTES)
        .ok_or_else(|| KeyFileError::NotText {
            path: path.to_path_buf(),
        })?;
    SigningKey::from_private_text(text.trim_end_matches(['\n', '\r'])).map_err(|reason| {
        KeyFileError::NotAKey {
            path: path.to_path_buf(),
            reason,
        }
    })
}

/// Writes a private key file: created new (never overwriting, never through a link), mode
/// 0600, synced with its directory. The key text is wiped from memory once written; a file
/// that could not be written whole is removed.
pub fn write_private_key(path: &Path, key: &SigningKey) -> Result<(), KeyFileError> {
    let mut f = side_file::create_new_file(path, "the key file", 0o600)?;
    let text = key.private_text();
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let written = f
        .write_all(text.as_bytes())
        .and_then(|()| f.write_all(b"\n"))
        .and_then(|()| f.sync_all())
        .and_then(|()| side_file::sync_dir(dir));
    if let Err(source) = written {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(KeyFileError::Write {
            path: path.to_path_buf(),
            source,
        });
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn key() -> SigningKey {
        SigningKey::from_seed("test-only-keyfile", [31; 32]).expect("valid name")
    }

    #[test]
    fn a_written_key_is_private_new_and_reads_back() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("k.key");
        write_private_key(&path, &key())?;
        assert_eq!(
            std::fs::metadata(&path)?.permissions().mode() & 0o777,
            0o600
        );
        let text = std::fs::read_to_string(&path)?;
        assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{text:?}");
        assert_eq!(read_signing_key(&path)?.verifier(), key().verifier());
        // Never over an existing file, which is left as it was.
        let other = SigningKey::from_seed("test-only-other", [32; 32])?;
        let e = write_private_key(&path, &other).expect_err("exists");
        assert!(matches!(e, KeyFileError::File(_)), "{e:?}");
        assert_eq!(std::fs::read_to_string(&path)?, text);
        Ok(())
    }

    #[test]
    fn a_key_file_others_can_read_or_that_is_no_key_is_refused() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("k.key");
        write_private_key(&path, &key())?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640))?;
        let e = read_signing_key(&path).expect_err("group-readable");
        assert!(
            matches!(e, KeyFileError::NotPrivate { mode: 0o640, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("(mode 640)"), "{e}");
        let missing = dir.path().join("none.key");
        let e = read_signing_key(&missing).expect_err("missing");
        assert!(matches!(e, KeyFileError::NotFound { .. }), "{e:?}");
        let write = |name: &str, bytes: &[u8]| -> Result<PathBuf, std::io::Error> {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes)?;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600))?;
            Ok(p)
        };
        let verifier = write("v.key", key().verifier().to_string().as_bytes())?;
        let e = read_signing_key(&verifier).expect_err("a verifier key");
        assert!(
            matches!(
                e,
                KeyFileError::NotAKey {
                    reason: KeyError::PublicWherePrivateExpected,
                    ..
                }
            ),
            "{e:?}"
        );
        let e = read_signing_key(&write("b.key", &[0xff, 0xfe])?).expect_err("not UTF-8");
        assert!(matches!(e, KeyFileError::NotText { .. }), "{e:?}");
        let big = write("big.key", &vec![b'a'; MAX_KEY_FILE_BYTES + 1])?;
        let e = read_signing_key(&big).expect_err("too long");
        assert!(matches!(e, KeyFileError::NotText { .. }), "{e:?}");
        Ok(())
    }
}
