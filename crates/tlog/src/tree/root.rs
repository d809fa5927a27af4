//! [`RootHash`]: a tree root in the text form checkpoints give it.

#![warn(clippy::indexing_slicing)]

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::Hash;

/// An RFC 6962 tree root hash, written as checkpoints write it (c2sp.org/tlog-checkpoint, line
/// 3): the standard, padded base64 (RFC 4648 §4) of its 32 bytes.
///
/// `Display`, `FromStr` and serde all use that text form; `FromStr` accepts only the canonical
/// encoding of exactly 32 bytes, so one root has one text form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RootHash(pub Hash);

impl RootHash {
    /// The root's 32 bytes.
    pub fn as_bytes(&self) -> &Hash {
        &self.0
    }
}

impl From<Hash> for RootHash {
    fn from(h: Hash) -> RootHash {
        RootHash(h)
    }
}

impl From<RootHash> for Hash {
    fn from(r: RootHash) -> Hash {
        r.0
    }
}

impl PartialEq<Hash> for RootHash {
    fn eq(&self, other: &Hash) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for RootHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&BASE64.encode(self.0))
    }
}

impl fmt::Debug for RootHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RootHash({self})")
    }
}

/// The error of parsing a [`RootHash`] from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a root hash is the canonical padded base64 of 32 bytes")]
pub struct BadRootHash;

impl FromStr for RootHash {
    type Err = BadRootHash;
    fn from_str(s: &str) -> Result<RootHash, BadRootHash> {
        decode_hash(s).map(RootHash).ok_or(BadRootHash)
    }
}

/// Decodes one standard padded base64 SHA-256 hash: exactly 32 bytes, and only its canonical
/// encoding (the bytes must re-encode to exactly `s`).
pub(crate) fn decode_hash(s: &str) -> Option<Hash> {
    let raw = BASE64.decode(s).ok()?;
    if BASE64.encode(&raw) != s {
        return None;
    }
    Hash::try_from(raw.as_slice()).ok()
}

impl serde::Serialize for RootHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for RootHash {
    /// Reads the base64 text form, with every check of [`RootHash`]'s `FromStr`.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RootHash, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_form_is_the_checkpoint_base64_and_round_trips() {
        let root = RootHash(super::super::empty_root());
        let text = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        assert_eq!(root.to_string(), text);
        assert_eq!(text.parse::<RootHash>(), Ok(root));
        assert_eq!(format!("{root:?}"), format!("RootHash({text})"));
        let json = serde_json::to_string(&root).expect("serializes");
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(
            serde_json::from_str::<RootHash>(&json).expect("reads"),
            root
        );
    }

    #[test]
    fn only_the_canonical_base64_of_32_bytes_parses() {
        let bad = [
            "",
            // 31 and 33 bytes.
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuA==",
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFVV",
            // Unpadded, URL-safe alphabet, non-canonical trailing bits, whitespace.
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
            "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=",
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=",
            " 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        ];
        for s in bad {
            assert_eq!(s.parse::<RootHash>(), Err(BadRootHash), "{s:?}");
            assert!(serde_json::from_str::<RootHash>(&format!("{s:?}")).is_err());
        }
        assert!(serde_json::from_str::<RootHash>("7").is_err());
    }
}
