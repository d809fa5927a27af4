//! Words for values: dates by precision, Chambers, ordinals, provisions, outcomes, documents.
//! The report's style follows the Bureau's report on non-cooperation ("On 24 July 2025,
//! Pre-Trial Chamber I …", "from 3 to 6 April 2025").

use chrono::{Datelike, NaiveDate};

use acta_domain::date::LegalDate;
use acta_domain::ids::{ChamberId, DocRef, Provision, UnDocRef};
use acta_domain::source::{ActorRef, SourceRef};
use acta_domain::vocab::{
    Audience, CorrectionBasis, LegalBasis, MandateBase, MandateHolder, ReferralTarget, RequestKind,
    RequestOutcome, TransmissionTarget,
};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_name(m: u32) -> &'static str {
    MONTHS
        .get(usize::try_from(m).unwrap_or(0).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// A month's short name (`Jan`), for axis labels.
pub(crate) fn short_month(m: u32) -> &'static str {
    SHORT_MONTHS
        .get(usize::try_from(m).unwrap_or(0).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// `24 July 2025`.
pub(crate) fn day(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

/// Two days as a range, sharing what they share: `3 to 6 April 2025`, `30 March to 2 April
/// 2025`, `30 December 2024 to 2 January 2025` (`sep` is `to` or `and`).
pub(crate) fn range(a: NaiveDate, b: NaiveDate, sep: &str) -> String {
    if a.year() == b.year() && a.month() == b.month() {
        format!("{} {sep} {}", a.day(), day(b))
    } else if a.year() == b.year() {
        format!("{} {} {sep} {}", a.day(), month_name(a.month()), day(b))
    } else {
        format!("{} {sep} {}", day(a), day(b))
    }
}

/// A date in words, without a preposition: `24 July 2025`, `3 to 6 April 2025`, `October
/// 2025`, `an unspecified date between 3 April and 24 July 2025`.
pub(crate) fn date(d: &LegalDate) -> String {
    match *d {
        LegalDate::Day(x) => day(x),
        LegalDate::Month { year, month } => format!("{} {year}", month_name(month)),
        LegalDate::Year(y) => y.to_string(),
        LegalDate::Span { from, to } => range(from, to, "to"),
        LegalDate::Bounded {
            not_before,
            not_after,
        } => match (not_before, not_after) {
            (Some(a), Some(b)) => {
                format!("an unspecified date between {}", range(a, b, "and"))
            }
            (None, Some(b)) => format!("an unspecified date before {}", day(b)),
            (Some(a), None) => format!("an unspecified date after {}", day(a)),
            (None, None) => "an unspecified date".to_owned(),
        },
        LegalDate::Unknown => "an unspecified date".to_owned(),
    }
}

/// A date as an adverbial phrase: `on 24 July 2025`, `from 3 to 6 April 2025`, `in October
/// 2025`, `on an unspecified date before 24 July 2025`.
pub(crate) fn on(d: &LegalDate) -> String {
    match *d {
        LegalDate::Day(_) | LegalDate::Bounded { .. } | LegalDate::Unknown => {
            format!("on {}", date(d))
        }
        LegalDate::Month { .. } | LegalDate::Year(_) => format!("in {}", date(d)),
        LegalDate::Span { from, to } => format!("from {}", range(from, to, "to")),
    }
}

/// Several dates: `1 April, 10 June, 8 September and 21 October 2025` when they are days of
/// one year, else each in full.
pub(crate) fn dates(ds: &[LegalDate]) -> String {
    let days: Vec<NaiveDate> = ds.iter().filter_map(LegalDate::day).collect();
    let one_year =
        days.len() == ds.len() && days.len() > 1 && days.iter().all(|d| d.year() == days[0].year());
    let parts: Vec<String> = if one_year {
        let last = days.len() - 1;
        days.iter()
            .enumerate()
            .map(|(i, d)| {
                if i == last {
                    day(*d)
                } else {
                    format!("{} {}", d.day(), month_name(d.month()))
                }
            })
            .collect()
    } else {
        ds.iter().map(date).collect()
    };
    join(&parts)
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [a] => a.as_ref().to_owned(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// The first letter in upper case.
pub(crate) fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

const UNITS: [&str; 20] = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const TENS_ORD: [&str; 10] = [
    "",
    "",
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
];

/// An ordinal in words (`fortieth`, `twenty-ninth`); from 100 on, in figures (`101st`).
pub(crate) fn ordinal(n: u16) -> String {
    let n = usize::from(n);
    if n < 20 {
        return UNITS[n].to_owned();
    }
    if n < 100 {
        let (t, u) = (n / 10, n % 10);
        return if u == 0 {
            TENS_ORD[t].to_owned()
        } else {
            format!("{}-{}", TENS[t], UNITS[u])
        };
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A judicial body in words: `Pre-Trial Chamber I`, `the Plenary of Judges`.
pub(crate) fn chamber(c: &ChamberId) -> String {
    let roman = |c: &ChamberId| {
        let s = c.to_string();
        s.split_once('-').map(|(_, r)| r.to_owned()).unwrap_or(s)
    };
    match c {
        ChamberId::PreTrial(_) => format!("Pre-Trial Chamber {}", roman(c)),
        ChamberId::Trial(..) => format!("Trial Chamber {}", roman(c)),
        ChamberId::Appeals => "the Appeals Chamber".to_owned(),
        ChamberId::Plenary => "the Plenary of Judges".to_owned(),
        ChamberId::Presidency => "the Presidency of the Court".to_owned(),
    }
}

/// An actor in words (`the President of the Assembly`, `Hungary`). Persons and States are
/// named by the caller's `person`/`state` functions.
pub(crate) fn actor(
    a: &ActorRef,
    person: &dyn Fn(&acta_domain::ids::PersonId) -> String,
) -> String {
    match a {
        ActorRef::Chamber(c) => chamber(c),
        ActorRef::Registry => "the Registry".to_owned(),
        ActorRef::Prosecutor => "the Prosecutor".to_owned(),
        ActorRef::CourtPresident => "the President of the Court".to_owned(),
        ActorRef::Assembly => "the Assembly".to_owned(),
        ActorRef::AspPresident => "the President of the Assembly".to_owned(),
        ActorRef::Bureau => "the Bureau".to_owned(),
        ActorRef::FocalPoints => "the focal points on non-cooperation".to_owned(),
        ActorRef::AspSecretariat => "the Secretariat of the Assembly".to_owned(),
        ActorRef::NewYorkWorkingGroup => "the New York Working Group".to_owned(),
        ActorRef::HagueWorkingGroup => "The Hague Working Group".to_owned(),
        ActorRef::State(s) => s.name().to_owned(),
        ActorRef::SecurityCouncil => "the Security Council".to_owned(),
        ActorRef::SecretaryGeneral => "the Secretary-General of the United Nations".to_owned(),
        ActorRef::Person(p) => person(p),
        ActorRef::Other(o) => format!("a participant ({o})"),
    }
}

/// A provision in words: `article 89(1) of the Rome Statute`, `regulation 109(4) of the
/// Regulations of the Court`.
pub(crate) fn provision(p: &Provision) -> String {
    let s = p.as_str();
    if let Some(r) = s.strip_prefix("art. ") {
        format!("article {r} of the Rome Statute")
    } else if let Some(r) = s.strip_prefix("rule ") {
        format!("rule {r} of the Rules of Procedure and Evidence")
    } else if let Some(r) = s.strip_prefix("reg. ") {
        format!("regulation {r} of the Regulations of the Court")
    } else if let Some(r) = s.strip_prefix("procedures para. ") {
        format!("paragraph {r} of the Assembly procedures relating to non-cooperation")
    } else {
        s.to_owned()
    }
}

/// Several articles of the Statute together (`articles 86 and 89(1) of the Rome Statute`);
/// other provisions each in full.
pub(crate) fn provisions(ps: &[&Provision]) -> String {
    let arts: Vec<&str> = ps
        .iter()
        .filter_map(|p| p.as_str().strip_prefix("art. "))
        .collect();
    if arts.len() == ps.len() && arts.len() > 1 {
        return format!("articles {} of the Rome Statute", join(&arts));
    }
    join(&ps.iter().map(|p| provision(p)).collect::<Vec<_>>())
}

/// The legal basis of a proceeding, as a phrase (`under article 87(7) of the Rome Statute`).
pub(crate) fn basis(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Art87_7 => "under article 87(7) of the Rome Statute",
        LegalBasis::Art87_5b => "under article 87(5)(b) of the Rome Statute",
        LegalBasis::UnscObligation => {
            "in respect of an obligation arising from a decision of the Security Council"
        }
    }
}

/// A Security Council resolution: `resolution 1593 (2005)`.
pub(crate) fn resolution(r: &UnDocRef) -> String {
    match r.as_str().strip_prefix("S/RES/") {
        Some(rest) => format!("resolution {rest}"),
        None => r.as_str().to_owned(),
    }
}

/// Where a referral goes.
pub(crate) fn referral_target(t: ReferralTarget) -> &'static str {
    match t {
        ReferralTarget::Asp => "the Assembly of States Parties",
        ReferralTarget::Unsc => "the United Nations Security Council",
        ReferralTarget::AspAndUnsc => {
            "the Assembly of States Parties and the United Nations Security Council"
        }
    }
}

/// Where a transmission goes.
pub(crate) fn transmission_target(t: TransmissionTarget) -> &'static str {
    match t {
        TransmissionTarget::Asp => "the Assembly of States Parties",
        TransmissionTarget::Unsc => "the United Nations Security Council",
    }
}

/// A procedural request's kind, with its article: `a request for leave to appeal`.
pub(crate) fn request_kind(k: RequestKind) -> &'static str {
    match k {
        RequestKind::Reconsideration => "a request for reconsideration",
        RequestKind::PartialReconsideration => "a request for partial reconsideration",
        RequestKind::LeaveToAppeal => "a request for leave to appeal",
        RequestKind::TemporaryStay => "a request for a temporary stay of the proceedings",
        RequestKind::Disqualification => "an application for the disqualification of judges",
        RequestKind::DisqualificationReconsideration => {
            "a request for partial reconsideration of the decision on the application for the disqualification of judges"
        }
        RequestKind::Other => "a request",
    }
}

/// The same, after a possessive (`Mongolia's request for leave to appeal`).
pub(crate) fn request_kind_bare(k: RequestKind) -> &'static str {
    let s = request_kind(k);
    s.strip_prefix("a ")
        .or_else(|| s.strip_prefix("an "))
        .unwrap_or(s)
}

/// An outcome as a past participle or verb: `rejected`, `dismissed`, `granted in part`.
pub(crate) fn outcome(o: RequestOutcome) -> &'static str {
    match o {
        RequestOutcome::Granted => "granted",
        RequestOutcome::PartlyGranted => "granted in part",
        RequestOutcome::Rejected => "rejected",
        RequestOutcome::Dismissed => "dismissed",
    }
}

/// A correction's basis in words.
pub(crate) fn correction_basis(b: CorrectionBasis) -> &'static str {
    match b {
        CorrectionBasis::InternalConsistency => "internal consistency",
        CorrectionBasis::ExternalSource => "external source",
        CorrectionBasis::OfficialCorrigendum => "official corrigendum",
    }
}

