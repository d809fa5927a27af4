//! The integration tests of acta-report, in one binary.
// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::panic)]

mod report;
