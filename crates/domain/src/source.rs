//! Where facts come from and who did them: [`EntryRef`], [`SourceRef`], [`Citation`],
//! [`Provenance`], [`Confidence`], [`ActorRef`], [`AnomalyCode`] and [`FieldPath`].

use std::fmt;
use std::str::FromStr;

use acta_core::EntryHash;
use acta_core::json::{MAX_SAFE_INTEGER, Object, Value};
use serde::{Deserialize, Serialize};

use crate::ids::{ChamberId, DocRef, IdError, PersonId, Provision, Slug};
use crate::state::StateCode;
use crate::text::{Text, nonempty, string_serde};

/// A reference to an earlier entry of the same log: its `seq` and its entry hash, so that the
/// reference cannot be satisfied by another entry. JSON: `{"hash":"<64 hex>","seq":17}`;
/// text: `17:<64 hex>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryRef {
    /// The entry's `seq`.
    #[serde(deserialize_with = "de_seq")]
    pub seq: u64,
    /// The entry's hash (SHA-256(0x00 ‖ stored line)).
    #[serde(deserialize_with = "de_hash")]
    pub hash: EntryHash,
}

fn de_seq<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let seq = u64::deserialize(d)?;
    if seq > MAX_SAFE_INTEGER.unsigned_abs() {
        return Err(serde::de::Error::custom("a seq is at most 2^53 - 1"));
    }
    Ok(seq)
}

fn de_hash<'de, D: serde::Deserializer<'de>>(d: D) -> Result<EntryHash, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = EntryHash;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an entry hash (64 lower-case hex digits)")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<EntryHash, E> {
            s.parse().map_err(E::custom)
        }
    }
    d.deserialize_str(V)
}

/// Why a string is not an [`EntryRef`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an entry reference is SEQ:HASH, e.g. 17:<64 lower-case hex digits>")]
pub struct EntryRefError;

impl FromStr for EntryRef {
    type Err = EntryRefError;
    fn from_str(s: &str) -> Result<EntryRef, EntryRefError> {
        let (seq, hash) = s.split_once(':').ok_or(EntryRefError)?;
        let seq_ok = !seq.is_empty()
            && seq.bytes().all(|b| b.is_ascii_digit())
            && (seq == "0" || !seq.starts_with('0'));
        let seq: u64 = if seq_ok {
            seq.parse().map_err(|_| EntryRefError)?
        } else {
            return Err(EntryRefError);
        };
        if seq > MAX_SAFE_INTEGER.unsigned_abs() {
            return Err(EntryRefError);
        }
        Ok(EntryRef {
            seq,
            hash: hash.parse().map_err(|_| EntryRefError)?,
        })
    }
}

impl fmt::Display for EntryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

/// A place in a document that states a fact: `{"doc": "ICC-01/18-462", "para": "23",
/// "footnote": 34, "annex": "I", "pages": "4-8", "published_text": "…"}`. Only `doc` is
/// required. `published_text` keeps the source's words as published (errors included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// The document.
    pub doc: DocRef,
    /// A paragraph, as numbered in the document (`"36"`, `"3(l)"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub para: Option<Text>,
    /// A footnote number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footnote: Option<u32>,
    /// An annex (`"I"`, `"III"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annex: Option<Text>,
    /// Pages (`"4-8"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Text>,
    /// The source's words, exactly as published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_text: Option<Text>,
}

/// A legal text recalled or relied on: a document (with a paragraph or annex) or a provision.
/// Exactly one of `doc` and `provision`: `{"provision": "art. 89(1)"}`,
/// `{"doc": "ICC-ASP/23/Res.5", "para": "8"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CitationFields")]
pub struct Citation {
    /// The document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<DocRef>,
    /// The provision (of the Statute, Rules, Regulations or Assembly procedures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provision: Option<Provision>,
    /// A paragraph of `doc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub para: Option<Text>,
    /// An annex of `doc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annex: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CitationFields {
    doc: Option<DocRef>,
    provision: Option<Provision>,
    para: Option<Text>,
    annex: Option<Text>,
}

