//! # acta-report: what is read out of an ICC non-cooperation log
//!
//! Two views of a [`Model`](acta_domain::model::Model) (acta-domain's projections of a log's
//! history), each a one-way dependency on it: nothing here changes what the model holds.
//!
//! - The regenerated "Report of the Bureau on non-cooperation" (DOMAIN.md §10), below;
//! - [`state_view`]: the text and JSON forms of `acta state`.
//!
//! ## The report
//!
//! The regenerated "Report of the Bureau on non-cooperation" (DOMAIN.md §10): a structured,
//! footnoted document built from a [`Model`](acta_domain::model::Model), and its renderings.
//!
//! [`build`] selects the facts of the reporting period (status applied, `occurred`
//! overlapping the period) and the **background** facts they reference from before the period
//! (the same proceeding, request, warrant, visit, letter, matter or decision), and writes them
//! in the style of the Bureau's report:
//!
//! - I: focal points (appointments, confirmations, the President ex officio) and mandates;
//! - II–IV: Court proceedings, one block per State (ordered by the State's first event of the
//!   period, chronological inside), the State's section given by [`Model::section_on`](acta_domain::model::Model::section_on);
//!   pending matters at the end of the period are said to be pending; III lists the Security
//!   Council resolutions that bind States; an empty section gets a nil sentence;
//! - V: the President, the Bureau and the focal points (prevention episodes, letters, formal
//!   procedure, statements); VI: the Security Council; VII: consultations;
//! - appendices: corrections applied, open source discrepancies, entries of unknown types,
//!   States whose status is not recorded, and a manifest of what the report was built from.
//!
//! Every [`Sentence`] carries a [`Footnote`]: the entries it comes from (seq and short hash)
//! and the documents they cite (never invented), and notes on corrections (the published
//! value), derivations and open flags. A nil sentence cites the log's head: it says nothing is
//! recorded up to it. Registry and reference entries (persons, situations, documents, Bureau
//! meetings, sessions, State status) are used for names and links, not reported as events.
//!
//! Renderers: [`to_markdown`], [`to_json`], [`to_html`] (one self-contained file with a
//! timeline picture per [`Case`]). Everything is deterministic: the same model and parameters
//! give the same bytes. Text from the log is inert in every rendering: escaped Markdown; in
//! HTML, values escaped by the maud template macro (no script, no external resource, and a
//! Content-Security-Policy that allows neither).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod build;
mod describe;
mod render;
pub mod state_view;
mod words;

use chrono::NaiveDate;
use serde::Serialize;

use acta_domain::date::LegalDate;
use acta_domain::ids::PersonId;
use acta_domain::model::ViewOptions;
use acta_domain::source::EntryRef;
use acta_domain::state::StateCode;

pub use build::build;
pub use render::{to_html, to_json, to_markdown};

/// What a report covers and what it was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportParams {
    /// First day of the reporting period.
    pub from: NaiveDate,
    /// Last day of the reporting period (the report's date).
    pub to: NaiveDate,
    /// The Assembly session the report is for.
    pub session: Option<u16>,
    /// Where the log comes from (a path or a name), for the manifest.
    pub origin: String,
    /// The log's last entry.
    pub head: Option<EntryRef>,
    /// The log's size (entries, system entries included).
    pub size: u64,
}

/// The report: sections of numbered paragraphs of footnoted sentences, case timelines,
/// appendices and a manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// "Report of the Bureau on non-cooperation".
    pub title: String,
    /// "Assembly of States Parties, Twenty-fourth session", if the session is given.
    pub session: Option<String>,
    /// The reporting period.
    pub period: Period,
    /// Sections I to VII.
    pub sections: Vec<ReportSection>,
    /// One timeline per person/State matter.
    pub cases: Vec<Case>,
    /// Corrections, discrepancies, unknown entries.
    pub appendices: Appendices,
    /// What the report was built from.
    pub manifest: Manifest,
}

/// The reporting period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// In words ("7 December 2024 to 26 November 2025").
    pub text: String,
}

/// A section of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSection {
    /// Its Roman numeral ("II").
    pub number: String,
    /// Its title.
    pub title: String,
    /// Its paragraphs.
    pub paragraphs: Vec<Paragraph>,
}

/// A numbered paragraph (numbered through the whole report, as in the Bureau's reports).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    /// Its number.
    pub number: u32,
    /// The block it belongs to (a State, a person and State), shown as a heading when it
    /// changes.
    pub group: Option<String>,
    /// Its sentences.
    pub sentences: Vec<Sentence>,
}

