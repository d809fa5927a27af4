//! Warrants, requests and custody (DOMAIN.md §6.2).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::LegalDate;
use crate::ids::{
    ApplicationId, CaseId, ChamberId, CooperationRequestId, CourtRecordNumber, PersonId, Sha256Hex,
    SituationId, WarrantId,
};
use crate::seal::Reveal;
use crate::source::{
    ActorRef, AnomalyCode, Confidence, EntryRef, FieldPath, Provenance, SourceRef,
};
use crate::state::StateCode;
use crate::text::Text;
use crate::vocab::*;

use super::Envelope;

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
