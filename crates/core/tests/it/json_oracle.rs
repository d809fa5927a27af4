//! acta's JSON parser and canonical encoder against code that is not acta's: `serde_json`
//! decides which documents are JSON (RFC 8259), with the two I-JSON rules acta adds checked
//! independently (no duplicate keys after unescaping, here in the oracle's own visitor; no
//! nesting deeper than [`MAX_DEPTH`]); `serde_jcs` gives the RFC 8785 canonical bytes; and the
//! entry profile's number rule ("an integer literal within ±(2^53 − 1)") is checked on the
//! literal text of each number, scanned from the document.
//!
//! The property: for any bytes, `acta_core::json::parse` accepts exactly what the oracle
//! accepts, under both profiles, and for what it accepts `canonicalize` writes the bytes
//! `serde_jcs` writes for the same document. (The exact error kind and offset are acta's own:
//! `src/json/reference.rs` and the unit tests pin those.)

use std::collections::HashSet;
use std::fmt;

use acta_core::json::{self, MAX_DEPTH, MAX_SAFE_INTEGER, Profile};
use proptest::prelude::*;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value as the oracle reads it (its depth counts arrays and objects, as acta's
/// limit does): numbers as doubles (I-JSON's model), object members in
/// document order, duplicate keys refused while reading.
#[derive(Debug)]
enum Doc {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Doc>),
    Object(Vec<(String, Doc)>),
}