/// What kind of statement a sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SentenceKind {
    /// An event of the reporting period, as stated by its sources.
    Event,
    /// An event of the period whose date or content is derived (provenance inferred).
    Derived,
    /// An earlier event, given as background to an event of the period.
    Background,
    /// A matter pending at the end of the period (derived from what is not recorded).
    Pending,
    /// Nothing of this kind is recorded for the period.
    Nil,
}

/// One sentence and its footnote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    /// The text.
    pub text: String,
    /// What kind of statement it is.
    pub kind: SentenceKind,
    /// Where it comes from.
    pub footnote: Footnote,
}

/// A sentence's footnote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Footnote {
    /// The entries the sentence comes from; the first is the event described.
    pub entries: Vec<Cited>,
    /// The documents they cite (record numbers, symbols, Bureau decisions, sources).
    pub documents: Vec<String>,
    /// Notes: corrections (with the published value), derivations, words as published,
    /// open flags.
    pub notes: Vec<String>,
}

/// An entry cited in a footnote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cited {
    /// Its `seq`.
    pub seq: u64,
    /// The first 12 hex digits of its hash.
    pub hash: String,
    /// Its type, if it is a domain entry of the model.
    pub entry_type: Option<String>,
}

/// A person/State matter, for a timeline picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// "Osama Elmasry Njeem — Italy", "Mongolia".
    pub title: String,
    /// The State.
    pub state: StateCode,
    /// The person, if known.
    pub person: Option<PersonId>,
    /// Its dated events, chronologically.
    pub events: Vec<CaseEvent>,
}

/// One event on a case's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseEvent {
    /// A short label.
    pub label: String,
    /// When (corrected).
    pub date: LegalDate,
    /// The entry.
    pub seq: u64,
    /// Before the reporting period.
    pub background: bool,
}

/// The appendices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appendices {
    /// Corrections applied in the model.
    pub corrections: Vec<CorrectionNote>,
    /// Open anomaly flags and facts not applied (quarantined or rejected).
    pub discrepancies: Vec<Discrepancy>,
    /// Entries of types this version does not know.
    pub unknown: Vec<Cited>,
    /// States whose status under the Statute is not recorded (shown in section II).
    pub unclassified: Vec<StateCode>,
}

/// A correction applied to a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrectionNote {
    /// The corrected entry.
    pub target: Cited,
    /// The field.
    pub field: String,
    /// The value as published, in words.
    pub published: String,
    /// The corrected value, in words.
    pub corrected: String,
    /// Why.
    pub basis: String,
    /// The `correction_recorded` entry.
    pub correction: Cited,
    /// The approving entry.
    pub approval: Cited,
}

/// What kind of discrepancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancyKind {
    /// An anomaly flag no applied correction resolves.
    OpenFlag,
    /// A fact breaking a rule it acknowledges: not used until corrected.
    Quarantined,
    /// A fact breaking a rule it does not acknowledge: not used.
    Rejected,
}

/// An open source discrepancy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discrepancy {
    /// Its kind.
    pub kind: DiscrepancyKind,
    /// The entry concerned.
    pub entry: Cited,
    /// The flag entry, for an open flag.
    pub flag: Option<Cited>,
    /// The rule's code.
    pub code: String,
    /// In words.
    pub text: String,
}

/// What the report was built from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    /// The log's origin.
    pub origin: String,
    /// The log's last entry: seq and full hash.
    pub head: Option<HeadRef>,
    /// The log's size.
    pub size: u64,
    /// The view of the model.
    pub view: ViewOptions,
    /// The model's hash ([`Model::hash`](acta_domain::model::Model::hash)).
    pub model_hash: String,
    /// Every entry cited by a sentence, by seq.
    pub cited: Vec<ManifestEntry>,
    /// The entries cited by each paragraph.
    pub paragraphs: Vec<ManifestParagraph>,
}

/// The entries a paragraph cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestParagraph {
    /// The paragraph's number.
    pub number: u32,
    /// The entries its sentences cite, by seq.
    pub entries: Vec<u64>,
}

/// The head of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadRef {
    /// Its seq.
    pub seq: u64,
    /// Its full hash.
    pub hash: String,
}

/// An entry cited by the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestEntry {
    /// Its seq.
    pub seq: u64,
    /// Its full hash.
    pub hash: String,
    /// Its type.
    pub entry_type: Option<String>,
}
