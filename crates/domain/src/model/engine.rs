//! The state machines of DOMAIN.md §7 and the invariants of §8.2, applied one fact at a time.
//!
//! [`apply`] dispatches on the event type to one handler per type ([`court`]: warrants,
//! custody, persons, situations, non-compliance proceedings, requests and appeals;
//! [`assembly`]: Assembly matters, letters, prevention episodes, the roster; [`states`]: State
//! status). Every handler first checks (reading the model only), then mutates: a handler that
//! returns `Err` has changed nothing. [`finish`] derives what depends on everything applied
//! (person status, episode outcomes, links, roster warnings).
//!
//! Conventions of the checks:
//!
//! - **Dates.** A fact that presupposes an earlier one must not be *definitely* before it
//!   (`E_DATE_ORDER`, [`DateOrder::Before`]); when it might be before it (imprecise dates that
//!   overlap) the fact is applied with `W_INDETERMINATE_ORDER`. Two facts on the same day are in
//!   order.
//! - **Soft presuppositions** (DOMAIN.md §6, "S") give `W_PREDECESSOR_UNRECORDED`; rules the
//!   brief or DOMAIN.md call soft for a specific code (`E_TARGET_DECISION_UNKNOWN` for a
//!   decision known only by record number, `E_REFERRAL_WITHOUT_FINDING` with a finding
//!   `not_stated`) give a [`Warning`] carrying that code.
//! - **Messages** read `<type> <subject>: <what is wrong, with ids and dates> (<CODE>)`, and
//!   `conflicting` names the earlier entry the rule conflicts with, whenever there is one.

mod assembly;
mod court;
mod states;

pub(super) use assembly::roster_warnings;

use std::fmt::Display;

use chrono::NaiveDate;

use super::{Fact, Model, Violation, Warning};
use crate::date::{DateOrder, LegalDate};
use crate::event::Event;
use crate::ids::CourtRecordNumber;
use crate::source::{AnomalyCode, EntryRef};
use crate::state::StateCode;
use crate::vocab::SessionStatus;

use super::types::{StateRecord, Step, StepKind};

/// What a handler returns: `Err` (nothing applied) or `Ok`.
type Res<T = ()> = Result<T, Box<Violation>>;

/// The fact being applied, and the warnings it raised so far.
struct Ctx<'a> {
    fact: &'a Fact,
    warnings: Vec<Warning>,
}

impl Ctx<'_> {
    /// The event's type.
    fn ty(&self) -> &'static str {
        self.fact.event.entry_type()
    }

    /// The entry.
    fn at(&self) -> EntryRef {
        self.fact.at
    }

    /// The event's date (`None` for timeless events).
    fn on(&self) -> Option<LegalDate> {
        self.fact.event.envelope().occurred.copied()
    }

    /// A step of some history, dated by the event.
    fn step(&self, what: StepKind) -> Step {
        Step {
            what,
            on: self.on(),
            at: self.fact.at,
        }
    }

    /// A violation of `code` by this fact: `msg` is the subject and what is wrong.
    fn violation(
        &self,
        code: AnomalyCode,
        conflicting: Option<EntryRef>,
        msg: impl Display,
    ) -> Box<Violation> {
        Box::new(Violation {
            code,
            entry_type: self.ty().to_owned(),
            at: Some(self.fact.at),
            conflicting,
            message: format!("{} {msg} ({code})", self.ty()),
        })
    }

    /// `Err` of [`Ctx::violation`].
    fn fail<T>(
        &self,
        code: AnomalyCode,
        conflicting: Option<EntryRef>,
        msg: impl Display,
    ) -> Res<T> {
        Err(self.violation(code, conflicting, msg))
    }

    /// Records a warning about this fact.
    fn warn(&mut self, code: AnomalyCode, conflicting: Option<EntryRef>, msg: impl Display) {
        let message = format!("{} {msg} ({code})", self.ty());
        self.warnings.push(Warning {
            code,
            at: self.fact.at,
            conflicting,
            message,
        });
    }

    /// Checks that this fact is not definitely before `prior` (what it presupposes, recorded by
    /// `prior_at`): `E_DATE_ORDER` if it is, `W_INDETERMINATE_ORDER` if it may be. `subject`
    /// starts the message ("on warrant X"), `what` names the prior fact ("the arrest").
    fn not_before(
        &mut self,
        prior: Option<&LegalDate>,
        prior_at: EntryRef,
        subject: &str,
        what: &str,
    ) -> Res {
        let (Some(on), Some(prior)) = (self.on(), prior) else {
            return Ok(());
        };
        match on.compare(prior) {
            DateOrder::Before => self.fail(
                AnomalyCode::DateOrder,
                Some(prior_at),
                format!("{subject}: dated {on}, before {what} on {prior}"),
            ),
            DateOrder::After => Ok(()),
            DateOrder::Indeterminate => {
                let may_be_before = match (on.earliest(), prior.latest()) {
                    (Some(a), Some(b)) => a < b,
                    _ => true,
                };
                if may_be_before {
                    self.warn(
                        AnomalyCode::IndeterminateOrder,
                        Some(prior_at),
                        format!("{subject}: dated {on}, may precede {what} on {prior}"),
                    );
                }
                Ok(())
            }
        }
    }
}

