//! The projections of DOMAIN.md §7, as data. [`super::Model`] holds one map of each; the
//! engine fills them while it applies facts. Every item keeps the [`EntryRef`]s of the entries
//! it comes from, so that reports can footnote every statement.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::date::LegalDate;
use crate::ids::{
    AppealId, AspMatterId, BureauMeetingRef, ChamberId, CourtRecordNumber, DecisionId, EpisodeId,
    LetterId, PersonId, ProceedingId, RequestId, Sha256Hex, SituationId, UnDocRef, VisitId,
    WarrantId,
};
use crate::source::{ActorRef, EntryRef};
use crate::state::StateCode;
use crate::text::Text;
use crate::vocab::{
    AspMatterTrigger, ClosureReason, Finding, LegalBasis, LetterPurpose, OnFinding, OnReferral,
    Referral, RegionGroup, RequestKind, RequestOutcome, SituationReferral, StateStatus, Track,
    TransmissionTarget, Visibility, VisitOutcome,
};

/// A dated step of some history: what happened, when (valid time), and which entry says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// What happened.
    pub what: StepKind,
    /// When it happened (the fact's `occurred`, corrected).
    pub on: Option<LegalDate>,
    /// The entry recording it.
    pub at: EntryRef,
}

/// Defines [`StepKind`] from one list: each variant with its serialized name.
macro_rules! step_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// What a [`Step`] records. It serializes as its name ([`StepKind::as_str`]), the
        /// string the model's JSON has always held (`"arrested"`, `"letter_published"`, …).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum StepKind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl StepKind {
            /// Every kind, in the order of the list above.
            pub const ALL: &[StepKind] = &[$(StepKind::$variant,)*];

            /// The step's machine name, as serialized.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(StepKind::$variant => $name,)*
                }
            }
        }
    };
}

step_kinds! {
    /// A warrant issued (`arrest_warrant_issued`).
    Issued = "issued",
    /// A warrant issued under seal (`arrest_warrant_issued_under_seal`).
    IssuedUnderSeal = "issued_under_seal",
    /// A warrant asserted outstanding by an opening balance (`prior_fact_asserted`).
    AssertedOutstanding = "asserted_outstanding",
    /// A warrant amended (`arrest_warrant_amended`).
    Amended = "amended",
    /// A warrant unsealed (`arrest_warrant_unsealed`).
    Unsealed = "unsealed",
    /// A warrant withdrawn (`arrest_warrant_withdrawn`), or proceedings terminated (`proceedings_terminated`).
    Withdrawn = "withdrawn",
    /// A request for arrest and surrender transmitted (`cooperation_request_transmitted`).
    CooperationRequestTransmitted = "cooperation_request_transmitted",
    /// A reminder by the Court (`court_reminder_issued`).
    CourtReminder = "court_reminder",
    /// The person arrested (`person_arrested`).
    Arrested = "arrested",
    /// Custodial proceedings opened (`custodial_proceedings_recorded`).
    CustodialProceedingsOpened = "custodial_proceedings_opened",
    /// Custodial proceedings completed (`custodial_proceedings_recorded`).
    CustodialProceedingsCompleted = "custodial_proceedings_completed",
    /// The person released without surrender (`person_released_without_surrender`).
    ReleasedWithoutSurrender = "released_without_surrender",
    /// The person surrendered (`person_surrendered`).
    Surrendered = "surrendered",
    /// Domestic custody recorded (`domestic_custody_recorded`).
    DomesticCustody = "domestic_custody",
    /// The warrant's subject died (`person_death_recorded`).
    SubjectDeceased = "subject_deceased",
    /// A proceeding asserted open by an opening balance (`prior_fact_asserted`).
    AssertedOpen = "asserted_open",
    /// A non-compliance proceeding or an Assembly matter opened.
    Opened = "opened",
    /// A proceeding opened by the decision that is the first record of it.
    OpenedImplicitly = "opened_implicitly",
    /// The proceeding's chamber reassigned (`chamber_reassigned`).
    ChamberReassigned = "chamber_reassigned",
    /// A State invited to submit observations (`state_observations_invited`).
    ObservationsInvited = "observations_invited",
    /// A State's observations submitted (`state_observations_submitted`).
    ObservationsSubmitted = "observations_submitted",
    /// A non-compliance decision (`non_compliance_decision_issued`).
    DecisionIssued = "decision_issued",
    /// A referral decision (`referral_decision_issued`).
    ReferralDecisionIssued = "referral_decision_issued",
    /// A referral transmitted (`referral_transmitted`).
    ReferralTransmitted = "referral_transmitted",
    /// An appeal judgment (`appeal_judgment_delivered`).
    AppealJudgment = "appeal_judgment",
    /// A proceeding closed (`non_compliance_proceeding_closed`).
    Closed = "closed",
    /// An article 97 consultation requested.
    ConsultationRequested = "consultation_requested",
    /// An article 97 consultation answered.
    ConsultationResponded = "consultation_responded",
    /// Travel information received (`travel_information_received`).
    TravelInformationReceived = "travel_information_received",
    /// The visit itself (`wanted_person_visit_recorded`).
    Visit = "visit",
    /// The focal points activated (`focal_points_activated`).
    FocalPointsActivated = "focal_points_activated",
    /// A communication of the focal points (`focal_points_communication_issued`).
    FocalPointsCommunication = "focal_points_communication",
    /// A letter of the President sent (`asp_president_letter_sent`).
    LetterSent = "letter_sent",
    /// A letter of the President published (`asp_president_letter_published`).
    LetterPublished = "letter_published",
    /// A State's reply received (`state_reply_received`).
    StateReplyReceived = "state_reply_received",
    /// The Bureau considered a referral (`bureau_considered_referral`).
    BureauConsideredReferral = "bureau_considered_referral",
    /// An emergency Bureau meeting convened (`emergency_bureau_meeting_convened`).
    EmergencyBureauMeeting = "emergency_bureau_meeting",
    /// A plenary scheduled (`asp_plenary_scheduled`).
    PlenaryScheduled = "plenary_scheduled",
    /// A plenary held (`asp_plenary_held`).
    PlenaryHeld = "plenary_held",
    /// A focal point's mandate confirmed (`focal_point_mandate_confirmed`).
    MandateConfirmed = "mandate_confirmed",
}

