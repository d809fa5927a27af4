//! The closed vocabularies of event fields (kinds, outcomes, reasons), each a string on the
//! wire with a frozen spelling, and the small structured values built from them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::LegalDate;
use crate::ids::{AspMatterId, CourtRecordNumber, PersonId, ProceedingId, VisitId};
use crate::text::Text;

/// Defines a unit-only enum whose variants are written as frozen strings.
macro_rules! wire_enum {
    ($(
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)* }
    )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The value as written.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $wire,)* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

wire_enum! {
    /// What kind of document a registered source is.
    DocKind {
        /// A record of the Court.
        CourtRecord = "court_record",
        /// An Assembly document.
        AspDocument = "asp_document",
        /// A UN document.
        UnDocument = "un_document",
        /// A Bureau decision (agenda and decisions).
        BureauDecision = "bureau_decision",
        /// A press release.
        PressRelease = "press_release",
        /// A letter.
        Letter = "letter",
        /// A report (e.g. of the Prosecutor to the Security Council).
        Report = "report",
        /// A post on a social network.
        SocialMediaPost = "social_media_post",
        /// Anything else.
        Other = "other",
    }

    /// How a situation came before the Court.
    SituationReferral {
        /// Referred by one or more States Parties (art. 13(a)).
        StateReferral = "state_referral",
        /// Referred by the Security Council (art. 13(b)).
        UnscReferral = "unsc_referral",
        /// Opened by the Prosecutor proprio motu (art. 13(c), 15).
        ProprioMotu = "proprio_motu",
    }

    /// The instrument by which a State became a Party.
    Instrument {
        /// Ratification.
        Ratification = "ratification",
        /// Accession.
        Accession = "accession",
        /// Acceptance.
        Acceptance = "acceptance",
        /// Approval.
        Approval = "approval",
        /// Succession.
        Succession = "succession",
    }

    /// Whether a registered person is a subject of proceedings or an official.
    PersonKind {
        /// A person subject to a warrant or summons.
        Subject = "subject",
        /// An official (a judge, a President, a minister).
        Official = "official",
    }

    /// A State's status under the Statute.
    StateStatus {
        /// A State Party.
        Party = "party",
        /// A State Party whose withdrawal is notified but not yet effective.
        WithdrawalPending = "withdrawal_pending",
        /// Not a Party.
        NonParty = "non_party",
    }

    /// Why a correction is made.
    CorrectionBasis {
        /// The source contradicts itself; the corrected value is the consistent one.
        InternalConsistency = "internal_consistency",
        /// Another source gives the corrected value.
        ExternalSource = "external_source",
        /// The publisher issued a corrigendum.
        OfficialCorrigendum = "official_corrigendum",
    }

    /// Why an entry is retracted.
    RetractionReason {
        /// Recorded in error.
        EnteredInError = "entered_in_error",
        /// A duplicate of another entry.
        Duplicate = "duplicate",
    }

    /// How much of a warrant is public.
    Visibility {
        /// Under seal.
        Sealed = "sealed",
        /// Its existence (and the person's name) is disclosed, not its text.
        ExistenceDisclosed = "existence_disclosed",
        /// A public redacted version exists.
        PublicRedacted = "public_redacted",
        /// Public.
        Public = "public",
    }

    /// How judges voted.
    Vote {
        /// Unanimously.
        Unanimous = "unanimous",
        /// By majority.
        Majority = "majority",
    }

    /// A category of crime under the Statute.
    Crime {
        /// Genocide (art. 6).
        Genocide = "genocide",
        /// Crimes against humanity (art. 7).
        CrimesAgainstHumanity = "crimes_against_humanity",
        /// War crimes (art. 8).
        WarCrimes = "war_crimes",
        /// The crime of aggression (art. 8 bis).
        Aggression = "aggression",
        /// Offences against the administration of justice (art. 70).
        OffencesAgainstJustice = "offences_against_administration_of_justice",
    }

    /// Why a warrant was withdrawn.
    WarrantWithdrawalReason {
        /// The person died.
        Death = "death",
        /// At the Prosecutor's request.
        ProsecutionRequest = "prosecution_request",
        /// Replaced by another warrant.
        Superseded = "superseded",
        /// Another reason.
        Other = "other",
    }

    /// Why the Court reminded a State of a pending request.
    ReminderReason {
        /// The person is expected to travel to the State.
        AnticipatedTravel = "anticipated_travel",
        /// Another reason.
        Other = "other",
    }

    /// On what basis a person was arrested.
    ArrestBasis {
        /// The ICC warrant (request for arrest and surrender).
        IccWarrant = "icc_warrant",
        /// An INTERPOL red notice.
        RedNotice = "red_notice",
        /// A request for provisional arrest (art. 92).
        ProvisionalArrest = "provisional_arrest",
        /// Another basis.
        Other = "other",
    }

    /// A phase of the custodial State's proceedings (art. 59).
    CustodialPhase {
        /// Opened.
        Opened = "opened",
        /// Completed.
        Completed = "completed",
    }

    /// A phase of domestic (non-ICC) custody.
    DomesticCustodyPhase {
        /// Custody began.
        Started = "started",
        /// Custody ended.
        Ended = "ended",
    }

    /// A milestone of a case.
    CaseMilestone {
        /// Confirmation of charges hearing.
        ConfirmationHearing = "confirmation_hearing",
        /// Charges confirmed.
        ChargesConfirmed = "charges_confirmed",
        /// Charges not confirmed.
        ChargesDeclined = "charges_declined",
        /// Trial opened.
        TrialOpened = "trial_opened",
        /// Trial judgment.
        TrialJudgment = "trial_judgment",
        /// Sentence.
        Sentence = "sentence",
        /// Appeal judgment in the case.
        AppealJudgment = "appeal_judgment",
        /// Another milestone.
        Other = "other",
    }

    /// Why proceedings against a person or in a case ended.
    TerminationReason {
        /// The person died.
        Death = "death",
        /// The charges were withdrawn.
        ChargesWithdrawn = "charges_withdrawn",
        /// Another reason.
        Other = "other",
    }

    /// Where travel information came from.
    TravelSourceKind {
        /// A notification by the Office of the Prosecutor.
        OtpNotification = "otp_notification",
        /// A State.
        State = "state",
        /// The media.
        Media = "media",
        /// Another source.
        Other = "other",
    }

    /// What happened during a visit of a wanted person.
    VisitOutcome {
        /// The person was arrested.
        Arrested = "arrested",
        /// The person was not arrested.
        NotArrested = "not_arrested",
        /// The visit did not take place.
        Cancelled = "cancelled",
    }

    /// The legal basis of a non-compliance proceeding.
    LegalBasis {
        /// Art. 87(7): a State Party.
        Art87_7 = "art_87_7",
        /// Art. 87(5)(b): a non-party with an ad hoc arrangement or agreement.
        Art87_5b = "art_87_5_b",
        /// An obligation under a Security Council resolution.
        UnscObligation = "unsc_obligation",
    }

    /// What set a non-compliance proceeding going.
    ProceedingTrigger {
        /// A request of the Prosecutor.
        OtpRequest = "otp_request",
        /// The Chamber's own motion.
        ProprioMotu = "proprio_motu",
        /// A visit of the person to the State.
        AfterVisit = "after_visit",
        /// The person's release by the State.
        AfterRelease = "after_release",
        /// Something else.
        Other = "other",
    }

    /// A Chamber's determination on non-compliance.
    Finding {
        /// The State failed to comply.
        NonCompliant = "non_compliant",
        /// No finding of non-compliance.
        NoNonCompliance = "no_non_compliance",
        /// The source does not state the finding.
        NotStated = "not_stated",
    }

    /// To whom a matter is referred.
    ReferralTarget {
        /// The Assembly of States Parties.
        Asp = "asp",
        /// The Security Council.
        Unsc = "unsc",
        /// Both.
        AspAndUnsc = "asp_and_unsc",
    }

    /// To whom the Presidency transmits a referral (one transmission per body).
    TransmissionTarget {
        /// The Assembly of States Parties.
        Asp = "asp",
        /// The Security Council.
        Unsc = "unsc",
    }

    /// The kind of a separate opinion.
    OpinionKind {
        /// Dissenting.
        Dissenting = "dissenting",
        /// Partially dissenting.
        PartiallyDissenting = "partially_dissenting",
        /// Separate.
        Separate = "separate",
        /// Concurring.
        Concurring = "concurring",
    }

    /// The kind of a procedural request.
    RequestKind {
        /// Reconsideration.
        Reconsideration = "reconsideration",
        /// Partial reconsideration.
        PartialReconsideration = "partial_reconsideration",
        /// Leave to appeal (art. 82(1)(d)).
        LeaveToAppeal = "leave_to_appeal",
        /// A (temporary) stay of the proceedings.
        TemporaryStay = "temporary_stay",
        /// Disqualification of judges (art. 41(2)): decided by the Plenary of Judges.
        Disqualification = "disqualification",
        /// Reconsideration of a decision on disqualification: decided by the Plenary.
        DisqualificationReconsideration = "disqualification_reconsideration",
        /// Another request.
        Other = "other",
    }

    /// How a procedural request was decided.
    RequestOutcome {
        /// Granted.
        Granted = "granted",
        /// Partly granted.
        PartlyGranted = "partly_granted",
        /// Rejected on the merits.
        Rejected = "rejected",
        /// Dismissed (e.g. in limine).
        Dismissed = "dismissed",
    }

    /// What an appeal judgment did to the finding.
    OnFinding {
        /// Confirmed.
        Confirmed = "confirmed",
        /// Reversed.
        Reversed = "reversed",
        /// Not addressed (e.g. the appeal was inadmissible or concerned the referral only).
        NotAddressed = "not_addressed",
    }

    /// What an appeal judgment did to the referral.
    OnReferral {
        /// Confirmed.
        Confirmed = "confirmed",
        /// Reversed.
        Reversed = "reversed",
        /// Remanded to the Chamber for a new determination.
        Remanded = "remanded",
        /// There was no referral determination to review.
        NotApplicable = "not_applicable",
    }

    /// Why a non-compliance proceeding closed.
    ClosureReason {
        /// A final decision.
        FinalDecision = "final_decision",
        /// No further action.
        NoFurtherAction = "no_further_action",
        /// Withdrawn.
        Withdrawn = "withdrawn",
        /// Another reason.
        Other = "other",
    }

    /// Whether an Assembly session is scheduled or was held.
    SessionStatus {
        /// Scheduled.
        Scheduled = "scheduled",
        /// Held.
        Held = "held",
    }

    /// Who holds a Bureau mandate.
    MandateHolder {
        /// Ad country focal points.
        AdCountryFocalPoints = "ad_country_focal_points",
        /// A facilitator.
        Facilitator = "facilitator",
        /// Someone else.
        Other = "other",
    }

    /// Where a mandate is based.
    MandateBase {
        /// New York.
        NewYork = "new_york",
        /// The Hague.
        TheHague = "the_hague",
    }

    /// A United Nations regional group.
    RegionGroup {
        /// African States.
        African = "african",
        /// Asia-Pacific States.
        AsiaPacific = "asia_pacific",
        /// Eastern European States.
        EasternEuropean = "eastern_european",
        /// Latin American and Caribbean States.
        LatinAmericanCaribbean = "latin_american_and_caribbean",
        /// Western European and other States.
        WesternEuropeanOthers = "western_european_and_others",
    }

    /// Which Assembly procedure a step belongs to (DOMAIN.md §3.1).
    Track {
        /// The informal procedure (prevention, good offices).
        Informal = "informal",
        /// The formal procedure (after a referral, or urgent).
        Formal = "formal",
    }

    /// What a letter of the President of the Assembly is for.
    LetterPurpose {
        /// A reminder before an announced visit.
        PreVisitReminder = "pre_visit_reminder",
        /// The open letter of the formal procedure after a referral.
        OpenLetterAfterReferral = "open_letter_after_referral",
        /// Another purpose.
        Other = "other",
    }

    /// To whom focal points addressed a communication.
    Audience {
        /// All States Parties.
        AllStatesParties = "all_states_parties",
        /// The public.
        Public = "public",
        /// The State concerned.
        StateConcerned = "state_concerned",
    }

    /// What a focal-point communication did.
    CommunicationKind {
        /// Alerted States to a visit.
        VisitAlert = "visit_alert",
        /// Reminded States of the Toolkit.
        ToolkitReminder = "toolkit_reminder",
        /// A general message.
        Message = "message",
    }

    /// The kind of a focal-point meeting.
    MeetingKind {
        /// Strategic planning (programme of work).
        StrategicPlanning = "strategic_planning",
        /// Internal.
        Internal = "internal",
        /// With the President of the Assembly.
        WithPresident = "with_president",
        /// A briefing of the Cooperation facilitation.
        FacilitationBriefing = "facilitation_briefing",
        /// An update to the New York Working Group.
        NywgUpdate = "nywg_update",
        /// With stakeholders.
        Stakeholders = "stakeholders",
        /// Another kind.
        Other = "other",
    }

    /// What the Security Council did.
    UnscActionKind {
        /// Adopted a resolution.
        Resolution = "resolution",
        /// Issued a presidential statement.
        PresidentialStatement = "presidential_statement",
        /// Held a meeting.
        Meeting = "meeting",
        /// Took no action.
        NoAction = "no_action",
    }
}

