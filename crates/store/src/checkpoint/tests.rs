//! Tests of checkpoint signing and of the checkpoint-set check, on real logs in a tempdir.

use std::error::Error;
use std::fs;

use acta_core::json::{Number, Object, Value};
use acta_core::keyring::{key_add_data, key_revoke_data};
use acta_core::{Genesis, Roles};

use super::*;
use crate::TreeFile;

type TestResult = Result<(), Box<dyn Error>>;

const ORIGIN: &str = "example.org/checkpoint-test";

fn key() -> SigningKey {
    SigningKey::from_seed("test-only-anchor", [21; 32]).expect("valid name")
}

fn other_key() -> SigningKey {
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
fn make_log(path: &Path, n: u64) -> TestResult {
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
fn append(path: &Path, n: u64) -> TestResult {
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
fn forged_note(size: u64, root: Hash) -> Result<String, Box<dyn Error>> {
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
