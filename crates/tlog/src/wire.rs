//! The JSON forms of RFC 6962 proofs: what a log hands out and a verifier or witness reads.
//!
//! Hashes are the standard, padded base64 of 32 bytes, leaf side first (RFC 6962 `PATH` and
//! `PROOF` order, as [`crate::tree`] builds and verifies them). Unknown members are refused.
//! Decoding the hashes, and what to do with a malformed one, is the reader's.

use serde::{Deserialize, Serialize};

/// An inclusion proof: leaf `leaf_index` (whose leaf hash is `leaf_hash`) is in the tree of
/// the first `tree_size` leaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// The 0-based index of the leaf.
    pub leaf_index: u64,
    /// The size of the tree the proof is for.
    pub tree_size: u64,
    /// The base64 leaf hash.
    pub leaf_hash: String,
    /// The base64 proof hashes.
    pub hashes: Vec<String>,
}

/// A consistency proof: the tree of the first `old_size` leaves is a prefix of the tree of
/// the first `new_size`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyProof {
    /// The old (smaller) tree size.
    pub old_size: u64,
    /// The new tree size.
    pub new_size: u64,
    /// The base64 proof hashes.
    pub hashes: Vec<String>,
}

/// Either kind of proof, told apart by its members.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum AnyProof {
    /// An [`InclusionProof`].
    Inclusion(InclusionProof),
    /// A [`ConsistencyProof`].
    Consistency(ConsistencyProof),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_forms_round_trip_and_are_told_apart() {
        let i = InclusionProof {
            leaf_index: 1,
            tree_size: 2,
            leaf_hash: "bGVhZg==".to_owned(),
            hashes: vec!["aA==".to_owned()],
        };
        let text = serde_json::to_string(&i).expect("serializes");
        assert_eq!(
            text,
            r#"{"leaf_index":1,"tree_size":2,"leaf_hash":"bGVhZg==","hashes":["aA=="]}"#
        );
        let back: AnyProof = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, AnyProof::Inclusion(i));
        let c = ConsistencyProof {
            old_size: 1,
            new_size: 3,
            hashes: vec![],
        };
        let text = serde_json::to_string(&c).expect("serializes");
        assert_eq!(text, r#"{"old_size":1,"new_size":3,"hashes":[]}"#);
        let back: AnyProof = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, AnyProof::Consistency(c));
    }

    #[test]
    fn unknown_members_are_refused() {
        let text = r#"{"old_size":1,"new_size":3,"hashes":[],"extra":1}"#;
        assert!(serde_json::from_str::<ConsistencyProof>(text).is_err());
        assert!(serde_json::from_str::<AnyProof>(text).is_err());
    }
}
