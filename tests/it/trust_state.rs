//! Issue 11, cases 2, 3, 3a, 4 (the writer's half) and 11: files beside a log, written by
//! someone with access to the folder but no signing key, never steer what the writer signs,
//! and a refused command writes nothing. Every attack goes through the real `acta` binary;
//! the proptest at the end drives the library's writer with a fixed clock.
//!
//! The attacker's tools are only what a folder-writer has: the log's bytes, the side files'
//! bytes, and the public format (an unkeyed checksum is recomputable by anyone).

use std::path::{Path, PathBuf};

use acta_core::entry::NewEntry;
use acta_core::json::{Object, Value};
use acta_core::{EntryHash, Genesis, Roles, SigningKey};
use acta_store::log::Expect;
use acta_store::{LogError, LogWriter, Opened};
use proptest::prelude::*;

use crate::support::{Out, key, run_in, write_key};

/// A scratch folder with the operator's key (`op.key`) and a clerk's (`clerk.key`).
struct Env {
    dir: tempfile::TempDir,
    op: SigningKey,
    clerk: SigningKey,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let env = Env {
            dir,
            op: key("test-only-operator", 41),
            clerk: key("test-only-clerk", 42),
        };
        env.write_key("op.key", &env.op);
        env.write_key("clerk.key", &env.clerk);
        env
    }

    fn write_key(&self, file: &str, key: &SigningKey) {
        write_key(self.dir.path(), file, key);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn acta(&self, args: &[&str]) -> Out {
        run_in(self.dir.path(), args)
    }

    /// Runs acta and requires success.
    fn ok(&self, args: &[&str]) -> Out {
        let o = self.acta(args);
        assert_eq!(o.code, 0, "acta {args:?}: {}", o.stderr);
        o
    }

    fn read(&self, name: &str) -> Option<Vec<u8>> {
        std::fs::read(self.path(name)).ok()
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.path(name), bytes).expect("write");
    }

    /// `acta verify LOG --trust OPERATOR` is sound.
    fn assert_sound(&self, log: &str, context: &str) {
        let o = self.acta(&["verify", log, "--trust", &self.op.verifier().to_string()]);
        assert_eq!(o.code, 0, "{context}: {log} is not sound:\n{}", o.stdout);
        assert!(
            o.stdout.contains("result:   sound"),
            "{context}: {}",
            o.stdout
        );
    }

    /// The log's lines, parsed as JSON.
    fn lines(&self, log: &str) -> Vec<serde_json::Value> {
        let bytes = self.read(log).expect("the log");
        bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).expect("a JSON line"))
            .collect()
    }

    /// A plain log (no domain) with the operator (roles `*`) and `notes` notes.
    fn plain_log(&self, log: &str, origin: &str, notes: usize) {
        self.ok(&["init", log, "--origin", origin, "--key", "op.key"]);
        for i in 0..notes {
            self.ok(&[
                "append",
                log,
                "--key",
                "op.key",
                "--type",
                "note.added",
                "--data",
                &format!(r#"{{"text":"note {i}"}}"#),
            ]);
        }
    }

    /// An ICC-domain log in which a warrant was issued and then withdrawn.
    fn withdrawn_warrant_log(&self, log: &str) {
        self.ok(&[
            "init",
            log,
            "--origin",
            "example.org/trust-icc",
            "--key",
            "op.key",
            "--domain",
            "icc-noncooperation/v1",
        ]);
        for (t, data) in [
            (
                "person_registered",
                r#"{"person":"example-suspect","primary_name":"Example Suspect"}"#,
            ),
            (
                "arrest_warrant_issued",
                r#"{"warrant_id":"example-warrant","person":"example-suspect","situation":"ICC-01/18","chamber":"PTC-I","visibility":"public","occurred":"2024-01-10"}"#,
            ),
            (
                "arrest_warrant_withdrawn",
                r#"{"warrant_id":"example-warrant","reason":"prosecution_request","occurred":"2024-06-01"}"#,
            ),
        ] {
            self.ok(&[
                "append", log, "--key", "op.key", "--type", t, "--data", data,
            ]);
        }
    }

    /// Appends an arrest on the withdrawn warrant and requires the domain rules to refuse it,
    /// with nothing written to the log.
    fn assert_arrest_refused(&self, log: &str, context: &str) {
        let before = self.read(log);
        let o = self.acta(&[
            "append",
            log,
            "--key",
            "op.key",
            "--type",
            "person_arrested",
            "--data",
            ARREST,
        ]);
        assert_eq!(
            o.code, 2,
            "{context}: the arrest was not refused: {}",
            o.stderr
        );
        assert!(
            o.stderr.contains("E_WARRANT_TERMINAL"),
            "{context}: refused for another reason: {}",
            o.stderr
        );
        assert_eq!(self.read(log), before, "{context}: the log changed");
        self.assert_sound(log, context);
    }
}

const ARREST: &str = r#"{"warrant_id":"example-warrant","person":"example-suspect","state":"ITA","occurred":"2024-07-01"}"#;

