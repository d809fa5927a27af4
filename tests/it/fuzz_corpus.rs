//! The committed fuzz corpora as regression tests: every file of `fuzz/corpus/<target>/` is
//! replayed through the property function its cargo-fuzz target runs (`fuzz/src/lib.rs`,
//! included here, so this needs neither cargo-fuzz nor a nightly toolchain). A failure names
//! the corpus file; `fuzz/README.md` says how to reproduce it under the fuzzer.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../../fuzz/src/lib.rs"]
mod fuzz_props;

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))
        .expect("the corpus directory is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str) {
    let f = fuzz_props::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a target of that name")
        .1;
    let files = corpus(target);
    assert!(!files.is_empty(), "fuzz/corpus/{target} is empty");
    let mut failed = Vec::new();
    for path in &files {
        let data = fs::read(path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .expect("a readable corpus file");
        if catch_unwind(AssertUnwindSafe(|| f(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} corpus inputs of {target} fail (reproduce with \
         `RUSTC_BOOTSTRAP=1 cargo fuzz run -O -a -s none {target} FILE` in fuzz/):\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn every_target_has_a_corpus_and_a_test() {
    let names: Vec<&str> = fuzz_props::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "verifier_bytes",
            "verifier_mutate",
            "json",
            "note",
            "tlog_proof",
            "proof_verify",
            "proof_mutate"
        ]
    );
}

#[test]
fn corpus_verifier_bytes() {
    replay("verifier_bytes");
}

#[test]
fn corpus_verifier_mutate() {
    replay("verifier_mutate");
}

#[test]
fn corpus_json() {
    replay("json");
}

#[test]
fn corpus_note() {
    replay("note");
}

#[test]
fn corpus_tlog_proof() {
    replay("tlog_proof");
}

#[test]
fn corpus_proof_verify() {
    replay("proof_verify");
}

#[test]
fn corpus_proof_mutate() {
    replay("proof_mutate");
}
