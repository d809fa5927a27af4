//! # acta-domain: the ICC non-cooperation domain (`icc-noncooperation/v1`)
//!
//! Typed events for the record of cooperation and non-cooperation with the International
//! Criminal Court, and their validation before they are signed. The reference is
//! `DOMAIN.md` (shared with the project); this crate implements its value types (§4), the
//! payload of its event envelope (§5) and its event catalogue (§6). Apart from [`append`] it
//! does no I/O and knows nothing of logs beyond [`EntryRef`]: projections and invariants build
//! on it.
//!
//! The principal types and how they connect:
//!
//! - [`Event`]: one variant per event type, each wrapping a payload struct
//!   ([`event::NonComplianceDecisionIssued`], …) whose fields are the entry's `data`. Wire names
//!   are frozen ([`KNOWN_TYPES`]).
//! - Value types: [`StateCode`], [`SituationId`], [`CaseId`], [`CourtRecordNumber`],
//!   [`AspDocRef`], [`UnDocRef`], [`DocRef`], [`ChamberId`], [`LegalDate`], [`EntryRef`],
//!   [`PersonId`] and the other slug identifiers, [`SourceRef`], [`Provenance`],
//!   [`Confidence`], [`ActorRef`]. Each has `Display`/`FromStr` that round-trip and
//!   serializes as a string, except the structured ones ([`EntryRef`], [`SourceRef`], spans and
//!   bounded [`LegalDate`]s).
//! - [`validate`] / [`decode`]: check an entry's `data` for its type and return a
//!   [`DomainError`] that names the field (`type X: field data.Y: …`).
//! - [`seal`]: the salted commitments of sealed warrants.
//! - [`roles`]: which event types each signer role may record.
//! - [`append`]: [`append::DomainCheck`], the domain's rules as the append check of
//!   `acta-store`'s writer, which no program can skip on a log whose genesis names
//!   [`DOMAIN`].
//! - [`model`]: projections (DOMAIN.md §7) and invariants (§8) over a log's history, as
//!   recorded up to an entry and as in effect on a date, with corrections applied.
//!
//! The "Report of the Bureau on non-cooperation" built from a model (DOMAIN.md §10) and the
//! `acta state` views live in the `acta-report` crate, which depends on this one.
//!
//! ## Decisions where DOMAIN.md leaves room
//!
//! - **The envelope lives in `data`.** `occurred`, `attributed_to`, `sources`, `provenance`,
//!   `confidence` are members of every payload (see [`event`]); the entry's own `recorded_at`
//!   and `author` are the transaction time and the recorder. An event's main date is always
//!   `occurred` (not `issued_on`, `arrested_on`, …), so corrections and time travel use one
//!   field path; secondary dates keep their names (`deadline`, `effective_on`,
//!   `scheduled_for`). Registry and review events (`person_registered`,
//!   `correction_recorded`, …) have no `occurred`.
//! - **The source's words** are kept by field path in `as_published`
//!   (`{"expelled_to": "the Libyan Arab Republic"}`), for any field, instead of one
//!   `literal_…` member per field.
//! - **Absence is omission.** `null` and empty lists are refused, so every valid `data`
//!   re-encodes to exactly its stored bytes ([`decode`] checks this).
//! - **Sealed warrants** whose content is still secret have their own type,
//!   `arrest_warrant_issued_under_seal` (a commitment only); `arrest_warrant_issued` with
//!   `visibility: "sealed"` records a warrant that was sealed when issued and is known now.
//! - **Two-person rule**: the second signature is its own entry, `approval_recorded`,
//!   referencing the correction or retraction by [`EntryRef`] (DOMAIN.md §5).
//! - **Text fields are one line of visible characters** ([`Text`]): no line breaks, tabs or
//!   other control characters, no bidirectional controls, zero-width or other format
//!   characters, no line or paragraph separators, no noncharacters. Append and import refuse
//!   such text naming the field and the character; the report renderers do not rely on it and
//!   render every field as inert text (issue 11, case 9).
//! - **Validation is about one entry.** Rules that need other entries or the signer (a warrant
//!   exists, dates follow each other, the signer's role, `E_REFERRAL_WITHOUT_FINDING` and the
//!   other codes of DOMAIN.md §8.2) belong to the projection layer; the codes themselves are
//!   [`AnomalyCode`], so a transcriber can acknowledge them in `acknowledged_anomalies`.
//!
//! ```
//! use acta_core::json::{parse, Profile, Value};
//!
//! let data = parse(br#"{"occurred":"2025-01-19","person":"njeem-osama-elmasry",
//!     "state":"ITA","warrant_id":"njeem-2025"}"#, Profile::Entry).unwrap();
//! let Value::Object(data) = data else { unreachable!() };
//! acta_domain::validate("person_arrested", &data).unwrap();
//!
//! let err = acta_domain::validate("person_arrested", &{
//!     let mut d = data.clone();
//!     d.insert("state", Value::String("Italy".into()));
//!     d
//! }).unwrap_err();
//! assert_eq!(err.path(), Some("data.state"));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod append;
pub mod date;
pub(crate) mod de;
pub mod error;
pub mod event;
pub mod ids;
mod iso3166;
pub mod model;
pub mod roles;
mod rules;
pub mod seal;
pub mod source;
pub mod state;
pub mod text;
pub mod vocab;

