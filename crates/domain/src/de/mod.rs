//! Typed payloads to and from acta-core's own JSON values: a serde deserializer over them
//! (borrowed) and a serializer into them.
//!
//! The typed payloads are read straight from the entry's [`Object`]: no text, no second JSON
//! model. The deserializer knows nothing of paths; [`from_object`] runs it under
//! [`serde_path_to_error`], and [`path_of`] writes the path that crate tracked the way acta
//! names fields (`data.occurred.to`, `data.sources[1].doc`, `data.as_published["a b"]`).
//!
//! It is stricter than a general JSON deserializer in two ways that keep the typed model
//! lossless: `null` is never accepted for an optional member (omit the member instead), and
//! numbers must be integers (the entry profile admits no others, but an [`Object`] built by
//! hand could hold a double).
//!
//! The other way, [`ValueSer`] (`into_core.rs`) serializes a payload straight into a core [`Value`], so that
//! [`crate::decode`]'s lossless check is `Object` → typed → `Object` with no text between.
//! `seed::CoreValueSeed` reads any serde input (an import line through `serde_json`) into a core
//! [`Value`] under the entry profile's rules, for `Event`'s `Deserialize`.

use std::fmt;

use acta_core::json::{MAX_SAFE_INTEGER, Number, Object, Value};
use serde::de::{
    self, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde_path_to_error::{Path, Segment};

use crate::error::FieldErrorKind;

/// A deserialization error, without its path (serde_path_to_error carries that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeError {
    /// What kind of problem.
    pub(crate) kind: FieldErrorKind,
    /// What was expected, in words.
    pub(crate) expected: String,
    /// For a missing member: its name (appended to the path of the object lacking it).
    missing: Option<&'static str>,
    /// The error is about the enum value holding the variant, not the variant: the path's
    /// last segment (the variant) is dropped.
    at_enum: bool,
}

impl DeError {
    pub(crate) fn new(kind: FieldErrorKind, expected: impl Into<String>) -> DeError {
        DeError {
            kind,
            expected: expected.into(),
            missing: None,
            at_enum: false,
        }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expected)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::new(FieldErrorKind::InvalidValue, msg.to_string())
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::new(
            FieldErrorKind::WrongType,
            format!("expected {exp}, found {unexp}"),
        )
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::new(
            FieldErrorKind::InvalidValue,
            format!("expected {exp}, found {unexp}"),
        )
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        DeError::new(
            FieldErrorKind::InvalidValue,
            format!("expected {exp}, found {len} elements"),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError::new(
            FieldErrorKind::InvalidValue,
            format!(
                "unknown value `{variant}`; expected one of {}",
                one_of(expected)
            ),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError::new(
            FieldErrorKind::UnknownMember,
            format!(
                "`{field}` is not a member here; the members are {}",
                one_of(expected)
            ),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        let mut e = DeError::new(FieldErrorKind::Missing, "required member is missing");
        e.missing = Some(field);
        e
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::new(
            FieldErrorKind::InvalidValue,
            format!("duplicate member `{field}`"),
        )
    }
}

fn one_of(names: &[&str]) -> String {
    if names.is_empty() {
        return "none".to_owned();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `parent.member`, or `parent["odd key"]` when the member name is not a plain identifier.
pub(crate) fn child_path(parent: &str, member: &str) -> String {
    let mut path = parent.to_owned();
    push_member(&mut path, member);
    path
}

/// Appends `member` to `path`: `.member`, or `["odd key"]` when the member name is not a
/// plain identifier.
fn push_member(path: &mut String, member: &str) {
    if !member.is_empty()
        && member
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        path.push('.');
        path.push_str(member);
    } else {
        let quoted = serde_json::to_string(member).unwrap_or_else(|_| "\"?\"".to_owned());
        path.push('[');
        path.push_str(&quoted);
        path.push(']');
    }
}

/// The path of an error's field, from `root`: the segments serde_path_to_error tracked,
/// then the missing member's name for a missing member.
pub(crate) fn path_of(root: &str, path: &Path, error: &DeError) -> String {
    let mut segments: Vec<&Segment> = path.iter().collect();
    if error.at_enum && matches!(segments.last(), Some(Segment::Enum { .. })) {
        segments.pop();
    }
    let mut out = root.to_owned();
    for segment in segments {
        match segment {
            Segment::Seq { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            Segment::Map { key } => push_member(&mut out, key),
            Segment::Enum { variant } => push_member(&mut out, variant),
            // Keys are always strings here; a key that never reached a string visitor is
            // named by its object.
            Segment::Unknown => {}
        }
    }
    if let Some(member) = error.missing {
        push_member(&mut out, member);
    }
    out
}

/// Deserializes `T` from `object`, with the path of the field an error is about (from
/// `root`, e.g. `data`).
pub(crate) fn from_object<'de, T: de::Deserialize<'de>>(
    object: &'de Object,
    root: &str,
) -> Result<T, (String, DeError)> {
    serde_path_to_error::deserialize(ObjectDe(object)).map_err(|e| {
        let path = path_of(root, e.path(), e.inner());
        (path, e.into_inner())
    })
}

/// The deserializer of a whole object.
struct ObjectDe<'de>(&'de Object);

impl<'de> de::Deserializer<'de> for ObjectDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(map_de(self.0))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        struct enum identifier ignored_any
    }
}

/// The deserializer of one JSON value.
struct ValueDe<'de>(&'de Value);

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            // Through `as_i64`, not a match on `Number`: its double variant exists only with
            // acta-core's `float` feature.
            Value::Number(_) => match self.0.as_i64() {
                Some(i) => match u64::try_from(i) {
                    Ok(u) => visitor.visit_u64(u),
                    Err(_) => visitor.visit_i64(i),
                },
                None => Err(DeError::new(
                    FieldErrorKind::WrongType,
                    "an integer (numbers with a fraction or exponent are not allowed)",
                )),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => {
                let mut seq = SeqDe {
                    items: items.iter(),
                };
                let out = visitor.visit_seq(&mut seq)?;
                if seq.items.len() == 0 {
                    Ok(out)
                } else {
                    Err(de::Error::invalid_length(items.len(), &"fewer elements"))
                }
            }
            Value::Object(members) => visitor.visit_map(map_de(members)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if matches!(self.0, Value::Null) {
            return Err(DeError::new(
                FieldErrorKind::WrongType,
                "null is not a value here: omit the member instead",
            ));
        }
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(EnumDe {
                variant: s,
                value: None,
            }),
            Value::Object(m) if m.len() == 1 => match m.iter().next() {
                Some((k, inner)) => visitor.visit_enum(EnumDe {
                    variant: k,
                    value: Some(inner),
                }),
                None => Err(DeError::new(
                    FieldErrorKind::WrongType,
                    "a one-member object",
                )),
            },
            _ => Err(DeError::new(
                FieldErrorKind::WrongType,
                format!(
                    "one of {} (a string, or an object with exactly one of these members)",
                    one_of(variants)
                ),
            )),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct SeqDe<'de> {
    items: std::slice::Iter<'de, Value>,
}

impl<'de> SeqAccess<'de> for SeqDe<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            None => Ok(None),
            Some(v) => seed.deserialize(ValueDe(v)).map(Some),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'de, I> {
    members: I,
    remaining: usize,
    pending: Option<&'de Value>,
}

