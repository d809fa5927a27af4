use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::*;
use crate::entry::{MAX_ENTRY_BYTES, NewEntry};
use crate::json::Object;
use crate::key::{ALG_ED25519, KeyError, KeyId, SigningKey};
use crate::keyring::{Roles, key_add_data, key_revoke_data};

const ORIGIN: &str = "example.org/verify-tests";
/// Signing for another log's origin is how these tests forge an entry: it names a real
/// author and is well formed, but its signature does not verify in this log.
const ELSEWHERE: &str = "example.org/another-log";

fn key(n: u8) -> SigningKey {
    SigningKey::from_seed(&format!("test-only-verify-{n}"), [n; 32]).expect("valid name")
}

fn roles(patterns: &[&str]) -> Roles {
    Roles::new(patterns.iter().map(|p| (*p).to_owned()).collect()).expect("valid roles")
}

fn genesis_data(keys: &[(&SigningKey, Roles)]) -> Object {
    Genesis {
        origin: ORIGIN.to_owned(),
        keys: keys
            .iter()
            .map(|(k, r)| (k.verifier(), r.clone()))
            .collect(),
        domain: None,
    }
    .to_data()
}

fn note() -> Object {
    let mut data = Object::new();
    data.insert("text", crate::json::Value::String("hello".to_owned()));
    data
}

/// A log built in memory, each line linked to the one before.
#[derive(Debug, Default)]
struct Log {
    lines: Vec<Vec<u8>>,
}

impl Log {
    /// Appends an entry of `entry_type` by `key`, signed for the log `signed_for`.
    fn add(
        &mut self,
        key: &SigningKey,
        signed_for: &str,
        entry_type: &str,
        data: &Object,
        recorded_at: &str,
    ) -> &mut Log {
        let prev = self
            .lines
            .last()
            .map_or(GENESIS_PREV, |l| EntryHash::of_line(l));
        let line = NewEntry {
            seq: self.lines.len() as u64,
            prev,
            recorded_at,
            entry_type,
            data,
        }
        .sign(signed_for, key)
        .expect("a valid entry");
        self.lines.push(line);
        self
    }

    /// Appends an entry like [`Log::add`] with `more` (0: none), at 09:30.
    fn add_more(&mut self, key: &SigningKey, more: u64) -> &mut Log {
        let prev = self
            .lines
            .last()
            .map_or(GENESIS_PREV, |l| EntryHash::of_line(l));
        let line = NewEntry {
            seq: self.lines.len() as u64,
            prev,
            recorded_at: "2025-11-26T09:30:00Z",
            entry_type: "note.batch",
            data: &note(),
        }
        .sign_with_more(ORIGIN, key, more)
        .expect("a valid entry");
        self.lines.push(line);
        self
    }

    /// The byte offset of line `i`.
    fn offset(&self, i: usize) -> u64 {
        self.lines[..i].iter().map(|l| l.len() as u64 + 1).sum()
    }

    fn verifier(&self, options: VerifyOptions) -> (Verifier, u64) {
        let mut v = Verifier::new(options);
        let mut offset = 0;
        for line in &self.lines {
            v.push_line(offset, line);
            offset += line.len() as u64 + 1;
        }
        (v, offset)
    }

    fn verify(&self, options: VerifyOptions) -> Report {
        self.verifier(options).0.finish()
    }

    fn verify_default(&self) -> Report {
        self.verify(VerifyOptions::default())
    }
}

/// A log whose genesis, by key 1 at 09:00, lists key 1 with roles `*` and key 2 with
/// roles `note.*`.
fn two_key_log() -> Log {
    let (k1, k2) = (key(1), key(2));
    let data = genesis_data(&[(&k1, Roles::all()), (&k2, roles(&["note.*"]))]);
    let mut log = Log::default();
    log.add(&k1, ORIGIN, GENESIS_TYPE, &data, "2025-11-26T09:00:00Z");
    log
}

fn kinds(report: &Report) -> Vec<(u64, FindingKind)> {
    report
        .findings
        .iter()
        .map(|f| (f.entry, f.kind.clone()))
        .collect()
}

fn bad_signature(k: &SigningKey) -> FindingKind {
    FindingKind::BadSignature {
        author: k.key_ref(),
    }
}

// Batches: `more` and the batch rule.

fn broken(
    batch: u64,
    author: &SigningKey,
    remaining: u64,
    found: Option<(&SigningKey, Option<u64>)>,
) -> FindingKind {
    FindingKind::BatchBroken {
        batch,
        author: author.key_ref(),
        remaining,
        found_more: found.and_then(|(_, m)| m),
        found_author: found.map(|(k, _)| k.key_ref()),
    }
}

#[test]
fn whole_batches_and_single_entries_are_sound() {
    let k1 = key(1);
    let mut log = two_key_log();
    log.add_more(&k1, 0)
        .add_more(&k1, 2)
        .add_more(&k1, 1)
        .add_more(&k1, 0)
        .add_more(&k1, 1)
        .add_more(&k1, 0)
        .add_more(&k1, 0);
    let (v, _) = log.verifier(VerifyOptions::default());
    assert_eq!(v.chain().open_batch(), None);
    assert_eq!(kinds(&v.finish()), []);
}

#[test]
fn a_log_that_ends_inside_a_batch_is_an_unfinished_batch() {
    let k1 = key(1);
    for cut in 1..5 {
        let mut log = two_key_log();
        log.add_more(&k1, 0);
        for m in (0..5).rev().take(cut) {
            log.add_more(&k1, m);
        }
        let (v, _) = log.verifier(VerifyOptions::default());
        let open = v.chain().open_batch().cloned().expect("a batch is open");
        assert_eq!(
            (open.first_entry, open.size, open.remaining),
            (2, 5, 5 - cut as u64)
        );
        assert_eq!(open.first_offset, log.offset(2));
        let report = v.finish();
        assert_eq!(
            kinds(&report),
            [(
                2,
                FindingKind::UnfinishedBatch {
                    size: 5,
                    missing: 5 - cut as u64
                }
            )],
            "cut after {cut}"
        );
        assert_eq!(report.findings[0].offset, log.offset(2));
        assert_eq!(report.entries, 2 + cut as u64, "its lines are still lines");
    }
}

