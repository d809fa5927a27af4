//! The keyring: which keys may sign which event types at a point in a log.
//!
//! The genesis entry (`acta.genesis`) names the log's origin and its initial keys; later
//! `acta.key.add` and `acta.key.revoke` entries change the keyring. Every key has roles: a list
//! of event-type patterns it may sign. A pattern is `*` (every type), `prefix.*` (every type
//! that starts with `prefix.`), or an exact type name. Adding and revoking keys are
//! themselves event types, so only a key whose roles cover `acta.key.add` / `acta.key.revoke`
//! may do them.

use std::collections::HashMap;

use crate::json::{Object, Value};
use crate::key::{KeyRef, VerifierKey};

/// The type of the first entry of every log.
pub const GENESIS_TYPE: &str = "acta.genesis";
/// The type of an entry that adds a key.
pub const KEY_ADD_TYPE: &str = "acta.key.add";
/// The type of an entry that revokes a key.
pub const KEY_REVOKE_TYPE: &str = "acta.key.revoke";
/// Types starting with this prefix are reserved for acta itself.
pub const SYSTEM_PREFIX: &str = "acta.";
/// The longest origin, in bytes.
pub const MAX_ORIGIN_BYTES: usize = 255;

/// The event-type patterns a key may sign. Serialized as the JSON array of patterns; reading
/// one back checks it like [`Roles::new`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Roles(#[serde(deserialize_with = "checked_patterns")] Vec<String>);

fn checked_patterns<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let patterns = <Vec<String> as serde::Deserialize>::deserialize(d)?;
    Roles::new(patterns)
        .map(|r| r.0)
        .map_err(serde::de::Error::custom)
}

impl Roles {
    /// Every type (`*`).
    pub fn all() -> Roles {
        Roles(vec!["*".to_owned()])
    }

    /// Roles from patterns, each checked.
    pub fn new(patterns: Vec<String>) -> Result<Roles, RolesError> {
        if patterns.is_empty() {
            return Err(RolesError::Empty);
        }
        for p in &patterns {
            let base = p.strip_suffix(".*").unwrap_or(p);
            if p != "*" && crate::entry::check_type(base).is_err() {
                return Err(RolesError::BadPattern);
            }
        }
        Ok(Roles(patterns))
    }

    /// Whether these roles allow signing an entry of type `t`.
    pub fn allows(&self, t: &str) -> bool {
        self.0.iter().any(|p| {
            p == "*"
                || p == t
                || p.strip_suffix('*')
                    .is_some_and(|prefix| prefix.ends_with('.') && t.starts_with(prefix))
        })
    }

    /// The patterns.
    pub fn patterns(&self) -> &[String] {
        &self.0
    }

    /// The patterns as a JSON array.
    pub fn to_value(&self) -> Value {
        Value::Array(self.0.iter().cloned().map(Value::String).collect())
    }
}

/// Why a list of role patterns was refused by [`Roles::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RolesError {
    /// No pattern at all.
    #[error("a key needs at least one role (an event-type pattern such as `*`)")]
    Empty,
    /// A pattern that is not `*`, `prefix.*` or an event type name.
    #[error("a role is `*`, `prefix.*`, or an event type name")]
    BadPattern,
}

/// Why a log origin was refused by [`check_origin`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OriginError {
    /// Empty, or longer than 255 bytes.
    #[error("an origin is 1 to 255 bytes")]
    Length,
    /// A byte that is not printable ASCII, a space or `+`.
    #[error("an origin is printable ASCII with no spaces and no '+', like example.org/log")]
    Character,
}

/// A key in the keyring.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRecord {
    /// The public key.
    pub key: VerifierKey,
    /// What it may sign.
    pub roles: Roles,
    /// The seq of the entry that added it.
    pub added_at: u64,
    /// The seq of the entry that revoked it, if any.
    pub revoked_at: Option<u64>,
}

