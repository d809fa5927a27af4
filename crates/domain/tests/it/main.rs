//! The integration tests of acta-domain, in one binary.
// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::panic)]

mod events;
mod examples;
mod incremental;
mod model;
mod mutations;
mod retractions;
mod seal;
mod values;
