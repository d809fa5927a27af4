//! `acta`: the command-line tool for tamper-evident, event-sourced logs.
//!
//! Exit codes: 0 success (a sound log); 1 verification found problems; 2 unusable arguments,
//! refused input, or I/O errors (nothing was written).
#![forbid(unsafe_code)]

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acta_core::json::{self, Object, Profile, Value};
use acta_core::verify::Anchor;
use acta_core::{Entry, Genesis, KeyRef, Report, Roles, SigningKey, VerifierKey, VerifyOptions};
use acta_store::keyfile::KeyFileError;
use acta_store::listing::Listed;
use acta_store::{FileStore, LogWriter, RepairOutcome, Store as _};
use anyhow::{Context as _, anyhow, bail};
use clap::{Args, Parser, Subcommand};

/// `print!` that returns an error instead of panicking when standard output cannot be written
/// (a closed pipe, a full disk).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
            .map_err(|e| anyhow::anyhow!("cannot write to standard output: {e}"))?
    }};
}

/// `println!` that returns an error instead of panicking; see [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
            .map_err(|e| anyhow::anyhow!("cannot write to standard output: {e}"))?
    }};
}

mod domain_cmd;
mod hints;
mod import;
mod term;
mod transparency;

#[derive(Parser, Debug)]
#[command(
    name = "acta",
    version,
    about = "Tamper-evident, event-sourced record keeping"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate keys, print verifier keys, add or revoke a log's keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Create a new log whose genesis names its origin and its first key.
    Init {
        /// The log file to create (must not exist).
        log: PathBuf,
        /// The log's origin: a unique, URL-like name, e.g. example.org/cooperation-log.
        #[arg(long)]
        origin: String,
        /// The private key file of the log's first key (the trust anchor).
        #[arg(long)]
        key: PathBuf,
        /// The event domain the log records, e.g. icc-noncooperation/v1.
        #[arg(long)]
        domain: Option<String>,
    },
    /// Append one signed entry (durable when the command returns).
    Append {
        log: PathBuf,
        /// The author's private key file.
        #[arg(long)]
        key: PathBuf,
        /// The event type, e.g. note.added.
        #[arg(long = "type")]
        entry_type: String,
        /// The event data: a JSON object, @FILE, or - for standard input.
        #[arg(long)]
        data: String,
        #[command(flatten)]
        expect: ExpectArgs,
    },
    /// Append every event of a JSON Lines file, all or nothing, with one durable write.
    Import {
        log: PathBuf,
        /// The author's private key file.
        #[arg(long)]
        key: PathBuf,
        /// One event per line: {"type": T, "data": {...}}.
        events: PathBuf,
        #[command(flatten)]
        expect: ExpectArgs,
    },
    /// Verify every entry of a log: bytes, chain, signatures, keys and roles.
    Verify(VerifyArgs),
    /// Print entries (does not verify; run `acta verify` for that).
    Show {
        log: PathBuf,
        /// Only the entry with this seq.
        #[arg(long)]
        seq: Option<u64>,
        /// Only entries of this type.
        #[arg(long = "type")]
        entry_type: Option<String>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Print the log's head as SEQ:HASH (keep it to detect truncation later).
    Head { log: PathBuf },
    /// Repair the end of a log after a crash, after verifying it: move an incomplete last line,
    /// or the lines of a batch cut short, to a side file, or restore the newline a complete
    /// last entry lacks; then rebuild the tree file beside the log from its entries. A log with
    /// any other problem is left untouched.
    Repair {
        log: PathBuf,
        /// The verifier key that must have signed the genesis, or @FILE (default: the key the
        /// genesis names).
        #[arg(long)]
        trust: Option<String>,
    },
    /// Sign the log's current tree head as a C2SP checkpoint and keep it beside the log.
    Checkpoint {
        log: PathBuf,
        /// The private key file of the key that signed the genesis (the log's trust anchor),
        /// while it is not revoked: only that key signs checkpoints.
        #[arg(long)]
        key: PathBuf,
        /// Also write the checkpoint note to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Refuse (writing nothing) unless the log's genesis names this origin.
        #[arg(long)]
        expect_origin: Option<String>,
    },
    /// Print inclusion or consistency proofs, or an offline bundle.
    #[command(subcommand)]
    Prove(transparency::ProveCommand),
    /// Check a proof offline against signed checkpoints (no log needed).
    VerifyProof {
        /// The proof (JSON from `acta prove inclusion` or `acta prove consistency`).
        proof: PathBuf,
        /// The log's verifier key, or @FILE.
        #[arg(long)]
        trust: String,
        /// Checkpoint notes: one of the inclusion proof's size, or the two sizes of a
        /// consistency proof.
        #[arg(long, required = true)]
        checkpoint: Vec<PathBuf>,
        /// The entry line the inclusion proof is for (checked against its leaf hash).
        #[arg(long)]
        entry: Option<PathBuf>,
        #[command(flatten)]
        witnesses: WitnessArgs,
    },
    /// Check an offline bundle from `acta prove bundle` with the log's verifier key alone.
    VerifyBundle {
        bundle: PathBuf,
        /// The log's verifier key, or @FILE.
        #[arg(long)]
        trust: String,
        /// The verifier key of the entry's author, or @FILE, to check the entry's signature
        /// (needed unless the author is the --trust key itself; a bundle does not carry it).
        #[arg(long)]
        author_key: Option<String>,
        #[command(flatten)]
        witnesses: WitnessArgs,
    },
    /// Witness commands: check checkpoints for consistency and cosign them.
    #[command(subcommand)]
    Witness(transparency::WitnessCommand),
    /// Verify a domain log and print its state: warrants, persons, proceedings, Assembly
    /// matters, prevention episodes, focal points, States (as recorded, or as in effect on a
    /// date).
    State(domain_cmd::StateArgs),
    /// Verify a domain log and regenerate the Report of the Bureau on non-cooperation for a
    /// period, every statement footnoted to its entries.
    Report(domain_cmd::ReportArgs),
}

