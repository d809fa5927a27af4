//! States (DOMAIN.md §7.6): status under the Statute on a date, withdrawals, declarations,
//! article 97 consultations, and the report-section classifier.

use chrono::NaiveDate;

use super::{Ctx, Res, state_mut};
use crate::date::{DateOrder, LegalDate};
use crate::event::*;
use crate::model::Model;
use crate::model::types::*;
use crate::source::{AnomalyCode as C, EntryRef};
use crate::state::StateCode;
use crate::vocab::{LegalBasis, StateStatus};

/// Inserts a status change, keeping the history ordered by date (latest possible day; equal
/// dates keep log order).
fn push_status(m: &mut Model, state: StateCode, change: StatusChange) {
    let h = &mut state_mut(m, state).status_history;
    h.push(change);
    h.sort_by_key(|c| c.from.sort_key());
}

/// The State's status on every day of `date`, if it is the same (and known) on its first and
/// last possible day: the status and the entry it comes from.
pub(super) fn definite_status(
    m: &Model,
    state: StateCode,
    date: &LegalDate,
) -> Option<(StateStatus, Option<EntryRef>)> {
    let (a, b) = (date.earliest()?, date.latest()?);
    let first = m.status_on(state, a);
    let last = m.status_on(state, b);
    match (first.status, last.status) {
        (Some(x), Some(y)) if x == y => Some((y, last.at)),
        _ => None,
    }
}

/// The scheduled end of a pending withdrawal: the `non_party` change a `withdrawal_notified`
/// entry scheduled for its effective date (the entry also carries the `withdrawal_pending`
/// change), if it is still scheduled.
fn pending_withdrawal(m: &Model, state: StateCode) -> Option<&StatusChange> {
    let h = &m.states.get(&state)?.status_history;
    h.iter().rev().find(|c| {
        c.status == StateStatus::NonParty
            && h.iter()
                .any(|d| d.at == c.at && d.status == StateStatus::WithdrawalPending)
    })
}

pub(super) fn became_party(m: &mut Model, cx: &mut Ctx<'_>, e: &StateBecameParty) -> Res {
    push_status(
        m,
        e.state,
        StatusChange {
            from: e.entry_into_force,
            status: StateStatus::Party,
            at: cx.at(),
        },
    );
    Ok(())
}

pub(super) fn prior_status(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    s: &PriorStateStatus,
    as_of: &LegalDate,
) -> Res {
    push_status(
        m,
        s.state,
        StatusChange {
            from: *as_of,
            status: s.status,
            at: cx.at(),
        },
    );
    Ok(())
}

pub(super) fn withdrawal_notified(m: &mut Model, cx: &mut Ctx<'_>, e: &WithdrawalNotified) -> Res {
    let subject = format!("by {}", e.state);
    match definite_status(m, e.state, &e.occurred) {
        Some((StateStatus::Party, _)) => {}
        Some((status, at)) => {
            return cx.fail(
                C::NotParty,
                at,
                format!(
                    "{subject}: only a State Party can withdraw, and its status on {} is {status}",
                    e.occurred
                ),
            );
        }
        None => cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!(
                "{subject}: the State's status on {} is not known",
                e.occurred
            ),
        ),
    }
    let at = cx.at();
    push_status(
        m,
        e.state,
        StatusChange {
            from: e.occurred,
            status: StateStatus::WithdrawalPending,
            at,
        },
    );
    push_status(
        m,
        e.state,
        StatusChange {
            from: e.effective_on,
            status: StateStatus::NonParty,
            at,
        },
    );
    Ok(())
}

/// The pending withdrawal (its scheduled end), or `E_NO_PENDING_WITHDRAWAL`.
fn pending(m: &Model, cx: &Ctx<'_>, state: StateCode) -> Res<(LegalDate, EntryRef)> {
    match pending_withdrawal(m, state) {
        Some(c) => Ok((c.from, c.at)),
        None => {
            let last = m.states.get(&state).and_then(|r| r.status_history.last());
            cx.fail(
                C::NoPendingWithdrawal,
                last.map(|c| c.at),
                format!(
                    "by {state}: no withdrawal is pending{}",
                    last.map(|c| format!(" (status {} from {})", c.status, c.from))
                        .unwrap_or_default()
                ),
            )
        }
    }
}

pub(super) fn withdrawal_revoked(m: &mut Model, cx: &mut Ctx<'_>, e: &WithdrawalRevoked) -> Res {
    let (effective, notified) = pending(m, cx, e.state)?;
    if e.occurred.compare(&effective) == DateOrder::After {
        return cx.fail(
            C::NoPendingWithdrawal,
            Some(notified),
            format!(
                "by {}: revoked on {}, after the withdrawal took effect on {effective}",
                e.state, e.occurred
            ),
        );
    }
    let at = cx.at();
    let r = state_mut(m, e.state);
    r.status_history
        .retain(|c| !(c.at == notified && c.status == StateStatus::NonParty));
    push_status(
        m,
        e.state,
        StatusChange {
            from: e.occurred,
            status: StateStatus::Party,
            at,
        },
    );
    Ok(())
}