/// Why a system entry (genesis, key add, key revoke) is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SystemEventError {
    /// A member of `data` is missing or invalid.
    #[error("`data.{field}`: {reason}")]
    BadField {
        /// The member (a path below `data`).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A key added that is already in the keyring.
    #[error("key {key} is already in the keyring (added at seq {added_at})")]
    DuplicateKey {
        /// The key.
        key: KeyRef,
        /// The seq of the entry that added it first.
        added_at: u64,
    },
    /// A key revoked that is not in the keyring.
    #[error("key {key} is not in the keyring")]
    UnknownKey {
        /// The key.
        key: KeyRef,
    },
    /// A key revoked twice.
    #[error("key {key} was already revoked at seq {revoked_at}")]
    AlreadyRevoked {
        /// The key.
        key: KeyRef,
        /// The seq of the entry that revoked it first.
        revoked_at: u64,
    },
    /// The genesis is signed by a key it does not list.
    #[error("the genesis must be signed by one of the keys it names; {author} is not among them")]
    GenesisAuthorNotListed {
        /// The genesis entry's author.
        author: KeyRef,
    },
}

/// The genesis entry's data: origin, initial keys, and the optional domain.
#[derive(Debug, Clone, PartialEq)]
pub struct Genesis {
    /// The log's origin: a schema-less URL-like name, unique to this log.
    pub origin: String,
    /// The initial keys and their roles.
    pub keys: Vec<(VerifierKey, Roles)>,
    /// The event domain the log records (for example `icc-noncooperation/v1`), if any.
    pub domain: Option<String>,
}

/// Checks a log origin: 1 to 255 bytes of printable ASCII without spaces or `+` (as C2SP
/// tlog-checkpoint recommends).
pub fn check_origin(origin: &str) -> Result<(), OriginError> {
    if origin.is_empty() || origin.len() > MAX_ORIGIN_BYTES {
        return Err(OriginError::Length);
    }
    if !origin.bytes().all(|b| b.is_ascii_graphic() && b != b'+') {
        return Err(OriginError::Character);
    }
    Ok(())
}

fn bad(field: &'static str, reason: impl Into<String>) -> SystemEventError {
    SystemEventError::BadField {
        field,
        reason: reason.into(),
    }
}

fn key_with_roles(
    obj: &Object,
    field: &'static str,
) -> Result<(VerifierKey, Roles), SystemEventError> {
    let key: VerifierKey = obj
        .get("key")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(field, "each key needs `key`, a verifier key string"))?
        .parse()
        .map_err(|e: crate::key::KeyError| bad(field, e.to_string()))?;
    let roles = match obj.get("roles") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad(field, "`roles` must be an array of strings"))?,
        _ => {
            return Err(bad(
                field,
                "each key needs `roles`, an array of event-type patterns",
            ));
        }
    };
    let roles = Roles::new(roles).map_err(|r| bad(field, r.to_string()))?;
    if let Some((k, _)) = obj.iter().find(|(k, _)| !["key", "roles"].contains(k)) {
        return Err(bad(field, format!("unexpected member `{k}`")));
    }
    Ok((key, roles))
}

fn only_fields(data: &Object, allowed: &[&str]) -> Result<(), SystemEventError> {
    match data.iter().find(|(k, _)| !allowed.contains(k)) {
        Some((k, _)) => Err(SystemEventError::BadField {
            field: "data",
            reason: format!("unexpected member `{k}` (allowed: {})", allowed.join(", ")),
        }),
        None => Ok(()),
    }
}