impl std::fmt::Display for StepKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for StepKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Persons and situations
// ---------------------------------------------------------------------------------------------

/// A situation before the Court (`situation_registered`, `unsc_referral_recorded`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Situation {
    /// Its id.
    pub id: SituationId,
    /// Its name, if registered.
    pub name: Option<Text>,
    /// How it came before the Court.
    pub referral: Option<SituationReferral>,
    /// The Security Council resolution referring it, if any.
    pub unsc_resolution: Option<UnDocRef>,
    /// States bound by that resolution.
    pub unsc_bound_states: Vec<StateCode>,
    /// Entries about it.
    pub at: Vec<EntryRef>,
}

impl Situation {
    /// Whether the Security Council referred it (a referral to the Council is possible).
    pub fn referred_by_unsc(&self) -> bool {
        self.referral == Some(SituationReferral::UnscReferral) || self.unsc_resolution.is_some()
    }
}

/// Person status (DOMAIN.md §7.2), derived from the person's warrants and custody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum PersonStatus {
    /// At least one warrant outstanding.
    AtLarge,
    /// Held by a State on domestic charges (warrants stay outstanding).
    InDomesticCustody {
        /// The State.
        state: StateCode,
    },
    /// Arrested by a State under a warrant, not yet surrendered.
    InStateCustodyPendingSurrender {
        /// The State.
        state: StateCode,
    },
    /// Surrendered to the Court.
    InIccCustody,
    /// Deceased.
    Deceased,
    /// No active warrant or proceedings known.
    NoActiveProceedings,
}

