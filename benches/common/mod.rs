//! What the benchmark binaries share: the test-only key, the fixed clock and the ~500-byte
//! entry they all write, so that their figures are about the same entries.
#![allow(dead_code)] // each benchmark binary uses a part

use acta_core::SigningKey;
use acta_core::json::{Object, Value};
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
