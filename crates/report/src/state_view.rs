//! The text and JSON forms of `acta state`: the projections of a view, optionally narrowed to
//! one person, State or situation. Every line names the entries it comes from (`#seq`).
//!
//! The text form is a list of lines holding strings from the log as they are (names, ids,
//! codes, messages). A caller printing them to a terminal makes each line inert first (the
//! `acta` command escapes every control, bidi and invisible character), so that none can
//! rewrite the screen or start a line of its own.

/// Adds one line of the text form.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        $out.push(format!($($arg)*));
    }};
}

use acta_core::{Position, Report};
use acta_domain::model::{FactStatus, Model, ReviewState};
use acta_domain::{EntryRef, PersonId, SituationId, StateCode};

/// What the state is narrowed to: one person, State or situation (or nothing, everything).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Only this person.
    pub person: Option<PersonId>,
    /// Only this State.
    pub state: Option<StateCode>,
    /// Only this situation.
    pub situation: Option<SituationId>,
}

impl Filter {
    fn everything(&self) -> bool {
        self.person.is_none() && self.state.is_none() && self.situation.is_none()
    }

    fn person(&self, p: Option<&PersonId>) -> bool {
        self.person.is_none() || (p.is_some() && p == self.person.as_ref())
    }

    fn state(&self, s: Option<&StateCode>) -> bool {
        self.state.is_none() || (s.is_some() && s == self.state.as_ref())
    }

    fn situation(&self, s: Option<&SituationId>) -> bool {
        self.situation.is_none() || (s.is_some() && s == self.situation.as_ref())
    }
}

fn refs(at: &[EntryRef]) -> String {
    let v: Vec<String> = at.iter().map(|r| format!("#{}", r.seq)).collect();
    format!("[{}]", v.join(" "))
}

fn opt<T: std::fmt::Display>(v: Option<&T>) -> String {
    v.map_or_else(|| "?".to_owned(), ToString::to_string)
}

/// A value's wire form for people: a plain string as is; a tagged enum as its tag with its
/// other members in brackets (`in_state_custody (ITA)`).
fn json_str<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(o)) => {
            let mut tag = String::new();
            let mut rest = Vec::new();
            for (k, v) in &o {
                let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                if (k == "status" || k == "execution") && tag.is_empty() {
                    tag = text;
                } else {
                    rest.push(text);
                }
            }
            if rest.is_empty() {
                tag
            } else {
                format!("{tag} ({})", rest.join(", "))
            }
        }
        Ok(other) => other.to_string(),
        Err(_) => "?".to_owned(),
    }
}

/// Adds an empty line and a section's heading.
fn heading(out: &mut Vec<String>, title: &str) {
    out.push(String::new());
    out.push(title.to_owned());
}

fn header(out: &mut Vec<String>, model: &Model, report: &Report, position: Position) {
    put!(
        out,
        "log:      {} ({} entries, head {}), verified",
        report.origin.as_deref().unwrap_or("?"),
        position.size,
        report.head.map_or_else(
            || "-".to_owned(),
            |h| format!("{}:{}", h.seq, h.hash.short())
        ),
    );
    let mut view = Vec::new();
    match model.view.as_of_seq {
        Some(n) => view.push(format!("as recorded up to entry {n}")),
        None => view.push("as recorded (all entries)".to_owned()),
    }
    if let Some(d) = model.view.as_of_date {
        view.push(format!("as in effect on {d}"));
    }
    view.push(if model.view.as_published {
        "as published (corrections not applied)".to_owned()
    } else {
        "corrected".to_owned()
    });
    put!(out, "view:     {}", view.join(", "));
    put!(out, "state:    {}", model.hash());
}