/// A date for messages ("an unknown date" when there is none).
fn date_text(d: Option<&LegalDate>) -> String {
    d.map_or_else(|| "an unknown date".to_owned(), |d| d.to_string())
}

/// The record of `state`, created if needed.
fn state_mut(model: &mut Model, state: StateCode) -> &mut StateRecord {
    model.states.entry(state).or_insert_with(|| StateRecord {
        state,
        status_history: Vec::new(),
        unsc_obligations: Vec::new(),
        declarations: Vec::new(),
        episodes: Vec::new(),
        releases: Vec::new(),
        consultations: Vec::new(),
        proceedings: Vec::new(),
        findings: Vec::new(),
        referrals: Vec::new(),
        letters: Vec::new(),
        bureau_hearings: Vec::new(),
    })
}

/// Pushes `item` if it is not already in `list`.
fn push_new<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Pushes every item of `items` that is not already in `list` (nor earlier in `items`), in
/// order: what [`push_new`] does item by item, in O((n + k) log(n + k)) instead of O(n·k).
fn extend_new<'a, T: Ord + Clone + 'a>(list: &mut Vec<T>, items: impl IntoIterator<Item = &'a T>) {
    let mut seen: std::collections::BTreeSet<T> = list.iter().cloned().collect();
    for item in items {
        if seen.insert(item.clone()) {
            list.push(item.clone());
        }
    }
}

/// A decision (or any Court act with a record number) known to the model: its date and entry.
/// Matches the record number itself, or the decision an annex (`-Anx`) belongs to.
fn decision_by_doc(
    model: &Model,
    doc: &CourtRecordNumber,
) -> Option<(Option<LegalDate>, EntryRef)> {
    let same = |d: &CourtRecordNumber| d == doc || *d == doc.base();
    let mut found = None;
    decisions(model, |d, on, at| {
        if same(d) {
            found = Some((on, at));
            false
        } else {
            true
        }
    });
    found
}

/// Every Court act with a record number known to the model, in the order [`decision_by_doc`]
/// searches them, to `f(record number, date, entry)` until it returns `false`.
fn decisions(
    model: &Model,
    mut f: impl FnMut(&CourtRecordNumber, Option<LegalDate>, EntryRef) -> bool,
) {
    for p in model.proceedings.values() {
        for d in &p.decisions {
            if let Some(doc) = &d.doc_ref
                && !f(doc, Some(d.on), d.at)
            {
                return;
            }
        }
    }
    for r in model.requests.values() {
        if let Some(d) = &r.decided
            && let Some(doc) = &d.doc_ref
            && !f(doc, Some(d.on), d.at)
        {
            return;
        }
    }
    for w in model.warrants.values() {
        if let Some(doc) = &w.doc_ref
            && !w.history.is_empty()
            && !f(doc, w.issued, court::issue_at(w))
        {
            return;
        }
    }
    for j in &model.appeal_judgments {
        if !f(&j.0, Some(j.1), j.2) {
            return;
        }
    }
}

