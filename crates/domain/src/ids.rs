//! Identifiers and document references: situations, cases, court record numbers, Assembly and
//! United Nations document symbols, Bureau meetings, chambers, legal provisions, and the slug
//! identifiers events use to refer to each other (persons, warrants, proceedings, …).
//!
//! Every type has `Display` and `FromStr` that round-trip, and serializes as its string.

use std::fmt;
use std::str::FromStr;

use crate::text::string_serde;

/// Why a string is not a valid identifier or reference; the message says what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{expected}")]
pub struct IdError {
    /// What is expected, in words.
    pub expected: &'static str,
}

fn err<T>(expected: &'static str) -> Result<T, IdError> {
    Err(IdError { expected })
}

/// Parses exactly two ASCII digits.
fn two_digits(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    (b.len() == 2 && b.iter().all(u8::is_ascii_digit)).then(|| (b[0] - b'0') * 10 + (b[1] - b'0'))
}

/// Parses `NN/NN`.
fn pair(s: &str) -> Option<(u8, u8)> {
    let (a, b) = s.split_once('/')?;
    Some((two_digits(a)?, two_digits(b)?))
}

/// Parses a positive decimal number without leading zeros, of at most `max_digits` digits.
fn positive(s: &str, max_digits: usize) -> Option<u32> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > max_digits || b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.parse().ok()
}

// ---------------------------------------------------------------------------------------------

/// A situation: `ICC-NN/NN`, e.g. `ICC-01/18` (State of Palestine), `ICC-02/05` (Darfur).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SituationId {
    first: u8,
    second: u8,
}

const SITUATION_EXPECTED: &str = "a situation is ICC-NN/NN, e.g. ICC-01/18";

impl FromStr for SituationId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<SituationId, IdError> {
        match s.strip_prefix("ICC-").and_then(pair) {
            Some((first, second)) => Ok(SituationId { first, second }),
            None => err(SITUATION_EXPECTED),
        }
    }
}

impl fmt::Display for SituationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ICC-{:02}/{:02}", self.first, self.second)
    }
}

string_serde!(SituationId, "a situation such as \"ICC-01/18\"");

/// A case: its situation and `-NN/NN`, e.g. `ICC-02/05-01/07`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CaseId {
    situation: SituationId,
    first: u8,
    second: u8,
}

impl CaseId {
    /// The situation the case belongs to.
    pub fn situation(&self) -> SituationId {
        self.situation
    }
}

impl FromStr for CaseId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<CaseId, IdError> {
        const EXPECTED: &str = "a case is ICC-NN/NN-NN/NN, e.g. ICC-02/05-01/07";
        let Some((sit, case)) = s.get(..9).zip(s.get(9..)) else {
            return err(EXPECTED);
        };
        let (Ok(situation), Some((first, second))) = (
            sit.parse::<SituationId>(),
            case.strip_prefix('-').and_then(pair),
        ) else {
            return err(EXPECTED);
        };
        Ok(CaseId {
            situation,
            first,
            second,
        })
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}/{:02}", self.situation, self.first, self.second)
    }
}

string_serde!(CaseId, "a case such as \"ICC-02/05-01/07\"");

// ---------------------------------------------------------------------------------------------

/// An ICC record number: `ICC-NN/NN[-NN/NN]-N[-SUFFIX]*`, e.g. `ICC-01/18-462`,
/// `ICC-01/11-209-Anx`, `ICC-02/05-01/09-302-Red-tENG`.
///
/// The grammar is DOMAIN.md §4's `^ICC-\d{2}/\d{2}(-\d{2}/\d{2})?-\d+(-[A-Za-z0-9]+)*$`: the
/// situation, an optional case part, the document number, then any chain of suffixes (`Anx`,
/// `AnxA`, `Anx1`, `Red`, `Red2`, `Corr`, `tENG`, `Conf`, `Exp`, …). [`FromStr`] is exact; to
/// read a number out of running text, where it may end with punctuation, use
/// [`CourtRecordNumber::from_source_text`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CourtRecordNumber {
    situation: SituationId,
    case: Option<(u8, u8)>,
    number: String,
    suffixes: Vec<String>,
}

const RECORD_EXPECTED: &str = "a court record number is ICC-NN/NN[-NN/NN]-N[-Suffix]…, e.g. ICC-01/18-462 or ICC-01/11-209-Anx";

