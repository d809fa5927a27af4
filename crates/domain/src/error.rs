//! The errors of [`crate::validate`].

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldErrorKind {
    /// A required member is absent.
    Missing,
    /// A member that this event type does not have.
    UnknownMember,
    /// The JSON type is wrong (a number where a string is expected, `null`, …).
    WrongType,
    /// The JSON type is right but the value is not acceptable (a malformed State code, …).
    InvalidValue,
    /// The value is fine alone but contradicts another field of the same event.
    Inconsistent,
}

/// Why an event's `data` was refused.
///
/// Every variant names the event type; [`DomainError::Field`] also names the field by its path
/// from the entry (`data.state`, `data.occurred.to`, `data.sources[0].doc`), so a caller can
/// print `type X: field data.Y: …`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    /// The type is not one of this domain version's types. Callers may treat this as a
    /// warning: types unknown to this version are kept and shown, never dropped.
    #[error(
        "type {entry_type}: not an event type of {domain} (kept as is; see the catalogue with `known_types`)"
    )]
    UnknownType {
        /// The entry's type.
        entry_type: String,
        /// The domain, [`crate::DOMAIN`].
        domain: &'static str,
    },
    /// A field is missing, unknown, of the wrong type or has an invalid value.
    #[error("type {entry_type}: field {path}: {expected}")]
    Field {
        /// The entry's type.
        entry_type: String,
        /// The path of the field from the entry, e.g. `data.occurred.to`.
        path: String,
        /// What kind of problem.
        kind: FieldErrorKind,
        /// What is expected, in words.
        expected: String,
    },
    /// The data is valid but the typed event does not re-encode to the same canonical JSON.
    /// This is a defect of this crate, not of the data; it is refused so that no stored entry
    /// ever means something its typed reading loses.
    #[error(
        "type {entry_type}: the data does not survive a typed round trip (an acta-domain defect; please report it)"
    )]
    NotLossless {
        /// The entry's type.
        entry_type: String,
    },
}

impl DomainError {
    /// The event type the error is about.
    pub fn entry_type(&self) -> &str {
        match self {
            DomainError::UnknownType { entry_type, .. }
            | DomainError::Field { entry_type, .. }
            | DomainError::NotLossless { entry_type } => entry_type,
        }
    }

    /// The field path, for a field error.
    pub fn path(&self) -> Option<&str> {
        match self {
            DomainError::Field { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Whether a caller may treat this as a warning (an unknown type, kept as is).
    pub fn is_unknown_type(&self) -> bool {
        matches!(self, DomainError::UnknownType { .. })
    }

    pub(crate) fn field(
        entry_type: &str,
        path: impl Into<String>,
        kind: FieldErrorKind,
        expected: impl Into<String>,
    ) -> DomainError {
        DomainError::Field {
            entry_type: entry_type.to_owned(),
            path: path.into(),
            kind,
            expected: expected.into(),
        }
    }
}
