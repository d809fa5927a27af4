//! The one integration-test binary: the real `acta` binary and the public library APIs,
//! exercised together.

mod browser;
mod campaign;
mod cli;
mod crash;
mod domain_attacks;
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
mod support;
mod transparency;
mod trust_batch;
mod trust_files;
mod trust_state;
