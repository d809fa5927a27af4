//! The report as JSON.

use crate::Report;

/// The report as pretty-printed JSON (field order fixed by the types).
pub fn to_json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}
