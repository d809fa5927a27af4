use super::*;
use proptest::prelude::*;

/// [`EntryHash`]'s parsing as it was: check the digits, then decode with the hex crate.
fn parse_hash_reference(s: &str) -> Option<EntryHash> {
    if s.len() != 64 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).ok()?;
    Some(EntryHash(out))
}

/// The `sig` field's decoding as it was: into a Vec, then to 64 bytes.
fn decode_sig_reference(text: &str) -> Result<[u8; 64], &'static str> {
    let bytes = BASE64
        .decode(text)
        .map_err(|_| "must be standard padded base64")?;
    bytes.try_into().map_err(|_| "must be 64 bytes")
}

proptest! {
    #[test]
    fn sig_decodes_as_before(
        sig in prop::collection::vec(any::<u8>(), 60..68),
        at in any::<prop::sample::Index>(),
        c in prop::sample::select(vec!['A', '/', '+', '=', '-', '_', ' ', 'é']),
        cut in 0usize..3,
    ) {
        let text = BASE64.encode(&sig);
        let mut changed: Vec<char> = text.chars().collect();
        let i = at.index(changed.len());
        changed[i] = c;
        let changed: String = changed.into_iter().collect();
        let extended = format!("{text}{}", "A".repeat(cut));
        for t in [text.as_str(), changed.as_str(), &text[..text.len() - cut], extended.as_str()] {
            let new = decode_sig(t).map_err(|e| match e {
                EntryError::BadField { reason, .. } => reason,
                _ => "other",
            });
            prop_assert_eq!(new, decode_sig_reference(t));
        }
    }

    #[test]
    fn entry_hash_parses_as_before(
        hash in any::<[u8; 32]>(),
        at in 0usize..64,
        c in any::<char>(),
        upper in any::<bool>(),
    ) {
        let text = EntryHash(hash).to_string();
        prop_assert_eq!(text.parse::<EntryHash>().ok(), Some(EntryHash(hash)));
        let mut changed: String = text.chars().take(at).collect();
        changed.push(c);
        changed.extend(text.chars().skip(at + 1));
        if upper {
            changed = changed.to_uppercase();
        }
        prop_assert_eq!(changed.parse::<EntryHash>().ok(), parse_hash_reference(&changed));
        for t in [&text[..at], &text[at..], &format!("{text}{c}")] {
            prop_assert_eq!(t.parse::<EntryHash>().ok(), parse_hash_reference(t));
        }
    }
}

fn key() -> SigningKey {
    SigningKey::from_seed("test-author", [3u8; 32]).expect("valid name")
}

fn sample() -> Vec<u8> {
    let mut data = Object::new();
    data.insert("note", Value::String("hello".into()));
    NewEntry {
        seq: 0,
        prev: GENESIS_PREV,
        recorded_at: "2025-11-26T09:00:00Z",
        entry_type: "test.note",
        data: &data,
    }
    .sign("example.org/log", &key())
    .expect("valid entry")
}

/// The line [`NewEntry::sign`] must produce: the whole entry built as an object and
/// canonicalised, as FORMAT.md describes it.
fn sign_by_object(e: &NewEntry<'_>, more: u64, origin: &str, key: &SigningKey) -> Vec<u8> {
    let mut obj = Object::new();
    obj.insert("author", Value::String(key.key_ref().to_string()));
    obj.insert("data", Value::Object(e.data.clone()));
    if more > 0 {
        let more = i64::try_from(more).expect("more within 2^53 - 1");
        obj.insert("more", Value::Number(Number::Int(more)));
    }
    obj.insert("prev", Value::String(e.prev.to_string()));
    obj.insert("recorded_at", Value::String(e.recorded_at.to_owned()));
    let seq = i64::try_from(e.seq).expect("small seq");
    obj.insert("seq", Value::Number(Number::Int(seq)));
    obj.insert("type", Value::String(e.entry_type.to_owned()));
    obj.insert("v", Value::Number(Number::Int(FORMAT_VERSION)));
    let unsigned = json::to_canonical(&Value::Object(obj.clone()));
    let sig = key.sign(&signed_message(origin, &unsigned));
    obj.insert("sig", Value::String(BASE64.encode(sig)));
    json::to_canonical(&Value::Object(obj))
}

fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-json::MAX_SAFE_INTEGER..=json::MAX_SAFE_INTEGER)
            .prop_map(|i| Value::Number(Number::Int(i))),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((any::<String>(), inner), 0..5).prop_map(|members| {
                let mut o = Object::new();
                for (k, v) in members {
                    o.insert(k, v);
                }
                Value::Object(o)
            }),
        ]
    })
}