/// The characters [`CourtRecordNumber::from_source_text`] strips from the end of a citation.
const TRAILING_PUNCTUATION: &[char] = &[
    '.', ',', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '\u{2019}', '\u{201D}',
];

impl CourtRecordNumber {
    /// Reads a record number as cited in running text: surrounding white space and trailing
    /// punctuation are removed first (`"ICC-01/22-92-Anx."` in seed fn 25 gives
    /// `ICC-01/22-92-Anx`). `FromStr` itself accepts only the exact form.
    pub fn from_source_text(s: &str) -> Result<CourtRecordNumber, IdError> {
        s.trim().trim_end_matches(TRAILING_PUNCTUATION).parse()
    }

    /// The situation part.
    pub fn situation(&self) -> SituationId {
        self.situation
    }

    /// The case part, if the number is in a case record.
    pub fn case(&self) -> Option<CaseId> {
        self.case.map(|(first, second)| CaseId {
            situation: self.situation,
            first,
            second,
        })
    }

    /// The document number, e.g. `"462"`.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The suffixes in order, e.g. `["Anx", "Red"]`.
    pub fn suffixes(&self) -> &[String] {
        &self.suffixes
    }

    /// The number without its suffixes (`ICC-01/11-209-Anx` → `ICC-01/11-209`): the main
    /// document an annex, redaction, corrigendum or translation belongs to.
    pub fn base(&self) -> CourtRecordNumber {
        CourtRecordNumber {
            suffixes: Vec::new(),
            ..self.clone()
        }
    }

    /// Whether a suffix marks an annex (`Anx`, `AnxA`, `Anx1`, …).
    pub fn is_annex(&self) -> bool {
        self.suffixes.iter().any(|s| s.starts_with("Anx"))
    }
}

impl FromStr for CourtRecordNumber {
    type Err = IdError;
    fn from_str(s: &str) -> Result<CourtRecordNumber, IdError> {
        let Some(rest) = s.strip_prefix("ICC-") else {
            return err(RECORD_EXPECTED);
        };
        let mut parts = rest.split('-');
        let Some(situation) = parts.next().and_then(pair) else {
            return err(RECORD_EXPECTED);
        };
        let situation = SituationId {
            first: situation.0,
            second: situation.1,
        };
        let mut next = parts.next();
        let case = next.and_then(pair);
        if case.is_some() {
            next = parts.next();
        }
        let number = match next {
            Some(n) if !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit()) => {
                n.to_owned()
            }
            _ => return err(RECORD_EXPECTED),
        };
        let mut suffixes = Vec::new();
        for p in parts {
            if p.is_empty() || p.len() > 32 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return err(RECORD_EXPECTED);
            }
            suffixes.push(p.to_owned());
        }
        Ok(CourtRecordNumber {
            situation,
            case,
            number,
            suffixes,
        })
    }
}

impl fmt::Display for CourtRecordNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.situation)?;
        if let Some((a, b)) = self.case {
            write!(f, "-{a:02}/{b:02}")?;
        }
        write!(f, "-{}", self.number)?;
        for s in &self.suffixes {
            write!(f, "-{s}")?;
        }
        Ok(())
    }
}

string_serde!(
    CourtRecordNumber,
    "an ICC record number such as \"ICC-01/18-462\""
);

// ---------------------------------------------------------------------------------------------

/// An Assembly of States Parties document symbol: `ICC-ASP/<session>/Res.<n>` (a resolution)
/// or `ICC-ASP/<session>/<n>[/Add.<n>][/Corr.<n>]`, e.g. `ICC-ASP/23/Res.1`, `ICC-ASP/17/31`.
///
/// Sessions are 1 to 99 (`ICC-ASP/232/Res.13`, a typo in the seed, is refused).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AspDocRef {
    session: u32,
    kind: AspDocKind,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum AspDocKind {
    Resolution(u32),
    Document {
        number: u32,
        add: Option<u32>,
        corr: Option<u32>,
    },
}

const ASP_EXPECTED: &str = "an Assembly document is ICC-ASP/<session 1-99>/Res.<n> or \
     ICC-ASP/<session>/<n>[/Add.<n>][/Corr.<n>], e.g. ICC-ASP/23/Res.1";

impl AspDocRef {
    /// The session number.
    pub fn session(&self) -> u32 {
        self.session
    }