impl TryFrom<CitationFields> for Citation {
    type Error = &'static str;
    fn try_from(c: CitationFields) -> Result<Citation, &'static str> {
        match (&c.doc, &c.provision) {
            (Some(_), None) => {}
            (None, Some(_)) if c.para.is_none() && c.annex.is_none() => {}
            (None, Some(_)) => return Err("para and annex belong to a doc, not to a provision"),
            _ => return Err("a citation has exactly one of doc and provision"),
        }
        Ok(Citation {
            doc: c.doc,
            provision: c.provision,
            para: c.para,
            annex: c.annex,
        })
    }
}

/// How confident the recorder is in a fact that is not stated by its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Confidence {
    /// High.
    #[serde(rename = "high")]
    High,
    /// Medium.
    #[serde(rename = "medium")]
    Medium,
    /// Low.
    #[serde(rename = "low")]
    Low,
}

/// How a fact is known. Absent means stated by the event's sources.
///
/// JSON: `"stated"`, `{"inferred": {"rule": "…", "from": [EntryRef…]}}`, or
/// `{"external": SourceRef}`. Inferred and external facts need a `confidence`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Provenance {
    /// Stated by the source.
    #[serde(rename = "stated")]
    Stated,
    /// Derived by a rule from other facts.
    #[serde(rename = "inferred")]
    Inferred(Inference),
    /// Taken from a source outside the one being transcribed.
    #[serde(rename = "external")]
    External(SourceRef),
}

/// The rule and premises of an inferred fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inference {
    /// The rule, in words ("publication date = first day of the visit").
    pub rule: Text,
    /// The entries the inference is drawn from.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "nonempty"
    )]
    pub from: Vec<EntryRef>,
}

/// Who performed an act (not who recorded it: that is the entry's `author`).
///
/// | string | actor |
/// |---|---|
/// | `court:PTC-I`, `court:Appeals`, `court:Plenary`, `court:Presidency` | a judicial body ([`ChamberId`]) |
/// | `court:registry`, `court:otp`, `court:president` | the Registry, the Office of the Prosecutor, the President of the Court |
/// | `asp:assembly`, `asp:president`, `asp:bureau`, `asp:focal-points`, `asp:secretariat`, `asp:nywg`, `asp:hwg` | the Assembly and its organs |
/// | `state:HUN` | a State |
/// | `un:security-council`, `un:secretary-general` | the United Nations |
/// | `person:SLUG` | a person (e.g. a suspect's defence) |
/// | `other:SLUG` | anyone else (e.g. `other:victims-counsel`) |
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ActorRef {
    /// A Chamber, the Plenary of Judges or the Presidency.
    Chamber(ChamberId),
    /// The Registry.
    Registry,
    /// The Office of the Prosecutor.
    Prosecutor,
    /// The President of the Court.
    CourtPresident,
    /// The Assembly of States Parties (plenary).
    Assembly,
    /// The President of the Assembly.
    AspPresident,
    /// The Bureau of the Assembly.
    Bureau,
    /// The focal points on non-cooperation.
    FocalPoints,
    /// The Secretariat of the Assembly.
    AspSecretariat,
    /// The New York Working Group of the Bureau.
    NewYorkWorkingGroup,
    /// The Hague Working Group of the Bureau.
    HagueWorkingGroup,
    /// A State.
    State(StateCode),
    /// The UN Security Council.
    SecurityCouncil,
    /// The UN Secretary-General.
    SecretaryGeneral,
    /// A person.
    Person(PersonId),
    /// Anyone else.
    Other(Slug),
}

const ACTOR_NAMES: [(&str, ActorRef); 12] = [
    ("court:registry", ActorRef::Registry),
    ("court:otp", ActorRef::Prosecutor),
    ("court:president", ActorRef::CourtPresident),
    ("asp:assembly", ActorRef::Assembly),
    ("asp:president", ActorRef::AspPresident),
    ("asp:bureau", ActorRef::Bureau),
    ("asp:focal-points", ActorRef::FocalPoints),
    ("asp:secretariat", ActorRef::AspSecretariat),
    ("asp:nywg", ActorRef::NewYorkWorkingGroup),
    ("asp:hwg", ActorRef::HagueWorkingGroup),
    ("un:security-council", ActorRef::SecurityCouncil),
    ("un:secretary-general", ActorRef::SecretaryGeneral),
];