/// The side file `name`, split into its lines (without their `'\n'`).
fn split_lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// A state file rewritten by an attacker: the JSON line changed by `edit`, and the third line
/// either the old-style unkeyed checksum recomputed over the new lines (what anyone can
/// compute) or the MAC line left as it was.
fn forged_states(state: &[u8], edit: impl Fn(&mut serde_json::Value)) -> Vec<(String, Vec<u8>)> {
    let lines = split_lines(state);
    assert_eq!(lines.len(), 3, "a state file is three lines");
    let mut json: serde_json::Value = serde_json::from_slice(&lines[1]).expect("JSON");
    edit(&mut json);
    let body = format!(
        "{}\n{}\n",
        String::from_utf8_lossy(&lines[0]),
        serde_json::to_string(&json).expect("JSON")
    );
    let checksum = EntryHash::of_line(body.as_bytes());
    let kept_mac = String::from_utf8_lossy(&lines[2]).into_owned();
    vec![
        (
            "recomputed checksum".to_owned(),
            format!("{body}{checksum}\n").into_bytes(),
        ),
        (
            "MAC line kept".to_owned(),
            format!("{body}{kept_mac}\n").into_bytes(),
        ),
    ]
}

/// The `recorded_at` of the log's last line.
fn last_recorded_at(env: &Env, log: &str) -> chrono::DateTime<chrono::Utc> {
    let lines = env.lines(log);
    let t = lines.last().expect("a line")["recorded_at"]
        .as_str()
        .expect("recorded_at");
    chrono::DateTime::parse_from_rfc3339(t)
        .expect("RFC 3339")
        .with_timezone(&chrono::Utc)
}

// ---------------------------------------------------------------------------------------------
// Case 2: LOG.state

/// 2a: a far-future `last_recorded_at` in a forged state does not date the next entry.
#[test]
fn trust_forged_state_time_does_not_date_the_next_entry() {
    let env = Env::new();
    env.plain_log("x.log", "example.org/trust-time", 2);
    let state = env.read("x.log.state").expect("a state file");
    for (how, forged) in forged_states(&state, |j| {
        j["chain"]["last_recorded_at"] = "9999-12-31T00:00:00Z".into();
    }) {
        env.write("x.log.state", &forged);
        let before = chrono::Utc::now();
        env.ok(&[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "note.added",
            "--data",
            r#"{"text":"after the forgery"}"#,
        ]);
        let after = chrono::Utc::now();
        let t = last_recorded_at(&env, "x.log");
        assert!(
            before - chrono::Duration::seconds(1) <= t && t <= after,
            "{how}: the entry is dated {t}, not by the clock ({before} .. {after})"
        );
        env.assert_sound("x.log", &how);
    }
}

/// 2b: `"domain": null` in a forged state does not switch the domain's rules off.
#[test]
fn trust_forged_state_domain_null_keeps_the_domain_rules() {
    let env = Env::new();
    env.withdrawn_warrant_log("icc.log");
    let state = env.read("icc.log.state").expect("a state file");
    for (how, forged) in forged_states(&state, |j| j["chain"]["domain"] = serde_json::Value::Null) {
        env.write("icc.log.state", &forged);
        env.assert_arrest_refused("icc.log", &how);
    }
}

/// A log where the clerk may sign only `note.*` and then is revoked (if `revoke`).
fn clerk_log(env: &Env, revoke: bool) {
    env.plain_log("c.log", "example.org/trust-roles", 1);
    env.ok(&[
        "key",
        "add",
        "c.log",
        "--key",
        "op.key",
        "--add",
        &env.clerk.verifier().to_string(),
        "--roles",
        "note.*",
    ]);
    if revoke {
        env.ok(&[
            "key",
            "revoke",
            "c.log",
            "--key",
            "op.key",
            "--revoke",
            &env.clerk.key_ref().to_string(),
        ]);
    }
}

/// Requires `acta append c.log --key clerk.key --type T` to be refused with `finding` named
/// and nothing written, and the log to stay sound.
fn assert_clerk_refused(env: &Env, entry_type: &str, finding: &str, context: &str) {
    let before = env.read("c.log");
    let o = env.acta(&[
        "append",
        "c.log",
        "--key",
        "clerk.key",
        "--type",
        entry_type,
        "--data",
        r#"{"text":"x"}"#,
    ]);
    assert_eq!(o.code, 2, "{context}: signed: {}", o.stdout);
    assert!(o.stderr.contains(finding), "{context}: {}", o.stderr);
    assert_eq!(env.read("c.log"), before, "{context}: the log changed");
    env.assert_sound("c.log", context);
}

/// 2c: widened roles in a forged state do not let a narrow key sign outside its roles.
#[test]
fn trust_forged_state_widened_roles_sign_nothing_verify_rejects() {
    let env = Env::new();
    clerk_log(&env, false);
    let state = env.read("c.log.state").expect("a state file");
    let clerk = env.clerk.key_ref().to_string();
    for (how, forged) in forged_states(&state, |j| {
        for k in j["chain"]["keyring"].as_array_mut().expect("keyring") {
            if k["key"].as_str().is_some_and(|s| s.starts_with(&clerk)) {
                k["roles"] = serde_json::json!(["*"]);
            }
        }
    }) {
        env.write("c.log.state", &forged);
        assert_clerk_refused(&env, "registry.changed", "may not sign", &how);
    }
}

