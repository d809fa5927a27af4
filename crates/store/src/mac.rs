//! HMAC-SHA256 tags over the writer's derived files, keyed by secrets derived from its signing
//! key ([`acta_core::key::DeriveSecret::derive_secret`]): what lets the writer tell a file it wrote
//! itself from one written by anyone without that key.

use hmac::Mac as _;
use sha2::Sha256;
use zeroize::Zeroizing;

/// A MAC key: a secret derived from a signing key for one kind of file (zeroized on drop).
#[derive(Clone)]
pub(crate) struct MacKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MacKey(secret redacted)")
    }
}

impl MacKey {
    /// The MAC key of `key` for `context` (see [`acta_core::key::DeriveSecret::derive_secret`]).
    pub(crate) fn derive(key: &acta_core::SigningKey, context: &str) -> MacKey {
        MacKey(acta_core::key::DeriveSecret::derive_secret(key, context))
    }

    fn hmac(&self) -> hmac::Hmac<Sha256> {
        // A 32-byte key, zero-padded to HMAC's 64-byte block as RFC 2104 pads it: the
        // fixed-size form cannot fail.
        let mut block = Zeroizing::new([0u8; 64]);
        block[..32].copy_from_slice(self.0.as_slice());
        <hmac::Hmac<Sha256> as hmac::digest::KeyInit>::new(&(*block).into())
    }

    /// `HMAC-SHA256(key, bytes)`.
    pub(crate) fn tag(&self, bytes: &[u8]) -> [u8; 32] {
        let mut mac = self.hmac();
        mac.update(bytes);
        mac.finalize().into_bytes().into()
    }

    /// Whether `tag` is `HMAC-SHA256(key, bytes)` (compared in constant time).
    pub(crate) fn verify(&self, bytes: &[u8], tag: &[u8]) -> bool {
        let mut mac = self.hmac();
        mac.update(bytes);
        mac.verify_slice(tag).is_ok()
    }
}
