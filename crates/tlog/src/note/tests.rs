use super::*;

#[test]
fn control_characters_are_located_by_line() {
    assert_eq!(find_control("a\nb\n"), None);
    assert_eq!(find_control("a\nb\tc\n"), Some((2, b'\t')));
    assert_eq!(find_control("a\r\n"), Some((1, b'\r')));
    // U+0085 (NEL) is not an ASCII control: the spec only forbids those below U+0020.
    assert_eq!(find_control("a\u{85}\n"), None);
}

#[test]
fn key_names_follow_the_spec() {
    for good in ["a", "example.com/log", "Ünïcödé", "a-b_c.d/e:f"] {
        assert!(valid_key_name(good), "{good:?}");
    }
    for bad in [
        "",
        "a b",
        "a+b",
        "a\u{a0}b",
        "a\u{2003}b",
        "a\u{85}b",
        "a\u{1}b",
    ] {
        assert!(!valid_key_name(bad), "{bad:?}");
    }
}

#[test]
fn base64_must_be_canonical() {
    assert_eq!(decode_base64_canonical("AAE="), Some(vec![0, 1]));
    assert_eq!(decode_base64_canonical("AAE"), None, "missing padding");
    assert_eq!(decode_base64_canonical("AAF="), None, "stray low bits");
    assert_eq!(decode_base64_canonical("AA E="), None, "space");
    assert_eq!(decode_base64_canonical("AA-_"), None, "URL alphabet");
    assert_eq!(decode_base64_canonical(""), Some(vec![]));
}

#[test]
fn decimals_are_strict() {
    assert_eq!(parse_decimal("0"), Ok(0));
    assert_eq!(parse_decimal("10"), Ok(10));
    assert_eq!(parse_decimal("18446744073709551615"), Ok(u64::MAX));
    assert_eq!(parse_decimal(""), Err(NumberProblem::Empty));
    assert_eq!(parse_decimal("00"), Err(NumberProblem::LeadingZero));
    assert_eq!(parse_decimal("01"), Err(NumberProblem::LeadingZero));
    assert_eq!(parse_decimal("+1"), Err(NumberProblem::NotDecimal));
    assert_eq!(parse_decimal("-0"), Err(NumberProblem::NotDecimal));
    assert_eq!(parse_decimal(" 1"), Err(NumberProblem::NotDecimal));
    assert_eq!(parse_decimal("1\u{0661}"), Err(NumberProblem::NotDecimal));
    assert_eq!(
        parse_decimal("18446744073709551616"),
        Err(NumberProblem::TooLarge)
    );
}

#[test]
fn the_last_blank_line_separates_text_and_signatures() {
    let sig = NoteSignature {
        name: "k".into(),
        key_id: KeyId([1, 2, 3, 4]),
        bytes: vec![9; 64],
    };
    for text in ["a\n", "\n", "a\n\n", "a\n\nb\n", "a\n\n\n"] {
        let note = Note {
            text: text.to_owned(),
            signatures: vec![sig.clone()],
        };
        let encoded = format_note(&note).expect("valid");
        assert_eq!(parse_note(encoded.as_bytes()), Ok(note), "{text:?}");
    }
}

#[test]
fn first_signature_line_counts_text_lines() {
    assert_eq!(first_signature_line("a\n"), 3);
    assert_eq!(first_signature_line("a\n\nb\n"), 5);
}