#[test]
fn a_genesis_with_more_opens_a_batch() {
    let k1 = key(1);
    let data = genesis_data(&[(&k1, Roles::all())]);
    let line = NewEntry {
        seq: 0,
        prev: GENESIS_PREV,
        recorded_at: "2025-11-26T09:00:00Z",
        entry_type: GENESIS_TYPE,
        data: &data,
    }
    .sign_with_more(ORIGIN, &k1, 1)
    .expect("a valid entry");
    let mut log = Log { lines: vec![line] };
    assert_eq!(
        kinds(&log.verify_default()),
        [(
            0,
            FindingKind::UnfinishedBatch {
                size: 2,
                missing: 1
            }
        )]
    );
    log.add_more(&k1, 0);
    assert_eq!(kinds(&log.verify_default()), []);
}

#[test]
fn entries_that_break_a_batch_are_reported_once_each() {
    let (k1, k2) = (key(1), key(2));
    // A batch of 3 whose second entry has no `more`: broken there; the third (more 0)
    // is then an ordinary single entry.
    let mut log = two_key_log();
    log.add_more(&k1, 2).add_more(&k1, 0).add_more(&k1, 0);
    assert_eq!(
        kinds(&log.verify_default()),
        [(2, broken(1, &k1, 2, Some((&k1, None))))]
    );
    // A `more` too large: broken, and that entry opens a batch of its own (here cut
    // short at the end).
    let mut log = two_key_log();
    log.add_more(&k1, 1).add_more(&k1, 3).add_more(&k1, 2);
    assert_eq!(
        kinds(&log.verify_default()),
        [
            (2, broken(1, &k1, 1, Some((&k1, Some(3))))),
            (
                2,
                FindingKind::UnfinishedBatch {
                    size: 4,
                    missing: 2
                }
            ),
        ]
    );
    // Another author in the middle of a batch, even with the right `more`.
    let mut log = two_key_log();
    log.add_more(&k1, 2).add_more(&k2, 1).add_more(&k1, 0);
    assert_eq!(
        kinds(&log.verify_default()),
        [
            (2, broken(1, &k1, 2, Some((&k2, Some(1))))),
            (3, broken(2, &k2, 1, Some((&k1, None)))),
        ]
    );
}

#[test]
fn a_bad_line_inside_a_batch_breaks_it_and_closes_it() {
    let k1 = key(1);
    let mut log = two_key_log();
    log.add_more(&k1, 3).add_more(&k1, 2);
    log.lines.push(b"not json".to_vec());
    log.add_more(&k1, 0).add_more(&k1, 0);
    let report = log.verify_default();
    let found = kinds(&report);
    assert!(
        matches!(found[0], (3, FindingKind::Malformed { .. })),
        "{found:?}"
    );
    // One finding for the batch; the entries after the bad line are single entries (the
    // bad line's hash still links them, so they have no other finding).
    assert_eq!(found[1..], [(3, broken(1, &k1, 2, None))]);

    // An over-long line inside a batch: the same.
    let mut v = Verifier::new(VerifyOptions::default());
    let mut log = two_key_log();
    log.add_more(&k1, 1);
    let mut offset = 0;
    for line in &log.lines {
        v.push_line(offset, line);
        offset += line.len() as u64 + 1;
    }
    v.push_too_long(offset, MAX_ENTRY_BYTES as u64 + 1);
    assert_eq!(v.chain().open_batch(), None);
    let found = kinds(&v.finish());
    assert_eq!(found[1], (2, broken(1, &k1, 1, None)), "{found:?}");
}

#[test]
fn the_batch_findings_have_their_json_form() {
    let k1 = key(1);
    let kind = broken(3, &k1, 2, Some((&k1, None)));
    let json = serde_json::to_value(&kind).expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({
            "finding": "batch_broken",
            "batch": 3,
            "author": k1.key_ref().to_string(),
            "remaining": 2,
            "found_more": null,
            "found_author": k1.key_ref().to_string(),
        })
    );
    let json = serde_json::to_value(FindingKind::UnfinishedBatch {
        size: 5,
        missing: 3,
    })
    .expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({"finding": "unfinished_batch", "size": 5, "missing": 3})
    );
}

#[test]
fn an_open_batch_survives_the_chain_state_and_a_resumed_verifier_finds_it_unfinished() {
    let k1 = key(1);
    let mut log = two_key_log();
    log.add_more(&k1, 2).add_more(&k1, 1);
    let (v, end) = log.verifier(replay_options_for_tests());
    let chain = v.chain().clone();
    let text = serde_json::to_string(&chain).expect("serializes");
    let back: Chain = serde_json::from_str(&text).expect("reads back");
    assert_eq!(back, chain);
    let tree = v.tree().cloned().expect("a tree");
    let mut resumed =
        Verifier::resume(replay_options_for_tests(), back, tree, end).expect("resumes");
    assert_eq!(
        kinds(&resumed.clone().finish()),
        [(
            1,
            FindingKind::UnfinishedBatch {
                size: 3,
                missing: 1
            }
        )]
    );
    // The next line must still continue the batch.
    let mut next = Log {
        lines: log.lines.clone(),
    };
    next.add_more(&k1, 0);
    resumed.push_line(end, next.lines.last().expect("a line"));
    assert_eq!(kinds(&resumed.finish()), []);
    // An incoherent open batch is refused.
    for bad in ["\"remaining\":1", "\"size\":3"] {
        let broken = text.replace(bad, &bad.replace(['1', '3'], "9"));
        assert!(serde_json::from_str::<Chain>(&broken).is_err(), "{broken}");
    }
}

fn replay_options_for_tests() -> VerifyOptions {
    VerifyOptions {
        check_signatures: false,
        ..VerifyOptions::default()
    }
}

// 0. Signatures checked ahead of time (PreparedLine) change no result.

/// The context after a genesis like [`two_key_log`]'s (the same two keys) of another log:
/// its signature checks are made for another origin.
fn other_context() -> SignatureContext {
    let (k1, k2) = (key(1), key(2));
    let data = Genesis {
        origin: ELSEWHERE.to_owned(),
        keys: vec![(k1.verifier(), Roles::all()), (k2.verifier(), Roles::all())],
        domain: None,
    }
    .to_data();
    let mut log = Log::default();
    log.add(&k1, ELSEWHERE, GENESIS_TYPE, &data, "2025-11-26T09:00:00Z");
    let (v, _) = log.verifier(VerifyOptions::default());
    v.signature_context().expect("a genesis gives a context")
}

