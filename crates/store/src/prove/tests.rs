//! Tests of the proofs and genesis facts, on real logs in a tempdir.

use std::fs;

use acta_core::note::verify_checkpoint_note;
use acta_tlog::tree::{verify_consistency, verify_inclusion};

use super::*;
use crate::checkpoint::tests::{ORIGIN, TestResult, append, forged_note, key, make_log, other_key};
use crate::log::Expect;

fn hashes(strings: &[String]) -> Result<Vec<Hash>, Box<dyn std::error::Error>> {
    strings
        .iter()
        .map(|h| {
            BASE64
                .decode(h)
                .ok()
                .and_then(|v| <Hash>::try_from(v).ok())
                .ok_or_else(|| "not the base64 of a hash".into())
        })
        .collect()
}

fn sign(log: &Path) -> TestResult {
    crate::checkpoint::sign(log, &key(), &Expect::default())?.finish();
    Ok(())
}

#[test]
fn every_proof_verifies_with_the_tlog_verifiers() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("p.log");
    make_log(&log, 10)?;
    let size = 11;
    for n in 1..=size {
        let root = root_from_log(&log, n)?;
        for seq in 0..n {
            let p = inclusion_proof(&log, seq, Some(n))?;
            assert_eq!((p.leaf_index, p.tree_size), (seq, n));
            let leaf = EntryHash::of_line(&read_entry_line(&log, seq)?);
            assert_eq!(p.leaf_hash, b64(&leaf.0));
            verify_inclusion(leaf, seq, n, &hashes(&p.hashes)?, root)?;
        }
        for to in n..=size {
            let p = consistency_proof(&log, n, Some(to))?;
            assert_eq!((p.old_size, p.new_size), (n, to));
            verify_consistency(n, to, &hashes(&p.hashes)?, root, root_from_log(&log, to)?)?;
        }
        assert_eq!(proof_root(&log, n)?, root);
    }
    // A proof for one entry does not verify for another.
    let p = inclusion_proof(&log, 3, Some(size))?;
    let other = EntryHash::of_line(&read_entry_line(&log, 4)?);
    assert!(
        verify_inclusion(
            other,
            3,
            size,
            &hashes(&p.hashes)?,
            root_from_log(&log, size)?
        )
        .is_err()
    );
    Ok(())
}

#[test]
fn sizes_outside_the_tree_are_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("p.log");
    make_log(&log, 3)?;
    // No size given and no checkpoint kept.
    assert!(matches!(
        inclusion_proof(&log, 0, None),
        Err(ProveError::NoCheckpoint { .. })
    ));
    assert!(matches!(
        consistency_proof(&log, 1, None),
        Err(ProveError::NoCheckpoint { .. })
    ));
    assert!(matches!(
        inclusion_proof(&log, 4, Some(4)),
        Err(ProveError::SeqNotInTree { seq: 4, size: 4 })
    ));
    assert!(matches!(
        inclusion_proof(&log, 0, Some(5)),
        Err(ProveError::TreeTooSmall {
            leaves: 4,
            size: 5,
            ..
        })
    ));
    for (from, to) in [(0, 3), (4, 3)] {
        assert!(matches!(
            consistency_proof(&log, from, Some(to)),
            Err(ProveError::BadSizes { .. })
        ));
    }
    assert!(matches!(
        consistency_proof(&log, 1, Some(5)),
        Err(ProveError::TreeTooSmall { .. })
    ));
    assert!(matches!(
        root_from_log(&log, 5),
        Err(ProveError::TooFewEntries {
            have: 4,
            size: 5,
            ..
        })
    ));
    assert!(matches!(
        read_entry_line(&log, 4),
        Err(ProveError::NoEntry { seq: 4, .. })
    ));
    // Without a tree file, no proof.
    fs::remove_file(TreeFile::path_for(&log))?;
    assert!(matches!(
        inclusion_proof(&log, 0, Some(1)),
        Err(ProveError::NoTreeFile { .. })
    ));
    Ok(())
}