/// A person (`person_registered`, aliases, death) with what the warrants say of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    /// Their id.
    pub id: PersonId,
    /// Their primary name (if registered).
    pub name: Option<Text>,
    /// Aliases.
    pub aliases: Vec<Text>,
    /// Nationality.
    pub nationality: Option<StateCode>,
    /// Derived status.
    pub status: PersonStatus,
    /// Their warrants.
    pub warrants: Vec<WarrantId>,
    /// Known visits.
    pub visits: Vec<VisitId>,
    /// Releases without surrender: by which State, when, which entry.
    pub releases: Vec<Release>,
    /// Date of death, if recorded.
    pub died: Option<LegalDate>,
    /// The entry recording the death.
    pub died_at: Option<EntryRef>,
    /// Held now by this State on domestic grounds (`domestic_custody_recorded` started, not
    /// ended), and the entry recording it.
    pub domestic_custody: Option<(StateCode, Step)>,
    /// Entries about them.
    pub at: Vec<EntryRef>,
}

/// A release without surrender, charged to the releasing State.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    /// The warrant.
    pub warrant: WarrantId,
    /// The State that released the person.
    pub state: StateCode,
    /// When.
    pub on: LegalDate,
    /// Where the person was sent.
    pub expelled_to: Option<StateCode>,
    /// The entry.
    pub at: EntryRef,
}

// ---------------------------------------------------------------------------------------------
// Warrants
// ---------------------------------------------------------------------------------------------

/// Warrant execution (DOMAIN.md §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "execution")]
pub enum Execution {
    /// Issued, not executed.
    Outstanding,
    /// The person is held by this State under the warrant.
    InStateCustody {
        /// The State.
        state: StateCode,
    },
    /// Surrendered to the Court (terminal for execution).
    Surrendered,
    /// Withdrawn (terminal).
    Withdrawn,
    /// The person died; awaiting withdrawal or termination.
    SubjectDeceased,
}

/// A warrant of arrest: both axes, and its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warrant {
    /// Its id.
    pub id: WarrantId,
    /// The person (unknown for a warrant still under seal).
    pub person: Option<PersonId>,
    /// The situation.
    pub situation: Option<SituationId>,
    /// The issuing Chamber.
    pub chamber: Option<ChamberId>,
    /// Its court record number.
    pub doc_ref: Option<CourtRecordNumber>,
    /// When it was issued (for an asserted prior warrant: on or before `issued_before`, a
    /// date bounded above only).
    pub issued: Option<LegalDate>,
    /// Known only from `prior_fact_asserted` (an opening balance), not from its issue.
    pub asserted_only: bool,
    /// Execution axis.
    pub execution: Execution,
    /// Visibility axis.
    pub visibility: Visibility,
    /// For a warrant recorded under seal: the commitment, and whether an unsealing revealed
    /// content matching it.
    pub seal: Option<Seal>,
    /// Every transition, in log order; an issue superseding the opening balance that asserted
    /// the warrant comes first (it is the warrant's origin), before the assertion.
    pub history: Vec<Step>,
}

/// A sealed warrant's commitment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seal {
    /// The recorded commitment.
    pub commitment: Sha256Hex,
    /// Whether its content has been revealed (and matched the commitment).
    pub revealed: bool,
}

// ---------------------------------------------------------------------------------------------
// Non-compliance proceedings, requests, appeals
// ---------------------------------------------------------------------------------------------

/// Where a non-compliance proceeding stands (DOMAIN.md §7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The Chamber is seized.
    Opened,
    /// The State is invited to submit observations.
    AwaitingObservations,
    /// Decided: no finding of non-compliance.
    NoFinding,
    /// Finding, not referred.
    FindingNotReferred,
    /// Finding and referral (see `referral`), not yet transmitted.
    FindingReferred,
    /// Finding made; the determination on referral deferred.
    FindingReferralDeferred,
    /// Referral transmitted by the Presidency (see `transmitted`).
    Transmitted,
    /// Closed.
    Closed,
}

/// A decision in a proceeding (non-compliance decision, referral decision, appeal judgment).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRecord {
    /// The decision id, if given.
    pub id: Option<DecisionId>,
    /// The court record number.
    pub doc_ref: Option<CourtRecordNumber>,
    /// When.
    pub on: LegalDate,
    /// The finding (for a non-compliance decision).
    pub finding: Option<Finding>,
    /// The determination on referral.
    pub referral: Option<Referral>,
    /// The entry.
    pub at: EntryRef,
}

