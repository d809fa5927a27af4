//! # acta-tlog: transparency-log standard formats
//!
//! The published formats a transparency log, its witnesses and its verifiers share, with no
//! concept of any particular log's entries. Everything here is pure: no I/O, no clock.
//!
//! - [`key`]: the C2SP signed-note key forms: Ed25519 [`SigningKey`] (private) and
//!   [`VerifierKey`] (public), key ids and `NAME+keyid` references ([`KeyRef`]).
//! - [`note`]: signed notes (<https://c2sp.org/signed-note>), checkpoints
//!   (<https://c2sp.org/tlog-checkpoint>), cosignatures and cosigner keys
//!   (<https://c2sp.org/tlog-cosignature>), tlog-proof bundles (<https://c2sp.org/tlog-proof>)
//!   and the checkpoint policy (the log's signature and k of n witnesses).
//! - [`tree`]: RFC 6962 / RFC 9162 Merkle trees: hashing, the stored layout, inclusion and
//!   consistency proofs, the frontier and an in-memory tree.
//! - [`wire`]: the JSON forms of inclusion and consistency proofs.
//! - [`witness`]: a witness's decision to cosign a checkpoint or refuse it, as a pure function.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub, clippy::expect_used)]
// Tests may index and `expect`: a panic there is a failing test.
#![cfg_attr(test, allow(clippy::expect_used, clippy::indexing_slicing))]

pub mod key;
pub mod note;
pub mod tree;
pub mod wire;
pub mod witness;

pub use key::{KeyId, KeyRef, SigningKey, VerifierKey};
