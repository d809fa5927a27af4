//! Entries: one canonical JSON object per line, hashed and signed exactly as stored.
//!
//! ```text
//! {"author":"NAME+keyid","data":{…},"prev":"<64 hex>","recorded_at":"2025-11-26T09:00:00Z","seq":0,"sig":"<base64>","type":"acta.genesis","v":1}
//! ```
//!
//! - entry hash = SHA-256(0x00 ‖ stored line without its newline) — the RFC 6962 leaf hash.
//! - signed message = [`SIGNATURE_CONTEXT`] ‖ origin ‖ "\n" ‖ canonical(entry without `sig`).

#![warn(clippy::indexing_slicing)]

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::json::{self, Number, Object, Profile, Value};
use crate::key::{KeyRef, SigningKey, VerifierKey};

/// The format version this crate reads and writes (the `v` field).
pub const FORMAT_VERSION: i64 = 1;

/// The largest stored entry, in bytes, not counting its newline (1 MiB).
pub const MAX_ENTRY_BYTES: usize = 1 << 20;

/// The context string that starts every signed message, so that an entry signature can never
/// be taken for a signature of anything else.
pub const SIGNATURE_CONTEXT: &[u8] = b"acta/v1 entry signature\n";

/// The longest event type name, in bytes.
pub const MAX_TYPE_BYTES: usize = 128;

/// The `prev` of entry 0: 32 zero bytes.
pub const GENESIS_PREV: EntryHash = EntryHash([0; 32]);

/// The members an entry may have, in canonical order: every one of them but `more`, which
/// only entries written in a batch of several have (see [`Entry::more`]), is required.
pub const FIELDS: [&str; 9] = [
    "author",
    "data",
    "more",
    "prev",
    "recorded_at",
    "seq",
    "sig",
    "type",
    "v",
];

/// SHA-256(0x00 ‖ stored entry bytes): the chain link and the RFC 6962 Merkle leaf hash.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryHash(pub [u8; 32]);

impl EntryHash {
    /// The hash of a stored entry line (without its newline).
    pub fn of_line(line: &[u8]) -> EntryHash {
        // entry hash = SHA-256(0x00 ‖ line)   (RFC 6962 §2.1 leaf hash)
        EntryHash(crate::tree::leaf_hash(line))
    }

    /// The first 12 hex digits, for people.
    pub fn short(&self) -> String {
        hex::encode(&self.0[..6])
    }
}

/// An entry hash is the leaf hash of its line in the log's RFC 6962 tree.
impl From<EntryHash> for crate::tree::Hash {
    fn from(h: EntryHash) -> crate::tree::Hash {
        h.0
    }
}

impl fmt::Display for EntryHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for EntryHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntryHash({self})")
    }
}

/// The error of parsing an [`EntryHash`] from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an entry hash is 64 lowercase hex digits")]
pub struct BadEntryHash;

impl FromStr for EntryHash {
    type Err = BadEntryHash;
    fn from_str(s: &str) -> Result<Self, BadEntryHash> {
        // 64 lowercase hex digits, decoded two at a time.
        let digits = s.as_bytes();
        if digits.len() != 64 {
            return Err(BadEntryHash);
        }
        let mut out = [0u8; 32];
        for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            let &[hi, lo] = pair else {
                return Err(BadEntryHash);
            };
            let (hi, lo) = (lower_hex(hi), lower_hex(lo));
            *o = (hi.ok_or(BadEntryHash)? << 4) | lo.ok_or(BadEntryHash)?;
        }
        Ok(EntryHash(out))
    }
}

/// The value of a lowercase hex digit.
fn lower_hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