impl ActorRef {
    /// Whether the actor is an organ of the Court.
    pub fn is_court(&self) -> bool {
        matches!(
            self,
            ActorRef::Chamber(_)
                | ActorRef::Registry
                | ActorRef::Prosecutor
                | ActorRef::CourtPresident
        )
    }

    /// Whether the actor is the Assembly or one of its organs.
    pub fn is_assembly(&self) -> bool {
        matches!(
            self,
            ActorRef::Assembly
                | ActorRef::AspPresident
                | ActorRef::Bureau
                | ActorRef::FocalPoints
                | ActorRef::AspSecretariat
                | ActorRef::NewYorkWorkingGroup
                | ActorRef::HagueWorkingGroup
        )
    }
}

impl FromStr for ActorRef {
    type Err = IdError;
    fn from_str(s: &str) -> Result<ActorRef, IdError> {
        const EXPECTED: &str = "an actor: court:PTC-I, court:registry, court:otp, \
             court:president, asp:assembly, asp:president, asp:bureau, asp:focal-points, \
             asp:secretariat, asp:nywg, asp:hwg, state:ISO3, un:security-council, \
             un:secretary-general, person:SLUG or other:SLUG";
        let bad = || IdError { expected: EXPECTED };
        if let Some((_, a)) = ACTOR_NAMES.iter().find(|(n, _)| *n == s) {
            return Ok(a.clone());
        }
        if let Some(c) = s.strip_prefix("court:") {
            return c.parse().map(ActorRef::Chamber).map_err(|_| bad());
        }
        if let Some(c) = s.strip_prefix("state:") {
            return c.parse().map(ActorRef::State).map_err(|_| bad());
        }
        if let Some(p) = s.strip_prefix("person:") {
            return p.parse().map(ActorRef::Person).map_err(|_| bad());
        }
        if let Some(o) = s.strip_prefix("other:") {
            return o.parse().map(ActorRef::Other).map_err(|_| bad());
        }
        Err(bad())
    }
}

impl fmt::Display for ActorRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActorRef::Chamber(c) => write!(f, "court:{c}"),
            ActorRef::State(s) => write!(f, "state:{s}"),
            ActorRef::Person(p) => write!(f, "person:{p}"),
            ActorRef::Other(o) => write!(f, "other:{o}"),
            other => {
                let name = ACTOR_NAMES
                    .iter()
                    .find(|(_, a)| a == other)
                    .map_or("?", |(n, _)| *n);
                f.write_str(name)
            }
        }
    }
}

string_serde!(
    ActorRef,
    "an actor such as \"court:PTC-I\" or \"state:HUN\""
);

