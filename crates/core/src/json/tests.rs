use super::canonical::write_string;
use super::parse::has_special_byte;
use super::value::cmp_keys_reference;
use super::*;
use proptest::prelude::*;

/// Characters around every boundary the key comparison's fast path depends on: ASCII,
/// two- and three-byte characters, the last before the surrogates (U+D7FF), U+E000–U+FFFF
/// (after every surrogate in UTF-16, before supplementary characters in UTF-8), and
/// supplementary-plane characters; plus characters a string must escape.
fn key_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            'a',
            'b',
            'z',
            '"',
            '\\',
            '\n',
            '\u{1}',
            '\u{7f}',
            '\u{80}',
            'é',
            '\u{7ff}',
            '\u{800}',
            '\u{d7ff}',
            '\u{e000}',
            '\u{e001}',
            '\u{efff}',
            '\u{f000}',
            '\u{fffd}',
            '\u{ffff}',
            '\u{10000}',
            '\u{10001}',
            '\u{1f600}',
            '\u{10ffff}',
        ]),
        any::<char>(),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop::collection::vec(key_char(), 0..5).prop_map(|v| v.into_iter().collect())
}

/// A JSON string literal for `s`, each character written raw or as a `\u` escape (a
/// surrogate pair above U+FFFF) as `escape` says (characters that must be escaped always
/// are).
fn literal(s: &str, escape: &[bool]) -> String {
    let mut out = String::from("\"");
    for (i, c) in s.chars().enumerate() {
        let must = c == '"' || c == '\\' || u32::from(c) < 0x20;
        if must || escape.get(i).copied().unwrap_or(false) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04X}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

fn string_literal() -> impl Strategy<Value = String> {
    let text = prop::collection::vec(key_char(), 0..40).prop_map(|v| v.into_iter().collect());
    prop_oneof![
        (key(), prop::collection::vec(any::<bool>(), 0..5)),
        (
            text,
            prop::collection::vec(prop::bool::weighted(0.05), 0..40)
        ),
    ]
    .prop_map(|(s, e)| literal(&s, &e))
}

/// JSON text, not canonical: members in any order, duplicate keys, escapes, whitespace,
/// floats and out-of-range numbers.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        any::<i64>().prop_map(|i| i.to_string()),
        (-1000i64..1000).prop_map(|i| i.to_string()),
        prop::sample::select(vec!["1.5", "-0", "1e3", "0.0", "9007199254740992", "1e400"])
            .prop_map(str::to_owned),
        string_literal(),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec(
                (
                    key(),
                    prop::collection::vec(any::<bool>(), 0..5),
                    inner,
                    any::<bool>()
                ),
                0..7
            )
            .prop_map(|members| {
                let members: Vec<String> = members
                    .iter()
                    .map(|(k, e, v, ws)| {
                        let sep = if *ws { " : " } else { ":" };
                        format!("{}{sep}{v}", literal(k, e))
                    })
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

/// A canonical object (members sorted, unique keys), as entries are stored.
fn canonical_object() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::btree_map(key(), -MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER, 0..8).prop_map(|m| {
        let mut o = Object::new();
        for (k, v) in m {
            o.insert(k, Value::Number(Number::Int(v)));
        }
        to_canonical(&Value::Object(o))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn cmp_keys_is_utf16_code_unit_order(a in key(), b in key()) {
        prop_assert_eq!(cmp_keys(&a, &b), cmp_keys_reference(&a, &b));
        prop_assert_eq!(cmp_keys(&b, &a), cmp_keys_reference(&b, &a));
        let (pa, pb) = (format!("x{a}"), format!("x{b}é{a}"));
        prop_assert_eq!(cmp_keys(&pa, &pb), cmp_keys_reference(&pa, &pb));
    }

    #[test]
    fn special_byte_test_is_exact(word in any::<u64>(), at in 0usize..8, b in any::<u8>()) {
        let mut bytes = word.to_le_bytes();
        for w in [u64::from_le_bytes(bytes), { bytes[at] = b; u64::from_le_bytes(bytes) }] {
            let expected = w.to_le_bytes().iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20);
            prop_assert_eq!(has_special_byte(w), expected);
        }
    }

    #[test]
    fn cmp_keys_on_any_strings(a in any::<String>(), b in any::<String>()) {
        prop_assert_eq!(cmp_keys(&a, &b), cmp_keys_reference(&a, &b));
    }

    #[test]
    fn parses_as_the_reference_parser(
        doc in document(),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        how in 0u8..4,
    ) {
        let mut bytes = doc.into_bytes();
        if !bytes.is_empty() {
            match how {
                1 => bytes.truncate(cut.index(bytes.len())),
                2 => {
                    let i = flip.index(bytes.len());
                    bytes[i] = byte;
                }
                3 => bytes.insert(flip.index(bytes.len()), byte),
                _ => {}
            }
        }
        for profile in [Profile::General, Profile::Entry] {
            prop_assert_eq!(parse(&bytes, profile), reference::parse(&bytes, profile));
        }
    }

    #[test]
    fn parses_canonical_objects_as_the_reference_parser(doc in canonical_object()) {
        let parsed = parse(&doc, Profile::Entry);
        prop_assert_eq!(&parsed, &reference::parse(&doc, Profile::Entry));
        prop_assert!(parsed.is_ok());
    }

    #[test]
    fn parses_any_bytes_as_the_reference_parser(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        for profile in [Profile::General, Profile::Entry] {
            prop_assert_eq!(parse(&bytes, profile), reference::parse(&bytes, profile));
        }
    }
}

fn canon(s: &str) -> String {
    String::from_utf8(canonicalize(s.as_bytes()).expect("valid JSON in test")).expect("utf8")
}

fn entry_err(s: &str) -> JsonErrorKind {
    parse(s.as_bytes(), Profile::Entry)
        .expect_err("test input must be rejected")
        .kind
}

#[test]
fn sorts_keys_by_utf16_code_units() {
    // U+E000 sorts before U+1F600 in UTF-8 byte order, but after it in UTF-16 order.
    assert_eq!(
        canon("{\"\u{e000}\":1,\"\u{1f600}\":2}"),
        "{\"\u{1f600}\":2,\"\u{e000}\":1}"
    );
}

/// [`write_string`] as RFC 8785 §3.2.2.2 states it, one byte at a time.
fn write_string_bytewise(s: &str) -> Vec<u8> {
    let mut out = vec![b'"'];
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0..=0x1f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
    out
}

proptest::proptest! {
    #[test]
    fn write_string_equals_the_bytewise_rule(s in "(\\PC|[\\x00-\\x1f\"\\\\])*") {
        let mut out = b"x".to_vec();
        write_string(&s, &mut out);
        proptest::prop_assert_eq!(&out[1..], &write_string_bytewise(&s)[..]);
    }
}

#[test]
fn escapes_control_characters_only() {
    assert_eq!(
        canon(r#""\u0001\u001f\u007f\u2028\/""#),
        "\"\\u0001\\u001f\u{7f}\u{2028}/\""
    );
}

#[test]
fn rejects_duplicate_keys_even_when_escaped_differently() {
    let err = parse(br#"{"a":1,"\u0061":2}"#, Profile::General).expect_err("duplicate");
    assert_eq!(err.kind, JsonErrorKind::DuplicateKey { key: "a".into() });
}

#[test]
fn entry_profile_rejects_floats_and_big_integers() {
    assert_eq!(entry_err("1.5"), JsonErrorKind::NotAnInteger);
    assert_eq!(entry_err("1e2"), JsonErrorKind::NotAnInteger);
    assert_eq!(
        entry_err("9007199254740992"),
        JsonErrorKind::IntegerOutOfRange
    );
    assert_eq!(
        entry_err("-9007199254740992"),
        JsonErrorKind::IntegerOutOfRange
    );
    assert_eq!(
        entry_err("123456789012345678901234567890"),
        JsonErrorKind::IntegerOutOfRange
    );
    assert_eq!(
        parse(b"9007199254740991", Profile::Entry),
        Ok(Value::Number(Number::Int(MAX_SAFE_INTEGER)))
    );
}

#[test]
fn rejects_lone_surrogates_and_raw_control_characters() {
    assert_eq!(entry_err(r#""\ud800""#), JsonErrorKind::LoneSurrogate);
    assert_eq!(entry_err(r#""\udc00x""#), JsonErrorKind::LoneSurrogate);
    assert_eq!(
        entry_err("\"a\u{1}\""),
        JsonErrorKind::ControlCharacter { code: 1 }
    );
}

#[test]
fn rejects_deep_nesting_without_overflowing_the_stack() {
    let deep = "[".repeat(100_000);
    assert_eq!(
        entry_err(&deep),
        JsonErrorKind::TooDeep { limit: MAX_DEPTH }
    );
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(ok.as_bytes(), Profile::Entry).is_ok());
}

#[test]
fn rejects_invalid_utf8_and_trailing_data() {
    assert_eq!(
        parse(b"\"\xff\"", Profile::Entry).map_err(|e| e.kind),
        Err(JsonErrorKind::InvalidUtf8)
    );
    assert_eq!(entry_err("{} {}"), JsonErrorKind::TrailingData);
    assert_eq!(entry_err(""), JsonErrorKind::UnexpectedEnd);
    assert_eq!(entry_err("01"), JsonErrorKind::TrailingData);
}

#[test]
fn object_insert_keeps_canonical_order() {
    let mut o = Object::new();
    o.insert("b", Value::Null);
    o.insert("a", Value::Bool(true));
    o.insert("b", Value::Bool(false));
    assert_eq!(Value::Object(o).to_string(), r#"{"a":true,"b":false}"#);
}