    /// The resolution number, if this is a resolution.
    pub fn resolution(&self) -> Option<u32> {
        match self.kind {
            AspDocKind::Resolution(n) => Some(n),
            AspDocKind::Document { .. } => None,
        }
    }
}

impl FromStr for AspDocRef {
    type Err = IdError;
    fn from_str(s: &str) -> Result<AspDocRef, IdError> {
        let Some(rest) = s.strip_prefix("ICC-ASP/") else {
            return err(ASP_EXPECTED);
        };
        let mut parts = rest.split('/');
        let Some(session) = parts.next().and_then(|p| positive(p, 2)) else {
            return err(ASP_EXPECTED);
        };
        let kind = match parts.next() {
            Some(p) if p.starts_with("Res.") => match positive(&p[4..], 3) {
                Some(n) if parts.next().is_none() => AspDocKind::Resolution(n),
                _ => return err(ASP_EXPECTED),
            },
            Some(p) => {
                let Some(number) = positive(p, 4) else {
                    return err(ASP_EXPECTED);
                };
                let mut add = None;
                let mut corr = None;
                let mut next = parts.next();
                if let Some(a) = next.and_then(|p| p.strip_prefix("Add.")) {
                    add = Some(positive(a, 3).ok_or(IdError {
                        expected: ASP_EXPECTED,
                    })?);
                    next = parts.next();
                }
                if let Some(c) = next.and_then(|p| p.strip_prefix("Corr.")) {
                    corr = Some(positive(c, 3).ok_or(IdError {
                        expected: ASP_EXPECTED,
                    })?);
                    next = parts.next();
                }
                if next.is_some() {
                    return err(ASP_EXPECTED);
                }
                AspDocKind::Document { number, add, corr }
            }
            None => return err(ASP_EXPECTED),
        };
        Ok(AspDocRef { session, kind })
    }
}

impl fmt::Display for AspDocRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ICC-ASP/{}/", self.session)?;
        match &self.kind {
            AspDocKind::Resolution(n) => write!(f, "Res.{n}"),
            AspDocKind::Document { number, add, corr } => {
                write!(f, "{number}")?;
                if let Some(a) = add {
                    write!(f, "/Add.{a}")?;
                }
                if let Some(c) = corr {
                    write!(f, "/Corr.{c}")?;
                }
                Ok(())
            }
        }
    }
}

string_serde!(
    AspDocRef,
    "an Assembly document symbol such as \"ICC-ASP/23/Res.1\""
);

// ---------------------------------------------------------------------------------------------

/// A United Nations document symbol, e.g. `S/RES/1593 (2005)`, `A/67/828-S/2013/210` (a joint
/// symbol), `RC/Dec.2`: one or more symbols joined by `-`, each a series of 1 to 8 upper-case
/// letters followed by `/`-separated parts of letters, digits and `.`, then optionally a year
/// in parentheses after a space.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnDocRef(String);

const UN_EXPECTED: &str =
    "a UN document symbol such as S/RES/1593 (2005), A/67/828-S/2013/210 or RC/Dec.2";

impl UnDocRef {
    /// The Security Council resolution number, if this is `S/RES/<n>…`.
    pub fn security_council_resolution(&self) -> Option<u32> {
        let rest = self.0.strip_prefix("S/RES/")?;
        let n = rest.split([' ', '-', '/']).next()?;
        positive(n, 5)
    }

    /// The symbol text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn un_symbol(s: &str) -> bool {
    let mut parts = s.split('/');
    let series_ok = parts.next().is_some_and(|p| {
        !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_uppercase())
    });
    let mut rest = 0;
    for p in parts {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
            return false;
        }
        rest += 1;
    }
    series_ok && rest > 0
}

impl FromStr for UnDocRef {
    type Err = IdError;
    fn from_str(s: &str) -> Result<UnDocRef, IdError> {
        if s.len() > 200 {
            return err(UN_EXPECTED);
        }
        let symbols = match s.rsplit_once(' ') {
            Some((symbols, year)) => {
                let y = year.strip_prefix('(').and_then(|y| y.strip_suffix(')'));
                if !y.is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())) {
                    return err(UN_EXPECTED);
                }
                symbols
            }
            None => s,
        };
        if symbols.split('-').all(un_symbol) {
            Ok(UnDocRef(s.to_owned()))
        } else {
            err(UN_EXPECTED)
        }
    }
}

