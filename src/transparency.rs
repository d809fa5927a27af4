//! The transparency commands: checkpoints, proofs, offline bundles, witnesses, and the
//! checkpoint checks of `acta verify`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acta_core::EntryHash;
use acta_core::note::{
    self, Checkpoint, CosignerKey, Note, TlogProof, VerifiedCheckpoint, verify_checkpoint_note,
};
use acta_core::tree::{self, Hash, HashReader as _};
use acta_store::side_file::{self, Access};
use acta_store::{CheckpointDir, FileStore, LogWriter, ScanItem, Store as _, TreeFile};
use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use clap::Subcommand;
use serde::{Deserialize, Serialize};

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
        /// The witness's state file: the last checkpoint it cosigned for this log.
        #[arg(long)]
        state: PathBuf,
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

/// `acta prove inclusion` output.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    pub leaf_index: u64,
    pub tree_size: u64,
    pub leaf_hash: String,
    pub hashes: Vec<String>,
}

/// `acta prove consistency` output.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyProof {
    pub old_size: u64,
    pub new_size: u64,
    pub hashes: Vec<String>,
}

/// Either kind of proof, as read by `acta verify-proof`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum AnyProof {
    Inclusion(InclusionProof),
    Consistency(ConsistencyProof),
}

fn b64(h: &Hash) -> String {
    BASE64.encode(h)
}

fn unb64(s: &str, what: &str) -> anyhow::Result<Hash> {
    BASE64
        .decode(s)
        .ok()
        .and_then(|v| <Hash>::try_from(v).ok())
        .ok_or_else(|| anyhow!("{what} is not the base64 of a 32-byte hash"))
}

fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::File::open(path)
        .and_then(|f| read_limited(f, MAX_ARTIFACT_BYTES))
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
pub struct WitnessPolicy {
    pub witnesses: Vec<CosignerKey>,
    pub threshold: usize,
}

