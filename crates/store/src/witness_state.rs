//! A witness's state file: the last checkpoint note it cosigned for a log, with its
//! cosignature. The state is the witness's only memory of what it cosigned, so it is kept
//! private, locked from reading to replacing, authenticated when read (a checkpoint of the log
//! cosigned by this witness), and replaced atomically and durably before a new cosignature is
//! released. Whether to cosign is [`acta_tlog::witness::decide`]'s to say.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use acta_core::note::{
    self, CheckpointPolicyError, CosignatureError, CosignerKey, Note, NoteError,
    VerifiedCheckpoint, verify_checkpoint_note,
};
use acta_core::{SigningKey, VerifierKey};

use acta_core::note::Checkpoint;
use acta_tlog::wire::ConsistencyProof;
use acta_tlog::witness::{self, Refusal};

use crate::side_file::{self, Access, SideFileError};
use crate::verify_proof::{ProofInputError, decode_hashes};

/// What the witness's state file is called in errors.
pub const WITNESS_STATE: &str = "the witness state";

/// The most bytes read from a witness state.
pub const MAX_STATE_BYTES: u64 = 1 << 20;

/// Why a witness state cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WitnessStateError {
    /// The state's folder cannot be inspected.
    #[error("cannot read the folder of the witness state {}", dir.display())]
    FolderUnreadable {
        /// The folder.
        dir: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Another account can write the state's folder (or it is owned by one).
    #[error(
        "the witness state's folder {} can be written by another account (mode {mode:o}, owner uid {uid})",
        dir.display()
    )]
    FolderNotPrivate {
        /// The folder.
        dir: PathBuf,
        /// Its permission bits.
        mode: u32,
        /// Its owner.
        uid: u32,
    },
    /// Another account can write the state file (or owns it).
    #[error(
        "the witness state {} can be written by another account (mode {mode:o}, owner uid {uid})",
        path.display()
    )]
    FileNotPrivate {
        /// The state file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
        /// Its owner.
        uid: u32,
    },
    /// The lock file beside the state could not be opened.
    #[error("cannot open the witness lock {}", path.display())]
    NoLock {
        /// The lock file.
        path: PathBuf,
    },
    /// The lock file could not be locked.
    #[error("cannot lock {}", path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The state or its lock is a link, a FIFO, a directory, or cannot be read or written.
    #[error(transparent)]
    File(#[from] SideFileError),
    /// There is no state, and this is not the witness's first use.
    #[error("there is no witness state at {}", path.display())]
    Missing {
        /// The state file.
        path: PathBuf,
    },
    /// First use was claimed, but there is a state.
    #[error("{} already holds a witness state", path.display())]
    AlreadyStarted {
        /// The state file.
        path: PathBuf,
    },
    /// The state is not a checkpoint of the log cosigned by this witness.
    #[error(
        "the witness state {} is not a checkpoint of this log cosigned by this witness ({reason})",
        path.display()
    )]
    NotAuthentic {
        /// The state file.
        path: PathBuf,
        /// Why.
        reason: CheckpointPolicyError,
    },
}

/// A witness state file, locked (one cosigner at a time per state, from reading the state to
/// replacing it, so two runs cannot both extend the same old state with different, forked,
/// checkpoints). The lock is released when this is dropped.
#[derive(Debug)]
pub struct WitnessState {
    path: PathBuf,
    _lock: File,
}