impl<'de> serde::Deserialize<'de> for EntryHash {
    /// Reads the 64 lowercase hex digits [`EntryHash`]'s `Display` writes.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<EntryHash, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for EntryHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The message an entry's signature covers:
/// `SIGNATURE_CONTEXT ‖ origin ‖ "\n" ‖ canonical(entry without "sig")`.
pub fn signed_message(origin: &str, unsigned_entry: &[u8]) -> Vec<u8> {
    let mut m =
        Vec::with_capacity(SIGNATURE_CONTEXT.len() + origin.len() + 1 + unsigned_entry.len());
    m.extend_from_slice(SIGNATURE_CONTEXT);
    m.extend_from_slice(origin.as_bytes());
    m.push(b'\n');
    m.extend_from_slice(unsigned_entry);
    m
}

/// A decoded entry. Only [`Entry::decode`] makes one, from a stored line.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `seq`: the entry's index in its log, from 0.
    pub seq: u64,
    /// `prev`: the entry hash of entry `seq − 1`, or [`GENESIS_PREV`].
    pub prev: EntryHash,
    /// `recorded_at`: when the entry was appended (RFC 3339, UTC, `Z`).
    pub recorded_at: String,
    /// `author`: the key that signed it.
    pub author: KeyRef,
    /// `type`: the event type name.
    pub entry_type: String,
    /// `data`: the event payload.
    pub data: Object,
    /// `more`: in an entry written as part of a batch of several entries, how many entries of
    /// the same batch follow it (from 1 to 2^53 − 1); `None` in a batch's last entry and in
    /// an entry appended alone. Signed like every other member, it lets a verifier see a batch
    /// cut short by a crash (see [`crate::verify`]).
    pub more: Option<u64>,
    /// `sig`: the Ed25519 signature.
    pub sig: [u8; 64],
}

/// A stored line decoded: the entry, its hash, the bytes its signature covers, and whether the
/// stored bytes were canonical.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The entry's fields.
    pub entry: Entry,
    /// The entry hash of the stored line.
    pub hash: EntryHash,
    /// canonical(entry without `sig`): what the signature covers after the context and origin.
    pub unsigned: Vec<u8>,
    /// `None` if the stored line is canonical; otherwise the first byte offset where it differs
    /// from its canonical form.
    pub non_canonical_at: Option<usize>,
}

impl Decoded {
    /// Whether `sig` is a valid signature by `key` of this entry in the log whose origin is
    /// `origin`: `key` is the entry's `author` (same name and key ID) and `sig` verifies
    /// (strict Ed25519) over `M = "acta/v1 entry signature\n" ‖ origin ‖ "\n" ‖ unsigned`.
    /// It says nothing of whether `key` was in the keyring, unrevoked and allowed to sign this
    /// type at that point of the log: only the verifier, replaying the log, knows that.
    pub fn signed_by(&self, origin: &str, key: &VerifierKey) -> bool {
        key.key_ref() == self.entry.author
            && key.verify(&signed_message(origin, &self.unsigned), &self.entry.sig)
    }
}

/// Why a line is not a well-formed entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EntryError {
    /// The line is not JSON that the entry profile accepts.
    #[error("not valid JSON: {message} (byte {offset} of the line)")]
    Json {
        /// The byte offset in the line.
        offset: usize,
        /// What is wrong there.
        message: String,
    },
    /// The line is JSON but not an object.
    #[error("not a JSON object")]
    NotAnObject,
    /// A `v` this build does not read.
    #[error("unsupported format version {found} (this build reads version {FORMAT_VERSION})")]
    UnsupportedVersion {
        /// The `v` member as written.
        found: String,
    },
    /// A required member is missing.
    #[error("missing field `{field}`")]
    MissingField {
        /// Its name.
        field: &'static str,
    },
    /// A member the format does not have.
    #[error(
        "unexpected field `{field}` (format version 1 has only: author, data, more (optional), prev, recorded_at, seq, sig, type, v)"
    )]
    UnexpectedField {
        /// Its name.
        field: String,
    },
    /// A member with an invalid value.
    #[error("field `{field}`: {reason}")]
    BadField {
        /// Its name.
        field: &'static str,
        /// What its value must be.
        reason: &'static str,
    },
}

impl Entry {
    /// Decodes a stored line (without its newline). Never re-serializes to hash: the hash is of
    /// `line` itself; the canonical re-encoding is only compared with it.
    pub fn decode(line: &[u8]) -> Result<Decoded, EntryError> {
        let (entry, check) = Entry::decode_parts(line, true)?;
        let (unsigned, non_canonical_at) = check.unwrap_or_default();
        Ok(Decoded {
            entry,
            hash: EntryHash::of_line(line),
            unsigned,
            non_canonical_at,
        })
    }

    /// Decodes a line of a log that has already been verified, for replays: the same parsing
    /// and field checks as [`Entry::decode`], without what verification already did with the
    /// bytes (the canonical check and the encoding of the signed message), and without copying
    /// `data` (the caller hashes the line if it needs the entry hash).
    pub fn decode_verified(line: &[u8]) -> Result<Entry, EntryError> {
        Entry::decode_parts(line, false).map(|(entry, _)| entry)
    }