/// The text form, one line per element (without its line end), as the log's strings are: see
/// the module documentation before printing them.
pub fn text(model: &Model, f: &Filter, report: &Report, position: Position) -> Vec<String> {
    let mut out = Vec::new();
    header(&mut out, model, report, position);

    if f.everything() || f.situation.is_some() {
        let items: Vec<_> = model
            .situations
            .values()
            .filter(|s| f.situation(Some(&s.id)))
            .collect();
        if !items.is_empty() {
            heading(&mut out, "Situations");
        }
        for s in items {
            put!(
                out,
                "  {}  {}  referral: {}{}  {}",
                s.id,
                opt(s.name.as_ref()),
                s.referral.map_or("?", |r| r.as_str()),
                s.unsc_resolution
                    .as_ref()
                    .map_or_else(String::new, |r| format!(" ({r})")),
                refs(&s.at)
            );
        }
    }

    let persons: Vec<_> = model
        .persons
        .values()
        .filter(|p| f.person(Some(&p.id)) && f.state.is_none() && f.situation.is_none())
        .collect();
    if !persons.is_empty() {
        heading(&mut out, "Persons");
    }
    for p in persons {
        put!(
            out,
            "  {}  {}  status: {}  warrants: {}  {}",
            p.id,
            opt(p.name.as_ref()),
            json_str(&p.status),
            p.warrants
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            refs(&p.at)
        );
        for r in &p.releases {
            put!(
                out,
                "    released without surrender by {} on {} (#{})",
                r.state,
                r.on,
                r.at.seq
            );
        }
    }

    let warrants: Vec<_> = model
        .warrants
        .values()
        .filter(|w| {
            f.person(w.person.as_ref()) && f.situation(w.situation.as_ref()) && f.state.is_none()
        })
        .collect();
    if !warrants.is_empty() {
        heading(&mut out, "Warrants");
    }
    for w in warrants {
        let at: Vec<EntryRef> = w.history.iter().map(|s| s.at).collect();
        put!(
            out,
            "  {}  person: {}  situation: {}  issued: {}{}  execution: {}  visibility: {}  {}",
            w.id,
            opt(w.person.as_ref()),
            opt(w.situation.as_ref()),
            opt(w.issued.as_ref()),
            if w.asserted_only {
                " (asserted, not recorded)"
            } else {
                ""
            },
            json_str(&w.execution),
            w.visibility.as_str(),
            refs(&at)
        );
    }

    let proceedings: Vec<_> = model
        .proceedings
        .values()
        .filter(|p| {
            f.person(p.person.as_ref())
                && f.state(Some(&p.state))
                && f.situation(p.situation.as_ref())
        })
        .collect();
    if !proceedings.is_empty() {
        heading(&mut out, "Non-compliance proceedings");
    }
    for p in proceedings {
        let at: Vec<EntryRef> = p.history.iter().map(|s| s.at).collect();
        put!(
            out,
            "  {}  {}  {}  chamber: {}  stage: {}  finding: {}  eligible: {}  {}",
            p.id,
            p.state,
            opt(p.situation.as_ref()),
            opt(p.chamber.as_ref()),
            json_str(&p.stage),
            p.finding.map_or("-", |x| x.as_str()),
            p.eligible_targets
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join("+"),
            refs(&at)
        );
        for r in &p.requests {
            if let Some(q) = model.requests.get(r) {
                let decided = q.decided.as_ref().map_or_else(
                    || "pending".to_owned(),
                    |d| {
                        format!(
                            "{} by {} on {} (#{})",
                            d.outcome.as_str(),
                            d.body,
                            d.on,
                            d.at.seq
                        )
                    },
                );
                put!(
                    out,
                    "    request {} ({}) filed {}: {}",
                    q.id,
                    q.kind.as_str(),
                    q.filed,
                    decided
                );
            }
        }
    }

    let matters: Vec<_> = model
        .asp_matters
        .values()
        .filter(|m| f.state(Some(&m.state)) && f.person.is_none() && f.situation.is_none())
        .collect();
    if !matters.is_empty() {
        heading(&mut out, "Assembly matters");
    }
    for m in matters {
        let mut at = vec![m.at];
        at.extend(m.steps.iter().map(|s| s.at));
        put!(
            out,
            "  {}  {}  opened {}  state heard: {}  plenary: {}  {}",
            m.id,
            m.state,
            m.opened,
            if m.state_heard { "yes" } else { "no" },
            match (&m.plenary_held, &m.plenary_scheduled) {
                (Some(d), _) => format!("held {d}"),
                (None, Some(d)) => format!("scheduled for {d}"),
                (None, None) => "-".to_owned(),
            },
            refs(&at)
        );
    }

    let episodes: Vec<_> = model
        .episodes
        .values()
        .filter(|e| f.person(e.person.as_ref()) && f.state(Some(&e.state)) && f.situation.is_none())
        .collect();
    if !episodes.is_empty() {
        heading(&mut out, "Prevention episodes");
    }
    for e in episodes {
        let at: Vec<EntryRef> = e.steps.iter().map(|s| s.at).collect();
        put!(
            out,
            "  {}  {}  person: {}  visit: {}  outcome: {}  {}",
            e.id,
            e.state,
            opt(e.person.as_ref()),
            opt(e.visit_period.as_ref()),
            e.outcome.map_or("-", |o| o.as_str()),
            refs(&at)
        );
    }

    if f.everything() || f.state.is_some() {
        let members: Vec<_> = model
            .roster
            .members
            .values()
            .filter(|m| f.state(Some(&m.state)))
            .collect();
        if !members.is_empty() || (f.everything() && model.roster.president_ex_officio.is_some()) {
            heading(&mut out, "Focal points on non-cooperation");
            for m in members {
                put!(
                    out,
                    "  {}  {}  appointed {}  [#{}]",
                    m.state,
                    m.region.map_or("?", |r| r.as_str()),
                    opt(m.appointed.as_ref()),
                    m.at.seq
                );
            }
            if let Some(p) = model.roster.president_ex_officio {
                put!(out, "  {p}  (the President of the Assembly, ex officio)");
            }
        }
    }

    let states: Vec<_> = model
        .states
        .values()
        .filter(|s| f.state(Some(&s.state)) && f.person.is_none() && f.situation.is_none())
        .collect();
    if !states.is_empty() {
        heading(&mut out, "States");
    }
    for s in states {
        let status = s.status_history.last().map_or_else(
            || "status unknown".to_owned(),
            |c| format!("{} from {} (#{})", c.status.as_str(), c.from, c.at.seq),
        );
        put!(
            out,
            "  {} {}  {}  proceedings: {}  findings: {}  releases: {}  letters: {}",
            s.state,
            s.state.name(),
            status,
            s.proceedings.len(),
            s.findings.len(),
            s.releases.len(),
            s.letters.len()
        );
    }

    if f.everything() {
        let quarantined: Vec<_> = model
            .facts
            .iter()
            .filter(|x| matches!(x.status, FactStatus::Quarantined { .. }))
            .collect();
        let corrected: Vec<_> = model
            .facts
            .iter()
            .filter(|x| !x.corrections.is_empty())
            .collect();
        let open: Vec<_> = model
            .flags
            .iter()
            .filter(|x| x.resolved_by.is_none())
            .collect();
        if !quarantined.is_empty() || !corrected.is_empty() || !open.is_empty() {
            heading(&mut out, "Anomalies");
        }
        for x in quarantined {
            if let FactStatus::Quarantined { code } = &x.status {
                put!(
                    out,
                    "  quarantined #{} {} ({code}): recorded as published, not applied until corrected",
                    x.at.seq,
                    x.event.entry_type()
                );
            }
        }
        for x in corrected {
            for c in &x.corrections {
                put!(
                    out,
                    "  corrected #{} {}: {} published as {}, corrected to {} ({}; #{} approved by #{})",
                    x.at.seq,
                    x.event.entry_type(),
                    c.field_path,
                    c.published_value,
                    c.corrected_value,
                    c.basis.as_str(),
                    c.at.seq,
                    c.approved_by.seq
                );
            }
        }
        for x in open {
            put!(
                out,
                "  open flag #{} on #{} {}: {} ({})",
                x.at.seq,
                x.target.seq,
                x.field_path,
                x.explanation,
                x.code
            );
        }
        let pending: Vec<_> = model
            .reviews
            .iter()
            .filter(|r| r.state == ReviewState::AwaitingApproval)
            .collect();
        for r in pending {
            put!(
                out,
                "  awaiting a second signature: #{} {} of #{}",
                r.at.seq,
                r.entry_type,
                r.target.seq
            );
        }
        if !model.warnings.is_empty() {
            heading(&mut out, "Warnings");
            for w in &model.warnings {
                put!(out, "  #{} {}: {}", w.at.seq, w.code, w.message);
            }
        }
        if !model.unknown.is_empty() {
            heading(
                &mut out,
                "Entries of types this version does not know (kept, not interpreted)",
            );
            for u in &model.unknown {
                put!(out, "  #{} {}", u.at.seq, u.entry_type);
            }
        }
    }
    out
}