impl WitnessState {
    /// Checks that the state at `path` is private ([`check_private`]) and locks it (through
    /// `PATH.lock`, never through a link, never blocking on a FIFO).
    pub fn open(path: &Path) -> Result<WitnessState, WitnessStateError> {
        check_private(path)?;
        let mut lock_name = path.as_os_str().to_owned();
        lock_name.push(".lock");
        let lock_path = PathBuf::from(lock_name);
        let lock = side_file::open(&lock_path, "the witness lock", Access::CreateReadWrite)?
            .ok_or_else(|| WitnessStateError::NoLock {
                path: lock_path.clone(),
            })?;
        lock.lock().map_err(|source| WitnessStateError::Lock {
            path: lock_path,
            source,
        })?;
        Ok(WitnessState {
            path: path.to_path_buf(),
            _lock: lock,
        })
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the state: the last note this witness released for the log, which must be a
    /// checkpoint signed by `log_key` and cosigned by `me` (so a state written by anyone
    /// without the witness's key is refused, never used). `None` on `first_use` only: a
    /// missing state is otherwise an error, and so is a state on first use.
    pub fn read(
        &self,
        log_key: &VerifierKey,
        me: &CosignerKey,
        first_use: bool,
    ) -> Result<Option<VerifiedCheckpoint>, WitnessStateError> {
        let path = || self.path.clone();
        // Never through a link, never blocking on a FIFO, never read whole if oversized.
        let bytes = side_file::read_bounded(&self.path, WITNESS_STATE, MAX_STATE_BYTES)?;
        match (bytes, first_use) {
            (None, true) => Ok(None),
            (None, false) => Err(WitnessStateError::Missing { path: path() }),
            (Some(_), true) => Err(WitnessStateError::AlreadyStarted { path: path() }),
            (Some(bytes), false) => {
                verify_checkpoint_note(&bytes, log_key, std::slice::from_ref(me), 1)
                    .map(Some)
                    .map_err(|reason| WitnessStateError::NotAuthentic {
                        path: path(),
                        reason,
                    })
            }
        }
    }

    /// Replaces the state with `bytes` atomically: a new file with an unpredictable name
    /// beside it, synced, renamed over it, and the directory synced (the new state is durable
    /// before the cosignature is released). A link or a non-file at the path is refused: the
    /// state is not derived data, so nothing planted there is silently replaced.
    pub fn replace(&self, bytes: &[u8]) -> Result<(), WitnessStateError> {
        side_file::open(&self.path, WITNESS_STATE, Access::Read)?;
        side_file::replace(&self.path, WITNESS_STATE, bytes, true)?;
        Ok(())
    }
}

/// Why a note could not be cosigned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CosignError {
    /// The cosignature could not be made.
    #[error("{0}")]
    Cosign(CosignatureError),
    /// The cosigned note could not be written as text.
    #[error("{0}")]
    Note(NoteError),
}

/// `note` with `key`'s cosignature at `timestamp` (replacing any earlier one by the same
/// key), as text: what a witness releases and keeps as its new state.
pub fn cosign(note: &Note, key: &SigningKey, timestamp: u64) -> Result<String, CosignError> {
    let mut note = note.clone();
    let sig = note::cosign(&note.text, key, timestamp).map_err(CosignError::Cosign)?;
    note.signatures.retain(|s| s.key_ref() != sig.key_ref());
    note.signatures.push(sig);
    note.to_text().map_err(CosignError::Note)
}