/// 2c: a revocation removed from a forged state does not let the revoked key sign.
#[test]
fn trust_forged_state_removed_revocation_signs_nothing_verify_rejects() {
    let env = Env::new();
    clerk_log(&env, true);
    let state = env.read("c.log.state").expect("a state file");
    for (how, forged) in forged_states(&state, |j| {
        for k in j["chain"]["keyring"].as_array_mut().expect("keyring") {
            k["revoked_at"] = serde_json::Value::Null;
        }
    }) {
        env.write("c.log.state", &forged);
        assert_clerk_refused(&env, "note.added", "revoked", &how);
    }
}

/// 2c: a changed origin in a forged state does not make the writer sign for another log.
#[test]
fn trust_forged_state_changed_origin_signs_for_the_real_origin() {
    let env = Env::new();
    env.plain_log("x.log", "example.org/trust-origin", 1);
    let state = env.read("x.log.state").expect("a state file");
    for (how, forged) in forged_states(&state, |j| {
        j["chain"]["origin"] = "example.org/somewhere-else".into();
    }) {
        env.write("x.log.state", &forged);
        env.ok(&[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "note.added",
            "--data",
            r#"{"text":"x"}"#,
        ]);
        // Signed for the log's own origin: it verifies as an entry of this log.
        env.assert_sound("x.log", &how);
    }
}

// ---------------------------------------------------------------------------------------------
// Case 3: LOG.domain-state

/// 3: the domain snapshot with the withdrawal removed (position kept) is not used.
#[test]
fn trust_forged_domain_snapshot_without_the_withdrawal_is_not_used() {
    let env = Env::new();
    env.withdrawn_warrant_log("icc.log");
    let sealed = env.read("icc.log.domain-state").expect("a domain snapshot");
    let lines = split_lines(&sealed);
    assert_eq!(
        lines.len(),
        2,
        "a sealed snapshot is a JSON line and a MAC line"
    );
    let mut json: serde_json::Value = serde_json::from_slice(&lines[0]).expect("JSON");
    let items = json["state"]["items"].as_array_mut().expect("items");
    let n = items.len();
    items.retain(|i| i["type"] != "arrest_warrant_withdrawn");
    assert_eq!(items.len(), n - 1, "the withdrawal was in the snapshot");
    let json = serde_json::to_string(&json).expect("JSON");
    let mac = String::from_utf8_lossy(&lines[1]).into_owned();
    for (how, forged) in [
        ("unsealed, as the old format", json.clone().into_bytes()),
        ("MAC line kept", format!("{json}\n{mac}\n").into_bytes()),
        (
            "a MAC of the unkeyed kind",
            format!("{json}\n{}\n", EntryHash::of_line(json.as_bytes())).into_bytes(),
        ),
    ] {
        env.write("icc.log.domain-state", &forged);
        env.assert_arrest_refused("icc.log", how);
    }
}

/// The domain snapshot of another key (another operator's log) is not used either, and a valid
/// one is: the arrest is refused through the snapshot as without it.
#[test]
fn trust_domain_snapshot_of_another_key_is_not_used() {
    let env = Env::new();
    env.withdrawn_warrant_log("icc.log");
    let genuine = env.read("icc.log.domain-state").expect("a domain snapshot");
    env.assert_arrest_refused("icc.log", "genuine snapshot");
    // Sealed by another key over a history without the withdrawal, at the same position.
    let other = key("test-only-operator", 43);
    let json = split_lines(&genuine).remove(0);
    let mut snap: acta_store::project::Snapshot<acta_domain::model::History> =
        acta_store::project::Snapshot::from_json(&json).expect("a snapshot");
    snap.state
        .items
        .retain(|i| i.entry_type != "arrest_warrant_withdrawn");
    let forged = snap.to_sealed(&other).expect("seal");
    env.write("icc.log.domain-state", &forged);
    env.assert_arrest_refused("icc.log", "sealed by another key");
}

// ---------------------------------------------------------------------------------------------
// Case 3a: another log put in place of the intended one

