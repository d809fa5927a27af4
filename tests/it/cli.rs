//! The real `acta` binary, end to end: happy paths, refusals that write nothing, exit codes.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use crate::support::{key, ok_in as ok, run_in as run};

/// Writes a private key file (mode 0600) for a fixed test-only key; returns its verifier key.
fn write_key(dir: &Path, file: &str, name: &str, seed: u8) -> String {
    crate::support::write_key(dir, file, &key(name, seed))
}

/// A temp dir with an operator key and a log holding a genesis and two entries.
fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let vkey = write_key(dir.path(), "op.key", "test-only-operator", 1);
    ok(
        dir.path(),
        &[
            "init",
            "x.log",
            "--origin",
            "example.org/cli-test",
            "--key",
            "op.key",
        ],
    );
    ok(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "test.note",
            "--data",
            r#"{"text":"one"}"#,
        ],
    );
    ok(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "test.note",
            "--data",
            r#"{"text":"two"}"#,
        ],
    );
    (dir, vkey)
}

fn log_bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("x.log")).expect("log exists")
}

fn path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

#[test]
fn key_generate_writes_a_0600_private_key_and_prints_the_verifier_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(
        dir.path(),
        &["key", "generate", "--name", "alice", "--out", "alice.key"],
    );
    let vkey: acta_core::VerifierKey = out.trim().parse().expect("stdout is a verifier key");
    assert_eq!(vkey.name(), "alice");
    let meta = std::fs::metadata(path(dir.path(), "alice.key")).expect("key file");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(path(dir.path(), "alice.key")).expect("read");
    assert!(
        text.starts_with("PRIVATE+KEY+alice+"),
        "private form is prefixed"
    );
    // PRIVATE+KEY+NAME+ID+BASE64: the secret is everything after the fourth '+' (base64 may
    // itself contain '+').
    let secret = text.trim().splitn(5, '+').nth(4).expect("b64");
    assert!(secret.len() >= 40, "the whole secret: {secret}");
    assert!(!out.contains(secret), "secret not printed");
    // `key verifier` derives the same public key from the file.
    let again = ok(dir.path(), &["key", "verifier", "alice.key"]);
    assert_eq!(again, out);
    // Never overwrite a key file.
    let o = run(
        dir.path(),
        &["key", "generate", "--name", "bob", "--out", "alice.key"],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("never overwrites"), "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(path(dir.path(), "alice.key")).expect("read"),
        text
    );
}

#[test]
fn a_new_log_verifies_against_its_trust_anchor() {
    let (dir, vkey) = setup();
    let o = run(dir.path(), &["verify", "x.log", "--trust", &vkey]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("entries:  3"), "{}", o.stdout);
    assert!(o.stdout.contains("result:   sound"), "{}", o.stdout);
    // The head printed by `acta head` is the head in the report.
    let head = ok(dir.path(), &["head", "x.log"]);
    assert!(o.stdout.contains(&format!("head:     {}", head.trim())));
    assert!(head.starts_with("2:"));
}

#[test]
fn verify_without_trust_is_unanchored_and_fails_unless_allowed() {
    let (dir, _) = setup();
    let o = run(dir.path(), &["verify", "x.log"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("self-consistent but unanchored"),
        "{}",
        o.stdout
    );
    let o = run(dir.path(), &["verify", "x.log", "--allow-unanchored"]);
    assert_eq!(o.code, 0);
}

#[test]
fn verify_with_another_trust_key_fails() {
    let (dir, _) = setup();
    let other = write_key(dir.path(), "other.key", "test-only-other", 2);
    let o = run(
        dir.path(),
        &["verify", "x.log", "--trust", &other, "--json"],
    );
    assert_eq!(o.code, 1);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON report");
    assert_eq!(v["sound"], false);
    assert_eq!(v["report"]["anchor"]["anchor"], "failed");
    assert_eq!(
        v["report"]["findings"][0]["kind"]["finding"],
        "untrusted_genesis"
    );
}

#[test]
fn verify_trust_from_file_and_expect_head() {
    let (dir, vkey) = setup();
    std::fs::write(path(dir.path(), "op.vkey"), format!("{vkey}\n")).expect("write");
    let head = ok(dir.path(), &["head", "x.log"]);
    ok(
        dir.path(),
        &[
            "verify",
            "x.log",
            "--trust",
            "@op.vkey",
            "--expect-head",
            head.trim(),
        ],
    );
    // Truncate the last entry: the old head is gone.
    let bytes = log_bytes(dir.path());
    let cut = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .expect("several lines");
    std::fs::write(path(dir.path(), "x.log"), &bytes[..=cut]).expect("truncate");
    let o = run(
        dir.path(),
        &[
            "verify",
            "x.log",
            "--trust",
            "@op.vkey",
            "--expect-head",
            head.trim(),
        ],
    );
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("entries were removed"), "{}", o.stdout);
}