/// A non-compliance proceeding against a State.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proceeding {
    /// Its id.
    pub id: ProceedingId,
    /// The State concerned.
    pub state: StateCode,
    /// The situation.
    pub situation: Option<SituationId>,
    /// The Chamber seized.
    pub chamber: Option<ChamberId>,
    /// The legal basis.
    pub legal_basis: Option<LegalBasis>,
    /// The person whose arrest and surrender is in question, if known.
    pub person: Option<PersonId>,
    /// The warrant, if known.
    pub warrant: Option<WarrantId>,
    /// When the Chamber was seized (bounded when only implied by a decision).
    pub opened: Option<LegalDate>,
    /// Opened only implicitly (by a decision that says so), not by its own entry.
    pub opened_implicitly: bool,
    /// Where it stands.
    pub stage: Stage,
    /// The current finding.
    pub finding: Option<Finding>,
    /// The current determination on referral.
    pub referral: Option<Referral>,
    /// Referral reversed on appeal.
    pub referral_reversed_on_appeal: bool,
    /// Bodies a referral may go to: ASP always (for art. 87(7)), UNSC only if the Council
    /// referred the situation.
    pub eligible_targets: Vec<TransmissionTarget>,
    /// Transmissions by the Presidency.
    pub transmitted: Vec<(TransmissionTarget, Step)>,
    /// Deadline for observations, if invited and not yet submitted or lapsed.
    pub observations_deadline: Option<LegalDate>,
    /// Decisions, in log order.
    pub decisions: Vec<DecisionRecord>,
    /// Procedural requests filed in it.
    pub requests: Vec<RequestId>,
    /// Appeals.
    pub appeals: Vec<AppealId>,
    /// Closure.
    pub closed: Option<(ClosureReason, Step)>,
    /// Every step, in log order; an opening superseding the opening balance that asserted the
    /// proceeding open comes first, before the assertion.
    pub history: Vec<Step>,
}

/// A procedural request (DOMAIN.md §7.4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProceduralRequest {
    /// Its id.
    pub id: RequestId,
    /// Its kind.
    pub kind: RequestKind,
    /// Who filed it.
    pub filed_by: ActorRef,
    /// When.
    pub filed: LegalDate,
    /// The proceeding.
    pub proceeding: Option<ProceedingId>,
    /// The decision it targets.
    pub target_decision: Option<CourtRecordNumber>,
    /// Its own record number.
    pub doc_ref: Option<CourtRecordNumber>,
    /// The decision on it, once decided.
    pub decided: Option<RequestDecision>,
    /// The filing entry.
    pub at: EntryRef,
}

/// The decision on a procedural request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestDecision {
    /// The body that decided.
    pub body: ChamberId,
    /// The outcome.
    pub outcome: RequestOutcome,
    /// When.
    pub on: LegalDate,
    /// The decision's record number.
    pub doc_ref: Option<CourtRecordNumber>,
    /// The entry.
    pub at: EntryRef,
}

/// An appeal against a decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appeal {
    /// Its id.
    pub id: AppealId,
    /// The appellant.
    pub appellant: ActorRef,
    /// The proceeding, if the appealed decision is known.
    pub proceeding: Option<ProceedingId>,
    /// When filed.
    pub filed: LegalDate,
    /// The judgment, once delivered.
    pub judgment: Option<(OnFinding, OnReferral, Step)>,
    /// The filing entry.
    pub at: EntryRef,
}

// ---------------------------------------------------------------------------------------------
// Assembly: matters, prevention episodes, letters, roster
// ---------------------------------------------------------------------------------------------

