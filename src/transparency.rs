//! The transparency commands: checkpoints, proofs, offline bundles, witnesses, and the
//! checkpoint checks of `acta verify`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acta_core::note::{CosignerKey, Note, VerifiedCheckpoint};
use acta_store::bundle::{self, BundleMakeError};
use acta_store::checkpoint::{
    self, CheckpointSet, ForkEvidence, ForkProof, SignError, SignOutcome,
};
use acta_store::prove::{self, ProveError};
use acta_store::side_file;
use acta_store::verify_proof::{
    self, BundleError, BundleRejection, ProofInputError, ProofRejection, Proven, SignedWith,
};
use acta_store::witness_state::{self, ExtensionProofError, WitnessState, WitnessStateError};
use acta_tlog::witness::Refusal;
use anyhow::{Context as _, anyhow, bail};
use clap::Subcommand;

use crate::term;
use crate::{read_limited, read_signing_key, read_verifier_key};

/// The most bytes read from a note, proof or bundle file.
const MAX_ARTIFACT_BYTES: usize = 1 << 20;

#[derive(Subcommand, Debug)]
pub enum ProveCommand {
    /// Print the inclusion proof of entry SEQ in the tree of SIZE entries (JSON).
    Inclusion {
        log: PathBuf,
        /// The entry's seq (its leaf index).
        #[arg(long)]
        seq: u64,
        /// The tree size; defaults to the latest checkpoint's size.
        #[arg(long)]
        size: Option<u64>,
    },
    /// Print the consistency proof between two tree sizes (JSON).
    Consistency {
        log: PathBuf,
        /// The older tree size.
        #[arg(long)]
        from: u64,
        /// The newer tree size; defaults to the latest checkpoint's size.
        #[arg(long)]
        to: Option<u64>,
    },
    /// Print an offline bundle (C2SP tlog-proof, with the entry as its extra data) that a third
    /// party verifies with `acta verify-bundle` and the log's verifier key alone.
    Bundle {
        log: PathBuf,
        /// The entry's seq.
        #[arg(long)]
        seq: u64,
        /// The checkpoint to prove against (a note file); defaults to the latest kept one.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum WitnessCommand {
    /// Check a log's new checkpoint against the last one this witness cosigned (with a
    /// consistency proof), then add this witness's C2SP cosignature and print the note.
    Cosign {
        /// The witness's private key file.
        #[arg(long)]
        key: PathBuf,
        /// The log's verifier key (NAME+ID+KEY or @FILE).
        #[arg(long)]
        log_key: String,
        /// The witness's state file: the last checkpoint it cosigned for this log, with its
        /// cosignature (kept in a folder only the witness's account can write).
        #[arg(long)]
        state: PathBuf,
        /// This witness has never cosigned this log: start its state with this checkpoint
        /// (refused if the state file exists). Without it, a missing state is an error.
        #[arg(long)]
        first_use: bool,
        /// The new checkpoint note.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The consistency proof from the last cosigned size to the new one (JSON from
        /// `acta prove consistency`); not needed the first time or for the same size.
        #[arg(long)]
        proof: Option<PathBuf>,
        /// Write the cosigned note here as well as to standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

use acta_tlog::wire::AnyProof;
/// `acta prove inclusion` and `acta prove consistency` output, and what `acta verify-proof`
/// reads (either kind): the JSON proof forms of [`acta_tlog::wire`].
pub use acta_tlog::wire::{ConsistencyProof, InclusionProof};

/// Reads a note, proof, bundle or key file the user named: a link is followed (the user chose
/// the path), but a FIFO or device is refused without waiting on it, and at most
/// [`MAX_ARTIFACT_BYTES`] are read.
fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file = match side_file::open_input(path, "the input file") {
        Ok(Some(f)) => f,
        Ok(None) => bail!("cannot read {}: no such file", path.display()),
        Err(side_file::SideFileError::InputNotRegular { .. }) => bail!(
            "{} is not a regular file (a FIFO, device or directory): acta reads notes, proofs, bundles and keys only from files; save it to a file and give that",
            path.display()
        ),
        Err(e) => return Err(e.into()),
    };
    let bytes = read_limited(file, MAX_ARTIFACT_BYTES)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() > MAX_ARTIFACT_BYTES {
        bail!("{} is over {MAX_ARTIFACT_BYTES} bytes", path.display());
    }
    Ok(bytes)
}

fn read_cosigner_key(arg: &str, flag: &str) -> anyhow::Result<CosignerKey> {
    let text = match arg.strip_prefix('@') {
        Some(file) => String::from_utf8(read_file(Path::new(file))?)
            .map_err(|_| anyhow!("{flag}: {file} is not UTF-8"))?,
        None => arg.to_owned(),
    };
    text.trim().parse().with_context(|| {
        format!("{flag}: not a witness (cosigner) key NAME+ID+base64(0x04 ‖ key); get it with `acta key verifier --cosigner KEYFILE`")
    })
}

/// The witness policy given on the command line.
pub struct WitnessPolicy(pub checkpoint::WitnessPolicy);

impl WitnessPolicy {
    pub fn from_args(witnesses: &[String], threshold: Option<usize>) -> anyhow::Result<Self> {
        let witnesses = witnesses
            .iter()
            .map(|w| read_cosigner_key(w, "--witness"))
            .collect::<anyhow::Result<Vec<_>>>()?;
        checkpoint::WitnessPolicy::new(witnesses, threshold)
            .map(WitnessPolicy)
            .map_err(|e| {
                anyhow!(
                    "--witness-threshold {} is more than the {} witnesses given",
                    e.threshold,
                    e.witnesses
                )
            })
    }
}

/// Reads and checks a checkpoint note file: the log's signature and the witness policy. The
/// outer `Err` is an unreadable file (exit 2); the inner one a checkpoint that does not pass
/// (exit 1).
pub fn read_checkpoint(
    path: &Path,
    log_key: &acta_core::VerifierKey,
    policy: &WitnessPolicy,
) -> anyhow::Result<Result<VerifiedCheckpoint, String>> {
    let bytes = read_file(path)?;
    Ok(policy
        .0
        .verify(&bytes, log_key)
        .map_err(|e| format!("checkpoint {}: {e}", path.display())))
}

/// A proof or anchor error with what to do next (the library names no command).
fn hint(e: ProveError) -> anyhow::Error {
    let hint = match &e {
        ProveError::NoTreeFile { log } => {
            format!("; run `acta repair {}` to build it", log.display())
        }
        ProveError::NoFirstLine { log } | ProveError::GenesisInvalid { log, .. } => {
            format!("; run `acta verify {}`", log.display())
        }
        ProveError::NoCheckpoint { log } => format!(
            ": run `acta checkpoint {} --key FILE`, or give the size",
            log.display()
        ),
        ProveError::TreeDisagrees { log, .. } | ProveError::InvalidProof { log, .. } => {
            format!("; run `acta repair {}` to rebuild it", log.display())
        }
        ProveError::TreeTooSmall { .. } => {
            "; if the log has more, run `acta repair` on it to rebuild the tree".to_owned()
        }
        ProveError::LineTooLong { .. } => "; run `acta verify`".to_owned(),
        ProveError::BadSizes { to, .. } => {
            return anyhow!("--from must be at least 1 and at most the newer size ({to})");
        }
        _ => return e.into(),
    };
    anyhow!("{e}{hint}")
}

pub fn inclusion_proof(log: &Path, seq: u64, size: Option<u64>) -> anyhow::Result<InclusionProof> {
    prove::inclusion_proof(log, seq, size).map_err(hint)
}

pub fn consistency_proof(
    log: &Path,
    from: u64,
    to: Option<u64>,
) -> anyhow::Result<ConsistencyProof> {
    prove::consistency_proof(log, from, to).map_err(hint)
}

pub fn prove(cmd: ProveCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ProveCommand::Inclusion { log, seq, size } => {
            let p = inclusion_proof(&log, seq, size)?;
            outln!("{}", serde_json::to_string_pretty(&p)?);
        }
        ProveCommand::Consistency { log, from, to } => {
            let p = consistency_proof(&log, from, to)?;
            outln!("{}", serde_json::to_string_pretty(&p)?);
        }
        ProveCommand::Bundle {
            log,
            seq,
            checkpoint,
        } => {
            let read = checkpoint.as_deref().map(|p| (p, || read_file(p)));
            let bundle = bundle::make_bundle(&log, seq, read).map_err(|e| {
                match e.downcast::<BundleMakeError>() {
                    Ok(BundleMakeError::Prove(e)) => hint(e),
                    Ok(e @ BundleMakeError::NoCheckpoint { .. }) => {
                        anyhow!("{e}: run `acta checkpoint` first")
                    }
                    Ok(e @ BundleMakeError::RootDiffers { .. }) => anyhow!(
                        "{e}: it is not this log's, or the log was rewritten (check with `acta verify --checkpoint`), or the tree file is damaged (`acta repair` rebuilds it)"
                    ),
                    // The store's own error, so that its hint is added where it is printed.
                    Ok(BundleMakeError::Store(e)) => e.into(),
                    Ok(BundleMakeError::DoesNotVerify { log, entry, kind }) => anyhow!(
                        "{} does not verify (entry {entry}: {}), so no bundle is made from it; run `acta verify {}` for the full report",
                        log.display(),
                        crate::hints::finding_text(&kind),
                        log.display()
                    ),
                    Ok(e) => e.into(),
                    Err(e) => e,
                }
            })?;
            out!("{}", bundle.to_text().map_err(|e| anyhow!("{e}"))?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `acta checkpoint`: signs the log's current head as a C2SP checkpoint and keeps it.
pub fn checkpoint(
    log: &Path,
    key: &Path,
    out: Option<&Path>,
    expect_origin: Option<String>,
) -> anyhow::Result<ExitCode> {
    let key = read_signing_key(key)?;
    let expect = acta_store::log::Expect {
        origin: expect_origin,
        head: None,
    };
    let signed = checkpoint::sign(log, &key, &expect).map_err(|e| match e {
        SignError::Checkpoint(e) => anyhow!("{e}"),
        SignError::Note(e) => anyhow!("{e}"),
        SignError::Keep(e) => e.into(),
        e => e.into(),
    })?;
    // The copy is written before the derived files are brought up to date, with the log
    // still locked.
    if let Some(out) = out {
        write_new_file(out, signed.note.as_bytes())?;
    }
    let SignOutcome {
        note,
        kept,
        set_aside,
        derived_not_saved,
        ..
    } = signed.finish();
    if let Some(aside) = set_aside {
        eprintln!(
            "warning: {} held a file that is not a checkpoint of this log signed by this key; it was moved to {} (it is no evidence of a fork: anyone who can write the folder could have put it there)",
            term::inert(&kept.display().to_string()),
            term::inert(&aside.display().to_string())
        );
    }
    if let Some(e) = derived_not_saved {
        eprintln!(
            "warning: the tree file of {} could not be brought up to date ({}); `acta repair {}` rebuilds it",
            log.display(),
            term::inert(&e.to_string()),
            log.display()
        );
    }
    eprintln!("kept {}", kept.display());
    out!("{note}");
    Ok(ExitCode::SUCCESS)
}

/// Writes an `--out` file: a new file only, created exclusively (an existing file, link or
/// device at the path is never opened, followed or replaced), synced with its directory.
pub(crate) fn write_new_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    side_file::create_new(path, "the --out file", bytes, 0o666, true)?;
    Ok(())
}

/// `acta verify-proof`.
pub fn verify_proof(
    proof: &Path,
    trust: &str,
    checkpoints: &[PathBuf],
    entry: Option<&Path>,
    policy: &WitnessPolicy,
) -> anyhow::Result<ExitCode> {
    let log_key = read_verifier_key(trust, "--trust")?;
    let parsed: AnyProof = serde_json::from_slice(&read_file(proof)?).with_context(|| {
        format!(
            "{} is neither an inclusion proof {{leaf_index, tree_size, leaf_hash, hashes}} nor a consistency proof {{old_size, new_size, hashes}}",
            proof.display()
        )
    })?;
    let mut cps = Vec::new();
    for path in checkpoints {
        match read_checkpoint(path, &log_key, policy)? {
            Ok(cp) => cps.push(cp),
            Err(e) => {
                outln!("REJECTED: {}", term::inert(&e));
                return Ok(ExitCode::from(1));
            }
        }
    }
    let checked = verify_proof::check_proof(&parsed, &cps, entry.map(|e| || read_file(e)))
        .map_err(|e| match e.downcast::<ProofInputError>() {
            Ok(ProofInputError::NoCheckpoint { size }) => {
                anyhow!("no --checkpoint of size {size} was given")
            }
            Ok(e) => e.into(),
            Err(e) => e,
        })?;
    let line = match checked {
        Ok(Proven::Inclusion {
            leaf_index,
            origin,
            tree_size,
        }) => {
            let msg = format!(
                "entry {leaf_index} is in {origin} at tree size {tree_size} (checkpoint signed by {})",
                log_key.key_ref()
            );
            outln!("OK: {}", term::inert(&msg));
            return Ok(ExitCode::SUCCESS);
        }
        Ok(Proven::Consistency {
            origin,
            old_size,
            new_size,
        }) => {
            let msg = format!(
                "the tree of {origin} at size {new_size} extends the tree at size {old_size} (append-only)"
            );
            outln!("OK: {}", term::inert(&msg));
            return Ok(ExitCode::SUCCESS);
        }
        Err(ProofRejection::NotTheEntry) => format!(
            "REJECTED: {} is not the entry this proof is for (its hash differs from leaf_hash)",
            entry.map(|e| e.display().to_string()).unwrap_or_default()
        ),
        Err(ProofRejection::DoesNotVerify(e)) => format!(
            "REJECTED: the proof does not verify: {}",
            term::inert(&e.to_string())
        ),
    };
    outln!("{line}");
    Ok(ExitCode::from(1))
}

/// `acta verify-bundle`.
pub fn verify_bundle(
    bundle: &Path,
    trust: &str,
    author_key: Option<&str>,
    policy: &WitnessPolicy,
) -> anyhow::Result<ExitCode> {
    let log_key = read_verifier_key(trust, "--trust")?;
    let author_key = author_key
        .map(|k| read_verifier_key(k, "--author-key"))
        .transpose()?;
    let checked = match verify_proof::check_bundle(
        &read_file(bundle)?,
        &log_key,
        author_key.as_ref(),
        &policy.0,
    ) {
        Ok(checked) => checked,
        Err(e @ BundleError::NotABundle(_)) => {
            return Err(anyhow!(e))
                .with_context(|| format!("{} is not a tlog-proof bundle", bundle.display()));
        }
        Err(BundleError::NoEntry) => bail!(
            "{} carries no entry (its `extra` line is missing)",
            bundle.display()
        ),
        Err(BundleError::WrongAuthorKey { given, seq, author }) => bail!(
            "--author-key is {given}, but entry {seq} names the author {author}: give that author's verifier key"
        ),
        Err(e) => bail!("{e}"),
    };
    let which = |with: SignedWith| match with {
        SignedWith::AuthorKey => "given with --author-key",
        SignedWith::LogKey => "the --trust key",
    };
    let verified = match checked {
        Ok(v) => v,
        Err(rejection) => {
            let line = match rejection {
                BundleRejection::Checkpoint(e) => format!(
                    "REJECTED: the bundle's checkpoint: {}",
                    term::inert(&e.to_string())
                ),
                BundleRejection::NotIncluded(e) => {
                    format!("REJECTED: the entry is not proven to be in the log: {e}")
                }
                BundleRejection::NotInPlace => {
                    "REJECTED: the entry's seq or bytes do not match its place in the log"
                        .to_owned()
                }
                BundleRejection::Malformed(e) => format!(
                    "REJECTED: the bundled entry is malformed: {}",
                    term::inert(&e.to_string())
                ),
                BundleRejection::BadSignature { seq, author, with } => term::inert(&format!(
                    "REJECTED: entry {seq}'s signature does not verify with its author's key {author} ({})",
                    which(with)
                ))
                .to_string(),
            };
            outln!("{line}");
            return Ok(ExitCode::from(1));
        }
    };
    let (cp, e) = (&verified.checkpoint, &verified.entry);
    let signature = match verified.signed_with {
        Some(with) => format!(
            "signature: verifies: signed by {} ({})",
            e.author,
            which(with)
        ),
        None => format!(
            "signature: NOT CHECKED: the entry names {} as its author, but the bundle does not carry that key; give it with --author-key, or verify the log",
            e.author
        ),
    };
    // The entry's type, author, time and the checkpoint's origin come from the bundle: inert.
    let ok = format!(
        "OK: entry {} ({}, recorded {}) is in {} at tree size {} (checkpoint signed by {}{})",
        e.seq,
        e.entry_type,
        e.recorded_at,
        cp.checkpoint.origin,
        cp.checkpoint.size,
        log_key.key_ref(),
        witness_summary(cp)
    );
    outln!("{}", term::inert(&ok));
    outln!("{}", term::inert(&signature));
    let authorisation = format!(
        "authorisation: not checked (whether that key could sign {} at entry {} needs the log: acta verify)",
        e.entry_type, e.seq
    );
    outln!("{}", term::inert(&authorisation));
    let data = acta_core::json::Value::Object(e.data.clone()).to_string();
    outln!("{}", term::inert_json(&data));
    Ok(ExitCode::SUCCESS)
}

fn witness_summary(cp: &VerifiedCheckpoint) -> String {
    if cp.witnesses.is_empty() {
        return String::new();
    }
    let names: Vec<String> = cp.witnesses.iter().map(|(k, _)| k.to_string()).collect();
    format!("; cosigned by {}", names.join(", "))
}

/// A witness state error as printed, with what to do next (paths made inert).
fn state_error(e: WitnessStateError) -> anyhow::Error {
    let shown = |p: &Path| term::inert(&p.display().to_string()).to_string();
    match e {
        WitnessStateError::FolderUnreadable { dir, source } => anyhow!(source).context(format!(
            "cannot read the folder of the witness state {}",
            shown(&dir)
        )),
        WitnessStateError::FolderNotPrivate { dir, mode, uid } => anyhow!(
            "the witness state's folder {} can be written by another account (mode {mode:o}, owner uid {uid}): whoever can write it could roll the state back and make this witness cosign a fork; keep the state in a folder only this account can write (e.g. chmod go-w {}); nothing was cosigned",
            shown(&dir),
            shown(&dir)
        ),
        WitnessStateError::FileNotPrivate { path, mode, uid } => anyhow!(
            "the witness state {} can be written by another account (mode {mode:o}, owner uid {uid}): keep it writable by this account only (chmod go-w {}); nothing was cosigned",
            shown(&path),
            shown(&path)
        ),
        WitnessStateError::Missing { path } => anyhow!(
            "there is no witness state at {}: if this witness has never cosigned this log, run again with --first-use to start its state with this checkpoint; otherwise restore the state from a backup (cosigning without it could cosign a fork); nothing was cosigned",
            shown(&path)
        ),
        WitnessStateError::AlreadyStarted { path } => anyhow!(
            "--first-use, but {} already holds a witness state: run again without --first-use; nothing was cosigned",
            shown(&path)
        ),
        WitnessStateError::NotAuthentic { path, reason } => anyhow!(
            "the witness state {} is not a checkpoint of this log cosigned by this witness ({}): it was altered, or written by someone else or by an older acta; nothing was cosigned. Restore it from a backup, or, only if this witness never cosigned this log, move it away and run again with --first-use",
            shown(&path),
            term::inert(&reason.to_string())
        ),
        e => e.into(),
    }
}

pub fn witness(cmd: WitnessCommand) -> anyhow::Result<ExitCode> {
    let WitnessCommand::Cosign {
        key,
        log_key,
        state,
        first_use,
        checkpoint,
        proof,
        out,
    } = cmd;
    let key = read_signing_key(&key)?;
    let me = CosignerKey::from_signing_key(&key);
    let log_key = read_verifier_key(&log_key, "--log-key")?;
    if let Some(out) = &out
        && out.symlink_metadata().is_ok()
    {
        bail!("{} already exists; choose a new --out path", out.display());
    }
    let state = WitnessState::open(&state).map_err(state_error)?;
    let none = WitnessPolicy(checkpoint::WitnessPolicy::none());
    let cp = match read_checkpoint(&checkpoint, &log_key, &none)? {
        Ok(cp) => cp,
        Err(e) => {
            outln!("REFUSED: {}", term::inert(&e));
            return Ok(ExitCode::from(1));
        }
    };
    let new = &cp.checkpoint;
    let previous = state.read(&log_key, &me, first_use).map_err(state_error)?;
    if let Some(old) = previous.as_ref().map(|p| &p.checkpoint) {
        let refuse = |why: Refusal| -> anyhow::Result<ExitCode> {
            let line = format!(
                "REFUSED: {why}; this witness cosigned {} at size {} before",
                old.origin, old.size
            );
            outln!("{}", term::inert(&line));
            Ok(ExitCode::from(1))
        };
        let read = proof.as_deref().map(|p| (p, || read_file(p)));
        let decision = witness_state::check_extension(old, new, read).map_err(|e| {
            match e.downcast::<ExtensionProofError>() {
                Ok(ExtensionProofError::Needed { from, to }) => anyhow!(
                    "a consistency proof from size {from} to {to} is needed: `acta prove consistency LOG --from {from} --to {to}`"
                ),
                Ok(e) => e.into(),
                Err(e) => e,
            }
        })?;
        if let Err(why) = decision {
            return refuse(why);
        }
    }
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let text = witness_state::cosign(&cp.note, &key, now).map_err(|e| anyhow!("{e}"))?;
    // The new state is the cosigned note itself, durable before the cosignature is released.
    state.replace(text.as_bytes()).map_err(state_error)?;
    if let Some(out) = out {
        write_new_file(&out, text.as_bytes())?;
    }
    out!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// Reads and checks the checkpoints given to `acta verify` (`None` if none was given). An
/// unreadable file is an error (exit 2); a checkpoint that does not pass is a problem of the
/// set (exit 1).
pub fn check_checkpoints(
    paths: &[PathBuf],
    log_key: Option<&acta_core::VerifierKey>,
    origin: Option<&str>,
    policy: &WitnessPolicy,
) -> anyhow::Result<Option<CheckpointSet>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let Some(log_key) = log_key else {
        bail!(
            "--checkpoint needs --trust: a checkpoint is only evidence if the log's key signed it"
        );
    };
    let notes = paths
        .iter()
        .map(|p| Ok((p.clone(), read_file(p)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(CheckpointSet::check(
        notes, log_key, origin, &policy.0,
    )))
}

/// Renders the evidence of a fork: for each checkpoint the log does not reproduce, both signed
/// notes (one the log matches, one it does not) and the consistency proof that fails.
pub fn fork_evidence(evidence: &[ForkEvidence<'_>]) -> String {
    let mut s = String::new();
    for ev in evidence {
        let (path, bad) = ev.unreproduced;
        s.push_str(&format!(
            "\nFORK EVIDENCE: {} is signed by the log's key but the log does not reproduce it.\n",
            path.display()
        ));
        s.push_str(&format!(
            "--- {} ---\n{}",
            path.display(),
            note_text(&bad.note)
        ));
        let Some((good_path, good)) = ev.reproduced else {
            continue;
        };
        s.push_str(&format!(
            "--- {} (the log reproduces this one) ---\n{}",
            good_path.display(),
            note_text(&good.note)
        ));
        if let ForkProof::Made { proof, verifies } = &ev.proof {
            s.push_str(&format!(
                "--- consistency proof {} → {} from the log ---\n{}\n",
                proof.old_size,
                proof.new_size,
                serde_json::to_string_pretty(proof).unwrap_or_default()
            ));
            if let Err(e) = verifies {
                s.push_str(&format!(
                    "it does not verify between the two signed checkpoints: {e}\n"
                ));
            }
        }
    }
    s
}

/// A note's text for the terminal: each line made inert.
fn note_text(note: &Note) -> String {
    let text = note.to_text().unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for line in text.split_terminator('\n') {
        out.push_str(&term::inert(line));
        out.push('\n');
    }
    out
}
