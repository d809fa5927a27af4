//! Tests of the renderings: hostile text stays inert.

#![allow(clippy::unwrap_used, clippy::panic)]

use super::html::Inert;
use super::markdown::md;
use maud::Render as _;
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

/// A text from the log as the HTML report writes it.
fn esc(s: &str) -> String {
    Inert(s).render().into_string()
}

/// What a reader of the HTML should see of `s`: control characters as spaces, the other
/// forbidden characters as `[U+XXXX]` (nothing trimmed).
fn visible_html(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                " ".to_owned()
            } else if acta_domain::text::forbidden_char(c).is_some() {
                format!("[U+{:04X}]", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[test]
fn report_injection_html_escapes_every_special_character() {
    // maud escapes `& < > "`; a single quote is inert in text and in the double-quoted
    // attribute values maud writes, so it stays as it is.
    assert_eq!(
        esc("<a href=\"x\" onclick='y'>&amp;</a>\n\u{202E}"),
        "&lt;a href=&quot;x&quot; onclick='y'&gt;&amp;amp;&lt;/a&gt; [U+202E]"
    );
    assert_eq!(
        esc("zero\u{200B}width\u{FEFF}\u{2066}iso\u{2069}\r\n\u{2028}end"),
        "zero[U+200B]width[U+FEFF][U+2066]iso[U+2069]   end"
    );
    assert_eq!(esc("plain text — “quoted”"), "plain text — “quoted”");
    assert_eq!(esc(""), "");
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

    /// A field rendered in HTML holds no `<`, `>` or double quote, every `&` starts one of
    /// the entities maud writes, no control or format character is left, and decoding those
    /// entities gives back exactly what a reader should see.
    #[test]
    fn report_injection_html_random_text_is_escaped(s in hostile_string()) {
        let e = esc(&s);
        prop_assert!(!e.contains(['<', '>', '"']), "{e:?}");
        for (i, _) in e.match_indices('&') {
            let rest = &e[i..];
            prop_assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;"].iter().any(|x| rest.starts_with(x)),
                "{e:?}"
            );
        }
        prop_assert!(!e.chars().any(|c| c.is_control() || acta_domain::text::forbidden_char(c).is_some()));
        let decoded = e
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        prop_assert_eq!(decoded, visible_html(&s));
    }
}