/// Who holds a mandate.
pub(crate) fn mandate_holder(h: MandateHolder, base: Option<MandateBase>) -> String {
    let who = match h {
        MandateHolder::AdCountryFocalPoints => "the ad country focal points",
        MandateHolder::Facilitator => "a facilitator",
        MandateHolder::Other => "a mandate holder",
    };
    match base {
        Some(MandateBase::NewYork) => format!("{who}, based in New York"),
        Some(MandateBase::TheHague) => format!("{who}, based in The Hague"),
        None => who.to_owned(),
    }
}

/// An audience.
pub(crate) fn audience(a: Audience) -> &'static str {
    match a {
        Audience::AllStatesParties => "States Parties",
        Audience::Public => "the public",
        Audience::StateConcerned => "the State concerned",
    }
}

/// A document reference for a footnote: record numbers and symbols as they are, Bureau
/// decisions and job numbers in words. `title` gives the title of a document registered in
/// the log (`doc:` references).
pub(crate) fn doc(d: &DocRef, title: Option<&str>) -> String {
    match d {
        DocRef::BureauDecision(m) => format!("Decision of the Bureau, meeting {m}"),
        DocRef::JobNumber(j) => format!("Document {j}"),
        DocRef::Local(_) => match title {
            Some(t) => format!("{t} ({d})"),
            None => d.to_string(),
        },
        DocRef::Url(u) => u.clone(),
        _ => d.to_string(),
    }
}