impl Genesis {
    /// Reads the genesis data.
    pub fn from_data(data: &Object) -> Result<Genesis, SystemEventError> {
        only_fields(data, &["domain", "keys", "origin"])?;
        let origin = data
            .get("origin")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("origin", "must be a string"))?;
        check_origin(origin).map_err(|r| bad("origin", r.to_string()))?;
        let domain = match data.get("domain") {
            None => None,
            Some(Value::String(d)) if crate::entry::check_type(d).is_ok() => Some(d.clone()),
            Some(_) => return Err(bad("domain", "must be a name like icc-noncooperation/v1")),
        };
        let Some(Value::Array(items)) = data.get("keys") else {
            return Err(bad("keys", "must be a non-empty array of {key, roles}"));
        };
        if items.is_empty() {
            return Err(bad("keys", "must name at least one key"));
        }
        let keys = items
            .iter()
            .map(|item| {
                item.as_object()
                    .ok_or_else(|| bad("keys", "each key must be an object {key, roles}"))
                    .and_then(|o| key_with_roles(o, "keys"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Genesis {
            origin: origin.to_owned(),
            keys,
            domain,
        })
    }

    /// The genesis data as JSON.
    pub fn to_data(&self) -> Object {
        let mut data = Object::new();
        data.insert("origin", Value::String(self.origin.clone()));
        if let Some(d) = &self.domain {
            data.insert("domain", Value::String(d.clone()));
        }
        let keys = self.keys.iter().map(|(k, r)| key_entry(k, r)).collect();
        data.insert("keys", Value::Array(keys));
        data
    }
}

fn key_entry(key: &VerifierKey, roles: &Roles) -> Value {
    let mut o = Object::new();
    o.insert("key", Value::String(key.to_string()));
    o.insert("roles", roles.to_value());
    Value::Object(o)
}

/// The data of an `acta.key.add` entry.
pub fn key_add_data(key: &VerifierKey, roles: &Roles) -> Object {
    match key_entry(key, roles) {
        Value::Object(o) => o,
        _ => Object::new(),
    }
}

/// The data of an `acta.key.revoke` entry.
pub fn key_revoke_data(key: &KeyRef, reason: Option<&str>) -> Object {
    let mut o = Object::new();
    o.insert("key", Value::String(key.to_string()));
    if let Some(r) = reason {
        o.insert("reason", Value::String(r.to_owned()));
    }
    o
}

/// Keys and their roles and lifetimes at a point in a log.
///
/// Serialized as the list of its [`KeyRecord`]s in [`Keyring::records`] order (keys as their
/// verifier key text, so a writer can keep its state in a file). Reading one back checks every
/// key and role and refuses a key reference that appears twice or a key revoked no later than
/// it was added.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "Vec<KeyRecord>")]
pub struct Keyring {
    keys: HashMap<KeyRef, KeyRecord>,
}

impl serde::Serialize for Keyring {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.records())
    }
}

impl TryFrom<Vec<KeyRecord>> for Keyring {
    type Error = String;

    fn try_from(records: Vec<KeyRecord>) -> Result<Keyring, String> {
        let mut keys = HashMap::with_capacity(records.len());
        for record in records {
            if record.revoked_at.is_some_and(|r| r <= record.added_at) {
                return Err(format!(
                    "key {} is revoked no later than it was added",
                    record.key.key_ref()
                ));
            }
            let r = record.key.key_ref();
            if keys.insert(r.clone(), record).is_some() {
                return Err(format!("key {r} appears twice"));
            }
        }
        Ok(Keyring { keys })
    }
}

impl Keyring {
    /// The keyring a genesis entry at seq 0 establishes.
    pub fn from_genesis(genesis: &Genesis) -> Result<Keyring, SystemEventError> {
        let mut ring = Keyring::default();
        for (key, roles) in &genesis.keys {
            ring.add(key.clone(), roles.clone(), 0)?;
        }
        Ok(ring)
    }

    /// The record of `key`, if it was ever added.
    pub fn get(&self, key: &KeyRef) -> Option<&KeyRecord> {
        self.keys.get(key)
    }

