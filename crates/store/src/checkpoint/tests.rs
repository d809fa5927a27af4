//! Tests of checkpoint signing and of the checkpoint-set check, on real logs in a tempdir.

use std::error::Error;
use std::fs;

use acta_core::json::{Number, Object, Value};
use acta_core::keyring::{key_add_data, key_revoke_data};
use acta_core::{Genesis, Roles};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::*;
use crate::TreeFile;

pub(crate) type TestResult = Result<(), Box<dyn Error>>;

pub(crate) const ORIGIN: &str = "example.org/checkpoint-test";

pub(crate) fn key() -> SigningKey {
    SigningKey::from_seed("test-only-anchor", [21; 32]).expect("valid name")
}

pub(crate) fn other_key() -> SigningKey {
    SigningKey::from_seed("test-only-clerk", [22; 32]).expect("valid name")
}

fn at(second: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_764_147_600 + second, 0).unwrap_or_default()
}

fn note(i: u64) -> Object {
    let mut data = Object::new();
    data.insert("i", Value::Number(Number::Int(i as i64)));
    data
}

/// A log at `path` of a genesis (signed by [`key`]) and `n` notes.
pub(crate) fn make_log(path: &Path, n: u64) -> TestResult {
    let key = key();
    let genesis = Genesis {
        origin: ORIGIN.into(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: None,
    };
    let mut w = LogWriter::create(path, &genesis, &key, at(0))?;
    for i in 0..n {
        w.append(&key, "test.note", &note(i), at(1))?;
    }
    Ok(())
}

/// Appends `n` more notes signed by [`key`].
pub(crate) fn append(path: &Path, n: u64) -> TestResult {
    let key = key();
    let mut w = LogWriter::open(path, &key)?;
    for i in 0..n {
        w.append(&key, "test.note", &note(100 + i), at(2))?;
    }
    Ok(())
}

fn no_expect() -> Expect {
    Expect::default()
}

/// A note signed by [`key`] for `size` entries with the root `root`.
pub(crate) fn forged_note(size: u64, root: Hash) -> Result<String, Box<dyn Error>> {
    let text = Checkpoint {
        origin: ORIGIN.into(),
        size,
        root,
        extensions: Vec::new(),
    }
    .to_text()?;
    Ok(note::sign_note(&text, &key())?)
}

#[test]
fn the_anchor_signs_the_root_of_the_verified_lines_and_keeps_the_note() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 4)?;
    let tree = TreeFile::path_for(&log);
    fs::remove_file(&tree)?;

    let signed = sign(&log, &key(), &no_expect())?;
    // Nothing derived is written before the checkpoint is kept and finished.
    assert!(!tree.exists());
    assert!(!signed.already_kept);
    assert_eq!(signed.set_aside, None);
    // The writer's lock is held until then (a reader of the log would wait).
    let outcome = signed.finish();
    let cp = &outcome.checkpoint;
    assert_eq!((cp.origin.as_str(), cp.size), (ORIGIN, 5));
    assert_eq!(cp.root, prove::root_from_log(&log, 5)?);
    let verified = verify_checkpoint_note(outcome.note.as_bytes(), &key().verifier(), &[], 0)?;
    assert_eq!(&verified.checkpoint, cp);
    assert_eq!(outcome.kept, CheckpointDir::for_log(&log).file_for(5));
    assert_eq!(fs::read_to_string(&outcome.kept)?, outcome.note);
    assert!(outcome.derived_not_saved.is_none());
    assert!(tree.exists(), "the tree file is brought up to date");
    assert_eq!(prove::proof_root(&log, 5)?, outcome.checkpoint.root);

    // The same head again: the identical note, already kept.
    let again = sign(&log, &key(), &no_expect())?.finish();
    assert!(again.already_kept);
    assert_eq!(again.note, outcome.note);
    Ok(())
}

