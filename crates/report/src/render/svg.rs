//! A case's timeline as an inline SVG picture, written with maud (texts from the log as
//! [`Inert`] values).

use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

use super::html::{Inert, NL};
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
pub(super) fn svg(c: &Case, n: usize, from: NaiveDate, to: NaiveDate) -> Markup {
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
        return html! {
            svg width=(WIDTH) height="40" viewBox={ "0 0 " (WIDTH) " 40" } role="img" {
                text x="10" y="24" font-size="12" { "No dated event." }
            }
            (NL)
        };
    };
    let start = first_of_month(lo - chrono::Duration::days(10));
    let end = next_month(hi + chrono::Duration::days(10));
    let total = (end - start).num_days().max(1);
    let x = |d: NaiveDate| {
        AXIS_LEFT + (d - start).num_days().clamp(0, total) * (AXIS_RIGHT - AXIS_LEFT) / total
    };
    let rows = i64::try_from(c.events.len()).unwrap_or(0);
    let height = TOP + rows * ROW + 16;
    // The reporting period.
    let (p0, p1) = (x(from.max(start)), x(to.min(end)));
    // Axis and ticks.
    let axis_y = TOP - 14;
    let months = (end.year() - start.year()) * 12 + i32::try_from(end.month()).unwrap_or(1)
        - i32::try_from(start.month()).unwrap_or(1);
    let step = if months > 36 {
        12
    } else if months > 18 {
        3
    } else {
        1
    };
    let mut ticks: Vec<(i64, String)> = Vec::new();
    let mut t = start;
    let mut i = 0;
    while t <= end {
        if i % step == 0 {
            let text = if t.month() == 1 || i == 0 || step == 12 {
                format!("{} {}", words::short_month(t.month()), t.year())
            } else {
                words::short_month(t.month()).to_owned()
            };
            ticks.push((x(t), text));
        }
        t = next_month(t);
        i += 1;
    }
    html! {
        svg width=(WIDTH) height=(height) viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-labelledby={ "case-" (n) "-title" } {
            (NL)
            title id={ "case-" (n) "-title" } { "Timeline: " (Inert(&c.title)) } (NL)
            defs {
                pattern id={ "hatch-" (n) } width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                    rect width="6" height="6" fill="#e8eef7" {}
                    line x1="0" y1="0" x2="0" y2="6" stroke="#3b6ea5" stroke-width="2" {}
                }
            }
            (NL)
            @if p1 > p0 {
                rect x=(p0) y=(TOP - 14) width=(p1 - p0) height=(rows * ROW + 14) fill="#f3efe2" {} (NL)
            }
            line x1=(AXIS_LEFT) y1=(axis_y) x2=(AXIS_RIGHT) y2=(axis_y) stroke="#555" {} (NL)
            @for (tx, text) in &ticks {
                line x1=(tx) y1=(axis_y) x2=(tx) y2=(TOP + rows * ROW) stroke="#ddd" {} (NL)
                text x=(tx) y=(axis_y - 6) font-size="10" text-anchor="middle" fill="#333" { (Inert(text)) } (NL)
            }
            @for (row, e) in c.events.iter().enumerate() {
                @let y = TOP + i64::try_from(row).unwrap_or(0) * ROW + ROW / 2;
                @let label = format!("{} — {}", words::date(&e.date), e.label);
                // What happened first, then when: a long date is what gets cut.
                @let visible = format!("{} — {}", e.label, words::date(&e.date));
                @let short: String = if visible.chars().count() > 52 {
                    visible.chars().take(51).chain(std::iter::once('…')).collect()
                } else {
                    visible
                };
                g opacity=(if e.background { "0.55" } else { "1" }) {
                    title { (Inert(&label)) " (entry " (e.seq) ")" } (NL)
                    text x=(LABELS) y=(y + 4) font-size="11" text-anchor="end" fill="#222" { (Inert(&short)) } (NL)
                    (shape(e.date, y, n, start, end, x)) (NL)
                }
                (NL)
            }
        }
        (NL)
    }
}

/// An event's mark on its row at height `y`.
fn shape(
    date: LegalDate,
    y: i64,
    n: usize,
    start: NaiveDate,
    end: NaiveDate,
    x: impl Fn(NaiveDate) -> i64,
) -> Markup {
    match date {
        LegalDate::Day(d) => html! {
            circle cx=(x(d)) cy=(y) r="5" fill="#3b6ea5" {}
        },
        LegalDate::Span { from: a, to: b } => {
            let (xa, xb) = (x(a), x(b));
            html! {
                rect x=(xa) y=(y - 5) width=((xb - xa).max(4)) height="10" rx="2" fill="#3b6ea5" {}
            }
        }
        LegalDate::Unknown => html! {
            text x=(AXIS_LEFT) y=(y + 4) font-size="10" fill="#777" { "date unknown" }
        },
        other => {
            // Month, year or bounded: the range it may fall in, hatched; an open side runs to
            // the edge of the picture.
            let a = other.earliest().unwrap_or(start);
            let b = other.latest().unwrap_or(end);
            let (xa, xb) = (x(a), x(b));
            html! {
                rect x=(xa) y=(y - 5) width=((xb - xa).max(4)) height="10" fill={ "url(#hatch-" (n) ")" } stroke="#3b6ea5" stroke-dasharray="3 2" {}
            }
        }
    }
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
