//! Document references: Assembly and United Nations document symbols, Bureau meetings,
//! any document ([`DocRef`]) and legal provisions.

use std::fmt;
use std::str::FromStr;

use super::{CourtRecordNumber, IdError, Slug, err, positive};
use crate::text::string_serde;

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
