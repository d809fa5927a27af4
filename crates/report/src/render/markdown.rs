//! The report as Markdown.

use std::fmt::Write as _;

use super::footnote_text;
use crate::words;
use crate::{Report, SentenceKind};

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
