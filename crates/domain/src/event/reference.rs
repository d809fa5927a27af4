//! Reference data, registries and meta events (DOMAIN.md §6.1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::LegalDate;
use crate::ids::{
    ChamberId, CourtRecordNumber, DocRef, PersonId, ProceedingId, Sha256Hex, SituationId, UnDocRef,
    WarrantId,
};
use crate::source::{
    ActorRef, AnomalyCode, Confidence, EntryRef, FieldPath, Provenance, SourceRef,
};
use crate::state::StateCode;
use crate::text::Text;
use crate::vocab::*;

use super::Envelope;

payload! {
    /// `source_document_registered`: a document facts are sourced to.
    SourceDocumentRegistered [occurred: "The document's date."] {
        /// The document's reference.
        doc_ref: DocRef,
        /// Its title.
        title: Text,
        /// Its kind.
        kind: DocKind,
    } optional {
        /// Where it can be read.
        url: Text,
        /// SHA-256 of the file.
        sha256: Sha256Hex,
        /// Its language (e.g. `en`).
        language: Text,
        /// Whether this is a redacted public version.
        redacted: bool,
        /// The document it replaces (e.g. a corrigendum replaces the original).
        supersedes: DocRef,
    } lists {}
}

payload! {
    /// `situation_registered`: a situation before the Court (reference data, never hard-coded).
    SituationRegistered [occurred: "When the situation was assigned or opened (may be `unknown`)."] {
        /// The situation.
        situation: SituationId,
        /// Its name ("State of Palestine").
        name: Text,
    } optional {
        /// How it came before the Court.
        referral: SituationReferral,
        /// The Security Council resolution referring it.
        unsc_resolution: UnDocRef,
    } lists {
        /// The referring States.
        referring_states: StateCode,
    }
}

payload! {
    /// `unsc_referral_recorded`: the Security Council referred a situation and bound States to
    /// cooperate (S/RES/1593 (2005), Darfur; S/RES/1970 (2011), Libya).
    UnscReferralRecorded [occurred: "The resolution's adoption."] {
        /// The resolution (`S/RES/…`).
        resolution: UnDocRef,
        /// The situation.
        situation: SituationId,
        /// The States the resolution obliges to cooperate.
        #[serde(deserialize_with = "crate::text::nonempty_distinct")]
        bound_states: Vec<StateCode>,
    } optional {
        /// The operative paragraph ("2").
        paragraph: Text,
    } lists {}
}

payload! {
    /// `state_became_party`: a State deposited its instrument.
    StateBecameParty [occurred: "The deposit of the instrument."] {
        /// The State.
        state: StateCode,
        /// When the Statute entered into force for it.
        entry_into_force: LegalDate,
    } optional {
        /// Ratification, accession, ….
        instrument: Instrument,
    } lists {}
}

payload! {
    /// `withdrawal_notified`: a State notified the UN Secretary-General of its withdrawal
    /// (art. 127; effective one year later).
    WithdrawalNotified [occurred: "The notification."] {
        /// The State.
        state: StateCode,
        /// When the withdrawal takes effect.
        effective_on: LegalDate,
    } optional {
        /// The depositary notification (e.g. `C.N.805.2016.TREATIES-XVIII.10`).
        depositary_notification: Text,
    } lists {}
}

payload! {
    /// `withdrawal_revoked`: a State revoked its pending withdrawal.
    WithdrawalRevoked [occurred: "The revocation."] {
        /// The State.
        state: StateCode,
    } optional {
        /// The depositary notification.
        depositary_notification: Text,
    } lists {}
}

payload! {
    /// `withdrawal_took_effect`: a State ceased to be a Party.
    WithdrawalTookEffect [occurred: "The effective date."] {
        /// The State.
        state: StateCode,
    } optional {} lists {}
}

payload! {
    /// `jurisdiction_declaration_lodged`: a State accepted the Court's jurisdiction (art. 12(3)).
    JurisdictionDeclarationLodged [occurred: "The lodging."] {
        /// The State.
        state: StateCode,
        /// The period the declaration covers.
        covers: LegalDate,
    } optional {
        /// The declaration.
        doc_ref: DocRef,
    } lists {}
}

payload! {
    /// `person_registered`: a person (a subject of proceedings, or an official).
    PersonRegistered [timeless] {
        /// The person's identifier.
        person: PersonId,
        /// The name used by the Court.
        primary_name: Text,
    } optional {
        /// Subject (the default) or official.
        kind: PersonKind,
        /// Nationality.
        nationality: StateCode,
        /// Date of birth.
        born: LegalDate,
        /// Position ("President of the Russian Federation").
        position: Text,
    } lists {
        /// Other names and spellings.
        aliases: Text,
    }
}

payload! {
    /// `person_alias_recorded`: another name or spelling of a person.
    PersonAliasRecorded [timeless] {
        /// The person.
        person: PersonId,
        /// The alias.
        alias: Text,
    } optional {
        /// The script or transliteration scheme.
        script: Text,
    } lists {}
}

