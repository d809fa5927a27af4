//! Keys: Ed25519 signing keys and their public verifier keys, in the text forms of the C2SP
//! signed-note specification (the same forms as Go's `golang.org/x/mod/sumdb/note`).
//!
//! - Verifier key (public): `NAME+<key id, 8 hex digits>+<base64(0x01 ‖ 32-byte public key)>`
//! - Signer key (private): `PRIVATE+KEY+NAME+<key id>+<base64(0x01 ‖ 32-byte seed)>`
//!
//! `key id = SHA-256(NAME ‖ "\n" ‖ 0x01 ‖ public key)[0..4]`, read as a big-endian u32.
//! The `PRIVATE+KEY+` prefix makes a private key impossible to mistake for a public one, and
//! the parsers refuse each form where the other is expected. The [`fmt::Debug`] output of a
//! [`SigningKey`] never shows the secret.

#![warn(clippy::indexing_slicing)]

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize as _, Zeroizing};

/// The algorithm byte of an Ed25519 key in C2SP signed notes.
pub const ALG_ED25519: u8 = 0x01;

/// The prefix of a private signer key's text form.
pub const PRIVATE_KEY_PREFIX: &str = "PRIVATE+KEY+";

/// The 4-byte id of a key: `SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0..4]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 4]);

impl KeyId {
    /// Computes the id of the Ed25519 public key `public` named `name`.
    pub fn compute(name: &str, public: &[u8; 32]) -> KeyId {
        // key id = SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0..4]
        let mut h = Sha256::new();
        h.update(name.as_bytes());
        h.update(b"\n");
        h.update([ALG_ED25519]);
        h.update(public);
        let d: [u8; 32] = h.finalize().into();
        let [a, b, c, e, ..] = d;
        KeyId([a, b, c, e])
    }
}

impl fmt::Display for KeyId {
    /// 8 lowercase hex digits (written without allocating: authors are shown per entry).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.0;
        write!(f, "{a:02x}{b:02x}{c:02x}{d:02x}")
    }
}

impl FromStr for KeyId {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        let mut out = [0u8; 4];
        if s.len() != 8 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(KeyError::BadKeyId);
        }
        hex::decode_to_slice(s, &mut out).map_err(|_| KeyError::BadKeyId)?;
        Ok(KeyId(out))
    }
}

/// What names a key in a log: `NAME+<key id>`, as on a signed note's signature line. This is
/// the `author` of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyRef {
    /// The key's name.
    pub name: String,
    /// The key's id.
    pub id: KeyId,
}

impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        f.write_str("+")?;
        fmt::Display::fmt(&self.id, f)
    }
}

impl FromStr for KeyRef {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        let (name, id) = s.rsplit_once('+').ok_or(KeyError::Malformed {
            expected: "NAME+<8 hex digits>",
        })?;
        check_name(name)?;
        Ok(KeyRef {
            name: name.to_owned(),
            id: id.parse()?,
        })
    }
}

impl serde::Serialize for KeyRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for KeyRef {
    /// Reads the `NAME+<key id>` text form, with every check of [`KeyRef`]'s `FromStr`.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<KeyRef, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a key, key name or key text was refused. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key name is empty, too long, or has a space, control character or `+`.
    #[error("key name must be 1 to 128 bytes with no spaces, no control characters and no '+'")]
    BadName,
    /// The text does not have the parts of a key text.
    #[error("malformed key text: expected {expected}")]
    Malformed {
        /// The form that was expected.
        expected: &'static str,
    },
    /// The key id is not 8 lowercase hex digits.
    #[error("key id must be 8 lowercase hex digits")]
    BadKeyId,
    /// The key material is not base64.
    #[error("key material is not valid base64")]
    BadBase64,
    /// The key material has the wrong number of bytes.
    #[error(
        "key material has {found} bytes; expected {expected} (algorithm byte 0x01 and 32 key bytes)"
    )]
    WrongLength {
        /// How many bytes a key has.
        expected: usize,
        /// How many the text has.
        found: usize,
    },
    /// The algorithm byte is not Ed25519's.
    #[error("unknown key algorithm 0x{found:02x}; only Ed25519 (0x01) is supported")]
    UnknownAlgorithm {
        /// The algorithm byte found.
        found: u8,
    },
    /// The key id is not the one computed from the name and key.
    #[error(
        "key id {stated} does not match the key (computed {computed}): the key text was altered"
    )]
    IdMismatch {
        /// The id in the text.
        stated: KeyId,
        /// The id of the name and key.
        computed: KeyId,
    },
    /// The public key is not a valid Ed25519 point.
    #[error("the public key is not a valid Ed25519 point")]
    InvalidPoint,
    /// The public key has small order.
    #[error("the public key has small order (a weak key that would accept forged signatures)")]
    WeakKey,
    /// A private signer key where a public verifier key is expected.
    #[error("this is a private signer key (PRIVATE+KEY+…) where a public verifier key is expected")]
    PrivateWherePublicExpected,
    /// A public verifier key where a private signer key is expected.
    #[error("this is a public verifier key where a private signer key is expected")]
    PublicWherePrivateExpected,
}