#[test]
fn signatures_checked_ahead_are_used_only_for_the_same_key_and_origin() {
    let (k1, k2) = (key(1), key(2));
    let mut log = two_key_log();
    log.add(&k2, ORIGIN, "note.a", &note(), "2025-11-26T09:01:00Z")
        .add(&k2, ELSEWHERE, "note.b", &note(), "2025-11-26T09:02:00Z")
        .add(&k1, ORIGIN, "court.c", &note(), "2025-11-26T09:03:00Z");
    let expected = log.verify_default();
    assert_eq!(kinds(&expected), [(2, bad_signature(&k2))]);

    let (genesis_only, _) = Log {
        lines: log.lines[..1].to_vec(),
    }
    .verifier(VerifyOptions::default());
    let own = genesis_only.signature_context().expect("a context");
    assert!(!own.is_stale(&genesis_only));
    assert_eq!(own.keys(), 2);
    let other = other_context();
    for context in [None, Some(&own), Some(&other)] {
        let mut v = Verifier::new(VerifyOptions::default());
        let mut offset = 0;
        for line in &log.lines {
            let p = PreparedLine::new(line, context);
            // Every author is in both contexts (the genesis's check is not used: the
            // genesis names its own keys).
            assert_eq!(p.signature_checked(), context.is_some());
            v.push_prepared(offset, p);
            offset += line.len() as u64 + 1;
        }
        assert_eq!(v.finish(), expected, "context: {context:?}");
    }
    // Without signature checks there is no context.
    let (unchecked, _) = log.verifier(VerifyOptions {
        check_signatures: false,
        ..VerifyOptions::default()
    });
    assert!(unchecked.signature_context().is_none());
}

#[test]
fn a_key_event_makes_the_context_stale() {
    let (k1, k3) = (key(1), key(3));
    let mut log = two_key_log();
    let (v, _) = log.verifier(VerifyOptions::default());
    let context = v.signature_context().expect("a context");
    log.add(
        &k1,
        ORIGIN,
        KEY_ADD_TYPE,
        &key_add_data(&k3.verifier(), &Roles::all()),
        "2025-11-26T09:01:00Z",
    )
    .add(&k3, ORIGIN, "note.a", &note(), "2025-11-26T09:02:00Z");
    let (v, offset) = log.verifier(VerifyOptions::default());
    assert!(context.is_stale(&v));
    assert_eq!(v.signature_context().expect("a context").keys(), 3);
    // The stale context does not know key 3: its entry is checked when pushed.
    let mut w = Log {
        lines: log.lines[..2].to_vec(),
    }
    .verifier(VerifyOptions::default())
    .0;
    let p = PreparedLine::new(&log.lines[2], Some(&context));
    assert!(!p.signature_checked());
    let start = offset - log.lines[2].len() as u64 - 1;
    w.push_prepared(start, p);
    assert_eq!(w.finish(), v.finish());
}

// 1. The signature is checked before revocation and roles.

#[test]
fn forged_entry_outside_its_authors_roles_is_a_bad_signature() {
    let k2 = key(2);
    let mut forged = two_key_log();
    forged.add(
        &k2,
        ELSEWHERE,
        "court.filed",
        &note(),
        "2025-11-26T09:01:00Z",
    );
    assert_eq!(
        kinds(&forged.verify_default()),
        [(1, bad_signature(&k2))],
        "a forgery says nothing about its named author's roles"
    );

    // Control: the same entry validly signed is a role violation.
    let mut signed = two_key_log();
    signed.add(&k2, ORIGIN, "court.filed", &note(), "2025-11-26T09:01:00Z");
    let role_violation = FindingKind::RoleViolation {
        author: k2.key_ref(),
        entry_type: "court.filed".to_owned(),
    };
    assert_eq!(kinds(&signed.verify_default()), [(1, role_violation)]);
}

#[test]
fn forged_entry_naming_a_revoked_author_is_a_bad_signature() {
    let (k1, k2) = (key(1), key(2));
    let revoke = key_revoke_data(&k2.key_ref(), None);
    let mut forged = two_key_log();
    forged
        .add(
            &k1,
            ORIGIN,
            KEY_REVOKE_TYPE,
            &revoke,
            "2025-11-26T09:01:00Z",
        )
        .add(
            &k2,
            ELSEWHERE,
            "note.added",
            &note(),
            "2025-11-26T09:02:00Z",
        );
    assert_eq!(
        kinds(&forged.verify_default()),
        [(2, bad_signature(&k2))],
        "a forgery says nothing about its named author's revocation"
    );

    // Control: the same entry validly signed by the revoked key.
    let mut signed = two_key_log();
    signed
        .add(
            &k1,
            ORIGIN,
            KEY_REVOKE_TYPE,
            &revoke,
            "2025-11-26T09:01:00Z",
        )
        .add(&k2, ORIGIN, "note.added", &note(), "2025-11-26T09:02:00Z");
    let revoked = FindingKind::RevokedAuthor {
        author: k2.key_ref(),
        revoked_at: 1,
    };
    assert_eq!(kinds(&signed.verify_default()), [(2, revoked)]);
}

// 2. The anchor is trusted only if the trusted key validly signed the genesis.

#[test]
fn genesis_with_a_duplicate_key_is_not_anchored() {
    let k1 = key(1);
    let data = genesis_data(&[(&k1, Roles::all()), (&k1, roles(&["note.*"]))]);
    let mut log = Log::default();
    log.add(&k1, ORIGIN, GENESIS_TYPE, &data, "2025-11-26T09:00:00Z");
    let report = log.verify(VerifyOptions {
        trust: Some(k1.verifier()),
        ..VerifyOptions::default()
    });
    assert_eq!(report.anchor, Anchor::Failed);
    assert!(matches!(
        kinds(&report).as_slice(),
        [(
            0,
            FindingKind::BadGenesis {
                error: SystemEventError::DuplicateKey { .. }
            }
        )]
    ));
}

