//! Article 97 consultations, non-compliance proceedings, findings, referrals and appeals,
//! in words, and what is pending at the end of the period.

use super::*;

/// The sentences for one fact of this topic (with their topic), or `None` for a fact of
/// another topic; `background`: before the period.
pub(super) fn describe(cx: &Ctx<'_>, f: &Fact, background: bool) -> Option<Vec<(Topic, Sentence)>> {
    use Event as E;
    let s = |text: String| cx.sentence(f, background, text);
    let one = |t: Topic, text: String| vec![(t, s(text))];
    let actor = |a: &ActorRef| words::actor(a, &|p| cx.person(p));
    let sentences = match &f.event {
        E::Article97ConsultationRequested(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "{} requested consultations with the Court under article 97 of the Rome Statute{}.",
                    state_name(e.state),
                    e.subject
                        .as_ref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::Article97ConsultationResponded(e) => one(
            Topic::Conduct,
            dated(
                &e.occurred,
                &format!(
                    "the Court responded to the consultations requested by {}: {}",
                    state_name(e.state),
                    e.response
                ),
            ),
        ),
        E::NonComplianceRequestFiled(e) => one(
            Topic::Seizure,
            dated(
                &e.occurred,
                &format!(
                    "{} requested a finding that {} had failed to comply with {}.",
                    e.filed_by
                        .as_ref()
                        .map_or_else(|| "the Prosecutor".to_owned(), &actor),
                    state_name(e.state),
                    request_for(cx, warrant_person(cx, f).as_ref())
                ),
            ),
        ),
        E::NonComplianceProceedingOpened(e) => {
            let p = e.person.clone().or_else(|| cx.link(f).1);
            one(
                Topic::Seizure,
                dated(
                    &e.occurred,
                    &format!(
                        "{} was seized, {}, of the question of whether {} had failed to comply with {}.",
                        words::chamber(&e.chamber),
                        words::basis(e.legal_basis),
                        state_name(e.state),
                        request_for(cx, p.as_ref())
                    ),
                ),
            )
        }
        E::ChamberReassigned(e) => one(
            Topic::Seizure,
            dated(
                &e.occurred,
                &format!(
                    "{} was reassigned from {} to {}.",
                    cap(&cx.situation(&e.situation)),
                    words::chamber(&e.from),
                    words::chamber(&e.to)
                ),
            ),
        ),
        E::StateObservationsInvited(e) => {
            // Said with the decision that invited them, when there is one.
            let with_decision = cx.facts.iter().any(|g| match &g.event {
                E::NonComplianceDecisionIssued(d) => {
                    d.proceeding_id == e.proceeding_id
                        && d.occurred == e.occurred
                        && matches!(d.referral, Referral::Deferred(_))
                }
                _ => false,
            });
            if with_decision {
                return Some(Vec::new());
            }
            one(
                Topic::Decision,
                dated(
                    &e.occurred,
                    &format!(
                        "the Chamber invited {} to submit {} by {}.",
                        state_name(e.state),
                        e.subject
                            .as_ref()
                            .map_or_else(|| "observations".to_owned(), |s| s.to_string()),
                        words::date(&e.deadline)
                    ),
                ),
            )
        }
        E::StateObservationsSubmitted(e) => one(
            Topic::Decision,
            dated(
                &e.occurred,
                &format!(
                    "{} submitted its response to the Chamber's invitation.",
                    state_name(e.state)
                ),
            ),
        ),
        E::NonComplianceDecisionIssued(d) => decision(cx, f, d, background),
        E::ReferralDecisionIssued(e) => {
            let info = proceeding(cx, e.proceeding_id.as_str());
            let what = match &e.referral {
                Referral::Referred(t) => format!(
                    "to refer the matter of {} non-compliance to {}",
                    possessive(&state_or(info.state)),
                    words::referral_target(*t)
                ),
                _ => format!(
                    "not to refer the matter of {} non-compliance",
                    possessive(&state_or(info.state))
                ),
            };
            one(
                Topic::Decision,
                dated(
                    &e.occurred,
                    &format!(
                        "{}{} decided {what}.",
                        words::chamber(&e.chamber),
                        by_majority(e.vote)
                    ),
                ),
            )
        }
        E::ReferralTransmitted(e) => {
            let info = proceeding(cx, e.proceeding_id.as_str());
            let mut basis = Vec::new();
            if info.basis == Some(LegalBasis::Art87_7) {
                basis.push("article 87(7) of the Rome Statute".to_owned());
            }
            if let Some(b) = &e.basis {
                basis.push(words::provision(b));
            }
            let pursuant = if basis.is_empty() {
                String::new()
            } else {
                format!("pursuant to {}, ", join(&basis))
            };
            let who = e
                .attributed_to
                .as_ref()
                .map_or_else(|| "the Presidency of the Court".to_owned(), &actor);
            one(
                Topic::Transmission,
                dated(
                    &e.occurred,
                    &format!(
                        "{pursuant}{who} transmitted the decision and referred the matter of {} non-compliance to {}.",
                        possessive(&state_or(info.state)),
                        words::transmission_target(e.to)
                    ),
                ),
            )
        }
        E::ProceduralRequestFiled(e) => {
            let kind = words::request_kind(e.kind);
            let target = match &e.target_decision {
                Some(t) if !kind.contains(" of the decision") => {
                    format!(" of {}", decision_words(cx, t))
                }
                _ => String::new(),
            };
            one(
                Topic::Requests,
                dated(
                    &e.occurred,
                    &format!("{} submitted {kind}{target}.", actor(&e.filed_by)),
                ),
            )
        }
        E::ProceduralRequestDecided(e) => {
            let filed = cx
                .with_id(&Key::Request(e.request_id.to_string()))
                .find_map(|g| match &g.event {
                    E::ProceduralRequestFiled(r) => Some(r),
                    _ => None,
                });
            let what = match filed {
                Some(r) => {
                    let kind = words::request_kind_bare(r.kind);
                    let target = match &r.target_decision {
                        Some(t) if !kind.contains(" of the decision") => {
                            format!(" of {}", decision_words(cx, t))
                        }
                        _ => String::new(),
                    };
                    format!("{} {kind}{target}", possessive(&actor(&r.filed_by)))
                }
                None => format!("the request recorded as {}", e.request_id),
            };
            let verb = match e.outcome {
                RequestOutcome::PartlyGranted => "granted in part".to_owned(),
                o => words::outcome(o).to_owned(),
            };
            one(
                Topic::Requests,
                dated(
                    &e.occurred,
                    &format!(
                        "{} {verb} {what}{}.",
                        words::chamber(&e.deciding_body),
                        e.reasons
                            .as_ref()
                            .map(|r| format!(", {r}"))
                            .unwrap_or_default()
                    ),
                ),
            )
        }
        E::AppealFiled(e) => {
            let what = e
                .appealed_decision
                .as_ref()
                .map_or_else(|| "a decision".to_owned(), |d| decision_words(cx, d));
            one(
                Topic::Requests,
                dated(
                    &e.occurred,
                    &format!("{} appealed {what}.", actor(&e.appellant)),
                ),
            )
        }
        E::AppealJudgmentDelivered(e) => {
            let finding = match e.on_finding {
                OnFinding::Confirmed => Some("confirmed the finding"),
                OnFinding::Reversed => Some("reversed the finding"),
                OnFinding::NotAddressed => None,
            };
            let referral = match e.on_referral {
                OnReferral::Confirmed => Some("confirmed the referral"),
                OnReferral::Reversed => Some("reversed the referral"),
                OnReferral::Remanded => Some("remanded the determination on referral"),
                OnReferral::NotApplicable => None,
            };
            let parts: Vec<&str> = finding.into_iter().chain(referral).collect();
            one(
                Topic::Requests,
                dated(
                    &e.occurred,
                    &format!(
                        "the Appeals Chamber{} delivered its judgment on the appeal{}.",
                        by_majority(e.vote),
                        if parts.is_empty() {
                            String::new()
                        } else {
                            format!(", and {}", join(&parts))
                        }
                    ),
                ),
            )
        }
        E::NonComplianceProceedingClosed(e) => {
            let info = proceeding(cx, e.proceeding_id.as_str());
            one(
                Topic::Transmission,
                dated(
                    &e.occurred,
                    &format!(
                        "the proceeding concerning {} compliance was closed.",
                        possessive(&state_or(info.state))
                    ),
                ),
            )
        }
        _ => return None,
    };
    Some(sentences)
}

/// A non-compliance decision: the finding, the referral (or its deferral), the invitation,
/// the opinions.
fn decision(
    cx: &Ctx<'_>,
    f: &Fact,
    d: &acta_domain::event::NonComplianceDecisionIssued,
    background: bool,
) -> Vec<(Topic, Sentence)> {
    let s = |text: String| (Topic::Decision, cx.sentence(f, background, text));
    let chamber = words::chamber(&d.chamber);
    let state = state_name(d.state);
    let person = d.person.clone().or_else(|| cx.link(f).1);
    let request = request_for(cx, person.as_ref());
    let mut out = Vec::new();
    let referral_clause = match &d.referral {
        Referral::Referred(t) => format!(
            ", and referred the matter to {}",
            words::referral_target(*t)
        ),
        Referral::NotReferred => ", and decided not to refer the matter".to_owned(),
        _ => String::new(),
    };
    let vote = match d.vote_on_finding {
        Some(Vote::Majority) => "by majority, ",
        _ => "",
    };
    let finding = match d.finding {
        Finding::NonCompliant => Some(format!(
            "found, {vote}{}, that {state} had failed to comply with {request}",
            words::basis(d.legal_basis.unwrap_or(LegalBasis::Art87_7))
        )),
        Finding::NoNonCompliance => Some(format!(
            "found, {vote}{}, that {state} had not failed to comply with {request}",
            words::basis(d.legal_basis.unwrap_or(LegalBasis::Art87_7))
        )),
        Finding::NotStated => None,
    };
    match (&d.title, finding) {
        (Some(t), finding) => {
            out.push(s(dated(
                &d.occurred,
                &format!("{chamber} issued a decision entitled “{t}”."),
            )));
            match finding {
                Some(fd) => out.push(s(format!("The Chamber {fd}{referral_clause}."))),
                None if !referral_clause.is_empty() => out.push(s(format!(
                    "The Chamber{}.",
                    referral_clause.trim_start_matches(", and")
                ))),
                None => {}
            }
        }
        (None, Some(fd)) => out.push(s(dated(
            &d.occurred,
            &format!("{chamber} {fd}{referral_clause}."),
        ))),
        (None, None) => out.push(s(dated(
            &d.occurred,
            &format!(
                "{chamber} issued a decision concerning {} compliance with {request}{referral_clause}.",
                possessive(&state)
            ),
        ))),
    }
    if d.finding == Finding::NotStated
        && let Some((_, first)) = out.first_mut()
    {
        first
            .footnote
            .notes
            .push("The finding itself is not stated in the source.".to_owned());
    }
    if d.referral == Referral::NotStated
        && let Some((_, first)) = out.first_mut()
    {
        first
            .footnote
            .notes
            .push("The determination on referral is not stated in the source.".to_owned());
    }
    if let Referral::Deferred(def) = &d.referral {
        let targets = if cx.unsc_situation(&d.situation) {
            "to the Assembly of States Parties or to the United Nations Security Council"
        } else {
            "to the Assembly of States Parties"
        };
        out.push(s(format!(
            "The Chamber{} deferred its determination as to whether the matter of {} non-compliance with {request} should be referred {targets}.",
            by_majority(d.vote_on_referral),
            possessive(&state)
        )));
        // The invitation, with the observations invited on the same day.
        let invited: Vec<&Fact> = cx
            .facts
            .iter()
            .copied()
            .filter(|g| match &g.event {
                Event::StateObservationsInvited(i) => {
                    i.proceeding_id == d.proceeding_id && i.occurred == d.occurred
                }
                _ => false,
            })
            .collect();
        let deadline = def.deadline.or_else(|| {
            invited.iter().find_map(|g| match &g.event {
                Event::StateObservationsInvited(i) => Some(i.deadline),
                _ => None,
            })
        });
        if def.invitation.is_some() || deadline.is_some() {
            let what = def
                .invitation
                .as_ref()
                .map_or_else(|| "its observations".to_owned(), |i| i.to_string());
            let text = format!(
                "The Chamber invited {state} to provide {what}{}.",
                deadline
                    .map(|x| format!(", by {}", words::date(&x)))
                    .unwrap_or_default()
            );
            let mut fs = vec![(f, background)];
            fs.extend(invited.iter().map(|g| (*g, background)));
            let kind = if background {
                SentenceKind::Background
            } else {
                SentenceKind::Event
            };
            out.push((Topic::Decision, cx.sentence_many(&fs, kind, text)));
        }
    }
    for o in &d.opinions {
        out.push(s(format!(
            "The decision was accompanied by {} of Judge {}.",
            opinion_kind(o.kind),
            o.judge
        )));
    }
    out
}

/// Pending matters of a proceeding at the end of the period.
pub(crate) fn pending(cx: &Ctx<'_>, p: &str) -> Vec<Sentence> {
    let to = cx.params.to;
    let known = |g: &Fact| {
        g.event
            .envelope()
            .occurred
            .is_none_or(|d| d.earliest().is_none_or(|e| e <= to))
    };
    let pk = Key::Proceeding(p.to_owned());
    let mine: Vec<&Fact> = cx
        .facts
        .iter()
        .copied()
        .filter(|g| known(g))
        .filter(|g| {
            let (ids, refs) = keys(g);
            ids.contains(&pk) || refs.contains(&pk)
        })
        .collect();
    let as_at = format!("As at {}", words::day(to));
    let pending_sentence = |fs: Vec<&Fact>, text: String| {
        let pairs: Vec<(&Fact, bool)> = fs.into_iter().map(|g| (g, false)).collect();
        let mut s = cx.sentence_many(&pairs, SentenceKind::Pending, text);
        s.footnote.notes.retain(|n| !n.starts_with("Background"));
        s
    };
    let mut out = Vec::new();
    let mut decisions: Vec<&Fact> = mine
        .iter()
        .copied()
        .filter(|g| matches!(g.event, Event::NonComplianceDecisionIssued(_)))
        .collect();
    decisions.sort_by_key(|g| order(g));
    let referral_decided = mine
        .iter()
        .any(|g| matches!(g.event, Event::ReferralDecisionIssued(_)));
    let closed = mine
        .iter()
        .any(|g| matches!(g.event, Event::NonComplianceProceedingClosed(_)));
    let submitted: Vec<&Fact> = mine
        .iter()
        .copied()
        .filter(|g| matches!(g.event, Event::StateObservationsSubmitted(_)))
        .collect();
    let info = proceeding(cx, p);
    let state = state_or(info.state);
    if closed {
        return out;
    }
    match decisions.last() {
        None => {
            if let Some(opened) = mine
                .iter()
                .copied()
                .find(|g| matches!(g.event, Event::NonComplianceProceedingOpened(_)))
            {
                out.push(pending_sentence(
                    vec![opened],
                    format!(
                        "{as_at}, the Chamber's determination on whether {state} had failed to comply was pending."
                    ),
                ));
            }
        }
        Some(last) => {
            if let Event::NonComplianceDecisionIssued(d) = &last.event
                && matches!(d.referral, Referral::Deferred(_))
                && !referral_decided
            {
                let response = submitted.last().and_then(|g| match &g.event {
                    Event::StateObservationsSubmitted(o) => Some(format!(
                        ", {} response having been submitted {}",
                        possessive(&state),
                        on(&o.occurred)
                    )),
                    _ => None,
                });
                let mut fs = vec![*last];
                fs.extend(submitted.iter().copied());
                out.push(pending_sentence(
                    fs,
                    format!(
                        "{as_at}, the Chamber's determination on referral was pending{}.",
                        response.unwrap_or_default()
                    ),
                ));
            }
        }
    }
    // Procedural requests filed and not decided.
    for g in &mine {
        if let Event::ProceduralRequestFiled(r) = &g.event {
            let decided = cx
                .facts
                .iter()
                .filter(|h| known(h))
                .any(|h| matches!(&h.event, Event::ProceduralRequestDecided(x) if x.request_id == r.request_id));
            // A request to reconsider the decision on disqualification implies that decision.
            let implied = r.kind == acta_domain::vocab::RequestKind::Disqualification
                && mine.iter().any(|h| {
                    matches!(&h.event, Event::ProceduralRequestFiled(x)
                        if x.kind == acta_domain::vocab::RequestKind::DisqualificationReconsideration)
                });
            if !decided && !implied {
                let who = words::actor(&r.filed_by, &|p| cx.person(p));
                out.push(pending_sentence(
                    vec![*g],
                    format!(
                        "{as_at}, no decision on {} {} is recorded.",
                        possessive(&who),
                        words::request_kind_bare(r.kind)
                    ),
                ));
            }
        }
    }
    out
}