/// 3a: log A replaced by a copy of log B (same operator key, with B's side files): the
/// operator's append with `--expect-origin A` is refused, and nothing is written.
#[test]
fn trust_log_replaced_by_another_is_refused_with_expect_origin() {
    let env = Env::new();
    env.plain_log("a.log", "example.org/log-a", 2);
    env.plain_log("b.log", "example.org/log-b", 3);
    // With the real A, the flag is no obstacle.
    env.ok(&[
        "append",
        "a.log",
        "--key",
        "op.key",
        "--type",
        "note.added",
        "--data",
        r#"{"text":"A"}"#,
        "--expect-origin",
        "example.org/log-a",
    ]);
    for ext in ["", ".state", ".tree"] {
        let from = env.path(&format!("b.log{ext}"));
        std::fs::copy(from, env.path(&format!("a.log{ext}"))).expect("copy");
    }
    let files = |env: &Env| {
        ["a.log", "a.log.state", "a.log.tree", "a.log.checkpoints"]
            .map(|f| env.read(f))
            .to_vec()
    };
    let before = files(&env);
    let data = r#"{"text":"meant for A"}"#;
    let import = env.path("events.jsonl");
    std::fs::write(
        &import,
        format!("{{\"type\":\"note.added\",\"data\":{data}}}\n"),
    )
    .expect("write events");
    let clerk = env.clerk.verifier().to_string();
    let clerk_ref = env.clerk.key_ref().to_string();
    let attempts: Vec<Vec<&str>> = vec![
        vec![
            "append",
            "a.log",
            "--key",
            "op.key",
            "--type",
            "note.added",
            "--data",
            data,
        ],
        vec!["import", "a.log", "--key", "op.key", "events.jsonl"],
        vec!["checkpoint", "a.log", "--key", "op.key"],
        vec![
            "key", "add", "a.log", "--key", "op.key", "--add", &clerk, "--roles", "*",
        ],
        vec![
            "key", "revoke", "a.log", "--key", "op.key", "--revoke", &clerk_ref,
        ],
    ];
    for mut args in attempts {
        args.extend(["--expect-origin", "example.org/log-a"]);
        let o = env.acta(&args);
        assert_eq!(o.code, 2, "{args:?}: not refused: {}", o.stdout);
        assert!(
            o.stderr.contains("example.org/log-a") && o.stderr.contains("example.org/log-b"),
            "{args:?}: the error names both origins: {}",
            o.stderr
        );
        assert!(o.stdout.is_empty(), "{args:?}: {}", o.stdout);
        assert_eq!(files(&env), before, "{args:?}: something was written");
    }
}

/// `--expect-head`: the append goes ahead only on exactly that head, and a stale or foreign
/// head is refused with nothing written.
#[test]
fn trust_expect_head_refuses_a_log_not_at_that_head() {
    let env = Env::new();
    env.plain_log("x.log", "example.org/trust-head", 2);
    let head = env.ok(&["head", "x.log"]).stdout.trim().to_owned();
    let append = |head: &str| {
        env.acta(&[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "note.added",
            "--data",
            r#"{"text":"x"}"#,
            "--expect-head",
            head,
        ])
    };
    let o = append(&head);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let new_head = o.stdout.trim().to_owned();
    assert_ne!(new_head, head);
    // The old head again: the log moved on since.
    let before = env.read("x.log");
    let o = append(&head);
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(
        o.stderr.contains(&head) && o.stderr.contains(&new_head),
        "{}",
        o.stderr
    );
    assert_eq!(env.read("x.log"), before);
    // Malformed: a usage error before anything is opened.
    let o = append("3:nothex");
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--expect-head"), "{}", o.stderr);
    assert_eq!(env.read("x.log"), before);
}

// ---------------------------------------------------------------------------------------------
// Case 4: a line with a garbage signature

/// Appends to `log` a line that has the right author, seq, prev and time but a signature
/// nobody made: what someone without the key can append.
fn append_unsigned_line(env: &Env, log: &str) -> Vec<u8> {
    let lines = env.lines(log);
    let bytes = env.read(log).expect("log");
    let last = split_lines(&bytes).pop().expect("a line");
    let origin = lines[0]["data"]["origin"]
        .as_str()
        .expect("origin")
        .to_owned();
    let recorded_at = lines.last().expect("a line")["recorded_at"]
        .as_str()
        .expect("time")
        .to_owned();
    let mut data = Object::new();
    data.insert("text", Value::String("forged".into()));
    // Signed by a stand-in key with the same name, then given the operator's key id: the
    // line names the operator as author, but the operator never signed it.
    let stand_in = key("test-only-operator", 99);
    let line = NewEntry {
        seq: lines.len() as u64,
        prev: EntryHash::of_line(&last),
        recorded_at: &recorded_at,
        entry_type: "note.added",
        data: &data,
    }
    .sign(&origin, &stand_in)
    .expect("sign");
    let text = String::from_utf8(line).expect("UTF-8");
    let forged = text.replace(
        &stand_in.key_ref().to_string(),
        &env.op.key_ref().to_string(),
    );
    assert_ne!(forged, text);
    let mut all = bytes;
    all.extend_from_slice(forged.as_bytes());
    all.push(b'\n');
    env.write(log, &all);
    all
}

