//! Renderings of a [`Report`]: Markdown, JSON, and one self-contained HTML file with a
//! timeline picture (inline SVG) per case. All deterministic.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::words;
use crate::{Case, Footnote, Report, SentenceKind};
use acta_domain::date::LegalDate;

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

/// Renders free text as inert Markdown: a run of plain text inside one line, whatever the text
/// holds (a log written by other software may hold anything: see [`acta_domain::text::Text`]).
///
/// - Line breaks and every other control character (`U+0000`–`U+001F`, `U+007F`–`U+009F`,
///   `U+2028`, `U+2029`) become a space, so the text can neither end the paragraph nor start a
///   block; leading white space is dropped (an indented line would be a code block).
/// - Other characters a text field may not hold (bidirectional controls, zero-width and
///   format characters, noncharacters) are shown as `[U+XXXX]`.
/// - Inline syntax is escaped with a backslash: `\\ * _ [ ] < > ` # | ~ & $ ^ { }` (emphasis,
///   code, links, footnotes `[^…]`, link references `[…]:`, autolinks `<…>`, raw HTML, tables,
///   strike-through, entities `&…;`, math, super- and subscripts, heading attributes), `@`
///   (e-mail autolinks), `:` before `//` and `.` after
///   `www` (bare-URL autolinks), and a final `!` (it would make the footnote reference that
///   follows an image).
/// - A block marker at the start (`-`, `+`, `=`, or digits followed by `.` or `)`) is escaped,
///   for text a template places at the start of a line.
pub(crate) fn md(s: &str) -> String {
    let s = s.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let chars: Vec<char> = s.chars().collect();
    // A leading list item / setext / ordered-list marker.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let marker = match chars.first() {
        Some('-' | '+' | '=') => Some(0),
        Some(c) if c.is_ascii_digit() && matches!(chars.get(digits), Some('.' | ')')) => {
            Some(digits)
        }
        _ => None,
    };
    for (i, &c) in chars.iter().enumerate() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.push(' ');
            continue;
        }
        if acta_domain::text::forbidden_char(c).is_some() {
            let _ = write!(out, "\\[U+{:04X}\\]", u32::from(c));
            continue;
        }
        let escape = marker == Some(i)
            || match c {
                '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' | '|' | '~' | '&' | '@'
                | '$' | '^' | '{' | '}' => true,
                ':' => chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'/'),
                '.' => {
                    i >= 3
                        && chars[i - 3..i].iter().all(|w| w.eq_ignore_ascii_case(&'w'))
                        && (i == 3 || !chars[i - 4].is_alphanumeric())
                }
                '!' => i + 1 == chars.len(),
                _ => false,
            };
        if escape {
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
            crate::DiscrepancyKind::OpenFlag => "open flag",
            crate::DiscrepancyKind::Quarantined => "quarantined",
            crate::DiscrepancyKind::Rejected => "rejected",
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

/// Escapes text for HTML and XML (element content and attribute values): `& < > " '` as
/// entities; control characters (line breaks included) as a space; the other characters a text
/// field may not hold (bidirectional controls, zero-width and format characters,
/// noncharacters) shown as `[U+XXXX]`, as in Markdown.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => out.push(' '),
            c if acta_domain::text::forbidden_char(c).is_some() => {
                let _ = write!(out, "[U+{:04X}]", u32::from(c));
            }
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
                crate::DiscrepancyKind::OpenFlag => "open flag",
                crate::DiscrepancyKind::Quarantined => "quarantined",
                crate::DiscrepancyKind::Rejected => "rejected",
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::{esc, md};
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser};

    /// What a reader should see of `s`: leading white space dropped, control characters as
    /// spaces, the other forbidden characters as `[U+XXXX]`.
    fn visible(s: &str) -> String {
        let s = s.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
        let mut out = String::new();
        for c in s.chars() {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                out.push(' ');
            } else if acta_domain::text::forbidden_char(c).is_some() {
                out.push_str(&format!("[U+{:04X}]", u32::from(c)));
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The structure of a Markdown document (every extension on): one string per event, the
    /// text of consecutive text events joined as one `Text(…)`.
    fn shape(doc: &str) -> Vec<String> {
        let options = Options::all() - Options::ENABLE_SMART_PUNCTUATION;
        let mut out: Vec<String> = Vec::new();
        let mut text: Option<String> = None;
        for e in Parser::new_ext(doc, options) {
            match e {
                Event::Text(t) => text.get_or_insert_with(String::new).push_str(&t),
                other => {
                    if let Some(t) = text.take() {
                        out.push(format!("Text({t})"));
                    }
                    out.push(format!("{other:?}"));
                }
            }
        }
        if let Some(t) = text.take() {
            out.push(format!("Text({t})"));
        }
        out
    }

    /// `s` rendered as the report renders a paragraph (an ordered-list line with a footnote)
    /// parses as exactly that: one item, the text as plain text, one footnote reference.
    fn assert_inert_in_paragraph(s: &str) {
        let rendered = md(s);
        assert!(
            !rendered.contains(['\n', '\r']),
            "{s:?} rendered with a line break: {rendered:?}"
        );
        let doc = format!("1. {rendered}[^1]\n\n[^1]: note\n");
        let mut expected = vec!["Start(List(Some(1)))".to_owned(), "Start(Item)".to_owned()];
        let v = visible(s);
        if !v.is_empty() {
            expected.push(format!("Text({v})"));
        }
        expected.extend(
            [
                "FootnoteReference(Borrowed(\"1\"))",
                "End(Item)",
                "End(List(true))",
                "Start(FootnoteDefinition(Borrowed(\"1\")))",
                "Start(Paragraph)",
                "Text(note)",
                "End(Paragraph)",
                "End(FootnoteDefinition)",
            ]
            .map(str::to_owned),
        );
        assert_eq!(shape(&doc), expected, "{s:?} rendered as {doc:?}");
    }

    /// `s` rendered at the start of a line (as the session line is) is one plain paragraph.
    fn assert_inert_at_line_start(s: &str) {
        let v = visible(s);
        // Markdown drops the spaces and tabs that end a paragraph's line, and only those (a
        // no-break space there is text).
        let v = v.trim_end_matches([' ', '\t']);
        if v.is_empty() {
            return;
        }
        let doc = format!("{}\n", md(s));
        let expected = vec![
            "Start(Paragraph)".to_owned(),
            format!("Text({v})"),
            "End(Paragraph)".to_owned(),
        ];
        assert_eq!(shape(&doc), expected, "{s:?} rendered as {doc:?}");
    }

    /// The attack of issue 11, case 9, and its relatives: every way a text could start a block,
    /// end the paragraph or make a link.
    const HOSTILE: &[&str] = &[
        "Italy complied.\n\n7. Italy fully cooperated with the Court.[^3]\n\n[^3]: Entry 1 (000000000000).",
        "x\n- a list item\n- another",
        "x\n\n---\n\ny",
        "x\n***\n",
        "x\n===",
        "see <https://evil.example/x> or <mailto:a@b.example>",
        "https://evil.example/path and www.evil.example and a@b.example",
        "[click](https://evil.example) ![img](x.png) [ref][1]\n[1]: https://evil.example",
        "[^1]: a fake footnote",
        "[^9]",
        "1. starts like a list",
        "12) also",
        "- dash",
        "+ plus",
        "* star",
        "# heading",
        "> quote",
        "| a | b |\n|---|---|\n| c | d |",
        "```\ncode\n```",
        "~~~ fence",
        "    indented code",
        "\tindented by a tab",
        "<b>bold</b><script>alert(1)</script><!-- c -->",
        "&#x202E; &amp; &copy;",
        "*emphasis* _also_ **strong** ~~strike~~ `code` $math$ ^sup^ ~sub~",
        "title {#id .class}",
        "trailing backslash \\",
        "ends with a bang!",
        "line\u{2028}separator\u{2029}paragraph\u{85}next\u{b}vt\u{c}ff\r\ncrlf",
        "bidi \u{202E}desrever\u{202C} and \u{2066}isolate\u{2069}",
        "zero\u{200B}width\u{200D}joiner\u{FEFF}bom\u{AD}shy",
        "=",
        "-",
        "",
        "  ",
        "\\",
        // Found by the property test: a format character, then a no-break space.
        "\u{202e}\u{a0}",
    ];

    #[test]
    fn report_injection_markdown_hostile_strings_stay_inert() {
        for s in HOSTILE {
            assert_inert_in_paragraph(s);
            assert_inert_at_line_start(s);
        }
    }

    #[test]
    fn report_injection_markdown_exact_escapes() {
        assert_eq!(
            md("a\n\n7. b[^3]"),
            "a  7. b\\[\\^3\\]",
            "a line break becomes a space; inline syntax is escaped"
        );
        assert_eq!(md("1. x"), "1\\. x");
        assert_eq!(md("- x"), "\\- x");
        assert_eq!(md("<https://e.example>"), "\\<https\\://e.example\\>");
        assert_eq!(md("www.e.example"), "www\\.e.example");
        assert_eq!(md("a\u{202E}b"), "a\\[U+202E\\]b");
        assert_eq!(md("a & b @c"), "a \\& b \\@c");
        assert_eq!(
            md("no special text, dated 2025-01-19."),
            "no special text, dated 2025-01-19."
        );
    }

    #[test]
    fn report_injection_html_escapes_every_special_character() {
        assert_eq!(
            esc("<a href=\"x\" onclick='y'>&amp;</a>\n\u{202E}"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt; [U+202E]"
        );
    }

    /// Characters that mean something to Markdown or HTML, white space and line breaks, and
    /// the characters a text field may not hold, mixed with any character.
    fn hostile_char() -> impl Strategy<Value = char> {
        let special: Vec<char> = "\n\r\t \u{b}\u{c}\u{85}\u{2028}\u{2029}\u{202E}\u{200B}\u{FEFF}\
            #>*_-+=|~`[]()<>!&;:/.@w0123456789$^{}\\\"'"
            .chars()
            .collect();
        prop_oneof![
            3 => proptest::sample::select(special),
            1 => any::<char>(),
        ]
    }

    fn hostile_string() -> impl Strategy<Value = String> {
        proptest::collection::vec(hostile_char(), 0..40).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A field rendered in Markdown never introduces a line break, a block, a link, an
        /// HTML fragment or a footnote: it parses as plain text, exactly what a reader sees.
        #[test]
        fn report_injection_markdown_random_text_stays_inert(s in hostile_string()) {
            assert_inert_in_paragraph(&s);
            assert_inert_at_line_start(&s);
        }

        /// A field rendered in HTML holds no `<`, `>` or quote, every `&` starts one of the
        /// entities the escaper writes, and no control or format character is left.
        #[test]
        fn report_injection_html_random_text_is_escaped(s in hostile_string()) {
            let e = esc(&s);
            prop_assert!(!e.contains(['<', '>', '"', '\'']), "{e:?}");
            for (i, _) in e.match_indices('&') {
                let rest = &e[i..];
                prop_assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|x| rest.starts_with(x)),
                    "{e:?}"
                );
            }
            prop_assert!(!e.chars().any(|c| c.is_control() || acta_domain::text::forbidden_char(c).is_some()));
        }
    }
}