pub(super) fn withdrawal_took_effect(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &WithdrawalTookEffect,
) -> Res {
    let (effective, notified) = pending(m, cx, e.state)?;
    if e.occurred.compare(&effective) != DateOrder::Indeterminate {
        return cx.fail(
            C::DateOrder,
            Some(notified),
            format!(
                "by {}: dated {}, but the withdrawal notified takes effect on {effective}",
                e.state, e.occurred
            ),
        );
    }
    let at = cx.at();
    let r = state_mut(m, e.state);
    r.status_history
        .retain(|c| !(c.at == notified && c.status == StateStatus::NonParty));
    push_status(
        m,
        e.state,
        StatusChange {
            from: e.occurred,
            status: StateStatus::NonParty,
            at,
        },
    );
    Ok(())
}

pub(super) fn declaration_lodged(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &JurisdictionDeclarationLodged,
) -> Res {
    let at = cx.at();
    state_mut(m, e.state).declarations.push((e.covers, at));
    Ok(())
}

pub(super) fn consultation_requested(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &Article97ConsultationRequested,
) -> Res {
    if let Some(w) = &e.warrant_id
        && !m.warrants.contains_key(w)
    {
        cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!("by {}: warrant {w} is not recorded", e.state),
        );
    }
    let step = cx.step(StepKind::ConsultationRequested);
    state_mut(m, e.state).consultations.push(step);
    Ok(())
}

pub(super) fn consultation_responded(
    m: &mut Model,
    cx: &mut Ctx<'_>,
    e: &Article97ConsultationResponded,
) -> Res {
    let request = m.states.get(&e.state).and_then(|r| {
        r.consultations
            .iter()
            .rev()
            .find(|s| s.what == StepKind::ConsultationRequested)
            .map(|s| (s.on, s.at))
    });
    let subject = format!("to {}", e.state);
    match request {
        Some((on, at)) => cx.not_before(on.as_ref(), at, &subject, "the consultation request")?,
        None => cx.warn(
            C::PredecessorUnrecorded,
            None,
            format!("{subject}: no consultation requested by the State is recorded"),
        ),
    }
    let step = cx.step(StepKind::ConsultationResponded);
    state_mut(m, e.state).consultations.push(step);
    Ok(())
}

impl Model {
    /// A State's status on `day` (DOMAIN.md §7.6): the latest change (`state_became_party`
    /// from its entry into force, `withdrawal_notified` → withdrawal pending until its
    /// effective date and non-party from then, `withdrawal_revoked` → party,
    /// `withdrawal_took_effect` → non-party, `prior_fact_asserted` state status as of its date)
    /// that definitely took effect on or before `day`; `status: None` if none did. `unsc_bound`
    /// says whether a Security Council resolution recorded by `unsc_referral_recorded`, adopted
    /// on or before `day`, binds the State.
    pub fn status_on(&self, state: StateCode, day: NaiveDate) -> StatusOn {
        let rec = self.states.get(&state);
        let current = rec.and_then(|r| {
            r.status_history
                .iter()
                .rfind(|c| c.from.latest().is_some_and(|l| l <= day))
        });
        let unsc_bound = rec.is_some_and(|r| {
            r.unsc_obligations.iter().any(|(_, _, at)| {
                self.fact(at.seq)
                    .filter(|f| f.at == *at)
                    .and_then(|f| f.event.envelope().occurred)
                    .and_then(LegalDate::latest)
                    .is_some_and(|l| l <= day)
            })
        });
        StatusOn {
            day,
            status: current.map(|c| c.status),
            unsc_bound,
            at: current.map(|c| c.at),
        }
    }

    /// The report section a State's conduct on `day` belongs to (DOMAIN.md §7.6, §10.2): a
    /// Party or a State whose withdrawal is pending → II (States Parties); a non-party bound by
    /// a Security Council resolution → III; another non-party → IV. When the status is not
    /// known, the legal basis of the proceeding decides (art. 87(7) → II, a Security Council
    /// obligation → III, art. 87(5)(b) → IV); with neither, `None`.
    pub fn section_on(
        &self,
        state: StateCode,
        day: NaiveDate,
        basis: Option<LegalBasis>,
    ) -> Option<Section> {
        let s = self.status_on(state, day);
        match s.status {
            Some(StateStatus::Party | StateStatus::WithdrawalPending) => {
                Some(Section::StatesParties)
            }
            Some(StateStatus::NonParty) if s.unsc_bound => Some(Section::UnscObligation),
            Some(StateStatus::NonParty) => Some(Section::NonParties),
            None => match basis? {
                LegalBasis::Art87_7 => Some(Section::StatesParties),
                LegalBasis::UnscObligation => Some(Section::UnscObligation),
                LegalBasis::Art87_5b => Some(Section::NonParties),
            },
        }
    }

    /// Procedural requests filed and not yet decided, in id order.
    pub fn pending_requests(&self) -> Vec<&ProceduralRequest> {
        self.requests
            .values()
            .filter(|r| r.decided.is_none())
            .collect()
    }
}