    /// The entry, and with `check`, its signed-message bytes and where it is not canonical.
    #[allow(clippy::type_complexity)]
    fn decode_parts(
        line: &[u8],
        check: bool,
    ) -> Result<(Entry, Option<(Vec<u8>, Option<usize>)>), EntryError> {
        let value = json::parse(line, Profile::Entry).map_err(|e| EntryError::Json {
            offset: e.offset,
            message: e.kind.to_string(),
        })?;
        let Value::Object(obj) = value else {
            return Err(EntryError::NotAnObject);
        };
        // Check the version first: a future version may have other fields.
        match obj.get("v") {
            None => return Err(EntryError::MissingField { field: "v" }),
            Some(Value::Number(Number::Int(FORMAT_VERSION))) => {}
            Some(other) => {
                return Err(EntryError::UnsupportedVersion {
                    found: other.to_string(),
                });
            }
        }
        if let Some((k, _)) = obj.iter().find(|(k, _)| !FIELDS.contains(k)) {
            return Err(EntryError::UnexpectedField {
                field: k.to_owned(),
            });
        }
        let field = |name: &'static str| {
            obj.get(name)
                .ok_or(EntryError::MissingField { field: name })
        };
        let string = |name: &'static str| -> Result<&str, EntryError> {
            field(name)?.as_str().ok_or(EntryError::BadField {
                field: name,
                reason: "must be a string",
            })
        };
        let seq = field("seq")?
            .as_i64()
            .and_then(|i| u64::try_from(i).ok())
            .ok_or(EntryError::BadField {
                field: "seq",
                reason: "must be a non-negative integer",
            })?;
        let prev: EntryHash = string("prev")?.parse().map_err(|_| EntryError::BadField {
            field: "prev",
            reason: "must be 64 lowercase hex digits",
        })?;
        let recorded_at = string("recorded_at")?;
        check_timestamp(recorded_at).map_err(|e| EntryError::BadField {
            field: "recorded_at",
            reason: e.reason(),
        })?;
        let author: KeyRef = string("author")?
            .parse()
            .map_err(|_| EntryError::BadField {
                field: "author",
                reason: "must be NAME+<8 hex digit key id>",
            })?;
        let entry_type = string("type")?;
        check_type(entry_type).map_err(|e| EntryError::BadField {
            field: "type",
            reason: e.reason(),
        })?;
        let data = field("data")?.as_object().ok_or(EntryError::BadField {
            field: "data",
            reason: "must be an object",
        })?;
        let more = match obj.get("more") {
            None => None,
            Some(v) => Some(
                v.as_i64()
                    .filter(|m| *m >= 1)
                    .and_then(|m| u64::try_from(m).ok())
                    .ok_or(EntryError::BadField {
                        field: "more",
                        reason: "must be an integer from 1 to 2^53 - 1 (it is omitted when no entry of the batch follows)",
                    })?,
            ),
        };
        let sig = decode_sig(string("sig")?)?;

        let _ = (data, recorded_at, entry_type);

        // Canonical check: encode the parsed value and compare with the stored bytes.
        let checked = check.then(|| {
            let mut canonical = Vec::with_capacity(line.len());
            json::write_object(obj.iter(), &mut canonical);
            let non_canonical_at = if canonical == line {
                None
            } else {
                Some(
                    canonical
                        .iter()
                        .zip(line)
                        .position(|(a, b)| a != b)
                        .unwrap_or(canonical.len().min(line.len())),
                )
            };
            let mut unsigned = Vec::with_capacity(line.len());
            json::write_object(obj.iter().filter(|(k, _)| *k != "sig"), &mut unsigned);
            (unsigned, non_canonical_at)
        });
        // Checked above: the parsed strings and data are moved out, not copied.
        let mut obj = obj;
        let Some(Value::String(recorded_at)) = obj.take("recorded_at") else {
            return Err(EntryError::BadField {
                field: "recorded_at",
                reason: "must be a string",
            });
        };
        let Some(Value::String(entry_type)) = obj.take("type") else {
            return Err(EntryError::BadField {
                field: "type",
                reason: "must be a string",
            });
        };
        let Some(Value::Object(data)) = obj.take("data") else {
            return Err(EntryError::BadField {
                field: "data",
                reason: "must be an object",
            });
        };
        Ok((
            Entry {
                seq,
                prev,
                recorded_at,
                author,
                entry_type,
                data,
                more,
                sig,
            },
            checked,
        ))
    }
}