proptest::proptest! {
    #[test]
    fn sign_writes_the_canonical_form_of_the_whole_entry(
        members in proptest::collection::vec((".{0,12}", json_value()), 0..6),
        seq in 0u64..=(json::MAX_SAFE_INTEGER as u64),
        nanos in proptest::option::of(0u32..1_000_000_000),
        ty in "[a-z][a-z0-9_]{0,10}(\\.[a-z][a-z0-9_]{0,10}){0,2}",
        more in prop_oneof![Just(0u64), 1u64..5, 0u64..=(json::MAX_SAFE_INTEGER as u64)],
    ) {
        let mut data = Object::new();
        for (k, v) in members {
            data.insert(k, v);
        }
        let recorded_at = match nanos {
            Some(n) => format!("2025-11-26T09:00:00.{n:09}Z"),
            None => "2025-11-26T09:00:00Z".to_owned(),
        };
        let e = NewEntry {
            seq,
            prev: EntryHash::of_line(b"x"),
            recorded_at: &recorded_at,
            entry_type: &ty,
            data: &data,
        };
        let want = sign_by_object(&e, more, "example.org/log", &key());
        match e.sign_with_more("example.org/log", &key(), more) {
            Ok(line) => {
                // It decodes with that `more` (absent for 0), canonical and signed over
                // the canonical entry without `sig`, `more` included.
                let d = Entry::decode(&line).map_err(|e| TestCaseError::fail(e.to_string()))?;
                proptest::prop_assert_eq!(d.entry.more, (more > 0).then_some(more));
                proptest::prop_assert_eq!(d.non_canonical_at, None);
                let msg = signed_message("example.org/log", &d.unsigned);
                proptest::prop_assert!(key().verifier().verify(&msg, &d.entry.sig));
                if more == 0 {
                    proptest::prop_assert_eq!(&line, &e.sign("example.org/log", &key()).map_err(|e| TestCaseError::fail(e.to_string()))?);
                }
                proptest::prop_assert_eq!(line, want)
            }
            Err(BuildError::TooLarge { len, .. }) => proptest::prop_assert_eq!(len, want.len()),
            Err(other) => proptest::prop_assert!(false, "{other}"),
        }
    }
}

#[test]
fn signed_entry_decodes_canonical_and_verifies() {
    let line = sample();
    let d = Entry::decode(&line).expect("decodes");
    assert_eq!(d.non_canonical_at, None);
    assert_eq!(d.entry.seq, 0);
    assert_eq!(d.entry.author, key().key_ref());
    assert_eq!(d.hash, EntryHash::of_line(&line));
    let msg = signed_message("example.org/log", &d.unsigned);
    assert!(key().verifier().verify(&msg, &d.entry.sig));
    let other = signed_message("example.org/other", &d.unsigned);
    assert!(!key().verifier().verify(&other, &d.entry.sig));
}

#[test]
fn whitespace_makes_an_entry_non_canonical() {
    let mut line = sample();
    line.insert(1, b' ');
    let d = Entry::decode(&line).expect("still decodes");
    assert_eq!(d.non_canonical_at, Some(1));
}

#[test]
fn field_errors_name_the_field() {
    let line = String::from_utf8(sample()).expect("utf8");
    let no_v = line.replace(",\"v\":1}", "}");
    assert_eq!(
        Entry::decode(no_v.as_bytes()).map(|_| ()),
        Err(EntryError::MissingField { field: "v" })
    );
    let v2 = line.replace("\"v\":1}", "\"v\":2}");
    assert_eq!(
        Entry::decode(v2.as_bytes()).map(|_| ()),
        Err(EntryError::UnsupportedVersion { found: "2".into() })
    );
    let extra = line.replace("\"v\":1}", "\"v\":1,\"w\":0}");
    assert_eq!(
        Entry::decode(extra.as_bytes()).map(|_| ()),
        Err(EntryError::UnexpectedField { field: "w".into() })
    );
    let neg = line.replace("\"seq\":0", "\"seq\":-1");
    assert!(matches!(
        Entry::decode(neg.as_bytes()),
        Err(EntryError::BadField { field: "seq", .. })
    ));
}

