//! Renderings of a [`Report`]: Markdown, JSON, and one self-contained HTML file with a
//! timeline picture (inline SVG) per case. All deterministic.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::words;
use super::{Case, Footnote, Report, SentenceKind};
use crate::date::LegalDate;

/// The footnote's text: "Entry 23 (a1b2c3d4e5f6); ICC-01/18-462. Published as …".
fn footnote_text(f: &Footnote) -> String {
    let entries: Vec<String> = f
        .entries
        .iter()
        .map(|e| format!("{} ({})", e.seq, e.hash))
        .collect();
    let mut out = match entries.len() {
        0 => String::new(),
        1 => format!("Entry {}", entries[0]),
        _ => format!("Entries {}", words::join(&entries)),
    };
    if !f.documents.is_empty() {
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(&f.documents.join("; "));
    }
    if !out.is_empty() {
        out.push('.');
    }
    for n in &f.notes {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(n);
    }
    out
}

/// Escapes Markdown's inline syntax.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The report as Markdown, footnotes as `[^n]` defined at the end.
pub fn to_markdown(r: &Report) -> String {
    let mut out = String::new();
    let mut notes: Vec<String> = Vec::new();
    let _ = writeln!(out, "# {}\n", md(&r.title));
    if let Some(s) = &r.session {
        let _ = writeln!(out, "{}\n", md(s));
    }
    let _ = writeln!(out, "Reporting period: {}.\n", md(&r.period.text));
    for s in &r.sections {
        let _ = writeln!(out, "## {}. {}\n", s.number, md(&s.title));
        let mut group: Option<&str> = None;
        for p in &s.paragraphs {
            if let Some(g) = &p.group
                && group != Some(g.as_str())
            {
                let _ = writeln!(out, "### {}\n", md(g));
                group = Some(g.as_str());
            }
            let mut line = format!("{}.", p.number);
            for sen in &p.sentences {
                notes.push(footnote_text(&sen.footnote));
                let text = md(&sen.text);
                let text = match sen.kind {
                    SentenceKind::Background => format!("*{text}*"),
                    _ => text,
                };
                let _ = write!(line, " {text}[^{}]", notes.len());
            }
            let _ = writeln!(out, "{line}\n");
        }
    }
    if !r.cases.is_empty() {
        let _ = writeln!(out, "## Case timelines\n");
        for c in &r.cases {
            let _ = writeln!(out, "### {}\n", md(&c.title));
            for e in &c.events {
                let _ = writeln!(
                    out,
                    "- {}: {} (entry {}){}",
                    md(&words::date(&e.date)),
                    md(&e.label),
                    e.seq,
                    if e.background { ", background" } else { "" }
                );
            }
            out.push('\n');
        }
    }
    let a = &r.appendices;
    let _ = writeln!(out, "## Appendix A. Corrections applied\n");
    if a.corrections.is_empty() {
        let _ = writeln!(out, "No correction is applied.\n");
    }
    for c in &a.corrections {
        let _ = writeln!(
            out,
            "- Entry {} ({}, {}), field `{}`: published as {}; corrected to {} ({}); correction entry {} ({}), approved by entry {} ({}).",
            c.target.seq,
            c.target.hash,
            md(c.target.entry_type.as_deref().unwrap_or("?")),
            c.field,
            md(&c.published),
            md(&c.corrected),
            md(&c.basis),
            c.correction.seq,
            c.correction.hash,
            c.approval.seq,
            c.approval.hash
        );
    }
    let _ = writeln!(out, "\n## Appendix B. Open source discrepancies\n");
    if a.discrepancies.is_empty() {
        let _ = writeln!(out, "No open discrepancy.\n");
    }
    for d in &a.discrepancies {
        let kind = match d.kind {
            super::DiscrepancyKind::OpenFlag => "open flag",
            super::DiscrepancyKind::Quarantined => "quarantined",
            super::DiscrepancyKind::Rejected => "rejected",
        };
        let _ = writeln!(
            out,
            "- Entry {} ({}, {}): {kind}, {}{}: {}",
            d.entry.seq,
            d.entry.hash,
            md(d.entry.entry_type.as_deref().unwrap_or("?")),
            md(&d.code),
            d.flag
                .as_ref()
                .map(|f| format!(" (flag entry {} ({}))", f.seq, f.hash))
                .unwrap_or_default(),
            md(&d.text)
        );
    }
    let _ = writeln!(
        out,
        "\n## Appendix C. Entries of types this version does not know\n"
    );
    if a.unknown.is_empty() {
        let _ = writeln!(out, "None.\n");
    }
    for u in &a.unknown {
        let _ = writeln!(
            out,
            "- Entry {} ({}), type `{}`.",
            u.seq,
            u.hash,
            u.entry_type.as_deref().unwrap_or("?")
        );
    }
    if !a.unclassified.is_empty() {
        let _ = writeln!(
            out,
            "\nStates whose status under the Statute is not recorded (shown in section II): {}.",
            a.unclassified
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let m = &r.manifest;
    let _ = writeln!(out, "\n## Manifest\n");
    let _ = writeln!(out, "- Origin: {}", md(&m.origin));
    match &m.head {
        Some(h) => {
            let _ = writeln!(out, "- Head: entry {} ({})", h.seq, h.hash);
        }
        None => {
            let _ = writeln!(out, "- Head: none");
        }
    }
    let _ = writeln!(out, "- Size: {} entries", m.size);
    let _ = writeln!(out, "- Model hash: {}", m.model_hash);
    let _ = writeln!(
        out,
        "- Entries cited: {}",
        m.cited
            .iter()
            .map(|c| c.seq.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !notes.is_empty() {
        out.push('\n');
        for (i, n) in notes.iter().enumerate() {
            let _ = writeln!(out, "[^{}]: {}", i + 1, md(n));
        }
    }
    out
}

/// The report as pretty-printed JSON (field order fixed by the types).
pub fn to_json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}

/// Escapes text for HTML and XML (element content and attribute values).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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

/// The report as one self-contained HTML file: inline CSS, no script, no external resource;
/// footnotes as links; one timeline (inline SVG) per case.
pub fn to_html(r: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n<main>\n",
        esc(&r.title)
    );
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", esc(&r.title));
    if let Some(s) = &r.session {
        let _ = writeln!(out, "<p>{}</p>", esc(s));
    }
    let _ = writeln!(
        out,
        "<p>Reporting period: {}.</p>\n</header>",
        esc(&r.period.text)
    );
    // Contents.
    out.push_str("<nav>\n<h2>Contents</h2>\n<ol>\n");
    for s in &r.sections {
        let _ = writeln!(
            out,
            "<li><a href=\"#section-{}\">{}. {}</a></li>",
            s.number,
            s.number,
            esc(&s.title)
        );
    }
    out.push_str("<li><a href=\"#timelines\">Case timelines</a></li>\n<li><a href=\"#appendices\">Appendices</a></li>\n<li><a href=\"#manifest\">Manifest</a></li>\n</ol>\n</nav>\n");
    let mut notes: Vec<String> = Vec::new();
    for s in &r.sections {
        let _ = writeln!(
            out,
            "<section id=\"section-{}\">\n<h2>{}. {}</h2>",
            s.number,
            s.number,
            esc(&s.title)
        );
        let mut group: Option<&str> = None;
        for p in &s.paragraphs {
            if let Some(g) = &p.group
                && group != Some(g.as_str())
            {
                let _ = writeln!(out, "<h3>{}</h3>", esc(g));
                group = Some(g.as_str());
            }
            let _ = write!(
                out,
                "<p class=\"para\" id=\"para-{}\"><span class=\"no\">{}.</span>",
                p.number, p.number
            );
            for sen in &p.sentences {
                notes.push(footnote_text(&sen.footnote));
                let n = notes.len();
                let class = match sen.kind {
                    SentenceKind::Event => "event",
                    SentenceKind::Derived => "derived",
                    SentenceKind::Background => "background",
                    SentenceKind::Pending => "pending",
                    SentenceKind::Nil => "nil",
                };
                let _ = write!(
                    out,
                    " <span class=\"{class}\">{}</span><sup><a href=\"#fn-{n}\" id=\"fnref-{n}\">{n}</a></sup>",
                    esc(&sen.text)
                );
            }
            out.push_str("</p>\n");
        }
        out.push_str("</section>\n");
    }
    // Timelines.
    out.push_str("<section id=\"timelines\">\n<h2>Case timelines</h2>\n");
    out.push_str("<p class=\"legend\">Dots: events on a known day. Bars: events lasting several days. Hatched bars: events known only to have happened within the range shown. Faded marks: background before the reporting period (shaded band).</p>\n");
    for (i, c) in r.cases.iter().enumerate() {
        let _ = writeln!(
            out,
            "<figure id=\"case-{}\">\n<figcaption>{}</figcaption>",
            i + 1,
            esc(&c.title)
        );
        out.push_str(&svg(c, i + 1, r.period.from, r.period.to));
        out.push_str("</figure>\n");
    }
    out.push_str("</section>\n");
    // Appendices.
    let a = &r.appendices;
    out.push_str(
        "<section id=\"appendices\">\n<h2>Appendices</h2>\n<h3>A. Corrections applied</h3>\n",
    );
    if a.corrections.is_empty() {
        out.push_str("<p>No correction is applied.</p>\n");
    } else {
        out.push_str("<table>\n<tr><th>Entry</th><th>Field</th><th>Published</th><th>Corrected</th><th>Basis</th><th>Correction</th><th>Approval</th></tr>\n");
        for c in &a.corrections {
            let _ = writeln!(
                out,
                "<tr><td>{} ({}) {}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td><td>{} ({})</td></tr>",
                c.target.seq,
                esc(&c.target.hash),
                esc(c.target.entry_type.as_deref().unwrap_or("?")),
                esc(&c.field),
                esc(&c.published),
                esc(&c.corrected),
                esc(&c.basis),
                c.correction.seq,
                esc(&c.correction.hash),
                c.approval.seq,
                esc(&c.approval.hash)
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("<h3>B. Open source discrepancies</h3>\n");
    if a.discrepancies.is_empty() {
        out.push_str("<p>No open discrepancy.</p>\n");
    } else {
        out.push_str("<table>\n<tr><th>Entry</th><th>Kind</th><th>Code</th><th>Flag</th><th>Description</th></tr>\n");
        for d in &a.discrepancies {
            let kind = match d.kind {
                super::DiscrepancyKind::OpenFlag => "open flag",
                super::DiscrepancyKind::Quarantined => "quarantined",
                super::DiscrepancyKind::Rejected => "rejected",
            };
            let _ = writeln!(
                out,
                "<tr><td>{} ({}) {}</td><td>{kind}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                d.entry.seq,
                esc(&d.entry.hash),
                esc(d.entry.entry_type.as_deref().unwrap_or("?")),
                esc(&d.code),
                d.flag
                    .as_ref()
                    .map(|f| format!("{} ({})", f.seq, esc(&f.hash)))
                    .unwrap_or_default(),
                esc(&d.text)
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("<h3>C. Entries of types this version does not know</h3>\n");
    if a.unknown.is_empty() {
        out.push_str("<p>None.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for u in &a.unknown {
            let _ = writeln!(
                out,
                "<li>Entry {} ({}), type <code>{}</code></li>",
                u.seq,
                esc(&u.hash),
                esc(u.entry_type.as_deref().unwrap_or("?"))
            );
        }
        out.push_str("</ul>\n");
    }
    if !a.unclassified.is_empty() {
        let _ = writeln!(
            out,
            "<p>States whose status under the Statute is not recorded (shown in section II): {}.</p>",
            esc(&a
                .unclassified
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "))
        );
    }
    out.push_str("</section>\n");
    // Manifest.
    let m = &r.manifest;
    out.push_str("<section id=\"manifest\">\n<h2>Manifest</h2>\n<table>\n");
    let _ = writeln!(out, "<tr><th>Origin</th><td>{}</td></tr>", esc(&m.origin));
    let _ = writeln!(
        out,
        "<tr><th>Head</th><td>{}</td></tr>",
        m.head
            .as_ref()
            .map(|h| format!("entry {} (<code>{}</code>)", h.seq, esc(&h.hash)))
            .unwrap_or_else(|| "none".to_owned())
    );
    let _ = writeln!(out, "<tr><th>Size</th><td>{} entries</td></tr>", m.size);
    let _ = writeln!(
        out,
        "<tr><th>Model hash</th><td><code>{}</code></td></tr>",
        esc(&m.model_hash)
    );
    let _ = writeln!(
        out,
        "<tr><th>Entries cited</th><td>{}</td></tr>",
        m.cited
            .iter()
            .map(|c| c.seq.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str("</table>\n</section>\n");
    // Footnotes.
    out.push_str("<section class=\"footnotes\">\n<h2>Notes</h2>\n<ol>\n");
    for (i, n) in notes.iter().enumerate() {
        let k = i + 1;
        let _ = writeln!(
            out,
            "<li id=\"fn-{k}\">{} <a href=\"#fnref-{k}\">&#8617;</a></li>",
            esc(n)
        );
    }
    out.push_str("</ol>\n</section>\n</main>\n</body>\n</html>\n");
    out
}

/// Geometry of a timeline picture.
const WIDTH: i64 = 760;
const LABELS: i64 = 300;
const AXIS_LEFT: i64 = LABELS + 10;
const AXIS_RIGHT: i64 = WIDTH - 20;
const ROW: i64 = 22;
const TOP: i64 = 36;

/// One case's timeline: a row per event, on a time axis with month (or year) ticks; days as
/// dots, spans as bars, bounded dates as hatched bars; the reporting period shaded.
fn svg(c: &Case, n: usize, from: NaiveDate, to: NaiveDate) -> String {
    // The range shown: every known bound of the events, and the period's ends they touch.
    let mut lo: Option<NaiveDate> = None;
    let mut hi: Option<NaiveDate> = None;
    for e in &c.events {
        for d in [e.date.earliest(), e.date.latest()].into_iter().flatten() {
            lo = Some(lo.map_or(d, |x| x.min(d)));
            hi = Some(hi.map_or(d, |x| x.max(d)));
        }
    }
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return format!(
            "<svg width=\"{WIDTH}\" height=\"40\" viewBox=\"0 0 {WIDTH} 40\" role=\"img\"><text x=\"10\" y=\"24\" font-size=\"12\">No dated event.</text></svg>\n"
        );
    };
    let start = first_of_month(lo - chrono::Duration::days(10));
    let end = next_month(hi + chrono::Duration::days(10));
    let total = (end - start).num_days().max(1);
    let x = |d: NaiveDate| {
        AXIS_LEFT + (d - start).num_days().clamp(0, total) * (AXIS_RIGHT - AXIS_LEFT) / total
    };
    let rows = i64::try_from(c.events.len()).unwrap_or(0);
    let height = TOP + rows * ROW + 16;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"case-{n}-title\">"
    );
    let _ = writeln!(
        s,
        "<title id=\"case-{n}-title\">Timeline: {}</title>",
        esc(&c.title)
    );
    let _ = writeln!(
        s,
        "<defs><pattern id=\"hatch-{n}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#e8eef7\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#3b6ea5\" stroke-width=\"2\"/></pattern></defs>"
    );
    // The reporting period.
    let (p0, p1) = (x(from.max(start)), x(to.min(end)));
    if p1 > p0 {
        let _ = writeln!(
            s,
            "<rect x=\"{p0}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f3efe2\"/>",
            TOP - 14,
            p1 - p0,
            rows * ROW + 14
        );
    }
    // Axis and ticks.
    let axis_y = TOP - 14;
    let _ = writeln!(
        s,
        "<line x1=\"{AXIS_LEFT}\" y1=\"{axis_y}\" x2=\"{AXIS_RIGHT}\" y2=\"{axis_y}\" stroke=\"#555\"/>"
    );
    let months = (end.year() - start.year()) * 12 + i32::try_from(end.month()).unwrap_or(1)
        - i32::try_from(start.month()).unwrap_or(1);
    let step = if months > 36 {
        12
    } else if months > 18 {
        3
    } else {
        1
    };
    let mut t = start;
    let mut i = 0;
    while t <= end {
        if i % step == 0 {
            let tx = x(t);
            let _ = writeln!(
                s,
                "<line x1=\"{tx}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\" stroke=\"#ddd\"/>",
                axis_y,
                TOP + rows * ROW
            );
            let text = if t.month() == 1 || i == 0 || step == 12 {
                format!("{} {}", words::short_month(t.month()), t.year())
            } else {
                words::short_month(t.month()).to_owned()
            };
            let _ = writeln!(
                s,
                "<text x=\"{tx}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
                axis_y - 6,
                esc(&text)
            );
        }
        t = next_month(t);
        i += 1;
    }
    // Rows.
    for (row, e) in c.events.iter().enumerate() {
        let y = TOP + i64::try_from(row).unwrap_or(0) * ROW + ROW / 2;
        let opacity = if e.background { "0.55" } else { "1" };
        let label = format!("{} — {}", words::date(&e.date), e.label);
        // What happened first, then when: a long date is what gets cut.
        let visible = format!("{} — {}", e.label, words::date(&e.date));
        let short: String = if visible.chars().count() > 52 {
            visible
                .chars()
                .take(51)
                .chain(std::iter::once('…'))
                .collect()
        } else {
            visible
        };
        let _ = writeln!(
            s,
            "<g opacity=\"{opacity}\"><title>{} (entry {})</title>",
            esc(&label),
            e.seq
        );
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#222\">{}</text>",
            LABELS,
            y + 4,
            esc(&short)
        );
        match e.date {
            LegalDate::Day(d) => {
                let _ = writeln!(
                    s,
                    "<circle cx=\"{}\" cy=\"{y}\" r=\"5\" fill=\"#3b6ea5\"/>",
                    x(d)
                );
            }
            LegalDate::Span { from: a, to: b } => {
                let (xa, xb) = (x(a), x(b));
                let _ = writeln!(
                    s,
                    "<rect x=\"{xa}\" y=\"{}\" width=\"{}\" height=\"10\" rx=\"2\" fill=\"#3b6ea5\"/>",
                    y - 5,
                    (xb - xa).max(4)
                );
            }
            LegalDate::Unknown => {
                let _ = writeln!(
                    s,
                    "<text x=\"{AXIS_LEFT}\" y=\"{}\" font-size=\"10\" fill=\"#777\">date unknown</text>",
                    y + 4
                );
            }
            other => {
                // Month, year or bounded: the range it may fall in, hatched; an open side
                // runs to the edge of the picture.
                let a = other.earliest().unwrap_or(start);
                let b = other.latest().unwrap_or(end);
                let (xa, xb) = (x(a), x(b));
                let _ = writeln!(
                    s,
                    "<rect x=\"{xa}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"url(#hatch-{n})\" stroke=\"#3b6ea5\" stroke-dasharray=\"3 2\"/>",
                    y - 5,
                    (xb - xa).max(4)
                );
            }
        }
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}
