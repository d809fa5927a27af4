//! What the benchmark binaries share: the test-only key, the fixed clock and the ~500-byte
//! entry they all write, so that their figures are about the same entries.
#![allow(dead_code)] // each benchmark binary uses a part

use std::path::Path;

use acta_core::SigningKey;
use acta_core::entry::{Entry, signed_message};
use acta_core::json::{Object, Value};
use acta_store::{FileStore, Store as _};
use chrono::{DateTime, TimeZone, Utc};

/// The type of every non-genesis entry.
pub const ENTRY_TYPE: &str = "bench.case.updated";

/// The test-only benchmark key.
pub fn key() -> SigningKey {
    SigningKey::from_seed("test-only-bench", [9; 32]).expect("valid key name")
}

/// The fixed clock: every entry is recorded at the same instant.
pub fn clock() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 11, 26, 9, 0, 0)
        .single()
        .expect("valid time")
}

/// The data of entry `i`: a few strings, so that the stored line (data plus seq, prev,
/// recorded_at, type and signature) is about 500 bytes.
pub fn event(i: u64) -> Object {
    let mut d = Object::new();
    d.insert("case", Value::String(format!("case-{i:08}")));
    d.insert("actor", Value::String("registry-clerk-07".into()));
    d.insert("status", Value::String("transmitted".into()));
    d.insert(
        "note",
        Value::String(
            "Request for cooperation transmitted to the competent national authority; \
             receipt pending within the agreed time limit."
                .into(),
        ),
    );
    d
}

/// Reads the last line of the log at `path` and checks that it is a canonical entry whose
/// signature by `key` verifies for `origin` (so that appends that write garbage fail the
/// benchmark). Returns its seq and the line's length.
pub fn check_last_entry(path: &Path, origin: &str, key: &SigningKey) -> (u64, usize) {
    let line = FileStore::open_reader(path)
        .expect("open the log")
        .last_line()
        .expect("read the last line")
        .expect("the log has lines")
        .bytes;
    let d = Entry::decode(&line).expect("the last line is an entry");
    assert_eq!(d.non_canonical_at, None, "the last line is canonical");
    let msg = signed_message(origin, &d.unsigned);
    assert!(
        key.verifier().verify(&msg, &d.entry.sig),
        "the last entry's signature verifies"
    );
    (d.entry.seq, line.len())
}