/// What the log must be before anything is appended to it.
#[derive(Args, Debug)]
struct ExpectArgs {
    /// Refuse (writing nothing) unless the log's genesis names this origin: binds the entry
    /// to the log you mean, even if the file was replaced by a copy of another log.
    #[arg(long)]
    expect_origin: Option<String>,
    /// Refuse (writing nothing) unless the log's head is exactly SEQ:HASH (from `acta head`):
    /// nothing was appended since, and the log is the one you saw.
    #[arg(long)]
    expect_head: Option<String>,
}

impl ExpectArgs {
    fn expect(&self) -> anyhow::Result<acta_store::log::Expect> {
        let head = self
            .expect_head
            .as_deref()
            .map(|h| {
                acta_store::log::parse_head(h).ok_or_else(|| {
                    anyhow!("--expect-head must be SEQ:HASH as printed by `acta head`, e.g. 41:9f2c…(64 hex digits)")
                })
            })
            .transpose()?;
        Ok(acta_store::log::Expect {
            origin: self.expect_origin.clone(),
            head,
        })
    }
}

#[derive(Args, Debug)]
struct WitnessArgs {
    /// A witness's cosigner key (NAME+ID+base64(0x04 ‖ key), or @FILE); repeatable.
    #[arg(long = "witness")]
    witness: Vec<String>,
    /// How many of the witnesses must have cosigned each checkpoint (default: all given).
    #[arg(long)]
    witness_threshold: Option<usize>,
}

impl WitnessArgs {
    fn policy(&self) -> anyhow::Result<transparency::WitnessPolicy> {
        transparency::WitnessPolicy::from_args(&self.witness, self.witness_threshold)
    }
}

