//! The state machines of DOMAIN.md §7 and the invariants of §8.2, applied one fact at a time.

use chrono::NaiveDate;

use super::{Fact, Model, Violation, Warning};

/// Applies one fact (its event already corrected) to the model, after checking the invariants
/// it must satisfy given everything applied before it. `recorded_on` is the day the entry was
/// recorded (for `E_FUTURE_FACT`). On a violation nothing of the fact is applied.
pub(super) fn apply(
    model: &mut Model,
    fact: &Fact,
    recorded_on: Option<NaiveDate>,
) -> Result<Vec<Warning>, Box<Violation>> {
    let _ = (model, fact, recorded_on);
    Ok(Vec::new())
}

/// Derived state computed once every fact is applied (person status, episode outcomes, …).
pub(super) fn finish(model: &mut Model) {
    let _ = model;
}
