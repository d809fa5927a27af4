//! The Assembly and its organs (DOMAIN.md §6.5).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::LegalDate;
use crate::ids::{AspDocRef, AspMatterId, BureauMeetingRef, DocRef, EpisodeId, LetterId, PersonId};
use crate::source::{
    ActorRef, AnomalyCode, Citation, Confidence, EntryRef, FieldPath, Provenance, SourceRef,
};
use crate::state::StateCode;
use crate::text::Text;
use crate::vocab::*;

use super::Envelope;

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
