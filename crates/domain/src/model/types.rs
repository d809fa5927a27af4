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
    /// A short machine name for the step (`"arrested"`, `"letter_published"`, …).
    pub what: String,
    /// When it happened (the fact's `occurred`, corrected).
    pub on: Option<LegalDate>,
    /// The entry recording it.
    pub at: EntryRef,
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