impl fmt::Display for UnDocRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(
    UnDocRef,
    "a UN document symbol such as \"S/RES/1593 (2005)\""
);

// ---------------------------------------------------------------------------------------------

/// A Bureau meeting, numbered per year: `YYYY-N`, e.g. `2025-13` (the thirteenth meeting of
/// 2025, whose decisions are in "2025-Bureau13-Agenda-Decisions.pdf").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BureauMeetingRef {
    /// The year.
    pub year: u16,
    /// The meeting's number within the year, from 1.
    pub number: u16,
}

impl FromStr for BureauMeetingRef {
    type Err = IdError;
    fn from_str(s: &str) -> Result<BureauMeetingRef, IdError> {
        const EXPECTED: &str = "a Bureau meeting is YYYY-N, e.g. 2025-13";
        let Some((y, n)) = s.split_once('-') else {
            return err(EXPECTED);
        };
        match (positive(y, 4).filter(|y| *y >= 1000), positive(n, 3)) {
            (Some(year), Some(number)) => Ok(BureauMeetingRef {
                year: u16::try_from(year).map_err(|_| IdError { expected: EXPECTED })?,
                number: u16::try_from(number).map_err(|_| IdError { expected: EXPECTED })?,
            }),
            _ => err(EXPECTED),
        }
    }
}

impl fmt::Display for BureauMeetingRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.year, self.number)
    }
}

string_serde!(BureauMeetingRef, "a Bureau meeting such as \"2025-13\"");

// ---------------------------------------------------------------------------------------------

/// Any document a fact can be sourced to. Its string form tells the kind:
///
/// | form | kind |
/// |---|---|
/// | `ICC-01/18-462` | [`DocRef::Court`]: an ICC record number |
/// | `ICC-ASP/23/Res.1` | [`DocRef::Asp`]: an Assembly document |
/// | `S/RES/1593 (2005)` | [`DocRef::Un`]: a UN document symbol |
/// | `bureau:2025-13` | [`DocRef::BureauDecision`]: the agenda and decisions of a Bureau meeting |
/// | `job:33-E-261125` | [`DocRef::JobNumber`]: a document known only by its job number (the seed report) |
/// | `doc:otp-unsc-1593-40` | [`DocRef::Local`]: a document registered in this log by `source_document_registered` |
/// | `url:https://…` | [`DocRef::Url`]: a web page (a press release, a post) |
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocRef {
    /// An ICC record number.
    Court(CourtRecordNumber),
    /// An Assembly document symbol.
    Asp(AspDocRef),
    /// A UN document symbol.
    Un(UnDocRef),
    /// The agenda and decisions of a Bureau meeting.
    BureauDecision(BureauMeetingRef),
    /// A job number (letters, digits, `-`).
    JobNumber(String),
    /// A document registered in this log under a slug.
    Local(Slug),
    /// A web address (`http://` or `https://`, no white space).
    Url(String),
}

const DOC_EXPECTED: &str = "a document reference: an ICC record number (ICC-01/18-462), an \
     Assembly symbol (ICC-ASP/23/Res.1), a UN symbol (S/RES/1593 (2005)), bureau:YYYY-N, \
     job:NUMBER, doc:SLUG or url:https://…";

impl FromStr for DocRef {
    type Err = IdError;
    fn from_str(s: &str) -> Result<DocRef, IdError> {
        if s.starts_with("ICC-ASP/") {
            return s.parse().map(DocRef::Asp);
        }
        if s.starts_with("ICC-") {
            return s.parse().map(DocRef::Court);
        }
        if let Some(m) = s.strip_prefix("bureau:") {
            return m.parse().map(DocRef::BureauDecision);
        }
        if let Some(j) = s.strip_prefix("job:") {
            if !j.is_empty()
                && j.len() <= 64
                && j.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return Ok(DocRef::JobNumber(j.to_owned()));
            }
            return err(
                "a job number is job: followed by letters, digits and -, e.g. job:33-E-261125",
            );
        }
        if let Some(d) = s.strip_prefix("doc:") {
            return d.parse().map(DocRef::Local);
        }
        if let Some(u) = s.strip_prefix("url:") {
            if (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() > 8
                && u.len() <= 2048
                && !u.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                return Ok(DocRef::Url(u.to_owned()));
            }
            return err("a web reference is url: followed by an http(s) address without spaces");
        }
        s.parse().map(DocRef::Un).map_err(|_| IdError {
            expected: DOC_EXPECTED,
        })
    }
}

