//! Travel and prevention (DOMAIN.md §6.3).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::LegalDate;
use crate::ids::{
    CooperationRequestId, CourtRecordNumber, EpisodeId, PersonId, VisitId, WarrantId,
};
use crate::source::{
    ActorRef, AnomalyCode, Confidence, EntryRef, FieldPath, Provenance, SourceRef,
};
use crate::state::StateCode;
use crate::text::Text;
use crate::vocab::*;

use super::Envelope;

payload! {
    /// `travel_information_received`: information that a wanted person will travel to a State.
    TravelInformationReceived [occurred: "The receipt."] {
        /// The person.
        person: PersonId,
        /// The destination.
        state: StateCode,
        /// When the travel is expected.
        expected: LegalDate,
        /// Who received it (`court:otp`, `asp:focal-points`, `asp:president`, …).
        received_by: ActorRef,
    } optional {
        /// Where it came from.
        source_kind: TravelSourceKind,
        /// A notification of travel.
        doc_ref: CourtRecordNumber,
        /// The prevention episode.
        episode_id: EpisodeId,
    } lists {}
}

payload! {
    /// `wanted_person_visit_recorded`: a person subject to a warrant visited a State.
    WantedPersonVisitRecorded [occurred: "The visit (usually a span)."] {
        /// The visit.
        visit_id: VisitId,
        /// The person.
        person: PersonId,
        /// The host State.
        state: StateCode,
    } optional {
        /// The purpose.
        purpose: Text,
        /// Arrested or not (or cancelled).
        outcome: VisitOutcome,
        /// The prevention episode.
        episode_id: EpisodeId,
    } lists {}
}

payload! {
    /// `article_97_consultation_requested`: a State consulted the Court on problems executing
    /// a request (art. 97). At least one of `warrant_id` and `request_id`.
    Article97ConsultationRequested [occurred: "The request."] {
        /// The State.
        state: StateCode,
    } optional {
        /// The warrant.
        warrant_id: WarrantId,
        /// The cooperation request.
        request_id: CooperationRequestId,
        /// The problem raised.
        subject: Text,
        /// The filing.
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `article_97_consultation_responded`: the Court responded to a consultation.
    Article97ConsultationResponded [occurred: "The response."] {
        /// The State.
        state: StateCode,
        /// The response, in brief.
        response: Text,
    } optional {
        /// The response's record number.
        doc_ref: CourtRecordNumber,
    } lists {}
}