/// A Chamber's determination on referral, in a non-compliance decision.
///
/// JSON: `"not_referred"`, `"not_stated"`, `{"referred": "asp"}` (or `"unsc"`,
/// `"asp_and_unsc"`), `{"deferred": {"invitation": "…", "deadline": "2025-10-31"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Referral {
    /// Referred to the Assembly and/or the Security Council.
    #[serde(rename = "referred")]
    Referred(ReferralTarget),
    /// Not referred.
    #[serde(rename = "not_referred")]
    NotReferred,
    /// The determination on referral is deferred (e.g. pending the State's information).
    #[serde(rename = "deferred")]
    Deferred(Deferral),
    /// The source does not state it.
    #[serde(rename = "not_stated")]
    NotStated,
}

/// The terms of a deferred referral determination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deferral {
    /// What the State is invited to provide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<Text>,
    /// By when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<LegalDate>,
}

/// A separate, dissenting or concurring opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeparateOpinion {
    /// The judge, by name as published.
    pub judge: Text,
    /// The judge, if registered as a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// Its kind.
    pub kind: OpinionKind,
    /// Its record number (often the decision's `-Anx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_ref: Option<CourtRecordNumber>,
}

/// To whom a cooperation request went.
///
/// JSON: `"all_states_parties"` or `{"states": ["ITA", "DEU"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Addressees {
    /// All States Parties.
    #[serde(rename = "all_states_parties")]
    AllStatesParties,
    /// These States.
    #[serde(rename = "states", deserialize_with = "crate::text::nonempty_distinct")]
    States(Vec<crate::state::StateCode>),
}

