//! Warrants, requests to arrest and surrender, arrests, custody and visits, in words.

use super::*;

/// The sentences for one fact of this topic (with their topic), or `None` for a fact of
/// another topic; `background`: before the period.
pub(super) fn describe(cx: &Ctx<'_>, f: &Fact, background: bool) -> Option<Vec<(Topic, Sentence)>> {
    use Event as E;
    let s = |text: String| cx.sentence(f, background, text);
    let one = |t: Topic, text: String| vec![(t, s(text))];
    let person = |p: &PersonId| cx.person(p);
    let actor = |a: &ActorRef| words::actor(a, &|p| cx.person(p));
    let sentences = match &f.event {
        E::ArrestWarrantRequested(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "the Prosecutor applied for a warrant of arrest for {}.",
                    person(&e.person)
                ),
            ),
        ),
        E::ArrestWarrantIssued(e) => {
            let what = if e.crimes.is_empty() {
                String::new()
            } else {
                format!(" for alleged {}", crimes(&e.crimes))
            };
            let sealed = if e.visibility == Visibility::Sealed {
                ", under seal"
            } else {
                ""
            };
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "{}{} issued a warrant of arrest for {}{what}{sealed}.",
                        words::chamber(&e.chamber),
                        by_majority(e.vote),
                        person(&e.person)
                    ),
                ),
            )
        }
        E::ArrestWarrantIssuedUnderSeal(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "a warrant of arrest{} was issued under seal.",
                    e.situation
                        .as_ref()
                        .map(|s| format!(" in {}", cx.situation(s)))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::ArrestWarrantAmended(e) => {
            let p = warrant_person(cx, f);
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "the warrant of arrest for {} was amended{}.",
                        person_opt(cx, p.as_ref()),
                        e.summary
                            .as_ref()
                            .map(|s| format!(": {s}"))
                            .unwrap_or_default()
                    ),
                ),
            )
        }
        E::ArrestWarrantUnsealed(e) => {
            let p = warrant_person(cx, f);
            let how = match e.new_visibility {
                Visibility::Public => "made public",
                Visibility::PublicRedacted => "made public in a redacted version",
                Visibility::ExistenceDisclosed | Visibility::Sealed => "disclosed",
            };
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "the warrant of arrest for {} was {how}.",
                        person_opt(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::ArrestWarrantWithdrawn(e) => {
            let p = warrant_person(cx, f);
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "the warrant of arrest for {} was withdrawn.",
                        person_opt(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::CooperationRequestTransmitted(e) => {
            let p = warrant_person(cx, f);
            let to = match &e.addressees {
                acta_domain::vocab::Addressees::AllStatesParties => "all States Parties".to_owned(),
                acta_domain::vocab::Addressees::States(ss) => {
                    join(&ss.iter().map(|s| state_name(*s)).collect::<Vec<_>>())
                }
            };
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "the Registry transmitted a request for the arrest and surrender of {} to {to}.",
                        person_opt(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::CourtReminderIssued(e) => {
            let p = warrant_person(cx, f);
            let who = e
                .attributed_to
                .as_ref()
                .map_or_else(|| "the Court".to_owned(), &actor);
            one(
                Topic::Conduct,
                dated(
                    &e.occurred,
                    &format!(
                        "{who} reminded {} of its obligation to arrest and surrender {}.",
                        state_name(e.state),
                        person_opt(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::PersonArrested(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} was arrested by the authorities of {}, pursuant to the Court's warrant of arrest.",
                    person(&e.person),
                    state_name(e.state)
                ),
            ),
        ),
        E::CustodialProceedingsRecorded(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "domestic proceedings concerning the arrest were {} in {}{}.",
                    match e.phase {
                        acta_domain::vocab::CustodialPhase::Opened => "opened",
                        acta_domain::vocab::CustodialPhase::Completed => "completed",
                    },
                    state_name(e.state),
                    e.outcome
                        .as_ref()
                        .map(|o| format!(": {o}"))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::PersonReleasedWithoutSurrender(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} was released by {}{}, without surrender to the Court.",
                    person(&e.person),
                    state_name(e.state),
                    e.expelled_to
                        .map(|s| format!(" and expelled to {}", state_name(s)))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::PersonSurrendered(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &if e.voluntary == Some(true) {
                    format!(
                        "{} surrendered voluntarily to the Court in {}.",
                        person(&e.person),
                        state_name(e.state)
                    )
                } else {
                    format!(
                        "{} was surrendered to the Court by {}.",
                        person(&e.person),
                        state_name(e.state)
                    )
                },
            ),
        ),
        E::DomesticCustodyRecorded(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} was {} domestic custody in {}.",
                    person(&e.person),
                    match e.phase {
                        DomesticCustodyPhase::Started => "taken into",
                        DomesticCustodyPhase::Ended => "released from",
                    },
                    state_name(e.state)
                ),
            ),
        ),
        E::InitialAppearanceHeld(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} first appeared before {}.",
                    person(&e.person),
                    words::chamber(&e.chamber)
                ),
            ),
        ),
        E::CaseMilestoneRecorded(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "a milestone ({}) was reached in case {}.",
                    e.kind.as_str().replace('_', " "),
                    e.case_id
                ),
            ),
        ),
        E::ProceedingsTerminated(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "proceedings against {} were terminated.",
                    person_opt(cx, e.person.as_ref())
                ),
            ),
        ),
        E::PersonDeathRecorded(e) => one(
            Topic::Conduct,
            format!("{} died {}.", person(&e.person), on(&e.occurred)),
        ),
        E::TravelInformationReceived(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "{} received information that {} was expected to travel to {} {}.",
                    actor(&e.received_by),
                    person(&e.person),
                    state_name(e.state),
                    on(&e.expected)
                ),
            ),
        ),
        E::WantedPersonVisitRecorded(v) => {
            if v.outcome == Some(VisitOutcome::Cancelled) {
                return Some(one(
                    Topic::Conduct,
                    format!(
                        "The visit of {} to {}, expected {}, did not take place.",
                        person(&v.person),
                        state_name(v.state),
                        on(&v.occurred)
                    ),
                ));
            }
            let day = v
                .occurred
                .earliest()
                .unwrap_or(cx.params.to)
                .clamp(cx.params.from, cx.params.to);
            let party = cx.model.section_on(v.state, day, None)
                == Some(acta_domain::model::Section::StatesParties);
            one(
                Topic::Conduct,
                dated(
                    &v.occurred,
                    &format!(
                        "{} visited {}{}{}.",
                        cx.person_with_position(&v.person),
                        state_name(v.state),
                        if party {
                            ", a State Party to the Statute"
                        } else {
                            ""
                        },
                        match v.outcome {
                            Some(VisitOutcome::NotArrested) =>
                                if party {
                                    ", and was not arrested"
                                } else {
                                    " and was not arrested"
                                },
                            Some(VisitOutcome::Arrested) => " and was arrested",
                            _ => "",
                        }
                    ),
                ),
            )
        }
        _ => return None,
    };
    Some(sentences)
}