impl fmt::Display for DocRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocRef::Court(c) => write!(f, "{c}"),
            DocRef::Asp(a) => write!(f, "{a}"),
            DocRef::Un(u) => write!(f, "{u}"),
            DocRef::BureauDecision(m) => write!(f, "bureau:{m}"),
            DocRef::JobNumber(j) => write!(f, "job:{j}"),
            DocRef::Local(d) => write!(f, "doc:{d}"),
            DocRef::Url(u) => write!(f, "url:{u}"),
        }
    }
}

string_serde!(DocRef, "a document reference such as \"ICC-01/18-462\"");

// ---------------------------------------------------------------------------------------------

/// A judicial body of the Court: `PTC-I`…, `TC-I`… (optionally `TC-V(A)`), `Appeals`,
/// `Plenary` (of Judges), `Presidency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChamberId {
    /// A Pre-Trial Chamber, numbered from 1 (written in Roman numerals).
    PreTrial(u8),
    /// A Trial Chamber, numbered from 1, with an optional letter (`TC-V(A)`).
    Trial(u8, Option<char>),
    /// The Appeals Chamber.
    Appeals,
    /// The Plenary of Judges (e.g. on disqualification, art. 41(2)).
    Plenary,
    /// The Presidency.
    Presidency,
}

const ROMAN: [&str; 20] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
    "XVI", "XVII", "XVIII", "XIX", "XX",
];

const CHAMBER_EXPECTED: &str =
    "a chamber is PTC-I, PTC-II, …, TC-I, …, TC-V(A), Appeals, Plenary or Presidency";

fn roman(s: &str) -> Option<u8> {
    ROMAN
        .iter()
        .position(|r| *r == s)
        .and_then(|i| u8::try_from(i + 1).ok())
}

impl ChamberId {
    /// Whether this is a Chamber that can be seized of non-compliance (Pre-Trial or Trial).
    pub fn is_first_instance(&self) -> bool {
        matches!(self, ChamberId::PreTrial(_) | ChamberId::Trial(..))
    }
}

impl FromStr for ChamberId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<ChamberId, IdError> {
        match s {
            "Appeals" => return Ok(ChamberId::Appeals),
            "Plenary" => return Ok(ChamberId::Plenary),
            "Presidency" => return Ok(ChamberId::Presidency),
            _ => {}
        }
        if let Some(n) = s.strip_prefix("PTC-").and_then(roman) {
            return Ok(ChamberId::PreTrial(n));
        }
        if let Some(rest) = s.strip_prefix("TC-") {
            if let Some(n) = roman(rest) {
                return Ok(ChamberId::Trial(n, None));
            }
            let b = rest.as_bytes();
            if b.len() >= 4 && b[b.len() - 3] == b'(' && b[b.len() - 1] == b')' {
                let letter = char::from(b[b.len() - 2]);
                if let (Some(n), true) = (roman(&rest[..b.len() - 3]), letter.is_ascii_uppercase())
                {
                    return Ok(ChamberId::Trial(n, Some(letter)));
                }
            }
        }
        err(CHAMBER_EXPECTED)
    }
}

impl fmt::Display for ChamberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let numeral = |n: u8| {
            ROMAN
                .get(usize::from(n).wrapping_sub(1))
                .copied()
                .unwrap_or("?")
        };
        match self {
            ChamberId::PreTrial(n) => write!(f, "PTC-{}", numeral(*n)),
            ChamberId::Trial(n, None) => write!(f, "TC-{}", numeral(*n)),
            ChamberId::Trial(n, Some(l)) => write!(f, "TC-{}({l})", numeral(*n)),
            ChamberId::Appeals => f.write_str("Appeals"),
            ChamberId::Plenary => f.write_str("Plenary"),
            ChamberId::Presidency => f.write_str("Presidency"),
        }
    }
}

string_serde!(ChamberId, "a chamber such as \"PTC-I\"");

// ---------------------------------------------------------------------------------------------

/// A provision of a legal text: `art. 89(1)` (Rome Statute), `rule 176` (Rules of Procedure
/// and Evidence), `reg. 109(4)` (Regulations of the Court), `procedures para. 14(c)` (the
/// Assembly procedures relating to non-cooperation). After the instrument: a number, an
/// optional `bis`/`ter`/`quater`, then up to four parenthesised parts of digits or lower-case
/// letters: `art. 87(5)(b)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Provision(String);