payload! {
    /// `person_death_recorded`: a person died (possibly established years later).
    PersonDeathRecorded [occurred: "The death."] {
        /// The person.
        person: PersonId,
    } optional {
        /// Where.
        place: Text,
        /// When the death was established (e.g. by a Chamber).
        established_on: LegalDate,
        /// The decision establishing it.
        doc_ref: CourtRecordNumber,
    } lists {}
}

/// An opening-balance fact asserted by `prior_fact_asserted`.
///
/// JSON: `{"warrant_outstanding": {…}}`, `{"state_status": {…}}`,
/// `{"focal_point_in_office": {…}}` or `{"proceeding_open": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriorFact {
    /// A warrant was issued (on an unrecorded date) and is outstanding.
    #[serde(rename = "warrant_outstanding")]
    WarrantOutstanding(PriorWarrant),
    /// A State had a status.
    #[serde(rename = "state_status")]
    StateStatus(PriorStateStatus),
    /// A State was a focal point on non-cooperation.
    #[serde(rename = "focal_point_in_office")]
    FocalPointInOffice(PriorFocalPoint),
    /// A non-compliance proceeding was open.
    #[serde(rename = "proceeding_open")]
    ProceedingOpen(PriorProceeding),
}

/// A warrant known to be outstanding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorWarrant {
    /// The warrant.
    pub warrant_id: WarrantId,
    /// Its subject.
    pub person: PersonId,
    /// The situation.
    pub situation: SituationId,
    /// A date by which it had been issued.
    pub issued_before: LegalDate,
    /// The issuing Chamber.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chamber: Option<ChamberId>,
    /// Its record number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_ref: Option<CourtRecordNumber>,
}

/// A State's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorStateStatus {
    /// The State.
    pub state: StateCode,
    /// Its status.
    pub status: StateStatus,
}

/// A focal point in office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorFocalPoint {
    /// The State.
    pub state: StateCode,
    /// Its regional group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_group: Option<RegionGroup>,
}

/// An open proceeding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorProceeding {
    /// The proceeding.
    pub proceeding_id: ProceedingId,
    /// The State concerned.
    pub state: StateCode,
    /// The situation.
    pub situation: SituationId,
    /// The legal basis.
    pub legal_basis: LegalBasis,
    /// The seized Chamber.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chamber: Option<ChamberId>,
}

payload! {
    /// `prior_fact_asserted`: an opening balance, for facts older than the log (the seed
    /// never dates the Putin or Netanyahu warrants). A later event with `supersedes_prior`
    /// replaces it.
    PriorFactAsserted [occurred: "The date as of which the fact held."] {
        /// The fact.
        fact: PriorFact,
    } optional {} lists {}
}

payload! {
    /// `context_fact_recorded`: background ("military conflict erupted in Sudan").
    ContextFactRecorded [occurred: "When it happened."] {
        /// What happened.
        text: Text,
    } optional {} lists {
        /// The States concerned.
        states: StateCode,
    }
}

payload! {
    /// `checkpoint_signed`: a key administrator attests the projections at a point of the log.
    CheckpointSigned [timeless] {
        /// The last entry covered.
        upto: EntryRef,
        /// Each projection's name and the SHA-256 of its canonical state.
        #[serde(deserialize_with = "crate::text::nonempty_map")]
        projection_hashes: BTreeMap<Text, Sha256Hex>,
    } optional {} lists {}
}

payload! {
    /// `anomaly_flagged`: an entry breaks a rule or its source is suspect.
    AnomalyFlagged [timeless] {
        /// The entry.
        target: EntryRef,
        /// The rule.
        code: AnomalyCode,
        /// The field concerned, within the target's `data`.
        field_path: FieldPath,
        /// Why.
        explanation: Text,
    } optional {} lists {}
}

payload! {
    /// `correction_recorded`: the value of a field of an earlier entry, corrected. The original
    /// entry is never changed: projections use the corrected value and keep the published
    /// one. Needs `confidence`, and a second person's `approval_recorded`.
    CorrectionRecorded [timeless] {
        /// The corrected entry.
        target: EntryRef,
        /// The field, within the target's `data` (`occurred`, `occurred.to`, …).
        field_path: FieldPath,
        /// The value the field must have instead.
        corrected_value: serde_json::Value,
        /// Why.
        basis: CorrectionBasis,
    } optional {
        /// The value as published (absent: the field was absent).
        published_value: serde_json::Value,
        /// The `anomaly_flagged` entry this resolves.
        resolves: EntryRef,
    } lists {}
}

payload! {
    /// `event_retracted`: an entry is withdrawn (it stays in the log, marked). Needs a second
    /// person's `approval_recorded`.
    EventRetracted [timeless] {
        /// The retracted entry.
        target: EntryRef,
        /// Why.
        reason: RetractionReason,
    } optional {
        /// The entry it duplicates.
        duplicate_of: EntryRef,
    } lists {}
}

payload! {
    /// `approval_recorded`: a second person approves a correction or retraction (the
    /// two-person rule, with one signature per entry).
    ApprovalRecorded [timeless] {
        /// The correction or retraction approved.
        target: EntryRef,
    } optional {} lists {}
}
