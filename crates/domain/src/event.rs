//! The event catalogue (DOMAIN.md §6): one payload struct per event type, and [`Event`], the
//! enum of them all.
//!
//! Each event is a past-tense fact. Its wire name (the entry's `type`) is frozen by an explicit
//! `#[serde(rename = "…")]`, so renaming a Rust item never changes stored bytes. Each payload is
//! the entry's `data`: an object with the event's own members and the common members below,
//! and no others (`deny_unknown_fields`).
//!
//! Common members (all optional):
//!
//! | member | meaning |
//! |---|---|
//! | `attributed_to` | who performed the act ([`ActorRef`]); the recorder is the entry's author |
//! | `sources` | where the fact is stated ([`SourceRef`]s) |
//! | `provenance` | `"stated"` (the default), inferred or external ([`Provenance`]) |
//! | `confidence` | required when the provenance is inferred or external |
//! | `acknowledged_anomalies` | rules this event breaks as published ([`AnomalyCode`]s): a transcriber records the source faithfully and says so |
//! | `supersedes_prior` | the `prior_fact_asserted` entry this event replaces |
//! | `as_published` | the source's own words for fields, by field path: `{"expelled_to": "the Libyan Arab Republic"}` |
//! | `note` | free text |
//!
//! Most events also have `occurred` ([`LegalDate`]): when the fact happened in the world
//! (valid time), with its precision. Optional members are omitted when absent: `null` and empty
//! lists are refused, so every valid `data` re-encodes to the same canonical bytes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::date::LegalDate;
use crate::source::{
    ActorRef, AnomalyCode, Confidence, EntryRef, FieldPath, Provenance, SourceRef,
};
use crate::text::Text;

/// The common members of every event, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// When it happened, for events that have a date.
    pub occurred: Option<&'a LegalDate>,
    /// Who performed the act.
    pub attributed_to: Option<&'a ActorRef>,
    /// Where it is stated.
    pub sources: &'a [SourceRef],
    /// How it is known (`None`: stated).
    pub provenance: Option<&'a Provenance>,
    /// Confidence, for inferred and external facts.
    pub confidence: Option<Confidence>,
    /// Rules this event breaks as published.
    pub acknowledged_anomalies: &'a [AnomalyCode],
    /// The opening-balance assertion this event replaces.
    pub supersedes_prior: Option<&'a EntryRef>,
    /// The source's own words for fields.
    pub as_published: &'a BTreeMap<FieldPath, Text>,
    /// Free text.
    pub note: Option<&'a Text>,
}

