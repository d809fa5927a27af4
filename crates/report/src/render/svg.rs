//! A case's timeline as an inline SVG picture.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::html::esc;
use crate::Case;
use crate::words;
use acta_domain::date::LegalDate;

/// Geometry of a timeline picture.
const WIDTH: i64 = 760;
const LABELS: i64 = 300;
const AXIS_LEFT: i64 = LABELS + 10;
const AXIS_RIGHT: i64 = WIDTH - 20;
const ROW: i64 = 22;
const TOP: i64 = 36;

/// One case's timeline: a row per event, on a time axis with month (or year) ticks; days as
/// dots, spans as bars, bounded dates as hatched bars; the reporting period shaded.
pub(super) fn svg(c: &Case, n: usize, from: NaiveDate, to: NaiveDate) -> String {
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