#[test]
fn genesis_by_the_trusted_key_with_a_bad_signature_is_not_anchored() {
    let k1 = key(1);
    let data = genesis_data(&[(&k1, Roles::all())]);
    let trust = |k: &SigningKey| VerifyOptions {
        trust: Some(k.verifier()),
        ..VerifyOptions::default()
    };

    let mut forged = Log::default();
    forged.add(&k1, ELSEWHERE, GENESIS_TYPE, &data, "2025-11-26T09:00:00Z");
    let report = forged.verify(trust(&k1));
    assert_eq!(report.anchor, Anchor::Failed);
    assert_eq!(kinds(&report), [(0, bad_signature(&k1))]);
    assert!(!report.is_sound());

    // Controls: validly signed by the trusted key, and validly signed by another key.
    let mut signed = Log::default();
    signed.add(&k1, ORIGIN, GENESIS_TYPE, &data, "2025-11-26T09:00:00Z");
    let report = signed.verify(trust(&k1));
    assert_eq!(
        report.anchor,
        Anchor::Trusted {
            key: k1.verifier().to_string()
        }
    );
    assert!(report.is_sound(), "{report:#?}");
    let report = signed.verify(trust(&key(2)));
    assert_eq!(report.anchor, Anchor::Failed);
    let untrusted = FindingKind::UntrustedGenesis {
        trusted: key(2).verifier().to_string(),
        found: k1.verifier().to_string(),
    };
    assert_eq!(kinds(&report), [(0, untrusted)]);
}

// 3. Only validly signed, authorised entries (and a valid genesis) move the watermark.

#[test]
fn unauthorised_entries_do_not_move_the_time_watermark() {
    let (k1, k2, k3) = (key(1), key(2), key(3));
    let genesis = genesis_data(&[(&k1, Roles::all())]);
    let note = note();
    // Entry 1 of each case is unauthorised, and far in the future: (key, signed for, type,
    // data, what is wrong).
    let cases = [
        (&k1, ELSEWHERE, "note.added", &note, bad_signature(&k1)),
        (
            &k3,
            ORIGIN,
            "note.added",
            &note,
            FindingKind::UnknownAuthor {
                author: k3.key_ref(),
            },
        ),
        (
            &k2,
            ORIGIN,
            "court.filed",
            &note,
            FindingKind::RoleViolation {
                author: k2.key_ref(),
                entry_type: "court.filed".to_owned(),
            },
        ),
        (
            &k1,
            ORIGIN,
            GENESIS_TYPE,
            &genesis,
            FindingKind::GenesisNotFirst,
        ),
    ];
    for (author, signed_for, entry_type, data, finding) in cases {
        let mut log = two_key_log();
        log.add(author, signed_for, entry_type, data, "2099-01-01T00:00:00Z")
            .add(&k1, ORIGIN, "note.added", &note, "2025-11-26T09:02:00Z");
        assert_eq!(
            kinds(&log.verify_default()),
            [(1, finding.clone())],
            "{finding:?}"
        );
    }
}

#[test]
fn genesis_with_a_bad_signature_does_not_set_the_time_watermark() {
    let k1 = key(1);
    let data = genesis_data(&[(&k1, Roles::all())]);
    let mut log = Log::default();
    log.add(&k1, ELSEWHERE, GENESIS_TYPE, &data, "2099-01-01T00:00:00Z")
        .add(&k1, ORIGIN, "note.added", &note(), "2025-11-26T09:01:00Z");
    assert_eq!(kinds(&log.verify_default()), [(0, bad_signature(&k1))]);
}

#[test]
fn unauthorised_entries_are_still_checked_against_the_watermark() {
    let k1 = key(1);
    let mut log = two_key_log();
    log.add(&k1, ORIGIN, "note.added", &note(), "2025-11-26T09:05:00Z")
        .add(
            &k1,
            ELSEWHERE,
            "note.added",
            &note(),
            "2025-11-26T09:01:00Z",
        )
        .add(&k1, ORIGIN, "note.added", &note(), "2025-11-26T09:03:00Z");
    let backwards = |found: &str| FindingKind::TimeWentBackwards {
        previous: "2025-11-26T09:05:00Z".to_owned(),
        found: found.to_owned(),
    };
    assert_eq!(
        kinds(&log.verify_default()),
        [
            (2, backwards("2025-11-26T09:01:00Z")),
            (2, bad_signature(&k1)),
            (3, backwards("2025-11-26T09:03:00Z")),
        ]
    );
}

#[test]
fn authorised_entry_with_an_invalid_key_event_moves_the_watermark() {
    // Authorised means steps 1 to 4 of the entry checks passed; an invalid key event is
    // reported but its time still counts.
    let (k1, k3) = (key(1), key(3));
    let mut log = two_key_log();
    let revoke = key_revoke_data(&k3.key_ref(), None);
    log.add(
        &k1,
        ORIGIN,
        KEY_REVOKE_TYPE,
        &revoke,
        "2025-11-26T09:05:00Z",
    )
    .add(&k1, ORIGIN, "note.added", &note(), "2025-11-26T09:01:00Z");
    let unknown = SystemEventError::UnknownKey { key: k3.key_ref() };
    let backwards = FindingKind::TimeWentBackwards {
        previous: "2025-11-26T09:05:00Z".to_owned(),
        found: "2025-11-26T09:01:00Z".to_owned(),
    };
    assert_eq!(
        kinds(&log.verify_default()),
        [
            (1, FindingKind::BadKeyEvent { error: unknown }),
            (2, backwards),
        ]
    );
}

// 4. End-of-log findings are kept beyond the cap.

/// A verifier fed `n` malformed lines (one finding each).
fn malformed_lines(n: usize, expect_head: Option<(u64, EntryHash)>) -> Verifier {
    let mut v = Verifier::new(VerifyOptions {
        expect_head,
        ..VerifyOptions::default()
    });
    for i in 0..n as u64 {
        v.push_line(2 * i, b"x");
    }
    v
}