/// The `sig` field: standard padded base64 of 64 bytes.
fn decode_sig(text: &str) -> Result<[u8; 64], EntryError> {
    let bad_base64 = EntryError::BadField {
        field: "sig",
        reason: "must be standard padded base64",
    };
    let wrong_length = EntryError::BadField {
        field: "sig",
        reason: "must be 64 bytes",
    };
    // 88 characters, the length of every signature, decode to at most 66 bytes: into a buffer
    // that size, as `decode` would into a Vec (any other length takes `decode` itself).
    if text.len() == 88 {
        let mut buf = [0u8; 66];
        let n = BASE64
            .decode_slice(text, &mut buf)
            .map_err(|_| bad_base64)?;
        return buf
            .get(..n)
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .ok_or(wrong_length);
    }
    let bytes = BASE64.decode(text).map_err(|_| bad_base64)?;
    bytes.try_into().map_err(|_| wrong_length)
}

/// Why a timestamp was refused by [`check_timestamp`]. Both kinds have the same message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.reason())]
#[non_exhaustive]
pub enum TimestampError {
    /// Not of the shape `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
    Shape,
    /// Of that shape, but not a valid RFC 3339 time (a 30 February, an hour 24…).
    Invalid,
}

impl TimestampError {
    /// The message, as entry errors carry it.
    pub fn reason(&self) -> &'static str {
        "must be an RFC 3339 UTC time like 2025-11-26T09:00:00Z"
    }
}

/// Why an event type name was refused by [`check_type`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.reason())]
#[non_exhaustive]
pub enum TypeError {
    /// Empty, or longer than [`MAX_TYPE_BYTES`].
    Length,
    /// A byte outside `A-Z a-z 0-9 _ . : / -`.
    Character,
}

impl TypeError {
    /// The message, as entry errors carry it.
    pub fn reason(&self) -> &'static str {
        match self {
            TypeError::Length => "must be 1 to 128 bytes",
            TypeError::Character => "may contain only A-Z a-z 0-9 _ . : / -",
        }
    }
}

/// Checks an RFC 3339 timestamp in UTC written with `Z`: `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
pub fn check_timestamp(s: &str) -> Result<chrono::DateTime<chrono::Utc>, TimestampError> {
    // YYYY-MM-DDTHH:MM:SS, then `Z` or `.` fraction `Z`, 20 to 30 bytes in all.
    let shape_ok = match s.as_bytes() {
        [
            _,
            _,
            _,
            _,
            b'-',
            _,
            _,
            b'-',
            _,
            _,
            b'T',
            _,
            _,
            b':',
            _,
            _,
            b':',
            _,
            _,
            rest @ ..,
        ] => match rest {
            [b'Z'] => true,
            [b'.', fraction @ .., b'Z'] => !fraction.is_empty() && s.len() <= 30,
            _ => false,
        },
        _ => false,
    };
    if !shape_ok {
        return Err(TimestampError::Shape);
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| TimestampError::Invalid)
}

/// Checks an event type name: 1 to 128 bytes of `A-Z a-z 0-9 _ . : / -`.
pub fn check_type(t: &str) -> Result<(), TypeError> {
    if t.is_empty() || t.len() > MAX_TYPE_BYTES {
        return Err(TypeError::Length);
    }
    if !t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'/' | b'-'))
    {
        return Err(TypeError::Character);
    }
    Ok(())
}

/// The fields of an entry to be signed; [`NewEntry::sign`] turns it into a stored line.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    /// The entry's seq: the previous entry's plus one (0 for the genesis).
    pub seq: u64,
    /// The previous entry's hash ([`GENESIS_PREV`] for the genesis).
    pub prev: EntryHash,
    /// When it is recorded: an RFC 3339 UTC time (see [`check_timestamp`]).
    pub recorded_at: &'a str,
    /// The event type (see [`check_type`]).
    pub entry_type: &'a str,
    /// The event's data.
    pub data: &'a Object,
}

