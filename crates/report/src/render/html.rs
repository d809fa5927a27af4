//! The report as one self-contained HTML page, written with maud: every text from the log is
//! a value maud escapes ([`Inert`]), never markup.

use std::cell::Cell;
use std::fmt::Write as _;

use maud::{DOCTYPE, Escaper, Markup, PreEscaped, Render, html};

use super::footnote_text;
use super::svg::svg;
use crate::{Case, Report, ReportSection, SentenceKind};

/// Text from the log (or built from it), as HTML text or an attribute value. maud escapes
/// `& < > "`; before that, control characters (line breaks included) become a space and the
/// other characters a text field may not hold (bidirectional controls, zero-width and format
/// characters, noncharacters) are shown as `[U+XXXX]`, as in Markdown: nothing the text holds
/// can start markup, reorder what a reader sees or hide in it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Inert<'a>(pub &'a str);

impl Render for Inert<'_> {
    fn render_to(&self, buffer: &mut String) {
        let mut out = Escaper::new(buffer);
        let mut rest = self.0;
        while let Some((i, c)) = rest.char_indices().find(|(_, c)| shown_otherwise(*c)) {
            let _ = out.write_str(&rest[..i]);
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                let _ = out.write_char(' ');
            } else {
                let _ = write!(out, "[U+{:04X}]", u32::from(c));
            }
            rest = &rest[i + c.len_utf8()..];
        }
        let _ = out.write_str(rest);
    }
}

/// Whether `c` is not written as it is: a control character or one a text field may not hold.
fn shown_otherwise(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}')
        || acta_domain::text::forbidden_char(c).is_some()
}