/// The map access over an object's members.
fn map_de<'de>(object: &'de Object) -> MapDe<'de, impl Iterator<Item = (&'de str, &'de Value)>> {
    MapDe {
        members: object.iter(),
        remaining: object.len(),
        pending: None,
    }
}

impl<'de, I: Iterator<Item = (&'de str, &'de Value)>> MapAccess<'de> for MapDe<'de, I> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.members.next() {
            None => Ok(None),
            Some((k, v)) => {
                self.remaining = self.remaining.saturating_sub(1);
                let key = seed.deserialize(KeyDe(k))?;
                self.pending = Some(v);
                Ok(Some(key))
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.pending.take() {
            Some(v) => seed.deserialize(ValueDe(v)),
            None => Err(DeError::new(FieldErrorKind::InvalidValue, "a member value")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.remaining)
    }
}

/// Deserializes an object key (a member name or an enum variant name).
struct KeyDe<'de>(&'de str);

impl<'de> de::Deserializer<'de> for KeyDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_enum(self.0.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// An enum written as `"variant"` or `{"variant": value}`.
struct EnumDe<'de> {
    variant: &'de str,
    value: Option<&'de Value>,
}

impl<'de> EnumAccess<'de> for EnumDe<'de> {
    type Error = DeError;
    type Variant = VariantDe<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, VariantDe<'de>), DeError> {
        let name = seed.deserialize(KeyDe(self.variant))?;
        Ok((
            name,
            VariantDe {
                value: self.value,
                variant: self.variant,
            },
        ))
    }
}

struct VariantDe<'de> {
    value: Option<&'de Value>,
    variant: &'de str,
}

impl VariantDe<'_> {
    /// A variant with a value written as a plain string: the error is the enum value's.
    fn needs_object(&self) -> DeError {
        let mut e = DeError::new(
            FieldErrorKind::WrongType,
            format!(
                "`{}` takes a value: write {{\"{}\": …}}",
                self.variant, self.variant
            ),
        );
        e.at_enum = true;
        e
    }
}

impl<'de> VariantAccess<'de> for VariantDe<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match self.value {
            None => Ok(()),
            Some(_) => Err(DeError::new(
                FieldErrorKind::WrongType,
                format!(
                    "`{}` takes no value: write the string \"{}\"",
                    self.variant, self.variant
                ),
            )),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        match self.value {
            Some(v) => seed.deserialize(ValueDe(v)),
            None => Err(self.needs_object()),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Some(v) => de::Deserializer::deserialize_any(ValueDe(v), visitor),
            None => Err(self.needs_object()),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.tuple_variant(0, visitor)
    }
}

/// `i` as an entry's number, if it is within ±(2^53 − 1).
pub(super) fn safe_integer(i: i64) -> Option<Number> {
    (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER)
        .contains(&i)
        .then_some(Number::Int(i))
}

mod into_core;
mod seed;

pub(crate) use into_core::{Unrepresentable, ValueSer};
pub(crate) use seed::core_object;