#[test]
fn proofs_default_to_the_latest_checkpoint_the_anchor_signed() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("p.log");
    make_log(&log, 2)?;
    sign(&log)?;
    append(&log, 3)?;
    // A note planted for a larger size, signed by another key, is no checkpoint of the log.
    let text = acta_core::note::Checkpoint {
        origin: ORIGIN.into(),
        size: 6,
        root: root_from_log(&log, 6)?,
        extensions: Vec::new(),
    }
    .to_text()?;
    let planted = acta_core::note::sign_note(&text, &other_key())?;
    CheckpointDir::for_log(&log).save(6, &planted)?;
    assert_eq!(latest_size(&log)?, 3);
    let (path, cp) = latest_checkpoint(&log)?.ok_or("no checkpoint")?;
    assert_eq!(path, CheckpointDir::for_log(&log).file_for(3));
    verify_checkpoint_note(cp.note.to_text()?.as_bytes(), &key().verifier(), &[], 0)?;
    assert_eq!(inclusion_proof(&log, 1, None)?.tree_size, 3);
    assert_eq!(consistency_proof(&log, 1, None)?.new_size, 3);

    let (origin, anchor) = log_anchor(&log)?;
    assert_eq!((origin.as_str(), anchor), (ORIGIN, key().verifier()));
    let store = FileStore::open_reader(&log)?;
    assert_eq!(genesis_origin(&store)?.as_deref(), Some(ORIGIN));
    assert!(starts_with_genesis(&store)?);
    Ok(())
}

#[test]
fn a_damaged_tree_file_gives_an_error_never_a_wrong_proof() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("p.log");
    make_log(&log, 5)?;
    let tree = TreeFile::path_for(&log);
    let good = fs::read(&tree)?;
    // Every byte flipped in turn: each proof is right or refused.
    let root = root_from_log(&log, 6)?;
    let mut refused = 0;
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x40;
        fs::write(&tree, &bad)?;
        match inclusion_proof(&log, 2, Some(6)) {
            Ok(p) => {
                let leaf = EntryHash::of_line(&read_entry_line(&log, 2)?);
                verify_inclusion(leaf, 2, 6, &hashes(&p.hashes)?, root)?;
            }
            Err(_) => refused += 1,
        }
        match consistency_proof(&log, 2, Some(6)) {
            Ok(p) => verify_consistency(2, 6, &hashes(&p.hashes)?, root_from_log(&log, 2)?, root)?,
            Err(_) => refused += 1,
        }
    }
    assert!(refused > 0, "some damage is caught");
    // The root is checked against the kept checkpoint when there is one.
    fs::write(&tree, &good)?;
    sign(&log)?;
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    fs::write(&tree, &bad)?;
    assert!(matches!(
        inclusion_proof(&log, 0, None),
        Err(ProveError::TreeDisagrees {
            against: RootSource::Kept { size: 6, .. },
            ..
        })
    ));
    Ok(())
}

#[test]
fn a_forged_checkpoint_is_never_the_root_proofs_are_checked_against() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("p.log");
    make_log(&log, 3)?;
    // A note for size 4 signed by another key, with a wrong root: ignored, the lines decide.
    let text = acta_core::note::Checkpoint {
        origin: ORIGIN.into(),
        size: 4,
        root: [5; 32],
        extensions: Vec::new(),
    }
    .to_text()?;
    CheckpointDir::for_log(&log).save(4, &acta_core::note::sign_note(&text, &other_key())?)?;
    let tree = TreeFile::open_reader(&TreeFile::path_for(&log))?.ok_or("no tree")?;
    assert_eq!(checked_root(&log, &tree, 4)?, root_from_log(&log, 4)?);
    inclusion_proof(&log, 1, Some(4))?;
    // The same note signed by the anchor is the root proofs are checked against: the tree
    // file disagrees with it.
    fs::remove_dir_all(CheckpointDir::for_log(&log).path())?;
    CheckpointDir::for_log(&log).save(4, &forged_note(4, [5; 32])?)?;
    assert!(matches!(
        checked_root(&log, &tree, 4),
        Err(ProveError::TreeDisagrees {
            against: RootSource::Kept { size: 4, .. },
            ..
        })
    ));
    Ok(())
}

#[test]
fn the_tree_beside_a_log_is_rebuilt_and_a_non_log_gets_none() -> TestResult {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("a.log");
    make_log(&log, 3)?;
    sign(&log)?;
    let root = proof_root(&log, 4)?;
    let tree = TreeFile::path_for(&log);
    fs::remove_file(&tree)?;
    assert_eq!(rebuild_tree_beside(&log)?, Some(4));
    assert_eq!(TreeFile::open_reader(&tree)?.ok_or("no tree")?.leaves(), 4);
    assert_eq!(proof_root(&log, 4)?, root);
    let other = dir.path().join("notes.txt");
    fs::write(&other, b"{\"not\":\"a genesis\"}\n")?;
    assert_eq!(rebuild_tree_beside(&other)?, None);
    assert!(!TreeFile::path_for(&other).exists());
    Ok(())
}