const CSS: &str = "body{font-family:Georgia,'Times New Roman',serif;margin:0;background:#f7f7f5;color:#1d1d1d}
main{max-width:52rem;margin:0 auto;padding:2rem 1.5rem;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
h3{font-size:1.05rem;color:#444}p.para{line-height:1.5}span.no{font-weight:bold;margin-right:.4rem}
span.background{color:#555;font-style:italic}span.pending{color:#7a4b00}span.nil{color:#333}
span.derived{text-decoration:underline dotted #999}sup a{text-decoration:none}
nav ol{columns:2}figure{margin:1rem 0;border:1px solid #ddd;padding:.5rem}figcaption{font-weight:bold;margin-bottom:.3rem}
svg{max-width:100%;height:auto;font-family:Arial,Helvetica,sans-serif}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
section.footnotes{font-size:.85rem}section.footnotes li{margin:.2rem 0}code{font-size:.85rem}
.legend{font-size:.85rem;color:#444}";

/// The page's Content Security Policy: nothing may be loaded or run, only the inline style
/// applies. The page needs nothing else; a browser that honours it would not run a script even
/// if one got into the page.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// A line break between elements, as the page has always had them (for people reading the
/// source and for diffs).
pub(super) const NL: &str = "\n";

/// The report as one self-contained HTML file: inline CSS, no script, no external resource;
/// footnotes as links; one timeline (inline SVG) per case.
pub fn to_html(r: &Report) -> String {
    let notes: Vec<String> = r
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| &p.sentences)
        .map(|sen| footnote_text(&sen.footnote))
        .collect();
    let counter = Cell::new(0usize);
    let page = html! {
        (DOCTYPE) (NL)
        html lang="en" {
            (NL)
            head {
                (NL)
                meta charset="utf-8"; (NL)
                meta http-equiv="Content-Security-Policy" content=(CSP); (NL)
                title { (Inert(&r.title)) } (NL)
                style { (NL) (PreEscaped(CSS)) (NL) } (NL)
            }
            (NL)
            body {
                (NL)
                main {
                    (NL)
                    header {
                        (NL)
                        h1 { (Inert(&r.title)) } (NL)
                        @if let Some(s) = &r.session {
                            p { (Inert(s)) } (NL)
                        }
                        p { "Reporting period: " (Inert(&r.period.text)) "." } (NL)
                    }
                    (NL)
                    nav {
                        (NL)
                        h2 { "Contents" } (NL)
                        ol {
                            (NL)
                            @for s in &r.sections {
                                li { a href={ "#section-" (Inert(&s.number)) } { (Inert(&s.number)) ". " (Inert(&s.title)) } } (NL)
                            }
                            li { a href="#timelines" { "Case timelines" } } (NL)
                            li { a href="#appendices" { "Appendices" } } (NL)
                            li { a href="#manifest" { "Manifest" } } (NL)
                        }
                        (NL)
                    }
                    (NL)
                    @for s in &r.sections {
                        (section(s, &counter))
                    }
                    (timelines(r))
                    (appendices(r))
                    (manifest(r))
                    section class="footnotes" {
                        (NL)
                        h2 { "Notes" } (NL)
                        ol {
                            (NL)
                            @for (i, n) in notes.iter().enumerate() {
                                @let k = i + 1;
                                li id={ "fn-" (k) } {
                                    (Inert(n)) " "
                                    a href={ "#fnref-" (k) } { (PreEscaped("&#8617;")) }
                                }
                                (NL)
                            }
                        }
                        (NL)
                    }
                    (NL)
                }
                (NL)
            }
            (NL)
        }
        (NL)
    };
    page.into_string()
}

/// A report section: its heading, group headings and numbered paragraphs, each sentence with
/// its footnote mark (numbered through the report by `counter`).
fn section(s: &ReportSection, counter: &Cell<usize>) -> Markup {
    // A group heading where the group changes (a paragraph without a group keeps the last).
    let mut last: Option<&str> = None;
    let headings: Vec<Option<&str>> = s
        .paragraphs
        .iter()
        .map(|p| match p.group.as_deref() {
            Some(g) if last != Some(g) => {
                last = Some(g);
                Some(g)
            }
            _ => None,
        })
        .collect();
    html! {
        section id={ "section-" (Inert(&s.number)) } {
            (NL)
            h2 { (Inert(&s.number)) ". " (Inert(&s.title)) } (NL)
            @for (p, heading) in s.paragraphs.iter().zip(headings) {
                @if let Some(g) = heading {
                    h3 { (Inert(g)) } (NL)
                }
                p class="para" id={ "para-" (p.number) } {
                    span class="no" { (p.number) "." }
                    @for sen in &p.sentences {
                        @let n = { counter.set(counter.get() + 1); counter.get() };
                        " "
                        span class=(kind_class(sen.kind)) { (Inert(&sen.text)) }
                        sup { a href={ "#fn-" (n) } id={ "fnref-" (n) } { (n) } }
                    }
                }
                (NL)
            }
        }
        (NL)
    }
}

fn kind_class(k: SentenceKind) -> &'static str {
    match k {
        SentenceKind::Event => "event",
        SentenceKind::Derived => "derived",
        SentenceKind::Background => "background",
        SentenceKind::Pending => "pending",
        SentenceKind::Nil => "nil",
    }
}

/// The case timelines: one figure (an inline SVG picture) per case.
fn timelines(r: &Report) -> Markup {
    html! {
        section id="timelines" {
            (NL)
            h2 { "Case timelines" } (NL)
            p class="legend" { "Dots: events on a known day. Bars: events lasting several days. Hatched bars: events known only to have happened within the range shown. Faded marks: background before the reporting period (shaded band)." } (NL)
            @for (i, c) in r.cases.iter().enumerate() {
                (figure(c, i + 1, r))
            }
        }
        (NL)
    }
}

fn figure(c: &Case, n: usize, r: &Report) -> Markup {
    html! {
        figure id={ "case-" (n) } {
            (NL)
            figcaption { (Inert(&c.title)) } (NL)
            (svg(c, n, r.period.from, r.period.to))
        }
        (NL)
    }
}

/// Appendices A (corrections), B (discrepancies), C (unknown types) and the unclassified
/// States.
fn appendices(r: &Report) -> Markup {
    let a = &r.appendices;
    html! {
        section id="appendices" {
            (NL)
            h2 { "Appendices" } (NL)
            h3 { "A. Corrections applied" } (NL)
            @if a.corrections.is_empty() {
                p { "No correction is applied." } (NL)
            } @else {
                table {
                    (NL)
                    tr { th { "Entry" } th { "Field" } th { "Published" } th { "Corrected" } th { "Basis" } th { "Correction" } th { "Approval" } } (NL)
                    @for c in &a.corrections {
                        tr {
                            td { (c.target.seq) " (" (Inert(&c.target.hash)) ") " (Inert(c.target.entry_type.as_deref().unwrap_or("?"))) }
                            td { code { (Inert(&c.field)) } }
                            td { (Inert(&c.published)) }
                            td { (Inert(&c.corrected)) }
                            td { (Inert(&c.basis)) }
                            td { (c.correction.seq) " (" (Inert(&c.correction.hash)) ")" }
                            td { (c.approval.seq) " (" (Inert(&c.approval.hash)) ")" }
                        }
                        (NL)
                    }
                }
                (NL)
            }
            h3 { "B. Open source discrepancies" } (NL)
            @if a.discrepancies.is_empty() {
                p { "No open discrepancy." } (NL)
            } @else {
                table {
                    (NL)
                    tr { th { "Entry" } th { "Kind" } th { "Code" } th { "Flag" } th { "Description" } } (NL)
                    @for d in &a.discrepancies {
                        tr {
                            td { (d.entry.seq) " (" (Inert(&d.entry.hash)) ") " (Inert(d.entry.entry_type.as_deref().unwrap_or("?"))) }
                            td { (discrepancy_kind(d.kind)) }
                            td { (Inert(&d.code)) }
                            td {
                                @if let Some(f) = &d.flag {
                                    (f.seq) " (" (Inert(&f.hash)) ")"
                                }
                            }
                            td { (Inert(&d.text)) }
                        }
                        (NL)
                    }
                }
                (NL)
            }
            h3 { "C. Entries of types this version does not know" } (NL)
            @if a.unknown.is_empty() {
                p { "None." } (NL)
            } @else {
                ul {
                    (NL)
                    @for u in &a.unknown {
                        li {
                            "Entry " (u.seq) " (" (Inert(&u.hash)) "), type "
                            code { (Inert(u.entry_type.as_deref().unwrap_or("?"))) }
                        }
                        (NL)
                    }
                }
                (NL)
            }
            @if !a.unclassified.is_empty() {
                @let states = a.unclassified.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                p { "States whose status under the Statute is not recorded (shown in section II): " (Inert(&states)) "." } (NL)
            }
        }
        (NL)
    }
}

fn discrepancy_kind(k: crate::DiscrepancyKind) -> &'static str {
    match k {
        crate::DiscrepancyKind::OpenFlag => "open flag",
        crate::DiscrepancyKind::Quarantined => "quarantined",
        crate::DiscrepancyKind::Rejected => "rejected",
    }
}

/// What the report was built from.
fn manifest(r: &Report) -> Markup {
    let m = &r.manifest;
    let cited = m
        .cited
        .iter()
        .map(|c| c.seq.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        section id="manifest" {
            (NL)
            h2 { "Manifest" } (NL)
            table {
                (NL)
                tr { th { "Origin" } td { (Inert(&m.origin)) } } (NL)
                tr {
                    th { "Head" }
                    td {
                        @if let Some(h) = &m.head {
                            "entry " (h.seq) " (" code { (Inert(&h.hash)) } ")"
                        } @else {
                            "none"
                        }
                    }
                }
                (NL)
                tr { th { "Size" } td { (m.size) " entries" } } (NL)
                tr { th { "Model hash" } td { code { (Inert(&m.model_hash)) } } } (NL)
                tr { th { "Entries cited" } td { (cited) } } (NL)
            }
            (NL)
        }
        (NL)
    }
}