#[test]
fn truncated_is_kept_beyond_the_finding_cap() {
    let lines = MAX_FINDINGS + 5;
    let report = malformed_lines(lines, Some((10_000, EntryHash([7; 32])))).finish();
    assert_eq!(report.findings.len(), MAX_FINDINGS + 1);
    assert_eq!(report.findings_omitted, 5);
    let last = report.findings.last().expect("findings");
    assert_eq!(
        (last.entry, last.offset, &last.kind),
        (
            lines as u64,
            2 * lines as u64,
            &FindingKind::Truncated {
                expected_seq: 10_000,
                entries: lines as u64
            }
        )
    );
}

#[test]
fn head_mismatch_is_kept_beyond_the_finding_cap() {
    let report = malformed_lines(MAX_FINDINGS + 5, Some((3, EntryHash([7; 32])))).finish();
    assert_eq!(report.findings.len(), MAX_FINDINGS + 1);
    assert_eq!(report.findings_omitted, 5);
    let mismatch = FindingKind::HeadMismatch {
        seq: 3,
        expected: EntryHash([7; 32]),
        found: EntryHash::of_line(b"x"),
    };
    let at_3: Vec<_> = kinds(&report)
        .into_iter()
        .filter(|(entry, _)| *entry == 3)
        .map(|(_, kind)| kind)
        .collect();
    assert_eq!(at_3.len(), 2, "malformed, then head_mismatch: {at_3:?}");
    assert_eq!(at_3[1], mismatch);
}

#[test]
fn empty_log_is_reported_with_torn_tail_and_truncated() {
    // An empty log has at most a torn tail besides, so the cap cannot be reached (this also
    // passed before the cap rule changed); it pins down that all three are reported.
    let mut v = Verifier::new(VerifyOptions {
        expect_head: Some((0, EntryHash([7; 32]))),
        ..VerifyOptions::default()
    });
    v.push_torn_tail(0, 3);
    let truncated = FindingKind::Truncated {
        expected_seq: 0,
        entries: 0,
    };
    assert_eq!(
        kinds(&v.finish()),
        [
            (0, FindingKind::TornTail { len: 3 }),
            (0, FindingKind::EmptyLog),
            (0, truncated),
        ]
    );
}

// 5. An expected head on an over-long line: too_long stands, no head finding.

#[test]
fn expected_head_on_an_over_long_line_is_not_truncated() {
    let log = two_key_log();
    let too_long = FindingKind::TooLong {
        len: MAX_ENTRY_BYTES as u64 + 1,
        limit: MAX_ENTRY_BYTES as u64,
    };
    let verify = |expect_head: (u64, EntryHash)| {
        let (mut v, offset) = log.verifier(VerifyOptions {
            expect_head: Some(expect_head),
            ..VerifyOptions::default()
        });
        v.push_too_long(offset, MAX_ENTRY_BYTES as u64 + 1);
        kinds(&v.finish())
    };
    assert_eq!(verify((1, EntryHash([7; 32]))), [(1, too_long.clone())]);

    // Controls: one past the over-long line is truncated; the genesis is still compared.
    let truncated = FindingKind::Truncated {
        expected_seq: 2,
        entries: 2,
    };
    assert_eq!(
        verify((2, EntryHash([7; 32]))),
        [(1, too_long.clone()), (2, truncated)]
    );
    let genesis = EntryHash::of_line(&log.lines[0]);
    assert_eq!(verify((0, genesis)), [(1, too_long.clone())]);
    let mismatch = FindingKind::HeadMismatch {
        seq: 0,
        expected: EntryHash([7; 32]),
        found: genesis,
    };
    assert_eq!(
        verify((0, EntryHash([7; 32]))),
        [(0, mismatch), (1, too_long)]
    );
}

// 6. A public key whose encoding is not canonical (y ≥ p) is refused.

/// The verifier key text for the 32-byte encoding `public`, with a correct key id.
fn verifier_text(name: &str, public: [u8; 32]) -> String {
    let mut raw = vec![ALG_ED25519];
    raw.extend_from_slice(&public);
    let id = KeyId::compute(name, &public);
    format!("{name}+{id}+{}", BASE64.encode(raw))
}