const PROVISION_EXPECTED: &str = "a provision such as art. 89(1), art. 87(5)(b), rule 176, \
     reg. 109(4) or procedures para. 14(c)";

impl Provision {
    /// The provision text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Provision {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Provision, IdError> {
        let rest = ["art. ", "rule ", "reg. ", "procedures para. "]
            .iter()
            .find_map(|p| s.strip_prefix(p))
            .ok_or(IdError {
                expected: PROVISION_EXPECTED,
            })?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if positive(&rest[..digits], 4).is_none() {
            return err(PROVISION_EXPECTED);
        }
        let mut rest = &rest[digits..];
        for latin in ["bis", "ter", "quater"] {
            if let Some(r) = rest.strip_prefix(latin) {
                rest = r;
                break;
            }
        }
        let mut groups = 0;
        while let Some(r) = rest.strip_prefix('(') {
            let Some((inner, after)) = r.split_once(')') else {
                return err(PROVISION_EXPECTED);
            };
            let ok = (positive(inner, 3).is_some())
                || (!inner.is_empty()
                    && inner.len() <= 5
                    && inner.bytes().all(|b| b.is_ascii_lowercase()));
            if !ok {
                return err(PROVISION_EXPECTED);
            }
            groups += 1;
            rest = after;
        }
        if !rest.is_empty() || groups > 4 {
            return err(PROVISION_EXPECTED);
        }
        Ok(Provision(s.to_owned()))
    }
}

impl fmt::Display for Provision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Provision, "a provision such as \"art. 89(1)\"");

// ---------------------------------------------------------------------------------------------

/// A slug: 1 to 80 bytes of lower-case letters and digits in groups joined by single `-`
/// (`njeem-osama-elmasry`, `hun-2025`). The shape of every identifier events give each other.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

const SLUG_EXPECTED: &str = "an identifier is 1 to 80 lower-case letters and digits in groups joined by single '-', \
     e.g. njeem-osama-elmasry";

impl Slug {
    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Slug {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Slug, IdError> {
        let ok = !s.is_empty()
            && s.len() <= 80
            && s.split('-').all(|g| {
                !g.is_empty()
                    && g.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if ok {
            Ok(Slug(s.to_owned()))
        } else {
            err(SLUG_EXPECTED)
        }
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Slug, "an identifier such as \"njeem-osama-elmasry\"");

/// Defines slug-shaped identifier newtypes.
macro_rules! slug_ids {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Slug);

        impl $name {
            /// The identifier text.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<$name, IdError> {
                s.parse().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        string_serde!($name, "an identifier (a slug such as \"hun-2025\")");
    )*};
}

slug_ids! {
    /// A person (a subject of a warrant or an official): a stable slug such as
    /// `njeem-osama-elmasry`, never a name (names change and have variants; they are aliases).
    PersonId;
    /// An arrest warrant, as this log names it (its record number, if public, is `doc_ref`).
    WarrantId;
    /// A Prosecutor's application for a warrant.
    ApplicationId;
    /// A request for arrest and surrender transmitted to one or more States.
    CooperationRequestId;
    /// A non-compliance proceeding (one State, one subject, one Chamber).
    ProceedingId;
    /// A decision on non-compliance.
    DecisionId;
    /// A request filed in proceedings (for a finding, reconsideration, leave to appeal, …).
    RequestId;
    /// An appeal.
    AppealId;
    /// A visit of a wanted person to a State.
    VisitId;
    /// A prevention episode (travel information → letter → visit → outcome).
    EpisodeId;
    /// A letter of the President of the Assembly.
    LetterId;
    /// A matter before the Assembly under its formal procedure.
    AspMatterId;
}

// ---------------------------------------------------------------------------------------------

/// A SHA-256 digest as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sha256Hex(pub [u8; 32]);

impl FromStr for Sha256Hex {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Sha256Hex, IdError> {
        const EXPECTED: &str = "a SHA-256 digest is 64 lower-case hex digits";
        if s.len() != 64 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return err(EXPECTED);
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| IdError { expected: EXPECTED })?;
        Ok(Sha256Hex(out))
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Hex({self})")
    }
}

string_serde!(Sha256Hex, "a SHA-256 digest (64 lower-case hex digits)");