/// The Court acts of a model indexed by record number, for an event that looks up many (a
/// list field): built once in O(m log m), each look-up O(log m), with exactly the answers of
/// [`decision_by_doc`] (the first act in its search order).
struct Decisions {
    /// Record number → (position in the search order, date, entry) of its first act.
    by_doc: std::collections::BTreeMap<CourtRecordNumber, (usize, Option<LegalDate>, EntryRef)>,
}

impl Decisions {
    fn new(model: &Model) -> Decisions {
        let mut by_doc = std::collections::BTreeMap::new();
        let mut i = 0usize;
        decisions(model, |doc, on, at| {
            by_doc.entry(doc.clone()).or_insert((i, on, at));
            i += 1;
            true
        });
        Decisions { by_doc }
    }

    /// What [`decision_by_doc`] returns for `doc`.
    fn get(&self, doc: &CourtRecordNumber) -> Option<(Option<LegalDate>, EntryRef)> {
        let exact = self.by_doc.get(doc);
        let base = self.by_doc.get(&doc.base());
        match (exact, base) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { (a.1, a.2) } else { (b.1, b.2) }),
            (Some(a), None) | (None, Some(a)) => Some((a.1, a.2)),
            (None, None) => None,
        }
    }
}

/// Applies one fact (its event already corrected) to the model, after checking the invariants
/// it must satisfy given everything applied before it. `recorded_on` is the day the entry was
/// recorded (for `E_FUTURE_FACT`). On a violation nothing of the fact is applied.
pub(super) fn apply(
    model: &mut Model,
    fact: &Fact,
    recorded_on: Option<NaiveDate>,
) -> Result<Vec<Warning>, Box<Violation>> {
    let mut cx = Ctx {
        fact,
        warnings: Vec::new(),
    };
    future_fact(&cx, recorded_on)?;
    use Event as E;
    let m = model;
    let c = &mut cx;
    match &fact.event {
        // Reference data, registries, meta.
        E::SourceDocumentRegistered(_)
        | E::ContextFactRecorded(_)
        | E::CheckpointSigned(_)
        | E::AnomalyFlagged(_)
        | E::CorrectionRecorded(_)
        | E::EventRetracted(_)
        | E::ApprovalRecorded(_) => Ok(()),
        E::SituationRegistered(e) => court::situation_registered(m, c, e),
        E::UnscReferralRecorded(e) => court::unsc_referral_recorded(m, c, e),
        E::StateBecameParty(e) => states::became_party(m, c, e),
        E::WithdrawalNotified(e) => states::withdrawal_notified(m, c, e),
        E::WithdrawalRevoked(e) => states::withdrawal_revoked(m, c, e),
        E::WithdrawalTookEffect(e) => states::withdrawal_took_effect(m, c, e),
        E::JurisdictionDeclarationLodged(e) => states::declaration_lodged(m, c, e),
        E::PersonRegistered(e) => court::person_registered(m, c, e),
        E::PersonAliasRecorded(e) => court::person_alias_recorded(m, c, e),
        E::PersonDeathRecorded(e) => court::person_death_recorded(m, c, e),
        E::PriorFactAsserted(e) => prior_fact(m, c, e),
        // Warrants and custody.
        E::ArrestWarrantRequested(e) => court::warrant_requested(m, c, e),
        E::ArrestWarrantIssued(e) => court::warrant_issued(m, c, e),
        E::ArrestWarrantIssuedUnderSeal(e) => court::warrant_issued_under_seal(m, c, e),
        E::ArrestWarrantAmended(e) => court::warrant_amended(m, c, e),
        E::ArrestWarrantUnsealed(e) => court::warrant_unsealed(m, c, e),
        E::ArrestWarrantWithdrawn(e) => court::warrant_withdrawn(m, c, e),
        E::CooperationRequestTransmitted(e) => court::cooperation_request(m, c, e),
        E::CourtReminderIssued(e) => court::court_reminder(m, c, e),
        E::PersonArrested(e) => court::person_arrested(m, c, e),
        E::CustodialProceedingsRecorded(e) => court::custodial_proceedings(m, c, e),
        E::PersonReleasedWithoutSurrender(e) => court::person_released(m, c, e),
        E::PersonSurrendered(e) => court::person_surrendered(m, c, e),
        E::DomesticCustodyRecorded(e) => court::domestic_custody(m, c, e),
        E::InitialAppearanceHeld(e) => court::initial_appearance(m, c, e),
        E::CaseMilestoneRecorded(_) => Ok(()),
        E::ProceedingsTerminated(e) => court::proceedings_terminated(m, c, e),
        // Travel and prevention.
        E::TravelInformationReceived(e) => assembly::travel_information(m, c, e),
        E::WantedPersonVisitRecorded(e) => assembly::visit_recorded(m, c, e),
        E::Article97ConsultationRequested(e) => states::consultation_requested(m, c, e),
        E::Article97ConsultationResponded(e) => states::consultation_responded(m, c, e),
        // Non-compliance proceedings.
        E::NonComplianceRequestFiled(e) => court::non_compliance_request(m, c, e),
        E::NonComplianceProceedingOpened(e) => court::proceeding_opened(m, c, e),
        E::ChamberReassigned(e) => court::chamber_reassigned(m, c, e),
        E::StateObservationsInvited(e) => court::observations_invited(m, c, e),
        E::StateObservationsSubmitted(e) => court::observations_submitted(m, c, e),
        E::NonComplianceDecisionIssued(e) => court::decision_issued(m, c, e),
        E::ReferralDecisionIssued(e) => court::referral_decision(m, c, e),
        E::ReferralTransmitted(e) => court::referral_transmitted(m, c, e),
        E::ProceduralRequestFiled(e) => court::request_filed(m, c, e),
        E::ProceduralRequestDecided(e) => court::request_decided(m, c, e),
        E::AppealFiled(e) => court::appeal_filed(m, c, e),
        E::AppealJudgmentDelivered(e) => court::appeal_judgment(m, c, e),
        E::NonComplianceProceedingClosed(e) => court::proceeding_closed(m, c, e),
        E::CourtInformedAsp(e) => court::court_informed_asp(m, c, e),
        // Assembly.
        E::AspSessionRecorded(_) | E::FocalPointsMeetingHeld(_) | E::BureauReportIssued(_) => {
            Ok(())
        }
        E::PublicStatementIssued(_) | E::UnscActionRecorded(_) => Ok(()),
        E::AspResolutionAdopted(e) => assembly::resolution_adopted(m, c, e),
        E::MandateAllocated(e) => assembly::mandate_allocated(m, c, e),
        E::FocalPointAppointed(e) => assembly::focal_point_appointed(m, c, e),
        E::FocalPointMandateConfirmed(e) => assembly::focal_point_confirmed(m, c, e),
        E::AspPresidentTermRecorded(e) => assembly::president_term(m, c, e),
        E::FocalPointsActivated(e) => assembly::focal_points_activated(m, c, e),
        E::FocalPointsCommunicationIssued(e) => assembly::communication_issued(m, c, e),
        E::AspPresidentLetterSent(e) => assembly::letter_sent(m, c, e),
        E::AspPresidentLetterPublished(e) => assembly::letter_published(m, c, e),
        E::StateReplyReceived(e) => assembly::state_reply(m, c, e),
        E::BureauMeetingHeld(e) => assembly::bureau_meeting(m, c, e),
        E::BureauTookNote(e) => assembly::bureau_took_note(m, c, e),
        E::AspMatterOpened(e) => assembly::matter_opened(m, c, e),
        E::BureauConsideredReferral(e) => assembly::considered_referral(m, c, e),
        E::EmergencyBureauMeetingConvened(e) => assembly::emergency_meeting(m, c, e),
        E::AspPlenaryScheduled(e) => assembly::plenary_scheduled(m, c, e),
        E::AspPlenaryHeld(e) => assembly::plenary_held(m, c, e),
        E::ProsecutorUnscBriefingDelivered(e) => court::unsc_briefing(m, c, e),
    }?;
    Ok(cx.warnings)
}