fn check_name(name: &str) -> Result<(), KeyError> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && !name
            .chars()
            .any(|c| c == '+' || c.is_whitespace() || c.is_control());
    if ok { Ok(()) } else { Err(KeyError::BadName) }
}

/// Splits `NAME+hexid+base64` (name may not contain '+') and returns the 32 key bytes after
/// the algorithm byte. The decoded key material is wiped when dropped (it is a private seed
/// when called for a signer key).
fn split_key_text(s: &str) -> Result<(&str, KeyId, Zeroizing<[u8; 32]>), KeyError> {
    const EXPECTED: &str = "NAME+<8 hex digits>+<base64 key>";
    let mut parts = s.splitn(3, '+');
    let (Some(name), Some(id), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(KeyError::Malformed { expected: EXPECTED });
    };
    check_name(name)?;
    let id: KeyId = id.parse()?;
    let raw = Zeroizing::new(BASE64.decode(b64).map_err(|_| KeyError::BadBase64)?);
    let (alg, key) = match raw.split_first() {
        Some((&alg, key)) if key.len() == 32 => (alg, key),
        _ => {
            return Err(KeyError::WrongLength {
                expected: 33,
                found: raw.len(),
            });
        }
    };
    if alg != ALG_ED25519 {
        return Err(KeyError::UnknownAlgorithm { found: alg });
    }
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(key);
    Ok((name, id, out))
}

/// A public verifier key: a name, its key id and an Ed25519 public key that is not weak.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    id: KeyId,
    key: ed25519_dalek::VerifyingKey,
}

impl VerifierKey {
    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key's id.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// `NAME+<key id>`: how entries and signature lines name this key.
    pub fn key_ref(&self) -> KeyRef {
        KeyRef {
            name: self.name.clone(),
            id: self.id,
        }
    }

    /// The 32-byte public key.
    pub fn public_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// Verifies an Ed25519 signature with strict semantics (RFC 8032 §5.1.7 plus: the
    /// signature's `s` must be canonical, and neither `R` nor the public key may have small
    /// order), as `ed25519_dalek::VerifyingKey::verify_strict` does.
    pub fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let sig = ed25519_dalek::Signature::from_bytes(signature);
        self.key.verify_strict(message, &sig).is_ok()
    }
}

impl fmt::Display for VerifierKey {
    /// `NAME+<key id>+base64(0x01 ‖ public key)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = [0u8; 33];
        raw[0] = ALG_ED25519;
        raw[1..].copy_from_slice(self.key.as_bytes());
        write!(f, "{}+{}+{}", self.name, self.id, BASE64.encode(raw))
    }
}

impl fmt::Debug for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifierKey({self})")
    }
}

impl FromStr for VerifierKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        if s.starts_with(PRIVATE_KEY_PREFIX) {
            return Err(KeyError::PrivateWherePublicExpected);
        }
        let (name, id, raw) = split_key_text(s)?;
        let public = *raw;
        let computed = KeyId::compute(name, &public);
        if computed != id {
            return Err(KeyError::IdMismatch {
                stated: id,
                computed,
            });
        }
        let key =
            ed25519_dalek::VerifyingKey::from_bytes(&public).map_err(|_| KeyError::InvalidPoint)?;
        // RFC 8032 §5.1.3: an encoding whose y is not below p is invalid. Decompression reduces
        // it instead, so require the point to re-encode to exactly the bytes given.
        if key.to_edwards().compress().to_bytes() != public {
            return Err(KeyError::InvalidPoint);
        }
        if key.is_weak() {
            return Err(KeyError::WeakKey);
        }
        Ok(VerifierKey {
            name: name.to_owned(),
            id,
            key,
        })
    }
}

impl serde::Serialize for VerifierKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for VerifierKey {
    /// Reads the verifier key text form, with every check of [`VerifierKey`]'s `FromStr`
    /// (a signer key is refused).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<VerifierKey, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A private Ed25519 signing key with its name. `Debug` redacts the secret; the only way to
/// see it is [`SigningKey::private_text`] (or [`SigningKey::to_private_text`]), meant for
/// writing the key file. The secret is wiped from memory when the key is dropped
/// (ed25519-dalek's `zeroize`), and so is every copy of the seed made on the way in or out.
#[derive(Clone)]
pub struct SigningKey {
    name: String,
    id: KeyId,
    key: ed25519_dalek::SigningKey,
}

impl SigningKey {
    /// A signing key from a 32-byte seed (get it from the operating system's random source).
    /// This function's copy of the seed is wiped before it returns; the caller's is the
    /// caller's to wipe (e.g. keep it in a [`Zeroizing`]).
    pub fn from_seed(name: &str, mut seed: [u8; 32]) -> Result<SigningKey, KeyError> {
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        seed.zeroize();
        check_name(name)?;
        let id = KeyId::compute(name, key.verifying_key().as_bytes());
        Ok(SigningKey {
            name: name.to_owned(),
            id,
            key,
        })
    }