macro_rules! anomaly_codes {
    ($($(#[$meta:meta])* $variant:ident = $wire:literal,)*) => {
        /// The code of a domain rule (DOMAIN.md §7-§8): errors `E_…` and warnings `W_…`.
        /// Carried by `anomaly_flagged` and by events a transcriber records as published
        /// although they break a rule (`acknowledged_anomalies`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum AnomalyCode {
            $($(#[$meta])* #[serde(rename = $wire)] $variant,)*
        }

        impl AnomalyCode {
            /// Every code.
            pub const ALL: &'static [AnomalyCode] = &[$(AnomalyCode::$variant,)*];

            /// The code as written, e.g. `"E_DATE_ORDER"`.
            pub fn as_str(&self) -> &'static str {
                match self { $(AnomalyCode::$variant => $wire,)* }
            }

            /// Whether this is a warning (`W_…`) rather than an error.
            pub fn is_warning(&self) -> bool {
                self.as_str().starts_with("W_")
            }
        }

        impl fmt::Display for AnomalyCode {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

anomaly_codes! {
    /// The warrant is not known.
    WarrantNotFound = "E_WARRANT_NOT_FOUND",
    /// The warrant is not outstanding (e.g. an arrest while in custody).
    WarrantNotOutstanding = "E_WARRANT_NOT_OUTSTANDING",
    /// The warrant is surrendered or withdrawn.
    WarrantTerminal = "E_WARRANT_TERMINAL",
    /// A warrant with this id was already issued.
    WarrantExists = "E_WARRANT_EXISTS",
    /// Release or surrender by a State that does not hold the person.
    NotInCustodyOfState = "E_NOT_IN_CUSTODY_OF_STATE",
    /// An act concerning a person after the person's death.
    PersonDeceased = "E_PERSON_DECEASED",
    /// An event definitely precedes what it presupposes.
    DateOrder = "E_DATE_ORDER",
    /// A "happened" event dated definitely after it was recorded.
    FutureFact = "E_FUTURE_FACT",
    /// A decision without a proceeding.
    NoOpenProceeding = "E_NO_OPEN_PROCEEDING",
    /// A second final decision.
    DecisionAlreadyFinal = "E_DECISION_ALREADY_FINAL",
    /// A referral to the Security Council in a situation it did not refer.
    ReferralTargetNotAllowed = "E_REFERRAL_TARGET_NOT_ALLOWED",
    /// A referral (or deferral) without a finding of non-compliance.
    ReferralWithoutFinding = "E_REFERRAL_WITHOUT_FINDING",
    /// An art. 87(7) proceeding against a State not a Party at the conduct date.
    LegalBasisStatus = "E_LEGAL_BASIS_STATUS",
    /// A decision on a request that is not pending.
    RequestNotPending = "E_REQUEST_NOT_PENDING",
    /// A request decided by a body not competent for it.
    WrongDecidingBody = "E_WRONG_DECIDING_BODY",
    /// A request targeting a decision not recorded.
    TargetDecisionUnknown = "E_TARGET_DECISION_UNKNOWN",
    /// A formal Assembly step before the matter was opened.
    AspMatterNotOpen = "E_ASP_MATTER_NOT_OPEN",
    /// A withdrawal by a State that is not a Party.
    NotParty = "E_NOT_PARTY",
    /// A withdrawal event without a pending withdrawal.
    NoPendingWithdrawal = "E_NO_PENDING_WITHDRAWAL",
    /// An act dated differently from the Bureau meeting it cites.
    MeetingDateMismatch = "E_MEETING_DATE_MISMATCH",
    /// The event is not valid for its type (a log written without the domain layer).
    Schema = "E_SCHEMA",
    /// A review entry names an entry that is not a domain entry of the log.
    TargetNotFound = "E_TARGET_NOT_FOUND",
    /// A correction or retraction approved by its own author (the two-person rule).
    TwoPersonRule = "E_TWO_PERSON_RULE",
    /// A correction's published value is not the stored value.
    PublishedValueMismatch = "E_PUBLISHED_VALUE_MISMATCH",
    /// A correction whose corrected value makes the event invalid.
    CorrectionInvalid = "E_CORRECTION_INVALID",
    /// An unsealing whose revealed content and salt do not match the sealed commitment.
    SealMismatch = "E_SEAL_MISMATCH",
    /// A person referred to is not known (not registered, and named by no warrant or visit).
    PersonNotFound = "E_PERSON_NOT_FOUND",
    /// A non-compliance proceeding with this id was already opened.
    ProceedingExists = "E_PROCEEDING_EXISTS",
    /// A proceeding closed while a procedural request or an appeal in it is pending.
    RequestPending = "E_REQUEST_PENDING",
    /// A letter of the President of the Assembly referred to is not recorded.
    LetterNotFound = "E_LETTER_NOT_FOUND",
    /// A focal point's mandate confirmed although the State was never appointed.
    FocalPointNotAppointed = "E_FOCAL_POINT_NOT_APPOINTED",
    /// Proceedings terminated on the person's death, which is not recorded.
    DeathNotRecorded = "E_DEATH_NOT_RECORDED",
    /// A retraction of an entry an approved retraction already withdrew.
    AlreadyRetracted = "E_ALREADY_RETRACTED",
    /// An appeal with this id was already filed.
    AppealExists = "E_APPEAL_EXISTS",
    /// A visit of a wanted person with this id was already recorded.
    VisitExists = "E_VISIT_EXISTS",
    /// A letter of the President of the Assembly with this id was already recorded.
    LetterExists = "E_LETTER_EXISTS",
    /// A presupposed earlier event is not recorded.
    PredecessorUnrecorded = "W_PREDECESSOR_UNRECORDED",
    /// A date is less precise than the rule needs.
    DateImprecise = "W_DATE_IMPRECISE",
    /// The order of two events cannot be determined.
    IndeterminateOrder = "W_INDETERMINATE_ORDER",
    /// The warrant was sealed at the time of the conduct.
    SealedAtConduct = "W_SEALED_AT_CONDUCT",
    /// Assembly procedure steps out of their usual order.
    ProcedureOrder = "W_PROCEDURE_ORDER",
    /// A warrant's visibility decreased.
    Reclassified = "W_RECLASSIFIED",
    /// The source contradicts itself (or another source).
    SourceInternalConflict = "W_SOURCE_INTERNAL_CONFLICT",
    /// Fewer than 4 or more than 5 focal-point States, or two from one region.
    RosterSize = "W_ROSTER_SIZE",
}

/// A path to a field inside an event's `data`: member names joined by `.`, with `[n]` for list
/// elements: `occurred`, `occurred.to`, `sources[0].published_text`. Member names are
/// lower-case letters, digits and `_`. The path is relative to `data` (no event has a member
/// named `data`, so a path starting with `data` is refused as a likely mistake).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldPath {
    text: String,
    segments: Vec<Segment>,
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    /// An object member.
    Member(String),
    /// A list element.
    Index(usize),
}

impl FieldPath {
    /// The steps.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The value at this path in `data`, if there is one.
    pub fn get<'a>(&self, data: &'a Object) -> Option<&'a Value> {
        let mut segs = self.segments.iter();
        let mut cur = match segs.next()? {
            Segment::Member(m) => data.get(m)?,
            Segment::Index(_) => return None,
        };
        for s in segs {
            cur = match (s, cur) {
                (Segment::Member(m), Value::Object(o)) => o.get(m)?,
                (Segment::Index(i), Value::Array(a)) => a.get(*i)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// `data` with the value at this path replaced by (or, for a missing last member, set to)
    /// `value`; `None` if the path does not lead there.
    pub fn replace(&self, data: &Object, value: Value) -> Option<Object> {
        fn go(cur: &Value, segs: &[Segment], value: Value) -> Option<Value> {
            let Some((first, rest)) = segs.split_first() else {
                return Some(value);
            };
            match (first, cur) {
                (Segment::Member(m), Value::Object(o)) => {
                    let mut o = o.clone();
                    let inner = match (o.get(m), rest.is_empty()) {
                        (Some(v), _) => go(v, rest, value)?,
                        (None, true) => value,
                        (None, false) => return None,
                    };
                    o.insert(m.clone(), inner);
                    Some(Value::Object(o))
                }
                (Segment::Index(i), Value::Array(a)) => {
                    let mut a = a.clone();
                    let slot = a.get_mut(*i)?;
                    *slot = go(slot, rest, value)?;
                    Some(Value::Array(a))
                }
                _ => None,
            }
        }
        match go(&Value::Object(data.clone()), &self.segments, value)? {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl FromStr for FieldPath {
    type Err = IdError;
    fn from_str(s: &str) -> Result<FieldPath, IdError> {
        let bad = || IdError {
            expected: "a field path such as occurred, occurred.to or sources[0].published_text \
                 (without the leading data.)",
        };
        if s.is_empty() || s.len() > 256 || s == "data" || s.starts_with("data.") {
            return Err(bad());
        }
        let mut segments = Vec::new();
        for part in s.split('.') {
            let (name, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(bad());
            }
            segments.push(Segment::Member(name.to_owned()));
            while let Some(r) = rest.strip_prefix('[') {
                let (n, after) = r.split_once(']').ok_or_else(bad)?;
                let ok = !n.is_empty()
                    && n.len() <= 6
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && (n == "0" || !n.starts_with('0'));
                if !ok {
                    return Err(bad());
                }
                segments.push(Segment::Index(n.parse().map_err(|_| bad())?));
                rest = after;
            }
            if !rest.is_empty() {
                return Err(bad());
            }
        }
        Ok(FieldPath {
            text: s.to_owned(),
            segments,
        })
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

string_serde!(FieldPath, "a field path such as \"occurred.to\"");
