//! insta snapshots of the CLI's stable output on the committed fixtures. Nothing here varies
//! between runs: the fixtures are deterministic, so no redactions are needed.

use std::path::Path;

use crate::support::run_in;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

/// Runs acta in `fixtures/`: the exit code, and stdout followed by any stderr.
fn acta(args: &[&str]) -> (i32, String) {
    let out = run_in(Path::new(FIXTURES), args);
    let mut text = out.stdout;
    if !out.stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&out.stderr);
    }
    (out.code, text)
}

const TRUST: &str = "@valid/basic.operator.vkey";

#[test]
fn verify_sound_text() {
    let (code, out) = acta(&["verify", "valid/basic.log", "--trust", TRUST]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("verify_sound_text", out);
}

#[test]
fn verify_sound_json() {
    let (code, out) = acta(&["verify", "valid/basic.log", "--trust", TRUST, "--json"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("verify_sound_json", out);
}

#[test]
fn verify_altered_byte_text_and_json() {
    let (code, out) = acta(&["verify", "fail_altered_byte.log", "--trust", TRUST]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("verify_altered_byte_text", out);
    let (code, out) = acta(&[
        "verify",
        "fail_altered_byte.log",
        "--trust",
        TRUST,
        "--json",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("verify_altered_byte_json", out);
}

#[test]
fn verify_truncated_against_an_expected_head() {
    let head = std::fs::read_to_string(format!("{FIXTURES}/valid/basic.head")).expect("head");
    let (code, out) = acta(&[
        "verify",
        "fail_truncated.log",
        "--trust",
        TRUST,
        "--expect-head",
        head.trim(),
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("verify_truncated_text", out);
}

#[test]
fn verify_forged_genesis_and_unanchored() {
    let (code, out) = acta(&["verify", "fail_forged_genesis.log", "--trust", TRUST]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("verify_forged_genesis_text", out);
    let (code, out) = acta(&["verify", "fail_forged_genesis.log"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("verify_forged_genesis_unanchored_text", out);
}

#[test]
fn verify_torn_tail_and_malformed() {
    let (code, out) = acta(&["verify", "fail_torn_tail.log", "--trust", TRUST]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("verify_torn_tail_text", out);
    let (code, out) = acta(&[
        "verify",
        "fail_malformed_json.log",
        "--trust",
        TRUST,
        "--json",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("verify_malformed_json", out);
}

#[test]
fn show_text_and_json() {
    let (code, out) = acta(&["show", "valid/basic.log"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("show_basic_text", out);
    let (code, out) = acta(&[
        "show",
        "valid/basic.log",
        "--type",
        "acta.key.add",
        "--json",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("show_key_add_json", out);
}

#[test]
fn head_and_errors() {
    let (code, out) = acta(&["head", "valid/basic.log"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("head_basic", out);
    let (code, out) = acta(&[
        "verify",
        "valid/basic.log",
        "--trust",
        "test-only-operator+00000000+AAAA",
    ]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("error_bad_trust_key", out);
    let (code, out) = acta(&["verify", "no-such.log", "--trust", TRUST]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("error_missing_log", out);
}
