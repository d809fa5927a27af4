//! Sealed warrants as salted commitments.
//!
//! A warrant issued under seal is recorded by `arrest_warrant_issued_under_seal` with only a
//! commitment to its content:
//!
//! ```text
//! commitment = SHA-256("acta/icc-noncooperation/v1 sealed warrant\n" ‖ salt ‖ canonical JSON of the content)
//! ```
//!
//! where `salt` is the raw bytes (16 to 64, written in hex) and the content is a
//! [`SealedWarrantContent`] encoded as RFC 8785 canonical JSON (as the log stores it). The
//! salt makes the content unguessable from the commitment even when the candidates are few
//! (a handful of persons, situations and Chambers). `arrest_warrant_unsealed` later reveals
//! content and salt ([`Reveal`]); [`check_commitment`] checks them.

use std::fmt;
use std::str::FromStr;

use acta_core::json::{Profile, parse, to_canonical};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::{
    ApplicationId, CaseId, ChamberId, CourtRecordNumber, IdError, PersonId, Sha256Hex, SituationId,
};
use crate::text::string_serde;
use crate::vocab::{Crime, Vote};

/// The content of a warrant, hidden while it is sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedWarrantContent {
    /// The person.
    pub person: PersonId,
    /// The situation.
    pub situation: SituationId,
    /// The issuing Chamber.
    pub chamber: ChamberId,
    /// The case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<CaseId>,
    /// The warrant's record number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_ref: Option<CourtRecordNumber>,
    /// Unanimous or by majority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<Vote>,
    /// The application granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<ApplicationId>,
    /// The crimes.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::text::nonempty"
    )]
    pub crimes: Vec<Crime>,
}

/// A salt: 16 to 64 random bytes, written as lower-case hex.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Salt(Vec<u8>);

impl Salt {
    /// A salt from bytes (16 to 64 of them).
    pub fn new(bytes: Vec<u8>) -> Result<Salt, IdError> {
        if (16..=64).contains(&bytes.len()) {
            Ok(Salt(bytes))
        } else {
            Err(IdError {
                expected: SALT_EXPECTED,
            })
        }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

const SALT_EXPECTED: &str = "a salt is 16 to 64 bytes written as 32 to 128 lower-case hex digits";

impl FromStr for Salt {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Salt, IdError> {
        if !s.len().is_multiple_of(2) || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(IdError {
                expected: SALT_EXPECTED,
            });
        }
        Salt::new(hex::decode(s).map_err(|_| IdError {
            expected: SALT_EXPECTED,
        })?)
    }
}

impl fmt::Display for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Salt({self})")
    }
}

string_serde!(Salt, "a salt (32 to 128 lower-case hex digits)");

/// What unsealing reveals: the content and the salt of the commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reveal {
    /// The content.
    pub content: SealedWarrantContent,
    /// The salt.
    pub salt: Salt,
}

/// Why a reveal does not open a commitment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// The content could not be encoded as canonical JSON (an acta-domain defect).
    #[error("the warrant content cannot be encoded as canonical JSON")]
    Encode,
    /// The content and salt do not hash to the commitment.
    #[error(
        "the revealed content and salt do not match the commitment {commitment}: they hash to {computed}"
    )]
    Mismatch {
        /// The recorded commitment.
        commitment: Sha256Hex,
        /// What the reveal hashes to.
        computed: Sha256Hex,
    },
}

/// The canonical JSON bytes of a content (RFC 8785, as the log would store it).
pub fn canonical_content(content: &SealedWarrantContent) -> Result<Vec<u8>, SealError> {
    let text = serde_json::to_vec(content).map_err(|_| SealError::Encode)?;
    let value = parse(&text, Profile::Entry).map_err(|_| SealError::Encode)?;
    Ok(to_canonical(&value))
}

/// The context string that starts every sealed-warrant commitment, so that a commitment can
/// never be taken for any other hash.
pub const COMMITMENT_CONTEXT: &[u8] = b"acta/icc-noncooperation/v1 sealed warrant\n";

/// `SHA-256(COMMITMENT_CONTEXT ‖ salt ‖ canonical(content))`.
pub fn commitment(salt: &Salt, content: &SealedWarrantContent) -> Result<Sha256Hex, SealError> {
    // commitment = SHA-256("acta/icc-noncooperation/v1 sealed warrant\n" ‖ salt ‖ canonical JSON of the content)
    let mut h = Sha256::new();
    h.update(COMMITMENT_CONTEXT);
    h.update(salt.as_bytes());
    h.update(canonical_content(content)?);
    Ok(Sha256Hex(h.finalize().into()))
}

/// Checks that `salt` and `content` open `commitment`.
pub fn check_commitment(
    commitment_recorded: &Sha256Hex,
    salt: &Salt,
    content: &SealedWarrantContent,
) -> Result<(), SealError> {
    let computed = commitment(salt, content)?;
    if &computed == commitment_recorded {
        Ok(())
    } else {
        Err(SealError::Mismatch {
            commitment: *commitment_recorded,
            computed,
        })
    }
}

/// Checks a [`Reveal`] against a commitment.
pub fn check_reveal(commitment_recorded: &Sha256Hex, reveal: &Reveal) -> Result<(), SealError> {
    check_commitment(commitment_recorded, &reveal.salt, &reveal.content)
}