/// A source reference with its pinpoint: `Document 33-E-261125, para. 25, fn. 28`.
pub(crate) fn source(s: &SourceRef, title: Option<&str>) -> String {
    let mut out = doc(&s.doc, title);
    if let Some(a) = &s.annex {
        out.push_str(&format!(", annex {a}"));
    }
    if let Some(p) = &s.para {
        out.push_str(&format!(", para. {p}"));
    }
    if let Some(f) = s.footnote {
        out.push_str(&format!(", fn. {f}"));
    }
    if let Some(p) = &s.pages {
        out.push_str(&format!(", pp. {p}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> LegalDate {
        serde_json::from_str(s).unwrap_or(LegalDate::Unknown)
    }

    #[test]
    fn dates_by_precision() {
        assert_eq!(on(&d(r#""2025-07-24""#)), "on 24 July 2025");
        assert_eq!(
            on(&d(r#"{"from":"2025-04-03","to":"2025-04-06"}"#)),
            "from 3 to 6 April 2025"
        );
        assert_eq!(on(&d(r#""2025-10""#)), "in October 2025");
        assert_eq!(
            on(&d(
                r#"{"not_before":"2025-04-03","not_after":"2025-07-24"}"#
            )),
            "on an unspecified date between 3 April and 24 July 2025"
        );
        assert_eq!(
            on(&d(r#"{"not_after":"2025-07-24"}"#)),
            "on an unspecified date before 24 July 2025"
        );
        assert_eq!(
            on(&d(
                r#"{"not_before":"2024-10-24","not_after":"2025-01-02"}"#
            )),
            "on an unspecified date between 24 October 2024 and 2 January 2025"
        );
        assert_eq!(
            dates(&[
                d(r#""2025-04-01""#),
                d(r#""2025-06-10""#),
                d(r#""2025-10-21""#)
            ]),
            "1 April, 10 June and 21 October 2025"
        );
    }

    #[test]
    fn ordinals_and_chambers() {
        assert_eq!(ordinal(40), "fortieth");
        assert_eq!(ordinal(41), "forty-first");
        assert_eq!(ordinal(29), "twenty-ninth");
        assert_eq!(ordinal(13), "thirteenth");
        assert_eq!(ordinal(112), "112th");
        assert_eq!(chamber(&ChamberId::PreTrial(2)), "Pre-Trial Chamber II");
        assert_eq!(chamber(&ChamberId::Plenary), "the Plenary of Judges");
    }
}