#[derive(Subcommand, Debug)]
enum KeyCommand {
    /// Generate a key pair: write the private key file (mode 0600), print the verifier key.
    Generate {
        /// The key's name (no spaces, no '+').
        #[arg(long)]
        name: String,
        /// Where to write the private key (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the verifier key of a private key file.
    Verifier {
        keyfile: PathBuf,
        /// Print its witness cosigner key (C2SP tlog-cosignature, type 0x04) instead.
        #[arg(long)]
        cosigner: bool,
    },
    /// Add a key to a log, with the event types it may sign.
    Add {
        log: PathBuf,
        /// The private key file of an author allowed to add keys.
        #[arg(long)]
        key: PathBuf,
        /// The verifier key to add (NAME+ID+KEY), or @FILE.
        #[arg(long = "add")]
        new_key: String,
        /// Comma-separated event-type patterns it may sign: `*`, `prefix.*`, or exact types.
        #[arg(long, value_delimiter = ',', required = true)]
        roles: Vec<String>,
        /// Refuse (writing nothing) unless the log's genesis names this origin.
        #[arg(long)]
        expect_origin: Option<String>,
    },
    /// Revoke a key: entries it signs after this are findings.
    Revoke {
        log: PathBuf,
        /// The private key file of an author allowed to revoke keys.
        #[arg(long)]
        key: PathBuf,
        /// The key to revoke, as NAME+ID (or its full verifier key).
        #[arg(long = "revoke")]
        revoked: String,
        /// Why it is revoked (recorded in the log).
        #[arg(long)]
        reason: Option<String>,
        /// Refuse (writing nothing) unless the log's genesis names this origin.
        #[arg(long)]
        expect_origin: Option<String>,
    },
}

#[derive(Args, Debug)]
struct VerifyArgs {
    log: PathBuf,
    /// The trust anchor: the verifier key that must have signed the genesis, or @FILE.
    #[arg(long)]
    trust: Option<String>,
    /// Exit 0 for a self-consistent log even without --trust.
    #[arg(long)]
    allow_unanchored: bool,
    /// A head seen before, SEQ:HASH (from `acta head`): detects truncation and rewrites.
    #[arg(long)]
    expect_head: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// A signed checkpoint note: the log must reproduce its tree root (repeatable).
    #[arg(long)]
    checkpoint: Vec<PathBuf>,
    #[command(flatten)]
    witnesses: WitnessArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Errors embed strings from logs, keys, notes and proofs: made inert, so that none
            // can rewrite the screen or start a line of its own.
            eprintln!("error: {}", term::inert(&hints::error_text(&e)));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let now = chrono::Utc::now();
    match cli.command {
        Command::Key(k) => key_command(k, now),
        Command::Init {
            log,
            origin,
            key,
            domain,
        } => {
            let key = read_signing_key(&key)?;
            let genesis = Genesis {
                origin,
                keys: vec![(key.verifier(), Roles::all())],
                domain,
            };
            let writer = LogWriter::create(&log, &genesis, &key, now)
                .with_context(|| format!("cannot create {}", log.display()))?;
            outln!("{}", head_line(&writer));
            Ok(ExitCode::SUCCESS)
        }
        Command::Append {
            log,
            key,
            entry_type,
            data,
            expect,
        } => {
            let expect = expect.expect()?;
            let key = read_signing_key(&key)?;
            let data = read_data(&data)?;
            let mut writer = open_writer(&log, &key, &expect)?;
            domain_cmd::install_check(&mut writer, &log, &key, |_| "--data".to_owned())?;
            writer.append(&key, &entry_type, &data, now).map_err(|e| {
                domain_cmd::append_error(
                    e,
                    |_| "--data".to_owned(),
                    || format!("nothing was appended to {}", log.display()),
                )
            })?;
            outln!("{}", head_line(&writer));
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            log,
            key,
            events,
            expect,
        } => {
            let expect = expect.expect()?;
            let key = read_signing_key(&key)?;
            import::import(&log, &key, &events, &expect, now)
        }
        Command::Verify(args) => verify(args),
        Command::Show {
            log,
            seq,
            entry_type,
            json,
        } => show(&log, seq, entry_type.as_deref(), json),
        Command::Head { log } => {
            let store = FileStore::open_reader(&log)?;
            let last = store
                .last_line()?
                .ok_or_else(|| anyhow!("{} has no complete entries", log.display()))?;
            let d = Entry::decode(&last.bytes).map_err(|e| {
                anyhow!(
                    "{}: the last entry (byte {}) is malformed: {e}; run `acta verify`",
                    log.display(),
                    last.offset
                )
            })?;
            outln!("{}:{}", d.entry.seq, d.hash);
            Ok(ExitCode::SUCCESS)
        }
        Command::Checkpoint {
            log,
            key,
            out,
            expect_origin,
        } => transparency::checkpoint(&log, &key, out.as_deref(), expect_origin),
        Command::Prove(cmd) => transparency::prove(cmd),
        Command::VerifyProof {
            proof,
            trust,
            checkpoint,
            entry,
            witnesses,
        } => transparency::verify_proof(
            &proof,
            &trust,
            &checkpoint,
            entry.as_deref(),
            &witnesses.policy()?,
        ),
        Command::VerifyBundle {
            bundle,
            trust,
            author_key,
            witnesses,
        } => transparency::verify_bundle(
            &bundle,
            &trust,
            author_key.as_deref(),
            &witnesses.policy()?,
        ),
        Command::Witness(cmd) => transparency::witness(cmd),
        Command::State(args) => domain_cmd::state(args),
        Command::Report(args) => domain_cmd::report(args),
        Command::Repair { log, trust } => {
            let trust = trust
                .as_deref()
                .map(|t| read_verifier_key(t, "--trust"))
                .transpose()?;
            // Verifies the log, signatures included, in the same pass that decides what to
            // change, and changes nothing unless its only problems are a crash's (a torn last
            // line, a batch cut short) or a last entry missing its newline.
            let repaired = acta_store::log::repair(&log, trust)?;
            match (&repaired.outcome, repaired.batch) {
                (RepairOutcome::Clean, _) => outln!(
                    "{}: no torn tail, batch cut short or missing newline; nothing to repair",
                    log.display()
                ),
                (
                    RepairOutcome::Repaired {
                        offset,
                        len,
                        side_file,
                    },
                    Some(b),
                ) => outln!(
                    "{}: moved the {} lines of the batch of {} cut short at entry {} (never acknowledged: {} of its entries are missing), and any torn bytes after them, {len} bytes from byte offset {offset}, to {}",
                    log.display(),
                    b.size - b.missing,
                    b.size,
                    b.entry,
                    b.missing,
                    side_file.display()
                ),
                (
                    RepairOutcome::Repaired {
                        offset,
                        len,
                        side_file,
                    },
                    None,
                ) => outln!(
                    "{}: moved {len} torn bytes from byte offset {offset} to {}",
                    log.display(),
                    side_file.display()
                ),
                (RepairOutcome::NewlineRestored { offset, len }, _) => outln!(
                    "{}: the last entry ({}byte offset {offset}, {len} bytes) is complete and verifies, but lacked its final newline: restored it (one byte appended); nothing was moved",
                    log.display(),
                    repaired
                        .restored_seq
                        .map(|s| format!("seq {s}, "))
                        .unwrap_or_default()
                ),
            }
            // The tree beside the log is derived data: rebuild it from the complete entries,
            // if this is a log at all (a file whose first line is not a genesis entry gets no
            // tree file).
            let Some(leaves) = acta_store::prove::rebuild_tree_beside(&log)? else {
                bail!(
                    "{} is not an acta log (its first line is not a genesis entry); no tree file was written",
                    log.display()
                );
            };
            outln!(
                "{}: tree rebuilt from the log ({} entries)",
                log.display(),
                leaves
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn key_command(k: KeyCommand, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<ExitCode> {
    match k {
        KeyCommand::Generate { name, out } => {
            protect_key_memory();
            let mut seed = zeroize::Zeroizing::new([0u8; 32]);
            getrandom::getrandom(&mut seed[..])
                .map_err(|e| anyhow!("the operating system's random source failed: {e}"))?;
            let key = SigningKey::from_seed(&name, *seed).context("invalid --name")?;
            write_private_key(&out, &key)?;
            outln!("{}", key.verifier());
        }
        KeyCommand::Verifier { keyfile, cosigner } => {
            let key = read_signing_key(&keyfile)?;
            if cosigner {
                outln!("{}", acta_core::note::CosignerKey::from_signing_key(&key));
            } else {
                outln!("{}", key.verifier());
            }
        }
        KeyCommand::Add {
            log,
            key,
            new_key,
            roles,
            expect_origin,
        } => {
            let key = read_signing_key(&key)?;
            let new_key = read_verifier_key(&new_key, "--add")?;
            let roles = Roles::new(roles).map_err(|r| anyhow!("--roles: {r}"))?;
            let data = acta_core::keyring::key_add_data(&new_key, &roles);
            let expect = acta_store::log::Expect {
                origin: expect_origin,
                head: None,
            };
            let mut writer = open_writer(&log, &key, &expect)?;
            domain_cmd::install_check(&mut writer, &log, &key, |_| "the new entry".to_owned())?;
            writer
                .append(&key, acta_core::keyring::KEY_ADD_TYPE, &data, now)
                .map_err(|e| {
                    domain_cmd::append_error(
                        e,
                        |_| "the new entry".to_owned(),
                        || format!("no key was added to {}", log.display()),
                    )
                })?;
            outln!("{}", head_line(&writer));
        }
        KeyCommand::Revoke {
            log,
            key,
            revoked,
            reason,
            expect_origin,
        } => {
            let key = read_signing_key(&key)?;
            let revoked: KeyRef = match revoked.parse::<VerifierKey>() {
                Ok(v) => v.key_ref(),
                Err(_) => revoked
                    .parse()
                    .context("--revoke must be NAME+<8 hex digit key id> or a verifier key")?,
            };
            let data = acta_core::keyring::key_revoke_data(&revoked, reason.as_deref());
            let expect = acta_store::log::Expect {
                origin: expect_origin,
                head: None,
            };
            let mut writer = open_writer(&log, &key, &expect)?;
            domain_cmd::install_check(&mut writer, &log, &key, |_| "the new entry".to_owned())?;
            writer
                .append(&key, acta_core::keyring::KEY_REVOKE_TYPE, &data, now)
                .map_err(|e| {
                    domain_cmd::append_error(
                        e,
                        |_| "the new entry".to_owned(),
                        || format!("no key was revoked in {}", log.display()),
                    )
                })?;
            outln!("{}", head_line(&writer));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens `log` for appending with `key`'s state file: verifies it (or resumes from the state
/// file `key` wrote), and refuses it, writing nothing, if it is not what `expect` says.
fn open_writer(
    log: &Path,
    key: &SigningKey,
    expect: &acta_store::log::Expect,
) -> anyhow::Result<LogWriter<FileStore>> {
    LogWriter::open_expecting(log, key, expect)
        .with_context(|| format!("cannot append to {}", log.display()))
}

fn head_line<S: acta_store::Store>(w: &LogWriter<S>) -> String {
    let head = w.head();
    format!("{}:{}", head.seq, head.hash)
}

/// Writes a private key file ([`acta_store::keyfile::write_private_key`]).
fn write_private_key(path: &Path, key: &SigningKey) -> anyhow::Result<()> {
    Ok(acta_store::keyfile::write_private_key(path, key)?)
}

/// Keeps the key this process is about to load out of core dumps; a failure is a warning.
fn protect_key_memory() {
    if let Err(e) = acta_store::harden::disable_core_dumps() {
        eprintln!(
            "warning: {e:#}: a crash of this process could leave a core file holding the private key"
        );
    }
}

/// Reads a private key file, refusing one that others can read. Core dumps are disabled
/// first, and every copy of the key text is wiped once the key is parsed.
fn read_signing_key(path: &Path) -> anyhow::Result<SigningKey> {
    // Someone pasted the key itself: say so without echoing it.
    if path
        .to_str()
        .is_some_and(|p| p.starts_with(acta_core::key::PRIVATE_KEY_PREFIX))
    {
        bail!(
            "--key takes the path of a private key file, not the key text itself (not echoed here); put the key in a file readable only by you (chmod 600) and pass its path"
        );
    }
    protect_key_memory();
    acta_store::keyfile::read_signing_key(path).map_err(|e| match e {
        KeyFileError::NotPrivate { path, mode } => anyhow!(
            "key file {} is accessible by other users (mode {mode:03o}); run `chmod 600 {}` and retry",
            path.display(),
            path.display()
        ),
        KeyFileError::NotAKey { path, reason } => {
            anyhow!("key file {}: {reason}{}", path.display(), key_hint(&reason))
        }
        e => e.into(),
    })
}

/// What to do next after a key error, for the keys mistaken for one another: the library's
/// errors name no command, the CLI does.
fn key_hint(e: &acta_core::key::KeyError) -> &'static str {
    match e {
        acta_core::key::KeyError::PrivateWherePublicExpected => {
            "; use `acta key verifier FILE` to get the public key"
        }
        acta_core::key::KeyError::PublicWherePrivateExpected => {
            "; pass the file written by `acta key generate`"
        }
        _ => "",
    }
}

/// The longest verifier key file read (`--trust @FILE` and the like).
const MAX_VERIFIER_KEY_FILE_BYTES: u64 = 4096;

/// A verifier key given as text or as @FILE.
fn read_verifier_key(arg: &str, flag: &str) -> anyhow::Result<VerifierKey> {
    let (text, source) = match arg.strip_prefix('@') {
        Some(file) => {
            // Never a FIFO or device (which could block or never end), and bounded.
            let bytes = acta_store::side_file::read_input(
                Path::new(file),
                "the verifier key file",
                MAX_VERIFIER_KEY_FILE_BYTES,
            )
            .with_context(|| format!("{flag}: cannot read {file}"))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow!("{flag}: {file} is not a short UTF-8 text file"))?;
            (text, format!("{flag} @{file}"))
        }
        None => (arg.to_owned(), flag.to_owned()),
    };
    text.trim().parse().map_err(|e| {
        anyhow!(
            "{source}: not a verifier key (NAME+<key id>+<base64 key>): {e}{}",
            key_hint(&e)
        )
    })
}

/// Event data from `--data`: JSON text, @FILE, or - for standard input.
fn read_data(arg: &str) -> anyhow::Result<Object> {
    let limit = acta_core::MAX_ENTRY_BYTES;
    let (bytes, source) = if arg == "-" {
        let bytes = read_limited(std::io::stdin().lock(), limit)
            .context("cannot read --data from standard input")?;
        (bytes, "--data (standard input)".to_owned())
    } else if let Some(file) = arg.strip_prefix('@') {
        // Never a FIFO or device (which could block or never end); at most the entry limit.
        let bytes =
            acta_store::side_file::read_input(Path::new(file), "the --data file", limit as u64)
                .with_context(|| format!("--data: cannot read {file}; nothing was written"))?;
        (bytes, format!("--data @{file}"))
    } else {
        (arg.as_bytes().to_vec(), "--data".to_owned())
    };
    if bytes.len() > limit {
        bail!("{source} is over the {limit}-byte entry limit; nothing was written");
    }
    match json::parse(&bytes, Profile::Entry) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(other) => bail!("{source} must be a JSON object, not {}", other.kind()),
        Err(e) => bail!("{source} is not acceptable JSON: {e}"),
    }
}

/// Reads at most `limit + 1` bytes, so that an over-long input is detected without reading
/// all of it.
fn read_limited(r: impl std::io::Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.take(limit as u64 + 1).read_to_end(&mut buf)?;
    Ok(buf)
}

fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let trust = args
        .trust
        .as_deref()
        .map(|t| read_verifier_key(t, "--trust"))
        .transpose()?;
    let expect_head = args
        .expect_head
        .as_deref()
        .map(|h| {
            acta_store::log::parse_head(h).ok_or_else(|| {
                anyhow!("--expect-head must be SEQ:HASH as printed by `acta head`, e.g. 41:9f2c…(64 hex digits)")
            })
        })
        .transpose()?;
    let policy = args.witnesses.policy()?;
    let store = FileStore::open_reader(&args.log)?;
    let origin = if args.checkpoint.is_empty() {
        None
    } else {
        acta_store::prove::genesis_origin(&store)?
    };
    let checks = transparency::check_checkpoints(
        &args.checkpoint,
        trust.as_ref(),
        origin.as_deref(),
        &policy,
    )?;
    let report = acta_store::verify(
        &store,
        VerifyOptions {
            trust,
            expect_head,
            expect_roots: checks.as_ref().map(|c| c.roots()).unwrap_or_default(),
            ..VerifyOptions::default()
        },
    )?;
    let problems: Vec<String> = checks
        .iter()
        .flat_map(|c| c.problems())
        .map(|p| p.to_string())
        .collect();
    let accepted = checks.as_ref().map_or(0, |c| c.accepted().count());
    let ok = problems.is_empty()
        && (report.is_sound() || (args.allow_unanchored && report.is_consistent()));
    if args.json {
        let out = serde_json::json!({
            "sound": report.is_sound() && problems.is_empty(),
            "consistent": report.is_consistent(),
            "checkpoints": accepted,
            "checkpoint_problems": problems,
            "report": report,
        });
        outln!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        out!("{}", render_report(&report));
        if accepted > 0 {
            outln!(
                "{:<9} {} checked against the log's tree",
                "checkpoints:",
                accepted
            );
        }
        for p in &problems {
            outln!("checkpoint problem: {}", term::inert(p));
        }
        // The checkpoints the log does not reproduce, with one it does and the proof between.
        if let Some(checks) = &checks {
            let evidence = checks.fork_evidence(&args.log, &report);
            if !evidence.is_empty() {
                out!("{}", transparency::fork_evidence(&evidence));
            }
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The text form of a verification report.
fn render_report(r: &Report) -> String {
    let mut s = String::new();
    // Every value may come from the log (origin, domain, key names, findings' details):
    // each line is made inert for the terminal, so none can forge another.
    let line = |s: &mut String, k: &str, v: &str| {
        s.push_str(&format!("{k:<9} {}\n", term::inert(v)));
    };
    line(
        &mut s,
        "origin:",
        r.origin.as_deref().unwrap_or("(unknown)"),
    );
    if let Some(d) = &r.domain {
        line(&mut s, "domain:", d);
    }
    line(&mut s, "entries:", &r.entries.to_string());
    if let Some(h) = &r.head {
        line(&mut s, "head:", &format!("{}:{}", h.seq, h.hash));
    }
    let anchor = match &r.anchor {
        Anchor::Trusted { key } => format!("genesis signed by the trusted key {key}"),
        Anchor::Unanchored => {
            "NONE: no --trust key was given, so this only shows the log is self-consistent".into()
        }
        Anchor::Failed => "FAILED: the genesis is not signed by the trusted key".into(),
    };
    line(&mut s, "anchor:", &anchor);
    let total = r.findings.len() as u64 + r.findings_omitted;
    let result = if r.is_sound() {
        "sound: every entry verifies".to_owned()
    } else if r.is_consistent() {
        "self-consistent but unanchored: pass --trust KEY (or --allow-unanchored)".to_owned()
    } else {
        format!(
            "NOT SOUND: {total} finding{}",
            if total == 1 { "" } else { "s" }
        )
    };
    line(&mut s, "result:", &result);
    for f in &r.findings {
        s.push_str(&format!(
            "entry {} (byte {}): {}\n",
            f.entry,
            f.offset,
            term::inert(&hints::finding_text(&f.kind))
        ));
    }
    if r.findings_omitted > 0 {
        s.push_str(&format!("… and {} more findings\n", r.findings_omitted));
    }
    s
}

fn show(
    log: &Path,
    seq: Option<u64>,
    entry_type: Option<&str>,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let store = FileStore::open_reader(log)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut shown = 0u64;
    for item in acta_store::listing::entries(&store)? {
        let item = item?;
        let (this, line, d) = match item {
            Listed::Entry {
                index,
                ref line,
                ref decoded,
            } => (index, line, decoded),
            Listed::TooLong { index, offset, len } => {
                eprintln!(
                    "entry {index} (byte {offset}): skipped: {len} bytes is over the entry limit"
                );
                continue;
            }
            Listed::Torn(t) => {
                eprintln!(
                    "warning: the {} bytes at byte offset {} after the last newline are not shown; run `acta verify`, then `acta repair`",
                    t.len, t.offset
                );
                continue;
            }
            Listed::Malformed {
                index,
                offset,
                error,
            } => {
                eprintln!(
                    "entry {index} (byte {offset}): malformed: {}",
                    term::inert(&error.to_string())
                );
                continue;
            }
        };
        if !item.matches(seq, entry_type) {
            continue;
        }
        let e = &d.entry;
        shown += 1;
        if as_json {
            let mut obj = Object::new();
            obj.insert("hash", Value::String(d.hash.to_string()));
            obj.insert(
                "offset",
                Value::Number(json::Number::Int(line.offset as i64)),
            );
            let entry = json::parse(&line.bytes, Profile::Entry)
                .map_err(|e| anyhow!("entry {this}: {e}"))?;
            obj.insert("entry", entry);
            writeln!(out, "{}", Value::Object(obj))?;
        } else {
            let title = format!(
                "#{} {} {} by {} [{}]",
                e.seq,
                e.recorded_at,
                e.entry_type,
                e.author,
                d.hash.short()
            );
            writeln!(out, "{}", term::inert(&title))?;
            let data = Value::Object(e.data.clone()).to_string();
            writeln!(out, "    {}", term::inert_json(&data))?;
        }
    }
    out.flush()?;
    if shown == 0 && (seq.is_some() || entry_type.is_some()) {
        bail!("no entry in {} matches the filter", log.display());
    }
    Ok(ExitCode::SUCCESS)
}
