//! The one integration-test binary: the real `acta` binary and the public library APIs,
//! exercised together.

mod cli;
mod fixtures;
mod format_doc;
mod go_interop;
mod mutations;
mod snapshots;
mod transparency;