/// 4: `acta checkpoint` refuses to cover a line whose signature does not verify (nothing is
/// written to the checkpoint directory), and `acta append` refuses to build on it.
#[test]
fn trust_unsigned_line_is_never_checkpointed_nor_appended_to() {
    let env = Env::new();
    env.plain_log("x.log", "example.org/trust-sig", 2);
    // A first, honest checkpoint.
    env.ok(&["checkpoint", "x.log", "--key", "op.key"]);
    let list = |env: &Env| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(env.path("x.log.checkpoints"))
            .expect("the checkpoint directory")
            .map(|e| {
                let e = e.expect("entry");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect();
        v.sort();
        v
    };
    let kept = list(&env);
    let forged = append_unsigned_line(&env, "x.log");
    let side = |env: &Env| ["x.log.state", "x.log.tree"].map(|f| env.read(f)).to_vec();
    let side_before = side(&env);
    // With the state file covering the lines before it (the usual case), and without it.
    for drop_state in [false, true] {
        if drop_state {
            let _ = std::fs::remove_file(env.path("x.log.state"));
        }
        let context = if drop_state {
            "no state file"
        } else {
            "state file"
        };
        let o = env.acta(&["checkpoint", "x.log", "--key", "op.key", "--out", "cp.note"]);
        assert_eq!(
            o.code, 2,
            "{context}: a checkpoint was signed: {}",
            o.stdout
        );
        assert!(
            o.stderr.contains("bad_signature") || o.stderr.contains("signature"),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains("entry 3"),
            "{context}: names the entry: {}",
            o.stderr
        );
        assert!(o.stdout.is_empty());
        assert_eq!(
            list(&env),
            kept,
            "{context}: the checkpoint directory changed"
        );
        assert!(!env.path("cp.note").exists(), "{context}");
        let o = env.acta(&[
            "append",
            "x.log",
            "--key",
            "op.key",
            "--type",
            "note.added",
            "--data",
            r#"{"text":"on top"}"#,
        ]);
        assert_eq!(
            o.code, 2,
            "{context}: appended on the forged line: {}",
            o.stdout
        );
        assert!(o.stderr.contains("entry 3"), "{context}: {}", o.stderr);
        assert_eq!(env.read("x.log"), Some(forged.clone()), "{context}");
        if !drop_state {
            assert_eq!(side(&env), side_before, "{context}: side files rewritten");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Case 11: refused commands write nothing

/// 11: refused commands on a file that is not a log create no tree or state file.
#[test]
fn trust_refused_commands_on_a_non_log_write_no_side_files() {
    let env = Env::new();
    env.write("notes.txt", b"not a log\nat all\n");
    env.write(
        "events.jsonl",
        b"{\"type\":\"note.added\",\"data\":{\"text\":\"x\"}}\n",
    );
    let clerk = env.clerk.verifier().to_string();
    let clerk_ref = env.clerk.key_ref().to_string();
    let attempts: Vec<Vec<&str>> = vec![
        vec![
            "append",
            "notes.txt",
            "--key",
            "op.key",
            "--type",
            "note.added",
            "--data",
            "{}",
        ],
        vec!["import", "notes.txt", "--key", "op.key", "events.jsonl"],
        vec!["checkpoint", "notes.txt", "--key", "op.key"],
        vec![
            "key",
            "add",
            "notes.txt",
            "--key",
            "op.key",
            "--add",
            &clerk,
            "--roles",
            "*",
        ],
        vec![
            "key",
            "revoke",
            "notes.txt",
            "--key",
            "op.key",
            "--revoke",
            &clerk_ref,
        ],
        vec!["repair", "notes.txt"],
    ];
    for args in attempts {
        let o = env.acta(&args);
        assert_ne!(o.code, 0, "{args:?}: accepted");
        assert_eq!(
            env.read("notes.txt").as_deref(),
            Some(&b"not a log\nat all\n"[..]),
            "{args:?}"
        );
        for side in [
            "notes.txt.tree",
            "notes.txt.state",
            "notes.txt.checkpoints",
            "notes.txt.domain-state",
        ] {
            assert!(!env.path(side).exists(), "{args:?} created {side}");
        }
    }
}

/// 11: a refused append on a log with findings leaves its tree and state files byte for byte
/// (and does not create them if they were missing).
#[test]
fn trust_refused_append_on_an_unsound_log_leaves_side_files_untouched() {
    let env = Env::new();
    env.plain_log("x.log", "example.org/trust-unsound", 3);
    let good = env.read("x.log").expect("log");
    let sides = ["x.log.state", "x.log.tree"];
    let saved = sides.map(|f| env.read(f).expect("a side file"));
    // Damage in place: a flipped data byte in entry 2 (its signature no longer verifies).
    let mut altered = good.clone();
    let at = altered
        .windows(6)
        .position(|w| w == b"note 1")
        .expect("note 1")
        + 5;
    altered[at] = b'7';
    // After the length the state file covers: a line that is no entry.
    let mut tail = good.clone();
    tail.extend_from_slice(b"{\"not\":\"an entry\"}\n");
    let append = [
        "append",
        "x.log",
        "--key",
        "op.key",
        "--type",
        "note.added",
        "--data",
        "{}",
    ];
    for (what, log, remove) in [
        ("a bad line after the state's length", &tail, None),
        (
            "an altered line, no state file",
            &altered,
            Some("x.log.state"),
        ),
        (
            "an altered line, no tree file",
            &altered,
            Some("x.log.tree"),
        ),
    ] {
        env.write("x.log", log);
        for (f, bytes) in sides.iter().zip(&saved) {
            env.write(f, bytes);
        }
        if let Some(f) = remove {
            std::fs::remove_file(env.path(f)).expect("remove");
        }
        let before = sides.map(|f| env.read(f));
        let o = env.acta(&append);
        assert_eq!(o.code, 2, "{what}: appended");
        assert!(o.stderr.contains("problems"), "{what}: {}", o.stderr);
        assert_eq!(env.read("x.log").as_ref(), Some(log), "{what}");
        assert_eq!(
            sides.map(|f| env.read(f)),
            before,
            "{what}: a side file was written"
        );
    }
}

/// 11 (review finding 6): commands refused after the log has verified (a key that is not in
/// the log, a key whose roles do not cover the type, an entry type that cannot be written, a
/// checkpoint by a key that is not the trust anchor, a domain rule) write nothing beside the
/// log: with `LOG.state` and `LOG.tree` deleted, neither comes back; with stale ones (a state
/// from before the last append, a tree missing its last hash: what an open would bring up to
/// date), both stay byte for byte. The log is byte-identical each time. The first command that
/// succeeds writes both again.
#[test]
fn trust_refused_commands_recreate_no_state_or_tree_file() {
    let env = Env::new();
    let stranger = key("test-only-stranger", 43);
    env.write_key("stranger.key", &stranger);
    clerk_log(&env, false);
    env.withdrawn_warrant_log("icc.log");
    // Stale derived files: those from before the last append of each log.
    let mut stale = Vec::new();
    for log in ["c.log", "icc.log"] {
        let state = env.read(&format!("{log}.state")).expect("a state file");
        let mut tree = env.read(&format!("{log}.tree")).expect("a tree file");
        tree.truncate(tree.len() - 32);
        stale.push((log, state, tree));
    }
    env.ok(&[
        "append",
        "c.log",
        "--key",
        "op.key",
        "--type",
        "note.added",
        "--data",
        r#"{"text":"the last append"}"#,
    ]);
    env.write(
        "bulk.jsonl",
        b"{\"type\":\"note.added\",\"data\":{\"text\":\"a\"}}\n{\"type\":\"registry.changed\",\"data\":{}}\n",
    );
    let stranger_key = stranger.verifier().to_string();
    let clerk_ref = env.clerk.key_ref().to_string();
    let data = r#"{"text":"x"}"#;
    let append = |log: &'static str, key: &'static str, t: &'static str| {
        vec!["append", log, "--key", key, "--type", t, "--data", data]
    };
    let attempts: Vec<(&str, Vec<&str>)> = vec![
        (
            "a key not in the log",
            append("c.log", "stranger.key", "note.added"),
        ),
        (
            "roles that do not cover the type",
            append("c.log", "clerk.key", "registry.changed"),
        ),
        ("an invalid type", append("c.log", "op.key", "not a type!")),
        (
            "an unknown reserved type",
            append("c.log", "op.key", "acta.nope"),
        ),
        (
            "the genesis type",
            append("c.log", "op.key", "acta.genesis"),
        ),
        (
            "an import with a type the roles do not cover",
            vec!["import", "c.log", "--key", "clerk.key", "bulk.jsonl"],
        ),
        (
            "a key add by a key that may not add keys",
            vec![
                "key",
                "add",
                "c.log",
                "--key",
                "clerk.key",
                "--add",
                &stranger_key,
                "--roles",
                "*",
            ],
        ),
        (
            "a key revoke by a key not in the log",
            vec![
                "key",
                "revoke",
                "c.log",
                "--key",
                "stranger.key",
                "--revoke",
                &clerk_ref,
            ],
        ),
        (
            "a checkpoint by a key that is not the trust anchor",
            vec!["checkpoint", "c.log", "--key", "clerk.key"],
        ),
        (
            "a checkpoint by a key not in the log",
            vec!["checkpoint", "c.log", "--key", "stranger.key"],
        ),
        (
            "a domain rule (an arrest on a withdrawn warrant)",
            vec![
                "append",
                "icc.log",
                "--key",
                "op.key",
                "--type",
                "person_arrested",
                "--data",
                ARREST,
            ],
        ),
    ];
    for (what, args) in &attempts {
        let log = args[if args[0] == "key" { 2 } else { 1 }];
        let (state, tree, snapshot) = (
            format!("{log}.state"),
            format!("{log}.tree"),
            format!("{log}.domain-state"),
        );
        let bytes = env.read(log).expect("the log");
        let snapshot_before = env.read(&snapshot);
        let (_, stale_state, stale_tree) = stale
            .iter()
            .find(|(l, _, _)| *l == log)
            .expect("stale files of the log");
        for absent in [true, false] {
            let how = format!(
                "{what}, derived files {}",
                if absent { "absent" } else { "stale" }
            );
            if absent {
                let _ = std::fs::remove_file(env.path(&state));
                let _ = std::fs::remove_file(env.path(&tree));
            } else {
                env.write(&state, stale_state);
                env.write(&tree, stale_tree);
            }
            let o = env.acta(args);
            assert_ne!(o.code, 0, "{how}: accepted: {}", o.stdout);
            assert!(o.stderr.starts_with("error: "), "{how}: {}", o.stderr);
            assert_eq!(
                env.read(log).as_ref(),
                Some(&bytes),
                "{how}: the log changed"
            );
            if absent {
                assert!(!env.path(&state).exists(), "{how}: {state} came back");
                assert!(!env.path(&tree).exists(), "{how}: {tree} came back");
            } else {
                assert_eq!(
                    env.read(&state).as_ref(),
                    Some(stale_state),
                    "{how}: {state}"
                );
                assert_eq!(env.read(&tree).as_ref(), Some(stale_tree), "{how}: {tree}");
            }
            assert_eq!(env.read(&snapshot), snapshot_before, "{how}: {snapshot}");
            assert!(
                !env.path(&format!("{log}.checkpoints")).exists(),
                "{how}: a checkpoint directory was made"
            );
        }
    }
    // The first command that succeeds writes both derived files again (and the state lets the
    // next open resume).
    for log in ["c.log", "icc.log"] {
        let _ = std::fs::remove_file(env.path(&format!("{log}.state")));
        let _ = std::fs::remove_file(env.path(&format!("{log}.tree")));
    }
    env.ok(&append("c.log", "clerk.key", "note.added"));
    env.ok(&["checkpoint", "icc.log", "--key", "op.key"]);
    for log in ["c.log", "icc.log"] {
        assert!(env.path(&format!("{log}.state")).exists(), "{log}");
        assert!(env.path(&format!("{log}.tree")).exists(), "{log}");
        env.assert_sound(log, "after the refusals");
    }
}

// ---------------------------------------------------------------------------------------------
// Random side files never change what is signed

fn clock() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_764_147_600, 0).expect("a time")
}

/// A log with a key addition and notes, written with the library at a fixed clock.
fn library_log(path: &Path, op: &SigningKey, clerk: &SigningKey) {
    let genesis = Genesis {
        origin: "example.org/trust-prop".into(),
        keys: vec![(op.verifier(), Roles::all())],
        domain: None,
    };
    let mut w = LogWriter::create(path, &genesis, op, clock()).expect("create");
    let add = acta_core::keyring::key_add_data(
        &clerk.verifier(),
        &Roles::new(vec!["note.*".to_owned()]).expect("roles"),
    );
    w.append(op, "acta.key.add", &add, clock()).expect("add");
    let mut data = Object::new();
    for i in 0..5 {
        data.insert("i", Value::String(format!("{i}")));
        w.append(op, "note.added", &data, clock()).expect("append");
    }
}

/// What the writer signs for `key` appending `entry_type` on the log at `path`: the new
/// line, or the refusal.
fn signed(path: &Path, key: &SigningKey, entry_type: &str) -> Result<Vec<u8>, String> {
    let mut w =
        LogWriter::open_expecting(path, key, &Expect::default()).map_err(|e| e.to_string())?;
    let mut data = Object::new();
    data.insert("text", Value::String("same".into()));
    match w.append(key, entry_type, &data, clock()) {
        Ok(_) => {}
        Err(e @ LogError::Refused { .. }) => return Err(e.to_string()),
        Err(e) => return Err(format!("unexpected: {e}")),
    }
    drop(w);
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    Ok(split_lines(&bytes).pop().unwrap_or_default())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random bytes, and random mutations of a valid state file, never change the line the
    /// writer signs (compared with a writer on a copy without side files, same key, same
    /// clock), nor make it sign what the verifier rejects.
    #[test]
    fn trust_random_state_files_never_change_what_is_signed(
        mutation in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..600).prop_map(|b| (None, b, None)),
            proptest::collection::vec((0usize..4, any::<prop::sample::Index>(), any::<u8>()), 1..6)
                .prop_map(|e| (Some(e), Vec::new(), None)),
            // What a forger would change, with the checksum recomputed or the MAC kept.
            (0usize..5, 2030i32..10_000, any::<bool>())
                .prop_map(|f| (None, Vec::new(), Some(f))),
        ],
        who in 0usize..2,
        entry_type in prop_oneof![Just("note.added"), Just("registry.changed")],
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (op, clerk) = (key("test-only-operator", 41), key("test-only-clerk", 42));
        let key = [&op, &clerk][who];
        let (log, control) = (dir.path().join("p.log"), dir.path().join("control.log"));
        library_log(&log, &op, &clerk);
        std::fs::copy(&log, &control).expect("copy");
        let state_path = acta_store::state_file::path_for(&log);
        let state = std::fs::read(&state_path).expect("state");
        let bytes = match mutation {
            (None, _, Some((field, year, keep_mac))) => {
                let forged = forged_states(&state, |j| match field {
                    0 => j["chain"]["last_recorded_at"] = format!("{year}-01-01T00:00:00Z").into(),
                    1 => j["chain"]["domain"] = "icc-noncooperation/v1".into(),
                    2 => j["chain"]["origin"] = format!("example.org/y{year}").into(),
                    3 => {
                        for k in j["chain"]["keyring"].as_array_mut().into_iter().flatten() {
                            k["roles"] = serde_json::json!(["*"]);
                        }
                    }
                    _ => {
                        for k in j["chain"]["keyring"].as_array_mut().into_iter().flatten() {
                            k["revoked_at"] = serde_json::json!(2);
                        }
                    }
                });
                forged[usize::from(keep_mac)].1.clone()
            }
            (None, random, None) => random,
            (Some(edits), _, _) => {
                let mut b = state.clone();
                for (kind, at, byte) in edits {
                    if b.is_empty() { break; }
                    let i = at.index(b.len());
                    match kind {
                        0 => b[i] ^= byte | 1,
                        1 => b.truncate(i),
                        2 => b.insert(i, byte),
                        _ => b[i] = byte,
                    }
                }
                b
            }
        };
        std::fs::write(&state_path, &bytes).expect("write");
        let got = signed(&log, key, entry_type);
        let expected = signed(&control, key, entry_type);
        prop_assert_eq!(&got, &expected);
        let report = acta_store::verify(
            &acta_store::FileStore::open_reader(&log).expect("open"),
            acta_core::VerifyOptions { trust: Some(op.verifier()), ..Default::default() },
        ).expect("verify");
        prop_assert!(report.is_sound(), "{:?}", report.findings);
    }
}