/// Why an entry could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The type is not a valid event type name.
    #[error("`type`: {0}")]
    BadType(TypeError),
    /// `recorded_at` is not a valid timestamp.
    #[error("`recorded_at`: {0}")]
    BadTime(TimestampError),
    /// The seq is beyond 2^53 − 1.
    #[error("`seq` {0} is beyond 2^53 - 1")]
    SeqTooLarge(u64),
    /// `more` is beyond 2^53 − 1.
    #[error("`more` {0} is beyond 2^53 - 1")]
    MoreTooLarge(u64),
    /// The signed line would exceed [`MAX_ENTRY_BYTES`].
    #[error("the entry would be {len} bytes; the limit is {limit} bytes")]
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
}

impl NewEntry<'_> {
    /// Signs the entry with `key` for the log `origin` and returns the stored line (canonical,
    /// without newline). The entry has no `more` member: it is appended alone, or is the last
    /// of its batch.
    pub fn sign(&self, origin: &str, key: &SigningKey) -> Result<Vec<u8>, BuildError> {
        self.sign_with_more(origin, key, 0)
    }

    /// Like [`NewEntry::sign`], for an entry of a batch that `more` further entries of the
    /// same batch follow: with `more` ≥ 1 the entry gets the member `more` (see
    /// [`Entry::more`]); with `more` = 0, none (the batch's last entry).
    pub fn sign_with_more(
        &self,
        origin: &str,
        key: &SigningKey,
        more: u64,
    ) -> Result<Vec<u8>, BuildError> {
        check_type(self.entry_type).map_err(BuildError::BadType)?;
        check_timestamp(self.recorded_at).map_err(BuildError::BadTime)?;
        let seq = i64::try_from(self.seq)
            .ok()
            .filter(|s| *s <= json::MAX_SAFE_INTEGER)
            .ok_or(BuildError::SeqTooLarge(self.seq))?;
        let more = i64::try_from(more)
            .ok()
            .filter(|m| *m <= json::MAX_SAFE_INTEGER)
            .ok_or(BuildError::MoreTooLarge(more))?;
        // canonical(entry without sig), written member by member in canonical key order
        // (author < data < [more] < prev < recorded_at < seq < [sig] < type < v) without building or
        // copying an object; `sig` goes where `split` marks. Tested byte-identical to
        // canonicalising the whole object.
        let mut unsigned = Vec::with_capacity(320 + self.recorded_at.len());
        unsigned.extend_from_slice(b"{\"author\":");
        json::write_canonical(&Value::String(key.key_ref().to_string()), &mut unsigned);
        unsigned.extend_from_slice(b",\"data\":");
        json::write_object(self.data.iter(), &mut unsigned);
        if more > 0 {
            unsigned.extend_from_slice(b",\"more\":");
            json::write_canonical(&Value::Number(Number::Int(more)), &mut unsigned);
        }
        unsigned.extend_from_slice(b",\"prev\":");
        json::write_canonical(&Value::String(self.prev.to_string()), &mut unsigned);
        unsigned.extend_from_slice(b",\"recorded_at\":");
        json::write_canonical(&Value::String(self.recorded_at.to_owned()), &mut unsigned);
        unsigned.extend_from_slice(b",\"seq\":");
        json::write_canonical(&Value::Number(Number::Int(seq)), &mut unsigned);
        let split = unsigned.len();
        unsigned.extend_from_slice(b",\"type\":");
        json::write_canonical(&Value::String(self.entry_type.to_owned()), &mut unsigned);
        unsigned.extend_from_slice(b",\"v\":");
        json::write_canonical(&Value::Number(Number::Int(FORMAT_VERSION)), &mut unsigned);
        unsigned.push(b'}');
        // sig = Ed25519(key, SIGNATURE_CONTEXT ‖ origin ‖ "\n" ‖ canonical(entry without sig))
        let sig = key.sign(&signed_message(origin, &unsigned));
        let mut line = Vec::with_capacity(unsigned.len() + 100);
        let (before_sig, after_sig) = unsigned.split_at(split);
        line.extend_from_slice(before_sig);
        line.extend_from_slice(b",\"sig\":");
        json::write_canonical(&Value::String(BASE64.encode(sig)), &mut line);
        line.extend_from_slice(after_sig);
        if line.len() > MAX_ENTRY_BYTES {
            return Err(BuildError::TooLarge {
                len: line.len(),
                limit: MAX_ENTRY_BYTES,
            });
        }
        Ok(line)
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests;
