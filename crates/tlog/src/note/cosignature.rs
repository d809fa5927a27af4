//! Cosignatures and cosigner keys: <https://c2sp.org/tlog-cosignature> (Ed25519
//! "cosignature/v1", signature type 0x04).

#![warn(clippy::indexing_slicing)]

use super::*;

/// The key id of an Ed25519 cosigner:
/// `SHA-256(name ‖ "\n" ‖ 0x04 ‖ 32-byte public key)[0..4]`.
pub fn cosigner_key_id(name: &str, public: &[u8; 32]) -> KeyId {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([ALG_COSIGNATURE_V1]);
    h.update(public);
    let d: [u8; 32] = h.finalize().into();
    let [a, b, c, e, ..] = d;
    KeyId([a, b, c, e])
}

/// The message a v1 cosignature signs:
/// `"cosignature/v1\n" ‖ "time " ‖ decimal(timestamp) ‖ "\n" ‖ checkpoint text`
/// (the decimal has no leading zeros; the checkpoint text includes its final newline and no
/// signature lines).
pub fn cosignature_message(checkpoint_text: &str, timestamp: u64) -> Vec<u8> {
    format!("{COSIGNATURE_V1_HEADER}time {timestamp}\n{checkpoint_text}").into_bytes()
}

/// The public key of an Ed25519 cosigner, with its name; text form (a "vkey" of signature
/// type 0x04): `NAME+<key id, 8 hex digits>+base64(0x04 ‖ 32-byte public key)`.
#[derive(Clone, PartialEq, Eq)]
pub struct CosignerKey {
    name: String,
    id: KeyId,
    public: [u8; 32],
}

/// Why a cosigner key text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CosignerKeyError {
    /// The key name is empty or has a space, control character or `+`.
    #[error("key name must be non-empty with no spaces, no control characters and no '+'")]
    BadName,
    /// The text is not `NAME+<key id>+<base64 key>`.
    #[error("malformed cosigner key: expected NAME+<8 hex digits>+<base64 key>")]
    Malformed,
    /// A private key where a public cosigner key is expected.
    #[error("this is a private key (PRIVATE+KEY+…) where a public cosigner key is expected")]
    PrivateKey,
    /// The key id is not 8 lowercase hex digits.
    #[error("key id must be 8 lowercase hex digits")]
    BadKeyId,
    /// The key material is not canonical standard base64.
    #[error("key material is not canonical standard base64")]
    BadBase64,
    /// The key material is not 33 bytes.
    #[error(
        "key material has {found} bytes; expected 33 (signature type 0x04 and a 32-byte Ed25519 key)"
    )]
    WrongLength {
        /// How many bytes it has.
        found: usize,
    },
    /// The signature type byte is not cosignature/v1's.
    #[error(
        "signature type 0x{found:02x} is not a cosignature/v1 key (0x04){}",
        if *.found == crate::key::ALG_ED25519 { "; this is a note verifier key (0x01)" } else { "" }
    )]
    NotCosignerKey {
        /// The signature type byte found.
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
}

impl CosignerKey {
    /// The cosigner key of a signing key: same name and Ed25519 key, key id computed with
    /// signature type 0x04 (so it differs from the key's note-signing id). The spec advises one
    /// key per signature type; reusing a note key as a cosigner is the caller's choice.
    pub fn from_signing_key(key: &SigningKey) -> CosignerKey {
        let public = key.verifier().public_bytes();
        CosignerKey {
            name: key.name().to_owned(),
            id: cosigner_key_id(key.name(), &public),
            public,
        }
    }

    /// The cosigner's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cosigner's key id (computed with type 0x04).
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// `NAME+<key id>`, as on its signature lines.
    pub fn key_ref(&self) -> KeyRef {
        KeyRef {
            name: self.name.clone(),
            id: self.id,
        }
    }

    /// The 32-byte Ed25519 public key.
    pub fn public_bytes(&self) -> [u8; 32] {
        self.public
    }
}

impl fmt::Display for CosignerKey {
    /// `NAME+<key id>+base64(0x04 ‖ public key)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = [0u8; 33];
        raw[0] = ALG_COSIGNATURE_V1;
        raw[1..].copy_from_slice(&self.public);
        write!(f, "{}+{}+{}", self.name, self.id, BASE64.encode(raw))
    }
}

impl fmt::Debug for CosignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CosignerKey({self})")
    }
}