#[test]
fn append_refuses_bad_input_and_writes_nothing() {
    let (dir, _) = setup();
    let before = log_bytes(dir.path());
    let big = format!(r#"{{"text":"{}"}}"#, "x".repeat(acta_core::MAX_ENTRY_BYTES));
    std::fs::write(path(dir.path(), "big.json"), big).expect("write");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--data", "{not json"], "not acceptable JSON"),
        (vec!["--data", r#"{"a":1,"a":2}"#], "duplicate object key"),
        (vec!["--data", r#"{"a":1.5}"#], "only integers"),
        (vec!["--data", r#"{"a":9007199254740992}"#], "2^53"),
        (vec!["--data", "[1]"], "must be a JSON object"),
        (vec!["--data", "@big.json"], "limit"),
        (vec!["--data", "@missing.json"], "cannot read missing.json"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["append", "x.log", "--key", "op.key", "--type", "test.note"];
        args.extend(extra);
        let o = run(dir.path(), &args);
        assert_eq!(o.code, 2, "{args:?}");
        assert!(o.stderr.contains(expected), "{args:?}: {}", o.stderr);
        assert_eq!(log_bytes(dir.path()), before, "{args:?} wrote something");
    }
    // A type outside the allowed characters, and the reserved genesis type.
    for t in ["bad type", "acta.genesis", "acta.unknown"] {
        let o = run(
            dir.path(),
            &[
                "append", "x.log", "--key", "op.key", "--type", t, "--data", "{}",
            ],
        );
        assert_eq!(o.code, 2, "{t}");
        assert_eq!(log_bytes(dir.path()), before, "{t} wrote something");
    }
}

#[test]
fn append_refuses_a_key_that_is_not_in_the_log() {
    let (dir, _) = setup();
    write_key(dir.path(), "intruder.key", "test-only-intruder", 3);
    let before = log_bytes(dir.path());
    let o = run(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "intruder.key",
            "--type",
            "test.note",
            "--data",
            "{}",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("not in this log's keyring"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("acta key add"),
        "says what to do next: {}",
        o.stderr
    );
    assert_eq!(log_bytes(dir.path()), before);
}

#[test]
fn key_files_must_be_private_and_of_the_right_kind() {
    let (dir, vkey) = setup();
    let before = log_bytes(dir.path());
    std::fs::set_permissions(
        path(dir.path(), "op.key"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    let o = run(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "test.note",
            "--data",
            "{}",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("chmod 600"), "{}", o.stderr);
    assert_eq!(log_bytes(dir.path()), before);

    // A public key where a private key file is expected.
    std::fs::write(path(dir.path(), "pub.key"), &vkey).expect("write");
    std::fs::set_permissions(
        path(dir.path(), "pub.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    let o = run(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "pub.key",
            "--type",
            "test.note",
            "--data",
            "{}",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("public verifier key"), "{}", o.stderr);

    // A private key where the trust anchor is expected: refused, and the secret not echoed.
    std::fs::set_permissions(
        path(dir.path(), "op.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    let secret = std::fs::read_to_string(path(dir.path(), "op.key")).expect("read");
    let o = run(dir.path(), &["verify", "x.log", "--trust", secret.trim()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("private signer key"), "{}", o.stderr);
    // The library's error names no command; the CLI says what to do next.
    assert!(o.stderr.contains("acta key verifier FILE"), "{}", o.stderr);
    let b64 = secret.trim().rsplit('+').next().expect("b64");
    assert!(
        !o.stderr.contains(b64) && !o.stdout.contains(b64),
        "secret leaked"
    );
}

#[test]
fn import_is_all_or_nothing_and_names_the_bad_line() {
    let (dir, vkey) = setup();
    let before = log_bytes(dir.path());
    std::fs::write(
        path(dir.path(), "bad.jsonl"),
        "{\"type\":\"test.a\",\"data\":{}}\n\n{\"type\":\"test.b\",\"data\":{\"n\":1}}\n{\"type\":\"test.c\",\"data\":{\"n\":1.5}}\n",
    )
    .expect("write");
    let o = run(
        dir.path(),
        &["import", "x.log", "--key", "op.key", "bad.jsonl"],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("bad.jsonl line 4"), "{}", o.stderr);
    assert_eq!(log_bytes(dir.path()), before);

    // An event the writer refuses (reserved type) on line 2: nothing written either.
    std::fs::write(
        path(dir.path(), "refused.jsonl"),
        "{\"type\":\"test.a\",\"data\":{}}\n{\"type\":\"acta.nope\",\"data\":{}}\n",
    )
    .expect("write");
    let o = run(
        dir.path(),
        &["import", "x.log", "--key", "op.key", "refused.jsonl"],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("refused.jsonl line 2"), "{}", o.stderr);
    assert_eq!(log_bytes(dir.path()), before);

    let good: String = (0..50)
        .map(|i| format!("{{\"type\":\"test.bulk\",\"data\":{{\"i\":{i}}}}}\n"))
        .collect();
    std::fs::write(path(dir.path(), "good.jsonl"), good).expect("write");
    let head = ok(
        dir.path(),
        &["import", "x.log", "--key", "op.key", "good.jsonl"],
    );
    assert!(head.starts_with("52:"), "{head}");
    let o = run(dir.path(), &["verify", "x.log", "--trust", &vkey]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(o.stdout.contains("entries:  53"));
}

#[test]
fn key_add_and_revoke_govern_who_may_append() {
    let (dir, vkey) = setup();
    let clerk = write_key(dir.path(), "clerk.key", "test-only-clerk", 4);
    ok(
        dir.path(),
        &[
            "key", "add", "x.log", "--key", "op.key", "--add", &clerk, "--roles", "test.*",
        ],
    );
    ok(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "clerk.key",
            "--type",
            "test.note",
            "--data",
            "{}",
        ],
    );
    // Outside its roles.
    let o = run(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "clerk.key",
            "--type",
            "other.note",
            "--data",
            "{}",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("may not sign entries of type"),
        "{}",
        o.stderr
    );
    // The clerk may not add keys.
    let o = run(
        dir.path(),
        &[
            "key",
            "add",
            "x.log",
            "--key",
            "clerk.key",
            "--add",
            &clerk,
            "--roles",
            "*",
        ],
    );
    assert_eq!(o.code, 2);
    let clerk_ref = clerk.rsplit_once('+').expect("NAME+ID+KEY").0;
    ok(
        dir.path(),
        &[
            "key", "revoke", "x.log", "--key", "op.key", "--revoke", clerk_ref, "--reason", "left",
        ],
    );
    let o = run(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "clerk.key",
            "--type",
            "test.note",
            "--data",
            "{}",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("revoked at seq 5"), "{}", o.stderr);
    let o = run(dir.path(), &["verify", "x.log", "--trust", &vkey]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(o.stdout.contains("entries:  6"));
}

#[test]
fn torn_tail_blocks_appends_until_repair_moves_it_aside() {
    let (dir, vkey) = setup();
    let clean = log_bytes(dir.path());
    let mut torn = clean.clone();
    torn.extend_from_slice(b"{\"author\":\"half");
    std::fs::write(path(dir.path(), "x.log"), &torn).expect("write");

    let o = run(dir.path(), &["verify", "x.log", "--trust", &vkey]);
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains(&format!("(byte {})", clean.len())),
        "{}",
        o.stdout
    );
    let o = run(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "test.note",
            "--data",
            "{}",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("acta repair"), "{}", o.stderr);
    assert_eq!(log_bytes(dir.path()), torn);

    let out = ok(dir.path(), &["repair", "x.log"]);
    assert!(
        out.contains(&format!(
            "moved 15 torn bytes from byte offset {}",
            clean.len()
        )),
        "{out}"
    );
    assert_eq!(log_bytes(dir.path()), clean, "complete entries untouched");
    let side = path(dir.path(), &format!("x.log.torn-{}", clean.len()));
    assert_eq!(
        std::fs::read(side).expect("side file"),
        b"{\"author\":\"half"
    );
    ok(dir.path(), &["verify", "x.log", "--trust", &vkey]);
    ok(
        dir.path(),
        &[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "test.note",
            "--data",
            "{}",
        ],
    );
    let out = ok(dir.path(), &["repair", "x.log"]);
    assert!(out.contains("nothing to repair"));
}

#[test]
fn unusable_paths_and_arguments_exit_2() {
    let (dir, vkey) = setup();
    let cases: Vec<Vec<&str>> = vec![
        vec!["verify", "missing.log", "--trust", &vkey],
        vec!["verify", ".", "--trust", &vkey],
        vec!["verify", "x.log", "--trust", "not-a-key"],
        vec!["verify", "x.log", "--trust", &vkey, "--expect-head", "3:zz"],
        vec!["show", "missing.log"],
        vec![
            "init",
            "x.log",
            "--origin",
            "example.org/again",
            "--key",
            "op.key",
        ],
        vec!["init", "y.log", "--origin", "has space", "--key", "op.key"],
        vec![
            "append",
            "x.log",
            "--key",
            "missing.key",
            "--type",
            "t",
            "--data",
            "{}",
        ],
        vec!["frobnicate"],
    ];
    for args in cases {
        let o = run(dir.path(), &args);
        assert_eq!(o.code, 2, "{args:?}: {}{}", o.stdout, o.stderr);
        assert!(!o.stderr.is_empty(), "{args:?} explains itself");
    }
    assert!(!path(dir.path(), "y.log").exists());
}

#[test]
fn append_refuses_a_symlinked_log() {
    let (dir, _) = setup();
    std::os::unix::fs::symlink(path(dir.path(), "x.log"), path(dir.path(), "link.log"))
        .expect("symlink");
    let before = log_bytes(dir.path());
    let o = run(
        dir.path(),
        &[
            "append",
            "link.log",
            "--key",
            "op.key",
            "--type",
            "test.note",
            "--data",
            "{}",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("symlink") || o.stderr.contains("symbolic link"),
        "{}",
        o.stderr
    );
    assert_eq!(log_bytes(dir.path()), before);
}

#[test]
fn show_filters_and_json_lines() {
    let (dir, _) = setup();
    let all = ok(dir.path(), &["show", "x.log"]);
    assert_eq!(all.lines().filter(|l| l.starts_with('#')).count(), 3);
    let one = ok(dir.path(), &["show", "x.log", "--seq", "2", "--json"]);
    let v: serde_json::Value = serde_json::from_str(one.trim()).expect("one JSON line");
    assert_eq!(v["entry"]["seq"], 2);
    assert_eq!(v["entry"]["data"]["text"], "two");
    let head = ok(dir.path(), &["head", "x.log"]);
    assert_eq!(
        format!("2:{}", v["hash"].as_str().expect("hash")),
        head.trim()
    );
    let notes = ok(
        dir.path(),
        &["show", "x.log", "--type", "test.note", "--json"],
    );
    assert_eq!(notes.lines().count(), 2);
    let o = run(dir.path(), &["show", "x.log", "--seq", "9"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no entry"), "{}", o.stderr);
}

#[test]
fn a_log_of_the_icc_domain_validates_events_before_they_are_signed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let vkey = write_key(d, "op.key", "test-only-operator", 1);
    ok(
        d,
        &[
            "init",
            "icc.log",
            "--origin",
            "example.org/icc-test",
            "--key",
            "op.key",
            "--domain",
            "icc-noncooperation/v1",
        ],
    );
    // (An event that presupposes nothing: the domain's rules are tested in seed.rs.)
    let arrest = r#"{"entry_into_force":"2002-07-01","occurred":"2001-11-30","state":"HUN"}"#;
    ok(
        d,
        &[
            "append",
            "icc.log",
            "--key",
            "op.key",
            "--type",
            "state_became_party",
            "--data",
            arrest,
        ],
    );
    let before = std::fs::read(d.join("icc.log")).expect("log");
    // An unassigned State code: refused, naming the field, nothing written.
    let bad = arrest.replace("\"HUN\"", "\"XXX\"");
    let o = run(
        d,
        &[
            "append",
            "icc.log",
            "--key",
            "op.key",
            "--type",
            "state_became_party",
            "--data",
            &bad,
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("data.state"), "{}", o.stderr);
    assert_eq!(std::fs::read(d.join("icc.log")).expect("log"), before);
    // A missing field in an import: refused with its line, nothing written.
    let missing = arrest.replace("\"occurred\":\"2001-11-30\",", "");
    std::fs::write(
        d.join("ev.jsonl"),
        format!("{{\"type\":\"state_became_party\",\"data\":{arrest}}}\n{{\"type\":\"state_became_party\",\"data\":{missing}}}\n"),
    )
    .expect("write");
    let o = run(d, &["import", "icc.log", "--key", "op.key", "ev.jsonl"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("ev.jsonl line 2") && o.stderr.contains("data.occurred"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read(d.join("icc.log")).expect("log"), before);
    // A type this version does not know is kept, with a warning.
    let o = run(
        d,
        &[
            "append",
            "icc.log",
            "--key",
            "op.key",
            "--type",
            "future_event_type",
            "--data",
            "{}",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("warning") && o.stderr.contains("future_event_type"),
        "{}",
        o.stderr
    );
    let o = run(d, &["verify", "icc.log", "--trust", &vkey]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(o.stdout.contains("entries:  3"), "{}", o.stdout);
    // A log without a domain accepts any type and data.
    ok(
        d,
        &[
            "init",
            "free.log",
            "--origin",
            "example.org/free",
            "--key",
            "op.key",
        ],
    );
    ok(
        d,
        &[
            "append",
            "free.log",
            "--key",
            "op.key",
            "--type",
            "state_became_party",
            "--data",
            "{}",
        ],
    );
}