/// An Assembly matter under the formal procedure (DOMAIN.md §7.5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AspMatter {
    /// Its id.
    pub id: AspMatterId,
    /// The State concerned.
    pub state: StateCode,
    /// What opened it.
    pub trigger: AspMatterTrigger,
    /// When.
    pub opened: LegalDate,
    /// Formal steps (emergency meeting, letters, Bureau consideration, plenary), in log order.
    pub steps: Vec<Step>,
    /// Whether the State was heard by the Bureau.
    pub state_heard: bool,
    /// Plenary scheduled for this date (not yet held).
    pub plenary_scheduled: Option<LegalDate>,
    /// Plenary held.
    pub plenary_held: Option<LegalDate>,
    /// The opening entry (for a matter opened implicitly, the `referral_transmitted` entry).
    pub at: EntryRef,
    /// Opened by the Presidency's transmission of a referral to the Assembly, not (yet) by an
    /// `asp_matter_opened` entry of its own.
    pub opened_implicitly: bool,
    /// The proceeding whose referral opened it, for a Court referral.
    pub proceeding: Option<ProceedingId>,
}

/// A letter of the President of the Assembly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Letter {
    /// Its id.
    pub id: LetterId,
    /// Addressed to this State.
    pub state: StateCode,
    /// The office addressed.
    pub to_office: Text,
    /// Informal or formal track.
    pub track: Track,
    /// Its purpose.
    pub purpose: LetterPurpose,
    /// Its date.
    pub dated: LegalDate,
    /// When published, and by which entry.
    pub published: Option<Step>,
    /// The episode or matter it belongs to.
    pub episode: Option<EpisodeId>,
    /// The Assembly matter it belongs to.
    pub asp_matter: Option<AspMatterId>,
    /// The entry.
    pub at: EntryRef,
}

/// A prevention episode (informal procedure): one person's visit to one State.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Episode {
    /// Its id.
    pub id: EpisodeId,
    /// The person.
    pub person: Option<PersonId>,
    /// The host State.
    pub state: StateCode,
    /// Steps (travel information, focal points activated, letters, communications, visit),
    /// in log order.
    pub steps: Vec<Step>,
    /// The visit, if recorded.
    pub visit: Option<VisitId>,
    /// When the visit took place.
    pub visit_period: Option<LegalDate>,
    /// The outcome.
    pub outcome: Option<VisitOutcome>,
    /// A non-compliance proceeding that followed (same person and State).
    pub proceeding: Option<ProceedingId>,
}

/// One focal point on non-cooperation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FocalPoint {
    /// The State.
    pub state: StateCode,
    /// Its regional group.
    pub region: Option<RegionGroup>,
    /// When appointed (bounded when sources disagree).
    pub appointed: Option<LegalDate>,
    /// At which Bureau meeting.
    pub meeting: Option<BureauMeetingRef>,
    /// Confirmations of its mandate.
    pub confirmed: Vec<Step>,
    /// The appointing entry.
    pub at: EntryRef,
}

/// The focal-point roster (DOMAIN.md §7.7).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Roster {
    /// Focal points, by State.
    pub members: BTreeMap<StateCode, FocalPoint>,
    /// The State of the President of the Assembly, focal point ex officio, if recorded.
    pub president_ex_officio: Option<StateCode>,
    /// Terms of Presidents of the Assembly (`asp_president_term_recorded`), in log order.
    pub presidents: Vec<PresidentTerm>,
}

/// A term of office of a President of the Assembly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PresidentTerm {
    /// The President.
    pub person: PersonId,
    /// The President's State.
    pub state: StateCode,
    /// The start of the term.
    pub from: LegalDate,
    /// The end of the term, if recorded.
    pub ends: Option<LegalDate>,
    /// The entry.
    pub at: EntryRef,
}

/// A meeting of the Bureau (`bureau_meeting_held`), as cited by appointments and decisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BureauMeeting {
    /// The meeting.
    pub meeting: BureauMeetingRef,
    /// When it was held.
    pub on: LegalDate,
    /// The entry.
    pub at: EntryRef,
}

/// A visit of a wanted person to a State (`wanted_person_visit_recorded`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Visit {
    /// The visit.
    pub id: VisitId,
    /// The person.
    pub person: PersonId,
    /// The host State.
    pub state: StateCode,
    /// When (usually a span).
    pub period: LegalDate,
    /// The outcome the event states, if it states one (the episode carries the derived one).
    pub outcome: Option<VisitOutcome>,
    /// The prevention episode it belongs to.
    pub episode: Option<EpisodeId>,
    /// The entry.
    pub at: EntryRef,
}

