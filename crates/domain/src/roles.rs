//! Which event types each signer role of DOMAIN.md §5.2 may record, as acta role patterns.
//!
//! acta keys carry *roles*: event-type patterns (`*`, `prefix.*` or exact names). This domain's
//! types have no common prefix, so each role is a list of exact type names, suitable for
//! `acta key add --roles`. The lists are suggestions for a log's key administrator; acta
//! enforces whatever roles the keys are given. A `state_liaison` role cannot be narrowed to
//! its own State by type patterns: that check belongs to the domain layer (the event's
//! `attributed_to`).

use std::fmt;
use std::str::FromStr;

use acta_core::Roles;
use acta_core::keyring::{KEY_ADD_TYPE, KEY_REVOKE_TYPE};

use crate::event::{SIDES, Side};

/// A signer role (DOMAIN.md §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignerRole {
    /// Court-side events: Chambers, Presidency, Registry, Plenary, OTP filings.
    CourtClerk,
    /// Assembly-side events: President, Bureau, focal points, sessions, resolutions.
    AspSecretariat,
    /// A State's own acts: arrests, releases, observations, consultations, withdrawal.
    StateLiaison,
    /// Any domain event transcribed from a source (not approvals or checkpoints).
    Transcriber,
    /// Anomaly flags, corrections, retractions, and the second signature (approval) on them.
    Reviewer,
    /// Keys (`acta.key.add`, `acta.key.revoke`) and checkpoints.
    KeyAdmin,
}

impl SignerRole {
    /// Every role.
    pub const ALL: [SignerRole; 6] = [
        SignerRole::CourtClerk,
        SignerRole::AspSecretariat,
        SignerRole::StateLiaison,
        SignerRole::Transcriber,
        SignerRole::Reviewer,
        SignerRole::KeyAdmin,
    ];

    /// The role's name, e.g. `court_clerk`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SignerRole::CourtClerk => "court_clerk",
            SignerRole::AspSecretariat => "asp_secretariat",
            SignerRole::StateLiaison => "state_liaison",
            SignerRole::Transcriber => "transcriber",
            SignerRole::Reviewer => "reviewer",
            SignerRole::KeyAdmin => "key_admin",
        }
    }

    /// The event types this role may record, in catalogue order (exact type names).
    pub fn types(&self) -> Vec<&'static str> {
        let sides: &[Side] = match self {
            SignerRole::CourtClerk => &[Side::Court, Side::Registry],
            SignerRole::AspSecretariat => &[Side::Assembly, Side::Registry],
            SignerRole::StateLiaison => &[Side::State],
            SignerRole::Transcriber => &[
                Side::Court,
                Side::Assembly,
                Side::State,
                Side::Record,
                Side::Review,
                Side::Registry,
            ],
            SignerRole::Reviewer => &[Side::Review],
            SignerRole::KeyAdmin => &[Side::Admin],
        };
        let mut out: Vec<&'static str> = Vec::new();
        if *self == SignerRole::KeyAdmin {
            out.extend([KEY_ADD_TYPE, KEY_REVOKE_TYPE]);
        }
        for (t, side) in SIDES {
            let extra = match self {
                // Any organ may make a public statement.
                SignerRole::CourtClerk | SignerRole::AspSecretariat => {
                    *t == "public_statement_issued"
                }
                _ => false,
            };
            // The second signature of the two-person rule is a reviewer's.
            let excluded = *self == SignerRole::Transcriber && *t == "approval_recorded";
            if (sides.contains(side) || extra) && !excluded {
                out.push(t);
            }
        }
        out
    }

    /// The role as acta key roles.
    pub fn roles(&self) -> Result<Roles, acta_core::RolesError> {
        Roles::new(self.types().into_iter().map(str::to_owned).collect())
    }
}

/// Why a string is not a [`SignerRole`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a signer role is court_clerk, asp_secretariat, state_liaison, transcriber, reviewer or key_admin"
)]
pub struct SignerRoleError;

impl FromStr for SignerRole {
    type Err = SignerRoleError;
    fn from_str(s: &str) -> Result<SignerRole, SignerRoleError> {
        SignerRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(SignerRoleError)
    }
}

impl fmt::Display for SignerRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