#[test]
fn only_the_unrevoked_anchor_may_sign() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 1)?;
    let (anchor, clerk) = (key(), other_key());
    let mut w = LogWriter::open(&log, &anchor)?;
    w.append(
        &anchor,
        "acta.key.add",
        &key_add_data(&clerk.verifier(), &Roles::all()),
        at(2),
    )?;
    drop(w);
    // A key of the keyring with every role is still not the trust anchor.
    let refused = sign(&log, &clerk, &no_expect());
    assert!(
        matches!(&refused, Err(SignError::NotAnchor { key, .. }) if *key == clerk.key_ref()),
        "{refused:?}"
    );
    assert!(!CheckpointDir::for_log(&log).path().exists());

    // The anchor signs while it is not revoked…
    sign(&log, &anchor, &no_expect())?.finish();
    let mut w = LogWriter::open(&log, &clerk)?;
    w.append(
        &clerk,
        "acta.key.revoke",
        &key_revoke_data(&anchor.key_ref(), None),
        at(3),
    )?;
    drop(w);
    // …and not after.
    let refused = sign(&log, &anchor, &no_expect());
    assert!(
        matches!(&refused, Err(SignError::NotAnchor { key, .. }) if *key == anchor.key_ref()),
        "{refused:?}"
    );
    assert_eq!(CheckpointDir::for_log(&log).list()?.len(), 1);
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("trust anchor"), "{message}");
    assert!(!message.contains("acta "), "names no command: {message}");
    Ok(())
}

#[test]
fn a_log_with_a_forged_line_or_another_origin_is_not_signed() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 2)?;
    // Another origin than the one expected.
    let expect = Expect {
        origin: Some("example.org/other".into()),
        head: None,
    };
    let refused = sign(&log, &key(), &expect);
    assert!(
        matches!(
            &refused,
            Err(SignError::Open {
                source: LogError::OriginMismatch { .. },
                ..
            })
        ),
        "{refused:?}"
    );
    // A line whose signature is forged: its last base64 character changed.
    let mut bytes = fs::read(&log)?;
    let end = bytes.len() - 1;
    let at_sig = bytes[..end]
        .iter()
        .rposition(|&b| b == b'"')
        .ok_or("no signature")?;
    bytes[at_sig - 2] = if bytes[at_sig - 2] == b'A' {
        b'B'
    } else {
        b'A'
    };
    fs::write(&log, &bytes)?;
    let refused = sign(&log, &key(), &no_expect());
    assert!(
        matches!(
            &refused,
            Err(SignError::Open {
                source: LogError::Unsound { .. },
                ..
            })
        ),
        "{refused:?}"
    );
    assert!(!CheckpointDir::for_log(&log).path().exists());
    Ok(())
}

#[test]
fn a_planted_note_is_set_aside_but_a_signed_other_root_is_a_conflict() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 2)?;
    let cps = CheckpointDir::for_log(&log);
    // Not signed by the anchor: set aside, and the checkpoint kept.
    cps.save(3, "planted\n")?;
    let outcome = sign(&log, &key(), &no_expect())?.finish();
    let aside = outcome.set_aside.ok_or("not set aside")?;
    assert_eq!(fs::read(&aside)?, b"planted\n");
    assert_eq!(fs::read_to_string(&outcome.kept)?, outcome.note);

    // Signed by the anchor for the same size with another root: evidence of a fork, kept.
    append(&log, 1)?;
    let fork = forged_note(4, [9; 32])?;
    cps.save(4, &fork)?;
    let refused = sign(&log, &key(), &no_expect());
    assert!(
        matches!(
            &refused,
            Err(SignError::Keep(StoreError::CheckpointConflict { .. }))
        ),
        "{refused:?}"
    );
    assert_eq!(fs::read_to_string(cps.file_for(4))?, fork);
    Ok(())
}

/// Signs the log's head with [`key`] and returns the note.
fn checkpoint(log: &Path) -> Result<String, Box<dyn Error>> {
    Ok(sign(log, &key(), &no_expect())?.finish().note)
}

/// Keeps the first `n` lines of the log only, and drops its derived files (a keeper
/// truncating the log).
fn truncate_log(log: &Path, n: usize) -> TestResult {
    let text = fs::read_to_string(log)?;
    let kept: String = text.split_inclusive('\n').take(n).collect();
    fs::write(log, kept)?;
    fs::remove_file(TreeFile::path_for(log))?;
    let _ = fs::remove_file(crate::state_file::path_for(log));
    Ok(())
}

/// Checks `notes` against the log as `acta verify --checkpoint` does, with `policy`.
fn check(
    log: &Path,
    notes: &[(&str, &str)],
    policy: &WitnessPolicy,
) -> Result<(CheckpointSet, Report), Box<dyn Error>> {
    let store = FileStore::open_reader(log)?;
    let origin = prove::genesis_origin(&store)?;
    let notes = notes
        .iter()
        .map(|(name, text)| (PathBuf::from(name), text.as_bytes().to_vec()));
    let set = CheckpointSet::check(notes, &key().verifier(), origin.as_deref(), policy);
    let report = crate::verify(
        &store,
        acta_core::VerifyOptions {
            trust: Some(key().verifier()),
            expect_roots: set.roots(),
            ..acta_core::VerifyOptions::default()
        },
    )?;
    Ok((set, report))
}