/// `E_FUTURE_FACT`: a fact that happened (every dated event but the scheduled ones) may not be
/// dated definitely after the day it was recorded. Dates are local (the day where the fact
/// happened) and the recorded day is the UTC day of `recorded_at`, so one day of slack is
/// allowed: east of UTC, a fact of the local day after the UTC day has already happened.
fn future_fact(cx: &Ctx<'_>, recorded_on: Option<NaiveDate>) -> Res {
    let scheduled = match &cx.fact.event {
        Event::AspPlenaryScheduled(_) => true,
        Event::AspSessionRecorded(s) => s.status == SessionStatus::Scheduled,
        _ => false,
    };
    if scheduled {
        return Ok(());
    }
    if let (Some(on), Some(recorded)) = (cx.on(), recorded_on)
        && on.earliest().is_some_and(|e| {
            e > recorded
                .checked_add_days(chrono::Days::new(1))
                .unwrap_or(recorded)
        })
    {
        return cx.fail(
            AnomalyCode::FutureFact,
            None,
            format!(
                "dated {on}: recorded on {recorded}, before it could have happened (only scheduled events may be dated in the future)"
            ),
        );
    }
    Ok(())
}

/// `prior_fact_asserted`: an opening balance.
fn prior_fact(model: &mut Model, cx: &mut Ctx<'_>, e: &crate::event::PriorFactAsserted) -> Res {
    use crate::event::PriorFact;
    match &e.fact {
        PriorFact::WarrantOutstanding(w) => court::prior_warrant(model, cx, w, &e.occurred),
        PriorFact::StateStatus(s) => states::prior_status(model, cx, s, &e.occurred),
        PriorFact::FocalPointInOffice(f) => assembly::prior_focal_point(model, cx, f),
        PriorFact::ProceedingOpen(p) => court::prior_proceeding(model, cx, p, &e.occurred),
    }
}

/// Derived state computed once every fact is applied (person status, episode outcomes, …).
pub(super) fn finish(model: &mut Model) {
    court::finish(model);
    assembly::finish(model);
    president_ex_officio(model);
}

/// A confirmation of the focal points "with the President ex officio" recorded before the
/// President's term: resolve the President's State from the terms recorded since (the log's
/// order is the transcriber's, not the world's).
fn president_ex_officio(model: &mut Model) {
    if model.roster.president_ex_officio.is_some() {
        return;
    }
    let confirmed_on = model
        .facts
        .iter()
        .rev()
        .find_map(|f| match (&f.status, &f.event) {
            (super::FactStatus::Applied, crate::event::Event::FocalPointMandateConfirmed(c))
                if c.president_ex_officio == Some(true) =>
            {
                Some(c.occurred)
            }
            _ => None,
        });
    let Some(on) = confirmed_on else {
        return;
    };
    model.roster.president_ex_officio = model
        .roster
        .presidents
        .iter()
        .rev()
        .find(|t| t.from.compare(&on) != crate::date::DateOrder::After)
        .map(|t| t.state);
}
