//! Keys: the C2SP signed-note key forms of [`acta_tlog::key`] (Ed25519 signing keys and their
//! public verifier keys, key ids and `NAME+keyid` references), and acta's one use of a signing
//! key beyond signing: [`DeriveSecret`].

#![warn(clippy::indexing_slicing)]

pub use acta_tlog::key::*;

/// The fixed prefix of [`DeriveSecret::derive_secret`]'s HMAC message.
const DERIVE_SECRET_PREFIX: &[u8] = b"acta-derive-secret/v1";

/// Secrets derived from a signing key, separated from signing and from each other.
pub trait DeriveSecret {
    /// A 32-byte secret for another use of this key, separated by `context` from every other
    /// use (and from signing): for example the key of a MAC over a file that only the holder
    /// of this key should be able to write. Anyone without the private key cannot compute it;
    /// the public key says nothing about it. Each use names its own context, with a version,
    /// e.g. `"acta-log-state/v1 mac"`.
    ///
    /// `secret = HMAC-SHA256(key = seed, message = "acta-derive-secret/v1" ‖ 0x00 ‖ context)`,
    /// where `seed` is the 32-byte Ed25519 seed (the key file's private bytes) and `context`
    /// is the UTF-8 bytes of `context`. The prefix has a fixed length, so the message names
    /// the context unambiguously. The copy of the seed made here is zeroized; the returned
    /// secret is zeroized when dropped.
    fn derive_secret(&self, context: &str) -> zeroize::Zeroizing<[u8; 32]>;
}

impl DeriveSecret for SigningKey {
    fn derive_secret(&self, context: &str) -> zeroize::Zeroizing<[u8; 32]> {
        self.seed_hmac(&[DERIVE_SECRET_PREFIX, &[0], context.as_bytes()])
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use sha2::Sha256;

    fn key() -> SigningKey {
        SigningKey::from_seed("test-key", [7u8; 32]).expect("valid name")
    }

    #[test]
    fn derived_secrets_follow_the_documented_formula_and_separate_contexts() {
        use hmac::Mac as _;
        let seed = [7u8; 32];
        let k = key();
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&seed).expect("any key length");
        mac.update(b"acta-derive-secret/v1\0acta-log-state/v1 mac");
        let expected: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(*k.derive_secret("acta-log-state/v1 mac"), expected);
        assert_ne!(
            *k.derive_secret("acta-log-state/v1 mac"),
            *k.derive_secret("acta-domain-state/v1 mac")
        );
        let other = SigningKey::from_seed("test-key", [8u8; 32]).expect("valid name");
        assert_ne!(
            *k.derive_secret("acta-log-state/v1 mac"),
            *other.derive_secret("acta-log-state/v1 mac")
        );
        // The same seed under another name derives the same secret (the name is public).
        let renamed = SigningKey::from_seed("renamed", seed).expect("valid name");
        assert_eq!(*renamed.derive_secret("x"), *k.derive_secret("x"));
    }
}
