//! Renderings of a [`Report`](crate::Report): Markdown, JSON, and one self-contained HTML file
//! with a timeline picture (inline SVG) per case. All deterministic.

mod html;
mod json;
mod markdown;
mod svg;
#[cfg(test)]
mod tests;

pub use html::to_html;
pub use json::to_json;
pub use markdown::to_markdown;

use crate::Footnote;
use crate::words;

/// The footnote's text: "Entry 23 (a1b2c3d4e5f6); ICC-01/18-462. Published as …".
pub(super) fn footnote_text(f: &Footnote) -> String {
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