impl Doc {
    fn depth(&self) -> usize {
        match self {
            Doc::Array(items) => 1 + items.iter().map(Doc::depth).max().unwrap_or(0),
            Doc::Object(members) => 1 + members.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }

    fn to_serde(&self) -> serde_json::Value {
        match self {
            Doc::Null => serde_json::Value::Null,
            Doc::Bool(b) => serde_json::Value::Bool(*b),
            Doc::Number(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .expect("serde_json only yields finite numbers"),
            Doc::String(s) => serde_json::Value::String(s.clone()),
            Doc::Array(items) => {
                serde_json::Value::Array(items.iter().map(Doc::to_serde).collect())
            }
            Doc::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_serde()))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Doc, D::Error> {
        d.deserialize_any(DocVisitor)
    }
}

struct DocVisitor;

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Doc, E> {
        Ok(Doc::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Doc, E> {
        Ok(Doc::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Doc, E> {
        Ok(Doc::Number(i as f64))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Doc, E> {
        Ok(Doc::Number(u as f64))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Doc, E> {
        Ok(Doc::Number(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Doc, E> {
        Ok(Doc::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Doc, E> {
        Ok(Doc::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Doc::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let mut seen = HashSet::new();
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key {key:?}")));
            }
            members.push((key, map.next_value()?));
        }
        Ok(Doc::Object(members))
    }
}

/// The number literals of a document serde_json accepted: the maximal runs of number
/// characters outside strings.
fn number_literals(doc: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let (mut in_string, mut escaped, mut start) = (false, false, None);
    for (i, &b) in doc.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        // A number starts with `-` or a digit and runs on over its characters (the letters
        // of `true`, `false` and `null` never start one).
        let number_byte = matches!(b, b'-' | b'+' | b'.' | b'0'..=b'9' | b'e' | b'E');
        match (start, number_byte) {
            (None, true) if b == b'-' || b.is_ascii_digit() => start = Some(i),
            (Some(s), false) => {
                out.push(&doc[s..i]);
                start = None;
            }
            _ => {}
        }
        in_string = b == b'"';
    }
    if let Some(s) = start {
        out.push(&doc[s..]);
    }
    out
}

/// The entry profile's rule on one literal: `-?(0|[1-9][0-9]*)` with a value within
/// ±(2^53 − 1).
fn is_entry_integer(literal: &[u8]) -> bool {
    let digits = literal.strip_prefix(b"-").unwrap_or(literal);
    let grammar = !digits.is_empty()
        && digits.iter().all(u8::is_ascii_digit)
        && (digits == b"0" || digits[0] != b'0');
    grammar
        && std::str::from_utf8(literal)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
            .is_some_and(|i| (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i))
}

/// What the oracle says of `bytes` under `profile`: `None` if refused, else the canonical
/// bytes serde_jcs writes for it.
fn oracle(bytes: &[u8], profile: Profile) -> Option<Vec<u8>> {
    let doc: Doc = serde_json::from_slice(bytes).ok()?;
    if doc.depth() > MAX_DEPTH {
        return None;
    }
    if profile == Profile::Entry && !number_literals(bytes).into_iter().all(is_entry_integer) {
        return None;
    }
    Some(serde_jcs::to_vec(&doc.to_serde()).expect("serde_jcs writes any serde_json value"))
}

/// Checks acta against the oracle on `bytes`, under both profiles.
fn agrees(bytes: &[u8]) -> Result<(), TestCaseError> {
    for profile in [Profile::General, Profile::Entry] {
        let ours = json::parse(bytes, profile);
        let theirs = oracle(bytes, profile);
        prop_assert_eq!(
            ours.is_ok(),
            theirs.is_some(),
            "{:?} on {:?}: acta says {:?}",
            profile,
            String::from_utf8_lossy(bytes),
            ours
        );
        if let (Ok(value), Some(canonical)) = (ours, theirs) {
            let ours = json::to_canonical(&value);
            prop_assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&canonical),
                "canonical form of {:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
    Ok(())
}

/// Characters where JSON implementations tend to differ: the ones a string must escape, the
/// UTF-16 ordering boundaries (U+D7FF, U+E000–U+FFFF against supplementary characters), and
/// some ordinary ones.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            'a', 'b', 'z', 'é', '"', '\\', '/', '\n', '\t', '\u{0}', '\u{1f}', '\u{7f}', '\u{80}',
            '\u{7ff}', '\u{800}', '\u{d7ff}', '\u{e000}', '\u{ffff}', '\u{fffd}', '\u{10000}',
            '\u{1f600}', '\u{10ffff}', '\u{2028}', '\u{202e}',
        ]),
        1 => any::<char>(),
    ]
}

/// A JSON string literal: characters raw or escaped in every form JSON has (and some it has
/// not: lone surrogates, bad escapes, raw control characters).
fn string_literal() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => tricky_char().prop_map(|c| match c {
            '"' => "\\\"".to_owned(),
            '\\' => "\\\\".to_owned(),
            c => c.to_string(),
        }),
        2 => tricky_char().prop_map(|c| {
            let mut units = [0u16; 2];
            c.encode_utf16(&mut units).iter().map(|u| format!("\\u{u:04x}")).collect()
        }),
        1 => prop::sample::select(vec![
            "\\n", "\\r", "\\t", "\\b", "\\f", "\\/", "\\ud800", "\\udc00", "\\ud83d\\ude00",
            "\\ud83d", "\\u00E9", "\\x41", "\\u12", "\\", "\u{1}", "\n",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| format!("\"{}\"", p.concat()))
}

/// A number literal, valid or not, in range or not.
fn number_literal() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        (-1000i64..1000).prop_map(|i| i.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        prop::sample::select(vec![
            "0",
            "-0",
            "01",
            "-01",
            "00",
            "1.0",
            "1.5",
            "-0.0",
            "1e3",
            "1E+2",
            "1e-2",
            "2e0",
            "-",
            "1.",
            ".5",
            "+1",
            "1e",
            "1e+",
            "9007199254740991",
            "-9007199254740991",
            "9007199254740992",
            "-9007199254740992",
            "18446744073709551616",
            "1e400",
            "-1e400",
            "1e-400",
            "4.9e-324",
            "1.7976931348623157e308",
            "5e-324",
            "0.1",
            "100000000000000000000",
            "123456789012345678901234567890",
        ])
        .prop_map(str::to_owned),
    ]
}

fn ws() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "", "", "", " ", "\n", "\t", "\r\n ", "\u{a0}", "\u{feff}",
    ])
}

/// A JSON document (or something close to one): members in any order, duplicate keys from a
/// small key set, every string and number form, whitespace JSON allows and some it does not.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("nul".to_owned()),
        number_literal(),
        string_literal(),
    ];
    let key = prop_oneof![
        3 => prop::sample::select(vec!["\"a\"", "\"b\"", "\"\\u0061\"", "\"\u{e000}\"", "\"\u{1f600}\""])
            .prop_map(str::to_owned),
        1 => string_literal(),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec((inner.clone(), ws()), 0..6).prop_map(|items| {
                let items: Vec<String> =
                    items.into_iter().map(|(v, w)| format!("{w}{v}")).collect();
                format!("[{}]", items.join(","))
            }),
            prop::collection::vec((key.clone(), ws(), inner), 0..6).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, w, v)| format!("{k}{w}:{v}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
    .prop_flat_map(|doc| (ws(), Just(doc), ws()))
    .prop_map(|(a, doc, b)| format!("{a}{doc}{b}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn accepts_and_canonicalizes_as_serde_json_and_serde_jcs(
        doc in document(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        how in 0u8..5,
    ) {
        let mut bytes = doc.into_bytes();
        if !bytes.is_empty() {
            let i = at.index(bytes.len());
            match how {
                1 => bytes.truncate(i),
                2 => bytes[i] = byte,
                3 => bytes.insert(i, byte),
                4 => { bytes.remove(i); }
                _ => {}
            }
        }
        agrees(&bytes)?;
    }

    #[test]
    fn any_bytes_as_serde_json(bytes in prop::collection::vec(any::<u8>(), 0..48)) {
        agrees(&bytes)?;
    }
}

/// The oracle is not vacuous: on documents whose answer is known it accepts and refuses as
/// RFC 8259, I-JSON and RFC 8785 say, so the property above compares acta with something that
/// can disagree.
#[test]
fn the_oracle_knows_json() {
    let accept = |s: &str, p| oracle(s.as_bytes(), p).map(|b| String::from_utf8(b).expect("utf8"));
    assert_eq!(
        accept("{\"b\":1,\"a\":[true,null]}", Profile::Entry).as_deref(),
        Some("{\"a\":[true,null],\"b\":1}")
    );
    assert_eq!(accept("1.50", Profile::General).as_deref(), Some("1.5"));
    assert_eq!(accept("1e21", Profile::General).as_deref(), Some("1e+21"));
    assert_eq!(accept("-0", Profile::Entry).as_deref(), Some("0"));
    assert_eq!(
        accept("\"\\u00e9\\ud83d\\ude00\"", Profile::Entry).as_deref(),
        Some("\"é😀\"")
    );
    for refused in [
        "{\"a\":1,\"\\u0061\":2}",
        "\"\\ud800\"",
        "01",
        "1e400",
        "[1,]",
        "\"\u{1}\"",
        "\u{feff}1",
    ] {
        assert_eq!(accept(refused, Profile::General), None, "{refused}");
    }
    for refused in ["1.0", "1e3", "9007199254740992", "-0.0"] {
        assert_eq!(accept(refused, Profile::Entry), None, "{refused}");
        assert!(accept(refused, Profile::General).is_some(), "{refused}");
    }
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(accept(&deep(MAX_DEPTH), Profile::Entry).is_some());
    assert_eq!(accept(&deep(MAX_DEPTH + 1), Profile::Entry), None);
}

/// Nesting at and beyond the limit, where serde_json's own limit (128) is not the one acta
/// documents: the oracle applies [`MAX_DEPTH`] itself.
#[test]
fn nesting_limit_agrees() {
    for n in [
        1,
        MAX_DEPTH - 1,
        MAX_DEPTH,
        MAX_DEPTH + 1,
        127,
        128,
        129,
        500,
    ] {
        let arrays = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let objects = format!("{}1{}", "{\"k\":".repeat(n), "}".repeat(n));
        for doc in [arrays, objects] {
            agrees(doc.as_bytes()).unwrap_or_else(|e| panic!("depth {n}: {e}"));
        }
    }
}