// ---------------------------------------------------------------------------------------------
// States
// ---------------------------------------------------------------------------------------------

/// A change of a State's status under the Statute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusChange {
    /// From this date.
    pub from: LegalDate,
    /// The status.
    pub status: StateStatus,
    /// The entry.
    pub at: EntryRef,
}

/// The report section a State's conduct belongs to (DOMAIN.md §7.6, §10.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// II: States Parties (including those with a withdrawal pending).
    StatesParties,
    /// III: non-parties bound by a Security Council resolution.
    UnscObligation,
    /// IV: other non-parties.
    NonParties,
}

/// A State's record: status history and compliance (DOMAIN.md §7.6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateRecord {
    /// The State.
    pub state: StateCode,
    /// Status changes, ordered by date.
    pub status_history: Vec<StatusChange>,
    /// Security Council resolutions binding it: resolution, situation, entry.
    pub unsc_obligations: Vec<(UnDocRef, SituationId, EntryRef)>,
    /// Article 12(3) declarations: the period covered, entry.
    pub declarations: Vec<(LegalDate, EntryRef)>,
    /// Prevention episodes it hosted.
    pub episodes: Vec<EpisodeId>,
    /// Releases without surrender it made.
    pub releases: Vec<Release>,
    /// Article 97 consultations it requested.
    pub consultations: Vec<Step>,
    /// Non-compliance proceedings against it.
    pub proceedings: Vec<ProceedingId>,
    /// Findings of non-compliance (entries of the decisions).
    pub findings: Vec<EntryRef>,
    /// Referrals: target and the transmission entry.
    pub referrals: Vec<(TransmissionTarget, EntryRef)>,
    /// Letters received from the President of the Assembly.
    pub letters: Vec<LetterId>,
    /// Times the Bureau heard it.
    pub bureau_hearings: Vec<Step>,
}

/// A State's status on a day, with the entry it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusOn {
    /// The day asked about.
    pub day: NaiveDate,
    /// The status, if known.
    pub status: Option<StateStatus>,
    /// Bound by a Security Council resolution on that day.
    pub unsc_bound: bool,
    /// The entry the status comes from.
    pub at: Option<EntryRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names the model's JSON held when `what` was a string: a kind's name is part of the
    /// output and must not change.
    const NAMES: &[&str] = &[
        "amended",
        "appeal_judgment",
        "arrested",
        "asserted_open",
        "asserted_outstanding",
        "bureau_considered_referral",
        "chamber_reassigned",
        "closed",
        "consultation_requested",
        "consultation_responded",
        "cooperation_request_transmitted",
        "court_reminder",
        "custodial_proceedings_completed",
        "custodial_proceedings_opened",
        "decision_issued",
        "domestic_custody",
        "emergency_bureau_meeting",
        "focal_points_activated",
        "focal_points_communication",
        "issued",
        "issued_under_seal",
        "letter_published",
        "letter_sent",
        "mandate_confirmed",
        "observations_invited",
        "observations_submitted",
        "opened",
        "opened_implicitly",
        "plenary_held",
        "plenary_scheduled",
        "referral_decision_issued",
        "referral_transmitted",
        "released_without_surrender",
        "state_reply_received",
        "subject_deceased",
        "surrendered",
        "travel_information_received",
        "unsealed",
        "visit",
        "withdrawn",
    ];

    #[test]
    fn step_kinds_serialize_as_their_names() {
        let mut names: Vec<&str> = StepKind::ALL.iter().map(|k| k.as_str()).collect();
        for k in StepKind::ALL {
            let json = serde_json::to_string(k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(k.to_string(), k.as_str());
        }
        names.sort_unstable();
        assert_eq!(names, NAMES);
    }

    #[test]
    fn a_step_serializes_what_as_a_string() {
        let step = Step {
            what: StepKind::IssuedUnderSeal,
            on: None,
            at: EntryRef {
                seq: 3,
                hash: acta_core::EntryHash::of_line(b""),
            },
        };
        let json = serde_json::to_value(&step).unwrap();
        assert_eq!(json["what"], "issued_under_seal");
    }
}