impl WitnessPolicy {
    pub fn from_args(witnesses: &[String], threshold: Option<usize>) -> anyhow::Result<Self> {
        let witnesses = witnesses
            .iter()
            .map(|w| read_cosigner_key(w, "--witness"))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let threshold = threshold.unwrap_or(witnesses.len());
        if threshold > witnesses.len() {
            bail!(
                "--witness-threshold {threshold} is more than the {} witnesses given",
                witnesses.len()
            );
        }
        Ok(WitnessPolicy {
            witnesses,
            threshold,
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
    Ok(
        verify_checkpoint_note(&bytes, log_key, &policy.witnesses, policy.threshold)
            .map_err(|e| format!("checkpoint {}: {e}", path.display())),
    )
}

/// A log's tree, read from the tree file beside it (for proofs: O(log n) reads).
fn open_tree(log: &Path) -> anyhow::Result<TreeFile> {
    // Opening the log first gives a clear error for a missing or unusable log path.
    FileStore::open_reader(log)?;
    TreeFile::open_reader(&TreeFile::path_for(log))?.ok_or_else(|| {
        anyhow!(
            "{} has no tree file beside it; run `acta repair {}` to build it",
            log.display(),
            log.display()
        )
    })
}

fn latest_size(log: &Path) -> anyhow::Result<u64> {
    CheckpointDir::for_log(log)
        .latest()?
        .map(|(size, _)| size)
        .ok_or_else(|| {
            anyhow!(
                "{} has no checkpoint yet: run `acta checkpoint {} --key FILE`, or give the size",
                log.display(),
                log.display()
            )
        })
}

/// The root at `size` that proofs are checked against before they are printed, so that a
/// damaged tree file is caught instead of yielding a wrong proof: the root of the checkpoint
/// kept for that size (computed from the log's lines when it was signed), or else the root
/// computed from the log's first `size` lines (a streaming pass). The tree file's own root
/// must agree with it.
fn checked_root(log: &Path, tree: &TreeFile, size: u64) -> anyhow::Result<Hash> {
    let from_tree = tree::tree_hash(size, tree).map_err(|e| anyhow!("{e:?}"))?;
    let dir = CheckpointDir::for_log(log);
    let kept = dir.file_for(size);
    let (root, source) = match dir.read(size)? {
        Some(bytes) => {
            let cp = Note::parse(&bytes)
                .ok()
                .and_then(|n| Checkpoint::parse(&n.text).ok())
                .ok_or_else(|| {
                    anyhow!(
                        "the kept checkpoint {} is not a checkpoint note",
                        kept.display()
                    )
                })?;
            (
                cp.root,
                format!("the checkpoint kept for size {size} ({})", kept.display()),
            )
        }
        None => (
            root_from_log(log, size)?,
            format!("the root of the log's first {size} entries"),
        ),
    };
    if from_tree != root {
        bail!(
            "the tree file {} disagrees with {source}: the tree file is damaged; run `acta repair {}` to rebuild it",
            tree.path().display(),
            log.display()
        );
    }
    Ok(root)
}

/// The RFC 6962 root of the log's first `size` lines, computed from the lines.
fn root_from_log(log: &Path, size: u64) -> anyhow::Result<Hash> {
    let store = FileStore::open_reader(log)?;
    let mut frontier = tree::Frontier::new();
    for item in store.scan()? {
        if frontier.size() == size {
            break;
        }
        match item? {
            ScanItem::Line(line) => {
                frontier.push(EntryHash::of_line(&line.bytes));
            }
            ScanItem::TooLong { offset, .. } => bail!(
                "{}: the line at byte {offset} is over the entry limit; run `acta verify`",
                log.display()
            ),
            ScanItem::Torn { .. } => break,
        }
    }
    if frontier.size() < size {
        bail!(
            "{} has only {} entries, fewer than {size}",
            log.display(),
            frontier.size()
        );
    }
    Ok(frontier.root())
}

fn tree_damaged(log: &Path, e: tree::ProofError) -> anyhow::Error {
    anyhow!(
        "the tree file gives an invalid proof ({e}): it is damaged; run `acta repair {}` to rebuild it",
        log.display()
    )
}

fn check_size(tree: &TreeFile, size: u64) -> anyhow::Result<()> {
    if size > tree.leaves() {
        bail!(
            "the tree of {} holds {} entries, fewer than {size}; if the log has more, run `acta repair` on it to rebuild the tree",
            tree.path().display(),
            tree.leaves()
        );
    }
    Ok(())
}

pub fn inclusion_proof(log: &Path, seq: u64, size: Option<u64>) -> anyhow::Result<InclusionProof> {
    let size = match size {
        Some(s) => s,
        None => latest_size(log)?,
    };
    if seq >= size {
        bail!("entry {seq} is not in a tree of {size} entries (seq must be below the size)");
    }
    let tree = open_tree(log)?;
    check_size(&tree, size)?;
    let proof = tree::prove_inclusion(size, seq, &tree).map_err(|e| anyhow!("{e:?}"))?;
    let leaf = tree.read_hashes(&[tree::stored_hash_index(0, seq)])?;
    let leaf = leaf.first().copied().unwrap_or_default();
    // Self-check against the root of the checkpoint kept for this size (or, without one, the
    // tree file's own root).
    let root = checked_root(log, &tree, size)?;
    tree::verify_inclusion(EntryHash(leaf), seq, size, &proof, root)
        .map_err(|e| tree_damaged(log, e))?;
    Ok(InclusionProof {
        leaf_index: seq,
        tree_size: size,
        leaf_hash: b64(&leaf),
        hashes: proof.iter().map(b64).collect(),
    })
}

pub fn consistency_proof(
    log: &Path,
    from: u64,
    to: Option<u64>,
) -> anyhow::Result<ConsistencyProof> {
    let to = match to {
        Some(s) => s,
        None => latest_size(log)?,
    };
    if from == 0 || from > to {
        bail!("--from must be at least 1 and at most the newer size ({to})");
    }
    let tree = open_tree(log)?;
    check_size(&tree, to)?;
    let proof = tree::prove_consistency(from, to, &tree).map_err(|e| anyhow!("{e:?}"))?;
    let old = checked_root(log, &tree, from)?;
    let new = checked_root(log, &tree, to)?;
    tree::verify_consistency(from, to, &proof, old, new).map_err(|e| tree_damaged(log, e))?;
    Ok(ConsistencyProof {
        old_size: from,
        new_size: to,
        hashes: proof.iter().map(b64).collect(),
    })
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
            let path = match checkpoint {
                Some(p) => p,
                None => CheckpointDir::for_log(&log)
                    .latest()?
                    .map(|(_, p)| p)
                    .ok_or_else(|| {
                        anyhow!(
                            "{} has no checkpoint yet: run `acta checkpoint` first",
                            log.display()
                        )
                    })?,
            };
            let note = Note::parse(&read_file(&path)?)
                .with_context(|| format!("checkpoint {}", path.display()))?;
            let cp = Checkpoint::parse(&note.text)
                .with_context(|| format!("checkpoint {}", path.display()))?;
            let proof = inclusion_proof(&log, seq, Some(cp.size))?;
            if proof_root(&log, cp.size)? != cp.root {
                bail!(
                    "checkpoint {} does not match this log's tree at size {}: it is not this log's, or the log was rewritten (check with `acta verify --checkpoint`), or the tree file is damaged (`acta repair` rebuilds it)",
                    path.display(),
                    cp.size
                );
            }
            // A bundle is made only from a log that verifies (signatures included) and whose
            // lines reproduce the checkpoint's root, in one pass; the packed line is then bound
            // to that pass by its inclusion proof against that root, checked before printing.
            let report = acta_store::verify(
                &FileStore::open_reader(&log)?,
                acta_core::VerifyOptions {
                    expect_roots: vec![(cp.size, cp.root)],
                    ..acta_core::VerifyOptions::default()
                },
            )?;
            // Findings about later lines do not touch the checkpoint's tree; any finding in it,
            // or about its root, does.
            let in_tree = report.findings.iter().find(|f| {
                f.entry < cp.size
                    || matches!(
                        f.kind,
                        acta_core::FindingKind::RootMismatch { .. }
                            | acta_core::FindingKind::CheckpointBeyondLog { .. }
                    )
            });
            if let Some(first) = in_tree {
                bail!(
                    "{} does not verify (entry {}: {}), so no bundle is made from it; run `acta verify {}` for the full report",
                    log.display(),
                    first.entry,
                    first.kind,
                    log.display()
                );
            }
            let entry = read_entry_line(&log, seq)?;
            let hashes = proof
                .hashes
                .iter()
                .map(|h| unb64(h, "proof hash"))
                .collect::<anyhow::Result<Vec<_>>>()?;
            tree::verify_inclusion(EntryHash::of_line(&entry), seq, cp.size, &hashes, cp.root)
                .map_err(|e| {
                    anyhow!(
                        "line {seq} of {} changed while the bundle was being made ({e}); try again",
                        log.display()
                    )
                })?;
            let bundle = TlogProof {
                extra: Some(entry),
                index: seq,
                proof: hashes,
                checkpoint: note,
            };
            out!("{}", bundle.to_text().map_err(|e| anyhow!("{e}"))?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn proof_root(log: &Path, size: u64) -> anyhow::Result<Hash> {
    let tree = open_tree(log)?;
    check_size(&tree, size)?;
    tree::tree_hash(size, &tree).map_err(|e| anyhow!("{e:?}"))
}

/// The stored bytes of line `seq` (streaming to it).
fn read_entry_line(log: &Path, seq: u64) -> anyhow::Result<Vec<u8>> {
    let store = FileStore::open_reader(log)?;
    let mut index = 0u64;
    for item in store.scan()? {
        match item? {
            ScanItem::Line(line) if index == seq => return Ok(line.bytes),
            ScanItem::Line(_) | ScanItem::TooLong { .. } => index += 1,
            ScanItem::Torn { .. } => break,
        }
    }
    bail!("{} has no entry {seq}", log.display())
}

/// `acta checkpoint`: signs the log's current head as a C2SP checkpoint and keeps it.
pub fn checkpoint(
    log: &Path,
    key: &Path,
    out: Option<&Path>,
    expect_origin: Option<String>,
) -> anyhow::Result<ExitCode> {
    let key = read_signing_key(key)?;
    // The writer lock gives a stable head. The log is verified in full, signatures included
    // (not resumed from the writer's state file), so that the signed root is computed from
    // lines verified in this same pass: a log with any finding (a forged line among them) is
    // refused, and nothing is signed. Opening writes nothing beside the log; the tree file is
    // brought up to date only once the key may sign.
    let expect = acta_store::log::Expect {
        origin: expect_origin,
        head: None,
    };
    let mut writer = LogWriter::open_replaying(log, &key, &expect)
        .with_context(|| format!("cannot checkpoint {}", log.display()))?;
    let chain = writer.chain();
    // Verifiers check checkpoints against the trust anchor, the key that signed the genesis:
    // only that key, while it is not revoked, signs checkpoints.
    let is_anchor = chain.genesis_author() == Some(&key.key_ref());
    match chain.keyring().get(&key.key_ref()) {
        Some(rec) if is_anchor && rec.key == key.verifier() && rec.revoked_at.is_none() => {}
        _ => bail!(
            "key {} may not sign checkpoints of {}: checkpoints are signed by the key that signed the genesis (the log's trust anchor), while it is not revoked",
            key.key_ref(),
            log.display()
        ),
    }
    // The root comes from the log's lines (replayed on open), never from the tree file.
    let frontier = writer.frontier();
    let checkpoint = Checkpoint {
        origin: chain.origin().unwrap_or_default().to_owned(),
        size: frontier.size(),
        root: frontier.root(),
        extensions: Vec::new(),
    };
    let text = checkpoint.to_text().map_err(|e| anyhow!("{e}"))?;
    let note = note::sign_note(&text, &key).map_err(|e| anyhow!("{e}"))?;
    let (kept, _) = CheckpointDir::for_log(log).save(checkpoint.size, &note)?;
    if let Some(out) = out {
        write_new_file(out, note.as_bytes())?;
    }
    // Signed and kept: only now are the files derived from the verified log (the tree file,
    // for proofs, and the state file) brought up to date, so that a refused checkpoint writes
    // nothing beside the log. They are derived data: a failure here costs a rebuild later.
    if let Err(e) = writer.save_derived() {
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

/// What the witness's state file is called in errors.
const WITNESS_STATE: &str = "the witness state";

/// Replaces the witness state file atomically: a new file with an unpredictable name beside
/// it, synced, renamed over it, and the directory synced (the new state must be durable
/// before the cosignature is released). A symbolic link or a non-file at the path is refused:
/// the witness state is not derived data, so nothing planted there is silently replaced.
fn replace_state_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    // Refuses a link, a FIFO or a directory (without following or blocking on it).
    side_file::open(path, WITNESS_STATE, Access::Read)?;
    side_file::replace(path, WITNESS_STATE, bytes, true)?;
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
    let find = |size: u64| {
        cps.iter()
            .find(|c| c.checkpoint.size == size)
            .ok_or_else(|| anyhow!("no --checkpoint of size {size} was given"))
    };
    let result = match &parsed {
        AnyProof::Inclusion(p) => {
            let cp = find(p.tree_size)?;
            let leaf = EntryHash(unb64(&p.leaf_hash, "leaf_hash")?);
            if let Some(entry) = entry {
                let mut line = read_file(entry)?;
                if line.last() == Some(&b'\n') {
                    line.pop();
                }
                if EntryHash::of_line(&line) != leaf {
                    outln!(
                        "REJECTED: {} is not the entry this proof is for (its hash differs from leaf_hash)",
                        entry.display()
                    );
                    return Ok(ExitCode::from(1));
                }
            }
            let hashes = decode_hashes(&p.hashes)?;
            tree::verify_inclusion(leaf, p.leaf_index, p.tree_size, &hashes, cp.checkpoint.root)
                .map(|()| {
                    format!(
                        "entry {} is in {} at tree size {} (checkpoint signed by {})",
                        p.leaf_index,
                        cp.checkpoint.origin,
                        p.tree_size,
                        log_key.key_ref()
                    )
                })
        }
        AnyProof::Consistency(p) => {
            let old = find(p.old_size)?;
            let new = find(p.new_size)?;
            if old.checkpoint.origin != new.checkpoint.origin {
                bail!("the two checkpoints are of different logs (origins differ)");
            }
            let hashes = decode_hashes(&p.hashes)?;
            tree::verify_consistency(
                p.old_size,
                p.new_size,
                &hashes,
                old.checkpoint.root,
                new.checkpoint.root,
            )
            .map(|()| {
                format!(
                    "the tree of {} at size {} extends the tree at size {} (append-only)",
                    new.checkpoint.origin, p.new_size, p.old_size
                )
            })
        }
    };
    match result {
        Ok(msg) => {
            outln!("OK: {}", term::inert(&msg));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            outln!(
                "REJECTED: the proof does not verify: {}",
                term::inert(&e.to_string())
            );
            Ok(ExitCode::from(1))
        }
    }
}

fn decode_hashes(hashes: &[String]) -> anyhow::Result<Vec<Hash>> {
    hashes
        .iter()
        .enumerate()
        .map(|(i, h)| unb64(h, &format!("hashes[{i}]")))
        .collect()
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
    let proof = TlogProof::parse(&read_file(bundle)?)
        .with_context(|| format!("{} is not a tlog-proof bundle", bundle.display()))?;
    let Some(entry) = &proof.extra else {
        bail!(
            "{} carries no entry (its `extra` line is missing)",
            bundle.display()
        );
    };
    let note_text = proof.checkpoint.to_text().map_err(|e| anyhow!("{e}"))?;
    let cp = match verify_checkpoint_note(
        note_text.as_bytes(),
        &log_key,
        &policy.witnesses,
        policy.threshold,
    ) {
        Ok(cp) => cp,
        Err(e) => {
            outln!(
                "REJECTED: the bundle's checkpoint: {}",
                term::inert(&e.to_string())
            );
            return Ok(ExitCode::from(1));
        }
    };
    let leaf = EntryHash::of_line(entry);
    if let Err(e) = tree::verify_inclusion(
        leaf,
        proof.index,
        cp.checkpoint.size,
        &proof.proof,
        cp.checkpoint.root,
    ) {
        outln!("REJECTED: the entry is not proven to be in the log: {e}");
        return Ok(ExitCode::from(1));
    }
    let decoded = match acta_core::Entry::decode(entry) {
        Ok(d) if d.entry.seq == proof.index && d.non_canonical_at.is_none() => d,
        Ok(_) => {
            outln!("REJECTED: the entry's seq or bytes do not match its place in the log");
            return Ok(ExitCode::from(1));
        }
        Err(e) => {
            outln!(
                "REJECTED: the bundled entry is malformed: {}",
                term::inert(&e.to_string())
            );
            return Ok(ExitCode::from(1));
        }
    };
    let e = &decoded.entry;
    // The signature is checked with the author's key when the verifier has it: the trust key
    // itself, or --author-key. A bundle never claims an author whose signature it did not check.
    let key = match &author_key {
        Some(k) if k.key_ref() != e.author => bail!(
            "--author-key is {}, but entry {} names the author {}: give that author's verifier key",
            k.key_ref(),
            e.seq,
            e.author
        ),
        Some(k) => Some((k, "given with --author-key")),
        None if log_key.key_ref() == e.author => Some((&log_key, "the --trust key")),
        None => None,
    };
    let signature = match key {
        Some((k, which)) if decoded.signed_by(&cp.checkpoint.origin, k) => {
            format!("signature: verifies: signed by {} ({which})", e.author)
        }
        Some((_, which)) => {
            let line = format!(
                "REJECTED: entry {}'s signature does not verify with its author's key {} ({which})",
                e.seq, e.author
            );
            outln!("{}", term::inert(&line));
            return Ok(ExitCode::from(1));
        }
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
        witness_summary(&cp)
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

/// A witness's memory of the last checkpoint it cosigned for a log.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WitnessState {
    origin: String,
    size: u64,
    root: String,
}

pub fn witness(cmd: WitnessCommand) -> anyhow::Result<ExitCode> {
    let WitnessCommand::Cosign {
        key,
        log_key,
        state,
        checkpoint,
        proof,
        out,
    } = cmd;
    let key = read_signing_key(&key)?;
    let log_key = read_verifier_key(&log_key, "--log-key")?;
    if let Some(out) = &out
        && out.symlink_metadata().is_ok()
    {
        bail!("{} already exists; choose a new --out path", out.display());
    }
    // One cosigner at a time per state file, from reading the state to replacing it, so two
    // runs cannot both extend the same old state with different (forked) checkpoints.
    let mut lock_name = state.as_os_str().to_owned();
    lock_name.push(".lock");
    let lock_path = PathBuf::from(lock_name);
    // Never through a link, never blocking on a FIFO.
    let lock = side_file::open(&lock_path, "the witness lock", Access::CreateReadWrite)?
        .ok_or_else(|| anyhow!("cannot open the witness lock {}", lock_path.display()))?;
    lock.lock()
        .with_context(|| format!("cannot lock {}", lock_path.display()))?;
    let none = WitnessPolicy {
        witnesses: Vec::new(),
        threshold: 0,
    };
    let cp = match read_checkpoint(&checkpoint, &log_key, &none)? {
        Ok(cp) => cp,
        Err(e) => {
            outln!("REFUSED: {}", term::inert(&e));
            return Ok(ExitCode::from(1));
        }
    };
    let new = &cp.checkpoint;
    // The state is not derived data: a link, FIFO, directory or oversized file there is
    // refused (never followed, never blocked on, never read whole).
    let previous: Option<WitnessState> =
        match side_file::read_bounded(&state, WITNESS_STATE, MAX_ARTIFACT_BYTES as u64)? {
            Some(bytes) => Some(serde_json::from_slice(&bytes).with_context(|| {
                format!(
                    "witness state {} is not a state file written by acta",
                    term::inert(&state.display().to_string())
                )
            })?),
            None => None,
        };
    if let Some(old) = &previous {
        let old_root = unb64(&old.root, "the state's root")?;
        let refuse = |why: String| -> anyhow::Result<ExitCode> {
            let line = format!(
                "REFUSED: {why}; this witness cosigned {} at size {} before",
                old.origin, old.size
            );
            outln!("{}", term::inert(&line));
            Ok(ExitCode::from(1))
        };
        if old.origin != new.origin {
            return refuse(format!(
                "the checkpoint is for {}, not {}",
                new.origin, old.origin
            ));
        }
        if new.size < old.size {
            return refuse(format!("the log went back to size {} (rollback)", new.size));
        }
        if new.size == old.size {
            if new.root != old_root {
                return refuse("a different root for the same size (a fork)".to_owned());
            }
        } else {
            let Some(proof) = &proof else {
                bail!(
                    "a consistency proof from size {} to {} is needed: `acta prove consistency LOG --from {} --to {}`",
                    old.size,
                    new.size,
                    old.size,
                    new.size
                );
            };
            let p: ConsistencyProof = serde_json::from_slice(&read_file(proof)?)
                .with_context(|| format!("{} is not a consistency proof", proof.display()))?;
            if p.old_size != old.size || p.new_size != new.size {
                bail!(
                    "{} proves {} → {}, but {} → {} is needed",
                    proof.display(),
                    p.old_size,
                    p.new_size,
                    old.size,
                    new.size
                );
            }
            let hashes = decode_hashes(&p.hashes)?;
            if let Err(e) =
                tree::verify_consistency(old.size, new.size, &hashes, old_root, new.root)
            {
                return refuse(format!(
                    "the consistency proof does not verify ({e}): a fork"
                ));
            }
        }
    }
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let mut note = cp.note.clone();
    let sig = note::cosign(&note.text, &key, now).map_err(|e| anyhow!("{e}"))?;
    note.signatures.retain(|s| s.key_ref() != sig.key_ref());
    note.signatures.push(sig);
    let text = note.to_text().map_err(|e| anyhow!("{e}"))?;
    let new_state = WitnessState {
        origin: new.origin.clone(),
        size: new.size,
        root: b64(&new.root),
    };
    replace_state_file(&state, serde_json::to_string_pretty(&new_state)?.as_bytes())?;
    if let Some(out) = out {
        write_new_file(&out, text.as_bytes())?;
    }
    out!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// The checkpoints given to `acta verify`, checked and ready for the verifier.
pub struct CheckpointCheck {
    pub roots: Vec<(u64, Hash)>,
    pub checkpoints: Vec<(PathBuf, VerifiedCheckpoint)>,
    /// Problems that make the verification fail (bad signatures, too few witnesses, …).
    pub problems: Vec<String>,
}

pub fn check_checkpoints(
    paths: &[PathBuf],
    log_key: Option<&acta_core::VerifierKey>,
    origin: Option<&str>,
    policy: &WitnessPolicy,
) -> anyhow::Result<CheckpointCheck> {
    let mut out = CheckpointCheck {
        roots: Vec::new(),
        checkpoints: Vec::new(),
        problems: Vec::new(),
    };
    if paths.is_empty() {
        return Ok(out);
    }
    let Some(log_key) = log_key else {
        bail!(
            "--checkpoint needs --trust: a checkpoint is only evidence if the log's key signed it"
        );
    };
    for path in paths {
        match read_checkpoint(path, log_key, policy)? {
            // A checkpoint of another log says nothing about this one's history.
            Ok(cp) if origin.is_some_and(|o| o != cp.checkpoint.origin) => {
                out.problems.push(format!(
                    "checkpoint {} is for origin {:?}, not this log's",
                    path.display(),
                    cp.checkpoint.origin
                ));
            }
            Ok(cp) => {
                out.roots.push((cp.checkpoint.size, cp.checkpoint.root));
                out.checkpoints.push((path.clone(), cp));
            }
            Err(e) => out.problems.push(e),
        }
    }
    // Two signed checkpoints with different roots for one size: a fork, whatever the log says.
    for (i, (pa, a)) in out.checkpoints.iter().enumerate() {
        for (pb, b) in &out.checkpoints[i + 1..] {
            if a.checkpoint.origin == b.checkpoint.origin
                && a.checkpoint.size == b.checkpoint.size
                && a.checkpoint.root != b.checkpoint.root
            {
                out.problems.push(format!(
                    "FORK: {} and {} are both signed by {} for size {} of {} with different roots",
                    pa.display(),
                    pb.display(),
                    log_key.key_ref(),
                    a.checkpoint.size,
                    a.checkpoint.origin
                ));
            }
        }
    }
    Ok(out)
}

/// Prints the evidence of a fork: for each checkpoint the log does not reproduce, both signed
/// notes (one the log matches, one it does not) and the consistency proof that fails.
/// `reproduced` are the (size, root) pairs the log was seen to reproduce.
pub fn fork_evidence(
    log: &Path,
    check: &CheckpointCheck,
    mismatched: &[(u64, String)],
    reproduced: &[(u64, String)],
) -> String {
    let mut s = String::new();
    let key = |c: &VerifiedCheckpoint| (c.checkpoint.size, b64(&c.checkpoint.root));
    let is_bad = |c: &VerifiedCheckpoint| mismatched.contains(&key(c));
    let matching: Vec<&(PathBuf, VerifiedCheckpoint)> = check
        .checkpoints
        .iter()
        .filter(|(_, c)| reproduced.contains(&key(c)))
        .collect();
    for (path, bad) in check.checkpoints.iter().filter(|(_, c)| is_bad(c)) {
        s.push_str(&format!(
            "\nFORK EVIDENCE: {} is signed by the log's key but the log does not reproduce it.\n",
            path.display()
        ));
        s.push_str(&format!(
            "--- {} ---\n{}",
            path.display(),
            note_text(&bad.note)
        ));
        if let Some((good_path, good)) = matching.last() {
            s.push_str(&format!(
                "--- {} (the log reproduces this one) ---\n{}",
                good_path.display(),
                note_text(&good.note)
            ));
            let (small, large) = if good.checkpoint.size <= bad.checkpoint.size {
                (good, bad)
            } else {
                (bad, good)
            };
            if small.checkpoint.size >= 1
                && let Ok(p) =
                    consistency_proof(log, small.checkpoint.size, Some(large.checkpoint.size))
            {
                let verdict = decode_hashes(&p.hashes).map(|h| {
                    tree::verify_consistency(
                        p.old_size,
                        p.new_size,
                        &h,
                        small.checkpoint.root,
                        large.checkpoint.root,
                    )
                });
                s.push_str(&format!(
                    "--- consistency proof {} → {} from the log ---\n{}\n",
                    p.old_size,
                    p.new_size,
                    serde_json::to_string_pretty(&p).unwrap_or_default()
                ));
                if let Ok(Err(e)) = verdict {
                    s.push_str(&format!(
                        "it does not verify between the two signed checkpoints: {e}\n"
                    ));
                }
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