    /// Every key ever added with its reference, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&KeyRef, &KeyRecord)> {
        self.keys.iter()
    }

    /// Every key ever added, sorted by when it was added.
    pub fn records(&self) -> Vec<&KeyRecord> {
        let mut v: Vec<_> = self.keys.values().collect();
        v.sort_by_key(|r| (r.added_at, r.key.key_ref()));
        v
    }

    fn add(&mut self, key: VerifierKey, roles: Roles, seq: u64) -> Result<(), SystemEventError> {
        let r = key.key_ref();
        if let Some(existing) = self.keys.get(&r) {
            return Err(SystemEventError::DuplicateKey {
                key: r,
                added_at: existing.added_at,
            });
        }
        self.keys.insert(
            r,
            KeyRecord {
                key,
                roles,
                added_at: seq,
                revoked_at: None,
            },
        );
        Ok(())
    }

    /// Checks and applies a system entry (`acta.key.add` / `acta.key.revoke`) at `seq`. The
    /// author's authority is checked by the caller (it is a role like any other).
    pub fn apply(
        &mut self,
        entry_type: &str,
        data: &Object,
        seq: u64,
    ) -> Result<(), SystemEventError> {
        match entry_type {
            KEY_ADD_TYPE => {
                let (key, roles) = key_with_roles(data, "key")?;
                self.add(key, roles, seq)
            }
            KEY_REVOKE_TYPE => {
                only_fields(data, &["key", "reason"])?;
                let key: KeyRef = data
                    .get("key")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad("key", "must be NAME+<key id>"))?
                    .parse()
                    .map_err(|e: crate::key::KeyError| bad("key", e.to_string()))?;
                if let Some(r) = data.get("reason")
                    && r.as_str().is_none()
                {
                    return Err(bad("reason", "must be a string"));
                }
                let record = self
                    .keys
                    .get_mut(&key)
                    .ok_or(SystemEventError::UnknownKey { key: key.clone() })?;
                if let Some(revoked_at) = record.revoked_at {
                    return Err(SystemEventError::AlreadyRevoked { key, revoked_at });
                }
                record.revoked_at = Some(seq);
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_patterns() {
        let r = Roles::new(vec!["court.*".into(), "acta.key.add".into()]).expect("valid");
        assert!(r.allows("court.warrant_issued"));
        assert!(r.allows("acta.key.add"));
        assert!(!r.allows("acta.key.revoke"));
        assert!(!r.allows("courtx.warrant"));
        assert!(!r.allows("court"));
        assert!(Roles::all().allows("anything"));
        assert_eq!(Roles::new(vec![]), Err(RolesError::Empty));
        assert_eq!(
            Roles::new(vec!["court.*".into(), "a b".into()]),
            Err(RolesError::BadPattern)
        );
        assert_eq!(
            Roles::new(vec!["court*".into()]),
            Err(RolesError::BadPattern)
        );
        assert_eq!(
            RolesError::Empty.to_string(),
            "a key needs at least one role (an event-type pattern such as `*`)"
        );
        assert_eq!(
            RolesError::BadPattern.to_string(),
            "a role is `*`, `prefix.*`, or an event type name"
        );
    }

    #[test]
    fn origins() {
        assert!(check_origin("example.org/log").is_ok());
        assert!(check_origin(&"a".repeat(MAX_ORIGIN_BYTES)).is_ok());
        assert_eq!(check_origin(""), Err(OriginError::Length));
        assert_eq!(
            check_origin(&"a".repeat(MAX_ORIGIN_BYTES + 1)),
            Err(OriginError::Length)
        );
        assert_eq!(check_origin("a b"), Err(OriginError::Character));
        assert_eq!(check_origin("a+b"), Err(OriginError::Character));
        assert_eq!(check_origin("é"), Err(OriginError::Character));
        assert_eq!(
            OriginError::Length.to_string(),
            "an origin is 1 to 255 bytes"
        );
        assert_eq!(
            OriginError::Character.to_string(),
            "an origin is printable ASCII with no spaces and no '+', like example.org/log"
        );
    }
}
