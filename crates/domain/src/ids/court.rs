//! Court identifiers: situations, cases, court record numbers and chambers.

use std::fmt;
use std::str::FromStr;

use super::{IdError, err, pair};
use crate::text::string_serde;

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