#[test]
fn more_is_an_optional_integer_from_one() {
    let line = String::from_utf8(sample()).expect("utf8");
    let with = |v: &str| line.replace(",\"prev\":", &format!(",\"more\":{v},\"prev\":"));
    assert_eq!(
        Entry::decode(line.as_bytes()).map(|d| d.entry.more),
        Ok(None)
    );
    for (v, want) in [("1", 1u64), ("4", 4), ("9007199254740991", (1 << 53) - 1)] {
        let d = Entry::decode(with(v).as_bytes()).expect("decodes");
        assert_eq!(d.entry.more, Some(want), "{v}");
        assert_eq!(
            d.non_canonical_at, None,
            "{v}: canonical between data and prev"
        );
        assert!(
            String::from_utf8(d.unsigned).is_ok_and(|u| u.contains(&format!("\"more\":{v},"))),
            "{v}: `more` is in the signed bytes"
        );
    }
    for bad in [
        "0",
        "-0",
        "-1",
        "1.5",
        "\"1\"",
        "null",
        "true",
        "[1]",
        "9007199254740992",
    ] {
        let got = Entry::decode(with(bad).as_bytes()).map(|d| d.entry.more);
        assert!(
            matches!(
                got,
                Err(EntryError::BadField { field: "more", .. }) | Err(EntryError::Json { .. })
            ),
            "{bad}: {got:?}"
        );
    }
    // 0, -0 and out-of-range values are JSON: they are refused as `more` itself.
    for bad in ["0", "-0", "-1", "\"1\"", "null"] {
        assert!(
            matches!(
                Entry::decode(with(bad).as_bytes()),
                Err(EntryError::BadField { field: "more", .. })
            ),
            "{bad}"
        );
    }
    // A `more` out of canonical order is decoded, and reported as not canonical.
    let late = line.replace(",\"v\":1}", ",\"v\":1,\"more\":2}");
    let d = Entry::decode(late.as_bytes()).expect("decodes");
    assert_eq!(d.entry.more, Some(2));
    assert!(d.non_canonical_at.is_some());
    assert_eq!(
        NewEntry {
            seq: 0,
            prev: GENESIS_PREV,
            recorded_at: "2025-11-26T09:00:00Z",
            entry_type: "test.note",
            data: &Object::new(),
        }
        .sign_with_more("example.org/log", &key(), 1 << 53),
        Err(BuildError::MoreTooLarge(1 << 53))
    );
}

#[test]
fn timestamps_must_be_utc_with_z() {
    assert!(check_timestamp("2025-11-26T09:00:00Z").is_ok());
    assert!(check_timestamp("2025-11-26T09:00:00.123456Z").is_ok());
    use TimestampError::{Invalid, Shape};
    for (bad, why) in [
        ("2025-11-26T09:00:00+00:00", Shape),
        ("2025-11-26t09:00:00z", Shape),
        ("2025-11-26 09:00:00Z", Shape),
        ("2025-13-26T09:00:00Z", Invalid),
        ("2025-02-30T09:00:00Z", Invalid),
        ("2025-11-26T09:00:00.Z", Shape),
        ("", Shape),
        ("2025-11-26T09:00:00.1234567890Z", Shape),
    ] {
        assert_eq!(check_timestamp(bad), Err(why), "{bad}");
        // Both kinds read as the reason entries have always carried.
        assert_eq!(
            why.to_string(),
            "must be an RFC 3339 UTC time like 2025-11-26T09:00:00Z"
        );
    }
}

#[test]
fn type_names_are_refused_by_length_or_character() {
    assert_eq!(check_type("a"), Ok(()));
    assert_eq!(check_type(&"a".repeat(MAX_TYPE_BYTES)), Ok(()));
    assert_eq!(check_type(""), Err(TypeError::Length));
    assert_eq!(
        check_type(&"a".repeat(MAX_TYPE_BYTES + 1)),
        Err(TypeError::Length)
    );
    assert_eq!(check_type("a b"), Err(TypeError::Character));
    assert_eq!(check_type("é"), Err(TypeError::Character));
    assert_eq!(TypeError::Length.to_string(), "must be 1 to 128 bytes");
    assert_eq!(
        TypeError::Character.to_string(),
        "may contain only A-Z a-z 0-9 _ . : / -"
    );
    assert_eq!(
        BuildError::BadType(TypeError::Length).to_string(),
        "`type`: must be 1 to 128 bytes"
    );
}

#[test]
fn entry_hash_is_the_rfc6962_leaf_hash() {
    // RFC 6962 leaf hash of the empty leaf: SHA-256(0x00).
    assert_eq!(
        EntryHash::of_line(b"").to_string(),
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    );
}
