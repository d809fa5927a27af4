//! Non-compliance proceedings (DOMAIN.md §6.4).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::LegalDate;
use crate::ids::{
    AppealId, ChamberId, CooperationRequestId, CourtRecordNumber, DecisionId, DocRef, PersonId,
    ProceedingId, RequestId, SituationId, VisitId, WarrantId,
};
use crate::source::{
    ActorRef, AnomalyCode, Confidence, EntryRef, FieldPath, Provenance, SourceRef,
};
use crate::state::StateCode;
use crate::text::Text;
use crate::vocab::*;

use super::Envelope;

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