    /// Parses the private text form `PRIVATE+KEY+NAME+<key id>+base64(0x01 ‖ seed)`.
    pub fn from_private_text(s: &str) -> Result<SigningKey, KeyError> {
        let Some(rest) = s.strip_prefix(PRIVATE_KEY_PREFIX) else {
            if split_key_text(s).is_ok() {
                return Err(KeyError::PublicWherePrivateExpected);
            }
            return Err(KeyError::Malformed {
                expected: "PRIVATE+KEY+NAME+<8 hex digits>+<base64 key>",
            });
        };
        let (name, id, seed) = split_key_text(rest)?;
        let key = SigningKey::from_seed(name, *seed)?;
        if key.id != id {
            return Err(KeyError::IdMismatch {
                stated: id,
                computed: key.id,
            });
        }
        Ok(key)
    }

    /// The private text form, in memory that is wiped when dropped (built in place, without
    /// intermediate copies of the seed). Write it only to a file readable by its owner alone.
    pub fn private_text(&self) -> Zeroizing<String> {
        let mut raw = Zeroizing::new([0u8; 33]);
        let [alg, key @ ..] = &mut *raw;
        *alg = ALG_ED25519;
        key.copy_from_slice(self.key.as_bytes());
        let id = self.id.to_string();
        // The base64 of 33 bytes is 44 characters; reserving it all means no reallocation
        // leaves a copy behind in freed memory.
        let mut text = Zeroizing::new(String::with_capacity(
            PRIVATE_KEY_PREFIX.len() + self.name.len() + 1 + id.len() + 1 + 44,
        ));
        text.push_str(PRIVATE_KEY_PREFIX);
        text.push_str(&self.name);
        text.push('+');
        text.push_str(&id);
        text.push('+');
        BASE64.encode_string(&raw[..], &mut text);
        text
    }

    /// The private text form as a plain `String` (not wiped when dropped: prefer
    /// [`SigningKey::private_text`]). Write it only to a file readable by its owner alone.
    pub fn to_private_text(&self) -> String {
        self.private_text().as_str().to_owned()
    }