/// Defines one payload struct: required members, optional members (`Option`), optional lists
/// (`Vec`, omitted when empty), then the common members.
macro_rules! payload {
    (
        $(#[$meta:meta])* $name:ident [occurred: $odoc:literal]
        { $($req:tt)* } optional { $($opt:tt)* } lists { $($lst:tt)* }
    ) => {
        payload!(@emit $(#[$meta])* $name
            { #[doc = $odoc] occurred: LegalDate, $($req)* } optional { $($opt)* } lists { $($lst)* });
        impl $name {
            /// When it happened.
            pub fn occurred(&self) -> Option<&LegalDate> {
                Some(&self.occurred)
            }
        }
    };
    (
        $(#[$meta:meta])* $name:ident [timeless]
        { $($req:tt)* } optional { $($opt:tt)* } lists { $($lst:tt)* }
    ) => {
        payload!(@emit $(#[$meta])* $name { $($req)* } optional { $($opt)* } lists { $($lst)* });
        impl $name {
            /// This event has no date of its own.
            pub fn occurred(&self) -> Option<&LegalDate> {
                None
            }
        }
    };
    (
        @emit $(#[$meta:meta])* $name:ident
        { $( $(#[$rmeta:meta])* $rfield:ident : $rty:ty, )* }
        optional { $( $(#[$ometa:meta])* $ofield:ident : $oty:ty, )* }
        lists { $( $(#[$lmeta:meta])* $lfield:ident : $lty:ty, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$rmeta])* pub $rfield: $rty, )*
            $(
                $(#[$ometa])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $ofield: Option<$oty>,
            )*
            $(
                $(#[$lmeta])*
                #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::text::nonempty")]
                pub $lfield: Vec<$lty>,
            )*
            /// Who performed the act.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub attributed_to: Option<ActorRef>,
            /// Where the fact is stated.
            #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::text::nonempty")]
            pub sources: Vec<SourceRef>,
            /// How the fact is known (absent: stated).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub provenance: Option<Provenance>,
            /// Confidence (required for inferred and external facts).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub confidence: Option<Confidence>,
            /// Rules this event breaks as published.
            #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::text::nonempty_distinct")]
            pub acknowledged_anomalies: Vec<AnomalyCode>,
            /// The `prior_fact_asserted` entry this event replaces.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub supersedes_prior: Option<EntryRef>,
            /// The source's own words for fields, by field path.
            #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "crate::text::nonempty_map")]
            pub as_published: BTreeMap<FieldPath, Text>,
            /// Free text.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub note: Option<Text>,
        }

        impl $name {
            /// The common members.
            pub fn envelope(&self) -> Envelope<'_> {
                Envelope {
                    occurred: self.occurred(),
                    attributed_to: self.attributed_to.as_ref(),
                    sources: &self.sources,
                    provenance: self.provenance.as_ref(),
                    confidence: self.confidence,
                    acknowledged_anomalies: &self.acknowledged_anomalies,
                    supersedes_prior: self.supersedes_prior.as_ref(),
                    as_published: &self.as_published,
                    note: self.note.as_ref(),
                }
            }
        }
    };
}

// The payloads, one module per section of DOMAIN.md §6 (after `payload!`, which they use).
mod assembly;
mod proceedings;
mod reference;
mod travel;
mod unsc;
mod warrants;

pub use assembly::*;
pub use proceedings::*;
pub use reference::*;
pub use travel::*;
pub use unsc::*;
pub use warrants::*;

// ============================================================================================
// The catalogue
// ============================================================================================

/// Which side of the institutions an event belongs to; drives the role suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Acts of the Court's organs (Chambers, Presidency, Registry, Plenary, OTP).
    Court,
    /// Acts of the Assembly and its organs.
    Assembly,
    /// A State's own acts.
    State,
    /// Facts recorded from sources (UN acts, context, opening balances).
    Record,
    /// Corrections, retractions, anomaly flags and their approvals.
    Review,
    /// Registration of persons and documents (Court or Assembly registries).
    Registry,
    /// Checkpoints (key administrators).
    Admin,
}

macro_rules! catalogue {
    ($($wire:literal => $variant:ident, $side:ident;)*) => {
        /// Every event of the domain. With serde, an event is `{"type": …, "data": {…}}` (the
        /// form of an `acta import` line). Deserializing runs [`crate::decode`], so it is as
        /// strict as [`crate::validate`]; [`Event::to_data`] gives the entry's `data`.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "type", content = "data")]
        pub enum Event {
            $(
                #[doc = concat!("`", $wire, "`")]
                #[serde(rename = $wire)]
                $variant($variant),
            )*
        }

        /// Every event type of `icc-noncooperation/v1`, in catalogue order.
        pub const KNOWN_TYPES: &[&str] = &[$($wire,)*];

        /// Each type with its side.
        pub(crate) const SIDES: &[(&str, Side)] = &[$(($wire, Side::$side),)*];

        impl Event {
            /// The event's type (its frozen wire name).
            pub fn entry_type(&self) -> &'static str {
                match self { $(Event::$variant(_) => $wire,)* }
            }

            /// The common members.
            pub fn envelope(&self) -> Envelope<'_> {
                match self { $(Event::$variant(e) => e.envelope(),)* }
            }

            /// Decodes `data` for `entry_type` (an error with the path of its field); `None`
            /// for a type not in the catalogue.
            pub(crate) fn decode(
                entry_type: &str,
                data: &acta_core::json::Object,
            ) -> Option<Result<Event, (String, crate::de::DeError)>> {
                match entry_type {
                    $($wire => Some(crate::de::from_object::<$variant>(data, "data").map(Event::$variant)),)*
                    _ => None,
                }
            }

            /// The payload as a core JSON value (the entry's `data`), without text.
            pub(crate) fn payload_data(&self) -> Result<acta_core::json::Value, crate::de::Unrepresentable> {
                match self { $(Event::$variant(e) => e.serialize(crate::de::ValueSer),)* }
            }

            /// The payload as a JSON value (the entry's `data`).
            pub fn payload_json(&self) -> Result<serde_json::Value, serde_json::Error> {
                match self { $(Event::$variant(e) => serde_json::to_value(e),)* }
            }
        }
    };
}

catalogue! {
    "source_document_registered" => SourceDocumentRegistered, Registry;
    "situation_registered" => SituationRegistered, Court;
    "unsc_referral_recorded" => UnscReferralRecorded, Record;
    "state_became_party" => StateBecameParty, State;
    "withdrawal_notified" => WithdrawalNotified, State;
    "withdrawal_revoked" => WithdrawalRevoked, State;
    "withdrawal_took_effect" => WithdrawalTookEffect, Record;
    "jurisdiction_declaration_lodged" => JurisdictionDeclarationLodged, State;
    "person_registered" => PersonRegistered, Registry;
    "person_alias_recorded" => PersonAliasRecorded, Registry;
    "person_death_recorded" => PersonDeathRecorded, Court;
    "prior_fact_asserted" => PriorFactAsserted, Record;
    "context_fact_recorded" => ContextFactRecorded, Record;
    "checkpoint_signed" => CheckpointSigned, Admin;
    "anomaly_flagged" => AnomalyFlagged, Review;
    "correction_recorded" => CorrectionRecorded, Review;
    "event_retracted" => EventRetracted, Review;
    "approval_recorded" => ApprovalRecorded, Review;
    "arrest_warrant_requested" => ArrestWarrantRequested, Court;
    "arrest_warrant_issued" => ArrestWarrantIssued, Court;
    "arrest_warrant_issued_under_seal" => ArrestWarrantIssuedUnderSeal, Court;
    "arrest_warrant_amended" => ArrestWarrantAmended, Court;
    "arrest_warrant_unsealed" => ArrestWarrantUnsealed, Court;
    "arrest_warrant_withdrawn" => ArrestWarrantWithdrawn, Court;
    "cooperation_request_transmitted" => CooperationRequestTransmitted, Court;
    "court_reminder_issued" => CourtReminderIssued, Court;
    "person_arrested" => PersonArrested, State;
    "custodial_proceedings_recorded" => CustodialProceedingsRecorded, State;
    "person_released_without_surrender" => PersonReleasedWithoutSurrender, State;
    "person_surrendered" => PersonSurrendered, State;
    "domestic_custody_recorded" => DomesticCustodyRecorded, State;
    "initial_appearance_held" => InitialAppearanceHeld, Court;
    "case_milestone_recorded" => CaseMilestoneRecorded, Court;
    "proceedings_terminated" => ProceedingsTerminated, Court;
    "travel_information_received" => TravelInformationReceived, Record;
    "wanted_person_visit_recorded" => WantedPersonVisitRecorded, Record;
    "article_97_consultation_requested" => Article97ConsultationRequested, State;
    "article_97_consultation_responded" => Article97ConsultationResponded, Court;
    "non_compliance_request_filed" => NonComplianceRequestFiled, Court;
    "non_compliance_proceeding_opened" => NonComplianceProceedingOpened, Court;
    "chamber_reassigned" => ChamberReassigned, Court;
    "state_observations_invited" => StateObservationsInvited, Court;
    "state_observations_submitted" => StateObservationsSubmitted, State;
    "non_compliance_decision_issued" => NonComplianceDecisionIssued, Court;
    "referral_decision_issued" => ReferralDecisionIssued, Court;
    "referral_transmitted" => ReferralTransmitted, Court;
    "procedural_request_filed" => ProceduralRequestFiled, Court;
    "procedural_request_decided" => ProceduralRequestDecided, Court;
    "appeal_filed" => AppealFiled, Court;
    "appeal_judgment_delivered" => AppealJudgmentDelivered, Court;
    "non_compliance_proceeding_closed" => NonComplianceProceedingClosed, Court;
    "court_informed_asp" => CourtInformedAsp, Court;
    "asp_session_recorded" => AspSessionRecorded, Assembly;
    "asp_resolution_adopted" => AspResolutionAdopted, Assembly;
    "mandate_allocated" => MandateAllocated, Assembly;
    "focal_point_appointed" => FocalPointAppointed, Assembly;
    "focal_point_mandate_confirmed" => FocalPointMandateConfirmed, Assembly;
    "asp_president_term_recorded" => AspPresidentTermRecorded, Assembly;
    "focal_points_activated" => FocalPointsActivated, Assembly;
    "focal_points_communication_issued" => FocalPointsCommunicationIssued, Assembly;
    "asp_president_letter_sent" => AspPresidentLetterSent, Assembly;
    "asp_president_letter_published" => AspPresidentLetterPublished, Assembly;
    "state_reply_received" => StateReplyReceived, State;
    "bureau_meeting_held" => BureauMeetingHeld, Assembly;
    "bureau_took_note" => BureauTookNote, Assembly;
    "asp_matter_opened" => AspMatterOpened, Assembly;
    "bureau_considered_referral" => BureauConsideredReferral, Assembly;
    "emergency_bureau_meeting_convened" => EmergencyBureauMeetingConvened, Assembly;
    "asp_plenary_scheduled" => AspPlenaryScheduled, Assembly;
    "asp_plenary_held" => AspPlenaryHeld, Assembly;
    "focal_points_meeting_held" => FocalPointsMeetingHeld, Assembly;
    "bureau_report_issued" => BureauReportIssued, Assembly;
    "public_statement_issued" => PublicStatementIssued, Record;
    "prosecutor_unsc_briefing_delivered" => ProsecutorUnscBriefingDelivered, Court;
    "unsc_action_recorded" => UnscActionRecorded, Record;
}