/// The JSON form: the parts of the model the filter selects.
pub fn json(
    model: &Model,
    f: &Filter,
    report: &Report,
    position: Position,
) -> serde_json::Result<String> {
    let mut v = serde_json::to_value(model)?;
    let obj = v
        .as_object_mut()
        .ok_or_else(|| serde::ser::Error::custom("the model is not a JSON object"))?;
    if !f.everything() {
        // Keep the projections, narrowed; drop the full fact list.
        obj.remove("facts");
        let keep = |key: &str,
                    pred: &dyn Fn(&serde_json::Value) -> bool,
                    obj: &mut serde_json::Map<String, serde_json::Value>| {
            if let Some(serde_json::Value::Object(m)) = obj.get_mut(key) {
                m.retain(|_, x| pred(x));
            }
        };
        let field_is = |x: &serde_json::Value, k: &str, want: &str| {
            x.get(k).and_then(|v| v.as_str()) == Some(want)
        };
        if let Some(p) = &f.person {
            let p = p.to_string();
            keep("persons", &|x| field_is(x, "id", &p), obj);
            keep("warrants", &|x| field_is(x, "person", &p), obj);
            keep("proceedings", &|x| field_is(x, "person", &p), obj);
            keep("episodes", &|x| field_is(x, "person", &p), obj);
            for k in [
                "situations",
                "asp_matters",
                "letters",
                "states",
                "requests",
                "appeals",
            ] {
                keep(k, &|_| false, obj);
            }
        }
        if let Some(s) = &f.state {
            let s = s.to_string();
            keep("states", &|x| field_is(x, "state", &s), obj);
            keep("proceedings", &|x| field_is(x, "state", &s), obj);
            keep("asp_matters", &|x| field_is(x, "state", &s), obj);
            keep("episodes", &|x| field_is(x, "state", &s), obj);
            keep("letters", &|x| field_is(x, "state", &s), obj);
            for k in ["situations", "persons", "warrants", "appeals"] {
                keep(k, &|_| false, obj);
            }
        }
        if let Some(s) = &f.situation {
            let s = s.to_string();
            keep("situations", &|x| field_is(x, "id", &s), obj);
            keep("warrants", &|x| field_is(x, "situation", &s), obj);
            keep("proceedings", &|x| field_is(x, "situation", &s), obj);
            for k in [
                "persons",
                "asp_matters",
                "episodes",
                "letters",
                "states",
                "appeals",
            ] {
                keep(k, &|_| false, obj);
            }
        }
    }
    let out = serde_json::json!({
        "origin": report.origin,
        "entries": position.size,
        "head": report.head,
        "state_hash": model.hash().to_string(),
        "model": v,
    });
    Ok(format!("{}\n", serde_json::to_string_pretty(&out)?))
}
