//! # acta-core: the byte format and the verifier
//!
//! This crate decides "is this log authentic?". It does no I/O and knows no domain: callers
//! hand it bytes and public keys, and it hands back entries, hashes and reports.
//!
//! The standard formats it builds on (C2SP keys and signed notes, checkpoints, cosignatures,
//! RFC 6962 trees and proofs) live in `acta-tlog`, re-exported here as [`key`], [`note`] and
//! [`tree`]. The principal types and how they connect:
//!
//! - [`json`]: strict JSON parsing and RFC 8785 canonical encoding. Entries are canonical JSON.
//! - [`key`]: [`SigningKey`] (private) and [`VerifierKey`] (public), in the C2SP signed-note
//!   text forms; a [`KeyRef`] (`NAME+keyid`) names a key inside a log.
//! - [`entry`]: [`Entry`] decoding of a stored line, [`EntryHash`] (the RFC 6962 leaf hash of
//!   the line), the signed message, and [`NewEntry`] for writers.
//! - [`keyring`]: the genesis entry, key add/revoke entries, roles.
//! - [`project`]: the [`Projection`] contract, folds over a verified log's entries.
//! - [`verify`]: [`Verifier`] consumes lines in order and returns a [`Report`] of
//!   [`Finding`]s; its [`Chain`] is what a writer needs to append the next entry.
//!
//! The format is specified in `FORMAT.md` at the repository root.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub, clippy::expect_used)]
// Tests may index and `expect`: a panic there is a failing test.
#![cfg_attr(test, allow(clippy::expect_used, clippy::indexing_slicing))]

pub mod entry;
pub mod json;
pub mod key;
pub mod keyring;
pub mod project;
pub mod verify;

/// C2SP signed notes, checkpoints, cosignatures, tlog-proof bundles and the checkpoint
/// policy: [`acta_tlog::note`].
pub use acta_tlog::note;
/// RFC 6962 / RFC 9162 Merkle trees and proofs: [`acta_tlog::tree`].
pub use acta_tlog::tree;

pub use entry::{Entry, EntryHash, MAX_ENTRY_BYTES, NewEntry};
pub use key::{KeyId, KeyRef, SigningKey, VerifierKey};
pub use keyring::{Genesis, Keyring, Roles, RolesError};
pub use project::{Position, Projection, Recorded};
pub use verify::{
    Chain, Finding, FindingKind, OpenBatch, PreparedLine, Report, ResumeError, SignatureContext,
    Verifier, VerifyOptions,
};
