//! Mutations of the valid examples: validation never panics, and when it refuses, it names
//! the member that was changed.

use super::examples::{examples, obj};
use acta_core::json::{Number, Object, Value};
use acta_domain::{DomainError, FieldErrorKind, known_types, validate};
use proptest::prelude::*;

fn names_member(e: &DomainError, member: &str) -> bool {
    let Some(path) = e.path() else { return false };
    let base = format!("data.{member}");
    path == base || path.starts_with(&format!("{base}.")) || path.starts_with(&format!("{base}["))
}

#[test]
fn removing_a_member_is_accepted_or_refused_as_missing() {
    for (t, json) in examples() {
        let data = obj(json);
        for (member, _) in data.iter() {
            let mut d = data.clone();
            d.remove(member);
            match validate(t, &d) {
                Ok(()) => {}
                Err(
                    e @ DomainError::Field {
                        kind: FieldErrorKind::Missing,
                        ..
                    },
                ) => {
                    // "At least one of a and b" names a, and mentions b.
                    let mentioned = e.to_string().contains(&format!(" {member} "));
                    assert!(
                        names_member(&e, member) || mentioned,
                        "{t} without {member}: {e}"
                    );
                }
                // A field the source's own words refer to cannot be removed alone.
                Err(e) if e.path().is_some_and(|p| p.starts_with("data.as_published")) => {}
                Err(e) => panic!("{t} without {member}: {e}"),
            }
        }
    }
}

#[test]
fn replacing_a_member_by_a_wrong_value_names_it() {
    let wrong = [
        Value::Null,
        Value::Bool(true),
        Value::Number(Number::Int(-7)),
        Value::String("#".into()),
        Value::Array(vec![]),
        Value::Array(vec![Value::Null]),
        Value::Object(Object::new()),
    ];
    for (t, json) in examples() {
        let data = obj(json);
        for (member, _) in data.iter() {
            for w in &wrong {
                let mut d = data.clone();
                d.insert(member, w.clone());
                match validate(t, &d) {
                    Ok(()) => {
                        // Only free text takes "#"; only these members take any JSON value.
                        let same_kind = matches!(
                            (w, data.get(member)),
                            (Value::String(_), Some(Value::String(_)))
                                | (Value::Bool(_), Some(Value::Bool(_)))
                        );
                        assert!(
                            same_kind || ["corrected_value", "published_value"].contains(&member),
                            "{t}: {member} = {w:?} accepted"
                        );
                    }
                    Err(e) => assert!(names_member(&e, member), "{t}: {member} = {w:?}: {e}"),
                }
            }
        }
        // An unknown member is named.
        let mut d = data.clone();
        d.insert("zz_unknown", Value::Bool(true));
        let e = validate(t, &d).unwrap_err();
        assert_eq!(e.path(), Some("data.zz_unknown"), "{t}");
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(|i| Value::Number(Number::Int(i))),
        "[a-zA-Z0-9 _:./()-]{0,20}".prop_map(Value::String),
        prop_oneof![
            Just("2025-07-24"),
            Just("ICC-01/18-462"),
            Just("HUN"),
            Just("PTC-I"),
            Just("asp"),
            Just("unknown"),
            Just("state:HUN"),
            Just("njeem-2025"),
            Just("art. 89(1)"),
            Just("external"),
            Just("inferred"),
            Just("stated"),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("from".to_owned()),
                        Just("to".to_owned()),
                        Just("doc".to_owned()),
                        "[a-z_]{1,12}"
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|members| {
                let mut o = Object::new();
                for (k, v) in members {
                    o.insert(k, v);
                }
                Value::Object(o)
            }),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_data_never_panics(
        t in proptest::sample::select(known_types()),
        members in proptest::collection::vec(("[a-z_]{1,14}", any_json()), 0..8),
    ) {
        let mut data = Object::new();
        for (k, v) in members {
            data.insert(k, v);
        }
        if let Err(e) = validate(t, &data) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn mutated_examples_never_panic(
        i in 0usize..75,
        member in "[a-z_]{1,14}",
        value in any_json(),
    ) {
        let ex = examples();
        let (t, json) = ex[i % ex.len()];
        let mut data = obj(json);
        let key = data.iter().map(|(k, _)| k.to_owned()).nth(member.len() % data.len().max(1)).unwrap_or(member);
        data.insert(key, value);
        let _ = validate(t, &data);
    }
}