    /// The public verifier key of this signing key.
    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            id: self.id,
            key: self.key.verifying_key(),
        }
    }

    /// `NAME+<key id>`.
    pub fn key_ref(&self) -> KeyRef {
        KeyRef {
            name: self.name.clone(),
            id: self.id,
        }
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Signs `message` (Ed25519, RFC 8032; deterministic).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer as _;
        self.key.sign(message).to_bytes()
    }

    /// HMAC-SHA256 keyed with this key's 32-byte Ed25519 seed, over the concatenation of
    /// `message_parts`: a building block for secrets separated from signing by a message the
    /// caller fixes (e.g. a prefix naming the use and its version). Anyone without the private
    /// key cannot compute it; the public key says nothing about it. The copy of the seed made
    /// here is zeroized; the returned value is zeroized when dropped.
    pub fn seed_hmac(&self, message_parts: &[&[u8]]) -> Zeroizing<[u8; 32]> {
        use hmac::Mac as _;
        // HMAC pads a key shorter than its 64-byte block with zeros (RFC 2104), so the seed
        // followed by 32 zero bytes is the same key, given in the infallible fixed-size form.
        let mut block = Zeroizing::new([0u8; 64]);
        block
            .split_at_mut(32)
            .0
            .copy_from_slice(self.key.as_bytes());
        let mut mac = <hmac::Hmac<Sha256> as hmac::digest::KeyInit>::new(&(*block).into());
        for part in message_parts {
            mac.update(part);
        }
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&mac.finalize().into_bytes());
        out
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({}+{}, secret redacted)", self.name, self.id)
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn key_ids_and_refs_display_as_hex(id in any::<[u8; 4]>(), name in "[a-z0-9.-]{1,12}") {
            prop_assert_eq!(KeyId(id).to_string(), hex::encode(id));
            let r = KeyRef { name: name.clone(), id: KeyId(id) };
            prop_assert_eq!(r.to_string(), format!("{name}+{}", hex::encode(id)));
            prop_assert_eq!(r.to_string().parse::<KeyRef>().ok(), Some(r));
        }
    }

    fn key() -> SigningKey {
        SigningKey::from_seed("test-key", [7u8; 32]).expect("valid name")
    }

    #[test]
    fn verifier_key_text_round_trips() {
        let v = key().verifier();
        let text = v.to_string();
        assert!(text.starts_with(&format!("test-key+{}+", v.id())));
        assert_eq!(text.parse::<VerifierKey>(), Ok(v));
    }

    #[test]
    fn private_text_round_trips_and_is_not_a_public_key() {
        let k = key();
        let text = k.to_private_text();
        assert!(text.starts_with("PRIVATE+KEY+test-key+"));
        let back = SigningKey::from_private_text(&text).expect("round trip");
        assert_eq!(back.verifier(), k.verifier());
        assert_eq!(
            text.parse::<VerifierKey>(),
            Err(KeyError::PrivateWherePublicExpected)
        );
        assert_eq!(
            SigningKey::from_private_text(&k.verifier().to_string()).map(|_| ()),
            Err(KeyError::PublicWherePrivateExpected)
        );
    }

    #[test]
    fn key_errors_name_no_command() {
        // A standard-format crate knows nothing of acta's CLI: the hints ("use `acta key
        // verifier`") are the CLI's to add.
        let k = key();
        let errors = [
            k.to_private_text().parse::<VerifierKey>().map(|_| ()),
            SigningKey::from_private_text(&k.verifier().to_string()).map(|_| ()),
            "no-plus-signs".parse::<VerifierKey>().map(|_| ()),
        ];
        for e in errors {
            let message = e.expect_err("each is refused").to_string();
            assert!(!message.contains("acta "), "{message}");
            assert!(!message.contains('`'), "{message}");
        }
    }

    #[test]
    fn the_wiped_private_text_is_the_same_text() {
        let k = key();
        let text = k.private_text();
        assert_eq!(text.as_str(), k.to_private_text());
        assert_eq!(text.capacity(), text.len(), "built without reallocating");
        let back = SigningKey::from_private_text(&text).expect("round trip");
        assert_eq!(back.verifier(), k.verifier());
    }

    #[test]
    fn debug_redacts_the_secret() {
        let k = key();
        let debug = format!("{k:?}");
        let secret = k.to_private_text();
        let b64 = secret.rsplit('+').next().expect("has parts");
        assert!(!debug.contains(b64), "{debug}");
        assert!(debug.contains("redacted"));
    }

    #[test]
    fn key_id_matches_go_note_algorithm() {
        // Go's note package: keyHash = SHA-256(name + "\n" + 0x01 + key)[:4], big-endian.
        let v = key().verifier();
        let mut h = Sha256::new();
        h.update(b"test-key\n\x01");
        h.update(v.public_bytes());
        assert_eq!(v.id().0, h.finalize()[..4]);
    }

    #[test]
    fn altered_key_text_is_refused() {
        let text = key().verifier().to_string();
        let (prefix, b64) = text.rsplit_once('+').expect("has parts");
        let mut raw = BASE64.decode(b64).expect("valid");
        raw[5] ^= 1;
        let altered = format!("{prefix}+{}", BASE64.encode(&raw));
        assert!(matches!(
            altered.parse::<VerifierKey>(),
            Err(KeyError::IdMismatch { .. } | KeyError::InvalidPoint)
        ));
        let short = format!("{prefix}+{}", BASE64.encode(&raw[..32]));
        assert_eq!(
            short.parse::<VerifierKey>(),
            Err(KeyError::WrongLength {
                expected: 33,
                found: 32
            })
        );
        assert_eq!(
            format!("{prefix}+!!!").parse::<VerifierKey>(),
            Err(KeyError::BadBase64)
        );
    }

    #[test]
    fn small_order_public_key_is_refused() {
        // The identity point (encoded y = 1) has order 1.
        let mut public = [0u8; 32];
        public[0] = 1;
        let id = KeyId::compute("weak", &public);
        let mut raw = vec![ALG_ED25519];
        raw.extend_from_slice(&public);
        let text = format!("weak+{id}+{}", BASE64.encode(raw));
        assert_eq!(text.parse::<VerifierKey>(), Err(KeyError::WeakKey));
    }

    #[test]
    fn seed_hmac_is_hmac_sha256_keyed_by_the_seed() {
        use hmac::Mac as _;
        let seed = [7u8; 32];
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&seed).expect("any key length");
        mac.update(b"ab\0c");
        let expected: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(*key().seed_hmac(&[b"ab", b"\0", b"c"]), expected);
        assert_eq!(*key().seed_hmac(&[b"ab\0c"]), expected);
    }

    #[test]
    fn bad_names_are_refused() {
        for name in ["", "a b", "a+b", "tab\there"] {
            assert_eq!(
                SigningKey::from_seed(name, [1; 32]).map(|_| ()),
                Err(KeyError::BadName),
                "{name:?}"
            );
        }
    }
}
