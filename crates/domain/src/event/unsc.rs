//! Security Council and OTP reporting (DOMAIN.md §6.6).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::LegalDate;
use crate::ids::{DocRef, PersonId, ProceedingId, UnDocRef};
use crate::source::{
    ActorRef, AnomalyCode, Confidence, EntryRef, FieldPath, Provenance, SourceRef,
};
use crate::state::StateCode;
use crate::text::Text;
use crate::vocab::*;

use super::Envelope;

payload! {
    /// `prosecutor_unsc_briefing_delivered`: the Prosecutor's periodic report to the Security
    /// Council on a situation it referred.
    ProsecutorUnscBriefingDelivered [occurred: "The briefing."] {
        /// The resolution reported under (`S/RES/1593 (2005)`).
        resolution: UnDocRef,
        /// The report's ordinal (40 for the fortieth).
        ordinal: u16,
    } optional {
        /// The report.
        doc_ref: DocRef,
        /// Its title.
        title: Text,
    } lists {
        /// Appeals made ("transfer of Ahmed Harun").
        appeals: Text,
        /// Persons mentioned.
        persons: PersonId,
        /// States mentioned.
        states: StateCode,
    }
}

payload! {
    /// `unsc_action_recorded`: what the Security Council did (or did not do).
    UnscActionRecorded [occurred: "The action."] {
        /// What.
        kind: UnscActionKind,
    } optional {
        /// The resolution, statement or record.
        doc_ref: UnDocRef,
    } lists {
        /// The proceedings concerned.
        proceeding_ids: ProceedingId,
    }
}