/// What opened an Assembly matter under the formal procedure.
///
/// JSON: `{"court_referral": {"proceeding_id": "…"}}` or `{"urgent": {"description": "…"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AspMatterTrigger {
    /// A Court referral transmitted to the Assembly.
    #[serde(rename = "court_referral")]
    CourtReferral(CourtReferralTrigger),
    /// The urgent procedure, before any referral.
    #[serde(rename = "urgent")]
    Urgent(UrgentTrigger),
}

/// A Court referral that opened an Assembly matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourtReferralTrigger {
    /// The proceeding whose referral was transmitted.
    pub proceeding_id: ProceedingId,
}

/// An urgent situation that opened an Assembly matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrgentTrigger {
    /// What is about to occur or ongoing.
    pub description: Text,
    /// The visit concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit_id: Option<VisitId>,
}

/// A paragraph of an Assembly resolution worth recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolutionParagraph {
    /// Its number as printed (`"34"`, `"3(l)"`).
    pub no: Text,
    /// What it says, in brief ("takes note of the finding …").
    pub gist: Text,
    /// The documents it refers to.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::text::nonempty"
    )]
    pub refs: Vec<crate::ids::DocRef>,
    /// The Assembly matters it concerns.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::text::nonempty"
    )]
    pub asp_matter_ids: Vec<AspMatterId>,
}