impl FromStr for CosignerKey {
    type Err = CosignerKeyError;
    fn from_str(s: &str) -> Result<Self, CosignerKeyError> {
        if s.starts_with(crate::key::PRIVATE_KEY_PREFIX) {
            return Err(CosignerKeyError::PrivateKey);
        }
        // The name cannot contain '+', so the first two '+' delimit it and the id; base64 may
        // contain '+'.
        let mut parts = s.splitn(3, '+');
        let (Some(name), Some(id), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CosignerKeyError::Malformed);
        };
        if !valid_key_name(name) {
            return Err(CosignerKeyError::BadName);
        }
        let id: KeyId = id.parse().map_err(|_| CosignerKeyError::BadKeyId)?;
        let raw = decode_base64_canonical(b64).ok_or(CosignerKeyError::BadBase64)?;
        let Some((&alg, public)) = raw.split_first() else {
            return Err(CosignerKeyError::WrongLength { found: 0 });
        };
        if alg != ALG_COSIGNATURE_V1 {
            return Err(CosignerKeyError::NotCosignerKey { found: alg });
        }
        let public = <[u8; 32]>::try_from(public)
            .map_err(|_| CosignerKeyError::WrongLength { found: raw.len() })?;
        let computed = cosigner_key_id(name, &public);
        if computed != id {
            return Err(CosignerKeyError::IdMismatch {
                stated: id,
                computed,
            });
        }
        let key = ed25519_dalek::VerifyingKey::from_bytes(&public)
            .map_err(|_| CosignerKeyError::InvalidPoint)?;
        // RFC 8032 §5.1.3: a y coordinate not below p is invalid; decompression reduces it, so
        // require the point to re-encode to the bytes given.
        if key.to_edwards().compress().to_bytes() != public {
            return Err(CosignerKeyError::InvalidPoint);
        }
        if key.is_weak() {
            return Err(CosignerKeyError::WeakKey);
        }
        Ok(CosignerKey {
            name: name.to_owned(),
            id,
            public,
        })
    }
}

impl serde::Serialize for CosignerKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a cosignature was not made or does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CosignatureError {
    /// The cosigned text is not a valid checkpoint.
    #[error("the cosigned text is not a valid checkpoint: {0}")]
    NotACheckpoint(CheckpointError),
    /// The timestamp is above 2^63 − 1.
    #[error("cosignature timestamp {timestamp} exceeds 2^63 - 1")]
    TimestampTooLarge {
        /// The timestamp, in seconds since the Unix epoch.
        timestamp: u64,
    },
    /// The signature line is by another key.
    #[error("the signature line is by {found}, not by cosigner {expected}")]
    WrongKey {
        /// The cosigner's key.
        expected: KeyRef,
        /// The key the line names.
        found: KeyRef,
    },
    /// The signature is not 72 bytes after the key id.
    #[error(
        "the cosignature has {found} bytes after the key id; a v1 cosignature has 72 (8-byte timestamp, 64-byte signature)"
    )]
    WrongLength {
        /// How many bytes it has.
        found: usize,
    },
    /// The signature does not verify.
    #[error(
        "the cosignature does not verify: the checkpoint or timestamp was altered or the signature forged"
    )]
    BadSignature,
}

/// Splits v1 cosignature bytes (after the key id) into `timestamp ‖ signature`: an 8-byte
/// big-endian timestamp, at most 2^63 − 1, then a 64-byte Ed25519 signature.
fn split_cosignature_bytes(bytes: &[u8]) -> Result<(u64, [u8; 64]), CosignatureError> {
    let wrong = || CosignatureError::WrongLength { found: bytes.len() };
    if bytes.len() != COSIGNATURE_V1_BYTES {
        return Err(wrong());
    }
    let (ts, sig) = bytes.split_at(8);
    let ts = u64::from_be_bytes(<[u8; 8]>::try_from(ts).map_err(|_| wrong())?);
    let sig = <[u8; 64]>::try_from(sig).map_err(|_| wrong())?;
    if ts > MAX_COSIGNATURE_TIMESTAMP {
        return Err(CosignatureError::TimestampTooLarge { timestamp: ts });
    }
    Ok((ts, sig))
}

/// Verifies v1 cosignature bytes by `public` over `text` (strict Ed25519: canonical `s`, no
/// small-order `R` or key); returns the timestamp.
fn check_cosignature_bytes(
    public: &[u8; 32],
    text: &str,
    bytes: &[u8],
) -> Result<u64, CosignatureError> {
    let (timestamp, sig) = split_cosignature_bytes(bytes)?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(public)
        .map_err(|_| CosignatureError::BadSignature)?;
    let sig = ed25519_dalek::Signature::from_bytes(&sig);
    key.verify_strict(&cosignature_message(text, timestamp), &sig)
        .map_err(|_| CosignatureError::BadSignature)?;
    Ok(timestamp)
}

