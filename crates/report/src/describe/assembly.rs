//! Mandates and focal points, the opening balance, the Assembly, its President and Bureau,
//! letters and statements, and the Security Council, in words.

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
        E::MandateAllocated(m) => one(
            Topic::Other,
            format!(
                "At its {} meeting of {}, {}, the Bureau assigned the mandate on {} to {}.",
                words::ordinal(m.meeting.number),
                m.meeting.year,
                on(&m.occurred),
                m.mandate,
                words::mandate_holder(m.holder, m.base)
            ),
        ),
        E::FocalPointMandateConfirmed(c) => {
            let states: Vec<String> = c.states.iter().map(|s| state_name(*s)).collect();
            let mut out = one(
                Topic::Other,
                dated(
                    &c.occurred,
                    &format!(
                        "the Bureau confirmed that {} remain focal points on non-cooperation.",
                        join(&states)
                    ),
                ),
            );
            if c.president_ex_officio == Some(true) {
                let president = cx.facts.iter().rev().find_map(|g| match &g.event {
                    E::AspPresidentTermRecorded(t) => Some((g, t)),
                    _ => None,
                });
                let (text, fs) = match president {
                    Some((g, t)) => (
                        format!(
                            "The President of the Assembly, {} of {}, serves ex officio as focal point for the President's own region.",
                            person(&t.person),
                            state_name(t.state)
                        ),
                        vec![(f, background), (*g, false)],
                    ),
                    None => (
                        "The President of the Assembly serves ex officio as focal point for the President's own region.".to_owned(),
                        vec![(f, background)],
                    ),
                };
                let kind = if background {
                    SentenceKind::Background
                } else {
                    SentenceKind::Event
                };
                out.push((Topic::Other, cx.sentence_many(&fs, kind, text)));
            }
            out
        }
        E::FocalPointAppointed(a) => one(
            Topic::Other,
            format!(
                "{} was appointed focal point on non-cooperation at the Bureau meeting held {}.",
                state_name(a.state),
                on(&a.occurred)
            ),
        ),
        // Named in the confirmation's sentence.
        E::AspPresidentTermRecorded(_) => Vec::new(),
        E::PriorFactAsserted(p) => match &p.fact {
            PriorFact::WarrantOutstanding(w) => {
                let by = w
                    .chamber
                    .map(|c| format!(" by {}", words::chamber(&c)))
                    .unwrap_or_default();
                let when = match w.issued_before.day() {
                    Some(d) => format!("before {}", words::day(d)),
                    None => format!("by {}", words::date(&w.issued_before)),
                };
                one(
                    Topic::Conduct,
                    format!(
                        "A warrant of arrest for {}, issued{by} {when}, was outstanding.",
                        person(&w.person)
                    ),
                )
            }
            PriorFact::ProceedingOpen(o) => one(
                Topic::Seizure,
                format!(
                    "As at {}, a proceeding concerning {} {} was pending{}.",
                    words::date(&p.occurred),
                    state_name(o.state),
                    words::basis(o.legal_basis),
                    o.chamber
                        .map(|c| format!(" before {}", words::chamber(&c)))
                        .unwrap_or_default()
                ),
            ),
            PriorFact::FocalPointInOffice(fp) => one(
                Topic::Other,
                format!(
                    "As at {}, {} was a focal point on non-cooperation.",
                    words::date(&p.occurred),
                    state_name(fp.state)
                ),
            ),
            PriorFact::StateStatus(_) => Vec::new(),
        },
        E::UnscReferralRecorded(r) => {
            let states: Vec<String> = r.bound_states.iter().map(|s| state_name(*s)).collect();
            one(
                Topic::Other,
                format!(
                    "Pursuant to Security Council {}{}, {} {} under an obligation to cooperate fully with the Court.",
                    words::resolution(&r.resolution),
                    r.paragraph
                        .as_ref()
                        .map(|p| format!(", paragraph {p}"))
                        .unwrap_or_default(),
                    join(&states),
                    if states.len() == 1 { "is" } else { "are" }
                ),
            )
        }
        E::CourtInformedAsp(e) => {
            let ds: Vec<String> = e.about.iter().map(|d| decision_words(cx, d)).collect();
            let who = e
                .attributed_to
                .as_ref()
                .map_or_else(|| "the President of the Court".to_owned(), &actor);
            one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "{who} informed the President of the Assembly of {}.",
                        join(&ds)
                    ),
                ),
            )
        }
        E::FocalPointsActivated(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "the focal points on non-cooperation were activated{}{}, in view of the visit of {} to {}.",
                    if e.includes_president_good_offices == Some(true) {
                        ", including the good offices of the President of the Assembly,"
                    } else {
                        ""
                    },
                    match e.track {
                        Some(Track::Informal) =>
                            " in line with the informal Assembly procedures relating to non-cooperation",
                        Some(Track::Formal) =>
                            " in line with the formal Assembly procedures relating to non-cooperation",
                        None => "",
                    },
                    person(&e.person),
                    state_name(e.state)
                ),
            ),
        ),
        E::FocalPointsCommunicationIssued(e) => {
            let aud = words::audience(e.audience);
            let mut acts = Vec::new();
            for k in &e.kinds {
                acts.push(match k {
                    CommunicationKind::VisitAlert => match (&e.person, e.state) {
                        (Some(p), Some(s)) => format!(
                            "informed {aud} of the intended visit of {} to {}",
                            person(p),
                            state_name(s)
                        ),
                        _ => format!("informed {aud} of an intended visit"),
                    },
                    CommunicationKind::ToolkitReminder => format!(
                        "reminded {} of the Toolkit for the implementation of the informal dimension of the Assembly procedures relating to non-cooperation",
                        if acts.is_empty() { aud } else { "them" }
                    ),
                    CommunicationKind::Message => format!(
                        "issued a message{}",
                        recalls(&e.recalls)
                            .map(|r| format!(" recalling {r}"))
                            .unwrap_or_default()
                    ),
                });
            }
            let body = format!("the focal points on non-cooperation {}.", join(&acts));
            let text = match &e.occasion {
                Some(o) => format!("In the context of the {o}, {}, {body}", on(&e.occurred)),
                None => dated(&e.occurred, &body),
            };
            one(Topic::Other, text)
        }
        E::AspPresidentLetterSent(e) => {
            let visit = visit_of(cx, f);
            let noting = recalls(&e.recalls)
                .map(|r| format!(", noting the obligations of States Parties under {r}"))
                .unwrap_or_default();
            let track = match e.track {
                Track::Informal => {
                    ", in accordance with the informal Assembly procedures relating to non-cooperation"
                }
                Track::Formal => {
                    ", in accordance with the formal Assembly procedures relating to non-cooperation"
                }
            };
            let letter = match e.purpose {
                LetterPurpose::OpenLetterAfterReferral => "an open letter",
                _ => "a letter",
            };
            let dated_words = match e.occurred {
                LegalDate::Day(d) => format!("dated {}", words::day(d)),
                other => format!("dated {}", words::date(&other)),
            };
            let to = format!("the {} of {}", e.to_office, state_name(e.state));
            let text = match (e.purpose, visit) {
                (LetterPurpose::PreVisitReminder, Some((p, st, _))) => format!(
                    "In advance of the visit of {} to {}, the President of the Assembly conveyed {letter}, {dated_words}, to {to}{noting}{track}.",
                    person(&p),
                    state_name(st)
                ),
                _ => format!(
                    "The President of the Assembly conveyed {letter}, {dated_words}, to {to}{noting}{track}."
                ),
            };
            one(Topic::Other, text)
        }
        E::AspPresidentLetterPublished(e) => {
            let inferred = matches!(
                e.provenance,
                Some(acta_domain::source::Provenance::Inferred(_))
            );
            let visit = visit_of(cx, f);
            let text = match (inferred, visit) {
                (true, Some((p, st, period))) if period.earliest() == e.occurred.day() => {
                    format!(
                        "The letter was published once the visit of {} to {} had commenced.",
                        person(&p),
                        state_name(st)
                    )
                }
                (true, _) => format!(
                    "The letter was published, on a date derived rather than stated, {}.",
                    on(&e.occurred)
                ),
                (false, _) => format!("The letter was published {}.", on(&e.occurred)),
            };
            let mut out = one(Topic::Other, text);
            if let (Some(c), Some((_, s))) = (&e.channel, out.first_mut()) {
                s.footnote.notes.push(format!("Published on: {c}."));
            }
            out
        }
        E::StateReplyReceived(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "{} replied to the President of the Assembly{}.",
                    state_name(e.state),
                    e.summary
                        .as_ref()
                        .map(|s| format!(": {s}"))
                        .unwrap_or_default()
                ),
            ),
        ),
        E::BureauTookNote(e) => {
            // The documents noted, in words; the entries only when no document is named (they
            // are the same decisions, cited in the footnote either way).
            let mut what: Vec<String> = e.of_documents.iter().map(|d| doc_words(cx, d)).collect();
            if what.is_empty() {
                for r in &e.of_entries {
                    what.push(match cx.fact(r.seq) {
                        Some(g) => format!("the {}", label(cx, g).to_lowercase()),
                        None => format!("entry {}", r.seq),
                    });
                }
            }
            // The State the noted decisions concern.
            let mut states: Vec<StateCode> = Vec::new();
            for k in keys(f).1 {
                for g in cx.with_id(&k) {
                    if let Some(s) = cx.link(g).0
                        && !states.contains(&s)
                    {
                        states.push(s);
                    }
                }
            }
            let concerning = match states.as_slice() {
                [s] => format!(" concerning {}", state_name(*s)),
                _ => String::new(),
            };
            let informed = match e.informed_by {
                Some(ActorRef::CourtPresident) => {
                    ", of which the President of the Court had informed the President of the Assembly"
                }
                _ => "",
            };
            one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "the Bureau took note of {}{concerning}{informed}.",
                        join(&what)
                    ),
                ),
            )
        }
        E::AspMatterOpened(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "following {}, the matter of {} non-cooperation came before the Assembly under its formal procedure relating to non-cooperation.",
                    match e.trigger {
                        acta_domain::vocab::AspMatterTrigger::CourtReferral(_) =>
                            "the Court's referral",
                        acta_domain::vocab::AspMatterTrigger::Urgent(_) => "an urgent situation",
                    },
                    possessive(&state_name(e.state))
                ),
            ),
        ),
        E::BureauConsideredReferral(e) => {
            // The decision referred: the proceeding's latest decision before the meeting.
            let decision = cx
                .with_id(&Key::Matter(e.asp_matter_id.to_string()))
                .flat_map(|g| keys(g).1)
                .filter(|k| matches!(k, Key::Proceeding(_)))
                .flat_map(|k| cx.with_id(&k).collect::<Vec<_>>())
                .filter_map(|g| match &g.event {
                    E::NonComplianceDecisionIssued(d) => Some(d),
                    _ => None,
                })
                .last();
            let what = match decision {
                Some(d) => format!(
                    "the {} decision of {} regarding {} non-cooperation in {}",
                    words::date(&d.occurred),
                    words::chamber(&d.chamber),
                    possessive(&state_name(e.state)),
                    cx.situation(&d.situation)
                ),
                None => format!(
                    "the matter of {} non-cooperation",
                    possessive(&state_name(e.state))
                ),
            };
            let mut out = one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "at its {} meeting of {}, the Bureau considered {what}.",
                        words::ordinal(e.meeting.number),
                        e.meeting.year
                    ),
                ),
            );
            let heard = if e.state_heard {
                format!(
                    "{}{} presented the views of {}{}.",
                    e.procedures_para
                        .as_ref()
                        .map(|p| format!("Pursuant to {}, ", words::provision(p)))
                        .unwrap_or_default(),
                    e.state_representative.as_ref().map_or_else(
                        || format!("a representative of {}", state_name(e.state)),
                        |r| r.to_string()
                    ),
                    state_name(e.state),
                    e.state_position_summary
                        .as_ref()
                        .map(|s| format!(": {s}"))
                        .unwrap_or_default()
                )
            } else {
                format!("{} was not heard.", state_name(e.state))
            };
            out.push((Topic::Other, s(cap(&heard))));
            if let Some(o) = &e.outcome {
                out.push((
                    Topic::Other,
                    s(format!("The Bureau's decision is recorded as: “{o}”.")),
                ));
            }
            out
        }
        E::EmergencyBureauMeetingConvened(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "the Bureau held an emergency meeting on the matter recorded as {}.",
                    e.asp_matter_id
                ),
            ),
        ),
        E::PublicStatementIssued(e) => {
            let plural = matches!(e.occurred, LegalDate::Span { .. });
            one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "{} {} on {}{}.",
                        actor(&e.by),
                        if plural {
                            "made public statements"
                        } else {
                            "made a public statement"
                        },
                        e.subject,
                        e.summary
                            .as_ref()
                            .map(|s| format!(": {s}"))
                            .unwrap_or_default()
                    ),
                ),
            )
        }
        E::ProsecutorUnscBriefingDelivered(e) => {
            let extra = if !e.appeals.is_empty() {
                // "to take action …" reads after "appealing to the Security Council"; other
                // appeals ("assistance in …") after "appealing for".
                let (to, other): (Vec<String>, Vec<String>) = e
                    .appeals
                    .iter()
                    .map(ToString::to_string)
                    .partition(|a| a.starts_with("to "));
                let mut parts = Vec::new();
                if !to.is_empty() {
                    parts.push(format!("appealing to the Security Council {}", join(&to)));
                }
                if !other.is_empty() {
                    parts.push(format!("appealing for {}", join(&other)));
                }
                format!(", {}", parts.join(", and "))
            } else if !e.persons.is_empty() {
                format!(
                    ", with reference to {}",
                    join(&e.persons.iter().map(person).collect::<Vec<_>>())
                )
            } else {
                String::new()
            };
            one(
                Topic::Other,
                dated(
                    &e.occurred,
                    &format!(
                        "the Prosecutor presented the {} report to the Security Council pursuant to {}{extra}.",
                        words::ordinal(e.ordinal),
                        words::resolution(&e.resolution)
                    ),
                ),
            )
        }
        E::UnscActionRecorded(e) => {
            let what = match e.kind {
                UnscActionKind::Resolution => "the Security Council adopted a resolution",
                UnscActionKind::PresidentialStatement => {
                    "the President of the Security Council issued a statement"
                }
                UnscActionKind::Meeting => "the Security Council held a meeting",
                UnscActionKind::NoAction => {
                    "the Security Council took no action on the communications received from the Court"
                }
            };
            one(Topic::Other, dated(&e.occurred, &format!("{what}.")))
        }
        E::FocalPointsMeetingHeld(e) => {
            let topics = if e.topics.is_empty() {
                String::new()
            } else {
                format!(
                    " to discuss {}",
                    join(&e.topics.iter().map(ToString::to_string).collect::<Vec<_>>())
                )
            };
            let text = match e.kind {
                MeetingKind::StrategicPlanning => format!(
                    "The focal points held a strategic planning meeting {}{topics}.",
                    on(&e.occurred)
                ),
                MeetingKind::Internal => format!(
                    "The focal points held an internal meeting {}{topics}.",
                    on(&e.occurred)
                ),
                MeetingKind::WithPresident => format!(
                    "The focal points met with the President of the Assembly {}{topics}.",
                    on(&e.occurred)
                ),
                MeetingKind::FacilitationBriefing => format!(
                    "The focal points{} provided a briefing in the meeting of the {} {}.",
                    if e.r#virtual == Some(true) {
                        " participated virtually and"
                    } else {
                        ""
                    },
                    e.counterpart
                        .as_ref()
                        .map_or_else(|| "Cooperation facilitation".to_owned(), |c| c.to_string()),
                    on(&e.occurred)
                ),
                MeetingKind::NywgUpdate => format!(
                    "The focal points provided an update to the {} {}.",
                    e.counterpart
                        .as_ref()
                        .map_or_else(|| "New York Working Group".to_owned(), |c| c.to_string()),
                    on(&e.occurred)
                ),
                MeetingKind::Stakeholders | MeetingKind::Other => format!(
                    "The focal points met{} {}{topics}.",
                    e.counterpart
                        .as_ref()
                        .map(|c| format!(" with {c}"))
                        .unwrap_or_default(),
                    on(&e.occurred)
                ),
            };
            one(Topic::Other, text)
        }
        E::AspPlenaryScheduled(e) => one(
            Topic::Other,
            format!(
                "A plenary meeting dedicated to {} is scheduled to be held at the {} session of the Assembly {}{}.",
                e.topic,
                words::ordinal(e.session),
                on(&e.scheduled_for),
                e.focus
                    .as_ref()
                    .map(|f| format!(", with a focus on {f}"))
                    .unwrap_or_default()
            ),
        ),
        E::AspPlenaryHeld(e) => one(
            Topic::Other,
            dated(
                &e.occurred,
                &format!(
                    "at its {} session, the Assembly held a plenary debate on {}{}.",
                    words::ordinal(e.session),
                    e.topic,
                    e.outcome
                        .as_ref()
                        .map(|o| format!(": {o}"))
                        .unwrap_or_default()
                ),
            ),
        ),
        _ => return None,
    };
    Some(sentences)
}