use acta_core::json::{Object, Value};

pub use date::{DateOrder, LegalDate};
pub use error::{DomainError, FieldErrorKind};
pub use event::{Event, KNOWN_TYPES};
pub use ids::{
    AspDocRef, BureauMeetingRef, CaseId, ChamberId, CourtRecordNumber, DocRef, PersonId, Provision,
    SituationId, UnDocRef, WarrantId,
};
pub use roles::SignerRole;
pub use source::{ActorRef, AnomalyCode, Confidence, EntryRef, FieldPath, Provenance, SourceRef};
pub use state::StateCode;
pub use text::Text;

/// The domain name a log's genesis carries to say it records these events.
pub const DOMAIN: &str = "icc-noncooperation/v1";

/// Every event type of this domain version.
pub fn known_types() -> &'static [&'static str] {
    KNOWN_TYPES
}

/// Whether `entry_type` is a type of this domain version.
pub fn is_known_type(entry_type: &str) -> bool {
    KNOWN_TYPES.contains(&entry_type)
}

/// Checks an entry's `data` for its type: [`decode`], discarding the event.
pub fn validate(entry_type: &str, data: &Object) -> Result<(), DomainError> {
    decode(entry_type, data).map(|_| ())
}

/// Reads an entry's `data` as the typed event of `entry_type`.
///
/// The core JSON object is deserialized as it is into the typed payload (every member known,
/// every value well-formed), checked against the field-level rules (at least one of two
/// members, the confidence of inferred facts, …), and finally re-encoded to check that the
/// typed event loses nothing. Errors name the field by its path from the entry
/// (`data.occurred.to`). A type not in [`KNOWN_TYPES`] gives [`DomainError::UnknownType`],
/// which callers may treat as a warning.
pub fn decode(entry_type: &str, data: &Object) -> Result<Event, DomainError> {
    let event = match Event::decode(entry_type, data) {
        Some(Ok(event)) => event,
        Some(Err((path, e))) => {
            return Err(DomainError::field(entry_type, path, e.kind, e.expected));
        }
        None => {
            return Err(DomainError::UnknownType {
                entry_type: entry_type.to_owned(),
                domain: DOMAIN,
            });
        }
    };
    rules::check(&event, data)
        .map_err(|(path, kind, expected)| DomainError::field(entry_type, path, kind, expected))?;
    match event.to_data() {
        Ok(again) if &again == data => Ok(event),
        _ => Err(DomainError::NotLossless {
            entry_type: entry_type.to_owned(),
        }),
    }
}

impl Event {
    /// The event's payload as an entry's `data` (a core JSON object, ready to sign).
    pub fn to_data(&self) -> Result<Object, DomainError> {
        match self.payload_data() {
            Ok(Value::Object(o)) => Ok(o),
            _ => Err(DomainError::NotLossless {
                entry_type: self.entry_type().to_owned(),
            }),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Event {
    /// Reads `{"type": …, "data": {…}}` and decodes it with [`decode`]: `data` is read
    /// directly as a core JSON object, under the entry profile's rules.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Event, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Line {
            #[serde(rename = "type")]
            entry_type: String,
            #[serde(deserialize_with = "de::core_object")]
            data: Object,
        }
        let line = Line::deserialize(d)?;
        decode(&line.entry_type, &line.data).map_err(serde::de::Error::custom)
    }
}