#[test]
fn checkpoints_the_log_reproduces_pass() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 2)?;
    let old = checkpoint(&log)?;
    append(&log, 3)?;
    let new = checkpoint(&log)?;
    let (set, report) = check(
        &log,
        &[("old", &old), ("new", &new)],
        &WitnessPolicy::none(),
    )?;
    assert!(report.is_sound(), "{report:?}");
    assert_eq!(set.accepted().count(), 2);
    assert_eq!(set.roots().iter().map(|r| r.0).collect::<Vec<_>>(), [3, 6]);
    assert!(set.problems().is_empty());
    let verdicts: Vec<_> = set.verdicts(&report).into_iter().map(|(_, v)| v).collect();
    assert_eq!(verdicts, [Verdict::Reproduced, Verdict::Reproduced]);
    assert!(set.fork_evidence(&log, &report).is_empty());
    Ok(())
}

#[test]
fn a_forged_other_origin_or_unwitnessed_checkpoint_is_rejected() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 2)?;
    let good = checkpoint(&log)?;
    // Signed by a key that is not the log's: not evidence of anything.
    let forged = note::sign_note(&note::Note::parse(good.as_bytes())?.text, &other_key())?;
    // Signed by the log's key, for another origin.
    let other_origin = note::sign_note(
        &Checkpoint {
            origin: "example.org/elsewhere".into(),
            size: 3,
            root: [1; 32],
            extensions: Vec::new(),
        }
        .to_text()?,
        &key(),
    )?;
    let notes = [
        ("good", good.as_str()),
        ("forged", forged.as_str()),
        ("other", other_origin.as_str()),
        ("garbage", "not a note"),
    ];
    let (set, report) = check(&log, &notes, &WitnessPolicy::none())?;
    assert!(matches!(
        set.given[1].1,
        Given::Rejected(CheckpointPolicyError::LogSignature(_))
    ));
    assert!(matches!(set.given[2].1, Given::OtherOrigin(_)));
    assert!(matches!(
        set.given[3].1,
        Given::Rejected(CheckpointPolicyError::Note(_))
    ));
    let problems: Vec<String> = set.problems().iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("checkpoint forged: not signed by the log's key"));
    assert_eq!(
        problems[1],
        "checkpoint other is for origin \"example.org/elsewhere\", not this log's"
    );
    // Only the accepted one is checked against the log.
    assert_eq!(set.roots().len(), 1);
    let verdicts = set.verdicts(&report);
    assert_eq!(verdicts[0].1, Verdict::Reproduced);
    assert_eq!(
        verdicts[2].1,
        Verdict::OtherOrigin {
            origin: "example.org/elsewhere".into()
        }
    );

    // A witness policy: one cosignature by the witness is needed.
    let witness = SigningKey::from_seed("test-only-witness", [23; 32])?;
    let cosigner = CosignerKey::from_signing_key(&witness);
    assert_eq!(
        WitnessPolicy::new(vec![cosigner.clone()], Some(2)),
        Err(ThresholdTooHigh {
            threshold: 2,
            witnesses: 1
        })
    );
    let policy = WitnessPolicy::new(vec![cosigner], None)?;
    let mut cosigned = note::Note::parse(good.as_bytes())?;
    cosigned
        .signatures
        .push(note::cosign(&cosigned.text, &witness, 1_764_147_600)?);
    let cosigned = cosigned.to_text()?;
    let (set, _) = check(&log, &[("bare", &good), ("cosigned", &cosigned)], &policy)?;
    assert!(matches!(
        set.given[0].1,
        Given::Rejected(CheckpointPolicyError::TooFewWitnesses {
            required: 1,
            found: 0
        })
    ));
    assert!(matches!(&set.given[1].1, Given::Accepted(cp) if cp.witnesses.len() == 1));
    Ok(())
}

#[test]
fn a_truncated_log_is_beyond_its_checkpoint() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 4)?;
    let cp = checkpoint(&log)?;
    truncate_log(&log, 3)?;
    let (set, report) = check(&log, &[("cp", &cp)], &WitnessPolicy::none())?;
    assert_eq!(
        set.verdicts(&report)[0].1,
        Verdict::BeyondLog { entries: 3 }
    );
    // No root of the log contradicts it: no fork evidence, but the report fails.
    assert!(set.fork_evidence(&log, &report).is_empty());
    assert!(!report.is_sound());
    Ok(())
}