/// Cosigns a checkpoint at `timestamp` (POSIX seconds) with `key` as an Ed25519 v1 cosigner:
///
/// - key id = `SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key)[0..4]`;
/// - signature = `Ed25519(key, "cosignature/v1\ntime " ‖ decimal(timestamp) ‖ "\n" ‖ text)`;
/// - the line's bytes after the key id = `u64_be(timestamp) ‖ signature` (72 bytes).
///
/// Push the result onto the checkpoint note's [`Note::signatures`].
pub fn cosign(
    checkpoint_text: &str,
    key: &SigningKey,
    timestamp: u64,
) -> Result<NoteSignature, CosignatureError> {
    Checkpoint::parse(checkpoint_text).map_err(CosignatureError::NotACheckpoint)?;
    if timestamp > MAX_COSIGNATURE_TIMESTAMP {
        return Err(CosignatureError::TimestampTooLarge { timestamp });
    }
    let public = key.verifier().public_bytes();
    let signature = key.sign(&cosignature_message(checkpoint_text, timestamp));
    let mut bytes = Vec::with_capacity(COSIGNATURE_V1_BYTES);
    bytes.extend_from_slice(&timestamp.to_be_bytes());
    bytes.extend_from_slice(&signature);
    Ok(NoteSignature {
        name: key.name().to_owned(),
        key_id: cosigner_key_id(key.name(), &public),
        bytes,
    })
}

/// Verifies one cosignature line by `cosigner` over `checkpoint_text`; returns its timestamp.
/// The line must carry the cosigner's name and (type 0x04) key id.
pub fn verify_cosignature(
    checkpoint_text: &str,
    signature: &NoteSignature,
    cosigner: &CosignerKey,
) -> Result<u64, CosignatureError> {
    Checkpoint::parse(checkpoint_text).map_err(CosignatureError::NotACheckpoint)?;
    if signature.name != cosigner.name || signature.key_id != cosigner.id {
        return Err(CosignatureError::WrongKey {
            expected: cosigner.key_ref(),
            found: signature.key_ref(),
        });
    }
    check_cosignature_bytes(&cosigner.public, checkpoint_text, &signature.bytes)
}

/// The timestamp a cosignature line claims, **not authenticated**: use it only to display or
/// to pre-filter; [`verify_cosignature`] returns the verified timestamp.
pub fn cosignature_timestamp(signature: &NoteSignature) -> Result<u64, CosignatureError> {
    split_cosignature_bytes(&signature.bytes).map(|(ts, _)| ts)
}

/// Verifies the cosignatures on a checkpoint note against the known `cosigners`, exactly as
/// [`verify_note`] does for note signatures (lines from other keys, the log's own signature
/// included, are reported as unknown). Verified entries carry their timestamps. Fails only if
/// the note text is not a checkpoint.
pub fn verify_cosignatures(
    note: &Note,
    cosigners: &[CosignerKey],
) -> Result<NoteVerification, CheckpointError> {
    Checkpoint::parse(&note.text)?;
    Ok(classify(note, cosigners))
}

impl NoteKey for CosignerKey {
    fn key_name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> KeyId {
        self.id
    }
    fn public(&self) -> [u8; 32] {
        self.public
    }
    fn check(&self, text: &str, bytes: &[u8]) -> Option<Option<u64>> {
        check_cosignature_bytes(&self.public, text, bytes)
            .ok()
            .map(Some)
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn cosigner(name: &str, seed: u8) -> (SigningKey, CosignerKey) {
        let k = SigningKey::from_seed(name, [seed; 32]).expect("valid name");
        let c = CosignerKey::from_signing_key(&k);
        (k, c)
    }

    #[test]
    fn two_configured_keys_with_one_name_and_id_are_ambiguous() {
        let text = "example.com/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
        let (k, good) = cosigner("w", 1);
        let sig = cosign(text, &k, 5).expect("cosign");
        // A second key under the same name and id (a key id collision in the configuration).
        let (_, other) = cosigner("w", 2);
        let impostor = CosignerKey {
            name: good.name.clone(),
            id: good.id,
            public: other.public,
        };
        let note = Note {
            text: text.to_owned(),
            signatures: vec![sig],
        };
        let v = verify_cosignatures(&note, &[good.clone(), impostor]).expect("checkpoint");
        assert_eq!(v.ambiguous.len(), 1);
        assert!(v.verified.is_empty());
        assert!(matches!(
            v.result(),
            Err(NoteVerifyError::AmbiguousKey { .. })
        ));
        // The same key listed twice is not ambiguous.
        let v = verify_cosignatures(&note, &[good.clone(), good]).expect("checkpoint");
        assert_eq!(v.verified.len(), 1);
        assert!(v.ambiguous.is_empty());
    }

    #[test]
    fn cosignature_bytes_split_at_eight() {
        let mut bytes = vec![0u8; 72];
        bytes[7] = 9;
        bytes[8] = 0xaa;
        let (ts, sig) = split_cosignature_bytes(&bytes).expect("72 bytes");
        assert_eq!(ts, 9);
        assert_eq!(sig[0], 0xaa);
        bytes[0] = 0x80;
        assert_eq!(
            split_cosignature_bytes(&bytes),
            Err(CosignatureError::TimestampTooLarge {
                timestamp: (1 << 63) | 9
            })
        );
        assert_eq!(
            split_cosignature_bytes(&bytes[..71]),
            Err(CosignatureError::WrongLength { found: 71 })
        );
    }
}