/// The little-endian 32 bytes of p + y, for p = 2^255 - 19 and y < 19 (so below 2^255,
/// with the sign bit of x clear).
fn p_plus(y: u8) -> [u8; 32] {
    assert!(y < 19);
    let mut p = [0xffu8; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    let (low, carry) = p[0].overflowing_add(y);
    assert!(!carry, "y < 19 does not carry");
    p[0] = low;
    p
}

#[test]
fn non_canonical_public_key_encoding_is_refused() {
    // y = 3 is on the curve (its x exists) and not of small order: the only small-order
    // points have y in {0, 1, p - 1} or a y far above 19. So its canonical encoding is a
    // valid key, and p + 3 encodes the same point non-canonically.
    let mut canonical = [0u8; 32];
    canonical[0] = 3;
    let key: VerifierKey = verifier_text("y3", canonical)
        .parse()
        .expect("y = 3 is a valid, not weak, public key");
    assert_eq!(key.public_bytes(), canonical);
    assert_eq!(
        verifier_text("y3", p_plus(3)).parse::<VerifierKey>(),
        Err(KeyError::InvalidPoint),
        "y = p + 3 is not below p"
    );
    // The identity (order 1) has non-canonical encodings too: y = p + 1, and y = 1 with
    // the sign bit of x = 0 set. They are refused as invalid before the weak-key check.
    let mut negative_zero = [0u8; 32];
    negative_zero[0] = 1;
    negative_zero[31] = 0x80;
    for public in [p_plus(1), negative_zero] {
        assert_eq!(
            verifier_text("id", public).parse::<VerifierKey>(),
            Err(KeyError::InvalidPoint),
            "{public:02x?}"
        );
    }
}

/// And such a key in a genesis makes the genesis invalid instead of entering the keyring.
#[test]
fn non_canonical_public_key_in_a_genesis_is_bad_genesis() {
    use crate::json::Value;
    let k1 = key(1);
    let mut non_canonical = Object::new();
    non_canonical.insert("key", Value::String(verifier_text("y3", p_plus(3))));
    non_canonical.insert("roles", Roles::all().to_value());
    let keys = vec![
        Value::Object(key_add_data(&k1.verifier(), &Roles::all())),
        Value::Object(non_canonical),
    ];
    let mut data = Object::new();
    data.insert("origin", Value::String(ORIGIN.to_owned()));
    data.insert("keys", Value::Array(keys));
    let mut log = Log::default();
    log.add(&k1, ORIGIN, GENESIS_TYPE, &data, "2025-11-26T09:00:00Z");
    let report = log.verify_default();
    assert!(
        matches!(
            kinds(&report).as_slice(),
            [(
                0,
                FindingKind::BadGenesis {
                    error: SystemEventError::BadField { field: "keys", .. }
                }
            )]
        ),
        "{report:#?}"
    );
    assert_eq!(report.origin, None);
}

// Checkpoint roots.

fn noted_log(n: usize) -> Log {
    let k1 = key(1);
    let mut log = two_key_log();
    for i in 0..n {
        let t = format!("2025-11-26T09:{:02}:00Z", i + 1);
        log.add(&k1, ORIGIN, "note.added", &note(), &t);
    }
    log
}

fn with_roots(roots: Vec<(u64, Hash)>) -> VerifyOptions {
    VerifyOptions {
        expect_roots: roots,
        ..VerifyOptions::default()
    }
}

#[test]
fn roots_of_every_prefix_are_accepted_and_reported() {
    let log = noted_log(6);
    let tree =
        crate::tree::MemoryTree::from_leaves(log.lines.iter().map(|l| EntryHash::of_line(l)));
    let roots: Vec<(u64, Hash)> = (0..=7)
        .map(|n| (n, tree.root_at(n).expect("in range")))
        .collect();
    let report = log.verify(with_roots(roots));
    assert!(report.is_consistent(), "{:?}", report.findings);
    assert_eq!(report.root, Some(RootHash(tree.root())));
    // The report's root prints as checkpoints write roots.
    assert_eq!(
        report.root.map(|r| r.to_string()),
        Some(BASE64.encode(tree.root()))
    );
}

#[test]
fn a_wrong_root_and_a_checkpoint_beyond_the_log_are_findings() {
    let log = noted_log(3);
    let tree =
        crate::tree::MemoryTree::from_leaves(log.lines.iter().map(|l| EntryHash::of_line(l)));
    let right = tree.root_at(2).expect("in range");
    let wrong = [9u8; 32];
    let report = log.verify(with_roots(vec![(9, right), (3, wrong), (2, right)]));
    let found = RootHash(tree.root_at(3).expect("in range"));
    assert_eq!(
        kinds(&report),
        [
            (
                2,
                FindingKind::RootMismatch {
                    size: 3,
                    expected: RootHash(wrong),
                    found,
                }
            ),
            (
                4,
                FindingKind::CheckpointBeyondLog {
                    size: 9,
                    entries: 4
                }
            ),
        ]
    );
}

#[test]
fn a_root_after_an_over_long_line_is_uncheckable() {
    let log = noted_log(1);
    let mut v = Verifier::new(with_roots(vec![(3, [0; 32])]));
    v.push_line(0, &log.lines[0]);
    v.push_too_long(500, MAX_ENTRY_BYTES as u64 + 1);
    v.push_line(2_000_000, &log.lines[1]);
    let report = v.finish();
    assert!(
        kinds(&report).contains(&(2, FindingKind::RootUncheckable { size: 3 })),
        "{:?}",
        report.findings
    );
    assert_eq!(report.root, None);
}

// A chain state saved and read back, and a verifier resumed from it.

/// A log with a key added and a key revoked, then a tail that breaks several rules.
fn resumable_log() -> (Log, usize) {
    let (k1, k2, k3) = (key(1), key(2), key(3));
    let mut log = two_key_log();
    log.add(
        &k1,
        ORIGIN,
        KEY_ADD_TYPE,
        &key_add_data(&k3.verifier(), &roles(&["note.*", "acta.key.revoke"])),
        "2025-11-26T09:01:00.5Z",
    )
    .add(&k3, ORIGIN, "note.added", &note(), "2025-11-26T09:02:00Z")
    .add(
        &k3,
        ORIGIN,
        KEY_REVOKE_TYPE,
        &key_revoke_data(&k2.key_ref(), Some("left")),
        "2025-11-26T09:03:00Z",
    );
    let prefix = log.lines.len();
    log.add(&k2, ORIGIN, "note.added", &note(), "2025-11-26T09:04:00Z")
        .add(&k3, ORIGIN, "court.filed", &note(), "2025-11-26T09:05:00Z")
        .add(&k3, ORIGIN, "note.added", &note(), "2025-11-26T08:00:00Z")
        .add(
            &k1,
            ORIGIN,
            KEY_ADD_TYPE,
            &key_add_data(&k3.verifier(), &Roles::all()),
            "2025-11-26T09:06:00Z",
        );
    (log, prefix)
}

#[test]
fn a_chain_and_frontier_survive_serialization() {
    let (log, prefix) = resumable_log();
    let options = VerifyOptions {
        check_signatures: false,
        ..VerifyOptions::default()
    };
    let mut v = Verifier::new(options);
    let mut offset = 0;
    for line in &log.lines[..prefix] {
        v.push_line(offset, line);
        offset += line.len() as u64 + 1;
    }
    assert!(v.findings().is_empty());
    let chain = v.chain().clone();
    let json = serde_json::to_string(&chain).expect("serializes");
    let back: Chain = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, chain);
    assert_eq!(back.keyring().records().len(), 3);
    let tree = v.tree().cloned().expect("a tree");
    let json = serde_json::to_string(&tree).expect("serializes");
    assert_eq!(
        serde_json::from_str::<Frontier>(&json).expect("deserializes"),
        tree
    );
    let empty = serde_json::to_string(&Chain::default()).expect("serializes");
    assert_eq!(
        serde_json::from_str::<Chain>(&empty).ok(),
        Some(Chain::default())
    );
}