#[test]
fn a_rewritten_log_gives_fork_evidence() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 2)?;
    let old = checkpoint(&log)?;
    append(&log, 2)?;
    let signed = checkpoint(&log)?;
    // The keeper rewrites the history after size 3 and signs the new head too.
    truncate_log(&log, 3)?;
    let key = key();
    let mut w = LogWriter::open(&log, &key)?;
    w.append(&key, "test.note", &note(7), at(3))?;
    w.append(&key, "test.note", &note(8), at(3))?;
    drop(w);
    let rewritten_root = prove::root_from_log(&log, 5)?;
    let rewritten = forged_note(5, rewritten_root)?;

    let notes = [("old", old.as_str()), ("signed", signed.as_str())];
    let (set, report) = check(&log, &notes, &WitnessPolicy::none())?;
    let signed_root = set.roots()[1].1;
    assert_ne!(signed_root, rewritten_root);
    let verdicts = set.verdicts(&report);
    assert_eq!(verdicts[0].1, Verdict::Reproduced);
    assert_eq!(
        verdicts[1].1,
        Verdict::Mismatched {
            expected: signed_root,
            found: BASE64.encode(rewritten_root)
        }
    );
    // The checkpoint kept beside the log contradicts its tree: no checked proof is made.
    let evidence = set.fork_evidence(&log, &report);
    assert!(
        matches!(
            evidence[0].proof,
            ForkProof::Unavailable(ProveError::TreeDisagrees { .. })
        ),
        "{evidence:?}"
    );
    // The keeper removes the kept checkpoints too: the log's proof is given.
    fs::remove_dir_all(CheckpointDir::for_log(&log).path())?;
    let evidence = set.fork_evidence(&log, &report);
    assert_eq!(evidence.len(), 1);
    let ev = &evidence[0];
    assert_eq!(ev.unreproduced.0, Path::new("signed"));
    assert_eq!(ev.unreproduced.1.note.to_text()?, signed);
    assert_eq!(ev.reproduced.map(|r| r.0), Some(Path::new("old")));
    match &ev.proof {
        ForkProof::Made { proof, verifies } => {
            assert_eq!((proof.old_size, proof.new_size), (3, 5));
            assert!(
                verifies.is_err(),
                "the log's proof cannot join the two signed roots"
            );
            // It is the log's own proof: it joins the old root to the rewritten one.
            let hashes: Vec<Hash> = proof
                .hashes
                .iter()
                .map(|h| BASE64.decode(h).ok().and_then(|v| v.try_into().ok()))
                .collect::<Option<_>>()
                .ok_or("not hashes")?;
            acta_tlog::tree::verify_consistency(3, 5, &hashes, set.roots()[0].1, rewritten_root)?;
        }
        other => return Err(format!("no proof: {other:?}").into()),
    }

    // Two checkpoints signed by the log's key for one size with different roots: a fork,
    // whatever the log says.
    let notes = [
        ("signed", signed.as_str()),
        ("rewritten", rewritten.as_str()),
    ];
    let (set, report) = check(&log, &notes, &WitnessPolicy::none())?;
    let verdicts = set.verdicts(&report);
    assert!(matches!(verdicts[0].1, Verdict::Mismatched { .. }));
    assert_eq!(verdicts[1].1, Verdict::Reproduced);
    let problems: Vec<String> = set.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [format!(
            "FORK: signed and rewritten are both signed by {} for size 5 of {ORIGIN} with different roots",
            key.key_ref()
        )]
    );
    // Without a checkpoint the log reproduces, the evidence has no proof.
    let (set, report) = check(&log, &[("signed", &signed)], &WitnessPolicy::none())?;
    let evidence = set.fork_evidence(&log, &report);
    assert!(evidence[0].reproduced.is_none());
    assert!(matches!(evidence[0].proof, ForkProof::None));
    Ok(())
}

#[test]
fn a_root_over_an_over_long_line_is_unreproducible() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 2)?;
    let mut bytes = fs::read(&log)?;
    bytes.extend(std::iter::repeat_n(b'x', acta_core::MAX_ENTRY_BYTES + 1));
    bytes.push(b'\n');
    fs::write(&log, bytes)?;
    let cp = forged_note(4, [3; 32])?;
    let (set, report) = check(&log, &[("cp", &cp)], &WitnessPolicy::none())?;
    assert_eq!(set.verdicts(&report)[0].1, Verdict::Unreproducible);
    assert!(set.fork_evidence(&log, &report).is_empty());
    Ok(())
}
