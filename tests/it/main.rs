//! The one integration-test binary: the real `acta` binary and the public library APIs,
//! exercised together.

mod campaign;
mod cli;
mod crash;
mod fixtures;
mod format_doc;
mod fuzz_corpus;
mod go_interop;
mod hostile;
mod mutations;
mod projection;
mod seed;
mod snapshots;
mod storage_faults;
mod transparency;