#[test]
fn incoherent_chains_frontiers_and_keyrings_are_refused() {
    let (log, prefix) = resumable_log();
    let mut v = Verifier::new(VerifyOptions::default());
    for line in &log.lines[..prefix] {
        v.push_line(0, line);
    }
    let good = serde_json::to_value(v.chain()).expect("serializes");
    let bad = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut value = good.clone();
        edit(&mut value);
        serde_json::from_value::<Chain>(value).is_err()
    };
    assert!(!bad(&|_| {}));
    assert!(bad(&|v| v["origin"] = "has space".into()));
    assert!(bad(&|v| v["origin"] = serde_json::Value::Null));
    assert!(bad(&|v| v["next_seq"] = 0.into()));
    assert!(
        bad(&|v| v["next_seq"] = 2.into()),
        "keys added after the next seq"
    );
    assert!(bad(
        &|v| v["last_recorded_at"] = "2025-11-26 09:00:00Z".into()
    ));
    assert!(bad(&|v| v["genesis_author"] = "nobody+00000000".into()));
    assert!(bad(&|v| v["head"] = "00".into()));
    assert!(bad(&|v| v["extra"] = 1.into()));
    assert!(bad(&|v| v["keyring"][0]["roles"] = serde_json::json!([])));
    assert!(bad(
        &|v| v["keyring"][0]["key"] = "PRIVATE+KEY+x+00000000+AQ==".into()
    ));
    assert!(bad(&|v| v["keyring"][0]["revoked_at"] = 0.into()));
    assert!(bad(&|v| {
        let first = v["keyring"][0].clone();
        v["keyring"].as_array_mut().expect("an array").push(first);
    }));
    for frontier in [
        serde_json::json!({"size": 3, "subtrees": ["00".repeat(32)]}),
        serde_json::json!({"size": 1, "subtrees": ["0A".repeat(32)]}),
        serde_json::json!({"size": 1u64 << 63 | 1, "subtrees": ["00".repeat(32), "00".repeat(32)]}),
    ] {
        assert!(serde_json::from_value::<Frontier>(frontier).is_err());
    }
}

/// A verifier resumed from the state after a prefix checks the rest exactly as one that
/// read the prefix: same findings (entries, offsets, kinds), chain and tree.
#[test]
fn a_resumed_verifier_checks_the_rest_like_a_full_one() {
    let (log, prefix) = resumable_log();
    for check_signatures in [false, true] {
        let options = VerifyOptions {
            check_signatures,
            ..VerifyOptions::default()
        };
        let (mut full, mut offset) = (Verifier::new(options.clone()), 0);
        for line in &log.lines[..prefix] {
            full.push_line(offset, line);
            offset += line.len() as u64 + 1;
        }
        let chain: Chain =
            serde_json::from_str(&serde_json::to_string(full.chain()).expect("serializes"))
                .expect("deserializes");
        let tree = full.tree().cloned().expect("a tree");
        let mut resumed =
            Verifier::resume(options.clone(), chain, tree, offset).expect("resumable");
        for line in &log.lines[prefix..] {
            full.push_line(offset, line);
            resumed.push_line(offset, line);
            offset += line.len() as u64 + 1;
        }
        assert_eq!(resumed.chain(), full.chain());
        assert_eq!(resumed.tree(), full.tree());
        assert_eq!(resumed.findings(), full.findings());
        assert_eq!(resumed.findings().len(), 4, "{:?}", resumed.findings());
        let (r, f) = (resumed.finish(), full.finish());
        assert_eq!((r.entries, r.head, r.root), (f.entries, f.head, f.root));
    }
    // Claims about the unseen prefix cannot be checked, so they are refused.
    let trust = VerifyOptions {
        trust: Some(key(1).verifier()),
        ..VerifyOptions::default()
    };
    assert_eq!(
        Verifier::resume(trust, Chain::default(), Frontier::new(), 0).err(),
        Some(ResumeError::ClaimsAboutPrefix)
    );
    let roots = with_roots(vec![(0, crate::tree::empty_root())]);
    assert_eq!(
        Verifier::resume(roots, Chain::default(), Frontier::new(), 0).err(),
        Some(ResumeError::ExpectedRoots)
    );
    let mut one = Frontier::new();
    one.push(EntryHash([1; 32]));
    assert_eq!(
        Verifier::resume(VerifyOptions::default(), Chain::default(), one, 0).err(),
        Some(ResumeError::TreeSize)
    );
}

// The unterminated last line: an entry missing only its newline, or a torn tail.

impl Log {
    /// Verifies the log as a file whose last line lacks its newline (every line but the
    /// last pushed as a line, the last with [`Verifier::push_unterminated`]).
    fn verify_unterminated(&self, options: VerifyOptions) -> Report {
        let mut v = Verifier::new(options);
        let mut offset = 0;
        let (last, rest) = self.lines.split_last().expect("a line");
        for line in rest {
            v.push_line(offset, line);
            offset += line.len() as u64 + 1;
        }
        v.push_unterminated(offset, last);
        v.finish()
    }
}

fn missing_newline(seq: u64) -> FindingKind {
    FindingKind::MissingNewline { seq }
}

#[test]
fn a_complete_last_entry_without_its_newline_is_a_missing_newline_not_a_torn_tail() {
    let log = noted_log(3);
    let whole = log.verify_default();
    assert!(whole.is_consistent(), "{:?}", whole.findings);
    let head = whole.head.expect("a head");
    let options = VerifyOptions {
        trust: Some(key(1).verifier()),
        expect_head: Some((head.seq, head.hash)),
        ..VerifyOptions::default()
    };
    let report = log.verify_unterminated(options);
    assert_eq!(kinds(&report), [(3, missing_newline(3))]);
    assert_eq!(report.findings[0].offset, log.offset(3));
    // It counts as the line it is: same entries, head and root as with its newline, and
    // the expected head at it is not truncated.
    assert_eq!(
        (report.entries, report.head, &report.root),
        (whole.entries, whole.head, &whole.root)
    );
    assert!(matches!(report.anchor, Anchor::Trusted { .. }));
    assert!(!report.is_sound());
    let json = serde_json::to_value(&report.findings[0].kind).expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({"finding": "missing_newline", "seq": 3})
    );
    assert!(report.findings[0].kind.to_string().ends_with(
        "the log ends without its newline (removed, or a crash just before it was written)"
    ));
}

