//! Text from a log, a key, a note, a proof or a witness state, made inert for a terminal.
//!
//! Every such string in a command's human-readable output goes through [`inert`] (or, for
//! text that is already JSON, [`inert_json`]), so that no byte of a log can move the cursor,
//! recolour or rewrite the screen, reorder what is shown (bidi controls), hide text
//! (zero-width and other invisible characters) or start a line of its own (a forged
//! `result: sound` verdict). What is escaped ([`is_unsafe`]):
//!
//! - C0 controls, DEL and C1 controls (Unicode category Cc);
//! - every format character (category Cf, from a table of its 21 ranges as of Unicode 16):
//!   the bidi controls U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, the zero-width
//!   characters U+200B–U+200D, U+2060–U+2064, U+FEFF, the soft hyphen U+00AD, tags, …;
//!   the unassigned U+2065 in the middle of them is escaped too;
//! - the line and paragraph separators U+2028, U+2029;
//! - the default-ignorable characters that show as nothing and are not format characters:
//!   U+034F, U+115F, U+1160, U+17B4, U+17B5, U+180B–U+180F, U+3164, U+FFA0. Variation
//!   selectors are left alone: they only select a glyph of the character before them (emoji).
//!
//! [`inert`] writes them `\u{XXXX}` (`\n`, `\r`, `\t` for those three), and a backslash as
//! `\\`, so the escaping is unambiguous: two different strings never look the same.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Unicode general category Cf, Unicode 16.0 (inclusive ranges), with U+2065.
const FORMAT: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Default-ignorable characters outside Cf that render as nothing.
const INVISIBLE: &[(u32, u32)] = &[
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFFA0, 0xFFA0),
];

fn in_ranges(ranges: &[(u32, u32)], u: u32) -> bool {
    ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
}

/// Whether `c` must not reach a terminal as itself (see the module documentation).
pub fn is_unsafe(c: char) -> bool {
    let u = u32::from(c);
    c.is_control() || u == 0x2028 || u == 0x2029 || in_ranges(FORMAT, u) || in_ranges(INVISIBLE, u)
}

/// `s` made inert for a terminal: every unsafe character written `\u{XXXX}` (`\n`, `\r`, `\t`
/// for those), and `\` written `\\`. Borrowed when nothing needed escaping.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c == '\\' || is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON text (as the encoder writes it, where `"`, `\` and C0 controls are already escaped)
/// made inert for a terminal: every other unsafe character (DEL, C1, bidi, invisible) written
/// as a JSON `\uXXXX` escape (a surrogate pair above U+FFFF). Unsafe characters only occur
/// inside strings, so the result is still JSON, of the same value.
pub fn inert_json(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The inverse of [`inert`], to show it is injective.
    fn decode(s: &str) -> Option<String> {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next()? {
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'u' => {
                    if chars.next()? != '{' {
                        return None;
                    }
                    let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                _ => return None,
            }
        }
        Some(out)
    }

    /// Characters from the classes that matter, and any character at all.
    fn text() -> impl Strategy<Value = String> {
        let interesting = prop_oneof![
            Just('\u{1b}'),
            Just('\r'),
            Just('\n'),
            Just('\\'),
            Just('{'),
            Just('u'),
            Just('\u{7f}'),
            Just('\u{9b}'),
            Just('\u{202e}'),
            Just('\u{2066}'),
            Just('\u{200b}'),
            Just('\u{feff}'),
            Just('\u{2028}'),
            Just('\u{e0041}'),
            Just('a'),
            Just('é'),
        ];
        proptest::collection::vec(prop_oneof![interesting, any::<char>()], 0..40)
            .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn inert_text_has_no_unsafe_character_and_decodes_back(s in text()) {
            let e = inert(&s);
            prop_assert!(!e.chars().any(is_unsafe), "{e:?}");
            prop_assert_eq!(decode(&e), Some(s.clone()));
        }

        #[test]
        fn inert_is_injective(a in text(), b in text()) {
            prop_assume!(a != b);
            prop_assert_ne!(inert(&a), inert(&b));
        }

        #[test]
        fn inert_json_is_json_of_the_same_value(s in text()) {
            let json = serde_json::to_string(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let e = inert_json(&json);
            prop_assert!(!e.chars().any(is_unsafe), "{e:?}");
            let back: String =
                serde_json::from_str(&e).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, s);
        }
    }

    #[test]
    fn the_named_characters_are_escaped() {
        for c in [
            '\u{0}',
            '\u{1b}',
            '\u{7f}',
            '\u{80}',
            '\u{9f}',
            '\u{ad}',
            '\u{61c}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{202a}',
            '\u{202e}',
            '\u{2060}',
            '\u{2064}',
            '\u{2066}',
            '\u{2069}',
            '\u{feff}',
            '\u{2028}',
            '\u{2029}',
            '\u{e0001}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in ['a', ' ', 'é', '€', '中', '\u{fe0f}', '😀'] {
            assert!(!is_unsafe(c), "{c:?}");
        }
        assert_eq!(
            inert("a\u{1b}[2Jb\r\nresult: sound\\"),
            "a\\u{001B}[2Jb\\r\\nresult: sound\\\\"
        );
        assert!(matches!(inert("plain text, café"), Cow::Borrowed(_)));
        assert_eq!(
            inert_json("\"a\u{202e}b\u{e0041}\""),
            "\"a\\u202eb\\udb40\\udc41\""
        );
    }
}