/// Why the consistency proof a witness needs cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtensionProofError {
    /// A proof between the two sizes is needed, and none was given.
    #[error("a consistency proof from size {from} to {to} is needed")]
    Needed {
        /// The size last cosigned.
        from: u64,
        /// The new size.
        to: u64,
    },
    /// The proof file is not a JSON consistency proof.
    #[error("{} is not a consistency proof", path.display())]
    NotAProof {
        /// The proof file.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// The proof is between other sizes.
    #[error("{} proves {old_size} → {new_size}, but {from} → {to} is needed", path.display())]
    OtherSizes {
        /// The proof file.
        path: PathBuf,
        /// The proof's older size.
        old_size: u64,
        /// The proof's newer size.
        new_size: u64,
        /// The size last cosigned.
        from: u64,
        /// The new size.
        to: u64,
    },
    /// A hash of the proof is malformed.
    #[error(transparent)]
    Hash(#[from] ProofInputError),
}

/// Whether a witness that last cosigned `old` may cosign `new`
/// ([`acta_tlog::witness::decide`]). The consistency proof (its path and how to read it) is
/// read only when the decision needs one.
pub fn check_extension<E: From<ExtensionProofError>>(
    old: &Checkpoint,
    new: &Checkpoint,
    proof: Option<(&Path, impl FnOnce() -> Result<Vec<u8>, E>)>,
) -> Result<Result<(), Refusal>, E> {
    let decision = witness::decide(Some(old), new, None);
    let Err(Refusal::ProofNeeded { from, to }) = decision else {
        return Ok(decision);
    };
    let Some((path, read)) = proof else {
        return Err(ExtensionProofError::Needed { from, to }.into());
    };
    let p: ConsistencyProof =
        serde_json::from_slice(&read()?).map_err(|source| ExtensionProofError::NotAProof {
            path: path.to_path_buf(),
            source,
        })?;
    if p.old_size != from || p.new_size != to {
        return Err(ExtensionProofError::OtherSizes {
            path: path.to_path_buf(),
            old_size: p.old_size,
            new_size: p.new_size,
            from,
            to,
        }
        .into());
    }
    let hashes = decode_hashes(&p.hashes).map_err(ExtensionProofError::from)?;
    Ok(witness::decide(Some(old), new, Some(&hashes)))
}

/// Refuses a witness state kept where another account could write it: whoever can replace it
/// (even with an older state this witness really wrote, which no authentication can tell from
/// the latest) can make the witness cosign a fork. So the folder must be writable by its owner
/// only (or be sticky, like `/tmp`, where no one can replace another's file), owned by this
/// account or root, and the state file, if there is one, owned by this account and writable
/// by no one else.
#[cfg(unix)]
pub fn check_private(state: &Path) -> Result<(), WitnessStateError> {
    use std::os::unix::fs::MetadataExt as _;
    let me = rustix::process::geteuid().as_raw();
    let dir = match state.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let d = std::fs::metadata(dir).map_err(|source| WitnessStateError::FolderUnreadable {
        dir: dir.to_path_buf(),
        source,
    })?;
    let sticky = d.mode() & 0o1000 != 0;
    if (d.mode() & 0o022 != 0 && !sticky) || (d.uid() != me && d.uid() != 0) {
        return Err(WitnessStateError::FolderNotPrivate {
            dir: dir.to_path_buf(),
            mode: d.mode() & 0o7777,
            uid: d.uid(),
        });
    }
    if let Ok(f) = std::fs::symlink_metadata(state)
        && f.file_type().is_file()
        && (f.mode() & 0o022 != 0 || f.uid() != me)
    {
        return Err(WitnessStateError::FileNotPrivate {
            path: state.to_path_buf(),
            mode: f.mode() & 0o7777,
            uid: f.uid(),
        });
    }
    Ok(())
}

/// Refuses a witness state kept where another account could write it (not checked on this
/// platform).
#[cfg(not(unix))]
pub fn check_private(_state: &Path) -> Result<(), WitnessStateError> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;
    use crate::checkpoint::tests::{TestResult, key, make_log, other_key};
    use crate::log::Expect;

    /// A checkpoint note of a new log in `dir`, signed by [`key`].
    fn checkpoint_note(dir: &Path) -> Result<Note, Box<dyn std::error::Error>> {
        let log = dir.join("a.log");
        make_log(&log, 2)?;
        let note = crate::checkpoint::sign(&log, &key(), &Expect::default())?
            .finish()
            .note;
        Ok(Note::parse(note.as_bytes())?)
    }

    /// A private folder in a tempdir.
    fn private_dir(root: &Path) -> Result<PathBuf, Box<dyn std::error::Error>> {
        let dir = root.join("w");
        std::fs::create_dir(&dir)?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        Ok(dir)
    }

    #[test]
    fn a_state_starts_on_first_use_only_and_must_be_cosigned_by_this_witness() -> TestResult {
        let root = tempfile::tempdir()?;
        let note = checkpoint_note(root.path())?;
        let path = private_dir(root.path())?.join("log.state");
        let (log_key, witness) = (key().verifier(), other_key());
        let me = CosignerKey::from_signing_key(&witness);
        let state = WitnessState::open(&path)?;
        assert_eq!(state.path(), path);
        assert!(state.read(&log_key, &me, true)?.is_none());
        let e = state.read(&log_key, &me, false).expect_err("missing");
        assert!(matches!(e, WitnessStateError::Missing { .. }), "{e:?}");
        // The log's note without this witness's cosignature is not a state.
        state.replace(note.to_text()?.as_bytes())?;
        let e = state.read(&log_key, &me, false).expect_err("not cosigned");
        assert!(matches!(e, WitnessStateError::NotAuthentic { .. }), "{e:?}");
        // Cosigned by this witness, it is; and it is never a first use again.
        let cosigned = cosign(&note, &witness, 1_764_147_600)?;
        state.replace(cosigned.as_bytes())?;
        let cp = state.read(&log_key, &me, false)?.ok_or("a state")?;
        assert_eq!(cp.checkpoint.size, 3);
        assert_eq!(std::fs::read_to_string(&path)?, cosigned);
        let e = state
            .read(&log_key, &me, true)
            .expect_err("first use again");
        assert!(
            matches!(e, WitnessStateError::AlreadyStarted { .. }),
            "{e:?}"
        );
        // Cosigning again replaces this witness's cosignature, not adds one.
        let again = cosign(&Note::parse(cosigned.as_bytes())?, &witness, 1_764_147_601)?;
        assert_eq!(Note::parse(again.as_bytes())?.signatures.len(), 2);
        Ok(())
    }

    #[test]
    fn a_state_others_could_write_is_refused_and_the_lock_is_held() -> TestResult {
        let root = tempfile::tempdir()?;
        let dir = private_dir(root.path())?;
        let path = dir.join("log.state");
        std::fs::write(&path, b"x")?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o620))?;
        let e = WitnessState::open(&path).expect_err("group-writable state");
        assert!(
            matches!(e, WitnessStateError::FileNotPrivate { mode: 0o620, .. }),
            "{e:?}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o770))?;
        let e = WitnessState::open(&path).expect_err("group-writable folder");
        assert!(
            matches!(e, WitnessStateError::FolderNotPrivate { mode: 0o770, .. }),
            "{e:?}"
        );
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        let state = WitnessState::open(&path)?;
        let other = std::fs::File::open(dir.join("log.state.lock"))?;
        assert!(other.try_lock().is_err(), "the lock is not held");
        drop(state);
        assert!(other.try_lock().is_ok(), "the lock is not released");
        Ok(())
    }

    #[test]
    fn a_link_at_the_state_is_never_followed_or_replaced() -> TestResult {
        let root = tempfile::tempdir()?;
        let dir = private_dir(root.path())?;
        let target = dir.join("target");
        std::fs::write(&target, b"kept")?;
        let path = dir.join("log.state");
        std::os::unix::fs::symlink(&target, &path)?;
        let state = WitnessState::open(&path)?;
        let e = state.replace(b"new").expect_err("a link");
        assert!(matches!(e, WitnessStateError::File(_)), "{e:?}");
        let e = state
            .read(
                &key().verifier(),
                &CosignerKey::from_signing_key(&other_key()),
                false,
            )
            .expect_err("a link");
        assert!(matches!(e, WitnessStateError::File(_)), "{e:?}");
        assert_eq!(std::fs::read(&target)?, b"kept");
        Ok(())
    }

    type Read = fn() -> Result<Vec<u8>, ExtensionProofError>;

    #[test]
    fn a_witness_extends_its_state_only_with_a_proof_of_the_sizes_it_needs() -> TestResult {
        let root = tempfile::tempdir()?;
        let log = root.path().join("a.log");
        make_log(&log, 2)?;
        let sign = || -> Result<Checkpoint, Box<dyn std::error::Error>> {
            let note = crate::checkpoint::sign(&log, &key(), &Expect::default())?.finish();
            Ok(note.checkpoint)
        };
        let old = sign()?;
        crate::checkpoint::tests::append(&log, 3)?;
        let new = sign()?;
        let p = Path::new("proof.json");
        // The same checkpoint again needs no proof: the proof is never read.
        let unread: Option<(&Path, Read)> = Some((p, || panic!("the proof was read")));
        assert_eq!(check_extension(&old, &old, unread)?, Ok(()));
        let e = check_extension(&old, &new, None::<(&Path, Read)>).expect_err("no proof");
        assert!(
            matches!(e, ExtensionProofError::Needed { from: 3, to: 6 }),
            "{e:?}"
        );
        let json = serde_json::to_vec(&crate::prove::consistency_proof(&log, 3, None)?)?;
        let proof = json.clone();
        assert_eq!(
            check_extension(
                &old,
                &new,
                Some((p, move || Ok::<_, ExtensionProofError>(proof)))
            )?,
            Ok(())
        );
        // A proof of other sizes, and a new checkpoint the proof does not lead to.
        let other = serde_json::to_vec(&crate::prove::consistency_proof(&log, 2, None)?)?;
        let e = check_extension(
            &old,
            &new,
            Some((p, move || Ok::<_, ExtensionProofError>(other))),
        )
        .expect_err("sizes");
        assert!(
            matches!(
                e,
                ExtensionProofError::OtherSizes {
                    old_size: 2,
                    from: 3,
                    ..
                }
            ),
            "{e:?}"
        );
        let mut forked = new.clone();
        forked.root = [9; 32];
        let got = check_extension(
            &old,
            &forked,
            Some((p, move || Ok::<_, ExtensionProofError>(json))),
        )?;
        assert!(got.is_err(), "{got:?}");
        let e = check_extension(
            &old,
            &new,
            Some((p, || Ok::<_, ExtensionProofError>(b"{}".to_vec()))),
        )
        .expect_err("json");
        assert!(matches!(e, ExtensionProofError::NotAProof { .. }), "{e:?}");
        Ok(())
    }
}