/// The state file written by another key is not used (a full replay), nor is one whose tail
/// no longer matches; the writer's own, matching one is.
#[test]
fn trust_state_of_another_key_costs_a_replay_and_the_own_one_resumes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (op, clerk) = (key("test-only-operator", 41), key("test-only-clerk", 42));
    let log = dir.path().join("k.log");
    library_log(&log, &op, &clerk);
    // Each open is followed by a save, as a command that succeeds does (an open alone writes
    // nothing beside the log).
    let open = |k: &SigningKey| {
        let mut w = LogWriter::open(&log, k).expect("open");
        w.save_derived().expect("save");
        w.opened()
    };
    assert_eq!(open(&op), Opened::Resumed { lines: 0 });
    // The clerk's writer does not accept the operator's state, and writes its own...
    assert_eq!(open(&clerk), Opened::Replayed);
    assert_eq!(open(&clerk), Opened::Resumed { lines: 0 });
    // ... which the operator's writer does not accept in turn.
    assert_eq!(open(&op), Opened::Replayed);
    assert_eq!(open(&op), Opened::Resumed { lines: 0 });
}

// ---------------------------------------------------------------------------------------------
// Random domain snapshots never change what the domain rules allow

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Random mutations of a valid `LOG.domain-state` never let the arrest on the withdrawn
    /// warrant through, and never stop a valid event (a second arrest warrant) from being
    /// appended with the same seq, type and data as on a copy without side files.
    #[test]
    fn trust_random_domain_snapshots_never_change_the_rules(
        mutation in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..400).prop_map(|b| (None, b)),
            proptest::collection::vec((0usize..4, any::<prop::sample::Index>(), any::<u8>()), 1..6)
                .prop_map(|e| (Some(e), Vec::new())),
        ],
    ) {
        thread_local! {
            static BASE: (Env, Vec<u8>, Vec<u8>) = {
                let env = Env::new();
                env.withdrawn_warrant_log("base.log");
                let log = env.read("base.log").expect("log");
                let snap = env.read("base.log.domain-state").expect("snapshot");
                (env, log, snap)
            };
        }
        BASE.with(|(env, log, snap)| {
            let b = match &mutation {
                (None, random) => random.clone(),
                (Some(edits), _) => {
                    let mut b = snap.clone();
                    for (kind, at, byte) in edits {
                        if b.is_empty() { break; }
                        let i = at.index(b.len());
                        match kind {
                            0 => b[i] ^= byte | 1,
                            1 => b.truncate(i),
                            2 => b.insert(i, *byte),
                            _ => b[i] = *byte,
                        }
                    }
                    b
                }
            };
            // A fresh copy of the log, its state files, and the mutated snapshot.
            for f in ["m.log", "m.log.state", "m.log.tree", "c.log", "c.log.state", "c.log.tree"] {
                let _ = std::fs::remove_file(env.path(f));
            }
            env.write("m.log", log);
            env.write("c.log", log);
            env.write("m.log.domain-state", &b);
            env.assert_arrest_refused("m.log", "mutated snapshot");
            let warrant = r#"{"warrant_id":"second-warrant","person":"example-suspect","situation":"ICC-01/18","chamber":"PTC-I","visibility":"public","occurred":"2024-08-01"}"#;
            let line_of = |log: &str| -> (i32, Option<serde_json::Value>) {
                let o = env.acta(&["append", log, "--key", "op.key", "--type", "arrest_warrant_issued", "--data", warrant]);
                let last = env.lines(log).pop().map(|mut l| {
                    let o = l.as_object_mut().expect("object");
                    // The time (the real clock) and so the signature differ; nothing else may.
                    o.remove("sig");
                    o.remove("recorded_at");
                    l
                });
                (o.code, last)
            };
            let got = line_of("m.log");
            let expected = line_of("c.log");
            prop_assert_eq!(got, expected);
            env.assert_sound("m.log", "after the valid append");
            Ok(())
        })?;
    }
}