#[test]
fn a_genesis_alone_without_its_newline_is_a_missing_newline() {
    let log = two_key_log();
    let report = log.verify_unterminated(VerifyOptions {
        trust: Some(key(1).verifier()),
        ..VerifyOptions::default()
    });
    assert_eq!(kinds(&report), [(0, missing_newline(0))]);
    assert_eq!(report.entries, 1, "no empty_log: the genesis is there");
    // Another trust anchor: the genesis has a finding of its own, so it is torn.
    let report = log.verify_unterminated(VerifyOptions {
        trust: Some(key(2).verifier()),
        ..VerifyOptions::default()
    });
    let len = log.lines[0].len() as u64;
    assert_eq!(
        kinds(&report),
        [
            (0, FindingKind::TornTail { len }),
            (0, FindingKind::EmptyLog)
        ]
    );
}

#[test]
fn the_last_entry_of_a_batch_without_its_newline_ends_the_batch() {
    let k1 = key(1);
    let mut log = two_key_log();
    log.add_more(&k1, 2).add_more(&k1, 1).add_more(&k1, 0);
    let report = log.verify_unterminated(VerifyOptions::default());
    assert_eq!(
        kinds(&report),
        [(3, missing_newline(3))],
        "no unfinished_batch"
    );
}

#[test]
fn an_entry_that_leaves_a_batch_open_without_its_newline_is_a_torn_tail() {
    let k1 = key(1);
    // The first entry of a batch, and an entry in its middle: neither was acknowledged.
    let mut first = two_key_log();
    first.add_more(&k1, 0).add_more(&k1, 2);
    let len = first.lines[2].len() as u64;
    assert_eq!(
        kinds(&first.verify_unterminated(VerifyOptions::default())),
        [(2, FindingKind::TornTail { len })]
    );
    let mut middle = two_key_log();
    middle.add_more(&k1, 2).add_more(&k1, 1);
    let len = middle.lines[2].len() as u64;
    let report = middle.verify_unterminated(VerifyOptions::default());
    assert_eq!(
        kinds(&report),
        [
            (
                1,
                FindingKind::UnfinishedBatch {
                    size: 3,
                    missing: 2
                }
            ),
            (2, FindingKind::TornTail { len }),
        ]
    );
    assert_eq!(report.entries, 2, "the torn bytes are not counted");
}

#[test]
fn unterminated_bytes_that_are_not_the_next_entry_are_a_torn_tail() {
    let k1 = key(1);
    let whole = noted_log(2);
    let entries = whole.lines.len() as u64 - 1;
    let torn = |log: &Log| {
        let report = log.verify_unterminated(VerifyOptions::default());
        let len = log.lines.last().map_or(0, |l| l.len() as u64);
        assert_eq!(
            kinds(&report),
            [(entries, FindingKind::TornTail { len })],
            "{:?}",
            String::from_utf8_lossy(log.lines.last().map_or(&[][..], |l| l))
        );
        assert_eq!(report.entries, entries);
        assert_eq!(report.head.map(|h| h.seq), Some(entries - 1));
    };
    let edit = |f: &dyn Fn(&mut Log)| {
        let mut log = noted_log(1);
        f(&mut log);
        log
    };
    // Half a line; the line without its last byte.
    torn(&edit(&|l| {
        let last = whole.lines[2].clone();
        l.lines.push(last[..last.len() / 2].to_vec());
    }));
    torn(&edit(&|l| {
        let last = whole.lines[2].clone();
        l.lines.push(last[..last.len() - 1].to_vec());
    }));
    // Signed for another log (a forgery naming a real author), or by a key not in it.
    torn(&edit(&|l| {
        l.add(
            &k1,
            ELSEWHERE,
            "note.added",
            &note(),
            "2025-11-26T09:02:00Z",
        );
    }));
    torn(&edit(&|l| {
        l.add(
            &key(9),
            ORIGIN,
            "note.added",
            &note(),
            "2025-11-26T09:02:00Z",
        );
    }));
    // By a key whose roles do not cover its type; back in time.
    torn(&edit(&|l| {
        l.add(
            &key(2),
            ORIGIN,
            "court.filed",
            &note(),
            "2025-11-26T09:02:00Z",
        );
    }));
    torn(&edit(&|l| {
        l.add(&k1, ORIGIN, "note.added", &note(), "2025-11-26T08:00:00Z");
    }));
    // A valid entry, but not the next one: a replayed earlier line, a line not canonical.
    torn(&edit(&|l| {
        let again = l.lines[1].clone();
        l.lines.push(again);
    }));
    torn(&edit(&|l| {
        let spaced = String::from_utf8(whole.lines[2].clone())
            .expect("UTF-8")
            .replacen("{\"author\":", "{\"author\": ", 1);
        l.lines.push(spaced.into_bytes());
    }));
}

#[test]
fn an_unterminated_entry_is_checked_against_the_expected_roots_as_a_line() {
    let log = noted_log(3);
    let tree =
        crate::tree::MemoryTree::from_leaves(log.lines.iter().map(|l| EntryHash::of_line(l)));
    let size = log.lines.len() as u64;
    let right = tree.root_at(size).expect("in range");
    let report = log.verify_unterminated(with_roots(vec![(size, right)]));
    assert_eq!(kinds(&report), [(3, missing_newline(3))]);
    // A wrong root at its size: the line is still the entry it is, and the root finding
    // is reported as for any line.
    let wrong = [9u8; 32];
    let report = log.verify_unterminated(with_roots(vec![(size, wrong)]));
    assert_eq!(
        kinds(&report),
        [
            (
                3,
                FindingKind::RootMismatch {
                    size,
                    expected: RootHash(wrong),
                    found: RootHash(right),
                }
            ),
            (3, missing_newline(3)),
        ]
    );
}

#[test]
fn unterminated_bytes_over_the_limit_are_a_torn_tail() {
    let log = noted_log(1);
    let mut v = Verifier::new(VerifyOptions::default());
    let mut offset = 0;
    for line in &log.lines {
        v.push_line(offset, line);
        offset += line.len() as u64 + 1;
    }
    let big = vec![b'x'; MAX_ENTRY_BYTES + 1];
    v.push_unterminated(offset, &big);
    assert_eq!(
        kinds(&v.finish()),
        [(
            2,
            FindingKind::TornTail {
                len: MAX_ENTRY_BYTES as u64 + 1
            }
        )]
    );
}
