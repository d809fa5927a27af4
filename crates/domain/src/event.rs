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

use serde::{Deserialize, Serialize};

use crate::date::LegalDate;
use crate::ids::{
    AppealId, ApplicationId, AspDocRef, AspMatterId, BureauMeetingRef, CaseId, ChamberId,
    CooperationRequestId, CourtRecordNumber, DecisionId, DocRef, EpisodeId, LetterId, PersonId,
    ProceedingId, RequestId, Sha256Hex, SituationId, UnDocRef, VisitId, WarrantId,
};
use crate::seal::Reveal;
use crate::source::{
    ActorRef, AnomalyCode, Citation, Confidence, EntryRef, FieldPath, Provenance, SourceRef,
};
use crate::state::StateCode;
use crate::text::Text;
use crate::vocab::*;

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

// ============================================================================================
// 6.1 Reference data, registries, meta
// ============================================================================================

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

// ============================================================================================
// 6.2 Warrants, requests, custody
// ============================================================================================

payload! {
    /// `arrest_warrant_requested`: the Prosecutor applied for a warrant.
    ArrestWarrantRequested [occurred: "The filing."] {
        /// The application.
        application_id: ApplicationId,
        /// The person.
        person: PersonId,
        /// The situation.
        situation: SituationId,
    } optional {
        /// Whether filed under seal.
        sealed: bool,
        /// Its record number.
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `arrest_warrant_issued`: a Chamber issued a warrant of arrest (art. 58), with its
    /// content. A warrant that was sealed when issued but is known now is recorded here with
    /// `visibility: "sealed"`, then `arrest_warrant_unsealed`; one whose content is still
    /// secret is recorded by `arrest_warrant_issued_under_seal`.
    ArrestWarrantIssued [occurred: "The issue."] {
        /// The warrant.
        warrant_id: WarrantId,
        /// The person.
        person: PersonId,
        /// The situation.
        situation: SituationId,
        /// The issuing Chamber.
        chamber: ChamberId,
        /// Its visibility when issued.
        visibility: Visibility,
    } optional {
        /// The case.
        case_id: CaseId,
        /// Its record number (`ICC-01/11-208`).
        doc_ref: CourtRecordNumber,
        /// Unanimous or by majority.
        vote: Vote,
        /// The application granted.
        application_id: ApplicationId,
    } lists {
        /// The crimes.
        crimes: Crime,
        /// Separate or dissenting opinions.
        opinions: SeparateOpinion,
    }
}

payload! {
    /// `arrest_warrant_issued_under_seal`: a warrant was issued whose content is secret. Only a
    /// salted commitment to the content is recorded: `commitment` = SHA-256(context ‖ salt ‖
    /// canonical JSON of the content); `arrest_warrant_unsealed` later reveals content and salt
    /// (see [`crate::seal`]).
    ArrestWarrantIssuedUnderSeal [occurred: "The issue."] {
        /// The warrant.
        warrant_id: WarrantId,
        /// The commitment to its content.
        commitment: Sha256Hex,
    } optional {
        /// The situation, if disclosed.
        situation: SituationId,
    } lists {}
}

payload! {
    /// `arrest_warrant_amended`: a warrant was amended (e.g. crimes added).
    ArrestWarrantAmended [occurred: "The amendment."] {
        /// The warrant.
        warrant_id: WarrantId,
    } optional {
        /// The amending decision.
        doc_ref: CourtRecordNumber,
        /// What changed.
        summary: Text,
    } lists {
        /// The crimes after the amendment.
        crimes: Crime,
    }
}

payload! {
    /// `arrest_warrant_unsealed`: a warrant became more visible. For a warrant recorded under
    /// seal, `revealed` gives its content and salt, to be checked against the commitment.
    ArrestWarrantUnsealed [occurred: "The unsealing (or publication)."] {
        /// The warrant.
        warrant_id: WarrantId,
        /// Its visibility now (not `sealed`).
        new_visibility: Visibility,
    } optional {
        /// The public version.
        doc_ref: CourtRecordNumber,
        /// The content and salt of a warrant recorded under seal.
        revealed: Reveal,
    } lists {}
}

payload! {
    /// `arrest_warrant_withdrawn`: a warrant was withdrawn.
    ArrestWarrantWithdrawn [occurred: "The withdrawal."] {
        /// The warrant.
        warrant_id: WarrantId,
        /// Why.
        reason: WarrantWithdrawalReason,
    } optional {
        /// The decision.
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `cooperation_request_transmitted`: the Registry transmitted a request for arrest and
    /// surrender (art. 89(1), 91) — what a State "fails to comply with".
    CooperationRequestTransmitted [occurred: "The transmission."] {
        /// The request.
        request_id: CooperationRequestId,
        /// The warrant.
        warrant_id: WarrantId,
        /// To whom.
        addressees: Addressees,
    } optional {
        /// The request's record number.
        doc_ref: CourtRecordNumber,
        /// Whether also sent to Security Council members that are not Parties.
        includes_unsc_members: bool,
    } lists {
        /// Its legal basis (`art. 89(1)`, `art. 91`).
        basis: crate::ids::Provision,
    }
}

payload! {
    /// `court_reminder_issued`: the Court reminded a State of a pending request (e.g. before a
    /// visit).
    CourtReminderIssued [occurred: "The reminder."] {
        /// The warrant.
        warrant_id: WarrantId,
        /// The State.
        state: StateCode,
        /// Why.
        reason: ReminderReason,
    } optional {
        /// The decision or note.
        doc_ref: CourtRecordNumber,
        /// A deadline for the State.
        deadline: LegalDate,
    } lists {}
}

payload! {
    /// `person_arrested`: a State arrested a person under a warrant.
    PersonArrested [occurred: "The arrest."] {
        /// The warrant.
        warrant_id: WarrantId,
        /// The person.
        person: PersonId,
        /// The arresting State.
        state: StateCode,
    } optional {
        /// Where.
        place: Text,
        /// On what basis.
        basis: ArrestBasis,
    } lists {}
}

payload! {
    /// `custodial_proceedings_recorded`: the custodial State's judicial proceedings (art. 59).
    CustodialProceedingsRecorded [occurred: "The phase's date."] {
        /// The warrant.
        warrant_id: WarrantId,
        /// The custodial State.
        state: StateCode,
        /// Opened or completed.
        phase: CustodialPhase,
    } optional {
        /// The domestic court.
        court: Text,
        /// The outcome.
        outcome: Text,
    } lists {}
}

payload! {
    /// `person_released_without_surrender`: the custodial State released the person without
    /// surrendering him to the Court; the warrant is outstanding again.
    PersonReleasedWithoutSurrender [occurred: "The release."] {
        /// The warrant.
        warrant_id: WarrantId,
        /// The person.
        person: PersonId,
        /// The releasing State.
        state: StateCode,
    } optional {
        /// Why ("procedural defect").
        reason: Text,
        /// Where the person was sent (the source's own name goes in `as_published`).
        expelled_to: StateCode,
    } lists {}
}

payload! {
    /// `person_surrendered`: the person was surrendered to the Court (or surrendered
    /// voluntarily).
    PersonSurrendered [occurred: "The surrender."] {
        /// The warrant.
        warrant_id: WarrantId,
        /// The person.
        person: PersonId,
        /// The State that surrendered him (or where he surrendered).
        state: StateCode,
    } optional {
        /// A voluntary surrender.
        voluntary: bool,
        /// Arrival at the detention centre.
        transfer_arrived_on: LegalDate,
        /// The detention centre.
        detention_centre: Text,
    } lists {}
}

payload! {
    /// `domestic_custody_recorded`: a person was held (or released) on domestic grounds; this
    /// does not change the warrant's execution.
    DomesticCustodyRecorded [occurred: "The phase's date."] {
        /// The person.
        person: PersonId,
        /// The State.
        state: StateCode,
        /// Started or ended.
        phase: DomesticCustodyPhase,
    } optional {
        /// The domestic grounds.
        basis: Text,
        /// How it ended.
        ended_how: Text,
    } lists {}
}

payload! {
    /// `initial_appearance_held`: the surrendered person first appeared before the Court.
    InitialAppearanceHeld [occurred: "The appearance."] {
        /// The person.
        person: PersonId,
        /// The Chamber.
        chamber: ChamberId,
    } optional {
        /// The case.
        case_id: CaseId,
        /// The transcript or decision.
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `case_milestone_recorded`: a step of a case after surrender.
    CaseMilestoneRecorded [occurred: "The milestone."] {
        /// The case.
        case_id: CaseId,
        /// Which milestone.
        kind: CaseMilestone,
    } optional {
        /// Held in the person's absence.
        in_absentia: bool,
        /// The outcome.
        outcome: Text,
        /// The decision.
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `proceedings_terminated`: proceedings against a person or in a case ended (e.g. on the
    /// person's death). At least one of `person` and `case_id`.
    ProceedingsTerminated [occurred: "The termination."] {
        /// Why.
        reason: TerminationReason,
    } optional {
        /// The person.
        person: PersonId,
        /// The case.
        case_id: CaseId,
        /// The decision.
        doc_ref: CourtRecordNumber,
        /// Whether a summons to appear was vacated.
        summons_vacated: bool,
    } lists {}
}

// ============================================================================================
// 6.3 Travel and prevention
// ============================================================================================

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

// ============================================================================================
// 6.4 Non-compliance proceedings
// ============================================================================================

payload! {
    /// `non_compliance_request_filed`: a request for a finding of non-compliance.
    NonComplianceRequestFiled [occurred: "The filing."] {
        /// The request.
        request_id: RequestId,
        /// The State.
        state: StateCode,
    } optional {
        /// The warrant concerned.
        warrant_id: WarrantId,
        /// The cooperation request concerned.
        cooperation_request_id: CooperationRequestId,
        /// Who filed it (default: the Prosecutor).
        filed_by: ActorRef,
        /// The filing.
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `non_compliance_proceeding_opened`: a Chamber was seized of whether a State failed to
    /// comply (often undated: a bounded date).
    NonComplianceProceedingOpened [occurred: "The seizure."] {
        /// The proceeding.
        proceeding_id: ProceedingId,
        /// The State.
        state: StateCode,
        /// The situation.
        situation: SituationId,
        /// The seized Chamber.
        chamber: ChamberId,
        /// The legal basis.
        legal_basis: LegalBasis,
    } optional {
        /// The warrant concerned.
        warrant_id: WarrantId,
        /// The cooperation request concerned.
        cooperation_request_id: CooperationRequestId,
        /// The person concerned.
        person: PersonId,
        /// What triggered it.
        trigger: ProceedingTrigger,
        /// The entry recording the conduct (visit, release).
        conduct: EntryRef,
        /// The visit concerned.
        visit_id: VisitId,
    } lists {}
}

payload! {
    /// `chamber_reassigned`: a situation or proceeding moved to another Chamber.
    ChamberReassigned [occurred: "The reassignment."] {
        /// The situation.
        situation: SituationId,
        /// From.
        from: ChamberId,
        /// To.
        to: ChamberId,
    } optional {
        /// A proceeding concerned.
        proceeding_id: ProceedingId,
        /// The Presidency's decision.
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `state_observations_invited`: the Chamber invited the State's observations.
    StateObservationsInvited [occurred: "The invitation."] {
        /// The proceeding.
        proceeding_id: ProceedingId,
        /// The State.
        state: StateCode,
        /// By when.
        deadline: LegalDate,
    } optional {
        /// On what.
        subject: Text,
        /// The decision or order.
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `state_observations_submitted`: the State submitted observations.
    StateObservationsSubmitted [occurred: "The submission."] {
        /// The proceeding.
        proceeding_id: ProceedingId,
        /// The State.
        state: StateCode,
    } optional {
        /// The submission (`ICC-01/11-211-Anx`).
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `non_compliance_decision_issued`: a Chamber's decision on non-compliance — a finding and,
    /// separately, a determination on referral (referred, not referred, deferred).
    NonComplianceDecisionIssued [occurred: "The decision."] {
        /// The decision.
        decision_id: DecisionId,
        /// The proceeding.
        proceeding_id: ProceedingId,
        /// The State.
        state: StateCode,
        /// The situation.
        situation: SituationId,
        /// The Chamber.
        chamber: ChamberId,
        /// Its record number (`ICC-01/18-462`).
        doc_ref: CourtRecordNumber,
        /// The finding.
        finding: Finding,
        /// The referral determination.
        referral: Referral,
    } optional {
        /// The legal basis.
        legal_basis: LegalBasis,
        /// The person concerned (the seed does not name him for Mongolia).
        person: PersonId,
        /// The warrant concerned.
        warrant_id: WarrantId,
        /// The vote on the finding.
        vote_on_finding: Vote,
        /// The vote on the referral.
        vote_on_referral: Vote,
        /// The decision's title.
        title: Text,
        /// The source reports only the decision: the proceeding is taken to have opened on an
        /// unknown date not after it.
        opens_implicitly: bool,
    } lists {
        /// Separate or dissenting opinions.
        opinions: SeparateOpinion,
    }
}

payload! {
    /// `referral_decision_issued`: after a deferral, the Chamber decided on referral.
    ReferralDecisionIssued [occurred: "The decision."] {
        /// The proceeding.
        proceeding_id: ProceedingId,
        /// The Chamber.
        chamber: ChamberId,
        /// Referred or not referred.
        referral: Referral,
    } optional {
        /// The decision.
        decision_id: DecisionId,
        /// Its record number.
        doc_ref: CourtRecordNumber,
        /// The vote.
        vote: Vote,
    } lists {
        /// Separate or dissenting opinions.
        opinions: SeparateOpinion,
    }
}

payload! {
    /// `referral_transmitted`: the Presidency transmitted a finding and referred the matter
    /// to the Assembly or the Security Council (reg. 109(4)).
    ReferralTransmitted [occurred: "The transmission."] {
        /// The proceeding.
        proceeding_id: ProceedingId,
        /// To whom.
        to: TransmissionTarget,
    } optional {
        /// The decision transmitted.
        decision_id: DecisionId,
        /// The transmission.
        doc_ref: DocRef,
        /// The provision (`reg. 109(4)`).
        basis: crate::ids::Provision,
    } lists {}
}

payload! {
    /// `procedural_request_filed`: a request for reconsideration, leave to appeal, a stay,
    /// disqualification, ….
    ProceduralRequestFiled [occurred: "The filing (often bounded)."] {
        /// The request.
        request_id: RequestId,
        /// Its kind.
        kind: RequestKind,
        /// Who filed it.
        filed_by: ActorRef,
    } optional {
        /// The proceeding.
        proceeding_id: ProceedingId,
        /// The decision it targets.
        target_decision: CourtRecordNumber,
        /// The filing (`ICC-01/22-112`, or an annex).
        doc_ref: CourtRecordNumber,
        /// Pages of `doc_ref` (`4-8`).
        pages: Text,
    } lists {}
}

payload! {
    /// `procedural_request_decided`: a request was decided.
    ProceduralRequestDecided [occurred: "The decision."] {
        /// The request.
        request_id: RequestId,
        /// The body that decided (a Chamber, or the Plenary for disqualification).
        deciding_body: ChamberId,
        /// The outcome.
        outcome: RequestOutcome,
    } optional {
        /// The decision (`ICC-01/22-121`).
        doc_ref: CourtRecordNumber,
        /// The reasons, in brief.
        reasons: Text,
    } lists {}
}

payload! {
    /// `appeal_filed`: an appeal against a decision. At least one of `decision_id` and
    /// `appealed_decision`.
    AppealFiled [occurred: "The filing."] {
        /// The appeal.
        appeal_id: AppealId,
        /// The appellant.
        appellant: ActorRef,
    } optional {
        /// The decision appealed, as recorded in this log.
        decision_id: DecisionId,
        /// The decision appealed, by record number.
        appealed_decision: CourtRecordNumber,
        /// The request for leave to appeal granted.
        leave_request_id: RequestId,
        /// The appeal brief.
        doc_ref: CourtRecordNumber,
    } lists {}
}

payload! {
    /// `appeal_judgment_delivered`: the Appeals Chamber decided an appeal.
    AppealJudgmentDelivered [occurred: "The judgment."] {
        /// The appeal.
        appeal_id: AppealId,
        /// The judgment.
        doc_ref: CourtRecordNumber,
        /// What it did to the finding.
        on_finding: OnFinding,
        /// What it did to the referral.
        on_referral: OnReferral,
    } optional {
        /// The vote.
        vote: Vote,
    } lists {
        /// Separate or dissenting opinions.
        opinions: SeparateOpinion,
    }
}

payload! {
    /// `non_compliance_proceeding_closed`: a proceeding closed.
    NonComplianceProceedingClosed [occurred: "The closure."] {
        /// The proceeding.
        proceeding_id: ProceedingId,
        /// Why.
        reason: ClosureReason,
    } optional {} lists {}
}

payload! {
    /// `court_informed_asp`: the President of the Court informed the President of the Assembly
    /// of decisions.
    CourtInformedAsp [occurred: "The communication (often bounded)."] {
        /// The decisions.
        #[serde(deserialize_with = "crate::text::nonempty_distinct")]
        about: Vec<CourtRecordNumber>,
    } optional {
        /// The letter.
        letter: DocRef,
    } lists {}
}

// ============================================================================================
// 6.5 Assembly
// ============================================================================================

payload! {
    /// `asp_session_recorded`: a session of the Assembly, scheduled or held.
    AspSessionRecorded [occurred: "The session's days (a span)."] {
        /// The session number.
        session: u16,
        /// Where.
        place: Text,
        /// Scheduled or held.
        status: SessionStatus,
    } optional {
        /// A resumed session.
        resumed: bool,
    } lists {}
}

payload! {
    /// `asp_resolution_adopted`: the Assembly adopted a resolution (its session is the
    /// symbol's).
    AspResolutionAdopted [occurred: "The adoption (often only the session is known)."] {
        /// The resolution (`ICC-ASP/23/Res.1`).
        symbol: AspDocRef,
    } optional {
        /// Its title.
        title: Text,
    } lists {
        /// Paragraphs worth recording.
        paragraphs: ResolutionParagraph,
    }
}

payload! {
    /// `mandate_allocated`: the Bureau allocated a mandate.
    MandateAllocated [occurred: "The Bureau meeting's date."] {
        /// The meeting.
        meeting: BureauMeetingRef,
        /// The mandate ("non-cooperation").
        mandate: Text,
        /// Who holds it.
        holder: MandateHolder,
    } optional {
        /// Where it is based.
        base: MandateBase,
    } lists {}
}

payload! {
    /// `focal_point_appointed`: the Bureau appointed a State as a focal point on
    /// non-cooperation.
    FocalPointAppointed [occurred: "The appointment (bounded when sources disagree)."] {
        /// The State.
        state: StateCode,
        /// Its regional group.
        region_group: RegionGroup,
        /// The Bureau meeting.
        meeting: BureauMeetingRef,
    } optional {
        /// The term.
        term: Text,
    } lists {}
}

payload! {
    /// `focal_point_mandate_confirmed`: the Bureau confirmed focal points.
    FocalPointMandateConfirmed [occurred: "The confirmation."] {
        /// The States.
        #[serde(deserialize_with = "crate::text::nonempty_distinct")]
        states: Vec<StateCode>,
        /// The Bureau meeting.
        meeting: BureauMeetingRef,
    } optional {
        /// Whether the President of the Assembly serves ex officio for her region.
        president_ex_officio: bool,
    } lists {}
}

payload! {
    /// `asp_president_term_recorded`: a President of the Assembly took office.
    AspPresidentTermRecorded [occurred: "The start of the term."] {
        /// The President.
        person: PersonId,
        /// The President's State.
        state: StateCode,
    } optional {
        /// The end of the term.
        ends: LegalDate,
    } lists {}
}

payload! {
    /// `focal_points_activated`: focal points were activated before a visit.
    FocalPointsActivated [occurred: "The activation (often bounded)."] {
        /// The prevention episode.
        episode_id: EpisodeId,
        /// The wanted person.
        person: PersonId,
        /// The host State.
        state: StateCode,
    } optional {
        /// Including the President's good offices.
        includes_president_good_offices: bool,
        /// The procedure (usually informal).
        track: Track,
    } lists {}
}

payload! {
    /// `focal_points_communication_issued`: focal points informed or reminded States.
    FocalPointsCommunicationIssued [occurred: "The communication."] {
        /// To whom.
        audience: Audience,
        /// What it did.
        #[serde(deserialize_with = "crate::text::nonempty_distinct")]
        kinds: Vec<CommunicationKind>,
    } optional {
        /// The prevention episode.
        episode_id: EpisodeId,
        /// The wanted person.
        person: PersonId,
        /// The host State.
        state: StateCode,
        /// The occasion ("UNGA High-Level Week").
        occasion: Text,
    } lists {
        /// What it recalls (`{"doc": "ICC-ASP/23/Res.5", "para": "8"}`).
        recalls: Citation,
    }
}

payload! {
    /// `asp_president_letter_sent`: the President of the Assembly wrote to a State.
    AspPresidentLetterSent [occurred: "The letter's date."] {
        /// The letter.
        letter_id: LetterId,
        /// The State written to.
        state: StateCode,
        /// The office addressed ("Minister of Foreign Affairs and Trade").
        to_office: Text,
        /// The procedure.
        track: Track,
        /// Its purpose.
        purpose: LetterPurpose,
    } optional {
        /// The President who signed it.
        from: PersonId,
        /// The wanted person concerned.
        person: PersonId,
        /// The prevention episode.
        episode_id: EpisodeId,
        /// The Assembly matter (formal procedure).
        asp_matter_id: AspMatterId,
        /// A deadline for the State's reply.
        reply_deadline: LegalDate,
    } lists {
        /// What it recalls (`{"provision": "art. 86"}`, `{"provision": "art. 89(1)"}`).
        recalls: Citation,
    }
}

payload! {
    /// `asp_president_letter_published`: a letter was made public (often inferred: once the
    /// visit began).
    AspPresidentLetterPublished [occurred: "The publication."] {
        /// The letter.
        letter_id: LetterId,
    } optional {
        /// Where ("X account @PASPKaukoranta").
        channel: Text,
        /// The address.
        url: Text,
    } lists {}
}

payload! {
    /// `state_reply_received`: a State replied to the Assembly. At least one of `letter_id` and
    /// `asp_matter_id`.
    StateReplyReceived [occurred: "The reply."] {
        /// The State.
        state: StateCode,
    } optional {
        /// The letter answered.
        letter_id: LetterId,
        /// The Assembly matter.
        asp_matter_id: AspMatterId,
        /// What it says.
        summary: Text,
        /// The reply.
        doc_ref: DocRef,
    } lists {}
}

payload! {
    /// `bureau_meeting_held`: a meeting of the Bureau.
    BureauMeetingHeld [occurred: "The meeting."] {
        /// The meeting.
        meeting: BureauMeetingRef,
    } optional {
        /// Where.
        place: Text,
        /// The agenda and decisions.
        decisions_doc: DocRef,
    } lists {
        /// Agenda items.
        agenda_items: Text,
    }
}

payload! {
    /// `bureau_took_note`: the Bureau took note of decisions or facts. At least one of
    /// `of_documents` and `of_entries`.
    BureauTookNote [occurred: "When the Bureau took note."] {
    } optional {
        /// The meeting.
        meeting: BureauMeetingRef,
        /// Who informed it (`court:president`).
        informed_by: ActorRef,
        /// What it says.
        text: Text,
    } lists {
        /// The documents noted.
        of_documents: DocRef,
        /// The entries noted.
        of_entries: EntryRef,
    }
}

payload! {
    /// `asp_matter_opened`: a matter opened under the Assembly's formal procedure.
    AspMatterOpened [occurred: "The opening."] {
        /// The matter.
        asp_matter_id: AspMatterId,
        /// The State concerned.
        state: StateCode,
        /// What opened it.
        trigger: AspMatterTrigger,
    } optional {} lists {}
}

payload! {
    /// `bureau_considered_referral`: the Bureau considered a referred matter, the State heard
    /// or not (procedures para. 14(c)).
    BureauConsideredReferral [occurred: "The meeting."] {
        /// The matter.
        asp_matter_id: AspMatterId,
        /// The State concerned.
        state: StateCode,
        /// The meeting.
        meeting: BureauMeetingRef,
        /// Whether the State presented its views.
        state_heard: bool,
    } optional {
        /// The procedures paragraph (`procedures para. 14(c)`).
        procedures_para: crate::ids::Provision,
        /// Who represented the State.
        state_representative: Text,
        /// The State's position.
        state_position_summary: Text,
        /// The outcome ("took note; to be addressed at the 24th session").
        outcome: Text,
    } lists {}
}

payload! {
    /// `emergency_bureau_meeting_convened`: an emergency Bureau meeting on a matter.
    EmergencyBureauMeetingConvened [occurred: "The meeting."] {
        /// The matter.
        asp_matter_id: AspMatterId,
    } optional {
        /// The meeting.
        meeting: BureauMeetingRef,
    } lists {}
}

payload! {
    /// `asp_plenary_scheduled`: a plenary debate was scheduled (a future fact is allowed).
    AspPlenaryScheduled [occurred: "When it was scheduled (may be `unknown`)."] {
        /// The topic ("non-cooperation").
        topic: Text,
        /// The day of the plenary.
        scheduled_for: LegalDate,
        /// The session.
        session: u16,
    } optional {
        /// Its focus.
        focus: Text,
    } lists {
        /// The matters to be addressed.
        asp_matter_ids: AspMatterId,
    }
}

payload! {
    /// `asp_plenary_held`: a plenary debate was held.
    AspPlenaryHeld [occurred: "The debate."] {
        /// The topic.
        topic: Text,
        /// The session.
        session: u16,
    } optional {
        /// The outcome.
        outcome: Text,
    } lists {
        /// The matters addressed.
        asp_matter_ids: AspMatterId,
    }
}

payload! {
    /// `focal_points_meeting_held`: the focal points met (among themselves, with the President,
    /// or to brief a working group or facilitation).
    FocalPointsMeetingHeld [occurred: "The meeting."] {
        /// Its kind.
        kind: MeetingKind,
    } optional {
        /// With whom ("New York Working Group").
        counterpart: Text,
        /// Held virtually.
        r#virtual: bool,
    } lists {
        /// Topics.
        topics: Text,
    }
}

payload! {
    /// `bureau_report_issued`: the Bureau's report on non-cooperation was issued.
    BureauReportIssued [occurred: "The distribution."] {
        /// The report (a symbol, or `job:33-E-261125`).
        report: DocRef,
        /// The session it is for.
        session: u16,
        /// The period it covers.
        period: LegalDate,
    } optional {
        /// The last entry it was generated from.
        covers_up_to: EntryRef,
    } lists {}
}

payload! {
    /// `public_statement_issued`: an organ made a public statement.
    PublicStatementIssued [occurred: "The statement (a span for \"throughout the year\")."] {
        /// Who.
        by: ActorRef,
        /// On what.
        subject: Text,
    } optional {
        /// What it says, in brief.
        summary: Text,
    } lists {}
}

// ============================================================================================
// 6.6 Security Council and OTP reporting
// ============================================================================================

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

            /// Decodes `data` for `entry_type`; `None` for a type not in the catalogue.
            pub(crate) fn decode(
                entry_type: &str,
                data: &serde_json::Value,
            ) -> Option<Result<Event, crate::de::DeError>> {
                match entry_type {
                    $($wire => Some(crate::de::from_value::<$variant>(data, "data").map(Event::$variant)),)*
                    _ => None,
                }
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
