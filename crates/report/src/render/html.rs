//! The report as one self-contained HTML page.

use std::fmt::Write as _;

use super::footnote_text;
use super::svg::svg;
use crate::{Report, SentenceKind};

/// Escapes text for HTML and XML (element content and attribute values): `& < > " '` as
/// entities; control characters (line breaks included) as a space; the other characters a text
/// field may not hold (bidirectional controls, zero-width and format characters,
/// noncharacters) shown as `[U+XXXX]`, as in Markdown.
pub(super) fn esc(s: &str) -> String {
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
